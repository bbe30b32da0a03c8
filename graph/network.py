"""The NetworkX projection of the built graph, with the evidence of every fact.

:func:`to_networkx` turns the built RDF (entities, asserted facts and their
``ag:Claim`` nodes) into an :class:`networkx.MultiDiGraph` whose nodes are
entities keyed by their plain ``str`` id and whose edges are the asserted
entity-to-entity facts, keyed by the predicate's local name and carrying every
claim's source, quote and qualifiers. Literal-valued facts become the ``facts``
attribute of their subject node, never nodes. :func:`resolve_entity` finds an
entity by id, label, Japanese label or alias, in any case.

Loading reads the built N-Triples with pyoxigraph's parser: at 1M triples
parse and projection took 4.3 s where rdflib's parse alone took 41 s and
``rdflib_to_networkx_multidigraph`` another 15 s (``benchmarks/bench_network.py``).
An rdflib graph already in memory is accepted too. The ontology gives the labels of types
and predicates and the dependency super-property. networkx, pyoxigraph and
rdflib are imported inside the functions so that ``import graph.network`` is
cheap. Depends on :mod:`graph.ontology`, :mod:`graph.namespaces` and
:mod:`graph.errors`; knows nothing of YAML or of rendering.

The projection's shape (consumed by :mod:`graph.render` and
:mod:`graph.analysis`):

- node attributes: ``iri``, ``type`` (class local name), ``label``,
  ``label_ja``, ``aliases``, ``description``, ``external_ids``, ``facts``
  (literal-valued facts with their evidence), ``dates`` (ISO strings at their
  precision, from the entity's claims in and out), ``sources`` (source ids);
- edge ``(subject, object, key=predicate)`` with ``predicate``,
  ``predicate_label``, ``iri`` and ``evidence`` (list of EVIDENCE dicts:
  ``claim``, ``source``, ``source_title``, ``quote``, ``date``, ``valid_from``,
  ``valid_until``, ``role``, ``amount``, ``currency``, ``quantity``, ``rank``
  (preferred, normal or deprecated), ``rank_reason``, ``links`` (claim IRIs it
  ``corroborates``, ``refines``, is ``refined_by``, ``conflicts_with``),
  ``asserted`` (False for a less precise or disputed value, given in ``value``))
  and ``status`` (:func:`fact_status`: independent sources, corroborated,
  refined, disputed); literal facts carry the same ``evidence`` and ``status``;
- ``G.graph``: ``sources``, ``type_labels``, ``predicate_labels``,
  ``dependency_predicates``.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.dates import date_bounds, valid_as_of
from graph.errors import InvalidOptionError
from graph.namespaces import AG, CLAIM, ID, PROV

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from graph.ontology import Ontology

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_AG, _PROV, _ID, _CLAIM = str(AG), str(PROV), str(ID), str(CLAIM)

RDF_TYPE = _RDF + "type"
_XSD_STRING = _XSD + "string"
_DATE_TYPES = {_XSD + "date", _XSD + "gYearMonth", _XSD + "gYear"}

#: Claim properties → key of the EVIDENCE dict.
_QUALIFIERS = {
    _RDF + "subject": "s", _RDF + "predicate": "p", _RDF + "object": "o",
    _PROV + "wasQuotedFrom": "source", _AG + "quote": "quote",
    _AG + "pointInTime": "date", _AG + "validFrom": "valid_from",
    _AG + "validUntil": "valid_until", _AG + "role": "role", _AG + "amount": "amount",
    _AG + "currency": "currency", _AG + "quantity": "quantity", _AG + "rank": "rank",
    _AG + "rankReason": "rank_reason",
}
_EVIDENCE_KEYS = ("date", "valid_from", "valid_until", "role", "amount", "currency",
                  "quantity", "rank", "rank_reason")
#: Links between claims (graph.reconcile) → key in an EVIDENCE dict's ``links``.
_CLAIM_LINKS = {_AG + "corroborates": "corroborates", _AG + "refines": "refines",
                _AG + "conflictsWith": "conflicts_with"}

# An object term: an IRI is a plain str, a literal a (lexical form, datatype, language) tuple.
Term = str | tuple[str, str, str | None]


# --- reading triples ------------------------------------------------------------------
def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _oxigraph_triples(path: Path) -> Iterator[tuple[str, str, Term]]:
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

        raise NotBuiltError(f"does not parse: {exc}", path=path,
                            hint="rebuild it with 'alliance-graph build'") from exc


def _quads(quads: Iterator[Any], named: Any) -> Iterator[tuple[str, str, Term]]:
    import pyoxigraph as ox

    for quad in quads:
        obj = quad.object
        if type(obj) is named:
            yield quad.subject.value, quad.predicate.value, obj.value
        elif type(obj) is ox.Literal:
            yield (quad.subject.value, quad.predicate.value,
                   (obj.value, obj.datatype.value, obj.language))


def _rdflib_triples(graph: Graph) -> Iterator[tuple[str, str, Term]]:
    from rdflib import Literal, URIRef

    for s, p, o in graph:
        if isinstance(o, URIRef):
            yield str(s), str(p), str(o)
        elif isinstance(o, Literal):
            datatype = str(o.datatype) if o.datatype else (
                _RDF + "langString" if o.language else _XSD_STRING)
            yield str(s), str(p), (str(o), datatype, o.language)


def _names_below(names: Iterable[str], known: dict[str, Any], ancestors: dict[str, set[str]],
                 what: str, field: str) -> set[str]:
    """The given names and every name below them; an unknown name is an error."""
    wanted = set(names)
    unknown = sorted(wanted - set(known))
    if unknown:
        raise InvalidOptionError(
            f"unknown {what} {', '.join(map(repr, unknown))}", field=field,
            hint=f"use one of: {', '.join(sorted(known))}")
    return {n for n in known if n in wanted or ancestors[n] & wanted}


# --- the projection -------------------------------------------------------------------
@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
        ``YYYY-MM-DD``); see :func:`valid_as_of` for the rule.
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
        keyed by the predicate's local name. The module docstring lists the
        attributes.

    Raises
    ------
    InvalidOptionError
        For an ``as_of`` that does not parse, or an unknown type or predicate.

    Examples
    --------
    >>> import tempfile
    >>> from graph import api
    >>> G = to_networkx(api.build(graph_dir=tempfile.mkdtemp()).graph)
    >>> G.has_edge("meti", "japan-defence-industry", key="promotes")
    True
    >>> G.nodes["dod"]["type"], G.nodes["dod"]["label_ja"]
    ('GovernmentAgency', 'アメリカ合衆国国防総省')
    >>> "USD" in {ev["currency"] for ev in G.edges["japan", "tomahawk", "procures"]["evidence"]}
    True
    """
    import networkx as nx

    from graph.ontology import load_ontology

    onto = ontology or load_ontology()
    if as_of is not None:
        date_bounds(as_of)  # fail early, before reading anything

    props = onto.claim_predicates
    prop_local = {str(p.iri): _local_name(str(p.iri)) for p in props.values()}
    by_local = {_local_name(str(p.iri)): p for p in props.values()}
    prop_ancestors = {
        _local_name(str(p.iri)): {_local_name(str(a)) for a in p.ancestors}
        for p in props.values()
    }
    entity_classes = onto.entity_classes()
    class_by_iri = {str(c.iri): n for n, c in entity_classes.items()}
    class_ancestors = {n: {onto.class_name(a) for a in c.ancestors}
                       for n, c in entity_classes.items()}
    keep_types = (None if types is None else
                  _names_below(types, entity_classes, class_ancestors, "type", "types"))
    keep_preds = (None if predicates is None else
                  _names_below(predicates, by_local, prop_ancestors, "predicate", "predicates"))

    # Millions of small dicts and tuples and no cycles: the cyclic collector would
    # only cost time (about a third of it at 1M triples).
    with _gc_paused():
        triples = (_rdflib_triples(source) if not isinstance(source, str | Path)
                   else _oxigraph_triples(Path(source)))

        ent: dict[str, dict[str, Any]] = {}    # entity IRI → attributes read so far
        src: dict[str, dict[str, Any]] = {}    # any IRI that may be a source → metadata
        claims: dict[str, dict[str, Any]] = {}
        asserted: list[tuple[str, str, Term]] = []
        label, alt, descr, ident, exact = (_RDFS + "label", _SKOS + "altLabel",
                                           _DCT + "description", _DCT + "identifier",
                                           _SKOS + "exactMatch")
        src_keys = {_DCT + "title": "title", _DCT + "publisher": "publisher",
                    _DCT + "issued": "date", _RDFS + "comment": "notes", exact: "url",
                    _AG + "independentSource": "independence", _AG + "excerpt": "excerpt"}
        source_class = _AG + "Source"

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
        claim_links: list[tuple[str, str, str]] = []
        for s, p, o in triples:
            key = qualifier(p)
            if key is not None:
                claim = claim_of(s)
                if claim is None:
                    claim = claims[s] = {}
                if key == "rank":
                    claim[key] = _local_name(o).removesuffix("Rank").lower()  # type: ignore[arg-type]
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
                    node(s)["type"] = class_by_iri[o]  # type: ignore[index]
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

        def sid(iri: str) -> str:
            return iri[len(_ID):] if iri.startswith(_ID) else iri

        sources = {
            sid(iri): {k: meta.get(k) for k in ("title", "publisher", "url", "date", "notes")}
            for iri, meta in sorted(src.items()) if meta.get("is_source")
        }
        independence = {sid(iri): meta.get("independence") or sid(iri)
                        for iri, meta in src.items() if meta.get("is_source")}
        entities = {iri: a for iri, a in ent.items() if "type" in a}
        kept = {iri for iri, a in entities.items()
                if keep_types is None or a["type"] in keep_types}

        # Claims by the triple they reify, each as an EVIDENCE dict.
        evidence_of: dict[tuple[str, str, Term], list[dict[str, Any]]] = {}
        titles = {iri: meta.get("title") for iri, meta in src.items() if meta.get("is_source")}
        for claim_iri, c in claims.items():
            if "s" not in c or "p" not in c or "o" not in c:
                continue
            source_iri = c.get("source")
            ev = {"claim": claim_iri, "source": sid(source_iri) if source_iri else None,
                  "source_title": titles.get(source_iri), "quote": c.get("quote"),
                  **{k: c.get(k) for k in _EVIDENCE_KEYS},
                  "links": {"corroborates": [], "refines": [], "refined_by": [],
                            "conflicts_with": []},
                  "asserted": True, "value": None}
            c["ev"] = ev
            key = (c["s"], c["p"], c["o"])
            found = evidence_of.get(key)
            if found is None:
                evidence_of[key] = [ev]
            else:
                found.append(ev)
        for a, kind, b in claim_links:
            if a in claims and b in claims and "ev" in claims[a] and "ev" in claims[b]:
                claims[a]["ev"]["links"][kind].append(b)
                if kind == "refines":
                    claims[b]["ev"]["links"]["refined_by"].append(a)
        for c in claims.values():  # the same order from any input order of triples
            for targets in c.get("ev", {}).get("links", {}).values():
                targets.sort()
        asserted_keys = set(asserted)
        # A less precise or disputed value is not asserted: its claims join the fact
        # whose preferred claim they refine or dispute, marked with their own value.
        for key, evs in list(evidence_of.items()):
            if key in asserted_keys:
                continue
            for ev in evs:
                for other in (*ev["links"]["refines"], *ev["links"]["conflicts_with"],
                              *ev["links"]["refined_by"]):
                    c = claims.get(other, {})
                    target = (c.get("s"), c.get("p"), c.get("o"))
                    if target in asserted_keys and target[:2] == key[:2]:
                        o = key[2]
                        ev["asserted"], ev["value"] = False, o if type(o) is str else o[0]
                        evidence_of.setdefault(target, []).append(ev)  # type: ignore[arg-type]
                        break

        def sort_key(ev: dict[str, Any]) -> tuple[str, ...]:
            return (ev["source"] or "", ev["date"] or ev["valid_from"] or "", ev["quote"] or "",
                    ev["claim"])

        G = nx.MultiDiGraph()
        G.graph["sources"] = sources
        G.graph["type_labels"] = {n: {"en": c.label_en, "ja": c.label_ja}
                                  for n, c in sorted(entity_classes.items())}
        G.graph["predicate_labels"] = {
            _local_name(str(p.iri)): {"en": p.label_en, "ja": p.label_ja}
            for p in sorted(props.values(), key=lambda p: _local_name(str(p.iri)))
        }
        G.graph["dependency_predicates"] = sorted(
            _local_name(str(props[n].iri)) for n in onto.dependency_predicates if n in props)

        node_dates: dict[str, set[str]] = {}
        node_sources: dict[str, set[str]] = {}
        for iri in sorted(kept):
            a = entities[iri]
            node_id = a.get("id") or sid(iri)
            G.add_node(
                node_id, iri=iri, type=a["type"], label=a.get("label", node_id),
                label_ja=a.get("label_ja"), aliases=sorted(a["aliases"]),
                description=a.get("description"), external_ids=_external_ids(a["exact"]),
                facts=[], dates=[], sources=[])
            node_dates[iri], node_sources[iri] = set(), set()

        ids = {iri: entities[iri].get("id") or sid(iri) for iri in kept}
        labels = {local: prop.label_en for local, prop in by_local.items()}
        # Sorted so that edges and facts come out in the same order from any input.
        asserted.sort(key=lambda t: (t[0], t[1], t[2] if type(t[2]) is str else t[2][0]))
        for s, p, o in asserted:
            if s not in kept:
                continue
            local = prop_local[p]
            if keep_preds is not None and local not in keep_preds:
                continue
            is_edge = type(o) is str
            if is_edge and o not in kept:
                continue  # object outside the projection (filtered type, or not an entity)
            evidence = evidence_of.get((s, p, o), [])
            if len(evidence) > 1:
                evidence.sort(key=sort_key)
            if as_of is not None and not valid_as_of(evidence, as_of):
                continue
            plabel = labels[local]
            for ev in evidence:
                dated = [d for d in (ev["date"], ev["valid_from"], ev["valid_until"]) if d]
                for end in ((s, o) if is_edge else (s,)):
                    if ev["source"]:
                        node_sources[end].add(ev["source"])
                    if dated:
                        node_dates[end].update(dated)
            status = fact_status(evidence, independence)
            if is_edge:
                G.add_edge(ids[s], ids[o], key=local, predicate=local, predicate_label=plabel,
                           iri=p, evidence=evidence, status=status)
            else:
                value, datatype, _lang = o  # type: ignore[misc]
                if datatype in _DATE_TYPES:
                    node_dates[s].add(value)
                G.nodes[ids[s]]["facts"].append({
                    "predicate": local, "predicate_label": plabel, "value": value,
                    "datatype": _local_name(datatype), "evidence": evidence,
                    "status": status})
        for iri, node_id in ids.items():
            G.nodes[node_id]["dates"] = sorted(node_dates[iri])
            G.nodes[node_id]["sources"] = sorted(node_sources[iri])
        return G


def fact_status(evidence: list[dict[str, Any]], independence: dict[str, str] | None = None
                ) -> dict[str, Any]:
    """How the sources of one fact stand to each other, from its claims' ranks and links.

    ``sources``: independent sources stating the asserted value or a less precise
    one compatible with it (copies of one original count once); ``corroborated``:
    two or more of them; ``refined``: some claim gives a more precise value or
    qualifier than another;
    ``disputed``: some claim conflicts with another.

    >>> fact_status([{"source": "a", "asserted": True, "links": {"conflicts_with": ["x"]}},
    ...              {"source": "b", "asserted": True, "links": {}}])["disputed"]
    True
    """
    # Agreeing claims: the asserted value, or a less precise one that it refines (a
    # claim stating a disputed value does not count for the asserted one).
    keys = {(independence or {}).get(e["source"], e["source"]) for e in evidence
            if e.get("source") and e.get("rank") != "deprecated"
            and (e.get("asserted", True) or not (e.get("links") or {}).get("conflicts_with"))}
    links = [e.get("links") or {} for e in evidence]
    return {
        "sources": len(keys),
        "corroborated": len(keys) >= 2,
        "refined": any(lk.get("refines") for lk in links),
        "disputed": any(lk.get("conflicts_with") for lk in links),
    }


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


# --- finding an entity by name --------------------------------------------------------
def entity_names(G: nx.MultiDiGraph, node: str) -> list[str]:
    """Every name of a node: id, English and Japanese label, aliases.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("dod", label="United States Department of Defense", aliases=["DoD"])
    >>> entity_names(G, "dod")
    ['dod', 'United States Department of Defense', 'DoD']
    """
    attrs = G.nodes[node]
    names = [node, attrs.get("label"), attrs.get("label_ja"), *attrs.get("aliases", [])]
    return [n for n in names if n]


def resolve_entity(G: nx.MultiDiGraph, name: str) -> str:
    """The id of the one entity that ``name`` names, by id, label, Japanese label or alias.

    Delegates to :mod:`graph.resolve`, the one resolver: matching ignores case,
    Unicode width, the kind of dash and quote mark, and repeated spaces; an exact
    id always wins.

    Raises
    ------
    EntityNotFound
        If no entity has that name (the message suggests close names), or if
        several do (the message lists them).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("dod", label="United States Department of Defense",
    ...            aliases=["DoD", "Division of Protection"])
    >>> resolve_entity(G, "division of PROTECTION")
    'dod'
    >>> resolve_entity(G, "Division of Protektion")
    Traceback (most recent call last):
    ...
    graph.errors.EntityNotFound: no entity 'Division of Protektion'; did you mean dod (United States Department of Defense)?
    """  # noqa: E501
    from graph.resolve import resolve_entity as resolve

    return resolve(G, name)


# --- export for Gephi -----------------------------------------------------------------
#: Formats :func:`write_network` writes.
EXPORT_FORMATS = ("graphml", "gexf")


def _flat(value: Any) -> Any:
    """GraphML and GEXF hold only scalars: lists and dicts become JSON text."""
    import json

    if isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def flatten_for_export(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes are scalars, as GraphML and GEXF require.

    Lists and dicts (``aliases``, ``facts``, ``evidence`` …) become JSON
    strings; missing values (None) are left out. Each edge also gets ``quote``
    and ``source`` (its claims' quotes and sources joined by `` | ``) so that
    Gephi shows the evidence without parsing JSON.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="p", evidence=[{"quote": "q", "source": "s"}])
    'p'
    >>> flatten_for_export(G).edges["a", "b", "p"]["quote"]
    'q'
    """
    import networkx as nx

    H = nx.MultiDiGraph()
    H.graph.update({k: _flat(v) for k, v in G.graph.items() if v is not None})
    for n, data in G.nodes(data=True):
        H.add_node(n, **{k: _flat(v) for k, v in data.items() if v is not None})
    for u, v, key, data in G.edges(keys=True, data=True):
        attrs = {k: _flat(val) for k, val in data.items() if val is not None}
        evidence = data.get("evidence") or []
        attrs["quote"] = " | ".join(e.get("quote") or "" for e in evidence)
        attrs["source"] = " | ".join(sorted({e.get("source") or "" for e in evidence}))
        H.add_edge(u, v, key=key, **attrs)
    return H


def write_network(G: nx.MultiDiGraph, path: str | Path, *, format: str | None = None) -> Path:
    """Write ``G`` as GraphML or GEXF (for Gephi), atomically.

    Parameters
    ----------
    format : {"graphml", "gexf"}, optional
        Guessed from the file extension when not given.

    Raises
    ------
    InvalidOptionError
        If the format is unknown or cannot be guessed.
    """
    import io

    import networkx as nx

    from graph.build import write_atomic

    path = Path(path)
    fmt = format or path.suffix.lstrip(".").lower()
    if fmt not in EXPORT_FORMATS:
        raise InvalidOptionError(f"unknown export format {fmt!r}", field="format",
                                 hint=f"use one of: {', '.join(EXPORT_FORMATS)}")
    H = flatten_for_export(G)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(H, buffer, encoding="utf-8", prettyprint=True)
    else:
        nx.write_gexf(H, buffer, encoding="utf-8", prettyprint=True)
    write_atomic(path, buffer.getvalue())
    return path
