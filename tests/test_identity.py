"""Identity: evidence, not names (issue 19). Each test is a case of the issue's
"Why" list: same-named people, an untyped alias, a character named like a
group, same-titled works, ids that move, decisions that do not last, imports
that depend on how files are grouped or named; and the repair tools."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collabgraph import build
from collabgraph.importers import decisions
from collabgraph.importers.importing import run_import
from collabgraph.importers.model import (Batch, ClaimRecord, CreditRecord, Date, EntityRecord, MembershipRecord,
                                       Name, Provenance, SourceRecord)

from .conftest import ONTOLOGY

ID = "https://w3id.org/collabgraph/id/"
HEADER = "kind,agent,agent_type,work,work_type,role,date,group,property,value,source_title\n"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """The link index's cache goes to the test's own folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def csv_import(runner, graph: Path, *files: Path, extra: tuple = ()) -> dict:
    from collabgraph.cli import cli

    result = runner.invoke(cli, ["import", "csv", *map(str, files), "--graph", str(graph), "--ontology",
                                 str(ONTOLOGY), "--format", "json", *extra])
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


def write(path: Path, rows: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + rows, "utf-8")
    return path


def idol(name: str, born: str, group: str, n: int) -> Batch:
    """One row of an idol list as a mapped import gives it: a person with a birth date and a group."""
    b = Batch(f"test/idols-{n}", version="1")
    src = b.add_source(SourceRecord(f"test:idols-{n}", "An idol list", kind="test", revision="1")).key
    b.add_entity(EntityRecord(f"row:{n}", types=["Person"], labels={"": name}, mentions=[f"idols.csv:{n}"]))
    b.add_entity(EntityRecord(f"group:{group}", types=["Group"], labels={"": group}))
    b.facts += [ClaimRecord(f"row:{n}", "birthDate", Date(born, "day"), Provenance(src, locator=f"line {n}")),
                MembershipRecord(f"row:{n}", f"group:{group}", Provenance(src, locator=f"line {n}"))]
    return b


def where(report, ref: str) -> str:
    return report.where[ref]


# -- same-named people ----------------------------------------------------------------------------

def test_two_idols_named_jimin_in_different_groups_are_two_people(sources):
    first = run_import([idol("Jimin", "1995-10-13", "BTS", 2)], sources)
    second = run_import([idol("Jimin", "1991-01-08", "AOA", 3)], sources)
    assert where(first, "idols.csv:2") != where(second, "idols.csv:3")
    [d] = [d for d in second.decisions if d.label == "Jimin"]
    assert d.method == "new" and d.suggestions  # reported for a person to check, never merged


def test_bts_jin_and_lovelyz_jin_differ_in_case_only_and_stay_apart(sources):
    run_import([idol("Jin", "1992-12-04", "BTS", 2)], sources)
    report = run_import([idol("JIN", "1996-06-12", "Lovelyz", 3)], sources)
    assert where(report, "idols.csv:3") not in {f"{ID}bts"} and \
        [d.method for d in report.decisions if d.label == "JIN"] == ["new"]


def test_mark_in_six_groups_is_six_people(sources):
    groups = ["NCT", "GOT7", "NCT 127", "SuperM", "NCT Dream", "Loona"]
    iris = [where(run_import([idol("Mark", f"199{i}-0{i + 1}-1{i}", g, i + 2)], sources), f"idols.csv:{i + 2}")
            for i, g in enumerate(groups)]
    assert len(set(iris)) == 6


def test_a_later_row_with_the_group_links_to_the_right_namesake(sources):
    a = run_import([idol("Jimin", "1995-10-13", "BTS", 2)], sources)
    b = run_import([idol("Jimin", "1991-01-08", "AOA", 3)], sources)
    again = run_import([idol("Jimin", "1991-01-08", "AOA", 9)], sources)
    assert where(again, "idols.csv:9") == where(b, "idols.csv:3") != where(a, "idols.csv:2")
    assert [d.method for d in again.decisions if d.label == "Jimin"] == ["evidence"]


def test_a_bare_name_held_by_two_people_is_only_suggested(runner, sources, tmp_path):
    run_import([idol("Jimin", "1995-10-13", "BTS", 2)], sources)
    run_import([idol("Jimin", "1991-01-08", "AOA", 3)], sources)
    report = csv_import(runner, sources, write(tmp_path / "songs.csv",
                                               "credit,Jimin,Person,Promise,Song,performer,2018,,,,Notes\n"))
    [d] = [d for d in report["entities"] if d["label"] == "Jimin"]
    assert d["method"] == "new" and len(d["suggestions"]) == 2


def test_an_untyped_alias_never_links_bob_dylan_to_another_dylan(sources):
    run_import([idol("Dylan", "2002-01-12", "D-CRUNCH", 2)], sources)
    b = Batch("test/mb-dylan", version="1")
    b.add_source(SourceRecord("test:mb", "A recording", kind="test", revision="1"))
    b.add_entity(EntityRecord("mb:dylan", types=["Person"], labels={"": "Bob Dylan"},
                              aliases=[Name("Dylan", kind="untyped"), Name("Dylan, Bob", kind="sort")],
                              identifiers={"musicbrainz": "artist/72c536dc-7137-4477-a521-567eeb840fa8"}))
    report = run_import([b], sources)
    [d] = report.decisions
    assert d.method == "new" and d.iri == f"{ID}mb-72c536dc-7137-4477-a521-567eeb840fa8"
    # ...and the alias, written as a hidden label, does not pull a later "Dylan" to Bob Dylan.
    later = run_import([idol("Dylan", "2002-01-12", "D-CRUNCH", 5)], sources)
    assert where(later, "idols.csv:5") != d.iri


def test_a_bare_name_someone_else_has_as_a_hidden_alias_is_only_suggested(runner, sources, tmp_path):
    test_an_untyped_alias_never_links_bob_dylan_to_another_dylan(sources)
    report = csv_import(runner, sources, write(tmp_path / "songs.csv",
                                               "credit,Dylan,Person,Like a Rolling Stone,Song,performer,,,,,Notes\n"))
    [d] = [d for d in report["entities"] if d["label"] == "Dylan"]
    assert d["method"] == "new" and len(d["suggestions"]) == 2


def test_someone_born_after_a_song_was_released_did_not_sing_it(sources):
    run_import([idol("Dylan", "2002-01-12", "D-CRUNCH", 2)], sources)
    b = Batch("test/song-1965", version="1")
    src = b.add_source(SourceRecord("test:s", "A song list", kind="test", revision="1")).key
    b.add_entity(EntityRecord("a", types=["Person"], labels={"": "Dylan"}, mentions=["songs.csv:2:Artist"]))
    b.add_entity(EntityRecord("w", types=["Song"], labels={"": "Like a Rolling Stone"}))
    b.facts += [CreditRecord("a", "w", "performer", Provenance(src, locator="line 2")),
                ClaimRecord("w", "releaseDate", Date("1965-07-20"), Provenance(src, locator="line 2"))]
    report = run_import([b], sources)
    [d] = [d for d in report.decisions if d.key == "a"]
    assert d.method == "new" and "born in 2002" in d.suggestions[0].why


def test_a_character_never_links_to_a_group_of_the_same_name(runner, sources, tmp_path):
    csv_import(runner, sources, write(tmp_path / "kara.csv", "membership,Gyuri,Person,,,,,KARA,,,Notes\n"))
    b = Batch("test/character", version="1")
    src = b.add_source(SourceRecord("test:c", "An item", kind="test", revision="1")).key
    b.add_entity(EntityRecord("wd:kara", types=["Entity"], labels={"en": "Kara"},
                              unmapped_types=["fictional character"]))
    b.facts.append(ClaimRecord("wd:kara", "note", "an android", Provenance(src, locator="P31")))
    report = run_import([b], sources)
    [d] = report.decisions
    assert d.method == "new" and d.suggestions  # the group is only suggested


# -- works ---------------------------------------------------------------------------------------

def test_four_songs_called_blue_are_four_works_and_none_is_vs(runner, sources, tmp_path):
    artists = [("BIGBANG", "Group", "2012"), ("Onew", "Person", "2018"), ("Beyoncé", "Person", "2013"),
               ("Big Thief", "Group", "2022")]
    works = set()
    for i, (artist, typ, year) in enumerate(artists):
        report = csv_import(runner, sources, write(tmp_path / f"blue{i}.csv",
                                                   f"credit,{artist},{typ},Blue,Song,performer,{year},,,,Notes\n"))
        works.add(report["where"][f"blue{i}.csv:2:work"])
    assert len(works) == 4 and "id:blue" not in works


def test_vs_credit_on_blue_links_by_the_shared_artist(runner, sources, tmp_path):
    csv_import(runner, sources, write(tmp_path / "bigbang.csv", "credit,BIGBANG,Group,Blue,Song,performer,2012,,,,Notes\n"))
    report = csv_import(runner, sources, write(tmp_path / "v.csv", "credit,V,Person,Blue,Song,composer,,,,,Notes\n"))
    assert report["where"]["v.csv:2:work"] == "id:blue" and report["where"]["v.csv:2:agent"] == "id:v"


def test_one_file_crediting_blue_in_two_years_has_two_works(runner, sources, tmp_path):
    report = csv_import(runner, sources, write(tmp_path / "facts.csv",
                                               "credit,V,Person,Blue,Song,performer,2023,,,,Notes\n"
                                               "credit,BIGBANG,Group,Blue,Song,performer,2012,,,,Notes\n"))
    assert report["where"]["facts.csv:2:work"] == "id:blue"
    assert report["where"]["facts.csv:3:work"] not in ("id:blue", report["where"]["facts.csv:2:work"])


# -- ids and decisions that last -------------------------------------------------------------------

def recording(title: str) -> Batch:
    b = Batch("test/recording", version=title)
    src = b.add_source(SourceRecord("test:r", "A recording", kind="test", revision=title)).key
    b.add_entity(EntityRecord("mb:r", types=["Song"], labels={"": title},
                              identifiers={"musicbrainz": "recording/2d40c8b2-7524-49e3-af44-ebb924c5b023"}))
    b.facts.append(ClaimRecord("mb:r", "releaseDate", Date("2015", "year"), Provenance(src, locator="date")))
    return b


def test_a_renamed_recording_keeps_its_id(sources):
    first = run_import([recording("The Enemy")], sources).decisions[0].iri
    second = run_import([recording("The Enemy (live)")], sources).decisions[0].iri
    assert first == second == f"{ID}mb-2d40c8b2-7524-49e3-af44-ebb924c5b023"


def test_a_link_decision_is_kept_and_applied_by_later_imports(runner, sources, tmp_path):
    rows = write(tmp_path / "lee.csv", "claim,Lee Ji-eun,Person,,,,,,birthDate,1993-05-16,Notes\n")
    first = csv_import(runner, sources, rows, extra=("--link", "Lee Ji-eun=id:iu"))
    assert first["where"]["lee.csv:2:agent"] == "id:iu" and first["decided"][0]["other"] == "id:iu"
    kept = decisions.read(sources)
    assert [(d.kind, d.other) for d in kept] == [("same", f"{ID}iu")] and kept[0].who and kept[0].when
    again = csv_import(runner, sources, rows)  # no --link this time
    assert again["where"]["lee.csv:2:agent"] == "id:iu"
    assert [d["method"] for d in again["entities"] if d["label"] == "Lee Ji-eun"] == ["decided"]
    assert build(sources, ONTOLOGY, tmp_path / "build").triples


def test_a_new_decision_keeps_a_record_apart_from_the_entity_it_would_match(runner, sources, tmp_path):
    rows = write(tmp_path / "pb.csv", "claim,Peakboy,Agent,,,,,,inception,2013,Notes\n")
    assert csv_import(runner, sources, rows, extra=("--new", "Peakboy"))["where"]["pb.csv:2:agent"] != "id:peakboy"
    assert csv_import(runner, sources, rows)["where"]["pb.csv:2:agent"] != "id:peakboy"


# -- files: grouping and names ---------------------------------------------------------------------

def test_reimporting_files_together_after_one_by_one_changes_no_byte(runner, sources, tmp_path):
    a = write(tmp_path / "a.csv", "membership,Sunrise Kim,Person,,,,,Sunrise,,,Notes A\n")
    b = write(tmp_path / "b.csv", "credit,Sunrise,Group,Sunrise,MusicVideo,performer,2020,,,,Notes B\n")
    csv_import(runner, sources, a)
    csv_import(runner, sources, b)
    before = {p: p.read_bytes() for p in (sources / "imports").rglob("*.ttl")}
    together = csv_import(runner, sources, a, b)
    assert {f["status"] for f in together["files"]} == {"unchanged"}
    assert {p: p.read_bytes() for p in (sources / "imports").rglob("*.ttl")} == before
    assert csv_import(runner, sources, b, a)["files"][0]["status"] == "unchanged"


def test_two_inputs_with_the_same_base_name_are_two_files(runner, sources, tmp_path):
    csv_import(runner, sources, write(tmp_path / "a" / "credits.csv", "membership,Jimin,Person,,,,,BTS,,,Notes A\n"))
    csv_import(runner, sources, write(tmp_path / "b" / "credits.csv", "membership,Hani,Person,,,,,EXID,,,Notes B\n"))
    files = sorted(p.name for p in (sources / "imports" / "csv").glob("*.ttl"))
    assert len(files) == 2
    text = "".join(p.read_text("utf-8") for p in (sources / "imports" / "csv").glob("*.ttl"))
    assert "Jimin" in text and "Hani" in text


# -- repair ----------------------------------------------------------------------------------------

def test_merge_moves_an_entitys_facts_and_later_imports_follow(runner, sources, tmp_path):
    rows = write(tmp_path / "lee.csv", "claim,Lee Ji-eun,Person,,,,,,birthDate,1993-05-16,Notes\n")
    wrong = csv_import(runner, sources, rows)["where"]["lee.csv:2:agent"]
    assert wrong != "id:iu"
    repair = decisions.merge(sources, wrong, "id:iu", ontology_dir=ONTOLOGY, who="editor")
    assert repair.decision.kind == "same" and "imports/csv/lee.ttl" in repair.files
    assert wrong.split(":")[1] not in (sources / "imports" / "csv" / "lee.ttl").read_text("utf-8")
    assert build(sources, ONTOLOGY, tmp_path / "build").triples  # the graph holds
    assert csv_import(runner, sources, rows)["where"]["lee.csv:2:agent"] == "id:iu"


def test_split_moves_a_files_facts_to_a_new_entity_with_their_provenance(runner, sources, tmp_path):
    csv_import(runner, sources, write(tmp_path / "one.csv", "membership,Jimin,Person,,,,,BTS,,,Notes A\n"))
    other = write(tmp_path / "two.csv", "claim,Jimin,Person,,,,,,birthDate,1991-01-08,Notes B\n")
    jimin = csv_import(runner, sources, other)["where"]["two.csv:2:agent"]  # linked by the bare name: wrong
    repair = decisions.split(sources, jimin, files=["imports/csv/two.ttl"], label="Jimin (AOA)",
                             ontology_dir=ONTOLOGY, who="editor")
    assert repair.moved >= 2 and repair.entity != jimin
    assert build(sources, ONTOLOGY, tmp_path / "build").triples
    assert decisions.read(sources)[0].kind == "different"


def test_differ_stops_a_name_link(runner, sources, tmp_path):
    rows = write(tmp_path / "pb.csv", "claim,Peakboy,Agent,,,,,,inception,2013,Notes\n")
    new = csv_import(runner, sources, rows, extra=("--new", "Peakboy"))["where"]["pb.csv:2:agent"]
    decisions.differ(sources, "id:peakboy", new, ontology_dir=ONTOLOGY)
    assert csv_import(runner, sources, rows)["where"]["pb.csv:2:agent"] == new


def test_merge_refuses_entities_of_kinds_that_do_not_fit_and_changes_nothing(sources):
    before = {p: p.read_bytes() for p in sources.rglob("*.ttl")}
    with pytest.raises(Exception, match="not merged"):
        decisions.merge(sources, "id:blue", "id:iu", ontology_dir=ONTOLOGY)
    assert {p: p.read_bytes() for p in sources.rglob("*.ttl")} == before


def test_a_music_video_is_not_the_song_it_shares_a_title_and_artist_with(runner, sources, tmp_path):
    report = csv_import(runner, sources, write(tmp_path / "mv.csv",
                                               "credit,V,Person,Love Me Again,MusicVideo,performer,2023,,,,Notes\n"))
    assert report["where"]["mv.csv:2:agent"] == "id:v"
    assert report["where"]["mv.csv:2:work"] != "id:love-me-again"


def test_the_where_map_names_the_entity_of_every_row_and_column(runner, sources, tmp_path):
    report = csv_import(runner, sources, write(tmp_path / "m.csv", "membership,Kim Taehyung,Person,,,,,BTS,,,Notes\n"))
    assert report["where"] == {"m.csv:2": "id:v", "m.csv:2:agent": "id:v", "m.csv:2:group": "id:bts"}


def test_a_second_import_parses_only_the_files_that_changed(runner, sources, tmp_path, monkeypatch):
    from collabgraph.importers import linkindex

    csv_import(runner, sources, write(tmp_path / "one.csv", "membership,Gyuri,Person,,,,,KARA,,,Notes\n"))
    parsed = []
    real = linkindex.read_file
    monkeypatch.setattr(linkindex, "read_file", lambda path: parsed.append(path.name) or real(path))
    csv_import(runner, sources, write(tmp_path / "two.csv", "membership,Hara,Person,,,,,KARA,,,Notes\n"))
    assert parsed == ["one.ttl"]  # what the first import wrote; the rest comes from the index


def test_the_repair_commands_and_the_decisions_listing(runner, sources, tmp_path):
    from collabgraph.cli import cli

    rows = write(tmp_path / "lee.csv", "claim,Lee Ji-eun,Person,,,,,,birthDate,1993-05-16,Notes\n")
    wrong = csv_import(runner, sources, rows)["where"]["lee.csv:2:agent"]
    graph = ["--graph", str(sources), "--ontology", str(ONTOLOGY)]
    merged = runner.invoke(cli, ["merge", wrong, "id:iu", *graph])
    assert merged.exit_code == 0 and f"merged {wrong} into id:iu" in merged.stdout
    refused = runner.invoke(cli, ["differ", "id:iu", "IU", *graph])
    assert refused.exit_code == 1 and "the same entity" in refused.output
    assert runner.invoke(cli, ["differ", "id:park-seo-joon", "id:park-hyung-sik", *graph]).exit_code == 0
    listed = json.loads(runner.invoke(cli, ["decisions", "--format", "json", *graph]).stdout)
    assert {(d["kind"], d["other"]) for d in listed} == {("same", "id:iu"), ("different", "id:park-seo-joon")}


# -- repairs that last (a user's report: a split undone by the next import) -------------------------

IDOLS_MAPPING = {"@context": "http://www.w3.org/ns/csvw", "url": "idols.csv", "dc:title": "Idols",
                 "tableSchema": {"columns": [
                     {"titles": "Stage Name", "propertyUrl": "rdfs:label"},
                     {"titles": "K. Stage Name", "propertyUrl": "rdfs:label", "lang": "ko"},
                     {"titles": "Group", "propertyUrl": "cg:memberOf"},
                     {"virtual": True, "propertyUrl": "rdf:type", "valueUrl": "cg:Person"}]}}


def cli_ok(runner, *args) -> str:
    from collabgraph.cli import cli

    result = runner.invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def idols_csv(tmp_path: Path, rows: str = "V,뷔,BTS\n", name: str = "idols.csv") -> tuple[Path, Path]:
    csv = tmp_path / "in" / name
    csv.parent.mkdir(parents=True, exist_ok=True)
    csv.write_text("Stage Name,K. Stage Name,Group\n" + rows, "utf-8")
    mapping = tmp_path / "in" / f"{name}-map.json"
    mapping.write_text(json.dumps({**IDOLS_MAPPING, "url": name}), "utf-8")
    return csv, mapping


def mapped_import(runner, graph: Path, csv: Path, mapping: Path) -> dict:
    return json.loads(cli_ok(runner, "import", "csv", csv, "--mapping", mapping, "--graph", graph,
                             "--ontology", ONTOLOGY, "--format", "json"))


def split_v(runner, graph: Path, *extra) -> str:
    out = cli_ok(runner, "split", "id:v", "--file", "imports/csv/idols.ttl", *extra, "--graph", graph,
                 "--ontology", ONTOLOGY)
    return "id:" + out.split("new entity id:")[1].split()[0]


def entity_json(runner, build_dir: Path, name: str) -> dict:
    return json.loads(cli_ok(runner, "entity", name, "--build", build_dir, "--format", "json"))


def test_a_split_with_a_label_is_found_by_that_label_after_a_build(runner, sources, tmp_path):
    csv, mapping = idols_csv(tmp_path)
    assert mapped_import(runner, sources, csv, mapping)["where"]["idols.csv:2"] == "id:v"
    new = split_v(runner, sources, "--label", "V (Nova)")
    cli_ok(runner, "build", "--graph", sources, "--ontology", ONTOLOGY, "--out", tmp_path / "build")
    shown = entity_json(runner, tmp_path / "build", "V (Nova)")
    assert new.split(":")[1] in json.dumps(shown)


def test_a_split_without_a_label_keeps_the_name_the_import_linked_it_by(runner, sources, tmp_path):
    csv, mapping = idols_csv(tmp_path)
    mapped_import(runner, sources, csv, mapping)
    new = split_v(runner, sources)
    text = (sources / "imports" / "csv" / "idols.ttl").read_text("utf-8")
    declared = text.split(f"\n{new}\n", 1)[1].split("\n\n", 1)[0]
    assert 'rdfs:label "V"' in declared and '"뷔"@ko' in declared


def test_a_reimport_does_not_undo_a_split(runner, sources, tmp_path):
    csv, mapping = idols_csv(tmp_path)
    mapped_import(runner, sources, csv, mapping)
    new = split_v(runner, sources, "--label", "V (Nova)")
    again = mapped_import(runner, sources, csv, mapping)
    assert again["where"]["idols.csv:2"] == new
    cli_ok(runner, "build", "--graph", sources, "--ontology", ONTOLOGY, "--out", tmp_path / "build")
    assert "idols.csv" not in json.dumps(entity_json(runner, tmp_path / "build", "id:v"))
    assert "idols.csv" in json.dumps(entity_json(runner, tmp_path / "build", "V (Nova)"))
    # The decision is kept with who and when; the listing shows it.
    listed = cli_ok(runner, "decisions", "--graph", sources)
    assert "collabgraph split" in listed or "different" in listed
    [d] = decisions.read(sources)
    assert d.kind == "different" and {d.about, d.other} == {ID + "v", ID + new.split(":")[1]} and d.who and d.when
    # Another file naming V (with BTS, which both have) matches both sides: a suggestion, never a link.
    other, other_map = idols_csv(tmp_path, name="more.csv")
    report = mapped_import(runner, sources, other, other_map)
    assert report["where"]["more.csv:2"] not in ("id:v", new)
    [v] = [d for d in report["entities"] if d["label"] == "V"]
    assert v["method"] == "new" and {s["id"] for s in v["suggestions"]} == {"id:v", new}


def test_a_differ_between_namesakes_makes_a_later_record_a_suggestion(runner, sources, tmp_path):
    first = mapped_import(runner, sources, *idols_csv(tmp_path, "Nova Kim,,BTS\n", "a.csv"))["where"]["a.csv:2"]
    second = mapped_import(runner, sources, *idols_csv(tmp_path, "Nova Kim,,EXO\n", "b.csv"))["where"]["b.csv:2"]
    assert first != second   # other groups: two people
    cli_ok(runner, "differ", first, second, "--graph", sources, "--ontology", ONTOLOGY)
    [d] = decisions.read(sources)
    assert d.kind == "different" and d.who and d.when
    # The group fits only the first, but a person decided the two differ: which one it is, a person says.
    report = mapped_import(runner, sources, *idols_csv(tmp_path, "Nova Kim,,BTS\n", "c.csv"))
    assert report["where"]["c.csv:2"] not in (first, second)
    [nova] = [e for e in report["entities"] if e["label"] == "Nova Kim"]
    assert {s["id"] for s in nova["suggestions"]} == {first, second}
    # ... and the files the decision was made on import where they were.
    assert mapped_import(runner, sources, *idols_csv(tmp_path, "Nova Kim,,EXO\n", "b.csv"))["where"]["b.csv:2"] == second


def test_a_merge_lasts_across_a_reimport(runner, sources, tmp_path):
    csv, mapping = idols_csv(tmp_path, rows="Taehyung Nova,,BTS\n")
    wrong = mapped_import(runner, sources, csv, mapping)["where"]["idols.csv:2"]
    assert wrong != "id:v"
    cli_ok(runner, "merge", wrong, "id:v", "--graph", sources, "--ontology", ONTOLOGY)
    assert mapped_import(runner, sources, csv, mapping)["where"]["idols.csv:2"] == "id:v"
    cli_ok(runner, "build", "--graph", sources, "--ontology", ONTOLOGY, "--out", tmp_path / "build")
    assert "idols.csv" in json.dumps(entity_json(runner, tmp_path / "build", "id:v"))
