"""The query index answers every query it declares exactly as the SPARQL does."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from graph.index import DiskIndex, NamedQueryIndex
from graph.sparql.binding import bind_parameters
from graph.sparql.catalogue import get_named_query, named_queries
from graph.sparql.engines import EmbeddedStore
from graph.synth import write_synthetic


def copied_graph(built_dir: Path, tmp_path: Path) -> Path:
    """The shipped build's ``alliance.nt`` in a graph folder of the test's own (its
    tables and store are made beside it)."""
    graph_dir = tmp_path / "graph"
    graph_dir.mkdir()
    data = graph_dir / "alliance.nt"
    shutil.copy(built_dir / "alliance.nt", data)
    return data


def entity_rows(data: Path, entity: str) -> list[dict[str, object]]:
    """``entity``'s answer for ``entity`` by SPARQL on the graph ``data``."""
    store = EmbeddedStore(data, trusted=True)
    query = get_named_query("entity")
    return store.query(query.sparql, bind_parameters(query, {"entity": entity}, store)).rows


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    path = write_synthetic(tmp_path_factory.mktemp("index") / "g.nt", 20_000, seed=11)
    return EmbeddedStore(path, trusted=True)


@pytest.fixture(scope="module")
def shipped(built_dir: Path) -> EmbeddedStore:
    return EmbeddedStore(built_dir)


def names(store: EmbeddedStore, rng: random.Random) -> list[str]:
    """Pieces of real labels in several cases, and names nothing has."""
    labels = [
        row["label"]
        for row in store.query(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT ?label WHERE { ?e rdfs:label ?label } ORDER BY ?label LIMIT 2000"
        )
    ]
    picked = []
    for label in rng.sample(labels, 12):
        start = rng.randrange(len(label))
        piece = label[start : start + rng.randint(1, 8)]
        picked += [piece, piece.upper()]
    # GLOB's own characters, cased letters beyond ASCII, and Japanese: the disk
    # index's trigram search must give what CONTAINS gives.
    odd = ["*", "?", "[", "a*b", "rdt&e", "[x]", "ÉTAT", "é", "ミサイル", "防衛省", "e–j"]
    return [*picked, "", "a", "no such name at all", "ministry", "ミ", *odd]


def dates(rng: random.Random) -> list[tuple[str, str]]:
    def one() -> str:
        year = rng.randint(1985, 2030)
        return rng.choice(
            [
                f"{year}",
                f"{year}-{rng.randint(1, 12):02d}",
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            ]
        )

    pairs = [("1900", "2100"), ("2023", "2023"), ("2023-06", "2024"), ("2022", "2023-06")]
    for _ in range(10):
        a, b = sorted((one(), one()))
        pairs.append((a, b))
    return pairs


@pytest.mark.parametrize("which", ["shipped", "synthetic"])
def test_index_answers_are_the_sparql_answers(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """find-entity and timeline from the tables in memory and from the SQLite file."""
    store = request.getfixturevalue(which)
    index = NamedQueryIndex(store)
    disk = DiskIndex(tmp_path / "index", "test")
    rng = random.Random(3)
    find = get_named_query("find-entity")
    timeline = get_named_query("timeline")
    for query in (find, timeline):
        disk.ensure(query, lambda: store)
    some = 0
    for name in names(store, rng):
        terms = bind_parameters(find, {"name": name})
        expected = store.query(find.sparql, terms)
        for got in (index.answer(find, terms), disk.answer(find, terms)):
            assert got is not None
            assert got.variables == expected.variables
            assert got.rows == expected.rows, name
        some += len(expected.rows) > 0
    assert some > 5
    for since, until in dates(rng):
        terms = bind_parameters(timeline, {"since": since, "until": until})
        expected = store.query(timeline.sparql, terms)
        for got in (index.answer(timeline, terms), disk.answer(timeline, terms)):
            assert got is not None
            assert got.rows == expected.rows, (since, until)


def test_pages_are_slices_of_the_answer(synthetic: EmbeddedStore) -> None:
    index = NamedQueryIndex(synthetic)
    timeline = get_named_query("timeline")
    terms = bind_parameters(timeline, {"since": "2000", "until": "2010"})
    whole = index.answer(timeline, terms)
    assert whole is not None and len(whole) > 30
    page = index.answer(timeline, terms, limit=10, offset=20)
    assert page is not None and page.rows == whole.rows[20:30]
    find = get_named_query("find-entity")
    terms = bind_parameters(find, {"name": "a"})
    everything = index.answer(find, terms)
    first = index.answer(find, terms, limit=5)
    assert everything is not None and first is not None
    assert first.rows == everything.rows[:5]


def test_what_the_table_cannot_answer_goes_to_sparql(synthetic: EmbeddedStore) -> None:
    index = NamedQueryIndex(synthetic)
    find = get_named_query("find-entity")
    assert index.answer(find, bind_parameters(find, {"name": "a\x00b"})) is None
    assert index.answer(get_named_query("entity"), {}) is None  # no parameter: no key


def entities_to_ask(store: EmbeddedStore) -> list[str]:
    """Ids of the entities with the most claims, of programmes that build on others, of
    entities nothing is claimed about, and of sources."""
    prefix = (
        "PREFIX ag: <https://w3id.org/alliance-graph/ontology#> "
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        "PREFIX dcterms: <http://purl.org/dc/terms/> "
    )
    picks = [
        "SELECT ?e WHERE { ?c rdf:subject ?e } GROUP BY ?e ORDER BY DESC(COUNT(*)) ?e LIMIT 6",
        "SELECT ?e WHERE { ?c rdf:object ?e } GROUP BY ?e ORDER BY DESC(COUNT(*)) ?e LIMIT 4",
        "SELECT DISTINCT ?e WHERE { ?e ag:buildsOn ?x } ORDER BY ?e LIMIT 6",
        "SELECT ?e WHERE { ?e dcterms:identifier ?id FILTER NOT EXISTS { ?c rdf:subject ?e } "
        "FILTER NOT EXISTS { ?c rdf:object ?e } } ORDER BY ?e LIMIT 3",
        "SELECT ?e WHERE { ?e a ag:Source } ORDER BY ?e LIMIT 2",
    ]
    found = [row["e"] for sparql in picks for row in store.query(prefix + sparql)]
    return list(dict.fromkeys(iri.rsplit("/", 1)[-1] for iri in found))


TABLED = [name for name, query in named_queries().items() if query.index == "table"]


@pytest.mark.parametrize("which", ["shipped", "synthetic"])
def test_every_tabled_query_answers_as_sparql(which: str, request: pytest.FixtureRequest) -> None:
    """Rows, order and variables of each ``# index: table`` query, for entities of every
    kind (hubs, programmes, entities with no fact, sources), whole and by pages."""
    store: EmbeddedStore = request.getfixturevalue(which)
    index = NamedQueryIndex(store)
    asked = entities_to_ask(store)
    assert TABLED and asked
    for name in TABLED:
        query = get_named_query(name)
        (param,) = query.parameters or (None,)
        given = [{}] if param is None else [{param.name: ident} for ident in asked]
        answered = 0
        for params in given:
            terms = bind_parameters(query, params, store)
            expected = store.query(query.sparql, terms)
            got = index.answer(query, terms)
            assert got is not None, (name, params)
            assert (got.variables, got.rows) == (expected.variables, expected.rows), (name, params)
            paged = index.answer(query, terms, limit=3, offset=1)
            assert paged is not None and paged.rows == expected.rows[1:4]
            answered += bool(expected.rows)
        # The entities asked are picked so that each keyed table is hit, not only missed.
        assert answered or param is None, f"{name}: no entity asked gave rows"


def test_a_table_whose_rows_lack_the_parameter_is_left_to_sparql(
    synthetic: EmbeddedStore, tmp_path: Path
) -> None:
    """A query declared ``table`` whose parameter is unbound in some rows cannot be split
    by it (those rows join every value): the index declines and the store answers."""
    from graph.sparql.catalogue import parse_named_query

    path = tmp_path / "loose.rq"
    path.write_text(
        "# title: t\n# param: entity (entity) = x — e\n# index: table\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?entity ?label WHERE { ?x rdfs:label ?label OPTIONAL { ?x rdfs:seeAlso ?entity } }"
        " ORDER BY ?label LIMIT 5\n"
    )
    query = parse_named_query(path)
    some = entities_to_ask(synthetic)[0]
    assert (
        NamedQueryIndex(synthetic).answer(query, bind_parameters(query, {"entity": some})) is None
    )


def test_a_table_query_must_project_its_parameters(
    synthetic: EmbeddedStore, tmp_path: Path
) -> None:
    from graph.errors import QueryError
    from graph.sparql.catalogue import parse_named_query

    path = tmp_path / "hidden.rq"
    path.write_text(
        "# title: t\n# param: entity (entity) = x — e\n# index: table\n"
        "SELECT ?o WHERE { ?entity ?p ?o } LIMIT 1\n"
    )
    query = parse_named_query(path)
    with pytest.raises(QueryError, match="does not project every parameter"):
        NamedQueryIndex(synthetic).warm({"hidden": query})


def test_an_unknown_index_kind_is_an_error_at_its_line(tmp_path: Path) -> None:
    from graph.errors import QueryError
    from graph.sparql.catalogue import parse_named_query

    path = tmp_path / "bad.rq"
    path.write_text("# title: t\n# index: everything\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QueryError) as caught:
        parse_named_query(path)
    assert caught.value.line == 2 and caught.value.field == "index"


def test_cli_pages_and_the_disk_index_match_sparql(
    built_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from graph.cli import main

    graph_dir = copied_graph(built_dir, tmp_path).parent
    store = EmbeddedStore(graph_dir / "alliance.nt", trusted=True)

    def cli(*args: str) -> list[dict[str, object]]:
        assert main(["query", *args, "--format", "sparql-json", "--graph-dir", str(graph_dir)]) == 0
        return json.loads(capsys.readouterr().out)["results"]["bindings"]

    timeline = get_named_query("timeline")
    expected = store.query(timeline.sparql, bind_parameters(timeline, {"since": "2023"})).rows
    assert len(expected) > 5
    assert cli("timeline", "-p", "since=2023") == expected
    cache = graph_dir / ".cache" / "query-index" / "timeline.sqlite"
    assert cache.is_file()
    assert cli("timeline", "-p", "since=2023", "--limit", "3", "--offset", "2") == expected[2:5]
    find = get_named_query("find-entity")
    expected = store.query(find.sparql, bind_parameters(find, {"name": "Japan"})).rows
    assert expected and cli("find-entity", "-p", "name=Japan") == expected
    # A listing, from its table, paged.
    types = cli("entities-by-type")
    assert cli("entities-by-type", "--limit", "2", "--offset", "1") == types[1:3]
    # A tabled query with an entity given by its label: resolved from the names table,
    # the same rows as the store's; a name nobody has is the store's error.
    entity = get_named_query("entity")
    label = store.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l WHERE { "
        "<https://w3id.org/alliance-graph/id/mod-japan> rdfs:label ?l FILTER (lang(?l) = 'en') }"
    ).rows[0]["l"]["value"]
    card = store.query(entity.sparql, bind_parameters(entity, {"entity": "mod-japan"}, store)).rows
    assert len(card) > 3
    assert cli("entity", "-p", f"entity={label.upper()}") == card
    assert cli("entity", "-p", "entity=mod-japan", "--limit", "2", "--offset", "1") == card[1:3]
    assert (
        main(
            [
                "query",
                "entity",
                "-p",
                "entity=Ministry of Defence of Nowhere",
                "--graph-dir",
                str(graph_dir),
            ]
        )
        == 1
    )
    assert "no entity" in capsys.readouterr().err
    # A source's id is an entity all the same: the card, as the store gives it.
    source = store.query(
        "PREFIX ag: <https://w3id.org/alliance-graph/ontology#> "
        "SELECT ?s WHERE { ?s a ag:Source } ORDER BY ?s LIMIT 1"
    ).rows[0]["s"]["value"]
    ident = source.rsplit("/", 1)[-1]
    by_store = store.query(entity.sparql, bind_parameters(entity, {"entity": ident}, store)).rows
    assert by_store and cli("entity", "-p", f"entity={ident}") == by_store
    # A page beyond SQLite's integers is a usage error, not a traceback.
    assert main(["query", "exports", "--offset", str(2**64), "--graph-dir", str(graph_dir)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    # A rebuilt graph makes the cache stale: it is built again from the new file,
    # and answers for the new graph.
    nt = graph_dir / "alliance.nt"
    kept = [
        line
        for line in nt.read_text(encoding="utf-8").splitlines(keepends=True)
        if "/mod-japan> <http://www.w3.org/2000/01/rdf-schema#label>" not in line
    ]
    nt.write_text("".join(kept), encoding="utf-8")
    changed = EmbeddedStore(nt, trusted=True)
    fewer = changed.query(entity.sparql, bind_parameters(entity, {"entity": "mod-japan"}, changed))
    assert len(fewer.rows) < len(card)
    assert cli("entity", "-p", "entity=mod-japan") == fewer.rows


def test_range_bisection_is_the_range_test() -> None:
    from graph.index import _in_range, _TimelineTable
    from graph.sparql.results import Results

    rng = random.Random(5)
    dates = sorted(
        rng.choice([f"{y}", f"{y}-{m:02d}", f"{y}-{m:02d}-{d:02d}"])
        for y, m, d in (
            (rng.randint(1995, 2005), rng.randint(1, 12), rng.randint(1, 28)) for _ in range(3000)
        )
    )
    table = _TimelineTable(Results(["date"]), dates, "0001-01-01", "9999-01-01")
    for since, until in dates_of_days(rng):
        expected = [i for i, d in enumerate(dates) if _in_range(d, since, until)]
        assert table.rows_in_range(since, until) == expected


def dates_of_days(rng: random.Random) -> list[tuple[str, str]]:
    pairs = []
    for _ in range(300):
        a = f"{rng.randint(1994, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        b = f"{rng.randint(1994, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        pairs.append((min(a, b), max(a, b)))
    return pairs


def test_a_damaged_or_older_cache_file_is_replaced(built_dir: Path, tmp_path: Path) -> None:
    """The cache is ours to rebuild: garbage, or tables of another layout, are replaced
    and the answer is the store's."""
    import sqlite3

    from graph.index import query_from_index

    data = copied_graph(built_dir, tmp_path)
    graph_dir = data.parent
    query = get_named_query("entity")
    expected = entity_rows(data, "dod")
    folder = graph_dir / ".cache" / "query-index"
    folder.mkdir(parents=True)
    files = [folder / "entity.sqlite", folder / "names.sqlite"]
    for damage in (b"not a database at all\n" * 50, None):
        for cache in files:
            cache.unlink(missing_ok=True)
            if damage is None:  # an SQLite file of an older layout
                with sqlite3.connect(cache) as db:
                    db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
                    db.execute("CREATE TABLE names (row TEXT)")
            else:
                cache.write_bytes(damage)
        got = query_from_index(data, query, {"entity": "Department of Defense"})
        assert got is not None and got.rows == expected
        for cache in files:
            with sqlite3.connect(cache) as db:
                assert db.execute("SELECT count(*) FROM meta").fetchone()[0] > 0


def test_processes_building_one_table_at_once_agree(built_dir: Path, tmp_path: Path) -> None:
    """Three CLI processes asking at once for a table nobody has built: each prints
    the store's answer (one builds, the others wait for it and read it)."""
    import json
    import subprocess
    import sys

    graph_dir = copied_graph(built_dir, tmp_path).parent
    expected = entity_rows(graph_dir / "alliance.nt", "dod")
    command = [
        sys.executable,
        "-m",
        "graph",
        "query",
        "entity",
        "-p",
        "entity=dod",
        "--format",
        "sparql-json",
        "--graph-dir",
        str(graph_dir),
    ]
    running = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)
    ]
    for process in running:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
        assert json.loads(out)["results"]["bindings"] == expected
    left = sorted(p.name for p in (graph_dir / ".cache" / "query-index").iterdir())
    assert not [name for name in left if name.endswith(".tmp")], left


def test_api_pages_must_be_natural_numbers(built_dir: Path) -> None:
    from graph.api import query
    from graph.errors import QueryError

    for bad in ({"limit": -1}, {"offset": -2}, {"offset": 2**63}):
        with pytest.raises(QueryError, match="from 0 to"):
            query("exports", graph_dir=built_dir, **bad)


def test_table_files_are_readable_as_the_graph_is(built_dir: Path, tmp_path: Path) -> None:
    """A table file gets the umask's mode, not mkstemp's 0600: another account that
    reads the graph (a server's) reads its tables too."""
    import os

    from graph.index import query_from_index

    graph_dir = copied_graph(built_dir, tmp_path).parent
    assert query_from_index(graph_dir / "alliance.nt", get_named_query("exports"), {}) is not None
    umask = os.umask(0o022)
    os.umask(umask)
    table = graph_dir / ".cache" / "query-index" / "exports.sqlite"
    assert table.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_large_graph_answers_anchored_queries_by_sparql(
    built_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ALLIANCE_GRAPH_ANCHORED_TABLE_MAX bytes on, a query that starts from its
    parameter (entity) is not tabled, since its unbound run reads the whole graph: the
    store answers, with the same rows, the entity named through the names table; other
    queries are still tabled."""
    from graph.api import query as api_query
    from graph.errors import QueryError
    from graph.index import query_from_index

    data = copied_graph(built_dir, tmp_path)
    graph_dir = data.parent
    entity = get_named_query("entity")
    expected = entity_rows(data, "dod")
    tables = graph_dir / ".cache" / "query-index"

    monkeypatch.setenv("ALLIANCE_GRAPH_ANCHORED_TABLE_MAX", str(data.stat().st_size))
    got = query_from_index(data, entity, {"entity": "Department of Defense"})
    assert got is not None and got.rows == expected
    assert api_query("entity", {"entity": "dod"}, graph_dir=graph_dir).rows == expected
    paged = api_query("entity", {"entity": "dod"}, graph_dir=graph_dir, limit=2, offset=1)
    assert paged.rows == expected[1:3]
    assert not (tables / "entity.sqlite").exists()  # answered by the store...
    assert (tables / "names.sqlite").exists()  # ...its name found in the names table
    assert query_from_index(data, get_named_query("exports"), {}) is not None

    # One byte more and the graph is small enough: the table is built and answers.
    monkeypatch.setenv("ALLIANCE_GRAPH_ANCHORED_TABLE_MAX", str(data.stat().st_size + 1))
    got = query_from_index(data, entity, {"entity": "dod"})
    assert got is not None and got.rows == expected
    # Built, it is used whatever the size.
    monkeypatch.setenv("ALLIANCE_GRAPH_ANCHORED_TABLE_MAX", "0")
    got = query_from_index(data, entity, {"entity": "Department of Defense"})
    assert got is not None and got.rows == expected

    monkeypatch.setenv("ALLIANCE_GRAPH_ANCHORED_TABLE_MAX", "lots")
    with pytest.raises(QueryError, match="ALLIANCE_GRAPH_ANCHORED_TABLE_MAX"):
        query_from_index(data, entity, {"entity": "dod"})


def claims_about(data: Path) -> dict[str, int]:
    """Claims whose fact has each entity as subject or object, counted with rdflib (not
    the SPARQL the hubs' table counts with)."""
    from rdflib import RDF, Graph, URIRef

    from graph.namespaces import ID

    g = Graph().parse(data, format="nt")
    counts: dict[str, int] = {}
    for predicate in (RDF.subject, RDF.object):
        for _, end in g.subject_objects(predicate):
            if isinstance(end, URIRef) and str(end).startswith(str(ID)):
                ident = str(end)[len(str(ID)) :]
                counts[ident] = counts.get(ident, 0) + 1
    return counts


@pytest.mark.parametrize("graph", ["shipped", "synthetic"])
def test_answers_made_from_neighbourhoods_are_the_sparql_answers(
    graph: str, built_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``entity`` reads nothing beyond its entity's neighbourhood (``# reach:``), so the
    answers kept for its hubs are made a batch of hubs at a time, by the query run once
    over a store of their neighbourhoods. With every entity that has a claim a hub and
    batches of a few claims, each kept answer is the entity's SPARQL answer over the
    whole graph, rows and order, on real sources (corroborated, refined and disputed
    facts) and on synthetic ones."""
    from graph.index import hubs, query_from_index

    if graph == "shipped":
        data = copied_graph(built_dir, tmp_path)
    else:
        (tmp_path / "graph").mkdir()
        data = write_synthetic(tmp_path / "graph" / "alliance.nt", 20_000, seed=5)
    entity = get_named_query("entity")
    assert entity.reach == "neighbourhood"
    monkeypatch.setenv("ALLIANCE_GRAPH_ANCHORED_TABLE_MAX", "0")
    monkeypatch.setenv(hubs.SETTING, "1")
    monkeypatch.setattr(hubs, "BATCH_CLAIMS", 40)
    counts = claims_about(data)
    assert query_from_index(data, entity, {"entity": min(counts)}) is not None
    index = DiskIndex.for_graph(data)
    store = EmbeddedStore(data, trusted=True)
    statuses: set[str] = set()
    for ident in sorted(counts):
        terms = bind_parameters(entity, {"entity": ident})
        kept = hubs.answer(index, entity, terms)
        expected = store.query(entity.sparql, terms)
        assert kept is not None and kept.rows == expected.rows, ident
        assert kept.variables == expected.variables
        statuses.update(str(row["status"]["value"]) for row in expected.rows if "status" in row)
    if graph == "shipped":  # the facts whose rows read the claims' links to other claims
        assert {"corroborated", "refined", "disputed"} <= {
            part for status in statuses for part in status.split(", ")
        }


def test_a_large_graph_keeps_the_answers_of_its_hubs(
    built_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Untabled, ``entity`` keeps the answers of the entities with many claims (they
    take seconds by SPARQL at ten million statements): each is the SPARQL answer, whole
    and by pages; an entity below the threshold is answered by the SPARQL."""
    from graph.errors import QueryError
    from graph.index import hubs, query_from_index

    data = copied_graph(built_dir, tmp_path)
    entity = get_named_query("entity")
    counts = claims_about(data)
    ranked = sorted(counts.values(), reverse=True)
    assert len(ranked) > 4
    limit = ranked[2]  # at least three hubs, and entities below them
    hub_ids = sorted(ident for ident, n in counts.items() if n >= limit)
    light = next(ident for ident, n in sorted(counts.items()) if n < limit)
    monkeypatch.setenv("ALLIANCE_GRAPH_ANCHORED_TABLE_MAX", str(data.stat().st_size))
    monkeypatch.setenv(hubs.SETTING, str(limit))
    index = DiskIndex.for_graph(data)
    for ident in [*hub_ids, light]:
        expected = entity_rows(data, ident)
        got = query_from_index(data, entity, {"entity": ident})
        assert got is not None and got.rows == expected, ident
        terms = bind_parameters(entity, {"entity": ident})
        kept = hubs.answer(index, entity, terms)
        assert (kept is not None) == (ident in hub_ids), ident
        if kept is not None:
            assert kept.rows == expected and kept.variables == got.variables
            for limit_, offset in ((2, 0), (3, 1), (None, len(expected) - 1), (5, len(expected))):
                page = query_from_index(
                    data, entity, {"entity": ident}, limit=limit_, offset=offset
                )
                end = None if limit_ is None else offset + limit_
                assert page is not None and page.rows == expected[offset:end]
    tables = data.parent / ".cache" / "query-index"
    assert (tables / "entity-hubs.sqlite").exists() and not (tables / "entity.sqlite").exists()

    # Another threshold makes the kept answers stale: built again with the new hubs.
    monkeypatch.setenv(hubs.SETTING, str(ranked[0]))
    query_from_index(data, entity, {"entity": hub_ids[0]})
    top = [ident for ident, n in counts.items() if n >= ranked[0]]
    for ident in hub_ids:
        kept = hubs.answer(index, entity, bind_parameters(entity, {"entity": ident}))
        assert (kept is not None) == (ident in top)

    monkeypatch.setenv(hubs.SETTING, "many")
    with pytest.raises(QueryError, match=f"{hubs.SETTING} must be a whole number"):
        query_from_index(data, entity, {"entity": light})
