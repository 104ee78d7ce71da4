"""People named together on one work (issue 20, fourth round): collaborations ("teams up
with", "join forces"), a noun that names its title ("a new single titled X"), a subject the
small model splits in two ("A, B and C are cast in W"), a cast that includes names, and guests
beside a host. Sentences written here; each is checked through the public :func:`ingest`."""

from __future__ import annotations

from tests.test_extract_general import facts, graph  # noqa: F401  (the fixture is used by name)


def test_teaming_up_for_a_titled_single_makes_both_collaborators(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Singer Hana Lee teams up with rapper Dex Moon for a new single titled "
                                   "“Paper Kites.”")
    assert {("Hana Lee", "collaborator", "Paper Kites"), ("Dex Moon", "collaborator", "Paper Kites")} <= found


def test_joining_forces_on_a_named_work_makes_both_collaborators(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "MARLOW joins forces with Kang Jun-seo for the single “Tin Roof.”")
    assert {("MARLOW", "collaborator", "Tin Roof"), ("Kang Jun-seo", "collaborator", "Tin Roof")} <= found


def test_teaming_up_with_no_work_named_proposes_no_credit(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "MARLOW teamed up with Kang Jun-seo last spring.")
    assert not [f for f in found if f[1] == "collaborator"]


def test_a_denied_team_up_proposes_no_credit(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "MARLOW did not team up with Kang Jun-seo on “Tin Roof.”")
    assert not [f for f in found if f[1] == "collaborator"]


def test_every_name_of_a_subject_the_parser_splits_is_cast(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Min Ara, Jo Hyun and Baek Sol are cast in the drama “Cold Orchard.”")
    assert {("Min Ara", "actor", "Cold Orchard"), ("Jo Hyun", "actor", "Cold Orchard"),
            ("Baek Sol", "actor", "Cold Orchard")} <= found


def test_a_cast_that_includes_names_makes_each_an_actor_of_its_work(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "The cast of “Cold Orchard” also includes Min Ara, Jo Hyun and Baek Sol.")
    assert {("Min Ara", "actor", "Cold Orchard"), ("Jo Hyun", "actor", "Cold Orchard"),
            ("Baek Sol", "actor", "Cold Orchard")} <= found


def test_a_cast_without_its_work_takes_the_drama_in_focus(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Filming of the drama “Cold Orchard” begins in May. Kang Jun-seo leads it. "
                                   "Other actors cast in supporting roles are Min Ara and Jo Hyun.")
    assert {("Min Ara", "actor", "Cold Orchard"), ("Jo Hyun", "actor", "Cold Orchard")} <= found


def test_guests_named_beside_a_host_are_guests_not_hosts(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Kang Jun-seo hosted the talk show “Late Lamp” with guests Min Ara and "
                                   "Jo Hyun.")
    assert {("Min Ara", "guest", "Late Lamp"), ("Jo Hyun", "guest", "Late Lamp"),
            ("Kang Jun-seo", "host", "Late Lamp")} <= found
    assert not [f for f in found if f[0] != "Kang Jun-seo" and f[1] == "host"]


def test_a_title_before_star_or_actor_is_a_work_the_person_acted_in(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Glass Road and Ash Creek actor Jo Hyun joins the new drama.")
    assert {("Jo Hyun", "actor", "Glass Road"), ("Jo Hyun", "actor", "Ash Creek")} <= found


def test_a_place_or_an_award_before_actor_is_no_work(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Hollywood actor Jo Hyun met Oscar-winning actress Min Ara in Seoul.")
    assert not [f for f in found if f[1] == "actor"]


def test_playing_a_part_in_a_named_work_credits_that_work(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Min Ara will play a detective in “Cold Orchard.”")
    assert ("Min Ara", "actor", "Cold Orchard") in found


def test_a_dash_bracketed_list_after_a_group_names_its_members(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Fans cheered on Friday. MARLOW — Min Ara, Jo Hyun and Baek Sol — debuted "
                                   "in 2021.")
    assert {("Min Ara", "member of", "MARLOW"), ("Jo Hyun", "member of", "MARLOW"),
            ("Baek Sol", "member of", "MARLOW")} <= found


def test_a_new_name_made_up_of_members_is_their_group(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Fans cheered on Friday. RIVERLINE is made up of four members: leader Dana, "
                                   "Min Ara and Jo Hyun.")
    assert {("Min Ara", "member of", "RIVERLINE"), ("Jo Hyun", "member of", "RIVERLINE")} <= found


def test_a_song_that_features_production_from_names_its_producers(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Kang Jun-seo released “Glass Key” on Friday. The song features production "
                                   "from Min Ara, Jo Hyun and Baek Sol.")
    assert {("Min Ara", "producer", "Glass Key"), ("Jo Hyun", "producer", "Glass Key"),
            ("Baek Sol", "producer", "Glass Key")} <= found
    assert not [f for f in found if f[1] == "featuredArtist"]


def test_sharing_singles_including_titles_performs_each_of_them(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Fans cheered on Friday. Kang Jun-seo has shared a few solo singles including "
                                   "“Glass Key,” “Ivy” and “Tin Roof.”")
    assert {("Kang Jun-seo", "performer", "Glass Key"), ("Kang Jun-seo", "performer", "Ivy"),
            ("Kang Jun-seo", "performer", "Tin Roof")} <= found


def test_sharing_a_clip_of_a_song_performs_nothing(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Fans cheered on Friday. Kang Jun-seo shared a clip of MARLOW's “Glass Key” "
                                   "on Sunday.")
    assert not [f for f in found if f[0] == "Kang Jun-seo"]


def test_a_new_name_before_a_dash_bracketed_list_is_the_group_of_its_members(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Fans cheered on Friday. But the Tuesday Lantern Club — actresses Min Ara and Jo Hyun, "
                                   "singer Baek Sol and stylist Kang Dana — might be the best-known friend group.")
    # the whole name: a weekday in it is no date
    assert {("Min Ara", "member of", "Tuesday Lantern Club"), ("Kang Dana", "member of", "Tuesday Lantern Club")} <= found


def test_coming_back_with_an_album_performs_it(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Fans cheered on Friday. The group MARLOW is coming back next Wednesday with its "
                                   "second mini album, “Glass Key,” its label announced.")
    assert ("MARLOW", "performer", "Glass Key") in found


def test_a_duet_between_two_singers_is_performed_by_both(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Fans cheered on Friday. Part 3 is “Two Umbrellas,” a duet between singer Min Ara "
                                   "and MARLOW’s Jo Hyun.")
    assert {("Min Ara", "performer", "Two Umbrellas"), ("Jo Hyun", "performer", "Two Umbrellas")} <= found


def test_the_new_hosts_named_after_be_host_the_show_in_focus(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Fans cheered on Friday. The talk show “Late Lamp” announced a change in its "
                                   "hosts last month. The new MCs are Min Ara, Jo Hyun, and Baek Sol.")
    assert {("Min Ara", "host", "Late Lamp"), ("Jo Hyun", "host", "Late Lamp"), ("Baek Sol", "host", "Late Lamp")} \
        <= found


def test_co_written_with_in_the_passive_names_the_co_writer_too(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "MARLOW released “Glass Key” on Friday. The song was co-written by Kang Jun-seo "
                                   "with Min Ara.")
    assert {("Kang Jun-seo", "songwriter", "Glass Key"), ("Min Ara", "songwriter", "Glass Key")} <= found


def test_past_credits_named_in_passing_are_not_the_work_in_focus(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Jo Hyun, best known for playing a doctor on the series “Glass Road,” has been "
                                   "cast as the lead of a new thriller. The six-part thriller, “Ash Creek,” comes to "
                                   "screens in May. Min Ara (“Blue Fence,” “Ivy Lane”) will star as Honey.")
    assert ("Min Ara", "actor", "Ash Creek") in found
    assert ("Min Ara", "actor", "Glass Road") not in found and ("Jo Hyun", "actor", "Glass Road") not in found


def test_the_first_word_of_a_quoted_statement_is_no_title(graph, tmp_path):  # noqa: F811
    # (were "Written" a title, the work in focus would be ambiguous and the actor would go unplaced)
    found = facts(graph, tmp_path, "Kang Jun-seo directed the film “Glass Road” in 2020.\n\nHe spent two years "
                                   "abroad after that.\n\nHe came back to Seoul last spring.\n\nThe network "
                                   "announced his new series “Ash Creek” on Monday.\n\nIt added: “Written and "
                                   "adapted by Kang Jun-seo, the six-part thriller follows a detective.”\n\nJo Hyun "
                                   "will star as DI Maia Lin.")
    assert not [f for f in found if f[2] == "Written"]
    assert ("Jo Hyun", "actor", "Ash Creek") in found


def test_a_title_before_star_is_never_the_person_who_acts(graph, tmp_path):  # noqa: F811
    found = facts(graph, tmp_path, "Fans cheered on Friday. The Harbour Lights star will play a detective in the "
                                   "drama “Cold Orchard.”")
    assert not [f for f in found if f[0] == "Harbour Lights"]
