"""Many sources, one account: which claims agree, refine or contradict each other.

Each source's statement stays its own claim; a *fact* is what they share. What
the sources say about one fact falls into three cases, decided from what the
ontology declares and never from a list in Python:

- **corroborated** — the fact is stated by two or more *independent* sources.
  Sources that carry the same original words (a release and its reprint, see
  ``SourceRecord.independence_key``) count once.
- **refined** — two values are compatible at different precision: dates whose
  spans nest ("2023" and "2023-01-12", :mod:`graph.dates`), or numbers of a
  property the ontology marks ``ag:valueComparison "rounded"`` that agree
  within the rounding of the less precise one (2.4 billion and 2.35 billion).
  One fact, the most precise value asserted, nothing doubled.
- **conflicting** — incompatible values of a property the ontology declares an
  ``owl:FunctionalProperty`` (one value per subject: ``legallyBinding``,
  ``date``, ``visitType``; among claim qualifiers ``validFrom``,
  ``validUntil``, ``amount``, ``quantity``, and ``pointInTime`` of a relation
  the ontology marks ``ag:instantaneous`` — a signing happens once, while an
  office is held at many points in time). Qualifiers with different ``role``
  (what they measure) are not compared. Both claims are kept with their quotes
  and linked by ``ag:conflictsWith``.

Facts of a functional property are grouped by (subject, predicate), others by
(subject, predicate, object).

Each claim gets a rank, after Wikidata's statement ranks: one *preferred*
claim per fact, whose value is asserted as the plain triple; *normal* for the
others; *deprecated* only when a record says so. The default rule that picks
the preferred claim, in order:

1. a record's own ``rank: preferred`` (with its ``rank_reason``) wins, and a
   ``rank: deprecated`` claim never does;
2. between conflicting values, the value stated by the best-placed source
   kind wins (``ag:precedence`` of the source kind plus that of the copy kind:
   a primary government text before a news report before an encyclopedia; a
   reworded copy last), then the value stated by more independent sources,
   then the one from the most recently published source;
3. among compatible values, the most precise (a day before a month before a
   year; more significant digits), then the same order of sources.

Ties end at the source id, so the outcome never depends on reading order.
This module does no I/O and knows nothing of RDF: :mod:`graph.build` writes
its verdicts. Depends on :mod:`graph.records`, :mod:`graph.dates` and
:mod:`graph.ontology`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from graph.dates import PartialDate
from graph.errors import ConflictError
from graph.ontology import Ontology
from graph.records import Claim, Dataset, Source

#: Claim fields that qualify a fact, with the ontology property naming each.
QUALIFIER_FIELDS: dict[str, str] = {
    "point_in_time": "pointInTime",
    "valid_from": "validFrom",
    "valid_until": "validUntil",
    "amount": "amount",
    "quantity": "quantity",
}

SAME, FINER, COARSER, CONFLICT, INCOMPARABLE = "same", "finer", "coarser", "conflict", "n/a"


def _unit(value: Decimal) -> Decimal:
    """The rounding unit a number's trailing zeros suggest: 2400000000 → 100000000."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(exponent)


def compare(a: Any, b: Any, *, rounded: bool = False) -> str:
    """How value ``a`` stands to value ``b``.

    Returns ``"same"``, ``"finer"`` (``a`` is compatible and more precise),
    ``"coarser"``, ``"conflict"``, or ``"n/a"`` when the values cannot be
    compared (different kinds).

    Examples
    --------
    >>> compare(PartialDate("2023-01-12"), PartialDate("2023"))
    'finer'
    >>> compare(PartialDate("2023-01-11"), PartialDate("2023-01-12"))
    'conflict'
    >>> compare(Decimal("2350000000"), Decimal("2400000000"), rounded=True)
    'finer'
    >>> compare(Decimal("2350000000"), Decimal("2400000000"))
    'conflict'
    >>> compare("State visit", "state  visit")
    'same'
    """
    if isinstance(a, PartialDate) and isinstance(b, PartialDate):
        if a == b:
            return SAME
        if not a.compatible(b):
            return CONFLICT
        return FINER if a.finer_than(b) else COARSER
    if isinstance(a, bool) or isinstance(b, bool):
        if type(a) is not type(b):
            return INCOMPARABLE
        return SAME if a == b else CONFLICT
    if isinstance(a, Decimal | int) and isinstance(b, Decimal | int):
        a, b = Decimal(a), Decimal(b)
        if a == b:
            return SAME
        if not rounded:
            return CONFLICT
        ua, ub = _unit(a), _unit(b)
        if ua == ub:
            return CONFLICT
        coarse, fine = (a, b) if ua > ub else (b, a)
        if abs(coarse - fine) * 2 > _unit(coarse):
            return CONFLICT
        return FINER if fine is a else COARSER
    if isinstance(a, str) and isinstance(b, str):
        return SAME if " ".join(a.split()).casefold() == " ".join(b.split()).casefold() \
            else CONFLICT
    return INCOMPARABLE


def _precision(value: Any) -> int:
    """Higher is more precise: days over years, more significant digits over fewer."""
    if isinstance(value, PartialDate):
        return len(value.text)
    if isinstance(value, Decimal) and value.is_finite() and value != 0:
        exponent = value.normalize().as_tuple().exponent
        assert isinstance(exponent, int)
        return -exponent
    return 0


def show_value(value: Any) -> str:
    """A value as a reader wants it in a message."""
    if isinstance(value, PartialDate):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), ",f")
    return str(value)


@dataclass(frozen=True)
class Link:
    """A verdict between two claims: ``kind`` is corroborates, refines or conflictsWith."""

    kind: str
    a: Claim
    b: Claim
    field: str  # "value" or a qualifier field name


@dataclass(frozen=True)
class Conflict:
    """Two claims of one fact that give incompatible values of ``field``.

    ``preferred`` holds the value the graph prefers, ``other`` the one it does not.
    ``acknowledged`` is True when a record has ranked one of them by hand.
    """

    subject: str
    predicate: str
    field: str
    preferred: Claim
    other: Claim
    acknowledged: bool

    def values(self) -> tuple[Any, Any]:
        """The two incompatible values, preferred first."""
        return _field_value(self.preferred, self.field), _field_value(self.other, self.field)

    def as_error(self) -> ConflictError:
        """The conflict as a ``file:line`` message with both values and both quotes.

        It points at the claim that is not preferred (usually the newer one
        that disagrees) and names where the preferred one stands.
        """
        keep, lose = self.values()
        where = self.preferred.where
        what = "value" if self.field == "value" else QUALIFIER_FIELDS[self.field]
        return ConflictError(
            f"conflicting {what} of {self.subject} {self.predicate}: {show_value(lose)!r} "
            f"({self.other.source}: \u201c{_short(self.other.quote)}\u201d) vs "
            f"{show_value(keep)!r} ({self.preferred.source}, {where.path}:{where.line}: "
            f"\u201c{_short(self.preferred.quote)}\u201d); the graph prefers "
            f"{show_value(keep)!r}",
            path=self.other.where.path, line=self.other.where.line, field=what,
            hint="both are kept; to settle it, give one claim 'rank:' and 'rank_reason:'"
            if not self.acknowledged else "ranked by hand in the records")


@dataclass
class Fact:
    """One fact and every claim that states (or disputes) it."""

    subject: str
    predicate: str
    claims: list[Claim]
    preferred: Claim | None
    independent_sources: int = 0
    refined: bool = False
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def value(self) -> Any:
        """The asserted value: the preferred claim's object."""
        return self.preferred.obj if self.preferred is not None else None

    @property
    def corroborated(self) -> bool:
        return self.independent_sources >= 2


@dataclass
class Reconciliation:
    """Verdicts over a whole dataset."""

    facts: list[Fact]
    ranks: dict[str, tuple[str, str]]  # claim key → (rank notation, reason)
    links: list[Link]

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for fact in self.facts for c in fact.conflicts]

    def asserted(self) -> Iterable[Claim]:
        """The preferred claim of each fact: the one whose value becomes the plain triple."""
        return (f.preferred for f in self.facts if f.preferred is not None)

    def summary(self) -> dict[str, Any]:
        """Counts for the build report."""
        n = len(self.facts)
        corroborated = sum(f.corroborated for f in self.facts)
        return {
            "facts": n,
            "corroborated": corroborated,
            "corroborated_pct": round(100 * corroborated / n, 1) if n else 0.0,
            "refined": sum(f.refined for f in self.facts),
            "conflicting": sum(bool(f.conflicts) for f in self.facts),
            "conflicts": len(self.conflicts),
        }


def _short(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _field_value(claim: Claim, name: str) -> Any:
    return claim.obj if name == "value" else getattr(claim, name)


class _Order:
    """The default rule's ordering of sources and claims (lower sorts first)."""

    def __init__(self, sources: dict[str, Source], ontology: Ontology) -> None:
        kinds, copies = ontology.concepts("SourceKind"), ontology.concepts("CopyKind")
        self.sources = sources
        self.precedence = {
            sid: kinds[s.record.kind].precedence + copies[s.record.copy_].precedence
            for sid, s in sources.items()}
        self.kind_label = {
            sid: kinds[s.record.kind].label_en
            + (f", {copies[s.record.copy_].label_en}" if s.record.copy_ != "original" else "")
            for sid, s in sources.items()}

    def published(self, claim: Claim) -> str:
        return self.sources[claim.source].record.published or ""

    def independence(self, claim: Claim) -> str:
        return self.sources[claim.source].record.independence_key

    def source_key(self, claim: Claim) -> tuple[Any, ...]:
        # Later publication first: negate by inverting the characters' order.
        published = self.published(claim)
        return (self.precedence[claim.source], _descending(published), claim.source, claim.key)

    def claim_key(self, claim: Claim) -> tuple[Any, ...]:
        qualifier_precision = sum(_precision(getattr(claim, f)) for f in QUALIFIER_FIELDS)
        return (claim.rank != "preferred", -_precision(claim.obj), -qualifier_precision,
                *self.source_key(claim))


def _descending(text: str) -> tuple[int, ...]:
    """A sort key that orders ISO dates latest first, and unknown (empty) last."""
    return (*(-ord(ch) for ch in text), 1)


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
        key = (claim.subject, name) if ontology.functional(name) else (
            claim.subject, name, repr(claim.obj))
        groups.setdefault(key, []).append(claim)

    rounded = {f: ontology.value_comparison(p) == "rounded" for f, p in QUALIFIER_FIELDS.items()}
    functional_qualifiers = [f for f, p in QUALIFIER_FIELDS.items() if ontology.functional(p)]
    facts: list[Fact] = []
    ranks: dict[str, tuple[str, str]] = {}
    links: list[Link] = []
    for key in sorted(groups):
        claims = sorted(groups[key], key=order.claim_key)
        fact = _reconcile_fact(claims, ontology, order, rounded, functional_qualifiers,
                               ranks, links)
        facts.append(fact)
    facts.sort(key=lambda f: (f.subject, f.predicate, show_value(f.value)))
    return Reconciliation(facts, ranks, links)


def _clusters(claims: list[Claim], rounded: bool) -> list[list[Claim]]:
    """Claims grouped by compatible values (most precise first within the input order)."""
    clusters: list[list[Claim]] = []
    for claim in sorted(claims, key=lambda c: -_precision(c.obj)):
        for cluster in clusters:
            if all(compare(claim.obj, other.obj, rounded=rounded) in (SAME, FINER, COARSER)
                   for other in cluster):
                cluster.append(claim)
                break
        else:
            clusters.append([claim])
    return clusters


def _reconcile_fact(claims: list[Claim], ontology: Ontology, order: _Order,
                    rounded_qualifiers: dict[str, bool], functional_qualifiers: list[str],
                    ranks: dict[str, tuple[str, str]], links: list[Link]) -> Fact:
    first = claims[0]
    name = first.predicate.name
    live = [c for c in claims if c.rank != "deprecated"]
    rounded_value = (first.predicate.kind == "datatype"
                     and ontology.value_comparison(name) == "rounded")
    clusters = _clusters(live, rounded_value)
    hand_preferred = [c for c in live if c.rank == "preferred"]

    def support(cluster: list[Claim]) -> tuple[Any, ...]:
        best = min(cluster, key=order.source_key)
        return (order.precedence[best.source], -len({order.independence(c) for c in cluster}),
                _descending(max(order.published(c) for c in cluster)), best.source)

    if hand_preferred:
        winner = next(cl for cl in clusters if hand_preferred[0] in cl)
    else:
        winner = min(clusters, key=support) if clusters else []
    preferred = min(winner, key=order.claim_key) if winner else None
    fact = Fact(first.subject, name, claims, preferred)
    if preferred is None:
        for claim in claims:
            ranks[claim.key] = ("deprecated", claim.rank_reason or "")
        return fact
    fact.independent_sources = len({order.independence(c) for c in winner})
    acknowledged = any(c.rank is not None for c in claims)

    # Links within the agreeing cluster: corroboration and refinement of the value.
    for i, a in enumerate(winner):
        for b in winner[i + 1:]:
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
            fact.conflicts.append(Conflict(fact.subject, name, "value", preferred, other,
                                           acknowledged))
    # Qualifiers the ontology declares single-valued, across the agreeing claims: each
    # claim is compared with the anchor, the claim giving the best value (the preferred
    # claim's, else the most precise), so one dissenting claim makes one conflict.
    for field_name in functional_qualifiers:
        if field_name == "point_in_time" and not ontology.instantaneous(name):
            continue  # a state observed at several times: no single point to agree on
        stated = [c for c in winner if getattr(c, field_name) is not None]
        rounded = rounded_qualifiers[field_name]

        def judge(anchor: Claim, other: Claim, field_name: str = field_name,
                  rounded: bool = rounded) -> None:
            verdict = compare(getattr(anchor, field_name), getattr(other, field_name),
                              rounded=rounded)
            if verdict in (FINER, COARSER):
                fine, coarse = (anchor, other) if verdict == FINER else (other, anchor)
                links.append(Link("refines", fine, coarse, field_name))
                fact.refined = True
            elif verdict == CONFLICT:
                links.append(Link("conflictsWith", anchor, other, field_name))
                fact.conflicts.append(Conflict(fact.subject, name, field_name, anchor, other,
                                               acknowledged))

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
                fitting = [a for a in anchors if compare(
                    getattr(a, field_name), getattr(other, field_name),
                    rounded=rounded) != CONFLICT]
                judge((fitting or anchors)[0], other)

    ranks.update(_ranks(claims, preferred, winner, clusters, order, fact.conflicts))
    return fact


def _comparable(claims: list[Claim], field_name: str
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
    return [([roles[r] for r in sorted(roles)], loose)
            for _, (roles, loose) in sorted(by_currency.items(), key=lambda kv: str(kv[0]))]


def _anchor(group: list[Claim], preferred: Claim, field_name: str, rounded: bool) -> Claim:
    """The claim giving the best value of a qualifier: the most precise value compatible
    with the preferred claim's own (or the most precise of all, if it gives none)."""
    by_precision = sorted(group, key=lambda c: -_precision(getattr(c, field_name)))
    if preferred not in group:
        return by_precision[0]
    own = getattr(preferred, field_name)
    return next(c for c in by_precision
                if compare(getattr(c, field_name), own, rounded=rounded) != CONFLICT)


def _ranks(claims: list[Claim], preferred: Claim, winner: list[Claim],
           clusters: list[list[Claim]], order: _Order,
           conflicts: list[Conflict]) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    if preferred.rank == "preferred":
        reason = f"set by the record: {preferred.rank_reason}"
    elif len(claims) == 1:
        reason = "the only claim of this fact"
    else:
        parts = []
        if len(clusters) > 1:
            parts.append(f"its value is stated by {order.kind_label[preferred.source]}, "
                         "preferred over the conflicting value by the default rule "
                         "(source kind, then independent sources, then latest publication)")
        if any(_precision(c.obj) < _precision(preferred.obj) for c in winner):
            parts.append(f"most precise value ({show_value(preferred.obj)}) among compatible "
                         "claims")
        if not parts:
            parts.append(f"best-placed source ({order.kind_label[preferred.source]}) among "
                         f"{len(winner)} agreeing claims")
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
                out[claim.key] = ("normal", f"agrees on the value, but disputed: its {what} "
                                            f"{show_value(ours)} conflicts with "
                                            f"{show_value(theirs)}")
            else:
                out[claim.key] = ("normal", "agrees with the preferred claim")
        else:
            out[claim.key] = ("normal", f"disputed: states {show_value(claim.obj)} where the "
                                        f"preferred claim states {show_value(preferred.obj)}")
    return out
