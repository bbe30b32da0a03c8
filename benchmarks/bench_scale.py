"""Scale benchmark: up to ten million statements, embedded Oxigraph side by side
with the Oxigraph server, Virtuoso 7 and plain rdflib, in one run.

Run:  nice python benchmarks/bench_scale.py [--sizes 10000,100000,1000000,10000000]
      [--repeat 3] [--workdir DIR] [--rdflib-cap GB]

For each size a synthetic graph is written once by ``graph.synth`` (seed 1; kept
and reused when ``--workdir`` is given), then the engines run one after another,
each in a subprocess of its own (never two loads at once), so each peak memory is
that engine's alone:

* embedded: ``EmbeddedStore(path, trusted=True)`` (data, ontology and the
  ``ag:dependsOn`` entailment), its peak RSS, the query index's tables built one
  query at a time in SQLite files of a temporary folder (``DiskIndex``, what
  ``alliance-graph query`` keeps in a graph folder's ``.cache/``), then every
  named query, answered by the index where it answers and by SPARQL otherwise,
  median of ``--repeat`` runs; an answer of over ``PAGE`` rows from the index is
  also timed for its first page (``--limit 50``), the figure judged for it. It
  then writes the ontology and the entailed triples to a file, so the servers
  hold the same statements (as ``publish`` sends them).
* Oxigraph server and Virtuoso 7, started by ``tests/support/servers.py`` on
  127.0.0.1: a bulk load of the same files (the ``oxigraph load`` command before
  ``serve``; Virtuoso's ``ld_add`` + ``rdf_loader_run()`` + checkpoint), the
  server's peak RSS, then every named query over the SPARQL Protocol, the text
  ``RemoteStore`` sends. Their rows are compared with the embedded rows, and
  every difference is printed.
* rdflib: a ``Graph`` in a subprocess whose address space is capped (the memory
  available at its start less 3 GB headroom, or ``--rdflib-cap``), loading the
  file in chunks of 100k lines and reporting how far it got and after how long
  when it stops; its queries run only up to ``--rdflib-queries-up-to`` triples.

Then one table per size (ratios are the engine's time over the embedded time,
both measured in this run), the growth factor of every figure from one size to
the next, and PASS/FAIL at 10M triples against the targets: embedded load
<= 30 s, embedded peak memory <= 6 GB, every named query <= 150 ms (a long
answer from the index: its first page, as the issue's paging asks; a SPARQL
answer is sorted whole before its first row, so its whole time is judged).
``--engines`` runs some of the engines only.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Set
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SIZE = 10_000_000
TARGET_LOAD = 30.0
TARGET_MEMORY_MB = 6 * 1024
TARGET_QUERY = 0.150
#: A page of a long answer (``--limit``): what a reader asks first.
PAGE = 50
ENGINES = ("embedded", "ondisk", "oxigraph", "virtuoso", "rdflib")
LABELS = {
    "embedded": "embedded",
    "ondisk": "embedded, on disk",
    "oxigraph": "Oxigraph server",
    "virtuoso": "Virtuoso 7",
    "rdflib": "rdflib",
}
CHUNK_LINES = 100_000
#: Answers of at most this many rows are kept whole, to show a row that differs.
SAMPLE_ROWS = 5_000
#: Virtuoso's page cache for the run (8 kB pages): ~2.7 GB, its guide's figure for 4 GB.
VIRTUOSO_BUFFERS = 340_000

ENTAILED = """
PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?s ag:dependsOn ?o } WHERE { ?p rdfs:subPropertyOf+ ag:dependsOn . ?s ?p ?o }
"""


# --- helpers shared by the engine runs --------------------------------------------------------


def query_order() -> list[str]:
    """Every named query, ``timeline`` last: Virtuoso 7.2 deadlocks on it after
    ``entity`` (no CPU used, no answer in minutes, then nothing more, not even
    ``ASK {}``; README); run last, it costs the others nothing."""
    from graph.sparql.catalogue import named_queries

    return sorted(named_queries(), key=lambda name: (name == "timeline", name))


def row_hashes(results: Any, samples: dict[str, str] | None = None) -> list[str]:
    """One short hash per row (its terms in the normalised JSON form), sorted, so two
    engines' rows compare as multisets without keeping the rows; ``samples`` gets
    each row's text by its hash (for showing a row that differs)."""
    hashes = []
    for row in results.sorted_rows():
        digest = hashlib.blake2b(repr(row).encode(), digest_size=8).hexdigest()
        hashes.append(digest)
        if samples is not None:
            samples[digest] = "; ".join(
                f"{var}={dict(term).get('value', '')}{_kind(dict(term))}"
                for var, term in zip(results.variables, row, strict=True)
                if term
            )
    return hashes


def _kind(term: dict[str, str]) -> str:
    if "xml:lang" in term:
        return "@" + term["xml:lang"]
    return "^^" + term["datatype"].rsplit("#", 1)[-1] if "datatype" in term else ""


def peak_kb(pid: int) -> int:
    """A running process's peak resident set (VmHWM), in kB; 0 where unreadable."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def own_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_queries(
    run: Any,
    params: dict[str, dict[str, str]],
    repeat: int,
    out: dict[str, Any],
    convert: Any = None,
    alive: Any = None,
) -> None:
    """Median time, row count and row hashes of every named query; ``run(query, terms)``
    returns (answer, how it was answered), ``convert`` turns the last answer into
    Results outside the timing. A query over 10 s is timed once; an error is
    recorded, not raised, and when ``alive()`` then says the server no longer
    answers, the queries left are recorded as not run."""
    from graph.sparql.binding import bind_parameters
    from graph.sparql.catalogue import get_named_query

    for field in ("queries", "rows", "hashes", "errors", "via", "runs", "first_page"):
        out.setdefault(field, {})
    for name in query_order():
        if out.get("hung"):
            out["errors"][name] = f"not run: the server stopped answering at {out['hung']}"
            out["queries"][name] = None
            continue
        query = get_named_query(name)
        terms = bind_parameters(query, params.get(name, {}))
        times: list[float] = []
        results = None
        try:
            for _ in range(repeat):
                started = time.perf_counter()
                results, via = run(query, terms)
                times.append(time.perf_counter() - started)
                if times[-1] > 10:
                    break
        except Exception as exc:
            out["errors"][name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            out["queries"][name] = None
            if alive is not None and not alive():
                out["hung"] = name
            continue
        if convert is not None:
            results = convert(results)
        out["queries"][name] = statistics.median(times)
        out["runs"][name] = len(times)
        if via.startswith("index") and len(results.rows) > PAGE:  # a reader's first page
            paged = []
            for _ in range(repeat):
                started = time.perf_counter()
                run(query, terms, PAGE)
                paged.append(time.perf_counter() - started)
            out["first_page"][name] = statistics.median(paged)
        out["rows"][name] = len(results.rows)
        # Rows themselves are kept for small answers only, to show a difference.
        samples: dict[str, str] | None = {} if len(results.rows) <= SAMPLE_ROWS else None
        out["hashes"][name] = row_hashes(results, samples)
        if samples is not None:
            out.setdefault("samples", {})[name] = samples
        out["via"][name] = via


# --- the engine runs (each in a subprocess of its own) ----------------------------------------


class Overtime(Exception):
    """A time limit of this benchmark ran out (raised from SIGALRM)."""


def run_embedded(path: Path, extras: Path, args: Any) -> dict[str, Any]:
    """Load, write the ontology and entailment for the servers, index, query.

    The index's tables are built one query at a time, each into its SQLite file in
    a temporary folder as ``alliance-graph query`` does in a graph folder's
    ``.cache/`` (so what they hold is on disk, not in this process), within
    ``--index-limit`` seconds in all; a query whose table was not built in time is
    answered by SPARQL (each within ``--embedded-query-limit`` seconds, checked
    between rows).
    """
    import pyoxigraph as ox
    from bench_sparql import pick_parameters  # type: ignore[import-not-found]

    from graph.index import DiskIndex, hubs
    from graph.sparql.catalogue import named_queries
    from graph.sparql.engines import EmbeddedStore

    out: dict[str, Any] = {}
    started = time.perf_counter()
    store = EmbeddedStore(path, trusted=True)  # synth wrote it, as build would
    out["load"] = time.perf_counter() - started
    out["load_peak_mb"] = own_peak_mb()
    out["statements"] = len(store.store)
    # What the store holds beyond the data file, for the servers (not timed).
    ontology = ox.Store()
    ontology.bulk_load(path=str(ROOT / "ontology" / "alliance.ttl"), format=ox.RdfFormat.TURTLE)
    with extras.open("wb") as handle:
        ontology.dump(handle, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        store.store.query(ENTAILED).serialize(handle, format=ox.RdfFormat.N_TRIPLES)
    params = pick_parameters(store)
    out["params"] = params

    signal.signal(signal.SIGALRM, _overtime)
    folder = index_folder(path)
    shutil.rmtree(folder, ignore_errors=True)
    index = DiskIndex(folder, "bench")
    out["table_builds"] = {}
    deadline = time.monotonic() + args.index_limit
    started = time.perf_counter()
    # The entity table is the unbound query over every entity: 26 s of CPU and 0.6 GB
    # at 1M, over 11.6 GB at 10M (stopped there). From --no-entity-table-from
    # statements on it is not tabled: its hubs' answers are kept (below).
    skip = {"entity"} if out["statements"] >= args.no_entity_table_from else set()
    out["skipped"] = sorted(skip)
    for name, query in named_queries().items():
        if name in skip or query.index is None:
            continue
        left = int(deadline - time.monotonic())
        if left <= 0:
            break
        begun = time.perf_counter()
        signal.alarm(left)
        try:
            index.ensure(query, lambda: store)
            out["table_builds"][name] = time.perf_counter() - begun
        except Overtime:
            out["index_stopped"] = (
                f"{name}: table not built within {args.index_limit} s in all; "
                "it and the queries after it ran SPARQL"
            )
            break
        finally:
            signal.alarm(0)
    # An untabled query keeps its hubs' answers instead (graph.index.hubs): the entities
    # of many claims, made from their neighbourhoods; the others are answered by SPARQL.
    for name in skip:
        left = int(deadline - time.monotonic())
        if "index_stopped" in out or left <= 0:  # the time ran out on the tables
            break
        begun = time.perf_counter()
        signal.alarm(left)
        try:
            hubs.ensure(index, named_queries()[name], lambda: store)
            out["table_builds"][f"{name} (its hubs)"] = time.perf_counter() - begun
        except Overtime:
            out["index_stopped"] = f"{name}: its hubs' answers not kept within the time"
            break
        finally:
            signal.alarm(0)
    out["index_build"] = time.perf_counter() - started
    if skip:
        out["params"]["entity below the hubs"] = below_the_hubs(store)
        params = out["params"]

    run = answerer(store, index, skip, args.embedded_query_limit)
    time_queries(run, params, args.repeat, out)
    time_below_the_hubs(run, params, args.repeat, out)
    out["peak_mb"] = own_peak_mb()
    return out


def below_the_hubs(store: Any) -> dict[str, str]:
    """The entity with the most claims of those below the hubs' threshold: the slowest
    ``entity`` answer left to SPARQL."""
    from graph.index import hubs
    from graph.namespaces import ID

    below = hubs.claim_counts(store, hubs=False)
    if not below:  # every entity with a claim is a hub
        return {}
    iri, claims = max(below, key=lambda entity: (entity[1], entity[0]))
    return {"entity": iri[len(str(ID)) :], "claims": str(claims)}


def time_below_the_hubs(
    run: Any, params: dict[str, dict[str, str]], repeat: int, out: dict[str, Any]
) -> None:
    """``entity`` for the entity :func:`below_the_hubs` picked, as ``below_hubs``."""
    from graph.sparql.binding import bind_parameters
    from graph.sparql.catalogue import get_named_query

    picked = params.get("entity below the hubs")
    if not picked:
        return
    query = get_named_query("entity")
    terms = bind_parameters(query, {"entity": picked["entity"]})
    times = []
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            results, via = run(query, terms)
            times.append(time.perf_counter() - started)
    except Exception as exc:  # recorded, as time_queries does: the verdict fails it
        out["below_hubs"] = {**picked, "error": f"{type(exc).__name__}: {exc}"[:200]}
        return
    out["below_hubs"] = {
        **picked,
        "seconds": statistics.median(times),
        "first": times[0],
        "rows": len(results.rows),
        "via": via,
    }


def _overtime(*_: object) -> None:
    raise Overtime


def answerer(store: Any, index: Any, skip: Set[str], seconds: int) -> Any:
    """``run(query, terms, limit)`` for :func:`time_queries`: from the query's table where
    ``index`` has it ready, else SPARQL on ``store`` within ``seconds`` (SIGALRM, checked
    between rows); a query in ``skip`` (not tabled at this size) from its hubs' table
    when it names a hub (:mod:`graph.index.hubs`), else by SPARQL."""

    from graph.index import hubs

    def run(query: Any, terms: Any, limit: int | None = None) -> tuple[Any, str]:
        if query.index is not None and index.ready(query):
            answer = index.answer(query, terms, limit=limit)
            if answer is not None:
                return answer, "index"
        if query.name in skip:  # not tabled: a hub's answer is kept, another's is SPARQL
            kept = hubs.answer(index, query, terms, limit=limit)
            if kept is not None:
                return kept, "index, hubs"
        signal.alarm(seconds)
        try:
            return store.query(query.sparql, terms), "sparql"
        except Overtime:
            raise Overtime(f"over {seconds} s") from None
        finally:
            signal.alarm(0)

    return run


def index_folder(path: Path) -> Path:
    """The query index's tables of the embedded run, read again by the on-disk run."""
    return path.parent / f"query-index-{path.stem}"


def run_ondisk(
    path: Path, params: dict[str, Any], args: Any, skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The store kept on disk (``graph.sparql.ondisk``), as ``alliance-graph query`` uses
    a large built graph: made once (timed in a process of its own, as the first query
    after a build makes it), then opened read-only in this process, whose peak memory
    is that of a reader; queries from the tables the embedded run built, else SPARQL
    on the on-disk store."""
    from graph.index import DiskIndex
    from graph.sparql.ondisk import open_built, store_folder

    out: dict[str, Any] = {}
    shutil.rmtree(store_folder(path), ignore_errors=True)
    make = "from pathlib import Path; from graph.sparql.ondisk import open_built; "
    make += f"open_built(Path({str(path)!r}), on_disk_from=0)"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", make], check=True, cwd=ROOT)
    out["make"] = time.perf_counter() - started
    started = time.perf_counter()
    store = open_built(path, on_disk_from=0)
    out["load"] = time.perf_counter() - started
    out["load_peak_mb"] = own_peak_mb()
    out["disk_mb"] = sum(f.stat().st_size for f in store_folder(path).rglob("*") if f.is_file()) / (
        1 << 20
    )
    index = DiskIndex(index_folder(path), "bench")
    signal.signal(signal.SIGALRM, _overtime)
    run = answerer(store, index, skip, args.embedded_query_limit)
    time_queries(run, params, args.repeat, out)
    time_below_the_hubs(run, params, args.repeat, out)
    out["peak_mb"] = own_peak_mb()
    return out


def run_server(
    engine: str, files: list[Path], folder: Path, params: dict[str, Any], args: Any
) -> dict[str, Any]:
    """Start the server, bulk-load ``files``, query it over HTTP, stop it.

    The queries go as ``RemoteStore`` sends them (the same text, a POST of
    ``query`` and ``default-graph-uri``, JSON results read by the same code), over
    one kept-alive connection: ``RemoteStore`` opens a new client per query, whose
    cost (measured here apart, on ``ASK {}``) is the client's, not the server's.
    """
    import httpx

    from graph.sparql.binding import inline
    from graph.sparql.engines import RemoteStore
    from graph.sparql.publish import DEFAULT_GRAPH
    from graph.sparql.results import results_from_json
    from tests.support.servers import oxigraph_server, virtuoso_server

    out: dict[str, Any] = {}
    client = httpx.Client(timeout=args.peer_timeout)
    with contextlib.ExitStack() as stack:
        if engine == "oxigraph":
            started = time.perf_counter()
            server = stack.enter_context(
                oxigraph_server(folder, data=files, lenient=True, timeout=120)
            )
            out["load"] = time.perf_counter() - started  # the load command, then start-up
            # The load ran as a child process of its own: its peak is the children's.
            out["load_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            graph = None
        else:
            server = stack.enter_context(
                virtuoso_server(folder, buffers=args.virtuoso_buffers, max_rows=10**8)
            )
            started = time.perf_counter()
            server.bulk_load(files, DEFAULT_GRAPH)
            out["load"] = time.perf_counter() - started
            out["load_peak_mb"] = peak_kb(server.process.pid) / 1024
            graph = DEFAULT_GRAPH
        store = RemoteStore(server.query_url, graph=graph, timeout=args.peer_timeout)
        data = {"default-graph-uri": graph} if graph else {}
        accept = {"Accept": "application/sparql-results+json"}

        def run(query: Any, terms: Any, limit: int | None = None) -> tuple[Any, str]:
            text, _ = inline(query.sparql, terms)
            response = client.post(server.query_url, data={"query": text, **data}, headers=accept)
            if response.status_code != 200:
                raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
            return results_from_json(response.json()), "sparql"

        def alive() -> bool:
            try:
                return httpx.post(server.query_url, data={"query": "ASK {}"}, timeout=10).is_success
            except httpx.HTTPError:
                return False

        # The client's own cost first, while the server surely answers.
        for key, ask in (("ask_remote_store", store.query), ("ask_kept_alive", None)):
            times = []
            for _ in range(5):
                started = time.perf_counter()
                if ask is not None:
                    ask("ASK {}")
                else:
                    client.post(server.query_url, data={"query": "ASK {}", **data}, headers=accept)
                times.append(time.perf_counter() - started)
            out[key] = statistics.median(times)
        time_queries(run, params, args.repeat, out, alive=alive)
        out["server_peak_mb"] = peak_kb(server.process.pid) / 1024
        out["peak_mb"] = max(out["load_peak_mb"], out["server_peak_mb"])
    client.close()
    return out


def run_rdflib(
    path: Path, extras: Path, params: dict[str, Any], args: Any, queries: bool
) -> dict[str, Any]:
    """Load in chunks under the address-space cap, reporting progress as it goes;
    a chunk that does not fit ends the load (MemoryError or the time limit)."""
    from rdflib import Graph

    from graph.sparql.engines import DEPENDENCY_ENTAILMENT
    from graph.sparql.results import results_from_json

    out: dict[str, Any] = {"loaded": 0}
    graph = Graph()
    started = time.perf_counter()
    try:
        with path.open(encoding="utf-8") as handle:
            while chunk := list(itertools.islice(handle, CHUNK_LINES)):
                graph.parse(data="".join(chunk), format="nt")
                out["loaded"] += len(chunk)
                progress = {
                    "progress": out["loaded"],
                    "seconds": time.perf_counter() - started,
                    "rss_mb": own_peak_mb(),
                }
                print(json.dumps(progress), flush=True)
                if progress["seconds"] > args.rdflib_load_limit:
                    out["stopped"] = f"time limit {args.rdflib_load_limit} s"
                    break
        if "stopped" not in out:
            # The same content as the embedded store: data, ontology, dependsOn entailment.
            graph.parse(ROOT / "ontology" / "alliance.ttl", format="turtle")
            graph.update(DEPENDENCY_ENTAILMENT)
    except MemoryError:
        del graph
        out["stopped"] = "MemoryError (address-space cap)"
    out["load"] = time.perf_counter() - started
    out["peak_mb"] = own_peak_mb()
    if "stopped" in out or not queries:
        return out

    def alarm(*_: object) -> None:
        raise TimeoutError(f"over {args.rdflib_timeout} s")

    signal.signal(signal.SIGALRM, alarm)

    def run(query: Any, terms: Any, limit: int | None = None) -> tuple[Any, str]:
        from rdflib.util import from_n3

        init = {k: from_n3(str(v)) for k, v in terms.items()}
        signal.alarm(args.rdflib_timeout)
        try:
            result = graph.query(query.sparql, initBindings=init)
            result.bindings  # noqa: B018 — evaluated here, within the time limit
        finally:
            signal.alarm(0)
        return result, "sparql"

    def convert(result: Any) -> Any:
        return results_from_json(json.loads(result.serialize(format="json")))

    time_queries(run, params, args.repeat, out, convert)
    out["peak_mb"] = own_peak_mb()
    return out


def engine_main(args: Any) -> int:
    """One engine's run: its JSON on stdout's last line."""
    path, workdir = Path(args.file), Path(args.workdir)
    extras = workdir / f"extras-{path.stem}.nt"
    if args.engine == "embedded":
        out = run_embedded(path, extras, args)
    elif args.engine == "ondisk":
        given = json.loads(Path(args.params).read_text())
        out = run_ondisk(path, given, args, frozenset(filter(None, (args.skip or "").split(","))))
    else:
        params = json.loads(Path(args.params).read_text())
        if args.engine == "rdflib":
            if args.cap_mb:
                cap = int(args.cap_mb * 1024 * 1024)
                resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            out = run_rdflib(path, extras, params, args, queries=not args.no_queries)
        else:
            folder = Path(tempfile.mkdtemp(prefix=f"{args.engine}-", dir=workdir))
            out = run_server(args.engine, [path, extras], folder, params, args)
    print(json.dumps(out), flush=True)
    return 0


# --- the driver -------------------------------------------------------------------------------


def available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_mb(mb: float | None) -> str:
    if not mb:
        return "—"
    return f"{mb:.0f} MB" if mb < 1024 else f"{mb / 1024:.2f} GB"


def growth(values: list[float | None]) -> str:
    return ", ".join(f"{b / a:.1f}x" if a and b else "—" for a, b in itertools.pairwise(values))


def launch(engine: str, path: Path, workdir: Path, args: Any, **extra: Any) -> dict[str, Any]:
    """Run one engine in its own subprocess; a failure becomes an ``error`` entry."""
    command = [
        sys.executable,
        __file__,
        "--engine",
        engine,
        "--file",
        str(path),
        "--workdir",
        str(workdir),
        "--repeat",
        str(args.repeat),
        "--rdflib-timeout",
        str(args.rdflib_timeout),
        "--rdflib-load-limit",
        str(args.rdflib_load_limit),
        "--peer-timeout",
        str(args.peer_timeout),
        "--virtuoso-buffers",
        str(args.virtuoso_buffers),
        "--index-limit",
        str(args.index_limit),
        "--embedded-query-limit",
        str(args.embedded_query_limit),
        "--no-entity-table-from",
        str(args.no_entity_table_from),
    ]
    for key, value in extra.items():
        if value is True:
            command.append("--" + key.replace("_", "-"))
        elif value is not None and value is not False:
            command += ["--" + key.replace("_", "-"), str(value)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    last = json.loads(lines[-1]) if lines else {}
    if done.returncode == 0 and "progress" not in last:
        return last
    # It died (rdflib past its cap, or a server that failed): what it reported last.
    out: dict[str, Any] = {"error": (done.stderr.strip().splitlines() or ["no message"])[-1]}
    out["exit"] = done.returncode
    if "progress" in last:
        out.update(
            loaded=last["progress"],
            load=last["seconds"],
            peak_mb=last["rss_mb"],
            stopped=f"process ended (exit {done.returncode}) after "
            f"{time.perf_counter() - started:.0f} s",
        )
    return out


def compare_rows(ours: dict[str, Any], theirs: dict[str, Any], name: str) -> str:
    """'' when equal, else how they differ."""
    if name not in theirs.get("hashes", {}) or name not in ours.get("hashes", {}):
        return ""
    a, b = Counter(ours["hashes"][name]), Counter(theirs["hashes"][name])
    if a == b:
        return ""
    text = f"{sum((a - b).values())} rows only embedded, {sum((b - a).values())} only there"
    for side, only in (("embedded", a - b), ("there", b - a)):
        samples = (ours if side == "embedded" else theirs).get("samples", {}).get(name, {})
        for digest in list(only)[:2]:
            if digest in samples:
                text += f"\n    only {side}: {samples[digest]}"
    return text


def print_size(size: int, lines: int, results: dict[str, dict[str, Any]]) -> list[str]:
    """The table of one size; returns its row differences, as lines."""
    ours = results["embedded"]
    engines = [e for e in ENGINES if e in results]
    print(f"\n## {size:,} triples requested, {lines:,} written (synthetic, seed 1)")
    if "statements" in ours:
        print(f"embedded store: {ours['statements']:,} statements with ontology and entailment")
    head = "| | " + " | ".join(LABELS[e] + ("" if e == "embedded" else " | ratio") for e in engines)
    print(head + " | rows |")
    print("|---|" + "---|" * (2 * len(engines) - 1) + "---|")

    def line(label: str, values: dict[str, Any], show: Any, ratio: bool = True) -> None:
        cells = []
        base = values.get("embedded")
        for engine in engines:
            value = values.get(engine)
            cells.append(show(value))
            if engine != "embedded":
                cells.append(f"{value / base:.1f}x" if ratio and value and base else "")
        print(f"| {label} | " + " | ".join(cells) + " |")

    def loaded(engine: str) -> Any:
        out = results[engine]
        return out.get("load")

    line("load", {e: loaded(e) for e in engines}, fmt)
    if "make" in results.get("ondisk", {}):
        print(
            f"| on-disk store made (once per build) | | {fmt(results['ondisk']['make'])} |"
            + " |" * (2 * len(engines) - 3)
        )
    line("peak memory (RSS)", {e: results[e].get("peak_mb") for e in engines}, fmt_mb)
    print(
        f"| index build (all named queries) | {fmt(ours.get('index_build'))} |"
        + " |" * (2 * len(engines) - 1)
    )
    for name, seconds in ours.get("table_builds", {}).items():
        if name.endswith("(its hubs)"):  # made in place of a table of every answer
            print(f"| of which {name} | {fmt(seconds)} |" + " |" * (2 * len(engines) - 1))
    if ours.get("index_stopped"):
        print(f"index stopped: {ours['index_stopped']}")
    differences = []
    for name in query_order():
        values = {e: results[e].get("queries", {}).get(name) for e in engines}
        cells = []
        for engine in engines:
            value = values[engine]
            error = results[engine].get("errors", {}).get(name)
            shown = "error" if error else fmt(value) if value is not None else "—"
            via = ours.get("via", {}).get(name, "")
            if engine == "embedded" and via.startswith("index"):
                first = ours.get("first_page", {}).get(name)
                shown += f" ({via}; first {PAGE}: {fmt(first)})" if first else f" ({via})"
            cells.append(shown)
            if engine != "embedded":
                base = values["embedded"]
                cells.append(f"{value / base:.1f}x" if value and base else "")
            if error:
                differences.append(f"{size:,} {name} on {LABELS[engine]}: {error}")
        notes = []
        for engine in engines[1:]:
            differ = compare_rows(ours, results[engine], name)
            if differ:
                notes.append(f"≠ {LABELS[engine]}")
                differences.append(f"{size:,} {name}, {LABELS[engine]}: {differ}")
        rows = ours.get("rows", {}).get(name)
        print(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {rows if rows is not None else '—'}{' ' + ', '.join(notes) if notes else ''} |"
        )
    rd = results.get("rdflib", {})
    if rd.get("stopped"):
        print(
            f"rdflib stopped: {rd['stopped']}, having loaded {rd.get('loaded', 0):,} of "
            f"{lines:,} lines in {fmt(rd.get('load'))}, peak {fmt_mb(rd.get('peak_mb'))}"
        )
    for engine in ("oxigraph", "virtuoso"):
        if "ask_remote_store" in results.get(engine, {}):
            print(
                f"{LABELS[engine]}, ASK {{}}: {fmt(results[engine]['ask_kept_alive'])} on the "
                f"kept-alive connection, {fmt(results[engine]['ask_remote_store'])} through "
                "RemoteStore (a new client per query)"
            )
    for engine in engines:
        if results[engine].get("error") and not results[engine].get("stopped"):
            print(f"{LABELS[engine]} failed: {results[engine]['error']}")
    return differences


def print_growth(per_size: dict[int, dict[str, dict[str, Any]]]) -> None:
    sizes = sorted(per_size)
    if len(sizes) < 2:
        return
    print("\n## Growth from one size to the next (a super-linear step is over 10x)")
    print("| figure | " + " | ".join(f"{s:,}" for s in sizes) + " | growth per step |")
    print("|---|" + "---|" * (len(sizes) + 1))

    def row(label: str, values: list[float | None], show: Any) -> None:
        print(
            f"| {label} | "
            + " | ".join(show(v) if v is not None else "—" for v in values)
            + f" | {growth(values)} |"
        )

    for engine in ENGINES:
        row(
            f"load, {LABELS[engine]}",
            [per_size[s].get(engine, {}).get("load") for s in sizes],
            fmt,
        )
    for engine in ENGINES:
        row(
            f"peak memory, {LABELS[engine]}",
            [per_size[s].get(engine, {}).get("peak_mb") for s in sizes],
            fmt_mb,
        )
    row("index build", [per_size[s]["embedded"].get("index_build") for s in sizes], fmt)
    for name in query_order():
        for engine in ("embedded", "oxigraph", "virtuoso"):
            row(
                f"{name}, {LABELS[engine]}",
                [per_size[s].get(engine, {}).get("queries", {}).get(name) for s in sizes],
                fmt,
            )


def verdict(per_size: dict[int, dict[str, dict[str, Any]]]) -> list[str]:
    """PASS/FAIL lines against the targets at 10M (at the largest size if smaller,
    said so); returns the failures."""
    size = max(per_size)
    at = f"{size:,} triples" + ("" if size >= TARGET_SIZE else " (targets are for 10M)")
    failures = []
    print(f"\n## Targets at {at}")

    def check(ok: bool, text: str) -> None:
        print(("PASS " if ok else "FAIL ") + text)
        if not ok:
            failures.append(text)

    for engine in ("embedded", "ondisk"):
        run = per_size[size].get(engine)
        if not run or "queries" not in run:
            continue
        label = LABELS[engine]
        load, peak = run.get("load"), run.get("peak_mb")
        what = "open (read-only)" if engine == "ondisk" else "load"
        made = f", after its one make of {fmt(run['make'])}" if "make" in run else ""
        check(
            load is not None and load <= TARGET_LOAD,
            f"{label}: {what} {fmt(load)} <= 30 s{made}",
        )
        check(
            peak is not None and peak <= TARGET_MEMORY_MB,
            f"{label}: peak memory {fmt_mb(peak)} <= 6 GB",
        )
        for name in query_order():
            seconds = run.get("queries", {}).get(name)
            via = run.get("via", {}).get(name, "?")
            first = run.get("first_page", {}).get(name)
            if first is not None:  # a long answer from the index: its first page is judged
                check(
                    first <= TARGET_QUERY,
                    f"{label}: {name} ({via}) first {PAGE} rows {fmt(first)} <= 150 ms "
                    f"(whole answer, {run['rows'][name]:,} rows: {fmt(seconds)})",
                )
                continue
            check(
                seconds is not None and seconds <= TARGET_QUERY,
                f"{label}: {name} ({via}) {fmt(seconds)} <= 150 ms",
            )
        below = run.get("below_hubs")
        if below and "error" in below:
            check(False, f"{label}: entity for {below['entity']}: {below['error']}")
        elif below:  # the slowest entity left to SPARQL: the most claims below the hubs
            check(
                below["seconds"] <= TARGET_QUERY,
                f"{label}: entity ({below['via']}) for {below['entity']}, {below['claims']} "
                f"claims, the most below the hubs, {fmt(below['seconds'])} <= 150 ms "
                f"(first run {fmt(below['first'])}, {below['rows']} rows)",
            )
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000,10000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="which to run, comma-separated (embedded always runs: the others are compared "
        "with it)",
    )
    parser.add_argument(
        "--workdir", help="keep the synthetic files here and reuse them (default: a temp folder)"
    )
    parser.add_argument(
        "--rdflib-cap",
        type=float,
        help="rdflib's address-space cap in GB (default: available memory less 3 GB)",
    )
    parser.add_argument("--rdflib-timeout", type=int, default=30, help="per rdflib query, s")
    parser.add_argument(
        "--rdflib-load-limit", type=int, default=900, help="rdflib load stops after this, s"
    )
    parser.add_argument("--rdflib-queries-up-to", type=int, default=1_000_000)
    parser.add_argument("--peer-timeout", type=float, default=60, help="per server query, s")
    parser.add_argument("--virtuoso-buffers", type=int, default=VIRTUOSO_BUFFERS)
    parser.add_argument(
        "--index-limit", type=int, default=480, help="seconds for building the index's tables"
    )
    parser.add_argument(
        "--embedded-query-limit", type=int, default=60, help="per SPARQL query embedded, s"
    )
    parser.add_argument("--no-entity-table-from", type=int, default=5_000_000)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    parser.add_argument("--skip", help=argparse.SUPPRESS)
    parser.add_argument("--cap-mb", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--no-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        return engine_main(args)

    import pyoxigraph
    import rdflib

    from graph.progress import stage
    from graph.synth import write_synthetic

    print(
        f"# Scale benchmark: {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, "
        f"rdflib {rdflib.__version__}, {os.cpu_count()} cores, "
        f"{available_mb() / 1024:.1f} GB available, load average "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    engines = {e.strip() for e in args.engines.split(",") if e.strip()} | {"embedded"}
    unknown = engines - set(ENGINES)
    if unknown:
        parser.error(f"--engines: unknown {', '.join(sorted(unknown))} (of {', '.join(ENGINES)})")
    per_size: dict[int, dict[str, dict[str, Any]]] = {}
    differences: list[str] = []
    with contextlib.ExitStack() as stack:
        workdir = (
            Path(args.workdir)
            if args.workdir
            else Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-scale-")))
        )
        workdir.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            path = workdir / f"synthetic-{size}.nt"
            if not path.exists():  # written atomically: present means complete
                with stage(f"synthetic {size:,} triples"):
                    write_synthetic(path, size, seed=1)
            with path.open("rb") as handle:
                lines = sum(1 for _ in handle)
            results: dict[str, dict[str, Any]] = {}
            with stage(f"embedded, {size:,} triples"):
                results["embedded"] = launch("embedded", path, workdir, args)
            if "params" not in results["embedded"]:
                print(f"embedded run failed at {size:,}: {results['embedded'].get('error')}")
                return 1
            params = workdir / f"params-{size}.json"
            params.write_text(json.dumps(results["embedded"]["params"]))
            for engine in ("ondisk", "oxigraph", "virtuoso"):
                if engine not in engines:
                    continue
                skip = ",".join(results["embedded"].get("skipped", []))
                with stage(f"{LABELS[engine]}, {size:,} triples"):
                    results[engine] = launch(
                        engine, path, workdir, args, params=params, skip=skip or None
                    )
            cap_mb = (args.rdflib_cap * 1024) if args.rdflib_cap else available_mb() - 3 * 1024
            if "rdflib" in engines:
                with stage(f"rdflib (cap {fmt_mb(cap_mb)}), {size:,} triples"):
                    results["rdflib"] = launch(
                        "rdflib",
                        path,
                        workdir,
                        args,
                        params=params,
                        cap_mb=max(cap_mb, 1024),
                        no_queries=size > args.rdflib_queries_up_to,
                    )
                results["rdflib"]["cap_mb"] = cap_mb
            per_size[size] = results
            differences += print_size(size, lines, results)
            (workdir / f"extras-synthetic-{size}.nt").unlink(missing_ok=True)
    print_growth(per_size)
    print("\n## Rows compared with the embedded store (row multisets, every named query)")
    print("\n".join(differences) if differences else "every engine gave the embedded rows")
    failures = verdict(per_size)
    print("\nload average at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print("RESULT:", "PASS" if not failures else f"FAIL ({len(failures)} of the targets missed)")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
