"""Fetching documents from Wikidata and MusicBrainz, politely.

A :class:`Fetcher` gets JSON documents below one base URL. It

- sends a User-Agent naming collabgraph, its version and a way to reach the
  person running it (``contact=`` or ``COLLABGRAPH_CONTACT``), as both services ask;
- spaces its requests to one host at least ``min_interval`` seconds apart
  (MusicBrainz asks for at most one request a second), across every fetcher
  of the process;
- retries, with exponential backoff, answers 429 and 502/503/504 (honouring
  ``Retry-After``), time-outs and dropped connections;
- keeps every answer in an on-disk cache, one file per URL named by the
  URL's hash, written atomically, holding the final URL after redirects, so
  that a second import asks nothing and ``offline=True`` works from the cache;
- turns an HTTP error, an HTML page or any answer that is not JSON into one
  line of :class:`~collabgraph.core.errors.SourceError` naming the URL.

:meth:`Fetcher.get` returns :class:`Fetched`, which *is* the body
(``bytes``) and also says which URL answered: a redirect, over HTTP (a 30x)
or by the service answering for another entity (a merged Wikidata item),
reaches the caller, who records "requested X, got Y". A fetcher is itself the
``fetch(key) -> bytes`` callable the importers take.

>>> f = wikidata_fetcher(base_url="http://127.0.0.1:9/wiki/", cache_dir=False)
>>> f.url_for("Q20145")
'http://127.0.0.1:9/wiki/Special:EntityData/Q20145.json'
>>> m = musicbrainz_fetcher(base_url="http://127.0.0.1:9/ws/2/", cache_dir=False)
>>> m.url_for("artist/b8a7c51f-362c-4dcb-a259-bc6e0095f0a6")
'http://127.0.0.1:9/ws/2/artist/b8a7c51f-362c-4dcb-a259-bc6e0095f0a6?inc=aliases+artist-rels+recording-rels+release-rels+work-rels+url-rels&fmt=json'
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import http.client
import json
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..core.namespaces import BASE
from ..core.durable import WriteFailed, write_atomic
from ..core.errors import SourceError
from ..core.version import __version__

__all__ = [
    "Fetcher", "Fetched", "wikidata_fetcher", "musicbrainz_fetcher", "default_user_agent", "default_cache_dir",
    "WikidataLabels", "wikidata_labels",
    "WIKIDATA_URL", "MUSICBRAINZ_URL", "MUSICBRAINZ_INC",
]

#: Where the services live; ``COLLABGRAPH_WIKIDATA_URL`` / ``COLLABGRAPH_MUSICBRAINZ_URL`` (or
#: ``base_url=``) point elsewhere: a mirror, or the test suite's replay server.
WIKIDATA_URL = "https://www.wikidata.org/wiki/"
MUSICBRAINZ_URL = "https://musicbrainz.org/ws/2/"
#: The project's own address, named in the User-Agent when no contact is given.
PROJECT_URL = BASE

#: What MusicBrainz is asked to include, per kind of record: the credits, relations and
#: aliases the importer (:mod:`.musicbrainz`) reads. The one table: the importer's
#: requests and a bare ``<type>/<mbid>`` given to the fetcher ask for the same.
MUSICBRAINZ_INC = {
    "artist": "aliases+artist-rels+recording-rels+release-rels+work-rels+url-rels",
    "recording": "artist-credits+aliases+artist-rels+work-rels+work-level-rels+url-rels",
    "release": "artist-credits+aliases+labels+recordings+release-groups+artist-rels+url-rels",
    "release-group": "artist-credits+aliases+artist-rels+url-rels",
    "work": "aliases+artist-rels+url-rels",
    "label": "aliases+url-rels",
}

_QID = re.compile(r"[Qq][1-9][0-9]*")
_MB_KEY = re.compile(r"(artist|recording|release|release-group|work|label)/"
                     r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")
#: Answers worth asking again: the service is busy or a gateway failed.
_RETRY_STATUS = {429, 502, 503, 504}

# One clock per host, shared by every fetcher of the process: the services count requests per client.
_clock_lock = threading.Lock()
_next_slot: dict[str, float] = {}


def default_user_agent(contact: str | None = None) -> str:
    """``collabgraph/<version> (+<contact or project URL>)``; ``COLLABGRAPH_CONTACT`` gives the contact.

    >>> default_user_agent("me@example.org")
    'collabgraph/... (+me@example.org)'
    """
    contact = contact or os.environ.get("COLLABGRAPH_CONTACT") or PROJECT_URL
    return f"collabgraph/{__version__} (+{contact})"


def default_cache_dir(service: str) -> Path:
    """``$XDG_CACHE_HOME/collabgraph/<service>``, ``~/.cache/collabgraph/<service>`` without it."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "collabgraph" / service


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Fetched(bytes):
    """A document's bytes, with where they came from.

    ``requested`` is the URL asked for, ``url`` the one that answered (they differ after a
    redirect), ``retrieved`` when it was fetched from the service (UTC, ISO 8601), and
    ``from_cache`` whether this answer came from the on-disk cache.
    """

    requested: str
    url: str
    retrieved: str | None
    from_cache: bool

    def __new__(cls, body: bytes, *, requested: str, url: str, retrieved: str | None = None,
                from_cache: bool = False) -> "Fetched":
        self = super().__new__(cls, body)
        self.requested, self.url, self.retrieved, self.from_cache = requested, url, retrieved, from_cache
        return self

    @property
    def redirected(self) -> bool:
        """True when another URL than the one asked for answered."""
        return self.url != self.requested

    def json(self):
        return json.loads(self)


class Fetcher:
    """Gets JSON documents below ``base_url``; see the module's documentation.

    ``min_interval`` seconds between two requests to the host; ``retries`` more attempts after
    a busy answer, a time-out or a dropped connection, waiting ``backoff``, 2×``backoff``, …
    seconds (or what ``Retry-After`` asks, up to ``max_wait``); ``cache_dir`` None keeps no
    cache; ``offline`` answers from the cache only; ``refresh`` asks the service even when the
    cache has the answer (and updates the cache); ``timeout`` seconds per request.
    ``expand`` turns a short key (a QID, ``artist/<mbid>``) into the path below the base URL.
    """

    def __init__(self, base_url: str, *, user_agent: str | None = None, min_interval: float = 1.0,
                 retries: int = 3, cache_dir: str | os.PathLike | None = None, offline: bool = False,
                 timeout: float = 30.0, backoff: float = 1.0, max_wait: float = 120.0, refresh: bool = False,
                 expand: Callable[[str], str] | None = None):
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourceError(f"{base_url}: a service's base URL must be an http(s) URL")
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.host = parts.netloc.lower()
        self.user_agent = user_agent or default_user_agent()
        self.min_interval, self.retries, self.timeout = float(min_interval), int(retries), float(timeout)
        self.backoff, self.max_wait = float(backoff), float(max_wait)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.offline, self.refresh = offline, refresh
        self.expand = expand or (lambda key: key)
        if offline and self.cache_dir is None:
            raise SourceError(f"{self.base_url}: offline mode needs a cache directory to answer from")

    def __repr__(self) -> str:
        return f"Fetcher({self.base_url!r}, cache_dir={self.cache_dir!r}, offline={self.offline})"

    # -- public ----------------------------------------------------------------------
    def url_for(self, key: str) -> str:
        """The URL a key (or a path with its query, relative to the base URL) is fetched from."""
        path = self.expand(key.strip())
        if "://" in path or path.startswith("/") or "\n" in path:
            raise SourceError(f"{key!r}: expected a path below {self.base_url}, not a URL")
        return self.base_url + urllib.parse.quote(path, safe="/:?&=+-_.~%,@")

    def get(self, key: str) -> Fetched:
        """The JSON document at ``key`` (see :meth:`url_for`), from the cache or the service."""
        url = self.url_for(key)
        if self.cache_dir is not None and not (self.refresh and not self.offline):
            cached = self._read_cache(url)
            if cached is not None:
                return cached
        if self.offline:
            raise SourceError(f"{url}: not in the cache ({self.cache_dir}), and offline mode fetches nothing")
        answer = self._fetch(url)
        if self.cache_dir is not None:
            self._write_cache(answer)
        return answer

    __call__ = get

    def cache_path(self, url: str) -> Path:
        """The cache file of ``url``: ``<cache_dir>/<2 hex>/<sha256 of the URL>.json``."""
        if self.cache_dir is None:
            raise SourceError(f"{url}: this fetcher keeps no cache")
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.json"

    # -- the cache: one file per URL, a JSON header line then the body -----------------
    def _read_cache(self, url: str) -> Fetched | None:
        path = self.cache_path(url)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise SourceError(f"{path}: cannot read the cache: {e.strerror or e}") from None
        header, sep, body = data.partition(b"\n")
        try:
            meta = json.loads(header)
            if not sep or meta.get("requested") != url:
                raise ValueError
        except ValueError:
            if self.offline:
                raise SourceError(f"{url}: its cached copy {path} is damaged; fetch it again without offline mode") \
                    from None
            return None  # a damaged entry is fetched again (and rewritten)
        return Fetched(body, requested=url, url=meta.get("url", url), retrieved=meta.get("retrieved"),
                       from_cache=True)

    def _write_cache(self, answer: Fetched) -> None:
        path = self.cache_path(answer.requested)
        header = json.dumps({"requested": answer.requested, "url": answer.url, "retrieved": answer.retrieved},
                            ensure_ascii=True).encode("ascii")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, header + b"\n" + bytes(answer))
        except OSError as e:
            raise SourceError(f"{path}: cannot write the cache: {e.strerror or e}") from None
        except WriteFailed as e:
            raise SourceError(f"{path}: cannot write the cache: {e.reason}") from None

    # -- the network -------------------------------------------------------------------
    def _wait_turn(self) -> None:
        """Sleep until this host may be asked again, and book the next slot."""
        with _clock_lock:
            now = time.monotonic()
            start = max(now, _next_slot.get(self.host, now))
            _next_slot[self.host] = start + self.min_interval
        if start > now:
            time.sleep(start - now)

    def _fetch(self, url: str) -> Fetched:
        request = urllib.request.Request(url, headers={
            "User-Agent": self.user_agent, "Accept": "application/json", "Accept-Encoding": "gzip"})
        attempts = self.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self._wait_turn()
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read()
                    final, headers = response.geturl(), response.headers
            except urllib.error.HTTPError as e:
                reason = f"HTTP {e.code} {e.reason}".rstrip()
                retry_after = _retry_after(e.headers.get("Retry-After") if e.headers else None)
                e.close()
                if e.code not in _RETRY_STATUS:
                    raise SourceError(f"{url}: {reason}") from None
                if last:
                    raise SourceError(f"{url}: {reason} ({_attempts(attempts)})") from None
                wait = retry_after if retry_after is not None else self.backoff * 2 ** attempt
                if wait > self.max_wait:
                    raise SourceError(f"{url}: {reason}, asked to retry after {wait:.0f} s; try again later") \
                        from None
                time.sleep(wait)
                continue
            except (TimeoutError, socket.timeout):
                problem = f"no answer within {self.timeout:g} s"
            except urllib.error.URLError as e:
                if isinstance(e.reason, (TimeoutError, socket.timeout)):
                    problem = f"no answer within {self.timeout:g} s"
                elif isinstance(e.reason, socket.gaierror):
                    raise SourceError(f"{url}: cannot resolve the host ({e.reason.strerror or e.reason})") from None
                else:
                    problem = f"cannot connect ({getattr(e.reason, 'strerror', None) or e.reason})"
            except (http.client.HTTPException, ConnectionError) as e:
                problem = f"the connection broke ({type(e).__name__}{': ' + str(e) if str(e) else ''})"
            else:
                body = _decode(url, body, headers)
                _check_json(url, body, headers)
                return Fetched(body, requested=url, url=final, retrieved=_now())
            if last:
                raise SourceError(f"{url}: {problem} ({_attempts(attempts)})") from None
            time.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")  # pragma: no cover


def _attempts(n: int) -> str:
    return "1 attempt" if n == 1 else f"{n} attempts"


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), None if absent or unreadable.

    >>> _retry_after("2"), _retry_after(None), _retry_after("soon")
    (2.0, None, None)
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _decode(url: str, body: bytes, headers) -> bytes:
    if (headers.get("Content-Encoding") or "").lower() == "gzip":
        try:
            return gzip.decompress(body)
        except (OSError, EOFError) as e:
            raise SourceError(f"{url}: the compressed answer is damaged ({e})") from None
    return body


def _check_json(url: str, body: bytes, headers) -> None:
    """One line naming the URL when the answer is not a JSON document (an HTML error page, a cut-off body)."""
    kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower() or "no content type"
    if not body.strip():
        raise SourceError(f"{url}: the service answered nothing ({kind}), not JSON")
    try:
        json.loads(body)
        return
    except (ValueError, UnicodeDecodeError) as e:
        problem = str(e).splitlines()[0] if str(e) else type(e).__name__
    if kind in ("text/html", "application/xhtml+xml") or body.lstrip()[:1] == b"<":
        title = re.search(rb"<title[^>]*>(.*?)</title>", body[:4096], re.I | re.S)
        said = " ".join(title.group(1).decode("utf-8", "replace").split())[:80] if title else ""
        raise SourceError(f"{url}: the service answered an HTML page{f' ({said!r})' if said else ''}, not JSON")
    raise SourceError(f"{url}: the answer is not JSON ({kind}: {problem})")


# -- the two services -------------------------------------------------------------------------
def _wikidata_path(key: str) -> str:
    """``Q20145`` -> ``Special:EntityData/Q20145.json``; anything else is taken as a path."""
    return f"Special:EntityData/{key.upper()}.json" if _QID.fullmatch(key) else key


def _musicbrainz_path(key: str) -> str:
    """``recording/<mbid>`` -> with the default ``inc=`` and ``fmt=json``; ``fmt=json`` added to any query."""
    path, _, query = key.partition("?")
    match = _MB_KEY.fullmatch(path)
    params = urllib.parse.parse_qsl(query, keep_blank_values=True)
    if match and not any(k == "inc" for k, _ in params):
        params.insert(0, ("inc", MUSICBRAINZ_INC[match.group(1)]))
    if not any(k == "fmt" for k, _ in params):
        params.append(("fmt", "json"))
    return path + "?" + "&".join(f"{k}={urllib.parse.quote(v, safe='+-_.')}" for k, v in params)


def wikidata_fetcher(*, base_url: str | None = None, contact: str | None = None, offline: bool = False,
                     cache_dir: str | os.PathLike | None | bool = None, min_interval: float | None = None,
                     retries: int = 4, timeout: float = 30.0, **options) -> Fetcher:
    """A fetcher of Wikidata items: ``get("Q20145")`` reads ``Special:EntityData/Q20145.json``.

    ``base_url`` (else ``COLLABGRAPH_WIKIDATA_URL``, else :data:`WIKIDATA_URL`); ``cache_dir`` None
    (the default) means :func:`default_cache_dir` ``("wikidata")``, False no cache. Wikidata
    sets no fixed rate: two requests a second, one at a time, is polite (``min_interval`` 0.5 s;
    none for a server on this machine, see :func:`_polite_interval`).
    """
    base_url = base_url or os.environ.get("COLLABGRAPH_WIKIDATA_URL") or WIKIDATA_URL
    return Fetcher(base_url, user_agent=default_user_agent(contact),
                   min_interval=_polite_interval(base_url, 0.5, min_interval), retries=retries,
                   cache_dir=_cache_dir(cache_dir, "wikidata"), offline=offline, timeout=timeout,
                   expand=_wikidata_path, **options)


def musicbrainz_fetcher(*, base_url: str | None = None, contact: str | None = None, offline: bool = False,
                        cache_dir: str | os.PathLike | None | bool = None, min_interval: float | None = None,
                        retries: int = 4, timeout: float = 30.0, **options) -> Fetcher:
    """A fetcher of the MusicBrainz web service: ``get("recording/<mbid>")`` reads
    ``ws/2/recording/<mbid>?inc=<MUSICBRAINZ_INC["recording"]>&fmt=json``.

    ``base_url`` (else ``COLLABGRAPH_MUSICBRAINZ_URL``, else :data:`MUSICBRAINZ_URL`); the service
    asks for at most one request a second, so ``min_interval`` is 1 s (none for a server on this
    machine, such as a local mirror, see :func:`_polite_interval`).
    """
    base_url = base_url or os.environ.get("COLLABGRAPH_MUSICBRAINZ_URL") or MUSICBRAINZ_URL
    return Fetcher(base_url, user_agent=default_user_agent(contact),
                   min_interval=_polite_interval(base_url, 1.0, min_interval), retries=retries,
                   cache_dir=_cache_dir(cache_dir, "musicbrainz"), offline=offline, timeout=timeout,
                   expand=_musicbrainz_path, **options)


def _polite_interval(base_url: str, service_default: float, asked: float | None) -> float:
    """The interval asked for, else the service's, else none for a server on this machine
    (the rate limits protect shared services, not one's own mirror or a test's replay).

    >>> _polite_interval("https://musicbrainz.org/ws/2/", 1.0, None), _polite_interval("http://127.0.0.1:5000/", 1.0, None)
    (1.0, 0.0)
    """
    if asked is not None:
        return float(asked)
    host = (urllib.parse.urlsplit(base_url).hostname or "").lower()
    return 0.0 if host in ("localhost", "127.0.0.1", "::1") else service_default


def _cache_dir(value, service: str) -> Path | None:
    if value is None or value is True:
        return default_cache_dir(service)
    if value is False:
        return None
    return Path(value)


# -- labels of many Wikidata items at once ------------------------------------------------------
#: The most ids ``wbgetentities`` answers in one request (for clients without the bot right).
LABELS_PER_REQUEST = 50


class WikidataLabels:
    """``labels(qids, languages)`` -> ``{qid: {language: label}}``, asked of Wikidata's
    ``wbgetentities`` (``props=labels``) :data:`LABELS_PER_REQUEST` items a request, through
    ``fetcher`` (rate limits, retries and the on-disk cache as for any fetch). Items
    Wikidata does not know are left out. This is the ``labels`` callable
    :func:`collabgraph.importers.wikidata.read` takes.

    >>> WikidataLabels(wikidata_labels(base_url="http://127.0.0.1:9/wiki/", cache_dir=False)).request(
    ...     ["Q1203", "Q2632"], ("en", "ko"))
    'api.php?action=wbgetentities&ids=Q1203|Q2632&props=labels&languages=en|ko&format=json'

    :raises SourceError: one line naming the URL, when an answer cannot be had or read.
    """

    def __init__(self, fetcher: Fetcher):
        self.fetcher = fetcher
        self.failed: SourceError | None = None  # once the service cannot be had, no more waiting on it this run

    @staticmethod
    def request(qids: list[str], languages: tuple[str, ...]) -> str:
        return (f"api.php?action=wbgetentities&ids={'|'.join(qids)}&props=labels"
                f"&languages={'|'.join(languages)}&format=json")

    def __call__(self, qids: list[str], languages: tuple[str, ...]) -> dict[str, dict[str, str]]:
        wanted = sorted({q.upper() for q in qids if _QID.fullmatch(q)}, key=lambda q: int(q[1:]))
        out: dict[str, dict[str, str]] = {}
        for start in range(0, len(wanted), LABELS_PER_REQUEST):
            key = self.request(wanted[start:start + LABELS_PER_REQUEST], tuple(languages))
            if self.failed is not None:
                raise self.failed
            try:
                answer = self.fetcher.get(key)
            except SourceError as exc:
                if "not in the cache" not in str(exc):  # offline: the next request may be cached
                    self.failed = exc
                raise
            try:
                doc = json.loads(answer)
                if "error" in doc:
                    raise SourceError(f"{self.fetcher.url_for(key)}: Wikidata answered with an error: "
                                      f"{doc['error'].get('code', '?')}: {doc['error'].get('info', '')}")
                for qid, entity in (doc.get("entities") or {}).items():
                    if "missing" in entity:
                        continue
                    labels = {lang: v["value"] for lang, v in (entity.get("labels") or {}).items()
                              if isinstance(v, dict) and v.get("value") and "for-language" not in v}
                    if labels:
                        out[qid] = labels
            except (ValueError, AttributeError, TypeError, KeyError) as e:
                raise SourceError(f"{self.fetcher.url_for(key)}: not a wbgetentities answer "
                                  f"({type(e).__name__})") from None
        return out


def wikidata_labels(*, base_url: str | None = None, retries: int = 1, **options) -> Fetcher:
    """A fetcher of Wikidata's action API (``…/w/api.php``), beside the pages
    :func:`wikidata_fetcher` reads (``…/wiki/``); the same options, but one retry
    by default: labels are a courtesy, and an import must not wait minutes for them."""
    base_url = base_url or os.environ.get("COLLABGRAPH_WIKIDATA_URL") or WIKIDATA_URL
    root = base_url.rstrip("/")
    root = root[:-len("/wiki")] if root.endswith("/wiki") else root
    options.setdefault("backoff", 0.5)
    return wikidata_fetcher(base_url=root + "/w/", retries=retries, **options)
