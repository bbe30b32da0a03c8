"""Build benchmark: records → RDF → SHACL → outputs, on synthetic YAML records.

Run:  python benchmarks/bench_build.py [--sizes 1000:5000,10000:50000] [--baseline-max 1000]
      [--repeat N]

For each size ENTITIES:CLAIMS a data folder is written by
:func:`graph.synth_records.write_records` (seed 1; not timed). ``graph.api.build``
then runs on it as ``alliance-graph build`` does, twice, each into a new folder
and each in a Python process of its own (as a user runs it; a second build in one
process is slowed by the first one's garbage):

- as it runs by default: validation and the explorer in a second process
  (:mod:`graph.parallel`) while the outputs are made; timed whole, with the CPU of
  both processes and the peak memory of each;
- the baseline, in one process (``ALLIANCE_GRAPH_JOBS=1``), each stage
  timed on its own: reading and checking the records, reconciling the sources,
  building the rdflib graph, validation (SHACL shapes and violation queries), the
  explorer page, and serialising and writing the outputs.

Then one source's ``claims.yaml`` gains a claim and the build runs again into the
same folder (the incremental rebuild: the YAML of the unchanged files is read
from the build folder's ``.cache/``, :mod:`graph.buildcache`). With ``--repeat N``
each of the three is run N times, alternated (build, one-process build, rebuild
after a change to another source), and the median is judged, with the spread
printed: on a shared machine one run of the same build varies by a third. The validation
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
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def children_cpu() -> float:
    """CPU seconds of this process's ended children (the build's second process)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def change_one_source(data: Path, which: int = 0) -> None:
    """Add one claim to the source at place ``which``: its first claim again, quoting
    less of the sentence (the sentence without its full stop), so it is a new claim of
    that fact."""
    path = sorted((data / "sources").iterdir())[which] / "claims.yaml"
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
    entities: int, claims: int, baseline: bool, rebuild: bool, workdir: Path, repeat: int = 1
) -> dict[str, object]:
    from graph import api
    from graph.synth_records import write_records

    data = workdir / f"data-{entities}"
    start = time.perf_counter()
    write_records(data, entities, claims, seed=1)
    generated = time.perf_counter() - start
    out = workdir / f"build-{entities}"
    # Each build in a process of its own, as `alliance-graph build` runs: a build after
    # another in one process is slowed by the first one's garbage, or sped up by its
    # warm-up, either way not as a user sees it.
    parallels, serials, rebuilds = [], [], []
    for run_no in range(repeat):  # alternated, so that a slower spell of the machine is shared
        fresh = out if run_no == 0 else workdir / f"build-{entities}-{run_no}"
        parallels.append(build_in_process(data, fresh))  # as it runs by default: two processes
        serial_out = workdir / f"serial-{entities}"
        serials.append(build_in_process(data, serial_out, jobs=1))  # the baseline
        shutil.rmtree(serial_out)
        if fresh != out:
            shutil.rmtree(fresh)
        if rebuild:
            change_one_source(data, run_no)
            # into the first build's folder: its .cache/ is read
            rebuilds.append(build_in_process(data, out))
    parallel, serial = _median_run(parallels), _median_run(serials)
    rebuilt = _median_run(rebuilds) if rebuilds else None
    result = None
    if baseline:
        from graph import api

        result = api.validate(data)
    row: dict[str, object] = {
        "entities": entities,
        "claims": serial["claims"],
        "triples": serial["triples"],
        "generate": generated,
        "serial": serial["wall"],
        "serial_cpu": serial["cpu"],
        "build": parallel["wall"],
        "cpu": parallel["cpu"],
        "peak": parallel["peak"],
        "serial_peak": serial["peak"],
        "stages": serial["stages"],
        "rebuild": rebuilt["wall"] if rebuilt else None,
        "spread": {
            "build": [r["wall"] for r in parallels],
            "serial": [r["wall"] for r in serials],
            "rebuild": [r["wall"] for r in rebuilds],
        },
        "rebuild_stages": rebuilt["stages"] if rebuilt else {},
        "baseline_validate": baseline_validate(result) if result is not None else None,
    }
    return row


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median wall time (the lower middle one of an even number)."""
    return sorted(runs, key=lambda r: r["wall"])[(len(runs) - 1) // 2]


def build_in_process(data: Path, out: Path, jobs: int | None = None) -> dict[str, Any]:
    """One ``api.build`` in a new Python process (:func:`single`); its figures."""
    from graph.parallel import JOBS

    env = dict(os.environ)
    env.pop(JOBS, None)
    if jobs is not None:
        env[JOBS] = str(jobs)
    done = subprocess.run(
        [sys.executable, __file__, "--single", str(data), str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the build of {data} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def single(data: Path, out: Path) -> None:
    """Build ``data`` into ``out`` with every stage timed; print the figures as JSON.

    Wall and CPU time are the whole build's (CPU: this process and its ended children,
    the build's second process); the stages are those run in this process (in the
    two-process build, validation and the explorer run in the other and are not listed).
    Peak memory is this process's and, apart, its largest child's (``ru_maxrss``).
    """
    from graph import api

    with timed_stages() as stages:
        start, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
        result = api.build(data, out)
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu + children_cpu() - children
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures = {
        "wall": wall,
        "cpu": cpu,
        "peak": [peak, child_peak],
        "stages": dict(stages),
        "claims": len(result.dataset.claims),
        "triples": len(result.graph),
    }
    print(json.dumps(figures))


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
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each build N times, alternated, and judge the median (default 1)",
    )
    parser.add_argument("--single", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.single:
        single(*args.single)
        return 0
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
                max(1, args.repeat),
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
            if args.repeat > 1:
                spread = row["spread"]
                print(
                    f"  median of {args.repeat}; each run: "
                    + "; ".join(
                        f"{name} " + ", ".join(f"{v:.2f}" for v in values) + " s"
                        for name, values in spread.items()  # type: ignore[attr-defined]
                        if values
                    ),
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
    for label, key in (("peak memory, one process", "serial_peak"), ("peak memory", "peak")):
        values = [r[key] for r in rows]
        print(
            f"| {label} (MB) | "
            + " | ".join("+".join(f"{m:,.0f}" for m in v if m) for v in values)  # type: ignore[attr-defined]
            + " | |"
        )
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
