"""Cue words of the ontology (``ag:cue``), found in text in one pass.

The ontology says which words suggest a predicate ("signed" → ``signedBy``) or
an instance of a class ("interceptor" → ``WeaponSystem``); this module only
finds them. A cue matches at the start of a word, case- and accent-folded, and
may carry an inflection ("sign" finds "signed", "signing", "signs"; not
"significant"). Japanese cues match as substrings. Depends on
:mod:`graph.ontology` and :mod:`graph.ingest.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.ingest.text import fold, is_cjk
from graph.ontology import Ontology

_INFLECTIONS = r"(?:s|es|d|ed|ing|ings|ment|ments|er|ers)?"


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
        cues = sorted(set(self.predicates) | set(self.classes), key=lambda c: (-len(c), c))
        alternatives = []
        for cue in cues:
            if any(is_cjk(ch) for ch in cue):
                alternatives.append(f"(?P<c{len(alternatives)}>{re.escape(cue)})")
            else:
                alternatives.append(
                    rf"(?<![\w])(?P<c{len(alternatives)}>{re.escape(cue)}){_INFLECTIONS}"
                    r"(?![\w])")
        self._cues = cues
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None

    def find(self, folded: str) -> list[CueHit]:
        """The cues in ``folded`` (text already passed through :func:`fold`)."""
        if self._pattern is None:
            return []
        hits = []
        for match in self._pattern.finditer(folded):
            group = match.lastgroup
            assert group is not None
            cue = self._cues[int(group[1:])]
            hits.append(CueHit(cue, match.group(), match.start(), match.end(),
                               self.predicates.get(cue, frozenset()),
                               self.classes.get(cue, frozenset())))
        return hits
