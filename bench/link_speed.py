"""Import speed at size: CSV rows linked into a generated graph of about a million triples.

    .venv/bin/python bench/link_speed.py [--agents 21700] [--rows 4000] [--work DIR]

Generates the graph (src/collabgraph/importers/generate.py, as bench/run.py does), then
times `collabgraph import csv --no-validate` in its own process (wall time and
peak resident memory, reaped with wait4):

1. a 4-row CSV with a cold link index (the first import into this graph: every
   source file is parsed once into the index);
2. the same 4-row CSV again (warm; nothing changed);
3. a 4,000-row CSV (warm);
4. another 4-row CSV after it (warm; only the 4,000-row file is read into the index);
5. `collabgraph import csv --help` (the command's start-up, for scale).

Validation of the whole graph is left out (`--no-validate`): it is the same
work as `collabgraph validate` and is timed in the build benchmark.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CLI  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def measured(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one process."""
    import os
    import subprocess
    import time

    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return time.perf_counter() - t, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def rows_csv(path: Path, n: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["kind", "agent", "agent_type", "work", "work_type", "role", "date", "source_title"])
        for i in range(n):
            w.writerow(["credit", f"Bench Artist {i % max(1, n * 3 // 8)}", "Person", f"Bench Song {i}", "Song",
                        "performer", str(2010 + i % 14), "Bench notes"])
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=21700, help="agents to generate (21700: about 1M triples)")
    ap.add_argument("--rows", type=int, default=4000)
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from run import generated  # the graph made in a process of its own: see its docstring

    work = args.work or Path(tempfile.mkdtemp(prefix="link-speed-"))
    graph = work / "graph"
    shutil.rmtree(graph, ignore_errors=True)
    shutil.copytree(ROOT / "graph", graph)
    stats = generated(args.agents, graph / "generated")
    import os

    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    shutil.rmtree(work / "cache", ignore_errors=True)
    small = rows_csv(work / "four.csv", 4)
    other = rows_csv(work / "four-more.csv", 4)
    other.write_text(other.read_text("utf-8").replace("Bench Artist", "Other Artist"), "utf-8")
    big = rows_csv(work / "rows.csv", args.rows)
    imp = [CLI, "import", "csv", "--graph", str(graph), "--no-validate"]
    runs = [("4-row CSV, cold index (first import into the graph)", imp + [str(small)]),
            ("4-row CSV again, warm index", imp + [str(small)]),
            (f"{args.rows:,}-row CSV, warm index", imp + [str(big)]),
            ("another 4-row CSV after it, warm index", imp + [str(other)]),
            ("start-up: `collabgraph import csv --help`", [CLI, "import", "csv", "--help"])]
    print(f"graph: {stats.triples:,} triples in {stats.files} generated files (+ the bundled graph/)")
    print("| run | wall | CPU | peak memory |\n|---|---|---|---|")
    for what, cmd in runs:
        wall, cpu, mem = measured(cmd)
        print(f"| {what} | {wall:.2f} s | {cpu:.2f} s | {mem} MiB |", flush=True)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
