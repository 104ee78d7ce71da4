"""The MusicBrainz importer: ws/2 documents and dumps become batches of records
with provenance (the record and a locator in it), roles from the ontology's
alignments, and one clear line for every bad input.

The documents in tests/data/musicbrainz/ are copies of real web-service
answers (CC0). The few documents written here by hand use MBIDs made of
zeros, so that no one mistakes them for real records."""

from __future__ import annotations

import bz2
import gzip
import json
from pathlib import Path

import pytest

from collabgraph import CollabGraph

from collabgraph.core.errors import SourceError
from collabgraph.importers.model import (Batch, ClaimRecord, CreditRecord, Date, EntityRef, MembershipRecord, Name,
                                       NameRecord)
from collabgraph.importers.musicbrainz import is_featuring, parse, read, request_for

from .conftest import DATA, ONTOLOGY, lay_out

MB = DATA / "musicbrainz"
KNOWING_ME = "2d40c8b2-7524-49e3-af44-ebb924c5b023"
THOUSAND_NIGHTS = "7684982a-efee-49e5-baf0-82a466f12508"
ED_SHEERAN = "b8a7c51f-362c-4dcb-a259-bc6e0095f0a6"
FRIDA = "042c35d3-0756-4804-b2c2-be57a683efa2"

BAND, SINGER, DRUMMER, SONG = (f"00000000-0000-4000-8000-00000000000{i}" for i in range(1, 5))


def one(path: Path) -> Batch:
    batches = list(read([str(path)]))
    assert len(batches) == 1
    return batches[0]


def facts(batch: Batch, kind: type) -> list:
    return [f for f in batch.facts if isinstance(f, kind)]


def label(batch: Batch, key: str) -> str:
    return batch.entities[key].label


def credits(batch: Batch) -> set[tuple]:
    """(agent, role, work, instrument) of every credit, by label."""
    return {(label(batch, c.agent), c.role, label(batch, c.work), c.instrument) for c in facts(batch, CreditRecord)}


def check_provenance(batch: Batch) -> None:
    """Every fact names the batch's source and has a locator, unique among facts of its kind."""
    seen = set()
    for f in batch.facts:
        assert f.provenance.source in batch.sources
        assert f.provenance.locator and len(f.provenance.locator) <= 300
        assert (type(f), f.provenance.locator) not in seen, f.provenance.locator
        seen.add((type(f), f.provenance.locator))
        if isinstance(f, CreditRecord):
            assert f.agent in batch.entities and f.work in batch.entities


# -- recordings: relations ------------------------------------------------------------

def test_recording_relations_become_credits_with_roles_and_instruments():
    batch = one(MB / "recording-credits.json")
    assert batch.name == f"musicbrainz/recording/{KNOWING_ME}" and batch.version is None
    source = batch.sources[facts(batch, CreditRecord)[0].provenance.source]
    assert source.label == f"MusicBrainz recording {KNOWING_ME} (Knowing Me, Knowing You)"
    assert source.url == f"https://musicbrainz.org/recording/{KNOWING_ME}"
    song = "Knowing Me, Knowing You"
    assert credits(batch) == {
        ("ABBA", "performer", song, None),
        ("Benny Andersson", "arranger", song, None), ("Björn Ulvaeus", "arranger", song, None),
        ("Benny Andersson", "producer", song, None), ("Björn Ulvaeus", "producer", song, None),
        ("Michael B. Tretow", "engineer", song, None),
        ("Anni-Frid Lyngstad", "vocalist", song, None),
        ("Lasse Wellander", "instrumentalist", song, "electric guitar"),
        ("Rutger Gunnarsson", "instrumentalist", song, "bass"),
        ("Ola Brunkert", "instrumentalist", song, "membranophone"),
        ("Michael Brecker", "instrumentalist", song, "EWI"),
    }
    check_provenance(batch)
    assert batch.entities[f"musicbrainz:recording:{KNOWING_ME}"].types == ["Recording"]


def test_a_vocal_credit_keeps_its_attribute_and_the_name_it_was_credited_under():
    batch = one(MB / "recording-credits.json")
    frida = f"musicbrainz:artist:{FRIDA}"
    [vocal] = [c for c in facts(batch, CreditRecord) if c.role == "vocalist"]
    assert (vocal.agent, vocal.attributes, vocal.credited_as) == (frida, ("solo",), "Frida")
    assert vocal.provenance.locator == f"recording/{KNOWING_ME} relation vocal (solo) artist/{FRIDA}"
    assert Name("Frida") in batch.entities[frida].aliases
    assert any(f.entity == frida and Name("Frida") in f.names for f in facts(batch, NameRecord))


def test_the_instrument_is_named_in_the_credit_and_its_locator():
    batch = one(MB / "recording-credits.json")
    [guitar] = [c for c in facts(batch, CreditRecord) if c.instrument == "electric guitar"]
    assert "relation instrument (electric guitar) artist/14ef7610-3dce-44c3-8af7-d13fd7d9a6c9" in guitar.provenance.locator
    assert guitar.attributes == ()


def test_every_artist_is_identified_by_its_mbid():
    batch = one(MB / "recording-credits.json")
    frida = batch.entities[f"musicbrainz:artist:{FRIDA}"]
    assert frida.identifiers == {"musicbrainz": f"artist/{FRIDA}"}
    assert frida.types == ["Agent"]  # the relation does not say whether the artist is a person or a group
    ids = {c.about: c.value for c in facts(batch, ClaimRecord) if c.property == "musicbrainz"}
    assert ids[frida.key] == f"https://musicbrainz.org/artist/{FRIDA}"
    assert set(ids) == set(batch.entities)


def test_an_instrument_relation_with_two_instruments_gives_two_credits():
    doc = json.loads((MB / "recording-credits.json").read_text("utf-8"))
    doc["relations"] = [r for r in doc["relations"] if r["type"] == "instrument"][:1]
    doc["relations"][0]["attributes"] = ["guest", "electric guitar", "slide guitar"]
    batch = parse(json.dumps(doc).encode(), "two-instruments.json")
    got = sorted((c.instrument, c.attributes, c.provenance.locator.split(" relation ")[1]) for c in facts(batch, CreditRecord)
                 if c.role == "instrumentalist")
    assert got == [("electric guitar", ("guest",), "instrument (electric guitar) artist/14ef7610-3dce-44c3-8af7-d13fd7d9a6c9"),
                   ("slide guitar", ("guest",), "instrument (slide guitar) artist/14ef7610-3dce-44c3-8af7-d13fd7d9a6c9")]


def test_relations_the_ontology_has_no_term_for_are_skipped_with_a_reason():
    batch = one(MB / "recording.json")
    skipped = {(s.what, s.where.split(" relation ")[-1]) for s in batch.skipped}
    assert ("relation 'DJ-mix' of recording to recording",
            "DJ-mix recording/89f35c6f-84f4-4b5d-8966-ef2572faf230") in skipped
    assert all(s.reason for s in batch.skipped)
    assert not any(c.role is None for c in facts(batch, CreditRecord))


def test_the_recordings_work_keeps_its_writers_and_its_wikidata_item():
    batch = one(MB / "recording.json")
    work = "musicbrainz:work:dc469dc8-198e-42e5-b5a7-6be2f0a95ac0"
    assert {(label(batch, c.agent), c.role) for c in facts(batch, CreditRecord) if c.work == work} == {
        ("Ed Sheeran", "songwriter"), ("Amy Wadge", "songwriter")}
    # The recording is of that work, and its writers are credited on it too, as an inference (issue 19).
    assert ("musicbrainz:recording:cb2cc207-8125-445c-9ef9-6ea44eee959a", work) in [
        (c.about, c.value.key) for c in facts(batch, ClaimRecord) if c.property == "recordingOf"]
    assert batch.entities[work].identifiers == {"musicbrainz": "work/dc469dc8-198e-42e5-b5a7-6be2f0a95ac0",
                                                "wikidata": "Q17332468"}
    assert any(c.about == work and c.property == "wikidata" and c.value == "http://www.wikidata.org/entity/Q17332468"
               for c in facts(batch, ClaimRecord))
    recording = "musicbrainz:recording:cb2cc207-8125-445c-9ef9-6ea44eee959a"
    assert {(label(batch, c.agent), c.role, c.instrument) for c in facts(batch, CreditRecord) if c.work == recording} == {
        ("Ed Sheeran", "performer", None), ("Ed Sheeran", "vocalist", None),
        ("Ed Sheeran", "instrumentalist", "guitar family"),
        ("Ed Sheeran", "songwriter", None), ("Amy Wadge", "songwriter", None)}
    assert all(c.provenance.inference for c in facts(batch, CreditRecord) if c.work == recording
               and c.role == "songwriter")
    assert [c.value for c in facts(batch, ClaimRecord) if c.property == "releaseDate"] == [Date("2014-06-20", "day")]
    check_provenance(batch)


# -- artist credits ---------------------------------------------------------------------

@pytest.mark.parametrize("file", ["recording-multi-artists-1.json", "recording-multi-artists-2.json"])
def test_a_feat_credit_gives_a_performer_and_featured_artists_on_one_work(file):
    batch = one(MB / file)
    got = {(label(batch, c.agent), c.role) for c in facts(batch, CreditRecord)}
    assert got == {("Ed Sheeran", "performer"), ("Meek Mill", "featuredArtist"),
                   ("A Boogie Wit da Hoodie", "featuredArtist")}
    assert {c.work for c in facts(batch, CreditRecord)} == {f"musicbrainz:recording:{THOUSAND_NIGHTS}"}
    assert [c.provenance.locator for c in facts(batch, CreditRecord)] == [
        f"recording/{THOUSAND_NIGHTS} artist-credit[{i}]" for i in (1, 2, 3)]
    assert {batch.entities[c.agent].types[0] for c in facts(batch, CreditRecord)} == {"Person"}
    check_provenance(batch)


@pytest.mark.parametrize("phrases, roles", [
    ([" & ", " feat. ", ""], ["performer", "performer", "featuredArtist"]),
    ([" x ", ", ", ""], ["performer", "performer", "performer"]),
    ([" (feat. ", " and ", ")"], ["performer", "featuredArtist", "featuredArtist"]),
    ([" with ", " featuring ", ""], ["performer", "performer", "featuredArtist"]),
])
def test_join_phrases_decide_who_is_featured(phrases, roles):
    doc = json.loads((MB / "recording-multi-artists-1.json").read_text("utf-8"))
    for credit, phrase in zip(doc["artist-credit"], phrases):
        credit["joinphrase"] = phrase
    batch = parse(json.dumps(doc).encode())
    assert [c.role for c in facts(batch, CreditRecord)] == roles


def test_feat_like_join_phrases():
    assert [is_featuring(p) for p in [" feat. ", " Feat. ", " ft. ", " featuring ", " (feat. ", " [ft. "]] == [True] * 6
    assert [is_featuring(p) for p in [" & ", " x ", ", ", " and ", " with ", " vs. ", ""]] == [False] * 7


def test_a_credited_name_and_the_artists_aliases_become_names():
    batch = one(MB / "recording-artist-aliases.json")
    key = "musicbrainz:artist:9d844524-86b7-4424-98d4-4fae85c7eeb8"
    [credit] = facts(batch, CreditRecord)
    assert (credit.agent, credit.role, credit.credited_as) == (key, "performer", "後ろから這いより隊C")
    artist = batch.entities[key]
    assert artist.labels == {"": "クー子"}
    assert {a.text for a in artist.aliases} == {"Kūko", "後ろから這いより隊C", "Ushirokara Haiyoritai C"}
    # MusicBrainz's "Character" artists are credited, so they are agents; what the ontology lacks is reported.
    assert artist.types == ["Agent"] and artist.unmapped_types == ["MusicBrainz artist type 'Character'"]
    names = {n.text for f in facts(batch, NameRecord) if f.entity == key for n in f.names}
    assert names == {"クー子", "Kūko", "後ろから這いより隊C", "Ushirokara Haiyoritai C"}
    assert facts(batch, ClaimRecord)[1].value == Date("2013-02-20", "day")


# -- artists --------------------------------------------------------------------------

def test_an_artist_record():
    batch = one(MB / "artist.json")
    key = f"musicbrainz:artist:{ED_SHEERAN}"
    ed = batch.entities[key]
    assert batch.name == f"musicbrainz/artist/{ED_SHEERAN}"
    # Its own name is its label (issue 19: it was the locale alias "Ed Sheeran (en)").
    assert ed.types == ["Person"] and ed.label == "Ed Sheeran"
    assert ed.labels == {"": "Ed Sheeran"}
    assert Name("Sheeran, Ed", kind="sort") in ed.aliases
    assert Name("Ed Sheeran (en_CA)", "en-CA", kind="locale") in ed.aliases
    assert ed.descriptions == {}  # a disambiguation comment has no language: not a description
    claims = {c.property: (c.value, c.provenance.locator) for c in facts(batch, ClaimRecord)}
    assert claims["birthDate"] == (Date("1991-02-17", "day"), f"artist/{ED_SHEERAN} life-span begin")
    assert claims["musicbrainz"][0] == f"https://musicbrainz.org/artist/{ED_SHEERAN}"
    assert claims["disambiguation"] == ("famous UK singer-songwriter", f"artist/{ED_SHEERAN} disambiguation")
    assert ed.disambiguation == "famous UK singer-songwriter"
    # A search hint is kept as what it is (a spelling that helps searches), never a name to link by.
    assert Name("Shearan", kind="search-hint") in ed.aliases
    assert batch.skipped == []
    check_provenance(batch)


def _artist(mbid: str, name: str, kind: str | None, relations: list) -> bytes:
    doc = {"id": mbid, "name": name, "sort-name": name, "type": kind, "life-span": {}, "aliases": [],
           "relations": relations}
    return json.dumps(doc).encode()


def _relation(rtype: str, direction: str, target_type: str, target: dict, **extra) -> dict:
    return {"type": rtype, "direction": direction, "target-type": target_type, target_type: target,
            "attributes": [], "begin": None, "end": None, "ended": False, "target-credit": "", "source-credit": "",
            **extra}


def test_band_members_become_memberships_with_dates_of_their_precision():
    members = [_relation("member of band", "backward", "artist", {"id": SINGER, "name": "Some Singer", "type": "Person"},
                         begin="1960", end="1970-04", ended=True, attributes=["original", "lead vocals"]),
               _relation("member of band", "backward", "artist", {"id": DRUMMER, "name": "Some Drummer"},
                         begin="1962-08-16", ended=True)]
    batch = parse(_artist(BAND, "Example Band", "Group", members), "band.json")
    got = [(label(batch, m.member), label(batch, m.group), m.start, m.end) for m in facts(batch, MembershipRecord)]
    assert got == [("Some Singer", "Example Band", Date("1960", "year"), Date("1970-04", "month")),
                   ("Some Drummer", "Example Band", Date("1962-08-16", "day"), None)]
    assert facts(batch, MembershipRecord)[0].provenance.locator == (
        f"artist/{BAND} relation member of band (original, lead vocals) artist/{SINGER}")
    reasons = {s.reason for s in batch.skipped}
    assert "the ontology's memberships carry no attributes" in reasons
    assert "MusicBrainz says it ended but gives no date" in reasons
    check_provenance(batch)


def test_direction_says_who_is_the_agent():
    """From a member's own record the relation points forward, to the band; from
    an artist's record a production credit points forward, to the recording."""
    relations = [_relation("member of band", "forward", "artist", {"id": BAND, "name": "Example Band"}, begin="1960"),
                 _relation("producer", "forward", "recording", {"id": SONG, "title": "Example Song"},
                           **{"source-credit": "S. Singer"})]
    batch = parse(_artist(SINGER, "Some Singer", "Person", relations), "singer.json")
    [membership] = facts(batch, MembershipRecord)
    assert (label(batch, membership.member), label(batch, membership.group)) == ("Some Singer", "Example Band")
    assert batch.entities[membership.group].types == ["Group"]  # "member of band": the target is a band
    [credit] = facts(batch, CreditRecord)
    assert (label(batch, credit.agent), credit.role, label(batch, credit.work)) == ("Some Singer", "producer", "Example Song")
    assert credit.credited_as == "S. Singer"
    assert batch.entities[credit.work].types == ["Recording"]


def test_artist_to_artist_relations_without_a_role_are_skipped():
    relations = [_relation("vocal supporting musician", "forward", "artist", {"id": BAND, "name": "Example Band"}),
                 _relation("official homepage", "forward", "url", {"id": SONG, "resource": "https://example.org/"})]
    batch = parse(_artist(SINGER, "Some Singer", "Person", relations), "singer.json")
    assert facts(batch, CreditRecord) == [] and facts(batch, MembershipRecord) == []
    assert [s.what for s in batch.skipped] == ["relation 'vocal supporting musician' of artist to artist",
                                               "url relation 'official homepage' https://example.org/"]
    assert f"musicbrainz:artist:{BAND}" not in batch.entities  # nothing made for what was skipped


# -- releases --------------------------------------------------------------------------

def test_a_release():
    batch = one(MB / "release.json")
    key = "musicbrainz:release:b84ee12a-09ef-421b-82de-0441a926375b"
    release = batch.entities[key]
    assert release.types == ["Release", "Album"] and release.label == "The Dark Side of the Moon"
    assert release.links == ["https://www.discogs.com/release/1873013"]
    assert [(c.value, c.provenance.locator.split(" relation ")[1]) for c in facts(batch, ClaimRecord)
            if c.property == "sitelink"] == [("https://www.discogs.com/release/1873013",
                                              "discogs url/49af9dc2-196e-42be-bdf6-ea320eaa1dab")]
    # Design and photography have no role of their own: collaborators, the MusicBrainz type kept (issue 19).
    assert credits(batch) == {("Pink Floyd", "performer", "The Dark Side of the Moon", None),
                              ("Hipgnosis", "producer", "The Dark Side of the Moon", None),
                              ("Hipgnosis", "collaborator", "The Dark Side of the Moon", None),
                              ("George Hardie", "collaborator", "The Dark Side of the Moon", None)}
    assert {c.attributes for c in facts(batch, CreditRecord) if c.role == "collaborator"} == {
        ("MusicBrainz design/illustration",), ("MusicBrainz photography",)}
    claims = {c.property: c.value for c in facts(batch, ClaimRecord) if c.about == key}
    assert claims["releaseDate"] == Date("1973-03-24", "day")
    harvest = claims["recordLabel"]
    assert isinstance(harvest, EntityRef) and batch.entities[harvest.key].types == ["RecordLabel"]
    assert batch.entities[harvest.key].identifiers == {"musicbrainz": "label/993af7f6-bb99-456b-83e7-5e728ea80a0e"}
    floyd = batch.entities["musicbrainz:artist:83d91898-7763-47d7-b03b-b92132375c47"]
    # Primary names of other scripts are labels in their language; one in the name's own script is not.
    assert floyd.labels == {"": "Pink Floyd", "ja": "ピンク・フロイド", "ko": "핑크 플로이드"}
    skipped = {s.what for s in batch.skipped}
    assert "relation 'part of' of release to series" in skipped
    assert "relation 'design/illustration' of release to artist" not in skipped  # a collaborator credit now
    check_provenance(batch)


# -- dumps ---------------------------------------------------------------------------

FILES = ["recording-credits.json", "recording-multi-artists-1.json", "artist.json", "release.json"]


def _dump(path: Path, opener=open, files=FILES, extra: list[str] = ()) -> Path:
    lines = [json.dumps(json.loads((MB / f).read_text("utf-8")), ensure_ascii=False) for f in files] + list(extra)
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("suffix, opener", [(".jsonl.gz", gzip.open), (".json.bz2", bz2.open), (".jsonl", open)])
def test_a_dump_of_several_documents(tmp_path, suffix, opener):
    dump = _dump(tmp_path / f"dump{suffix}", opener)
    batches = list(read([str(dump)]))
    assert [b.name.split("/")[1] for b in batches] == ["recording", "recording", "artist", "release"]
    singles = [one(MB / f) for f in FILES]
    assert [sorted(map(repr, b.facts)) for b in batches] == [sorted(map(repr, b.facts)) for b in singles]


def test_a_dump_is_streamed_and_a_bad_line_is_named(tmp_path):
    dump = _dump(tmp_path / "dump.jsonl.gz", gzip.open, extra=['{"id": "truncated'])
    batches = read([str(dump)])
    assert next(batches).name == f"musicbrainz/recording/{KNOWING_ME}"  # read before the bad line is reached
    with pytest.raises(SourceError) as caught:
        list(batches)
    assert str(caught.value) == f"{dump}:5: truncated JSON (it ends at line 1, column 17)"


def test_a_search_answer_gives_one_batch_per_document(tmp_path):
    answer = {"created": "2024-01-01T00:00:00.000Z", "count": 2, "offset": 0,
              "recordings": [json.loads((MB / f).read_text("utf-8")) for f in FILES[:2]]}
    path = tmp_path / "search.json"
    path.write_text(json.dumps(answer), "utf-8")
    assert [b.name for b in read([str(path)])] == [f"musicbrainz/recording/{KNOWING_ME}",
                                                    f"musicbrainz/recording/{THOUSAND_NIGHTS}"]


# -- bad input -------------------------------------------------------------------------

def _bad(tmp_path: Path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(SourceError) as caught:
        list(read([str(path)]))
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    return message[len(str(path)):]


def test_truncated_json_is_one_line_naming_the_file(tmp_path):
    text = (MB / "recording-credits.json").read_text("utf-8")
    assert _bad(tmp_path, "cut.json", text[:2000]).startswith(": truncated JSON (it ends at line 63, column ")


def test_an_html_error_page_is_one_line(tmp_path):
    page = "<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body>busy</body></html>\n"
    assert _bad(tmp_path, "page.json", page) == \
        ": an HTML page, not MusicBrainz JSON (an error page instead of the record?)"


@pytest.mark.parametrize("content, message", [
    ('[{"id": "x"}]', ": a JSON array, not a MusicBrainz document"),
    ('{"entities": {"Q1": {}}}', ': not a MusicBrainz document (no MBID in "id")'),
    ('{"error": "Not Found", "help": "For usage, please see: ..."}', ": MusicBrainz answered with an error: Not Found"),
    ('{"id": "993af7f6-bb99-456b-83e7-5e728ea80a0e", "name": "Harvest", "sort-name": "Harvest", "label-code": 1305}',
     ": a MusicBrainz label; this importer reads artists, recordings, releases and works"),
    ("", ": is empty, not a MusicBrainz JSON document"),
    ("{\n  \"id\": 3,\n  oops\n}", ": not valid JSON: Expecting property name enclosed in double quotes (line 3, column 3)"),
])
def test_wrong_shapes_are_one_line(tmp_path, content, message):
    assert _bad(tmp_path, "doc.json", content) == message


def test_a_relation_of_the_wrong_shape_is_one_line(tmp_path):
    doc = json.loads((MB / "recording-credits.json").read_text("utf-8"))
    doc["artist-credit"][0]["artist"] = {"name": "No MBID"}
    message = _bad(tmp_path, "doc.json", json.dumps(doc))
    assert message == f": recording/{KNOWING_ME} artist-credit[1] artist: the artist has no MBID"
    doc["artist-credit"] = "ABBA"
    message = _bad(tmp_path, "doc.json", json.dumps(doc))
    assert message.startswith(": not a MusicBrainz recording document of the expected shape (")


def test_a_missing_file_and_a_corrupt_archive(tmp_path):
    with pytest.raises(SourceError, match=r"^nope\.json: no such file, and not a MusicBrainz record"):
        list(read(["nope.json"]))
    assert _bad(tmp_path, "dump.json.gz", b"not gzip at all").startswith(": cannot be read: ")


# -- fetching MBIDs ----------------------------------------------------------------------

def test_mbids_are_fetched_with_the_includes_the_importer_needs():
    asked = []

    def fetch(request: str) -> bytes:
        asked.append(request)
        return (MB / "recording-credits.json").read_bytes()

    batches = list(read([f"recording/{KNOWING_ME}", f"https://musicbrainz.org/recording/{KNOWING_ME}"], fetch=fetch))
    assert asked == [request_for("recording", KNOWING_ME)] * 2
    assert asked[0] == (f"recording/{KNOWING_ME}?inc=artist-credits+aliases+artist-rels+work-rels+work-level-rels"
                        "+url-rels&fmt=json")
    assert [b.name for b in batches] == [f"musicbrainz/recording/{KNOWING_ME}"] * 2
    assert next(iter(batches[0].sources.values())).requested is None


def test_the_fetchers_retrieval_time_is_kept_on_the_source():
    from collabgraph.importers.fetch import Fetched

    url = f"https://musicbrainz.org/ws/2/{request_for('artist', ED_SHEERAN)}"
    answer = Fetched((MB / "artist.json").read_bytes(), requested=url, url=url, retrieved="2024-05-01T10:00:00Z")
    [batch] = read([f"artist/{ED_SHEERAN}"], fetch=lambda request: answer)
    assert next(iter(batch.sources.values())).retrieved == "2024-05-01T10:00:00Z"


def test_a_merged_mbid_answers_with_the_record_it_became():
    old = "00000000-0000-4000-8000-000000000009"
    [batch] = read([f"artist/{old}"], fetch=lambda request: (MB / "artist.json").read_bytes())
    assert batch.name == f"musicbrainz/artist/{ED_SHEERAN}"
    assert next(iter(batch.sources.values())).requested == f"artist/{old}"


def test_fetch_errors_are_one_line():
    with pytest.raises(SourceError, match=r"no fetcher was given to ask MusicBrainz for artist/"):
        list(read([f"artist/{ED_SHEERAN}"]))
    with pytest.raises(SourceError) as caught:
        list(read([f"artist/{ED_SHEERAN}"], fetch=lambda r: (MB / "release.json").read_bytes()))
    assert str(caught.value) == f"MusicBrainz artist/{ED_SHEERAN}: the answer is a MusicBrainz release, not the artist asked for"
    with pytest.raises(SourceError) as caught:
        list(read([f"artist/{ED_SHEERAN}"], fetch=lambda r: b"<html><body>502 Bad Gateway</body></html>"))
    assert str(caught.value).startswith(f"MusicBrainz artist/{ED_SHEERAN}: an HTML page")


# -- end to end: import, validate, build, ask ------------------------------------------------

IMPORTED = ("recording-credits.json", "recording-multi-artists-1.json", "recording.json", "release.json")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A copy of the article's graph with MusicBrainz records imported, and its build."""
    from click.testing import CliRunner

    from collabgraph.cli import cli

    root = tmp_path_factory.mktemp("mb-import")
    graph = lay_out(root / "copy")
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "musicbrainz", *(str(MB / f) for f in IMPORTED), "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    out = root / "build"
    result = runner.invoke(cli, ["build", "--graph", str(graph), "--ontology", str(ONTOLOGY), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return graph, out


CREDITS_OF = """SELECT ?role ?work ?locator ?instrument ?as WHERE {
    ?c a cg:Credit ; cg:agent ?a ; cg:work ?w ; cg:role ?r ; cg:locator ?locator .
    ?a rdfs:label ?name . ?w rdfs:label ?work . BIND (STRAFTER(STR(?r), STR(role:)) AS ?role)
    OPTIONAL { ?c cg:instrument ?instrument } OPTIONAL { ?c cg:creditedAs ?as } }"""


def test_imported_records_pass_validation_and_build(imported, runner):
    from collabgraph import CollabGraph
    from collabgraph.cli import cli
    from rdflib import Literal

    graph, out = imported
    result = runner.invoke(cli, ["validate", "--graph", str(graph), "--ontology", str(ONTOLOGY)])
    assert result.exit_code == 0, result.output
    with CollabGraph.open(out) as kg:
        def credits_of(name):
            rows = kg.sparql(CREDITS_OF, bindings={"name": Literal(name)})
            return {tuple(str(v) if v is not None else None for v in row) for row in rows}

        wellander = credits_of("Lasse Wellander")
        assert {(r, w, i) for r, w, _, i, _ in wellander} == {("instrumentalist", "Knowing Me, Knowing You", "electric guitar")}
        assert {(r, a) for r, _, _, _, a in credits_of("Anni-Frid Lyngstad")} == {("vocalist", "Frida")}
        assert {r for r, *_ in credits_of("Meek Mill")} == {"featuredArtist"}
        assert {(r, w) for r, w, *_ in credits_of("Ed Sheeran")} == {
            ("performer", "1000 Nights"), ("performer", "Thinking Out Loud"), ("vocalist", "Thinking Out Loud"),
            ("instrumentalist", "Thinking Out Loud"), ("songwriter", "Thinking Out Loud")}
        # One Ed Sheeran across the records: the MBID links the second mention to the first.
        assert len(kg.search("Ed Sheeran")) == 1


def test_imported_credits_make_collaborators_and_paths(imported):
    from collabgraph import CollabGraph

    _, out = imported
    with CollabGraph.open(out) as kg:
        assert "Meek Mill" in {c.agent.label for c in kg.collaborators("Ed Sheeran")}
        assert [h.target.label for h in kg.path("A Boogie Wit da Hoodie", "Ed Sheeran")] == ["Ed Sheeran"]
        assert "Lasse Wellander" in {c.agent.label for c in kg.collaborators("Frida")}


def test_a_bad_file_changes_nothing_in_the_graph(imported, runner, tmp_path):
    from collabgraph.cli import cli

    graph, _ = imported
    before = {p: p.read_bytes() for p in graph.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.json"
    bad.write_text((MB / "artist.json").read_text("utf-8")[:500], "utf-8")
    result = runner.invoke(cli, ["import", "musicbrainz", str(MB / "artist.json"), str(bad), "--graph", str(graph)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == f"error: {bad}: truncated JSON (it ends at line 19, column 14)"
    assert {p: p.read_bytes() for p in graph.rglob("*") if p.is_file()} == before


def _reimport(graph: Path, runner, files) -> set[str]:
    from collabgraph.cli import cli

    before = {p: p.read_bytes() for p in graph.rglob("*") if p.is_file()}
    result = runner.invoke(cli, ["import", "musicbrainz", *(str(MB / f) for f in files), "--graph", str(graph),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    statuses = {f["status"] for f in json.loads(result.output)["files"]}
    assert statuses != {"unchanged"} or {p: p.read_bytes() for p in graph.rglob("*") if p.is_file()} == before
    return statuses


def test_a_reimport_of_the_same_record_changes_nothing(tmp_path, runner):
    graph = lay_out(tmp_path / "copy")
    _reimport(graph, runner, ["recording-credits.json"])
    assert _reimport(graph, runner, ["recording-credits.json"]) == {"unchanged"}


def test_a_reimport_of_records_sharing_an_artist_changes_nothing(tmp_path, runner):
    graph = lay_out(tmp_path / "copy")
    files = ["recording-multi-artists-1.json", "recording.json"]  # Ed Sheeran is in both
    _reimport(graph, runner, files)
    assert _reimport(graph, runner, files) == {"unchanged"}
    written = sorted((graph / "imports" / "musicbrainz" / "recording").glob("*.ttl"))
    assert len(written) == 2
    for path in written:  # each file types Ed Sheeran as its record does, whichever file made him first
        block = path.read_text("utf-8").split("\nid:mb-b8a7c51f-362c-4dcb-a259-bc6e0095f0a6\n", 1)[1].split("\n\n", 1)[0]
        assert "    a cg:" in block and 'rdfs:label "Ed Sheeran"' in block
    kg = CollabGraph.load(graph, ONTOLOGY)
    assert "cg:Person" in kg.entity("Ed Sheeran").types


def test_an_instrumentalist_credit_names_its_instrument_in_works(tmp_path, runner):
    from collabgraph.cli import cli

    graph = lay_out(tmp_path / "copy")
    assert runner.invoke(cli, ["import", "musicbrainz", str(DATA / "musicbrainz" / "recording-credits.json"),
                               "--graph", str(graph)]).exit_code == 0
    kg = CollabGraph.load(graph, ONTOLOGY)
    wellander = {c.instrument for c in kg.works("Lasse Wellander")}
    assert "electric guitar" in wellander
    built = tmp_path / "build"
    assert runner.invoke(cli, ["build", "--graph", str(graph), "--out", str(built), "-q"]).exit_code == 0
    shown = runner.invoke(cli, ["works", "Lasse Wellander", "--build", str(built)]).output
    assert "instrumentalist (electric guitar)" in shown
