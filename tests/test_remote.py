"""Building into a real Oxigraph server (the `oxigraph` package's `serve`) and
reading from it: the same answers as the local store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from collabgraph import CollabGraph, build
from collabgraph.cli import cli
from collabgraph.saved import saved_queries

from .conftest import ONTOLOGY, free_port, wait_until_serving

ARGS = {"collaborators": {"agent": "V"}, "works-by-year": {"year": "2024"}, "credits-by-role": {"role": "actor"},
        "members-of-group": {"group": "BTS"}, "facts-with-sources": {"entity": "IU"},
        "co-appearances": {"a": "IU", "b": "V"}, "conflicting-claims": {}, "top-collaborations": {},
        "entities-by-type": {"type": "Work"}}


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    exe = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    proc = subprocess.Popen([str(exe), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(proc, f"{base}/query?query=ASK%7B%7D", "oxigraph serve")
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def remote_build(oxigraph_server, tmp_path_factory, article_graph):
    out = tmp_path_factory.mktemp("remote") / "build"
    build(article_graph, ONTOLOGY, out, endpoint=f"{oxigraph_server}/query", update_endpoint=f"{oxigraph_server}/update")
    return out


def as_rows(result):
    return sorted(tuple(sorted((str(k), str(v)) for k, v in row.asdict().items())) for row in result)


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_queries_answer_the_same_remotely(name, remote_build, kg):
    with CollabGraph.open(remote_build) as remote:
        assert not (remote_build / "store").exists()
        assert as_rows(remote.saved(name, **ARGS[name])) == as_rows(kg.saved(name, **ARGS[name]))


def test_every_saved_query_is_compared():
    assert set(ARGS) == set(saved_queries())


def test_path_and_lookups_are_the_same_remotely(remote_build, kg):
    with CollabGraph.open(remote_build) as remote:
        assert remote.entity("taehyung") == kg.entity("V")
        local = [(h.source.iri, h.target.iri, h.work.iri if h.work else None, h.quote) for h in kg.path("IU", "Park Seo-joon")]
        there = [(h.source.iri, h.target.iri, h.work.iri if h.work else None, h.quote) for h in remote.path("IU", "Park Seo-joon")]
        assert there == local
        assert remote.summary()["entities"] == kg.summary()["entities"]
        assert [c.to_dict() for c in remote.works("V")] == [c.to_dict() for c in kg.works("V")]


def test_cli_reads_from_an_endpoint(runner, oxigraph_server, remote_build):
    result = runner.invoke(cli, ["path", "IU", "Park Seo-joon", "--endpoint", f"{oxigraph_server}/query"])
    assert result.exit_code == 0, result.stderr
    assert result.output.splitlines()[0] == "IU – V – Park Seo-joon"


def test_rebuilding_replaces_the_remote_graphs(oxigraph_server, remote_build, tmp_path, article_graph):
    with CollabGraph.connect(f"{oxigraph_server}/query") as remote:
        before = remote.store.count()
    build(article_graph, ONTOLOGY, tmp_path / "again", endpoint=f"{oxigraph_server}/query",
          update_endpoint=f"{oxigraph_server}/update")
    with CollabGraph.connect(f"{oxigraph_server}/query") as remote:
        assert remote.store.count() == before


def test_unreachable_endpoint_is_a_clear_error(runner):
    result = runner.invoke(cli, ["entity", "V", "--endpoint", f"http://127.0.0.1:{free_port()}/query"])
    assert result.exit_code == 1
    assert "cannot reach the SPARQL endpoint" in result.stderr and result.stderr.count("\n") == 1
