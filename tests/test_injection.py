"""Property-based tests: text that looks like SPARQL, IRIs, comments or odd
Unicode is always data, never query text, and a bad value is always a clean
error. Names, aliases and --bind values go through the API, the CLI and a
running `collabgraph serve`; file names through a build.

Example counts stay small (a few seconds a property) to keep CI fast; the
fragments below make sure the dangerous characters come up every time.
"""

from __future__ import annotations

import json
import shutil
import urllib.parse

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collabgraph import CollabGraph
from collabgraph.cli import cli, parse_binding
from collabgraph.core.errors import CollabGraphError, QueryError

from .conftest import ONTOLOGY

FRAGMENTS = ['"', "'", '"""', "{", "}", "<", ">", "#", "\n", "\r", "\\", "?s", "$o", ";", ".", "@en", "^^xsd:date",
             '" } } SELECT * WHERE { ?s ?p ?o } #', "'> . } DROP ALL ; #", "} UNION { ?s ?p ?o }",
             "<https://w3id.org/collabgraph/id/v>", "id:v", "INSERT DATA { <a:b> <a:c> <a:d> }", "%0A", "\\u0022",
             "\u202e", "\u200b", "\u0301", "\U0001f600", "\ufeff", "교포머리", "IU", "V", "\t", "\x00", "\x7f"]
ODD = st.characters(blacklist_categories=("Cs",))  # any code point but lone surrogates
HOSTILE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(ODD, max_size=4)), min_size=1, max_size=6).map("".join)
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ECHO = "SELECT ?v WHERE { }"


@PROPERTY
@given(value=HOSTILE)
def test_api_binding_is_data(kg, value):
    before = kg.store.count()
    rows = list(kg.sparql(ECHO, bindings={"v": value}))
    assert [str(r[0]) for r in rows] == [value]
    assert kg.store.count() == before


@PROPERTY
@given(name=HOSTILE)
def test_api_names_are_data(kg, name):
    before = kg.store.count()
    for ask in (kg.entity, kg.collaborators, lambda n: kg.path(n, "IU"), kg.search):
        try:
            ask(name)
        except CollabGraphError as exc:
            assert str(exc).strip() and "\n" not in str(exc).replace(repr(name), "")
    assert kg.store.count() == before


def test_api_refuses_what_cannot_be_a_term(kg):
    with pytest.raises(QueryError, match="not a valid RDF term"):
        kg.sparql(ECHO, bindings={"v": "lone \ud800 surrogate"})


def _clean(result) -> None:
    """A CLI run that either worked or failed in one line, never a traceback."""
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "unexpected" not in result.stderr
    if result.exit_code:
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith("error: ") for line in lines), lines


@PROPERTY
@given(value=HOSTILE)
def test_cli_bind_is_data(built, runner, value):
    result = runner.invoke(cli, ["sparql", "--build", str(built), "--format", "json", ECHO, "--bind", f"v={value}"])
    _clean(result)
    try:
        _, term = parse_binding(f"v={value}")
    except Exception:  # click.BadParameter: the CLI said so in one line
        assert result.exit_code == 2
        return
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)["results"]["bindings"]
    assert row["v"]["value"] == str(term)


@PROPERTY
@given(name=HOSTILE)
def test_cli_names_are_data(built, runner, name):
    for args in (["entity", name], ["collaborators", name], ["path", name, "IU"], ["search", name],
                 ["sparql", "--saved", "collaborators", "--bind", f"agent={name}"],
                 ["sparql", "--saved", "works-by-year", "--bind", f"year={name}"]):
        _clean(runner.invoke(cli, [args[0], "--build", str(built), *args[1:]]))


# -- file names --------------------------------------------------------------

FILE_NAME = st.lists(st.one_of(st.sampled_from([f.replace("/", "\\") for f in FRAGMENTS if f not in ("\x00", ".")]),
                               st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
                                       max_size=3)),
                     min_size=1, max_size=4).map("".join).filter(lambda s: len(s.encode()) < 200)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stem=FILE_NAME)
def test_file_names_are_data(sources, tmp_path_factory, runner, stem):
    folder = tmp_path_factory.mktemp("names")
    graph = folder / "graph"
    shutil.copytree(sources, graph, symlinks=True)
    (graph / "wikidata-identifiers.ttl").rename(graph / f"{stem}.ttl")
    out = folder / "build"
    result = runner.invoke(cli, ["build", "-q", "--graph", str(graph), "--ontology", str(ONTOLOGY), "--out", str(out)])
    _clean(result)
    assert result.exit_code == 0, result.output
    with CollabGraph.open(out) as kg:
        graphs = {r[0].value for r in kg.store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}
        assert any(g.startswith("https://w3id.org/collabgraph/graph/file/") and "wikidata" not in g for g in graphs)
        assert kg.entity("IU").label == "IU"


# -- the server ----------------------------------------------------------------

@pytest.fixture(scope="module")
def server(built):
    from .test_server import start

    proc, base = start(built, "--timeout", "5", "--workers", "1")
    yield base
    proc.terminate()
    proc.wait(10)


@PROPERTY
@given(value=HOSTILE)
def test_server_values_are_data_and_garbage_is_a_400(server, value):
    from .test_server import get, http

    # A saved query with its parameter bound as the query page binds it: a VALUES
    # row written by an RDF library, which escapes it.
    query = f"SELECT ?v WHERE {{ VALUES (?v) {{ ({ox.Literal(value)}) }} }}"
    status, _, body = get(server, query, "application/sparql-results+json")
    assert status == 200, body
    assert [b["v"]["value"] for b in json.loads(body)["results"]["bindings"]] == [value]
    # The value itself sent as a query or an update: refused cleanly, never a 500.
    status, _, body = get(server, value, "application/sparql-results+json")
    assert status in (200, 400), (status, body)
    status, _, _ = http(f"{server}/sparql", data=urllib.parse.urlencode({"update": value}).encode(), method="POST",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status in (400, 403)  # 400: an empty form value is no update at all


ALIAS = HOSTILE.map(lambda s: s.strip()).filter(lambda s: any(c.isalnum() for c in s) and "\x00" not in s)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(alias=ALIAS)
def test_hostile_aliases_in_the_data_are_found_as_names(sources, alias):
    from collabgraph.core.errors import AmbiguousEntity

    iu = ox.NamedNode("https://w3id.org/collabgraph/id/iu")
    alt = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
    (sources / "alias.nt").write_text(f"{iu} {alt} {ox.Literal(alias, language='en')} .\n", "utf-8")
    kg = CollabGraph.load(sources, ONTOLOGY)
    try:
        found = kg.entity(alias)
    except AmbiguousEntity as exc:  # the alias is also another entity's name ("V")
        assert any("id:iu" in c for c in exc.candidates), exc
    else:  # IU, unless the alias is another entity's label or identifier, which outrank an alias
        from collabgraph.core.names import search_key
        from collabgraph.core.namespaces import expand

        own = {search_key(n) for n in (found.label, *found.labels.values(), *found.aliases)}
        named = search_key(alias) in own or found.iri in (expand(alias), alias.strip("<>"))
        assert found.label == "IU" or named, (alias, found)
    assert any(e.label == "IU" for e in kg.search(alias, limit=50))
