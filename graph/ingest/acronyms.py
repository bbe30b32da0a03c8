"""Acronyms a document defines ("Glide Phase Interceptor (GPI)"), learned per document.

The :class:`Linker` steps that find them, let them override the registry, and
flag acronyms used without being defined; :mod:`graph.ingest.linker` mixes them in.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.ingest.cues import CueIndex
from graph.ingest.forms import Mention, Registry, _capitals
from graph.ingest.text import fold, sentences
from graph.ontology import Ontology

_DETERMINERS = frozenset(
    str.split("The This That These Those A An Its Our Their Each Every Both Any No Per Under")
)
_PLURAL_REFERENCE = re.compile(
    r"\b(?:(?:[Tt]he|[Oo]ur|[Bb]oth)\s+(?:two|2)|[Bb]oth)\s+([A-Za-z]+)\b"
)
_BARE = re.compile(r"[A-Z0-9&\-]+")  # capitals alone, no dots: "MOU", not "U.S."
_INSERTED_ACRONYM = re.compile(r"[ \t]*\([A-Z][A-Za-z0-9&\-]{0,10}[A-Z0-9&]\)(?=[ \t]+[a-z])")
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&\-]{0,10}[A-Z0-9&])s?\s*\)")


@dataclass(frozen=True)
class Acronym:
    """An acronym the document defines: ``long_form (ACRONYM)``."""

    acronym: str
    long_form: str
    entity: str | None
    start: int  # of the long form
    end: int  # past the closing parenthesis


class AcronymSteps:
    """The acronym steps of :class:`graph.ingest.linker.Linker`."""

    registry: Registry
    ontology: Ontology
    cues: CueIndex

    if TYPE_CHECKING:  # given by ContextSteps; declared here for the checker only, as a
        # runtime definition would shadow it in Linker's method order
        def _class_cue_near(
            self,
            text: str,
            mention: Mention,
            candidate: str,
            bounds: tuple[tuple[int, int], ...],
            starts: list[int],
        ) -> bool: ...

    def _acronyms(self, text: str, mentions: list[Mention]) -> list[Acronym]:
        found: list[Acronym] = []
        # Looked up per definition below, prepared once: scanning every mention for
        # every definition made a long document's cost grow with its length squared.
        # A mention next to or around "(" starts at most one mention's length before it.
        linked = [(m.start, i) for i, m in enumerate(mentions) if m.entity is not None]
        linked.sort()
        linked_starts = [start for start, _ in linked]
        reach = max((m.end - m.start for m in mentions), default=0)
        # Names ending in an acronym ("the RDT&E MOU"), in the order of the text.
        ending_in: dict[str, list[Mention]] = {}
        for m in mentions:
            if m.entity and " " in m.text:
                ending_in.setdefault(m.text.rsplit(None, 1)[-1], []).append(m)
        for match in _ACRONYM.finditer(text):
            acronym = match.group(1)
            if sum(c.isupper() for c in acronym) < 2:
                continue
            open_at = match.start()
            entity, long_start = None, None
            by_letters = _long_form_start(text, open_at, acronym)
            known = self.registry.forms.get(fold(text[by_letters:open_at]), [])
            if by_letters < open_at and len({f.entity for f in known}) == 1:
                entity, long_start = known[0].entity, by_letters
            # Where the blank run before "(" starts: a mention ending inside it stands
            # right before the definition (found once, not by slicing per mention,
            # which made a long document's cost grow with its length squared).
            blank = open_at
            while blank > 0 and text[blank - 1].isspace():
                blank -= 1
            window = linked[
                bisect_left(linked_starts, blank - reach) : bisect_right(linked_starts, open_at)
            ]
            for mention in (
                [mentions[i] for i in sorted(i for _, i in window)] if entity is None else ()
            ):
                before = blank <= mention.end <= open_at
                around = mention.start < open_at and mention.end >= match.end()
                if before or around:
                    entity, long_start = mention.entity, mention.start
            if long_start is None:
                long_start = by_letters
            if entity is None:
                # "… Memorandum of Understanding (MOU)" and, elsewhere, "the RDT&E MOU":
                # the name ending in the acronym says which entity it abbreviates.
                tails = {m.entity: m.text.rsplit(None, 1)[0] for m in ending_in.get(acronym, ())}
                if len(tails) > 1:
                    # Several such names ("the RDT&E MOU", "the PCR MOU"): the one
                    # whose other words stand right before the definition
                    # ("(RDT&E) Memorandum of Understanding (MOU)").
                    lead = " " + fold(text[max(0, long_start - 60) : long_start]).rstrip(" ()")
                    tails = {
                        e: q
                        for e, q in tails.items()
                        if re.search(r"\W" + re.escape(fold(q).strip(" ()")) + "$", lead)
                    }
                if len(tails) == 1:
                    entity = next(iter(tails))
            long_form = text[long_start:open_at].strip()
            if long_form:
                found.append(Acronym(acronym, long_form, entity, long_start, match.end()))
        return found

    def _apply_acronyms(
        self, text: str, mentions: list[Mention], acronyms: list[Acronym]
    ) -> list[Mention]:
        learned = {a.acronym: a for a in acronyms if a.entity}
        if not learned:
            return mentions
        pattern = re.compile(
            r"(?<![\w-])("
            + "|".join(map(re.escape, sorted(learned, key=len, reverse=True)))
            + r")(?:s)?(?![\w-])"
        )
        by_span = {(m.start, m.end): m for m in mentions}
        out = list(mentions)
        # Spans in order, to find overlaps by bisection (one mention's reach back)
        # and mentions' places by span: scans per match made a long document's
        # cost grow with its length squared.
        spans = sorted((m.start, m.end) for m in out)
        starts = [a for a, _ in spans]
        reach = max((b - a for a, b in spans), default=0)
        places: dict[tuple[int, int], list[int]] = {}
        for i, m in enumerate(out):
            places.setdefault((m.start, m.end), []).append(i)
        for match in pattern.finditer(text):
            acronym = learned[match.group(1)]
            start, end = match.start(1), match.end()
            note = (
                f"acronym defined in the text: '{acronym.long_form} ({acronym.acronym})' "
                f"→ {acronym.entity}"
            )
            before = re.search(r"(\S+)[ \t]+$", text[max(0, start - 40) : start])
            if before and (
                before.group(1).endswith(")")
                or (before.group(1)[:1].isupper() and before.group(1) not in _DETERMINERS)
            ):
                continue  # "Project for Cooperative Research (PCR) MOU": another name's tail
            entity = acronym.entity
            assert entity is not None  # only acronyms with an entity are learned
            existing = by_span.get((start, end))
            if existing is not None:
                if existing.entity != entity:
                    place = next(i for i in places[(start, end)] if out[i] == existing)
                    out[place] = Mention(
                        start,
                        end,
                        existing.text,
                        entity,
                        tuple(dict.fromkeys((*existing.candidates, entity))),
                        "acronym",
                        note,
                    )
                continue
            near = spans[bisect_right(starts, start - reach) : bisect_left(starts, end)]
            if any(start < b for _, b in near):
                continue
            out.append(Mention(start, end, text[start:end], entity, (entity,), "acronym", note))
            at = bisect_left(spans, (start, end))
            spans.insert(at, (start, end))
            starts.insert(at, start)
            reach = max(reach, end - start)
        return sorted(out, key=lambda m: m.start)

    def _unexplained_acronyms(
        self, text: str, mentions: list[Mention], acronyms: list[Acronym]
    ) -> list[Mention]:
        """Drop registry acronyms the document means otherwise, or never explains.

        Three capitals name thousands of things. A registry acronym links only if
        the document does not define it as something else ("Memorandum of
        Understanding (MOU)" is not a registry entity called MOU) and the entity
        is explained: named otherwise in the document, or its class's cue words
        stand in the sentence.
        """
        defined_as = {a.acronym: a.entity for a in acronyms}
        named_otherwise = {
            m.entity for m in mentions if m.entity and (m.how == "acronym" or not _capitals(m.text))
        }
        bounds = sentences(text)
        starts = [a for a, _ in bounds]
        kept: list[Mention] = []
        for mention in mentions:
            surface = mention.text[:-1] if mention.text.endswith("s") else mention.text
            if (
                mention.how == "acronym"
                or not _capitals(mention.text)
                or len(surface) > 5
                or not _BARE.fullmatch(surface)
            ):
                kept.append(mention)
                continue
            if surface in defined_as:
                meant = defined_as[surface]
                if meant in mention.candidates:
                    kept.append(
                        Mention(
                            mention.start,
                            mention.end,
                            mention.text,
                            meant,
                            mention.candidates,
                            mention.how,
                            mention.resolution,
                        )
                    )
                continue
            if any(
                c in named_otherwise or self._class_cue_near(text, mention, c, bounds, starts)
                for c in mention.candidates
            ):
                kept.append(mention)  # several candidates: context decides, with a note
        return kept


def _long_form_start(text: str, open_at: int, acronym: str) -> int:
    """Start of the words before ``(ACRONYM)`` that it abbreviates.

    The acronym's letters are matched to the initials of the words before it,
    backwards ("Memorandum of Understanding (MOU)"); a reworded long form whose
    initials differ ("Japan Self-Protection Forces (JSDF)") falls back to as many
    capitalised words as the acronym has capitals.
    """
    offset = max(0, open_at - 200)
    words = list(re.finditer(r"[\w&’'.]+(?:-[\w&’'.]+)*", text[offset:open_at]))
    letters = [c.lower() for c in acronym if c.isalpha()]
    start = cursor = open_at
    for word in reversed(words):
        if not letters:
            break
        if text[offset + word.end() : cursor].strip(" ,"):
            break  # only spaces (and commas of a list) between the words of a name
        cursor = offset + word.start()
        initials = [part[:1].lower() for part in word.group().split("-") if part]
        if initials and initials == letters[-len(initials) :]:
            del letters[-len(initials) :]
            start = cursor
        elif initials[-1:] == letters[-1:]:
            letters.pop()
            start = cursor
        elif word.group().lower() not in {"of", "for", "and", "the", "on", "de", "&"}:
            break
    if not letters:
        return start
    return _capitalised_start(text, open_at, acronym)


def _capitalised_start(text: str, open_at: int, acronym: str) -> int:
    offset = max(0, open_at - 200)
    words = list(re.finditer(r"[\w&’'\-.]+", text[offset:open_at]))
    wanted = max(sum(c.isupper() for c in acronym), 1)
    start = cursor = open_at
    count = 0
    for word in reversed(words):
        token = word.group()
        if text[offset + word.end() : cursor].strip(" ,"):
            break
        cursor = offset + word.start()
        if token[:1].isupper():
            count += 1 + sum(1 for part in token.split("-")[1:] if part[:1].isupper())
            start = cursor
            if count >= wanted:
                break
        elif not (token.lower() in {"of", "for", "and", "the", "on", "de", "&"} and count):
            break
    return start
