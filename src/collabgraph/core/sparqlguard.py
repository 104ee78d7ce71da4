"""Which requests a SPARQL query or update would make the engine send.

Oxigraph answers ``SERVICE <iri> { … }`` by sending the pattern to ``iri``
and ``LOAD <iri>`` by fetching ``iri``, and pyoxigraph has no switch to turn
either off. A server that runs other people's queries must not send requests
on their behalf (to the machine's own network, to metadata services, to
anyone), so it asks :func:`outgoing` first and refuses what is not allowed
(:func:`check_outgoing`); its query workers also run with no network at all
unless an allow-list is given (:mod:`collabgraph.core.sandbox`).

The check reads the text with the engine's own lexical rules
(:mod:`collabgraph.core.sparqltext`: a comment ends at CR or LF, ``\\u`` escapes
count only in strings and IRIs, names are read greedily), and errs towards
refusing where the engine's reading is not certain:

- the engine matches keywords without a word boundary (``SERVICEe:x {…}`` is
  ``SERVICE e:x {…}`` to it), so every name that *starts* with ``service``
  (``load`` in updates), in any case, counts as the keyword; when it is
  longer than the keyword, its endpoint counts as unknown;
- the engine finds no keyword in a text whose letters do not spell it, so a
  text without ``service`` (or ``load``) anywhere is let through without
  reading it (strings and comments included: the test is on the raw text);
- an endpoint is the engine's IRI: ``\\u`` escapes decoded, resolved against
  the last BASE, prefixes as last declared; an endpoint that is a variable,
  a relative IRI with no base, or follows a glued ``PREFIXx:`` counts as
  unknown, and an unknown endpoint is never allowed.

IRIs are compared normalised (scheme and host lower-cased, default port,
dot segments, percent-encoding of unreserved characters), and an IRI with
user information, a dot segment or an encoded ``/`` or ``.`` is never
allowed (OWASP's guidance on server-side request forgery).

>>> outgoing('SELECT ?s WHERE { ?s rdfs:label "SERVICE <http://x/>" }')
[]
>>> outgoing("SELECT * WHERE { OPTIONAL { SERVICE SILENT <http://x/sparql> { ?s ?p ?o } } }")
[('SERVICE', 'http://x/sparql')]
>>> outgoing("SELECT * WHERE { # x\\r SERVICE <http://x/sparql> { ?s ?p ?o } \\n }")
[('SERVICE', 'http://x/sparql')]
>>> outgoing("PREFIX e: <http://x/> LOAD e:data.ttl INTO GRAPH <http://g/>", update=True)
[('LOAD', 'http://x/data.ttl')]
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Iterable

from .errors import OutgoingRefused
from .namespaces import PREFIXES
from .sparqltext import tokens

__all__ = ["outgoing", "check_outgoing", "allowed", "normalise_iri", "OutgoingRefused"]




_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lower(text: str) -> str:
    """ASCII letters lower-cased, as the engine compares keywords (``İ`` stays ``İ``)."""
    return text.translate(_ASCII_LOWER)


def outgoing(text: str, *, update: bool = False, base: str | None = None,
             prefixes: dict[str, str] | None = None) -> list[tuple[str, str | None]]:
    """``(keyword, iri)`` for each SERVICE clause (and, in an update, LOAD
    operation) the engine could find in ``text``; ``iri`` is ``None`` when
    the endpoint is unknown (a variable, a glued keyword, a relative IRI
    with no base).

    :param base: the base IRI the engine is given (none by default).
    :param prefixes: the prefixes the engine is given (the project's by default).
    """
    words = ("service", "load") if update else ("service",)
    lowered = _lower(text)
    if not any(w in lowered for w in words):
        return []
    prefixes = dict(PREFIXES if prefixes is None else prefixes)
    every = list(tokens(text))
    # (kind, text) of each significant token; a prefixed name as "prefix:local", whole
    sig = [(kind, text[offset:every[n + 1][2] if n + 1 < len(every) else len(text)] if kind == "pname" else tok)
              for n, (kind, tok, offset) in enumerate(every) if kind not in ("ws", "comment")]
    found: list[tuple[str, str | None]] = []
    trusted = True  # False once a glued PREFIX/BASE makes the prefixes uncertain
    i = 0
    while i < len(sig):
        kind, tok = sig[i]
        low = _lower(tok)
        if kind in ("word", "pname"):
            if kind == "word" and low == "base" and i + 1 < len(sig) and sig[i + 1][0] == "iri":
                base = _resolve(sig[i + 1][1], base)
            elif kind == "word" and low == "prefix" and i + 2 < len(sig) and sig[i + 1][0] == "pname" \
                    and sig[i + 2][0] == "iri":
                name = sig[i + 1][1].partition(":")[0]
                iri = _resolve(sig[i + 2][1], base)
                if iri is None:
                    prefixes.pop(name, None)
                else:
                    prefixes[name] = iri
            elif low.startswith(("prefix", "base")) and kind == "pname":
                trusted = False  # the engine reads PREFIXx: as PREFIX x:
            for word in words:
                if low.startswith(word):
                    iri = None
                    if kind == "word" and low == word:
                        j = i + 1
                        if j < len(sig) and sig[j][0] == "word" and _lower(sig[j][1]) == "silent":
                            j += 1
                        if j < len(sig):
                            iri = _endpoint(sig[j], base, prefixes if trusted else None)
                    found.append((word.upper(), iri))
        i += 1
    return found


def _endpoint(token: tuple[str, str], base: str | None, prefixes: dict[str, str] | None) -> str | None:
    kind, text = token
    if kind == "iri":
        return _resolve(text, base)
    if kind == "pname" and prefixes is not None:
        prefix, _, local = text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local.replace("\\", "")  # the engine drops the \ of \-escapes
    return None


def _resolve(iri_token: str, base: str | None) -> str | None:
    """The absolute IRI the engine makes of ``<…>``: escapes decoded, resolved against ``base``."""
    raw = re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
                 lambda m: chr(int(m.group(1) or m.group(2), 16)), iri_token[1:-1])
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", raw):
        return raw
    if base is None:
        return None
    return urllib.parse.urljoin(base, raw)


_UNRESERVED = re.compile(r"%([0-9A-Fa-f]{2})")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_iri(iri: str) -> str | None:
    """``iri`` in a normal form for comparing against an allow-list, or
    ``None`` when it may not be allowed at all: not http(s), user
    information, dot segments, encoded ``/`` ``.`` ``\\``, or no host.

    >>> normalise_iri("HTTP://Example.ORG:80/a/%7Ex")
    'http://example.org/a/~x'
    >>> normalise_iri("http://x/allowed/../other"), normalise_iri("http://user@x/"), normalise_iri("file:///etc/passwd")
    (None, None, None)
    """
    try:
        parts = urllib.parse.urlsplit(iri)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username is not None or "@" in parts.netloc:
        return None
    path = parts.path
    if re.search(r"%(2[eEfF]|5[cC])", path) or "\\" in iri:
        return None
    if any(seg in (".", "..") for seg in path.split("/")):
        return None

    def decode(m: re.Match) -> str:
        ch = chr(int(m.group(1), 16))
        return ch if ch.isascii() and (ch.isalnum() or ch in "-._~") else "%" + m.group(1).upper()

    path = _UNRESERVED.sub(decode, path) or "/"
    query = _UNRESERVED.sub(decode, parts.query)
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urllib.parse.urlunsplit((scheme, netloc, path, query, ""))


def allowed(iri: str | None, allow: Iterable[str]) -> bool:
    """Whether ``iri`` is one of ``allow``, or under one of them that ends
    with ``/``, both normalised (:func:`normalise_iri`).

    >>> allowed("http://x/sparql", ["http://x/sparql"]), allowed("HTTP://X/a/b.ttl", ["http://x/a/"])
    (True, True)
    >>> allowed("http://x/sparqlx", ["http://x/sparql"]), allowed(None, ["http://x/"])
    (False, False)
    >>> allowed("http://x/allowed/../other", ["http://x/allowed/"])
    False
    """
    target = normalise_iri(iri) if iri else None
    if target is None:
        return False
    for entry in allow:
        norm = normalise_iri(entry)
        if norm is not None and (target == norm or (norm.endswith("/") and target.startswith(norm))):
            return True
    return False


def check_outgoing(text: str, *, update: bool = False, allow_service: Iterable[str] = (),
                   allow_load: Iterable[str] = (), base: str | None = None,
                   prefixes: dict[str, str] | None = None) -> list[tuple[str, str | None]]:
    """:func:`outgoing`, refused unless every request is allowed.

    :returns: the allowed requests (empty for almost every query).
    :raises OutgoingRefused: in one line, naming the first request refused.
    """
    allow = {"SERVICE": list(allow_service), "LOAD": list(allow_load)}
    found = outgoing(text, update=update, base=base, prefixes=prefixes)
    for keyword, iri in found:
        if not allowed(iri, allow[keyword]):
            option = "--allow-service" if keyword == "SERVICE" else "--allow-load"
            what = f"<{iri}>" if iri else "an endpoint that is not a fixed IRI"
            raise OutgoingRefused(f"refused: {keyword} {what} would make a request; none is sent "
                                  f"unless allowed ({option} for that IRI)")
    return found
