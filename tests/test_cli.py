"""Every command through click's CliRunner; effects checked through the library."""

from __future__ import annotations

import shutil
import csv
import io
import json
import os
import re

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
    assert info["summary"]["entities"]["Person"] == 2  # IU and V; the article only names the others
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


def test_commands_that_join_agents_suggest_only_agents(runner, built):
    """`entity` offers every close name, a character too; `path`, `works`, `collaborators` and `suggest`
    take agents, so they offer only agents (a walkthrough found `path` offering the character Tae-joon)."""
    said = run(runner, "entity", "Seo-joon", "--build", built, ok=False).stderr
    assert "Park Seo-joon (id:park-seo-joon)" in said and "Tae-joon (id:tae-joon)" in said
    for args in (("path", "V", "Seo-joon"), ("works", "Seo-joon"), ("collaborators", "Seo-joon"),
                 ("suggest", "Seo-joon")):
        result = run(runner, *args, "--build", built, ok=False)
        assert result.exit_code == 1 and result.stderr == (
            "error: no entity named 'Seo-joon'; did you mean: Park Seo-joon (id:park-seo-joon)?\n"), args
    # with no close name left, the names containing it are offered, agents only, in good grammar
    said = run(runner, "works", "Tae", "--build", built, ok=False).stderr
    assert said.startswith("error: no entity named 'Tae'; 1 name contains it: V (id:v);"), said


def test_collaborators(runner, built):
    data = json.loads(run(runner, "collaborators", "V", "--build", built, "--format", "json").output)
    names = [c["agent"]["label"] for c in data["collaborators"]]
    assert names == ["Choi Woo-shik", "IU", "Park Hyung-sik", "Park Seo-joon", "Peakboy"]
    table = run(runner, "collaborators", "IU", "--build", built).output
    assert "V" in table and "Love wins all is an outstanding song" in table


def test_works(runner, built):
    data = json.loads(run(runner, "works", "Kim Taehyung", "--build", built, "--format", "json").output)
    assert {(c["work_label"], c["role"]) for c in data["credits"]} >= {("Blue", "performer"), ("GYOPO HAIRSTYLE", "cameo")}
    assert not [c for c in data["credits"] if c["role"] == "guest"]  # IU's words: her claim, not his credits
    assert "actor (debut)" in run(runner, "works", "V", "--build", built).output


def test_path_shows_each_hop_with_work_and_quote(runner, built):
    out = run(runner, "path", "IU", "Park Seo-joon", "--build", built).output
    lines = out.splitlines()
    assert lines[0] == "IU – V – Park Seo-joon"
    assert "1. IU (performer*) and V (collaborator) on Love wins all [Single]" in lines  # *: an editor's inference
    assert "2. V (cameo) and Park Seo-joon (appearance) on GYOPO HAIRSTYLE [Song]" in lines
    assert any("also featured Park Seo-joon" in line for line in lines)
    hops = json.loads(run(runner, "path", "IU", "Park Seo-joon", "--build", built, "--format", "json").output)
    assert [(h["from"]["id"], h["to"]["id"], h["work"]["id"]) for h in hops] == [
        ("id:iu", "id:v", "id:love-wins-all"), ("id:v", "id:park-seo-joon", "id:gyopo-hairstyle")]


def test_sparql_table_and_w3c_json(runner, built):
    q = "SELECT ?w WHERE { id:v cg:appearsIn ?w } ORDER BY ?w"
    out = run(runner, "sparql", q, "--build", built).output
    # not IU's Palette or IU TV (IU's words, issue 21), nor the posts' plain edges (the editors' reading)
    assert "id:hwarang" in out and out.rstrip().endswith("(5 rows)")
    data = json.loads(run(runner, "sparql", q, "--build", built, "--format", "json").output)
    assert data["head"]["vars"] == ["w"] and len(data["results"]["bindings"]) == 5


@pytest.mark.parametrize("ends", [("BTS", "IU"), ("IU", "BTS")])
def test_a_membership_hop_names_the_member_whichever_way_the_path_runs(runner, built, ends):
    """Walking from a group to its member must still say who is the member
    of whom, in the text, in the JSON roles, and through the API (by SPARQL
    search, and from a connection graph in memory)."""
    out = runner.invoke(cli, ["path", *ends, "--build", str(built)])
    assert out.exit_code == 0, out.output
    assert "V is a member of BTS" in out.output and "BTS is a member of" not in out.output
    hops = json.loads(runner.invoke(cli, ["path", *ends, "--build", str(built), "--format", "json"]).output)
    membership = next(h for h in hops if h["kind"] == "membership")
    roles = {membership["from"]["id"]: membership["from_roles"], membership["to"]["id"]: membership["to_roles"]}
    assert roles == {"id:v": ["member"], "id:bts": ["group"]}
    assert (membership["member"], membership["group"]) == ("id:v", "id:bts")
    with CollabGraph.open(built) as kg:
        from collabgraph.views.paths import connection_graph

        connection_graph(kg.reader)  # now path walks the graph in memory, as a server does
        hop = next(h for h in kg.path(*ends) if h.kind == "membership")
        assert (hop.member.id, hop.group.id) == ("id:v", "id:bts")


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


def test_search_says_when_it_shows_only_the_first(runner, built):
    res = run(runner, "search", "park", "--build", built, "--limit", "1")
    assert "Park Seo-joon" in res.stdout and "Park Hyung-sik" not in res.stdout
    assert "the first 1 shown; more names contain 'park'" in res.stderr
    whole = run(runner, "search", "park", "--build", built, "--limit", "2", "--format", "json")
    assert len(json.loads(whole.stdout)) == 2 and "more names" not in whole.stderr


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


# -- the first hour (issue 8): every surprise is one clear line or a hint -------------

def one_line(result) -> str:
    """The single line a failed command printed on stderr."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert not lines[0].startswith("error: unexpected") and "Traceback" not in result.output + result.stderr
    return lines[0]


def test_sparql_with_an_empty_pattern_and_no_variables(runner, built):
    result = run(runner, "sparql", "SELECT * WHERE {}", "--build", built)
    assert result.output.strip() == "(1 row)"


def test_a_long_inline_query_is_not_taken_for_a_file_name(runner, built):
    query = "SELECT ?w WHERE { id:v cg:appearsIn ?w } ORDER BY ?w # " + "long comment " * 30
    assert len(query.encode()) > 255 and "/" not in query
    out = run(runner, "sparql", query, "--format", "json", "--build", built).output
    assert len(json.loads(out)["results"]["bindings"]) == len(CollabGraph.open(built).sparql(query))


def test_an_update_is_refused_naming_where_updates_go(runner, built):
    result = run(runner, "sparql", "INSERT DATA { id:v rdfs:label 'x' }", "--build", built, ok=False)
    assert result.exit_code == 1
    line = one_line(result)
    assert "SPARQL update (INSERT)" in line and "collabgraph build" in line and "serve --writable" in line
    with CollabGraph.open(built) as kg:
        assert not kg.sparql("ASK { id:v rdfs:label 'x' }").askAnswer


def test_an_unknown_prefix_is_one_line_with_its_position(runner, built):
    result = run(runner, "sparql", "SELECT * WHERE {\n  ?s foo:bar ?o }", "--build", built, ok=False)
    assert result.exit_code == 1
    assert one_line(result).startswith("error: SPARQL syntax error at line 2, column 6: unknown prefix foo:")


def test_syntax_errors_are_always_one_line(runner, built):
    for query in ("SELECT * WHERE { ?s ?p ?o } LIMIT x", "SELECT ?x WHERE { ?x ?y }", "SELECTT * {}"):
        result = run(runner, "sparql", query, "--build", built, ok=False)
        assert result.exit_code == 1 and one_line(result).startswith("error: SPARQL syntax error at line 1")
        assert "['" not in result.stderr  # no character-class listings from the parser


def test_binding_a_variable_the_query_does_not_use_is_an_error(runner, built):
    result = run(runner, "sparql", "SELECT ?s WHERE { ?s cg:memberOf ?group }", "--bind", "grp=id:bts",
                 "--build", built, ok=False)
    assert result.exit_code == 1
    assert one_line(result) == "error: --bind grp=...: the query has no variable ?grp (its variables: ?s, ?group)"


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_plain_string_where_the_data_has_a_language_tag_gives_a_hint(runner, built, fmt):
    query = "SELECT ?e WHERE { ?e rdfs:label ?name }"
    result = run(runner, "sparql", query, "--bind", "name=교포머리", "--format", fmt, "--build", built)
    assert result.stderr == "no results; the data has \"교포머리\"@ko: bind 'name=\"교포머리\"@ko'\n"
    tagged = run(runner, "sparql", query, "--bind", 'name="교포머리"@ko', "--format", fmt, "--build", built)
    assert tagged.stderr == "" and "gyopo-hairstyle" in tagged.output


def test_a_format_the_query_form_cannot_have_is_a_usage_error(runner, built):
    # CONSTRUCT takes every format (csv: one row per triple); an RDF format for ASK is refused
    result = run(runner, "sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", "--format", "csv",
                 "--build", built)
    assert result.output.splitlines()[0] == "subject,predicate,object" and len(result.output.splitlines()) == 2
    result = run(runner, "sparql", "ASK {}", "--format", "turtle", "--build", built, ok=False)
    assert result.exit_code == 2 and "an ASK result" not in result.stderr and "ASK result can be" in result.stderr


def test_a_binding_that_is_no_iri_is_a_usage_error(runner, built):
    result = run(runner, "sparql", "SELECT * WHERE { ?s ?p ?o }", "--bind", "s=<not an iri>", "--build", built, ok=False)
    assert result.exit_code == 2 and "'not an iri' is not an absolute IRI" in result.stderr
    assert "unexpected" not in result.stderr


def test_a_query_file_that_is_not_utf8_is_one_line(runner, built, tmp_path):
    query = tmp_path / "latin1.rq"
    query.write_bytes("SELECT * WHERE { ?s rdfs:label 'café' }".encode("latin-1"))
    result = run(runner, "sparql", query, "--build", built, ok=False)
    assert result.exit_code == 1 and one_line(result) == f"error: {query}: not UTF-8 text (byte 36 is 0xe9)"


NOT_UTF8 = "\udced\udcb2\udc80"  # what Python makes of the bytes ED B2 80 in an argument


@pytest.mark.parametrize("args", [
    ["entity", NOT_UTF8], ["search", NOT_UTF8], ["works", NOT_UTF8], ["collaborators", NOT_UTF8],
    ["path", "IU", NOT_UTF8], ["sparql", f"SELECT * WHERE {{ ?s ?p '{NOT_UTF8}' }}"],
    ["sparql", "SELECT * WHERE { ?s ?p ?o }", "--bind", f"o={NOT_UTF8}"],
    ["sparql", "--saved", "collaborators", "--bind", f"agent={NOT_UTF8}"], ["explore", "--focus", NOT_UTF8],
])
def test_an_argument_that_is_not_utf8_is_one_line(runner, built, tmp_path, args):
    result = run(runner, *args, "--build", built, ok=False)
    assert result.exit_code == 2
    line = one_line(result)
    assert line.startswith("error: ") and "is not valid UTF-8 text" in line and "\\xed\\xb2\\x80" in line
    assert NOT_UTF8 not in line


def test_source_file_names_with_spaces_and_undecodable_bytes(runner, tmp_path, sources):
    (sources / "wikidata-identifiers.ttl").rename(sources / "my file #1.ttl")
    odd = os.fsdecode(b"love \xed\xb2\x80.ttl")
    (sources / "love-wins-all-article.ttl").rename(sources / odd)
    out = tmp_path / "out"
    run(runner, "build", "--graph", sources, "--ontology", ONTOLOGY, "--out", out)
    with CollabGraph.open(out) as kg:
        graphs = {s["graph"] for s in kg.manifest["sources"]}
        assert graphs == {"https://w3id.org/collabgraph/graph/file/my%20file%20%231.ttl",
                          "https://w3id.org/collabgraph/graph/file/love%20%ED%B2%80.ttl"}
        assert kg.entity("V").label == "V"
    shown = [s["file"] for s in json.loads(run(runner, "info", "--format", "json", "--build", out).stdout)
             ["manifest"]["sources"]]
    assert sorted(os.path.basename(f) for f in shown) == ["love \\xed\\xb2\\x80.ttl", "my file #1.ttl"]
    (sources / "my file #1.ttl").write_text('@prefix x: <http://x/> .\nx:a x:b "oops .\n')
    result = run(runner, "build", "--graph", sources, "--ontology", ONTOLOGY, "--out", out, ok=False)
    assert result.exit_code == 1 and "my file #1.ttl:2:" in one_line(result)


@pytest.mark.parametrize("suffix, fmt", [
    (".ttl", "turtle"), (".trig", "trig"), (".nt", "ntriples"), (".nq", "nquads"), (".jsonld", "jsonld"),
    (".rdf", "rdfxml"), (".xml", "rdfxml"), (".graphml", "graphml"), (".gexf", "gexf")])
def test_export_takes_the_format_from_the_extension(runner, built, tmp_path, suffix, fmt):
    out = tmp_path / f"graph{suffix.upper() if suffix == '.ttl' else suffix}"
    run(runner, "export", "--build", built, "-o", out)
    explicit = tmp_path / "explicit"
    run(runner, "export", "--build", built, "--format", fmt, "-o", explicit)
    if fmt in ("graphml", "gexf"):
        import networkx as nx

        read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        assert read(out).number_of_nodes() == read(explicit).number_of_nodes() > 0
        return
    import pyoxigraph as ox

    from collabgraph.core.formats import RDF_FORMATS

    parsed = list(ox.parse(path=str(out), format=RDF_FORMATS[fmt].ox))
    assert len(parsed) == len(list(ox.parse(path=str(explicit), format=RDF_FORMATS[fmt].ox))) > 1000


def test_export_format_option_wins_and_an_unknown_extension_is_a_usage_error(runner, built, tmp_path):
    out = tmp_path / "graph.ttl"
    run(runner, "export", "--build", built, "--format", "ntriples", "-o", out)
    first = out.read_text("utf-8").splitlines()[0]
    assert first.startswith("<https://") and first.endswith(" .")
    result = run(runner, "export", "--build", built, "-o", tmp_path / "graph.txt", ok=False)
    assert result.exit_code == 2 and "cannot tell the format of" in result.stderr and "--format" in result.stderr
    assert not (tmp_path / "graph.txt").exists()


TTY = DATA / "terminal"
UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_tables_never_send_control_characters_to_the_terminal(runner, tmp_path):
    out = tmp_path / "tty"
    run(runner, "build", "--graph", TTY, "--ontology", ONTOLOGY, "--out", out)
    with CollabGraph.open(out) as kg:
        e = kg.entity("id:blinker")
    outputs = [run(runner, *args, "--build", out).output for args in (
        ["entity", "id:blinker"], ["works", "id:blinker"], ["search", "Blinker"], ["info"], ["collaborators", "id:blinker"],
        ["sparql", "SELECT ?l WHERE { ?e rdfs:label|skos:altLabel ?l }"], ["entity", "id:tune"])]
    printed = "\n".join(outputs)
    assert not UNSHOWABLE.search(printed)
    assert e.label == "Blinker \x1b[5;31mRED\x1b[0m"
    assert "Blinker \\x1b[5;31mRED\\x1b[0m" in printed and "Rlo \\u202egnirts" in printed and "\\x9b2J" in printed
    unknown = run(runner, "entity", "Blinker RED", "--build", out, ok=False)
    assert not UNSHOWABLE.search(unknown.stderr)
    exact = json.loads(run(runner, "entity", "id:blinker", "--format", "json", "--build", out).stdout)
    assert exact["label"] == e.label and sorted(exact["aliases"]) == sorted(e.aliases)
    assert "Rlo \u202egnirts" in exact["aliases"]


def test_works_of_a_work_says_it_is_a_work(runner, built):
    with CollabGraph.open(built) as kg:
        work = kg.entity("Love wins all")
    result = run(runner, "works", "Love wins all", "--build", built)
    assert result.stdout == ""
    assert result.stderr == (f"Love wins all is a work ({work.type}), not an agent; "
                             "`collabgraph entity \"Love wins all\"` lists who is credited on it\n")
    data = json.loads(run(runner, "works", "Love wins all", "--format", "json", "--build", built).stdout)
    assert data["credits"] == []


def test_collaborators_of_a_group_without_credits_names_its_members(runner, built):
    with CollabGraph.open(built) as kg:
        assert kg.works("BTS") == []
        members = [c.value_label for c in kg.claims("BTS") if c.kind == "Membership"]
    assert members
    result = run(runner, "collaborators", "BTS", "--build", built)
    assert result.stdout == ""
    assert "BTS has no credits of its own" in result.stderr and members[0] in result.stderr
    assert f"`collabgraph collaborators {members[0]}`" in result.stderr
    data = json.loads(run(runner, "collaborators", "BTS", "--format", "json", "--build", built).stdout)
    assert data["collaborators"] == []
    assert "`collabgraph works" in run(runner, "works", "BTS", "--build", built).stderr


def test_search_without_a_match_says_so(runner, built):
    result = run(runner, "search", "Tehyung", "--build", built)
    assert result.stdout == "" and "did you mean: Taehyung (id:v)?" in result.stderr
    assert json.loads(run(runner, "search", "Tehyung", "--format", "json", "--build", built).stdout) == []


def test_paths_that_are_not_utf8_work_or_are_one_line(runner, built, tmp_path, sources):
    odd = tmp_path / os.fsdecode(b"out-\xfe")
    result = run(runner, "build", "--graph", sources, "--ontology", ONTOLOGY, "--out", odd, ok=False)
    assert result.exit_code == 1 and "out-\\xfe: Oxigraph keeps its store only at a path that is UTF-8" in one_line(result)
    exported = tmp_path / os.fsdecode(b"graph-\xfd.nt")
    result = run(runner, "export", "--build", built, "-o", exported)
    assert exported.stat().st_size > 0 and "graph-\\xfd.nt (ntriples)" in result.stderr
    result = run(runner, "sparql", tmp_path, "--build", built, ok=False)
    assert result.exit_code == 1 and one_line(result) == f"error: {tmp_path}: is a directory, not a query file"


def test_a_name_in_no_build_says_which_build_was_read_when_the_default_was(runner, built, tmp_path, monkeypatch):
    """A fresh-clone user who built a copy into day-build (as docs/journalist.md advises) and forgot --build was
    told only "no entity named ..." of a name that is in day-build: with the default build read and nothing close,
    the message says it read build/ and how to read another. A build given by --build needs no such line."""
    shutil.copytree(built, tmp_path / "build")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["path", "V", "Lee Min-ah"])
    assert result.exit_code == 1 and result.stderr == (
        "error: no entity named 'Lee Min-ah' in build/ (the default build; give --build DIR to look in another)\n")
    given = runner.invoke(cli, ["path", "V", "Lee Min-ah", "--build", str(built)])
    assert given.exit_code == 1 and given.stderr == "error: no entity named 'Lee Min-ah'\n"
    close = runner.invoke(cli, ["entity", "Tehyung"])  # a close name says more than where it looked
    assert close.stderr == "error: no entity named 'Tehyung'; did you mean: Taehyung (id:v)?\n"
