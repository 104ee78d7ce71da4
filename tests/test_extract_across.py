"""Facts across sentences (issue 20, ninth round): a side carried from an earlier sentence is quoted
with it, or marked when it cannot be; a work brought in as a new one, unnamed, stops a description
or a carried work from standing for an earlier one; "they" as a subject stands for the one group
that was the subject just before; a counted noun ("all eleven songs") is no one work. Articles
written here; each is checked through the public :func:`ingest` on a tiny graph, and one through
review and ``validate --strict``."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabgraph.cli import cli
from collabgraph.ingest.article import DEFAULT_THRESHOLD

from .articles import ingest_text, tiny_graph
from .conftest import ONTOLOGY
from .layout import lay_out
from .test_extract_general import TINY, facts


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def credits(graph: Path, tmp_path: Path, text: str) -> list:
    """The credits and memberships proposed at or above the threshold, as candidates."""
    report = ingest_text(graph, tmp_path, text)
    return [c for c in report.candidates if c.kind in ("credit", "membership") and c.score >= DEFAULT_THRESHOLD]


def named(c, slot: str) -> str:
    return c.slots[slot].label or c.slots[slot].text


CARRIED = "“Quiet Orchard” is a sports drama about a swimming coach. Nam Da-eun stars as Ji-woo, a retired diver."


def test_a_work_carried_from_the_sentence_before_is_quoted_with_it(graph, tmp_path):
    found = [c for c in credits(graph, tmp_path, CARRIED) if named(c, "agent") == "Nam Da-eun"]
    assert [(named(c, "work"), c.role) for c in found] == [("Quiet Orchard", "actor")]
    c = found[0]
    assert c.sentence == CARRIED  # both sentences: the quote names both sides
    assert all(c.start <= m.start and m.end <= c.end for m in c.slots.values())
    text = (graph / "articles" / f"{c.article}.txt").read_text("utf-8")
    assert text[c.start:c.end] == c.sentence


def test_a_carried_fact_passes_review_and_validate_strict(runner, tmp_path):
    # a graph of this article alone: --strict checks every source's quotes against its local copy, and the
    # bundled article's copy is beside the repository only where ../shared is (this test needs none)
    graph = lay_out(tmp_path, files=())
    report = ingest_text(graph, tmp_path, CARRIED)
    g = str(graph)
    out = runner.invoke(cli, ["review", "accept", "--all", "--article", report.article.id, "--graph", g])
    # (a quote of the second sentence alone does not state the work: accept would skip the credit)
    assert out.exit_code == 0 and "1 credit" in out.output and "does not state" not in out.output, out.output
    out = runner.invoke(cli, ["validate", "--graph", g, "--ontology", str(ONTOLOGY), "--strict"])
    assert out.exit_code == 0, out.output
    assert "quote does not name" not in out.output and "warning:" not in out.output


def test_a_work_named_paragraphs_before_is_not_quoted_with_it(graph, tmp_path):
    text = ("The drama “Quiet Orchard” opens in May.\n\nIt follows a family of divers.\n\n"
            "The story is set in Busan. Nam Da-eun stars as Ji-woo, a retired diver.")
    found = [c for c in credits(graph, tmp_path, text) if named(c, "agent") == "Nam Da-eun"]
    assert [(named(c, "work"), c.role) for c in found] == [("Quiet Orchard", "actor")]
    assert found[0].sentence == "Nam Da-eun stars as Ji-woo, a retired diver."  # not three paragraphs


def test_a_new_unnamed_work_stops_a_description_and_a_carried_work(graph, tmp_path):
    found = credits(graph, tmp_path, "Kang Jun-seo starred in the series “Quiet Orchard” last year. This week the "
                                     "actor was cast as a lead in a new series. The series is written by Gu Ye-jin.")
    assert [(named(c, "agent"), c.role, named(c, "work")) for c in found] == [
        ("Kang Jun-seo", "actor", "Quiet Orchard")]
    assert "new series" not in found[0].sentence


def test_a_new_unnamed_work_stops_the_work_the_article_is_about(graph, tmp_path):
    text = ("The drama “Quiet Orchard” opens in May with Kang Jun-seo in the lead.\n\n"
            "Fans will have to wait longer for a new drama from its writer.\n\n"
            "Its first teaser is out now.\n\nThe drama is directed by Gu Ye-jin.")
    assert ("Gu Ye-jin", "director", "Quiet Orchard") not in facts(graph, tmp_path, text)


def test_a_work_described_as_a_new_one_is_still_the_named_work(graph, tmp_path):
    found = facts(graph, tmp_path, "“Quiet Orchard” is a new drama about divers. The drama is directed by Gu Ye-jin.")
    assert ("Gu Ye-jin", "director", "Quiet Orchard") in found


def test_they_as_a_subject_is_the_group_that_was_the_subject_before(graph, tmp_path):
    found = facts(graph, tmp_path, "MARLOW performed at the festival on Friday. They wrote the song “Quiet Orchard” "
                                   "with Kang Jun-seo.")
    assert ("MARLOW", "songwriter", "Quiet Orchard") in found
    assert ("Kang Jun-seo", "songwriter", "Quiet Orchard") in found


def test_they_after_a_group_and_a_person_is_no_one(graph, tmp_path):
    found = facts(graph, tmp_path, "MARLOW and Kang Jun-seo performed at the festival on Friday. They wrote the song "
                                   "“Quiet Orchard” together.")
    assert not [f for f in found if f[2] == "Quiet Orchard"]


@pytest.mark.parametrize("words", ["all eleven songs", "every song on it", "both singles"])
def test_a_counted_noun_is_no_one_work(graph, tmp_path, words):
    found = facts(graph, tmp_path, f"MARLOW released the album “Quiet Orchard” on Friday. Gu Ye-jin wrote {words}.")
    assert not [f for f in found if f[0] == "Gu Ye-jin"]


def test_a_title_among_counted_works_is_still_credited(graph, tmp_path):
    found = facts(graph, tmp_path, "Gu Ye-jin wrote three tracks, including “Quiet Orchard”.")
    assert ("Gu Ye-jin", "songwriter", "Quiet Orchard") in found


def test_a_subject_pronoun_after_the_owner_of_a_work_is_no_one(graph, tmp_path):
    found = facts(graph, tmp_path, "Nam Da-eun’s “Quiet Orchard,” which he composed in Busan, topped the chart.")
    assert ("Nam Da-eun", "composer", "Quiet Orchard") not in found


def test_a_subject_pronoun_after_the_owner_of_an_agency_is_the_owner(graph, tmp_path):
    found = facts(graph, tmp_path, "Kang Jun-seo’s agency said he composed “Quiet Orchard” in Busan.")
    assert ("Kang Jun-seo", "composer", "Quiet Orchard") in found


def test_it_as_what_a_character_handles_is_not_the_work(graph, tmp_path):
    text = ("Kang Jun-seo dropped the video for his new single “Quiet Orchard” on Monday, and it plays like a short "
            "comedy set in a bakery.\n\nHe plays a baker who keeps burning the bread. Actress Nam Da-eun appears as a "
            "customer who returns it every morning, while Gu Ye-jin turns up as a courier in the last scene.")
    report = ingest_text(graph, tmp_path, text)
    stored = (graph / "articles" / f"{report.article.id}.txt").read_text("utf-8")
    handled = stored.index("returns it") + len("returns ")
    assert not [c for c in report.candidates if c.kind == "credit" and c.slots["work"].start == handled]


def test_a_tour_named_by_a_title_is_no_work(graph, tmp_path):
    found = facts(graph, tmp_path, "In other news, MARLOW have shared new details for their upcoming ‘Quiet Orchard’ "
                                   "world tour. The tour is set to kick off in Seoul this June, before heading to "
                                   "Europe, where MARLOW will play in 12 different cities.")
    found |= facts(graph, tmp_path, "Kang Jun-seo will headline the ‘Quiet Orchard’ concert in Busan.")
    assert not [f for f in found if f[2] == "Quiet Orchard"]


def test_joining_a_person_qualified_by_a_name_is_no_membership(graph, tmp_path):
    found = facts(graph, tmp_path, "Nam Da-eun has joined Hollywood actor Kang Jun-seo on the cast of the drama "
                                   "“Quiet Orchard”.")
    assert not [f for f in found if f[1] == "member of"]
    assert ("Nam Da-eun", "member of", "MARLOW") in facts(graph, tmp_path, "Nam Da-eun joined MARLOW in 2021.")


def test_works_in_brackets_after_a_name_are_that_persons_past_credits(graph, tmp_path):
    found = facts(graph, tmp_path, "“Paper Kites” is a new drama. It is directed by Gu Ye-jin (“Quiet Orchard,” "
                                   "“Blue Lantern”) and stars Nam Da-eun and Kang Jun-seo.")
    assert not [f for f in found if f[0] in ("Nam Da-eun", "Kang Jun-seo") and f[2] in ("Quiet Orchard",
                                                                                       "Blue Lantern")]
    assert ("Gu Ye-jin", "director", "Paper Kites") in found


def test_a_directors_possessive_title_is_no_performer_credit(graph, tmp_path):
    found = facts(graph, tmp_path, "Director Nam Da-eun’s “Quiet Orchard” opens with a funeral.")
    assert ("Nam Da-eun", "performer", "Quiet Orchard") not in found
    assert ("Kang Jun-seo", "performer", "Quiet Orchard") in facts(graph, tmp_path, "Kang Jun-seo’s “Quiet Orchard” "
                                                                   "topped the chart.")


def test_a_groups_member_described_by_the_group_is_not_the_group(graph, tmp_path):
    found = facts(graph, tmp_path, "The MARLOW member pops up for a few seconds in the video for “Quiet Orchard”.")
    assert not [f for f in found if f[0] == "MARLOW"]
    assert ("MARLOW", "performer", "Quiet Orchard") in facts(graph, tmp_path, "MARLOW’s “Quiet Orchard” topped the "
                                                                              "chart.")


def test_a_known_groups_name_is_no_work(graph, tmp_path):
    found = facts(graph, tmp_path, "The song was composed by producer Kang Jun-seo, who has helmed every MARLOW "
                                   "title track since 2023.")
    assert not [f for f in found if f[2] == "MARLOW"]


def test_a_place_before_a_kind_of_group_and_its_name_is_no_group(graph, tmp_path):
    found = facts(graph, tmp_path, "Nam Da-eun, the frontwoman of Busan rock quartet Paper Kites, wrote the single "
                                   "“Quiet Orchard”.")
    assert not [f for f in found if "Busan" in f[0] or "Busan" in f[2]]
    assert ("Nam Da-eun", "songwriter", "Quiet Orchard") in found


@pytest.mark.parametrize("text", [
    "MARLOW released the album “Quiet Orchard” last week. Kang Jun-seo, a close friend of the band, recorded his "
    "part in a single evening.",
    "The ballad “Quiet Orchard” closes the album. I wrote that part for her with Kang Jun-seo."])
def test_a_persons_part_is_not_carried_to_the_work_in_focus(graph, tmp_path, text):
    assert not [f for f in facts(graph, tmp_path, text) if f[0] == "Kang Jun-seo"]


def test_an_abbreviation_in_brackets_is_no_actor(tmp_path):
    # a known singer whose name is also the initials of a university
    graph = tiny_graph(tmp_path, TINY + 'id:iu a cg:Person ; rdfs:label "IU"@en .\n')
    found = facts(graph, tmp_path, "The short film “Quiet Orchard” opens in May.\n\nKang Jun-seo plays the deckhand. "
                                   "It is Kang Jun-seo’s first acting role; he studied film at Indiana University (IU) "
                                   "before moving to Seoul.")
    assert not [f for f in found if f[0] == "IU"]
    assert ("Kang Jun-seo", "actor", "Quiet Orchard") in found
