"""YAML reading: libyaml's composer and ruamel.yaml give the same values and errors.

:func:`graph.yamlio.parse_yaml` lets libyaml compose the node tree in C and
leaves every file it does not take (errors, aliases, unusual tags, deep
nesting) to ruamel.yaml. These tests compare the two parsers on every kind of
input, pin the YAML 1.2 core schema the records are written in, and check the
guards (aliases, nesting, duplicate and non-text keys) on the fast path.
"""

from __future__ import annotations

import contextlib
import gc
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph import yamlio
from graph.synth_records import write_records
from graph.yamlio import MAX_DEPTH, DataError, LineDict, parse_yaml

VALID = Path(__file__).parent / "data" / "valid"
HERE = Path("x.yaml")

SAMPLES = [
    # the YAML 1.2 core schema: 1.1's booleans, sexagesimals and octals stay text or decimal
    "- id: x\n  label: {en: On, ja: No}\n  aliases: [20:23, 2023-12-22, yes, Off, y, n]\n",
    "%YAML 1.1\n---\na: On\nb: 0o17\nc: true\nd: 017\ne: 1:20\n",
    "%YAML 1.2\n---\na: On\n",
    "%YAML 1.3\n---\na: 1\n",
    "a: 1_000\nb: 0x_1F\nc: 0b101\nd: +12\ne: -0\nf: 0o7\ng: 1e3\nh: .5\ni: -.inf\n"
    "j: .NaN\nk: 1.\nl: 12:30:00\nm: 0.1e+3\nn: 1_0.5\no: 0x\np: 0b2\nq: .inF\nr: 1e\n",
    "a: NULL\nb: Null\nc: nULL\nd: ~\ne:\nf: TRUE\ng: True\nh: tRUE\ni: false\n",
    "a: 2023-12-22T10:00:00Z\nb: 2023-1-2\n2023-01-01: date key\n",
    "a: " + "9" * 5000 + "\n",
    # anchors and aliases
    "a: &x [1]\nb: *x\n",
    "a: &x 1\nb: *x\n",
    "a: &x 1\nb: 2\n",
    "a: &x 1\nb: &x 2\n",
    "a: &x {b: *x}\n",
    "[*a]",
    "a: 'R&D'\nb: \"&x\"\n",
    # keys
    "a: 1\na: 2\n",
    "1: a\n",
    "null: a\n",
    "true: 1\n",
    "? [a, b]\n: 1\n",
    "- [a, b]: c\n",
    "<<: {a: 1}\nb: 2\n",
    "? a\n? b\n",
    "'quoted key': 1\n\"k2\": 2\nkey with spaces: 3\n",
    # tags
    "a: !!binary aGVsbG8=\n",
    "a: !!omap [{a: 1}]\n",
    "a: !!set {a, b}\n",
    "a: !foo bar\n",
    "a: !!str 12\nb: !!int '12'\nc: !!float 1\nd: !!null ''\ne: !!map {}\nf: ! 12\n",
    "a: !!int 'x'\n",
    "a: !!bool maybe\n",
    "a: !!str {b: 1}\n",
    "a: !!timestamp 2001-01-01\n",
    "a: =\n",
    "!!seq [1]",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    # documents and scalars
    "---\na: 1\n---\nb: 2\n",
    "",
    "   \n",
    "# only a comment\n",
    "---\n",
    "a: 1\n...\n",
    "plain text",
    "a: |\n  line\n  two\nb: >\n  folded\n  text\nc: 'it''s'\nd: \"\\u00e9\\n\"\n",
    "{a: 1, b: [x, {c: d}]}",
    "a:\n- 1\n- 2\nb:\n  - c: 1\n    d: 2\n",
    "[20:23]",
    "{a:1}",
    "[a?b]",
    "a: [1,2,]\nb: {c, d}\n",
    "- -\n",
    "a: ---\n",
    # syntax errors and characters
    "a: [\n",
    "a: 'x\n",
    'a: "x\\q"\n',
    "a: b: c\n",
    "a: -\n",
    "\ta: 1\n",
    "a: \t1\n",
    "a: %x\n",
    "a: 1\nb: \x07\n",
    "a: \x85b\n",
    "a: \ufeffx\n",
    "a: \uffff\n",
    "a: \U0001f600\n",
    "a: x\r\nb: y\r\n",
    "a: x\rb: y\r",
    # nesting
    "[" * 20 + "]" * 20,
    "[" * 32 + "]" * 32,
    "[" * 40 + "]" * 40,
    "[" * 2000 + "]" * 2000,
    "[" * 100000 + "]" * 100000,
    "- " * 20 + "x\n",
    "- " * 40 + "x\n",
    "".join("  " * i + "k:\n" for i in range(40)),
]


def _shape(value: Any) -> Any:
    """``value`` with types, mapping lines and key lines spelled out, for ``==``."""
    if isinstance(value, LineDict):
        items = tuple((key, _shape(item)) for key, item in value.items())
        return ("LineDict", value.line, tuple(value.key_lines.items()), items)
    if isinstance(value, list):
        return ("list", tuple(_shape(item) for item in value))
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _outcome(parse: Any, text: str) -> Any:
    try:
        return ("ok", _shape(parse(text, HERE)))
    except DataError as exc:
        return ("error", str(exc), exc.line, exc.field)


def _ruamel_only(text: str, path: Path) -> Any:
    """What :func:`parse_yaml` returned before libyaml composed (ruamel.yaml alone)."""
    return yamlio._parse_ruamel(text.removeprefix("\ufeff"), path)


@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")
@pytest.mark.parametrize("sample", SAMPLES, ids=range(len(SAMPLES)))
def test_libyaml_composer_and_ruamel_give_the_same_values_and_errors(sample: str) -> None:
    assert _outcome(parse_yaml, sample) == _outcome(_ruamel_only, sample)


needs_libyaml = pytest.mark.skipif(
    not getattr(yaml, "__with_libyaml__", False), reason="PyYAML built without libyaml"
)


@needs_libyaml
def test_libyaml_with_its_nesting_limit_is_used() -> None:
    assert yamlio._FAST
    assert yamlio.LIBYAML_COMPOSER.startswith("PyYAML ")


@needs_libyaml
def test_records_are_composed_by_libyaml_with_ruamel_values(tmp_path: Path) -> None:
    write_records(tmp_path, 60, 240, seed=3)
    paths = sorted(tmp_path.rglob("*.yaml")) + sorted(VALID.rglob("*.yaml"))
    assert len(paths) > 10
    for path in paths:
        text = path.read_text(encoding="utf-8")
        value = yamlio._parse_fast(text)
        assert value is not yamlio._UNPARSED, path
        assert _shape(value) == _shape(yamlio._parse_ruamel(text, path)), path


def test_yaml_1_2_core_schema() -> None:
    text = (
        "- a: On\n  b: No\n  c: yes\n  d: 20:23\n  e: 2023-12-22\n  f: true\n  g: False\n"
        "  h: 0o17\n  i: 017\n  j: 1_000\n  k: ~\n  l: .inf\n  m: 0x1F\n  n: '12'\n"
    )
    (record,) = parse_yaml(text, HERE)
    assert record == {
        "a": "On",
        "b": "No",
        "c": "yes",
        "d": "20:23",
        "e": "2023-12-22",
        "f": True,
        "g": False,
        "h": 15,
        "i": 17,
        "j": 1000,
        "k": None,
        "l": math.inf,
        "m": 31,
        "n": "12",
    }
    assert type(record["f"]) is bool and type(record["i"]) is int
    assert record.line == 1
    assert record.key_lines == {key: number for number, key in enumerate(record, start=1)}


def test_a_yaml_1_1_directive_still_reads_yaml_1_2() -> None:
    assert parse_yaml("%YAML 1.1\n---\na: On\nb: 1:20\n", HERE) == {"a": "On", "b": "1:20"}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &x [1]\nb: *x\n", 2),
        ("a: &x text\nb:\n  c: *x\n", 3),
        ("- &x {b: 1}\n- [*x]\n", 2),
        ("a: &x {b: *x}\n", 1),
    ],
)
def test_an_alias_is_refused_with_its_line(text: str, line: int) -> None:
    with pytest.raises(DataError) as caught:
        parse_yaml(text, HERE)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"x.yaml:{line}: yaml: malformed YAML: anchors and aliases")


def test_an_anchor_without_an_alias_and_an_ampersand_in_text_are_read() -> None:
    assert parse_yaml("a: &x [1]\nb: 'R&D'\n", HERE) == {"a": [1], "b": "R&D"}


def _block_mappings(n: int) -> str:
    return "".join("  " * i + "k:\n" for i in range(n - 1)) + "  " * (n - 1) + "k: v\n"


@pytest.mark.parametrize(
    ("nest", "deepest"),
    [
        (lambda n: "[" * n + "x" + "]" * n, 100_000),
        (lambda n: "- " * n + "x\n", 100_000),
        (_block_mappings, 1500),  # past libyaml's own limit of 1,000 (the text grows as n²)
    ],
    ids=["flow", "block-list", "block-mapping"],
)
def test_nesting_deeper_than_the_limit_is_refused(nest: Any, deepest: int) -> None:
    parse_yaml(nest(MAX_DEPTH - 1), HERE)  # lists and mappings, and the value in them
    for depth in (MAX_DEPTH, MAX_DEPTH + 1, deepest):
        with pytest.raises(DataError, match=f"nested deeper than {MAX_DEPTH} levels"):
            parse_yaml(nest(depth), HERE)


def test_duplicate_and_non_text_keys_are_refused_with_their_line() -> None:
    with pytest.raises(DataError, match=r"^x\.yaml:3: yaml: malformed YAML: duplicate key 'a'"):
        parse_yaml("a: 1\nb: 2\na: 3\n", HERE)
    with pytest.raises(DataError, match=r"^x\.yaml:2: yaml: malformed YAML: a key must be text"):
        parse_yaml("a: 1\n2: b\n", HERE)


def test_a_byte_order_mark_is_allowed_at_the_start_only() -> None:
    assert parse_yaml("\ufeffa: 1\n", HERE) == {"a": 1}
    assert parse_yaml("a: \ufeffx\n", HERE) == {"a": "\ufeffx"}


@pytest.mark.parametrize("text", ["a: 1\n", "a: [\n", "a: &x 1\nb: *x\n"])
def test_parsing_leaves_the_garbage_collector_as_it_was(text: str) -> None:
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            with contextlib.suppress(DataError):
                parse_yaml(text, HERE)
            assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
