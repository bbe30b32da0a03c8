"""Views: the part of a projection the explorer shows.

``ego:``, ``path:`` and ``deps:`` views are built on :mod:`graph.analysis`'
traversals (:func:`~graph.analysis.neighbourhood`,
:func:`~graph.analysis.shortest_paths`, :func:`~graph.analysis.dependency_closure`),
so that the explorer and the command line agree on what a neighbourhood, a
path or a dependency tree is. ``source:`` views are the explorer's own.
networkx and :mod:`graph.analysis` are imported inside the functions.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from graph.errors import NoPathError, RenderError
from graph.render.style import dependency_predicates as default_dependency_predicates

if TYPE_CHECKING:
    import networkx as nx

_VIEW_HELP = "use all, ego:ID[:RADIUS], path:A,B, deps:ID or source:SRC"


def _entity(G: nx.MultiDiGraph, name: str) -> str:
    """The node ``name`` names (id, label or alias); errors say which names exist."""
    from graph.network import resolve_entity

    name = name.strip()
    if not name:
        raise RenderError("the view names no entity", field="view", hint=_VIEW_HELP)
    return resolve_entity(G, name)


def _copy_nodes(G: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    import networkx as nx

    sub = nx.MultiDiGraph(**G.graph)
    sub.add_nodes_from((n, G.nodes[n]) for n in nodes)
    return sub


def _add_facts(
    sub: nx.MultiDiGraph, G: nx.MultiDiGraph, facts: Iterable[tuple[str, str, str]]
) -> nx.MultiDiGraph:
    """Add the edges ``(subject, object, predicate)`` of ``G``, and their ends, to ``sub``."""
    for u, v, key in facts:
        for n in (u, v):
            if n not in sub:
                sub.add_node(n, **G.nodes[n])
        sub.add_edge(u, v, key=key, **G.edges[u, v, key])
    return sub


def select_view(
    G: nx.MultiDiGraph, view: str = "all", *, dependency_predicates: Collection[str] | None = None
) -> nx.MultiDiGraph:
    """The part of ``G`` a view shows.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A projection from :func:`graph.network.to_networkx`.
    view : str
        ``all``; ``ego:ID`` or ``ego:ID:RADIUS`` (the undirected neighbourhood,
        radius 1 by default); ``path:A,B`` (every shortest undirected path
        between two entities, with the facts along them); ``deps:ID`` (the
        dependency tree: dependency predicates followed outwards from ID);
        ``source:SRC`` (the facts one source states, with only that source's
        evidence). Entities may be named by id, label or alias.
    dependency_predicates : collection of str, optional
        Predicate local names that ``deps:`` follows; by default those of
        ``G.graph["dependency_predicates"]``, else those of the shipped ontology
        (:func:`graph.render.style.dependency_predicates`).

    Returns
    -------
    nx.MultiDiGraph
        ``G`` itself for ``all``, otherwise a new graph with ``G.graph`` copied.

    Raises
    ------
    RenderError
        For an unknown view kind, a bad radius or an unknown source.
    graph.errors.EntityNotFound
        For an entity no id, label or alias names (the message suggests close names).
    graph.errors.NoPathError
        When ``path:`` entities are not connected.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="buildsOn")
    'buildsOn'
    >>> G.add_edge("b", "c", key="mentions")
    'mentions'
    >>> sorted(select_view(G, "deps:a", dependency_predicates={"buildsOn"}))
    ['a', 'b']
    >>> sorted(select_view(G, "ego:c"))
    ['b', 'c']
    """
    kind, _, arg = view.strip().partition(":")
    if kind == "all" and not arg:
        return G
    if kind == "ego" and arg:
        return _ego_view(G, arg)
    if kind == "path" and "," in arg:
        a, b = (_entity(G, part) for part in arg.split(",", 1))
        return _path_view(G, a, b)
    if kind == "deps" and arg:
        if dependency_predicates is None:
            dependency_predicates = (
                G.graph.get("dependency_predicates") or default_dependency_predicates()
            )
        return _deps_view(G, _entity(G, arg), dependency_predicates)
    if kind == "source" and arg:
        return _source_view(G, arg.strip())
    raise RenderError(f"unknown view {view!r}", field="view", hint=_VIEW_HELP)


def _ego_view(G: nx.MultiDiGraph, arg: str) -> nx.MultiDiGraph:
    """``ego:ID[:RADIUS]``: :func:`graph.analysis.neighbourhood`."""
    from graph.analysis import neighbourhood

    name, radius = arg, "1"
    head, sep, tail = arg.rpartition(":")
    if sep and (tail.strip().lstrip("-").isdigit()):
        name, radius = head, tail.strip()
    if int(radius) < 0:
        raise RenderError(f"radius {radius} is negative", field="view", hint=_VIEW_HELP)
    return neighbourhood(G, _entity(G, name), radius=int(radius))


def _path_view(G: nx.MultiDiGraph, a: str, b: str) -> nx.MultiDiGraph:
    """``path:A,B``: every path of :func:`graph.analysis.shortest_paths`, and only the
    facts along them (two path nodes may share other facts, a shortcut the other way
    round, which would not be on any path)."""
    from graph.analysis import shortest_paths

    try:
        paths = shortest_paths(G, a, b, limit=sys.maxsize)
    except NoPathError as exc:
        raise NoPathError(
            f"no path between {a!r} and {b!r}",
            hint="try ego: views of each to see their neighbours",
        ) from exc
    nodes = {a} | {hop.target for path in paths for hop in path}
    sub = _copy_nodes(G, [n for n in G if n in nodes])
    return _add_facts(
        sub,
        G,
        ((f.subject, f.object, f.predicate) for path in paths for hop in path for f in hop.facts),
    )


def _deps_view(G: nx.MultiDiGraph, node: str, predicates: Collection[str]) -> nx.MultiDiGraph:
    """``deps:ID``: :func:`graph.analysis.dependency_closure`, following ``predicates``."""
    import networkx as nx

    from graph.analysis import dependency_closure

    # A view of G that differs only in the predicates the closure follows.
    H = nx.graphviews.generic_graph_view(G)
    H.graph = {**G.graph, "dependency_predicates": sorted(predicates)}
    links = dependency_closure(H, node)
    return _add_facts(
        _copy_nodes(G, [node]),
        G,
        ((lk.fact.subject, lk.fact.object, lk.fact.predicate) for lk in links),
    )


def _source_view(G: nx.MultiDiGraph, source: str) -> nx.MultiDiGraph:
    """The entities and facts one source states, keeping only that source's evidence."""
    import networkx as nx

    known = set(G.graph.get("sources", {}))
    for _, _, evidence in G.edges(data="evidence", default=()):
        known.update(e.get("source") for e in evidence if e.get("source"))
    if source not in known:
        raise RenderError(
            f"no source {source!r} in the graph",
            field="view",
            hint=f"known sources: {', '.join(sorted(known)) or 'none'}",
        )

    def own(node: str) -> dict[str, Any]:
        data = dict(G.nodes[node])
        data["facts"] = [
            {**fact, "evidence": [e for e in fact.get("evidence", []) if e.get("source") == source]}
            for fact in data.get("facts", [])
            if any(e.get("source") == source for e in fact.get("evidence", []))
        ]
        return data

    sub = nx.MultiDiGraph(**G.graph)
    for u, v, key, data in G.edges(keys=True, data=True):
        evidence = [e for e in data.get("evidence", []) if e.get("source") == source]
        if evidence:
            for n in (u, v):
                if n not in sub:
                    sub.add_node(n, **own(n))
            sub.add_edge(u, v, key=key, **{**data, "evidence": evidence})
    for n, data in G.nodes(data=True):
        if n not in sub and source in data.get("sources", ()):
            sub.add_node(n, **own(n))
    return sub
