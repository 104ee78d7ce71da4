"""Writers of graph/ killed with SIGKILL (issue 18, items 4 and 5): at the named
points of a change (COLLABGRAPH_CRASH_AT) or after random delays, a review
accept, reject --cascade or edit, and an import, leave the review and the
graph agreeing (see test_writers.agree) and nothing half made; the next writer
cleans up. bench/writers_kill.py runs these for 100 rounds each."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from collabgraph.build.pipeline import validate
from collabgraph.cli import cli
from collabgraph.ingest.candidates import ArticleFile

from .conftest import ONTOLOGY, lay_out
from .test_review import DIRECTED, PLAYED, review_graph
from .test_writers import POINTS, SUMMER, SUMMER_ID, WINTER, agree, cg, leftovers, start, statuses


# -- killed writers ----------------------------------------------------------------------

@pytest.mark.parametrize(("point", "done"), POINTS, ids=[p for p, _ in POINTS])
def test_a_review_accept_killed_at_any_point_leaves_the_review_and_the_graph_agreeing(tmp_path, point, done):
    graph = review_graph(tmp_path)
    killed = cg("review", "accept", PLAYED, "--graph", str(graph), COLLABGRAPH_CRASH_AT=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    agree(graph, WINTER, tmp_path / "scratch")
    assert statuses(graph)[PLAYED] == ("accepted" if done else "pending")
    assert (graph / "articles" / f"{WINTER}.ttl").exists() == done
    again = cg("review", "accept", DIRECTED, "--graph", str(graph))  # the next writer cleans up
    assert again.returncode == 0, again.stderr
    assert leftovers(graph) == []
    agree(graph, WINTER, tmp_path / "scratch")


@pytest.mark.parametrize(("point", "done"), [("staged", False), ("renamed-one", True)])
def test_a_review_edit_killed_mid_change_leaves_the_review_and_the_graph_agreeing(tmp_path, point, done):
    graph = review_graph(tmp_path)
    killed = cg("review", "edit", DIRECTED, "--role", "producer", "--graph", str(graph), COLLABGRAPH_CRASH_AT=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    agree(graph, WINTER, tmp_path / "scratch")
    assert statuses(graph)[DIRECTED] == ("edited" if done else "pending")


@pytest.fixture
def summer_accepted(tmp_path) -> Path:
    """The summer article ingested, its starring credits accepted (with the new entities they need)."""
    graph = lay_out(tmp_path)
    runner = CliRunner()
    out = runner.invoke(cli, ["ingest", str(SUMMER), "--graph", str(graph), "--published", "2026-11-20",
                              "--title", "Choi Woo-shik cast in a summer film"])
    assert out.exit_code == 0, out.output
    # "Choi Woo-shik" alone is a known name nothing else in the article backs: confirmed once, by a person
    choi = _new_entity(graph, "Choi Woo-shik")
    out = runner.invoke(cli, ["review", "accept", choi, "--link", "entity=id:choi-woo-shik", "--graph", str(graph)])
    assert out.exit_code == 0, out.output
    out = runner.invoke(cli, ["review", "accept", "--all", "--rule", "starred-in", "--graph", str(graph)])
    assert out.exit_code == 0 and "skipped" not in out.output, out.output
    return graph


def _new_entity(graph: Path, name: str) -> str:
    return next(c.id for c in ArticleFile.load(graph / "articles" / f"{SUMMER_ID}.json").candidates
                if c.kind == "entity" and c.slots["entity"].text == name)


@pytest.mark.parametrize("point", ["journal", "renamed-one"])
def test_a_cascaded_reject_killed_after_its_commit_point_is_finished_by_the_next_reader(
        summer_accepted, tmp_path, point):
    graph = summer_accepted
    han = _new_entity(graph, "Han Ji-woo")
    killed = cg("review", "reject", han, "--cascade", "--graph", str(graph), COLLABGRAPH_CRASH_AT=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    agree(graph, SUMMER_ID, tmp_path / "scratch")
    assert statuses(graph, SUMMER_ID)[han] == "rejected"
    assert "han-ji-woo" not in (graph / "articles" / f"{SUMMER_ID}.ttl").read_text("utf-8")


def test_review_commands_killed_after_random_delays_never_disagree_with_the_graph(summer_accepted, tmp_path):
    graph = summer_accepted
    rng = random.Random(18)
    han, summer = _new_entity(graph, "Han Ji-woo"), _new_entity(graph, "Summer Letters")
    commands = [("reject", han, "--cascade"), ("accept", han), ("edit", summer, "--type", "entity=Film"),
                ("reject", summer, "--cascade"), ("accept", "--all", "--rule", "starred-in")]
    for _i, command in enumerate(commands * 2):
        proc = start("review", *command, "--graph", str(graph))
        time.sleep(rng.uniform(0.4, 1.6))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        agree(graph, SUMMER_ID, tmp_path / "scratch")
    assert cg("review", "merge", "--graph", str(graph)).returncode == 0
    assert leftovers(graph) == []


INVALID_IMPORT = """
import sys
from tests.test_import_core import record_batch
from collabgraph.importers.importing import run_import
run_import([record_batch(role="no-such-role")], sys.argv[1], ontology_dir=sys.argv[2])
"""


def test_an_import_the_graph_refuses_leaves_nothing_even_when_killed_while_validating(tmp_path):
    graph = lay_out(tmp_path)
    script = tmp_path / "invalid_import.py"
    script.write_text(INVALID_IMPORT, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    argv = [sys.executable, str(script), str(graph), str(ONTOLOGY)]
    started = time.monotonic()
    whole = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    took = time.monotonic() - started
    assert whole.returncode == 1 and "ValidationError" in whole.stderr
    for i in range(6):  # kills spread over the run, most of them inside the validation
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(took * (0.45 + 0.1 * i))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        # What a killed writer staged is hidden from every reader (temporaries named
        # '.<file>.tmp-<pid>'), and the graph still validates as it was.
        shown = [p for p in (graph / "imports").rglob("*") if p.is_file() and not p.name.startswith(".")]
        assert shown == [], f"kill {i}: a refused import left a file readers load: {shown}"
        validate(graph, ONTOLOGY)
    # The next writer (the same import, refused again) removes what the killed ones left.
    again = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 1 and "ValidationError" in again.stderr
    assert leftovers(graph) == []
    assert not (graph / "imports").exists(), "the folder made for the refused import was left"


@pytest.mark.parametrize(("point", "done"), POINTS[:3], ids=[p for p, _ in POINTS[:3]])
def test_an_import_killed_at_any_point_is_all_or_nothing(tmp_path, point, done):
    graph = lay_out(tmp_path)
    rows = tmp_path / "facts.csv"
    assert cg("import", "csv", "--template", str(rows)).returncode == 0
    killed = cg("import", "csv", str(rows), "--graph", str(graph), COLLABGRAPH_CRASH_AT=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    validate(graph, ONTOLOGY)  # a reader settles the change first
    assert (graph / "imports" / "csv" / "facts.ttl").exists() == done
    assert cg("import", "csv", str(rows), "--graph", str(graph)).returncode == 0
    assert leftovers(graph) == []
