"""Building into real SPARQL servers and reading from them: the same answers
as the local store. Every test here runs against both Oxigraph server (the
`oxigraph` package's `serve`) and OpenLink Virtuoso (Debian's
virtuoso-opensource-7-bin), each a private instance on free ports."""

from __future__ import annotations

import json
import urllib.parse
import warnings

import pytest
from rdflib import URIRef
from rdflib.compare import isomorphic

from collabgraph import CollabGraph
from collabgraph import build
from collabgraph.cli import cli
from collabgraph.views.saved import saved_queries

from .conftest import ONTOLOGY, free_port
from .servers import ServerError, start_oxigraph, start_virtuoso

ARGS = {"collaborators": {"agent": "V"}, "works-by-year": {"year": "2024"}, "credits-by-role": {"role": "actor"},
        "members-of-group": {"group": "BTS"}, "facts-with-sources": {"entity": "IU"},
        "co-appearances": {"a": "IU", "b": "V"}, "conflicting-claims": {}, "top-collaborations": {},
        "entities-by-type": {"type": "Work"}}
VIRTUOSO_MAX_ROWS = 20_000  # ResultSetMaxRows: far above the article's ~2,000 quads, so only the cap test meets it
STARTERS = {"oxigraph": start_oxigraph,
            "virtuoso": lambda directory: start_virtuoso(directory, max_rows=VIRTUOSO_MAX_ROWS)}


@pytest.fixture(scope="module", params=sorted(STARTERS))
def server(request, tmp_path_factory):
    """A private SPARQL server: ``server.query`` and ``server.update`` are its
    endpoints (Virtuoso's update URL carries its dba password)."""
    try:
        running = STARTERS[request.param](tmp_path_factory.mktemp(request.param))
    except ServerError as exc:
        pytest.fail(str(exc))
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def server_alive(request):
    """A server that died between tests (Virtuoso once did, on a busy CI
    machine, between two tests that had both passed) is started again on its
    own data and ports before the next test, with a warning giving its exit
    status and the end of its log, instead of failing every test after it with
    "connection refused". A death during a test still fails that test, and the
    warning after it says how the server died."""
    if "server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("server")
    died = server.revive()
    if died:
        warnings.warn(f"before {request.node.name}: {died}; started again on its own data", stacklevel=1)
    yield
    if server.proc.poll() is not None:
        warnings.warn(f"during {request.node.name}: {server.name} exited with status {server.proc.returncode}",
                      stacklevel=1)


@pytest.fixture(scope="module")
def remote_build(server, tmp_path_factory, article_graph):
    out = tmp_path_factory.mktemp("remote") / "build"
    build(article_graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update)
    return out


def as_rows(result):
    """Rows as sorted tuples of (variable, term in N-Triples syntax): datatypes and language tags count."""
    return sorted(tuple(sorted((str(k), v.n3()) for k, v in row.asdict().items())) for row in result)


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_queries_answer_the_same_remotely(name, remote_build, built):
    with CollabGraph.open(remote_build) as remote, CollabGraph.open(built) as local:
        assert not (remote_build / "store").exists()
        there, here = as_rows(remote.saved(name, **ARGS[name])), as_rows(local.saved(name, **ARGS[name]))
        assert there == here
        assert here or name == "conflicting-claims"  # a comparison of two empty answers would prove little


def test_top_collaborations_on_a_server_come_from_the_counts_uploaded_with_the_build(server, remote_build, built,
                                                                                     article_graph, monkeypatch):
    """A reader of the server by its URL alone (no build directory, so no
    cache/) gets the local answer from the pairs the upload sent, without
    counting over HTTP (11-14 s at 1M); an upload without them leaves none."""
    from collabgraph.store.remote import RemoteStore, upload
    from collabgraph.views import toppairs

    with CollabGraph.connect(server.query) as remote, CollabGraph.open(built) as local:
        expected = as_rows(local.saved("top-collaborations"))
        pairs = toppairs.stored_pairs(remote.store)
        assert pairs and pairs == toppairs.top_pairs(local.store)

        def no_counting(*args, **kwargs):
            raise AssertionError("counted over HTTP")

        monkeypatch.setattr(toppairs, "top_pairs", no_counting)
        assert as_rows(remote.saved("top-collaborations")) == expected
        monkeypatch.undo()
        try:  # an upload by other means drops them: the next reader counts (the same rows)
            upload(local.store, RemoteStore(server.query, server.update), unchanged=set(local.store.graphs()))
            assert toppairs.stored_pairs(remote.store) is None
            assert as_rows(remote.saved("top-collaborations")) == expected
        finally:
            build(article_graph, ONTOLOGY, remote_build, endpoint=server.query, update_endpoint=server.update)
        assert toppairs.stored_pairs(remote.store) == pairs


def test_credits_by_role_answers_the_same_remotely_for_every_role(remote_build, built):
    """Every role of the scheme, narrower roles included: Virtuoso 7.2 answered
    no rows for any role with credits when the query joined ``skos:broader*``,
    ``a cg:Credit`` and a ``LANG`` filter in one group (docs/decisions.md)."""
    with CollabGraph.open(remote_build) as remote, CollabGraph.open(built) as local:
        roles = sorted(str(r.c).rsplit("/", 1)[-1] for r in local.sparql("SELECT ?c WHERE { ?c skos:inScheme cg:roles }"))
        answered = 0
        for role in roles:
            here = as_rows(local.saved("credits-by-role", role=role))
            assert as_rows(remote.saved("credits-by-role", role=role)) == here, role
            answered += bool(here)
        assert answered >= 5  # actor, cameo, performer, host, appearance ... have credits in the article


def outcome(call, *args):
    """What an API call gives: its records as dicts, or its error's type and message."""
    try:
        value = call(*args)
    except Exception as exc:  # noqa: BLE001 - the error is the answer being compared
        return type(exc).__name__, str(exc)
    if isinstance(value, list):
        return [v.to_dict() if hasattr(v, "to_dict") else v for v in value]
    return value.to_dict() if hasattr(value, "to_dict") else value


def test_every_entity_reads_the_same_remotely(remote_build, built):
    """entity, search, credits, claims, collaborators and release_date of every
    entity, and the path from IU to every agent, against the local build."""
    with CollabGraph.open(remote_build) as remote, CollabGraph.open(built) as local:
        rows = local.sparql("SELECT DISTINCT ?e ?l WHERE { ?e a ?t ; rdfs:label ?l "
                            "FILTER (STRSTARTS(STR(?e), STR(id:))) }")
        labels: dict[str, list[str]] = {}
        for r in rows:
            labels.setdefault(str(r.e), []).append(str(r.l))
        agents = [iri for iri in sorted(labels)
                  if bool(local.store.query("ASK { ?e a/rdfs:subClassOf* cg:Agent }", {"e": URIRef(iri)}))]
        assert len(labels) > 20 and len(agents) > 5
        for iri in sorted(labels):
            for method in ("entity", "credits", "claims", "collaborators", "release_date"):
                assert outcome(getattr(remote, method), iri) == outcome(getattr(local, method), iri), (method, iri)
            for label in labels[iri]:
                assert outcome(remote.search, label) == outcome(local.search, label), label
        for iri in agents:
            assert outcome(remote.path, "IU", iri) == outcome(local.path, "IU", iri), iri
        assert sorted(remote.to_networkx().edges) == sorted(local.to_networkx().edges)


def test_every_saved_query_is_compared():
    assert set(ARGS) == set(saved_queries())


def test_path_and_lookups_are_the_same_remotely(remote_build, kg):
    with CollabGraph.open(remote_build) as remote:
        assert remote.entity("taehyung") == kg.entity("V")
        local = [(h.source.iri, h.target.iri, h.work.iri if h.work else None, h.quote)
                 for h in kg.path("IU", "Park Seo-joon")]
        there = [(h.source.iri, h.target.iri, h.work.iri if h.work else None, h.quote)
                 for h in remote.path("IU", "Park Seo-joon")]
        assert there == local
        assert remote.summary()["entities"] == kg.summary()["entities"]
        assert [c.to_dict() for c in remote.works("V")] == [c.to_dict() for c in kg.works("V")]


def test_cli_reads_from_an_endpoint(runner, server, remote_build):
    result = runner.invoke(cli, ["path", "IU", "Park Seo-joon", "--endpoint", server.query])
    assert result.exit_code == 0, result.stderr
    assert result.output.splitlines()[0] == "IU – V – Park Seo-joon"


def test_rebuilding_replaces_the_remote_graphs(server, remote_build, tmp_path, article_graph):
    with CollabGraph.connect(server.query) as remote:
        before = remote.store.count()
    build(article_graph, ONTOLOGY, tmp_path / "again", endpoint=server.query,
          update_endpoint=server.update)
    with CollabGraph.connect(server.query) as remote:
        assert remote.store.count() == before


def test_unreachable_endpoint_is_a_clear_error(runner):
    result = runner.invoke(cli, ["entity", "V", "--endpoint", f"http://127.0.0.1:{free_port()}/query"])
    assert result.exit_code == 1
    assert "cannot reach the SPARQL endpoint" in result.stderr and result.stderr.count("\n") == 1


def quads_of(path) -> set:
    import pyoxigraph as ox

    return set(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def skolemised(quads) -> set:
    """Local quads with their blank nodes named as upload() names them."""
    import pyoxigraph as ox

    from collabgraph.store.remote import SKOLEM

    def term(t):
        return ox.NamedNode(SKOLEM + t.value) if isinstance(t, ox.BlankNode) else t

    return {ox.Quad(term(q.subject), q.predicate, term(q.object), q.graph_name) for q in quads}


def test_the_export_is_the_local_builds_quad_for_quad(remote_build, built, tmp_path):
    """Every literal (dates as xsd:date, gYear and gMonthDay, language tags,
    Korean text) and every graph comes back as it was built; the server's own
    graphs (Virtuoso has several) are not part of the export."""
    with CollabGraph.open(remote_build) as remote, CollabGraph.open(built) as local:
        remote.export(tmp_path / "remote.nq", "nquads")
        local.export(tmp_path / "local.nq", "nquads")
        assert remote.store.graphs() == local.store.graphs()
        assert remote.store.count() == local.store.count()
        assert {g: remote.store.count(g) for g in remote.store.graphs()} == \
               {g: local.store.count(g) for g in local.store.graphs()}
        assert len(remote.rdflib_graph()) == len(local.rdflib_graph())
    remote_graphs, local_graphs = by_graph(quads_of(tmp_path / "remote.nq")), by_graph(quads_of(tmp_path / "local.nq"))
    assert remote_graphs.keys() == local_graphs.keys()
    for name in local_graphs:  # isomorphic: the same triples, blank nodes matched by structure
        assert isomorphic(remote_graphs[name], local_graphs[name]), name


def by_graph(quads) -> dict:
    """rdflib Graphs by graph name, with upload()'s skolem IRIs turned back into blank nodes."""
    import pyoxigraph as ox
    from rdflib import Graph

    from collabgraph.store.remote import SKOLEM

    def term(t):
        return ox.BlankNode(t.value[len(SKOLEM):]) if isinstance(t, ox.NamedNode) and t.value.startswith(SKOLEM) else t

    triples: dict = {}
    for q in quads:
        triples.setdefault(q.graph_name.value, []).append(ox.Triple(term(q.subject), q.predicate, term(q.object)))
    return {g: Graph().parse(data=ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES), format="nt")
            for g, ts in triples.items()}


TRICKY = """\
<https://e/a> <https://e/p> "2024"^^<http://www.w3.org/2001/XMLSchema#gYear> .
<https://e/a> <https://e/p> "2016-10"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .
<https://e/a> <https://e/p> "--05-16"^^<http://www.w3.org/2001/XMLSchema#gMonthDay> .
<https://e/a> <https://e/p> "2024-01-24"^^<http://www.w3.org/2001/XMLSchema#date> .
<https://e/a> <https://e/p> "2024-01-24T20:00:00+09:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<https://e/a> <https://e/p> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<https://e/a> <https://e/p> "false"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<https://e/a> <https://e/p> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .
<https://e/a> <https://e/p> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<https://e/a> <https://e/p> "아이유"@ko .
<https://e/a> <https://e/p> "Love wins all"@en-GB .
<https://e/a> <https://e/p> "이지은 (IU) — \\"Love wins all\\"\\nline two\\t\\\\ 🎤"@ko-Kore-KR .
<https://e/a> <https://e/p> "" .
<https://e/a> <https://e/p> "x"^^<https://e/customType> .
<https://e/a> <https://e/q> _:b1 .
_:b1 <https://e/p> "in a blank node" .
<https://e/%C3%A9t%C3%A9> <https://e/p> <https://e/%E2%80%94> .
"""


def test_literals_and_blank_nodes_round_trip(server, tmp_path, built):
    """Uploaded in chunks of 3 triples: blank nodes are skolemised, so a chunk
    cannot split one; every other term comes back as it was sent. A graph
    whose text holds "_:" in a literal but no blank node comes back as it was."""
    from collabgraph.store.remote import RemoteStore, upload
    from collabgraph.store.local import Store

    graph = "https://w3id.org/collabgraph/graph/file/tricky-test.ttl"
    text = "https://w3id.org/collabgraph/graph/file/tricky-text.ttl"
    local = Store.memory()
    local.load_data(TRICKY, "ntriples", graph=graph)
    local.load_data('<https://e/c> <https://e/p> "not a blank node: _:b1 <https://e/q> _:b2 ." .', "ntriples",
                    graph=text)
    remote = RemoteStore(server.query, server.update)
    try:
        assert upload(local, remote, chunk=3) == TRICKY.count("\n") + 1
        remote.dump(tmp_path / "remote.nq", "nquads", graph=None)
        local.dump(tmp_path / "local.nq", "nquads")
        there = {q for q in quads_of(tmp_path / "remote.nq") if q.graph_name.value in (graph, text)}
        assert there == skolemised(quads_of(tmp_path / "local.nq"))
        rows = remote.query('SELECT ?o WHERE { ?s ?p ?o FILTER (LANG(?o) = "ko") }')
        assert sorted(r["o"].value for r in rows) == ["아이유"]
    finally:
        restore(remote, built)


def restore(remote, built) -> None:
    """upload() replaced the build's graphs on the server: put them back."""
    from collabgraph.store.remote import upload
    from collabgraph.store.local import Store

    store = Store.open(built / "store", read_only=True)
    upload(store, remote)
    store.close()


def test_a_large_graph_goes_in_chunks_the_server_accepts(server, built):
    """Virtuoso refuses an INSERT DATA of 5,000 triples (its SPARQL parser runs
    out of stack): upload() halves its chunks until the server takes them."""
    from collabgraph.store.remote import RemoteStore, upload
    from collabgraph.store.local import Store

    graph = "https://w3id.org/collabgraph/graph/file/large-test.ttl"
    local = Store.memory()
    lines = [f'<https://e/s{i}> <https://e/p> "value {i}"@en .' for i in range(12_000)]
    local.load_data("\n".join(lines), "ntriples", graph=graph)
    remote = RemoteStore(server.query, server.update)
    try:
        assert upload(local, remote) == 12_000
        assert remote.count(graph) == 12_000
    finally:
        restore(remote, built)


def test_ask_answers_yes_and_no(server, remote_build):
    """Virtuoso answers ASK with a one-row table for yes and an empty one for no."""
    from collabgraph.store.remote import RemoteStore

    remote = RemoteStore(server.query)
    assert bool(remote.query("ASK { ?s ?p ?o }")) is True
    assert bool(remote.query("ASK { <https://nowhere.example/x> ?p ?o }")) is False


def only_virtuoso(server):
    if server.name != "virtuoso":
        pytest.skip("a Virtuoso behaviour (Oxigraph server has no accounts, time limit or row cap)")


def test_update_credentials_never_show_and_are_never_stored(server, runner, article_graph, tmp_path, monkeypatch):
    """Virtuoso takes updates at /sparql-auth with digest authentication: the
    user in the URL, the password there or in COLLABGRAPH_ENDPOINT_PASSWORD."""
    only_virtuoso(server)
    bare = server.update.replace(f"{server.user}:{server.password}@", "")
    with_user = server.update.replace(f":{server.password}@", "@")
    args = ["build", "--graph", str(article_graph), "--ontology", str(ONTOLOGY), "--endpoint", server.query]

    result = runner.invoke(cli, [*args, "--out", str(tmp_path / "none"), "--update-endpoint", bare])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "HTTP 401" in result.stderr and "COLLABGRAPH_ENDPOINT_PASSWORD" in result.stderr
    assert not (tmp_path / "none").exists()

    result = runner.invoke(cli, [*args, "--out", str(tmp_path / "wrong"), "--update-endpoint",
                                 with_user.replace("@", ":not-the-password@", 1)])
    assert result.exit_code == 1 and "HTTP 401" in result.stderr and "not-the-password" not in result.stderr

    monkeypatch.setenv("COLLABGRAPH_ENDPOINT_PASSWORD", server.password)
    result = runner.invoke(cli, [*args, "--out", str(tmp_path / "env"), "--update-endpoint", with_user])
    assert result.exit_code == 0, result.stderr
    monkeypatch.delenv("COLLABGRAPH_ENDPOINT_PASSWORD")
    result = runner.invoke(cli, [*args, "--out", str(tmp_path / "url"), "--update-endpoint", server.update])
    assert result.exit_code == 0, result.stderr
    for out in ("env", "url"):
        kept = (tmp_path / out).rglob("*")
        assert not [f for f in kept if f.is_file() and server.password.encode() in f.read_bytes()]
        assert (tmp_path / out / "manifest.json").read_text().count(bare) == 1
    assert server.password not in result.output + result.stderr


def test_an_answer_cut_by_the_servers_time_limit_is_an_error(server, runner):
    """Virtuoso returns what it has when a query runs past its time limit (here
    the endpoint's own ``timeout`` parameter, in ms), with status 200: refused.
    (Depending on when the limit strikes, it cancels the query instead: also an error.)"""
    only_virtuoso(server)
    from collabgraph.core.errors import QueryError
    from collabgraph.store.remote import RemoteStore

    remote = RemoteStore(server.query + "?timeout=50")
    with pytest.raises(QueryError, match="incomplete answer|killed by SQLCancel"):
        remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")


def test_an_answer_cut_at_the_servers_row_cap_is_an_error(server, runner):
    """Virtuoso stops every answer at ResultSetMaxRows without an error."""
    only_virtuoso(server)
    query = f"SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f }} LIMIT {VIRTUOSO_MAX_ROWS + 10}"
    result = runner.invoke(cli, ["sparql", query, "--endpoint", server.query])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert f"limit of {VIRTUOSO_MAX_ROWS} rows" in result.stderr
    under = runner.invoke(cli, ["sparql", f"SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f }} LIMIT {VIRTUOSO_MAX_ROWS - 1}",
                                "--endpoint", server.query, "--format", "json"])
    assert under.exit_code == 0 and len(json.loads(under.output)["results"]["bindings"]) == VIRTUOSO_MAX_ROWS - 1


def test_serve_in_front_of_a_server_does_not_show_its_password(server, remote_build):
    import subprocess
    import sys
    import urllib.parse
    import urllib.request
    from pathlib import Path

    from .conftest import wait_until_serving

    port = free_port()
    endpoint = server.query.replace("http://", "http://reader:s3cret-word@")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("collabgraph")), "serve", "--endpoint", endpoint,
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(proc, f"{base}/saved.json", "collabgraph serve")
        query = urllib.parse.urlencode({"query": "SELECT ?l WHERE { id:v rdfs:label ?l }"})
        with urllib.request.urlopen(f"{base}/sparql?{query}") as response:
            assert b'"V"' in response.read()
    finally:
        proc.terminate()
        proc.wait(10)
    said = proc.stderr.read().decode()
    assert said.startswith(f"serving {server.query} on ") and "s3cret-word" not in said


def test_search_on_an_endpoint_reads_the_name_index_of_its_build(runner, server, remote_build, built, monkeypatch):
    """``search --endpoint URL --build DIR``, DIR being the build that loaded
    the server: the build's name index answers (no query fetches every name
    from the server), with the local build's answers. A build of something
    else given as --build is not used."""
    from collabgraph.core.queries import query_text
    from collabgraph.store.remote import RemoteStore

    sent: list[str] = []
    original = RemoteStore.query

    def recording(self, query, *args, **kwargs):  # the real server answers; we only note what was asked
        sent.append(query)
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(RemoteStore, "query", recording)
    every_name = query_text("names")
    for text in ("park", "IU", "taehyung", "방탄", "nobody at all"):
        here = runner.invoke(cli, ["search", text, "--build", str(built), "--format", "json"])
        assert here.exit_code == 0, here.stderr
        sent.clear()
        there = runner.invoke(cli, ["search", text, "--endpoint", server.query, "--build", str(remote_build),
                                    "--format", "json"])
        assert there.exit_code == 0, there.stderr
        assert json.loads(there.stdout) == json.loads(here.stdout), text
        assert every_name not in sent, text
    assert json.loads(here.stdout) == [] and json.loads(runner.invoke(
        cli, ["search", "park", "--build", str(built), "--format", "json"]).stdout)

    # Another build's index is not borrowed: the server is asked for its names.
    sent.clear()
    other = runner.invoke(cli, ["search", "park", "--endpoint", server.query, "--build", str(built), "--format", "json"])
    assert other.exit_code == 0 and every_name in sent
    with CollabGraph.connect(server.query, build_dir=remote_build) as kg, CollabGraph.open(built) as local:
        sent.clear()
        assert kg.search("park") == local.search("park") and every_name not in sent
        assert kg.manifest["endpoint"] == server.query


EXTRA = """@prefix cg: <https://w3id.org/collabgraph/ns#> . @prefix id: <https://w3id.org/collabgraph/id/> .
@prefix fact: <https://w3id.org/collabgraph/fact/> . @prefix source: <https://w3id.org/collabgraph/source/> .
@prefix role: <https://w3id.org/collabgraph/role/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
source:{name} a cg:SourceDocument ; rdfs:label "{name} report"@en .
id:{name}-person a cg:Person ; rdfs:label "{label}"@en .
fact:{name}-att a cg:Attestation ; cg:attests id:{name}-person ; cg:name "{label}" ;
    cg:source source:{name} ; cg:quote "{label} was there" .
fact:{name}-credit a cg:Credit ; cg:agent id:{name}-person ; cg:work id:love-wins-all ; cg:role role:performer ;
    cg:source source:{name} ; cg:quote "{label} sang on it" .
[] a cg:Credit ; cg:agent id:{name}-person ; cg:work id:gyopo-hairstyle ; cg:role role:appearance ;
    cg:source source:{name} ; cg:quote "{label} was in it" .
"""


def test_a_rebuild_sends_only_what_changed_and_gives_a_fresh_builds_graph(server, built, article_graph, tmp_path,
                                                                         monkeypatch):
    """Build into the server, then change one file and remove another, and
    build again: only the changed file's graph, the removed file's, the
    inferred graph and the ontology's are replaced on the server, and it
    then holds what a fresh build gives, graph by graph."""
    import shutil

    from collabgraph.build.pipeline import SHAPES_GRAPH, graph_iri
    from collabgraph.core.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, TOP_PAIRS_GRAPH
    from collabgraph.store.remote import RemoteStore

    graph = tmp_path / "graph"
    shutil.copytree(article_graph, graph)
    (graph / "extra.ttl").write_text(EXTRA.format(name="extra", label="Extra Person"), "utf-8")
    (graph / "gone.ttl").write_text(EXTRA.format(name="gone", label="Gone Person"), "utf-8")
    # Unchanged, but with a blank node: sent again, as its skolem IRIs come from each load.
    (graph / "same.ttl").write_text(EXTRA.format(name="same", label="Same Person"), "utf-8")
    out = tmp_path / "build"
    remote = RemoteStore(server.query, server.update)
    bulk = bulk_options(server)  # Oxigraph server's /store, Virtuoso's bulk loader
    try:
        build(graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update, **bulk)
        changed, removed = graph_iri(graph, graph / "extra.ttl"), graph_iri(graph, graph / "gone.ttl")
        blanks = graph_iri(graph, graph / "same.ttl")
        (graph / "extra.ttl").write_text(EXTRA.format(name="extra", label="Extra Person, renamed"), "utf-8")
        (graph / "gone.ttl").unlink()
        updates: list[str] = []
        original = RemoteStore._send

        def recording(self, method, url, body, *args, **kwargs):  # the real server runs it; we only note what was sent
            # A SPARQL Update names a graph as <g>; a bulk request in its URL (?graph=g).
            updates.extend(f"<{g}>" for g in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("graph", []))
            if body and body.startswith(b"update="):
                updates.extend(urllib.parse.parse_qs(body.decode("utf-8"))["update"])
            return original(self, method, url, body, *args, **kwargs)

        from collabgraph.store import remote as remote_module

        isql = remote_module._isql

        scripts: list[str] = []

        def recording_sql(remote, bulk, sql, **kwargs):  # Virtuoso's bulk loader: the graphs it deletes and loads
            scripts.append(sql)
            updates.extend(sql_graphs(sql))
            return isql(remote, bulk, sql, **kwargs)

        monkeypatch.setattr(RemoteStore, "_send", recording)
        monkeypatch.setattr(remote_module, "_isql", recording_sql)
        build(graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update, **bulk)
        monkeypatch.undo()
        assert bool(scripts) == bool(bulk)  # Virtuoso: its bulk loader ran
        # Both: the bulk path, not SPARQL Update (but for the build's counts of top-collaborations, one literal,
        # and the inferred graph's changed triples when it is patched).
        assert not any("INSERT DATA" in u and f"<{TOP_PAIRS_GRAPH}>" not in u and f"<{INFERRED_GRAPH}>" not in u
                       for u in updates)
        assert any("INSERT DATA" in u and f"<{TOP_PAIRS_GRAPH}>" in u for u in updates)
        with CollabGraph.open(out) as kg:
            graphs = kg.store.graphs()
        replaced = {g for g in graphs + [removed] if any(f"<{g}>" in u for u in updates)}
        assert replaced == {changed, removed, blanks, str(INFERRED_GRAPH), str(ONTOLOGY_GRAPH), str(SHAPES_GRAPH)}
        assert len(graphs) > len(replaced)  # the article's graphs stayed in place

        # What a fresh build holds (the local store: the tests above show a fresh
        # upload holds the same), graph by graph, and what it answers.
        fresh = tmp_path / "fresh"
        build(graph, ONTOLOGY, fresh)
        assert removed not in same_graphs(out, fresh, tmp_path)
        with CollabGraph.open(out) as there, CollabGraph.open(fresh) as here:
            for name in ("collaborators", "members-of-group", "entities-by-type", "top-collaborations"):
                assert as_rows(there.saved(name, **ARGS[name])) == as_rows(here.saved(name, **ARGS[name])), name
            assert [e.label for e in there.search("person")] == [e.label for e in here.search("person")]
            assert there.entity("Extra Person, renamed").iri == here.entity("Extra Person, renamed").iri

        # An upload that failed half-way leaves its mark: the next build sends everything.
        (out / ".uploading").write_text(server.query, "utf-8")
        updates.clear()
        monkeypatch.setattr(RemoteStore, "_send", recording)
        monkeypatch.setattr(remote_module, "_isql", recording_sql)
        build(graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update, **bulk)
        monkeypatch.undo()
        assert {g for g in graphs if any(f"<{g}>" in u for u in updates)} == set(graphs)
        assert not (out / ".uploading").exists()
    finally:
        restore(remote, built)


def bulk_options(server) -> dict:
    """build()'s arguments for the server's bulk loader: none for Oxigraph server
    (its /store); for Virtuoso a directory in its DirsAllowed and its ISQL port."""
    if server.name != "virtuoso":
        return {}
    load = server.directory / "load"
    load.mkdir(exist_ok=True)
    port = next(int(line.rsplit(":", 1)[1]) for line in (server.directory / "virtuoso.ini").read_text().splitlines()
                if line.startswith("ServerPort"))  # the first one is [Parameters]' ISQL port
    return {"bulk_dir": load, "isql": f"127.0.0.1:{port}"}


def sql_graphs(sql: str) -> list[str]:
    """The graphs a bulk loader's ISQL script deletes or loads (as <g>, like a SPARQL Update names them)."""
    import re

    return [f"<{g}>" for g in re.findall(r"(?:iri_to_id\(|ld_add\('[^']*', )'([^']*)'", sql)]


def assert_holds_the_build(remote, built, tmp_path) -> None:
    """The server holds the graphs of ``built``, each isomorphic to the local one."""
    with CollabGraph.open(built) as here:
        here.export(tmp_path / "local.nq", "nquads")
    local, there = by_graph(quads_of(tmp_path / "local.nq")), remote_graphs(remote)
    assert local.keys() == there.keys()
    for g in local:
        assert isomorphic(there[g], local[g]), g


def same_graphs(remote_build, local_build, tmp_path) -> set[str]:
    """Assert that what a remote build's server holds is, graph by graph, what a
    local build of the same sources holds; return the graphs' names."""
    with CollabGraph.open(remote_build) as there, CollabGraph.open(local_build) as here:
        there.export(tmp_path / "remote.nq", "nquads")
        here.export(tmp_path / "local.nq", "nquads")
    remote, local = by_graph(quads_of(tmp_path / "remote.nq")), by_graph(quads_of(tmp_path / "local.nq"))
    assert remote.keys() == local.keys()
    for name in local:
        assert isomorphic(remote[name], local[name]), name
    return set(remote)


def remote_graphs(remote) -> dict:
    """What the server holds of collabgraph's graphs, as rdflib Graphs (skolem IRIs as blank nodes)."""
    import pyoxigraph as ox

    return by_graph(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g in remote.graphs()
                    for t in remote.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": ox.NamedNode(g)}))


def test_the_bulk_path_is_used_and_loads_what_sparql_update_loads(server, built, article_graph, tmp_path, monkeypatch):
    """`auto` recognises the server and sends each graph by its bulk loader
    (Oxigraph server: POST /store; Virtuoso given --bulk-dir: ld_add +
    rdf_loader_run over ISQL), no INSERT DATA at all; the server then holds,
    graph by graph, what the SPARQL Update path gives it."""
    from collabgraph.store import remote as remote_module
    from collabgraph.store.remote import RemoteStore, VirtuosoBulk, upload_method

    remote = RemoteStore(server.query, server.update)
    bulk = bulk_options(server)
    method, url = upload_method(remote, bulk=VirtuosoBulk(bulk["bulk_dir"], bulk["isql"]) if bulk else None)
    assert (method, url and url.rsplit("/", 1)[-1]) == {"oxigraph": ("oxigraph", "store"),
                                                        "virtuoso": ("virtuoso-bulk", None)}[server.name]
    try:
        build(article_graph, ONTOLOGY, tmp_path / "by-update", endpoint=server.query, update_endpoint=server.update,
              upload_method="sparql-update")
        by_update = remote_graphs(remote)
        sent: list[tuple[str, str, bytes]] = []
        scripts: list[str] = []
        original, isql = RemoteStore._send, remote_module._isql

        def recording(self, verb, where, body, *args, **kwargs):
            sent.append((verb, where, body or b""))
            return original(self, verb, where, body, *args, **kwargs)

        def recording_sql(remote, options, sql, **kwargs):
            scripts.append(sql)
            return isql(remote, options, sql, **kwargs)

        monkeypatch.setattr(RemoteStore, "_send", recording)
        monkeypatch.setattr(remote_module, "_isql", recording_sql)
        # Two loaders at once (--bulk-loaders), loading while the files are written: the same graphs.
        options = ["--bulk-dir", str(bulk["bulk_dir"]), "--isql", bulk["isql"], "--bulk-loaders", "2"] if bulk else []
        result = runner_invoke(["build", "--graph", str(article_graph), "--out", str(tmp_path / "by-bulk"), "--full",
                                "-q", "--endpoint", server.query, "--update-endpoint", server.update, *options])
        monkeypatch.undo()
        assert result.exit_code == 0, result.output
        if server.name == "oxigraph":
            posts = [verb for verb, where, _ in sent if "/store?graph=" in where]
            assert len(posts) >= len(by_update) - 1 and set(posts) == {"POST"}
        else:
            loaded = [g for sql in scripts for g in sql_graphs(sql) if "ld_add" in sql]
            assert len(set(loaded)) >= len(by_update) - 1 and sum("rdf_loader_run" in sql for sql in scripts) >= 2
            assert not list(bulk["bulk_dir"].iterdir())  # its files are removed once loaded
        from collabgraph.core.namespaces import TOP_PAIRS_GRAPH

        counts = urllib.parse.quote_plus(f"<{TOP_PAIRS_GRAPH}>").encode()  # the build's counts: one literal
        assert not any((b"INSERT+DATA" in body or b"INSERT%20DATA" in body) and counts not in body
                       for _, _, body in sent)
        by_bulk = remote_graphs(remote)
        assert by_bulk.keys() == by_update.keys()
        for g in by_update:
            assert isomorphic(by_bulk[g], by_update[g]), g
    finally:
        restore(remote, built)


def test_virtuoso_bulk_needs_a_directory_to_write_its_files_into(server, article_graph, tmp_path):
    """--upload virtuoso-bulk without --bulk-dir, or with one that is not
    there: a one-line error naming what is missing, and no build written."""
    only_virtuoso(server)
    bulk = bulk_options(server)
    base = ["build", "--graph", str(article_graph), "--out", str(tmp_path / "out"), "--full", "-q",
            "--endpoint", server.query, "--update-endpoint", server.update]
    result = runner_invoke([*base, "--upload", "virtuoso-bulk"])
    assert result.exit_code != 0 and "--bulk-dir" in result.output and len(result.output.strip().splitlines()) == 1
    missing = tmp_path / "no-such-dir"
    result = runner_invoke([*base, "--bulk-dir", str(missing), "--isql", bulk["isql"]])
    assert result.exit_code != 0 and str(missing) in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "out" / "manifest.json").exists()


def runner_invoke(args):
    from click.testing import CliRunner

    return CliRunner().invoke(cli, args)


KILLED = """
import os, sys
from collabgraph import build
from collabgraph.store.remote import RemoteStore

original = RemoteStore._send
seen = []

def dying(self, verb, url, body, *args, **kwargs):
    # The first source graph's bulk request: send half its body (chunked) and die, as kill -9 would.
    if "?graph=" in url and "file" in url and body and len(body) > 200:
        seen.append(url)
        def half():
            yield body[: len(body) // 2]
            os._exit(9)
        return original(self, verb, url, half(), *args, **kwargs)
    return original(self, verb, url, body, *args, **kwargs)

RemoteStore._send = dying
build(sys.argv[1], sys.argv[2], sys.argv[3], endpoint=sys.argv[4], update_endpoint=sys.argv[5])
"""


def test_a_killed_upload_leaves_no_graph_half_written(server, built, article_graph, tmp_path):
    """A build killed in the middle of sending a graph by the bulk path: the
    server refuses the cut body whole, so every graph is whole: as the
    previous upload left it, as the new build has it (sent before the kill), or,
    for the one graph in flight, absent (both servers empty it first); never
    part of the new one; the build directory still
    describes the previous upload, marked as failed, and the next build sends
    everything and gives a fresh build's graphs."""
    import shutil
    import subprocess
    import sys

    from collabgraph.store.remote import RemoteStore

    if server.name != "oxigraph":
        pytest.skip("Virtuoso's bulk loader runs in the server, not in a request the client can cut: what a kill "
                    "leaves there is covered by test_a_killed_virtuoso_bulk_upload_is_repaired_by_the_next_build")
    graph = tmp_path / "graph"
    shutil.copytree(article_graph, graph)
    out = tmp_path / "build"
    remote = RemoteStore(server.query, server.update)
    try:
        build(graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update)
        before = remote_graphs(remote)
        sources = sorted(graph.rglob("*.ttl"))
        assert sources
        for source in sources:  # every source graph changes: the killed build has them all to send
            source.write_text(source.read_text("utf-8") + "\n" + EXTRA.format(
                name=f"new-{source.stem}", label=f"New {source.stem}"), "utf-8")
        build(graph, ONTOLOGY, tmp_path / "fresh")  # what the killed build would have sent
        with CollabGraph.open(tmp_path / "fresh") as here:
            here.export(tmp_path / "fresh.nq", "nquads")
        new = by_graph(quads_of(tmp_path / "fresh.nq"))
        done = subprocess.run([sys.executable, "-c", KILLED, str(graph), str(ONTOLOGY), str(out), server.query,
                               server.update], capture_output=True, text=True, timeout=600)
        assert done.returncode == 9, done.stderr[-2000:]
        after = remote_graphs(remote)
        kept = [g for g in after if g in before and isomorphic(after[g], before[g])]
        for g in after:  # each graph whole: the previous upload's, or (sent before the kill) the new build's
            assert g in kept or (g in new and isomorphic(after[g], new[g])), g
        assert kept, "the kill came before anything was left to keep"
        missing = set(before) - set(after)
        assert len(missing) <= 1, missing  # at most the graph in flight, which both servers empty first
        assert (out / ".uploading").exists()
        with CollabGraph.open(out) as kg:
            assert kg.entity("IU").iri.startswith("https://w3id.org/collabgraph/id/")  # readers still get answers
        build(graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update)
        assert not (out / ".uploading").exists()
        with CollabGraph.open(out) as kg:
            assert kg.entity(f"New {sources[0].stem}").label == f"New {sources[0].stem}"
    finally:
        restore(remote, built)


def test_virtuoso_gets_its_bulk_loader_given_a_directory_else_sparql_update(server):
    """`auto` gives Virtuoso its bulk loader when told where it reads files,
    SPARQL Update otherwise; `graph-store` names its /sparql-graph-crud-auth beside /sparql-auth."""
    from collabgraph.store.remote import RemoteStore, VirtuosoBulk, upload_method

    only_virtuoso(server)
    remote = RemoteStore(server.query, server.update)
    assert upload_method(remote) == ("sparql-update", None)
    assert upload_method(remote, bulk=VirtuosoBulk(server.directory)) == ("virtuoso-bulk", None)
    method, url = upload_method(remote, "graph-store")
    assert method == "graph-store" and url.endswith("/sparql-graph-crud-auth")


KILLED_BULK = """
import os, sys
from pathlib import Path
from collabgraph import build
from collabgraph.store import remote

isql = remote._isql

def dying(store, bulk, sql, **options):
    # Killed after the old graphs were deleted and the files registered, before the loader ran.
    out = isql(store, bulk, sql, **options)
    if "ld_add" in sql:
        os._exit(9)
    return out

remote._isql = dying
build(sys.argv[1], sys.argv[2], sys.argv[3], endpoint=sys.argv[4], update_endpoint=sys.argv[5],
      bulk_dir=Path(sys.argv[6]), isql=sys.argv[7])
"""


def test_a_killed_virtuoso_bulk_upload_is_repaired_by_the_next_build(server, built, article_graph, tmp_path):
    """Virtuoso's bulk loader writes without a transaction: a build killed
    between deleting the changed graphs and loading them leaves those graphs
    missing on the server, the others as they were, and the `.uploading` mark;
    the next build sends every graph and the server then holds a fresh build's."""
    import shutil
    import subprocess
    import sys

    from collabgraph.store.remote import RemoteStore

    only_virtuoso(server)
    bulk = bulk_options(server)
    graph = tmp_path / "graph"
    shutil.copytree(article_graph, graph)
    out = tmp_path / "build"
    remote = RemoteStore(server.query, server.update)
    try:
        build(graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update, **bulk)
        before = remote_graphs(remote)
        source = sorted(graph.rglob("*.ttl"))[0]
        source.write_text(source.read_text("utf-8") + "\n" + EXTRA.format(name="late", label="Late Person"), "utf-8")
        done = subprocess.run([sys.executable, "-c", KILLED_BULK, str(graph), str(ONTOLOGY), str(out), server.query,
                               server.update, str(bulk["bulk_dir"]), bulk["isql"]],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 9, done.stderr[-2000:]
        after = remote_graphs(remote)
        assert set(after) < set(before)  # the changed graphs are gone, not half loaded
        for g in after:
            assert isomorphic(after[g], before[g]), g
        assert (out / ".uploading").exists()
        build(graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update, **bulk)
        assert not (out / ".uploading").exists()
        build(graph, ONTOLOGY, tmp_path / "fresh")
        with CollabGraph.open(tmp_path / "fresh") as here:
            here.export(tmp_path / "fresh.nq", "nquads")
        fresh, there = by_graph(quads_of(tmp_path / "fresh.nq")), remote_graphs(remote)
        assert fresh.keys() == there.keys()
        for g in fresh:
            assert isomorphic(there[g], fresh[g]), g
    finally:
        restore(remote, built)


def test_a_graph_over_the_bulk_part_goes_in_several_whole_parts(server, built, tmp_path, monkeypatch):
    """Oxigraph server's bulk path cuts the store's own N-Triples of a big graph
    at line ends, in parts of at most BULK_PART triples (each a request the
    server loads or refuses whole), and the server then holds every graph as
    the local build has it."""
    from collabgraph.store import remote as remote_module
    from collabgraph.store.local import Store
    from collabgraph.store.remote import RemoteStore, upload

    if server.name != "oxigraph":
        pytest.skip("Oxigraph server's /store bulk path (Virtuoso's bulk loader reads whole files)")
    monkeypatch.setattr(remote_module, "BULK_PART", 40)
    bodies: list[bytes] = []
    original = RemoteStore._send

    def recording(self, verb, where, body, *args, **kwargs):
        if "/store?graph=" in where:
            bodies.append(body)
        return original(self, verb, where, body, *args, **kwargs)

    monkeypatch.setattr(RemoteStore, "_send", recording)
    remote = RemoteStore(server.query, server.update)
    store = Store.open(built / "store", read_only=True)
    try:
        sent = upload(store, remote, method="oxigraph")
        monkeypatch.undo()
        assert sum(body.count(b"\n") for body in bodies) == sent == store.count()
        assert len(bodies) > len(store.graphs()) and all(0 < b.count(b"\n") <= 40 and b.endswith(b"\n") for b in bodies)
        assert_holds_the_build(remote, built, tmp_path)
    finally:
        store.close()
        restore(remote, built)


def test_listing_the_servers_graphs_stays_quick_on_a_bigger_graph(server, built, tmp_path):
    """Every upload lists the server's graphs first. Virtuoso 7.2 answered the
    DISTINCT form of that question by sorting every quad (6.8 s at 24k quads,
    135 s at 139k, holding one of its HTTP threads): the grouped form answers at once."""
    import time

    from collabgraph.importers.generate import generate
    from collabgraph.store.local import Store
    from collabgraph.store.remote import RemoteStore, VirtuosoBulk, upload

    only_virtuoso(server)
    generate(430, tmp_path / "graph", seed=1)  # about 24,000 quads built
    build(tmp_path / "graph", ONTOLOGY, tmp_path / "build")
    remote = RemoteStore(server.query, server.update, timeout=120)
    bulk = bulk_options(server)
    store = Store.open(tmp_path / "build" / "store", read_only=True)
    try:
        upload(store, remote, bulk=VirtuosoBulk(bulk["bulk_dir"], bulk["isql"]))
        started = time.perf_counter()
        graphs = remote.graphs()
        assert time.perf_counter() - started < 2
        assert graphs == store.graphs()
    finally:
        store.close()
        restore(remote, built)


def test_virtuoso_bulk_files_hold_at_most_the_bulk_part(server, built, tmp_path, monkeypatch):
    """Virtuoso's bulk loading guide asks for many files of bounded size: a
    graph of more than BULK_PART triples goes into several files, each of at
    most BULK_PART lines, registered for the same graph; the server then holds
    every graph as the local build has it."""
    import re
    from pathlib import Path

    from collabgraph.store import remote as remote_module
    from collabgraph.store.local import Store
    from collabgraph.store.remote import RemoteStore, VirtuosoBulk, upload

    only_virtuoso(server)
    bulk = bulk_options(server)
    monkeypatch.setattr(remote_module, "BULK_PART", 40)
    files: dict[str, tuple[str, int]] = {}  # each registered file: its graph and lines, read when it is registered
    isql = remote_module._isql

    def recording_sql(remote, options, sql, **kwargs):
        for path, graph in re.findall(r"ld_add\('([^']+)', '([^']+)'\);", sql):
            files[path] = (graph, Path(path).read_bytes().count(b"\n"))
        return isql(remote, options, sql, **kwargs)

    monkeypatch.setattr(remote_module, "_isql", recording_sql)
    remote = RemoteStore(server.query, server.update)
    store = Store.open(built / "store", read_only=True)
    try:
        sent = upload(store, remote, bulk=VirtuosoBulk(bulk["bulk_dir"], bulk["isql"]))
        monkeypatch.undo()
        assert sum(lines for _, lines in files.values()) == sent == store.count()
        assert all(0 < lines <= 40 for _, lines in files.values())
        per_graph = [graph for graph, _ in files.values()]
        assert len(files) > len(set(per_graph)) == len(store.graphs())  # some graph went in several files
        assert_holds_the_build(remote, built, tmp_path)
    finally:
        store.close()
        restore(remote, built)


def test_a_stalled_virtuoso_bulk_load_is_stopped_with_an_error(server, built, monkeypatch):
    """Virtuoso's loaders have been seen to stop for good, waiting on locks (10M,
    two loaders): an upload whose loaders finish no file for STALL_SECONDS stops
    them and says so in one line, instead of waiting for ever; its files are removed."""
    import time

    from collabgraph.core.errors import CollabGraphError
    from collabgraph.store import remote as remote_module
    from collabgraph.store.local import Store
    from collabgraph.store.remote import RemoteStore, VirtuosoBulk, upload

    only_virtuoso(server)
    bulk = bulk_options(server)
    monkeypatch.setattr(remote_module, "LOADER_SQL", "delay(60);")  # a loader session that loads nothing
    monkeypatch.setattr(remote_module, "STALL_SECONDS", 3.0)
    monkeypatch.setattr(remote_module, "_POLL_SECONDS", 0.5)
    remote = RemoteStore(server.query, server.update)
    store = Store.open(built / "store", read_only=True)
    started = time.monotonic()
    try:
        with pytest.raises(CollabGraphError, match=r"loaded no file for 3 s \(0 of \d+ files loaded"):
            upload(store, remote, bulk=VirtuosoBulk(bulk["bulk_dir"], bulk["isql"]))
        assert time.monotonic() - started < 40  # not the loader's 60 s
        assert not list(bulk["bulk_dir"].iterdir())
    finally:
        monkeypatch.undo()
        store.close()
        restore(remote, built)


def test_a_rebuild_patches_the_inferred_graph_instead_of_sending_it_whole(server, built, article_graph, tmp_path,
                                                                          monkeypatch):
    """The inferred graph is sent again on every rebuild, and at 10M it holds
    3.4M triples: a rebuild after a small change sends only the inferred
    triples that went or came (DELETE DATA, INSERT DATA), against the copy the
    last upload sent (kept in the build's cache), and the server then holds
    what a fresh build gives, graph by graph."""
    import shutil

    from collabgraph.build.pipeline import INFERRED_SENT
    from collabgraph.core.namespaces import INFERRED_GRAPH
    from collabgraph.store import remote as remote_module
    from collabgraph.store.remote import RemoteStore

    graph = tmp_path / "graph"
    shutil.copytree(article_graph, graph)
    extra = EXTRA.split("[] a cg:Credit")[0]  # no blank node: its inferred triples can be compared by value
    (graph / "extra.ttl").write_text(extra.format(name="extra", label="Extra Person"), "utf-8")
    out = tmp_path / "build"
    remote = RemoteStore(server.query, server.update)
    bulk = bulk_options(server)
    try:
        build(graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update, **bulk)
        assert (out / "cache" / INFERRED_SENT).is_file()
        (graph / "extra.ttl").unlink()  # its person's inferred triples go
        whole: list[str] = []
        patches: list[int] = []
        parts, patch = remote_module._graph_parts, remote_module._patch

        def sending(store, g):  # every graph sent whole, by any bulk path
            whole.append(g.value)
            return parts(store, g)

        def patching(*args, **kwargs):
            sent = patch(*args, **kwargs)
            patches.append(-1 if sent is None else sent)
            return sent

        monkeypatch.setattr(remote_module, "_graph_parts", sending)
        monkeypatch.setattr(remote_module, "_patch", patching)
        build(graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update, **bulk)
        monkeypatch.undo()
        assert str(INFERRED_GRAPH) not in whole
        assert len(patches) == 1 and 0 < patches[0] < 50  # a few triples, not the whole graph
        fresh = tmp_path / "fresh"
        build(graph, ONTOLOGY, fresh)
        same_graphs(out, fresh, tmp_path)

        # More changes than one request may carry: the graph is sent whole, as before.
        (graph / "extra.ttl").write_text(extra.format(name="extra", label="Extra Person"), "utf-8")
        whole.clear()
        monkeypatch.setattr(remote_module, "_graph_parts", sending)
        monkeypatch.setattr(remote_module, "PATCH_TRIPLES", patches[0] - 1)
        build(graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update, **bulk)
        monkeypatch.undo()
        assert str(INFERRED_GRAPH) in whole
        build(graph, ONTOLOGY, tmp_path / "fresh-again")
        same_graphs(out, tmp_path / "fresh-again", tmp_path)
    finally:
        restore(remote, built)


def test_a_remote_build_can_compile_on_disk_and_keeps_no_local_store(server, built, article_graph, tmp_path):
    """`build --endpoint --compile streaming` (and auto, past the memory it would need) compiles into a
    local on-disk store, sends it, and removes it: the server holds what an in-memory compile sends, and
    the build directory is a remote build's (no store, no snapshot)."""
    from collabgraph.core.layout import STORE_DIR
    from collabgraph.store.remote import RemoteStore
    from collabgraph.store.snapshot import SNAPSHOT

    remote = RemoteStore(server.query, server.update)
    out = tmp_path / "streamed"
    try:
        build(article_graph, ONTOLOGY, out, endpoint=server.query, update_endpoint=server.update, streaming=True,
              incremental=False, **bulk_options(server))
        manifest = json.loads((out / "current" / "manifest.json").read_text("utf-8"))
        assert manifest["compile"] == "streaming" and manifest["endpoint"] == server.query
        assert not (out / "current" / STORE_DIR).exists() and not (out / "current" / SNAPSHOT).exists()
        assert not [p for p in out.rglob("spool-*")]
        assert_holds_the_build(remote, built, tmp_path)
    finally:
        restore(remote, built)
