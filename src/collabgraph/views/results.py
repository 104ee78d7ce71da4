"""SPARQL results in the forms users ask for: rdflib ``Result`` objects, or
bytes in a standard results or RDF format.

>>> from collabgraph.store import Store
>>> s = Store.memory()
>>> s.load_data('<https://e/a> <https://e/p> "x" .', "ntriples", graph="https://g/1")
1
>>> [str(row.o) for row in to_rdflib_result(s.query("SELECT ?o WHERE { ?s ?p ?o }"))]
['x']
>>> serialize(s.query("ASK { ?s ?p ?o }"), "json")
b'{"head":{},"boolean":true}'
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Variable
from rdflib.query import Result

from ..errors import CollabGraphError
from ..formats import RDF_FORMATS, RESULT_FORMATS
from ..namespaces import PREFIXES
from ..terms import to_rdflib

__all__ = ["to_rdflib_result", "serialize"]


def to_rdflib_result(res: Any) -> Result:
    """A pyoxigraph query result as an rdflib ``Result`` (SELECT, ASK or CONSTRUCT)."""
    if isinstance(res, ox.QueryBoolean):
        r = Result("ASK")
        r.askAnswer = bool(res)
        return r
    if isinstance(res, (ox.QueryTriples, list)):  # a list: CONSTRUCT results from a remote endpoint
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


def serialize(result: Any, format: str) -> bytes:
    """SELECT/ASK results as ``json`` (W3C SPARQL 1.1 Results JSON), ``xml``,
    ``csv`` or ``tsv``; CONSTRUCT/DESCRIBE triples as an RDF format
    (``turtle``, ``ntriples``, ``jsonld``, ...)."""
    if isinstance(result, (ox.QueryTriples, list)):
        fmt = RDF_FORMATS.get(format) or RDF_FORMATS["turtle" if format in ("table", "json") else format]
        prefixes = {} if fmt.name in ("ntriples", "nquads") else {"prefixes": PREFIXES}
        return ox.serialize(result, format=fmt.ox, **prefixes)
    if format not in RESULT_FORMATS:
        raise CollabGraphError(f"results of SELECT/ASK can be {', '.join(RESULT_FORMATS)}, not {format!r}")
    return result.serialize(format=RESULT_FORMATS[format])
