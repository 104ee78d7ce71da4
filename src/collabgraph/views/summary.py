"""What a graph holds: entities by type, facts by kind, sources, graph sizes.

>>> from collabgraph import CollabGraph
>>> s = summary(CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).reader)
>>> s["entities"]["Person"] >= 5 and s["facts"]["Credit"] >= 20
True
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..namespaces import GRAPH, curie
from .reader import Reader

__all__ = ["summary"]


def summary(r: Reader, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
    """Counts: entities by (most specific) type, facts by kind, collaborations,
    sources with their number of facts, and triples per graph (named by the
    source file when ``manifest`` says which)."""
    store = r.store
    entities: dict[str, int] = defaultdict(int)
    for row in store.select("""
        SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
          ?e a ?type . ?type rdfs:subClassOf* cg:Entity .
          FILTER NOT EXISTS { ?e a ?sub . ?sub rdfs:subClassOf+ ?type . FILTER(?sub != ?type) }
        } GROUP BY ?type"""):
        entities[curie(row["type"].value).split(":", 1)[-1]] += int(row["n"].value)
    # An entity of two unrelated types (a Film that is also a WebSeries) counts under
    # each type, but once in the total.
    distinct = int(next(store.select("""
        SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?type . ?type rdfs:subClassOf* cg:Entity }"""))["n"].value)
    facts = {curie(row["t"].value).split(":", 1)[-1]: int(row["n"].value) for row in store.select(
        "SELECT ?t (COUNT(?f) AS ?n) WHERE { ?f a ?t . ?t rdfs:subClassOf cg:Fact } GROUP BY ?t")}
    collabs = int(next(store.select("SELECT (COUNT(?c) AS ?n) WHERE { ?c a cg:Collaboration }"))["n"].value)
    sources = [{"id": curie(row["s"].value), "label": row["label"].value, "facts": int(row["facts"].value)}
               for row in store.select("""
        SELECT ?s ?label (COUNT(?f) AS ?facts) WHERE {
          ?s a cg:SourceDocument ; rdfs:label ?label . OPTIONAL { ?f cg:source ?s }
        } GROUP BY ?s ?label ORDER BY ?s""")]
    graphs = {g: store.count(g) for g in store.graphs()}
    files = {s["graph"]: s["file"] for s in (manifest or {}).get("sources", [])}
    return {
        "triples": sum(graphs.values()),
        "entities": dict(sorted(entities.items())),
        "entity_count": distinct,
        "facts": dict(sorted(facts.items())),
        "collaborations": collabs,
        "sources": sources,
        "graphs": {files.get(g, curie(g) if not g.startswith(str(GRAPH)) else "graph:" + g[len(str(GRAPH)):]): n
                   for g, n in graphs.items()},
    }
