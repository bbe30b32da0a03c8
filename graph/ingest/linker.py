"""Mentions of known entities in a document, linked to their ids.

Every English and Japanese label and every alias of every entity is a
*surface form*; so are forms generated from them: plurals ("Patriots"),
person names in the other order ("Fumio Kishida" for "Kishida Fumio") and
after a title ("Prime Minister Kishida", "Secretary Austin"), and — only once
the full name has appeared earlier in the document — a name part alone.
Forms and text are compared after :func:`graph.ingest.text.normalise` (case,
diacritics, dashes, quote marks, whitespace); forms written in capitals only
("US", "MOD") must also match in capitals, so the pronoun "us" is not the
United States. A possessive ("Japan's") needs nothing: the match ends at a
word boundary before "'s". Acronyms the document defines ("Glide Phase
Interceptor (GPI)") are learned for that document and override the registry.

A surface form that names several entities (the GPI weapon and the GPI
co-development programme) is resolved by context, and the mention says how:
cue words of each candidate's class near the mention (``ag:cue`` on classes in
the ontology), words of the candidate's description nearby, predicates whose
cue words occur in the sentence and whose domain or range the candidate fits
given the other entities there, and entities already named in the document.
A place's name not introduced as a location and used as a subject or a
possessor ("Tokyo revised its rules", "Tokyo's capacity") stands for a
government, not the place, and is not linked to the place.

Why pyahocorasick: one Aho–Corasick automaton over all normalised forms finds
every form in a single pass over the text, whatever the size of the registry.
Measured on a 295-word release against 30,000 synthetic labels: the automaton
builds in 0.17 s once and scans a document in 0.06 ms; rapidfuzz's
``process.extractOne`` over the document's 1- to 3-word spans took 2.5 s per
document. rapidfuzz is kept for what it is good at: suggesting a near entity
for an unlinked candidate (:mod:`graph.ingest.candidates`).

One job per module: :mod:`graph.ingest.forms` (surface forms and the
registry), :mod:`graph.ingest.acronyms` (acronyms a document defines),
:mod:`graph.ingest.context` (choosing among candidates) and this module (the
pipeline that runs them).

Depends on :mod:`graph.ingest.text`, :mod:`graph.ingest.cues`,
:mod:`graph.ontology` and the record models of :mod:`graph.records`; no I/O.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property

from graph.ingest.acronyms import _INSERTED_ACRONYM, Acronym, AcronymSteps
from graph.ingest.context import ContextSteps
from graph.ingest.cues import CueIndex
from graph.ingest.forms import _TITLE_BEFORE, TITLES, WEAK, Form, Mention, Registry
from graph.ingest.text import Normalised, at_boundary, fold, normalise
from graph.ontology import Ontology

__all__ = ["TITLES", "Acronym", "Form", "Linker", "Mention", "Registry"]

_PLURAL_REFERENCE = re.compile(
    r"\b(?:(?:[Tt]he|[Oo]ur|[Bb]oth)\s+(?:two|2)|[Bb]oth)\s+([A-Za-z]+)\b"
)


class Linker(AcronymSteps, ContextSteps):
    """Finds and links the mentions of a registry's entities in documents.

    Parameters
    ----------
    registry : Registry
        The known entities and their surface forms.
    ontology : Ontology
        Gives class and predicate cue words and domains and ranges.

    Examples
    --------
    >>> from graph.records import EntityRecord, Labels
    >>> gpi = EntityRecord(id="gpi", type="WeaponSystem",
    ...                    label=Labels(en="Glide Phase Interceptor"), aliases=["GPI"])
    >>> from graph.ontology import load_ontology
    >>> linker = Linker(Registry.from_records([gpi]), load_ontology())
    >>> text = "The Glide Phase Interceptor flew. Japan's GPIs and the GPI's range."
    >>> [(m.text, m.entity) for m in linker.link(text)]
    [('Glide Phase Interceptor', 'gpi'), ('GPIs', 'gpi'), ('GPI', 'gpi')]
    """

    def __init__(
        self, registry: Registry, ontology: Ontology, cues: CueIndex | None = None
    ) -> None:
        self.registry = registry
        self.ontology = ontology
        self.cues = cues or CueIndex(ontology)
        self._class_closure: dict[str, frozenset[str]] = {}

    # --- the pipeline ------------------------------------------------------------
    def link(self, text: str) -> list[Mention]:
        """Every mention of a known entity in ``text``, in text order."""
        return self.analyse(text)[0]

    def analyse(self, text: str) -> tuple[list[Mention], list[Acronym]]:
        """Mentions and the acronyms the text defines."""
        norm = normalise(text)
        spans = self._with_interrupted_names(text, self._select(text, norm))
        mentions = self._weak_names(spans)
        acronyms = self._acronyms(text, mentions)
        mentions = self._apply_acronyms(text, mentions, acronyms)
        mentions = self._unexplained_acronyms(text, mentions, acronyms)
        mentions = self._resolve(text, mentions)
        mentions = self._places_for_governments(text, mentions)
        return mentions, acronyms

    def _hits(self, text: str, norm: Normalised) -> list[tuple[int, int, tuple[Form, ...]]]:
        """Every form found in ``norm`` at word boundaries (offsets into ``text``), overlaps
        included, in text order, longest first."""
        folded = norm.text
        hits: list[tuple[int, int, tuple[Form, ...]]] = []
        if not self.registry.forms:
            return []
        for last, (key, forms) in self.registry.automaton.iter(folded):
            start, end = last - len(key) + 1, last + 1
            if not at_boundary(folded, start, end):
                continue
            src_start, src_end = norm.span(start, end)
            surface = None
            kept = []
            for form in forms:
                if form.cased is not None:
                    surface = surface or fold(text[src_start:src_end], casefold=False)
                    if surface != form.cased:
                        continue
                kept.append(form)
            if kept:
                hits.append((src_start, src_end, tuple(kept)))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        return hits

    def _select(self, text: str, norm: Normalised) -> list[Mention]:
        """Leftmost-longest matches of the forms in ``norm`` (offsets into ``text``)."""
        hits = self._hits(text, norm)
        mentions: list[Mention] = []
        last_end = -1
        for start, end, forms in hits:
            if start < last_end:
                previous = mentions[-1]
                if end > last_end and previous.entity in {f.entity for f in forms}:
                    # "Prime Minister Kishida" + "Kishida Fumio": one mention
                    mentions[-1] = Mention(
                        previous.start,
                        end,
                        text[previous.start : end],
                        previous.entity,
                        previous.candidates,
                        previous.how,
                    )
                    last_end = end
                continue
            best = min(f.tier for f in forms)
            chosen = [f for f in forms if f.tier == best]
            candidates = tuple(dict.fromkeys(f.entity for f in chosen))
            how = chosen[0].how if best != WEAK else "name part"
            if all(self.registry.types[c] == "Person" for c in candidates):
                title = _TITLE_BEFORE.search(text, max(0, start - 40), start)
                if title and title.start() >= max(last_end, 0):
                    start, how = title.start(), "title" if best == WEAK else how
            mentions.append(
                Mention(
                    start,
                    end,
                    text[start:end],
                    candidates[0] if len(candidates) == 1 else None,
                    candidates,
                    how,
                )
            )
            last_end = end
        return mentions

    def _with_interrupted_names(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Add names interrupted by an acronym: "Memorandum of Understanding (MOU) for …".

        The text is matched once more with each "(ACRONYM)" left out; a name found
        only that way spans the acronym and replaces the shorter mentions inside it.
        """
        groups = list(_INSERTED_ACRONYM.finditer(text))
        if not groups:
            return mentions
        kept: list[str] = []
        origin: list[int] = []
        cursor = 0
        for group in groups:
            kept.append(text[cursor : group.start()])
            origin.extend(range(cursor, group.start()))
            cursor = group.end()
        kept.append(text[cursor:])
        origin.extend(range(cursor, len(text) + 1))
        norm = normalise("".join(kept))
        composed = Normalised(norm.text, [origin[i] for i in norm.offsets])
        # A name spans an acronym if the first group after its start ends inside it
        # (the groups do not overlap, so that one ends first); bisected, not scanned
        # per name, which made a long document's cost grow with its length squared.
        starts = [g.start() for g in groups]
        found = []
        for m in self._select(text, composed):
            after = bisect_right(starts, m.start)
            if after < len(groups) and groups[after].end() <= m.end:
                found.append(m)
        if not found:
            return mentions
        rest = [m for m in mentions if not any(f.start < m.end and m.start < f.end for f in found)]
        return sorted(found + rest, key=lambda m: m.start)

    def _weak_names(self, mentions: list[Mention]) -> list[Mention]:
        """A name part alone counts once the full name stood earlier in the text."""
        seen: set[str] = set()
        kept: list[Mention] = []
        for mention in mentions:
            if mention.how == "name part":
                named = tuple(c for c in mention.candidates if c in seen)
                if not named:
                    continue
                mention = Mention(
                    mention.start,
                    mention.end,
                    mention.text,
                    named[0] if len(named) == 1 else None,
                    named,
                    mention.how,
                    "a part of a name given in full earlier in the text",
                )
            elif mention.entity:
                seen.add(mention.entity)
            kept.append(mention)
        return kept

    def nested(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Names of other entities inside mentions: "U.S." in "U.S. Division of Protection".

        Not mentions of their own (the longer name is what the text names), but
        they state a relation that drafts may propose (the division belongs to the
        U.S.).
        """
        found: list[Mention] = []
        for mention in mentions:
            if mention.entity is None or " " not in mention.text:
                continue
            norm = normalise(mention.text)
            taken_to = -1
            for start, end, forms in self._hits(mention.text, norm):
                entities = {f.entity for f in forms if f.tier != WEAK}
                if (
                    len(entities) != 1
                    or mention.entity in entities
                    or start < taken_to
                    or (start, end) == (0, len(mention.text))
                ):
                    continue
                found.append(
                    Mention(
                        mention.start + start,
                        mention.start + end,
                        mention.text[start:end],
                        entities.pop(),
                        (),
                        "nested",
                        f"inside '{mention.text}'",
                    )
                )
                taken_to = end
        return found

    def plural_references(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """ "The two nations", "both countries": the two entities of that class the
        document names most often, as two mentions of one span.

        The nouns are the plurals of the classes' cue words in the ontology
        ("nation", "country", "ally" for ag:Nation). Not mentions of their own (the
        text gives no name), but drafts may pair what they refer to with the rest of
        their sentence.
        """
        counts: dict[str, int] = {}
        for mention in mentions:
            if mention.entity:
                counts[mention.entity] = counts.get(mention.entity, 0) + 1
        found: list[Mention] = []
        for match in _PLURAL_REFERENCE.finditer(text):
            cls = self._plural_nouns.get(match.group(1).lower())
            if cls is None:
                continue
            named = sorted(
                (e for e in counts if cls in self._classes_of(e)), key=lambda e: -counts[e]
            )
            if len(named) < 2 or (len(named) > 2 and counts[named[1]] == counts[named[2]]):
                continue  # fewer than two, or no clear two: the reference stays unread
            note = (
                f"'{match.group()}' read as {named[0]} and {named[1]}, the two "
                f"{cls} entities the document names most"
            )
            for entity in named[:2]:
                found.append(
                    Mention(
                        match.start(), match.end(), match.group(), entity, (), "reference", note
                    )
                )
        return found

    @cached_property
    def _plural_nouns(self) -> dict[str, str]:
        nouns: dict[str, str] = {}
        for cls in self.ontology.entity_classes():
            for cue in self.ontology.cues(cls):
                if cue.isalpha() and cue.isascii():
                    plural = cue[:-1] + "ies" if cue.endswith("y") else cue + "s"
                    nouns.setdefault(plural.lower(), cls)
        return nouns

    # --- ambiguity ---------------------------------------------------------------
