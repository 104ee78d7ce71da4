"""``serve --http-processes N`` (collabgraph.web.fronts, issue 23): several
processes serving one port, and what stays the server's, not a process's: the
connection caps, the query pool and its time limit; a killed serving process
is replaced; Ctrl-C and the first process's end stop them all."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import free_port, wait_until_serving
from .procs import children, tree
from .test_server import RUNAWAY, get

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT groups and /proc: Linux")

LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/collabgraph/id/v> ?p ?o }"


def start(built, *extra) -> tuple[subprocess.Popen, str, int]:
    """The server in a session of its own (so a test can send Ctrl-C to its process group)."""
    port = free_port()
    exe = Path(sys.executable).with_name("collabgraph")
    proc = subprocess.Popen([str(exe), "serve", "--build", str(built), "--port", str(port), "--workers", "1",
                             "--http-processes", "2", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(proc, f"{base}/saved.json", "collabgraph serve --http-processes 2")
    return proc, base, port


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(20)


def serving_processes(proc: subprocess.Popen) -> list[int]:
    """The first serving process and the others: its children that serve (forked from it, so the same
    command line, or started in place of one with ``_front_boot``), not the query workers."""
    own = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
    out = [proc.pid]
    for pid in children(proc.pid):
        try:
            line = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if line == own or b"_front_boot" in line:
            out.append(pid)
    return out


def holder(port: int, local: tuple[str, int]) -> int | None:
    """The pid of the server process holding the connection whose client end is ``local`` (waiting a
    little for it to be accepted: until then the kernel holds it, and no process)."""
    deadline = time.monotonic() + 5
    while True:
        out = subprocess.run(["ss", "-tnpH", "state", "established", "sport", "=", str(port)],
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            if f"{local[0]}:{local[1]} " in line and (found := re.search(r"pid=(\d+)", line)):
                return int(found.group(1))
        if time.monotonic() > deadline:
            return None
        time.sleep(0.05)


def connect(port: int, address: str = "127.0.0.1") -> tuple[socket.socket, int]:
    """A kept-alive connection from ``address`` and the status of one request on it (503: refused at once)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(address, 0))
    sock.sendall(b"GET /saved.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    head = sock.recv(200)
    return sock, int(head.split()[1]) if head else 0


def test_a_client_gets_no_more_connections_on_several_processes_than_its_cap(built):
    proc, _, port = start(built, "--max-client-connections", "3")
    held: list[socket.socket] = []
    try:
        # 16 attempts from one address: the kernel spreads them over the two processes by a hash of the
        # addresses and ports, so with caps counted per process about 6 would be let in, not 3.
        statuses = []
        for _ in range(16):
            sock, status = connect(port)
            statuses.append(status)
            if status == 200:
                held.append(sock)
            else:
                sock.close()
        assert statuses.count(200) == 3 and statuses.count(503) == 13, statuses
        # Another address still has its own three; one closed connection frees a place for its owner.
        others = [connect(port, "127.0.0.2") for _ in range(4)]
        assert [s for _, s in others] == [200, 200, 200, 503]
        for sock, _ in others:
            sock.close()
        held.pop().close()
        time.sleep(0.5)
        sock, status = connect(port)
        assert status == 200
        held.append(sock)
    finally:
        for sock in held:
            sock.close()
        stop(proc)


def test_connections_reach_both_processes_and_each_answers_alike(built):
    proc, base, port = start(built)
    try:
        assert len(serving_processes(proc)) == 2
        seen, bodies = set(), set()
        for _ in range(24):
            sock, status = connect(port)
            seen.add(holder(port, sock.getsockname()))
            sock.close()
            assert status == 200
            status, _, body = get(base, LOOKUP, "text/csv")
            assert status == 200
            bodies.add(body)
        assert seen == set(serving_processes(proc)), seen
        assert len(bodies) == 1
    finally:
        stop(proc)


def test_a_runaway_sent_to_the_other_process_is_stopped_at_the_time_limit(built):
    """Every process sends queries it does not answer itself to the one query pool, where the time limit holds."""
    proc, base, _ = start(built, "--timeout", "2")
    try:
        for _ in range(4):  # new connections each time: both processes take some
            started = time.monotonic()
            status, _, body = get(base, RUNAWAY, "application/sparql-results+json")
            assert status == 503 and b"time limit" in body, body
            assert time.monotonic() - started < 10
        status, _, _ = get(base, LOOKUP, "text/csv")
        assert status == 200
    finally:
        stop(proc)


def test_a_killed_serving_process_is_replaced(built):
    proc, base, port = start(built)
    try:
        first, other = serving_processes(proc)
        os.kill(other, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = serving_processes(proc)
            if len(now) == 2 and other not in now:
                break
            time.sleep(0.2)
        now = serving_processes(proc)
        assert len(now) == 2 and other not in now and first in now, now
        time.sleep(3)  # the replacement's interpreter starting
        seen = set()
        for _ in range(24):
            status, _, body = get(base, LOOKUP, "text/csv")
            assert status == 200, body
            sock, status = connect(port)
            seen.add(holder(port, sock.getsockname()))
            sock.close()
        assert seen == set(now), seen
        stop(proc)
        err = proc.stderr.read().decode()
        assert f"serving process 1 (pid {other}) stopped (signal 9); starting another in its place" in err, err
    finally:
        stop(proc)


def test_ctrl_c_stops_every_process(built):
    proc, base, _ = start(built)
    assert get(base, "ASK {}", "application/sparql-results+json")[0] == 200
    # Settled: every process the server starts at rest (the workers and their spare) has started and
    # imported what it runs, as when a user presses Ctrl-C (a process still importing when it comes
    # would be interrupted in its imports).
    everyone, since = tree(proc.pid), time.monotonic()
    while time.monotonic() - since < 3 and time.monotonic() < since + 60:
        now = tree(proc.pid)
        everyone, since = (everyone, since) if now == everyone else (now, time.monotonic())
    time.sleep(2)
    assert len(serving_processes(proc)) == 2
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends the whole group
    try:
        code = proc.wait(30)
    finally:
        stop(proc)
    said = proc.stderr.read().decode("utf-8", "replace")
    # the query workers let Ctrl-C pass (the server stops them): no traceback from each of them
    assert "Traceback" not in said and "KeyboardInterrupt" not in said, said[-2000:]
    assert code == 0, said[-2000:]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() and
                                              "Z" not in Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2][:3]
                                              for pid in everyone):
        time.sleep(0.2)
    left = [pid for pid in everyone if Path(f"/proc/{pid}").exists()
            and "Z" not in Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2][:3]]
    assert not left, left


def test_the_other_processes_stop_when_the_first_is_killed(built):
    proc, _, _ = start(built)
    try:
        _, other = serving_processes(proc)
        os.kill(proc.pid, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and Path(f"/proc/{other}").exists():
            time.sleep(0.2)
        assert not Path(f"/proc/{other}").exists()
    finally:
        stop(proc)
        for pid in tree(proc.pid):
            if pid != proc.pid:
                os.kill(pid, signal.SIGKILL)


def test_several_processes_are_refused_with_a_note_where_they_cannot_share(built):
    port = free_port()
    exe = Path(sys.executable).with_name("collabgraph")
    proc = subprocess.Popen([str(exe), "serve", "--build", str(built), "--port", str(port), "--workers", "1",
                             "--http-processes", "2", "--fast-threads", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_serving(proc, f"http://127.0.0.1:{port}/saved.json", "collabgraph serve")
        assert serving_processes(proc) == [proc.pid]
    finally:
        stop(proc)
    assert "note: served by one process, not 2" in proc.stderr.read().decode()


def test_a_second_server_on_the_port_of_two_processes_is_refused_in_one_line(built):
    """The port group (SO_REUSEPORT) takes no socket that is not its own: a second server gets the busy port's line."""
    proc, _, port = start(built)
    try:
        exe = Path(sys.executable).with_name("collabgraph")
        second = subprocess.run([str(exe), "serve", "--build", str(built), "--port", str(port), "--http-processes", "2"],
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert second.stderr.strip().splitlines()[-1] == f"error: port {port} on 127.0.0.1 is in use; pick another with --port"
    finally:
        stop(proc)


def test_a_client_runs_no_more_queries_at_once_on_two_processes_than_per_client(built):
    """Two runaways of one client sent to the two processes: with --per-client 1 the second waits for the first
    (the one queue, in the first process), though a worker is free; counted per process both would run."""
    import http.client
    import threading
    import urllib.parse

    proc, _, port = start(built, "--workers", "2", "--per-client", "1", "--timeout", "3")
    conns: list[http.client.HTTPConnection] = []
    try:
        by_process: dict[int | None, http.client.HTTPConnection] = {}
        for _ in range(40):  # kept-alive connections until one is held by each process
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.connect()
            conns.append(conn)
            by_process.setdefault(holder(port, conn.sock.getsockname()), conn)
            if len(by_process) == 2:
                break
        assert len(by_process) == 2 and None not in by_process, by_process
        tries: list[list[bytes]] = []
        # The two are sent together (a barrier); on a loaded machine one thread may still send its query a
        # second late, and then the queued one runs the rest of its limit after waiting, and both say "ran
        # past". That skew is the client's, so the pair is sent again (at most three times); counted per
        # process, both would run at once every time and never say "waited".
        for _ in range(3):
            answers: list[bytes] = []
            together = threading.Barrier(2)

            def ask(conn: http.client.HTTPConnection) -> None:
                together.wait(10)
                conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}),
                             headers={"Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                answers.append(b"%d " % response.status + response.read())

            threads = [threading.Thread(target=ask, args=(c,)) for c in by_process.values()]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            assert len(answers) == 2 and all(a.startswith(b"503 ") for a in answers), answers
            tries.append(answers)
            if sum(b"waited the whole time limit" in a for a in answers) == 1:
                break
        answers = tries[-1]
        assert sum(b"ran past the time limit" in a for a in answers) == 1, tries
        assert sum(b"waited the whole time limit" in a for a in answers) == 1, tries
    finally:
        for conn in conns:
            conn.close()
        stop(proc)
