"""Claim drafts: for each sentence naming two or more entities, ranked proposals.

A proposal is (subject, predicate, object) where the predicate's domain and
range admit the two entities (:meth:`graph.ontology.Ontology.class_satisfies`);
it ranks higher when the predicate's cue words (``ag:cue`` in the ontology)
stand near or between the two mentions, when the predicate is specific
(``signedBy`` over ``concerns``), and when the mentions are close. Dates and
amounts near the pair become the claim's qualifiers, at their precision; a
person named with a title ("Secretary of Defense Lloyd Austin") gives the
``role`` of an ``org:headOf`` claim. The quote is the sentence exactly as it
stands in the text, with its offsets, so the loader's quote check passes by
construction. Pure: no I/O. Depends on :mod:`graph.ingest` siblings,
:mod:`graph.ontology`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from graph.ingest.cues import CueHit, CueIndex
from graph.ingest.forms import TITLES, Mention
from graph.ingest.text import normalise, sentences
from graph.ingest.values import FoundAmount, FoundDate, find_amounts, find_dates
from graph.namespaces import AG
from graph.ontology import Ontology

#: Classes whose instances have a date of their own (``ag:date``) worth drafting.
_DATED = ("Event", "Agreement")
_ENTITY, _AGENT = AG.Entity, AG.Agent
_DIGIT = re.compile(r"\d")
_HONORIFICS = frozenset(("Mr", "Mrs", "Ms", "Dr"))  # a form of address is not an office
_QUALIFIER_GAP = re.compile(r"(?:['’]s)? ")
_NEAR = 40  # characters: a cue or a date this close to a mention is "near" it
_TOP = 4  # alternatives kept with each draft


@dataclass
class Proposal:
    """One ranked reading of a sentence: subject, predicate, object or value."""

    subject: str
    predicate: str
    object: str | None = None
    value: str | None = None
    score: float = 0.0
    why: list[str] = field(default_factory=list)

    @property
    def fact(self) -> tuple[str, str, str]:
        return self.subject, self.predicate, str(self.object or self.value)


@dataclass
class Draft:
    """A drafted claim: the best proposal, its alternatives and its evidence."""

    proposals: list[Proposal]
    quote: str
    start: int
    end: int
    mentions: list[Mention]
    qualifiers: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def best(self) -> Proposal:
        return self.proposals[0]

    def to_yaml(self) -> dict[str, Any]:
        """The mapping written to ``claims.draft.yaml``."""
        best = self.best
        item: dict[str, Any] = {
            "status": "draft",
            "subject": best.subject,
            "predicate": best.predicate,
        }
        if best.object is not None:
            item["object"] = best.object
        else:
            item["value"] = best.value
        item.update(self.qualifiers)
        item["quote"] = self.quote
        item["offsets"] = [self.start, self.end]
        item["score"] = round(best.score, 3)
        item["why"] = best.why + self.notes
        item["mentions"] = [
            {
                "text": m.text,
                "entity": m.entity,
                "at": [m.start, m.end],
                **({"resolution": m.resolution} if m.resolution else {}),
            }
            for m in self.mentions
        ]
        item["alternatives"] = [
            {
                "subject": p.subject,
                "predicate": p.predicate,
                **({"object": p.object} if p.object is not None else {"value": p.value}),
                "score": round(p.score, 3),
                "why": p.why,
            }
            for p in self.proposals[1 : _TOP + 1]
        ]
        return item


class Drafter:
    """Drafts claims from linked mentions, ranked with the ontology's cue words.

    Parameters
    ----------
    ontology : Ontology
        Domains, ranges and cue words.
    types : dict
        Entity id → class name, for every entity a mention may name.
    cues : CueIndex, optional
        Shared with the linker to avoid compiling the cue pattern twice.
    """

    def __init__(
        self, ontology: Ontology, types: dict[str, str], cues: CueIndex | None = None
    ) -> None:
        self.ontology = ontology
        self.types = types
        self.cues = cues or CueIndex(ontology)
        self.object_predicates = [
            p for p in ontology.claim_predicates.values() if p.kind == "object"
        ]
        self._fits: dict[tuple[str, str], list[str]] = {}
        self._passive = {p.name for p in self.object_predicates if p.label_en.endswith(" by")}
        # Narrow domains and ranges make a more telling proposal than ag:Entity.
        self._specific = {
            p.name: 0.1 * (p.domain != _ENTITY) + 0.1 * (p.range not in (_ENTITY, _AGENT))
            for p in self.object_predicates
        }

    def predicates_between(self, subject_type: str, object_type: str) -> list[str]:
        """Object predicates whose domain admits ``subject_type`` and range ``object_type``."""
        key = (subject_type, object_type)
        if key not in self._fits:
            onto = self.ontology
            self._fits[key] = [
                p.name
                for p in self.object_predicates
                if onto.class_satisfies(subject_type, p.domain)
                and onto.class_satisfies(object_type, p.range)
            ]
        return self._fits[key]

    def draft(
        self,
        text: str,
        mentions: list[Mention],
        *,
        published: str | None = None,
        nested: list[Mention] | None = None,
    ) -> list[Draft]:
        """Drafts for every sentence of ``text`` with two or more linked entities.

        ``nested`` names inside mentions ("U.S." in "U.S. Division of Protection")
        and plural references ("the two nations") pair with the other entities of
        their sentence like mentions.
        """
        drafts: list[Draft] = []
        linked = sorted(
            [m for m in mentions if m.entity is not None] + list(nested or []),
            key=lambda m: m.start,
        )
        starts = [m.start for m in linked]
        for s_start, s_end in sentences(text):
            # The sentence's mentions by bisection: a scan of all of them per sentence
            # made a long document's cost grow with its length squared.
            window = linked[bisect_left(starts, s_start) : bisect_right(starts, s_end)]
            inside = [m for m in window if m.end <= s_end]
            if len({m.entity for m in inside}) < 2:
                continue
            sentence = text[s_start:s_end]
            norm = normalise(sentence)
            hits = [
                (h, (s_start + a, s_start + b))
                for h in self.cues.find(norm.text)
                if h.predicates
                for a, b in [norm.span(h.start, h.end)]
            ]
            dates: list[FoundDate] = []
            amounts: list[FoundAmount] = []
            if _DIGIT.search(sentence):  # every date and amount has a digit
                dates = [
                    FoundDate(d.date, d.start + s_start, d.end + s_start, d.note)
                    for d in find_dates(sentence, published=published)
                ]
                amounts = [
                    FoundAmount(a.amount, a.currency, a.start + s_start, a.end + s_start)
                    for a in find_amounts(sentence)
                ]
            drafts += self._sentence(text, (s_start, s_end), inside, hits, dates, amounts)
        return drafts

    def _sentence(
        self,
        text: str,
        span: tuple[int, int],
        inside: list[Mention],
        hits: list[tuple[CueHit, tuple[int, int]]],
        dates: list[FoundDate],
        amounts: list[FoundAmount],
    ) -> list[Draft]:
        by_entity: dict[str, list[Mention]] = {}
        for mention in inside:
            by_entity.setdefault(mention.entity or "", []).append(mention)
        quote = text[span[0] : span[1]]
        drafts: list[Draft] = []
        for a, b in combinations(by_entity, 2):
            if _one_reference(by_entity[a], by_entity[b]):
                continue  # "the two nations" names both: it states nothing between them
            scored = [
                p
                for s, o in ((a, b), (b, a))
                for p in self._proposals(
                    s, o, by_entity, hits, _reads_first(by_entity[s], by_entity[o]), text
                )
            ]
            if not scored:
                continue
            scored.sort(key=lambda p: (-p[0], p[1], p[2]))
            proposals = [
                Proposal(
                    subject,
                    name,
                    obj,
                    score=score,
                    why=[
                        why
                        or (f"{self.types[subject]} → {self.types[obj]} fits {name}; no cue word")
                    ],
                )
                for score, name, subject, obj, why in scored[: _TOP + 1]
            ]
            region = _region(by_entity[a] + by_entity[b])
            draft = Draft(proposals, quote, span[0], span[1], inside)
            self._qualify(draft, region, dates, amounts, by_entity)
            # How an ambiguous or learned name of the pair was read, in the draft itself.
            draft.notes += list(
                dict.fromkeys(
                    m.resolution
                    for m in by_entity[a] + by_entity[b]
                    if m.resolution and m.how != "nested"
                )
            )
            drafts.append(draft)
        for entity, mentions in by_entity.items():
            if self.types[entity] not in _DATED or not dates:
                continue
            # Each date of the sentence is a reading; the nearest ranks first.
            region = _region(mentions)
            ranked = sorted(dates, key=lambda d: _distance((d.start, d.end), region))
            proposals = []
            for date in ranked:
                distance = _distance((date.start, date.end), region)
                why = (
                    f"a date {'near' if distance <= _NEAR else 'in the sentence of'} the "
                    f"{self.types[entity]}: '{text[date.start : date.end]}' → "
                    f"{date.date.text} ({date.date.precision})"
                    + (f"; {date.note}" if date.note else "")
                )
                proposals.append(
                    Proposal(
                        entity,
                        "date",
                        value=date.date.text,
                        score=0.3 + 0.4 * (1 - min(distance, 200) / 200),
                        why=[why],
                    )
                )
            drafts.append(Draft(proposals[: _TOP + 1], quote, span[0], span[1], inside))
        return drafts

    def _proposals(
        self,
        subject: str,
        obj: str,
        by_entity: dict[str, list[Mention]],
        hits: list[tuple[CueHit, tuple[int, int]]],
        natural: bool,
        text: str,
    ) -> list[tuple[float, str, str, str, str]]:
        """Scored readings (score, predicate, subject, object, why) of one ordered pair.

        ``natural``: the subject stands first, or its name holds the other's. It only
        breaks ties, and is reversed for predicates whose English label is passive
        ("announced by"): in "JMOD announced the headquarters" the agent, the
        object of ``announcedBy``, stands first.
        """
        pair = by_entity[subject] + by_entity[obj]
        gap = min(
            max(m.start, n.start) - min(m.end, n.end)
            for m in by_entity[subject]
            for n in by_entity[obj]
        )
        lo, hi = min(m.end for m in pair), max(m.start for m in pair)
        first, last = min(m.start for m in pair), max(m.end for m in pair)
        # Each predicate's best cue: between the two mentions, near them, or elsewhere.
        weights: dict[str, tuple[float, CueHit, str]] = {}
        for hit, (h_start, h_end) in hits:
            if lo <= h_start and h_end <= hi:
                weight, where = 1.0, " between the mentions"
            elif first - _NEAR <= h_end and h_start <= last + _NEAR:
                weight, where = 0.7, " near"
            else:
                weight, where = 0.3, ""
            for name in hit.predicates:
                if name not in weights or weight > weights[name][0]:
                    weights[name] = (weight, hit, where)
        closeness = 0.1 + 0.3 * (1 - min(max(gap, 0), 200) / 200)
        inside = next(
            (
                f"'{n.text}' is written {n.resolution}"
                for n in by_entity[obj]
                if n.how == "nested"
                and any(m.start <= n.start and n.end <= m.end for m in by_entity[subject])
            ),
            None,
        )
        # "Japan MOD", "Japan's ministry": a name right before another qualifies it,
        # as if written inside it.
        inside = inside or next(
            (
                f"'{n.text}' qualifies '{m.text}' right after it"
                for n in by_entity[obj]
                for m in by_entity[subject]
                if n.how != "reference"
                and n.end <= m.start
                and _QUALIFIER_GAP.fullmatch(text[n.end : m.start])
            ),
            None,
        )
        out = []
        for name in self.predicates_between(self.types[subject], self.types[obj]):
            score = closeness + self._specific[name]
            if natural != (name in self._passive):
                score += 0.001
            cue = weights.get(name)
            if inside is not None and name in self.ontology.nesting_predicates:
                score += 1.0
                why = f"{inside} (ag:nestingCue)"
            elif cue is not None:
                score += cue[0]
                why = f"cue '{cue[1].text}' for {name}{cue[2]}"
            else:
                why = ""
            out.append((score, name, subject, obj, why))
        return out

    def _qualify(
        self,
        draft: Draft,
        region: tuple[int, int],
        dates: list[FoundDate],
        amounts: list[FoundAmount],
        by_entity: dict[str, list[Mention]],
    ) -> None:
        best = draft.best
        date = _nearest(dates, region)
        if date is not None:
            draft.qualifiers["date"] = date.date.text
            draft.notes.append(
                f"date {date.date.text} ({date.date.precision}) from "
                f"'{draft.quote[date.start - draft.start : date.end - draft.start]}'"
                + (f"; {date.note}" if date.note else "")
            )
        amount = next((a for a in amounts if _distance((a.start, a.end), region) <= 80), None)
        if amount is not None:
            draft.qualifiers["amount"] = str(amount.amount)
            draft.qualifiers["currency"] = amount.currency
            written = draft.quote[amount.start - draft.start : amount.end - draft.start]
            draft.notes.append(f"amount {amount.amount} {amount.currency} from '{written}'")
        if best.predicate == "org:headOf":
            for mention in by_entity[best.subject]:
                title = next(
                    (
                        t
                        for t in sorted(TITLES, key=len, reverse=True)
                        if mention.text.startswith(t + " ")
                    ),
                    None,
                )
                if title and title.rstrip(".") not in _HONORIFICS:
                    draft.qualifiers["role"] = title.rstrip(".")
                    draft.notes.append(f"role '{title}' from '{mention.text}'")
                    break


def _one_reference(first: list[Mention], second: list[Mention]) -> bool:
    """True if both entities are met only as the one plural reference ("the two nations")."""
    spans = {(m.start, m.end) for m in first + second}
    return len(spans) == 1 and all(m.how == "reference" for m in first + second)


def _reads_first(subject: list[Mention], obj: list[Mention]) -> bool:
    """True if the subject comes first in the text, or its name holds the object's.

    "Japan Ministry of Defense" (the ministry is part of Japan): the container is
    the subject; otherwise English states the subject first.
    """
    if any(n.how == "nested" for n in obj) and not any(m.how == "nested" for m in subject):
        return True
    if any(m.how == "nested" for m in subject):
        return False
    return min(m.start for m in subject) < min(n.start for n in obj)


def _region(mentions: list[Mention]) -> tuple[int, int]:
    return min(m.start for m in mentions), max(m.end for m in mentions)


def _distance(span: tuple[int, int], region: tuple[int, int]) -> int:
    if span[1] <= region[0]:
        return region[0] - span[1]
    if span[0] >= region[1]:
        return span[0] - region[1]
    return 0


def _nearest(dates: list[FoundDate], region: tuple[int, int]) -> FoundDate | None:
    near = [d for d in dates if _distance((d.start, d.end), region) <= _NEAR]
    return min(near, key=lambda d: _distance((d.start, d.end), region)) if near else None
