"""No query crashes its caller (issue 18, item 2). The corpus in
tests/data/crash-shapes/shapes.json holds each query shape that killed a
process (exit 139, no message) at the size it did: chains of UNION, ||, &&,
+, OPTIONAL, MINUS, FILTER, BIND, EXISTS, ;, / and | paths, UNIONs of
subselects, brackets hidden in a comment ended by CR or in a fake IRI. Each
must come back as a one-line refusal from the API (in a process of its
own), the CLI and the server, and the server's workers must survive it;
big queries of ordinary shapes must still run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from collabgraph.web.querypool import QueryPool
from collabgraph.core.sparqltext import too_complex
from collabgraph.store.local import Store

from .test_server import get, http, start
from .test_server_hostile import stop

CORPUS = json.loads((Path(__file__).parent / "data" / "crash-shapes" / "shapes.json").read_text("utf-8"))["shapes"]
CRASHING = [s for s in CORPUS if s["kind"] == "crash"]
SAFE = [s for s in CORPUS if s["kind"] == "safe"]
JSON = "application/sparql-results+json"


def text(shape: dict, n: int | None = None) -> str:
    n = shape["n"] if n is None else n
    return shape["head"] + shape["sep"].join(shape["unit"].replace("{i}", str(i)) for i in range(n)) + shape["tail"]


def test_the_corpus_holds_every_shape_of_the_issue():
    names = {s["name"] for s in CRASHING}
    assert len(CRASHING) >= 18
    assert {"union", "or", "and", "plus", "optional", "minus", "filter", "bind", "exists", "semicolon", "path-seq",
            "path-alt", "union-subselect", "comment-cr-brackets", "fake-iri-brackets"} <= names


@pytest.mark.parametrize("shape", CRASHING, ids=lambda s: s["name"])
def test_every_crash_shape_is_refused_with_line_and_column(shape):
    where = too_complex(text(shape))
    assert where is not None and where[0] >= 1 and where[1] >= 1


API = """
import sys
from collabgraph import CollabGraph
from collabgraph.core.errors import QueryTooComplex
with CollabGraph.open(sys.argv[1]) as kg:
    try:
        kg.sparql(open(sys.argv[2], encoding="utf-8", newline="").read())
    except QueryTooComplex as exc:
        print("refused:", exc)
"""


@pytest.mark.parametrize("shape", CRASHING, ids=lambda s: s["name"])
def test_the_api_raises_a_domain_error_and_lives(shape, built, tmp_path):
    query = tmp_path / "q.rq"
    query.write_bytes(text(shape).encode("utf-8"))
    run = subprocess.run([sys.executable, "-c", API, str(built), str(query)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, (run.returncode, run.stderr[-300:])  # was -11 (SIGSEGV)
    assert run.stdout.startswith("refused: the query ") and "(line 1, column" in run.stdout


@pytest.mark.parametrize("shape", CRASHING, ids=lambda s: s["name"])
def test_the_cli_exits_1_with_one_line(shape, built, tmp_path):
    query = tmp_path / "q.rq"
    query.write_bytes(text(shape).encode("utf-8"))
    exe = Path(sys.executable).with_name("collabgraph")
    run = subprocess.run([str(exe), "sparql", "--build", str(built), str(query)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 1, (run.returncode, run.stderr[-300:])  # was -11 (SIGSEGV), no message
    assert len(run.stderr.splitlines()) == 1 and "(line " in run.stderr and ", column " in run.stderr


def test_the_server_refuses_every_shape_and_keeps_its_workers(built):
    proc, base = start(built, "--workers", "1", "--max-query", "1000000", "--max-body", "2000000")
    try:
        for shape in CRASHING:
            status, _, body = http(f"{base}/sparql", data=text(shape).encode(),
                                   headers={"Content-Type": "application/sparql-query", "Accept": JSON})
            assert status == 400, (shape["name"], status, body[:200])
            assert b"refused" in body and b"try again" not in body and body.count(b"\n") <= 1
        status, _, _ = get(base, "ASK { ?s ?p ?o }", JSON)
        assert status == 200
        assert proc.poll() is None
    finally:
        stop(proc)


@pytest.mark.parametrize("shape", SAFE, ids=lambda s: s["name"])
def test_big_queries_of_ordinary_shapes_still_run(shape):
    store = Store.memory()
    query = text(shape)
    assert too_complex(query) is None
    if shape.get("update"):
        store.update(query)
        rows = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", union=False))
        assert int(rows[0]["n"].value) == shape["n"]
    else:
        list(store.query(query))


def test_saved_and_packaged_queries_are_not_refused():
    package = resources.files("collabgraph")
    texts = [entry.read_text("utf-8") for folder in ("saved", "queries", "rules")
             for entry in package.joinpath(folder).iterdir() if entry.name.endswith(".rq")]
    assert len(texts) > 20
    assert [t[:60] for t in texts if too_complex(t) is not None] == []


def test_the_big_stack_alone_keeps_a_crashing_shape_from_killing_the_process():
    """Defence in depth: the engine, unchecked, on the stack the API runs it on."""
    shape = next(s for s in CRASHING if s["name"] == "plus")
    code = ("import sys, pyoxigraph as ox\nfrom collabgraph.store.local import on_big_stack\n"
            "q = sys.stdin.read()\nprint(len(on_big_stack(lambda: list(ox.Store().query(q)))))\n")
    run = subprocess.run([sys.executable, "-c", code], input=text(shape), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == "1", (run.returncode, run.stderr[-300:])


# -- a query that crashes a worker anyway ---------------------------------------------------

def crashing_worker(conn, config, generation) -> None:
    """A worker that dies of SIGSEGV on the query "crash" and answers anything else."""
    conn.send(("ready",))
    while (message := conn.recv()) is not None:
        if message[1] == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        conn.send(("ok", 200, "text/plain", b"fine"))


def test_a_query_that_crashed_a_worker_is_refused_and_never_run_again():
    pool = QueryPool(crashing_worker, None, slots=1, timeout=20, max_queue=8, per_client=1, build_dir=None)
    try:
        first = pool.submit("a", ("query", "crash", None, None)).future.result(60)
        assert first[:2] == ("error", "QueryCrashed") and "try again" not in first[2]
        assert pool.submit("a", ("query", "fine", None, None)).future.result(60)[0] == "ok"
        again = pool.submit("b", ("query", "crash", None, None))
        assert again.future.done()  # refused at once: no worker ran it
        assert again.future.result()[:2] == ("error", "QueryCrashed")
        assert pool.submit("b", ("query", "fine", None, None)).future.result(60)[0] == "ok"
    finally:
        pool.close()


def test_a_remote_store_refuses_before_sending():
    """The remote store checks too: its server may run an engine that crashes
    on the same shapes. Nothing listens on the endpoint: a request would fail
    with another error."""
    from collabgraph.core.errors import QueryTooComplex
    from collabgraph.store.remote import RemoteStore
    from collabgraph.core.sparqlguard import OutgoingRefused

    from .servers import free_port

    remote = RemoteStore(f"http://127.0.0.1:{free_port()}/sparql", timeout=5)
    with pytest.raises(QueryTooComplex, match=r"\(line 1, column \d+\)"):
        remote.query(text(next(s for s in CRASHING if s["name"] == "bind")))
    with pytest.raises(OutgoingRefused):
        remote.query("SELECT * WHERE { # x\r SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } \n }")
