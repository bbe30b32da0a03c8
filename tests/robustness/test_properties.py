"""Property-based tests of the record loader (hypothesis, derandomised: same examples in CI).

Across all tests here: :data:`TOTAL_EXAMPLES` generated examples.

- any text, put in any field of an entity, source or claim (as a quoted string
  or as raw YAML), is loaded or refused with :class:`~graph.errors.DataError`
  naming the file and line — never another exception;
- any bytes or text as a YAML file: parsed or refused with ``DataError``;
- a quote cut from any unicode text is found in it, at offsets that give back
  the same words;
- :meth:`PartialDate.parse` of anything returns a real date or raises ValueError.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.claimcheck import normalise, too_short_to_be_evidence
from graph.dates import PartialDate
from graph.errors import DataError, InvalidRecords
from graph.ontology import load_ontology
from graph.records import load_records
from graph.yamlio import parse_yaml, read_yaml
from tests.robustness.mutate import BASE

ONTOLOGY = load_ontology()

EXAMPLES = {"fields": 700, "quote": 400, "dates": 900, "yaml_text": 500, "yaml_bytes": 300}
TOTAL_EXAMPLES = sum(EXAMPLES.values())


def _settings(name: str) -> settings:
    return settings(
        max_examples=EXAMPLES[name],
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def yaml_string(text: str) -> str:
    """``text`` as a double-quoted YAML scalar: every character not printable ASCII escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


#: The YAML files of the base folder, each field a line ``key: value`` we can replace.
FIELD_LINES = (
    [("entities/entities.yaml", key) for key in ("id", "type", "label", "aliases")]
    + [("sources/memo/source.yaml", key) for key in ("id", "title", "publisher", "kind")]
    + [
        ("sources/memo/claims.yaml", key)
        for key in ("subject", "predicate", "object", "quote", "date")
    ]
    + [
        ("sources/memo/source.yaml", key)
        for key in ("url", "published", "language", "copy", "words_of", "excerpt", "notes")
    ]
    + [
        ("sources/memo/claims.yaml", key)
        for key in ("amount", "currency", "quantity", "from", "until", "role", "rank", "value")
    ]
)

TEXTS = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def _copy_base() -> Path:
    root = Path(tempfile.mkdtemp(prefix="records-prop-")) / "data"
    shutil.copytree(BASE, root)
    return root


def _set_field(root: Path, rel: str, key: str, value: str) -> None:
    """Replace the first ``key:`` line of ``rel``, or add the key to its first record."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"^(\s*(?:-\s+)?){re.escape(key)}:.*$", re.M)
    if pattern.search(text):
        text = pattern.sub(lambda m: f"{m.group(1)}{key}: {value}", text, count=1)
    else:
        lines = text.splitlines()
        first = next(i for i, ln in enumerate(lines) if re.match(r"^-?\s*\w+:", ln))
        indent = "  " if lines[first].startswith("- ") else ""
        lines.insert(first + 1, f"{indent}{key}: {value}")
        text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")


@_settings("fields")
@given(field=st.sampled_from(FIELD_LINES), text=TEXTS, raw=st.booleans())
def test_any_text_in_any_field_loads_or_fails_with_a_located_error(
    field: tuple[str, str], text: str, raw: bool
) -> None:
    rel, key = field
    root = _copy_base()
    try:
        value = text.replace("\n", " ").replace("\r", " ") if raw else yaml_string(text)
        _set_field(root, rel, key, value)
        try:
            load_records(root, ONTOLOGY)
        except InvalidRecords as exc:
            for error in exc.errors:
                assert isinstance(error, DataError)
                assert error.path is not None and error.path.startswith(str(root))
                assert "\n" not in str(error)
                if Path(error.path).is_file():
                    assert error.line is not None and error.line >= 1
    finally:
        shutil.rmtree(root.parent)


@_settings("quote")
@given(
    data=st.data(),
    text=st.text(st.characters(exclude_categories=("Cs",)), min_size=8, max_size=300),
)
def test_a_quote_cut_from_any_text_is_found_at_offsets_giving_the_same_words(
    data: st.DataObject, text: str
) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    root = _copy_base()
    try:
        (root / "sources/memo/text.txt").write_bytes(text.encode("utf-8"))
        (root / "sources/memo/claims.yaml").write_text(
            f"- subject: rdte-mou\n  predicate: hasParty\n  object: dod\n"
            f"  quote: {yaml_string(quote)}\n",
            encoding="utf-8",
        )
        try:
            dataset = load_records(root, ONTOLOGY)
        except InvalidRecords as exc:
            assert too_short_to_be_evidence(quote), str(exc)
            assert [e.field for e in exc.errors] == ["quote"]
            return
        assert not too_short_to_be_evidence(quote)
        (claim,) = dataset.claims
        kept = dataset.sources["memo"].text[claim.quote_start : claim.quote_end]
        assert kept == claim.quote
        assert normalise(kept)[0] == normalise(quote.strip())[0]
    finally:
        shutil.rmtree(root.parent)


DATE_LIKE = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z"),  # any unicode digits
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates().map(str),
)


@_settings("dates")
@given(value=DATE_LIKE)
def test_partial_date_parse_returns_a_real_date_or_raises_value_error(value: object) -> None:
    try:
        parsed = PartialDate.parse(value)
    except ValueError:
        return
    assert re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", parsed.text, re.ASCII)
    first, last = date.fromisoformat(parsed.first_day), date.fromisoformat(parsed.last_day)
    assert date(1, 1, 1) <= first <= last
    assert parsed.contains(PartialDate.parse(parsed.first_day))


@_settings("yaml_text")
@given(text=st.text(max_size=200))
def test_any_text_parses_as_yaml_or_fails_with_a_data_error(text: str) -> None:
    try:
        parse_yaml(text, Path("fuzz.yaml"))
    except DataError as exc:
        assert exc.path == "fuzz.yaml"
        assert exc.line is None or exc.line >= 1


@_settings("yaml_bytes")
@given(data=st.binary(max_size=300))
def test_any_bytes_read_as_yaml_or_fail_with_a_data_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        try:
            read_yaml(path)
        except DataError as exc:
            assert exc.path == str(path)
