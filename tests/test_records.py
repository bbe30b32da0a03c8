"""Records: the valid example builds, every invalid example fails with its exact message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import api
from graph.cli import main
from graph.dates import PartialDate
from graph.errors import AllianceGraphError, InvalidRecords, ValidationFailed
from graph.ontology import load_ontology
from graph.records import load_records

DATA = Path(__file__).parent / "data"
INVALID = sorted(p.name for p in (DATA / "invalid").iterdir() if p.is_dir())


def overlay(case: str, tmp_path: Path) -> Path:
    """The valid data folder with the files of one invalid case laid over it."""
    root = tmp_path / "data"
    shutil.copytree(DATA / "valid", root)
    for path in (DATA / "invalid" / case).rglob("*"):
        rel = path.relative_to(DATA / "invalid" / case)
        if path.is_dir() or rel.name == "expected.txt":
            continue
        if rel.name.startswith(".remove-"):
            (root / rel.parent / rel.name.removeprefix(".remove-")).unlink()
        else:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, root / rel)
    return root


def test_valid_example_builds(tmp_path: Path) -> None:
    result = api.build(DATA / "valid", tmp_path / "out")
    summary = result.summary()
    assert summary["entities"] == 5
    assert summary["claims"] == 4
    assert summary["validation"] == "ok"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".cache",  # the parsed records, for the next build (graph.buildcache)
        ".inputs-stat.json",
        "alliance-base.ttl",
        "alliance-full.ttl",
        "alliance.jsonld",
        "alliance.nt",
        "alliance.ttl",
        "claims.csv",
        "claims.parquet",
        "explorer.html",
        "manifest.json",
        "ontology.html",
        "void.ttl",
    ]


def test_every_invalid_case_has_an_expected_message() -> None:
    assert len(INVALID) >= 12
    for case in INVALID:
        assert (DATA / "invalid" / case / "expected.txt").is_file(), case


@pytest.mark.parametrize("case", INVALID)
def test_invalid_case_fails_with_exact_message(case: str, tmp_path: Path) -> None:
    root = overlay(case, tmp_path)
    with pytest.raises(AllianceGraphError) as info:
        api.validate(root)
    message = str(info.value).replace(f"{root}/", "")
    expected = (DATA / "invalid" / case / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
    assert message == expected


@pytest.mark.parametrize("case", ["quote-not-in-source", "shacl-violation", "malformed-yaml"])
def test_cli_build_fails_cleanly_and_writes_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = overlay(case, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "alliance.ttl").write_text("previous build\n")
    status = main(["build", "--data", str(root), "--out", str(out)])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.err.startswith("Error: ")
    assert "Traceback" not in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["alliance.ttl"]
    assert (out / "alliance.ttl").read_text() == "previous build\n"


def test_errors_carry_path_line_and_field(tmp_path: Path) -> None:
    root = overlay("quote-not-in-source", tmp_path)
    with pytest.raises(InvalidRecords) as info:
        load_records(root, load_ontology())
    (error,) = info.value.errors
    assert Path(error.path or "").name == "claims.yaml"
    assert error.line == 25
    assert error.field == "quote"


def test_several_errors_are_reported_together(tmp_path: Path) -> None:
    root = overlay("unknown-entity", tmp_path)
    (root / "entities" / "extra.yaml").write_text(
        "- id: gpi\n  type: Interceptor\n  label: {en: GPI}\n", encoding="utf-8"
    )
    with pytest.raises(InvalidRecords) as info:
        load_records(root, load_ontology())
    assert [e.field for e in info.value.errors] == ["type", "object"]


def test_shacl_failure_is_a_validation_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as info:
        api.validate(overlay("shacl-violation", tmp_path))
    assert len(info.value.violations) == 1


def test_quote_whitespace_is_normalised_and_offsets_point_into_the_text(tmp_path: Path) -> None:
    root = overlay("unknown-entity", tmp_path)
    claims = root / "sources" / "memo" / "claims.yaml"
    claims.write_text(
        (DATA / "valid" / "sources" / "memo" / "claims.yaml").read_text(encoding="utf-8")
        + "\n- subject: rdte-mou\n  predicate: hasParty\n  object: mod-japan\n"
        '  quote: "Protection   and the\\n Ministry"\n',
        encoding="utf-8",
    )
    dataset = load_records(root, load_ontology())
    claim = dataset.claims[-1]
    text = dataset.sources["memo"].text
    assert (
        text[claim.quote_start : claim.quote_end] == claim.quote == "Protection and\nthe Ministry"
    )


@pytest.mark.parametrize(
    ("text", "precision"), [("2023", "year"), ("2023-08", "month"), ("2024-02-29", "day")]
)
def test_partial_dates_keep_their_precision(text: str, precision: str) -> None:
    assert PartialDate.parse(text).precision == precision


@pytest.mark.parametrize("text", ["2023-13", "2023-02-29", "23", "2023/08/01", "2023-8"])
def test_partial_dates_refuse_bad_input(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_until_compares_the_spans_dates_cover(tmp_path: Path) -> None:
    root = overlay("unknown-entity", tmp_path)
    claims = root / "sources" / "memo" / "claims.yaml"
    base = (DATA / "valid" / "sources" / "memo" / "claims.yaml").read_text(encoding="utf-8")
    claim = "\n- subject: rdte-mou\n  predicate: signedBy\n  object: lloyd-austin\n"
    quote = "  quote: Lloyd Austin opened 2023\n"
    claims.write_text(
        base + claim + '  from: "2023-05"\n  until: "2023"\n' + quote, encoding="utf-8"
    )
    assert len(load_records(root, load_ontology()).claims) == 5
    claims.write_text(
        base + claim + '  from: "2023-05"\n  until: "2022"\n' + quote, encoding="utf-8"
    )
    with pytest.raises(InvalidRecords, match="'until' 2022 is before 'from' 2023-05"):
        load_records(root, load_ontology())


def test_cli_reports_os_errors_without_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    status = main(["synth", "--triples", "200", "--out", str(blocker / "x.nt")])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("Error: ") and "Traceback" not in err


def _normalise_by_character(text: str) -> tuple[str, list[int]]:
    """The definition: whitespace runs to one space (none leading), each kept char's offset."""
    out: list[str] = []
    offsets: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                offsets.append(i)
            in_space = True
        else:
            out.append(ch)
            offsets.append(i)
            in_space = False
    return "".join(out), offsets


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab é\n\t\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\u200b")))
def test_quote_normalisation_collapses_every_unicode_space(text: str) -> None:
    """The word-by-word normalisation the quote check uses agrees with its definition."""
    from graph.claimcheck import normalise

    assert normalise(text) == _normalise_by_character(text)


SPACES_AND_WORDS = st.text(alphabet=st.sampled_from("ab é\n\t\r\x0b\x1c\x85\xa0\u2028\u3000\u200b"))


@settings(max_examples=500, deadline=None)
@given(
    text=SPACES_AND_WORDS, cut=st.tuples(st.integers(0, 40), st.integers(0, 40)), quote=st.text()
)
def test_a_quote_is_found_at_the_span_the_character_definition_gives(
    text: str, cut: tuple[int, int], quote: str
) -> None:
    """The quote check's word-offset search finds what the per-character offsets find."""
    from graph.claimcheck import CollapsedText

    collapsed, offsets = _normalise_by_character(text)
    index = CollapsedText(text)
    for needle in (text[min(cut) : max(cut)], quote, " " + text[min(cut) :] + "\n"):
        wanted, _ = _normalise_by_character(needle.strip())
        at = collapsed.find(wanted)
        expected = (
            None if at < 0 or not wanted else (offsets[at], offsets[at + len(wanted) - 1] + 1)
        )
        assert index.find(needle) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1é_-.… \n\u0301\u00a0٣")))
def test_too_short_to_be_evidence_counts_letters_and_digits_without_spaces(quote: str) -> None:
    from graph.claimcheck import MIN_QUOTE_ALNUM, MIN_QUOTE_CHARS, too_short_to_be_evidence

    kept = [ch for ch in quote if not ch.isspace()]
    alnum = [ch for ch in kept if ch.isalnum()]
    expected = len(kept) < MIN_QUOTE_CHARS or len(alnum) < MIN_QUOTE_ALNUM
    assert too_short_to_be_evidence(quote) is expected
