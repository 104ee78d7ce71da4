"""The explorer's picture at phone, laptop and desktop sizes, in a real
headless Chromium: the graph has room, the view is fitted and centred, no
label covers another, and the legend draws the nodes' own shapes. Measured
from vis-network's own positions and boxes (issue 22)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from collabgraph.cli import cli

from .conftest import ONTOLOGY

SIZES = [(390, 844), (1024, 700), (1920, 1080)]

#: Every box on screen (CSS px, relative to the canvas): the view's nodes with
#: their labels (vis-network's bounding boxes), each drawn label alone, and
#: the labels the page draws itself in big views.
MEASURE = """() => {
  const net = collabgraph.network, box = document.getElementById('cg-network').getBoundingClientRect();
  const dom = (l, t, r, b) => { const a = net.canvasToDOM({x: l, y: t}), z = net.canvasToDOM({x: r, y: b}); return [a.x, a.y, z.x, z.y]; };
  const ids = collabgraph.nodes.getIds().filter(id => !collabgraph.nodes.get(id).hidden);
  const nodes = ids.map(id => { const b = net.getBoundingBox(id); return dom(b.left, b.top, b.right, b.bottom); });
  const labels = [];
  for (const id of ids) {
    const n = net.body.nodes[id], l = n.labelModule.size;
    if (n.labelModule.elementOptions.label && l.width > 0) labels.push([String(id), ...dom(l.left, l.top, l.left + l.width, l.top + l.height)]);
  }
  const pageLabels = (collabgraph.labels || []).filter(d => d.box).map(d => [String(d.id), ...d.box]);
  return {canvas: [box.width, box.height], viewport: [innerWidth, innerHeight], left: box.left, right: box.right,
          nodes, labels, pageLabels, scale: net.getScale(), font: collabgraph.DATA.options.nodes.font.size};
}"""


def overlapping(boxes):
    """The pairs of named boxes ``[name, x0, y0, x1, y1]`` that overlap."""
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


def open_page(browser, path, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri())
    page.wait_for_selector('body[data-ready="1"]', state="attached", timeout=60_000)
    page.wait_for_selector('body[data-idle="1"]', state="attached", timeout=60_000)
    page.evaluate("new Promise(done => { collabgraph.network.once('afterDrawing', done); collabgraph.network.redraw(); })")
    return page, errors


def assert_fitted_and_centred(m, boxes, tolerance=0.05):
    w, h = m["canvas"]
    lo_x, lo_y = min(b[0] for b in boxes), min(b[1] for b in boxes)
    hi_x, hi_y = max(b[2] for b in boxes), max(b[3] for b in boxes)
    assert lo_x >= -1 and lo_y >= -1 and hi_x <= w + 1 and hi_y <= h + 1, ((lo_x, lo_y, hi_x, hi_y), (w, h))
    assert abs((lo_x + hi_x) / 2 - w / 2) <= tolerance * w and abs((lo_y + hi_y) / 2 - h / 2) <= tolerance * h
    # fitted: the view fills the canvas along one side at least
    assert max((hi_x - lo_x) / w, (hi_y - lo_y) / h) > 0.6


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory, kg):
    return kg.explore().write(tmp_path_factory.mktemp("layout") / "explorer.html")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_bundled_graph_has_room_is_fitted_and_no_label_covers_another(browser, bundled_page, size):
    page, errors = open_page(browser, bundled_page, size)
    m = page.evaluate(MEASURE)
    w, h = m["canvas"]
    assert w > 0.9 * size[0] if size[0] < 700 else w > 0.6 * size[0]  # a phone: the whole width
    assert h > 0.4 * size[1] and m["right"] <= size[0] + 0.5
    assert_fitted_and_centred(m, m["nodes"])
    assert len(m["labels"]) == 24
    assert overlapping(m["labels"]) == []
    if size[0] >= 1024:  # a laptop's screen: labels readable
        assert m["font"] * m["scale"] >= 9.5
    assert errors == []
    page.close()


def test_the_legend_draws_each_kind_in_the_shape_of_its_nodes(browser, bundled_page):
    page, errors = open_page(browser, bundled_page, (1920, 1080))
    rows = page.evaluate("""() => [...document.querySelectorAll('#cg-legend .cg-legend-item')].map(row => {
        const kind = row.querySelector('input').dataset.kind, svg = row.querySelector('svg.cg-swatch');
        const mark = svg && svg.firstElementChild;
        const used = Object.keys(collabgraph.info).filter(id => collabgraph.info[id].kind === kind)
          .map(id => collabgraph.network.body.nodes[id].options.shape);
        return {kind, shape: svg && svg.dataset.shape, tag: mark && mark.tagName,
                points: mark && mark.tagName === 'polygon' ? mark.getAttribute('points').trim().split(/\\s+/).map(p => p.split(',').map(Number)) : [],
                used: [...new Set(used)]};
    })""")
    assert rows and {r["kind"] for r in rows} >= {"person", "music-video", "online", "post"}
    corners = {"square": 4, "box": 4, "diamond": 4, "triangle": 3, "triangleDown": 3, "star": 10, "hexagon": 6}
    for r in rows:
        assert r["used"] == [r["shape"]], r
        if r["shape"] in corners:
            assert r["tag"] == "polygon" and len(r["points"]) == corners[r["shape"]], r
        else:
            assert r["tag"] == "circle", r
        if r["shape"] in ("triangle", "triangleDown"):  # the lone corner up for one, down for the other
            ys = sorted(p[1] for p in r["points"])
            lone_on_top = ys[0] < ys[1] - 1
            assert lone_on_top == (r["shape"] == "triangle"), r
    assert len({r["shape"] for r in rows if r["kind"] in ("music-video", "online", "post", "song")}) == 4
    assert errors == []
    page.close()


def generated_page(root, agents: int):
    """The whole-graph page of a graph of ``agents`` generated agents, made by the CLI."""
    runner = CliRunner()
    for args in (["generate", "--agents", str(agents), "--seed", "1", "--out", str(root / "g")],
                 ["build", "--graph", str(root / "g"), "--ontology", str(ONTOLOGY), "--out", str(root / "b"), "-q"],
                 ["explore", "--build", str(root / "b"), "--out", str(root / "explorer.html")]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    return root / "explorer.html"


@pytest.fixture(scope="module")
def overview_page(tmp_path_factory):
    """The whole-graph page of a generated 300-agent graph: about 700 entities, so an overview of circles."""
    return generated_page(tmp_path_factory.mktemp("overview-layout"), 300)


@pytest.fixture(scope="module")
def overview_page_10k(tmp_path_factory):
    """The same at 10,000 agents (about 470k triples, 33,000 entities): the issue's big graph."""
    return generated_page(tmp_path_factory.mktemp("overview-10k"), 10_000)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", ["overview", "everyone"])
def test_a_big_view_is_centred_with_its_labels_inside_and_apart(browser, overview_page, size, view):
    check_big_view(browser, overview_page, size, view)


@pytest.mark.load  # a build of 470k triples and a 1,500-node page: in CI's separate load step
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", ["overview", "everyone"])
def test_a_10000_agent_view_is_centred_with_its_labels_inside_and_apart(browser, overview_page_10k, size, view):
    check_big_view(browser, overview_page_10k, size, view)


def check_big_view(browser, path, size, view):
    page, errors = open_page(browser, path, size)
    if view == "everyone":
        page.click("#cg-everyone")
        page.evaluate("new Promise(done => { collabgraph.network.once('afterDrawing', done); collabgraph.network.redraw(); })")
    m = page.evaluate(MEASURE)
    w, h = m["canvas"]
    assert w > 0.6 * size[0] and h > 0.4 * size[1]
    labels = m["pageLabels"]
    labelled = 20 if view == "everyone" else min(20, page.evaluate("collabgraph.circles.length"))
    assert len(labels) >= 8 if size[0] < 700 else len(labels) == labelled  # a phone: those with room
    assert overlapping(labels) == []
    # every label the page draws is inside the canvas, and the nodes with them are centred in it
    assert_fitted_and_centred(m, m["nodes"] + [b[1:] for b in labels], tolerance=0.06)
    if view == "overview":  # no label covers a circle
        circles = [[f"node{i}", *b] for i, b in enumerate(m["nodes"])]
        assert not [pair for pair in overlapping(labels + circles)
                    if pair[0].startswith("node") != pair[1].startswith("node")]
    assert errors == []
    page.close()
