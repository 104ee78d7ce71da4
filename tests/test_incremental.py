"""Incremental builds give the store, summary and answers of a full build, and
collaborations computed from credits give what the stored cg:Collaboration
nodes gave (issue 12)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import to_canonical_graph

from collabgraph import CollabGraph
from collabgraph import build
from collabgraph.core.errors import EntityNotFound, NoPath, ValidationError
from collabgraph.importers.generate import article, generate
from collabgraph.views.toppairs import cached_pairs

from .conftest import ONTOLOGY

AGENTS = 200

# The rule and the query as they were when every collaboration was stored as a
# node: the reference the credits-based queries must agree with.
OLD_RULE = """
INSERT { GRAPH <https://w3id.org/collabgraph/graph/inferred> {
  ?collab a cg:Collaboration ; cg:participant ?a, ?b ; cg:onWork ?work ; prov:wasDerivedFrom ?creditA, ?creditB .
} }
WHERE {
  GRAPH ?g1 { ?creditA a cg:Credit ; cg:agent ?a ; cg:work ?work ; cg:role ?roleA }
  GRAPH ?g2 { ?creditB a cg:Credit ; cg:agent ?b ; cg:work ?work ; cg:role ?roleB }
  FILTER (STR(?a) < STR(?b) && !(?roleA = role:guest && ?roleB = role:guest))
  BIND (IRI(CONCAT("https://w3id.org/collabgraph/fact/collab-", MD5(CONCAT(STR(?a), " ", STR(?b), " ", STR(?work))))) AS ?collab)
}"""
OLD_COLLABORATORS = """
SELECT DISTINCT ?agent ?other ?work ?credit WHERE {
  ?collab cg:participant ?agent, ?other ; cg:onWork ?work ; prov:wasDerivedFrom ?credit .
  FILTER (?other != ?agent)
}"""
OLD_TOP = """
SELECT ?a ?b (COUNT(DISTINCT ?work) AS ?works) WHERE {
  ?collab a cg:Collaboration ; cg:participant ?a, ?b ; cg:onWork ?work . FILTER (STR(?a) < STR(?b))
} GROUP BY ?a ?b"""
PREFIXES = {"cg": "https://w3id.org/collabgraph/ns#", "role": "https://w3id.org/collabgraph/role/",
            "prov": "http://www.w3.org/ns/prov#"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    graph = tmp_path_factory.mktemp("incr") / "graph"
    generate(AGENTS, graph, seed=3)
    return graph


def dataset(build_dir: Path) -> dict[str, frozenset]:
    """Every named graph of a build's store and its materialised default graph
    (the union, which queries read), blank nodes canonicalised."""
    return canonical(ox.Store.read_only(str(build_dir / "store")))


def canonical(store: ox.Store) -> dict[str, frozenset]:
    """Every named graph of ``store`` and its default graph (key ``DEFAULT``), blank nodes canonicalised."""
    out = {}
    for g in [*store.named_graphs(), ox.DefaultGraph()]:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
        out[str(g)] = frozenset(to_canonical_graph(Graph().parse(data=data, format="nt")))
    return out


def names(build_dir: Path) -> list:
    conn = sqlite3.connect(build_dir / "cache" / "names.sqlite")
    try:
        return sorted(conn.execute("SELECT key, entity, name FROM names"))
    finally:
        conn.close()


def answers(build_dir: Path, person: str, old_agent: str, *, memory: bool = False) -> dict:
    """What the saved queries and the API answer about the article's entities."""
    params = {"co-appearances": {"a": person, "b": old_agent}, "collaborators": {"agent": old_agent},
              "credits-by-role": {"role": "featuredArtist"}, "entities-by-type": {"type": "Group"},
              "facts-with-sources": {"entity": old_agent}, "members-of-group": {"group": "id:art-group"},
              "works-by-year": {"year": "2005"}}
    out = {}
    with CollabGraph.open(build_dir, memory=memory) as kg:
        for name in ("co-appearances", "collaborators", "conflicting-claims", "credits-by-role",
                     "entities-by-type", "facts-with-sources", "members-of-group", "top-collaborations",
                     "works-by-year"):
            try:
                rows = [tuple(str(v) for v in row) for row in kg.saved(name, **params.get(name, {}))]
            except EntityNotFound as exc:  # the article's group, once the article is gone
                out[name] = str(exc)
                continue
            out[name] = rows if name == "top-collaborations" else sorted(rows)
        for who in (person, old_agent):
            out["collaborators " + who] = [c.to_dict() for c in kg.collaborators(who)]
            out["works " + who] = [c.to_dict() for c in kg.works(who)]
            out["entity " + who] = kg.entity(who).to_dict()
            out["claims " + who] = [c.to_dict() for c in kg.claims(who)]
        try:
            out["path"] = [h.to_dict() for h in kg.path(person, "id:a1")]
        except NoPath:
            out["path"] = "no path"
    # a blank node (the article's blank credit) has another identifier in every store
    return json.loads(re.sub(r'"[0-9a-f]{20,32}"', '"[blank node]"', json.dumps(out, ensure_ascii=False)))


def same_as_full(graph: Path, incremental: Path, tmp: Path, person: str, old_agent: str) -> None:
    full = tmp / "full"
    shutil.rmtree(full, ignore_errors=True)
    build(graph, ONTOLOGY, full, incremental=False)
    assert dataset(incremental) == dataset(full)
    assert json.loads((incremental / "summary.json").read_text()) == json.loads((full / "summary.json").read_text())
    assert names(incremental) == names(full)
    pairs = cached_pairs(incremental / "cache")  # top-collaborations' pairs: corrected, or left to be counted
    assert pairs is None or pairs == cached_pairs(full / "cache")
    assert answers(incremental, person, old_agent) == answers(full, person, old_agent)


def test_adding_changing_and_removing_an_article_is_incremental_and_gives_the_full_build(generated, tmp_path):
    graph = tmp_path / "graph"
    shutil.copytree(generated, graph)
    out = tmp_path / "build"
    build(graph, ONTOLOGY, out)
    # add an article (with a blank-node credit) next to the generated files
    added = article(graph / "art.ttl", agents=AGENTS)
    old_agent = "id:" + re.search(r"cg:about id:(a\d+)", added.read_text("utf-8")).group(1)
    report = build(graph, ONTOLOGY, out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["incremental"]["changed"] == [report.sources[0].file] and report.reused == 1
    assert cached_pairs(out / "cache") is not None  # an addition only raises counts: the pairs are corrected
    same_as_full(graph, out, tmp_path, "id:art-p0", old_agent)
    # change it: a role, a label, a credit gone, a claim gone
    text = added.read_text("utf-8")
    text = text.replace("role:featuredArtist", "role:guest", 1).replace("Person 1 of art", "Person One of art")
    text, dropped = re.subn(r"^fact:art-(c2|claim) [^\n]*\n[^\n]*\n", "", text, flags=re.M)
    assert dropped == 2
    added.write_text(text, "utf-8")
    build(graph, ONTOLOGY, out)
    assert json.loads((out / "manifest.json").read_text())["incremental"]["changed"]
    same_as_full(graph, out, tmp_path, "id:art-p0", old_agent)
    # remove it
    added.unlink()
    build(graph, ONTOLOGY, out)
    assert json.loads((out / "manifest.json").read_text())["incremental"]["removed"]
    same_as_full(graph, out, tmp_path, "id:a2", old_agent)


def test_an_incremental_build_changes_the_store_by_the_change_only(generated, tmp_path, monkeypatch):
    """Issue 23: the incremental build never rebuilds the store's default graph
    (the union of every named graph: minutes at 10M triples) nor reads a
    whole graph; it is kept right by the change's delta."""
    from collabgraph.store.local import Store

    graph = tmp_path / "graph"
    shutil.copytree(generated, graph)
    out = tmp_path / "build"
    build(graph, ONTOLOGY, out)
    article(graph / "art.ttl", agents=AGENTS)

    refresh, count = Store.refresh_default_graph, Store.count

    def small_refresh(self):  # of the small in-memory stores validation reads, not of the build's
        assert self.path is None, "the incremental build rebuilt the store's whole default graph"
        refresh(self)

    def small_count(self, graph=None):
        assert self.path is None or (graph is not None and "inferred" not in graph), "it counted a big graph"
        return count(self, graph)

    with monkeypatch.context() as m:
        m.setattr(Store, "refresh_default_graph", small_refresh)
        m.setattr(Store, "count", small_count)
        build(graph, ONTOLOGY, out)
    assert [Path(f).name for f in json.loads((out / "manifest.json").read_text())["incremental"]["changed"]] == ["art.ttl"]
    build(graph, ONTOLOGY, tmp_path / "full", incremental=False)
    assert dataset(out) == dataset(tmp_path / "full")
    assert json.loads((out / "summary.json").read_text()) == json.loads((tmp_path / "full" / "summary.json").read_text())


def test_an_incremental_build_validates_what_the_change_reaches_and_keeps_the_previous_build(generated, tmp_path):
    graph = tmp_path / "graph"
    shutil.copytree(generated, graph)
    out = tmp_path / "build"
    build(graph, ONTOLOGY, out)
    before = (out / "manifest.json").read_text()
    # a credit of an existing agent on an existing work, but as a person that is not an agent:
    # the problem is in the old file's node (id:w0 is a work, not an agent)
    (graph / "bad.ttl").write_text(
        "@prefix cg: <https://w3id.org/collabgraph/ns#> . @prefix id: <https://w3id.org/collabgraph/id/> .\n"
        "@prefix role: <https://w3id.org/collabgraph/role/> . @prefix source: <https://w3id.org/collabgraph/source/> .\n"
        "<https://w3id.org/collabgraph/fact/bad> a cg:Credit ; cg:agent id:w0 ; cg:work id:w1 ; cg:role role:performer ;\n"
        "  cg:source source:synthetic-0001 ; cg:quote \"x\" .\n"
        "id:w1 cg:releaseDate \"not a date\" .\n", "utf-8")
    with pytest.raises(ValidationError) as info:
        build(graph, ONTOLOGY, out)
    with pytest.raises(ValidationError) as full:
        build(graph, ONTOLOGY, tmp_path / "full", incremental=False)
    assert info.value.problems == full.value.problems
    assert any("bad.ttl" in p.file for p in info.value.problems)
    assert (out / "manifest.json").read_text() == before
    assert not list(tmp_path.glob(".build.tmp-*"))


def test_collaborations_from_credits_match_the_stored_collaboration_nodes(generated, tmp_path):
    graph = tmp_path / "graph"
    shutil.copytree(generated, graph)
    article(graph / "art.ttl", agents=AGENTS)
    reference = ox.Store()
    for f in sorted(graph.glob("*.ttl")) + [ONTOLOGY / "collab.ttl"]:
        reference.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"https://g/{f.name}"))
    reference.update(OLD_RULE, prefixes=PREFIXES)
    expected = {(r["agent"].value, r["other"].value, r["work"].value, r["credit"].value)
                for r in reference.query(OLD_COLLABORATORS, prefixes=PREFIXES, use_default_graph_as_union=True)}
    top = {(r["a"].value, r["b"].value): int(r["works"].value)
           for r in reference.query(OLD_TOP, prefixes=PREFIXES, use_default_graph_as_union=True)}
    build(graph, ONTOLOGY, tmp_path / "b")
    with CollabGraph.open(tmp_path / "b") as kg:
        agents = sorted({a for a, *_ in expected})
        assert len(agents) > 50
        found = set()
        for a in agents:
            for c in kg.collaborators(a):
                for shared in c.works:
                    found |= {(a, c.agent.iri, shared.work.iri, credit.iri) for credit in shared.credits}
        blank = {x for x in expected if x[3].startswith("_:") or not x[3].startswith("http")}
        assert {x for x in found if x[3].startswith("http")} == expected - blank
        assert kg.summary()["collaborations"] == sum(top.values())
        best = max(top.values())
        first = next(iter(kg.saved("top-collaborations")))
        assert int(first.works) == best and top[(str(first.a), str(first.b))] == best


def test_a_build_made_with_other_rules_is_rebuilt_in_full(generated, tmp_path):
    graph = tmp_path / "graph"
    shutil.copytree(generated, graph)
    out = tmp_path / "build"
    build(graph, ONTOLOGY, out)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["rules_sha256"] = "0" * 64  # as if an older version had derived graph:inferred
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    article(graph / "art.ttl", agents=AGENTS)
    build(graph, ONTOLOGY, out)
    assert "incremental" not in json.loads((out / "manifest.json").read_text())


def test_memory_mode_after_incremental_builds_reads_a_linked_snapshot(generated, tmp_path):
    """After each incremental build (add, change, remove a file) the new
    generation has a snapshot (the previous one linked, plus a delta) and the
    graph opened in memory from it is the on-disk store, quad for quad; a
    generation with no snapshot gets one the first time it opens in memory."""
    from collabgraph.store.snapshot import DELTA, SNAPSHOT, has_snapshot, load_snapshot

    graph = tmp_path / "graph"
    shutil.copytree(generated, graph)
    out = tmp_path / "build"
    build(graph, ONTOLOGY, out)
    first = (out / "current" / "snapshot.nq").stat().st_ino
    added = article(graph / "art.ttl", agents=AGENTS)
    old_agent = "id:" + re.search(r"cg:about id:(a\d+)", added.read_text("utf-8")).group(1)

    def check(person: str) -> Path:
        here = (out / "current").resolve()
        assert json.loads((here / "manifest.json").read_text())["incremental"]
        assert has_snapshot(here) and (here / DELTA).is_file()
        assert (here / SNAPSHOT).stat().st_ino == first  # the full build's, linked, not written again
        memory = load_snapshot(here)
        assert canonical(memory._store) == dataset(here)
        memory.close()
        assert answers(out, person, old_agent, memory=True) == answers(out, person, old_agent)
        return here

    build(graph, ONTOLOGY, out)  # added
    check("id:art-p0")
    text = added.read_text("utf-8").replace("role:featuredArtist", "role:guest", 1)
    text = re.sub(r"^fact:art-(c2|claim) [^\n]*\n[^\n]*\n", "", text, flags=re.M)
    added.write_text(text.replace("Person 1 of art", "Person One of art"), "utf-8")
    build(graph, ONTOLOGY, out)  # changed: the delta carries the previous one's
    check("id:art-p0")
    added.unlink()
    here = build(graph, ONTOLOGY, out) and check("id:a2")  # removed

    # A generation without a snapshot (as after a build from before snapshots):
    # the next incremental build has none to link; the first opening in memory writes one.
    (here / SNAPSHOT).unlink()
    article(graph / "art2.ttl", agents=AGENTS)
    build(graph, ONTOLOGY, out)
    latest = (out / "current").resolve()
    assert json.loads((latest / "manifest.json").read_text())["incremental"] and not has_snapshot(latest)
    assert answers(out, "id:art2-p0", old_agent, memory=True) == answers(out, "id:art2-p0", old_agent)
    assert has_snapshot(latest) and not (latest / DELTA).exists()
    memory = load_snapshot(latest)
    assert canonical(memory._store) == dataset(latest)


MARKED = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix role: <https://w3id.org/collabgraph/role/> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix fact: <https://w3id.org/collabgraph/fact/> .
@prefix source: <https://w3id.org/collabgraph/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
source:marked a cg:SourceDocument ; rdfs:label "Marked facts"@en .
fact:marked-c1 a cg:Credit ; cg:agent id:{a} ; cg:work id:{w} ; cg:role role:performer ;{mark}
    cg:source source:marked ; cg:quote "{a} sang on {w}" .
fact:marked-c2 a cg:Credit ; cg:agent id:{a} ; cg:work id:{w} ; cg:role role:{role} ;
    cg:source source:marked ; cg:quote "{a} again on {w}" .
fact:marked-claim a cg:Claim ; cg:about id:{a} ; cg:property cg:occupation ; cg:value cg:Actor ;{said}
    cg:source source:marked ; cg:quote "{a} acts" .
fact:marked-member a cg:Claim ; cg:about id:{member} ; cg:property cg:memberOf ; cg:value id:{group} ;
    cg:source source:marked ; cg:quote "{member} is in {group}" .
"""


def test_marked_facts_and_facts_derived_twice_give_the_full_build(generated, tmp_path):
    """Re-inference follows the changed file's facts (build.reinfer): marked
    statements (rules 50-55) come and go with their marks, and a derived
    triple that another file's facts still derive (a claim saying what a
    membership says, a credit the generated file states too) stays when the
    changed file stops deriving it."""
    graph = tmp_path / "graph"
    shutil.copytree(generated, graph)
    text = "".join(p.read_text("utf-8") for p in sorted(generated.glob("*.ttl")))
    member, group = re.search(r"a cg:Membership ; cg:member id:(a\d+) ; cg:group id:(a\d+)", text).groups()
    a, w, role = re.search(r"a cg:Credit ; cg:agent id:(a\d+) ; cg:work id:(w\d+) ; cg:role role:(\w+)", text).groups()
    out = tmp_path / "build"
    build(graph, ONTOLOGY, out)

    def same(step: str) -> None:
        assert json.loads((out / "manifest.json").read_text())["incremental"][step], step
        build(graph, ONTOLOGY, tmp_path / "full", incremental=False)
        assert dataset(out) == dataset(tmp_path / "full"), step
        assert json.loads((out / "summary.json").read_text()) == json.loads((tmp_path / "full" / "summary.json").read_text())
        assert cached_pairs(out / "cache") in (None, cached_pairs(tmp_path / "full" / "cache"))
        shutil.rmtree(tmp_path / "full")

    marked = graph / "marked.ttl"
    fill = {"a": a, "w": w, "role": role, "member": member, "group": group}
    marked.write_text(MARKED.format(**fill, mark=' cg:editorsInference "the editors\' reading" ;',
                                    said=f" cg:claimedBy id:{member} ;"), "utf-8")
    build(graph, ONTOLOGY, out)
    same("changed")
    with CollabGraph.open(out) as kg:  # the marked statements are there, and the plain edges of the twice-stated facts
        ask = "ASK { ?s a rdf:Statement ; rdf:subject id:%s ; rdf:predicate cg:creditedOn ; rdf:object id:%s }"
        assert bool(kg.sparql(ask % (a, w), terms="oxigraph"))
        assert bool(kg.sparql("ASK { id:%s cg:memberOf id:%s }" % (member, group), terms="oxigraph"))
    marked.write_text(MARKED.format(**fill, mark="", said=""), "utf-8")  # the marks go
    build(graph, ONTOLOGY, out)
    same("changed")
    marked.unlink()  # the facts go; what the generated file derives stays
    build(graph, ONTOLOGY, out)
    same("removed")


def test_an_incremental_build_from_a_moved_graph_folder_counts_the_changed_graphs_only(generated, tmp_path, monkeypatch):
    """The summary names graphs by their files' paths: after the folder moved,
    the sizes of the unchanged graphs are still those the previous summary
    gives (counting them all again took 3.9 s of a 1M incremental build)."""
    from collabgraph.store.local import Store

    graph = tmp_path / "graph"
    shutil.copytree(generated, graph)
    out = tmp_path / "build"
    build(graph, ONTOLOGY, out)
    moved = tmp_path / "moved"
    graph.rename(moved)
    article(moved / "art.ttl", agents=AGENTS)
    count = Store.count

    def only_the_article(self, graph=None):
        assert self.path is None or (graph is not None and graph.endswith("art.ttl")), f"it counted {graph}"
        return count(self, graph)

    with monkeypatch.context() as m:
        m.setattr(Store, "count", only_the_article)
        build(moved, ONTOLOGY, out)
    assert [Path(f).name for f in json.loads((out / "manifest.json").read_text())["incremental"]["changed"]] == ["art.ttl"]
    build(moved, ONTOLOGY, tmp_path / "full", incremental=False)
    assert json.loads((out / "summary.json").read_text()) == json.loads((tmp_path / "full" / "summary.json").read_text())
