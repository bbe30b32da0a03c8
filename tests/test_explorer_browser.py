"""The explorer in real headless Chromium (Debian's, driven by playwright-python).

Checks what an analyst relies on: the page draws offline with no console
errors and no network requests, its counts match the graph, search finds
aliases and Japanese labels, type/source/date filters hide what they should,
the detail panel shows verbatim quotes for entities and single facts, labels
switch to Japanese, saved views load back, large views draw with precomputed
positions, and hostile text stays inert.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.render import LAYOUT_THRESHOLD, render_html
from tests.support.browser import ExplorerPage, chromium, wait_for
from tests.test_render import (
    BUILDS_ON_QUOTE,
    COOP,
    GPI_QUOTE,
    big_graph,
    evidence,
    explorer_graph,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as context:
        yield context


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return explorer_graph()


@pytest.fixture(scope="module")
def page_path(graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("explorer") / "explorer.html"
    render_html(graph, out=path, title="US–Japan alliance explorer")
    return path


@pytest.fixture(scope="module")
def explorer(browser: Any, page_path: Path) -> Iterator[ExplorerPage]:
    page = ExplorerPage(browser, page_path)
    yield page
    page.close()


@pytest.fixture
def fresh(browser: Any, page_path: Path) -> Iterator[ExplorerPage]:
    """A page of its own, for tests that change filters or positions."""
    page = ExplorerPage(browser, page_path)
    yield page
    assert page.errors == [] and page.requests == []
    page.close()


def js(value: Any) -> str:
    return json.dumps(value)


def test_draws_offline_without_errors_or_requests(explorer: ExplorerPage,
                                                  graph: nx.MultiDiGraph) -> None:
    assert explorer.js("document.querySelectorAll('#network canvas').length") == 1
    assert explorer.js("window.explorer.firstDraw > 0")
    positions = explorer.js("window.explorer.positions()")
    assert set(positions) == set(graph.nodes)
    # Physics settled the layout and was switched off: nodes stay where they are.
    assert explorer.js("window.explorer.network.physics.options.enabled") is False
    assert explorer.errors == []
    assert explorer.requests == []
    assert explorer.js("document.body.getAttribute('data-ready')") == "true"


def test_counts_match_the_graph(explorer: ExplorerPage, graph: nx.MultiDiGraph) -> None:
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    counts = explorer.js("window.explorer.counts()")
    assert (counts["nodes"], counts["edges"]) == (n, m)
    assert explorer.text("#counts") == f"{n} entities, {m} facts shown"
    assert explorer.page.get_attribute("#counts", "data-nodes") == str(n)
    assert explorer.js("window.explorer.network.body.data.edges.length") == m


def test_legend_names_types_in_english_and_japanese(explorer: ExplorerPage) -> None:
    legend = explorer.page.locator("#types li").all_text_contents()
    assert "Weapon system / 兵器システム3" in legend
    assert explorer.page.locator("#types li svg").count() == len(legend) == 8


def test_search_finds_an_entity_by_an_alias(explorer: ExplorerPage) -> None:
    explorer.page.fill("#search", "glide-part interceptor")
    ids = explorer.page.locator("#results button").evaluate_all(
        "bs => bs.map(b => b.getAttribute('data-id'))")
    assert ids == ["gpi"]
    assert "Glide-Part Interceptor" in explorer.text("#results")
    explorer.page.click('#results button[data-id="gpi"]')
    assert explorer.text("#panel h3") == "Glide Phase Interceptor"
    assert explorer.js("window.explorer.network.getSelectedNodes()") == ["gpi"]
    # Japanese labels and other aliases, any case; Enter picks the best match.
    assert explorer.js("window.explorer.search('経済産業')") == ["meti"]
    assert explorer.js("window.explorer.search('division of protection')") == ["dod"]
    explorer.page.fill("#search", "jmod")
    explorer.page.press("#search", "Enter")
    assert explorer.text("#panel h3") == "Ministry of Defense (Japan)"
    explorer.page.fill("#search", "")


def test_clicking_a_node_shows_its_claims_with_verbatim_quotes(explorer: ExplorerPage) -> None:
    # A real mouse click on the node's position on the canvas.
    point = explorer.js("""(() => {
        const net = window.explorer.network;
        net.moveTo({position: net.getPositions(['gpi-codevelopment'])['gpi-codevelopment'],
                    scale: 1.2, animation: false});
        const p = net.canvasToDOM(net.getPositions(['gpi-codevelopment'])['gpi-codevelopment']);
        const box = document.querySelector('#network canvas').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    })()""")
    explorer.page.mouse.click(point["x"], point["y"])
    assert explorer.text("#panel h3") == "GPI co-development"
    panel = explorer.text("#panel")
    assert "GPI共同開発" in panel and "Programme / 計画" in panel
    quotes = explorer.page.locator("#panel blockquote").all_text_contents()
    assert GPI_QUOTE in quotes and BUILDS_ON_QUOTE in quotes
    claims = explorer.page.locator("#panel .claim .fact").all_text_contents()
    assert any(c.startswith("builds on → SM-3 Block IIA co-development") for c in claims)
    assert any(c.startswith("co-developed by → United States") for c in claims)
    assert any(c.startswith("Camp David Summit → announced") for c in claims)
    assert "— US–Japan defence cooperation (Research service, 2024-05-01)" in panel
    assert "stated 2023-08" in panel


def test_panel_shows_facts_aliases_and_external_ids(explorer: ExplorerPage) -> None:
    assert explorer.js("window.explorer.select('export-rule-revision-2023')")
    panel = explorer.text("#panel")
    assert "binding: true (boolean)" in panel
    assert "The Cabinet decided the revision of the Three Principles" in panel
    explorer.js("window.explorer.select('usa')")
    rows = explorer.page.locator("#panel dd").all_text_contents()
    assert "Q30" in rows and "USA; US" in rows
    explorer.js("window.explorer.select('lloyd-austin')")
    assert "valid from 2021-01-22 · role: Secretary of Defense" in explorer.text("#panel")


def test_clicking_an_edge_shows_its_claims(explorer: ExplorerPage) -> None:
    [edge] = explorer.js("window.explorer.edgeIds('sm-3-codevelopment', 'sm-3-block-iia')")
    assert explorer.js(f"window.explorer.selectEdge({js(edge)})")
    assert explorer.text("#panel h3") == "develops"
    quotes = explorer.page.locator("#panel blockquote").all_text_contents()
    assert quotes == ["Japan and the United States co-developed the SM-3 Block IIA",
                      "the SM-3 Block IIA, developed cooperatively"]
    assert "— Defense of Japan 2024" in explorer.text("#panel")
    # The panel's "fact" link leads from an entity to a single fact too.
    explorer.js("window.explorer.select('gpi')")
    explorer.page.locator("#panel .claim .hidden-note button").first.click()
    assert explorer.page.get_attribute("#panel", "data-edge") is not None
    assert GPI_QUOTE in explorer.page.locator("#panel blockquote").all_text_contents()


def test_type_filter_hides_what_it_should(fresh: ExplorerPage) -> None:
    before = fresh.js("window.explorer.counts()")
    fresh.page.uncheck('input[data-type="WeaponSystem"]')
    for weapon in ("gpi", "sm-3-block-iia", "patriot-pac-3"):
        assert not fresh.js(f"window.explorer.isVisible({js(weapon)})")
    assert fresh.js("window.explorer.isVisible('gpi-codevelopment')")
    [develops] = fresh.js("window.explorer.edgeIds('gpi-codevelopment', 'gpi')")
    assert not fresh.js(f"window.explorer.edgeVisible({js(develops)})")
    after = fresh.js("window.explorer.counts()")
    assert (after["nodes"], after["edges"]) == (before["nodes"] - 3, before["edges"] - 2)
    assert fresh.text("#counts") == "13 entities, 13 facts shown (of 16 and 15)"
    fresh.page.check('input[data-type="WeaponSystem"]')
    assert fresh.js("window.explorer.counts()") == before


def test_source_filter(fresh: ExplorerPage, graph: nx.MultiDiGraph) -> None:
    only_coop = sum(1 for _, _, ev in graph.edges(data="evidence")
                    if {e["source"] for e in ev} == {COOP})
    fresh.page.uncheck(f'input[data-source="{COOP}"]')
    counts = fresh.js("window.explorer.counts()")
    assert counts["edges"] == graph.number_of_edges() - only_coop
    [visit] = fresh.js("window.explorer.edgeIds('state-visit-2024', 'japan')")
    [both] = fresh.js("window.explorer.edgeIds('sm-3-codevelopment', 'sm-3-block-iia')")
    assert not fresh.js(f"window.explorer.edgeVisible({js(visit)})")
    assert fresh.js(f"window.explorer.edgeVisible({js(both)})")  # also in the white paper
    assert not fresh.js("window.explorer.isVisible('gpi')")
    assert fresh.js("window.explorer.isVisible('sm-3-codevelopment')")


def test_as_of_date_hides_later_facts(fresh: ExplorerPage) -> None:
    dates = fresh.js("window.explorer.dates()")
    assert dates[0] == "2021-01-22" and dates[-1] == "2024-04-10"
    # Move the slider to 2023-12-22, as a user would (input event).
    fresh.page.fill("#asof", str(dates.index("2023-12-22")))
    assert fresh.text("#asof-value") == "2023-12-22"
    [visit] = fresh.js("window.explorer.edgeIds('state-visit-2024', 'japan')")
    [announced] = fresh.js("window.explorer.edgeIds('camp-david-summit-2023', "
                           "'gpi-codevelopment')")
    [undated] = fresh.js("window.explorer.edgeIds('dod', 'usa')")
    assert not fresh.js(f"window.explorer.edgeVisible({js(visit)})")
    assert fresh.js(f"window.explorer.edgeVisible({js(announced)})")
    assert fresh.js(f"window.explorer.edgeVisible({js(undated)})")
    assert not fresh.js("window.explorer.isVisible('state-visit-2024')")
    assert fresh.js("window.explorer.counts()")["edges"] == 13
    # Month precision: as of 2023-08-10 the August 2023 facts count, the 18th's not yet.
    fresh.js("window.explorer.setAsOf('2023-08-10')")
    [develops] = fresh.js("window.explorer.edgeIds('gpi-codevelopment', 'gpi')")
    assert fresh.js(f"window.explorer.edgeVisible({js(develops)})")
    assert not fresh.js(f"window.explorer.edgeVisible({js(announced)})")
    fresh.page.fill("#asof", str(len(dates)))
    assert fresh.text("#asof-value") == "all dates"
    assert fresh.js("window.explorer.counts()")["edges"] == 15


def test_labels_switch_to_japanese(fresh: ExplorerPage) -> None:
    fresh.page.click("#lang")
    assert fresh.js("window.explorer.label('meti')") == "経済産業省"
    [builds] = fresh.js("window.explorer.edgeIds('gpi-codevelopment', 'sm-3-codevelopment')")
    assert fresh.js(f"window.explorer.edgeLabel({js(builds)})") == "基礎とする"
    assert fresh.text("#lang") == "English"
    fresh.js("window.explorer.select('gpi-codevelopment')")
    assert "基礎とする → SM-3ブロックIIA共同開発" in fresh.text("#panel")
    fresh.page.fill("#search", "GPI")
    assert "滑空段階迎撃ミサイル" in fresh.text("#results")
    fresh.page.click("#lang")
    assert fresh.js("window.explorer.label('meti')") == "Ministry of Economy, Trade and Industry"


def test_saved_view_downloads_and_loads_back(fresh: ExplorerPage, tmp_path: Path) -> None:
    fresh.page.uncheck('input[data-type="Person"]')
    with fresh.page.expect_download() as download:
        fresh.page.click("#save")
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert saved["format"] == "alliance-graph-view/1"
    assert saved["types"]["Person"] is False and "gpi" in saved["positions"]
    saved["positions"]["gpi"] = {"x": 1234, "y": -567}
    saved["types"]["Person"] = True
    saved["lang"] = "ja"
    saved["asOf"] = "2023-12-22"
    path = tmp_path / "view.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    fresh.page.set_input_files("#load", str(path))
    wait_for(fresh.page, "window.explorer.lang === 'ja'")
    position = fresh.js("window.explorer.positions()['gpi']")
    assert (round(position["x"]), round(position["y"])) == (1234, -567)
    assert fresh.js("window.explorer.isVisible('lloyd-austin')")
    assert not fresh.js("window.explorer.isVisible('state-visit-2024')")
    assert fresh.text("#asof-value") == "2023-12-22"


def test_screenshot(explorer: ExplorerPage, tmp_path_factory: pytest.TempPathFactory) -> None:
    explorer.js("window.explorer.network.fit({animation: false})")
    explorer.js("window.explorer.select('gpi-codevelopment')")
    explorer.js("window.explorer.network.fit({animation: false})")
    explorer.page.fill("#search", "interceptor")
    shot = tmp_path_factory.mktemp("screenshot") / "explorer.png"
    explorer.page.screenshot(path=str(shot))
    explorer.page.fill("#search", "")
    assert shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")


def test_large_view_draws_with_precomputed_positions(browser: Any, tmp_path: Path) -> None:
    G = big_graph(LAYOUT_THRESHOLD + 100)
    path = tmp_path / "big.html"
    render_html(G, out=path)
    page = ExplorerPage(browser, path)
    try:
        assert page.js("window.explorer.large") is True
        assert page.js("window.explorer.network.physics.options.enabled") is False
        assert page.js("window.explorer.counts()")["nodes"] == G.number_of_nodes()
        assert page.js("Object.keys(window.explorer.positions()).length") == G.number_of_nodes()
        assert page.errors == [] and page.requests == []
    finally:
        page.close()


def test_the_built_explorer_draws(browser: Any, built_dir: Path) -> None:
    from graph import api

    G = api.to_networkx(built_dir)
    page = ExplorerPage(browser, built_dir / "explorer.html")
    try:
        counts = page.js("window.explorer.counts()")
        assert (counts["nodes"], counts["edges"]) == (G.number_of_nodes(), G.number_of_edges())
        assert page.js("window.explorer.search('Glide-Part Interceptor')")[0] == "gpi"
        assert page.errors == [] and page.requests == []
    finally:
        page.close()


# --- hostile text -------------------------------------------------------------------------
XSS = {
    "label": "<img src=x onerror=window.__xss=1>",
    "alias": '"><script>window.__xss=1</script>',
    "description": "</script><script>window.__xss=1</script>",
    "external_id": "javascript:window.__xss=1",
    "href_label": 'see <a href="javascript:window.__xss=1">this href</a>',
    "quote": "<svg/onload=window.__xss=1> quoted",
    "id": '"><svg onload=window.__xss=1>',
    "predicate": "<i onmouseover=window.__xss=1>builds on</i>",
    "source": "<b>Source</b><iframe src=javascript:window.__xss=1>",
}


def hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(sources={"src": {"title": XSS["source"], "publisher": None,
                                         "url": "javascript:window.__xss=1", "date": None,
                                         "notes": ""}},
                        type_labels={"Programme": {"en": XSS["label"], "ja": XSS["alias"]}},
                        predicate_labels={})
    for id_, label, aliases in (("a", XSS["label"], [XSS["alias"]]),
                                (XSS["id"], XSS["href_label"], [])):
        G.add_node(id_, iri="urn:x", type="Programme", label=label, label_ja=XSS["alias"],
                   aliases=aliases, description=XSS["description"],
                   external_ids={"wikidata": XSS["external_id"]},
                   facts=[{"predicate": "p", "predicate_label": XSS["label"],
                           "value": XSS["description"], "datatype": "string",
                           "evidence": [evidence("src", XSS["quote"])]}],
                   dates=["2023"], sources=["src"])
    G.add_edge("a", XSS["id"], key="buildsOn", predicate="buildsOn",
               predicate_label=XSS["predicate"], iri="urn:p",
               evidence=[evidence("src", XSS["quote"], "2023")])
    return G


def test_hostile_text_stays_inert(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    render_html(hostile_graph(), out=path, title=XSS["description"])
    page = ExplorerPage(browser, path)
    try:
        page.page.fill("#search", "window.__xss")
        results = page.text("#results")
        assert XSS["label"] in results and XSS["href_label"] in results
        page.page.click('#results button[data-id="a"]')
        panel = page.text("#panel")
        for key in ("label", "alias", "description", "external_id", "quote", "predicate",
                    "source"):
            assert XSS[key] in panel, key
        page.js(f"window.explorer.select({js(XSS['id'])})")
        panel = page.text("#panel")
        assert XSS["id"] in panel and XSS["href_label"] in panel
        [edge] = page.js(f"window.explorer.edgeIds('a', {js(XSS['id'])})")
        page.js(f"window.explorer.selectEdge({js(edge)})")
        page.page.click("#lang")
        page.page.mouse.move(700, 450)
        page.page.mouse.click(700, 450)
        assert page.text("#types") .count(XSS["label"]) == 1
        assert page.js("typeof window.__xss") == "undefined"
        assert page.dialogs == []
        assert page.page.locator(
            "#panel img, #panel script, #panel iframe, #panel a, #results img, "
            "#results script, #side iframe, #side b, .vis-tooltip").count() == 0
        assert page.js("document.title") == XSS["description"]
        assert page.errors == [] and page.requests == []
    finally:
        page.close()
