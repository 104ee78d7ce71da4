"""The SPARQL endpoint against its peer: `collabgraph serve` and the Oxigraph
server on the same quads, the same query mix, one server at a time in one run.

    .venv/bin/python bench/endpoint.py                         # 100k triples, 8 clients, 10 s per query
    .venv/bin/python bench/endpoint.py --size 1m --seconds 30  # the issue's target size
    .venv/bin/python bench/endpoint.py --before main=/work/main/src  # also another checkout's server, same run
    .venv/bin/python bench/endpoint.py --plain main=/work/main/src   # the same without uvloop and httptools
    .venv/bin/python bench/endpoint.py --memory                # serve --memory against oxigraph serve in memory
    .venv/bin/python bench/endpoint.py --interleave 1          # all servers at once, asked in turn, 1 s at a time
    .venv/bin/python bench/endpoint.py --variant "2 processes=--http-processes 2"  # also this server so started

Generates a graph (``collabgraph generate``), builds it, loads the build's
quads (``snapshot.nq``) into an Oxigraph server (``oxigraph serve
--union-default-graph``, so both answer over the union of the named graphs),
and for each query kind runs --clients clients, each on its own loopback
address (127.0.0.N, as separate machines) and one kept-alive connection,
asking for --seconds with a random agent bound into the query. Prints, per
query and server, the median and p95 latency and the answers per second, and
the ratios to the Oxigraph server. Loopback only; clients and servers share
this machine's CPUs, so figures on a busy machine are noisy: compare the
servers of one run.

Memory: every server's process tree (the server and its workers) is sampled
twice a second while it answers; the table gives the peak and the last
sample of the sum of the processes' PSS (proportional set size: a page
shared by k processes counts 1/k in each, so shared pages are counted once),
from ``/proc/PID/smaps_rollup``. With ``--memory`` both servers hold the data
in memory: ``collabgraph serve --memory`` and ``oxigraph serve`` without a
location, loaded with the same quads through its ``/store`` endpoint.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.procs import tree  # noqa: E402
from tests.servers import free_port, start_oxigraph  # noqa: E402

PY = sys.executable
CLI = str(Path(PY).with_name("collabgraph"))
OXIGRAPH = str(Path(PY).with_name("oxigraph"))
SIZES = {"10k": 220, "100k": 2170, "1m": 21700}  # agents; ~46 source triples each
PREFIXES = ("PREFIX cg: <https://w3id.org/collabgraph/ns#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
#: The issue's query mix; ``{a}`` is an agent's IRI, ``{word}`` a word of the generated names.
QUERIES = {
    "one entity's triples": "SELECT ?p ?o WHERE {{ <{a}> ?p ?o }}",
    "one agent's collaborators (2 hops)":
        "SELECT DISTINCT ?b WHERE {{ ?c cg:agent <{a}> ; cg:work ?w . ?d cg:work ?w ; cg:agent ?b "
        "FILTER(?b != <{a}>) }}",
    "top 20 agents by credits":
        "SELECT ?a (COUNT(?c) AS ?n) WHERE {{ ?c cg:agent ?a }} GROUP BY ?a ORDER BY DESC(?n) LIMIT 20",
    "labels containing a word":
        'SELECT ?s ?l WHERE {{ ?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "{word}")) }}',
}
WORD = "kang"


def ask(port: int, path: str, query: str, *, conn: http.client.HTTPConnection | None = None,
        timeout: float = 300) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", f"{path}?{urllib.parse.urlencode({'query': PREFIXES + query})}",
                     headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


def wait_ready(proc: subprocess.Popen, port: int, path: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if ask(port, path, "ASK {}", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit(f"the server on port {port} did not start")
        time.sleep(0.3)


def load(port: int, path: str, texts: list[str], clients: int, seconds: float) -> dict:
    """``clients`` threads, each on its own address and kept-alive connection, asking
    random ``texts`` for ``seconds``: latencies, answers per second, failures, rows."""
    return summary([ask_for(port, path, texts, clients, seconds)], seconds)


def ask_for(port: int, path: str, texts: list[str], clients: int, seconds: float,
            seed: int = 0) -> tuple[list[tuple[int, float, float]], float]:
    """The log of one load (status, seconds, when done) and when it was to stop."""
    stop = time.monotonic() + seconds
    log: list[tuple[int, float, float]] = []

    def client(n: int) -> None:
        rnd = random.Random(seed * 1000 + n)
        conn = None
        while time.monotonic() < stop:
            conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=300,
                                                      source_address=(f"127.0.0.{10 + n}", 0))
            t = time.monotonic()
            try:
                status, _ = ask(port, path, rnd.choice(texts), conn=conn)
            except (OSError, http.client.HTTPException):
                status, conn = 0, None
            done = time.monotonic()
            log.append((status, done - t, done))
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return log, stop


def summary(runs: list[tuple[list[tuple[int, float, float]], float]], seconds: float) -> dict:
    """Median and p95 latency, answers per second (answers finished in time over ``seconds``) and
    failures over the logs of one or more loads."""
    ok = sorted(d for log, _ in runs for s, d, _ in log if s == 200)
    answered = sum(1 for log, stop in runs for s, _, t in log if s == 200 and t <= stop)
    return {"median ms": round(statistics.median(ok) * 1000, 2) if ok else None,
            "p95 ms": round(ok[int(0.95 * (len(ok) - 1))] * 1000, 2) if ok else None,
            "answers/s": round(answered / seconds, 1),
            "failed": sum(s != 200 for log, _ in runs for s, _, _ in log)}


def run_interleaved(servers: dict[str, tuple[subprocess.Popen, int, str]], mix: dict[str, list[str]],
                    args) -> dict[str, dict]:
    """Every server running at once, asked in turn for --interleave seconds at a time until each had
    --seconds of each query kind: a busy machine's load falls on all of them alike."""
    for proc, port, path in servers.values():
        wait_ready(proc, port, path)
    out: dict[str, dict] = {name: {} for name in servers}
    slices = max(1, round(args.seconds / args.interleave))
    for kind, texts in mix.items():
        runs: dict[str, list] = {name: [] for name in servers}
        rows = {}
        for name, (_, port, path) in servers.items():
            status, body = ask(port, path, texts[0])
            rows[name] = len(json.loads(body)["results"]["bindings"]) if status == 200 else f"HTTP {status}"
            load(port, path, texts, args.clients, min(2.0, args.seconds))  # warm up
        for i in range(slices):
            order = list(servers.items())
            for name, (_, port, path) in (order if i % 2 == 0 else order[::-1]):
                runs[name].append(ask_for(port, path, texts, args.clients, args.interleave, seed=i))
        for name in servers:
            out[name][kind] = {**summary(runs[name], slices * args.interleave), "rows": rows[name]}
            print(f"  {name:<28} {kind:<36} {json.dumps(out[name][kind])}", flush=True)
    for name, (proc, _, _) in servers.items():
        mib, n = pss_mib(proc.pid)
        out[name]["memory"] = {"ready MiB": round(mib), "peak MiB": round(mib), "idle MiB": round(mib),
                               "processes": n, "load average": os.getloadavg()[0]}
    return out


def pss_mib(root: int) -> tuple[float, int]:
    """The summed PSS of ``root``'s process tree in MiB, and how many processes it has."""
    total, n = 0, 0
    for pid in tree(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    n += 1
        except OSError:
            pass
    return total / 1024, n


class MemorySampler(threading.Thread):
    """Samples the PSS of a process tree twice a second: its peak and its last value."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peak, self.last, self.processes = root, 0.0, 0.0, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            self.last, self.processes = pss_mib(self.root)
            self.peak = max(self.peak, self.last)


def run_server(name: str, proc: subprocess.Popen, port: int, path: str, mix: dict[str, list[str]],
               args) -> dict[str, dict]:
    try:
        wait_ready(proc, port, path)
        if args.memory and name == "Oxigraph server":
            t = time.monotonic()
            with open(args.quads, "rb") as data:  # the same quads, into its in-memory store
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
                conn.request("POST", "/store", body=data, headers={"Content-Type": "application/n-quads"})
                response = conn.getresponse()
                response.read()
                if response.status >= 300:
                    raise SystemExit(f"the Oxigraph server did not take the quads: HTTP {response.status}")
            print(f"  {name:<28} loaded in {time.monotonic() - t:.1f} s", flush=True)
        sampler = MemorySampler(proc.pid)
        sampler.last, sampler.processes = pss_mib(proc.pid)
        sampler.peak = ready = sampler.last
        sampler.start()
        out = {}
        for kind, texts in mix.items():
            status, body = ask(port, path, texts[0])  # the same first query to every server: rows to compare
            rows = len(json.loads(body)["results"]["bindings"]) if status == 200 else f"HTTP {status}"
            load(port, path, texts, args.clients, min(2.0, args.seconds))  # warm up caches and workers
            out[kind] = {**load(port, path, texts, args.clients, args.seconds), "rows": rows}
            print(f"  {name:<28} {kind:<36} {json.dumps(out[kind])}", flush=True)
        sampler.stop.set()
        sampler.join()
        time.sleep(3)  # the load over: workers past their budget are replaced, the rest idle
        idle, _ = pss_mib(proc.pid)
        out["memory"] = {"ready MiB": round(ready), "peak MiB": round(sampler.peak), "idle MiB": round(idle),
                         "processes": sampler.processes, "load average": os.getloadavg()[0]}
        print(f"  {name:<28} {'memory (PSS, MiB)':<36} {json.dumps(out['memory'])}", flush=True)
        return out
    finally:
        proc.terminate()
        proc.wait(30)


def table(results: dict[str, dict[str, dict]], reference: str) -> str:
    names = list(results)
    head = "| query | " + " | ".join(f"{n}: median / p95 ms, answers/s" for n in names) + \
           " | latency, throughput vs " + reference + " |"
    lines = [head, "|---|" + "---:|" * (len(names) + 1)]
    for kind in next(iter(results.values())):
        if kind == "memory":
            continue
        cells = [f"{r[kind]['median ms']} / {r[kind]['p95 ms']}, {r[kind]['answers/s']:,}" for r in results.values()]
        ref = results[reference][kind]
        ratios = []
        for name in names:
            ours = results[name][kind]
            if name != reference and ref["median ms"] and ref["answers/s"] and ours["median ms"]:
                ratios.append(f"{ours['median ms'] / ref['median ms']:.1f}x, {ours['answers/s'] / ref['answers/s']:.2f}x")
        ratio = "; ".join(ratios) or "-"
        rows = "/".join(str(r[kind]["rows"]) for r in results.values())
        lines.append(f"| {kind} ({rows} rows) | " + " | ".join(cells) + f" | {ratio} |")
    mem = [r["memory"] for r in results.values()]
    ratio = f"{mem[0]['peak MiB'] / mem[-1]['peak MiB']:.2f}x peak" if mem[-1]["peak MiB"] else "-"
    lines.append("| memory, PSS summed over processes: ready / peak / idle after MiB (processes) | " +
                 " | ".join(f"{m['ready MiB']} / {m['peak MiB']} / {m['idle MiB']} ({m['processes']})" for m in mem) +
                 f" | {ratio}, {mem[0]['idle MiB'] / mem[-1]['idle MiB']:.2f}x idle |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=SIZES, default="100k", help="generated graph's source triples")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10, help="per query and server")
    parser.add_argument("--workers", type=int, default=2, help="collabgraph serve --workers")
    parser.add_argument("--before", action="append", default=[], metavar="LABEL=SRC",
                        help="src/ of another collabgraph checkout to serve too, in the same run (repeatable)")
    parser.add_argument("--plain", action="append", default=[], metavar="LABEL=SRC",
                        help="as --before, with uvloop and httptools hidden from it (as installed without them)")
    parser.add_argument("--variant", action="append", default=[], metavar="LABEL=OPTIONS",
                        help="also this checkout's server started with these serve options (split on spaces)")
    parser.add_argument("--interleave", type=float, default=0, metavar="SECONDS",
                        help="run every server at once and ask them in turn, SECONDS at a time (not with --memory)")
    parser.add_argument("--memory", action="store_true",
                        help="collabgraph serve --memory against oxigraph serve in memory (same quads)")
    parser.add_argument("--serve-option", action="append", default=[], metavar="OPTION",
                        help="an option for collabgraph serve, e.g. --serve-option=--worker-own-memory=512 (repeatable)")
    parser.add_argument("--only", action="append", choices=[k.split()[0] for k in QUERIES], default=[],
                        help="run only the query kinds starting with this word (repeatable)")
    parser.add_argument("--work", type=Path, help="working directory (default: a temporary one)")
    args = parser.parse_args()
    if args.interleave and args.memory:
        parser.error("--interleave runs the servers on disk; not with --memory")
    work = args.work or Path(tempfile.mkdtemp(prefix="cg-endpoint-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    graph, build = work / "graph", work / "build"
    if not (build / "snapshot.nq").exists():
        subprocess.run([CLI, "generate", "--agents", str(SIZES[args.size]), "--out", str(graph)], check=True,
                       env=env, capture_output=True)
        subprocess.run([CLI, "build", "--graph", str(graph), "--out", str(build), "-q"], check=True, env=env)
    ox_dir = work / "oxigraph"
    if not args.memory and not (ox_dir / "data").exists():
        ox_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([OXIGRAPH, "load", "--location", str(ox_dir / "data"), "--file",
                        str((build / "snapshot.nq").resolve())], check=True, capture_output=True)
    quads = sum(1 for _ in (build / "snapshot.nq").open("rb"))

    import pyoxigraph as ox  # the agents to bind, read from the build's store

    store = ox.Store.read_only(str(build / "store"))
    agents = sorted({s["a"].value for s in store.query(
        "SELECT DISTINCT ?a WHERE { GRAPH ?g { ?c <https://w3id.org/collabgraph/ns#agent> ?a } }")})
    del store
    agents = random.Random(1).sample(agents, min(200, len(agents)))
    mix = {kind: sorted({q.format(a=a, word=WORD) for a in agents}) for kind, q in QUERIES.items()
           if not args.only or kind.split()[0] in args.only}
    args.quads = build / "snapshot.nq"
    print(f"{args.size} ({quads:,} quads), {args.clients} clients, {args.seconds:g} s per query and server, "
          f"collabgraph serve --workers {args.workers}{' --memory' if args.memory else ''}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)

    results: dict[str, dict] = {}
    servers: list[tuple[str, str, list[str]]] = [("collabgraph serve", str(ROOT / "src"), [])]
    for spec in args.variant:
        label, _, options = spec.partition("=")
        servers.append((label, str(ROOT / "src"), options.split()))
    for spec in args.before:
        label, _, src = spec.rpartition("=")
        servers.append((label or f"before ({src})", src, []))
    if args.plain:  # modules that fail to import: uvicorn then picks asyncio's loop, the guard h11
        hidden = work / "hidden-extensions"
        for module in ("uvloop", "httptools"):
            (hidden / module).mkdir(parents=True, exist_ok=True)
            (hidden / module / "__init__.py").write_text(f"raise ImportError('{module} hidden by bench/endpoint.py')\n")
        for spec in args.plain:
            label, _, src = spec.rpartition("=")
            servers.append((label or f"plain ({src})", f"{src}{os.pathsep}{hidden}", []))
    if args.interleave:
        running: dict[str, tuple[subprocess.Popen, int, str]] = {}
        try:
            for name, src, extra in servers:
                port = free_port()
                running[name] = (subprocess.Popen([CLI, "serve", "--build", str(build), "--port", str(port),
                                                   "--workers", str(args.workers), "--timeout", "60",
                                                   *args.serve_option, *extra], env={**env, "PYTHONPATH": str(src)},
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), port, "/sparql")
            server = start_oxigraph(ox_dir)
            running["Oxigraph server"] = (server.proc, int(urllib.parse.urlsplit(server.query).port or 0), "/query")
            results = run_interleaved(running, mix, args)
        finally:
            for proc, _, _ in running.values():
                proc.terminate()
                proc.wait(30)
        print(f"\nload average {os.getloadavg()[0]:.1f}; memory: PSS at the end (all servers running)")
        print(table(results, "Oxigraph server"))
        return
    for name, src, extra in servers:
        port = free_port()
        proc = subprocess.Popen([CLI, "serve", "--build", str(build), "--port", str(port),
                                 "--workers", str(args.workers), "--timeout", "60",
                                 *(["--memory"] if args.memory else []), *args.serve_option, *extra],
                                env={**env, "PYTHONPATH": str(src)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results[name] = run_server(name, proc, port, "/sparql", mix, args)
    if args.memory:  # no location: its in-memory store, loaded by run_server
        port = free_port()
        proc = subprocess.Popen([OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        server = start_oxigraph(ox_dir)
        proc, port = server.proc, int(urllib.parse.urlsplit(server.query).port or 0)
    results["Oxigraph server"] = run_server("Oxigraph server", proc, port, "/query", mix, args)
    print()
    print(table(results, "Oxigraph server"))


if __name__ == "__main__":
    main()
