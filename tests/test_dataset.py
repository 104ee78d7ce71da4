"""Dataset semantics by the SPARQL 1.1 standard (issue 21, items 1-5): FROM,
FROM NAMED and the protocol's dataset parameters honoured; the default graph
the set union of the named graphs; updates over the same default graph; a
base IRI; the protocol's 400s, service description and Graph Store reads."""

from __future__ import annotations

import json
import shutil
import urllib.parse

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from collabgraph import CollabGraph
from collabgraph.cli import cli

from .conftest import ONTOLOGY
from .test_server import http, start

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
FROM_ONTOLOGY = "SELECT (COUNT(*) AS ?n) FROM graph:ontology WHERE { ?s ?p ?o }"
PERSONS = "SELECT (COUNT(*) AS ?n) WHERE { ?p a cg:Person }"
TYPES_OF_V = "SELECT ?t WHERE { id:v a ?t }"
JSON = "application/sparql-results+json"


def n(result) -> int:
    return int(next(iter(result))["n"].value)


@pytest.fixture(scope="module")
def kg(built):
    with CollabGraph.open(built) as graph:
        yield graph


def test_from_is_honoured_by_the_api(kg):
    in_ontology = n(kg.store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:ontology { ?s ?p ?o } }"))
    assert 0 < n(kg.store.query(FROM_ONTOLOGY)) == in_ontology < n(kg.store.query(COUNT_ALL))
    assert [int(r.n) for r in kg.sparql(FROM_ONTOLOGY)] == [in_ontology]
    named = kg.store.query("SELECT DISTINCT ?g FROM NAMED graph:ontology WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [r["g"].value for r in named] == ["https://w3id.org/collabgraph/graph/ontology"]


def test_protocol_dataset_in_the_store(kg):
    ontology = "https://w3id.org/collabgraph/graph/ontology"
    only_named = kg.store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named=[ontology])
    assert [r["g"].value for r in only_named] == [ontology]
    assert n(kg.store.query(COUNT_ALL, named=[ontology])) == 0  # named only: the default graph is empty


def test_the_default_graph_is_a_set_union(article_graph, tmp_path):
    graph = tmp_path / "graph"
    shutil.copytree(article_graph, graph)
    (graph / "again.ttl").write_text("@prefix cg: <https://w3id.org/collabgraph/ns#> .\n"
                                     "<https://w3id.org/collabgraph/id/v> a cg:Person .\n", "utf-8")
    kg = CollabGraph.load(graph, ONTOLOGY)
    # id:v's type is now stated by two source files: the triple comes once.
    stated = {r["g"].value for r in kg.store.query("SELECT ?g WHERE { GRAPH ?g { id:v a cg:Person } }")}
    assert len(stated) == 2
    assert [r["t"].value for r in kg.store.query(TYPES_OF_V)].count("https://w3id.org/collabgraph/ns#Person") == 1
    persons = {r["p"] for r in kg.store.query("SELECT DISTINCT ?p WHERE { ?p a cg:Person }")}
    assert n(kg.store.query(PERSONS)) == len(persons)


def test_updates_see_the_default_graph_queries_see(article_graph):
    store = CollabGraph.load(article_graph, ONTOLOGY).store
    assert n(store.query(PERSONS)) > 0
    store.update_dataset("DELETE WHERE { ?s a cg:Person }")
    assert n(store.query(PERSONS)) == 0
    assert n(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?p a cg:Person } }")) == 0
    store.update_dataset("INSERT DATA { id:someone a cg:Person }")
    assert [r["g"].value for r in store.query("SELECT ?g WHERE { GRAPH ?g { id:someone a cg:Person } }")] == [
        "https://w3id.org/collabgraph/graph/edits"]
    store.update_dataset("DROP GRAPH graph:edits")
    assert n(store.query(PERSONS)) == 0


def test_an_update_that_only_reads_named_graphs_writes_the_default_graph(article_graph):
    """USING and GRAPH in a WHERE clause read named graphs; the update still writes the
    default graph (W3C update tests insert-using-01, insert-where-04, delete-insert-04).
    They answered success and changed nothing while any GRAPH or USING counted as naming graphs."""
    store = CollabGraph.load(article_graph, ONTOLOGY).store
    store.update_dataset("INSERT { ?p cg:note 'seen' } USING <https://w3id.org/collabgraph/graph/file/love-wins-all-article.ttl> WHERE { ?p a cg:Person }")
    noted = {r["p"].value for r in store.query("SELECT ?p WHERE { ?p cg:note 'seen' }")}
    assert noted == {r["p"].value for r in store.query("SELECT ?p WHERE { ?p a cg:Person }")} and noted
    assert {r["g"].value for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?p cg:note 'seen' } }")} == {
        "https://w3id.org/collabgraph/graph/edits"}
    store.update_dataset("DELETE { ?p cg:note 'seen' } WHERE { GRAPH ?g { ?p cg:note 'seen' } }")
    assert n(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?p cg:note 'seen' }")) == 0
    assert n(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?p cg:note 'seen' } }")) == 0
    # GRAPH in a template writes that graph, and the default graph follows it
    store.update_dataset("INSERT { GRAPH <https://e/g> { ?p cg:note 'kept' } } WHERE { GRAPH ?g { ?p a cg:Person } }")
    assert n(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?p cg:note 'kept' }")) == len(noted)


def test_relative_iris_resolve_against_the_base(kg):
    row = next(iter(kg.store.query("SELECT ?x WHERE { BIND(<rel> AS ?x) }")))
    assert row["x"].value == "https://w3id.org/collabgraph/rel"


def test_cli_honours_from(built):
    result = CliRunner().invoke(cli, ["sparql", FROM_ONTOLOGY, "--build", str(built), "--format", "json"])
    assert result.exit_code == 0, result.output
    with CollabGraph.open(built) as kg:
        expected = n(kg.store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:ontology { ?s ?p ?o } }"))
    assert str(expected) in result.output
    assert json.loads(result.output)


@pytest.fixture(scope="module")
def server(built):
    proc, base = start(built, "--timeout", "10")
    yield base
    proc.terminate()
    proc.wait(10)


def ask(base, query, **params):
    url = f"{base}/sparql?" + urllib.parse.urlencode([("query", query), *params.items()])
    status, _, body = http(url, headers={"Accept": JSON})
    return status, body


def test_server_dataset_parameters_and_from(server, kg):
    in_ontology = n(kg.store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:ontology { ?s ?p ?o } }"))
    status, body = ask(server, FROM_ONTOLOGY)
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == in_ontology
    ontology = "https://w3id.org/collabgraph/graph/ontology"
    status, body = ask(server, COUNT_ALL, **{"default-graph-uri": ontology})
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == in_ontology
    status, body = ask(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": ontology})
    assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [ontology]
    status, body = ask(server, TYPES_OF_V)
    types = [b["t"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert len(types) == len(set(types))


def test_server_base_is_the_endpoint_url(server):
    status, body = ask(server, "SELECT ?x WHERE { BIND(<rel> AS ?x) }")
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == f"{server}/rel"


@pytest.mark.parametrize("request_args", [
    dict(url="/sparql?query=ASK{}&query=ASK{}"),
    dict(url="/sparql?query=ASK{}&update=CLEAR%20ALL", method="POST", data=b""),
    dict(url="/sparql", data=b"query=ASK%20%7B%7D", headers={}),
    dict(url="/sparql?query=ASK{}", data=b"ASK {}", headers={"Content-Type": "application/sparql-query"}),
    dict(url="/sparql", data="ASK {}".encode("utf-16"),
         headers={"Content-Type": "application/sparql-query; charset=UTF-16"}),
])
def test_malformed_requests_are_400(server, request_args):
    args = dict(request_args)
    url = server + args.pop("url")
    args.setdefault("headers", {})
    if "data" in args and not args["headers"]:
        args["headers"] = {"Content-Type": ""}
    status, _, body = http(url, **args)
    assert status == 400, body


def test_content_negotiation_with_q_values_and_text_star(server):
    url = f"{server}/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"})
    status, media, _ = http(url, headers={"Accept": "application/sparql-results+json;q=0.2, text/csv;q=0.9"})
    assert status == 200 and media.startswith("text/csv")
    status, media, _ = http(url, headers={"Accept": "text/*"})
    assert status == 200 and media.startswith("text/")
    status, media, _ = http(url, headers={"Accept": "text/csv;q=0, application/sparql-results+xml"})
    assert media.startswith("application/sparql-results+xml")


def test_service_description(server):
    status, media, body = http(f"{server}/sparql")
    assert status == 200 and media.startswith("text/turtle")
    sd = ox.Store()
    sd.load(body, format=ox.RdfFormat.TURTLE)
    SD = "http://www.w3.org/ns/sparql-service-description#"
    assert bool(sd.query(f"ASK {{ ?s <{SD}endpoint> <{server}/sparql> ; <{SD}supportedLanguage> <{SD}SPARQL11Query> ; "
                         f"<{SD}defaultDataset> [ <{SD}namedGraph> [ <{SD}name> graph:ontology ] ] }}",
                         prefixes={"graph": "https://w3id.org/collabgraph/graph/"}))


def test_graph_store_reads(server, kg):
    ontology = "https://w3id.org/collabgraph/graph/ontology"
    status, media, body = http(f"{server}/store?" + urllib.parse.urlencode({"graph": ontology}),
                               headers={"Accept": "application/n-triples"})
    assert status == 200 and media.startswith("application/n-triples")
    assert len([line for line in body.decode().splitlines() if line.strip()]) == kg.store.count(ontology)
    status, _, body = http(f"{server}/store?default", headers={"Accept": "text/turtle"})
    assert status == 200 and body
    status, _, body = http(f"{server}/store?default", method="HEAD")
    assert status == 200 and body == b""
    assert http(f"{server}/store?graph=https://e/none")[0] == 404
    assert http(f"{server}/store?graph={ontology}", method="DELETE")[0] == 403


def test_writable_server_updates_and_graph_store_writes(built, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    proc, base = start(copy, "--writable")
    try:
        def count(query):
            return int(json.loads(ask(base, query)[1])["results"]["bindings"][0]["n"]["value"])

        persons = count(PERSONS)
        assert persons > 0
        # a second graph stating a person's type: the default graph still holds the triple once
        again = b"<https://w3id.org/collabgraph/id/v> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " \
                b"<https://w3id.org/collabgraph/ns#Person> ."
        status, _, body = http(f"{base}/store?graph=https://e/again", method="PUT", data=again,
                               headers={"Content-Type": "application/n-triples"})
        assert status == 201, body
        assert count(PERSONS) == persons
        status, _, body = http(f"{base}/sparql", data=b"DELETE WHERE { ?s a cg:Person }",
                               headers={"Content-Type": "application/sparql-update"})
        assert status == 204, body
        assert count(PERSONS) == 0
        assert count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a cg:Person } }") == 0  # from every graph
        # the protocol's using-graph-uri only reads: the update still writes the default graph
        works = count("SELECT (COUNT(*) AS ?n) WHERE { ?w a cg:MusicVideo }")
        form = urllib.parse.urlencode({"update": "INSERT { ?w cg:note 'via using' } WHERE { ?w a cg:MusicVideo }",
                                       "using-graph-uri": "https://w3id.org/collabgraph/graph/file/love-wins-all-article.ttl"})
        status, _, body = http(f"{base}/sparql", data=form.encode(),
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 204, body
        assert count("SELECT (COUNT(*) AS ?n) WHERE { ?w cg:note 'via using' }") == works > 0
        form = urllib.parse.urlencode({"update": "WITH <https://e/g> INSERT { ?s a 1 } WHERE { ?s ?p ?o }",
                                       "using-graph-uri": "https://e/h"}).encode()
        status, _, body = http(f"{base}/sparql", data=form,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 400, body
        status, _, body = http(f"{base}/sparql", data=b"DROP GRAPH <https://e/missing>",
                               headers={"Content-Type": "application/sparql-update"})
        assert status == 400 and b"not applied" in body
        status, _, body = http(f"{base}/store?graph=https://e/new", method="PUT", data=b"<https://e/a> <https://e/b> \"1\" .",
                            headers={"Content-Type": "application/n-triples"})
        assert status == 201, body
        assert count("SELECT (COUNT(*) AS ?n) WHERE { <https://e/a> ?p ?o }") == 1
        assert http(f"{base}/store?graph=https://e/new", method="DELETE")[0] == 204
        assert count("SELECT (COUNT(*) AS ?n) WHERE { <https://e/a> ?p ?o }") == 0
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_build_of_an_older_collabgraph_still_answers(built, tmp_path):
    """A store whose default graph was never filled (built before the union
    was materialised) answers with the union, read-only and writable."""
    from collabgraph.build.pipeline import STORE_DIR
    from collabgraph.store.local import Store

    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    store = Store.open(copy / STORE_DIR, read_only=False)
    store._store.clear_graph(ox.DefaultGraph())  # as an older build left it
    store.close()
    with CollabGraph.open(copy) as kg:
        persons = n(kg.store.query(PERSONS))
        assert persons > 0
        assert n(kg.store.query(FROM_ONTOLOGY)) < n(kg.store.query(COUNT_ALL))
    store = Store.open(copy / STORE_DIR, read_only=False)
    store.update_dataset("DELETE WHERE { ?s a cg:Person }")
    assert n(store.query(PERSONS)) == 0
    store.close()


UNION_IS_EXACT = ("ASK { { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } UNION "
                  "{ GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } } }")


def test_a_build_on_disk_holds_the_union_with_the_same_blank_nodes(article_graph, tmp_path):
    from collabgraph import build

    graph = tmp_path / "graph"
    shutil.copytree(article_graph, graph)
    (graph / "blank.ttl").write_text('<https://w3id.org/collabgraph/id/v> <http://www.w3.org/2000/01/rdf-schema#seeAlso> '
                                     '[ <http://www.w3.org/2000/01/rdf-schema#label> "a note" ] .\n', "utf-8")
    build(graph, ONTOLOGY, tmp_path / "build")
    with CollabGraph.open(tmp_path / "build") as kg:
        assert bool(kg.store.query("ASK { ?s ?p ?o }", union=False))  # the store's own default graph is filled
        assert not bool(kg.store.query(UNION_IS_EXACT))
        assert bool(kg.store.query("ASK { id:v rdfs:seeAlso ?b . ?b rdfs:label 'a note' FILTER isBlank(?b) }"))


def test_cli_resolves_relative_iris_against_the_build_base(built):
    result = CliRunner().invoke(cli, ["sparql", "SELECT ?x WHERE { BIND(<rel> AS ?x) }", "--build", str(built),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]["bindings"][0]["x"]["value"] == "https://w3id.org/collabgraph/rel"
