"""Bad records of every kind: one ``Error:`` line naming file, line and field; exit 1.

Regression tests for values that raised tracebacks, hung, or were silently
accepted: bad language tags, dates and addresses, control characters, deep
nesting, complex keys, huge numbers, devices, FIFOs and folders in place of
files, YAML 1.1 surprises, non-ASCII digits, year 0000, quotes too short to
be evidence and irreflexive properties linking an entity to itself.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

import graph.yamlio
from graph.cli import main
from graph.ontology import load_ontology
from graph.records import load_records
from tests.robustness.harness import run_validate, snapshot

DATA = Path(__file__).parent / "data" / "valid"
SOURCE = "sources/memo/source.yaml"
CLAIMS = "sources/memo/claims.yaml"
ENTITIES = "entities/entities.yaml"

CLAIM = "- subject: rdte-mou\n  predicate: signedBy\n  object: lloyd-austin\n"
QUOTE = "  quote: Lloyd Austin opened 2023 by signing the MOU\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def one_error(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``validate``; assert exit 1, one ``Error:`` line, no traceback, nothing written."""
    before = snapshot(root)
    status = main(["validate", "--data", str(root)])
    err = capsys.readouterr().err
    assert status == 1, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert snapshot(root) == before
    return lines[0].removeprefix("Error: ").replace(f"{root}/", "")


# (file, text appended or "=" + whole new content, expected "file:line: field:" prefix)
CASES = {
    "language-tag": (SOURCE, 'language: "en us!"\n', f"{SOURCE}:5: language: 'en us!' is not"),
    "impossible-published": (
        SOURCE,
        'published: "2023-02-30"\n',
        f"{SOURCE}:5: published: '2023-02-30' does not exist",
    ),
    "not-a-url": (SOURCE, 'url: "not a url"\n', f"{SOURCE}:5: url: 'not a url' is not an "),
    "url-with-space": (SOURCE, "url: http://example.org/a b\n", f"{SOURCE}:5: url: "),
    "excerpt-on": (SOURCE, "excerpt: On\n", f"{SOURCE}:5: excerpt: "),
    "control-char": (ENTITIES, "  description: a\x01b\n", f"{ENTITIES}:23: yaml: character "),
    "deep-nesting": (
        ENTITIES,
        "  aliases: " + "[" * 1000 + "]" * 1000 + "\n",
        f"{ENTITIES}:23: yaml: malformed YAML: lists and mappings are nested",
    ),
    "complex-key": (ENTITIES, "  ? [a, b]\n  : x\n", f"{ENTITIES}:23: yaml: malformed YAML: a key"),
    "alias": (
        ENTITIES,
        "  aliases: &a [x]\n  description: *a\n",
        f"{ENTITIES}:24: yaml: malformed YAML: anchors and aliases",
    ),
    "huge-amount": (
        CLAIMS,
        "\n" + CLAIM + '  amount: "1e999999999"\n  currency: USD\n' + QUOTE,
        f"{CLAIMS}:25: amount: '1e999999999' is not a finite number",
    ),
    "boolean-amount": (
        CLAIMS,
        "\n" + CLAIM + "  amount: true\n  currency: USD\n" + QUOTE,
        f"{CLAIMS}:25: amount: True is a boolean, not a number",
    ),
    "sexagesimal-date": (
        CLAIMS,
        "\n" + CLAIM + "  date: 20:23\n" + QUOTE,
        f"{CLAIMS}:25: date: '20:23' is not a date",
    ),
    "fullwidth-digits": (
        CLAIMS,
        "\n" + CLAIM + '  date: "２０２３"\n' + QUOTE,
        f"{CLAIMS}:25: date: '２０２３' is not a date",
    ),
    "year-zero": (
        CLAIMS,
        "\n" + CLAIM + '  date: "0000"\n' + QUOTE,
        f"{CLAIMS}:25: date: '0000' has no year 0000",
    ),
    "one-character-quote": (
        CLAIMS,
        "\n" + CLAIM + "  quote: L\n",
        f"{CLAIMS}:25: quote: quote 'L' is too short to be evidence",
    ),
    "whitespace-quote": (CLAIMS, "\n" + CLAIM + '  quote: "   \\t "\n', f"{CLAIMS}:25: quote: "),
    "spouse-of-oneself": (
        CLAIMS,
        "\n- subject: lloyd-austin\n  predicate: spouse\n"
        "  object: lloyd-austin\n  quote: Lloyd Austin opened 2023\n",
        f"{CLAIMS}:24: object: spouse cannot link 'lloyd-austin' to itself",
    ),
    "sub-organisation-of-itself": (
        CLAIMS,
        "\n- subject: dod\n  predicate: org:subOrganizationOf\n  object: dod\n"
        "  quote: the Division of Protection and\n",
        f"{CLAIMS}:24: object: org:subOrganizationOf cannot link 'dod' to itself",
    ),
    "invalid-utf8": (
        CLAIMS,
        "=" + "- subject: x\n  quote: caf\udce9\n",
        f"{CLAIMS}:2: yaml: is not UTF-8 text",
    ),
    "utf16": (ENTITIES, "=\ufeff- id: x\n", f"{ENTITIES}:1: yaml: is UTF-16 text"),
    "huge-integer": (
        ENTITIES,
        "  description: " + "9" * 5000 + "\n",
        f"{ENTITIES}:23: yaml: malformed YAML: an integer of more than",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_value_gives_one_located_error(
    case: str, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rel, text, expected = CASES[case]
    if text.startswith("="):
        body = text[1:]
        encoded = (
            body.encode("utf-16")
            if case == "utf16"
            else body.encode("utf-8", errors="surrogateescape")
        )
        (root / rel).write_bytes(encoded)
    else:
        append(root, rel, text)
    assert one_error(root, capsys).startswith(expected)


def test_yaml_1_1_surprises_stay_text(root: Path) -> None:
    append(root, CLAIMS, "\n" + CLAIM + "  role: On\n" + QUOTE)
    append(root, ENTITIES, "  aliases: [No, yes, 20:23, 2023-12-22]\n")
    (root / SOURCE).write_text(
        "%YAML 1.1\n---\n" + (root / SOURCE).read_text(encoding="utf-8") + "notes: Off\n",
        encoding="utf-8",
    )
    dataset = load_records(root, load_ontology())
    assert dataset.entities["rdte-mou"].record.aliases == ["No", "yes", "20:23", "2023-12-22"]
    assert dataset.claims[-1].role == "On"
    assert dataset.sources["memo"].record.notes == "Off"


def test_form_feed_and_line_separator_in_text_and_quote_are_accepted(root: Path) -> None:
    text = root / "sources/memo/text.txt"
    text.write_text(
        text.read_text(encoding="utf-8").replace(
            "Lloyd Austin opened", "Lloyd\x0cAustin\u2028opened"
        ),
        encoding="utf-8",
    )
    claims = (
        (root / CLAIMS)
        .read_text(encoding="utf-8")
        .replace(
            "quote: Lloyd Austin opened 2023 by signing the MOU",
            'quote: "Lloyd\\fAustin\\Lopened 2023 by signing the MOU"',
        )
    )
    (root / CLAIMS).write_text(claims, encoding="utf-8")
    dataset = load_records(root, load_ontology())
    assert any(c.quote.startswith("Lloyd\x0cAustin\u2028opened") for c in dataset.claims)


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "folder", "huge"])
def test_only_regular_files_within_the_limit_are_read(kind: str, root: Path) -> None:
    path = root / "entities" / "more.yaml"
    if kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        with path.open("wb") as handle:  # sparse: no disk used
            handle.truncate(graph.yamlio.MAX_FILE_BYTES + 1)
    started = time.perf_counter()
    outcome = run_validate(root, timeout=30)
    assert outcome.status == 1, outcome.err
    assert time.perf_counter() - started < 30
    (line,) = outcome.error_lines
    assert line.startswith(f"Error: {path}: yaml: ")
    assert re.search(r"is not a regular file|is larger than the limit", line)


def test_the_size_limit_applies_to_source_texts(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(graph.yamlio, "MAX_FILE_BYTES", 100)
    text = root / "sources/memo/text.txt"
    assert text.stat().st_size > 100
    entities = (root / ENTITIES).read_text(encoding="utf-8")
    monkeypatch.setattr(
        graph.yamlio,
        "MAX_FILE_BYTES",
        max(text.stat().st_size - 1, len(entities.encode()) + 1, 100),
    )
    text.write_text(text.read_text(encoding="utf-8") * 20, encoding="utf-8")
    assert one_error(root, capsys).startswith(
        "sources/memo/text.txt: text: is larger than the limit"
    )


def test_a_billion_laughs_is_refused_quickly(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ['a0: &a0 ["lol"]'] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)
    ]
    (root / SOURCE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    assert one_error(root, capsys).startswith(f"{SOURCE}:2: yaml: malformed YAML: anchors")
    assert time.perf_counter() - started < 10


YAML_SAMPLES = [
    "- id: x\n  label: {en: On, ja: No}\n  aliases: [20:23, 2023-12-22, yes]\n",
    "%YAML 1.1\n---\na: On\nb: 0o17\nc: true\n",
    "[" * 100000 + "]" * 100000,
    "a: &x [1]\nb: *x\n",
    "a: 1\nb: \x07\n",
    "a: [\n",
    "? [a, b]\n: 1\n",
    "a: 1\na: 2\n",
]


@pytest.mark.parametrize("sample", YAML_SAMPLES)
def test_libyaml_events_and_the_pure_parser_agree(
    sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for use_libyaml in (True, False):
        monkeypatch.setattr(graph.yamlio, "USE_LIBYAML", use_libyaml)
        try:
            data = graph.yamlio.parse_yaml(sample, Path("x.yaml"))
            results.append(("ok", data, getattr(data, "key_lines", None)))
        except graph.yamlio.DataError as exc:
            results.append(("error", exc.line, exc.field))
    assert results[0] == results[1]
