"""`serve --memory` holds one in-memory copy: the workers are forked from the
process that loaded it and share its pages (issue 23). Through a real server
on 127.0.0.1: the workers answer after the fork, a killed worker is replaced
by a fork (not a reload) and answers, a runaway is still stopped, and the
memory of N workers is not N copies."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from collabgraph import CollabGraph, build
from collabgraph.importers.generate import generate

from .conftest import ONTOLOGY, free_port, wait_until_serving
from .procs import children

pytestmark = pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")

PREFIX = "PREFIX cg: <https://w3id.org/collabgraph/ns#>\n"
TOP = PREFIX + "SELECT ?a (COUNT(?c) AS ?n) WHERE { ?c cg:agent ?a } GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 5"
#: Reads every quad and takes over the worker's 20 ms before it looks at its memory.
WIDE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?a ?e ?f }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: 100 million rows counted: several seconds of one worker's CPU (1.4 s for 25 million on a quiet
#: machine, too close to the tests' 1.5 s wait), then an answer.
SLOW_ROWS = 100_000_000
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?b ?c } LIMIT 10000 } "
        "{ SELECT ?d WHERE { ?d ?e ?f } LIMIT 10000 } }")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated graph of 300 agents, built."""
    root = tmp_path_factory.mktemp("serve-memory")
    generate(300, root / "g", seed=5)
    build(root / "g", ONTOLOGY, root / "build")
    return root / "build"


def _rollup(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        out[name.rstrip(":")] = int(value)
    return out


def _copy_and_workers(server: int, seconds: float = 10) -> tuple[int, list[int]]:
    """The process holding the copy (the server's child that has children) and the workers forked from it.
    Waits up to ``seconds`` for one: a worker being replaced (past its memory, killed) leaves the copy
    without workers for the moment between its end and the next fork."""
    deadline = time.monotonic() + seconds
    while True:
        for child in children(server):
            workers = children(child)
            if workers:
                return child, workers
        if time.monotonic() > deadline:
            raise AssertionError("no process of the server has forked workers")
        time.sleep(0.05)


def _ask(base: str, query: str, timeout: float = 60) -> tuple[int, list]:
    request = urllib.request.Request(f"{base}/sparql?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            rows = json.load(r)["results"]["bindings"]
            return r.status, [[b[v]["value"] for v in sorted(b)] for b in rows]
    except urllib.error.HTTPError as exc:
        return exc.code, []


def _serve(build_dir: Path, *options: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    exe = Path(sys.executable).with_name("collabgraph")
    proc = subprocess.Popen([str(exe), "serve", "--build", str(build_dir), "--port", str(port), "--memory",
                             "--fast-threads", "0", *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(proc, f"{base}/saved.json", "collabgraph serve --memory", seconds=120)
    except BaseException:
        proc.kill()
        proc.wait(10)
        raise
    return proc, base


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def _expected(build_dir: Path) -> list:
    with CollabGraph.open(build_dir) as kg:
        return sorted([[str(row[0]), str(row[1])] for row in kg.sparql(TOP)])


def test_workers_share_one_copy_and_answer(generated):
    proc, base = _serve(generated, "--workers", "3")
    try:
        status, rows = _ask(base, TOP)
        assert status == 200 and sorted(rows) == _expected(generated)
        copy, workers = _copy_and_workers(proc.pid)
        # Three workers, all forked from one copy; no standby held ahead and no idle spare (a fork is as quick).
        deadline = time.monotonic() + 10
        while len(workers) != 3 and time.monotonic() < deadline:
            time.sleep(0.5)
            copy, workers = _copy_and_workers(proc.pid)
        assert len(workers) == 3, workers
        # N copies would each be private: here each worker's own pages are a small part of what it maps
        # (generous bound: a busy machine, a worker that just ran a query).
        mapped = sum(_rollup(w)["Rss"] for w in workers)
        own = sum(_rollup(w)["Private_Dirty"] + _rollup(w)["Private_Clean"] for w in workers)
        assert own < 0.5 * mapped, (own, mapped)
        # and the whole server's memory (PSS: shared pages counted once) is far from one copy per worker
        total = sum(_rollup(p)["Pss"] for p in [proc.pid, copy, *workers])
        assert total < _rollup(copy)["Rss"] * (1 + 0.5 * len(workers)), total
    finally:
        _stop(proc)


def test_a_killed_worker_is_forked_again_and_answers(generated):
    proc, base = _serve(generated, "--workers", "2")
    try:
        assert _ask(base, TOP)[0] == 200
        copy, workers = _copy_and_workers(proc.pid)
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        status, rows = _ask(base, TOP)
        assert status == 200 and sorted(rows) == _expected(generated)
        # replaced by forks of the same copy, not reloaded by new processes of the server
        again, fresh = _copy_and_workers(proc.pid)
        assert again == copy and fresh and not set(fresh) & set(workers)
    finally:
        _stop(proc)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_query_whose_worker_is_killed_from_outside_is_run_again_and_answered(generated):
    """An operator's or the kernel's SIGKILL is not the query's fault: it runs once more on a fresh worker."""
    import threading

    proc, base = _serve(generated, "--workers", "1", "--timeout", "60")
    try:
        assert _ask(base, TOP)[0] == 200
        outcome: dict = {}
        asking = threading.Thread(target=lambda: outcome.update(answer=_ask(base, SLOW)))
        asking.start()
        deadline = time.monotonic() + 60
        busy = None
        while busy is None and time.monotonic() < deadline and asking.is_alive():
            for pid in _copy_and_workers(proc.pid)[1]:
                try:
                    if _cpu_seconds(pid) > 0.3:  # this one is running the query
                        busy = pid
                except OSError:
                    pass
            time.sleep(0.05)
        assert busy is not None, "no worker took the query"
        os.kill(busy, signal.SIGKILL)
        asking.join(90)
        assert outcome["answer"] == (200, [[str(SLOW_ROWS)]])
    finally:
        _stop(proc)


def test_a_runaway_is_stopped_and_the_next_query_answers(generated):
    proc, base = _serve(generated, "--workers", "1", "--timeout", "2")
    try:
        started = time.monotonic()
        assert _ask(base, RUNAWAY)[0] == 503
        assert time.monotonic() - started < 30
        status, rows = _ask(base, TOP)
        assert status == 200 and sorted(rows) == _expected(generated)
    finally:
        _stop(proc)


def test_a_worker_past_its_own_memory_is_replaced(generated):
    """--worker-own-memory 1: every query that reads much makes its worker too big; the next is a fresh fork."""
    proc, base = _serve(generated, "--workers", "1", "--worker-own-memory", "1")
    try:
        with CollabGraph.open(generated) as kg:
            expected = [[str(row[0]) for row in kg.sparql(WIDE)]]
        seen: set[int] = set()
        for _ in range(3):
            status, rows = _ask(base, WIDE)
            assert status == 200 and rows == expected
            seen |= set(_copy_and_workers(proc.pid)[1])
        assert len(seen) > 1  # one worker if none was replaced (the spare is forked only when it takes a query)
    finally:
        _stop(proc)


def test_max_memory_leaves_the_shared_copy_out(generated):
    """A limit smaller than the copy and the interpreter together still lets the workers answer."""
    proc, base = _serve(generated, "--workers", "1", "--max-memory", "48")
    try:
        status, rows = _ask(base, TOP)
        assert status == 200 and sorted(rows) == _expected(generated)
    finally:
        _stop(proc)


def test_after_a_rebuild_the_workers_answer_from_a_copy_of_the_new_build(sources, tmp_path):
    out = tmp_path / "build"
    build(sources, ONTOLOGY, out)
    proc, base = _serve(out, "--workers", "1")
    query = ("SELECT ?label WHERE { <https://w3id.org/collabgraph/id/gyopo-hairstyle> "
             "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    try:
        status, rows = _ask(base, query)
        assert status == 200 and sorted(r[0] for r in rows) == ["GYOPO HAIRSTYLE", "교포머리"]
        old_copy, _ = _copy_and_workers(proc.pid)
        article = Path(sources) / "love-wins-all-article.ttl"
        article.write_text(article.read_text("utf-8").replace(
            'rdfs:label "GYOPO HAIRSTYLE"@en, "교포머리"@ko .', 'rdfs:label "GYOPO HAIRSTYLE 2"@en, "교포머리 2"@ko .'),
            "utf-8")
        build(sources, ONTOLOGY, out)
        status, rows = _ask(base, query)
        assert status == 200 and sorted(r[0] for r in rows) == ["GYOPO HAIRSTYLE 2", "교포머리 2"]
        # the old copy's process ends once its last worker (the idle spare's too) has stopped
        deadline = time.monotonic() + 30
        while old_copy in children(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert old_copy not in children(proc.pid)
        assert _copy_and_workers(proc.pid)[0] != old_copy
    finally:
        _stop(proc)


def test_a_query_past_max_memory_stops_its_worker_and_the_next_answers(generated):
    """The memory limit still holds for a forked worker: counted beyond the shared copy."""
    proc, base = _serve(generated, "--workers", "1", "--max-memory", "64", "--timeout", "60")
    hungry = "SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r } ORDER BY ?a ?b ?o ?r LIMIT 1"
    try:
        request = urllib.request.Request(f"{base}/sparql?{urllib.parse.urlencode({'query': hungry})}")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=120)
        assert refused.value.code == 500
        assert "--max-memory" in refused.value.read().decode()
        status, rows = _ask(base, TOP)
        assert status == 200 and sorted(rows) == _expected(generated)
    finally:
        _stop(proc)


def test_the_spare_worker_is_forked_when_every_worker_is_busy_and_answers(generated):
    """No idle spare is held (a process and its pages for nothing): while the one worker runs a slow
    query for over a second, another client's short question is answered by a spare forked then."""
    import http.client
    import threading

    proc, base = _serve(generated, "--workers", "1", "--timeout", "60")
    try:
        assert _ask(base, TOP)[0] == 200
        time.sleep(1)
        assert len(_copy_and_workers(proc.pid)[1]) == 1  # the worker alone, no spare at rest
        outcome: dict = {}
        slow = threading.Thread(target=lambda: outcome.update(answer=_ask(base, SLOW)))
        slow.start()
        time.sleep(1.5)  # the worker busy for over a second: the spare's turn
        assert slow.is_alive(), "the slow query ended too soon to tell"
        conn = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=60,
                                          source_address=("127.0.0.2", 0))  # another client
        asked = time.monotonic()
        conn.request("GET", f"/sparql?{urllib.parse.urlencode({'query': TOP})}",
                     headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        rows = json.load(response)["results"]["bindings"]
        assert response.status == 200 and len(rows) == 5
        assert slow.is_alive() and time.monotonic() - asked < 10  # not after the slow query
        assert len(_copy_and_workers(proc.pid)[1]) == 2
        slow.join(90)
        assert outcome["answer"] == (200, [[str(SLOW_ROWS)]])
    finally:
        _stop(proc)


FORBIDDEN = ("rdflib", "networkx", "pyshacl", "spacy", "pyvis", "jinja2", "collabgraph.build.pipeline",
             "collabgraph.importers", "collabgraph.ingest")


def test_the_serving_processes_import_no_build_or_graph_library(generated, tmp_path):
    """The server process, the copy's process and its workers keep what they import for their whole
    life: none holds rdflib, networkx, pyshacl, spaCy, pyvis, Jinja or the build's and ingest's code.
    (The copy and its workers are forks of the server: what it imported before are its pages, shared.)"""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import os, signal, sys\n"
        "def _dump(*_):\n"
        f"    with open(os.path.join({str(tmp_path)!r}, f'modules-{{os.getpid()}}'), 'w') as out:\n"
        "        out.write('\\n'.join(sorted(sys.modules)))\n"
        "signal.signal(signal.SIGUSR1, _dump)\n")
    port = free_port()
    exe = Path(sys.executable).with_name("collabgraph")
    proc = subprocess.Popen([str(exe), "serve", "--build", str(generated), "--port", str(port), "--memory"],
                            env={**os.environ, "PYTHONPATH": str(hook)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(proc, f"{base}/saved.json", "collabgraph serve --memory", seconds=120)
        assert _ask(base, TOP)[0] == 200  # through a worker (a GROUP BY is not a lookup)
        assert _ask(base, "SELECT ?p ?o WHERE { <https://w3id.org/collabgraph/id/x> ?p ?o }")[0] == 200
        copy, workers = _copy_and_workers(proc.pid)
        for pid in (proc.pid, copy, *workers):
            os.kill(pid, signal.SIGUSR1)
        deadline = time.monotonic() + 20
        while len(list(tmp_path.glob("modules-*"))) < 2 + len(workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        held = {int(f.name.split("-")[1]): f.read_text().split() for f in tmp_path.glob("modules-*")}
        assert set(held) == {proc.pid, copy, *workers}
        for pid, modules in held.items():
            assert "collabgraph.web.answers" in modules  # the hook saw a serving process
            bad = [m for m in modules if m.startswith(FORBIDDEN)]
            assert not bad, (pid, bad)
    finally:
        _stop(proc)


def _private_kib(pid: int) -> int:
    rollup = _rollup(pid)
    return rollup["Private_Dirty"] + rollup["Private_Clean"]


def test_the_copy_is_a_fork_of_the_server_sharing_its_interpreter(generated):
    """The first copy's process is forked from the server before its threads start, not a fresh
    interpreter: it keeps the server's command line, and the interpreter's pages (the imports) are
    shared, so the copy's own pages are a small part of what it maps (issue 23, memory at 100k)."""
    proc, base = _serve(generated, "--workers", "2")
    try:
        assert _ask(base, TOP)[0] == 200
        copy, workers = _copy_and_workers(proc.pid)
        server_argv = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        assert Path(f"/proc/{copy}/cmdline").read_bytes() == server_argv  # a spawned copy runs "python -c ..."
        assert _private_kib(copy) < 0.25 * _rollup(copy)["Rss"], _rollup(copy)
        # and the listening socket is the server's alone (the child closed it): it is never accepted on there
        port = int(base.rsplit(":", 1)[1])
        listening = {line.split()[9] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
                     if int(line.split()[1].split(":")[1], 16) == port and line.split()[3] == "0A"}
        assert listening
        held = {os.readlink(f) for f in Path(f"/proc/{copy}/fd").iterdir() if f.is_symlink()}
        assert not {f"socket:[{inode}]" for inode in listening} & held
    finally:
        _stop(proc)
