"""graph.triplestore.TripleIndex answers as rdflib's default store does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph import ntriples
from graph.triplestore import TripleIndex, new_graph

_NODES = [URIRef(f"urn:n{i}") for i in range(5)]
_OBJECTS = [*_NODES, Literal("x"), Literal("x", lang="en"), Literal(1)]
_TRIPLES = st.tuples(
    st.sampled_from(_NODES), st.sampled_from(_NODES[:3]), st.sampled_from(_OBJECTS)
)


def _patterns() -> list[tuple[object, object, object]]:
    out: list[tuple[object, object, object]] = [(None, None, None)]
    for s in [None, _NODES[0], _NODES[4]]:
        for p in [None, _NODES[1]]:
            for o in [None, _NODES[2], Literal("x")]:
                out.append((s, p, o))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(_TRIPLES, max_size=40), st.lists(_TRIPLES, max_size=10))
def test_same_answers_as_rdflib_memory(added: list, removed: list) -> None:
    ours, theirs = new_graph(), Graph()
    for triple in added:
        ours.add(triple)
        theirs.add(triple)
    for triple in removed:
        ours.remove(triple)
        theirs.remove(triple)
    assert len(ours) == len(theirs)
    assert isomorphic(ours, theirs)
    for pattern in _patterns():
        assert sorted(ours.triples(pattern)) == sorted(theirs.triples(pattern)), pattern
    # A caller may remove (or add) while iterating, as with rdflib's stores.
    for pattern in [(None, None, None), (_NODES[0], None, None), (None, _NODES[1], None)]:
        for triple in ours.triples(pattern):
            ours.remove(triple)
            ours.add((triple[0], _NODES[2], Literal("moved")))
        for triple in theirs.triples(pattern):
            theirs.remove(triple)
            theirs.add((triple[0], _NODES[2], Literal("moved")))
        assert len(ours) == len(theirs) and isomorphic(ours, theirs)
    # The object index made on first use is kept up to date by later additions.
    ours.add((_NODES[0], _NODES[1], Literal("late")))
    assert list(ours.subjects(None, Literal("late"))) == [_NODES[0]]


def test_iteration_order_is_the_default_stores() -> None:
    """Outputs written from the index (graph.ntriples) keep their order and bytes."""
    triples = [(_NODES[i % 5], _NODES[i % 3], Literal(i)) for i in range(30)]
    ours, theirs = new_graph(), Graph()
    for triple in triples:
        ours.add(triple)
        theirs.add(triple)
    assert list(ntriples.triples(ours)) == list(ntriples.triples(theirs))
    assert ntriples.serialize(ours, sort=False) == ntriples.serialize(theirs, sort=False)


def test_prefixes_and_serialisation() -> None:
    g = new_graph()
    g.bind("ex", "urn:ex:")
    g.add((URIRef("urn:ex:a"), URIRef("urn:ex:p"), Literal("v")))
    assert ("ex", URIRef("urn:ex:")) in list(g.namespaces())
    assert "ex:a ex:p" in g.serialize(format="turtle")
    assert isinstance(g.store, TripleIndex)
    assert len(list(g.query("SELECT ?s WHERE { ?s ?p 'v' }"))) == 1


def test_projection_of_a_build_reads_its_index_as_the_graph(built) -> None:
    """The projection reads a build's index directly (graph.network.triples): the same
    entities and facts as from the same triples in rdflib's default store."""
    from graph.network import to_networkx

    assert isinstance(built.graph.store, TripleIndex)
    plain = Graph()
    for triple in built.graph:
        plain.add(triple)
    ours = to_networkx(built.graph, ontology=built.ontology)
    theirs = to_networkx(plain, ontology=built.ontology)
    assert dict(ours.nodes(data="label")) == dict(theirs.nodes(data="label"))
    assert sorted(ours.edges(keys=True)) == sorted(theirs.edges(keys=True))
    assert ours.number_of_edges() > 0
