"""SHACL shapes compiled to SPARQL, run by the store's own engine.

pySHACL checks one focus node at a time and re-parses every SPARQL-based
constraint for each of them with rdflib's parser: fine for a few thousand
triples, minutes for a million. Here every constraint of ``shapes.ttl``
becomes one SELECT over the whole graph that returns the violating nodes, so
validation costs a handful of indexed queries in Oxigraph.

Supported (what ``ontology/shapes.ttl`` uses, plus the common rest of SHACL
Core): ``sh:targetClass``, ``sh:targetNode``; property shapes with an IRI or
``sh:inversePath`` path; ``sh:minCount``, ``sh:maxCount``, ``sh:class``,
``sh:datatype``, ``sh:nodeKind``, ``sh:minLength``, ``sh:maxLength``,
``sh:pattern`` (+ ``sh:flags``), ``sh:in``, ``sh:hasValue``, ``sh:uniqueLang``,
``sh:or`` and ``sh:node`` of value-level shapes; SPARQL-based constraints
(``sh:sparql`` with ``sh:select``). Anything else raises
:class:`UnsupportedShape`, so a shape is never silently ignored; pySHACL
stays available as the reference engine (``engine="pyshacl"``), and the test
suite checks both engines report the same problems.

Terms from the shapes file are written into the query text in N-Triples
syntax by pyoxigraph (escaped by construction); no user input is involved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from ..core.namespaces import SH, SHAPES_IRI, curie
from ..core.terms import to_ox

__all__ = ["Check", "Partitioned", "UnsupportedShape", "compile_shapes", "GRAPHS_SLOT", "NODES_SLOT"]

#: Where :attr:`Partitioned.values` takes a partition's graphs, and
#: :attr:`Partitioned.nodes` the nodes to check, as ``VALUES`` terms.
GRAPHS_SLOT, NODES_SLOT = "__GRAPHS__", "__NODES__"

_CLASS_OF = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"

_HANDLED = {SH[n] for n in (
    "targetClass targetNode property path minCount maxCount class datatype nodeKind minLength "
    "maxLength pattern flags in hasValue uniqueLang or node message name description sparql "
    "declare prefixes order group deactivated severity").split()} | {RDF.type}
_IGNORED_NS = ("http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2004/02/skos/core#")


class UnsupportedShape(ValueError):
    """The shapes use a SHACL feature the SPARQL engine does not compile."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a SELECT returning ``?this`` (and maybe ``?value``)
    for every violation."""

    rule: str
    message: str
    query: str
    path: str | None = None
    #: A cheaper query that returns a row whenever this check (or another
    #: check of the same property shape) would: when it returns none, the
    #: checks sharing it need not run. ``None``: always run the check.
    screen: str | None = None
    #: The same screen evaluated partition by partition
    #: (``compile_shapes(partitioned=True)``); ``None``: not partitioned.
    partitioned: "Partitioned | None" = None

    def problems(self, rows) -> list[tuple[object, object, str]]:
        """``(focus, value, message)`` per result row, ``{?var}`` filled in."""
        out = []
        for row in rows:
            message = self.message
            for name in re.findall(r"\{[?$](\w+)\}", message):
                try:
                    term = row[name]
                except (KeyError, IndexError):
                    term = None
                message = message.replace(f"{{?{name}}}", _show(term)).replace(f"{{${name}}}", _show(term))
            value = _safe_get(row, "value")
            out.append((row["this"], value, message))
        return out


@dataclass(frozen=True)
class Partitioned:
    """A property shape's screen in three parts whose memory is bounded by a
    partition of the sources (a batch of named graphs), not by the graph
    (issue 23). A focus node all of whose own triples lie in one partition is
    judged there, exactly; every other node (a node whose triples lie in two
    partitions, or a candidate of a partition) is checked by a seek each:

    - :attr:`local`, run over one partition's graphs and the ontology: the
      focus nodes failing a count there (``minCount`` 1, ``maxCount``,
      ``uniqueLang``, ``hasValue``), joined by hashing; a node whose triples
      are split, or whose inverse-path values lie elsewhere, may show up
      here without failing: these are candidates for :attr:`nodes`.
    - :attr:`values`, run over the whole store with a partition's graphs in
      :data:`GRAPHS_SLOT`: a row when some value that the partition states
      for the path (of any subject) fails the value-level constraints, which
      depend on the value alone and so are exact whatever partition holds it.
    - :attr:`nodes`: the screen by seek restricted to the nodes in
      :data:`NODES_SLOT`.
    """

    local: str | None
    values: str | None
    nodes: str


def _safe_get(row, name):
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def _show(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _nt(term) -> str:
    """An rdflib term in N-Triples syntax, escaped by pyoxigraph."""
    return str(to_ox(term))


SubclassesOf = Callable[[URIRef], list[str]]


def compile_shapes(shapes: Graph, subclasses: SubclassesOf | None = None, *, hashed: bool = False,
                   partitioned: bool = False) -> list[Check]:
    """Every constraint of every node shape with a target, as :class:`Check` queries.

    ``hashed``: screens (and SPARQL constraints, where equivalent) joined by
    hashing (:func:`_screen`): on disk 0.5-0.7x the time, but the engine holds
    each screen's focus nodes and class members, about 75 MiB more per million
    source triples, and in memory 1.5-2x the time (1M: 41-60 s against 27-29 s);
    ``False`` (the default) screens by a seek per focus node
    (:func:`_screen_by_seek`), whose memory does not grow with the graph.
    ``partitioned`` (with ``hashed=False``): each screen by seek also comes
    as a :class:`Partitioned` screen, hashed partition by partition
    (:func:`collabgraph.store.validation.shacl_problems` with ``partitions``).

    ``subclasses(C)`` returns the IRIs of C and all its subclasses in the data
    being validated. Given it, class tests become a lookup of ``rdf:type`` in
    a fixed set instead of a ``rdf:type/rdfs:subClassOf*`` path per row
    (several times faster on large graphs, same answers).

    :raises UnsupportedShape: naming the shape and the feature.
    """
    classes = _closure_tests(subclasses) if subclasses else _path_tests()
    checks: list[Check] = []
    node_shapes = sorted(set(shapes.subjects(SH.targetClass)) | set(shapes.subjects(SH.targetNode)), key=str)
    for shape in node_shapes:
        if (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        _check_supported(shapes, shape)
        focus = _focus_pattern(shapes, shape, classes)
        name = _shape_name(shape)
        for prop in shapes.objects(shape, SH.property):
            _check_supported(shapes, prop)
            checks.extend(_property_checks(shapes, name, focus, prop, classes, hashed, partitioned))
        for sparql in shapes.objects(shape, SH.sparql):
            checks.append(_sparql_check(shapes, name, focus, sparql, hashed, partitioned))
    return checks


def _shape_name(shape) -> str:
    return "[blank shape]" if isinstance(shape, BNode) else \
        curie(str(shape)).replace(SHAPES_IRI, "cgsh:")


def _check_supported(shapes: Graph, shape) -> None:
    for p in set(shapes.predicates(shape)):
        if p not in _HANDLED and not str(p).startswith(_IGNORED_NS):
            raise UnsupportedShape(f"{_shape_name(shape)} uses {curie(str(p))}, which the SPARQL "
                                   "validation engine does not compile; use engine='pyshacl'")


class _ClassTests:
    """How to say "?x is an instance of C" in a focus pattern and in a filter."""

    def __init__(self, pattern: Callable[[str, URIRef], str], exists: Callable[[str, URIRef], str]):
        self.pattern, self.exists = pattern, exists

    def members(self, var: str, c: URIRef) -> str:
        """A sub-select of the instances of ``c`` as ``var`` (evaluated once, then hashed)."""
        return f"{{ SELECT DISTINCT {var} WHERE {{ {self.pattern(var, c)} }} }}"


def _path_tests() -> _ClassTests:
    return _ClassTests(lambda var, c: f"{var} {_CLASS_OF} {_nt(c)} .",
                       lambda var, c: f"EXISTS {{ {var} {_CLASS_OF} {_nt(c)} }}")


def _closure_tests(subclasses: SubclassesOf) -> _ClassTests:
    cache: dict[URIRef, str] = {}

    def members(c: URIRef) -> str:
        if c not in cache:
            iris = sorted(set(subclasses(c)) | {str(c)})
            cache[c] = ", ".join(_nt(URIRef(i)) for i in iris)
        return cache[c]

    counter = iter(range(1_000_000))

    def pattern(var: str, c: URIRef) -> str:
        # A class with no subclasses is a constant (an index lookup); a
        # FILTER over the type variable would scan every rdf:type triple.
        if "," not in members(c):
            return f"{var} a {members(c)} ."
        t = f"?_t{next(counter)}"
        return f"{var} a {t} . FILTER ({t} IN ({members(c)}))"

    def exists(var: str, c: URIRef) -> str:
        if "," not in members(c):
            return f"EXISTS {{ {var} a {members(c)} }}"
        t = f"?_t{next(counter)}"
        return f"EXISTS {{ {var} a {t} . FILTER ({t} IN ({members(c)})) }}"

    return _ClassTests(pattern, exists)


def _focus_pattern(shapes: Graph, shape, classes: _ClassTests) -> str:
    parts = [f"{{ {classes.pattern('?this', c)} }}" for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"{{ VALUES ?this {{ {_nt(n)} }} }}" for n in shapes.objects(shape, SH.targetNode)]
    return " UNION ".join(parts)


def _path(shapes: Graph, prop) -> tuple[str, str]:
    """(SPARQL path text, display name) of a property shape's sh:path."""
    path = shapes.value(prop, SH.path)
    if isinstance(path, URIRef):
        return _nt(path), curie(str(path))
    inverse = shapes.value(path, SH.inversePath) if path is not None else None
    if isinstance(inverse, URIRef):
        return f"^{_nt(inverse)}", "^" + curie(str(inverse))
    raise UnsupportedShape("a property shape has a path other than an IRI or sh:inversePath")


def _property_checks(shapes: Graph, name: str, focus: str, prop, classes: _ClassTests,
                     hashed: bool = False, partitioned: bool = False) -> list[Check]:
    path, shown = _path(shapes, prop)
    rule = f"{name}/{shown}"
    message = str(shapes.value(prop, SH.message) or f"fails {rule}")
    values = f"{focus} ?this {path} ?value ."
    checks = []

    def add(query: str) -> None:
        checks.append(Check(rule, message, query, shown))

    min_count = shapes.value(prop, SH.minCount)
    if min_count is not None and int(min_count) > 0:
        if int(min_count) == 1:
            add(f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?any }} }}")
        else:
            add(f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(min_count)})")
    max_count = shapes.value(prop, SH.maxCount)
    if max_count is not None:
        add(f"SELECT ?this WHERE {{ {values} }} GROUP BY ?this "
            f"HAVING (COUNT(DISTINCT ?value) > {int(max_count)})")
    if (prop, SH.uniqueLang, Literal(True)) in shapes:
        add(f"SELECT DISTINCT ?this WHERE {{ {values} ?this {path} ?other . "
            "FILTER (?value != ?other && LANG(?value) != \"\" && LANG(?value) = LANG(?other)) }")
    has_value = shapes.value(prop, SH.hasValue)
    if has_value is not None:
        add(f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} {_nt(has_value)} }} }}")
    condition = _conforms(shapes, prop, "?value", classes)
    if condition:
        add(f"SELECT ?this ?value WHERE {{ {values} FILTER (!({condition})) }}")
    parts = None
    if hashed:
        screen = _screen(shapes, focus, prop, path, classes)
    elif partitioned:
        screen = _screen_by_seek(shapes, focus, prop, path, condition)
        parts = _partitioned(shapes, focus, prop, path, condition, screen) if screen is not None else None
    else:
        screen = _screen_by_seek(shapes, focus, prop, path, condition) if len(checks) > 1 else None
    if screen is not None:
        checks = [Check(c.rule, c.message, c.query, c.path, screen, parts) for c in checks]
    return checks


def _partitioned(shapes: Graph, focus: str, prop, path: str, condition: str, seek: str) -> Partitioned | None:
    """The :class:`Partitioned` form of a property shape's screen; ``None``
    when a count of an inverse path could be split between partitions
    (its values are subjects of other triples: a split is not seen)."""
    min_count, max_count = shapes.value(prop, SH.minCount), shapes.value(prop, SH.maxCount)
    unique_lang = (prop, SH.uniqueLang, Literal(True)) in shapes
    if path.startswith("^") and (max_count is not None or unique_lang):
        return None
    nodes = f"{{ SELECT DISTINCT ?this WHERE {{ {focus} }} }}"
    branches = []
    if min_count is not None and int(min_count) == 1:
        branches.append(f"{{ {nodes} MINUS {{ SELECT DISTINCT ?this WHERE {{ ?this {path} ?_any }} }} }}")
    has_value = shapes.value(prop, SH.hasValue)
    if has_value is not None:
        branches.append(f"{{ {nodes} MINUS {{ SELECT DISTINCT ?this WHERE {{ ?this {path} {_nt(has_value)} }} }} }}")
    failing = []
    if max_count is not None:
        failing.append(f"SELECT ?this WHERE {{ ?this {path} ?_v }} GROUP BY ?this "
                       f"HAVING (COUNT(DISTINCT ?_v) > {int(max_count)})")
    if unique_lang:
        failing.append(f"SELECT ?this WHERE {{ ?this {path} ?_v FILTER (LANG(?_v) != \"\") }} "
                       "GROUP BY ?this (LANG(?_v) AS ?_lang) HAVING (COUNT(DISTINCT ?_v) > 1)")
    if failing:
        branches.append(f"{{ {nodes} {{ {' UNION '.join('{ ' + f + ' }' for f in failing)} }} }}")
    local = f"SELECT DISTINCT ?this WHERE {{ {' UNION '.join(branches)} }}" if branches else None
    values = None
    if condition:
        values = (f"SELECT ?value WHERE {{ {{ SELECT DISTINCT ?value WHERE {{ VALUES ?_g {{ {GRAPHS_SLOT} }} "
                  f"GRAPH ?_g {{ ?_s {path} ?value }} }} }} FILTER (!({condition})) }} LIMIT 1")
    where = seek.index("WHERE {") + len("WHERE {")
    return Partitioned(local, values, f"{seek[:where]} VALUES ?this {{ {NODES_SLOT} }} {seek[where:]}")


def _screen(shapes: Graph, focus: str, prop, path: str, classes: _ClassTests) -> str | None:
    """One query that returns a row when some focus node fails any of the
    property shape's constraints, so a valid graph (the common case) costs one
    query per property shape; when it finds something, the exact checks run
    and word the problems. ``None`` for a ``minCount`` above 1.

    Every part is written so that Oxigraph reads each pattern once, in index
    order, and joins the parts by hashing (a sub-select, ``MINUS``, a
    ``GROUP BY``), never by a seek per focus node: on disk a seek per node and
    property cost 45-110 s at 1M source triples (issue 23). The focus nodes,
    a sub-select, are joined once with the union of the parts that find
    failing nodes among all nodes with the property."""
    min_count, max_count = shapes.value(prop, SH.minCount), shapes.value(prop, SH.maxCount)
    if min_count is not None and int(min_count) > 1:
        return None
    nodes = f"{{ SELECT DISTINCT ?this WHERE {{ {focus} }} }}"
    missing = []  # focus nodes lacking something: nodes MINUS those that have it
    if min_count is not None and int(min_count) == 1:
        missing.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {path} ?_any }} }}")
    has_value = shapes.value(prop, SH.hasValue)
    if has_value is not None:
        missing.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {path} {_nt(has_value)} }} }}")
    failing = []  # nodes (focus or not) with a failing value or count
    if max_count is not None:
        failing.append(f"SELECT ?this WHERE {{ ?this {path} ?_v }} GROUP BY ?this "
                       f"HAVING (COUNT(DISTINCT ?_v) > {int(max_count)})")
    if (prop, SH.uniqueLang, Literal(True)) in shapes:
        failing.append(f"SELECT ?this WHERE {{ ?this {path} ?_v FILTER (LANG(?_v) != \"\") }} "
                       "GROUP BY ?this (LANG(?_v) AS ?_lang) HAVING (COUNT(DISTINCT ?_v) > 1)")
    rest = _conforms(shapes, prop, "?value", classes, top_classes=False)
    if rest:
        failing.append(f"SELECT DISTINCT ?this WHERE {{ ?this {path} ?value FILTER (!({rest})) }}")
    for c in shapes.objects(prop, SH["class"]):
        # A value that is not an instance: the property's values MINUS the class's instances.
        failing.append(f"SELECT DISTINCT ?this WHERE {{ {{ SELECT ?this ?value WHERE {{ ?this {path} ?value }} }} "
                       f"MINUS {classes.members('?value', c)} }}")
    branches = [f"{{ {nodes} MINUS {m} }}" for m in missing]
    if failing:
        branches.append(f"{{ {nodes} {{ {' UNION '.join('{ ' + f + ' }' for f in failing)} }} }}")
    if not branches:
        return None
    return f"SELECT ?this WHERE {{ {' UNION '.join(branches)} }} LIMIT 1"


def _screen_by_seek(shapes: Graph, focus: str, prop, path: str, condition: str) -> str | None:
    """The screen of :func:`_screen` in one pass over the focus nodes, a seek per
    node and property (``compile_shapes(hashed=False)``: memory that does not grow
    with the graph). ``None`` when the constraints are not all of the kinds
    screened here (minCount and maxCount of 0 or 1, uniqueLang, hasValue,
    value-level constraints)."""
    min_count, max_count = shapes.value(prop, SH.minCount), shapes.value(prop, SH.maxCount)
    if (min_count is not None and int(min_count) > 1) or (max_count is not None and int(max_count) > 1):
        return None
    needs_all = (min_count is not None and int(min_count) == 1) or shapes.value(prop, SH.hasValue) is not None
    # With a minimum, focus nodes without a value must be seen (OPTIONAL);
    # without one, starting from the property's values is cheaper.
    parts = [f"OPTIONAL {{ ?this {path} ?value }}" if needs_all else f"?this {path} ?value ."]
    failing = []
    if min_count is not None and int(min_count) == 1:
        failing.append("!BOUND(?value)")
    if max_count is not None:
        if int(max_count) == 0:
            failing.append("BOUND(?value)")
        else:
            parts.append(f"OPTIONAL {{ ?this {path} ?_other FILTER (?_other != ?value) }}")
            failing.append("BOUND(?_other)")
    if (prop, SH.uniqueLang, Literal(True)) in shapes:
        parts.append(f"OPTIONAL {{ ?this {path} ?_same FILTER (?_same != ?value && LANG(?value) != \"\" "
                     "&& LANG(?value) = LANG(?_same)) }")
        failing.append("BOUND(?_same)")
    has_value = shapes.value(prop, SH.hasValue)
    if has_value is not None:
        failing.append(f"NOT EXISTS {{ ?this {path} {_nt(has_value)} }}")
    if condition:
        failing.append(f"(BOUND(?value) && !({condition}))")
    return f"SELECT ?this WHERE {{ {focus} {' '.join(parts)} FILTER ({' || '.join(failing)}) }} LIMIT 1"


def _conforms(shapes: Graph, shape, var: str, classes: _ClassTests, top_classes: bool = True) -> str:
    """A SPARQL expression, true when ``var`` meets the value-level constraints
    of ``shape`` (class, datatype, nodeKind, lengths, pattern, in, or, node);
    ``top_classes=False``: all but the shape's own ``sh:class``."""
    conds: list[str] = []
    for c in shapes.objects(shape, SH["class"]) if top_classes else ():
        conds.append(classes.exists(var, c))
    for d in shapes.objects(shape, SH.datatype):
        conds.append(f"(isLiteral({var}) && DATATYPE({var}) = {_nt(d)})")
    for k in shapes.objects(shape, SH.nodeKind):
        conds.append({
            SH.IRI: f"isIRI({var})", SH.Literal: f"isLiteral({var})", SH.BlankNode: f"isBlank({var})",
            SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
            SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
            SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
        }[k])
    for n in shapes.objects(shape, SH.minLength):
        conds.append(f"(!isBlank({var}) && STRLEN(STR({var})) >= {int(n)})")
    for n in shapes.objects(shape, SH.maxLength):
        conds.append(f"(!isBlank({var}) && STRLEN(STR({var})) <= {int(n)})")
    for pattern in shapes.objects(shape, SH.pattern):
        flags = shapes.value(shape, SH.flags)
        args = f"STR({var}), {_nt(Literal(str(pattern)))}" + (f", {_nt(Literal(str(flags)))}" if flags else "")
        conds.append(f"(!isBlank({var}) && REGEX({args}))")
    for lst in shapes.objects(shape, SH["in"]):
        members = ", ".join(_nt(m) for m in Collection(shapes, lst))
        conds.append(f"({var} IN ({members}))")
    for lst in shapes.objects(shape, SH["or"]):
        alternatives = [_conforms(shapes, alt, var, classes) or "true" for alt in Collection(shapes, lst)]
        conds.append("(" + " || ".join(alternatives) + ")")
    for node in shapes.objects(shape, SH.node):
        conds.append(_node_conforms(shapes, node, var, classes))
    return " && ".join(conds)


def _node_conforms(shapes: Graph, node, var: str, classes: _ClassTests) -> str:
    """``sh:node`` as an expression: every property shape of the node shape is
    met by ``var`` (hasValue, minCount 1, and value-level constraints)."""
    _check_supported(shapes, node)
    conds = []
    own = _conforms(shapes, node, var, classes)
    if own:
        conds.append(own)
    for i, prop in enumerate(shapes.objects(node, SH.property)):
        _check_supported(shapes, prop)
        path, _ = _path(shapes, prop)
        has_value = shapes.value(prop, SH.hasValue)
        if has_value is not None:
            conds.append(f"EXISTS {{ {var} {path} {_nt(has_value)} }}")
        min_count = shapes.value(prop, SH.minCount)
        if min_count is not None and int(min_count) >= 1:
            conds.append(f"EXISTS {{ {var} {path} ?_n{i} }}")
        inner = _conforms(shapes, prop, f"?_v{i}", classes)
        if inner:
            conds.append(f"NOT EXISTS {{ {var} {path} ?_v{i} FILTER (!({inner})) }}")
        if shapes.value(prop, SH.maxCount) is not None or (prop, SH.uniqueLang, Literal(True)) in shapes:
            raise UnsupportedShape(f"{_shape_name(node)}: sh:maxCount/uniqueLang inside sh:node")
    return "(" + (" && ".join(conds) or "true") + ")"


def _sparql_check(shapes: Graph, name: str, focus: str, constraint, hashed: bool = False,
                  partitioned: bool = False) -> Check:
    select = shapes.value(constraint, SH.select)
    if select is None:
        raise UnsupportedShape(f"{name}: a sh:sparql constraint without sh:select")
    prefixes = []
    for decl_holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(decl_holder, SH.declare):
            prefixes.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
    inner = re.sub(r"\$this\b", "?this", str(select))
    if hashed:
        inner = _minus_for_not_exists(inner)
    # The focus nodes go inside the constraint's own WHERE (as pre-binding $this
    # would restrict it), not joined with its answers: a join hashed every focus
    # node (FactShape's constraint at 3M source triples: a 232 MiB peak against
    # 72 MiB, the same 10 s; at 30M it took the build past 2.5 GB).

    def wrapped(inner: str, nodes: str = "") -> str:
        where = re.search(r"\bWHERE\s*\{", inner, re.I)
        if where is None:
            return "\n".join(prefixes) + f"\nSELECT * WHERE {{ {nodes} {focus} {{ {inner} }} }}"
        return "\n".join(prefixes) + (f"\nSELECT * WHERE {{ {{ {inner[:where.end()]} {nodes} {{ {focus} }} "
                                      f"{inner[where.end():]} }} }}")

    query = wrapped(inner)
    message = str(shapes.value(constraint, SH.message) or f"fails a SPARQL constraint of {name}")
    local = _minus_for_not_exists(inner, subject_only=True) if partitioned and not hashed else inner
    test = _value_test(inner) if local == inner and partitioned and not hashed else None
    if test is not None:
        # Rows depend on the value alone: each partition's distinct values are tested against the
        # whole store (a seek per distinct value); no focus node is read (ClaimShape's cg:property:
        # 0.5 s against 1.3-2.1 s by seek at 1M). A constraint judged from several triples of
        # ?this (AttestationShape's) stays by seek: joined over a partition's graphs it took
        # 15-126 s against 4-8 s at 1M (docs/benchmarks.md).
        return Check(name, message, query, None, query,
                     Partitioned(None, "\n".join(prefixes) + "\n" + test,
                                 wrapped(inner, f"VALUES ?this {{ {NODES_SLOT} }}")))
    if local == inner:
        return Check(name, message, query)
    # Every pattern of the constraint is about ?this (and the NOT EXISTS only take answers
    # away): a focus node whose triples lie in one partition is judged there exactly. Over a
    # partition the focus nodes are joined by hashing (a hash of one partition's), not read
    # inside the constraint's WHERE: there each answer's ?this was sought in every graph of it.
    parts = Partitioned("\n".join(prefixes) + f"\nSELECT * WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} "
                        f"{{ {local} }} }}", None, wrapped(inner, f"VALUES ?this {{ {NODES_SLOT} }}"))
    return Check(name, message, query, None, query, parts)


#: A triple pattern's predicate: an IRI, a prefixed name or ``a`` (no path, no variable).
_PREDICATE = r"(?:<[^>\s]*>|[\w-]*:[\w-]*|a)"


def _value_test(select: str) -> str | None:
    """For a constraint ``SELECT ?this ?v WHERE { ?this p ?v . FILTER NOT EXISTS
    { ... } }`` whose ``NOT EXISTS`` does not name ``?this``: a query giving a
    row when some value of ``p`` stated in the graphs of :data:`GRAPHS_SLOT` (of
    any subject) fails the test against the whole store, the test as written.
    No row means no focus node can fail (ClaimShape's ``cg:property`` of the
    ontology); a row only sends the constraint to its exact query. ``None``
    for any other form.

    >>> _value_test("SELECT ?this ?p WHERE { ?this cg:property ?p . FILTER NOT EXISTS { ?p a ?k } }") is not None
    True
    >>> _value_test("SELECT ?this ?p WHERE { ?this cg:property ?p . FILTER NOT EXISTS { ?this a ?k } }") is None
    True
    """
    m = re.fullmatch(r"\s*SELECT\s+(?:DISTINCT\s+)?\?this(?:\s+\?\w+)*\s+WHERE\s*\{\s*\?this\s+(" + _PREDICATE +
                     r")\s+\?(\w+)\s*\.\s*FILTER\s+NOT\s+EXISTS\s*(\{.*\})\s*\}\s*", select, re.S | re.I)
    if m is None:
        return None
    predicate, var, test = m.groups()
    if predicate == "a" or re.search(r"[?$]this\b", test) or test.count("{") != test.count("}") or \
            re.search(r"\b(OPTIONAL|MINUS|NOT|SERVICE|BIND|VALUES|SELECT|GRAPH)\b", test[1:-1], re.I):
        return None  # a nested negation or a bound variable would not grow with the data as assumed
    return (f"SELECT ?{var} WHERE {{ {{ SELECT DISTINCT ?{var} WHERE {{ VALUES ?_g {{ {GRAPHS_SLOT} }} "
            f"GRAPH ?_g {{ ?_s {predicate} ?{var} }} }} }} FILTER NOT EXISTS {test} }} LIMIT 1")


_NOT_HAS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{\s*\?this\s+(<[^>\s]*>|[\w-]*:[\w-]*|a)\s+\?(\w+)\s*\}", re.I)


def _minus_for_not_exists(select: str, subject_only: bool = False) -> str:
    """``FILTER NOT EXISTS { ?this p ?v }`` as ``MINUS { ?this p ?v }``, when that
    gives the same answers: the rest of the WHERE clause is one basic graph
    pattern (plus filters) with ``?this`` as a subject, so ``?this`` is bound in
    every solution, and ``?v`` appears nowhere else. Oxigraph evaluates the
    NOT EXISTS with a seek per solution and hashes the MINUS once: on disk at 1M
    source triples, FactShape's constraint took 9.3-11.7 s against 2.1-2.2 s
    (issue 23). SHACL itself forbids MINUS in constraints (pre-binding), so the
    shapes file keeps the NOT EXISTS form for pySHACL; anything else is left as written.
    ``subject_only``: also left as written unless ``?this`` is the subject of every pattern."""
    m = re.fullmatch(r"\s*(SELECT\s+(?:DISTINCT\s+)?\?this\s+WHERE\s*)\{(.*)\}\s*", select, re.S | re.I)
    if m is None:
        return select
    head, body = m.groups()
    found = list(_NOT_HAS.finditer(body))
    rest = _NOT_HAS.sub(" ", body)
    if not found or re.search(r"[{}]|\b(OPTIONAL|UNION|GRAPH|SERVICE|BIND|VALUES|MINUS|EXISTS|SELECT)\b", rest, re.I) \
            or not re.match(r"\s*\?this\s", rest):
        return select
    if any(len(re.findall(rf"[?$]{f.group(2)}\b", select)) != 1 for f in found):
        return select
    # subject_only: ?this is the subject of every pattern (each "." is followed by ?this or the end).
    if subject_only and any(m != "?this" for m in re.findall(r"\.\s*(\S+)", re.sub(r"FILTER\s*\(.*?\)", " ", rest))):
        return select
    minus = " ".join(f"MINUS {{ ?this {f.group(1)} ?{f.group(2)} }}" for f in found)
    return f"{head}{{ {rest.strip()} {minus} }}"
