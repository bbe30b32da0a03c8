"""The network commands, run in-process: exact messages and exit statuses.

What the output must hold is read off the projection ``G`` and networkx's own
algorithms, never from a list of today's facts: the corpus grows.
"""

from __future__ import annotations

import itertools
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.cli import cli, main
from graph.network import to_networkx

TITLE = "US–Japan defence cooperation ahead of Prime Minister Kishida's April 2024 state visit"
SOURCE_LINE = f"— {TITLE} [us-japan-cooperation-2024]"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def G(built_dir: Path) -> nx.MultiDiGraph:
    return to_networkx(built_dir / "alliance.nt")


def squash(text: str) -> str:
    """The text with its wrapping undone, to look for whole quotes."""
    return " ".join(text.split())


def label(G: nx.MultiDiGraph, node: str) -> str:
    return G.nodes[node]["label"]


def blocks(out: str, head: str = r"  \S", below: int = 3) -> dict[str, list[str]]:
    """Each fact line (matching ``head``) with the evidence lines under it (indented by
    at least ``below``)."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in out.splitlines():
        if re.match(head, line):  # a fact printed again (on two paths) is checked once
            current = found.setdefault(line, []) if line not in found else []
        elif current is not None and line.startswith(" " * below):
            current.append(line)
        else:
            current = None
    return found


def unwrapped(text: str) -> str:
    """The text without any whitespace: wrapping may break a line after a hyphen."""
    return "".join(text.split())


def assert_evidence_printed(lines: list[str], evidence: list[dict[str, Any]]) -> None:
    """Under a fact, each claim in order: its quote, then a line naming its source and
    qualifiers."""
    text = "\n".join(lines)
    claims = re.split(r"^\s+— (.*)$", text, flags=re.M)
    quotes, wheres = claims[0::2][:-1], claims[1::2]
    assert len(wheres) == len(evidence)
    for quote, where, ev in zip(quotes, wheres, evidence, strict=True):
        assert unwrapped(quote) == f'"{unwrapped(ev["quote"])}"'
        assert where.startswith(f"{ev['source_title'] or ev['source']} [{ev['source']}]")
        for key, name in (
            ("date", "date"),
            ("valid_from", "from"),
            ("valid_until", "until"),
            ("role", "role"),
            ("quantity", "quantity"),
        ):
            if ev.get(key):
                assert f"; {name} {ev[key]}" in where
        if ev.get("amount"):
            assert f"; amount {Decimal(ev['amount']):,.0f} {ev['currency']}" in where
        if not ev.get("asserted", True):
            assert f"; states {ev['value']}" in where


def assert_marks(head: str, status: dict[str, Any], evidence: list[dict[str, Any]]) -> None:
    """The marks after a fact say what its sources do: agree, refine, dispute."""
    marks = head.partition("   [")[2].removesuffix("]")
    assert (f"{status['sources']} sources agree" in marks) == status["corroborated"]
    refiners = {ev["source"] for ev in evidence if ev["links"]["refines"]}
    assert ("refined by " in marks) == bool(refiners)
    assert all(r in marks for r in refiners)
    assert ("disputed by " in marks) == status["disputed"]
    assert bool(marks) == (status["corroborated"] or bool(refiners) or status["disputed"])


FACT = re.compile(r"^(?P<a>.+?) (?:—(?P<fwd>[^—→←]+)→|←(?P<back>[^—→←]+)—) (?P<b>.+)$")


def printed_paths(out: str, G: nx.MultiDiGraph) -> list[tuple[str, list[tuple[str, ...]]]]:
    """Each path printed: its heading and, hop by hop, the ids of its ends, checking that
    every fact printed on a hop is a fact of G between them, in its real direction."""
    by_label = {label(G, n): n for n in G}
    assert len(by_label) == len(G)
    paths: list[tuple[str, list[tuple[str, ...]]]] = []
    for line in out.splitlines():
        if line.startswith("Path "):
            paths.append((line, []))
            continue
        numbered = re.match(r"^  (\d+)\. (.*)$", line)
        more = re.match(r"^     (\S.*)$", line)
        if not (numbered or more):
            continue
        hops = paths[-1][1]
        if numbered:
            assert int(numbered[1]) == len(hops) + 1
        m = FACT.match((numbered or more)[2 if numbered else 1])  # type: ignore[index]
        assert m, line
        u, v = by_label[m["a"]], by_label[m["b"]]
        if numbered:
            hops.append((u, v))
        assert hops[-1] == (u, v)
        subject, obj, plabel = (u, v, m["fwd"]) if m["fwd"] else (v, u, m["back"])
        assert plabel in {
            d["predicate_label"] for d in (G.get_edge_data(subject, obj) or {}).values()
        }, line
    return paths


def assert_every_fact_of_every_hop(
    out: str, G: nx.MultiDiGraph, paths: list[tuple[str, list[tuple[str, ...]]]]
) -> None:
    facts = blocks(out, head=r"  \d+\. |     \S", below=7)
    for _, hops in paths:
        for u, v in hops:
            for a, b in {(u, v), (v, u)}:
                for data in (G.get_edge_data(a, b) or {}).values():
                    arrow = (
                        f"{label(G, u)} —{data['predicate_label']}→ {label(G, v)}"
                        if a == u
                        else f"{label(G, u)} ←{data['predicate_label']}— {label(G, v)}"
                    )
                    lines = next(
                        ls
                        for head, ls in facts.items()
                        if head.endswith(". " + arrow) or head == "     " + arrow
                    )
                    assert_evidence_printed(lines, data["evidence"])


def test_path_meti_tomahawk(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph
) -> None:
    code, out, err = run(capsys, "path", "METI", "Tomahawk", "--out", str(built_dir))
    assert (code, err) == (0, "")
    U = nx.Graph(G.to_undirected())
    expected = sorted(nx.all_shortest_paths(U, "meti", "tomahawk"))
    length = len(expected[0]) - 1
    paths = printed_paths(out, G)
    assert [head for head, _ in paths] == [
        f"Path {i} of {len(paths)} ({length} hop{'s' * (length != 1)}): "
        f"Ministry of Economy, Trade and Industry → Tomahawk"
        for i in range(1, len(paths) + 1)
    ]
    as_nodes = [[u for u, _ in hops] + [hops[-1][1]] for _, hops in paths]
    assert len(paths) == min(len(expected), 10)
    assert all(nodes in expected for nodes in as_nodes)
    assert as_nodes == sorted(as_nodes)
    assert_every_fact_of_every_hop(out, G, paths)


def test_path_k_shortest(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph
) -> None:
    code, out, _ = run(capsys, "path", "meti", "tomahawk", "--k", "3", "--out", str(built_dir))
    assert code == 0
    U = nx.Graph(G.to_undirected())
    lengths = [
        len(p) - 1 for p in itertools.islice(nx.shortest_simple_paths(U, "meti", "tomahawk"), 3)
    ]
    paths = printed_paths(out, G)
    assert [head.split(":")[0] for head, _ in paths] == [
        f"Path {i} of 3 ({n} hops)" for i, n in enumerate(lengths, 1)
    ]
    as_nodes = [tuple([u for u, _ in hops] + [hops[-1][1]]) for _, hops in paths]
    assert len(set(as_nodes)) == 3
    for nodes in as_nodes:
        assert (nodes[0], nodes[-1]) == ("meti", "tomahawk")
        assert len(set(nodes)) == len(nodes)  # simple
    assert_every_fact_of_every_hop(out, G, paths)


def test_impact_of_the_revision_by_alias(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph
) -> None:
    code, out, err = run(
        capsys, "impact", "December 2023 export-rule revision", "--out", str(built_dir)
    )
    assert (code, err) == (0, "")
    root = "export-rule-revision-2023"
    deps = G.graph["dependency_predicates"]
    D = nx.DiGraph((u, v) for u, v, k in G.edges(keys=True) if k in deps)
    reached = nx.ancestors(D, root) if root in D else set()
    distance = nx.single_source_shortest_path_length(D.reverse(copy=False), root)
    lines = out.splitlines()
    n = len(reached)
    assert lines[0] == (
        f"What depends on Revision of Japan's defence equipment export rules (22 Dec 2023) "
        f"[{root}], transitively: {n} entit{'y' if n == 1 else 'ies'} "
        f"(following {', '.join(deps)})"
    )
    facts = [
        (u, v, data)
        for u, v, k, data in G.edges(keys=True, data=True)
        if k in deps and v in reached | {root}
    ]
    printed = blocks(out, head=r" +\[\d+\] ", below=6)
    assert len(printed) == len(facts)
    for u, v, data in facts:
        depth = distance[v] + 1
        head = (
            f"{'  ' * depth}[{depth}] {label(G, u)} —{data['predicate_label']}→ "
            f"{label(G, v)}   ({u})"
        )
        assert head in printed
        assert_evidence_printed(printed[head], data["evidence"])
    # the first source's words for the Patriot export decision are among them
    assert (
        '"The revision was promptly put into follow with Japanese authorities’s '
        "determination to export Patriot missiles, which Japan produces underneath U.S. "
        'license, to the USA."'
    ) in squash(out)
    assert SOURCE_LINE in out


def test_deps(capsys: pytest.CaptureFixture[str], built_dir: Path) -> None:
    code, out, _ = run(capsys, "deps", "gpi-codevelopment", "--out", str(built_dir))
    assert code == 0
    assert out.splitlines()[1] == (
        "  [1] GPI co-development programme —builds on→ "
        "SM-3 Block IIA co-development   "
        "(sm-3-block-iia-codevelopment)"
    )


def dependency_counts(G: nx.MultiDiGraph) -> dict[str, tuple[int, int]]:
    """For each entity, how many dependency facts it is the subject and the object of."""
    deps = set(G.graph["dependency_predicates"])
    return {
        n: (
            sum(k in deps for *_, k in G.out_edges(n, keys=True)),
            sum(k in deps for *_, k in G.in_edges(n, keys=True)),
        )
        for n in G
    }


@pytest.mark.parametrize("command", ["deps", "impact"])
def test_nothing_found_says_whether_the_facts_are_missing(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph, command: str
) -> None:
    """No dependency facts at all is missing data; facts pointing only the other way are
    a finding. Both cases, for entities picked off the graph."""
    counts = dependency_counts(G)
    missing = next(n for n, c in counts.items() if c == (0, 0))
    # impact finds nothing for an entity that only depends; deps for one only depended on
    one_way = next(
        n
        for n, (o, i) in sorted(counts.items())
        if (o and not i if command == "impact" else i and not o)
    )
    code, out, _ = run(capsys, command, missing, "--out", str(built_dir))
    assert code == 0
    assert out.splitlines()[1] == (
        f"  nothing: the graph holds no dependency facts about "
        f"{missing}: missing data, not a finding."
    )
    code, out, _ = run(capsys, command, one_way, "--out", str(built_dir))
    o, i = counts[one_way]
    if command == "impact":
        why = (
            f"{one_way} has {o} dependency fact{'s' * (o != 1)} (it depends on {o} "
            f"thing{'s' * (o != 1)}), and nothing depends on it"
        )
    else:
        why = (
            f"{one_way} has {i} dependency fact{'s' * (i != 1)} ({i} thing{'s' * (i != 1)} "
            f"depend{'s' * (i == 1)} on it), and it depends on nothing"
        )
    assert out.splitlines()[1] == f"  nothing: {why}."
    # in a machine format: an empty answer on standard output, the reason on standard error
    code, out, err = run(capsys, command, missing, "--out", str(built_dir), "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    assert err.splitlines()[-1] == (
        f"no answer: the graph holds no dependency facts about "
        f"{missing}: missing data, not a finding"
    )


def test_show_prints_every_fact_in_and_out(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph
) -> None:
    code, out, _ = run(capsys, "show", "Division of Protection", "--out", str(built_dir))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "United States Department of Defense / アメリカ合衆国国防総省"
    assert "  id:          dod" in lines
    assert "  type:        GovernmentAgency (government agency)" in lines
    assert f"links out ({G.out_degree('dod')}):" in lines
    assert f"links in ({G.in_degree('dod')}):" in lines
    printed = blocks(out)
    edges = [*G.out_edges("dod", data=True), *G.in_edges("dod", data=True)]
    for u, v, data in edges:
        arrow = f"  {label(G, u)} —{data['predicate_label']}→ {label(G, v)}"
        heads = [h for h in printed if h == arrow or h.startswith(arrow + "   [")]
        assert len(heads) == 1, arrow
        assert_marks(heads[0], data["status"], data["evidence"])
        assert_evidence_printed(printed[heads[0]], data["evidence"])
    assert sum(line.lstrip().startswith("— ") for line in lines) == sum(
        len(data["evidence"]) for *_, data in edges
    )
    assert any(
        h.startswith("  Lloyd Austin —head of→ United States Department of Defense")
        for h in printed
    )
    assert "role Secretary of Defense" in out


def test_show_literal_facts(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph
) -> None:
    code, out, _ = run(capsys, "show", "sosa", "--out", str(built_dir))
    assert code == 0
    facts = G.nodes["sosa"]["facts"]
    assert f"facts about it ({len(facts)}):" in out.splitlines()
    printed = blocks(out)
    for f in facts:
        line = f"  {f['predicate_label']}: {f['value']}"
        heads = [h for h in printed if h == line or h.startswith(line + "   [")]
        assert len(heads) == 1, line
        assert_marks(heads[0], f["status"], f["evidence"])
        assert_evidence_printed(printed[heads[0]], f["evidence"])
    assert any(h.startswith("  legally binding: false") for h in printed)


def test_unknown_entity_exits_non_zero(capsys: pytest.CaptureFixture[str], built_dir: Path) -> None:
    code, out, err = run(capsys, "show", "Tomahwk", "--out", str(built_dir))
    assert (code, out) == (1, "")
    assert err == "Error: no entity 'Tomahwk'; did you mean tomahawk (Tomahawk)?\n"


def test_no_path_says_why(capsys: pytest.CaptureFixture[str], built_dir: Path) -> None:
    """Not connected is a finding; an entity with no links (here, under a filter) is
    missing data. Which case holds is read off the filtered projection."""
    H = to_networkx(built_dir / "alliance.nt", predicates=["dependsOn"])
    U = H.to_undirected()
    for a, b in (
        ("meti", "tomahawk"),
        *itertools.islice(
            (
                (c[0], d[0])
                for c, d in itertools.combinations(
                    sorted(sorted(x) for x in nx.connected_components(U) if len(x) > 1), 2
                )
            ),
            1,
        ),
    ):
        code, out, err = run(
            capsys, "path", a, b, "--predicate", "dependsOn", "--out", str(built_dir)
        )
        assert (code, out) == (1, "")
        alone = [n for n in (a, b) if not any(m != n for m in U[n])]
        why = (
            f"the graph holds no facts linking {' or '.join(repr(n) for n in alone)} to any entity"
            if alone
            else "they are not connected"
        )
        assert err == (
            f"Error: no path between {a!r} and {b!r}: {why} (with these --as-of, "
            "--type and --predicate filters)\n"
        )


def test_bad_as_of_lists_the_accepted_forms(
    capsys: pytest.CaptureFixture[str], built_dir: Path
) -> None:
    code, _, err = run(capsys, "rank", "--as-of", "22/12/2023", "--out", str(built_dir))
    assert code == 1
    assert err == (
        "Error: as_of: '22/12/2023' is not a date (use YYYY, YYYY-MM or "
        "YYYY-MM-DD, e.g. 2023, 2023-12 or 2023-12-22)\n"
    )


def test_as_of_drops_later_facts(capsys: pytest.CaptureFixture[str], built_dir: Path) -> None:
    _, out, _ = run(
        capsys, "show", "gpi-codevelopment", "--as-of", "2023-07", "--out", str(built_dir)
    )
    assert "announced by" not in out
    _, out, _ = run(
        capsys, "show", "gpi-codevelopment", "--as-of", "2023-08", "--out", str(built_dir)
    )
    assert "GPI co-development programme —announced by→ Japan" in out


def grid_rows(out: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a terminal table whose cells do not wrap."""
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if re.fullmatch(r"-+(  -+)*", line))
    starts = [m.start() for m in re.finditer(r"-+", lines[rule])]

    def cut(line: str) -> list[str]:
        return [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]

    assert lines[-1] == f"({len(lines) - rule - 2} row{'s' * (len(lines) - rule - 2 != 1)})"
    return cut(lines[rule - 1]), [cut(line) for line in lines[rule + 1 : -1]]


def test_rank(capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph) -> None:
    code, out, _ = run(capsys, "rank", "--top", "2", "--out", str(built_dir), "--max-width", "200")
    assert code == 0
    assert out.splitlines()[0] == "degree: facts in and out"
    head, rows = grid_rows(out)
    assert head == ["rank", "score", "id", "label", "type"]
    expected = sorted(G, key=lambda n: (-G.degree(n), n))[:2]  # most facts first, ties by id
    assert [r[2] for r in rows] == expected
    for i, (rank, score, node, name, kind) in enumerate(rows, 1):
        assert (int(rank), int(score)) == (i, G.degree(node))
        assert (name, kind) == (label(G, node), G.nodes[node]["type"])
    code, out, _ = run(
        capsys,
        "rank",
        "--metric",
        "betweenness",
        "--samples",
        "5",
        "--out",
        str(built_dir),
        "--max-width",
        "200",
    )
    assert code == 0
    assert out.splitlines()[0] == (
        f"betweenness: SAMPLED estimate from 5 of {G.number_of_nodes()} source entities "
        "(seed 0), not exact"
    )
    assert len(grid_rows(out)[1]) == min(10, G.number_of_nodes())


def test_timeline(capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph) -> None:
    code, out, _ = run(capsys, "timeline", "--out", str(built_dir))
    assert code == 0
    lines = out.splitlines()
    entries = [line for line in lines if line[:1].isdigit()]
    dates = [e.split()[0] for e in entries]
    assert dates == sorted(dates)
    assert all(re.fullmatch(r"\d{4}(-\d\d){0,2}", d) for d in dates)  # at its precision
    assert all(e[12:19].rstrip() in ("date", "at", "from", "until") for e in entries)
    # every dated fact of G, once
    dated = [
        (u, v, data)
        for u, v, data in G.edges(data=True)
        if any(ev.get("date") for ev in data["evidence"])
    ]
    for u, v, data in dated:
        arrow = f"{label(G, u)} —{data['predicate_label']}→ {label(G, v)}"
        assert sum(e[19:] == arrow and e[12:19].rstrip() == "at" for e in entries) == 1
    for node, facts in G.nodes(data="facts"):
        for f in facts:
            if f["datatype"] in ("date", "gYearMonth", "gYear"):
                assert (
                    f"{f['value']:<10}  date   {label(G, node)} — {f['predicate_label']}: "
                    f"{f['value']}" in entries
                )
    # the other dates a fact is given follow it, each saying how it stands to the best one
    for i, line in enumerate(lines):
        if line.lstrip().startswith("other dates given: "):
            assert lines[i - 1][:1].isdigit()
            for item in line.split(": ", 1)[1].split(", "):
                assert re.fullmatch(r"\d{4}(-\d\d){0,2} \((refined|disputed|also)\)", item)
    # a fact the first source dates to the month, at that precision or finer
    gpi = [
        e
        for e in entries
        if e.endswith("  at     GPI co-development programme —announced by→ United States")
    ]
    assert len(gpi) == 1 and gpi[0].startswith("2023-08")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export(
    capsys: pytest.CaptureFixture[str],
    built_dir: Path,
    tmp_path: Path,
    G: nx.MultiDiGraph,
    fmt: str,
) -> None:
    target = tmp_path / f"net.{fmt}"
    code, out, _ = run(
        capsys, "export", "--format", fmt, "--out", str(target), "--graph-dir", str(built_dir)
    )
    assert (code, out) == (0, f"wrote {target}\n")
    H = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    assert (
        json.loads(H.edges["japan", "tomahawk", "procures"]["evidence"])
        == G.edges["japan", "tomahawk", "procures"]["evidence"]
    )


def test_not_built(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "show", "dod", "--out", str(tmp_path))
    assert code == 1
    assert err == (
        f"Error: {tmp_path / 'alliance.nt'}: does not exist (run 'alliance-graph build' first)\n"
    )


@pytest.mark.parametrize(
    "name", ["show", "path", "deps", "impact", "rank", "timeline", "entities", "export"]
)
def test_network_commands_have_help(name: str) -> None:
    command = cli.commands[name]
    assert command.help and len(command.help) > 20
