"""Validation on disk, timed apart from the build (issue 23).

    PYTHONPATH=src .venv/bin/python bench/validation_disk.py GRAPH_DIR STORE [--profile] [--bulk] [--seek]

Makes (once) at STORE the store a streaming build validates: each source file
in its named graph and in the default graph, plus the ontology. Then times
``shacl_problems`` and ``check_quotes`` as ``collabgraph build --compile
streaming`` calls them, with whichever ``collabgraph`` is on ``PYTHONPATH``
(so two versions can be run side by side). ``--profile``: also every compiled
screen and check, one at a time. ``--bulk``: also the raw pyoxigraph
named-graph bulk load of the same files (bench/run.py's OX_LOAD_NAMED), timed.
``--seek``: the screens by a seek per node (what builds past 4M source triples used) instead of hashed.
``--partitioned``: the screens hashed partition by partition (batches of files of at most
``collabgraph.build.streaming.PARTITION_TRIPLES`` triples; what builds past 4M source triples use).
Prints one JSON line (``peak_mib``: the process's peak resident set, the bulk load's included).
"""

from __future__ import annotations

import glob
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from collabgraph.core.namespaces import ONTOLOGY_GRAPH
from collabgraph.store.local import Store
from collabgraph.store.quotes import check_quotes
from collabgraph.store.validation import shacl_problems

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"


def make(graph: Path, path: Path) -> None:
    s = ox.Store(str(path))
    for f in sorted(graph.glob("*.ttl")):
        g = ox.NamedNode(f"file://{f}")
        s.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=g)
        s.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    for g in (ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.DefaultGraph()):
        s.bulk_load(path=str(ONTOLOGY / "collab.ttl"), format=ox.RdfFormat.TURTLE, to_graph=g)
    s.optimize()
    del s


def bulk(graph: Path) -> float:
    where = Path(tempfile.mkdtemp(prefix="h23vs-bulk-"))
    try:
        t = time.perf_counter()
        s = ox.Store(str(where / "s"))
        for f in sorted(glob.glob(str(graph / "*.ttl"))):
            s.bulk_load(path=f, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://g/" + os.path.basename(f)))
        s.optimize()
        del s
        return time.perf_counter() - t
    finally:
        shutil.rmtree(where, ignore_errors=True)


def main() -> None:
    graph, path = Path(sys.argv[1]), Path(sys.argv[2])
    if not path.exists():
        make(graph, path)
    store = Store.open(path, read_only=True)
    graphs = [g for g in store.graphs() if g != str(ONTOLOGY_GRAPH) and g.startswith("file://")]
    file_of_graph = {g: g[len("file://"):] for g in graphs}
    path_of_graph = {g: Path(f) for g, f in file_of_graph.items()}
    out: dict = {"load": os.getloadavg()[0]}
    if "--bulk" in sys.argv:
        out["bulk_load"] = round(bulk(graph), 2)
    kwargs = dict(data_graphs=graphs, ontology_graph=str(ONTOLOGY_GRAPH), shapes_path=ONTOLOGY / "shapes.ttl",
                  file_of_graph=file_of_graph, literals=([], set()), workers=2,
                  hashed=not ({"--seek", "--partitioned"} & set(sys.argv)))  # up to 4M source triples
    if "--partitioned" in sys.argv:
        from collabgraph.build.streaming import partitions

        kwargs["partitions"] = partitions([(g, store.count(g)) for g in graphs])
    t = time.perf_counter()
    problems = shacl_problems(store, **kwargs)
    out["shapes"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    quotes = check_quotes(store, file_of_graph=file_of_graph, path_of_graph=path_of_graph, roots=None)
    out["quotes"] = round(time.perf_counter() - t, 2)
    out["problems"] = len(problems) + len(quotes.problems)
    if "--profile" in sys.argv:
        from rdflib import Graph

        from collabgraph.store.shacl import compile_shapes
        scope = [*graphs, str(ONTOLOGY_GRAPH)]

        def subclasses(c):
            rows = store.query("SELECT ?sub WHERE { ?sub rdfs:subClassOf* ?c }", {"c": c}, graphs=scope)
            return [r["sub"].value for r in rows if isinstance(r["sub"], ox.NamedNode)]

        shapes = Graph().parse(ONTOLOGY / "shapes.ttl")
        timed, seen = {}, set()
        for check in compile_shapes(shapes, subclasses, hashed="--seek" not in sys.argv):
            for kind, query in (("screen", check.screen), ("check", check.query)):
                if query is None or query in seen:
                    continue
                seen.add(query)
                t = time.perf_counter()
                n = sum(1 for _ in store.query(query, graphs=scope))
                timed[f"{kind} {check.rule} {check.path or ''} #{len(timed)}"] = (round(time.perf_counter() - t, 2), n)
        out["profile"] = timed
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    out["load_end"] = os.getloadavg()[0]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
