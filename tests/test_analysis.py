"""Analysis on the projection of the shipped data. Expected answers are computed
independently (rdflib on the built RDF, brute force, or networkx's own algorithms)."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
from rdflib import Graph, URIRef

from graph import analysis as A
from graph.dates import PartialDate
from graph.errors import EntityNotFound, InvalidOptionError, NoPathError
from graph.namespaces import AG, ID
from graph.network import to_networkx
from graph.ontology import load_ontology
from graph.present.text import format_fact
from graph.resources import data_dir


@pytest.fixture(scope="module")
def G(built_dir: Path) -> nx.MultiDiGraph:
    return to_networkx(built_dir / "alliance.nt")


@pytest.fixture(scope="module")
def rdf(built_dir: Path) -> Graph:
    return Graph().parse(built_dir / "alliance.ttl", format="turtle")


@pytest.fixture(scope="module")
def source_text() -> str:
    return (data_dir() / "sources" / "us-japan-cooperation-2024" / "text.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """Every source's text as published, by source id."""
    return {
        d.name: (d / "text.txt").read_text("utf-8")
        for d in (data_dir() / "sources").iterdir()
        if (d / "text.txt").is_file()
    }


def undirected(G: nx.MultiDiGraph) -> nx.Graph:
    return nx.Graph(G.to_undirected())


def assert_quoted(evidence: list[dict[str, Any]], texts: dict[str, str]) -> None:
    """Each claim has a quote, found word for word in its own source's text."""
    assert evidence
    for ev in evidence:
        assert ev["quote"] and ev["quote"] in texts[ev["source"]], ev["claim"]


def facts_between(G: nx.MultiDiGraph, u: str, v: str) -> set[tuple[str, str, str]]:
    """Every fact linking ``u`` and ``v``, either way, read off G's edges."""
    return {(a, k, b) for a, b, k in G.edges(keys=True) if {a, b} == {u, v}}


# --- neighbourhood and paths ----------------------------------------------------------
def test_neighbourhood_by_radius(G: nx.MultiDiGraph) -> None:
    U = undirected(G)
    one = A.neighbourhood(G, "METI")  # by alias
    assert set(one) == {"meti", *U["meti"]}
    two = A.neighbourhood(G, "meti", radius=2)
    assert set(two) == {"meti", *U["meti"], *(n for m in U["meti"] for n in U[m])}
    for near in (one, two):
        # every fact between the entities kept, with its evidence; no other fact
        assert set(near.edges(keys=True)) == {
            (u, v, k) for u, v, k in G.edges(keys=True) if u in near and v in near
        }
        for u, v, k in near.edges(keys=True):
            assert near.edges[u, v, k]["evidence"] == G.edges[u, v, k]["evidence"]
    # a fact the corpus states (the METI promotes the industry) is in the first ring
    assert one.edges["meti", "japan-defence-industry", "promotes"]["evidence"]


def test_path_meti_to_tomahawk_has_the_evidence_of_every_hop(
    G: nx.MultiDiGraph, texts: dict[str, str]
) -> None:
    paths = A.shortest_paths(G, "METI", "Tomahawk")  # by alias and label
    U = undirected(G)
    expected = list(nx.all_shortest_paths(U, "meti", "tomahawk"))
    as_nodes = [[h.source for h in p] + [p[-1].target] for p in paths]
    assert len(paths) == min(len(expected), 10)
    assert all(nodes in expected for nodes in as_nodes)
    assert as_nodes == sorted(as_nodes)
    for hops in paths:
        assert len(hops) == nx.shortest_path_length(U, "meti", "tomahawk")
        for hop in hops:
            assert {(f.subject, f.predicate, f.object) for f in hop.facts} == facts_between(
                G, hop.source, hop.target
            )
            for fact in hop.facts:
                assert (
                    fact.evidence == G.edges[fact.subject, fact.object, fact.predicate]["evidence"]
                )
                assert_quoted(fact.evidence, texts)
    # Japan's procurement of Tomahawk is stated, with its quote, by the first source
    procures = G.edges["japan", "tomahawk", "procures"]["evidence"]
    assert any(
        ev["source"] == "us-japan-cooperation-2024" and "Tomahawk" in ev["quote"] for ev in procures
    )


def test_paths_report_each_fact_in_its_real_direction(G: nx.MultiDiGraph) -> None:
    hops = A.shortest_paths(G, "tomahawk", "meti")[0]
    first = hops[0].facts[0]
    assert (hops[0].source, hops[0].target) == ("tomahawk", "japan")
    assert (first.subject, first.object) == ("japan", "tomahawk")
    assert format_fact(G, first, walking_from="tomahawk") == "Tomahawk ←procures— Japan"
    assert format_fact(G, first) == "Japan —procures→ Tomahawk"


def test_a_hop_lists_every_fact_between_its_ends(G: nx.MultiDiGraph) -> None:
    hop = A.shortest_paths(G, "gpi-codevelopment", "usa")[0][0]
    assert {f.predicate for f in hop.facts} == {
        p for u, v, p in G.edges(keys=True) if {u, v} == {"gpi-codevelopment", "usa"}
    }
    assert len(hop.facts) >= 2


def test_shortest_paths_are_all_the_shortest_ones(G: nx.MultiDiGraph) -> None:
    U = undirected(G)
    for s, t in [
        ("kishida-yuko", "high-end-components"),
        ("dod", "patriot"),
        ("sm-3-block-iia", "ota"),
    ]:
        paths = A.shortest_paths(G, s, t)
        nodes = sorted([[h.source for h in p] + [p[-1].target] for p in paths])
        assert nodes == sorted(nx.all_shortest_paths(U, s, t))


def test_k_shortest_paths_are_distinct_simple_and_ordered(G: nx.MultiDiGraph) -> None:
    paths = A.k_shortest_paths(G, "METI", "Tomahawk", k=3)
    assert len(paths) == 3
    as_nodes = [tuple([p[0].source] + [h.target for h in p]) for p in paths]
    assert len(set(as_nodes)) == 3
    assert [len(p) for p in paths] == sorted(len(p) for p in paths)
    assert len(paths[0]) == nx.shortest_path_length(undirected(G), "meti", "tomahawk")
    for nodes in as_nodes:
        assert len(set(nodes)) == len(nodes)
    for p in paths:
        for h in p:
            assert h.facts and all({f.subject, f.object} == {h.source, h.target} for f in h.facts)


def test_no_path_says_so_plainly(built_dir: Path) -> None:
    """No path says why: an entity with no links at all (missing data), or two entities
    the graph does not connect (a finding). Both read off the filtered projection."""
    H = to_networkx(built_dir / "alliance.nt", predicates=["dependsOn"])
    U = nx.Graph(H.to_undirected())
    alone = [n for n in ("meti", "tomahawk") if not U.degree(n)]
    with pytest.raises(NoPathError) as info:
        A.shortest_paths(H, "meti", "tomahawk")
    why = (
        f"the graph holds no facts linking {' or '.join(repr(n) for n in alone)} to any entity"
        if alone
        else "they are not connected"
    )
    assert str(info.value) == f"no path between 'meti' and 'tomahawk': {why}"
    with pytest.raises(NoPathError):
        A.k_shortest_paths(H, "meti", "tomahawk", k=2)
    apart = sorted(sorted(c) for c in nx.connected_components(U) if len(c) > 1)
    assert len(apart) > 1
    a, b = apart[0][0], apart[1][0]
    with pytest.raises(NoPathError) as info:
        A.shortest_paths(H, a, b)
    assert str(info.value) == f"no path between {a!r} and {b!r}: they are not connected"


def test_unknown_entity_in_analysis(G: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFound, match="did you mean tomahawk"):
        A.shortest_paths(G, "meti", "Tomahwk")
    with pytest.raises(InvalidOptionError, match="k must be at least 1"):
        A.k_shortest_paths(G, "meti", "tomahawk", k=0)


# --- dependencies -----------------------------------------------------------------------
def rdf_dependency_closure(rdf: Graph, node: str, *, reverse: bool) -> set[str]:
    """Transitive closure along ag:dependsOn and its sub-properties, straight from RDF."""
    onto = load_ontology().graph
    deps = {
        p
        for (p,) in onto.query(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "PREFIX ag: <https://w3id.org/alliance-graph/ontology#> "
            "SELECT ?p WHERE { ?p rdfs:subPropertyOf* ag:dependsOn }"
        )
    }  # type: ignore[misc]
    start = URIRef(str(ID) + node)
    seen, queue = {start}, deque([start])
    while queue:
        x = queue.popleft()
        for p in deps:
            nxt = rdf.subjects(p, x) if reverse else rdf.objects(x, p)
            for y in nxt:
                if y not in seen:
                    seen.add(y)
                    queue.append(y)
    return {str(y)[len(str(ID)) :] for y in seen - {start}}


def test_dependency_closure_and_impact_match_the_rdf_for_every_entity(
    G: nx.MultiDiGraph, rdf: Graph
) -> None:
    for node in G:
        deps = {lk.fact.object for lk in A.dependency_closure(G, node)}
        hits = {lk.fact.subject for lk in A.impact(G, node)}
        assert deps == rdf_dependency_closure(rdf, node, reverse=False), node
        assert hits == rdf_dependency_closure(rdf, node, reverse=True), node


def test_impact_of_the_export_rule_revision(
    G: nx.MultiDiGraph, source_text: str, texts: dict[str, str]
) -> None:
    root = "export-rule-revision-2023"
    links = A.impact(G, "December 2023 export-rule revision")  # by alias
    deps = set(G.graph["dependency_predicates"])
    D = nx.DiGraph((u, v) for u, v, k in G.edges(keys=True) if k in deps)
    reached = nx.ancestors(D, root) if root in D else set()
    # every dependency fact whose object is the revision or depends on it, once
    assert sorted((lk.fact.subject, lk.fact.predicate, lk.fact.object) for lk in links) == sorted(
        (u, k, v) for u, v, k in G.edges(keys=True) if k in deps and v in reached | {root}
    )
    # each at one more than its object's distance from the revision, breadth first
    distance = nx.single_source_shortest_path_length(D.reverse(copy=False), root)
    assert [lk.depth for lk in links] == sorted(lk.depth for lk in links)
    for lk in links:
        assert lk.depth == distance[lk.fact.object] + 1
        assert_quoted(lk.fact.evidence, texts)
    # the decision to export Patriot missiles was enabled by it, in the first source's words
    first = {(lk.fact.subject, lk.fact.predicate): lk for lk in links if lk.depth == 1}
    patriot = first[("patriot-export-decision", "enabledBy")].fact.evidence
    quote = next(ev["quote"] for ev in patriot if ev["source"] == "us-japan-cooperation-2024")
    assert quote.startswith("The revision was promptly put into follow")
    assert quote in source_text


def test_deps_of_gpi_codevelopment(G: nx.MultiDiGraph) -> None:
    links = A.dependency_closure(G, "gpi-codevelopment")
    assert [(lk.fact.predicate, lk.fact.object) for lk in links] == [
        ("buildsOn", "sm-3-block-iia-codevelopment")
    ]


def test_dependencies_follow_the_graphs_predicates_not_a_fixed_list(G: nx.MultiDiGraph) -> None:
    H = G.copy()
    H.graph["dependency_predicates"] = [*G.graph["dependency_predicates"], "promotes"]
    assert "meti" in {lk.fact.subject for lk in A.impact(H, "japan-defence-industry")}
    assert "meti" not in {lk.fact.subject for lk in A.impact(G, "japan-defence-industry")}
    H.add_edge(
        "x", "patriot-export-decision", key="dependsOn", predicate_label="depends on", evidence=[]
    )
    depths = {lk.fact.subject: lk.depth for lk in A.impact(H, "export-rule-revision-2023")}
    assert depths == {"patriot-export-decision": 1, "x": 2}


# --- centrality -----------------------------------------------------------------------
def test_rank_degree_counts_facts_in_and_out(G: nx.MultiDiGraph) -> None:
    ranking = A.rank(G, metric="degree")
    assert dict(ranking.scores) == {n: float(d) for n, d in G.degree()}
    assert ranking.scores[0][0] == "japan"
    values = [s for _, s in ranking.scores]
    assert values == sorted(values, reverse=True)


def test_rank_pagerank_matches_networkx(G: nx.MultiDiGraph) -> None:
    ours = dict(A.rank(G, metric="pagerank").scores)
    theirs = _pagerank_python(G, alpha=0.85, tol=1e-12, max_iter=1000)
    assert ours == pytest.approx(theirs, abs=1e-6)


def test_rank_betweenness_exact_matches_networkx(G: nx.MultiDiGraph) -> None:
    ranking = A.rank(G, metric="betweenness")
    assert ranking.sampled is None and "exact" in ranking.note
    assert dict(ranking.scores) == pytest.approx(nx.betweenness_centrality(undirected(G)), abs=1e-9)


def test_rank_betweenness_sampled_says_so(G: nx.MultiDiGraph) -> None:
    n = G.number_of_nodes()
    sampled = A.rank(G, metric="betweenness", samples=10, seed=1)
    assert sampled.sampled == 10
    assert f"SAMPLED estimate from 10 of {n} source entities (seed 1)" in sampled.note
    assert A.rank(G, metric="betweenness", samples=10, seed=1) == sampled
    # sampling every source gives the exact value back
    assert dict(A.rank(G, metric="betweenness", samples=n).scores) == pytest.approx(
        dict(A.rank(G, metric="betweenness").scores)
    )


def test_rank_unknown_metric(G: nx.MultiDiGraph) -> None:
    with pytest.raises(InvalidOptionError, match=r"unknown metric 'closeness' \(use one of"):
        A.rank(G, metric="closeness")


# --- robustness and structure ---------------------------------------------------------
def test_single_points_of_failure_by_brute_force(G: nx.MultiDiGraph) -> None:
    U = undirected(G)
    spof = A.single_points_of_failure(G)
    components = nx.number_connected_components(U)
    cut = []
    for node in U:
        V = U.copy()
        V.remove_node(node)
        if nx.number_connected_components(V) > components:
            cut.append(node)
    assert spof.articulation_points == sorted(cut)
    bridges = []
    for u, v in U.edges():
        V = U.copy()
        V.remove_edge(u, v)
        if nx.number_connected_components(V) > components:
            bridges.append(tuple(sorted((u, v))))
    assert [(u, v) for u, v, _ in spof.bridges] == sorted(bridges)
    # a bridge carries every fact between its two ends, each with its evidence
    for u, v, facts in spof.bridges:
        assert {(f.subject, f.predicate, f.object) for f in facts} == facts_between(G, u, v)
        assert all(f.evidence for f in facts)


def test_communities_partition_the_graph_deterministically(G: nx.MultiDiGraph) -> None:
    found = A.communities(G, seed=0)
    assert sorted(n for c in found for n in c) == sorted(G)
    assert len(found) > 1
    assert found == A.communities(G, seed=0)
    assert [len(c) for c in found] == sorted((len(c) for c in found), reverse=True)
    assert nx.community.modularity(undirected(G), [set(c) for c in found]) > 0.3


# --- time -------------------------------------------------------------------------------
def test_timeline_has_every_dated_claim_in_order_at_its_precision(
    G: nx.MultiDiGraph, rdf: Graph
) -> None:
    entries = A.timeline(G)
    dates = [e.date for e in entries]
    # ISO order: a year before the months and days in it
    assert dates == sorted(dates)
    for e in entries:
        assert e.precision == {4: "year", 7: "month", 10: "day"}[len(e.date)]
        assert PartialDate(e.date).text == e.date
    # one entry per fact and kind
    keys = [(e.kind, e.subject, e.predicate, e.object, e.value) for e in entries]
    assert len(keys) == len(set(keys))

    onto = load_ontology()
    names = {
        str(p.iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]: n
        for n, p in onto.claim_predicates.items()
    }

    # Every dated claim of the RDF is in the entry of its fact and kind, at its own
    # date or among the entry's other dates; a deprecated claim's date is not offered,
    # nor another point in time of a relation that holds at many (not a dispute).
    expected = set()
    for prop, kind in (("pointInTime", "at"), ("validFrom", "from"), ("validUntil", "until")):
        for claim, when in rdf.subject_objects(AG[prop]):
            expected.add((str(claim), kind, str(when)))
    for claim, when in rdf.query(
        "PREFIX ag: <https://w3id.org/alliance-graph/ontology#> "
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        "SELECT ?c ?d WHERE { ?c rdf:predicate ag:date ; rdf:object ?d }"
    ):  # type: ignore[misc]
        expected.add((str(claim), "date", str(when)))
    entry_of = {(ev["claim"], e.kind): (e, ev) for e in entries for ev in e.evidence}
    assert set(entry_of) == {(claim, kind) for claim, kind, _ in expected}
    for claim, kind, when in expected:
        e, ev = entry_of[claim, kind]
        if ev.get("rank") != "deprecated" and not (
            kind == "at" and not onto.instantaneous(names[e.predicate])
        ):
            assert when == e.date or when in dict(e.alternatives), (claim, kind)

    # The best date and what the others are, by the rules of graph.reconcile.
    field = {"at": "date", "from": "valid_from", "until": "valid_until"}
    for e in entries:
        if e.kind == "date":  # an entity's own date: the asserted value, the others not
            given = {
                ev.get("value") or e.date for ev in e.evidence if ev.get("rank") != "deprecated"
            }
            status = next(
                f["status"]
                for f in G.nodes[e.subject]["facts"]
                if (f["predicate"], f["value"]) == (e.predicate, e.value)
            )
        else:
            given = {
                ev[field[e.kind]]
                for ev in e.evidence
                if ev.get(field[e.kind]) and ev.get("rank") != "deprecated"
            }
            status = (
                G.edges[e.subject, e.object, e.predicate]["status"]
                if e.object
                else next(
                    f["status"]
                    for f in G.nodes[e.subject]["facts"]
                    if (f["predicate"], f["value"]) == (e.predicate, e.value)
                )
            )
            preferred = [
                ev[field[e.kind]]
                for ev in e.evidence
                if ev.get("rank") == "preferred" and ev.get(field[e.kind])
            ]
            for p in preferred:  # the preferred claim's date, refined when it can be
                assert PartialDate(e.date).compatible(PartialDate(p))
                assert all(
                    len(d) <= len(e.date)
                    for d in given
                    if PartialDate(d).compatible(PartialDate(p))
                )
        assert e.date in given
        offered = dict(e.alternatives)
        assert set(offered) <= given - {e.date}
        for d in given - {e.date}:
            compatible = PartialDate(d).compatible(PartialDate(e.date))
            if compatible:  # a less precise date the best one refines
                assert offered.get(d) == "refined", (e, d)
            elif d in offered:  # disputed only when the sources do conflict
                assert offered[d] == "disputed" and status["disputed"], (e, d)
            else:  # another point in time of a relation that holds at many: no dispute
                assert e.kind == "at" and not onto.instantaneous(names[e.predicate]), (e, d)

    # Facts the sources date, at the precision they give
    by_fact = {(e.subject, e.predicate, e.object, e.kind): e for e in entries}
    gpi = by_fact[("gpi-codevelopment", "announcedBy", "usa", "at")]
    assert PartialDate(gpi.date).compatible(PartialDate("2023-08"))
    assert gpi.precision in ("month", "day")
    mou = by_fact[("rdte-mou", "signedBy", "lloyd-austin", "at")]
    assert mou.date == "2023" or ("2023", "refined") in mou.alternatives  # refined, not lost
    kishida = by_fact[("kishida-fumio", "headOf", "japan", "from")]
    assert PartialDate(kishida.date).compatible(PartialDate("2021"))
