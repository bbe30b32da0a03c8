"""The claims of a built graph as one table: ``claims.parquet`` and ``claims.csv``.

One row per ``ag:Claim`` (one source's statement of one fact), read from the
built RDF, so the table says exactly what the graph says. Rows are sorted by
``date_min`` (claims without a point in time last), then ``subject``,
``predicate``, ``object`` and ``claim``: the claims of a date range are one
contiguous slice. Columns, in order (Arrow types; in the CSV a null is an
empty cell and a date is ``YYYY-MM-DD``):

=================  ========  =====================================================
column             type      what it holds
=================  ========  =====================================================
claim              string    the claim's id (``agc:<id>`` in the graph)
subject            string    the subject's entity id
predicate          string    ``signedBy`` for ``ag:`` terms, ``org:headOf`` for others
object             string    the object's entity id, or the literal's text
object_datatype    string    null for an entity; else the literal's datatype
                             (``xsd:gYear``, ``xsd:decimal``, ``xsd:string`` …)
asserted           bool      the fact (subject, predicate, object) is asserted
date               string    ``ag:pointInTime`` at its precision (``2023``,
                             ``2023-01``, ``2023-01-12``)
date_min           date32    the first day ``date`` covers
date_max           date32    the last day ``date`` covers
valid_from         string    ``ag:validFrom`` at its precision, with
valid_from_min/max date32    its first and last day
valid_until        string    ``ag:validUntil`` at its precision, with
valid_until_min/…  date32    its first and last day
role               string    ``ag:role``
amount             float64   ``ag:amount`` (xsd:decimal in the graph; integers
                             below 2^53 are exact)
currency           string    ``ag:currency`` (ISO 4217)
quantity           float64   ``ag:quantity``
rank               string    ``preferred``, ``normal`` or ``deprecated``
rank_reason        string    why the claim has its rank
quote              string    the source's verbatim words
quote_start/end    int64     the quote's character offsets in the source text
source             string    the source id
source_title       string    the source's title
source_kind        string    ``government``, ``news``, ``encyclopedia`` or ``article``
source_url         string    where the stored text was taken from
publisher          string    who published the words
published          string    publication date at its precision
=================  ========  =====================================================

Depends on :mod:`graph.namespaces`, :mod:`graph.dates`, :mod:`graph.ntriples` and
:mod:`graph.ontology`; pyarrow is imported inside the functions.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from rdflib import DCTERMS, RDF, SKOS, XSD, Graph, Literal, URIRef

from graph.dates import date_bounds
from graph.namespaces import AG, CLAIM, ID, PREFIXES, PROV

if TYPE_CHECKING:
    import pyarrow as pa

    from graph.ontology import Ontology

#: Date qualifiers of claims and the column each fills (with ``_min`` and ``_max``).
DATE_COLUMNS = {AG.pointInTime: "date", AG.validFrom: "valid_from", AG.validUntil: "valid_until"}
#: Other qualifiers of claims and their columns.
VALUE_COLUMNS = {
    AG.role: "role",
    AG.amount: "amount",
    AG.currency: "currency",
    AG.quantity: "quantity",
    AG.rankReason: "rank_reason",
    AG.quote: "quote",
    AG.quoteStart: "quote_start",
    AG.quoteEnd: "quote_end",
}
#: Claim properties the table gives otherwise (rank) or leaves to the graph
#: (links between claims).
NOT_COLUMNS = {AG.rank, AG.corroborates, AG.refines, AG.conflictsWith}


def schema() -> pa.Schema:
    """The Arrow schema of the table (the module docstring explains each column)."""
    import pyarrow as pa

    s, d = pa.string(), pa.date32()
    fields = [
        ("claim", s),
        ("subject", s),
        ("predicate", s),
        ("object", s),
        ("object_datatype", s),
        ("asserted", pa.bool_()),
    ]
    for name in DATE_COLUMNS.values():
        fields += [(name, s), (name + "_min", d), (name + "_max", d)]
    fields += [
        ("role", s),
        ("amount", pa.float64()),
        ("currency", s),
        ("quantity", pa.float64()),
        ("rank", s),
        ("rank_reason", s),
        ("quote", s),
        ("quote_start", pa.int64()),
        ("quote_end", pa.int64()),
        ("source", s),
        ("source_title", s),
        ("source_kind", s),
        ("source_url", s),
        ("publisher", s),
        ("published", s),
    ]
    return pa.schema(fields)


def compact(iri: URIRef) -> str:
    """``signedBy`` for an ``ag:`` term, ``prefix:local`` for a known namespace, else the IRI.

    >>> compact(URIRef("http://www.w3.org/ns/org#headOf"))
    'org:headOf'
    """
    text = str(iri)
    if text.startswith(str(AG)):
        return text[len(str(AG)) :]
    for prefix, space in PREFIXES.items():
        if prefix not in ("agid", "agc") and text.startswith(space) and len(text) > len(space):
            return f"{prefix}:{text[len(space) :]}"
    return text


def _id(term: object) -> str | None:
    if term is None:
        return None
    text = str(term)
    return text[len(str(ID)) :] if text.startswith(str(ID)) else text


def _source_rows(by_subject: dict, notations: dict[URIRef, str]) -> dict[URIRef, dict[str, Any]]:
    rows = {}
    for node, values in by_subject.items():
        if AG.Source not in values.get(RDF.type, ()):
            continue

        def text(prop: URIRef, values: dict = values) -> str | None:
            found = values.get(prop)
            return str(found[0]) if found else None

        kind = values.get(AG.sourceKind)
        rows[node] = {
            "source": _id(node),
            "source_title": text(DCTERMS.title),
            "source_kind": notations.get(kind[0]) if kind else None,
            "source_url": text(SKOS.exactMatch),
            "publisher": text(DCTERMS.publisher),
            "published": text(DCTERMS.issued),
        }
    return rows


def claims_table(graph: Graph | Iterable[tuple], ontology: Ontology | None = None) -> pa.Table:
    """Every claim of the built ``graph`` as one row (see the module docstring).

    The graph (or its triples) is read in one pass: rdflib's per-node look-ups
    cost more than the whole table.
    """
    import pyarrow as pa

    from graph.ontology import load_ontology

    ontology = ontology or load_ontology()
    notations = {
        c.iri: c.notation
        for scheme in ("SourceKind", "Rank")
        for c in ontology.concepts(scheme).values()
    }
    # One pass; the graph's own index when it is one (graph.ntriples). A repeated
    # triple changes nothing below: values are read first-of, facts by membership.
    from graph.ntriples import triples as graph_triples

    by_subject: dict = {}
    for s, p, o in graph_triples(graph) if isinstance(graph, Graph) else graph:
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    sources = _source_rows(by_subject, notations)
    # Terms as locals, looked up in sets: rdflib's namespace attributes are slow, and
    # it compares terms in Python but hashes them as strings.
    type_p, claim_c = RDF.type, {AG.Claim}
    subject_p, predicate_p, object_p = RDF.subject, RDF.predicate, RDF.object
    rank_p, quoted_p, string_t = AG.rank, PROV.wasQuotedFrom, XSD.string
    claim_start = len(str(CLAIM))
    dates = list(DATE_COLUMNS.items())
    others = list(VALUE_COLUMNS.items())
    bounds: dict[str, tuple] = {}  # a date's first and last day, by its text
    rows = []
    for node, many in by_subject.items():
        if claim_c.isdisjoint(many.get(type_p, ())):
            continue
        values = {p: objects[0] for p, objects in many.items()}
        subject, predicate, obj = (values[subject_p], values[predicate_p], values[object_p])
        is_literal = isinstance(obj, Literal)
        row: dict[str, Any] = {
            "claim": str(node)[claim_start:],
            "subject": _id(subject),
            "predicate": compact(predicate),
            "object": str(obj) if is_literal else _id(obj),
            "object_datatype": (compact(obj.datatype or string_t) if is_literal else None),
            "asserted": obj in by_subject.get(subject, {}).get(predicate, ()),
        }
        rank = values.get(rank_p)
        row["rank"] = notations.get(rank) if rank is not None else None
        for prop, name in dates:
            text = values.get(prop)
            if text is None:
                row[name] = row[name + "_min"] = row[name + "_max"] = None
                continue
            text = str(text)
            found = bounds.get(text)
            if found is None:
                found = bounds[text] = date_bounds(text)
            row[name], row[name + "_min"], row[name + "_max"] = text, found[0], found[1]
        for prop, name in others:
            value = values.get(prop)
            row[name] = None if value is None else value.toPython()
        for name in ("amount", "quantity"):
            if row[name] is not None:
                row[name] = float(row[name])
        for name in ("role", "currency", "rank_reason", "quote"):
            if row[name] is not None:
                row[name] = str(row[name])
        source = values.get(quoted_p)
        row |= (
            sources.get(source, {"source": _id(source)}) if source is not None else {"source": None}
        )
        rows.append(row)
    rows.sort(
        key=lambda r: (
            r["date_min"] is None,
            r["date_min"] or date.min,
            r["subject"],
            r["predicate"],
            r["object"],
            r["claim"],
        )
    )
    names = schema().names  # columns, not rows: pyarrow converts a list per column
    return pa.Table.from_pydict({n: [r.get(n) for r in rows] for n in names}, schema=schema())


def claims_parquet(table: pa.Table) -> bytes:
    """The table as Parquet bytes (zstd-compressed, no pandas metadata)."""
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def claims_csv(table: pa.Table) -> bytes:
    """The table as UTF-8 CSV with a header row; null is an empty cell."""
    import pyarrow.csv as pcsv

    buffer = io.BytesIO()
    pcsv.write_csv(table, buffer)
    return buffer.getvalue()
