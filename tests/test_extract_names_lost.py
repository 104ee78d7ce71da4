"""Names the finder loses, and what a lost name did to a fact (issue 20, eleventh round): a title's capitalised
"The" right after a comma or an opening bracket is part of the title ("Thirst, The Thieves", "(The Missing)"),
and the names in brackets after a person's name and title ("directed by Kwak PD (The Glass Road, Ms. Harbor)") are
that person's past credits, never more people of the credit. Sentences written here; each is checked through
the public :func:`ingest` on a tiny graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from .articles import facts_of, ingest_text, tiny_graph
from .test_extract_recall import TINY


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def _names(graph: Path, tmp_path: Path, text: str) -> set[str]:
    return {c.slots["entity"].text for c in ingest_text(graph, tmp_path, text).candidates if c.kind == "entity"}


def test_the_after_a_comma_is_part_of_the_next_title(graph, tmp_path):
    text = ("Film news\n\nSeoul, March 2 (Daily Ledger) - The retrospective shows Harbor Lights, The Paper "
            "Lanterns and Moonlit Roads, all three shot on film.\n")
    names = _names(graph, tmp_path, text)
    assert "The Paper Lanterns" in names
    assert "Paper Lanterns" not in names


def test_the_after_an_opening_bracket_is_part_of_the_title(graph, tmp_path):
    text = ("Drama news\n\nSeoul, March 2 (Daily Ledger) - The series is written by Ana Pell (The Quiet Field) and "
            "follows a teacher who loses a year.\n")
    names = _names(graph, tmp_path, text)
    assert "The Quiet Field" in names
    assert "Quiet Field" not in names


def test_names_in_brackets_after_a_director_and_title_are_no_directors(graph, tmp_path):
    text = ("Drama news\n\nSeoul, March 2 (Daily Ledger) - JTBC's new drama “Night Ferry” opens in May. The drama "
            "will be directed by Kwak Min-su PD (The Glass Road, Ms. Harbor) and written by Lee Da-il.\n")
    found = facts_of(ingest_text(graph, tmp_path, text).candidates, by_label=True)
    assert ("Kwak Min-su", "director", "Night Ferry") in found
    assert ("Lee Da-il", "screenwriter", "Night Ferry") in found
    assert not {a for a, r, _ in found if r == "director"} - {"Kwak Min-su"}


def test_a_source_in_brackets_after_the_last_stop_leaves_the_paragraph_a_story_sentence(graph, tmp_path):
    """A line full of names that ends with its source ("... and Lee Min-seo. (KNA)") is a sentence of the story,
    not a Title Case heading: its names are proposed, the source is not."""
    text = ("Album news\n\nSeoul, March 2 (Daily Ledger) - Singer Jisu will release her album “Glass Harbor” on "
            "Friday, her agency said.\nOther singers on the album are Kim Ha-neul, Seo Da-eun, Park Ji-ho and Lee "
            "Min-seo. (KNA)\n")
    names = _names(graph, tmp_path, text)
    assert {"Kim Ha-neul", "Seo Da-eun", "Park Ji-ho", "Lee Min-seo"} <= names
    assert "KNA" not in names


def test_a_name_starting_with_an_accented_capital_is_whole(graph, tmp_path):
    """"Úrsula Corberó", "Ñengo Flow", "Łukasz Żal": a capital with an accent starts a name as A-Z does
    (the first word was dropped, and "Flow" proposed as a person)."""
    text = ("Music news\n\nMadrid, March 2 (Daily Ledger) - The remix of “Hoy” features Ñengo Flow, and its video "
            "stars Úrsula Corberó. Łukasz Żal shot it.\n")
    names = _names(graph, tmp_path, text)
    assert {"Ñengo Flow", "Úrsula Corberó", "Łukasz Żal"} <= names, names
    assert not {"Flow", "Corberó", "Żal"} & names, names
    assert ("Ñengo Flow", "featuredArtist", "Hoy") in facts_of(ingest_text(graph, tmp_path, text).candidates)


def test_a_first_name_that_is_also_a_month_stays_in_the_name(graph, tmp_path):
    """"Jun Ji-hyun", "May Calamawy": a month before another capitalised word, with nothing of a date before
    it, is a first name (the span lost it, and "Ji-hyun" was proposed as a new person); "In May BTS" and
    "since June" are still dates."""
    text = ("Drama news\n\nSeoul, March 2 (Daily Ledger) - Jun Hae-rin starred in the drama “Kingdom Gate”. "
            "May Orvell joined the cast of “Kingdom Gate” as well. In May Tessa Lin released “Blue Kite”.\n")
    names = _names(graph, tmp_path, text)
    assert {"Jun Hae-rin", "May Orvell", "Tessa Lin"} <= names, names
    assert not {"Hae-rin", "Orvell", "May Tessa Lin"} & names, names
