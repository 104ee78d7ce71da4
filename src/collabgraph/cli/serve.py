"""The SPARQL server: serve."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..core.errors import CollabGraphError
from .common import TEXT, build_option, cli, echo, source_options


@cli.command()
@build_option
@click.option("--endpoint", metavar="URL", type=TEXT,
              help="Serve a graph loaded into this SPARQL server instead of a build.")
@click.option("--host", default="127.0.0.1", show_default=True, type=TEXT,
              help="Address to bind (0.0.0.0 exposes it to the network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(min=1),
              help="Most rows or triples a query may return (413 past it).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Query worker processes (queries answered at once).")
@click.option("--writable", is_flag=True, help="Accept SPARQL updates (403 otherwise).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME", type=TEXT,
              help="Also answer requests for this host name (IP addresses and localhost always). Repeatable.")
@click.option("--allow-service", multiple=True, metavar="IRI", type=TEXT,
              help="Let SERVICE send queries to this endpoint (or under this IRI if it ends with /); "
                   "none by default. Repeatable.")
@click.option("--allow-load", multiple=True, metavar="IRI", type=TEXT,
              help="With --writable, let LOAD fetch this IRI (or under it if it ends with /); none by default. "
                   "Repeatable.")
@click.option("--max-body", default=1_000_000, show_default=True, type=click.IntRange(min=1), metavar="BYTES",
              help="Largest request body (413 past it).")
@click.option("--max-query", default=100_000, show_default=True, type=click.IntRange(min=1), metavar="CHARS",
              help="Longest query text (413 past it).")
@click.option("--max-result-bytes", default=50_000_000, show_default=True, type=click.IntRange(min=1),
              metavar="BYTES", help="Most text a result may hold (413 past it).")
@click.option("--queue", "max_queue", default=64, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Most queries waiting for a worker; past it 503 with Retry-After.")
@click.option("--per-client", type=click.IntRange(min=1), metavar="N",
              help="Most queries one client (IP address) runs at once  [default: all workers on a loopback "
                   "address, workers - 1 (at least 1) on others]")
@click.option("--memory", is_flag=True,
              help="Answer from an in-memory copy of the build (loaded once from its snapshot at start, about "
                   "0.8 GB per million source triples; the workers are forked from it and share it): heavy queries "
                   "run several times faster than on disk.")
@click.option("--max-memory", default=4096, show_default=True, type=click.IntRange(min=0), metavar="MiB",
              help="Memory each query worker may hold (with --memory: besides the shared copy); a query that "
                   "needs more stops its worker (500, and the worker is replaced). 0: no limit.")
@click.option("--worker-own-memory", "worker_own_memory", default=0, show_default=True, type=click.IntRange(min=0),
              metavar="MiB", help="With --memory: memory of its own a worker may keep between queries (pages of "
                   "the shared copy its queries read become its own) before a fresh worker is forked in its "
                   "place. 0: a sixteenth of the copy (at least 16 MiB). Higher keeps heavy queries warm, "
                   "for more memory.")
@click.option("--header-timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Time a request's headers may take to arrive (408 and the connection closed past it).")
@click.option("--body-timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Time a request's body may take to arrive once its headers are in (408 past it).")
@click.option("--max-connections", default=1000, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Connections open at once (lowered to fit the open-file limit); past it 503.")
@click.option("--max-client-connections", default=100, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Connections open at once from one IP address; past it 503.")
@click.option("--fast-threads", default=2, show_default=True, type=click.IntRange(min=0), metavar="N",
              help="Threads of the server answering queries already seen to be cheap (lookups) without the hop "
                   "to a worker; 0: every query goes to a worker. Read-only local builds only.")
@click.option("--http-processes", type=click.IntRange(min=1), metavar="N",
              help="Processes serving HTTP on the one port, each answering lookups itself; the first holds the "
                   "query workers and their fair queue, and the connection caps are shared. Read-only local "
                   "builds with fast threads, without --review; otherwise 1  [default: 2 with 2 CPUs or more, "
                   "1 with --memory]")
@click.option("--review", "review_", is_flag=True,
              help="Serve the review page of ingested articles at /review; accepting, editing or rejecting "
                   "there changes --graph DIR/articles/ (never the store).")
@source_options
def serve(build_dir: Path, endpoint: str | None, host: str, port: int, timeout: float, max_rows: int,
          workers: int, writable: bool, allow_hosts: tuple[str, ...], allow_service: tuple[str, ...],
          allow_load: tuple[str, ...], max_body: int, max_query: int, max_result_bytes: int, max_queue: int,
          per_client: int | None, memory: bool, max_memory: int, worker_own_memory: int, header_timeout: float, body_timeout: float,
          max_connections: int, max_client_connections: int, fast_threads: int, http_processes: int | None, review_: bool, graph_dir: Path,
          ontology_dir: Path | None) -> None:
    """Serve the SPARQL 1.1 Protocol at /sparql, the explorer at / and a query page at /query.

    Read-only unless --writable; every query runs under --timeout (waiting
    for a worker included) and --max-rows, in worker processes taking turns
    fairly between clients, so a runaway query cannot hang the server. It
    sends no request of its own (SERVICE, LOAD) unless allowed, answers only
    to its own host names, and refuses updates from other sites' pages.

    Example: collabgraph serve --port 8000 && curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205'
    """
    # Not build.pipeline (rdflib, the build's code) nor store.remote (urllib's HTTP, email and ssl) unless
    # --endpoint: the server process keeps what it imports for its whole life (issue 23, memory).
    from ..core.layout import MANIFEST
    from ..web.server import ServerConfig, bind_socket, serve as run_server

    if not endpoint and not (build_dir / MANIFEST).is_file():
        raise CollabGraphError(f"{os.fsdecode(build_dir)}: no build here; run 'collabgraph build' first, "
                               "or name a build with --build DIR (or COLLABGRAPH_BUILD)")
    if memory and (writable or endpoint):
        raise click.UsageError(f"--memory serves a local build read-only: it cannot go with "
                               f"{'--writable' if writable else '--endpoint'}")
    if review_ and not graph_dir.is_dir():
        raise CollabGraphError(f"{os.fsdecode(graph_dir)}: no such graph directory (give --graph DIR with --review)")
    sock = bind_socket(host, port)  # before saying "serving": a busy port is one line, exit 1
    if endpoint:
        from ..store.remote import without_credentials

        shown = without_credentials(endpoint)
    else:
        shown = os.fsdecode(build_dir)
    echo(f"serving {shown} on http://{host}:{port}/ (SPARQL at /sparql, "
          f"{'writable' if writable else 'read-only'}); Ctrl-C stops", err=True)
    if review_:
        echo(f"review page at http://{host}:{port}/review (changes {os.fsdecode(graph_dir)}/articles/; "
              "then run 'collabgraph build')", err=True)
    run_server(ServerConfig(build_dir=str(build_dir), endpoint=endpoint, writable=writable, timeout=timeout,
                            max_rows=max_rows, workers=workers, graph_dir=str(graph_dir),
                            ontology_dir=str(ontology_dir) if ontology_dir else None, review=review_,
                            allow_hosts=allow_hosts, allow_service=allow_service, allow_load=allow_load,
                            max_body=max_body, max_query=max_query, max_result_bytes=max_result_bytes,
                            max_queue=max_queue, per_client=per_client, memory=memory,
                            max_memory=max_memory, worker_own_memory=worker_own_memory, header_timeout=header_timeout, body_timeout=body_timeout,
                            max_connections=max_connections, max_client_connections=max_client_connections,
                            fast_threads=fast_threads, http_processes=http_processes),
               host=host, port=port, sock=sock)
