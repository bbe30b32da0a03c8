"""A deterministic corpus of mutated data folders, for robustness tests.

``mutations(seed, n)`` yields ``n`` :class:`Mutation` objects; applying one to a
copy of a small valid data folder (:data:`BASE`) damages it in one way: a field
deleted, duplicated or retyped, a YAML 1.1 surprise, a control character, a
line separator in a text and its quote, a bad date, a huge number, deep
nesting, a YAML tag, an alias bomb, a complex key, a symlink to a device, a
FIFO, a folder or a huge sparse file where a file belongs, an empty file or
binary junk. The same seed gives the same corpus on every machine.

Run as a script to write a corpus for manual inspection::

    python -m tests.robustness.mutate OUT_DIR [N] [SEED]
"""

from __future__ import annotations

import os
import random
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

BASE = Path(__file__).resolve().parent.parent / "data" / "valid"

YAML_FILES = ("entities/entities.yaml", "sources/memo/source.yaml", "sources/memo/claims.yaml")
TEXT_FILE = "sources/memo/text.txt"
ALL_FILES = (*YAML_FILES, TEXT_FILE)

#: Raw YAML scalars put where a value belongs: YAML 1.1 surprises, bad dates,
#: huge numbers, tags and other things a hand-edited file may hold.
RAW_SCALARS = (
    "On",
    "No",
    "yes",
    "off",
    "20:23",
    "2023-12-22",
    "2023-02-30",
    '"2023-02-30"',
    '"0000"',
    '"0000-01-01"',
    '"２０２３"',
    '"2023-1-1"',
    '"1e999999999"',
    "1e999999999",
    ".inf",
    "-.inf",
    ".nan",
    "true",
    "false",
    "null",
    "~",
    '"en us!"',
    '"not a url"',
    '"x"',
    '" "',
    '""',
    "0x7E7",
    "0o17",
    "017",
    "1_000",
    "-1",
    "0",
    "12345678901234567890123456789012345",
    "9" * 5000,
    '"' + "9" * 5000 + '"',
    '"\\x01\\x02"',
    '"a\\u2028b"',
    '"a\\fb"',
    '"\\0"',
    "!!binary aGVsbG8=",
    "!!binary ###",
    "!!set {a}",
    "!!omap [a: 1]",
    '!!python/object/apply:os.system ["true"]',
    "!custom value",
    "!!timestamp 2001-12-14",
    "!!float 1e400",
    "!!int 0x",
    "!!str 2023",
    "[a, b]",
    "{a: 1}",
    "[[[[]]]]",
    "|\n  block\n",
    "&anchor value",
    "*undefined",
    '"' + "long " * 20000 + '"',
    "'single ''quoted'''",
    "http://example.org/a b",
    '"https://example.org/ok"',
    "USD",
    "usd",
    '"1,000"',
)

#: Python values a field is retyped to (written with a YAML dumper).
VALUES: tuple[object, ...] = (
    None,
    True,
    False,
    0,
    -1,
    10**30,
    1.5,
    float("inf"),
    float("nan"),
    [],
    {},
    ["a", 1],
    {"en": None},
    {"x": {"y": ["z"]}},
    "",
    " ",
    "\t",
    "x",
    "On",
    "2023-02-30",
    "0000",
    "２０２３",
    "1e999999999",
    "en us!",
    "not a url",
    "\x00",
    "\x1b[31m",
    "\u2028",
    "\ufeff",
    "a" * 10000,
)

CONTROL = (
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\x9b",
)
SEPARATORS = ("\x0c", "\u2028", "\u2029", "\x85", "\x0b", "\x1c", "\r")
YAML_ESCAPES = {
    "\x0c": "\\f",
    "\u2028": "\\L",
    "\u2029": "\\P",
    "\x85": "\\N",
    "\x0b": "\\v",
    "\x1c": "\\x1c",
    "\r": "\\r",
}
FIELDS = (
    "id",
    "type",
    "label",
    "aliases",
    "title",
    "publisher",
    "kind",
    "url",
    "published",
    "language",
    "subject",
    "predicate",
    "object",
    "value",
    "quote",
    "date",
    "from",
    "until",
    "amount",
    "currency",
    "quantity",
    "rank",
    "rank_reason",
    "copy",
    "words_of",
    "excerpt",
    "role",
    "description",
    "external_ids",
    "colour",
)

_KEY_LINE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[A-Za-z_:]+):(?P<rest>.*)$")


@dataclass(frozen=True)
class Mutation:
    """One way to damage a data folder; ``kind`` names the operator."""

    index: int
    kind: str
    target: str
    detail: str
    apply: Callable[[Path], None]

    @property
    def special_file(self) -> bool:
        """True when the damage is to the file system (no line can be named)."""
        return self.kind in {"special-file", "delete-file"}

    def __str__(self) -> str:
        return f"#{self.index} {self.kind} {self.target}: {self.detail[:60]!r}"


def _read(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def _write(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def _records(data: object) -> list[dict]:
    if isinstance(data, dict):
        return [data]
    return [r for r in data or [] if isinstance(r, dict)]


# --- operators: each returns (target, detail, apply) for a random choice -----------
def _drop_field(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel, pick = rng.choice(YAML_FILES), rng.random()

    def apply(root: Path) -> None:
        data = yaml.safe_load(_read(root, rel))
        record = rng_choice(_records(data), pick)
        if record:
            del record[rng_choice(list(record), pick)]
        _write(root, rel, _dump(data))

    return rel, f"drop a field ({pick:.2f})", apply


def rng_choice(items: list, pick: float) -> object:
    """The item at fraction ``pick`` of ``items`` (None when empty): choices made at
    generation time stay fixed when the folder is mutated."""
    return items[min(int(pick * len(items)), len(items) - 1)] if items else None


def _duplicate(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel, pick, field = rng.choice(YAML_FILES), rng.random(), rng.random() < 0.5

    def apply(root: Path) -> None:
        text = _read(root, rel)
        lines = text.splitlines(keepends=True)
        if field:  # a duplicate key
            keyed = [i for i, ln in enumerate(lines) if _KEY_LINE.match(ln)]
            i = rng_choice(keyed, pick)
            if i is not None:
                copy = re.sub(r"^(\s*)-(\s)", r"\1 \2", lines[i])
                lines.insert(i + 1, copy)
            _write(root, rel, "".join(lines))
        else:  # a duplicate record
            data = yaml.safe_load(text)
            if isinstance(data, list) and data:
                data.append(rng_choice(data, pick))
            _write(root, rel, _dump(data))

    return rel, "duplicate " + ("key" if field else "record"), apply


def _retype(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel, pick, value = rng.choice(YAML_FILES), rng.random(), rng.choice(VALUES)
    field = rng.choice(FIELDS)

    def apply(root: Path) -> None:
        data = yaml.safe_load(_read(root, rel))
        record = rng_choice(_records(data), pick)
        if record is not None:
            record[field] = value
        _write(root, rel, _dump(data))

    return rel, f"{field} = {value!r}", apply


def _raw_scalar(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel, pick, scalar = rng.choice(YAML_FILES), rng.random(), rng.choice(RAW_SCALARS)

    def apply(root: Path) -> None:
        lines = _read(root, rel).splitlines(keepends=True)
        keyed = [i for i, ln in enumerate(lines) if _KEY_LINE.match(ln)]
        i = rng_choice(keyed, pick)
        if i is not None:
            m = _KEY_LINE.match(lines[i])
            assert m is not None
            lines[i] = f"{m['lead']}{m['key']}: {scalar}\n"
        _write(root, rel, "".join(lines))

    return rel, scalar, apply


def _claim(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    """A new claim from random parts: self-links, short or whitespace quotes, odd dates."""
    ids = ["usa", "dod", "mod-japan", "lloyd-austin", "rdte-mou", "nobody"]
    predicates = [
        "spouse",
        "hasParty",
        "signedBy",
        "org:subOrganizationOf",
        "counterpartOf",
        "reportsTo",
        "replaces",
        "date",
        "budget",
        "nope",
    ]
    subject = rng.choice(ids)
    obj = subject if rng.random() < 0.4 else rng.choice(ids)
    quote = rng.choice(
        [
            "x",
            " ",
            "\u3000",
            "the",
            "...",
            "Division of Protection",
            "Lloyd Austin opened 2023",
            "the MOU between the Division",
            "Protection\u2028and",
            "ＭＯＵ",
        ]
    )
    extra = rng.choice(
        [
            "",
            "  date: 20:23\n",
            '  date: "２０２３"\n',
            '  date: "0000"\n',
            "  amount: true\n  currency: USD\n",
            '  amount: "1e999999999"\n  currency: USD\n',
            "  value: On\n",
            "  from: 2023\n  until: 2022\n",
            "  quantity: -3\n",
            "  role: On\n",
        ]
    )
    text = (
        f"\n- subject: {subject}\n  predicate: {rng.choice(predicates)}\n"
        f"  object: {obj}\n{extra}  quote: {yaml.safe_dump(quote).splitlines()[0]}\n"
    )

    def apply(root: Path) -> None:
        rel = "sources/memo/claims.yaml"
        _write(root, rel, _read(root, rel) + text)

    return "sources/memo/claims.yaml", text, apply


def _control_char(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel, pick, char = rng.choice(YAML_FILES), rng.random(), rng.choice(CONTROL)

    def apply(root: Path) -> None:
        text = _read(root, rel)
        at = int(pick * len(text))
        _write(root, rel, text[:at] + char + text[at:])

    return rel, f"{char!r} inserted", apply


def _separator_in_text_and_quote(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    """A form feed or U+2028 in the text and in the quote that spans it (valid input)."""
    sep = rng.choice(SEPARATORS)

    def apply(root: Path) -> None:
        text = _read(root, TEXT_FILE).replace(
            "Division of Protection", f"Division{sep}of Protection", 1
        )
        _write(root, TEXT_FILE, text)
        claims = _read(root, "sources/memo/claims.yaml").replace(
            "quote: the Division of Protection\n",
            f'quote: "the Division{YAML_ESCAPES[sep]}of Protection"\n',
        )
        _write(root, "sources/memo/claims.yaml", claims)

    return TEXT_FILE, f"{sep!r} in text and quote", apply


def _truncate(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel, pick = rng.choice(ALL_FILES), rng.random()

    def apply(root: Path) -> None:
        data = (root / rel).read_bytes()
        _write(root, rel, data[: int(pick * len(data))])

    return rel, f"cut at {pick:.2f}", apply


def _junk(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel = rng.choice(ALL_FILES)
    junk = rng.choice(
        [
            bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))),
            b"\xff\xfe" + "id: x\n".encode("utf-16-le"),
            b"\xef\xbb\xbf\xef\xbb\xbfid: x\n",
            b"\xed\xa0\x80",
            b"\xc3\x28",
            b"\x00" * 64,
            b"\xef\xbb\xbf",
            "\ufeff".encode() * 3,
        ]
    )
    mode = rng.choice(["replace", "append", "prepend"])

    def apply(root: Path) -> None:
        data = (root / rel).read_bytes()
        new = {"replace": junk, "append": data + junk, "prepend": junk + data}[mode]
        _write(root, rel, new)

    return rel, f"{mode} {junk[:20]!r}", apply


def _nesting(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel, depth = rng.choice(YAML_FILES), rng.choice([40, 100, 1000, 10000, 100000])
    style = rng.choice(["flow-list", "flow-map", "block"])

    def apply(root: Path) -> None:
        if style == "flow-list":
            value = "[" * depth + "]" * depth
        elif style == "flow-map":
            value = "{a: " * depth + "x" + "}" * depth
        else:
            value = "\n" + "".join("  " * (i + 2) + "- \n" for i in range(min(depth, 3000)))
        _write(root, rel, _read(root, rel).rstrip("\n") + f"\n  aliases: {value}\n")

    return rel, f"{style} nesting {depth} deep", apply


def _alias_bomb(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel, levels = rng.choice(YAML_FILES), rng.choice([3, 9, 12])
    lines = ['lol0: &a0 ["lol"]']
    lines += [f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]

    def apply(root: Path) -> None:
        body = "\n".join(lines)
        text = (
            f"- id: bomb\n  type: Nation\n  label: {{en: Bomb}}\n  x: {{{', '.join(lines)}}}\n"
            if rel.startswith("entities")
            else body + "\n"
        )
        _write(root, rel, text)

    return rel, f"billion laughs, {levels} levels", apply


def _complex_key(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel = rng.choice(YAML_FILES)
    key = rng.choice(
        [
            "? [a, b]\n  : x",
            "? {a: 1}\n  : x",
            "[a]: x",
            "1: x",
            "true: x",
            "null: x",
            "? |\n    block\n  : x",
        ]
    )

    def apply(root: Path) -> None:
        text = _read(root, rel).rstrip("\n")
        if rel.endswith("source.yaml"):
            text += "\n" + key.replace("\n  ", "\n") + "\n"
        else:
            text += f"\n  {key}\n"
        _write(root, rel, text)

    return rel, key, apply


def _empty(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel = rng.choice(ALL_FILES)
    content = rng.choice(
        [
            "",
            " \n",
            "---\n",
            "~\n",
            "[]\n",
            "{}\n",
            "- \n",
            "# only a comment\n",
            "%YAML 1.1\n---\nid: On\n",
            "...\n",
            "- - - -\n",
        ]
    )
    return rel, repr(content), lambda root: _write(root, rel, content)


def _special_file(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel = rng.choice([*ALL_FILES, "entities/extra.yaml"])
    what = rng.choice(
        ["dev-zero", "dev-null", "fifo", "folder", "dangling", "loop", "huge", "self-dir"]
    )

    def apply(root: Path) -> None:
        path = root / rel
        if path.exists() or path.is_symlink():
            path.unlink()
        if what == "dev-zero":
            path.symlink_to("/dev/zero")
        elif what == "dev-null":
            path.symlink_to("/dev/null")
        elif what == "fifo":
            os.mkfifo(path)
        elif what == "folder":
            path.mkdir()
        elif what == "dangling":
            path.symlink_to(root / "does-not-exist")
        elif what == "loop":
            path.symlink_to(path)
        elif what == "huge":  # sparse: costs no disk
            with path.open("wb") as handle:
                handle.truncate(11 * 1024 * 1024)
        else:
            path.symlink_to(path.parent)

    return rel, what, apply


def _delete_file(rng: random.Random) -> tuple[str, str, Callable[[Path], None]]:
    rel = rng.choice([*ALL_FILES, "entities", "sources", "sources/memo"])

    def apply(root: Path) -> None:
        path = root / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    return rel, "deleted", apply


OPERATORS: dict[str, Callable[[random.Random], tuple[str, str, Callable[[Path], None]]]] = {
    "drop-field": _drop_field,
    "duplicate": _duplicate,
    "retype": _retype,
    "raw-scalar": _raw_scalar,
    "claim": _claim,
    "control-char": _control_char,
    "separator": _separator_in_text_and_quote,
    "truncate": _truncate,
    "junk": _junk,
    "nesting": _nesting,
    "alias-bomb": _alias_bomb,
    "complex-key": _complex_key,
    "empty": _empty,
    "special-file": _special_file,
    "delete-file": _delete_file,
}


def mutations(seed: int, n: int) -> Iterator[Mutation]:
    """``n`` mutations, every operator in turn, their choices drawn from ``seed``."""
    kinds = list(OPERATORS)
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        kind = kinds[i % len(kinds)]
        target, detail, apply = OPERATORS[kind](rng)
        yield Mutation(i, kind, target, detail, apply)


def materialise(mutation: Mutation, root: Path) -> Path:
    """A copy of :data:`BASE` at ``root`` with ``mutation`` applied."""
    shutil.copytree(BASE, root)
    mutation.apply(root)
    return root


if __name__ == "__main__":
    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    for m in mutations(seed, count):
        materialise(m, out / f"{m.index:04d}-{m.kind}")
        print(m)
