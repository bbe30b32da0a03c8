"""Network questions asked of the projection, as plain functions on ``G``.

Every function takes the :class:`networkx.MultiDiGraph` made by
:func:`graph.network.to_networkx` first and its options keyword-only, in the
manner of networkx. Entities may be given by id, or by any name
:func:`graph.network.resolve_entity` accepts. Results that an analyst must be
able to check carry the evidence (source, quote, qualifiers) of every fact.

- :func:`neighbourhood` — the entities within a radius;
- :func:`shortest_paths`, :func:`k_shortest_paths` — how two entities are
  connected, hop by hop, each hop with its facts in their real direction;
- :func:`dependency_closure`, :func:`impact` — what an entity depends on, and
  what depends on it, following ``G.graph["dependency_predicates"]`` (the
  ontology's ``ag:dependsOn`` and its sub-properties);
- :func:`rank` — degree, PageRank, betweenness (sampled on large graphs);
- :func:`single_points_of_failure` — articulation points and bridges;
- :func:`communities` — Louvain communities, seeded;
- :func:`timeline` — dated facts and events, dates at their precision.

The ``format_*`` functions turn results into the plain text the CLI prints.
networkx and igraph are imported inside functions. Depends on
:mod:`graph.network` and :mod:`graph.errors`.
"""

from __future__ import annotations

import itertools
import random
import textwrap
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from graph.dates import PartialDate
from graph.errors import InvalidOptionError, NoPathError
from graph.network import resolve_entity

if TYPE_CHECKING:
    import networkx as nx

#: Metrics :func:`rank` knows.
METRICS = ("degree", "pagerank", "betweenness")
#: Above this many node × edge steps, betweenness is estimated from sampled sources.
EXACT_BETWEENNESS_LIMIT = 50_000_000
#: Sources sampled for betweenness on large graphs.
BETWEENNESS_SAMPLES = 500


@dataclass(frozen=True)
class Fact:
    """One asserted entity-to-entity fact (an edge of ``G``) with its evidence."""

    subject: str
    predicate: str
    object: str
    predicate_label: str
    evidence: list[dict[str, Any]] = field(compare=False, hash=False)

    @classmethod
    def of_edge(cls, G: nx.MultiDiGraph, u: str, v: str, key: str) -> Fact:
        """The fact of edge ``(u, v, key)``."""
        data = G.edges[u, v, key]
        return cls(u, key, v, data.get("predicate_label", key), data.get("evidence", []))


@dataclass(frozen=True)
class Hop:
    """One step of a path, from ``source`` to ``target`` in the path's order.

    ``facts`` are every fact between the two, each in its real direction: a
    fact whose subject is ``target`` is walked backwards.
    """

    source: str
    target: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Link:
    """A dependency fact reached at ``depth`` links from the entity asked about."""

    fact: Fact
    depth: int


@dataclass(frozen=True)
class Ranking:
    """Scores of a centrality metric, best first; ``sampled`` says if estimated."""

    metric: str
    scores: list[tuple[str, float]]
    sampled: int | None = None
    note: str = ""


@dataclass(frozen=True)
class SinglePointsOfFailure:
    """Entities and links whose removal disconnects the (undirected) graph."""

    articulation_points: list[str]
    bridges: list[tuple[str, str, tuple[Fact, ...]]]


@dataclass(frozen=True)
class TimelineEntry:
    """A dated fact or event. ``kind`` is ``date`` (an entity's own date), ``at``
    (point in time), ``from`` or ``until``; ``date`` keeps its precision."""

    date: str
    kind: str
    subject: str
    predicate: str
    predicate_label: str
    object: str | None
    value: str | None
    evidence: list[dict[str, Any]] = field(compare=False, hash=False)
    #: Other dates the sources give for the same fact and kind: less precise ones
    #: (refined by ``date``) and, marked ``disputed``, incompatible ones whose claims
    #: conflict (``ag:conflictsWith``). Other points in time of a relation that holds
    #: at many (an office held) dispute nothing and are not alternatives: each stays
    #: in its claim's evidence.
    alternatives: tuple[tuple[str, str], ...] = field(default=(), compare=False, hash=False)

    @property
    def precision(self) -> str:
        """``year``, ``month`` or ``day``."""
        return {4: "year", 7: "month"}.get(len(self.date), "day")


def _node(G: nx.MultiDiGraph, name: str) -> str:
    return name if name in G else resolve_entity(G, name)


def _facts_between(G: nx.MultiDiGraph, u: str, v: str) -> tuple[Fact, ...]:
    out = [Fact.of_edge(G, u, v, k) for k in sorted(G.get_edge_data(u, v) or {})]
    if u != v:
        out += [Fact.of_edge(G, v, u, k) for k in sorted(G.get_edge_data(v, u) or {})]
    return tuple(out)


def _hops(G: nx.MultiDiGraph, nodes: list[str]) -> list[Hop]:
    return [Hop(u, v, _facts_between(G, u, v)) for u, v in itertools.pairwise(nodes)]


def _simple_undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per linked pair, weighted by how many facts link it."""
    import networkx as nx

    H = nx.Graph()
    H.add_nodes_from(G)
    for u, v in G.edges():
        if u != v:
            if H.has_edge(u, v):
                H[u][v]["weight"] += 1
            else:
                H.add_edge(u, v, weight=1)
    return H


# --- neighbourhood and paths ----------------------------------------------------------
def neighbourhood(G: nx.MultiDiGraph, node: str, *, radius: int = 1) -> nx.MultiDiGraph:
    """The entities within ``radius`` links of ``node`` (either direction), with their facts.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b", "p"), ("c", "b", "p"), ("c", "d", "p")])
    >>> sorted(neighbourhood(G, "a", radius=2))
    ['a', 'b', 'c']
    """
    import networkx as nx

    # nx.ego_graph(undirected=True) copies all of G first; a view walks it in place.
    near = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), _node(G, node),
                                                 cutoff=radius)
    return G.subgraph(near).copy()


def shortest_paths(G: nx.MultiDiGraph, source: str, target: str, *, limit: int = 10
                   ) -> list[list[Hop]]:
    """Every shortest path between two entities (up to ``limit``), with each hop's facts.

    Links are followed in either direction; each hop reports its facts in their
    real direction, with their evidence.

    Raises
    ------
    EntityNotFound
        If an entity is unknown.
    NoPathError
        If the two are not connected.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("meti", "industry", key="promotes", predicate_label="promotes")
    'promotes'
    >>> G.add_edge("japan", "tomahawk", key="procures", predicate_label="procures")
    'procures'
    >>> G.add_edge("industry", "japan", key="industrialBaseOf", predicate_label="base of")
    'industrialBaseOf'
    >>> [(h.source, h.target) for h in shortest_paths(G, "meti", "tomahawk")[0]]
    [('meti', 'industry'), ('industry', 'japan'), ('japan', 'tomahawk')]
    """
    import networkx as nx

    s, t = _node(G, source), _node(G, target)
    U = G.to_undirected(as_view=True)
    try:
        paths = list(itertools.islice(nx.all_shortest_paths(U, s, t), limit))
    except nx.NetworkXNoPath:
        raise NoPathError(f"no path between {s!r} and {t!r}: they are not connected"
                          ) from None
    return [_hops(G, p) for p in sorted(paths)]


def k_shortest_paths(G: nx.MultiDiGraph, source: str, target: str, *, k: int = 3
                     ) -> list[list[Hop]]:
    """The ``k`` shortest simple paths between two entities, shortest first (Yen's algorithm).

    Links are followed in either direction; each hop carries its facts and
    their evidence.

    Raises
    ------
    EntityNotFound, NoPathError

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b", "p"), ("b", "c", "p"), ("a", "d", "p"),
    ...                      ("d", "e", "p"), ("e", "c", "p")])
    >>> [[h.target for h in p] for p in k_shortest_paths(G, "a", "c", k=2)]
    [['b', 'c'], ['d', 'e', 'c']]
    """
    import networkx as nx

    if k < 1:
        raise InvalidOptionError(f"k must be at least 1, not {k}", field="k")
    s, t = _node(G, source), _node(G, target)
    H = _simple_undirected(G)
    try:
        paths = list(itertools.islice(nx.shortest_simple_paths(H, s, t), k))
    except nx.NetworkXNoPath:
        raise NoPathError(f"no path between {s!r} and {t!r}: they are not connected"
                          ) from None
    return [_hops(G, p) for p in paths]


# --- dependencies -----------------------------------------------------------------------
def _dependency_walk(G: nx.MultiDiGraph, node: str, *, reverse: bool) -> list[Link]:
    deps = set(G.graph.get("dependency_predicates", ()))
    root = _node(G, node)
    seen, queue, links = {root}, deque([(root, 0)]), []
    while queue:
        u, depth = queue.popleft()
        edges = G.in_edges(u, keys=True) if reverse else G.out_edges(u, keys=True)
        for a, b, key in sorted(edges, key=lambda e: (e[2], e[0], e[1])):
            if key not in deps:
                continue
            links.append(Link(Fact.of_edge(G, a, b, key), depth + 1))
            other = a if reverse else b
            if other not in seen:
                seen.add(other)
                queue.append((other, depth + 1))
    return links


def dependency_closure(G: nx.MultiDiGraph, node: str) -> list[Link]:
    """What ``node`` depends on, transitively, breadth first.

    Follows the edges whose predicate is in ``G.graph["dependency_predicates"]``
    (``ag:dependsOn`` and every sub-property the ontology declares) from
    subject to object. Each :class:`Link` is one dependency fact with its
    evidence and its distance from ``node``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("gpi", "sm3", "buildsOn"), ("sm3", "x", "develops")])
    >>> G.graph["dependency_predicates"] = ["buildsOn", "dependsOn"]
    >>> [(l.fact.object, l.depth) for l in dependency_closure(G, "gpi")]
    [('sm3', 1)]
    """
    return _dependency_walk(G, node, reverse=False)


def impact(G: nx.MultiDiGraph, node: str) -> list[Link]:
    """What depends on ``node``, transitively: what is affected if it fails or changes.

    The reverse of :func:`dependency_closure`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("export", "revision", "enabledBy"),
    ...                      ("deal", "export", "dependsOn")])
    >>> G.graph["dependency_predicates"] = ["dependsOn", "enabledBy"]
    >>> [(l.fact.subject, l.depth) for l in impact(G, "revision")]
    [('export', 1), ('deal', 2)]
    """
    return _dependency_walk(G, node, reverse=True)


# --- centrality -----------------------------------------------------------------------
def rank(G: nx.MultiDiGraph, *, metric: str = "degree", samples: int | None = None,
         seed: int = 0) -> Ranking:
    """Rank entities by a centrality metric, best first (ties by id).

    Parameters
    ----------
    metric : {"degree", "pagerank", "betweenness"}
        ``degree`` counts facts in and out; ``pagerank`` follows facts from
        subject to object (damping 0.85); ``betweenness`` is normalised like
        :func:`networkx.betweenness_centrality` on the undirected simple graph.
    samples : int, optional
        For betweenness, estimate from this many source entities drawn with
        ``seed``. By default the exact value is computed unless the graph has
        more than ``EXACT_BETWEENNESS_LIMIT`` node × edge steps, in which case
        ``BETWEENNESS_SAMPLES`` sources are drawn; ``Ranking.note`` says so.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "hub", "p"), ("b", "hub", "p"), ("hub", "c", "p")])
    >>> rank(G, metric="degree").scores[0]
    ('hub', 3.0)
    >>> rank(G, metric="betweenness").scores[0]
    ('hub', 1.0)
    """
    if metric not in METRICS:
        raise InvalidOptionError(f"unknown metric {metric!r}", field="metric",
                                 hint=f"use one of: {', '.join(METRICS)}")
    nodes = sorted(G)
    n = len(nodes)
    sampled, note = None, ""
    if metric == "degree":
        values = [float(G.degree(v)) for v in nodes]
        note = "degree: facts in and out"
    else:
        import igraph as ig

        index = {v: i for i, v in enumerate(nodes)}
        if metric == "pagerank":
            g = ig.Graph(n=n, edges=[(index[u], index[v]) for u, v in G.edges()],
                         directed=True)
            values = g.pagerank(damping=0.85) if n else []
            note = "pagerank: damping 0.85, facts followed from subject to object"
        else:
            H = _simple_undirected(G)
            g = ig.Graph(n=n, edges=[(index[u], index[v]) for u, v in H.edges()])
            if samples is None and n * H.number_of_edges() > EXACT_BETWEENNESS_LIMIT:
                samples = BETWEENNESS_SAMPLES
            if samples is not None and samples < n:
                if samples < 1:
                    raise InvalidOptionError(f"samples must be at least 1, not {samples}",
                                             field="samples")
                sources = sorted(random.Random(seed).sample(range(n), samples))
                raw = g.betweenness(directed=False, sources=sources)
                raw = [b * n / samples for b in raw]
                sampled = samples
                note = (f"betweenness: SAMPLED estimate from {samples} of {n} source "
                        f"entities (seed {seed}), not exact")
            else:
                raw = g.betweenness(directed=False) if n else []
                note = "betweenness: exact, undirected"
            scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 1.0
            values = [b * scale for b in raw]
    scores = sorted(zip(nodes, values, strict=True), key=lambda x: (-x[1], x[0]))
    return Ranking(metric, scores, sampled, note)


# --- robustness and structure ---------------------------------------------------------
def single_points_of_failure(G: nx.MultiDiGraph) -> SinglePointsOfFailure:
    """Articulation points and bridges of the undirected simple projection.

    An articulation point is an entity whose removal disconnects others; a
    bridge a link (all facts between two entities) whose removal does.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b", "p"), ("b", "c", "p"), ("c", "a", "p"),
    ...                      ("c", "d", "p")])
    >>> spof = single_points_of_failure(G)
    >>> spof.articulation_points, [(u, v) for u, v, _ in spof.bridges]
    (['c'], [('c', 'd')])
    """
    import networkx as nx

    H = _simple_undirected(G)
    points = sorted(nx.articulation_points(H))
    bridges = sorted(tuple(sorted(e)) for e in nx.bridges(H))
    return SinglePointsOfFailure(points, [(u, v, _facts_between(G, u, v)) for u, v in bridges])


def communities(G: nx.MultiDiGraph, *, seed: int = 0, resolution: float = 1.0
                ) -> list[list[str]]:
    """Louvain communities of the undirected graph weighted by facts, largest first.

    Seeded, so the same graph gives the same communities.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b", "p"), ("b", "c", "p"), ("c", "a", "p"),
    ...                      ("x", "y", "p"), ("y", "z", "p"), ("z", "x", "p"),
    ...                      ("a", "x", "p")])
    >>> communities(G)
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    import networkx as nx

    found = nx.community.louvain_communities(_simple_undirected(G), weight="weight",
                                             resolution=resolution, seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


# --- time -------------------------------------------------------------------------------
def timeline(G: nx.MultiDiGraph) -> list[TimelineEntry]:
    """Dated facts and events in date order, each date at the precision the source gives.

    Entries come from entities' date-valued facts (``kind="date"``, e.g. when an
    event happened) and from the qualifiers of claims on facts and edges
    (``at`` = point in time, ``from``, ``until``). ISO order puts a year before
    the months and days in it (``2023`` < ``2023-08`` < ``2023-12-22``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("visit", facts=[{"predicate": "date", "predicate_label": "date",
    ...            "value": "2024-04-10", "datatype": "date", "evidence": []}])
    >>> G.add_edge("visit", "wh", key="announcedBy", predicate_label="announced by",
    ...            evidence=[{"date": "2024-01-25"}])
    'announcedBy'
    >>> [(e.date, e.kind, e.predicate) for e in timeline(G)]
    [('2024-01-25', 'at', 'announcedBy'), ('2024-04-10', 'date', 'date')]
    """
    entries: list[TimelineEntry] = []
    kinds = (("date", "at"), ("valid_from", "from"), ("valid_until", "until"))

    def qualified(subject: str, predicate: str, label: str, obj: str | None,
                  value: str | None, evidence: list[dict[str, Any]]) -> None:
        for key, kind in kinds:
            best, alternatives = best_date(evidence, key)
            if best is not None:
                evs = [ev for ev in evidence if ev.get(key)]
                entries.append(TimelineEntry(best, kind, subject, predicate, label, obj, value,
                                             evs, alternatives))

    for node, facts in G.nodes(data="facts"):
        for f in facts or ():
            if f.get("datatype") in ("date", "gYearMonth", "gYear"):
                others = tuple(sorted(
                    (ev["value"], "refined" if PartialDate(ev["value"]).compatible(
                        PartialDate(f["value"])) else "disputed")
                    for ev in f["evidence"] if not ev.get("asserted", True) and ev.get("value")))
                entries.append(TimelineEntry(f["value"], "date", node, f["predicate"],
                                             f["predicate_label"], None, f["value"],
                                             f["evidence"], tuple(dict.fromkeys(others))))
            qualified(node, f["predicate"], f["predicate_label"], None, f["value"],
                      f["evidence"])
    for u, v, key, data in G.edges(keys=True, data=True):
        qualified(u, key, data.get("predicate_label", key), v, None, data.get("evidence", []))
    order = {"date": 0, "at": 1, "from": 2, "until": 3}
    return sorted(entries, key=lambda e: (e.date, order[e.kind], e.subject, e.predicate,
                                          e.object or "", e.value or ""))


def best_date(evidence: Iterable[dict[str, Any]], key: str = "date"
              ) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The best ``key`` date (``date``, ``valid_from``, ``valid_until``) of one fact's claims,
    and the others.

    The best is the preferred claim's date refined by the most precise date
    compatible with it (:mod:`graph.dates`); without a preferred claim, the most
    precise date. The others come as ``(date, "refined")`` when compatible with
    the best; ``(date, "disputed")`` when not and a claim giving it conflicts
    (``links["conflicts_with"]``) with a claim giving an incompatible date. An
    incompatible date that no claim disputes is another point in time of a
    relation that holds at many (a minister seen at two meetings; see
    :mod:`graph.reconcile`), not an alternative, and is left out.

    >>> best_date([{"claim": "a", "date": "2023", "rank": "preferred"},
    ...            {"claim": "b", "date": "2023-01-12"},
    ...            {"claim": "c", "date": "2024", "links": {"conflicts_with": ["a"]}}])
    ('2023-01-12', (('2023', 'refined'), ('2024', 'disputed')))
    >>> best_date([{"date": "2024-07-29", "rank": "preferred"}, {"date": "2023-01-11"}])
    ('2024-07-29', ())
    """
    evidence = [ev for ev in evidence if ev.get(key) and ev.get("rank") != "deprecated"]
    if not evidence:
        return None, ()
    dates = sorted({PartialDate(ev[key]) for ev in evidence}, key=lambda d: (-len(d.text), d))
    anchor = next((PartialDate(ev[key]) for ev in evidence if ev.get("rank") == "preferred"),
                  dates[0])
    best = next(d for d in dates if d.compatible(anchor))
    by_claim = {ev.get("claim"): ev for ev in evidence if ev.get("claim")}
    disputed = {PartialDate(ev[key]) for ev in evidence
                for c in (ev.get("links") or {}).get("conflicts_with", ())
                if c in by_claim
                and not PartialDate(by_claim[c][key]).compatible(PartialDate(ev[key]))}

    others = tuple(sorted((d.text, "refined" if d.compatible(best) else "disputed")
                          for d in dates if d != best and (d.compatible(best) or d in disputed)))
    return best.text, others


def fact_marks(status: dict[str, Any] | None, evidence: Iterable[dict[str, Any]]) -> str:
    """What the sources say of one fact, in words: "2 sources agree; refined by …; disputed by …".

    >>> fact_marks({"sources": 2, "corroborated": True, "refined": False, "disputed": False}, [])
    '2 sources agree'
    """
    if not status:
        return ""
    evidence = list(evidence)
    by_claim = {ev.get("claim"): ev for ev in evidence}
    marks = []
    if status.get("corroborated"):
        marks.append(f"{status['sources']} sources agree")
    refiners = sorted({ev.get("source") or "?" for ev in evidence
                       if (ev.get("links") or {}).get("refines")})
    if refiners:
        marks.append("refined by " + ", ".join(refiners))
    disputers = sorted({by_claim[c].get("source") or "?" for ev in evidence
                        if ev.get("rank") == "preferred"
                        for c in (ev.get("links") or {}).get("conflicts_with", ())
                        if c in by_claim})
    if not disputers:
        disputers = sorted({ev.get("source") or "?" for ev in evidence
                            if (ev.get("links") or {}).get("conflicts_with")})
    if disputers:
        marks.append("disputed by " + ", ".join(disputers))
    return "; ".join(marks)


# --- plain-text reports (the CLI prints these) ------------------------------------------
def _label(G: nx.MultiDiGraph, node: str) -> str:
    return G.nodes[node].get("label") or node if node in G else node


def _money(amount: str, currency: str | None) -> str:
    try:
        text = f"{Decimal(amount).normalize():,f}"
    except InvalidOperation:
        text = amount
    return f"{text} {currency or ''}".strip()


def format_evidence(evidence: Iterable[dict[str, Any]], *, indent: int = 6,
                    width: int = 88) -> list[str]:
    """Each claim as its quote (wrapped, in double quotes) and a line naming the
    source and the qualifiers.

    Examples
    --------
    >>> print("\\n".join(format_evidence([{"quote": "Japan produces Patriot",
    ...     "source": "s1", "source_title": "A report", "date": "2023"}], indent=2)))
      "Japan produces Patriot"
      — A report [s1]; date 2023
    """
    pad = " " * indent
    lines: list[str] = []
    for ev in evidence:
        lines += textwrap.wrap(f'"{ev.get("quote") or ""}"', width=width,
                               initial_indent=pad, subsequent_indent=pad + " ")
        where = [f"{ev.get('source_title') or ev.get('source')} [{ev.get('source')}]"]
        if not ev.get("asserted", True) and ev.get("value") is not None:
            where.append(f"states {ev['value']}")
        for key, name in (("date", "date"), ("valid_from", "from"),
                          ("valid_until", "until"), ("role", "role"), ("quantity", "quantity")):
            if ev.get(key):
                where.append(f"{name} {ev[key]}")
        if ev.get("amount"):
            where.append(f"amount {_money(ev['amount'], ev.get('currency'))}")
        links = ev.get("links") or {}
        if ev.get("rank") and (links.get("conflicts_with") or links.get("refines")
                               or links.get("refined_by") or ev["rank"] == "deprecated"):
            where.append(f"{ev['rank']}: {ev.get('rank_reason') or ''}".rstrip(": "))
        lines.append(f"{pad}— " + "; ".join(where))
    return lines


def format_fact(G: nx.MultiDiGraph, fact: Fact, *, walking_from: str | None = None) -> str:
    """``Subject —predicate→ Object``, or ``Object ←predicate— Subject`` when a path
    walks the fact backwards from ``walking_from``."""
    if walking_from is not None and walking_from == fact.object != fact.subject:
        return f"{_label(G, fact.object)} ←{fact.predicate_label}— {_label(G, fact.subject)}"
    return f"{_label(G, fact.subject)} —{fact.predicate_label}→ {_label(G, fact.object)}"


def format_card(G: nx.MultiDiGraph, node: str) -> str:
    """An entity card: type, labels, aliases, description and every fact in and out,
    each with its quote and source."""
    node = _node(G, node)
    a = G.nodes[node]
    type_label = G.graph.get("type_labels", {}).get(a.get("type"), {}).get("en")
    lines = [f"{a.get('label') or node}" + (f" / {a['label_ja']}" if a.get("label_ja") else ""),
             f"  id:          {node}",
             f"  type:        {a.get('type')}" + (f" ({type_label})" if type_label else ""),
             f"  iri:         {a.get('iri')}"]
    if a.get("aliases"):
        lines.append(f"  aliases:     {'; '.join(a['aliases'])}")
    if a.get("description"):
        lines += textwrap.wrap(a["description"], width=88, initial_indent="  description: ",
                               subsequent_indent=" " * 15)
    for scheme, value in sorted((a.get("external_ids") or {}).items()):
        lines.append(f"  {scheme}: {value}")
    if a.get("dates"):
        lines.append(f"  dates:       {', '.join(a['dates'])}")
    facts = a.get("facts") or []
    lines.append(f"\nfacts about it ({len(facts)}):" if facts else "\nfacts about it: none")
    for f in facts:
        marks = fact_marks(f.get("status"), f["evidence"])
        lines.append(f"  {f['predicate_label']}: {f['value']}" + (f"   [{marks}]" if marks else ""))
        lines += format_evidence(f["evidence"])
    out = [Fact.of_edge(G, u, v, k) for u, v, k in sorted(G.out_edges(node, keys=True))]
    into = [Fact.of_edge(G, u, v, k) for u, v, k in sorted(G.in_edges(node, keys=True))]
    for title, group in (("links out", out), ("links in", into)):
        lines.append(f"\n{title} ({len(group)}):" if group else f"\n{title}: none")
        for fact in group:
            data = G.edges[fact.subject, fact.object, fact.predicate]
            marks = fact_marks(data.get("status"), fact.evidence)
            lines.append(f"  {format_fact(G, fact)}" + (f"   [{marks}]" if marks else ""))
            lines += format_evidence(fact.evidence)
    return "\n".join(lines)


def format_paths(G: nx.MultiDiGraph, paths: list[list[Hop]]) -> str:
    """Each path hop by hop, each hop's facts with their quotes."""
    lines: list[str] = []
    for i, path in enumerate(paths, 1):
        start, end = path[0].source, path[-1].target
        lines.append(f"Path {i} of {len(paths)} ({len(path)} hop{'s' * (len(path) != 1)}): "
                     f"{_label(G, start)} → {_label(G, end)}")
        for j, hop in enumerate(path, 1):
            for m, fact in enumerate(hop.facts):
                prefix = f"{j}." if m == 0 else "  "
                lines.append(f"  {prefix} {format_fact(G, fact, walking_from=hop.source)}")
                lines += format_evidence(fact.evidence, indent=7)
        lines.append("")
    return "\n".join(lines).rstrip()


def format_links(G: nx.MultiDiGraph, node: str, links: list[Link], *, reverse: bool) -> str:
    """A dependency closure (or, with ``reverse``, an impact) as an indented list."""
    node = _node(G, node)
    preds = ", ".join(G.graph.get("dependency_predicates", ()))
    reached = {(lk.fact.subject if reverse else lk.fact.object) for lk in links}
    head = (f"What depends on {_label(G, node)} [{node}]" if reverse
            else f"What {_label(G, node)} [{node}] depends on")
    lines = [f"{head}, transitively: {len(reached)} entit{'y' if len(reached) == 1 else 'ies'}"
             f" (following {preds})"]
    if not links:
        lines.append("  nothing" + (" depends on it." if reverse else ": it depends on nothing."))
    for lk in links:
        pad = "  " * lk.depth
        other = lk.fact.subject if reverse else lk.fact.object
        lines.append(f"{pad}[{lk.depth}] {format_fact(G, lk.fact)}   ({other})")
        lines += format_evidence(lk.fact.evidence, indent=len(pad) + 6)
    return "\n".join(lines)


def format_ranking(G: nx.MultiDiGraph, ranking: Ranking, *, top: int = 10) -> str:
    """The ``top`` entities of a ranking as a table, with the ranking's note."""
    rows = ranking.scores[:top]
    width = max((len(n) for n, _ in rows), default=2)
    lines = [ranking.note, f"{'rank':>4}  {'score':>10}  {'id':<{width}}  label (type)"]
    for i, (n, score) in enumerate(rows, 1):
        shown = f"{int(score):>10}" if ranking.metric == "degree" else f"{score:>10.4f}"
        lines.append(f"{i:>4}  {shown}  {n:<{width}}  {_label(G, n)} ({G.nodes[n].get('type')})")
    return "\n".join(lines)


def format_timeline(G: nx.MultiDiGraph, entries: list[TimelineEntry]) -> str:
    """One line per dated fact (date at its precision, kind, fact), its quotes below."""
    lines: list[str] = []
    for e in entries:
        if e.object is not None:
            what = format_fact(G, Fact(e.subject, e.predicate, e.object, e.predicate_label, []))
        else:
            what = f"{_label(G, e.subject)} — {e.predicate_label}: {e.value}"
        lines.append(f"{e.date:<10}  {e.kind:<5}  {what}")
        if e.alternatives:
            lines.append(" " * 19 + "other dates given: " + ", ".join(
                f"{d} ({how})" for d, how in e.alternatives))
        lines += format_evidence(e.evidence, indent=19)
    return "\n".join(lines) if lines else "no dated facts"
