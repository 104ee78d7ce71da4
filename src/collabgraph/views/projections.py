"""NetworkX projections of the graph, made from SPARQL results (never by
walking triples in Python) and cached in the build.

- ``"collaboration"``: ``nx.Graph`` of agents; an edge per pair that shares
  works, ``weight`` = number of shared works, ``works`` (IRIs),
  ``work_labels``, ``quotes`` and ``marked_works``: the works on which the
  pair rests on a marked credit (an editors' inference or someone's claim:
  the pair has no unmarked credit of both there), as the inference rules
  derive a marked statement, not a plain edge, for them.
- ``"analytics"``: the same graph without ``quotes`` and ``marked_works``, and with ``years`` (each
  work's year), read by two queries (credits with roles, work dates): what
  :mod:`.analytics` works on.
- ``"entity"``: ``nx.MultiDiGraph`` of every entity (``label``, ``type``);
  edges for credits (agent -> work, key = role), memberships and claims
  linking two entities (key = property), with their ``quotes`` and, for
  facts from database records, ``locators``.

>>> from collabgraph import CollabGraph
>>> g = projection(CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).reader, "collaboration")
>>> g.edges["https://w3id.org/collabgraph/id/iu", "https://w3id.org/collabgraph/id/v"]["weight"] >= 4
True
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..core.errors import CollabGraphError
from ..core.namespaces import PREFIXES, curie
from ..core.queries import query_text
from ..store.local import select_values
from .entities import name_index, names_and_types, names_and_types_of
from .nameindex import NAME_INDEX
from .paths import build_connection_graph
from .reader import Reader, save_graph

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["projection", "analytics_projection", "collaboration_graph", "analytics_graph", "entity_graph", "neighbourhood", "flatten", "save_cache", "PROJECTIONS"]


def _collaborations(r: Reader) -> dict[tuple[str, str], set[str]]:
    """``(a, b) -> works`` for every pair of agents who collaborated (``a < b``),
    from one query over the credits: two agents credited on one work, except
    when both are only guests there (the rule of rules/40-collaborations.ru)."""
    guest = PREFIXES["role"] + "guest"  # a plain string: no rdflib on this path
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for agent, work, role in r.store.select(query_text("collaboration-credits")):
        roles[work.value][agent.value].add(role.value)
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for work, credited in roles.items():
        if len(credited) < 2:
            continue
        agents = sorted(credited)
        only_guest = {a for a in agents if credited[a] == {guest}}
        for i, a in enumerate(agents):
            for b in agents[i + 1:]:
                if not (a in only_guest and b in only_guest):
                    pairs[(a, b)].add(work)
    return pairs


def _add_collaborations(g: "nx.Graph", r: Reader, pairs: dict[tuple[str, str], set[str]]) -> dict[str, str]:
    """Add the agents (``label``, ``type``) and an edge per pair (``weight``,
    ``works``, ``work_labels``) to ``g``; returns the labels used."""
    names = names_and_types(r)
    labels: dict[str, str] = {}

    def label(iri: str) -> str:
        if iri not in labels:
            labels[iri] = names.get(iri, (curie(iri),))[0]
        return labels[iri]

    for (a, b) in sorted(pairs):
        for n in (a, b):
            if n not in g:
                name, kind = names.get(n, (curie(n), "Entity"))
                g.add_node(n, label=name, type=kind)
        ws = sorted(pairs[(a, b)])
        g.add_edge(a, b, weight=len(ws), works=ws, work_labels=[label(w) for w in ws])
    return labels


def collaboration_graph(r: Reader) -> "nx.Graph":
    import networkx as nx

    pairs = _collaborations(r)
    quotes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in r.store.select(query_text("credit-quotes")):
        quotes[(row["agent"].value, row["work"].value)].append(row["quote"].value)
    plain = {(row["agent"].value, row["work"].value) for row in r.store.select(query_text("credit-marks"))
             if row["marked"].value == "false"}
    g = nx.Graph()
    _add_collaborations(g, r, pairs)
    for a, b, data in g.edges(data=True):
        found: set[str] = set()
        for w in data["works"]:
            found.update(quotes.get((a, w), ()), quotes.get((b, w), ()))
        data["quotes"] = sorted(found)
        data["marked_works"] = [w for w in data["works"] if (a, w) not in plain or (b, w) not in plain]
    return g


def analytics_graph(r: Reader) -> "nx.Graph":
    """The collaboration graph as the analytics need it, from two queries
    (credits with their roles, work dates) plus the entity names every view shares: the
    ``"collaboration"`` projection without quotes (analytics never show them,
    and reading every credit's quotes was most of its cost at scale), and with
    ``years``, each work's year beside ``works`` (its earliest release, else
    the earliest date of a credit on it; ``None`` if undated)."""
    import networkx as nx

    from .analytics import work_years

    pairs = _collaborations(r)
    years = work_years(r)
    g = nx.Graph()
    _add_collaborations(g, r, pairs)
    for *_, data in g.edges(data=True):
        data["years"] = [years.get(w) for w in data["works"]]
    return g


def entity_graph(r: Reader) -> "nx.MultiDiGraph":
    import networkx as nx

    g = nx.MultiDiGraph()
    for iri, (label, kind) in sorted(names_and_types(r).items()):
        g.add_node(iri, label=label, type=kind)
    _add_entity_edges(g, r.store.select(query_text("entity-edges")))
    return g


def neighbourhood(r: Reader, focus: str, depth: int) -> "nx.MultiDiGraph":
    """The part of the ``"entity"`` projection within ``depth`` hops of
    ``focus``: those entities, every edge that touches one of them (so their
    degrees are whole), and the entities at the far ends, with the same
    attributes as in the whole projection. One query per hop, bound to the
    hop's entities: the cost follows the neighbourhood, not the graph.
    From the whole projection when it is in memory already."""
    import networkx as nx

    whole = r.projections.get("entity")
    if whole is not None:
        if focus not in whole:
            return nx.MultiDiGraph()
        seen, layer = {focus}, {focus}
        for _ in range(depth):
            layer = {n for p in layer for n in nx.all_neighbors(whole, p)} - seen
            seen |= layer
        touching = {e for n in seen for e in (*whole.out_edges(n, keys=True), *whole.in_edges(n, keys=True))}
        return whole.edge_subgraph(touching).copy() if touching else whole.subgraph([focus]).copy()
    rows: list = []
    seen, ring = {focus}, [focus]
    for hop in range(depth + 1):
        if len(ring) > NEAR_MAX:  # a hub's far neighbourhood: the whole projection is cheaper
            return neighbourhood(_with_whole(r), focus, depth)
        found = select_values(r.store, query_text("near-edges"), s=_nodes(ring), o=_nodes(ring))
        rows.extend(found)
        if hop == depth:
            break
        fresh = {row[k].value for row in found for k in ("s", "o")} - seen
        seen |= fresh
        ring = sorted(fresh)
    ends = {row[k].value for row in rows for k in ("s", "o")} | {focus}
    g = nx.MultiDiGraph()
    names = names_and_types_of(r, ends)
    for iri in sorted(names):
        label, kind = names[iri]
        g.add_node(iri, label=label, type=kind)
    _add_entity_edges(g, rows)
    return g


#: A ``--focus`` neighbourhood is walked by queries while each hop has at most
#: this many entities; past it, cutting it from the whole (cached) projection is faster.
NEAR_MAX = 1000


def _with_whole(r: Reader) -> Reader:
    projection(r, "entity")
    return r


def _nodes(iris: list[str]) -> list:
    import pyoxigraph as ox

    return [ox.NamedNode(i) for i in iris]


def _add_entity_edges(g: "nx.MultiDiGraph", rows: Any) -> None:
    """Edges from rows of ``entity-edges.rq`` (or ``near-edges.rq``): one per
    (subject, object, role or property), with every quote and locator once."""
    for row in rows:
        s, o = row["s"].value, row["o"].value
        key = curie(row["role"].value) if row["role"] is not None else curie(row["p"].value)
        quote = [row["quote"].value] if row["quote"] is not None else []
        locator = [row["locator"].value] if row["locator"] is not None else []
        if g.has_edge(s, o, key):
            edge = g.edges[s, o, key]
            edge["quotes"].extend(q for q in quote if q not in edge["quotes"])
            edge["locators"].extend(x for x in locator if x not in edge["locators"])
            continue
        attrs: dict[str, Any] = {"relation": curie(row["p"].value), "quotes": quote, "locators": locator}
        if row["role"] is not None:
            attrs["role"] = key.split(":", 1)[-1]
        if row["character"] is not None:
            attrs["character"] = row["character"].value
        if row["date"] is not None:
            attrs["date"] = row["date"].value
        g.add_edge(s, o, key=key, **attrs)
    for *_, attrs in g.edges(data=True):  # the same order whichever store answered
        attrs["quotes"].sort()
        attrs["locators"].sort()


#: kind -> builder of every projection that can be cached in a build.
PROJECTIONS: dict[str, Callable[[Reader], "nx.Graph"]] = {
    "collaboration": collaboration_graph,
    "analytics": analytics_graph,
    "entity": entity_graph,
    "connection": build_connection_graph,
}


def projection(r: Reader, kind: str) -> "nx.Graph":
    """A projection, shared and cached: callers must not change it (the facade's
    ``to_networkx`` hands out copies)."""
    if kind not in ("collaboration", "entity"):
        raise CollabGraphError(f"unknown projection {kind!r}: use 'collaboration' or 'entity'")
    return r.cached(kind, lambda: PROJECTIONS[kind](r))


def analytics_projection(r: Reader) -> "nx.Graph":
    """The ``"analytics"`` projection (:func:`analytics_graph`), shared and
    cached in the build like the others (``cache/analytics.json``, replaced
    with the build, so it always describes its store). Callers must not change it."""
    return r.cached("analytics", lambda: analytics_graph(r))


def save_cache(r: Reader, directory: Path, kinds: tuple[str, ...] = ()) -> None:
    """Write the name index and the projections ``kinds`` to ``directory``
    (a build's ``cache/``): what reading commands need to start fast. A build
    writes only the name index; projections are saved there on first use
    (:meth:`Reader.cached`), as no reading command needs one to start."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if not (directory / NAME_INDEX).exists():
        name_index(r).save(directory / NAME_INDEX)
    for kind in kinds:
        graph = r.projections.get(kind) or PROJECTIONS[kind](r)
        save_graph(graph, directory / f"{kind}.json")


def flatten(g: "nx.Graph") -> "nx.Graph":
    """A copy whose attributes are scalars (GraphML/GEXF cannot hold lists)."""
    h = g.copy()
    for _, data in h.nodes(data=True):
        _flatten_attrs(data)
    for *_, data in h.edges(data=True):
        _flatten_attrs(data)
    return h


def _flatten_attrs(data: dict[str, Any]) -> None:
    for k, v in list(data.items()):
        if isinstance(v, (list, tuple, set)):
            data[k] = " | ".join(str(x) for x in v)
        elif v is None:
            del data[k]
