"""Editors' inferences (cg:editorsInference) are visible as such: in the API
records, in their JSON, and on the CLI's lines (issue 8, "Over-reach").

The reasons are read from the data with SPARQL, never written out here."""

from __future__ import annotations

import json
import shutil

import pytest

from collabgraph import CollabGraph
from collabgraph import build
from collabgraph.cli import cli
from collabgraph.core.namespaces import curie

from .conftest import DATA, ONTOLOGY

INFERRED_CREDITS = """SELECT ?fact ?why WHERE { ?fact a cg:Credit ; cg:editorsInference ?why }"""


def inferred_credits(kg: CollabGraph) -> dict[str, str]:
    """credit CURIE -> the editors' reason, for every inferred credit of the graph."""
    return {curie(str(row.fact)): str(row.why) for row in kg.sparql(INFERRED_CREDITS)}


@pytest.fixture(scope="module")
def with_claim(tmp_path_factory):
    """The article's files plus tests/data/inferred: a claim that is an editor's
    inference; as (graph directory, build directory)."""
    from .layout import lay_out

    graph = lay_out(tmp_path_factory.mktemp("inferred"))
    shutil.copy(DATA / "inferred" / "inferred-claim.ttl", graph)
    out = graph.parent / "build"
    build(graph, ONTOLOGY, out)
    return graph, out


def run(runner, *args):
    result = runner.invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


# -- API -------------------------------------------------------------------------------

def test_credits_carry_the_editors_reason(kg):
    reasons = inferred_credits(kg)
    assert len(reasons) >= 3  # IU on the single and her talk show, Peakboy on his song
    for name in ("IU", "Peakboy", "Love wins all", "GYOPO HAIRSTYLE"):
        for c in kg.credits(name):
            assert c.editors_inference == reasons.get(curie(c.iri))
            assert c.to_dict()["editors_inference"] == reasons.get(curie(c.iri))
    mine = {curie(c.iri): c.editors_inference for name in ("IU", "Peakboy") for c in kg.works(name)}
    assert {f: r for f, r in mine.items() if r} == {f: r for f, r in reasons.items() if f in mine}
    assert any(mine.values()) and not all(mine.values())


def test_shared_works_and_hops_carry_it_through_their_credits(kg):
    reasons = inferred_credits(kg)
    for collaborator in kg.collaborators("Peakboy"):
        for w in collaborator.works:
            for c in w.credits:
                assert c.editors_inference == reasons.get(curie(c.iri))
            assert [c.iri for c in w.inferred] == [c.iri for c in w.credits if curie(c.iri) in reasons]
    hops = kg.path("Peakboy", "IU")
    inferred = [c for h in hops for c in h.credits if c.editors_inference]
    assert {(c.agent.label, c.role) for c in inferred} == {("Peakboy", "performer"), ("IU", "performer")}
    for h in hops:
        assert [c["editors_inference"] for c in h.to_dict()["credits"]] == [
            reasons.get(curie(c.iri)) for c in h.works[0].credits]


def test_claims_carry_it_too(with_claim):
    graph, _ = with_claim
    kg = CollabGraph.load(graph, ONTOLOGY)
    (reason,) = [str(r.why) for r in kg.sparql(
        "SELECT ?why WHERE { fact:test-occupation-peakboy-singer cg:editorsInference ?why }")]
    claims = kg.claims("Peakboy")
    assert [(c.value_label, c.editors_inference) for c in claims] == [("singer", reason)]
    assert claims[0].to_dict()["editors_inference"] == reason
    assert all(c.editors_inference is None for c in kg.claims("IU"))


# -- CLI ---------------------------------------------------------------------------------

def test_works_and_entity_mark_inferred_credits_on_their_line(runner, built, kg):
    reasons = inferred_credits(kg)
    for command in ("works", "entity"):
        out = run(runner, command, "IU", "--build", built).output
        for c in kg.works("IU"):
            lines = [line for line in out.splitlines() if line.startswith(c.work.label + "  ")
                     and f" {c.role}" in line and c.quotes[0] in line]
            assert len(lines) == 1, (c, out)  # still one line per credit
            reason = reasons.get(curie(c.iri))
            if reason:
                assert f" {c.role}* " in lines[0]
                assert lines[0].endswith(f"[*editor's inference: {reason}]")
            else:
                assert "editor's inference" not in lines[0] and f"{c.role}*" not in lines[0]
    data = json.loads(run(runner, "entity", "IU", "--build", built, "--format", "json").output)
    assert {c["credit"]: c["editors_inference"] for c in data["credits"] if c["editors_inference"]} == {
        f: r for f, r in reasons.items() if f in {c["credit"] for c in data["credits"]}}
    data = json.loads(run(runner, "works", "Peakboy", "--build", built, "--format", "json").output)
    assert [c["editors_inference"] for c in data["credits"]] == [reasons["fact:lwa-credit-peakboy-gyopo"]]


def test_timeline_marks_the_inferred_credits_and_gives_each_reason(runner, built, kg):
    reasons = inferred_credits(kg)
    out = run(runner, "timeline", "IU", "--build", built).output.splitlines()
    mine = [c for c in kg.credits("IU")]
    marked = [c for c in mine if reasons.get(curie(c.iri))]
    assert marked and len(marked) < len(mine)
    for c in mine:
        rows = [line for line in out if f"  {c.work.label}  " in line and line.rstrip().endswith(f"  {c.role}*")]
        assert len(rows) == (1 if c in marked else 0), (c, out)
        notes = [line for line in out if line == f"*{c.work.label}, {c.role}: editor's inference: "
                 f"{reasons.get(curie(c.iri))}"]
        assert len(notes) == (1 if c in marked else 0), (c, out)
    # CSV keeps the role a plain value; the JSON carries the reason
    csv_rows = run(runner, "timeline", "IU", "--build", built, "--format", "csv").output
    assert "*" not in csv_rows and "editor's inference" not in csv_rows
    data = json.loads(run(runner, "timeline", "IU", "--build", built, "--format", "json").output)
    given = [c["editors_inference"] for y in data["years"] for c in y["credits"]] + \
        [c["editors_inference"] for c in data["undated"]]
    assert sorted(r for r in given if r) == sorted(reasons[curie(c.iri)] for c in marked)


def test_collaborators_mark_the_inferred_role_and_say_whose_it_is(runner, built, kg):
    reason = inferred_credits(kg)["fact:lwa-credit-peakboy-gyopo"]
    out = run(runner, "collaborators", "Peakboy", "--build", built).output.splitlines()
    rows = out[2:]
    assert len(rows) == sum(len(c.works) for c in kg.collaborators("Peakboy"))
    for row in rows:
        assert "  performer*  " in row
        assert row.endswith(f"[*editor's inference (Peakboy, performer): {reason}]")
    data = json.loads(run(runner, "collaborators", "V", "--build", built, "--format", "json").output)
    peakboy = next(c for c in data["collaborators"] if c["agent"]["label"] == "Peakboy")
    assert [c["editors_inference"] for w in peakboy["works"] for c in w["credits"] if c["agent"] == "id:peakboy"] \
        == [reason]


def test_credits_by_role_marks_the_inferred_credits_and_gives_the_reason(kg):
    """The saved query credits-by-role shows the mark, as the other saved queries do (issue 21, item 7)."""
    reasons = inferred_credits(kg)
    rows = [r.asdict() for r in kg.saved("credits-by-role", role="performer")]
    marked = {(str(r["agentLabel"]), str(r["workLabel"])): (str(r["creditRole"]), str(r["marks"]))
              for r in rows if "marks" in r}
    assert marked == {("IU", "Love wins all"): ("performer*", f"*editor's inference: {reasons['fact:lwa-credit-iu-single']}"),
                      ("Peakboy", "GYOPO HAIRSTYLE"): ("performer*",
                                                       f"*editor's inference: {reasons['fact:lwa-credit-peakboy-gyopo']}")}
    plain = [r for r in rows if "marks" not in r]
    assert plain and all(str(r["creditRole"]) == "performer" for r in plain)


def test_path_marks_each_inferred_credit_of_a_hop_with_its_reason(runner, built, kg):
    out = run(runner, "path", "Peakboy", "IU", "--build", built).output.splitlines()
    for h in kg.path("Peakboy", "IU"):
        for c in h.credits:
            note = f"   *editor's inference ({c.agent.label}, {c.role}): {c.editors_inference}"
            assert (note in out) == bool(c.editors_inference)
    assert "1. Peakboy (performer*) and V (cameo) on GYOPO HAIRSTYLE [Song]" in out
    hops = json.loads(run(runner, "path", "Peakboy", "IU", "--build", built, "--format", "json").output)
    assert {c["agent"] for h in hops for c in h["credits"] if c["editors_inference"]} == {"id:peakboy", "id:iu"}


def test_entity_marks_an_inferred_claim(runner, with_claim):
    _, out_dir = with_claim
    kg = CollabGraph.open(out_dir)
    (claim,) = kg.claims("Peakboy")
    out = run(runner, "entity", "Peakboy", "--build", out_dir).output.splitlines()
    (line,) = [line for line in out if line.startswith("cg:occupation")]
    assert "  singer*  " in line and line.endswith(f"[*editor's inference: {claim.editors_inference}]")
    data = json.loads(run(runner, "entity", "Peakboy", "--build", out_dir, "--format", "json").output)
    assert [c["editors_inference"] for c in data["claims"]] == [claim.editors_inference]
    kg.close()


def test_the_saved_facts_query_gives_the_reason(kg):
    reasons = inferred_credits(kg)
    got = {(curie(str(r["fact"])), r["kind"].toPython(), r["inference"].toPython() if r["inference"] else None)
           for r in kg.saved("facts-with-sources", entity="Peakboy")}
    assert ("fact:lwa-credit-peakboy-gyopo", "Credit", reasons["fact:lwa-credit-peakboy-gyopo"]) in got
    assert ("fact:lwa-att-peakboy", "Attestation", None) in got


# -- derived edges keep the mark (issue 21, item 7) ------------------------------------------

MARKED = """SELECT ?s ?p ?o ?fact ?why ?who WHERE { GRAPH graph:inferred {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?fact .
  OPTIONAL { ?st cg:editorsInference ?why } OPTIONAL { ?st cg:claimedBy ?who } } }"""


def marked_statements(kg: CollabGraph) -> set[tuple]:
    return {(curie(str(r.s)), curie(str(r.p)), str(r.o) if r.o.__class__.__name__ == "Literal" else curie(str(r.o)),
             curie(str(r.fact)), str(r.why) if r.why else None, curie(str(r.who)) if r.who else None)
            for r in kg.sparql(MARKED)}


def plain(kg: CollabGraph, s: str, p: str, o: str) -> bool:
    return kg.sparql(f"ASK {{ GRAPH graph:inferred {{ {s} {p} {o} }} }}").askAnswer


def test_an_inferred_credit_derives_no_plain_edge_but_a_marked_statement(kg):
    reasons = inferred_credits(kg)
    # the edges the issue names: each only as a statement carrying the mark and its credit
    assert not plain(kg, "id:love-wins-all", "cg:performer", "id:iu")
    assert not plain(kg, "id:gyopo-hairstyle", "cg:performer", "id:peakboy")
    assert not plain(kg, "id:peakboy", "cg:creditedOn", "id:gyopo-hairstyle")
    assert not plain(kg, "id:iu", "cg:appearsIn", "id:ius-palette")
    for other in ("id:v", "id:park-seo-joon", "id:choi-woo-shik", "id:park-hyung-sik"):
        assert not plain(kg, "id:peakboy", "cg:collaboratedWith", other)
        assert not plain(kg, other, "cg:collaboratedWith", "id:peakboy")
    marked = marked_statements(kg)
    peakboy = reasons["fact:lwa-credit-peakboy-gyopo"]
    assert ("id:love-wins-all", "cg:performer", "id:iu", "fact:lwa-credit-iu-single",
            reasons["fact:lwa-credit-iu-single"], None) in marked
    assert ("id:gyopo-hairstyle", "cg:performer", "id:peakboy", "fact:lwa-credit-peakboy-gyopo", peakboy, None) in marked
    pairs = {(s, o) for s, p, o, fact, why, _ in marked
             if p == "cg:collaboratedWith" and fact == "fact:lwa-credit-peakboy-gyopo" and why == peakboy}
    assert pairs == {("id:choi-woo-shik", "id:peakboy"), ("id:park-hyung-sik", "id:peakboy"),
                     ("id:park-seo-joon", "id:peakboy"), ("id:peakboy", "id:v")}
    # a pair with a credit of its own on another work keeps its plain edge (IU and V act in the video)
    assert plain(kg, "id:iu", "cg:collaboratedWith", "id:v")
    # every marked statement says why, or whose words it rests on
    assert marked and all(why or who for *_, why, who in marked)


def test_every_plain_inferred_edge_rests_on_an_unmarked_fact(kg):
    """No plain edge of graph:inferred has only marked facts behind it."""
    unsupported = list(kg.sparql("""
        SELECT ?s ?p ?o WHERE {
          GRAPH graph:inferred { ?s ?p ?o }
          FILTER (?p IN (cg:creditedOn, cg:appearsIn, cg:performer, cg:castMember))
          FILTER NOT EXISTS {
            ?c a cg:Credit ; cg:agent ?agent ; cg:work ?work .
            FILTER ((?s = ?agent && ?o = ?work) || (?s = ?work && ?o = ?agent))
            FILTER NOT EXISTS { ?c cg:editorsInference|cg:claimedBy ?mark } } }"""))
    assert unsupported == []
    unsupported = list(kg.sparql("""
        SELECT ?a ?b WHERE {
          GRAPH graph:inferred { ?a cg:collaboratedWith ?b }
          FILTER NOT EXISTS {
            ?x a cg:Credit ; cg:agent ?a ; cg:work ?w . ?y a cg:Credit ; cg:agent ?b ; cg:work ?w .
            FILTER NOT EXISTS { ?x cg:editorsInference|cg:claimedBy ?m1 }
            FILTER NOT EXISTS { ?y cg:editorsInference|cg:claimedBy ?m2 } } }"""))
    assert unsupported == []


def test_an_inferred_claim_is_not_flattened(with_claim):
    graph, _ = with_claim
    kg = CollabGraph.load(graph, ONTOLOGY)
    (reason,) = [str(r.why) for r in kg.sparql(
        "SELECT ?why WHERE { fact:test-occupation-peakboy-singer cg:editorsInference ?why }")]
    assert not plain(kg, "id:peakboy", "cg:occupation", "cg:Singer")
    assert ("id:peakboy", "cg:occupation", "cg:Singer", "fact:test-occupation-peakboy-singer", reason, None) \
        in marked_statements(kg)
    # ... and the article's marked claims: V's message is the text of his post only by the editors' reading
    assert not plain(kg, "id:v-instagram-post-2024-01-28", "cg:text", '"Be happy, Tae-joon and Ji-hye."')
    assert not plain(kg, "id:v-instagram-post-2024-01-28", "cg:mentions", "id:tae-joon")
    # someone's words: the claimant is on the statement
    assert ("id:v", "cg:yearsInFrontOfCamera", "10", "fact:lwa-v-years-10", None, "id:iu") in marked_statements(kg)


def test_facts_resting_on_an_inferred_attestation_carry_the_mark(kg):
    """The attestation says V's message is in his post only by the editors'
    reading: every fact about the post's text and the posts themselves says so,
    in the API, its JSON and the CLI's claim lines."""
    (message,) = [str(r.why) for r in kg.sparql("SELECT ?why WHERE { fact:lwa-att-v-post-message cg:editorsInference ?why }")]
    claims = {c.property: c for c in kg.claims("id:v-instagram-post-2024-01-28")}
    for prop in ("cg:text", "cg:mentions"):
        assert claims[prop].editors_inference and "fact:lwa-att-v-post-message" in claims[prop].editors_inference
        assert claims[prop].to_dict()["editors_inference"] == claims[prop].editors_inference
    assert message.split(";")[0].removeprefix("The article reports") in claims["cg:text"].editors_inference
    own_posts = [c for c in kg.works("V") if c.work.label.startswith("V's Instagram post")]
    assert own_posts and all(c.editors_inference and "fact:lwa-att-v-post" in c.editors_inference for c in own_posts)


def test_cli_entity_marks_the_claims_about_vs_message(runner, built, kg):
    out = run(runner, "entity", "id:v-instagram-post-2024-01-28", "--build", built).output.splitlines()
    (line,) = [line for line in out if line.startswith("cg:text")]
    (claim,) = [c for c in kg.claims("id:v-instagram-post-2024-01-28") if c.property == "cg:text"]
    assert "*" in line and line.endswith(f"[*editor's inference: {claim.editors_inference}]")


def test_paths_through_a_marked_collaboration_still_show_the_mark(runner, built):
    out = run(runner, "path", "Park Seo-joon", "Peakboy", "--build", built).output.splitlines()
    assert any("Peakboy (performer*)" in line for line in out), out
    assert any(line.strip().startswith("*editor's inference (Peakboy, performer):") for line in out), out


def test_an_incremental_build_keeps_the_marks_as_a_full_build_does(tmp_path):
    """Marking or unmarking a credit, then building incrementally, gives the
    full build's graph:inferred: the marked statements follow the marks."""
    import json

    from .layout import lay_out
    from .test_incremental import dataset

    from collabgraph.importers.generate import generate

    graph = lay_out(tmp_path / "src")
    generate(400, graph / "generated", seed=3)  # so the article is a small share: an incremental build
    out = tmp_path / "build"
    build(graph, ONTOLOGY, out)
    path = graph / "love-wins-all-article.ttl"
    text = path.read_text("utf-8")
    peakboy = ('    cg:editorsInference "The article calls it \\"Peakboy\'s song\\"; that Peakboy is its main '
               'performer is the editors\' reading." ;\n')
    cameo = "    cg:agent id:v ; cg:work id:gyopo-hairstyle ; cg:role role:cameo ;\n"
    assert text.count(peakboy) == 1 and text.count(cameo) == 1
    path.write_text(text.replace(peakboy, "").replace(
        cameo, cameo + '    cg:editorsInference "A test: the editors now doubt the cameo." ;\n'), "utf-8")
    build(graph, ONTOLOGY, out)
    assert json.loads((out / "manifest.json").read_text())["incremental"]["changed"]
    full = tmp_path / "full"
    build(graph, ONTOLOGY, full, incremental=False)
    assert dataset(out) == dataset(full)
    with CollabGraph.open(out) as kg:
        assert plain(kg, "id:gyopo-hairstyle", "cg:performer", "id:peakboy")
        assert not plain(kg, "id:gyopo-hairstyle", "cg:castMember", "id:v")
        marked = marked_statements(kg)
        # Peakboy's credit is plain now: only his pair with V rests on a mark, the cameo's
        assert [m for m in marked if m[3] == "fact:lwa-credit-peakboy-gyopo"] == [
            ("id:peakboy", "cg:collaboratedWith", "id:v", "fact:lwa-credit-peakboy-gyopo",
             "A test: the editors now doubt the cameo.", None)]
        assert plain(kg, "id:park-seo-joon", "cg:collaboratedWith", "id:peakboy")
        assert ("id:gyopo-hairstyle", "cg:castMember", "id:v", "fact:lwa-credit-v-gyopo",
                "A test: the editors now doubt the cameo.", None) in marked
