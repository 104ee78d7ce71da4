"""Wrong candidates the seen real splits showed (issue 20, sixth round): a nationality
adjective read as a name ("South Korean rapper A"), "OST" and "OSTs" read as a work's title, an
agency or label ("X Entertainment") read as a group its artists are members of, and a guest on a
variety show read as a cast member. Sentences written here; each is checked through the public
:func:`ingest`."""

from __future__ import annotations

from tests.articles import ingest_text
from tests.test_extract_general import facts, graph  # noqa: F401  (the fixture is used by name)


def _names(graph, tmp_path, text: str) -> set[str]:  # noqa: F811
    """Every name the candidates of ``text`` hold (facts and proposed entities, any score)."""
    tmp_path.mkdir(exist_ok=True)
    report = ingest_text(graph, tmp_path, text)
    return {m.text for c in report.candidates for m in c.slots.values()}


def test_a_nationality_before_a_role_noun_is_no_name(graph, tmp_path):  # noqa: F811
    text = ("The duo of South Korean rapper Min Ara and Kenyan-American singer Jo Hyun was praised for the "
            "video. The South Korean singer starred in “Glass Road.”")
    names = _names(graph, tmp_path, text)
    assert {"Min Ara", "Jo Hyun"} <= names
    assert not {n for n in names if "Korean" in n or "American" in n}


def test_osts_are_no_work(graph, tmp_path):  # noqa: F811
    text = ("7 Drama OSTs by Idols: Min Ara, Jo Hyun and More\n\nDramas are always better with OSTs. "
            "A scene gets sadder when an OST plays. Min Ara starred in “Cold Orchard” with Jo Hyun.")
    assert ("Min Ara", "actor", "Cold Orchard") in facts(graph, tmp_path, text)
    assert not {n for n in _names(graph, tmp_path / "again", text) if "OST" in n}


def test_an_entertainment_agency_is_no_group_of_its_artists(graph, tmp_path):  # noqa: F811
    text = ("Blue Pine Entertainment, the label of the band NOVA9, unveiled its new girl group. "
            "Min Ara of Blue Pine Entertainment is its leader. Blue Pine Entertainment's Jo Hyun sings.")
    assert not [f for f in facts(graph, tmp_path, text) if f[1] == "member of" and "Entertainment" in f[2]]
    (tmp_path / "again").mkdir()
    report = ingest_text(graph, tmp_path / "again", text)
    assert {m.type for c in report.candidates for m in c.slots.values() if m.text == "Blue Pine Entertainment"} \
        == {"RecordLabel"}


def test_starring_in_a_variety_show_is_a_guest_credit(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "The broadcaster confirmed that singer Min Ara and actor Jo Hyun will star "
                                   "in its hit variety show, “Late Lamp,” next month.")
    assert ("Jo Hyun", "guest", "Late Lamp") in found
    assert not [f for f in found if f[1] == "actor"]


def test_starring_in_a_drama_stays_an_actor_credit(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Jo Hyun will star in the drama “Cold Orchard” next month.")
    assert ("Jo Hyun", "actor", "Cold Orchard") in found


def test_a_soundtrack_part_or_a_cover_released_is_not_the_work_it_is_for(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Min Ara has released OST Part 3 for the web drama “Cold Orchard.” "
                                   "Jo Hyun released a cover of “Paper Kites.”")
    assert not [f for f in found if f[1] == "performer"]
    (tmp_path / "again").mkdir()
    assert ("Jo Hyun", "performer", "Paper Kites") in facts(graph, tmp_path / "again", "Jo Hyun released “Paper Kites.”")


def test_a_title_that_starts_with_we_keeps_its_first_word_mid_sentence(graph, tmp_path):  # noqa: F811
    names = _names(graph, tmp_path, "The first two parts of the We Were Young OST have been released. "
                                    "Min Ara stars in the drama We Were Young.")
    assert "We Were Young" in names
    assert "Were Young" not in names


def test_a_possessive_group_names_each_new_name_of_its_list(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "MARLOW’s Min Ara, Jo Hyun, and Baek Sol wrote the lyrics for “Tin Roof.”")
    assert {f[0] for f in found if f[1:] == ("member of", "MARLOW")} == {"Min Ara", "Jo Hyun", "Baek Sol"}


def test_a_possessive_group_stops_at_a_known_name(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "MARLOW’s Min Ara and Kang Jun-seo sang “Tin Roof.”")
    assert ("Min Ara", "member of", "MARLOW") in found
    assert ("Kang Jun-seo", "member of", "MARLOW") not in found


def test_of_a_group_after_a_list_qualifies_its_last_name(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "The host invited Min Ara, Jo Hyun and Baek Sol of MARLOW to the show.")
    assert {f[0] for f in found if f[1:] == ("member of", "MARLOW")} == {"Baek Sol"}


_SERIES = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:harbor-tv a cg:TVSeries ; rdfs:label "Harbor"@en .
"""


def _works(tmp_path, text: str) -> set[tuple]:
    """(title, link or the first suggestion, type) of each work the credits of ``text`` name."""
    from tests.articles import tiny_graph

    report = ingest_text(tiny_graph(tmp_path, _SERIES), tmp_path, text)
    return {(m.text, m.link or (m.suggestions[0][0] if m.suggestions else None), m.type)
            for c in report.candidates if c.kind == "credit" for m in [c.slots["work"]]}


def test_a_title_of_another_kind_than_the_known_work_is_a_new_work(tmp_path):
    works = _works(tmp_path, "Min Ara teams up with Jo Hyun for a new single titled “Harbor.”")
    assert works and all(link is None for title, link, _ in works if title == "Harbor")


def test_a_title_of_the_known_work_s_kind_is_still_proposed_as_it(tmp_path):
    works = _works(tmp_path, "Min Ara stars in the drama series “Harbor.”")
    assert {link for title, link, _ in works if title == "Harbor"} == {"https://w3id.org/collabgraph/id/harbor-tv"}


def test_a_name_before_a_work_noun_and_a_title_is_not_the_work(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Min Ara and Jo Hyun are cast in KBS2 drama series “Pine Sisters”.")
    assert not [f for f in found if f[2] == "KBS2"]


def test_production_from_a_list_makes_producers_not_featured_artists(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "The song “Paper Kites” features a soulful hook by Min Ara and production "
                                   "from Jo Hyun, Baek Sol and MARLOW's Kang Jun-seo.")
    assert {("Jo Hyun", "producer", "Paper Kites"), ("Baek Sol", "producer", "Paper Kites"),
            ("Kang Jun-seo", "producer", "Paper Kites"), ("Min Ara", "featuredArtist", "Paper Kites")} <= found
    assert {f[0] for f in found if f[1] == "featuredArtist"} == {"Min Ara"}
    assert ("MARLOW", "producer", "Paper Kites") not in found


def test_a_title_with_production_by_makes_a_producer(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Their single “Tin Roof” arrives with production by Jo Hyun and Baek Sol.")
    assert {("Jo Hyun", "producer", "Tin Roof"), ("Baek Sol", "producer", "Tin Roof")} <= found


def test_the_outlet_named_with_publisher_is_never_a_new_name(graph, tmp_path):  # noqa: F811
    """A dateline's outlet ("Seoul, March 3 (Lantern Wire).") is where the article appeared: with
    ``--publisher`` naming it, it is not proposed as an entity; other new names still are."""
    report = ingest_text(graph, tmp_path, "Seoul, March 3 (Lantern Wire). Min Ara released her single "
                         "“Cold Orchard” on Friday. Jo Hyun directed the video.", headline="Min Ara returns",
                         published="2026-03-06", publisher="Lantern Wire")
    names = {m.text for c in report.candidates for m in c.slots.values()}
    assert {"Min Ara", "Jo Hyun"} <= names
    assert "Lantern Wire" not in names
