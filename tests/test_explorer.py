"""The explorer page in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import networkx as nx

from collabgraph import CollabGraph
from collabgraph.cli import cli
from collabgraph.core.errors import EntityNotFound
from collabgraph.importers.generate import generate
from collabgraph.core.namespaces import curie

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
        # and what it builds after its first draw (suggestion lists, indexes)
        self.page.wait_for_selector("body[data-idle=\"1\"]", state="attached", timeout=30_000)

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
        for text, quoted in h.evidence:  # each side's own words, as `collabgraph path` prints them
            assert quoted and f"“{text}”" in shown
    assert len(hops[1].evidence) == 2  # V's cameo and Park Seo-joon's appearance are two sentences
    selected = set(page.js("collabgraph.network.getSelectedNodes()"))
    assert {page.node_id(label) for label in ("IU", "V", "Park Seo-joon", "Love wins all", "GYOPO HAIRSTYLE")} <= selected


def test_path_mode_colours_the_path_fades_the_rest_and_fits_it(page, kg):
    # Look somewhere else first, so that only fitting the path brings it into view.
    page.js("collabgraph.network.moveTo({position: {x: 5000, y: 5000}, scale: 4, animation: false})")
    page.page.fill("#cg-path-from", "IU")
    page.page.fill("#cg-path-to", "Park Seo-joon")
    page.page.click("#cg-path-go")
    hops = kg.path("IU", "Park Seo-joon")
    agents = [hops[0].source.label] + [h.target.label for h in hops]
    links = {frozenset((page.node_id(x.label), page.node_id(h.work.label)))
             for h in hops for x in (h.source, h.target)}
    on_path = {page.node_id(label) for label in agents} | {page.node_id(h.work.label) for h in hops}
    colours = page.js("""() => {
        const P = collabgraph.PATH || {}, fill = (c) => (c && typeof c === 'object' ? c.background : c);
        return {nodes: collabgraph.nodes.get().map(n => [n.id, fill(n.color) === P.fill]),
                edges: collabgraph.edges.get().map(e => [e.from, e.to, e.color.color === P.edge])}; }""")
    assert {n for n, lit in colours["nodes"] if lit} == on_path
    assert {frozenset((a, b)) for a, b, lit in colours["edges"] if lit} == links
    faded = page.js("""() => collabgraph.nodes.get().filter(n => !collabgraph.DATA.nodes.find(o => o.id === n.id && o.color === n.color)).length""")
    assert faded == len(colours["nodes"])  # no node keeps its usual look
    inside = page.js("""(ids) => {
        const n = collabgraph.network, r = document.getElementById('cg-network').getBoundingClientRect();
        return ids.map(id => { const p = n.canvasToDOM(n.getPositions([id])[id]);
                               return p.x >= 0 && p.y >= 0 && p.x <= r.width && p.y <= r.height; }); }""", sorted(on_path))
    assert all(inside)
    page.page.click("#cg-path-clear")
    restored = page.js("""() => collabgraph.DATA.nodes.every(o => collabgraph.nodes.get(o.id).color === o.color)
        && collabgraph.DATA.edges.every(o => collabgraph.edges.get(o.id).color.color === o.color.color)""")
    assert restored and page.js("document.body.dataset.path") is None


def test_path_details_name_the_other_shared_works_as_the_cli_does(page, runner, built):
    page.page.fill("#cg-path-from", "IU")
    page.page.fill("#cg-path-to", "Park Seo-joon")
    page.page.click("#cg-path-go")
    shown = page.js("[...document.querySelectorAll('#cg-path-result .cg-hop')].map(li => li.innerText)")
    cli_out = runner.invoke(cli, ["path", "IU", "Park Seo-joon", "--build", str(built)]).output
    hops = cli_out.split("\n\n")[1:]  # the line of agents, then one block per hop
    also = [line.strip() for hop in hops for line in hop.splitlines() if line.strip().startswith("also:")]
    assert also, "the bundled path should have a hop with several shared works"
    assert len(shown) == len(hops)
    for text, hop in zip(shown, hops):
        expected = [line.strip() for line in hop.splitlines() if line.strip().startswith("also:")]
        assert [line.strip() for line in text.splitlines() if line.strip().startswith("also:")] == expected
    assert "more shared work" not in page.page.inner_text("#cg-path-result")


def test_search_typo_offers_the_cli_suggestions(page, kg):
    for typo in ("Tehyung", "Park Seojon", "Peekboy", "Chio Wooshik", "zzzz"):
        with pytest.raises(EntityNotFound) as found:
            kg.entity(typo)
        page.page.fill("#cg-search", typo)
        page.page.press("#cg-search", "Enter")
        offered = page.js("""() => [...document.querySelectorAll('#cg-search-status .cg-suggestion')]
            .map(b => [b.textContent, collabgraph.info[b.dataset.node].iri])""")
        assert [f"{name} ({curie(iri)})" for name, iri in offered] == found.value.suggestions
        status = page.page.inner_text("#cg-search-status")
        assert status.startswith("no match") and ("did you mean" in status) == bool(offered)
    page.page.fill("#cg-search", "Tehyung")  # the README's example
    page.page.press("#cg-search", "Enter")
    page.page.click("#cg-search-status .cg-suggestion")
    assert page.js("collabgraph.network.getSelectedNodes()") == [page.node_id("V")]
    assert page.page.inner_text("#cg-details h2") == "V"
    assert page.page.input_value("#cg-search") == "Taehyung"


def test_path_typo_offers_agents_to_pick(page, kg):
    page.page.fill("#cg-path-from", "IU")
    page.page.fill("#cg-path-to", "Park Seojon")
    page.page.click("#cg-path-go")
    with pytest.raises(EntityNotFound) as found:
        kg.entity("Park Seojon")
    offered = page.js("""() => [...document.querySelectorAll('.cg-path-hint[data-field=cg-path-to] .cg-suggestion')]
        .map(b => [b.textContent, collabgraph.info[b.dataset.node].iri])""")
    assert [f"{name} ({curie(iri)})" for name, iri in offered] == found.value.suggestions
    page.page.click(".cg-path-hint .cg-suggestion")
    hops = kg.path("IU", "Park Seo-joon")
    assert page.js("document.body.dataset.path").split() == [hops[0].source.iri] + [h.target.iri for h in hops]


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
    p.page.fill("#cg-search", "scrpt alert 2")  # a typo: the suggestion is a button whose text is the raw alias
    p.page.press("#cg-search", "Enter")
    assert p.js("[...document.querySelectorAll('.cg-suggestion')].map(b => b.textContent)") == [
        "<script>alert(2)</script>"]
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
    # ten nodes in all: V, eight neighbours and one "+N more" for the rest
    assert len(folds) == 1 and folds[0]["fold"]["count"] == len(kg.to_networkx('entity').to_undirected()['https://w3id.org/collabgraph/id/v']) - 8
    real = p.js("Object.values(collabgraph.info).filter(d => d.kind !== 'fold').length")
    assert real == 9


@pytest.fixture(scope="module")
def generated_build(tmp_path_factory):
    """A generated graph of 300 agents, built through the CLI."""
    root = tmp_path_factory.mktemp("generated")
    runner = CliRunner()
    for args in (["generate", "--agents", "300", "--seed", "1", "--out", str(root / "g")],
                 ["build", "--graph", str(root / "g"), "--ontology", str(ONTOLOGY), "--out", str(root / "build"), "-q"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    return root / "build"


@pytest.mark.parametrize("focus", [None, "most-connected"])
def test_max_nodes_caps_every_node_drawn(browser, tmp_path, runner, generated_build, focus):
    with CollabGraph.open(generated_build) as kg:
        entities = kg.to_networkx("entity").to_undirected()
    args, depth, max_nodes = [], 2, 40
    if focus:
        focus = max(entities, key=lambda n: (entities.degree(n), n))
        args = ["--focus", curie(focus), "--depth", str(depth)]
        in_view = len(nx.ego_graph(entities, focus, radius=depth))
    else:
        in_view = entities.number_of_nodes()
    out = tmp_path / "capped.html"
    result = runner.invoke(cli, ["explore", "--build", str(generated_build), "--max-nodes", str(max_nodes),
                                 "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    p = Page(browser, out)
    drawn = p.js("collabgraph.nodes.length")
    real = p.js("Object.values(collabgraph.info).filter(d => d.kind !== 'fold').length")
    assert real < drawn <= max_nodes  # the "+N more" nodes count too
    folded = in_view - real
    assert folded > 0 and p.js("collabgraph.DATA.meta.folded") == folded
    assert f"{folded:,} folded away" in p.page.inner_text("header")
    assert f"{folded} entities folded away" in result.output
    assert p.errors == []


def test_big_views_come_with_positions_and_no_physics(browser, tmp_path):
    generate(1200, tmp_path / "g", seed=4)
    kg = CollabGraph.load(tmp_path / "g", ONTOLOGY)
    page = kg.explore(max_nodes=800)
    assert not page.physics and page.nodes <= 800
    p = Page(browser, page.write(tmp_path / "big.html"))
    assert p.js("collabgraph.nodes.get().every(n => typeof n.x === 'number' && typeof n.y === 'number')")
    assert p.js("collabgraph.network.physics.physicsEnabled") is False
    p.page.fill("#cg-search", p.js("collabgraph.info[0].label"))
    p.page.press("#cg-search", "Enter")
    assert p.js("collabgraph.network.getSelectedNodes()") == [0]


# -- editors' inferences and kinds the source leaves open (issue 8) ---------------------

def test_details_show_each_editors_inference_as_its_own_line(page, kg):
    page.page.fill("#cg-search", "IU")
    page.page.press("#cg-search", "Enter")
    shown = page.js("""() => [...document.querySelectorAll('#cg-details .cg-credit')].map(li => [
        li.querySelector('.cg-link').textContent, li.classList.contains('cg-inferred'),
        [...li.querySelectorAll('.cg-inference')].map(e => e.textContent)])""")
    expected = [[c.work.label, bool(c.editors_inference),
                 [f"Editor's inference: {c.editors_inference}"] if c.editors_inference else []]
                for c in kg.works("IU")]
    assert sorted(shown) == sorted(expected)
    assert any(inferred for _, inferred, _ in shown)


def test_path_from_peakboy_an_agent_of_unstated_kind_matches_the_cli(page, kg, runner, built):
    page.page.fill("#cg-path-from", "Peakboy")
    page.page.fill("#cg-path-to", "IU")
    page.page.click("#cg-path-go")
    hops = kg.path("Peakboy", "IU")
    assert page.js("document.body.dataset.path").split() == [hops[0].source.iri] + [h.target.iri for h in hops]
    shown = page.page.inner_text("#cg-path-result")
    cli_lines = runner.invoke(cli, ["path", "Peakboy", "IU", "--build", str(built)]).output.splitlines()
    assert cli_lines[0] in shown  # "Peakboy – V – IU"
    hop_lines = [line for line in cli_lines if line[:1].isdigit()]
    assert len(hop_lines) == len(hops)
    for line in hop_lines:  # roles marked "*" where the credit is inferred, as the CLI marks them
        assert line.split(". ", 1)[1] in shown  # the page's list numbers its hops itself
    notes = page.js("[...document.querySelectorAll('#cg-path-result .cg-hop .cg-inference')].map(e => e.textContent)")
    assert notes == [f"Editor's inference ({c.agent.label}, {c.role}): {c.editors_inference}"
                     for h in hops for c in h.credits if c.editors_inference]
    assert len(notes) == 2 == len([line for line in cli_lines if "*editor's inference (" in line])


def test_agents_and_works_of_unstated_kind_get_kinds_of_their_own(page):
    kinds = page.js("Object.fromEntries(Object.values(collabgraph.info).map(d => [d.label, [d.kind, d.agent]]))")
    assert kinds["Peakboy"] == ["agent", True]
    # the article only names them, as Peakboy (issue 21, item 8)
    assert kinds["Park Seo-joon"] == kinds["Choi Woo-shik"] == kinds["Park Hyung-sik"] == ["agent", True]
    assert kinds["Blue"] == kinds["Love Me Again"] == ["work", False]
    assert kinds["IU"] == ["person", True] and kinds["BTS"] == ["group", True]
    assert "other" not in {k for k, _ in kinds.values()}
    legend = page.js("[...document.querySelectorAll('#cg-legend input')].map(b => b.dataset.kind)")
    assert {"agent", "work"} <= set(legend)
    assert "Peakboy" in page.js("[...document.querySelectorAll('#cg-agent-names option')].map(o => o.value)")
    page.page.uncheck("input[data-kind=agent]")
    page.page.uncheck("input[data-kind=work]")
    hidden = page.js("collabgraph.nodes.get({filter: n => n.hidden}).map(n => collabgraph.info[n.id].label)")
    assert sorted(hidden) == ["Blue", "Choi Woo-shik", "Love Me Again", "Park Hyung-sik", "Park Seo-joon", "Peakboy"]


def test_an_inferred_claim_and_its_reason_stay_text(browser, tmp_path):
    import shutil

    from .layout import lay_out

    graph = lay_out(tmp_path)
    shutil.copy(DATA / "inferred" / "inferred-claim.ttl", graph)
    kg = CollabGraph.load(graph, ONTOLOGY)
    (claim,) = kg.claims("Peakboy")
    p = Page(browser, kg.explore().write(tmp_path / "inferred.html"))
    p.page.fill("#cg-search", "Peakboy")
    p.page.press("#cg-search", "Enter")
    claims = p.js("""() => [...document.querySelectorAll('#cg-details .cg-claim')].map(li => [
        li.classList.contains('cg-inferred'), li.querySelector('.cg-inference').textContent])""")
    assert claims == [[True, f"Editor's inference: {claim.editors_inference}"]]
    assert "<b>" in claim.editors_inference and p.js("document.querySelectorAll('#cg-details b').length") == 0
    assert p.errors == [] and p.requests == [p.url]


def test_kinds_and_agents_follow_the_class_tree(browser, tmp_path):
    kg = CollabGraph.load(DATA / "subclass", ONTOLOGY)  # cg:Orchestra rdfs:subClassOf cg:Group, in the data
    p = Page(browser, kg.explore().write(tmp_path / "subclass.html"))
    kinds = p.js("Object.fromEntries(Object.values(collabgraph.info).map(d => [d.label, [d.kind, d.agent]]))")
    assert kinds["Test Orchestra"] == ["group", True]
    p.page.fill("#cg-path-from", "Test Orchestra")
    p.page.fill("#cg-path-to", "Test Person")
    p.page.click("#cg-path-go")
    hops = kg.path("Test Orchestra", "Test Person")
    assert p.js("document.body.dataset.path").split() == [hops[0].source.iri] + [h.target.iri for h in hops]
    assert p.errors == []


def test_imported_facts_show_their_record_locator_and_a_link_to_the_record(browser, tmp_path, runner, sources):
    """Database facts have no sentence: the page shows where in the record they
    are, links to the record, and paths run across imported and article facts."""
    csv = tmp_path / "notes.csv"
    csv.write_text("agent,agent_type,work,work_type,role,source_title\n"
                   "Mira Solen,Person,Love wins all,Single,producer,My own notes\n"
                   "Mira Solen,Person,Night Tide,Song,composer,My own notes\n"
                   "Ona Brevik,Person,Night Tide,Song,lyricist,My own notes\n", "utf-8")
    # a work never links by its title alone (issue 19): the person importing says which one it is
    for args in (["wikidata", str(DATA / "wikidata" / "Q20145.json")],
                 ["csv", str(csv), "--link", "Love wins all=id:love-wins-all"]):
        res = runner.invoke(cli, ["import", *args, "--graph", str(sources)])
        assert res.exit_code == 0, res.output
    kg = CollabGraph.load(sources, ONTOLOGY)
    p = Page(browser, kg.explore().write(tmp_path / "explorer.html"))
    try:
        p.js("(id) => collabgraph.select(id)", p.node_id("IU"))
        p.page.wait_for_function("document.querySelector('#cg-details').innerText.includes('Cited at: ')")
        records = p.js("[...document.querySelectorAll('#cg-details .cg-record')]"
                       ".map(e => [e.textContent, e.querySelector('a') && e.querySelector('a').href])")
        statement = next(c for c in kg.claims("IU") if c.property == "cg:birthDate")
        assert [f"Cited at: {statement.locators[0]} (open the source)", "https://www.wikidata.org/wiki/Q20145"] in records
        assert not any(r[0].startswith("“") for r in records)  # a locator is never shown as a quote

        p.page.fill("#cg-path-from", "Ona Brevik")
        p.page.fill("#cg-path-to", "Park Seo-joon")
        p.page.click("#cg-path-go")
        hops = kg.path("Ona Brevik", "Park Seo-joon")  # Ona - Mira (imported only) - V - Park Seo-joon
        assert p.js("document.body.dataset.path").split() == [hops[0].source.iri] + [h.target.iri for h in hops]
        shown = p.page.inner_text("#cg-path-result")
        assert len(hops) == 3 and not hops[0].quoted
        assert f"Cited at: {hops[0].credits[0].locators[0]}" in shown and "notes.csv line" in shown
        for h in hops:  # each hop cites as the CLI does: a quote in quotation marks, a record as a record
            cited = h.works[0].credits[0]
            assert (f"“{h.quote}”" if h.quoted else f"Cited at: {cited.locators[0]}") in shown
        assert hops[-1].quoted  # V - Park Seo-joon: the article's words
        assert p.errors == []
    finally:
        p.page.close()


# ---- big views: overview of circles, year slider, size by rank, labels ------------

CIRCLE_POS = """(id) => {
    const p = collabgraph.network.canvasToDOM(collabgraph.network.getPositions([id])[id]);
    const r = document.getElementById('cg-network').getBoundingClientRect();
    return [r.left + p.x, r.top + p.y]; }"""
SHOWN = "collabgraph.nodes.get({filter: n => !n.hidden}).map(n => n.id)"


@pytest.fixture(scope="module")
def generated_page(tmp_path_factory, generated_build):
    """The whole-graph page of the generated 300-agent graph (about 700 entities: an overview)."""
    out = tmp_path_factory.mktemp("overview") / "explorer.html"
    result = CliRunner().invoke(cli, ["explore", "--build", str(generated_build), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_a_big_view_opens_on_its_circles_and_a_click_opens_one(browser, generated_page, generated_build):
    p = Page(browser, generated_page)
    data = p.js("collabgraph.DATA")
    assert data["meta"]["overview"] and not data["meta"]["physics"]
    circles = data["circles"]
    real = [n["id"] for n in data["nodes"]]
    assert sorted(p.js(SHOWN)) == sorted(f"c{c['index']}" for c in circles)  # only the circles at first
    assert sum(c["size"] for c in circles) == len(real)
    with CollabGraph.open(generated_build) as kg:  # every entity of the view is in one circle
        assert len(real) == kg.to_networkx("entity").number_of_nodes()
    members = [n for n in real if data["info"][str(n)]["community"] == 0]
    assert len(members) == circles[0]["size"] >= 5
    x, y = p.js(CIRCLE_POS, "c0")
    p.page.mouse.click(x, y)
    shown = set(p.js(SHOWN))
    assert set(members) <= shown and "c0" not in shown
    assert not {n for n in real if n not in set(members)} & shown  # the other circles stay closed
    assert p.page.inner_text("#cg-details h2") == circles[0]["name"]
    # a member's links to closed circles are drawn to those circles, counted
    links = p.js("collabgraph.edges.get({filter: e => !e.hidden && typeof e.id === 'string'})")
    assert links and all(isinstance(e["from"], int) or isinstance(e["to"], int) or "c" in str(e["from"]) for e in links)
    outside = sum(1 for e in data["edges"] for a, b in [(e["from"], e["to"])]
                  if (a in members) != (b in members))
    assert sum(e["count"] for e in links if (e["from"] in members) or (e["to"] in members)) == outside
    p.page.click("#cg-overview")
    assert sorted(p.js(SHOWN)) == sorted(f"c{c['index']}" for c in circles)
    assert p.requests == [p.url] and p.errors == []


def test_search_opens_the_circle_of_what_it_finds(browser, generated_page):
    p = Page(browser, generated_page)
    data = p.js("collabgraph.DATA")
    target = max(data["info"].items(), key=lambda kv: (kv[1]["community"], kv[0]))  # in the last circle
    p.page.fill("#cg-search", target[1]["label"])
    p.page.press("#cg-search", "Enter")
    assert int(target[0]) in p.js(SHOWN)
    assert p.js("document.body.dataset.open") == str(target[1]["community"])
    assert p.errors == []


def test_year_slider_hides_later_credits_and_keeps_undated_ones(browser, generated_page):
    p = Page(browser, generated_page)
    p.page.click("#cg-everyone")
    lo, hi = p.js("collabgraph.DATA.years")
    cut = (lo + hi) // 2
    p.page.fill("#cg-year-to", str(cut))
    p.page.dispatch_event("#cg-year-to", "change")
    edges = p.js("collabgraph.edges.get({filter: e => typeof e.id === 'number'})")
    later = [e for e in edges if e["year"] and e["year"] > cut]
    assert later and all(e["hidden"] for e in later)
    shown = set(p.js(SHOWN))
    undated = [e for e in edges if not e["year"]]
    assert undated and not any(e["hidden"] for e in undated if e["from"] in shown and e["to"] in shown)
    label = {e["id"]: e["label"] for e in p.js("collabgraph.DATA.edges")}
    members = [e for e in undated if label[e["id"]] == "memberOf"]  # no year: the members and groups stay
    assert members and all(e["from"] in shown and e["to"] in shown and not e["hidden"] for e in members)
    info = p.js("collabgraph.info")
    earlier = [e for e in edges if e["year"] and e["year"] <= cut and e["from"] in shown and e["to"] in shown]
    assert earlier and not any(e["hidden"] for e in earlier)
    assert not any(d["year"] and d["year"] > cut for i, d in info.items() if int(i) in shown)
    assert f"{lo} – {cut}" in p.page.inner_text("#cg-year-shown")
    assert "undated credit" in p.page.inner_text("#cg-year-shown") or p.js("collabgraph.DATA.undated") == 0
    assert p.errors == []


def test_size_and_labels_follow_the_rank_picked(browser, generated_page):
    p = Page(browser, generated_page)
    p.page.click("#cg-everyone")
    info = p.js("collabgraph.info")
    scale = p.js("collabgraph.DATA.meta.rankScale")

    def top(rank):
        real = [(i, d) for i, d in info.items() if d["kind"] != "fold"]
        return {int(i) for i, d in sorted(real, key=lambda kv: (-kv[1]["ranks"][rank], int(kv[0])))[:20]}

    for rank in ("pagerank", "degree"):
        p.page.select_option("#cg-size-by", rank)
        central = {int(x) for x in p.js("document.body.dataset.central").split()}
        assert central == top(rank)
        # sizes: the square root of the rank, mapped linearly onto the
        # options' min..max over the view (circles included), as vis-network's scaling would
        sizes = p.js("Object.fromEntries(collabgraph.nodes.get().map(n => [n.id, n.size]))")
        bounds = p.js("collabgraph.DATA.options.nodes.scaling")
        value = {i: (1 + (d["ranks"]["degree"] if rank == "degree" else d["ranks"]["pagerank"] * scale)) ** 0.5
                 for i, d in info.items()}
        value.update({f"c{c['index']}": (1 + c["size"]) ** 0.5 * 2 for c in p.js("collabgraph.circles")})
        lo, hi = min(value.values()), max(value.values())
        for i in sizes:
            want = bounds["min"] + (value[i] - lo) / (hi - lo) * (bounds["max"] - bounds["min"])
            assert sizes[i] == pytest.approx(want)
        biggest = max(info, key=lambda i: value[i])
        assert sizes[biggest] > sizes[min(info, key=lambda i: value[i])]
        # the page draws the central names at least 15 px on screen; vis-network
        # holds no label in a big view (it would measure them all before its
        # first draw)
        p.js("new Promise(done => { collabgraph.network.once('afterDrawing', done); collabgraph.network.redraw(); })")
        drawn = {d["id"]: d for d in p.js("collabgraph.labels") if isinstance(d["id"], int)}
        assert set(drawn) == central and all(d["px"] >= 15 for d in drawn.values())
        assert all(drawn[i]["text"].split("\n")[0] == info[str(i)]["label"][:80] for i in central)
        assert not any(n.get("label") for n in p.js("collabgraph.nodes.get()") if isinstance(n["id"], int))
    assert p.errors == []


def test_a_big_view_draws_the_labels_in_view_once_zoomed_in(browser, generated_page):
    """vis-network holds no label of a big view's nodes and links; the page
    draws those in view once zoomed in, and none when zoomed out."""
    p = Page(browser, generated_page)
    p.page.click("#cg-everyone")
    redraw = "new Promise(done => { collabgraph.network.once('afterDrawing', done); collabgraph.network.redraw(); })"
    p.js(redraw)
    seen = p.js("collabgraph.viewLabels")
    assert (seen["nodes"], seen["edges"]) == (0, 0)  # the whole view: only the central names
    central = {int(x) for x in p.js("document.body.dataset.central").split()}
    edges = p.js("collabgraph.DATA.edges")
    quiet = next(e for e in edges if e["label"] and e["from"] not in central and e["to"] not in central)
    p.js("(id) => collabgraph.network.focus(id, {scale: 2, animation: false})", quiet["from"])
    p.js(redraw)
    seen = p.js("collabgraph.viewLabels")
    assert seen["nodes"] >= 2 and seen["edges"] >= 1
    boxes = seen["boxes"]  # placed greedily: no label covers another
    assert len(boxes) >= seen["nodes"] + seen["edges"]
    assert not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                   for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert not any(n.get("label") for n in p.js("collabgraph.edges.get()") if isinstance(n["id"], int))
    assert p.errors == []


def test_hostile_labels_stay_text_in_the_overview(browser, tmp_path):
    kg = CollabGraph.load(DATA / "hostile", ONTOLOGY)
    p = Page(browser, kg.explore(overview=True).write(tmp_path / "hostile-overview.html"))
    circles = p.js("collabgraph.DATA.circles")
    assert circles and p.js("collabgraph.DATA.meta.overview")
    x, y = p.js(CIRCLE_POS, "c0")
    p.page.mouse.click(x, y)
    assert p.page.inner_text("#cg-details h2") == circles[0]["name"]
    assert " · ".join(circles[0]["top"]) in p.details()
    assert any("<" in name for c in circles for name in c["top"])  # the hostile names are there, as text
    listed = p.js("[...document.querySelectorAll('.cg-circle')].map(b => b.textContent)")
    assert listed == [f"{c['name']} ({c['size']})" for c in circles]
    p.page.mouse.move(700, 450)
    p.page.wait_for_timeout(300)
    assert p.js("document.querySelectorAll('img, iframe, b').length") == 0
    assert p.dialogs == [] and p.js("window.__pwned") is None
    assert p.requests == [p.url] and p.errors == []


def test_force_layout_keeps_circles_together_and_is_repeatable(generated_build):
    from collabgraph.views.explore import force_layout, view_communities_and_pagerank

    with CollabGraph.open(generated_build) as kg:
        g = nx.Graph(kg.to_networkx("entity").to_undirected())
    g.remove_edges_from(nx.selfloop_edges(g))
    community, _ = view_communities_and_pagerank(g)
    pos = force_layout(g, community)
    assert pos == force_layout(g, community) and set(pos) == set(g)
    linked = [(u, v) for u, v in g.edges()]

    def dist(u, v):
        return ((pos[u][0] - pos[v][0]) ** 2 + (pos[u][1] - pos[v][1]) ** 2) ** 0.5

    inside = [dist(u, v) for u, v in linked if community[u] == community[v]]
    across = [dist(u, v) for u, v in linked if community[u] != community[v]]
    assert sum(inside) / len(inside) * 2 < sum(across) / len(across)


def test_an_opened_circle_adds_exactly_its_members_with_their_details(browser, generated_page, generated_build):
    """Members join the network only when their circle opens: the overview
    starts with the circles alone, and a member's details (credits and the
    quotes behind them) come from the page's tables on click."""
    p = Page(browser, generated_page)
    data = p.js("collabgraph.DATA")
    assert p.js("collabgraph.nodes.getIds()") == [f"c{c['index']}" for c in data["circles"]]
    assert p.js("collabgraph.edges.get().every(e => typeof e.id === 'string')")  # only links between circles
    index = next(c["index"] for c in data["circles"] if not c["pooled"])
    members = sorted(int(i) for i, d in data["info"].items() if d["community"] == index)
    x, y = p.js(CIRCLE_POS, f"c{index}")
    p.page.mouse.click(x, y)
    in_set = p.js("collabgraph.nodes.getIds()")
    assert sorted(i for i in in_set if isinstance(i, int)) == members
    drawn_links = [e for e in p.js("collabgraph.edges.get()") if isinstance(e["id"], int)]
    inside = [e["id"] for e in data["edges"] if e["from"] in members and e["to"] in members]
    assert sorted(e["id"] for e in drawn_links) == sorted(inside) and not any(e["hidden"] for e in drawn_links)
    # a member with credits, clicked where it is drawn
    with CollabGraph.open(generated_build) as kg:
        agent = next(m for m in members if data["info"][str(m)]["agent"] and kg.works(data["info"][str(m)]["iri"]))
        credits = kg.works(data["info"][str(agent)]["iri"])
    x, y = p.js(CIRCLE_POS, agent)
    p.page.mouse.click(x, y)
    assert p.js("document.getElementById('cg-details').dataset.node") == str(agent)
    text = p.details()
    assert p.page.inner_text("#cg-details h2") == data["info"][str(agent)]["label"]
    for credit in credits:
        assert credit.work.label in text
        for quote in credit.quotes:
            assert f"“{quote}”" in text
    assert p.errors == [] and p.requests == [p.url]


def test_zooming_into_a_circle_opens_it(browser, generated_page):
    p = Page(browser, generated_page)
    circles = p.js("collabgraph.DATA.circles")
    target = next(c for c in circles if not c["pooled"])
    x, y = p.js(CIRCLE_POS, target["id"])
    p.page.mouse.move(x, y)
    for _ in range(40):
        if str(target["index"]) in p.js("document.body.dataset.open").split():
            break
        p.page.mouse.wheel(0, -300)
        p.page.wait_for_timeout(60)
    p.page.wait_for_timeout(400)
    opened = p.js("document.body.dataset.open").split()
    assert str(target["index"]) in opened
    assert len(opened) < len(circles)  # not everything: only what is zoomed into
    members = p.js("(i) => Object.keys(collabgraph.info).filter(k => collabgraph.info[k].community === i).map(Number)",
                   target["index"])
    assert set(members) <= set(p.js(SHOWN))
    assert p.errors == []


def test_folded_neighbours_take_their_parents_circle_and_are_counted_in_it(browser, tmp_path, generated_build):
    with CollabGraph.open(generated_build) as kg:
        page = kg.explore(max_nodes=300, overview=True)
    p = Page(browser, page.write(tmp_path / "folded.html"))
    data = p.js("collabgraph.DATA")
    folds = [(int(i), d) for i, d in data["info"].items() if d["kind"] == "fold"]
    assert folds and data["meta"]["overview"]
    p.page.click("#cg-everyone")
    colours = p.js("Object.fromEntries(collabgraph.nodes.get().map(n => [n.id, n.color]))")
    for i, d in folds:
        parent_circle = data["info"][str(d["fold"]["parent"])]["community"]
        assert d["community"] == parent_circle
        assert colours[str(i)]["background"] == data["circles"][parent_circle]["color"]
    for c in data["circles"]:
        n = sum(d["fold"]["count"] for _, d in folds if d["community"] == c["index"])
        assert c["folded"] == n
        assert (f"{n:,} more folded" in c["label"]) == (n > 0)
        assert c["size"] == sum(1 for d in data["info"].values() if d["community"] == c["index"] and d["kind"] != "fold")
    listed = p.js("[...document.querySelectorAll('.cg-circle')].map(b => b.textContent)")
    first = data["circles"][0]
    assert listed[0] == f"{first['name']} ({first['size']}" + (f", +{first['folded']} folded)" if first["folded"] else ")")
    assert p.errors == []


def test_a_view_of_most_of_the_graph_reads_the_same_facts_without_values(generated_build):
    """The whole-graph view reads its facts with one query per kind over the
    graph; the page is the one the VALUES-bound queries give."""
    from collabgraph.views import explore as ex

    with CollabGraph.open(generated_build) as kg:
        g = kg.to_networkx("entity")
        kept = sorted(g, key=lambda n: (-g.degree(n), n))[: g.number_of_nodes() * 3 // 4]
        ids = {iri: i for i, iri in enumerate(kept)}
        types = {iri: g.nodes[iri].get("type", "Entity") for iri in kept}
        whole = ex._details(kg.reader, kept, ids, types, whole=True)
        bound = ex._details(kg.reader, kept, ids, types, whole=False)
    assert whole == bound
    assert whole[1]["credits"] and whole[1]["claims"] and whole[1]["memberships"]
    # a credit with one end outside the view is there, naming that end by its label
    assert any(isinstance(c[0], str) or isinstance(c[1], str) for c in whole[1]["credits"])


def test_a_view_with_many_names_suggests_them_as_one_types(browser, tmp_path, kg, monkeypatch):
    from collabgraph.views import explore as ex

    monkeypatch.setattr(ex, "SUGGEST_ALL", 10)
    monkeypatch.setattr(ex, "SUGGEST_SOME", 3)
    p = Page(browser, kg.explore().write(tmp_path / "many-names.html"))
    options = "(id) => [...document.querySelectorAll('#' + id + ' option')].map(o => o.value)"
    assert p.js(options, "cg-names") == [] and p.js(options, "cg-agent-names") == []
    p.page.type("#cg-search", "tae")
    assert "Taehyung" in " ".join(p.js(options, "cg-names"))
    p.page.fill("#cg-search", "")
    p.page.type("#cg-search", "o")  # many names hold an "o": the first three, those starting with it first
    shown = p.js(options, "cg-names")
    assert len(shown) == 3 and all("o" in n.lower() for n in shown)
    p.page.type("#cg-path-from", "park")
    agents = p.js(options, "cg-agent-names")
    assert "Park Seo-joon" in agents
    labels = p.js("Object.fromEntries(Object.values(collabgraph.info).map(d => [d.label, d.agent]))")
    assert all(labels.get(n, True) for n in agents)  # people and groups only
    p.page.fill("#cg-path-to", "IU")
    p.page.click("#cg-path-go")
    assert p.js("document.body.dataset.path").split()[-1].endswith("/iu")
    assert p.errors == []
