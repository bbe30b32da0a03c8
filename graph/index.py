"""Indexes that answer the two named queries whose cost is their answer's size.

At a million statements ``find-entity`` scans every label and alias with a
regular-expression-free ``CONTAINS`` (230 ms) and ``timeline`` joins and sorts
every dated fact (1.3–1.8 s), whatever range is asked. Both queries are run
*once*, with parameters that admit every row (an empty name; the widest date
range), and their answers kept as tables:

- ``find-entity``: the rows in the query's order, and one lower-cased string
  of every matched label joined by NUL, so a name is found by ``str.find``
  (C speed) and mapped back to its rows by bisection;
- ``timeline``: the rows, already sorted by date text; a range is the slice
  between two bisections, filtered by the query's own range test (a date is
  in the range if it is known to be, see ``timeline.rq``).

Each answer keeps the SPARQL answer's rows and order: the filter each query
applies depends only on a row's own values, so filtering the full table
gives what the query gives (``tests/test_index.py`` checks it against the
store on the shipped graph and on a synthetic one). A parameter the table
cannot answer (a range beyond the one tabled, a name holding NUL) gets
``None``: the caller runs the SPARQL. Depends on :mod:`graph.sparql` only.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.sparql.binding import bind_parameters
from graph.sparql.catalogue import NamedQuery
from graph.sparql.engines import SparqlStore, _json_term
from graph.sparql.results import Results

#: The widest range the timeline table is built with (the calendar's bounds
#: leave room for the day after ``until``).
WIDEST = {"since": "0001", "until": "9998"}


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


def _first_day(date: str) -> str:
    """The first day a date covers: 2023 → 2023-01-01, 2023-08 → 2023-08-01."""
    return (date + "-01-01"[len(date) - 4 :])[:10]


def _in_range(date: str, since_first: str, until_after: str) -> bool:
    """``timeline.rq``'s test: the date's first day on or after ``since_first``, and
    the date over before ``until_after`` (compared at the date's precision)."""
    return _first_day(date) >= since_first and until_after[: len(date)] > date


@dataclass
class NamedQueryIndex:
    """Answers ``find-entity`` and ``timeline`` over one loaded, unchanging store.

    Tables are built on first use (one SPARQL query each); build them ahead with
    :meth:`warm`.
    """

    store: SparqlStore
    _find: _FindTable | None = field(default=None, repr=False)
    _timeline: _TimelineTable | None = field(default=None, repr=False)

    NAMES = ("find-entity", "timeline")

    def warm(self, queries: Mapping[str, NamedQuery]) -> None:
        """Build the tables of the named queries given (by name) now."""
        if "find-entity" in queries:
            self._find_table(queries["find-entity"])
        if "timeline" in queries:
            self._timeline_table(queries["timeline"])

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
        if query.name == "find-entity" and "name" in terms:
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
        if query.name == "timeline" and {"since_first", "until_after"} <= set(terms):
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


# --- the tables on disk, for one-shot processes (the CLI) ----------------------------------
#: Bumped when the tables' layout or meaning changes: older cache files are rebuilt.
CACHE_VERSION = 2


def cache_key(data: Path) -> str:
    """What a cache built from ``data`` (``alliance.nt``) is valid for: its size and
    modification time, and the named queries' text."""
    from graph.sparql.catalogue import named_queries

    stat = data.stat()
    texts = "".join(named_queries()[name].sparql for name in NamedQueryIndex.NAMES)
    digest = hashlib.sha256(texts.encode()).hexdigest()[:16]
    return f"{CACHE_VERSION}:{stat.st_size}:{stat.st_mtime_ns}:{digest}"


class DiskIndex:
    """The tables of :class:`NamedQueryIndex` in an SQLite file beside the built graph.

    A process that answers one query (``alliance-graph query timeline``) then
    reads the rows it returns, not the graph: no store to load. The file lives
    in ``<graph dir>/.cache/`` (not a build output), is written atomically, and
    is rebuilt when ``alliance.nt`` or the queries change (:func:`cache_key`).
    """

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key

    @classmethod
    def for_graph(cls, data: Path) -> DiskIndex:
        return cls(data.parent / ".cache" / "query-index.sqlite", cache_key(data))

    def valid(self) -> bool:
        if not self.path.is_file():
            return False
        try:
            with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as db:
                row = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
        except sqlite3.Error:
            return False
        return row is not None and row[0] == self.key

    def build(self, store: SparqlStore) -> None:
        """Run the queries once on ``store`` and write their tables (atomically)."""
        from graph.sparql.catalogue import named_queries

        queries = named_queries()
        index = NamedQueryIndex(store)
        find = index._find_table(queries["find-entity"])
        timeline = index._timeline_table(queries["timeline"])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".query-index.", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        try:
            with closing(sqlite3.connect(tmp)) as db:
                db.executescript(
                    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);"
                    "CREATE TABLE find (id INTEGER PRIMARY KEY, lower TEXT, row TEXT);"
                    "CREATE TABLE timeline (id INTEGER PRIMARY KEY, date TEXT, first TEXT, "
                    "row TEXT);"
                )
                texts = find.blob.split("\x00") if find.results.rows else []
                db.executemany(
                    "INSERT INTO find VALUES (?, ?, ?)",
                    (
                        (i, text, json.dumps(row, ensure_ascii=False))
                        for i, (text, row) in enumerate(zip(texts, find.results.rows, strict=True))
                    ),
                )
                db.executemany(
                    "INSERT INTO timeline VALUES (?, ?, ?, ?)",
                    (
                        (i, date, _first_day(date), json.dumps(row, ensure_ascii=False))
                        for i, (date, row) in enumerate(
                            zip(timeline.dates, timeline.results.rows, strict=True)
                        )
                    ),
                )
                db.execute("CREATE INDEX timeline_date ON timeline (date)")
                db.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [
                        ("key", self.key),
                        ("find_vars", json.dumps(find.results.variables)),
                        ("timeline_vars", json.dumps(timeline.results.variables)),
                        ("since_first", timeline.since_first),
                        ("until_after", timeline.until_after),
                    ],
                )
                db.commit()
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def answer(
        self,
        query: NamedQuery,
        terms: Mapping[str, Any],
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> Results | None:
        """As :meth:`NamedQueryIndex.answer`, from the file (which must be :meth:`valid`)."""
        with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as db:
            meta = dict(db.execute("SELECT name, value FROM meta"))
            if query.name == "find-entity" and "name" in terms:
                needle = str(terms["name"].value).lower()
                if "\x00" in needle:
                    return None
                name = _json_term(terms["name"])
                cursor = db.execute(
                    "SELECT row FROM find WHERE instr(lower, ?) > 0 ORDER BY id LIMIT ? OFFSET ?",
                    (needle, -1 if limit is None else limit, offset),
                )
                rows = [{**json.loads(row), "name": name} for (row,) in cursor]
                return Results(json.loads(meta["find_vars"]), rows)
            if query.name == "timeline" and {"since_first", "until_after"} <= set(terms):
                since_first = str(terms["since_first"].value)
                until_after = str(terms["until_after"].value)
                if since_first < meta["since_first"] or until_after > meta["until_after"]:
                    return None
                # _in_range in SQL: only the rows of the page are read and decoded.
                cursor = db.execute(
                    "SELECT row FROM timeline WHERE first >= ? AND substr(?, 1, length(date)) "
                    "> date ORDER BY id LIMIT ? OFFSET ?",
                    (since_first, until_after, -1 if limit is None else limit, offset),
                )
                return Results(
                    json.loads(meta["timeline_vars"]), [json.loads(row) for (row,) in cursor]
                )
        return None


def page(results: Results, limit: int | None, offset: int) -> Results:
    """Rows ``offset`` to ``offset + limit`` of ``results`` (all from ``offset`` without a
    limit)."""
    if not offset and limit is None:
        return results
    end = None if limit is None else offset + limit
    return Results(results.variables, results.rows[offset:end], results.boolean)


def query_from_index(
    data: Path,
    query: NamedQuery,
    params: Mapping[str, str],
    *,
    limit: int | None = None,
    offset: int = 0,
) -> Results | None:
    """Answer a named query from the disk tables of the graph ``data`` (``alliance.nt``),
    building them first if they are missing or stale; ``None`` if they do not answer it."""
    if query.name not in NamedQueryIndex.NAMES:
        return None
    terms = bind_parameters(query, params)  # raises on bad parameters, as the store would
    index = DiskIndex.for_graph(data)
    try:
        if not index.valid():
            from graph.sparql.engines import EmbeddedStore

            index.build(EmbeddedStore(data, trusted=True))
        return index.answer(query, terms, limit=limit, offset=offset)
    except (OSError, sqlite3.Error):  # a folder we may not write: the store answers
        return None
