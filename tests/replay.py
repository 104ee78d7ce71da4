"""A local stand-in for Wikidata and MusicBrainz: it replays recorded answers.

The machine that runs the tests has no way to the real services, and tests
must not depend on them anyway. :class:`ReplayServer` is a threaded
``http.server`` on 127.0.0.1 (a free port) that answers

- ``…/Special:EntityData/<QID>.json`` with ``tests/data/wikidata/<QID>.json``, or with the
  file whose document holds that QID (``Q3571994`` is answered by ``Q16231742.json``, the
  merged item's recorded answer);
- ``…/w/api.php?action=wbgetentities&ids=Q1|Q2…`` with the entities of
  ``tests/data/wikidata/wbgetentities-labels.json`` that were asked for (ids it does not
  hold are left out of the answer);
- ``…/ws/2/<type>/<mbid>`` (any query) with the file of ``tests/data/musicbrainz/`` whose
  name starts with ``<type>`` and whose document has that ``id`` (the first such file by
  name when several do);

and anything else with 404. Tests script other answers, one per request, in order:
:meth:`ReplayServer.script` queues :class:`Reply` objects for a path (or for every path)
— a 503 with ``Retry-After``, a 429, an HTML error page, a hang past the client's time-out,
a 301 redirect, a dropped connection — after which the recorded files answer again.
Every request is logged (:attr:`ReplayServer.requests`) with its headers and arrival time,
so tests can check the User-Agent, the spacing of requests, and that none was made.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

HTML_ERROR_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Wikimedia Error</title></head>\n"
                   b"<body><p>Our servers are currently under maintenance or experiencing a technical "
                   b"problem.</p></body></html>\n")


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: seconds to wait before answering (longer than the client's time-out: a time-out)
    delay: float = 0.0
    #: close the connection without answering
    drop: bool = False

    @classmethod
    def error(cls, status: int, retry_after: str | int | None = None) -> "Reply":
        headers = {"Content-Type": "text/plain; charset=utf-8"}
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        return cls(status, f"error {status}\n".encode(), headers)

    @classmethod
    def html(cls, status: int = 200) -> "Reply":
        return cls(status, HTML_ERROR_PAGE, {"Content-Type": "text/html; charset=utf-8"})

    @classmethod
    def redirect(cls, location: str, status: int = 301) -> "Reply":
        return cls(status, b"", {"Location": location})

    @classmethod
    def hang(cls, seconds: float) -> "Reply":
        return cls(delay=seconds, drop=True)

    @classmethod
    def hang_up(cls) -> "Reply":
        return cls(drop=True)


@dataclass(frozen=True)
class Request:
    """One request the server got."""

    method: str
    path: str          # decoded, without the query
    query: dict[str, str]
    headers: dict[str, str]
    time: float        # time.monotonic() at arrival


def _index(data: Path) -> dict[str, Path]:
    """Path (without query) -> recorded file."""
    routes: dict[str, Path] = {}
    for f in sorted((data / "wikidata").glob("Q*.json")):
        routes.setdefault(f"Special:EntityData/{f.stem}.json", f)
        try:
            held = json.loads(f.read_bytes()).get("entities", {})
        except ValueError:
            continue
        for qid in held:
            routes.setdefault(f"Special:EntityData/{qid}.json", f)
    for f in sorted((data / "musicbrainz").glob("*.json")):
        kind = f.stem.split("-")[0]
        try:
            mbid = json.loads(f.read_bytes()).get("id")
        except ValueError:
            continue
        if mbid:
            routes.setdefault(f"ws/2/{kind}/{mbid}", f)
    return routes


class ReplayServer:
    """Serves recorded answers on ``url`` until :meth:`stop` (or the end of a ``with``)."""

    def __init__(self, data: Path = DATA):
        self.routes = _index(data)
        self.data = data
        self.requests: list[Request] = []
        self._script: dict[str | None, list[Reply]] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 (http.server's naming)
                server._answer(self)

            def log_message(self, *args):  # keep the test output clean
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client that gave up (time-out tests) is expected

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.wikidata_url = self.url + "wiki/"
        self.musicbrainz_url = self.url + "ws/2/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="replay", daemon=True)
        self._thread.start()

    def __enter__(self) -> "ReplayServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- scripting -------------------------------------------------------------------
    def script(self, path: str | None, *replies: Reply) -> None:
        """Queue answers for the next requests to ``path`` (below the root, no query, e.g.
        ``"wiki/Special:EntityData/Q20145.json"``), or to any path when ``path`` is None."""
        with self._lock:
            self._script.setdefault(path.lstrip("/") if path else None, []).extend(replies)

    def requests_to(self, fragment: str) -> list[Request]:
        """The requests whose path contains ``fragment``."""
        return [r for r in self.requests if fragment in r.path]

    # -- answering -------------------------------------------------------------------
    def _next_scripted(self, path: str) -> Reply | None:
        with self._lock:
            for key in (path, None):
                queue = self._script.get(key)
                if queue:
                    return queue.pop(0)
        return None

    def _recorded(self, path: str, query: dict[str, str] | None = None) -> Reply:
        if path == "w/api.php" and (query or {}).get("action") == "wbgetentities":
            held = json.loads((self.data / "wikidata" / "wbgetentities-labels.json").read_bytes())["entities"]
            asked = (query or {}).get("ids", "").split("|")
            body = json.dumps({"entities": {q: held[q] for q in asked if q in held}, "success": 1}).encode()
            return Reply(200, body, {"Content-Type": "application/json; charset=utf-8"})
        for prefix in ("wiki/", "w/index.php/", ""):
            if path.startswith(prefix) and path[len(prefix):] in self.routes:
                body = self.routes[path[len(prefix):]].read_bytes()
                return Reply(200, body, {"Content-Type": "application/json; charset=utf-8"})
        return Reply(404, b'{"error": "Not Found"}', {"Content-Type": "application/json"})

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        split = urllib.parse.urlsplit(handler.path)
        path = urllib.parse.unquote(split.path).lstrip("/")
        self.requests.append(Request("GET", "/" + path, dict(urllib.parse.parse_qsl(split.query)),
                                     dict(handler.headers.items()), time.monotonic()))
        reply = self._next_scripted(path) or self._recorded(path, dict(urllib.parse.parse_qsl(split.query)))
        if reply.delay:
            time.sleep(reply.delay)
        if reply.drop:
            handler.close_connection = True
            return
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(reply.body)))
        handler.end_headers()
        handler.wfile.write(reply.body)
