"""Dates and money amounts found in a sentence, at the precision the text gives.

"January 25, 2024" is a day, "August 2023" a month, "in 2023" a year; a bare
"January 25" takes its year from the document's publication date and says so.
"$2.35 billion" is 2350000000 USD, "254 billion yen" JPY. Values are
:class:`graph.records.PartialDate` and :class:`~decimal.Decimal`, so what is
found here is what the loader accepts. Depends on :mod:`graph.records` only.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal

from graph.records import PartialDate

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_DATE_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # January 25, 2024
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 25 January 2024
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2024-01-25
    re.compile(r"(?P<year>(?:19|20)\d\d)年(?P<mnum>\d{1,2})月(?P<day>\d{1,2})日"),
    re.compile(r"(?P<year>(?:19|20)\d\d)年(?P<mnum>\d{1,2})月"),
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # August 2023
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s*\d)", re.IGNORECASE),  # January 25
    re.compile(rf"\b{_DAY}\s+{_MONTH}\b(?!,?\s*\d)", re.IGNORECASE),  # 25 January
    re.compile(r"(?P<mnum>\d{1,2})月(?P<day>\d{1,2})日"),  # 1月25日
    re.compile(r"(?<![\d$¥€£.,])\b" + _YEAR + r"\b(?![.,]?\d)(?!\s*(?:billion|million))"),
]


@dataclass(frozen=True)
class FoundDate:
    """A date in the text: its value, where it stands, and how it was read."""

    date: PartialDate
    start: int
    end: int
    note: str | None = None


def find_dates(text: str, *, published: str | None = None) -> list[FoundDate]:
    """Every date in ``text``, at its precision, in text order.

    ``published`` (``YYYY[-MM[-DD]]``) gives the year of a date written without
    one; without it such a date is skipped (its year is unknown).

    >>> [d.date.text for d in find_dates("On January 25, 2024 and in August 2023.")]
    ['2024-01-25', '2023-08']
    >>> found = find_dates("On January 25, the White House said", published="2024-03-01")
    >>> found[0].date.text, found[0].note
    ('2024-01-25', "year 2024 taken from the document's published date")
    >>> find_dates("On December 22, Japan", published="2024-01-25")[0].date.text
    '2023-12-22'
    """
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(a < end and start < b for a, b in taken):
                continue
            parts = match.groupdict()
            month = parts.get("month")
            month_no = (
                _MONTHS[month.lower().rstrip(".")]
                if month
                else (int(parts["mnum"]) if parts.get("mnum") else None)
            )
            year, note = parts.get("year"), None
            if year is None:
                if not published:
                    continue
                year = published[:4]
                note = f"year {year} taken from the document's published date"
            text_value = year
            if month_no is not None:
                text_value += f"-{month_no:02d}"
                if parts.get("day"):
                    text_value += f"-{int(parts['day']):02d}"
            try:
                date = PartialDate.parse(text_value)
            except ValueError:
                continue
            if note and published and date.first_day > PartialDate.parse(published).last_day:
                # A report speaks of a day it has seen: "December 22" in a January
                # release is last December.
                year = str(int(year) - 1)
                date = PartialDate.parse(year + text_value[4:])
                note = (
                    f"year {year} inferred: the day falls after the document's published "
                    f"date {published} in {published[:4]}, so it is the year before"
                )
            taken.append((start, end))
            found.append(FoundDate(date, start, end, note))
    return sorted(found, key=lambda d: d.start)


_SCALES = {
    "thousand": 3,
    "million": 6,
    "billion": 9,
    "trillion": 12,
    "k": 3,
    "m": 6,
    "bn": 9,
    "b": 9,
    "mn": 6,
    "万": 4,
    "億": 8,
    "兆": 12,
}
_SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "¥": "JPY",
    "￥": "JPY",
    "jpy": "JPY",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
}
_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "yen": "JPY",
    "円": "JPY",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
}
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|mn|[kmb]\b|万|億|兆))?"
_AMOUNT_PATTERNS = [
    re.compile(
        r"(?P<symbol>US\$|\$|¥|￥|€|£|\b(?:USD|JPY|EUR|GBP)\s?)" + _NUMBER + _SCALE, re.IGNORECASE
    ),
    re.compile(_NUMBER + _SCALE + r"\s*(?P<word>dollars?|yen|円|euros?|pounds)\b", re.IGNORECASE),
    re.compile(_NUMBER + r"(?P<scale>万|億|兆)(?P<word>円)"),
]


@dataclass(frozen=True)
class FoundAmount:
    """A money amount in the text: the value in units of ``currency``, and where."""

    amount: Decimal
    currency: str
    start: int
    end: int


def find_amounts(text: str) -> list[FoundAmount]:
    """Every money amount in ``text`` with its ISO 4217 currency, in text order.

    >>> [(str(a.amount), a.currency) for a in find_amounts("the $2.35 billion sale")]
    [('2350000000', 'USD')]
    >>> [(str(a.amount), a.currency) for a in find_amounts("254 billion yen, ¥3,000")]
    [('254000000000', 'JPY'), ('3000', 'JPY')]
    """
    found: list[FoundAmount] = []
    for pattern in _AMOUNT_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(f.start < end and start < f.end for f in found):
                continue
            parts = match.groupdict()
            symbol = (parts.get("symbol") or "").strip().lower()
            currency = _SYMBOLS.get(symbol) or _WORDS.get((parts.get("word") or "").lower())
            if currency is None:
                continue
            value = Decimal(parts["number"].replace(",", ""))
            scale = (parts.get("scale") or "").lower()
            if scale:
                value = value.scaleb(_SCALES[scale])
            found.append(FoundAmount(_plain(value), currency, start, end))
    return sorted(found, key=lambda a: a.start)


def _plain(value: Decimal) -> Decimal:
    """Drop exponent notation: 2.35E+9 becomes 2350000000."""
    integral = value.to_integral_value()
    return integral.quantize(Decimal(1)) if value == integral else value.normalize()
