"""Surface forms of known entities, and the registry that finds them in text.

Every English and Japanese label and every alias of every entity is a surface
form; so are plurals, person names in the other order and after a title. The
:class:`Registry` holds them in one Aho–Corasick automaton (see
:mod:`graph.ingest.linker` for why). A :class:`Mention` is one linked span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

from graph.ingest.text import fold
from graph.records import EntityRecord

#: Titles that may stand before a person's name. Language, not schema: they
#: belong to how English writes names, not to the ontology.
TITLES = (
    "Prime Minister",
    "Minister",
    "Defense Minister",
    "Defence Minister",
    "Foreign Minister",
    "Secretary",
    "Deputy Secretary",
    "Secretary of Defense",
    "Secretary of State",
    "President",
    "Vice President",
    "Chief Cabinet Secretary",
    "Ambassador",
    "General",
    "Gen.",
    "Admiral",
    "Adm.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
)

_TITLE_WORDS = frozenset(w.lower() for t in TITLES for w in t.split())
_TITLE_BEFORE = re.compile(
    r"(?:(?<=\s)|(?<=^))(?:"
    + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
    + r")\s+$"
)
_ROMAN = re.compile(r"[IVX]+|Jr|Sr")
STRONG, VARIANT, WEAK = 0, 1, 2
_STOP = frozenset(
    str.split(
        "the and for with from that this which their there into about also "
        "have been were will would than then them they whose what when where"
    )
)


@dataclass(frozen=True)
class Form:
    """One surface form of one entity."""

    entity: str
    tier: int  # STRONG (label, alias), VARIANT (generated), WEAK (a name part)
    how: str  # "label", "alias", "plural", "name order", "name part"
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
            parts = [
                t
                for t in tokens
                if len(t) >= 3 and t[:1].isupper() and t.isalpha() and not _ROMAN.fullmatch(t)
            ]
            # A part alone names the person after a title ("Secretary Austin") or
            # once the full name stood earlier; titles are matched in the text.
            forms += [(part, WEAK, "name part") for part in parts]
    else:
        for name in names:
            plural = _plural(name)
            if plural:
                forms.append((plural, VARIANT, "plural"))
    return forms
