"""The first hour's rough edges (issue 22): output paths, messages outside a
repository, the sparql command's mistakes, Ctrl-C during a build, and the
timeline plot over one year."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from collabgraph import CollabGraph
from collabgraph.cli import cli
from collabgraph.core.durable import WriteFailed

from .conftest import ONTOLOGY

# ---- output paths: no directory is made for an output file ------------------------------

OUTPUTS = [
    (["explore", "--out", "{out}.html"]),
    (["timeline", "--plot", "{out}.png"]),
    (["timeline", "V", "--plot", "{out}.svg"]),
    (["communities", "--plot", "{out}.svg"]),
    (["export", "-o", "{out}.trig"]),
]


@pytest.mark.parametrize("args", OUTPUTS, ids=lambda a: a[0] + ("-" + a[1] if a[1] == "V" else ""))
def test_an_output_in_a_missing_directory_is_refused_and_no_directory_is_made(runner, built, tmp_path, args):
    missing = tmp_path / "nonexistent" / "deeper"
    out = str(missing / "x")
    result = runner.invoke(cli, [a.replace("{out}", out) for a in args] + ["--build", str(built)])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("error: ") and sum(line.startswith("error: ") for line in lines) == 1
    assert f"cannot write: no directory {missing}" in lines[-1]
    assert not (tmp_path / "nonexistent").exists()


def test_the_api_refuses_a_missing_directory_too(kg, tmp_path):
    with pytest.raises(WriteFailed, match="no directory"):
        kg.explore(focus="IU", depth=1).write(tmp_path / "gone" / "iu.html")
    with pytest.raises(WriteFailed, match="no directory"):
        kg.export(tmp_path / "gone" / "g.trig", "trig")
    assert not (tmp_path / "gone").exists()
    # an existing directory is written as before
    assert kg.explore(focus="IU", depth=1).write(tmp_path / "iu.html").is_file()


# ---- outside a repository -----------------------------------------------------------------

def test_outside_a_repository_entity_and_build_name_the_options_to_use(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("COLLABGRAPH_BUILD", raising=False)
    monkeypatch.chdir(tmp_path)
    entity = runner.invoke(cli, ["entity", "V"])
    build = runner.invoke(cli, ["build"])
    assert entity.exit_code == 1 and "--build DIR" in entity.output and "collabgraph build" in entity.output
    assert build.exit_code == 1 and "--graph DIR" in build.output
    assert len(entity.output.strip().splitlines()) == 1 and len(build.output.strip().splitlines()) == 1


def test_sparql_list_needs_no_build(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("COLLABGRAPH_BUILD", raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["sparql", "--list"])
    as_json = runner.invoke(cli, ["sparql", "--list", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "collaborators  --bind agent=<entity>" in result.output
    assert as_json.exit_code == 0 and '"name": "collaborators"' in as_json.output


# ---- sparql mistakes ----------------------------------------------------------------------

def test_a_bind_without_equals_says_what_is_wrong_with_bind(runner, built):
    result = runner.invoke(cli, ["sparql", "--build", str(built), "--saved", "collaborators", "--bind", "agent", "V"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "--bind" in result.output and "use NAME=VALUE" in result.output and "--bind agent=V" in result.output
    assert "not both" not in result.output


@pytest.mark.parametrize("query, line, column", [
    ("SELEC ?s WHERE { ?s ?p ?o }", 1, 1),
    ("PREFIX x: <http://x/>\n  selct ?s WHERE { ?s x:p ?o }", 2, 3),
])
def test_a_misspelt_query_form_is_reported_where_it_is(runner, built, query, line, column):
    result = runner.invoke(cli, ["sparql", "--build", str(built), query])
    assert result.exit_code == 1
    assert f"at line {line}, column {column}:" in result.output
    assert "did you mean SELECT?" in result.output


def test_an_empty_answer_from_a_property_typo_names_the_nearest_property(runner, built):
    result = runner.invoke(cli, ["sparql", "--build", str(built), "SELECT ?a WHERE { ?a cg:memberof ?g }"])
    assert result.exit_code == 0
    assert "(0 rows)" in result.stdout
    assert "cg:memberof is nowhere in the graph; did you mean cg:memberOf" in result.stderr
    right = runner.invoke(cli, ["sparql", "--build", str(built), "SELECT ?a WHERE { ?a cg:memberOf ?g }"])
    assert "(0 rows)" not in right.stdout and "nowhere" not in right.stderr


@pytest.mark.parametrize("query, head, fix", [
    ("PREFIX schema: <http://schema.org/> SELECT ?c WHERE { ?c schema:url ?n }",
     "schema:url here is <http://schema.org/url>, nowhere in the graph", "leave out the query's PREFIX schema:"),
    ("SELECT ?c WHERE { ?c <http://schema.org/url> ?n }", "<http://schema.org/url> is nowhere in the graph", None),
    ("PREFIX cg: <http://example.org/collab#> SELECT ?a WHERE { ?a cg:memberOf ?g }",
     "cg:memberOf here is <http://example.org/collab#memberOf>", "leave out the query's PREFIX cg:"),
])
def test_an_empty_answer_from_a_term_in_another_namespace_says_which_namespace_the_graph_uses(runner, built, query,
                                                                                            head, fix):
    """The usual slip: schema.org over http, or a project prefix declared by hand to another IRI. The term is
    in the graph under the namespace collabgraph gives the prefix: say so, not just "nowhere"."""
    result = runner.invoke(cli, ["sparql", "--build", str(built), query])
    assert result.exit_code == 0 and "(0 rows)" in result.stdout
    [line] = [x for x in result.stderr.splitlines() if x.startswith("no results;")]
    assert head in line and "; the graph has <" in line
    assert ("its namespace is <https://schema.org/>" in line) or ("<https://w3id.org/collabgraph/ns#>" in line)
    assert (fix in line) if fix else "PREFIX" not in line
    fixed = query.replace("PREFIX schema: <http://schema.org/> ", "").replace("<http://schema.org/url>", "schema:url")
    fixed = fixed.replace("PREFIX cg: <http://example.org/collab#> ", "")
    right = runner.invoke(cli, ["sparql", "--build", str(built), fixed])
    assert "(0 rows)" not in right.stdout and "nowhere" not in right.stderr


def test_entities_are_data_not_vocabulary_no_hint_for_them(runner, built):
    result = runner.invoke(cli, ["sparql", "--build", str(built), "SELECT ?p WHERE { id:nobody-here ?p ?o }"])
    assert "(0 rows)" in result.stdout and "nowhere" not in result.stderr


# ---- Ctrl-C during a build ----------------------------------------------------------------

def test_ctrl_c_during_a_build_exits_at_once_and_keeps_the_previous_build(tmp_path):
    exe = [sys.executable, "-m", "collabgraph"]
    graph, out = tmp_path / "g", tmp_path / "build"
    subprocess.run([*exe, "generate", "--agents", "300", "--seed", "1", "--out", str(graph)], check=True,
                   capture_output=True)
    subprocess.run([*exe, "build", "--graph", str(graph), "--ontology", str(ONTOLOGY), "--out", str(out), "-q"],
                   check=True, capture_output=True)
    with CollabGraph.open(out) as kg:
        before = kg.summary()
    # a full build, interrupted once it validates (one long query of the store's engine)
    # Ctrl-C as a terminal delivers it: a suite started in the background by a shell without job
    # control inherits SIGINT ignored, and Python then keeps it ignored (the build would run on)
    proc = subprocess.Popen([*exe, "build", "--graph", str(graph), "--ontology", str(ONTOLOGY), "--out", str(out),
                             "--full", "-v"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith("validate"):
            break
    assert proc.poll() is None, "".join(seen)
    time.sleep(0.3)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    proc.wait(timeout=60)
    took = time.monotonic() - sent
    assert proc.returncode == 130
    assert took < 3, f"{took:.1f} s to stop"
    assert f"error: interrupted; the previous build in {out}/ was kept" in rest
    with CollabGraph.open(out) as kg:
        assert kg.summary() == before


# ---- timeline plots ----------------------------------------------------------------------

def _texts_inside(fig, ax, texts) -> list[str]:
    """The texts that end outside the axes' frame (in pixels, after a draw)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    return [t.get_text() for t in texts
            if not (frame.x0 - 1 <= t.get_window_extent(renderer).x0 and t.get_window_extent(renderer).x1 <= frame.x1 + 1)]


def test_the_whole_graphs_timeline_over_one_year_is_one_bar_with_whole_year_ticks():
    from collabgraph.views.plots import timeline_figure
    from collabgraph.views.analytics import YearCount

    plt, fig = timeline_figure([YearCount(2024, 12, 3, 4), YearCount(None, 5, 2, 2)])
    ax = fig.axes[0]
    fig.canvas.draw()
    bars = ax.patches
    assert len(bars) == 1
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks == ["2024"]
    frame = ax.get_window_extent()
    assert bars[0].get_window_extent().width < 0.5 * frame.width  # a year's bar, not the whole chart
    plt.close(fig)


@pytest.mark.parametrize("name", ["IU", "V"])
def test_an_agents_timeline_keeps_every_label_inside_the_frame_and_ticks_whole_years(kg, name):
    from collabgraph.views.plots import timeline_figure

    plt, fig = timeline_figure(kg.timeline(name))
    ax = fig.axes[0]
    assert _texts_inside(fig, ax, ax.texts) == []
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(t.isdigit() for t in ticks)
    plt.close(fig)


def test_the_timeline_command_draws_one_year_with_its_year_as_the_only_tick(runner, built, tmp_path):
    svg = tmp_path / "iu.svg"
    assert runner.invoke(cli, ["timeline", "IU", "--build", str(built), "--plot", str(svg)]).exit_code == 0
    texts = ["".join(t.itertext()).strip() for t in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert "2024" in texts and not any(t.replace(".", "", 1).isdigit() and "." in t for t in texts)


@pytest.mark.parametrize("command", ["build", "generate"])
def test_an_output_directory_is_made_only_in_a_directory_that_exists(runner, tmp_path, command):
    args = {"build": ["build", "--graph", str(tmp_path), "--ontology", str(ONTOLOGY), "--out"],
            "generate": ["generate", "--agents", "10", "--out"]}[command]
    result = runner.invoke(cli, [*args, str(tmp_path / "nonexistent" / "out")])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {tmp_path / 'nonexistent' / 'out'}: cannot write: no directory " \
                                    f"{tmp_path / 'nonexistent'} (make it first)"
    assert not (tmp_path / "nonexistent").exists()
