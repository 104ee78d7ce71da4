"""The review page of `collabgraph serve --review`, driven in Chromium: accept,
reject and edit candidates, and see graph/articles/ change accordingly."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request

import pytest
import rdflib


from .serving import serving, serving_review
from .test_review import APPEARED, CG, FEATURING, ID, JOINED, PLAYED, ROLE, candidates, facts, review_graph


@pytest.fixture
def review_server(tmp_path):
    graph = review_graph(tmp_path)
    with serving_review(graph, tmp_path / "build") as base:
        yield base, graph


def open_page(browser, base):
    """The review page in a new tab, once its first card is shown, with the requests it
    makes and the errors it raises, as they come."""
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/review")
    page.wait_for_selector(f".card[data-id='{PLAYED}']")
    return page, requests, errors


def post(url, body, headers):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_accept_reject_and_edit_on_the_page(review_server, browser):
    base, graph = review_server
    page, requests, errors = open_page(browser, base)
    # The article's text, with the mentions marked (text, not markup).
    marks = page.eval_on_selector_all("#text mark", "ms => ms.map(m => m.textContent)")
    assert {"Love Wins", "V", "Hwarang", "Jin", "In the Soop"} <= set(marks)
    assert "Seoul, January 26" in page.text_content("#text")

    page.click(f".card[data-id='{PLAYED}'] button.accept")
    page.wait_for_selector(f".card[data-id='{PLAYED}'][data-status='accepted']")
    page.click(f".card[data-id='{JOINED}'] button.reject")
    page.wait_for_selector(f".card[data-id='{JOINED}'][data-status='rejected']")
    card = f".card[data-id='{APPEARED}']"
    page.click(f"{card} button.edit-toggle")
    page.fill(f"{card} input[name='role']", "guest")
    page.click(f"{card} button.save")
    page.wait_for_selector(f"{card}[data-status='edited']")
    # A fuzzy mention: accepting without a choice is refused, with the reason shown.
    fuzzy = f".card[data-id='{FEATURING}']"
    page.click(f"{fuzzy} button.accept")
    page.wait_for_selector("#status:has-text('only a fuzzy match')")
    page.select_option(f"{fuzzy} select.choose", str(ID["love-wins-all"]))
    page.click(f"{fuzzy} button.accept")
    page.wait_for_selector(f"{fuzzy}[data-status='accepted']")

    statuses = {i: c.status for i, c in candidates(graph).items()}
    assert (statuses[PLAYED], statuses[JOINED], statuses[APPEARED], statuses[FEATURING]) == \
        ("accepted", "rejected", "edited", "accepted")
    assert candidates(graph)[APPEARED].edits["role"] == {"from": "appearance", "to": "guest"}
    g = facts(graph)
    assert (None, CG.role, ROLE.actor) in g and (None, CG.role, ROLE.guest) in g
    assert (None, CG.member, None) not in g
    assert (ID["love-wins-all"], rdflib.URIRef("http://www.w3.org/2004/02/skos/core#altLabel"),
            rdflib.Literal("Love Wins", lang="en")) in g
    assert {r.split("?")[0] for r in requests} <= {f"{base}/review", f"{base}/review.json", f"{base}/review/accept",
                                                   f"{base}/review/reject", f"{base}/review/edit"}
    assert errors == []
    page.close()


def test_a_post_from_elsewhere_is_refused(review_server):
    base, graph = review_server
    before = (graph / "articles" / "winter-single.json").read_bytes()
    body = {"ids": [PLAYED]}
    assert post(f"{base}/review/accept", body, {"Content-Type": "application/json"})[0] == 403
    assert post(f"{base}/review/accept", body, {"Content-Type": "application/json",
                                                "Origin": "https://elsewhere.example"})[0] == 403
    assert post(f"{base}/review/accept", body, {"Content-Type": "text/plain", "Origin": base})[0] == 415
    assert (graph / "articles" / "winter-single.json").read_bytes() == before
    status, answer = post(f"{base}/review/accept", {"ids": ["nope00"]}, {"Content-Type": "application/json",
                                                                          "Origin": base})
    assert status == 400 and "no candidate 'nope00'" in json.loads(answer)["error"]


def test_hostile_article_text_is_shown_as_text(review_server, browser):
    """Markup in an article's text or a mention never becomes markup on the page."""
    base, graph = review_server
    af_path = graph / "articles" / "winter-single.json"
    data = json.loads(af_path.read_text("utf-8"))
    data["article"]["title"] = "<img src=x onerror=alert(1)>"
    af_path.write_text(json.dumps(data), "utf-8")
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/review")
    page.wait_for_selector(f".card[data-id='{PLAYED}']")
    assert page.text_content("#title") == "<img src=x onerror=alert(1)>"
    assert page.eval_on_selector_all("img", "xs => xs.length") == 0 and dialogs == []
    page.close()


def test_the_review_page_is_off_without_review(built, tmp_path):
    with serving(built) as base:
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"{base}/review", timeout=10)
        assert e.value.code == 404
        assert post(f"{base}/review/accept", {"ids": [PLAYED]}, {"Content-Type": "application/json",
                                                                  "Origin": base})[0] == 404


def test_forwarded_headers_from_a_client_are_not_trusted(review_server):
    """uvicorn trusts X-Forwarded-* from 127.0.0.1 by default: a local program could then
    say the request came over https and pass the origin check with a forged https Origin
    (or pass for many clients in the fair queue). The server takes the connection's own word."""
    base, _ = review_server
    forged = base.replace("http://", "https://")
    status, _ = post(f"{base}/review/accept", {"ids": ["nope00"]},
                     {"Content-Type": "application/json", "Origin": forged, "X-Forwarded-Proto": "https",
                      "X-Forwarded-For": "203.0.113.9"})
    assert status == 403


def test_the_page_names_the_graph_directory_accepted_facts_go_to(tmp_path, browser):
    """Served with --graph day, the page says day/articles/<id>.ttl (it said graph/articles/ whatever the
    directory; a fresh-clone user working on a copy, as docs/journalist.md advises, was told the wrong place).
    Only the directory's own name is shown, never the path above it."""
    day = tmp_path / "elsewhere" / "day"
    shutil.copytree(review_graph(tmp_path), day)
    with serving_review(day, tmp_path / "build") as base:
        page = browser.new_page()
        page.goto(f"{base}/review")
        page.wait_for_selector(f".card[data-id='{PLAYED}']")
        assert page.text_content("#where") == "day/articles/<id>.ttl"
        assert "elsewhere" not in page.content()
        page.close()
