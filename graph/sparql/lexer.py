"""A small SPARQL tokenizer, shared by everything that reads query text.

It knows just enough of the SPARQL 1.1 lexical grammar to tell apart what may
hold any text (comments, strings, IRIs) from what is structure (keywords,
prefixed names, variables, brackets), so that a keyword or a brace inside a
string or a comment is never taken for one. It does not parse: the engines do.
Depends on nothing else in the project.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:\\.|[^\\])*?\"\"\"|'''(?:\\.|[^\\])*?'''
               |"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\W]+)
  | (?P<bnode>_:[\w.-]*)
  | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w.:%-]|\\[^\s])*)
  | (?P<word>[^\W\d][\w]*)
  | (?P<other>.)
""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One token: its kind (``comment``, ``string``, ``iri``, ``var``,
    ``bnode``, ``pname``, ``word`` or ``other``), its text and its offset."""

    kind: str
    text: str
    start: int


def tokens(sparql: str, *, comments: bool = False) -> Iterator[Token]:
    """The tokens of ``sparql`` in order, without white space (and without
    comments unless asked). An unclosed string runs to the end of its line
    as one ``other`` character at a time, as the engines would refuse it anyway."""
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        if kind == "space" or (kind == "comment" and not comments):
            continue
        yield Token(kind, match.group(0), match.start())


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(sparql: str) -> str:
    r"""The text with SPARQL's codepoint escapes (``\u0053``, ``\U00000053``)
    replaced by their characters, as the SPARQL 1.1 grammar (section 19.2)
    says to do before parsing. An escape of no valid character is kept."""

    def char(match: re.Match[str]) -> str:
        number = int(match.group(1) or match.group(2), 16)
        return (
            chr(number) if number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF else match.group(0)
        )

    return _CODEPOINT.sub(char, sparql)


def declared_prefixes(sparql: str) -> set[str]:
    """The prefixes a query declares (``PREFIX ag: <…>`` gives ``"ag"``).

    Declarations only stand in the prologue, so reading stops where it ends.
    """
    found: set[str] = set()
    expect = "keyword"
    for token in tokens(sparql):
        word = token.text.upper() if token.kind == "word" else ""
        if expect == "keyword" and word in ("PREFIX", "BASE"):
            expect = "name" if word == "PREFIX" else "iri"
        elif expect == "name" and token.kind == "pname":
            found.add(token.text.split(":", 1)[0])
            expect = "iri"
        elif expect == "iri" and token.kind == "iri":
            expect = "keyword"
        else:
            break
    return found


def service_targets(sparql: str) -> list[str | None]:
    """The endpoints the query's ``SERVICE`` clauses would call, as absolute
    IRIs where the text says (resolved against its ``BASE`` and ``PREFIX``
    declarations), ``None`` where it does not (a variable, an undeclared
    prefix, anything unexpected). Looks at the text as written and with its
    codepoint escapes undone, so neither spelling hides a clause."""
    targets: list[str | None] = []
    for text in dict.fromkeys((sparql, unescape_codepoints(sparql))):
        listed = list(tokens(text))
        base, prefixes = "", {}
        for index, token in enumerate(listed):
            nxt = listed[index + 1] if index + 1 < len(listed) else None
            upper = token.text.upper() if token.kind == "word" else ""
            if upper == "BASE" and nxt is not None and nxt.kind == "iri":
                base = urljoin(base, nxt.text[1:-1])
            elif (
                upper == "PREFIX"
                and nxt is not None
                and nxt.kind == "pname"
                and index + 2 < len(listed)
                and listed[index + 2].kind == "iri"
            ):
                prefixes[nxt.text.split(":", 1)[0]] = urljoin(base, listed[index + 2].text[1:-1])
            elif upper == "SERVICE":
                if nxt is not None and nxt.kind == "word" and nxt.text.upper() == "SILENT":
                    nxt = listed[index + 2] if index + 2 < len(listed) else None
                targets.append(_iri_of(nxt, base, prefixes))
    return targets


def _iri_of(token: Token | None, base: str, prefixes: dict[str, str]) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        return urljoin(base, token.text[1:-1])
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes and "\\" not in local:
            return prefixes[prefix] + local
    return None
