"""The SPARQL 1.1 Protocol's rules, without a server: content negotiation,
the checks on a request's parameters, the dataset it names (``USING`` for
updates), and the service description. Plain functions, tested by their doctests.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RESULT_TYPES", "GRAPH_TYPES", "MEDIA", "DATASET_PARAMS", "negotiate", "content_charset", "protocol_problem",
           "named_request", "dataset_of", "with_using", "endpoint_url", "service_description"]

RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}


GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "text/plain": "ntriples", "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
}


MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
         "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
         "turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
         "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}


def negotiate(accept: str | None, table: dict[str, str], default: str) -> str | None:
    """The format for the best media type of an Accept header that ``table``
    knows; ``default`` for */* or no header; ``None`` if nothing fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES, "json")
    'xml'
    >>> negotiate(None, GRAPH_TYPES, "turtle"), negotiate("image/png", RESULT_TYPES, "json")
    ('turtle', None)
    """
    if not accept:
        return default
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q > 0:  # q=0: "not acceptable"
            ranked.append((-q, i, media.lower()))
    for _, _, media in sorted(ranked):
        if media in table:
            return table[media]
        if media == "*/*" or (media.endswith("/*") and MEDIA.get(default, "").startswith(media[:-1])):
            return default
        if media.endswith("/*"):  # text/*: the first type of that kind the table knows
            kind = next((f for f in table.values() if MEDIA[f].startswith(media[:-1])), None)
            if kind is not None:
                return kind
    return None


def named_request(params: list, method: str) -> tuple[str, str] | None:
    """``(kind, text)`` from the ``update`` or ``query`` parameter; a GET with neither asks for the service description."""
    named = dict(params)
    if "update" in named:
        return "update", named["update"]
    if "query" in named:
        return "query", named["query"]
    return ("service", "") if method == "GET" else None


def dataset_of(kind: str, text: str, given: dict[str, list[str]], base: str) -> tuple[str, dict[str, Any]]:
    """The text to run and its dataset: ``base``, and the protocol's graphs for a
    query; an update is given its ``USING`` clauses instead.

    :raises ValueError: when the update cannot take them.
    """
    dataset: dict[str, Any] = {"base": base}
    if kind == "query" and (given["default-graph-uri"] or given["named-graph-uri"]):
        dataset["graphs"], dataset["named"] = given["default-graph-uri"], given["named-graph-uri"]
    if kind == "update" and (given["using-graph-uri"] or given["using-named-graph-uri"]):
        text = with_using(text, given["using-graph-uri"], given["using-named-graph-uri"])
    return text, dataset


#: The SPARQL 1.1 Protocol's dataset parameters (queries, then updates).
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")


def content_charset(options: str) -> str:
    """The ``charset`` of a Content-Type's parameters (``utf-8`` when none)."""
    for part in options.split(";"):
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return "utf-8"


def protocol_problem(params: list[tuple[str, str]], kind: str | None, method: str) -> str | None:
    """Why a request breaks the SPARQL 1.1 Protocol (one line), or ``None``.

    >>> protocol_problem([("query", "ASK {}"), ("query", "ASK {}")], None, "GET")
    'more than one query parameter: a request carries one operation'
    >>> protocol_problem([("update", "CLEAR ALL"), ("query", "ASK {}")], None, "POST")
    'a request is a query or an update, not both'
    """
    counts = {name: sum(1 for k, _ in params if k == name) for name in ("query", "update")}
    for name, n in counts.items():
        if n > 1:
            return f"more than one {name} parameter: a request carries one operation"
    if kind is not None and (counts["query"] or counts["update"]):
        return f"the {kind} is the body: a query or update parameter as well is one operation too many"
    if counts["query"] and counts["update"]:
        return "a request is a query or an update, not both"
    if counts["update"] and method != "POST":
        return "updates must be POSTed"
    operation = kind or ("update" if counts["update"] else "query" if counts["query"] else None)
    names = {k for k, _ in params}
    if operation == "query" and names & {"using-graph-uri", "using-named-graph-uri"}:
        return "using-graph-uri and using-named-graph-uri belong to updates; a query takes default-graph-uri"
    if operation == "update" and names & {"default-graph-uri", "named-graph-uri"}:
        return "default-graph-uri and named-graph-uri belong to queries; an update takes using-graph-uri"
    return None


def with_using(update: str, graphs: list[str], named: list[str]) -> str:
    """``update`` with ``USING``/``USING NAMED`` clauses for the protocol's
    ``using-graph-uri``/``using-named-graph-uri``, put before the ``WHERE`` of
    each DELETE/INSERT operation (SPARQL 1.1 Protocol §2.2.3).

    >>> with_using("INSERT { ?s a 1 } WHERE { ?s ?p ?o }", ["http://g/1"], [])
    'INSERT { ?s a 1 }  USING <http://g/1> WHERE { ?s ?p ?o }'

    :raises ValueError: when the update has USING or WITH of its own (the
        protocol says 400), or an operation that cannot take USING.
    """
    from ..core.sparqltext import tokens

    clause = " " + " ".join([f"USING <{g}>" for g in graphs] + [f"USING NAMED <{g}>" for g in named]) + " "
    if any(">" in g or "<" in g or " " in g for g in graphs + named):
        raise ValueError("a using-graph-uri is not an IRI")
    at, depth, previous = [], 0, ""
    for kind, tok, offset in tokens(update):
        if kind == "other" and tok in "{}":
            depth += 1 if tok == "{" else -1
        if kind == "word" and depth == 0:
            word = tok.upper()
            if word in ("USING", "WITH"):
                raise ValueError(f"the update has a {word} clause and the request using-graph-uri/"
                                 "using-named-graph-uri: give the dataset one way")
            if word == "WHERE":
                if previous.upper() == "DELETE":
                    raise ValueError("DELETE WHERE cannot take USING; with using-graph-uri write "
                                     "DELETE { ... } WHERE { ... }")
                at.append(offset)
        if not tok.isspace() and kind != "comment":
            previous = tok
    for offset in reversed(at):
        update = update[:offset] + clause + update[offset:]
    return update


def endpoint_url(request) -> str:
    """This endpoint's URL as the client named it: the base IRI of its queries."""
    # From the scope, not ``request.url`` (which builds and splits the whole URL: ~25 µs a request).
    scope = request.scope
    return f"{scope.get('scheme', 'http')}://{request.headers.get('host', '')}{scope['path']}"


def service_description(url: str, graphs: list[str], *, writable: bool) -> str:
    """A SPARQL 1.1 Service Description of the endpoint at ``url`` (Turtle):
    its languages, result formats and dataset (the union default graph and
    the named ``graphs``).

    >>> "sd:endpoint <http://127.0.0.1:8000/sparql>" in service_description("http://127.0.0.1:8000/sparql", [], writable=False)
    True
    """
    results = ", ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in
                        ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                         "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
    languages = "sd:SPARQL11Query, sd:SPARQL11Update" if writable else "sd:SPARQL11Query"
    named = "".join(f" ;\n    sd:namedGraph [ a sd:NamedGraph ; sd:name <{g}> ]" for g in graphs)
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
<{url}> a sd:Service ;
  sd:endpoint <{url}> ;
  sd:supportedLanguage {languages} ;
  sd:resultFormat {results} ;
  sd:feature sd:UnionDefaultGraph ;
  sd:defaultDataset [ a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ]{named} ] .
"""

