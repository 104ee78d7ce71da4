"""Writers of graph/ that cannot lose a review (issue 18, items 3-5): one lock for
every writer (import, ingest, review accept/reject/edit), every change of
several files committed at once through a journal, temporaries of dead runs
cleaned, a full disk changing nothing (see collabgraph.core.durable).

The writers run as real ``collabgraph`` processes, killed with SIGKILL at the
named points of a change (COLLABGRAPH_CRASH_AT) or after random delays; then
a reader must find the review and the graph agreeing: merging the article's
accepted candidates again (on a copy) changes nothing, and the graph validates.
bench/writers_kill.py runs the same checks for 100 rounds each; the kills at named points
and random delays are in test_writers_crash.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from collabgraph.core.durable import JOURNAL, LOCK_FILE
from collabgraph.ingest.candidates import ArticleFile
from collabgraph.ingest.review import Review

from .conftest import ONTOLOGY, lay_out
from .test_review import DIRECTED, JOINED, MEMBER_V, PLAYED, review_graph

WINTER = "winter-single"
SUMMER = Path(__file__).resolve().parents[1] / "docs" / "examples" / "summer-letters.txt"
SUMMER_ID = "choi-woo-shik-cast-in-a-summer-film"
#: The points of a change where a writer is killed, and whether the change is made after it.
POINTS = [("staged", False), ("journal", True), ("renamed-one", True), ("committed", True)]


def cg(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "collabgraph", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


def start(*args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "collabgraph", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **env})


def statuses(graph: Path, article: str = WINTER) -> dict[str, str]:
    return {c.id: c.status for c in ArticleFile.load(graph / "articles" / f"{article}.json").candidates}


def leftovers(graph: Path) -> list[str]:
    """What a writer leaves only while it runs: temporaries, the journal, the lock, staging folders."""
    inside = [p.relative_to(graph).as_posix() for p in graph.rglob("*")
              if ".tmp-" in p.name or p.name in (JOURNAL, LOCK_FILE)]
    beside = [p.name for p in graph.parent.iterdir() if p.name.startswith(f".{graph.name}.")]
    return inside + beside


def agree(graph: Path, article: str, scratch: Path) -> None:
    """The review of ``article`` and the graph agree: a reader settles what a
    killed writer committed, and merging the accepted candidates again (on a
    copy of the graph, validated as every merge is) changes nothing."""
    Review(graph)  # a reader: finishes a change committed before the kill
    assert not (graph / JOURNAL).exists()
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(graph.parent.parent, scratch, symlinks=True)
    copy = scratch / graph.relative_to(graph.parent.parent)
    assert Review(copy, ONTOLOGY).merge(article).files == [], "the review and the graph disagree"


# -- two writers at once ------------------------------------------------------------------

def test_two_review_accepts_at_once_both_land(tmp_path):
    for round_ in range(3):
        graph = review_graph(tmp_path / f"round{round_}")
        first = start("review", "accept", PLAYED, "--graph", str(graph))
        second = start("review", "accept", MEMBER_V, "--graph", str(graph))
        for proc in (first, second):
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        now = statuses(graph)
        assert (now[PLAYED], now[MEMBER_V]) == ("accepted", "accepted"), f"round {round_}: one accept was lost"
        agree(graph, WINTER, tmp_path / "scratch")
        assert leftovers(graph) == []


def test_a_writer_waits_for_the_one_before_it_and_then_says_who_holds_the_lock(tmp_path):
    graph = review_graph(tmp_path)
    flag = tmp_path / "paused"
    first = start("review", "accept", PLAYED, "--graph", str(graph),
                  COLLABGRAPH_PAUSE_AT="staged", COLLABGRAPH_PAUSE_FILE=str(flag))
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert first.poll() is None and time.monotonic() < deadline, "the first writer never paused"
            time.sleep(0.05)
        # An import is a writer of graph/ too: it shares the lock.
        rows = tmp_path / "facts.csv"
        assert cg("import", "csv", "--template", str(rows)).returncode == 0
        refused = cg("import", "csv", str(rows), "--graph", str(graph), COLLABGRAPH_LOCK_TIMEOUT="0.5")
        assert refused.returncode == 1
        assert refused.stderr.splitlines() == [
            f"error: another collabgraph review accept is writing {graph} (pid {first.pid}); "
            "waited 0.5 s: try again when it has finished"]
        assert not (graph / "imports").exists() and statuses(graph)[PLAYED] == "pending"
        waiting = start("review", "accept", JOINED, "--graph", str(graph))  # waits, then lands
        time.sleep(0.5)
        assert waiting.poll() is None
    finally:
        flag.unlink(missing_ok=True)
    assert first.wait(timeout=120) == 0
    assert waiting.wait(timeout=120) == 0
    assert (statuses(graph)[PLAYED], statuses(graph)[JOINED]) == ("accepted", "accepted")
    assert leftovers(graph) == []


def test_temporaries_of_dead_writers_are_removed_by_the_next_writer(tmp_path):
    graph = review_graph(tmp_path)
    dead = subprocess.Popen(["true"])
    dead.wait()
    staging = graph.parent / f".graph.import-{dead.pid}"  # what earlier versions left
    (staging / "imports").mkdir(parents=True)
    (staging / "imports" / "x.ttl").write_text("<a> <b> <c> .\n")
    temp = graph / "articles" / f".{WINTER}.json.tmp-{dead.pid}"
    temp.write_text("")
    out = cg("review", "accept", PLAYED, "--graph", str(graph))
    assert out.returncode == 0, out.stderr
    assert leftovers(graph) == []


# -- a full disk ------------------------------------------------------------------------------

ENOSPC_AFTER = """
import errno, os, sys
real, count = os.write, [0]
def write(fd, data):
    if fd > 2:
        count[0] += 1
        if count[0] >= int(os.environ["FAIL_AT"]):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real(fd, data)
os.write = write
from collabgraph.cli import cli
cli(prog_name="collabgraph")
"""


@pytest.mark.parametrize("fail_at", [2, 3, 4])
def test_a_disk_that_fills_during_a_review_changes_nothing(tmp_path, fail_at):
    """ENOSPC from the nth write to a file (the lock's pid is the first; then the
    new .ttl, the candidates, the journal), simulated in the process: one line,
    exit 1, every file as it was, no temporary file."""
    graph = review_graph(tmp_path)
    before = {p: p.read_bytes() for p in graph.rglob("*") if p.is_file()}
    script = tmp_path / "full.py"
    script.write_text(ENOSPC_AFTER, "utf-8")
    out = subprocess.run([sys.executable, str(script), "review", "accept", PLAYED, "--graph", str(graph)],
                         capture_output=True, text=True, timeout=120, env={**os.environ, "FAIL_AT": str(fail_at)})
    assert out.returncode == 1, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and "no space left on the device" in lines[0] and "nothing was changed" in lines[0]
    assert {p: p.read_bytes() for p in graph.rglob("*") if p.is_file()} == before
    assert leftovers(graph) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs (needs the right to mount: root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root); the simulated full disk above still runs")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_review_on_a_really_full_disk_changes_nothing(small_disk):
    graph = review_graph(small_disk)
    before = {p: p.read_bytes() for p in graph.rglob("*") if p.is_file()}
    free = os.statvfs(small_disk)
    with open(small_disk / "filler", "wb") as f:  # leave less than the new files need
        f.write(b"\0" * (free.f_bavail * free.f_frsize - 4096))
    out = cg("review", "accept", PLAYED, DIRECTED, "--graph", str(graph))
    assert out.returncode == 1
    assert len(out.stderr.splitlines()) == 1 and "no space left on the device" in out.stderr
    assert {p: p.read_bytes() for p in graph.rglob("*") if p.is_file()} == before
    assert leftovers(graph) == []
    (small_disk / "filler").unlink()
    assert cg("review", "accept", PLAYED, DIRECTED, "--graph", str(graph)).returncode == 0
    assert statuses(graph)[PLAYED] == "accepted" and (graph / "articles" / f"{WINTER}.ttl").exists()


def test_a_build_onto_a_full_disk_says_so_in_one_line(small_disk):
    """The name index of the build was the last writer to say "unexpected OperationalError"."""
    graph = lay_out(small_disk / "src")
    free = os.statvfs(small_disk)
    with open(small_disk / "filler", "wb") as f:
        f.write(b"\0" * (free.f_bavail * free.f_frsize - 150_000))
    out = cg("build", "--graph", str(graph), "--out", str(small_disk / "build"), "--quiet")
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and "unexpected" not in lines[0] and "no space left" in lines[0].lower(), lines


def test_a_reader_waits_for_the_renames_of_a_change_and_never_sees_half_of_it(tmp_path):
    """A build or validate reads the files as one state: a writer paused between
    its commit point and its renames holds the reader until it has finished."""
    graph = review_graph(tmp_path)
    flag = tmp_path / "paused"
    writer = start("review", "accept", PLAYED, "--graph", str(graph),
                   COLLABGRAPH_PAUSE_AT="journal", COLLABGRAPH_PAUSE_FILE=str(flag))
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert writer.poll() is None and time.monotonic() < deadline, "the writer never paused"
            time.sleep(0.05)
        reader = start("validate", "--graph", str(graph))
        time.sleep(1.5)
        assert reader.poll() is None, "the reader did not wait for the change to finish"
    finally:
        flag.unlink(missing_ok=True)
    assert writer.wait(timeout=120) == 0
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    assert "ok: 3 source file(s)" in out + err  # the two of the graph and the new one
