"""A remote SPARQL 1.1 endpoint behind the same interface as :class:`~collabgraph.store.Store`.

This is how a graph grows past one machine: the data lives in a SPARQL server
(Oxigraph server, Apache Jena Fuseki, QLever, GraphDB, Virtuoso …) and
collabgraph queries it over the SPARQL 1.1 Protocol. Results are parsed by
pyoxigraph, so the rest of the code sees the same types as with a local store.

The server must answer queries over the union of its named graphs, as
collabgraph's local store does: ``oxigraph serve --union-default-graph``,
Fuseki with ``tdb2:unionDefaultGraph true``, GraphDB and Virtuoso do so by
default for the default graph. Loading (:func:`upload`) uses SPARQL Update:
``DROP SILENT GRAPH`` then ``INSERT DATA`` in chunks. Blank nodes are
skolemised first (RDF 1.1 §3.5), so chunks cannot split them.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterable

import pyoxigraph as ox

from .errors import CollabGraphError, QueryError, QuerySyntaxError
from .formats import RDF_FORMATS
from .namespaces import BASE, sparql_prologue
from .store import Store, bind_values

__all__ = ["RemoteStore", "upload"]

SKOLEM = BASE + ".well-known/genid/"
_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"


class RemoteStore:
    """Queries (and, given ``update_endpoint``, updates) a SPARQL endpoint."""

    read_only = True
    path = None

    def __init__(self, endpoint: str, update_endpoint: str | None = None, *, timeout: float = 60.0):
        for url in filter(None, (endpoint, update_endpoint)):
            if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise CollabGraphError(f"{url}: an endpoint must be an http(s) URL")
        self.endpoint, self.update_endpoint, self.timeout = endpoint, update_endpoint, timeout

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r})"

    def close(self) -> None:
        pass

    # -- HTTP ----------------------------------------------------------------------
    def _post(self, url: str, form: list[tuple[str, str]], accept: str) -> tuple[str, bytes]:
        body = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            message = f"{url}: HTTP {exc.code}: {detail[0] if detail else exc.reason}"
            if exc.code == 400:
                raise QuerySyntaxError(message) from None
            raise QueryError(message) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise CollabGraphError(f"{url}: cannot reach the SPARQL endpoint ({getattr(exc, 'reason', exc)})") from None

    # -- the Store interface ----------------------------------------------------------
    def query(self, query: str, bindings: dict[str, Any] | None = None, *, union: bool = True,
              graphs: list[str] | None = None):
        """Run a query remotely; SELECT/ASK come back as pyoxigraph results,
        CONSTRUCT/DESCRIBE as pyoxigraph triples."""
        if bindings:
            query = bind_values(query, bindings)
        form = [("query", sparql_prologue() + query), *(("default-graph-uri", g) for g in graphs or [])]
        content_type, body = self._post(self.endpoint, form, f"{_RESULTS}, {_TRIPLES};q=0.9")
        if content_type.startswith(_RESULTS) or content_type.startswith("application/json"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        fmt = ox.RdfFormat.from_media_type(content_type.split(";")[0].strip()) or ox.RdfFormat.N_TRIPLES
        return _triples(ox.parse(body, format=fmt))

    def select(self, query: str, **bindings: Any):
        return iter(self.query(query, bindings))

    def update(self, update: str) -> None:
        if not self.update_endpoint:
            raise CollabGraphError(f"{self.endpoint}: no update endpoint given (--update-endpoint)")
        self._post(self.update_endpoint, [("update", sparql_prologue() + update)], "*/*")

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        else:
            from rdflib import URIRef

            rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(graph)})
        return int(next(iter(rows))["n"].value)

    def graphs(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode))

    def dump(self, output: Any, format: str, *, graph: str | None = None) -> None:
        fmt = RDF_FORMATS[format]
        if fmt.datasets and graph is None:
            rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            data = ox.serialize((ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows), format=fmt.ox)
        else:
            where = "GRAPH ?g { ?s ?p ?o }" if graph else "?s ?p ?o"
            from rdflib import URIRef

            q = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}"
            data = ox.serialize(self.query(q, {"g": URIRef(graph)} if graph else None), format=fmt.ox)
        if isinstance(output, (str, Path)):
            Path(output).write_bytes(data)
        else:
            output.write(data)


class _TripleList(list):
    """CONSTRUCT results from a remote endpoint (a list of pyoxigraph Triples)."""


def _triples(quads: Iterable[ox.Quad]) -> _TripleList:
    return _TripleList(ox.Triple(q.subject, q.predicate, q.object) for q in quads)


def _skolem(term):
    return ox.NamedNode(SKOLEM + term.value) if isinstance(term, ox.BlankNode) else term


# INSERT DATA and DROP GRAPH take no variables, so nothing can be bound: the
# update text is made of terms written by pyoxigraph's N-Triples serialiser,
# which escapes them (and NamedNode refuses IRIs with '>' or spaces).

def _drop_graph(graph: ox.NamedNode) -> str:
    return "DROP SILENT GRAPH " + str(graph)


def _insert_data(graph: ox.NamedNode, triples: list[ox.Triple]) -> str:
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return "INSERT DATA { GRAPH " + str(graph) + " {\n" + body + "} }"


def upload(store: Store, remote: RemoteStore, *, chunk: int = 5000, progress=None) -> int:
    """Replace the remote copies of every named graph of ``store``; return the
    number of triples sent. Other graphs on the server are left alone, except
    earlier collabgraph graphs (under ``graph:``) that this build no longer has."""
    graphs = store.graphs()
    stale = [g for g in remote.graphs() if g.startswith(BASE + "graph/") and g not in graphs]
    sent = 0
    for i, g in enumerate([*stale, *graphs]):
        graph = ox.NamedNode(g)
        remote.update(_drop_graph(graph))
        if g in stale:
            continue
        triples = [ox.Triple(_skolem(q.subject), q.predicate, _skolem(q.object))
                   for q in store._store.quads_for_pattern(None, None, None, graph)]
        for start in range(0, len(triples), chunk):
            remote.update(_insert_data(graph, triples[start:start + chunk]))
        sent += len(triples)
        if progress:
            progress("upload", i + 1, len(graphs) + len(stale))
    return sent
