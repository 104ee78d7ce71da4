"""Film and TV credits as casting news writes them (issue 20, eleventh round): a name's bracket of past
work or of the part played ("A (Glass Road) and B (Why Now?) will headline W", "stars A (Dr. Seo), B (Kang)"),
a broadcaster before the noun that names the title ("the Netflix drama “W”"), who is cast and who casts
("Director A has cast B and C for W"), the actors who join a cast, and a list of titles after a plural noun
("the dramas “X” and “Y”"). Sentences written here, read through the public :func:`ingest` on a tiny graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from .articles import facts_of, ingest_text, tiny_graph
from .test_extract_recall import TINY


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def facts(graph: Path, tmp_path: Path, text: str, **kw) -> set[tuple]:
    return facts_of(ingest_text(graph, tmp_path, text, **kw).candidates, by_label=True)


def test_a_bracket_after_each_name_does_not_cut_the_coordinated_subject(graph, tmp_path):
    """The bracket held a title, so the parser read it: "Tan Reyes" became the sentence's root and only the
    second name its subject."""
    found = facts(graph, tmp_path, "Tan Reyes (Silent Bay) and Seo Hyun-ah (Cold River) will headline the drama "
                                   "“Harbor Nights” this fall.")
    assert {("Tan Reyes", "actor", "Harbor Nights"), ("Seo Hyun-ah", "actor", "Harbor Nights")} <= found
    assert not {w for _, _, w in found} & {"Silent Bay", "Cold River"}  # past work: no credit here


def test_a_broadcaster_before_the_noun_that_names_the_title_is_not_the_work(graph, tmp_path):
    report = ingest_text(graph, tmp_path, "Tan Reyes will lead the upcoming Netflix drama “Harbor Nights,” "
                                          "and Seo Hyun-ah will join the MBN drama Paper Crowns.")
    kinds = {m.text: m.type for m in report.mentions}
    assert kinds["Netflix"] is None and kinds["MBN"] is None
    assert kinds["Harbor Nights"] == "KDrama"
    found = facts_of(report.candidates)
    assert ("Tan Reyes", "actor", "Harbor Nights") in found
    assert not [f for f in found if f[2] in ("Netflix", "MBN")]


def test_a_quoted_name_before_drama_is_still_the_drama(graph, tmp_path):
    """A guard: a title in quotes before the noun is the work ("“Harbor Nights” drama")."""
    report = ingest_text(graph, tmp_path, "Tan Reyes joined the “Harbor Nights” drama last year.")
    assert {m.text: m.type for m in report.mentions}["Harbor Nights"] == "KDrama"


def test_a_cast_list_with_each_part_in_brackets_credits_the_actors_not_the_parts(graph, tmp_path):
    """"stars A (Part), B (Part) and C (Part)": the list reader stopped at the first bracket, and the
    recap rule ("Part (Actor)") made each part an actor."""
    report = ingest_text(graph, tmp_path, "The drama “Paper Moon” stars Kim Do-yeon (Seo Ha-na), Choi Jin-ho "
                                          "(Baek Ji-hoon) and Han Yu-ri (Oh Mi-ran).")
    found = facts_of(report.candidates, at_least=0.0)
    assert {("Kim Do-yeon", "actor", "Paper Moon"), ("Choi Jin-ho", "actor", "Paper Moon"),
            ("Han Yu-ri", "actor", "Paper Moon")} <= found
    assert not [f for f in found if f[0] in ("Seo Ha-na", "Baek Ji-hoon", "Oh Mi-ran")]


def test_the_series_stars_list_after_the_title_was_named(graph, tmp_path):
    text = ("The new drama “Glass Harbor” premiered on Friday. The series stars Kim Min-jae (Lee Do-hyun), "
            "Park Ji-won (Han Se-ra) and Lee Sang-woo (Kang Tae-il).")
    found = facts_of(ingest_text(graph, tmp_path, text).candidates, at_least=0.0, by_label=True)
    assert {("Kim Min-jae", "actor", "Glass Harbor"), ("Park Ji-won", "actor", "Glass Harbor"),
            ("Lee Sang-woo", "actor", "Glass Harbor")} <= found
    assert not [f for f in found if f[0] in ("Lee Do-hyun", "Han Se-ra", "Kang Tae-il")]


def test_a_recap_names_the_actor_in_the_bracket(graph, tmp_path):
    """A guard: outside a cast list, "Part (Actor)" still reads the actor in the bracket."""
    text = ("The drama “Glass Harbor” ended its run on Sunday. In the finale, Jae-won (Kang Min-jae) and "
            "Da-hee (Jo A-ra) meet again.")
    found = facts_of(ingest_text(graph, tmp_path, text).candidates)
    assert {("Kang Min-jae", "actor", "Glass Harbor"), ("Jo A-ra", "actor", "Glass Harbor")} <= found


def test_the_one_who_casts_is_no_actor(graph, tmp_path):
    found = facts(graph, tmp_path, "Director Han Do-yun has cast actors Seo Min-ho and Yoon Ga-eun for his new "
                                   "film “Paper Moon”.")
    assert {("Seo Min-ho", "actor", "Paper Moon"), ("Yoon Ga-eun", "actor", "Paper Moon")} <= found
    assert ("Han Do-yun", "actor", "Paper Moon") not in found


def test_actors_joining_the_cast_are_actors_of_the_work_in_focus(graph, tmp_path):
    text = ("The film “Paper Moon” opens in May. Other actors joining the cast are Lee Ji-ho, Choi Bo-ra and "
            "Kang Min-su.")
    found = facts(graph, tmp_path, text)
    assert {("Lee Ji-ho", "actor", "Paper Moon"), ("Choi Bo-ra", "actor", "Paper Moon"),
            ("Kang Min-su", "actor", "Paper Moon")} <= found


def test_each_title_listed_after_a_plural_noun(graph, tmp_path):
    found = facts(graph, tmp_path, "Kim Do-yeon played in the hit dramas “Glass Road” and “Paper Moon” before "
                                   "her first film.")
    assert {("Kim Do-yeon", "actor", "Glass Road"), ("Kim Do-yeon", "actor", "Paper Moon")} <= found


def test_each_title_listed_after_a_plural_noun_with_the_list_commas_inside_the_quotes(graph, tmp_path):
    """“X,” “Y,” and “Z”: the parse reader lists titles as the pattern rules do (one reader of a list)."""
    found = facts(graph, tmp_path, "Kim Do-yeon played in the hit dramas “Glass Road,” “Paper Moon,” and "
                                   "“Blue Hour” before her first film.")
    assert {("Kim Do-yeon", "actor", "Glass Road"), ("Kim Do-yeon", "actor", "Paper Moon")} <= found


def test_a_hyphenated_qualifier_is_no_name_and_no_work(graph, tmp_path):
    """"the Emmy-nominated series", "Oscar-winning director A": the word before the noun was found as a
    name, typed a series by the noun after it, and a credit block further on was read as its cast."""
    text = ("The Emmy-nominated series ends this week, and Oscar-winning director Han Do-yun will direct the "
            "film “Paper Moon”.\n\nDirected by: Oh Tae-min\n\nCast: Lee Ji-ho, Choi Bo-ra\n")
    report = ingest_text(graph, tmp_path, text)
    names = {m.text for m in report.mentions}
    assert not names & {"Emmy-nominated", "Oscar-winning"}
    found = facts_of(report.candidates)
    assert ("Han Do-yun", "director", "Paper Moon") in found
    assert not [f for f in found if "nominated" in f[2] or "winning" in f[0]]


def test_a_title_heading_with_a_bracket_over_a_credit_block(graph, tmp_path):
    """"Glass Road (World Premiere)", two blank lines, then "Director:" and "Cast:": the bracket after the
    title made the heading two names (no title: its credits were no one's)."""
    text = ("Festival Picks: Five Films To See\n\nThe festival opens on Friday with five premieres.\n\n"
            "Glass Road (World Premiere)\n\n\nDirector: Han Do-yun\n\nCast: Lee Ji-ho, Choi Bo-ra\n\n"
            "The film follows two sisters on a long drive.\n")
    found = facts_of(ingest_text(graph, tmp_path, text, headline=None).candidates)
    assert {("Han Do-yun", "director", "Glass Road"), ("Lee Ji-ho", "actor", "Glass Road"),
            ("Choi Bo-ra", "actor", "Glass Road")} <= found
    assert not [f for f in found if f[2] == "World Premiere"]


def test_the_one_cast_in_the_passive_is_still_the_actor(graph, tmp_path):
    """A guard for the rule above: "A has been cast opposite him as B" names the one cast as the subject."""
    found = facts(graph, tmp_path, "The drama “Paper Moon” opens in May. Jo A-ra has been cast opposite him as "
                                   "Seol, a sharp-tongued accountant.")
    assert ("Jo A-ra", "actor", "Paper Moon") in found


def test_a_bracket_with_a_clause_in_it_is_still_read(graph, tmp_path):
    """A guard: "(played by A)" is no aside of names; the parser reads it."""
    found = facts(graph, tmp_path, "The drama “Glass Road” follows one Cruz Manuelos (played by Lena Park), a "
                                   "young recruit.")
    assert ("Lena Park", "actor", "Glass Road") in found


def test_set_to_play_the_lead_role_in_a_season_of_an_unquoted_series(graph, tmp_path):
    """"is set to play the lead female role in the upcoming second season of W": "season of" types W a
    series (it had no type, unquoted: no credit), and "set to play ... role" is the credit itself (it was
    taken for "playing a bellboy" after a cameo); "the lead female role" is no part's name."""
    report = ingest_text(graph, tmp_path, "Kim So-yeon is set to play the lead female role in the upcoming "
                                          "second season of Tale of the Glass Fox.")
    credits = {(c.slots["agent"].text, c.role, c.slots["work"].text, c.character) for c in report.candidates
               if c.kind == "credit" and c.score >= 0.5}
    assert ("Kim So-yeon", "actor", "Tale of the Glass Fox", None) in credits


def test_a_name_that_stars_in_a_platforms_series_is_its_actor(graph, tmp_path):
    """"A stars in the Netflix series “W”": after a name the small model read "stars" as a plural noun with
    the name its compound, so the sentence had no verb and no subject; the star of a sky stays no credit."""
    found = facts(graph, tmp_path, "Mara Solis stars in the Netflix series “Paper Harbor”, out in May.")
    assert ("Mara Solis", "actor", "Paper Harbor") in found, found
    found = facts(graph, tmp_path, "Leo Marsh stars as a detective in the drama “Low Tide”.")
    assert ("Leo Marsh", "actor", "Low Tide") in found, found
    assert not facts(graph, tmp_path, "The stars in “Paper Harbor” were praised by critics.")
