"""Run the W3C SPARQL 1.1 test manifests through collabgraph and raw pyoxigraph.

    python bench/conformance.py PATH-TO-rdf-tests [--server]

PATH-TO-rdf-tests is a checkout of https://github.com/w3c/rdf-tests (not
vendored here). For each manifest of sparql/sparql11 it prints pass/fail
counts per layer:

- ``raw``: pyoxigraph in its standard setting (a fresh ``Store``, data in the
  default graph, the test's base IRI);
- ``api``: collabgraph's :class:`~collabgraph.store.Store` (the project's
  predeclared prefixes; test data in named graphs, so the default graph is
  their union, as in a build);
- ``server`` (with ``--server``): ``collabgraph serve`` on 127.0.0.1, for the
  syntax manifests (an empty build; the engine's 400 means "refused").

Syntax tests pass when a positive test parses and a negative one is refused.
Evaluation tests (QueryEvaluationTest) pass for ``api`` when its answer equals
raw pyoxigraph's on the same files (rows compared as multisets, blank nodes
by position); raw pyoxigraph's own answer is compared with the expected
results where they are SPARQL JSON/XML/TSV/CSV.
"""

from __future__ import annotations

import argparse
import sys
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
MANIFESTS = ["syntax-query", "syntax-update-1", "syntax-update-2", "aggregates", "bind", "bindings", "cast",
             "construct", "exists", "functions", "grouping", "json-res", "negation", "project-expression",
             "property-path", "subquery", "csv-tsv-res"]


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
    from collabgraph.store import Store

    def raw(text, base, update):
        s = ox.Store()
        s.update(text, base_iri=base) if update else s.query(text, base_iri=base)

    def api(text, base, update):
        s = Store.memory()
        s.update_dataset(text, base_iri=base) if update else s.query(text, base_iri=base)

    layers = {"raw": raw, "api": api}
    if server:
        def http(text, base, update):
            data = urllib.parse.urlencode({"update" if update else "query": text}).encode()
            req = urllib.request.Request(f"{server}/sparql", data=data,
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            try:
                urllib.request.urlopen(req, timeout=30).read()
            except urllib.error.HTTPError as e:
                if e.code == 400:
                    raise ValueError(e.read()) from None
                if e.code == 403 and b"SERVICE" in e.read().upper():
                    raise PermissionError("refused by policy") from None
        layers["server"] = http
    return layers


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
        return str(t)

    if isinstance(result, ox.QueryBoolean):
        return Counter([bool(result)])
    if isinstance(result, ox.QuerySolutions):
        variables = list(result.variables)
        return Counter(frozenset((v.value, term(row[v])) for v in variables if row[v] is not None) for row in result)
    return Counter(term(t) for t in result)


def evaluation(test: dict) -> dict[str, bool]:
    """``raw`` against the expected results, ``api`` against ``raw``."""
    from collabgraph.store import Store

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
    expected = test["result"]
    if expected and raw != "error" and expected.rsplit(".", 1)[-1] in ("srj", "srx", "tsv", "csv"):
        fmt = {"srj": ox.QueryResultsFormat.JSON, "srx": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV,
               "csv": ox.QueryResultsFormat.CSV}[expected.rsplit(".", 1)[-1]]
        try:
            out["raw"] = _rows(ox.parse_query_results(path=str(_path(expected)), format=fmt)) == raw
        except Exception:
            out["raw"] = False
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tests", type=Path, help="a checkout of w3c/rdf-tests")
    ap.add_argument("--server", help="the URL of a running 'collabgraph serve' (its /sparql is used)")
    ap.add_argument("--only", nargs="*", help="manifests to run (directory names under sparql/sparql11)")
    args = ap.parse_args()
    root = args.tests / "sparql" / "sparql11"
    layers = syntax_layers(args.server)
    failures: list[str] = []
    print(f"{'manifest':22} {'layer':7} {'pass':>5} {'fail':>5}")
    for name in args.only or MANIFESTS:
        tests = entries(root / name / "manifest.ttl")
        tally: dict[str, Counter] = {}
        for t in tests:
            kind = t["type"]
            if "SyntaxTest" in kind:
                update = "Update" in kind
                positive = "Positive" in kind
                text = _path(t["action"]).read_text("utf-8", "replace")
                for layer, run in layers.items():
                    try:
                        run(text, t["action"], update)
                        ok = positive
                    except PermissionError:
                        ok = True  # SERVICE/LOAD refused by policy
                    except Exception as exc:  # a syntax error is a refusal; anything else ran past the parser
                        refused = "Syntax" in type(exc).__name__ or isinstance(exc, ValueError)
                        ok = positive != refused
                    tally.setdefault(layer, Counter())[ok] += 1
                    if not ok:
                        failures.append(f"{name}/{t['name']} {layer}")
            elif kind == "QueryEvaluationTest" and t["query"]:
                for layer, ok in evaluation(t).items():
                    tally.setdefault(layer, Counter())[ok] += 1
                    if not ok:
                        failures.append(f"{name}/{t['name']} {layer}")
        for layer, c in tally.items():
            print(f"{name:22} {layer:7} {c[True]:5} {c[False]:5}", flush=True)
    if failures:
        print("\nfailed:", *failures, sep="\n  ", file=sys.stderr)


if __name__ == "__main__":
    main()
