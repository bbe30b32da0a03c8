"""The explorer page, without a browser: views, self-containment, escaping, layout."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from graph import api
from graph.errors import EntityNotFound, NoPathError, RenderError
from graph.render import LAYOUT_THRESHOLD, build_network, compute_layout, render_html, select_view


@pytest.fixture(scope="module")
def G(built_dir: Path) -> nx.MultiDiGraph:
    return api.to_networkx(built_dir)


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_page_is_self_contained(G: nx.MultiDiGraph) -> None:
    html = render_html(G)
    assert re.findall(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=""", html) == []
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "vis.Network" in html and "cdn" not in html.lower().replace("cdnjs", "")
    data = page_data(html)
    assert len(data["nodes"]) == G.number_of_nodes()
    assert len(data["edges"]) == G.number_of_edges()


def test_every_edge_carries_its_quotes(G: nx.MultiDiGraph) -> None:
    data = page_data(render_html(G))
    for edge in data["edges"]:
        assert edge["evidence"] and all(e["quote"] for e in edge["evidence"])
    gpi = [e for e in data["edges"] if e["from"] == "gpi-codevelopment"
           and e["predicate"] == "buildsOn"]
    assert gpi and "Block-3 IIA" in gpi[0]["evidence"][0]["quote"]


@pytest.mark.parametrize(
    ("view", "must", "must_not"),
    [
        ("ego:gpi", {"gpi", "gpi-codevelopment"}, {"tomahawk"}),
        ("ego:gpi:2", {"gpi", "gpi-codevelopment", "usa", "sm-3-block-iia-codevelopment"},
         {"tomahawk"}),
        ("path:METI,Tomahawk", {"meti", "japan-defence-industry", "japan", "tomahawk"},
         {"usa"}),
        ("deps:gpi-codevelopment", {"gpi-codevelopment", "sm-3-block-iia-codevelopment"},
         {"gpi", "usa"}),
        ("source:us-japan-cooperation-2024", {"gpi", "meti", "dod"}, set()),
    ],
)
def test_views(G: nx.MultiDiGraph, view: str, must: set[str], must_not: set[str]) -> None:
    sub = select_view(G, view)
    assert must <= set(sub.nodes)
    assert not (must_not & set(sub.nodes))


def test_view_errors(G: nx.MultiDiGraph) -> None:
    with pytest.raises(RenderError, match="unknown view 'sideways'"):
        select_view(G, "sideways")
    with pytest.raises(EntityNotFound):
        select_view(G, "ego:nothing-like-this")
    with pytest.raises(RenderError, match="no source 'nope'"):
        select_view(G, "source:nope")
    lonely = G.copy()
    lonely.add_node("island", label="Island", type="Resource", aliases=[])
    with pytest.raises(NoPathError):
        select_view(lonely, "path:island,gpi")


def test_hostile_text_cannot_close_the_script(G: nx.MultiDiGraph) -> None:
    H = G.copy()
    H.nodes["gpi"]["label"] = "</script><script>window.__xss=1</script>"
    html = render_html(H, title="<b>t</b>")
    assert "</script><script>window.__xss" not in html
    assert "<title>&lt;b&gt;t&lt;/b&gt;</title>" in html
    assert page_data(html)["nodes"][[n["id"] for n in page_data(html)["nodes"]].index("gpi")][
        "label"] == "</script><script>window.__xss=1</script>"


def test_large_views_get_positions_and_no_physics() -> None:
    big = nx.gnm_random_graph(LAYOUT_THRESHOLD + 50, 600, seed=1, directed=True)
    G = nx.MultiDiGraph()
    for n in big.nodes:
        G.add_node(str(n), label=f"n{n}", type="Company")
    for u, v in big.edges:
        G.add_edge(str(u), str(v), key="requires", predicate_label="requires", evidence=[])
    net = build_network(G)
    assert all("x" in n and "y" in n for n in net.nodes)
    assert net.options.physics.enabled is False
    small = build_network(G.subgraph([str(i) for i in range(20)]).copy())
    assert all("x" not in n for n in small.nodes)
    assert compute_layout(G, seed=3) == compute_layout(G, seed=3)


def test_build_writes_the_explorer(built_dir: Path) -> None:
    html = (built_dir / "explorer.html").read_text(encoding="utf-8")
    assert len(page_data(html)["nodes"]) >= 30


def test_render_writes_atomically(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "v.html"
    html = render_html(G, view="ego:dod", out=out)
    assert out.read_text(encoding="utf-8") == html
    assert [p.name for p in tmp_path.iterdir()] == ["v.html"]
