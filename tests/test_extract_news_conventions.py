"""How entertainment news writes credits it does not spell out (issue 20, fourteenth round): a
casting story puts an actor's past screen work in brackets before the part they now play; a
story about one series calls it "the series" paragraphs after its title; a talk show's "guests
will include" a list; "praised for directing W" has the doer in the main clause; "the Lisa
Stansfield classic “W”" and "Selena Gomez’ “W”" name a song's artist; "his group X" names the
person's group; and "MBC's Monday, Tuesday drama" is a time slot, not a date. Sentences written
here; each is checked through the public :func:`ingest` on a tiny graph, with the readings that
must NOT come from the same words beside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from .articles import facts_of, ingest_text, tiny_graph

TINY = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:daeho a cg:Person ; rdfs:label "Daeho"@en .
id:orbit a cg:Group ; rdfs:label "ORBIT9"@en .
"""


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def credits(report) -> set[tuple]:
    return {f for f in facts_of(report.candidates) if f[1] != "member of"}


# -- an actor's past work in brackets --------------------------------------------------------


def test_a_bracketed_title_before_the_part_is_the_actors_past_screen_work(graph, tmp_path):
    text = ("Harbour Street has rounded out its cast. Mara Quill (Glass Orchard) has been cast as Nurse Ada, "
            "Tobin Reyes (Salt Meadow, The Long Ferry) as Captain Ives and Lena Frost as the mayor.")
    report = ingest_text(graph, tmp_path, text)
    assert {("Mara Quill", "actor", "Glass Orchard"), ("Tobin Reyes", "actor", "Salt Meadow"),
            ("Tobin Reyes", "actor", "The Long Ferry")} <= credits(report)


def test_played_by_an_actor_with_a_bracketed_title_is_their_past_work(graph, tmp_path):
    text = "Nathan meets Bob, an unwelcome figure from his past, played by Orrin Vale (Copper Bay)."
    assert ("Orrin Vale", "actor", "Copper Bay") in credits(ingest_text(graph, tmp_path, text))


def test_a_bracket_of_parts_after_stars_is_no_past_work(graph, tmp_path):
    # the bracket holds the part the actor plays, not a title: no "as" after it, no "played by" before
    text = "The series Iron Tide stars Pella Moor (the Admiral), Jory Kell (Captain Vance) and Ona Pike."
    got = credits(ingest_text(graph, tmp_path, text))
    assert not {f for f in got if f[2] in ("the Admiral", "Captain Vance")}


def test_a_bracket_of_an_age_or_a_group_is_no_past_work(graph, tmp_path):
    text = "Daeho (ORBIT9) has been cast as Min in Glass Orchard, and Pella Moor (25) as his sister."
    got = credits(ingest_text(graph, tmp_path, text))
    assert not {f for f in got if f[2] in ("ORBIT9", "25")}


# -- "the series" of a story about one series -----------------------------------------------


SERIES_STORY = ("Channel Nine announced the new thriller series Ember Coast on Tuesday.\n\n"
                "Set in a fishing town, it follows a detective who returns home after twenty years.\n\n"
                "Production begins in the spring on the east coast, the broadcaster said.\n\n"
                "Filming locations have not been announced.\n\n"
                "The series stars Pella Moor and Jory Kell, and is written by Ona Pike.")


def test_the_series_paragraphs_after_its_title_is_that_series(graph, tmp_path):
    report = ingest_text(graph, tmp_path, SERIES_STORY)
    assert {("Pella Moor", "actor", "The series"), ("Jory Kell", "actor", "The series")} <= credits(report)
    described = [m for m in report.mentions if m.text == "The series"]
    assert described and all(m.label == "Ember Coast" for m in described)


def test_the_series_far_after_two_series_stands_for_neither(graph, tmp_path):
    text = SERIES_STORY.replace("on Tuesday.", "on Tuesday, after the success of the series Salt Meadow.")
    report = ingest_text(graph, tmp_path, text)
    assert not [m for m in report.mentions if m.text == "The series" and m.label]


def test_the_new_drama_far_after_a_title_is_a_work_not_named_yet(graph, tmp_path):
    text = ("Daeho is in talks to reunite with the director of the drama Salt Meadow.\n\n"
            "His agency confirmed the offer.\n\nNo date has been set.\n\nFans are waiting.\n\n"
            "The new drama is penned by Ona Pike.")
    report = ingest_text(graph, tmp_path, text)
    assert not [m for m in report.mentions if m.text == "The new drama" and m.label]
    assert not {f for f in credits(report) if f[0] == "Ona Pike" and f[2] == "Salt Meadow"}


def test_the_group_far_after_a_new_unnamed_group_is_not_the_named_one(graph, tmp_path):
    text = ("Moonbay Entertainment, home to ORBIT9, is ready to debut their new girl group.\n\n"
            "The agency has trained them for years.\n\nThe album is being recorded.\n\nFans are waiting.\n\n"
            "The group has four members: Ari, Bel, Cai and Dot.")
    report = ingest_text(graph, tmp_path, text)
    assert not [m for m in report.mentions if m.text == "The group" and m.link]
    assert not {f for f in facts_of(report.candidates) if f[1] == "member of" and f[2] in ("ORBIT9", "The group")}


# -- guests, gerunds, a song's artist, a person's group ------------------------------------------


def test_a_shows_guests_will_include_a_list(graph, tmp_path):
    text = ("The talk show Late Hour says goodbye this month.\n\n"
            "This week's guests will include Pella Moor, Jory Kell and Ona Pike.")
    got = credits(ingest_text(graph, tmp_path, text))
    assert {("Pella Moor", "guest", "Late Hour"), ("Jory Kell", "guest", "Late Hour"),
            ("Ona Pike", "guest", "Late Hour")} <= got


def test_a_gerund_after_for_has_the_doer_of_its_clause(graph, tmp_path):
    text = ("Moon Band is receiving a lot of praise for singing “Blue Tide”. "
            "Critics praised Ona Pike for directing “Night Harbor”.")
    got = credits(ingest_text(graph, tmp_path, text))
    assert {("Moon Band", "performer", "Blue Tide"), ("Ona Pike", "director", "Night Harbor")} <= got
    assert ("Critics", "director", "Night Harbor") not in got


def test_the_artist_before_a_songs_noun_or_owning_it_performs_it(graph, tmp_path):
    text = ("The single is a remake of the Mara Quill classic “Paper Moon.” "
            "Her songwriting credits include Tobin Reyes’ “Slow Rain” and Lena Frost’s “Echo Park”.")
    got = credits(ingest_text(graph, tmp_path, text))
    assert {("Mara Quill", "performer", "Paper Moon"), ("Tobin Reyes", "performer", "Slow Rain"),
            ("Lena Frost", "performer", "Echo Park")} <= got


def test_an_abbreviation_or_a_broadcaster_before_a_title_is_no_artist(graph, tmp_path):
    text = ("The OP song “PHOENIX” opens the show. KBS FM’s “Idol Hour” played songs all night. "
            "Cyworld’s “Song of the Month” returns.")
    got = credits(ingest_text(graph, tmp_path, text))
    assert not {f for f in got if f[0] in ("OP", "KBS FM", "Cyworld")}


def test_his_group_is_the_group_of_the_one_person_named_before(graph, tmp_path):
    text = ("I became a fan of Tobin Reyes in 2007 when his group Velvet Static released an album. "
            "Ona Pike praised Jory Kell and his band Echo Field.")
    got = facts_of(ingest_text(graph, tmp_path, text).candidates)
    assert ("Tobin Reyes", "member of", "Velvet Static") in got
    assert not {f for f in got if f[2] == "Echo Field"}  # two people before "his": no guess


# -- what is no date, and no work ------------------------------------------------------------


def test_a_weekday_time_slot_is_no_date(graph, tmp_path):
    text = "Moon Band sang “Blue Tide” for KBS's Monday, Tuesday drama “Salt Meadow”."
    report = ingest_text(graph, tmp_path, text)
    assert ("Moon Band", "performer", "Blue Tide") in credits(report)
    assert not [c for c in report.candidates if c.date]


def test_appearing_on_music_shows_is_on_no_one_work(graph, tmp_path):
    text = ("ORBIT9 released the single “Blue Tide” today. Its music video was directed by Ona Pike.\n\n"
            "The group will appear on music shows starting next week.")
    got = credits(ingest_text(graph, tmp_path, text))
    assert not {f for f in got if f[1] == "appearance"}


def test_a_quoted_title_by_a_name_in_a_sentence_about_music_is_the_artists(graph, tmp_path):
    text = "“Glass Heart” by Mara Quill topped the chart this week. The film “Iron Tide” by Jory Kell won."
    got = credits(ingest_text(graph, tmp_path, text))
    assert ("Mara Quill", "performer", "Glass Heart") in got
    assert ("Jory Kell", "performer", "Iron Tide") not in got  # a film's "by": no singer


def test_the_owner_of_a_music_video_for_a_song_performs_it(graph, tmp_path):
    text = ("The actress appeared in Tobin Reyes’ music video for “Cake Walk” in 1999, "
            "and later in the video for Lena Frost’s “Slow Rain”.")
    got = credits(ingest_text(graph, tmp_path, text))
    assert {("Tobin Reyes", "performer", "Cake Walk"), ("Lena Frost", "performer", "Slow Rain")} <= got


def test_the_titles_a_person_is_known_for_are_their_credits_in_the_part_the_words_say(graph, tmp_path):
    text = ("Jo Min, known for the film “Paper Harbor” (2014) and “Salt Meadow” (2016), joins the cast. "
            "Moon Band is best known for songs such as “Blue Tide” and “Low Light.” "
            "Tobin Reyes is known for his charity work.")
    got = credits(ingest_text(graph, tmp_path, text))
    assert {("Jo Min", "actor", "Paper Harbor"), ("Jo Min", "actor", "Salt Meadow"),
            ("Moon Band", "performer", "Blue Tide"), ("Moon Band", "performer", "Low Light")} <= got
    assert not {f for f in got if f[0] == "Tobin Reyes"}


def test_a_title_before_fame_is_where_the_person_played(graph, tmp_path):
    text = "The thriller featured a guest appearance by Glass Orchard fame Tobin Reyes."
    assert ("Tobin Reyes", "actor", "Glass Orchard") in credits(ingest_text(graph, tmp_path, text))


def test_known_for_takes_the_sentences_trade_and_a_surname_song_is_no_music(graph, tmp_path):
    # "Song" here is a family name: the sentence speaks of a role, so the titles are roles
    text = "Song Hae-in, known for “Quiet Fields” (2014) and “Glass Orchard” (2015), takes on the role of a conductor."
    got = credits(ingest_text(graph, tmp_path, text))
    assert {("Song Hae-in", "actor", "Quiet Fields"), ("Song Hae-in", "actor", "Glass Orchard")} <= got
    assert not {f for f in got if f[1] == "performer"}


# -- listicle lines --------------------------------------------------------------------------


def test_two_people_in_a_songs_video_on_a_list_of_music_videos_both_appear(graph, tmp_path):
    text = ("1. Mara Quill and Jory Kell in Tobin Reyes’ “Cake Walk”\n\nThe pair played a couple.\n\n"
            "2. Lena Frost in Moon Band’s “Blue Tide”\n\nShe danced on a rooftop.")
    report = ingest_text(graph, tmp_path, text, headline="Ten Actors Who Starred In Music Videos")
    got = credits(report)
    assert {("Mara Quill", "appearance", "Cake Walk"), ("Jory Kell", "appearance", "Cake Walk"),
            ("Tobin Reyes", "performer", "Cake Walk"), ("Lena Frost", "appearance", "Blue Tide"),
            ("Moon Band", "performer", "Blue Tide")} <= got
    assert ("Jory Kell", "performer", "Cake Walk") not in got


def test_an_unnumbered_list_line_with_a_quoted_title_is_read_not_dropped_as_a_heading(graph, tmp_path):
    text = "Songs You Did Not Know Were Ghostwritten\n\nTobin Reyes wrote Lena Frost’s “Slow Rain”\n\nIt was a hit."
    report = ingest_text(graph, tmp_path, text, headline=None)
    assert ("Tobin Reyes", "songwriter", "Slow Rain") in credits(report)


def test_a_person_in_an_artists_song_in_a_sentence_about_videos_is_seen_in_its_video(graph, tmp_path):
    text = ("Sometimes, like Mara Quill in Tobin Reyes' \"Cake Walk,\" cameos in music videos make sense. "
            "Jory Kell in Moon Band’s “Blue Tide” was a treat in the video.")
    got = credits(ingest_text(graph, tmp_path, text))
    assert {("Mara Quill", "cameo", "Cake Walk"), ("Tobin Reyes", "performer", "Cake Walk"),
            ("Jory Kell", "cameo", "Blue Tide"), ("Moon Band", "performer", "Blue Tide")} <= got  # (cameos just before)


def test_a_person_in_a_places_festival_is_no_video(graph, tmp_path):
    text = "Jory Kell in Seoul’s “Lantern Festival” was fun, the organisers said of the parade."
    assert not credits(ingest_text(graph, tmp_path, text))


def test_a_one_word_name_opening_a_sentence_before_a_verb_of_credit_is_a_name(graph, tmp_path):
    text = "Zelo dropped “Any Song” on Monday. Sometimes released songs take time. Meanwhile featured acts wait."
    report = ingest_text(graph, tmp_path, text)
    assert ("Zelo", "performer", "Any Song") in credits(report)
    assert not {m.text for m in report.mentions} & {"Sometimes", "Meanwhile"}


def test_a_numbered_cameo_line_the_item_takes_back_gives_no_credit(graph, tmp_path):
    text = ("1. Mara Quill in Moon Band’s “Blue Tide”\nShe pops up as a waitress.\n\n"
            "2. Jory Kell in Moon Band’s “Low Light”\nOkay, this one is a trick. It is not Jory Kell, so it does not count.")
    got = credits(ingest_text(graph, tmp_path, text, headline="Music Video Cameos You Missed"))
    assert ("Mara Quill", "cameo", "Blue Tide") in got
    assert not {f for f in got if f[0] == "Jory Kell"}


def test_a_list_number_range_leads_an_item_and_the_song_owner_performs_it(graph, tmp_path):
    text = ("1. Mara Quill in Moon Band’s “Blue Tide”\nShe plays a waitress.\n\n"
            "3-4. Lena Frost and Jory Kell in Tobin Reyes’ “Cake Walk”\nA lot can happen at a laundromat.")
    got = credits(ingest_text(graph, tmp_path, text, headline="Actors Who Starred In Music Videos"))
    assert ("Tobin Reyes", "performer", "Cake Walk") in got
    assert not {f for f in got if f[1] == "performer" and f[0] in ("Lena Frost", "Jory Kell")}


def test_remixed_gives_a_remixer_in_either_voice(graph, tmp_path):
    text = "The song “Glass Orchard” was also remixed by Orrin Vale. Tobin Reyes remixed the band's song “Low Light”."
    got = credits(ingest_text(graph, tmp_path, text))
    assert {("Orrin Vale", "remixer", "Glass Orchard"), ("Tobin Reyes", "remixer", "Low Light")} <= got


def test_stopping_by_a_show_is_a_guests_visit_and_a_place_is_no_credit(graph, tmp_path):
    text = ("Mara Quill stopped by The Ellen Show to perform a song. Jory Kell dropped by the Late Show on Monday. "
            "Tobin Reyes stopped by the studio. Ona Pike visited Seoul.")
    got = credits(ingest_text(graph, tmp_path, text))
    assert {("Mara Quill", "guest", "The Ellen Show"), ("Jory Kell", "guest", "Late Show")} <= got
    assert not {f for f in got if f[0] in ("Tobin Reyes", "Ona Pike")}


def test_the_owner_of_a_song_a_person_wrote_or_produced_performs_it(graph, tmp_path):
    text = ("Dami Okonjo co-wrote Selene Park’s “Northern Lights” with Theo Marsh. "
            "Rui Tanaka produced The Paper Kites’ “Hollow Bell” and wrote Mina Cole’s “Afterglow”.")
    got = credits(ingest_text(graph, tmp_path, text))
    assert {("Selene Park", "performer", "Northern Lights"), ("The Paper Kites", "performer", "Hollow Bell"),
            ("Mina Cole", "performer", "Afterglow")} <= got
