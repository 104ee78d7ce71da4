"""The import machinery shared by every kind of source: linking records to the
graph's entities, writing source files, staying all-or-nothing, reporting."""

from __future__ import annotations

import hashlib

import pytest

from collabgraph import CollabGraph, ValidationError
from collabgraph import build
from collabgraph.importers.importing import run_import
from collabgraph.importers.model import (Batch, ClaimRecord, CreditRecord, Date, EntityRecord, MembershipRecord,
                                       Name, NameRecord, Provenance, SourceRecord)

from .conftest import ONTOLOGY

IU = "https://w3id.org/collabgraph/id/iu"


def record_batch(revision: str = "7", *, name: str = "test/record", role: str = "producer") -> Batch:
    """A database record about IU (by QID), a new singer, and a near-namesake of Park Seo-joon."""
    b = Batch(name, version=revision)
    src = b.add_source(SourceRecord("test:rec", f"Test record at revision {revision}", kind="test record",
                                    url="https://example.org/rec", revision=revision)).key
    b.add_entity(EntityRecord("test:iu", types=["Person"], labels={"en": "Lee Ji-eun", "ko": "이지은"},
                              identifiers={"wikidata": "Q20145"}))
    b.add_entity(EntityRecord("test:song", types=["Song"], labels={"en": "A Test Song"}))
    b.add_entity(EntityRecord("test:psj", types=["Person"], labels={"en": "Park Seo-jun"}))
    b.facts += [
        NameRecord("test:iu", (Name("Lee Ji-eun", "en"), Name("이지은", "ko")), Provenance(src, locator="names")),
        CreditRecord("test:iu", "test:song", role, Provenance(src, locator="credit 1")),
        CreditRecord("test:psj", "test:song", "performer", Provenance(src, locator="credit 2")),
        ClaimRecord("test:song", "releaseDate", Date("2019", "year"), Provenance(src, locator="date")),
    ]
    return b


def test_a_record_with_a_known_identifier_links_to_the_existing_entity(sources):
    report = run_import([record_batch()], sources, ontology_dir=ONTOLOGY)
    how = {d.label: (d.method, d.iri) for d in report.decisions}
    assert how["Lee Ji-eun"] == ("identifier", IU)
    kg = CollabGraph.load(sources, ONTOLOGY)
    assert kg.entity("이지은").iri == IU and kg.entity("Lee Ji-eun").iri == IU
    assert len([e for e in kg.search("IU") if e.label == "IU"]) == 1  # no second IU
    assert {c.work.label for c in kg.works("IU")} >= {"A Test Song"}


def test_a_close_name_is_only_a_suggestion(sources):
    report = run_import([record_batch()], sources, ontology_dir=ONTOLOGY)
    psj = next(d for d in report.decisions if d.label == "Park Seo-jun")
    assert psj.method == "new" and psj.iri != "https://w3id.org/collabgraph/id/park-seo-joon"
    assert [s.label for s in psj.suggestions] == ["Park Seo-joon"] and psj.suggestions[0].score >= 85


def test_a_person_decides_with_link_or_new(sources):
    linked = run_import([record_batch()], sources, ontology_dir=ONTOLOGY, links={"Park Seo-jun": "Park Seo-joon"})
    psj = next(d for d in linked.decisions if d.label == "Park Seo-jun")
    assert (psj.method, psj.iri) == ("manual", "https://w3id.org/collabgraph/id/park-seo-joon")
    kg = CollabGraph.load(sources, ONTOLOGY)
    assert "A Test Song" in {c.work.label for c in kg.works("Park Seo-joon")}


def test_new_forces_a_new_entity_even_for_a_same_name(sources):
    b = Batch("test/namesake", version="1")
    src = b.add_source(SourceRecord("test:n", "Namesake record", kind="test", revision="1")).key
    b.add_entity(EntityRecord("test:v", types=["Person"], labels={"en": "V"}))
    b.facts.append(ClaimRecord("test:v", "birthDate", Date("1990-01-01"), Provenance(src, locator="x")))
    same = run_import([b], sources, ontology_dir=ONTOLOGY, dry_run=True)
    assert (same.decisions[0].method, same.decisions[0].iri) == ("name", "https://w3id.org/collabgraph/id/v")
    forced = run_import([b], sources, ontology_dir=ONTOLOGY, new=["V"], dry_run=True)
    assert forced.decisions[0].method == "new" and forced.decisions[0].iri != "https://w3id.org/collabgraph/id/v"


def test_same_revision_changes_nothing_newer_replaces_older_is_kept(sources):
    first = run_import([record_batch("7")], sources, ontology_dir=ONTOLOGY)
    path = sources / first.files[0].path
    written = path.read_bytes()
    assert run_import([record_batch("7")], sources, ontology_dir=ONTOLOGY).files[0].status == "unchanged"
    assert path.read_bytes() == written
    newer = run_import([record_batch("8")], sources, ontology_dir=ONTOLOGY)
    assert newer.files[0].status == "replaced" and b"revision 8" in path.read_bytes()
    older = run_import([record_batch("6")], sources, ontology_dir=ONTOLOGY)
    assert older.files == [] and "newer revision" in older.skipped[0].reason
    assert b"revision 8" in path.read_bytes()


def tree_digest(folder) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_record_that_breaks_the_contract_changes_nothing(sources):
    before = tree_digest(sources)
    with pytest.raises(ValidationError) as exc:
        run_import([record_batch(role="no-such-role")], sources, ontology_dir=ONTOLOGY)
    assert "imports/test/record.ttl" in str(exc.value)
    assert tree_digest(sources) == before
    assert not list(sources.parent.glob(".graph.import*"))


def test_a_failing_reader_changes_nothing(sources):
    def batches():
        yield record_batch()
        raise ValueError("truncated input")

    before = tree_digest(sources)
    with pytest.raises(ValueError):
        run_import(batches(), sources, ontology_dir=ONTOLOGY)
    assert tree_digest(sources) == before


def test_dry_run_writes_nothing(sources):
    before = tree_digest(sources)
    report = run_import([record_batch()], sources, ontology_dir=ONTOLOGY, dry_run=True)
    assert report.files[0].status == "added" and tree_digest(sources) == before


def test_imported_memberships_and_records_build_and_cite_their_locator(sources, tmp_path):
    b = Batch("test/band", version="3")
    src = b.add_source(SourceRecord("test:band", "Band record", kind="test", url="https://example.org/band",
                                    revision="3")).key
    b.add_entity(EntityRecord("test:g", types=["Group"], labels={"en": "The Test Band"}))
    b.add_entity(EntityRecord("test:m", types=["Person"], labels={"en": "Ann Member"}))
    b.facts.append(MembershipRecord("test:m", "test:g", Provenance(src, locator="member 1"),
                                    start=Date("1960", "year"), end=Date("1970-04-10")))
    run_import([b], sources, ontology_dir=ONTOLOGY)
    build(sources, ONTOLOGY, tmp_path / "build")
    with CollabGraph.open(tmp_path / "build") as kg:
        membership = next(c for c in kg.claims("Ann Member") if c.kind == "Membership")
        assert membership.value_label == "The Test Band (1960 – 1970-04-10)"  # the dates show with the group
        rows = list(kg.sparql("SELECT ?start ?end ?locator WHERE { ?m cg:member ?who ; cg:startDate ?start ; "
                              "cg:endDate ?end ; cg:locator ?locator }",
                              bindings={"who": __import__("rdflib").URIRef(kg.entity("Ann Member").iri)}))
        assert [(str(r.start), r.start.datatype.split("#")[1], str(r.end), str(r.locator)) for r in rows] == [
            ("1960", "gYear", "1970-04-10", "member 1")]


def test_a_record_that_names_its_entity_is_linked_to_it_and_an_unknown_one_refused(sources):
    from collabgraph.core.errors import CollabGraphError

    b = Batch("test/given", version="1")
    src = b.add_source(SourceRecord("test:g", "Reviewed article", kind="article")).key
    b.add_entity(EntityRecord("test:x", types=["Person"], labels={"en": "Kim Tae-hyung"},
                              identifiers={"iri": "https://w3id.org/collabgraph/id/v"}))
    b.facts.append(ClaimRecord("test:x", "birthDate", Date("1995-12-30"), Provenance(src, quote="born on 30 December 1995")))
    report = run_import([b], sources, ontology_dir=ONTOLOGY, dry_run=True)
    assert (report.decisions[0].method, report.decisions[0].iri) == ("given", "https://w3id.org/collabgraph/id/v")
    b.entities["test:x"].identifiers["iri"] = "https://w3id.org/collabgraph/id/nobody"
    with pytest.raises(CollabGraphError, match="not an entity of the graph"):
        run_import([b], sources, ontology_dir=ONTOLOGY, dry_run=True)


def test_a_big_import_reports_counts_not_every_record(sources, monkeypatch):
    from collabgraph.importers import importing

    monkeypatch.setattr(importing, "KEEP_DECISIONS", 2)
    b = Batch("test/many", version="1")
    src = b.add_source(SourceRecord("test:m", "Many", kind="test", revision="1")).key
    for i in range(5):
        b.add_entity(EntityRecord(f"test:{i}", types=["Person"], labels={"en": f"Person Number {i}"}))
        b.facts.append(ClaimRecord(f"test:{i}", "birthDate", Date("1990", "year"), Provenance(src, locator=f"r{i}")))
    b.add_entity(EntityRecord("test:psj", types=["Person"], labels={"en": "Park Seo-jun"}))  # a suggestion: always kept
    b.facts.append(ClaimRecord("test:psj", "birthDate", Date("1988", "year"), Provenance(src, locator="r6")))
    report = run_import([b], sources, ontology_dir=ONTOLOGY, dry_run=True)
    assert report.counts()["new"] == 6
    assert len(report.decisions) == 3 and report.decisions_left_out == 3
    assert report.decisions[-1].label == "Park Seo-jun" and report.decisions[-1].suggestions


def test_a_link_to_an_entity_of_another_kind_is_refused(sources):
    from collabgraph.core.errors import CollabGraphError

    before = tree_digest(sources)
    with pytest.raises(CollabGraphError, match=r"Park Seo-jun is a Person in this source, GYOPO HAIRSTYLE .* is a Song"):
        run_import([record_batch()], sources, ontology_dir=ONTOLOGY, links={"Park Seo-jun": "id:gyopo-hairstyle"})
    assert tree_digest(sources) == before


def test_a_spelling_without_the_hyphen_is_still_suggested(sources):
    b = record_batch()
    b.entities["test:psj"].labels["en"] = "Park Seojun"
    psj = next(d for d in run_import([b], sources, ontology_dir=ONTOLOGY, dry_run=True).decisions
               if d.label == "Park Seojun")
    assert psj.method == "new" and [s.label for s in psj.suggestions] == ["Park Seo-joon"]


def test_a_label_with_line_breaks_cannot_write_turtle_into_the_header(sources):
    b = record_batch()
    b.sources["test:rec"].label = 'Evil\nid:iu rdfs:label "hacked"@en .\n#'
    report = run_import([b], sources, ontology_dir=ONTOLOGY)
    kg = CollabGraph.load(sources, ONTOLOGY)
    assert "hacked" not in {v for e in [kg.entity("IU")] for v in e.labels.values()}
    header = (sources / report.files[0].path).read_text("utf-8").split("\n\n", 1)[0]
    assert all(line.startswith("#") for line in header.splitlines())


def test_an_import_can_start_an_empty_graph(tmp_path):
    empty = tmp_path / "graph"
    empty.mkdir()
    report = run_import([record_batch()], empty, ontology_dir=ONTOLOGY)
    assert [w.status for w in report.files] == ["added"]
    kg = CollabGraph.load(empty, ONTOLOGY)
    assert kg.entity("Lee Ji-eun").label == "Lee Ji-eun"  # a new entity: no IU to link to here
