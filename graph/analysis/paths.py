"""How entities are connected: neighbourhoods and shortest paths, each hop with its facts."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from graph.analysis.model import Hop, hops, node_of, simple_undirected
from graph.errors import InvalidOptionError, NoPathError

if TYPE_CHECKING:
    import networkx as nx


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
    near = nx.single_source_shortest_path_length(
        G.to_undirected(as_view=True), node_of(G, node), cutoff=radius
    )
    return G.subgraph(near).copy()


def shortest_paths(
    G: nx.MultiDiGraph, source: str, target: str, *, limit: int = 10
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

    s, t = node_of(G, source), node_of(G, target)
    U = G.to_undirected(as_view=True)
    try:
        paths = list(itertools.islice(nx.all_shortest_paths(U, s, t), limit))
    except nx.NetworkXNoPath:
        raise NoPathError(why_no_path(G, s, t)) from None
    return [hops(G, p) for p in sorted(paths)]


def k_shortest_paths(
    G: nx.MultiDiGraph, source: str, target: str, *, k: int = 3
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
    s, t = node_of(G, source), node_of(G, target)
    H = simple_undirected(G)
    try:
        paths = list(itertools.islice(nx.shortest_simple_paths(H, s, t), k))
    except nx.NetworkXNoPath:
        raise NoPathError(why_no_path(G, s, t)) from None
    return [hops(G, p) for p in paths]


def why_no_path(G: nx.MultiDiGraph, source: str, target: str) -> str:
    """Why two entities have no path: one of them has no facts linking it to any
    entity (missing data), or both have and the graph does not connect them.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b", "p"), ("c", "d", "p")])
    >>> G.add_node("e")
    >>> why_no_path(G, "a", "c")
    "no path between 'a' and 'c': they are not connected"
    >>> why_no_path(G, "a", "e")
    "no path between 'a' and 'e': the graph holds no facts linking 'e' to any entity"
    """
    alone = [
        n for n in (source, target) if not any(v != n for v in G.to_undirected(as_view=True)[n])
    ]
    if alone:
        names = " or ".join(repr(n) for n in alone)
        return (
            f"no path between {source!r} and {target!r}: the graph holds no facts "
            f"linking {names} to any entity"
        )
    return f"no path between {source!r} and {target!r}: they are not connected"
