"""A large built graph's store on disk (graph.sparql.ondisk): made once, opened read-only,
answering every named query as the in-memory store does."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from graph.errors import QueryError
from graph.sparql.binding import bind_parameters
from graph.sparql.catalogue import named_queries
from graph.sparql.engines import EmbeddedStore
from graph.sparql.ondisk import open_built, store_folder
from graph.synth import write_synthetic


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic(tmp_path_factory.mktemp("ondisk") / "alliance.nt", 15_000, seed=5)


def stores_in(data: Path) -> list[Path]:
    folder = store_folder(data)
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def child_count(script: str, data: Path) -> int:
    """Run ``script`` in a new Python process with ``data`` as its argument; the number
    it prints (the process must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", script, str(data)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def some_entities(store: EmbeddedStore) -> list[str]:
    rows = store.query(
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        "SELECT ?e WHERE { ?c rdf:subject ?e } GROUP BY ?e ORDER BY DESC(COUNT(*)) ?e LIMIT 3"
    ).rows
    return [row["e"]["value"].rsplit("/", 1)[-1] for row in rows]


def test_every_named_query_answers_as_in_memory(graph: Path) -> None:
    """Rows and order of every named query, by default and for the most stated entities."""
    memory = EmbeddedStore(graph, trusted=True)
    disk = open_built(graph, on_disk_from=0)
    assert len(stores_in(graph)) == 1
    assert len(disk.store) == len(memory.store)
    asked = some_entities(memory)
    for query in named_queries().values():
        given: list[dict[str, str]] = [{}]
        given += [{p.name: e} for p in query.parameters if p.kind == "entity" for e in asked]
        for params in given:
            try:
                terms = bind_parameters(query, params, memory)
            except QueryError:  # an entity of another kind than the parameter's
                continue
            expected = memory.query(query.sparql, terms)
            got = disk.query(query.sparql, terms)
            assert (got.variables, got.rows) == (expected.variables, expected.rows), (
                query.name,
                params,
            )


def test_the_store_is_made_once_and_opened_read_only(graph: Path) -> None:
    open_built(graph, on_disk_from=0)
    (made,) = stores_in(graph)
    before = (made / "READY").stat().st_mtime_ns
    again = open_built(graph, on_disk_from=0)
    assert stores_in(graph) == [made] and (made / "READY").stat().st_mtime_ns == before
    with pytest.raises(RuntimeError, match="read-write"):  # read-only: nothing changes it
        again.store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_a_small_graph_stays_in_memory(tmp_path: Path) -> None:
    data = write_synthetic(tmp_path / "alliance.nt", 2_000, seed=1)
    store = open_built(data, on_disk_from=data.stat().st_size + 1)
    assert len(store.store) > 2_000
    assert not store_folder(data).exists()


def test_a_rebuilt_graph_gets_a_new_store_and_the_old_is_removed(tmp_path: Path) -> None:
    data = write_synthetic(tmp_path / "alliance.nt", 3_000, seed=1)
    first = open_built(data, on_disk_from=0)
    (old,) = stores_in(data)
    count = len(first.store)
    del first
    write_synthetic(data, 6_000, seed=2)
    second = open_built(data, on_disk_from=0)
    (new,) = stores_in(data)
    assert new != old and not old.exists()
    assert len(second.store) == len(EmbeddedStore(data, trusted=True).store) != count


def test_a_damaged_store_is_made_again(tmp_path: Path) -> None:
    data = write_synthetic(tmp_path / "alliance.nt", 3_000, seed=3)
    open_built(data, on_disk_from=0)
    (made,) = stores_in(data)
    for part in made.iterdir():  # its files gone, its mark left
        if part.name != "READY":
            part.unlink() if part.is_file() else None
    store = open_built(data, on_disk_from=0)
    assert len(store.store) == len(EmbeddedStore(data, trusted=True).store)


def test_a_graph_that_does_not_parse_names_its_line_and_leaves_no_store(tmp_path: Path) -> None:
    data = write_synthetic(tmp_path / "alliance.nt", 3_000, seed=4)
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[41] = "<urn:a> <urn:b> .\n"
    data.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(QueryError) as caught:
        open_built(data, on_disk_from=0)
    assert caught.value.path is not None and Path(str(caught.value.path)).name == data.name
    assert "line 42" in str(caught.value)
    assert stores_in(data) == []


def test_the_threshold_from_the_environment_must_be_a_number(
    graph: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLIANCE_GRAPH_ON_DISK_FROM", "lots")
    with pytest.raises(QueryError, match="ALLIANCE_GRAPH_ON_DISK_FROM"):
        open_built(graph)


def test_processes_making_the_store_at_once_agree(graph: Path, tmp_path: Path) -> None:
    """Three CLI processes asking a SPARQL-only query of a graph whose store nobody has
    made: one makes it, the others wait and open it; each prints the in-memory answer."""
    (tmp_path / "graph").mkdir()
    data = tmp_path / "graph" / "alliance.nt"
    data.write_bytes(graph.read_bytes())
    memory = EmbeddedStore(data, trusted=True)
    (entity,) = some_entities(memory)[:1]
    query = named_queries()["dependencies"]
    expected = memory.query(query.sparql, bind_parameters(query, {"entity": entity}, memory))
    command = [
        sys.executable,
        "-m",
        "graph",
        "query",
        "dependencies",
        "-p",
        f"entity={entity}",
        "--format",
        "sparql-json",
        "--graph-dir",
        str(data.parent),
    ]
    env = {**os.environ, "ALLIANCE_GRAPH_ON_DISK_FROM": "0"}
    running = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(3)
    ]
    for process in running:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
        assert json.loads(out)["results"]["bindings"] == expected.rows
    assert len(stores_in(data)) == 1
    assert not [p for p in store_folder(data).iterdir() if p.name.endswith(".tmp")]


def test_the_store_is_readable_as_the_graph_folder_is(tmp_path: Path) -> None:
    """The store's folder has the permissions of any folder made there (the umask's), not
    a private temporary folder's 0700: another user who may read the graph (a server's
    account) opens the store read-only instead of loading the graph into memory."""
    data = write_synthetic(tmp_path / "alliance.nt", 2_000, seed=6)
    open_built(data, on_disk_from=0)
    (made,) = stores_in(data)
    probe = tmp_path / "probe"
    probe.mkdir()
    assert stat.S_IMODE(made.stat().st_mode) == stat.S_IMODE(probe.stat().st_mode)


def test_a_store_that_cannot_be_written_leaves_the_graph_in_memory(tmp_path: Path) -> None:
    """A make that fails for the disk (full, over a quota or a file size limit: here the
    limit) answers from memory, as an unwritable cache folder does, not with an error."""
    data = write_synthetic(tmp_path / "alliance.nt", 3_000, seed=7)
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from graph.sparql.ondisk import open_built\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))\n"
        "store = open_built(Path(sys.argv[1]), on_disk_from=0)\n"
        "print(len(store.store))\n"
    )
    assert child_count(script, data) == len(EmbeddedStore(data, trusted=True).store)
    assert not [p for p in store_folder(data).iterdir() if p.is_dir()]

    # A later process does not try again for this graph (no limit now: it would succeed)…
    again = (
        "import sys\n"
        "from pathlib import Path\n"
        "import graph.sparql.ondisk as ondisk\n"
        "def made(*args):\n"
        "    sys.exit('made again')\n"
        "ondisk._make = made\n"
        "print(len(ondisk.open_built(Path(sys.argv[1]), on_disk_from=0).store))\n"
    )
    assert child_count(again, data) == len(EmbeddedStore(data, trusted=True).store)
    # … until the graph changes: its store is then made, and the mark goes.
    write_synthetic(data, 3_500, seed=8)
    open_built(data, on_disk_from=0)
    assert len(stores_in(data)) == 1
    assert not (store_folder(data) / "FAILED").exists()
