"""Run the W3C SPARQL 1.1 test manifests through collabgraph and raw pyoxigraph.

    python bench/conformance.py PATH-TO-rdf-tests [--server]

PATH-TO-rdf-tests is a checkout of https://github.com/w3c/rdf-tests (not
vendored here). For each manifest of sparql/sparql11 it prints pass/fail
counts per layer:

- ``raw``: pyoxigraph in its standard setting (a fresh ``Store``, data in the
  default graph, the test's base IRI);
- ``api``: collabgraph's :class:`~collabgraph.store.local.Store` (the project's
  predeclared prefixes; test data in named graphs, so the default graph is
  their union, as in a build);
- ``server`` (with ``--server``): ``collabgraph serve`` on 127.0.0.1, for the
  syntax manifests (an empty build; the engine's 400 means "refused").

Syntax tests pass when a positive test parses and a negative one is refused.
Update evaluation tests (UpdateEvaluationTest) run the request on the test's
dataset and compare every graph afterwards (isomorphism, graph by graph; empty
graphs count as absent): ``raw`` with the expected dataset; ``api`` (through
``Store.update_dataset``, the test's default data in a named graph of its own)
with the expected dataset read the project's way, the default graph being the
union of the graphs (docs/sparql.md); ``server`` likewise (data PUT through
the Graph Store Protocol, graphs read back with SELECTs). Requests with LOAD
are not run in ``raw`` (no network here); collabgraph refuses them by policy.
Evaluation tests (QueryEvaluationTest) pass for ``api`` when its answer equals
raw pyoxigraph's on the same files (rows compared as multisets, blank nodes
by position); raw pyoxigraph's own answer is compared with the expected
results where they are SPARQL JSON/XML/TSV/CSV.
"""

from __future__ import annotations

import argparse
import re
import sys
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
MANIFESTS = ["syntax-query", "syntax-update-1", "syntax-update-2", "syntax-fed", "aggregates", "bind", "bindings", "cast",
             "construct", "exists", "functions", "grouping", "json-res", "negation", "project-expression",
             "property-path", "subquery", "csv-tsv-res"]
#: The manifests of UpdateEvaluationTests (SPARQL 1.1 Update); ``--only`` runs them too.
UPDATE_MANIFESTS = ["add", "basic-update", "clear", "copy", "delete-data", "delete-insert", "delete-where", "delete",
                    "drop", "move", "update-silent"]


def entries(manifest: Path) -> list[dict]:
    """The tests of a manifest: name, type, action (file or query/data), result."""
    g = ox.Store()
    base = manifest.as_uri()
    g.load(path=str(manifest), format=ox.RdfFormat.TURTLE, base_iri=base)
    out = []
    q = f"""PREFIX mf: <{MF}> PREFIX qt: <{QT}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    SELECT ?t ?type ?action ?query ?data ?result (GROUP_CONCAT(STR(?gd); separator=" ") AS ?graphs) WHERE {{
      ?m mf:entries/rdf:rest*/rdf:first ?t . ?t a ?type ; mf:action ?action .
      OPTIONAL {{ ?action qt:query ?query }} OPTIONAL {{ ?action qt:data ?data }}
      OPTIONAL {{ ?action qt:graphData ?gd }} OPTIONAL {{ ?t mf:result ?result }}
    }} GROUP BY ?t ?type ?action ?query ?data ?result"""
    for r in g.query(q):
        out.append({"name": r["t"].value.rsplit("#", 1)[-1], "type": r["type"].value.rsplit("#", 1)[-1],
                    "action": r["action"].value if isinstance(r["action"], ox.NamedNode) else None,
                    "query": r["query"].value if r["query"] else None, "data": r["data"].value if r["data"] else None,
                    "graphs": [x for x in r["graphs"].value.split() if x] if r["graphs"] else [],
                    "result": r["result"].value if r["result"] else None})
    return out


def _path(uri: str) -> Path:
    return Path(urllib.parse.unquote(urllib.parse.urlparse(uri).path))


def _syntax_ok(run, text: str, base: str) -> bool:
    try:
        run(text, base)
        return True
    except Exception:
        return False


def syntax_layers(server: str | None):
    from collabgraph.core.sparqlguard import OutgoingRefused
    from collabgraph.store.local import Store

    def raw(text, base, update):
        s = ox.Store()
        s.update(text, base_iri=base) if update else s.query(text, base_iri=base)

    def api(text, base, update):
        s = Store.memory()
        try:
            s.update_dataset(text, base_iri=base) if update else s.query(text, base_iri=base)
        except OutgoingRefused as exc:  # SERVICE/LOAD refused by policy, as the server layer counts it
            raise PermissionError(str(exc)) from None

    layers = {"raw": raw, "api": api}
    if server:
        def http(text, base, update):
            # Updates run on the scratch build the runner serves (evaluation tests DROP ALL first).
            status, body = _http(server, "update" if update else "query", text, "application/sparql-results+json")
            if status == 400 and (b"line" in body or b"syntax error" in body):  # the engine refused to parse it
                raise SyntaxError(body.decode("utf-8", "replace"))
            if status == 403 and (b"SERVICE" in body or b"LOAD" in body):
                raise PermissionError("refused by policy")
            if status == 403 and b"allow" in body.lower():
                raise PermissionError(body.decode("utf-8", "replace"))
        layers["server"] = http
    return layers


def _http(server: str, kind: str, text: str, accept: str) -> tuple[int, bytes]:
    data = urllib.parse.urlencode({kind: text}).encode()
    req = urllib.request.Request(f"{server}/sparql", data=data, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _put(server: str, graph: str, path: Path) -> None:
    fmt = ox.RdfFormat.from_extension(path.suffix[1:]) or ox.RdfFormat.TURTLE
    data = ox.serialize(ox.parse(path=str(path), format=fmt, base_iri=path.as_uri()), format=ox.RdfFormat.N_TRIPLES)
    req = urllib.request.Request(f"{server}/store?" + urllib.parse.urlencode({"graph": graph}), data=data,
                                 method="PUT", headers={"Content-Type": "application/n-triples"})
    try:
        urllib.request.urlopen(req, timeout=60).read()
    except urllib.error.HTTPError as e:  # a server without the Graph Store Protocol (an older collabgraph)
        if e.code not in (404, 405):
            raise
        _http(server, "update", f"INSERT DATA {{ GRAPH <{graph}> {{ {data.decode()} }} }}", "*/*")


def server_rows(server: str, test: dict, text: str):
    """The server's answer to an evaluation test (its data PUT into named graphs first)."""
    _http(server, "update", "DROP ALL", "*/*")
    if test["data"]:
        _put(server, "urn:x-conformance:data", _path(test["data"]))
    for g in test["graphs"]:
        _put(server, g, _path(g))
    # The protocol has no base parameter: the test's base is stated in the text (a BASE of the query's own
    # resolves against it, as in the file).
    status, body = _http(server, "query", f"BASE <{test['query']}>\n{text}",
                         "application/sparql-results+json, application/n-triples;q=0.9")
    if status != 200:
        return "error"
    if body.lstrip().startswith(b"{"):
        return _rows(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
    return _rows(t.triple for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


_NUMERIC = {"integer", "decimal", "float", "double", "int", "long", "short", "byte", "nonNegativeInteger",
            "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong"}


def _rows(result) -> Counter:
    """A query result as a comparable multiset (blank nodes renamed in order of appearance)."""
    names: dict[str, str] = {}

    def term(t):
        if t is None:
            return None
        if isinstance(t, ox.BlankNode):
            return names.setdefault(t.value, f"_:b{len(names)}")
        if isinstance(t, ox.Triple):
            return (term(t.subject), term(t.predicate), term(t.object))
        if isinstance(t, ox.Literal) and t.datatype.value.rsplit("#", 1)[-1] in _NUMERIC:
            try:  # the expected results write values in other lexical forms ("1.0" for 1)
                return (t.datatype.value, float(t.value))
            except ValueError:
                pass
        if isinstance(t, ox.Literal) and t.datatype.value.endswith("#boolean"):
            return (t.datatype.value, t.value in ("true", "1"))
        return str(t)

    if isinstance(result, ox.QueryBoolean):
        return Counter([bool(result)])
    if not isinstance(result, ox.QuerySolutions):  # a graph: compared as a set, blank nodes canonicalised
        graph = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in result)
        graph.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        return Counter(set(str(q) for q in graph))
    if isinstance(result, ox.QuerySolutions):
        variables = list(result.variables)
        return Counter(frozenset((v.value, term(row[v])) for v in variables if row[v] is not None) for row in result)
    return Counter(term(t) for t in result)


def evaluation(test: dict, server: str | None = None) -> dict[str, bool]:
    """``raw`` against the expected results, ``api`` against ``raw``."""
    from collabgraph.store.local import Store

    query_path = _path(test["query"])
    text = query_path.read_text("utf-8")
    base = test["query"]
    raw_store = ox.Store()
    api_store = Store.memory()
    if test["data"]:
        fmt = ox.RdfFormat.from_extension(test["data"].rsplit(".", 1)[-1]) or ox.RdfFormat.TURTLE
        raw_store.load(path=str(_path(test["data"])), format=fmt, base_iri=test["data"])
        api_store._store.load(path=str(_path(test["data"])), format=fmt, base_iri=test["data"],
                              to_graph=ox.NamedNode("urn:x-conformance:data"))
    for g in test["graphs"]:
        fmt = ox.RdfFormat.from_extension(g.rsplit(".", 1)[-1]) or ox.RdfFormat.TURTLE
        for s in (raw_store, api_store._store):
            s.load(path=str(_path(g)), format=fmt, base_iri=g, to_graph=ox.NamedNode(g))
    api_store._stale = True
    out = {}
    try:
        raw = _rows(raw_store.query(text, base_iri=base))
    except Exception:
        raw = "error"
    try:
        api = _rows(api_store.query(text, base_iri=base))
    except Exception:
        api = "error"
    out["api"] = api == raw
    if server:
        try:
            out["server"] = server_rows(server, test, text) == raw
        except Exception:
            out["server"] = False
    expected = test["result"]
    if expected and raw != "error" and expected.rsplit(".", 1)[-1] in ("srj", "srx", "tsv", "csv"):
        fmt = {"srj": ox.QueryResultsFormat.JSON, "srx": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV,
               "csv": ox.QueryResultsFormat.CSV}[expected.rsplit(".", 1)[-1]]
        try:
            out["raw"] = _rows(ox.parse_query_results(path=str(_path(expected)), format=fmt)) == raw
        except Exception:
            out["raw"] = False
    return out


def update_entries(manifest: Path) -> list[dict]:
    """A manifest's UpdateEvaluationTests: the request, and the dataset before and after,
    each as ``{"default": [files], "named": {graph IRI: [files]}}``."""
    g = ox.Store()
    g.load(path=str(manifest), format=ox.RdfFormat.TURTLE, base_iri=manifest.as_uri())
    pre = (f"PREFIX mf: <{MF}> PREFIX ut: <{UT}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
           "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
    out = []
    for r in g.query(pre + "SELECT ?t ?action ?result ?request WHERE { ?m mf:entries/rdf:rest*/rdf:first ?t . "
                           "?t a mf:UpdateEvaluationTest ; mf:action ?action ; mf:result ?result . "
                           "?action ut:request ?request }"):
        def dataset(node):
            default = [x["f"].value for x in g.query(pre + "SELECT ?n ?f WHERE { ?n ut:data ?f }",
                                                     substitutions={ox.Variable("n"): node})]
            named: dict[str, list[str]] = {}
            for x in g.query(pre + "SELECT ?n ?f ?label WHERE { ?n ut:graphData [ ut:graph ?f ; rdfs:label ?label ] }",
                             substitutions={ox.Variable("n"): node}):
                named.setdefault(x["label"].value, []).append(x["f"].value)
            return {"default": default, "named": named}
        out.append({"name": r["t"].value.rsplit("#", 1)[-1], "request": r["request"].value,
                    "before": dataset(r["action"]), "after": dataset(r["result"])})
    return out


def _triples(files: list[str]) -> list[ox.Triple]:
    out = []
    for f in files:
        fmt = ox.RdfFormat.from_extension(f.rsplit(".", 1)[-1]) or ox.RdfFormat.TURTLE
        out.extend(t for t in ox.parse(path=str(_path(f)), format=fmt, base_iri=f))
    return out


def _graph(triples) -> frozenset:
    """A graph as a comparable value: its triples with blank nodes canonicalised."""
    d = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    d.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return frozenset(str(q) for q in d)


def _expected(after: dict, *, union: bool) -> dict:
    """The expected dataset: graph name (``None``: default) to graph, empty graphs left out.
    ``union``: the default graph read the project's way, the union of the default data and every named graph."""
    named = {iri: _triples(files) for iri, files in after["named"].items()}
    default = _triples(after["default"]) + ([t for ts in named.values() for t in ts] if union else [])
    graphs = {None: default, **named}
    return {name: _graph(ts) for name, ts in graphs.items() if ts}


def _actual(store: ox.Store, *, default_graph, skip: tuple[str, ...] = ()) -> dict:
    """A store's dataset after the update, as :func:`_expected` gives it."""
    graphs = {None: [ox.Triple(q.subject, q.predicate, q.object)
                     for q in store.quads_for_pattern(None, None, None, default_graph)]}
    for q in store.quads_for_pattern(None, None, None, None):
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in skip:
            graphs.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    return {name: _graph(ts) for name, ts in graphs.items() if ts}


def _put_triples(server: str, graph: str, triples: list[ox.Triple]) -> None:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    req = urllib.request.Request(f"{server}/store?" + urllib.parse.urlencode({"graph": graph}), data=data,
                                 method="PUT", headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(req, timeout=60).read()


def _served_dataset(server: str, skip: tuple[str, ...]) -> dict:
    """The server's dataset as :func:`_actual` gives a store's, read with two queries."""
    graphs: dict[str | None, list[ox.Triple]] = {}
    for query, named in (("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", False),
                         ("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", True)):
        status, body = _http(server, "query", query, "application/sparql-results+json")
        if status != 200:
            raise RuntimeError(body[:200])
        for row in ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON):
            name = row["g"].value if named else None
            if name not in skip:
                graphs.setdefault(name, []).append(ox.Triple(row["s"], row["p"], row["o"]))
    return {name: _graph(ts) for name, ts in graphs.items() if ts}


def server_update(server: str, test: dict, text: str, data: str, skip: tuple[str, ...]):
    """The server's dataset after the test's request (its data PUT first), or "policy" or False."""
    _http(server, "update", "DROP ALL", "*/*")
    if test["before"]["default"]:
        _put_triples(server, data, _triples(test["before"]["default"]))
    for iri, files in test["before"]["named"].items():
        _put_triples(server, iri, _triples(files))
    # The protocol has no base parameter: the test's base is stated in the text.
    status, body = _http(server, "update", f"BASE <{test['request']}>\n{text}", "*/*")
    if status == 403 and (b"LOAD" in body or b"SERVICE" in body):
        return "policy"
    if status // 100 != 2:
        return False
    return _served_dataset(server, skip) == _expected(test["after"], union=True)


def update_evaluation(test: dict, server: str | None = None) -> dict[str, bool]:
    """``raw`` and ``api`` (and ``server``) after the test's request, each against the expected dataset."""
    from collabgraph.core.sparqlguard import OutgoingRefused
    from collabgraph.store.local import EDITS_GRAPH, Store

    text = _path(test["request"]).read_text("utf-8")
    base = test["request"]
    data = "urn:x-conformance:data"
    out = {}
    if not re.search(r"\bLOAD\b", text, re.IGNORECASE):
        raw = ox.Store()
        raw.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in _triples(test["before"]["default"]))
        for iri, files in test["before"]["named"].items():
            raw.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri)) for t in _triples(files))
        try:
            raw.update(text, base_iri=base)
            out["raw"] = _actual(raw, default_graph=ox.DefaultGraph()) == _expected(test["after"], union=False)
        except Exception:
            out["raw"] = False
    api = Store.memory()
    api._store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(data))
                      for t in _triples(test["before"]["default"]))
    for iri, files in test["before"]["named"].items():
        api._store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri)) for t in _triples(files))
    api._stale = True
    try:
        api.update_dataset(text, base_iri=base)
        api._union_scope("")  # the default graph as the next query sees it
        out["api"] = (_actual(api._store, default_graph=ox.DefaultGraph(), skip=(data, EDITS_GRAPH))
                      == _expected(test["after"], union=True))
    except OutgoingRefused:
        out["api"] = "policy"
    except Exception:
        out["api"] = False
    if server:
        try:
            out["server"] = server_update(server, test, text, data, (data, EDITS_GRAPH))
        except Exception:
            out["server"] = False
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tests", type=Path, help="a checkout of w3c/rdf-tests")
    ap.add_argument("--server", action="store_true",
                    help="also run the tests through 'collabgraph serve --writable' on 127.0.0.1 (started here)")
    ap.add_argument("--allow-outgoing", action="store_true",
                    help="start the server with SERVICE and LOAD allowed to any http:// IRI (they then fail to "
                         "connect, which shows they were parsed and accepted)")
    ap.add_argument("--only", nargs="*", help="manifests to run (directory names under sparql/sparql11)")
    args = ap.parse_args()
    root = args.tests / "sparql" / "sparql11"
    with _served(args.server, args.allow_outgoing) as server:
        run(root, args.only or MANIFESTS + UPDATE_MANIFESTS, server)


def _served(wanted: bool, allow_outgoing: bool = False):
    """A writable ``collabgraph serve`` on a scratch build of the repository's graph (or nothing)."""
    import contextlib
    import socket
    import subprocess
    import tempfile
    import time

    @contextlib.contextmanager
    def served():
        if not wanted:
            yield None
            return
        from collabgraph import build

        root = Path(__file__).resolve().parent.parent
        out = Path(tempfile.mkdtemp(prefix="cg-conformance-")) / "build"
        build(root / "graph", root / "ontology", out)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        exe = Path(sys.executable).with_name("collabgraph")
        proc = subprocess.Popen([str(exe), "serve", "--build", str(out), "--port", str(port), "--writable",
                                 "--timeout", "20",
                                 *(["--allow-service", "http://", "--allow-load", "http://"] if allow_outgoing else [])],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(f"{url}/saved.json", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            proc.wait(20)

    return served()


HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"


def protocol_tests(manifest: Path) -> list[dict]:
    """The protocol manifest's tests: graph data to load, then HTTP requests with expected responses."""
    g = ox.Store()
    g.load(path=str(manifest), format=ox.RdfFormat.TURTLE, base_iri=manifest.as_uri())
    pre = (f"PREFIX mf: <{MF}> PREFIX ht: <{HT}> PREFIX cnt: <{CNT}> PREFIX rdfs: <http://www.w3.org/2000/01/"
           f"rdf-schema#> PREFIX ut: <{UT}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ")
    tests = []
    for t in g.query(pre + "SELECT ?t WHERE { ?m mf:entries/rdf:rest*/rdf:first ?t . ?t a mf:ProtocolTest }"):
        test = t["t"]
        data = [(r["file"].value, r["label"].value) for r in g.query(
            pre + "SELECT ?t ?file ?label WHERE { ?t ut:graphData [ ut:graph ?file ; rdfs:label ?label ] }",
            substitutions={ox.Variable("t"): test})]
        requests = []
        for r in g.query(pre + """SELECT ?t ?req ?path ?method ?chars ?enc ?resp WHERE {
                ?t mf:action/ht:requests/rdf:rest* ?cell . ?cell rdf:first ?req .
                ?req ht:absolutePath ?path ; ht:methodName ?method ; ht:resp ?resp .
                OPTIONAL { ?req ht:body [ cnt:chars ?chars ; cnt:characterEncoding ?enc ] } }""",
                         substitutions={ox.Variable("t"): test}):
            req = r["req"]
            headers = {h["n"].value: h["v"].value for h in g.query(
                pre + "SELECT ?req ?n ?v WHERE { ?req ht:headers/rdf:rest*/rdf:first [ ht:fieldName ?n ; ht:fieldValue ?v ] }",
                substitutions={ox.Variable("req"): req})}
            expect = {e["p"].value.rsplit("#", 1)[-1]: e["o"] for e in g.query(
                pre + "SELECT ?resp ?p ?o WHERE { ?resp ?p ?o }", substitutions={ox.Variable("resp"): r["resp"]})}
            statuses = [x["o"].value.rsplit("#StatusCode", 1)[-1] for x in g.query(
                pre + "SELECT ?resp ?o WHERE { ?resp mf:expectedStatus ?o }", substitutions={ox.Variable("resp"): r["resp"]})]
            requests.append({"path": r["path"].value, "method": r["method"].value, "headers": headers,
                             "body": r["chars"].value if r["chars"] else None,
                             "encoding": r["enc"].value if r["enc"] else "UTF-8", "statuses": statuses,
                             "boolean": expect.get("expectedBoolean"), "format": expect.get("expectedFormat")})
        tests.append({"name": test.value.rsplit("#", 1)[-1], "data": data, "requests": _in_order(g, test, requests)})
    return tests


def _in_order(g: ox.Store, test, requests: list[dict]) -> list[dict]:
    """The requests in the order of their list (the query above does not keep it)."""
    paths = [r["path"].value + "|" + (r["chars"].value if r["chars"] else "") for r in g.query(
        f"PREFIX ht: <{HT}> PREFIX cnt: <{CNT}> PREFIX mf: <{MF}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>"
        " SELECT ?t ?path ?chars (COUNT(?mid) AS ?n) WHERE { ?t mf:action/ht:requests ?list . ?list rdf:rest* ?mid . "
        "?mid rdf:rest* ?cell . ?cell rdf:first ?req . ?req ht:absolutePath ?path . "
        "OPTIONAL { ?req ht:body/cnt:chars ?chars } } GROUP BY ?t ?req ?path ?chars ORDER BY ?n",
        substitutions={ox.Variable("t"): test})]
    return sorted(requests, key=lambda r: paths.index(r["path"] + "|" + (r["body"] or "")))


def run_protocol(root: Path, server: str) -> Counter:
    """Run the protocol manifest's exchanges against ``server``; print a line per failed test."""
    tally: Counter = Counter()
    for test in protocol_tests(root / "protocol" / "manifest.ttl"):
        _http(server, "update", "DROP ALL", "*/*")
        for file, label in test["data"]:
            _put(server, label, _path(file))
        ok, why = True, ""
        for r in test["requests"]:
            path = r["path"].replace("/sparql/", "/sparql", 1)
            body = r["body"].encode(r["encoding"].lower().replace("utf-16", "utf-16-le")) if r["body"] is not None else None
            if r["encoding"].upper() == "UTF-16" and body is not None:
                body = "\ufeff".encode("utf-16-le") + body
            req = urllib.request.Request(server + path, data=body, method=r["method"], headers=r["headers"])
            if body is not None and not any(k.lower() == "content-type" for k in r["headers"]):
                req.add_unredirected_header("Content-Type", "")
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    status, media, data = resp.status, resp.headers.get("Content-Type", ""), resp.read()
            except urllib.error.HTTPError as e:
                status, media, data = e.code, e.headers.get("Content-Type", ""), e.read()
            if f"{status // 100}xx" not in r["statuses"]:
                ok, why = False, f"{r['method']} {path[:60]}: {status} {data[:120]!r}"
                break
            if r["boolean"] is not None:
                answer = _boolean_of(media, data)
                if answer != (r["boolean"].value == "true"):
                    ok, why = False, f"boolean {answer}"
                    break
        tally[ok] += 1
        if not ok:
            print(f"  protocol/{test['name']} server: {why}", file=sys.stderr)
    return tally


def _boolean_of(media: str, data: bytes):
    fmt = ox.QueryResultsFormat.XML if "xml" in media else ox.QueryResultsFormat.JSON
    try:
        return bool(ox.parse_query_results(data, format=fmt))
    except Exception:
        return None


def run(root: Path, manifests: list[str], server: str | None) -> None:
    layers = syntax_layers(server)
    failures: list[str] = []
    print(f"{'manifest':22} {'layer':7} {'pass':>5} {'fail':>5}  (of the passes, SERVICE/LOAD refused by policy)")
    for name in [m for m in manifests if m != "protocol"]:
        tests = entries(root / name / "manifest.ttl")
        tally: dict[str, Counter] = {}
        for t in tests:
            kind = t["type"]
            if "SyntaxTest" in kind:
                # The update manifests type their negative tests mf:NegativeSyntaxTest11: the .ru file says update.
                update = "Update" in kind or (t["action"] or "").endswith(".ru")
                positive = "Positive" in kind
                text = _path(t["action"]).read_text("utf-8", "replace")
                for layer, run in layers.items():
                    try:
                        run(text, t["action"], update)
                        ok = positive
                    except PermissionError:
                        ok = True  # SERVICE/LOAD refused by policy
                        tally.setdefault(layer, Counter())["policy"] += 1
                    except Exception as exc:  # a syntax error is a refusal; anything else ran past the parser
                        refused = isinstance(exc, SyntaxError) or "Syntax" in type(exc).__name__
                        ok = positive != refused
                    tally.setdefault(layer, Counter())[ok] += 1
                    if not ok:
                        failures.append(f"{name}/{t['name']} {layer}")
            elif kind == "UpdateEvaluationTest":
                continue  # run below, from update_entries
            elif kind == "QueryEvaluationTest" and t["query"]:
                for layer, ok in evaluation(t, server).items():
                    tally.setdefault(layer, Counter())[ok] += 1
                    if not ok:
                        failures.append(f"{name}/{t['name']} {layer}")
        if name in UPDATE_MANIFESTS:
            for t in update_entries(root / name / "manifest.ttl"):
                for layer, ok in update_evaluation(t, server).items():
                    if ok == "policy":  # LOAD refused by policy: right, and counted as such
                        tally.setdefault(layer, Counter())["policy"] += 1
                        ok = True
                    tally.setdefault(layer, Counter())[ok] += 1
                    if not ok:
                        failures.append(f"{name}/{t['name']} {layer}")
        for layer, c in tally.items():
            print(f"{name:22} {layer:7} {c[True]:5} {c[False]:5}" + (f"  ({c['policy']})" if c["policy"] else ""),
                  flush=True)
    if server and (not manifests or "protocol" in manifests or manifests == MANIFESTS + UPDATE_MANIFESTS):
        c = run_protocol(root, server)
        print(f"{'protocol':22} {'server':7} {c[True]:5} {c[False]:5}", flush=True)
    if failures:
        print("\nfailed:", *failures, sep="\n  ", file=sys.stderr)


if __name__ == "__main__":
    main()
