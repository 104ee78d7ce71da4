"""Any Wikidata item imports (issue 19, item 5): items of classes the ontology
lacks, items without labels, one bad item among good ones, --dry-run that
validates, and the labels of the items an item only refers to.

The items are real entity JSON kept as test data by a client library
(tests/data/wikidata/wikibase-sdk/, see its README); every test here failed on
the importer before issue 19."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ONTOLOGY

DATA = Path(__file__).resolve().parent / "data" / "wikidata"
SDK = DATA / "wikibase-sdk"
OUTSIDE = [SDK / f"{q}.json" for q in ("Q4132785", "Q22002395", "Q1", "Q4115189", "Q328212")]


def run(runner, *args, ok=True):
    from collabgraph.cli import cli

    result = runner.invoke(cli, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


def imported(runner, graph, *inputs, extra=(), ok=True):
    result = run(runner, "import", "wikidata", *inputs, "--graph", graph, "--ontology", ONTOLOGY,
                 "--format", "json", *extra, ok=ok)
    return json.loads(result.output) if result.exit_code == 0 else result


def files(graph: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in graph.rglob("*") if p.is_file()}


def test_items_of_classes_outside_the_ontology_import_together_and_validate(runner, sources):
    # Before: 4 of these 5 items failed the importer's own SHACL checks ("a claim needs
    # exactly one cg:about that is a cg:Entity"), and the first failure blocked all five.
    report = imported(runner, sources, *OUTSIDE, DATA / "Q20145.json")
    assert sorted(f["status"] for f in report["files"]) == ["added"] * 6
    run(runner, "validate", "--graph", sources, "--ontology", ONTOLOGY)
    novel = (sources / "imports" / "wikidata" / "Q4132785.ttl").read_text("utf-8")
    # A novel is a work (it has an author and a publication date), its P31 kept.
    assert "a cg:Work" in novel and "cg:value wd:Q571" in novel and "cg:instanceOf" in novel
    assert "role:author" in novel  # P50, now the author role
    universe = (sources / "imports" / "wikidata" / "Q1.ttl").read_text("utf-8")
    assert "a cg:Entity" in universe and 'rdfs:label "Q1"' in universe  # no label in any language
    book = (sources / "imports" / "wikidata" / "Q22002395.ttl").read_text("utf-8")
    assert "a cg:Work" in book and 'rdfs:label "Q22002395"' in book  # this copy has no labels


def test_an_item_without_a_label_in_the_languages_asked_is_named_in_another(tmp_path):
    from collabgraph.importers.wikidata import read

    universe = json.loads((SDK / "Q1.json").read_text("utf-8"))
    universe["labels"] = {"de": {"language": "de", "value": "Universum"}}
    path = tmp_path / "Q1.json"
    path.write_text(json.dumps(universe), "utf-8")
    [batch] = list(read([str(path)]))
    assert batch.entities["wikidata:Q1"].labels == {"de": "Universum"}


def test_occupations_gender_country_and_birthplace_are_kept(runner, sources):
    imported(runner, sources, SDK / "Q328212.json")
    text = (sources / "imports" / "wikidata" / "Q328212.ttl").read_text("utf-8")
    for prop, value in (("otherOccupation", "wd:Q36180"), ("gender", "wd:Q6581072"), ("country", "wd:Q30"),
                        ("isni", "<https://isni.org/isni/0000000108182046>")):
        assert f"cg:property cg:{prop} ;\n    cg:value {value}" in text


def test_one_bad_item_does_not_block_the_others_unless_strict(runner, sources, tmp_path):
    good = json.loads((DATA / "Q20145.json").read_text("utf-8"))["entities"]["Q20145"]
    bad = json.loads((SDK / "Q1.json").read_text("utf-8"))
    bad["claims"] = {"P31": {"not": "a list"}}
    both = tmp_path / "two.json"
    both.write_text(json.dumps({"entities": {"Q1": bad, "Q20145": good}}), "utf-8")
    before = files(sources)
    report = imported(runner, sources, both)
    assert [f["file"] for f in report["files"]] == ["imports/wikidata/Q20145.ttl"]
    [error] = [s for s in report["skipped"] if s["what"] == "item Q1"]
    assert "unexpected shape" in error["reason"] and str(both) in error["reason"]

    (sources / "imports" / "wikidata" / "Q20145.ttl").unlink()
    result = imported(runner, sources, both, extra=("--strict",), ok=False)
    assert result.exit_code != 0 and "Q1: unexpected shape" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (sources / "imports" / "wikidata" / "Q20145.ttl").exists()
    assert set(files(sources)) <= set(before) | {p for p in before}


def test_dry_run_reports_exactly_what_a_real_run_writes(runner, sources):
    # Before: --dry-run said "would write: 1 added" for an item the real run refused.
    dry = imported(runner, sources, SDK / "Q4132785.json", extra=("--dry-run",))
    assert not (sources / "imports").exists()
    real = imported(runner, sources, SDK / "Q4132785.json")
    assert [(f["file"], f["status"], f["facts"]) for f in dry["files"]] == \
        [(f["file"], f["status"], f["facts"]) for f in real["files"]]


def test_dry_run_fails_where_the_real_run_fails_and_writes_nothing(sources, tmp_path):
    from collabgraph.core.errors import ValidationError
    from collabgraph.importers.importing import run_import
    from collabgraph.importers.model import Batch, EntityRecord, MembershipRecord, Provenance, SourceRecord

    b = Batch("test/bad", version="1")
    b.add_source(SourceRecord("t:1", "A test record", kind="test"))
    b.add_entity(EntityRecord("t:x", types=["Person"], labels={"en": "Somebody Quite New"}))
    b.add_entity(EntityRecord("t:y", types=["Person"], labels={"en": "Someone Else Entirely"}))
    b.facts.append(MembershipRecord("t:x", "t:y", Provenance("t:1", locator="row 1")))  # a person is no group
    before = files(sources)
    for dry_run in (True, False):
        with pytest.raises(ValidationError):
            run_import([b], sources, ontology_dir=ONTOLOGY, dry_run=dry_run)
        assert files(sources) == before


def test_referenced_items_get_their_labels_in_one_batched_request(runner, sources, replay, tmp_path):
    # Before: The Beatles' members stayed bare QIDs ("Q2599"), so `path IU "Ringo Starr"`
    # could not even find Ringo Starr.
    imported(runner, sources, DATA / "Q1299.json")
    [request] = replay.requests_to("api.php")
    assert request.query["action"] == "wbgetentities" and request.query["props"] == "labels"
    assert request.query["languages"] == "en|ko|mul"  # "mul": the label Wikidata gives for all languages
    assert set(request.query["ids"].split("|")) >= {"Q1203", "Q2599", "Q2632", "Q2643"}
    text = (sources / "imports" / "wikidata" / "Q1299.ttl").read_text("utf-8")
    assert 'rdfs:label "Ringo Starr"@en' in text and 'rdfs:label "Q2632"' not in text
    run(runner, "build", "-q", "--graph", sources, "--ontology", ONTOLOGY, "--out", tmp_path / "build")
    result = run(runner, "path", "IU", "Ringo Starr", "--build", tmp_path / "build", ok=False)
    assert "and Ringo Starr (id:" in result.output  # found; they share no work
    result = run(runner, "path", "John Lennon", "Ringo Starr", "--build", tmp_path / "build")
    assert "The Beatles" in result.output


def test_labels_come_from_the_same_document_first(tmp_path):
    from collabgraph.importers.wikidata import read

    beatles = json.loads((DATA / "Q1299.json").read_text("utf-8"))["entities"]["Q1299"]
    ringo = {"id": "Q2632", "type": "item", "lastrevid": 3,
             "labels": {"en": {"language": "en", "value": "Ringo Starr"}}, "claims": {}}
    doc = tmp_path / "two.json"
    doc.write_text(json.dumps({"entities": {"Q1299": beatles, "Q2632": ringo}}), "utf-8")

    def no_lookup(qids, languages):
        assert "Q2632" not in qids
        return {}

    [band, _] = list(read([str(doc)], labels=no_lookup))
    assert band.entities["wikidata:Q2632"].labels == {"en": "Ringo Starr"}


def test_labels_that_cannot_be_had_leave_qids_and_say_so(runner, sources):
    # No replay server: the lookup meets a closed port; the import goes on.
    report = imported(runner, sources, DATA / "Q1299.json")
    [note] = [s for s in report["skipped"] if s["what"].startswith("labels of")]
    assert "left as QIDs" in note["reason"]
    assert report["files"][0]["status"] == "added"


def test_a_file_that_breaks_the_contract_is_left_out_and_the_others_kept_unless_strict(sources):
    from collabgraph.core.errors import ValidationError
    from collabgraph.importers.importing import run_import
    from collabgraph.importers.model import Batch, EntityRecord, MembershipRecord, Provenance, SourceRecord
    from collabgraph.importers.wikidata import read

    def batches():
        bad = Batch("test/bad", version="1")
        bad.add_source(SourceRecord("t:1", "A test record", kind="test"))
        bad.add_entity(EntityRecord("t:x", types=["Person"], labels={"en": "Somebody Quite New"}))
        bad.add_entity(EntityRecord("t:y", types=["Person"], labels={"en": "Someone Else Entirely"}))
        bad.facts.append(MembershipRecord("t:x", "t:y", Provenance("t:1", locator="row 1")))  # no group
        return [bad, *read([str(SDK / "Q4132785.json")])]

    before = files(sources)
    with pytest.raises(ValidationError):
        run_import(batches(), sources, ontology_dir=ONTOLOGY)  # all or nothing, as --strict
    assert files(sources) == before
    report = run_import(batches(), sources, ontology_dir=ONTOLOGY, isolate=True)
    assert [w.path for w in report.files] == ["imports/wikidata/Q4132785.ttl"]
    [left_out] = [s for s in report.skipped if s.what == "imports/test/bad.ttl"]
    assert "a membership needs exactly one cg:group" in left_out.reason
    assert (sources / "imports" / "wikidata" / "Q4132785.ttl").is_file()
    assert not (sources / "imports" / "test").exists()


def test_labels_are_asked_fifty_items_a_request_and_unknown_items_left_out(replay):
    from collabgraph.importers.fetch import WikidataLabels, wikidata_labels

    lookup = WikidataLabels(wikidata_labels(cache_dir=False))
    asked = ["Q2632", "Q1203"] + [f"Q{n}" for n in range(900000001, 900000119)]  # 120 items
    found = lookup(asked, ("en", "ko"))
    assert found == {"Q1203": {"en": "John Lennon"}, "Q2632": {"en": "Ringo Starr"}}
    requests = replay.requests_to("api.php")
    assert [len(r.query["ids"].split("|")) for r in requests] == [50, 50, 20]
    assert requests[0].query["ids"].startswith("Q1203|Q2632|")  # in QID order, each once


def test_a_referred_item_named_only_for_all_languages_gets_that_label():
    from collabgraph.importers.wikidata import read

    def lookup(qids, languages):
        assert "mul" in languages
        return {"Q2632": {"mul": "Ringo Starr"}, "Q1203": {"en": "John Lennon", "mul": "John Lennon (mul)"}}

    [band] = list(read([str(DATA / "Q1299.json")], labels=lookup))
    assert band.entities["wikidata:Q2632"].labels == {"mul": "Ringo Starr"}
    assert band.entities["wikidata:Q1203"].labels == {"en": "John Lennon"}
