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
id:orbit a cg:Group ; rdfs:label "ORBIT9"@en .
id:marlow a cg:Group ; rdfs:label "MARLOW"@en .
id:jisu a cg:Person ; rdfs:label "Jisu"@en .
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


def test_a_surname_after_a_full_name_of_no_stated_kind_is_that_person(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "Billy Crudup and Anton Yelchin have joined the cast of Rudderless. "
                                          "Crudup will play the lead.")
    assert ("Billy Crudup", "actor", "Rudderless") in facts_of(report.candidates, by_label=True)
    crudup = [m for m in report.mentions if m.text == "Crudup"]
    assert crudup and all(m.label == "Billy Crudup" for m in crudup)
    # a surname no full name of the article ends with stays its own name
    assert {m.label for m in report.mentions if m.text == "Yelchin"} <= {"Anton Yelchin"}


def test_a_name_and_the_country_or_company_after_of_are_two(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "Producers including MNEK of Britain and Zara Larsson of Sweden worked on "
                                          "it, and BLACKPINK of YG Entertainment returns. The Bank of Korea is shut.")
    found = names(report)
    assert {"MNEK", "Zara Larsson", "BLACKPINK", "YG Entertainment", "Bank of Korea"} <= found
    assert not {"MNEK of Britain", "Zara Larsson of Sweden", "Britain", "Sweden"} & found


def test_the_kind_of_work_before_a_title_is_no_part_of_it(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "It is the band’s first record since the 2019 EP Feel Special.")
    assert ("Feel Special", "Album") in {(m.text, m.type) for m in report.mentions}


def test_a_list_of_names_opening_a_sentence_keeps_its_first_name(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "Jihyo, Momo, Sana, and Tzuyu are members of ORBIT9. However, Daeho sang.")
    assert {("Jihyo", "member of", "ORBIT9"), ("Tzuyu", "member of", "ORBIT9")} <= facts_of(report.candidates)
    assert "However" not in names(report)


def test_lyrics_of_an_unquoted_title_make_it_a_song_and_a_company_is_no_work(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "Daeho penned the lyrics of Make Me Go. Jisoo joined the cast of Walt "
                                          "Disney Pictures’ Blue Harbor.")
    types = {m.text: m.type for m in report.mentions}
    assert types.get("Make Me Go") == "Song"
    assert types.get("Walt Disney Pictures") != "Work"


def test_a_list_of_person_group_rows_gives_memberships(graph, tmp_path):
    rows = "\n".join(["Who leads best?", "Let’s see who the most popular girl group leader is.",
                      "Nari (ORBIT9)", "Ruby (MARLOW)", "Sena (Glass Tide)", "Yuna (ORBIT9)"])
    report = ingest_text(graph, tmp_path, rows, headline="The best girl group leaders")
    assert {("Nari", "member of", "ORBIT9"), ("Ruby", "member of", "MARLOW"), ("Sena", "member of", "Glass Tide"),
            ("Yuna", "member of", "ORBIT9")} <= facts_of(report.candidates)
    member = next(c for c in report.candidates if c.kind == "membership" and c.slots["member"].text == "Ruby")
    assert member.sentence == "Ruby (MARLOW)"


def test_rows_of_songs_and_singers_or_parts_and_actors_give_no_membership(graph, tmp_path):
    songs = "\n".join(["Our favourite duets:", "“Paper Moon” (Daeho)", "“Blue Hour” (Jisu)", "“Tidal” (Daeho)"])
    parts = "\n".join(["The cast:", "Detective Han (Daeho)", "Mother Oh (Jisu)", "Captain Ryu (Daeho)"])
    for text in (songs, parts):
        report = ingest_text(graph, tmp_path, text, name=f"a{len(text)}.txt")
        assert not [c for c in report.candidates if c.kind == "membership"], text


def test_a_name_of_a_group_in_capitals_or_with_digits_after_of_is_its_own_name(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "CL of 2NE1 and Hwasa of MAMAMOO met at 2PM. Guardians of the Galaxy aired.")
    found = names(report)
    assert {"CL", "2NE1", "Hwasa", "MAMAMOO", "Guardians of the Galaxy"} <= found
    assert not {"CL of 2NE1", "Hwasa of MAMAMOO"} & found


def test_a_media_company_that_releases_a_song_is_no_performer(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "DSP Media released the song “Paper Moon” on Friday.")
    assert not [c for c in report.candidates if c.kind == "credit" and c.slots["agent"].text == "DSP Media"]
    assert ("DSP Media", "RecordLabel") in {(m.text, m.type) for m in report.mentions}


def test_a_company_of_two_words_is_no_full_name_its_first_word_stands_for(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "“Paper Moon” passed 100 million streams, her label Northwind Music said, "
                                          "the first song by a Northwind artist to do so.")
    assert not [c for c in report.candidates if c.kind == "credit" and "Northwind" in c.slots["agent"].text]
    assert all(m.type != "Person" for m in report.mentions if "Northwind" in m.text)
