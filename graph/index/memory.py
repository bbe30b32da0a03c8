"""The query index over a loaded store: ``text`` and ``dates`` tables in memory, the
``table`` kind in a temporary :class:`~graph.index.disk.DiskIndex`. See :mod:`graph.index`."""

from __future__ import annotations

import bisect
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.index.disk import WIDEST, DiskIndex, _first_day
from graph.sparql.binding import bind_parameters
from graph.sparql.catalogue import NamedQuery
from graph.sparql.engines import SparqlStore, _json_term
from graph.sparql.results import Results


@dataclass
class _FindTable:
    results: Results
    blob: str
    starts: list[int]

    def rows_matching(self, needle: str) -> list[int]:
        found: list[int] = []
        at = self.blob.find(needle)
        while at >= 0:
            row = bisect.bisect_right(self.starts, at) - 1
            found.append(row)
            if row + 1 >= len(self.starts):
                break
            at = self.blob.find(needle, self.starts[row + 1])
        return found


@dataclass
class _TimelineTable:
    results: Results
    dates: list[str]
    since_first: str
    until_after: str
    #: By precision (length of the date text): the row numbers and their dates, in order.
    by_length: dict[int, tuple[list[int], list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, date in enumerate(self.dates):
            ids, dates = self.by_length.setdefault(len(date), ([], []))
            ids.append(i)
            dates.append(date)

    def rows_in_range(self, since_first: str, until_after: str) -> list[int]:
        """Row numbers, in order, of the dates :func:`_in_range` admits.

        Within one precision both halves of the test are monotone in the date text,
        so the rows that pass are one slice found by two bisections.
        """
        found: list[int] = []
        for length, (ids, dates) in self.by_length.items():
            low = bisect.bisect_left(dates, since_first, key=_first_day)
            high = bisect.bisect_left(dates, until_after[:length])
            found += ids[low:high]
        found.sort()
        return found


def _in_range(date: str, since_first: str, until_after: str) -> bool:
    """``timeline.rq``'s test: the date's first day on or after ``since_first``, and
    the date over before ``until_after`` (compared at the date's precision)."""
    return _first_day(date) >= since_first and until_after[: len(date)] > date


class NamedQueryIndex:
    """Answers the indexed named queries over one loaded, unchanging store.

    Tables are built on first use (one SPARQL query each); build them ahead with
    :meth:`warm`. ``folder`` keeps the ``table`` kind's SQLite files there instead
    of in a temporary folder removed with the index.
    """

    def __init__(self, store: SparqlStore, folder: Path | None = None) -> None:
        self.store = store
        self._find: _FindTable | None = None
        self._timeline: _TimelineTable | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if folder is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="query-index-")
            folder = Path(self._tmp.name)
        self.tables = DiskIndex(folder, f"store:{id(store)}")

    def warm(self, queries: Mapping[str, NamedQuery]) -> None:
        """Build the tables of the named queries given (by name) now."""
        for query in queries.values():
            if query.index == "text":
                self._find_table(query)
            elif query.index == "dates":
                self._timeline_table(query)
            elif query.index == "table":
                self.tables.ensure(query, lambda: self.store)

    def answer(
        self,
        query: NamedQuery,
        terms: Mapping[str, Any],
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> Results | None:
        """The rows the store would give for ``query`` bound to ``terms`` (from
        :func:`graph.sparql.binding.bind_parameters`), ``offset`` rows skipped and at most
        ``limit`` kept; ``None`` when no table answers it."""
        if query.index == "text" and "name" in terms:
            needle = str(terms["name"].value).lower()
            if "\x00" in needle:
                return None
            table = self._find_table(query)
            name = _json_term(terms["name"])
            ids = table.rows_matching(needle)
            ids = ids[offset : None if limit is None else offset + limit]
            rows = [
                {"name": name, **{k: v for k, v in table.results.rows[i].items() if k != "name"}}
                for i in ids
            ]
            return Results(table.results.variables, rows)
        if query.index == "dates" and {"since_first", "until_after"} <= set(terms):
            since_first = str(terms["since_first"].value)
            until_after = str(terms["until_after"].value)
            timeline = self._timeline_table(query)
            if since_first < timeline.since_first or until_after > timeline.until_after:
                return None
            kept = timeline.rows_in_range(since_first, until_after)
            end = None if limit is None else offset + limit
            every = timeline.results.rows
            if len(kept) == len(every):  # the whole table (the default range): one copy
                return Results(timeline.results.variables, every[offset:end])
            return Results(timeline.results.variables, [every[i] for i in kept[offset:end]])
        if query.index == "table":
            self.tables.ensure(query, lambda: self.store)
            return self.tables.answer(query, terms, limit=limit, offset=offset)
        return None

    def _find_table(self, query: NamedQuery) -> _FindTable:
        if self._find is None:
            results = self.store.query(query.sparql, bind_parameters(query, {"name": ""}))
            texts = [str(row["matched"]["value"]).lower() for row in results.rows]
            starts, at = [], 0
            for text in texts:
                starts.append(at)
                at += len(text) + 1
            self._find = _FindTable(results, "\x00".join(texts), starts)
        return self._find

    def _timeline_table(self, query: NamedQuery) -> _TimelineTable:
        if self._timeline is None:
            terms = bind_parameters(query, WIDEST)
            results = self.store.query(query.sparql, terms)
            dates = [str(row["date"]["value"]) for row in results.rows]
            if dates != sorted(dates):  # the query orders by date text; the slices rely on it
                raise AssertionError("timeline rows are not in date order")
            self._timeline = _TimelineTable(
                results, dates, str(terms["since_first"].value), str(terms["until_after"].value)
            )
        return self._timeline
