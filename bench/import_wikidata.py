"""The Wikidata importer on generated dumps: entities/s and peak memory of
``collabgraph.importers.wikidata.read()`` against a plain ``json.load`` of the
same dump (the naive way: the whole array in memory at once), in one run.

    .venv/bin/python bench/import_wikidata.py                       # 10,000 and 100,000 entities
    .venv/bin/python bench/import_wikidata.py --sizes 10000,100000,300000

Each task runs in its own process, so peak memory (maximum resident set) is
that task's own. The dumps come from bench/wikidata_dump.py (gzip, seed 1).
Writes its section of docs/benchmarks.md (``--no-docs`` to only print).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

READ = """
import sys, time
from collabgraph.importers.wikidata import read
t = time.perf_counter()
entities = facts = 0
for batch in read([sys.argv[1]]):
    entities += 1
    facts += len(batch.facts)
print(entities, facts, time.perf_counter() - t)
"""

IMPORT = """
import shutil, sys, time
from collabgraph.importers.importing import run_import
from collabgraph.importers.wikidata import read
shutil.copytree(sys.argv[2], sys.argv[3])
t = time.perf_counter()
report = run_import(read([sys.argv[1]]), sys.argv[3], validate=False)
print(len(report.files), report.counts()["facts"], time.perf_counter() - t)
"""

NAIVE = """
import gzip, json, sys, time
t = time.perf_counter()
with gzip.open(sys.argv[1], 'rt', encoding='utf-8') as f:
    dump = json.load(f)
entities = statements = 0
for entity in dump:
    entities += 1
    statements += sum(len(s) for s in entity['claims'].values())
print(entities, statements, time.perf_counter() - t)
"""


def measured(code: str, *args: str) -> tuple[list[str], int]:
    """The task's printed fields and its peak RSS in MiB (wait4 on that process)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([PY, "-c", code, *args], stdout=subprocess.PIPE, stderr=err, text=True, env=env)
        out = proc.stdout.read()  # type: ignore[union-attr]
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"task failed: {err.read()[-2000:]}")
    return out.split(), usage.ru_maxrss // 1024


def bench(size: int, work: Path, with_import: bool) -> dict:
    dump = work / f"wikidata-{size}.json.gz"
    if not dump.exists():
        subprocess.run([PY, str(ROOT / "bench" / "wikidata_dump.py"), "--entities", str(size), "--out", str(dump)],
                       check=True)
    (n_read, facts, t_read), rss_read = measured(READ, str(dump))
    (n_naive, _, t_naive), rss_naive = measured(NAIVE, str(dump))
    assert int(n_read) == int(n_naive) == size, (n_read, n_naive, size)
    row = {"size": size, "bytes": dump.stat().st_size, "facts": int(facts),
           "read_s": float(t_read), "read_rss": rss_read, "naive_s": float(t_naive), "naive_rss": rss_naive}
    if with_import:
        graph = work / f"graph-{size}"
        shutil.rmtree(graph, ignore_errors=True)
        (n_files, _, t_import), rss_import = measured(IMPORT, str(dump), str(ROOT / "graph"), str(graph))
        assert int(n_files) == -(-size // 1000), (n_files, size)  # one file per 1,000 items of a dump
        row.update(import_s=float(t_import), import_rss=rss_import)
        shutil.rmtree(graph, ignore_errors=True)
    return row


def table(rows: list[dict]) -> str:
    out = ["| entities (gzip size) | `read()`: entities/s | `read()`: peak memory | facts made "
           "| `json.load`: entities/s | `json.load`: peak memory | speed read/json.load | memory json.load/read |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['size']:,} ({r['bytes'] / 2**20:.1f} MiB) | {r['size'] / r['read_s']:,.0f} "
                   f"| {r['read_rss']} MiB | {r['facts']:,} | {r['size'] / r['naive_s']:,.0f} | {r['naive_rss']} MiB "
                   f"| {r['naive_s'] / r['read_s']:.2f}x | {r['naive_rss'] / r['read_rss']:.1f}x |")
    imports = [r for r in rows if "import_s" in r]
    if imports:
        out += ["", "| entities | read + link + write (`run_import`, no validation): entities/s | peak memory |",
                "|---|---:|---:|"]
        out += [f"| {r['size']:,} | {r['size'] / r['import_s']:,.0f} | {r['import_rss']} MiB |" for r in imports]
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated entity counts")
    ap.add_argument("--import-sizes", default="10000",
                    help="sizes (among --sizes) also imported into a copy of graph/: linked and written")
    ap.add_argument("--work", type=Path, help="where the dumps go (default: a temporary directory)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--no-docs", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="collabgraph-wikidata-"))
    work.mkdir(parents=True, exist_ok=True)
    with_import = {int(s) for s in args.import_sizes.split(",") if s}
    rows = [bench(int(s), work, int(s) in with_import) for s in args.sizes.split(",")]
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    flat = ""
    if len(rows) > 1:
        small, big = rows[0], rows[-1]
        flat = (f"\nFrom {small['size']:,} to {big['size']:,} entities ({big['size'] / small['size']:.0f}x), "
                f"`read()`'s peak memory goes from {small['read_rss']} to {big['read_rss']} MiB, "
                f"and `json.load`'s from {small['naive_rss']} to {big['naive_rss']} MiB.\n")
    text = (f"## Wikidata import: streaming `read()` against `json.load`\n\n"
            f"Latest run: {time.strftime('%Y-%m-%d')}, `{' '.join(['bench/import_wikidata.py', *sys.argv[1:]])}` "
            f"on {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}.\n\n"
            "Reproduce: `.venv/bin/python bench/import_wikidata.py` (about two minutes); the dumps come from "
            "`bench/wikidata_dump.py --entities N --out FILE.json.gz` (people, groups with members, songs "
            "with performers, all with labels in five languages and referenced statements). `read()` turns "
            "each entity into a batch of records (names, claims, memberships, credits, with provenance); "
            "`json.load` only parses, holding the whole dump in memory. Each runs in its own process; "
            "peak memory is that process's maximum resident set, interpreter included. The second table "
            "adds what `collabgraph import wikidata --no-validate` does after reading: linking every "
            "record against a copy of graph/ and writing one Turtle file per item. The machine was "
            "shared with other jobs, so times vary by tens of percent between runs; memory does not.\n\n"
            + table(rows) + "\n" + flat)
    print(text)
    if not args.no_docs:
        sys.path.insert(0, str(ROOT / "bench"))
        from doc import replace_section

        replace_section(args.out, "wikidata", text)


if __name__ == "__main__":
    main()
