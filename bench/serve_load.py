"""`collabgraph serve` under load: 50 clients, some sending runaway or crashing queries.

    .venv/bin/python bench/serve_load.py                       # this checkout's server
    .venv/bin/python bench/serve_load.py --code /other/src     # another checkout's server, same load

Builds a generated graph (~100k triples), starts a real server on loopback
and runs, for --seconds each, (a) 50 clients asking short and saved queries,
(b) 48 such clients plus 2 that send a runaway query again as soon as they
get an answer, and (c) 46 plus 2 runaway plus 2 "crashing" clients, whose
query (an ORDER BY over a cross product) grows past the worker's memory limit
(``serve --max-memory``) and makes the worker die. Every client is its own
loopback address (127.0.0.N), as separate machines would be. Prints
p50/p99/max latency of the normal queries, their throughput, failures, what
the runaways and crashing queries got, and the peak memory (RSS) of the
server and its workers, sampled from /proc. tests/test_load.py runs
scenario (c) as a test. Loopback only; timings on a shared machine are
noisy, so compare the scenarios of one run.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.procs import tree  # noqa: E402

PY = sys.executable
CLI = str(Path(PY).with_name("collabgraph"))
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Holds every row of a cross product to sort it: ~500 MB a second until the worker's memory limit stops it.
CRASHING = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d LIMIT 1"
#: Saved queries (collabgraph/saved/) that answer in well under a second here, with their parameters bound
#: by VALUES as the query page binds them. (collaborators, facts-with-sources and top-collaborations take
#: 0.5-60 s on this graph: they would be runaways. credits-by-role and conflicting-claims took tens of
#: seconds until they were rewritten; see docs/benchmarks.md.)
SAVED = ("co-appearances", "conflicting-claims", "credits-by-role", "entities-by-type", "members-of-group",
         "works-by-year")
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


def saved_mix(agents: list[str], groups: list[str]) -> list[str]:
    """The saved queries of :data:`SAVED`, each bound to several agents (groups, years) by VALUES."""
    import re

    from collabgraph.views.saved import saved_queries

    out = []
    for i in range(0, min(len(agents), 40) - 1, 2):
        bound = {"entity": f"<{agents[i]}>", "b": f"<{agents[i + 1]}>", "integer": str(2010 + i % 15),
                 "group": f"<{groups[i % len(groups)]}>" if groups else f"<{agents[i]}>",
                 "type": ("cg:Person", "cg:Group", "cg:Song")[i % 3], "role": "role:performer"}
        for name in SAVED:
            q = saved_queries()[name]
            text = "\n".join(line for line in q.text.split("\n") if not line.startswith("#"))
            if q.params:
                values = " ".join(bound.get(p.name) or bound[p.kind] for p in q.params)
                clause = f"VALUES ({' '.join('?' + p.name for p in q.params)}) {{ ({values}) }}"
                text = re.sub(r"WHERE\s*\{", lambda m: m.group(0) + "\n  " + clause, text, count=1)
            out.append(text)
    return out


def tree_rss(pid: int) -> dict[int, int]:
    """Resident memory (bytes) of ``pid`` and every process under it, from /proc."""
    out = {}
    for p in tree(pid):
        try:
            out[p] = int(Path(f"/proc/{p}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue  # ended while we looked
    return out


class MemoryWatch(threading.Thread):
    """Samples :func:`tree_rss` of the server every ``every`` seconds: the
    peak of the total, of the server process and of any one worker."""

    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.every, self.done = pid, every, threading.Event()
        self.peak_total = self.peak_server = self.peak_worker = 0
        self.most_processes = 0

    def run(self) -> None:
        while not self.done.wait(self.every):
            rss = tree_rss(self.pid)
            self.peak_total = max(self.peak_total, sum(rss.values()))
            self.peak_server = max(self.peak_server, rss.get(self.pid, 0))
            self.peak_worker = max([self.peak_worker, *(v for p, v in rss.items() if p != self.pid)])
            self.most_processes = max(self.most_processes, len(rss))

    def stop(self) -> dict:
        self.done.set()
        self.join()
        mib = 1 << 20
        return {"peak RSS MiB": round(self.peak_total / mib), "server MiB": round(self.peak_server / mib),
                "worker MiB": round(self.peak_worker / mib), "processes": self.most_processes}


def percentile(values: list[float], q: float) -> float | None:
    return round(values[int(q * (len(values) - 1))], 3) if values else None


def scenario(port: int, agents: list[str], seconds: float, runaways: int, crashing: int = 0,
             normal: list[str] | None = None, server_pid: int | None = None) -> dict:
    short = normal or [q.format(a=a) for q in SHORT for a in agents]
    stop = time.monotonic() + seconds
    normal_log: list = []
    runaway_log: list = []
    crash_log: list = []
    clients = [Client(i, port, short, stop, normal_log) for i in range(50 - runaways - crashing)]
    clients += [Client(50 + i, port, [RUNAWAY], stop, runaway_log) for i in range(runaways)]
    clients += [Client(60 + i, port, [CRASHING], stop, crash_log) for i in range(crashing)]
    watch = MemoryWatch(server_pid) if server_pid else None
    if watch:
        watch.start()
    started = time.monotonic()
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    wall = time.monotonic() - started
    latencies = sorted(d for s, d, _ in normal_log if s == 200)

    def answers(log):
        return {str(s): sum(1 for x, _, _ in log if x == s) for s in sorted({x for x, _, _ in log})}

    return {
        "runaway clients": runaways,
        "crashing clients": crashing,
        "short answered": len(latencies),
        "short failed": sum(s != 200 for s, _, _ in normal_log),
        "short failures": answers([x for x in normal_log if x[0] != 200]),
        "first failures (sent at s, took s)": sorted((round(t - d - started, 1), round(d, 1))
                                                     for s, d, t in normal_log if s != 200)[:5],
        "short per s": round(len([1 for s, _, t in normal_log if s == 200 and t <= stop]) / seconds, 1),
        "p50 s": round(statistics.median(latencies), 3) if latencies else None,
        "p99 s": percentile(latencies, 0.99),
        "max s": round(latencies[-1], 3) if latencies else None,
        "runaway answers": answers(runaway_log),
        "runaway max s": round(max((d for _, d, _ in runaway_log), default=0), 1),
        "crashing answers": answers(crash_log),
        **(watch.stop() if watch else {}),
        "wall s": round(wall, 1),
    }


def start_server(build: Path, port: int, *, timeout: float, workers: int, max_memory: int | None,
                 env: dict[str, str], log: Path | None = None) -> subprocess.Popen:
    limit = ["--max-memory", str(max_memory)] if max_memory is not None else []
    return subprocess.Popen([CLI, "serve", "--build", str(build), "--port", str(port), "--timeout", str(timeout),
                             "--workers", str(workers), *limit], env=env,
                            stdout=subprocess.DEVNULL, stderr=log.open("wb") if log else subprocess.DEVNULL)


def ask(port: int, query: str, timeout: float = 30) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                     headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_ready(server: subprocess.Popen, port: int, seconds: float = 120) -> tuple[list[str], list[str]]:
    """Wait for the server to answer; the agents and groups of its graph."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, body = ask(port, "SELECT DISTINCT ?a WHERE { ?c cg:agent ?a } LIMIT 200")
            if status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.5)
    agents = [b["a"]["value"] for b in json.loads(body)["results"]["bindings"]]
    _, body = ask(port, "SELECT ?g WHERE { ?g a cg:Group } LIMIT 50")
    groups = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    return agents, groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=2170, help="size of the generated graph (~46 triples each)")
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--timeout", type=float, default=10, help="the server's --timeout")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-memory", type=int, default=1024, help="the server's --max-memory (MiB per worker)")
    parser.add_argument("--scenarios", default="0,2,2+2",
                        help="runaway clients per scenario, '+N' adding N crashing ones (default: 0,2,2+2)")
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
        server = start_server(out, port, timeout=args.timeout, workers=args.workers,
                              max_memory=None if args.code else args.max_memory, env=env)
        try:
            agents, groups = wait_ready(server, port)
            normal = [q.format(a=a) for q in SHORT for a in agents] + saved_mix(agents, groups)
            print(f"server: {args.code or 'this checkout'}; {args.agents} agents; --timeout {args.timeout:g} "
                  f"--workers {args.workers} --max-memory {args.max_memory}; {args.seconds:g} s per scenario; "
                  f"50 clients")
            for spec in args.scenarios.split(","):
                runaways, _, crashing = spec.partition("+")
                print(json.dumps(scenario(port, agents, args.seconds, int(runaways), int(crashing or 0), normal,
                                          server.pid), ensure_ascii=False), flush=True)
                time.sleep(args.timeout + 2)  # let the last runaways be cut before the next scenario
        finally:
            server.terminate()
            server.wait(20)


if __name__ == "__main__":
    main()
