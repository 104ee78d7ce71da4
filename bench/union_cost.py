"""What the materialised union default graph costs on disk and in time, and
what the alternatives would cost, on the store of an existing build.

    python bench/union_cost.py BUILD [--scratch DIR]

BUILD is a local build (``collabgraph build``) whose source files are still
where its manifest says. Into scratch stores (removed afterwards) it writes the
build's quads four ways and prints each store's size and write time:

- ``named only, one load``: the source, ontology, shapes and inferred graphs,
  no default graph (what Oxigraph's union mode would read);
- ``named + union, one load``: the same and the materialised union, in one
  bulk load from memory (``Store.persist``);
- ``build's writer``: as the build writes today (``EarlyWriter``): each source
  file bulk-loaded on its own, then one load of the other graphs and the union;
- and three queries, best of 5, in union mode over the first store and on the
  materialised default graph of the second.

It also prints how many triples are stated in more than one named graph: with
none, Oxigraph's union mode (a bag union) gives the set union exactly.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from collabgraph.store.local import Store

P = "PREFIX cg: <https://w3id.org/collabgraph/ns#> "
QUERIES = {"scan COUNT(*)": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
           "type count": P + "SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:Credit }",
           "credit join": P + "SELECT (COUNT(*) AS ?n) WHERE { ?c cg:agent ?a ; cg:work ?w . ?w a ?t }"}


def size(path: Path) -> str:
    return subprocess.run(["du", "-sm", str(path)], capture_output=True, text=True).stdout.split()[0] + " MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build", type=Path)
    ap.add_argument("--scratch", type=Path, default=None, help="where to write the scratch stores")
    args = ap.parse_args()
    build = args.build / "current" if (args.build / "current").exists() else args.build
    manifest = json.loads((build / "manifest.json").read_text("utf-8"))
    files = {Path(s["file"]): s["graph"] for s in manifest["sources"]}
    source = ox.Store.read_only(str(build / "store"))
    memory = Store.memory()
    memory._store.extend(source.quads_for_pattern(None, None, None, None))
    memory._stale = False
    named = [q for q in memory._store.quads_for_pattern(None, None, None, None) if q.graph_name != ox.DefaultGraph()]
    distinct = sum(1 for _ in memory._store.query("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"))
    print(f"{len(named):,} quads in named graphs, {distinct:,} distinct triples: "
          f"{len(named) - distinct:,} stated in more than one graph")
    print(f"the build's own store: {size(build / 'store')}")
    scratch = Path(tempfile.mkdtemp(prefix="union-cost-", dir=args.scratch))
    try:
        stores = {}
        for name, write in (
                ("named only, one load", lambda s: s.bulk_extend(named)),
                ("named + union, one load", lambda s: s.bulk_load(memory._store.dump(format=ox.RdfFormat.N_QUADS),
                                                                  format=ox.RdfFormat.N_QUADS)),
                ("build's writer", lambda s: _as_the_build_writes(s, memory, files))):
            path = scratch / name.replace(" ", "-").replace(",", "").replace("'", "")
            store = ox.Store(str(path))
            started = time.perf_counter()
            write(store)
            store.optimize()
            store.flush()
            print(f"{name:24} {time.perf_counter() - started:6.1f} s  {size(path)}", flush=True)
            stores[name] = store
        for query_name, query in QUERIES.items():
            for name, options in (("named only, one load", {"use_default_graph_as_union": True}),
                                  ("named + union, one load", {})):
                best = min(_timed(stores[name], query, options) for _ in range(5))
                mode = "union mode" if options else "materialised"
                print(f"{query_name:15} {mode:13} best of 5 {best * 1000:8.1f} ms")
    finally:
        stores = {}
        shutil.rmtree(scratch, ignore_errors=True)


def _as_the_build_writes(store: ox.Store, memory: Store, files: dict[Path, str]) -> None:
    """Each source file bulk-loaded into its graph, then the rest and the union in one load."""
    for path, graph in files.items():
        store.bulk_load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:]) or ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode(graph))
    rest = [g for g in memory.graphs() if g not in files.values()]
    store.bulk_load(memory.nquads(rest, default_graph=True), format=ox.RdfFormat.N_QUADS)


def _timed(store: ox.Store, query: str, options: dict) -> float:
    started = time.perf_counter()
    list(store.query(query, **options))
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
