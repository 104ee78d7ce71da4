"""Graph questions (issue 13): rank, communities, bridges, timeline, suggest,
their write-back as graph:analytics and their pictures.

The article's graph, as a fan knows it: V is the one who links two scenes,
IU's ("Love wins all", its music video, IU's Palette) and the cast of Peakboy's
"GYOPO HAIRSTYLE" (Park Seo-joon, Choi Woo-shik, Park Hyung-sik, Peakboy).
The expected answers below are derived from those facts through the library
(credits, collaborators), not typed in."""

from __future__ import annotations

import csv
import io
import json
import math
import struct
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from collabgraph import CollabGraph, write_analytics
from collabgraph.cli import cli
from collabgraph.core.errors import CollabGraphError
from collabgraph.views import analytics

from .conftest import ONTOLOGY
from .servers import start_oxigraph


def _labels(kg, iris):
    return sorted(kg.entity(i).label for i in iris)


def _collaborators(kg, name):
    return {c.agent.iri for c in kg.collaborators(name)}


# -- the answers a fan would agree with ---------------------------------------------------------

def test_rank_puts_v_first_by_every_measure(kg):
    # V is the only agent who worked with both IU and the GYOPO HAIRSTYLE cast:
    # the most collaborators, the only one on paths between the two scenes.
    others = [n for n in kg.to_networkx() if n != kg.entity("V").iri]
    assert len(_collaborators(kg, "V")) > max(len(_collaborators(kg, n)) for n in others)
    for measure in analytics.MEASURES:
        top = kg.rank(measure)
        assert top[0].label == "V", measure
        assert top[0].score > top[1].score, measure
    # The works behind V's score: the cameo that brings four partners first.
    v = kg.rank("degree")[0]
    gyopo = kg.entity("GYOPO HAIRSTYLE")
    cast = {c.agent.iri for c in kg.credits(gyopo)} - {kg.entity("V").iri}
    assert (v.works[0].iri, v.works[0].count) == (gyopo.iri, len(cast))
    assert v.collaborators == len(_collaborators(kg, "V"))


def test_communities_are_ius_circle_and_the_gyopo_hairstyle_cast(kg):
    # Two circles: the GYOPO HAIRSTYLE cast (everyone credited on that song but V),
    # and IU with V, who share five works (the single, its video, IU's Palette...).
    gyopo = kg.entity("GYOPO HAIRSTYLE")
    cast = {c.agent.iri for c in kg.credits(gyopo)} - {kg.entity("V").iri}
    found = kg.communities()
    assert [{m.iri for m in c.members} for c in found] == [cast, {kg.entity("IU").iri, kg.entity("V").iri}]
    assert found[0].works[0].iri == gyopo.iri
    shared = {w.work.iri for c in kg.collaborators("IU") for w in c.works}
    assert {w.iri for w in found[1].works} == shared
    assert kg.communities(seed=0) == found  # seeded: the same answer every time


def test_timeline_of_v_is_hwarang_in_2016_then_love_wins_all_in_2024(kg):
    t = kg.timeline("V")
    # His acting debut (Hwarang, 2016), then the 2024 "Love wins all" works.
    debut = [c for c in kg.works("V") if c.debut]
    assert [y.year for y in t.years] == sorted({int(c.when[:4]) for c in kg.works("V") if c.when and c.when[0] != "-"})
    assert [c.work.label for c in t.years[0].credits] == [c.work.label for c in debut]
    assert "Love wins all" in [c.work.label for c in t.years[-1].credits]
    # Undated credits (the GYOPO HAIRSTYLE cameo, a gMonthDay "--01-24") are kept apart, not lost.
    assert {c.work.label for c in t.undated} >= {"GYOPO HAIRSTYLE", "IU's video of 24 January"}
    assert sum(len(y.credits) for y in t.years) + len(t.undated) == len(kg.works("V"))


def test_suggest_iu_names_the_gyopo_cast_through_v(kg):
    # IU's one collaborator is V; everyone V worked with whom IU has not is a
    # likely collaborator, each explained by V and the works on both sides.
    expected = set().union(*(_collaborators(kg, v) for v in _collaborators(kg, "IU"))) \
        - _collaborators(kg, "IU") - {kg.entity("IU").iri}
    found = kg.suggest("IU")
    assert {s.iri for s in found} == expected and expected
    for s in found:
        assert [v.label for v in s.via] == ["V"]
        assert "GYOPO HAIRSTYLE" in s.via[0].with_candidate and "Love wins all" in s.via[0].with_agent
        assert s.score == pytest.approx(1 / math.log(len(_collaborators(kg, "V"))))


def test_bridges_between_iu_and_park_seo_joon_is_v(kg):
    b = kg.bridges("IU", "Park Seo-joon")
    assert [x.label for x in b.brokers] == ["V"] and b.brokers[0].share == 1.0
    assert b.distance == len(kg.path("IU", "Park Seo-joon"))
    assert "GYOPO HAIRSTYLE" in [w.label for w in b.brokers[0].right]
    # Between the two communities nobody brokers: they touch directly (V and the cast).
    c = kg.bridges(1, 2)
    assert c.distance == 1 and c.brokers == () and {x.target_label for x in c.links} == {"V"}


# -- the pure functions, on tiny graphs --------------------------------------------------------

def _graph(edges):
    g = nx.Graph()
    for a, b in edges:
        g.add_edge(a, b, weight=1, works=[f"{a}{b}"], work_labels=[f"{a}{b}"])
    return g


def test_brokers_share_is_the_fraction_of_shortest_paths():
    # a-m-b and a-n-b: two shortest paths, one through each broker.
    g = _graph([("a", "m"), ("m", "b"), ("a", "n"), ("n", "b"), ("a", "x"), ("x", "y"), ("y", "b")])
    found = analytics.brokers(g, ["a"], ["b"])
    assert [(x.iri, x.share) for x in found.brokers] == [("m", 0.5), ("n", 0.5)]
    assert found.brokers[0].left[0].label == "am" and found.brokers[0].right[0].label == "mb"


def test_brokers_shares_count_every_shortest_path_between_the_sides():
    # Against counting the paths one by one (nx.all_shortest_paths) on a random graph.
    g = nx.relabel_nodes(nx.powerlaw_cluster_graph(60, 2, 0.3, seed=4), lambda i: f"a{i:02d}")
    g.add_edge("far", "away")
    left, right = ["a01", "a07", "a30", "a41"], ["a02", "a15", "a52", "far"]
    through, pairs = {}, 0
    for s in left:
        for t in right:
            if not nx.has_path(g, s, t):
                continue
            pairs += 1
            paths = list(nx.all_shortest_paths(g, s, t))
            for path in paths:
                for v in path[1:-1]:
                    if v not in right:
                        through[v] = through.get(v, 0.0) + 1 / len(paths)
    found = analytics.brokers(g, left, right, limit=None)
    assert {b.iri: b.share for b in found.brokers} == pytest.approx({v: x / pairs for v, x in through.items()})
    assert [b.share for b in found.brokers] == sorted((b.share for b in found.brokers), reverse=True)
    assert found.distance == min(nx.shortest_path_length(g, s, t) for s in left for t in right if nx.has_path(g, s, t))


def test_brokers_refuse_overlapping_sides_and_unknown_agents():
    g = _graph([("a", "b")])
    with pytest.raises(CollabGraphError, match="overlap"):
        analytics.brokers(g, ["a"], ["a", "b"])
    with pytest.raises(CollabGraphError, match="no collaborations"):
        analytics.brokers(g, ["a"], ["zzz"])


def test_betweenness_samples_on_big_graphs_and_is_seeded():
    g = nx.barabasi_albert_graph(2500, 2, seed=1)
    assert analytics.auto_k(g) is None  # exact up to 4,000 agents
    assert analytics.auto_k(nx.barabasi_albert_graph(4500, 2, seed=1)) == 1000
    assert analytics.auto_k(nx.barabasi_albert_graph(4500, 2, seed=1), exact=True) is None
    assert analytics.scores(g, "betweenness", k=500, seed=3) == analytics.scores(g, "betweenness", k=500, seed=3)
    sampled = nx.betweenness_centrality(g, k=500, seed=3)
    assert analytics.scores(g, "betweenness", k=500, seed=3) == pytest.approx(sampled)


@pytest.mark.parametrize("k", [None, 7, 40])
def test_betweenness_is_networkxs_on_every_kind_of_graph(k, generated):
    # The sparse-product Brandes gives NetworkX's numbers: same sources, same scaling.
    from collabgraph.views.projections import analytics_projection

    apart = nx.disjoint_union(nx.path_graph(12), nx.star_graph(30))
    apart.add_node("alone")
    apart.add_edge(3, 3)
    for g in (analytics_projection(generated.reader), apart, nx.cycle_graph(9), nx.complete_graph(45)):
        if k is not None and k >= len(g):
            continue
        mine = analytics.betweenness(g, k=k, seed=5)
        assert mine == pytest.approx(nx.betweenness_centrality(g, k=k, seed=5), abs=1e-12)
    assert analytics.betweenness(nx.path_graph(2)) == {0: 0.0, 1: 0.0}


def test_suggest_methods_and_errors():
    g = _graph([("a", "h"), ("h", "c"), ("h", "d"), ("h", "e"), ("a", "s"), ("s", "c")])
    cn = analytics.suggest(g, "a", method="common-neighbours")
    assert [(s.iri, s.score) for s in cn] == [("c", 2.0), ("d", 1.0), ("e", 1.0)]
    aa = analytics.suggest(g, "a")
    assert aa[0].score == pytest.approx(1 / math.log(4) + 1 / math.log(2))
    assert [v.iri for v in aa[0].via] == ["s", "h"]  # the shared friend of few first
    with pytest.raises(CollabGraphError, match="unknown method"):
        analytics.suggest(g, "a", method="jaccard")


def test_partial_dates_count_by_year():
    assert [analytics.year_of(d) for d in ("2024-01-24", "2016-07", "2016", "--01-24", "", None)] == \
        [2024, 2016, 2016, None, None, None]


def test_yearly_counts_each_pair_on_a_work_in_the_works_year(kg):
    years = kg.yearly()
    g = kg.to_networkx()
    assert sum(y.collaborations for y in years) == sum(len(d["works"]) for *_, d in g.edges(data=True))
    dated = {y.year: y for y in years if y.year is not None}
    # IU and V on the 2024 single, music video and behind-the-scenes video.
    assert dated[2024].agents == 2
    assert dated[2024].collaborations == len([w for c in kg.collaborators("IU") for w in c.works
                                               if kg.release_date(w.work) and kg.release_date(w.work)[:4] == "2024"])


# -- CLI --------------------------------------------------------------------------------------

def test_cli_rank_formats(runner, built):
    as_json = json.loads(runner.invoke(cli, ["rank", "--build", str(built), "--format", "json"]).output)
    assert as_json["ranking"][0]["label"] == "V" and as_json["ranking"][0]["works"]
    out = runner.invoke(cli, ["rank", "--by", "betweenness", "--build", str(built), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert rows[0]["agent"] == "V" and float(rows[0]["betweenness"]) > 0
    table = runner.invoke(cli, ["rank", "--build", str(built)])
    assert table.exit_code == 0 and table.output.splitlines()[2].split()[1] == "V"


def test_cli_rank_says_when_betweenness_is_sampled_and_exact_asks_for_every_source(runner, built):
    base = ["rank", "--by", "betweenness", "--build", str(built), "--format", "json"]
    sampled = runner.invoke(cli, base + ["--k", "3"])
    assert sampled.exit_code == 0, sampled.output
    assert "estimated from 3 sampled sources" in sampled.stderr and "--exact" in sampled.stderr
    assert {r["sampled_sources"] for r in json.loads(sampled.stdout)["ranking"]} == {3}
    exact = runner.invoke(cli, base + ["--k", "3", "--exact"])
    assert exact.exit_code == 0 and "sampled" not in exact.stderr
    ranking = json.loads(exact.stdout)["ranking"]
    assert {r["sampled_sources"] for r in ranking} == {None}
    with CollabGraph.open(built) as kg:
        truth = nx.betweenness_centrality(kg._collaboration())
    assert {r["iri"]: r["score"] for r in ranking} == pytest.approx({r["iri"]: truth[r["iri"]] for r in ranking})
    assert "--exact" in runner.invoke(cli, ["rank", "--help"]).output


def test_cli_communities_csv_is_one_row_per_member(runner, built):
    out = runner.invoke(cli, ["communities", "--build", str(built), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert {r["label"] for r in rows if r["community"] == "2"} == {"IU", "V"}


def test_cli_bridges_suggest_and_timeline(runner, built):
    b = json.loads(runner.invoke(cli, ["bridges", "IU", "Park Seo-joon", "--build", str(built), "--format", "json"]).output)
    assert [x["label"] for x in b["brokers"]] == ["V"]
    c = runner.invoke(cli, ["bridges", "community:1", "community:2", "--build", str(built)])
    assert c.exit_code == 0 and "direct link" in c.output
    s = json.loads(runner.invoke(cli, ["suggest", "IU", "--build", str(built), "--format", "json"]).output)
    assert {x["via"][0]["label"] for x in s["suggestions"]} == {"V"}
    t = runner.invoke(cli, ["timeline", "V", "--build", str(built), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(t.output)))
    assert rows[0]["year"] == "2016" and rows[-1]["year"] == "undated"
    whole = json.loads(runner.invoke(cli, ["timeline", "--build", str(built), "--format", "json"]).output)
    assert whole["years"][-1]["year"] is None and 2024 in [y["year"] for y in whole["years"]]


@pytest.mark.parametrize("args, message", [
    (["bridges", "IU", "community:9"], "no community 9"),
    (["suggest", "Hwarang: The Poet Warrior Youth"], "has no collaborations"),
    (["rank", "--by", "closeness"], "Invalid value"),
    (["timeline", "V", "--plot", "v.gif"], "a plot is written as .png or .svg"),
    (["suggest", "Nobody Atall"], "no entity named"),
])
def test_cli_errors_are_one_line(runner, built, args, message):
    out = runner.invoke(cli, [*args, "--build", str(built)])
    assert out.exit_code != 0 and message in out.output
    assert "Traceback" not in out.output and len([x for x in out.output.splitlines() if x.startswith("error")]) == 1


def test_every_analytics_command_has_help_with_an_example(runner):
    for name in ("rank", "communities", "bridges", "timeline", "suggest", "analytics"):
        out = runner.invoke(cli, [name, "--help"])
        assert out.exit_code == 0 and "Example: collabgraph " + name in out.output


# -- write-back -------------------------------------------------------------------------------

def test_analytics_write_is_queryable_and_recomputed_only_when_the_build_changes(runner, sources, tmp_path):
    from collabgraph import build

    out = tmp_path / "build"
    build(sources, None, out)
    assert "missing" in runner.invoke(cli, ["analytics", "--build", str(out)]).output
    first = write_analytics(out)
    assert first.written and first.communities == 2
    with CollabGraph.open(out) as kg:
        rows = kg.sparql("SELECT ?label ?n WHERE { ?a rdfs:label ?label ; cg:inCommunity ?c . "
                         "?c cg:communityNumber ?n } ORDER BY ?label")
        community = {str(r.label): int(r.n) for r in rows}
        assert community["IU"] == community["V"] != community["Park Seo-joon"]
        top = kg.sparql("SELECT ?a WHERE { ?a cg:pageRank ?p } ORDER BY DESC(?p) LIMIT 1")
        assert [str(r.a) for r in top] == [kg.entity("V").iri]
        run = kg.sparql("SELECT ?id ?alg WHERE { ?run a cg:AnalyticsRun ; cg:buildId ?id ; cg:algorithm ?alg }")
        assert {str(r.id) for r in run} == {first.build_id} and any("louvain" in str(r.alg) for r in run)
    again = write_analytics(out)
    assert not again.written and again.computed_at == first.computed_at
    assert write_analytics(out, seed=7).written  # other parameters: recomputed
    # A changed source makes another build: its analytics are computed afresh.
    ttl = next(sources.rglob("love-wins-all-article.ttl"))
    ttl.write_text(ttl.read_text("utf-8") + "\n# edited\n", "utf-8")
    build(sources, None, out)
    assert "missing" in runner.invoke(cli, ["analytics", "--build", str(out)]).output
    third = runner.invoke(cli, ["analytics", "--write", "--build", str(out), "--format", "json"])
    assert json.loads(third.output)["written"] and json.loads(third.output)["build_id"] != first.build_id


def test_a_run_over_another_build_is_recomputed(sources):
    # What a SPARQL server keeps across builds: the build id tells stale results.
    from collabgraph.build.writeback import build_id, current_run, write_analytics_into

    kg = CollabGraph.load(sources)
    write_analytics_into(kg.store, kg.reader, kg.manifest)
    assert current_run(kg.store)["build_id"] == build_id(kg.manifest)
    changed = {**kg.manifest, "sources": [{**s, "sha256": "0"} for s in kg.manifest["sources"]]}
    assert build_id(changed) != build_id(kg.manifest)
    assert not write_analytics_into(kg.store, kg.reader, kg.manifest).written
    assert write_analytics_into(kg.store, kg.reader, changed).written
    assert current_run(kg.store)["build_id"] == build_id(changed)


@pytest.fixture(scope="module")
def remote_build(tmp_path_factory, article_graph):
    """The article graph built into a private Oxigraph server (a real one, on a free port)."""
    from collabgraph import build

    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        out = tmp_path_factory.mktemp("remote") / "build"
        build(article_graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update)
        yield out
    finally:
        server.stop()


def test_a_local_store_and_a_sparql_server_are_written_the_same(remote_build, article_graph):
    # A local store is written directly, a server by SPARQL Update: the same triples either way.
    from collabgraph.build.writeback import build_id, write_analytics_into

    local = CollabGraph.load(article_graph, ONTOLOGY)
    here = write_analytics_into(local.store, local.reader, local.manifest)
    there = write_analytics(remote_build)
    assert here.written and there.written and there.triples == here.triples == len(_analytics_graph(local)) + 1
    with CollabGraph.open(remote_build) as remote:
        assert _analytics_graph(remote, without=build_id(remote.manifest)) == \
            _analytics_graph(local, without=build_id(local.manifest))


def _analytics_graph(kg, without=None):
    """The analytics graph's triples, without the run's time (and build id)."""
    rows = kg.sparql("SELECT ?s ?p ?o WHERE { GRAPH graph:analytics { ?s ?p ?o } }")
    skip = {"http://www.w3.org/ns/prov#endedAtTime"}
    return {(str(r.s), str(r.p), str(r.o)) for r in rows
            if str(r.p) not in skip and (without is None or str(r.o) != without)}


# -- the analytics projection ------------------------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated graph of 300 agents (guests, groups, dated and undated works), in memory."""
    from collabgraph.importers.generate import generate

    out = tmp_path_factory.mktemp("generated") / "g"
    generate(300, out, seed=2)
    return CollabGraph.load(out, ONTOLOGY)


@pytest.mark.parametrize("which", ["article", "generated"])
def test_the_analytics_projection_is_the_collaboration_graph_without_quotes(which, kg, generated):
    from collabgraph.views.projections import analytics_projection

    graph = kg if which == "article" else generated
    full = graph.to_networkx("collaboration")
    lean = analytics_projection(graph.reader)
    # The pairs are those the inference rules found (cg:collaboratedWith, or a
    # marked statement of one where a credit is an editors' inference), and
    # each pair's works those the collaborators view lists.
    rule = {frozenset((str(r.a), str(r.b))) for r in graph.sparql(
        "SELECT ?a ?b WHERE { { ?a cg:collaboratedWith ?b FILTER (STR(?a) < STR(?b)) } UNION "
        "{ ?st a rdf:Statement ; rdf:predicate cg:collaboratedWith ; rdf:subject ?a ; rdf:object ?b } }")}
    assert {frozenset(e) for e in lean.edges()} == rule and len(rule) > 0
    for agent in sorted(lean, key=lambda n: -lean.degree(n))[:12]:
        listed = {c.agent.iri: sorted(w.work.iri for w in c.works) for c in graph.collaborators(agent)}
        assert listed == {b: lean.edges[agent, b]["works"] for b in lean.adj[agent]}
    assert dict(lean.nodes(data=True)) == dict(full.nodes(data=True))
    assert {frozenset((a, b)) for a, b in lean.edges()} == {frozenset((a, b)) for a, b in full.edges()}
    years = analytics.work_years(graph.reader)
    for a, b, data in lean.edges(data=True):
        whole = {k: v for k, v in full.edges[a, b].items() if k not in ("quotes", "marked_works")}
        assert {k: v for k, v in data.items() if k != "years"} == whole
        assert data["years"] == [years.get(w) for w in data["works"]]
    # Per-year counts from the edges' years are those from the store's dates.
    assert graph.yearly() == analytics.yearly(graph.reader, full)


def test_analytics_read_their_projection_from_the_build(built):
    # The first analytic over a build makes the lean projection (not the one
    # with every quote) and keeps it in the build's cache for the next process.
    from collabgraph.views.reader import load_graph

    cache = built / "cache" / "analytics.json"
    with CollabGraph.open(built) as first:
        ranked = first.rank("pagerank")
        assert "collaboration" not in first.reader.projections
        assert cache.is_file()
    kept = load_graph(cache)
    with CollabGraph.open(built) as second:
        assert [r.to_dict() for r in second.rank("pagerank")] == [r.to_dict() for r in ranked]
        assert nx.utils.graphs_equal(second.reader.projections["analytics"], kept)


# -- pictures ----------------------------------------------------------------------------------

def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_plots_are_real_png_and_svg_with_the_names(runner, built, tmp_path):
    svg = tmp_path / "communities.svg"
    out = runner.invoke(cli, ["communities", "--build", str(built), "--plot", str(svg)])
    assert out.exit_code == 0, out.output
    text = "".join(ET.parse(svg).getroot().itertext())  # well-formed XML, text kept as text
    for name in ("V", "IU", "Park Seo-joon", "Peakboy"):
        assert name in text
    png = tmp_path / "v.png"
    assert runner.invoke(cli, ["timeline", "V", "--build", str(built), "--plot", str(png)]).exit_code == 0
    w, h = _png_size(png.read_bytes())
    assert w > 300 and h > 100
    import matplotlib.image as mpimg

    pixels = mpimg.imread(png)
    assert pixels.shape[:2] == (h, w) and pixels.std() > 0  # it decodes, and is not blank
    v_svg = tmp_path / "v.svg"
    runner.invoke(cli, ["timeline", "V", "--build", str(built), "--plot", str(v_svg)])
    v_text = "".join(ET.parse(v_svg).getroot().itertext())
    assert "Hwarang: The Poet Warrior Youth" in v_text and "2016" in v_text and "undated" in v_text
    whole = tmp_path / "years.svg"
    assert runner.invoke(cli, ["timeline", "--build", str(built), "--plot", str(whole)]).exit_code == 0
    assert "Collaborations per year" in "".join(ET.parse(whole).getroot().itertext())


def test_the_community_map_of_a_big_graph_draws_communities(tmp_path):
    from collabgraph.views.plots import MAP_PEOPLE_UP_TO, plot_communities

    g = nx.relaxed_caveman_graph(30, 20, 0.05, seed=1)
    g = nx.relabel_nodes(g, {n: f"agent{n}" for n in g})
    for n in g:
        g.nodes[n]["label"] = n.replace("agent", "Artist ")
    for a, b in g.edges:
        g.edges[a, b].update(weight=1, works=[f"{a}-{b}"], work_labels=[f"{a}-{b}"])
    assert len(g) > MAP_PEOPLE_UP_TO
    found = analytics.communities(g)
    text = "".join(ET.parse(plot_communities(g, found, tmp_path / "big.svg")).getroot().itertext())
    assert f"1: {found[0].name}" in text
