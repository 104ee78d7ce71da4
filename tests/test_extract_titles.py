"""Titles written between straight single quotes, as headlines and many English-language outlets in Korea
write them ("Cast Of 'Paper Verdict'"), and a title the headline quotes that the story then writes without
quotes ("Paper Verdict stars A, B and C"): the headline is never a fact, but it says what kind of name the
story's words are. Sentences written here; each is checked through the public :func:`ingest` on a tiny graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from .articles import tiny_graph
from .test_extract_recall import TINY, facts


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def test_a_title_the_headline_quotes_is_a_work_where_the_story_writes_it_bare(graph, tmp_path):
    text = ("Netflix Confirms Cast Of 'Paper Verdict'\n\n"
            "Seoul, March 2 (Daily Ledger) - Paper Verdict stars Han Ji-min, Yoo Yeon-seok and Kim Seol-hyun.\n")
    assert facts(graph, tmp_path, text) >= {("Han Ji-min", "actor", "Paper Verdict"),
                                            ("Yoo Yeon-seok", "actor", "Paper Verdict"),
                                            ("Kim Seol-hyun", "actor", "Paper Verdict")}


def test_straight_single_quotes_mark_a_title_in_the_story(graph, tmp_path):
    text = ("Drama news\n\nSeoul, March 2 (Daily Ledger) - Han Ji-min stars in 'Paper Verdict', the legal "
            "thriller that opens next month.\n")
    assert ("Han Ji-min", "actor", "Paper Verdict") in facts(graph, tmp_path, text)


def test_apostrophes_are_no_quotes(graph, tmp_path):
    """A plural possessive's apostrophe opens no title, and "rock 'n' roll" is no title."""
    text = ("Music news\n\nSeoul, March 2 (Daily Ledger) - The members' new single 'Blue Hour' features Daeho. "
            "It is rock 'n' roll at heart.\n")
    found = facts(graph, tmp_path, text)
    assert ("Daeho", "featuredArtist", "Blue Hour") in found
    assert not any("new single" in w or w == "n" for _, _, w in found)
