"""Cheap queries answered in the server process (collabgraph.web.fastpath, issue 23):
the same answers as the workers give, the caps and the guard kept, and a cheap
query answered while runaway queries hold every worker."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse

from pathlib import Path

import pytest

from collabgraph import build
from collabgraph.web.fastpath import PROVEN_RUNS, shape_of

from .conftest import ONTOLOGY
from .test_server import RUNAWAY, get, start
from .test_server_hostile import stop

ID = "https://w3id.org/collabgraph/id/"
LOOKUP = "SELECT ?p ?o WHERE {{ <{}> ?p ?o }}"
ENTITIES = ["v", "iu", "gyopo-hairstyle", "love-wins-all", "park-seo-joon"]


@pytest.fixture(scope="module")
def server(built):
    proc, base = start(built, "--workers", "2", "--timeout", "20", "--max-rows", "40")
    yield base
    proc.terminate()
    proc.wait(10)


def rows(base: str, query: str) -> tuple[int, list | bytes]:
    status, _, body = get(base, query, "application/sparql-results+json")
    if status != 200:
        return status, body
    return status, sorted(json.dumps(b, sort_keys=True) for b in json.loads(body)["results"]["bindings"])


def test_shapes_leave_out_what_could_run_away():
    assert shape_of(LOOKUP.format(ID + "v")) == shape_of(LOOKUP.format(ID + "iu"))
    for query in ["SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s",
                  "SELECT ?b WHERE { <http://x/a> <http://x/p>* ?b }", "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }",
                  "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "SELECT * FROM <http://x/g> WHERE { ?s ?p ?o }",
                  "SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }"]:
        assert shape_of(query) is None, query


def test_cheap_answers_are_the_workers_answers(server):
    # The first runs of a shape go to the workers; once proven, the server answers itself.
    first = [rows(server, LOOKUP.format(ID + e)) for e in ENTITIES]
    again = [rows(server, LOOKUP.format(ID + e)) for e in ENTITIES]
    assert first == again
    assert all(status == 200 and body for status, body in first)


def test_the_caps_hold_on_the_fast_path(server):
    for n in range(2 * PROVEN_RUNS):  # the shape proven cheap by small answers (the LIMIT is a number: not in it)
        status, body = rows(server, f"SELECT ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {n + 1}")
        assert status == 200 and len(body) == n + 1
    # Then an answer larger than --max-rows is refused, not cut, wherever it runs.
    status, body = rows(server, "SELECT ?p ?o WHERE { ?s ?p ?o } LIMIT 41")
    assert status == 413 and b"more than 40 rows" in body


def test_the_guard_still_refuses_on_the_fast_path(server):
    for e in ENTITIES:  # the shape of the query below, proven cheap
        rows(server, LOOKUP.format(ID + e))
    status, body = rows(server, "SELECT ?p ?o WHERE { SERVICE <http://127.0.0.1:9/> { <http://x/a> ?p ?o } }")
    assert status == 403, body


def test_a_cheap_query_is_answered_while_runaways_hold_every_worker(server):
    for e in ENTITIES:
        rows(server, LOOKUP.format(ID + e))
    done: list[int] = []
    port = urllib.parse.urlsplit(server).port

    def runaway(n: int) -> None:  # from other addresses, as other people would
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(f"127.0.0.{2 + n}", 0))
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}))
        done.append(conn.getresponse().status)
        conn.close()

    threads = [threading.Thread(target=runaway, args=(n,), daemon=True) for n in range(3)]
    for t in threads:
        t.start()
    time.sleep(2.5)  # both workers and the spare taken by runaways
    assert not done
    started = time.monotonic()
    status, body = rows(server, LOOKUP.format(ID + "v"))
    took = time.monotonic() - started
    assert status == 200 and body
    # Without the fast path it waits until the spare worker's runaway is stopped (heavy_seconds: 5 s here).
    assert took < 1.5, f"a cheap lookup took {took:.2f} s while runaways ran"
    for t in threads:
        t.join(60)
    assert done == [503, 503, 503]  # each runaway still stopped at the time limit


def test_after_a_rebuild_the_fast_path_answers_from_the_new_build(sources, tmp_path):
    out = tmp_path / "build"
    build(sources, ONTOLOGY, out)
    proc, base = start(out, "--workers", "1")
    query = "SELECT ?label WHERE {{ <{}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"

    def labels(entity: str = "gyopo-hairstyle") -> list[str]:
        status, body = rows(base, query.format(ID + entity))
        assert status == 200, body
        return sorted(json.loads(b)["label"]["value"] for b in body)

    try:
        for e in ENTITIES:  # the shape proven: answered in the server process from here on
            labels(e)
        assert labels() == ["GYOPO HAIRSTYLE", "교포머리"]
        article = Path(sources) / "love-wins-all-article.ttl"
        article.write_text(article.read_text("utf-8").replace(
            'rdfs:label "GYOPO HAIRSTYLE"@en, "교포머리"@ko .', 'rdfs:label "GYOPO HAIRSTYLE 2"@en, "교포머리 2"@ko .'),
            "utf-8")
        build(sources, ONTOLOGY, out)
        assert labels() == ["GYOPO HAIRSTYLE 2", "교포머리 2"]
    finally:
        stop(proc)


def test_without_fast_threads_every_query_goes_to_a_worker_and_answers_the_same(server, built):
    proc, base = start(built, "--workers", "1", "--fast-threads", "0")
    try:
        for _ in range(2):  # proven on the server with threads: the same answers from a worker
            assert [rows(base, LOOKUP.format(ID + e)) for e in ENTITIES] == \
                [rows(server, LOOKUP.format(ID + e)) for e in ENTITIES]
    finally:
        stop(proc)
