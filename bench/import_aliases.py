"""Import time and peak memory of one Wikidata item with many aliases (issue 18, item 6).

    .venv/bin/python bench/import_aliases.py                 # 10k, 40k, 200k, 2M aliases
    .venv/bin/python bench/import_aliases.py --sizes 10000,40000

Each size runs ``collabgraph import wikidata ITEM.json --graph G --no-validate``
in its own process (a fresh copy of the article's graph), so the peak memory
(maximum resident set, from the kernel) is that import's own. The item is
written here: Q1 with N distinct English aliases ("alias 0" ... ), one label.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def item(n: int) -> dict:
    return {"type": "item", "id": "Q4200000001", "lastrevid": 1,
            "labels": {"en": {"language": "en", "value": "Many Names"}},
            "aliases": {"en": [{"language": "en", "value": f"alias {i}"} for i in range(n)]},
            "claims": {}}


def run(n: int, work: Path) -> tuple[float, float, int]:
    from tests.layout import lay_out

    graph = lay_out(work / f"g{n}")
    path = work / f"Q-{n}.json"
    path.write_text(json.dumps(item(n)), "utf-8")
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run([sys.executable, "-m", "collabgraph", "import", "wikidata", str(path), "--graph",
                           str(graph), "--no-validate", "--format", "json"], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        raise SystemExit(f"{n} aliases: import failed: {proc.stderr.strip()}")
    facts = json.loads(proc.stdout)["counts"]["facts"]
    # RUSAGE_CHILDREN is the largest child so far: sizes run smallest first, so it is this one's.
    return seconds, max(peak, before) / 1024, facts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,40000,200000,2000000")
    args = ap.parse_args()
    sizes = sorted(int(x) for x in args.sizes.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'aliases':>9} {'item MB':>8} {'seconds':>8} {'peak MB':>8}")
        for n in sizes:
            seconds, peak, _ = run(n, Path(tmp))
            size = (Path(tmp) / f"Q-{n}.json").stat().st_size / 1e6
            print(f"{n:>9} {size:>8.1f} {seconds:>8.1f} {peak:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
