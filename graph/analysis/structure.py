"""Centrality, single points of failure and communities of the projection."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from graph.analysis.model import (
    Ranking,
    SinglePointsOfFailure,
    facts_between,
    simple_undirected,
)
from graph.errors import InvalidOptionError

if TYPE_CHECKING:
    import networkx as nx

#: Metrics :func:`rank` knows.
METRICS = ("degree", "pagerank", "betweenness")
#: Above this many node × edge steps, betweenness is estimated from sampled sources.
EXACT_BETWEENNESS_LIMIT = 50_000_000
#: Sources sampled for betweenness on large graphs.
BETWEENNESS_SAMPLES = 500


def rank(
    G: nx.MultiDiGraph, *, metric: str = "degree", samples: int | None = None, seed: int = 0
) -> Ranking:
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
        raise InvalidOptionError(
            f"unknown metric {metric!r}", field="metric", hint=f"use one of: {', '.join(METRICS)}"
        )
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
            g = ig.Graph(n=n, edges=[(index[u], index[v]) for u, v in G.edges()], directed=True)
            values = g.pagerank(damping=0.85) if n else []
            note = "pagerank: damping 0.85, facts followed from subject to object"
        else:
            H = simple_undirected(G)
            g = ig.Graph(n=n, edges=[(index[u], index[v]) for u, v in H.edges()])
            if samples is None and n * H.number_of_edges() > EXACT_BETWEENNESS_LIMIT:
                samples = BETWEENNESS_SAMPLES
            if samples is not None and samples < n:
                if samples < 1:
                    raise InvalidOptionError(
                        f"samples must be at least 1, not {samples}", field="samples"
                    )
                sources = sorted(random.Random(seed).sample(range(n), samples))
                raw = g.betweenness(directed=False, sources=sources)
                raw = [b * n / samples for b in raw]
                sampled = samples
                note = (
                    f"betweenness: SAMPLED estimate from {samples} of {n} source "
                    f"entities (seed {seed}), not exact"
                )
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

    H = simple_undirected(G)
    points = sorted(nx.articulation_points(H))
    bridges = sorted(tuple(sorted(e)) for e in nx.bridges(H))
    return SinglePointsOfFailure(points, [(u, v, facts_between(G, u, v)) for u, v in bridges])


def communities(G: nx.MultiDiGraph, *, seed: int = 0, resolution: float = 1.0) -> list[list[str]]:
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

    found = nx.community.louvain_communities(
        simple_undirected(G), weight="weight", resolution=resolution, seed=seed
    )
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
