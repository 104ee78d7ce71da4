"""The server's HTML pages: the whole graph's explorer (made on first
request), the query page with the saved queries, and the saved queries as JSON.
"""

from __future__ import annotations

import contextlib
import json

from ..core.layout import EXPLORER, MANIFEST
from .context import ServerState, server_state, text_response

__all__ = ["explorer", "query_page", "saved", "with_meta_policy"]


def _whole_graph_page(state: ServerState) -> str | None:
    """The build's ``explorer.html``, made on the first request (the build
    leaves it out: at a million triples it takes seconds nobody may need)
    and kept in the build directory when that is writable."""
    from ..store.generations import current_build

    if not state.config.build_dir:
        return None
    here = current_build(state.config.build_dir)  # the page of the build being served now
    if not (here / MANIFEST).is_file():
        return None
    page = here / EXPLORER
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

    html = await run_in_threadpool(_whole_graph_page, server_state(request))
    if html is not None:
        return HTMLResponse(html)
    return text_response("no explorer page: serve a build made by 'collabgraph build'", 404)


async def query_page(request):
    from starlette.responses import HTMLResponse

    return HTMLResponse(_query_page())


async def saved(request):
    from starlette.responses import JSONResponse

    from ..views.saved import saved_queries

    return JSONResponse([q.to_dict() for q in saved_queries().values()])


def _query_page() -> str:
    from ..core.packaged import package_file

    from ..views.saved import saved_queries

    template = package_file("assets", "query.html").read_text("utf-8")
    data = json.dumps([q.to_dict() for q in saved_queries().values()], ensure_ascii=False)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return with_meta_policy(template.replace("/*SAVED*/[]", data))


def with_meta_policy(html: str) -> str:
    """``html`` with its <meta> policy filled in: its own scripts and styles
    by hash and requests to its own server, so that a copy of the page saved
    to disk is as strict as the page served (whose header says the same)."""
    from ..core.pagepolicy import SLOT, policy

    return html.replace(SLOT, policy(html, connect=True), 1)

