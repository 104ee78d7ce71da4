"""A new user's casting story (issue 20, fourteenth round): a credit whose work is the story's
subject, named paragraphs before, must be citable or proposed weak, never a strong candidate that
`accept` then refuses; a refusal names the side the quote does not state; and `accept --all` does
not skip a fact its sentence states because another fact of the same sentence is unstated."""

from __future__ import annotations

import json

from collabgraph.cli import cli
from collabgraph.ingest.article import DEFAULT_THRESHOLD

from .conftest import lay_out

CASTING = """Harbour Mill casts its leads for Channel Four

By Staff Reporter, 7 December 2026

Production has begun on Harbour Mill, a six-part thriller from Lantern Pictures.

Maya Ferris (The Long Shore) has been cast as Detective Ruth Calder and Owen Pryce (Northfield) as Tom Calder.

Gareth Lowe (Ashgrove) will play the villain, Silas Crane.
"""

FAR = """Harbour Mill Casts Its Leads

Production has begun on the thriller Harbour Mill in Cumbria.

Filming runs until March. The crew is large. The weather has been kind.

Gareth Lowe will play the villain, Silas Crane.
"""


def _ingest(runner, tmp_path, text):
    graph = lay_out(tmp_path)
    path = tmp_path / "casting.txt"
    path.write_text(text, "utf-8")
    out = runner.invoke(cli, ["ingest", str(path), "--graph", str(graph), "--published", "2026-12-07"])
    assert out.exit_code == 0, out.output
    listed = runner.invoke(cli, ["review", "list", "--graph", str(graph), "--format", "json"])
    return graph, json.loads(listed.output)


def _credits(rows, agent):
    return [r for r in rows if r["kind"] == "credit" and r["slots"]["agent"]["text"] == agent]


def test_the_story_subject_two_sentences_back_is_quoted_with_the_credit_and_accepted(runner, tmp_path):
    graph, rows = _ingest(runner, tmp_path, CASTING)
    lowe = [r for r in _credits(rows, "Gareth Lowe") if r["slots"]["work"]["text"] == "Harbour Mill"]
    assert lowe and lowe[0]["score"] >= DEFAULT_THRESHOLD
    assert "Harbour Mill" in lowe[0]["sentence"] and "Gareth Lowe" in lowe[0]["sentence"]
    out = runner.invoke(cli, ["review", "accept", lowe[0]["id"], "--type", "agent=Person", "--graph", str(graph)])
    assert out.exit_code == 0, out.output


def test_a_subject_named_too_far_back_is_proposed_weak_and_the_refusal_names_the_work(runner, tmp_path):
    graph, rows = _ingest(runner, tmp_path, FAR)
    lowe = _credits(rows, "Gareth Lowe")
    assert lowe and all(r["score"] < DEFAULT_THRESHOLD for r in lowe)
    out = runner.invoke(cli, ["review", "accept", lowe[0]["id"], "--type", "agent=Person", "--graph", str(graph)])
    assert out.exit_code == 1
    error = [line for line in out.output.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and "does not state the work 'Harbour Mill'" in error[0], out.output


def test_accept_all_does_not_skip_a_stated_fact_for_another_fact_of_its_sentence(runner, tmp_path):
    graph, rows = _ingest(runner, tmp_path, CASTING)
    for name in ("Maya Ferris", "Owen Pryce", "Gareth Lowe"):
        entity = next(r for r in rows if r["kind"] == "entity" and r["slots"]["entity"]["text"] == name)
        out = runner.invoke(cli, ["review", "accept", entity["id"], "--type", "entity=Person", "--graph", str(graph)])
        assert out.exit_code == 0, out.output
    past = next(r for r in _credits(rows, "Maya Ferris") if r["slots"]["work"]["text"] == "The Long Shore")
    out = runner.invoke(cli, ["review", "accept", "--all", "--min-score", str(DEFAULT_THRESHOLD),
                              "--graph", str(graph)])
    assert out.exit_code == 0, out.output
    assert f"skipped: candidate {past['id']}" not in out.output, out.output
    status = json.loads(runner.invoke(cli, ["review", "show", past["id"], "--graph", str(graph),
                                            "--format", "json"]).output)["status"]
    assert status == "accepted"


def test_the_parts_after_as_in_a_casting_sentence_are_no_new_people(runner, tmp_path):
    text = CASTING.replace("as Tom Calder.", "as Tom Calder and Jess Adeyemi (Saltwater Kings) as Dr Nia Roe.")
    graph, rows = _ingest(runner, tmp_path, text)
    names = {r["slots"]["entity"]["text"] for r in rows if r["kind"] == "entity"}
    assert {"Maya Ferris", "Owen Pryce", "Jess Adeyemi"} <= names
    assert not names & {"Nia Roe", "Dr Nia Roe", "Tom Calder", "Detective Ruth Calder", "Ruth Calder"}, names
