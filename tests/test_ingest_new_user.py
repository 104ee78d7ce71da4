"""Issue 20, a new user's day of articles: the same text ingested under another id
is refused (no second queue), a misspelt side of ``review add`` gets a "did you
mean", and dates in words dropped for want of ``--published`` are said."""

from __future__ import annotations

import json
from pathlib import Path

from collabgraph.cli import cli

from .conftest import lay_out

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "night-bus.txt"
TITLE = "IU's new single gets a surprise cameo"
AID = "iu-s-new-single-gets-a-surprise-cameo"


def _ingest(runner, graph, *args):
    return runner.invoke(cli, ["ingest", *args, "--graph", str(graph)])


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_same_text_under_another_id_is_refused_and_nothing_written(runner, tmp_path):
    graph = lay_out(tmp_path)
    first = _ingest(runner, graph, str(EXAMPLE), "--title", TITLE)
    assert first.exit_code == 0, first.output
    before = _snapshot(graph / "articles")
    # the file name would make it 'night-bus': a second queue of the same candidates
    again = _ingest(runner, graph, str(EXAMPLE))
    assert again.exit_code == 1
    errors = [line for line in again.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, again.stderr
    assert f"this text was ingested as '{AID}' on 2" in errors[0] and f'--title "{TITLE}"' in errors[0]
    assert str(EXAMPLE) in errors[0]
    assert _snapshot(graph / "articles") == before
    # the same text from another file, with --url: refused too
    copy = tmp_path / "copy.txt"
    copy.write_bytes(EXAMPLE.read_bytes())
    assert _ingest(runner, graph, str(copy), "--url", "https://example.org/night-bus").exit_code == 1
    assert _snapshot(graph / "articles") == before
    # under its own id, as today: everything already there
    same = _ingest(runner, graph, str(EXAMPLE), "--title", TITLE)
    assert same.exit_code == 0, same.output
    assert "(0 new, 7 already there)" in same.stdout
    listed = runner.invoke(cli, ["review", "list", "--graph", str(graph), "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert {c["article"] for c in json.loads(listed.stdout)} == {AID}


def test_another_text_from_the_same_url_is_its_updated_version(runner, tmp_path):
    graph = lay_out(tmp_path)
    url = "https://example.org/night-bus"
    assert _ingest(runner, graph, str(EXAMPLE), "--url", url).exit_code == 0
    updated = tmp_path / "night-bus-updated.txt"
    updated.write_text(EXAMPLE.read_text("utf-8") + "The single tops the chart this week.\n", "utf-8")
    out = _ingest(runner, graph, str(updated), "--url", url)
    assert out.exit_code == 0, out.output
    assert "note: --url was ingested as 'night-bus' on 2" in out.stderr
    assert "'night-bus-updated' is its updated version" in out.stderr
    assert (graph / "articles" / "night-bus-updated.json").exists()


def test_dates_in_words_without_a_publication_date_are_said(runner, tmp_path):
    graph = lay_out(tmp_path)
    out = _ingest(runner, graph, str(EXAMPLE), "--title", TITLE)
    assert out.exit_code == 0, out.output
    assert ('note: 1 date in words ("on Friday") needs the publication date: give --published YYYY-MM-DD'
            in out.stderr.splitlines())
    # with the date: resolved, no note; the JSON report lists what was dropped (nothing)
    out = _ingest(runner, graph, str(EXAMPLE), "--title", TITLE, "--published", "2026-03-03", "--format", "json")
    assert out.exit_code == 0, out.output
    assert "note: 1 date" not in out.stderr and json.loads(out.stdout)["undated"] == []
    # a year-less date ("on March 3") is kept without a year: nothing dropped, no note
    plain = tmp_path / "plain.txt"
    plain.write_text("Music news\n\nIU released her new single Night Bus on March 3.\n", "utf-8")
    out = _ingest(runner, graph, str(plain))
    assert out.exit_code == 0, out.output
    assert "date in words" not in out.stderr


def test_a_misspelt_name_in_review_add_gets_a_did_you_mean(runner, tmp_path):
    graph = lay_out(tmp_path)
    assert _ingest(runner, graph, str(EXAMPLE), "--title", TITLE).exit_code == 0
    before = _snapshot(graph / "articles")
    add = ["review", "add", AID, "--graph", str(graph), "--sentence", "6", "--work", "Night Bus", "--role", "cameo"]
    out = runner.invoke(cli, [*add, "--agent", "Park Hyung-shik"])
    assert out.exit_code == 1
    assert "did you mean: Park Hyung-sik (id:park-hyung-sik)?" in out.stderr, out.stderr
    # a name only the article writes (new to the graph) is suggested too
    out = runner.invoke(cli, [*add, "--agent", "Ahn Jiwan"])
    assert out.exit_code == 1
    assert "did you mean: Ahn Ji-won?" in out.stderr, out.stderr
    assert _snapshot(graph / "articles") == before


def test_the_next_step_ingest_prints_runs_on_the_graph_that_was_ingested_into(runner, tmp_path):
    """Working on a copy of the graph (docs/journalist.md's `cp -r graph day`), the
    "next:" line names that copy, so following it lists the new candidates instead of
    failing on the default graph/."""
    import shlex

    graph = lay_out(tmp_path / "day")
    out = _ingest(runner, graph, str(EXAMPLE), "--title", TITLE)
    assert out.exit_code == 0, out.output
    hint = next(line for line in out.output.splitlines() if line.startswith("next: "))
    assert hint == f"next: collabgraph review list --graph {shlex.quote(str(graph))} --article {AID}"
    listed = runner.invoke(cli, shlex.split(hint)[2:] + ["--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.strip() != "[]" and all(c["article"] == AID for c in json.loads(listed.output))


def test_the_build_next_step_on_a_copy_of_the_graph_builds_beside_it_not_into_build(runner, tmp_path, monkeypatch):
    """After a review on a copy of the graph, the "next:" build line gives the copy its own
    output (``DIR-build``): following it leaves the default graph's ``build/`` as it was."""
    import shlex

    monkeypatch.chdir(tmp_path)
    graph = lay_out(tmp_path / "day")
    assert _ingest(runner, graph, str(EXAMPLE), "--title", TITLE).exit_code == 0
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "keep.txt").write_text("the default graph's build")
    out = runner.invoke(cli, ["review", "accept", "--all", "--graph", str(graph)])
    assert out.exit_code == 0, out.output
    hint = next(line for line in out.output.splitlines() if line.startswith("next: collabgraph build"))
    g = str(graph)
    assert hint == f"next: collabgraph build --graph {shlex.quote(g)} --out {shlex.quote(g + '-build')}"
    built = runner.invoke(cli, shlex.split(hint)[2:] + ["-q"])
    assert built.exit_code == 0, built.output
    assert (Path(g + "-build")).is_dir()
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["keep.txt"]
