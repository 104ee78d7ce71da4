"""A journalist reviewing a day's articles (issue 20): one numbering of sentences
everywhere (ingest's report, `review sentences`, `review list`/`show`, the page),
a queue of every article's pending facts that says which article each is from,
filtered by article and by ingest day, and an undo that leaves no trace of the
entity the undone accept made."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from collabgraph.cli import cli
from collabgraph.ingest.candidates import ArticleFile

from .conftest import ONTOLOGY, ROOT
from .serving import open_review, serving_review
from .test_review import review_graph, run

NIGHT_BUS = ROOT / "docs" / "examples" / "night-bus.txt"
SUMMER = ROOT / "docs" / "examples" / "summer-letters.txt"
NIGHT_ID = "iu-s-new-single-gets-a-surprise-cameo"


def ingest(runner, graph, *args):
    out = runner.invoke(cli, ["ingest", *args, "--graph", str(graph), "--format", "json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


@pytest.fixture(scope="module")
def day(tmp_path_factory) -> Path:
    """The review fixture's graph with two of the day's articles ingested (once for the module)."""
    from click.testing import CliRunner

    graph = review_graph(tmp_path_factory.mktemp("day"))
    runner = CliRunner()
    ingest(runner, graph, str(NIGHT_BUS), "--published", "2026-03-06", "--title", "IU's new single gets a surprise cameo",
           "--publisher", "Invented Daily")
    ingest(runner, graph, str(SUMMER), "--published", "2026-11-20", "--title", "Choi Woo-shik cast in a summer film")
    return graph


@pytest.fixture
def copy(day, tmp_path) -> Path:
    """A copy of the day's graph that a test may change."""
    shutil.copytree(day.parent.parent, tmp_path / "d", symlinks=True)
    return tmp_path / "d" / "repo" / "graph"


def listed(runner, graph, *args) -> list[dict]:
    out = run(runner, graph, "list", "--format", "json", *args)
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_ingest_counts_the_sentences_review_numbers(runner, tmp_path):
    graph = review_graph(tmp_path)
    report = ingest(runner, graph, str(NIGHT_BUS), "--published", "2026-03-06",
                    "--title", "IU's new single gets a surprise cameo")
    out = run(runner, graph, "sentences", NIGHT_ID, "--format", "json")
    numbered = json.loads(out.output)
    assert report["sentences"] == len(numbered) == 6 and report["set_aside"] == 1  # the headline
    assert numbered[0]["sentence"] == "IU's new single gets a surprise cameo"
    table = runner.invoke(cli, ["ingest", str(NIGHT_BUS), "--graph", str(graph), "--published", "2026-03-06",
                                "--title", "IU's new single gets a surprise cameo"])
    assert f"article {NIGHT_ID}: 6 sentences (1 headline, byline or caption)," in table.output


def test_list_show_and_the_page_data_give_each_candidate_its_sentence_number(runner, day):
    numbered = {s["n"]: s["sentence"] for s in json.loads(run(runner, day, "sentences", NIGHT_ID, "--format", "json").output)}
    found = listed(runner, day, "--article", NIGHT_ID)
    assert found and {c["shown"]["sentence"] for c in found} >= {3, 4, 5}
    for c in found:
        assert c["sentence"] in numbered[c["shown"]["sentence"]]
    directed = next(c for c in found if c["rule"] == "directed-by")
    assert numbered[directed["shown"]["sentence"]] == "The video was directed by Ahn Ji-won."
    table = run(runner, day, "list", "--article", NIGHT_ID).output.splitlines()
    assert table[0].split()[:3] == ["id", "sentence", "status"]
    assert any(line.startswith(directed["id"]) and line.split()[1] == "4" for line in table)
    show = run(runner, day, "show", directed["id"][:8])
    assert f"article {NIGHT_ID}, sentence 4 (characters" in show.output
    from collabgraph.ingest.review import Review
    from collabgraph.web.review import _review_data

    page = _review_data(Review(day, ONTOLOGY))
    cards = {c["id"]: c for a in page["articles"] for c in a["candidates"]}
    assert cards[directed["id"]]["shown"]["sentence"] == 4


def test_the_queue_lists_every_article_saying_which_and_filters_by_article(runner, day):
    pending = listed(runner, day, "--status", "pending")
    assert {c["article"] for c in pending} == {NIGHT_ID, "choi-woo-shik-cast-in-a-summer-film", "winter-single"}
    table = run(runner, day, "list", "--status", "pending").output.splitlines()
    assert table[0].split()[:3] == ["article", "id", "sentence"]
    for c in pending:
        row = next(line for line in table if c["id"] in line)
        assert row.split()[0] == c["article"]
    one = listed(runner, day, "--article", "choi-woo-shik-cast-in-a-summer-film")
    assert one and {c["article"] for c in one} == {"choi-woo-shik-cast-in-a-summer-film"}
    assert not run(runner, day, "list", "--article", NIGHT_ID).output.startswith("article")  # one article: no column


def test_since_lists_the_articles_ingested_that_day(runner, day):
    today = listed(runner, day, "--since", "today", "--status", "pending")
    # the fixture's winter-single.json was written by hand, before ingest kept the day
    assert {c["article"] for c in today} == {NIGHT_ID, "choi-woo-shik-cast-in-a-summer-film"}
    assert {c["article"] for c in listed(runner, day, "--since", "yesterday")} == {c["article"] for c in today}
    later = run(runner, day, "list", "--since", "2999-01-01")
    assert later.exit_code == 0 and "no candidates fit these filters" in later.output
    bad = run(runner, day, "list", "--since", "last week")
    assert bad.exit_code == 1 and bad.output.strip().splitlines() == [
        "error: --since 'last week': give a day, YYYY-MM-DD, or 'today' or 'yesterday'"]


def test_undo_of_the_accept_that_made_an_entity_leaves_no_bare_id(runner, copy):
    """A fact added while another accepted fact had made "Ahn Ji-won" linked the entity that
    accept minted; undoing the accept removed it, and the list showed id:ahn-ji-won-..."""
    first = runner.invoke(cli, ["review", "add", NIGHT_ID, "--graph", str(copy), "--sentence", "4",
                                "--agent", "Ahn Ji-won", "--type", "agent=Person", "--work", "Night Bus",
                                "--type", "work=Single", "--words", "work=The video", "--role", "director",
                                "--accept", "--format", "json"])
    assert first.exit_code == 0, first.output
    first_id = json.loads(first.output)["changed"][0]["id"]
    before = {c["id"]: c["shown"]["what"] for c in listed(runner, copy, "--article", NIGHT_ID)}
    second = runner.invoke(cli, ["review", "add", NIGHT_ID, "--graph", str(copy), "--sentence", "4",
                                 "--agent", "Ahn Ji-won", "--work", "Night Bus", "--words", "work=The video",
                                 "--role", "music video director", "--format", "json"])
    assert second.exit_code == 0, second.output
    second_id = json.loads(second.output)["changed"][0]["id"]
    with_it = {c["id"]: c for c in listed(runner, copy, "--article", NIGHT_ID)}
    assert with_it[second_id]["slots"]["agent"]["link"] is None  # one of the article's new names, not the minted IRI
    undo = run(runner, copy, "undo", first_id)
    assert undo.exit_code == 0, undo.output
    after = {c["id"]: c["shown"]["what"] for c in listed(runner, copy, "--article", NIGHT_ID)}
    assert not any("id:" in what for what in after.values()), after
    assert {i: w for i, w in after.items() if i in before} == before
    assert after[second_id] == "Ahn Ji-won (new person) music video director on Night Bus (stands for the new Night Bus)"
    both = run(runner, copy, "accept", first_id, second_id)  # one new person, minted once for both facts
    assert both.exit_code == 0, both.output
    ttl = (copy / "articles" / f"{NIGHT_ID}.ttl").read_text("utf-8")
    assert ttl.count('rdfs:label "Ahn Ji-won"@en') == 1
    names = {n["name"]: n for n in __import__("collabgraph.ingest.review", fromlist=["Review"]).Review(
        copy, ONTOLOGY).names("Ahn", article=NIGHT_ID)}
    assert names["Ahn Ji-won"]["from"] == "article" and names["Ahn Ji-won"]["id"] is None


def test_an_article_written_before_ingest_kept_its_day_still_loads(day):
    af = ArticleFile.load(day / "articles" / "winter-single.json")
    assert af.article.ingested is None
    assert ArticleFile.load(day / "articles" / f"{NIGHT_ID}.json").article.ingested


# -- the page --------------------------------------------------------------------------

@pytest.fixture
def queue_server(copy, tmp_path):
    with serving_review(copy, tmp_path / "build") as base:
        yield base, copy


def test_the_page_opens_on_the_queue_and_each_card_says_its_article_and_sentence(queue_server, browser, runner):
    base, graph = queue_server
    page, errors = open_review(browser, base)
    total = sum(1 for _ in listed(runner, graph, "--status", "pending"))
    assert page.locator("#article option").first.text_content() == f"All articles ({total} pending)"
    directed = next(c for c in listed(runner, graph, "--article", NIGHT_ID) if c["rule"] == "directed-by")
    card = page.locator(f".card[data-id='{directed['id']}']")
    assert card.locator(".from").text_content() == "IU's new single gets a surprise cameo · sentence 4"
    articles = {page.locator(".card .from").nth(i).text_content().split(" · ")[0]
                for i in range(page.locator(".card").count())}
    assert articles == {"IU's new single gets a surprise cameo", "Choi Woo-shik cast in a summer film",
                        "Winter single brings old friends together"}
    assert page.locator("#queue a").count() == 3
    # filter by article: the queue's link (or the list) shows that article's text and only its cards
    page.click("#queue a[data-article='choi-woo-shik-cast-in-a-summer-film']")
    page.wait_for_selector("#text .sentence")
    shown = {page.locator(".card .from").nth(i).text_content().split(" · ")[0]
             for i in range(page.locator(".card").count())}
    assert shown == {"Choi Woo-shik cast in a summer film"}
    # a change made from the queue keeps the queue
    page.select_option("#article", "")
    page.locator(f".card[data-id='{directed['id']}'] .reject").click()
    page.wait_for_selector("#status.ok")
    assert page.locator("#article").input_value() == ""
    assert page.locator(f".card[data-id='{directed['id']}']").get_attribute("data-status") == "rejected"
    assert not errors


def test_the_walkthrough_screenshot_is_made_from_the_real_page(tmp_path):
    """docs/review-add.png is made by docs/review_screenshot.py: the form filled on sentence 6, then
    "Add and accept" answers with the id docs/journalist.md quotes."""
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Chromium is missing: run 'bash .ci/system-packages'")
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, str(ROOT / "docs" / "review_screenshot.py"), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    said = "added accepted 03b56f3980fcce81; wrote articles/iu-s-new-single-gets-a-surprise-cameo.ttl"
    assert said in done.stdout
    assert f"`{said} (run collabgraph build)`" in " ".join((ROOT / "docs" / "journalist.md").read_text("utf-8").split())
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000


def test_a_missing_article_text_leaves_the_list_and_the_page_data_whole(runner, copy):
    (copy / "articles" / "choi-woo-shik-cast-in-a-summer-film.txt").unlink()
    out = run(runner, copy, "list", "--article", "choi-woo-shik-cast-in-a-summer-film")
    assert out.exit_code == 0 and out.output.splitlines()[2].split()[1] == "?", out.output
    from collabgraph.ingest.review import Review
    from collabgraph.web.review import _review_data

    page = _review_data(Review(copy, ONTOLOGY))
    summer = next(a for a in page["articles"] if a["article"]["id"] == "choi-woo-shik-cast-in-a-summer-film")
    assert "text is missing" in summer["problem"] and {c["shown"]["sentence"] for c in summer["candidates"]} == {None}
