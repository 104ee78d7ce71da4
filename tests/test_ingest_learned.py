"""The learned reader (issue 20): a logistic regression over mention pairs that proposes
candidates above its threshold, links nothing, and loads the weights it ships with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from collabgraph.cli import cli
from collabgraph.core.errors import CollabGraphError, SourceError
from collabgraph.ingest.article import DEFAULT_THRESHOLD, KnownNames, analyse, ingest
from collabgraph.ingest.candidates import Article, ArticleFile
from collabgraph.ingest.learned import MEMBER, NONE, WEIGHTS, LearnedExtractor, load_model
from collabgraph.ingest.reviewtext import rule_words

from .layout import lay_out

#: A sentence no rule reads ("lent her voice to" is no role verb): the toy model below reads it.
SENTENCE = "Mara Quill lent her voice to “Glass Harbor”, the new single by Orin Vale."


@pytest.fixture
def graph(tmp_path) -> Path:
    return lay_out(tmp_path / "copy")


def toy_weights(tmp_path: Path, threshold: float) -> Path:
    """A model that reads "lend" near the agent and a quoted work as a performer credit, and nothing else."""
    labels = [NONE, MEMBER, "performer"]
    features = ["a_role=lend", "b_quoted", "k=credit"]
    weights = [[0, 0, 4.0], [0, 0, 4.0], [0, 0, 0]]
    path = tmp_path / "toy.json"
    path.write_text(json.dumps({"labels": labels, "features": features, "weights": weights,
                                "bias": [2.0, 0.0, -3.0], "threshold": threshold}), "utf-8")
    return path


def read(graph: Path, text: str, extractor: LearnedExtractor):
    article = Article("a", "ab" * 32, published="2026-05-20")
    return analyse(text, article, KnownNames.cached(graph), extractors=[extractor])


def test_the_shipped_weights_load_and_hold_words_not_sentences():
    model = load_model()
    assert NONE in model.labels and MEMBER in model.labels and "actor" in model.labels
    assert 0 < model.threshold < 1
    assert model.weights.shape == (len(model.index), len(model.labels))
    data = json.loads(WEIGHTS.read_text("utf-8"))
    assert set(data) <= {"about", "trained_on", "threshold_precision_on_training", "labels", "threshold", "bias",
                         "features", "weights"}
    # single feature names: a lemma or a chain of dependency labels, never a passage of an article
    assert all(len(f.split()) <= 3 and len(f) <= 80 for f in data["features"])


def test_a_bad_weights_file_is_named(tmp_path):
    bad = tmp_path / "weights.json"
    bad.write_text("{\"labels\": []}", "utf-8")
    with pytest.raises(SourceError, match="weights.json: not a learned reader's weights file"):
        load_model(bad)


def test_above_the_threshold_it_proposes_with_its_sentence_and_links_nothing(graph, tmp_path):
    got = read(graph, SENTENCE, LearnedExtractor(toy_weights(tmp_path, 0.6)))
    learned = [c for c in got.candidates if c.rule == "learned"]
    assert {(c.slots["agent"].text, c.slots["work"].text, c.role) for c in learned} == \
        {("Mara Quill", "Glass Harbor", "performer")}
    c = learned[0]
    assert got.text[c.start:c.end] == c.sentence == SENTENCE
    assert got.text[c.slots["agent"].start:c.slots["agent"].end] == "Mara Quill"
    assert c.status == "pending" and c.score >= DEFAULT_THRESHOLD
    assert rule_words(c.rule).startswith("the learned reader")  # a reviewer reads words, not the code
    # its slots are the article's mentions as the name finder made them: new names, nothing linked
    assert all(m.link is None and m.method == "new" for m in c.slots.values())


def test_below_the_threshold_nothing_is_proposed(graph, tmp_path):
    got = read(graph, SENTENCE, LearnedExtractor(toy_weights(tmp_path, 0.99)))
    assert not [c for c in got.candidates if c.rule == "learned"]
    # the same model, its threshold lowered by the caller: proposed again
    assert [c for c in read(graph, SENTENCE, LearnedExtractor(toy_weights(tmp_path, 0.99), threshold=0.6)).candidates
            if c.rule == "learned"]


def test_a_fact_the_rules_hedge_stays_hedged(graph, tmp_path):
    from collabgraph.ingest.parse import ParseExtractor

    text = "Mara Quill is rumoured to star in “Glass Harbor”."
    rules = analyse(text, Article("a", "ab" * 32), KnownNames.cached(graph), extractors=[ParseExtractor()])
    hedged = [c for c in rules.candidates if c.rule.endswith("+hedged")]
    assert hedged and all(c.score < DEFAULT_THRESHOLD for c in hedged)
    # a model that reads every credit pair as an actor's credit, with certainty
    path = tmp_path / "eager.json"
    path.write_text(json.dumps({"labels": [NONE, MEMBER, "actor"], "features": ["k=credit"],
                                "weights": [[0, 0, 9.0]], "bias": [0, 0, 0], "threshold": 0.5}), "utf-8")
    both = analyse(text, Article("a", "ab" * 32), KnownNames.cached(graph),
                   extractors=[ParseExtractor(), LearnedExtractor(path)])
    assert not [c for c in both.candidates if c.kind == "credit" and c.score >= DEFAULT_THRESHOLD]


def test_ingest_with_the_learned_reader_proposes_and_never_links(graph, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("IU lent her voice to “Glass Harbor”, the new single by Orin Vale. "
                    "Mara Quill directed the music video for “Glass Harbor”.", "utf-8")
    rules = ingest(path, lay_out(tmp_path / "rules"), published="2026-05-20")
    learned = ingest(path, graph, published="2026-05-20", reader="learned")
    # the same names, linked the same way: the reader adds candidates, never links
    assert [(m.text, m.link, m.method) for m in learned.mentions] == [(m.text, m.link, m.method) for m in rules.mentions]
    stored = ArticleFile.load(learned.path).candidates
    assert all(c.status == "pending" for c in stored)
    for c in stored:
        assert learned_text(graph, learned)[c.start:c.end] == c.sentence


def learned_text(graph: Path, report) -> str:
    return (graph / "articles" / f"{report.article.id}.txt").read_text("utf-8")


def test_an_unknown_reader_is_refused(graph, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Mara Quill directed “Glass Harbor”.", "utf-8")
    with pytest.raises(CollabGraphError, match="reader 'llm': choose one of rules, learned"):
        ingest(path, graph, reader="llm")
    assert not (graph / "articles").exists() or not list((graph / "articles").glob("*.json"))


def test_the_cli_takes_the_reader(graph, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Mara Quill directed “Glass Harbor”, a film by Orin Vale.", "utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--reader", "learned", "--graph", str(graph),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["article"]["id"]
    bad = CliRunner().invoke(cli, ["ingest", str(path), "--reader", "llm", "--graph", str(graph)])
    assert bad.exit_code != 0 and "--reader" in bad.output
