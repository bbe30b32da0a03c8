"""The default rule's order of sources and claims: which claim a fact prefers."""

from __future__ import annotations

from typing import Any

from graph.ontology import Ontology
from graph.reconcile.values import QUALIFIER_FIELDS, _precision
from graph.records import Claim, Source


class _Order:
    """The default rule's ordering of sources and claims (lower sorts first)."""

    def __init__(self, sources: dict[str, Source], ontology: Ontology) -> None:
        kinds, copies = ontology.concepts("SourceKind"), ontology.concepts("CopyKind")
        self.sources = sources
        self.precedence = {
            sid: kinds[s.record.kind].precedence + copies[s.record.copy_].precedence
            for sid, s in sources.items()
        }
        self.kind_label = {
            sid: kinds[s.record.kind].label_en
            + (f", {copies[s.record.copy_].label_en}" if s.record.copy_ != "original" else "")
            for sid, s in sources.items()
        }

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
        return (
            claim.rank != "preferred",
            -_precision(claim.obj),
            -qualifier_precision,
            *self.source_key(claim),
        )


def _descending(text: str) -> tuple[int, ...]:
    """A sort key that orders ISO dates latest first, and unknown (empty) last."""
    return (*(-ord(ch) for ch in text), 1)
