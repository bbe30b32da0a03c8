"""Every answer as typed rows: what ``--format csv|tsv|json|jsonl`` prints and what
``.to_dataframe()`` gives pandas.

Facts are flattened one row per claim (the evidence): the fact's columns
(subject, predicate, object or value) repeat on each of its claims, followed by
the claim's source, whole quote and qualifiers, so that every row can be
checked against its source. Ids throughout; :func:`iri_makers` maps them to
IRIs. Each ``*_table`` returns a :class:`graph.present.Table` whose ``empty``
says why there are no rows when there are none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from graph.analysis.dependencies import why_no_links
from graph.analysis.model import Fact, Hop, Link, Ranking, TimelineEntry, node_of
from graph.analysis.time import fact_marks
from graph.errors import InvalidOptionError
from graph.table import Column, Table, number

if TYPE_CHECKING:
    import networkx as nx

    from graph.ontology import Ontology

#: The columns of one claim, after a fact's.
EVIDENCE_COLUMNS = [
    Column("source", "source"),
    Column("quote", "text", True),
    Column("date", "date"),
    Column("valid_from", "date"),
    Column("valid_until", "date"),
    Column("role"),
    Column("amount", "float"),
    Column("currency"),
    Column("quantity", "int"),
    Column("stated_value", "any"),
    Column("rank"),
    Column("claim", "claim"),
]
_CLAIM_BASE = "https://w3id.org/alliance-graph/claim/"
_XSD_INT = {"integer", "int", "long", "nonNegativeInteger", "positiveInteger", "gYear"}


def claim_id(iri: str | None) -> str | None:
    """The local id of a claim IRI."""
    return iri.rsplit("/", 1)[-1] if iri else iri


def typed_value(value: Any, datatype: str | None) -> Any:
    """A literal fact's value in its type: numbers as numbers, booleans as booleans,
    dates and text as strings (dates at their precision).

    >>> typed_value("2400000000.0", "decimal"), typed_value("false", "boolean")
    (2400000000, False)
    >>> typed_value("2023-01", "gYearMonth")
    '2023-01'
    """
    if value is None:
        return None
    if datatype == "boolean":
        return str(value).lower() in ("true", "1")
    if datatype in ("decimal", "double", "float") or datatype in _XSD_INT - {"gYear"}:
        n = number(value)
        return value if n is None else n
    return value


def evidence_row(ev: dict[str, Any]) -> dict[str, Any]:
    """One claim's columns (:data:`EVIDENCE_COLUMNS`), typed."""
    return {
        "source": ev.get("source"),
        "quote": ev.get("quote"),
        "date": ev.get("date"),
        "valid_from": ev.get("valid_from"),
        "valid_until": ev.get("valid_until"),
        "role": ev.get("role"),
        "amount": number(ev.get("amount")),
        "currency": ev.get("currency"),
        "quantity": number(ev.get("quantity")),
        "stated_value": None if ev.get("asserted", True) else ev.get("value"),
        "rank": ev.get("rank"),
        "claim": claim_id(ev.get("claim")),
    }


def evidence_document(ev: dict[str, Any]) -> dict[str, Any]:
    """One claim as a nested object: its columns, its source's title and its links."""
    out = evidence_row(ev)
    out["source_title"] = ev.get("source_title")
    out["rank_reason"] = ev.get("rank_reason")
    out["links"] = {k: [claim_id(c) for c in v] for k, v in (ev.get("links") or {}).items()}
    return out


def _fact_rows(head: dict[str, Any], evidence: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**head, **evidence_row(ev)} for ev in evidence]


def iri_makers(G: nx.MultiDiGraph) -> dict[str, Callable[[str], str]]:
    """For each id kind, a function from an id to its IRI (``--iris``)."""
    from graph.namespaces import AG, entity_iri

    preds: dict[str, str] = {}
    for _, _, key, iri in G.edges(keys=True, data="iri"):
        if iri:
            preds.setdefault(key, iri)
    for _, facts in G.nodes(data="facts"):
        for f in facts or ():
            if f.get("iri"):
                preds.setdefault(f["predicate"], f["iri"])

    def entity(n: str) -> str:
        return G.nodes[n].get("iri") or entity_iri(n) if n in G else entity_iri(n)

    return {
        "entity": entity,
        "source": entity_iri,
        "predicate": lambda p: preds.get(p) or str(AG) + p,
        "claim": lambda c: _CLAIM_BASE + c,
        "type": lambda t: str(AG) + t,
    }


def _label(G: nx.MultiDiGraph, n: str | None) -> str | None:
    return None if n is None else (G.nodes[n].get("label") or n if n in G else n)


# --- show ------------------------------------------------------------------------------
CARD_COLUMNS = [
    Column("entity", "entity"),
    Column("direction"),
    Column("subject", "entity"),
    Column("predicate", "predicate"),
    Column("object", "entity"),
    Column("value", "any"),
    Column("datatype"),
    *EVIDENCE_COLUMNS,
]


def _edge_document(G: nx.MultiDiGraph, fact: Fact) -> dict[str, Any]:
    data = G.edges[fact.subject, fact.object, fact.predicate]
    return {
        "subject": fact.subject,
        "subject_label": _label(G, fact.subject),
        "predicate": fact.predicate,
        "predicate_label": fact.predicate_label,
        "object": fact.object,
        "object_label": _label(G, fact.object),
        "status": data.get("status"),
        "marks": fact_marks(data.get("status"), fact.evidence),
        "evidence": [evidence_document(ev) for ev in fact.evidence],
    }


def card_table(G: nx.MultiDiGraph, node: str) -> Table:
    """An entity card: one row per claim of every fact about it, in and out; its
    ``document`` is the card as a nested object (attributes, facts, links out and in,
    each fact with all its evidence)."""
    node = node_of(G, node)
    a = G.nodes[node]
    facts = a.get("facts") or []
    out = [Fact.of_edge(G, u, v, k) for u, v, k in sorted(G.out_edges(node, keys=True))]
    into = [Fact.of_edge(G, u, v, k) for u, v, k in sorted(G.in_edges(node, keys=True))]
    rows: list[dict[str, Any]] = []
    for f in facts:
        rows += _fact_rows(
            {
                "entity": node,
                "direction": "about",
                "subject": node,
                "predicate": f["predicate"],
                "object": None,
                "value": typed_value(f["value"], f.get("datatype")),
                "datatype": f.get("datatype"),
            },
            f["evidence"],
        )
    for direction, group in (("out", out), ("in", into)):
        for fact in group:
            rows += _fact_rows(
                {
                    "entity": node,
                    "direction": direction,
                    "subject": fact.subject,
                    "predicate": fact.predicate,
                    "object": fact.object,
                    "value": None,
                    "datatype": None,
                },
                fact.evidence,
            )
    doc = {
        "id": node,
        "iri": a.get("iri"),
        "type": a.get("type"),
        "type_label": G.graph.get("type_labels", {}).get(a.get("type"), {}).get("en"),
        "label": a.get("label"),
        "label_ja": a.get("label_ja"),
        "aliases": list(a.get("aliases") or ()),
        "description": a.get("description"),
        "external_ids": a.get("external_ids") or {},
        "dates": list(a.get("dates") or ()),
        "facts": [
            {
                "predicate": f["predicate"],
                "predicate_label": f["predicate_label"],
                "value": typed_value(f["value"], f.get("datatype")),
                "datatype": f.get("datatype"),
                "status": f.get("status"),
                "marks": fact_marks(f.get("status"), f["evidence"]),
                "evidence": [evidence_document(ev) for ev in f["evidence"]],
            }
            for f in facts
        ],
        "links_out": [_edge_document(G, f) for f in out],
        "links_in": [_edge_document(G, f) for f in into],
    }
    empty = "" if rows else f"the graph holds no facts about {node}: missing data"
    return Table(CARD_COLUMNS, rows, empty=empty, document=doc)


# --- path, deps, impact ---------------------------------------------------------------
PATH_COLUMNS = [
    Column("path", "int"),
    Column("hop", "int"),
    Column("from", "entity"),
    Column("to", "entity"),
    Column("subject", "entity"),
    Column("predicate", "predicate"),
    Column("object", "entity"),
    Column("backwards", "bool"),
    *EVIDENCE_COLUMNS,
]


def paths_table(G: nx.MultiDiGraph, paths: list[list[Hop]]) -> Table:
    """Each path hop by hop, one row per claim of each hop's facts; ``backwards``
    is true for a fact walked from its object to its subject."""
    rows: list[dict[str, Any]] = []
    for i, path in enumerate(paths, 1):
        for j, hop in enumerate(path, 1):
            for fact in hop.facts:
                rows += _fact_rows(
                    {
                        "path": i,
                        "hop": j,
                        "from": hop.source,
                        "to": hop.target,
                        "subject": fact.subject,
                        "predicate": fact.predicate,
                        "object": fact.object,
                        "backwards": fact.subject != hop.source,
                    },
                    fact.evidence,
                )
    return Table(PATH_COLUMNS, rows)


LINK_COLUMNS = [
    Column("entity", "entity"),
    Column("depth", "int"),
    Column("reached", "entity"),
    Column("subject", "entity"),
    Column("predicate", "predicate"),
    Column("object", "entity"),
    *EVIDENCE_COLUMNS,
]


def links_table(G: nx.MultiDiGraph, node: str, links: list[Link], *, reverse: bool) -> Table:
    """A dependency closure (or, ``reverse``, an impact): one row per claim of each
    dependency fact, with its depth and the entity it reaches. When there are no
    rows, ``empty`` says whether the graph holds no dependency facts about the
    entity at all or holds some pointing only the other way."""
    node = node_of(G, node)
    rows: list[dict[str, Any]] = []
    for lk in links:
        rows += _fact_rows(
            {
                "entity": node,
                "depth": lk.depth,
                "reached": lk.fact.subject if reverse else lk.fact.object,
                "subject": lk.fact.subject,
                "predicate": lk.fact.predicate,
                "object": lk.fact.object,
            },
            lk.fact.evidence,
        )
    preds = ", ".join(G.graph.get("dependency_predicates", ()))
    return Table(
        LINK_COLUMNS,
        rows,
        note=f"following {preds}",
        empty="" if rows else why_no_links(G, node, reverse=reverse),
    )


# --- rank ----------------------------------------------------------------------------
def ranking_table(
    G: nx.MultiDiGraph,
    ranking: Ranking,
    *,
    types: Iterable[str] | None = None,
    top: int | None = 10,
    ontology: Ontology | None = None,
) -> Table:
    """The ``top`` entities of a ranking computed on the whole graph, keeping only
    entities of ``types`` (or their subtypes) when given. ``rank`` is the position
    in the whole ranking, so filtering never changes a score or a rank."""
    keep = None if types is None else type_names(types, ontology)
    kind = "int" if ranking.metric == "degree" else "float"
    rows = []
    for i, (n, score) in enumerate(ranking.scores, 1):
        t = G.nodes[n].get("type")
        if keep is not None and t not in keep:
            continue
        rows.append(
            {
                "rank": i,
                "score": int(score) if kind == "int" else score,
                "id": n,
                "label": _label(G, n),
                "type": t,
            }
        )
        if top is not None and len(rows) >= top:
            break
    cols = [
        Column("rank", "int"),
        Column("score", kind),
        Column("id", "entity"),
        Column("label", "text", True),
        Column("type", "type"),
    ]
    empty = ""
    if not rows:
        empty = (
            f"no entity of type {', '.join(sorted(types or ()))} (or a subtype) in the graph"
            if keep is not None
            else "the graph has no entities"
        )
    return Table(cols, rows, note=ranking.note, empty=empty)


def type_names(types: Iterable[str], ontology: Ontology | None = None) -> set[str]:
    """The class names of ``types`` and all their subclasses, from the ontology.

    Raises
    ------
    InvalidOptionError
        For a name that is no entity class (suggesting close ones).
    """
    from graph.ontology import load_ontology
    from graph.resolve import suggestion_hint

    onto = ontology or load_ontology()
    classes = onto.entity_classes()
    by_folded = {t.casefold(): t for t in classes}
    wanted = set()
    for t in types:
        if t.casefold() not in by_folded:
            raise InvalidOptionError(
                f"unknown type {t!r}",
                field="type",
                hint=suggestion_hint(t, classes) or "'alliance-graph schema' lists the types",
            )
        wanted.add(by_folded[t.casefold()])
    return {
        n
        for n, c in classes.items()
        if n in wanted or wanted & {onto.class_name(a) for a in c.ancestors}
    }


# --- timeline --------------------------------------------------------------------------
TIMELINE_COLUMNS = [
    Column("date", "date"),
    Column("precision"),
    Column("kind"),
    Column("subject", "entity"),
    Column("predicate", "predicate"),
    Column("object", "entity"),
    Column("value", "any"),
    Column("other_dates", "list"),
    *(Column("claim_date", "date") if c.name == "date" else c for c in EVIDENCE_COLUMNS),
]


def timeline_table(G: nx.MultiDiGraph, entries: list[TimelineEntry]) -> Table:
    """One row per claim of each dated fact, in date order; ``date`` is the fact's
    best date (``claim_date`` the one each claim gives); ``other_dates`` lists the
    other dates sources give, each ``[date, "refined" | "disputed"]``."""
    rows: list[dict[str, Any]] = []
    for e in entries:
        head = {
            "date": e.date,
            "precision": e.precision,
            "kind": e.kind,
            "subject": e.subject,
            "predicate": e.predicate,
            "object": e.object,
            "value": e.value,
            "other_dates": [list(a) for a in e.alternatives],
        }
        for ev in e.evidence:
            claim = evidence_row(ev)
            claim["claim_date"] = claim.pop("date")
            rows.append({**head, **claim})
    return Table(TIMELINE_COLUMNS, rows)


# --- entities --------------------------------------------------------------------------
ENTITY_COLUMNS = [
    Column("id", "entity"),
    Column("type", "type"),
    Column("label", "text", True),
    Column("label_ja", "text", True),
    Column("aliases", "int"),
    Column("facts", "int"),
    Column("sources", "int"),
]


def entities_table(
    G: nx.MultiDiGraph,
    *,
    types: Iterable[str] | None = None,
    source: str | None = None,
    ontology: Ontology | None = None,
) -> Table:
    """Entities by type and id: labels, how many aliases, how many facts mention them
    (their own facts and every link in or out) and from how many sources.

    ``types`` keeps entities of those classes or their subclasses; ``source``
    those some claim of that source is about. ``empty`` says which filter left
    nothing.
    """
    keep = None if types is None else type_names(types, ontology)
    if source is not None and source not in G.graph.get("sources", {}):
        from graph.resolve import suggestion_hint

        raise InvalidOptionError(
            f"no source {source!r} in the graph",
            field="source",
            hint=suggestion_hint(source, G.graph.get("sources", {}), cutoff=70),
        )
    rows = []
    by_source = 0
    for n, a in G.nodes(data=True):
        if source is not None and source not in (a.get("sources") or ()):
            continue
        by_source += 1
        if keep is not None and a.get("type") not in keep:
            continue
        rows.append(
            {
                "id": n,
                "type": a.get("type"),
                "label": a.get("label"),
                "label_ja": a.get("label_ja"),
                "aliases": len(a.get("aliases") or ()),
                "facts": len(a.get("facts") or ()) + G.in_degree(n) + G.out_degree(n),
                "sources": len(a.get("sources") or ()),
            }
        )
    rows.sort(key=lambda r: (r["type"] or "", r["id"]))
    empty = ""
    if not rows:
        wanted = f"of type {', '.join(sorted(types or ()))} (or a subtype)"
        if source is None:
            empty = f"the graph holds no entity {wanted}"
        elif keep is None or by_source == 0:
            empty = f"source {source} states no fact about any entity"
        else:
            empty = (
                f"source {source} has facts about {by_source} "
                f"entit{'y' if by_source == 1 else 'ies'}, none {wanted}"
            )
    return Table(ENTITY_COLUMNS, rows, empty=empty)
