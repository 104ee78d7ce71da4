"""The Wikidata importer: entity JSON and dumps in, batches of records out.

The fixtures in tests/data/wikidata/ are real Special:EntityData answers (CC0);
tests that need what they lack (a deprecated statement, a work with credits, a
year written ``+2013-00-00``) change a copy of one, and say how."""

from __future__ import annotations

import bz2
import copy
import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from collabgraph.core.errors import SourceError
from collabgraph.importers.model import (ClaimRecord, CreditRecord, Date, EntityRef, MembershipRecord, Name,
                                       NameRecord, Reference)
from collabgraph.importers.wikidata import read

DATA = Path(__file__).resolve().parent / "data" / "wikidata"
ROOT = Path(__file__).resolve().parent.parent
WD = "http://www.wikidata.org/entity/"
CG = "https://w3id.org/collabgraph/ns#"


def one(path) -> "object":
    [batch] = list(read([str(path)]))
    return batch


def entity_json(qid: str, file: str | None = None) -> dict:
    return json.loads((DATA / (file or f"{qid}.json")).read_text("utf-8"))["entities"][qid]


def write_entity(tmp_path: Path, entity: dict, name: str | None = None) -> Path:
    path = tmp_path / (name or f"{entity['id']}.json")
    path.write_text(json.dumps({"entities": {entity["id"]: entity}}, ensure_ascii=False), "utf-8")
    return path


def statement(qid: str, n: int, pid: str, value, *, rank="normal", qualifiers=None, kind="item") -> dict:
    if kind == "item":
        datavalue = {"type": "wikibase-entityid", "value": {"entity-type": "item", "id": value}}
    else:
        datavalue = {"type": "time", "value": value}
    s = {"id": f"{qid}$test-{n}", "rank": rank, "type": "statement",
         "mainsnak": {"snaktype": "value", "property": pid, "datavalue": datavalue}}
    if qualifiers:
        s["qualifiers"] = qualifiers
    return s


def facts(batch, kind, **match):
    return [f for f in batch.facts if isinstance(f, kind) and all(getattr(f, k) == v for k, v in match.items())]


# ---------------------------------------------------------------------------
# IU: names, occupations, identifiers, references


def test_iu_is_one_batch_at_its_revision():
    b = one(DATA / "Q20145.json")
    assert (b.name, b.version) == ("wikidata/Q20145", "448321170")
    [src] = b.sources.values()
    assert src.label == "Wikidata item Q20145 (IU)"
    assert (src.url, src.revision, src.modified, src.requested) == (
        "https://www.wikidata.org/wiki/Q20145", "448321170", "2017-02-14T09:00:43Z", None)
    iu = b.entities["wikidata:Q20145"]
    assert iu.types == ["Person"] and not iu.stub
    assert iu.identifiers["wikidata"] == "Q20145"
    assert facts(b, ClaimRecord, about=iu.key, property="wikidata")[0].value == WD + "Q20145"


def test_iu_names_are_labels_aliases_and_attestations():
    b = one(DATA / "Q20145.json")
    iu = b.entities["wikidata:Q20145"]
    assert iu.labels == {"en": "IU", "ko": "아이유"}
    assert Name("Lee Ji-eun", "en") in iu.aliases and Name("이지은", "ko") in iu.aliases
    by_locator = {f.provenance.locator: f.names for f in facts(b, NameRecord, entity=iu.key)}
    assert by_locator["labels/ko"] == (Name("아이유", "ko"),)
    assert Name("Lee Ji-eun", "en") in by_locator["aliases/en"]
    assert Name("이지은", "ko") in by_locator["aliases/ko"]
    assert all(f.provenance.source == "wikidata:Q20145" for f in facts(b, NameRecord))


def test_languages_decide_which_names_come_in():
    [b] = read([str(DATA / "Q20145.json")], languages=["en"])
    iu = b.entities["wikidata:Q20145"]
    assert iu.labels == {"en": "IU"} and all(a.lang == "en" for a in iu.aliases)
    assert {f.provenance.locator for f in facts(b, NameRecord)} == {"labels/en", "aliases/en"}


def test_descriptions_and_sitelinks():
    b = one(DATA / "Q20145.json")
    descriptions = {f.provenance.locator: f.value for f in facts(b, ClaimRecord, property="description")}
    assert descriptions["descriptions/en"] == Name("South Korean singer and actress", "en")
    assert descriptions["descriptions/ko"].lang == "ko"
    links = {f.provenance.locator: f.value for f in facts(b, ClaimRecord, property="sitelink")}
    assert links["sitelinks/enwiki"] == "https://en.wikipedia.org/wiki/IU_(entertainer)"
    assert set(links.values()) == set(b.entities["wikidata:Q20145"].links)


def test_occupations_map_to_the_ontology_with_their_statement_ids():
    b = one(DATA / "Q20145.json")
    occupations = facts(b, ClaimRecord, property="occupation")
    assert {f.value for f in occupations} == {CG + "Singer", CG + "Actor", CG + "FilmActor", CG + "Songwriter"}
    assert all(f.provenance.locator.upper().startswith("Q20145$") for f in occupations)


def test_unmapped_occupation_and_class_are_kept_not_forced(tmp_path):
    iu = entity_json("Q20145")
    iu["claims"]["P106"].append(statement("Q20145", 1, "P106", "Q2259451"))   # stage actor: not in the ontology
    iu["claims"]["P31"].append(statement("Q20145", 2, "P31", "Q2088357"))     # a class the ontology lacks
    b = one(write_entity(tmp_path, iu))
    # Kept as the Wikidata items they are (issue 19: occupations kept), never forced onto a concept.
    [kept] = [f for f in facts(b, ClaimRecord, property="otherOccupation")]
    assert (kept.value, kept.provenance.locator) == (WD + "Q2259451", "Q20145$test-1")
    assert not [s for s in b.skipped if s.where == "Q20145$test-1"]
    assert b.entities["wikidata:Q20145"].types == ["Person"]
    assert b.entities["wikidata:Q20145"].unmapped_types == ["Q2088357"]
    assert facts(b, ClaimRecord, property="instanceOf")[0].value == WD + "Q2088357"


def test_musicbrainz_id_is_an_identifier_and_a_claim():
    b = one(DATA / "Q20145.json")
    assert b.entities["wikidata:Q20145"].identifiers["musicbrainz"] == "artist/b9545342-1e6d-4dae-84ac-013374ad8d7c"
    [claim] = facts(b, ClaimRecord, property="musicbrainz")
    assert claim.value == "https://musicbrainz.org/artist/b9545342-1e6d-4dae-84ac-013374ad8d7c"
    assert claim.provenance.references == (Reference(imported_from=WD + "Q14005"),)


def test_references_are_kept_on_the_fact():
    b = one(DATA / "Q20145.json")
    [birth] = facts(b, ClaimRecord, property="birthDate")
    assert birth.value == Date("1993-05-16", "day")
    assert birth.provenance.references == (
        Reference(imported_from=WD + "Q206855"),
        Reference(stated_in=WD + "Q37312", retrieved=Date("2016-07-12", "day")))


def test_a_reference_quote_becomes_the_facts_quote(tmp_path):
    iu = entity_json("Q20145")
    [s] = iu["claims"]["P569"]
    s["references"][1]["snaks"]["P1683"] = [{"snaktype": "value", "property": "P1683", "datavalue": {
        "type": "monolingualtext", "value": {"text": "born 16 May 1993", "language": "en"}}}]
    [birth] = facts(one(write_entity(tmp_path, iu)), ClaimRecord, property="birthDate")
    assert birth.provenance.quote == "born 16 May 1993"
    assert birth.provenance.references[1].quote == "born 16 May 1993"


def test_instrument_label_and_genre():
    b = one(DATA / "Q494290.json")
    assert [f.value for f in facts(b, ClaimRecord, property="playsInstrument")] == [WD + "Q6607"]
    assert [f.value for f in facts(b, ClaimRecord, property="genre")] == [WD + "Q11399"]
    iu = one(DATA / "Q20145.json")
    [label] = facts(iu, ClaimRecord, property="recordLabel")
    assert label.value == EntityRef("wikidata:Q183412")
    stub = iu.entities["wikidata:Q183412"]
    assert stub.stub and stub.types == ["RecordLabel"] and stub.labels == {}
    assert stub.identifiers == {"wikidata": "Q183412"}


def test_other_properties_are_reported_in_one_line():
    b = one(DATA / "Q494290.json")
    [other] = [s for s in b.skipped if "other properties" in s.what]
    # P21 (gender) is read since issue 19; P345 (an IMDb id) is not.
    assert "P345" in other.where.split(", ") and "P434" not in other.where and "P21" not in other.where


# ---------------------------------------------------------------------------
# The Beatles: memberships, dates, ranks


def test_beatles_members_are_memberships_with_day_precision_dates():
    b = one(DATA / "Q1299.json")
    members = {f.member: f for f in facts(b, MembershipRecord, group="wikidata:Q1299")}
    assert len(members) == 6
    pete = members["wikidata:Q207335"]
    assert (pete.start, pete.end) == (Date("1960-08-12", "day"), Date("1962-08-16", "day"))
    ringo = members["wikidata:Q2632"]
    assert (ringo.start, ringo.end) == (Date("1962-08-16", "day"), None)
    assert ringo.provenance.locator.upper().startswith("Q1299$")
    assert members["wikidata:Q204218"].start == Date("1960-01", "month")
    john = members["wikidata:Q1203"]
    assert john.provenance.references == (Reference(url="http://www.johnlennon.com/"),)
    stub = b.entities["wikidata:Q1203"]
    assert stub.stub and stub.identifiers == {"wikidata": "Q1203"} and not stub.labels


def test_year_precision_dates_stay_years(tmp_path):
    b = one(DATA / "Q1299.json")
    assert facts(b, ClaimRecord, property="inception")[0].value == Date("1960", "year")
    assert facts(b, ClaimRecord, property="dissolved")[0].value == Date("1970-04-10", "day")
    beatles = entity_json("Q1299")
    beatles["claims"]["P571"][0]["mainsnak"]["datavalue"]["value"]["time"] = "+2013-00-00T00:00:00Z"
    assert facts(one(write_entity(tmp_path, beatles)), ClaimRecord, property="inception")[0].value == \
        Date("2013", "year")


def test_dates_before_the_common_era_or_in_other_calendars_are_reported(tmp_path):
    beatles = entity_json("Q1299")
    beatles["claims"]["P571"][0]["mainsnak"]["datavalue"]["value"]["time"] = "-0044-00-00T00:00:00Z"
    julian = copy.deepcopy(beatles["claims"]["P576"][0])
    julian["mainsnak"]["datavalue"]["value"]["calendarmodel"] = WD + "Q1985786"
    beatles["claims"]["P576"] = [julian]
    b = one(write_entity(tmp_path, beatles))
    assert not facts(b, ClaimRecord, property="inception") and not facts(b, ClaimRecord, property="dissolved")
    reasons = [s.reason for s in b.skipped]
    assert any("before the common era" in r for r in reasons)
    assert any("Gregorian" in r for r in reasons)


def test_deprecated_statements_are_skipped_and_reported(tmp_path):
    beatles = entity_json("Q1299")
    pete = next(s for s in beatles["claims"]["P527"] if s["mainsnak"]["datavalue"]["value"]["id"] == "Q207335")
    pete["rank"] = "deprecated"
    b = one(write_entity(tmp_path, beatles))
    assert "wikidata:Q207335" not in {f.member for f in facts(b, MembershipRecord)}
    assert "wikidata:Q207335" not in b.entities
    assert [s.reason for s in b.skipped if s.where == pete["id"]] == ["deprecated rank"]


def test_preferred_rank_wins_and_the_normal_one_is_reported():
    b = one(DATA / "Q1299.json")
    assert b.entities["wikidata:Q1299"].identifiers["musicbrainz"] == "artist/b10bbbfc-cf9e-42e0-be17-e2c3e1d2600d"
    assert [f.value for f in facts(b, ClaimRecord, property="musicbrainz")] == [
        "https://musicbrainz.org/artist/b10bbbfc-cf9e-42e0-be17-e2c3e1d2600d"]
    [dropped] = [s for s in b.skipped if s.what.startswith("P434")]
    assert "b06f5860" in dropped.what and "preferred" in dropped.reason


def test_a_credit_needs_a_work_so_a_producer_of_a_band_is_reported():
    b = one(DATA / "Q1299.json")
    assert not facts(b, CreditRecord)
    [producer] = [s for s in b.skipped if s.what.startswith("P162")]
    assert "not one (Group)" in producer.reason


# ---------------------------------------------------------------------------
# Works: credits, on the right side


def a_work(qid: str, cls: str, claims: dict) -> dict:
    return {"id": qid, "type": "item", "lastrevid": 1, "modified": "2020-01-01T00:00:00Z",
            "labels": {"en": {"language": "en", "value": f"Work {qid}"}}, "claims": claims}


def test_performer_and_cast_credits_point_from_the_value_to_the_item(tmp_path):
    song = a_work("Q111", "Q7366", {
        "P31": [statement("Q111", 1, "P31", "Q7366")],
        "P175": [statement("Q111", 2, "P175", "Q20145")],
        "P86": [statement("Q111", 3, "P86", "Q494290")],
        "P577": [statement("Q111", 4, "P577", {"time": "+2013-00-00T00:00:00Z", "precision": 9,
                                               "calendarmodel": WD + "Q1985727"}, kind="time")]})
    b = one(write_entity(tmp_path, song))
    assert {(f.agent, f.work, f.role) for f in facts(b, CreditRecord)} == {
        ("wikidata:Q20145", "wikidata:Q111", "performer"), ("wikidata:Q494290", "wikidata:Q111", "composer")}
    assert b.entities["wikidata:Q20145"].stub and b.entities["wikidata:Q20145"].types == ["Agent"]
    assert facts(b, ClaimRecord, property="releaseDate")[0].value == Date("2013", "year")

    film = a_work("Q222", "Q11424", {
        "P31": [statement("Q222", 1, "P31", "Q11424")],
        "P161": [statement("Q222", 2, "P161", "Q20145", qualifiers={"P453": [{
            "snaktype": "value", "property": "P453",
            "datavalue": {"type": "wikibase-entityid", "value": {"id": "Q333"}}}]})]})
    [credit] = facts(one(write_entity(tmp_path, film)), CreditRecord)
    assert (credit.agent, credit.work, credit.role, credit.character) == (
        "wikidata:Q20145", "wikidata:Q222", "actor", "wikidata:Q333")
    assert credit.provenance.locator == "Q222$test-2"


# ---------------------------------------------------------------------------
# Redirects


def test_a_redirect_is_followed_and_recorded():
    b = one(DATA / "Q16231742.json")
    assert b.name == "wikidata/Q3571994"
    [src] = b.sources.values()
    assert src.requested == "Q16231742" and src.url.endswith("/Q3571994")
    assert b.entities["wikidata:Q3571994"].labels["en"] == "Kangnam"


def test_qids_are_fetched_through_the_fetcher_and_redirects_recorded():
    asked = []

    def fetch(qid: str) -> bytes:
        asked.append(qid)
        return (DATA / f"{qid}.json").read_bytes()

    batches = list(read(["Q20145", "Q16231742"], fetch=fetch))
    assert asked == ["Q20145", "Q16231742"]
    assert [b.name for b in batches] == ["wikidata/Q20145", "wikidata/Q3571994"]
    assert [next(iter(b.sources.values())).requested for b in batches] == [None, "Q16231742"]


def test_without_a_fetcher_a_qid_is_a_clear_error():
    with pytest.raises(SourceError, match=r"^Q20145: no such file, and reading files only"):
        list(read(["Q20145"]))


# ---------------------------------------------------------------------------
# Dumps


def compact_dump_lines() -> list[str]:
    lines = []
    for file in ("Q20145.json", "Q1299.json", "Q494290.json", "Q16231742.json"):
        for entity in json.loads((DATA / file).read_text("utf-8"))["entities"].values():
            lines.append(json.dumps(entity, ensure_ascii=False, separators=(",", ":")))
    return lines


def write_dump(path: Path, lines: list[str], closed: bool = True) -> Path:
    text = "[\n" + ",\n".join(lines) + ("\n]\n" if closed else "\n")
    opener = gzip.open if path.name.endswith(".gz") else bz2.open if path.name.endswith(".bz2") else open
    with opener(path, "wt", encoding="utf-8") as f:
        f.write(text)
    return path


@pytest.mark.parametrize("suffix", [".json", ".json.gz", ".json.bz2"])
def test_dumps_give_the_same_batches_as_the_documents(tmp_path, suffix):
    dump = write_dump(tmp_path / f"dump{suffix}", compact_dump_lines())
    from_dump = list(read([str(dump)]))
    documents = [one(DATA / f) for f in ("Q20145.json", "Q1299.json", "Q494290.json", "Q16231742.json")]
    assert [b.name for b in documents] == ["wikidata/Q20145", "wikidata/Q1299", "wikidata/Q494290", "wikidata/Q3571994"]
    assert {b.name for b in from_dump} == {"wikidata/dump/00001"}  # a dump's items share a file per chunk
    for a, b in zip(from_dump, documents):
        assert a.facts == b.facts and a.entities == b.entities and a.skipped == b.skipped
        assert next(iter(a.sources.values())).revision == next(iter(b.sources.values())).revision


def test_dumps_are_streamed_one_line_at_a_time(tmp_path):
    """The first entity comes out before the broken third line is read."""
    lines = compact_dump_lines()
    dump = write_dump(tmp_path / "dump.json.gz", [lines[0], lines[1], "{not json", lines[2]])
    batches = read([str(dump)])
    assert next(iter(next(batches).entities)) == "wikidata:Q20145"
    assert next(iter(next(batches).entities)) == "wikidata:Q1299"
    with pytest.raises(SourceError, match=r"dump\.json\.gz:4: not a JSON entity"):
        next(batches)


def load_generator():
    spec = importlib.util.spec_from_file_location("wikidata_dump", ROOT / "bench" / "wikidata_dump.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("suffix", [".json", ".json.gz", ".json.bz2"])
def test_a_generated_dump_reads_back(tmp_path, suffix):
    dump = load_generator().write_dump(tmp_path / f"gen{suffix}", 40)
    batches = list(read([str(dump)]))
    assert len(batches) == 40
    types = [next(iter(b.entities.values())).types for b in batches]  # the item is its batch's first entity
    assert types.count(["Person"]) == 28 and types.count(["Group"]) == 4 and types.count(["Song"]) == 8
    credits = [f for b in batches for f in facts(b, CreditRecord)]
    memberships = [f for b in batches for f in facts(b, MembershipRecord)]
    assert credits and all(c.role == "performer" for c in credits)
    assert memberships and all(m.start is not None for m in memberships)
    assert all(f.provenance.references for b in batches for f in facts(b, MembershipRecord))


# ---------------------------------------------------------------------------
# Bad input: one line naming the file (and line)


def bad(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        list(read([str(path)]))
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def test_truncated_json_names_file_and_line(tmp_path):
    text = (DATA / "Q20145.json").read_bytes()
    message = bad(tmp_path, "Q20145.json", text[: len(text) // 2])
    assert "not valid JSON" in message and "truncated" in message
    assert message.split(":")[1].isdigit()


def test_html_error_page(tmp_path):
    message = bad(tmp_path, "Q1.json", b"<!DOCTYPE html>\n<html><body>Too many requests</body></html>\n")
    assert "HTML page" in message


def test_wrong_shape(tmp_path):
    assert "not Wikidata entity JSON" in bad(tmp_path, "a.json", b'{"results": []}')
    assert "not in the dump format" in bad(tmp_path, "b.json", b"[1, 2, 3]")
    assert "not JSON" in bad(tmp_path, "c.json", b"hello")
    assert "empty" in bad(tmp_path, "d.json", b"")
    beatles = entity_json("Q1299")
    beatles["claims"] = {"P527": {"not": "a list"}}
    assert "Q1299: unexpected shape" in bad(tmp_path, "e.json",
                                           json.dumps({"entities": {"Q1299": beatles}}).encode())
    assert "does not exist" in bad(tmp_path, "f.json", b'{"entities": {"Q99": {"id": "Q99", "missing": ""}}}')


def test_truncated_dumps(tmp_path):
    lines = compact_dump_lines()
    dump = write_dump(tmp_path / "open.json", lines[:2], closed=False)
    with pytest.raises(SourceError, match=r"open\.json:3: the dump ends before its closing '\]'"):
        list(read([str(dump)]))
    whole = gzip.compress(("[\n" + ",\n".join(lines) + "\n]\n").encode())
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SourceError) as info:
        list(read([str(cut)]))
    assert str(info.value).startswith(f"{cut}:") and "\n" not in str(info.value)


def test_missing_file_and_not_a_qid():
    with pytest.raises(SourceError, match="nope.json: no such file, and not a QID"):
        list(read(["nope.json"]))


# ---------------------------------------------------------------------------
# End to end: `collabgraph import wikidata` into a copy of graph/, validate, build, ask


def cli_run(runner, *args, ok=True):
    from collabgraph.cli import cli

    result = runner.invoke(cli, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


def imported(runner, graph: Path, *inputs, fmt="json") -> dict:
    from .conftest import ONTOLOGY

    out = cli_run(runner, "import", "wikidata", *inputs, "--graph", graph, "--ontology", ONTOLOGY,
                  "--format", fmt).output
    return json.loads(out) if fmt == "json" else out


def built_from(runner, graph: Path, out: Path) -> Path:
    from .conftest import ONTOLOGY

    cli_run(runner, "validate", "--graph", graph, "--ontology", ONTOLOGY)
    cli_run(runner, "build", "-q", "--graph", graph, "--ontology", ONTOLOGY, "--out", out)
    return out


def test_importing_iu_links_to_id_iu_and_her_names_find_her(runner, sources, tmp_path):
    from collabgraph import CollabGraph

    report = imported(runner, sources, DATA / "Q20145.json")
    [iu] = [d for d in report["entities"] if d["label"] == "IU"]
    assert (iu["id"], iu["method"]) == ("id:iu", "identifier")
    assert [f["file"] for f in report["files"]] == ["imports/wikidata/Q20145.ttl"]
    out = built_from(runner, sources, tmp_path / "build")
    for name in ("Lee Ji-eun", "이지은", "IU"):
        answer = json.loads(cli_run(runner, "entity", name, "--build", out, "--format", "json").output)
        assert answer["id"] == "id:iu", name
    shown = [line for line in cli_run(runner, "entity", "이지은", "--build", out).output.splitlines()
             if line.startswith(("cg:musicbrainz", "cg:occupation"))]
    assert any("b9545342-1e6d-4dae-84ac-013374ad8d7c" in line and "in https://www.wikidata.org/wiki/Q20145" in line
               for line in shown)
    assert any("songwriter" in line and "at Q20145$" in line for line in shown)
    with CollabGraph.open(out) as kg:
        rows = kg.sparql("""SELECT ?p ?value ?label ?revision ?locator WHERE {
            ?f a cg:Claim ; cg:about id:iu ; cg:property ?p ; cg:value ?value ; cg:locator ?locator ;
               cg:source ?s . ?s rdfs:label ?label ; cg:revision ?revision .
            FILTER (?p IN (cg:musicbrainz, cg:occupation)) }""")
        got = {(str(r.p).rsplit("#", 1)[1], str(r.value).rsplit("/", 1)[-1].rsplit("#", 1)[-1], str(r.label),
                str(r.revision)) for r in rows}
        assert ("musicbrainz", "b9545342-1e6d-4dae-84ac-013374ad8d7c", "Wikidata item Q20145 (IU) at revision 448321170", "448321170") in got
        assert {v for p, v, _, _ in got if p == "occupation"} == {"Singer", "Actor", "FilmActor", "Songwriter"}
        assert all(str(r.locator).upper().startswith("Q20145$") for r in rows)
        people = kg.sparql("SELECT DISTINCT ?e WHERE { ?e cg:wikidata <http://www.wikidata.org/entity/Q20145> }")
        assert [str(r.e) for r in people] == ["https://w3id.org/collabgraph/id/iu"]


def test_beatles_memberships_keep_their_dates_through_a_build(runner, sources, tmp_path):
    from rdflib import URIRef

    from collabgraph import CollabGraph

    imported(runner, sources, DATA / "Q1299.json")
    out = built_from(runner, sources, tmp_path / "build")
    with CollabGraph.open(out) as kg:
        rows = kg.sparql("""SELECT ?start ?end WHERE {
            ?m a cg:Membership ; cg:group ?g ; cg:member ?who ; cg:startDate ?start ; cg:endDate ?end .
            ?g cg:wikidata ?gq . ?who cg:wikidata ?wq . }""",
                         bindings={"gq": URIRef(WD + "Q1299"), "wq": URIRef(WD + "Q207335")})
        [(start, end)] = [(r.start, r.end) for r in rows]
        assert (str(start), str(end)) == ("1960-08-12", "1962-08-16")
        assert str(start.datatype).endswith("#date")
        [inception] = kg.sparql("""SELECT ?v WHERE { ?c cg:property cg:inception ; cg:value ?v }""")
        assert str(inception.v) == "1960" and str(inception.v.datatype).endswith("#gYear")


def test_a_path_runs_through_imported_and_article_facts(runner, sources, tmp_path):
    """A song item (made here) credits IU and Shin Jung-hyeon as performers: the
    path from him to Taehyung goes through IU, half imported, half the article."""
    song = a_work("Q111", "Q7366", {"P31": [statement("Q111", 1, "P31", "Q7366")],
                                    "P175": [statement("Q111", 2, "P175", "Q20145"),
                                             statement("Q111", 3, "P175", "Q494290")]})
    imported(runner, sources, DATA / "Q494290.json", write_entity(tmp_path, song))
    out = built_from(runner, sources, tmp_path / "build")
    answer = json.loads(cli_run(runner, "path", "Shin Jung-hyeon", "Taehyung", "--build", out,
                                "--format", "json").output)
    assert [(hop["from"]["id"], hop["to"]["id"]) for hop in answer] == [("id:wd-Q494290", "id:iu"),
                                                                        ("id:iu", "id:v")]
    shown = cli_run(runner, "path", "Shin Jung-hyeon", "Taehyung", "--build", out).output
    assert "at Q111$test-2 in https://www.wikidata.org/wiki/Q111" in shown  # the locator, as no quote
    assert "Love wins all" in shown


def test_reimporting_the_same_revision_changes_nothing(runner, sources):
    imported(runner, sources, DATA / "Q1299.json")
    before = (sources / "imports" / "wikidata" / "Q1299.ttl").read_bytes()
    again = imported(runner, sources, DATA / "Q1299.json")
    assert [f["status"] for f in again["files"]] == ["unchanged"]
    assert (sources / "imports" / "wikidata" / "Q1299.ttl").read_bytes() == before


def test_a_redirect_is_written_with_what_was_asked(runner, sources):
    imported(runner, sources, DATA / "Q16231742.json")
    text = (sources / "imports" / "wikidata" / "Q3571994.ttl").read_text("utf-8")
    assert 'cg:requestedAs "Q16231742"' in text


def test_a_generated_dump_imports_and_validates(runner, sources, tmp_path):
    dump = load_generator().write_dump(tmp_path / "dump.json.gz", 30)
    report = imported(runner, sources, dump)
    assert [f["file"] for f in report["files"]] == ["imports/wikidata/dump/00001.ttl"]  # one file per chunk
    assert report["files"][0]["entities"] >= 30 and report["counts"]["facts"] > 300


def test_a_bad_file_is_one_line_and_changes_nothing(runner, sources, tmp_path):
    from .conftest import ONTOLOGY

    files_before = sorted(p.relative_to(sources) for p in sources.rglob("*"))
    dump = write_dump(tmp_path / "cut.json", compact_dump_lines()[:2], closed=False)
    html = tmp_path / "Q1.json"
    html.write_text("<html><body>502 Bad Gateway</body></html>")
    for bad_input in (dump, html):
        result = cli_run(runner, "import", "wikidata", DATA / "Q20145.json", bad_input, "--graph", sources,
                         "--ontology", ONTOLOGY, ok=False)
        assert result.exit_code != 0 and "Traceback" not in result.output + result.stderr
        assert result.stderr.strip().count("\n") == 0 and str(bad_input) in result.stderr
    assert sorted(p.relative_to(sources) for p in sources.rglob("*")) == files_before


def test_a_member_met_as_a_stub_is_found_again_when_its_own_item_comes(runner, sources, tmp_path):
    imported(runner, sources, DATA / "Q1299.json")
    pete = {"id": "Q207335", "type": "item", "lastrevid": 5, "labels": {"en": {"language": "en", "value": "Pete"}},
            "claims": {"P31": [statement("Q207335", 1, "P31", "Q5")]}}
    report = imported(runner, sources, write_entity(tmp_path, pete))
    [decision] = [d for d in report["entities"] if d["label"] == "Pete"]
    assert decision["method"] == "identifier"
    first = (sources / "imports" / "wikidata" / "Q1299.ttl").read_text("utf-8")
    assert f"{decision['id']}\n" in first


def test_import_by_qid_fetches_follows_the_redirect_and_records_it(runner, sources, replay):
    report = imported(runner, sources, "Q16231742")
    assert [f["file"] for f in report["files"]] == ["imports/wikidata/Q3571994.ttl"]
    assert [r.path for r in replay.requests_to("Special:EntityData")] == ["/wiki/Special:EntityData/Q16231742.json"]
    text = (sources / "imports" / "wikidata" / "Q3571994.ttl").read_text("utf-8")
    assert 'cg:requestedAs "Q16231742"' in text and "cg:retrieved" in text


def test_a_musicbrainz_document_is_not_taken_for_a_wikidata_entity(tmp_path):
    from collabgraph.core.errors import SourceError

    with pytest.raises(SourceError, match="not Wikidata entity JSON"):
        list(read([str(DATA.parent / "musicbrainz" / "artist.json")]))


def test_a_truncated_document_says_so_in_plain_words(tmp_path):
    from collabgraph.core.errors import SourceError

    cut = tmp_path / "Q1.json"
    cut.write_text('{"entities": {"Q1": {"id": "Q1", "labels', "utf-8")
    with pytest.raises(SourceError) as info:
        list(read([str(cut)]))
    assert "at at" not in str(info.value) and "truncated" in str(info.value)
