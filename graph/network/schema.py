"""What the ontology tells the projection: predicates and classes, keyed as triples are
read, and the ``types``/``predicates`` filters widened to everything below them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.errors import InvalidOptionError
from graph.network.triples import local_name

if TYPE_CHECKING:
    from graph.ontology import OntClass, Ontology, OntProperty


@dataclass
class _Schema:
    """What the ontology says the projection needs, keyed the way triples are read."""

    props: dict[str, OntProperty]
    prop_local: dict[str, str]  # predicate IRI → local name
    by_local: dict[str, OntProperty]
    entity_classes: dict[str, OntClass]
    class_by_iri: dict[str, str]  # class IRI → class name
    keep_types: set[str] | None
    keep_preds: set[str] | None


def _names_below(
    names: Iterable[str],
    known: dict[str, Any],
    ancestors: dict[str, set[str]],
    what: str,
    field: str,
) -> set[str]:
    """The given names and every name below them; an unknown name is an error."""
    wanted = set(names)
    unknown = sorted(wanted - set(known))
    if unknown:
        raise InvalidOptionError(
            f"unknown {what} {', '.join(map(repr, unknown))}",
            field=field,
            hint=f"use one of: {', '.join(sorted(known))}",
        )
    return {n for n in known if n in wanted or ancestors[n] & wanted}


def _schema(
    onto: Ontology, types: Iterable[str] | None, predicates: Iterable[str] | None
) -> _Schema:
    props = onto.claim_predicates
    by_local = {local_name(str(p.iri)): p for p in props.values()}
    prop_ancestors = {
        local_name(str(p.iri)): {local_name(str(a)) for a in p.ancestors} for p in props.values()
    }
    entity_classes = onto.entity_classes()
    class_ancestors = {
        n: {onto.class_name(a) for a in c.ancestors} for n, c in entity_classes.items()
    }
    return _Schema(
        props=props,
        prop_local={str(p.iri): local_name(str(p.iri)) for p in props.values()},
        by_local=by_local,
        entity_classes=entity_classes,
        class_by_iri={str(c.iri): n for n, c in entity_classes.items()},
        keep_types=(
            None
            if types is None
            else _names_below(types, entity_classes, class_ancestors, "type", "types")
        ),
        keep_preds=(
            None
            if predicates is None
            else _names_below(predicates, by_local, prop_ancestors, "predicate", "predicates")
        ),
    )
