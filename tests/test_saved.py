"""Every saved query against the bundled graph, through the API and the CLI."""

from __future__ import annotations

import json

import pytest

from collabgraph import CollabGraphError, EntityNotFound
from collabgraph.cli import cli
from collabgraph.saved import saved_queries


def rows(result, *names):
    return [tuple(str(r[n]) for n in names) for r in result]


def test_collaborators(kg):
    got = rows(kg.saved("collaborators", agent="Park Seo-joon"), "collaboratorLabel", "workLabel", "role", "theirRole")
    assert got == [("Choi Woo-shik", "GYOPO HAIRSTYLE", "appearance", "appearance"),
                   ("Park Hyung-sik", "GYOPO HAIRSTYLE", "appearance", "appearance"),
                   ("Peakboy", "GYOPO HAIRSTYLE", "appearance", "performer"),
                   ("V", "GYOPO HAIRSTYLE", "appearance", "cameo")]


def test_works_by_year(kg):
    assert rows(kg.saved("works-by-year", year="2016"), "label", "type", "date") == [
        ("Hwarang: The Poet Warrior Youth", "KDrama", "2016")]
    got = rows(kg.saved("works-by-year", year="2024"), "label", "date")
    assert ("Love wins all", "2024-01-24") in got and ("Love wins all behind-the-scenes video", "2024-01-28") in got
    assert len(got) == 5  # IU's video "uploaded on January 24" has no year


def test_credits_by_role(kg):
    """Narrower roles count: actor includes cameo."""
    assert rows(kg.saved("credits-by-role", role="cameo"), "agentLabel", "workLabel") == [("V", "GYOPO HAIRSTYLE")]
    actors = rows(kg.saved("credits-by-role", role="actor"), "agentLabel", "workLabel", "creditRole")
    assert ("V", "GYOPO HAIRSTYLE", "cameo") in actors and ("V", "Hwarang: The Poet Warrior Youth", "actor") in actors
    assert ("IU", "Love wins all music video", "actor") in actors


def test_members_of_group(kg):
    assert rows(kg.saved("members-of-group", group="BTS"), "memberLabel") == [("V",), ("V",)]


def test_facts_with_sources(kg):
    got = rows(kg.saved("facts-with-sources", entity="Peakboy"), "kind", "quote")
    assert got == [("Attestation", "Peakboy's song GYOPO HAIRSTYLE (교포머리)"),
                   ("Credit", "Peakboy's song GYOPO HAIRSTYLE (교포머리)")]


def test_co_appearances(kg):
    got = rows(kg.saved("co-appearances", a="IU", b="taehyung"), "workLabel", "roleA", "roleB")
    assert ("Love wins all", "performer", "collaborator") in got
    assert ("IU's Palette", "host", "guest") in got
    assert len({w for w, _, _ in got}) == 5


def test_conflicting_claims(kg):
    got = rows(kg.saved("conflicting-claims"), "label", "value", "claimedBy")
    assert set(got) == {("IU", "15", "IU"), ("IU", "16", "IU"), ("V", "10", "IU"), ("V", "11", "V")}
    assert len(got) == 6  # IU's "15 years" and "10 years" are quoted twice each, one row per quote


def test_top_collaborations(kg):
    first = next(iter(kg.saved("top-collaborations")))
    assert (str(first.aLabel), str(first.bLabel), int(first.works)) == ("IU", "V", 5)


def test_entities_by_type(kg):
    people = rows(kg.saved("entities-by-type", type="Person"), "label")
    assert [p for (p,) in people] == ["Choi Woo-shik", "IU", "Park Hyung-sik", "Park Seo-joon", "V"]  # Peakboy: an agent, not said to be a person
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
