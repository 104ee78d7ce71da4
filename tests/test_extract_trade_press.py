"""How trade papers write names and titles (issue 20, thirteenth round): a middle initial or initials
("William H. Macy", "J.J. Abrams") are part of the name and end no sentence; a compound made of a
name ("the Noah Buschel-written film") keeps the name; an unquoted title the article gives no kind
is a work when it has a cast, a sequel or a soundtrack ("joined the cast of Rudderless"). Sentences
written here; each is checked through the public :func:`ingest` on a tiny graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabgraph.ingest.text import sentences

from .articles import facts_of, ingest_text, tiny_graph

TINY = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:daeho a cg:Person ; rdfs:label "Daeho"@en .
"""


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def names(report) -> set[str]:
    return {m.text for m in report.mentions}


def test_a_middle_initial_is_part_of_the_name(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "Samuel T. Okafor and Mina R. Dalton star in the film Red Lanterns.")
    assert {"Samuel T. Okafor", "Mina R. Dalton"} <= names(report)
    assert not {"Samuel T", "Okafor", "Mina R", "Dalton"} & names(report)
    assert {("Samuel T. Okafor", "actor", "Red Lanterns"), ("Mina R. Dalton", "actor", "Red Lanterns")} <= \
        facts_of(report.candidates)


def test_initials_before_a_surname_end_no_sentence_and_stay_in_the_name(graph, tmp_path):
    text = "The film Red Lanterns was directed by J.J. Okafor and shot in Busan."
    assert len(sentences(text)) == 1
    report = ingest_text(graph, tmp_path, text)
    assert "J.J. Okafor" in names(report)
    assert ("J.J. Okafor", "director", "Red Lanterns") in facts_of(report.candidates)


def test_an_initial_at_a_sentence_end_does_not_swallow_the_next_sentence(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "Daeho signed with Plan B. The label confirmed it on Monday.")
    assert not any("The label" in n for n in names(report))


def test_a_compound_made_of_a_name_keeps_the_name(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "Daeho is filming the Noah Buschel-written drama Glass Chin in Seoul.")
    assert "Noah Buschel" in names(report)
    assert not any(n.endswith("-written") for n in names(report))


def test_an_unquoted_title_with_a_cast_is_a_work(graph, tmp_path):
    # no quotes, no "film" or "series": only "the cast of" says what Rudderless is
    report = ingest_text(graph, tmp_path, "Billy Crudup, Anton Yelchin and Selena Gomez have all joined the cast "
                                          "of Rudderless.")
    assert {("Billy Crudup", "actor", "Rudderless"), ("Anton Yelchin", "actor", "Rudderless"),
            ("Selena Gomez", "actor", "Rudderless")} <= facts_of(report.candidates)
