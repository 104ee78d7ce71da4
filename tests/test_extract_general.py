"""General linguistic handling in ingest (issue 20, third round): apposition of a
title and a work noun, "by" on a noun in apposition, coordinated passives before the
subject, indefinite nouns that bring in a new work, instruments, memberships stated
by a noun phrase, and the month May that is no hedge. Sentences written here; each
is checked through the public :func:`ingest` on a tiny graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabgraph.ingest.article import DEFAULT_THRESHOLD

from .articles import facts_of, ingest_text, tiny_graph

TINY = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:marlow a cg:Group ; rdfs:label "MARLOW"@en .
id:kang-jun-seo a cg:Person ; rdfs:label "Kang Jun-seo"@en .
"""


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def facts(graph: Path, tmp_path: Path, text: str, **options) -> set[tuple]:
    """The credits and memberships proposed at or above the threshold, by names
    (``options``: more of ``ingest``'s, such as ``reader``)."""
    return facts_of(ingest_text(graph, tmp_path, text, **options).candidates, by_label=True)


def test_a_noun_in_apposition_after_a_title_with_by_credits_the_artist(graph, tmp_path):
    found = facts(graph, tmp_path, "The album also includes “Lantern Road,” a new song by MARLOW, over the "
                                   "closing scene.")
    assert ("MARLOW", "performer", "Lantern Road") in found


def test_the_title_in_apposition_is_the_work_not_the_words_before_the_noun(graph, tmp_path):
    found = facts(graph, tmp_path, "The earlier OST part, “Blue Hour,” was sung by the rock band MARLOW.")
    assert ("MARLOW", "performer", "Blue Hour") in found
    assert not [f for f in found if f[2] == "OST"]


def test_a_coordinated_passive_before_the_subject_gives_every_role(graph, tmp_path):
    found = facts(graph, tmp_path, "The studio will restore “Salt Moon,” a 2019 film. Written and directed by "
                                   "Yoon Ha-rim, the film follows two sisters on an island.")
    assert {("Yoon Ha-rim", "director", "Salt Moon"), ("Yoon Ha-rim", "screenwriter", "Salt Moon")} <= found


def test_an_indefinite_noun_is_a_new_work_not_the_one_before(graph, tmp_path):
    found = facts(graph, tmp_path, "MARLOW released “Blue Hour” last year. Lee Da-eun is now writing the lyrics "
                                   "for a new single by the band.")
    assert not [f for f in found if f[0] == "Lee Da-eun"]


def test_playing_an_instrument_is_an_instrumentalist_credit_not_a_part(graph, tmp_path):
    found = facts(graph, tmp_path, "Lee Da-eun played the bass line on “Blue Hour” herself.")
    assert ("Lee Da-eun", "instrumentalist", "Blue Hour") in found
    assert not [f for f in found if f[1] == "actor"]


def test_a_membership_stated_by_a_noun_phrase(graph, tmp_path):
    assert ("Kang Jun-seo", "member of", "MARLOW") in facts(
        graph, tmp_path, "The piano parts were played by Kang Jun-seo of the rock band MARLOW.")
    assert ("Kang Jun-seo", "member of", "MARLOW") in facts(
        graph, tmp_path, "“We are tired,” laughed MARLOW drummer Kang Jun-seo.")


def test_a_membership_in_a_noun_phrase_holds_in_a_negated_clause(graph, tmp_path):
    found = facts(graph, tmp_path, "A rumoured duet with MARLOW’s Kang Jun-seo did not happen.")
    assert ("Kang Jun-seo", "member of", "MARLOW") in found


@pytest.mark.parametrize("reader", ["rules", "learned"])
def test_a_denied_membership_is_still_not_proposed(graph, tmp_path, reader):
    """By either reader: the learned one is held to the rules' negation (vetoes.py)."""
    found = facts(graph, tmp_path, "Kang Jun-seo is not a member of MARLOW.", reader=reader)
    assert not [f for f in found if f[1] == "member of"]


def test_two_titled_people_in_a_list_are_not_a_group_and_its_member(graph, tmp_path):
    found = facts(graph, tmp_path, "The band — singer Lee Da-eun, bassist Jo Min-ha and drummer Kang Jun-seo — "
                                   "recorded live.")
    assert ("Kang Jun-seo", "member of", "Jo Min-ha") not in found


def test_the_month_may_is_no_hedge(graph, tmp_path):
    found = facts(graph, tmp_path, "MARLOW released “Blue Hour” in May.")
    assert ("MARLOW", "performer", "Blue Hour") in found


def test_a_director_named_by_title_directs_the_one_screen_work_in_focus(graph, tmp_path):
    found = facts(graph, tmp_path, "The drama “Night Ferry” ends this week after sixteen episodes. Director "
                                   "Yoon Ha-rim thanked the crew in a short speech.")
    assert ("Yoon Ha-rim", "director", "Night Ferry") in found


def test_a_question_naming_a_director_asserts_nothing(graph, tmp_path):
    found = facts(graph, tmp_path, "The drama “Night Ferry” ends this week after sixteen episodes. Have you "
                                   "worked with director Yoon Ha-rim before?")
    assert not [f for f in found if f[1] == "director"]


def test_a_pronoun_after_a_passive_stands_for_its_agent(graph, tmp_path):
    found = facts(graph, tmp_path, "The ballad “Blue Hour” was composed by Lee Da-eun. She also produced the "
                                   "album “Night Ferry” with Kang Jun-seo.")
    assert ("Lee Da-eun", "producer", "Night Ferry") in found


def test_joining_the_cast_as_a_part_is_an_acting_credit_not_a_membership(graph, tmp_path):
    found = facts(graph, tmp_path, "The drama “Night Ferry” returns this week. Lee Da-eun joined the cast as "
                                   "Detective Moon, a retired diver.")
    assert ("Lee Da-eun", "actor", "Night Ferry") in found
    assert not [f for f in found if f[1] == "member of"]


def test_a_part_played_by_someone_is_their_part_in_the_work_in_focus(graph, tmp_path):
    found = facts(graph, tmp_path, "The drama “Night Ferry” returns this week. The ferry captain is played by "
                                   "Lee Da-eun.")
    assert ("Lee Da-eun", "actor", "Night Ferry") in found
    found = facts(graph, tmp_path, "The drama “Night Ferry” returns this week. That stranger was played by none "
                                   "other than Kang Jun-seo, in a cameo as a bartender.")
    assert ("Kang Jun-seo", "cameo", "Night Ferry") in found


def test_a_member_list_steps_over_the_words_that_qualify_a_member(graph, tmp_path):
    found = facts(graph, tmp_path, "The celebrity friend group known as the Harbor Club is made up of five members "
                                   "– MARLOW singer Kang Jun-seo, actors Lee Da-eun and Jo Min-ha, Japanese dancer "
                                   "Aiko Sato and stylist Han Bi.")
    club = {f[0] for f in found if f[1:] == ("member of", "Harbor Club")}
    assert club == {"Kang Jun-seo", "Lee Da-eun", "Jo Min-ha", "Aiko Sato", "Han Bi"}
    assert ("Kang Jun-seo", "member of", "MARLOW") in found


def test_the_friend_group_of_a_list_of_people(graph, tmp_path):
    found = facts(graph, tmp_path, "The Harbor Club is the name of the friend group of MARLOW’s Kang Jun-seo, "
                                   "actor Lee Da-eun, and stylist Han Bi.")
    assert {f[0] for f in found if f[1:] == ("member of", "Harbor Club")} == {"Kang Jun-seo", "Lee Da-eun",
                                                                              "Han Bi"}


def test_people_known_as_a_group_called_a_name(graph, tmp_path):
    found = facts(graph, tmp_path, "Kang Jun-seo, Lee Da-eun and Han Bi are famously known as a close group of "
                                   "friends called the Harbor Club.")
    assert {f[0] for f in found if f[1:] == ("member of", "Harbor Club")} == {"Kang Jun-seo", "Lee Da-eun",
                                                                              "Han Bi"}


def test_a_screenplay_and_a_score_by_someone_credit_the_film_in_focus(graph, tmp_path):
    found = facts(graph, tmp_path, "The thriller “Night Ferry” opens on Friday. Yoon Ha-rim directed from a "
                                   "screenplay by Jo Min-ha, and the spare score was composed by Lee Da-eun.")
    assert {("Yoon Ha-rim", "director", "Night Ferry"), ("Jo Min-ha", "screenwriter", "Night Ferry"),
            ("Lee Da-eun", "composer", "Night Ferry")} <= found
    found = facts(graph, tmp_path, "The thriller “Night Ferry” opens on Friday. The score, by jazz pianist "
                                   "Lee Da-eun, is lovely.")
    assert ("Lee Da-eun", "composer", "Night Ferry") in found
    assert ("Lee Da-eun", "composer", "Night Ferry") in facts(graph, tmp_path, "Lee Da-eun scored “Night Ferry”.")


def test_a_work_in_brackets_after_a_titled_person(graph, tmp_path):
    found = facts(graph, tmp_path, "Korean filmmaker Yoon Ha-rim (“Night Ferry”) will helm “Cold Moon,” a drama. "
                                   "Actor Jo Min-ha (“Salt Market”) co-stars.")
    assert {("Yoon Ha-rim", "director", "Night Ferry"), ("Yoon Ha-rim", "director", "Cold Moon"),
            ("Jo Min-ha", "actor", "Salt Market")} <= found


def test_an_acting_award_for_a_work_is_a_part_in_it(graph, tmp_path):
    found = facts(graph, tmp_path, "Lee Da-eun, who won Best Actress at this year’s awards for “Night Ferry,” "
                                   "will star in “Cold Moon.”")
    assert {("Lee Da-eun", "actor", "Night Ferry"), ("Lee Da-eun", "actor", "Cold Moon")} <= found


def test_returning_as_a_named_part_is_a_part_in_the_show_in_focus(graph, tmp_path):
    found = facts(graph, tmp_path, "The drama “Night Ferry” returns for a second season. Lee Da-eun will return "
                                   "as Mira, the ferry captain.")
    assert ("Lee Da-eun", "actor", "Night Ferry") in found
    found = facts(graph, tmp_path, "The drama “Night Ferry” ends. MARLOW will return as a four-piece for its "
                                   "year-end concerts.")
    assert not [f for f in found if f[0] == "MARLOW"]


def test_a_video_featuring_someone_as_a_part_is_a_cameo_not_a_feature(graph, tmp_path):
    found = facts(graph, tmp_path, "The music video for “Blue Hour,” filmed in an old factory, features comedian "
                                   "Lee Da-eun as a fortune teller.")
    assert ("Lee Da-eun", "cameo", "Blue Hour") in found
    assert ("Lee Da-eun", "featuredArtist", "Blue Hour") not in found


def test_her_single_with_someone_in_apposition_to_a_title(graph, tmp_path):
    found = facts(graph, tmp_path, "Lee Da-eun closed the Seoul leg of her world tour on Saturday night with a "
                                   "surprise: the first live performance of “Blue Hour,” her 2024 single with "
                                   "Kang Jun-seo.")
    assert {("Lee Da-eun", "performer", "Blue Hour"), ("Kang Jun-seo", "collaborator", "Blue Hour")} <= found


def test_vocals_and_a_verse_from_someone_on_a_song(graph, tmp_path):
    found = facts(graph, tmp_path, "The twelve-track record features guest vocals from singer Lee Da-eun on the "
                                   "single “Bus Stop” and a verse from MARLOW’s Kang Jun-seo on “Alley Cat.”")
    assert {("Lee Da-eun", "featuredArtist", "Bus Stop"), ("Kang Jun-seo", "featuredArtist", "Alley Cat")} <= found


def test_whose_film_takes_the_part_the_sentence_gives(graph, tmp_path):
    found = facts(graph, tmp_path, "The drama “Night Ferry” is written by Jo Min-ha and directed by Yoon Ha-rim, "
                                   "whose thriller “Tidewater” swept last year’s awards.")
    assert ("Yoon Ha-rim", "director", "Tidewater") in found
    assert ("Jo Min-ha", "director", "Tidewater") not in found


def test_turning_up_as_a_part(graph, tmp_path):
    found = facts(graph, tmp_path, "The film “Night Ferry” opens Friday. Keep an eye out for Lee Da-eun, who "
                                   "turns up for one scene as a waiter — a cameo that steals the film.")
    assert ("Lee Da-eun", "cameo", "Night Ferry") in found
    # "pops up" says he is seen in the film, not how (a cameo? a cast member?): proposed for a person to settle,
    # below the threshold (tenth round: "appearance" was right 5 times of 19 on the tuning pool)
    (tmp_path / "again").mkdir()
    report = ingest_text(graph, tmp_path / "again", "The film “Night Ferry” opens Friday. Kang Jun-seo pops up as "
                                                    "a bus driver in the final scene.")
    seen = [c for c in report.candidates if c.kind == "credit" and c.role == "appearance"
            and c.slots["agent"].text == "Kang Jun-seo" and c.slots["work"].text == "Night Ferry"]
    assert seen and all(c.score < DEFAULT_THRESHOLD and c.rule.endswith("+vague") for c in seen)


def test_the_lyrics_of_a_named_song_are_that_songs(graph, tmp_path):
    found = facts(graph, tmp_path, "MARLOW’s new single “Neon Thread” is out on Friday. Lee Da-eun co-wrote the "
                                   "lyrics of the B-side “Afterglow Club” with Kang Jun-seo, the agency said.")
    assert {("Lee Da-eun", "lyricist", "Afterglow Club"), ("Kang Jun-seo", "lyricist", "Afterglow Club")} <= found
    assert not [f for f in found if f[2] == "Neon Thread" and f[1] in ("lyricist", "songwriter")]


def test_lyrics_and_melody_of_the_song_just_named(graph, tmp_path):
    found = facts(graph, tmp_path, "MARLOW released “Blue Hour” on Friday. Lee Da-eun wrote the lyrics, and the "
                                   "melody was composed by Kang Jun-seo.")
    assert {("Lee Da-eun", "lyricist", "Blue Hour"), ("Kang Jun-seo", "composer", "Blue Hour")} <= found


def test_tracks_including_a_title(graph, tmp_path):
    found = facts(graph, tmp_path, "Kang Jun-seo produced most of the album himself, with Lee Da-eun co-producing "
                                   "three tracks, including “Bus Stop Blue.”")
    assert ("Lee Da-eun", "producer", "Bus Stop Blue") in found


def test_a_part_in_the_music_video_for_someones_song_is_a_cameo(graph, tmp_path):
    found = facts(graph, tmp_path, "The friends are close. Jo Min-ha played a waiter in the music video for "
                                   "Lee Da-eun’s “Umbrella Theory,” and refused to be paid.")
    assert {("Jo Min-ha", "cameo", "Umbrella Theory"), ("Lee Da-eun", "performer", "Umbrella Theory")} <= found
    assert ("Jo Min-ha", "actor", "Umbrella Theory") not in found
