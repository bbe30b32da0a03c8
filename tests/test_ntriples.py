"""The N-Triples writer sorts by subject, then each subject's lines: the same bytes as
sorting every line, whatever the subjects' texts."""

from __future__ import annotations

import random

from rdflib import XSD, BNode, Graph, Literal, URIRef

from graph import ntriples
from graph.triplestore import new_graph


def _every_line_sorted(graph: Graph) -> bytes:
    return "".join(sorted(ntriples.lines(iter(graph)))).encode("utf-8")


def _fill(graph: Graph, subjects: list, seed: int) -> Graph:
    rng = random.Random(seed)
    predicates = [URIRef("urn:p"), URIRef("urn:p2"), URIRef("urn:p:longer")]
    objects = [
        URIRef("urn:o"),
        BNode("b1"),
        Literal("x"),
        Literal("x", lang="en"),
        Literal("x\ty"),
        Literal('x\u2028y\n"z\\'),
        Literal("1", datatype=XSD.integer),
    ]
    for _ in range(400):
        graph.add((rng.choice(subjects), rng.choice(predicates), rng.choice(objects)))
    return graph


def test_sorted_like_every_line_when_subjects_are_prefixes_of_each_other() -> None:
    subjects = [URIRef("urn:a"), URIRef("urn:ab"), URIRef("urn:a:b"), BNode("b1"), BNode("b10")]
    for seed in range(5):
        for graph in (_fill(new_graph(), subjects, seed), _fill(Graph(), subjects, seed)):
            assert ntriples.serialize(graph) == _every_line_sorted(graph)


def test_sorted_like_every_line_when_a_subject_holds_a_space_or_control() -> None:
    # Not valid IRIs, but rdflib keeps them: the writer falls back to sorting every line.
    subjects = [URIRef("urn:a"), URIRef("urn:a> b"), URIRef("urn:a>\tb"), URIRef("urn:a>!")]
    for seed in range(5):
        graph = _fill(new_graph(), subjects, seed)
        assert ntriples.serialize(graph) == _every_line_sorted(graph)


def test_unsorted_lines_follow_the_index() -> None:
    graph = _fill(new_graph(), [URIRef("urn:z"), URIRef("urn:a")], 0)
    assert ntriples.serialize(graph, sort=False) == "".join(
        ntriples.lines(ntriples.triples(graph))
    ).encode("utf-8")
