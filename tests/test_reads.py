"""The read side at the store's speed: focus views from the neighbourhood
only, the build opened in memory, search through the name index."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from collabgraph import CollabGraph
from collabgraph import build
from collabgraph.cli import cli
from collabgraph.core.errors import EntityNotFound
from collabgraph.importers.generate import generate
from collabgraph.core.names import search_key
from collabgraph.store.snapshot import SNAPSHOT
from collabgraph.views import projections

from .conftest import ONTOLOGY, free_port, wait_until_serving

AGGREGATE = """SELECT ?a ?b (COUNT(DISTINCT ?w) AS ?n) WHERE {
  ?c1 cg:agent ?a ; cg:work ?w . ?c2 cg:agent ?b ; cg:work ?w . FILTER (STR(?a) < STR(?b))
} GROUP BY ?a ?b ORDER BY DESC(?n) ?a ?b LIMIT 20"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated graph of 300 agents, built."""
    root = tmp_path_factory.mktemp("reads")
    generate(300, root / "g", seed=3)
    build(root / "g", ONTOLOGY, root / "build")
    return root / "build"


def _answers(kg: CollabGraph, names: list[str]) -> dict:
    """Everything the API answers about some entities, as JSON-able data."""
    out = {"summary": kg.summary(), "aggregate": [[str(x) for x in row] for row in kg.sparql(AGGREGATE)]}
    for name in names:
        out[name] = {
            "entity": kg.entity(name).to_dict(), "credits": [c.to_dict() for c in kg.credits(name)],
            # a claim's quotes come in the store's order (not sorted), which differs between engines
            "claims": [{**c.to_dict(), "quotes": sorted(c.quotes)} for c in kg.claims(name)],
            "collaborators": [c.to_dict() for c in kg.collaborators(name)] if kg.entity(name).type in
            ("Person", "Group") else [],
            "search": [e.id for e in kg.search(name[:4])],
        }
    out["path"] = [h.to_dict() for h in kg.path(names[0], names[1])]
    return out


def test_a_build_opened_in_memory_answers_as_on_disk(built):
    assert (built / SNAPSHOT).is_file()
    names = ["V", "IU", "Park Seo-joon", "GYOPO HAIRSTYLE"]
    with CollabGraph.open(built) as disk, CollabGraph.open(built, memory=True) as memory:
        assert memory.store.path is None  # not the on-disk store
        assert _answers(memory, names) == _answers(disk, names)


def test_memory_needs_neither_the_on_disk_store_nor_a_snapshot(tmp_path, built):
    """From the snapshot alone (the on-disk store gone); and a build without a
    snapshot (made before them) is copied from its store instead."""
    names = ["V", "IU"]
    with CollabGraph.open(built) as disk:
        expected = _answers(disk, names)
    only_snapshot = tmp_path / "only-snapshot"
    shutil.copytree(built, only_snapshot)
    shutil.rmtree(only_snapshot / "store")
    with CollabGraph.open(only_snapshot, memory=True) as kg:
        assert _answers(kg, names) == expected
    old = tmp_path / "old"
    shutil.copytree(built, old)
    (old / SNAPSHOT).unlink()
    with CollabGraph.open(old, memory=True) as kg:
        assert _answers(kg, names) == expected


def test_serve_memory_answers_from_memory(tmp_path, built):
    """`serve --memory` answers the same as on disk, with the on-disk store removed."""
    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    shutil.rmtree(copy / "store")
    port = free_port()
    exe = Path(sys.executable).with_name("collabgraph")
    proc = subprocess.Popen([str(exe), "serve", "--build", str(copy), "--port", str(port), "--memory",
                             "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(proc, f"{base}/saved.json", "collabgraph serve --memory")
        query = "PREFIX cg: <https://w3id.org/collabgraph/ns#>\n" + AGGREGATE
        request = urllib.request.Request(f"{base}/sparql?{urllib.parse.urlencode({'query': query})}",
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as r:
            served = [[b[v]["value"] for v in ("a", "b", "n")] for b in json.load(r)["results"]["bindings"]]
    finally:
        proc.terminate()
        proc.wait(10)
    with CollabGraph.open(built) as kg:
        assert served == [[str(x) for x in row] for row in kg.sparql(AGGREGATE)]
        assert served  # the aggregate has rows to compare


def test_serve_memory_refuses_writable(built):
    result = CliRunner().invoke(cli, ["serve", "--build", str(built), "--memory", "--writable"])
    assert result.exit_code == 2
    assert "--memory" in result.output and "Traceback" not in result.output


def _page(kg: CollabGraph, focus: str, depth: int, max_nodes: int) -> str:
    return kg.explore(focus=focus, depth=depth, max_nodes=max_nodes).html


@pytest.mark.parametrize("depth,max_nodes", [(1, 1500), (2, 1500), (2, 30), (3, 60)])
def test_focus_view_from_the_neighbourhood_is_the_view_from_the_whole_graph(generated, monkeypatch, depth,
                                                                             max_nodes):
    """A focus view walked by queries (and, past NEAR_MAX, cut from the
    whole projection) is the page cut from the whole entity projection."""
    with CollabGraph.open(generated) as kg:
        g = kg.to_networkx("entity").to_undirected()
        foci = [max(g, key=lambda n: (g.degree(n), n)), min(g, key=lambda n: (g.degree(n), n)),
                sorted(g)[len(g) // 2]]
    for focus in foci:
        with CollabGraph.open(generated) as walked:
            queried = _page(walked, focus, depth, max_nodes)
            assert "entity" not in walked.reader.projections  # the whole projection was not read
        with CollabGraph.open(generated) as whole:
            projections.projection(whole.reader, "entity")
            assert _page(whole, focus, depth, max_nodes) == queried
        monkeypatch.setattr(projections, "NEAR_MAX", 2)
        with CollabGraph.open(generated) as big:
            assert _page(big, focus, depth, max_nodes) == queried
        monkeypatch.undo()


def test_focus_on_an_unknown_entity_is_one_line(generated, runner):
    result = runner.invoke(cli, ["explore", "--build", str(generated), "--focus", "nobody at all"])
    assert result.exit_code == 1
    assert result.output.startswith("error: no entity named 'nobody at all'")
    with CollabGraph.open(generated) as kg, pytest.raises(EntityNotFound):
        kg.explore(focus="nobody at all")


def test_search_and_suggestions_from_the_trigram_index_are_those_of_a_full_scan(generated, tmp_path):
    """The trigram index (and the candidate set for "did you mean") changes
    no answer, ties included: compared with an index that has no trigram
    table (as before it), which scans every name."""
    import sqlite3

    from collabgraph.views.entities import _suggest
    from collabgraph.views.nameindex import NAME_INDEX, NameIndex

    plain = tmp_path / NAME_INDEX
    shutil.copy(generated / "cache" / NAME_INDEX, plain)
    with sqlite3.connect(plain) as conn:
        conn.execute("DROP TABLE name_keys")
    indexed, scanned = NameIndex.open(generated / "cache" / NAME_INDEX), NameIndex.open(plain)
    assert indexed._trigrams and not scanned._trigrams
    with CollabGraph.open(generated) as kg:
        labels = sorted({e.label for e in (kg.entity(i) for i in list(indexed.lookup_all())[:40])})
    queries = ["kim", "park", "lee", "jin", "love", "ji", "o", "min-j", "seo yu"] + [label[:5] for label in labels]
    typos = ["yoonbinjon", "parkseoyu", "lovflower", "kimjiho", "vv", "iu", "jnn", "seoyeon"] + \
        [label.lower().replace(" ", "")[1:] for label in labels] + [label.lower()[:-1] + "x" for label in labels]
    with CollabGraph.open(generated) as kg:
        for q in queries:
            kg.reader.name_index = indexed
            fast = [e.id for e in kg.search(q, limit=50)]
            kg.reader.name_index = scanned
            assert fast == [e.id for e in kg.search(q, limit=50)], q
        found = 0
        for t in map(search_key, typos):
            got = _suggest(indexed, t)
            assert got == _suggest(scanned, t), t
            found += bool(got)
        assert found > len(typos) // 2  # the comparison is about real suggestions


# -- the API against the best single query; start-up; path without the whole graph ----------

def _hand():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import hand

    return hand


def test_api_answers_what_the_best_single_query_answers(kg):
    """Each read (credits, works, collaborators, entity, a path's explanation)
    holds the same facts and names as the one hand-written query bench/reads.py
    times it against, for every entity of the article."""
    hand = _hand()
    raw = kg.store._store
    names = [row["e"].value for row in kg.store.select("SELECT DISTINCT ?e WHERE { ?e a/rdfs:subClassOf* cg:Entity }")]
    assert len(names) > 10
    for iri in names:
        e = kg.entity(iri)
        assert hand.api_credits(kg.credits(e)) == hand.hand_credits(hand.run(raw, hand.text(hand.CREDITS, iri))), iri
        assert hand.api_credits(kg.works(e)) == hand.hand_credits(hand.run(raw, hand.text(hand.WORKS, iri))), iri
        assert hand.api_collaborators(iri, kg.collaborators(e)) == \
            hand.hand_collaborators(hand.run(raw, hand.text(hand.COLLABORATORS, iri))), iri
        assert hand.api_entity(e, kg.credits(e), kg.claims(e)) == \
            hand.hand_entity(iri, hand.run(raw, hand.text(hand.ENTITY, iri))), iri
    hops = kg.path("BTS", "Park Seo-joon")
    assert {h.kind for h in hops} == {"membership", "collaboration"}
    nodes = [hops[0].source.iri] + [h.target.iri for h in hops]
    want = hand.api_path(hops)
    got = hand.hand_path(hand.run(raw, hand.text(hand.path_query(nodes))))
    assert got["shared"] == want["shared"] and set(got["memberships"]) == want["memberships"]
    assert {k: v for k, v in got["labels"].items() if k in want["labels"]} == want["labels"]


def test_path_by_search_is_the_path_through_the_connection_graph(generated, kg):
    """`path` searches the store layer by layer unless the connection graph is
    in memory; both give the same hops (the same tie-breaking) and the same errors."""
    from collabgraph.core.errors import NoPath
    from collabgraph.views import paths

    for graph, count in ((kg, None), (CollabGraph.open(generated), 150)):
        agents = sorted(paths.connection_graph(graph.reader))
        pairs = [(x, y) for x in agents for y in agents if x != y]
        pairs = pairs[::max(1, len(pairs) // count)] if count else pairs
        entities = graph.store.select("SELECT DISTINCT ?e WHERE { ?e a/rdfs:subClassOf* cg:Entity }")
        pairs += [(agents[0], min(row["e"].value for row in entities if row["e"].value not in agents))]

        def answer(x: str, y: str) -> object:
            try:
                return [h.to_dict() for h in graph.path(x, y)]
            except NoPath as exc:
                return str(exc)

        whole = {p: answer(*p) for p in pairs}  # the connection graph is in memory now
        graph.reader.projections.clear()
        graph.reader.entities.clear()
        searched = {p: answer(*p) for p in pairs}
        assert "connection" not in graph.reader.projections
        assert searched == whole
        assert any(isinstance(v, list) and len(v) >= 2 for v in whole.values())
        assert any(isinstance(v, str) for v in whole.values())


def test_importing_the_cli_imports_no_rdflib_networkx_or_starlette():
    """A read command starts without the heavy libraries (their import was most
    of a cold `collabgraph entity`); they come in where a command needs them."""
    code = ("import sys, collabgraph.cli; "
            "print(sorted(m for m in ('rdflib', 'networkx', 'starlette', 'pyvis', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_entity_from_a_build_needs_no_rdflib(built):
    """`collabgraph entity` on a build: the answer without importing rdflib or networkx."""
    code = ("import sys\nfrom collabgraph.cli import cli\n"
            "try:\n    cli(['entity', 'IU', '--build', sys.argv[1]])\nexcept SystemExit as e:\n    assert not e.code\n"
            "print(sorted(m for m in ('rdflib', 'networkx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(built)], capture_output=True, text=True, check=True)
    assert "IU" in out.stdout and out.stdout.strip().endswith("[]"), out.stdout


def test_the_package_exports_the_build_function_whatever_was_imported_first():
    """`collabgraph.build` stays the function after the package of the same name (and its modules) is loaded."""
    code = ("import collabgraph.api, collabgraph.build.pipeline, collabgraph\n"
            "from collabgraph import build, validate, write_analytics\n"
            "print(callable(build) and build.__module__, collabgraph.build is build, validate.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["collabgraph.build.pipeline", "True", "validate"], out.stdout
