"""Where a lookup's time goes in the server process: ``collabgraph serve`` run
under cProfile (its event loop's thread: the HTTP layer, the middlewares, the
routes; the fast path's threads and the workers are not in it), asked
--requests point lookups by --clients kept-alive clients, then stopped.
Also reports the CPU seconds per answer of the server's processes (from
``/proc``, without the profiler: a second server, same load), a figure the
machine's other load moves less than throughput.

    .venv/bin/python bench/endpoint_profile.py --work /tmp/ep100k          # this checkout
    .venv/bin/python bench/endpoint_profile.py --work /tmp/ep100k --src /work/main/src   # another one

--work is a directory that bench/endpoint.py has built (its build/).
"""

from __future__ import annotations

import argparse
import os
import pstats
import random
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.endpoint import QUERIES, load, wait_ready  # noqa: E402
from tests.procs import tree  # noqa: E402
from tests.servers import free_port, start_oxigraph  # noqa: E402

KIND = "one entity's triples"


def cpu_seconds(root: int) -> float:
    """User and system CPU seconds of ``root``'s process tree so far."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total / tick


def start(src: Path, build: Path, port: int, profile: str | None) -> subprocess.Popen:
    argv = ["collabgraph", "serve", "--build", str(build), "--port", str(port), "--workers", "2", "--timeout", "60"]
    code = (f"import sys; sys.argv = {argv!r}; from collabgraph.cli import main\n" +
            (f"import cProfile; cProfile.run('main()', {profile!r})" if profile else "main()"))
    return subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(src)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-profile", action="store_true", help="CPU per answer only")
    args = parser.parse_args()
    build = args.work / "build"
    import pyoxigraph as ox

    store = ox.Store.read_only(str(build / "store"))
    agents = sorted({s["a"].value for s in store.query(
        "SELECT DISTINCT ?a WHERE { GRAPH ?g { ?c <https://w3id.org/collabgraph/ns#agent> ?a } }")})
    del store
    texts = [QUERIES[KIND].format(a=a) for a in random.Random(1).sample(agents, min(200, len(agents)))]
    print(f"{args.src}: load average {os.getloadavg()[0]:.1f}", flush=True)

    # CPU per answer, no profiler.
    port = free_port()
    proc = start(args.src, build, port, None)
    try:
        wait_ready(proc, port, "/sparql")
        load(port, "/sparql", texts, args.clients, 2)  # warm up: the shape proven, caches filled
        before = cpu_seconds(proc.pid)
        got = load(port, "/sparql", texts, args.clients, args.seconds)
        used = cpu_seconds(proc.pid) - before
        answers = got["answers/s"] * args.seconds
        print(f"  no profiler: {got}; CPU of the server's processes {1000 * used / max(answers, 1):.3f} ms "
              f"an answer; load average {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        proc.terminate()
        proc.wait(30)

    if (args.work / "oxigraph" / "data").exists():  # the Oxigraph server on the same quads, same load
        server = start_oxigraph(args.work / "oxigraph")
        port = int(server.query.rsplit(":", 1)[1].split("/")[0])
        try:
            load(port, "/query", texts, args.clients, 2)
            before = cpu_seconds(server.proc.pid)
            got = load(port, "/query", texts, args.clients, args.seconds)
            used = cpu_seconds(server.proc.pid) - before
            answers = got["answers/s"] * args.seconds
            print(f"  Oxigraph server: {got}; its CPU {1000 * used / max(answers, 1):.3f} ms an answer; "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
        finally:
            server.proc.terminate()
            server.proc.wait(30)
    if args.no_profile:
        return

    # The profile of the event loop's thread.
    out = tempfile.mktemp(suffix=".prof")
    port = free_port()
    proc = start(args.src, build, port, out)
    try:
        wait_ready(proc, port, "/sparql")
        load(port, "/sparql", texts, args.clients, 2)
        got = load(port, "/sparql", texts, args.clients, args.seconds)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
    print(f"  profiled: {got}", flush=True)
    stats = pstats.Stats(out)
    total = stats.total_tt  # type: ignore[attr-defined]
    n = got["answers/s"] * args.seconds + 1
    print(f"  profiled thread: {total:.2f} s of {1000 * total / n:.3f} ms per answer (with the profiler's own cost)")
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    os.unlink(out)


if __name__ == "__main__":
    main()
