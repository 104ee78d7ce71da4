"""Every layer returns the engine's terms unchanged (issue 21, item 6): the
Python API (rdflib and pyoxigraph terms), the CLI's table, JSON, CSV and TSV,
and the server's JSON agree exactly with pyoxigraph run on the same query:
lexical form, datatype and language. CONSTRUCT/DESCRIBE come out in every
format the CLI offers. Real builds, the CLI through click, a real server."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from collabgraph import CollabGraph
from collabgraph.cli import cli
from collabgraph.core.output import width

from .serving import serving
from .test_server import get

XSD = "http://www.w3.org/2001/XMLSchema#"
#: Literals that rdflib's normalisation rewrites, and their neighbours. The
#: index ?i orders the rows and makes ?x a middle column of the table.
TRICKY = ['"INF"^^xsd:double', '"-INF"^^xsd:double', '"NaN"^^xsd:double', '"1050"^^xsd:double',
          '"1.0E3"^^xsd:double', '"1050"^^xsd:decimal', '"1050.50"^^xsd:decimal',
          '"2024-01-24T00:00:00Z"^^xsd:dateTime', '"2024-01-24T09:00:00+09:00"^^xsd:dateTime',
          '"2024-01-24T00:00:00"^^xsd:dateTime', '"PT0S"^^xsd:duration', '"P1Y2M"^^xsd:duration',
          '"x"@EN-us', '"교포머리"@ko', '"plain"', '"typed"^^xsd:string',
          '"123456789012345678901234567890"^^xsd:integer',
          '"0.1"^^xsd:float', '" a  b"^^xsd:token', '"2016"^^xsd:gYear', '"true"^^xsd:boolean']
TRICKY_QUERY = ("SELECT ?x ?i WHERE { VALUES (?x ?i) { "
                + " ".join(f"({lit} {n})" for n, lit in enumerate(TRICKY)) + " } } ORDER BY ?i")
TRIPLE = 'SELECT ?n ?t WHERE { BIND(<<( <https://e/s> <https://e/p> "INF"^^xsd:double )>> AS ?t) BIND(1 AS ?n) }'
CONSTRUCT = ('CONSTRUCT { <https://e/s> <https://e/p> ?x } WHERE { VALUES ?x { "INF"^^xsd:double '
             '"2024-01-24T00:00:00Z"^^xsd:dateTime "PT0S"^^xsd:duration "x"@en } }')
PREFIX = f"PREFIX xsd: <{XSD}>\n"


def engine(query: str):
    """pyoxigraph itself, on an empty store: the terms come from the query."""
    return ox.Store().query(PREFIX + query)


def engine_terms(query: str) -> list[list]:
    res = engine(query)
    names = [v.value for v in res.variables]
    return [[sol[n] for n in names] for sol in res]


def key(term) -> tuple:
    """What must survive exactly: lexical form, datatype (None for a language string), language."""
    if isinstance(term, ox.Literal):
        return (term.value, None if term.language else term.datatype.value, term.language)
    return (str(term),)


@pytest.fixture(scope="module")
def open_kg(built):
    return CollabGraph.open(built)


@pytest.fixture(scope="module")
def server(built):
    with serving(built, "--workers", "1") as base:
        yield base


def test_the_engine_keeps_the_forms_this_test_is_about():
    xs = [row[0] for row in engine_terms(TRICKY_QUERY)]
    assert [x.value for x in xs[:4]] == ["INF", "-INF", "NaN", "1050"]
    assert xs[7].value.endswith("Z") and xs[10].value == "PT0S" and xs[18].value == " a  b"


def test_the_rdflib_result_keeps_the_engines_lexical_forms(open_kg):
    """Old code: inf, -inf, nan, 1050.0, +00:00, P0D, 'a b' (rdflib's normalisation)."""
    want = [key(row[0]) for row in engine_terms(TRICKY_QUERY)]
    rows = list(open_kg.sparql(TRICKY_QUERY))
    got = [(str(r.x), None if r.x.language else str(r.x.datatype or XSD + "string"), r.x.language) for r in rows]
    assert got == want
    assert [str(r.x) for r in rows[:4]] == ["INF", "-INF", "NaN", "1050"]
    assert str(rows[7].x) == "2024-01-24T00:00:00Z" and str(rows[10].x) == "PT0S"
    assert rows[3].x.toPython() == 1050.0 and rows[16].x.toPython() == 123456789012345678901234567890
    # rdflib's own serialiser now writes what the engine wrote
    assert json.loads(open_kg.sparql(TRICKY_QUERY).serialize(format="json")) == json.loads(
        engine(TRICKY_QUERY).serialize(format=ox.QueryResultsFormat.JSON))


def test_the_engines_own_terms_come_back_unconverted(open_kg):
    res = open_kg.sparql(TRICKY_QUERY, terms="oxigraph")
    assert isinstance(res, ox.QuerySolutions)
    assert [[key(t) for t in row] for row in ([s[0], s[1]] for s in res)] == [
        [key(t) for t in row] for row in engine_terms(TRICKY_QUERY)]
    (row,) = list(open_kg.sparql(TRIPLE, terms="oxigraph"))
    assert row["t"] == engine_terms(TRIPLE)[0][1] and isinstance(row["t"], ox.Triple)
    with pytest.raises(ValueError, match="terms='oxigraph'"):
        open_kg.sparql(TRIPLE)  # rdflib has no triple terms: the error says where they can be had
    with pytest.raises(ValueError, match="use 'rdflib' or 'oxigraph'"):
        open_kg.sparql(TRIPLE, terms="pandas")


def _table_column(output: str, column: int) -> list[str]:
    """The cells of one column of the CLI's table, cut by the dashes under the
    header, in terminal columns (a Hangul syllable takes two)."""
    lines = output.splitlines()
    dashes = lines[1]
    starts = [0] + [i + 2 for i in range(len(dashes)) if dashes[i:i + 2] == "  " and dashes[i + 2:i + 3] == "-"]
    start = starts[column]
    end = dashes.index(" ", start) if " " in dashes[start:] else 10**6
    return [_cut(line, start, end).rstrip() for line in lines[2:-1]]


def _cut(line: str, start: int, end: int) -> str:
    out, col = [], 0
    for ch in line:
        if start <= col < end:
            out.append(ch)
        col += width(ch)
    return "".join(out)


def test_the_table_json_csv_and_tsv_agree_with_the_engine(built, runner):
    """Old code: the table showed inf, 1050.0, +00:00, P0D (rdflib), JSON showed INF, 1050, Z, PT0S."""
    want = engine(TRICKY_QUERY)
    terms = [row[0] for row in engine_terms(TRICKY_QUERY)]
    result = runner.invoke(cli, ["sparql", "--build", str(built), TRICKY_QUERY])
    assert result.exit_code == 0, result.output
    assert _table_column(result.output, 0) == [t.value for t in terms]
    assert result.output.splitlines()[-1] == f"({len(TRICKY)} rows)"
    result = runner.invoke(cli, ["sparql", "--build", str(built), "--format", "json", TRICKY_QUERY])
    assert result.exit_code == 0 and json.loads(result.stdout_bytes) == json.loads(
        want.serialize(format=ox.QueryResultsFormat.JSON))
    for fmt, ox_fmt in [("csv", ox.QueryResultsFormat.CSV), ("tsv", ox.QueryResultsFormat.TSV)]:
        result = runner.invoke(cli, ["sparql", "--build", str(built), "--format", fmt, TRICKY_QUERY])
        assert result.exit_code == 0 and result.stdout_bytes == engine(TRICKY_QUERY).serialize(format=ox_fmt), fmt


def test_the_servers_json_agrees_with_the_engine_and_the_api(server, built):
    status, _, body = get(server, PREFIX + TRICKY_QUERY, "application/sparql-results+json")
    assert status == 200, body
    want = json.loads(engine(TRICKY_QUERY).serialize(format=ox.QueryResultsFormat.JSON))
    assert json.loads(body) == want
    assert json.loads(CollabGraph.open(built).sparql_serialize(TRICKY_QUERY, "json")) == want
    status, _, body = get(server, PREFIX + TRIPLE, "application/sparql-results+json")
    assert status == 200 and json.loads(body) == json.loads(engine(TRIPLE).serialize(format=ox.QueryResultsFormat.JSON))


def test_a_literal_with_a_base_direction_is_served_not_a_500(server, runner, built):
    """Old code: the server's JSON writer met pyoxigraph's direction object and failed with a 500."""
    query = 'SELECT ?x WHERE { BIND("مرحبا"@ar--rtl AS ?x) }'
    status, _, body = get(server, query, "application/sparql-results+json")
    assert status == 200, body
    assert json.loads(body) == json.loads(engine(query).serialize(format=ox.QueryResultsFormat.JSON))
    assert json.loads(body)["results"]["bindings"][0]["x"]["its:dir"] == "rtl"
    result = runner.invoke(cli, ["sparql", "--build", str(built), query])
    assert result.exit_code == 0 and _table_column(result.output, 0) == ["مرحبا"]


def test_triple_terms_in_the_table(built, runner):
    """Old code: the table refused a triple term (rdflib has none)."""
    result = runner.invoke(cli, ["sparql", "--build", str(built), TRIPLE])
    assert result.exit_code == 0, result.output
    assert _table_column(result.output, 1) == [f"<<( {engine_terms(TRIPLE)[0][1]} )>>"]
    assert '"INF"^^<http://www.w3.org/2001/XMLSchema#double>' in result.output


def test_construct_in_every_format_the_cli_offers(built, runner):
    """Old code: --format json failed with 'unexpected SyntaxError ... please report it', csv/tsv/xml
    were refused, and the table was Turtle."""
    triples = list(engine(CONSTRUCT))

    def run(fmt: str):
        result = runner.invoke(cli, ["sparql", "--build", str(built), "--format", fmt, CONSTRUCT])
        assert result.exit_code == 0, (fmt, result.output)
        return result.stdout_bytes

    doc = json.loads(run("json"))  # JSON-LD, expanded: the engine's lexical forms
    values = sorted((o.get("@value"), o.get("@type"), o.get("@language")) for node in doc for o in node["https://e/p"])
    assert values == sorted((t.object.value, None if t.object.language else t.object.datatype.value,
                             t.object.language) for t in triples)
    assert json.loads(run("jsonld")) == doc
    table = run("table").decode()
    assert table.splitlines()[0].split() == ["subject", "predicate", "object"]
    assert sorted(_table_column(table, 2)) == sorted(t.object.value for t in triples)
    assert table.splitlines()[-1] == "(4 triples)"
    rows = list(csv.reader(io.StringIO(run("csv").decode())))
    assert rows[0] == ["subject", "predicate", "object"] and sorted(r[2] for r in rows[1:]) == sorted(
        t.object.value for t in triples)
    tsv = run("tsv").decode().splitlines()
    assert tsv[0] == "?subject\t?predicate\t?object" and len(tsv) == 5
    assert '<https://e/s>\t<https://e/p>\t"INF"^^<http://www.w3.org/2001/XMLSchema#double>' in tsv[1:]
    rdfxml = ET.fromstring(run("xml"))
    assert "INF" in [e.text for e in rdfxml.iter("{https://e/}p")]
    assert {q.triple for q in ox.parse(run("ntriples"), format=ox.RdfFormat.N_TRIPLES)} == set(triples)
    assert {q.triple for q in ox.parse(run("turtle"), format=ox.RdfFormat.TURTLE)} == set(triples)


def test_describe_as_json_ld(built, runner):
    result = runner.invoke(cli, ["sparql", "--build", str(built), "--format", "json", "DESCRIBE id:v"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout_bytes)
    assert any(node["@id"] == "https://w3id.org/collabgraph/id/v" for node in doc)


def test_triple_terms_in_json_ld_are_one_clear_line(built, runner):
    query = 'CONSTRUCT { <https://e/a> <https://e/b> <<( <https://e/s> <https://e/p> "o" )>> } WHERE {}'
    result = runner.invoke(cli, ["sparql", "--build", str(built), "--format", "json", query])
    assert result.exit_code == 1 and "unexpected" not in result.output
    (line,) = [x for x in result.output.splitlines() if x.strip()]
    assert "JSON-LD" in line and "triple terms" in line
    result = runner.invoke(cli, ["sparql", "--build", str(built), "--format", "ntriples", query])
    assert result.exit_code == 0 and "<<( <https://e/s> <https://e/p> \"o\" )>>" in result.output
