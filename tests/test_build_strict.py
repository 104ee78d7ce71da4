"""``build --strict`` (issue 21): the checks of ``validate --strict`` fail the
build, which leaves the previous build in place: a source whose quotes cannot
be checked against a local copy, and a quote that does not name both sides of
its fact. Without ``--strict`` the same build succeeds and says so in notes and
warnings."""

from __future__ import annotations

import json

import pytest

from collabgraph import CollabGraph, ValidationError
from collabgraph import build
from collabgraph.cli import cli

from .conftest import ONTOLOGY, needs_shared

ARTICLE_TTL = "love-wins-all-article.ttl"
ONE_SIDED = ('\nfact:lwa-one-sided a cg:Credit ; cg:agent id:v ; cg:work id:hwarang ; cg:role role:actor ;\n'
             '    cg:source source:love-wins-all-article ; cg:quote "the 2016 K-drama Hwarang: The Poet Warrior Youth" .\n')


def fingerprint(out):
    with CollabGraph.open(out) as kg:
        return (out / "manifest.json").read_text(), kg.summary()


def run_build(runner, graph, out, *options):
    return runner.invoke(cli, ["build", "--graph", str(graph), "--ontology", str(ONTOLOGY), "--out", str(out),
                               *options])


def errors(result):
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


@pytest.fixture
def moved(sources, tmp_path):
    """The article's sources where their local copy is not (../../shared is not beside them)."""
    moved = tmp_path / "deeper" / "elsewhere" / "graph"
    moved.parent.mkdir(parents=True)
    sources.rename(moved)
    return moved


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_strict_build_fails_on_a_missing_copy_and_keeps_the_previous_build(runner, moved, tmp_path, full):
    out = tmp_path / "build"
    report = build(moved, ONTOLOGY, out)  # by default a note: the quotes are not checked
    assert any("its local copy is missing" in n for n in report.notes)
    before = fingerprint(out)

    result = run_build(runner, moved, out, "--strict", *(["--full"] if full else []))
    assert result.exit_code == 1, result.output
    copy = moved.parent.parent / "shared" / "sources" / "love-wins-all-article.txt"
    assert errors(result) == [f"error: {moved / ARTICLE_TTL}: source:love-wins-all-article: its local copy is "
                              f"missing: cg:localPath '../../shared/sources/love-wins-all-article.txt' is {copy}; "
                              "its quotes cannot be checked (--strict) [cg:quote verbatim]",
                              "error: validation failed with 1 problem(s)"]
    assert fingerprint(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".build")]

    with pytest.raises(ValidationError) as info:  # the API says the same
        build(moved, ONTOLOGY, out, strict=True, incremental=not full)
    assert [(p.file, p.focus) for p in info.value.problems] == [(str(moved / ARTICLE_TTL),
                                                                 "source:love-wins-all-article")]
    assert fingerprint(out) == before


def test_strict_build_into_a_new_directory_creates_nothing(runner, moved, tmp_path):
    result = run_build(runner, moved, tmp_path / "new", "--strict")
    assert result.exit_code == 1 and len(errors(result)) == 2
    assert not (tmp_path / "new").exists()


@needs_shared
def test_strict_build_fails_on_a_one_sided_quote_and_keeps_the_previous_build(runner, sources, tmp_path):
    out = tmp_path / "build"
    assert build(sources, ONTOLOGY, out, strict=True).warnings == []  # the bundled article passes strict
    before = fingerprint(out)
    path = sources / ARTICLE_TTL
    with open(path, "a", encoding="utf-8") as f:
        f.write(ONE_SIDED)  # true and verbatim, but it never names V

    # (the article's file is most of the graph: the change makes a full build, not an incremental one)
    result = run_build(runner, sources, out, "--strict")
    assert result.exit_code == 1, result.output
    assert errors(result) == [f"error: {path}: fact:lwa-one-sided: quote does not name both id:v and id:hwarang: "
                              "'the 2016 K-drama Hwarang: The Poet Warrior Youth' [cg:quote states its fact]",
                              "error: validation failed with 1 problem(s)"]
    assert fingerprint(out) == before

    # Without --strict: built, with the same finding as a warning (API and CLI)
    report = build(sources, ONTOLOGY, out)
    assert report.warnings == [f"{path}: fact:lwa-one-sided: quote does not name both id:v and id:hwarang: "
                               "'the 2016 K-drama Hwarang: The Poet Warrior Youth'"]
    assert fingerprint(out) != before
    result = run_build(runner, sources, tmp_path / "again", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["warnings"] == report.warnings


def test_build_help_offers_strict(runner):
    result = runner.invoke(cli, ["build", "--help"])
    assert result.exit_code == 0 and "--strict" in result.output and "Example:" in result.output
