"""Writers of graph/ under concurrency and SIGKILL, 100 rounds each (issue 18, done-when).

    .venv/bin/python bench/writers_kill.py               # 100 rounds of each scenario
    .venv/bin/python bench/writers_kill.py --rounds 10

Scenarios, each round with real ``collabgraph`` processes:

- concurrent: two ``review accept`` of different candidates started at once on
  a fresh copy; a loss is a round where either is not accepted afterwards, or
  the review and the graph disagree.
- accept: ``review accept`` killed after a random delay (0 to 1.3x the time of
  one accept); then the review and the graph must agree (merging the accepted
  candidates again, on a copy, changes nothing; the graph validates).
- reject-cascade: on the summer article, ``review reject --cascade`` of a new
  entity that accepted credits need, and ``review accept --all`` back,
  alternately, each killed after a random delay; checked the same way.
- import: ``import csv`` killed after a random delay; the graph must validate,
  the file be absent or whole (the bytes of an unkilled import), and nothing be
  left after the next writer.

Prints the losses of each scenario (0 is the only good answer) and the time taken.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from collabgraph.build.pipeline import validate  # noqa: E402
from collabgraph.cli import cli  # noqa: E402
from tests.conftest import ONTOLOGY, lay_out  # noqa: E402
from tests.test_review import MEMBER_V, PLAYED, review_graph  # noqa: E402
from tests.test_writers import SUMMER, SUMMER_ID, WINTER, agree, cg, leftovers, start, statuses  # noqa: E402


def killed_after(delay: float, *args: str) -> int:
    proc = start(*args)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=120)
    return proc.returncode


def check(what: str, fn) -> str | None:
    try:
        fn()
    except AssertionError as exc:
        return f"{what}: {exc}"
    except Exception as exc:  # a graph that no longer validates, a file that does not parse
        return f"{what}: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    return None


def concurrent(work: Path, rounds: int, rng: random.Random) -> list[str]:
    losses = []
    for i in range(rounds):
        graph = review_graph(work / f"c{i}")
        procs = [start("review", "accept", cid, "--graph", str(graph)) for cid in (PLAYED, MEMBER_V)]
        errors = [p.communicate(timeout=120)[1].strip() for p in procs]
        codes = [p.returncode for p in procs]

        def ok() -> None:
            assert codes == [0, 0], f"exit codes {codes}: {errors}"
            now = statuses(graph)
            assert (now[PLAYED], now[MEMBER_V]) == ("accepted", "accepted"), "an accept was lost"
            agree(graph, WINTER, work / "scratch")
        lost = check(f"round {i}", ok)
        if lost:
            losses.append(lost)
        shutil.rmtree(graph.parent.parent, ignore_errors=True)
    return losses


def accept(work: Path, rounds: int, rng: random.Random) -> list[str]:
    graph = review_graph(work / "a")
    pristine = work / "a-pristine"
    shutil.copytree(graph.parent.parent, pristine, symlinks=True)
    started = time.monotonic()
    assert cg("review", "accept", PLAYED, "--graph", str(graph)).returncode == 0
    took = time.monotonic() - started
    losses = []
    for i in range(rounds):
        shutil.rmtree(graph.parent.parent)
        shutil.copytree(pristine, graph.parent.parent, symlinks=True)
        killed_after(rng.uniform(0, 1.3 * took), "review", "accept", PLAYED, "--graph", str(graph))
        lost = check(f"round {i}", lambda: agree(graph, WINTER, work / "scratch"))
        if lost:
            losses.append(lost)
    return losses


def reject_cascade(work: Path, rounds: int, rng: random.Random) -> list[str]:
    graph = lay_out(work / "r")
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(SUMMER), "--graph", str(graph), "--published", "2026-11-20",
                        "--title", "Choi Woo-shik cast in a summer film"], catch_exceptions=False)
    accept_all = ("review", "accept", "--all", "--rule", "starred-in", "--graph", str(graph))
    started = time.monotonic()
    assert cg(*accept_all).returncode == 0
    took = time.monotonic() - started
    from collabgraph.ingest.candidates import ArticleFile

    han = next(c.id for c in ArticleFile.load(graph / "articles" / f"{SUMMER_ID}.json").candidates
               if c.kind == "entity" and c.slots["entity"].text == "Han Ji-woo")
    losses = []
    for i in range(rounds):
        if statuses(graph, SUMMER_ID)[han] == "accepted":
            args = ("review", "reject", han, "--cascade", "--graph", str(graph))
        else:
            args = accept_all
        killed_after(rng.uniform(0, 1.3 * took), *args)
        lost = check(f"round {i} ({args[1]})", lambda: agree(graph, SUMMER_ID, work / "scratch"))
        if lost:
            losses.append(lost)
    return losses


def import_csv(work: Path, rounds: int, rng: random.Random) -> list[str]:
    rows = work / "facts.csv"
    cg("import", "csv", "--template", str(rows))
    reference = lay_out(work / "i-ref")
    started = time.monotonic()
    assert cg("import", "csv", str(rows), "--graph", str(reference)).returncode == 0
    took = time.monotonic() - started
    whole = (reference / "imports" / "csv" / "facts.ttl").read_bytes()
    graph = lay_out(work / "i")
    losses = []
    for i in range(rounds):
        target = graph / "imports" / "csv" / "facts.ttl"
        target.unlink(missing_ok=True)
        killed_after(rng.uniform(0, 1.3 * took), "import", "csv", str(rows), "--graph", str(graph))

        def ok() -> None:
            validate(graph, ONTOLOGY)  # a reader settles a committed change first
            assert not target.exists() or target.read_bytes() == whole, "a torn or foreign file"
            assert cg("import", "csv", str(rows), "--graph", str(graph)).returncode == 0
            assert target.read_bytes() == whole and leftovers(graph) == [], f"left over: {leftovers(graph)}"
        lost = check(f"round {i}", ok)
        if lost:
            losses.append(lost)
    return losses


SCENARIOS = {"concurrent": concurrent, "accept": accept, "reject-cascade": reject_cascade, "import": import_csv}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--only", choices=sorted(SCENARIOS), action="append")
    ap.add_argument("--seed", type=int, default=18)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print(f"{'scenario':<16} {'rounds':>6} {'losses':>6} {'seconds':>8}", flush=True)
    for name in args.only or SCENARIOS:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.monotonic()
            losses = SCENARIOS[name](Path(tmp), args.rounds, rng)
            print(f"{name:<16} {args.rounds:>6} {len(losses):>6} {time.monotonic() - started:>8.0f}", flush=True)
            for lost in losses:
                print(f"  lost: {lost}", flush=True)


if __name__ == "__main__":
    main()
