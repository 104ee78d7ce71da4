"""Issue 20 (trust): every fact a journalist accepts or adds in review is one a reader can check
against its quote, so ``validate --strict`` passes after the walkthrough of docs/journalist.md; what
the sentence does not say is refused when it is added, with one line naming the words."""

from __future__ import annotations

import json

import pytest
import rdflib

from collabgraph.cli import cli
from collabgraph.store.local import Store
from collabgraph.store.quotes import unstated_sides

from .conftest import ONTOLOGY, ROOT, needs_shared
from .layout import lay_out

ARTICLE = "iu-s-new-single-gets-a-surprise-cameo"
CG = rdflib.Namespace("https://w3id.org/collabgraph/ns#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
SENTENCE_3 = "IU released her new single Night Bus on Friday."
SENTENCE_6 = "Eagle-eyed fans spotted Park Hyung-sik in the video, behind the wheel of the bus."


def cg(runner, *args):
    return runner.invoke(cli, list(args))


@pytest.fixture
def ingested(runner, tmp_path):
    """A copy of graph/ with the walkthrough's article ingested."""
    graph = lay_out(tmp_path, files=None)
    out = cg(runner, "ingest", str(ROOT / "docs" / "examples" / "night-bus.txt"), "--graph", str(graph),
             "--ontology", str(ONTOLOGY), "--published", "2026-03-06", "--url", "https://example.org/night-bus",
             "--title", "IU's new single gets a surprise cameo", "--publisher", "Invented Daily")
    assert out.exit_code == 0, out.output
    return graph


def add_park(runner, graph, *extra):
    return cg(runner, "review", "add", ARTICLE, "--graph", str(graph), "--sentence", "6", "--agent", "Park Hyung-sik",
              "--work", "Night Bus", "--type", "work=Single", "--words", "work=the video", "--role", "cameo",
              *extra)


@needs_shared
def test_the_walkthrough_leaves_a_graph_that_validate_strict_accepts(runner, ingested, tmp_path):
    g = str(ingested)
    assert add_park(runner, ingested, "--accept").exit_code == 0
    iu = next(c["id"] for c in json.loads((ingested / "articles" / f"{ARTICLE}.json").read_text("utf-8"))["candidates"]
              if c["kind"] == "entity" and c["slots"]["entity"]["text"] == "IU")
    assert cg(runner, "review", "accept", iu, "--link", "entity=id:iu", "--graph", g).exit_code == 0
    out = cg(runner, "review", "accept", "--all", "--article", ARTICLE, "--graph", g)
    # the name Night Bus (sentence 3) was accepted with the added fact, whose "the video" stands for it
    assert out.exit_code == 0 and "accepted 5" in out.output, out.output
    out = cg(runner, "validate", "--graph", g, "--ontology", str(ONTOLOGY), "--strict")
    assert out.exit_code == 0, out.output
    assert "warning:" not in out.output and "quote does not name" not in out.output

    # "The video" (sentence 4), "it" (5) and "the video" (6) are declared for Night Bus by this article,
    # each quoting its sentence and sentence 3, which names the single; never a name of it
    facts = rdflib.Graph().parse(ingested / "articles" / f"{ARTICLE}.ttl")
    night_bus = next(facts.subjects(rdflib.RDFS.label, rdflib.Literal("Night Bus", lang="en")))
    said = {str(w): {str(q) for q in facts.objects(a, CG.quote)}
            for a in facts.subjects(CG.attests, night_bus) for w in facts.objects(a, CG.mentionedAs)}
    assert said == {"The video": {SENTENCE_3, "The video was directed by Ahn Ji-won."},
                    "it": {SENTENCE_3, "Choi Woo-shik also shows up in it, as a sleepy passenger."},
                    "the video": {SENTENCE_3, SENTENCE_6}}
    names = {str(n).lower() for p in (rdflib.RDFS.label, SKOS.altLabel, CG.name) for n in facts.objects(None, p)}
    assert not names & {"the video", "it"}

    build = tmp_path / "build"
    assert cg(runner, "build", "--graph", g, "--ontology", str(ONTOLOGY), "--out", str(build), "-q").exit_code == 0
    path = cg(runner, "path", "Ahn Ji-won", "Park Hyung-sik", "--build", str(build))
    assert path.exit_code == 0 and "“The video was directed by Ahn Ji-won.”" in path.output, path.output


def test_a_character_the_sentence_does_not_write_is_refused_and_nothing_changes(runner, ingested):
    before = (ingested / "articles" / f"{ARTICLE}.json").read_bytes()
    out = add_park(runner, ingested, "--character", "bus driver", "--accept")
    assert out.exit_code != 0
    assert out.output.strip().splitlines() == [
        f"error: character 'bus driver': the sentence does not write these words ({SENTENCE_6!r}); "
        "give the words it writes for the character, or none"]
    assert (ingested / "articles" / f"{ARTICLE}.json").read_bytes() == before
    assert not (ingested / "articles" / f"{ARTICLE}.ttl").exists()


def test_a_character_is_kept_as_the_sentence_writes_it(runner, ingested):
    out = add_park(runner, ingested, "--character", "Wheel Of The Bus")
    assert out.exit_code == 0, out.output
    added = [c for c in json.loads((ingested / "articles" / f"{ARTICLE}.json").read_text("utf-8"))["candidates"]
             if c["rule"] == "person"]
    assert [c["character"] for c in added] == ["wheel of the bus"]


def test_editing_in_a_character_the_sentence_does_not_write_is_refused(runner, ingested):
    cards = json.loads((ingested / "articles" / f"{ARTICLE}.json").read_text("utf-8"))["candidates"]
    choi = next(c["id"] for c in cards if c["kind"] == "credit" and c["slots"]["agent"]["text"] == "Choi Woo-shik")
    before = (ingested / "articles" / f"{ARTICLE}.json").read_bytes()
    out = cg(runner, "review", "edit", choi, "--character", "bus driver", "--graph", str(ingested))
    assert out.exit_code != 0 and len(out.output.strip().splitlines()) == 1, out.output
    assert f"candidate {choi}: character 'bus driver': the sentence does not write these words" in out.output
    assert (ingested / "articles" / f"{ARTICLE}.json").read_bytes() == before


def _claims(tmp_path, inference: str) -> list[str]:
    store = Store.memory()
    store.load_data(f'''@prefix cg: <https://w3id.org/collabgraph/ns#> .
      @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
      <https://e/w> rdfs:label "Night Bus" .
      <https://e/c> a cg:Claim ; cg:source <https://e/doc> ; cg:about <https://e/w> ; cg:property cg:releaseDate ;
          cg:value "2026-03-06"^^xsd:date ; cg:quote "{SENTENCE_3}" {inference} .''', "turtle", graph="https://g/a")
    return [u.message for u in unstated_sides(store, "https://e/doc")]


def test_a_date_worked_out_by_the_editors_is_their_marked_reading_not_a_misquote(tmp_path):
    assert _claims(tmp_path, "") == ["no quote gives the value 2026-03-06"]
    marked = '; cg:editorsInference "worked out from the publication date and \\"on Friday\\""'
    assert _claims(tmp_path, marked) == []


def test_the_doc_walkthrough_ends_with_validate_strict():
    text = (ROOT / "docs" / "journalist.md").read_text("utf-8")
    assert text.rstrip().endswith("$ collabgraph validate --graph graph --strict\n"
                                  "ok: 4 source file(s), 832 triples conform to .../ontology/shapes.ttl\n"
                                  "quotes: 139 found verbatim in local copies of their sources\n```")
    assert "--character \"bus driver\" --accept\nerror: character 'bus driver'" in text


def test_a_side_the_sentence_does_not_write_is_refused_unless_its_words_are_given(runner, ingested):
    """Old code added these, and the credit's quote named one side only."""
    before = (ingested / "articles" / f"{ARTICLE}.json").read_bytes()
    sentence_4 = "The video was directed by Ahn Ji-won."
    for side, say in ((["--agent", "Choi Woo-shik", "--work", "Night Bus", "--words", "work=The video"],
                       f"agent 'Choi Woo-shik': sentence 4 does not write it ({sentence_4!r})"),
                      (["--agent", "Ahn Ji-won", "--type", "agent=Person", "--work", "Night Bus"],
                       f"work 'Night Bus': sentence 4 does not write it ({sentence_4!r})")):
        out = cg(runner, "review", "add", ARTICLE, "--graph", str(ingested), "--sentence", "4", *side,
                 "--type", "work=Single", "--role", "director")
        assert out.exit_code != 0 and len(out.output.strip().splitlines()) == 1, out.output
        assert out.output.startswith(f"error: {say}; give the words it writes for"), out.output
    assert (ingested / "articles" / f"{ARTICLE}.json").read_bytes() == before
    out = cg(runner, "review", "add", ARTICLE, "--graph", str(ingested), "--sentence", "4", "--agent", "Ahn Ji-won",
             "--type", "agent=Person", "--work", "Night Bus", "--words", "work=The video", "--type", "work=Single",
             "--role", "director", "--accept")
    assert out.exit_code == 0, out.output
