"""Time an incremental build of one generated article into a copy of a base build (issue 23).

    python bench/incremental_one.py GRAPH BUILD AGENTS WORK [profile] [link]

GRAPH and BUILD: a graph made by `collabgraph generate --agents AGENTS --seed 1` and its
full build. WORK is emptied and gets the graph hard-linked, a copy of the build and one
article; the build's stage timings are printed with the load average before and after.
With `link`, the build is copied with hard links (`cp -al`: a 10M build is 13 GB; the
incremental build writes a new generation and never changes the previous one's files).
"""
import cProfile
import faulthandler
import json
import os
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path
from collabgraph.build.pipeline import build
from collabgraph.importers.generate import article

base_graph, base_build, agents, work = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
prof, link = "profile" in sys.argv[5:], "link" in sys.argv[5:]
faulthandler.dump_traceback_later(60, repeat=True, file=sys.stderr)  # where a slow stage spends its time
g, b = work / "graph", work / "build"
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
g.mkdir()
for f in base_graph.iterdir():
    os.link(f, g / f.name)
subprocess.run(["cp", "-al" if link else "-a", str(base_build), str(b)], check=True)
article(g / "article-0001.ttl", agents=agents)
print("load", open("/proc/loadavg").read().strip())
t = time.perf_counter()
if prof:
    pr = cProfile.Profile()
    pr.enable()
r = build(g, out=b)
if prof:
    pr.disable()
    pstats.Stats(pr).sort_stats("cumulative").print_stats(45)
print("wall %.2f s" % (time.perf_counter() - t), r.timings, json.load(open(b / "manifest.json")).get("incremental"))
print("load", open("/proc/loadavg").read().strip())
