"""`collabgraph serve` answers clients' mistakes and RDF 1.2 results with a
clear status and one line, never a 500 (issue 18, item 8): a review edit with
a list-valued type, triple terms in results, update errors on a writable
server, and no path of this machine in /review.json. A real server on
127.0.0.1 each time."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET

import pytest


from .serving import serving, serving_review
from .test_review import review_graph
from .test_review_page import post
from .test_server import get, http, start

TRIPLE = 'SELECT ?t WHERE { BIND(<<( <https://e/s> <https://e/p> "o"@en )>> AS ?t) }'
NESTED = 'SELECT ?t WHERE { BIND(TRIPLE(<https://e/a>, <https://e/b>, <<( <https://e/s> <https://e/p> 1 )>>) AS ?t) }'
CONSTRUCT = 'CONSTRUCT { <https://e/a> <https://e/b> <<( <https://e/s> <https://e/p> "o" )>> } WHERE {}'


@pytest.fixture(scope="module")
def server(built):
    with serving(built, "--workers", "1") as base:
        yield base


def test_triple_terms_are_served_in_every_results_format(server):
    status, media, body = get(server, TRIPLE, "application/sparql-results+json")
    assert status == 200, body
    value = json.loads(body)["results"]["bindings"][0]["t"]
    assert value == {"type": "triple", "value": {
        "subject": {"type": "uri", "value": "https://e/s"}, "predicate": {"type": "uri", "value": "https://e/p"},
        "object": {"type": "literal", "value": "o", "xml:lang": "en"}}}
    status, _, body = get(server, NESTED, "application/sparql-results+json")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["t"]["value"]["object"]["type"] == "triple"
    status, _, body = get(server, TRIPLE, "application/sparql-results+xml")
    assert status == 200
    ns = "{http://www.w3.org/2005/sparql-results#}"
    triple = ET.fromstring(body).find(f".//{ns}binding/{ns}triple")
    assert triple is not None and triple.find(f"{ns}subject/{ns}uri").text == "https://e/s"
    status, _, body = get(server, NESTED, "text/tab-separated-values")
    assert status == 200 and "<<( <https://e/a> <https://e/b> <<( <https://e/s> <https://e/p> 1 )>> )>>" in body.decode()
    status, _, body = get(server, TRIPLE, "text/csv")  # CSV is lossy by design (SPARQL 1.2 CSV): the three terms
    assert status == 200 and list(csv.reader(io.StringIO(body.decode())))[1] == ["https://e/s https://e/p o"]


def test_triple_terms_in_a_graph_result(server):
    status, _, body = get(server, CONSTRUCT, "text/turtle")
    assert status == 200 and b"<<( <https://e/s> <https://e/p> \"o\" )>>" in body
    status, _, body = get(server, CONSTRUCT, "application/n-triples")
    assert status == 200 and b"<<(" in body
    status, _, body = get(server, CONSTRUCT, "application/ld+json")
    assert status == 406 and b"JSON-LD" in body and b"triple terms" in body and body.count(b"\n") == 0


def test_update_errors_are_the_clients_400_with_the_engines_reason(built, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    proc, base = start(copy, "--writable", "--workers", "1")
    try:
        def update(text):
            return http(f"{base}/sparql", data=text.encode(), headers={"Content-Type": "application/sparql-update"})

        status, _, body = update("DROP GRAPH <https://e/missing>")
        assert status == 400 and b"does not exist" in body and body.count(b"\n") == 0, body
        assert update("CREATE GRAPH <https://e/g>")[0] == 204
        status, _, body = update("CREATE GRAPH <https://e/g>")
        assert status == 400 and b"already exists" in body, body
        assert update("DROP SILENT GRAPH <https://e/missing>")[0] == 204
        # The server keeps answering.
        status, _, body = get(base, "ASK { ?s ?p ?o }", "application/sparql-results+json")
        assert status == 200 and json.loads(body)["boolean"]
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def review_server(tmp_path):
    graph = review_graph(tmp_path)
    article = graph / "articles" / "winter-single.json"
    data = json.loads(article.read_text("utf-8"))
    data["article"]["original"] = str(tmp_path / "private-home" / "downloads" / "winter-single.txt")
    article.write_text(json.dumps(data), "utf-8")
    with serving_review(graph, tmp_path / "build") as base:
        yield base, graph, tmp_path


def test_review_json_shows_no_path_outside_the_graph(review_server):
    base, graph, tmp_path = review_server
    status, _, body = http(f"{base}/review.json")
    assert status == 200
    assert str(tmp_path) not in body.decode() and "private-home" not in body.decode()
    (article,) = json.loads(body)["articles"]
    assert article["article"]["original"] is None and article["article"]["id"] == "winter-single"
    # Ingested from inside the graph directory: shown relative to it.
    path = graph / "articles" / "winter-single.json"
    data = json.loads(path.read_text("utf-8"))
    data["article"]["original"] = str(graph / "articles" / "winter-single.txt")
    path.write_text(json.dumps(data), "utf-8")
    (article,) = json.loads(http(f"{base}/review.json")[2])["articles"]
    assert article["article"]["original"] == "articles/winter-single.txt"


@pytest.mark.parametrize("body", [
    {"id": "82e40c4c8f13fd1d", "type": {"agent": ["Person", "Group"]}},
    {"id": "82e40c4c8f13fd1d", "type": {"work": {"class": "Film"}}},
    {"id": "82e40c4c8f13fd1d", "new": [["agent"]]},
    {"id": ["82e40c4c8f13fd1d"], "role": "actor"},
])
def test_a_review_edit_with_values_of_the_wrong_kind_is_400(review_server, body):
    base, graph, _ = review_server
    before = (graph / "articles" / "winter-single.json").read_bytes()
    status, answer = post(f"{base}/review/edit", body, {"Content-Type": "application/json", "Origin": base})
    assert status == 400, answer
    error = json.loads(answer)["error"]
    assert "must be a string" in error or "list of slots" in error
    assert "\n" not in error
    assert (graph / "articles" / "winter-single.json").read_bytes() == before


def test_the_cli_says_where_triple_terms_can_be_had(built, runner):
    from collabgraph.cli import cli

    result = runner.invoke(cli, ["sparql", "--build", str(built), TRIPLE])  # the table shows them (issue 21)
    assert result.exit_code == 0 and "<<( <https://e/s> <https://e/p> \"o\"@en )>>" in result.output
    from collabgraph import CollabGraph

    with pytest.raises(ValueError) as raised:  # rdflib has no triple terms: the API says where they can be had
        CollabGraph.open(built).sparql(TRIPLE)
    assert "triple term <<( <https://e/s> <https://e/p> \"o\"@en )>>" in str(raised.value)
    assert "terms='oxigraph'" in str(raised.value) and "\n" not in str(raised.value)
    result = runner.invoke(cli, ["sparql", "--build", str(built), "--format", "tsv", TRIPLE])
    assert result.exit_code == 0 and "<<( <https://e/s> <https://e/p> \"o\"@en )>>" in result.output
