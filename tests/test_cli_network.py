"""The network commands, run in-process: exact messages and exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_path_meti_tomahawk(capsys: pytest.CaptureFixture[str], built_dir: Path,
                            G: nx.MultiDiGraph) -> None:
    code, out, err = run(capsys, "path", "METI", "Tomahawk", "--out", str(built_dir))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == ("Path 1 of 1 (3 hops): Ministry of Economy, Trade and Industry "
                        "→ Tomahawk")
    hops = [line for line in lines if line.startswith("  ") and line[2:3].isdigit()]
    assert hops == [
        "  1. Ministry of Economy, Trade and Industry —promotes→ Japan's defence industry",
        "  2. Japan's defence industry —industrial base of→ Japan",
        "  3. Japan —procures→ Tomahawk"]
    for u, v, key in [("meti", "japan-defence-industry", "promotes"),
                      ("japan-defence-industry", "japan", "industrialBaseOf"),
                      ("japan", "tomahawk", "procures")]:
        quote = G.edges[u, v, key]["evidence"][0]["quote"]
        assert f'"{quote}"' in squash(out)
    assert out.count(SOURCE_LINE) == 3
    assert "amount 2,400,000,000 USD" in out


def test_path_k_shortest(capsys: pytest.CaptureFixture[str], built_dir: Path) -> None:
    code, out, _ = run(capsys, "path", "meti", "tomahawk", "--k", "3", "--out", str(built_dir))
    assert code == 0
    assert [line.split(":")[0] for line in out.splitlines() if line.startswith("Path ")] == [
        "Path 1 of 3 (3 hops)", "Path 2 of 3 (4 hops)", "Path 3 of 3 (4 hops)"]
    assert "Japan's defence industry ←benefits— GPI co-development programme" in out


def test_impact_of_the_revision_by_alias(capsys: pytest.CaptureFixture[str],
                                         built_dir: Path) -> None:
    code, out, err = run(capsys, "impact", "December 2023 export-rule revision",
                         "--out", str(built_dir))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "What depends on Revision of Japan's defence equipment export rules (22 Dec 2023) "
        "[export-rule-revision-2023], transitively: 1 entity (following buildsOn, dependsOn, "
        "enabledBy, licensedFrom, mainCustomer, modelledAfter, requires)")
    assert lines[1] == (
        "  [1] Japan's decision to export Patriot missiles to the US —enabled by→ Revision of "
        "Japan's defence equipment export rules (22 Dec 2023)   (patriot-export-decision)")
    assert ('"The revision was promptly put into follow with Japanese authorities’s '
            "determination to export Patriot missiles, which Japan produces underneath U.S. "
            'license, to the USA."') in squash(out)
    assert lines[-1].strip() == SOURCE_LINE


def test_deps(capsys: pytest.CaptureFixture[str], built_dir: Path) -> None:
    code, out, _ = run(capsys, "deps", "gpi-codevelopment", "--out", str(built_dir))
    assert code == 0
    assert out.splitlines()[1] == ("  [1] GPI co-development programme —builds on→ "
                                   "SM-3 Block IIA co-development   "
                                   "(sm-3-block-iia-codevelopment)")
    code, out, _ = run(capsys, "deps", "tomahawk", "--out", str(built_dir))
    assert code == 0
    assert out.splitlines()[1] == "  nothing: it depends on nothing."


def test_show_prints_every_fact_in_and_out(capsys: pytest.CaptureFixture[str],
                                           built_dir: Path, G: nx.MultiDiGraph) -> None:
    code, out, _ = run(capsys, "show", "Division of Protection", "--out", str(built_dir))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "United States Department of Defense / アメリカ合衆国国防総省"
    assert "  id:          dod" in lines
    assert "  type:        GovernmentAgency (government agency)" in lines
    assert f"links out ({G.out_degree('dod')}):" in lines
    assert f"links in ({G.in_degree('dod')}):" in lines
    assert "  Lloyd Austin —head of→ United States Department of Defense" in lines
    for _, _, data in [*G.out_edges("dod", data=True), *G.in_edges("dod", data=True)]:
        for ev in data["evidence"]:
            assert f'"{ev["quote"]}"' in squash(out)
    assert out.count(SOURCE_LINE) == G.degree("dod")
    assert "role Secretary of Defense" in out


def test_show_literal_facts(capsys: pytest.CaptureFixture[str], built_dir: Path) -> None:
    code, out, _ = run(capsys, "show", "sosa", "--out", str(built_dir))
    assert code == 0
    assert "  legally binding: false" in out.splitlines()


def test_unknown_entity_exits_non_zero(capsys: pytest.CaptureFixture[str],
                                       built_dir: Path) -> None:
    code, out, err = run(capsys, "show", "Tomahwk", "--out", str(built_dir))
    assert (code, out) == (1, "")
    assert err == "Error: no entity 'Tomahwk'; did you mean tomahawk (Tomahawk)?\n"


def test_no_path(capsys: pytest.CaptureFixture[str], built_dir: Path) -> None:
    code, out, err = run(capsys, "path", "meti", "tomahawk", "--predicate", "dependsOn",
                         "--out", str(built_dir))
    assert (code, out) == (1, "")
    assert err == "Error: no path between 'meti' and 'tomahawk': they are not connected\n"


def test_bad_as_of_lists_the_accepted_forms(capsys: pytest.CaptureFixture[str],
                                            built_dir: Path) -> None:
    code, _, err = run(capsys, "rank", "--as-of", "22/12/2023", "--out", str(built_dir))
    assert code == 1
    assert err == ("Error: as_of: '22/12/2023' is not a date (use YYYY, YYYY-MM or "
                   "YYYY-MM-DD, e.g. 2023, 2023-12 or 2023-12-22)\n")


def test_as_of_drops_later_facts(capsys: pytest.CaptureFixture[str], built_dir: Path) -> None:
    _, out, _ = run(capsys, "show", "gpi-codevelopment", "--as-of", "2023-07",
                    "--out", str(built_dir))
    assert "announced by" not in out
    _, out, _ = run(capsys, "show", "gpi-codevelopment", "--as-of", "2023-08",
                    "--out", str(built_dir))
    assert "GPI co-development programme —announced by→ Japan" in out


def test_rank(capsys: pytest.CaptureFixture[str], built_dir: Path) -> None:
    code, out, _ = run(capsys, "rank", "--top", "2", "--out", str(built_dir))
    assert code == 0
    assert out.splitlines() == [
        "degree: facts in and out",
        "rank       score  id                 label (type)",
        "   1          15  japan              Japan (Nation)",
        "   2          10  gpi-codevelopment  GPI co-development programme (Programme)"]
    code, out, _ = run(capsys, "rank", "--metric", "betweenness", "--samples", "5",
                       "--out", str(built_dir))
    assert code == 0
    assert out.splitlines()[0] == (
        "betweenness: SAMPLED estimate from 5 of 34 source entities (seed 0), not exact")
    assert len(out.splitlines()) == 12


def test_timeline(capsys: pytest.CaptureFixture[str], built_dir: Path) -> None:
    code, out, _ = run(capsys, "timeline", "--out", str(built_dir))
    assert code == 0
    entries = [line for line in out.splitlines() if line[:1].isdigit()]
    assert entries[0] == "2021        from   Kishida Fumio —head of→ Japan"
    assert [e.split()[0] for e in entries] == sorted(e.split()[0] for e in entries)
    assert ("2023-08     at     GPI co-development programme —announced by→ United States"
            in entries)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export(capsys: pytest.CaptureFixture[str], built_dir: Path, tmp_path: Path,
                G: nx.MultiDiGraph, fmt: str) -> None:
    target = tmp_path / f"net.{fmt}"
    code, out, _ = run(capsys, "export", "--format", fmt, "--out", str(target),
                       "--graph-dir", str(built_dir))
    assert (code, out) == (0, f"wrote {target}\n")
    H = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    assert json.loads(H.edges["japan", "tomahawk", "procures"]["evidence"]) == \
        G.edges["japan", "tomahawk", "procures"]["evidence"]


def test_not_built(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "show", "dod", "--out", str(tmp_path))
    assert code == 1
    assert err == (f"Error: {tmp_path / 'alliance.nt'}: does not exist "
                   "(run 'alliance-graph build' first)\n")


@pytest.mark.parametrize("name", ["show", "path", "deps", "impact", "rank", "timeline",
                                  "export"])
def test_network_commands_have_help(name: str) -> None:
    command = cli.commands[name]
    assert command.help and len(command.help) > 20
