"""How a full build grows with the graph: time and peak memory from ~100k to
~3M source triples, each beside a raw pyoxigraph bulk load of the same files
into an on-disk store with one named graph per file, run in the same minute.

    .venv/bin/python bench/growth.py                        # 100k, 300k, 1m, 3m (about 5 minutes quiet)
    .venv/bin/python bench/growth.py --sizes 100k,1m
    .venv/bin/python bench/growth.py --sizes 1m --compile streaming   # the streaming compile forced
    .venv/bin/python bench/growth.py --sizes 30m --work DIR    # ~1.5 h and ~45 GB of disk on 2 CPUs

Every build and load runs in its own process; peak memory is that process's
maximum resident set (wait4). Writes its section of docs/benchmarks.md
("growth") and the growth plot docs/growth.svg from the rows kept in
docs/growth.json (each size's latest run; bench/plot.py redraws it). The ratio column is the target of issue 12 (at most 3x); read the
ratios of one run, as the machine may be shared.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from doc import replace_section, size_args  # noqa: E402
from plot import growth_svg, merged_rows  # noqa: E402
from run import CLI, OX_LOAD_NAMED, measured, python  # noqa: E402

SIZES = {"100k": 2170, "300k": 6510, "1m": 21700, "3m": 65100, "10m": 217000, "30m": 651000}  # agents; ~46 source triples each


PLOTTED = ("size", "quads", "build", "build_mib", "named_load", "named_mib")


def one(name: str, agents: int, work: Path, compile_in: str = "auto") -> dict:
    graph, build, named = work / f"graph-{name}", work / f"build-{name}", work / f"ox-named-{name}"
    if not graph.is_dir():
        # in a process of its own: a child's peak memory (wait4) starts from its parent's at the fork, so
        # generating in this process (1.8 GB at 30M) would be read as the build's and the load's peak
        measured([CLI, "generate", "--agents", str(agents), "--seed", "1", "--out", str(graph)])
    for p in (build, named):
        shutil.rmtree(p, ignore_errors=True)
    wall, mem, _ = measured([CLI, "build", "--graph", str(graph), "--out", str(build), "--full", "-q",
                                "--compile", compile_in])
    manifest = json.loads((build / "current" / "manifest.json").read_text())
    shutil.rmtree(build, ignore_errors=True)  # before the load: at 30M the two stores and the spool pass 40 GB
    ox_wall, ox_mem, _ = measured(python(OX_LOAD_NAMED, str(graph), str(named)))
    shutil.rmtree(named, ignore_errors=True)
    row = {"size": name, "quads": manifest.get("triples"), "build": wall, "build_mib": mem,
           "named_load": ox_wall, "named_mib": ox_mem, "timings": manifest.get("timings", {})}
    print(f"[{name}] build {wall:.1f} s, peak {mem} MiB; named-graph bulk load {ox_wall:.1f} s, peak {ox_mem} MiB; "
          f"ratio {wall / ox_wall:.2f}x time, {mem / ox_mem:.1f}x memory (issue 23: <= 3x, <= 1,536 MiB)",
          flush=True)
    return row


def table(rows: list[dict]) -> str:
    out = ["| size | quads built | build | peak memory | named-graph bulk load | build / load | "
           "stages (load, validate, infer, summarise, write) |", "|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        t = r["timings"]
        stages = ", ".join(f"{t.get(k, 0):.1f}" for k in ("load", "validate", "infer", "summarise", "write"))
        out.append(f"| ~{r['size']} | {r['quads']:,} | {r['build']:.1f} s | {r['build_mib']:,} MiB | "
                   f"{r['named_load']:.1f} s ({r['named_mib']} MiB) | {r['build'] / r['named_load']:.2f}x | {stages} |")
    return "\n".join(out)


def main() -> None:
    def more(ap) -> None:
        ap.add_argument("--compile", default="auto", choices=["auto", "streaming", "memory"],
                        help="passed to `collabgraph build --compile`")

    args, work = size_args(__doc__, SIZES, "100k,300k,1m,3m", "collabgraph-growth-", more)
    rows = [one(s, SIZES[s], work, args.compile) for s in args.sizes.split(",")]
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    text = (f"## Build growth, 100k to 3M source triples (issue 12)\n\n"
            f"Latest run: {time.strftime('%Y-%m-%d')}, `{' '.join(['bench/growth.py', *sys.argv[1:]])}` on 2 cores, "
            f"load average {load} at the end. Graphs from `collabgraph generate --seed 1`; each build is "
            f"`collabgraph build --full -q` in its own process, beside a raw pyoxigraph bulk load of the same "
            f"files into an on-disk store with one named graph per file (then `optimize()`), run right after it. "
            f"Stage seconds are the build's own (manifest `timings`).\n\n" + table(rows) + "\n")
    replace_section(args.out, "growth", text)
    # The picture keeps each size's latest run (docs/growth.json), so a later 10M run adds to it.
    kept = args.out.parent / "growth.json"
    plotted = merged_rows(kept, [{k: r[k] for k in PLOTTED} for r in rows])
    kept.write_text(json.dumps(plotted, indent=1) + "\n", "utf-8")
    (args.out.parent / "growth.svg").write_text(growth_svg(plotted), "utf-8")
    print(text)


if __name__ == "__main__":
    main()
