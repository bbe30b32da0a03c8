"""The query index answers find-entity and timeline exactly as the SPARQL does."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.index import NamedQueryIndex
from graph.sparql.binding import bind_parameters
from graph.sparql.catalogue import get_named_query
from graph.sparql.engines import EmbeddedStore
from graph.synth import write_synthetic


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
    return [*picked, "", "a", "no such name at all", "ministry", "ミ"]


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
def test_index_answers_are_the_sparql_answers(which: str, request: pytest.FixtureRequest) -> None:
    store = request.getfixturevalue(which)
    index = NamedQueryIndex(store)
    rng = random.Random(3)
    find = get_named_query("find-entity")
    some = 0
    for name in names(store, rng):
        terms = bind_parameters(find, {"name": name})
        expected = store.query(find.sparql, terms)
        got = index.answer(find, terms)
        assert got is not None
        assert got.variables == expected.variables
        assert got.rows == expected.rows, name
        some += len(got.rows) > 0
    assert some > 5
    timeline = get_named_query("timeline")
    for since, until in dates(rng):
        terms = bind_parameters(timeline, {"since": since, "until": until})
        expected = store.query(timeline.sparql, terms)
        got = index.answer(timeline, terms)
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
    assert index.answer(get_named_query("entity"), {}) is None


def test_cli_pages_and_the_disk_index_match_sparql(
    built_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    import os
    import shutil

    from graph.cli import main

    graph_dir = tmp_path / "graph"
    graph_dir.mkdir()
    shutil.copy(built_dir / "alliance.nt", graph_dir / "alliance.nt")
    store = EmbeddedStore(graph_dir / "alliance.nt", trusted=True)

    def cli(*args: str) -> list[dict[str, object]]:
        assert main(["query", *args, "--format", "sparql-json", "--graph-dir", str(graph_dir)]) == 0
        return json.loads(capsys.readouterr().out)["results"]["bindings"]

    timeline = get_named_query("timeline")
    expected = store.query(timeline.sparql, bind_parameters(timeline, {"since": "2023"})).rows
    assert len(expected) > 5
    assert cli("timeline", "-p", "since=2023") == expected
    cache = graph_dir / ".cache" / "query-index.sqlite"
    assert cache.is_file()
    assert cli("timeline", "-p", "since=2023", "--limit", "3", "--offset", "2") == expected[2:5]
    find = get_named_query("find-entity")
    expected = store.query(find.sparql, bind_parameters(find, {"name": "Japan"})).rows
    assert expected and cli("find-entity", "-p", "name=Japan") == expected
    # Not an indexed query: paged all the same.
    types = cli("entities-by-type")
    assert cli("entities-by-type", "--limit", "2", "--offset", "1") == types[1:3]
    # A rebuilt graph makes the cache stale: it is built again from the new file.
    before = cache.stat().st_mtime_ns
    os.utime(graph_dir / "alliance.nt", ns=(before + 10**9, before + 10**9))
    assert cli("find-entity", "-p", "name=Japan") == expected
    assert cache.stat().st_mtime_ns != before


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
