"""What ``collabgraph serve --memory`` holds, process by process, against
``oxigraph serve`` in memory on the same quads: each process's PSS (a page
shared by k processes counts 1/k), its private pages (USS) and its anonymous
memory (heap: the data, not the mapped libraries), from
``/proc/PID/smaps_rollup``, after a few lookups and at rest.

    .venv/bin/python bench/memory_breakdown.py --work /tmp/ep100k    # a directory bench/endpoint.py built

Also a bare interpreter that imports what the server process imports, for
the floor a Python process sets.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.endpoint import CLI, OXIGRAPH, ask, wait_ready  # noqa: E402
from tests.procs import tree  # noqa: E402
from tests.servers import free_port  # noqa: E402


def rollup(pid: int) -> dict[str, float]:
    """MiB of ``pid``'s PSS, private pages and anonymous memory."""
    got: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        got[name.rstrip(":")] = int(value) / 1024
    return {"pss": got.get("Pss", 0.0), "uss": got.get("Private_Clean", 0.0) + got.get("Private_Dirty", 0.0),
            "anon": got.get("Anonymous", 0.0)}


def role(pid: int, root: int, parents: dict[int, int]) -> str:
    if pid == root:
        return "server process"
    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    if "resource_tracker" in cmd:
        return "multiprocessing resource tracker"
    parent = parents.get(pid)
    if parent is not None and parent != root:
        return "worker forked from the copy"
    return "spawned (the copy's process, or a worker)"


def show(name: str, root: int) -> float:
    parents = {}
    for pid in tree(root):
        try:
            parents[pid] = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            pass
    total = 0.0
    print(f"{name}:")
    for pid in tree(root):
        try:
            r = rollup(pid)
        except OSError:
            continue
        total += r["pss"]
        print(f"  {pid:>8} {role(pid, root, parents):<42} PSS {r['pss']:7.1f}  private {r['uss']:7.1f}  "
              f"anonymous {r['anon']:7.1f} MiB")
    print(f"  {'':>8} {'total':<42} PSS {total:7.1f} MiB; load average {os.getloadavg()[0]:.1f}")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--src", default=str(ROOT / "src"))
    parser.add_argument("--before", action="append", default=[], metavar="LABEL=SRC",
                        help="also another checkout's src/, measured the same way in the same run (repeatable)")
    parser.add_argument("--serve-option", action="append", default=[], metavar="OPTION",
                        help="an option for this checkout's collabgraph serve, e.g. --serve-option=--fast-threads=0")
    args = parser.parse_args()
    build = args.work / "build"
    query = "SELECT ?p ?o WHERE { ?s ?p ?o } LIMIT 5"

    totals = {}
    for label, src in [("collabgraph serve --memory", args.src),
                       *((f"collabgraph serve --memory, {spec.rpartition('=')[0]}", spec.rpartition("=")[2])
                         for spec in args.before)]:
        port = free_port()
        options = args.serve_option if src == args.src else []
        proc = subprocess.Popen([CLI, "serve", "--build", str(build), "--port", str(port), "--memory", *options],
                                env={**os.environ, "PYTHONPATH": src},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(proc, port, "/sparql")
            for _ in range(20):
                ask(port, "/sparql", query)
            time.sleep(3)
            totals[label] = show(label, proc.pid)
        finally:
            proc.terminate()
            proc.wait(30)

    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(proc, port, "/query")
        with open(build / "snapshot.nq", "rb") as data:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
            conn.request("POST", "/store", body=data, headers={"Content-Type": "application/n-quads"})
            conn.getresponse().read()
        for _ in range(20):
            ask(port, "/query", query)
        time.sleep(3)
        theirs = show("oxigraph serve (in memory)", proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)

    bare = subprocess.Popen([sys.executable, "-c", "import collabgraph.web.server, starlette.applications, uvicorn, "
                             "pyoxigraph, collabgraph.api, sys; sys.stdin.read()"],
                            env={**os.environ, "PYTHONPATH": args.src}, stdin=subprocess.PIPE)
    time.sleep(4)
    show("a bare interpreter importing the server's modules", bare.pid)
    bare.communicate(b"")
    for label, total in totals.items():
        print(f"{label} / oxigraph serve: {total / theirs:.2f}x")


if __name__ == "__main__":
    main()
