"""What a graph holds: entities by type, facts by kind, sources, graph sizes.

>>> from collabgraph import CollabGraph
>>> s = summary(CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).reader)
>>> s["entities"]["Person"] >= 2 and s["facts"]["Credit"] >= 20
True

An incremental build does not count a million triples again:
:func:`summary_update` corrects the previous summary by what the nodes a
change touches counted before and after it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..core.namespaces import CG, GRAPH, curie, expand
from ..core.queries import query_text
from ..store.local import StoreLike
from .reader import Reader

__all__ = ["summary", "summary_update", "graph_name"]

# Each part holds a place (``#KEYS#``) for a pattern restricting its key
# variable; the whole-graph summary leaves it empty.
_ENTITIES = """
    SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { #KEYS#
      ?e a ?type . ?type rdfs:subClassOf* cg:Entity .
      FILTER NOT EXISTS { ?e a ?sub . ?sub rdfs:subClassOf+ ?type . FILTER(?sub != ?type) }
    } GROUP BY ?type"""
_DISTINCT = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { #KEYS# ?e a ?type . ?type rdfs:subClassOf* cg:Entity }"
_FACTS = "SELECT ?t (COUNT(?f) AS ?n) WHERE { #KEYS# ?f a ?t . ?t rdfs:subClassOf cg:Fact } GROUP BY ?t"
_SOURCES = """
    SELECT ?s ?label (COUNT(?f) AS ?facts) WHERE { #KEYS#
      ?s a cg:SourceDocument ; rdfs:label ?label . OPTIONAL { ?f cg:source ?s }
    } GROUP BY ?s ?label ORDER BY ?s"""


def _collaborations() -> str:
    """Pairs of agents with a shared work, counted once per work."""
    body = "\n".join(line for line in query_text("collaboration-edges").splitlines()
                     if not line.lstrip().startswith("#"))
    at = body.index("{")
    return "SELECT (COUNT(*) AS ?n) WHERE { " + body[:at + 1] + " #KEYS# " + body[at + 1:] + " }"


# Per work, each credited agent and whether any of its roles there is not
# role:guest: a pair of agents is a collaboration on the work unless both
# were only guests, so the pairs are counted per work without listing them
# (the same number as _collaborations(), a test compares; 4x faster at 1M).
_AGENTS_PER_WORK = """
    SELECT ?work ?agent (MAX(IF(?role = role:guest, 0, 1)) AS ?more) WHERE {
      ?c a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role .
      FILTER (isIRI(?agent))  # as STR(?a) < STR(?b) leaves out blank nodes
    } GROUP BY ?work ?agent"""


def _count_collaborations(store: StoreLike) -> int:
    agents: Counter = Counter()
    guests: Counter = Counter()
    for row in store.select(_AGENTS_PER_WORK):
        work = row["work"]
        agents[work] += 1
        if row["more"].value == "0":
            guests[work] += 1
    return sum(n * (n - 1) // 2 - guests[w] * (guests[w] - 1) // 2 for w, n in agents.items())


def _run(store: StoreLike, query: str, keys: str = "") -> list:
    return list(store.select(query.replace("#KEYS#", keys)))


#: How an entity whose most specific type is a generic class is counted: nothing says what it
#: is (a person or a group, a song or a film), so it is counted as untyped, never as a kind of its own.
UNTYPED = {"Agent": "untyped agent", "Work": "untyped work", "Entity": "untyped"}


def _by_name(rows, var: str, names: dict[str, str] | None = None) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        name = curie(row[var].value).split(":", 1)[-1]
        counts[(names or {}).get(name, name)] += int(row["n"].value)
    return counts


def _source_rows(rows) -> list[dict[str, Any]]:
    """Sources in IRI order, then by label."""
    return [{"id": curie(row["s"].value), "label": row["label"].value, "facts": int(row["facts"].value)}
            for row in sorted(rows, key=lambda row: (row["s"].value, row["label"].value))]


def graph_name(g: str, files: dict[str, str]) -> str:
    """How the summary names a graph: the source file, else a CURIE."""
    return files.get(g, curie(g) if not g.startswith(str(GRAPH)) else "graph:" + g[len(str(GRAPH)):])


def summary(r: Reader, manifest: dict[str, Any] | None = None, *, collaborations: int | None = None,
            sizes: dict[str, int] | None = None) -> dict[str, Any]:
    """Counts: entities by (most specific) type (one that is only a ``cg:Agent`` or a
    ``cg:Work``, which says neither a person nor a group, a song nor a film, as
    ``untyped agent`` or ``untyped work``), facts by kind, collaborations
    (pairs of agents with a shared work, counted once per work), sources with
    their number of facts, and triples per graph (named by the source file
    when ``manifest`` says which). ``collaborations``: counted already (a
    streaming build counts them with the top pairs,
    :func:`collabgraph.views.toppairs.counted_pairs`). ``sizes``: the triples of
    each named graph, counted already (a build counts them for its manifest)."""
    store = r.store
    entities = _by_name(_run(store, _ENTITIES), "type", UNTYPED)
    # An entity of two unrelated types (a Film that is also a WebSeries) counts under
    # each type, but once in the total.
    distinct = int(_run(store, _DISTINCT)[0]["n"].value)
    facts = _by_name(_run(store, _FACTS), "t")
    collabs = _count_collaborations(store) if collaborations is None else collaborations
    graphs = sizes if sizes is not None else {g: store.count(g) for g in store.graphs()}
    files = {s["graph"]: s["file"] for s in (manifest or {}).get("sources", [])}
    return _assemble(entities, distinct, facts, collabs, _source_rows(_run(store, _SOURCES)),
                     {graph_name(g, files): n for g, n in graphs.items()})


def _assemble(entities: Counter, distinct: int, facts: Counter, collabs: int, sources: list, graphs: dict[str, int]) -> dict[str, Any]:
    return {
        "triples": sum(graphs.values()),
        "entities": dict(sorted((k, v) for k, v in entities.items() if v)),
        "entity_count": distinct,
        "facts": dict(sorted((k, v) for k, v in facts.items() if v)),
        "collaborations": collabs,
        "sources": sources,
        "graphs": graphs,
    }


def summary_update(previous: dict[str, Any], before: StoreLike, after: StoreLike, *, nodes: set[str],
                   blank_graphs: list[str], works: str, sources: str, graphs: dict[str, int]) -> dict[str, Any]:
    """``previous`` (the summary of ``before``) made the summary of ``after``.

    ``nodes`` are the IRIs of the entities and facts a change can affect,
    ``blank_graphs`` the graphs whose blank nodes it can affect (a blank node
    is local to its file); ``works`` and ``sources`` are group patterns
    binding ``?_k`` to the works and the sources it can affect, and
    ``graphs`` the new size of every graph, named as in the summary.
    Counts by key add up, so each count becomes the previous one, minus what
    the affected keys counted before, plus what they count now. The types of
    the affected nodes are looked up one by one and classified here against
    the class hierarchy: the whole-graph queries restricted to them made the
    engine read every entity and fact of the graph (1.2 s a side at 1M)."""
    # a summary written before untyped entities were counted as such: the generic names read as untyped
    entities = Counter({UNTYPED.get(k, k): v for k, v in previous["entities"].items()})
    facts = Counter(previous["facts"])
    distinct = previous.get("entity_count", sum(previous["entities"].values()))
    for sign, side in ((-1, before), (1, after)):
        hierarchy = _Hierarchy(side)
        for types in _types_of(side, nodes, blank_graphs).values():
            counted = hierarchy.entity_types(types)
            distinct += sign * bool(counted)
            entities.update({UNTYPED.get(_short(t), _short(t)): sign for t in counted})
            facts.update({_short(t): sign for t in types if t in hierarchy.facts})
    keys = works.replace("?_k", "?work")
    collabs = (previous["collaborations"] + int(_run(after, _collaborations(), keys)[0]["n"].value)
               - int(_run(before, _collaborations(), keys)[0]["n"].value))
    # A source's row is read again whole when the change touches it.
    keys = sources.replace("?_k", "?s")
    fresh = _run(after, _SOURCES, keys)
    redone = {row["s"].value for row in _run(before, _SOURCES, keys)} | {row["s"].value for row in fresh}
    kept = [(expand(row["id"]) or row["id"], row["label"], row) for row in previous["sources"]]
    merged = sorted([k for k in kept if k[0] not in redone]
                    + [(r["s"].value, r["label"].value, _source_rows([r])[0]) for r in fresh], key=lambda k: k[:2])
    return _assemble(entities, distinct, facts, collabs, [row for *_, row in merged], graphs)


def _short(iri: str) -> str:
    return curie(iri).split(":", 1)[-1]


def _types_of(store: StoreLike, nodes: set[str], blank_graphs: list[str]) -> dict[Any, set[str]]:
    """The types (IRIs) of each of ``nodes`` and of the blank nodes of ``blank_graphs``."""
    import pyoxigraph as ox

    types: dict[Any, set[str]] = {}
    ordered = sorted(nodes)
    for start in range(0, len(ordered), 500):
        values = " ".join(str(ox.NamedNode(n)) for n in ordered[start:start + 500])  # written (escaped) by pyoxigraph
        for row in store.select(f"SELECT ?e ?t WHERE {{ VALUES ?e {{ {values} }} ?e a ?t FILTER (isIRI(?t)) }}"):
            types.setdefault(row["e"], set()).add(row["t"].value)
    for g in blank_graphs:
        for row in store.select(f"SELECT ?e ?t WHERE {{ GRAPH {ox.NamedNode(g)} {{ ?e a ?t }} "
                                f"FILTER (isBlank(?e) && isIRI(?t)) }}"):
            types.setdefault(row["e"], set()).add(row["t"].value)
    return types


class _Hierarchy:
    """The classes of a store: which are entities (``rdfs:subClassOf*
    cg:Entity``), which are kinds of fact (``rdfs:subClassOf cg:Fact``), and
    what each is a strict subclass of, as :data:`_ENTITIES` and :data:`_FACTS` read them."""

    def __init__(self, store: StoreLike):
        entity, fact = str(CG["Entity"]), str(CG["Fact"])
        up: dict[str, set[str]] = {}
        for row in store.select("SELECT ?a ?b WHERE { ?a rdfs:subClassOf ?b }"):
            up.setdefault(row["a"].value, set()).add(row["b"].value)
        self.facts = {a for a, bs in up.items() if fact in bs}
        self.above: dict[str, set[str]] = {}
        for a in up:  # one or more steps up
            seen, todo = set(), list(up[a])
            while todo:
                b = todo.pop()
                if b not in seen:
                    seen.add(b)
                    todo.extend(up.get(b, ()))
            self.above[a] = seen
        self.entities = {a for a, bs in self.above.items() if entity in bs} | {entity}

    def entity_types(self, types: set[str]) -> set[str]:
        """The entity types of a node of ``types`` that none of its other types is under."""
        return {t for t in types if t in self.entities
                and not any(s != t and t in self.above.get(s, ()) for s in types)}
