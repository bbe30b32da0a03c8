"""The shapes compiled to whole-graph queries report exactly what pySHACL reports."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef

from graph import api
from graph.namespaces import AG, PROV
from graph.ontology import load_ontology
from graph.resources import ontology_dir
from graph.shacl_compiled import compile_shapes
from graph.synth import write_synthetic
from graph.validate import _compiled_violations, _shacl_violations, validate_graph

DCT = "http://purl.org/dc/terms/"
ID = "https://w3id.org/alliance-graph/id/"


def shapes() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def both(graph: Graph) -> tuple[list[str], list[str]]:
    onto = load_ontology()
    compiled = compile_shapes(shapes())
    assert compiled is not None, "the shipped shapes are within the compiled subset"
    fast = _compiled_violations(compiled.violations(graph, onto.graph))
    return fast, _shacl_violations(graph, onto, shapes())


def defects(graph: Graph) -> Graph:
    """Break every constraint of the shipped shapes, on IRIs and on a blank node."""
    e = URIRef(ID + "broken-entity")
    graph.add((e, RDF.type, AG.Company))  # no label, no identifier
    twice = URIRef(ID + "twice-labelled")
    graph.add((twice, RDF.type, AG.Nation))
    for label in (
        Literal("A", lang="en"),
        Literal("B", lang="en"),
        Literal("ア", lang="ja"),
        Literal("イ", lang="ja"),
    ):
        graph.add((twice, RDFS.label, label))
    graph.add((twice, URIRef(DCT + "identifier"), Literal("twice", lang="en")))
    graph.add((twice, URIRef(DCT + "identifier"), Literal("twice-2")))
    deal = URIRef(ID + "lonely-agreement")
    graph.add((deal, RDF.type, AG.Agreement))
    graph.add((deal, RDFS.label, Literal("Deal", lang="en")))
    graph.add((deal, URIRef(DCT + "identifier"), Literal("lonely-agreement")))
    graph.add((deal, AG.hasParty, Literal("not an agent")))
    for claim in (URIRef("https://w3id.org/alliance-graph/claim/broken"), BNode("b0")):
        graph.add((claim, RDF.type, AG.Claim))
        graph.add((claim, RDF.subject, Literal("a literal subject")))
        graph.add((claim, RDF.predicate, AG.hasParty))
        graph.add((claim, RDF.predicate, AG.procures))
        graph.add((claim, PROV.wasQuotedFrom, e))
        graph.add((claim, AG.quote, Literal("")))
        graph.add((claim, AG.quote, Literal("quoted", lang="en")))
        graph.add((claim, AG.pointInTime, Literal("2023-02-30", datatype=XSD.date)))
        graph.add((claim, AG.pointInTime, Literal("2023")))
        graph.add((claim, AG.validFrom, Literal("2023-01-01T00:00:00", datatype=XSD.dateTime)))
        graph.add((claim, AG.amount, Literal("lots", datatype=XSD.decimal)))
        graph.add((claim, AG.amount, Literal("12", datatype=XSD.integer)))
        graph.add((claim, AG.rank, URIRef("http://example.org/Preferred")))  # not a rank
    # A focus node the ontology (mixed in) also describes: its labels count too.
    graph.add((AG.Nation, RDF.type, AG.Company))
    graph.add((AG.Nation, RDFS.label, Literal("Nation", lang="en")))
    return graph


def test_compiled_shapes_match_pyshacl_on_every_kind_of_defect(tmp_path: Path) -> None:
    path = write_synthetic(tmp_path / "g.nt", 3_000, seed=3)
    graph = defects(Graph().parse(path, format="nt"))
    fast, reference = both(graph)
    assert len(reference) > 20
    # Same lines; pySHACL leaves the order of one node's values under one shape open.
    assert sorted(fast) == sorted(reference)
    key = [line.split(" (value")[0] for line in fast]
    assert key == [line.split(" (value")[0] for line in reference]


def test_compiled_shapes_match_pyshacl_on_the_shipped_data() -> None:
    result = api.validate()
    fast, reference = both(result.graph)
    assert fast == reference == []


def test_an_unknown_shape_feature_falls_back_to_pyshacl() -> None:
    graph = shapes()
    graph.add(
        (
            URIRef("https://example.org/s"),
            URIRef("http://www.w3.org/ns/shacl#closed"),
            Literal(True),
        )
    )
    assert compile_shapes(graph) is None


def test_validate_graph_reports_a_shape_failure_once(tmp_path: Path) -> None:
    path = write_synthetic(tmp_path / "g.nt", 2_000, seed=4)
    graph = Graph().parse(path, format="nt")
    deal = URIRef(ID + "lonely-agreement")
    graph.add((deal, RDF.type, AG.Agreement))
    graph.add((deal, RDFS.label, Literal("Deal", lang="en")))
    graph.add((deal, URIRef(DCT + "identifier"), Literal("lonely-agreement")))
    report = validate_graph(graph, load_ontology(), raise_on_error=False)
    assert report.violations == [
        f"shacl: {deal} {AG.hasParty}: an agreement needs at least two parties (ag:hasParty)"
    ]
