"""The served pages in Chromium under the server's Content-Security-Policy,
with hostile data everywhere: labels, aliases, quotes, record locators, link
URLs (javascript:, data:, an encoded ``"><img onerror>``) and an ingested
article whose title and text are markup. Every page still works (the
explorer draws, the query page runs a query, the review page accepts a
candidate), no dialog opens, no script of the data runs, no request leaves
127.0.0.1, the browser reports no policy violation, and a script injected
into the page after load is refused by the policy."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from collabgraph import CollabGraph
from collabgraph import build

from .conftest import DATA, ONTOLOGY, free_port, wait_until_serving
from .test_review import review_graph

HOSTILE_LINKS = """
@prefix cg: <https://w3id.org/collabgraph/ns#> . @prefix id: <https://w3id.org/collabgraph/id/> .
@prefix role: <https://w3id.org/collabgraph/role/> . @prefix fact: <https://w3id.org/collabgraph/fact/> .
@prefix source: <https://w3id.org/collabgraph/source/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
source:record a cg:SourceDocument ; rdfs:label "a record <img src=x onerror=alert(8)>" ; cg:revision "1" ;
    schema:url <https://records.example.org/r?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(8)%3E> .
fact:record-1 a cg:Credit ; cg:agent id:evil ; cg:work id:song ; cg:role role:producer ;
    cg:source source:record ; cg:locator "\\"><img src=x onerror=alert(9)>" .
fact:wd-data a cg:Claim ; cg:about id:song ; cg:property cg:wikidata ;
    cg:value <data:text/html,%3Cscript%3Ealert(10)%3C/script%3E> ; cg:source source:evil ; cg:quote "data link" .
"""

ARTICLE = """<script>alert("title")</script>

Seoul, March 3 "><img src=x onerror=alert(21)>. On Friday, IU released a new single, Love Wins, featuring V of BTS \
<script>window.__pwned=1</script>. V starred in the drama Hwarang in 2016, where he played \
<b onmouseover=alert(22)>Han-sung</b>.
"""
ARTICLE_TITLE = '"><img src=x onerror=alert(23)>'
ARTICLE_URL = "https://news.example.org/a?x=%22%3E%3Cimg%20src=x%20onerror=alert(24)%3E"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("inert")
    graph = review_graph(tmp)
    shutil.copy(DATA / "hostile" / "hostile.ttl", graph / "hostile.ttl")
    (graph / "hostile-links.ttl").write_text(HOSTILE_LINKS, "utf-8")
    (tmp / "article.txt").write_text(ARTICLE, "utf-8")
    exe = Path(sys.executable).with_name("collabgraph")
    subprocess.run([str(exe), "ingest", str(tmp / "article.txt"), "--graph", str(graph), "--title", ARTICLE_TITLE,
                    "--url", ARTICLE_URL, "--published", "2024-03-03"], check=True, capture_output=True)
    build(graph, ONTOLOGY, tmp / "build")
    port = free_port()
    proc = subprocess.Popen([str(exe), "serve", "--build", str(tmp / "build"), "--port", str(port),
                             "--workers", "1", "--review", "--graph", str(graph)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(proc, f"{base}/saved.json", "collabgraph serve --review")
    yield base
    proc.terminate()
    proc.wait(10)


class Watched:
    """A page and everything it tried: requests (those not to ``base`` are
    recorded and aborted, so nothing leaves even if one were made), dialogs,
    script errors and the browser's policy-violation reports."""

    def __init__(self, browser, base: str, path: str):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.base = base
        self.left, self.dialogs, self.errors, self.violations = [], [], [], []
        self.page.route("**/*", self._route)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", self._console)
        self.response = self.page.goto(base + path)

    def _route(self, route):
        url = route.request.url
        if url == self.base or url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.left.append(url)
            route.abort()

    def _console(self, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def assert_inert(self) -> None:
        self.page.mouse.move(600, 400)
        self.page.wait_for_timeout(200)
        assert self.dialogs == [] and self.errors == [] and self.left == []
        assert self.violations == []
        assert self.js("window.__pwned") is None
        assert self.js("document.querySelectorAll('img, iframe, b, object, embed').length") == 0
        hrefs = self.js("[...document.querySelectorAll('a[href]')].map(a => a.href)")
        assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs

    def assert_injected_script_is_refused(self) -> None:
        """A script put into the page (as an injection would) does not run,
        and the browser says the policy refused it."""
        self.js("""() => { const s = document.createElement("script"); s.textContent = "window.__injected = 1";
                           document.body.append(s);
                           const i = document.createElement("div");
                           i.innerHTML = '<img src="data:," onerror="window.__injected = 2">';
                           document.body.append(i); }""")
        self.page.wait_for_timeout(300)
        assert self.js("window.__injected") is None
        assert any("Content Security Policy" in v for v in self.violations)


def headers_of(url: str, **headers) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}


def directives(csp: str) -> dict[str, str]:
    return {d.split()[0]: " ".join(d.split()[1:]) for d in (p.strip() for p in csp.split(";")) if d}


def test_every_response_carries_the_policy_and_the_headers(hostile_server):
    base = hostile_server
    pages = {"/": False, "/query": True, "/review": True}
    for path, fetches in pages.items():
        status, headers = headers_of(base + path)
        assert status == 200 and headers["content-type"].startswith("text/html")
        csp = directives(headers["content-security-policy"])
        assert csp["default-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
        assert csp["base-uri"] == "'none'" and csp["form-action"] == "'self'"
        for kind in ("script-src", "style-src"):  # the page's own elements, by hash; nothing inline beyond them
            assert csp[kind].startswith("'sha256-") and "unsafe" not in csp[kind]
        assert (csp.get("connect-src") == "'self'") is fetches, path
        assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"
    query = urllib.parse.urlencode({"query": "SELECT ?l WHERE { ?s rdfs:label ?l }"})
    others = ["/saved.json", "/review.json", f"/sparql?{query}", "/sparql?query=SELEC", "/no-such-page"]
    for path in others:
        status, headers = headers_of(base + path)
        assert directives(headers["content-security-policy"])["default-src"] == "'none'", path
        assert "script-src" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"
    status, headers = headers_of(base + "/", Host="evil.example")  # refused by the host check: headers too
    assert status == 403 and headers["x-content-type-options"] == "nosniff"
    assert directives(headers["content-security-policy"])["default-src"] == "'none'"


def test_the_served_explorer_draws_and_stays_inert(hostile_server, browser):
    p = Watched(browser, hostile_server, "/")
    p.page.wait_for_selector("body[data-ready=\"1\"]", state="attached", timeout=30_000)
    assert p.js("collabgraph.nodes.length") > 10
    assert p.js("document.querySelector('#cg-network canvas').width") > 0
    p.page.fill("#cg-search", "Mallory")
    p.page.press("#cg-search", "Enter")
    assert p.page.inner_text("#cg-details h2") == "<img src=x onerror=alert(1)>"
    details = p.page.inner_text("#cg-details")
    assert "javascript:alert(4)" in details and "<iframe src=javascript:alert(7)></iframe>" in details
    assert '"><img src=x onerror=alert(9)>' in details  # the record locator, as text
    # The record's source URL is http(s): a real link, its hostile part still encoded.
    hrefs = p.js("[...document.querySelectorAll('#cg-details a')].map(a => a.href)")
    assert any(h.startswith("https://records.example.org/r?q=%22%3E%3Cimg") for h in hrefs)
    p.page.click("#cg-details .cg-link")  # the song: its data: link is text, not a link
    details = p.page.inner_text("#cg-details")
    assert "data:text/html,%3Cscript%3Ealert(10)%3C/script%3E" in details
    p.assert_inert()
    p.assert_injected_script_is_refused()
    p.page.close()


def test_the_query_page_runs_a_query_and_shows_hostile_labels_as_text(hostile_server, browser):
    p = Watched(browser, hostile_server, "/query")
    p.page.select_option("#examples", index=1)  # a saved query, with its parameters bound
    p.page.click("#run")
    p.page.wait_for_selector("#status:has-text('row(s)')")
    assert not p.page.inner_text("#status").startswith(("4", "5"))
    p.page.fill("#query", "SELECT ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label")
    p.page.click("#run")
    p.page.wait_for_selector("#out table td")
    cells = p.js("[...document.querySelectorAll('#out td')].map(td => td.textContent)")
    assert "<img src=x onerror=alert(1)>" in cells and 'Song" onclick="alert(6)' in cells
    assert "row(s)" in p.page.inner_text("#status")
    p.assert_inert()
    p.assert_injected_script_is_refused()
    p.page.close()


def test_the_review_page_shows_a_hostile_article_as_text_and_accepts_a_candidate(hostile_server, browser):
    base = hostile_server
    with urllib.request.urlopen(base + "/review.json", timeout=30) as r:
        articles = json.loads(r.read())["articles"]
    hostile = next(a for a in articles if a["article"]["title"] == ARTICLE_TITLE)
    # a candidate whose names are all linked ("Hwarang" alone is only a fuzzy match of the drama's
    # title since the bundled data lost the alias the article never gave: it would wait for a choice)
    starred = next(c["id"] for c in hostile["candidates"] if c["rule"] == "of-group")
    p = Watched(browser, base, "/review")
    p.page.select_option("#article", hostile["article"]["id"])
    p.page.wait_for_selector(f".card[data-id='{starred}']")
    assert p.page.text_content("#title") == ARTICLE_TITLE
    text = p.page.text_content("#text")
    assert "<script>window.__pwned=1</script>" in text and "<b onmouseover=alert(22)>" in text
    p.page.click(f".card[data-id='{starred}'] button.accept")
    p.page.wait_for_selector(f".card[data-id='{starred}'][data-status='accepted']")
    p.assert_inert()
    p.assert_injected_script_is_refused()
    p.page.close()


def test_the_explorer_file_carries_its_own_policy_by_hash(browser, tmp_path):
    """The explorer opened from disk: a <meta> policy with its scripts' and
    styles' hashes (no 'unsafe-inline'); it draws, and refuses injected script."""
    from collabgraph.core.pagepolicy import inline_hashes

    path = CollabGraph.load(DATA / "hostile", ONTOLOGY).explore().write(tmp_path / "explorer.html")
    html = path.read_text("utf-8")
    meta = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    csp = directives(meta)
    scripts, styles = inline_hashes(html)
    assert csp["script-src"].split() == scripts and csp["style-src"].split() == styles and len(scripts) == 2
    assert "unsafe" not in meta and "frame-ancestors" not in meta  # a <meta> policy cannot say that
    p = Watched(browser, "file://", path.resolve().as_uri()[len("file://"):])
    p.page.wait_for_selector("body[data-ready=\"1\"]", state="attached", timeout=30_000)
    assert p.js("collabgraph.nodes.length") > 0
    p.page.fill("#cg-search", "Mallory")
    p.page.press("#cg-search", "Enter")
    assert p.page.inner_text("#cg-details h2") == "<img src=x onerror=alert(1)>"
    p.assert_inert()
    p.assert_injected_script_is_refused()
    p.page.close()


@pytest.mark.parametrize("path", ["/query", "/review"])
def test_a_served_page_saved_to_disk_keeps_a_policy_by_hash(hostile_server, browser, tmp_path, path):
    """The query and review pages carry in their <meta> the same by-hash
    policy as their header (no 'unsafe-inline'), so a copy saved to disk and
    opened from there runs its own script and styles and refuses injected ones."""
    from collabgraph.core.pagepolicy import inline_hashes

    with urllib.request.urlopen(hostile_server + path, timeout=30) as r:
        header = directives(r.headers["Content-Security-Policy"])
        html = r.read().decode("utf-8")
    meta = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    assert "unsafe" not in meta and "frame-ancestors" not in meta
    csp = directives(meta)
    scripts, styles = inline_hashes(html)
    assert csp["script-src"].split() == scripts and csp["style-src"].split() == styles and scripts and styles
    assert csp["default-src"] == "'none'" and csp["connect-src"] == "'self'" and csp["base-uri"] == "'none'"
    assert {k: v for k, v in header.items() if k != "frame-ancestors"} == csp  # the header says the same, and no framing

    saved = tmp_path / (path.strip("/") + ".html")
    saved.write_text(html, "utf-8")
    p = Watched(browser, "file://", saved.resolve().as_uri()[len("file://"):])
    p.page.wait_for_load_state("load")
    if path == "/query":  # its script ran: the saved queries are in the list
        assert p.js("document.querySelectorAll('#examples option').length") > 5
    else:  # its script ran: its functions are defined (load() fails from disk: there is no server)
        assert p.js("typeof say") == "function"
    assert p.js("getComputedStyle(document.body).marginTop") == "18px"  # its own style applies (the default is 8px)
    assert not any("Refused to execute inline script" in v or "Refused to apply inline style" in v
                   for v in p.violations), p.violations
    p.assert_injected_script_is_refused()
    p.page.close()
