"""The explorer page without a browser: views, self-containment, escaping, layout, writing.

:func:`explorer_graph` builds a small projection shaped exactly like
:func:`graph.network.to_networkx`'s, so these tests (and the browser tests that
import it) do not depend on the shipped data.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.dates import valid_as_of, validity
from graph.errors import EntityNotFound, NoPathError, RenderError
from graph.explorer_data import claim_sides, date_table, entity_span
from graph.render import (
    DEFAULT_DEPENDENCY_PREDICATES,
    LAYOUT_THRESHOLD,
    build_network,
    compute_layout,
    render_html,
    select_view,
)

COOP = "us-japan-cooperation-2024"
WHITE_PAPER = "defense-of-japan-2024"
EXPORT = "export-rules-2023"

GPI_QUOTE = (
    "the two nations introduced that they are going to embark on a cooperative growth "
    "program for the Glide-Part Interceptor (GPI) in August 2023"
)
BUILDS_ON_QUOTE = (
    "Constructing upon the previous success in cooperative growth in ballistic "
    "missile protection packages, together with Customary Missile (SM) Block-3 IIA, "
    "the GPI co-development"
)

TYPE_LABELS = {
    "Nation": {"en": "Nation", "ja": "国家"},
    "GovernmentAgency": {"en": "Government agency", "ja": "政府機関"},
    "WeaponSystem": {"en": "Weapon system", "ja": "兵器システム"},
    "Programme": {"en": "Programme", "ja": "計画"},
    "Regulation": {"en": "Regulation", "ja": "規則"},
    "Company": {"en": "Company", "ja": "企業"},
    "Event": {"en": "Event", "ja": "出来事"},
    "Person": {"en": "Person", "ja": "人物"},
}
PREDICATE_LABELS = {
    "coDevelopedBy": {"en": "co-developed by", "ja": "共同開発国"},
    "develops": {"en": "develops", "ja": "開発する"},
    "buildsOn": {"en": "builds on", "ja": "基礎とする"},
    "licensedFrom": {"en": "licensed from", "ja": "ライセンス元"},
    "partOf": {"en": "part of", "ja": "一部"},
    "issuedBy": {"en": "issued by", "ja": "発出者"},
    "announced": {"en": "announced", "ja": "発表した"},
    "involves": {"en": "involves", "ja": "関与する"},
    "heads": {"en": "heads", "ja": "長を務める"},
}


def evidence(source: str, quote: str, date: str | None = None, **extra: Any) -> dict[str, Any]:
    """One EVIDENCE dict, as the projection makes them."""
    titles = {
        COOP: "US–Japan defence cooperation",
        WHITE_PAPER: "Defense of Japan 2024",
        EXPORT: "Revision of the Three Principles on Transfer of Defense Equipment",
    }
    item = {
        "claim": f"https://example.org/claim/{zlib.crc32((source + quote).encode()):08x}",
        "source": source,
        "source_title": titles.get(source, source),
        "quote": quote,
        "date": date,
        "valid_from": None,
        "valid_until": None,
        "role": None,
        "amount": None,
        "currency": None,
    }
    item.update(extra)
    return item


def explorer_graph() -> nx.MultiDiGraph:
    """A 16-entity projection shaped like the real data (GPI co-development and friends)."""
    G = nx.MultiDiGraph(
        sources={
            COOP: {
                "title": "US–Japan defence cooperation",
                "publisher": "Research service",
                "url": "https://example.org/us-japan",
                "date": "2024-05-01",
                "notes": "",
            },
            WHITE_PAPER: {
                "title": "Defense of Japan 2024",
                "publisher": "Ministry of Defense",
                "url": None,
                "date": "2024-07-12",
                "notes": "",
            },
            EXPORT: {
                "title": "Revision of the Three Principles on Transfer of Defense Equipment",
                "publisher": "Cabinet Secretariat",
                "url": None,
                "date": "2023-12-22",
                "notes": "",
            },
        },
        type_labels=TYPE_LABELS,
        predicate_labels=PREDICATE_LABELS,
        dependency_predicates=sorted(DEFAULT_DEPENDENCY_PREDICATES),
    )

    def node(
        id_: str,
        type_: str,
        label: str,
        label_ja: str | None,
        aliases: list[str] = (),
        description: str | None = None,
        dates: list[str] = (),
        sources: list[str] = (),
        external_ids: dict[str, str] | None = None,
        facts: list[dict] = (),
    ) -> None:
        G.add_node(
            id_,
            iri=f"https://example.org/id/{id_}",
            type=type_,
            label=label,
            label_ja=label_ja,
            aliases=list(aliases),
            description=description,
            external_ids=external_ids or {},
            facts=list(facts),
            dates=list(dates),
            sources=list(sources),
        )

    def edge(u: str, v: str, predicate: str, *items: dict[str, Any]) -> None:
        G.add_edge(
            u,
            v,
            key=predicate,
            predicate=predicate,
            predicate_label=PREDICATE_LABELS[predicate]["en"],
            iri=f"https://example.org/ontology#{predicate}",
            evidence=list(items),
        )

    node(
        "usa",
        "Nation",
        "United States",
        "アメリカ合衆国",
        ["USA", "US"],
        external_ids={"wikidata": "Q30"},
        sources=[COOP],
    )
    node(
        "japan",
        "Nation",
        "Japan",
        "日本",
        ["Nippon"],
        external_ids={"wikidata": "Q17"},
        sources=[COOP, WHITE_PAPER],
    )
    node(
        "dod",
        "GovernmentAgency",
        "United States Department of Defense",
        "アメリカ国防総省",
        ["DoD", "Division of Protection"],
        sources=[COOP],
    )
    node(
        "mod-japan",
        "GovernmentAgency",
        "Ministry of Defense (Japan)",
        "防衛省",
        ["MOD", "JMOD"],
        sources=[WHITE_PAPER],
    )
    node(
        "meti",
        "GovernmentAgency",
        "Ministry of Economy, Trade and Industry",
        "経済産業省",
        ["METI"],
        sources=[EXPORT],
    )
    node(
        "gpi",
        "WeaponSystem",
        "Glide Phase Interceptor",
        "滑空段階迎撃ミサイル",
        ["GPI", "Glide-Part Interceptor"],
        description="An interceptor for hypersonic glide vehicles in their glide phase.",
        dates=["2023-08"],
        sources=[COOP],
    )
    node(
        "sm-3-block-iia",
        "WeaponSystem",
        "SM-3 Block IIA",
        "SM-3ブロックIIA",
        ["Standard Missile 3 Block IIA"],
        sources=[WHITE_PAPER],
    )
    node(
        "patriot-pac-3",
        "WeaponSystem",
        "Patriot PAC-3",
        "パトリオットPAC-3",
        ["PAC-3"],
        dates=["2023-12-22"],
        sources=[EXPORT],
    )
    node(
        "gpi-codevelopment",
        "Programme",
        "GPI co-development",
        "GPI共同開発",
        ["Glide Phase Interceptor co-development"],
        dates=["2023-08", "2023-08-18"],
        sources=[COOP],
    )
    node(
        "sm-3-codevelopment",
        "Programme",
        "SM-3 Block IIA co-development",
        "SM-3ブロックIIA共同開発",
        [],
        sources=[COOP, WHITE_PAPER],
    )
    node(
        "export-rule-revision-2023",
        "Regulation",
        "Revision of the Three Principles on Transfer of Defense Equipment (2023)",
        "防衛装備移転三原則の改正",
        ["export rule revision"],
        dates=["2023-12-22"],
        sources=[EXPORT],
        facts=[
            {
                "predicate": "binding",
                "predicate_label": "binding",
                "value": "true",
                "datatype": "boolean",
                "evidence": [
                    evidence(
                        EXPORT,
                        "The Cabinet decided the revision of the Three Principles",
                        "2023-12-22",
                    )
                ],
            }
        ],
    )
    node("mhi", "Company", "Mitsubishi Heavy Industries", "三菱重工業", ["MHI"], sources=[EXPORT])
    node(
        "lockheed-martin",
        "Company",
        "Lockheed Martin",
        "ロッキード・マーティン",
        ["LM"],
        sources=[EXPORT],
    )
    node(
        "camp-david-summit-2023",
        "Event",
        "Camp David Summit",
        "キャンプ・デービッド首脳会談",
        [],
        dates=["2023-08-18"],
        sources=[COOP],
    )
    node(
        "state-visit-2024",
        "Event",
        "Official visit to Washington (2024)",
        "国賓待遇での訪米 (2024年)",
        ["Kishida state visit"],
        dates=["2024-04-10"],
        sources=[COOP],
    )
    node(
        "lloyd-austin",
        "Person",
        "Lloyd Austin",
        "ロイド・オースティン",
        ["Lloyd J. Austin III"],
        dates=["2021-01-22"],
        sources=[COOP],
    )

    edge("gpi-codevelopment", "usa", "coDevelopedBy", evidence(COOP, GPI_QUOTE, "2023-08"))
    edge("gpi-codevelopment", "japan", "coDevelopedBy", evidence(COOP, GPI_QUOTE, "2023-08"))
    edge("gpi-codevelopment", "gpi", "develops", evidence(COOP, GPI_QUOTE, "2023-08"))
    edge(
        "gpi-codevelopment",
        "sm-3-codevelopment",
        "buildsOn",
        evidence(COOP, BUILDS_ON_QUOTE, "2023-08"),
    )
    edge(
        "sm-3-codevelopment",
        "sm-3-block-iia",
        "develops",
        evidence(WHITE_PAPER, "Japan and the United States co-developed the SM-3 Block IIA"),
        evidence(COOP, "the SM-3 Block IIA, developed cooperatively"),
    )
    edge(
        "sm-3-codevelopment",
        "japan",
        "coDevelopedBy",
        evidence(WHITE_PAPER, "Japan and the United States co-developed the SM-3 Block IIA"),
    )
    edge(
        "camp-david-summit-2023",
        "gpi-codevelopment",
        "announced",
        evidence(COOP, "At Camp David the leaders announced GPI co-development", "2023-08-18"),
    )
    edge(
        "export-rule-revision-2023",
        "japan",
        "issuedBy",
        evidence(EXPORT, "The Cabinet decided the revision of the Three Principles", "2023-12-22"),
    )
    edge(
        "mhi",
        "lockheed-martin",
        "licensedFrom",
        evidence(
            EXPORT,
            "PAC-3 missiles produced in Japan under licence from Lockheed Martin",
            "2023-12-22",
        ),
    )
    edge(
        "state-visit-2024",
        "japan",
        "involves",
        evidence(COOP, "the Prime Minister's official visit to Washington", "2024-04-10"),
    )
    edge(
        "state-visit-2024",
        "usa",
        "involves",
        evidence(COOP, "the Prime Minister's official visit to Washington", "2024-04-10"),
    )
    edge("dod", "usa", "partOf", evidence(COOP, "the U.S. Department of Defense"))
    edge("mod-japan", "japan", "partOf", evidence(WHITE_PAPER, "Japan's Ministry of Defense"))
    edge("meti", "japan", "partOf", evidence(EXPORT, "the Ministry of Economy, Trade and Industry"))
    edge(
        "lloyd-austin",
        "dod",
        "heads",
        evidence(
            COOP,
            "Secretary of Defense Lloyd Austin",
            None,
            valid_from="2021-01-22",
            role="Secretary of Defense",
        ),
    )
    return G


@pytest.fixture
def G() -> nx.MultiDiGraph:
    return explorer_graph()


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


# --- the page -------------------------------------------------------------------------------
def test_page_is_self_contained(G: nx.MultiDiGraph) -> None:
    html = render_html(G)
    # Nothing that loads: no src/href attributes on loading elements, no @import or url().
    assert (
        re.findall(r"<(?:script|link|img|iframe|object|embed)\b[^>]*\b(?:src|href)\s*=", html, re.I)
        == []
    )
    assert "@import" not in html and "url(http" not in html
    assert "default-src 'none'" in html and "Content-Security-Policy" in html
    assert "vis.Network" in html and "cdnjs" not in html and "jsdelivr" not in html
    assert len(re.findall(r"^<script", html, re.M)) == 3  # data, vis-network, the app
    # Inlined scripts must not hold what would end or re-enter a script element.
    for script in re.findall(r"^<script>(.*?)</script>$", html, re.M | re.S):
        assert "</script" not in script.lower() and "<!--" not in script
    data = page_data(html)
    assert (len(data["nodes"]), len(data["edges"])) == (16, 15)


def test_data_is_escaped_for_a_script_element(G: nx.MultiDiGraph) -> None:
    G.nodes["gpi"]["label"] = "</script><script>window.__xss=1</script>&\u2028"
    html = render_html(G, title="<b>t</b>")
    block = re.search(r'id="data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\u2028" not in block
    assert "<title>&lt;b&gt;t&lt;/b&gt;</title>" in html
    nodes = {n["id"]: n for n in page_data(html)["nodes"]}
    assert nodes["gpi"]["label"] == "</script><script>window.__xss=1</script>&\u2028"


def test_every_edge_carries_its_quotes_and_validity(G: nx.MultiDiGraph) -> None:
    data = page_data(render_html(G))
    for edge in data["edges"]:
        assert edge["evidence"] and all(e["quote"] for e in edge["evidence"])
    builds = [e for e in data["edges"] if e["predicate"] == "buildsOn"]
    assert builds[0]["evidence"][0]["quote"] == BUILDS_ON_QUOTE
    assert builds[0]["label"] == "builds on"
    assert (builds[0]["valid_start"], builds[0]["valid_end"]) == ("2023-08-01", None)
    assert builds[0]["evidence"][0]["claim"].startswith("https://example.org/claim/")
    heads = next(e for e in data["edges"] if e["predicate"] == "heads")
    assert heads["valid_start"] == "2021-01-22"
    assert heads["evidence"][0]["role"] == "Secretary of Defense"
    assert data["meta"]["sources"][COOP]["title"] == "US–Japan defence cooperation"


def test_sources_missing_from_the_table_keep_their_titles(G: nx.MultiDiGraph) -> None:
    G.graph["sources"].pop(EXPORT)
    del G.graph["type_labels"], G.graph["predicate_labels"]
    data = page_data(render_html(G))
    assert data["meta"]["sources"][EXPORT]["title"].startswith("Revision of the Three")
    assert data["meta"]["type_labels"] == {}


# --- validity, agreement and disagreement ---------------------------------------------------
HEAD_QUOTE = "Kishida’s go to – the primary state go to to the U.S. since he took workplace in 2021"


def reconciled_data(tmp_path: Path) -> Path:
    """A data folder from real texts where sources agree, refine and contradict each other.

    The signing of the RDT&E MOU is dated 2023-01-12 by the DoD release and 2023-01-11 by
    the article (a disputed link); the SOSA is legally binding per the release and not per
    the article (a disputed literal fact); the agreements' parties are stated by both
    (corroborated links); and Kishida heads Japan from 2021 until 2024-10 (``valid_until``).
    """
    from tests.test_reconcile import (
        ARTICLE,
        NON_BINDING_SPUN,
        RELEASE,
        SIGNED_2023,
        SIGNED_DAY,
        _claim,
        make_data,
    )

    return make_data(
        tmp_path,
        {
            ARTICLE: [
                _claim(
                    "rdte-mou", "signedBy", SIGNED_2023, object="lloyd-austin", date="2023-01-11"
                ),
                _claim("rdte-mou", "date", SIGNED_2023, value="2023"),
                _claim("sosa", "legallyBinding", NON_BINDING_SPUN, value=False),
                _claim(
                    "kishida-fumio",
                    "org:headOf",
                    HEAD_QUOTE,
                    object="japan",
                    role="Prime Minister",
                    **{"from": "2021", "until": "2024-10"},
                ),
            ],
            RELEASE: [
                _claim(
                    "rdte-mou", "signedBy", SIGNED_DAY, object="lloyd-austin", date="2023-01-12"
                ),
                _claim("rdte-mou", "date", SIGNED_DAY, value="2023-01-12"),
                _claim("sosa", "legallyBinding", "a legally binding agreement", value=True),
            ],
        },
    )


@pytest.fixture(scope="module")
def reconciled(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    from graph import api
    from graph.network import to_networkx

    result = api.validate(reconciled_data(tmp_path_factory.mktemp("reconciled")))
    return to_networkx(result.graph, ontology=result.ontology)


def page_rule(item: dict[str, Any], bounds: list[str]) -> bool:
    """The page's as-of rule, as explorer.js applies it."""
    first, last = bounds
    return (item["valid_start"] is None or item["valid_start"] <= last) and (
        item["valid_end"] is None or item["valid_end"] >= first
    )


def test_validity_spans_handed_to_the_page_are_graph_dates(G: nx.MultiDiGraph) -> None:
    G.edges["lloyd-austin", "dod", "heads"]["evidence"][0]["valid_until"] = "2025-01"
    data = page_data(render_html(G))
    for edge in data["edges"]:
        ev = G.edges[edge["from"], edge["to"], edge["predicate"]]["evidence"]
        assert (edge["valid_start"], edge["valid_end"]) == validity(ev)
    heads = next(e for e in data["edges"] if e["predicate"] == "heads")
    assert (heads["valid_start"], heads["valid_end"]) == ("2021-01-22", "2025-01-31")
    nodes = {n["id"]: n for n in data["nodes"]}
    # An entity: from its earliest fact, while any of its facts may hold.
    assert (nodes["lloyd-austin"]["valid_start"], nodes["lloyd-austin"]["valid_end"]) == (
        "2021-01-22",
        "2025-01-31",
    )
    assert (nodes["dod"]["valid_start"], nodes["dod"]["valid_end"]) == ("2021-01-22", None)
    assert (nodes["usa"]["valid_start"], nodes["usa"]["valid_end"]) == ("2023-08-01", None)
    assert (nodes["mhi"]["valid_start"], nodes["mhi"]["valid_end"]) == ("2023-12-22", None)
    [binding] = nodes["export-rule-revision-2023"]["facts"]
    assert (binding["valid_start"], binding["valid_end"]) == ("2023-12-22", None)
    # The slider's dates, each with its first and last day (computed in Python).
    assert data["meta"]["dates"][0] == "2021-01-22" and "2025-01" in data["meta"]["dates"]
    assert data["meta"]["date_bounds"]["2023-08"] == ["2023-08-01", "2023-08-31"]
    assert data["meta"]["date_bounds"]["2025-01"] == ["2025-01-01", "2025-01-31"]
    assert data["meta"]["date_bounds"]["2023"] == ["2023-01-01", "2023-12-31"]


def test_the_page_rule_is_valid_as_of(G: nx.MultiDiGraph) -> None:
    G.edges["lloyd-austin", "dod", "heads"]["evidence"][0]["valid_until"] = "2023-08"
    data = page_data(render_html(G))
    bounds = data["meta"]["date_bounds"]
    assert set(data["meta"]["dates"]) <= set(bounds)
    for as_of, span in [
        *bounds.items(),
        ("1999-12-31", ["1999-12-31"] * 2),
        ("2030-01-01", ["2030-01-01"] * 2),
    ]:
        for edge in data["edges"]:
            ev = G.edges[edge["from"], edge["to"], edge["predicate"]]["evidence"]
            assert page_rule(edge, span) == valid_as_of(ev, as_of), (as_of, edge["predicate"])
    heads = next(e for e in data["edges"] if e["predicate"] == "heads")
    assert page_rule(heads, bounds["2023-08"]) and not page_rule(heads, bounds["2023-12-22"])


def test_date_table_gives_first_and_last_days() -> None:
    dates, table = date_table(["2024-02", "2023", "2023-02-28", "2023-13", "2023"])
    assert dates == ["2023", "2023-02-28", "2024-02"]
    assert table["2024-02"] == ["2024-02-01", "2024-02-29"]
    assert table["2023-02"] == ["2023-02-01", "2023-02-28"]
    assert table["2023"] == ["2023-01-01", "2023-12-31"] and "2023-13" not in table
    assert entity_span([]) == (None, None)


def test_a_bad_date_is_a_render_error(G: nx.MultiDiGraph) -> None:
    G.edges["dod", "usa", "partOf"]["evidence"][0]["date"] = "2023-02-30"
    with pytest.raises(RenderError, match="dod partOf usa"):
        render_html(G)


def test_facts_carry_status_marks_and_sides(reconciled: nx.MultiDiGraph) -> None:
    from graph.analysis import fact_marks
    from tests.test_reconcile import ARTICLE, RELEASE

    data = page_data(render_html(reconciled))
    edges = {(e["from"], e["predicate"], e["to"]): e for e in data["edges"]}
    signed = edges["rdte-mou", "signedBy", "lloyd-austin"]
    source = reconciled.edges["rdte-mou", "lloyd-austin", "signedBy"]
    assert signed["status"] == source["status"] and signed["status"]["disputed"]
    assert signed["marks"] == fact_marks(source["status"], source["evidence"])
    assert signed["marks"] == f"2 sources agree; disputed by {ARTICLE}"
    assert {e["source"]: e["side"] for e in signed["evidence"]} == {
        RELEASE: "agree",
        ARTICLE: "disagree",
    }
    assert (signed["valid_start"], signed["valid_end"]) == ("2023-01-11", None)
    party = edges["rdte-mou", "hasParty", "dod"]
    assert party["status"]["corroborated"] and party["marks"] == "2 sources agree"
    assert [e["side"] for e in party["evidence"]] == ["agree", "agree"]
    head = edges["kishida-fumio", "headOf", "japan"]
    assert (head["valid_start"], head["valid_end"]) == ("2021-01-01", "2024-10-31")
    nodes = {n["id"]: n for n in data["nodes"]}
    [binding] = [f for f in nodes["sosa"]["facts"] if f["predicate"] == "legallyBinding"]
    assert binding["marks"] == f"disputed by {ARTICLE}"
    against = [e for e in binding["evidence"] if e["side"] == "disagree"]
    assert [(e["source"], e["asserted"], e["value"]) for e in against] == [
        (ARTICLE, False, "false")
    ]
    assert against[0]["rank_reason"].startswith("disputed: states false")
    [dated] = [f for f in nodes["rdte-mou"]["facts"] if f["predicate"] == "date"]
    assert dated["marks"] == f"2 sources agree; refined by {RELEASE}"  # the year agrees too
    assert [e["side"] for e in dated["evidence"]] == ["agree", "agree"]  # coarser, not against


def test_claim_sides_put_conflicts_against_the_preferred_claim() -> None:
    assert claim_sides([]) == []
    one = {"claim": "a", "rank": "normal", "links": {"conflicts_with": ["b"]}}
    two = {"claim": "b", "rank": "normal", "links": {"conflicts_with": ["a"]}}
    assert claim_sides([one, two]) == ["agree", "disagree"]
    assert claim_sides([one, {**two, "rank": "preferred"}]) == ["disagree", "agree"]
    # A one-way link counts too (the projection states them both ways).
    assert claim_sides([{"claim": "a", "rank": "preferred"}, two]) == ["agree", "disagree"]


# --- views ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("view", "nodes"),
    [
        ("all", None),
        ("ego:gpi", {"gpi", "gpi-codevelopment"}),
        (
            "ego:gpi:2",
            {
                "gpi",
                "gpi-codevelopment",
                "usa",
                "japan",
                "sm-3-codevelopment",
                "camp-david-summit-2023",
            },
        ),
        ("ego:Glide-Part Interceptor:0", {"gpi"}),
        ("path:METI,gpi", {"meti", "japan", "gpi-codevelopment", "gpi"}),
        ("deps:gpi-codevelopment", {"gpi-codevelopment", "sm-3-codevelopment"}),
        ("deps:mhi", {"mhi", "lockheed-martin"}),
        (
            "source:export-rules-2023",
            {
                "export-rule-revision-2023",
                "japan",
                "mhi",
                "lockheed-martin",
                "meti",
                "patriot-pac-3",
            },
        ),
    ],
)
def test_views(G: nx.MultiDiGraph, view: str, nodes: set[str] | None) -> None:
    sub = select_view(G, view)
    assert set(sub.nodes) == (nodes if nodes is not None else set(G.nodes))


def test_path_view_keeps_only_facts_on_the_paths(G: nx.MultiDiGraph) -> None:
    sub = select_view(G, "path:dod,japan")
    assert set(sub.nodes) == {"dod", "usa", "japan", "gpi-codevelopment", "state-visit-2024"}
    assert {k for _, _, k in sub.edges(keys=True)} == {"partOf", "coDevelopedBy", "involves"}


def test_deps_view_takes_its_predicates_as_a_keyword(G: nx.MultiDiGraph) -> None:
    del G.graph["dependency_predicates"]
    assert set(select_view(G, "deps:gpi-codevelopment")) == {
        "gpi-codevelopment",
        "sm-3-codevelopment",
    }
    custom = select_view(G, "deps:gpi-codevelopment", dependency_predicates={"develops"})
    assert set(custom) == {"gpi-codevelopment", "gpi"}
    assert [k for _, _, k in custom.edges(keys=True)] == ["develops"]


def test_source_view_keeps_only_that_sources_evidence(G: nx.MultiDiGraph) -> None:
    sub = select_view(G, f"source:{WHITE_PAPER}")
    for _, _, ev in sub.edges(data="evidence"):
        assert {e["source"] for e in ev} == {WHITE_PAPER}
    assert "gpi" not in sub and "mod-japan" in sub
    assert sub.graph["sources"] == G.graph["sources"]


def test_views_render(G: nx.MultiDiGraph) -> None:
    data = page_data(render_html(G, view="ego:gpi"))
    assert {n["id"] for n in data["nodes"]} == {"gpi", "gpi-codevelopment"}
    assert data["view"] == "ego:gpi"


def test_view_errors(G: nx.MultiDiGraph) -> None:
    with pytest.raises(RenderError, match="unknown view 'sideways'"):
        select_view(G, "sideways")
    with pytest.raises(EntityNotFound, match="no entity 'nothing-like-this'"):
        select_view(G, "ego:nothing-like-this")
    with pytest.raises(EntityNotFound):
        render_html(G, view="deps:nowhere")
    with pytest.raises(RenderError, match="no source 'nope'"):
        select_view(G, "source:nope")
    with pytest.raises(RenderError, match="negative"):
        select_view(G, "ego:gpi:-1")
    with pytest.raises(RenderError):
        select_view(G, "ego: ")
    G.add_node("island", label="Island", type="Resource", aliases=[])
    with pytest.raises(NoPathError, match="no path"):
        select_view(G, "path:island,gpi")


# --- layout ---------------------------------------------------------------------------------
def big_graph(n: int = LAYOUT_THRESHOLD + 50) -> nx.MultiDiGraph:
    base = nx.gnm_random_graph(n, 2 * n, seed=1, directed=True)
    G = nx.MultiDiGraph(sources={}, type_labels={}, predicate_labels={})
    for i in base.nodes:
        G.add_node(
            str(i),
            label=f"n{i}",
            label_ja=None,
            type="Company",
            aliases=[],
            description=None,
            external_ids={},
            facts=[],
            dates=[],
            sources=[],
        )
    for u, v in base.edges:
        G.add_edge(
            str(u),
            str(v),
            key="requires",
            predicate="requires",
            predicate_label="requires",
            evidence=[evidence("s", "q", "2020")],
        )
    return G


def test_large_views_get_positions_no_physics_and_straight_edges() -> None:
    G = big_graph()
    data = page_data(render_html(G))
    assert data["meta"]["large"] is True
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["edges"]["smooth"] is False
    assert "claim" not in data["edges"][0]["evidence"][0]  # kept small
    small = page_data(render_html(G, view="ego:0"))
    assert small["meta"]["large"] is False and all("x" not in n for n in small["nodes"])
    assert small["options"]["physics"]["enabled"] is True


def test_layout_keeps_lone_entities_close() -> None:
    G = big_graph()
    for i in range(40):
        G.add_node(f"lone-{i}", label=f"lone {i}", type="Resource")
    G.add_edge("pair-a", "pair-b", key="requires")
    positions = compute_layout(G)
    assert set(positions) == set(G.nodes)
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    side = 40 * len(G) ** 0.5
    # One compact picture: neither the lone entities nor the pair are flung away.
    assert max(xs) - min(xs) < 2.5 * side and max(ys) - min(ys) < 2.5 * side
    assert len(set(positions.values())) == len(positions)


def test_layout_is_deterministic_and_can_be_given(G: nx.MultiDiGraph) -> None:
    big = big_graph()
    assert compute_layout(big, seed=3) == compute_layout(big, seed=3)
    assert compute_layout(nx.MultiDiGraph()) == {}
    net = build_network(G, layout={"gpi": (10.0, 20.0)})
    gpi = next(n for n in net.nodes if n["id"] == "gpi")
    assert (gpi["x"], gpi["y"]) == (10.0, 20.0)
    assert all("x" in n for n in build_network(G, layout=True).nodes)


# --- writing and importing ----------------------------------------------------------------------
def test_render_writes_atomically(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "new" / "v.html"
    html = render_html(G, view="ego:dod", out=out)
    assert out.read_text(encoding="utf-8") == html
    render_html(G, out=out)
    assert [p.name for p in out.parent.iterdir()] == ["v.html"]


def test_a_failed_render_leaves_the_old_file(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "v.html"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(EntityNotFound):
        render_html(G, view="ego:missing", out=out)
    assert out.read_text(encoding="utf-8") == "old"


def test_importing_the_module_is_cheap() -> None:
    code = (
        "import sys, graph.render; "
        "print(sorted(m for m in ('networkx', 'igraph', 'pyvis') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_build_writes_the_explorer(built_dir: Path) -> None:
    html = (built_dir / "explorer.html").read_text(encoding="utf-8")
    data = page_data(html)
    assert len(data["nodes"]) >= 30 and data["edges"]
