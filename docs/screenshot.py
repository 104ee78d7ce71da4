"""Make the README's screenshots of the explorer, with Debian's Chromium.

    .venv/bin/python docs/screenshot.py [BUILD_DIR] [--out PNG]
    .venv/bin/python docs/screenshot.py --agents 2000 [--out PNG]

The first builds the bundled graph in memory (or opens BUILD_DIR), writes the
page for the whole graph, searches for "taehyung", asks for the path from IU
to Park Seo-joon (coloured, the view fitted to it) and photographs the result
as docs/explorer.png. The second generates a graph of that many agents, writes
its whole-graph page at 2,000 nodes, opens every circle ("Show everyone") and
photographs it as docs/explorer-2000.png: communities in colour, the 20 most
central names labelled.

The picture is the same on every run of an unchanged page (the page's layout is
seeded, vis-network's randomSeed and the server-side layout's seed, and the
picture is taken once four shots 0.4 s apart agree, so a busy machine's late
frames do not change it): remaking it leaves git's copy as it was unless
the page changed. --out writes it elsewhere (outside the repository, to compare).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from collabgraph import CollabGraph

ROOT = Path(__file__).resolve().parent.parent


def photograph(page_file: Path, out: Path, steps) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 860}, device_scale_factor=1)
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready=\"1\"]", state="attached", timeout=120_000)
        steps(page)
        page.mouse.move(0, 0)  # no button left hovered (its colour eases in: a busy machine caught it half-way)
        # the picture once the page has stopped moving (the layout settles after the path's fit, and a busy
        # machine draws the frames late, or stalls between two): four shots 0.4 s apart that are the same
        shot, same = page.screenshot(animations="disabled"), 0
        for _ in range(300):
            page.wait_for_timeout(400)
            again = page.screenshot(animations="disabled")
            same = same + 1 if again == shot else 0
            shot = again
            if same == 3:
                break
        out.write_bytes(shot)
        browser.close()
    print(f"wrote {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build", nargs="?", help="a build directory (default: the bundled graph, built in memory)")
    ap.add_argument("--agents", type=int, help="photograph a generated graph of this many agents instead")
    ap.add_argument("--out", type=Path, help="the PNG to write (default: docs/explorer.png, or docs/explorer-2000.png "
                                             "with --agents)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.agents:
            from collabgraph.importers.generate import generate

            generate(args.agents, Path(tmp) / "g", seed=1)
            kg = CollabGraph.load(Path(tmp) / "g", ROOT / "ontology")
            page_file = kg.explore(max_nodes=2000).write(Path(tmp) / "explorer.html")
            photograph(page_file, args.out or ROOT / "docs" / "explorer-2000.png",
                       lambda page: page.click("#cg-everyone"))
            return
        kg = CollabGraph.open(args.build) if args.build else CollabGraph.load(ROOT / "graph", ROOT / "ontology")
        page_file = kg.explore().write(Path(tmp) / "explorer.html")

        def path_from_iu(page) -> None:
            page.fill("#cg-search", "taehyung")
            page.press("#cg-search", "Enter")
            page.fill("#cg-path-from", "IU")
            page.fill("#cg-path-to", "Park Seo-joon")
            page.click("#cg-path-go")

        photograph(page_file, args.out or ROOT / "docs" / "explorer.png", path_from_iu)


if __name__ == "__main__":
    main()
