"""The explorer in real headless Chromium (Debian's, driven by playwright-python).

Checks what an analyst relies on: it draws offline with no console errors and
no network requests, counts match the graph, search finds spun aliases,
filters hide what they should, the detail panel shows verbatim quotes, labels
switch to Japanese, and hostile text stays inert.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph import api
from graph.render import render_html
from tests.support.browser import chromium, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as context:
        yield context


class Page:
    """An opened explorer page with its console errors, requests and dialogs."""

    def __init__(self, context: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        wait_for(self.page, "window.explorer && window.explorer.ready")

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def explorer(browser: Any, built_dir: Path) -> Iterator[Page]:
    page = Page(browser, built_dir / "explorer.html")
    yield page
    page.close()


def test_draws_offline_without_errors_or_requests(explorer: Page) -> None:
    assert explorer.js("document.querySelector('#network canvas') !== null")
    assert explorer.errors == []
    assert [u for u in explorer.requests if u != explorer.url] == []


def test_counts_match_the_graph(explorer: Page, built_dir: Path) -> None:
    G = api.to_networkx(built_dir)
    counts = explorer.js("window.explorer.counts()")
    assert (counts["nodes"], counts["edges"]) == (G.number_of_nodes(), G.number_of_edges())
    assert explorer.page.text_content("#counts") == (
        f"{G.number_of_nodes()} entities, {G.number_of_edges()} facts shown")


def test_search_finds_an_entity_by_a_spun_alias(explorer: Page) -> None:
    explorer.page.fill("#search", "Glide-Part Interceptor")
    buttons = explorer.page.locator("#results button")
    assert buttons.count() >= 1
    ids = [buttons.nth(i).get_attribute("data-id") for i in range(buttons.count())]
    assert "gpi" in ids
    explorer.page.click('#results button[data-id="gpi"]')
    assert explorer.page.text_content("#panel h3") == "Glide Phase Interceptor"
    assert explorer.js("window.explorer.search('division of protection')") == ["dod"]


def test_panel_shows_what_gpi_builds_on_and_who_co_develops_it(explorer: Page) -> None:
    explorer.js("window.explorer.select('gpi-codevelopment')")
    panel = explorer.page.text_content("#panel") or ""
    assert "builds on → SM-3 Block IIA co-development" in panel
    assert "co-developed by → United States" in panel and "co-developed by → Japan" in panel
    quotes = explorer.page.locator("#panel blockquote").all_text_contents()
    assert ("Constructing upon the previous success in cooperative growth in ballistic missile "
            "protection packages. together with Customary Missile (SM) Block-3 IIA, the GPI "
            "co-development") in quotes
    assert "— US–Japan defence cooperation" in panel


def test_type_filter_hides_what_it_should(explorer: Page) -> None:
    before = explorer.js("window.explorer.counts()")
    explorer.page.uncheck('input[data-type="WeaponSystem"]')
    try:
        assert not explorer.js("window.explorer.isVisible('gpi')")
        assert explorer.js("window.explorer.isVisible('gpi-codevelopment')")
        assert explorer.js("window.explorer.counts()")["nodes"] == before["nodes"] - 4
    finally:
        explorer.page.check('input[data-type="WeaponSystem"]')
    assert explorer.js("window.explorer.counts()") == before


def test_source_filter(explorer: Page) -> None:
    before = explorer.js("window.explorer.counts()")
    explorer.page.uncheck('input[data-source="us-japan-cooperation-2024"]')
    try:
        assert explorer.js("window.explorer.counts()")["edges"] == 0
    finally:
        explorer.page.check('input[data-source="us-japan-cooperation-2024"]')
    assert explorer.js("window.explorer.counts()") == before


def test_as_of_date_hides_later_facts(explorer: Page) -> None:
    before = explorer.js("window.explorer.counts()")
    edge = explorer.js("""window.explorer.network.body.data.edges.get({filter: e =>
        e.from === 'state-visit-2024' && e.to === 'white-house'})[0].id""")
    explorer.page.select_option("#asof", label="2023-12-22")
    try:
        assert not explorer.js(f"window.explorer.edgeVisible('{edge}')")
        assert explorer.js("window.explorer.counts()")["edges"] < before["edges"]
        signed = explorer.js("""window.explorer.network.body.data.edges.get({filter: e =>
            e.from === 'rdte-mou' && e.to === 'lloyd-austin'})[0].id""")
        assert explorer.js(f"window.explorer.edgeVisible('{signed}')")
    finally:
        explorer.page.select_option("#asof", value="")
    assert explorer.js("window.explorer.counts()") == before


def test_labels_switch_to_japanese(explorer: Page) -> None:
    explorer.page.click("#lang")
    try:
        label = explorer.js("window.explorer.network.body.data.nodes.get('meti').label")
        assert label == "経済産業省"
    finally:
        explorer.page.click("#lang")
    assert explorer.js("window.explorer.network.body.data.nodes.get('meti').label") == (
        "Ministry of Economy, Trade and Industry")


def test_saved_view_restores_positions(explorer: Page) -> None:
    saved = explorer.js("window.explorer.snapshot()")
    saved["positions"]["gpi"] = {"x": 1234, "y": -567}
    assert explorer.js(f"window.explorer.restore({__import__('json').dumps(saved)})")
    position = explorer.js("window.explorer.positions()['gpi']")
    assert (round(position["x"]), round(position["y"])) == (1234, -567)


def test_screenshot(explorer: Page, tmp_path: Path) -> None:
    explorer.js("window.explorer.select('gpi-codevelopment')")
    shot = tmp_path / "explorer.png"
    explorer.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000


PAYLOAD = "<img src=x onerror=window.__xss=1>"


def hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(sources={"src": {"title": "<b>Source</b><script>window.__xss=1</script>"}},
                        type_labels={}, predicate_labels={}, dependency_predicates=["buildsOn"])
    evidence = [{"claim": "c1", "source": "src", "source_title": "s",
                 "quote": '"><script>window.__xss=1</script> quoted', "date": "2023",
                 "valid_from": None, "valid_until": None, "role": None, "amount": None,
                 "currency": None}]
    G.add_node("a", iri="urn:a", type="Programme", label=PAYLOAD, label_ja=None,
               aliases=['<a href="javascript:window.__xss=1">alias</a>'],
               description="</script><script>window.__xss=1</script>",
               external_ids={"wikidata": "javascript:window.__xss=1"}, facts=[], dates=["2023"],
               sources=["src"])
    odd = '"><svg onload=window.__xss=1>'
    G.add_node(odd, iri="urn:b", type="Programme", label="plain href label", label_ja=None,
               aliases=[], description=None, external_ids={}, facts=[], dates=[],
               sources=["src"])
    G.add_edge("a", odd, key="buildsOn", predicate="buildsOn",
               predicate_label="<i onmouseover=window.__xss=1>builds on</i>", iri="urn:p",
               evidence=evidence)
    return G


def test_hostile_text_stays_inert(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    G = hostile_graph()
    render_html(G, out=path, title="<script>window.__xss=1</script>")
    page = Page(browser, path)
    try:
        odd = '"><svg onload=window.__xss=1>'
        page.js("window.explorer.select('a')")
        page.page.fill("#search", "javascript")
        page.page.click("#results button")
        panel = page.page.text_content("#panel") or ""
        assert PAYLOAD in panel
        assert "</script><script>window.__xss=1</script>" in panel
        assert "javascript:window.__xss=1" in panel
        assert '"><script>window.__xss=1</script> quoted' in panel
        page.js(f"window.explorer.select({__import__('json').dumps(odd)})")
        assert odd in (page.page.text_content("#panel") or "")
        page.page.mouse.move(700, 450)
        assert page.js("typeof window.__xss") == "undefined"
        assert page.dialogs == []
        assert page.page.locator("#panel img, #panel script, #panel svg, #panel a").count() == 0
        assert page.js("document.title") == "<script>window.__xss=1</script>"
        assert [u for u in page.requests if u != page.url] == []
    finally:
        page.close()
