"""Issue 20, review a journalist can trust (items a fresh-clone walkthrough found): what ``validate
--strict`` checks is checked as a fact is accepted, added or edited; ``path`` shows each edge's source,
quote and what a description stands for; a description counts only in its own sentence; ``edit --date``
is checked as ``add --date`` is; the summary counts untyped names as untyped; a date without a year
reads as words; and a bulk accept reports the facts it accepted."""

from __future__ import annotations

import json

import pytest

from collabgraph.ingest.review import Review

from .conftest import ONTOLOGY, ROOT, needs_shared
from .serving import open_review, serving_review
from .test_review_page_add import select_words
from .test_review_strict import ARTICLE, add_park, cg, ingested  # noqa: F401  (the fixture)


def state(graph):
    """The article's candidate file and source file as bytes (the source file may not exist)."""
    ttl = graph / "articles" / f"{ARTICLE}.ttl"
    return (graph / "articles" / f"{ARTICLE}.json").read_bytes(), ttl.read_bytes() if ttl.exists() else None


def candidates(graph):
    return json.loads((graph / "articles" / f"{ARTICLE}.json").read_text("utf-8"))["candidates"]


# -- 1. the quote check at accept time -------------------------------------------------------

def test_adding_a_fact_with_a_date_its_sentence_does_not_give_is_refused_in_one_line(runner, ingested):
    before = state(ingested)
    for extra in (("--accept",), ()):  # accepted at once, or pending (it could never be accepted)
        out = add_park(runner, ingested, "--date", "2019", *extra)
        assert out.exit_code == 1, out.output
        line = out.output.strip()
        assert "\n" not in line and line.startswith("error: candidate ") and "sentence 6 does not state the date 2019" \
            in line and "nothing was changed" in line, out.output
        assert state(ingested) == before
    # the same fact without the date is stated by its sentence and accepted
    assert add_park(runner, ingested, "--accept").exit_code == 0


def test_the_library_refuses_naming_the_candidate(ingested):
    from collabgraph.core.errors import UnstatedFact

    review = Review(ingested, ONTOLOGY)
    with pytest.raises(UnstatedFact) as err:
        review.add(ARTICLE, 6, agent="Park Hyung-sik", work="Night Bus", types={"work": "Single"},
                   words={"work": "the video"}, role="cameo", date="2019", accept=True)
    (cid, why), = err.value.reasons.items()
    assert str(err.value) == why + "; nothing was changed" and cid in why and "the date 2019" in why


@needs_shared  # validate --strict checks the bundled article's quotes against its local copy
def test_a_bulk_accept_leaves_a_fact_its_sentence_does_not_state_pending_and_says_why(runner, ingested):
    data = json.loads((ingested / "articles" / f"{ARTICLE}.json").read_text("utf-8"))
    cameo = next(c for c in data["candidates"] if c["rule"] == "parse-show")  # Choi Woo-shik, sentence 5
    cameo["date"] = "2019"  # a date sentence 5 does not give, as a hand-edited file could say
    (ingested / "articles" / f"{ARTICLE}.json").write_text(json.dumps(data), "utf-8")
    out = cg(runner, "review", "accept", "--all", "--article", ARTICLE, "--graph", str(ingested))
    assert out.exit_code == 0, out.output
    skipped = [line for line in out.output.splitlines() if cameo["id"] in line]
    assert len(skipped) == 1 and skipped[0].startswith(f"skipped: candidate {cameo['id']}: sentence 5 does not state "
                                                       "the date 2019") and "nothing was changed" not in skipped[0]
    after = {c["id"]: c["status"] for c in candidates(ingested)}
    assert after[cameo["id"]] == "pending"
    assert "accepted" in after.values()  # the others were accepted
    out = cg(runner, "validate", "--graph", str(ingested), "--ontology", str(ONTOLOGY), "--strict")
    assert out.exit_code == 0, out.output


def test_the_page_refuses_a_fact_its_sentence_does_not_state(ingested, tmp_path, browser):
    with serving_review(ingested, tmp_path / "build") as base:
        page, errors = open_review(browser, base)
        page.select_option("#article", ARTICLE)
        page.wait_for_selector("#text .sentence[data-n='6']")
        before = state(ingested)
        select_words(page, 6, "Park Hyung-sik")
        page.wait_for_selector("#add-agent-known:has-text('known:')")
        page.fill("#add-work", "Night Bus")
        page.dispatch_event("#add-work", "input")
        page.wait_for_selector("#add-work-known:has-text('new:')")
        page.select_option("#add-work-type", "Single")
        page.check("input[name=fill][value=work]")
        select_words(page, 6, "the video")
        page.fill("#add-work", "Night Bus")
        page.fill("#add-role", "cameo")
        page.fill("#add-date", "2019")
        page.click("#add-accept")
        page.wait_for_selector("#status.error")
        said = page.text_content("#status") or ""
        assert "sentence 6 does not state the date 2019" in said and "nothing was changed" in said, said
        assert state(ingested) == before
        assert not errors


def test_a_date_in_words_the_sentence_does_not_write_is_refused(runner, ingested):
    before = state(ingested)
    out = add_park(runner, ingested, "--date", "last Friday", "--accept")  # sentence 6 says no day
    assert out.exit_code == 1 and "date 'last Friday': the sentence does not write these words" in out.output, \
        out.output
    assert state(ingested) == before


# -- 2. path shows each edge's source, its quote, and what a description stands for ----------

SENTENCE_3 = "IU released her new single Night Bus on Friday."


@pytest.fixture
def walked(runner, ingested, tmp_path):
    """The walkthrough of docs/journalist.md up to its build: the added fact, IU confirmed, the rest accepted."""
    g = str(ingested)
    assert add_park(runner, ingested, "--accept").exit_code == 0
    iu = next(c["id"] for c in candidates(ingested) if c["kind"] == "entity" and c["slots"]["entity"]["text"] == "IU")
    assert cg(runner, "review", "accept", iu, "--link", "entity=id:iu", "--graph", g).exit_code == 0
    assert cg(runner, "review", "accept", "--all", "--article", ARTICLE, "--graph", g).exit_code == 0
    build = tmp_path / "build"
    assert cg(runner, "build", "--graph", g, "--ontology", str(ONTOLOGY), "--out", str(build), "-q").exit_code == 0
    return ingested, build


def test_path_shows_the_source_and_why_the_video_is_night_bus(runner, walked):
    _, build = walked
    out = cg(runner, "path", "Ahn Ji-won", "Park Hyung-sik", "--build", str(build))
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[3:] == [
        "   “The video was directed by Ahn Ji-won.”",
        f"     “The video” is Night Bus, named in: “{SENTENCE_3}”",
        "   “Eagle-eyed fans spotted Park Hyung-sik in the video, behind the wheel of the bus.”",
        f"     “the video” is Night Bus, named in: “{SENTENCE_3}”",
        "   source: IU's new single gets a surprise cameo (Invented Daily, 2026-03-06), https://example.org/night-bus"]
    [hop] = json.loads(cg(runner, "path", "Ahn Ji-won", "Park Hyung-sik", "--build", str(build),
                          "--format", "json").output)
    first = hop["evidence"][0]
    assert first["source"] == {"source": "source:article-iu-s-new-single-gets-a-surprise-cameo",
                               "label": "IU's new single gets a surprise cameo", "publisher": "Invented Daily",
                               "date": "2026-03-06", "url": "https://example.org/night-bus"}
    assert first["described"] == [{"words": "The video", "entity": hop["work"]["id"], "entity_label": "Night Bus",
                                   "named_in": SENTENCE_3}]


def test_the_api_gives_each_hop_its_sources_and_descriptions(walked):
    from collabgraph import CollabGraph

    _, build = walked
    kg = CollabGraph.open(build)
    [hop] = kg.path(kg.entity("Choi Woo-shik"), kg.entity("IU"))
    said = {e["text"]: [(d.words, d.entity.label, d.named_in) for d in e["described"]] for e in hop.cited()}
    assert said["Choi Woo-shik also shows up in it, as a sleepy passenger."] == [("it", "Night Bus", SENTENCE_3)]
    assert said[SENTENCE_3] == []  # it names Night Bus itself
    assert {s.url for s in hop.sources} == {"https://example.org/night-bus"}


def test_a_membership_hop_shows_its_source_too(runner, tmp_path):
    from .layout import lay_out

    graph = lay_out(tmp_path)
    build = tmp_path / "build"
    assert cg(runner, "build", "--graph", str(graph), "--ontology", str(ONTOLOGY), "--out", str(build), "-q").exit_code == 0
    out = cg(runner, "path", "IU", "BTS", "--build", str(build))
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[-3:] == [
        "2. V is a member of BTS", "   “BTS' Taehyung, aka V”",
        "   source: News article on the behind-the-scenes video of IU and V's \"Love wins all\""], out.output


# -- 3. a description counts in the sentence that declares it, not the whole article ----------

DESCRIBED = '''@prefix cg: <https://w3id.org/collabgraph/ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
  <https://e/bus> rdfs:label "Night Bus" . <https://e/ahn> rdfs:label "Ahn Ji-won" . <https://e/park> rdfs:label "Park" .
  <https://e/att> a cg:Attestation ; cg:source <https://e/doc> ; cg:attests <https://e/bus> ;
      cg:mentionedAs "the video" ; cg:quote "IU released Night Bus.", "Ahn Ji-won directed the video." .
  <https://e/c1> a cg:Credit ; cg:source <https://e/doc> ; cg:agent <https://e/ahn> ; cg:work <https://e/bus> ;
      cg:quote "Ahn Ji-won directed the video." .
  <https://e/c2> a cg:Credit ; cg:source <https://e/doc> ; cg:agent <https://e/park> ; cg:work <https://e/bus> ;
      cg:quote "Park was seen in the video." .'''


def test_a_description_counts_only_in_the_sentence_its_attestation_quotes():
    from collabgraph.store.local import Store
    from collabgraph.store.quotes import unstated_sides

    store = Store.memory()
    store.load_data(DESCRIBED, "turtle", graph="https://g/a")
    found = unstated_sides(store, "https://e/doc")
    # "the video" is Night Bus in the sentence the attestation quotes (c1), not in another sentence (c2)
    assert [(u.fact, u.missing) for u in found] == [("https://e/c2", ("https://e/bus",))]


@needs_shared  # validate --strict checks the bundled article's quotes against its local copy
def test_the_walkthrough_graph_stays_valid_under_the_scoped_reading(runner, walked):
    graph, _ = walked
    out = cg(runner, "validate", "--graph", str(graph), "--ontology", str(ONTOLOGY), "--strict")
    assert out.exit_code == 0 and "warning" not in out.output, out.output


# -- 4. edit --date is checked as add --date is -----------------------------------------------

@needs_shared  # validate --strict checks the bundled article's quotes against its local copy
def test_edit_date_takes_words_and_is_checked_against_the_sentence(runner, ingested):
    g = str(ingested)
    cameo = next(c["id"] for c in candidates(ingested) if c["rule"] == "parse-show")  # sentence 5: no date
    before = state(ingested)
    out = cg(runner, "review", "edit", cameo, "--date", "2026-03-06", "--graph", g)
    assert out.exit_code == 1 and "sentence 5 does not state the date 2026-03-06" in out.output, out.output
    out = cg(runner, "review", "edit", cameo, "--date", "on Friday", "--graph", g)
    assert out.exit_code == 1 and "date 'on Friday': the sentence does not write these words" in out.output
    assert state(ingested) == before
    # sentence 3 writes "on Friday": words resolved from the publication date, marked as the editors' reading
    released = next(c["id"] for c in candidates(ingested) if c["kind"] == "credit" and c["rule"] == "released")
    out = cg(runner, "review", "edit", released, "--link", "agent=id:iu", "--date", "on Friday", "--graph", g)
    assert out.exit_code == 0, out.output
    c = next(c for c in candidates(ingested) if c["id"] == released)
    assert c["date"] == "2026-03-06" and c["date_inferred"] is True
    out = cg(runner, "validate", "--graph", g, "--ontology", str(ONTOLOGY), "--strict")
    assert out.exit_code == 0, out.output


# -- 5. untyped entities are counted as untyped ---------------------------------------------

def test_the_summary_counts_untyped_agents_as_untyped(runner, walked):
    from collabgraph import CollabGraph

    _, build = walked
    kg = CollabGraph.open(build)
    bare = {str(r[0]) for r in kg.sparql("""SELECT ?e WHERE { ?e a cg:Agent
        FILTER NOT EXISTS { ?e a ?t . ?t rdfs:subClassOf+ cg:Agent } }""")}
    assert len(bare) >= 2  # Choi Woo-shik and Park Hyung-sik: the graph never says person or group
    info = json.loads(cg(runner, "info", "--build", str(build), "--format", "json").output)["summary"]["entities"]
    assert "Agent" not in info and info["untyped agent"] == len(bare)


def test_the_page_says_an_untyped_agent_is_untyped(walked, tmp_path, browser):
    graph, _ = walked
    with serving_review(graph, tmp_path / "served") as base:
        page, errors = open_review(browser, base)
        page.select_option("#article", ARTICLE)
        page.wait_for_selector("#text .sentence[data-n='5']")
        select_words(page, 5, "Choi Woo-shik")
        page.wait_for_selector("#add-agent-known:has-text('known:')")
        assert page.text_content("#add-agent-known") == "known: Choi Woo-shik (untyped agent)"
        assert not errors


# -- 6. a date without a year reads as words ------------------------------------------------

def test_timeline_shows_a_day_without_a_year_in_words(runner, tmp_path):
    from .layout import lay_out

    graph = lay_out(tmp_path)
    build = tmp_path / "build"
    assert cg(runner, "build", "--graph", str(graph), "--ontology", str(ONTOLOGY), "--out", str(build), "-q").exit_code == 0
    out = cg(runner, "timeline", "IU", "--build", str(build))
    assert out.exit_code == 0 and "--01-24" not in out.output, out.output
    assert "24 January (year not stated)" in out.output
    out = cg(runner, "entity", "IU", "--build", str(build))
    assert "--01-24" not in out.output and "24 January (year not stated)" in out.output, out.output
    # the data keeps the ISO value
    data = json.loads(cg(runner, "timeline", "IU", "--build", str(build), "--format", "json").output)
    assert "--01-24" in json.dumps(data)


# -- 7. a bulk accept reports the facts it accepted -----------------------------------------

def test_a_bulk_accept_reports_the_facts_by_kind_and_lists_them_with_verbose(runner, ingested):
    g = str(ingested)
    out = cg(runner, "review", "accept", "--all", "--article", ARTICLE, "--kind", "credit", "--graph", g)
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0] == "accepted 2: 2 credits", out.output
    # "The video" and "it" stand for the new Night Bus: the sentence naming it (its proposed name) comes with them
    assert lines[1] == "with them, 2 new name(s) they need: Night Bus, Ahn Ji-won", out.output
    assert cg(runner, "review", "undo", *[c["id"] for c in candidates(ingested) if c["kind"] == "credit"
                                          and c["status"] == "accepted"], "--graph", g).exit_code == 0
    out = cg(runner, "review", "accept", "--all", "--article", ARTICLE, "--graph", g, "--verbose")
    assert out.exit_code == 0, out.output
    first, *rest = out.output.splitlines()
    accepted = [c for c in candidates(ingested) if c["status"] == "accepted"]
    kinds = {k: sum(c["kind"] == k for c in accepted) for k in ("credit", "claim", "entity")}
    assert first == f"accepted {len(accepted)}: {kinds['credit']} credits, {kinds['claim']} claim, {kinds['entity']} names"
    listed = [line for line in rest if line.startswith("accepted ") and ": " in line]
    assert {line.split(": ")[1] for line in listed} == {c["id"] for c in accepted}


def test_the_pages_bulk_accept_counts_the_facts_by_kind(ingested, tmp_path, browser):
    with serving_review(ingested, tmp_path / "build") as base:
        page, errors = open_review(browser, base)
        page.select_option("#article", ARTICLE)
        page.wait_for_selector("#text .sentence[data-n='6']")
        page.check("#pick-all")
        page.click("#accept-selected")
        page.wait_for_selector("#status.ok")
        said = page.text_content("#status") or ""
        accepted = [c for c in candidates(ingested) if c["status"] == "accepted" and not c.get("by")]
        kinds = {k: sum(c["kind"] == k for c in accepted) for k in ("credit", "claim", "entity")}
        assert said.startswith(f"accepted {len(accepted)} of ") and \
            f"selected: {kinds['credit']} credits, {kinds['claim']} claim, {kinds['entity']} names" in said, said
        assert not errors


DATED_NO_YEAR = '''@prefix cg: <https://w3id.org/collabgraph/ns#> . @prefix role: <https://w3id.org/collabgraph/role/> .
@prefix id: <https://w3id.org/collabgraph/id/> . @prefix fact: <https://w3id.org/collabgraph/fact/> .
@prefix source: <https://w3id.org/collabgraph/source/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
source:palette-note a cg:SourceDocument ; rdfs:label "A note on IU's Palette" .
fact:palette-note-host a cg:Credit ; cg:agent id:iu ; cg:work id:ius-palette ; cg:role role:host ;
    cg:date "--01-24"^^xsd:gMonthDay ; cg:source source:palette-note ; cg:quote "IU hosted IU's Palette on January 24" .
'''


def test_the_explorer_shows_a_day_without_a_year_in_words(runner, tmp_path, browser):
    from collabgraph import CollabGraph

    from .layout import lay_out
    from .test_explorer import Page

    graph = lay_out(tmp_path)
    (graph / "palette-note.ttl").write_text(DATED_NO_YEAR, "utf-8")
    build = tmp_path / "build"
    out = cg(runner, "build", "--graph", str(graph), "--ontology", str(ONTOLOGY), "--out", str(build), "-q")
    assert out.exit_code == 0, out.output
    out = cg(runner, "entity", "IU", "--build", str(build))
    assert "24 January (year not stated)" in out.output and "--01-24" not in out.output, out.output
    page = Page(browser, CollabGraph.open(build).explore().write(tmp_path / "explorer.html"))
    page.page.fill("#cg-search", "IU")
    page.page.press("#cg-search", "Enter")
    text = page.details()
    assert "host (24 January (year not stated))" in text and "--01-24" not in text, text
    assert page.errors == []


def test_ingesting_a_reviewed_article_again_proposes_nothing_new(runner, walked):
    """The walkthrough's article ingested a second time read "it" as the Night Bus the first review made and
    proposed the cameo again as a new card, which could not be accepted ("not an entity of the graph"): a reading
    a person decided stands, and the article's queue stays empty."""
    graph, _ = walked
    before = {c["id"]: c["status"] for c in candidates(graph)}
    out = cg(runner, "ingest", str(ROOT / "docs" / "examples" / "night-bus.txt"), "--graph", str(graph),
             "--ontology", str(ONTOLOGY), "--published", "2026-03-06", "--url", "https://example.org/night-bus",
             "--title", "IU's new single gets a surprise cameo", "--publisher", "Invented Daily")
    assert out.exit_code == 0, out.output
    assert "(0 new," in out.output, out.output
    assert {c["id"]: c["status"] for c in candidates(graph)} == before


# -- the same words for one work in two sentences: each names-in from its own attestation -------------

_TWO = ["The drama “Harbour Lights” begins filming in May.", "Newcomer Lee Bo-ra appears in the drama as a ferry captain.",
        "The theme song of “Harbour Lights” was announced on Friday.",
        "Singer Min Ha-neul sings the drama's theme song, \"Tidewater\"."]



def _source_graph(graph, name: str, title: str, text: str, body: str) -> None:
    """``graph/name.txt`` holding ``text`` and ``graph/name.ttl``: its source document (checked against
    the text) and ``body`` (Turtle with the prefixes cg, role, id, fact, source, rdfs)."""
    import hashlib

    graph.mkdir(exist_ok=True)
    (graph / f"{name}.txt").write_text(text, "utf-8")
    (graph / f"{name}.ttl").write_text(f"""@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix role: <https://w3id.org/collabgraph/role/> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix fact: <https://w3id.org/collabgraph/fact/> .
@prefix source: <https://w3id.org/collabgraph/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
source:{name} a cg:SourceDocument ; rdfs:label {json.dumps(title)} ; cg:localPath "{name}.txt" ;
    cg:sha256 "{hashlib.sha256(text.encode()).hexdigest()}" .
""" + body, "utf-8")

def _two_described(tmp_path, *, named: bool):
    """An article whose two credits both write "the drama" for Harbour Lights, named in two other sentences;
    with ``named``, each attestation of "the drama" quotes its sentence and the one that names the work (as
    an accepted candidate records it), else only its own sentence (as `review add --words` records it)."""
    graph = tmp_path / "g"
    text = "Two join the cast\n\n" + " ".join(_TWO[:2]) + "\n\n" + " ".join(_TWO[2:]) + "\n"

    def q(s: str) -> str:
        return json.dumps(s, ensure_ascii=False)

    def att(n: int, said: str, naming: str) -> str:
        quotes = ", ".join(q(x) for x in ([said, naming] if named else [said]))
        return (f"fact:att-{n} a cg:Attestation ; cg:attests id:harbour ; cg:mentionedAs \"the drama\" ;\n"
                f"    cg:source source:two ; cg:quote {quotes} .\n")

    _source_graph(graph, "two", "Two join the cast", text, f"""id:lee a cg:Person ; rdfs:label "Lee Bo-ra"@en .
id:min a cg:Person ; rdfs:label "Min Ha-neul"@en .
id:harbour a cg:KDrama ; rdfs:label "Harbour Lights"@en .
fact:n1 a cg:Attestation ; cg:attests id:lee ; cg:name "Lee Bo-ra" ; cg:source source:two ; cg:quote {q(_TWO[1])} .
fact:n2 a cg:Attestation ; cg:attests id:min ; cg:name "Min Ha-neul" ; cg:source source:two ; cg:quote {q(_TWO[3])} .
fact:c1 a cg:Credit ; cg:agent id:lee ; cg:work id:harbour ; cg:role role:appearance ; cg:source source:two ;
    cg:quote {q(_TWO[1])} .
fact:c2 a cg:Credit ; cg:agent id:min ; cg:work id:harbour ; cg:role role:vocalist ; cg:source source:two ;
    cg:quote {q(_TWO[3])} .
{att(1, _TWO[1], _TWO[0])}{att(2, _TWO[3], _TWO[2])}""")
    return graph


@pytest.mark.parametrize("named", [True, False], ids=["with-the-naming-sentence", "own-sentence-only"])
def test_path_never_says_a_work_is_named_in_a_sentence_that_does_not_name_it(runner, tmp_path, named):
    """Two attestations of "the drama" for one work in one article: the sentence path gives as the one that
    names the work is that attestation's own naming sentence, never the other description's sentence (it was:
    the quotes of both were pooled); an attestation that records no naming sentence gives none."""
    graph = _two_described(tmp_path, named=named)
    build = tmp_path / "b"
    out = cg(runner, "build", "--graph", str(graph), "--ontology", str(ONTOLOGY), "--out", str(build), "-q")
    assert out.exit_code == 0, out.output
    out = cg(runner, "path", "Lee Bo-ra", "Min Ha-neul", "--build", str(build), "--format", "json")
    assert out.exit_code == 0, out.output
    [hop] = json.loads(out.output)
    said = {e["text"]: [d["named_in"] for d in e["described"]] for e in hop["evidence"]}
    assert said == ({_TWO[1]: [_TWO[0]], _TWO[3]: [_TWO[2]]} if named else {_TWO[1]: [], _TWO[3]: []}), said


def test_path_quotes_every_role_it_lists_for_a_side(runner, tmp_path):
    """A hop listing "B (appearance, producer)" quotes the sentence of each of B's credits on the work: it
    quoted only the first (a new user's walkthrough: the producer credit's sentence was never shown)."""
    said = ["Mira Seo released her new single Paper Umbrella on Thursday.", "The song was produced by Dongha Lim.",
            "Fans noticed Dongha Lim at the piano in the video for Paper Umbrella."]
    text = "A rainy ballad\n\n" + " ".join(said) + "\n"
    graph = tmp_path / "g"
    _source_graph(graph, "a", "A rainy ballad", text, f"""id:mira a cg:Person ; rdfs:label "Mira Seo"@en .
id:dongha a cg:Person ; rdfs:label "Dongha Lim"@en .
id:umbrella a cg:Single ; rdfs:label "Paper Umbrella"@en .
fact:c1 a cg:Credit ; cg:agent id:mira ; cg:work id:umbrella ; cg:role role:performer ; cg:source source:a ;
    cg:quote {json.dumps(said[0])} .
fact:c2 a cg:Credit ; cg:agent id:dongha ; cg:work id:umbrella ; cg:role role:producer ; cg:source source:a ;
    cg:quote {json.dumps(said[1])} .
fact:c3 a cg:Credit ; cg:agent id:dongha ; cg:work id:umbrella ; cg:role role:appearance ; cg:source source:a ;
    cg:quote {json.dumps(said[2])} .
fact:n1 a cg:Attestation ; cg:attests id:mira ; cg:name "Mira Seo" ; cg:source source:a ; cg:quote {json.dumps(said[0])} .
fact:n2 a cg:Attestation ; cg:attests id:dongha ; cg:name "Dongha Lim" ; cg:source source:a ;
    cg:quote {json.dumps(said[1])} .
fact:n3 a cg:Attestation ; cg:attests id:umbrella ; cg:name "Paper Umbrella" ; cg:source source:a ;
    cg:quote {json.dumps(said[0])} .
""")
    build = tmp_path / "b"
    out = cg(runner, "build", "--graph", str(graph), "--ontology", str(ONTOLOGY), "--out", str(build), "-q")
    assert out.exit_code == 0, out.output
    out = cg(runner, "path", "Mira Seo", "Dongha Lim", "--build", str(build))
    assert out.exit_code == 0, out.output
    assert "Dongha Lim (appearance, producer)" in out.output
    for sentence in said:
        assert f"“{sentence}”" in out.output, out.output
