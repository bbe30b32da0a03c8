"""The projection itself: built RDF → :class:`networkx.MultiDiGraph` with evidence.

:func:`to_networkx` reads the triples once (:func:`_read`: one dictionary
look-up per triple decides what it is), turns the claims into evidence dicts
(:func:`_evidence`), then adds the kept entities (:func:`_add_entities`) and
their facts (:func:`_add_facts`). The shape of the result is described in
:mod:`graph.network`. Terms of the claim vocabulary come from :mod:`graph.vocab`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rdflib

from graph import vocab
from graph.dates import date_bounds, valid_as_of
from graph.namespaces import ID
from graph.network.schema import _Schema, _schema
from graph.network.status import fact_status
from graph.network.triples import Term, file_triples, graph_triples, local_name

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from graph.ontology import Ontology

RDF_TYPE = str(rdflib.RDF.type)
_ID = str(ID)
_DATE_TYPES = {str(rdflib.XSD.date), str(rdflib.XSD.gYearMonth), str(rdflib.XSD.gYear)}

#: Claim properties → key of the EVIDENCE dict.
_QUALIFIERS = {str(term): key for term, key in vocab.EVIDENCE_KEYS.items()}
_EVIDENCE_KEYS = (
    "date",
    "valid_from",
    "valid_until",
    "role",
    "amount",
    "currency",
    "quantity",
    "rank",
    "rank_reason",
)
#: Links between claims (graph.reconcile) → key in an EVIDENCE dict's ``links``.
_CLAIM_LINKS = {
    str(vocab.CLAIM_LINKS["corroborates"]): "corroborates",
    str(vocab.CLAIM_LINKS["refines"]): "refines",
    str(vocab.CLAIM_LINKS["conflictsWith"]): "conflicts_with",
}
_SOURCE_KEYS = {str(term): key for term, key in vocab.SOURCE_KEYS.items()}
_LABEL, _ALT, _DESCRIPTION, _IDENTIFIER, _EXACT = (
    str(vocab.LABEL),
    str(vocab.ALT_LABEL),
    str(vocab.DESCRIPTION),
    str(vocab.IDENTIFIER),
    str(vocab.EXACT_MATCH),
)
_SOURCE_CLASS = str(vocab.SOURCE_CLASS)


@dataclass
class _Read:
    """Everything one pass over the triples collects."""

    ent: dict[str, dict[str, Any]] = field(default_factory=dict)  # entity IRI → attributes
    src: dict[str, dict[str, Any]] = field(default_factory=dict)  # maybe-source → metadata
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    asserted: list[tuple[str, str, Term]] = field(default_factory=list)
    claim_links: list[tuple[str, str, str]] = field(default_factory=list)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off for a block that allocates millions of objects and
    frees none (it would otherwise walk them again and again: super-linear cost)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _sid(iri: str) -> str:
    return iri[len(_ID) :] if iri.startswith(_ID) else iri


def to_networkx(
    source: str | Path | Graph,
    *,
    ontology: Ontology | None = None,
    as_of: str | date | None = None,
    types: Iterable[str] | None = None,
    predicates: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """Project the built graph onto a NetworkX multigraph with the evidence of every fact.

    Parameters
    ----------
    source : str, Path or rdflib.Graph
        A built file (``alliance.nt`` is fastest; any RDF format pyoxigraph
        knows by its extension) or an rdflib graph in memory.
    ontology : Ontology, optional
        Labels and the dependency super-property (default: the shipped ontology).
    as_of : str or datetime.date, optional
        Keep only facts that hold on this date (``YYYY``, ``YYYY-MM`` or
        ``YYYY-MM-DD``); see :func:`graph.dates.valid_as_of` for the rule.
    types : iterable of str, optional
        Keep only entities of these classes or their subclasses (``"Organization"``
        keeps agencies, companies …), and the facts between them.
    predicates : iterable of str, optional
        Keep only facts of these predicates (local names) or their sub-properties
        (``"dependsOn"`` keeps ``buildsOn``, ``enabledBy`` …).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by entity id; one edge per asserted entity-to-entity triple,
        keyed by the predicate's local name. :mod:`graph.network` lists the
        attributes.

    Raises
    ------
    InvalidOptionError
        For an ``as_of`` that does not parse, or an unknown type or predicate.

    Examples
    --------
    ``built`` is the shipped data, built once for all doctests (``api.build``):

    >>> G = to_networkx(built.graph)
    >>> G.has_edge("meti", "japan-defence-industry", key="promotes")
    True
    >>> G.nodes["dod"]["type"], G.nodes["dod"]["label_ja"]
    ('GovernmentAgency', 'アメリカ合衆国国防総省')
    >>> "USD" in {ev["currency"] for ev in G.edges["japan", "tomahawk", "procures"]["evidence"]}
    True
    """
    from graph.ontology import load_ontology

    onto = ontology or load_ontology()
    if as_of is not None:
        date_bounds(as_of)  # fail early, before reading anything
    schema = _schema(onto, types, predicates)

    # Millions of small dicts and tuples and no cycles: the cyclic collector would
    # only cost time (about a third of it at 1M triples).
    with gc_paused():
        triples = (
            graph_triples(source)
            if not isinstance(source, str | Path)
            else file_triples(Path(source))
        )
        read = _read(triples, schema)
        metas = {iri: meta for iri, meta in sorted(read.src.items()) if meta.get("is_source")}
        evidence_of = _evidence(read, {iri: meta.get("title") for iri, meta in metas.items()})
        G = _new_graph(onto, schema, metas)
        ids = _add_entities(G, read.ent, schema)
        independence = {
            _sid(iri): meta.get("independence") or _sid(iri) for iri, meta in metas.items()
        }
        _add_facts(G, read.asserted, evidence_of, ids, schema, independence, as_of)
        return G


def _read(triples: Iterable[tuple[str, str, Term]], schema: _Schema) -> _Read:
    """One pass over the triples: claims, asserted facts, entities and sources."""
    read = _Read()
    ent, src, claims = read.ent, read.src, read.claims
    asserted, claim_links = read.asserted, read.claim_links
    prop_local, class_by_iri = schema.prop_local, schema.class_by_iri
    label, alt, descr, ident, exact = _LABEL, _ALT, _DESCRIPTION, _IDENTIFIER, _EXACT
    src_keys, source_class = _SOURCE_KEYS, _SOURCE_CLASS

    def node(iri: str) -> dict[str, Any]:
        attrs = ent.get(iri)
        if attrs is None:
            attrs = ent[iri] = {"aliases": [], "exact": []}
        return attrs

    # One dictionary look-up per triple decides what it is; claim qualifiers,
    # most of the triples, come first. Their domain is ag:Claim, so the subject
    # need not be checked.
    qualifier = _QUALIFIERS.get
    claim_of = claims.get
    for s, p, o in triples:
        key = qualifier(p)
        if key is not None:
            claim = claim_of(s)
            if claim is None:
                claim = claims[s] = {}
            if key == "rank":
                claim[key] = local_name(o).removesuffix("Rank").lower()  # type: ignore[arg-type]
            else:
                claim[key] = o if type(o) is str or key == "o" else o[0]
        elif p in _CLAIM_LINKS:
            claim_links.append((s, _CLAIM_LINKS[p], o))  # type: ignore[arg-type]
        elif p in prop_local:
            asserted.append((s, p, o))
        elif p == RDF_TYPE:
            if o == source_class:
                src.setdefault(s, {})["is_source"] = True
            elif o in class_by_iri:
                node(s)["type"] = class_by_iri[o]
        elif type(o) is str:
            if p == exact:
                node(s)["exact"].append(o)
                src.setdefault(s, {})["url"] = o
        elif p == label:
            if o[2] == "ja":
                node(s)["label_ja"] = o[0]
            elif o[2] == "en" or "label" not in node(s):
                node(s)["label"] = o[0]
        elif p == alt:
            node(s)["aliases"].append(o[0])
        elif p == descr:
            node(s)["description"] = o[0]
        elif p == ident:
            node(s)["id"] = o[0]
        elif p in src_keys:
            src.setdefault(s, {})[src_keys[p]] = o[0]
            if p == exact:
                node(s)["exact"].append(o[0])
    return read


def _evidence(
    read: _Read, titles: dict[str, Any]
) -> dict[tuple[str, str, Term], list[dict[str, Any]]]:
    """Claims by the triple they reify, each as an EVIDENCE dict with its links."""
    claims = read.claims
    evidence_of: dict[tuple[str, str, Term], list[dict[str, Any]]] = {}
    for claim_iri, c in claims.items():
        if "s" not in c or "p" not in c or "o" not in c:
            continue
        source_iri = c.get("source")
        ev: dict[str, Any] = {
            "claim": claim_iri,
            "source": _sid(source_iri) if source_iri else None,
            "source_title": titles.get(source_iri) if source_iri else None,
            "quote": c.get("quote"),
            **{k: c.get(k) for k in _EVIDENCE_KEYS},
            "links": {"corroborates": [], "refines": [], "refined_by": [], "conflicts_with": []},
            "asserted": True,
            "value": None,
        }
        c["ev"] = ev
        key = (c["s"], c["p"], c["o"])
        found = evidence_of.get(key)
        if found is None:
            evidence_of[key] = [ev]
        else:
            found.append(ev)
    for a, kind, b in read.claim_links:
        if a in claims and b in claims and "ev" in claims[a] and "ev" in claims[b]:
            claims[a]["ev"]["links"][kind].append(b)
            if kind == "refines":
                claims[b]["ev"]["links"]["refined_by"].append(a)
    for c in claims.values():  # the same order from any input order of triples
        for targets in c.get("ev", {}).get("links", {}).values():
            targets.sort()
    _attach_unasserted(evidence_of, claims, set(read.asserted))
    return evidence_of


def _attach_unasserted(
    evidence_of: dict[tuple[str, str, Term], list[dict[str, Any]]],
    claims: dict[str, dict[str, Any]],
    asserted_keys: set[tuple[str, str, Term]],
) -> None:
    """A less precise or disputed value is not asserted: its claims join the fact
    whose preferred claim they refine or dispute, marked with their own value."""
    for key, evs in list(evidence_of.items()):
        if key in asserted_keys:
            continue
        for ev in evs:
            for other in (
                *ev["links"]["refines"],
                *ev["links"]["conflicts_with"],
                *ev["links"]["refined_by"],
            ):
                c = claims.get(other, {})
                target = (c.get("s"), c.get("p"), c.get("o"))
                if target in asserted_keys and target[:2] == key[:2]:
                    o = key[2]
                    ev["asserted"], ev["value"] = False, o if type(o) is str else o[0]
                    evidence_of.setdefault(target, []).append(ev)
                    break


def _new_graph(
    onto: Ontology, schema: _Schema, metas: dict[str, dict[str, Any]]
) -> nx.MultiDiGraph:
    """An empty projection holding the sources, labels and dependency predicates."""
    import networkx as nx

    props = schema.props
    G = nx.MultiDiGraph()
    G.graph["sources"] = {
        _sid(iri): {k: meta.get(k) for k in ("title", "publisher", "url", "date", "notes")}
        for iri, meta in metas.items()
    }
    G.graph["type_labels"] = {
        n: {"en": c.label_en, "ja": c.label_ja} for n, c in sorted(schema.entity_classes.items())
    }
    G.graph["predicate_labels"] = {
        local_name(str(p.iri)): {"en": p.label_en, "ja": p.label_ja}
        for p in sorted(props.values(), key=lambda p: local_name(str(p.iri)))
    }
    G.graph["dependency_predicates"] = sorted(
        local_name(str(props[n].iri)) for n in onto.dependency_predicates if n in props
    )
    return G


def _add_entities(
    G: nx.MultiDiGraph, ent: dict[str, dict[str, Any]], schema: _Schema
) -> dict[str, str]:
    """Add the typed entities the projection keeps; return their ids by IRI."""
    keep = schema.keep_types
    ids: dict[str, str] = {}
    for iri in sorted(ent):
        a = ent[iri]
        if "type" not in a or (keep is not None and a["type"] not in keep):
            continue
        node_id = ids[iri] = a.get("id") or _sid(iri)
        G.add_node(
            node_id,
            iri=iri,
            type=a["type"],
            label=a.get("label", node_id),
            label_ja=a.get("label_ja"),
            aliases=sorted(a["aliases"]),
            description=a.get("description"),
            external_ids=_external_ids(a["exact"]),
            facts=[],
            dates=[],
            sources=[],
        )
    return ids


def _sort_key(ev: dict[str, Any]) -> tuple[str, ...]:
    return (
        ev["source"] or "",
        ev["date"] or ev["valid_from"] or "",
        ev["quote"] or "",
        ev["claim"],
    )


def _add_facts(
    G: nx.MultiDiGraph,
    asserted: list[tuple[str, str, Term]],
    evidence_of: dict[tuple[str, str, Term], list[dict[str, Any]]],
    ids: dict[str, str],
    schema: _Schema,
    independence: dict[str, str],
    as_of: str | date | None,
) -> None:
    """Edges for entity-valued facts, ``facts`` entries for literal ones, and every
    node's ``dates`` and ``sources``."""
    prop_local, keep_preds = schema.prop_local, schema.keep_preds
    labels = {local: prop.label_en for local, prop in schema.by_local.items()}
    node_dates: dict[str, set[str]] = {iri: set() for iri in ids}
    node_sources: dict[str, set[str]] = {iri: set() for iri in ids}
    # Sorted so that edges and facts come out in the same order from any input.
    asserted.sort(key=lambda t: (t[0], t[1], t[2] if type(t[2]) is str else t[2][0]))
    for s, p, o in asserted:
        if s not in ids:
            continue
        local = prop_local[p]
        if keep_preds is not None and local not in keep_preds:
            continue
        is_edge = type(o) is str
        if is_edge and o not in ids:
            continue  # object outside the projection (filtered type, or not an entity)
        evidence = evidence_of.get((s, p, o), [])
        if len(evidence) > 1:
            evidence.sort(key=_sort_key)
        if as_of is not None and not valid_as_of(evidence, as_of):
            continue
        plabel = labels[local]
        for ev in evidence:
            dated = [d for d in (ev["date"], ev["valid_from"], ev["valid_until"]) if d]
            for end in (s, o) if is_edge else (s,):
                if ev["source"]:
                    node_sources[end].add(ev["source"])  # type: ignore[index]
                if dated:
                    node_dates[end].update(dated)  # type: ignore[index]
        status = fact_status(evidence, independence)
        if is_edge:
            G.add_edge(
                ids[s],
                ids[o],  # type: ignore[index]
                key=local,
                predicate=local,
                predicate_label=plabel,
                iri=p,
                evidence=evidence,
                status=status,
            )
        else:
            value, datatype, _lang = o  # type: ignore[str-unpack]
            if datatype in _DATE_TYPES:
                node_dates[s].add(value)
            G.nodes[ids[s]]["facts"].append(
                {
                    "predicate": local,
                    "predicate_label": plabel,
                    "value": value,
                    "datatype": local_name(datatype),
                    "evidence": evidence,
                    "status": status,
                }
            )
    for iri, node_id in ids.items():
        G.nodes[node_id]["dates"] = sorted(node_dates[iri])
        G.nodes[node_id]["sources"] = sorted(node_sources[iri])


def _external_ids(values: list[str]) -> dict[str, str]:
    """``scheme:value`` literals and IRIs of skos:exactMatch as ``{scheme: value}``."""
    out: dict[str, str] = {}
    for value in sorted(values):
        if value.startswith("http://www.wikidata.org/entity/"):
            out["wikidata"] = value.rsplit("/", 1)[1]
        elif "://" in value:
            out[value.split("://", 1)[1].split("/", 1)[0]] = value
        elif ":" in value:
            scheme, _, ident = value.partition(":")
            out[scheme] = ident
    return out
