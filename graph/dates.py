"""Dates at their precision, and the one rule for comparing them.

A source that says "opened 2023" gives a year, not 2023-01-01. Every consumer —
records, store parameters, the NetworkX ``as_of`` filter, reconciliation of
claims, the analysis, the notebooks and the explorer (which is handed the
bounds computed here) — compares partial dates through this module:

- a partial date is the span of days it covers ("2023-02" is 2023-02-01 …
  2023-02-28);
- two dates are *compatible* when one span contains the other ("2023" and
  "2023-01-12"); the one with the smaller span *refines* the other; otherwise
  they *conflict* ("2023-01-11" and "2023-01-12");
- a fact holds *as of* a date when it may have started by the end of that
  date's span and may not have ended before its start (:func:`valid_as_of`).

Depends on :mod:`graph.errors` only.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.errors import InvalidOptionError

# ASCII digits only: "２０２３" is not a date a reader can compare.
_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$", re.ASCII)

#: The forms a date may take, for error messages.
DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2023, 2023-12 or 2023-12-22"

#: Precisions from coarsest to finest.
PRECISIONS = ("year", "month", "day")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date with year, year-month or full-day precision.

    >>> PartialDate.parse("2023-08")
    PartialDate(text='2023-08')
    >>> PartialDate.parse("2023-08").precision
    'month'
    """

    text: str

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError otherwise."""
        text = str(value).strip() if isinstance(value, int | str) else None
        match = _DATE_RE.match(text or "")
        if text is None or match is None:
            raise ValueError(f"{value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD, quoted")
        year, month, day = match.groups()
        if int(year) == 0:
            raise ValueError(f"{text!r} has no year 0000: the calendar starts at year 0001")
        if month is not None and not 1 <= int(month) <= 12:
            raise ValueError(f"{text!r} has no month {month}")
        if day is not None:
            last = calendar.monthrange(int(year), int(month))[1]
            if not 1 <= int(day) <= last:
                raise ValueError(f"{text!r} does not exist: {year}-{month} has {last} days")
        return cls(text)

    @property
    def precision(self) -> str:
        """``"year"``, ``"month"`` or ``"day"``."""
        return {4: "year", 7: "month", 10: "day"}[len(self.text)]

    @property
    def first_day(self) -> str:
        """The first day the date covers: "2023" → "2023-01-01"."""
        return self.text + {4: "-01-01", 7: "-01", 10: ""}[len(self.text)]

    @property
    def last_day(self) -> str:
        """The last day the date covers: "2023-02" → "2023-02-28"."""
        if len(self.text) == 10:
            return self.text
        if len(self.text) == 4:
            return self.text + "-12-31"
        year, month = (int(x) for x in self.text.split("-"))
        return f"{self.text}-{calendar.monthrange(year, month)[1]:02d}"

    def contains(self, other: PartialDate) -> bool:
        """True if every day of ``other`` is a day of this date.

        >>> PartialDate("2023").contains(PartialDate("2023-01-12"))
        True
        """
        return other.text.startswith(self.text)

    def compatible(self, other: PartialDate) -> bool:
        """True if one date's span contains the other's: they may name the same day.

        >>> PartialDate("2023-01").compatible(PartialDate("2023-01-12"))
        True
        >>> PartialDate("2023-01-11").compatible(PartialDate("2023-01-12"))
        False
        """
        return self.contains(other) or other.contains(self)

    def finer_than(self, other: PartialDate) -> bool:
        """True if this date is strictly more precise than ``other``."""
        return len(self.text) > len(other.text)


def date_bounds(value: str | date, *, field: str = "as_of") -> tuple[date, date]:
    """The first and last day a date of year, month or day precision covers.

    Parameters
    ----------
    value : str or datetime.date
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    field : str, optional
        Named in the error message.

    Raises
    ------
    InvalidOptionError
        If ``value`` is not one of the accepted forms or is not a real date.

    Examples
    --------
    >>> date_bounds("2023")
    (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    >>> date_bounds("2024-02")[1]
    datetime.date(2024, 2, 29)
    """
    if isinstance(value, date):
        return value, value
    text = str(value).strip()
    try:
        parsed = PartialDate.parse(text)
    except ValueError:
        raise InvalidOptionError(
            f"{text!r} is not a date", field=field, hint=f"use {DATE_FORMS}"
        ) from None
    return date.fromisoformat(parsed.first_day), date.fromisoformat(parsed.last_day)


def validity(evidence: Iterable[dict[str, Any]]) -> tuple[str | None, str | None]:
    """The span in which a fact with this evidence may hold, as ISO days (or None: open).

    Its start is the first day of the earliest ``date`` (point in time) or
    ``valid_from`` of its claims; its end the last day of the latest
    ``valid_until``. The explorer receives these two days for every fact, so
    that its as-of slider applies exactly this rule.

    >>> validity([{"date": "2023"}, {"valid_until": "2024-02"}])
    ('2023-01-01', '2024-02-29')
    >>> validity([{"quote": "undated"}])
    (None, None)
    """
    starts = [
        PartialDate.parse(e[k]).first_day
        for e in evidence
        for k in ("date", "valid_from")
        if e.get(k)
    ]
    ends = [PartialDate.parse(e["valid_until"]).last_day for e in evidence if e.get("valid_until")]
    return (min(starts) if starts else None), (max(ends) if ends else None)


def valid_as_of(evidence: Iterable[dict[str, Any]], as_of: str | date) -> bool:
    """Whether a fact with this evidence holds as of a date.

    The rule: a fact none of whose claims is dated always holds. Otherwise it
    holds if it may have started by the last day of ``as_of`` and may not have
    ended before its first day (:func:`validity` gives the fact's span). Partial
    dates are compared as the spans they cover, so a fact of "2023" holds as of
    2023-06-01, and a fact of 2023-12-22 holds as of "2023".

    Examples
    --------
    >>> valid_as_of([{"date": "2023"}], "2023-06-01")
    True
    >>> valid_as_of([{"valid_from": "2021", "valid_until": "2022-03"}], "2022-04")
    False
    >>> valid_as_of([{"quote": "undated"}], "1900")
    True
    """
    first, last = date_bounds(as_of)
    start, end = validity(evidence)
    if start is not None and date.fromisoformat(start) > last:
        return False
    return not (end is not None and date.fromisoformat(end) < first)
