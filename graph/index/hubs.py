"""The answers of a graph's hubs, kept for a query too large to table whole.

On a graph of millions of statements a query that starts from its parameter
(``# anchor:``, :data:`graph.index.disk.ANCHORED_TABLE_MAX`) is not tabled: its
unbound run reads the whole graph. Its SPARQL then answers an entity at a cost
that grows with the entity's claims: on the on-disk store of ten million
synthetic statements, ``entity`` takes about 5 ms of CPU per claim about the
entity (0.5 s for 100 claims; 22 s for the largest hub, 5,906 claims).
The hubs are few (207 entities of 100 claims or more there), so their answers
are kept: the first process that needs them counts each
entity's claims in the store, runs the query for each entity of
:data:`HUB_CLAIMS` claims or more, and writes the rows to
``<graph dir>/.cache/query-index/<query>-hubs.sqlite`` (built, replaced and
made stale as every table of :class:`graph.index.disk.DiskIndex`). A hub's answer
is then read from it, paged; any other entity's is the SPARQL's.

The rows are those the SPARQL gives for that entity, in its order: the same
query, run once per hub (``tests/test_index.py`` compares them).
``ALLIANCE_GRAPH_HUB_CLAIMS`` sets the threshold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextlib import closing
from typing import TYPE_CHECKING, Any

from graph.sparql.binding import anchored_parameters, bind_parameters
from graph.sparql.engines import _json_term
from graph.sparql.results import Results

if TYPE_CHECKING:
    import sqlite3

    from graph.index.disk import DiskIndex
    from graph.sparql.catalogue import NamedQuery
    from graph.sparql.engines import SparqlStore

#: Claims (as subject or object of the claimed fact) from which an entity's answer is
#: kept: at ten million statements, 207 entities, answered in about 5 minutes once.
HUB_CLAIMS = 100
SETTING = "ALLIANCE_GRAPH_HUB_CLAIMS"

#: Entities and how many claims are about them, from ``min`` on (rdf:subject and
#: rdf:object are the claims' reification of the fact they state).
_COUNT = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?entity (COUNT(*) AS ?claims) WHERE {
  { ?claim rdf:subject ?entity } UNION { ?claim rdf:object ?entity FILTER (isIRI(?entity)) }
  FILTER (STRSTARTS(STR(?entity), "%s"))
}
GROUP BY ?entity HAVING (COUNT(*) >= %d)
ORDER BY ?entity"""


def threshold() -> int:
    """:data:`HUB_CLAIMS`, or ``ALLIANCE_GRAPH_HUB_CLAIMS`` (a whole number)."""
    from graph.sparql.ondisk import bytes_setting

    return bytes_setting(SETTING, HUB_CLAIMS, unit="claims")


def _parameter(query: NamedQuery) -> str | None:
    """The one entity parameter the query starts from, if that is what it has."""
    anchored = anchored_parameters(query.sparql)
    names = [p.name for p in query.parameters]
    if len(names) == 1 and set(names) == anchored:
        param = query.parameters[0]
        return param.name if param.kind == "entity" else None
    return None


def _name(query: NamedQuery) -> str:
    return f"{query.name}-hubs"


def _key(index: DiskIndex, query: NamedQuery) -> str:
    return f"{index.key(query)}:hubs:{threshold()}"


def ensure(index: DiskIndex, query: NamedQuery, store: Callable[[], SparqlStore]) -> None:
    """Build the hubs' table of ``query`` unless it is ready (or the query has no one
    entity parameter it starts from)."""
    param = _parameter(query)
    if param is None or index._meta(_name(query), "key") == _key(index, query):
        return
    from graph.progress import stage

    def fill(db: sqlite3.Connection) -> None:
        with stage(f"answers of the hubs for {query.name} (once for this graph)"):
            _write(db, query, param, store())

    index._build(_name(query), _key(index, query), fill)


def _write(db: sqlite3.Connection, query: NamedQuery, param: str, store: SparqlStore) -> None:
    from graph.index.disk import _row_key, _stream, insert_rows
    from graph.namespaces import ID

    counted = store.query(_COUNT % (ID, threshold()))
    variables: list[str] | None = None
    for row in counted.rows:
        iri = str(row["entity"]["value"])
        terms = bind_parameters(query, {param: iri[len(str(ID)) :]})
        key = _row_key([_json_term(terms[param])])
        found, rows = _stream(store, query.sparql, terms)
        variables = variables or found
        insert_rows(db, query.name, ((key, answer) for answer in rows))
        db.execute("INSERT INTO meta VALUES (?, ?)", (f"hub:{key}", str(row["claims"]["value"])))
    db.execute("INSERT INTO meta VALUES (?, ?)", (f"vars:{_name(query)}", json.dumps(variables)))


def answer(
    index: DiskIndex,
    query: NamedQuery,
    terms: Mapping[str, Any],
    *,
    limit: int | None = None,
    offset: int = 0,
) -> Results | None:
    """The kept answer when ``terms`` name a hub, a page of it; ``None`` otherwise (not a
    hub, no table, or a stale one: the SPARQL answers)."""
    from graph.index.disk import _row_key, keyed_rows

    param = _parameter(query)
    name = _name(query)
    if param is None or param not in terms or not index._file(name).is_file():
        return None
    key = _row_key([_json_term(terms[param])])
    with closing(index._read(name)) as db:
        meta = dict(
            db.execute(
                "SELECT name, value FROM meta WHERE name IN (?, ?, ?)",
                (f"key:{name}", f"vars:{name}", f"hub:{key}"),
            )
        )
        if meta.get(f"key:{name}") != _key(index, query) or f"hub:{key}" not in meta:
            return None
        variables = json.loads(meta[f"vars:{name}"]) or []
        return Results(variables, keyed_rows(db, query.name, key, limit, offset))
