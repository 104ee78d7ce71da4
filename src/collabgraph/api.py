"""The library API: one facade, :class:`CollabGraph`, over a built store.

The facade opens or builds a store and delegates every question to the view
modules of :mod:`collabgraph.views`, which sit below it; nothing below
imports it.

>>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
>>> kg.entity("taehyung").label
'V'
>>> [(h.source.label, h.target.label) for h in kg.path("IU", "Park Seo-joon")]
[('IU', 'V'), ('V', 'Park Seo-joon')]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, overload
from typing import Literal as TLiteral

import pyoxigraph as ox

from .core.errors import BuildNotFound, CollabGraphError, QueryError
from .core.formats import GRAPH_FORMATS, RDF_FORMATS, serialized
from .core.layout import CACHE_DIR, MANIFEST, STORE_DIR
from .store.generations import current_build
from .core.namespaces import GRAPH_IRI
from .store.local import Store, StoreLike, on_big_stack
from .views import analytics, entities, facts, paths, projections, vocabulary
from .views.analytics import Bridges, Community, Ranked, Suggestion, Timeline, YearCount
from .views.reader import Reader
from .views.records import Claim, Collaborator, Credit, Entity, Hop, SharedWork
from .views.vocabulary import UnknownTerm

if TYPE_CHECKING:  # networkx, rdflib and the build are imported where needed: lookups start faster
    import networkx as nx
    from rdflib import Graph
    from rdflib.query import Result

    from .views.explore import ExplorerPage


__all__ = ["CollabGraph", "Entity", "Credit", "Collaborator", "SharedWork", "Hop", "Claim", "Ranked", "Community",
           "Bridges", "Suggestion", "Timeline", "YearCount"]


class CollabGraph:
    """A collaboration knowledge graph: open a build, or load sources in memory.

    Every method that takes an entity accepts an :class:`Entity`, a name or
    alias in any case, spacing or hyphenation (``"taehyung"``, ``"Park Seojoon"``,
    ``"교포머리"``), a CURIE (``"id:v"``) or a full IRI.
    """

    def __init__(self, store: StoreLike, *, manifest: dict[str, Any] | None = None,
                 cache_dir: Path | None = None):
        self.manifest = manifest or {}
        #: The read side's handle (see :mod:`collabgraph.views`): store, caches, memos.
        self.reader = Reader(store, cache_dir=cache_dir)
        #: The build directory this graph was opened from: the generation that was
        #: current then (``build/gen-<n>``), which stays the same while it is open.
        self.build_dir: Path | None = None
        self._pin: Any = None

    @property
    def store(self) -> StoreLike:
        return self.reader.store

    # -- opening ------------------------------------------------------------------
    @classmethod
    def open(cls, build_dir: str | Path = "build", *, memory: bool = False) -> "CollabGraph":
        """Open a build made by :func:`collabgraph.build` (read-only).

        The build that is current when it opens is the one it answers from
        until it is closed, whatever builds run meanwhile: it is pinned (see
        :mod:`collabgraph.store.generations`) so that no build removes it.

        With ``memory``, the whole graph is loaded into an in-memory store from
        the build's snapshot (see :mod:`collabgraph.store.snapshot`): that takes
        seconds and about 1 GB of memory per million triples, then heavy
        queries and aggregates run several times faster. The answers are the same.

        :raises BuildNotFound: if ``build_dir`` holds no build.
        """
        from .store.generations import pin

        build_dir = Path(build_dir)
        for attempt in range(5):  # a build switching meanwhile: take the new one
            here = current_build(build_dir)
            pinned = pin(here)
            try:
                return cls._open_generation(here, pinned, build_dir, memory)
            except (BuildNotFound, OSError):
                pinned.close()
                if attempt == 4 or current_build(build_dir) == here:
                    raise
        raise AssertionError("unreachable")

    @classmethod
    def _open_generation(cls, here: Path, pinned: Any, shown: Path, memory: bool) -> "CollabGraph":
        if not (here / MANIFEST).is_file():
            raise BuildNotFound(f"{shown}: no build here; run 'collabgraph build' first, "
                                "or name a build with --build DIR (or COLLABGRAPH_BUILD)")
        manifest = json.loads((here / MANIFEST).read_text("utf-8"))
        if manifest.get("endpoint"):  # built into a SPARQL server: the build directory has no store
            if memory:
                raise CollabGraphError(f"{shown}: the graph was built into {manifest['endpoint']}; "
                                       "only a local build can be opened in memory")
            from .store.remote import RemoteStore

            remote = RemoteStore(manifest["endpoint"], manifest.get("update_endpoint"))
            kg = cls(remote, manifest=manifest, cache_dir=here / CACHE_DIR)
        else:
            store: Store | None = None
            if memory:
                from .store.snapshot import has_snapshot, load_snapshot

                if has_snapshot(here):  # the on-disk store is not even opened
                    store = load_snapshot(here)
            if store is None:
                if not (here / STORE_DIR).is_dir():
                    raise BuildNotFound(f"{shown}: the build has no store; run 'collabgraph build' again")
                store = Store.open(here / STORE_DIR, read_only=True)
                if memory:  # no snapshot: copy the on-disk store (slower), and write one for next time
                    from .store.snapshot import write_snapshot_lazily

                    disk, store = store, store.in_memory()
                    disk.close()
                    write_snapshot_lazily(store, here)
            kg = cls(store, manifest=manifest, cache_dir=here / CACHE_DIR)
        kg.build_dir, kg._pin = here, pinned
        return kg

    @classmethod
    def connect(cls, endpoint: str, update_endpoint: str | None = None, *,
                build_dir: str | Path | None = None) -> "CollabGraph":
        """Use a graph loaded into a SPARQL server (see :mod:`collabgraph.store.remote`)
        instead of a local build.

        ``build_dir``: the directory of the ``build --endpoint`` that loaded
        the graph. When its current build names this endpoint, its manifest,
        name index and caches are used, as :meth:`open` does: ``search`` and
        name lookups read the index instead of fetching every name from the
        server. A directory with no build, or a build of another endpoint or a
        local one, is ignored."""
        from .store.remote import RemoteStore

        store = RemoteStore(endpoint, update_endpoint)
        if build_dir is not None and _built_into(Path(build_dir), store.endpoint):
            try:
                kg = cls.open(build_dir)
            except CollabGraphError:
                kg = None
            if kg is not None:
                if kg.manifest.get("endpoint") == store.endpoint:  # still so once opened (pinned)
                    kg.reader.store = store  # the caller's endpoints and credentials
                    return kg
                kg.close()
        return cls(store, manifest={"endpoint": store.endpoint})

    @classmethod
    def load(cls, graph_dir: str | Path = "graph", ontology_dir: str | Path | None = None, *,
             allow_outside: bool = False) -> "CollabGraph":
        """Load, validate and infer the sources into an in-memory store
        (``ontology_dir`` defaults to the ontology installed with the package).
        Files outside ``graph_dir`` are refused unless ``allow_outside``, as in
        :func:`collabgraph.build`.

        :raises SourceSyntaxError, ValidationError: as :func:`collabgraph.build`.
        """
        from .build.pipeline import compile_into, default_ontology

        store = Store.memory()
        loaded, inferred = compile_into(store, graph_dir, ontology_dir, allow_outside=allow_outside)
        manifest = {"graph_dir": str(graph_dir), "ontology_dir": str(ontology_dir or default_ontology()),
                    "sources": [s.__dict__ for s in loaded], "inferred": inferred,
                    "triples": store.count()}
        return cls(store, manifest=manifest)

    def close(self) -> None:
        self.store.close()
        if self._pin is not None:
            self._pin.close()

    def __enter__(self) -> "CollabGraph":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- entities -----------------------------------------------------------------
    def entity(self, name: "str | Entity", *, want: str | None = None) -> Entity:
        """Resolve a name, alias, CURIE or IRI to one entity. ``want``:
        ``"agent"`` or ``"work"``, to suggest only entities of that kind when
        nothing has the name (a name found is returned whatever its kind).

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> kg.entity("Kim Taehyung") == kg.entity("V") == kg.entity("id:v")
        True
        >>> kg.entity("교포머리").label
        'GYOPO HAIRSTYLE'
        >>> kg.entity("Tehyung")
        Traceback (most recent call last):
        ...
        collabgraph.core.errors.EntityNotFound: no entity named 'Tehyung'; did you mean: Taehyung (id:v)?
        >>> kg.entity("Seo-joon", want="agent")
        Traceback (most recent call last):
        ...
        collabgraph.core.errors.EntityNotFound: no entity named 'Seo-joon'; did you mean: Park Seo-joon (id:park-seo-joon)?

        :raises EntityNotFound: with close matches as suggestions.
        :raises AmbiguousEntity: if the name fits several entities equally well.
        """
        return entities.resolve(self.reader, name, want=want)

    def kind(self, entity: "str | Entity") -> str:
        """``"agent"``, ``"work"`` or ``"other"`` (a character, a role ...): what the
        entity is, by the ontology's class tree (a new subclass of ``cg:Work`` is a work).

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> kg.kind("V"), kg.kind("Love wins all"), kg.kind("Tae-joon")
        ('agent', 'work', 'other')

        :raises EntityNotFound: if no entity has that name.
        """
        return entities.kind(self.reader, self.entity(entity))

    def literal_forms(self, text: str) -> list[str]:
        """The forms in which the data holds the plain string ``text`` with a
        language tag or a datatype, as a query writes them (at most three): what
        to bind when a plain string found nothing.

        >>> CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).literal_forms("교포머리")
        ['"교포머리"@ko']
        """
        return vocabulary.literal_forms(self.reader, text)

    def unknown_terms(self, query: str) -> list[UnknownTerm]:
        """The vocabulary terms ``query`` names that the graph holds nowhere, each
        with the closest terms the ontology has (see :mod:`collabgraph.views.vocabulary`)."""
        return vocabulary.unknown_terms(self.reader, query)

    def search(self, text: str, *, limit: int = 10) -> list[Entity]:
        """Entities whose names contain ``text`` (folded), best matches first.

        >>> [e.label for e in CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).search("park")]
        ['Park Seo-joon', 'Park Hyung-sik']
        """
        return entities.search(self.reader, text, limit=limit)

    # -- credits, collaborators, claims ---------------------------------------------
    def credits(self, entity: "str | Entity") -> list[Credit]:
        """Every credit of an agent (its works) or of a work (its cast and crew).

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> [(c.work.label, c.role, c.date, c.debut) for c in kg.credits("V") if c.debut]
        [('Hwarang: The Poet Warrior Youth', 'actor', '2016', True)]
        """
        return facts.credits(self.reader, self.entity(entity))

    def works(self, agent: "str | Entity") -> list[Credit]:
        """The credits of an agent, i.e. its works with role, character and date
        (same as :meth:`credits` for an agent)."""
        return facts.works(self.reader, self.entity(agent))

    def release_date(self, work: "str | Entity") -> str | None:
        """The earliest release date claimed for a work (ISO text), if any."""
        return entities.release_of(self.reader, self.entity(work).iri)

    def collaborators(self, agent: "str | Entity") -> list[Collaborator]:
        """Agents credited on the same works as ``agent``, with those works,
        both sides' credits and their quotes; sorted by label.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> [c.agent.label for c in kg.collaborators("V")][:3]
        ['Choi Woo-shik', 'IU', 'Park Hyung-sik']
        """
        return facts.collaborators(self.reader, self.entity(agent))

    def claims(self, entity: "str | Entity") -> list[Claim]:
        """Claims and memberships about an entity, each with source and quotes.
        Conflicting claims come side by side, each with who made it.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> sorted((c.value, c.claimed_by.label) for c in kg.claims("IU")
        ...        if c.property == "cg:yearsInFrontOfCamera")
        [(15, 'IU'), (16, 'IU')]
        """
        return facts.claims(self.reader, self.entity(entity))

    # -- paths --------------------------------------------------------------------
    def path(self, source: "str | Entity", target: "str | Entity") -> list[Hop]:
        """The shortest connection between two different agents: through shared
        works (collaborations) and group memberships. Each hop carries its
        works, the roles on both sides and the quotes. See
        :func:`collabgraph.views.paths.path` for how ties are broken.

        :raises SameEntity: if both names are one entity (``"V"``, ``"taehyung"``).
        :raises NoPath: if they are not connected.
        """
        return paths.path(self.reader, self.entity(source), self.entity(target))

    # -- SPARQL --------------------------------------------------------------------
    @overload
    def sparql(self, query: str, *, bindings: dict[str, Any] | None = None,
               terms: TLiteral["rdflib"] = "rdflib") -> Result: ...

    @overload
    def sparql(self, query: str, *, bindings: dict[str, Any] | None = None,
               terms: TLiteral["oxigraph"]) -> "ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples": ...

    def sparql(self, query: str, *, bindings: dict[str, Any] | None = None, terms: str = "rdflib"):
        """Run a SPARQL query on the union of all graphs.

        Every term comes back exactly as the engine gives it: lexical form,
        datatype and language (``"INF"^^xsd:double`` stays ``INF``, a ``Z``
        stays ``Z``, ``1050`` stays ``1050``).

        - ``terms="rdflib"`` (the default): an rdflib ``Result`` (iterate rows,
          ``row.name``, ``result.vars``, ``result.graph`` for CONSTRUCT), its
          literals made with ``normalize=False``; ``.toPython()`` still gives
          Python values.
        - ``terms="oxigraph"``: the engine's own result, unconverted and lazy
          (pyoxigraph ``QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``;
          a list of triples from a remote endpoint). It is the only form that
          holds RDF 1.2 triple terms and directional literals, and the cheaper one.

        Values in ``bindings`` are bound to the variables of the same name
        (a ``str`` is a plain literal, an ``rdflib.URIRef`` an IRI) through a
        VALUES block (:func:`collabgraph.store.local.bind_values`). The project prefixes
        (``cg:``, ``id:``, ``role:`` ...) are predeclared.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> r = kg.sparql("SELECT ?name ?e WHERE { ?e rdfs:label ?name }",
        ...               bindings={"name": Literal("IU", lang="en")})
        >>> [str(row.e) for row in r]
        ['https://w3id.org/collabgraph/id/iu']
        >>> [sol["e"].value for sol in kg.sparql("SELECT ?e WHERE { ?e rdfs:label 'V'@en }", terms="oxigraph")]
        ['https://w3id.org/collabgraph/id/v']

        The query's shape is checked first (:func:`collabgraph.store.local.check_shape`), and an rdflib
        result is read on a thread with a large stack (:func:`collabgraph.store.local.on_big_stack`):
        no query text can crash the calling process. With ``terms="oxigraph"`` the caller reads
        the engine's lazy result on its own thread (pyoxigraph's objects may not leave the
        thread that made them), guarded by the shape check alone.

        :raises QuerySyntaxError: with line and column.
        :raises QueryTooComplex: for a query the engine could not run without crashing.
        :raises OutgoingRefused: for a SERVICE the store does not allow (``store.allow_service``).
        :raises QueryError: when an rdflib result would need a term rdflib has
            not (a triple term), or ``terms`` is neither value.
        """
        if terms not in ("rdflib", "oxigraph"):
            raise QueryError(f"terms={terms!r}: use 'rdflib' or 'oxigraph'")
        if terms == "oxigraph":
            # The engine's lazy result is read by the caller, and pyoxigraph's objects may not
            # leave the thread that made them: it runs here, guarded by Store.query's shape check.
            return self.store.query(query, bindings)
        from .views import results  # rdflib: imported when a query asks for it

        return on_big_stack(lambda: results.to_rdflib_result(self.store.query(query, bindings)))

    def saved(self, name: str, **params: str) -> Result:
        """Run a saved query (see :mod:`collabgraph.views.saved`) with its parameters
        given as text: entity names are resolved, roles and types checked.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> sorted({str(r.memberLabel) for r in kg.saved("members-of-group", group="방탄소년단")})
        ['V']
        """
        from .views.saved import bind_saved

        query, bindings = bind_saved(self.reader, name, params)
        return self.sparql(query.text, bindings=bindings)

    def sparql_serialize(self, query: str, format: str, *, bindings: dict[str, Any] | None = None) -> bytes:
        """Run a query and serialise its results, each term as the engine gives it:
        SELECT/ASK as ``json`` (W3C SPARQL 1.1 Results JSON), ``xml``, ``csv`` or
        ``tsv``; CONSTRUCT/DESCRIBE as an RDF format (``turtle``, ``ntriples``,
        ``jsonld`` or ``json``, ``rdfxml`` or ``xml``) or as ``csv``/``tsv`` rows
        (subject, predicate, object). See :func:`collabgraph.views.results.serialize`."""
        from .views import results

        return on_big_stack(lambda: results.serialize(self.store.query(query, bindings), format))

    # -- projections -----------------------------------------------------------------
    def to_networkx(self, kind: str = "collaboration") -> "nx.Graph":
        """A NetworkX projection of the graph (a copy: change it freely), built
        from SPARQL results; see :mod:`collabgraph.views.projections`.

        Node keys are IRIs; nodes carry ``label`` and ``type``.

        >>> g = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).to_networkx("collaboration")
        >>> g.edges["https://w3id.org/collabgraph/id/iu", "https://w3id.org/collabgraph/id/v"]["weight"] >= 4
        True
        """
        return projections.projection(self.reader, kind).copy()

    # -- analytics -------------------------------------------------------------------
    def rank(self, measure: str = "pagerank", *, limit: int | None = None, k: int | None = None,
             seed: int = 0, exact: bool = False) -> list[Ranked]:
        """Agents by centrality in the collaboration graph, highest first, each
        with the works behind its score (see :mod:`collabgraph.views.analytics`).

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> [(r.label, r.collaborators) for r in kg.rank("degree", limit=1)]
        [('V', 5)]

        :param measure: ``pagerank`` (weighted by shared works), ``degree`` or ``betweenness``.
        :param k: betweenness: sample this many sources (default: exact up to
            4,000 agents, else 1,000); ``seed`` seeds the sample; ``exact``
            uses every agent whatever the size. ``Ranked.sources`` says how many were sampled.
        :raises CollabGraphError: for an unknown measure.
        """
        return analytics.rank(self._collaboration(), measure, limit=limit, k=k, seed=seed, exact=exact)

    def communities(self, *, seed: int = 0, resolution: float = 1.0, limit: int | None = None) -> list[Community]:
        """Collaboration circles (Louvain, seeded: the same build and seed give
        the same circles), largest first, with members, central people and the
        works that bind them.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> [sorted(m.label for m in c.members) for c in kg.communities()][-1]
        ['IU', 'V']
        """
        return analytics.communities(self._collaboration(), seed=seed, resolution=resolution, limit=limit)

    def bridges(self, left: "str | Entity | int", right: "str | Entity | int", *, limit: int | None = 10,
                k: int | None = None, seed: int = 0, resolution: float = 1.0) -> Bridges:
        """Who connects two agents, or two communities (given by number, as
        :meth:`communities` numbers them with the same ``seed`` and
        ``resolution``): brokers on the shortest connections, with the works
        towards each side, and direct collaborations across.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> [b.label for b in kg.bridges("IU", "Park Seo-joon").brokers]
        ['V']

        :raises CollabGraphError: if a side has no collaborations, a community
            number does not exist, or the sides overlap.
        """
        g = self._collaboration()
        parts: list[set[str]] | None = None

        def side(x: "str | Entity | int") -> list[str]:
            nonlocal parts
            if isinstance(x, int):
                parts = parts if parts is not None else analytics.partition(g, seed=seed, resolution=resolution)
                if not 1 <= x <= len(parts):
                    raise CollabGraphError(f"no community {x}: there are {len(parts)} (see 'collabgraph communities')")
                return sorted(parts[x - 1])
            return [self._agent_in(g, x)]

        return analytics.brokers(g, side(left), side(right), limit=limit, k=k, seed=seed)

    def suggest(self, agent: "str | Entity", *, method: str = "adamic-adar", limit: int | None = 10) -> list[Suggestion]:
        """Likely future collaborators of ``agent``: agents it has not worked
        with but shares collaborators with, each with those collaborators.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> sorted({v.label for s in kg.suggest("IU") for v in s.via})
        ['V']

        :param method: ``adamic-adar`` (a shared collaborator of few counts more) or ``common-neighbours``.
        """
        g = self._collaboration()
        return analytics.suggest(g, self._agent_in(g, agent), method=method, limit=limit)

    def timeline(self, agent: "str | Entity") -> Timeline:
        """An agent's credits by year (a credit's date, else its work's
        release); credits without a year listed apart.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> [(y.year, len(y.credits)) for y in kg.timeline("V").years]
        [(2016, 1), (2024, 3)]
        """
        return analytics.timeline(self.reader, self.entity(agent))

    def yearly(self) -> list[YearCount]:
        """Collaborations (pairs of agents on a work) per year in the whole
        graph, by the work's year; those on undated works last (year ``None``)."""
        return analytics.yearly(self.reader, self._collaboration())

    def analytics_status(self) -> dict[str, Any]:
        """Whether the build holds current analytics (``collabgraph analytics --write``):
        ``status`` (``"current"``, ``"stale"`` or ``"missing"``), the build's ``build_id``
        and the ``run`` its analytics graph holds (``build_id``, ``parameters``,
        ``computed_at``; ``None`` if none).

        >>> CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).analytics_status()["status"]
        'missing'
        """
        from .build.writeback import build_id, current_run  # rdflib: only for this question

        run, bid = current_run(self.store), build_id(self.manifest)
        status = "missing" if run is None else ("current" if run["build_id"] == bid else "stale")
        return {"status": status, "build_id": bid, "run": run}

    def _collaboration(self) -> "nx.Graph":
        return projections.analytics_projection(self.reader)

    def _agent_in(self, g: "nx.Graph", name: "str | Entity") -> str:
        e = self.entity(name)
        if e.iri not in g:
            raise CollabGraphError(f"{e} has no collaborations in the graph")
        return e.iri

    # -- export -----------------------------------------------------------------------
    def export(self, output: "str | Path | IO[bytes]", format: str = "trig", *,
               projection: str = "entity", include_inferred: bool = True) -> None:
        """Write the graph: RDF (``turtle``, ``trig``, ``ntriples``, ``nquads``,
        ``jsonld``, ``rdfxml``) or a NetworkX projection (``graphml``, ``gexf``).

        Dataset formats keep the named graphs; triple formats get the union.
        Without the inferred triples, dataset formats are written as N-Triples.

        :raises WriteFailed: if ``output`` is a path whose directory does not exist.
        """
        import networkx as nx

        from .core.durable import output_file

        if isinstance(output, (str, Path)):
            output = output_file(output)
        if format in GRAPH_FORMATS:
            g = projections.flatten(projections.projection(self.reader, projection))
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
        others = [g for g in self.store.graphs() if g != GRAPH_IRI + "inferred"]
        # DISTINCT: Oxigraph's default graph of several graphs repeats a triple each graph states.
        triples = self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                                   graphs=others)
        fmt = RDF_FORMATS[format]
        data = serialized(triples, (RDF_FORMATS["ntriples"] if fmt.datasets else fmt).ox)
        if isinstance(output, (str, Path)):
            Path(output).write_bytes(data)
        else:
            output.write(data)

    def explore(self, *, focus: "str | Entity | None" = None, depth: int = 2, max_nodes: int = 1500,
                title: str | None = None, overview: bool | None = None) -> "ExplorerPage":
        """The explorer page (an :class:`~collabgraph.views.explore.ExplorerPage`) for
        the whole graph, or for the ``depth``-hop neighbourhood of ``focus``.
        ``max_nodes`` caps every node drawn, "+N more" nodes included; big
        views open on an overview of their communities (``overview`` forces it
        on or off).

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> kg.explore(focus="IU", depth=2).write(tmp / "iu.html").name
        'iu.html'
        """
        from .views.explore import explore

        return explore(self.reader, focus=focus, depth=depth, max_nodes=max_nodes, title=title, overview=overview)

    def rdflib_graph(self) -> Graph:
        """The whole dataset as an in-memory rdflib ``Graph`` (union of all
        graphs), for code that wants rdflib's API. Copies every triple: use
        :meth:`sparql` on large graphs."""
        data = ox.serialize(self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", graphs=self.store.graphs()),
                            format=ox.RdfFormat.N_TRIPLES)
        from rdflib import Graph

        return Graph().parse(data=data, format="nt")

    # -- summary -----------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts: entities by type, distinct entities (``entity_count``: one of
        two unrelated types counts under both types, once here), facts by kind,
        triples per graph, sources.

        >>> s = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).summary()
        >>> sorted(s)
        ['collaborations', 'entities', 'entity_count', 'facts', 'graphs', 'sources', 'triples']
        """
        from .views.summary import summary

        return summary(self.reader, self.manifest)


def _built_into(build_dir: Path, endpoint: str | None) -> bool:
    """Whether the build current in ``build_dir`` loaded its graph into ``endpoint``."""
    try:
        manifest = json.loads((current_build(build_dir) / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("endpoint") == endpoint
