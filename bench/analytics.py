"""Time of each analytic on generated graphs, and how it grows with size.

    .venv/bin/python bench/analytics.py                      # 100k, 300k and 1M triples
    .venv/bin/python bench/analytics.py --sizes 100k,300k    # quicker

For each size: generate the graph (``collabgraph generate``), build it, then,
in one process over the build, time the analytics projection (first use, and
from the build's cache as later processes read it) and each analytic through
the library (``CollabGraph.rank`` ... ``write_analytics``),
and the bare NetworkX call behind it on the same graph in the same run, so the
ratio shows what the records (works behind each score, members, shared
collaborators) cost on top. Prints a Markdown table per size. Timings on a
shared machine are noisy: compare ratios and growth, not single seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
CLI = str(Path(PY).with_name("collabgraph"))
AGENTS = {"10k": 220, "100k": 2170, "300k": 6510, "1m": 21700}

ONE_SIZE = r"""
import json, sys, time
from pathlib import Path
import networkx as nx
from collabgraph import CollabGraph
from collabgraph.build.writeback import write_analytics_into
from collabgraph.views.projections import analytics_projection, collaboration_graph
from collabgraph.views.reader import Reader
from collabgraph.views.analytics import auto_k

rows = []
def timed(name, f, bare=None):
    b = None
    if bare is not None:  # first, so that the library's call does not pay the imports alone
        t = time.perf_counter(); bare(); b = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time(); out = f()
    rows.append((name, time.perf_counter() - t, b, time.process_time() - c))
    return out

build = Path(sys.argv[1])
(build / "cache" / "analytics.json").unlink(missing_ok=True)
cold = CollabGraph.open(build)
timed("analytics projection, first use (2 queries + names -> NetworkX, saved in cache/)",
      lambda: analytics_projection(cold.reader))
timed("collaboration projection with quotes (to_networkx, export)",
      lambda: collaboration_graph(Reader(cold.reader.store)))
kg = CollabGraph.open(build)
g = timed("analytics projection, later processes (from cache/analytics.json)", lambda: analytics_projection(kg.reader))
info = {"agents": len(g), "edges": g.number_of_edges()}
top = timed("rank --by pagerank", lambda: kg.rank("pagerank", limit=20), lambda: nx.pagerank(g, weight="weight"))
timed("rank --by degree", lambda: kg.rank("degree", limit=20), lambda: dict(g.degree()))
k = auto_k(g)
timed(f"rank --by betweenness (k={k or 'exact'}; bare: NetworkX)", lambda: kg.rank("betweenness", limit=20),
      lambda: nx.betweenness_centrality(g, k=k, seed=0))
found = timed("communities (Louvain)", lambda: kg.communities(),
              lambda: nx.community.louvain_communities(g, weight="weight", seed=0))
info["communities"] = len(found)
a, b = top[0].iri, top[-1].iri
timed("bridges A B (two agents)", lambda: kg.bridges(a, b))
timed("bridges community:1 community:2 (k=100)", lambda: kg.bridges(1, 2, k=100))
timed("suggest (best-ranked agent)", lambda: kg.suggest(a),
      lambda: sorted(nx.adamic_adar_index(g, [(a, c) for c in nx.non_neighbors(g, a)]), key=lambda x: -x[2])[:10])
timed("timeline NAME", lambda: kg.timeline(a))
timed("timeline (whole graph per year)", lambda: kg.yearly())
from collabgraph.store.local import Store
mem = Store.memory()
timed("analytics --write (all of the above into a graph)", lambda: write_analytics_into(mem, kg.reader, kg.manifest))
print(json.dumps({"info": info, "rows": rows}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100k,300k,1m")
    ap.add_argument("--work", type=Path, default=None, help="Keep graphs and builds here (default: a temp dir).")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="cg-analytics-"))
    results = {}
    for name in args.sizes.split(","):
        graph, build = work / f"graph-{name}", work / f"build-{name}"
        if not (build / "manifest.json").is_file():
            shutil.rmtree(graph, ignore_errors=True)
            subprocess.run([CLI, "generate", "--agents", str(AGENTS[name]), "--out", str(graph)], check=True,
                           capture_output=True)
            t = time.perf_counter()
            subprocess.run([CLI, "build", "--graph", str(graph), "--out", str(build), "-q"], check=True)
            print(f"[{name}] built in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        print(f"[{name}] load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
        done = subprocess.run([PY, "-c", ONE_SIZE, str(build)], check=True, capture_output=True, text=True)
        results[name] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"[{name}] {results[name]['info']}", file=sys.stderr)
    names = list(results)
    last = names[-1]
    print("| analytic | " + " | ".join(f"{n} (s)" for n in names) + f" | CPU at {last} (s) | bare NetworkX at "
          f"{last} (s) | library / bare |")
    print("|---|" + "---|" * (len(names) + 3))
    for i, (label, *_rest) in enumerate(results[last]["rows"]):
        cells = [f"{results[n]['rows'][i][1]:.2f}" for n in names]
        _, took, bare, cpu = results[last]["rows"][i]
        ratio = f"{took / bare:.2f}" if bare else ""
        print(f"| {label} | " + " | ".join(cells) + f" | {cpu:.2f} | {'' if bare is None else f'{bare:.2f}'} | {ratio} |")
    for n in names:
        print(f"\n{n}: {results[n]['info']}")
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the end")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
