"""Explorer benchmark: a 5,000-node synthetic view, built in Python and drawn in Chromium.

Run:  python benchmarks/bench_explorer.py [--nodes 5000] [--repeat 3] [--skip-spring]

Measures, medians of --repeat runs: the layout (igraph DrL), the whole
render_html, the page size, and the time from navigation to the first drawn
frame in Debian's headless Chromium. Baselines in the same run: networkx
spring_layout on the same graph (once; it is slow) and pyvis' own
Network.from_nx + write_html. Targets: view built in < 10 s, drawn in < 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(func, repeat: int):  # type: ignore[no-untyped-def]
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def first_draw(path: Path, repeat: int) -> float:
    from tests.support.browser import chromium, wait_for

    times = []
    with chromium() as context:
        for _ in range(repeat):
            page = context.new_page()
            started = time.perf_counter()
            page.goto(path.resolve().as_uri())
            wait_for(page, "window.explorer && window.explorer.firstDraw !== undefined",
                     timeout=120)
            times.append(time.perf_counter() - started)
            page.close()
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-spring", action="store_true",
                        help="do not time networkx spring_layout (about 45 s at 5,000 nodes)")
    args = parser.parse_args()

    import networkx as nx

    from graph.network import to_networkx
    from graph.render import compute_layout, render_html
    from graph.synth import write_synthetic

    with tempfile.TemporaryDirectory(prefix="bench-explorer-") as tmp:
        path = write_synthetic(Path(tmp) / "g.nt", args.nodes * 40, seed=2)
        G = to_networkx(path)
        print(f"synthetic view: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
        layout_s, _ = timed(lambda: compute_layout(G), args.repeat)
        out = Path(tmp) / "explorer.html"
        render_s, _ = timed(lambda: render_html(G, out=out), args.repeat)
        size_mb = out.stat().st_size / 1e6
        draw_s = first_draw(out, args.repeat)

        from pyvis.network import Network

        def pyvis_baseline() -> None:
            simple = nx.DiGraph()
            simple.add_nodes_from((n, {"label": d.get("label", n)}) for n, d in G.nodes(data=True))
            simple.add_edges_from(G.edges())
            net = Network(directed=True, cdn_resources="in_line")
            net.from_nx(simple)
            net.write_html(str(Path(tmp) / "pyvis.html"), notebook=False)

        pyvis_s, _ = timed(pyvis_baseline, 1)
        spring_s = None
        if not args.skip_spring:
            # networkx needs scipy from 500 nodes up; without scipy, compare both
            # layouts on the first 400 nodes instead (and say so).
            try:
                import scipy  # noqa: F401

                sample = G
            except ImportError:
                sample = G.subgraph(list(G.nodes)[:400]).copy()
            spring_s, _ = timed(lambda: nx.spring_layout(nx.Graph(sample), seed=1), 1)
            sample_layout_s, _ = timed(lambda: compute_layout(sample), 3)
            spring_nodes = sample.number_of_nodes()

    print(f"{'measure':42} {'median':>10}")
    print(f"{'layout: igraph Fruchterman-Reingold (ours)':42} {layout_s:>9.2f}s")
    if spring_s is not None:
        print(f"{f'layout at {spring_nodes} nodes: ours':42} {sample_layout_s:>9.2f}s")
        print(f"{f'layout at {spring_nodes} nodes: networkx spring':42} {spring_s:>9.2f}s   "
              f"ours is {spring_s / sample_layout_s:.0f}x faster")
    print(f"{'render_html, whole view (ours)':42} {render_s:>9.2f}s   page {size_mb:.1f} MB")
    print(f"{'pyvis from_nx + write_html (baseline)':42} {pyvis_s:>9.2f}s   (no layout, CDN page)")
    print(f"{'first draw in headless Chromium':42} {draw_s:>9.2f}s")
    failures = []
    if render_s >= 10:
        failures.append(f"built in {render_s:.1f} s >= 10 s")
    if draw_s >= 2:
        failures.append(f"drawn in {draw_s:.2f} s >= 2 s")
    print("\nRESULT:", "PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
