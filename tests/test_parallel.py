"""The build's second process (graph.parallel): results and errors cross it whole, a
failed or abandoned child leaves nothing behind, and a build made in two processes is
the build made in one, file for file, with errors reported in the same order."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import signal
import time
from pathlib import Path

import pytest

from graph import api, errors
from graph.errors import (
    AllianceGraphError,
    DataError,
    InvalidRecords,
    OutputError,
    ValidationFailed,
)
from graph.parallel import JOBS, beside, forking

ROOT = Path(__file__).parents[1]
VALID = ROOT / "tests" / "data" / "valid"

needs_fork = pytest.mark.skipif(
    os.environ.get(JOBS) == "1" or not forking(), reason="needs os.fork and two cores"
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(VALID, tmp_path / "data"))


@pytest.fixture(params=["forked", "inline"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "inline":
        monkeypatch.setenv(JOBS, "1")
    else:
        monkeypatch.delenv(JOBS, raising=False)
        if not forking():
            pytest.skip("this machine cannot fork onto a second core")
    return str(request.param)


def same(a: object, b: object) -> bool:
    """Errors equal by type, text and every attribute (exceptions compare by identity)."""
    if isinstance(a, BaseException):
        notes = "__notes__"  # a defect brings its traceback from the child as a note
        return (
            type(a) is type(b)
            and str(a) == str(b)
            and same(
                {k: v for k, v in vars(a).items() if k != notes},
                {k: v for k, v in vars(b).items() if k != notes},
            )
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def child_pid() -> int:
    return os.getpid()


def fail_with(error: BaseException) -> None:
    raise error


class Unpicklable(Exception):
    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("not today")


def test_the_result_comes_back_from_where_it_was_made(mode: str) -> None:
    with beside(child_pid) as work:
        assert work.forked == (mode == "forked")
        pid = work.result()
        assert work.result() == pid  # asked twice, made once
    assert (pid != os.getpid()) == (mode == "forked")


def test_a_large_result_crosses_the_pipe_whole(mode: str) -> None:
    blob = os.urandom(3 << 20)  # bigger than a pipe's buffer
    with beside(bytes, blob) as work:
        assert work.result() == blob


@pytest.mark.parametrize(
    "error",
    [
        DataError("bad value", path="data/x.yaml", line=3, field="quote", hint="fix it"),
        InvalidRecords([DataError("one", path="a.yaml", line=1), DataError("two", path="b")]),
        ValidationFailed(["data/x.yaml:4: shacl: agid:x: too many labels"]),
        OutputError("does not parse back", path="alliance.nt", field="build"),
        ValueError("an ordinary defect"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_an_error_comes_back_as_itself(mode: str, error: Exception) -> None:
    with beside(fail_with, error) as work, pytest.raises(type(error)) as raised:
        work.result()
    assert same(raised.value, error)


def test_every_error_of_the_package_survives_pickling() -> None:
    made = [
        cls
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, AllianceGraphError)
    ]
    assert len(made) > 10
    for cls in made:
        try:
            error = cls("what is wrong", path="f.yaml", line=2, field="name")
        except TypeError:  # a subclass that takes something else: made from the others
            continue
        back = pickle.loads(pickle.dumps(error))
        assert same(back, error)


@needs_fork
def test_an_error_that_cannot_be_pickled_still_says_what_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(JOBS, raising=False)
    with (
        beside(fail_with, Unpicklable("the words")) as work,
        pytest.raises(RuntimeError, match="Unpicklable: the words"),
    ):
        work.result()


@needs_fork
def test_a_child_that_dies_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(JOBS, raising=False)
    with (
        beside(lambda: os.kill(os.getpid(), signal.SIGKILL)) as work,
        pytest.raises(AllianceGraphError, match="ended with signal 9 before it reported"),
    ):
        work.result()


@needs_fork
def test_leaving_without_the_result_ends_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(JOBS, raising=False)
    with pytest.raises(KeyError), beside(time.sleep, 600) as work:
        pid = work._work._pid  # type: ignore[union-attr]
        raise KeyError("the caller failed")
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # gone and reaped: no zombie, no orphan


@needs_fork
def test_no_process_to_be_had_means_the_work_is_done_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.delenv(JOBS, raising=False)
    monkeypatch.setattr(os, "fork", no_fork)
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    with beside(child_pid) as work:
        assert not work.forked
        assert work.result() == os.getpid()
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before  # the pipe was closed


@pytest.mark.parametrize("setting", ["0", "two", "-1", "1.5"])
def test_a_bad_jobs_setting_is_refused_before_any_work(
    monkeypatch: pytest.MonkeyPatch, setting: str, data: Path, tmp_path: Path
) -> None:
    import graph.records

    def not_reached(*args: object, **kwargs: object) -> None:
        raise AssertionError("the records were read")

    monkeypatch.setenv(JOBS, setting)
    with pytest.raises(AllianceGraphError, match=f"{JOBS}: must be a positive whole number"):
        forking()
    monkeypatch.setattr(graph.records, "load_records", not_reached)
    with pytest.raises(AllianceGraphError, match=f"{JOBS}: must be a positive whole number"):
        api.build(data, tmp_path / "out")


def digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file() and p.name != "manifest.json"
    }


@needs_fork
@pytest.mark.parametrize("records_of", ["the test data", "many sources, claims split"])
def test_a_build_in_two_processes_is_the_build_in_one(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, records_of: str
) -> None:
    from graph import recordsplit
    from graph.synth_records import write_records

    if records_of != "the test data":  # the claims files are checked on both sides too
        data = write_records(tmp_path / "synthetic", 60, 600, seed=5, claims_per_source=40)
        monkeypatch.setattr(recordsplit, "PARALLEL_CLAIM_BYTES", 0)
    monkeypatch.setenv(JOBS, "1")
    one = api.build(data, tmp_path / "one")
    monkeypatch.delenv(JOBS)
    forked = spied_beside(monkeypatch)
    two = api.build(data, tmp_path / "two")
    assert forked == [True] * (1 if records_of == "the test data" else 2)
    assert digests(tmp_path / "one") == digests(tmp_path / "two")
    assert "explorer.html" in digests(tmp_path / "two")
    assert one.summary() | {"outputs": []} == two.summary() | {"outputs": []}


def test_a_violation_is_reported_before_an_output_error_and_nothing_is_written(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    import graph.release
    import graph.validate

    def violated(*args: object, **kwargs: object) -> None:
        raise ValidationFailed(["data/x.yaml:1: shacl: a violation"])

    def broken(*args: object, **kwargs: object) -> None:
        raise OutputError("does not parse back", path="alliance-full.ttl", field="build")

    monkeypatch.setattr(graph.validate, "validate_graph", violated)
    monkeypatch.setattr(graph.release, "release_files", broken)
    with pytest.raises(ValidationFailed, match="a violation"):
        api.build(data, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    monkeypatch.undo()
    monkeypatch.setattr(graph.release, "release_files", broken)
    if mode == "inline":
        monkeypatch.setenv(JOBS, "1")
    with pytest.raises(OutputError, match=r"alliance-full\.ttl"):
        api.build(data, tmp_path / "out")


def spied_beside(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records whether each piece of work given to graph.parallel.beside was forked."""
    import graph.parallel

    forked: list[bool] = []
    real = graph.parallel.beside

    class spy(real):  # type: ignore[valid-type,misc]
        def __init__(self, fn: object, *args: object) -> None:
            super().__init__(fn, *args)
            forked.append(self.forked)

    monkeypatch.setattr(graph.parallel, "beside", spy)
    return forked


@needs_fork
@pytest.mark.parametrize("fork", ["forked", "no process to be had"])
def test_claims_checked_on_two_cores_are_those_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork: str
) -> None:
    """The sources' claims files split between two processes give the same claims, in
    the same order, with this process's own ontology properties, and the YAML cache
    learns what one process's load teaches it, cold and warm (also when the second
    process cannot be had and its half is done here)."""
    from graph import records, recordsplit
    from graph.buildcache import RecordCache
    from graph.ontology import load_ontology
    from graph.synth_records import write_records

    root = write_records(tmp_path / "data", 60, 600, seed=5, claims_per_source=40)
    ontology = load_ontology()
    monkeypatch.setattr(recordsplit, "PARALLEL_CLAIM_BYTES", 0)
    monkeypatch.setenv(JOBS, "1")
    serial_cache = RecordCache(tmp_path / "serial")
    one = records.load_records(root, ontology, serial_cache)
    monkeypatch.delenv(JOBS)
    forked = spied_beside(monkeypatch)
    if fork != "forked":

        def no_fork() -> int:
            raise BlockingIOError(11, "Resource temporarily unavailable")

        monkeypatch.setattr(os, "fork", no_fork)
    cache = RecordCache(tmp_path / "build")
    two = records.load_records(root, ontology, cache)
    assert forked == [fork == "forked"]
    assert [c.key for c in two.claims] == [c.key for c in one.claims]
    assert two.claims == one.claims
    assert all(c.predicate is ontology.properties[c.predicate.name] for c in two.claims)
    files = list(root.rglob("*.yaml"))
    assert (cache.misses, cache.hits) == (serial_cache.misses, serial_cache.hits) == (len(files), 0)
    assert cache.fresh == serial_cache.fresh and cache.used == serial_cache.used
    assert len(cache.used) == len({hashlib.sha256(f.read_bytes()).digest() for f in files})
    # Warm: every parse read back from the cache, whichever side asked for it.
    for path, blob in cache.fresh.items():
        (cache.entries / f"{path}.pickle").parent.mkdir(parents=True, exist_ok=True)
        (cache.entries / f"{path}.pickle").write_bytes(blob)
    warm = RecordCache(tmp_path / "build")
    again = records.load_records(root, ontology, warm)
    assert again.claims == one.claims
    assert (warm.hits, warm.misses, warm.fresh) == (len(files), 0, {})


@needs_fork
def test_claim_errors_found_on_two_cores_come_in_the_order_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph import records, recordsplit
    from graph.ontology import load_ontology
    from graph.synth_records import write_records

    root = write_records(tmp_path / "data", 60, 600, seed=5, claims_per_source=40)
    claim_files = sorted(root.glob("sources/*/claims.yaml"))
    for n, path in enumerate(claim_files[::3]):  # errors in sources of both halves
        text = path.read_text(encoding="utf-8")
        text = text.replace('quote: "In statement', 'quote: "Nowhere in statement', 1)
        if n % 2:
            text = text.replace("- subject: ", "- subject: no-such-entity\n  x: ", 1)
        path.write_text(text, encoding="utf-8")
    ontology = load_ontology()
    monkeypatch.setattr(recordsplit, "PARALLEL_CLAIM_BYTES", 0)
    monkeypatch.setenv(JOBS, "1")
    with pytest.raises(InvalidRecords) as one:
        records.load_records(root, ontology)
    monkeypatch.delenv(JOBS)
    forked = spied_beside(monkeypatch)
    with pytest.raises(InvalidRecords) as two:
        records.load_records(root, ontology)
    assert forked == [True]
    assert len(one.value.errors) >= len(claim_files[::3])
    assert [str(e) for e in two.value.errors] == [str(e) for e in one.value.errors]


class SlowToSend:
    """A result whose pickling takes a second."""

    def __reduce__(self) -> tuple[object, ...]:
        time.sleep(1)
        return (SlowToSend, ())


@needs_fork
def test_a_child_killed_while_it_reports_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    def killed_while_sending() -> SlowToSend:
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGKILL)).start()
        return SlowToSend()

    monkeypatch.delenv(JOBS, raising=False)
    with (
        beside(killed_while_sending) as work,
        pytest.raises(AllianceGraphError, match="ended with signal 9"),
    ):
        work.result()


class TwoArgs(Exception):
    def __init__(self, what: str, where: str) -> None:
        super().__init__(f"{what} at {where}")


def fail_two_args() -> None:
    raise TwoArgs("bad shape", "line 3")


@needs_fork
def test_an_error_that_pickles_but_does_not_unpickle_still_says_what_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(JOBS, raising=False)
    with beside(fail_two_args) as work, pytest.raises(RuntimeError, match="bad shape at line 3"):
        work.result()


@needs_fork
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_child_exits_when_done_not_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its result is read as it is written: a child done early frees what it copied
    while the caller still works (a large result would otherwise block it on the pipe)."""
    monkeypatch.delenv(JOBS, raising=False)
    blob = os.urandom(4 << 20)
    with beside(bytes, blob) as work:
        pid = work._work._pid  # type: ignore[union-attr]
        deadline = time.monotonic() + 30
        state = ""
        while time.monotonic() < deadline:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "Z":  # exited, not yet reaped
                break
            time.sleep(0.05)
        assert state == "Z"
        assert work.result() == blob
