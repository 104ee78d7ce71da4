"""Where to look for a fact the readers missed (issue 20, thirteenth round): ingest marks the sentences
that name two or more entities with a person, a group or an untyped name in no fact read from them;
`review sentences --unread` lists them (marked '?'), ingest's report says how many and what to run,
and a re-ingest of the text reads them again. Through the CLI on an article written here."""

from __future__ import annotations

import json

from click.testing import CliRunner

from collabgraph.cli import cli

from .articles import tiny_graph

TINY = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:daeho a cg:Person ; rdfs:label "Daeho"@en .
"""

ARTICLE = """Tidewater actors take on a road movie

Mina Dalton stars in the film Red Lanterns, which opens in May.

Dalton was last seen beside Jonah Pike and Ruby Okafor at a Busan premiere of Harbor Nights.

Pike called the shoot the hardest of his career.

The film Red Lanterns was directed by Sora Lin and stars Mina Dalton, Jonah Pike and Ruby Okafor, who play three sisters.
"""


def run(runner, *args):
    return runner.invoke(cli, list(args))


def test_sentences_with_a_name_no_fact_reads_are_marked_and_listed(tmp_path):
    graph = tiny_graph(tmp_path, TINY)
    (tmp_path / "roads.txt").write_text(ARTICLE, "utf-8")
    runner = CliRunner()
    out = run(runner, "ingest", str(tmp_path / "roads.txt"), "--graph", str(graph), "--published", "2026-05-01")
    assert out.exit_code == 0, out.output
    assert "collabgraph review sentences roads --graph " in out.output and " --unread" in out.output
    listed = run(runner, "review", "sentences", "roads", "--graph", str(graph))
    lines = listed.output.splitlines()
    # sentence 3 names three people and a film and no reader reads it; 2 and 5 are read (a credit each of their
    # people); 4 names one person; 1 is the headline
    assert lines[2].startswith("  3? Dalton was last seen beside Jonah Pike"), lines
    assert all(not line[3:4] == "?" for k, line in enumerate(lines) if k != 2), lines
    unread = json.loads(run(runner, "review", "sentences", "roads", "--graph", str(graph), "--unread",
                            "--format", "json").output)
    assert [(s["n"], s["unread"]) for s in unread] == [(3, True)]
    stored = json.loads((graph / "articles" / "roads.json").read_text("utf-8"))
    assert stored["unread"] == [3]


def test_a_sentence_whose_list_is_read_in_part_is_marked(tmp_path):
    """A cast list read for two of its three names still has a name no fact reads: marked."""
    graph = tiny_graph(tmp_path, TINY)
    text = ("Film news\n\nThe film Red Lanterns stars Mina Dalton and Jonah Pike. Ruby Okafor and Sora Lin, friends "
            "of Dalton since school, visited the set of Red Lanterns on Monday.\n")
    (tmp_path / "set.txt").write_text(text, "utf-8")
    runner = CliRunner()
    assert run(runner, "ingest", str(tmp_path / "set.txt"), "--graph", str(graph)).exit_code == 0
    listed = json.loads(run(runner, "review", "sentences", "set", "--graph", str(graph), "--format", "json").output)
    marks = {s["sentence"].split()[0]: s["unread"] for s in listed}
    assert marks == {"Film": False, "The": False, "Ruby": True}, listed


def test_an_article_ingested_before_the_marks_lists_none(tmp_path):
    """A review file written before the marks (no "unread" key) reads as none marked, and is written back
    without the key until a re-ingest marks some."""
    graph = tiny_graph(tmp_path, TINY)
    (tmp_path / "roads.txt").write_text(ARTICLE, "utf-8")
    runner = CliRunner()
    assert run(runner, "ingest", str(tmp_path / "roads.txt"), "--graph", str(graph)).exit_code == 0
    path = graph / "articles" / "roads.json"
    data = json.loads(path.read_text("utf-8"))
    del data["unread"]
    path.write_text(json.dumps(data), "utf-8")
    unread = run(runner, "review", "sentences", "roads", "--graph", str(graph), "--unread")
    assert unread.exit_code == 0 and unread.output == ""
    again = run(runner, "ingest", str(tmp_path / "roads.txt"), "--graph", str(graph), "--title", "roads")
    assert again.exit_code == 0, again.output
    assert json.loads(path.read_text("utf-8"))["unread"] == [3]


def test_the_review_page_marks_the_sentences_the_cli_lists(tmp_path, browser):
    """The page underlines the sentences `review sentences --unread` lists, each with a title saying why."""
    from .conftest import ONTOLOGY
    from .layout import lay_out
    from .serving import open_review, serving_review

    graph = lay_out(tmp_path, files=None)
    (tmp_path / "roads.txt").write_text(ARTICLE, "utf-8")
    runner = CliRunner()
    assert run(runner, "ingest", str(tmp_path / "roads.txt"), "--graph", str(graph), "--ontology",
               str(ONTOLOGY)).exit_code == 0
    want = [s["n"] for s in json.loads(run(runner, "review", "sentences", "roads", "--graph", str(graph),
                                           "--unread", "--format", "json").output)]
    assert want == [3]
    with serving_review(graph, tmp_path / "build") as base:
        page, errors = open_review(browser, base)
        shown = page.eval_on_selector_all("#text .sentence.unread", "xs => xs.map(x => Number(x.dataset.n))")
        assert shown == want
        assert "no fact read" in (page.get_attribute("#text .sentence[data-n='3']", "title") or "")
        assert not errors
        page.close()
