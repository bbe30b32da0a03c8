"""Triples of a built graph as plain Python values, from a file or an rdflib graph.

An IRI is a ``str``, a literal a ``(lexical form, datatype IRI, language)`` tuple:
the projection compares and hashes millions of them, and plain values are
several times faster than rdflib or pyoxigraph terms. Files are read with
pyoxigraph's parser (ten times faster than rdflib's at 1M triples).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rdflib

if TYPE_CHECKING:
    from rdflib import Graph

# An object term: an IRI is a plain str, a literal a (lexical form, datatype, language) tuple.
Term = str | tuple[str, str, str | None]

# Module-level rdflib namespaces would be probed by the doctest finder: keep only strings.
_LANG_STRING, _XSD_STRING = str(rdflib.RDF.langString), str(rdflib.XSD.string)


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``.

    >>> local_name("https://w3id.org/alliance-graph/ontology#buildsOn")
    'buildsOn'
    """
    return re.split(r"[#/]", iri)[-1]


def file_triples(path: Path) -> Iterator[tuple[str, str, Term]]:
    """The triples of a built file, in any RDF format pyoxigraph knows by its extension."""
    import pyoxigraph as ox

    try:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.N_TRIPLES
    except ValueError:
        fmt = ox.RdfFormat.N_TRIPLES
    named = ox.NamedNode
    try:
        yield from _quads(ox.parse(path=path, format=fmt), named)
    except SyntaxError as exc:
        from graph.errors import NotBuiltError

        raise NotBuiltError(
            f"does not parse: {exc}", path=path, hint="rebuild it with 'alliance-graph build'"
        ) from exc


def _quads(quads: Iterator[Any], named: Any) -> Iterator[tuple[str, str, Term]]:
    import pyoxigraph as ox

    for quad in quads:
        obj = quad.object
        if type(obj) is named:
            yield quad.subject.value, quad.predicate.value, obj.value
        elif type(obj) is ox.Literal:
            yield (
                quad.subject.value,
                quad.predicate.value,
                (obj.value, obj.datatype.value, obj.language),
            )


def graph_triples(graph: Graph) -> Iterator[tuple[str, str, Term]]:
    """The triples of an rdflib graph in memory (blank-node objects are left out).

    A build's graph (:class:`graph.triplestore.TripleIndex`) is read straight from
    its index, in the order iterating the graph gives.
    """
    from rdflib import Literal, URIRef

    from graph.triplestore import TripleIndex

    if isinstance(graph.store, TripleIndex):
        yield from _indexed_triples(graph.store.spo)
        return
    for s, p, o in graph:
        if isinstance(o, URIRef):
            yield str(s), str(p), str(o)
        elif isinstance(o, Literal):
            datatype = (
                str(o.datatype) if o.datatype else (_LANG_STRING if o.language else _XSD_STRING)
            )
            yield str(s), str(p), (str(o), datatype, o.language)


def _indexed_triples(spo: dict[Any, dict[Any, dict[Any, Any]]]) -> Iterator[tuple[str, str, Term]]:
    """:func:`graph_triples` of a :class:`graph.triplestore.TripleIndex`'s ``spo`` index,
    in its order, each subject and predicate made a ``str`` once rather than once a
    triple."""
    from rdflib import Literal, URIRef

    predicates: dict[Any, str] = {}
    for s, po in spo.items():
        subject = str(s)
        for p, objects in po.items():
            predicate = predicates.get(p)
            if predicate is None:
                predicate = predicates[p] = str(p)
            for o in objects:
                if isinstance(o, URIRef):
                    yield subject, predicate, str(o)
                elif isinstance(o, Literal):
                    language = o.language
                    datatype = o.datatype
                    yield (
                        subject,
                        predicate,
                        (
                            str(o),
                            str(datatype)
                            if datatype
                            else (_LANG_STRING if language else _XSD_STRING),
                            language,
                        ),
                    )
