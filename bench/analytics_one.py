"""Time and peak memory of the analytics on one existing build, in one process
(what ``bench/analytics.py`` times per size, without generating or building):

    .venv/bin/python bench/analytics_one.py BUILD [--k 100]

Prints one line per call (name, wall seconds, CPU seconds, peak resident MiB so
far) and the rows as JSON at the end. Used for the 10M figures in
docs/benchmarks.md, where generating and building again per run is too long.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from collabgraph import CollabGraph
from collabgraph.views.projections import analytics_projection


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", type=Path)
    ap.add_argument("--k", type=int, default=100, help="betweenness: sources sampled")
    args = ap.parse_args()
    rows = []

    def timed(name, f):
        t, c = time.perf_counter(), time.process_time()
        out = f()
        rows.append((name, round(time.perf_counter() - t, 2), round(time.process_time() - c, 2),
                     resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))
        print(rows[-1], flush=True)
        return out

    kg = timed("open", lambda: CollabGraph.open(args.build))
    timed("saved top-collaborations (from the build's counts)", lambda: list(kg.saved("top-collaborations")))
    g = timed("analytics projection, first use", lambda: analytics_projection(kg.reader))
    print({"agents": len(g), "edges": g.number_of_edges()}, flush=True)
    again = CollabGraph.open(args.build)
    timed("analytics projection, from cache", lambda: analytics_projection(again.reader))
    top = timed("rank --by pagerank", lambda: again.rank("pagerank", limit=20))
    timed("rank --by degree", lambda: again.rank("degree", limit=20))
    timed("communities (Louvain)", lambda: again.communities())
    timed("bridges A B (two agents)", lambda: again.bridges(top[0].iri, top[-1].iri))
    timed(f"rank --by betweenness (k={args.k})", lambda: again.rank("betweenness", limit=20, k=args.k))
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
