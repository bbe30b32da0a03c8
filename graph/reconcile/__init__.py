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
One job per module: :mod:`~graph.reconcile.values` compares two values,
:mod:`~graph.reconcile.order` orders sources and claims by the default rule,
:mod:`~graph.reconcile.rules` groups claims into facts and decides, and
:mod:`~graph.reconcile.verdicts` holds what is decided.
The package does no I/O and knows nothing of RDF: :mod:`graph.build` writes
its verdicts. Depends on :mod:`graph.records`, :mod:`graph.dates` and
:mod:`graph.ontology`.
"""

from __future__ import annotations

from graph.reconcile.rules import reconcile
from graph.reconcile.values import (
    COARSER,
    CONFLICT,
    FINER,
    INCOMPARABLE,
    QUALIFIER_FIELDS,
    SAME,
    compare,
    show_value,
)
from graph.reconcile.verdicts import Conflict, Fact, Link, Reconciliation

__all__ = [
    "COARSER",
    "CONFLICT",
    "FINER",
    "INCOMPARABLE",
    "QUALIFIER_FIELDS",
    "SAME",
    "Conflict",
    "Fact",
    "Link",
    "Reconciliation",
    "compare",
    "reconcile",
    "show_value",
]
