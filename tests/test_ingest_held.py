"""Extraction that holds on text nobody tuned it to (issue 20): shared names
ordered by the article's own words, a link whose context names another kind
of thing, cameos with their roles, co-writers, dates without a year, and
surnames two people share. Each on a tiny graph made here, on short sentences
written here, through the public :func:`ingest`."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabgraph.ingest.article import DEFAULT_THRESHOLD, KnownNames, analyse, ingest
from collabgraph.ingest.candidates import Article
from collabgraph.ingest.parse import ParseExtractor

from .articles import ingest_text as read
from .articles import tiny_graph

ID = "https://w3id.org/collabgraph/id/"

TINY = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
id:han-so-ra-actress a cg:Person ; rdfs:label "Han So-ra"@en .
id:han-so-ra-dj a cg:Person ; rdfs:label "Han So-ra"@en ; skos:altLabel "DJ Sora"@en .
id:lumen-band a cg:Group ; rdfs:label "LUMEN"@en .
id:lumen-singer a cg:Person ; rdfs:label "Lumen"@en .
id:saebyeok-crew a cg:Group ; rdfs:label "Saebyeok"@en .
id:tide a cg:Song ; rdfs:label "Tide"@en .
id:gu-min-ho a cg:Person ; rdfs:label "Gu Min-ho"@en .
id:ahn-ye-seul a cg:Person ; rdfs:label "Ahn Ye-seul"@en .
id:ryu-jae a cg:Person ; rdfs:label "Ryu Jae"@en .
id:corner-table a cg:TalkShow ; rdfs:label "Corner Table"@en .
id:nova a cg:Group ; rdfs:label "NOVA"@en .
id:vee a cg:Person ; rdfs:label "Vee"@en .
"""


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def first(m) -> str:
    """What a mention stands for: its link, else its first suggestion, else its words."""
    if m.link:
        return m.link.rsplit("/", 1)[-1]
    if m.suggestions:
        return m.suggestions[0][0].rsplit("/", 1)[-1]
    return m.label or m.text


def credits(report) -> set[tuple[str, str, str, str | None]]:
    return {(first(c.slots["agent"]), first(c.slots["work"]), c.role, c.character) for c in report.candidates
            if c.kind == "credit" and c.score >= DEFAULT_THRESHOLD}


def dates(report) -> set[tuple[str, str]]:
    return {(first(c.slots.get("work") or c.slots["about"]), c.date) for c in report.candidates
            if c.kind in ("credit", "claim") and c.date and c.score >= DEFAULT_THRESHOLD}


def test_a_shared_name_suggests_first_the_one_the_article_names_by_a_name_only_it_holds(graph, tmp_path):
    report = read(graph, tmp_path, "The album was produced by Han So-ra, better known as DJ Sora, "
                                   "who also wrote the single “Paper Moon”.")
    for m in (m for m in report.mentions if m.text == "Han So-ra"):
        assert m.link is None  # still a person's choice
        assert [s[0] for s in m.suggestions] == [ID + "han-so-ra-dj", ID + "han-so-ra-actress"]


def test_a_shared_name_up_to_case_suggests_first_the_exact_spelling(graph, tmp_path):
    report = read(graph, tmp_path, "LUMEN released “Glow” on Friday. Lumen, a solo artist, sang on “Glow” too.")
    got = {m.text: [s[0] for s in m.suggestions] for m in report.mentions if m.text.lower() == "lumen"}
    assert got["LUMEN"][0] == ID + "lumen-band"
    assert got["Lumen"][0] == ID + "lumen-singer"  # the band's kind is not the singer's
    assert all(m.link is None for m in report.mentions if m.text.lower() == "lumen")


def test_a_name_whose_words_say_another_kind_is_only_a_suggestion(graph, tmp_path):
    """The graph's Saebyeok is a dance crew; "the 2016 series Saebyeok" is not it."""
    report = read(graph, tmp_path, "Gu Min-ho, who starred in the 2016 series Saebyeok, joins the cast.")
    m = next(m for m in report.mentions if m.text == "Saebyeok")
    assert m.link is None
    assert [s[0] for s in m.suggestions] == [ID + "saebyeok-crew"]


def test_the_same_name_as_a_group_still_names_it(graph, tmp_path):
    report = read(graph, tmp_path, "The dance crew Saebyeok performed with Gu Min-ho.")
    assert next(m for m in report.mentions if m.text == "Saebyeok").proposed == ID + "saebyeok-crew"


def test_a_cameo_featured_by_a_work_with_a_lowercase_role(graph, tmp_path):
    report = read(graph, tmp_path, "Singer Ryu Jae released the single “Paper Moon” on Friday. The music video was "
                                   "directed by Gu Min-ho and features a cameo by actress Ahn Ye-seul as a "
                                   "flower-shop owner.")
    got = credits(report)
    assert ("ahn-ye-seul", "Paper Moon", "cameo", "flower-shop owner") in got
    # the cameo is the second verb's: the director stays a director
    assert ("gu-min-ho", "Paper Moon", "director", None) in got
    assert not any(a == "gu-min-ho" and r == "cameo" for a, _, r, _ in got)


def test_a_cameo_in_a_with_clause_is_in_the_clause_work(graph, tmp_path):
    report = read(graph, tmp_path, "Ryu Jae's new album “Night Ferry” is out, with the lead single “Glow” and the "
                                   "track “Tide”. The rapper said the music video for “Bus Stop” was directed by "
                                   "Gu Min-ho, with Ahn Ye-seul making a cameo as a bus driver.")
    got = credits(report)
    assert ("ahn-ye-seul", "Bus Stop", "cameo", "bus driver") in got
    assert not any(a == "ahn-ye-seul" and w == "Night Ferry" for a, w, _, _ in got)


def test_wrote_the_lyrics_with_a_second_writer(graph, tmp_path):
    report = read(graph, tmp_path, "Ryu Jae released the single “Paper Moon” on Friday. Ryu wrote the lyrics with "
                                   "Ahn Ye-seul over video calls.")
    got = {(a, w, r) for a, w, r, _ in credits(report)}
    assert {("ryu-jae", "Paper Moon", "lyricist"), ("ahn-ye-seul", "Paper Moon", "lyricist")} <= got


@pytest.mark.parametrize("sentence, published, day", [
    ("“Night Ferry” opens in cinemas on Wednesday, October 8.", "2025-09-30", "2025-10-08"),
    ("“Night Ferry” opens in cinemas on Wednesday.", "2025-10-06", "2025-10-08"),
    ("“Night Ferry” is out March 9.", "2026-02-27", "2026-03-09"),
    ("Her single “Night Ferry” comes out on January 23.", "2026-01-09", "2026-01-23"),
])
def test_a_present_tense_release_without_a_year_is_the_coming_day(graph, tmp_path, sentence, published, day):
    assert ("Night Ferry", day) in dates(read(graph, tmp_path, sentence, published=published))


def test_an_aired_episode_of_a_talk_show_is_no_release_date_of_the_show(graph, tmp_path):
    report = read(graph, tmp_path, "Ryu Jae appeared as a guest on the talk show “Corner Table,” which aired on "
                                   "Thursday.", published="2026-05-08")
    assert not any(w == "corner-table" for w, _ in dates(report))
    assert ("ryu-jae", "corner-table", "guest", None) in credits(report)


def test_a_known_title_inside_a_longer_title_is_no_suggestion_for_it(graph, tmp_path):
    report = read(graph, tmp_path, "Ryu Jae released the single “Tide Runner” on Friday.")
    m = next(m for m in report.mentions if m.text == "Tide Runner")
    assert m.link is None and ID + "tide" not in [s[0] for s in m.suggestions]


def test_a_surname_two_people_of_the_article_share_names_nobody(graph, tmp_path):
    report = read(graph, tmp_path, "Ahn Ye-seul and Ahn Ye-jin star in the drama “Night Ferry”. "
                                   "Ahn will play a ferry captain.")
    assert not any(c.slots.get("agent") is not None and c.slots["agent"].text == "Ahn" for c in report.candidates)
    assert not any(m.text == "Ahn" for m in report.mentions)


def test_the_kind_word_of_the_line_before_says_nothing_of_a_name(graph, tmp_path):
    """"... in a summer series" ending a headline is not "the series Gu Min-ho"."""
    report = read(graph, tmp_path, "Gu Min-ho cast in a summer series\n\nGu Min-ho will star in the film “Night Ferry”.")
    assert all((m.link or m.proposed) == ID + "gu-min-ho" for m in report.mentions if m.text == "Gu Min-ho")


def test_a_groups_quoted_title_is_its_music(graph, tmp_path):
    report = read(graph, tmp_path, "The top spot went again to LUMEN’s “Gravity,” now in its tenth week.")
    assert ("lumen-band", "Gravity", "performer", None) in credits(report)


@pytest.mark.parametrize("sentence", [
    "“Glow” was written by producer and DJ Han So-ra and arranged by Gu Min-ho.",
    "Ryu Jae co-produced the single “Glow” with his friend Han So-ra, the DJ.",
])
def test_a_shared_name_suggests_first_the_one_whose_other_name_the_words_beside_it_use(graph, tmp_path, sentence):
    report = read(graph, tmp_path, sentence + " Han So-ra also wrote “Tide Runner”.")
    for m in (m for m in report.mentions if m.text == "Han So-ra"):
        assert m.link is None
        assert m.suggestions[0][0] == ID + "han-so-ra-dj"  # "DJ Sora": one article, one person of the name


def members(report) -> set[tuple[str, str]]:
    return {(first(c.slots["member"]), first(c.slots["group"])) for c in report.candidates
            if c.kind == "membership" and c.score >= DEFAULT_THRESHOLD}


def test_a_member_list_steps_over_a_lowercase_stage_name(graph, tmp_path):
    report = read(graph, tmp_path, "The dance crew Saebyeok comprises five members - Ryu Jae, b-rock, Gu Min-ho, "
                                   "Ahn Ye-seul and Mo Da-in.")
    got = members(report)
    assert {("ryu-jae", "saebyeok-crew"), ("gu-min-ho", "saebyeok-crew"), ("ahn-ye-seul", "saebyeok-crew"),
            ("Mo Da-in", "saebyeok-crew")} <= got


def test_whose_leader_names_a_member(graph, tmp_path):
    report = read(graph, tmp_path, "Best Group: Saebyeok, whose leader Ryu Jae gave his speech in three languages.")
    assert ("ryu-jae", "saebyeok-crew") in members(report)


def test_what_a_correction_note_says_an_earlier_version_stated_is_not_proposed(graph, tmp_path):
    report = read(graph, tmp_path, "Ryu Jae released the single “Paper Moon” on Friday.\n\nCorrection: An earlier "
                                   "version of this article stated that Gu Min-ho co-wrote “Paper Moon.” He did not "
                                   "work on the song.")
    assert not any(c.kind != "entity" and "earlier version" in c.sentence for c in report.candidates)
    assert not any(a == "gu-min-ho" for a, _, _, _ in credits(report))
    assert ("ryu-jae", "Paper Moon", "performer", None) in credits(report)


def test_an_information_line_with_several_fields_credits_the_headlines_work(graph, tmp_path):
    path = tmp_path / "review.txt"
    path.write_text("Film Review: ‘Night Ferry’ Sails Slowly\n\n"
                    "Director: Mo Da-in · Screenplay: Mo Da-in, Ryu Jae · Running time: 98 min.\n"
                    "Starring: Gu Min-ho, Ahn Ye-seul\n\n"
                    "The ferry of the title crosses a grey sea. The soundtrack includes “Tide,” a song by LUMEN.\n\n"
                    "“Night Ferry” opens in cinemas on Friday.\n", "utf-8")
    report = ingest(path, graph, published="2026-05-20", title="Film Review: ‘Night Ferry’ Sails Slowly")
    got = {(a, w, r) for a, w, r, _ in credits(report)}
    assert {("Mo Da-in", "Night Ferry", "director"), ("Mo Da-in", "Night Ferry", "screenwriter"),
            ("ryu-jae", "Night Ferry", "screenwriter"), ("gu-min-ho", "Night Ferry", "actor"),
            ("ahn-ye-seul", "Night Ferry", "actor")} <= got
    assert not any(m.text.startswith(("Director", "Screenplay")) for m in report.mentions)


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_a_persons_title_in_a_sentence_about_music_is_theirs_whatever_the_apostrophe(graph, tmp_path, apostrophe):
    report = read(graph, tmp_path, f"Ryu Jae{apostrophe}s “Paper Moon,” featuring the singer Ahn Ye-seul, was "
                                   "composed by Gu Min-ho and became his first number one.")
    got = {(a, w, r) for a, w, r, _ in credits(report)}
    assert {("ryu-jae", "Paper Moon", "performer"), ("gu-min-ho", "Paper Moon", "composer")} <= got


def test_playing_a_lowercase_part_in_the_news_of_a_song_is_a_cameo_in_it(graph, tmp_path):
    report = read(graph, tmp_path, "Five summers ago, Ryu Jae released the single “Tide.” Gu Min-ho played a waiter "
                                   "in a purple suit, while Ahn Ye-seul played a talk-show director.")
    got = credits(report)
    assert {("gu-min-ho", "tide", "cameo", "waiter"), ("ahn-ye-seul", "tide", "cameo", "talk-show director")} <= got


def test_only_a_part_played_has_a_character(graph, tmp_path):
    report = read(graph, tmp_path, "Ryu Jae released the single “Tide” on Friday. That video, directed by Mo Da-in, "
                                   "starred Gu Min-ho and Ahn Ye-seul as a couple in a ruined world.")
    directed = [c for c in report.candidates if c.kind == "credit" and c.role == "director"]
    assert directed and all(c.character is None for c in directed)


def test_in_an_interview_i_is_the_person_it_is_with_and_no_antecedent_of_he(graph, tmp_path):
    path = tmp_path / "qa.txt"
    path.write_text("Q&A: Gu Min-ho on Ferries and Music\n\nInterview by Jo Eun | May 20, 2026\n\n"
                    "We sat down with Gu Min-ho in a café.\n\n"
                    "What did you do this year?\nThis year I produced LUMEN’s single “Tide Runner.”\n\n"
                    "You worked with director Mo Da-in, right?\nYes. He directed my first film, “Night Ferry.”\n\n"
                    "Did you sing on it?\n“I never sing,” she laughed.\n", "utf-8")
    report = ingest(path, graph, published="2026-05-20", title="Q&A: Gu Min-ho on Ferries and Music")
    got = credits(report)
    assert ("gu-min-ho", "Tide Runner", "producer", None) in got
    assert not any(a == "gu-min-ho" and r == "director" for a, _, r, _ in got)


def test_outside_an_interview_i_is_no_one(graph, tmp_path):
    report = read(graph, tmp_path, "Gu Min-ho is busy. This year I produced the single “Tide Runner.”")
    assert not any(a == "gu-min-ho" and r == "producer" for a, _, r, _ in credits(report))


def test_a_surname_takes_the_full_name_named_before_it(graph, tmp_path):
    report = read(graph, tmp_path, "Gu Min-ho will lead the drama “Night Ferry.” Gu, who last starred in a film, "
                                   "will play a ferry captain. Also joining the cast is newcomer Gu Ha-eun.")
    short = [m for m in report.mentions if m.text == "Gu"]
    assert short and all((m.link or m.proposed) == ID + "gu-min-ho" for m in short)


def test_a_second_verb_with_by_after_a_passive_is_passive_too(graph):
    """The parse extractor alone (the pattern rules may find "helmed by" by themselves)."""
    text = ("News\n\nThe drama “Night Ferry” opens on Friday. The series is written by screenwriter Ryu Jae and "
            "helmed by Mo Da-in, who is currently directing the weekend drama “Harbor Lights.”\n")
    found = analyse(text, Article(id="a", text_sha256="0", published="2026-05-20"), KnownNames.for_graph(graph),
                    extractors=[ParseExtractor()])
    got = {(first(c.slots["agent"]), first(c.slots["work"]), c.role) for c in found.candidates if c.kind == "credit"}
    assert {("ryu-jae", "Night Ferry", "screenwriter"), ("Mo Da-in", "Night Ferry", "director"),
            ("Mo Da-in", "Harbor Lights", "director")} <= got


def test_stars_as_misread_as_a_plural_noun_is_still_a_part(graph, tmp_path):
    report = read(graph, tmp_path, "The upcoming drama “Night Ferry” has finalised its cast. Ahn Ye-seul stars as "
                                   "Ji-hye, a marine biologist who returns to her hometown.")
    assert ("ahn-ye-seul", "Night Ferry", "actor", "Ji-hye") in credits(report)


def test_friends_listed_after_a_groups_member_are_not_its_members(graph, tmp_path):
    """"NOVA's Vee" says whose member Vee is; "the group" after it is the friends' group."""
    report = read(graph, tmp_path, "Ryu Jae released the video for “Tide” on Sunday, featuring his friends NOVA’s "
                                   "Vee, Gu Min-ho and Ahn Ye-seul. The group comprises four members - Vee, Gu Min-ho, "
                                   "Ahn Ye-seul and Ryu Jae.")
    got = members(report)
    assert not {("gu-min-ho", "nova"), ("ahn-ye-seul", "nova"), ("ryu-jae", "nova")} & got


def test_a_guest_with_an_owner_that_is_no_show_is_a_character(graph, tmp_path):
    report = read(graph, tmp_path, "The drama “Night Ferry” returns on Friday. Gu Min-ho returns in a new role as the "
                                   "motel’s mysterious long-term guest, Mr. Cha.")
    assert not any(r == "guest" for _, _, r, _ in credits(report))


def test_bracketed_actors_of_an_untyped_title_when_the_sentence_speaks_of_a_drama(graph, tmp_path):
    report = read(graph, tmp_path, "Warning: spoilers for episode 12 of “Night Ferry.” Saturday’s episode of the "
                                   "weekend drama brought Jae-won (Gu Min-ho) and Da-hee (Ahn Ye-seul) back to the "
                                   "harbour.")
    got = credits(report)
    assert {("gu-min-ho", "Night Ferry", "actor", "Jae-won"), ("ahn-ye-seul", "Night Ferry", "actor", "Da-hee")} <= got


def test_whose_leader_makes_an_unknown_name_a_group(graph, tmp_path):
    report = read(graph, tmp_path, "Newcomer of the Year went to PRISMA, whose leader Seoha burst into tears on stage.")
    got = [c for c in report.candidates if c.kind == "membership" and c.score >= DEFAULT_THRESHOLD]
    assert [(c.slots["member"].text, c.slots["group"].text, c.slots["group"].type) for c in got] == [
        ("Seoha", "PRISMA", "Group")]


def test_a_title_the_article_says_only_shares_its_name_with_a_known_work_is_new(graph, tmp_path):
    tiny = graph / "tiny.ttl"
    tiny.write_text(tiny.read_text("utf-8") + "<urn:x:c1> a <https://w3id.org/collabgraph/ns#Credit> ; "
                    "<https://w3id.org/collabgraph/ns#work> id:tide ; <https://w3id.org/collabgraph/ns#agent> id:vee .\n",
                    "utf-8")
    report = read(graph, tmp_path, "The band LUMEN will release the single “Tide” on Friday. The title shares its "
                                   "name with a 2023 song by Vee, a coincidence the band noticed late.")
    tide = [m for m in report.mentions if m.text == "Tide"]
    assert tide and all(m.link is None and not m.suggestions for m in tide)
    plain = read(graph, tmp_path, "The band LUMEN will release the single “Tide” on Friday. Vee loved it.")
    assert all(m.link == ID + "tide" for m in plain.mentions if m.text == "Tide")


@pytest.mark.parametrize("sentence", [
    "Gu Min-ho — not to be confused with the singer Vee — wrote the song “Tide” himself.",
    "Not to be confused with the drama Tide, in which Vee starred, the crew performed “Tide”.",
])
def test_a_namesake_that_is_no_work_by_someone_unlinks_nothing(graph, tmp_path, sentence):
    tiny = graph / "tiny.ttl"
    tiny.write_text(tiny.read_text("utf-8") + "<urn:x:c1> a <https://w3id.org/collabgraph/ns#Credit> ; "
                    "<https://w3id.org/collabgraph/ns#work> id:tide ; <https://w3id.org/collabgraph/ns#agent> id:vee .\n",
                    "utf-8")
    report = read(graph, tmp_path, sentence)
    assert any(m.link == ID + "tide" for m in report.mentions if m.text == "Tide")
