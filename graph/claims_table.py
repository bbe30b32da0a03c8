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
from collections.abc import Iterable, Mapping
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


def _first(objects: Any) -> Any:
    """The first object of an index leaf (``{object: ...}``) or a list of objects, if any."""
    return next(iter(objects)) if objects else None


def _source_rows(
    by_subject: Mapping[Any, Mapping[Any, Any]],
    sources: Iterable[Any],
    notations: dict[URIRef, str],
) -> dict[URIRef, dict[str, Any]]:
    rows = {}
    for node in sources:
        values = by_subject[node]

        def text(prop: URIRef, values: Mapping = values) -> str | None:
            found = _first(values.get(prop))
            return None if found is None else str(found)

        kind = _first(values.get(AG.sourceKind))
        rows[node] = {
            "source": _id(node),
            "source_title": text(DCTERMS.title),
            "source_kind": notations.get(kind) if kind is not None else None,
            "source_url": text(SKOS.exactMatch),
            "publisher": text(DCTERMS.publisher),
            "published": text(DCTERMS.issued),
        }
    return rows


def _by_subject(graph: Graph | Iterable[tuple]) -> tuple[Mapping[Any, Mapping[Any, Any]], Any]:
    """``index[s][p]`` (the objects of ``s p``, first-read first) and the nodes typed
    ``rdf:type`` of each class (``types[c]``): the graph's own indexes when it is a plain
    graph (:func:`graph.triplestore.plain_indexes`), else made in one pass."""
    from graph.triplestore import plain_indexes

    indexes = plain_indexes(graph) if isinstance(graph, Graph) else None
    if indexes is not None:
        return indexes[0], indexes[1].get(RDF.type, {})
    by_subject: dict = {}
    types: dict = {}
    type_p = RDF.type
    for s, p, o in iter(graph) if isinstance(graph, Graph) else graph:
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
        if p == type_p:
            types.setdefault(o, {})[s] = 1
    return by_subject, types


def claims_table(graph: Graph | Iterable[tuple], ontology: Ontology | None = None) -> pa.Table:
    """Every claim of the built ``graph`` as one row (see the module docstring).

    The table is made a column at a time from the graph's subject index (one pass
    over the triples when ``graph`` is not a plain in-memory graph, but its
    triples): rdflib's per-node look-ups, or a dict per row, cost more than the
    rest of the table. Terms met many times (entity ids, predicates, dates) are
    converted once each.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from graph.ontology import load_ontology

    ontology = ontology or load_ontology()
    notations = {
        c.iri: c.notation
        for scheme in ("SourceKind", "Rank")
        for c in ontology.concepts(scheme).values()
    }
    by_subject, types = _by_subject(graph)
    # A repeated triple changes nothing below: values are read first-of, facts by
    # membership.
    sources = _source_rows(by_subject, types.get(AG.Source, ()), notations)
    claims = list(types.get(AG.Claim, ()))
    described = [by_subject[node] for node in claims]
    # Each property looked up as the index's own key object: rdflib compares terms in
    # Python, which a dict skips for the very object it holds.
    keys: dict = {}
    for values in described[:1]:
        keys = {p: p for p in values}

    def first(prop: URIRef) -> list[Any]:
        prop = keys.get(prop, prop)
        none = (None,)
        found = [o for values in described for o in values.get(prop, none)]
        if len(found) == len(described):  # one object each (the usual case)
            return found
        return [next(iter(o)) if (o := values.get(prop)) else None for values in described]

    def converted(terms: list[Any], convert: Any) -> list[Any]:
        """``convert`` of each term (None stays None), once for each distinct term."""
        once: dict = {}
        got = once.get
        out = []
        for term in terms:
            value = got(term, once)  # a miss gives the dict itself: None is a value
            if value is once:
                value = once[term] = None if term is None else convert(term)
            out.append(value)
        return out

    subjects, predicates, objects = first(RDF.subject), first(RDF.predicate), first(RDF.object)
    string_t = XSD.string
    claim_start = len(str(CLAIM))
    columns: dict[str, list[Any]] = {
        "claim": [str(node)[claim_start:] for node in claims],
        "subject": converted(subjects, _id),
        "predicate": converted(predicates, compact),
        "object": [str(o) if isinstance(o, Literal) else _id(o) for o in objects],
        "object_datatype": [
            compact(o.datatype or string_t) if isinstance(o, Literal) else None for o in objects
        ],
        "asserted": [
            o in facts.get(p, ())
            for facts, p, o in zip(
                converted(subjects, lambda s: by_subject.get(s, {})),
                predicates,
                objects,
                strict=True,
            )
        ],
    }
    for prop, name in DATE_COLUMNS.items():
        texts = converted(first(prop), str)
        bounds = converted(texts, date_bounds)
        columns[name] = texts
        columns[name + "_min"] = [None if b is None else b[0] for b in bounds]
        columns[name + "_max"] = [None if b is None else b[1] for b in bounds]
    for prop, name in VALUE_COLUMNS.items():
        given = first(prop)
        if name in ("amount", "quantity"):
            columns[name] = [None if v is None else float(v.toPython()) for v in given]
        elif name in ("role", "currency", "rank_reason", "quote"):
            columns[name] = [None if v is None else str(v) for v in given]
        else:
            columns[name] = [None if v is None else v.toPython() for v in given]
    columns["rank"] = converted(first(AG.rank), notations.get)
    quoted = first(PROV.wasQuotedFrom)
    columns["source"] = converted(quoted, _id)
    rows = converted(quoted, lambda s: sources.get(s, {}))
    for name in ("source_title", "source_kind", "source_url", "publisher", "published"):
        columns[name] = [None if row is None else row.get(name) for row in rows]
    table = pa.Table.from_pydict(columns, schema=schema())
    # By date (claims without one last: Arrow puts nulls last), then subject, predicate,
    # object and claim: the claim ids are distinct, so the order is total. Arrow compares
    # strings as UTF-8 bytes, which is code-point order (Python's).
    order = pc.sort_indices(table, sort_keys=[(name, "ascending") for name in SORT_KEYS])
    return table.take(order).combine_chunks()


#: The columns the rows are sorted by, in order (``date_min`` nulls last).
SORT_KEYS = ("date_min", "subject", "predicate", "object", "claim")


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
