"""`collabgraph serve` answers small queries without waiting on the network
stack: every accepted connection has TCP_NODELAY, so a response's last small
write is not held back (Nagle) until the client's delayed acknowledgement."""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import sys
import time
import urllib.parse

import pytest

from .conftest import wait_until_serving
from .test_server import QUERY, start

#: serve() on a socket its caller made as most code does, socket.socket() (protocol 0): asyncio
#: does not set TCP_NODELAY on what such a socket accepts, so the server must set it itself.
SERVE_ON_A_CALLERS_SOCKET = """
import socket, sys
from collabgraph.server import ServerConfig, serve
sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
print(sock.getsockname()[1], flush=True)
serve(ServerConfig(build_dir=sys.argv[1], workers=2), sock=sock)
"""


@pytest.fixture(scope="module")
def server(built):
    proc, base = start(built, "--workers", "2")
    yield base
    proc.terminate()
    proc.wait(10)


def median_lookup_seconds(base: str) -> float:
    """The median of 50 lookups over one kept-alive connection (after 5 to warm up)."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    path = "/sparql?" + urllib.parse.urlencode({"query": QUERY})
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        seconds = []
        for i in range(55):
            start_at = time.perf_counter()
            conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            response = conn.getresponse()
            body = response.read()
            took = time.perf_counter() - start_at
            assert response.status == 200, body
            assert json.loads(body)["results"]["bindings"], body  # a real answer, not an error
            assert response.getheader("connection", "").lower() != "close"  # one connection throughout
            if i >= 5:  # the first few warm the workers up
                seconds.append(took)
    finally:
        conn.close()
    return statistics.median(seconds)


def test_small_answers_over_one_kept_alive_connection_do_not_wait_for_delayed_acks(server):
    median = median_lookup_seconds(server)
    # Nagle meeting a delayed ACK costs ~40 ms a request on Linux; an answer here
    # takes ~2 ms of work; 10 ms leaves room for a busy shared machine.
    assert median < 0.010, f"median {median * 1000:.1f} ms over 50 requests on one connection"


def test_a_socket_handed_to_serve_gets_no_delay_on_its_connections_too(built):
    proc = subprocess.Popen([sys.executable, "-c", SERVE_ON_A_CALLERS_SOCKET, str(built)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{int(proc.stdout.readline())}"
        wait_until_serving(proc, f"{base}/saved.json", "serve(sock=...)")
        median = median_lookup_seconds(base)
        assert median < 0.010, f"median {median * 1000:.1f} ms over 50 requests on one connection"
    finally:
        proc.terminate()
        proc.wait(10)
