"""Finding an entity of a projection by id, label, Japanese label or alias."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx


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
