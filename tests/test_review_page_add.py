"""The review page in Chromium (issue 20, part 3): add a missed fact from a
sentence with autocomplete and a type, filters, bulk accept, undo, success
shown as success, linked mentions highlighted, hostile names as text, and no
request but to its own server."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from .test_review import DIRECTED, FEATURING, ID, JOINED, MEMBER_V, PLAYED, candidates
from .test_review_page import open_page, post, review_server  # noqa: F401  (the fixture)


def select_words(page, n, words):
    """Select ``words`` inside sentence ``n`` of the text, as a mouse would, and release."""
    page.evaluate("""([n, words]) => {
        const span = document.querySelector(`#text .sentence[data-n="${n}"]`);
        const walker = document.createTreeWalker(span, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const i = node.textContent.indexOf(words);
            if (i >= 0) {
                const range = document.createRange();
                range.setStart(node, i); range.setEnd(node, i + words.length);
                const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
                span.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
                return;
            }
        }
        throw new Error("words not in the sentence: " + words);
    }""", [n, words])


def test_add_a_missed_fact_with_autocomplete_and_a_type(review_server, browser):
    base, graph = review_server
    page, requests, errors = open_page(browser, base)
    select_words(page, 5, "Um Tae-hwa")
    page.wait_for_selector("#add.open")
    assert page.input_value("#add-agent") == "Um Tae-hwa"
    page.wait_for_selector("#add-agent-known:has-text('new: choose its type')")
    page.select_option("#add-agent-type", "Person")
    page.fill("#add-work", "love wins")
    # the autocomplete offers the graph's names and the article's mentions
    page.wait_for_selector("#names-work option:nth-child(2)", state="attached")
    offered = page.eval_on_selector_all("#names-work option", "os => os.map(o => o.value)")
    assert "Love wins all music video" in offered and "Love Wins" in offered
    # the sentence writes "The music video" for it: those words first (a side it does not write is refused)
    page.check("input[name=fill][value=work]")
    select_words(page, 5, "The music video")
    page.fill("#add-work", "Love wins all music video")
    page.wait_for_selector("#add-work-known:has-text('known: Love wins all music video')")
    page.fill("#add-role", "music video director")
    page.click("#add-accept")
    page.wait_for_selector("#status.ok:has-text('added')")
    added = [c for c in candidates(graph).values() if c.rule == "person"]
    assert len(added) == 1 and added[0].status == "accepted" and added[0].role == "musicVideoDirector"
    assert added[0].slots["work"].link == str(ID["love-wins-all-mv"])
    assert added[0].slots["agent"].type == "Person" and added[0].slots["agent"].text == "Um Tae-hwa"
    card = page.locator(f".card[data-id='{added[0].id}']")
    assert card.get_attribute("data-status") == "accepted"
    assert "found by added by a person" in card.text_content()
    assert errors == [] and {r.split("?")[0] for r in requests} <= {
        f"{base}/review", f"{base}/review.json", f"{base}/review/names.json", f"{base}/review/add"}
    page.close()


def test_filters_bulk_accept_and_undo(review_server, browser):
    base, graph = review_server
    page, requests, errors = open_page(browser, base)
    page.select_option("#f-kind", "membership")
    assert sorted(page.eval_on_selector_all(".card", "cs => cs.map(c => c.dataset.kind)")) == ["membership"] * 2
    page.select_option("#f-kind", "")
    page.fill("#f-score", "0.9")
    shown = set(page.eval_on_selector_all(".card", "cs => cs.map(c => c.dataset.id)"))
    assert shown == {FEATURING, PLAYED, JOINED}
    page.check("#pick-all")
    page.click("#accept-selected")
    # the two that can be accepted are; the close match is skipped, saying why; success is not red
    page.wait_for_selector(f".card[data-id='{PLAYED}'][data-status='accepted']")
    assert page.get_attribute("#status", "class") == "ok"
    assert page.text_content("#status").startswith("accepted 2 of 3 selected")
    assert "; 1 left as they were:" in page.text_content("#status") and page.locator("#status li").count() == 1
    statuses = {i: c.status for i, c in candidates(graph).items()}
    assert (statuses[PLAYED], statuses[JOINED], statuses[FEATURING]) == ("accepted", "accepted", "pending")
    page.click("#undo-last")
    page.wait_for_selector(f".card[data-id='{PLAYED}'][data-status='pending']")
    assert candidates(graph)[JOINED].status == "pending"
    # a reject undone from its card
    page.fill("#f-score", "0")
    page.click(f".card[data-id='{DIRECTED}'] button.reject")
    page.wait_for_selector(f".card[data-id='{DIRECTED}'][data-status='rejected']")
    page.select_option("#f-status", "rejected")
    assert page.eval_on_selector_all(".card", "cs => cs.map(c => c.dataset.id)") == [DIRECTED]
    page.click(f".card[data-id='{DIRECTED}'] button.undo")
    page.wait_for_selector("#status.ok:has-text('pending')")
    assert candidates(graph)[DIRECTED].status == "pending"
    # bulk reject of a selection, and its undo from the status line
    page.fill("#f-score", "0")
    page.select_option("#f-status", "")
    page.select_option("#f-kind", "membership")
    page.check("#pick-all")
    page.click("#reject-selected")
    page.wait_for_selector("#status.ok:has-text('rejected')")
    assert {candidates(graph)[i].status for i in (JOINED, MEMBER_V)} == {"rejected"}
    page.click("#undo-last")
    page.wait_for_selector("#status.ok:has-text('pending')")
    assert {candidates(graph)[i].status for i in (JOINED, MEMBER_V)} == {"pending"}
    page.select_option("#f-kind", "")
    # an error is red
    page.select_option("#f-status", "")
    page.click(f".card[data-id='{FEATURING}'] button.accept")
    page.wait_for_selector("#status.error:has-text('only a fuzzy match')")
    assert errors == []
    page.close()


def test_type_choice_names_and_highlighting(review_server, browser):
    base, graph = review_server
    page, requests, errors = open_page(browser, base)
    card = f".card[data-id='{DIRECTED}']"
    # names and plain words, no IRI or rule code on the cards
    cards = page.text_content("#cards")
    assert "https://" not in cards and "id:" not in cards and "directed-by" not in cards
    assert "“W, directed by X”" in page.text_content(card)
    played = page.text_content(f".card[data-id='{PLAYED}'] .slots")
    assert "Hwarang: The Poet Warrior Youth (known name)" in played
    # linked mentions are highlighted in the card's sentence, with the entity's name
    marks = page.eval_on_selector_all(f".card[data-id='{PLAYED}'] .sentence-of-card mark.linked",
                                      "ms => ms.map(m => [m.textContent, m.title])")
    assert ["V", "agent: V"] in marks and ["Hwarang", "work: Hwarang: The Poet Warrior Youth"] in marks
    assert page.eval_on_selector_all("#text mark.linked", "ms => ms.length") >= 4
    # a type for a new entity, chosen on the card, stays pending until accepted
    page.select_option(f"{card} select.type[data-slot='work']", "MusicVideo")
    page.wait_for_selector("#status.ok")
    c = candidates(graph)[DIRECTED]
    assert c.status == "pending" and c.slots["work"].type == "MusicVideo"
    page.click(f"{card} button.accept")
    page.wait_for_selector(f"{card}[data-status='accepted']")
    ttl = (graph / "articles" / "winter-single.ttl").read_text("utf-8")
    assert "cg:MusicVideo" in ttl
    assert errors == []
    page.close()


def test_hostile_names_are_text_on_cards_and_in_the_autocomplete(review_server, browser):
    base, graph = review_server
    af_path = graph / "articles" / "winter-single.json"
    data = json.loads(af_path.read_text("utf-8"))
    for c in data["candidates"]:
        for m in c["slots"].values():
            if m["label"] == "Jin":
                m["label"] = "<img src=x onerror=alert(1)>"
    af_path.write_text(json.dumps(data), "utf-8")
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/review")
    page.wait_for_selector(f".card[data-id='{JOINED}']")
    assert "<img src=x onerror=alert(1)>" in page.text_content(f".card[data-id='{JOINED}']")
    select_words(page, 8, "Jin")
    page.fill("#add-agent", "<img")
    page.wait_for_selector("#names-agent option", state="attached")
    assert "<img src=x onerror=alert(1)>" in page.eval_on_selector_all("#names-agent option", "os => os.map(o => o.value)")
    assert page.eval_on_selector_all("img", "xs => xs.length") == 0 and dialogs == []
    page.close()


def test_pick_a_marked_name_and_words_that_stand_for_it(review_server, browser):
    """A click on a marked name fills the field with the entity it is linked to;
    words selected for the work ("the drama") stand for the entity named in the field."""
    base, graph = review_server
    page, requests, errors = open_page(browser, base)
    page.click("#text .sentence[data-n='6'] mark:text-is('V')")
    page.wait_for_selector("#add.open")
    assert page.input_value("#add-agent") == "V"
    page.wait_for_selector("#add-agent-known:has-text('known: V')")
    page.check("input[name=fill][value=work]")
    select_words(page, 6, "the drama")
    page.fill("#add-work", "Hwarang: The Poet Warrior Youth")
    page.wait_for_selector("#add-work-known:has-text('known')")
    assert "the sentence writes “the drama”" in page.text_content("#add-work-words")
    page.fill("#add-role", "actor")
    page.fill("#add-date", "2016")
    page.click("#add-save")
    page.wait_for_selector("#status.ok:has-text('added pending')")
    (added,) = [c for c in candidates(graph).values() if c.rule == "person"]
    assert added.status == "pending" and added.date == "2016" and added.role == "actor"
    assert added.slots["agent"].link == str(ID.v) and added.slots["agent"].text == "V"
    assert added.slots["work"].text == "the drama" and added.slots["work"].link == str(ID.hwarang)
    assert added.slots["work"].method == "description"  # linked, never a name of the drama
    assert errors == []
    page.close()


def test_add_a_membership_in_the_page(review_server, browser):
    base, graph = review_server
    page, requests, errors = open_page(browser, base)
    select_words(page, 8, "Jin")
    page.wait_for_selector("#add.open")
    page.select_option("#add-kind", "membership")
    assert not page.is_visible("#add-role") and page.text_content("#add-work-label") == "Of the group"
    groups = page.eval_on_selector_all("#add-work-type option", "os => os.map(o => o.value).filter(Boolean)")
    assert "Group" in groups and "Song" not in groups
    page.wait_for_selector("#add-agent-known:has-text('new')")
    page.select_option("#add-agent-type", "Person")
    page.fill("#add-work", "BTS")
    page.wait_for_selector("#add-work-known:has-text('known: BTS')")
    page.fill("#add-date", "2013")
    page.click("#add-accept")
    page.wait_for_selector("#status.ok:has-text('added accepted')")
    (c,) = [c for c in candidates(graph).values() if c.rule == "person"]
    assert c.kind == "membership" and c.slots["group"].link == str(ID.bts) and c.slots["member"].type == "Person"
    assert errors == []
    page.close()


@pytest.mark.parametrize("body, words", [
    ({"article": "winter-single", "sentence": "5", "agent": "IU", "work": "Love wins all", "role": "actor"},
     "sentence must be a number"),
    ({"article": "winter-single", "sentence": 5, "agent": 5, "work": "Love wins all", "role": "actor"},
     "agent must be a string"),
    ({"article": "winter-single", "sentence": 5, "agent": "IU", "work": "Love wins all", "role": "actor",
      "at": {"agent": "x"}}, "at one of offsets"),
    ({"article": "winter-single", "sentence": 5, "agent": "IU", "work": "Love wins all", "role": "actor",
      "words": {"agent": "IU"}, "at": {"agent": 3}}, "is not at character 3"),
    ({"article": "../../etc", "sentence": 1, "agent": "IU", "work": "Love wins all", "role": "actor"},
     "no article"),
])
def test_a_bad_add_from_the_page_is_400_in_one_line_and_changes_nothing(review_server, body, words):
    base, graph = review_server
    before = (graph / "articles" / "winter-single.json").read_bytes()
    status, answer = post(f"{base}/review/add", body, {"Content-Type": "application/json", "Origin": base})
    error = json.loads(answer)["error"]
    assert status == 400 and words in error and "\n" not in error
    assert (graph / "articles" / "winter-single.json").read_bytes() == before


def test_names_for_the_autocomplete_are_json_and_an_unknown_article_is_a_400(review_server):
    base, graph = review_server
    with urllib.request.urlopen(f"{base}/review/names.json?q=love&article=winter-single", timeout=30) as r:
        assert r.headers["Content-Type"] == "application/json"
        assert any(h["id"] == "id:love-wins-all" for h in json.loads(r.read()))
    try:
        urllib.request.urlopen(f"{base}/review/names.json?q=love&article=nope", timeout=30)
    except urllib.error.HTTPError as e:
        assert e.code == 400 and "no article 'nope'" in json.loads(e.read())["error"]
    else:
        raise AssertionError("an unknown article was answered")
