"""Build benchmark: records → RDF → SHACL → outputs, on synthetic YAML records.

Run:  python benchmarks/bench_build.py [--sizes 1000:5000,10000:50000] [--baseline-max 1000]

For each size ENTITIES:CLAIMS a data folder is written by
:func:`graph.synth_records.write_records` (seed 1; not timed). ``graph.api.build``
then runs on it as ``alliance-graph build`` does, twice, each into a new folder:

- as it runs by default: validation and the explorer in a second process
  (:mod:`graph.parallel`) while the outputs are made; timed whole, with the CPU of
  both processes;
- then the baseline, in one process (``ALLIANCE_GRAPH_JOBS=1``), each stage
  timed on its own: reading and checking the records, reconciling the sources,
  building the rdflib graph, validation (SHACL shapes and violation queries), the
  explorer page, and serialising and writing the outputs. It runs second, so what
  the process has warmed up favours it.

Then one source's ``claims.yaml`` gains a claim and the build runs again into the
same folder (the incremental rebuild: the YAML of the unchanged files is read
from the build folder's ``.cache/``, :mod:`graph.buildcache`). The validation
baseline is the same validation with pySHACL evaluating the shapes (what the
build did before), run on sizes up to --baseline-max entities (it takes minutes
beyond). Growth factors compare each size with the previous one.

Targets: 10,000 entities and 50,000 claims built in <= 20 s; a rebuild after
one changed source <= 2 s; validation >= 10x faster than pySHACL's.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import itertools
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: (module, function) timed as one stage each; api.build imports them at call time.
STAGES = {
    "records": ("graph.records", "load_records"),
    "reconcile": ("graph.reconcile", "reconcile"),
    "rdf graph": ("graph.build", "build_graph"),
    "n-triples": ("graph.build", "serialize_ntriples"),
    "validate": ("graph.validate", "validate_graph"),
    "explorer": ("graph.render", "render_html"),
    "projection": ("graph.network", "to_networkx"),
    "outputs": ("graph.build", "serialize_outputs"),
    "write": ("graph.buildset", "write_set"),
}


@contextlib.contextmanager
def timed_stages() -> Iterator[dict[str, float]]:
    """Wrap each stage function so that its time is added to the returned dict."""
    times: dict[str, float] = defaultdict(float)
    saved = []
    for stage, (module_name, name) in STAGES.items():
        module = importlib.import_module(module_name)
        original = getattr(module, name)

        def wrapper(*args, __f=original, __s=stage, **kwargs):  # type: ignore[no-untyped-def]
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return __f(*args, **kwargs)
            finally:
                times[__s] += time.perf_counter() - start
                times[__s + " (CPU)"] += time.process_time() - cpu

        setattr(module, name, wrapper)
        saved.append((module, name, original))
    try:
        yield times
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


@contextlib.contextmanager
def one_process() -> Iterator[None]:
    """The build without its second process (``ALLIANCE_GRAPH_JOBS=1``)."""
    from graph.parallel import JOBS

    saved = os.environ.get(JOBS)
    os.environ[JOBS] = "1"
    try:
        yield
    finally:
        if saved is None:
            del os.environ[JOBS]
        else:
            os.environ[JOBS] = saved


def children_cpu() -> float:
    """CPU seconds of this process's ended children (the build's second process)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def change_one_source(data: Path) -> None:
    """Add one claim to the first source: its first claim again, quoting less of the
    sentence (the sentence without its full stop), so it is a new claim of that fact."""
    path = sorted((data / "sources").iterdir())[0] / "claims.yaml"
    claims = path.read_text(encoding="utf-8")
    first = claims.split("\n- ", 1)[1].split("\n\n", 1)[0].rstrip("\n")
    assert first.endswith('."'), first
    path.write_text(claims + "\n- " + first[:-2] + '"\n', encoding="utf-8")


def baseline_validate(result: object) -> float:
    """Validation as it was: pySHACL for the shapes, the checks in Oxigraph."""
    from rdflib import Graph

    from graph.resources import ontology_dir
    from graph.validate import _query_violations, _shacl_violations

    onto = result.ontology  # type: ignore[attr-defined]
    graph = Graph()  # rdflib's default store, as validation had (pySHACL would copy it)
    graph += result.graph  # type: ignore[attr-defined]
    start = time.perf_counter()
    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    _shacl_violations(graph, onto, shapes)
    _query_violations(graph, onto, sorted((ontology_dir() / "checks").glob("*-violation.rq")))
    return time.perf_counter() - start


def run(
    entities: int, claims: int, baseline: bool, rebuild: bool, workdir: Path
) -> dict[str, object]:
    from graph import api
    from graph.synth_records import write_records

    data = workdir / f"data-{entities}"
    start = time.perf_counter()
    write_records(data, entities, claims, seed=1)
    generated = time.perf_counter() - start
    out = workdir / f"build-{entities}"
    # The build as it runs by default: validation and explorer in a second process.
    # It runs first, so that what the process has warmed up (imports, caches) favours
    # the baseline after it.
    start, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
    api.build(data, out)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu + children_cpu() - children
    # The baseline, its stages timed one after another: the build in one process.
    with timed_stages() as stages, one_process():
        start, cpu_serial = time.perf_counter(), time.process_time()
        result = api.build(data, workdir / f"serial-{entities}")
        serial, serial_cpu = time.perf_counter() - start, time.process_time() - cpu_serial
    again: dict[str, float] = {}
    rebuilt = None
    if rebuild:
        change_one_source(data)
        with timed_stages() as again:
            start = time.perf_counter()
            api.build(data, out)
            rebuilt = time.perf_counter() - start
    row: dict[str, object] = {
        "entities": entities,
        "claims": len(result.dataset.claims),
        "triples": len(result.graph),
        "generate": generated,
        "serial": serial,
        "serial_cpu": serial_cpu,
        "build": total,
        "cpu": cpu,
        "stages": dict(stages),
        "rebuild": rebuilt,
        "rebuild_stages": dict(again),
        "baseline_validate": baseline_validate(result) if baseline else None,
    }
    return row


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000:5000,10000:50000", help="comma-separated ENTITIES:CLAIMS"
    )
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=1000,
        help="run the pySHACL baseline up to this many entities",
    )
    parser.add_argument(
        "--rebuild-max",
        type=int,
        default=10**9,
        help="time the rebuild after one change up to this many entities",
    )
    args = parser.parse_args()
    sizes = [tuple(int(x) for x in s.split(":")) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        for entities, claims in sizes:
            row = run(
                entities,
                claims,
                entities <= args.baseline_max,
                entities <= args.rebuild_max,
                Path(tmp),
            )
            rows.append(row)
            print(
                f"{entities} entities, {row['claims']} claims, {row['triples']} triples: "
                f"build {seconds(row['build'])} (CPU {seconds(row['cpu'])}; in one process "
                f"{seconds(row['serial'])}, CPU {seconds(row['serial_cpu'])}), "
                f"rebuild {seconds(row['rebuild'])} "
                f"(records generated in {seconds(row['generate'])})",
                flush=True,
            )

    stage_names = [name for stage in STAGES for name in (stage, stage + " (CPU)")]
    head = " | ".join(f"{r['entities']}/{r['claims']}" for r in rows)
    print(f"\n| stage | {head} | growth |")
    print("|---|" + "---|" * (len(rows) + 1))

    def growth(values: list[float | None]) -> str:
        pairs = [f"{b / a:.1f}×" for a, b in itertools.pairwise(values) if a and b]
        return ", ".join(pairs)

    for stage in stage_names:
        values = [r["stages"].get(stage) for r in rows]  # type: ignore[union-attr]
        print(f"| {stage} | " + " | ".join(seconds(v) for v in values) + f" | {growth(values)} |")
    for stage in STAGES:  # where the rebuild after one changed source spends its time
        values = [r["rebuild_stages"].get(stage + " (CPU)") for r in rows]  # type: ignore[union-attr]
        if any(v is not None for v in values):
            print(f"| rebuild: {stage} (CPU) | " + " | ".join(seconds(v) for v in values) + " | |")
    for label, key in (
        ("whole build in one process", "serial"),
        ("whole build in one process, CPU time", "serial_cpu"),
        ("whole build", "build"),
        ("whole build, CPU time of both processes", "cpu"),
        ("rebuild after one changed source", "rebuild"),
        ("validate with pySHACL (baseline)", "baseline_validate"),
    ):
        values = [r[key] for r in rows]  # type: ignore[misc]
        print(
            f"| {label} | "
            + " | ".join(seconds(v) for v in values)  # type: ignore[arg-type]
            + f" | {growth(values)} |"
        )  # type: ignore[arg-type]
    print(
        "two processes against one: "
        + ", ".join(f"{r['serial'] / r['build']:.2f}× faster at {r['entities']}" for r in rows)  # type: ignore[operator]
    )
    print(
        "size growth: "
        + ", ".join(
            f"{b['triples'] / a['triples']:.1f}× triples"  # type: ignore[operator]
            for a, b in itertools.pairwise(rows)
        )
    )

    verdicts = []
    target = next((r for r in rows if r["entities"] >= 10_000 and r["claims"] >= 50_000), None)
    if target is not None:
        verdicts.append(("build of 10,000 entities / 50,000 claims <= 20 s", target["build"] <= 20))  # type: ignore[operator]
    rebuilt = [r for r in rows if r["rebuild"] is not None]
    if rebuilt:
        r = rebuilt[-1]
        verdicts.append(
            (
                f"rebuild after one changed source at {r['entities']} entities <= 2 s",
                r["rebuild"] <= 2,
            )
        )  # type: ignore[operator]
    for r in rows:
        if r["baseline_validate"]:
            ratio = r["baseline_validate"] / r["stages"]["validate"]  # type: ignore[index,operator]
            verdicts.append(
                (
                    f"validation at {r['entities']} entities: {ratio:.1f}× faster "
                    "than pySHACL (>= 10×)",
                    ratio >= 10,
                )
            )
    print()
    for text, ok in verdicts:
        print(("PASS " if ok else "FAIL ") + text)
    return 0 if all(ok for _, ok in verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
