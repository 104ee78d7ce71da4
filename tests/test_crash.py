"""Crash safety of builds: killed at any point (SIGKILL), a build leaves a usable
build, the next build cleans up after it, and two builds into one directory
never both write (see collabgraph.store.generations).

The builds run as real ``collabgraph build`` processes; the named points where
they are killed or paused are the build's checkpoints (COLLABGRAPH_CRASH_AT,
COLLABGRAPH_PAUSE_AT)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from collabgraph import CollabGraph, StoreBusy
from collabgraph import build
from collabgraph.build.pipeline import current_build

from .conftest import ONTOLOGY, lay_out

#: Where a build may be killed, in order, and whether the new build is in use after it.
POINTS = [("locked", False), ("written", False), ("renamed", False), ("linked", False),
          ("switched", True), ("linked-top", True), ("cleanup", True)]


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Two valid source directories that give different graphs: v1 (the
    article and its identifiers) and v2 (the article alone). Don't change them."""
    v1 = lay_out(tmp_path_factory.mktemp("versions"))
    v2 = v1.parent / "graph2"
    v2.mkdir()
    shutil.copy2(v1 / "love-wins-all-article.ttl", v2)
    return v1, v2


@pytest.fixture(scope="module")
def expected(versions, tmp_path_factory):
    """The answers of a build of v1 and of v2."""
    found = {}
    for name, graph in zip(("v1", "v2"), versions):
        out = tmp_path_factory.mktemp("reference") / "build"
        build(graph, ONTOLOGY, out)
        found[name] = answers(out)
    assert found["v1"] != found["v2"]
    return found


@pytest.fixture(scope="module")
def built_twice(versions, tmp_path_factory):
    out = tmp_path_factory.mktemp("twice") / "build"
    build(versions[0], ONTOLOGY, out)
    build(versions[0], ONTOLOGY, out)
    return out


def answers(out: Path):
    """What a build answers: its sources, its summary and a path through it."""
    with CollabGraph.open(out) as kg:
        manifest = json.loads((out / "manifest.json").read_text())  # the documented path agrees
        assert manifest == kg.manifest
        assert (out / "summary.json").is_file() and (out / "store").is_dir()
        return (sorted(Path(s["file"]).name for s in kg.manifest["sources"]), kg.summary(),
                [h.target.label for h in kg.path("IU", "Park Seo-joon")])


def run_build(graph: Path, out: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "collabgraph", "build", "--graph", str(graph),
                           "--ontology", str(ONTOLOGY), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **env})


def assert_clean(out: Path) -> None:
    """Nothing a dead build left behind: one or two generations, no temporaries."""
    names = sorted(p.name for p in out.iterdir())
    assert not [n for n in names if n.startswith("tmp-") or n == ".current.new" or ".link-" in n], names
    gens = [n for n in names if n.startswith("gen-")]
    assert 1 <= len(gens) <= 2, names
    assert os.readlink(out / "current") in gens
    assert all((out / n).is_symlink() for n in names if n not in gens and n != ".lock"), names
    assert not [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]


def tree(out: Path) -> dict[str, str]:
    """Every entry under ``out``: link targets and file contents (hashed)."""
    seen = {}
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out).as_posix()
        seen[rel] = ("-> " + os.readlink(p)) if p.is_symlink() else \
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return seen


@pytest.fixture
def two_builds(tmp_path, built_twice, expected):
    """A private ``out`` built twice from v1 (so that a third build has a
    generation to remove), and the answers of v1 and v2."""
    out = tmp_path / "build"
    shutil.copytree(built_twice, out, symlinks=True)
    return out, expected


@pytest.mark.parametrize(("point", "switched"), POINTS, ids=[p for p, _ in POINTS])
def test_a_build_killed_at_any_point_leaves_a_usable_build(two_builds, versions, point, switched):
    out, expected = two_builds
    killed = run_build(versions[1], out, COLLABGRAPH_CRASH_AT=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert answers(out) == expected["v2" if switched else "v1"]
    build(versions[1], ONTOLOGY, out)  # the next build cleans up and succeeds
    assert answers(out) == expected["v2"]
    assert_clean(out)


def test_builds_killed_after_varied_delays_always_leave_a_usable_build(two_builds, versions):
    out, expected = two_builds
    rng = random.Random(11)
    now = "v1"
    for i in range(6):
        target = "v2" if now == "v1" else "v1"
        graph = versions[1] if target == "v2" else versions[0]
        proc = subprocess.Popen([sys.executable, "-m", "collabgraph", "build", "--graph", str(graph),
                                 "--ontology", str(ONTOLOGY), "--out", str(out), "--quiet"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.3, 2.0))
        proc.send_signal(signal.SIGKILL)
        rc = proc.wait(timeout=60)
        proc.stderr.close()
        got = answers(out)
        assert got in (expected[now], expected[target]), f"kill {i}: answers of neither build"
        if rc == 0:
            assert got == expected[target]
        now = "v1" if got == expected["v1"] else "v2"
    assert run_build(versions[1], out).returncode == 0
    assert answers(out) == expected["v2"]
    assert_clean(out)


def test_a_second_build_into_the_same_directory_is_refused(two_builds, versions, tmp_path):
    out, expected = two_builds
    flag = tmp_path / "paused"
    first = subprocess.Popen([sys.executable, "-m", "collabgraph", "build", "--graph", str(versions[1]),
                              "--ontology", str(ONTOLOGY), "--out", str(out), "--quiet"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "COLLABGRAPH_PAUSE_AT": "written", "COLLABGRAPH_PAUSE_FILE": str(flag)})
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert first.poll() is None and time.monotonic() < deadline, "the first build never paused"
            time.sleep(0.05)
        before = tree(out)
        second = run_build(versions[0], out)
        assert second.returncode == 1
        assert second.stderr.splitlines() == [
            f"error: another build is writing {out} (pid {first.pid}); wait for it to finish"]
        with pytest.raises(StoreBusy, match=f"pid {first.pid}"):
            build(versions[0], ONTOLOGY, out)
        assert tree(out) == before  # the refused builds changed nothing
        assert answers(out) == expected["v1"]  # readers still see the previous build
    finally:
        flag.unlink(missing_ok=True)
    out_, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert answers(out) == expected["v2"]
    assert_clean(out)


def test_a_failed_build_leaves_every_file_of_the_previous_one_as_it_was(two_builds, sources):
    out, _ = two_builds
    before = tree(out)
    (sources / "broken.ttl").write_text("@prefix : <urn:x#> .\n:a :b \n")
    failed = run_build(sources, out)
    assert failed.returncode == 1 and "broken.ttl:3" in failed.stderr
    assert tree(out) == before


def test_an_open_graph_keeps_answering_from_its_build_through_later_builds(two_builds, versions):
    out, expected = two_builds
    kg = CollabGraph.open(out)
    pinned = kg.build_dir
    assert pinned == current_build(out) and pinned.name.startswith("gen-")
    for _ in range(3):
        build(versions[1], ONTOLOGY, out)
    assert pinned.is_dir() and current_build(out) != pinned  # kept while in use
    assert [h.target.label for h in kg.path("IU", "Park Seo-joon")] == expected["v1"][2]
    assert sorted(Path(s["file"]).name for s in kg.manifest["sources"]) == expected["v1"][0]
    kg.close()
    build(versions[1], ONTOLOGY, out)
    assert not pinned.exists()
    assert_clean(out)


@pytest.fixture
def flat(tmp_path, built_twice):
    """A build of v1 in the layout of earlier versions: ``out/`` holds the store and the manifest itself."""
    out = tmp_path / "flat"
    shutil.copytree(current_build(built_twice), out)
    assert (out / "manifest.json").is_file() and not (out / "manifest.json").is_symlink()
    return out


@pytest.mark.parametrize("point", [None, "switched", "unflatten", "linked-top"])
def test_a_build_in_the_flat_layout_opens_and_is_replaced_without_a_gap(flat, versions, expected, point):
    assert answers(flat) == expected["v1"]
    if point:
        killed = run_build(versions[1], flat, COLLABGRAPH_CRASH_AT=point)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        with CollabGraph.open(flat) as kg:  # the new build is current from the switch on
            assert sorted(Path(s["file"]).name for s in kg.manifest["sources"]) == expected["v2"][0]
        build(versions[1], ONTOLOGY, flat)
    else:
        assert run_build(versions[1], flat).returncode == 0
    assert answers(flat) == expected["v2"]
    assert_clean(flat)
    if point is None:
        build(versions[0], ONTOLOGY, flat)
        assert answers(flat) == expected["v1"]
        assert not (flat / "gen-flat").exists()
        assert_clean(flat)


def test_temporaries_of_dead_builds_of_earlier_versions_are_removed(tmp_path, versions):
    out = tmp_path / "build"
    dead = subprocess.Popen(["true"])
    dead.wait()
    alive = subprocess.Popen(["sleep", "60"])
    try:
        stale = [tmp_path / f".build.tmp-{dead.pid}", tmp_path / f".build.old-{dead.pid}"]
        busy = tmp_path / f".build.tmp-{alive.pid}"
        for d in (*stale, busy):
            (d / "store").mkdir(parents=True)
            (d / "store" / "000001.sst").write_bytes(b"x" * 1000)
        build(versions[0], ONTOLOGY, out)
        assert [p.exists() for p in stale] == [False, False]
        assert busy.is_dir()  # its build may still be running
    finally:
        alive.kill()
        alive.wait()


def test_a_reader_given_the_current_link_opens_the_generation_it_names(two_builds, versions):
    out, expected = two_builds
    with CollabGraph.open(out / "current") as kg:
        assert kg.build_dir == current_build(out) and kg.build_dir.name.startswith("gen-")
        build(versions[1], ONTOLOGY, out)
        assert [h.target.label for h in kg.path("IU", "Park Seo-joon")] == expected["v1"][2]
        assert kg.summary() == expected["v1"][1]
