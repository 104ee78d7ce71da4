"""Facts the name finder and the readers lost on real copy (issue 20, tenth round): a first line that is
a paragraph read as a headline, quoted titles cut at an apostrophe or at the sentence's stop inside the
quotes, long titles in Title Case, "performed by" read as "formed by", a possessive group that ends a
list, "V of K-pop boy group X", a record label taken for a performer, two full names joined by "&", and
an unnumbered list of "A in B’s “Song”" lines. Sentences written here; each is checked through the
public :func:`ingest` on a tiny graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabgraph.ingest.article import DEFAULT_THRESHOLD

from .articles import facts_of, ingest_text, tiny_graph

TINY = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:marlow a cg:Group ; rdfs:label "MARLOW"@en .
id:orbit a cg:Group ; rdfs:label "ORBIT9"@en .
id:daeho a cg:Person ; rdfs:label "Daeho"@en .
id:jisu a cg:Person ; rdfs:label "Jisu"@en .
"""


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def facts(graph: Path, tmp_path: Path, text: str, at_least: float = DEFAULT_THRESHOLD, **kw) -> set[tuple]:
    """The credits and memberships proposed at or above ``at_least``, by the names' words."""
    return facts_of(ingest_text(graph, tmp_path, text, **kw).candidates, at_least=at_least)


def test_a_first_line_that_is_a_paragraph_is_read_not_taken_for_a_headline(graph, tmp_path):
    text = ("Tidewater Music has put out the song Paper Lantern from the film Blue Harbor. The track is written "
            "by Rina Cole and performed by Tom Vale. The song can be streamed now and the film opens next month "
            "in cinemas. Read the rest of this entry »\n\nPosted: May 15, 2026 by a reporter\n")
    found = facts(graph, tmp_path, text, headline=None)
    assert {("Rina Cole", "songwriter", "The track"), ("Tom Vale", "performer", "The track")} <= found


def test_performed_by_is_not_formed_by(graph, tmp_path):
    found = facts(graph, tmp_path, "“Paper Lantern” is a ballad written by Rina Cole and performed by Tom Vale.",
                  at_least=0.0)
    assert not [f for f in found if f[1] == "member of"]


def test_a_quoted_title_with_an_apostrophe_in_it_is_one_title(graph, tmp_path):
    found = facts(graph, tmp_path, "Rina Cole has been working on the ballad “It’s Okay to be Erased,” composed "
                                   "by Tom Vale.")
    assert ("Tom Vale", "composer", "It’s Okay to be Erased") in found
    assert not [f for f in found if f[2] in ("It’s Okay", "Erased")]


def test_a_quoted_title_keeps_its_first_word_and_the_sentence_stop_is_left_out(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "ORBIT9 will sing on a song by Rina Cole called “Kiss and Make Up.” "
                                          "Fans sang along to ‘A Midsummer Night’s Sweetness’ last year.")
    names = {m.text for m in report.mentions}
    assert {"Kiss and Make Up", "A Midsummer Night’s Sweetness"} <= names
    assert not names & {"Kiss", "Make Up", "Midsummer Night’s Sweetness"}


def test_a_long_title_in_title_case_is_one_title_and_a_quoted_sentence_is_none(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "“That Song That We Used To Make Love To” was written by Rina Cole. "
                                          "“We used to make it up as we went,” Cole said.")
    names = {m.text for m in report.mentions}
    assert "That Song That We Used To Make Love To" in names
    assert not [n for n in names if n.startswith("We used")]


def test_a_possessive_group_after_a_list_owns_its_members(graph, tmp_path):
    found = facts(graph, tmp_path, "The friend group includes Rina Cole, MARLOW’s Daeun, and ORBIT9’s Jiho.")
    assert {("Daeun", "member of", "MARLOW"), ("Jiho", "member of", "ORBIT9")} <= found
    assert ("Jiho", "member of", "MARLOW") not in found


def test_a_possessive_group_inside_a_cast_list_qualifies_one_name(graph, tmp_path):
    found = facts(graph, tmp_path, "The drama stars Rina Cole, Tom Vale, MARLOW’s Daeun, Kim Ha-neul and Oh Na-ra.",
                  at_least=0.0)
    assert ("Daeun", "member of", "MARLOW") in found
    assert not {("Kim Ha-neul", "member of", "MARLOW"), ("Oh Na-ra", "member of", "MARLOW")} & found


def test_a_member_of_a_group_described_before_its_name(graph, tmp_path):
    found = facts(graph, tmp_path, "Both Daeho of K-pop boy band MARLOW and Jisu of K-pop sensation ORBIT9 "
                                   "will appear on the show.", reader="rules")
    assert {("Daeho", "member of", "MARLOW"), ("Jisu", "member of", "ORBIT9")} <= found


def test_a_record_label_that_releases_a_song_is_not_its_performer(graph, tmp_path):
    found = facts(graph, tmp_path, "Tidewater Records has released the original song “Paper Lantern” by Tom Vale.",
                  at_least=0.0)
    assert not [f for f in found if f[0] == "Tidewater Records"]


def test_two_full_names_joined_by_an_ampersand_are_two_people(graph, tmp_path):
    found = facts(graph, tmp_path, "The song “Paper Lantern” was written by Gustav Holm & Christine Pers.")
    assert {("Gustav Holm", "songwriter", "Paper Lantern"), ("Christine Pers", "songwriter", "Paper Lantern")} <= found


def test_an_unnumbered_list_of_people_in_songs_credits_each_line(graph, tmp_path):
    text = ("Five Music Video Cameos You Forgot\n\nStars turn up in the strangest videos.\n\n"
            "Rina Cole in Tom Vale’s “Paper Lantern”\n\nShe waves from a taxi.\n\n"
            "Dae Min-ho in Suno Park’s “Glass Heart” (with Oh Na-ra)\n\nHe sells ice cream.\n")
    found = facts(graph, tmp_path, text, headline=None)
    assert {("Rina Cole", "cameo", "Paper Lantern"), ("Tom Vale", "performer", "Paper Lantern"),
            ("Dae Min-ho", "cameo", "Glass Heart"), ("Suno Park", "performer", "Glass Heart"),
            ("Oh Na-ra", "performer", "Glass Heart")} <= found


def test_one_such_line_alone_is_a_heading_and_states_nothing(graph, tmp_path):
    text = "Music Video Notes\n\nStars turn up in videos.\n\nRina Cole in Tom Vale’s “Paper Lantern”\n\nShe waves.\n"
    assert not facts(graph, tmp_path, text, headline=None, at_least=0.0)


def test_a_quoted_sentence_with_its_stop_inside_is_no_title(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "Tom Vale is reviewing the offer. “Nothing has been decided yet.” "
                                          "He last sang “Paper Lantern.”")
    names = {m.text for m in report.mentions}
    assert "Paper Lantern" in names
    assert not [n for n in names if n.startswith("Nothing has")]


def test_an_information_box_on_one_line_credits_each_field_to_the_title_it_names(graph, tmp_path):
    text = ("Festival Picks\n\nThree films to see this week.\n\n"
            "Director: Yeon Ha-rim Writer: Yeon Ha-rim Cast: Doona Vale, Kim Sae-bom Cert: 18 Running time: "
            "119mins Year: 2014 Original title: Dohana The lowdown: a quiet debut.\n")
    found = facts(graph, tmp_path, text, headline=None, at_least=0.0)
    assert {("Yeon Ha-rim", "director", "Dohana"), ("Yeon Ha-rim", "screenwriter", "Dohana"),
            ("Doona Vale", "actor", "Dohana"), ("Kim Sae-bom", "actor", "Dohana")} <= found
    assert not [f for f in found if f[1] == "director" and f[0] != "Yeon Ha-rim"]


def test_an_information_box_on_one_line_without_a_title_credits_nothing(graph, tmp_path):
    text = ("Festival Picks\n\nThree films to see this week, and one of them is “Blue Harbor”.\n\n"
            "Director: Yeon Ha-rim Writer: Yeon Ha-rim Cast: Doona Vale, Kim Sae-bom Cert: 18 Running time: "
            "119mins Year: 2014 What’s on…\n\nThe festival opens on Friday with “Blue Harbor”.\n")
    found = facts(graph, tmp_path, text, headline=None, at_least=0.0)
    assert not [f for f in found if f[1] in ("director", "screenwriter", "songwriter", "actor")]


def test_names_of_a_list_glued_together_by_a_lost_break_are_each_a_name(graph, tmp_path):
    found = facts(graph, tmp_path, "Rina Cole and Tom Vale will play the leads of the KBS2 drama “Blue Harbor”, "
                                   "starring Hong Eun-HeeJeon Hye-BinGo Won-Hee and Kim Kyung-nam.", at_least=0.0)
    actors = {f[0] for f in found if f[1:] == ("actor", "Blue Harbor")}
    assert {"Hong Eun-Hee", "Jeon Hye-Bin", "Go Won-Hee"} <= actors
    report = ingest_text(graph, tmp_path, "Grace VanderWaal met Ronald MacDonald.", name="b.txt")
    assert {"Grace VanderWaal", "Ronald MacDonald"} <= {m.text for m in report.mentions}
