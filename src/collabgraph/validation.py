"""SHACL validation of the sources against ``ontology/shapes.ttl``.

pySHACL runs on the union of the source graphs and the ontology (so the shapes
see class hierarchies and property ranges). Each result becomes a
:class:`~collabgraph.errors.Problem` naming the file that states the failing
node, the node, the shape and property, and the shape's message.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from .errors import Problem
from .namespaces import SH, curie
from .store import Store

__all__ = ["shacl_problems"]


def shacl_problems(store: Store, *, data_graphs: list[str], ontology_graph: str,
                   shapes_path: Path, file_of_graph: dict[str, str]) -> list[Problem]:
    """Validate the union of ``data_graphs`` plus the ontology; return the problems."""
    import pyshacl  # heavy import, only when validating

    data = Graph()
    for g in [*data_graphs, ontology_graph]:
        buf = ox.serialize(store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                                       {"g": URIRef(g)}, union=False),
                           format=ox.RdfFormat.N_TRIPLES)
        data.parse(data=buf, format="nt")
    shapes = Graph().parse(shapes_path, format="turtle")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                            abort_on_first=False, allow_warnings=True)
    if conforms:
        return []
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        shape = results.value(result, SH.sourceShape)
        value = results.value(result, SH.value)
        rule = _rule_name(shapes, shape, path)
        text = str(message) if message is not None else f"fails {rule}"
        if value is not None and "{" not in text and str(value) not in text:
            text += f" (value: {_show(value)})"
        problems.append(Problem(
            file=_files_stating(store, focus, data_graphs, file_of_graph),
            focus=_show(focus), rule=rule, message=text,
            path=curie(str(path)) if isinstance(path, URIRef) else None,
        ))
    return sorted(set(problems), key=lambda p: (p.file, p.focus, p.rule, p.message))


def _rule_name(shapes: Graph, shape, path) -> str:
    """``cgsh:CreditShape`` for a node shape; ``cgsh:CreditShape/cg:quote`` for
    one of its property shapes; shapes are named by the node shape that holds them."""
    owner = shape
    if isinstance(shape, BNode):
        parent = shapes.value(predicate=SH.property, object=shape) or shapes.value(predicate=SH.sparql, object=shape)
        owner = parent if parent is not None else shape
    name = _show(owner).replace("https://w3id.org/collabgraph/shapes#", "cgsh:")
    if isinstance(shape, BNode) and isinstance(path, URIRef):
        name += "/" + curie(str(path))
    return name


def _show(term) -> str:
    if isinstance(term, BNode):
        return "[blank node]"
    return curie(str(term))


def _files_stating(store: Store, focus, data_graphs: list[str], file_of_graph: dict[str, str]) -> str:
    if not isinstance(focus, URIRef):
        return ", ".join(sorted({file_of_graph[g] for g in data_graphs})) if len(data_graphs) == 1 else "(sources)"
    files = []
    for row in store.select("SELECT ?g ?f WHERE { GRAPH ?g { ?f ?p ?o } }", f=focus):
        g = row["g"].value
        if g in file_of_graph:
            files.append(file_of_graph[g])
    if not files:  # only mentioned as an object somewhere
        for row in store.select("SELECT ?g ?f WHERE { GRAPH ?g { ?s ?p ?f } }", f=focus):
            if row["g"].value in file_of_graph:
                files.append(file_of_graph[row["g"].value])
    return ", ".join(sorted(set(files))) or "(ontology)"
