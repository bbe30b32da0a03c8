"""Benchmark the ingest pipeline against a hand-annotated gold set.

Run standalone from the repository root::

    python benchmarks/bench_ingest.py [--sizes 1000,10000,100000] [--docs 200] [--show]
    python benchmarks/bench_ingest.py --synthetic 10000   # one registry size, as before

The gold set (``benchmarks/gold/*.yaml``) annotates the corpus's seven
documents: every mention with the entity it names (``null``: a name the
registry does not hold) and every fact the text states. The pipeline runs with
the real registry (``data/entities``) plus ``--synthetic`` generated entities
(people, companies, programmes, systems with acronyms), so that linking is
measured against a registry of realistic size and its distractors.

Measured:

- mention precision and recall: predicted spans against gold spans of known
  entities (a span matches a gold span it overlaps, one to one);
- linking accuracy: matched spans whose entity is right;
- linking precision and recall (end to end: the right span *and* entity);
- claim-draft recall at 1 and at 3: gold facts that are the top proposal of
  some draft, or among its first three;
- throughput: documents of about 400 words (sentences of the corpus drawn at
  random) per second of the process's CPU time, linking, candidates and drafts
  included, registry built once; wall-clock rate and the load average printed
  beside it.

Targets: linking precision ≥ 0.95 and recall ≥ 0.90; a gold fact in the top 3
for ≥ 60 % of facts; ≥ 50 documents per second; judged with 10,000 synthetic
entities (the size nearest it among ``--sizes``).

By default the whole benchmark runs once per registry size (1,000, 10,000 and
100,000 synthetic entities, each in a process of its own so that its memory is
its own), then prints each measure's growth per step against the registry's
growth (``benchmarks/growth.py``; a step costing more than 1.5× the data's
growth is flagged "super-linear", and none is a target), the linking figures
at each size, and, at 10,000, the CPU time of one document of 400, 4,000 and
40,000 words.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import growth  # noqa: E402 - the benchmarks' shared growth table
from growth import Row, fmt_size, megabytes, seconds  # noqa: E402

from graph import api  # noqa: E402
from graph.ingest.analyse import Analyser  # noqa: E402
from graph.ingest.text import at_boundary, sentences  # noqa: E402
from graph.ontology import load_ontology  # noqa: E402
from graph.records import EntityRecord, Labels  # noqa: E402

GOLD = ROOT / "benchmarks" / "gold"
TARGETS = {
    "linking precision": 0.95,
    "linking recall": 0.90,
    "claim recall@3": 0.60,
    "docs/s": 50.0,
}


@dataclass
class GoldDoc:
    name: str
    text: str
    published: str | None
    mentions: list[tuple[int, int, str | None]]
    facts: list[tuple[str, str, str]]
    gaps: set[tuple[int, int]]  # spans naming a known entity by a name the registry lacks


def load_gold(path: Path) -> GoldDoc:
    """Read one gold file and expand its surface strings into spans of the text."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = (ROOT / raw["text"]).read_text(encoding="utf-8")
    entries = raw["mentions"]
    hits: list[tuple[int, int, int]] = []  # start, end, entry index
    for i, entry in enumerate(entries):
        surface, at = entry["text"], 0
        found = False
        while (at := text.find(surface, at)) >= 0:
            if at_boundary(text, at, at + len(surface)):
                hits.append((at, at + len(surface), i))
                found = True
            at += 1
        if not found:
            raise SystemExit(f"{path}: mention {surface!r} is not in the text")
    # Longer surfaces take their spans first; then each entry keeps its 'only' occurrences.
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    taken: list[tuple[int, int, int]] = []
    for hit in hits:
        if not any(hit[0] < b and a < hit[1] for a, b, _ in taken):
            taken.append(hit)
    spans: list[tuple[int, int, str | None]] = []
    gaps: set[tuple[int, int]] = set()
    by_surface: dict[str, list[tuple[int, int, int]]] = {}
    for hit in sorted(taken):
        by_surface.setdefault(entries[hit[2]]["text"], []).append(hit)
    for surface, occurrences in by_surface.items():
        for n, (start, end, _) in enumerate(occurrences, 1):
            owners = [
                e for e in entries if e["text"] == surface and ("only" not in e or n in e["only"])
            ]
            if owners:
                spans.append((start, end, owners[0]["entity"]))
                if owners[0].get("gap"):
                    gaps.add((start, end))
    facts = [tuple(str(x) for x in f) for f in raw["facts"]]
    return GoldDoc(raw["document"], text, raw.get("published"), sorted(spans), facts, gaps)  # type: ignore[arg-type]


# --- a synthetic registry of realistic names ------------------------------------
_SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "ta",
    "ne",
    "shi",
    "vo",
    "lex",
    "dar",
    "qui",
    "zen",
    "tor",
    "bel",
    "ix",
    "an",
    "mor",
    "ful",
    "gri",
    "sa",
    "pen",
    "ul",
    "wes",
    "ha",
    "to",
]
_KINDS = [
    ("Company", ["Systems", "Dynamics", "Industries", "Aerospace", "Corporation"]),
    ("Programme", ["Programme", "Initiative", "Project", "Co-development"]),
    ("WeaponSystem", ["Interceptor", "Missile", "Radar", "Launcher"]),
    ("GovernmentAgency", ["Agency", "Bureau", "Office", "Directorate"]),
    ("Agreement", ["Accord", "Arrangement", "Memorandum", "Treaty"]),
    ("Event", ["Summit", "Exercise", "Dialogue"]),
]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def synthetic_entities(n: int, seed: int = 7) -> list[EntityRecord]:
    """``n`` entities with generated names, acronyms and (people) two-part names."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if i % 5 == 0:
            name = f"{_word(rng)} {_word(rng)}"
            out.append(
                EntityRecord(
                    id=f"synthetic-{i}",
                    type="Person",
                    label=Labels(en=name),
                    description="A synthetic person.",
                )
            )
            continue
        kind, heads = _KINDS[i % len(_KINDS)]
        words = [_word(rng) for _ in range(rng.randint(1, 2))] + [rng.choice(heads)]
        name = " ".join(words)
        acronym = "".join(w[0] for w in words) + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
        out.append(
            EntityRecord(
                id=f"synthetic-{i}",
                type=kind,
                label=Labels(en=name),
                aliases=[acronym],
                description=f"A synthetic {kind}.",
            )
        )
    return out


# --- scoring -------------------------------------------------------------------------
def score_mentions(gold: GoldDoc, predicted: list[tuple[int, int, str | None]]) -> dict[str, int]:
    known = [g for g in gold.mentions if g[2] is not None]
    used: set[int] = set()
    matched = correct = 0
    for start, end, entity in predicted:
        overlapping = [
            i for i, g in enumerate(known) if i not in used and g[0] < end and start < g[1]
        ]
        if not overlapping:
            continue
        best = next((i for i in overlapping if known[i][2] == entity), overlapping[0])
        used.add(best)
        matched += 1
        correct += known[best][2] == entity
    in_registry = [i for i, g in enumerate(known) if (g[0], g[1]) not in gold.gaps]
    found = {
        i
        for i in used
        if known[i][2] in {e for s, e_, e in predicted if s < known[i][1] and known[i][0] < e_}
    }
    return {
        "predicted": len(predicted),
        "gold": len(known),
        "matched": matched,
        "correct": correct,
        "gold_in_registry": len(in_registry),
        "correct_in_registry": len(found & set(in_registry)),
    }


def fact_ranks(drafts: list, facts: list[tuple[str, str, str]]) -> list[int | None]:
    """For each gold fact, its best rank among the drafts' proposals (1 = top)."""
    best: dict[tuple[str, str, str], int] = {}
    for draft in drafts:
        for rank, proposal in enumerate(draft.proposals, 1):
            fact = proposal.fact
            if fact not in best or rank < best[fact]:
                best[fact] = rank
    return [best.get(f) for f in facts]


def reachable(drafts: list, facts: list[tuple[str, str, str]]) -> list[bool]:
    """For each gold fact: did the drafter consider its entities together at all?

    True when one sentence links both entities (or, for a date, the entity and a
    date); a fact outside this set is lost to linking, not to ranking.
    """
    pairs = {
        frozenset((d.best.subject, d.best.object or ""))
        for d in drafts
        if d.best.object is not None
    }
    dated = {d.best.subject for d in drafts if d.best.predicate == "date"}
    return [s in dated if p == "date" else frozenset((s, o)) in pairs for s, p, o in facts]


def documents_of(texts: list[str], n: int, words: int = 400, seed: int = 1) -> list[str]:
    """``n`` documents of about ``words`` words, each of whole sentences of ``texts``."""
    pool = [t[a:b] for t in texts for a, b in sentences(t)]
    rng = random.Random(seed)
    docs = []
    while len(docs) < n:
        current, count = [], 0
        while count < words:
            sentence = rng.choice(pool)
            current.append(sentence)
            count += len(sentence.split())
        docs.append(" ".join(current))
    return docs


@dataclass
class Scores:
    """The figures of one set of gold documents."""

    totals: dict[str, int]
    ranks: list[int | None]
    reached: list[bool]

    def ratio(self, num: str, den: str) -> float:
        return self.totals[num] / max(self.totals[den], 1)

    @property
    def at(self) -> dict[int, float]:
        return {
            k: sum(1 for x in self.ranks if x is not None and x <= k) / max(len(self.ranks), 1)
            for k in (1, 3)
        }

    @property
    def at3_reached(self) -> float:
        hits = sum(
            1
            for x, r in zip(self.ranks, self.reached, strict=True)
            if r and x is not None and x <= 3
        )
        return hits / max(sum(self.reached), 1)


def evaluate(analyser: Analyser, docs: list[GoldDoc], *, show: bool) -> Scores:
    """Score every document, printing one line each."""
    totals = dict.fromkeys(
        ("predicted", "gold", "matched", "correct", "gold_in_registry", "correct_in_registry"), 0
    )
    ranks: list[int | None] = []
    reached: list[bool] = []
    for doc in docs:
        result = analyser.analyse(doc.text, published=doc.published)
        predicted = [(m.start, m.end, m.entity) for m in result.mentions if m.entity]
        counts = score_mentions(doc, predicted)
        for key in totals:
            totals[key] += counts[key]
        doc_ranks = fact_ranks(result.drafts, doc.facts)
        ranks += doc_ranks
        reached += reachable(result.drafts, doc.facts)
        p = counts["correct"] / max(counts["predicted"], 1)
        r = counts["correct"] / max(counts["gold"], 1)
        acc = counts["correct"] / max(counts["matched"], 1)
        at1 = sum(1 for x in doc_ranks if x == 1)
        at3 = sum(1 for x in doc_ranks if x is not None and x <= 3)
        print(f"{doc.name:<52} {p:5.2f} {r:5.2f} {acc:5.2f} {len(doc.facts):>5} {at1:>4} {at3:>4}")
        if show:
            _show(doc, predicted, doc_ranks)
    return Scores(totals, ranks, reached)


def report(scores: Scores) -> None:
    t = scores.totals
    print(
        f"mentions: {t['predicted']} predicted, {t['gold']} gold (known entities), "
        f"{t['matched']} matched, {t['correct']} with the right entity"
    )
    print(f"mention precision   {scores.ratio('matched', 'predicted'):.3f}")
    print(f"mention recall      {scores.ratio('matched', 'gold'):.3f}")
    print(f"linking accuracy    {scores.ratio('correct', 'matched'):.3f}   (of matched mentions)")
    print(f"linking precision   {scores.ratio('correct', 'predicted'):.3f}")
    print(f"linking recall      {scores.ratio('correct', 'gold'):.3f}")
    print(
        f"linking recall      {scores.ratio('correct_in_registry', 'gold_in_registry'):.3f}   "
        f"on the {t['gold_in_registry']} mentions whose name the registry lists "
        f"({t['gold'] - t['gold_in_registry']} gold mentions use a name it lacks)"
    )
    n_reached = sum(scores.reached)
    print(f"facts: {len(scores.ranks)} gold, {n_reached} with both entities met in one sentence")
    print(f"claim recall@1      {scores.at[1]:.3f}")
    print(f"claim recall@3      {scores.at[3]:.3f}")
    print(
        f"claim recall@3      {scores.at3_reached:.3f}   on the {n_reached} facts whose entities "
        "meet in one sentence"
    )


_LIBC = ctypes.CDLL(ctypes.util.find_library("c"))


def _rss_mb() -> float:
    """The process's resident memory now, in MB (Linux), after a collection.

    Not ``ru_maxrss``: loading the dataset peaks higher than what the registry
    later holds, and a high-water mark would hide the registry's own memory.
    """
    gc.collect()
    _LIBC.malloc_trim(0)  # give freed memory back, so that what is held shows
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def per_document(analyser: Analyser, docs: list[str]) -> float:
    """CPU seconds per document over ``docs`` (repeated until a second is spent)."""
    rounds = 0
    cpu_started = time.process_time()
    while True:
        for doc_text in docs:
            analyser.analyse(doc_text, published="2024-01-01")
        rounds += 1
        spent = time.process_time() - cpu_started
        if spent >= 1.0:
            return spent / (rounds * len(docs))


def run_one(args: argparse.Namespace, synthetic_n: int) -> tuple[int, dict[str, Any]]:
    """The benchmark at one registry size, printed as it always was; exit code and figures."""
    ontology = load_ontology()
    real = [e.record for e in api.load_dataset(ontology=ontology).entities.values()]
    synthetic = synthetic_entities(synthetic_n)
    base_mb = _rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    analyser = Analyser(real + synthetic, ontology)
    build_s, build_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    built_mb = _rss_mb()
    # What the analyser holds, allocation by allocation, in a second, untimed build:
    # the resident size hides it at small sizes, where memory the dataset's load
    # freed is reused.
    tracemalloc.start()
    traced = Analyser(real + synthetic, ontology)
    held_mb = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del traced
    print(
        f"registry: {len(real)} real + {len(synthetic)} synthetic entities, "
        f"{len(analyser.registry.forms)} surface forms; built in {build_s:.2f} s"
    )

    header = f"{'document':<52} {'P':>5} {'R':>5} {'acc':>5} {'facts':>5} {'@1':>4} {'@3':>4}"
    gold_docs = [load_gold(p) for p in sorted(GOLD.glob("*.yaml"))]
    print(f"\nthe corpus's seven documents (also used while developing)\n{header}")
    dev = evaluate(analyser, gold_docs, show=args.show)
    held_docs = [load_gold(p) for p in sorted((GOLD / "heldout").glob("*.yaml"))]
    print(f"\nheld out: annotated before the pipeline ran on them\n{header}")
    held = evaluate(analyser, held_docs, show=args.show)

    docs = documents_of([d.text for d in gold_docs], args.docs)
    words = statistics.mean(len(d.split()) for d in docs)
    analyser.analyse(docs[0], published="2024-01-01")  # first-use indexes built
    started, cpu_started = time.perf_counter(), time.process_time()
    for doc_text in docs:
        analyser.analyse(doc_text, published="2024-01-01")
    wall_rate = len(docs) / (time.perf_counter() - started)
    per_second = len(docs) / (time.process_time() - cpu_started)

    print("\n== the seven documents")
    report(dev)
    print("\n== held out")
    report(held)
    print(
        f"\nthroughput          {per_second:.1f} documents per CPU-second, {wall_rate:.1f} per "
        f"wall-clock second ({len(docs)} documents of {words:.0f} words on average; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs — the target is "
        "judged on CPU time, which other processes on a shared machine do not inflate)"
    )
    figures = {
        "linking precision": dev.ratio("correct", "predicted"),
        "linking recall": dev.ratio("correct", "gold"),
        "claim recall@3": dev.at[3],
        "docs/s": per_second,
    }
    print(f"\ntargets, on the seven documents (registry + {synthetic_n:,} synthetic):")
    failed = False
    for name, target in TARGETS.items():
        value = figures[name]
        ok = value >= target
        failed |= not ok
        shown = f"{value:.1f}" if name == "docs/s" else f"{value:.3f}"
        if not ok and float(shown) >= target:
            shown = f"{value:.4f}"  # 0.8996 fails 0.90; rounded to 0.900 it would look met
        print(f"{'PASS' if ok else 'FAIL'}  {name:<18} {shown:>7}  (target ≥ {target})")

    by_length = {}
    for length in growth.parse_sizes(args.doc_words) if args.doc_words else []:
        # About the same number of words at every length, so each is timed alike.
        batch = documents_of([d.text for d in gold_docs], max(1, 40_000 // length), words=length)
        by_length[length] = {
            "words": statistics.mean(len(d.split()) for d in batch),
            "cpu_per_doc": per_document(analyser, batch),
        }
    return (1 if failed else 0), {
        "synthetic": synthetic_n,
        "entities": len(real) + len(synthetic),
        "forms": len(analyser.registry.forms),
        "build_s": build_s,
        "build_cpu": build_cpu,
        "build_mb": built_mb - base_mb,
        "held_mb": held_mb,
        "end_mb": _rss_mb() - base_mb,
        "cpu_per_doc": 1 / per_second,
        "words": words,
        "figures": figures,
        "held_precision": held.ratio("correct", "predicted"),
        "held_recall": held.ratio("correct", "gold"),
        "failed": failed,
        "by_length": by_length,
    }


def growth_report(runs: list[dict[str, Any]]) -> tuple[bool, str]:
    """Growth tables over the registry sizes (the data's growth: the registry's entities)."""
    sizes = [r["entities"] for r in runs]
    labels = [f"{fmt_size(r['synthetic'])} synthetic" for r in runs]
    registry = [
        Row("surface forms", [r["forms"] for r in runs], lambda v: f"{v:,.0f}", judged=False),
        Row("registry build, wall", [r["build_s"] for r in runs], seconds, 0.05),
        Row("registry build, CPU", [r["build_cpu"] for r in runs], seconds, 0.05),
        Row("memory the analyser holds (tracemalloc)", [r["held_mb"] for r in runs], megabytes, 5),
        Row(
            "resident memory added by the build",
            [r["build_mb"] for r in runs],
            megabytes,
            20,
            judged=False,
            note="reuses memory the dataset's load freed",
        ),
        Row(
            "resident memory added, end of run",
            [r["end_mb"] for r in runs],
            megabytes,
            20,
            judged=False,
        ),
        Row(
            f"CPU per document of ~{runs[0]['words']:.0f} words",
            [r["cpu_per_doc"] for r in runs],
            seconds,
            0.005,
        ),
    ]
    print(growth.table("registry size (real + synthetic entities)", sizes, registry, labels=labels))
    print()
    print("| quality by registry size | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(runs))
    for name, get in (
        ("linking precision (seven documents)", lambda r: r["figures"]["linking precision"]),
        ("linking recall (seven documents)", lambda r: r["figures"]["linking recall"]),
        ("claim recall@3 (seven documents)", lambda r: r["figures"]["claim recall@3"]),
        ("linking precision (held out)", lambda r: r["held_precision"]),
        ("linking recall (held out)", lambda r: r["held_recall"]),
    ):
        print(f"| {name} | " + " | ".join(f"{get(r):.3f}" for r in runs) + " |")
    return growth.verdict(registry, "registry size")


def length_report(run: dict[str, Any]) -> tuple[bool, str]:
    """Growth of a document's cost with its length, at one registry size."""
    lengths = sorted(run["by_length"], key=int)
    words = [run["by_length"][n]["words"] for n in lengths]
    rows = [
        Row(
            "CPU per document",
            [run["by_length"][n]["cpu_per_doc"] for n in lengths],
            seconds,
            0.005,
        )
    ]
    title = f"document length in words (registry + {run['synthetic']:,} synthetic)"
    print(growth.table(title, words, rows, labels=[f"{int(n):,} words" for n in lengths]))
    return growth.verdict(rows, "document length")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="synthetic entities added to the real registry, one run per size "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--synthetic",
        type=int,
        help="one size only: synthetic entities added to the real registry (as before)",
    )
    parser.add_argument("--docs", type=int, default=200, help="documents for throughput")
    parser.add_argument(
        "--doc-words",
        default="400,4000,40000",
        help="document lengths whose cost is compared, at the registry size nearest "
        "10,000 synthetic ('' to skip; default: %(default)s)",
    )
    parser.add_argument(
        "--show",
        action="store_true",
        help="print each document's errors (missed, wrong, extra, facts)",
    )
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.synthetic is not None:
        if not args.json:
            args.doc_words = ""
        code, figures = run_one(args, args.synthetic)
        if args.json:
            print(json.dumps(figures))
        return code

    try:
        sizes = growth.parse_sizes(args.sizes)
    except ValueError as err:
        parser.error(str(err))
    judged_size = growth.nearest(sizes, 10_000)
    print(growth.machine_line(), flush=True)
    runs, codes = [], {}
    for size in sizes:
        command = [sys.executable, __file__, "--synthetic", str(size), "--json"]
        command += ["--docs", str(args.docs)] + (["--show"] if args.show else [])
        command += ["--doc-words", args.doc_words if size == judged_size else ""]
        # Each size in a process of its own, so that its memory is its own.
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
        if proc.returncode not in (0, 1):
            sys.stderr.write(proc.stderr)
            return proc.returncode
        lines = proc.stdout.rstrip().splitlines()
        print(f"\n===== registry + {size:,} synthetic entities\n" + "\n".join(lines[:-1]))
        runs.append(json.loads(lines[-1]))
        codes[size] = proc.returncode

    print()
    ok_growth, growth_text = True, ""
    if len(runs) > 1:
        ok_growth, growth_text = growth_report(runs)
    judged = next(r for r in runs if r["synthetic"] == judged_size)
    ok_length, length_text = True, ""
    if len(judged["by_length"]) > 1:
        print()
        ok_length, length_text = length_report(judged)
    print(f"\n{growth.machine_line()}")
    print(
        f"targets (linking, claims, docs/s) at {judged_size:,} synthetic entities: "
        + ("PASS" if not codes[judged_size] else "FAIL (see that run's lines above)")
    )
    for text in (growth_text, length_text):
        if text:
            print(text)
    return 0 if not codes[judged_size] and ok_growth and ok_length else 1


def _show(
    doc: GoldDoc, predicted: list[tuple[int, int, str | None]], ranks: list[int | None]
) -> None:
    known = [g for g in doc.mentions if g[2] is not None]
    for start, end, entity in predicted:
        over = [g for g in known if g[0] < end and start < g[1]]
        if not over:
            print(f"    extra   {doc.text[start:end]!r} → {entity}")
        elif all(g[2] != entity for g in over):
            print(f"    wrong   {doc.text[start:end]!r} → {entity} (gold {over[0][2]})")
    for start, end, entity in known:
        if not any(p[0] < end and start < p[1] for p in predicted):
            print(f"    missed  {doc.text[start:end]!r} ({entity})")
    for fact, rank in zip(doc.facts, ranks, strict=True):
        if rank is None or rank > 3:
            print(f"    fact    {' '.join(fact)}: {'not proposed' if rank is None else rank}")


if __name__ == "__main__":
    sys.exit(main())
