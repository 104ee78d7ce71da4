"""Reading SPARQL text without running it: its form, its variables, the
prefixes it uses, and where its WHERE group opens.

A small tokenizer that knows comments, strings, IRIs, variables and prefixed
names is enough for these: none of them needs a full parse, and the engine
still parses every query it runs.

>>> query_form("PREFIX x: <http://x/> # a comment\\nSELECT * WHERE { ?s ?p ?o }")
'SELECT'
>>> query_variables('SELECT ?who WHERE { ?who rdfs:label "?not" ; cg:age $age }')
['who', 'age']
>>> [(p, line, col) for p, line, col in undeclared_prefixes("SELECT * WHERE {\\n ?s foo:bar ?o }", {"cg"})]
[('foo', 2, 5)]
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

__all__ = ["query_form", "query_variables", "undeclared_prefixes", "where_brace", "keywords", "too_deep", "QUERY_FORMS",
           "UPDATE_KEYWORDS", "MAX_NESTING"]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: The words a SPARQL 1.1 Update operation can start with.
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

#: The deepest nesting of ``{ }``, ``( )`` and ``[ ]`` a query may have. The
#: engine's parser recurses once per level and overflows the stack (the
#: process dies with SIGSEGV) at a few thousand ``{``; real queries stay
#: far below this.
MAX_NESTING = 100

_TOKEN = re.compile(
    r"(?P<comment>#[^\n]*)"
    r'|(?P<string>"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<var>[?$]\w+)"
    r"|(?P<bnode>_:[\w.-]*)"
    r"|(?P<pname>(?:[^\W\d_][\w.-]*)?:)(?:[\w.:%-]|\\.)*"
    r"|(?P<word>[^\W\d]\w*)"
    r"|(?P<other>.)", re.S)


def _tokens(query: str) -> Iterator[tuple[str, str, int]]:
    """``(kind, text, offset)`` for each token; for a prefixed name the text
    is its prefix without the colon."""
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        text = m.group(kind)
        if kind == "pname":
            text = text[:-1]
        yield kind, text, m.start()


def query_form(query: str) -> str | None:
    """The first keyword after the prologue, upper-cased: ``SELECT``, ``ASK``,
    ``CONSTRUCT``, ``DESCRIBE``, an update keyword such as ``INSERT``, or
    ``None`` when there is none.

    >>> query_form("INSERT DATA { <http://x/a> <http://x/b> 1 }")
    'INSERT'
    """
    for kind, text, _ in _tokens(query):
        if kind == "word" and text.upper() not in ("PREFIX", "BASE"):
            return text.upper()
    return None


def keywords(query: str) -> list[str]:
    """The bare words of the query, upper-cased: its keywords (and function
    names), not what is in strings, IRIs, comments, names or language tags.

    >>> keywords('SELECT ?load WHERE { ?s cg:service "SERVICE"@en ; ?p "x"@load }')
    ['SELECT', 'WHERE']
    """
    out, previous = [], ""
    for kind, text, _ in _tokens(query):
        if kind == "word" and previous != "@":
            out.append(text.upper())
        if not text.isspace():
            previous = text
    return out


def query_variables(query: str) -> list[str]:
    """The names of the variables the query mentions, in order of first use."""
    return list(dict.fromkeys(text[1:] for kind, text, _ in _tokens(query) if kind == "var"))


def undeclared_prefixes(query: str, known: Iterable[str]) -> list[tuple[str, int, int]]:
    """Prefixes used but neither in ``known`` nor declared by the query, each
    with the line and column (from 1) of its first use."""
    known, out, seen = set(known), [], set()
    previous = ""
    for kind, text, offset in _tokens(query):
        if kind == "pname":
            if previous == "PREFIX":
                known.add(text)
            elif text not in known and text not in seen:
                seen.add(text)
                line = query.count("\n", 0, offset) + 1
                out.append((text, line, offset - (query.rfind("\n", 0, offset) + 1) + 1))
        if kind != "comment" and not text.isspace():
            previous = text.upper() if kind == "word" else text
    return out


def where_brace(query: str) -> int | None:
    """Offset of the ``{`` opening the query's WHERE group, skipping comments,
    strings and IRIs; ``None`` if there is none to find.

    >>> where_brace('SELECT * WHERE { ?s ?p "{" }')
    15
    """
    saw_where, form = False, None
    for kind, text, offset in _tokens(query):
        upper = text.upper() if kind == "word" else ""
        if form is None and upper in QUERY_FORMS:
            form = upper
        elif upper == "WHERE":
            saw_where = True
        elif kind == "other" and text == "{" and (saw_where or form in ("SELECT", "ASK", "DESCRIBE")):
            return offset
    return None


_OPEN, _CLOSE = "([{", ")]}"


def too_deep(query: str, limit: int = MAX_NESTING) -> tuple[int, int] | None:
    """``(line, column)`` where ``query`` nests brackets deeper than ``limit``, or ``None``.

    >>> too_deep("SELECT * WHERE " + "{" * 150 + "}" * 150)
    (1, 116)
    """
    if sum(query.count(c) for c in _OPEN) <= limit:
        return None
    depth = 0
    for kind, text, offset in _tokens(query):
        if kind != "other":
            continue
        if text in _OPEN:
            depth += 1
            if depth > limit:
                return query.count("\n", 0, offset) + 1, offset - (query.rfind("\n", 0, offset) + 1) + 1
        elif text in _CLOSE and depth:
            depth -= 1
    return None
