"""Candidates for new entities: names in the text that link to nothing.

A name is a run of capitalised words (with "of", "for", "and", "the" inside)
or an acronym. Runs overlapping a linked mention are cut around it; a single
capitalised word opening a sentence ("Throughout", "Taken") is not a name
unless it is an acronym. Candidates are grouped by their normalised form (an
acronym the text defines joins its long form), counted, and kept with their
sentences; rapidfuzz suggests a known entity whose form is close (a
misspelling, a reworded name). Pure: no I/O.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from graph.ingest.acronyms import Acronym
from graph.ingest.forms import Mention, Registry
from graph.ingest.text import fold, sentences

_TOKEN = r"(?:[A-Z][\w&’'.]*(?:-[\w&]+)*[\w&.]|[A-Z])"
_JOIN = r"(?:[ \t]+(?:of|for|and|the|de|du|&)(?=[ \t]+[A-Z]))*[ \t]+"
_NAME = re.compile(rf"(?<![\w-]){_TOKEN}(?:{_JOIN}{_TOKEN})*")
_LEADING = re.compile(r"^(?:(?:The|A|An|This|These|That|Those|Its|Their|Our|His|Her)\s+)+")
_NOT_NAMES = frozenset(
    [m.lower() for m in calendar.month_name if m]
    + [m.lower() for m in calendar.month_abbr if m]
    + [d.lower() for d in calendar.day_name]
    + str.split(
        "i the a an in on at of for and but or if as by to it we he she they this "
        "that these those its their our his her mr mrs ms dr"
    )
)
_SUGGEST_AT = 85


@dataclass
class Candidate:
    """A name that links to no known entity, with where it stands."""

    text: str
    count: int = 0
    acronym: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    near: list[tuple[str, float]] = field(default_factory=list)

    def to_yaml(self, text: str) -> dict[str, object]:
        """The mapping written to the ``candidates:`` section of ``claims.draft.yaml``."""
        item: dict[str, object] = {"name": self.text, "count": self.count}
        if self.acronym:
            item["acronym"] = self.acronym
        if self.near:
            item["close_to"] = [f"{entity} ({score:.0f})" for entity, score in self.near]
        item["sentences"] = [{"at": [a, b], "text": text[a:b]} for a, b in self.sentences[:3]]
        return item


def find_candidates(
    text: str, mentions: list[Mention], acronyms: list[Acronym], registry: Registry | None = None
) -> list[Candidate]:
    """Unlinked names of ``text``, most frequent first.

    >>> [c.text for c in find_candidates("The Quad met. Quad leaders and NATO spoke.", [], [])]
    ['Quad', 'NATO']
    """
    bounds = sentences(text)
    starts = [a for a, _ in bounds]
    taken = sorted((m.start, m.end) for m in mentions)
    defined = {a.acronym: a.long_form for a in acronyms if a.entity is None}
    groups: dict[str, Candidate] = {}
    lowered = " " + " ".join(w for w in re.findall(r"\w+", text) if w.islower()) + " "
    inside_long = [a for a in acronyms if a.entity is None and " " in a.long_form]
    for match in _NAME.finditer(text):
        for start, end in _outside(match.start(), match.end(), taken):
            while start < end and not text[start].isalnum():
                start += 1
            piece = text[start:end]
            lead = _LEADING.match(piece)
            if lead:
                start += lead.end()
            piece = re.sub(r"(?:['’]s)?[.'’ ]*$", "", text[start:end])
            piece = re.sub(r"(?:\s+(?:of|for|and|the|de|du|&))+$", "", piece)
            end = start + len(piece)
            i = max(bisect.bisect_right(starts, start) - 1, 0)
            s_start, s_end = bounds[i] if bounds else (0, len(text))
            first = piece.split(" ", 1)
            if len(first) == 2 and (
                first[0].lower() in _NOT_NAMES
                or (start == s_start and f" {first[0].lower()} " in lowered)
            ):
                # "On Jan", "Through the Alliance": a common word opens the sentence
                start += len(first[0]) + 1
                piece = first[1]
            if not piece or not piece[:1].isupper() or fold(piece) in _NOT_NAMES:
                continue
            if any(a.start <= start and end <= a.end - len(a.acronym) - 2 for a in inside_long):
                continue  # a word of a defined acronym's long form, counted with it
            is_acronym = sum(c.isupper() for c in piece) >= 2 and " " not in piece
            if (
                " " not in piece
                and not is_acronym
                and (start == s_start or f" {piece.lower()} " in lowered)
            ):
                continue
            key = fold(defined.get(piece, piece))
            cand = groups.setdefault(key, Candidate(defined.get(piece, piece)))
            if piece in defined:
                cand.acronym = piece
            cand.count += 1
            cand.spans.append((start, end))
            if (s_start, s_end) not in cand.sentences:
                cand.sentences.append((s_start, s_end))
    for acronym, long_form in defined.items():
        defined_name = groups.get(fold(long_form))
        if defined_name is not None:
            defined_name.acronym = acronym
    found = sorted(groups.values(), key=lambda c: (-c.count, c.spans[0][0]))
    if registry is not None and registry.forms:
        _suggest(found, registry)
    return found


def _outside(start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of ``[start, end)`` not covered by the sorted spans ``taken``."""
    parts = []
    i = bisect.bisect_left(taken, (start, -1))
    i = max(i - 1, 0)
    cursor = start
    for a, b in taken[i:]:
        if a >= end:
            break
        if b <= cursor:
            continue
        if a > cursor:
            parts.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        parts.append((cursor, end))
    return parts


def _suggest(found: list[Candidate], registry: Registry) -> None:
    """Attach the known entities whose forms are close to each candidate's name.

    Only forms sharing a word with the name are compared: a near name shares one.
    """
    for cand in found:
        name = fold(cand.text)
        if len(name) < 4:
            continue
        keys = registry.forms_sharing_a_word(name)
        for key, score, _ in process.extract(
            name, keys, scorer=fuzz.ratio, score_cutoff=_SUGGEST_AT, limit=3
        ):
            for form in registry.forms[key]:
                if all(form.entity != e for e, _ in cand.near):
                    cand.near.append((form.entity, score))
