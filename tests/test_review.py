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
from rdflib.namespace import RDFS

from collabgraph import CollabGraph
from collabgraph import build
from collabgraph.build.pipeline import validate
from collabgraph.cli import cli
from collabgraph.ingest.candidates import ArticleFile

from .conftest import DATA, ONTOLOGY, lay_out

REVIEW = DATA / "review"
CG = rdflib.Namespace("https://w3id.org/collabgraph/ns#")
ID = rdflib.Namespace("https://w3id.org/collabgraph/id/")
ROLE = rdflib.Namespace("https://w3id.org/collabgraph/role/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
FEATURING, RELEASED, MEMBER_V, DIRECTED, PLAYED, APPEARED, JOINED = (
    "261c4d3dd5f37813", "d60c07981491365d", "24bb06057d71a0d1", "82e40c4c8f13fd1d", "829f77d2d03865d4",
    "829a607de6fa13a9", "3c122a3b54b37478")


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


def named(g: rdflib.Graph, label: str):
    """The entity labelled ``label`` (new entities get minted ids: found by their name)."""
    return next(e for e, o in g.subject_objects(rdflib.RDFS.label) if str(o) == label)


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
    assert "Jin (new person) member of BTS" in ruled.output and "id:bts" not in ruled.output
    assert json.loads(run(runner, graph, "list", "--status", "accepted", "--format", "json").output) == []
    assert run(runner, graph, "list", "--article", "nope").exit_code == 1


def test_show_highlights_the_mentions_and_lists_suggestions(runner, graph):
    out = run(runner, graph, "show", FEATURING[:8])
    assert out.exit_code == 0, out.output
    assert "On Friday, IU released a new single, [Love Wins], featuring [V] of BTS." in out.output
    assert "Love wins all (id:love-wins-all, 90)" in out.output and "close to Love wins all (90): choose" in out.output
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
    assert c.status == "accepted" and c.edits["link:work"] == {"from": "fuzzy", "to": str(ID["love-wins-all"])}
    g = facts(graph)
    assert (ID["love-wins-all"], SKOS.altLabel, rdflib.Literal("Love Wins", lang="en")) in g
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
    jin = next(e for e in g.subjects(RDFS.label, None) if str(g.value(e, RDFS.label)) == "Jin")  # a new entity
    membership = next(g.subjects(CG.member, jin))
    assert (membership, CG.group, ID.bts) in g and str(g.value(membership, CG.startDate)) == "2013"
    by_rule = run(runner, graph, "accept", "--all", "--rule", "directed-by")
    assert by_rule.exit_code == 0 and candidates(graph)[DIRECTED].status == "accepted"
    assert (None, CG.role, ROLE.director) in facts(graph)


def test_edit_changes_the_fact_and_keeps_what_was_proposed(runner, graph):
    out = run(runner, graph, "edit", APPEARED, "--role", "guest", "--type", "work=WebSeries")
    assert out.exit_code == 0, out.output
    c = candidates(graph)[APPEARED]
    assert c.status == "edited" and c.role == "guest"
    assert c.edits["role"] == {"from": "appearance", "to": "guest"}
    g = facts(graph)
    credit = next(g.subjects(CG.role, ROLE.guest))
    assert (g.value(credit, CG.work), rdflib.RDF.type, CG.WebSeries) in g
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


# -- What a new user hit following the README's "Articles in" transcript (issue 10) --------

SUMMER = Path(__file__).resolve().parents[1] / "docs" / "examples" / "summer-letters.txt"


def ingest_summer(runner, graph, *extra):
    out = runner.invoke(cli, ["ingest", str(SUMMER), "--graph", str(graph), "--published", "2026-11-20",
                              "--title", "Choi Woo-shik cast in a summer film", *extra])
    assert out.exit_code == 0, out.output
    return out


def summer(graph) -> dict:
    """The summer-letters candidates by what they are: ``credit:<agent>``, ``new:<name>``, ``fuzzy:<name>``."""
    out = {}
    for c in ArticleFile.load(graph / "articles" / "choi-woo-shik-cast-in-a-summer-film.json").candidates:
        if c.kind == "credit":
            out[f"credit:{c.slots['agent'].text}"] = c
        else:
            out[f"{'fuzzy' if c.rule == 'fuzzy-name' else 'new'}:{c.slots['entity'].text}"] = c
    return out


def summer_facts(graph) -> rdflib.Graph:
    return rdflib.Graph().parse(graph / "articles" / "choi-woo-shik-cast-in-a-summer-film.ttl")


#: A near name for the article's "Blue Hour", so that it is a fuzzy mention (the bundled "Blue", a
#: title inside it, is another work and no suggestion for it by that name).
NEAR = """@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
id:blue skos:altLabel "Blue Hours"@en .
"""


def accept_starred(runner, g):
    """``accept --all --rule starred-in``, then the person's word for "Choi Woo-shik": the article
    names nothing else the graph ties to him, so his credit waits for a link (it is skipped)."""
    out = run(runner, g, "accept", "--all", "--rule", "starred-in")
    assert out.exit_code == 0, out.output
    choi = summer(g)["credit:Choi Woo-shik"]
    assert f"skipped: candidate {choi.id}" in out.output
    linked = run(runner, g, "accept", choi.id, "--link", "agent=id:choi-woo-shik")
    assert linked.exit_code == 0, linked.output
    return out


@pytest.fixture
def summer_graph(tmp_path, runner) -> Path:
    graph = lay_out(tmp_path)
    (graph / "near.ttl").write_text(NEAR, "utf-8")
    ingest_summer(runner, graph)
    return graph


def test_accepting_a_credit_accepts_the_new_entities_it_needs_and_rejecting_it_undoes_that(runner, summer_graph):
    g = summer_graph
    accept_starred(runner, g)
    c = summer(g)
    credits = sorted([c["credit:Choi Woo-shik"].id, c["credit:Han Ji-woo"].id])
    assert (c["new:Summer Letters"].status, sorted(c["new:Summer Letters"].by)) == ("accepted", credits)
    assert (c["new:Han Ji-woo"].status, c["new:Han Ji-woo"].by) == ("accepted", [c["credit:Han Ji-woo"].id])
    assert c["fuzzy:Blue Hour"].status == "pending"  # no accepted fact needs it
    shown = run(runner, g, "show", c["new:Summer Letters"].id).output
    assert f"accepted with the fact(s) that need it: {', '.join(c['new:Summer Letters'].by)}" in shown
    # The one credit that needed Han Ji-woo rejected: the entity goes back to pending, and out of the file.
    assert run(runner, g, "reject", c["credit:Han Ji-woo"].id).exit_code == 0
    c = summer(g)
    assert (c["new:Han Ji-woo"].status, c["new:Han Ji-woo"].by) == ("pending", [])
    assert c["new:Summer Letters"].by == [c["credit:Choi Woo-shik"].id]
    assert not any(str(o) == "Han Ji-woo" for o in summer_facts(g).objects(None, rdflib.RDFS.label))


def test_rejecting_a_new_entity_that_an_accepted_fact_needs_is_refused_unless_cascaded(runner, summer_graph):
    g = summer_graph
    accept_starred(runner, g)
    c = summer(g)
    ttl = (g / "articles" / "choi-woo-shik-cast-in-a-summer-film.ttl").read_bytes()
    out = run(runner, g, "reject", c["new:Han Ji-woo"].id)
    assert out.exit_code == 1 and "rejected" not in out.output.split(":")[0]
    lines = out.output.strip().splitlines()
    assert len(lines) == 1 and c["credit:Han Ji-woo"].id in lines[0] and "--cascade" in lines[0]
    assert summer(g)["new:Han Ji-woo"].status == "accepted"
    assert (g / "articles" / "choi-woo-shik-cast-in-a-summer-film.ttl").read_bytes() == ttl
    out = run(runner, g, "reject", c["new:Han Ji-woo"].id, "--cascade")
    assert out.exit_code == 0 and out.output.startswith("rejected 2")
    c = summer(g)
    assert c["new:Han Ji-woo"].status == c["credit:Han Ji-woo"].status == "rejected"
    facts_now = summer_facts(g)
    assert not any(str(o) == "Han Ji-woo" for o in facts_now.objects(None, rdflib.RDFS.label))


def test_one_new_work_has_one_type_and_an_edit_sets_it_everywhere(runner, summer_graph):
    g = summer_graph
    accept_starred(runner, g)
    types = set(summer_facts(g).objects(named(summer_facts(g), "Summer Letters"), rdflib.RDF.type))
    assert types == {CG.Film}  # "the film" in one sentence, a bare title in the other: a Film, not Film + Work
    han = summer(g)["credit:Han Ji-woo"].id
    out = run(runner, g, "edit", han, "--type", "work=WebSeries")
    assert out.exit_code == 0, out.output
    assert set(summer_facts(g).objects(named(summer_facts(g), "Summer Letters"), rdflib.RDF.type)) == {CG.WebSeries}
    assert {c.slots["work" if c.kind == "credit" else "entity"].type for k, c in summer(g).items()
            if "Summer Letters" in k or k.startswith("credit:")} == {"WebSeries"}


def test_two_kinds_of_type_for_one_new_work_are_a_problem_for_the_reviewer(runner, tmp_path):
    graph = lay_out(tmp_path)
    article = tmp_path / "two.txt"
    article.write_text("Two castings\n\nV of BTS will star in the film \"Night Train\".\n\n"
                       "Han Ji-woo also stars in the web drama \"Night Train\".\n", "utf-8")
    assert runner.invoke(cli, ["ingest", str(article), "--graph", str(graph)]).exit_code == 0
    listed = json.loads(run(runner, graph, "list", "--rule", "starred-in", "--format", "json").output)
    assert {c["slots"]["work"]["type"] for c in listed} == {"Film", "WebSeries"}
    assert all(any("Night Train" in p and "Film" in p and "WebSeries" in p for p in c["problems"]) for c in listed)
    table_out = run(runner, graph, "list")
    assert "(!)" in table_out.output
    assert "problem: " in run(runner, graph, "show", listed[0]["id"]).output
    out = run(runner, graph, "accept", "--all", "--rule", "starred-in")
    assert out.exit_code == 1 and "--type work=" in out.output
    assert not list((graph / "articles").glob("*.ttl"))
    assert run(runner, graph, "edit", listed[0]["id"], "--type", "work=Film").exit_code == 0
    assert run(runner, graph, "accept", "--all", "--rule", "starred-in").exit_code == 0
    ttl = rdflib.Graph().parse(next((graph / "articles").glob("*.ttl")))
    assert set(ttl.objects(named(ttl, "Night Train"), rdflib.RDF.type)) == {CG.Film}


def test_labels_from_review_carry_the_articles_language_and_hangul_is_korean(runner, tmp_path):
    graph = lay_out(tmp_path)
    ingest_summer(runner, graph)
    assert run(runner, graph, "accept", "--all", "--rule", "starred-in").exit_code == 0
    g = summer_facts(graph)
    assert (named(g, "Summer Letters"), rdflib.RDFS.label, rdflib.Literal("Summer Letters", lang="en")) in g
    # The same query the user ran, on the graph the build reads.
    kg = CollabGraph.load(graph, ONTOLOGY)
    found = kg.sparql("SELECT ?e WHERE { ?e rdfs:label ?name }",
                      bindings={"name": rdflib.Literal("Summer Letters", lang="en")})
    assert [str(r.e) for r in found] == [str(named(g, "Summer Letters"))]
    article = tmp_path / "ko.txt"
    article.write_text("Casting\n\nChoi Woo-shik will star in the film \"여름 편지\", the studio said.\n", "utf-8")
    assert runner.invoke(cli, ["ingest", str(article), "--graph", str(graph), "--title", "ko"]).exit_code == 0
    assert run(runner, graph, "accept", "--all", "--article", "ko").exit_code == 0
    ko = rdflib.Graph().parse(graph / "articles" / "ko.ttl")
    assert rdflib.Literal("여름 편지", lang="ko") in set(ko.objects(None, rdflib.RDFS.label))
    bad = runner.invoke(cli, ["ingest", str(article), "--graph", str(graph), "--language", "not a tag"])
    assert bad.exit_code == 1 and len(bad.output.strip().splitlines()) == 1 and "--language" in bad.output


def test_reingesting_after_accepting_proposes_nothing_again(runner, summer_graph):
    g = summer_graph
    accept_starred(runner, g)
    assert run(runner, g, "reject", summer(g)["credit:Choi Woo-shik"].id).exit_code == 0
    before = {c.id: c.status for c in summer(g).values()}
    assert sorted(before.values()).count("rejected") == 1
    out = ingest_summer(runner, g)  # the accepted entities are in the graph now: the same words link to them
    assert "(0 new," in out.output
    after = {c.id: c.status for c in summer(g).values()}
    assert after == before
    assert not [c for c in summer(g).values() if c.kind == "credit" and c.status == "pending"]


def test_accepting_a_fuzzy_mention_as_new_is_accepting_and_a_web_drama_is_a_web_series(runner, summer_graph):
    g = summer_graph
    blue = summer(g)["fuzzy:Blue Hour"].id
    out = run(runner, g, "accept", blue[:8], "--new", "entity")
    assert out.exit_code == 0 and out.output.startswith("accepted 1"), out.output
    shown = json.loads(run(runner, g, "show", blue, "--format", "json").output)
    assert shown["status"] == "accepted" and shown["edits"]["link:entity"] == {"from": "fuzzy", "to": "new"}
    assert (shown["slots"]["entity"]["method"], shown["slots"]["entity"]["type"]) == ("new", "WebSeries")
    assert set(summer_facts(g).objects(named(summer_facts(g), "Blue Hour"), rdflib.RDF.type)) == {CG.WebSeries}


def test_the_edit_log_says_none_not_python(runner, summer_graph):
    g = summer_graph
    han = summer(g)["credit:Han Ji-woo"].id
    # (a character, not a date: the sentence gives no date, and a date it does not give is refused)
    assert run(runner, g, "edit", han, "--character", "newcomer").exit_code == 0
    shown = run(runner, g, "show", han).output
    assert "edited character: (none) -> newcomer" in shown and "None" not in shown


def test_short_prefixes_and_accepting_nothing_say_why(runner, summer_graph):
    g = summer_graph
    cid = summer(g)["fuzzy:Blue Hour"].id
    out = run(runner, g, "show", cid[:5])
    assert out.exit_code == 1 and "at least 6 characters" in out.output
    best = max(c.score for c in summer(g).values())
    out = run(runner, g, "accept", "--all", "--min-score", "0.85")
    assert out.exit_code == 0
    assert out.output.strip() == (f"accepted nothing: no pending candidate scores >= 0.85; "
                                  f"the highest is {best:.2f}")


def test_an_entity_of_two_unrelated_types_is_counted_once_in_the_total(runner, tmp_path):
    """`info`'s total counts distinct entities: a music video also typed Film
    (what an unsettled review once wrote) is one entity, listed under both types."""
    graph = lay_out(tmp_path)
    before = tmp_path / "before"
    assert runner.invoke(cli, ["build", "--graph", str(graph), "--out", str(before), "-q"]).exit_code == 0
    ttl = graph / "love-wins-all-article.ttl"
    ttl.write_text(ttl.read_text("utf-8") + "\nid:love-wins-all-mv a cg:Film .\n", "utf-8")
    after = tmp_path / "after"
    assert runner.invoke(cli, ["build", "--graph", str(graph), "--out", str(after), "-q"]).exit_code == 0
    counts = []
    for build_dir in (before, after):
        first = runner.invoke(cli, ["info", "--build", str(build_dir)]).output.splitlines()[1]
        counts.append(int(first.split(" entities")[0].rsplit(" ", 1)[1]))
    assert counts[0] == counts[1]
    summary = json.loads(runner.invoke(cli, ["info", "--build", str(after), "--format", "json"]).output)["summary"]
    assert summary["entity_count"] == counts[1] < sum(summary["entities"].values())


def test_edit_takes_a_role_as_the_help_writes_it_and_an_unknown_one_lists_the_labels(runner, graph):
    """A fresh-clone user: `--role "music video director"` as the help writes it was refused by `edit`
    (only `add` took labels), and the refusal listed ids in camelCase."""
    out = run(runner, graph, "edit", PLAYED, "--role", "Music video director")
    assert out.exit_code == 0, out.output
    assert candidates(graph)[PLAYED].edits["role"]["to"] == "musicVideoDirector"
    bad = run(runner, graph, "edit", PLAYED, "--role", "compser")
    assert bad.exit_code == 1 and bad.output.count("\n") == 1
    assert "did you mean composer?" in bad.output and "music video director" in bad.output
    assert "musicVideoDirector" not in bad.output


def test_a_part_set_in_review_is_drawn_beside_its_actor_and_work(runner, summer_graph, tmp_path):
    """A character given in review is an entity of its own: the explorer draws it with an edge from the
    actor who plays it and one to the work it is in, both quoting the credit (not as a lone node)."""
    g = summer_graph
    han = summer(g)["credit:Han Ji-woo"]
    assert run(runner, g, "edit", han.id, "--character", "newcomer").exit_code == 0
    out = run(runner, g, "accept", han.id)
    assert out.exit_code == 0 and out.output.startswith("accepted"), out.output
    build(g, ONTOLOGY, tmp_path / "build")
    with CollabGraph.open(tmp_path / "build") as kg:
        page = kg.explore(focus="newcomer", depth=1)
        data = json.loads(page.html.split('id="cg-data">', 1)[1].split("</script>", 1)[0])
    labels = data["columns"]["label"]
    edges = {(labels[f], labels[t], lab) for f, t, lab in zip(data["edgeColumns"]["from"], data["edgeColumns"]["to"],
                                                              data["edgeColumns"]["label"])}
    part = next(x for x in labels if x.casefold() == "newcomer")  # the sentence's word, as the review wrote it
    assert ("Han Ji-woo", part, "character") in edges, edges
    assert (part, han.slots["work"].text, "characterIn") in edges, edges
