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

Depends on :mod:`graph.ingest.text`, :mod:`graph.ingest.cues`,
:mod:`graph.ontology` and the record models of :mod:`graph.records`; no I/O.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import ahocorasick

from graph.ingest.cues import CueIndex
from graph.ingest.text import Normalised, at_boundary, fold, normalise, sentences
from graph.ontology import Ontology
from graph.records import EntityRecord

#: Titles that may stand before a person's name. Language, not schema: they
#: belong to how English writes names, not to the ontology.
TITLES = ("Prime Minister", "Minister", "Defense Minister", "Defence Minister",
          "Foreign Minister", "Secretary", "Deputy Secretary", "Secretary of Defense",
          "Secretary of State", "President", "Vice President", "Chief Cabinet Secretary",
          "Ambassador", "General", "Gen.", "Admiral", "Adm.", "Mr.", "Mrs.", "Ms.", "Dr.",
          "Mr", "Mrs", "Ms", "Dr")

_TITLE_WORDS = frozenset(w.lower() for t in TITLES for w in t.split())
_TITLE_BEFORE = re.compile(r"(?:(?<=\s)|(?<=^))(?:" + "|".join(
    re.escape(t) for t in sorted(TITLES, key=len, reverse=True)) + r")\s+$")
_ROMAN = re.compile(r"[IVX]+|Jr|Sr")
STRONG, VARIANT, WEAK = 0, 1, 2
_STOP = frozenset(str.split("the and for with from that this which their there into about also "
                            "have been were will would than then them they whose what when where"))


@dataclass(frozen=True)
class Form:
    """One surface form of one entity."""

    entity: str
    tier: int        # STRONG (label, alias), VARIANT (generated), WEAK (a name part)
    how: str         # "label", "alias", "plural", "name order", "name part"
    cased: str | None  # forms in capitals must match in capitals: the form, case kept


@dataclass(frozen=True)
class Mention:
    """A span of the text and the entity it names (``None``: no entity decided).

    ``candidates`` lists every entity the surface form can name; ``resolution``
    says how one was chosen when there were several, or how it was learned.
    """

    start: int
    end: int
    text: str
    entity: str | None
    candidates: tuple[str, ...]
    how: str
    resolution: str | None = None


@dataclass
class Registry:
    """The known entities, their types and an automaton over their surface forms."""

    types: dict[str, str]
    labels: dict[str, str]
    profiles: dict[str, frozenset[str]]
    forms: dict[str, list[Form]] = field(default_factory=dict)
    automaton: ahocorasick.Automaton = field(default_factory=ahocorasick.Automaton)
    _by_prefix: dict[str, set[str]] | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_records(cls, records: Iterable[EntityRecord]) -> Registry:
        """Index the surface forms of ``records`` (labels, aliases and their variants)."""
        registry = cls({}, {}, {})
        for rec in records:
            registry.types[rec.id] = rec.type
            registry.labels[rec.id] = rec.label.en
            registry.profiles[rec.id] = _content_words(rec.description or "")
            for text, tier, how in _surface_forms(rec):
                registry._add(text, Form(rec.id, tier, how, _cased(text)))
        for key, forms in registry.forms.items():
            registry.automaton.add_word(key, (key, tuple(forms)))
        if registry.forms:
            registry.automaton.make_automaton()
        return registry

    def forms_sharing_a_word(self, name: str) -> list[str]:
        """Normalised forms with a word that begins as a word of ``name`` does.

        Words are compared by their first four letters ("japanese" finds
        "japan"), so a near-match search looks at a handful of forms, not all.
        """
        if self._by_prefix is None:
            index: dict[str, set[str]] = {}
            for key in self.forms:
                for word in re.findall(r"\w{4,}", key):
                    index.setdefault(word[:4], set()).add(key)
            self._by_prefix = index
        found: set[str] = set()
        for word in re.findall(r"\w{4,}", name):
            found |= self._by_prefix.get(word[:4], set())
        return sorted(found)

    def _add(self, text: str, form: Form) -> None:
        key = fold(text)
        if not key:
            return
        known = self.forms.setdefault(key, [])
        if not any(f.entity == form.entity and f.tier <= form.tier for f in known):
            known[:] = [f for f in known if f.entity != form.entity] + [form]


def _capitals(text: str) -> bool:
    """True for a form written in capitals only (a trailing plural "s" aside)."""
    stem = text[:-1] if text.endswith("s") else text
    return any(c.isalpha() for c in stem) and not any(c.islower() for c in stem)


def _cased(text: str) -> str | None:
    return fold(text, casefold=False) if _capitals(text) else None


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"\w{4,}", fold(text)) if w not in _STOP)


def _plural(text: str) -> str | None:
    if not text or not text[-1].isalpha() or text.endswith("s"):
        return None
    if text.endswith(("x", "ch", "sh")):
        return text + "es"
    if text.endswith("y") and len(text) > 1 and text[-2].lower() not in "aeiou":
        return text[:-1] + "ies"
    return text + "s"


def _surface_forms(rec: EntityRecord) -> list[tuple[str, int, str]]:
    forms: list[tuple[str, int, str]] = [(rec.label.en, STRONG, "label")]
    if rec.label.ja:
        forms.append((rec.label.ja, STRONG, "label"))
    forms += [(alias, STRONG, "alias") for alias in rec.aliases]
    names = [text for text, _, _ in forms if text.isascii()]
    if rec.type == "Person":
        for name in names:
            tokens = name.split()
            if {t.lower() for t in tokens} & _TITLE_WORDS:
                continue  # "Secretary Austin" is a form already, not a name to vary
            full = [name]
            if len(tokens) == 2 and all(t[:1].isupper() for t in tokens):
                full.append(f"{tokens[1]} {tokens[0]}")
                forms.append((full[1], VARIANT, "name order"))
            parts = [t for t in tokens if len(t) >= 3 and t[:1].isupper() and t.isalpha()
                     and not _ROMAN.fullmatch(t)]
            # A part alone names the person after a title ("Secretary Austin") or
            # once the full name stood earlier; titles are matched in the text.
            forms += [(part, WEAK, "name part") for part in parts]
    else:
        for name in names:
            plural = _plural(name)
            if plural:
                forms.append((plural, VARIANT, "plural"))
    return forms


_DETERMINERS = frozenset(str.split("The This That These Those A An Its Our Their Each Every "
                                   "Both Any No Per Under"))
_PLURAL_REFERENCE = re.compile(
    r"\b(?:(?:[Tt]he|[Oo]ur|[Bb]oth)\s+(?:two|2)|[Bb]oth)\s+([A-Za-z]+)\b")
_BARE = re.compile(r"[A-Z0-9&\-]+")  # capitals alone, no dots: "MOU", not "U.S."
_INSERTED_ACRONYM = re.compile(r"[ \t]*\([A-Z][A-Za-z0-9&\-]{0,10}[A-Z0-9&]\)(?=[ \t]+[a-z])")
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&\-]{0,10}[A-Z0-9&])s?\s*\)")


#: Words before a place's name that make it a location, and words skipped to find them.
_LOCATIVE = frozenset(str.split("in at to from near into inside outside across between within "
                                "toward towards via around through throughout of on"))
_PLACE_SKIP = frozenset(str.split("the both central downtown greater"))
#: Lowercase words that may follow a place's name without making it a subject.
_NOT_A_VERB = frozenset(str.split("and or but nor on in at to from for of with by during after "
                                  "before since until between as than via near area city"))


@dataclass(frozen=True)
class Acronym:
    """An acronym the document defines: ``long_form (ACRONYM)``."""

    acronym: str
    long_form: str
    entity: str | None
    start: int  # of the long form
    end: int    # past the closing parenthesis


class Linker:
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

    def __init__(self, registry: Registry, ontology: Ontology,
                 cues: CueIndex | None = None) -> None:
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
                    mentions[-1] = Mention(previous.start, end, text[previous.start:end],
                                           previous.entity, previous.candidates, previous.how)
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
            mentions.append(Mention(start, end, text[start:end],
                                    candidates[0] if len(candidates) == 1 else None,
                                    candidates, how))
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
            kept.append(text[cursor:group.start()])
            origin.extend(range(cursor, group.start()))
            cursor = group.end()
        kept.append(text[cursor:])
        origin.extend(range(cursor, len(text) + 1))
        norm = normalise("".join(kept))
        composed = Normalised(norm.text, [origin[i] for i in norm.offsets])
        found = [m for m in self._select(text, composed)
                 if any(m.start < g.start() and g.end() <= m.end for g in groups)]
        if not found:
            return mentions
        rest = [m for m in mentions if not any(f.start < m.end and m.start < f.end
                                               for f in found)]
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
                mention = Mention(mention.start, mention.end, mention.text,
                                  named[0] if len(named) == 1 else None, named, mention.how,
                                  "a part of a name given in full earlier in the text")
            elif mention.entity:
                seen.add(mention.entity)
            kept.append(mention)
        return kept

    def _acronyms(self, text: str, mentions: list[Mention]) -> list[Acronym]:
        found: list[Acronym] = []
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
            for mention in mentions if entity is None else ():
                if mention.entity is None:
                    continue
                before = mention.end <= open_at and not text[mention.end:open_at].strip()
                around = mention.start < open_at and mention.end >= match.end()
                if before or around:
                    entity, long_start = mention.entity, mention.start
            if long_start is None:
                long_start = by_letters
            if entity is None:
                # "… Memorandum of Understanding (MOU)" and, elsewhere, "the RDT&E MOU":
                # the name ending in the acronym says which entity it abbreviates.
                tails = {m.entity: m.text.rsplit(None, 1)[0] for m in mentions
                         if m.entity and m.text.rsplit(None, 1)[-1] == acronym
                         and " " in m.text}
                if len(tails) > 1:
                    # Several such names ("the RDT&E MOU", "the PCR MOU"): the one
                    # whose other words stand right before the definition
                    # ("(RDT&E) Memorandum of Understanding (MOU)").
                    lead = " " + fold(text[max(0, long_start - 60):long_start]).rstrip(" ()")
                    tails = {e: q for e, q in tails.items()
                             if re.search(r"\W" + re.escape(fold(q).strip(" ()")) + "$", lead)}
                if len(tails) == 1:
                    entity = next(iter(tails))
            long_form = text[long_start:open_at].strip()
            if long_form:
                found.append(Acronym(acronym, long_form, entity, long_start, match.end()))
        return found

    def _apply_acronyms(self, text: str, mentions: list[Mention],
                        acronyms: list[Acronym]) -> list[Mention]:
        learned = {a.acronym: a for a in acronyms if a.entity}
        if not learned:
            return mentions
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(
            learned, key=len, reverse=True))) + r")(?:s)?(?![\w-])")
        by_span = {(m.start, m.end): m for m in mentions}
        out = list(mentions)
        for match in pattern.finditer(text):
            acronym = learned[match.group(1)]
            start, end = match.start(1), match.end()
            note = (f"acronym defined in the text: '{acronym.long_form} ({acronym.acronym})' "
                    f"→ {acronym.entity}")
            before = re.search(r"(\S+)[ \t]+$", text[max(0, start - 40):start])
            if before and (before.group(1).endswith(")") or (
                    before.group(1)[:1].isupper() and before.group(1) not in _DETERMINERS)):
                continue  # "Project for Cooperative Research (PCR) MOU": another name's tail
            entity = acronym.entity
            assert entity is not None  # only acronyms with an entity are learned
            existing = by_span.get((start, end))
            if existing is not None:
                if existing.entity != entity:
                    out[out.index(existing)] = Mention(
                        start, end, existing.text, entity,
                        tuple(dict.fromkeys((*existing.candidates, entity))), "acronym", note)
                continue
            if any(m.start < end and start < m.end for m in out):
                continue
            out.append(Mention(start, end, text[start:end], entity, (entity,), "acronym", note))
        return sorted(out, key=lambda m: m.start)

    def _unexplained_acronyms(self, text: str, mentions: list[Mention],
                              acronyms: list[Acronym]) -> list[Mention]:
        """Drop registry acronyms the document means otherwise, or never explains.

        Three capitals name thousands of things. A registry acronym links only if
        the document does not define it as something else ("Memorandum of
        Understanding (MOU)" is not a registry entity called MOU) and the entity
        is explained: named otherwise in the document, or its class's cue words
        stand in the sentence.
        """
        defined_as = {a.acronym: a.entity for a in acronyms}
        named_otherwise = {m.entity for m in mentions
                           if m.entity and (m.how == "acronym" or not _capitals(m.text))}
        bounds = sentences(text)
        starts = [a for a, _ in bounds]
        kept: list[Mention] = []
        for mention in mentions:
            surface = mention.text[:-1] if mention.text.endswith("s") else mention.text
            if (mention.how == "acronym" or not _capitals(mention.text) or len(surface) > 5
                    or not _BARE.fullmatch(surface)):
                kept.append(mention)
                continue
            if surface in defined_as:
                meant = defined_as[surface]
                if meant in mention.candidates:
                    kept.append(Mention(mention.start, mention.end, mention.text, meant,
                                        mention.candidates, mention.how, mention.resolution))
                continue
            if any(c in named_otherwise or self._class_cue_near(text, mention, c, bounds, starts)
                   for c in mention.candidates):
                kept.append(mention)  # several candidates: context decides, with a note
        return kept

    def _places_for_governments(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Drop a place's name that stands for a government: "Tokyo revised its rules".

        A place is read as a place after a locative preposition ("in Tokyo", "at
        the Pentagon", "to both Tokyo and …", and what is coordinated with such a
        place). Without one, a place's name followed by a possessive ("Tokyo's
        capacity") or by a lowercase word other than a conjunction or a
        preposition ("as Tokyo continues", "Tokyo just lately revised") is the
        subject of what a government does: metonymy, not the city. The registry
        does not say whose government, so the mention is dropped rather than
        linked to the place.
        """
        kept: list[Mention] = []
        locative_end = -1  # end of the last place read as a place
        for mention in mentions:
            if mention.entity is None or "Place" not in self._classes_of(mention.entity):
                kept.append(mention)
                continue
            before = text[max(0, mention.start - 60):mention.start]
            words = re.findall(r"[\w’']+|,", before)
            while words and words[-1].lower() in _PLACE_SKIP:
                words.pop()
            previous = words[-1].lower() if words else ""
            coordinated = previous in {"and", "or", ","} and 0 <= mention.start - locative_end < 8
            if previous in _LOCATIVE or coordinated:
                locative_end = mention.end
                kept.append(mention)
                continue
            after = re.match(r"(?:[’']s\b)|\s+([a-z]+)\b", text[mention.end:mention.end + 30])
            if after and (after.group(1) is None or after.group(1) not in _NOT_A_VERB):
                continue  # the government by its seat's name
            kept.append(mention)
        return kept

    def _class_cue_near(self, text: str, mention: Mention, candidate: str,
                        bounds: tuple[tuple[int, int], ...], starts: list[int]) -> bool:
        i = max(bisect.bisect_right(starts, mention.start) - 1, 0)
        s_start, s_end = bounds[i] if bounds else (0, len(text))
        classes = self._classes_of(candidate)
        return any(hit.classes & classes for hit in self.cues.find(fold(text[s_start:s_end])))

    def _classes_of(self, entity: str) -> frozenset[str]:
        """The entity's class and its ancestors, computed once per class."""
        cls = self.registry.types[entity]
        found = self._class_closure.get(cls)
        if found is None:
            onto = self.ontology
            found = frozenset({cls} | {onto.class_name(a) for a in onto.classes[cls].ancestors})
            self._class_closure[cls] = found
        return found

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
                if (len(entities) != 1 or mention.entity in entities or start < taken_to
                        or (start, end) == (0, len(mention.text))):
                    continue
                found.append(Mention(mention.start + start, mention.start + end,
                                     mention.text[start:end], entities.pop(), (), "nested",
                                     f"inside '{mention.text}'"))
                taken_to = end
        return found

    def plural_references(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"The two nations", "both countries": the two entities of that class the
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
            named = sorted((e for e in counts if cls in self._classes_of(e)),
                           key=lambda e: -counts[e])
            if len(named) < 2 or (len(named) > 2 and counts[named[1]] == counts[named[2]]):
                continue  # fewer than two, or no clear two: the reference stays unread
            note = (f"'{match.group()}' read as {named[0]} and {named[1]}, the two "
                    f"{cls} entities the document names most")
            for entity in named[:2]:
                found.append(Mention(match.start(), match.end(), match.group(), entity, (),
                                     "reference", note))
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
    def _resolve(self, text: str, mentions: list[Mention]) -> list[Mention]:
        if all(m.entity is not None for m in mentions):
            return mentions
        bounds = sentences(text)
        starts = [a for a, _ in bounds]
        settled = {m.entity for m in mentions if m.entity is not None}
        out: list[Mention] = []
        for mention in mentions:
            if mention.entity is not None:
                out.append(mention)
                continue
            i = max(bisect.bisect_right(starts, mention.start) - 1, 0)
            s_start, s_end = bounds[i] if bounds else (0, len(text))
            neighbours = [m for m in mentions if m.entity and s_start <= m.start < s_end]
            entity, note = self._choose(text, mention, (s_start, s_end), neighbours, settled)
            out.append(Mention(mention.start, mention.end, mention.text, entity,
                               mention.candidates, mention.how, note))
        return out

    def _choose(self, text: str, mention: Mention, sentence: tuple[int, int],
                neighbours: list[Mention], settled: set[str]) -> tuple[str, str]:
        onto, reg = self.ontology, self.registry
        s_start, s_end = sentence
        window = fold(text[max(s_start, mention.start - 80):min(s_end, mention.end + 80)])
        sentence_cues = self.cues.find(fold(text[s_start:s_end]))
        near = fold(text[max(s_start, mention.start - 40):min(s_end, mention.end + 40)])
        near_cues = {c.cue for c in self.cues.find(near)}
        scores: dict[str, float] = {}
        reasons: dict[str, list[str]] = {}
        for cand in mention.candidates:
            score, why = 0.0, []
            cls = reg.types[cand]
            classes = self._classes_of(cand)
            for hit in sentence_cues:
                if hit.classes & classes:
                    weight = 1.0 if hit.cue in near_cues else 0.5
                    score += weight
                    why.append(f"'{hit.text}' ({', '.join(sorted(hit.classes & classes))})")
            words = set(re.findall(r"\w{4,}", window)) & reg.profiles.get(cand, frozenset())
            if words:
                score += min(0.25 * len(words), 1.0)
                why.append("description words " + ", ".join(f"'{w}'" for w in sorted(words)))
            for hit in sentence_cues:
                for pred in sorted(hit.predicates):
                    prop = onto.properties[pred]
                    fits = [n for n in neighbours if n.entity and n.entity != cand and (
                        (onto.class_satisfies(cls, prop.domain)
                         and onto.class_satisfies(reg.types[n.entity], prop.range))
                        or (onto.class_satisfies(reg.types[n.entity], prop.domain)
                            and onto.class_satisfies(cls, prop.range)))]
                    if fits and prop.domain != prop.range:
                        score += 0.25
                        why.append(f"'{hit.text}' suggests {pred} with {fits[0].entity}")
                        break
            if cand in settled:
                score += 0.75
                why.append("named elsewhere in the document")
            scores[cand], reasons[cand] = score, why
        ranked = sorted(mention.candidates, key=lambda c: -scores[c])
        best = ranked[0]
        names = ", ".join(f"{c} ({reg.types[c]})" for c in mention.candidates)
        if len(ranked) > 1 and scores[ranked[1]] == scores[best]:
            return best, (f"'{mention.text}' names {names}; no context decides: picked {best}, "
                          "the first of a tie — check it")
        because = "; ".join(reasons[best]) or "the others scored lower"
        return best, (f"'{mention.text}' names {names}; chose {best} by context "
                      f"(score {scores[best]:.2f} vs {scores[ranked[1]]:.2f}): {because}")


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
        if text[offset + word.end():cursor].strip(" ,"):
            break  # only spaces (and commas of a list) between the words of a name
        cursor = offset + word.start()
        initials = [part[:1].lower() for part in word.group().split("-") if part]
        if initials and initials == letters[-len(initials):]:
            del letters[-len(initials):]
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
        if text[offset + word.end():cursor].strip(" ,"):
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
