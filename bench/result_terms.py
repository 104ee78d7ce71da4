"""Do query results keep the engine's terms? (issue 21, item 6)

    .venv/bin/python bench/result_terms.py PATH/TO/rdf-tests   # a checkout of the W3C rdf-tests (not vendored)

1. On every SPARQL 1.1 query evaluation test (SERVICE tests skipped: no
   network), runs the query with raw pyoxigraph, then converts the same result
   as the API does (:func:`collabgraph.views.results.to_rdflib_result`) and as
   it did before (rdflib literals normalised), and counts the tests whose terms
   differ from the engine's: lexical form, datatype, language (blank node labels
   are not compared).
2. Times reading 60,000 rows as engine terms and as rdflib results (best of 3;
   the machine may be shared).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef, Variable

from collabgraph.core.errors import QueryError
from collabgraph.store.local import Store
from collabgraph.views import results
from collabgraph.views.results import to_rdflib_result

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def normalised(term):
    """The conversion before issue 21: rdflib's default, which re-writes lexical forms."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value) if term.datatype.value == XSD + "string" else Literal(
        term.value, datatype=URIRef(term.datatype.value))


def key(t):
    """What must survive: kind, lexical form, datatype, language."""
    if t is None:
        return None
    if isinstance(t, (ox.BlankNode, BNode)):
        return ("bnode",)
    if isinstance(t, (ox.NamedNode, URIRef)):
        return ("iri", str(t.value if isinstance(t, ox.NamedNode) else t))
    if isinstance(t, ox.Literal):
        return ("literal", t.value, None if t.language else t.datatype.value, t.language)
    if isinstance(t, Literal):
        return ("literal", str(t), None if t.language else str(t.datatype or XSD + "string"), t.language)
    return ("triple", str(t))


def run(query: Path, data: list[str], graphs: list[str]):
    s = ox.Store()
    for d in data + graphs:
        fmt = ox.RdfFormat.from_extension(d.rsplit(".", 1)[1])
        into = {"to_graph": ox.NamedNode("file://" + d)} if d in graphs else {}
        s.load(path=d, format=fmt, base_iri="file://" + d, **into)
    return s.query(query.read_text("utf-8"), base_iri=f"file://{query}")


def solutions(result, convert) -> Counter:
    if isinstance(result, ox.QueryTriples):
        return Counter(tuple(key(convert(x)) for x in (t.subject, t.predicate, t.object)) for t in result)
    names = [v.value for v in result.variables]
    return Counter(tuple(key(convert(sol[n]) if sol[n] is not None else None) for n in names) for sol in result)


def api(result) -> Counter:
    """The API's conversion, read back from the rdflib Result."""
    if isinstance(result, ox.QueryTriples):
        return Counter(tuple(key(x) for x in t) for t in to_rdflib_result(result).graph)
    names = [v.value for v in result.variables]
    return Counter(tuple(key(b.get(Variable(n))) for n in names) for b in to_rdflib_result(result).bindings)


def conformance(root: Path) -> None:
    print(f"{'manifest':<16} {'tests':>5} {'differ now':>10} {'differ before':>13}")
    totals = Counter()
    for manifest in sorted(root.glob("sparql/sparql11/*/manifest.ttl")):
        by_subject: dict = {}
        for t in ox.parse(path=str(manifest), format=ox.RdfFormat.TURTLE, base_iri=f"file://{manifest}"):
            by_subject.setdefault(t.subject, []).append(t)
        counts = Counter()
        for triples in by_subject.values():
            if not any(t.predicate.value.endswith("#type") and t.object.value == MF + "QueryEvaluationTest"
                       for t in triples):
                continue
            action = next((t.object for t in triples if t.predicate.value == MF + "action"), None)
            given = by_subject.get(action, [])
            args = {p: [t.object.value[len("file://"):] for t in given if t.predicate.value == QT + p]
                    for p in ("query", "data", "graphData")}
            if not args["query"] or "service" in args["query"][0]:
                continue
            query = Path(args["query"][0])
            try:
                want = run(query, args["data"], args["graphData"])
                if isinstance(want, ox.QueryBoolean):
                    counts["tests"] += 1
                    continue
                want = solutions(want, lambda t: t)
            except (SyntaxError, OSError, RuntimeError):
                continue
            counts["tests"] += 1
            try:
                now = api(run(query, args["data"], args["graphData"]))
            except QueryError:
                now = None
            before = solutions(run(query, args["data"], args["graphData"]), normalised)
            counts["now"] += now != want
            counts["before"] += before != want
        if counts["tests"]:
            print(f"{manifest.parent.name:<16} {counts['tests']:>5} {counts['now']:>10} {counts['before']:>13}")
            totals.update(counts)
    print(f"{'total':<16} {totals['tests']:>5} {totals['now']:>10} {totals['before']:>13}")


def timing() -> None:
    s = Store.memory()
    s.load_data("\n".join(line for i in range(20000) for line in (
        f'<https://e/s{i}> <https://e/p> "{i}.5"^^<{XSD}double> .',
        f'<https://e/s{i}> <https://e/q> "2024-01-{i % 28 + 1:02d}T00:00:00Z"^^<{XSD}dateTime> .',
        f'<https://e/s{i}> <https://e/r> "label {i}"@en .')), "ntriples", graph="https://g/1")
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"

    def best(f) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            f()
            times.append(time.perf_counter() - start)
        return min(times)

    def before():  # the same Result, with the old conversion
        results.to_rdflib = normalised
        try:
            return list(to_rdflib_result(s.query(q)))
        finally:
            results.to_rdflib = exact

    exact = results.to_rdflib
    for name, f in [("engine terms (terms='oxigraph')", lambda: [tuple(sol) for sol in s.query(q)]),
                    ("rdflib Result, exact (the default)", lambda: list(to_rdflib_result(s.query(q)))),
                    ("rdflib Result, normalised (before)", before)]:
        print(f"{name:<36} {best(f):6.2f} s for 60,000 rows")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        conformance(Path(sys.argv[1]).resolve())
    timing()
