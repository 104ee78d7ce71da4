"""A remote SPARQL 1.1 endpoint behind the same interface as :class:`~collabgraph.store.local.Store`.

This is how a graph grows past one machine: the data lives in a SPARQL server
(Oxigraph server, Apache Jena Fuseki, QLever, GraphDB, Virtuoso …) and
collabgraph queries it over the SPARQL 1.1 Protocol. Results are parsed by
pyoxigraph, so the rest of the code sees the same types as with a local store.

The server must answer queries over the union of its named graphs, as
collabgraph's local store does: ``oxigraph serve --union-default-graph``,
Fuseki with ``tdb2:unionDefaultGraph true``, GraphDB and Virtuoso do so by
default for the default graph. Loading (:func:`upload`) uses the server's
bulk path when it has one (Oxigraph server's ``/store`` bulk loader; Virtuoso's
bulk loader, given a directory it reads: :class:`VirtuosoBulk`), else SPARQL
Update: ``DROP SILENT GRAPH`` then ``INSERT DATA`` in chunks. Blank nodes are skolemised first (RDF 1.1 §3.5),
so chunks cannot split them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pyoxigraph as ox

from ..core.errors import CollabGraphError, QueryError, QuerySyntaxError
from ..core.formats import RDF_FORMATS, serialized
from ..core.namespaces import BASE, TOP_PAIRS_GRAPH, sparql_prologue
from ..core.sparqltext import query_form
from ..core.sparqlguard import check_outgoing
from .local import Store, bind_values, check_shape

__all__ = ["RemoteStore", "VirtuosoBulk", "upload", "upload_method", "UPLOAD_METHODS", "without_credentials"]

SKOLEM = BASE + ".well-known/genid/"
GRAPHS = BASE + "graph/"  # every graph a build writes is under this
_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"


class RemoteStore:
    """Queries (and, given ``update_endpoint``, updates) a SPARQL endpoint."""

    read_only = True
    path = None

    #: As :attr:`collabgraph.store.local.Store.allow_service`: SERVICE/LOAD IRIs a query may name (none by default).
    allow_service: tuple[str, ...] = ()
    allow_load: tuple[str, ...] = ()

    def __init__(self, endpoint: str, update_endpoint: str | None = None, *, timeout: float = 60.0):
        credentials: list[tuple[str, str, str]] = []

        def checked(url: str) -> str:
            plain, user, password = _credentials(url)
            if urllib.parse.urlsplit(plain).scheme not in ("http", "https"):
                raise CollabGraphError(f"{plain}: an endpoint must be an http(s) URL")
            if user:
                credentials.append((plain, user, password))
            return plain

        self.endpoint: str = checked(endpoint)
        self.update_endpoint: str | None = None if update_endpoint is None else checked(update_endpoint)
        self.timeout = timeout
        self._credentials = credentials
        self._opener = _opener(credentials)

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r})"

    def _preauthorise(self, request: urllib.request.Request) -> None:
        """Answer the server's Digest challenge before sending a big body: a
        server that wants credentials (Virtuoso's ``-auth`` URLs) refuses the
        request at its headers and closes the connection, so the body could
        not be sent a second time. A bodiless ``HEAD`` fetches the challenge."""
        if not self._credentials:
            return
        try:
            urllib.request.build_opener().open(urllib.request.Request(request.full_url, method="HEAD"),
                                               timeout=self.timeout).close()
            return  # no credentials wanted
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
            exc.close()  # an open answer holds one of the server's few HTTP threads
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            return  # the request itself will say what is wrong
        scheme, _, rest = challenge.partition(" ")
        digest = next((h for h in getattr(self._opener, "handlers", []) if isinstance(h, urllib.request.HTTPDigestAuthHandler)), None)
        if scheme.lower() != "digest" or digest is None:
            return
        fields = urllib.request.parse_keqv_list([f for f in urllib.request.parse_http_list(rest) if f])
        authorization = digest.get_authorization(request, fields)
        if authorization:
            request.add_unredirected_header("Authorization", "Digest " + authorization)

    def close(self) -> None:
        pass

    # -- HTTP ----------------------------------------------------------------------
    def _post(self, url: str, form: list[tuple[str, str]], accept: str) -> tuple[str, bytes, Any]:
        body = urllib.parse.urlencode(form).encode()
        return self._send("POST", url, body, "application/x-www-form-urlencoded", accept)

    def _send(self, method: str, url: str, body: bytes | None, content_type: str | None,
              accept: str = "*/*", *, timeout: float | None = None, preauthorise: bool = False) -> tuple[str, bytes, Any]:
        headers = {"Accept": accept, **({"Content-Type": content_type} if content_type else {})}
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        if preauthorise:
            self._preauthorise(request)
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as response:
                headers = response.headers
                content_type, data = headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            if exc.code == 401:
                raise QueryError(f"{url}: HTTP 401: the server wants credentials it was not given or refused; give "
                                 "them as http://USER@host/... with the password in COLLABGRAPH_ENDPOINT_PASSWORD "
                                 "(or http://USER:PASSWORD@host/...)") from None
            message = f"{url}: HTTP {exc.code}: {_first_line(detail) or exc.reason}"
            error = QuerySyntaxError(message) if exc.code == 400 else QueryError(message)
            error.status = exc.code
            raise error from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
                raise QueryError(f"{url}: no answer within {timeout or self.timeout:g} s") from None
            raise CollabGraphError(f"{url}: cannot reach the SPARQL endpoint ({reason})") from None
        # Virtuoso answers 200 with partial results when a query runs past its
        # time limit ("anytime queries") and says so only in these headers.
        state = headers.get("X-SQL-State")
        if state:
            note = (headers.get("X-SQL-Message") or "").split(".")[0].strip()
            raise QueryError(f"{url}: the server returned an incomplete answer ({state}: {note}); "
                             "raise its time limit or narrow the query")
        return content_type, data, headers

    # -- the Store interface ----------------------------------------------------------
    def query(self, query: str, bindings: dict[str, Any] | None = None, *, union: bool = True,
              graphs: list[str] | None = None, named: list[str] | None = None, base_iri: str | None = None):
        """Run a query remotely; SELECT/ASK come back as pyoxigraph results,
        CONSTRUCT/DESCRIBE as pyoxigraph triples. ``graphs``/``named`` are
        sent as the protocol's ``default-graph-uri``/``named-graph-uri``, and
        ``base_iri`` as a ``BASE`` before the query's own prologue. The same
        checks as a local store's come first: the server may run an engine that
        crashes on the same shapes, and SERVICE is refused unless ``allow_service`` allows it."""
        check_shape(query)
        check_outgoing(query, allow_service=self.allow_service)
        if bindings:
            query = bind_values(query, bindings)
        base = f"BASE <{base_iri}>\n" if base_iri and ">" not in base_iri else ""
        form = [("query", base + sparql_prologue() + query), *(("default-graph-uri", g) for g in graphs or []),
                *(("named-graph-uri", g) for g in named or [])]
        # Ask for the one kind of answer the query form has: Virtuoso answers a
        # CONSTRUCT with JSON "results" (?s ?p ?o rows) if JSON is acceptable.
        form_name = query_form(query)
        graph_form = form_name in ("CONSTRUCT", "DESCRIBE")
        accept = f"{_TRIPLES}, text/turtle;q=0.9" if graph_form else _RESULTS
        content_type, body, headers = self._post(self.endpoint, form, accept)
        if not graph_form and (content_type.startswith(_RESULTS) or content_type.startswith("application/json")):
            if _VIRTUOSO_BOOLEAN.search(body):
                body = _VIRTUOSO_BOOLEAN.sub(_canonical_boolean, body)
            results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if form_name == "ASK" and isinstance(results, ox.QuerySolutions):
                return _boolean(results)
            if isinstance(results, ox.QuerySolutions) and headers.get("X-SPARQL-MaxRows"):
                _check_cap(self.endpoint, headers, sum(1 for _ in results))
                results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            return results
        fmt = ox.RdfFormat.from_media_type(content_type.split(";")[0].strip()) or ox.RdfFormat.N_TRIPLES
        triples = _triples(ox.parse(body, format=fmt))
        _check_cap(self.endpoint, headers, len(triples))
        return triples

    def select(self, query: str, **bindings: Any):
        return iter(self.query(query, bindings))

    def update(self, update: str, *, base_iri: str | None = None) -> None:
        if not self.update_endpoint:
            raise CollabGraphError(f"{self.endpoint}: no update endpoint given (--update-endpoint)")
        check_shape(update)
        check_outgoing(update, update=True, allow_service=self.allow_service, allow_load=self.allow_load)
        base = f"BASE <{base_iri}>\n" if base_iri and ">" not in base_iri else ""
        self._post(self.update_endpoint, [("update", base + sparql_prologue() + update)], "*/*")

    def update_dataset(self, update: str, *, base_iri: str | None = None) -> None:
        """An update on the remote server's own dataset (its rules for the default graph apply)."""
        self.update(update, base_iri=base_iri)

    # Servers hold graphs of their own (Virtuoso: its system graphs, in the union
    # default graph too), so counting, listing and dumping keep to collabgraph's
    # graphs, the ones upload() writes.
    _OURS = "FILTER (STRSTARTS(STR(?g), ?ours))"

    def count(self, graph: str | None = None) -> int:
        from rdflib import Literal, URIRef

        if graph is None:
            rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } " + self._OURS + " }",
                              {"ours": Literal(GRAPHS)})
        else:
            rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(graph)})
        return int(next(iter(rows))["n"].value)

    def graphs(self) -> list[str]:
        # GROUP BY, not DISTINCT: Virtuoso 7.2 plans the DISTINCT form as a scan of
        # every quad with a sort (135 s at 138,651 quads, 0.13 s grouped; issue 23).
        rows = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sorted(r["g"].value for r in rows
                      if isinstance(r["g"], ox.NamedNode) and r["g"].value.startswith(GRAPHS))

    def dump(self, output: Any, format: str, *, graph: str | None = None) -> None:
        from rdflib import Literal, URIRef

        fmt = RDF_FORMATS[format]
        which = {"g": URIRef(graph)} if graph else {"ours": Literal(GRAPHS)}
        where = "GRAPH ?g { ?s ?p ?o }" + ("" if graph else " " + self._OURS)
        if fmt.datasets and graph is None:
            rows = self.query(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}", which)
            data = serialized((ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows), fmt.ox)
        else:  # one graph, or the union of collabgraph's graphs as triples (each once)
            triples = dict.fromkeys(self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}", which))
            data = serialized(triples, fmt.ox)
        if isinstance(output, (str, Path)):
            Path(output).write_bytes(data)
        else:
            output.write(data)


# Virtuoso writes xsd:boolean values as "1" and "0" in JSON results (and as
# "true" and "false" in RDF); both are valid, but the local store keeps "true".
_VIRTUOSO_BOOLEAN = re.compile(
    rb'("datatype" ?: ?"http://www\.w3\.org/2001/XMLSchema#boolean" ?, ?"value" ?: ?)"([01])"')


def _canonical_boolean(match: "re.Match[bytes]") -> bytes:
    return match.group(1) + (b'"true"' if match.group(2) == b"1" else b'"false"')


def _boolean(rows: ox.QuerySolutions) -> ox.QueryBoolean:
    """Virtuoso answers ASK with a table: one row (``__ASK_RETVAL`` = 1) for
    yes, none for no. Read as the boolean the protocol defines."""
    first = next(iter(rows), None)
    yes = first is not None and all(t is None or t.value not in ("0", "false") for t in first)
    answer = ox.parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if yes else b"false"),
                                    format=ox.QueryResultsFormat.JSON)
    assert isinstance(answer, ox.QueryBoolean)  # a "boolean" document
    return answer


def _check_cap(url: str, headers: Any, rows: int) -> None:
    """Virtuoso cuts every answer at its ``ResultSetMaxRows`` without an error;
    it sends the cap in ``X-SPARQL-MaxRows``. An answer that reaches the cap is
    refused rather than silently short."""
    cap = headers.get("X-SPARQL-MaxRows")
    if cap and cap.strip().isdigit() and 0 < int(cap) <= rows:
        raise QueryError(f"{url}: the server cut the answer at its limit of {int(cap)} rows "
                         "(Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini); raise it")


def _first_line(lines: list[str]) -> str:
    return next((line.strip() for line in lines if line.strip()), "")


def _credentials(url: str) -> tuple[str, str, str]:
    """``url`` without its user information, the user and the password. The
    password may instead be in ``COLLABGRAPH_ENDPOINT_PASSWORD`` (then it is in
    neither the shell history nor the process list). The URL kept and shown
    in messages never holds it."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, "", ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    plain = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    password = parts.password
    if password is None:
        password = os.environ.get("COLLABGRAPH_ENDPOINT_PASSWORD", "")
    return plain, urllib.parse.unquote(parts.username), urllib.parse.unquote(password)


def without_credentials(url: str) -> str:
    """``url`` as it may be shown: without a user or password.

    >>> without_credentials("http://dba:secret@localhost:8890/sparql-auth")
    'http://localhost:8890/sparql-auth'
    """
    return _credentials(url)[0]


def _opener(credentials: list[tuple[str, str, str]]) -> urllib.request.OpenerDirector:
    """An HTTP client that answers a server's Basic or Digest challenge (Virtuoso's
    ``/sparql-auth`` asks for Digest) with the given credentials."""
    if not credentials:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for url, user, password in credentials:
        passwords.add_password(None, url, user, password)
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                       urllib.request.HTTPDigestAuthHandler(passwords))


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
    body = serialized(triples, ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return "INSERT DATA { GRAPH " + str(graph) + " {\n" + body + "} }"


# Servers limit the size of one update: Virtuoso's SPARQL compiler runs out of
# parser stack ("memory exhausted") a little under 5,000 triples in one
# INSERT DATA. upload() halves its chunks when the server refuses one.
_MIN_CHUNK = 50


def _insert_chunks(remote: RemoteStore, graph: ox.NamedNode, triples: list[ox.Triple], chunk: int) -> int:
    """Send ``triples`` in INSERT DATA requests of at most ``chunk`` triples,
    halving the chunk while the server refuses one as too large (HTTP 400, 413
    or 500); return the chunk size that worked, for the next graph."""
    start = 0
    while start < len(triples):
        part = triples[start:start + chunk]
        try:
            remote.update(_insert_data(graph, part))
        except QueryError as exc:
            if getattr(exc, "status", None) not in (400, 413, 500) or len(part) <= _MIN_CHUNK:
                raise
            chunk = max(_MIN_CHUNK, len(part) // 2)
            continue
        start += len(part)
    return chunk


#: How :func:`upload` sends a graph: ``auto`` picks by the server's ``Server``
#: header; ``oxigraph`` is Oxigraph server's bulk loader (``POST /store?graph=...
#: &no_transaction``); ``virtuoso-bulk`` is Virtuoso's bulk loader (``ld_add`` +
#: ``rdf_loader_run`` over its ISQL port, on files written into a directory the
#: server reads: :class:`VirtuosoBulk`); ``graph-store`` is the SPARQL 1.1 Graph
#: Store HTTP Protocol (``PUT``; Virtuoso's ``/sparql-graph-crud``);
#: ``sparql-update`` is ``DROP`` + ``INSERT DATA`` in chunks, for any SPARQL 1.1 server.
UPLOAD_METHODS = ("auto", "oxigraph", "virtuoso-bulk", "graph-store", "sparql-update")


@dataclass(frozen=True)
class VirtuosoBulk:
    """Where Virtuoso's bulk loader reads from, for ``--upload virtuoso-bulk``.

    ``directory``: a directory listed in the server's ``DirsAllowed``
    (virtuoso.ini), at the same path for collabgraph and the server (the
    server on this machine, or a shared mount). ``isql``: ``HOST:PORT`` of the
    server's ISQL (SQL) port; by default the endpoint's host and port 1111.
    The account is the update endpoint's (``http://dba@host/sparql-auth``,
    the password in ``COLLABGRAPH_ENDPOINT_PASSWORD``), given to ``isql`` on
    its standard input, never on its command line. ``loaders``: how many
    ``rdf_loader_run()`` run at once, each on its own files (Virtuoso's guide
    suggests at most one per 2.5 of the server's cores: one on a 2-core
    machine, where two stalled on lock waits at 10M; docs/decisions/remote-stores.md).
    """

    directory: Path
    isql: str = ""
    loaders: int = 1


#: A graph's data goes to a bulk path in parts of at most this many triples
#: (a few tens of MB of N-Triples): one request for almost every graph. Below
#: Oxigraph's bulk loader batch (a million quads), so a part cut short by a
#: killed client never reaches the store: the loader writes a batch only when full or at the end.
BULK_PART = 500_000
_UPLOAD_TIMEOUT = 3600.0  # a server's bulk load of a big graph answers only when it is done


def upload_method(remote: RemoteStore, method: str = "auto", *, bulk: VirtuosoBulk | None = None) -> tuple[str, str | None]:
    """The method :func:`upload` uses and the URL it sends graphs to (None for
    SPARQL Update and Virtuoso's bulk loader). ``auto``: the server is
    recognised by the ``Server`` header of its answer to a query: Oxigraph
    server gets its bulk loader; Virtuoso its bulk loader when ``bulk`` says
    where (:class:`VirtuosoBulk`), else SPARQL Update; other servers SPARQL
    Update (``graph-store`` must be asked for).

    :raises CollabGraphError: for an unknown method, ``virtuoso-bulk`` without
        ``bulk``, or a bulk method whose URL cannot be derived from the
        endpoints (not ``.../query``, ``.../update``, ``.../sparql`` or ``.../sparql-auth``).
    """
    if method not in UPLOAD_METHODS:
        raise CollabGraphError(f"unknown upload method {method!r}: one of {', '.join(UPLOAD_METHODS)}")
    if method == "virtuoso-bulk" and bulk is None:
        raise CollabGraphError("--upload virtuoso-bulk needs --bulk-dir: a directory in the server's DirsAllowed")
    if method in ("sparql-update", "virtuoso-bulk"):
        return method, None
    if method == "auto":
        _, _, headers = remote._post(remote.endpoint, [("query", "ASK {}")], _RESULTS)
        software = (headers.get("Server") or "").lower()
        if "virtuoso" in software and bulk is not None:
            return "virtuoso-bulk", None
        # Virtuoso's Graph Store Protocol is not chosen for it: a PUT that replaces
        # a graph deletes the old one in a logged transaction (262 s for 138,651
        # quads, against 10 s for the first load; docs/decisions/remote-stores.md).
        if "oxigraph" not in software:
            return "sparql-update", None
        method = "oxigraph"
    url = _bulk_url(remote, method)
    if url is None:
        raise CollabGraphError(f"{remote.update_endpoint or remote.endpoint}: cannot tell the {method} URL from "
                               "this endpoint; use --upload sparql-update")
    return method, url


def _bulk_url(remote: RemoteStore, method: str) -> str | None:
    """Oxigraph: ``/store`` beside ``/query``/``/update``. Graph Store Protocol:
    Virtuoso's ``/sparql-graph-crud`` beside ``/sparql`` (``-auth`` beside
    ``/sparql-auth``, with the same credentials)."""
    url = remote.update_endpoint or remote.endpoint
    parts = urllib.parse.urlsplit(url)
    head, _, last = parts.path.rpartition("/")
    if method == "oxigraph" and last in ("query", "update", "sparql", ""):
        path = head + "/store"
    elif method == "graph-store" and last in ("sparql", "sparql-auth"):
        path = head + ("/sparql-graph-crud-auth" if last.endswith("-auth") else "/sparql-graph-crud")
    else:
        return None
    bulk = urllib.parse.urlunsplit(parts._replace(path=path, query="", fragment=""))
    for known, user, password in remote._credentials:
        if known == url:  # the update endpoint's account writes through the bulk path too
            remote._credentials.append((bulk, user, password))
            remote._opener = _opener(remote._credentials)
            break
    return bulk


def _graph_parts(store: Store, graph: ox.NamedNode) -> Iterable[bytes]:
    """The graph's triples (blank nodes skolemised) as N-Triples, in parts of at
    most BULK_PART triples. A graph whose N-Triples hold no ``_:`` (so no blank
    node) is written by the store's own serialiser and cut at line ends: walking
    its quads in Python cost more than the server's whole load (issue 23). The
    text is searched rather than the store asked which graphs have blank nodes:
    that query scans every quad (minutes at 13.5M quads on disk)."""
    data = store._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
    if b"_:" not in data:
        yield from _line_parts(data, BULK_PART)
        return
    del data  # a blank node (or "_:" in a literal): skolemise term by term
    part: list[ox.Triple] = []
    for q in store._store.quads_for_pattern(None, None, None, graph):
        part.append(ox.Triple(_skolem(q.subject), q.predicate, _skolem(q.object)))
        if len(part) >= BULK_PART:
            yield serialized(part, ox.RdfFormat.N_TRIPLES)
            part = []
    if part:
        yield serialized(part, ox.RdfFormat.N_TRIPLES)


def _line_parts(data: bytes, lines: int) -> Iterable[bytes]:
    """``data`` (N-Triples: one triple a line) in parts of at most ``lines``
    lines, each cut at a line end: a part starts at ~100 bytes a line and is
    halved while it holds too many (``bytes.count`` runs in C)."""
    start = 0
    while start < len(data):
        size = lines * 100
        while True:
            end = _line_end(data, start + size)
            if data.count(b"\n", start, end) <= lines:
                break
            size //= 2
        yield data[start:end]
        start = end


def _line_end(data: bytes, at: int) -> int:
    """The end of the line that holds byte ``at`` (past its newline), or of ``data``."""
    found = data.find(b"\n", at) if at < len(data) else -1
    return len(data) if found < 0 else found + 1


def _bulk_replace(remote: RemoteStore, method: str, url: str, store: Store, graph: ox.NamedNode) -> int:
    """Replace one graph on the server by its bulk path; return the triples sent.

    Each part is one request of known length: a client killed mid-way leaves
    the server a short body, which it refuses whole (a parse or length error),
    so no part of a graph is ever half-loaded. Oxigraph server: ``DROP`` (one
    SPARQL Update), then its bulk loader, which publishes what it loaded when
    the request ends. Graph Store Protocol: ``PUT`` replaces the graph in one
    request. A graph of more than BULK_PART triples goes in several requests
    (then POST after the first), and a reader may see it grow."""
    target = urllib.parse.quote(graph.value, safe="")
    sent = 0
    if method == "oxigraph":
        remote.update(_drop_graph(graph))
    for i, body in enumerate(_graph_parts(store, graph)):
        if method == "oxigraph":
            remote._send("POST", f"{url}?graph={target}&no_transaction&lenient", body, _TRIPLES,
                         timeout=_UPLOAD_TIMEOUT, preauthorise=True)
        else:  # N-Triples is Turtle, which every Graph Store Protocol server reads (Virtuoso 7 included)
            remote._send("PUT" if i == 0 else "POST", f"{url}?graph={target}", body, "text/turtle",
                         timeout=_UPLOAD_TIMEOUT, preauthorise=True)
        sent += body.count(b"\n")
    if sent == 0 and method == "graph-store":
        remote.update(_drop_graph(graph))  # an empty graph: nothing to PUT
    return sent


def upload(store: Store, remote: RemoteStore, *, chunk: int = 5000, progress=None,
           unchanged: "set[str] | frozenset[str]" = frozenset(), method: str = "auto",
           bulk: VirtuosoBulk | None = None, derived: "dict[str, list[ox.Triple]] | None" = None,
           sent_before: "dict[str, bytes] | None" = None) -> int:
    """Replace the remote copies of every named graph of ``store``; return the
    number of triples sent. Other graphs on the server are left alone, except
    earlier collabgraph graphs (under ``graph:``) that this build no longer has.

    ``method``: how graphs are sent (:data:`UPLOAD_METHODS`, :func:`upload_method`):
    the server's bulk path when it has one, else SPARQL Update. ``bulk``: where
    Virtuoso's bulk loader reads (:class:`VirtuosoBulk`).

    ``unchanged``: graphs the server should already hold as they are in
    ``store`` (their source files did not change since the last upload). Each
    is left in place when the server has it with as many triples as
    ``store``, and sent again otherwise.

    ``sent_before``: graphs as the last upload sent them (N-Triples, by graph
    IRI; the build keeps its inferred graph's). Each that the server holds and
    that differs from ``store`` in at most :data:`PATCH_TRIPLES` triples is
    patched, after the other graphs are in, by one SPARQL Update (``DELETE
    DATA`` of the lines gone, ``INSERT DATA`` of the new ones) instead of sent
    whole, then counted; sent whole if the count differs.

    ``derived``: small graphs computed from the build (by graph IRI, outside
    ``graph:``; the counts of ``top-collaborations``). Each is dropped before
    anything else changes and written after everything else is in, so an
    upload that stops part-way leaves none that disagrees with the data.

    :raises CollabGraphError: as :func:`upload_method`; when the bulk loader cannot run or refuses a file.
    :raises QueryError: when the server refuses a request.
    """
    how, url = upload_method(remote, method, bulk=bulk)
    for g in {TOP_PAIRS_GRAPH, *(derived or {})}:  # an upload without them leaves no stale counts either
        remote.update(_drop_graph(ox.NamedNode(g)))
    sent = _upload_graphs(store, remote, how, url, chunk, progress, unchanged, bulk, sent_before or {})
    for g, triples in (derived or {}).items():
        if triples:
            _insert_chunks(remote, ox.NamedNode(g), triples, chunk)
    return sent


def _upload_graphs(store: Store, remote: RemoteStore, how: str, url: str | None, chunk: int, progress,
                   unchanged: "set[str] | frozenset[str]", bulk: VirtuosoBulk | None,
                   sent_before: "dict[str, bytes]") -> int:
    """:func:`upload`'s graphs, by the method ``how`` (to ``url``); the triples sent."""
    graphs = store.graphs()
    there = remote.graphs()
    stale = [g for g in there if g not in graphs]
    # A graph with blank nodes is always sent again: their skolem IRIs come
    # from this load's blank node identifiers, which the inferred graph (sent
    # again every time) may use, and a kept copy would hold the last load's.
    candidates = [g for g in graphs if g in unchanged and g in there]
    with_blanks = store.graphs_with_blank_nodes() if candidates else set()  # a scan of every quad: only when needed
    kept = _counts_match(store, remote, [g for g in candidates if g not in with_blanks])
    # Graphs sent before are patched after the others are in: a kill before that leaves them as they were.
    patchable = [g for g in sent_before if g in there and g in graphs and g not in kept]
    graphs = [g for g in graphs if g not in kept and g not in patchable]
    sent = _send_graphs(store, remote, how, url, chunk, progress, graphs, stale, bulk)
    whole = []
    for g in patchable:
        patched = _patch(store, remote, ox.NamedNode(g), sent_before[g])
        if patched is None:
            whole.append(g)
        else:
            sent += patched
    if whole:
        sent += _send_graphs(store, remote, how, url, chunk, progress, whole, [], bulk)
    return sent


def _send_graphs(store: Store, remote: RemoteStore, how: str, url: str | None, chunk: int, progress,
                 graphs: list[str], stale: list[str], bulk: VirtuosoBulk | None) -> int:
    """Replace ``graphs`` on the server by the method ``how`` and drop ``stale``; the triples sent."""
    if how == "virtuoso-bulk":
        assert bulk is not None  # upload_method refuses virtuoso-bulk without it
        return _virtuoso_bulk(store, remote, bulk, graphs, stale, progress)
    sent = 0
    for i, g in enumerate([*stale, *graphs]):
        graph = ox.NamedNode(g)
        if g in stale:
            remote.update(_drop_graph(graph))
            continue
        if url is not None:
            sent += _bulk_replace(remote, how, url, store, graph)
        else:
            remote.update(_drop_graph(graph))
            triples = [ox.Triple(_skolem(q.subject), q.predicate, _skolem(q.object))
                       for q in store._store.quads_for_pattern(None, None, None, graph)]
            chunk = _insert_chunks(remote, graph, triples, chunk)
            sent += len(triples)
        if progress:
            progress("upload", i + 1, len(graphs) + len(stale))
    return sent


def _sql_string(text: str) -> str:
    """``text`` as a Virtuoso SQL string literal (it reads backslash escapes too)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _isql(remote: RemoteStore, bulk: VirtuosoBulk, sql: str, *, running: "list[subprocess.Popen] | None" = None,
          timeout: float | None = None) -> str:
    """Run ``sql`` through Virtuoso's ``isql`` as the update endpoint's account
    (the password on its standard input); return what it printed. ``running``:
    the process is in it while it runs, so another thread can stop it;
    ``timeout``: seconds after which it is stopped.

    :raises CollabGraphError: when isql is missing, cannot log in, is stopped, or a statement fails.
    """
    exe = shutil.which("isql-vt") or shutil.which("isql-v")
    if exe is None:
        raise CollabGraphError("--upload virtuoso-bulk needs Virtuoso's isql (isql-vt) on the PATH")
    account = next(((user, password) for url, user, password in remote._credentials
                    if url == (remote.update_endpoint or remote.endpoint)), None)
    if account is None:
        raise CollabGraphError("--upload virtuoso-bulk logs in as the update endpoint's account: give it as "
                               "http://dba@HOST:PORT/sparql-auth (password in COLLABGRAPH_ENDPOINT_PASSWORD)")
    address = bulk.isql or f"{urllib.parse.urlsplit(remote.endpoint).hostname}:1111"
    # isql tries an empty password, then reads one from its standard input.
    proc = subprocess.Popen([exe, address, account[0], "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ERRORS=STDOUT"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if running is not None:
        running.append(proc)
    try:
        stdout, _ = proc.communicate(account[1] + "\n" + sql + "\nEXIT;\n", timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise CollabGraphError(f"{address}: Virtuoso's isql had no answer within {timeout:g} s") from None
    finally:
        if running is not None:
            running.remove(proc)
    if proc.returncode < 0:
        raise CollabGraphError(f"{address}: Virtuoso's isql was stopped (signal {-proc.returncode})")
    if proc.returncode != 0:  # isql asks three times, then gives up
        raise CollabGraphError(f"{address}: Virtuoso's isql could not log in as {account[0]!r} (exit status "
                               f"{proc.returncode}): check the update endpoint's account and --isql")
    # The first line is the empty password's "Bad login", before isql asked for one.
    failed = [line for line in stdout.splitlines() if line.startswith("*** Error")][1:]
    if failed:
        raise CollabGraphError(f"{address}: Virtuoso's isql failed: {failed[0].removeprefix('*** ')}")
    return stdout


#: Files are registered with Virtuoso's loader (and their graphs emptied) in
#: batches of about this many bytes, so its loaders start on the first graphs
#: while the next are still being written (one ``isql`` run per batch).
REGISTER_BYTES = 64 << 20
#: What each loader session runs (Virtuoso's bulk loader: it takes registered
#: files until none is left, loading each with its log off, ``log_enable(2, 1)``).
LOADER_SQL = "rdf_loader_run();"
#: An upload whose loaders finish no file for this long is stopped with an
#: error rather than left waiting: each file holds at most BULK_PART triples
#: (a few seconds' load), and Virtuoso's loaders have been seen to stop for
#: good, waiting on locks (issue 23: two loaders at 10M).
STALL_SECONDS = 900.0
_POLL_SECONDS = 15.0


def _virtuoso_bulk(store: Store, remote: RemoteStore, bulk: VirtuosoBulk, graphs: list[str], stale: list[str],
                   progress=None) -> int:
    """Replace ``graphs`` (and drop ``stale``) by Virtuoso's bulk loader: each
    graph's N-Triples go into files of at most BULK_PART triples (the bulk
    loading guide asks for many files of bounded size, not one big one) in a
    fresh folder under ``bulk.directory``. The first ISQL session deletes the
    old graphs; every REGISTER_BYTES of files, one registers them
    (``ld_add``); ``bulk.loaders`` sessions run ``rdf_loader_run()``
    meanwhile, again until every file is loaded, so writing and loading
    overlap; then ``checkpoint``. A load that finishes no file for
    STALL_SECONDS is stopped (``rdf_load_stop()``) and reported. The folder
    and its load-list rows are removed at the end.

    The loader writes without a transaction log, as Virtuoso's own bulk load
    does: a kill part-way leaves the graphs in flight empty or partly loaded;
    the build's ``.uploading`` mark then makes the next build send every graph again."""
    directory = Path(bulk.directory).resolve()
    folder = directory / f"collabgraph-{uuid.uuid4().hex}"
    like = _sql_string(str(folder) + "/%")
    # What a killed upload left: its files, and their rows in the load list,
    # which rdf_loader_run() would load with this upload's (it loads every pending row).
    leftovers = sorted(directory.glob("collabgraph-*")) if directory.is_dir() else []
    try:
        folder.mkdir(mode=0o755, parents=False)
    except OSError as exc:
        raise CollabGraphError(f"{bulk.directory}: cannot write the bulk loader's files there ({exc.strerror})") from None
    sent = files = 0
    written = threading.Event()
    pool = ThreadPoolExecutor(max(1, bulk.loaders))
    loaders: list[Any] = []
    running: list[subprocess.Popen] = []

    def loader() -> None:
        while True:  # each run takes pending files until none is left; the last starts after the last ld_add
            last = written.is_set()
            _isql(remote, bulk, LOADER_SQL, running=running)
            if last:
                return
            written.wait(1.0)

    # autocommit, no log: a big graph's delete in one transaction runs out of memory. Every old graph
    # is deleted before the first file is registered: a delete while a loader inserts into the
    # same indexes left the loader waiting on locks for good (10M, two loaders).
    first = ["log_enable(3, 1);", *(f"DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE {_sql_string(str(old) + '/%')};"
                                    for old in leftovers),
             *(f"DELETE FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id({_sql_string(g)}, 0);" for g in [*stale, *graphs])]
    batch: list[str] = []
    size = 0
    try:
        for i, g in enumerate(graphs):
            for j, part in enumerate(_graph_parts(store, ox.NamedNode(g))):
                path = folder / f"{i:06d}-{j:04d}.nt"
                path.write_bytes(part)
                sent += part.count(b"\n")
                size += len(part)
                files += 1
                batch.append(f"ld_add({_sql_string(str(path))}, {_sql_string(g)});")
            if batch and (size >= REGISTER_BYTES or i == len(graphs) - 1):
                _isql(remote, bulk, "\n".join([*(first or ["log_enable(3, 1);"]), *batch]))
                if first:
                    for old in leftovers:
                        shutil.rmtree(old, ignore_errors=True)
                first, batch, size = [], [], 0
                if not loaders:
                    loaders = [pool.submit(loader) for _ in range(max(1, bulk.loaders))]
        if first:  # nothing to load: only stale graphs or leftovers to clear
            _isql(remote, bulk, "\n".join(first))
            for old in leftovers:
                shutil.rmtree(old, ignore_errors=True)
        written.set()
        if progress:
            progress("upload", 0, 1)
        _wait_for_loaders(remote, bulk, loaders, like, files, running)
        # The loader records each file's failure in its load list instead of raising one.
        out = _isql(remote, bulk, "checkpoint;\nSELECT 'failed', ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE "
                    f"ll_file LIKE {like} AND (ll_error IS NOT NULL OR ll_state <> 2);")
        refused = [line.split(None, 1)[1] for line in out.splitlines() if line.startswith("failed ")]
        if refused:
            raise CollabGraphError(f"{bulk.directory}: Virtuoso's bulk loader refused {len(refused)} file(s) (is "
                                   f"the directory in its DirsAllowed?): {refused[0].strip()[:300]}")
        if progress:
            progress("upload", 1, 1)
        return sent
    finally:
        written.set()
        pool.shutdown(wait=True)  # a loader still running would read files removed below
        shutil.rmtree(folder, ignore_errors=True)
        try:
            _isql(remote, bulk, f"DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE {like};", timeout=60)
        except CollabGraphError:
            pass  # the rows only record a finished load; the upload's own error says more


def _wait_for_loaders(remote: RemoteStore, bulk: VirtuosoBulk, loaders: list[Any], like: str, files: int,
                      running: "list[subprocess.Popen]") -> None:
    """Wait until the loader sessions are done, counting the files they have
    loaded (``ll_state = 2``) every few seconds. When none more is done for
    STALL_SECONDS: stop the loaders (``rdf_load_stop()``, then their isql
    clients) and raise.

    :raises CollabGraphError: when the load stalls, or a loader session fails.
    """
    import time
    from concurrent.futures import FIRST_EXCEPTION, wait

    done_before, since = -1, time.monotonic()
    pending = set(loaders)
    while pending:
        finished, pending = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_EXCEPTION)
        for future in finished:
            future.result()  # a failed loader session raises here
        if not pending:
            return
        out = _isql(remote, bulk, f"SELECT 'loaded', COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE {like} "
                                  "AND ll_state = 2;", timeout=STALL_SECONDS)
        done = next((int(line.split()[1]) for line in out.splitlines() if line.startswith("loaded ")), 0)
        if done != done_before:
            done_before, since = done, time.monotonic()
        elif time.monotonic() - since > STALL_SECONDS:
            _isql(remote, bulk, "rdf_load_stop();", timeout=60)  # a loader that wakes up takes no further file
            for proc in list(running):
                proc.kill()
            raise CollabGraphError(
                f"{remote.endpoint}: Virtuoso's bulk loader loaded no file for {STALL_SECONDS:g} s ({done} of "
                f"{files} files loaded; its log may say 'Many lock waits'): stopped it; the next build sends "
                "every graph again")


#: A graph sent before is patched when the triples to delete and insert are at most this many: one
#: SPARQL Update request (one transaction), below the size Virtuoso's parser refuses.
PATCH_TRIPLES = 1000


def graph_text(store: Store, graph: str) -> bytes:
    """``graph`` of ``store`` as N-Triples, as an upload sends it when it has no
    blank node (what :func:`upload`'s ``sent_before`` wants back next time)."""
    return store._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b""


def _patch(store: Store, remote: RemoteStore, graph: ox.NamedNode, before: bytes) -> int | None:
    """Bring the server's ``graph``, sent before as ``before``, to what
    ``store`` holds by deleting and inserting the lines that differ, in one
    request (so the server holds the old graph or the new one, never a mix);
    the triples sent, or None when it is to be sent whole (blank nodes, more
    than PATCH_TRIPLES changes, or a count that then differs from ``store``'s)."""
    now = graph_text(store, graph.value)
    if b"_:" in now or b"_:" in before:
        return None  # blank nodes are skolemised anew on every upload
    old, new = set(before.splitlines()), set(now.splitlines())
    gone, added = sorted(old - new), sorted(new - old)
    if len(gone) + len(added) > PATCH_TRIPLES:
        return None
    operations = [verb + " { GRAPH " + str(graph) + " {\n" + b"\n".join(lines).decode("utf-8") + "\n} }"
                  for verb, lines in (("DELETE DATA", gone), ("INSERT DATA", added)) if lines]
    if operations:
        remote.update(" ;\n".join(operations))
    if remote.count(graph.value) != len(new):
        return None
    return len(gone) + len(added)


def _counts_match(store: Store, remote: RemoteStore, graphs: list[str]) -> set[str]:
    """The ``graphs`` the server holds with as many triples as ``store`` (one query)."""
    if not graphs:
        return set()
    values = " ".join(str(ox.NamedNode(g)) for g in graphs)
    rows = remote.query(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} "
                        "GROUP BY ?g")
    there = {r["g"].value: int(r["n"].value) for r in rows}
    return {g for g in graphs if there.get(g) == store.count(g)}
