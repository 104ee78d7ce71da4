"""Issue 20: what ingest read of a graph is kept on disk between processes
(collabgraph.ingest.namecache), never stale, rebuilt when corrupt, safe when
several processes bring it up to date at once, and the reports are the same
as reading the whole graph into memory."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from collabgraph.ingest.article import KnownNames, ingest
from collabgraph.ingest.namecache import cache_root

from .layout import lay_out
from .test_ingest_speed import PREFIXES, article, named  # noqa: F401  (article: a fixture, requested by name)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "articles"


@pytest.fixture()
def graph(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLLABGRAPH_INGEST_CACHE_BYTES", "0")  # these graphs are small: keep them on disk all the same
    KnownNames.forget()
    g = lay_out(tmp_path)
    shutil.copy2(DATA / "known.ttl", g / "known.ttl")
    yield g
    KnownNames.forget()


def found(report) -> str:
    return json.dumps([[dataclasses.asdict(m) for m in report.mentions],
                       [dataclasses.asdict(c) for c in report.candidates]], sort_keys=True)


def fresh(article: Path, graph: Path, title: str):
    """An ingest as a new process makes it: nothing kept in memory, only the cache on disk.
    Each is a new article (the same text under another title is refused since h20d)."""
    KnownNames.forget()
    shutil.rmtree(graph / "articles", ignore_errors=True)
    return ingest(article, graph, published="2024-06-01", title=title)


def folder() -> Path:
    (one,) = [p for p in cache_root().iterdir() if p.is_dir()]
    return one


def test_the_command_in_a_new_process_sees_a_file_changed_since_the_last(graph, article, tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))

    def run(title: str) -> dict:
        shutil.rmtree(graph / "articles", ignore_errors=True)  # a new article each time (same text, new title)
        out = subprocess.run([sys.executable, "-m", "collabgraph", "ingest", str(article), "--graph", str(graph),
                              "--published", "2024-06-01", "--title", title, "--format", "json"],
                             env=env, capture_output=True, text=True, check=True).stdout
        return json.loads(out)

    def linked(report: dict) -> set:
        """What the name is linked to or suggested as (a name alone is only suggested)."""
        return {target for text, target, _ in report["mentions_linked"] + report["mentions_suggested"]
                if text == "Zorvath Quillan"}

    assert not linked(run("one"))
    assert (folder() / "names.sqlite").is_file()  # the first process kept what it read
    with open(graph / "known.ttl", "a", encoding="utf-8") as f:
        f.write('id:zorvath-quillan a cg:Person ; rdfs:label "Zorvath Quillan"@en .\n')
    assert linked(run("two")) == {"id:zorvath-quillan"}


def test_a_changed_added_or_removed_file_is_seen_by_the_next_process(graph, article):
    assert "id:zorvath-quillan" not in named(fresh(article, graph, "one"), "Zorvath Quillan")
    extra = graph / "more" / "extra.ttl"
    extra.parent.mkdir()
    extra.write_text(PREFIXES + 'id:zorvath-quillan a cg:Person ; rdfs:label "Zorvath Quillan"@en .\n', "utf-8")
    assert named(fresh(article, graph, "two"), "Zorvath Quillan") == {"id:zorvath-quillan"}
    # the same size and modification time, other bytes: its checksum differs
    before = extra.stat()
    extra.write_text(PREFIXES + 'id:zorvath-quillax a cg:Person ; rdfs:label "Xorvath Quillan"@en .\n', "utf-8")
    os.utime(extra, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "id:zorvath-quillan" not in named(fresh(article, graph, "three"), "Zorvath Quillan")
    extra.write_text(PREFIXES + 'id:zorvath-quillan a cg:Person ; rdfs:label "Zorvath Quillan"@en .\n', "utf-8")
    assert named(fresh(article, graph, "four"), "Zorvath Quillan") == {"id:zorvath-quillan"}
    extra.unlink()
    assert "id:zorvath-quillan" not in named(fresh(article, graph, "five"), "Zorvath Quillan")
    assert len(list(folder().glob("store-*"))) == 1  # replaced stores are removed


def test_a_file_touched_with_the_same_bytes_is_checked_not_read_again(graph, article):
    fresh(article, graph, "one")
    store = [p.name for p in folder().glob("store-*")]
    table = (folder() / "names.sqlite").stat().st_ino
    later = (graph / "known.ttl").stat().st_mtime_ns + 5_000_000_000
    os.utime(graph / "known.ttl", ns=(later, later))
    fresh(article, graph, "two")
    assert [p.name for p in folder().glob("store-*")] == store  # same bytes: its graph was kept
    assert (folder() / "names.sqlite").stat().st_ino != table  # its new stamp was recorded ...
    table = (folder() / "names.sqlite").stat().st_ino
    fresh(article, graph, "three")
    assert (folder() / "names.sqlite").stat().st_ino == table  # ... so the next run has nothing to do


@pytest.mark.parametrize("damage", ["garbage table", "empty table", "store gone"])
def test_a_corrupt_cache_is_rebuilt_with_a_one_line_warning(graph, article, capfd, damage):
    first = found(fresh(article, graph, "one"))
    capfd.readouterr()
    here = folder()
    if damage == "garbage table":
        (here / "names.sqlite").write_bytes(b"not a database at all" * 100)
    elif damage == "empty table":
        (here / "names.sqlite").write_bytes(b"")
    else:
        for store in here.glob("store-*"):
            shutil.rmtree(store)
    (graph / "articles" / "one.json").unlink()
    assert found(fresh(article, graph, "one")) == first
    err = capfd.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "warning: the ingest cache" in err, err
    assert found(fresh(article, graph, "one")) == first  # rebuilt: read again without a warning
    assert "warning" not in capfd.readouterr().err


@pytest.mark.parametrize("name", ["01-paper-moon.txt", "04-love-wins-anniversary.txt", "06-velvet-hour.txt"])
def test_the_same_candidates_from_the_cache_as_from_the_whole_graph_read_into_memory(graph, tmp_path, monkeypatch,
                                                                                    name):
    path = DATA / name
    fresh(path, graph, "warm")  # fills the cache
    with open(graph / "known.ttl", "a", encoding="utf-8") as f:  # and one update of it
        f.write('id:zorvath-quillan a cg:Person ; rdfs:label "Zorvath Quillan"@en .\n')
    cached = found(fresh(path, graph, "same"))
    for stored in (graph / "articles").glob("same.*"):
        stored.unlink()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # no cache folder can be made: the graph is read into memory
    memory = found(fresh(path, graph, "same"))
    assert cached == memory and json.loads(cached)[0]


_BRING_UP_TO_DATE = """
import sys
from collabgraph.ingest.namecache import open_cached
table, store = open_cached(sys.argv[1])
print(sorted(e for e, _ in table.named("zorvathquillan")))
"""


def test_processes_bringing_the_cache_up_to_date_at_once_leave_it_whole(graph, tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    subprocess.run([sys.executable, "-c", _BRING_UP_TO_DATE, str(graph)], env=env, check=True)
    with open(graph / "known.ttl", "a", encoding="utf-8") as f:
        f.write('id:zorvath-quillan a cg:Person ; rdfs:label "Zorvath Quillan"@en .\n')
    runs = [subprocess.Popen([sys.executable, "-c", _BRING_UP_TO_DATE, str(graph)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [r.communicate() for r in runs]
    assert all(r.returncode == 0 for r in runs), outs
    assert {o for o, _ in outs} == {"['https://w3id.org/collabgraph/id/zorvath-quillan']\n"}
    here = folder()
    assert len(list(here.glob("store-*"))) == 1 and not list(here.glob("*.tmp"))


def test_a_small_graph_is_read_into_memory_and_a_larger_one_kept_on_disk(graph, article, monkeypatch):
    """Up to COLLABGRAPH_INGEST_CACHE_BYTES (2 MB unless set) of source files, reading
    the graph is quicker than a disk cache: none is made, and the report is the same."""
    monkeypatch.delenv("COLLABGRAPH_INGEST_CACHE_BYTES")
    small = found(ingest(article, graph, published="2026-05-20"))
    assert not cache_root().exists() or not any(cache_root().iterdir())
    KnownNames.forget()
    monkeypatch.setenv("COLLABGRAPH_INGEST_CACHE_BYTES", "1000")
    kept = found(ingest(article, graph, published="2026-05-20"))
    assert any(cache_root().iterdir())
    assert kept == small


def test_folders_of_graphs_unused_for_a_month_are_removed(graph, article):
    """A graph deleted or moved leaves its folder behind: the next ingest into any
    graph removes the folders not used for 30 days, and keeps the recent ones."""
    import time

    ingest(article, graph, published="2026-05-20")
    (ours,) = list(cache_root().iterdir())
    recent = cache_root() / "recent"
    for folder, days in ((cache_root() / "old-graph", 40), (recent, 3)):
        (folder / "store-x").mkdir(parents=True)
        (folder / "names.sqlite").write_bytes(b"x" * 100)
        stamp = time.time() - days * 86400
        (folder / "lock").touch()
        os.utime(folder / "lock", (stamp, stamp))
    os.utime(ours / "lock", (time.time() - 40 * 86400,) * 2)  # ours is old too, but in use now
    KnownNames.forget()
    ingest(article, graph, published="2026-05-20")
    assert sorted(p.name for p in cache_root().iterdir()) == sorted([ours.name, "recent"])
    assert (ours / "lock").stat().st_mtime > time.time() - 3600
