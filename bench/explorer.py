"""How the explorer page scales: views of 500, 2,000 and 10,000 nodes of a
generated graph. For each: time to write the page, page size, and time until
the page is interactive in headless Chromium (from navigation until the
network has drawn with positions, or physics has settled).

    .venv/bin/python bench/explorer.py

Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    from playwright.sync_api import sync_playwright

    from collabgraph import CollabGraph
    from collabgraph.generate import generate
    from doc import replace_section

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--views", default="500,2000,10000")
    ap.add_argument("--agents", type=int, default=4600, help="size of the generated graph")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        stats = generate(args.agents, Path(tmp) / "g", seed=1)
        kg = CollabGraph.load(Path(tmp) / "g", ROOT / "ontology")
        entities = kg.to_networkx("entity").number_of_nodes()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for size in (int(s) for s in args.views.split(",")):
                t = time.perf_counter()
                page = kg.explore(max_nodes=size)
                path = page.write(Path(tmp) / f"view-{size}.html")
                write_s = time.perf_counter() - t
                tab = browser.new_page(viewport={"width": 1400, "height": 900})
                t = time.perf_counter()
                tab.goto(path.as_uri())
                tab.wait_for_selector("body[data-ready=\"1\"]", state="attached", timeout=600_000)
                ready_s = time.perf_counter() - t
                tab.close()
                rows.append((size, page.nodes, page.folded, page.edges, page.physics, write_s, os.path.getsize(path),
                             ready_s))
                print(rows[-1], flush=True)
            browser.close()
    lines = [
        "## Explorer page", "",
        f"Latest run: {time.strftime('%Y-%m-%d')}, `.venv/bin/python bench/explorer.py` on a generated graph of "
        f"{stats.triples:,} triples ({entities:,} entities), whole-graph views capped with --max-nodes. "
        "\"Interactive\" is from navigation until vis-network has drawn the view with its positions (physics "
        "off), or physics has settled (small views).", "",
        "| view (--max-nodes) | nodes drawn, \"+N more\" included | entities folded away | edges | physics "
        "| write page | page size | interactive in Chromium |",
        "|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for size, nodes, folded, edges, physics, write_s, bytes_, ready_s in rows:
        lines.append(f"| {size:,} | {nodes:,} | {folded:,} | {edges:,} | {'on' if physics else 'off'} | {write_s:.2f} s | "
                     f"{bytes_ / 2**20:.1f} MiB | {ready_s:.2f} s |")
    replace_section(args.out, "explorer", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
