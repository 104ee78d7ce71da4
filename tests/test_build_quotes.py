"""Issue 20, citation trust: a build says which quotes it checked against which local copy, and which
sources it could not check. The first build of the bundled graph without ../shared printed "quotes: 4
found verbatim in local copies of their sources" beside "its local copy is missing" for the article: the
4 were the Wikidata record's, none of the article's."""

from __future__ import annotations

import json

import rdflib

from collabgraph.cli import cli

from .conftest import ONTOLOGY

CG = rdflib.Namespace("https://w3id.org/collabgraph/ns#")
SOURCE = rdflib.Namespace("https://w3id.org/collabgraph/source/")


def quotes_by_source(graph) -> dict[str, int]:
    """How many quotes the graph's files give each source that has a local copy (cg:localPath), by CURIE."""
    g = rdflib.Graph()
    for f in sorted(graph.glob("*.ttl")):
        g.parse(f)
    copied = set(g.subjects(CG.localPath, None))
    out: dict[str, int] = {}
    for fact, src in g.subject_objects(CG.source):
        if src in copied:
            out[f"source:{src.removeprefix(str(SOURCE))}"] = out.get(f"source:{src.removeprefix(str(SOURCE))}", 0) \
                + len(list(g.objects(fact, CG.quote)))
    return out


def test_a_first_build_without_the_articles_copy_names_what_it_checked_and_what_it_could_not(runner, sources,
                                                                                             tmp_path):
    moved = tmp_path / "deeper" / "elsewhere" / "graph"  # ../../shared, the article's copy, is not beside it
    moved.parent.mkdir(parents=True)
    sources.rename(moved)
    counted = quotes_by_source(moved)
    article = "source:love-wins-all-article"
    assert counted[article] > 100 and len(counted) == 2, counted
    (other, n), = ((s, k) for s, k in counted.items() if s != article)
    out = runner.invoke(cli, ["build", "--graph", str(moved), "--ontology", str(ONTOLOGY), "--out",
                              str(tmp_path / "build")])
    assert out.exit_code == 0, out.output
    said = [line for line in out.output.splitlines() if line.startswith(("quotes:", "note:"))]
    assert said[0] == (f"quotes: {n} found verbatim in the local copy of {other}; 1 source not checked: {article} "
                       "(why: the note below)"), out.output
    assert said[1].startswith(f"note: {article}: its local copy is missing: ") and len(said) == 2
    # the same, as data
    report = json.loads(runner.invoke(cli, ["build", "--graph", str(moved), "--ontology", str(ONTOLOGY), "--out",
                                            str(tmp_path / "again"), "--format", "json"]).stdout)
    assert report["quotes_read"] == {other: n} and report["quotes_checked"] == n

