"""Analysis on the projection of the shipped data. Expected answers are computed
independently (rdflib on the built RDF, brute force, or networkx's own algorithms)."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
from rdflib import Graph, URIRef

from graph import analysis as A
from graph.errors import EntityNotFound, InvalidOptionError, NoPathError
from graph.namespaces import ID
from graph.network import to_networkx
from graph.ontology import load_ontology
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


def undirected(G: nx.MultiDiGraph) -> nx.Graph:
    return nx.Graph(G.to_undirected())


# --- neighbourhood and paths ----------------------------------------------------------
def test_neighbourhood_by_radius(G: nx.MultiDiGraph) -> None:
    assert set(A.neighbourhood(G, "METI")) == {"meti", "japan-defence-industry"}
    two = A.neighbourhood(G, "meti", radius=2)
    assert set(two) == {"meti", "japan-defence-industry", *undirected(G)["japan-defence-industry"]}
    assert two.edges["meti", "japan-defence-industry", "promotes"]["evidence"]


def test_path_meti_to_tomahawk_has_the_evidence_of_every_hop(G: nx.MultiDiGraph,
                                                             source_text: str) -> None:
    paths = A.shortest_paths(G, "METI", "Tomahawk")
    assert len(paths) == 1
    hops = paths[0]
    assert [(h.source, h.target) for h in hops] == [
        ("meti", "japan-defence-industry"), ("japan-defence-industry", "japan"),
        ("japan", "tomahawk")]
    assert [[(f.subject, f.predicate, f.object) for f in h.facts] for h in hops] == [
        [("meti", "promotes", "japan-defence-industry")],
        [("japan-defence-industry", "industrialBaseOf", "japan")],
        [("japan", "procures", "tomahawk")]]
    for hop in hops:
        for fact in hop.facts:
            assert fact.evidence
            assert all(e["quote"] in source_text for e in fact.evidence)
    assert "Tomahawk" in hops[2].facts[0].evidence[0]["quote"]


def test_paths_report_each_fact_in_its_real_direction(G: nx.MultiDiGraph) -> None:
    hops = A.shortest_paths(G, "tomahawk", "meti")[0]
    first = hops[0].facts[0]
    assert (hops[0].source, hops[0].target) == ("tomahawk", "japan")
    assert (first.subject, first.object) == ("japan", "tomahawk")
    assert A.format_fact(G, first, walking_from="tomahawk") == "Tomahawk ←procures— Japan"
    assert A.format_fact(G, first) == "Japan —procures→ Tomahawk"


def test_a_hop_lists_every_fact_between_its_ends(G: nx.MultiDiGraph) -> None:
    hop = A.shortest_paths(G, "gpi-codevelopment", "usa")[0][0]
    assert {f.predicate for f in hop.facts} == {
        p for u, v, p in G.edges(keys=True) if {u, v} == {"gpi-codevelopment", "usa"}}
    assert len(hop.facts) >= 2


def test_shortest_paths_are_all_the_shortest_ones(G: nx.MultiDiGraph) -> None:
    U = undirected(G)
    for s, t in [("kishida-yuko", "high-end-components"), ("dod", "patriot"),
                 ("sm-3-block-iia", "ota")]:
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
            assert h.facts and all({f.subject, f.object} == {h.source, h.target}
                                   for f in h.facts)


def test_no_path_says_so_plainly(built_dir: Path) -> None:
    H = to_networkx(built_dir / "alliance.nt", predicates=["dependsOn"])
    with pytest.raises(NoPathError) as info:
        A.shortest_paths(H, "meti", "tomahawk")
    assert str(info.value) == "no path between 'meti' and 'tomahawk': they are not connected"
    with pytest.raises(NoPathError):
        A.k_shortest_paths(H, "meti", "tomahawk", k=2)


def test_unknown_entity_in_analysis(G: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFound, match="did you mean tomahawk"):
        A.shortest_paths(G, "meti", "Tomahwk")
    with pytest.raises(InvalidOptionError, match="k must be at least 1"):
        A.k_shortest_paths(G, "meti", "tomahawk", k=0)


# --- dependencies -----------------------------------------------------------------------
def rdf_dependency_closure(rdf: Graph, node: str, *, reverse: bool) -> set[str]:
    """Transitive closure along ag:dependsOn and its sub-properties, straight from RDF."""
    onto = load_ontology().graph
    deps = {p for (p,) in onto.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "PREFIX ag: <https://w3id.org/alliance-graph/ontology#> "
        "SELECT ?p WHERE { ?p rdfs:subPropertyOf* ag:dependsOn }")}  # type: ignore[misc]
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
    return {str(y)[len(str(ID)):] for y in seen - {start}}


def test_dependency_closure_and_impact_match_the_rdf_for_every_entity(
        G: nx.MultiDiGraph, rdf: Graph) -> None:
    for node in G:
        deps = {lk.fact.object for lk in A.dependency_closure(G, node)}
        hits = {lk.fact.subject for lk in A.impact(G, node)}
        assert deps == rdf_dependency_closure(rdf, node, reverse=False), node
        assert hits == rdf_dependency_closure(rdf, node, reverse=True), node


def test_impact_of_the_export_rule_revision(G: nx.MultiDiGraph, source_text: str) -> None:
    links = A.impact(G, "December 2023 export-rule revision")
    assert [(lk.fact.subject, lk.fact.predicate, lk.fact.object, lk.depth) for lk in links] == [
        ("patriot-export-decision", "enabledBy", "export-rule-revision-2023", 1)]
    assert "The revision was promptly put into follow" in links[0].fact.evidence[0]["quote"]
    assert links[0].fact.evidence[0]["quote"] in source_text


def test_deps_of_gpi_codevelopment(G: nx.MultiDiGraph) -> None:
    links = A.dependency_closure(G, "gpi-codevelopment")
    assert [(lk.fact.predicate, lk.fact.object) for lk in links] == [
        ("buildsOn", "sm-3-block-iia-codevelopment")]


def test_dependencies_follow_the_graphs_predicates_not_a_fixed_list(G: nx.MultiDiGraph
                                                                    ) -> None:
    H = G.copy()
    H.graph["dependency_predicates"] = [*G.graph["dependency_predicates"], "promotes"]
    assert "meti" in {lk.fact.subject for lk in A.impact(H, "japan-defence-industry")}
    assert "meti" not in {lk.fact.subject for lk in A.impact(G, "japan-defence-industry")}
    H.add_edge("x", "patriot-export-decision", key="dependsOn", predicate_label="depends on",
               evidence=[])
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
    assert dict(ranking.scores) == pytest.approx(nx.betweenness_centrality(undirected(G)),
                                                 abs=1e-9)


def test_rank_betweenness_sampled_says_so(G: nx.MultiDiGraph) -> None:
    n = G.number_of_nodes()
    sampled = A.rank(G, metric="betweenness", samples=10, seed=1)
    assert sampled.sampled == 10
    assert f"SAMPLED estimate from 10 of {n} source entities (seed 1)" in sampled.note
    assert A.rank(G, metric="betweenness", samples=10, seed=1) == sampled
    # sampling every source gives the exact value back
    assert dict(A.rank(G, metric="betweenness", samples=n).scores) == pytest.approx(
        dict(A.rank(G, metric="betweenness").scores))


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
    assert "japan" in cut
    bridges = []
    for u, v in U.edges():
        V = U.copy()
        V.remove_edge(u, v)
        if nx.number_connected_components(V) > components:
            bridges.append(tuple(sorted((u, v))))
    assert [(u, v) for u, v, _ in spof.bridges] == sorted(bridges)
    assert ("japan", "tomahawk") in bridges
    facts = dict(((u, v), f) for u, v, f in spof.bridges)[("japan", "tomahawk")]
    assert [(f.subject, f.predicate) for f in facts] == [("japan", "procures")]


def test_communities_partition_the_graph_deterministically(G: nx.MultiDiGraph) -> None:
    found = A.communities(G, seed=0)
    assert sorted(n for c in found for n in c) == sorted(G)
    assert len(found) > 1
    assert found == A.communities(G, seed=0)
    assert [len(c) for c in found] == sorted((len(c) for c in found), reverse=True)
    assert nx.community.modularity(undirected(G), [set(c) for c in found]) > 0.3


# --- time -------------------------------------------------------------------------------
def test_timeline_has_every_dated_claim_in_order_at_its_precision(G: nx.MultiDiGraph,
                                                                  rdf: Graph) -> None:
    entries = A.timeline(G)
    dates = [e.date for e in entries]
    assert dates == sorted(dates)
    expected = set()
    for prop in ("pointInTime", "validFrom", "validUntil"):
        for claim, when in rdf.subject_objects(
                URIRef("https://w3id.org/alliance-graph/ontology#" + prop)):
            expected.add((str(claim), str(when)))
    for claim, when in rdf.query(
            "PREFIX ag: <https://w3id.org/alliance-graph/ontology#> "
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
            "SELECT ?c ?d WHERE { ?c rdf:predicate ag:date ; rdf:object ?d }"):  # type: ignore[misc]
        expected.add((str(claim), str(when)))
    got = {(ev["claim"], e.date) for e in entries for ev in e.evidence}
    assert got == expected
    by_fact = {(e.subject, e.predicate, e.object): e for e in entries}
    gpi = by_fact[("gpi-codevelopment", "announcedBy", "usa")]
    assert (gpi.date, gpi.precision, gpi.kind) == ("2023-08", "month", "at")
    mou = by_fact[("rdte-mou", "signedBy", "lloyd-austin")]
    assert (mou.date, mou.precision) == ("2023", "year")
    kishida = by_fact[("kishida-fumio", "headOf", "japan")]
    assert (kishida.date, kishida.kind) == ("2021", "from")
    assert entries[0].date == "2021"
    assert dates.index("2023") < dates.index("2023-08") < dates.index("2023-12-22")
