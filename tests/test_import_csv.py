"""The CSV importer: one fact per good row, one line-numbered error per bad row,
encodings and delimiters, the template, and imports that link to the graph."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from collabgraph.cli import cli
from collabgraph.core.errors import SourceError
from collabgraph.importers import csvfile
from collabgraph.importers.model import ClaimRecord, CreditRecord, Date, EntityRef, MembershipRecord, NameRecord

from .conftest import ONTOLOGY

HEADER = "kind,agent,agent_type,work,work_type,role,character,date,group,start,end,property,value,source_url,source_title,quote,locator\n"
SRC = "https://example.org/a"


def write(tmp_path: Path, text: str, name: str = "facts.csv", *, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def read_one(path: Path, **options) -> csvfile.CsvBatch:
    batches = list(csvfile.read([str(path)], **options))
    assert len(batches) == 1
    return batches[0]


def non_name_facts(batch) -> list:
    return [f for f in batch.facts if not isinstance(f, NameRecord)]


def run(runner, *args, ok: bool = True):
    result = runner.invoke(cli, [str(a) for a in args])
    assert (result.exit_code == 0) == ok, result.output
    return result


# A file with good and bad rows; a quoted cell over three physical lines (line 3-5)
# moves every later row down, so the line numbers below count physical lines.
MIXED = HEADER + (
    f'credit,Mira Solen,Person,Paper Lanterns,Single,performer,,2021-05,,,,,,{SRC},,"Mira Solen sings\nPaper Lanterns\nall night",\n'   # 2-4
    f"credit,Mira Solen,Person,Paper Lanterns,Single,perfomer,,,,,,,,{SRC},,,\n"                                                           # 5 bad role
    f"credit,Mira Solen,Person,Paper Lanterns,Single,composer,,2021-13,,,,,,{SRC},,,\n"                                                    # 6 bad date
    f"credit,,Person,Paper Lanterns,Single,performer,,,,,,,,{SRC},,,\n"                                                                     # 7 no agent
    f"credit,Mira Solen,Persn,Paper Lanterns,Single,performer,,,,,,,,{SRC},,,\n"                                                            # 8 bad type
    f"credit,Mira Solen,Person,Paper Lanterns,Single,performer,,,,,,,,,,,\n"                                                                # 9 no source
    f"credit,Mira Solen,Person,Paper Lanterns,Single,performer,,,,,,,,{SRC},,{'x' * 301},\n"                                               # 10 long quote
    "\n"                                                                                                                                     # 11 blank
    f"membership,Mira Solen,,,,,,,The Quiet Tides,2016,2019,,,{SRC},,,\n"                                                                   # 12
    f"claim,,,Paper Lanterns,,,,,,,,releaseDate,2021-05-14,,Liner notes of Paper Lanterns,,\n"                                              # 13
    f"membership,Mira Solen,,,,,,,The Quiet Tides,2019,2016,,,{SRC},,,\n"                                                                   # 14 ends before start
    f"credit,Mira Solen,Person,Paper Lanterns,Single,arranger,,,,,,,,{SRC},,,\n"                                                           # 15
)


def test_good_rows_give_one_fact_each_and_bad_rows_one_error_each_at_their_line(tmp_path):
    batch = read_one(write(tmp_path, MIXED))
    assert batch.good_rows == [2, 12, 13, 15]
    assert [b.line for b in batch.bad_rows] == [5, 6, 7, 8, 9, 10, 14]
    reasons = {b.line: b.reason for b in batch.bad_rows}
    assert "unknown role 'perfomer'" in reasons[5] and "performer" in reasons[5]
    assert "2021-13" in reasons[6] and "not a date" in reasons[6]
    assert reasons[7] == "missing agent"
    assert "unknown agent_type 'Persn'" in reasons[8] and "Person" in reasons[8]
    assert reasons[9].startswith("no source")
    assert "301 characters" in reasons[10]
    assert "ends (2016) before it starts (2019)" in reasons[14]
    facts = non_name_facts(batch)
    assert [type(f) for f in facts] == [CreditRecord, MembershipRecord, ClaimRecord, CreditRecord]
    credit, membership, claim, arranger = facts
    assert credit.provenance.quote == "Mira Solen sings\nPaper Lanterns\nall night"
    assert credit.date == Date("2021-05", "month") and credit.role == "performer"
    assert arranger.provenance.quote is None and arranger.provenance.locator == "facts.csv line 15"
    assert membership.start == Date("2016", "year") and membership.end == Date("2019", "year")
    # The member's type comes from the rows that give it; the group is a Group.
    assert batch.entities[membership.member].types == ["Person"]
    assert batch.entities[membership.group].types == ["Group"]
    assert claim.value == Date("2021-05-14", "day") and claim.provenance.locator == "facts.csv line 13"
    # Rows citing the same document share one source; a title-only source is another.
    assert {f.provenance.source for f in facts} == set(batch.sources) and len(batch.sources) == 2
    # Every bad row is also a skipped record of the import report, with its line.
    assert [s.where for s in batch.skipped] == [f"facts.csv line {n}" for n in (5, 6, 7, 8, 9, 10, 14)]


def test_a_bad_row_adds_nothing_not_even_its_names(tmp_path):
    path = write(tmp_path, HEADER
                 + f"credit,Mira Solen,Person,Paper Lanterns,Single,performer,,,,,,,,{SRC},,,\n"
                 + "credit,Someone Else,Person,Other Song,Song,performer,,2020-02-30,,,,,,https://example.org/b,,,\n")
    batch = read_one(path)
    assert [b.line for b in batch.bad_rows] == [3]
    assert sorted(e.label for e in batch.entities.values()) == ["Mira Solen", "Paper Lanterns"]
    assert list(batch.sources) == [f"csv-source:{SRC}"]


def test_bom_semicolons_and_multiline_cells(tmp_path):
    text = ("agent;agent_type;work;work_type;role;source_title;quote\n"
            'Mira Solen;Person;"Paper\nLanterns";Single;featured artist;Liner notes;"a quote; with a semicolon"\n'
            "Ari Vell;Person;Paper Lanterns;Single;vocalist;Liner notes;\n")
    batch = read_one(write(tmp_path, "\ufeff" + text))
    assert batch.good_rows == [2, 4] and not batch.bad_rows
    first, second = non_name_facts(batch)
    assert first.role == "featuredArtist" and first.provenance.quote == "a quote; with a semicolon"
    assert batch.entities[first.agent].label == "Mira Solen"   # the BOM is not part of the first column
    assert second.provenance.locator == "facts.csv line 4"


def test_tabs_and_the_delimiter_option(tmp_path):
    text = "agent\twork\trole\tsource_title\nMira Solen\tPaper Lanterns\tproducer\tLiner notes\n"
    assert non_name_facts(read_one(write(tmp_path, text)))[0].role == "producer"
    # Forced to a comma, the tab-separated header is one unknown column.
    with pytest.raises(SourceError, match=r"facts.csv line 1: unknown column"):
        read_one(write(tmp_path, text), delimiter=",")


@pytest.mark.parametrize("content, message", [
    (b"agent,work\nMira,\xff\xfe bad\n", r"facts.csv line 2: not UTF-8 \(byte 0xff\)"),
    (b"agent,wrok,source_title\n", r"facts.csv line 1: unknown column 'wrok' \(did you mean work\?\)"),
    (b"", r"facts.csv: the file is empty"),
    (b"agent,work,source_title\n", r"facts.csv: no rows under the header"),
    (b"<html><body>Not found</body></html>\n", r"facts.csv line 1: unknown column"),
])
def test_bad_files_give_one_line(tmp_path, content, message):
    path = tmp_path / "facts.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as info:
        read_one(path)
    assert "\n" not in str(info.value)


def test_cells_a_row_kind_does_not_use_are_errors_not_dropped(tmp_path):
    path = write(tmp_path, HEADER + f"membership,Mira Solen,,Paper Lanterns,,,,,The Quiet Tides,,,,,{SRC},,,\n"
                 + f"credit,Mira Solen,,Paper Lanterns,,,,,,,,,,{SRC},,,\n")
    batch = read_one(path)
    assert [(b.line, b.reason) for b in batch.bad_rows] == [(2, "work does not apply to a membership row")]
    # No role: the scheme's "collaborator"; no types: Agent and Work, not a guess.
    credit = non_name_facts(batch)[0]
    assert credit.role == "collaborator"
    assert batch.entities[credit.agent].types == ["Agent"] and batch.entities[credit.work].types == ["Work"]


def test_claims_take_values_by_the_property_range(tmp_path):
    path = write(tmp_path, HEADER + "".join(
        f"claim,{agent},,{work},,,,,,,,{prop},{value},{SRC},,,\n" for agent, work, prop, value in [
            ("Mira Solen", "", "occupation", "singer-songwriter"),
            ("", "Paper Lanterns MV", "musicVideoFor", "Paper Lanterns"),
            ("Mira Solen", "", "yearsInFrontOfCamera", "7"),
            ("Mira Solen", "", "memberOf", "The Quiet Tides"),
            ("Mira Solen", "", "occupation", "astronaut"),
            ("Mira Solen", "Paper Lanterns", "note", "both"),
        ]))
    batch = read_one(path)
    values = [f.value for f in non_name_facts(batch)]
    assert values[0] == "https://w3id.org/collabgraph/ns#SingerSongwriter"
    assert isinstance(values[1], EntityRef) and batch.entities[values[1].key].types == ["Song"]
    assert values[2] == 7
    reasons = {b.line: b.reason for b in batch.bad_rows}
    assert list(reasons) == [5, 6, 7]
    assert "'memberOf' is not a property a claim can state" in reasons[5]
    assert "unknown occupation 'astronaut'" in reasons[6]
    assert "not both" in reasons[7]


def test_strict_imports_nothing_and_lists_every_bad_row(tmp_path, runner, sources):
    path = write(tmp_path, MIXED)
    with pytest.raises(csvfile.CsvRowsError) as info:
        read_one(path, strict=True)
    assert [r.line for r in info.value.rows] == [5, 6, 7, 8, 9, 10, 14]
    before = sorted(p.relative_to(sources) for p in sources.rglob("*"))
    result = run(runner, "import", "csv", path, "--strict", "--graph", sources, "--ontology", ONTOLOGY, ok=False)
    assert re.findall(r"facts.csv line (\d+): ", result.output) == ["5", "6", "7", "8", "9", "10", "14"]
    assert len(result.output.strip().splitlines()) == 7
    assert sorted(p.relative_to(sources) for p in sources.rglob("*")) == before


def test_a_file_without_a_good_row_imports_nothing(tmp_path):
    path = write(tmp_path, HEADER + "credit,Mira Solen,,Paper Lanterns,,perfomer,,,,,,,,,,,\n")
    with pytest.raises(csvfile.CsvRowsError, match=r"^facts.csv line 2: no source"):
        read_one(path)


def test_not_utf8_on_the_command_line_is_one_line_and_changes_nothing(tmp_path, runner, sources):
    path = write(tmp_path, HEADER + f"credit,Zoë,Person,Song,Song,performer,,,,,,,,{SRC},,,\n", encoding="latin-1")
    before = sorted(p.relative_to(sources) for p in sources.rglob("*"))
    result = run(runner, "import", "csv", path, "--graph", sources, "--ontology", ONTOLOGY, ok=False)
    assert result.output.count("\n") == 1 and "line 2: not UTF-8" in result.output
    assert sorted(p.relative_to(sources) for p in sources.rglob("*")) == before


def test_template_round_trips_through_import_validate_build_and_entity(tmp_path, runner, sources):
    template = tmp_path / "my-facts.csv"
    run(runner, "import", "csv", "--template", template)
    batch = read_one(template)
    assert not batch.bad_rows and len(batch.good_rows) == 2
    result = run(runner, "import", "csv", template, "--graph", sources, "--ontology", ONTOLOGY, "--format", "json")
    report = json.loads(result.stdout)
    assert [f["status"] for f in report["files"]] == ["added"]
    assert "imported 2 rows, lines 2-3" in result.stderr
    run(runner, "validate", "--graph", sources, "--ontology", ONTOLOGY)
    # Importing the same file again changes nothing.
    again = json.loads(run(runner, "import", "csv", template, "--graph", sources, "--ontology", ONTOLOGY,
                           "--format", "json").stdout)
    assert [f["status"] for f in again["files"]] == ["unchanged"]
    out = tmp_path / "build"
    run(runner, "build", "-q", "--graph", sources, "--ontology", ONTOLOGY, "--out", out)
    entity = json.loads(run(runner, "entity", "mira solen", "--build", out, "--format", "json").stdout)
    assert entity["label"] == "Mira Solen" and entity["types"] == ["cg:Person"]
    assert "Paper Lanterns" in json.dumps(entity["credits"])


def test_rows_link_to_the_graphs_entities_and_path_crosses_into_them(tmp_path, runner, sources):
    # Quoted rows: the read side lists only quoted credits for now (see the report).
    path = write(tmp_path, HEADER
                 + f"credit,IU,Person,Paper Lanterns,Single,featured artist,,,,,,,,{SRC},,IU joins Paper Lanterns,\n"
                 + f"credit,Mira Solen,Person,Paper Lanterns,Single,performer,,,,,,,,{SRC},,Mira Solen's Paper Lanterns,\n")
    result = run(runner, "import", "csv", path, "--graph", sources, "--ontology", ONTOLOGY, "--format", "json")
    decisions = {d["label"]: (d["id"], d["method"]) for d in json.loads(result.stdout)["entities"]}
    assert decisions["IU"] == ("id:iu", "name")
    out = tmp_path / "build"
    run(runner, "build", "-q", "--graph", sources, "--ontology", ONTOLOGY, "--out", out)
    hops = run(runner, "path", "Mira Solen", "V", "--build", out).output
    assert "Paper Lanterns" in hops and "IU joins Paper Lanterns" in hops and "Love wins all" in hops
