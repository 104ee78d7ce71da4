"""Names, aliases, Korean, identifiers, typos and ambiguity."""

from __future__ import annotations

import pytest

from collabgraph import AmbiguousEntity, CollabGraph, EntityNotFound

from .conftest import DATA, ONTOLOGY


@pytest.mark.parametrize("name", [
    "V", "v", "Taehyung", "taehyung", "TAEHYUNG", "Kim Taehyung", "kim taehyung", "KimTaehyung",
    "kim-tae hyung", "  Kim  Taehyung ", "id:v", "https://w3id.org/collabgraph/id/v",
])
def test_every_name_of_v_resolves_to_v(kg, name):
    assert kg.entity(name).iri == "https://w3id.org/collabgraph/id/v"


@pytest.mark.parametrize("name,label", [
    ("Park Seo-joon", "Park Seo-joon"), ("park seojoon", "Park Seo-joon"), ("PARKSEOJOON", "Park Seo-joon"),
    ("교포머리", "GYOPO HAIRSTYLE"), ("gyopo hairstyle", "GYOPO HAIRSTYLE"),
    ("아이유", "IU"), ("방탄소년단", "BTS"), ("hwarang: the poet warrior youth", "Hwarang: The Poet Warrior Youth"),
    ("IU's Palette", "IU's Palette"), ("ius palette", "IU's Palette"), ("Love wins all MV", "Love wins all music video"),
])
def test_names_in_any_case_spacing_hyphenation_and_korean(kg, name, label):
    assert kg.entity(name).label == label


def test_unknown_name_suggests_close_matches(kg):
    with pytest.raises(EntityNotFound) as info:
        kg.entity("Park Seo-jun")
    assert info.value.suggestions[0] == "Park Seo-joon (id:park-seo-joon)"
    assert "did you mean" in str(info.value)


def test_unknown_name_without_close_matches(kg):
    with pytest.raises(EntityNotFound) as info:
        kg.entity("Zzyzx Quartet")
    assert info.value.suggestions == []


def test_unknown_identifier_is_not_found(kg):
    with pytest.raises(EntityNotFound):
        kg.entity("id:nobody-at-all")


@pytest.fixture(scope="module")
def mins() -> CollabGraph:
    return CollabGraph.load(DATA / "ambiguous", ONTOLOGY)


def test_a_main_label_beats_an_alias(mins):
    # "Min" is min-a's label, min-b's alias and the song's label: three hits, two by label.
    with pytest.raises(AmbiguousEntity) as info:
        mins.entity("Min")
    assert sorted(info.value.candidates) == ["Min (id:min-a)", "Min (id:min-song)"]
    assert mins.entity("Minnie").iri.endswith("min-b")
    assert mins.entity("id:min-a").label == "Min"


def test_search_ranks_exact_then_prefix(kg):
    assert [e.label for e in kg.search("love")][:2] == ["Love Me Again", "Love wins all"]
    assert kg.search("zzz") == []
