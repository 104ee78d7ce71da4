"""Raw CSV files in, nothing dropped (issue 19, item 4): a public dataset's own
layout imported through a W3C CSVW mapping, with no transform by hand.

tests/data/raw-csv/ holds files in the layout of two public datasets (K-pop idols,
K-pop music videos) with their mappings beside them (see its README). Before issue
19 the idols file was refused at its header ("unknown column 'Stage Name'") and 6
of its 10 identity columns could not be imported at all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from collabgraph.core.errors import SourceError
from collabgraph.importers.csvfile import CsvRowsError
from collabgraph.importers.mapping import read
from collabgraph.importers.model import ClaimRecord, CreditRecord, MembershipRecord

from .conftest import ONTOLOGY

RAW = Path(__file__).resolve().parent / "data" / "raw-csv"
IDOLS, VIDEOS = RAW / "kpop-idols.csv", RAW / "kpop-music-videos.csv"


def run(runner, *args, ok=True):
    from collabgraph.cli import cli

    result = runner.invoke(cli, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


def imported(runner, graph, *inputs, extra=()) -> dict:
    result = run(runner, "import", "csv", *inputs, "--graph", graph, "--ontology", ONTOLOGY, "--format", "json",
                 *extra)
    return json.loads(result.stdout)


def people(batch, name):
    return [e for e in batch.entities.values() if e.types == ["Person"] and e.labels.get("") == name]


def claims_of(batch, key, prop):
    return [f.value for f in batch.facts if isinstance(f, ClaimRecord) and f.about == key and f.property == prop]


def test_a_raw_public_csv_imports_as_it_is_and_validates(runner, sources):
    # The mapping is found beside the file (CSVW's <file>-metadata.json); no transform.
    report = imported(runner, sources, IDOLS)
    assert [f["status"] for f in report["files"]] == ["added"]
    run(runner, "validate", "--graph", sources, "--ontology", ONTOLOGY)
    text = (sources / "imports" / "csv" / "kpop-idols.ttl").read_text("utf-8")
    # The six columns that could not be imported before: full name, Korean name,
    # Korean stage name, country, birthplace, gender.
    for fragment in ('"Park Jimin"', '"박지민"@ko', '"지민"@ko', "cg:property cg:country",
                     '"Busan"', "cg:property cg:gender"):
        assert fragment in text, fragment


def test_every_column_lands_where_its_mapping_says():
    [batch] = list(read([str(IDOLS)]))
    [lee, tuan] = people(batch, "Mark")
    assert lee.labels == {"": "Mark", "ko": "마크"} and [a.text for a in lee.aliases] == ["Mark Lee", "이민형"]
    assert claims_of(batch, lee.key, "country") == ["Canada", "South Korea"]  # Country, Second Country
    assert claims_of(batch, lee.key, "birthPlace") == ["Toronto"]
    assert claims_of(batch, lee.key, "gender") == ["M"]
    assert [d.value for d in claims_of(batch, lee.key, "debutDate")] == ["2016-04-09"]
    groups = {batch.entities[f.group].label for f in batch.facts if isinstance(f, MembershipRecord)
              and f.member == lee.key}
    assert groups == {"NCT 127", "SuperM"}  # Group and Other Group
    [label] = claims_of(batch, lee.key, "recordLabel")
    assert batch.entities[label.key].types == ["RecordLabel"] and batch.entities[label.key].label == "SM"
    assert tuan.key != lee.key
    # Height and Weight are said to be left out, with why; nothing else is.
    assert {s.what for s in batch.skipped if s.what.startswith("column")} == {"column 'Height'", "column 'Weight'"}


def test_two_rows_naming_jimin_are_two_people_with_their_own_evidence(runner, sources):
    [batch] = list(read([str(IDOLS)]))
    [bts, aoa] = people(batch, "Jimin")
    assert [d.value for d in claims_of(batch, bts.key, "birthDate")] == ["1995-10-13"]
    assert [d.value for d in claims_of(batch, aoa.key, "birthDate")] == ["1991-01-08"]
    report = imported(runner, sources, IDOLS)
    jimins = {d["id"] for d in report["entities"] if d["label"] == "Jimin"}
    assert len(jimins) == 2  # two entities of the graph


def test_every_fact_cites_its_file_line_and_column(runner, sources):
    imported(runner, sources, IDOLS, VIDEOS)
    for name in ("kpop-idols", "kpop-music-videos"):
        text = (sources / "imports" / "csv" / f"{name}.ttl").read_text("utf-8")
        locators = re.findall(r'cg:locator "([^"]*)"', text)
        assert locators and all(re.fullmatch(rf"{name}\.csv line \d+, column [^,]+", loc) for loc in locators)
        assert f'cg:locator "{name}.csv line 2, column ' in text


def test_two_digit_years_follow_the_stated_century_rule(tmp_path):
    from collabgraph.importers.mapping import parse_pattern_date

    assert parse_pattern_date("1/8/91", ("M/d/yy",)).value == "1991-01-08"
    assert parse_pattern_date("4/9/16", ("M/d/yy",)).value == "2016-04-09"
    assert parse_pattern_date("12/31/29", ("M/d/yy",)).value == "2029-12-31"  # below the pivot, 30
    assert parse_pattern_date("1/1/30", ("M/d/yy",)).value == "1930-01-01"
    assert parse_pattern_date("1/1/30", ("M/d/yy",), pivot=50).value == "2030-01-01"
    assert parse_pattern_date("02/30/95", ("MM/dd/yy",)) is None


def test_a_bad_cell_is_reported_with_its_line_and_column_and_the_row_kept(tmp_path, runner, sources):
    csv = tmp_path / "idols.csv"
    csv.write_text(IDOLS.read_text("utf-8").splitlines()[0] + "\n"
                   "Jimin,Park Jimin,박지민,지민,13/45/95,BTS,6/13/13,Big Hit,South Korea,,,,Busan,,,M\n", "utf-8")
    mapping = RAW / "kpop-idols.csv-metadata.json"
    [batch] = list(read([str(csv)], mapping=mapping))
    assert batch.good_rows == [2]
    [cell] = [s for s in batch.skipped if s.what == "cell"]
    assert cell.where == "idols.csv line 2" and "column Date of Birth" in cell.reason and "'13/45/95'" in cell.reason
    assert claims_of(batch, people(batch, "Jimin")[0].key, "birthPlace") == ["Busan"]  # the rest of the row
    with pytest.raises(CsvRowsError, match=r"idols\.csv line 2: column Date of Birth"):
        list(read([str(csv)], mapping=mapping, strict=True))


def test_a_bad_row_is_reported_and_never_aborts_the_file_unless_strict(runner, sources):
    report = imported(runner, sources, IDOLS)
    [bad] = [s for s in report["skipped"] if s["what"] == "row"]
    assert bad["where"] == "kpop-idols.csv line 10" and "no name" in bad["reason"]
    before = {p: p.read_bytes() for p in sources.rglob("*") if p.is_file()}
    (sources / "imports" / "csv" / "kpop-idols.ttl").unlink()
    before.pop(sources / "imports" / "csv" / "kpop-idols.ttl")
    result = run(runner, "import", "csv", IDOLS, "--strict", "--graph", sources, "--ontology", ONTOLOGY, ok=False)
    assert result.exit_code != 0 and "kpop-idols.csv line 10: no name" in result.output
    assert {p: p.read_bytes() for p in sources.rglob("*") if p.is_file()} == before


def test_music_videos_credit_their_artist_and_director_and_same_titles_stay_apart():
    [batch] = list(read([str(VIDEOS)]))
    credits = {(batch.entities[c.agent].label, c.role, batch.entities[c.work].label)
               for c in batch.facts if isinstance(c, CreditRecord)}
    assert credits == {("IU", "performer", "Love wins all"), ("Um Tae-hwa", "musicVideoDirector", "Love wins all"),
                       ("BIGBANG", "performer", "Blue"), ("Nova Nine", "performer", "Blue"),
                       ("Mira Solen", "musicVideoDirector", "Blue")}
    blues = [e for e in batch.entities.values() if e.types == ["MusicVideo"] and e.labels[""] == "Blue"]
    assert len(blues) == 2 and blues[1].labels["ko"] == "블루"
    notes = {f.value for f in batch.facts if isinstance(f, ClaimRecord) and f.property == "note"}
    assert {"Type: solo", "Release: major"} <= notes


def test_identifier_columns_link_and_merge_rows_of_one_entity(tmp_path):
    csv = tmp_path / "ids.csv"
    csv.write_text("name,qid,isni,note,about\nIU,Q20145,0000 0004 5912 4467,first,singer\nIU (아이유),Q20145,,second,\n"
                   "Someone,q99999999999,,third,\n", "utf-8")
    meta = tmp_path / "ids.json"
    meta.write_text(json.dumps({"tableSchema": {"columns": [
        {"titles": "name", "propertyUrl": "rdfs:label"}, {"titles": "qid", "propertyUrl": "cg:wikidata"},
        {"titles": "isni", "propertyUrl": "cg:isni"}, {"titles": "note", "propertyUrl": "cg:note"},
        {"titles": "about", "propertyUrl": "cg:disambiguation"},
        {"virtual": True, "propertyUrl": "rdf:type", "valueUrl": "cg:Person"}]}}), "utf-8")
    [batch] = list(read([str(csv)], mapping=meta))
    [iu] = [e for e in batch.entities.values() if e.identifiers.get("wikidata") == "Q20145"]
    assert iu.identifiers == {"wikidata": "Q20145", "isni": "0000000459124467"}
    assert iu.labels[""] == "IU" and [a.text for a in iu.aliases] == ["IU (아이유)"]  # two rows, one entity
    assert iu.mentions == ["ids.csv:2", "ids.csv:3"]
    assert iu.disambiguation == "singer" and claims_of(batch, iu.key, "disambiguation") == ["singer"]


@pytest.mark.parametrize("change, message", [
    (lambda m: m["tableSchema"]["columns"].append({"titles": "Blood Type", "propertyUrl": "cg:note"}),
     r"kpop-idols\.csv line 1: no column 'Blood Type' \(from m\.json, columns\[18\]\)"),
    (lambda m: m["tableSchema"]["columns"][4].update(propertyUrl="cg:bornOn"),
     r"m\.json: columns\[5\] \('Date of Birth'\): cg:bornOn is not a property a column can state"),
    (lambda m: m["tableSchema"]["columns"][5].update(propertyUrl="role:singer"),
     r"m\.json: columns\[6\] \('Group'\): unknown role 'singer'"),
    (lambda m: m["tableSchema"]["columns"][4]["datatype"].update(format="M/d"),
     r"m\.json: columns\[5\] \('Date of Birth'\): date format 'M/d' has no year"),
    (lambda m: m.pop("tableSchema"), r"m\.json: not CSVW table metadata"),
])
def test_a_bad_mapping_is_one_line_naming_the_file_and_column(tmp_path, change, message):
    mapping = json.loads((RAW / "kpop-idols.csv-metadata.json").read_text("utf-8"))
    change(mapping)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(mapping), "utf-8")
    with pytest.raises(SourceError, match=message) as info:
        list(read([str(IDOLS)], mapping=path))
    assert "\n" not in str(info.value)


def test_describe_writes_a_mapping_to_start_from(runner, tmp_path):
    out = tmp_path / "videos.json"
    run(runner, "import", "csv", "--describe", VIDEOS, out)
    from collabgraph.importers.mapping import load_mapping

    mapping = load_mapping(out)
    kinds = {c.title: (c.kind, c.property) for c in mapping.columns if c.title}
    assert kinds["Song Name"] == ("label", None) and kinds["Artist"] == ("credit", "performer")
    assert kinds["Director"] == ("credit", "musicVideoDirector") and kinds["Date"][1] == "releaseDate"
    assert mapping.row_type == "MusicVideo"


LAYOUTS = RAW / "layouts"


def test_a_folder_of_mappings_reads_each_file_through_the_one_fitting_its_header(tmp_path, runner, sources):
    idols = tmp_path / "idols.csv"
    idols.write_text("Stage Name,Full Name,Date of Birth,Group,Country,Height,Weight,Gender\r\n"
                     "Mark,Mark Lee,1999-08-02,NCT,Canada,0,0,M\r\n"
                     "Mark,Mark Yien Tuan,1993-09-04,GOT7,USA,175,59,M\r\n", "utf-8")  # the 2023 layout, CRLF
    template = tmp_path / "facts.csv"
    template.write_text("kind,agent,agent_type,group,source_title\nmembership,Jin,Person,BTS,Notes\n", "utf-8")
    report = imported(runner, sources, idols, template, extra=("--mapping", LAYOUTS))
    assert sorted(f["file"] for f in report["files"]) == ["imports/csv/facts.ttl", "imports/csv/idols.ttl"]
    marks = {d["id"] for d in report["entities"] if d["label"] == "Mark"}
    assert len(marks) == 2
    other = tmp_path / "other.csv"
    other.write_text("Title,Who\nBlue,BIGBANG\n", "utf-8")
    result = run(runner, "import", "csv", other, "--mapping", LAYOUTS, "--graph", sources, ok=False)
    assert result.exit_code != 0 and "unknown column 'Title'" in result.output


def test_a_song_lists_group_column_is_evidence_about_its_artist(tmp_path):
    songs = tmp_path / "songs.csv"
    songs.write_text("Song,Artist,Group,Release Date\nFilter,Jimin,BTS,2020-02-21\n"
                     "Call You Bae,Jimin,AOA,2016-01-26\nPromise,Jimin,,2018-12-31\n", "utf-8")
    [batch] = list(read([str(songs)], mapping=LAYOUTS))
    performers = {c.work: c.agent for c in batch.facts if isinstance(c, CreditRecord)}
    assert len(set(performers.values())) == 3  # Jimin of BTS, Jimin of AOA, a bare Jimin: three records
    groups = {batch.entities[m.member].mentions[0]: batch.entities[m.group].label
              for m in batch.facts if isinstance(m, MembershipRecord)}
    assert groups == {"songs.csv:2:Artist": "BTS", "songs.csv:3:Artist": "AOA"}


def test_two_exports_of_one_dataset_are_two_sources_and_validate(tmp_path, runner, sources):
    first = tmp_path / "idols-a.csv"
    second = tmp_path / "idols-b.csv"
    header = IDOLS.read_text("utf-8").splitlines()[0]
    lines = IDOLS.read_text("utf-8").splitlines()
    first.write_text("\n".join([header, lines[1]]) + "\n", "utf-8")
    second.write_text("\n".join([header, lines[2]]) + "\n", "utf-8")
    mapping = RAW / "kpop-idols.csv-metadata.json"  # the same dc:source for both
    report = imported(runner, sources, first, second, extra=("--mapping", mapping))
    assert sorted(f["status"] for f in report["files"]) == ["added", "added"]
    run(runner, "validate", "--graph", sources, "--ontology", ONTOLOGY)


def test_a_column_may_have_several_titles_and_a_hostile_mapping_is_one_line(tmp_path):
    csv = tmp_path / "songs.csv"
    csv.write_text("Titel,Künstler\nBlue,BIGBANG\n", "utf-8")
    meta = tmp_path / "songs.json"
    meta.write_text(json.dumps({"tableSchema": {"columns": [
        {"titles": ["Title", "Titel"], "propertyUrl": "rdfs:label"},
        {"titles": ["Artist", "Künstler"], "propertyUrl": "role:performer"},
        {"virtual": True, "propertyUrl": "rdf:type", "valueUrl": "cg:Song"}]}}), "utf-8")
    [batch] = list(read([str(csv)], mapping=meta))
    assert {e.label for e in batch.entities.values()} == {"Blue", "BIGBANG"}
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000, "utf-8")
    with pytest.raises(SourceError, match=r"deep\.json: the mapping's JSON is nested too deep"):
        list(read([str(csv)], mapping=deep))
