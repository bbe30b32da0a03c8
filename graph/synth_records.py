"""Synthetic *records* (the YAML authoring format) of a chosen size, for build benchmarks.

Where :mod:`graph.synth` writes a built graph as N-Triples, this writes what a
build reads: ``entities/*.yaml`` and ``sources/<id>/{source.yaml,text.txt,
claims.yaml}``, every record passing the checks of :func:`graph.records.load_records`
and the built graph passing validation. It is shaped like the real corpus:
entities of every ontology class with English and Japanese labels and acronym
aliases; facts whose predicates respect the ontology's domains and ranges, with
skewed degrees (a few hubs); ``dependsOn``-like chains pointing from later to
earlier entities (no cycles); agreements with two parties; dated claims at
year, month or day precision; amounts, roles and validity periods where the
predicate takes them; and each claim's quote is a sentence found in its
source's ``text.txt`` (wrapped over lines, so quotes are matched across
whitespace as real ones are). A fact drawn again in another source repeats it,
sometimes with a less precise date (it then refines the first), never with a
contradicting value, so a build has no conflict to report.

Same arguments, same files (byte for byte). Depends on :mod:`graph.ontology`.
"""

from __future__ import annotations

import bisect
import json
import random
import textwrap
from pathlib import Path
from typing import Any

from graph.namespaces import AG
from graph.ontology import Ontology, OntProperty, load_ontology

#: Concrete classes entities are drawn from, with relative weights.
TYPE_WEIGHTS = {
    "GovernmentAgency": 12,
    "MilitaryOrganization": 10,
    "Company": 20,
    "IndustrialBase": 2,
    "Nation": 1,
    "Person": 15,
    "WeaponSystem": 12,
    "Resource": 4,
    "Programme": 10,
    "Agreement": 6,
    "Policy": 4,
    "Regulation": 2,
    "Event": 8,
    "Place": 3,
}
LITERAL_WEIGHT = 0.5
CURRENCIES = ("USD", "JPY", "EUR")
ROLES = ("Minister", "Director", "Commander", "Chair", "Secretary")
_SYLLABLES = (
    "ka",
    "to",
    "mi",
    "ra",
    "shi",
    "no",
    "ve",
    "lor",
    "dan",
    "tek",
    "sum",
    "ar",
    "gen",
    "fal",
    "kor",
    "bel",
    "rin",
    "hal",
    "mar",
    "zen",
)
_JA_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


class _Writer:
    """Draws entities, sources and claims; keeps what a repeated fact must repeat."""

    def __init__(self, onto: Ontology, n_entities: int, seed: int) -> None:
        self.onto = onto
        self.rng = random.Random(seed)
        names = list(TYPE_WEIGHTS)
        self.types = [names[i % len(names)] for i in range(min(n_entities, len(names)))]
        self.types += self.rng.choices(
            names, weights=list(TYPE_WEIGHTS.values()), k=n_entities - len(self.types)
        )
        self.by_type: dict[str, list[int]] = {}
        for index, name in enumerate(self.types):
            self.by_type.setdefault(name, []).append(index)
        self.names = [self._name(i) for i in range(n_entities)]
        self.facts: dict[tuple[str, int, str], dict[str, Any]] = {}
        self._predicates()

    def _name(self, i: int) -> str:
        rng = self.rng
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        return f"{word} {self.types[i]} {i}"

    def eid(self, i: int) -> str:
        return f"{self.types[i].lower()}-{i}"

    def _predicates(self) -> None:
        onto, by_type = self.onto, self.by_type
        self.objects: list[tuple[OntProperty, list[int], list[int], bool]] = []
        for prop in onto.claim_predicates.values():
            if prop.kind != "object":
                continue
            subjects = sorted(
                i for t, ids in by_type.items() if onto.class_satisfies(t, prop.domain) for i in ids
            )
            objects = sorted(
                i for t, ids in by_type.items() if onto.class_satisfies(t, prop.range) for i in ids
            )
            if subjects and objects:
                self.objects.append(
                    (prop, subjects, objects, prop.name in onto.dependency_predicates)
                )
        self.literals = [
            (
                p,
                sorted(
                    i
                    for t, ids in by_type.items()
                    if onto.class_satisfies(t, p.domain)
                    for i in ids
                ),
            )
            for p in onto.claim_predicates.values()
            if p.kind == "datatype"
        ]
        self.literals = [(p, s) for p, s in self.literals if s]
        self.choices = [("object", i) for i in range(len(self.objects))]
        self.choices += [("literal", i) for i in range(len(self.literals))]
        self.weights = [2.0 if dep else 1.0 for *_, dep in self.objects]
        self.weights += [LITERAL_WEIGHT] * len(self.literals)

    # --- entities ---------------------------------------------------------------
    def entity_yaml(self, i: int) -> str:
        name, kind = self.names[i], self.types[i]
        ja_class = self.onto.classes[kind].label_ja or kind
        acronym = "".join(w[0] for w in name.split()[:2]).upper() + str(i)
        return (
            f"- id: {self.eid(i)}\n  type: {kind}\n"
            f"  label: {{en: {_q(name)}, ja: {_q(ja_class + str(i).translate(_JA_DIGITS))}}}\n"
            f"  aliases: [{_q(acronym)}]\n"
            f"  description: {_q(f'A synthetic {kind.lower()} for benchmarks.')}\n"
        )

    # --- claims -----------------------------------------------------------------
    def _date(self) -> str:
        rng = self.rng
        year = rng.randint(1990, 2026)
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def _coarsen(self, date: str) -> str:
        """The same date at its own or a lower precision (a later source refining it)."""
        return date[: self.rng.choice((4, 7, 10, 10))]

    def draw(self) -> dict[str, Any] | None:
        """One claim as a mapping of its YAML fields (without the quote), or None."""
        rng = self.rng
        kind, index = rng.choices(self.choices, weights=self.weights)[0]
        if kind == "literal":
            prop, subjects = self.literals[index]
            s = subjects[rng.randrange(len(subjects))]
            # A functional property has one value per subject; others get a new one.
            key = (prop.name, s, "" if self.onto.functional(prop.name) else str(len(self.facts)))
            fact = dict(self.facts.setdefault(key, {"value": self._literal(prop, s)}))
            if prop.literal_kind == "date":
                fact["value"] = self._coarsen(fact["value"])
            return {"subject": self.eid(s), "predicate": prop.name, **fact}
        prop, subjects, objects, dependency = self.objects[index]
        s = subjects[rng.randrange(len(subjects))]
        if dependency:
            # Chains: something builds on a recent earlier one of its kind.
            at = bisect.bisect_left(objects, s)
            earlier = objects[max(0, at - 6) : at]
            if not earlier:
                return None
            o = rng.choice(earlier)
        else:
            # Cubing a uniform draw skews towards the first candidates: a few hubs.
            o = objects[int(len(objects) * rng.random() ** 3)]
        if s == o:
            return None
        return self._qualified(
            {"subject": self.eid(s), "predicate": prop.name, "object": self.eid(o)}, prop, s, o
        )

    def _qualified(
        self, claim: dict[str, Any], prop: OntProperty, s: int, o: int
    ) -> dict[str, Any]:
        key = (prop.name, s, str(o))
        first = key not in self.facts
        if first:
            rng = self.rng
            extra: dict[str, Any] = {}
            if prop.name == "procures" and rng.random() < 0.7:
                extra["amount"] = str(rng.randrange(1, 5000) * 10 ** rng.randrange(3, 8))
                extra["currency"] = rng.choice(CURRENCIES)
            if prop.name == "org:headOf":
                extra["role"] = rng.choice(ROLES)
                if rng.random() < 0.6:
                    start = self._date()
                    extra["from"] = start
                    if rng.random() < 0.3:
                        extra["until"] = str(int(start[:4]) + rng.randint(1, 6))
            elif rng.random() < 0.5:
                extra["date"] = self._date()
            self.facts[key] = extra
        extra = dict(self.facts[key])
        if not first and "date" in extra:
            extra["date"] = self._coarsen(extra["date"])
        return {**claim, **extra}

    def _literal(self, prop: OntProperty, s: int) -> Any:
        rng = self.rng
        kind = prop.literal_kind
        if kind == "date":
            return self._date()
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "integer":
            return rng.randrange(10, 5000)
        return f"{prop.name} of {self.names[s]}, text {rng.randrange(10_000)}"

    def sentence(self, claim: dict[str, Any], n: int) -> str:
        subject = self.names[int(claim["subject"].rsplit("-", 1)[1])]
        if "object" in claim:
            what = self.names[int(claim["object"].rsplit("-", 1)[1])]
        else:
            what = (
                str(claim["value"]).lower()
                if isinstance(claim["value"], bool)
                else str(claim["value"])
            )
        when = f" on {claim['date']}" if "date" in claim else ""
        return f"In statement {n}, {subject} {claim['predicate']} {what}{when}."


def _claim_yaml(claim: dict[str, Any], quote: str) -> str:
    lines = [f"- subject: {claim['subject']}", f"  predicate: {claim['predicate']}"]
    for field in ("object", "value", "date", "from", "until", "role", "amount", "currency"):
        if field in claim:
            value = claim[field]
            text = (
                ("true" if value else "false")
                if isinstance(value, bool)
                else (str(value) if isinstance(value, int) else _q(str(value)))
            )
            lines.append(f"  {field}: {text}")
    lines.append(f"  quote: {_q(quote)}")
    return "\n".join(lines) + "\n"


def write_records(
    root: Path | str,
    n_entities: int,
    n_claims: int,
    *,
    seed: int = 0,
    claims_per_source: int = 50,
    entities_per_file: int = 500,
    ontology: Ontology | None = None,
) -> Path:
    """Write a synthetic data folder (``entities/`` and ``sources/``) under ``root``.

    Parameters
    ----------
    root : Path
        A folder that does not exist yet or is empty.
    n_entities, n_claims : int
        How many entities and claims to write (claims: exactly; some facts are
        stated by several sources).
    seed : int
        Same seed, same files.
    claims_per_source : int
        Claims per source document (its ``text.txt`` holds one sentence per claim).
    entities_per_file : int
        Entities per ``entities/*.yaml`` file.

    Examples
    --------
    >>> import tempfile
    >>> from graph.api import validate
    >>> root = write_records(Path(tempfile.mkdtemp()) / "data", 60, 120, seed=1)
    >>> result = validate(root)
    >>> len(result.dataset.entities), len(result.dataset.claims), result.report.ok
    (60, 120, True)
    """
    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    onto = ontology or load_ontology()
    w = _Writer(onto, max(n_entities, len(TYPE_WEIGHTS)), seed)
    entity_dir, source_dir = root / "entities", root / "sources"
    entity_dir.mkdir(parents=True)
    source_dir.mkdir()
    for start in range(0, len(w.types), entities_per_file):
        body = "".join(
            w.entity_yaml(i) for i in range(start, min(start + entities_per_file, len(w.types)))
        )
        (entity_dir / f"synthetic-{start // entities_per_file:04d}.yaml").write_text(
            f"# Synthetic entities {start}–{start + entities_per_file - 1}.\n" + body,
            encoding="utf-8",
        )

    claims: list[dict[str, Any]] = []
    # Every agreement has two parties (the SHACL shape asks for it).
    has_party = next(p for p in w.objects if p[0].iri == AG.hasParty)
    for agreement in w.by_type.get("Agreement", []):
        for party in w.rng.sample(has_party[2], 2):
            claims.append(
                w._qualified(
                    {"subject": w.eid(agreement), "predicate": "hasParty", "object": w.eid(party)},
                    has_party[0],
                    agreement,
                    party,
                )
            )
    while len(claims) < n_claims:
        claim = w.draw()
        if claim is not None:
            claims.append(claim)
    w.rng.shuffle(claims)

    kinds = sorted(onto.concepts("SourceKind"))
    n_sources = max(1, -(-len(claims) // claims_per_source))
    for k in range(n_sources):
        sid = f"synthetic-source-{k:05d}"
        folder = source_dir / sid
        folder.mkdir()
        chunk = claims[k::n_sources]
        sentences = [w.sentence(c, n) for n, c in enumerate(chunk)]
        paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
        text = (
            "\n\n".join(
                textwrap.fill(p, 88, break_on_hyphens=False, break_long_words=False)
                for p in paragraphs
            )
            + "\n"
        )
        (folder / "text.txt").write_text(text, encoding="utf-8")
        (folder / "claims.yaml").write_text(
            f"# Claims of {sid}.\n\n"
            + "\n".join(_claim_yaml(c, s) for c, s in zip(chunk, sentences, strict=True)),
            encoding="utf-8",
        )
        (folder / "source.yaml").write_text(
            f"id: {sid}\ntitle: {_q(f'Synthetic report {k}')}\n"
            f"publisher: {_q(f'Synthetic publisher {k % 17}')}\nauthor: null\nurl: null\n"
            f'published: "{2000 + k % 26}-{k % 12 + 1:02d}-{k % 28 + 1:02d}"\nlanguage: en\n'
            f'licence: "synthetic; for benchmarks only"\nkind: {kinds[k % len(kinds)]}\n'
            "copy: original\nexcerpt: false\n",
            encoding="utf-8",
        )
    return root
