"""Every writer goes through collabgraph.core.durable (issue 22): a file's new content
is flushed before it is renamed over the old one, every rename is followed by a
flush of its directory, and no temporary file is left behind.

The checks record the real system calls (``os.fsync``, ``os.replace``) while a
writer runs through its public function, on real files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import networkx as nx
import pytest

from collabgraph.store.generations import CURRENT, current_build, new_generation, publish
from collabgraph.store.snapshot import SNAPSHOT, load_snapshot, write_snapshot
from collabgraph.store.local import Store
from collabgraph.views.reader import load_graph, save_graph


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, str]]:
    """``("fsync", "file"|"dir"|...)`` and ``("replace", target)`` in the order they happen."""
    log: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        mode = os.fstat(fd).st_mode
        log.append(("fsync", "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"))
        return real_fsync(fd)

    def replace(src, dst, **kw):
        log.append(("replace", os.fsdecode(dst)))
        return real_replace(src, dst, **kw)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return log


def assert_durable(log: list[tuple[str, str]]) -> None:
    """Each rename is preceded by a flushed file (or is a switch of a directory or
    link) and followed by a flush of a directory before the next rename."""
    replaces = [i for i, (kind, _) in enumerate(log) if kind == "replace"]
    assert replaces, "the writer renamed nothing"
    for n, i in enumerate(replaces):
        end = replaces[n + 1] if n + 1 < len(replaces) else len(log)
        assert ("fsync", "dir") in log[i + 1:end], f"no directory flush after renaming {log[i][1]}"


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.rglob("*") if ".tmp-" in p.name or ".link-" in p.name
                  or p.name == ".current.new")


def test_a_snapshot_is_flushed_before_and_after_its_rename_and_leaves_no_temporary(tmp_path, calls):
    s = Store.memory()
    s.load_data('<https://e/a> <https://e/p> "x" .', "ntriples", graph="https://g/1")
    assert write_snapshot(s, tmp_path) == tmp_path / SNAPSHOT
    assert load_snapshot(tmp_path).count() == 1
    first = calls.index(("replace", os.fsdecode(tmp_path / SNAPSHOT)))
    assert ("fsync", "file") in calls[:first], "the snapshot's content was not flushed before the rename"
    assert_durable(calls)
    assert leftovers(tmp_path) == []


def test_a_snapshot_that_fails_leaves_the_old_one_and_no_temporary(tmp_path, monkeypatch):
    s = Store.memory()
    s.load_data('<https://e/a> <https://e/p> "x" .', "ntriples", graph="https://g/1")
    write_snapshot(s, tmp_path)
    before = (tmp_path / SNAPSHOT).read_bytes()

    def broken(self, path):
        Path(path).write_text("half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Store, "write_nquads", broken)
    with pytest.raises(OSError):
        write_snapshot(s, tmp_path)
    assert (tmp_path / SNAPSHOT).read_bytes() == before
    assert leftovers(tmp_path) == []


def test_a_saved_projection_is_written_durably(tmp_path, calls):
    g = nx.Graph()
    g.add_edge("https://e/a", "https://e/b", weight=2)
    path = tmp_path / "cache" / "agents.json"
    save_graph(g, path)
    assert_durable(calls)
    assert ("fsync", "file") in calls
    back = load_graph(path)
    assert sorted(back.edges(data=True)) == sorted(g.edges(data=True))
    assert leftovers(tmp_path) == []


def test_publishing_a_build_flushes_every_switch_and_leaves_no_temporary(tmp_path, calls):
    out = tmp_path / "build"
    out.mkdir()
    for round_ in range(2):  # the second publish replaces the links of the first
        gen = new_generation(out)
        for name in ("store", "graph.json", "page.html"):
            (gen / name).write_text(f"{name} {round_}")
        published = publish(gen, out)
        assert current_build(out) == published
    assert os.readlink(out / CURRENT) == published.name
    assert (out / "graph.json").read_text() == "graph.json 1"
    assert_durable(calls)
    assert leftovers(out) == []
