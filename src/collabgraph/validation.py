"""SHACL validation of the sources against ``ontology/shapes.ttl``.

Two engines, same contract:

- ``"sparql"`` (default): the shapes compiled to SPARQL (:mod:`collabgraph.shacl`)
  and run by Oxigraph over the loaded sources plus the ontology; scales to
  millions of triples.
- ``"pyshacl"``: the reference implementation, on an rdflib copy of the same
  data; slow past tens of thousands of triples.

Each violation becomes a :class:`~collabgraph.errors.Problem` naming the
file that states the failing node, the node, the rule (node shape, and the
property for property shapes) and the shape's message.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from .errors import Problem
from .namespaces import SH, curie
from .shacl import compile_shapes
from .store import Store

__all__ = ["shacl_problems", "ENGINES"]

ENGINES = ("sparql", "pyshacl")


def shacl_problems(store: Store, *, data_graphs: list[str], ontology_graph: str,
                   shapes_path: Path, file_of_graph: dict[str, str],
                   engine: str = "sparql", only: set[str] | None = None) -> list[Problem]:
    """Validate the union of ``data_graphs`` plus the ontology; return the problems, sorted.

    ``only`` (SPARQL engine only): report the problems of these focus nodes
    (IRIs, blank node identifiers) and no others. An incremental build
    validates the neighbourhood of what changed this way (see
    :func:`collabgraph.build.build`)."""
    shapes = Graph().parse(shapes_path, format="turtle")
    scope = [*data_graphs, ontology_graph]
    if only is not None and engine != "sparql":
        raise ValueError("validating some focus nodes only needs the 'sparql' engine")
    if engine == "sparql":
        found = _sparql_engine(store, shapes, scope, only)
    elif engine == "pyshacl":
        found = _pyshacl_engine(store, shapes, scope)
    else:
        raise ValueError(f"unknown validation engine {engine!r}: use one of {', '.join(ENGINES)}")
    locate = _Locator(store, data_graphs, file_of_graph)
    problems = {
        Problem(file=locate(focus), focus=_show(focus), rule=rule, message=_with_value(message, value),
                path=path)
        for focus, value, rule, message, path in found
    }
    return sorted(problems, key=lambda p: (p.file, p.focus, p.rule, p.message))


def _with_value(message: str, value) -> str:
    shown = _show(value) if value is not None else None
    if shown and shown not in message:
        return f"{message} (value: {shown})"
    return message


def _sparql_engine(store: Store, shapes: Graph, scope: list[str], only: set[str] | None = None):
    def subclasses(c) -> list[str]:
        rows = store.query("SELECT ?c ?sub WHERE { ?sub rdfs:subClassOf* ?c }", {"c": c}, graphs=scope)
        return [r["sub"].value for r in rows if isinstance(r["sub"], ox.NamedNode)]

    for check in compile_shapes(shapes, subclasses):
        rows = store.query(check.query, graphs=scope)
        if only is not None:
            rows = [row for row in rows if row["this"].value in only]
        for focus, value, message in check.problems(rows):
            yield _to_rdflib(focus), _to_rdflib(value), check.rule, message, check.path


def _pyshacl_engine(store: Store, shapes: Graph, scope: list[str]):
    import pyshacl  # heavy import, only for the reference engine

    data = Graph()
    buf = ox.serialize(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", graphs=scope),
                       format=ox.RdfFormat.N_TRIPLES)
    data.parse(data=buf, format="nt")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                            abort_on_first=False, allow_warnings=True)
    if conforms:
        return
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, result) in results:
            continue  # a nested result of sh:node, already reported for the outer focus node
        path = results.value(result, SH.resultPath)
        shape = results.value(result, SH.sourceShape)
        rule = _rule_name(shapes, shape, path)
        message = results.value(result, SH.resultMessage)
        yield (results.value(result, SH.focusNode), results.value(result, SH.value), rule,
               str(message) if message is not None else f"fails {rule}",
               curie(str(path)) if isinstance(path, URIRef) else None)


def _rule_name(shapes: Graph, shape, path) -> str:
    """``cgsh:CreditShape`` for a node shape; ``cgsh:CreditShape/cg:quote`` for
    one of its property shapes (named by the node shape that holds them)."""
    owner = shape
    if isinstance(shape, BNode):
        parent = shapes.value(predicate=SH.property, object=shape) or shapes.value(predicate=SH.sparql, object=shape)
        owner = parent if parent is not None else shape
    name = _show(owner).replace("https://w3id.org/collabgraph/shapes#", "cgsh:")
    if isinstance(shape, BNode) and shapes.value(predicate=SH.property, object=shape) is not None:
        p = shapes.value(shape, SH.path)
        inverse = shapes.value(p, SH.inversePath) if isinstance(p, BNode) else None
        name += "/" + (curie(str(p)) if isinstance(p, URIRef) else "^" + curie(str(inverse)))
    return name


def _to_rdflib(term):
    from .terms import to_rdflib

    return to_rdflib(term)


def _show(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "[blank node]"
    return curie(str(term))


_GRAPHS_STATING = "SELECT ?g ?f WHERE { GRAPH ?g { ?f ?p ?o } }"
_GRAPHS_MENTIONING = "SELECT ?g ?f WHERE { GRAPH ?g { ?s ?p ?f } }"


class _Locator:
    """Which source file(s) state a node (as subject, else as object)."""

    def __init__(self, store: Store, data_graphs: list[str], file_of_graph: dict[str, str]):
        self.store, self.data_graphs, self.file_of_graph = store, data_graphs, file_of_graph
        self.cache: dict[object, str] = {}

    def __call__(self, focus) -> str:
        if focus in self.cache:
            return self.cache[focus]
        files: set[str] = set()
        if isinstance(focus, URIRef):
            for query in (_GRAPHS_STATING, _GRAPHS_MENTIONING):
                for row in self.store.select(query, f=focus):
                    if row["g"].value in self.file_of_graph:
                        files.add(self.file_of_graph[row["g"].value])
                if files:
                    break
        elif len(self.data_graphs) == 1:
            files.add(self.file_of_graph[self.data_graphs[0]])
        self.cache[focus] = ", ".join(sorted(files)) or "(sources)"
        return self.cache[focus]
