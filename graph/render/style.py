"""How the explorer draws each entity type, and which predicates ``deps:`` follows.

Both come from the ontology, not from Python: ``ag:colour`` and ``ag:shape`` on
each class (Paul Tol's colour-blind-safe palettes; shapes differ too, so that
type never rests on colour alone) and the sub-properties of ``ag:dependsOn``.
"""

from __future__ import annotations

from functools import cache

#: Colour and shape of nodes whose type has no style (or no type).
DEFAULT_STYLE = ("#999999", "dot")
#: The vis-network group of nodes whose type has no style (or no type).
OTHER_GROUP = "_other"


@cache
def styles() -> dict[str, tuple[str, str]]:
    """``{class name: (colour, shape)}`` of the shipped ontology (``ag:colour``, ``ag:shape``).

    >>> styles()["WeaponSystem"]
    ('#AA3377', 'diamond')
    """
    from graph.ontology import shipped_ontology

    return dict(shipped_ontology().styles)


@cache
def dependency_predicates() -> frozenset[str]:
    """``ag:dependsOn`` and its sub-properties in the shipped ontology: what ``deps:``
    views follow when neither the caller nor the projection names them.

    >>> {"dependsOn", "buildsOn"} <= dependency_predicates()
    True
    """
    from graph.ontology import shipped_ontology

    return shipped_ontology().dependency_predicates
