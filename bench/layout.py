"""The explorer's layout of big views: CPU time and how far apart it keeps the
circles, for collabgraph's own ForceAtlas2 (`collabgraph.views.forceatlas`), and, in
the same run, for the layout of an earlier revision (which used the GPL `fa2`
package: run it with ``--before REV --before-python PY``, where PY is an
interpreter that has `fa2`, networkx and numpy; the revision's ``force_layout``
is read from git and run there on the same view, the same communities and the
same seed).

    .venv/bin/python bench/layout.py [--views 2000,10000] [--agents 4600]
        [--before c4338ff --before-python /tmp/fa2venv/bin/python]

"Circles apart" is the median distance between core nodes of different
communities over that within one (higher is better; see bench/explorer.py).
"""

from __future__ import annotations

import argparse
import ast
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

RUN_BEFORE = """
import pickle, sys, time
src, data = sys.argv[1], sys.argv[2]
ns = {}
exec(open(src).read(), ns)
view, community = pickle.load(open(data, "rb"))
t = time.process_time()
pos = ns["force_layout"](view, community)
cpu = time.process_time() - t
pickle.dump((pos, cpu), open(data + ".out", "wb"))
"""


def before_layout(rev: str, python: str, view, community, tmp: Path) -> tuple[dict, float]:
    """``force_layout`` of revision ``rev``, run by ``python`` on the same view."""
    text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:src/collabgraph/views/explore.py"],
                          check=True, capture_output=True, text=True).stdout
    fn = next(n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name == "force_layout")
    source = "from __future__ import annotations\n" + ast.get_source_segment(text, fn)
    (tmp / "before.py").write_text(source)
    data = tmp / "view.pickle"
    data.write_bytes(pickle.dumps((view, community)))
    subprocess.run([python, "-c", RUN_BEFORE, str(tmp / "before.py"), str(data)], check=True)
    return pickle.loads(Path(str(data) + ".out").read_bytes())


def main() -> None:
    from explorer import separation

    from collabgraph import CollabGraph
    from collabgraph.views.explore import _view_graph, force_layout, undirected_neighbours, view_communities_and_pagerank
    from collabgraph.importers.generate import generate

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--views", default="2000,10000")
    ap.add_argument("--agents", type=int, default=4600, help="size of the generated graph")
    ap.add_argument("--before", help="a git revision whose force_layout to run beside")
    ap.add_argument("--before-python", help="an interpreter with that revision's layout dependencies (fa2)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        generate(args.agents, tmp / "g", seed=1)
        entity = CollabGraph.load(tmp / "g", ROOT / "ontology").to_networkx("entity")
        neighbours = undirected_neighbours(entity)
        ranked = sorted(entity, key=lambda n: (-len(neighbours[n]), n))
        print("| view | nodes | core | layout | CPU | circles apart |")
        print("|---:|---:|---:|---|---:|---:|")
        for size in (int(s) for s in args.views.split(",")):
            view = _view_graph(ranked[:size], neighbours)
            community, _ = view_communities_and_pagerank(view)
            core = sum(1 for n in view if view.degree(n) >= 2)
            t = time.process_time()
            pos = force_layout(view, community)
            cpu = time.process_time() - t
            print(f"| {size:,} | {len(view):,} | {core:,} | now (`collabgraph.views.forceatlas`) | {cpu:.2f} s "
                  f"| {separation(view, community, pos):.2f} |", flush=True)
            if args.before and args.before_python:
                old, old_cpu = before_layout(args.before, args.before_python, view, community, tmp)
                print(f"| {size:,} | {len(view):,} | {core:,} | `{args.before}` (`fa2`) | {old_cpu:.2f} s "
                      f"| {separation(view, community, old):.2f} |", flush=True)


if __name__ == "__main__":
    main()
