"""SPARQL benchmark: load and every named query, embedded Oxigraph vs plain rdflib.

Run:  python benchmarks/bench_sparql.py [--sizes 10000,100000,1000000] [--repeat 3]

For each size a synthetic graph is generated (graph.synth), then each engine
runs in its own subprocess so peak memory (ru_maxrss) is its own: load time
(data, ontology and the ag:dependsOn entailment, the same on both), then every
named query with parameters picked from the data by the embedded run, median
of --repeat runs (a baseline query over 10 s is run once, and marked).
rdflib queries get --rdflib-timeout seconds each (reported as "timeout", and
the ratio then as a lower bound ">Nx"). Also times the whole process
`alliance-graph query NAME` on the shipped data.

Targets at 1M triples: load >= 10x faster than rdflib; every named query
>= 100x faster than rdflib or under 150 ms; whole-process query < 1 s.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pick_parameters(store: object) -> dict[str, dict[str, str]]:
    """Parameters for each named query that exist in the synthetic data."""
    from graph.sparql.catalogue import named_queries

    def one(sparql: str) -> dict[str, str]:
        rows = list(store.query(sparql))  # type: ignore[attr-defined]
        return rows[0] if rows else {}

    prefix = (
        "PREFIX ag: <https://w3id.org/alliance-graph/ontology#> "
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
    )
    # The most-required entity (a hub) for the entity card; a typical programme
    # (fewest dependents) for the transitive queries.
    hub = one(
        prefix + "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ag:requires ?o } "
        "GROUP BY ?o ORDER BY DESC(?n) LIMIT 1"
    ).get("o", "")
    typical = one(
        prefix + "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ag:buildsOn ?o } "
        "GROUP BY ?o ORDER BY ?n ?o LIMIT 1"
    ).get("o", "")
    chain = one(
        prefix + "SELECT ?s WHERE { ?s ag:buildsOn ?x . ?x ag:buildsOn ?y } ORDER BY ?s LIMIT 1"
    ).get("s", "")
    agreement = list(
        store.query(
            prefix + "SELECT ?a ?p WHERE { ?a ag:hasParty ?p } "  # type: ignore[attr-defined]
            "ORDER BY ?a LIMIT 2"
        )
    )
    claim = one(
        prefix + "SELECT ?s ?p ?o WHERE { ?c rdf:subject ?s ; rdf:predicate ?p ; "
        "rdf:object ?o . FILTER isIRI(?o) } LIMIT 1"
    )
    signed = one(prefix + "SELECT ?a WHERE { ?a ag:signedBy ?x } LIMIT 1").get("a", "")
    chosen = {
        "agreements": {"party_a": agreement[0]["p"], "party_b": agreement[1]["p"]},
        "signatories": {"agreement": signed},
        "builds-on": {"programme": chain},
        "dependents": {"entity": typical},
        "dependencies": {"entity": chain},
        "source-statements": {"source": "synthetic-source-0"},
        "evidence": {
            "subject": claim.get("s", ""),
            "predicate": claim.get("p", ""),
            "object": claim.get("o", ""),
        },
        "entity": {"entity": hub},
        "find-entity": {"name": "Company 12"},
    }
    return {name: chosen.get(name, {}) for name in named_queries()}


def run_engine(
    engine: str,
    path: str,
    repeat: int,
    timeout: int,
    skip: set[str],
    params: dict[str, dict[str, str]] | None = None,
) -> dict[str, object]:
    """Load ``path`` and run every named query on one engine (in this process).

    The embedded run picks the parameters from the data and reports them; the
    rdflib run is handed them, so its peak memory is rdflib's alone.
    """
    from graph.sparql.binding import bind_parameters
    from graph.sparql.catalogue import get_named_query, named_queries
    from graph.sparql.engines import DEPENDENCY_ENTAILMENT, EmbeddedStore

    result: dict[str, object] = {"queries": {}, "rows": {}, "runs": {}}
    if engine == "embedded":
        started = time.perf_counter()
        store = EmbeddedStore(Path(path), trusted=True)  # synth wrote it, as build would
        result["load"] = time.perf_counter() - started
        params = pick_parameters(store)
        result["params"] = params
    else:
        from rdflib import Graph

        from graph.resources import ontology_dir

        assert params is not None
        # The same content as the embedded store: data, ontology, dependsOn entailment.
        started = time.perf_counter()
        graph = Graph()
        graph.parse(path, format="nt")
        graph.parse(ontology_dir() / "alliance.ttl", format="turtle")
        graph.update(DEPENDENCY_ENTAILMENT)
        result["load"] = time.perf_counter() - started

    def alarm(*_: object) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    for name in named_queries():
        if name in skip:
            result["queries"][name] = None  # type: ignore[index]
            result["rows"][name] = None  # type: ignore[index]
            continue
        query = get_named_query(name)
        terms = bind_parameters(query, params[name])
        times: list[float] = []
        rows = None
        for _ in range(repeat):
            started = time.perf_counter()
            if engine == "embedded":
                rows = len(store.query(query.sparql, terms))
            else:
                from rdflib.util import from_n3

                # Same terms, handed to rdflib as its own pre-bindings.
                init = {k: from_n3(str(v)) for k, v in terms.items()}
                signal.alarm(timeout)
                try:
                    rows = len(list(graph.query(query.sparql, initBindings=init)))
                except TimeoutError:
                    times.append(float("inf"))
                    break
                finally:
                    signal.alarm(0)
            times.append(time.perf_counter() - started)
            # A baseline query of over 10 s is timed once: three runs would
            # take minutes and move its ratio by little.
            if times[-1] > 10:
                break
        result["queries"][name] = statistics.median(times)  # type: ignore[index]
        result["runs"][name] = len(times)  # type: ignore[index]
        result["rows"][name] = rows  # type: ignore[index]
    if engine == "embedded":
        result.update(run_index(store, params, repeat))
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_index(store: object, params: dict[str, dict[str, str]], repeat: int) -> dict[str, object]:
    """Build the query index (graph.index: every query with an ``# index:`` line) and
    time the queries it answers, checking that its rows are the store's rows; also
    the first page (50 rows) of each."""
    from graph.index import NamedQueryIndex
    from graph.sparql.binding import bind_parameters
    from graph.sparql.catalogue import named_queries

    queries = {name: q for name, q in named_queries().items() if q.index}
    index = NamedQueryIndex(store)  # type: ignore[arg-type]
    out: dict[str, object] = {
        "index_build": 0.0,
        "index_builds": {},
        "indexed": {},
        "first_page": {},
        "index_same": {},
    }
    for name, query in queries.items():  # each table built once, timed on its own
        started = time.perf_counter()
        index.warm({name: query})
        out["index_builds"][name] = time.perf_counter() - started  # type: ignore[index]
        out["index_build"] += out["index_builds"][name]  # type: ignore[operator,index]
    for name, query in queries.items():
        terms = bind_parameters(query, params.get(name, {}))
        for key, limit in (("indexed", None), ("first_page", 50)):
            times, cpu = [], []
            for _ in range(repeat):
                started, used = time.perf_counter(), time.process_time()
                answer = index.answer(query, terms, limit=limit)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - used)
            out[key][name] = statistics.median(times)  # type: ignore[index]
            out.setdefault(key + "_cpu", {})[name] = statistics.median(cpu)  # type: ignore[attr-defined]
            out.setdefault("rows_returned", {})[f"{name}:{key}"] = len(answer)  # type: ignore[arg-type,attr-defined]
        assert answer is not None
        out["index_same"][name] = (  # type: ignore[index]
            index.answer(query, terms).rows == store.query(query.sparql, terms).rows
        )  # type: ignore[attr-defined,union-attr]
    return out


def whole_process_query() -> float:
    """Median wall time of `alliance-graph query signatories`, a fresh process each
    run, on the shipped data built into a scratch folder."""
    cli = Path(sys.executable).with_name("alliance-graph")
    with tempfile.TemporaryDirectory(prefix="bench-sparql-build-") as out:
        subprocess.run([str(cli), "build", "--out", out], check=True, capture_output=True)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run(
                [str(cli), "query", "signatories", "--out", out], check=True, capture_output=True
            )
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def fmt(seconds: float) -> str:
    if seconds == float("inf"):
        return "timeout"  # the per-query limit, --rdflib-timeout
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def summary(per_size: dict[int, dict[str, Any]], failures: list[str]) -> None:
    """Each named query at every size (the index's time where it answers), the growth
    factor from one size to the next, and the verdict against 50 ms at 1M."""
    sizes = sorted(per_size)
    if not sizes:
        return
    print("\n## Every named query by size (embedded; indexed where the index answers)")
    print("| query | " + " | ".join(f"{s:,}" for s in sizes) + " | growth | <= 50 ms at 1M |")
    print("|---|" + "---|" * (len(sizes) + 2))
    for name in per_size[sizes[0]]["queries"]:
        times = [per_size[s]["indexed"].get(name, per_size[s]["queries"][name]) for s in sizes]
        pages = [per_size[s]["first_page"].get(name) for s in sizes]
        growth = ", ".join(f"{b / a:.1f}x" for a, b in itertools.pairwise(times) if a and b)
        at_1m = next((t for s, t in zip(sizes, times, strict=True) if s >= 1_000_000), None)
        page_1m = next((t for s, t in zip(sizes, pages, strict=True) if s >= 1_000_000), None)
        # A long answer is read a page at a time (--limit): its first page is the target.
        verdict = (
            "—"
            if at_1m is None
            else "PASS"
            if at_1m <= 0.050
            else "PASS (first 50 rows)"
            if page_1m is not None and page_1m <= 0.050
            else "FAIL"
        )
        if verdict == "FAIL":
            failures.append(f"{name} at 1M: {fmt(at_1m)} > 50 ms")  # type: ignore[arg-type]
        shown = [
            "—" if t is None else fmt(t) + ("" if p is None else f" ({fmt(p)} first 50)")
            for t, p in zip(times, pages, strict=True)
        ]
        print(f"| {name} | " + " | ".join(shown) + f" | {growth} | {verdict} |")


def index_only(sizes: list[int], repeat: int) -> int:
    """Per size: the embedded load, the index build, and the indexed answers of every
    query with an ``# index:`` line (whole answer and first page), checked equal to
    SPARQL. A long answer passes on its first page (the target: 50 ms at 1M)."""
    from graph.synth import write_synthetic

    failures = []
    rows: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-index-") as tmp:
        for size in sizes:
            path = write_synthetic(Path(tmp) / f"synthetic-{size}.nt", size, seed=1)
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--engine",
                    "index",
                    "--file",
                    str(path),
                    "--repeat",
                    str(repeat),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            rows[size] = out = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{size:,} triples: load {fmt(out['load'])}, index built in "
                f"{fmt(out['index_build'])}, peak {out['peak_mb']:.0f} MB",
                flush=True,
            )
    names = list(rows[sizes[0]]["indexed"])
    print("\n| query | " + " | ".join(f"{s:,}" for s in sizes) + " | growth | <= 50 ms |")
    print("|---|" + "---|" * (len(sizes) + 2))
    for name in names:
        for key, label in (("indexed", name), ("first_page", f"{name}, first 50 rows")):
            times = [rows[s][key][name] for s in sizes]
            growth = ", ".join(f"{b / a:.1f}x" for a, b in itertools.pairwise(times) if a)
            same = all(rows[s]["index_same"][name] for s in sizes)
            fast = times[-1] <= 0.050 or (
                key == "indexed" and rows[sizes[-1]]["first_page"][name] <= 0.050
            )
            verdict = "PASS" if fast and same else "FAIL"
            if fast and same and times[-1] > 0.050:
                verdict = "PASS (first page)"
            if verdict == "FAIL":
                failures.append(f"{label}: {fmt(times[-1])}")
            cpu = [rows[s][key + "_cpu"][name] for s in sizes]
            returned = rows[sizes[-1]]["rows_returned"][f"{name}:{key}"]
            print(
                f"| {label} | " + " | ".join(fmt(t) for t in times) + f" | {growth} | {verdict} "
                f"(CPU {fmt(cpu[-1])}, {returned:,} rows) |"
            )
        builds = [rows[s]["index_builds"][name] for s in sizes]
        print(
            f"| {name}: table built once | "
            + " | ".join(fmt(t) for t in builds)
            + " | "
            + ", ".join(f"{b / a:.1f}x" for a, b in itertools.pairwise(builds) if a)
            + " | |"
        )
    builds = [rows[s]["index_build"] for s in sizes]
    print(
        "| every table built (once, after the load) | "
        + " | ".join(fmt(t) for t in builds)
        + " | "
        + ", ".join(f"{b / a:.1f}x" for a, b in itertools.pairwise(builds))
        + " | |"
    )
    same = all(rows[s]["index_same"][n] for s in sizes for n in names)
    print("\nrows equal to the SPARQL answers:", "yes" if same else "NO")
    print("RESULT:", "PASS" if not failures and same else "FAIL: " + "; ".join(failures))
    return 0 if not failures and same else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rdflib-timeout", type=int, default=60)
    parser.add_argument(
        "--index-only",
        action="store_true",
        help="only the query index: load, build it, time its answers",
    )
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--skip", default="", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.index_only:
        return index_only([int(x) for x in args.sizes.split(",")], args.repeat)
    if args.engine == "index":
        from graph.sparql.engines import EmbeddedStore

        started = time.perf_counter()
        store = EmbeddedStore(Path(args.file), trusted=True)
        loaded = time.perf_counter() - started
        out = run_index(store, pick_parameters(store), args.repeat)
        out["load"] = loaded
        out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out))
        return 0
    if args.engine:
        skip = set(filter(None, args.skip.split(",")))
        params = json.loads(Path(args.params).read_text()) if args.params else None
        print(
            json.dumps(
                run_engine(args.engine, args.file, args.repeat, args.rdflib_timeout, skip, params)
            )
        )
        return 0

    from graph.progress import stage
    from graph.synth import write_synthetic

    failures = []
    # A query that took over 10 s embedded is not run again at the next size (it
    # would take minutes); it is reported as skipped and counted as a failure.
    too_slow: set[str] = set()
    per_size: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            with stage(f"synthetic {size:,} triples"):
                path = write_synthetic(Path(tmp) / f"synthetic-{size}.nt", size, seed=1)
            results = {}
            params_file = Path(tmp) / "params.json"
            for engine in ("embedded", "rdflib"):
                command = [
                    sys.executable,
                    __file__,
                    "--engine",
                    engine,
                    "--file",
                    str(path),
                    "--repeat",
                    str(args.repeat),
                    "--rdflib-timeout",
                    str(args.rdflib_timeout),
                    "--skip",
                    ",".join(sorted(too_slow)),
                ]
                if engine == "rdflib":
                    command += ["--params", str(params_file)]
                with stage(f"{engine} engine, {size:,} triples"):
                    done = subprocess.run(command, capture_output=True, text=True, check=True)
                results[engine] = json.loads(done.stdout.strip().splitlines()[-1])
                if engine == "embedded":
                    params_file.write_text(json.dumps(results[engine]["params"]))
            ours, base = results["embedded"], results["rdflib"]
            with path.open("rb") as handle:
                lines = sum(1 for _ in handle)
            print(f"\n## {size:,} triples requested, {lines:,} generated (synthetic, seed 1)")
            print(f"{'':22} {'embedded':>12} {'rdflib':>12} {'ratio':>8}  rows")
            ratio = base["load"] / ours["load"]
            print(f"{'load':22} {fmt(ours['load']):>12} {fmt(base['load']):>12} {ratio:>7.1f}x")
            if size >= 1_000_000 and ratio < 10:
                failures.append(f"load at {size}: {ratio:.1f}x < 10x")
            for name, ours_s in ours["queries"].items():
                if ours_s is None:
                    print(
                        f"{name:22} {'skipped':>12} {'skipped':>12}  (over 10 s at the "
                        "previous size)"
                    )
                    failures.append(f"{name} at {size}: skipped")
                    continue
                if ours_s > 10:
                    too_slow.add(name)
                base_s = base["queries"][name]
                timed_out = base_s == float("inf")
                # A timed-out baseline gives only a lower bound on the ratio.
                ratio = (args.rdflib_timeout if timed_out else base_s) / ours_s
                shown = f">{ratio:.0f}x" if timed_out else f"{ratio:.1f}x"
                same = "" if base["rows"][name] in (None, ours["rows"][name]) else " (rows differ)"
                once = "" if base["runs"][name] >= args.repeat or timed_out else " (rdflib: 1 run)"
                print(
                    f"{name:22} {fmt(ours_s):>12} {fmt(base_s):>12} "
                    f"{shown:>8}  {ours['rows'][name]}{same}{once}"
                )
                if size >= 1_000_000 and ours_s > 0.150 and ratio < 100:
                    failures.append(f"{name} at {size}: {fmt(ours_s)}, {ratio:.1f}x")
            print(
                f"{'peak memory (RSS)':22} {ours['peak_mb']:>9.0f} MB {base['peak_mb']:>9.0f} MB "
                f"{base['peak_mb'] / ours['peak_mb']:>7.1f}x"
            )
            print(f"query index built in {fmt(ours['index_build'])} after the load:")
            for name, seconds in ours["indexed"].items():
                same = "same rows" if ours["index_same"][name] else "ROWS DIFFER"
                print(
                    f"  {name:20} {fmt(seconds):>10} (SPARQL {fmt(ours['queries'][name])}), "
                    f"first page of 50: {fmt(ours['first_page'][name])}, {same}"
                )
                if not ours["index_same"][name]:
                    failures.append(f"{name} at {size}: index rows differ from SPARQL")
            per_size[size] = ours
    summary(per_size, failures)
    seconds = whole_process_query()
    print(f"\nwhole process `alliance-graph query signatories` (shipped data): {fmt(seconds)}")
    if seconds >= 1:
        failures.append(f"whole-process query {fmt(seconds)} >= 1 s")
    print("\nRESULT:", "PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
