"""Benchmark tasks, one system per process (so peak memory is that system's own).

    python bench/tasks.py collabgraph BUILD_DIR AGENT_IRI TARGET_IRI
    python bench/tasks.py rdflib GRAPH_DIR AGENT_IRI TARGET_IRI
    python bench/tasks.py oxigraph STORE_DIR GRAPH_DIR AGENT_IRI TARGET_IRI

Each prints one JSON object of timings in seconds. Every system answers the
same questions with the same SPARQL text where SPARQL is involved.
"""

from __future__ import annotations

import glob
import json
import sys
import time

CG = "https://w3id.org/collabgraph/ns#"
PREFIX = f"PREFIX cg: <{CG}>\n"

#: co-credited agents of one agent (bound with VALUES, the same way in every system)
COLLABORATORS = PREFIX + """SELECT DISTINCT ?other ?work WHERE {
  VALUES ?agent { <%s> }
  ?c1 cg:agent ?agent ; cg:work ?work . ?c2 cg:agent ?other ; cg:work ?work . FILTER (?other != ?agent) }"""

#: the heavy aggregate: the 20 pairs of agents with the most shared works
CO_CREDITS = PREFIX + """SELECT ?a ?b (COUNT(DISTINCT ?w) AS ?n) WHERE {
  ?c1 cg:agent ?a ; cg:work ?w . ?c2 cg:agent ?b ; cg:work ?w . FILTER (STR(?a) < STR(?b))
} GROUP BY ?a ?b ORDER BY DESC(?n) ?a ?b LIMIT 20"""

#: every co-credited pair (two guests of one show excepted, as in collabgraph's rule),
#: to build a collaboration graph by hand
PAIRS = PREFIX + """SELECT DISTINCT ?a ?b WHERE {
  ?c1 cg:agent ?a ; cg:work ?w ; cg:role ?r1 . ?c2 cg:agent ?b ; cg:work ?w ; cg:role ?r2 .
  FILTER (STR(?a) < STR(?b) && !(?r1 = ?guest && ?r2 = ?guest))
  BIND (<https://w3id.org/collabgraph/role/guest> AS ?guest) }"""


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def collabgraph_tasks(build_dir: str, agent: str, target: str) -> dict:
    from rdflib import URIRef

    from collabgraph import CollabGraph

    kg = CollabGraph.open(build_dir)
    a, b = URIRef(agent), URIRef(target)
    out = {
        "collaborators_api": best(lambda: kg.collaborators(a)),
        "collaborators_sparql": best(lambda: list(kg.sparql(COLLABORATORS % agent))),
        "aggregate": best(lambda: list(kg.sparql(CO_CREDITS)), 2),
        "path_warm": best(lambda: kg.path(a, b)),
    }
    kg.reader.projections.clear()
    kg.reader.cache_dir = None  # measure the projection itself, not the cache
    out["projection"] = best(lambda: (kg.reader.projections.clear(), kg.to_networkx("collaboration")), 1)
    out["path_hops"] = len(kg.path(a, b))
    out["aggregate_top"] = [int(r.n) for r in kg.sparql(CO_CREDITS)][:3]
    return out


def rdflib_tasks(graph_dir: str, agent: str, target: str) -> dict:
    import networkx as nx
    import rdflib
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    t = time.perf_counter()
    g = rdflib.Graph()
    for f in sorted(glob.glob(f"{graph_dir}/*.ttl")):
        g.parse(f, format="turtle")
    out = {"parse": time.perf_counter() - t, "triples": len(g)}
    out["collaborators_sparql"] = best(lambda: list(g.query(COLLABORATORS % agent)))
    out["aggregate"] = best(lambda: list(g.query(CO_CREDITS)), 1)
    out["aggregate_top"] = [int(r.n) for r in g.query(CO_CREDITS)][:3]

    def path():
        h = nx.Graph()
        h.add_edges_from((str(r.a), str(r.b)) for r in g.query(PAIRS))
        return nx.shortest_path(h, agent, target)

    out["path"] = best(path, 1)
    out["path_hops"] = len(path()) - 1
    out["projection"] = best(lambda: rdflib_to_networkx_multidigraph(g), 1)
    return out


def oxigraph_tasks(store_dir: str, agent: str, target: str) -> dict:
    import networkx as nx
    import pyoxigraph as ox

    s = ox.Store.read_only(store_dir)
    out = {
        "collaborators_sparql": best(lambda: list(s.query(COLLABORATORS % agent))),
        "aggregate": best(lambda: list(s.query(CO_CREDITS)), 2),
    }
    out["aggregate_top"] = [int(r["n"].value) for r in s.query(CO_CREDITS)][:3]

    def path():
        h = nx.Graph()
        h.add_edges_from((r["a"].value, r["b"].value) for r in s.query(PAIRS))
        return nx.shortest_path(h, agent, target)

    out["path"] = best(path, 1)
    return out


if __name__ == "__main__":
    system, *args = sys.argv[1:]
    result = {"collabgraph": collabgraph_tasks, "rdflib": rdflib_tasks, "oxigraph": oxigraph_tasks}[system](*args)
    print(json.dumps(result))
