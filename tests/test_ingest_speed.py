"""Issue 20's speed target: a graph's names are read once and kept between
ingests in one process (:meth:`KnownNames.cached`), never stale: a source file
changed, added or removed between two ingests is read again. The timing is in
bench/ingest_speed.py, not here."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from collabgraph.core.namespaces import curie
from collabgraph.ingest.article import KnownNames
from collabgraph.ingest.article import ingest as ingest_once

from .layout import lay_out

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "articles"
PREFIXES = ("@prefix cg: <https://w3id.org/collabgraph/ns#> .\n@prefix id: <https://w3id.org/collabgraph/id/> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
TEXT = "Singer Zorvath Quillan released the ballad \u201cPaper Moon\u201d on Friday, the agency said.\n"


@pytest.fixture()
def graph(tmp_path) -> Path:
    KnownNames.forget()
    g = lay_out(tmp_path)
    shutil.copy2(DATA / "known.ttl", g / "known.ttl")
    return g


@pytest.fixture()
def article(tmp_path) -> Path:
    path = tmp_path / "zorvath.txt"
    path.write_text(TEXT, "utf-8")
    return path


def named(report, words: str) -> set[str]:
    """Every entity a mention of ``words`` links, proposes or suggests."""
    out: set[str] = set()
    for m in report.mentions:
        if m.text == words:
            out |= {curie(i) for i in (m.link, m.proposed) if i} | {curie(s[0]) for s in m.suggestions}
    return out


def found(report) -> tuple:
    return ([dataclasses.asdict(m) for m in report.mentions], [dataclasses.asdict(c) for c in report.candidates])


def ingest(path: Path, graph: Path, **options):
    """Each ingest here is a new article of the same text (the same text under another title is
    refused since h20d): the stored articles go first, the names the process keeps stay."""
    shutil.rmtree(graph / "articles", ignore_errors=True)
    return ingest_once(path, graph, **options)


def test_a_name_added_to_a_graph_file_between_two_ingests_is_known_to_the_second(graph, article):
    first = ingest(article, graph, published="2024-06-01", title="one")
    assert "id:zorvath-quillan" not in named(first, "Zorvath Quillan")
    assert "id:paper-moon" in named(first, "Paper Moon")
    with open(graph / "known.ttl", "a", encoding="utf-8") as f:
        f.write('id:zorvath-quillan a cg:Person ; rdfs:label "Zorvath Quillan"@en .\n')
    second = ingest(article, graph, published="2024-06-01", title="two")
    assert named(second, "Zorvath Quillan") == {"id:zorvath-quillan"}


def test_a_new_file_is_read_and_a_removed_file_forgotten(graph, article):
    ingest(article, graph, published="2024-06-01", title="one")
    extra = graph / "more" / "extra.ttl"
    extra.parent.mkdir()
    extra.write_text(PREFIXES + 'id:zorvath-quillan a cg:Person ; rdfs:label "Zorvath Quillan"@en .\n', "utf-8")
    assert named(ingest(article, graph, published="2024-06-01", title="two"), "Zorvath Quillan") \
        == {"id:zorvath-quillan"}
    extra.unlink()
    assert "id:zorvath-quillan" not in named(ingest(article, graph, published="2024-06-01", title="three"),
                                             "Zorvath Quillan")


def test_a_rewrite_of_the_same_size_and_time_is_still_seen(graph, article):
    extra = graph / "extra.ttl"
    extra.write_text(PREFIXES + 'id:zorvath-quillan a cg:Person ; rdfs:label "Zorvath Quillan"@en .\n', "utf-8")
    assert named(ingest(article, graph, published="2024-06-01", title="one"), "Zorvath Quillan") \
        == {"id:zorvath-quillan"}
    before = extra.stat()
    # same length, same modification time: the change time (and the inode of a replaced file) still differ
    extra.write_text(PREFIXES + 'id:zorvath-quillax a cg:Person ; rdfs:label "Xorvath Quillan"@en .\n', "utf-8")
    os.utime(extra, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert extra.stat().st_size == before.st_size
    assert "id:zorvath-quillan" not in named(ingest(article, graph, published="2024-06-01", title="two"),
                                             "Zorvath Quillan")


@pytest.mark.parametrize("name", ["01-paper-moon.txt", "04-love-wins-anniversary.txt", "06-velvet-hour.txt"])
def test_the_same_results_with_the_names_kept_and_read_again(graph, name):
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} is not in this checkout")
    ingest(DATA / "01-paper-moon.txt", graph, published="2024-06-01", title="warm")  # the names are kept now
    kept = found(ingest(path, graph, published="2024-06-01", title="same"))
    for stored in (graph / "articles").glob("same.*"):
        stored.unlink()  # the same article again, new as the first time
    KnownNames.forget()
    again = found(ingest(path, graph, published="2024-06-01", title="same"))
    assert kept == again and kept[0]


def test_the_names_kept_are_of_their_own_graph(tmp_path, graph, article):
    other = lay_out(tmp_path / "other")  # the bundled graph without known.ttl
    with open(graph / "known.ttl", "a", encoding="utf-8") as f:
        f.write('id:zorvath-quillan a cg:Person ; rdfs:label "Zorvath Quillan"@en .\n')
    assert named(ingest(article, graph, published="2024-06-01"), "Zorvath Quillan") == {"id:zorvath-quillan"}
    assert not named(ingest(article, other, published="2024-06-01"), "Zorvath Quillan")
    assert named(ingest(article, graph, published="2024-06-01", title="b"), "Zorvath Quillan") == {"id:zorvath-quillan"}

