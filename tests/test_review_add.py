"""Issue 20, part 3: a review a person can do in minutes. Adding a fact the
extractor missed (library and CLI), a type for new names, names and plain
words instead of IRIs and rule codes, undo, filters by kind, bulk accept."""

from __future__ import annotations

import json

import rdflib

from collabgraph import build
from collabgraph.build.pipeline import validate
from collabgraph.cli import cli
from collabgraph.ingest.candidates import ArticleFile, Mention
from collabgraph.ingest.review import Review

from .conftest import ONTOLOGY
from .test_review import CG, DIRECTED, FEATURING, ID, JOINED, PLAYED, ROLE, candidates, facts, graph, run  # noqa: F401

MV_SENTENCE = 5  # "The music video was directed by Um Tae-hwa, who is known for the film Concrete Utopia."


def test_sentences_are_numbered_for_add(runner, graph):
    out = run(runner, graph, "sentences", "winter-single")
    assert out.exit_code == 0, out.output
    assert "  5  The music video was directed by Um Tae-hwa" in out.output


def test_add_a_missed_fact_from_a_sentence_and_see_it_cited_by_path(runner, graph, tmp_path):
    out = runner.invoke(cli, ["review", "add", "winter-single", "--graph", str(graph), "--sentence", str(MV_SENTENCE),
                              "--agent", "Um Tae-hwa", "--type", "agent=Person", "--work", "love wins all",
                              "--words", "work=The music video", "--role", "music video director", "--accept"])
    assert out.exit_code == 0, out.output
    added = [c for c in candidates(graph).values() if c.rule == "person"]
    assert len(added) == 1 and added[0].status == "accepted" and added[0].role == "musicVideoDirector"
    c = added[0]
    text = (graph / "articles" / "winter-single.txt").read_text("utf-8")
    assert text[c.start:c.end] == c.sentence and text[c.slots["agent"].start:c.slots["agent"].end] == "Um Tae-hwa"
    assert c.slots["work"].link == str(ID["love-wins-all"])  # resolved exactly (case aside), not proposed as new
    g = facts(graph)
    credit = next(g.subjects(CG.role, ROLE.musicVideoDirector))
    assert str(g.value(credit, CG.quote)) == c.sentence and g.value(credit, CG.work) == ID["love-wins-all"]
    person = g.value(credit, CG.agent)
    assert (person, rdflib.RDF.type, CG.Person) in g
    validate(graph, ONTOLOGY)
    build(graph, ONTOLOGY, tmp_path / "build")
    path = runner.invoke(cli, ["path", "Um Tae-hwa", "IU", "--build", str(tmp_path / "build")])
    assert path.exit_code == 0, path.output
    assert "Um Tae-hwa" in path.output.splitlines()[0] and c.sentence in path.output


def test_add_refuses_what_it_cannot_make_sense_of_and_changes_nothing(runner, graph):
    before = (graph / "articles" / "winter-single.json").read_bytes()
    cases = [
        (["--agent", "Um Tae-hwa", "--work", "Love wins all", "--role", "director"], "--type agent=TYPE"),
        (["--agent", "Nobody Here", "--type", "agent=Person", "--work", "Love wins all", "--role", "director"],
         "the article does not write it"),
        (["--agent", "IU", "--work", "V", "--role", "director"], "not a Work"),
        (["--agent", "IU", "--work", "Love wins all", "--role", "drummer"], "unknown role 'drummer'"),
        (["--agent", "IU", "--work", "Love wins all", "--role", "director", "--type", "agent=Person"],
         "only a new entity's type"),
        (["--agent", "Um Tae-hwa", "--type", "agent=Agent", "--work", "Love wins all", "--role", "director"],
         "not a type an agent can have"),
        (["--agent", "Um Tae-hwa", "--type", "agent=Song", "--work", "Love wins all", "--role", "director"],
         "not a type an agent can have"),
        # a new entity named with a name the article never writes, its words "The music video": the name
        # would rest on nothing the source says
        (["--agent", "Um Tae-hwa", "--type", "agent=Person", "--work", "Winter Tapes", "--type", "work=MusicVideo",
          "--words", "work=The music video", "--role", "director"], "the article never writes this name"),
    ]
    for args, words in cases:
        out = runner.invoke(cli, ["review", "add", "winter-single", "--graph", str(graph), "--sentence", "5", *args])
        assert out.exit_code == 1 and words in out.output and len(out.output.strip().splitlines()) == 1, out.output
    out = runner.invoke(cli, ["review", "add", "winter-single", "--graph", str(graph), "--sentence", "99",
                              "--agent", "IU", "--work", "Love wins all", "--role", "director"])
    assert out.exit_code == 1 and "sentences 1 to 8" in out.output
    assert (graph / "articles" / "winter-single.json").read_bytes() == before


def test_words_that_stand_for_an_entity_link_it_but_never_become_its_name(graph):
    r = Review(graph, ONTOLOGY)
    result = r.add("winter-single", 6, agent="V", words={"agent": "he", "work": "Hwarang"}, work="id:hwarang", role="guest",
                   accept=True)
    c = Review(graph, ONTOLOGY).get(result.ids[0])
    assert c.slots["agent"].text == "he" and c.slots["agent"].link == str(ID.v)
    g = facts(graph)
    assert (ID.v, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), None) not in g
    assert not [a for a in g.subjects(CG.attests, ID.v) if str(g.value(a, CG.name)) == "he"]
    # the same fact twice: refused, naming the candidate
    try:
        Review(graph, ONTOLOGY).add("winter-single", 6, agent="V", words={"agent": "he", "work": "Hwarang"}, work="id:hwarang",
                                    role="guest")
    except Exception as exc:
        assert result.ids[0] in str(exc)
    else:
        raise AssertionError("a duplicate fact was added")


def test_an_untyped_new_name_is_never_accepted_as_a_bare_agent(runner, graph):
    """Old code: accepting a new name with no type wrote it as cg:Agent."""
    path = graph / "articles" / "winter-single.json"
    af = ArticleFile.load(path)
    c = next(c for c in af.candidates if c.id == JOINED)
    c.slots["member"] = Mention(**{**c.slots["member"].to_dict(), "type": None, "suggestions": ()})
    af.save(path)
    out = run(runner, graph, "accept", JOINED)
    assert out.exit_code == 1 and "has no type yet" in out.output and "--type member=Person" in out.output
    assert not (graph / "articles" / "winter-single.ttl").exists()
    out = run(runner, graph, "accept", "--all", "--rule", "joined")
    assert "skipped" in out.output and candidates(graph)[JOINED].status == "pending"
    out = run(runner, graph, "accept", JOINED, "--type", "member=Person")
    assert out.exit_code == 0, out.output
    g = facts(graph)
    jin = next(e for e, o in g.subject_objects(rdflib.RDFS.label) if str(o) == "Jin")
    assert (jin, rdflib.RDF.type, CG.Person) in g and (jin, rdflib.RDF.type, CG.Agent) not in g


def test_list_shows_names_and_plain_words_not_iris_and_rule_codes(runner, graph):
    out = run(runner, graph, "list")
    assert out.exit_code == 0, out.output
    assert "id:" not in out.output and "https://" not in out.output
    assert "V actor on Hwarang: The Poet Warrior Youth, as Han-sung" in out.output
    assert "close to Love wins all (90): choose" in out.output
    assert "“W, directed by X”" in out.output and " directed-by " not in out.output
    listed = json.loads(run(runner, graph, "list", "--kind", "membership", "--format", "json").output)
    assert {c["kind"] for c in listed} == {"membership"} and len(listed) == 2


def test_a_description_shows_the_name_it_stands_for(graph):
    """Old code: 'she (new Person)' instead of the name it resolved to."""
    path = graph / "articles" / "winter-single.json"
    af = ArticleFile.load(path)
    c = next(c for c in af.candidates if c.id == PLAYED)
    m = c.slots["agent"]
    c.slots["agent"] = Mention("he", m.start, m.start + 2, link=str(ID.v), method="description")
    af.save(path)
    shown = Review(graph, ONTOLOGY).shown(Review(graph, ONTOLOGY).get(PLAYED))
    assert shown["slots"]["agent"]["name"] == "V" and shown["slots"]["agent"]["how"] == "stands for V"
    assert shown["what"].startswith("V actor on ")


def test_an_exact_name_two_entities_share_is_a_shared_name_not_fuzzy(runner, graph):
    """Old code: a name two entities share was listed and refused as 'only a fuzzy match'."""
    path = graph / "articles" / "winter-single.json"
    af = ArticleFile.load(path)
    c = next(c for c in af.candidates if c.id == JOINED)
    m = c.slots["group"]
    c.slots["group"] = Mention(m.text, m.start, m.end, method="fuzzy", score=100.0, label=m.text,
                               suggestions=((str(ID.bts), "BTS", 100.0), (str(ID.iu), "IU", 100.0)))
    af.save(path)
    listed = run(runner, graph, "list", "--rule", "joined").output
    assert "BTS (shared name: choose)" in listed and "fuzzy" not in listed and "close to" not in listed
    out = run(runner, graph, "accept", JOINED)
    assert out.exit_code == 1 and "is a name 2 entities share" in out.output and "fuzzy" not in out.output
    r = Review(graph, ONTOLOGY)
    assert r.shown(r.get(FEATURING))["slots"]["work"]["how"] == "close to Love wins all (90): choose"


def test_undo_puts_accepted_and_rejected_back_to_pending(runner, graph):
    assert run(runner, graph, "accept", PLAYED).exit_code == 0
    assert run(runner, graph, "reject", DIRECTED).exit_code == 0
    out = run(runner, graph, "undo", PLAYED, DIRECTED)
    assert out.exit_code == 0, out.output
    assert candidates(graph)[PLAYED].status == candidates(graph)[DIRECTED].status == "pending"
    assert not (graph / "articles" / "winter-single.ttl").exists()  # the only accepted fact is out again
    out = run(runner, graph, "undo", PLAYED)
    assert out.exit_code == 1 and "nothing to undo" in out.output


def test_bulk_accept_of_a_selection_skips_those_a_person_must_settle(graph):
    r = Review(graph, ONTOLOGY)
    result = r.accept([PLAYED, FEATURING, JOINED], keep_going=True)
    assert set(result.ids) == {PLAYED, JOINED}
    assert [i for i, _ in result.skipped] == [FEATURING] and "only a fuzzy match" in result.skipped[0][1]
    assert candidates(graph)[FEATURING].status == "pending"


def test_set_types_keeps_a_pending_candidate_pending(graph):
    r = Review(graph, ONTOLOGY)
    r.set_types(DIRECTED, {"work": "MusicVideo"})
    c = candidates(graph)[DIRECTED]
    assert c.status == "pending" and c.slots["work"].type == "MusicVideo"
    assert c.edits["type:work"] == {"from": "Film", "to": "MusicVideo"}


def test_names_for_the_autocomplete_come_from_the_article_and_the_graph(graph):
    hits = Review(graph, ONTOLOGY).names("love", article="winter-single")
    assert hits[0] == {"name": "Love Wins", "id": None, "type": "single", "from": "article"}  # a new name, first
    assert {"name": "Love wins all", "id": "id:love-wins-all", "type": "single", "from": "graph"} in hits
    assert Review(graph, ONTOLOGY).names("", article="winter-single") == []


def test_add_a_membership_and_a_date_in_words(runner, graph):
    g = ["--graph", str(graph)]
    out = runner.invoke(cli, ["review", "add", "winter-single", *g, "--sentence", "8", "--member", "Jin",
                              "--type", "member=Person", "--group", "BTS", "--date", "2013", "--accept"])
    assert out.exit_code == 0, out.output
    (c,) = [c for c in candidates(graph).values() if c.rule == "person"]
    assert c.kind == "membership" and c.status == "accepted" and c.date == "2013" and not c.date_inferred
    gr = facts(graph)
    membership = next(gr.subjects(CG.group, ID.bts))
    jin = gr.value(membership, CG.member)
    assert str(gr.value(jin, rdflib.RDFS.label)) == "Jin" and (jin, rdflib.RDF.type, CG.Person) in gr
    assert str(gr.value(membership, CG.quote)) == c.sentence
    # "on Friday", worked out from the publication date (2024-01-26), and marked so
    out = runner.invoke(cli, ["review", "add", "winter-single", *g, "--sentence", "4", "--agent", "IU",
                              "--work", "Love wins all", "--words", "work=Love Wins", "--role", "performer",
                              "--date", "last Friday"])
    assert out.exit_code == 0, out.output
    (d,) = [x for x in candidates(graph).values() if x.rule == "person" and x.kind == "credit"]
    assert d.date == "2024-01-19" and d.date_inferred
    for args, words in [(["--member", "IU", "--group", "V"], "not a Group"),
                        (["--member", "Someone New", "--group", "BTS"], "the article does not write it"),
                        (["--agent", "IU", "--work", "Love wins all", "--role", "performer", "--date", "blue moon"],
                         "is not a date"),
                        (["--member", "IU", "--group", "BTS", "--role", "actor"], "not both")]:
        out = runner.invoke(cli, ["review", "add", "winter-single", *g, "--sentence", "4", *args])
        assert out.exit_code == 1 and words in out.output, out.output
    out = runner.invoke(cli, ["review", "add", "winter-single", *g, "--sentence", "4", "--agent", "IU"])
    assert out.exit_code == 2 and "--member and --group" in out.output


def test_an_article_id_is_never_a_path_outside_the_folder(runner, graph):
    """Old code read graph/articles/../x.json as an article."""
    (graph / "x.json").write_bytes((graph / "articles" / "winter-single.json").read_bytes())
    (graph / "x.txt").write_bytes((graph / "articles" / "winter-single.txt").read_bytes())
    for args in (["sentences", "../x"], ["list", "--article", "../x"]):
        out = run(runner, graph, *args)
        assert out.exit_code == 1 and "no article '../x'" in out.output, out.output


def test_a_rejected_wrong_addition_does_not_block_the_right_one(graph):
    """A person adds "he" as a new name by mistake, rejects it, and adds the fact
    again with "he" standing for V: the words are the same, the fact is not, so it
    is added (before, the second add was refused as 'already has this fact')."""
    wrong = Review(graph, ONTOLOGY).add("winter-single", 6, agent="he", types={"agent": "Person"},
                                        words={"work": "Hwarang"}, work="id:hwarang", role="guest")
    Review(graph, ONTOLOGY).reject(wrong.ids)
    right = Review(graph, ONTOLOGY).add("winter-single", 6, agent="V", words={"agent": "he", "work": "Hwarang"}, work="id:hwarang",
                                        role="guest", accept=True)
    assert right.ids[0] != wrong.ids[0]
    assert Review(graph, ONTOLOGY).get(right.ids[0]).slots["agent"].link == str(ID.v)
    try:  # the wrong one again, exactly: refused, saying how to bring it back
        Review(graph, ONTOLOGY).add("winter-single", 6, agent="he", types={"agent": "Person"}, work="id:hwarang",
                                    words={"work": "Hwarang"}, role="guest")
    except Exception as exc:
        assert wrong.ids[0] in str(exc) and "review undo" in str(exc)
    else:
        raise AssertionError("an exact duplicate of a rejected fact was added")


def test_adding_a_fact_the_extractor_already_proposed_names_that_candidate(graph):
    """The same fact as an accepted extracted candidate (same sentence, role, entities:
    here two new names), added by hand: refused, naming the candidate that says it."""
    r = Review(graph, ONTOLOGY)
    extracted = next(c for c in r.candidates(kind="credit") if c.role == "director")
    r.accept([extracted.id], types={"agent": "Person", "work": "Film"})
    sentence = next(i for i, (text, start, end) in enumerate(r.sentences("winter-single"), 1)
                    if start <= extracted.start < end)
    try:
        r.add("winter-single", sentence, agent="Um Tae-hwa", work="Concrete Utopia", role="director",
              types={"agent": "Person", "work": "Film"})
    except Exception as exc:
        assert f"already has this fact: candidate {extracted.id}" in str(exc)
    else:
        raise AssertionError("a fact the extractor proposed was added again")
