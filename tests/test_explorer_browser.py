"""The explorer in real headless Chromium (Debian's, driven by playwright-python).

Checks what an analyst relies on: the page draws offline with no console
errors and no network requests, its counts match the graph, search finds
aliases and Japanese labels, type/source/date filters hide what they should,
the detail panel shows verbatim quotes for entities and single facts, labels
switch to Japanese, saved views load back, large views draw with precomputed
positions, and hostile text stays inert. The as-of slider shows exactly the facts
``api.to_networkx(..., as_of=...)`` keeps, on every date; "disputed only" shows exactly
the disputed facts, and the panel puts the claims that agree and disagree side by side.
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
    HEAD_QUOTE,
    big_graph,
    evidence,
    explorer_graph,
    reconciled_data,
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


def test_draws_offline_without_errors_or_requests(
    explorer: ExplorerPage, graph: nx.MultiDiGraph
) -> None:
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
        "bs => bs.map(b => b.getAttribute('data-id'))"
    )
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
    assert quotes == [
        "Japan and the United States co-developed the SM-3 Block IIA",
        "the SM-3 Block IIA, developed cooperatively",
    ]
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
    only_coop = sum(
        1 for _, _, ev in graph.edges(data="evidence") if {e["source"] for e in ev} == {COOP}
    )
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
    [announced] = fresh.js("window.explorer.edgeIds('camp-david-summit-2023', 'gpi-codevelopment')")
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
    assert saved["disputedOnly"] is False
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


def test_screenshot_shows_every_type_in_its_ontology_colour(
    fresh: ExplorerPage, graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from collections import Counter

    from PIL import Image

    from graph.render import styles

    fresh.js("window.explorer.network.unselectAll()")
    fresh.js("window.explorer.network.fit({animation: false})")
    shot = tmp_path_factory.mktemp("screenshot") / "explorer.png"
    fresh.page.locator("#network").screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    with Image.open(shot) as image:
        pixels = Counter({c: n for n, c in image.convert("RGB").getcolors(1 << 24)})
    background, _ = pixels.most_common(1)[0]
    drawn = sum(n for colour, n in pixels.items() if colour != background)
    assert drawn > 0.01 * sum(pixels.values())  # the canvas is not blank

    def rgb(hex_colour: str) -> tuple[int, int, int]:
        return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]

    def seen(colour: tuple[int, int, int]) -> int:
        return sum(
            n
            for c, n in pixels.items()
            if max(abs(a - b) for a, b in zip(c, colour, strict=True)) <= 8
        )

    # Each type of the graph that the ontology styles fills its nodes with its colour.
    types = {t for _, t in graph.nodes(data="type") if t in styles()}
    assert types
    missing = {t: styles()[t][0] for t in types if seen(rgb(styles()[t][0])) < 20}
    assert missing == {}


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


# --- one date rule; agreement and disagreement ----------------------------------------------
@pytest.fixture(scope="module")
def reconciled_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build (graph files and explorer) of a data folder with a conflict and a valid_until."""
    from graph import api

    folder = tmp_path_factory.mktemp("reconciled")
    out = folder / "build"
    api.build(reconciled_data(folder), graph_dir=out)
    return out


def edge_keys(G: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(u, v, k) for u, v, k in G.edges(keys=True)}


def assert_as_of_matches_the_projection(page: ExplorerPage, built: Path) -> list[str]:
    """For every date of the slider, and one before and one after all, the page shows
    the edges ``api.to_networkx(built, as_of=date)`` keeps. Returns the dates tried."""
    from graph import api

    dates = page.js("window.explorer.dates()")
    assert dates
    tried = []
    for i, date in enumerate(dates):
        page.page.fill("#asof", str(i))  # as a user moves the slider
        assert page.text("#asof-value") == date
        shown = {tuple(e) for e in page.js("window.explorer.visibleEdges()")}
        assert shown == edge_keys(api.to_networkx(built, as_of=date)), date
        assert page.js("window.explorer.counts()")["edges"] == len(shown)
        tried.append(date)
    for date in ("1900-01-01", "2999-12-31", dates[0][:4]):
        assert page.js(f"window.explorer.setAsOf({js(date)})") is True
        shown = {tuple(e) for e in page.js("window.explorer.visibleEdges()")}
        assert shown == edge_keys(api.to_networkx(built, as_of=date)), date
        tried.append(date)
    page.page.fill("#asof", str(len(dates)))
    shown = {tuple(e) for e in page.js("window.explorer.visibleEdges()")}
    assert shown == edge_keys(api.to_networkx(built))
    return tried


def test_as_of_shows_what_to_networkx_keeps_with_valid_until(
    browser: Any, reconciled_dir: Path
) -> None:
    from graph import api

    page = ExplorerPage(browser, reconciled_dir / "explorer.html")
    try:
        tried = assert_as_of_matches_the_projection(page, reconciled_dir)
        assert "2024-10" in tried and "2023-01-11" in tried
        # Kishida heads Japan from 2021 until 2024-10: shown then, gone after.
        head = ("kishida-fumio", "japan", "headOf")
        [edge] = page.js("window.explorer.edgeIds('kishida-fumio', 'japan', 'headOf')")
        page.js("window.explorer.setAsOf('2024-10')")
        assert page.js(f"window.explorer.edgeVisible({js(edge)})")
        assert page.js("window.explorer.asOf()") == ["2024-10-01", "2024-10-31"]
        page.js("window.explorer.setAsOf('2024-11-01')")
        assert not page.js(f"window.explorer.edgeVisible({js(edge)})")
        assert head not in edge_keys(api.to_networkx(reconciled_dir, as_of="2024-11-01"))
        page.js("window.explorer.setAsOf('2020-12-31')")
        assert not page.js(f"window.explorer.edgeVisible({js(edge)})")
        assert page.js("window.explorer.setAsOf('not a date')") is False
        assert page.errors == [] and page.requests == []
    finally:
        page.close()


def test_as_of_shows_what_to_networkx_keeps_in_the_built_explorer(
    browser: Any, built_dir: Path
) -> None:
    page = ExplorerPage(browser, built_dir / "explorer.html")
    try:
        assert len(assert_as_of_matches_the_projection(page, built_dir)) > 5
        assert page.errors == [] and page.requests == []
    finally:
        page.close()


def test_disputed_only_shows_exactly_the_disputed_facts(browser: Any, reconciled_dir: Path) -> None:
    from graph import api
    from graph.analysis import fact_marks
    from tests.test_reconcile import ARTICLE, NON_BINDING_SPUN, SIGNED_2023, SIGNED_DAY

    G = api.to_networkx(reconciled_dir)
    disputed = {(u, v, k) for u, v, k, s in G.edges(keys=True, data="status") if s["disputed"]}
    assert disputed == {("rdte-mou", "lloyd-austin", "signedBy")}
    page = ExplorerPage(browser, reconciled_dir / "explorer.html")
    try:
        assert page.text("#disputed-count") == "1"
        page.page.check("#disputed-only")
        assert {tuple(e) for e in page.js("window.explorer.visibleEdges()")} == disputed
        assert page.js("window.explorer.snapshot().disputedOnly") is True
        shown = {n for n in G if page.js(f"window.explorer.isVisible({js(n)})")}
        # The ends of the disputed link, and the SOSA, whose legallyBinding is disputed.
        assert shown == {"rdte-mou", "lloyd-austin", "sosa"}
        # Marks: disputed links dashed and red, corroborated ones thicker.
        [signed] = page.js("window.explorer.edgeIds('rdte-mou', 'lloyd-austin', 'signedBy')")
        [party] = page.js("window.explorer.edgeIds('rdte-mou', 'dod', 'hasParty')")
        drawn = page.js(f"window.explorer.network.body.data.edges.get({js(signed)})")
        assert drawn["dashes"] and drawn["color"]["color"] == "#CC3311"
        assert page.js(f"window.explorer.network.body.data.edges.get({js(party)}).width") > 1
        assert "disputed: sources conflict" in page.text("#side")

        # The panel: the status line in fact_marks' words, both quotes side by side.
        page.js(f"window.explorer.selectEdge({js(signed)})")
        data = G.edges["rdte-mou", "lloyd-austin", "signedBy"]
        assert page.text("#panel .claim .status") == fact_marks(data["status"], data["evidence"])
        assert page.text("#panel .claim .status") == f"2 sources agree; disputed by {ARTICLE}"
        agree = page.page.locator("#panel .sides .agree blockquote").all_text_contents()
        against = page.page.locator("#panel .sides .disagree blockquote").all_text_contents()
        assert agree == [SIGNED_DAY] and against == [SIGNED_2023]
        side = page.text("#panel .sides .disagree")
        assert "stated 2023-01-11" in side and "rank: normal" in side and ARTICLE in side
        assert "rank: preferred" in page.text("#panel .sides .agree")
        boxes = page.js("""[...document.querySelectorAll('#panel .sides .side')].map(
            s => s.getBoundingClientRect()).map(r => [r.left, r.top, r.width])""")
        assert boxes[0][0] < boxes[1][0] and boxes[0][1] == boxes[1][1]  # side by side

        # A disputed literal fact in the entity panel: the value it states, both quotes.
        page.js("window.explorer.select('sosa')")
        fact = page.page.locator('#panel .claim[data-disputed="true"]').first
        assert fact.locator(".status").text_content() == f"disputed by {ARTICLE}"
        assert fact.locator(".agree blockquote").all_text_contents() == [
            "a legally binding agreement"
        ]
        assert fact.locator(".disagree blockquote").all_text_contents() == [NON_BINDING_SPUN]
        assert "states: false" in (fact.locator(".disagree").text_content() or "")
        assert "disputed: states false where the preferred claim states true" in (
            fact.locator(".disagree").text_content() or ""
        )

        page.page.uncheck("#disputed-only")
        assert page.js("window.explorer.counts()")["edges"] == G.number_of_edges()
        # A saved view brings the filter back (and a date it cannot read means all dates).
        assert page.js(
            "window.explorer.restore(Object.assign(window.explorer.snapshot(), "
            "{disputedOnly: true, asOf: '<b>never</b>'}))"
        )
        assert page.js("document.getElementById('disputed-only').checked")
        assert page.js("window.explorer.counts()")["edges"] == 1
        assert page.text("#asof-value") == "all dates"
        page.page.uncheck("#disputed-only")
        # Agreeing sources only: one column, with the status line.
        page.js(f"window.explorer.selectEdge({js(party)})")
        assert page.text("#panel .claim .status") == "2 sources agree"
        assert page.page.locator("#panel .sides").count() == 0
        assert page.page.locator("#panel blockquote").count() == 2
        # A fact no longer valid is marked in the entity panel.
        page.js("window.explorer.setAsOf('2025-01-01')")
        page.js("window.explorer.select('kishida-fumio')")
        assert HEAD_QUOTE in page.text("#panel")
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
    "value": "<img src=x onerror=window.__xss=1> disputed value",
    "rank_reason": "<script>window.__xss=1</script> reason",
}


def hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(
        sources={
            "src": {
                "title": XSS["source"],
                "publisher": None,
                "url": "javascript:window.__xss=1",
                "date": None,
                "notes": "",
            }
        },
        type_labels={"Programme": {"en": XSS["label"], "ja": XSS["alias"]}},
        predicate_labels={},
    )
    for id_, label, aliases in (
        ("a", XSS["label"], [XSS["alias"]]),
        (XSS["id"], XSS["href_label"], []),
    ):
        G.add_node(
            id_,
            iri="urn:x",
            type="Programme",
            label=label,
            label_ja=XSS["alias"],
            aliases=aliases,
            description=XSS["description"],
            external_ids={"wikidata": XSS["external_id"]},
            facts=[
                {
                    "predicate": "p",
                    "predicate_label": XSS["label"],
                    "value": XSS["description"],
                    "datatype": "string",
                    "evidence": [evidence("src", XSS["quote"])],
                }
            ],
            dates=["2023"],
            sources=["src"],
        )
    # A disputed link: the disagreeing claim states a hostile value with a hostile reason.
    G.add_edge(
        "a",
        XSS["id"],
        key="buildsOn",
        predicate="buildsOn",
        predicate_label=XSS["predicate"],
        iri="urn:p",
        evidence=[
            evidence(
                "src",
                XSS["quote"],
                "2023",
                claim="urn:c1",
                rank="preferred",
                rank_reason=XSS["rank_reason"],
                links={"conflicts_with": ["urn:c2"]},
            ),
            evidence(
                XSS["source"],
                XSS["alias"],
                "2023",
                claim="urn:c2",
                rank="normal",
                rank_reason=XSS["rank_reason"],
                asserted=False,
                value=XSS["value"],
                links={"conflicts_with": ["urn:c1"]},
            ),
        ],
    )
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
        for key in ("label", "alias", "description", "external_id", "quote", "predicate", "source"):
            assert XSS[key] in panel, key
        page.js(f"window.explorer.select({js(XSS['id'])})")
        panel = page.text("#panel")
        assert XSS["id"] in panel and XSS["href_label"] in panel
        [edge] = page.js(f"window.explorer.edgeIds('a', {js(XSS['id'])})")
        page.js(f"window.explorer.selectEdge({js(edge)})")
        side = page.text("#panel .sides .disagree")
        assert XSS["value"] in side and XSS["rank_reason"] in side and XSS["alias"] in side
        assert page.text("#panel .claim .status") == f"disputed by {XSS['source']}"
        page.page.check("#disputed-only")
        assert page.js("window.explorer.counts()")["edges"] == 1
        page.page.click("#lang")
        page.page.mouse.move(700, 450)
        page.page.mouse.click(700, 450)
        assert page.text("#types").count(XSS["label"]) == 1
        assert page.js("typeof window.__xss") == "undefined"
        assert page.dialogs == []
        assert (
            page.page.locator(
                "#panel img, #panel script, #panel iframe, #panel a, #results img, "
                "#results script, #side iframe, #side b, .vis-tooltip"
            ).count()
            == 0
        )
        assert page.js("document.title") == XSS["description"]
        assert page.errors == [] and page.requests == []
    finally:
        page.close()
