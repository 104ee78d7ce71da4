"""Names found whole (issue 20, eighth round, from bench/mention_ceiling.py): a player's
or band title before a name is not part of it ("Cellist Noh Ga-young"), an owner run
into a name is two names ("Velvet Hour's Lina De Souza"), and a title
that starts with a capitalised "The" in running text keeps it ("the film The Quiet
Orchard"), so the credit names the work and not a shorter name. Sentences written
here; each is checked through the public :func:`ingest` on a tiny graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from .articles import tiny_graph
from .test_extract_general import TINY, facts


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def test_a_title_with_a_capital_the_in_running_text_keeps_it(graph, tmp_path):
    found = facts(graph, tmp_path, "Nam Da-eun stars in the film The Quiet Orchard, out in May.")
    assert ("Nam Da-eun", "actor", "The Quiet Orchard") in found
    assert not [f for f in found if f[2] == "Quiet Orchard"]


def test_a_lowercase_the_before_a_name_is_not_part_of_it(graph, tmp_path):
    found = facts(graph, tmp_path, "Nam Da-eun stars in the film Quiet Orchard, out in May.")
    assert ("Nam Da-eun", "actor", "Quiet Orchard") in found


@pytest.mark.parametrize("title", ["Frontwoman", "Cellist", "Pianist", "Bassist"])
def test_a_players_title_before_a_name_is_not_part_of_it(graph, tmp_path, title):
    found = facts(graph, tmp_path, f"{title} Gu Ye-jin wrote the lyrics of the band's new single “Quiet Orchard”.")
    assert ("Gu Ye-jin", "lyricist", "Quiet Orchard") in found
    assert not [f for f in found if f[0].startswith(title)]


@pytest.mark.parametrize("text, person", [
    ("The single “Quiet Orchard” features Velvet Hour’s Marc-Henri de Villiers on vocals.", "Marc-Henri de Villiers"),
    ("Velvet Hour's Lina De Souza wrote the lyrics of “Quiet Orchard”.", "Lina De Souza"),
])
def test_an_owner_run_into_a_name_is_two_names(graph, tmp_path, text, person):
    found = facts(graph, tmp_path, text)
    assert [f for f in found if f[0] == person and f[2] == "Quiet Orchard"]
    assert not [f for f in found if "Velvet Hour" in f[0]]
