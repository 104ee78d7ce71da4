"""collabgraph on its local store against collabgraph on a Virtuoso server, in
one run, on the same generated files (a benchmark, not a test).

    .venv/bin/python bench/remote.py                  # ~1M and ~3M source triples
    .venv/bin/python bench/remote.py --sizes 1m       # quicker
    .venv/bin/python bench/remote.py --sizes 10m      # needs ~16 GB for the build

For each size: `collabgraph build` into a local store; `collabgraph build
--endpoint` into a private Virtuoso instance (validation and inference run
locally, then SPARQL Update uploads every graph); Virtuoso's own bulk loader
(`ld_dir` + `rdf_loader_run`) on the build's N-Quads export into a second
instance, as the floor for loading; then every saved query and the main API
calls, warm (best of --runs), against both. Needs Debian's
virtuoso-opensource-7-bin (`bash .ci/system-packages`). Writes its section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import CLI, PY, fmt_s, generated, measured  # noqa: E402

from tests.servers import ISQL, start_virtuoso  # noqa: E402

from collabgraph.views.saved import PRECOMPUTED  # noqa: E402

SIZES = {"100k": 2170, "1m": 21700, "3m": 65100, "10m": 217000}  # agents; ~46 source triples each
BUFFERS = 200_000  # Virtuoso's 8 KiB pages: ~1.6 GB of cache, what its guide suggests for ~8 GB of RAM


def queries(build_dir: str, runs: int, only: str | None = None) -> dict:
    """Run in a process of its own: the warm time (best of ``runs``; one run
    when the first takes over 2 s) of every saved query and API call against
    the build (local store, or the server it was built into), or just ``only``."""
    from collabgraph import CollabGraph
    from collabgraph.views.saved import saved_queries

    out: dict = {}
    opened = CollabGraph.connect(build_dir) if build_dir.startswith("http") else CollabGraph.open(build_dir)
    with opened as kg:
        def rows(q: str) -> list:
            return [tuple(str(v) for v in r) for r in kg.sparql(q)]

        hub_row = rows("SELECT ?a (COUNT(?c) AS ?n) WHERE { ?c cg:agent ?a } GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 1")
        hub = kg.entity(hub_row[0][0])
        other = kg.collaborators(hub)[-1].agent
        group = rows("SELECT ?g WHERE { ?g a cg:Group } ORDER BY ?g LIMIT 1")[0][0]
        far = rows("SELECT ?a WHERE { ?c cg:agent ?a } ORDER BY DESC(?a) LIMIT 1")[0][0]
        args = {"collaborators": {"agent": hub.iri}, "works-by-year": {"year": "2020"},
                "credits-by-role": {"role": "composer"}, "members-of-group": {"group": group},
                "facts-with-sources": {"entity": hub.iri}, "co-appearances": {"a": hub.iri, "b": other.iri},
                "conflicting-claims": {}, "top-collaborations": {}, "entities-by-type": {"type": "Group"}}
        calls = {f"saved {name}": (lambda n=name: len(kg.saved(n, **args[n]))) for name in sorted(saved_queries())}
        # The saved texts that kg.saved() answers another way (top-collaborations: from the build's
        # counts), run as written, to compare with (issue 23).
        for name in sorted(PRECOMPUTED):
            calls[f"saved {name}, its text as written"] = lambda n=name: len(list(kg.sparql(saved_queries()[n].text)))
        calls.update({
            "API entity (by label)": lambda: kg.entity(hub.label).iri,
            "API search": lambda: len(kg.search(hub.label[:5])),
            "API works of the hub": lambda: len(kg.works(hub)),
            "API collaborators of the hub": lambda: len(kg.collaborators(hub)),
            "API claims of the hub": lambda: len(kg.claims(hub)),
            "API path hub to another agent": lambda: len(kg.path(hub, far)),
        })
        if only is None:
            return {"calls": list(calls)}
        for name, call in calls.items():
            if name != only:
                continue
            best, answer = float("inf"), None
            for _ in range(runs):
                if best != float("inf") and best > 2:
                    break
                t = time.perf_counter()
                try:
                    answer = call()
                except Exception as exc:  # noqa: BLE001 - recorded, so answers can be compared
                    answer = f"{type(exc).__name__}: {exc}"
                best = min(best, time.perf_counter() - t)
            out[name] = {"seconds": best, "answer": answer}
    return out


CALL_LIMIT = 120  # seconds a call may take before it is stopped and reported as slower than that


def run_calls(build_dir: Path | str, runs: int) -> dict:
    """Each call in a process of its own, stopped after CALL_LIMIT seconds."""
    _, _, out = measured([PY, __file__, "--queries", str(build_dir)])
    results = {}
    for name in json.loads(out)["calls"]:
        try:
            done = subprocess.run([PY, __file__, "--queries", str(build_dir), "--runs", str(runs), "--only", name],
                                  capture_output=True, text=True, timeout=CALL_LIMIT, check=True)
            results[name] = json.loads(done.stdout)[name]
        except subprocess.TimeoutExpired:
            results[name] = {"seconds": None, "answer": "stopped"}
        print(f"  {Path(str(build_dir)).name} {name}: {results[name]['seconds']}", flush=True)
    return results


def isql(port: int, password: str, sql: str) -> str:
    done = subprocess.run([ISQL, f"127.0.0.1:{port}", "dba", password, f"exec={sql}"],
                          capture_output=True, text=True, timeout=7200)
    if done.returncode != 0 or "Error" in done.stdout:
        raise SystemExit(f"isql failed: {sql}\n{done.stdout}{done.stderr}")
    return done.stdout


def isql_port(directory: Path) -> int:
    for line in (directory / "virtuoso.ini").read_text().splitlines():
        if line.startswith("ServerPort") and "127.0.0.1:" in line:
            return int(line.rsplit(":", 1)[1])  # the first one is [Parameters], the ISQL port
    raise SystemExit("no ISQL port in virtuoso.ini")


def bench_size(name: str, agents: int, work: Path, runs: int) -> dict:
    graph, local, remote = work / f"graph-{name}", work / f"build-{name}", work / f"remote-{name}"
    for p in (local, remote, work / f"virtuoso-{name}", work / f"bulk-{name}"):
        shutil.rmtree(p, ignore_errors=True)
    stats = generated(agents, graph)
    r: dict = {"size": name, "triples": stats.triples, "agents": agents}
    print(f"[{name}] {stats.triples} triples in {stats.files} files", flush=True)

    r["build_local"], r["mem_local"], _ = measured([CLI, "build", "--graph", str(graph), "--out", str(local),
                                                    "--full", "-q"])
    r["quads"] = json.loads((local / "manifest.json").read_text())["triples"]
    print(f"[{name}] local build {r['build_local']:.1f} s, {r['quads']} quads", flush=True)

    server = start_virtuoso(work / f"virtuoso-{name}", buffers=BUFFERS)
    try:
        os.environ["COLLABGRAPH_ENDPOINT_PASSWORD"] = server.password  # kept off the command line
        update = server.update.replace(f":{server.password}@", "@")
        r["build_remote"], r["mem_remote"], _ = measured([CLI, "build", "--graph", str(graph), "--out", str(remote),
                                                          "--full", "-q", "--endpoint", server.query,
                                                          "--update-endpoint", update])
        r["upload"] = json.loads((remote / "manifest.json").read_text())["timings"]["write"]
        r["server_mem"] = int(Path(f"/proc/{server.proc.pid}/status").read_text().split("VmHWM:")[1].split()[0]) // 1024
        print(f"[{name}] build into Virtuoso {r['build_remote']:.1f} s (upload {r['upload']:.1f} s)", flush=True)
        r["local"], r["remote"] = run_calls(local, runs), run_calls(remote, runs)
    finally:
        server.stop()
    differ = [k for k in r["local"] if r["local"][k]["answer"] != r["remote"][k]["answer"]
              and "stopped" not in (r["local"][k]["answer"], r["remote"][k]["answer"])]
    r["differ"] = differ

    # Virtuoso's bulk loader on the same quads: the floor for loading a server.
    dump = work / f"bulk-{name}" / "data"
    dump.mkdir(parents=True)
    subprocess.run([CLI, "export", "--build", str(local), "--format", "nquads", "--output", str(dump / "all.nq")],
                   check=True, capture_output=True)
    bulk = start_virtuoso(work / f"bulk-{name}" / "db", buffers=BUFFERS)
    try:
        ini = bulk.directory / "virtuoso.ini"
        ini.write_text(ini.read_text().replace(f"DirsAllowed = ., {bulk.directory}",
                                               f"DirsAllowed = ., {bulk.directory}, {dump}"))
        bulk.stop()
        bulk = restart(bulk)
        port = isql_port(bulk.directory)
        t = time.perf_counter()
        isql(port, bulk.password, f"ld_dir('{dump}', '*.nq', 'urn:collabgraph:unused');")
        isql(port, bulk.password, "rdf_loader_run();")
        isql(port, bulk.password, "checkpoint;")
        r["bulk_load"] = time.perf_counter() - t
    finally:
        bulk.stop()
    print(f"[{name}] Virtuoso bulk load {r['bulk_load']:.1f} s; answers differ: {differ or 'none'}", flush=True)
    return r


def restart(server):
    """The same instance started again (after virtuoso.ini changed)."""
    from tests.servers import Server, _wait

    proc = subprocess.Popen(["virtuoso-t", "-f", "-c", str(server.directory / "virtuoso.ini")], cwd=server.directory,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    _wait(proc, server.query + "?query=ASK%7B%7D", "virtuoso-t", server.directory / "virtuoso.log", 300)
    return Server(server.name, proc, server.query, server.update, server.user, server.password, server.directory)


def table(results: list[dict]) -> str:
    lines = []
    for r in results:
        lines.append(f"\n### ~{r['size']} source triples ({r['triples']:,} source triples, {r['quads']:,} quads "
                     f"built, {r['agents']:,} agents)\n")
        lines.append("| step | local store | Virtuoso | Virtuoso / local |")
        lines.append("|---|---:|---:|---:|")
        lines.append(f"| `collabgraph build` (into Virtuoso: the upload by SPARQL Update is {fmt_s(r['upload'])}) | "
                     f"{fmt_s(r['build_local'])} | {fmt_s(r['build_remote'])} | "
                     f"{r['build_remote'] / r['build_local']:.2f} |")
        lines.append(f"| Virtuoso's bulk loader on the build's N-Quads (for comparison with the upload) | | "
                     f"{fmt_s(r['bulk_load'])} | |")
        lines.append(f"| peak memory of the build process | {r['mem_local']} MiB | {r['mem_remote']} MiB | |")
        lines.append(f"| peak memory of the Virtuoso server | | {r['server_mem']} MiB | |")
        for k in r["local"]:
            a, b = r["local"][k]["seconds"], r["remote"][k]["seconds"]
            ratio = f"{b / a:.2f}" if a and b else ("< " + f"{b / CALL_LIMIT:.3f}" if b else "–")
            shown = [fmt_s(x) if x is not None else f"> {CALL_LIMIT} s (stopped)" for x in (a, b)]
            lines.append(f"| {k} | {shown[0]} | {shown[1]} | {ratio} |")
        lines.append("\nAnswers that differ between the two: " + (", ".join(r["differ"]) or "none") + ".")
    return "\n".join(lines)


UPLOAD = """
import json, sys, time
from pathlib import Path
import pyoxigraph as ox
from collabgraph.store.remote import RemoteStore, VirtuosoBulk, upload
from collabgraph.store.local import Store
a = json.loads(sys.argv[1])
disk = Store.open(a["store"], read_only=True)
if a["from_disk"]:
    store = disk
elif a.get("from_snapshot"):  # the same copy in memory, read from the bulk loader's file (not timed)
    memory = ox.Store()
    memory.bulk_load(path=a["from_snapshot"], format=ox.RdfFormat.N_QUADS, lenient=True)
    store = Store(memory)
else:  # build --endpoint uploads from the build's in-memory store: copy the on-disk one there first (not timed)
    memory = ox.Store()
    memory.bulk_load(disk._store.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    store = Store(memory)
remote = RemoteStore(a["query"], a["update"], timeout=7200)
bulk = VirtuosoBulk(Path(a["bulk_dir"]), a["isql"], a["loaders"]) if a.get("bulk_dir") else None
from collabgraph.core.namespaces import TOP_PAIRS_GRAPH
from collabgraph.views.toppairs import cached_pairs, pairs_triples
pairs = cached_pairs(Path(a["store"]).parent / "cache")  # build --endpoint sends the build's counts too
derived = {TOP_PAIRS_GRAPH: pairs_triples(pairs)} if pairs is not None else None
t = time.perf_counter()
phases = {}
def progress(stage, done, total):  # virtuoso-bulk: (0, 1) files written and registered, (1, 1) loaded
    if stage == "upload" and total == 1:
        phases["files written" if done == 0 else "loaded"] = time.perf_counter() - t
sent = upload(store, remote, method=a["method"], bulk=bulk, progress=progress, derived=derived)
print(json.dumps({"seconds": time.perf_counter() - t, "sent": sent, "phases": phases}))
"""


def upload_ratios(build_dir: Path, work: Path, methods: list[str], with_queries: bool = False, *,
                  servers: tuple[str, ...] = ("oxigraph", "virtuoso"), from_disk: bool = False,
                  loaders: int = 1, reuse_dump: bool = False, from_snapshot: bool = False) -> dict:
    """``upload()`` of a local build's store (what `build --endpoint` runs after
    validation and inference) into a fresh server, by each method, against that
    server's own bulk loader on the same quads (the build's N-Quads export):
    Oxigraph's `oxigraph load` into an empty store, Virtuoso's `ld_dir` +
    `rdf_loader_run` + checkpoint. One server at a time; the bulk loader right
    after the upload. ``from_disk``: upload from the build's on-disk store (as
    is) instead of a copy in memory (what `build --endpoint` holds), for builds
    too big to copy on a shared machine; ``from_snapshot``: the copy in memory is
    read from the build's snapshot.nq (cheaper than dumping the on-disk store),
    which is then also the bulk loader's file (no export). ``loaders``: Virtuoso
    bulk loaders at once. Both Virtuoso instances get the same virtuoso.ini
    (tests/servers.py, BUFFERS), but for the folder the bulk loader may read."""
    from tests.servers import start_oxigraph

    dump = work / "upload-dump"
    snapshot = build_dir / "snapshot.nq"
    if not (reuse_dump and (dump / "all.nq").is_file()):
        shutil.rmtree(dump, ignore_errors=True)
        dump.mkdir(parents=True)
        if from_snapshot and snapshot.is_file() and not (build_dir / "snapshot-delta.json").exists():
            # Its named-graph quads (the 10M build's file also holds its triples without graph names, which
            # the bulk loader would load a second time into one graph): checked against the manifest's count.
            with (dump / "all.nq").open("wb") as file:
                subprocess.run(["grep", "-a", "<https://w3id.org/collabgraph/graph/[^>]*> \\.$", str(snapshot)],
                               stdout=file, check=True)
            quads = json.loads((build_dir / "manifest.json").read_text())["triples"]
            if sum(1 for _ in (dump / "all.nq").open("rb")) != quads:
                raise SystemExit(f"{snapshot}: its named-graph quads are not the {quads:,} of the manifest")
        else:
            subprocess.run([CLI, "export", "--build", str(build_dir), "--format", "nquads", "--output",
                            str(dump / "all.nq")], check=True, capture_output=True)
    store = build_dir / "store"
    out: dict = {"quads": sum(1 for _ in (dump / "all.nq").open("rb"))}
    if with_queries:
        out["local queries"] = run_calls(build_dir, 3)
    for server_name in servers:
        bulk_path = {"oxigraph": "oxigraph", "virtuoso": "virtuoso-bulk"}[server_name]
        mine = [bulk_path if m == "bulk" else m for m in methods]
        for method in mine:
            where = work / f"upload-{server_name}-{method}"
            shutil.rmtree(where, ignore_errors=True)
            where.mkdir(parents=True)
            server = start_oxigraph(where) if server_name == "oxigraph" else start_virtuoso(where, buffers=BUFFERS)
            key = f"{server_name} {'bulk' if method == bulk_path else method}"
            try:
                spec = {"store": str(store), "query": server.query, "update": server.update, "method": method,
                        "from_disk": from_disk, "loaders": loaders,
                        "from_snapshot": str(dump / "all.nq") if from_snapshot else None}
                if method == "virtuoso-bulk":  # a directory in its DirsAllowed (the server's own) and its ISQL port
                    (where / "load").mkdir()
                    spec.update(bulk_dir=str(where / "load"), isql=f"127.0.0.1:{isql_port(where)}")
                loads = [os.getloadavg()[0]]
                _, out[f"{key} client MiB"], text = measured([PY, "-c", UPLOAD, json.dumps(spec)])
                loads.append(os.getloadavg()[0])
                done = json.loads(text)
                out[f"{key} load average"] = loads
                out[key], out[f"{key} phases"] = done["seconds"], done["phases"]
                if with_queries and method == mine[0]:
                    out[f"{server_name} queries"] = run_calls(server.query, 3)
            finally:
                server.stop()
            print(f"  {server_name} upload ({method}): {out[key]:.1f} s {out[f'{key} phases']} "
                  f"(load average {os.getloadavg()[0]:.1f})", flush=True)
            shutil.rmtree(where, ignore_errors=True)  # the next server needs the disk space
        where = work / f"bulk-{server_name}"
        shutil.rmtree(where, ignore_errors=True)
        where.mkdir(parents=True)
        if server_name == "oxigraph":
            exe = str(Path(sys.executable).with_name("oxigraph"))
            t = time.perf_counter()
            subprocess.run([exe, "load", "--location", str(where / "data"), "--file", str(dump / "all.nq"),
                            "--lenient"], check=True, capture_output=True)
            out["oxigraph bulk loader"] = time.perf_counter() - t
        else:
            bulk = start_virtuoso(where / "db", buffers=BUFFERS)
            try:
                ini = bulk.directory / "virtuoso.ini"
                ini.write_text(ini.read_text().replace(f"DirsAllowed = ., {bulk.directory}",
                                                       f"DirsAllowed = ., {bulk.directory}, {dump}"))
                bulk.stop()
                bulk = restart(bulk)
                port = isql_port(bulk.directory)
                loads = [os.getloadavg()[0]]
                t = time.perf_counter()
                isql(port, bulk.password, f"ld_dir('{dump}', '*.nq', 'urn:collabgraph:unused');")
                isql(port, bulk.password, "rdf_loader_run();")
                isql(port, bulk.password, "checkpoint;")
                out["virtuoso bulk loader"] = time.perf_counter() - t
                out["virtuoso bulk loader load average"] = [*loads, os.getloadavg()[0]]
            finally:
                bulk.stop()
        shutil.rmtree(where, ignore_errors=True)
        print(f"  {server_name} bulk loader: {out[f'{server_name} bulk loader']:.1f} s "
              f"(load average {os.getloadavg()[0]:.1f})", flush=True)
        for method in mine:
            key = f"{server_name} {'bulk' if method == bulk_path else method}"
            print(f"  {key} / {server_name} bulk loader: {out[key] / out[f'{server_name} bulk loader']:.2f}x",
                  flush=True)
    return out


REBUILD = """
import json, sys, time
from pathlib import Path
from collabgraph import build
from collabgraph.store import remote as rm
a = json.loads(sys.argv[1])
sent = {"graphs sent whole": 0, "triples sent whole": 0, "graphs patched": 0, "triples patched": 0}
parts, patch = rm._graph_parts, rm._patch
def counting(store, graph):  # every graph sent whole by the bulk path
    sent["graphs sent whole"] += 1
    for part in parts(store, graph):
        sent["triples sent whole"] += part.count(b"\\n")
        yield part
def patching(*args, **kwargs):  # a graph sent before, brought up to date by DELETE DATA / INSERT DATA
    n = patch(*args, **kwargs)
    if n is not None:
        sent["graphs patched"] += 1
        sent["triples patched"] += n
    return n
rm._graph_parts, rm._patch = counting, patching
t = time.perf_counter()
build(a["graph"], a["ontology"], a["out"], endpoint=a["query"], update_endpoint=a["update"],
      bulk_dir=Path(a["bulk_dir"]), isql=a["isql"])
manifest = json.loads((Path(a["out"]) / "manifest.json").read_text())
print(json.dumps({"seconds": time.perf_counter() - t, "upload": manifest["timings"]["write"],
                  "graphs": len(manifest["sources"]) + 3, "quads": manifest["triples"], **sent}))
"""

#: The one-file change of --rebuild: a person and their attestation added to the first source file.
LATE_PERSON = """
id:bench-late a cg:Person ; rdfs:label "Late Bench Person"@en .
fact:att-bench-late a cg:Attestation ; cg:attests id:bench-late ; cg:name "Late Bench Person" ;
    cg:source source:synthetic-0001 ; cg:quote "Late Bench Person is one of the names in this story" .
"""


def rebuild_upload(size: str, work: Path) -> dict:
    """`build --endpoint` of a generated graph into Virtuoso by its bulk loader,
    then the same after a one-file change: time, upload time and what was sent."""
    graph, out, where = work / f"graph-{size}", work / f"rebuild-{size}", work / f"rebuild-virtuoso-{size}"
    for p in (out, where):
        shutil.rmtree(p, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    if not graph.is_dir():
        generated(SIZES[size], graph)
    where.mkdir(parents=True)
    server = start_virtuoso(where, buffers=BUFFERS)
    result: dict = {}
    try:
        (where / "load").mkdir()
        os.environ["COLLABGRAPH_ENDPOINT_PASSWORD"] = server.password  # kept off the command line
        spec = {"graph": str(graph), "ontology": str(ROOT / "ontology"), "out": str(out), "query": server.query,
                "update": server.update.replace(f":{server.password}@", "@"), "bulk_dir": str(where / "load"),
                "isql": f"127.0.0.1:{isql_port(where)}"}
        first = sorted(graph.glob("*.ttl"))[0]
        for step in ("first upload", "one file changed"):
            if step == "one file changed":
                first.write_text(first.read_text("utf-8") + LATE_PERSON, "utf-8")
            load = os.getloadavg()[0]
            _, _, text = measured([PY, "-c", REBUILD, json.dumps(spec)])
            result[step] = {**json.loads(text), "load average": [load, os.getloadavg()[0]]}
            print(f"  [{size}] {step}: {result[step]}", flush=True)
    finally:
        server.stop()
        shutil.rmtree(where, ignore_errors=True)
    return result


TOP = """
import json, sys, time
from collabgraph import CollabGraph
from collabgraph.views.saved import saved_queries
with CollabGraph.connect(sys.argv[1]) as kg:  # by URL alone, as a user of the server without the build
    t = time.perf_counter()
    rows = [tuple(str(v) for v in r) for r in (kg.saved("top-collaborations") if sys.argv[2] == "saved"
            else kg.sparql(saved_queries()["top-collaborations"].text))]
    print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows}))
"""


def top_collaborations(build_dir: Path, work: Path, servers: tuple[str, ...]) -> dict:
    """`top-collaborations` read by URL alone from each server, after an upload
    of ``build_dir`` with its counts (as `build --endpoint` sends them): from
    those counts; with the counts graph dropped (what a reader did before it
    existed: count the pairs over HTTP); and the saved text as written. Each
    in a process of its own, cold; rows compared with the local store's."""
    from collabgraph.core.namespaces import TOP_PAIRS_GRAPH
    from collabgraph.store.remote import RemoteStore
    from tests.servers import start_oxigraph

    local = json.loads(subprocess.run([PY, "-c", TOP.replace("connect(sys.argv[1])", "open(sys.argv[1])"),
                                       str(build_dir), "saved"], capture_output=True, text=True, check=True).stdout)
    out: dict = {"local": local["seconds"]}
    for server_name in servers:
        where = work / f"top-{server_name}"
        shutil.rmtree(where, ignore_errors=True)
        where.mkdir(parents=True)
        server = start_oxigraph(where) if server_name == "oxigraph" else start_virtuoso(where, buffers=BUFFERS)
        try:
            spec = {"store": str(build_dir / "store"), "query": server.query, "update": server.update,
                    "method": "oxigraph" if server_name == "oxigraph" else "sparql-update", "from_disk": True,
                    "loaders": 1}
            if server_name == "virtuoso":
                (where / "load").mkdir()
                spec.update(method="virtuoso-bulk", bulk_dir=str(where / "load"),
                            isql=f"127.0.0.1:{isql_port(where)}")
            measured([PY, "-c", UPLOAD, json.dumps(spec)])
            for label, how in (("from the uploaded counts", "saved"), ("saved text as written", "text"),
                               ("counted over HTTP (no counts graph)", "saved")):
                if label.startswith("counted"):
                    RemoteStore(server.query, server.update).update(f"DROP SILENT GRAPH <{TOP_PAIRS_GRAPH}>")
                try:
                    done = subprocess.run([PY, "-c", TOP, server.query, how], capture_output=True, text=True,
                                          timeout=CALL_LIMIT, check=True)
                    answer = json.loads(done.stdout)
                    out[f"{server_name} {label}"] = answer["seconds"]
                    out[f"{server_name} {label} same rows"] = answer["rows"] == local["rows"]
                except subprocess.TimeoutExpired:
                    out[f"{server_name} {label}"] = None
                print(f"  {server_name} {label}: {out[f'{server_name} {label}']} s, same rows: "
                      f"{out.get(f'{server_name} {label} same rows')} (load average {os.getloadavg()[0]:.1f})",
                      flush=True)
        finally:
            server.stop()
            shutil.rmtree(where, ignore_errors=True)
    return out


def upload_table(rows: list[tuple[str, dict]], methods: list[str]) -> str:
    lines = ["| size (quads) | server | its bulk loader | " + " | ".join(
        f"upload ({'its bulk path' if m == 'bulk' else m}) | ratio" for m in methods) + " |", "|---|---|---:|" + "---:|---:|" * len(methods)]
    for size, r in rows:
        for server_name in ("oxigraph", "virtuoso"):
            if f"{server_name} bulk loader" not in r:
                continue
            floor = r[f"{server_name} bulk loader"]
            cells = [f"{fmt_s(r[f'{server_name} {m}'])} | {r[f'{server_name} {m}'] / floor:.2f}x" for m in methods]
            lines.append(f"| {size} ({r['quads']:,}) | {server_name} | {fmt_s(floor)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def query_table(rows: list[tuple[str, dict]]) -> str:
    lines = []
    for size, r in rows:
        if "local queries" not in r:
            continue
        lines += ["", f"Saved queries and API calls at {size} (warm, best of 3; one run past 2 s):", "",
                  "| call | local store | Oxigraph server | ratio | Virtuoso | ratio |", "|---|---:|---:|---:|---:|---:|"]
        for name, mine in r["local queries"].items():
            cells = []
            for server_name in ("oxigraph", "virtuoso"):
                theirs = r.get(f"{server_name} queries", {}).get(name, {}).get("seconds")
                a = mine["seconds"]
                cells.append(f"{fmt_s(theirs) if theirs is not None else '–'} | "
                             + (f"{theirs / a:.2f}" if a and theirs else "–"))
            local = fmt_s(mine["seconds"]) if mine["seconds"] is not None else f"> {CALL_LIMIT} s"
            lines.append(f"| {name} | {local} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1m,3m", help="comma-separated: " + ", ".join(SIZES))
    ap.add_argument("--work", type=Path, help="working directory (default: a temporary one)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--queries", help=argparse.SUPPRESS)
    ap.add_argument("--only", help=argparse.SUPPRESS)
    ap.add_argument("--upload-only", metavar="SIZE=BUILD", nargs="+",
                    help="only compare upload() with each server's bulk loader on these local builds "
                         "(e.g. 100k=/tmp/b100k 1m=/tmp/b1m), by SPARQL Update and by the bulk path (auto)")
    ap.add_argument("--methods", default="bulk,sparql-update",
                    help="with --upload-only: bulk (the server's bulk loader: oxigraph, virtuoso-bulk) "
                         "and/or sparql-update")
    ap.add_argument("--with-queries", action="store_true",
                    help="with --upload-only: also every saved query and API call on the local store and on each "
                         "server (after its first upload), and the ratio")
    ap.add_argument("--servers", default="oxigraph,virtuoso", help="with --upload-only: which servers")
    ap.add_argument("--from-disk", action="store_true",
                    help="with --upload-only: upload from the build's on-disk store, not a copy in memory")
    ap.add_argument("--loaders", type=int, default=1, help="with --upload-only: Virtuoso bulk loaders at once")
    ap.add_argument("--from-snapshot", action="store_true",
                    help="with --upload-only: the copy in memory is read from the build's snapshot.nq, which is "
                         "also the bulk loader's file")
    ap.add_argument("--reuse-dump", action="store_true",
                    help="with --upload-only: reuse WORK/upload-dump/all.nq (the build's N-Quads) if it is there")
    ap.add_argument("--top-collaborations", metavar="BUILD", type=Path,
                    help="only time top-collaborations on each server (--servers) read by URL alone, from the "
                         "counts uploaded with BUILD and without them")
    ap.add_argument("--rebuild", metavar="SIZE",
                    help="only `build --endpoint` of a generated graph of SIZE into Virtuoso by its bulk loader, "
                         "then after a one-file change: what the rebuild sends and how long it takes")
    args = ap.parse_args()
    if args.rebuild:
        work = args.work or Path(tempfile.mkdtemp(prefix="collabgraph-rebuild-bench-"))
        print(json.dumps(rebuild_upload(args.rebuild, work)))
        return
    if args.top_collaborations:
        work = args.work or Path(tempfile.mkdtemp(prefix="collabgraph-top-bench-"))
        print(json.dumps(top_collaborations(args.top_collaborations, work, tuple(args.servers.split(",")))))
        return
    if args.upload_only:
        work = args.work or Path(tempfile.mkdtemp(prefix="collabgraph-upload-bench-"))
        methods = args.methods.split(",")
        rows = []
        for item in args.upload_only:
            size, _, path = item.partition("=")
            print(f"[{size}]", flush=True)
            rows.append((size, upload_ratios(Path(path), work, methods, args.with_queries,
                                             servers=tuple(args.servers.split(",")), from_disk=args.from_disk,
                                             loaders=args.loaders, reuse_dump=args.reuse_dump,
                                             from_snapshot=args.from_snapshot)))
        text = ("Latest run: " + time.strftime("%Y-%m-%d") + f", `bench/remote.py {' '.join(sys.argv[1:])}` on "
                f"{os.cpu_count()} cores shared with other work (timings noisy: read the ratios).\n\n"
                + upload_table(rows, methods) + query_table(rows))
        print(text)
        return
    if args.queries:
        print(json.dumps(queries(args.queries, args.runs, args.only)))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="collabgraph-remote-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = [bench_size(s, SIZES[s], work, args.runs) for s in args.sizes.split(",")]
    version = subprocess.run(["virtuoso-t", "-?"], capture_output=True, text=True)
    vline = next((line for line in (version.stdout + version.stderr).splitlines() if "Version" in line), "").strip()
    header = (f"## Local store against a Virtuoso server\n\nLatest run: {time.strftime('%Y-%m-%d')}, "
              f"`{' '.join(['bench/remote.py', *sys.argv[1:]])}` on {os.cpu_count()} cores, "
              f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, Python "
              f"{platform.python_version()}, Virtuoso {vline or '(version unknown)'}, {BUFFERS:,} buffers. "
              "Same generated files (`collabgraph generate --seed 1`); the local build and the build into "
              "Virtuoso run the same validation and inference, then write to disk or upload. Query times "
              "include collabgraph's own work on both sides and, for Virtuoso, the HTTP round trips. "
              "Timings on a shared machine are noisy: read the ratios.\n")
    text = header + table(results) + "\n"
    from doc import replace_section

    replace_section(args.out, "remote", text)
    print(text)


if __name__ == "__main__":
    main()
