"""A journalist reviewing a day's articles (issue 20, item 3): a bulk accept limited to the
day's queue (`review accept --all --since`, and the page's queue filtered by day), a bulk
accept of a selection that takes pending candidates only, counts that add up, and a link to
an entity that another article's undone accept took away: shown by its name as a question
again, never accepted against the missing entity, and refused the other way round (an undo
that would take away what another article's accepted facts name)."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest

from collabgraph.cli import cli
from collabgraph.ingest.candidates import ArticleFile
from collabgraph.ingest.review import Review

from .conftest import DATA, ONTOLOGY
from .serving import open_review, serving_review
from .test_review import review_graph, run
from .test_review_queue import NIGHT_ID, copy, day, listed  # noqa: F401  (copy, day: fixtures, requested by name)

DAY = DATA / "review_day"
SUMMER_ID = "choi-woo-shik-cast-in-a-summer-film"


def statuses(graph: Path, article: str) -> dict[str, str]:
    return {c.id: c.status for c in ArticleFile.load(graph / "articles" / f"{article}.json").candidates}


# -- accept --all limited to the day's queue --------------------------------------------

def test_accept_all_since_today_leaves_the_older_articles_alone(runner, copy):
    older = statuses(copy, "winter-single")  # written before ingest kept a day: not today's
    assert "pending" in older.values()
    out = run(runner, copy, "accept", "--all", "--since", "today", "--format", "json")
    assert out.exit_code == 0, out.output
    done = json.loads(out.output)
    accepted = {c["id"] for c in done["changed"]}
    assert accepted and statuses(copy, "winter-single") == older
    day_ids = set(statuses(copy, NIGHT_ID)) | set(statuses(copy, SUMMER_ID))
    assert accepted <= day_ids and {c["id"] for c in done["skipped"]} <= day_ids
    # and the same filters as 'review list': --kind, and nothing left that fits says why
    again = run(runner, copy, "accept", "--all", "--since", "2999-01-01")
    assert again.exit_code == 0 and again.output.splitlines()[0] == (
        "accepted nothing: no pending candidate in the articles ingested since 2999-01-01")
    assert run(runner, copy, "accept", "--since", "today", "1234567890").exit_code == 2  # --since goes with --all


def test_accept_all_takes_the_kind_and_day_in_the_library(copy):
    result = Review(copy, ONTOLOGY).accept_all(since="today", kind="entity", article=SUMMER_ID)
    kinds = {c.id: c.kind for c in ArticleFile.load(copy / "articles" / f"{SUMMER_ID}.json").candidates}
    assert result.ids and {kinds[i] for i in result.ids} == {"entity"}
    assert statuses(copy, NIGHT_ID) == {i: "pending" for i in statuses(copy, NIGHT_ID)}


def test_a_bulk_accept_of_a_selection_takes_pending_candidates_only(copy):
    r = Review(copy, ONTOLOGY)
    summer = ArticleFile.load(copy / "articles" / f"{SUMMER_ID}.json").candidates
    ready = [c.id for c in summer if c.status == "pending" and not r.unresolved(c) and not r.untyped(c)]
    r.reject([ready[0]])
    result = Review(copy, ONTOLOGY).accept(ready, keep_going=True)
    assert statuses(copy, SUMMER_ID)[ready[0]] == "rejected"  # selected with the others: still rejected
    assert (ready[0], f"candidate {ready[0]} is rejected: a bulk accept takes pending candidates only") \
        in result.skipped
    assert set(result.ids) == set(ready[1:])


def test_accepting_an_accepted_candidate_again_counts_nothing(runner, copy):
    cid = next(c.id for c in ArticleFile.load(copy / "articles" / f"{SUMMER_ID}.json").candidates
               if c.rule == "new-name" and c.slots["entity"].type)
    assert run(runner, copy, "accept", cid).output.splitlines()[0] == "accepted 1"
    again = run(runner, copy, "accept", cid[:8])
    assert again.exit_code == 0
    assert again.output.splitlines()[:2] == ["accepted nothing: every candidate given is accepted already",
                                             f"skipped: candidate {cid} is already accepted"]


# -- a link to an entity an undo took away -----------------------------------------------

def ingest(runner, graph, name):
    out = runner.invoke(cli, ["ingest", str(DAY / f"{name}.txt"), "--graph", str(graph), "--published", "2026-12-06",
                              "--format", "json"])
    assert out.exit_code == 0, out.output


def by_rule(graph, article, rule):
    return next(c for c in ArticleFile.load(graph / "articles" / f"{article}.json").candidates if c.rule == rule)


@pytest.fixture(scope="module")
def undone(tmp_path_factory) -> Path:
    """Article A (paper-moon) accepted, so its new Lee Ha-eun and Paper Moon are in the graph;
    article B (moon-tour) ingested then, its names linked to them; then A's accept undone."""
    from click.testing import CliRunner

    runner = CliRunner()
    graph = review_graph(tmp_path_factory.mktemp("undone"))
    ingest(runner, graph, "paper-moon")
    written = by_rule(graph, "paper-moon", "written-by").id
    assert run(runner, graph, "accept", written, "--type", "agent=Person").exit_code == 0
    ingest(runner, graph, "moon-tour")
    linked = listed(runner, graph, "--article", "moon-tour")
    performer = next(c for c in linked if c["role"] == "performer")
    assert {s["state"] for s in performer["shown"]["slots"].values()} == {"linked"}
    assert performer["shown"]["what"] == "Lee Ha-eun performer on Paper Moon"
    assert run(runner, graph, "undo", written).exit_code == 0
    return graph


@pytest.fixture
def after_undo(undone, tmp_path) -> Path:
    shutil.copytree(undone.parent.parent, tmp_path / "u", symlinks=True)
    return tmp_path / "u" / "repo" / "graph"


def test_a_link_an_undo_took_away_shows_its_name_and_asks_again(runner, after_undo):
    found = listed(runner, after_undo, "--article", "moon-tour")
    whats = {c["shown"]["what"] for c in found}
    assert not any("id:" in w for w in whats), whats
    assert "Lee Ha-eun (was: Lee Ha-eun, undone: choose again) performer on Paper Moon " \
           "(was: Paper Moon, undone: choose again)" in whats
    performer = next(c for c in found if c["role"] == "performer")
    assert performer["shown"]["slots"]["agent"]["state"] == "choose"
    # never accepted against the missing entity: one by one or in bulk
    out = run(runner, after_undo, "accept", performer["id"])
    assert out.exit_code == 1 and len(out.output.strip().splitlines()) == 1
    assert "agent 'Lee Ha-eun' was linked to Lee Ha-eun, which the graph no longer has" in out.output
    bulk = run(runner, after_undo, "accept", "--all", "--article", "moon-tour", "--format", "json")
    assert bulk.exit_code == 0 and performer["id"] in {s["id"] for s in json.loads(bulk.output)["skipped"]}
    assert statuses(after_undo, "moon-tour")[performer["id"]] == "pending"
    assert "lee-ha-eun" not in (after_undo / "articles" / "moon-tour.ttl").read_text("utf-8")
    # a person's choice settles it: new entities, typed as the link had them
    new = run(runner, after_undo, "accept", performer["id"], "--new", "agent", "--new", "work")
    assert new.exit_code == 0, new.output
    ttl = (after_undo / "articles" / "moon-tour.ttl").read_text("utf-8")
    assert 'rdfs:label "Lee Ha-eun"@en' in ttl and 'rdfs:label "Paper Moon"@en' in ttl


def test_the_link_holds_again_once_the_accept_is_done_again_and_then_blocks_the_undo(runner, after_undo):
    written = by_rule(after_undo, "paper-moon", "written-by").id
    assert run(runner, after_undo, "accept", written).exit_code == 0
    performer = next(c for c in listed(runner, after_undo, "--article", "moon-tour") if c["role"] == "performer")
    assert performer["shown"]["what"] == "Lee Ha-eun performer on Paper Moon"
    assert run(runner, after_undo, "accept", performer["id"]).exit_code == 0
    before = (after_undo / "articles" / "paper-moon.ttl").read_bytes()
    out = run(runner, after_undo, "undo", written)
    assert out.exit_code == 1
    assert out.output.strip() == (
        f"error: undoing candidate(s) {written} of article paper-moon would take Lee Ha-eun (id:"
        f"{performer['slots']['agent']['link'].rsplit('/', 1)[1]}), Paper Moon (id:"
        f"{performer['slots']['work']['link'].rsplit('/', 1)[1]}) out of the graph, and the accepted candidate(s) "
        f"{performer['id'][:8]} of article moon-tour link to them: undo those first "
        f"('collabgraph review undo {performer['id'][:8]}'); nothing was changed")
    assert (after_undo / "articles" / "paper-moon.ttl").read_bytes() == before
    assert statuses(after_undo, "paper-moon")[written] == "accepted"


# -- the page ------------------------------------------------------------------------------

def test_the_page_shows_the_undone_link_by_name_and_a_new_entity_settles_it(after_undo, browser, tmp_path):
    performer = next(c for c in listed_lib(after_undo, "moon-tour") if c.role == "performer")
    with serving_review(after_undo, tmp_path / "build") as base:
        page, errors = open_review(browser, base)
        page.select_option("#article", "moon-tour")
        card = page.locator(f".card[data-id='{performer.id}']")
        assert card.locator(".what").text_content() == (
            "Lee Ha-eun (was: Lee Ha-eun, undone: choose again) performer on Paper Moon "
            "(was: Paper Moon, undone: choose again)")
        assert "id:" not in card.inner_text()
        for slot in ("agent", "work"):
            card.locator(f"select.choose[data-slot='{slot}']").select_option("new")
        card.locator(".accept").click()
        page.wait_for_selector("#status.ok, #status.error")
        assert page.locator("#status").get_attribute("class") == "ok", page.locator("#status").text_content()
        assert not errors
    assert statuses(after_undo, "moon-tour")[performer.id] == "accepted"


def listed_lib(graph, article):
    return ArticleFile.load(graph / "articles" / f"{article}.json").candidates


def test_the_queue_filtered_to_today_bulk_accepts_what_is_shown(copy, browser, tmp_path):
    older = statuses(copy, "winter-single")
    with serving_review(copy, tmp_path / "build") as base:
        page, errors = open_review(browser, base)
        assert page.locator("#article").input_value() == ""  # the queue
        page.select_option("#f-day", "today")
        page.select_option("#f-status", "pending")
        assert page.locator("#queue a").count() == 2
        shown = {page.locator(".card").nth(i).get_attribute("data-id") for i in range(page.locator(".card").count())}
        day_ids = set(statuses(copy, NIGHT_ID)) | set(statuses(copy, SUMMER_ID))
        assert shown and shown <= day_ids
        assert page.locator("#shown-count").text_content().endswith("from 2 of 3 articles")
        page.check("#pick-all")
        page.click("#accept-selected")
        page.wait_for_selector("#status.ok")
        said = page.locator("#status").text_content()
        left = page.locator("#status ul.skipped li").count()
        assert left  # those that need a person, one line each, saying why
        assert said.startswith(f"accepted {len(shown) - left} of {len(shown)} selected")
        assert f"; {left} left as they were:" in said
        assert not errors
    assert statuses(copy, "winter-single") == older
    after = statuses(copy, NIGHT_ID) | statuses(copy, SUMMER_ID)
    assert len({i for i in shown if after[i] == "accepted"}) == len(shown) - left
    assert {after[i] for i in day_ids - shown} <= {"pending"}


# -- what the walk through a day's articles tripped on ------------------------------------------

def test_a_name_confirmed_on_its_own_card_no_longer_asks_on_the_facts(runner, tmp_path):
    """Confirming "Park Seo-joon" once settles the article's facts that name him (accepted so);
    the list still said "confirm" on them, as if nothing had been decided."""
    graph = review_graph(tmp_path)
    ingest(runner, graph, "glass-garden")
    name = next(c for c in listed_lib(graph, "glass-garden") if c.kind == "entity"
                and c.slots["entity"].text == "Park Seo-joon")
    fact = next(c for c in listed_lib(graph, "glass-garden") if c.kind == "credit" and "agent" in c.slots
                and c.slots["agent"].text == "Park Seo-joon")
    assert "confirm" in listed_by_id(runner, graph)[fact.id]["shown"]["what"]
    assert run(runner, graph, "accept", name.id, "--link", "entity=id:park-seo-joon").exit_code == 0
    shown = listed_by_id(runner, graph)[fact.id]["shown"]
    assert shown["what"] == "Park Seo-joon actor on Glass Garden (new K-drama)"
    assert shown["slots"]["agent"]["state"] == "linked" and shown["slots"]["agent"]["how"] == "chosen by a person"


def listed_by_id(runner, graph) -> dict[str, dict]:
    return {c["id"]: c for c in listed(runner, graph)}


def test_the_rules_of_the_patterns_read_as_words(runner, after_undo):
    produced = next(c for c in listed(runner, after_undo, "--article", "moon-tour") if c["rule"] == "produced")
    assert produced["shown"]["rule"] == "“X produced W”"


def test_the_page_names_an_article_ingested_without_a_title_by_its_headline(after_undo, browser, tmp_path):
    with serving_review(after_undo, tmp_path / "build") as base:
        page = browser.new_page()
        page.goto(f"{base}/review")
        page.wait_for_selector("#queue a")
        assert page.locator("#queue a[data-article='moon-tour']").text_content() == (
            'Lee Ha-eun Announces Winter Tour After "Paper Moon" Success')
        assert page.locator("#article option[value='moon-tour']").text_content() == (
            'Lee Ha-eun Announces Winter Tour After "Paper Moon" Success (3 pending)')
        assert page.locator("#title").text_content() == "All articles"


def test_the_page_confirms_a_proposed_known_name_in_one_click(runner, tmp_path, browser):
    """"known name, nothing else in the article backs it: confirm" asked for a confirmation the card
    could only give through a list of one entity; the card now has a button that confirms it."""
    graph = review_graph(tmp_path)
    ingest(runner, graph, "glass-garden")
    name = next(c for c in listed_lib(graph, "glass-garden") if c.kind == "entity"
                and c.slots["entity"].text == "Park Seo-joon")
    with serving_review(graph, tmp_path / "build") as base:
        page = browser.new_page()
        page.goto(f"{base}/review")
        page.wait_for_selector(f".card[data-id='{name.id}']")
        button = page.locator(f".card[data-id='{name.id}'] button.confirm")
        assert button.text_content() == "Confirm: Park Seo-joon"
        button.click()
        page.wait_for_selector("#status.ok")
        fact = next(c for c in listed(runner, graph, "--article", "glass-garden")
                    if c["kind"] == "credit" and c["slots"]["agent"]["text"] == "Park Seo-joon")
        assert page.locator(f".card[data-id='{fact['id']}'] .what").text_content() == (
            "Park Seo-joon actor on Glass Garden (new K-drama)")
    accepted = ArticleFile.load(graph / "articles" / "glass-garden.json").candidates
    assert next(c for c in accepted if c.id == name.id).slots["entity"].link.endswith("/park-seo-joon")


def test_review_articles_lists_the_day_s_articles_with_counts_that_add_up(runner, copy, after_undo):
    out = run(runner, copy, "articles", "--format", "json")
    assert out.exit_code == 0, out.output
    found = json.loads(out.output)
    assert [a["id"] for a in found] == ["winter-single", SUMMER_ID, NIGHT_ID]  # by ingest day (undated first), id
    for a in found:
        assert a["pending"] + a["accepted"] + a["edited"] + a["rejected"] == a["candidates"] == len(
            statuses(copy, a["id"]))
    assert found[0]["ingested"] is None and found[2]["title"] == "IU's new single gets a surprise cameo"
    today = json.loads(run(runner, copy, "articles", "--since", "today", "--format", "json").output)
    assert [a["id"] for a in today] == [SUMMER_ID, NIGHT_ID]
    table = run(runner, copy, "articles", "--since", "today")
    hint = f"collabgraph review list --graph {shlex.quote(str(copy))} --status pending --since today"
    assert table.output.splitlines()[-1] == f"{sum(a['pending'] for a in today)} candidate(s) pending in 2 of 2 " \
                                            f"article(s): {hint}"
    # the hint names the graph worked on, so it runs as printed and lists that day's pending candidates
    hinted = runner.invoke(cli, shlex.split(hint)[1:] + ["--format", "json"])
    assert hinted.exit_code == 0, hinted.output
    assert len(json.loads(hinted.output)) == sum(a["pending"] for a in today)
    # an article ingested without --title is named by its headline
    tour = next(a for a in json.loads(run(runner, after_undo, "articles", "--format", "json").output)
                if a["id"] == "moon-tour")
    assert tour["title"] == 'Lee Ha-eun Announces Winter Tour After "Paper Moon" Success'
