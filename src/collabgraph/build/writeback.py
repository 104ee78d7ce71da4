"""Analytics written back into a build: the rank and community of every agent
as a named graph of their own (``graph:analytics``), with the run that
computed them (algorithms, parameters, build id, time), so SPARQL queries and
the explorer can use them like any other triple.

Results are keyed on the build: :func:`build_id` hashes what went into it
(sources, ontology, collabgraph version), and :func:`write_analytics` does
nothing when the graph already holds a run over the same build with the same
parameters. A rebuild makes a new store, without the analytics graph, so
results can never outlive the build they describe; on a SPARQL server the
build id tells a stale graph from a current one.

>>> from collabgraph import CollabGraph
>>> from collabgraph.store.local import Store
>>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
>>> report = write_analytics_into(kg.store, kg.reader, kg.manifest)
>>> report.written, report.communities
(True, 2)
>>> write_analytics_into(kg.store, kg.reader, kg.manifest).written
False
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from .pipeline import CACHE_DIR, MANIFEST, STORE_DIR, load_manifest
from ..core.errors import BuildNotFound
from ..core.namespaces import ANALYTICS, ANALYTICS_GRAPH, CG
from ..store.local import Store
from ..views import analytics
from ..views.projections import analytics_projection
from ..views.reader import Reader

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["AnalyticsReport", "build_id", "current_run", "analytics_triples", "write_analytics",
           "write_analytics_into", "RUN"]

#: The node describing the run that computed the graph's analytics.
RUN = ANALYTICS["run"]


@dataclass
class AnalyticsReport:
    """What :func:`write_analytics` did: ``written`` is false when the graph
    already held results for this build and these parameters."""

    build_id: str
    parameters: str
    written: bool
    computed_at: str
    agents: int = 0
    communities: int = 0
    triples: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def build_id(manifest: dict[str, Any]) -> str:
    """A short hash of what a build was made from: its source files and their
    hashes, the ontology's hashes, the collabgraph version and (for a build
    into a server) the endpoint. Two builds of the same files share it.

    >>> build_id({"sources": [{"graph": "g", "sha256": "1"}]}) == build_id({"sources": [{"graph": "g", "sha256": "1"}]})
    True
    >>> build_id({"sources": [{"graph": "g", "sha256": "1"}]}) == build_id({"sources": [{"graph": "g", "sha256": "2"}]})
    False
    """
    key = {"sources": sorted((s.get("graph", s.get("file")), s.get("sha256")) for s in manifest.get("sources", [])),
           "ontology": manifest.get("ontology_sha256"), "collabgraph": manifest.get("collabgraph"),
           "endpoint": manifest.get("endpoint"), "triples": manifest.get("triples")}
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


def _parameters(seed: int, resolution: float, k: int | None) -> str:
    return f"seed={seed} resolution={resolution:g} betweenness_k={'auto' if k is None else k}"


def current_run(store: Any) -> dict[str, str] | None:
    """The run the store's analytics graph holds (``build_id``, ``parameters``,
    ``computed_at``), or ``None`` if it has none."""
    rows = list(store.select(
        "SELECT ?id ?params ?at WHERE { GRAPH ?g { ?run a cg:AnalyticsRun ; cg:buildId ?id ; "
        "cg:parameters ?params ; prov:endedAtTime ?at } }", g=URIRef(str(ANALYTICS_GRAPH)), run=URIRef(str(RUN))))
    if not rows:
        return None
    row = rows[0]
    return {"build_id": row["id"].value, "parameters": row["params"].value, "computed_at": row["at"].value}


def analytics_triples(g: "nx.Graph", *, build: str, seed: int = 0, resolution: float = 1.0,
                      k: int | None = None, computed_at: str | None = None) -> tuple[list[ox.Triple], int]:
    """The analytics graph's triples for the collaboration graph ``g``, and the
    number of communities: every agent's collaborator count, PageRank,
    betweenness and community; every community's number, size, central members
    and binding works; the run with its algorithms and parameters."""
    import networkx as nx

    n, lit = ox.NamedNode, ox.Literal
    xsd_int, xsd_double = n(str(XSD.integer)), n(str(XSD.double))
    run = n(str(RUN))
    at = computed_at or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    used_k = analytics.auto_k(g, k)
    out = [
        ox.Triple(run, n(str(RDF.type)), n(str(CG.AnalyticsRun))),
        ox.Triple(run, n(str(RDFS.label)), lit("collabgraph analytics", language="en")),
        ox.Triple(run, n(str(CG.buildId)), lit(build)),
        ox.Triple(run, n(str(CG.parameters)), lit(_parameters(seed, resolution, k))),
        ox.Triple(run, n(str(PROV.endedAtTime)), lit(at, datatype=n(str(XSD.dateTime)))),
        ox.Triple(n(str(ANALYTICS_GRAPH)), n(str(PROV.wasGeneratedBy)), run),
    ]
    for algorithm in (f"networkx {nx.__version__} pagerank(weight='weight')",
                      f"collabgraph betweenness (Brandes as sparse products; the same as networkx "
                      f"{nx.__version__} betweenness_centrality(normalized=True, k={used_k}, seed={seed}))",
                      f"networkx {nx.__version__} louvain_communities(weight='weight', "
                      f"resolution={resolution:g}, seed={seed})",
                      "degree (number of collaborators)"):
        out.append(ox.Triple(run, n(str(CG.algorithm)), lit(algorithm)))
    pagerank = analytics.scores(g, "pagerank")
    betweenness = analytics.scores(g, "betweenness", k=k, seed=seed)
    for node in g:
        a = n(node)
        out += [ox.Triple(a, n(str(CG.collaboratorCount)), lit(str(g.degree(node)), datatype=xsd_int)),
                ox.Triple(a, n(str(CG.pageRank)), lit(repr(float(pagerank[node])), datatype=xsd_double)),
                ox.Triple(a, n(str(CG.betweenness)), lit(repr(float(betweenness[node])), datatype=xsd_double))]
    found = analytics.communities(g, seed=seed, resolution=resolution)
    for c in found:
        cn = n(str(ANALYTICS[f"community/{c.number}"]))
        out += [ox.Triple(cn, n(str(RDF.type)), n(str(CG.Community))),
                ox.Triple(cn, n(str(RDFS.label)), lit(f"community {c.number}: {c.name}", language="en")),
                ox.Triple(cn, n(str(CG.communityNumber)), lit(str(c.number), datatype=xsd_int)),
                ox.Triple(cn, n(str(CG.memberCount)), lit(str(c.size), datatype=xsd_int)),
                ox.Triple(cn, n(str(PROV.wasGeneratedBy)), run)]
        out += [ox.Triple(cn, n(str(CG.centralMember)), n(m.iri)) for m in c.central]
        out += [ox.Triple(cn, n(str(CG.bindingWork)), n(w.iri)) for w in c.works]
        out += [ox.Triple(n(m.iri), n(str(CG.inCommunity)), cn) for m in c.members]
    return out, len(found)


def write_analytics_into(store: Any, reader: Reader, manifest: dict[str, Any], *, seed: int = 0,
                         resolution: float = 1.0, k: int | None = None, force: bool = False,
                         chunk: int = 20_000) -> AnalyticsReport:
    """Compute the analytics over ``reader``'s collaboration graph and replace
    ``store``'s analytics graph with them (into a local store directly, into
    a SPARQL server by SPARQL Update in chunks of ``chunk`` triples), unless
    it already holds them for this build and parameters (``force`` recomputes
    anyway)."""
    started = time.perf_counter()
    bid, params = build_id(manifest), _parameters(seed, resolution, k)
    now = current_run(store)
    if not force and now is not None and now["build_id"] == bid and now["parameters"] == params:
        return AnalyticsReport(bid, params, False, now["computed_at"])
    g = analytics_projection(reader)
    at = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    triples, count = analytics_triples(g, build=bid, seed=seed, resolution=resolution, k=k, computed_at=at)
    if isinstance(store, Store):
        # A local store: replace the graph with one transactional insert of the
        # triples themselves (no update text to write and parse again).
        store.clear_graph(str(ANALYTICS_GRAPH))
        store.add_triples(triples, graph=str(ANALYTICS_GRAPH))
    else:
        # A SPARQL server: the update text is written by pyoxigraph's
        # N-Triples serialiser, which escapes every term: nothing from the
        # data is pasted in unescaped.
        graph = str(ox.NamedNode(str(ANALYTICS_GRAPH)))
        store.update(f"DROP SILENT GRAPH {graph}")
        for start in range(0, len(triples), chunk):
            body = (ox.serialize(triples[start:start + chunk], format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
            store.update("INSERT DATA { GRAPH " + graph + " {\n" + body + "} }")
    return AnalyticsReport(bid, params, True, at, len(g), count, len(triples), time.perf_counter() - started)


def write_analytics(build_dir: str | Path = "build", *, seed: int = 0, resolution: float = 1.0,
                    k: int | None = None, force: bool = False) -> AnalyticsReport:
    """Write the analytics of the build at ``build_dir`` into its store (or
    into the SPARQL server it was built into) as ``graph:analytics``.

    :raises BuildNotFound: if ``build_dir`` holds no build.
    :raises StoreBusy: if another process has the store open for writing.
    """
    build_dir = Path(build_dir)
    if not (build_dir / MANIFEST).is_file():
        raise BuildNotFound(f"{build_dir}: no build here; run 'collabgraph build' first, "
                           "or name a build with --build DIR (or COLLABGRAPH_BUILD)")
    manifest = load_manifest(build_dir)
    if manifest.get("endpoint"):
        from ..store.remote import RemoteStore

        store: Any = RemoteStore(manifest["endpoint"], manifest.get("update_endpoint") or manifest["endpoint"])
    else:
        if not (build_dir / STORE_DIR).is_dir():
            raise BuildNotFound(f"{build_dir}: the build has no store; run 'collabgraph build' again")
        store = Store.open(build_dir / STORE_DIR, read_only=False)
    try:
        return write_analytics_into(store, Reader(store, cache_dir=build_dir / CACHE_DIR), manifest,
                                    seed=seed, resolution=resolution, k=k, force=force)
    finally:
        store.close()
