"""`collabgraph serve` under load: 50 clients, 2 of them sending runaway queries.

    .venv/bin/python bench/serve_load.py                       # this checkout's server
    .venv/bin/python bench/serve_load.py --code /other/src     # another checkout's server, same load

Builds a generated graph (~100k triples), starts a real server on loopback
and runs, for --seconds each, (a) 50 clients asking short queries and (b) 48
such clients plus 2 that send a runaway query again as soon as they get an
answer. Every client is its own loopback address (127.0.0.N), as separate
machines would be. Prints p50/p99/max latency of the short queries, their
throughput, failures, and what the runaways got. Loopback only; timings on a
shared machine are noisy, so compare the two scenarios of one run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

PY = sys.executable
CLI = str(Path(PY).with_name("collabgraph"))
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SHORT = [
    "SELECT ?l WHERE {{ <{a}> rdfs:label ?l }}",
    "SELECT ?w WHERE {{ ?c cg:agent <{a}> ; cg:work ?w }} LIMIT 50",
    "SELECT (COUNT(*) AS ?n) WHERE {{ ?c cg:agent <{a}> }}",
    "SELECT ?p ?o WHERE {{ <{a}> ?p ?o }} LIMIT 100",
]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client(threading.Thread):
    def __init__(self, n: int, port: int, queries: list[str], stop: float, log: list):
        super().__init__(daemon=True)
        self.source, self.port, self.queries, self.stop, self.log = f"127.0.0.{10 + n}", port, queries, stop, log

    def run(self) -> None:
        conn = None
        rnd = random.Random(self.source)
        while time.monotonic() < self.stop:
            query = rnd.choice(self.queries)
            t = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300,
                                                      source_address=(self.source, 0))
                conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                             headers={"Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                status = 0
                conn = None
            done = time.monotonic()
            if done <= self.stop + 60:
                self.log.append((status, done - t, done))


def scenario(port: int, agents: list[str], seconds: float, runaways: int) -> dict:
    short = [q.format(a=a) for q in SHORT for a in agents]
    stop = time.monotonic() + seconds
    normal_log: list = []
    runaway_log: list = []
    clients = [Client(i, port, short, stop, normal_log) for i in range(50 - runaways)]
    clients += [Client(50 + i, port, [RUNAWAY], stop, runaway_log) for i in range(runaways)]
    started = time.monotonic()
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    wall = time.monotonic() - started
    latencies = sorted(d for s, d, _ in normal_log if s == 200)
    return {
        "runaway clients": runaways,
        "short answered": len(latencies),
        "short failed": sum(s != 200 for s, _, _ in normal_log),
        "short per s": round(len([1 for s, _, t in normal_log if s == 200 and t <= stop]) / seconds, 1),
        "p50 s": round(statistics.median(latencies), 3) if latencies else None,
        "p99 s": round(latencies[int(0.99 * (len(latencies) - 1))], 3) if latencies else None,
        "max s": round(latencies[-1], 3) if latencies else None,
        "runaway answers": {str(s): sum(1 for x, _, _ in runaway_log if x == s) for s in sorted({x for x, _, _ in runaway_log})},
        "wall s": round(wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=2170, help="size of the generated graph (~46 triples each)")
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--timeout", type=float, default=10, help="the server's --timeout")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--code", help="src/ directory of the collabgraph to serve (default: this checkout's)")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": args.code or str(root / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        graph, out = Path(tmp) / "graph", Path(tmp) / "build"
        subprocess.run([CLI, "generate", "--agents", str(args.agents), "--out", str(graph)], check=True,
                       env=env, capture_output=True)
        subprocess.run([CLI, "build", "--graph", str(graph), "--out", str(out), "-q"], check=True, env=env)
        port = free_port()
        server = subprocess.Popen([CLI, "serve", "--build", str(out), "--port", str(port), "--timeout",
                                   str(args.timeout), "--workers", str(args.workers)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}/sparql?"
            deadline = time.monotonic() + 120
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    conn.request("GET", "/sparql?" + urllib.parse.urlencode(
                        {"query": "SELECT DISTINCT ?a WHERE { ?c cg:agent ?a } LIMIT 200"}))
                    data = json.loads(conn.getresponse().read())
                    break
                except (OSError, ValueError):
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the server did not start")
                    time.sleep(0.5)
            agents = [b["a"]["value"] for b in data["results"]["bindings"]]
            del base
            print(f"server: {args.code or 'this checkout'}; {args.agents} agents; --timeout {args.timeout:g} "
                  f"--workers {args.workers}; {args.seconds:g} s per scenario; 50 clients")
            for runaways in (0, 2):
                print(json.dumps(scenario(port, agents, args.seconds, runaways), ensure_ascii=False))
                time.sleep(args.timeout + 2)  # let the last runaways be cut before the next scenario
        finally:
            server.terminate()
            server.wait(20)


if __name__ == "__main__":
    main()
