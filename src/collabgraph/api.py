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

from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.query import Result

from .build import CACHE_DIR, MANIFEST, STORE_DIR, compile_into, default_ontology, load_manifest
from .errors import BuildNotFound, CollabGraphError
from .formats import GRAPH_FORMATS, RDF_FORMATS
from .namespaces import INFERRED_GRAPH
from .store import Store
from .views import entities, facts, paths, projections, results
from .views.reader import Reader
from .views.records import Claim, Collaborator, Credit, Entity, Hop, SharedWork
from .views.summary import summary as _summary

if TYPE_CHECKING:  # networkx is imported where projections are made: lookups start faster
    import networkx as nx

    from .explore import ExplorerPage

__all__ = ["CollabGraph", "Entity", "Credit", "Collaborator", "SharedWork", "Hop", "Claim"]


class CollabGraph:
    """A collaboration knowledge graph: open a build, or load sources in memory.

    Every method that takes an entity accepts an :class:`Entity`, a name or
    alias in any case, spacing or hyphenation (``"taehyung"``, ``"Park Seojoon"``,
    ``"교포머리"``), a CURIE (``"id:v"``) or a full IRI.
    """

    def __init__(self, store: Store, *, manifest: dict[str, Any] | None = None,
                 cache_dir: Path | None = None):
        self.manifest = manifest or {}
        #: The read side's handle (see :mod:`collabgraph.views`): store, caches, memos.
        self.reader = Reader(store, cache_dir=cache_dir)

    @property
    def store(self) -> Store:
        return self.reader.store

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

        store = RemoteStore(endpoint, update_endpoint)
        return cls(store, manifest={"endpoint": store.endpoint})

    @classmethod
    def load(cls, graph_dir: str | Path = "graph", ontology_dir: str | Path | None = None) -> "CollabGraph":
        """Load, validate and infer the sources into an in-memory store
        (``ontology_dir`` defaults to the ontology installed with the package).

        :raises SourceSyntaxError, ValidationError: as :func:`collabgraph.build`.
        """
        store = Store.memory()
        loaded, inferred = compile_into(store, graph_dir, ontology_dir)
        manifest = {"graph_dir": str(graph_dir), "ontology_dir": str(ontology_dir or default_ontology()),
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
        return entities.resolve(self.reader, name)

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
        return results.to_rdflib_result(self.store.query(query, bindings))

    def saved(self, name: str, **params: str) -> Result:
        """Run a saved query (see :mod:`collabgraph.saved`) with its parameters
        given as text: entity names are resolved, roles and types checked.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> sorted({str(r.memberLabel) for r in kg.saved("members-of-group", group="방탄소년단")})
        ['V']
        """
        from .saved import bind_saved

        query, bindings = bind_saved(self.reader, name, params)
        return self.sparql(query.text, bindings=bindings)

    def sparql_serialize(self, query: str, format: str, *, bindings: dict[str, Any] | None = None) -> bytes:
        """Run a query and serialise its results: SELECT/ASK as ``json`` (W3C SPARQL
        1.1 Results JSON), ``xml``, ``csv`` or ``tsv``; CONSTRUCT/DESCRIBE as an
        RDF format (``turtle``, ``ntriples``, ``jsonld``, ...)."""
        return results.serialize(self.store.query(query, bindings), format)

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
        others = [g for g in self.store.graphs() if g != str(INFERRED_GRAPH)]
        triples = self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", graphs=others)
        fmt = RDF_FORMATS[format]
        data = ox.serialize(triples, format=(RDF_FORMATS["ntriples"] if fmt.datasets else fmt).ox)
        if isinstance(output, (str, Path)):
            Path(output).write_bytes(data)
        else:
            output.write(data)

    def explore(self, *, focus: "str | Entity | None" = None, depth: int = 2, max_nodes: int = 1500,
                title: str | None = None) -> "ExplorerPage":
        """The explorer page (an :class:`~collabgraph.explore.ExplorerPage`) for
        the whole graph, or for the ``depth``-hop neighbourhood of ``focus``.
        ``max_nodes`` caps every node drawn, "+N more" nodes included.

        >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
        >>> kg.explore(focus="IU", depth=2).write(tmp / "iu.html").name
        'iu.html'
        """
        from .explore import explore

        return explore(self.reader, focus=focus, depth=depth, max_nodes=max_nodes, title=title)

    def rdflib_graph(self) -> Graph:
        """The whole dataset as an in-memory rdflib ``Graph`` (union of all
        graphs), for code that wants rdflib's API. Copies every triple: use
        :meth:`sparql` on large graphs."""
        data = ox.serialize(self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", graphs=self.store.graphs()),
                            format=ox.RdfFormat.N_TRIPLES)
        return Graph().parse(data=data, format="nt")

    # -- summary -----------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts: entities by type, facts by kind, triples per graph, sources.

        >>> s = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).summary()
        >>> sorted(s)
        ['collaborations', 'entities', 'facts', 'graphs', 'sources', 'triples']
        """
        return _summary(self.reader, self.manifest)
