"""The release's entailment on integer codes agrees with plain definitions: the closure
and the components with networkx's, the rules with a naive fixpoint over rdflib terms
(on cycles, self-loops, chains, diamonds and random graphs), and the sorted lines
of the full release with Python's sort of the same strings."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from graph.entailment import Rules, entail, strong_components, transitive_closure
from graph.release import sorted_lines

EX = Namespace("http://example.org/")

SHAPES = {
    "chain": [(0, 1), (1, 2), (2, 3), (3, 4)],
    "diamond": [(0, 1), (0, 2), (1, 3), (2, 3), (3, 4)],
    "cycle": [(0, 1), (1, 2), (2, 0), (2, 3)],
    "self-loop": [(0, 0), (0, 1), (1, 2), (5, 5)],
    "two cycles joined": [(0, 1), (1, 0), (1, 2), (2, 3), (3, 2), (4, 3), (4, 4)],
    "disconnected": [(10, 11), (20, 21), (21, 22), (22, 20)],
    "one edge": [(7, 3)],
}


def random_edges(seed: int, nodes: int, edges: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    return [(rng.randrange(nodes), rng.randrange(nodes)) for _ in range(edges)]


CASES = {**SHAPES, **{f"random {s}": random_edges(s, 30 + 10 * s, 25 + 30 * s) for s in range(6)}}


def expected_closure(edges: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """networkx's transitive closure: (a, a) only when a lies on a cycle (non-trivial
    cycles make self-loops, networkx's default)."""
    closed = nx.transitive_closure(nx.DiGraph(edges), reflexive=False)
    return set(closed.edges)


@pytest.mark.parametrize("case", sorted(CASES))
def test_transitive_closure_is_networkx_closure(case: str) -> None:
    edges = CASES[case]
    src, dst = (np.array(column, dtype=np.int64) for column in zip(*edges, strict=True))
    a, c = transitive_closure(src, dst)
    got = list(zip(a.tolist(), c.tolist(), strict=True))
    assert len(got) == len(set(got)), "no pair twice"
    assert set(got) == expected_closure(edges)


def test_transitive_closure_of_nothing_is_empty() -> None:
    a, c = transitive_closure(np.empty(0, np.int64), np.empty(0, np.int64))
    assert a.size == c.size == 0


@pytest.mark.parametrize("case", sorted(CASES))
def test_strong_components_are_networkx_components(case: str) -> None:
    edges = CASES[case]
    n = 1 + max(max(e) for e in edges)
    src, dst = (np.array(column, dtype=np.int64) for column in zip(*edges, strict=True))
    component = strong_components(n, src, dst)
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(range(n))
    groups: dict[int, set[int]] = {}
    for node, c in enumerate(component):
        groups.setdefault(c, set()).add(node)
    expected = {frozenset(c) for c in nx.strongly_connected_components(graph)}
    assert {frozenset(g) for g in groups.values()} == expected
    assert sorted(groups) == list(range(len(groups)))
    for a, b in edges:  # successors first: an edge never climbs
        assert component[a] >= component[b]


# --- the rules ---------------------------------------------------------------------
def ontology() -> Graph:
    onto = Graph()
    for t in [
        (EX.spouse, RDF.type, OWL.SymmetricProperty),
        (EX.signed, OWL.inverseOf, EX.signedBy),
        (EX.buildsOn, RDFS.subPropertyOf, EX.dependsOn),
        (EX.requires, RDFS.subPropertyOf, EX.buildsOn),
        (EX.dependsOn, RDF.type, OWL.TransitiveProperty),
        (EX.dependsOn, OWL.inverseOf, EX.supports),
        (EX.partner, RDFS.subPropertyOf, EX.spouse),
        (EX.note, RDFS.subPropertyOf, RDFS.label),
        (EX.Agency, RDFS.subClassOf, EX.Agent),
        (EX.Agent, RDFS.subClassOf, EX.Entity),
        (EX.Office, RDFS.subClassOf, EX.Agency),
    ]:
        onto.add(t)
    return onto


def naive_entail(triples: list[tuple[Node, Node, Node]], rules: Rules) -> set:
    """Each rule applied to every known triple until nothing is new (slow, plain)."""
    known = set(triples)
    while True:
        new = set()
        for s, p, o in known:
            if p == RDF.type:
                new |= {(s, RDF.type, c) for c in rules.super_classes.get(o, ())}
            new |= {(s, q, o) for q in rules.super_properties.get(p, ())}
            if not isinstance(o, Literal):
                if p in rules.symmetric:
                    new.add((o, p, s))
                new |= {(o, q, s) for q in rules.inverse.get(p, ())}
        for p in rules.transitive:
            pairs = {(s, o) for s, q, o in known if q == p and not isinstance(o, Literal)}
            for (a, b), (c, d) in itertools.product(pairs, pairs):
                if b == c:
                    new.add((a, p, d))
        if new <= known:
            return known - set(triples)
        known |= new


def data_on(edges: list[tuple[int, int]], seed: int) -> list[tuple[Node, Node, Node]]:
    """Triples over the edges with properties and classes drawn at random."""
    rng = random.Random(seed)
    props = [EX.dependsOn, EX.buildsOn, EX.requires, EX.spouse, EX.partner, EX.signed, EX.other]
    node = [URIRef(f"{EX}n{i}") for i in range(1 + max(max(e) for e in edges))]
    triples: list[tuple[Node, Node, Node]] = [
        (node[a], rng.choice(props), node[b]) for a, b in edges
    ]
    for i, n in enumerate(node):
        if rng.random() < 0.5:
            triples.append((n, RDF.type, rng.choice([EX.Office, EX.Agency, EX.Agent, EX.Other])))
        if rng.random() < 0.3:
            prop = rng.choice([EX.dependsOn, EX.spouse, EX.note, EX.signed])
            triples.append((n, prop, Literal(f"text {i % 3}")))
    return triples


@pytest.mark.parametrize("case", sorted(CASES))
def test_entail_is_the_naive_fixpoint(case: str) -> None:
    onto = ontology()
    rules = Rules(onto)
    triples = [*data_on(CASES[case], seed=len(case)), *onto]
    got = entail(triples, rules)
    assert got == naive_entail(triples, rules)
    assert not got & set(triples), "nothing given is entailed again"


def test_entail_closes_through_rules_that_feed_each_other() -> None:
    """A sub-property feeds the transitive property, whose closure feeds its inverse."""
    rules = Rules(ontology())
    data = [(EX.a, EX.requires, EX.b), (EX.b, EX.dependsOn, EX.c), (EX.c, EX.buildsOn, EX.a)]
    got = entail(data, rules) | set(data)
    for x, y in itertools.product((EX.a, EX.b, EX.c), repeat=2):  # one cycle: all pairs
        assert (x, EX.dependsOn, y) in got
        assert (y, EX.supports, x) in got
    assert (EX.a, EX.buildsOn, EX.b) in got
    assert (EX.a, EX.buildsOn, EX.c) not in got  # buildsOn is not transitive


# --- the sorted lines --------------------------------------------------------------
def python_lines(rows: np.ndarray, texts: list[str]) -> bytes:
    lines = sorted(f"{texts[s]} {texts[p]} {texts[o]} .\n" for s, p, o in rows.tolist())
    return "".join(lines).encode("utf-8")


@pytest.mark.parametrize(
    "texts",
    [
        ["ag:a", "ag:ab", "ag:b", "agid:x", "<urn:x>", '"é"', '"a"@en', '"a"', "ag:á"],
        ["ag:a", "ag:a\tb", "ag:a b", "ag:a!", "ag:b"],  # prefixes followed by blanks
        ["x", "x ", "x  y", "y"],
    ],
)
def test_sorted_lines_are_python_sorted_lines(texts: list[str]) -> None:
    rng = np.random.default_rng(len(texts))
    rows = rng.integers(0, len(texts), size=(300, 3))
    assert sorted_lines(rows, texts) == python_lines(rows, texts)
    assert sorted_lines(np.empty((0, 3), np.int64), texts) == b""


def test_full_turtle_without_entailed_triples_ends_its_last_part() -> None:
    """As with triples: the entailed part is its prefixes, then the lines and a line end."""
    from graph.entailment import Entailment
    from graph.ontology import load_ontology
    from graph.release import full_turtle

    ontology = load_ontology()
    base = b"<urn:a> <urn:p> <urn:b> .\n"
    text = full_turtle(base, ontology, Entailment([], np.empty((0, 3), np.int64)))
    _, tail = text.split(b"# --- entailed by the ontology (graph.release) ---\n")
    assert tail.endswith(b" .\n\n") and tail.count(b"\n") == tail.count(b"@prefix ") + 1
    assert len(Graph().parse(data=text, format="turtle")) == 1 + len(ontology.graph)
