"""Issue 20, review and citation trust: a candidate's quote is the sentence review names.

A list item's number ("1.") was a sentence of its own and its title line was read into the next
line's sentence; a caption's photo credit was quoted with it; "(dir. Kim Ha-neul)" ended a sentence
at "dir.". Review then showed "sentence N" over a quote of another sentence, or of two. Now every
candidate's quote is the text between its offsets and lies inside the sentence ``review sentences``
numbers and ``review list`` shows, or, for a side quoted from the sentence before, the two it names
("5-6"). The article is one we wrote (tests/data/review_quotes/)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from collabgraph.cli import cli

from .conftest import ONTOLOGY, ROOT
from .layout import lay_out
from .serving import open_review, serving_review

ARTICLE = ROOT / "tests" / "data" / "review_quotes" / "cameo-list.txt"
AID = "five-music-video-cameos-we-loved-this-spring"


def cg(runner, *args):
    out = runner.invoke(cli, list(args))
    assert out.exit_code == 0, out.output
    return out.output


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """The article ingested into a copy of graph/: (graph, text, numbered sentences, candidates)."""
    graph = lay_out(tmp_path_factory.mktemp("quotes"), files=None)
    runner = CliRunner()
    cg(runner, "ingest", str(ARTICLE), "--graph", str(graph), "--ontology", str(ONTOLOGY), "--published", "2026-05-02",
       "--title", "Five Music Video Cameos We Loved This Spring")
    sents = json.loads(cg(runner, "review", "sentences", AID, "--graph", str(graph), "--format", "json"))
    listed = json.loads(cg(runner, "review", "list", "--article", AID, "--graph", str(graph), "--format", "json"))
    text = (graph / "articles" / f"{AID}.txt").read_text("utf-8")
    return graph, text, sents, listed


def test_every_quote_is_the_sentence_review_shows_it_under(reviewed):
    _, text, sents, listed = reviewed
    assert listed
    for c in listed:
        assert text[c["start"]:c["end"]] == c["sentence"], c["id"]
        first, _, last = (c["shown"].get("sentences") or str(c["shown"]["sentence"])).partition("-")
        assert int(first) == c["shown"]["sentence"]
        lo, hi = sents[int(first) - 1], sents[int(last or first) - 1]
        assert lo["start"] <= c["start"] and c["end"] <= hi["end"], (c["id"], c["sentence"], lo, hi)
        if not last:  # one sentence: the quote holds no other
            assert not any(c["start"] < s["start"] < c["end"] for s in sents), (c["id"], c["sentence"])
    quotes = {c["sentence"] for c in listed if c["kind"] == "credit"}
    # a list item's line, and a caption without its photo credit: each the one sentence it is numbered
    assert {"1. V in Peakboy’s “Night Owl”", "2. Choi Woo-shik in Nari’s “Paper Jet”",
            "Photo: IU and Park Seo-joon on the set of “Slow Tide.”"} <= quotes
    assert not any("Invented Pictures" in q for q in quotes)


def test_a_list_number_a_title_line_and_dir_do_not_cut_or_join_sentences(reviewed):
    _, _, sents, _ = reviewed
    said = [s["sentence"] for s in sents]
    assert "1. V in Peakboy’s “Night Owl”" in said
    assert "The singer shows up as a clerk on the night shift, handing out coffee nobody ordered." in said
    assert "3. Park Hyung-sik in EDEN’s “Honey Rain” (dir. Kim Ha-neul)" in said
    assert ["By Dana Ortiz", "May 2, 2026"] == said[1:3]


def test_a_side_quoted_from_the_sentence_before_is_shown_under_both_sentences(reviewed):
    graph, _, sents, listed = reviewed
    star = next(c for c in listed if c["kind"] == "credit" and c["sentence"].startswith("The drama “Salt Road”"))
    n = next(s["n"] for s in sents if s["sentence"] == "The drama “Salt Road” premieres in June.")
    assert star["shown"]["sentences"] == f"{n}-{n + 1}" and star["shown"]["sentence"] == n
    assert sents[n]["sentence"] == "Park Hyung-sik stars as a ferry captain."
    shown = cg(CliRunner(), "review", "show", star["id"], "--graph", str(graph))
    assert f"sentences {n}-{n + 1} (characters {star['start']}-{star['end']})" in shown
    table = cg(CliRunner(), "review", "list", "--article", AID, "--graph", str(graph))
    assert any(line.startswith(star["id"]) and f" {n}-{n + 1} " in line for line in table.splitlines())



def test_the_page_shows_each_card_under_the_sentences_its_quote_runs_over(reviewed, tmp_path, browser):
    graph, _, sents, listed = reviewed
    star = next(c for c in listed if c["kind"] == "credit" and c["sentence"].startswith("The drama “Salt Road”"))
    item = next(c for c in listed if c["kind"] == "credit" and c["sentence"] == "1. V in Peakboy’s “Night Owl”")
    with serving_review(graph, tmp_path / "build") as base:
        page, errors = open_review(browser, base)
        page.select_option("#article", AID)
        page.wait_for_selector(f".card[data-id='{star['id']}']")
        across = page.locator(f".card[data-id='{star['id']}'] .from").inner_text()
        one = page.locator(f".card[data-id='{item['id']}'] .from").inner_text()
    n = star["shown"]["sentence"]
    assert across.endswith(f" · sentences {n}-{n + 1}"), across
    assert one.endswith(f" · sentence {item['shown']['sentence']}"), one
    assert sents[item["shown"]["sentence"] - 1]["sentence"] == item["sentence"]
    assert not errors


# -- a fact a person adds from the words of a sentence: the sentence naming its new work is recorded --

NIGHT_BUS = "iu-s-new-single-gets-a-surprise-cameo"
NAMED = "named in: “IU released her new single Night Bus on Friday.”"


def _night_bus_build(tmp_path):
    """Night Bus's article ingested, two facts added with "the video" for the new single, built: the
    CliRunner and the build."""
    graph = lay_out(tmp_path, files=None)
    runner = CliRunner()
    g = ("--graph", str(graph))
    cg(runner, "ingest", str(ROOT / "docs" / "examples" / "night-bus.txt"), *g, "--ontology", str(ONTOLOGY),
       "--published", "2026-03-06", "--title", "IU's new single gets a surprise cameo", "--publisher", "Invented Daily")
    cg(runner, "review", "add", NIGHT_BUS, *g, "--sentence", "6", "--agent", "Park Hyung-sik", "--work", "Night Bus",
       "--type", "work=Single", "--words", "work=the video", "--role", "cameo", "--accept")
    cg(runner, "review", "add", NIGHT_BUS, *g, "--sentence", "4", "--agent", "Ahn Ji-won", "--type", "agent=Person",
       "--work", "Night Bus", "--words", "work=The video", "--role", "director", "--accept")
    named = [c for c in json.loads(cg(runner, "review", "list", *g, "--kind", "entity", "--format", "json"))
             if c["slots"]["entity"]["text"] == "Night Bus"]
    assert [c["status"] for c in named] == ["accepted"] and named[0]["shown"]["sentence"] == 3
    cg(runner, "build", *g, "--ontology", str(ONTOLOGY), "--out", str(tmp_path / "build"), "-q")
    return runner, tmp_path / "build"


def test_words_added_for_a_new_work_are_explained_by_path_with_the_sentence_naming_it(tmp_path):
    """`review add --words work=the video` for the new Night Bus: the sentence naming Night Bus (ingest's
    proposed name, sentence 3) is accepted with the fact, so `path` says what "the video" stands for."""
    runner, build = _night_bus_build(tmp_path)
    path = cg(runner, "path", "Ahn Ji-won", "Park Hyung-sik", "--build", str(build))
    assert f"“the video” is Night Bus, {NAMED}" in path, path
    assert f"“The video” is Night Bus, {NAMED}" in path, path


def test_the_explorer_says_what_the_words_stand_for_as_path_does(tmp_path, browser):
    """The page's path mode and a node's details show, under a quote that writes "the video" for Night Bus,
    the sentence naming Night Bus, as `collabgraph path` prints it; each role of a hop has its words."""
    runner, build = _night_bus_build(tmp_path)
    page_file = tmp_path / "explorer.html"
    cg(runner, "explore", "--build", str(build), "--out", str(page_file))
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.resolve().as_uri())
    page.wait_for_selector("body[data-idle=\"1\"]", state="attached", timeout=30_000)
    page.fill("#cg-path-from", "Ahn Ji-won")
    page.fill("#cg-path-to", "Park Hyung-sik")
    page.click("#cg-path-go")
    page.wait_for_selector("#cg-path-result .cg-named-in", timeout=10_000)
    shown = page.inner_text("#cg-path-result")
    cli_path = cg(runner, "path", "Ahn Ji-won", "Park Hyung-sik", "--build", str(build))
    for line in cli_path.splitlines():
        if "named in:" in line or line.strip().startswith("“"):
            assert line.strip() in shown, (line, shown)
    assert f"“the video” is Night Bus, {NAMED}" in shown and f"“The video” is Night Bus, {NAMED}" in shown
    # the same under the quotes of Night Bus's details (found by the search box)
    page.click("#cg-path-clear")
    page.fill("#cg-search", "Night Bus")
    page.press("#cg-search", "Enter")
    page.wait_for_selector("#cg-details .cg-named-in", timeout=10_000)
    assert f"“the video” is Night Bus, {NAMED}" in page.inner_text("#cg-details")
    assert errors == []
    page.close()


def test_words_for_a_new_work_no_reader_proposed_still_bring_the_sentence_naming_it(tmp_path):
    """The article names the song "Sleepwalker in the rain", which the name finder cuts to "Sleepwalker": the
    person's Sleepwalker in the rain is found where the article names it (as written, case and all), and that
    sentence is recorded with the words standing for it."""
    graph = lay_out(tmp_path, files=None)
    runner = CliRunner()
    g = ("--graph", str(graph))
    aid = "peakboy-drops-a-surprise-song"
    song = "Sleepwalker in the rain"
    cg(runner, "ingest", str(ROOT / "tests" / "data" / "review_quotes" / "sleepwalker.txt"), *g, "--ontology",
       str(ONTOLOGY), "--published", "2026-05-02", "--title", "Peakboy drops a surprise song")
    before = json.loads(cg(runner, "review", "list", *g, "--format", "json"))
    assert not any((m["label"] or m["text"]) == song for c in before for m in c["slots"].values())
    cg(runner, "review", "add", aid, *g, "--sentence", "3", "--agent", "Park Hyung-sik", "--work", song,
       "--type", "work=Song", "--words", "work=the video", "--role", "cameo", "--accept")
    cg(runner, "review", "add", aid, *g, "--sentence", "4", "--agent", "Kim Da-som", "--type", "agent=Person",
       "--work", song, "--words", "work=the video", "--role", "director", "--accept")
    named = [c for c in json.loads(cg(runner, "review", "list", *g, "--kind", "entity", "--format", "json"))
             if (c["slots"]["entity"]["label"] or c["slots"]["entity"]["text"]) == song]
    assert [(c["status"], c["shown"]["sentence"], c["slots"]["entity"]["text"]) for c in named] == \
        [("accepted", 2, song)]
    cg(runner, "build", *g, "--ontology", str(ONTOLOGY), "--out", str(tmp_path / "build"), "-q")
    path = cg(runner, "path", "Kim Da-som", "Park Hyung-sik", "--build", str(tmp_path / "build"))
    assert path.count(f"“the video” is {song}, named in: “The new song by Peakboy, {song}, came out on "
                      "Friday.”") == 2, path


HARBOR = """Vance joins Harbor Lights

Eleanor M. Vance has joined the cast of Harbor Lights, the seaside drama from director Marcus T. Okafor.

Daniel J. Whitlock also stars in Harbor Lights.

Okafor wrote the screenplay of Harbor Lights with Whitlock.
"""


def test_a_surname_is_explained_under_the_sentence_writing_it_never_under_the_one_naming_the_person(tmp_path):
    """`path` says "“Okafor” is Marcus T. Okafor, named in: <the sentence naming him in full>" under the quote
    that writes only "Okafor"; under the sentence that names him in full there is no such line (it named the
    sentence it was quoted from: a new user's walkthrough). And "wrote the screenplay of W" is no song credit."""
    graph = lay_out(tmp_path, files=None)
    (tmp_path / "harbor.txt").write_text(HARBOR, "utf-8")
    runner = CliRunner()
    g = ("--graph", str(graph))
    cg(runner, "ingest", str(tmp_path / "harbor.txt"), *g, "--ontology", str(ONTOLOGY), "--published", "2026-10-13")
    listed = json.loads(cg(runner, "review", "list", *g, "--format", "json"))
    assert not [c for c in listed if c["role"] == "songwriter"], [c["role"] for c in listed]
    credits = [c["id"] for c in listed if c["kind"] == "credit"]
    cg(runner, "review", "accept", *g, *credits, "--type", "agent=Person")
    cg(runner, "review", "accept", *g, "--all")
    cg(runner, "build", *g, "--ontology", str(ONTOLOGY), "--out", str(tmp_path / "build"), "-q")
    path = cg(runner, "path", "Marcus T. Okafor", "Daniel J. Whitlock", "--build", str(tmp_path / "build"))
    lines = [line.strip() for line in path.splitlines()]
    full = "“Eleanor M. Vance has joined the cast of Harbor Lights, the seaside drama from director Marcus T. Okafor.”"
    short = "“Okafor wrote the screenplay of Harbor Lights with Whitlock.”"
    named = "“Daniel J. Whitlock also stars in Harbor Lights.”"
    assert full in lines and short in lines and named in lines, path
    below = {q: lines[lines.index(q) + 1:] for q in (full, short, named)}
    assert not below[full][0].startswith("“Okafor” is"), path
    assert f"“Okafor” is Marcus T. Okafor, named in: {full}" in below[short][:2], path
    assert f"“Whitlock” is Daniel J. Whitlock, named in: {named}" in below[short][:2], path
    assert not below[named][0].startswith("“Whitlock” is"), path


SALT = """Vance joins Harbor Lights

Eleanor M. Vance has joined the cast of Harbor Lights, the seaside drama from director Marcus T. Okafor.

Okafor previously directed the 2019 thriller Salt Road, which also starred Daniel J. Whitlock.
"""


def test_a_proposed_name_accepted_for_a_fact_a_person_added_is_that_fact_s_entity(tmp_path):
    """Ingest proposes "Salt Road" untyped; a person adds "Okafor directed Salt Road" with --type work=Film and the
    proposal is accepted with it: one Salt Road, a film (it was a second entity, a bare agent: a new user's
    walkthrough)."""
    graph = lay_out(tmp_path, files=None)
    (tmp_path / "salt.txt").write_text(SALT, "utf-8")
    runner = CliRunner()
    g = ("--graph", str(graph))
    cg(runner, "ingest", str(tmp_path / "salt.txt"), *g, "--ontology", str(ONTOLOGY), "--published", "2026-10-13",
       "--title", "Vance joins")
    listed = json.loads(cg(runner, "review", "list", *g, "--format", "json"))
    director = next(c["id"] for c in listed if c["kind"] == "credit" and c["role"] == "director")
    assert any(c["kind"] == "entity" and c["slots"]["entity"]["text"] == "Salt Road" and
               not c["slots"]["entity"]["type"] for c in listed)
    cg(runner, "review", "accept", *g, director, "--type", "agent=Person", "--type", "work=Film")
    added = cg(runner, "review", "add", "vance-joins", *g, "--sentence", "3", "--agent", "Marcus T. Okafor",
               "--words", "agent=Okafor", "--work", "Salt Road", "--type", "work=Film", "--role", "director", "--accept")
    assert "(new Salt Road)" in added  # the proposal accepted with the fact
    cards = json.loads(cg(runner, "review", "list", *g, "--format", "json"))
    salt = next(c for c in cards if c["kind"] == "entity" and c["slots"]["entity"]["text"] == "Salt Road")
    assert salt["slots"]["entity"]["type"] == "Film" and "no type yet" not in salt["shown"]["what"], salt
    cg(runner, "build", *g, "--ontology", str(ONTOLOGY), "--out", str(tmp_path / "build"), "-q")
    found = json.loads(cg(runner, "search", "Salt Road", "--build", str(tmp_path / "build"), "--format", "json"))
    assert [(x["label"], x["types"]) for x in found if x["label"] == "Salt Road"] == [("Salt Road", ["cg:Film"])], found
