"""How the explorer page scales: whole-graph views of 500, 2,000 and 10,000
nodes of a generated graph. For each: the layout (communities, PageRank and
ForceAtlas2, CPU and wall time), writing the page, its size, and in headless
Chromium the time to the first stable draw of the overview (the default for
big views) and of the flat view (every node drawn), by the page's own clock
(performance.now() at its first draw with positions) and by Playwright (from
navigation until the page says it is ready). It also compares, in the same
run, the `fa2` package's ForceAtlas2 (Barnes-Hut, Cython) with NetworkX's
(``nx.forceatlas2_layout``, all pairs) on the same view graphs.

    .venv/bin/python bench/explorer.py [--views 500,2000,10000] [--agents 4600]

Writes its section of docs/benchmarks.md. Not run in CI: the machine is
shared and timings are noisy; CPU times and ratios are steadier than wall times.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def open_page(browser, path: Path, then: str | None = None) -> tuple[float, float, float | None]:
    """(Playwright seconds to ready, the page's own ms to first draw, seconds for ``then``)."""
    tab = browser.new_page(viewport={"width": 1400, "height": 900})
    t = time.perf_counter()
    tab.goto(path.as_uri())
    tab.wait_for_selector("body[data-ready=\"1\"]", state="attached", timeout=600_000)
    ready = time.perf_counter() - t
    own = float(tab.evaluate("document.body.dataset.readyMs"))
    after = None
    if then:
        t = time.perf_counter()
        tab.evaluate(f"new Promise(done => {{ {then}; collabgraph.network.once('afterDrawing', done); collabgraph.network.redraw(); }})")
        after = time.perf_counter() - t
    tab.close()
    return ready, own, after


def main() -> None:
    import networkx as nx
    from fa2 import ForceAtlas2
    from playwright.sync_api import sync_playwright

    from collabgraph import CollabGraph
    from collabgraph.explore import _view_graph, force_layout, view_communities_and_pagerank
    from collabgraph.generate import generate
    from doc import replace_section

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--views", default="500,2000,10000")
    ap.add_argument("--agents", type=int, default=4600, help="size of the generated graph")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = ap.parse_args()
    rows, compare = [], []
    with tempfile.TemporaryDirectory() as tmp:
        stats = generate(args.agents, Path(tmp) / "g", seed=1)
        kg = CollabGraph.load(Path(tmp) / "g", ROOT / "ontology")
        entity = kg.to_networkx("entity")
        entities = entity.number_of_nodes()
        neighbours: dict[str, set[str]] = {n: set() for n in entity}
        for u, v in entity.edges():
            if u != v:
                neighbours[u].add(v)
                neighbours[v].add(u)
        ranked = sorted(entity, key=lambda n: (-len(neighbours[n]), n))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for size in (int(s) for s in args.views.split(",")):
                view = _view_graph(ranked[:size], neighbours)
                (community, _), _, circles_cpu = timed(lambda: view_communities_and_pagerank(view))
                _, lay_wall, lay_cpu = timed(lambda: force_layout(view, community))
                page, write_s, _ = timed(lambda: kg.explore(max_nodes=size))
                path = page.write(Path(tmp) / f"view-{size}.html")
                flat = kg.explore(max_nodes=size, overview=False).write(Path(tmp) / f"flat-{size}.html")
                over = open_page(browser, path, "collabgraph.showEveryone()")
                plain = open_page(browser, flat)
                rows.append((size, page.nodes, page.edges, circles_cpu, lay_cpu, lay_wall, write_s,
                             os.path.getsize(path), over, plain))
                print(rows[-1], flush=True)
                # the same view's core through both ForceAtlas2 implementations
                if size in (2000, 10000):
                    iters = 100 if size <= 2000 else 2
                    _, _, ours = timed(lambda: ForceAtlas2(seed=1, verbose=False).forceatlas2_networkx_layout(
                        view, iterations=iters))
                    _, _, theirs = timed(lambda: nx.forceatlas2_layout(view, seed=1, max_iter=iters))
                    compare.append((size, iters, ours, theirs))
                    print(compare[-1], flush=True)
            browser.close()
    lines = [
        "## Explorer page", "",
        f"Latest run: {time.strftime('%Y-%m-%d')}, `.venv/bin/python bench/explorer.py` on a generated graph of "
        f"{stats.triples:,} triples ({entities:,} entities), whole-graph views capped with --max-nodes. The "
        "machine is shared (2 CPUs, other jobs running): CPU seconds are steadier than wall seconds. "
        "\"Layout\" is ForceAtlas2 (`fa2`, Barnes-Hut) on the view's core, leaves and unlinked entities "
        "placed around it; \"circles\" is Louvain plus PageRank on the view. \"First draw\" is the page's own "
        "clock (performance.now() at the first draw with positions); \"ready\" is Playwright's, from "
        "navigation until the page says it is ready. \"Open all\" is the overview's Show everyone button "
        "until the next draw.", "",
        "| view (--max-nodes) | nodes | edges | circles (CPU) | layout CPU (wall) | write page | page size "
        "| overview: first draw / ready | open all | flat view: first draw / ready |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, nodes, edges, circ, lay_cpu, lay_wall, write_s, bytes_, over, plain in rows:
        lines.append(f"| {size:,} | {nodes:,} | {edges:,} | {circ:.2f} s | {lay_cpu:.2f} s ({lay_wall:.2f} s) "
                     f"| {write_s:.2f} s | {bytes_ / 2**20:.1f} MiB | {over[1] / 1000:.2f} s / {over[0]:.2f} s "
                     f"| {over[2]:.2f} s | {plain[1] / 1000:.2f} s / {plain[0]:.2f} s |")
    if compare:
        lines += ["", "ForceAtlas2 on the whole view graph (no core/leaf split), CPU seconds, same run:", "",
                  "| view | iterations | `fa2` (Barnes-Hut) | `nx.forceatlas2_layout` | ratio | NetworkX at 100 iterations (extrapolated) |",
                  "|---:|---:|---:|---:|---:|---:|"]
        for size, iters, ours, theirs in compare:
            lines.append(f"| {size:,} | {iters} | {ours:.2f} s | {theirs:.2f} s | {theirs / ours:.0f}x "
                         f"| {theirs * 100 / iters:.0f} s |")
    replace_section(args.out, "explorer", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
