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

__all__ = ["query_form", "query_variables", "undeclared_prefixes", "where_brace", "keywords", "writes_named_graphs",
           "too_deep", "QUERY_FORMS",
           "UPDATE_KEYWORDS", "MAX_NESTING", "tokens", "too_complex", "STACK_COST", "STACK_BUDGET"]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: The words a SPARQL 1.1 Update operation can start with.
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

#: The deepest nesting of ``{ }``, ``( )`` and ``[ ]`` a query may have. The
#: engine's parser recurses once per level and overflows the stack (the
#: process dies with SIGSEGV) at a few thousand ``{``; real queries stay
#: far below this.
MAX_NESTING = 100

# The lexical rules of the engine (Oxigraph 0.5's SPARQL grammar, a PEG
# parser), not of the SPARQL specification: whitespace is space, tab, CR and
# LF only; a comment ends at CR *or* LF; ``\u`` escapes are decoded inside
# strings and IRIs only, never elsewhere; names and strings are read
# greedily without backtracking (possessive quantifiers here). A checker
# that reads the text differently can be fooled (issue 18: a comment ended by
# CR hid a SERVICE clause from the old guard).
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD")
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_ESC = r"""\\[tbnrf"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"""
_PREFIX = rf"[{_BASE}][{_CHARS}]*+(?:\.++[{_CHARS}]++)*+"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*+(?:\.++(?:[{_CHARS}:]|{_PLX})++)?+"
_IRI = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>')
_STRING = "|".join([
    rf"'''(?:(?:''|')?+(?:[^'\\]|{_ESC}))*+'''",
    rf'"""(?:(?:""|")?+(?:[^"\\]|{_ESC}))*+"""',
    rf"'(?:[^'\\\n\r]|{_ESC})*+'",
    rf'"(?:[^"\\\n\r]|{_ESC})*+"'])
_TOKEN = re.compile(
    r"(?P<comment>#[^\r\n]*+)"
    r"|(?P<ws>[ \t\r\n]++)"
    rf"|(?P<string>{_STRING})"
    r"|(?P<iri><)"  # an IRI or a less-than: decided by tokens
    rf"|(?P<var>[?$][{_CHARS}]++)"
    rf"|(?P<bnode>_:[{_U}0-9][{_CHARS}]*+(?:\.++[{_CHARS}]++)*+)"
    rf"|(?P<pname>(?:{_PREFIX})?+:)(?:{_LOCAL})?+"
    rf"|(?P<word>[{_U}][{_CHARS}]*+)"
    r"|(?P<number>(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)(?:[eE][+-]?[0-9]++)?+)"
    r"|(?P<other>\|\||&&|!=|<=|>=|\^\^|.)", re.S)
#: Tokens after which ``<`` inside parentheses is the less-than operator (the
#: engine reads an operator after an operand in an expression).
_OPERAND = {"var", "string", "iri", "pname", "bnode", "word", "number", ")", "]"}


def tokens(query: str) -> Iterator[tuple[str, str, int]]:
    """``(kind, text, offset)`` for each token, whitespace included (kind
    ``ws``); for a prefixed name the text is its prefix without the colon.

    ``<`` starts an IRI, except inside parentheses after an operand, where
    the engine reads the less-than operator: there it is an ``other`` token
    and what follows is read as tokens (so an IRI-like ``<((((>`` or
    ``<a)SERVICE#>`` in an expression cannot hide brackets or keywords).
    """
    pos, n = 0, len(query)
    stack: list[str] = []
    previous = ""  # the kind of the previous significant token, or its text for "other"
    while pos < n:
        m = _TOKEN.match(query, pos)
        assert m is not None  # the "other" branch matches any character
        kind = m.lastgroup or "other"
        text, end = m.group(kind), m.end()
        if kind == "iri":
            operator = bool(stack) and stack[-1] == "(" and previous in _OPERAND
            iri = None if operator else _IRI.match(query, pos)
            if iri is None:
                kind = "other"
                text = "<=" if query.startswith("<=", pos) else "<"
                end = pos + len(text)
            else:
                text, end = iri.group(), iri.end()
        elif kind == "pname":
            text = text[:-1]
        elif kind == "other":
            if text in _OPEN:
                stack.append(text)
            elif text in _CLOSE and stack:
                stack.pop()
        if kind not in ("ws", "comment"):
            previous = text if kind == "other" else kind
        yield kind, text, pos
        pos = end


def query_form(query: str) -> str | None:
    """The first keyword after the prologue, upper-cased: ``SELECT``, ``ASK``,
    ``CONSTRUCT``, ``DESCRIBE``, an update keyword such as ``INSERT``, or
    ``None`` when there is none.

    >>> query_form("INSERT DATA { <http://x/a> <http://x/b> 1 }")
    'INSERT'
    """
    for kind, text, _ in tokens(query):
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
    for kind, text, _ in tokens(query):
        if kind == "word" and previous != "@":
            out.append(text.upper())
        if not text.isspace():
            previous = text
    return out


#: Operations that address graphs by name (or DEFAULT/NAMED/ALL) themselves.
_GRAPH_OPERATIONS = {"WITH", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}


def writes_named_graphs(update: str) -> bool:
    """Whether an update writes graphs it names: a graph-management operation
    (``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``, ``COPY``, ``LOAD ... INTO``),
    ``WITH``, or ``GRAPH`` in an INSERT/DELETE template or DATA block. A ``GRAPH``
    in a WHERE clause and ``USING`` only read, so they do not count.

    >>> writes_named_graphs("INSERT { ?s ?p 1 } USING <g> WHERE { GRAPH ?g { ?s ?p ?o } }")
    False
    >>> writes_named_graphs("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }")
    True
    >>> writes_named_graphs('INSERT DATA { <a> <b> "GRAPH"@graph }')
    False
    >>> writes_named_graphs('INSERT DATA { <a> <b> "GRAPH" } ; DROP SILENT GRAPH <g>')
    True
    """
    significant = [(kind, text) for kind, text, _ in tokens(update) if kind not in ("ws", "comment")]
    # A word after "@" is a language tag ("x"@graph), not a keyword.
    words = [(kind, text.upper() if kind == "word" and (i == 0 or significant[i - 1][1] != "@") else text)
             for i, (kind, text) in enumerate(significant)]
    i = 0
    while i < len(words):
        kind, text = words[i]
        if kind == "word" and text in _GRAPH_OPERATIONS:
            return True
        if kind == "word" and text == "LOAD":
            rest = words[i + 1:]
            end = next((j for j, (k, t) in enumerate(rest) if t == ";"), len(rest))
            if any(k == "word" and t == "INTO" for k, t in rest[:end]):
                return True
        if kind == "word" and text in ("INSERT", "DELETE", "WHERE"):
            template = text != "WHERE"
            j = i + 1
            if template and j < len(words) and words[j] in (("word", "DATA"), ("word", "WHERE")):
                j += 1  # INSERT DATA, DELETE DATA, DELETE WHERE: the block is written
            if j < len(words) and words[j][1] == "{":
                depth = 0
                for n in range(j, len(words)):
                    k, t = words[n]
                    depth += (t == "{") - (t == "}")
                    if template and k == "word" and t == "GRAPH":
                        return True
                    if depth == 0:
                        break
                i = j
        i += 1
    return False


def query_variables(query: str) -> list[str]:
    """The names of the variables the query mentions, in order of first use."""
    return list(dict.fromkeys(text[1:] for kind, text, _ in tokens(query) if kind == "var"))


def undeclared_prefixes(query: str, known: Iterable[str]) -> list[tuple[str, int, int]]:
    """Prefixes used but neither in ``known`` nor declared by the query, each
    with the line and column (from 1) of its first use."""
    known, out, seen = set(known), [], set()
    previous = ""
    for kind, text, offset in tokens(query):
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
    for kind, text, offset in tokens(query):
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
    for kind, text, offset in tokens(query):
        if kind != "other":
            continue
        if text in _OPEN:
            depth += 1
            if depth > limit:
                return query.count("\n", 0, offset) + 1, offset - (query.rfind("\n", 0, offset) + 1) + 1
        elif text in _CLOSE and depth:
            depth -= 1
    return None


#: Bytes of stack the engine spends for each of these tokens (keywords
#: upper-cased). Oxigraph's parser, planner and evaluator recurse once per
#: operator of a chain (``1+1+…+1`` is a tree as deep as it is long) and per
#: UNION, OPTIONAL, MINUS, FILTER, BIND …, and a process dies with SIGSEGV
#: when they pass its stack (8 MiB for a main thread). Each figure is 8 MiB
#: divided by the length of the shortest chain of that token that killed a
#: process (bench/crash_shapes.py measures them; issue 18); brackets are
#: limited by depth instead (:data:`MAX_NESTING`).
STACK_COST = {
    # measured: the shortest chain that crashed, on an empty store (8 MiB / n)
    "||": 900, "&&": 900, "!": 900,                  # 9,500
    "+": 1250, "-": 1250, "*": 1250, "/": 1250,      # 7,000
    "|": 900,                                        # 11,000 (property path alternatives)
    "UNION": 1300,                                   # 6,750
    "FILTER": 900, "EXISTS": 900,                    # 9,500
    "MINUS": 3300, "BIND": 3300,                     # 2,625
    # not measured (too slow to reach a crash, or not tried): priced like their neighbours
    "OPTIONAL": 3300, "SERVICE": 3300, "GRAPH": 3300, "SELECT": 3300, "NOT": 900, "^": 1250, ";": 900,
    "=": 900, "!=": 900, "<": 900, ">": 900, "<=": 900, ">=": 900,
}
#: The stack a query may cost: a quarter of a main thread's 8 MiB, so
#: every layer refuses a query long before it could crash the engine.
STACK_BUDGET = 2 << 20
# A text shorter than this cannot spend the budget (every costed token is at least one character).
_SHORTEST = STACK_BUDGET // max(cost // len(tok) for tok, cost in STACK_COST.items())


def _line_column(query: str, offset: int) -> tuple[int, int]:
    return query.count("\n", 0, offset) + 1, offset - (query.rfind("\n", 0, offset) + 1) + 1


def too_complex(query: str, *, limit: int = MAX_NESTING, budget: int = STACK_BUDGET) -> tuple[int, int, str] | None:
    """``(line, column, why)`` of the token where ``query`` would cost the
    engine more stack than it may (see :data:`STACK_COST`), or nests
    brackets deeper than ``limit``; ``None`` for a query it can run.

    The text is read as the engine reads it (comments ended by CR, strings,
    IRIs, less-than in expressions), so brackets or operators hidden from a
    simpler reading still count.

    >>> too_complex("SELECT * WHERE { BIND(" + "+".join(["1"] * 3000) + " AS ?x) }")
    (1, 3366, "has 1,675 operators and clauses (this one: +), more than the engine's stack holds")
    >>> too_complex("SELECT * WHERE { # x\\r" + "{" * 150)[:2]
    (1, 121)
    >>> too_complex("SELECT * WHERE { ?s ?p ?o FILTER(?o IN (1, 2, 3)) }") is None
    True
    """
    if len(query) < _SHORTEST and sum(query.count(c) for c in _OPEN) <= limit:
        return None
    depth, spent, count = 0, 0, 0
    costs = STACK_COST
    for kind, text, offset in tokens(query):
        if kind == "other":
            if text in _OPEN:
                depth += 1
                if depth > limit:
                    return (*_line_column(query, offset), f"nests brackets more than {limit} deep")
                continue
            if text in _CLOSE:
                depth -= depth > 0
                continue
            cost = costs.get(text)
        elif kind == "word":
            cost = costs.get(text.upper())
        else:
            continue
        if cost:
            spent += cost
            count += 1
            if spent > budget:
                return (*_line_column(query, offset),
                        f"has {count:,} operators and clauses (this one: {text}), more than the engine's stack holds")
    return None
