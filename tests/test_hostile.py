"""Hostile sources and queries: each is refused in one clear line, and the
previous build is left byte for byte as it was.

The corpus is tests/data/hostile-sources/ (small files, checked in) plus a
few files made here because they are big (a 5 MB literal, RDF/XML nested
20,000 deep). Each one is dropped into a copy of the article's graph/ next to
a good build, and `validate` and `build` must both refuse it with the same
one line naming the file and the line or the entity and the rule.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from collabgraph import CollabGraph
from collabgraph.cli import cli
from collabgraph.core.errors import QueryError, SourceRefused, ValidationError

from .conftest import DATA, ONTOLOGY, lay_out

CORPUS = DATA / "hostile-sources"
CG = "https://w3id.org/collabgraph/"

#: file -> the one error line expected (a regex; {f} is the file as shown).
EXPECTED = {
    "syntax-error.ttl": r"{f}:11:\d+: syntax error: Unexpected end of file",
    "syntax-error.nt": r"{f}:3:\d+: syntax error: ",
    "syntax-error.nq": r"{f}:2:\d+: syntax error: Invalid IRI code point ' '",
    "syntax-error.trig": r"{f}:13:\d+: syntax error: ",
    "syntax-error.jsonld": r"{f}:4:\d+: syntax error: ",
    "syntax-error.rdf": r"{f}:6:\d+: syntax error: .*</rdfs:comment>",
    "binary.ttl": r"{f}:1:\d+: syntax error: Invalid UTF-8",
    "not-utf8.ttl": r"{f}:10:\d+: syntax error: Invalid UTF-8",
    "named-graph-inferred.trig": rf"{{f}}:9: states triples in the named graph <{CG}graph/inferred>",
    "named-graph-shapes.nq": rf"{{f}}:1: states triples in the named graph <{CG}graph/shapes>",
    "named-graph-other-file.trig": rf"{{f}}:10: states triples in the named graph <{CG}graph/file/love-wins-all-article.ttl>",
    "named-graph.jsonld": rf"{{f}}: states triples in the named graph <{CG}graph/inferred>",
    "only-named-graphs.trig": r"{f}:9: states triples in the named graph <https://example.org/g>",
    "billion-laughs.rdf": r"{f}:6: the XML entity &d; expands to more than 100000 characters",
    "external-entity.rdf": r"{f}:3: the XML entity &secret; is external \(SYSTEM\)",
    "deep.rdf": r"{f}:2: XML elements nested more than 256 deep",
    "ill-typed-date.ttl": r"{f}:9: id:iu: cg:birthDate: '2024-13-45' is not a valid xsd:date \[xsd:date lexical form\]",
    "ill-typed-date.rdf": r"{f}:4: id:iu: cg:birthDate: '16 May 1993' is not a valid xsd:date \[xsd:date lexical form\]",
    "ill-typed-boolean.nt": r"{f}:1: fact:lwa-credit-iu-single: cg:debut: 'yes' is not a valid xsd:boolean",
    "huge-literal.nt": r"{f}:1: id:iu: rdfs:comment: a literal of 5000000 characters, longer than the limit of "
                       r"100000 \(set COLLABGRAPH_MAX_LITERAL to allow more\) \[literal length\]",
    "dangling-reference.ttl": r"{f}: fact:dangling: a credit needs exactly one cg:agent .*\(value: id:nobody-at-all\) "
                              r"\[cgsh:CreditShape/cg:agent\]",
    "clashing-duplicate.ttl": r"{f}, \S*love-wins-all-article.ttl: fact:lwa-credit-iu-single: a credit needs exactly "
                              r"one cg:agent .*\[cgsh:CreditShape/cg:agent\]",
}


def make(name: str, dest: Path) -> Path:
    """Put the corpus file ``name`` in ``dest`` (the big ones are written here)."""
    target = dest / name
    if name == "huge-literal.nt":
        target.write_text(f'<{CG}id/iu> <http://www.w3.org/2000/01/rdf-schema#comment> "{"x" * 5_000_000}" .\n')
    elif name == "deep.rdf":
        n = 20_000
        target.write_text('<r:RDF xmlns:r="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:a="http://a/">'
                          "<r:Description>\n" + "<a:p><r:Description>" * n + "</r:Description></a:p>" * n
                          + "</r:Description></r:RDF>\n")
    else:
        shutil.copyfile(CORPUS / name, target)
    return target


def test_corpus_is_complete():
    stored = {p.name for p in CORPUS.iterdir()} - {"empty.ttl"}
    assert stored <= set(EXPECTED), stored - set(EXPECTED)
    assert {p.suffix for p in CORPUS.iterdir()} >= {".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"}


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` and its SHA-256 (a symbolic link: its target, not followed)."""
    out = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """The article's graph and a good build of it, shared by the corpus cases
    (each case removes its file again; the build must never change)."""
    graph = lay_out(tmp_path_factory.mktemp("hostile"))
    out = graph.parent / "build"
    from collabgraph import build

    build(graph, ONTOLOGY, out)
    return graph, out


def errors(output: str) -> list[str]:
    return [line for line in output.splitlines()
            if line.startswith("error: ") and not re.match(r"error: validation failed with \d+ problem", line)]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_source_is_one_clear_line_and_the_build_stays(name, workspace, runner):
    graph, out = workspace
    before = tree(out.parent)
    path = make(name, graph)
    try:
        shown = re.escape(str(path))
        answers = {}
        for command in (["validate"], ["build", "-q", "--out", str(out)]):
            result = runner.invoke(cli, [*command, "--graph", str(graph), "--ontology", str(ONTOLOGY)])
            assert result.exit_code == 1, (command, result.output)
            assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
            found = errors(result.stderr)
            assert len(found) == 1, found
            assert re.match("error: " + EXPECTED[name].format(f=shown), found[0]), found[0]
            answers[command[0]] = found
        assert answers["validate"] == answers["build"]  # validate and build agree
    finally:
        path.unlink()
    assert tree(out.parent) == before


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_ill_typed_literal_without_traceback_in_either_engine(engine, sources):
    make("ill-typed-date.ttl", sources)
    exe = Path(sys.executable).with_name("collabgraph")
    run = subprocess.run([str(exe), "validate", "--graph", str(sources), "--ontology", str(ONTOLOGY),
                          "--engine", engine], capture_output=True, text=True, cwd=sources)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "error: ill-typed-date.ttl:9: id:iu: cg:birthDate: '2024-13-45' is not a valid xsd:date [xsd:date lexical form]",
        "error: validation failed with 1 problem(s)"]


def test_empty_file_is_a_note_in_validate_and_build(workspace, runner, tmp_path):
    graph, _ = workspace
    out = tmp_path / "build"
    empty = graph / "empty.ttl"
    empty.write_bytes(b"")
    try:
        for command in (["validate"], ["build", "--out", str(out)]):
            result = runner.invoke(cli, [*command, "--graph", str(graph), "--ontology", str(ONTOLOGY)])
            assert result.exit_code == 0, result.output
            assert f"note: {empty}: states no triples (an empty file?); nothing was loaded from it" in result.output
    finally:
        empty.unlink()
    with CollabGraph.open(out) as kg:
        assert kg.entity("IU").label == "IU"


def test_a_named_graph_cannot_slip_a_credit_into_collaborators(sources):
    make("named-graph-inferred.trig", sources)
    with pytest.raises(SourceRefused) as refused:
        CollabGraph.load(sources, ONTOLOGY)
    assert refused.value.line == 9 and "graph/inferred" in str(refused.value)


def test_a_huge_literal_allowed_by_the_limit_is_clipped_on_the_page(sources, monkeypatch, tmp_path):
    label = "Mallory " + "very long name " * 400_000  # 6 MB
    (sources / "huge.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'<{CG}id/iu> rdfs:comment "{label}" .\n<{CG}id/v> rdfs:label "{label}"@ko .\n')
    with pytest.raises(ValidationError):
        CollabGraph.load(sources, ONTOLOGY)
    monkeypatch.setenv("COLLABGRAPH_MAX_LITERAL", "10000000")
    page = CollabGraph.load(sources, ONTOLOGY).explore().write(tmp_path / "page.html")
    html = page.read_text("utf-8")
    assert len(html) < 1_500_000
    assert "Mallory very long name" in html and "very long name " * 100 not in html


def test_the_literal_limit_must_be_a_number(sources, runner, monkeypatch):
    monkeypatch.setenv("COLLABGRAPH_MAX_LITERAL", "lots")
    result = runner.invoke(cli, ["validate", "--graph", str(sources), "--ontology", str(ONTOLOGY)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: COLLABGRAPH_MAX_LITERAL='lots': give the longest literal allowed")


# -- deeply nested SPARQL ------------------------------------------------------

DEEP = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
DEEP_FILTER = "SELECT * WHERE { FILTER (" + "(" * 20000 + "1" + ")" * 20000 + ") }"


def test_deep_sparql_is_refused_by_the_api(kg):
    for text in (DEEP, DEEP_FILTER):
        with pytest.raises(QueryError, match=r"nests brackets more than 100 deep \(line 1, column \d+\)"):
            kg.sparql(text)
    # brackets in strings, IRIs and comments are not nesting
    assert list(kg.sparql('SELECT ?x WHERE { BIND ("' + "{(" * 300 + '" AS ?x) } # ' + "[" * 300))


def test_deep_sparql_is_one_line_from_the_cli(built):
    exe = Path(sys.executable).with_name("collabgraph")
    for text in (DEEP, DEEP_FILTER):
        run = subprocess.run([str(exe), "sparql", "--build", str(built), text], capture_output=True, text=True)
        assert run.returncode == 1, run.returncode  # was -11 (SIGSEGV), no message
        assert run.stderr.startswith("error: the query nests brackets more than 100 deep")
        assert len(run.stderr.splitlines()) == 1


def test_deep_sparql_is_a_400_from_the_server(built):
    from .test_server import get, http, start

    proc, base = start(built, "--workers", "1")
    try:
        status, _, body = get(base, DEEP, "application/sparql-results+json")
        assert status == 400 and b"nests brackets more than 100 deep" in body
        # 120 KB percent-encoded: past what a GET's target may hold (414, saying to POST it), and refused by POST
        status, _, body = get(base, DEEP_FILTER, "application/sparql-results+json")
        assert status == 414 and b"POST body" in body
        status, _, body = http(f"{base}/sparql", data=DEEP_FILTER.encode(), method="POST",
                               headers={"Content-Type": "application/sparql-query",
                                        "Accept": "application/sparql-results+json"})
        assert status == 400 and b"nests brackets more than 100 deep" in body
        status, _, _ = get(base, "ASK { ?s ?p ?o }", "application/sparql-results+json")
        assert status == 200
    finally:
        proc.terminate()
        proc.wait(10)
