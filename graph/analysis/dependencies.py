"""What an entity depends on and what depends on it, following ``ag:dependsOn`` and its
sub-properties (``G.graph["dependency_predicates"]``)."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from graph.analysis.model import Fact, Link, node_of

if TYPE_CHECKING:
    import networkx as nx


def _dependency_walk(G: nx.MultiDiGraph, node: str, *, reverse: bool) -> list[Link]:
    deps = set(G.graph.get("dependency_predicates", ()))
    root = node_of(G, node)
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


def dependency_facts(G: nx.MultiDiGraph, node: str) -> tuple[int, int]:
    """How many dependency facts the graph holds with ``node`` as subject (it depends
    on something) and as object (something depends on it).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("deal", "export", "dependsOn"), ("deal", "x", "signedBy")])
    >>> G.graph["dependency_predicates"] = ["dependsOn"]
    >>> dependency_facts(G, "deal"), dependency_facts(G, "export"), dependency_facts(G, "x")
    ((1, 0), (0, 1), (0, 0))
    """
    deps = set(G.graph.get("dependency_predicates", ()))
    root = node_of(G, node)
    return (
        sum(k in deps for _, _, k in G.out_edges(root, keys=True)),
        sum(k in deps for _, _, k in G.in_edges(root, keys=True)),
    )


def why_no_links(G: nx.MultiDiGraph, node: str, *, reverse: bool) -> str:
    """Why :func:`impact` (``reverse``) or :func:`dependency_closure` found nothing:
    the graph holds no dependency fact about ``node`` (missing data), or it holds
    some and none of them points the asked way (a finding).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("deal", "export", "dependsOn"), ("deal", "x", "signedBy")])
    >>> G.graph["dependency_predicates"] = ["dependsOn"]
    >>> why_no_links(G, "deal", reverse=True)
    'deal has 1 dependency fact (it depends on 1 thing), and nothing depends on it'
    >>> why_no_links(G, "x", reverse=True)
    'the graph holds no dependency facts about x: missing data, not a finding'
    """
    root = node_of(G, node)
    depends_on, depended_on = dependency_facts(G, root)
    if depends_on == depended_on == 0:
        return f"the graph holds no dependency facts about {root}: missing data, not a finding"
    if reverse:
        return (
            f"{root} has {_n(depends_on, 'dependency fact')} (it depends on "
            f"{_n(depends_on, 'thing')}), and nothing depends on it"
        )
    return (
        f"{root} has {_n(depended_on, 'dependency fact')} ({_n(depended_on, 'thing')} "
        f"depend{'s' * (depended_on == 1)} on it), and it depends on nothing"
    )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"
