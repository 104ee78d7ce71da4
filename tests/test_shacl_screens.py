"""The screens of compiled SHACL (one hash-joined query per property shape,
issue 23) must flag exactly the property shapes whose exact checks find
something: a screen that misses a violation would let a bad graph build."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from collabgraph.store.local import Store
from collabgraph.store.shacl import compile_shapes

from .conftest import DATA, GRAPH, ONTOLOGY

PREFIXES = """@prefix ex: <https://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
# One property shape per kind of constraint the screens cover.
SHAPES = PREFIXES + """
ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property
  [ sh:path ex:min ; sh:minCount 1 ] , [ sh:path ex:max ; sh:maxCount 1 ] , [ sh:path ex:max2 ; sh:maxCount 2 ] ,
  [ sh:path ex:lang ; sh:uniqueLang true ] , [ sh:path ex:has ; sh:hasValue ex:v ] ,
  [ sh:path ex:cls ; sh:class ex:C ] , [ sh:path ex:dt ; sh:datatype xsd:integer ] ,
  [ sh:path ex:kind ; sh:nodeKind sh:IRI ] , [ sh:path ex:len ; sh:minLength 3 ; sh:maxLength 5 ] ,
  [ sh:path ex:pat ; sh:pattern "^a+$" ] , [ sh:path ex:in ; sh:in ( ex:x ex:y ) ] ,
  [ sh:path ex:or ; sh:or ( [ sh:datatype xsd:date ] [ sh:class ex:C ] ) ] ,
  [ sh:path ex:node ; sh:node ex:N ] , [ sh:path [ sh:inversePath ex:inv ] ; sh:minCount 1 ] ,
  [ sh:path ex:all ; sh:minCount 1 ; sh:maxCount 1 ; sh:class ex:C ; sh:nodeKind sh:IRI ] .
ex:N a sh:NodeShape ; sh:property [ sh:path ex:scheme ; sh:hasValue ex:roles ] .
"""
GOOD = PREFIXES + """
ex:Sub rdfs:subClassOf ex:T . ex:D rdfs:subClassOf ex:C .
ex:c1 a ex:D ; ex:scheme ex:roles . ex:c2 a ex:C .
ex:good a ex:Sub ; ex:min 1 ; ex:max 1 ; ex:max2 1, 2 ; ex:lang "a"@en, "b"@fr, "c", "d" ; ex:has ex:v, ex:w ;
  ex:cls ex:c1, ex:c2 ; ex:dt 5 ; ex:kind ex:k ; ex:len "abcd" ; ex:pat "aaa" ; ex:in ex:x ;
  ex:or "2024-01-01"^^xsd:date, ex:c2 ; ex:node ex:c1 ; ex:all ex:c1 .
ex:other ex:inv ex:good ; ex:max 1, 2 ; ex:cls "not checked: no focus node" .
"""
# ex:bad breaks every property shape once (ex:all twice).
BAD = PREFIXES + """
ex:bad a ex:T ; ex:max 1, 2 ; ex:max2 1, 2, 3 ; ex:lang "a"@en, "b"@en ; ex:has ex:w ; ex:cls "c1" ;
  ex:dt "five" ; ex:kind "k" ; ex:len "ab" ; ex:pat "aab" ; ex:in ex:z ; ex:or "text" ; ex:node ex:c2 ;
  ex:all ex:c2, ex:c1 .
"""


def _store(tmp_path, texts: dict[str, str]) -> Store:
    tmp_path.mkdir(parents=True)
    store = Store.open(tmp_path / "store", read_only=False)
    for i, (name, text) in enumerate(texts.items()):
        f = tmp_path / name
        f.write_text(text, encoding="utf-8")
        store.load_file(f, graph=f"https://example.org/graph/{i}")
    return store


def _flags(store: Store, shapes: Graph) -> dict[str, tuple[bool, bool]]:
    """rule -> (whether its screen returns a row, whether any of its checks does)."""
    def subclasses(c):
        rows = store.query("SELECT ?sub WHERE { ?sub rdfs:subClassOf* ?c }", {"c": c})
        return [r["sub"].value for r in rows if isinstance(r["sub"], ox.NamedNode)]

    out: dict[str, tuple[bool, bool]] = {}
    for check in compile_shapes(shapes, subclasses, hashed=True):
        assert check.screen is not None or check.path is None or "ex:max2" not in check.rule
        if check.screen is None:
            continue
        screened = any(True for _ in store.query(check.screen))
        found = any(True for _ in store.query(check.query))
        was = out.get(check.rule, (screened, False))
        out[check.rule] = (was[0], was[1] or found)
    return out


def test_every_kind_of_constraint_is_screened_and_flagged_exactly(tmp_path):
    shapes = Graph().parse(data=SHAPES, format="turtle")
    good = _flags(_store(tmp_path / "good", {"good.ttl": GOOD}), shapes)
    assert len(good) == 15
    assert good == {rule: (False, False) for rule in good}  # no false alarm on a valid graph
    bad = _flags(_store(tmp_path / "bad", {"good.ttl": GOOD, "bad.ttl": BAD}), shapes)
    assert bad == {rule: (True, True) for rule in good}  # each kind found by its screen


def test_the_project_shapes_screens_agree_with_their_checks(tmp_path):
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    texts = {f.name: f.read_text(encoding="utf-8") for f in sorted((DATA / "invalid").glob("*.ttl"))}
    texts["collab.ttl"] = (ONTOLOGY / "collab.ttl").read_text(encoding="utf-8")
    flags = _flags(_store(tmp_path / "invalid", texts), shapes)
    assert sum(found for _, found in flags.values()) >= 10
    assert all(screened == found for screened, found in flags.values()), flags
    texts = {f.name: f.read_text(encoding="utf-8") for f in sorted(GRAPH.glob("*.ttl"))}
    texts["collab.ttl"] = (ONTOLOGY / "collab.ttl").read_text(encoding="utf-8")
    flags = _flags(_store(tmp_path / "valid", texts), shapes)
    assert flags and not any(screened or found for screened, found in flags.values())


SPARQL_SHAPE = PREFIXES + """
ex:Q a sh:NodeShape ; sh:targetClass ex:T ; sh:sparql [ a sh:SPARQLConstraint ; sh:message "neither" ;
  sh:select "SELECT DISTINCT $this WHERE { $this a ?type . FILTER NOT EXISTS { $this <https://example.org/quote> ?q } FILTER NOT EXISTS { $this <https://example.org/locator> ?l } }" ] .
"""
FACTS = PREFIXES + """
ex:both a ex:T ; ex:quote "q" ; ex:locator "l" . ex:quoted a ex:T ; ex:quote "q" . ex:located a ex:T ; ex:locator "l" .
ex:neither a ex:T ; ex:other "x" . ex:outside a ex:U .
"""


def test_a_not_exists_constraint_run_as_minus_finds_the_same_nodes(tmp_path):
    store = _store(tmp_path / "facts", {"facts.ttl": FACTS})
    [check] = compile_shapes(Graph().parse(data=SPARQL_SHAPE, format="turtle"), hashed=True)
    assert "MINUS" in check.query and "NOT EXISTS" not in check.query
    written = SPARQL_SHAPE.split('sh:select "')[1].split('" ]')[0].replace("$this", "?this")
    as_written = {r["this"].value for r in store.query(f"SELECT ?this WHERE {{ ?this a <https://example.org/T> {{ {written} }} }}")}
    assert {r["this"].value for r in store.query(check.query)} == as_written == {"https://example.org/neither"}


# The same graph as GOOD, each node's triples dealt into other files than its type (and than the
# types of the nodes it points at): valid, but no file holds a whole node.
GOOD_SPLIT = {
    "classes.ttl": "ex:Sub rdfs:subClassOf ex:T . ex:D rdfs:subClassOf ex:C .",
    "targets.ttl": "ex:c1 a ex:D ; ex:scheme ex:roles . ex:c2 a ex:C .",
    "good-1.ttl": 'ex:good a ex:Sub ; ex:max 1 ; ex:max2 1 ; ex:lang "a"@en, "c" ; ex:cls ex:c1 ; ex:dt 5 .',
    "good-2.ttl": 'ex:good ex:min 1 ; ex:max2 2 ; ex:lang "b"@fr, "d" ; ex:has ex:v, ex:w ; ex:cls ex:c2 ; '
                  'ex:kind ex:k ; ex:len "abcd" ; ex:pat "aaa" ; ex:in ex:x .',
    "good-3.ttl": 'ex:good ex:or "2024-01-01"^^xsd:date, ex:c2 ; ex:node ex:c1 ; ex:all ex:c1 .',
    # (not GOOD's non-focus ex:cls value: values are screened whatever their subject, so it would
    # send its shape to the exact checks, which find nothing: right, but not what this measures)
    "other.ttl": 'ex:other ex:inv ex:good ; ex:max 1, 2 .',
}
# Failures that only the union of two files shows (each file alone is valid), and one file's own.
BAD_SPLIT = {
    "bad-1.ttl": 'ex:bad a ex:T ; ex:max 1 ; ex:max2 1 ; ex:lang "a"@en ; ex:all ex:c2 ; ex:cls ex:gone .',
    "bad-2.ttl": 'ex:bad ex:max 2 ; ex:max2 2, 3 ; ex:lang "b"@en ; ex:all ex:c1 .',
    "bad-3.ttl": 'ex:typed-here a ex:T . ex:lost ex:min 1 .',
    "bad-4.ttl": 'ex:inside a ex:T ; ex:min 1 ; ex:has ex:v ; ex:all ex:c1 ; ex:dt "five" ; ex:inv ex:x .',
}


def _validate(tmp_path, texts: dict[str, str], partitions: list[list[int]] | None):
    """shacl_problems over ``texts`` (a graph each), unpartitioned or in ``partitions`` (indexes of
    ``texts``), with every query the engine ran."""
    from collabgraph.store.validation import shacl_problems

    store = _store(tmp_path, {n: PREFIXES + t for n, t in texts.items()})
    graphs = [f"https://example.org/graph/{i}" for i in range(len(texts))]
    (tmp_path / "shapes.ttl").write_text(SHAPES, "utf-8")
    ran: list[str] = []
    query = store.query

    def recording(text, *args, **kwargs):
        ran.append(text)
        return query(text, *args, **kwargs)

    def subclasses(c):  # as the engine asks, so that the checks compile to the texts it runs
        rows = query("SELECT ?c ?sub WHERE { ?sub rdfs:subClassOf* ?c }", {"c": c},
                     graphs=[*graphs, "https://example.org/ontology"])
        return [r["sub"].value for r in rows if isinstance(r["sub"], ox.NamedNode)]

    exact = {c.query for c in compile_shapes(Graph().parse(data=SHAPES, format="turtle"), subclasses,
                                             partitioned=True) if c.screen is not None}  # (not ex:max2's)
    store.query = recording  # type: ignore[method-assign]
    found = shacl_problems(store, data_graphs=graphs, ontology_graph="https://example.org/ontology",
                           shapes_path=tmp_path / "shapes.ttl", file_of_graph={g: g for g in graphs},
                           literals=([], set()), workers=1,
                           partitions=None if partitions is None else [[graphs[i] for i in p] for p in partitions])
    return {(p.focus, p.rule) for p in found}, [q for q in ran if q in exact]


def test_partitioned_screens_do_not_report_references_across_partitions(tmp_path):
    """A valid graph whose nodes are dealt into other files than their types and than the nodes
    they point at, each file a partition: no problem, and no screen sends its shape to the
    exact checks (a reference across partitions is not taken for a violation)."""
    found, exact_run = _validate(tmp_path / "a", GOOD_SPLIT, [[i] for i in range(len(GOOD_SPLIT))])
    assert found == set() and exact_run == []
    # the same graph in one partition: the same; and the checks do run when a shape fails
    assert _validate(tmp_path / "b", GOOD_SPLIT, [list(range(len(GOOD_SPLIT)))]) == (set(), [])
    found, exact_run = _validate(tmp_path / "c", {**GOOD_SPLIT, "bad.ttl": "ex:bad a ex:T ; ex:cls ex:nothing ."},
                                 [[i] for i in range(len(GOOD_SPLIT) + 1)])
    assert found and exact_run


def test_partitioned_screens_find_failures_inside_and_across_partitions(tmp_path):
    """Every failure the whole-store engine finds is found partition by partition, whether one
    file holds it or only the union of two files shows it (maxCount, uniqueLang, a class whose
    instance is stated elsewhere, a minimum met in another file than the type)."""
    texts = {**GOOD_SPLIT, **BAD_SPLIT}
    whole, _ = _validate(tmp_path / "whole", texts, None)
    ex = "https://example.org/"
    assert {(ex + node, f"{ex}S/{'^' if path == 'inv' else ''}{ex}{path}") for node, path in (
        ("bad", "max"), ("bad", "max2"), ("bad", "lang"), ("bad", "all"), ("bad", "cls"), ("typed-here", "min"),
        ("inside", "dt"), ("inside", "inv"))} <= whole
    for n, partitions in enumerate(([[i] for i in range(len(texts))], [list(range(len(texts)))],
                                    [[0, 1, 6, 7], [2, 3, 4, 5, 8, 9]])):
        assert _validate(tmp_path / f"p{n}", texts, partitions)[0] == whole, partitions
