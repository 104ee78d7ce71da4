"""The routes of the SPARQL 1.1 Protocol and the Graph Store HTTP Protocol:
a request is checked and sent, through the query pool's queue, to a worker
(:mod:`.answers`), and its reply becomes the response.
"""

from __future__ import annotations

import functools
import time
import urllib.parse
from typing import Any

from ..core.errors import BodyTooLarge, Refused
from .answers import refusal_of
from .context import (ServerConfig, error_response, foreign_page, read_body, server_state,
                      text_response)
from .protocol import (DATASET_PARAMS, GRAPH_TYPES, RESULT_TYPES, content_charset, dataset_of, endpoint_url,
                       named_request, negotiate, protocol_problem)

__all__ = ["sparql", "graph_store", "run_job", "queued"]


async def _sparql_body(request, config: ServerConfig, params: list) -> tuple[str | None, str | None] | Any:
    """``(kind, text)`` from a POST body (form fields are added to ``params``), or the response refusing it."""
    ctype, _, options = request.headers.get("content-type", "").partition(";")
    ctype = ctype.strip().lower()
    try:
        raw = await read_body(request, config.max_body, config.body_timeout)
    except BodyTooLarge as exc:
        return error_response(exc, {"Connection": "close"})
    charset = content_charset(options)
    if charset not in ("utf-8", "utf8", "us-ascii"):
        return text_response(f"the body must be UTF-8, not {charset}", 400)
    body = raw.decode("utf-8", "replace")
    if ctype in ("application/sparql-query", "application/sparql-update"):
        return ctype.rpartition("-")[2], body
    if ctype == "application/x-www-form-urlencoded":
        params += urllib.parse.parse_qsl(body, keep_blank_values=True)
    elif ctype:
        return text_response(f"unsupported content type {ctype!r}", 415)
    elif raw.strip():
        return text_response("a POST body needs a Content-Type: application/sparql-query, "
                     "application/sparql-update or application/x-www-form-urlencoded", 400)
    return None, None


def _not_allowed(request, config: ServerConfig, kind: str, text: str):
    """The response refusing an update or a query this endpoint does not take, or None."""
    if kind == "update" and not config.writable:
        return text_response("this endpoint is read-only (start it with --writable to allow updates)", 403)
    if kind == "update" and (foreign := foreign_page(request)):
        return text_response(f"refused: an update from a page of another site ({foreign}); updates come "
                     "from programs or from this server's own pages", 403)
    if kind == "query" and len(text) > config.max_query:
        return text_response(f"the query is longer than {config.max_query} characters (--max-query)", 413)
    return None


async def sparql(request):
    """The SPARQL 1.1 Protocol endpoint: queries and updates by GET or POST."""
    from starlette.concurrency import run_in_threadpool

    config = server_state(request).config
    params = [(k, v) for k, v in request.query_params.multi_items()]
    kind, text = None, None
    if request.method == "POST":
        got = await _sparql_body(request, config, params)
        if not isinstance(got, tuple):
            return got
        kind, text = got
    if problem := protocol_problem(params, kind, request.method):
        return text_response(problem, 405 if problem.startswith("updates") else 400)
    given = {k: [v for key, v in params if key == k] for k in DATASET_PARAMS}
    if text is None:
        named = named_request(params, request.method)
        if named is None:
            return text_response("give a SPARQL query as ?query=… (see /query)", 400)
        kind, text = named
    try:
        text, dataset = dataset_of(kind, text, given, endpoint_url(request))
    except ValueError as exc:
        return text_response(str(exc), 400)
    if refused := _not_allowed(request, config, kind, text):
        return refused
    # A short text is checked here (microseconds, and remembered); a long one on a thread, not to hold the loop.
    refusal = refusal_of(config, kind, text) if len(text) < 4000 else \
        await run_in_threadpool(refusal_of, config, kind, text)
    if refusal is not None:
        return text_response(refusal[1], refusal[0])
    accept = request.headers.get("accept")
    result_format, graph_format = _formats(accept) if accept is None or len(accept) < 512 else _formats.__wrapped__(accept)
    return await run_job(request, (kind, text, result_format, graph_format, dataset))


@functools.lru_cache(maxsize=256)  # a client sends the same Accept with every request
def _formats(accept: str | None) -> tuple[str | None, str | None]:
    """The result format and the graph format that ``accept`` asks for."""
    return negotiate(accept, RESULT_TYPES, "json"), negotiate(accept, GRAPH_TYPES, "turtle")


def _shape(state, message: tuple) -> str | None:
    """The query's shape when the server has a fast path and the query may use it (see :mod:`.fastpath`)."""
    if state.fast is None or message[0] != "query" or set(message[4]) - {"base"}:
        return None
    from .fastpath import shape_of

    return shape_of(message[1])


async def graph_store(request):
    """The Graph Store HTTP Protocol: ``?graph=IRI`` or ``?default``."""
    config = server_state(request).config
    graphs = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if len(graphs) + default != 1:
        return text_response("name one graph: ?graph=IRI or ?default", 400)
    method = request.method
    if method in ("GET", "HEAD"):
        fmt = negotiate(request.headers.get("accept"), GRAPH_TYPES, "turtle")
        response = await run_job(request, ("graph", "" if default else graphs[0], None, fmt, {}))
        if method == "HEAD":
            response.body = b""  # the length header stays that of the GET
        return response
    if not config.writable:
        return text_response("this endpoint is read-only (start it with --writable to change graphs)", 403)
    if foreign := foreign_page(request):
        return text_response(f"refused: a change from a page of another site ({foreign})", 403)
    if default:
        return text_response("the default graph is the union of the named graphs: write a named graph "
                     "(?graph=IRI), or send a SPARQL update", 405, {"Allow": "GET, HEAD"})
    dataset: dict[str, Any] = {}
    if method != "DELETE":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        fmt = GRAPH_TYPES.get(ctype) or {"application/n-quads": None}.get(ctype)
        if fmt is None:
            return text_response(f"unsupported content type {ctype!r} for a graph", 415)
        try:
            dataset = {"data": await read_body(request, config.max_body, config.body_timeout), "format": fmt}
        except BodyTooLarge as exc:
            return error_response(exc, {"Connection": "close"})
    return await run_job(request, (method, graphs[0], None, None, dataset))


async def run_job(request, message: tuple):
    """Answer ``message`` (on the server's own threads when its shape is proven
    cheap, :mod:`.fastpath`; else through the queue to a worker) and turn the reply into a response."""
    from starlette.responses import Response

    state = server_state(request)
    timeout = state.config.timeout
    started, arrived = time.perf_counter(), time.monotonic()
    client = request.client.host if request.client else "-"
    shape = _shape(state, message)
    fast = state.fast
    if shape is not None and fast.proven(shape) and fast.try_take(client):
        # Proven cheap: answered on the server's own threads, no hop to a worker.
        reply, took = await fast.run(client, message, arrived + timeout)
        fast.record(shape, timeout if reply[0] == "timeout" else took)
        state.pool.charge(client, took)
    else:
        try:
            # In a serving process other than the first (serve --http-processes), the pool is the first's.
            reply, took = await (state.pool.ask(client, message) if getattr(state.pool, "remote", False)
                                 else queued(state.pool, client, message))
        except Refused as exc:
            return error_response(exc, {"Retry-After": str(exc.retry_after)})
        if shape is not None and reply[0] in ("ok", "timeout"):
            fast.record(shape, timeout if reply[0] == "timeout" else took, tell=True)
    if reply[0] == "timeout":
        return text_response(f"the query ran past the time limit of {timeout:g} s (waiting included) and was stopped", 503)
    if reply[0] == "waited":
        return text_response(f"the server is busy: the query waited the whole time limit of {timeout:g} s for a worker "
                     "and did not run; retry later", 503, {"Retry-After": str(max(1, round(timeout / 2)))})
    if reply[0] == "error":  # ("error", class name, message, the class's http_status)
        return text_response(reply[2], reply[3])
    _, status, media, data = reply
    headers = {"X-Query-Time": f"{time.perf_counter() - started:.3f}"}
    return Response(data, status_code=status, media_type=media, headers=headers)


async def queued(pool, client: str, message: tuple) -> tuple[tuple, float]:
    """The pool's reply to ``message`` and the seconds a worker spent on it, waiting no longer than the request's
    deadline for a worker (see :mod:`collabgraph.web.querypool`).

    :raises Refused: when the queue is full.
    """
    import asyncio

    job = pool.submit(client, message)
    reply = asyncio.wrap_future(job.future)
    try:
        got = await asyncio.wait_for(asyncio.shield(reply), max(0.0, job.deadline - time.monotonic()) + 0.05)
    except asyncio.TimeoutError:
        pool.withdraw(job)  # still queued: answered "waited"; already running: its worker stops it at the deadline
        got = await reply
    return got, (time.monotonic() - job.ran if job.ran else 0.0)

