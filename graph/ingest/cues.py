"""Cue words of the ontology (``ag:cue``), found in text in one pass.

The ontology says which words suggest a predicate ("signed" → ``signedBy``) or
an instance of a class ("interceptor" → ``WeaponSystem``); this module only
finds them. A cue matches at the start of a word, case- and accent-folded, and
may carry an inflection ("sign" finds "signed", "signing", "signs"; not
"significant"). Japanese cues match as substrings. The cues are one
Aho–Corasick automaton (pyahocorasick, as for entity names): a single pass over
the sentence, however many cues the ontology holds. Depends on
:mod:`graph.ontology` and :mod:`graph.ingest.text`.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from graph.ingest.text import fold, is_cjk, is_word_char
from graph.ontology import Ontology

#: Endings a cue may carry and still be the same word ("sign" → "signing").
INFLECTIONS = ("", "s", "es", "d", "ed", "ing", "ings", "ment", "ments", "er", "ers")


@dataclass(frozen=True)
class CueHit:
    """A cue found in folded text, and what it suggests."""

    cue: str
    text: str
    start: int
    end: int
    predicates: frozenset[str]
    classes: frozenset[str]


class CueIndex:
    """Every ``ag:cue`` of the ontology's claim predicates and entity classes.

    >>> from graph.ontology import load_ontology
    >>> index = CueIndex(load_ontology())
    >>> hit = index.find(fold("They signed it"))[0]
    >>> hit.text, "signedBy" in hit.predicates
    ('signed', True)
    >>> index.find(fold("a significant step"))
    []
    """

    def __init__(self, ontology: Ontology) -> None:
        predicates: dict[str, set[str]] = {}
        classes: dict[str, set[str]] = {}
        for name in ontology.claim_predicates:
            for cue in ontology.cues(name):
                predicates.setdefault(fold(cue), set()).add(name)
        for name in ontology.entity_classes():
            for cue in ontology.cues(name):
                classes.setdefault(fold(cue), set()).add(name)
        self.predicates = {k: frozenset(v) for k, v in predicates.items()}
        self.classes = {k: frozenset(v) for k, v in classes.items()}
        self._automaton = ahocorasick.Automaton()
        for cue in set(self.predicates) | set(self.classes):
            self._automaton.add_word(cue, (cue, any(is_cjk(ch) for ch in cue)))
            if cue.endswith("y") and len(cue) > 2 and cue[-2] not in "aeiou":
                # "country" → "countries": the plural changes the stem
                self._automaton.add_word(cue[:-1] + "ies", (cue, False))
        if len(self._automaton):
            self._automaton.make_automaton()

    def find(self, folded: str) -> list[CueHit]:
        """The cues in ``folded`` (text already passed through :func:`fold`).

        Where cues overlap, the longest wins ("prime minister" over "minister").
        """
        if not len(self._automaton):
            return []
        found: list[tuple[int, int, str]] = []
        for last, (cue, cjk) in self._automaton.iter(folded):
            start = last - len(cue) + 1
            if cue.endswith("y") and folded[last] == "s":  # matched as "…ies"
                start -= 2
            end = last + 1
            if not cjk:
                if start > 0 and is_word_char(folded[start - 1]):
                    continue
                end = _word_end(folded, end)
                if end is None:
                    continue
            found.append((start, end, cue))
        found.sort(key=lambda h: (h[0], -(len(h[2]))))
        hits: list[CueHit] = []
        last_end = -1
        for start, end, cue in found:
            if start < last_end:
                continue
            hits.append(
                CueHit(
                    cue,
                    folded[start:end],
                    start,
                    end,
                    self.predicates.get(cue, frozenset()),
                    self.classes.get(cue, frozenset()),
                )
            )
            last_end = end
        return hits


def _word_end(text: str, end: int) -> int | None:
    """Where the word that a cue begins ends, if the rest is an inflection; else None."""
    stop = end
    while stop < len(text) and is_word_char(text[stop]):
        stop += 1
    return stop if text[end:stop] in INFLECTIONS else None
