"""``collabgraph serve``: a SPARQL 1.1 Protocol endpoint, the explorer and a
query page, as a small Starlette app.

Why our own app and not rdflib-endpoint: rdflib-endpoint answers through
rdflib's SPARQL engine (10–80x slower than Oxigraph here) and brings FastAPI.
This app is a thin view over the same store the CLI uses.

Queries run in worker processes, each with its own read-only handle on the
store, fed by the fair queue of :mod:`collabgraph.web.querypool`. A query that
passes the time limit (counted from its arrival) has its worker killed and
replaced, so the server keeps answering. Oxigraph cannot cancel a running
query, and a thread could not be stopped. Results are capped at ``max_rows``
rows (or triples) and ``max_result_bytes``: past a cap the answer is a clear
error, not a truncated result. Updates get 403 unless the server runs with
``--writable``. It binds to 127.0.0.1 unless told otherwise.

Against hostile clients: every request must name this server in ``Host`` (DNS
rebinding), updates from other sites' pages are refused (``Origin``,
``Sec-Fetch-Site``), SERVICE and LOAD send nothing unless their IRI is allowed
(:mod:`collabgraph.core.sparqlguard`), and bodies are read as they stream in and
refused past ``max_body``.

Routes:
- ``GET|POST /sparql``: the SPARQL 1.1 Protocol (``query=`` in the URL or a
  form, or an ``application/sparql-query`` body; updates as ``update=`` or
  ``application/sparql-update``). SELECT and ASK answer as JSON, XML, CSV or
  TSV; CONSTRUCT and DESCRIBE as Turtle, N-Triples or JSON-LD, chosen by
  ``Accept``. The dataset parameters and ``FROM`` are honoured, relative IRIs
  resolve against the endpoint's URL, and a GET without a query answers the
  service description (docs/sparql.md).
- ``GET|HEAD /store?graph=IRI`` or ``?default``: the Graph Store HTTP
  Protocol; ``PUT|POST|DELETE`` of a named graph with ``--writable``.
- ``GET /``: the explorer page. ``GET /query``: a query page with the saved
  queries as examples. ``GET /saved.json``: the saved queries.
- With ``--review`` (and ``--graph DIR``): ``GET /review``, the review page
  of ingested articles; ``GET /review.json``, the articles, their text and
  candidates; ``GET /review/names.json?q=&article=``, names for the page's
  autocomplete; ``POST /review/accept|reject|edit|add|undo|type`` (a JSON body), which change
  ``graph/articles/`` as ``collabgraph review`` does (never the store). A POST
  must come from the page itself: its ``Origin`` must be this server's, and
  its body JSON (which a form on another site cannot send without asking).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import (BodyTooLarge, BodyTooSlow, CollabGraphError, OutgoingFailed, Refused, ResultTooLarge,
                     ServeError, UpdateFailed, http_status)

__all__ = ["ServerConfig", "create_app", "serve", "bind_socket", "host_allowed"]

RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "text/plain": "ntriples", "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
}
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
         "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
         "turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
         "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}


@dataclass(frozen=True)
class ServerConfig:
    build_dir: str | None = "build"
    endpoint: str | None = None
    writable: bool = False
    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 2
    graph_dir: str | None = None      # with review: the source directory whose articles are reviewed
    ontology_dir: str | None = None
    review: bool = False
    #: Host names (besides IP addresses and localhost) this server answers to.
    allow_hosts: tuple[str, ...] = ()
    #: SERVICE endpoints and LOAD sources it may send requests to (an IRI, or a prefix ending in /).
    allow_service: tuple[str, ...] = ()
    allow_load: tuple[str, ...] = ()
    max_body: int = 1_000_000         # bytes of a request body
    max_query: int = 100_000          # characters of a query (updates: max_body)
    max_result_bytes: int = 50_000_000
    max_queue: int = 64               # requests waiting for a worker
    #: Queries one client (IP address) runs at once; None: every worker on
    #: loopback (one user), workers - 1 (at least 1) when served to a network.
    per_client: int | None = None
    memory: bool = False              # each worker answers from an in-memory copy of the build
    #: MiB of memory a worker may hold (its data segment: heap and private mappings); a query that
    #: needs more stops its worker, which is replaced. 0: no limit.
    max_memory: int = 4096
    #: Seconds a request's headers, then its body, may take to arrive (408 past them; slow clients).
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    #: Connections open at once, overall and from one IP address (503 past them); overall is
    #: lowered to fit under the open-file limit (see :mod:`collabgraph.web.httpguard`).
    max_connections: int = 1000
    max_client_connections: int = 100


# -- negotiation ---------------------------------------------------------------------

def negotiate(accept: str | None, table: dict[str, str], default: str) -> str | None:
    """The format for the best media type of an Accept header that ``table``
    knows; ``default`` for */* or no header; ``None`` if nothing fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES, "json")
    'xml'
    >>> negotiate(None, GRAPH_TYPES, "turtle"), negotiate("image/png", RESULT_TYPES, "json")
    ('turtle', None)
    """
    if not accept:
        return default
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q > 0:  # q=0: "not acceptable"
            ranked.append((-q, i, media.lower()))
    for _, _, media in sorted(ranked):
        if media in table:
            return table[media]
        if media == "*/*" or (media.endswith("/*") and MEDIA.get(default, "").startswith(media[:-1])):
            return default
        if media.endswith("/*"):  # text/*: the first type of that kind the table knows
            kind = next((f for f in table.values() if MEDIA[f].startswith(media[:-1])), None)
            if kind is not None:
                return kind
    return None


# -- worker processes -----------------------------------------------------------------

def _worker(conn, config: ServerConfig, generation: str | None) -> None:
    """Runs in a child process: opens its own handle on one build generation
    (the directory ``generation``) and answers requests ``(kind, text,
    result_format, graph_format)`` until told to stop."""
    from ..api import CollabGraph

    if config.max_memory:  # Oxigraph's allocations past it abort this process, never the server
        import resource

        resource.setrlimit(resource.RLIMIT_DATA, (config.max_memory << 20, config.max_memory << 20))
    kg = CollabGraph.connect(config.endpoint) if config.endpoint else None
    opened_local = kg is None
    if kg is None:
        if config.writable:
            from ..build.pipeline import STORE_DIR, current_build, load_manifest
            from ..store.local import Store

            from ..store.generations import pin

            build = Path(generation) if generation else current_build(config.build_dir)
            held = pin(build)  # noqa: F841 -- kept for the worker's life: no build removes this generation
            kg = CollabGraph(Store.open(build / STORE_DIR, read_only=False), manifest=load_manifest(build))
        else:
            kg = CollabGraph.open(generation or config.build_dir, memory=config.memory)
    kg.store.allow_service, kg.store.allow_load = tuple(config.allow_service), tuple(config.allow_load)
    if opened_local and not config.allow_service and not config.allow_load:
        # No request is allowed: take the network away, so that none can be
        # sent whatever a query says and however the engine reads it.
        from ..core.sandbox import forbid_network

        forbid_network()
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        try:
            conn.send(("ok", *_answer(kg, config, *message, generation=generation)))
        except Exception as exc:  # reported to the client as an HTTP error, in one line
            conn.send(("error", type(exc).__name__, " ".join(str(exc).split())[:1000], http_status(exc)))


def _refusal(config: ServerConfig, kind: str, text: str) -> tuple[int, str] | None:
    """``(status, message)`` for a query refused before it is queued: one the
    engine would crash on (400), or one that would send a request not allowed
    (403). The workers check again (and run without network when nothing is allowed)."""
    from ..core.errors import QueryTooComplex
    from ..core.namespaces import PREFIXES
    from ..core.sparqlguard import OutgoingRefused, check_outgoing
    from ..store.local import check_shape

    try:
        check_shape(text)
        check_outgoing(text, update=kind == "update", allow_service=config.allow_service,
                       allow_load=config.allow_load, prefixes=PREFIXES)
    except (QueryTooComplex, OutgoingRefused) as exc:
        return exc.http_status, str(exc)
    return None


def _answer(kg, config: ServerConfig, kind: str, text: str, result_format: str | None,
            graph_format: str | None, dataset: dict | None = None, *,
            generation: str | None = None) -> tuple[int, str, bytes]:
    from ..core.namespaces import PREFIXES
    from ..core.sparqlguard import check_outgoing
    from ..store.local import check_shape, on_big_stack

    check_shape(text)
    sends = check_outgoing(text, update=kind == "update", allow_service=config.allow_service,
                           allow_load=config.allow_load, prefixes=PREFIXES) if kind in ("query", "update") else []
    try:
        # A large stack: a query the shape check missed still cannot crash the worker.
        return on_big_stack(lambda: _run(kg, config, kind, text, result_format, graph_format, generation,
                                         dataset or {}))
    except (ResultTooLarge, SyntaxError):
        raise
    except Exception as exc:
        if not sends:
            raise
        # The engine's message may quote what the remote end answered: never pass it on.
        what = ", ".join(f"{k} <{iri}>" for k, iri in sends)
        raise OutgoingFailed(f"a request this query made failed ({what}); nothing it returned is shown") from exc


def _run(kg, config: ServerConfig, kind: str, text: str, result_format: str | None,
         graph_format: str | None, generation: str | None, dataset: dict) -> tuple[int, str, bytes]:
    """Answer one request. ``dataset`` holds ``base`` (the endpoint's URL,
    for relative IRIs) and the protocol's ``graphs``/``named`` (queries) or an
    update already given its ``using-graph-uri`` clauses."""
    import pyoxigraph as ox

    from ..core.formats import RDF_FORMATS, RESULT_FORMATS

    if kind == "update":
        if generation is not None:
            from ..build.pipeline import WRITTEN_BY_SERVER

            marker = Path(generation) / WRITTEN_BY_SERVER
            if not marker.exists():  # before the first update lands: no rebuild may reuse this store
                marker.write_text("this build was changed by 'collabgraph serve --writable'\n", "utf-8")
        try:
            kg.store.update_dataset(text, base_iri=dataset.get("base"))
        except (RuntimeError, ValueError, OSError) as exc:  # the engine refused to run it (DROP of a missing graph, ...)
            raise UpdateFailed(f"the update was not applied: {' '.join(str(exc).split())[:500]}") from exc
        return 204, "text/plain", b""
    if kind == "service":
        if graph_format is None:
            return 406, "text/plain", b"a service description is Turtle, N-Triples, JSON-LD or RDF/XML"
        sd = service_description(dataset["base"], kg.store.graphs(), writable=config.writable)
        return 200, MEDIA[graph_format], ox.serialize(ox.parse(sd, format=ox.RdfFormat.TURTLE),
                                                      format=RDF_FORMATS[graph_format].ox)
    if kind == "graph":  # Graph Store Protocol read: one named graph, or the default graph (the union)
        return _graph_get(kg, text, graph_format)
    if kind in ("PUT", "POST", "DELETE"):
        return _graph_write(kg, kind, text, dataset)
    result = kg.store.query(text, graphs=dataset.get("graphs"), named=dataset.get("named"),
                            base_iri=dataset.get("base"))
    if isinstance(result, ox.QueryBoolean):
        fmt = result_format or "json"
        return 200, MEDIA[fmt], result.serialize(format=RESULT_FORMATS[fmt])
    if isinstance(result, (ox.QueryTriples, list)):
        if graph_format is None:
            return 406, "text/plain", b"CONSTRUCT/DESCRIBE results are Turtle, N-Triples, JSON-LD or RDF/XML"
        triples = _capped(result, config, "triples")
        if graph_format == "jsonld" and any(isinstance(t, ox.Triple) for q in triples for t in (q.subject, q.object)):
            return 406, "text/plain", (b"the result holds triple terms (RDF 1.2), which JSON-LD cannot; ask for "
                                       b"Turtle, N-Triples or RDF/XML")
        from ..core.namespaces import PREFIXES

        prefixes = {"prefixes": PREFIXES} if graph_format in ("turtle", "rdfxml") else {}
        return 200, MEDIA[graph_format], ox.serialize(triples, format=RDF_FORMATS[graph_format].ox, **prefixes)
    if result_format is None:
        return 406, "text/plain", b"SELECT results are SPARQL JSON, XML, CSV or TSV"
    data = _capped_tsv(result, config)
    if result_format == "tsv":
        return 200, MEDIA["tsv"], data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
    return 200, MEDIA[result_format], parsed.serialize(format=RESULT_FORMATS[result_format])


def _graph_get(kg, graph: str, graph_format: str | None) -> tuple[int, str, bytes]:
    """A Graph Store HTTP Protocol GET: ``graph`` an IRI, or ``""`` for the default graph."""
    import io

    if graph_format is None:
        return 406, "text/plain", b"graphs are Turtle, N-Triples, JSON-LD or RDF/XML"
    if graph and graph not in kg.store.graphs():
        return 404, "text/plain", f"no graph <{graph}> in this store".encode()
    out = io.BytesIO()
    kg.store.dump(out, graph_format, graph=graph or None)
    return 200, MEDIA[graph_format], out.getvalue()


def _graph_write(kg, method: str, graph: str, dataset: dict) -> tuple[int, str, bytes]:
    """A Graph Store HTTP Protocol write on the named graph ``graph``: PUT
    replaces it, POST adds to it, DELETE drops it."""
    exists = graph in kg.store.graphs()
    if method == "DELETE":
        if not exists:
            return 404, "text/plain", f"no graph <{graph}> in this store".encode()
        kg.store.remove_graph(graph)
        return 204, "text/plain", b""
    if method == "PUT":
        kg.store.clear_graph(graph)
    try:
        kg.store.load_data(dataset["data"], dataset["format"], graph=graph)
    except Exception as exc:
        raise UpdateFailed(f"the graph was not stored: {' '.join(str(exc).split())[:500]}") from exc
    return (204 if exists else 201), "text/plain", b""


def _capped(items, config: ServerConfig, what: str, variables: list[str] | None = None) -> list:
    """The rows (or triples) of a result, refused past ``max_rows`` of them or
    past ``max_result_bytes`` of term text, counted as they come."""
    out, size = [], 0
    for item in items:
        out.append(item)
        if len(out) > config.max_rows:
            raise ResultTooLarge(f"the result has more than {config.max_rows} {what}; add a LIMIT, or raise --max-rows")
        terms = (item[v] for v in variables) if variables is not None else (item.subject, item.predicate, item.object)
        size += sum(len(t.value if hasattr(t, "value") else str(t)) + 16 for t in terms if t is not None)
        if size > config.max_result_bytes:
            raise ResultTooLarge(f"the result is larger than {config.max_result_bytes} bytes; "
                                 "add a LIMIT, or raise --max-result-bytes")
    return out


class _CappedWriter:
    """Where the engine writes a SELECT result as TSV: one line a row (the
    format escapes line breaks in terms), so rows and bytes are counted as
    they come and the engine is stopped past ``max_rows`` or ``max_result_bytes``."""

    def __init__(self, config: ServerConfig):
        self.config, self.chunks, self.lines, self.size, self.refused = config, [], 0, 0, None

    def write(self, chunk) -> int:
        self.chunks.append(bytes(chunk))
        self.lines += chunk.count(b"\n")
        self.size += len(chunk)
        if self.lines > self.config.max_rows + 1:  # the header is a line too
            self.refused = (f"the result has more than {self.config.max_rows} rows; add a LIMIT, "
                            "or raise --max-rows")
        elif self.size > self.config.max_result_bytes:
            self.refused = (f"the result is larger than {self.config.max_result_bytes} bytes; "
                            "add a LIMIT, or raise --max-result-bytes")
        if self.refused:
            raise OSError(self.refused)  # stops the engine's writer; read back from .refused
        return len(chunk)

    def flush(self) -> None:
        pass


def _capped_tsv(result, config: ServerConfig) -> bytes:
    """A SELECT result serialised by the engine (not term by term in Python:
    ~5x faster, and the same results), within the caps.

    :raises ResultTooLarge: past ``max_rows`` rows or ``max_result_bytes`` bytes of TSV.
    """
    import pyoxigraph as ox

    writer = _CappedWriter(config)
    try:
        result.serialize(writer, format=ox.QueryResultsFormat.TSV)
    except OSError:
        if writer.refused:
            raise ResultTooLarge(writer.refused) from None
        raise
    return b"".join(writer.chunks)


# -- the app ---------------------------------------------------------------------------

@dataclass(eq=False)
class ServerState:
    """What the handlers share: the configuration, the query pool (made when
    the app starts) and the locks. ``create_app`` keeps one on ``app.state.collab``."""

    config: ServerConfig
    pool: Any = None
    explorer_lock: threading.Lock = field(default_factory=threading.Lock)
    review_lock: threading.Lock = field(default_factory=threading.Lock)  # one change to graph/articles/ at a time


def _state(request) -> ServerState:
    return request.app.state.collab


def _text(message: str, status: int, headers: dict[str, str] | None = None):
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(message, status_code=status, headers=headers)


def _error(exc: BaseException, headers: dict[str, str] | None = None):
    """The one-line answer to a request that failed with ``exc``, at its class's ``http_status``."""
    return _text(str(exc), http_status(exc), headers)


async def _sparql_body(request, config: ServerConfig, params: list) -> tuple[str | None, str | None] | Any:
    """``(kind, text)`` from a POST body (form fields are added to ``params``), or the response refusing it."""
    ctype, _, options = request.headers.get("content-type", "").partition(";")
    ctype = ctype.strip().lower()
    try:
        raw = await _read_body(request, config.max_body, config.body_timeout)
    except BodyTooLarge as exc:
        return _error(exc, {"Connection": "close"})
    charset = _charset(options)
    if charset not in ("utf-8", "utf8", "us-ascii"):
        return _text(f"the body must be UTF-8, not {charset}", 400)
    body = raw.decode("utf-8", "replace")
    if ctype in ("application/sparql-query", "application/sparql-update"):
        return ctype.rpartition("-")[2], body
    if ctype == "application/x-www-form-urlencoded":
        params += urllib.parse.parse_qsl(body, keep_blank_values=True)
    elif ctype:
        return _text(f"unsupported content type {ctype!r}", 415)
    elif raw.strip():
        return _text("a POST body needs a Content-Type: application/sparql-query, "
                     "application/sparql-update or application/x-www-form-urlencoded", 400)
    return None, None


def _named_request(params: list, method: str) -> tuple[str, str] | None:
    """``(kind, text)`` from the ``update`` or ``query`` parameter; a GET with neither asks for the service description."""
    named = dict(params)
    if "update" in named:
        return "update", named["update"]
    if "query" in named:
        return "query", named["query"]
    return ("service", "") if method == "GET" else None


def _not_allowed(request, config: ServerConfig, kind: str, text: str):
    """The response refusing an update or a query this endpoint does not take, or None."""
    if kind == "update" and not config.writable:
        return _text("this endpoint is read-only (start it with --writable to allow updates)", 403)
    if kind == "update" and (foreign := _foreign_page(request)):
        return _text(f"refused: an update from a page of another site ({foreign}); updates come "
                     "from programs or from this server's own pages", 403)
    if kind == "query" and len(text) > config.max_query:
        return _text(f"the query is longer than {config.max_query} characters (--max-query)", 413)
    return None


def _dataset(kind: str, text: str, given: dict[str, list[str]], base: str) -> tuple[str, dict[str, Any]]:
    """The text to run and its dataset: ``base``, and the protocol's graphs for a
    query; an update is given its ``USING`` clauses instead.

    :raises ValueError: when the update cannot take them.
    """
    dataset: dict[str, Any] = {"base": base}
    if kind == "query" and (given["default-graph-uri"] or given["named-graph-uri"]):
        dataset["graphs"], dataset["named"] = given["default-graph-uri"], given["named-graph-uri"]
    if kind == "update" and (given["using-graph-uri"] or given["using-named-graph-uri"]):
        text = with_using(text, given["using-graph-uri"], given["using-named-graph-uri"])
    return text, dataset


async def sparql(request):
    """The SPARQL 1.1 Protocol endpoint: queries and updates by GET or POST."""
    from starlette.concurrency import run_in_threadpool

    config = _state(request).config
    params = [(k, v) for k, v in request.query_params.multi_items()]
    kind, text = None, None
    if request.method == "POST":
        got = await _sparql_body(request, config, params)
        if not isinstance(got, tuple):
            return got
        kind, text = got
    if problem := _protocol_problem(params, kind, request.method):
        return _text(problem, 405 if problem.startswith("updates") else 400)
    given = {k: [v for key, v in params if key == k] for k in _DATASET_PARAMS}
    if text is None:
        named = _named_request(params, request.method)
        if named is None:
            return _text("give a SPARQL query as ?query=… (see /query)", 400)
        kind, text = named
    try:
        text, dataset = _dataset(kind, text, given, _endpoint_url(request))
    except ValueError as exc:
        return _text(str(exc), 400)
    if refused := _not_allowed(request, config, kind, text):
        return refused
    refusal = await run_in_threadpool(_refusal, config, kind, text)
    if refusal is not None:
        return _text(refusal[1], refusal[0])
    accept = request.headers.get("accept")
    result_format = negotiate(accept, RESULT_TYPES, "json")
    graph_format = negotiate(accept, GRAPH_TYPES, "turtle")
    return await run_job(request, (kind, text, result_format, graph_format, dataset))


async def graph_store(request):
    """The Graph Store HTTP Protocol: ``?graph=IRI`` or ``?default``."""
    config = _state(request).config
    graphs = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if len(graphs) + default != 1:
        return _text("name one graph: ?graph=IRI or ?default", 400)
    method = request.method
    if method in ("GET", "HEAD"):
        fmt = negotiate(request.headers.get("accept"), GRAPH_TYPES, "turtle")
        response = await run_job(request, ("graph", "" if default else graphs[0], None, fmt, {}))
        if method == "HEAD":
            response.body = b""  # the length header stays that of the GET
        return response
    if not config.writable:
        return _text("this endpoint is read-only (start it with --writable to change graphs)", 403)
    if foreign := _foreign_page(request):
        return _text(f"refused: a change from a page of another site ({foreign})", 403)
    if default:
        return _text("the default graph is the union of the named graphs: write a named graph "
                     "(?graph=IRI), or send a SPARQL update", 405, {"Allow": "GET, HEAD"})
    dataset: dict[str, Any] = {}
    if method != "DELETE":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        fmt = GRAPH_TYPES.get(ctype) or {"application/n-quads": None}.get(ctype)
        if fmt is None:
            return _text(f"unsupported content type {ctype!r} for a graph", 415)
        try:
            dataset = {"data": await _read_body(request, config.max_body, config.body_timeout), "format": fmt}
        except BodyTooLarge as exc:
            return _error(exc, {"Connection": "close"})
    return await run_job(request, (method, graphs[0], None, None, dataset))


async def run_job(request, message: tuple):
    """Send ``message`` to a worker and turn its reply into a response."""
    from starlette.responses import Response

    state = _state(request)
    timeout = state.config.timeout
    started = time.perf_counter()
    client = request.client.host if request.client else "-"
    try:
        reply = await _queued(state.pool, client, message)
    except Refused as exc:
        return _error(exc, {"Retry-After": str(exc.retry_after)})
    if reply[0] == "timeout":
        return _text(f"the query ran past the time limit of {timeout:g} s (waiting included) and was stopped", 503)
    if reply[0] == "waited":
        return _text(f"the server is busy: the query waited the whole time limit of {timeout:g} s for a worker "
                     "and did not run; retry later", 503, {"Retry-After": str(max(1, round(timeout / 2)))})
    if reply[0] == "error":  # ("error", class name, message, the class's http_status)
        return _text(reply[2], reply[3])
    _, status, media, data = reply
    headers = {"X-Query-Time": f"{time.perf_counter() - started:.3f}"}
    return Response(data, status_code=status, media_type=media, headers=headers)


def _whole_graph_page(state: ServerState) -> str | None:
    """The build's ``explorer.html``, made on the first request (the build
    leaves it out: at a million triples it takes seconds nobody may need)
    and kept in the build directory when that is writable."""
    from ..store.generations import current_build

    if not state.config.build_dir:
        return None
    here = current_build(state.config.build_dir)  # the page of the build being served now
    if not (here / "manifest.json").is_file():
        return None
    page = here / "explorer.html"
    with state.explorer_lock:
        if page.is_file():
            return page.read_text("utf-8")
        from ..api import CollabGraph

        with CollabGraph.open(here) as kg:
            made = kg.explore()
        with contextlib.suppress(OSError):
            made.write(page)
        return made.html


async def explorer(request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse

    html = await run_in_threadpool(_whole_graph_page, _state(request))
    if html is not None:
        return HTMLResponse(html)
    return _text("no explorer page: serve a build made by 'collabgraph build'", 404)


async def query_page(request):
    from starlette.responses import HTMLResponse

    return HTMLResponse(_query_page())


async def saved(request):
    from starlette.responses import JSONResponse

    from ..views.saved import saved_queries

    return JSONResponse([q.to_dict() for q in saved_queries().values()])


def _reviewer(config: ServerConfig):
    from ..ingest.review import Review

    return Review(config.graph_dir or "graph", config.ontology_dir)


def _review_only(handler):
    """``handler`` answering 404 when the server was started without ``--review``."""
    @functools.wraps(handler)
    async def guarded(request):
        if not _state(request).config.review:
            return _text("no review here: start the server with --review (and --graph DIR)", 404)
        return await handler(request)
    return guarded


@_review_only
async def review_page(request):
    from ..core.packaged import package_file

    from starlette.responses import HTMLResponse

    page = package_file("assets", "review.html").read_text("utf-8")
    return HTMLResponse(_with_meta_policy(page))


@_review_only
async def review_data(request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    return JSONResponse(await run_in_threadpool(_review_data, _reviewer(_state(request).config)))


@_review_only
async def review_names(request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    config = _state(request).config
    q = request.query_params.get("q", "")[:200]
    article = request.query_params.get("article") or None

    def names():
        try:
            return 200, _reviewer(config).names(q, article=article, limit=12)
        except CollabGraphError as exc:
            return 400, {"error": str(exc)}
    status, answer = await run_in_threadpool(names)
    return JSONResponse(answer, status_code=status)


@_review_only
async def review_action(request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    state = _state(request)
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if request.headers.get("origin") != own:
        return _text("refused: a review change must come from this server's own review page "
                     "(Origin header missing or foreign)", 403)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return _text("a review change is a JSON body", 415)
    try:
        body = json.loads(await _read_body(request, state.config.max_body, state.config.body_timeout))
        if not isinstance(body, dict):
            raise ValueError("not an object")
    except BodyTooLarge as exc:
        return _error(exc, {"Connection": "close"})
    except ValueError as exc:
        return _text(f"the body is not a JSON object: {exc}", 400)
    action = request.path_params["action"]

    def act():
        with state.review_lock:
            return _review_action(_reviewer(state.config), action, body)

    status, answer = await run_in_threadpool(act)
    return JSONResponse(answer, status_code=status)


def create_app(config: ServerConfig):
    """The ASGI app serving ``config``: the routes above, the query pool
    started with the app, and the host check and page headers around them."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.routing import Route

    from .querypool import QueryPool

    state = ServerState(config)
    slots = 1 if config.writable else max(1, config.workers)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        state.pool = await run_in_threadpool(
            lambda: QueryPool(_worker, config, slots=slots, timeout=config.timeout, max_queue=config.max_queue,
                              per_client=config.per_client or slots,
                              build_dir=None if config.endpoint else config.build_dir, spare=not config.writable))
        try:
            yield
        finally:
            state.pool.close()

    app = Starlette(routes=[
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/store", graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route("/", explorer), Route("/query", query_page), Route("/saved.json", saved),
        Route("/review", review_page), Route("/review.json", review_data),
        Route("/review/names.json", review_names),
        Route("/review/{action:str}", review_action, methods=["POST"]),
    ], lifespan=lifespan)
    app.state.collab = state
    return _PageHeaders(_HostCheck(app, config.allow_hosts))


#: The SPARQL 1.1 Protocol's dataset parameters (queries, then updates).
_DATASET_PARAMS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")


def _charset(options: str) -> str:
    """The ``charset`` of a Content-Type's parameters (``utf-8`` when none)."""
    for part in options.split(";"):
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return "utf-8"


def _protocol_problem(params: list[tuple[str, str]], kind: str | None, method: str) -> str | None:
    """Why a request breaks the SPARQL 1.1 Protocol (one line), or ``None``.

    >>> _protocol_problem([("query", "ASK {}"), ("query", "ASK {}")], None, "GET")
    'more than one query parameter: a request carries one operation'
    >>> _protocol_problem([("update", "CLEAR ALL"), ("query", "ASK {}")], None, "POST")
    'a request is a query or an update, not both'
    """
    counts = {name: sum(1 for k, _ in params if k == name) for name in ("query", "update")}
    for name, n in counts.items():
        if n > 1:
            return f"more than one {name} parameter: a request carries one operation"
    if kind is not None and (counts["query"] or counts["update"]):
        return f"the {kind} is the body: a query or update parameter as well is one operation too many"
    if counts["query"] and counts["update"]:
        return "a request is a query or an update, not both"
    if counts["update"] and method != "POST":
        return "updates must be POSTed"
    operation = kind or ("update" if counts["update"] else "query" if counts["query"] else None)
    names = {k for k, _ in params}
    if operation == "query" and names & {"using-graph-uri", "using-named-graph-uri"}:
        return "using-graph-uri and using-named-graph-uri belong to updates; a query takes default-graph-uri"
    if operation == "update" and names & {"default-graph-uri", "named-graph-uri"}:
        return "default-graph-uri and named-graph-uri belong to queries; an update takes using-graph-uri"
    return None


def with_using(update: str, graphs: list[str], named: list[str]) -> str:
    """``update`` with ``USING``/``USING NAMED`` clauses for the protocol's
    ``using-graph-uri``/``using-named-graph-uri``, put before the ``WHERE`` of
    each DELETE/INSERT operation (SPARQL 1.1 Protocol §2.2.3).

    >>> with_using("INSERT { ?s a 1 } WHERE { ?s ?p ?o }", ["http://g/1"], [])
    'INSERT { ?s a 1 }  USING <http://g/1> WHERE { ?s ?p ?o }'

    :raises ValueError: when the update has USING or WITH of its own (the
        protocol says 400), or an operation that cannot take USING.
    """
    from ..core.sparqltext import tokens

    clause = " " + " ".join([f"USING <{g}>" for g in graphs] + [f"USING NAMED <{g}>" for g in named]) + " "
    if any(">" in g or "<" in g or " " in g for g in graphs + named):
        raise ValueError("a using-graph-uri is not an IRI")
    at, depth, previous = [], 0, ""
    for kind, tok, offset in tokens(update):
        if kind == "other" and tok in "{}":
            depth += 1 if tok == "{" else -1
        if kind == "word" and depth == 0:
            word = tok.upper()
            if word in ("USING", "WITH"):
                raise ValueError(f"the update has a {word} clause and the request using-graph-uri/"
                                 "using-named-graph-uri: give the dataset one way")
            if word == "WHERE":
                if previous.upper() == "DELETE":
                    raise ValueError("DELETE WHERE cannot take USING; with using-graph-uri write "
                                     "DELETE { ... } WHERE { ... }")
                at.append(offset)
        if not tok.isspace() and kind != "comment":
            previous = tok
    for offset in reversed(at):
        update = update[:offset] + clause + update[offset:]
    return update


def _endpoint_url(request) -> str:
    """This endpoint's URL as the client named it: the base IRI of its queries."""
    return f"{request.url.scheme}://{request.headers.get('host', '')}{request.url.path}"


def service_description(url: str, graphs: list[str], *, writable: bool) -> str:
    """A SPARQL 1.1 Service Description of the endpoint at ``url`` (Turtle):
    its languages, result formats and dataset (the union default graph and
    the named ``graphs``).

    >>> "sd:endpoint <http://127.0.0.1:8000/sparql>" in service_description("http://127.0.0.1:8000/sparql", [], writable=False)
    True
    """
    results = ", ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in
                        ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                         "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
    languages = "sd:SPARQL11Query, sd:SPARQL11Update" if writable else "sd:SPARQL11Query"
    named = "".join(f" ;\n    sd:namedGraph [ a sd:NamedGraph ; sd:name <{g}> ]" for g in graphs)
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
<{url}> a sd:Service ;
  sd:endpoint <{url}> ;
  sd:supportedLanguage {languages} ;
  sd:resultFormat {results} ;
  sd:feature sd:UnionDefaultGraph ;
  sd:defaultDataset [ a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ]{named} ] .
"""


async def _queued(pool, client: str, message: tuple) -> tuple:
    """The pool's reply to ``message``, waiting no longer than the request's
    deadline for a worker (see :mod:`collabgraph.web.querypool`).

    :raises Refused: when the queue is full.
    """
    import asyncio

    job = pool.submit(client, message)
    reply = asyncio.wrap_future(job.future)
    try:
        return await asyncio.wait_for(asyncio.shield(reply), max(0.0, job.deadline - time.monotonic()) + 0.05)
    except asyncio.TimeoutError:
        pool.withdraw(job)  # still queued: answered "waited"; already running: its worker stops it at the deadline
        return await reply


#: The old private names of :class:`~collabgraph.core.errors.BodyTooLarge` and ``BodyTooSlow``.
_BodyTooLarge, _BodyTooSlow = BodyTooLarge, BodyTooSlow


async def _read_body(request, cap: int, timeout: float | None = None) -> bytes:
    """The request body, read as it streams in and refused as soon as it passes
    ``cap`` bytes (or announces more), so a huge body is never held, or when
    it takes longer than ``timeout`` seconds. (Under ``serve`` the connection
    guard of :mod:`collabgraph.web.httpguard` cuts slow bodies first; this holds
    under any other ASGI server too.)

    :raises BodyTooLarge: in one line (``BodyTooSlow`` for a body cut short).
    """
    import asyncio

    from starlette.requests import ClientDisconnect

    message = f"the request body is larger than {cap} bytes (--max-body)"
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise BodyTooLarge(message)
    chunks, size = [], 0

    async def read() -> None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise BodyTooLarge(message)
            chunks.append(chunk)

    try:
        await asyncio.wait_for(read(), timeout)
    except asyncio.TimeoutError:
        raise BodyTooSlow(f"the request body did not arrive within {timeout:g} s (--body-timeout)") from None
    except ClientDisconnect:  # cut by the connection guard, or the client left: no one reads this answer
        raise BodyTooSlow("the request body did not arrive whole") from None
    return b"".join(chunks)


def _foreign_page(request) -> str | None:
    """What shows that a request was sent by a page of another origin (the
    browser says so in ``Sec-Fetch-Site`` and ``Origin``), or ``None``.
    Programs send neither header; this server's own pages send its origin."""
    site = request.headers.get("sec-fetch-site")
    if site and site not in ("same-origin", "none"):
        return f"Sec-Fetch-Site: {site}"
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.headers.get('host', '')}":
        return f"Origin: {origin}"
    return None


def host_allowed(host: str, allow: tuple[str, ...] | list[str] = ()) -> bool:
    """Whether a ``Host`` header names this server: an IP address, localhost
    or a name in ``allow``. A page on a domain that an attacker re-points at
    this machine (DNS rebinding) sends its own domain, which is none of these.

    >>> [host_allowed(h) for h in ("127.0.0.1:8000", "[::1]:8000", "localhost", "evil.example:8000", "")]
    [True, True, True, False, False]
    >>> host_allowed("Graph.Example.org", ["graph.example.org"])
    True
    """
    import ipaddress

    name = host.strip().lower()
    if name.startswith("["):
        name = name[1:name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.split(":")[0]
    name = name.rstrip(".")
    if not name:
        return False
    if name == "localhost" or name.endswith(".localhost") or name in {a.lower().rstrip(".") for a in allow}:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class _HostCheck:
    """ASGI middleware: every HTTP request must name this server in ``Host``
    (see :func:`host_allowed`), or it gets 403 in one line."""

    def __init__(self, app, allow: tuple[str, ...]):
        self.app, self.allow = app, allow

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
            if not host_allowed(host, self.allow):
                from starlette.responses import PlainTextResponse

                shown = host[:100].encode("ascii", "backslashreplace").decode("ascii")
                response = PlainTextResponse(f"refused: this server does not answer to the host name {shown!r}; "
                                             f"start it with --allow-host NAME to serve under that name",
                                             status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _PageHeaders:
    """ASGI middleware: every response gets ``X-Content-Type-Options: nosniff``,
    ``Referrer-Policy: no-referrer`` and a Content-Security-Policy. An HTML
    page's policy allows its own inline scripts and styles by their hashes
    (:mod:`collabgraph.core.pagepolicy`, computed from the page as sent, so a
    rebuilt explorer gets its own), requests to this server only for the
    pages that make them, and no framing; anything else gets one that allows
    nothing."""

    #: The pages that talk to this server (/sparql, /review.json, /review/…).
    FETCHING = ("/query", "/review")
    #: The pages that show ``data:`` images (vis-network's icons).
    IMAGES = ("/",)

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.datastructures import MutableHeaders

        from ..core.pagepolicy import HEADERS, NON_HTML, policy

        path = scope.get("path", "")
        held: list[dict] = []  # an HTML page's start and body, until the body is whole

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if headers.get("content-type", "").startswith("text/html"):
                    held.append(message)
                    return
                headers["Content-Security-Policy"] = NON_HTML
            elif held and message["type"] == "http.response.body":
                held.append(message)
                if message.get("more_body"):
                    return
                start, *parts = held
                held.clear()
                html = b"".join(p.get("body", b"") for p in parts).decode("utf-8", "replace")
                MutableHeaders(scope=start)["Content-Security-Policy"] = policy(
                    html, connect=path in self.FETCHING, images=path in self.IMAGES, frames=True)
                await send(start)
                for part in parts:
                    await send(part)
                return
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _review_data(review) -> dict[str, Any]:
    """The articles under review, for the page. No path on this machine is
    shown outside the graph directory: the file an article was ingested from
    is given relative to it, or left out (its URL says where it came from)."""
    import os

    root = Path(review.graph_dir).resolve()
    articles = []
    for aid in review.article_ids():
        af = review.load(aid)
        try:
            text = review.text(aid)
        except Exception as exc:  # the page says so instead of failing whole
            text, problem = "", str(exc).replace(os.fspath(review.graph_dir).rstrip(os.sep) + os.sep, "")
        else:
            problem = None
        article = af.article.to_dict()
        article["original"] = _inside(article.get("original"), root)
        sentences = []
        if text:
            try:
                sentences = [{"n": n, "start": a, "end": b} for n, (_, a, b) in enumerate(review.sentences(aid), 1)]
            except Exception:  # the text is shown without sentences to add facts from
                sentences = []
        articles.append({"article": article, "text": text, "problem": problem, "sentences": sentences,
                         "candidates": [{**c.to_dict(), "open": review.unresolved(c), "untyped": review.untyped(c),
                                         "shown": review.shown(c)} for c in af.candidates]})
    from ..ingest.reviewtext import role_choices, type_choices

    return {"articles": articles, "types": type_choices(), "roles": role_choices()}


def _inside(path: str | None, root: Path) -> str | None:
    """``path`` relative to ``root`` if it lies inside it, else ``None``."""
    if not path:
        return None
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return None


def _review_action(review, action: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Apply one change from the page: ``{"ids": [...]}`` or ``{"id": ..., "role": ...,
    "character": ..., "date": ..., "link": {slot: entity}, "new": [slots], "type": {slot: class}}``."""
    from ..core.errors import CollabGraphError, ValidationError

    def strings(value, what):
        if value is None:
            return None
        if not isinstance(value, str):
            raise CollabGraphError(f"{what} must be a string, not {type(value).__name__}")
        return value.strip() or None

    try:
        links = body.get("link") or {}
        new = body.get("new") or []
        if not isinstance(links, dict) or not isinstance(new, list) or not all(isinstance(n, str) for n in new):
            raise CollabGraphError("link must be an object (slot: entity) and new a list of slots")
        links = {strings(k, "a slot"): strings(v, "an entity") for k, v in links.items() if strings(v, "an entity")}
        types = body.get("type") or {}
        if not isinstance(types, dict):
            raise CollabGraphError("type must be an object (slot: class)")
        types = {strings(k, "a slot"): strings(v, f"the type of {k!r}") for k, v in types.items() if v}
        if action in ("accept", "reject", "undo"):
            ids = body.get("ids")
            if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
                raise CollabGraphError("give ids: a list of candidate ids")
            result = (review.accept(ids, links=links, new=new, types=types, keep_going=body.get("bulk") is True)
                      if action == "accept"
                      else review.reject(ids) if action == "reject" else review.reopen(ids))
        elif action == "type":
            result = review.set_types(strings(body.get("id"), "id") or "", types)
        elif action == "add":
            words, at = body.get("words") or {}, body.get("at") or {}
            if not isinstance(words, dict) or not isinstance(at, dict) \
                    or not all(isinstance(v, int) and not isinstance(v, bool) for v in at.values()):
                raise CollabGraphError("words must be an object (slot: words) and at one of offsets (slot: number)")
            n = body.get("sentence")
            if not isinstance(n, int) or isinstance(n, bool):
                raise CollabGraphError("sentence must be a number (1 is the first)")
            result = review.add(strings(body.get("article"), "article") or "", n,
                                agent=strings(body.get("agent"), "agent"), work=strings(body.get("work"), "work"),
                                member=strings(body.get("member"), "member"), group=strings(body.get("group"), "group"),
                                role=strings(body.get("role"), "role"),
                                character=strings(body.get("character"), "character"),
                                date=strings(body.get("date"), "date"), types=types,
                                words={strings(k, "a slot"): strings(v, "words") for k, v in words.items()
                                       if strings(v, "words")},
                                at={strings(k, "a slot"): v for k, v in at.items()}, accept=body.get("accept") is True)
        elif action == "edit":
            result = review.edit(strings(body.get("id"), "id") or "", role=strings(body.get("role"), "role"),
                                 character=strings(body.get("character"), "character"),
                                 date=strings(body.get("date"), "date"), links=links, new=new, types=types)
        else:
            return 404, {"error": f"no review action {action!r} (accept, reject, edit, add, undo, type)"}
    except ValidationError as exc:
        return 409, {"error": f"the graph refuses this change ({len(exc.problems)} problem(s)); nothing changed",
                     "problems": [str(p) for p in exc.problems]}
    except CollabGraphError as exc:
        return 400, {"error": str(exc)}
    return 200, result.to_dict()


def _query_page() -> str:
    from ..core.packaged import package_file

    from ..views.saved import saved_queries

    template = package_file("assets", "query.html").read_text("utf-8")
    data = json.dumps([q.to_dict() for q in saved_queries().values()], ensure_ascii=False)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _with_meta_policy(template.replace("/*SAVED*/[]", data))


def _with_meta_policy(html: str) -> str:
    """``html`` with its <meta> policy filled in: its own scripts and styles
    by hash and requests to its own server, so that a copy of the page saved
    to disk is as strict as the page served (whose header says the same)."""
    from ..core.pagepolicy import SLOT, policy

    return html.replace(SLOT, policy(html, connect=True), 1)


def bind_socket(host: str = "127.0.0.1", port: int = 8000) -> socket.socket:
    """A TCP socket bound to ``host:port``, the way uvicorn binds one (IPv6
    when the host has a colon), so that a busy port is known before anything
    starts or says it is serving.

    :raises ServeError: in one line, for a port in use, a port that needs
        privileges, or an address that is not this machine's.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: accepted sockets inherit it, and asyncio sets
    # TCP_NODELAY only on sockets that say they are TCP (without it every
    # small answer waits ~40 ms for the client's delayed acknowledgement).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            reason = "is in use; pick another with --port"
        elif exc.errno == errno.EACCES:
            reason = "needs privileges this user does not have; pick one above 1023 with --port"
        elif exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
            raise ServeError(f"cannot serve on {host}: not an address of this machine "
                             f"({exc.strerror or exc}); use --host 127.0.0.1 or 0.0.0.0") from None
        else:
            reason = f"cannot be used ({exc.strerror or exc})"
        raise ServeError(f"port {port} on {host} {reason}") from None
    return sock


def serve(config: ServerConfig, *, host: str = "127.0.0.1", port: int = 8000,
          sock: socket.socket | None = None) -> None:
    """Serve until interrupted, on ``sock`` or else on a socket bound to ``host:port``.

    :raises ServeError: as :func:`bind_socket`.
    """
    import dataclasses
    import ipaddress

    import uvicorn

    if config.per_client is None:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            config = dataclasses.replace(config, per_client=max(1, config.workers - 1))
    if sock is None:
        sock = bind_socket(host, port)
    from .httpguard import ConnectionLimits, guarded_protocol, one_framing, raise_open_file_limit

    limits = ConnectionLimits(header_timeout=config.header_timeout, body_timeout=config.body_timeout,
                              total=config.max_connections, per_client=config.max_client_connections)
    soft = raise_open_file_limit()
    limits = limits.within_fd_limit(soft, config.workers)
    if limits.total < config.max_connections:
        import sys

        print(f"note: this process may open {soft} files (ulimit -n), so at most {limits.total} connections "
              f"at once ({limits.per_client} from one address), not {config.max_connections}", file=sys.stderr)
    server = uvicorn.Server(uvicorn.Config(one_framing(create_app(config)), host=host, port=port, log_level="warning",
                                           http=guarded_protocol(limits), backlog=limits.backlog))
    server.run(sockets=[sock])

