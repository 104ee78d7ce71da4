"""The review routes (``serve --review``): the review page, the articles
and their candidates as JSON, names for the page's autocomplete, and the
changes the page sends, applied by :class:`collabgraph.ingest.review.Review`
as ``collabgraph review`` applies them (never the store).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from ..core.errors import BodyTooLarge, CollabGraphError
from .context import ServerConfig, error_response, read_body, server_state, text_response
from .pages import with_meta_policy

__all__ = ["review_page", "review_data", "review_names", "review_action"]


def _reviewer(config: ServerConfig):
    from ..ingest.review import Review

    return Review(config.graph_dir or "graph", config.ontology_dir)


def _review_only(handler):
    """``handler`` answering 404 when the server was started without ``--review``."""
    @functools.wraps(handler)
    async def guarded(request):
        if not server_state(request).config.review:
            return text_response("no review here: start the server with --review (and --graph DIR)", 404)
        return await handler(request)
    return guarded


@_review_only
async def review_page(request):
    from ..core.packaged import package_file

    from starlette.responses import HTMLResponse

    page = package_file("assets", "review.html").read_text("utf-8")
    return HTMLResponse(with_meta_policy(page))


@_review_only
async def review_data(request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    return JSONResponse(await run_in_threadpool(_review_data, _reviewer(server_state(request).config)))


@_review_only
async def review_names(request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    config = server_state(request).config
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

    state = server_state(request)
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if request.headers.get("origin") != own:
        return text_response("refused: a review change must come from this server's own review page "
                     "(Origin header missing or foreign)", 403)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return text_response("a review change is a JSON body", 415)
    try:
        body = json.loads(await read_body(request, state.config.max_body, state.config.body_timeout))
        if not isinstance(body, dict):
            raise ValueError("not an object")
    except BodyTooLarge as exc:
        return error_response(exc, {"Connection": "close"})
    except ValueError as exc:
        return text_response(f"the body is not a JSON object: {exc}", 400)
    action = request.path_params["action"]

    def act():
        with state.review_lock:
            return _review_action(_reviewer(state.config), action, body)

    status, answer = await run_in_threadpool(act)
    return JSONResponse(answer, status_code=status)


def _review_data(review) -> dict[str, Any]:
    """The articles under review, for the page. No path on this machine is
    shown outside the graph directory: the file an article was ingested from
    is given relative to it, or left out (its URL says where it came from)."""
    import os

    from ..ingest.review import ingest_day, local_day

    root = Path(review.graph_dir).resolve()
    articles = []
    for aid in review.article_ids():
        af = review.load(aid)
        try:
            text = review.text(aid)
        except Exception as exc:  # the page says so instead of failing whole
            text = ""
            problem: str | None = str(exc).replace(os.fspath(review.graph_dir).rstrip(os.sep) + os.sep, "")
        else:
            problem = None
        article = af.article.to_dict()
        article["original"] = _inside(article.get("original"), root)
        day = local_day(af.article.ingested) if af.article.ingested else None
        sentences = []
        if text:
            try:
                unread = set(af.unread)  # a name no fact read from it: where to look for a missed fact
                sentences = [{"n": n, "start": a, "end": b, "unread": n in unread}
                             for n, (_, a, b) in enumerate(review.sentences(aid), 1)]
            except Exception:  # the text is shown without sentences to add facts from
                sentences = []
        # an article ingested without --title (several at once) is shown by its headline, not its id
        headline = text[sentences[0]["start"]:sentences[0]["end"]].strip() if sentences else ""
        articles.append({"article": article, "ingested_day": day, "headline": headline[:200] or None,
                         "text": text, "problem": problem,
                         "sentences": sentences,
                         "candidates": [{**c.to_dict(), "open": review.unresolved(c), "untyped": review.untyped(c),
                                         "shown": review.shown(c)} for c in af.candidates]})
    from ..ingest.reviewtext import role_choices, type_choices

    # the days of the queue's day filter, as 'review list --since' reads them (this machine's clock)
    days = {word: ingest_day(word) for word in ("today", "yesterday")}
    # where accepted facts go, as the page says it: the graph directory's own name, no path above it
    return {"articles": articles, "types": type_choices(), "roles": role_choices(), "days": days, "graph": root.name}


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

