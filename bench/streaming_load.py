"""The streaming build's load stage against the named-graph bulk load (issue 23).

Runs, alternating and one at a time, the streaming compile stopped at the end of
its load stage (snapshot and spool written as in a build) for each source tree
given, and the raw pyoxigraph named-graph bulk load of the same files
(``OX_LOAD_NAMED`` of bench/run.py), each in its own process; prints wall and
CPU seconds, peak memory and the load average beside each.

    git -C /work/main archive 43c9612 src ontology | tar -x -C /tmp/before
    .venv/bin/python bench/streaming_load.py /work/big/h23i/g1m --src /tmp/before --src . --rounds 2
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LOAD_STAGE = """
import os, resource, shutil, sys, tempfile, time
from pathlib import Path
import collabgraph
from collabgraph.build import streaming
from collabgraph.build.sources import Clock

class Stop(Exception):
    pass

class StopClock(Clock):
    def lap(self, stage):
        super().lap(stage)
        if stage == "load":
            raise Stop

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

work = Path(tempfile.mkdtemp(prefix="load-stage-"))
clock, c0 = StopClock(), cpu()
try:
    streaming.compile_streaming(work / "store", sys.argv[1], Path(sys.argv[2]), clock=clock,
                                snapshot=work / "snapshot.nq", names=work / "names")
except Stop:
    pass
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"load stage {clock.timings['load']:.1f} s wall, {cpu() - c0:.1f} s CPU, peak {peak:.0f} MiB, "
      f"load average {os.getloadavg()[0]:.1f} ({Path(collabgraph.__file__).parent.parent})")
shutil.rmtree(work)
"""

BULK = """
import glob, os, resource, shutil, sys, tempfile, time
import pyoxigraph as ox
work = tempfile.mkdtemp(prefix="bulk-")
t = time.perf_counter()
s = ox.Store(work)
for f in sorted(glob.glob(sys.argv[1] + "/*.ttl")):
    s.bulk_load(path=f, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://g/" + os.path.basename(f)))
s.optimize()
del s
r = resource.getrusage(resource.RUSAGE_SELF)
print(f"named-graph bulk load {time.perf_counter() - t:.1f} s wall, {r.ru_utime + r.ru_stime:.1f} s CPU, "
      f"peak {r.ru_maxrss / 1024:.0f} MiB, load average {os.getloadavg()[0]:.1f}")
shutil.rmtree(work)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("graph", help="a directory of Turtle source files")
    ap.add_argument("--src", action="append", required=True,
                    help="a tree holding src/collabgraph and ontology/ (repeat to compare)")
    ap.add_argument("--rounds", type=int, default=1)
    a = ap.parse_args()
    for _ in range(a.rounds):
        for tree in a.src:
            tree = str(Path(tree).resolve())
            subprocess.run(["nice", sys.executable, "-c", LOAD_STAGE, a.graph, tree + "/ontology"], check=True,
                           env={"PYTHONPATH": tree + "/src", "PATH": "/usr/bin:/bin"})
        subprocess.run(["nice", sys.executable, "-c", BULK, a.graph], check=True)


if __name__ == "__main__":
    main()
