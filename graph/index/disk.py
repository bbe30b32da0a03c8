"""The query index's tables in SQLite, one file per table, beside a built graph: what a
one-shot process (the CLI) reads. See :mod:`graph.index`."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from graph.errors import QueryError
from graph.files import file_mode, locked, writable
from graph.sparql.binding import bind_parameters
from graph.sparql.catalogue import NamedQuery, anchored_parameters
from graph.sparql.engines import SparqlStore, _json_term
from graph.sparql.results import Results

#: The widest range the timeline table is built with (the calendar's bounds
#: leave room for the day after ``until``).
WIDEST = {"since": "0001", "until": "9998"}


def _first_day(date: str) -> str:
    """The first day a date covers: 2023 → 2023-01-01, 2023-08 → 2023-08-01."""
    return (date + "-01-01"[len(date) - 4 :])[:10]


#: Bumped when the tables' layout or meaning changes: older cache files are rebuilt.
CACHE_VERSION = 6

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE answers (
  query TEXT, key TEXT, seq INTEGER, row TEXT, text TEXT, date TEXT, first TEXT,
  PRIMARY KEY (query, key, seq)
) WITHOUT ROWID;
CREATE TABLE names (
  kind TEXT, key TEXT, ident TEXT, source INTEGER, PRIMARY KEY (kind, key, ident)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE text_index
  USING fts5(query UNINDEXED, text, tokenize = 'trigram case_sensitive 1');
"""


def graph_fingerprint(data: Path) -> str:
    """What tables built from ``data`` (``alliance.nt``) are valid for: its size and
    modification time, and its sha256 where the build's ``manifest.json`` beside it
    gives one for a file of that size (a copy that keeps the times of another build)."""
    stat = data.stat()
    digest = ""
    try:
        listed = json.loads((data.parent / "manifest.json").read_text(encoding="utf-8"))
        entry = listed["outputs"][data.name]
        if entry["bytes"] == stat.st_size:
            digest = str(entry["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return f"{stat.st_size}:{stat.st_mtime_ns}:{digest}"


def _row_key(values: list[Any]) -> str:
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _dump(row: Mapping[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


class DiskIndex:
    """The tables of the indexed named queries, one SQLite file each in a folder.

    A query's table is built by the first process that needs it into a
    temporary file, which then replaces the table's file in one step: readers
    never wait and never see half a table; a second builder waits for the first
    (a lock file) and then reads its table. Each file is marked with the graph's
    fingerprint, the query's text and :data:`CACHE_VERSION`: a rebuilt graph, an
    edited query or another layout makes it stale, and it is built again. Files
    are the cache's own (``<graph dir>/.cache/query-index/``).
    """

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self._resolvers: dict[bool, Any] | None = None

    @classmethod
    def for_graph(cls, data: Path) -> DiskIndex:
        return cls(data.parent / ".cache" / "query-index", graph_fingerprint(data))

    def key(self, query: NamedQuery) -> str:
        digest = hashlib.sha256(query.sparql.encode()).hexdigest()[:16]
        return f"{CACHE_VERSION}:{self.fingerprint}:{digest}"

    def _names_key(self) -> str:
        from graph.resolve import names_query

        digest = hashlib.sha256(names_query().encode()).hexdigest()[:16]
        return f"{CACHE_VERSION}:{self.fingerprint}:{digest}"

    def _file(self, name: str) -> Path:
        return self.folder / f"{name}.sqlite"

    def _read(self, name: str) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self._file(name)}?mode=ro", uri=True)

    def _meta(self, name: str, field: str) -> str | None:
        if not self._file(name).is_file():
            return None
        try:
            with closing(self._read(name)) as db:
                row = db.execute(
                    "SELECT value FROM meta WHERE name = ?", (f"{field}:{name}",)
                ).fetchone()
        except sqlite3.Error:  # not SQLite, or another layout: stale
            return None
        return None if row is None else str(row[0])

    def ready(self, query: NamedQuery) -> bool:
        """Whether ``query``'s table is built for this graph and this text of the query."""
        return self._meta(query.name, "key") == self.key(query)

    def writable(self) -> bool:
        """Whether a table could be written (the cache folder, or the nearest existing
        folder above it, is writable)."""
        return writable(self.folder)

    def ensure(self, query: NamedQuery, store: Callable[[], SparqlStore]) -> None:
        """Build ``query``'s table from the store ``store()`` gives, unless it is ready."""
        if query.index is None or self.ready(query):
            return
        from graph.progress import stage

        def fill(db: sqlite3.Connection) -> None:
            with stage(f"table of {query.name} for this graph (once)"):
                self._write(db, query, store())

        self._build(query.name, self.key(query), fill)

    def _build(self, name: str, key: str, fill: Callable[[sqlite3.Connection], None]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with locked(self.folder / f"{name}.lock"):
            if self._meta(name, "key") == key:  # built by another process while we waited
                return
            for stale in self.folder.glob(f".{name}.*.tmp"):  # of a builder that died
                stale.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
            os.close(fd)
            os.chmod(tmp, file_mode())  # readable as the graph is, not mkstemp's 0600
            try:
                with closing(sqlite3.connect(tmp, isolation_level=None)) as db:
                    db.execute("PRAGMA journal_mode = OFF")  # a new file: all or nothing anyway
                    db.executescript(_SCHEMA)
                    db.execute("BEGIN")
                    fill(db)
                    db.executemany(
                        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                        [(f"key:{name}", key), (f"schema:{name}", str(CACHE_VERSION))],
                    )
                    db.execute("COMMIT")
                os.replace(tmp, self._file(name))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    def _write(self, db: sqlite3.Connection, query: NamedQuery, store: SparqlStore) -> None:
        """Fill a new, empty table file (:meth:`_build`) with ``query``'s rows."""
        meta: dict[str, str] = {}
        if query.index == "table":
            variables, rows = _stream(store, query.sparql)
            names = [p.name for p in query.parameters]
            if not set(names) <= set(variables):
                raise QueryError(
                    f"query {query.name!r} is declared '# index: table' but does not "
                    "project every parameter",
                    path=str(query.path),
                    field="index",
                )
            untabled: list[str] = []

            def keyed() -> Iterator[tuple[str, dict[str, Any]]]:
                for row in rows:
                    values = [row.get(name) for name in names]
                    if None in values:  # a row for every value: not a table, the store answers
                        untabled.append(query.name)
                        return
                    yield _row_key(values), row

            insert_rows(db, query.name, keyed())
            if untabled:
                db.execute("DELETE FROM answers WHERE query = ?", (query.name,))
                meta["untabled"] = "1"
        elif query.index == "text":
            terms = bind_parameters(query, {"name": ""})
            variables, rows = _stream(store, query.sparql, terms)
            db.executemany(
                "INSERT INTO answers (query, key, seq, row, text) VALUES (?, '', ?, ?, ?)",
                (
                    (query.name, seq, _dump(row), str(row["matched"]["value"]).lower())
                    for seq, row in enumerate(rows)
                ),
            )
            # Trigrams of the lower-cased texts, matched exactly (case_sensitive 1): a
            # GLOB of three characters or more finds its rows without reading the others.
            db.execute(
                "INSERT INTO text_index (rowid, query, text) "
                "SELECT seq, query, text FROM answers WHERE query = ? AND key = ''",
                (query.name,),
            )
        elif query.index == "dates":
            terms = bind_parameters(query, WIDEST)
            variables, rows = _stream(store, query.sparql, terms)
            last = ""

            def dated() -> Iterator[tuple[str, int, str, str, str]]:
                nonlocal last
                for seq, row in enumerate(rows):
                    date = str(row["date"]["value"])
                    if date < last:  # the query orders by date text; the page scan relies on it
                        raise AssertionError("timeline rows are not in date order")
                    last = date
                    yield query.name, seq, _dump(row), date, _first_day(date)

            db.executemany(
                "INSERT INTO answers (query, key, seq, row, date, first) "
                "VALUES (?, '', ?, ?, ?, ?)",
                dated(),
            )
            meta["bounds"] = json.dumps(
                [str(terms["since_first"].value), str(terms["until_after"].value)]
            )
        meta["vars"] = json.dumps(variables)
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [(f"{name}:{query.name}", value) for name, value in meta.items()],
        )

    def resolvers(self, store: Callable[[], SparqlStore]) -> dict[bool, Any]:
        """Name resolvers of the graph's entities (without and with the sources), read
        from the names table: each of :meth:`graph.resolve.Resolver.matches`' rules is
        one indexed lookup, so a process resolves a name without reading every name."""
        if self._resolvers is None:
            if self._meta("names", "key") != self._names_key():
                self._build("names", self._names_key(), lambda db: _write_names(db, store()))
            self._resolvers = {
                flag: _StoredNames(self._file("names"), flag) for flag in (False, True)
            }
        return self._resolvers

    def answer(
        self,
        query: NamedQuery,
        terms: Mapping[str, Any],
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> Results | None:
        """As :meth:`NamedQueryIndex.answer`, from the file (the query's table must be
        :meth:`ready`)."""
        page = (-1 if limit is None else limit, offset)
        with closing(self._read(query.name)) as db:
            meta = dict(db.execute("SELECT name, value FROM meta"))
            if meta.get(f"key:{query.name}") != self.key(query):  # replaced meanwhile
                return None
            variables = json.loads(meta[f"vars:{query.name}"])
            if query.index == "table":
                if f"untabled:{query.name}" in meta or any(
                    p.name not in terms for p in query.parameters
                ):
                    return None
                key = _row_key([_json_term(terms[p.name]) for p in query.parameters])
                return Results(variables, keyed_rows(db, query.name, key, limit, offset))
            if query.index == "text" and "name" in terms:
                needle = str(terms["name"].value).lower()
                if "\x00" in needle:
                    return None
                name = _json_term(terms["name"])
                if len(needle) >= 3:  # the trigram index gives the rows; GLOB is exact
                    pattern = "*" + "".join(f"[{c}]" if c in "*?[" else c for c in needle) + "*"
                    cursor = db.execute(
                        "SELECT row FROM answers WHERE query = ? AND key = '' AND seq IN "
                        "(SELECT rowid FROM text_index WHERE query = ? AND text GLOB ?) "
                        "ORDER BY seq LIMIT ? OFFSET ?",
                        (query.name, query.name, pattern, *page),
                    )
                else:  # one or two characters: most rows hold them; a scan stops at the page
                    cursor = db.execute(
                        "SELECT row FROM answers WHERE query = ? AND key = '' "
                        "AND instr(text, ?) > 0 ORDER BY seq LIMIT ? OFFSET ?",
                        (query.name, needle, *page),
                    )
                return Results(variables, [{**json.loads(row), "name": name} for (row,) in cursor])
            if query.index == "dates" and {"since_first", "until_after"} <= set(terms):
                since_first = str(terms["since_first"].value)
                until_after = str(terms["until_after"].value)
                low, high = json.loads(meta[f"bounds:{query.name}"])
                if since_first < low or until_after > high:
                    return None
                # _in_range in SQL: only the rows of the page are read and decoded.
                cursor = db.execute(
                    "SELECT row FROM answers WHERE query = ? AND key = '' AND first >= ? "
                    "AND substr(?, 1, length(date)) > date ORDER BY seq LIMIT ? OFFSET ?",
                    (query.name, since_first, until_after, *page),
                )
                return Results(variables, [json.loads(row) for (row,) in cursor])
        return None


def insert_rows(
    db: sqlite3.Connection, query: str, keyed: Iterable[tuple[str, Mapping[str, Any]]]
) -> None:
    """Write a query's answer rows, each under its key, numbered in the order given."""
    db.executemany(
        "INSERT INTO answers (query, key, seq, row) VALUES (?, ?, ?, ?)",
        ((query, key, seq, _dump(row)) for seq, (key, row) in enumerate(keyed)),
    )


def keyed_rows(
    db: sqlite3.Connection, query: str, key: str, limit: int | None, offset: int
) -> list[dict[str, Any]]:
    """A page of the rows a query's table keeps under ``key``, in their order."""
    cursor = db.execute(
        "SELECT row FROM answers WHERE query = ? AND key = ? ORDER BY seq LIMIT ? OFFSET ?",
        (query, key, -1 if limit is None else limit, offset),
    )
    return [json.loads(row) for (row,) in cursor]


def _write_names(db: sqlite3.Connection, store: SparqlStore) -> None:
    """The names table: the keys of :class:`graph.resolve.Resolver` (id, normal form,
    loose form) of every entity, with whether it is a source."""
    from graph.resolve import Resolver, names_query

    both = Resolver.of_rows(store.query(names_query()).rows)
    sources = set(both[True].labels) - set(both[False].labels)
    db.executemany(
        "INSERT INTO names VALUES (?, ?, ?, ?)",
        ((kind, key, ident, ident in sources) for kind, key, ident in both[True].lookup_keys()),
    )


class _StoredNames:
    """:class:`graph.resolve.Resolver`'s ``matches`` over the names table (its rules, in
    its order: the id, the normal form, the loose form). It suggests nothing: a name
    that matches none goes to the store, whose resolver suggests close ones."""

    def __init__(self, path: Path, sources: bool) -> None:
        self.path = path
        self.sources = sources

    def _ids(self, kind: str, key: str) -> list[str]:
        with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as db:
            cursor = db.execute(
                "SELECT ident FROM names WHERE kind = ? AND key = ? AND (? OR source = 0) "
                "ORDER BY ident",
                (kind, key, self.sources),
            )
            return [ident for (ident,) in cursor]

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and bool(self._ids("id", ident))

    def matches(self, name: str) -> list[str]:
        from graph.resolve import Resolver

        if name in self:
            return [name]
        for kind, key in Resolver.rules(name):
            found = self._ids(kind, key)
            if found:
                return found
        return []

    def suggest(self, name: str) -> list[str]:
        return []


def _stream(
    store: SparqlStore, sparql: str, terms: Mapping[str, Any] | None = None
) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """A query's variables and rows, streamed where the store can (the embedded one)."""
    stream = getattr(store, "stream", None)
    if stream is not None:
        variables, rows = stream(sparql, terms or {})
        return list(variables), rows
    results = store.query(sparql, terms or {})
    return results.variables, iter(results.rows)


def page(results: Results, limit: int | None, offset: int) -> Results:
    """Rows ``offset`` to ``offset + limit`` of ``results`` (all from ``offset`` without a
    limit)."""
    if not offset and limit is None:
        return results
    end = None if limit is None else offset + limit
    return Results(results.variables, results.rows[offset:end], results.boolean)


#: From this many bytes of ``alliance.nt`` on (about 3.4M statements of synthetic
#: data), a query that starts from its parameter (``# anchor:``) is not tabled: the
#: unbound run that fills its table reads the whole graph (``entity``: 104 s at 1M on
#: disk, past 11.6 GB at 10M), while its SPARQL answers an entity at about 5 ms of CPU
#: per claim there; the hubs' answers are kept (:mod:`graph.index.hubs`). A table
#: already built is used.
#: ``ALLIANCE_GRAPH_ANCHORED_TABLE_MAX`` (bytes) sets it.
ANCHORED_TABLE_MAX = 512 << 20


def query_from_index(
    data: Path,
    query: NamedQuery,
    params: Mapping[str, str],
    *,
    limit: int | None = None,
    offset: int = 0,
) -> Results | None:
    """Answer a named query from the tables beside the graph ``data`` (``alliance.nt``),
    building its table first if it is missing or stale; ``None`` if no table answers it
    (the caller runs the SPARQL, which also gives the errors of bad parameters and of
    names nobody has). A query that starts from its parameter on a graph too large to
    table it (:data:`ANCHORED_TABLE_MAX`) is answered by the store, its entities named
    through the names table (resolving them from the store reads every name)."""
    if query.index is None or not set(params) <= {p.name for p in query.parameters}:
        return None
    from graph.sparql.ondisk import open_built, whole_number_setting

    index = DiskIndex.for_graph(data)
    untabled = (
        bool(anchored_parameters(query.sparql))
        and data.stat().st_size
        >= whole_number_setting("ALLIANCE_GRAPH_ANCHORED_TABLE_MAX", ANCHORED_TABLE_MAX)
        and not index.ready(query)
    )
    entity_params = [p for p in query.parameters if p.kind == "entity"]
    if not index.writable() and not (
        (untabled or index.ready(query)) and (not entity_params or index._meta("names", "key"))
    ):
        return None  # a folder we may not write, tables missing: the store answers
    loaded: list[SparqlStore] = []

    def store() -> SparqlStore:
        if not loaded:
            loaded.append(open_built(data))
        return loaded[0]

    try:
        given = dict(params)
        if entity_params:
            from graph.namespaces import ID
            from graph.resolve import entity_parameters

            resolvers = index.resolvers(store)
            given = entity_parameters(query, given, None, resolvers)
        terms = bind_parameters(query, given)  # raises on bad parameters, as the store would
        for param in entity_params:  # only entities the names table holds: others, the store
            iri = str(terms[param.name].value)
            if not iri.startswith(str(ID)) or iri[len(str(ID)) :] not in resolvers[True]:
                return None
        if untabled:  # too large to table in one run: its SPARQL starts from the parameter,
            from graph.index import hubs  # but the few entities with thousands of facts

            if index.writable():
                hubs.ensure(index, query, store)  # are kept, their answers read back
            kept = hubs.answer(index, query, terms, limit=limit, offset=offset)
            if kept is not None:
                return kept
            return page(store().query(query.sparql, terms), limit, offset)
        index.ensure(query, store)
        return index.answer(query, terms, limit=limit, offset=offset)
    except (OSError, sqlite3.Error):  # a folder we may not write: the store answers
        return None
