"""Every output format of every answering command, parsed back and checked against the
graph: CSV by ``csv``, TSV by splitting tabs, JSON by ``json``, JSON lines line by
line. Values are checked for their types and against an independent oracle (the
projection's edges and evidence, networkx, the ontology read by rdflib), never
against a list of today's facts.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import RDFS, Graph, URIRef

from graph import api
from graph.cli import main
from graph.namespaces import AG
from graph.network import to_networkx
from graph.resources import ontology_dir

FORMATS = ("csv", "tsv", "json", "jsonl")
ID_BASE = "https://w3id.org/alliance-graph/id/"


@pytest.fixture(scope="module")
def G(built_dir: Path) -> nx.MultiDiGraph:
    return to_networkx(built_dir / "alliance.nt")


@pytest.fixture(scope="module")
def subclasses() -> dict[str, set[str]]:
    """Each class of the ontology with its subclasses (itself included), read by rdflib."""
    onto = Graph().parse(ontology_dir() / "alliance.ttl")
    names = {
        str(c).rsplit("#", 1)[-1]: c
        for c in onto.subjects(RDFS.subClassOf, None)
        if isinstance(c, URIRef) and str(c).startswith(str(AG))
    }
    out: dict[str, set[str]] = {}
    for name in names:
        out[name] = {
            str(s).rsplit("#", 1)[-1] for s in onto.transitive_subjects(RDFS.subClassOf, AG[name])
        }
    return out


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def parse(fmt: str, out: str) -> list[dict[str, Any]]:
    """Rows of an output, by the standard reader of its format."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(out)))
    if fmt == "tsv":
        lines = out.splitlines()
        head = lines[0].split("\t")
        rows = [line.split("\t") for line in lines[1:]]
        assert all(len(r) == len(head) for r in rows)
        return [dict(zip(head, r, strict=True)) for r in rows]
    if fmt == "json":
        doc = json.loads(out)
        return doc if isinstance(doc, list) else [doc]
    return [json.loads(line) for line in out.splitlines()]


def text(value: Any) -> str:
    """A typed value as CSV and TSV write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def all_formats(
    capsys: pytest.CaptureFixture[str], built_dir: Path, *args: str
) -> list[dict[str, Any]]:
    """The command's rows in JSON lines, after checking that CSV, TSV and JSON give the
    same rows (typed in JSON and JSON lines, as text in CSV and TSV)."""
    outputs = {}
    for fmt in FORMATS:
        code, out, _ = run(capsys, *args, "--graph-dir", str(built_dir), "--format", fmt)
        assert code == 0, fmt
        outputs[fmt] = parse(fmt, out)
    rows = outputs["jsonl"]
    if args[0] != "show":  # show's JSON is the nested card
        assert outputs["json"] == rows
    for fmt in ("csv", "tsv"):
        assert len(outputs[fmt]) == len(rows)
        for got, want in zip(outputs[fmt], rows, strict=True):
            expected = {k: text(v) for k, v in want.items()}
            if fmt == "tsv":
                expected = {
                    k: " ".join(v.replace("\t", " ").splitlines()) for k, v in expected.items()
                }
            assert got == expected
    return rows


def evidence_of(G: nx.MultiDiGraph, row: dict[str, Any]) -> dict[str, Any]:
    """The claim of ``row`` in G: on the edge, or among the subject's literal facts."""
    if row.get("object"):
        evidence = G.edges[row["subject"], row["object"], row["predicate"]]["evidence"]
    else:
        evidence = [
            ev
            for f in G.nodes[row["subject"]]["facts"]
            if f["predicate"] == row["predicate"]
            for ev in f["evidence"]
        ]
    found = [ev for ev in evidence if ev["claim"].endswith("/" + row["claim"])]
    assert len(found) == 1, row
    return found[0]


def assert_claim_row(G: nx.MultiDiGraph, row: dict[str, Any]) -> None:
    """A row's claim columns are its claim's, typed: whole quote, numbers as numbers."""
    ev = evidence_of(G, row)
    assert row["quote"] == ev["quote"]
    assert row["source"] == ev["source"]
    for key in ("date", "valid_from", "valid_until", "role", "currency", "rank"):
        if key in row:
            assert row[key] == ev[key]
    if ev["amount"] is None:
        assert row["amount"] is None
    else:
        assert isinstance(row["amount"], int | float)
        assert Decimal(str(row["amount"])) == Decimal(ev["amount"])
    if ev["quantity"] is None:
        assert row["quantity"] is None
    else:
        assert type(row["quantity"]) is int
        assert row["quantity"] == Decimal(ev["quantity"])


# --- show -----------------------------------------------------------------------------
def test_show_rows_are_every_claim_of_every_fact(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph
) -> None:
    # an entity with a money amount on a fact, and one with typed literal facts
    money = next(
        u
        for u, v, d in sorted(G.edges(data=True), key=lambda e: e[:2])
        if any(ev["amount"] for ev in d["evidence"])
    )
    for node in (money, "sosa"):
        rows = all_formats(capsys, built_dir, "show", node)
        expected = (
            sum(len(f["evidence"]) for f in G.nodes[node]["facts"])
            + sum(len(d["evidence"]) for *_, d in G.out_edges(node, data=True))
            + sum(len(d["evidence"]) for *_, d in G.in_edges(node, data=True))
        )
        assert len(rows) == expected
        for row in rows:
            assert row["entity"] == node
            assert row["direction"] in ("about", "out", "in")
            assert node == (row["object"] if row["direction"] == "in" else row["subject"])
            assert_claim_row(G, row)
        if node == money:
            assert any(isinstance(r["amount"], int | float) for r in rows)


def test_show_json_is_the_nested_card(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph
) -> None:
    code, out, _ = run(
        capsys, "show", "Division of Protection", "--graph-dir", str(built_dir), "--json"
    )
    assert code == 0
    card = json.loads(out)
    a = G.nodes["dod"]
    assert (card["id"], card["type"], card["label"], card["aliases"]) == (
        "dod",
        a["type"],
        a["label"],
        a["aliases"],
    )
    assert {(f["subject"], f["predicate"], f["object"]) for f in card["links_out"]} == {
        (u, k, v) for u, v, k in G.out_edges("dod", keys=True)
    }
    assert {(f["subject"], f["predicate"], f["object"]) for f in card["links_in"]} == {
        (u, k, v) for u, v, k in G.in_edges("dod", keys=True)
    }
    for f in card["links_out"] + card["links_in"]:
        evidence = G.edges[f["subject"], f["object"], f["predicate"]]["evidence"]
        assert [e["quote"] for e in f["evidence"]] == [e["quote"] for e in evidence]
        assert [e["source"] for e in f["evidence"]] == [e["source"] for e in evidence]
    # literal facts in their types: booleans and integers, not strings
    typed = {}
    for node in G:
        for f in G.nodes[node]["facts"]:
            if f["datatype"] in ("boolean", "integer"):
                typed[node] = f
    assert typed
    for node, f in typed.items():
        code, out, _ = run(capsys, "show", node, "--graph-dir", str(built_dir), "--json")
        value = next(
            x["value"] for x in json.loads(out)["facts"] if x["predicate"] == f["predicate"]
        )
        if f["datatype"] == "boolean":
            assert value is (f["value"] == "true")
        else:
            assert value == int(f["value"]) and not isinstance(value, bool)


def test_iris_on_request(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph
) -> None:
    code, out, _ = run(capsys, "show", "dod", "--graph-dir", str(built_dir), "--csv", "--iris")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    for row in rows:
        assert row["entity"] == ID_BASE + "dod"
        assert row["subject"].startswith(ID_BASE)
        assert row["source"].startswith(ID_BASE)
        assert row["claim"].startswith("https://w3id.org/alliance-graph/claim/")
        if row["object"]:
            u, v = (row[k].removeprefix(ID_BASE) for k in ("subject", "object"))
            iri = {d["iri"] for d in (G.get_edge_data(u, v) or {}).values()}
            assert row["predicate"] in iri
    code, out, _ = run(capsys, "show", "dod", "--graph-dir", str(built_dir), "--json", "--iris")
    card = json.loads(out)
    assert card["id"] == ID_BASE + "dod"
    for f in card["links_out"]:
        assert f["subject"] == ID_BASE + "dod" and f["object"].startswith(ID_BASE)
        assert f["predicate"].startswith("http")
        assert all(e["source"].startswith(ID_BASE) for e in f["evidence"])


# --- path, deps, impact ---------------------------------------------------------------
def test_path_rows(capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph) -> None:
    rows = all_formats(capsys, built_dir, "path", "METI", "Tomahawk")
    U = nx.Graph(G.to_undirected())
    shortest = {tuple(p) for p in nx.all_shortest_paths(U, "meti", "tomahawk")}
    by_path: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_path.setdefault(row["path"], []).append(row)
        assert isinstance(row["hop"], int) and isinstance(row["backwards"], bool)
        assert row["backwards"] == (row["subject"] == row["to"])
        assert {row["subject"], row["object"]} == {row["from"], row["to"]}
        assert_claim_row(G, row)
    for hops in by_path.values():
        nodes = [hops[0]["from"]] + [r["to"] for r in hops if r["hop"] > 0]
        assert tuple(dict.fromkeys(nodes)) in shortest


@pytest.mark.parametrize("command", ["deps", "impact"])
def test_dependency_rows(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph, command: str
) -> None:
    deps = set(G.graph["dependency_predicates"])
    D = nx.MultiDiGraph([(u, v, k) for u, v, k in G.edges(keys=True) if k in deps])
    # the entity that reaches most through dependencies, asked about by name
    reach = nx.descendants if command == "deps" else nx.ancestors
    root = max(sorted(D), key=lambda n: len(reach(D, n)))
    rows = all_formats(capsys, built_dir, command, G.nodes[root]["label"])
    reached = reach(D, root)
    assert {r["reached"] for r in rows} == reached
    ends = reached | {root}
    facts = {(u, k, v) for u, v, k in D.edges(keys=True) if (u if command == "deps" else v) in ends}
    assert {(r["subject"], r["predicate"], r["object"]) for r in rows} == facts
    distance = nx.single_source_shortest_path_length(
        D if command == "deps" else D.reverse(copy=False), root
    )
    for row in rows:
        start = row["subject"] if command == "deps" else row["object"]
        assert row["depth"] == distance[start] + 1
        assert_claim_row(G, row)


# --- rank, entities, timeline -----------------------------------------------------------
def test_rank_rows_and_type_filter(
    capsys: pytest.CaptureFixture[str],
    built_dir: Path,
    G: nx.MultiDiGraph,
    subclasses: dict[str, set[str]],
) -> None:
    n = str(G.number_of_nodes())
    full = all_formats(capsys, built_dir, "rank", "--top", n)
    assert [r["id"] for r in full] == sorted(G, key=lambda x: (-G.degree(x), x))
    assert all(type(r["score"]) is int and r["score"] == G.degree(r["id"]) for r in full)
    assert [r["rank"] for r in full] == list(range(1, len(full) + 1))
    for metric in ("degree", "pagerank"):
        whole = all_formats(capsys, built_dir, "rank", "--metric", metric, "--top", n)
        for kind in ("GovernmentAgency", "Organization"):
            kept = all_formats(
                capsys, built_dir, "rank", "--metric", metric, "--top", n, "--type", kind
            )
            assert kept == [r for r in whole if r["type"] in subclasses[kind]]
            assert kept and any(r["score"] > 0 for r in kept)
            top = all_formats(
                capsys, built_dir, "rank", "--metric", metric, "--top", "2", "--type", kind
            )
            assert top == kept[:2]


def test_entities(
    capsys: pytest.CaptureFixture[str],
    built_dir: Path,
    G: nx.MultiDiGraph,
    subclasses: dict[str, set[str]],
) -> None:
    rows = all_formats(capsys, built_dir, "entities")
    assert sorted(r["id"] for r in rows) == sorted(G)
    for r in rows:
        a = G.nodes[r["id"]]
        assert (r["type"], r["label"], r["label_ja"]) == (a["type"], a["label"], a["label_ja"])
        assert r["aliases"] == len(a["aliases"])
        assert r["facts"] == len(a["facts"]) + G.degree(r["id"])
        stated = {ev["source"] for *_, d in G.edges(r["id"], data=True) for ev in d["evidence"]}
        stated |= {ev["source"] for *_, d in G.in_edges(r["id"], data=True) for ev in d["evidence"]}
        stated |= {ev["source"] for f in a["facts"] for ev in f["evidence"]}
        assert r["sources"] == len(stated)
    orgs = all_formats(capsys, built_dir, "entities", "--type", "Organization")
    assert {r["id"] for r in orgs} == {
        n for n in G if G.nodes[n]["type"] in subclasses["Organization"]
    }
    assert len({r["type"] for r in orgs}) > 1  # subtypes included
    source = "us-japan-cooperation-2024"
    mine = all_formats(capsys, built_dir, "entities", "--source", source)
    about = {
        n
        for u, v, d in G.edges(data=True)
        if any(e["source"] == source for e in d["evidence"])
        for n in (u, v)
    }
    about |= {
        n
        for n in G
        for f in G.nodes[n]["facts"]
        if any(e["source"] == source for e in f["evidence"])
    }
    assert {r["id"] for r in mine} == about


def test_timeline_rows(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph
) -> None:
    rows = all_formats(capsys, built_dir, "timeline")
    assert rows
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    for r in rows:
        assert r["precision"] == {4: "year", 7: "month", 10: "day"}[len(r["date"])]
        assert isinstance(r["other_dates"], list)
        assert_claim_row(G, {**r, "date": r["claim_date"]})
    dod = all_formats(capsys, built_dir, "timeline", "--entity", "Pentagon")
    assert dod and dod == [r for r in rows if "dod" in (r["subject"], r["object"])]


# --- no answer, and why -----------------------------------------------------------------
def test_filters_that_match_nothing_say_why(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph
) -> None:
    dated = {r["subject"] for r in api.timeline(graph_dir=built_dir).rows} | {
        r["object"] for r in api.timeline(graph_dir=built_dir).rows
    }
    undated = next(n for n in sorted(G) if n not in dated and G.degree(n))
    n = len(G.nodes[undated]["facts"]) + G.degree(undated)
    code, out, err = run(
        capsys, "timeline", "--entity", undated, "--graph-dir", str(built_dir), "--jsonl"
    )
    assert (code, out) == (0, "")
    assert err == f"no answer: {undated} has {n} fact{'s' * (n != 1)}, none of them dated\n"
    code, out, _ = run(capsys, "timeline", "--entity", undated, "--graph-dir", str(built_dir))
    assert out == f"{undated} has {n} fact{'s' * (n != 1)}, none of them dated\n"
    # a source and a type it says nothing about
    source = "us-japan-cooperation-2024"
    about = {r["type"] for r in api.entities(source=source, graph_dir=built_dir).rows}
    count = len(api.entities(source=source, graph_dir=built_dir).rows)
    other = next(t for t in ("Company", "Person", "Weapon", "Event") if t not in about)
    code, out, err = run(
        capsys,
        "entities",
        "--source",
        source,
        "--type",
        other,
        "--graph-dir",
        str(built_dir),
        "--csv",
    )
    assert (code, out.strip()) == (0, "id,type,label,label_ja,aliases,facts,sources")
    assert err == (
        f"no answer: source {source} has facts about {count} entities, none of "
        f"type {other} (or a subtype)\n"
    )


def test_unknown_type_and_source_suggest(
    capsys: pytest.CaptureFixture[str], built_dir: Path
) -> None:
    code, _, err = run(capsys, "entities", "--type", "Compnay", "--graph-dir", str(built_dir))
    assert (code, err) == (1, "Error: type: unknown type 'Compnay' (did you mean 'Company'?)\n")
    code, _, err = run(
        capsys, "entities", "--source", "us-japan-cooperation-2025", "--graph-dir", str(built_dir)
    )
    assert code == 1
    assert err.startswith(
        "Error: source: no source 'us-japan-cooperation-2025' in the graph "
        "(did you mean 'us-japan-cooperation-2024'"
    )


def test_format_options_are_the_same_everywhere() -> None:
    from graph.cli import cli

    for name in ("show", "path", "deps", "impact", "rank", "timeline", "entities"):
        options = {o for p in cli.commands[name].params for o in getattr(p, "opts", [])}
        assert {
            "--format",
            "--csv",
            "--tsv",
            "--json",
            "--jsonl",
            "--nl",
            "--iris",
            "--max-width",
        } <= options, name


# --- the Python API: typed DataFrames -------------------------------------------------------
def test_dataframes_are_typed(built_dir: Path, G: nx.MultiDiGraph) -> None:
    money = next(
        u
        for u, v, d in sorted(G.edges(data=True), key=lambda e: e[:2])
        if any(ev["amount"] for ev in d["evidence"])
    )
    frame = api.show(money, graph_dir=built_dir).to_dataframe()
    assert str(frame["amount"].dtype) == "Float64" and str(frame["quantity"].dtype) == "Int64"
    assert frame["amount"].notna().any()
    ranked = api.rank(metric="pagerank", top=None, graph_dir=built_dir).to_dataframe()
    assert str(ranked["score"].dtype) == "Float64" and str(ranked["rank"].dtype) == "Int64"
    assert abs(ranked["score"].sum() - 1) < 1e-6
    listed = api.entities(graph_dir=built_dir).to_dataframe()
    assert str(listed["facts"].dtype) == "Int64"
    assert listed["facts"].sum() == sum(len(f) for _, f in G.nodes(data="facts")) + 2 * len(G.edges)


# --- query and conflicts: typed rows beside the SPARQL 1.1 formats ----------------------------
XSD = "http://www.w3.org/2001/XMLSchema#"


def typed_term(term: dict[str, str] | None) -> Any:
    """What a typed row holds for a SPARQL 1.1 JSON term: ids for entity IRIs, numbers,
    booleans; dates and text as written."""
    if term is None:
        return None
    if term["type"] == "uri":
        from graph.namespaces import PREFIXES

        iri = term["value"]
        if iri.startswith(ID_BASE):
            return iri.removeprefix(ID_BASE)
        ns = max(
            (p for p in PREFIXES.items() if iri.startswith(p[1])),
            default=None,
            key=lambda p: len(p[1]),
        )
        return f"{ns[0]}:{iri.removeprefix(ns[1])}" if ns else iri
    datatype = term.get("datatype", "")
    if datatype == XSD + "integer":
        return int(term["value"])
    if datatype in (XSD + "decimal", XSD + "double"):
        return float(term["value"])
    if datatype == XSD + "boolean":
        return term["value"] == "true"
    return term["value"]


@pytest.mark.parametrize(
    "args", [("query", "signatories"), ("query", "procurements"), ("conflicts",)]
)
def test_sparql_commands_typed_rows_agree_with_sparql_json(
    capsys: pytest.CaptureFixture[str], built_dir: Path, args: tuple[str, ...]
) -> None:
    code, out, _ = run(capsys, *args, "--graph-dir", str(built_dir), "--format", "sparql-json")
    assert code == 0
    doc = json.loads(out)
    variables = doc["head"]["vars"]
    expected = [{v: typed_term(b.get(v)) for v in variables} for b in doc["results"]["bindings"]]
    assert expected
    rows = {}
    for fmt in ("csv", "tsv", "json", "jsonl"):
        code, out, _ = run(capsys, *args, "--graph-dir", str(built_dir), "--format", fmt)
        assert code == 0
        rows[fmt] = parse(fmt, out)
    for got, want in zip(rows["jsonl"], expected, strict=True):
        assert set(got) == set(want)
        for key, value in want.items():
            if isinstance(value, float):
                assert got[key] == pytest.approx(value)
            else:
                assert got[key] == value, key
    assert [
        {k: " ".join(text(v).split()) if "\n" in text(v) else text(v) for k, v in r.items()}
        for r in rows["jsonl"]
    ] == rows["tsv"]
    assert rows["json"] == rows["jsonl"]
    # CSV read back, each cell typed by its SPARQL JSON term, is the SPARQL JSON answer.
    bindings = doc["results"]["bindings"]
    for got, want, binding in zip(rows["csv"], expected, bindings, strict=True):
        assert list(got) == variables
        for key, value in want.items():
            cell = csv_typed(got[key], binding.get(key))
            assert cell == (pytest.approx(value) if isinstance(value, float) else value), key


def csv_typed(cell: str, term: dict[str, str] | None) -> Any:
    """A CSV cell read back as the type its SPARQL JSON term has (numbers, booleans), empty
    as None."""
    if term is None:
        assert cell == ""
        return None
    datatype = term.get("datatype", "")
    if datatype == XSD + "integer":
        return int(cell)
    if datatype in (XSD + "decimal", XSD + "double"):
        return float(cell)
    if datatype == XSD + "boolean":
        assert cell in ("true", "false")
        return cell == "true"
    return cell


def grid_cells(out: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a terminal table, wrapped cells joined back with spaces. A row
    starts on a line whose first cell is not empty (the first column must not wrap)."""
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line and set(line) <= {"-", " "})
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[rule])]

    def cut(line: str) -> list[str]:
        return [
            line[a : b + 2 if k < len(spans) - 1 else None].strip()
            for k, (a, b) in enumerate(spans)
        ]

    head = cut(lines[rule - 1])
    rows: list[list[str]] = []
    for line in lines[rule + 1 : -1]:
        cells = cut(line)
        if cells[0]:
            rows.append(cells)
        else:
            rows[-1] = [
                f"{x} {y}".strip() if y else x for x, y in zip(rows[-1], cells, strict=True)
            ]
    return head, [dict(zip(head, r, strict=True)) for r in rows]


@pytest.mark.parametrize("width", ["60", "100"])
def test_terminal_tables_keep_quotes_whole(
    capsys: pytest.CaptureFixture[str], built_dir: Path, width: str
) -> None:
    """Quotes wrap to the width, never cut: joined back, each cell is the whole quote."""
    code, out, _ = run(capsys, "conflicts", "--graph-dir", str(built_dir), "--jsonl")
    rows = parse("jsonl", out)
    assert rows
    code, out, _ = run(capsys, "conflicts", "--graph-dir", str(built_dir), "--max-width", width)
    assert code == 0
    assert out.splitlines()[-1] == f"({len(rows)} row{'s' * (len(rows) != 1)})"
    head, cells = grid_cells(out)
    assert head == list(rows[0])
    assert len(cells) == len(rows)
    for got, want in zip(cells, rows, strict=True):
        for key in ("preferred_quote", "other_quote"):
            # a word longer than its column is broken inside: compare without spaces
            assert "".join(got[key].split()) == "".join(want[key].split())
            assert (
                " ".join(got[key].split()) == " ".join(want[key].split())
                or len(max(want[key].split(), key=len)) > 12
            )


def columns(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.mark.parametrize("width", [60, 90, 140])
def test_terminal_tables_fit_the_width(
    capsys: pytest.CaptureFixture[str], built_dir: Path, width: int
) -> None:
    """Labels wrap so that the table fits; ids and numbers are never cut, so the table is
    only wider than asked when they alone (with the narrowest labels) are."""
    code, out, _ = run(capsys, "entities", "--graph-dir", str(built_dir), "--jsonl")
    rows = parse("jsonl", out)
    code, out, _ = run(capsys, "entities", "--graph-dir", str(built_dir), "--max-width", str(width))
    assert code == 0
    fixed = sum(
        max(len(k), *(columns(str(r[k])) for r in rows))
        for k in ("id", "type", "aliases", "facts", "sources")
    )
    floor = fixed + 2 * 12 + 2 * 6  # two label columns at their narrowest, six gaps
    assert max(columns(line) for line in out.splitlines()) <= max(width, floor)
    head, cells = grid_cells(out)
    assert head == list(rows[0])
    assert [c["id"] for c in cells] == [r["id"] for r in rows]
    for got, want in zip(cells, rows, strict=True):
        assert "".join(got["label"].split()) == "".join(want["label"].split())


def test_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.present.terminal import use_color

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(Tty()) and not use_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(Tty())


@pytest.mark.parametrize("width", [50, 120])
def test_reports_wrap_whole_quotes_to_the_width(
    capsys: pytest.CaptureFixture[str], built_dir: Path, G: nx.MultiDiGraph, width: int
) -> None:
    """The entity card's quotes wrap to --max-width and read back whole."""
    code, out, _ = run(
        capsys, "show", "dod", "--graph-dir", str(built_dir), "--max-width", str(width)
    )
    assert code == 0
    quote_lines = [
        line
        for line in out.splitlines()
        if line.startswith("      ") and not line.lstrip().startswith("— ")
    ]
    assert quote_lines and max(columns(line) for line in quote_lines) <= width
    flat = " ".join(out.split())
    for *_, data in [*G.out_edges("dod", data=True), *G.in_edges("dod", data=True)]:
        for ev in data["evidence"]:
            assert '"' + " ".join(ev["quote"].split()) + '"' in flat
