"""MusicBrainz as it is (issue 19, item 5): the artist's own name as its label,
aliases typed so linking can ignore search hints and locale variants, the
recording's work (its composer and lyricist reach the recording), conductor,
orchestra, mix, mastering, remixer and video director kept, and a track
document read as the recording it holds rather than as a recording of its own MBID.

recording-composer.json, recording-video.json and track.json are real web-service
answers kept as test data by MusicBrainz Picard (see tests/data/musicbrainz/README.md).
Every test here failed on the importer before issue 19."""

from __future__ import annotations

import copy
import json
from pathlib import Path


from collabgraph.importers.model import ClaimRecord, CreditRecord, Name
from collabgraph.importers.musicbrainz import parse, read

from .conftest import DATA, ONTOLOGY

MB = DATA / "musicbrainz"
ED_SHEERAN = "b8a7c51f-362c-4dcb-a259-bc6e0095f0a6"


def one(path: Path):
    [batch] = list(read([str(path)]))
    return batch


def credits(batch, work_prefix="musicbrainz:recording:") -> set[tuple[str, str, str | None]]:
    return {(batch.entities[c.agent].label, c.role, c.provenance.inference)
            for c in batch.facts if isinstance(c, CreditRecord) and c.work.startswith(work_prefix)}


def test_an_artist_is_labelled_by_its_own_name_not_a_locale_alias(runner, sources):
    from collabgraph.cli import cli

    batch = one(MB / "artist.json")
    ed = batch.entities[f"musicbrainz:artist:{ED_SHEERAN}"]
    assert ed.label == "Ed Sheeran" and ed.labels == {"": "Ed Sheeran"}  # was "Ed Sheeran (en)"
    assert ed.identifiers["isni"] == "0000000364434564"  # the record's ISNI, an identifier to link by
    result = runner.invoke(cli, ["import", "musicbrainz", str(MB / "artist.json"), "--graph", str(sources),
                                 "--ontology", str(ONTOLOGY), "--format", "json"])
    assert result.exit_code == 0, result.output
    [decision] = json.loads(result.output)["entities"]
    assert decision["label"] == "Ed Sheeran" and "-en" not in decision["id"]


def test_aliases_are_typed_and_the_unlinkable_ones_written_as_hidden_labels(sources, runner):
    from collabgraph.cli import cli

    ed = one(MB / "artist.json").entities[f"musicbrainz:artist:{ED_SHEERAN}"]
    kinds = {(a.text, a.kind) for a in ed.aliases}
    assert {("Shearan", "search-hint"), ("Ed Sheeran (en)", "locale"), ("Sheeran, Ed", "sort")} <= kinds
    result = runner.invoke(cli, ["import", "musicbrainz", str(MB / "artist.json"), "--graph", str(sources),
                                 "--ontology", str(ONTOLOGY)])
    assert result.exit_code == 0, result.output
    text = next((sources / "imports").rglob("*.ttl")).read_text("utf-8")
    assert '"Shearan"' in text.split("skos:hiddenLabel", 1)[1].split(" .", 1)[0]
    assert "skos:altLabel" not in text  # none of Ed Sheeran's aliases is a name to link by


def test_legal_names_and_names_of_another_script_stay_names():
    doc = json.loads((MB / "artist.json").read_text("utf-8"))
    doc["aliases"] = [
        {"name": "Edward Christopher Sheeran", "sort-name": "Sheeran, Edward Christopher", "type": "Legal name",
         "locale": None, "primary": None, "begin": None, "end": None, "ended": False},
        {"name": "에드 시런", "sort-name": "에드 시런", "type": "Artist name", "locale": "ko", "primary": True,
         "begin": None, "end": None, "ended": False},
        {"name": "Ed", "sort-name": "Ed", "type": None, "locale": None, "primary": None,
         "begin": None, "end": None, "ended": False}]
    ed = parse(json.dumps(doc).encode(), "artist.json").entities[f"musicbrainz:artist:{ED_SHEERAN}"]
    assert Name("Edward Christopher Sheeran") in ed.aliases  # a legal name is a name to link by
    assert ed.labels == {"": "Ed Sheeran", "ko": "에드 시런"}  # the Korean primary name is the Korean label
    assert Name("Ed", kind="untyped") in ed.aliases  # an alias of no type is not a link key


def test_the_recordings_work_brings_its_composer_and_the_conductor_and_orchestra_are_kept():
    batch = one(MB / "recording-composer.json")
    got = credits(batch)
    assert ("Charles Dutoit", "conductor", None) in got
    assert ("Orchestre symphonique de Montréal", "orchestra", None) in got
    # The composer is the work's; the recording gets it as an inference, so performers meet him.
    # (his name is Cyrillic; his primary English alias, of another script, is his English label)
    assert ("Pyotr Ilyich Tchaikovsky", "composer", "composer of the work this recording is a recording of") in got
    assert ("Pyotr Ilyich Tchaikovsky", "composer", None) in credits(batch, "musicbrainz:work:")
    [link] = [c for c in batch.facts if isinstance(c, ClaimRecord) and c.property == "recordingOf"]
    assert link.about == "musicbrainz:recording:22bac38a-53c2-4eb3-bbd0-76144c390154"
    assert link.value.key == "musicbrainz:work:c8aebb07-fb03-36d3-ade4-3a2692810615"
    assert "performance" in link.provenance.locator


def test_a_music_video_keeps_its_video_director_and_its_songs_writers():
    batch = one(MB / "recording-video.json")
    video = batch.entities["musicbrainz:recording:370889ee-7a70-4d0a-8f4d-e514e0494d7e"]
    assert "MusicVideo" in video.types
    got = credits(batch)
    assert ("Edward Mavskegg", "musicVideoDirector", None) in got
    assert {("Gregor Mackintosh", "composer"), ("Nick Holmes", "lyricist")} <= {(a, r) for a, r, _ in got}


def test_mix_mastering_and_remixer_relations_become_credits():
    doc = json.loads((MB / "recording-credits.json").read_text("utf-8"))
    engineer = next(r for r in doc["relations"] if r["type"] == "engineer")
    for n, rtype in enumerate(("mix", "mastering", "remixer")):  # the engineer's relation, retyped
        r = copy.deepcopy(engineer)
        r["type"], r["artist"]["id"] = rtype, f"429e13d1-a1f9-427f-ac95-8ffe1902bb{n:02d}"
        r["artist"]["name"] = f"Someone {rtype}"
        doc["relations"].append(r)
    batch = parse(json.dumps(doc).encode(), "recording.json")
    got = {(a, role) for a, role, _ in credits(batch)}
    assert {("Someone mix", "mixer"), ("Someone mastering", "masteringEngineer"),
            ("Someone remixer", "remixer")} <= got
    assert not [s for s in batch.skipped if "mix" in s.what or "mastering" in s.what]


def test_the_imported_recordings_validate(runner, sources):
    from collabgraph.cli import cli

    files = [str(MB / f) for f in ("recording-composer.json", "recording-video.json", "recording.json")]
    result = runner.invoke(cli, ["import", "musicbrainz", *files, "--graph", str(sources),
                                 "--ontology", str(ONTOLOGY)])
    assert result.exit_code == 0, result.output
    text = "".join(p.read_text("utf-8") for p in (sources / "imports").rglob("*.ttl"))
    assert "cg:property cg:recordingOf" in text and "role:conductor" in text and "cg:editorsInference" in text


def test_a_track_document_is_read_as_its_recording_never_under_the_tracks_mbid(runner, sources):
    batch = one(MB / "track.json")
    [recording] = batch.entities.values()
    # Before: the track was read as a recording whose MBID was the track's (d4156411-…).
    assert recording.identifiers == {"musicbrainz": "recording/bef3fddb-5aca-49f5-b2fd-d56a23268d63"}
    assert recording.types == ["Recording"] and recording.label == "Speak to Me"
    assert batch.name == "musicbrainz/track/d4156411-b884-368f-a4cb-7c0101a557a2"
    assert [s.what for s in batch.skipped] == ["track A1 of a release (track/d4156411-b884-368f-a4cb-7c0101a557a2)"]
    from collabgraph.cli import cli

    result = runner.invoke(cli, ["import", "musicbrainz", str(MB / "track.json"), "--graph", str(sources),
                                 "--ontology", str(ONTOLOGY)])
    assert result.exit_code == 0, result.output
    text = "".join(p.read_text("utf-8") for p in (sources / "imports").rglob("*.ttl"))
    assert "recording/bef3fddb-5aca-49f5-b2fd-d56a23268d63" in text
    assert "recording/d4156411" not in text and "id:mb-d4156411" not in text


def test_the_other_recordings_of_the_work_are_entities_of_their_own():
    batch = one(MB / "recording.json")
    work = "musicbrainz:work:dc469dc8-198e-42e5-b5a7-6be2f0a95ac0"
    of_work = {c.about for c in batch.facts if isinstance(c, ClaimRecord) and c.property == "recordingOf"
               and c.value.key == work}
    assert len(of_work) == 9  # this recording and eight others (covers, live takes), each its own entity
    kidz = next(k for k in of_work if k.endswith("5718a458-fefe-423a-9300-9758cdd0f69e"))
    assert ("Kidz Bop", "performer") in {(batch.entities[c.agent].label, c.role) for c in batch.facts
                                         if isinstance(c, CreditRecord) and c.work == kidz}


def test_an_artists_part_the_ontology_has_no_role_for_is_a_collaborator_credit_with_its_type():
    doc = json.loads((MB / "recording-credits.json").read_text("utf-8"))
    engineer = next(r for r in doc["relations"] if r["type"] == "engineer")
    animation = copy.deepcopy(engineer)
    animation["type"] = "animation"
    doc["relations"].append(animation)
    batch = parse(json.dumps(doc).encode(), "recording.json")
    [credit] = [c for c in batch.facts if isinstance(c, CreditRecord) and c.role == "collaborator"]
    assert credit.attributes == ("MusicBrainz animation",) and "relation animation" in credit.provenance.locator


def test_two_copies_of_one_record_in_one_run_are_two_sources_and_validate(runner, sources):
    from collabgraph.cli import cli

    # The two files are different answers about one recording (1000 Nights): before, they
    # made one source with two SHA-256 values, and the run failed validation.
    files = [str(MB / f) for f in ("recording-multi-artists-1.json", "recording-multi-artists-2.json")]
    result = runner.invoke(cli, ["import", "musicbrainz", *files, "--graph", str(sources), "--ontology", str(ONTOLOGY)])
    assert result.exit_code == 0, result.output
    [written] = (sources / "imports" / "musicbrainz" / "recording").glob("*.ttl")
    assert written.read_text("utf-8").count("a cg:SourceDocument") == 2


def test_one_bad_line_of_a_dump_is_listed_and_the_others_read_unless_strict(tmp_path, runner, sources):
    from collabgraph.cli import cli

    dump = tmp_path / "dump.json"
    good = [json.dumps(json.loads((MB / f).read_text("utf-8"))) for f in ("artist.json", "recording-video.json")]
    dump.write_text("\n".join([good[0], '{"id": "not an mbid", "title": "x"}', good[1]]) + "\n", "utf-8")
    result = runner.invoke(cli, ["import", "musicbrainz", str(dump), "--graph", str(sources),
                                 "--ontology", str(ONTOLOGY), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert len(report["files"]) == 2
    [bad] = [s for s in report["skipped"] if s["where"] == f"{dump}:2"]
    assert "no MBID" in bad["reason"]
    from .conftest import lay_out

    other = lay_out(tmp_path / "strict")
    strict = runner.invoke(cli, ["import", "musicbrainz", str(dump), "--strict", "--graph", str(other)])
    assert strict.exit_code != 0 and f"{dump}:2" in strict.output and "no MBID" in strict.output
    assert not (other / "imports").exists()
