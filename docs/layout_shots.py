"""Photograph an explorer page at phone, laptop and desktop sizes, with Debian's Chromium.

    .venv/bin/python docs/layout_shots.py PAGE.html OUT_DIR [--prefix NAME]

Writes OUT_DIR/NAME-390x844.png, -1024x700.png and -1920x1080.png and prints, for each,
the canvas (left, top, width, height), the fitted box of the nodes with their labels
(CSS px in the canvas), the zoom scale and how many node labels overlap (see
docs/explorer-layout.md; tests/test_explorer_layout.py asserts the same).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from playwright.sync_api import sync_playwright

SIZES = [(390, 844), (1024, 700), (1920, 1080)]
MEASURE = """() => {
  const net = collabgraph.network, c = document.getElementById('cg-network').getBoundingClientRect();
  const ids = collabgraph.nodes.getIds().filter(id => !collabgraph.nodes.get(id).hidden);
  const dom = (l, t, r, b) => { const a = net.canvasToDOM({x: l, y: t}), z = net.canvasToDOM({x: r, y: b}); return [a.x, a.y, z.x, z.y]; };
  const boxes = ids.map(id => { const b = net.getBoundingBox(id); return dom(b.left, b.top, b.right, b.bottom); })
    .concat((collabgraph.labels || []).filter(d => d.box).map(d => d.box));
  const labels = [];
  for (const id of ids) {
    const n = net.body.nodes[id], l = n.labelModule.size;
    if (n.labelModule.elementOptions.label && l.width) labels.push(dom(l.left, l.top, l.left + l.width, l.top + l.height));
  }
  for (const d of collabgraph.labels || []) if (d.box) labels.push(d.box);
  let overlaps = 0;
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
    const a = labels[i], b = labels[j];
    if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) overlaps++;
  }
  const r = (v) => Math.round(v);
  return {canvas: [c.left, c.top, c.width, c.height].map(r),
          fitted: [Math.min(...boxes.map(b => b[0])), Math.min(...boxes.map(b => b[1])),
                   Math.max(...boxes.map(b => b[2])), Math.max(...boxes.map(b => b[3]))].map(r),
          scale: Number(net.getScale().toFixed(3)), labels: labels.length, overlaps};
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--prefix", default="explorer")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for w, h in SIZES:
            page = browser.new_page(viewport={"width": w, "height": h})
            page.goto(args.page.resolve().as_uri())
            page.wait_for_selector('body[data-ready="1"]', state="attached", timeout=300_000)
            page.wait_for_timeout(300)
            out = args.out / f"{args.prefix}-{w}x{h}.png"
            page.screenshot(path=str(out))
            print(out, json.dumps(page.evaluate(MEASURE)))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
