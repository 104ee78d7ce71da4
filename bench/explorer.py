"""How the explorer page scales: whole-graph views of 500, 2,000 and 10,000
nodes of a generated graph. For each: the layout (communities, PageRank and
ForceAtlas2, CPU and wall time), writing the page, its size, and in headless
Chromium:

- the overview (the default for big views): its first draw by the page's own
  clock (performance.now() at its first draw with positions), "ready" by
  Playwright's (from navigation until the page says it is ready and answers),
  when the page has built what it builds after the first draw (search, path
  and details indexes; the page's clock), then opening the largest circle and
  opening every circle ("Show everyone"), each until the next draw;
- the flat view (every node drawn at once): first draw and ready.

Each page is opened ``--repeat`` times; the best time is kept. With
``--before REV`` the same views are also written by the explorer of git
revision REV (a temporary worktree, in a subprocess) and opened in the same
browser in the same run, so the two compare on the same machine load. It also
compares, in the same run, collabgraph's own ForceAtlas2 (Barnes-Hut on a quadtree,
NumPy) with NetworkX's (``nx.forceatlas2_layout``, all pairs).

    .venv/bin/python bench/explorer.py [--views 500,2000,10000] [--agents 4600] [--before REV]

Writes its section of docs/benchmarks.md. Not run in CI: the machine is
shared and timings are noisy; CPU times and ratios are steadier than wall times.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))  # this checkout's collabgraph, not an installed one

WRITE_BEFORE = """
import sys, time
from pathlib import Path
from collabgraph import CollabGraph
kg = CollabGraph.load(Path(sys.argv[1]), Path(sys.argv[2]))
kg.to_networkx("entity")
size = int(sys.argv[3])
t = time.perf_counter()
kg.explore(max_nodes=size).write(sys.argv[4])
print(time.perf_counter() - t)
kg.explore(max_nodes=size, overview=False).write(sys.argv[5])
"""


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def open_page(browser, path: Path, overview: bool) -> dict[str, float | None]:
    """One opening of a page: the page's own clock and Playwright's, in seconds."""
    tab = browser.new_page(viewport={"width": 1400, "height": 900})
    t = time.perf_counter()
    tab.goto(path.as_uri())
    tab.wait_for_selector("body[data-ready=\"1\"]", state="attached", timeout=600_000)
    tab.evaluate("1")  # and it answers
    out: dict[str, float | None] = {"ready": time.perf_counter() - t,
                                    "first": float(tab.evaluate("document.body.dataset.readyMs")) / 1000}
    if tab.evaluate("'labels' in collabgraph"):  # pages from before have no deferred work
        tab.wait_for_selector("body[data-idle=\"1\"]", state="attached", timeout=600_000)
        out["idle"] = tab.evaluate("collabgraph.timing.idle") / 1000
    else:
        out["idle"] = None
    for name, action in (("circle", "collabgraph.openCircle(0, true)"), ("all", "collabgraph.showEveryone()")):
        if not overview:
            out[name] = None
            continue
        t = time.perf_counter()
        tab.evaluate(f"new Promise(done => {{ {action}; collabgraph.network.once('afterDrawing', done); "
                     "collabgraph.network.redraw(); })")
        out[name] = time.perf_counter() - t
    tab.close()
    return out


def separation(view, community: dict[str, int], pos: dict[str, tuple[float, float]]) -> float:
    """How far apart the layout keeps the circles: the median distance between
    two core nodes (two links or more) of different communities over that
    between two of the same community, over 20,000 seeded random pairs."""
    import numpy as np

    core = [n for n in view if view.degree(n) >= 2]
    same, other = [], []
    for a, b in np.random.default_rng(0).choice(len(core), (20000, 2)):
        u, v = core[a], core[b]
        d = float(np.hypot(pos[u][0] - pos[v][0], pos[u][1] - pos[v][1]))
        (same if community[u] == community[v] else other).append(d)
    return float(np.median(other) / np.median(same))


def best(browser, path: Path, overview: bool, repeat: int) -> dict[str, float | None]:
    runs = [open_page(browser, path, overview) for _ in range(repeat)]
    return {k: min((r[k] for r in runs if r[k] is not None), default=None) for k in runs[0]}


def main() -> None:
    import networkx as nx
    from playwright.sync_api import sync_playwright

    from collabgraph import CollabGraph
    from collabgraph.views.explore import _view_graph, force_layout, undirected_neighbours, view_communities_and_pagerank
    from collabgraph.views.forceatlas import forceatlas2
    from collabgraph.importers.generate import generate
    from doc import replace_section

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--views", default="500,2000,10000")
    ap.add_argument("--agents", type=int, default=4600, help="size of the generated graph")
    ap.add_argument("--before", help="also write and open the pages with the explorer of this git revision")
    ap.add_argument("--repeat", type=int, default=2, help="openings of each page (the best is kept)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = ap.parse_args()
    rows, compare, iteration_rows = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        stats = generate(args.agents, tmp / "g", seed=1)
        kg = CollabGraph.load(tmp / "g", ROOT / "ontology")
        entity = kg.to_networkx("entity")
        entities = entity.number_of_nodes()
        neighbours = undirected_neighbours(entity)
        ranked = sorted(entity, key=lambda n: (-len(neighbours[n]), n))
        if args.before:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tmp / "before"), args.before],
                           check=True, capture_output=True)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                for size in (int(s) for s in args.views.split(",")):
                    view = _view_graph(ranked[:size], neighbours)
                    (community, _), _, circles_cpu = timed(lambda: view_communities_and_pagerank(view))
                    _, lay_wall, lay_cpu = timed(lambda: force_layout(view, community))
                    page, write_wall, write_cpu = timed(lambda: kg.explore(max_nodes=size))
                    path = page.write(tmp / f"view-{size}.html")
                    flat = kg.explore(max_nodes=size, overview=False).write(tmp / f"flat-{size}.html")
                    row = {"size": size, "nodes": page.nodes, "edges": page.edges, "circles": circles_cpu,
                           "lay_cpu": lay_cpu, "lay_wall": lay_wall, "write_cpu": write_cpu,
                           "write_wall": write_wall, "bytes": os.path.getsize(path),
                           "over": best(browser, path, True, args.repeat),
                           "flat": best(browser, flat, False, args.repeat)}
                    if args.before:
                        old, old_flat = tmp / f"before-view-{size}.html", tmp / f"before-flat-{size}.html"
                        done = subprocess.run(
                            [sys.executable, "-c", WRITE_BEFORE, str(tmp / "g"), str(ROOT / "ontology"), str(size),
                             str(old), str(old_flat)], env={**os.environ, "PYTHONPATH": str(tmp / "before" / "src")},
                            check=True, capture_output=True, text=True)
                        row["before"] = {"write_wall": float(done.stdout.split()[-1]), "bytes": os.path.getsize(old),
                                         "over": best(browser, old, True, args.repeat),
                                         "flat": best(browser, old_flat, False, args.repeat)}
                    rows.append(row)
                    print(row, flush=True)
                    # the same view's core through both ForceAtlas2 implementations
                    if size in (2000, 10000):
                        iters = 100 if size <= 2000 else 2
                        _, _, ours = timed(lambda: forceatlas2(view, iterations=iters))
                        _, _, theirs = timed(lambda: nx.forceatlas2_layout(view, seed=1, max_iter=iters))
                        compare.append((size, iters, ours, theirs))
                        print(compare[-1], flush=True)
                    if size == max(int(s) for s in args.views.split(",")):
                        for iters in (100, 60, 30):
                            pos, _, cpu = timed(lambda: force_layout(view, community, iterations=iters))
                            iteration_rows.append((size, iters, cpu, separation(view, community, pos)))
                            print(iteration_rows[-1], flush=True)
                browser.close()
        finally:
            if args.before:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tmp / "before")],
                               capture_output=True)
    load = os.getloadavg()[0]

    def s(x: float | None) -> str:
        return "–" if x is None else f"{x:.2f} s"

    lines = [
        "## Explorer page", "",
        f"Latest run: {time.strftime('%Y-%m-%d')}, `.venv/bin/python bench/explorer.py"
        + (f" --before {args.before}" if args.before else "") + f"` on a generated graph of "
        f"{stats.triples:,} triples ({entities:,} entities), whole-graph views capped with --max-nodes. The "
        f"machine is shared (2 CPUs, other jobs running; load average {load:.1f} at the end): CPU seconds are "
        "steadier than wall seconds, and browser times are best of "
        f"{args.repeat} openings. \"Layout\" is ForceAtlas2 (`collabgraph.views.forceatlas`, Barnes-Hut) on the view's core, leaves and "
        "unlinked entities placed around it; \"circles\" is Louvain plus PageRank on the view. \"First draw\" is "
        "the page's own clock (navigation to its first draw with positions); \"ready\" is Playwright's, from "
        "navigation until the page says it is ready and answers a call; \"indexes\" is the page's clock when "
        "it has built, after the first draw, what search, the path mode and the details panel use. \"Open a "
        "circle\" (the largest) and \"open all\" (Show everyone) run until the next draw."
        + (f" Rows marked *before* are the same views written and opened, in the same run, with the explorer "
           f"of `{args.before}`." if args.before else ""), "",
        "| view (--max-nodes) | explorer | nodes | edges | circles (CPU) | layout CPU (wall) | write page CPU (wall) "
        "| page size | overview: first draw / ready / indexes | open a circle | open all "
        "| flat view: first draw / ready |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        o, f = r["over"], r["flat"]
        lines.append(f"| {r['size']:,} | now | {r['nodes']:,} | {r['edges']:,} | {r['circles']:.2f} s "
                     f"| {r['lay_cpu']:.2f} s ({r['lay_wall']:.2f} s) | {r['write_cpu']:.2f} s ({r['write_wall']:.2f} s) "
                     f"| {r['bytes'] / 2**20:.1f} MiB | {s(o['first'])} / {s(o['ready'])} / {s(o['idle'])} "
                     f"| {s(o['circle'])} | {s(o['all'])} | {s(f['first'])} / {s(f['ready'])} |")
        if "before" in r:
            b = r["before"]
            o, f = b["over"], b["flat"]
            lines.append(f"| {r['size']:,} | *before* | | | | | ({b['write_wall']:.2f} s) | {b['bytes'] / 2**20:.1f} MiB "
                         f"| {s(o['first'])} / {s(o['ready'])} / – | {s(o['circle'])} | {s(o['all'])} "
                         f"| {s(f['first'])} / {s(f['ready'])} |")
    if compare:
        lines += ["", "ForceAtlas2 on the whole view graph (no core/leaf split), CPU seconds, same run:", "",
                  "| view | iterations | `collabgraph.views.forceatlas` (Barnes-Hut) | `nx.forceatlas2_layout` | ratio | NetworkX at 100 iterations (extrapolated) |",
                  "|---:|---:|---:|---:|---:|---:|"]
        for size, iters, ours, theirs in compare:
            lines.append(f"| {size:,} | {iters} | {ours:.2f} s | {theirs:.2f} s | {theirs / ours:.0f}x "
                         f"| {theirs * 100 / iters:.0f} s |")
    if iteration_rows:
        lines += ["", "ForceAtlas2 iterations of the layout (`force_layout`, the view's core) against how far "
                  "apart circles end up (median distance between core nodes of different circles over that "
                  "within one; higher is better), CPU seconds, same run:", "",
                  "| view | iterations | layout CPU | circles apart |", "|---:|---:|---:|---:|"]
        for size, iters, cpu, sep in iteration_rows:
            lines.append(f"| {size:,} | {iters} | {cpu:.2f} s | {sep:.2f} |")
    replace_section(args.out, "explorer", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
