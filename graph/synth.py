"""Synthetic alliance graphs of a chosen size, shaped like the built graph.

For benchmarks and capacity planning: entities of every ontology class with
English and Japanese labels and aliases, facts whose predicates respect the
ontology's domains and ranges, each reified by an ``ag:Claim`` with a source,
a quote, offsets and (often) a date at year, month or day precision, and
skewed (power-law) degrees so that some entities are hubs, as real alliance
graphs have, and acyclic dependency chains (what builds on what). Output is
N-Triples, written atomically. Literal-valued facts (dates, purposes,
whether an agreement binds) are reified like the others; procurement claims
carry amounts and currencies, office-holding claims a role and validity dates.
Every claim has its ``ag:rank`` and ``ag:rankReason``, as built graphs do: the
first claim of a fact is preferred; a later claim of the same fact is normal
and linked to it by ``ag:corroborates`` (both ways). Sources carry their kind,
copy kind and independence key.
Depends on :mod:`graph.ontology` and :mod:`graph.namespaces`.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph import vocab
from graph.files import atomic_writer
from graph.namespaces import AG, CLAIM, ID, ORG
from graph.ontology import Ontology, OntProperty, load_ontology, shipped_ontology

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"

TRIPLES_PER_ENTITY = 8
TRIPLES_PER_SOURCE = 13
# Eleven per fact (with rank and reason), a date on half of the claims, and the
# qualifiers of some predicates.
TRIPLES_PER_FACT = 11.6
#: How often a literal-valued fact is drawn, relative to one object predicate.
LITERAL_WEIGHT = 0.5
CURRENCIES = ("USD", "JPY", "EUR")
ROLES = ("Minister", "Director", "Commander", "Chair", "Secretary")
ORG_HEAD_OF = ORG.headOf
_JA_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


def __getattr__(name: str) -> Any:
    # TYPE_WEIGHTS: the concrete classes entities are drawn from, with relative weights,
    # read from the ontology's ag:synthWeight annotations (Ontology.synth_weights).
    if name == "TYPE_WEIGHTS":
        return dict(shipped_ontology().synth_weights)
    raise AttributeError(f"module 'graph.synth' has no attribute {name!r}")


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def _date(rng: random.Random) -> tuple[str, str]:
    year = rng.randint(1990, 2026)
    kind = rng.random()
    if kind < 0.3:
        return str(year), XSD + "gYear"
    month = rng.randint(1, 12)
    if kind < 0.6:
        return f"{year}-{month:02d}", XSD + "gYearMonth"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}", XSD + "date"


def generate(n_triples: int, *, seed: int = 0, ontology: Ontology | None = None) -> Iterator[str]:
    """Yield about ``n_triples`` N-Triples lines (each ending in a newline).

    Parameters
    ----------
    n_triples : int
        The size to aim for; the result is within a few hundred triples of it.
    seed : int
        Same seed, same graph.

    Examples
    --------
    >>> lines = list(generate(2_000, seed=1))
    >>> 1_500 < len(lines) < 2_500
    True
    """
    onto = ontology or load_ontology()
    weights_by_type = onto.synth_weights
    rng = random.Random(seed)
    n_sources = max(1, min(300, n_triples // 5_000))
    n_entities = max(len(weights_by_type) * 2, n_triples // 40)
    budget = n_triples - n_sources * TRIPLES_PER_SOURCE - n_entities * TRIPLES_PER_ENTITY
    n_facts = max(1, int(budget / TRIPLES_PER_FACT))

    names = list(weights_by_type)
    types = [names[i % len(names)] for i in range(len(names))]
    types += rng.choices(names, weights=list(weights_by_type.values()), k=n_entities - len(types))
    by_type: dict[str, list[int]] = {}
    for index, name in enumerate(types):
        by_type.setdefault(name, []).append(index)

    # Source kinds, copy kinds and ranks are the ontology's concepts, not names kept here.
    source_kinds = [str(c.iri) for _, c in sorted(onto.concepts("SourceKind").items())]
    original = onto.concepts("CopyKind")["original"].iri
    ranks = {n: c.iri for n, c in onto.concepts("Rank").items()}
    for s in range(n_sources):
        iri = f"<{ID}synthetic-source-{s}>"
        title = f"Synthetic source {s}"
        yield f"{iri} <{RDF}type> <{vocab.SOURCE_CLASS}> .\n"
        yield f"{iri} <{DCT}identifier> {_lit(f'synthetic-source-{s}')} .\n"
        yield f"{iri} <{DCT}title> {_lit(title, 'en')} .\n"
        yield f"{iri} <{RDFS}label> {_lit(title, 'en')} .\n"
        yield f"{iri} <{DCT}language> {_lit('en')} .\n"
        yield f"{iri} <{DCT}publisher> {_lit(f'Synthetic publisher {s % 17}')} .\n"
        yield f"{iri} <{DCT}rights> {_lit('synthetic; for benchmarks only')} .\n"
        yield f"{iri} <{AG.reworded}> {_lit('false', datatype=XSD + 'boolean')} .\n"
        yield f"{iri} <{AG.sourceKind}> <{source_kinds[s % len(source_kinds)]}> .\n"
        yield f"{iri} <{AG.copyKind}> <{original}> .\n"
        yield f"{iri} <{AG.excerpt}> {_lit('false', datatype=XSD + 'boolean')} .\n"
        yield f"{iri} <{AG.independentSource}> {_lit(f'synthetic-source-{s}')} .\n"
        digest = hashlib.sha256(title.encode()).hexdigest()
        yield f"{iri} <{AG.textSha256}> {_lit(digest)} .\n"

    for index, name in enumerate(types):
        eid = f"{name.lower()}-{index}"
        iri = f"<{ID}{eid}>"
        label = f"{name} {index}"
        ja = f"{onto.classes[name].label_ja or name}{str(index).translate(_JA_DIGITS)}"
        yield f"{iri} <{RDF}type> <{onto.classes[name].iri}> .\n"
        yield f"{iri} <{DCT}identifier> {_lit(eid)} .\n"
        yield f"{iri} <{RDFS}label> {_lit(label, 'en')} .\n"
        yield f"{iri} <{RDFS}label> {_lit(ja, 'ja')} .\n"
        yield f"{iri} <{SKOS}prefLabel> {_lit(label, 'en')} .\n"
        yield f"{iri} <{SKOS}prefLabel> {_lit(ja, 'ja')} .\n"
        yield f"{iri} <{SKOS}altLabel> {_lit(f'{name[:3].upper()}-{index}')} .\n"
        yield f"{iri} <{DCT}description> {_lit(f'A synthetic {name.lower()}.', 'en')} .\n"

    # Candidate subjects and objects of each object property, by domain and range.
    predicates = []
    for prop in onto.claim_predicates.values():
        if prop.kind != "object" or prop.iri == AG.dependsOn:
            continue
        subjects = [
            i for t, ids in by_type.items() if onto.class_satisfies(t, prop.domain) for i in ids
        ]
        objects = [
            i for t, ids in by_type.items() if onto.class_satisfies(t, prop.range) for i in ids
        ]
        if subjects and objects:
            predicates.append((prop, subjects, objects))
    dependency = [p.name in onto.dependency_predicates for p, _, _ in predicates]
    weights: list[float] = [2 if d else 1 for d in dependency]
    has_party = next(p for p in predicates if p[0].iri == AG.hasParty)

    literals = [
        p
        for p in onto.claim_predicates.values()
        if p.kind == "datatype" and any(onto.class_satisfies(t, p.domain) for t in by_type)
    ]
    literal_subjects = {
        p.name: [i for t, ids in by_type.items() if onto.class_satisfies(t, p.domain) for i in ids]
        for p in literals
    }
    choices = [("object", i) for i in range(len(predicates))]
    choices += [("literal", i) for i in range(len(literals))]
    weights += [LITERAL_WEIGHT] * len(literals)

    def _date_lit() -> str:
        text, datatype = _date(rng)
        return _lit(text, datatype=datatype)

    def literal_value(prop: OntProperty, s: int) -> str:
        if prop.literal_kind == "date":
            return _date_lit()
        if prop.literal_kind == "boolean":
            return _lit("true" if rng.random() < 0.5 else "false", datatype=XSD + "boolean")
        return _lit(f"{prop.name} of {types[s]} {s}: synthetic text {rng.randrange(1000)}")

    # The preferred claim of each fact drawn so far: a fact drawn again gets a
    # normal claim that corroborates it, and is asserted once.
    preferred: dict[tuple[str, int, str], str] = {}

    def fact(prop_iri: str, s: int, obj: str, n: int) -> Iterator[str]:
        subject = f"<{ID}{types[s].lower()}-{s}>"
        claim = f"<{CLAIM}synthetic-{n}>"
        source = f"<{ID}synthetic-source-{rng.randrange(n_sources)}>"
        start = rng.randrange(50_000)
        first = preferred.setdefault((prop_iri, s, obj), claim)
        if first == claim:
            yield f"{subject} <{prop_iri}> {obj} .\n"
            yield f"{claim} <{vocab.RANK}> <{ranks['preferred']}> .\n"
            yield f"{claim} <{vocab.RANK_REASON}> {_lit('first claim of this fact')} .\n"
        else:
            yield f"{claim} <{vocab.RANK}> <{ranks['normal']}> .\n"
            yield f"{claim} <{vocab.RANK_REASON}> {_lit('agrees with the preferred claim')} .\n"
            yield f"{claim} <{vocab.CLAIM_LINKS['corroborates']}> {first} .\n"
            yield f"{first} <{vocab.CLAIM_LINKS['corroborates']}> {claim} .\n"
        yield f"{claim} <{RDF}type> <{vocab.CLAIM_CLASS}> .\n"
        yield f"{claim} <{vocab.SUBJECT}> {subject} .\n"
        yield f"{claim} <{vocab.PREDICATE}> <{prop_iri}> .\n"
        yield f"{claim} <{vocab.OBJECT}> {obj} .\n"
        yield f"{claim} <{vocab.SOURCE}> {source} .\n"
        yield f"{claim} <{vocab.QUOTE}> {_lit(f'Sentence {n} says {types[s]} {s} and more.')} .\n"
        yield f"{claim} <{vocab.QUOTE_START}> {_lit(str(start), datatype=XSD + 'integer')} .\n"
        yield f"{claim} <{vocab.QUOTE_END}> {_lit(str(start + 40), datatype=XSD + 'integer')} .\n"
        if prop_iri == str(AG.procures) and rng.random() < 0.7:
            amount = f"{rng.randrange(1, 5000) * 10 ** rng.randrange(3, 8)}.0"
            yield f"{claim} <{vocab.AMOUNT}> {_lit(amount, datatype=XSD + 'decimal')} .\n"
            yield f"{claim} <{vocab.CURRENCY}> {_lit(rng.choice(CURRENCIES))} .\n"
        if prop_iri == str(ORG_HEAD_OF):
            yield f"{claim} <{vocab.ROLE}> {_lit(rng.choice(ROLES))} .\n"
            if rng.random() < 0.6:
                text, datatype = _date(rng)
                yield f"{claim} <{vocab.VALID_FROM}> {_lit(text, datatype=datatype)} .\n"
                if rng.random() < 0.3:
                    until = str(int(text[:4]) + rng.randint(1, 6))
                    yield f"{claim} <{vocab.VALID_UNTIL}> {_lit(until, datatype=XSD + 'gYear')} .\n"
        elif rng.random() < 0.5:
            yield f"{claim} <{vocab.POINT_IN_TIME}> {_date_lit()} .\n"

    def entity(i: int) -> str:
        return f"<{ID}{types[i].lower()}-{i}>"

    n = 0
    # Every agreement has two parties (the SHACL shape asks for it).
    for agreement in by_type.get("Agreement", []):
        for party in rng.sample(has_party[2], 2):
            yield from fact(str(AG.hasParty), agreement, entity(party), n)
            n += 1
    while n < n_facts:
        kind, index = rng.choices(choices, weights=weights)[0]
        if kind == "literal":
            prop = literals[index]
            candidates = literal_subjects[prop.name]
            s = candidates[rng.randrange(len(candidates))]
            yield from fact(str(prop.iri), s, literal_value(prop, s), n)
            n += 1
            continue
        prop, subjects, objects = predicates[index]
        s = subjects[rng.randrange(len(subjects))]
        # Cubing a uniform draw skews towards the first candidates: a few hubs.
        o = objects[int(len(objects) * rng.random() ** 3)]
        # Dependencies point from later to earlier entities, as programmes build on
        # earlier ones: chains and shared foundations, but no cycles.
        if s == o or (dependency[index] and o > s):
            continue
        yield from fact(str(prop.iri), s, entity(o), n)
        n += 1


def write_synthetic(path: Path | str, n_triples: int, *, seed: int = 0) -> Path:
    """Write a synthetic graph as N-Triples to ``path``, atomically; return the path."""
    path = Path(path)
    with atomic_writer(path, text=True) as handle:
        handle.writelines(generate(n_triples, seed=seed))
    return path
