"""Validation of a built graph: the SHACL shapes and the violation queries.

Owns ``ontology/shapes.ttl`` and ``ontology/checks/*-violation.rq`` (each a
SELECT where any row is a failure). Depends on :mod:`graph.ontology` and
:mod:`graph.errors`; never on YAML or files outside the ontology folder. Given
a locator (:func:`record_locator`), each violation names the ``file:line`` of
the record whose IRI it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from graph.errors import ValidationFailed
from graph.ontology import Ontology
from graph.resources import ontology_dir

if TYPE_CHECKING:
    from graph.records import Dataset

#: Maps an IRI of the graph to the ``file:line`` of the record it was built from.
Locator = Callable[[str], str | None]


def record_locator(dataset: Dataset) -> Locator:
    """A :data:`Locator` for the entities, sources and claims of ``dataset``."""
    from graph.namespaces import CLAIM, entity_iri

    index: dict[str, str] = {}
    for entity in dataset.entities.values():
        index[entity_iri(entity.id)] = f"{entity.where.path}:{entity.where.line}"
    for source in dataset.sources.values():
        index[entity_iri(source.id)] = f"{source.where.path}:{source.where.line}"
    for claim in dataset.claims:
        index[str(CLAIM[claim.key])] = f"{claim.where.path}:{claim.where.line}"
    return index.get


def _located(terms: Iterable[object], text: str, locate: Locator | None) -> str:
    """``file:line: shacl: text`` for the first term a record is known for, else
    ``shacl: text``."""
    for term in terms:
        where = locate(str(term)) if locate is not None and term is not None else None
        if where is not None:
            return f"{where}: shacl: {text}"
    return f"shacl: {text}"


@dataclass(frozen=True)
class ValidationReport:
    """What validation found; ``ok`` when nothing."""

    violations: list[str]
    shapes_checked: int
    queries_checked: int

    @property
    def ok(self) -> bool:
        return not self.violations


def _shacl_violations(
    graph: Graph, ontology: Ontology, shapes: Graph, locate: Locator | None = None
) -> list[str]:
    from pyshacl import validate  # heavy import: only when validating

    if not graph.store.context_aware:  # pySHACL opens a ConjunctiveGraph over the store
        plain = Graph()
        plain += graph
        graph = plain
    conforms, report, _ = validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology.graph,
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    if conforms:
        return []
    query = """
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?focus ?path ?message ?value WHERE {
          ?r a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultMessage ?message .
          OPTIONAL { ?r sh:resultPath ?path } OPTIONAL { ?r sh:value ?value }
        } ORDER BY ?focus ?path ?message"""
    lines = []
    for focus, path, message, value in report.query(query):
        where = f"{focus}" + (f" {path}" if path else "")
        text = f"{where}: {message}" + (f" (value {value})" if value is not None else "")
        lines.append(_located((focus, value), text, locate))
    return lines


def _compiled_violations(
    rows: Iterable[tuple[object, object, object, object]], locate: Locator | None = None
) -> list[str]:
    """Lines of :meth:`graph.shacl_compiled.CompiledShapes.violations` rows, as
    :func:`_shacl_violations` writes pySHACL's."""
    lines = []
    for focus, path, message, value in rows:
        where = f"{focus}" + (f" {path}" if path else "")
        text = f"{where}: {message}" + (f" (value {value})" if value is not None else "")
        lines.append(_located((focus, value), text, locate))
    return lines


def _query_violations(
    graph: Graph,
    ontology: Ontology,
    checks: list[Path],
    locate: Locator | None = None,
    ntriples: bytes | None = None,
) -> list[str]:
    """Run each check once over the whole graph (with the ontology) in Oxigraph.

    rdflib's engine took minutes on joins of this shape at a few thousand claims;
    loaded once into an in-memory Oxigraph store, all checks take well under a second.
    ``ntriples`` is the graph already written as N-Triples, loaded instead of ``graph``.
    """
    from graph.shacl_compiled import oxigraph_store

    if ntriples is None:
        store = oxigraph_store(graph, ontology.graph)
    else:
        import pyoxigraph as ox

        store = oxigraph_store(ontology.graph)
        store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    lines = []
    for check in checks:
        solutions = store.query(check.read_text(encoding="utf-8"), use_default_graph_as_union=True)
        for row in solutions:
            values = [term.value for term in row if term is not None]
            lines.append(_located(values, f"{check.stem}: " + " ".join(values), locate))
    return sorted(lines)


def validate_graph(
    graph: Graph,
    ontology: Ontology,
    *,
    raise_on_error: bool = True,
    locate: Locator | None = None,
    ntriples: bytes | None = None,
) -> ValidationReport:
    """Check ``graph`` against the SHACL shapes and the violation queries.

    Parameters
    ----------
    graph : rdflib.Graph
        A built graph.
    ontology : Ontology
        Mixed in, so that shapes can ask about predicates' domains.
    raise_on_error : bool
        Raise :class:`ValidationFailed` instead of returning a failing report.
    locate : Locator, optional
        Names the record (``file:line``) behind an IRI; see :func:`record_locator`.
    ntriples : bytes, optional
        ``graph`` as N-Triples (:func:`graph.build.serialize_ntriples`), when the
        caller has written it already: the violation queries' store loads it
        rather than writing the graph again.
    """
    folder = ontology_dir()
    shapes = Graph().parse(folder / "shapes.ttl", format="turtle")
    checks = sorted((folder / "checks").glob("*-violation.rq"))
    from graph.shacl_compiled import compile_shapes

    # pySHACL evaluates each constraint once per focus node (about 6 ms a claim); the
    # shapes compiled to closures over rdflib's index give its lines in a fraction of that.
    compiled = compile_shapes(shapes)
    if compiled is not None:
        violations = _compiled_violations(compiled.violations(graph, ontology.graph), locate)
    else:  # a shape uses a feature the compiler does not know: pySHACL checks them all
        violations = _shacl_violations(graph, ontology, shapes, locate)
    violations += _query_violations(graph, ontology, checks, locate, ntriples)
    from rdflib import RDF
    from rdflib.namespace import SH

    report = ValidationReport(
        violations, len(set(shapes.subjects(RDF.type, SH.NodeShape))), len(checks)
    )
    if violations and raise_on_error:
        raise ValidationFailed(violations)
    return report
