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

from rdflib import BNode, Graph, Literal
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


def lines(rows: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """One N-Triples line (with its ``\\n``) per triple, in the order given."""
    written: dict[Node, str] = {}  # IRIs and blank nodes, each written once
    needs = _NEEDS_ESCAPE.search

    def term(node: Node) -> str:
        text = written.get(node)
        if text is not None:
            return text
        if isinstance(node, Literal):
            text = str(node)
            lexical = '"' + (text.translate(_ESCAPES) if needs(text) else text) + '"'
            if node.language:
                return f"{lexical}@{node.language}"
            if node.datatype is not None:
                return f"{lexical}^^<{node.datatype}>"
            return lexical
        text = written[node] = f"_:{node}" if isinstance(node, BNode) else f"<{node}>"
        return text

    return [f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in rows]


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
    written = lines(triples(graph))
    if sort:
        written.sort()
    return "".join(written).encode("utf-8")
