"""Every reader besides the rules is held to what the rules decided (ingest/vetoes.py): a
denied pair gives no candidate, a hedged one a candidate marked ``+hedged`` below the
threshold, a pair the rules read keeps the rules' candidate and explanation, a group that
only says whose member a name is, or whose members the rules listed, gives no one else a
membership. Checked with the learned reader (the default) and with an eager extractor
plugged in beside the rules, which proposes every person and group of a sentence as a
membership: whatever survives is what the vetoes let through."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabgraph.ingest.article import DEFAULT_THRESHOLD, KnownNames, analyse, ingest
from collabgraph.ingest.blocks import BlockExtractor
from collabgraph.ingest.candidates import Article, Candidate
from collabgraph.ingest.parse import ParseExtractor
from collabgraph.ingest.parsewords import mention_kind
from collabgraph.ingest.patterns import PatternExtractor

from .articles import ingest_text, tiny_graph
from .layout import ROOT, lay_out

TINY = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:marlow a cg:Group ; rdfs:label "MARLOW"@en .
id:nova a cg:Group ; rdfs:label "NOVA"@en .
id:kang-jun-seo a cg:Person ; rdfs:label "Kang Jun-seo"@en .
id:min-ara a cg:Person ; rdfs:label "Min Ara"@en .
id:jo-hyun a cg:Person ; rdfs:label "Jo Hyun"@en .
"""


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


class Eager:
    """A reader that is not the rules: every person and group of a sentence, a membership."""

    name = "eager"

    def candidates(self, article, text, sents, mentions, context) -> list[Candidate]:
        out = []
        for sent, ss, se in sents:
            ms = [m for m in mentions if ss <= m.start and m.end <= se]
            for a in ms:
                for b in ms:
                    if a is not b and mention_kind(a) == "agent" and a.type in ("Person", None) and b.type == "Group":
                        out.append(Candidate.make(article, kind="membership", rule="eager", sentence=sent, start=ss,
                                                  end=se, slots={"member": a, "group": b}, score=0.9))
        return out


def eager(graph: Path, text: str) -> list[Candidate]:
    article = Article("a", "ab" * 32, published="2026-05-20")
    extractors = [PatternExtractor(), ParseExtractor(), BlockExtractor(), Eager()]
    return [c for c in analyse(f"News\n\n{text}\n", article, KnownNames.cached(graph), extractors=extractors,
                               reader="rules").candidates if c.kind == "membership"]


def members(cands: list[Candidate], *, rule: str | None = None) -> set[tuple[str, str]]:
    return {(c.slots["member"].text, c.slots["group"].text) for c in cands
            if c.kind == "membership" and c.score >= DEFAULT_THRESHOLD and (rule is None or c.rule.startswith(rule))}


def test_an_eager_reader_proposes_what_nothing_vetoes(graph):
    """The control: a plain sentence the rules do not read as a membership keeps the eager one."""
    found = eager(graph, "Kang Jun-seo toured with MARLOW.")
    assert members(found, rule="eager") == {("Kang Jun-seo", "MARLOW")}


@pytest.mark.parametrize("text", ["Kang Jun-seo is not a member of MARLOW.",
                                  "MARLOW denied that Kang Jun-seo had joined the band.",
                                  "Kang Jun-seo never joined MARLOW."])
def test_a_denied_pair_gives_another_reader_no_candidate(graph, text):
    assert not [c for c in eager(graph, text) if c.rule.startswith("eager")]


def test_a_hedged_pair_is_marked_and_below_the_threshold(graph):
    found = [c for c in eager(graph, "Kang Jun-seo may tour with MARLOW.") if c.rule.startswith("eager")]
    assert found and all(c.rule == "eager+hedged" and c.score < DEFAULT_THRESHOLD for c in found)


@pytest.mark.parametrize("text, rule", [("Kang Jun-seo of MARLOW sang.", "of-group"),
                                        # the rules' hedged reading stands: nothing lifts it over the threshold
                                        ("Kang Jun-seo is rumoured to have joined MARLOW.", "joined+hedged")])
def test_a_pair_the_rules_read_keeps_their_candidate(graph, text, rule):
    found = eager(graph, text)
    assert {(c.slots["member"].text, c.rule) for c in found} == {("Kang Jun-seo", rule)}


def test_a_group_that_says_whose_member_one_name_is_is_no_one_elses(graph):
    found = eager(graph, "MARLOW’s Min Ara and Kang Jun-seo sang “Tin Roof.”")
    assert ("Kang Jun-seo", "MARLOW") not in members(found)
    assert ("Min Ara", "MARLOW") in members(found)


def test_a_list_the_rules_ended_is_the_whole_list(graph):
    found = eager(graph, "NOVA's members are Min Ara and Jo Hyun; Kang Jun-seo sang with them.")
    got = members(found)
    assert {("Min Ara", "NOVA"), ("Jo Hyun", "NOVA")} == members(found, rule="parse-members")
    assert ("Kang Jun-seo", "NOVA") not in got


@pytest.mark.parametrize("text", ["Kang Jun-seo is not a member of MARLOW.",
                                  "MARLOW’s Min Ara and Kang Jun-seo sang “Tin Roof.”",
                                  "Kang Jun-seo is rumoured to be a member of MARLOW."])
def test_the_learned_reader_adds_no_membership_the_rules_refused(graph, tmp_path, text):
    report = ingest_text(graph, tmp_path, text, reader="learned")
    assert ("Kang Jun-seo", "MARLOW") not in members(report.candidates)


def test_a_member_the_rules_placed_is_in_no_other_group_of_the_sentence(graph):
    found = eager(graph, "NOVA’s Min Ara wrote “Tin Roof” for MARLOW.")
    assert ("Min Ara", "NOVA") in members(found)
    assert ("Min Ara", "MARLOW") not in members(found)


def test_a_description_is_a_group_only_in_what_the_rules_read(graph):
    found = eager(graph, "NOVA rested this spring. Kang Jun-seo wrote a song for the group.")
    assert not [c for c in found if c.slots["group"].method == "description" and c.rule.startswith("eager")]


def test_the_learned_reader_on_the_projects_article_adds_no_wrong_member(tmp_path):
    """tests/data/articles/06: "Ryu Da-in composed “Afterglow” for the group, while NOVA9's Jay Min
    directed its music video": neither is a member of the group (Velvet Hour)."""
    graph = lay_out(tmp_path / "copy")
    report = ingest(ROOT / "tests" / "data" / "articles" / "06-velvet-hour.txt", graph, published="2024-05-01",
                    reader="learned")
    wrong = {(c.slots["member"].text, c.slots["group"].label or c.slots["group"].text) for c in report.candidates
             if c.kind == "membership" and c.score >= DEFAULT_THRESHOLD and c.slots["group"].text != "NOVA9"
             and c.slots["member"].text in ("Ryu Da-in", "Jay Min")}
    assert not wrong
