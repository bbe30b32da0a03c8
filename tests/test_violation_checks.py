"""Each violation query of ``ontology/checks/`` reports the defect it is written for,
on the shipped build with that one defect put in, and nothing on the build as it is.

The checks are run as the build runs them (:func:`graph.validate._query_violations`,
one Oxigraph store with the ontology mixed in), each alone, so a row is that
check's. The defects are made from whatever the build holds (the first claim
with a date, the first asserted fact, ...), not from named records, so the tests
hold as the data grows.

The last tests probe the edges of the queries' shapes: rows per triple where a check
groups its candidates first, and the preferred-claim test of claim-not-asserted,
which is split into nested EXISTS so that each pattern is matched with its claim
bound.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph import api
from graph.namespaces import AG, PROV
from graph.ontology import Ontology, load_ontology
from graph.resources import ontology_dir
from graph.validate import _query_violations

ID = "https://w3id.org/alliance-graph/id/"
DCT_IDENTIFIER = URIRef("http://purl.org/dc/terms/identifier")
CHECKS = sorted((ontology_dir() / "checks").glob("*-violation.rq"))


@pytest.fixture(scope="module")
def ontology() -> Ontology:
    return load_ontology()


@pytest.fixture
def graph(built: api.BuildResult) -> Graph:
    """A copy of the shipped build's graph, to break."""
    copy = Graph()
    for triple in built.graph:
        copy.add(triple)
    return copy


def rows(graph: Graph, ontology: Ontology, name: str) -> list[str]:
    """The lines the check ``name`` reports on ``graph``, as the build reports them."""
    (check,) = [c for c in CHECKS if c.stem == name]
    return _query_violations(graph, ontology, [check])


def claims_of(graph: Graph, p: Node) -> list[tuple[Node, Node]]:
    """(claim, value) of every claim with the qualifier ``p``, in a stable order."""
    return sorted(
        ((c, v) for c, v in graph.subject_objects(p) if (c, RDF.type, AG.Claim) in graph),
        key=lambda cv: str(cv[0]),
    )


def asserted_claim(graph: Graph) -> tuple[Node, tuple[Node, Node, Node]]:
    """A claim not deprecated whose fact is asserted, and only its own value stands for
    it (no refining or conflicting claim that another value would justify)."""
    for claim in sorted(graph.subjects(RDF.type, AG.Claim), key=str):
        s = graph.value(claim, RDF.subject)
        p = graph.value(claim, RDF.predicate)
        o = graph.value(claim, RDF.object)
        if None in (s, p, o) or (s, p, o) not in graph:
            continue
        if (claim, AG.rank, AG.DeprecatedRank) in graph:
            continue
        if any(graph.objects(claim, AG.refines)) or any(graph.objects(claim, AG.conflictsWith)):
            continue
        return claim, (s, p, o)
    raise AssertionError("the shipped build has a claim whose fact is asserted")


def test_the_shipped_build_breaks_no_check(graph: Graph, ontology: Ontology) -> None:
    assert CHECKS, "the ontology ships violation queries"
    for check in CHECKS:
        assert rows(graph, ontology, check.stem) == [], check.stem


@pytest.mark.parametrize(
    "value",
    [
        Literal("2023-01-12"),  # a plain string
        Literal("2023-01-12T00:00:00", datatype=XSD.dateTime),
    ],
    ids=["string", "dateTime"],
)
def test_a_date_not_typed_at_its_precision(
    graph: Graph, ontology: Ontology, value: Literal
) -> None:
    dated = claims_of(graph, AG.pointInTime) + claims_of(graph, AG.date)
    assert dated, "the shipped build has dated claims"
    claim, old = dated[0]
    p = AG.pointInTime if (claim, AG.pointInTime, old) in graph else AG.date
    graph.remove((claim, p, old))
    graph.add((claim, p, value))
    found = rows(graph, ontology, "claim-date-precision-violation")
    assert len(found) == 1 and str(claim) in found[0] and str(p) in found[0], found


def test_a_claim_whose_fact_is_not_asserted(graph: Graph, ontology: Ontology) -> None:
    claim, fact = asserted_claim(graph)
    graph.remove(fact)
    found = rows(graph, ontology, "claim-not-asserted-violation")
    mine = [line for line in found if str(claim) in line]
    assert len(mine) == 1 and all(str(t) in mine[0] for t in fact), found


def test_a_deprecated_claim_need_not_be_asserted(graph: Graph, ontology: Ontology) -> None:
    claim, fact = asserted_claim(graph)
    graph.remove(fact)
    for rank in list(graph.objects(claim, AG.rank)):
        graph.remove((claim, AG.rank, rank))
    graph.add((claim, AG.rank, AG.DeprecatedRank))
    found = rows(graph, ontology, "claim-not-asserted-violation")
    assert [line for line in found if str(claim) in line] == []


def test_a_less_precise_claim_stands_on_its_preferred_claims_value(
    graph: Graph, ontology: Ontology
) -> None:
    """A claim that refines or conflicts with a preferred claim, whose own value is not
    asserted, passes while the preferred value is asserted, and fails once it is not."""
    claim, fact = asserted_claim(graph)
    s, p, _ = fact
    other = URIRef(ID + "claim-less-precise")
    value = Literal("a value no claim asserts")
    for triple in (
        (other, RDF.type, AG.Claim),
        (other, RDF.subject, s),
        (other, RDF.predicate, p),
        (other, RDF.object, value),
        (other, AG.refines, claim),
    ):
        graph.add(triple)
    for rank in list(graph.objects(claim, AG.rank)):
        graph.remove((claim, AG.rank, rank))
    graph.add((claim, AG.rank, AG.PreferredRank))
    check = "claim-not-asserted-violation"
    assert [line for line in rows(graph, ontology, check) if str(other) in line] == []
    graph.remove(fact)  # the preferred value is no longer asserted: both are reported
    found = rows(graph, ontology, check)
    assert [line for line in found if str(other) in line], found
    assert [line for line in found if str(claim) in line], found


def test_an_entity_used_but_not_declared(graph: Graph, ontology: Ontology) -> None:
    _, (s, p, _) = asserted_claim(graph)
    ghost = URIRef(ID + "nobody-declared-this")
    graph.add((s, p, ghost))
    found = rows(graph, ontology, "dangling-entity-violation")
    assert len(found) == 1 and str(ghost) in found[0] and str(s) in found[0], found
    graph.add((ghost, DCT_IDENTIFIER, Literal("nobody-declared-this")))
    assert rows(graph, ontology, "dangling-entity-violation") == []


@pytest.mark.parametrize(
    "breaking",
    [
        lambda g, claim: g.remove((claim, AG.quote, None)),
        lambda g, claim: g.remove((claim, PROV.wasQuotedFrom, None)),
        lambda g, claim: g.remove((claim, None, None)),
    ],
    ids=["no quote", "no source", "no claim"],
)
def test_a_fact_without_evidence(
    graph: Graph, ontology: Ontology, breaking: Callable[[Graph, Node], None]
) -> None:
    claim, fact = asserted_claim(graph)
    others = [
        c
        for c in graph.subjects(RDF.subject, fact[0])
        if c != claim and (c, RDF.predicate, fact[1]) in graph and (c, RDF.object, fact[2]) in graph
    ]
    for c in [claim, *others]:  # every claim of the fact loses its evidence
        breaking(graph, c)
    found = rows(graph, ontology, "fact-without-evidence-violation")
    assert len(found) == 1 and all(str(t) in found[0] for t in fact), found


def test_a_predicate_the_ontology_does_not_declare(graph: Graph, ontology: Ontology) -> None:
    _, (s, _, o) = asserted_claim(graph)
    made_up = URIRef(str(AG) + "madeUpProperty")  # AG itself admits declared terms only
    graph.add((s, made_up, o))
    found = rows(graph, ontology, "undeclared-predicate-violation")
    assert found == [f"shacl: undeclared-predicate-violation: {made_up}"], found


# --- the edges of the queries' shapes ---------------------------------------------


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
