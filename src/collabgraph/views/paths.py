"""Paths between agents, through shared works and group memberships.

>>> from collabgraph import CollabGraph
>>> from collabgraph.views.entities import resolve
>>> r = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).reader
>>> [(h.source.label, h.target.label) for h in path(r, resolve(r, "IU"), resolve(r, "Park Seo-joon"))]
[('IU', 'V'), ('V', 'Park Seo-joon')]
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterable

import pyoxigraph as ox

from ..core.errors import NoPath, SameEntity
from ..core.queries import query_text
from ..store.local import select_values
from .entities import describe_all
from .facts import Evidence, shared_works_of
from .reader import Reader
from .records import Described, Entity, Hop, SourceInfo, citations

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["path", "explain", "search", "shortest_path", "connection_graph", "build_connection_graph"]


def path(r: Reader, a: Entity, b: Entity) -> list[Hop]:
    """The shortest connection between two different agents; each hop carries
    its works, the roles on both sides and the quotes.

    Among equally short paths, the one a breadth-first search visiting
    neighbours in IRI order finds: the same answer whatever the cache or
    process, and the same the explorer page computes. When the connection
    graph is in memory already (a server, the explorer), the search walks it;
    otherwise it asks the store for one layer of neighbours at a time, from
    both ends (:func:`search`), and never loads the whole graph.

    :raises SameEntity: if both names are one entity.
    :raises NoPath: if they are not connected.
    """
    if a.iri == b.iri:
        raise SameEntity(a)
    g = r.projections.get("connection")
    if g is None:
        return explain(r, search(r, a, b))
    if a.iri not in g or b.iri not in g:
        missing = a if a.iri not in g else b
        raise NoPath(f"{missing} has no collaborations or memberships in the graph")
    nodes = shortest_path(g, a.iri, b.iri)
    if nodes is None:
        raise NoPath(f"no connection between {a} and {b}")
    return explain(r, nodes, edges=g)


def explain(r: Reader, nodes: list[str], *, edges: "nx.Graph | None" = None) -> list[Hop]:
    """The hops of a path (its agents in order): each collaboration with its
    shared works, each membership with its quotes. A constant number of
    queries whatever the length: the names, every hop's shared works, and
    what links each pair (read from ``edges``, the connection graph, when given)."""
    describe_all(r, nodes)
    steps = list(zip(nodes, nodes[1:]))
    data = {(x, y): edges.edges[x, y] for x, y in steps} if edges is not None else _edge_data(r, steps)
    unsided = [(x, y) for x, y in steps if data[x, y].get("kind") == "membership" and "member" not in data[x, y]]
    if unsided:  # a connection graph cached before edges said who is the member
        data.update(_edge_data(r, unsided))
    collaborations = [(r.entities[x], r.entities[y]) for x, y in steps if data[x, y].get("kind") != "membership"]
    shared = shared_works_of(r, collaborations) if collaborations else {}
    hops = []
    for x, y in steps:
        src, dst, d = r.entities[x], r.entities[y], data[x, y]
        if d.get("kind") == "membership":
            member, group = (src, dst) if d["member"] == x else (dst, src)
            hops.append(Hop(src, dst, "membership", membership_quotes=tuple(d["quotes"]),
                            membership_quoted=d.get("quoted", True), member=member, group=group))
        else:
            hops.append(Hop(src, dst, "collaboration", works=shared[x][y]))
    return _cited(r, hops)


# The source documents a path cites, as a reader is told them.
_SOURCES = """SELECT ?s ?label ?publisher ?date ?url WHERE { VALUES ?s {}
  OPTIONAL { ?s rdfs:label ?label } OPTIONAL { ?s dcterms:publisher ?publisher }
  OPTIONAL { ?s dcterms:issued ?date } OPTIONAL { ?s schema:url ?url } }"""
# The sources of the memberships between the agents of a path, with their quotes.
_MEMBERSHIP_SOURCES = """SELECT ?m ?g ?src ?q WHERE { VALUES ?m {} VALUES ?g {}
  ?f a cg:Membership ; cg:member ?m ; cg:group ?g ; cg:source ?src OPTIONAL { ?f cg:quote ?q } }"""


def _cited(r: Reader, hops: list[Hop]) -> list[Hop]:
    """The hops with the sources their credits cite, and for each quote that writes a side
    only as a description ("the video"), the sentence of the same source that names it (two
    queries whatever the length)."""
    from dataclasses import replace

    from .entities import describe

    credits = [c for h in hops for c in h.credits]
    pairs = [(h.member, h.group) for h in hops if h.kind == "membership" and h.member and h.group]
    quoted_in: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)  # (member, group) -> (quote, source)
    if pairs:
        people = sorted({ox.NamedNode(e.iri) for pair in pairs for e in pair}, key=str)
        for row in select_values(r.store, _MEMBERSHIP_SOURCES, chunk=len(people), m=people, g=people):
            quoted_in[row["m"].value, row["g"].value].append((row["q"].value if row["q"] else "", row["src"].value))
    if not credits and not quoted_in:
        return hops
    wanted = {c.source for c in credits} | {src for found in quoted_in.values() for _, src in found}
    sources: dict[str, SourceInfo] = {}
    for row in select_values(r.store, _SOURCES, s=sorted({ox.NamedNode(x) for x in wanted}, key=str)):
        iri = row["s"].value
        if iri not in sources:
            sources[iri] = SourceInfo(iri, row["label"].value if row["label"] else iri, *(
                row[k].value if row[k] else None for k in ("publisher", "date", "url")))
    said = descriptions(select_values(r.store, query_text("described-words"), e=sorted(
        {ox.NamedNode(e.iri) for c in credits for e in (c.agent, c.work)}, key=str)))
    described_iris = {iri for iri, _src, _words in said}
    entities: dict[str, Entity] = {}  # described once each, and only the entities words stand for
    out = []
    for h in hops:
        described = []
        for c in h.credits:
            for e in (c.agent, c.work):
                if e.iri not in described_iris:
                    continue
                if e.iri not in entities:
                    entities[e.iri] = describe(r, e.iri)
                entity = entities[e.iri]
                names = [entity.label, *entity.labels.values(), *entity.aliases]
                for q in c.quotes:
                    described += [Described(q, words, entity, named)
                                  for words, named in naming_sentences(said, e.iri, c.source, q, names)]
        cited = [c.source for c in h.credits]
        if h.kind == "membership" and h.member and h.group:
            found = sorted(set(quoted_in.get((h.member.iri, h.group.iri), [])))
            cited = [src for _, src in found]
            h = replace(h, membership_sources=tuple((q, src) for q, src in found if q))
        out.append(replace(h, sources=tuple(dict.fromkeys(sources[x] for x in cited if x in sources)),
                           described=tuple(dict.fromkeys(described))))
    return out


def descriptions(rows: Any) -> dict[tuple[str, str, str], list[set[str]]]:
    """The rows of the described-words query (``?e ?att ?src ?words ?q``) as (entity, source, words) -> the
    quotes of each attestation: an attestation quotes the sentence that writes the words and the one that
    names the entity, so the two are paired within it, never across two attestations of the same words
    ("the drama" in two sentences of one article)."""
    by_att: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for row in rows:
        by_att[row["e"].value, row["src"].value, row["words"].value, str(row["att"])].add(row["q"].value)
    said: dict[tuple[str, str, str], list[set[str]]] = defaultdict(list)
    for (iri, src, words, _), quotes in sorted(by_att.items()):
        said[iri, src, words].append(quotes)
    return said


def naming_sentences(said: dict[tuple[str, str, str], list[set[str]]], iri: str, source: str,
                     quote: str, names: Iterable[str] = ()) -> list[tuple[str, str]]:
    """``(words, sentence naming the entity)`` for each description of entity ``iri`` that ``quote`` (a
    quote of ``source``) writes: the words stand for it there (its attestation quotes it), and the same
    attestation's other sentence names it. A quote that writes one of the entity's ``names`` names it
    itself: no line ("Marcus T. Okafor" writes "Okafor" too, and is the sentence "Okafor" stands for)."""
    names = [n for n in names if n]
    if any(_written(n, quote) for n in names):
        return []
    out = []
    for (e, src, words), attestations in sorted(said.items()):
        if e != iri or src != source:
            continue
        for quotes in attestations:
            others = [o for o in sorted(quotes) if o != quote]
            # the sentence that writes one of its names, if the attestation quotes one
            named = [o for o in others if any(_written(n, o) for n in names)] or others
            if quote in quotes and _written(words, quote) and named:
                out.append((words, named[0]))
    return out


def _written(words: str, quote: str) -> bool:
    import re

    return re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", quote) is not None


# Plain collaborations and those resting on a marked credit (a marked
# statement, rules/51-marked-collaborations.ru), either way round.
_LINKED = """SELECT ?x ?y WHERE { VALUES ?x {} VALUES ?y {}
  { ?x cg:collaboratedWith ?y }
  UNION { ?st rdf:predicate cg:collaboratedWith ; rdf:subject ?x ; rdf:object ?y }
  UNION { ?st rdf:predicate cg:collaboratedWith ; rdf:subject ?y ; rdf:object ?x } }"""


def _edge_data(r: Reader, steps: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """What :func:`build_connection_graph` puts on each step's edge, from two
    queries over just these agents (every pair of them: one block each, not
    chunked, since chunks would pair only values at the same positions)."""
    people = sorted({ox.NamedNode(n) for step in steps for n in step}, key=str)
    if not people:
        return {}
    linked = {(row["x"].value, row["y"].value) for row in select_values(
        r.store, _LINKED, chunk=len(people),
        x=people, y=people)}
    evidence: dict[tuple[str, str], Evidence] = {}
    for row in select_values(r.store, query_text("memberships-between"), chunk=len(people), a=people, b=people):
        evidence.setdefault((row["member"].value, row["group"].value), Evidence()).add(row)
    out: dict[tuple[str, str], dict] = {}
    for x, y in steps:
        d: dict = {} if (x, y) in linked else {"kind": "membership"}
        for m, grp in sorted(k for k in evidence if set(k) == {x, y}):
            found = evidence[m, grp].fields()
            d.setdefault("member", m)  # who is the member (a path may walk from the group)
            d.setdefault("quoted", bool(found["quotes"]))
            d.setdefault("quotes", []).extend(citations(found["quotes"], found["locators"], found["source_url"]))
        out[x, y] = d
    return out


def search(r: Reader, a: Entity, b: Entity) -> list[str]:
    """The path :func:`shortest_path` finds in the connection graph, found by
    asking the store for the neighbours of one layer at a time, from both ends
    (the smaller frontier first), so a lookup reads a neighbourhood, not the
    whole graph. The same path: the first in IRI order, node by node from
    ``a``, among the shortest (which is what a breadth-first search visiting
    neighbours in sorted order finds).

    :raises NoPath: if either has no connection at all, or they are not connected.
    """
    adjacency: dict[str, set[str]] = {}

    def expand(frontier: list[str]) -> None:
        for n in frontier:
            adjacency[n] = set()
        for row in select_values(r.store, query_text("connections-of"), x=[ox.NamedNode(n) for n in frontier]):
            adjacency[row["x"].value].add(row["y"].value)

    expand([a.iri, b.iri])
    for end in (a, b):
        if not adjacency[end.iri]:
            raise NoPath(f"{end} has no collaborations or memberships in the graph")
    dist = {a.iri: {a.iri: 0}, b.iri: {b.iri: 0}}
    frontier = {a.iri: [a.iri], b.iri: [b.iri]}
    while not any(n in dist[b.iri] for n in frontier[a.iri]) and not any(n in dist[a.iri] for n in frontier[b.iri]):
        side = a.iri if len(frontier[a.iri]) <= len(frontier[b.iri]) else b.iri
        seen = dist[side]
        todo = [n for n in frontier[side] if n not in adjacency]
        if todo:
            expand(todo)
        following = sorted({m for n in frontier[side] for m in adjacency[n] if m not in seen})
        if not following:
            raise NoPath(f"no connection between {a} and {b}")
        depth = seen[frontier[side][0]] + 1
        seen.update((m, depth) for m in following)
        frontier[side] = following
    da, db = dist[a.iri], dist[b.iri]
    d = min(da[n] + db[n] for n in da if n in db)

    def linked(x: str, y: str) -> bool:
        return y in adjacency[x] if x in adjacency else x in adjacency.get(y, ())

    # The agents on some shortest path, by position: read where both distances
    # are known, then walked back towards a and on towards b from there.
    on: dict[int, set[str]] = defaultdict(set)
    for n, i in da.items():
        if db.get(n, -1) == d - i:
            on[i].add(n)
    first, last = min(on), max(on)
    for i in range(first - 1, -1, -1):
        on[i] = {n for n, k in da.items() if k == i and any(linked(n, m) for m in on[i + 1])}
    for i in range(last + 1, d + 1):
        on[i] = {n for n, k in db.items() if k == d - i and any(linked(m, n) for m in on[i - 1])}
    nodes = [a.iri]
    for i in range(1, d + 1):
        nodes.append(min(n for n in on[i] if linked(nodes[-1], n)))
    return nodes


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
        found = ev.fields()
        if not g.has_edge(m, grp):
            g.add_edge(m, grp, kind="membership", quotes=[], quoted=bool(found["quotes"]), member=m)
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
    parent: dict[str, str | None] = {source: None}
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
