"""The library API: one facade, :class:`CollabGraph`, over a built store.

>>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
>>> kg.entity("taehyung").label
'V'
>>> [c.agent.label for c in kg.collaborators("V")][:3]
['Choi Woo-shik', 'IU', 'Park Hyung-sik']
>>> [(h.source.label, h.target.label) for h in kg.path("IU", "Park Seo-joon")]
[('IU', 'V'), ('V', 'Park Seo-joon')]
"""

from __future__ import annotations

import difflib
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.query import Result

from .build import CACHE_DIR, MANIFEST, STORE_DIR, compile_into, load_manifest
from .errors import AmbiguousEntity, BuildNotFound, CollabGraphError, EntityNotFound, NoPath
from .formats import GRAPH_FORMATS, RDF_FORMATS
from .names import search_key
from .namespaces import CG, GRAPH, INFERRED_GRAPH, curie, expand
from .queries import query_text
from .store import Store
from .terms import to_python, to_rdflib

if TYPE_CHECKING:  # networkx is imported where projections are made: lookups start faster
    import networkx as nx

__all__ = ["CollabGraph", "Entity", "Credit", "Collaborator", "SharedWork", "Hop", "Claim", "shortest_path"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
_CG = str(CG)
#: Work kinds, most "primary" first: a path hop shows its first work.
def _year_first(date: str | None) -> str:
    """A sort key for ISO dates: dated first, by date; a day and month with no
    year (xsd:gMonthDay, "--01-24") or no date at all last."""
    return date if date and not date.startswith("--") else "9999"


_WORK_RANK = {k: i for i, k in enumerate(
    ["Single", "Song", "MusicVideo", "KDrama", "TVSeries", "TalkShow", "WebSeries",
     "Video", "SocialMediaPost", "Channel", "Work"])}


# -- result records ---------------------------------------------------------------

@dataclass(frozen=True)
class Entity:
    """An entity of the graph, with its names.

    ``label`` is the English label (or the first one); ``labels`` maps language
    tags to labels; ``types`` are the asserted classes as CURIEs (``cg:Person``).
    """

    iri: str
    label: str
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    aliases: tuple[str, ...] = field(default=(), compare=False)
    types: tuple[str, ...] = field(default=(), compare=False)
    wikidata: tuple[str, ...] = field(default=(), compare=False)

    @property
    def id(self) -> str:
        """The short identifier, e.g. ``id:v``."""
        return curie(self.iri)

    @property
    def type(self) -> str:
        """The main type without prefix (``Person``, ``Single``, ...)."""
        return self.types[0].split(":", 1)[-1] if self.types else "Entity"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "iri": self.iri, "label": self.label, "labels": self.labels,
                "aliases": list(self.aliases), "types": list(self.types),
                "wikidata": list(self.wikidata)}

    def __str__(self) -> str:
        return f"{self.label} ({self.id})"


@dataclass(frozen=True)
class Credit:
    """An agent credited on a work in a role, with the source's words."""

    iri: str
    agent: Entity
    work: Entity
    role: str
    quotes: tuple[str, ...]
    source: str
    character: Entity | None = None
    date: str | None = None
    debut: bool = False
    released: str | None = None

    @property
    def when(self) -> str | None:
        """The credit's own date, else the work's earliest release date."""
        return self.date or self.released

    def to_dict(self) -> dict[str, Any]:
        return {"credit": curie(self.iri), "agent": self.agent.id, "agent_label": self.agent.label,
                "work": self.work.id, "work_label": self.work.label, "work_type": self.work.type,
                "role": self.role, "character": self.character.label if self.character else None,
                "date": self.date, "released": self.released, "debut": self.debut,
                "quotes": list(self.quotes), "source": curie(self.source)}


@dataclass(frozen=True)
class SharedWork:
    """A work two agents are both credited on, with both sides' credits."""

    work: Entity
    credits: tuple[Credit, ...]

    def roles_of(self, agent: Entity) -> list[str]:
        return sorted({c.role for c in self.credits if c.agent.iri == agent.iri})

    @property
    def quotes(self) -> list[str]:
        return list(dict.fromkeys(q for c in self.credits for q in c.quotes))

    def to_dict(self) -> dict[str, Any]:
        return {"work": self.work.id, "work_label": self.work.label, "work_type": self.work.type,
                "credits": [c.to_dict() for c in self.credits]}


@dataclass(frozen=True)
class Collaborator:
    """Another agent credited on works with the one asked about."""

    agent: Entity
    works: tuple[SharedWork, ...]

    @property
    def quotes(self) -> list[str]:
        return list(dict.fromkeys(q for w in self.works for q in w.quotes))

    def to_dict(self) -> dict[str, Any]:
        return {"agent": self.agent.to_dict(), "works": [w.to_dict() for w in self.works]}


@dataclass(frozen=True)
class Hop:
    """One step of a path: two agents and what connects them.

    ``kind`` is ``"collaboration"`` (``works`` holds the shared works, the
    first one the most primary) or ``"membership"`` (``quotes`` says so).
    """

    source: Entity
    target: Entity
    kind: str
    works: tuple[SharedWork, ...] = ()
    membership_quotes: tuple[str, ...] = ()

    @property
    def work(self) -> Entity | None:
        return self.works[0].work if self.works else None

    @property
    def quote(self) -> str:
        if self.works:
            return self.works[0].quotes[0]
        return self.membership_quotes[0] if self.membership_quotes else ""

    def roles(self) -> tuple[list[str], list[str]]:
        if not self.works:
            return (["member"], ["group"])
        w = self.works[0]
        return w.roles_of(self.source), w.roles_of(self.target)

    def to_dict(self) -> dict[str, Any]:
        src_roles, dst_roles = self.roles()
        return {"from": self.source.to_dict(), "to": self.target.to_dict(), "kind": self.kind,
                "work": self.work.to_dict() if self.work else None,
                "from_roles": src_roles, "to_roles": dst_roles, "quote": self.quote,
                "other_works": [w.work.id for w in self.works[1:]]}


@dataclass(frozen=True)
class Claim:
    """A statement about an entity other than a credit, with who said it."""

    iri: str
    kind: str
    property: str
    value: Any
    value_label: str
    quotes: tuple[str, ...]
    source: str
    claimed_by: Entity | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"fact": curie(self.iri), "kind": self.kind, "property": self.property,
                "value": self.value, "value_label": self.value_label, "quotes": list(self.quotes),
                "source": curie(self.source),
                "claimed_by": self.claimed_by.id if self.claimed_by else None}


# -- the facade ---------------------------------------------------------------------

class CollabGraph:
    """A collaboration knowledge graph: open a build, or load sources in memory.

    Every method that takes an entity accepts an :class:`Entity`, a name or
    alias in any case, spacing or hyphenation (``"taehyung"``, ``"Park Seojoon"``,
    ``"교포머리"``), a CURIE (``"id:v"``) or a full IRI.
    """

    def __init__(self, store: Store, *, manifest: dict[str, Any] | None = None,
                 cache_dir: Path | None = None):
        self.store = store
        self.manifest = manifest or {}
        self.cache_dir = cache_dir
        self._entities: dict[str, Entity] = {}
        self._released: dict[str, str | None] = {}
        self._projections: dict[str, nx.Graph] = {}

    # -- opening ------------------------------------------------------------------
    @classmethod
    def open(cls, build_dir: str | Path = "build") -> "CollabGraph":
        """Open a build made by :func:`collabgraph.build` (read-only).

        :raises BuildNotFound: if ``build_dir`` holds no build.
        """
        build_dir = Path(build_dir)
        if not (build_dir / MANIFEST).is_file():
            raise BuildNotFound(f"{build_dir}: no build here; run 'collabgraph build' first")
        manifest = load_manifest(build_dir)
        if manifest.get("endpoint"):  # built into a SPARQL server: the build directory has no store
            from .remote import RemoteStore

            store = RemoteStore(manifest["endpoint"], manifest.get("update_endpoint"))
            return cls(store, manifest=manifest, cache_dir=build_dir / CACHE_DIR)
        if not (build_dir / STORE_DIR).is_dir():
            raise BuildNotFound(f"{build_dir}: the build has no store; run 'collabgraph build' again")
        return cls(Store.open(build_dir / STORE_DIR, read_only=True), manifest=manifest,
                   cache_dir=build_dir / CACHE_DIR)

    @classmethod
    def connect(cls, endpoint: str, update_endpoint: str | None = None) -> "CollabGraph":
        """Use a graph loaded into a SPARQL server (see :mod:`collabgraph.remote`)
        instead of a local build."""
        from .remote import RemoteStore

        return cls(RemoteStore(endpoint, update_endpoint), manifest={"endpoint": endpoint})

    @classmethod
    def load(cls, graph_dir: str | Path = "graph", ontology_dir: str | Path = "ontology") -> "CollabGraph":
        """Load, validate and infer the sources into an in-memory store.

        :raises SourceSyntaxError, ValidationError: as :func:`collabgraph.build`.
        """
        store = Store.memory()
        loaded, inferred = compile_into(store, graph_dir, ontology_dir)
        manifest = {"graph_dir": str(graph_dir), "ontology_dir": str(ontology_dir),
                    "sources": [s.__dict__ for s in loaded], "inferred": inferred,
                    "triples": store.count()}
        return cls(store, manifest=manifest)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "CollabGraph":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- entities -----------------------------------------------------------------
    def entity(self, name: "str | Entity") -> Entity:
        """Resolve a name, alias, CURIE or IRI to one entity.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> kg.entity("Kim Taehyung") == kg.entity("V") == kg.entity("id:v")
        True
        >>> kg.entity("교포머리").label
        'GYOPO HAIRSTYLE'
        >>> kg.entity("Tehyung")
        Traceback (most recent call last):
        ...
        collabgraph.errors.EntityNotFound: no entity named 'Tehyung'; did you mean: Taehyung (id:v)?

        :raises EntityNotFound: with close matches as suggestions.
        :raises AmbiguousEntity: if the name fits several entities equally well.
        """
        if isinstance(name, Entity):
            return name
        text = name.strip()
        iri = expand(text) if not text.startswith(("http://", "https://")) else text
        if iri and self._exists(iri):
            return self._describe(iri)
        key = search_key(text)
        hits = sorted({row["entity"].value for row in self.store.select(
            query_text("entity-by-key"), key=key)}) if key else []
        if len(hits) > 1:  # prefer entities whose main label (not an alias) is the name
            by_label = [h for h in hits if any(search_key(v) == key for v in self._describe(h).labels.values())]
            hits = by_label or hits
        if len(hits) == 1:
            return self._describe(hits[0])
        if hits:
            raise AmbiguousEntity(text, [str(self._describe(h)) for h in hits])
        raise EntityNotFound(text, self._suggest(key))

    def search(self, text: str, *, limit: int = 10) -> list[Entity]:
        """Entities whose names contain ``text`` (folded), best matches first.

        >>> [e.label for e in CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).search("park")]
        ['Park Seo-joon', 'Park Hyung-sik']
        """
        key = search_key(text)
        scored: dict[str, float] = {}
        for row in self.store.select("SELECT ?entity ?key WHERE { ?entity cg:searchKey ?key }"):
            k = row["key"].value
            if key and key in k:
                score = (2.0 if k == key else 1.0 if k.startswith(key) else 0.5) + len(key) / len(k)
                e = row["entity"].value
                scored[e] = max(scored.get(e, 0.0), score)
        ranked = sorted(scored, key=lambda e: (-scored[e], self._describe(e).label))
        return [self._describe(e) for e in ranked[:limit]]

    def _exists(self, iri: str) -> bool:
        return bool(self.store.query("ASK { ?e ?p ?o }", {"e": URIRef(iri)}))

    def _suggest(self, key: str, limit: int = 3) -> list[str]:
        """Close names, one (the closest) per entity."""
        if not key:
            return []
        names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in self.store.select(query_text("names")):
            names[search_key(row["name"].value)].append((row["name"].value, row["entity"].value))
        out: dict[str, str] = {}
        for k in difflib.get_close_matches(key, list(names), n=10, cutoff=0.6):
            for name, iri in sorted(names[k]):
                out.setdefault(iri, f"{name} ({curie(iri)})")
        return list(out.values())[:limit]

    def _describe(self, iri: str) -> Entity:
        cached = self._entities.get(iri)
        if cached is not None:
            return cached
        labels: dict[str, str] = {}
        aliases: list[str] = []
        types: list[str] = []
        wikidata: list[str] = []
        for row in self.store.select(query_text("describe"), entity=URIRef(iri)):
            p, o = row["p"].value, row["o"]
            if p == _RDFS_LABEL:
                labels.setdefault(getattr(o, "language", None) or "", o.value)
            elif p == _ALT_LABEL:
                aliases.append(o.value)
            elif p == _RDF_TYPE and o.value.startswith(_CG):
                types.append(curie(o.value))
            elif p == str(CG.wikidata):
                wikidata.append(o.value)
        label = labels.get("en") or labels.get("") or next(iter(labels.values()), None) or curie(iri)
        types = sorted(set(types), key=lambda t: (t in ("cg:Entity", "cg:Agent", "cg:Work"), t))
        entity = Entity(iri, label, labels, tuple(sorted(set(aliases))), tuple(types),
                        tuple(sorted(set(wikidata))))
        self._entities[iri] = entity
        return entity

    # -- credits, collaborators, claims ---------------------------------------------
    def credits(self, entity: "str | Entity") -> list[Credit]:
        """Every credit of an agent (its works) or of a work (its cast and crew).

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> [(c.work.label, c.role, c.date, c.debut) for c in kg.credits("V") if c.debut]
        [('Hwarang: The Poet Warrior Youth', 'actor', '2016', True)]
        """
        e = self.entity(entity)
        grouped: dict[str, dict[str, Any]] = {}
        for row in self.store.select(query_text("credits"), entity=URIRef(e.iri)):
            c = row["credit"].value
            rec = grouped.setdefault(c, {"row": row, "quotes": []})
            rec["quotes"].append(row["quote"].value)
        out = [self._credit(c, rec["row"], rec["quotes"]) for c, rec in grouped.items()]
        return sorted(out, key=lambda c: (_year_first(c.when), c.work.label, c.agent.label, c.role))

    def works(self, agent: "str | Entity") -> list[Credit]:
        """The credits of an agent, i.e. its works with role, character and date
        (same as :meth:`credits` for an agent)."""
        a = self.entity(agent)
        return [c for c in self.credits(a) if c.agent.iri == a.iri]

    def _credit(self, iri: str, row: ox.QuerySolution, quotes: list[str]) -> Credit:
        character = row["character"]
        return Credit(
            iri=iri, agent=self._describe(row["agent"].value), work=self._describe(row["work"].value),
            role=curie(row["role"].value).split(":", 1)[-1], quotes=tuple(sorted(set(quotes))),
            source=row["source"].value,
            character=self._describe(character.value) if character is not None else None,
            date=row["date"].value if row["date"] is not None else None,
            debut=bool(to_python(row["debut"])) if row["debut"] is not None else False,
            released=self._release_of(row["work"].value),
        )

    def release_date(self, work: "str | Entity") -> str | None:
        """The earliest release date claimed for a work (ISO text), if any."""
        return self._release_of(self.entity(work).iri)

    def _release_of(self, iri: str) -> str | None:
        if iri not in self._released:
            rows = self.store.select("SELECT ?w ?d WHERE { ?w cg:releaseDate ?d }", w=URIRef(iri))
            self._released[iri] = min((r["d"].value for r in rows), default=None)
        return self._released[iri]

    def collaborators(self, agent: "str | Entity") -> list[Collaborator]:
        """Agents credited on the same works as ``agent``, with those works,
        both sides' credits and their quotes; sorted by label.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> iu = [c for c in kg.collaborators("V") if c.agent.label == "IU"][0]
        >>> sorted(w.work.label for w in iu.works)[:2]
        ["IU's Palette", "IU's video of 24 January"]
        """
        a = self.entity(agent)
        return [Collaborator(self._describe(other), works)
                for other, works in sorted(self._shared_works(a).items(),
                                           key=lambda kv: self._describe(kv[0]).label)]

    def _shared_works(self, a: Entity, other: Entity | None = None) -> dict[str, tuple[SharedWork, ...]]:
        rows: dict[str, dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(dict))
        bound = {"agent": URIRef(a.iri)} if other is None else {"agent": URIRef(a.iri), "other": URIRef(other.iri)}
        for row in self.store.select(query_text("collaborators"), **bound):
            credit = rows[row["other"].value][row["work"].value].setdefault(row["credit"].value, [row, []])
            credit[1].append(row["quote"].value)
        out = {}
        for other, works in rows.items():
            shared = []
            for work, credits in works.items():
                cs = [self._credit_light(c, r, q) for c, (r, q) in credits.items()]
                shared.append(SharedWork(self._describe(work), tuple(sorted(cs, key=lambda c: (c.agent.label, c.role)))))
            out[other] = tuple(sorted(shared, key=self._work_order))
        return out

    def _credit_light(self, iri: str, row: ox.QuerySolution, quotes: list[str]) -> Credit:
        return Credit(iri=iri, agent=self._describe(row["creditAgent"].value),
                      work=self._describe(row["work"].value),
                      role=curie(row["role"].value).split(":", 1)[-1],
                      quotes=tuple(sorted(set(quotes))), source=row["source"].value)

    def _work_order(self, shared: SharedWork) -> tuple:
        return (_WORK_RANK.get(shared.work.type, len(_WORK_RANK)),
                _year_first(self._release_of(shared.work.iri)), shared.work.label)

    def claims(self, entity: "str | Entity") -> list[Claim]:
        """Claims and memberships about an entity, each with source and quotes.
        Conflicting claims come side by side.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> sorted((c.value, c.claimed_by.label) for c in kg.claims("IU")
        ...        if c.property == "cg:yearsInFrontOfCamera")
        [(15, 'IU'), (16, 'IU')]
        """
        e = self.entity(entity)
        grouped: dict[str, list] = {}
        for query, kind, prop in (("claims-about", "Claim", None), ("memberships-of-member", "Membership", "cg:memberOf"),
                                  ("memberships-of-group", "Membership", "cg:member")):
            for row in self.store.select(query_text(query), entity=URIRef(e.iri)):
                rec = grouped.setdefault(row["fact"].value, [row, [], kind, prop])
                rec[1].append(row["quote"].value)
        out = []
        for fact, (row, quotes, kind, prop) in grouped.items():
            value = row["value"]
            if isinstance(value, ox.NamedNode):
                shown = self._describe(value.value).label if self._is_entity(value.value) else \
                    self._concept_label(value.value)
                py = curie(value.value)
            else:
                py, shown = to_python(value), value.value
            by = row["claimedBy"] if kind == "Claim" else None
            out.append(Claim(fact, kind, prop or curie(row["property"].value),
                             py, shown, tuple(dict.fromkeys(quotes)), row["source"].value,
                             self._describe(by.value) if by is not None else None))
        return sorted(out, key=lambda c: (c.property, str(c.value), c.iri))

    def _is_entity(self, iri: str) -> bool:
        return bool(self.store.query("ASK { ?e a ?t . ?t rdfs:subClassOf* cg:Entity }", {"e": URIRef(iri)}))

    def _concept_label(self, iri: str) -> str:
        for row in self.store.select("SELECT ?c ?l WHERE { ?c skos:prefLabel|rdfs:label ?l }", c=URIRef(iri)):
            return row["l"].value
        return curie(iri)

    # -- paths --------------------------------------------------------------------
    def path(self, source: "str | Entity", target: "str | Entity") -> list[Hop]:
        """The shortest connection between two agents: through shared works
        (collaborations) and group memberships. Each hop carries its works, the
        roles on both sides and the quotes.

        Among equally short paths the one found by a breadth-first search that
        visits neighbours in IRI order is returned: the same answer whatever
        the cache or process, and the same the explorer page computes.

        :raises NoPath: if they are not connected.
        """
        a, b = self.entity(source), self.entity(target)
        g = self._connection_graph()
        if a.iri not in g or b.iri not in g:
            missing = a if a.iri not in g else b
            raise NoPath(f"{missing} has no collaborations or memberships in the graph")
        nodes = shortest_path(g, a.iri, b.iri)
        if nodes is None:
            raise NoPath(f"no connection between {a} and {b}")
        hops = []
        for x, y in zip(nodes, nodes[1:]):
            data = g.edges[x, y]
            src, dst = self._describe(x), self._describe(y)
            if data.get("kind") == "membership":
                hops.append(Hop(src, dst, "membership", membership_quotes=tuple(data["quotes"])))
            else:
                hops.append(Hop(src, dst, "collaboration", works=self._shared_works(src, dst)[dst.iri]))
        return hops

    def _connection_graph(self) -> nx.Graph:
        """Agents linked by collaborations and memberships: just the topology
        (plus membership quotes), cached in the build so ``path`` starts fast."""
        return self._cached("connection", self._build_connection_graph)

    def _build_connection_graph(self) -> nx.Graph:
        import networkx as nx
        g = nx.Graph()
        g.add_edges_from((row["a"].value, row["b"].value) for row in self.store.select(query_text("collaboration-pairs")))
        for row in self.store.select(query_text("memberships")):
            m, grp = row["member"].value, row["group"].value
            if not g.has_edge(m, grp):
                g.add_edge(m, grp, kind="membership", quotes=[])
            g.edges[m, grp].setdefault("quotes", []).append(row["quote"].value)
        return g

    # -- caching of projections ------------------------------------------------------
    def _cached(self, kind: str, builder) -> nx.Graph:
        """A projection from memory, else from ``cache_dir/<kind>.json``, else built
        (and saved there when the directory is writable). The cache lives inside
        the build directory, which every build replaces as a whole, so it can
        never describe another store."""
        if kind in self._projections:
            return self._projections[kind]
        path = self.cache_dir / f"{kind}.json" if self.cache_dir else None
        g = None
        if path is not None and path.is_file():
            try:
                g = _load_graph(path)
            except (ValueError, KeyError, IndexError, TypeError):
                g = None
        if g is None:
            g = builder()
            if path is not None:
                _save_graph(g, path)
        self._projections[kind] = g
        return g

    def save_cache(self, directory: Path, kinds: tuple[str, ...] = ("connection",)) -> None:
        """Write projections to ``directory``: by default the path graph,
        which reading commands need; any of "connection", "collaboration", "entity"."""
        builders = {"connection": self._build_connection_graph, "collaboration": self._collaboration_graph,
                    "entity": self._entity_graph}
        for kind in kinds:
            graph = self._projections.get(kind) or builders[kind]()
            _save_graph(graph, Path(directory) / f"{kind}.json")

    # -- SPARQL --------------------------------------------------------------------
    def sparql(self, query: str, *, bindings: dict[str, Any] | None = None) -> Result:
        """Run a SPARQL query on the union of all graphs; return an rdflib ``Result``.

        Values in ``bindings`` are bound to the variables of the same name
        (a ``str`` is a plain literal, an ``rdflib.URIRef`` an IRI) through a
        VALUES block (:func:`collabgraph.store.bind_values`). The project prefixes
        (``cg:``, ``id:``, ``role:`` ...) are predeclared.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> r = kg.sparql("SELECT ?name ?e WHERE { ?e rdfs:label ?name }",
        ...               bindings={"name": Literal("IU", lang="en")})
        >>> [str(row.e) for row in r]
        ['https://w3id.org/collabgraph/id/iu']

        :raises QuerySyntaxError: with line and column.
        """
        return to_rdflib_result(self.store.query(query, bindings))

    def saved(self, name: str, **params: str) -> Result:
        """Run a saved query (see :mod:`collabgraph.saved`) with its parameters
        given as text: entity names are resolved, roles and types checked.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> sorted({str(r.memberLabel) for r in kg.saved("members-of-group", group="방탄소년단")})
        ['V']
        """
        from .saved import bind_saved

        query, bindings = bind_saved(self, name, params)
        return self.sparql(query.text, bindings=bindings)

    def sparql_serialize(self, query: str, format: str, *, bindings: dict[str, Any] | None = None) -> bytes:
        """Run a query and serialise its results: SELECT/ASK as ``json`` (W3C SPARQL
        1.1 Results JSON), ``xml``, ``csv`` or ``tsv``; CONSTRUCT/DESCRIBE as an
        RDF format (``turtle``, ``ntriples``, ``jsonld``, ...)."""
        from .formats import RESULT_FORMATS
        from .namespaces import PREFIXES

        result = self.store.query(query, bindings)
        if isinstance(result, (ox.QueryTriples, list)):
            fmt = RDF_FORMATS.get(format) or RDF_FORMATS["turtle" if format in ("table", "json") else format]
            prefixes = {} if fmt.name in ("ntriples", "nquads") else {"prefixes": PREFIXES}
            return ox.serialize(result, format=fmt.ox, **prefixes)
        if format not in RESULT_FORMATS:
            raise CollabGraphError(f"results of SELECT/ASK can be {', '.join(RESULT_FORMATS)}, not {format!r}")
        return result.serialize(format=RESULT_FORMATS[format])

    # -- projections -----------------------------------------------------------------
    def to_networkx(self, kind: str = "collaboration") -> nx.Graph:
        """A NetworkX projection of the graph, built from SPARQL results.

        - ``"collaboration"``: ``nx.Graph`` of agents; an edge per pair that
          shares works, ``weight`` = number of shared works, ``works`` (IRIs),
          ``work_labels`` and ``quotes``.
        - ``"entity"``: ``nx.MultiDiGraph`` of every entity (``label``, ``type``);
          edges for credits (agent -> work, key = role), memberships and claims
          linking two entities (key = property).

        Node keys are IRIs; nodes carry ``label`` and ``type``.

        >>> g = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).to_networkx("collaboration")
        >>> g.edges["https://w3id.org/collabgraph/id/iu", "https://w3id.org/collabgraph/id/v"]["weight"]
        5
        """
        if kind not in ("collaboration", "entity"):
            raise CollabGraphError(f"unknown projection {kind!r}: use 'collaboration' or 'entity'")
        builder = self._collaboration_graph if kind == "collaboration" else self._entity_graph
        return self._cached(kind, builder).copy()

    def _names_and_types(self) -> dict[str, tuple[str, str]]:
        """``iri -> (label, type)`` for every entity, from one query (the
        projections need them for thousands of nodes at once); computed once."""
        if "_names" not in self.__dict__:
            self._names = self._query_names_and_types()
        return self._names

    def _query_names_and_types(self) -> dict[str, tuple[str, str]]:
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        types: dict[str, set[str]] = defaultdict(set)
        for row in self.store.select(query_text("entities")):
            e = row["entity"].value
            if row["type"].value.startswith(_CG):
                types[e].add(curie(row["type"].value))
            lab = row["label"]
            if lab is not None:
                labels[e].setdefault(getattr(lab, "language", None) or "", lab.value)
        out = {}
        for e, ts in types.items():
            ls = labels.get(e, {})
            label = ls.get("en") or ls.get("") or next(iter(ls.values()), None) or curie(e)
            main = sorted(ts, key=lambda t: (t in ("cg:Entity", "cg:Agent", "cg:Work"), t))
            out[e] = (label, main[0].split(":", 1)[-1] if main else "Entity")
        return out

    def _collaboration_graph(self) -> nx.Graph:
        import networkx as nx
        quotes: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in self.store.select(query_text("credit-quotes")):
            quotes[(row["agent"].value, row["work"].value)].append(row["quote"].value)
        works: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: {"works": set(), "quotes": set()})
        for row in self.store.select(query_text("collaboration-edges")):
            a, b, w = row["a"].value, row["b"].value, row["work"].value
            rec = works[(a, b)]
            rec["works"].add(w)
            rec["quotes"].update(quotes[(a, w)], quotes[(b, w)])
        names = self._names_and_types()
        g = nx.Graph()
        for (a, b) in sorted(works):
            for n in (a, b):
                if n not in g:
                    label, kind = names.get(n, (curie(n), "Entity"))
                    g.add_node(n, label=label, type=kind)
            rec = works[(a, b)]
            ws = sorted(rec["works"])
            g.add_edge(a, b, weight=len(ws), works=ws,
                       work_labels=[names.get(w, (curie(w),))[0] for w in ws], quotes=sorted(rec["quotes"]))
        return g

    def _entity_graph(self) -> nx.MultiDiGraph:
        import networkx as nx
        g = nx.MultiDiGraph()
        for iri, (label, kind) in sorted(self._names_and_types().items()):
            g.add_node(iri, label=label, type=kind)
        for row in self.store.select(query_text("entity-edges")):
            s, o = row["s"].value, row["o"].value
            key = curie(row["role"].value) if row["role"] is not None else curie(row["p"].value)
            if g.has_edge(s, o, key):
                g.edges[s, o, key]["quotes"].append(row["quote"].value)
                continue
            attrs: dict[str, Any] = {"relation": curie(row["p"].value), "quotes": [row["quote"].value]}
            if row["role"] is not None:
                attrs["role"] = key.split(":", 1)[-1]
            if row["character"] is not None:
                attrs["character"] = row["character"].value
            if row["date"] is not None:
                attrs["date"] = row["date"].value
            g.add_edge(s, o, key=key, **attrs)
        for *_, attrs in g.edges(data=True):  # the same order whichever store answered
            attrs["quotes"].sort()
        return g

    # -- export -----------------------------------------------------------------------
    def export(self, output: "str | Path | IO[bytes]", format: str = "trig", *,
               projection: str = "entity", include_inferred: bool = True) -> None:
        """Write the graph: RDF (``turtle``, ``trig``, ``ntriples``, ``nquads``,
        ``jsonld``, ``rdfxml``) or a NetworkX projection (``graphml``, ``gexf``).

        Dataset formats keep the named graphs; triple formats get the union.
        Without the inferred triples, dataset formats are written as N-Triples.
        """
        import networkx as nx

        if format in GRAPH_FORMATS:
            g = _flatten(self.to_networkx(projection))
            writer = nx.write_graphml if format == "graphml" else nx.write_gexf
            writer(g, output)
            return
        if format not in RDF_FORMATS:
            raise CollabGraphError(f"unknown export format {format!r}: use one of "
                                   f"{', '.join([*RDF_FORMATS, *GRAPH_FORMATS])}")
        if include_inferred:
            self.store.dump(output, format)
            return
        # Without the inferred graph: the union of every other graph, as triples.
        others = [g for g in self.store.graphs() if g != str(INFERRED_GRAPH)]
        triples = self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", graphs=others)
        fmt = RDF_FORMATS[format]
        data = ox.serialize(triples, format=(RDF_FORMATS["ntriples"] if fmt.datasets else fmt).ox)
        if isinstance(output, (str, Path)):
            Path(output).write_bytes(data)
        else:
            output.write(data)

    def explore(self, *, focus: "str | Entity | None" = None, depth: int = 2, max_nodes: int = 1500,
                title: str | None = None):
        """The explorer page (an :class:`~collabgraph.explore.ExplorerPage`) for
        the whole graph, or for the ``depth``-hop neighbourhood of ``focus``.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> kg.explore(focus="IU", depth=2).write(tmp / "iu.html").name
        'iu.html'
        """
        from .explore import explore

        name = focus.iri if isinstance(focus, Entity) else focus
        return explore(self, focus=name, depth=depth, max_nodes=max_nodes, title=title)

    def rdflib_graph(self) -> Graph:
        """The whole dataset as an in-memory rdflib ``Graph`` (union of all
        graphs), for code that wants rdflib's API. Copies every triple: use
        :meth:`sparql` on large graphs."""
        data = ox.serialize(self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
                            format=ox.RdfFormat.N_TRIPLES)
        return Graph().parse(data=data, format="nt")

    # -- summary -----------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts: entities by type, facts by kind, triples per graph, sources.

        >>> s = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).summary()
        >>> s["entities"]["Person"], s["facts"]["Credit"]
        (5, 23)
        """
        entities: dict[str, int] = defaultdict(int)
        for row in self.store.select("""
            SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
              ?e a ?type . ?type rdfs:subClassOf* cg:Entity .
              FILTER NOT EXISTS { ?e a ?sub . ?sub rdfs:subClassOf+ ?type . FILTER(?sub != ?type) }
            } GROUP BY ?type"""):
            entities[curie(row["type"].value).split(":", 1)[-1]] += int(row["n"].value)
        facts = {curie(r["t"].value).split(":", 1)[-1]: int(r["n"].value) for r in self.store.select(
            "SELECT ?t (COUNT(?f) AS ?n) WHERE { ?f a ?t . ?t rdfs:subClassOf cg:Fact } GROUP BY ?t")}
        collabs = int(next(self.store.select(
            "SELECT (COUNT(?c) AS ?n) WHERE { ?c a cg:Collaboration }"))["n"].value)
        sources = []
        for row in self.store.select("""
            SELECT ?s ?label (COUNT(?f) AS ?facts) WHERE {
              ?s a cg:SourceDocument ; rdfs:label ?label . OPTIONAL { ?f cg:source ?s }
            } GROUP BY ?s ?label ORDER BY ?s"""):
            sources.append({"id": curie(row["s"].value), "label": row["label"].value,
                            "facts": int(row["facts"].value)})
        graphs = {g: self.store.count(g) for g in self.store.graphs()}
        files = {s["graph"]: s["file"] for s in self.manifest.get("sources", [])}
        return {
            "triples": sum(graphs.values()),
            "entities": dict(sorted(entities.items())),
            "facts": dict(sorted(facts.items())),
            "collaborations": collabs,
            "sources": sources,
            "graphs": {files.get(g, curie(g) if not g.startswith(str(GRAPH)) else
                       "graph:" + g[len(str(GRAPH)):]): n for g, n in graphs.items()},
        }


# -- helpers ---------------------------------------------------------------------------

def to_rdflib_result(res: Any) -> Result:
    """A pyoxigraph query result as an rdflib ``Result`` (SELECT, ASK or CONSTRUCT)."""
    if isinstance(res, ox.QueryBoolean):
        r = Result("ASK")
        r.askAnswer = bool(res)
        return r
    if isinstance(res, (ox.QueryTriples, list)):  # a list: CONSTRUCT results from a remote endpoint
        r = Result("CONSTRUCT")
        g = Graph()
        for t in res:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        r.graph = g
        return r
    from rdflib import Variable

    r = Result("SELECT")
    names = [v.value for v in res.variables]
    r.vars = [Variable(n) for n in names]
    r.bindings = [
        {Variable(n): to_rdflib(sol[n]) for n in names if sol[n] is not None} for sol in res
    ]
    return r


def shortest_path(g: "nx.Graph", source: str, target: str) -> list[str] | None:
    """Breadth-first search visiting neighbours in sorted order; ``None`` if
    there is no path. (``static/explorer.js`` has the same function.)

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
                    path = [nb]
                    while parent[path[-1]] is not None:
                        path.append(parent[path[-1]])
                    return path[::-1]
                following.append(nb)
        frontier = following
    return None


def _save_graph(g: nx.Graph, path: Path) -> None:
    """Save a projection next to the store as compact JSON: node IRIs once,
    edges as index pairs, attributes only where present. JSON rather than
    pickle so that opening a build never runs code; a read-only build
    directory just means no cache."""
    index = {n: i for i, n in enumerate(g.nodes)}
    data = {
        "multigraph": g.is_multigraph(), "directed": g.is_directed(),
        "nodes": [[n, attrs] if attrs else [n] for n, attrs in g.nodes(data=True)],
        "edges": [[index[u], index[v], *([k] if g.is_multigraph() else []), *([a] if a else [])]
                  for u, v, *rest in (g.edges(keys=True, data=True) if g.is_multigraph() else g.edges(data=True))
                  for k, a in [(rest[0], rest[1]) if g.is_multigraph() else (None, rest[0])]],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def _load_graph(path: Path) -> nx.Graph:
    import networkx as nx
    data = json.loads(path.read_text("utf-8"))
    g: nx.Graph = (nx.MultiDiGraph() if data["directed"] else nx.MultiGraph()) if data["multigraph"] \
        else (nx.DiGraph() if data["directed"] else nx.Graph())
    nodes = [n[0] for n in data["nodes"]]
    g.add_nodes_from((n[0], n[1]) if len(n) > 1 else (n[0], {}) for n in data["nodes"])
    if data["multigraph"]:
        for e in data["edges"]:
            g.add_edge(nodes[e[0]], nodes[e[1]], key=e[2], **(e[3] if len(e) > 3 else {}))
    else:
        g.add_edges_from((nodes[e[0]], nodes[e[1]], e[2] if len(e) > 2 else {}) for e in data["edges"])
    return g


def _flatten(g: nx.Graph) -> nx.Graph:
    """A copy whose attributes are scalars (GraphML/GEXF cannot hold lists)."""
    import networkx as nx

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

