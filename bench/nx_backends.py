"""NetworkX's backend dispatch for the analytics (issue 23): plain NetworkX
against the nx-parallel backend (joblib, one process per CPU) on one build's
collaboration graph, each call in a process of its own (wall, CPU of the
process and its workers, peak memory of the process and of its largest worker):

    .venv/bin/pip install nx-parallel     # BSD-3-Clause; not a dependency of collabgraph
    .venv/bin/python bench/nx_backends.py BUILD [--k 100] [--jobs 2]

For `rank --by betweenness` it also times collabgraph's own betweenness
(views.analytics.betweenness, sparse matrices), which `rank` uses; the calls
nx-parallel does not implement (PageRank, Louvain: `rank`, `communities`) are
listed as such. Prints one JSON line per call.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ONE = """
import json, resource, sys, time
import networkx as nx
from collabgraph import CollabGraph
from collabgraph.views.analytics import betweenness
from collabgraph.views.projections import analytics_projection
build, call, k, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
g = analytics_projection(CollabGraph.open(build).reader)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
calls = {
    "betweenness, collabgraph's own": lambda: betweenness(g, k=k, seed=0),
    "betweenness, networkx": lambda: nx.betweenness_centrality(g, k=k, seed=0),
    "betweenness, nx-parallel": lambda: nx.betweenness_centrality(g, k=k, seed=0, backend="parallel"),
    "pagerank, networkx": lambda: nx.pagerank(g, weight="weight"),
    "louvain, networkx": lambda: nx.community.louvain_communities(g, weight="weight", seed=0),
}
if call.endswith("nx-parallel"):
    import nx_parallel  # noqa: F401
    nx.config.backends.parallel.n_jobs = jobs
t, c = time.perf_counter(), time.process_time()
out = calls[call]()
wall, cpu = time.perf_counter() - t, time.process_time() - c
children = resource.getrusage(resource.RUSAGE_CHILDREN)
top = sorted(out.items(), key=lambda kv: -kv[1])[:5] if isinstance(out, dict) else len(out)
print(json.dumps({"call": call, "agents": len(g), "edges": g.number_of_edges(), "wall": round(wall, 2),
                  "cpu (process + workers)": round(cpu + children.ru_utime + children.ru_stime, 2),
                  "peak MiB (projection loaded)": before,
                  "peak MiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "largest worker peak MiB": children.ru_maxrss // 1024, "top": top}))
"""

CALLS = ["betweenness, collabgraph's own", "betweenness, networkx", "betweenness, nx-parallel",
         "pagerank, networkx", "louvain, networkx"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", type=Path)
    ap.add_argument("--k", type=int, default=100, help="betweenness: sources sampled")
    ap.add_argument("--jobs", type=int, default=2, help="nx-parallel: worker processes")
    ap.add_argument("--only", help="one call (see CALLS)")
    args = ap.parse_args()
    try:
        from nx_parallel.interface import ALGORITHMS
    except ImportError:
        raise SystemExit("nx-parallel is not installed: .venv/bin/pip install nx-parallel") from None
    for name in ("pagerank", "louvain_communities", "betweenness_centrality"):
        print(json.dumps({"nx-parallel implements": name, "answer": name in ALGORITHMS}), flush=True)
    tops = {}
    for call in [args.only] if args.only else CALLS:
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", ONE, str(args.build), call, str(args.k), str(args.jobs)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(json.dumps({"call": call, "failed": done.stderr.strip().splitlines()[-1:]}), flush=True)
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["process wall (with loading)"] = round(time.perf_counter() - t, 2)
        tops[call] = row.pop("top")
        print(json.dumps(row), flush=True)
    same = [tops.get(c) for c in CALLS[:3] if c in tops]
    if len(same) > 1:  # the same sampled sources: the same scores, to rounding
        names = [[n for n, _ in t] for t in same]
        print(json.dumps({"same top 5 agents by betweenness": all(n == names[0] for n in names)}))
    print(json.dumps({"peak MiB of this driver": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


if __name__ == "__main__":
    main()
