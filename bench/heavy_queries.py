"""`top-collaborations` on a local build: the saved text against the pairs
counted once (issue 23), in one run (a benchmark, not a test).

    .venv/bin/python bench/heavy_queries.py BUILD [BUILD ...]

For each build: the saved text as written (stopped after --limit seconds),
the build's counting pass (what the summary stage adds, `save_top_pairs`),
and `kg.saved("top-collaborations")` reading the counted pairs; and whether
the two answers are the same rows in the same order.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PY = sys.executable

ONE = """
import json, sys, time
from pathlib import Path
from collabgraph import CollabGraph
from collabgraph.views.saved import saved_queries
from collabgraph.views.toppairs import save_top_pairs
build, what = sys.argv[1], sys.argv[2]
with CollabGraph.open(build) as kg:
    t = time.perf_counter()
    if what == "text":
        rows = [tuple(map(str, r)) for r in kg.sparql(saved_queries()["top-collaborations"].text)]
    elif what == "count":
        rows = save_top_pairs(kg.store, Path(sys.argv[3]))
    else:
        rows = [tuple(map(str, r)) for r in kg.saved("top-collaborations")]
    print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows if what != "count" else len(rows)}))
"""


def run(build: str, what: str, limit: float, *extra: str) -> dict:
    try:
        done = subprocess.run([PY, "-c", ONE, build, what, *extra], capture_output=True, text=True, timeout=limit,
                              check=True)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "rows": None}
    return json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("builds", nargs="+")
    ap.add_argument("--limit", type=float, default=600)
    args = ap.parse_args()
    print("| build | triples | saved text | counting pass (at build) | saved query from the counts | same rows |")
    print("|---|---:|---:|---:|---:|---|")
    for build in args.builds:
        triples = json.loads((Path(build) / "manifest.json").read_text())["triples"]
        with tempfile.TemporaryDirectory() as scratch:
            count = run(build, "count", args.limit, scratch)
        fast = run(build, "fast", args.limit)
        text = run(build, "text", args.limit)
        same = "–" if text["rows"] is None else ("yes" if text["rows"] == fast["rows"] else "NO")
        shown = [f"{r['seconds']:.2f} s" if r["seconds"] is not None else f"> {args.limit:g} s (stopped)"
                 for r in (text, count, fast)]
        print(f"| {Path(build).name} | {triples:,} | " + " | ".join(shown) + f" | {same} |", flush=True)


if __name__ == "__main__":
    main()
