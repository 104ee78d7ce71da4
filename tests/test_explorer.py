"""The explorer page in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import pytest

from collabgraph import CollabGraph
from collabgraph.cli import cli
from collabgraph.generate import generate

from .conftest import DATA, ONTOLOGY

class Page:
    """A loaded explorer page plus everything it tried to do."""

    def __init__(self, browser, path):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests, self.dialogs, self.errors = [], [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready=\"1\"]", state="attached", timeout=30_000)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def node_id(self, label: str) -> int:
        return self.js("(l) => Number(Object.keys(collabgraph.info).find(k => collabgraph.info[k].label === l))", label)

    def details(self) -> str:
        return self.page.inner_text("#cg-details")


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory, kg):
    return kg.explore().write(tmp_path_factory.mktemp("page") / "explorer.html")


@pytest.fixture
def page(browser, bundled_page):
    p = Page(browser, bundled_page)
    yield p
    assert p.errors == []
    p.page.close()


def test_no_request_leaves_the_page(page, bundled_page):
    page.page.wait_for_timeout(300)
    assert page.requests == [page.url]
    html = bundled_page.read_text("utf-8")
    assert "Content-Security-Policy" in html
    for bad in ('src="http', "src='http", 'href="http', "href='http", "@import", "url(http"):
        assert bad not in html


def test_searching_taehyung_selects_v(page):
    page.page.fill("#cg-search", "taehyung")
    page.page.press("#cg-search", "Enter")
    selected = page.js("collabgraph.network.getSelectedNodes()")
    assert selected == [page.node_id("V")]
    assert page.page.inner_text("#cg-details h2") == "V"


def test_clicking_v_lists_his_credits_with_quotes(page, kg):
    v = page.node_id("V")
    x, y = page.js("""(id) => {
        const p = collabgraph.network.canvasToDOM(collabgraph.network.getPositions([id])[id]);
        const r = document.getElementById('cg-network').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""", v)
    page.page.mouse.click(x, y)
    assert page.js("document.getElementById('cg-details').dataset.node") == str(v)
    text = page.details()
    for credit in kg.works("V"):
        assert credit.work.label in text
        for quote in credit.quotes:
            assert f"“{quote}”" in text
    assert "actor (2016) · debut" in text


def test_path_mode_highlights_the_same_hops_as_the_cli(page, kg, runner, built):
    page.page.fill("#cg-path-from", "IU")
    page.page.fill("#cg-path-to", "Park Seo-joon")
    page.page.click("#cg-path-go")
    hops = kg.path("IU", "Park Seo-joon")
    expected = [hops[0].source.iri] + [h.target.iri for h in hops]
    assert page.js("document.body.dataset.path").split() == expected
    shown = page.page.inner_text("#cg-path-result")
    cli_lines = runner.invoke(cli, ["path", "IU", "Park Seo-joon", "--build", str(built)]).output.splitlines()
    assert cli_lines[0] in shown  # "IU – V – Park Seo-joon"
    for h in hops:
        assert f"on {h.work.label} [{h.work.type}]" in shown
        assert f"“{h.quote}”" in shown
    selected = set(page.js("collabgraph.network.getSelectedNodes()"))
    assert {page.node_id(label) for label in ("IU", "V", "Park Seo-joon", "Love wins all", "GYOPO HAIRSTYLE")} <= selected


def test_korean_labels_render(page):
    page.page.fill("#cg-search", "교포머리")
    page.page.press("#cg-search", "Enter")
    assert "교포머리 @ko" in page.details()
    # With no CJK font both glyphs draw as the same empty box.
    distinct = page.js("""() => {
        const draw = (ch) => { const c = document.createElement('canvas'); c.width = c.height = 40;
            const x = c.getContext('2d'); x.font = '32px "Noto Sans CJK KR", sans-serif';
            x.fillText(ch, 2, 34); return c.toDataURL(); };
        return draw('교') !== draw('포'); }""")
    assert distinct


def test_filters_hide_types_roles_and_years(page):
    page.page.uncheck("input[data-kind=person]")
    hidden = page.js("collabgraph.nodes.get({filter: n => n.hidden}).map(n => collabgraph.info[n.id].label)")
    # Peakboy is an agent the article does not call a person: not hidden with the people
    assert {"IU", "V"} <= set(hidden) and not {"BTS", "Peakboy"} & set(hidden)
    page.page.check("input[data-kind=person]")
    page.page.fill("#cg-year-from", "2020")
    page.page.dispatch_event("#cg-year-from", "change")
    hidden = page.js("collabgraph.nodes.get({filter: n => n.hidden}).map(n => collabgraph.info[n.id].label)")
    assert hidden == ["Hwarang: The Poet Warrior Youth"]
    page.page.uncheck("input[data-role=cameo]")
    cameo_hidden = page.js("collabgraph.edges.get({filter: e => e.role === 'cameo'}).every(e => e.hidden)")
    assert cameo_hidden


def test_hostile_labels_stay_text(browser, tmp_path):
    kg = CollabGraph.load(DATA / "hostile", ONTOLOGY)
    p = Page(browser, kg.explore().write(tmp_path / "hostile.html"))
    p.page.fill("#cg-search", "Mallory")
    p.page.press("#cg-search", "Enter")
    assert p.page.inner_text("#cg-details h2") == "<img src=x onerror=alert(1)>"
    p.page.click("#cg-details .cg-link")  # the song, whose label tries to break out of an attribute
    p.page.fill("#cg-search", "Mallory")
    p.page.press("#cg-search", "Enter")
    text = p.details()
    assert "<iframe src=javascript:alert(7)></iframe>" in text
    assert "javascript:alert(4)" in text
    assert p.js("document.querySelectorAll('#cg-details a').length") == 0  # no javascript: link
    assert p.js("document.querySelectorAll('img, iframe, b').length") == 0
    p.page.mouse.move(700, 450)
    p.page.wait_for_timeout(300)
    assert p.dialogs == [] and p.js("window.__pwned") is None
    assert p.requests == [p.url] and p.errors == []


def test_wikidata_links_are_real_links(browser, tmp_path, kg):
    p = Page(browser, kg.explore(focus="IU", depth=1).write(tmp_path / "iu.html"))
    p.page.fill("#cg-search", "IU")
    p.page.press("#cg-search", "Enter")
    assert p.js("[...document.querySelectorAll('#cg-details a')].map(a => a.href)") == [
        "https://www.wikidata.org/wiki/Q20145"]


def test_focus_view_folds_the_least_connected_neighbours(browser, tmp_path, kg, runner, built):
    out = tmp_path / "v.html"
    result = runner.invoke(cli, ["explore", "--build", str(built), "--focus", "taehyung", "--depth", "1",
                                 "--max-nodes", "10", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "folded" in result.output
    p = Page(browser, out)
    folds = p.js("Object.values(collabgraph.info).filter(d => d.kind === 'fold')")
    assert len(folds) == 1 and folds[0]["fold"]["count"] == len(kg.to_networkx('entity').to_undirected()['https://w3id.org/collabgraph/id/v']) - 9
    real = p.js("Object.values(collabgraph.info).filter(d => d.kind !== 'fold').length")
    assert real == 10


def test_big_views_come_with_positions_and_no_physics(browser, tmp_path):
    generate(1200, tmp_path / "g", seed=4)
    kg = CollabGraph.load(tmp_path / "g", ONTOLOGY)
    page = kg.explore(max_nodes=800)
    assert not page.physics and page.nodes > 800
    p = Page(browser, page.write(tmp_path / "big.html"))
    assert p.js("collabgraph.nodes.get().every(n => typeof n.x === 'number' && typeof n.y === 'number')")
    assert p.js("collabgraph.network.physics.physicsEnabled") is False
    p.page.fill("#cg-search", p.js("collabgraph.info[0].label"))
    p.page.press("#cg-search", "Enter")
    assert p.js("collabgraph.network.getSelectedNodes()") == [0]


def test_build_writes_the_explorer(built):
    html = (built / "explorer.html").read_text("utf-8")
    assert '"label":"GYOPO HAIRSTYLE' in html.replace(" ", "") or "GYOPO HAIRSTYLE" in html
