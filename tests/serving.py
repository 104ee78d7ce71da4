"""`collabgraph serve` started for a test on a free port of 127.0.0.1, waited
for until it answers, and stopped afterwards: the plain SPARQL server and the
one with the review page."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from collabgraph import build

from .conftest import ONTOLOGY, free_port, wait_until_serving


def start(build_dir, *extra, ready: str = "/saved.json", name: str = "collabgraph serve",
          ) -> tuple[subprocess.Popen, str]:
    """Serve ``build_dir`` with the options ``extra``; return the process and its base URL
    once ``ready`` (a path) answers."""
    port = free_port()
    exe = Path(sys.executable).with_name("collabgraph")
    proc = subprocess.Popen([str(exe), "serve", "--build", str(build_dir), "--port", str(port), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(proc, f"{base}{ready}", name)
    return proc, base


@contextmanager
def serving(build_dir, *extra, **how) -> Iterator[str]:
    """:func:`start` for the ``with`` block, which gets the base URL; the server is stopped after it."""
    proc, base = start(build_dir, *extra, **how)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@contextmanager
def serving_review(graph: Path, build_dir: Path) -> Iterator[str]:
    """Build ``graph`` into ``build_dir`` and serve it with its review page (one worker)."""
    build(graph, ONTOLOGY, build_dir)
    with serving(build_dir, "--workers", "1", "--review", "--graph", str(graph),
                 ready="/review.json", name="collabgraph serve --review") as base:
        yield base


def open_review(browser, base: str, wait_for: str = ".card"):
    """The review page at ``base`` in a new tab once ``wait_for`` is shown, and the
    list its script errors are added to as they come (the page must raise none)."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/review")
    page.wait_for_selector(wait_for)
    return page, errors
