"""Long documents: what the linker and drafter find does not depend on what surrounds it.

The drafter picks each sentence's mentions by bisection and the acronym finder
locates the blank run before a definition once; these tests pin the behaviour
those shortcuts must keep (no timing here: ``benchmarks/bench_ingest.py``
measures how the cost grows with a document's length).
"""

from __future__ import annotations

import pytest

from graph.ingest.analyse import Analyser
from graph.ingest.linker import Linker, Registry
from graph.ontology import Ontology, load_ontology
from graph.records import EntityRecord, Labels


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


def _records() -> list[EntityRecord]:
    def entity(id: str, type: str, en: str, *aliases: str) -> EntityRecord:
        return EntityRecord(id=id, type=type, label=Labels(en=en), aliases=list(aliases))

    return [
        entity("kf", "Person", "Kishida Fumio"),
        entity("la", "Person", "Lloyd Austin"),
        entity("dod", "GovernmentAgency", "United States Department of Defense", "DoD"),
        entity("sosa", "Agreement", "Security of Supply Arrangement"),
        entity("japan", "Nation", "Japan"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A name, blanks (a line break too), then the definition: learned.
        (
            "Kishida Fumio \n  (PMK) spoke. Later the PMK left.",
            [("Kishida Fumio", "kf"), ("PMK", "kf"), ("PMK", "kf")],
        ),
        # A word between the name and the definition: not learned from that name.
        ("Kishida Fumio spoke (PMK). Later the PMK left.", [("Kishida Fumio", "kf")]),
        # Of several names, the one right before the parenthesis.
        (
            "Lloyd Austin met Kishida Fumio  (PMK). The PMK left.",
            [("Lloyd Austin", "la"), ("Kishida Fumio", "kf"), ("PMK", "kf"), ("PMK", "kf")],
        ),
    ],
)
def test_an_acronym_is_learned_from_the_name_right_before_it(
    onto: Ontology, text: str, expected: list[tuple[str, str]]
) -> None:
    linker = Linker(Registry.from_records(_records()), onto)
    assert [(m.text, m.entity) for m in linker.link(text)] == expected


def test_a_sentence_gets_the_same_drafts_alone_and_inside_a_long_document(
    onto: Ontology,
) -> None:
    analyser = Analyser(_records(), onto)
    sentences = [
        "On January 12, 2023, Lloyd Austin signed the Security of Supply Arrangement "
        "with the Department of Defense.",
        "Kishida Fumio visited Japan.",
        "Nothing is named here.",
    ]

    def drafted(text: str) -> list[tuple[str, str, str | None, str]]:
        return [
            (d.quote, d.best.subject, d.best.object, d.best.predicate)
            for d in analyser.analyse(text).drafts
        ]

    alone = [drafted(s) for s in sentences]
    assert alone[0] and not alone[2]
    long = " ".join(sentences * 40)
    assert drafted(long) == [d for _ in range(40) for s in alone for d in s]
