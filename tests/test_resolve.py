"""The one name resolver: the same rules in the CLI, the Python API and the explorer.

Names are taken from the projection (every label and alias of every entity),
so the cases hold as the corpus grows.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from graph import api
from graph.cli import main
from graph.errors import EntityNotFound
from graph.network import entity_names, resolve_entity, to_networkx
from graph.resolve import DASHES, QUOTES, RULES, Resolver, loose, normalise


@pytest.fixture(scope="module")
def G(built_dir: Path) -> nx.MultiDiGraph:
    return to_networkx(built_dir / "alliance.nt")


@pytest.fixture(scope="module")
def unique_names(G: nx.MultiDiGraph) -> dict[str, str]:
    """Every name (normal form) that names exactly one entity, with that entity."""
    owners: dict[str, set[str]] = {}
    for n in G:
        for name in entity_names(G, n):
            owners.setdefault(normalise(name), set()).add(n)
    return {name: next(iter(o)) for name, o in owners.items() if len(o) == 1}


def test_every_unique_name_resolves_in_any_case_dash_and_quote(
    G: nx.MultiDiGraph, unique_names: dict[str, str]
) -> None:
    resolver = Resolver.of_graph(G)
    tried = 0
    for n in G:
        for name in entity_names(G, n):
            if normalise(name) not in unique_names:
                continue
            variants = {
                name,
                name.upper(),
                name.lower(),
                f"  {name}  ",
                re.sub(f"[{DASHES}]", "-", name),  # ASCII hyphen for any dash
                re.sub(f"[{DASHES}]", "\u2014", name),  # em dash for any dash
                re.sub(f"[{QUOTES}]", "\u2019", name),  # curly for any quote mark
                re.sub(f"[{QUOTES}]", "'", name),
            }
            for variant in variants:
                assert resolver.resolve(variant) == n, variant
                tried += 1
    assert tried > len(G)


def test_named_cases(G: nx.MultiDiGraph) -> None:
    # an entity whose label has an en dash, asked for with an ASCII hyphen
    dashed = next(n for n in sorted(G) if "\u2013" in (G.nodes[n]["label"] or ""))
    assert resolve_entity(G, G.nodes[dashed]["label"].replace("\u2013", "-")) == dashed
    # curly and straight quotes are one
    quoted = next(
        (n, x) for n in sorted(G) for x in entity_names(G, n) if "'" in x or "\u2019" in x
    )
    assert resolve_entity(G, quoted[1].replace("'", "\u2019")) == quoted[0]
    assert resolve_entity(G, quoted[1].replace("\u2019", "'")) == quoted[0]
    # full-width letters (NFKC)
    assert resolve_entity(G, "\uff34\uff4f\uff4d\uff41\uff48\uff41\uff57\uff4b") == "tomahawk"


def test_the_issue_s_name_is_suggested(
    G: nx.MultiDiGraph, capsys: pytest.CaptureFixture[str], built_dir: Path
) -> None:
    """'US-Japan RDT&E MOU' names no entity (the label says Memorandum of Understanding,
    the alias has no 'US-Japan'), so it is not matched but suggested, everywhere."""
    target = next(n for n in G if "RDT&E MOU" in G.nodes[n]["aliases"])
    with pytest.raises(EntityNotFound) as info:
        resolve_entity(G, "US-Japan RDT&E MOU")
    assert str(info.value).startswith(f"no entity 'US-Japan RDT&E MOU'; did you mean {target} (")
    for command in ("show", "deps", "impact"):
        code, out, err = (
            main([command, "US-Japan RDT&E MOU", "--graph-dir", str(built_dir)]),
            *capsys.readouterr(),
        )
        assert (code, out) == (1, "")
        assert err == f"Error: {info.value}\n"


def test_loose_form_and_ambiguity() -> None:
    r = Resolver(
        [("a", "US\u2013Japan RDT&E MOU", []), ("b", "Patriot", ["PAC"]), ("c", "Pac", [])]
    )
    assert loose("US\u2013Japan RDT&E MOU") == loose("us japan rdte mou") == "usjapanrdtemou"
    assert r.resolve("US Japan RDTE MOU") == "a"
    with pytest.raises(
        EntityNotFound,
        match=r"'pac' is ambiguous: it names b \(Patriot\); "
        r"c \(Pac\)",
    ):
        r.resolve("pac")
    assert r.resolve("c") == "c"  # an exact id always wins


def test_no_suggestion_for_nothing_close(G: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFound) as info:
        resolve_entity(G, "zzzzqqq")
    assert "did you mean" not in str(info.value)
    assert "'alliance-graph entities' lists them" in str(info.value)


def test_rules_are_data_a_page_can_apply() -> None:
    """The rules exported to the explorer reproduce :func:`normalise` when applied as a
    page does: NFKC, case folding, the character map, white space collapsed."""
    import unicodedata

    rules = json.loads(json.dumps(RULES))

    def as_a_page(text: str) -> str:
        text = unicodedata.normalize(rules["unicode_form"], text).lower()
        text = "".join(rules["map"].get(c, c) for c in text)
        return " ".join(text.split())

    for sample in (
        "US\u2013Japan RDT&E MOU",
        "Japan\u2019s  \uff2d\uff2f\uff24",
        "\u201cPatriot\u201d \u2014 PAC-3",
        "Kishida\u2010Biden",
    ):
        assert as_a_page(sample) == normalise(sample)


def test_the_explorer_normalises_the_same_way(built_dir: Path) -> None:
    """The page carries the rules as data and its search applies them."""
    page = api.render("all", graph_dir=built_dir)
    data = json.loads(
        re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)[1]
    )  # type: ignore[index]
    assert data["normalise"] == json.loads(json.dumps(RULES))
    assert "normalise(" in page


def test_schema_lists_every_entity_id(
    G: nx.MultiDiGraph, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    listed = out.split("entity ids, by type", 1)[1]
    ids = set(re.findall(r"[\w.-]+", listed))
    assert set(G) <= ids


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the page's code")
def test_the_page_s_normalise_matches_python(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    """The explorer's own normalise(), run by node on every name of the graph and on
    dash and quote variants, gives what graph.resolve gives."""
    from graph.resources import templates_dir

    code = (templates_dir() / "explorer.js").read_text("utf-8")
    snippet = code[code.index("  var NORM =") : code.index("  function search(")]
    samples = sorted({x for n in G for x in entity_names(G, n)})
    samples += ["US-Japan  RDT&E MOU", "Japan\u2019s \uff2d\uff2f\uff24", "\u201cPAC\u20143\u201d"]
    script = tmp_path / "check.js"
    script.write_text(
        f"var DATA = {{normalise: {json.dumps(RULES)}}};\n{snippet}\n"
        f"console.log(JSON.stringify({json.dumps(samples)}.map(normalise)));\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        ["node", str(script)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    got = json.loads(out)
    # JavaScript lower-cases where Python case-folds: they differ only on a few letters
    # (ß, ς …) that no name here uses; the check says so if one ever does.
    assert got == [normalise(s) for s in samples]


def test_query_parameters_read_names_as_the_cli_does(
    G: nx.MultiDiGraph, built_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An entity parameter given by a name with another dash, quote or case binds the
    entity the CLI finds for it; a near miss is an error suggesting it."""
    dashed = next(
        n
        for n in sorted(G)
        if "\u2013" in G.nodes[n]["label"]
        and api.query("entity", {"entity": n}, graph_dir=built_dir).rows
    )
    variant = G.nodes[dashed]["label"].replace("\u2013", "-").upper()
    assert resolve_entity(G, variant) == dashed
    by_id = api.query("entity", {"entity": dashed}, graph_dir=built_dir)
    by_name = api.query("entity", {"entity": variant}, graph_dir=built_dir)
    assert by_name.sorted_rows() == by_id.sorted_rows()
    code = main(
        [
            "query",
            "signatories",
            "-p",
            "agreement=US-Japan RDT&E MOU",
            "--graph-dir",
            str(built_dir),
        ]
    )
    err = capsys.readouterr().err
    target = next(n for n in G if "RDT&E MOU" in G.nodes[n]["aliases"])
    assert code == 1
    assert err.startswith(
        "Error: param: parameter 'agreement': no entity 'US-Japan RDT&E MOU' "
        f"in the graph (did you mean {target} ("
    )
