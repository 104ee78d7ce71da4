"""At what size does each query shape of tests/data/crash-shapes/shapes.json
crash the engine? (issue 18; the figures behind collabgraph.core.sparqltext.STACK_COST)

    .venv/bin/python bench/crash_shapes.py                  # every shape, main thread (8 MiB stack)
    .venv/bin/python bench/crash_shapes.py --stack 268435456 plus minus   # on a 256 MiB thread

Each size runs bare pyoxigraph (no collabgraph check) on an empty in-memory
store in a process of its own; a size that kills the process (SIGSEGV) is a
crash. Sizes double from 250 until a crash, then a bisection narrows it to
5%. A size that runs past --seconds counts as slow and ends the search for
that shape (the engine plans some chains in quadratic time or worse).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "crash-shapes" / "shapes.json"

CHILD = r"""
import sys, json, threading
import pyoxigraph as ox
d = json.loads(sys.stdin.read())
def run():
    store = ox.Store()
    try:
        if d["update"]:
            store.update(d["q"])
        else:
            r = store.query(d["q"])
            if not isinstance(r, ox.QueryBoolean):
                list(r)
            del r
    except Exception as e:
        print("error:", type(e).__name__)
if d["stack"]:
    threading.stack_size(d["stack"])
    t = threading.Thread(target=run)
    t.start()
    t.join()
else:
    run()
"""


def text(shape: dict, n: int) -> str:
    return shape["head"] + shape["sep"].join(shape["unit"].replace("{i}", str(i)) for i in range(n)) + shape["tail"]


def outcome(shape: dict, n: int, stack: int, seconds: float) -> str:
    """"crash", "slow" or "ok"."""
    payload = json.dumps({"q": text(shape, n), "update": shape.get("update", False), "stack": stack})
    try:
        run = subprocess.run([sys.executable, "-c", CHILD], input=payload, capture_output=True, text=True,
                             timeout=seconds)
    except subprocess.TimeoutExpired:
        return "slow"
    return "crash" if run.returncode != 0 else "ok"


def threshold(shape: dict, stack: int, seconds: float, largest: int) -> str:
    n, ok = 250, 0
    while n <= largest:
        result = outcome(shape, n, stack, seconds)
        if result == "slow":
            return f"no crash up to {ok:,}; {n:,} ran past {seconds:g} s"
        if result == "crash":
            break
        ok, n = n, n * 2
    else:
        return f"no crash up to {ok:,}"
    bad = n
    while bad - ok > max(10, ok // 20):
        mid = (ok + bad) // 2
        if outcome(shape, mid, stack, seconds) == "crash":
            bad = mid
        else:
            ok = mid
    return f"crashes at {bad:,} ({len(text(shape, bad)):,} characters); ran at {ok:,}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these shapes")
    parser.add_argument("--stack", type=int, default=0, help="run on a thread with this stack (bytes)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--largest", type=int, default=64_000)
    args = parser.parse_args()
    for shape in json.loads(CORPUS.read_text("utf-8"))["shapes"]:
        if not args.names or shape["name"] in args.names:
            print(f"{shape['name']:<22} {threshold(shape, args.stack, args.seconds, args.largest)}", flush=True)


if __name__ == "__main__":
    main()
