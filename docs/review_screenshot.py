"""Photograph the review page's "Add a fact" form for docs/journalist.md, with Debian's Chromium.

    .venv/bin/python docs/review_screenshot.py [--out docs/review-add.png]

On a copy of graph/ it ingests docs/examples/night-bus.txt as the walkthrough
does, builds, starts `collabgraph serve --review` on a free port of 127.0.0.1,
and in the page selects "Park Hyung-sik" in sentence 6, picks "Night Bus" (a
single, new in this article) as the work, the words "the video" for it, the
role cameo (and no character: the sentence names none), then photographs the form. It then
clicks "Add and accept" and prints what the page says (the walkthrough quotes it).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "docs" / "examples" / "night-bus.txt"
CHROMIUM = "/usr/bin/chromium"

#: Select words inside sentence N of the page's text, as a mouse would, and release.
SELECT = """([n, words]) => {
    const span = document.querySelector(`#text .sentence[data-n="${n}"]`);
    const walker = document.createTreeWalker(span, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
        const i = node.textContent.indexOf(words);
        if (i >= 0) {
            const range = document.createRange();
            range.setStart(node, i); range.setEnd(node, i + words.length);
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
            span.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
            return;
        }
    }
    throw new Error("words not in the sentence: " + words);
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(build_dir: Path, graph: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    exe = Path(sys.executable).with_name("collabgraph")
    proc = subprocess.Popen([str(exe), "serve", "--build", str(build_dir), "--port", str(port), "--workers", "1",
                             "--review", "--graph", str(graph)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"{base}/review.json", timeout=5):
                return proc, base
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("collabgraph serve --review stopped before it answered") from None
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("collabgraph serve --review did not answer in a minute")


def photograph(out: Path) -> str:
    """Write the picture to ``out``; return what the page said after "Add and accept"."""
    from playwright.sync_api import sync_playwright

    from collabgraph import build
    from collabgraph.ingest.article import ingest

    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(tmp) / "repo" / "graph"
        shutil.copytree(ROOT / "graph", graph)
        shared = ROOT.parent / "shared"
        if shared.is_dir():  # the bundled article's text, for its quotes (as the docs' sandbox has it)
            (Path(tmp) / "shared").symlink_to(shared, target_is_directory=True)
        ingest(ARTICLE, graph, url="https://example.org/night-bus", title="IU's new single gets a surprise cameo",
               publisher="Invented Daily", published="2026-03-06")
        build(graph, ROOT / "ontology", Path(tmp) / "build")
        proc, base = _serve(Path(tmp) / "build", graph)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM,
                                            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                page = browser.new_page(viewport={"width": 1300, "height": 900}, device_scale_factor=1)
                page.goto(f"{base}/review")
                page.wait_for_selector(".card")
                page.evaluate(SELECT, [6, "Park Hyung-sik"])
                page.wait_for_selector("#add-agent-known:has-text('known:')")
                page.fill("#add-work", "Night Bus")
                page.dispatch_event("#add-work", "input")
                page.wait_for_selector("#add-work-known:has-text('new:')")
                page.select_option("#add-work-type", "Single")
                page.check("input[name=fill][value=work]")
                page.evaluate(SELECT, [6, "the video"])
                page.fill("#add-work", "Night Bus")  # the words fill the field; the name is what it stands for
                page.fill("#add-role", "cameo")
                page.wait_for_timeout(300)
                page.screenshot(path=str(out))
                page.click("#add-accept")
                page.wait_for_selector("#status.ok, #status.error")
                said = page.text_content("#status") or ""
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    return said


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "review-add.png", help="where the picture goes")
    args = ap.parse_args(argv)
    said = photograph(args.out)
    print(f"wrote {args.out}\nthe page said: {said}")
    return 0 if said.startswith("added accepted") else 1


if __name__ == "__main__":
    sys.exit(main())
