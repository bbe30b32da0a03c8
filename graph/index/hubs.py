"""The answers of a graph's hubs, kept for a query too large to table whole.

On a graph of millions of statements a query that starts from its parameter
(``# anchor:``, :data:`graph.index.disk.ANCHORED_TABLE_MAX`) is not tabled: its
unbound run reads the whole graph. Its SPARQL then answers an entity at a cost
that grows with the entity's claims: on the on-disk store of ten million
synthetic statements, ``entity`` takes about 5 ms of CPU per claim about the
entity (0.1 s for 20 claims; 22 s for the largest hub, 5,906 claims).
So the answers of the hubs, the entities of :data:`HUB_CLAIMS` claims or more, are
kept: the first process that needs them counts each entity's claims in the
store, makes every hub's answer and writes the rows to
``<graph dir>/.cache/query-index/<query>-hubs.sqlite`` (built, replaced and
made stale as every table of :class:`graph.index.disk.DiskIndex`). A hub's answer
is then read from it, paged; any other entity's is the SPARQL's.

A query that reads nothing beyond its entity's neighbourhood (``# reach:
neighbourhood``, :func:`neighbourhood`) has its hubs' answers made a batch at a
time: the statements within reach of a batch of hubs are copied into a small
store in memory, and the query runs there once, unbound. At ten million
statements, the 3,459 entities of 20 claims or more were answered in 314 s of
CPU and 870 MB (the 207 of 100 or more took 430 s one at a time before).
Any other query is run once for each hub, from it.

The rows are those the SPARQL gives for that entity, in its order
(``tests/test_index.py`` compares them, for every entity of the shipped graph and
of a synthetic one). ``ALLIANCE_GRAPH_HUB_CLAIMS`` sets the threshold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from typing import TYPE_CHECKING, Any

from graph.sparql.binding import bind_parameters
from graph.sparql.catalogue import anchored_parameters
from graph.sparql.engines import _json_term
from graph.sparql.results import Results

if TYPE_CHECKING:
    import sqlite3

    from graph.index.disk import DiskIndex
    from graph.sparql.catalogue import NamedQuery
    from graph.sparql.engines import SparqlStore

#: Claims (as subject or object of the claimed fact) from which an entity's answer is
#: kept: at ten million statements 3,459 entities, answered in about 5 minutes once;
#: the SPARQL of an entity of 15-19 claims took 80-100 ms there, in a fresh process.
HUB_CLAIMS = 20
SETTING = "ALLIANCE_GRAPH_HUB_CLAIMS"

#: Entities and how many claims are about them, those whose count passes the test
#: (rdf:subject and rdf:object are the claims' reification of the fact they state).
_COUNT = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?entity (COUNT(*) AS ?claims) WHERE {
  { ?claim rdf:subject ?entity } UNION { ?claim rdf:object ?entity FILTER (isIRI(?entity)) }
  FILTER (STRSTARTS(STR(?entity), "%s"))
}
GROUP BY ?entity HAVING (COUNT(*) %s %d)
ORDER BY ?entity"""


def claim_counts(store: SparqlStore, *, hubs: bool = True) -> list[tuple[str, int]]:
    """Each entity's IRI and how many claims are about it, in IRI order: the hubs (of
    :func:`threshold` claims or more), or with ``hubs=False`` the entities of fewer
    claims than that (but at least one)."""
    from graph.namespaces import ID

    rows = store.query(_COUNT % (ID, ">=" if hubs else "<", threshold())).rows
    return [(str(row["entity"]["value"]), int(row["claims"]["value"])) for row in rows]


def threshold() -> int:
    """:data:`HUB_CLAIMS`, or ``ALLIANCE_GRAPH_HUB_CLAIMS`` (a whole number)."""
    from graph.sparql.ondisk import whole_number_setting

    return whole_number_setting(SETTING, HUB_CLAIMS, unit="claims")


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
    from graph.index.disk import _row_key

    hubs = claim_counts(store)
    variables: list[str] | None = None
    oxigraph = getattr(store, "store", None)  # the embedded store's pyoxigraph store
    if query.reach == "neighbourhood" and oxigraph is not None:
        for batch in _batches(hubs):
            variables = _write_neighbourhoods(db, query, param, oxigraph, batch) or variables
    else:
        for iri, _ in hubs:
            variables = _write_one(db, query, param, store, iri) or variables
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        ((f"hub:{_row_key([_json_term(_node(iri))])}", str(claims)) for iri, claims in hubs),
    )
    db.execute("INSERT INTO meta VALUES (?, ?)", (f"vars:{_name(query)}", json.dumps(variables)))


def _write_one(
    db: sqlite3.Connection, query: NamedQuery, param: str, store: SparqlStore, iri: str
) -> list[str]:
    """One hub's answer, by its SPARQL started from it."""
    from graph.index.disk import _row_key, _stream, insert_rows
    from graph.namespaces import ID

    terms = bind_parameters(query, {param: iri[len(str(ID)) :]})
    key = _row_key([_json_term(terms[param])])
    found, rows = _stream(store, query.sparql, terms)
    insert_rows(db, query.name, ((key, answer) for answer in rows))
    return found


def _write_neighbourhoods(
    db: sqlite3.Connection,
    query: NamedQuery,
    param: str,
    oxigraph: Any,
    batch: list[tuple[str, int]],
) -> list[str]:
    """The answers of a batch of hubs, by the query run once, unbound, over a store of
    their neighbourhoods only (``# reach: neighbourhood``): each hub's rows are those
    the query gives it over the whole graph, in its order; the rows of the other
    nodes the store holds are incomplete, and dropped."""
    import pyoxigraph as ox

    from graph.index.disk import _row_key, _stream, insert_rows
    from graph.sparql.engines import EmbeddedStore

    nodes = [_node(iri) for iri, _ in batch]
    small = ox.Store()
    small.bulk_extend(neighbourhood(oxigraph, nodes))
    found, rows = _stream(EmbeddedStore.of_store(small), query.sparql)
    wanted = {_row_key([_json_term(node)]) for node in nodes}
    kept: dict[str, list[dict[str, Any]]] = {key: [] for key in wanted}
    for row in rows:
        key = _row_key([row.get(param)])
        if key in wanted:
            kept[key].append(row)
    insert_rows(db, query.name, ((key, row) for key, answer in kept.items() for row in answer))
    return found


def _node(iri: str) -> Any:
    import pyoxigraph as ox

    return ox.NamedNode(iri)


#: Claims about the hubs of one batch: the store of their neighbourhoods holds about
#: ten statements a claim (a few hundred thousand at most, in memory for a moment).
BATCH_CLAIMS = 20_000


def _batches(hubs: list[tuple[str, int]]) -> Iterator[list[tuple[str, int]]]:
    """The hubs in batches of about :data:`BATCH_CLAIMS` claims (a larger hub alone)."""
    batch: list[tuple[str, int]] = []
    claims = 0
    for hub in hubs:
        if batch and claims + hub[1] > BATCH_CLAIMS:
            yield batch
            batch, claims = [], 0
        batch.append(hub)
        claims += hub[1]
    if batch:
        yield batch


def neighbourhood(store: Any, entities: Iterable[Any]) -> list[Any]:
    """The statements of the pyoxigraph ``store`` within reach of ``entities``: what
    a query of ``# reach: neighbourhood`` reads for each of them.

    That is, in the default graph: the statements of each entity; those of every
    claim whose ``rdf:subject`` or ``rdf:object`` it is, and those whose object is
    such a claim (``?finer ag:refines ?claim``); and the statements of every node
    these name (the other end and its labels, the claim's source, its predicate and
    what the ontology says of it). Duplicates may repeat.
    """
    import pyoxigraph as ox

    from graph.vocab import OBJECT, SUBJECT

    default = ox.DefaultGraph()
    ends = (ox.NamedNode(str(SUBJECT)), ox.NamedNode(str(OBJECT)))
    found: list[Any] = []
    named: set[Any] = set()
    entities = list(entities)
    claims: set[Any] = set()
    for entity in entities:
        for quad in store.quads_for_pattern(entity, None, None, default):
            found.append(quad)
            named.add(quad.object)
        for end in ends:
            claims.update(q.subject for q in store.quads_for_pattern(None, end, entity, default))
    for claim in claims:
        for quad in store.quads_for_pattern(claim, None, None, default):
            found.append(quad)
            named.add(quad.object)
        for quad in store.quads_for_pattern(None, None, claim, default):
            found.append(quad)
            named.add(quad.subject)
    named.difference_update(entities, claims)  # their statements are in already
    for node in named:
        if isinstance(node, ox.NamedNode | ox.BlankNode):
            found.extend(store.quads_for_pattern(node, None, None, default))
    return found


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
