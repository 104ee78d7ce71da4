"""Every saved query against the bundled graph, through the API and the CLI."""

from __future__ import annotations

import json

import pytest

from collabgraph import CollabGraphError, EntityNotFound
from collabgraph.cli import cli
from collabgraph.views.saved import saved_queries


def rows(result, *names):
    return [tuple(str(r[n]) for n in names) for r in result]


def test_collaborators(kg):
    got = rows(kg.saved("collaborators", agent="Park Seo-joon"), "collaboratorLabel", "workLabel", "role", "theirRole")
    # Peakboy's credit is an editors' inference: its role is marked (issue 21, item 7)
    assert got == [("Choi Woo-shik", "GYOPO HAIRSTYLE", "appearance", "appearance"),
                   ("Park Hyung-sik", "GYOPO HAIRSTYLE", "appearance", "appearance"),
                   ("Peakboy", "GYOPO HAIRSTYLE", "appearance", "performer*"),
                   ("V", "GYOPO HAIRSTYLE", "appearance", "cameo")]
    (why,) = [str(r.why) for r in kg.sparql("SELECT ?why WHERE { fact:lwa-credit-peakboy-gyopo cg:editorsInference ?why }")]
    marks = {str(r["collaboratorLabel"]): r["marks"] for r in kg.saved("collaborators", agent="Park Seo-joon")}
    assert str(marks.pop("Peakboy")) == f"*editor's inference (Peakboy, performer): {why}"
    assert set(marks.values()) == {None}
    # ... and from the marked side: the agent's own role is marked too
    mine = {(str(r["workLabel"]), str(r["role"]), str(r["marks"])) for r in kg.saved("collaborators", agent="Peakboy")}
    assert mine == {("GYOPO HAIRSTYLE", "performer*", f"*editor's inference (Peakboy, performer): {why}")}


def test_works_by_year(kg):
    assert rows(kg.saved("works-by-year", year="2016"), "label", "type", "date", "marks") == [
        ("Hwarang: The Poet Warrior Youth", "KDrama", "2016", "None")]
    got = rows(kg.saved("works-by-year", year="2024"), "label", "date")
    assert ("Love wins all", "2024-01-24") in got and ("Love wins all behind-the-scenes video", "2024-01-28") in got
    assert len(got) == 5  # IU's video "uploaded on January 24" has no year
    # the two Instagram posts are the editors' reading of "Taehyung and IU posted": their dates are marked
    why = {str(r.why) for r in kg.sparql("SELECT ?why WHERE { fact:lwa-v-post-date cg:editorsInference ?why }")}
    posts = {(label, date, marks) for label, date, marks in rows(kg.saved("works-by-year", year="2024"),
                                                                "label", "date", "marks") if "Instagram" in label}
    assert posts == {(f"{who}'s Instagram post of 28 January 2024", "2024-01-28*", f"*editor's inference: {w}")
                     for who in ("V", "IU") for w in why}


def test_credits_by_role(kg):
    """Narrower roles count: actor includes cameo."""
    assert rows(kg.saved("credits-by-role", role="cameo"), "agentLabel", "workLabel") == [("V", "GYOPO HAIRSTYLE")]
    actors = rows(kg.saved("credits-by-role", role="actor"), "agentLabel", "workLabel", "creditRole")
    assert ("V", "GYOPO HAIRSTYLE", "cameo") in actors and ("V", "Hwarang: The Poet Warrior Youth", "actor") in actors
    assert ("IU", "Love wins all music video", "actor") in actors


def test_members_of_group(kg):
    assert rows(kg.saved("members-of-group", group="BTS"), "memberLabel", "marks") == [("V", "None"), ("V", "None")]


def test_facts_with_sources(kg):
    got = rows(kg.saved("facts-with-sources", entity="Peakboy"), "kind", "quote")
    assert got == [("Attestation", "Peakboy's song GYOPO HAIRSTYLE (교포머리)"),
                   ("Credit", "Peakboy's song GYOPO HAIRSTYLE (교포머리)")]


# facts-with-sources as it was before issue 23 rewrote its links as a UNION (2.7x faster on Virtuoso).
FACTS_BY_VALUES = """SELECT ?fact ?kind ?quote ?source ?inference WHERE {
  VALUES ?link { cg:agent cg:work cg:about cg:member cg:group cg:attests }
  ?fact ?link ?entity .
  ?fact a ?k ; cg:source ?s . ?k rdfs:subClassOf cg:Fact .
  ?s rdfs:label ?source .
  OPTIONAL { ?fact cg:quote ?q } OPTIONAL { ?fact cg:locator ?locator }
  OPTIONAL { ?fact cg:editorsInference ?inference }
  BIND (COALESCE(?q, CONCAT("at ", ?locator)) AS ?quote)
  BIND (STRAFTER(STR(?k), "#") AS ?kind)
}
ORDER BY ?kind ?fact ?quote"""


def test_facts_with_sources_gives_what_its_values_form_gave_for_every_entity(kg):
    """The UNION of links answers row for row (duplicates included) what the VALUES ?link form did."""
    from rdflib import URIRef

    entities = [r[0] for r in kg.sparql("SELECT DISTINCT ?e WHERE { ?f cg:source ?s ; ?p ?e . FILTER isIRI(?e) }")]
    assert len(entities) > 50
    names = ("fact", "kind", "quote", "source", "inference")
    answered = 0
    for entity in entities:
        try:
            new = rows(kg.saved("facts-with-sources", entity=str(entity)), *names)
        except EntityNotFound:  # a role, a class or a source: not an entity the query takes
            continue
        old = rows(kg.sparql(FACTS_BY_VALUES, bindings={"entity": URIRef(str(entity))}), *names)
        assert new == old, entity
        answered += bool(new)
    assert answered > 20


def test_co_appearances(kg):
    got = rows(kg.saved("co-appearances", a="IU", b="taehyung"), "workLabel", "roleA", "roleB", "marks")
    (why,) = [str(r.why) for r in kg.sparql("SELECT ?why WHERE { fact:lwa-credit-iu-single cg:editorsInference ?why }")]
    assert ("Love wins all", "performer*", "collaborator", f"*editor's inference (IU, performer): {why}") in got
    assert ("Love wins all music video", "actor", "actor", "None") in got
    # V's appearances on IU's Palette and IU TV are IU's words (a claim of hers), not credits
    assert not [w for w, *_ in got if w in ("IU's Palette", "IU TV")]
    assert len({w for w, *_ in got}) == 4


def test_conflicting_claims(kg):
    got = rows(kg.saved("conflicting-claims"), "label", "value", "claimedBy")
    assert set(got) == {("IU", "15", "IU"), ("IU", "16", "IU"), ("V", "10", "IU"), ("V", "11", "V")}
    assert len(got) == 6  # IU's "15 years" and "10 years" are quoted twice each, one row per quote


def test_top_collaborations(kg):
    first = next(iter(kg.saved("top-collaborations")))
    # four shared works; one (the single) rests on IU's inferred performer credit
    assert (str(first.aLabel), str(first.bLabel), int(first.works), int(first.marked)) == ("IU", "V", 4, 1)
    peakboy = [r for r in kg.saved("top-collaborations") if "Peakboy" in (str(r.aLabel), str(r.bLabel))]
    assert len(peakboy) == 4 and all(int(r.works) == int(r.marked) == 1 for r in peakboy)


def test_entities_by_type(kg):
    people = rows(kg.saved("entities-by-type", type="Person"), "label")
    # Peakboy, Park Seo-joon, Choi Woo-shik, Park Hyung-sik: only named by the article, agents, not said to be persons
    assert [p for (p,) in people] == ["IU", "V"]
    agents = [a for (a,) in rows(kg.saved("entities-by-type", type="Agent"), "label")]
    assert agents == ["BTS", "Choi Woo-shik", "IU", "Park Hyung-sik", "Park Seo-joon", "Peakboy", "V"]
    songs = dict(rows(kg.saved("entities-by-type", type="Song"), "label", "korean"))
    assert songs["GYOPO HAIRSTYLE"] == "교포머리" and "Love wins all" in songs  # singles are songs


def test_every_saved_query_is_tested():
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    untested = set(saved_queries()) - tested
    assert not untested, f"saved queries without a test: {untested}"
    for q in saved_queries().values():
        assert q.title and q.description and all(p.help for p in q.params)


def test_parameter_errors(kg):
    with pytest.raises(CollabGraphError, match="needs --bind agent="):
        kg.saved("collaborators")
    with pytest.raises(CollabGraphError, match="takes agent, not who"):
        kg.saved("collaborators", agent="V", who="IU")
    with pytest.raises(CollabGraphError, match="no role named 'camoe'; did you mean: cameo") as exc:
        kg.saved("credits-by-role", role="camoe")
    assert not isinstance(exc.value, EntityNotFound) and "entity" not in str(exc.value)
    with pytest.raises(CollabGraphError, match="whole number"):
        kg.saved("works-by-year", year="last year")
    with pytest.raises(CollabGraphError, match="no saved query"):
        kg.saved("nope")


def test_cli_saved_and_list(runner, built):
    out = runner.invoke(cli, ["sparql", "--list", "--build", str(built)]).output
    assert "collaborators  --bind agent=<entity>" in out
    result = runner.invoke(cli, ["sparql", "--saved", "collaborators", "--bind", "agent=V", "--format", "json",
                                 "--build", str(built)])
    assert result.exit_code == 0, result.stderr
    labels = {b["collaboratorLabel"]["value"] for b in json.loads(result.output)["results"]["bindings"]}
    assert labels == {"IU", "Peakboy", "Park Seo-joon", "Choi Woo-shik", "Park Hyung-sik"}
    bad = runner.invoke(cli, ["sparql", "--saved", "collaborators", "--bind", "agent=Nobody", "--build", str(built)])
    assert bad.exit_code == 1 and bad.stderr.startswith("error: no entity named 'Nobody'")


# The texts of conflicting-claims and credits-by-role before they were
# rewritten for speed (they took tens of seconds at 100k triples): the rewrite
# must give the very same rows, in the same order.
NAIVE = {
    "conflicting-claims": """SELECT ?entity ?label ?property ?value ?claimedBy ?quote WHERE {
  ?c1 a cg:Claim ; cg:about ?entity ; cg:property ?property ; cg:value ?value .
  OPTIONAL { ?c1 cg:quote ?q } OPTIONAL { ?c1 cg:locator ?locator }
  BIND (COALESCE(?q, CONCAT("at ", ?locator)) AS ?quote)
  FILTER EXISTS { ?c2 a cg:Claim ; cg:about ?entity ; cg:property ?property ; cg:value ?other . FILTER (?other != ?value) }
  FILTER (?property != cg:note && ?property != cg:occupation && ?property != cg:portrayedByOneOf && ?property != cg:mentions)
  OPTIONAL { ?c1 cg:claimedBy ?by . ?by rdfs:label ?claimedBy . FILTER (LANG(?claimedBy) IN ("en", "")) }
  ?entity rdfs:label ?label . FILTER (LANG(?label) IN ("en", ""))
}
ORDER BY ?label ?property ?value ?quote""",
    # (with the marks added since, written the same naive way)
    "credits-by-role": """SELECT ?agent ?agentLabel ?work ?workLabel ?creditRole ?quote ?marks WHERE {
  ?r skos:broader* ?role .
  ?c a cg:Credit ; cg:role ?r ; cg:agent ?agent ; cg:work ?work .
  OPTIONAL { ?c cg:quote ?q } OPTIONAL { ?c cg:locator ?locator }
  BIND (COALESCE(?q, CONCAT("at ", ?locator)) AS ?quote)
  ?agent rdfs:label ?agentLabel . FILTER (LANG(?agentLabel) IN ("en", ""))
  ?work rdfs:label ?workLabel . FILTER (LANG(?workLabel) IN ("en", ""))
  OPTIONAL { ?c cg:editorsInference ?why }
  OPTIONAL { ?c cg:claimedBy ?who . ?who rdfs:label ?by . FILTER (LANG(?by) IN ("en", "")) }
  BIND (CONCAT(STRAFTER(STR(?r), "/role/"), IF(BOUND(?why) || BOUND(?who), "*", "")) AS ?creditRole)
  BIND (IF(BOUND(?why) || BOUND(?who), CONCAT(IF(BOUND(?why), CONCAT("*editor's inference: ", ?why), ""),
        IF(BOUND(?by), CONCAT(IF(BOUND(?why), "; ", ""), "*claimed by ", ?by), "")), ?unbound) AS ?marks)
}
ORDER BY ?agentLabel ?workLabel ?creditRole ?quote""",
}

# Claims that disagree, added to a generated graph (which has none): dates
# and numbers, said by someone or not, cited by quote or by locator; two
# claims that agree (no conflict); a conflict on an excluded property.
CONFLICTS = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix fact: <https://w3id.org/collabgraph/fact/> .
@prefix source: <https://w3id.org/collabgraph/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

source:conflicts a cg:SourceDocument ; rdfs:label "Conflicting reports"@en .
fact:x1 a cg:Claim ; cg:about id:w0 ; cg:property cg:releaseDate ; cg:value "1999-01-02"^^xsd:date ;
    cg:claimedBy id:a1 ; cg:source source:conflicts ; cg:quote "it came out in 1999, a1 says" .
fact:x2 a cg:Claim ; cg:about id:w0 ; cg:property cg:releaseDate ; cg:value "1998-03-04"^^xsd:date ;
    cg:source source:conflicts ; cg:locator "row 7" .
fact:x3 a cg:Claim ; cg:about id:w1 ; cg:property cg:releaseDate ; cg:value "2001"^^xsd:gYear ;
    cg:claimedBy id:a2 ; cg:source source:conflicts ; cg:quote "2001, said a2", "a2 again: 2001" .
fact:x4 a cg:Claim ; cg:about id:a3 ; cg:property cg:yearsInFrontOfCamera ; cg:value 7 ;
    cg:claimedBy id:a3 ; cg:source source:conflicts ; cg:quote "seven years, a3 said" .
fact:x5 a cg:Claim ; cg:about id:a3 ; cg:property cg:yearsInFrontOfCamera ; cg:value 9 ;
    cg:claimedBy id:a4 ; cg:source source:conflicts ; cg:quote "nine years, said a4" .
fact:x6 a cg:Claim ; cg:about id:a5 ; cg:property cg:yearsInFrontOfCamera ; cg:value 3 ;
    cg:source source:conflicts ; cg:quote "three years" .
fact:x7 a cg:Claim ; cg:about id:a5 ; cg:property cg:yearsInFrontOfCamera ; cg:value 3 ;
    cg:source source:conflicts ; cg:quote "three years again" .
fact:x8 a cg:Claim ; cg:about id:a6 ; cg:property cg:occupation ; cg:value cg:Actor ;
    cg:source source:conflicts ; cg:quote "a6 raps" .
"""


@pytest.fixture(scope="module")
def generated_build(tmp_path_factory):
    from collabgraph import build
    from collabgraph.importers.generate import generate

    from .conftest import ONTOLOGY

    root = tmp_path_factory.mktemp("rewrite")
    generate(400, root / "g", seed=5)
    (root / "g" / "conflicts.ttl").write_text(CONFLICTS, encoding="utf-8")
    build(root / "g", ONTOLOGY, root / "b")
    return root / "b"


@pytest.mark.parametrize("name,params", [("conflicting-claims", {}), ("credits-by-role", {"role": "performer"}),
                                         ("credits-by-role", {"role": "actor"}),
                                         ("credits-by-role", {"role": "songwriter"})])
def test_rewritten_saved_queries_answer_as_before(generated_build, kg, name, params):
    """The fast texts give the naive texts' rows, in order, on a generated
    graph with conflicting claims and on the bundled graph."""
    from collabgraph import CollabGraph
    from collabgraph.views.saved import bind_saved

    answers = []
    for graph in (CollabGraph.open(generated_build), kg):
        query, bindings = bind_saved(graph.reader, name, params)
        new = [tuple(map(str, row)) for row in graph.store.query(query.text, bindings)]
        old = [tuple(map(str, row)) for row in graph.store.query(NAIVE[name], bindings)]
        assert new == old
        answers.append(new)
    assert answers[0]  # the generated graph has rows for each
    if name == "conflicting-claims":
        generated = answers[0]
        assert len({row[0] for row in generated}) == 3  # w0, w1 and a3 disagree; a5 agrees, a6's occupation is excluded
        assert len(generated) == 8  # w0: its own date and two more; w1: its own and x3, quoted twice; a3: two
        assert any(row[5] == '"at row 7"' for row in generated)


# The texts of `collaborators` and `facts-with-sources` before every triple
# pattern was moved ahead of the OPTIONALs and BINDs (over 60 s for a hub at 1M).
NAIVE_BY_ENTITY = {
    "collaborators": ("agent", """SELECT ?collaborator ?collaboratorLabel ?work ?workLabel ?role ?theirRole ?quote ?marks WHERE {
  ?mine cg:agent ?agent ; cg:work ?work ; cg:role ?r1 .
  ?theirs cg:agent ?collaborator ; cg:work ?work ; cg:role ?r2 .
  OPTIONAL { ?theirs cg:quote ?q } OPTIONAL { ?theirs cg:locator ?locator }
  BIND (COALESCE(?q, CONCAT("at ", ?locator)) AS ?quote)
  FILTER (?collaborator != ?agent && !(?r1 = role:guest && ?r2 = role:guest))
  ?collaborator rdfs:label ?collaboratorLabel . FILTER (LANG(?collaboratorLabel) IN ("en", ""))
  ?work rdfs:label ?workLabel . FILTER (LANG(?workLabel) IN ("en", ""))
  OPTIONAL { ?mine cg:editorsInference ?why1 }
  OPTIONAL { ?mine cg:claimedBy ?who1 . ?who1 rdfs:label ?by1 . FILTER (LANG(?by1) IN ("en", "")) }
  OPTIONAL { ?theirs cg:editorsInference ?why2 }
  OPTIONAL { ?theirs cg:claimedBy ?who2 . ?who2 rdfs:label ?by2 . FILTER (LANG(?by2) IN ("en", "")) }
  OPTIONAL { ?agent rdfs:label ?agentLabel . FILTER (LANG(?agentLabel) IN ("en", "")) }
  BIND (BOUND(?why1) || BOUND(?who1) AS ?marked1) BIND (BOUND(?why2) || BOUND(?who2) AS ?marked2)
  BIND (CONCAT(STRAFTER(STR(?r1), "/role/"), IF(?marked1, "*", "")) AS ?role)
  BIND (CONCAT(STRAFTER(STR(?r2), "/role/"), IF(?marked2, "*", "")) AS ?theirRole)
  BIND (CONCAT(
    IF(BOUND(?why1), CONCAT("*editor's inference (", ?agentLabel, ", ", STRAFTER(STR(?r1), "/role/"), "): ", ?why1, "; "), ""),
    IF(BOUND(?by1), CONCAT("*claimed by ", ?by1, " (", ?agentLabel, ", ", STRAFTER(STR(?r1), "/role/"), "); "), ""),
    IF(BOUND(?why2), CONCAT("*editor's inference (", ?collaboratorLabel, ", ", STRAFTER(STR(?r2), "/role/"), "): ", ?why2, "; "), ""),
    IF(BOUND(?by2), CONCAT("*claimed by ", ?by2, " (", ?collaboratorLabel, ", ", STRAFTER(STR(?r2), "/role/"), "); "), "")) AS ?m)
  BIND (IF(?m = "", ?unbound, REPLACE(?m, "; $", "")) AS ?marks)
}
ORDER BY ?collaboratorLabel ?workLabel ?role ?theirRole ?quote"""),
    "facts-with-sources": ("entity", """SELECT ?fact ?kind ?quote ?source ?inference WHERE {
  ?fact ?link ?entity .
  FILTER (?link IN (cg:agent, cg:work, cg:about, cg:member, cg:group, cg:attests))
  ?fact a ?k ; cg:source ?s . ?k rdfs:subClassOf cg:Fact .
  OPTIONAL { ?fact cg:quote ?q } OPTIONAL { ?fact cg:locator ?locator }
  BIND (COALESCE(?q, CONCAT("at ", ?locator)) AS ?quote)
  ?s rdfs:label ?source .
  OPTIONAL { ?fact cg:editorsInference ?inference }
  BIND (STRAFTER(STR(?k), "#") AS ?kind)
}
ORDER BY ?kind ?fact ?quote"""),
}


@pytest.mark.parametrize("name", sorted(NAIVE_BY_ENTITY))
def test_rewritten_entity_queries_answer_as_before(generated_build, kg, name):
    """The same rows in the same order as the old texts, for 20 agents and
    works of a generated graph and for every agent of the bundled graph."""
    import pyoxigraph as ox

    from collabgraph import CollabGraph
    from collabgraph.views.saved import saved_queries

    param, naive = NAIVE_BY_ENTITY[name]
    text = saved_queries()[name].text
    compared = 0
    for graph in (CollabGraph.open(generated_build), kg):
        entities = [r["e"].value for r in graph.store.query(
            "SELECT DISTINCT ?e WHERE { { ?c cg:agent ?e } UNION { ?c cg:work ?e } } ORDER BY ?e LIMIT 20")]
        for iri in entities:
            binding = {param: ox.NamedNode(iri)}
            new = [tuple(map(str, row)) for row in graph.store.query(text, binding)]
            assert new == [tuple(map(str, row)) for row in graph.store.query(naive, binding)], iri
            compared += bool(new)
    assert compared >= 20


def test_top_collaborations_from_counted_pairs_answer_as_the_saved_text(generated_build, kg):
    """The build counts the pairs once (cache/top-collaborations.json) and the
    saved query reads them: the rows, in order, are the saved text's, on a
    generated graph and on the bundled one (guests, editors' inferences)."""
    from collabgraph import CollabGraph
    from collabgraph.views.saved import bind_saved, saved_queries

    assert (generated_build / "cache" / "top-collaborations.json").is_file()
    text = saved_queries()["top-collaborations"].text
    for graph in (CollabGraph.open(generated_build), kg):
        query, _ = bind_saved(graph.reader, "top-collaborations", {})
        assert query.text != text and "VALUES (?a ?b ?works ?marked)" in query.text
        fast = [tuple(map(str, row)) for row in graph.saved("top-collaborations")]
        assert fast == [tuple(map(str, row)) for row in graph.sparql(text)]
        assert len(fast) >= 5
    assert any(row[5] != "0" for row in fast)  # a marked pair


def test_top_collaborations_counts_are_made_again_when_the_cache_is_gone(generated_build, tmp_path):
    """A build without the file (an incremental build, or one from before it)
    counts the pairs on first use and keeps them; a damaged file is counted again."""
    import shutil

    from collabgraph import CollabGraph
    from collabgraph.views.saved import saved_queries

    copy = tmp_path / "b"
    shutil.copytree(generated_build, copy, symlinks=True)
    pairs = copy / "cache" / "top-collaborations.json"
    text = saved_queries()["top-collaborations"].text
    for damage in (pairs.unlink, lambda: pairs.write_text("{not json", "utf-8")):
        damage()
        with CollabGraph.open(copy) as graph:
            fast = [tuple(map(str, row)) for row in graph.saved("top-collaborations")]
            assert fast == [tuple(map(str, row)) for row in graph.sparql(text)]
        assert json.loads(pairs.read_text("utf-8"))["pairs"]


def test_top_collaborations_with_hundreds_of_tied_pairs_still_read_the_counts(tmp_path):
    """A big graph has thousands of pairs tied with the 25th (one or two shared
    works each). Only the tied pairs whose labels can still rank are kept, so
    the saved query reads the counts instead of joining every credit (over 120 s
    at 10M): the same rows, in order, as the saved text; labels ordered against
    IRIs, and agents with two labels, on purpose."""
    from collabgraph import CollabGraph, build
    from collabgraph.views.saved import bind_saved, saved_queries

    from .conftest import ONTOLOGY

    lines = ["@prefix cg: <https://w3id.org/collabgraph/ns#> .", "@prefix id: <https://w3id.org/collabgraph/id/> .",
             "@prefix fact: <https://w3id.org/collabgraph/fact/> .", "@prefix schema: <https://schema.org/> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "@prefix role: <https://w3id.org/collabgraph/role/> .",
             'id:src a cg:SourceDocument ; rdfs:label "A list"@en ; schema:url <https://example.org/list> .']

    def entity(iri: str, kind: str, labels: str, name: str) -> None:
        lines.append(f"{iri} a cg:{kind} ; rdfs:label {labels} .")
        lines.append(f'fact:att-{iri[3:]} a cg:Attestation ; cg:attests {iri} ; cg:name "{name}" ; '
                     f'cg:source id:src ; cg:quote "{name} is named here" .')

    n = 40  # agents; every pair shares one song (780 pairs tie), two pairs share a second one
    for i in range(n):
        # IRIs ascend with i, labels descend: the tie-break by label is not the order of the IRIs
        name = f"Artist {n - i:03d}"
        entity(f"id:a{i:03d}", "Person", f'"{name}"@en' + (f', "artist {n - i:03d}"' if i % 7 == 0 else ""), name)
    songs = [(i, j) for i in range(n) for j in range(i + 1, n)] + [(1, 2), (3, 4)]
    for k, (i, j) in enumerate(songs):
        entity(f"id:s{k}", "Song", f'"Song {k}"@en', f"Song {k}")
        for who, role in ((i, "performer"), (j, "featuredArtist")):
            lines.append(f"fact:c{k}-{who} a cg:Credit ; cg:agent id:a{who:03d} ; cg:work id:s{k} ; "
                         f'cg:role role:{role} ; cg:source id:src ; cg:quote "Artist {n - who:03d} on Song {k}" .')
    graph = tmp_path / "g"
    graph.mkdir()
    (graph / "pairs.ttl").write_text("\n".join(lines) + "\n", "utf-8")
    build(graph, ONTOLOGY, tmp_path / "b")
    kept = json.loads((tmp_path / "b" / "cache" / "top-collaborations.json").read_text("utf-8"))["pairs"]
    assert len(kept) < 100 < len(songs)  # 780 pairs tie at one work
    with CollabGraph.open(tmp_path / "b") as kg:
        query, _ = bind_saved(kg.reader, "top-collaborations", {})
        assert "VALUES (?a ?b ?works ?marked)" in query.text
        fast = [tuple(map(str, row)) for row in kg.saved("top-collaborations")]
        assert fast == [tuple(map(str, row)) for row in kg.sparql(saved_queries()["top-collaborations"].text)]
    assert len(fast) == 25 and fast[0][4] == fast[1][4] == "2"
