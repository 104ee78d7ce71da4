"""Scale features on small generated graphs: the generator, incremental
builds, cached projections, progress output and value binding."""

from __future__ import annotations

import statistics
from collections import Counter

import networkx as nx
import pytest
from rdflib import Literal, URIRef

from collabgraph import CollabGraph, validate
from collabgraph import build
from collabgraph.cli import cli
from collabgraph.importers.generate import generate
from collabgraph.store.local import Store, bind_values

from .conftest import ONTOLOGY


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "graph"
    stats = generate(1500, out, seed=3)
    return out, stats


def test_generated_graph_passes_validation_and_counts_its_triples(generated):
    out, stats = generated
    assert stats.files == 2 and sorted(p.name for p in out.iterdir()) == ["synthetic-0001.ttl", "synthetic-0002.ttl"]
    report = validate(out, ONTOLOGY)
    assert report.triples == stats.triples


def test_generator_is_deterministic_per_seed(tmp_path):
    a, b, c = (generate(200, tmp_path / name, seed=seed) for name, seed in (("a", 5), ("b", 5), ("c", 6)))
    assert (tmp_path / "a" / "synthetic-0001.ttl").read_bytes() == (tmp_path / "b" / "synthetic-0001.ttl").read_bytes()
    assert (tmp_path / "a" / "synthetic-0001.ttl").read_bytes() != (tmp_path / "c" / "synthetic-0001.ttl").read_bytes()
    assert a == b


def test_generated_graph_looks_like_real_data(generated):
    out, _ = generated
    kg = CollabGraph.load(out, ONTOLOGY)
    credits = Counter(str(r.a) for r in kg.sparql("SELECT ?a WHERE { ?c a cg:Credit ; cg:agent ?a }"))
    counts = sorted(credits.values())
    assert statistics.median(counts) <= 2 and counts[-1] >= 15  # heavy tail
    kinds = {str(r.t).rsplit("#", 1)[1] for r in kg.sparql(
        "SELECT DISTINCT ?t WHERE { ?w a ?t . ?t rdfs:subClassOf* cg:Work }")}
    assert {"Single", "Song", "MusicVideo", "KDrama", "TalkShow", "Video", "SocialMediaPost"} <= kinds
    korean = kg.sparql('SELECT ?l WHERE { ?e rdfs:label ?l FILTER(LANG(?l) = "ko") } LIMIT 1')
    assert len(list(korean)) == 1
    assert kg.sparql("ASK { ?a cg:memberOf ?g . ?c cg:character ?ch . ?x cg:collaboratedWith ?y }").askAnswer
    some = next(iter(kg.sparql("SELECT ?l WHERE { ?e a cg:Person ; rdfs:label ?l FILTER(LANG(?l)='en') } LIMIT 1")))
    assert kg.entity(str(some.l).lower().replace("-", " ")).label == str(some.l)


def test_generate_command(runner, tmp_path):
    result = runner.invoke(cli, ["generate", "--agents", "300", "--seed", "2", "--out", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    assert "triples" in result.output
    assert validate(tmp_path / "g", ONTOLOGY).triples > 10_000


def test_incremental_rebuild_parses_only_the_changed_file(generated, tmp_path):
    out_dir, _ = generated
    src = tmp_path / "graph"
    src.mkdir()
    for p in out_dir.iterdir():
        (src / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "build"
    first = build(src, ONTOLOGY, out)
    assert first.reused == 0
    again = build(src, ONTOLOGY, out)
    assert again.reused == 2
    changed = src / "synthetic-0002.ttl"
    changed.write_text(changed.read_text().replace('"Synthetic article 2', '"Synthetic article two', 1))
    third = build(src, ONTOLOGY, out)
    assert [s.reused for s in third.sources] == [True, False]
    full = build(src, ONTOLOGY, tmp_path / "full", incremental=False)
    assert full.reused == 0
    assert third.summary == full.summary
    assert third.triples == full.triples


def test_projection_cache_round_trips(built, kg):
    with CollabGraph.open(built) as on_disk:
        for kind in ("collaboration", "entity"):
            fresh = kg.to_networkx(kind)
            cached = on_disk.to_networkx(kind)
            assert nx.utils.graphs_equal(fresh, cached)
            assert dict(fresh.nodes(data=True)) == dict(cached.nodes(data=True))
        assert (built / "cache" / "collaboration.json").is_file()
    with CollabGraph.open(built) as again:  # a new process would read the cache file
        assert nx.utils.graphs_equal(again.to_networkx("entity"), kg.to_networkx("entity"))


def test_build_verbose_prints_stages_and_no_bar_in_a_pipe(runner, tmp_path, sources):
    result = runner.invoke(cli, ["build", "-v", "--graph", str(sources), "--ontology", str(ONTOLOGY),
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.stderr
    stages = [line.split()[0] for line in result.stderr.splitlines() if line.startswith("  ")]
    assert stages == ["load", "validate", "infer", "summarise", "write"]
    assert "loading sources" not in result.stderr  # no progress bar outside a terminal
    quiet = runner.invoke(cli, ["build", "-q", "--graph", str(sources), "--ontology", str(ONTOLOGY),
                                "--out", str(tmp_path / "o")])
    assert quiet.output == "" and quiet.stderr == ""


@pytest.mark.parametrize("query,expected", [
    ("SELECT ?x WHERE { ?x ?p ?v }", "SELECT ?x WHERE { VALUES (?v) { (1) } ?x ?p ?v }"),
    ("# WHERE { in a comment\nSELECT ?x WHERE { ?x ?p ?v }", "# WHERE { in a comment\nSELECT ?x WHERE { VALUES (?v) { (1) } ?x ?p ?v }"),
    ("SELECT ?x WHERE { ?x ?p \"WHERE {\" . ?x ?q ?v }", "SELECT ?x WHERE { VALUES (?v) { (1) } ?x ?p \"WHERE {\" . ?x ?q ?v }"),
    ("CONSTRUCT { ?x ?p ?v } WHERE { ?x ?p ?v }", "CONSTRUCT { ?x ?p ?v } WHERE { VALUES (?v) { (1) } ?x ?p ?v }"),
    ("ASK { ?x ?p ?v }", "ASK { VALUES (?v) { (1) } ?x ?p ?v }"),
])
def test_values_go_into_the_where_group(query, expected):
    assert bind_values(query, {"v": 1}).replace('"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "1") == expected


def test_bound_values_cannot_change_the_query():
    store = Store.memory()
    store.load_data('<https://e/a> <https://e/p> "x" .', "ntriples", graph="https://g/1")
    for hostile in ['x" } } ; DROP ALL ; #', "x' }", "x\n} UNION { ?s ?p ?o"]:
        assert list(store.query("SELECT ?s WHERE { ?s ?p ?o }", {"o": hostile})) == []
    assert len(list(store.query("SELECT ?s WHERE { ?s ?p ?o }", {"o": "x"}))) == 1
    assert len(list(store.query("SELECT ?s WHERE { ?s ?p ?o }", {"s": URIRef("https://e/a"), "o": Literal("x")}))) == 1
    with pytest.raises(ValueError):
        store.query("SELECT ?s WHERE { ?s ?p ?o }", {"s": URIRef("https://e/a> } #")})
