"""The results of network questions: facts with their evidence, hops, links, rankings,
and the small helpers every question uses. Depends on :mod:`graph.resolve`."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph.resolve import resolve_entity

if TYPE_CHECKING:
    import networkx as nx


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


def node_of(G: nx.MultiDiGraph, name: str) -> str:
    """The node ``name`` names: an id of ``G``, or any name :mod:`graph.resolve` accepts."""
    return name if name in G else resolve_entity(G, name)


def facts_between(G: nx.MultiDiGraph, u: str, v: str) -> tuple[Fact, ...]:
    out = [Fact.of_edge(G, u, v, k) for k in sorted(G.get_edge_data(u, v) or {})]
    if u != v:
        out += [Fact.of_edge(G, v, u, k) for k in sorted(G.get_edge_data(v, u) or {})]
    return tuple(out)


def hops(G: nx.MultiDiGraph, nodes: list[str]) -> list[Hop]:
    return [Hop(u, v, facts_between(G, u, v)) for u, v in itertools.pairwise(nodes)]


def simple_undirected(G: nx.MultiDiGraph) -> nx.Graph:
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
