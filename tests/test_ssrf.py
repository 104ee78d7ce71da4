"""No query text makes collabgraph send a request unless allowed (issue 18,
item 1): the checks read the text as the engine does, and a default server's
query workers have no network at all. Every case runs against a real
``collabgraph serve`` on 127.0.0.1, the library or the CLI, with a local
recorder (a real HTTP server) as the endpoint."""

from __future__ import annotations

import random
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collabgraph.core.sparqlguard import OutgoingRefused, allowed, outgoing
from collabgraph.store.local import Store

from .fuzz_sparql import case
from .test_server import get, http, start
from .test_server_hostile import Recorder, stop

JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def recorder():
    r = Recorder(b"<https://e/fetched> <https://e/p> \"SECRET-REPLY-TEXT\" .\n")
    yield r
    r.close()


@pytest.fixture(autouse=True)
def clean(recorder):
    recorder.requests.clear()
    yield


@pytest.fixture(scope="module")
def default_server(built):
    proc, base = start(built, "--workers", "1")
    yield base
    stop(proc)


def send(base: str, how: str, text: str, kind: str = "query"):
    """The SPARQL protocol three ways: GET, a form POST, a direct POST."""
    if how == "get":
        return http(f"{base}/sparql?{urllib.parse.urlencode({kind: text})}", headers={"Accept": JSON})
    if how == "form":
        return http(f"{base}/sparql", data=urllib.parse.urlencode({kind: text}).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON})
    return http(f"{base}/sparql", data=text.encode(), headers={"Content-Type": f"application/sparql-{kind}",
                                                               "Accept": JSON})


# The spellings the issue found passed the old guard (rdflib's parser) and were sent by the engine.
BYPASSES = [
    "SELECT * WHERE {{ # x\r SERVICE <{base}/sparql> {{ ?s ?p ?o }} \n }}",
    'SELECT * WHERE {{ # \\u000a """ \n SERVICE <{base}/sparql> {{ ?s ?p ?o }} # """ \n }}',
    "SELECT * WHERE {{ # \\u000a \'\'\' \n SERVICE <{base}/sparql> {{ ?s ?p ?o }} # \'\'\' \n }}",
    "PREFIX e: <{base}/> SELECT * WHERE {{ SERVICEe:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ FILTER(?a <?b)SERVICE#>\r<{base}/sparql> {{ ?s ?p ?o }} }}",
]
# Spellings the old guard refused too: they must stay refused.
HELD = [
    "SELECT * WHERE {{ # x\r\n SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}",
    'SELECT * WHERE {{ # \\u000a " \n SERVICE <{base}/sparql> {{ ?s ?p ?o }} # " \n }}',
    "BASE <{base}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("how", ["get", "form", "post"])
@pytest.mark.parametrize("query", BYPASSES + HELD)
def test_spellings_the_old_guard_missed_send_nothing(default_server, recorder, query, how):
    text = query.format(base=recorder.base)
    status, _, body = send(default_server, how, text)
    assert status == 403 and b"SERVICE" in body and body.count(b"\n") <= 1, (status, body)
    assert recorder.requests == []


def test_the_engine_really_would_send_them(recorder):
    """The cases above are real: bare pyoxigraph (no check) sends each one."""
    for query in BYPASSES + HELD:
        before = len(recorder.requests)
        try:
            list(ox.Store().query(query.format(base=recorder.base)))
        except (OSError, RuntimeError, SyntaxError):  # the recorder's answer is not SPARQL results
            pass
        assert len(recorder.requests) > before, query


def test_load_after_a_comment_ended_by_cr_loads_nothing(built, tmp_path, recorder):
    import shutil

    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    proc, base = start(copy, "--writable")
    try:
        for how in ("form", "post"):
            for update in ("INSERT DATA {{ <https://e/x> <https://e/p> 1 }} # c\r ; LOAD <{base}/data.ttl>",
                           "INSERT DATA {{ <https://e/x> <https://e/p> 1 }} ;\nLOAD#c\r<{base}/data.ttl>"):
                status, _, body = send(base, how, update.format(base=recorder.base), "update")
                assert status == 403 and b"LOAD" in body, (status, body)
        assert recorder.requests == []
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def allowing_server(built, recorder):
    proc, base = start(built, "--workers", "1", "--allow-service", f"{recorder.base}/allowed/")
    yield base
    stop(proc)


@pytest.mark.parametrize("query", [
    # a prefix declared twice: the engine uses the last
    "PREFIX e: <{base}/allowed/> PREFIX e: <{base}/other/> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <{base}/allowed/../other> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <{base}/allowed/%2e%2e/other> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <{user}/allowed/x> {{ ?s ?p ?o }} }}",
    "BASE <{base}/allowed/> SELECT * WHERE {{ SERVICE <../other> {{ ?s ?p ?o }} }}",
])
def test_an_allow_list_cannot_be_stepped_around(allowing_server, recorder, query):
    user = recorder.base.replace("http://", "http://evil@")
    status, _, body = get(allowing_server, query.format(base=recorder.base, user=user), JSON)
    assert status == 403, (status, body)
    assert recorder.requests == []


@pytest.mark.parametrize("query", [
    "SELECT * WHERE {{ SERVICE <{base}/allowed/a> {{ SERVICE <{base}/allowed/b> {{ ?s ?p ?o }} }} }}",
    "BASE <{base}/allowed/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <{upper}/allowed/sparql> {{ ?s ?p ?o }} }}",
])
def test_allowed_endpoints_however_written_are_not_refused(allowing_server, recorder, query):
    upper = recorder.base.upper().replace("HTTP://", "HTTP://")
    status, _, body = get(allowing_server, query.format(base=recorder.base, upper=upper), JSON)
    assert status != 403, body  # sent: the recorder's answer is not SPARQL results (502)
    assert recorder.requests and all(r.startswith("/allowed/") for r in recorder.requests)


def test_service_in_an_escaped_string_is_not_refused(default_server):
    status, _, body = get(default_server, 'SELECT * WHERE { BIND("\\u0022service\\u0022" AS ?x) }', JSON)
    assert status == 200 and b'service' in body


def test_a_long_query_with_service_in_a_comment_is_checked_fast(default_server):
    text = "SELECT * WHERE {\n?s rdfs:label ?o\n" + "# the service of the label, and where to load it\n" * 800 + "} LIMIT 1"
    assert len(text) > 36_000
    started = time.perf_counter()
    assert outgoing(text) == []
    assert time.perf_counter() - started < 1.0  # the old guard's second parser: 8.5 s
    status, _, _ = get(default_server, text, JSON)
    assert status == 200


def test_a_default_servers_workers_have_no_network(tmp_path, recorder):
    """Defence in depth: were a SERVICE to slip past the check, a worker could
    still not send it. The same filter the workers install, in a process of its own."""
    code = ("import pyoxigraph as ox, sys\nfrom collabgraph.core.sandbox import forbid_network\n"
            "assert forbid_network()\n"
            f"try:\n    list(ox.Store().query('SELECT * WHERE {{ SERVICE <{recorder.base}/sparql> {{ ?s ?p ?o }} }}'))\n"
            "except OSError as e:\n    print(e)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "Permission denied" in run.stdout
    assert recorder.requests == []


def test_the_library_refuses_service_unless_the_store_allows_it(kg, recorder):
    with pytest.raises(OutgoingRefused, match="SERVICE"):
        kg.sparql(BYPASSES[0].format(base=recorder.base))
    assert recorder.requests == []
    kg.store.allow_service = (f"{recorder.base}/sparql",)
    try:
        with pytest.raises(Exception):  # noqa: B017  (sent; any error will do: the answer is not SPARQL results)
            kg.sparql(f"SELECT * WHERE {{ SERVICE <{recorder.base}/sparql> {{ ?s ?p ?o }} }}")
        assert len(recorder.requests) == 1
    finally:
        kg.store.allow_service = ()


def test_the_cli_refuses_service_in_one_line(built, recorder):
    exe = Path(sys.executable).with_name("collabgraph")
    run = subprocess.run([str(exe), "sparql", "--build", str(built), BYPASSES[0].format(base=recorder.base)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and len(run.stderr.splitlines()) == 1 and "SERVICE" in run.stderr
    assert recorder.requests == []


def test_allow_lists_compare_normalised_iris():
    assert allowed("HTTP://Example.org:80/a/%7Eb", ["http://example.org/a/"])
    assert not allowed("http://example.org/a/../b", ["http://example.org/a/"])
    assert not allowed("http://example.org.evil/a", ["http://example.org/"])
    assert not allowed("ftp://example.org/a", ["ftp://example.org/"])


# -- the fuzzer ------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), update=st.booleans())
def test_fuzzed_texts_never_reach_the_recorder_through_the_library(recorder, rng, update):
    text = case(recorder.base, rng, update=update)
    store = Store.memory()
    try:
        if update:
            store.update(text)
        else:
            result = store.query(text)
            if not isinstance(result, ox.QueryBoolean):
                list(result)
    except Exception:
        pass
    assert recorder.requests == [], text


def test_fuzzed_texts_never_reach_the_recorder_through_a_server(default_server, built, tmp_path, recorder):
    import shutil

    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    proc, writable = start(copy, "--writable")
    rng = random.Random(18)
    statuses: dict[int, int] = {}
    try:
        for i in range(120):
            update = i % 4 == 3
            text = case(recorder.base, rng, update=update)
            how = ["form", "post"][i % 2] if update else ["get", "form", "post"][i % 3]
            status, _, _ = send(writable if update else default_server, how, text, "update" if update else "query")
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        stop(proc)
    assert recorder.requests == []
    assert statuses.get(403, 0) > 60  # most cases name the recorder in a way the engine would send


def test_fuzzed_texts_never_reach_the_recorder_through_the_cli(built, recorder):
    exe = Path(sys.executable).with_name("collabgraph")
    rng = random.Random(1818)
    for _ in range(4):
        text = case(recorder.base, rng)
        run = subprocess.run([str(exe), "sparql", "--build", str(built), text], capture_output=True, text=True,
                             timeout=120)
        assert run.returncode in (0, 1) and len(run.stderr.splitlines()) <= 1
    assert recorder.requests == []
