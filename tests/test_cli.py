"""Every command through click's CliRunner; effects checked through the library."""

from __future__ import annotations

import csv
import io
import json

import pytest

from collabgraph import CollabGraph
from collabgraph.cli import cli

from .conftest import DATA, ONTOLOGY

COMMANDS = sorted(cli.commands)


def run(runner, *args, ok=True):
    result = runner.invoke(cli, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner, command):
    result = run(runner, command, "--help")
    assert "Example:" in result.output
    assert len(cli.commands[command].help.strip()) > 40


def test_build_then_info(runner, tmp_path, sources):
    out = tmp_path / "out"
    result = run(runner, "build", "--graph", sources, "--ontology", ONTOLOGY, "--out", out)
    assert "built" in result.output and "Person" in result.output
    with CollabGraph.open(out) as kg:
        assert kg.entity("V").label == "V"
    info = json.loads(run(runner, "info", "--build", out, "--format", "json").output)
    assert info["summary"]["entities"]["Person"] == 5
    assert info["manifest"]["sources"][0]["file"].endswith("love-wins-all-article.ttl")


def test_build_quiet_prints_nothing(runner, tmp_path, sources):
    assert run(runner, "build", "-q", "--graph", sources, "--ontology", ONTOLOGY, "--out", tmp_path / "o").output == ""


def test_validate_ok(runner, sources):
    assert run(runner, "validate", "--graph", sources, "--ontology", ONTOLOGY).output.startswith("ok: 2 source file(s)")


def test_validate_reports_one_line_per_problem(runner):
    result = run(runner, "validate", "--graph", DATA / "invalid", "--ontology", ONTOLOGY, ok=False)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 23 and lines[-1] == "error: validation failed with 22 problem(s)"
    assert all(line.startswith("error: ") and "many-problems.ttl: " in line for line in lines[:-1])
    assert "Traceback" not in result.output + result.stderr


def test_broken_turtle_is_one_line_with_file_and_line(runner, tmp_path, sources):
    (sources / "broken.ttl").write_text('@prefix x: <http://x/> .\nx:a x:b "oops .\n')
    result = run(runner, "build", "--graph", sources, "--ontology", ONTOLOGY, "--out", tmp_path / "o", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "broken.ttl:2:" in result.stderr and "syntax error" in result.stderr


def test_entity_by_alias_and_by_name_is_the_same(runner, built):
    by_alias = json.loads(run(runner, "entity", "taehyung", "--build", built, "--format", "json").output)
    by_name = json.loads(run(runner, "entity", "V", "--build", built, "--format", "json").output)
    assert by_alias == by_name
    assert by_alias["id"] == "id:v" and set(by_alias["aliases"]) == {"Taehyung", "Kim Taehyung"}
    assert any(c["work_label"] == "GYOPO HAIRSTYLE" and c["role"] == "cameo" for c in by_alias["credits"])


def test_entity_table(runner, built):
    out = run(runner, "entity", "교포머리", "--build", built).output
    assert out.startswith("GYOPO HAIRSTYLE  (id:gyopo-hairstyle)")
    assert "교포머리@ko" in out and "cameo" in out


def test_unknown_entity_is_one_line_with_suggestions(runner, built):
    result = run(runner, "entity", "Tehyung", "--build", built, ok=False)
    assert result.exit_code == 1
    assert result.stderr == "error: no entity named 'Tehyung'; did you mean: Taehyung (id:v)?\n"


def test_collaborators(runner, built):
    data = json.loads(run(runner, "collaborators", "V", "--build", built, "--format", "json").output)
    names = [c["agent"]["label"] for c in data["collaborators"]]
    assert names == ["Choi Woo-shik", "IU", "Park Hyung-sik", "Park Seo-joon", "Peakboy"]
    table = run(runner, "collaborators", "IU", "--build", built).output
    assert "V" in table and "Love wins all is an outstanding song" in table


def test_works(runner, built):
    data = json.loads(run(runner, "works", "Kim Taehyung", "--build", built, "--format", "json").output)
    assert {(c["work_label"], c["role"]) for c in data["credits"]} >= {("Blue", "performer"), ("IU TV", "guest")}
    assert "actor (debut)" in run(runner, "works", "V", "--build", built).output


def test_path_shows_each_hop_with_work_and_quote(runner, built):
    out = run(runner, "path", "IU", "Park Seo-joon", "--build", built).output
    lines = out.splitlines()
    assert lines[0] == "IU – V – Park Seo-joon"
    assert "1. IU (performer) and V (collaborator) on Love wins all [Single]" in lines
    assert "2. V (cameo) and Park Seo-joon (appearance) on GYOPO HAIRSTYLE [Song]" in lines
    assert any("also featured Park Seo-joon" in line for line in lines)
    hops = json.loads(run(runner, "path", "IU", "Park Seo-joon", "--build", built, "--format", "json").output)
    assert [(h["from"]["id"], h["to"]["id"], h["work"]["id"]) for h in hops] == [
        ("id:iu", "id:v", "id:love-wins-all"), ("id:v", "id:park-seo-joon", "id:gyopo-hairstyle")]


def test_sparql_table_and_w3c_json(runner, built):
    q = "SELECT ?w WHERE { id:v cg:appearsIn ?w } ORDER BY ?w"
    out = run(runner, "sparql", q, "--build", built).output
    assert "id:hwarang" in out and out.rstrip().endswith("(7 rows)")
    data = json.loads(run(runner, "sparql", q, "--build", built, "--format", "json").output)
    assert data["head"]["vars"] == ["w"] and len(data["results"]["bindings"]) == 7


def test_sparql_from_file_with_bindings_and_csv(runner, built, tmp_path):
    query = tmp_path / "who.rq"
    query.write_text("SELECT ?name ?e WHERE { ?e rdfs:label ?name }")
    out = run(runner, "sparql", query, "--bind", 'name="교포머리"@ko', "--format", "csv", "--build", built).output
    assert list(csv.reader(io.StringIO(out))) == [["name", "e"], ["교포머리", "https://w3id.org/collabgraph/id/gyopo-hairstyle"]]
    tsv = run(runner, "sparql", "SELECT ?x ?g WHERE { ?x cg:memberOf ?g }", "--bind", "g=id:bts", "--format", "tsv",
              "--build", built).output
    assert tsv.splitlines()[1] == "<https://w3id.org/collabgraph/id/v>\t<https://w3id.org/collabgraph/id/bts>"
    unprojected = run(runner, "sparql", "SELECT ?x WHERE { ?x cg:memberOf ?g }", "--bind", "g=id:bts",
                      "--format", "csv", "--build", built).output
    assert unprojected.splitlines() == ["x", "https://w3id.org/collabgraph/id/v"]
    bad_name = run(runner, "sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--bind", "o o=x", "--build", built, ok=False)
    assert bad_name.exit_code == 1 and bad_name.stderr == "error: 'o o' is not a SPARQL variable name\n"


def test_sparql_ask_and_construct(runner, built):
    assert run(runner, "sparql", "ASK { id:v cg:memberOf id:bts }", "--build", built).output.strip() == "yes"
    out = run(runner, "sparql", "CONSTRUCT { id:v cg:memberOf ?g } WHERE { id:v cg:memberOf ?g }",
              "--build", built, "--format", "ntriples").output
    assert out.strip() == "<https://w3id.org/collabgraph/id/v> <https://w3id.org/collabgraph/ns#memberOf> <https://w3id.org/collabgraph/id/bts> ."


def test_malformed_sparql_is_one_line_with_position(runner, built):
    result = run(runner, "sparql", "SELECT ?x WHERE { ?x ?y }", "--build", built, ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: SPARQL syntax error at line 1, column 26")
    assert result.stderr.count("\n") == 1


def test_bad_binding_is_a_usage_error(runner, built):
    result = run(runner, "sparql", "SELECT * WHERE { ?s ?p ?o }", "--bind", "novalue", "--build", built, ok=False)
    assert result.exit_code == 2 and "NAME=VALUE" in result.stderr


def test_export_formats(runner, built, tmp_path):
    out = tmp_path / "g.trig"
    run(runner, "export", "--build", built, "--format", "trig", "-o", out)
    assert "graph:inferred {" in out.read_text()
    graphml = tmp_path / "c.graphml"
    run(runner, "export", "--build", built, "--format", "graphml", "--projection", "collaboration", "-o", graphml)
    import networkx as nx

    assert nx.read_graphml(graphml).number_of_nodes() == 6
    nt = run(runner, "export", "--build", built, "--format", "ntriples", "--no-inferred").output
    assert "#collaboratedWith> <https://w3id.org/collabgraph/id/" not in nt and "lwa-credit-iu-single" in nt


def test_reading_commands_without_a_build(runner, tmp_path):
    result = run(runner, "info", "--build", tmp_path / "none", ok=False)
    assert result.exit_code == 1 and "run 'collabgraph build' first" in result.stderr


def test_search(runner, built):
    data = json.loads(run(runner, "search", "park", "--build", built, "--format", "json").output)
    assert [e["label"] for e in data] == ["Park Seo-joon", "Park Hyung-sik"]


def test_an_unexpected_error_is_one_line_too(runner, built, monkeypatch):
    from collabgraph.api import CollabGraph as API

    def broken(self, name):
        raise KeyError("simulated bug")

    monkeypatch.setattr(API, "entity", broken)
    result = run(runner, "entity", "V", "--build", built, ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unexpected KeyError: 'simulated bug'") and result.stderr.count("\n") == 1
    monkeypatch.setenv("COLLABGRAPH_DEBUG", "1")
    with pytest.raises(KeyError):
        runner.invoke(cli, ["entity", "V", "--build", str(built)], catch_exceptions=False)
