"""Claims grouped into facts, and the verdicts and ranks of each fact.

See :mod:`graph.reconcile` for the rules.
"""

from __future__ import annotations

from typing import Any

from graph.ontology import Ontology
from graph.reconcile.order import _descending, _Order
from graph.reconcile.values import (
    COARSER,
    CONFLICT,
    FINER,
    QUALIFIER_FIELDS,
    SAME,
    _precision,
    compare,
    show_value,
)
from graph.reconcile.verdicts import Conflict, Fact, Link, Reconciliation
from graph.records import Claim, Dataset


def reconcile(dataset: Dataset, ontology: Ontology) -> Reconciliation:
    """Group claims into facts and decide agreement, refinement, conflict and ranks.

    Parameters
    ----------
    dataset : Dataset
        Checked records (:func:`graph.records.load_records`).
    ontology : Ontology
        Declares which properties are functional and how numbers compare.

    Returns
    -------
    Reconciliation
        Facts in a stable order (subject, predicate, value), the rank and its
        reason for every claim, and the links between claims.
    """
    order = _Order(dataset.sources, ontology)
    groups: dict[tuple[str, ...], list[Claim]] = {}
    for claim in dataset.claims:
        name = claim.predicate.name
        key: tuple[str, ...] = (
            (claim.subject, name)
            if ontology.functional(name)
            else (claim.subject, name, repr(claim.obj))
        )
        groups.setdefault(key, []).append(claim)

    rounded = {f: ontology.value_comparison(p) == "rounded" for f, p in QUALIFIER_FIELDS.items()}
    functional_qualifiers = [f for f, p in QUALIFIER_FIELDS.items() if ontology.functional(p)]
    facts: list[Fact] = []
    ranks: dict[str, tuple[str, str]] = {}
    links: list[Link] = []
    for key in sorted(groups):
        group = groups[key]
        claims = sorted(group, key=order.claim_key) if len(group) > 1 else group
        fact = _reconcile_fact(
            claims, ontology, order, rounded, functional_qualifiers, ranks, links
        )
        facts.append(fact)
    facts.sort(key=lambda f: (f.subject, f.predicate, show_value(f.value)))
    return Reconciliation(facts, ranks, links)


def _clusters(claims: list[Claim], rounded: bool) -> list[list[Claim]]:
    """Claims grouped by compatible values (most precise first within the input order)."""
    if len(claims) < 2:
        return [list(claims)] if claims else []
    clusters: list[list[Claim]] = []
    for claim in sorted(claims, key=lambda c: -_precision(c.obj)):
        for cluster in clusters:
            if all(
                compare(claim.obj, other.obj, rounded=rounded) in (SAME, FINER, COARSER)
                for other in cluster
            ):
                cluster.append(claim)
                break
        else:
            clusters.append([claim])
    return clusters


def _reconcile_fact(
    claims: list[Claim],
    ontology: Ontology,
    order: _Order,
    rounded_qualifiers: dict[str, bool],
    functional_qualifiers: list[str],
    ranks: dict[str, tuple[str, str]],
    links: list[Link],
) -> Fact:
    first = claims[0]
    name = first.predicate.name
    live = [c for c in claims if c.rank != "deprecated"]
    rounded_value = (
        first.predicate.kind == "datatype" and ontology.value_comparison(name) == "rounded"
    )
    clusters = _clusters(live, rounded_value)
    hand_preferred = [c for c in live if c.rank == "preferred"]

    def support(cluster: list[Claim]) -> tuple[Any, ...]:
        best = min(cluster, key=order.source_key)
        return (
            order.precedence[best.source],
            -len({order.independence(c) for c in cluster}),
            _descending(max(order.published(c) for c in cluster)),
            best.source,
        )

    if len(clusters) == 1:  # most facts: one value (the rules below pick it too)
        winner = clusters[0]
    elif hand_preferred:
        winner = next(cl for cl in clusters if hand_preferred[0] in cl)
    else:
        winner = min(clusters, key=support) if clusters else []
    preferred: Claim | None = winner[0] if len(winner) == 1 else None
    if len(winner) > 1:
        preferred = min(winner, key=order.claim_key)
    fact = Fact(first.subject, name, claims, preferred)
    if preferred is None:
        for claim in claims:
            ranks[claim.key] = ("deprecated", claim.rank_reason or "")
        return fact
    fact.independent_sources = len({order.independence(c) for c in winner})
    acknowledged = any(c.rank is not None for c in claims)

    # Links within the agreeing cluster: corroboration and refinement of the value.
    for i, a in enumerate(winner):
        for b in winner[i + 1 :]:
            verdict = compare(a.obj, b.obj, rounded=rounded_value)
            if verdict in (FINER, COARSER):
                fine, coarse = (a, b) if verdict == FINER else (b, a)
                links.append(Link("refines", fine, coarse, "value"))
                fact.refined = True
            if order.independence(a) != order.independence(b):
                links.append(Link("corroborates", a, b, "value"))
    # Conflicting values: every claim of another cluster against the preferred one.
    for cluster in clusters:
        if cluster is winner:
            continue
        for other in cluster:
            links.append(Link("conflictsWith", preferred, other, "value"))
            fact.conflicts.append(
                Conflict(fact.subject, name, "value", preferred, other, acknowledged)
            )
    # Qualifiers the ontology declares single-valued, across the agreeing claims: each
    # claim is compared with the anchor, the claim giving the best value (the preferred
    # claim's, else the most precise), so one dissenting claim makes one conflict.
    for field_name in functional_qualifiers:
        if field_name == "point_in_time" and not ontology.instantaneous(name):
            continue  # a state observed at several times: no single point to agree on
        stated = [c for c in winner if getattr(c, field_name) is not None]
        if len(stated) < 2:
            continue  # one value, nothing to compare it with
        rounded = rounded_qualifiers[field_name]

        def judge(
            anchor: Claim, other: Claim, field_name: str = field_name, rounded: bool = rounded
        ) -> None:
            verdict = compare(
                getattr(anchor, field_name), getattr(other, field_name), rounded=rounded
            )
            if verdict in (FINER, COARSER):
                fine, coarse = (anchor, other) if verdict == FINER else (other, anchor)
                links.append(Link("refines", fine, coarse, field_name))
                fact.refined = True
            elif verdict == CONFLICT:
                links.append(Link("conflictsWith", anchor, other, field_name))
                fact.conflicts.append(
                    Conflict(fact.subject, name, field_name, anchor, other, acknowledged)
                )

        for group, loose in _comparable(stated, field_name):
            anchors = [_anchor(g, preferred, field_name, rounded) for g in group]
            for g, anchor in zip(group, anchors, strict=True):
                for other in g:
                    if other is not anchor:
                        judge(anchor, other)
            if not anchors and loose:
                anchor = _anchor(loose, preferred, field_name, rounded)
                for other in loose:
                    if other is not anchor:
                        judge(anchor, other)
                continue
            # A claim that does not say what its value measures agrees with the first
            # group it is compatible with, and disputes the first one if none.
            for other in loose:
                fitting = [
                    a
                    for a in anchors
                    if compare(getattr(a, field_name), getattr(other, field_name), rounded=rounded)
                    != CONFLICT
                ]
                judge((fitting or anchors)[0], other)

    ranks.update(_ranks(claims, preferred, winner, clusters, order, fact.conflicts))
    return fact


def _comparable(
    claims: list[Claim], field_name: str
) -> list[tuple[list[list[Claim]], list[Claim]]]:
    """Claims whose ``field_name`` values measure the same thing, by currency.

    Amounts compare only in one currency. A ``role`` names what a qualifier
    measures ("estimated cost of the approved sale", "contract price"): each
    currency yields the groups of claims with one role, and the claims with no
    role ("loose"), which are matched to the group they fit.
    """
    by_currency: dict[str | None, tuple[dict[str, list[Claim]], list[Claim]]] = {}
    for c in claims:
        currency = c.currency if field_name == "amount" else None
        roles, loose = by_currency.setdefault(currency, ({}, []))
        if c.role is None:
            loose.append(c)
        else:
            roles.setdefault(" ".join(c.role.split()).casefold(), []).append(c)
    return [
        ([roles[r] for r in sorted(roles)], loose)
        for _, (roles, loose) in sorted(by_currency.items(), key=lambda kv: str(kv[0]))
    ]


def _anchor(group: list[Claim], preferred: Claim, field_name: str, rounded: bool) -> Claim:
    """The claim giving the best value of a qualifier: the most precise value compatible
    with the preferred claim's own (or the most precise of all, if it gives none)."""
    by_precision = sorted(group, key=lambda c: -_precision(getattr(c, field_name)))
    if preferred not in group:
        return by_precision[0]
    own = getattr(preferred, field_name)
    return next(
        c for c in by_precision if compare(getattr(c, field_name), own, rounded=rounded) != CONFLICT
    )


def _ranks(
    claims: list[Claim],
    preferred: Claim,
    winner: list[Claim],
    clusters: list[list[Claim]],
    order: _Order,
    conflicts: list[Conflict],
) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    if preferred.rank == "preferred":
        reason = f"set by the record: {preferred.rank_reason}"
    elif len(claims) == 1:
        reason = "the only claim of this fact"
    else:
        parts = []
        if len(clusters) > 1:
            parts.append(
                f"its value is stated by {order.kind_label[preferred.source]}, "
                "preferred over the conflicting value by the default rule "
                "(source kind, then independent sources, then latest publication)"
            )
        if any(_precision(c.obj) < _precision(preferred.obj) for c in winner):
            parts.append(
                f"most precise value ({show_value(preferred.obj)}) among compatible claims"
            )
        if not parts:
            parts.append(
                f"best-placed source ({order.kind_label[preferred.source]}) among "
                f"{len(winner)} agreeing claims"
            )
        reason = "; ".join(parts)
    out[preferred.key] = ("preferred", reason)
    for claim in claims:
        if claim is preferred:
            continue
        if claim.rank == "deprecated":
            out[claim.key] = ("deprecated", f"set by the record: {claim.rank_reason}")
        elif claim in winner:
            disputed = [c for c in conflicts if c.other is claim and c.field != "value"]
            if disputed:
                theirs, ours = disputed[0].values()
                what = QUALIFIER_FIELDS[disputed[0].field]
                out[claim.key] = (
                    "normal",
                    f"agrees on the value, but disputed: its {what} "
                    f"{show_value(ours)} conflicts with "
                    f"{show_value(theirs)}",
                )
            else:
                out[claim.key] = ("normal", "agrees with the preferred claim")
        else:
            out[claim.key] = (
                "normal",
                f"disputed: states {show_value(claim.obj)} where the "
                f"preferred claim states {show_value(preferred.obj)}",
            )
    return out
