"""Text normalisation for matching, with a map back to the original characters.

Owns what "the same words" means when a mention is compared with a label:
Unicode compatibility forms (NFKC), case, diacritics, dashes and quote marks,
runs of whitespace. Every normalised character remembers the offset of the
original character it came from, so a match in normalised text is a span of
the source text, exactly. Also splits text into sentences and tells word
boundaries. Depends on nothing else in the package.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹘﹣－"), "-")
_QUOTES = {**dict.fromkeys(map(ord, "‘’‚‛′`´"), "'"), **dict.fromkeys(map(ord, "“”„‟″"), '"')}
_TRANSLATE = {**_DASHES, **_QUOTES}


@dataclass(frozen=True)
class Normalised:
    """Normalised text and, for each of its characters, the source offset it came from.

    ``offsets`` has one entry more than ``text``: the end of the source, so that
    a match ``[i, j)`` in ``text`` is ``[offsets[i], offsets[j - 1] + 1)`` in the source.
    """

    text: str
    offsets: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of the normalised span ``[start, end)``."""
        return self.offsets[start], self.offsets[end - 1] + 1


def _fold_char(ch: str, casefold: bool) -> str:
    if ch.isascii():
        return ch.lower() if casefold else ch
    decomposed = unicodedata.normalize("NFKD", ch.translate(_TRANSLATE))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = unicodedata.normalize("NFKC", kept)
    return kept.casefold() if casefold else kept


def normalise(text: str, *, casefold: bool = True) -> Normalised:
    """Normalise ``text`` for matching, keeping the offset of every character.

    Case (unless ``casefold=False``), diacritics, full-width forms, dashes and
    quote marks are folded; whitespace runs become one space.

    >>> n = normalise("Japan’s  Ministry — Défense")
    >>> n.text
    "japan's ministry - defense"
    >>> n.span(17, 18)
    (18, 19)
    """
    out: list[str] = []
    offsets: list[int] = []
    for match in _RUNS.finditer(text):
        start, end = match.span()
        run = match.group()
        if run[0].isspace():
            if out and end < len(text):
                out.append(" ")
                offsets.append(start)
        elif run.isascii():
            # The common case, 1:1: one C-level call per word, not one per character.
            out.append(run.lower() if casefold else run)
            offsets.extend(range(start, end))
        else:
            for i, ch in enumerate(run, start):
                folded = _fold_char(ch, casefold)
                out.append(folded)
                offsets.extend([i] * len(folded))
    offsets.append(len(text))
    return Normalised("".join(out), offsets)


_RUNS = re.compile(r"\s+|\S+")


def fold(text: str, *, casefold: bool = True) -> str:
    """The normalised form of ``text`` alone (for labels and cue words).

    >>> fold("Glide‐Part  Interceptor")
    'glide-part interceptor'
    """
    if text.isascii():  # the common case, without the offsets normalise keeps
        folded = " ".join(text.split())
        return folded.lower() if casefold else folded
    return normalise(text.strip(), casefold=casefold).text


def is_cjk(ch: str) -> bool:
    """True for Han, kana and CJK punctuation: scripts written without spaces."""
    code = ord(ch)
    return (
        0x3000 <= code <= 0x30FF
        or 0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF66 <= code <= 0xFF9F
    )


def is_word_char(ch: str) -> bool:
    """True for a letter, digit or ``&`` (as in "RDT&E") of a script written with spaces."""
    if ch.isascii():
        return ch.isalnum() or ch == "&"
    return ch.isalnum() and not is_cjk(ch)


def at_boundary(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` does not begin or end inside a word.

    Edges in CJK scripts always qualify: they have no spaces to look for.

    >>> at_boundary("Japanese", 0, 5), at_boundary("Japan's", 0, 5)
    (False, True)
    """
    if start > 0 and is_word_char(text[start]) and is_word_char(text[start - 1]):
        return False
    return not (end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]))


# Words ending with a full stop that do not end a sentence.
_ABBREVIATIONS = frozenset(
    str.split(
        "mr mrs ms dr st jr sr gen lt col maj capt adm sgt gov sen rep no nos vs etc inc corp co "
        "ltd dept jan feb mar apr jun jul aug sep sept oct nov dec fig approx est"
    )
)
_SENTENCE_END = re.compile(r"[.!?。！？]+[\"'”’)\]]*(?=\s|$)|[。！？]|\n")


@functools.lru_cache(maxsize=16)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the sentences of ``text``, without surrounding whitespace.

    A full stop after an abbreviation ("Mr.", "Jan.") or an initial ("U.S.", "J.")
    does not end a sentence unless a line ends there.

    >>> text = "The U.S. and Japan met. Mr. Austin spoke.\\nNext line"
    >>> [text[a:b] for a, b in sentences(text)]
    ['The U.S. and Japan met.', 'Mr. Austin spoke.', 'Next line']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group().startswith(".") and "\n" not in text[end : end + 1]:
            word = re.search(r"([\w.]+)$", text[start : match.start()])
            token = word.group(1) if word else ""
            if token.lower() in _ABBREVIATIONS or re.fullmatch(r"(?:\w\.)+\w|\w", token):
                continue
        _append(text, start, end, spans)
        start = end
    _append(text, start, len(text), spans)
    return tuple(spans)


def _append(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
