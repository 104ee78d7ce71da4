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
