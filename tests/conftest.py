"""Shared fixtures: the article's graph (loaded once), a build of it, and helpers.

The fixtures hold the article's source files only (see :mod:`tests.layout`),
so tests that pin the article's answers keep passing when users add sources
to graph/. ``GRAPH`` is the repository's graph/ as it is, for tests of the
whole (it must always validate; see test_growth.py)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from collabgraph import CollabGraph
from collabgraph import build

from .layout import ARTICLE_FILES, ROOT, lay_out  # noqa: F401  (re-exported for tests)

GRAPH = ROOT / "graph"
ONTOLOGY = ROOT / "ontology"
DATA = Path(__file__).resolve().parent / "data"
#: The article's own text, which the bundled graph's quotes are checked against. It lies
#: in the shared folder beside the repository, not in it (third-party text never goes in).
SHARED_ARTICLE = ROOT.parent / "shared" / "sources" / "love-wins-all-article.txt"
#: For tests that need that copy: they skip, saying why, in a clone with nothing beside it.
needs_shared = pytest.mark.skipif(
    not SHARED_ARTICLE.is_file(),
    reason="needs ../shared/sources/love-wins-all-article.txt beside the repository (the article is not in it)")


@pytest.fixture(scope="session")
def article_graph(tmp_path_factory) -> Path:
    """A read-only copy of the article's source files (don't change it)."""
    return lay_out(tmp_path_factory.mktemp("article"))


@pytest.fixture(scope="session")
def kg(article_graph) -> CollabGraph:
    """The article's graph, loaded in memory once for the session (read it, don't change it)."""
    return CollabGraph.load(article_graph, ONTOLOGY)


@pytest.fixture(scope="session")
def built(tmp_path_factory, article_graph) -> Path:
    """A build of the article's graph on disk, shared by read-only tests."""
    out = tmp_path_factory.mktemp("shared") / "build"
    build(article_graph, ONTOLOGY, out)
    return out


@pytest.fixture
def sources(tmp_path) -> Path:
    """A private copy of the article's source files that a test may break."""
    return lay_out(tmp_path)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(proc: subprocess.Popen, url: str, name: str, seconds: float = 60) -> None:
    """Poll ``url`` until it answers; fail with the server's stderr if it dies or never does."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"{name} did not start: {proc.stderr.read().decode()[-800:]}")
            time.sleep(0.1)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM):
        pytest.fail("Chromium is missing: run 'bash .ci/system-packages' (Debian packages chromium, fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _no_outside_services(monkeypatch, tmp_path):
    """No test reaches Wikidata or MusicBrainz: an import that would ask them (the labels
    of referred items) asks a closed port on this machine instead, unless `replay` answers."""
    monkeypatch.setenv("COLLABGRAPH_WIKIDATA_URL", "http://127.0.0.1:9/wiki/")
    monkeypatch.setenv("COLLABGRAPH_MUSICBRAINZ_URL", "http://127.0.0.1:9/ws/2/")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no-cache"))


@pytest.fixture
def replay(monkeypatch, tmp_path):
    """A local replay of Wikidata and MusicBrainz (see tests/replay.py) on 127.0.0.1.

    The fetchers' URL variables point at it and their cache lives in ``tmp_path``, so
    code that fetches (the import commands too) never leaves the machine, nor touches
    the user's cache. ``replay.requests`` lists what it was asked; ``replay.script``
    queues failures."""
    from .replay import ReplayServer

    with ReplayServer(DATA) as server:
        monkeypatch.setenv("COLLABGRAPH_WIKIDATA_URL", server.wikidata_url)
        monkeypatch.setenv("COLLABGRAPH_MUSICBRAINZ_URL", server.musicbrainz_url)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        yield server


#: Fixture data and the scripts that wrote it are not test modules: with
#: --doctest-modules pytest would import (and so run) e.g. data/review/make.py,
#: which rewrote its committed JSON during every full run.
collect_ignore_glob = ["data/*"]
