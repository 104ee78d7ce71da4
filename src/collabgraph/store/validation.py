"""SHACL validation of the sources against ``ontology/shapes.ttl``.

Two engines, same contract:

- ``"sparql"`` (default): the shapes compiled to SPARQL (:mod:`collabgraph.store.shacl`)
  and run by Oxigraph over the loaded sources plus the ontology; scales to
  millions of triples.
- ``"pyshacl"``: the reference implementation, on an rdflib copy of the same
  data; slow past tens of thousands of triples.

Each violation becomes a :class:`~collabgraph.core.errors.Problem` naming the
file that states the failing node, the node, the rule (node shape, and the
property for property shapes) and the shape's message.

Before the shapes, both engines get the same literal checks
(:func:`literal_problems`): a literal of an XSD datatype must have a valid
lexical form (``"2024-13-45"^^xsd:date`` is refused; Oxigraph keeps it as an
opaque string, and rdflib logs a traceback for it), and no literal may be
longer than :func:`~collabgraph.core.sourcecheck.max_literal` characters.
A shape violation about an ill-typed literal is left out: the literal
check already names it.
"""

from __future__ import annotations

from pathlib import Path

import logging
import re
import warnings
from typing import Callable

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from ..core.errors import Problem
from ..core.namespaces import SH, SHAPES_IRI, curie
from .shacl import compile_shapes
from ..core.sourcecheck import LIMIT_VARIABLE, max_literal
from .local import Store

__all__ = ["shacl_problems", "literal_problems", "well_formed", "ENGINES"]

ENGINES = ("sparql", "pyshacl")


def shacl_problems(store: Store, *, data_graphs: list[str], ontology_graph: str,
                   shapes_path: Path, file_of_graph: dict[str, str],
                   engine: str = "sparql", only: set[str] | None = None,
                   literals: tuple[list[Problem], set] | None = None, workers: int = 1,
                   hashed: bool = False, partitions: list[list[str]] | None = None) -> list[Problem]:
    """Validate the union of ``data_graphs`` plus the ontology; return the problems, sorted.

    ``only`` (SPARQL engine only): report the problems of these focus nodes
    (IRIs, blank node identifiers) and no others. An incremental build
    validates the neighbourhood of what changed this way (see
    :func:`collabgraph.build.pipeline.build`). ``literals``: what
    :func:`literal_problems` returns for the same graphs, when the caller
    checked them already (a streaming build checks each file's literals as
    it parses it, in memory, rather than by a scan of the store on disk).
    ``workers`` (SPARQL engine): run the shapes' queries in that many threads.
    ``hashed``: :func:`collabgraph.store.shacl.compile_shapes`' choice of screens
    (the streaming compile's, on disk; ``False``: memory that does not grow with the graph).
    ``partitions`` (with ``hashed=False``): ``data_graphs`` in batches; each
    screen is then hashed batch by batch, so the engine's memory is bounded by
    a batch, not by the graph (:class:`collabgraph.store.shacl.Partitioned`:
    the same problems)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}: use one of {', '.join(ENGINES)}")
    if only is not None and engine != "sparql":
        raise ValueError("validating some focus nodes only needs the 'sparql' engine")
    shapes = Graph().parse(shapes_path, format="turtle")
    scope = [*data_graphs, ontology_graph]
    literal_found, bad = literals if literals is not None else \
        literal_problems(store, data_graphs=data_graphs, file_of_graph=file_of_graph)
    if engine == "sparql":
        found = _sparql_engine(store, shapes, scope, only, workers, hashed,
                               None if partitions is None else [*partitions, [ontology_graph]])
    else:
        found = _pyshacl_engine(store, shapes, scope)
    locate = _Locator(store, data_graphs, file_of_graph)
    problems = set(literal_found) | {
        Problem(file=locate(focus), focus=_show(focus), rule=rule, message=_with_value(message, value),
                path=path)
        for focus, value, rule, message, path in found
        if (_show(focus), path) not in bad
    }
    return sorted(problems, key=lambda p: (p.file, p.focus, p.rule, p.message))


_XSD = "http://www.w3.org/2001/XMLSchema#"
_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?(?:[1-9]\d{4,}|\d{4})"
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _day_ok(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if month == 2 and year is not None:
        return day <= (29 if _leap(year) else 28)
    return day <= _DAYS[month - 1]


def _date(m: re.Match) -> bool:
    return _day_ok(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _time_ok(m: re.Match, first: int) -> bool:
    h, mi, s = int(m.group(first)), int(m.group(first + 1)), float(m.group(first + 2))
    return (h < 24 and mi < 60 and s < 60) or (h == 24 and mi == 0 and s == 0)


#: datatype -> (pattern of the lexical form, check of its fields)
_LEXICAL: dict[str, tuple[re.Pattern, Callable[[re.Match], bool] | None]] = {
    "date": (re.compile(rf"({_YEAR})-(\d\d)-(\d\d){_TZ}"), _date),
    "dateTime": (re.compile(rf"({_YEAR})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d(?:\.\d+)?){_TZ}"),
                 lambda m: _date(m) and _time_ok(m, 4)),
    "time": (re.compile(rf"(\d\d):(\d\d):(\d\d(?:\.\d+)?){_TZ}"), lambda m: _time_ok(m, 1)),
    "gYear": (re.compile(rf"{_YEAR}{_TZ}"), None),
    "gYearMonth": (re.compile(rf"{_YEAR}-(\d\d){_TZ}"), lambda m: 1 <= int(m.group(1)) <= 12),
    "gMonthDay": (re.compile(rf"--(\d\d)-(\d\d){_TZ}"), lambda m: _day_ok(None, int(m.group(1)), int(m.group(2)))),
    "gMonth": (re.compile(rf"--(\d\d){_TZ}"), lambda m: 1 <= int(m.group(1)) <= 12),
    "gDay": (re.compile(rf"---(\d\d){_TZ}"), lambda m: 1 <= int(m.group(1)) <= 31),
    "boolean": (re.compile(r"true|false|1|0"), None),
    "integer": (re.compile(r"[+-]?\d+"), None),
    "int": (re.compile(r"[+-]?\d+"), lambda m: -2**31 <= int(m.group()) < 2**31),
    "long": (re.compile(r"[+-]?\d+"), lambda m: -2**63 <= int(m.group()) < 2**63),
    "nonNegativeInteger": (re.compile(r"\+?\d+|-0+"), None),
    "positiveInteger": (re.compile(r"\+?\d+"), lambda m: int(m.group()) > 0),
    "decimal": (re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"), None),
    "double": (re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN"), None),
    "float": (re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN"), None),
}


def well_formed(lexical: str, datatype: str) -> bool:
    """Whether ``lexical`` is a valid lexical form of the XSD ``datatype``
    (any other datatype: always true). Surrounding white space is allowed, as in XSD.

    >>> well_formed("2024-02-29", _XSD + "date"), well_formed("2023-02-29", _XSD + "date")
    (True, False)
    >>> well_formed("2024-13-45", _XSD + "date"), well_formed("--02-29", _XSD + "gMonthDay")
    (False, True)
    >>> well_formed("yes", _XSD + "boolean"), well_formed("anything", "https://e/custom")
    (False, True)
    """
    if not datatype.startswith(_XSD):
        return True
    rule = _LEXICAL.get(datatype[len(_XSD):])
    if rule is None:
        return True
    pattern, fields = rule
    m = pattern.fullmatch(lexical.strip(" \t\r\n"))
    return m is not None and (fields is None or fields(m))


# Every literal that is long, or typed with something other than xsd:string
# or rdf:langString, once: a scan of 1M triples in 1.7 s, where testing the
# datatype against a list of XSD types took 6 s. The few bad ones are then
# looked up by value.
_LITERALS = """SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER (isLiteral(?o) && (STRLEN(?o) > %d ||
  (DATATYPE(?o) != xsd:string && DATATYPE(?o) != rdf:langString))) }"""
_STATED = "SELECT ?g ?s ?p WHERE { GRAPH ?g { ?s ?p ?o } }"


def literal_problems(store: Store, *, data_graphs: list[str], file_of_graph: dict[str, str]
                     ) -> tuple[list[Problem], set]:
    """Ill-typed literals (an XSD datatype and a lexical form it does not
    allow) and literals longer than :func:`~collabgraph.core.sourcecheck.max_literal`
    in ``data_graphs``: one problem each, naming the file (and line, when the
    value appears in the file as written), the entity and the property.
    Also returns ``(entity, property)`` of each ill-typed literal, as shown in problems."""
    limit = max_literal()
    wanted = set(data_graphs)
    problems, bad, lines = [], set(), _Lines()
    for row in store.query(_LITERALS % int(limit)):
        literal = row["o"]
        too_long = len(literal.value) > limit
        if not too_long and well_formed(literal.value, literal.datatype.value):
            continue
        for where in store.query(_STATED, {"o": literal}, union=False):
            graph = where["g"].value
            if graph not in wanted:
                continue
            file = file_of_graph.get(graph, "(sources)")
            prop = curie(where["p"].value) if isinstance(where["p"], ox.NamedNode) else str(where["p"])
            focus = _show(_to_rdflib(where["s"]))
            if too_long:
                problems.append(Problem(lines.locate(file, literal.value[:40]), focus, "literal length",
                                        f"{prop}: a literal of {len(literal.value)} characters, longer than the "
                                        f"limit of {limit} (set {LIMIT_VARIABLE} to allow more)", prop))
            else:
                datatype = curie(literal.datatype.value)
                shown = literal.value if len(literal.value) <= 60 else literal.value[:57] + "..."
                problems.append(Problem(lines.locate(file, literal.value), focus, f"{datatype} lexical form",
                                        f"{prop}: {shown!r} is not a valid {datatype}", prop))
                bad.add((focus, prop))
    return problems, bad


class _Lines:
    """``file:line`` of the first line holding a value as written, when the file can be read."""

    def __init__(self):
        self.texts: dict[str, str | None] = {}

    def locate(self, file: str, value: str) -> str:
        if file not in self.texts:
            try:
                path = Path(file)
                self.texts[file] = path.read_text("utf-8", "replace") if path.stat().st_size < 1 << 26 else None
            except (OSError, ValueError):
                self.texts[file] = None
        text = self.texts[file]
        at = text.find(value) if text and value else -1
        return f"{file}:{text.count(chr(10), 0, at) + 1}" if text and at >= 0 else file



def _with_value(message: str, value) -> str:
    shown = _show(value) if value is not None else None
    if shown and shown not in message:
        return f"{message} (value: {shown})"
    return message


def _sparql_engine(store: Store, shapes: Graph, scope: list[str], only: set[str] | None = None, workers: int = 1,
                   hashed: bool = False, partitions: list[list[str]] | None = None):
    def subclasses(c) -> list[str]:
        rows = store.query("SELECT ?c ?sub WHERE { ?sub rdfs:subClassOf* ?c }", {"c": c}, graphs=scope)
        return [r["sub"].value for r in rows if isinstance(r["sub"], ox.NamedNode)]

    # A screen and the checks it stands for, or a check alone: one task each.
    tasks: dict[str | None, list] = {}
    alone: list[list] = []
    for check in compile_shapes(shapes, subclasses, hashed=hashed, partitioned=partitions is not None):
        if check.screen is None:
            alone.append([check])
        else:
            tasks.setdefault(check.screen, []).append(check)

    # The subjects stated in two partitions, found beside the first screens (only their last step needs them).
    split = None
    if partitions is not None and tasks:
        from concurrent.futures import ThreadPoolExecutor

        beside = ThreadPoolExecutor(1)
        split = beside.submit(_split_subjects, store, partitions)
        beside.shutdown(wait=False)

    def flagged(screen: str, checks: list) -> bool:
        parts = checks[0].partitioned
        if parts is None or split is None or partitions is None:
            return any(True for _ in store.query(screen, graphs=scope))
        return _partitioned_flags(store, parts, partitions, split, scope, screen)

    def run(screen: str | None, checks: list) -> list:
        if screen is not None and not flagged(screen, checks):
            return []
        found = []
        for check in checks:
            rows = store.query(check.query, graphs=scope)
            if only is not None:
                rows = [row for row in rows if row["this"].value in only]
            found += [(_to_rdflib(focus), _to_rdflib(value), check.rule, message, check.path)
                      for focus, value, message in check.problems(rows)]
        return found

    work = [*tasks.items(), *((None, checks) for checks in alone)]
    if workers > 1:  # the engine releases the GIL while it evaluates: queries on both CPUs
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(lambda task: run(*task), work))
    else:
        results = [run(*task) for task in work]
    for found in results:
        yield from found


#: Past this many nodes to check one by one (candidates of the partitions and
#: nodes whose triples lie in two), a partitioned screen runs whole by seek.
NODES_BY_SEEK = 50_000
_SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"


def _split_subjects(store: Store, partitions: list[list[str]]) -> list | None:
    """The subjects stated in more than one partition (each partition's
    distinct subjects, hashed to 64 bits in Python: 8 bytes a subject, where
    the engine's hash joins held about 75 MiB per million source triples); a
    collision only adds a node to check. ``None`` past :data:`NODES_BY_SEEK`."""
    import numpy as np

    def hashes(part: list[str]):
        return np.unique(np.fromiter((hash(r["s"].value) for r in store.query(_SUBJECTS, graphs=part)),
                                     dtype=np.int64))

    every = [hashes(part) for part in partitions]
    values, counts = np.unique(np.concatenate(every), return_counts=True)
    shared = values[counts > 1]
    if len(shared) > NODES_BY_SEEK:
        return None
    if not len(shared):
        return []
    wanted = set(shared.tolist())
    return list({r["s"] for part in partitions for r in store.query(_SUBJECTS, graphs=part)
                 if hash(r["s"].value) in wanted})


def _partitioned_flags(store: Store, parts, partitions: list[list[str]], shared, scope: list[str],
                       screen: str) -> bool:
    """Whether a :class:`~collabgraph.store.shacl.Partitioned` screen finds
    something: a failing value in some partition, or a failure among the
    partitions' candidates and the subjects stated in two partitions
    (``shared.result()``: :func:`_split_subjects`; ``None``: too many to
    check one by one: ``screen``, the whole screen by seek, decides)."""
    from .shacl import GRAPHS_SLOT, NODES_SLOT

    candidates: set = set()
    split: list | None = []
    for part in partitions:
        if parts.values is not None:
            graphs = " ".join(str(ox.NamedNode(g)) for g in part)
            if any(True for _ in store.query(parts.values.replace(GRAPHS_SLOT, graphs), graphs=scope)):
                return True
        if parts.local is not None and split is not None:
            for row in store.query(parts.local, graphs=part):
                if isinstance(row["this"], ox.BlankNode):
                    return True  # a blank node's triples are all in its file: judged exactly here
                candidates.add(row["this"])
            if len(candidates) > NODES_BY_SEEK:
                split = None
    split = shared.result() if split is not None else None
    if split is None or len(candidates) + len(split) > NODES_BY_SEEK:
        return any(True for _ in store.query(screen, graphs=scope))
    nodes = list(candidates.union(split))
    for i in range(0, len(nodes), 1000):
        terms = " ".join(str(n) for n in nodes[i:i + 1000])
        if any(True for _ in store.query(parts.nodes.replace(NODES_SLOT, terms), graphs=scope)):
            return True
    return False


def _pyshacl_engine(store: Store, shapes: Graph, scope: list[str]):
    import pyshacl  # heavy import, only for the reference engine

    data = Graph()
    buf = ox.serialize(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", graphs=scope),
                       format=ox.RdfFormat.N_TRIPLES)
    # rdflib logs a traceback for every ill-typed literal it reads;
    # literal_problems names them in one line each instead.
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    term_log.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Parsing weird boolean" and the like
            data.parse(data=buf, format="nt")
            conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                                    abort_on_first=False, allow_warnings=True)
    finally:
        term_log.setLevel(level)
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
    name = _show(owner).replace(SHAPES_IRI, "cgsh:")
    if isinstance(shape, BNode) and shapes.value(predicate=SH.property, object=shape) is not None:
        p = shapes.value(shape, SH.path)
        inverse = shapes.value(p, SH.inversePath) if isinstance(p, BNode) else None
        name += "/" + (curie(str(p)) if isinstance(p, URIRef) else "^" + curie(str(inverse)))
    return name


def _to_rdflib(term):
    from ..core.terms import to_rdflib

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
