"""Edge cases of the violation queries' shapes: rows per triple where a check groups
its candidates first, and the preferred-claim test of claim-not-asserted, which is
split into nested EXISTS so that each pattern is matched with its claim bound.

Each test breaks a copy of the shipped build, as ``test_violation_checks`` does.
"""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef

from graph import api
from graph.namespaces import AG
from graph.ontology import Ontology, load_ontology
from tests.test_violation_checks import ID, asserted_claim, rows


@pytest.fixture(scope="module")
def ontology() -> Ontology:
    return load_ontology()


@pytest.fixture
def graph(built: api.BuildResult) -> Graph:
    copy = Graph()
    for triple in built.graph:
        copy.add(triple)
    return copy


def test_an_undeclared_entity_is_reported_once_per_triple_using_it(
    graph: Graph, ontology: Ontology
) -> None:
    claim, (s, p, _) = asserted_claim(graph)
    ghost = URIRef(ID + "used-twice-never-declared")
    graph.add((s, p, ghost))
    graph.add((claim, RDFS.seeAlso, ghost))
    graph.add((s, AG.quote, Literal(ID + "a-string-not-an-iri")))
    graph.add((s, p, BNode()))
    found = rows(graph, ontology, "dangling-entity-violation")
    assert len(found) == 2 and all(str(ghost) in line for line in found), found


def test_an_undeclared_predicate_is_reported_once(graph: Graph, ontology: Ontology) -> None:
    _, (s, _, o) = asserted_claim(graph)
    made_up = URIRef(str(AG) + "madeUpEverywhere")
    graph.add((s, made_up, o))
    graph.add((s, made_up, Literal("another value")))
    found = rows(graph, ontology, "undeclared-predicate-violation")
    assert found == [f"shacl: undeclared-predicate-violation: {made_up}"], found


def _less_precise(graph: Graph, s: URIRef, p: URIRef, name: str) -> URIRef:
    other = URIRef(ID + name)
    for triple in (
        (other, RDF.type, AG.Claim),
        (other, RDF.subject, s),
        (other, RDF.predicate, p),
        (other, RDF.object, Literal("a value no claim asserts")),
    ):
        graph.add(triple)
    return other


def _make_preferred(graph: Graph, claim: URIRef) -> None:
    for rank in list(graph.objects(claim, AG.rank)):
        graph.remove((claim, AG.rank, rank))
    graph.add((claim, AG.rank, AG.PreferredRank))


def test_a_claim_conflicting_with_the_preferred_claim_stands_on_its_value(
    graph: Graph, ontology: Ontology
) -> None:
    claim, (s, p, _) = asserted_claim(graph)
    _make_preferred(graph, claim)
    other = _less_precise(graph, s, p, "claim-conflicting")
    graph.add((other, AG.conflictsWith, claim))
    found = rows(graph, ontology, "claim-not-asserted-violation")
    assert [line for line in found if str(other) in line] == [], found


@pytest.mark.parametrize("what", ["not preferred", "other subject", "other predicate"])
def test_a_claim_linked_to_a_claim_that_does_not_stand_for_it_is_reported(
    graph: Graph, ontology: Ontology, what: str
) -> None:
    """Only the preferred claim of the same subject and predicate, with its value
    asserted, stands for a claim whose own value is not asserted: here the linked
    claim's value is asserted of the reported claim's subject and predicate too."""
    claim, (s, p, o) = asserted_claim(graph)
    _make_preferred(graph, claim)
    if what == "not preferred":
        graph.remove((claim, AG.rank, AG.PreferredRank))
        graph.add((claim, AG.rank, AG.NormalRank))
    other_s = URIRef(ID + "someone-else") if what == "other subject" else s
    other_p = URIRef(str(AG) + "someOtherPredicate") if what == "other predicate" else p
    other = _less_precise(graph, other_s, other_p, "claim-stood-for-by-nobody")
    graph.add((other_s, other_p, o))
    graph.add((claim, AG.refines, other))
    found = rows(graph, ontology, "claim-not-asserted-violation")
    assert len([line for line in found if str(other) in line]) == 1, found
