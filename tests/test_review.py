"""`collabgraph review`: candidates of an article accepted, edited, rejected,
and merged into graph/articles/<id>.ttl, validated like any import.

The fixture is an invented article (tests/data/review/winter-single.txt) with
hand-made candidates (winter-single.json, written by make.py there), so these
tests do not depend on `collabgraph ingest`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import rdflib

from collabgraph import CollabGraph, build
from collabgraph.build import validate
from collabgraph.cli import cli
from collabgraph.sources.candidates import ArticleFile

from .conftest import DATA, ONTOLOGY, lay_out

REVIEW = DATA / "review"
CG = rdflib.Namespace("https://w3id.org/collabgraph/ns#")
ID = rdflib.Namespace("https://w3id.org/collabgraph/id/")
ROLE = rdflib.Namespace("https://w3id.org/collabgraph/role/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
FEATURING, RELEASED, MEMBER_V, DIRECTED, PLAYED, APPEARED, JOINED = (
    "93b7cb4b2a7fa649", "6c107b1fb0f94907", "4cdf7596be492795", "82e40c4c8f13fd1d", "c3f25d881948d347",
    "fdf1d2dde480f1ee", "59d1c8ff6b8156ee")


def review_graph(tmp_path: Path) -> Path:
    """The article's graph with the invented article ingested (its .json and .txt)."""
    graph = lay_out(tmp_path)
    shutil.copytree(REVIEW, graph / "articles", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return graph


@pytest.fixture
def graph(tmp_path) -> Path:
    return review_graph(tmp_path)


def run(runner, graph, *args):
    return runner.invoke(cli, ["review", *args, "--graph", str(graph)])


def candidates(graph) -> dict:
    return {c.id: c for c in ArticleFile.load(graph / "articles" / "winter-single.json").candidates}


def facts(graph) -> rdflib.Graph:
    return rdflib.Graph().parse(graph / "articles" / "winter-single.ttl")


def test_the_fixture_offsets_are_the_stored_texts_own():
    text = (REVIEW / "winter-single.txt").read_text("utf-8")
    af = ArticleFile.load(REVIEW / "winter-single.json")
    assert len(af.candidates) == 7
    for c in af.candidates:
        assert text[c.start:c.end] == c.sentence
        for m in c.slots.values():
            assert text[m.start:m.end] == m.text


def test_list_filters_and_json(runner, graph):
    out = run(runner, graph, "list", "--format", "json")
    assert out.exit_code == 0, out.output
    assert len(json.loads(out.output)) == 7
    high = json.loads(run(runner, graph, "list", "--min-score", "0.9", "--format", "json").output)
    assert {c["id"] for c in high} == {FEATURING, PLAYED, JOINED}
    ruled = run(runner, graph, "list", "--rule", "joined")
    assert JOINED in ruled.output and PLAYED not in ruled.output
    assert "Jin (new Person) member of BTS (id:bts)" in ruled.output
    assert json.loads(run(runner, graph, "list", "--status", "accepted", "--format", "json").output) == []
    assert run(runner, graph, "list", "--article", "nope").exit_code == 1


def test_show_highlights_the_mentions_and_lists_suggestions(runner, graph):
    out = run(runner, graph, "show", FEATURING[:8])
    assert out.exit_code == 0, out.output
    assert "On Friday, IU released a new single, [Love Wins], featuring [V] of BTS." in out.output
    assert "Love wins all (id:love-wins-all, 90)" in out.output and "fuzzy" in out.output
    assert "date: 2024-01-19 (inferred from the publication date)" in out.output
    shown = json.loads(run(runner, graph, "show", FEATURING, "--format", "json").output)
    assert shown["slots"]["work"]["link"] is None and shown["status"] == "pending"


def test_accept_writes_the_articles_source_file_and_it_validates(runner, graph, tmp_path):
    out = run(runner, graph, "accept", PLAYED)
    assert out.exit_code == 0, out.output
    assert candidates(graph)[PLAYED].status == "accepted"
    g = facts(graph)
    credit = next(g.subjects(CG.role, ROLE.actor))
    assert (credit, CG.agent, ID.v) in g and (credit, CG.work, ID.hwarang) in g
    assert str(g.value(credit, CG.quote)) == "V starred in the drama Hwarang in 2016, where he played Han-sung."
    character = g.value(credit, CG.character)
    assert str(g.value(character, rdflib.RDFS.label)) == "Han-sung"
    source = g.value(credit, CG.source)
    assert str(g.value(source, CG.localPath)) == "winter-single.txt"
    assert str(g.value(source, CG.sha256)) == ArticleFile.load(graph / "articles/winter-single.json").article.text_sha256
    assert str(g.value(source, rdflib.URIRef("https://schema.org/url"))) == "https://news.example.org/winter-single"
    report = validate(graph, ONTOLOGY)
    assert report.quotes_checked > 0
    # In the graph from the next build on, quoted.
    build(graph, ONTOLOGY, tmp_path / "build")
    with CollabGraph.open(tmp_path / "build") as kg:
        rows = list(kg.store.select("SELECT ?q WHERE { ?c cg:agent id:v ; cg:work id:hwarang ; cg:quote ?q }"))
    assert "V starred in the drama Hwarang in 2016, where he played Han-sung." in [r["q"].value for r in rows]


def test_a_fuzzy_mention_is_never_accepted_without_a_choice(runner, graph):
    out = run(runner, graph, "accept", FEATURING)
    assert out.exit_code == 1
    assert "only a fuzzy match" in out.output and "--link work=id:love-wins-all" in out.output
    assert len(out.output.strip().splitlines()) == 1
    assert candidates(graph)[FEATURING].status == "pending"
    assert not (graph / "articles" / "winter-single.ttl").exists()


def test_accepting_a_fuzzy_link_records_the_words_as_an_alias_attested_by_the_article(runner, graph):
    out = run(runner, graph, "accept", FEATURING, "--link", "work=Love wins all")
    assert out.exit_code == 0, out.output
    c = candidates(graph)[FEATURING]
    assert c.status == "edited" and c.edits["link:work"] == {"from": "fuzzy", "to": str(ID["love-wins-all"])}
    g = facts(graph)
    assert (ID["love-wins-all"], SKOS.altLabel, rdflib.Literal("Love Wins")) in g
    attestation = next(a for a in g.subjects(CG.attests, ID["love-wins-all"]))
    assert str(g.value(attestation, CG.name)) == "Love Wins"
    assert str(g.value(attestation, CG.quote)) == c.sentence
    assert g.value(attestation, CG.source) == next(g.subjects(rdflib.RDF.type, CG.SourceDocument))
    # The date worked out from the publication date says so.
    credit = next(g.subjects(CG.role, ROLE.featuredArtist))
    assert "publication date" in str(g.value(credit, CG.editorsInference))
    assert str(g.value(credit, CG.date)) == "2024-01-19"
    validate(graph, ONTOLOGY)


def test_new_makes_a_new_entity_instead_of_the_suggestion(runner, graph):
    out = run(runner, graph, "accept", RELEASED, "--new", "work")
    assert out.exit_code == 0, out.output
    g = facts(graph)
    work = g.value(next(g.subjects(CG.role, ROLE.performer)), CG.work)
    assert work != ID["love-wins-all"] and str(g.value(work, rdflib.RDFS.label)) == "Love Wins"
    assert (work, rdflib.RDF.type, CG.Single) in g


def test_accept_all_by_score_leaves_fuzzy_ones_for_a_person(runner, graph):
    out = run(runner, graph, "accept", "--all", "--min-score", "0.85")
    assert out.exit_code == 0, out.output
    statuses = {i: c.status for i, c in candidates(graph).items()}
    assert statuses[PLAYED] == statuses[JOINED] == "accepted"
    assert statuses[FEATURING] == statuses[RELEASED] == "pending"  # fuzzy: skipped, said so
    assert statuses[MEMBER_V] == statuses[DIRECTED] == "pending"  # below the score
    assert f"skipped: candidate {FEATURING}" in out.output
    g = facts(graph)
    membership = next(g.subjects(CG.member, ID.jin))
    assert (membership, CG.group, ID.bts) in g and str(g.value(membership, CG.startDate)) == "2013"
    by_rule = run(runner, graph, "accept", "--all", "--rule", "directed-by")
    assert by_rule.exit_code == 0 and candidates(graph)[DIRECTED].status == "accepted"
    assert (None, CG.role, ROLE.director) in facts(graph)


def test_edit_changes_the_fact_and_keeps_what_was_proposed(runner, graph):
    out = run(runner, graph, "edit", APPEARED, "--role", "guest", "--date", "2020-03", "--type", "work=WebSeries")
    assert out.exit_code == 0, out.output
    c = candidates(graph)[APPEARED]
    assert c.status == "edited" and c.role == "guest"
    assert c.edits["role"] == {"from": "appearance", "to": "guest"} and c.edits["date"] == {"from": None, "to": "2020-03"}
    g = facts(graph)
    credit = next(g.subjects(CG.role, ROLE.guest))
    assert str(g.value(credit, CG.date)) == "2020-03" and (g.value(credit, CG.work), rdflib.RDF.type, CG.WebSeries) in g
    assert (None, CG.role, ROLE.appearance) not in g
    validate(graph, ONTOLOGY)


@pytest.mark.parametrize("args, words", [
    (["edit", PLAYED, "--role", "drummer"], "unknown role 'drummer'"),
    (["edit", PLAYED, "--date", "2016-02-30"], "is not a date"),
    (["edit", PLAYED, "--link", "agent=Nobody At All"], "Nobody At All"),
    (["edit", PLAYED, "--link", "singer=id:iu"], "no slot 'singer'"),
    (["edit", PLAYED, "--type", "work=Banana"], "Banana"),
    (["edit", JOINED, "--role", "actor"], "only a credit has a role"),
    (["edit", PLAYED], "nothing to edit"),
    (["accept", "0123456789abcdef"], "no candidate '0123456789abcdef'"),
    (["reject", "zzzzzz"], "no candidate 'zzzzzz'"),
])
def test_bad_values_are_one_line_and_change_nothing(runner, graph, args, words):
    before = (graph / "articles" / "winter-single.json").read_bytes()
    out = run(runner, graph, *args)
    assert out.exit_code == 1, out.output
    assert words in out.output and len(out.output.strip().splitlines()) == 1
    assert (graph / "articles" / "winter-single.json").read_bytes() == before
    assert not (graph / "articles" / "winter-single.ttl").exists()


def test_usage_errors_exit_2(runner, graph):
    assert run(runner, graph, "accept").exit_code == 2
    assert run(runner, graph, "accept", PLAYED, "--all").exit_code == 2
    assert run(runner, graph, "accept", PLAYED, "--link", "work").exit_code == 2


def test_reject_takes_an_accepted_fact_out_and_the_last_one_removes_the_file(runner, graph):
    assert run(runner, graph, "accept", PLAYED, JOINED).exit_code == 0
    assert run(runner, graph, "reject", JOINED).exit_code == 0
    g = facts(graph)
    assert (None, CG.member, None) not in g and (None, CG.role, ROLE.actor) in g
    out = run(runner, graph, "reject", PLAYED)
    assert out.exit_code == 0 and "removed articles/winter-single.ttl" in out.output
    assert not (graph / "articles" / "winter-single.ttl").exists()
    assert {c.status for c in candidates(graph).values() if c.id in (PLAYED, JOINED)} == {"rejected"}


def test_a_change_the_graph_refuses_changes_nothing(runner, graph):
    """The stored text altered after ingest: its hash no longer matches, nothing is written."""
    txt = graph / "articles" / "winter-single.txt"
    txt.write_text(txt.read_text("utf-8").replace("Hwarang", "Hwarang!"), "utf-8")
    before = (graph / "articles" / "winter-single.json").read_bytes()
    out = run(runner, graph, "accept", PLAYED)
    assert out.exit_code == 1 and "SHA-256" in out.output
    assert (graph / "articles" / "winter-single.json").read_bytes() == before
    assert not (graph / "articles" / "winter-single.ttl").exists()


def test_validate_checks_the_merged_quotes_against_the_stored_text(runner, graph):
    assert run(runner, graph, "accept", PLAYED).exit_code == 0
    txt = graph / "articles" / "winter-single.txt"
    txt.write_text(txt.read_text("utf-8").replace("he played", "he was"), "utf-8")
    out = runner.invoke(cli, ["validate", "--graph", str(graph)])
    assert out.exit_code == 1
    assert "does not match cg:sha256" in out.output and "quote not found verbatim" in out.output


def test_merge_writes_the_same_file_again(runner, graph):
    assert run(runner, graph, "accept", PLAYED, DIRECTED).exit_code == 0
    first = (graph / "articles" / "winter-single.ttl").read_text("utf-8")
    out = run(runner, graph, "merge")
    assert out.exit_code == 0 and "nothing changed" in out.output
    assert (graph / "articles" / "winter-single.ttl").read_text("utf-8") == first
    assert "id:um-tae-hwa" in first and "id:concrete-utopia" in first
