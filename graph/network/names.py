"""Finding an entity of a projection by id, label, Japanese label or alias."""

from __future__ import annotations

import difflib
import unicodedata
from typing import TYPE_CHECKING

from graph.errors import EntityNotFound

if TYPE_CHECKING:
    import networkx as nx


def _normal(text: str) -> str:
    """Case-, width-, quote- and space-insensitive form of a name."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-"}))
    return " ".join(text.split())


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

    Matching ignores case, Unicode width, curly quotes and repeated spaces; an
    exact id always wins.

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
    if name in G:
        return name
    wanted = _normal(name)
    index: dict[str, set[str]] = {}
    for node in G:
        for n in entity_names(G, node):
            index.setdefault(_normal(n), set()).add(node)
    found = sorted(index.get(wanted, ()))
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(f"{n} ({G.nodes[n].get('label', n)})" for n in found)
        raise EntityNotFound(f"{name!r} is ambiguous: it names {listed}",
                             hint="give one of these ids")
    close = difflib.get_close_matches(wanted, list(index), n=8, cutoff=0.75)
    nodes = sorted({n for c in close for n in index[c]},
                   key=lambda n: -max(difflib.SequenceMatcher(None, wanted, _normal(x)).ratio()
                                      for x in entity_names(G, n)))[:5]
    if not nodes:
        raise EntityNotFound(f"no entity {name!r}",
                             hint="name an entity by its id, label or an alias")
    listed = ", ".join(f"{n} ({G.nodes[n].get('label', n)})" for n in nodes)
    raise EntityNotFound(f"no entity {name!r}; did you mean {listed}?")
