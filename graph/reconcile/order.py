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
        # What source_key takes from the source, and each claim's claim_key: made once
        # each (a claim is ordered when its fact's claims are sorted and again when the
        # preferred one is picked).
        self._by_source: dict[str, tuple[Any, ...]] = {}
        self._claim_keys: dict[int, tuple[Any, ...]] = {}
        self._claims: list[Claim] = []  # keeps each claim alive while its id is a key

    def published(self, claim: Claim) -> str:
        return self.sources[claim.source].record.published or ""

    def independence(self, claim: Claim) -> str:
        return self.sources[claim.source].record.independence_key

    def source_key(self, claim: Claim) -> tuple[Any, ...]:
        source = claim.source
        by_source = self._by_source.get(source)
        if by_source is None:
            # Later publication first: negate by inverting the characters' order.
            published = self.published(claim)
            by_source = self._by_source[source] = (
                self.precedence[source],
                _descending(published),
                source,
            )
        return (*by_source, claim.key)

    def claim_key(self, claim: Claim) -> tuple[Any, ...]:
        key = self._claim_keys.get(id(claim))
        if key is None:
            qualifier_precision = sum(_precision(getattr(claim, f)) for f in QUALIFIER_FIELDS)
            key = self._claim_keys[id(claim)] = (
                claim.rank != "preferred",
                -_precision(claim.obj),
                -qualifier_precision,
                *self.source_key(claim),
            )
            self._claims.append(claim)
        return key


def _descending(text: str) -> tuple[int, ...]:
    """A sort key that orders ISO dates latest first, and unknown (empty) last."""
    return (*(-ord(ch) for ch in text), 1)
