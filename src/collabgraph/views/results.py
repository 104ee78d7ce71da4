"""SPARQL results in the forms users ask for: the engine's own (pyoxigraph)
terms, rdflib ``Result`` objects with the same terms, rows for a table, or
bytes in a standard results or RDF format. Every form keeps each term exactly
as the engine gives it: lexical form, datatype and language.

>>> from collabgraph.store.local import Store
>>> s = Store.memory()
>>> s.load_data('<https://e/a> <https://e/p> "1050"^^<http://www.w3.org/2001/XMLSchema#double> .', "ntriples",
...             graph="https://g/1")
1
>>> [str(row.o) for row in to_rdflib_result(s.query("SELECT ?o WHERE { ?s ?p ?o }"))]
['1050']
>>> serialize(s.query("ASK { ?s ?p ?o }"), "json")
b'{"head":{},"boolean":true}'
>>> print(serialize(s.query("CONSTRUCT WHERE { ?s ?p ?o }"), "csv").decode().replace("\\r", ""))
subject,predicate,object
https://e/a,https://e/p,1050
<BLANKLINE>
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Sequence

import pyoxigraph as ox

from ..core.errors import CollabGraphError, QueryError
from ..core.formats import RDF_FORMATS, RESULT_FORMATS
from ..core.namespaces import PREFIXES
from ..core.terms import to_rdflib

if TYPE_CHECKING:
    from rdflib.query import Result

__all__ = ["to_rdflib_result", "serialize", "rows", "json_term", "TRIPLE_COLUMNS", "GRAPH_FORMAT_FOR"]

#: The columns of a CONSTRUCT/DESCRIBE result shown as a table (or CSV/TSV).
TRIPLE_COLUMNS = ("subject", "predicate", "object")

#: The RDF format a CONSTRUCT/DESCRIBE result is written in for each format
#: name the CLI offers: JSON is JSON-LD, XML is RDF/XML (CSV and TSV are rows).
GRAPH_FORMAT_FOR = {"json": "jsonld", "xml": "rdfxml"}


def is_graph(result: Any) -> bool:
    """Whether a query result is triples (CONSTRUCT/DESCRIBE; a list from a remote endpoint)."""
    return isinstance(result, (ox.QueryTriples, list))


def to_rdflib_result(res: Any) -> Result:
    """A pyoxigraph query result as an rdflib ``Result`` (SELECT, ASK or CONSTRUCT),
    its terms made by :func:`collabgraph.core.terms.to_rdflib` (the engine's lexical forms).

    :raises QueryError: when a term has no rdflib form (a triple term).
    """
    from rdflib import Graph, Variable
    from rdflib.query import Result

    if isinstance(res, ox.QueryBoolean):
        r = Result("ASK")
        r.askAnswer = bool(res)
        return r
    if is_graph(res):
        r = Result("CONSTRUCT")
        g = Graph()
        for t in res:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        r.graph = g
        return r
    r = Result("SELECT")
    names = [v.value for v in res.variables]
    r.vars = [Variable(n) for n in names]
    r.bindings = [{Variable(n): to_rdflib(sol[n]) for n in names if sol[n] is not None} for sol in res]
    return r


def rows(result: Any) -> tuple[list[str], list[list[Any]]]:
    """A SELECT or CONSTRUCT/DESCRIBE result as column names and rows of the
    engine's terms (``None`` where unbound): one row per solution, or per triple
    under :data:`TRIPLE_COLUMNS`."""
    if is_graph(result):
        return list(TRIPLE_COLUMNS), [[t.subject, t.predicate, t.object] for t in result]
    names = [v.value for v in result.variables]
    return names, [[sol[n] for n in names] for sol in result]


def json_term(term: Any) -> dict[str, Any]:
    """A term as SPARQL 1.2 Query Results JSON has it: a triple term (RDF 1.2)
    as ``{"type": "triple", "value": {"subject": ..., "predicate": ..., "object": ...}}``,
    a literal's base direction as ``its:dir``."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": json_term(term.subject), "predicate": json_term(term.predicate),
                                            "object": json_term(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
        if getattr(term, "direction", None) is not None:
            out["its:dir"] = str(term.direction)
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def results_json(names: Sequence[str], table: Sequence[Sequence[Any]]) -> bytes:
    """Rows of terms as a SPARQL 1.1 (1.2 for triple terms) Query Results JSON document."""
    return json.dumps({"head": {"vars": list(names)}, "results": {"bindings": [
        {n: json_term(t) for n, t in zip(names, row) if t is not None} for row in table]}},
        ensure_ascii=False).encode("utf-8")


def serialize(result: Any, format: str) -> bytes:
    """A query result as bytes. SELECT/ASK: ``json`` (W3C SPARQL 1.1 Results
    JSON), ``xml``, ``csv`` or ``tsv``. CONSTRUCT/DESCRIBE: an RDF format
    (``turtle``, ``ntriples``, ``jsonld``, ``rdfxml`` ...; ``json`` is JSON-LD,
    ``xml`` RDF/XML), or ``csv``/``tsv`` with one row per triple.

    :raises CollabGraphError: for a format the result's kind has not.
    :raises QueryError: for triple terms in JSON-LD, which cannot hold them.
    """
    if is_graph(result):
        triples = list(result)
        if format in ("csv", "tsv"):
            parsed = ox.parse_query_results(results_json(*rows(triples)), format=ox.QueryResultsFormat.JSON)
            return parsed.serialize(format=RESULT_FORMATS[format])
        fmt = RDF_FORMATS.get(GRAPH_FORMAT_FOR.get(format, format))
        if fmt is None:
            raise CollabGraphError(f"a CONSTRUCT/DESCRIBE result can be json, xml, csv, tsv or "
                                   f"{', '.join(RDF_FORMATS)}, not {format!r}")
        if fmt.name == "jsonld" and any(isinstance(x, ox.Triple) for t in triples for x in (t.subject, t.object)):
            raise QueryError("the result holds triple terms (RDF 1.2), which JSON-LD cannot; "
                             "ask for turtle, ntriples, xml, csv, tsv or the table")
        prefixes = {"prefixes": PREFIXES} if fmt.name in ("turtle", "trig", "rdfxml") else {}
        return ox.serialize(triples, format=fmt.ox, **prefixes)
    if format not in RESULT_FORMATS:
        raise CollabGraphError(f"results of SELECT/ASK can be {', '.join(RESULT_FORMATS)}, not {format!r}")
    return result.serialize(format=RESULT_FORMATS[format])
