"""Edge cases of names and paths found by trying the tool as a new user:
one entity under two names, names shaped like identifiers, undecodable text,
partial names, and lookup keys that must never pass for data."""

from __future__ import annotations

import pytest

from collabgraph import EntityNotFound, SameEntity
from collabgraph.cli import cli

V = "https://w3id.org/collabgraph/id/v"


@pytest.mark.parametrize("a,b", [("IU", "IU"), ("V", "taehyung"), ("id:v", "Kim Taehyung")])
def test_path_between_one_entity_under_two_names_is_a_clear_error(kg, a, b):
    with pytest.raises(SameEntity, match="same entity"):
        kg.path(a, b)


def test_path_with_one_entity_on_the_cli_is_one_line(runner, built):
    res = runner.invoke(cli, ["path", "V", "taehyung", "--build", str(built)])
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and "same entity" in lines[0] and "V (id:v)" in lines[0]


@pytest.mark.parametrize("name", [
    "foo:bar", "id:", "id:no such thing", "http://", "https://exa mple.org/x", "https://w3id.org/collabgraph/id/<v>",
    "cg:Person", "rdfs:", "urn:x", "http://example.org/nothing",
])
def test_names_shaped_like_identifiers_are_just_names_not_found(kg, name):
    with pytest.raises(EntityNotFound):
        kg.entity(name)


@pytest.mark.parametrize("name", ["\udcff", "Tae\ud800hyung", "\udce9\udcb2"])
def test_lone_surrogates_are_not_found_and_printable(kg, name):
    with pytest.raises(EntityNotFound) as exc:
        kg.entity(name)
    str(exc.value).encode("utf-8")  # the message can be shown on any terminal


def test_a_partial_name_points_to_search(kg):
    with pytest.raises(EntityNotFound) as exc:
        kg.entity("Park")
    message = str(exc.value)
    assert "Park Seo-joon (id:park-seo-joon)" in message and "Park Hyung-sik (id:park-hyung-sik)" in message
    assert "collabgraph search Park" in message
    assert [e.split(" (")[0] for e in exc.value.partial] == [e.label for e in kg.search("Park")]


def test_a_typo_still_gets_did_you_mean_rather_than_partials(kg):
    with pytest.raises(EntityNotFound) as exc:
        kg.entity("Tehyung")
    assert exc.value.suggestions and not exc.value.partial


def test_lookup_keys_are_not_data(kg):
    """An entity's triples are what the sources say and the rules derive, never
    the folded names used to look it up."""
    rows = kg.sparql("SELECT ?p ?o WHERE { ?v ?p ?o }", bindings={"v": __import__("rdflib").URIRef(V)})
    predicates = {str(r.p) for r in rows}
    assert "https://w3id.org/collabgraph/ns#searchKey" not in predicates
    assert "http://www.w3.org/2000/01/rdf-schema#label" in predicates
    folded = {str(r.o) for r in rows}
    assert "kimtaehyung" not in folded and "taehyung" not in folded
    described = kg.sparql("DESCRIBE id:v").graph
    assert not [o for _, _, o in described if str(o) in ("kimtaehyung", "taehyung")]


def test_a_build_resolves_names_from_its_index_file(built):
    from collabgraph import CollabGraph
    from collabgraph.views.nameindex import NAME_INDEX

    assert (built / "cache" / NAME_INDEX).is_file()
    with CollabGraph.open(built) as kg:
        assert kg.entity("kim tae-hyung").iri == V
        assert [e.label for e in kg.search("park")] == ["Park Seo-joon", "Park Hyung-sik"]


def test_a_claims_line_shows_the_quote_that_states_its_value(runner, built):
    res = runner.invoke(cli, ["entity", "V", "--build", str(built)])
    line = next(x for x in res.output.splitlines() if "yearsInFrontOfCamera" in x and " 10 " in x)
    assert "You only have 10 years of experience, right?" in line


def test_search_keys_keep_exactly_the_letters_and_digits_of_every_code_point():
    """search_key drops what is not a letter or a digit (Unicode categories
    L* and N*); checked over every code point, in names of one character and
    between Latin letters."""
    import sys
    import unicodedata

    from collabgraph.core.names import search_key

    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch).casefold()
        kept = "".join(c for c in folded if unicodedata.category(c)[0] in "LN")
        assert search_key(ch) == kept, hex(cp)
    assert search_key("Kim_Tae-hyung (V)²") == "kimtaehyungv2"
