"""Which requests a SPARQL query or update would make the engine send.

Oxigraph answers ``SERVICE <iri> { … }`` by sending the pattern to ``iri``
and ``LOAD <iri>`` by fetching ``iri``, and pyoxigraph has no switch to turn
either off. A server that runs other people's queries must not send requests
on their behalf (to the machine's own network, to metadata services, to
anyone), so it asks :func:`outgoing` first and refuses what is not allowed
(:func:`check_outgoing`).

The text is parsed (rdflib's SPARQL grammar), not searched with a pattern:
``SERVICE`` in a string, an IRI, a comment or a variable name is not a
SERVICE clause, and a SERVICE clause in an OPTIONAL, a subquery or an
update's WHERE is one. A text that cannot contain the keywords at all (the
letters are simply not there) skips the parse, which costs milliseconds.

>>> outgoing('SELECT ?s WHERE { ?s rdfs:label "SERVICE <http://x/>" }')
[]
>>> outgoing("SELECT * WHERE { OPTIONAL { SERVICE SILENT <http://x/sparql> { ?s ?p ?o } } }")
[('SERVICE', 'http://x/sparql')]
>>> outgoing("PREFIX e: <http://x/> LOAD e:data.ttl INTO GRAPH <http://g/>", update=True)
[('LOAD', 'http://x/data.ttl')]
"""

from __future__ import annotations

from typing import Iterable, Iterator

from .errors import CollabGraphError
from .namespaces import PREFIXES
from .sparqltext import keywords, too_deep

__all__ = ["outgoing", "check_outgoing", "OutgoingRefused"]


class OutgoingRefused(CollabGraphError):
    """The query or update would make the server send a request it may not send."""


def _may_mention(text: str) -> bool:
    """False only when the text cannot hold a SERVICE or LOAD keyword: the
    letters are not there, not even as ``\\u`` escapes."""
    lower = text.lower()
    return "service" in lower or "load" in lower or "\\u" in lower


def outgoing(text: str, *, update: bool = False) -> list[tuple[str, str | None]]:
    """``(keyword, iri)`` for each SERVICE clause and LOAD operation in
    ``text``; ``iri`` is ``None`` when it is a variable or cannot be
    resolved to an absolute IRI.

    When rdflib cannot parse the text (Oxigraph accepts a little more
    syntax, and both reject nonsense), each SERVICE or LOAD keyword the
    tokenizer of :mod:`collabgraph.sparqltext` finds outside strings, IRIs,
    comments and names counts, with no IRI: refused unless the engine
    rejects the text anyway.
    """
    if not _may_mention(text):
        return []
    if too_deep(text):  # the engine refuses it anyway; rdflib's parser would recurse that deep
        return _by_tokens(text, update)
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseUpdate(text) if update else parseQuery(text)
    except Exception:  # pyparsing's ParseException, or a RecursionError on deep nesting
        return _by_tokens(text, update)
    prefixes = dict(PREFIXES)
    for decl in _walk(tree):
        if getattr(decl, "name", None) == "PrefixDecl":
            prefixes[str(decl.get("prefix") or "")] = str(decl["iri"])
    found = []
    for node in _walk(tree):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            found.append(("SERVICE", _iri(node.get("term"), prefixes)))
        elif name == "Load":
            found.append(("LOAD", _iri(node.get("iri"), prefixes)))
    return found


def _by_tokens(text: str, update: bool) -> list[tuple[str, str | None]]:
    words = ("SERVICE", "LOAD") if update else ("SERVICE",)
    return [(word, None) for word in keywords(_unescape(text)) if word in words]


def _unescape(text: str) -> str:
    r"""``\uXXXX`` and ``\UXXXXXXXX`` decoded, as SPARQL allows anywhere in a query."""
    import re

    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
                  lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _walk(node) -> Iterator:
    """Every node of an rdflib parse tree (``CompValue`` dicts and ``ParseResults`` lists)."""
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)


def _iri(term, prefixes: dict[str, str]) -> str | None:
    from rdflib import URIRef

    if getattr(term, "name", None) == "pname":
        prefix = str(term.get("prefix") or "")
        if prefix not in prefixes:
            return None
        return prefixes[prefix] + str(term.get("localname") or "")
    if isinstance(term, URIRef) and ":" in str(term):
        return str(term)
    return None


def allowed(iri: str | None, allow: Iterable[str]) -> bool:
    """Whether ``iri`` is one of ``allow``, or under one of them that ends with ``/``.

    >>> allowed("http://x/sparql", ["http://x/sparql"]), allowed("http://x/a/b.ttl", ["http://x/a/"])
    (True, True)
    >>> allowed("http://x/sparqlx", ["http://x/sparql"]), allowed(None, ["http://x/"])
    (False, False)
    """
    if iri is None:
        return False
    return any(iri == a or (a.endswith("/") and iri.startswith(a)) for a in allow)


def check_outgoing(text: str, *, update: bool = False, allow_service: Iterable[str] = (),
                   allow_load: Iterable[str] = ()) -> list[tuple[str, str | None]]:
    """:func:`outgoing`, refused unless every request is allowed.

    :returns: the allowed requests (empty for almost every query).
    :raises OutgoingRefused: in one line, naming the first request refused.
    """
    allow = {"SERVICE": list(allow_service), "LOAD": list(allow_load)}
    found = outgoing(text, update=update)
    for keyword, iri in found:
        if not allowed(iri, allow[keyword]):
            option = "--allow-service" if keyword == "SERVICE" else "--allow-load"
            what = f"<{iri}>" if iri else "an endpoint that is not a fixed IRI"
            raise OutgoingRefused(f"refused: {keyword} {what} would make this server send a request; "
                                  f"it sends none unless started with {option} for that IRI")
    return found
