"""ASGI middleware around the app: the ``Host`` check (DNS rebinding) and
the headers every response gets (its Content-Security-Policy above all).
"""

from __future__ import annotations

import functools

__all__ = ["host_allowed", "HostCheck", "PageHeaders"]


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


class HostCheck:
    """ASGI middleware: every HTTP request must name this server in ``Host``
    (see :func:`host_allowed`), or it gets 403 in one line."""

    def __init__(self, app, allow: tuple[str, ...]):
        self.app, self.allow = app, allow
        # A client sends the same Host on every request: its verdict is remembered (bounded: a
        # client sending a new Host each time only fills the cache, whose oldest entries go).
        self.allowed = functools.lru_cache(maxsize=256)(lambda host: host_allowed(host, allow))

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            host = ""
            for k, v in scope["headers"]:
                if k == b"host":
                    host = v.decode("latin-1")
                    break
            if not self.allowed(host):
                from starlette.responses import PlainTextResponse

                shown = host[:100].encode("ascii", "backslashreplace").decode("ascii")
                response = PlainTextResponse(f"refused: this server does not answer to the host name {shown!r}; "
                                             f"start it with --allow-host NAME to serve under that name",
                                             status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class PageHeaders:
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

    #: Names of the headers this middleware sets (as ASGI gives them: lower case bytes).
    SET = (b"x-content-type-options", b"referrer-policy", b"content-security-policy")

    def __init__(self, app):
        from ..core.pagepolicy import HEADERS, NON_HTML

        self.app = app
        # The headers of every response that is not an HTML page, encoded once (issue 23: a
        # lookup's answer takes ~0.3 ms in all; building these through MutableHeaders took ~20 µs).
        self.plain = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()] + \
            [(b"content-security-policy", NON_HTML.encode("latin-1"))]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        held: list[dict] = []  # an HTML page's start and body, until the body is whole

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                raw = message.get("headers") or []
                html = False
                for k, v in raw:
                    if k in self.SET or (k == b"content-type" and v.startswith(b"text/html")):
                        html = True  # a page, or headers to replace: the general way below
                        break
                if not html:
                    message["headers"] = [*raw, *self.plain]
                    await send(message)
                    return
                from starlette.datastructures import MutableHeaders

                from ..core.pagepolicy import HEADERS, NON_HTML

                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if headers.get("content-type", "").startswith("text/html"):
                    held.append(message)
                    return
                headers["Content-Security-Policy"] = NON_HTML
            elif held and message["type"] == "http.response.body":
                from ..core.pagepolicy import policy

                held.append(message)
                if message.get("more_body"):
                    return
                start, *parts = held
                held.clear()
                text = b"".join(p.get("body", b"") for p in parts).decode("utf-8", "replace")
                from starlette.datastructures import MutableHeaders

                MutableHeaders(scope=start)["Content-Security-Policy"] = policy(
                    text, connect=path in self.FETCHING, images=path in self.IMAGES, frames=True)
                await send(start)
                for part in parts:
                    await send(part)
                return
            await send(message)

        await self.app(scope, receive, send_with_headers)
