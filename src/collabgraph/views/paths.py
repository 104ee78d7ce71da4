"""Paths between agents, through shared works and group memberships.

>>> from collabgraph import CollabGraph
>>> from collabgraph.views.entities import resolve
>>> r = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).reader
>>> [(h.source.label, h.target.label) for h in path(r, resolve(r, "IU"), resolve(r, "Park Seo-joon"))]
[('IU', 'V'), ('V', 'Park Seo-joon')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import NoPath, SameEntity
from ..queries import query_text
from .entities import describe_all
from .facts import Evidence, shared_works_of
from .reader import Reader
from .records import Entity, Hop, citations

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["path", "explain", "shortest_path", "connection_graph", "build_connection_graph"]


def path(r: Reader, a: Entity, b: Entity) -> list[Hop]:
    """The shortest connection between two different agents; each hop carries
    its works, the roles on both sides and the quotes.

    Among equally short paths, the one a breadth-first search visiting
    neighbours in IRI order finds: the same answer whatever the cache or
    process, and the same the explorer page computes.

    :raises SameEntity: if both names are one entity.
    :raises NoPath: if they are not connected.
    """
    if a.iri == b.iri:
        raise SameEntity(a)
    g = connection_graph(r)
    if a.iri not in g or b.iri not in g:
        missing = a if a.iri not in g else b
        raise NoPath(f"{missing} has no collaborations or memberships in the graph")
    nodes = shortest_path(g, a.iri, b.iri)
    if nodes is None:
        raise NoPath(f"no connection between {a} and {b}")
    return explain(r, g, nodes)


def explain(r: Reader, g: "nx.Graph", nodes: list[str]) -> list[Hop]:
    """The hops of a path through ``g``: each collaboration with its shared works
    (one query for every hop), each membership with its quotes."""
    describe_all(r, nodes)
    steps = list(zip(nodes, nodes[1:]))
    collaborations = [(r.entities[x], r.entities[y]) for x, y in steps if g.edges[x, y].get("kind") != "membership"]
    shared = shared_works_of(r, collaborations) if collaborations else {}
    hops = []
    for x, y in steps:
        data = g.edges[x, y]
        src, dst = r.entities[x], r.entities[y]
        if data.get("kind") == "membership":
            hops.append(Hop(src, dst, "membership", membership_quotes=tuple(data["quotes"]),
                            membership_quoted=data.get("quoted", True)))
        else:
            hops.append(Hop(src, dst, "collaboration", works=shared[x][y]))
    return hops


def connection_graph(r: Reader) -> "nx.Graph":
    """Agents linked by collaborations and memberships: just the topology
    (plus membership quotes), cached in the build so ``path`` starts fast."""
    return r.cached("connection", lambda: build_connection_graph(r))


def build_connection_graph(r: Reader) -> "nx.Graph":
    import networkx as nx

    g = nx.Graph()
    g.add_edges_from((row["a"].value, row["b"].value) for row in r.store.select(query_text("collaboration-pairs")))
    evidence: dict[tuple[str, str], Evidence] = {}
    for row in r.store.select(query_text("memberships")):
        evidence.setdefault((row["member"].value, row["group"].value), Evidence()).add(row)
    for (m, grp), ev in sorted(evidence.items()):
        found = ev.fields(ordered=False)
        if not g.has_edge(m, grp):
            g.add_edge(m, grp, kind="membership", quotes=[], quoted=bool(found["quotes"]))
        g.edges[m, grp].setdefault("quotes", []).extend(citations(found["quotes"], found["locators"], found["source_url"]))
    return g


def shortest_path(g: "nx.Graph", source: str, target: str) -> list[str] | None:
    """Breadth-first search visiting neighbours in sorted order; ``None`` if
    there is no path. (``assets/explorer.js`` has the same function.)

    >>> import networkx as nx
    >>> shortest_path(nx.Graph([("a", "c"), ("a", "b"), ("b", "d"), ("c", "d")]), "a", "d")
    ['a', 'b', 'd']
    """
    if source == target:
        return [source]
    parent = {source: None}
    frontier = [source]
    while frontier:
        following = []
        for node in frontier:
            for nb in sorted(g.adj[node]):
                if nb in parent:
                    continue
                parent[nb] = node
                if nb == target:
                    found = [nb]
                    while parent[found[-1]] is not None:
                        found.append(parent[found[-1]])
                    return found[::-1]
                following.append(nb)
        frontier = following
    return None
