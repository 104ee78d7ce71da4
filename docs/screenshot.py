"""Make docs/explorer.png, the README's screenshot of the explorer, with Debian's Chromium.

    .venv/bin/python docs/screenshot.py [BUILD_DIR]

It builds the bundled graph in memory (or opens BUILD_DIR), writes the page
for the whole graph, searches for "taehyung", asks for the path from IU to
Park Seo-joon (coloured, the view fitted to it) and photographs the result.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from collabgraph import CollabGraph

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    kg = CollabGraph.open(sys.argv[1]) if len(sys.argv) > 1 else CollabGraph.load(ROOT / "graph", ROOT / "ontology")
    with tempfile.TemporaryDirectory() as tmp:
        page_file = kg.explore().write(Path(tmp) / "explorer.html")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1400, "height": 860}, device_scale_factor=1)
            page.goto(page_file.as_uri())
            page.wait_for_selector("body[data-ready=\"1\"]", state="attached")
            page.fill("#cg-search", "taehyung")
            page.press("#cg-search", "Enter")
            page.fill("#cg-path-from", "IU")
            page.fill("#cg-path-to", "Park Seo-joon")
            page.click("#cg-path-go")
            page.wait_for_timeout(300)
            out = ROOT / "docs" / "explorer.png"
            page.screenshot(path=str(out))
            browser.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
