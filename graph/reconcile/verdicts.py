"""What reconciliation decides: links between claims, conflicts, facts, and the whole."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.errors import ConflictError
from graph.reconcile.values import QUALIFIER_FIELDS, _field_value, _short, show_value
from graph.records import Claim


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
            path=self.other.where.path,
            line=self.other.where.line,
            field=what,
            hint="both are kept; to settle it, give one claim 'rank:' and 'rank_reason:'"
            if not self.acknowledged
            else "ranked by hand in the records",
        )


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
