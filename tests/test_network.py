"""The NetworkX projection: lossless for entity-to-entity facts, evidence kept, options,
name resolution and export. Expected values come from the built RDF read with rdflib."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, Graph, Literal, URIRef

from graph import api
from graph.errors import EntityNotFound, InvalidOptionError
from graph.namespaces import ID
from graph.network import (
    date_bounds,
    resolve_entity,
    to_networkx,
    valid_as_of,
    write_network,
)
from graph.ontology import load_ontology

AG = "https://w3id.org/alliance-graph/ontology#"
PREFIXES = """
PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def local(iri: object) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def eid(iri: object) -> str:
    return str(iri)[len(str(ID)) :]


@pytest.fixture(scope="module")
def rdf(built_dir: Path) -> Graph:
    return Graph().parse(built_dir / "alliance.ttl", format="turtle")


@pytest.fixture(scope="module")
def G(built_dir: Path) -> nx.MultiDiGraph:
    return to_networkx(built_dir / "alliance.nt")


def entity_triples(rdf: Graph) -> set[tuple[str, str, str]]:
    """Asserted triples between two entities (not sources), by SPARQL on the built RDF,
    as ``(subject id, object id, predicate local name)`` like the edges of ``G``."""
    rows = rdf.query(
        PREFIXES
        + """
        SELECT ?s ?p ?o WHERE {
          ?s ?p ?o . ?s dcterms:identifier ?a . ?o dcterms:identifier ?b .
          FILTER (?p != rdf:type)
          FILTER NOT EXISTS { ?s a ag:Source } FILTER NOT EXISTS { ?o a ag:Source }
        }"""
    )
    return {(eid(s), eid(o), local(p)) for s, p, o in rows}  # type: ignore[misc]


def claims_of(rdf: Graph, s: str, p: URIRef, o: object) -> dict[str, str]:
    """Claim IRI → quote of every claim reifying one triple."""
    return {
        str(c): str(rdf.value(c, URIRef(AG + "quote")))
        for c in rdf.subjects(RDF.subject, URIRef(str(ID) + s))
        if rdf.value(c, RDF.predicate) == p and rdf.value(c, RDF.object) == o
    }


# --- losslessness -----------------------------------------------------------------------
def test_every_entity_to_entity_triple_is_one_edge_and_back(G: nx.MultiDiGraph, rdf: Graph) -> None:
    triples = entity_triples(rdf)
    edges = list(G.edges(keys=True))
    assert len(edges) == len(set(edges)) == len(triples)
    assert set(edges) == triples
    assert len(triples) > 40


def test_every_edge_carries_exactly_the_claims_of_its_triple(
    G: nx.MultiDiGraph, rdf: Graph
) -> None:
    for u, v, key, data in G.edges(keys=True, data=True):
        expected = claims_of(rdf, u, URIRef(data["iri"]), URIRef(str(ID) + v))
        assert expected, (u, key, v)
        assert {e["claim"]: e["quote"] for e in data["evidence"]} == expected
        for ev in data["evidence"]:
            claim = URIRef(ev["claim"])
            assert ev["source"] == eid(
                rdf.value(claim, URIRef("http://www.w3.org/ns/prov#wasQuotedFrom"))
            )
            for key_, prop in (
                ("date", "pointInTime"),
                ("valid_from", "validFrom"),
                ("valid_until", "validUntil"),
                ("role", "role"),
                ("currency", "currency"),
            ):
                value = rdf.value(claim, URIRef(AG + prop))
                assert ev[key_] == (str(value) if value is not None else None)


def test_literals_are_attributes_never_nodes(G: nx.MultiDiGraph, rdf: Graph) -> None:
    entities = {
        eid(s)
        for s in rdf.subjects(URIRef("http://purl.org/dc/terms/identifier"))
        if (s, RDF.type, URIRef(AG + "Source")) not in rdf
    }
    assert set(G) == entities
    literal_claims = [
        c
        for c in rdf.subjects(RDF.type, URIRef(AG + "Claim"))
        if isinstance(rdf.value(c, RDF.object), Literal)
    ]
    # A less precise or disputed value joins its fact's evidence with its own value.
    facts = [
        (n, f["predicate"], f["value"] if ev["asserted"] else ev["value"], ev["claim"])
        for n, fs in G.nodes(data="facts")
        for f in fs
        for ev in f["evidence"]
    ]
    assert len(facts) == len(literal_claims)
    for c in literal_claims:
        s, p, o = (rdf.value(c, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        assert (eid(s), local(p), str(o), str(c)) in facts
    sosa = {f["predicate"]: f for f in G.nodes["sosa"]["facts"]}
    assert sosa["legallyBinding"]["value"] == "false"
    assert sosa["legallyBinding"]["datatype"] == "boolean"


def test_rdflib_graph_in_memory_gives_the_same_projection(
    G: nx.MultiDiGraph, built: api.BuildResult
) -> None:
    H = to_networkx(built.graph)
    assert list(H.nodes(data=True)) == list(G.nodes(data=True))
    assert list(H.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))
    assert H.graph == G.graph


def test_node_attributes_follow_the_contract(G: nx.MultiDiGraph, rdf: Graph) -> None:
    dod = G.nodes["dod"]
    assert dod["iri"] == str(ID) + "dod"
    assert dod["type"] == "GovernmentAgency"
    assert dod["label"] == "United States Department of Defense"
    assert dod["label_ja"] == "アメリカ合衆国国防総省"
    assert dod["aliases"] == sorted(
        str(a)
        for a in rdf.objects(
            URIRef(str(ID) + "dod"), URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
        )
    )
    assert dod["description"] == "The United States' defence ministry."
    assert dod["external_ids"] == {}
    touching = [ev["source"] for *_, d in G.edges("dod", data=True) for ev in d["evidence"]]
    touching += [ev["source"] for *_, d in G.in_edges("dod", data=True) for ev in d["evidence"]]
    touching += [ev["source"] for f in dod["facts"] for ev in f["evidence"]]
    assert dod["sources"] == sorted(set(touching)) and "us-japan-cooperation-2024" in touching
    # dates come from the claims in and out, at their precision
    assert "2023-08" in G.nodes["gpi-codevelopment"]["dates"]
    assert "2023-12-22" in G.nodes["export-rule-revision-2023"]["dates"]
    assert "2023" in G.nodes["lloyd-austin"]["dates"]  # signedBy, dated "2023", points in
    assert G.graph["sources"]["us-japan-cooperation-2024"]["url"] is None
    assert set(G.graph["sources"]["us-japan-cooperation-2024"]) == {
        "title",
        "publisher",
        "url",
        "date",
        "notes",
    }
    assert G.graph["type_labels"]["Nation"] == {"en": "nation", "ja": "国家"}
    assert G.graph["predicate_labels"]["headOf"]["en"] == "head of"
    edge = G.edges["japan", "tomahawk", "procures"]
    assert edge["predicate"] == "procures" and edge["predicate_label"] == "procures"
    assert any(ev["amount"] and ev["currency"] == "USD" for ev in edge["evidence"])
    assert {ev["rank"] for ev in edge["evidence"]} <= {"preferred", "normal", "deprecated"}
    assert set(edge["evidence"][0]) == {
        "claim",
        "source",
        "source_title",
        "quote",
        "date",
        "valid_from",
        "valid_until",
        "role",
        "amount",
        "currency",
        "quantity",
        "rank",
        "rank_reason",
        "links",
        "asserted",
        "value",
    }
    assert set(edge["status"]) == {"sources", "corroborated", "refined", "disputed"}


def test_dependency_predicates_come_from_the_ontology(G: nx.MultiDiGraph) -> None:
    onto = load_ontology()
    assert G.graph["dependency_predicates"] == sorted(onto.dependency_predicates)
    sub = onto.graph.query(PREFIXES + "SELECT ?p WHERE { ?p rdfs:subPropertyOf+ ag:dependsOn }")
    assert {local(p) for (p,) in sub} | {"dependsOn"} == set(G.graph["dependency_predicates"])


# --- options ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dates", "as_of", "kept"),
    [
        ({}, "1900", True),
        ({"date": "2023"}, "2023-06-01", True),
        ({"date": "2023-12-22"}, "2023", True),
        ({"date": "2023-12-22"}, "2023-12-21", False),
        ({"date": "2023-08"}, "2023-07-31", False),
        ({"date": "2023-08"}, "2023-08-31", True),
        ({"valid_from": "2021"}, "2020-12", False),
        ({"valid_from": "2021", "valid_until": "2022-03"}, "2022-03-31", True),
        ({"valid_from": "2021", "valid_until": "2022-03"}, "2022-04", False),
        ({"valid_until": "2022"}, "2021", True),
    ],
)
def test_valid_as_of_compares_partial_dates_as_spans(
    dates: dict[str, str], as_of: str, kept: bool
) -> None:
    assert valid_as_of([{"quote": "q", **dates}], as_of) is kept


def test_as_of_keeps_exactly_the_facts_valid_then(built_dir: Path, G: nx.MultiDiGraph) -> None:
    G2023 = to_networkx(built_dir / "alliance.nt", as_of="2023-06")
    assert not G2023.has_edge("gpi-codevelopment", "usa", "announcedBy")  # 2023-08
    assert not G2023.has_edge("state-visit-2024", "white-house", "announcedBy")  # 2024-01-25
    assert G2023.has_edge("rdte-mou", "lloyd-austin", "signedBy")  # "2023"
    assert G2023.has_edge("kishida-fumio", "japan", "headOf")  # from 2021
    assert G2023.has_edge("dod", "usa", "subOrganizationOf")  # undated
    expected = {e for e in G.edges(keys=True) if valid_as_of(G.edges[e]["evidence"], "2023-06")}
    assert set(G2023.edges(keys=True)) == expected
    assert set(G2023) == set(G)
    # the revision's claims dated 2023-12-22 go; its own date fact (a literal) stays
    assert not G2023.has_edge("export-rule-revision-2023", "export-rules", "amends")
    assert all(
        not any(ev["date"] == "2023-12-22" for ev in G.edges[e]["evidence"])
        for e in G2023.out_edges("export-rule-revision-2023", keys=True)
    )
    assert "date" in [f["predicate"] for f in G2023.nodes["export-rule-revision-2023"]["facts"]]
    assert not to_networkx(built_dir / "alliance.nt", as_of="2020").has_edge(
        "kishida-fumio", "japan", "headOf"
    )


@pytest.mark.parametrize("bad", ["2023-13", "yesterday", "2023-02-30", "23", "2023/12/22"])
def test_unparseable_as_of_lists_the_accepted_forms(built_dir: Path, bad: str) -> None:
    with pytest.raises(InvalidOptionError) as info:
        to_networkx(built_dir / "alliance.nt", as_of=bad)
    assert str(info.value) == (
        f"as_of: {bad!r} is not a date (use YYYY, YYYY-MM or "
        "YYYY-MM-DD, e.g. 2023, 2023-12 or 2023-12-22)"
    )
    assert isinstance(info.value, ValueError)


def test_date_bounds_keep_precision() -> None:
    assert [str(d) for d in date_bounds("2023-02")] == ["2023-02-01", "2023-02-28"]


def test_types_restrict_to_subclasses_and_the_facts_between(
    built_dir: Path, G: nx.MultiDiGraph
) -> None:
    onto = load_ontology()
    H = to_networkx(built_dir / "alliance.nt", types=["Organization"])
    orgs = {n for n, t in G.nodes(data="type") if onto.is_subclass(t, "Organization")}
    assert set(H) == orgs and {"usa", "dod", "jsdf", "japan-defence-industry"} <= orgs
    assert set(H.edges(keys=True)) == {
        (u, v, k) for u, v, k in G.edges(keys=True) if u in orgs and v in orgs
    }


def test_predicates_restrict_with_sub_properties(built_dir: Path, G: nx.MultiDiGraph) -> None:
    H = to_networkx(built_dir / "alliance.nt", predicates=["dependsOn"])
    deps = set(G.graph["dependency_predicates"])
    assert set(H.edges(keys=True)) == {e for e in G.edges(keys=True) if e[2] in deps}
    assert H.number_of_edges() >= 5
    assert all(f["predicate"] in deps for _, fs in H.nodes(data="facts") for f in fs)


def test_unknown_type_or_predicate_is_an_error(built_dir: Path) -> None:
    with pytest.raises(InvalidOptionError, match=r"^types: unknown type 'Nations' \(use one of: "):
        to_networkx(built_dir / "alliance.nt", types=["Nations"])
    with pytest.raises(InvalidOptionError, match=r"^predicates: unknown predicate 'dependOn'"):
        to_networkx(built_dir / "alliance.nt", predicates=["dependOn"])


def test_api_loads_the_built_folder_and_says_when_missing(built_dir: Path, tmp_path: Path) -> None:
    assert api.to_networkx(built_dir).number_of_edges() > 40
    with pytest.raises(Exception, match=r"alliance.nt: does not exist \(run 'alliance-graph"):
        api.to_networkx(tmp_path)


# --- resolution -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("dod", "dod"),
        ("DoD", "dod"),
        ("DOD", "dod"),
        ("Department of Defense", "dod"),
        ("department of defense", "dod"),
        ("Division of Protection", "dod"),
        ("  u.s.   DIVISION of protection ", "dod"),
        ("アメリカ合衆国国防総省", "dod"),
        ("METI", "meti"),
        ("Ministry of Financial system, Commerce, and Trade", "meti"),
        ("December 2023 export-rule revision", "export-rule-revision-2023"),
        ("Japan’s defence industry", "japan-defence-industry"),
        ("Glide-Part Interceptor", "gpi"),
        ("tomahawk", "tomahawk"),
    ],
)
def test_resolve_by_id_label_alias_in_any_case(G: nx.MultiDiGraph, name: str, node: str) -> None:
    assert resolve_entity(G, name) == node


def test_every_name_of_every_entity_resolves_to_it(G: nx.MultiDiGraph) -> None:
    for node, data in G.nodes(data=True):
        for name in [node, data["label"], data["label_ja"], *data["aliases"]]:
            if name:
                assert resolve_entity(G, name.upper()) == node, name


def test_unknown_name_suggests_close_ones(G: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFound) as info:
        resolve_entity(G, "Tomahwk")
    assert str(info.value) == "no entity 'Tomahwk'; did you mean tomahawk (Tomahawk)?"
    with pytest.raises(EntityNotFound, match=r"^no entity 'zzzz' \(name an entity by"):
        resolve_entity(G, "zzzz")


def test_ambiguous_name_lists_the_candidates(G: nx.MultiDiGraph) -> None:
    H = G.copy()
    H.nodes["mod-japan"]["aliases"] = [*H.nodes["mod-japan"]["aliases"], "Pentagon"]
    with pytest.raises(EntityNotFound) as info:
        resolve_entity(H, "pentagon")
    assert str(info.value) == (
        "'pentagon' is ambiguous: it names dod (United States Department of Defense); "
        "mod-japan (Ministry of Defense (Japan)) (give one of these ids)"
    )


# --- export -----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_round_trips_with_evidence(G: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:
    path = write_network(G, tmp_path / f"alliance.{fmt}")
    H = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert set(H) == set(G)
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    for u, v, key, data in G.edges(keys=True, data=True):
        back = next(d for k, d in H[u][v].items() if k == key)
        assert json.loads(back["evidence"]) == data["evidence"]
        assert back["quote"] == " | ".join(e["quote"] for e in data["evidence"])
    for node, data in G.nodes(data=True):
        assert H.nodes[node]["label"] == data["label"]
        assert json.loads(H.nodes[node]["aliases"]) == data["aliases"]
        assert json.loads(H.nodes[node]["facts"]) == data["facts"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_rejects_unknown_format(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(InvalidOptionError, match="unknown export format 'csv'"):
        write_network(G, tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_a_corrupt_built_file_is_a_clear_error(tmp_path: Path) -> None:
    from graph.errors import NotBuiltError

    bad = tmp_path / "alliance.nt"
    bad.write_text("<urn:a> <urn:b> this is not n-triples .\n", encoding="utf-8")
    with pytest.raises(NotBuiltError, match="does not parse"):
        to_networkx(bad)
