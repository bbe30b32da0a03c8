"""Checked records → an rdflib graph, and deterministic, atomic serialisation.

Each fact is asserted as a plain triple (so ordinary queries stay simple) and
reified by an ``ag:Claim`` node carrying its source, verbatim quote, the quote's
offsets and qualifiers. Two statements of one fact are two claims on one triple.
Claim IRIs are digests of their content, so builds are byte-for-byte repeatable.

:func:`build_graph` does no file I/O; :func:`write_outputs` does only that.
Every output is parsed back before the set is committed (:func:`check_outputs`);
:mod:`graph.buildset` swaps the set in with its manifest.
Depends on :mod:`graph.records`, :mod:`graph.ontology`, :mod:`graph.errors`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import DCTERMS, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from graph.dates import PartialDate
from graph.errors import OutputError
from graph.files import write_atomic as write_atomic  # the one atomic writer, re-exported
from graph.namespaces import AG, CLAIM, PREFIXES, PROV, entity_iri
from graph.ontology import Ontology
from graph.reconcile import Reconciliation, reconcile
from graph.records import Claim, Dataset

if TYPE_CHECKING:
    from graph.buildset import Inputs

_DATE_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}


def date_literal(date: PartialDate) -> Literal:
    """An RDF literal keeping the date's precision.

    >>> date_literal(PartialDate("2023")).datatype
    rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear')
    """
    return Literal(date.text, datatype=_DATE_TYPES[date.precision])


def decimal_literal(value: Decimal) -> Literal:
    """An xsd:decimal in canonical form, so Turtle and JSON-LD round-trip to one term.

    >>> decimal_literal(Decimal("2400000000")).n3()
    '"2400000000.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    text = format(value.normalize(), "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def _value_literal(value: object) -> Literal:
    if isinstance(value, PartialDate):
        return date_literal(value)
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, Decimal):
        return decimal_literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    return Literal(str(value))


def build_graph(
    dataset: Dataset, ontology: Ontology, reconciliation: Reconciliation | None = None
) -> Graph:
    """Turn checked records into an RDF graph (no I/O).

    Parameters
    ----------
    dataset : Dataset
        From :func:`graph.records.load_records`.
    ontology : Ontology
        Gives the class IRIs of entity types.
    reconciliation : Reconciliation, optional
        The verdicts of :func:`graph.reconcile.reconcile` (computed when not given).

    Returns
    -------
    rdflib.Graph
        Entities, sources, one plain triple per fact (the preferred claim's
        value) and one ``ag:Claim`` per statement, with its ``ag:rank``,
        ``ag:rankReason`` and its ``ag:corroborates``, ``ag:refines`` and
        ``ag:conflictsWith`` links to the other claims of its fact.
    """
    if reconciliation is None:
        reconciliation = reconcile(dataset, ontology)
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)

    for source in dataset.sources.values():
        meta = source.record
        node = URIRef(entity_iri(meta.id))
        graph.add((node, RDF.type, AG.Source))
        graph.add((node, DCTERMS.identifier, Literal(meta.id)))
        graph.add((node, DCTERMS.title, Literal(meta.title, lang=meta.language)))
        graph.add((node, RDFS.label, Literal(meta.title, lang=meta.language)))
        graph.add((node, DCTERMS.language, Literal(meta.language)))
        graph.add((node, AG.reworded, Literal(meta.reworded)))
        graph.add((node, AG.sourceKind, ontology.concepts("SourceKind")[meta.kind].iri))
        graph.add((node, AG.copyKind, ontology.concepts("CopyKind")[meta.copy_].iri))
        graph.add((node, AG.excerpt, Literal(meta.excerpt)))
        graph.add((node, AG.independentSource, Literal(meta.independence_key)))
        for prop, value in ((AG.wordsOf, meta.words_of), (AG.reprintedBy, meta.reprinted_by)):
            if value:
                graph.add((node, prop, Literal(value)))
        graph.add((node, AG.textSha256, Literal(source.sha256)))
        for prop, value in (
            (DCTERMS.publisher, meta.publisher),
            (DCTERMS.creator, meta.author),
            (DCTERMS.rights, meta.licence),
            (RDFS.comment, meta.notes),
        ):
            if value:
                graph.add((node, prop, Literal(value)))
        if meta.url:
            graph.add((node, SKOS.exactMatch, URIRef(meta.url)))
        if meta.published:
            graph.add((node, DCTERMS.issued, date_literal(PartialDate.parse(meta.published))))

    for entity in dataset.entities.values():
        rec = entity.record
        node = URIRef(entity_iri(rec.id))
        graph.add((node, RDF.type, ontology.classes[rec.type].iri))
        graph.add((node, DCTERMS.identifier, Literal(rec.id)))
        for lang, text in (("en", rec.label.en), ("ja", rec.label.ja)):
            if text:
                graph.add((node, RDFS.label, Literal(text, lang=lang)))
                graph.add((node, SKOS.prefLabel, Literal(text, lang=lang)))
        for alias in rec.aliases:
            graph.add((node, SKOS.altLabel, Literal(alias)))
        if rec.description:
            graph.add((node, DCTERMS.description, Literal(rec.description, lang="en")))
        for scheme, value in sorted(rec.external_ids.items()):
            graph.add(
                (
                    node,
                    SKOS.exactMatch,
                    URIRef(value) if ":" in value else Literal(f"{scheme}:{value}"),
                )
            )

    def object_term(claim: Claim) -> URIRef | Literal:
        return _value_literal(claim.obj) if claim.is_literal else URIRef(entity_iri(claim.obj))

    for claim in reconciliation.asserted():
        graph.add((URIRef(entity_iri(claim.subject)), claim.predicate.iri, object_term(claim)))
    rank_iris = {n: c.iri for n, c in ontology.concepts("Rank").items()}
    for claim in dataset.claims:
        subject = URIRef(entity_iri(claim.subject))
        obj = object_term(claim)
        node = CLAIM[claim.key]
        rank, reason = reconciliation.ranks[claim.key]
        graph.add((node, AG.rank, rank_iris[rank]))
        if reason:
            graph.add((node, AG.rankReason, Literal(reason)))
        graph.add((node, RDF.type, AG.Claim))
        graph.add((node, RDF.subject, subject))
        graph.add((node, RDF.predicate, claim.predicate.iri))
        graph.add((node, RDF.object, obj))
        graph.add((node, PROV.wasQuotedFrom, URIRef(entity_iri(claim.source))))
        graph.add((node, AG.quote, Literal(claim.quote)))
        graph.add((node, AG.quoteStart, Literal(claim.quote_start)))
        graph.add((node, AG.quoteEnd, Literal(claim.quote_end)))
        for prop, date in (
            (AG.pointInTime, claim.point_in_time),
            (AG.validFrom, claim.valid_from),
            (AG.validUntil, claim.valid_until),
        ):
            if date is not None:
                graph.add((node, prop, date_literal(date)))
        if claim.role:
            graph.add((node, AG.role, Literal(claim.role)))
        if claim.amount is not None:
            graph.add((node, AG.amount, decimal_literal(claim.amount)))
            graph.add((node, AG.currency, Literal(claim.currency)))
        if claim.quantity is not None:
            graph.add((node, AG.quantity, decimal_literal(claim.quantity)))
    for link in reconciliation.links:
        a, b = CLAIM[link.a.key], CLAIM[link.b.key]
        graph.add((a, AG[link.kind], b))
        if link.kind != "refines":  # symmetric: stated both ways for plain-RDF readers
            graph.add((b, AG[link.kind], a))
    return graph


# --- output -------------------------------------------------------------------------
def serialize_turtle(graph: Graph) -> bytes:
    """Turtle with sorted subjects and predicates: same graph, same bytes."""
    return graph.serialize(format="turtle", encoding="utf-8")


def serialize_jsonld(graph: Graph) -> bytes:
    """JSON-LD with a context of our prefixes, nodes and keys sorted for stable diffs."""
    raw = graph.serialize(format="json-ld", context=PREFIXES, auto_compact=True)
    doc = json.loads(raw)

    def sort(value: object) -> object:
        if isinstance(value, dict):
            return {k: sort(value[k]) for k in sorted(value)}
        if isinstance(value, list):
            items = [sort(v) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return value

    return (json.dumps(sort(doc), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# Characters N-Triples may hold raw but that line-oriented tools take for line
# breaks (Python's str.splitlines splits at all of them) or that are invisible
# controls: written as \uXXXX escapes, which every N-Triples parser reads back.
_NT_ESCAPE = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")


def serialize_ntriples(graph: Graph) -> bytes:
    """Sorted N-Triples, one triple per ``\\n``-terminated line, for bulk loading.

    rdflib escapes ``\\n``, ``\\r``, ``"`` and ``\\`` inside literals; the
    other line-breaking and control characters are escaped here, so the file
    splits into triples at ``\\n`` and nowhere else, whatever tool reads it.

    >>> g = Graph()
    >>> g.add((URIRef("urn:a"), RDFS.label, Literal("page\\x0cbreak\\u2028here")))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> serialize_ntriples(g)
    b'<urn:a> <http://www.w3.org/2000/01/rdf-schema#label> "page\\\\u000Cbreak\\\\u2028here" .\\n'
    """
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    text = _NT_ESCAPE.sub(lambda m: f"\\u{ord(m.group(0)):04X}", text)
    lines = [line for line in text.split("\n") if line.strip()]
    return ("\n".join(sorted(lines)) + "\n").encode("utf-8")


OUTPUTS: dict[str, Callable[[Graph], bytes]] = {
    "alliance.ttl": serialize_turtle,
    "alliance.jsonld": serialize_jsonld,
    "alliance.nt": serialize_ntriples,
}

_RDF_FORMATS = {
    ".ttl": "TURTLE",
    ".nt": "N_TRIPLES",
    ".jsonld": "JSON_LD",
    ".trig": "TRIG",
    ".nq": "N_QUADS",
    ".rdf": "RDF_XML",
}
_EXPLORER_DATA = re.compile(rb'<script type="application/json" id="data">(.*?)</script>', re.S)


def check_outputs(blobs: dict[str, bytes], triples: int) -> None:
    """Parse every output back (pyoxigraph, an independent parser) before it is committed.

    Each RDF file must parse, and the three serialisations of the graph
    (:data:`OUTPUTS`) must hold exactly ``triples`` triples; an explorer page
    must carry its data as valid JSON, a ``.json`` file must be JSON, and a
    CSV or Parquet table must read back (pyarrow).

    Raises
    ------
    OutputError
        Naming the output and what is wrong with it.
    """
    import pyoxigraph

    for name, data in blobs.items():
        suffix = Path(name).suffix
        if suffix in _RDF_FORMATS:
            fmt = getattr(pyoxigraph.RdfFormat, _RDF_FORMATS[suffix])
            try:
                found = sum(1 for _ in pyoxigraph.parse(data, format=fmt))
            except (SyntaxError, ValueError) as exc:
                raise OutputError(
                    f"the build made a file that does not parse back: {exc}",
                    path=name,
                    field="build",
                    hint="nothing was written; please report this",
                ) from exc
            if name in OUTPUTS and found != triples:  # other RDF files add to the graph
                raise OutputError(
                    f"parses back to {found} triples, not {triples}",
                    path=name,
                    field="build",
                    hint="nothing was written; please report this",
                )
        elif suffix == ".json":
            try:
                json.loads(data)
            except ValueError as exc:
                raise OutputError(
                    f"the build made JSON that does not parse back: {exc}",
                    path=name,
                    field="build",
                    hint="nothing was written; please report this",
                ) from exc
        elif suffix in (".csv", ".parquet"):
            import io

            import pyarrow.csv
            import pyarrow.parquet

            read = pyarrow.csv.read_csv if suffix == ".csv" else pyarrow.parquet.read_table
            try:
                read(io.BytesIO(data))
            except (ValueError, OSError) as exc:  # pyarrow's ArrowInvalid is a ValueError
                raise OutputError(
                    f"the build made a table that does not read back: {exc}",
                    path=name,
                    field="build",
                    hint="nothing was written; please report this",
                ) from exc
        elif suffix == ".html" and name.startswith("explorer"):
            match = _EXPLORER_DATA.search(data)
            try:
                if match is None:
                    raise ValueError("no data script")
                json.loads(match.group(1))
            except ValueError as exc:
                raise OutputError(
                    f"the explorer's data does not parse back: {exc}",
                    path=name,
                    field="build",
                    hint="nothing was written; please report this",
                ) from exc


def serialize_outputs(graph: Graph, extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every output of a build, in memory, each parsed back (:func:`check_outputs`)."""
    from graph.release import release_files

    blobs = {name: serialize(graph) for name, serialize in OUTPUTS.items()}
    blobs.update(extra or {})
    blobs.update(release_files(graph, blobs))  # base, full, VoID, claims table, ontology.html
    check_outputs(blobs, len(graph))
    return blobs


def write_outputs(
    graph: Graph,
    out_dir: Path,
    extra: dict[str, bytes] | None = None,
    *,
    data: Path | None = None,
    inputs: Inputs | None = None,
    force: bool = False,
) -> list[Path]:
    """Serialise and check every output, then swap them in as one set with its manifest.

    See :mod:`graph.buildset` for the layout and the guarantees.
    """
    from graph.buildset import write_set

    return write_set(
        out_dir, serialize_outputs(graph, extra), data=data, inputs=inputs, force=force
    )
