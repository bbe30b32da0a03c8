"""Ingest: linking, acronyms, ambiguity, values, drafts, review, bad input, diff."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from graph import api, resources
from graph.cli import main
from graph.errors import IngestError, RecordFieldError, ReviewError
from graph.ingest.analyse import DRAFT_FILE, Analyser
from graph.ingest.linker import Linker, Registry
from graph.ingest.review import decide_interactively, read_drafts
from graph.ingest.text import normalise, sentences
from graph.ingest.values import find_amounts, find_dates
from graph.ontology import Ontology, load_ontology
from graph.records import EntityRecord, Labels


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


def entity(
    id: str,
    type: str,
    en: str,
    *aliases: str,
    ja: str | None = None,
    description: str | None = None,
) -> EntityRecord:
    return EntityRecord(
        id=id, type=type, label=Labels(en=en, ja=ja), aliases=list(aliases), description=description
    )


@pytest.fixture(scope="module")
def registry_records() -> list[EntityRecord]:
    return [
        entity("japan", "Nation", "Japan", "Government of Japan", ja="日本"),
        entity("usa", "Nation", "United States", "U.S.", "US", ja="アメリカ合衆国"),
        entity(
            "dod",
            "GovernmentAgency",
            "United States Department of Defense",
            "Department of Defense",
            "DoD",
        ),
        entity(
            "mod-japan",
            "GovernmentAgency",
            "Ministry of Defense (Japan)",
            "Japanese Ministry of Defense",
            ja="防衛省",
        ),
        entity("kishida-fumio", "Person", "Kishida Fumio", ja="岸田文雄"),
        entity("kishida-yuko", "Person", "Kishida Yuko"),
        entity("lloyd-austin", "Person", "Lloyd Austin"),
        entity("patriot", "WeaponSystem", "Patriot", "Patriot missile"),
        entity("sosa", "Agreement", "Security of Supply Arrangement", "SOSA"),
        entity(
            "gpi",
            "WeaponSystem",
            "Glide Phase Interceptor",
            "GPI",
            description="An interceptor missile against hypersonic weapons.",
        ),
        entity(
            "gpi-codevelopment",
            "Programme",
            "GPI co-development programme",
            "GPI",
            description="The cooperative development programme for the interceptor.",
        ),
        entity("meti", "GovernmentAgency", "Ministry of Economy, Trade and Industry"),
    ]


@pytest.fixture(scope="module")
def linker(registry_records: list[EntityRecord], onto: Ontology) -> Linker:
    return Linker(Registry.from_records(registry_records), onto)


def links(linker: Linker, text: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.entity) for m in linker.link(text)]


# --- normalisation --------------------------------------------------------------------
def test_normalise_keeps_the_offset_of_every_character() -> None:
    text = "Japan’s  Ministry — Défense"
    norm = normalise(text)
    assert norm.text == "japan's ministry - defense"
    at = norm.text.index("defense")
    start, end = norm.span(at, at + len("defense"))
    assert text[start:end] == "Défense"


def test_sentences_do_not_end_at_abbreviations() -> None:
    text = "The U.S. and Japan met on Jan. 12. Mr. Austin spoke."
    assert [text[a:b] for a, b in sentences(text)] == [
        "The U.S. and Japan met on Jan. 12.",
        "Mr. Austin spoke.",
    ]


# --- linking ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Japan agreed.", [("Japan", "japan")]),  # label
        ("The Government of Japan agreed.", [("Government of Japan", "japan")]),  # alias
        ("日本と防衛省", [("日本", "japan"), ("防衛省", "mod-japan")]),  # Japanese labels
        ("JAPAN and japan", [("JAPAN", "japan"), ("japan", "japan")]),  # case
        (
            "the ministry of economy, trade and industry",
            [("ministry of economy, trade and industry", "meti")],
        ),
        ("Japan’s view and Japan's view", [("Japan", "japan"), ("Japan", "japan")]),  # possessives
        (
            "two Patriots and Patriot missiles",
            [("Patriots", "patriot"), ("Patriot missiles", "patriot")],
        ),  # plurals
        ("Security-of-Supply Arrangement", []),  # dashes are not spaces
    ],
)
def test_links_labels_aliases_and_their_variants(
    linker: Linker, text: str, expected: list[tuple[str, str]]
) -> None:
    assert links(linker, text) == expected


def test_dashes_quotes_and_diacritics_are_folded(onto: Ontology) -> None:
    records = [
        entity("x", "Policy", "Free‐and‐Open “Indo-Pacific”"),
        entity("y", "Company", "Société Générale Défense"),
    ]
    linker = Linker(Registry.from_records(records), onto)
    assert links(linker, 'A Free-and-Open "Indo–Pacific" plan by Societe Generale Defense.') == [
        ('Free-and-Open "Indo–Pacific"', "x"),
        ("Societe Generale Defense", "y"),
    ]


def test_capital_forms_match_only_in_capitals(linker: Linker) -> None:
    assert links(linker, "The US government said: join us.") == [("US", "usa")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kishida Fumio arrived.", [("Kishida Fumio", "kishida-fumio")]),
        ("Fumio Kishida arrived.", [("Fumio Kishida", "kishida-fumio")]),
        ("Prime Minister Kishida arrived.", [("Prime Minister Kishida", "kishida-fumio")]),
        ("Secretary Austin spoke.", [("Secretary Austin", "lloyd-austin")]),
        (
            "Secretary of Defense Lloyd Austin spoke.",
            [("Secretary of Defense Lloyd Austin", "lloyd-austin")],
        ),
        (
            "Lloyd Austin spoke. Later Austin left.",
            [("Lloyd Austin", "lloyd-austin"), ("Austin", "lloyd-austin")],
        ),
        ("Austin is a city in Texas.", []),  # a name part alone needs the full name first
    ],
)
def test_links_person_names_in_either_order_and_with_titles(
    linker: Linker, text: str, expected: list[tuple[str, str]]
) -> None:
    assert links(linker, text) == expected


def test_a_title_decides_between_people_who_share_a_surname(linker: Linker) -> None:
    text = "Kishida Fumio and Kishida Yuko arrived. Prime Minister Kishida spoke."
    assert links(linker, text)[-1] == ("Prime Minister Kishida", "kishida-fumio")


def test_acronyms_defined_in_the_text_are_learned_for_that_document(onto: Ontology) -> None:
    records = [entity("otx", "Policy", "Other Transaction Authority")]
    linker = Linker(Registry.from_records(records), onto)
    text = "The Other Transaction Authority (OTA) helps. The OTA is flexible; OTAs vary."
    mentions = linker.link(text)
    assert [(m.text, m.entity) for m in mentions] == [
        ("Other Transaction Authority", "otx"),
        ("OTA", "otx"),
        ("OTA", "otx"),
        ("OTAs", "otx"),
    ]
    assert "acronym defined in the text" in (mentions[2].resolution or "")
    # Another document does not know it.
    assert links(linker, "The OTA is flexible.") == []


def test_an_acronym_the_text_defines_otherwise_does_not_link(linker: Linker) -> None:
    text = "The Strategic Operations Support Agency (SOSA) met."
    assert [e for _, e in links(linker, text)] == []


def test_an_acronym_never_explained_does_not_link(linker: Linker) -> None:
    assert links(linker, "Talks on SOSA resumed.") == []
    assert links(linker, "The SOSA arrangement was signed.") == [("SOSA", "sosa")]


def test_names_interrupted_by_their_acronym(onto: Ontology) -> None:
    records = [entity("mou", "Agreement", "Memorandum of Understanding for Research Projects")]
    linker = Linker(Registry.from_records(records), onto)
    text = "They signed the Memorandum of Understanding (MOU) for Research Projects. The MOU"
    assert [(m.text, m.entity) for m in linker.link(text)] == [
        ("Memorandum of Understanding (MOU) for Research Projects", "mou"),
        ("MOU", "mou"),
    ]


def test_an_acronym_defined_among_two_names_ending_in_it(onto: Ontology) -> None:
    # Two registry names end in "MOU"; the one whose other words stand right
    # before the definition is the one the acronym abbreviates.
    records = [
        entity("rdte-mou", "Agreement", "RDT&E MOU"),
        entity("pcr-mou", "Agreement", "Project for Cooperative Research (PCR) MOU"),
    ]
    linker = Linker(Registry.from_records(records), onto)
    text = (
        "They signed an RDT&E Memorandum of Understanding (MOU). The RDT&E MOU updates "
        "the Project for Cooperative Research (PCR) MOU. The MOU will help."
    )
    assert [(m.text, m.entity) for m in linker.link(text) if m.text == "MOU"] == [
        ("MOU", "rdte-mou"),
        ("MOU", "rdte-mou"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministers met in Tokyo on Monday.", [("Tokyo", "tokyo")]),
        (
            "Staff will be added to both Tokyo and Yokota.",
            [("Tokyo", "tokyo"), ("Yokota", "yokota")],
        ),
        ("Tokyo, Japan: the ministers met.", [("Tokyo", "tokyo"), ("Japan", "japan")]),
        ("Tokyo recently revised its export rules.", []),
        ("It slowed Tokyo’s ability to export.", []),
        ("Japan acts as Tokyo continues its reforms.", [("Japan", "japan")]),
    ],
)
def test_a_place_standing_for_its_government_is_not_the_place(
    onto: Ontology, text: str, expected: list[tuple[str, str]]
) -> None:
    records = [
        entity("tokyo", "Place", "Tokyo"),
        entity("yokota", "Place", "Yokota"),
        entity("japan", "Nation", "Japan"),
    ]
    linker = Linker(Registry.from_records(records), onto)
    assert links(linker, text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "because"),
    [
        ("The interceptor missile GPI flew its first test.", "gpi", "'interceptor'"),
        ("Japan joined the cooperative development program GPI.", "gpi-codevelopment", "'program'"),
    ],
)
def test_ambiguous_mentions_are_resolved_by_context(
    linker: Linker, text: str, expected: str, because: str
) -> None:
    mention = next(m for m in linker.link(text) if m.text == "GPI")
    assert mention.entity == expected
    assert mention.candidates == ("gpi", "gpi-codevelopment")
    assert mention.resolution is not None
    assert f"chose {expected} by context" in mention.resolution
    assert because in mention.resolution


def test_an_acronym_the_text_defines_resolves_an_ambiguous_one(linker: Linker) -> None:
    text = "The Glide Phase Interceptor (GPI) is new. Japan builds GPI parts."
    gpis = [m for m in linker.link(text) if m.text == "GPI"]
    assert [m.entity for m in gpis] == ["gpi", "gpi"]


def test_linking_scales_to_a_registry_of_ten_thousand(
    registry_records: list[EntityRecord], onto: Ontology
) -> None:
    synthetic = [
        entity(f"s-{i}", "Company", f"Zorblat {i} Industries", f"ZB{i:04d}") for i in range(10_000)
    ]
    linker = Linker(Registry.from_records(registry_records + synthetic), onto)
    text = "Zorblat 9876 Industries and the Japanese Ministry of Defense signed."
    assert links(linker, text) == [
        ("Zorblat 9876 Industries", "s-9876"),
        ("Japanese Ministry of Defense", "mod-japan"),
    ]


# --- dates and amounts --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("on January 25, 2024", None, ("2024-01-25", None)),
        ("on 12 January 2023", None, ("2023-01-12", None)),
        ("on Jan. 11, 2023", None, ("2023-01-11", None)),
        ("in August 2023", None, ("2023-08", None)),
        ("in 2023", None, ("2023", None)),
        ("2024年4月10日", None, ("2024-04-10", None)),
        ("On January 25", "2024-03-01", ("2024-01-25", "taken from the document's published")),
        ("On December 22", "2024-01-25", ("2023-12-22", "year 2023 inferred")),
    ],
)
def test_dates_keep_their_precision(
    text: str, published: str | None, expected: tuple[str, str | None]
) -> None:
    (found,) = find_dates(text, published=published)
    assert found.date.text == expected[0]
    if expected[1] is None:
        assert found.note is None
    else:
        assert expected[1] in (found.note or "")


def test_a_bare_day_without_a_published_date_is_not_guessed() -> None:
    assert find_dates("On January 25, the White House said") == []


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("the $2.35 billion sale", "2350000000", "USD"),
        ("254 billion yen", "254000000000", "JPY"),
        ("¥3,000", "3000", "JPY"),
        ("US$120 million", "120000000", "USD"),
        ("10.5 billion yen ($71.2 million)", "10500000000", "JPY"),
        ("2540億円の調達", "254000000000", "JPY"),
    ],
)
def test_amounts_with_their_currency(text: str, amount: str, currency: str) -> None:
    found = find_amounts(text)[0]
    assert (found.amount, found.currency) == (Decimal(amount), currency)


# --- drafts -------------------------------------------------------------------------------
def test_drafts_rank_predicates_by_the_ontology_cues(
    registry_records: list[EntityRecord], onto: Ontology
) -> None:
    analyser = Analyser(registry_records, onto)
    text = (
        "On January 12, 2023, Lloyd Austin signed the Security of Supply Arrangement "
        "between the Department of Defense and the Japanese Ministry of Defense."
    )
    result = analyser.analyse(text)
    by_pair = {
        frozenset((d.best.subject, d.best.object)): d for d in result.drafts if d.best.object
    }
    signed = by_pair[frozenset(("sosa", "lloyd-austin"))]
    assert (signed.best.subject, signed.best.predicate, signed.best.object) == (
        "sosa",
        "signedBy",
        "lloyd-austin",
    )
    assert "cue 'signed' for signedBy" in signed.best.why[0]
    assert signed.qualifiers["date"] == "2023-01-12"
    party = by_pair[frozenset(("sosa", "dod"))]
    assert (party.best.predicate, party.best.object) == ("hasParty", "dod")
    for draft in result.drafts:
        assert text[draft.start : draft.end] == draft.quote
        for p in draft.proposals:  # every proposal obeys domain and range
            if p.object:
                prop = onto.properties[p.predicate]
                assert onto.class_satisfies(analyser.registry.types[p.subject], prop.domain)
                assert onto.class_satisfies(analyser.registry.types[p.object], prop.range)


def test_a_draft_says_how_an_ambiguous_name_was_read(
    registry_records: list[EntityRecord], onto: Ontology
) -> None:
    text = "Japan joined the cooperative development program GPI."
    (draft,) = Analyser(registry_records, onto).analyse(text).drafts
    assert draft.best.fact == ("gpi-codevelopment", "coDevelopedBy", "japan")
    assert any("chose gpi-codevelopment by context" in note for note in draft.notes)
    assert any("chose gpi-codevelopment" in why for why in draft.to_yaml()["why"])


def test_drafts_carry_amounts_roles_and_the_year_they_inferred(
    registry_records: list[EntityRecord], onto: Ontology
) -> None:
    analyser = Analyser(registry_records, onto)
    text = (
        "On December 22, Japan decided to purchase the Patriot missile for $2.35 billion. "
        "Secretary of Defense Lloyd Austin leads the Department of Defense."
    )
    result = analyser.analyse(text, published="2024-01-25")
    buy = next(d for d in result.drafts if d.best.predicate == "procures")
    assert (buy.best.subject, buy.best.object) == ("japan", "patriot")
    assert buy.qualifiers == {"date": "2023-12-22", "amount": "2350000000", "currency": "USD"}
    assert any("year 2023 inferred" in n for n in buy.notes)
    head = next(d for d in result.drafts if d.best.predicate == "org:headOf")
    assert head.qualifiers["role"] == "Secretary of Defense"


def test_cue_words_come_from_the_ontology(onto: Ontology) -> None:
    from rdflib import Literal

    from graph.namespaces import AG

    records = [entity("a", "Person", "Aiko Tanaka"), entity("b", "Person", "Ben Ito")]
    text = "Aiko Tanaka was betrothed to Ben Ito."
    before = Analyser(records, onto).analyse(text).drafts[0]
    assert not any("betrothed" in why for p in before.proposals for why in p.why)
    graph = onto.graph.__class__()
    for triple in onto.graph:
        graph.add(triple)
    graph.add((AG.spouse, AG.cue, Literal("betrothed", lang="en")))
    after = Analyser(records, Ontology(graph, onto.path)).analyse(text).drafts[0]
    assert after.best.fact == ("a", "spouse", "b")
    assert after.best.why == ["cue 'betrothed' for spouse between the mentions"]


def test_a_name_inside_a_name_suggests_what_the_ontology_marks(onto: Ontology) -> None:
    records = [
        entity("japan", "Nation", "Japan"),
        entity("jmod", "GovernmentAgency", "Japan Ministry of Defense"),
    ]
    result = Analyser(records, onto).analyse("The Japan Ministry of Defense met the press.")
    (draft,) = result.drafts
    assert draft.best.fact == ("jmod", "org:subOrganizationOf", "japan")
    assert "org:subOrganizationOf" in onto.nesting_predicates
    assert "'Japan' is written inside 'Japan Ministry of Defense'" in draft.best.why[0]


def test_a_name_right_before_another_qualifies_it(onto: Ontology) -> None:
    records = [
        entity("japan", "Nation", "Japan"),
        entity("jmod", "GovernmentAgency", "MOD", "Ministry of Defense"),
    ]
    result = Analyser(records, onto).analyse("Japan's Ministry of Defense met the press.")
    (draft,) = result.drafts
    assert draft.best.fact == ("jmod", "org:subOrganizationOf", "japan")
    assert "'Japan' qualifies 'Ministry of Defense' right after it" in draft.best.why[0]


def test_the_two_nations_are_the_two_the_document_names_most(
    registry_records: list[EntityRecord], onto: Ontology
) -> None:
    text = (
        "Japan and the United States met. Japan and the U.S. agreed. "
        "The two nations announced the GPI co-development programme."
    )
    analyser = Analyser(registry_records, onto)
    mentions, _ = analyser.linker.analyse(text)
    references = analyser.linker.plural_references(text, mentions)
    assert [(m.text, m.entity) for m in references] == [
        ("The two nations", "japan"),
        ("The two nations", "usa"),
    ]
    drafts = analyser.analyse(text).drafts
    last = [d for d in drafts if d.start == text.index("The two nations")]
    facts = {d.best.fact for d in last}
    assert facts == {
        ("gpi-codevelopment", "announcedBy", "japan"),
        ("gpi-codevelopment", "announcedBy", "usa"),
    }  # not japan ~ usa
    assert any("read as japan and usa" in note for d in last for note in d.notes)


def test_a_passive_label_reverses_the_word_order_tie(onto: Ontology) -> None:
    records = [
        entity("jmod", "GovernmentAgency", "JMOD ministry"),
        entity("pjhq", "MilitaryOrganization", "Permanent Joint Headquarters"),
    ]
    text = "The JMOD ministry announced the Permanent Joint Headquarters."
    (draft,) = Analyser(records, onto).analyse(text).drafts
    announced = [p.fact for p in draft.proposals if p.predicate == "announcedBy"]
    assert announced[0] == ("pjhq", "announcedBy", "jmod")


# --- ingest end to end ----------------------------------------------------------------------
DOCUMENT = """DoD and Japan sign supply arrangement

On January 12, 2023, Secretary of Defense Lloyd Austin and Japan Minister of Defense Hamada \
Yasukazu signed the RDT&E MOU and the Security of Supply Arrangement (SOSA) between the \
U.S. Department of Defense (DoD) and the Japanese Ministry of Defense (MOD).
Japan will purchase Tomahawk missiles for $2.35 billion, the Pentagon said.
The Glide Phase Interceptor (GPI) is developed under the GPI co-development, which \
Japan and the United States announced in August 2023.
The Zorvex Tactical Consortium (ZTC) did not comment.
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the shipped data that tests may change."""
    target = tmp_path / "data"
    shutil.copytree(resources.data_dir(), target)
    return target


def ingest(
    data: Path, tmp_path: Path, text: str = DOCUMENT, name: str = "release.txt", **options: str
) -> api.Ingested:  # type: ignore[name-defined]
    doc = tmp_path / name
    doc.write_text(text, encoding="utf-8")
    return api.ingest(
        doc,
        data=data,
        id=options.pop("id", "test-release"),
        published=options.pop("published", "2023-01-12"),
        kind=options.pop("kind", "government"),
        **options,
    )


def test_ingest_writes_text_metadata_and_drafts(data: Path, tmp_path: Path) -> None:
    result = ingest(
        data,
        tmp_path,
        title="DoD and Japan sign",
        url="https://example.org/x",
        publisher="U.S. Department of Defense",
    )
    folder = data / "sources" / "test-release"
    assert result.folder == folder
    assert sorted(p.name for p in folder.iterdir()) == [
        "claims.draft.yaml",
        "source.yaml",
        "text.txt",
    ]
    assert (folder / "text.txt").read_text(encoding="utf-8") == DOCUMENT
    meta = yaml.safe_load((folder / "source.yaml").read_text(encoding="utf-8"))
    assert meta["id"] == "test-release" and meta["kind"] == "government"
    assert meta["published"] == "2023-01-12" and meta["copy"] == "original"
    assert set(meta) >= {
        "id",
        "title",
        "publisher",
        "reprinted_by",
        "author",
        "url",
        "published",
        "language",
        "licence",
        "kind",
        "copy",
        "words_of",
        "excerpt",
        "notes",
    }
    drafts = yaml.safe_load((folder / DRAFT_FILE).read_text(encoding="utf-8"))
    assert drafts["source"] == "test-release"
    item = drafts["drafts"][0]
    for key in (
        "status",
        "subject",
        "predicate",
        "quote",
        "offsets",
        "score",
        "why",
        "alternatives",
    ):
        assert key in item
    for item in drafts["drafts"]:
        start, end = item["offsets"]
        assert DOCUMENT[start:end] == item["quote"]
        assert item["status"] == "draft"
    names = {c["name"]: c for c in drafts["candidates"]}
    assert names["Zorvex Tactical Consortium"]["acronym"] == "ZTC"
    assert names["Zorvex Tactical Consortium"]["count"] == 1
    signed = [d for d in drafts["drafts"] if d["predicate"] == "signedBy"]
    assert {(d["subject"], d["object"]) for d in signed} >= {
        ("sosa", "lloyd-austin"),
        ("rdte-mou", "hamada-yasukazu"),
    }
    # Drafts never enter a build: the loader reads claims.yaml only.
    assert "test-release" in api.load_dataset(data).sources
    assert not [c for c in api.load_dataset(data).claims if c.source == "test-release"]


def test_accepted_drafts_pass_the_real_loader(data: Path, tmp_path: Path) -> None:
    ingest(data, tmp_path)
    draft_path = data / "sources" / "test-release" / DRAFT_FILE
    doc = yaml.safe_load(draft_path.read_text(encoding="utf-8"))
    n = len(doc["drafts"])
    draft_path.write_text(
        draft_path.read_text(encoding="utf-8").replace("- status: draft", "- status: accepted"),
        encoding="utf-8",
    )
    result = api.review("test-release", data=data)
    assert (result.accepted, result.edited, result.rejected, result.left) == (n, 0, 0, 0)
    report = api.validate(data)
    assert report.report.ok
    claims = [c for c in report.dataset.claims if c.source == "test-release"]
    assert len(claims) == n
    assert {(c.subject, c.predicate.name, c.obj) for c in claims} >= {
        ("sosa", "signedBy", "lloyd-austin")
    }


def test_review_counts_and_keeps_existing_claims(data: Path, tmp_path: Path) -> None:
    ingest(data, tmp_path)
    folder = data / "sources" / "test-release"
    (folder / "claims.yaml").write_text(
        "# kept as written\n- subject: sosa\n  predicate: hasParty\n  object: dod\n"
        "  quote: between the U.S. Department of Defense\n",
        encoding="utf-8",
    )
    path = folder / DRAFT_FILE
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    statuses = ["accepted", "edited", "rejected"] + ["draft"] * (len(doc["drafts"]) - 3)
    for item, status in zip(doc["drafts"], statuses, strict=True):
        item["status"] = status
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = api.review("test-release", data=data)
    assert (result.accepted, result.edited, result.rejected, result.left) == (
        1,
        1,
        1,
        len(doc["drafts"]) - 3,
    )
    claims_text = (folder / "claims.yaml").read_text(encoding="utf-8")
    assert claims_text.startswith("# kept as written\n- subject: sosa\n")
    assert len(yaml.safe_load(claims_text)) == 3
    left = yaml.safe_load(path.read_text(encoding="utf-8"))["drafts"]
    assert [d["status"] for d in left].count("rejected") == 1
    assert len(left) == len(doc["drafts"]) - 2
    assert api.validate(data).report.ok


def test_an_invalid_accepted_draft_names_its_line_and_writes_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ingest(data, tmp_path)
    path = data / "sources" / "test-release" / DRAFT_FILE
    text = path.read_text(encoding="utf-8")
    text = text.replace("- status: draft", "- status: accepted", 1)
    first_quote = next(line for line in text.splitlines() if line.startswith("  quote:"))
    text = text.replace(first_quote, "  quote: words that are not in the text", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  quote: words that are not in the text") + 1
    assert main(["review", "test-release", "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {path}:{line}: quote: quote not found in source 'test-release'")
    assert path.read_text(encoding="utf-8") == text
    assert not (data / "sources" / "test-release" / "claims.yaml").exists()


def test_an_unknown_status_is_an_error_with_its_line(data: Path, tmp_path: Path) -> None:
    ingest(data, tmp_path)
    path = data / "sources" / "test-release" / DRAFT_FILE
    text = path.read_text(encoding="utf-8").replace("- status: draft", "- status: acepted", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("- status: acepted") + 1
    with pytest.raises(RecordFieldError, match="unknown status") as info:
        api.review("test-release", data=data)
    assert info.value.line == line


def test_interactive_review_with_a_scripted_terminal(data: Path, tmp_path: Path) -> None:
    ingest(data, tmp_path)
    shown: list[str] = []
    keys = iter(["x", "a", "r", "2", "s", "q"])  # 'x' is not a key: asked again

    def decide(items: list) -> None:  # type: ignore[type-arg]
        decide_interactively(items, lambda: next(keys), shown.append)

    before = read_drafts(data / "sources" / "test-release" / DRAFT_FILE)["drafts"]
    third = dict(before[2])
    result = api.review("test-release", data=data, decide=decide)
    assert (result.accepted, result.edited, result.rejected) == (1, 1, 1)
    assert result.left == len(before) - 3
    assert shown[0].startswith("\n[1/")
    assert any("[" in line and "|" in line for line in shown)  # mentions marked
    claims = yaml.safe_load(
        (data / "sources" / "test-release" / "claims.yaml").read_text(encoding="utf-8")
    )
    alternative = third["alternatives"][1]
    assert claims[1]["predicate"] == alternative["predicate"]
    assert claims[1]["subject"] == alternative["subject"]


def test_review_interactive_needs_a_terminal(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ingest(data, tmp_path)
    assert main(["review", "test-release", "--data", str(data), "--interactive"]) == 1
    assert capsys.readouterr().err.startswith(
        "Error: --interactive needs a terminal on standard input"
    )


def test_review_without_drafts(data: Path) -> None:
    with pytest.raises(ReviewError, match="no drafts to review"):
        api.review("us-japan-cooperation-2024", data=data)


# --- bad input: one clear error, nothing written --------------------------------------------
def snapshot(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file (PNG image), not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a binary file (PDF), not text (extract"),
        (b"ab\x00cd" * 10, "is a binary file, not text"),
        ("Caf\u00e9 in Tokyo".encode("latin-1"), "is not UTF-8 text: byte 0xe9 at offset 3"),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_written(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    doc = tmp_path / "bad.txt"
    doc.write_bytes(content)
    before = snapshot(data)
    assert main(["ingest", str(doc), "--data", str(data), "--id", "bad"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {doc}")
    assert message in err and len(err.splitlines()) == 1
    assert snapshot(data) == before


def test_an_existing_id_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Japan and the United States met.", encoding="utf-8")
    before = snapshot(data)
    assert main(["ingest", str(doc), "--data", str(data), "--id", "us-japan-cooperation-2024"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {doc}: id: source 'us-japan-cooperation-2024' already exists")
    assert snapshot(data) == before
    with pytest.raises(IngestError, match="already an entity id"):
        api.ingest(doc, data=data, id="japan")
    assert snapshot(data) == before


def test_a_target_inside_build_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Japan and the United States met.", encoding="utf-8")
    inside = tmp_path / "build" / "data"
    shutil.copytree(data, inside)
    before = snapshot(tmp_path / "build")
    assert main(["ingest", str(doc), "--data", str(inside), "--id", "new-doc"]) == 1
    err = capsys.readouterr().err
    assert "is inside the built graph's folder" in err and err.startswith(f"Error: {doc}")
    assert snapshot(tmp_path / "build") == before


def test_bad_options_are_refused(data: Path, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Japan met.", encoding="utf-8")
    with pytest.raises(
        IngestError,
        match=r"unknown kind 'blog'.*use one of article, "
        r"encyclopedia, government, news",
    ):
        api.ingest(doc, data=data, kind="blog")
    with pytest.raises(IngestError, match="a reprint copy must say whose words"):
        api.ingest(doc, data=data, copy="reprint")
    with pytest.raises(IngestError, match="is not a date"):
        api.ingest(doc, data=data, published="last week")


def test_html_is_reduced_to_its_readable_text(data: Path, tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in DOCUMENT.splitlines()[2:])
    html = (
        f"<!DOCTYPE html><html><head><title>Supply deal</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Supply deal</h1>{paragraphs}</article>"
        f"<footer>Copyright 2024 Example Media. Cookie settings.</footer></body></html>"
    )
    result = ingest(data, tmp_path, text=html, name="page.html", id="html-release")
    text = (result.folder / "text.txt").read_text(encoding="utf-8")
    assert result.html
    assert "Secretary of Defense Lloyd Austin" in text
    assert "<p>" not in text and "Cookie settings" not in text
    meta = yaml.safe_load((result.folder / "source.yaml").read_text(encoding="utf-8"))
    assert meta["title"] == "Supply deal"


def test_cli_ingest_prints_candidates_and_the_next_step(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "release.txt"
    doc.write_text(DOCUMENT, encoding="utf-8")
    assert (
        main(
            [
                "ingest",
                str(doc),
                "--data",
                str(data),
                "--id",
                "cli-release",
                "--published",
                "2023-01-12",
                "--kind",
                "government",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("source:     cli-release  (")
    assert "Zorvex Tactical Consortium (ZTC)" in out
    assert (
        "next: set 'status:' in claims.draft.yaml, then 'alliance-graph review cli-release'" in out
    )


# --- diff -----------------------------------------------------------------------------------
def test_diff_reports_facts_and_entities_with_quotes(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_out, new_out = tmp_path / "old", tmp_path / "new"
    api.build(data, old_out)
    (data / "entities" / "extra.yaml").write_text(
        "- id: zorvex\n  type: Company\n  label: {en: Zorvex Tactical Consortium}\n",
        encoding="utf-8",
    )
    quote = "the GPI co-development creates additional alternatives"
    folder = data / "sources" / "us-japan-cooperation-2024"
    assert quote in (folder / "text.txt").read_text(encoding="utf-8")
    second = "advance the 2 nations’ shared imaginative and prescient"
    with (folder / "claims.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            f"\n- subject: japan\n  predicate: procures\n  object: gpi\n"
            f"  quote: {quote}\n"
            f"\n- subject: usa\n  predicate: endorses\n  object: foip\n"
            f"  quote: {second}\n"
        )
    api.build(data, new_out)

    assert main(["diff", str(old_out), str(new_out), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["entities_added"] == [{"id": "zorvex", "label": "Zorvex Tactical Consortium"}]
    assert report["entities_removed"] == [] and report["facts_removed"] == []
    (added,) = report["facts_added"]
    assert (added["subject"], added["predicate"], added["object"]) == ("japan", "procures", "gpi")
    assert added["quotes"] == [{"source": "us-japan-cooperation-2024", "quote": quote}]
    (evidence,) = report["evidence_added"]  # a known fact, stated once more
    assert (evidence["subject"], evidence["predicate"], evidence["object"]) == (
        "usa",
        "endorses",
        "foip",
    )
    assert evidence["quotes"] == [{"source": "us-japan-cooperation-2024", "quote": second}]

    assert main(["diff", str(old_out), str(new_out)]) == 0
    text_out = capsys.readouterr().out
    assert "+ entity zorvex (Zorvex Tactical Consortium)" in text_out
    assert f'+ japan procures gpi\n    us-japan-cooperation-2024: "{quote}"' in text_out
    assert main(["diff", str(new_out), str(data), "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith(f"# Changes from `{new_out / 'alliance.nt'}` to `{data}`")
    assert "| facts | 0 | 0 |" in markdown


def test_diff_reports_new_links_between_claims(built_dir: Path, tmp_path: Path) -> None:
    from rdflib import Graph

    from graph.namespaces import AG, CLAIM

    graph = Graph().parse(built_dir / "alliance.nt", format="nt")
    claims = sorted(graph.subjects(predicate=AG.quote))[:2]
    assert all(str(c).startswith(str(CLAIM)) for c in claims)
    graph.add((claims[0], AG.corroborates, claims[1]))
    linked = tmp_path / "linked"
    linked.mkdir()
    graph.serialize(linked / "alliance.nt", format="nt", encoding="utf-8")
    report = api.diff(built_dir, linked).to_dict()
    assert report["facts_added"] == [] and report["entities_added"] == []
    (link,) = report["links_added"]
    assert link["link"] == "corroborates"
    assert link["claim"]["quote"] and link["other"]["quote"]


def test_diff_of_a_folder_without_a_graph(tmp_path: Path) -> None:
    from graph.errors import NotBuiltError

    with pytest.raises(NotBuiltError, match="holds no built graph"):
        api.diff(tmp_path, tmp_path)
