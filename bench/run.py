"""collabgraph against plain rdflib (+ NetworkX) and raw pyoxigraph, in one run,
on the same generated files.

    .venv/bin/python bench/run.py                  # ~100k and ~1M triples
    .venv/bin/python bench/run.py --sizes 100k     # quicker

Prints a table of times, ratios and peak memory, and writes it to
docs/benchmarks.md with the machine and the command. Every system runs in its
own process; peak memory is that process's maximum resident set.
"""

from __future__ import annotations

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
PY = sys.executable
CLI = str(Path(PY).with_name("collabgraph"))
SIZES = {"10k": 220, "100k": 2170, "1m": 21700}  # agents; ~46 triples each


def measured(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MiB) and stdout of one process, reaped with
    wait4 to read that process's own peak memory."""
    with tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True)
        out = proc.stdout.read()  # type: ignore[union-attr]
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            raise SystemExit(f"failed ({code}): {' '.join(cmd)}\n{err.read()}")
    return wall, usage.ru_maxrss // 1024, out


def _generate(agents: int, out: str):
    from collabgraph.importers.generate import generate

    return generate(agents, Path(out), seed=1)


def generated(agents: int, out: Path):
    """``collabgraph.importers.generate.generate(agents, out, seed=1)`` run in a process of its own, so
    this one stays small: on Linux a child's peak memory (wait4's ``ru_maxrss``) starts from its
    parent's high-water mark at the fork, and generating 30M triples here (1.8 GB) was read as the peak
    of every build and load measured after it."""
    import multiprocessing as mp

    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(_generate, (agents, str(out)))


def python(code: str, *args: str) -> list[str]:
    return [PY, "-c", code, *args]


RDFLIB_PARSE = """
import glob, sys, rdflib
g = rdflib.Graph()
for f in sorted(glob.glob(sys.argv[1] + '/*.ttl')): g.parse(f, format='turtle')
print(len(g))
"""
OX_LOAD = """
import glob, sys, pyoxigraph as ox
s = ox.Store(sys.argv[2])
for f in sorted(glob.glob(sys.argv[1] + '/*.ttl')): s.bulk_load(path=f, format=ox.RdfFormat.TURTLE)
s.optimize()
"""
OX_LOAD_NAMED = """
import glob, os, sys, pyoxigraph as ox
s = ox.Store(sys.argv[2])
for f in sorted(glob.glob(sys.argv[1] + '/*.ttl')):
    s.bulk_load(path=f, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode('https://g/' + os.path.basename(f)))
s.optimize()
"""
RDFLIB_LOOKUP = """
import glob, sys, rdflib
g = rdflib.Graph()
for f in sorted(glob.glob(sys.argv[1] + '/*.ttl')): g.parse(f, format='turtle')
q = 'SELECT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(STR(?l) = ?name) }'
print([str(r.e) for r in g.query(q, initBindings={'name': rdflib.Literal(sys.argv[2])})])
"""
OX_LOOKUP = """
import sys, pyoxigraph as ox
s = ox.Store.read_only(sys.argv[1])
q = 'SELECT ?e WHERE { VALUES ?name { %s } ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(STR(?l) = ?name) }'
print([r['e'].value for r in s.query(q % ox.Literal(sys.argv[2]))])
"""


def pick_agents(build_dir: Path) -> tuple[str, str, str]:
    """The best-connected agent, its label, and an agent far from it."""
    import networkx as nx

    from collabgraph import CollabGraph

    with CollabGraph.open(build_dir) as kg:
        g = kg.to_networkx("collaboration")  # shared works only: what the baselines can see
        hub = max(g.degree, key=lambda nd: (nd[1], nd[0]))[0]
        dist = nx.single_source_shortest_path_length(g, hub)
        far = max(dist, key=lambda n: (dist[n], n))
        return hub, kg.entity(hub).labels["en"], far


def bench_size(name: str, agents: int, work: Path) -> dict:
    graph, build, oxstore = work / f"graph-{name}", work / f"build-{name}", work / f"ox-{name}"
    for p in (build, oxstore):
        shutil.rmtree(p, ignore_errors=True)
    stats = generated(agents, graph)
    r: dict = {"size": name, "triples": stats.triples, "agents": agents}
    print(f"[{name}] {stats.triples} triples in {stats.files} files", flush=True)

    r["build_cg"], r["mem_build_cg"], _ = measured([CLI, "build", "--graph", str(graph), "--out", str(build), "--full", "-q"])
    r["timings_cg"] = json.loads((build / "manifest.json").read_text())["timings"]
    r["build_rdflib"], r["mem_build_rdflib"], _ = measured(python(RDFLIB_PARSE, str(graph)))
    r["build_ox"], r["mem_build_ox"], _ = measured(python(OX_LOAD, str(graph), str(oxstore)))
    named = work / f"ox-named-{name}"
    shutil.rmtree(named, ignore_errors=True)
    r["build_ox_named"], r["mem_build_ox_named"], _ = measured(python(OX_LOAD_NAMED, str(graph), str(named)))
    shutil.rmtree(named, ignore_errors=True)
    r["validate_cg"] = r["timings_cg"]["validate"]
    print(f"[{name}] builds: collabgraph {r['build_cg']:.1f}s, rdflib parse {r['build_rdflib']:.1f}s, "
          f"pyoxigraph load {r['build_ox']:.1f}s", flush=True)

    hub, label, far = pick_agents(build)
    r["hub"], r["far"] = hub, far
    r["lookup_cg"] = min(measured([CLI, "entity", label, "--build", str(build)])[0] for _ in range(3))
    r["lookup_ox"] = min(measured(python(OX_LOOKUP, str(oxstore), label))[0] for _ in range(3))
    r["lookup_rdflib"] = measured(python(RDFLIB_LOOKUP, str(graph), label))[0]
    r["path_cli_cg"] = min(measured([CLI, "path", hub, far, "--build", str(build)])[0] for _ in range(3))

    tasks = str(ROOT / "bench" / "tasks.py")
    _, r["mem_tasks_cg"], out = measured([PY, tasks, "collabgraph", str(build), hub, far])
    r["cg"] = json.loads(out)
    _, r["mem_tasks_ox"], out = measured([PY, tasks, "oxigraph", str(oxstore), hub, far])
    r["ox"] = json.loads(out)
    _, r["mem_tasks_rdflib"], out = measured([PY, tasks, "rdflib", str(graph), hub, far])
    r["rdflib"] = json.loads(out)
    assert r["cg"]["aggregate_top"] == r["rdflib"]["aggregate_top"] == r["ox"]["aggregate_top"], "answers differ"
    # collabgraph also walks group memberships, so its path can only be shorter
    assert r["cg"]["path_hops"] <= r["rdflib"]["path_hops"], "collabgraph's path is longer"
    # Incremental: one article-sized file added to the built graph, then `build`.
    from collabgraph.importers.generate import article

    grown = work / f"graph-{name}-plus"
    shutil.rmtree(grown, ignore_errors=True)
    shutil.copytree(graph, grown)
    article(grown / "article-0001.ttl", agents=agents)
    r["build_inc"], r["mem_build_inc"], _ = measured([CLI, "build", "--graph", str(grown), "--out", str(build), "-q"])
    r["timings_inc"] = json.loads((build / "manifest.json").read_text())["timings"]
    assert json.loads((build / "manifest.json").read_text()).get("incremental"), "the build was not incremental"
    print(f"[{name}] done", flush=True)
    return r


def fmt_s(x: float) -> str:
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def table(results: list[dict]) -> str:
    lines = []
    for r in results:
        cg, rd, ox = r["cg"], r["rdflib"], r["ox"]
        rows = [
            ("build (collabgraph: load+validate+infer+index+write; rdflib: parse only; pyoxigraph: bulk load)",
             r["build_cg"], r["build_rdflib"], r["build_ox"]),
            ("cold CLI lookup of an entity by name (process start to answer)", r["lookup_cg"], r["lookup_rdflib"], r["lookup_ox"]),
            ("collaborators, same SPARQL (warm)", cg["collaborators_sparql"], rd["collaborators_sparql"], ox["collaborators_sparql"]),
            ("collaborators, API with roles/quotes/labels (warm)", cg["collaborators_api"], rd["collaborators_sparql"], ox["collaborators_sparql"]),
            ("heavy aggregate: top co-credited pairs, same SPARQL", cg["aggregate"], rd["aggregate"], ox["aggregate"]),
            ("path between the hub and the farthest agent (warm; others build the graph by SPARQL)", cg["path_warm"], rd["path"], ox["path"]),
            ("collaboration projection to NetworkX (rdflib: rdflib_to_networkx_multidigraph)", cg["projection"], rd["projection"], None),
        ]
        lines.append(f"\n### ~{r['size']} triples ({r['triples']:,} source triples, {r['agents']:,} agents)\n")
        lines.append("| task | collabgraph | plain rdflib | raw pyoxigraph | rdflib / collabgraph | collabgraph / pyoxigraph |")
        lines.append("|---|---:|---:|---:|---:|---:|")
        for label, c, d, o in rows:
            ratio_rd = f"{d / c:.1f}x" if c and d else "–"
            ratio_ox = f"{c / o:.2f}" if c and o else "–"
            lines.append(f"| {label} | {fmt_s(c)} | {fmt_s(d)} | {fmt_s(o) if o is not None else '–'} | {ratio_rd} | {ratio_ox} |")
        lines.append(f"| peak memory during build | {r['mem_build_cg']} MiB | {r['mem_build_rdflib']} MiB | "
                     f"{r['mem_build_ox']} MiB | | |")
        lines.append(f"| peak memory, query process | {r['mem_tasks_cg']} MiB | {r['mem_tasks_rdflib']} MiB | "
                     f"{r['mem_tasks_ox']} MiB | | |")
        lines.append(f"\nBuild against raw pyoxigraph bulk loads into an on-disk store, same run: "
                     f"default graph {fmt_s(r['build_ox'])} (collabgraph {r['build_cg'] / r['build_ox']:.1f}x), "
                     f"one named graph per file {fmt_s(r['build_ox_named'])} "
                     f"(collabgraph {r['build_cg'] / r['build_ox_named']:.1f}x; peak {r['mem_build_ox_named']} MiB). "
                     f"Incremental build after adding one article-sized file (`collabgraph.importers.generate.article`): "
                     f"{fmt_s(r['build_inc'])}, peak {r['mem_build_inc']} MiB "
                     f"({r['build_inc'] / r['build_cg']:.2f} of the full build); stages: "
                     + ", ".join(f"{k} {v:.2f} s" for k, v in r["timings_inc"].items()) + ".")
        t = r["timings_cg"]
        lines.append("\ncollabgraph build stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in t.items())
                     + f"; whole-graph validation {r['validate_cg']:.2f} s; `collabgraph path` from the shell "
                       f"(cold process, cached graph) {fmt_s(r['path_cli_cg'])}.")
    return "\n".join(lines)


def main() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from doc import size_args

    args, work = size_args(__doc__, SIZES, "100k,1m", "collabgraph-bench-")
    results = [bench_size(s, SIZES[s], work) for s in args.sizes.split(",")]
    body = table(results)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    import pyoxigraph
    import rdflib

    header = (f"## Build and queries: collabgraph, plain rdflib, raw pyoxigraph\n\nLatest run: {time.strftime('%Y-%m-%d')}, `{' '.join(['bench/run.py', *sys.argv[1:]])}` "
              f"on {os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
              f"Python {platform.python_version()}, rdflib {rdflib.__version__}, pyoxigraph {pyoxigraph.__version__}.\n\n"
              "Reproduce: `.venv/bin/python bench/run.py` (about 5 minutes). Graphs come from "
              "`collabgraph generate --seed 1`. Every system runs in its own process on the same files and "
              "answers the same SPARQL; the run checks the answers agree. Ratios over 1 in the rdflib "
              "column mean collabgraph is faster; the pyoxigraph column is collabgraph's time divided by "
              "raw pyoxigraph's (on-disk store, data in the default graph). The machine may be shared: "
              "compare the ratios of one run, not seconds across runs.\n")
    text = header + body + "\n"
    sys.path.insert(0, str(ROOT / "bench"))
    from doc import replace_section

    replace_section(args.out, "core", text)
    print(text)


if __name__ == "__main__":
    main()
