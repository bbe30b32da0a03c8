"""N-Triples written straight from an rdflib graph's in-memory index: one writer.

The build's ``alliance.nt`` (sorted lines) and the validation's Oxigraph store
(:func:`graph.shacl_compiled.oxigraph_store`) are both written here. rdflib's
``Graph.serialize`` looks up every triple's contexts and goes through its plugin
layers; writing the lines directly, each IRI once, is several times as fast and
gives the same bytes as rdflib's N-Triples writer (``tests/test_build.py``
compares them), with one addition: the characters that line-oriented tools take
for line breaks (Python's ``str.splitlines`` splits at all of them) and the
invisible controls are written as ``\\uXXXX`` escapes, which every N-Triples
parser reads back, so a file splits into triples at ``\\n`` and nowhere else.

Depends on rdflib only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

#: rdflib's escapes (backslash, quote, line feed, carriage return), and ``\\uXXXX`` for
#: the other controls and line separators (tab stays raw, as rdflib writes it).
_LINE_BREAKERS = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x85, 0x2028, 0x2029]
_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        '"': '\\"',
        "\n": "\\n",
        "\r": "\\r",
        **{chr(c): f"\\u{c:04X}" for c in _LINE_BREAKERS},
    }
)

#: Any character :data:`_ESCAPES` changes: most literals have none and are not translated.
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(chr(c) for c in _ESCAPES)) + "]")


def triples(graph: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of ``graph``; read straight from rdflib's in-memory index when it is
    a plain graph over the default store or a :class:`graph.triplestore.TripleIndex`
    (3× faster than ``iter(graph)``, which looks up each triple's contexts)."""
    from graph.triplestore import plain_indexes

    indexes = plain_indexes(graph)
    if indexes is None:
        yield from graph
        return
    spo = indexes[0]
    for s, po in spo.items():
        for p, objects in po.items():
            for o in objects:
                yield s, p, o


def _literal(node: Any) -> str:
    """A :class:`~rdflib.Literal` as N-Triples text.

    Reads the language and datatype from rdflib's slots: the properties that return
    them cost a third of this function, which runs for every literal of a build.
    """
    lexical = node.translate(_ESCAPES) if _NEEDS_ESCAPE.search(node) else str(node)
    language = node._language
    if language:
        return f'"{lexical}"@{language}'
    datatype = node._datatype
    if datatype is not None:
        return f'"{lexical}"^^<{datatype}>'
    return f'"{lexical}"'


def _resource(node: Node) -> str:
    """An IRI or blank node as N-Triples text."""
    return f"_:{node}" if isinstance(node, BNode) else f"<{node}>"


def lines(rows: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """One N-Triples line (with its ``\\n``) per triple, in the order given."""
    written: dict[Node, str] = {}  # IRIs and blank nodes, each written once

    def term(node: Node) -> str:
        if isinstance(node, Literal):
            return _literal(node)
        text = written.get(node)
        if text is None:
            text = written[node] = _resource(node)
        return text

    return [f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in rows]


def _subject_lines(spo: dict[Node, dict[Node, dict[Node, int]]]) -> list[tuple[str, list[str]]]:
    """The lines of each subject of an ``spo`` index, in the index's order: IRIs and
    blank nodes written once each, each subject and predicate once per subject."""
    resources: dict[Node, str] = {}

    def resource(node: Node) -> str:
        if isinstance(node, Literal):  # not in RDF, but an rdflib graph may hold it
            return _literal(node)
        text = resources.get(node)
        if text is None:
            text = resources[node] = _resource(node)
        return text

    iri = URIRef
    literal = Literal
    groups: list[tuple[str, list[str]]] = []
    for s, po in spo.items():
        subject = resource(s)
        rows: list[str] = []
        add = rows.append
        for p, objects in po.items():
            head = f"{subject} {resource(p)} "
            for o in objects:
                kind = type(o)
                if kind is iri:
                    text = resources.get(o)
                    if text is None:
                        text = resources[o] = f"<{o}>"
                elif kind is literal:
                    text = _literal(o)
                else:
                    text = resource(o)
                add(f"{head}{text} .\n")
        groups.append((subject, rows))
    return groups


#: A character at or below the space: a subject text with none is never a prefix of
#: another subject's line up to that line's space, so sorting subjects, then each
#: subject's lines, gives the order of sorting every line.
_SPACE_OR_CONTROL = re.compile("[\x00- ]")


def serialize(graph: Graph, *, sort: bool = True) -> bytes:
    """The triples of ``graph`` as N-Triples, one ``\\n``-terminated line each, sorted
    (by code point) unless ``sort`` is false.

    >>> from rdflib import RDFS, URIRef
    >>> g = Graph()
    >>> g.add((URIRef("urn:a"), RDFS.label, Literal("page\\x0cbreak\\u2028here")))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> serialize(g)
    b'<urn:a> <http://www.w3.org/2000/01/rdf-schema#label> "page\\\\u000Cbreak\\\\u2028here" .\\n'
    """
    from graph.triplestore import plain_indexes

    indexes = plain_indexes(graph)
    if indexes is None:
        written = lines(graph)
        if sort:
            written.sort()
        return "".join(written).encode("utf-8")
    groups = _subject_lines(indexes[0])
    if not sort:
        return "".join(line for _, rows in groups for line in rows).encode("utf-8")
    subjects = [subject for subject, _ in groups]
    if _SPACE_OR_CONTROL.search("".join(subjects)) or len(set(subjects)) < len(subjects):
        written = [line for _, rows in groups for line in rows]
        written.sort()
        return "".join(written).encode("utf-8")
    # The lines of one subject share its text: sorting the subjects and then the few
    # lines of each is the same order as sorting all lines, and far fewer comparisons
    # of long common prefixes.
    groups.sort(key=itemgetter(0))
    written = []
    for _, rows in groups:
        rows.sort()
        written += rows
    return "".join(written).encode("utf-8")
