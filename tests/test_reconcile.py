"""Many sources on one fact: corroboration, refinement, conflict and ranks.

Each test writes its own small data folder from real texts of the corpus, so
what it asserts stays true however the shipped claims grow.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph import api, resources
from graph.cli import main
from graph.dates import PartialDate
from graph.errors import InvalidRecords
from graph.namespaces import AG, entity_iri
from graph.reconcile import compare

ARTICLE = "us-japan-cooperation-2024"  # machine-reworded article: "opened 2023"
RELEASE = "us-dod-2023-01-12-rdte-mou-sosa"  # DoD release: "On Jan. 12, 2023"

SIGNED_2023 = (
    "opened 2023 by signing the bilateral Memorandum of Understanding (MOU) for "
    "Analysis, Growth, Check and Analysis Tasks (RDT&E)"
)
SIGNED_DAY = (
    "On Jan. 12, 2023, Secretary of Defense Lloyd J. Austin III and Japan Minister of "
    "Defense HAMADA Yasukazu signed a bilateral Research, Development, Test, and "
    "Evaluation (RDT&E) Memorandum of Understanding (MOU)"
)
NON_BINDING_SPUN = "a bilateral, non-binding Safety of Provide Association (SOSA)"
NON_BINDING = "a bilateral, non-binding Security of Supply Arrangement (SOSA)"


def _claim(subject: str, predicate: str, quote: str, **fields: object) -> str:
    """One claim as YAML; strings are quoted so that dates stay strings."""
    lines = [f"- subject: {subject}", f"  predicate: {predicate}"]
    for key, value in fields.items():
        text = (
            str(value).lower()
            if isinstance(value, bool)
            else (str(value) if key == "object" else f'"{value}"')
        )
        lines.append(f"  {key}: {text}")
    escaped = quote.replace("'", "''")
    lines.append(f"  quote: '{escaped}'")
    return "\n".join(lines) + "\n"


def make_data(
    tmp_path: Path, claims: dict[str, list[str]], extra_sources: dict[str, str] | None = None
) -> Path:
    """A data folder with the shipped entities and the named sources, with these claims.

    ``extra_sources`` maps a new source id to the YAML lines of a reprint of the release.
    """
    data = tmp_path / "data"
    shipped = resources.data_dir()
    (data / "entities").mkdir(parents=True)
    for path in (shipped / "entities").glob("*.yaml"):
        # Every agreement needs two parties (a SHACL shape): keep only the two whose
        # parties these tests state.
        kept = [
            e
            for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []
            if e["type"] != "Agreement" or e["id"] in ("rdte-mou", "sosa")
        ]
        (data / "entities" / path.name).write_text(
            yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    for sid, items in claims.items():
        folder = data / "sources" / sid
        if sid in (extra_sources or {}):
            folder.mkdir(parents=True)
            shutil.copy(shipped / "sources" / RELEASE / "text.txt", folder / "text.txt")
            (folder / "source.yaml").write_text(extra_sources[sid], encoding="utf-8")  # type: ignore[index]
        else:
            shutil.copytree(
                shipped / "sources" / sid, folder, ignore=shutil.ignore_patterns("claims*.yaml")
            )
        parties = [
            _claim(agreement, "hasParty", PARTIES[sid], object=party)
            for agreement in ("rdte-mou", "sosa")
            for party in ("dod", "mod-japan")
        ]
        (folder / "claims.yaml").write_text("".join(items + parties), encoding="utf-8")
    return data


#: Where each text names the two parties of both agreements (every agreement needs two).
PARTIES = {
    ARTICLE: "between the U.S. Division of Protection and Japanese Ministry of Protection",
    RELEASE: "between the U.S. Department of Defense (DoD) and Japanese Ministry of Defense (MOD)",
}
PARTIES["reprint-of-release"] = PARTIES[RELEASE]

REPRINT = f"""id: reprint-of-release
title: The same DoD release, reprinted elsewhere
publisher: U.S. Department of Defense
reprinted_by: Another aggregator
kind: government
copy: reprint
words_of: {
    resources.data_dir()
    .joinpath("sources", RELEASE, "source.yaml")
    .read_text(encoding="utf-8")
    .split("words_of: ", 1)[1]
    .splitlines()[0]
}
"""


def binding_facts(result: api.BuildResult) -> list:  # type: ignore[type-arg]
    return [f for f in result.reconciliation.facts if f.predicate == "legallyBinding"]


def test_a_day_refines_a_year_without_a_conflict_or_a_second_fact(tmp_path: Path) -> None:
    data = make_data(
        tmp_path,
        {
            ARTICLE: [
                _claim("rdte-mou", "signedBy", SIGNED_2023, object="lloyd-austin", date="2023"),
                _claim("rdte-mou", "date", SIGNED_2023, value="2023"),
            ],
            RELEASE: [
                _claim(
                    "rdte-mou", "signedBy", SIGNED_DAY, object="lloyd-austin", date="2023-01-12"
                ),
                _claim("rdte-mou", "date", SIGNED_DAY, value="2023-01-12"),
            ],
        },
    )
    result = api.validate(data, strict=True)
    rec = result.reconciliation
    assert not rec.conflicts
    dated = [f for f in rec.facts if f.predicate == "date"]
    assert len(dated) == 1 and dated[0].refined and dated[0].corroborated
    assert dated[0].value == PartialDate("2023-01-12")
    assert dated[0].preferred is not None and dated[0].preferred.source == RELEASE
    signed = [f for f in rec.facts if f.predicate == "signedBy"]
    assert len(signed) == 1 and signed[0].refined and signed[0].independent_sources == 2
    # One plain triple, the precise one; the year stays on its claim, ranked normal.
    mou = URIRef(entity_iri("rdte-mou"))
    assert set(result.graph.objects(mou, AG.date)) == {Literal("2023-01-12", datatype=XSD.date)}
    ranks = {str(r).rsplit("#", 1)[1] for r in result.graph.objects(None, AG.rank)}
    assert ranks == {"PreferredRank", "NormalRank"}
    refines = list(result.graph.subject_objects(AG.refines))
    assert len(refines) == 2  # the date fact and the signing's date qualifier


def test_a_contradiction_is_reported_with_both_quotes_and_file_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = make_data(
        tmp_path,
        {
            ARTICLE: [_claim("sosa", "legallyBinding", NON_BINDING_SPUN, value=False)],
            RELEASE: [_claim("sosa", "legallyBinding", "a legally binding agreement", value=True)],
        },
    )
    result = api.validate(data)  # a warning, not an error: both claims are kept
    (conflict,) = result.reconciliation.conflicts
    message = str(conflict.as_error())
    assert NON_BINDING_SPUN in message and "a legally binding agreement" in message
    assert "true" in message and "false" in message
    assert f"{RELEASE}/claims.yaml:1" in message or f"{ARTICLE}/claims.yaml:1" in message
    # Both values stay on their claims; the preferred one alone is asserted.
    sosa = URIRef(entity_iri("sosa"))
    assert len(set(result.graph.objects(sosa, AG.legallyBinding))) == 1
    assert len(list(result.graph.subject_objects(AG.conflictsWith))) == 2  # symmetric

    with pytest.raises(InvalidRecords, match="conflicting value of sosa legallyBinding"):
        api.validate(data, strict=True)
    assert main(["validate", "--data", str(data)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("Warning: ") and "claims.yaml:1: value: conflicting" in err
    assert main(["validate", "--data", str(data), "--strict"]) == 1
    assert "Error: " in capsys.readouterr().err


def test_primary_government_text_is_preferred_over_a_reworded_copy(tmp_path: Path) -> None:
    data = make_data(
        tmp_path,
        {
            ARTICLE: [_claim("sosa", "legallyBinding", NON_BINDING_SPUN, value=True)],
            RELEASE: [_claim("sosa", "legallyBinding", NON_BINDING, value=False)],
        },
    )
    (fact,) = binding_facts(api.validate(data))
    assert fact.value is False and fact.preferred is not None
    assert fact.preferred.source == RELEASE


def test_a_record_can_override_the_preferred_value_with_a_reason(tmp_path: Path) -> None:
    data = make_data(
        tmp_path,
        {
            ARTICLE: [
                _claim(
                    "sosa",
                    "legallyBinding",
                    NON_BINDING_SPUN,
                    value=True,
                    rank="preferred",
                    rank_reason="checked against the signed text",
                )
            ],
            RELEASE: [_claim("sosa", "legallyBinding", NON_BINDING, value=False)],
        },
    )
    result = api.validate(data, strict=True)  # ranked by hand: settled, not an error
    (fact,) = binding_facts(result)
    assert fact.value is True and fact.conflicts and fact.conflicts[0].acknowledged
    reasons = {str(r) for r in result.graph.objects(None, AG.rankReason)}
    assert "set by the record: checked against the signed text" in reasons


def test_a_reprint_is_not_a_second_source(tmp_path: Path) -> None:
    data = make_data(
        tmp_path,
        {
            RELEASE: [_claim("sosa", "legallyBinding", NON_BINDING, value=False)],
            "reprint-of-release": [_claim("sosa", "legallyBinding", NON_BINDING, value=False)],
        },
        extra_sources={"reprint-of-release": REPRINT},
    )
    (fact,) = binding_facts(api.validate(data))
    assert len(fact.claims) == 2 and fact.independent_sources == 1 and not fact.corroborated

    data = make_data(
        tmp_path / "with-article",
        {
            ARTICLE: [_claim("sosa", "legallyBinding", NON_BINDING_SPUN, value=False)],
            RELEASE: [_claim("sosa", "legallyBinding", NON_BINDING, value=False)],
            "reprint-of-release": [_claim("sosa", "legallyBinding", NON_BINDING, value=False)],
        },
        extra_sources={"reprint-of-release": REPRINT},
    )
    (fact,) = binding_facts(api.validate(data))
    assert fact.independent_sources == 2 and fact.corroborated


@pytest.mark.parametrize(
    ("a", "b", "rounded", "verdict"),
    [
        (Decimal("2350000000"), Decimal("2400000000"), True, "finer"),
        (Decimal("2400000000"), Decimal("2350000000"), True, "coarser"),
        (Decimal("2300000000"), Decimal("2400000000"), True, "conflict"),
        (Decimal("2350000000"), Decimal("2400000000"), False, "conflict"),
        (Decimal("400"), Decimal("400"), False, "same"),
        (PartialDate("2023"), PartialDate("2023-01"), False, "coarser"),
        (PartialDate("2024-04"), PartialDate("2023"), False, "conflict"),
        ("state visit", "Official Visit", False, "conflict"),
        (True, Decimal(1), False, "n/a"),
    ],
)
def test_compare_values_at_their_precision(
    a: object, b: object, rounded: bool, verdict: str
) -> None:
    assert compare(a, b, rounded=rounded) == verdict


def test_shipped_corpus_facts_each_have_one_preferred_claim(built: api.BuildResult) -> None:
    rec = built.reconciliation
    for fact in rec.facts:
        ranks = [rec.ranks[c.key][0] for c in fact.claims]
        assert ranks.count("preferred") == (0 if fact.preferred is None else 1), fact
    # Every plain triple of a claim predicate is some fact's preferred value.
    preferred = {(c.subject, c.predicate.name) for c in rec.asserted()}
    assert len(preferred) <= len(rec.facts)
    summary = built.summary()
    assert 0 <= summary["corroborated"] <= summary["facts"]  # type: ignore[operator]
