"""Users grow graph/: adding a source file (the one docs/tutorial/add-a-fact.md
shows, kept in tests/data/my-article.ttl) must leave the article's answers,
validation and the build intact."""

from __future__ import annotations

import pytest

from collabgraph import CollabGraph
from collabgraph.cli import cli

from . import test_article_facts as article
from .conftest import DATA, ONTOLOGY, lay_out

# A complete source file as a user would save it (the tutorial's example).
NEW_SOURCE = (DATA / "my-article.ttl").read_text("utf-8")

# Every check of the article that takes only the graph.
KEY_CHECKS = [getattr(article, name) for name in dir(article)
              if name.startswith("test_") and callable(getattr(article, name))
              and getattr(article, name).__code__.co_varnames[:getattr(article, name).__code__.co_argcount] == ("kg",)]


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    graph = lay_out(tmp_path_factory.mktemp("grown"), files=None)  # all of graph/, as a user has it
    (graph / "my-article.ttl").write_text(NEW_SOURCE, "utf-8")
    return graph


def test_the_key_checks_are_many():
    assert len(KEY_CHECKS) >= 20


@pytest.mark.parametrize("check", KEY_CHECKS, ids=lambda c: c.__name__)
def test_the_article_still_says_the_same_after_a_source_is_added(grown, check):
    kg = _load(grown)
    assert kg.entity("Go Ara").types == ("cg:Person",)
    assert "Go Ara" in {c.agent.label for c in kg.collaborators("V")}  # the new fact is really there
    check(kg)


def test_validate_and_build_pass_after_a_source_is_added(grown, runner, tmp_path):
    result = runner.invoke(cli, ["validate", "--graph", str(grown), "--ontology", str(ONTOLOGY)])
    assert result.exit_code == 0, result.output
    assert "note: source:my-article: has no cg:localPath" in result.output
    out = tmp_path / "build"
    result = runner.invoke(cli, ["build", "--graph", str(grown), "--ontology", str(ONTOLOGY), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    with CollabGraph.open(out) as kg:
        assert [h.target.label for h in kg.path("Go Ara", "IU")] == ["V", "IU"]


_loaded: dict = {}


def _load(graph) -> CollabGraph:
    if graph not in _loaded:
        _loaded[graph] = CollabGraph.load(graph, ONTOLOGY)
    return _loaded[graph]
