"""Music credits the readers lost or got wrong on real copy (issue 20, eleventh round, branch h20mu):
quoted titles whose list comma sits inside the closing quote ("“X,” “Y,” and “Z”"), a list of quoted
titles sharing one credit, a person's film that is no song of theirs, the date a rule's twin reading
carried, and a video that "features" someone (an appearance in the video, not a featured artist on
the song). Sentences written here; each is checked through the public :func:`ingest` on a tiny graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from .articles import ingest_text, tiny_graph
from .test_extract_recall import facts

TINY = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:marlow a cg:Group ; rdfs:label "MARLOW"@en .
id:orbit a cg:Group ; rdfs:label "ORBIT9"@en .
id:daeho a cg:Person ; rdfs:label "Daeho"@en .
id:jisu a cg:Person ; rdfs:label "Jisu"@en .
id:rina a cg:Person ; rdfs:label "Rina Cole"@en .
id:tom a cg:Person ; rdfs:label "Tom Vale"@en .
id:harbor a cg:Film ; rdfs:label "Blue Harbor"@en .
id:kites a cg:Song ; rdfs:label "Paper Kites"@en .
id:tide a cg:Song ; rdfs:label "Low Tide"@en .
id:bell a cg:Song ; rdfs:label "Glass Bell"@en .
"""


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def test_a_possessive_owns_each_title_of_a_list_with_commas_inside_the_quotes(graph, tmp_path):
    found = facts(graph, tmp_path, "Fans keep asking about ORBIT9’s “Paper Kites,” “Low Tide,” and “Glass Bell,” "
                                   "as well as MARLOW’s “Porchlight.”")
    assert {("ORBIT9", "performer", "Paper Kites"), ("ORBIT9", "performer", "Low Tide"),
            ("ORBIT9", "performer", "Glass Bell"), ("MARLOW", "performer", "Porchlight")} <= found
    assert ("ORBIT9", "performer", "Porchlight") not in found
    assert ("MARLOW", "performer", "Glass Bell") not in found


def test_a_list_of_titles_stops_at_another_owner(graph, tmp_path):
    found = facts(graph, tmp_path, "He also co-wrote ORBIT9’s “Paper Kites,” “Low Tide,” and MARLOW’s “Glass Bell” "
                                   "alongside Jisu.", at_least=0.0)
    assert {("ORBIT9", "performer", "Paper Kites"), ("ORBIT9", "performer", "Low Tide"),
            ("MARLOW", "performer", "Glass Bell")} <= found
    assert ("ORBIT9", "performer", "Glass Bell") not in found


def test_a_persons_film_is_no_song_they_perform(graph, tmp_path):
    found = facts(graph, tmp_path, "Critics loved Rina Cole’s “Blue Harbor,” and ORBIT9’s “Low Tide,” this year.",
                  at_least=0.0)
    assert ("ORBIT9", "performer", "Low Tide") in found
    assert ("Rina Cole", "performer", "Blue Harbor") not in found


def test_the_date_of_a_debut_stays_when_two_readers_find_the_same_credit(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "Girl group MARLOW will debut on May 28 with the single “Paper Kites” "
                                          "by Tom Vale, the agency said on Monday.")
    debut = [c for c in report.candidates if c.kind == "credit" and c.role == "performer"
             and c.slots["agent"].text == "MARLOW" and c.slots["work"].text == "Paper Kites"]
    assert debut and all(c.date == "2026-05-28" for c in debut)


def test_whom_a_video_features_appears_in_it_and_is_no_featured_artist(graph, tmp_path):
    found = facts(graph, tmp_path, "In 2019, MARLOW’s moody video for “Paper Kites” featured Daeho and Jisu.",
                  at_least=0.0)
    assert {("Daeho", "appearance", "Paper Kites"), ("Jisu", "appearance", "Paper Kites")} <= found
    assert not [f for f in found if f[1] == "featuredArtist"]
    found = facts(graph, tmp_path, "Fans can look forward to a second version of the “Low Tide” music video featuring "
                                   "Tom Vale himself.", at_least=0.0, name="b.txt")
    assert ("Tom Vale", "appearance", "Low Tide") in found
    assert ("Tom Vale", "featuredArtist", "Low Tide") not in found
    # the parse's reading: the verb's subject is the video
    found = facts(graph, tmp_path, "MARLOW’s video for the ballad “Low Tide,” shot in Busan, features Tom Vale.",
                  at_least=0.0, name="c.txt")
    assert ("Tom Vale", "appearance", "Low Tide") in found
    assert ("Tom Vale", "featuredArtist", "Low Tide") not in found


def test_a_song_featuring_someone_still_has_a_featured_artist(graph, tmp_path):
    found = facts(graph, tmp_path, "MARLOW’s new single “Glass Bell” featuring Jisu topped the chart this week.")
    assert ("Jisu", "featuredArtist", "Glass Bell") in found


def test_members_come_from_a_group(graph, tmp_path):
    found = facts(graph, tmp_path, "The new unit brings together Daeun and Hana from MARLOW, and Jiho from the girl "
                                   "group Velvet Lane.")
    assert {("Daeun", "member of", "MARLOW"), ("Hana", "member of", "MARLOW"),
            ("Jiho", "member of", "Velvet Lane")} <= found
    assert ("Jiho", "member of", "MARLOW") not in found


def test_a_list_of_members_from_groups_splits_at_each_group(graph, tmp_path):
    found = facts(graph, tmp_path, "Its five members came from two agencies - Seoyun from ORBIT9, Daeun and Hana "
                                   "from MARLOW.")
    assert {("Daeun", "member of", "MARLOW"), ("Hana", "member of", "MARLOW")} <= found
    assert not {("Daeun", "member of", "ORBIT9"), ("Hana", "member of", "ORBIT9")} & found


def test_from_a_group_after_for_is_who_sent_it(graph, tmp_path):
    found = facts(graph, tmp_path, "Fans saw a birthday cake for Daeun from MARLOW at the airport.", at_least=0.0)
    assert not [f for f in found if f[1] == "member of"]


def test_a_title_from_a_group_is_no_member(graph, tmp_path):
    found = facts(graph, tmp_path, "Critics picked “Glass Lantern” from MARLOW as the best single of the year.",
                  at_least=0.0)
    assert not [f for f in found if f[1] == "member of"]


def test_backing_vocals_make_a_vocalist_not_a_performer_or_a_featured_artist(graph, tmp_path):
    found = facts(graph, tmp_path, "Tom Vale previously sang backing vocals on MARLOW’s “Glass Bell.”", at_least=0.0)
    assert ("Tom Vale", "vocalist", "Glass Bell") in found
    assert not {("Tom Vale", "performer", "Glass Bell"), ("Tom Vale", "featuredArtist", "Glass Bell")} & found
    found = facts(graph, tmp_path, "The best moment is “Low Tide,” which was co-produced by Daeho and features backing "
                                   "vocals by Jisu.", at_least=0.0, name="b.txt")
    assert ("Jisu", "vocalist", "Low Tide") in found
    assert ("Jisu", "featuredArtist", "Low Tide") not in found
    assert ("Daeho", "vocalist", "Low Tide") not in found


def test_an_unknown_name_before_rapper_or_singer_is_no_group(graph, tmp_path):
    found = facts(graph, tmp_path, "This song features verses by Gwangju rapper Tom Vale and a hook by Jisu.",
                  at_least=0.0)
    assert not [f for f in found if f[1] == "member of"]
    found = facts(graph, tmp_path, "The track features ORBIT9 rapper Daeho.", name="b.txt")
    assert ("Daeho", "member of", "ORBIT9") in found  # a group the graph knows


def test_a_known_name_before_a_member_from_a_group_is_not_its_member(graph, tmp_path):
    found = facts(graph, tmp_path, "On stage were Jisu and Hana from MARLOW, who sang a duet.", at_least=0.0)
    assert ("Hana", "member of", "MARLOW") in found
    assert ("Jisu", "member of", "MARLOW") not in found
