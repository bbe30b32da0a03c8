"""Checked records → an rdflib graph, and deterministic, atomic serialisation.

Each fact is asserted as a plain triple (so ordinary queries stay simple) and
reified by an ``ag:Claim`` node carrying its source, verbatim quote, the quote's
offsets and qualifiers. Two statements of one fact are two claims on one triple.
Claim IRIs are digests of their content, so builds are byte-for-byte repeatable.

:func:`build_graph` does no file I/O; :func:`write_outputs` does only that.
Every output is parsed back before the set is committed (:mod:`graph.outputcheck`);
:mod:`graph.buildset` swaps the set in with its manifest.
Depends on :mod:`graph.records`, :mod:`graph.ontology`, :mod:`graph.errors`.
"""

from __future__ import annotations

import json
from collections import ChainMap
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import DCTERMS, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from graph import ntriples
from graph.dates import PartialDate
from graph.files import write_atomic as write_atomic  # the one atomic writer, re-exported
from graph.namespaces import AG, CLAIM, PREFIXES, PROV, entity_iri
from graph.ontology import Ontology
from graph.outputcheck import check_outputs as check_outputs  # re-exported
from graph.outputcheck import unparsable
from graph.reconcile import Reconciliation, reconcile
from graph.records import Claim, Dataset
from graph.triplestore import TripleIndex

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
    store = TripleIndex()  # one plain graph: no contexts or events (graph.triplestore)
    graph = Graph(store=store)
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    # Triples go straight to the index (the terms are made here, of checked records):
    # Graph.add checks each term and goes through the store's generic add.
    add = store.add_triple

    # Terms made once each: most IRIs and many literals recur across claims, and
    # rdflib's term constructors check and convert their values on every call.
    iris: dict[str, URIRef] = {}
    values: dict[tuple[type, object], Literal] = {}
    texts: dict[tuple[str, str | None], Literal] = {}

    def iri(entity_id: str) -> URIRef:
        term = iris.get(entity_id)
        if term is None:
            term = iris[entity_id] = URIRef(entity_iri(entity_id))
        return term

    def literal(value: object) -> Literal:
        key = (type(value), value)  # True and 1 are equal: their types tell them apart
        term = values.get(key)
        if term is None:
            term = values[key] = _value_literal(value)
        return term

    def text(value: str, lang: str | None = None) -> Literal:
        """A plain or language-tagged literal (labels are written twice each)."""
        term = texts.get((value, lang))
        if term is None:
            term = texts[value, lang] = Literal(value, lang=lang)
        return term

    for source in dataset.sources.values():
        meta = source.record
        node = iri(meta.id)
        add(node, RDF.type, AG.Source)
        add(node, DCTERMS.identifier, text(meta.id))
        add(node, DCTERMS.title, text(meta.title, meta.language))
        add(node, RDFS.label, text(meta.title, meta.language))
        add(node, DCTERMS.language, text(meta.language))
        add(node, AG.reworded, literal(meta.reworded))
        add(node, AG.sourceKind, ontology.concepts("SourceKind")[meta.kind].iri)
        add(node, AG.copyKind, ontology.concepts("CopyKind")[meta.copy_].iri)
        add(node, AG.excerpt, literal(meta.excerpt))
        add(node, AG.independentSource, text(meta.independence_key))
        for prop, value in ((AG.wordsOf, meta.words_of), (AG.reprintedBy, meta.reprinted_by)):
            if value:
                add(node, prop, text(value))
        add(node, AG.textSha256, text(source.sha256))
        for prop, value in (
            (DCTERMS.publisher, meta.publisher),
            (DCTERMS.creator, meta.author),
            (DCTERMS.rights, meta.licence),
            (RDFS.comment, meta.notes),
        ):
            if value:
                add(node, prop, text(value))
        if meta.url:
            add(node, SKOS.exactMatch, URIRef(meta.url))
        if meta.published:
            add(node, DCTERMS.issued, literal(PartialDate.parse(meta.published)))

    classes = {name: c.iri for name, c in ontology.classes.items()}
    type_p, identifier_p, label_p, pref_p, alt_p, description_p, match_p = (
        RDF.type,
        DCTERMS.identifier,
        RDFS.label,
        SKOS.prefLabel,
        SKOS.altLabel,
        DCTERMS.description,
        SKOS.exactMatch,
    )
    for entity in dataset.entities.values():
        rec = entity.record
        node = iri(rec.id)
        add(node, type_p, classes[rec.type])
        add(node, identifier_p, text(rec.id))
        for lang, label in (("en", rec.label.en), ("ja", rec.label.ja)):
            if label:
                term = text(label, lang)
                add(node, label_p, term)
                add(node, pref_p, term)
        for alias in rec.aliases:
            add(node, alt_p, text(alias))
        if rec.description:
            add(node, description_p, text(rec.description, "en"))
        for scheme, value in sorted(rec.external_ids.items()):
            add(node, match_p, URIRef(value) if ":" in value else text(f"{scheme}:{value}"))

    def object_term(claim: Claim) -> URIRef | Literal:
        return literal(claim.obj) if claim.is_literal else iri(claim.obj)

    for claim in reconciliation.asserted():
        add(iri(claim.subject), claim.predicate.iri, object_term(claim))
    rank_iris = {n: c.iri for n, c in ontology.concepts("Rank").items()}
    (
        rank_p,
        reason_p,
        quoted_p,
        quote_p,
        start_p,
        end_p,
        role_p,
        amount_p,
        currency_p,
        quantity_p,
        claim_c,
    ) = (
        AG.rank,
        AG.rankReason,
        PROV.wasQuotedFrom,
        AG.quote,
        AG.quoteStart,
        AG.quoteEnd,
        AG.role,
        AG.amount,
        AG.currency,
        AG.quantity,
        AG.Claim,
    )
    dated: tuple[tuple[URIRef, str], ...] = (
        (AG.pointInTime, "point_in_time"),
        (AG.validFrom, "valid_from"),
        (AG.validUntil, "valid_until"),
    )
    subject_p, predicate_p, object_p = RDF.subject, RDF.predicate, RDF.object
    claim_nodes: dict[str, URIRef] = {}
    ranks = reconciliation.ranks
    for claim in dataset.claims:
        key = claim.key
        node = claim_nodes[key] = CLAIM[key]
        rank, reason = ranks[key]
        add(node, rank_p, rank_iris[rank])
        if reason:
            add(node, reason_p, literal(reason))
        add(node, type_p, claim_c)
        add(node, subject_p, iri(claim.subject))
        add(node, predicate_p, claim.predicate.iri)
        add(node, object_p, object_term(claim))
        add(node, quoted_p, iri(claim.source))
        add(node, quote_p, Literal(claim.quote))
        add(node, start_p, literal(claim.quote_start))
        add(node, end_p, literal(claim.quote_end))
        for prop, name in dated:
            date = getattr(claim, name)
            if date is not None:
                add(node, prop, literal(date))
        if claim.role:
            add(node, role_p, literal(claim.role))
        if claim.amount is not None:
            add(node, amount_p, decimal_literal(claim.amount))
            add(node, currency_p, literal(claim.currency))
        if claim.quantity is not None:
            add(node, quantity_p, decimal_literal(claim.quantity))
    kinds: dict[str, URIRef] = {}
    for link in reconciliation.links:
        a = claim_nodes.get(link.a.key) or CLAIM[link.a.key]
        b = claim_nodes.get(link.b.key) or CLAIM[link.b.key]
        kind = kinds.get(link.kind)
        if kind is None:
            kind = kinds[link.kind] = AG[link.kind]
        add(a, kind, b)
        if link.kind != "refines":  # symmetric: stated both ways for plain-RDF readers
            add(b, kind, a)
    return graph


# --- output -------------------------------------------------------------------------
# The three serialisations of the graph are written from one sorted N-Triples text:
# rdflib's Turtle and JSON-LD writers took half of a large build (a minute and a half
# at 670,000 triples); pyoxigraph's writers take a few seconds. The triples are sorted
# (subject, predicate, object as N-Triples text), so the same graph gives the same bytes.


def serialize_ntriples(graph: Graph) -> bytes:
    """Sorted N-Triples, one triple per ``\\n``-terminated line, for bulk loading
    (:mod:`graph.ntriples`: every line-breaking character inside a literal is escaped).

    >>> g = Graph()
    >>> g.add((URIRef("urn:a"), RDFS.label, Literal("page\\x0cbreak\\u2028here")))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> serialize_ntriples(g)
    b'<urn:a> <http://www.w3.org/2000/01/rdf-schema#label> "page\\\\u000Cbreak\\\\u2028here" .\\n'
    """
    return ntriples.serialize(graph)


def _sorted_triples(graph: Graph | list[Any]) -> list[Any]:
    """The graph's triples as pyoxigraph terms, in the order of sorted N-Triples (a list
    is taken as already that)."""
    import pyoxigraph as ox

    if isinstance(graph, list):
        return graph
    text = serialize_ntriples(graph)
    return list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES, lenient=True))


def serialize_turtle(graph: Graph | list[Any], prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """Turtle by pyoxigraph with our prefixes (or ``prefixes``), subjects and predicates
    sorted: same graph, same bytes. ``graph`` may be given as its triples in pyoxigraph
    terms, in the order of its sorted N-Triples."""
    import pyoxigraph as ox

    text = ox.serialize(_sorted_triples(graph), format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes))
    assert text is not None  # no output file given: the bytes are returned
    # pyoxigraph writes the prefix declarations first, in an order of its own: sorted here.
    end = 0
    while text.startswith(b"@prefix ", end):
        end = text.index(b"\n", end) + 1
    return b"".join(sorted(text[:end].splitlines(keepends=True))) + text[end:]


def serialize_jsonld(graph: Graph | list[Any]) -> bytes:
    """JSON-LD by pyoxigraph: one node object per subject, one per line, in sorted order,
    in ``@graph`` under a ``@context`` declaring our prefixes.

    pyoxigraph writes JSON-LD in expanded form (IRIs in full): the context takes
    nothing away from them and lets a reader compact the document with our prefixes.
    It writes the sorted triples as one array of flat node objects, one per run of a
    subject's triples, each a list of properties whose values are arrays of value
    objects (``[{...},...]``): ``]},{"@id":`` occurs there only between two nodes (a
    ``"`` inside a JSON string is escaped), where a line break is put. Whitespace
    between JSON tokens, it changes nothing a reader sees; one call for the whole
    graph costs two thirds of one call per subject.
    """
    import pyoxigraph as ox

    whole = ox.serialize(_sorted_triples(graph), format=ox.RdfFormat.JSON_LD)
    assert whole is not None  # no output file given: the bytes are returned
    whole = whole.strip()
    assert whole.startswith(b"[") and whole.endswith(b"]")
    nodes = whole[1:-1].replace(b']},{"@id":', b']},\n{"@id":')
    context = json.dumps({"@context": PREFIXES}, ensure_ascii=False, indent=1)[:-2]
    return b"".join([context.encode("utf-8"), b',\n "@graph": [\n', nodes, b"\n ]\n}\n"])


OUTPUTS: dict[str, Callable[[Graph], bytes]] = {
    "alliance.ttl": serialize_turtle,
    "alliance.jsonld": serialize_jsonld,
    "alliance.nt": serialize_ntriples,
}


def serialize_outputs(
    graph: Graph,
    extra: Mapping[str, bytes] | None = None,
    *,
    ntriples: bytes | None = None,
    ontology: Ontology | None = None,
) -> dict[str, bytes]:
    """Every output of a build, in memory, each parsed back (:func:`check_outputs`).

    ``ntriples`` is :func:`serialize_ntriples` of ``graph`` when the caller has it;
    ``ontology`` the one the graph was built and validated with (read again from
    its file when not given).
    """
    import pyoxigraph as ox

    from graph.release import release_files

    # Written once; Turtle and JSON-LD are written from it.
    nt = serialize_ntriples(graph) if ntriples is None else ntriples
    try:  # strictly: this parse is also alliance.nt's parse-back check
        ordered = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as exc:
        raise unparsable("alliance.nt", exc) from exc
    blobs = {}
    for name, serialize in OUTPUTS.items():
        if serialize is serialize_ntriples:
            blobs[name] = nt
        elif serialize in (serialize_turtle, serialize_jsonld):
            blobs[name] = serialize(ordered)
        else:
            blobs[name] = serialize(graph)
    # Parsed back first: a value of ``extra`` may be made meanwhile (the build's explorer
    # page, drawn beside this), and is waited for only afterwards.
    parsed = {"alliance.nt": len(ordered)} if blobs.get("alliance.nt") is nt else None
    counts = check_outputs(blobs, len(graph), parsed=parsed)
    checked: set[str] = set()  # the full release, checked by its parts as it is made
    # The base and full release, VoID, the claims table, the ontology's page. A value of
    # ``extra`` may be made when first read: release_files reads them last, for VoID,
    # so they are read through it.
    outputs = ChainMap(blobs, extra or {})  # type: ignore[arg-type]  # only read
    made = release_files(graph, outputs, ontology=ontology, checked=checked)
    for name, data in made.items():  # alliance-base.ttl is alliance.ttl's bytes
        same = next((n for n in counts if blobs.get(n) is data), None)
        if same is not None:
            counts[name] = counts[same]
    for name in extra or {}:  # bytes of its own in place of ours: parsed as they are
        counts.pop(name, None)
    blobs.update(extra or {})
    blobs.update(made)
    check_outputs(blobs, len(graph), parsed=counts, checked=checked)
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
