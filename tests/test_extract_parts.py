"""A part named after "the role of": "takes on the role of prosecutor Kang Min-jae", "plays the lead role of
Seo Da-in". The name after "of" is the character, never the work (it was taken for the work, and the
credit was dropped as a person credited on a person); the work is the one in focus. Sentences written here,
checked through the public :func:`ingest` on a tiny graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from .articles import ingest_text, tiny_graph
from .test_extract_recall import TINY


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def credits(graph: Path, tmp_path: Path, text: str) -> set[tuple]:
    return {(c.slots["agent"].text, c.role, c.slots["work"].label or c.slots["work"].text, c.character)
            for c in ingest_text(graph, tmp_path, text).candidates if c.kind == "credit"}


@pytest.mark.parametrize("sentence, who, part", [
    ("Yoo Yeon-seok takes on the role of prosecutor Kang Min-jae.", "Yoo Yeon-seok", "Kang Min-jae"),
    ("Han Ji-min plays the lead role of Seo Da-in.", "Han Ji-min", "Seo Da-in"),
    ("Kim Seol-hyun has landed the role of Park Eun-bi.", "Kim Seol-hyun", "Park Eun-bi"),
])
def test_the_name_after_the_role_of_is_the_part_and_the_work_is_the_one_in_focus(graph, tmp_path, sentence, who,
                                                                               part):
    text = ("Netflix confirms its new cast\n\nSeoul, March 2 (Daily Ledger) - Netflix has confirmed the cast of "
            f"its series \"Paper Verdict\". {sentence}\n")
    found = credits(graph, tmp_path, text)
    assert (who, "actor", "Paper Verdict", part) in found
    assert not any(w == part for _, _, w, _ in found)  # the part is never a work


def test_a_role_in_a_named_work_keeps_that_work(graph, tmp_path):
    text = ("Casting news\n\nSeoul, March 2 (Daily Ledger) - Han Ji-min plays the role of Seo Da-in in "
            "\"Paper Verdict\", and Yoo Yeon-seok will appear in \"Glass Harbor\".\n")
    assert ("Han Ji-min", "actor", "Paper Verdict", "Seo Da-in") in credits(graph, tmp_path, text)


def test_the_part_is_the_credits_character_not_a_second_proposal_as_a_new_person(graph, tmp_path):
    """"Seo Da-in" was proposed twice: as the credit's character and as a new person of its own (a
    reviewer had to reject the person). Accepting the credit writes the character."""
    text = ("Casting news\n\nSeoul, March 2 (Daily Ledger) - Han Ji-min plays Seo Da-in in \"Paper Verdict\".\n")
    report = ingest_text(graph, tmp_path, text)
    [credit] = [c for c in report.candidates if c.kind == "credit"]
    assert (credit.slots["agent"].text, credit.character) == ("Han Ji-min", "Seo Da-in")
    proposed = {c.slots["entity"].text for c in report.candidates if c.kind == "entity"}
    assert "Han Ji-min" in proposed and "Seo Da-in" not in proposed


def test_a_cast_list_under_a_label_alone_credits_each_line(graph, tmp_path):
    """"Cast:" on its own line, then one "Actor as Part" a line: each line is a credit on the work the
    article is about, quoting its own line (they gave nothing, and the names were read as headings)."""
    text = ("Netflix Confirms Cast Of 'Paper Verdict'\n\n"
            "Seoul, March 2 (Daily Ledger) - Netflix has confirmed the cast of its series \"Paper Verdict\".\n\n"
            "Cast:\nHan Ji-min as Seo Da-in\nYoo Yeon-seok as Kang Min-jae\nKim Seol-hyun\n\n"
            "Kang Ha-neul was not in it.\n")
    report = ingest_text(graph, tmp_path, text, headline=None)
    found = {(c.slots["agent"].text, c.role, c.slots["work"].label or c.slots["work"].text, c.character, c.sentence)
             for c in report.candidates if c.kind == "credit" and c.rule == "block-credits"}
    assert found == {("Han Ji-min", "actor", "Paper Verdict", "Seo Da-in", "Han Ji-min as Seo Da-in"),
                     ("Yoo Yeon-seok", "actor", "Paper Verdict", "Kang Min-jae", "Yoo Yeon-seok as Kang Min-jae"),
                     ("Kim Seol-hyun", "actor", "Paper Verdict", None, "Kim Seol-hyun")}
