"""Messages a first-time user meets: usage errors in one line, what the quote
check did and did not check, options that would silently do nothing."""

from __future__ import annotations

import pytest

from collabgraph.cli import cli

from .conftest import needs_shared


@pytest.mark.parametrize("args,option", [
    (["export", "--format", "ttl"], "--format"),
    (["explore", "--depth", "0"], "--depth"),
    (["serve", "--port", "0"], "--port"),
    (["path", "IU"], "TARGET"),
    (["nosuch"], "nosuch"),
])
def test_usage_errors_are_one_line_with_exit_2(runner, built, args, option):
    res = runner.invoke(cli, args)
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and option in lines[0]
    assert "--help" in lines[0]


def test_a_projection_with_an_rdf_format_is_refused_not_ignored(runner, built, tmp_path):
    res = runner.invoke(cli, ["export", "--format", "turtle", "--projection", "collaboration",
                              "--build", str(built), "-o", str(tmp_path / "x.ttl")])
    assert res.exit_code == 2 and "graphml or gexf" in res.output
    assert not (tmp_path / "x.ttl").exists()
    ok = runner.invoke(cli, ["export", "--projection", "collaboration", "--build", str(built),
                             "-o", str(tmp_path / "c.graphml")])
    assert ok.exit_code == 0 and (tmp_path / "c.graphml").stat().st_size > 0


@needs_shared
def test_build_says_what_the_quote_check_did(runner, sources, tmp_path):
    res = runner.invoke(cli, ["build", "--graph", str(sources), "--out", str(tmp_path / "b")])
    assert res.exit_code == 0
    quotes = [line for line in res.output.splitlines() if line.startswith("quotes: ")]
    assert len(quotes) == 1 and int(quotes[0].split()[1]) > 50
    # every bundled source with quotes has its copy here (BTS's item is cited by locator): nothing unchecked
    assert quotes[0].endswith("found verbatim in local copies of their sources") and "note:" not in res.output


def test_validate_does_not_claim_unchecked_quotes_match(runner, sources, tmp_path):
    moved = tmp_path / "a" / "b" / "graph"
    moved.parent.mkdir(parents=True)
    sources.rename(moved)
    res = runner.invoke(cli, ["validate", "--graph", str(moved)])
    assert res.exit_code == 0
    assert "quotes match" not in res.output
    # the article; its copy is out of reach
    assert "1 source not checked: source:love-wins-all-article (why: the note below)" in res.output
    assert "note: source:love-wins-all-article: its local copy is missing" in res.output


def test_a_credit_date_is_told_apart_from_the_works_release_date(runner, built):
    lines = runner.invoke(cli, ["works", "V", "--build", str(built)]).output.splitlines()
    hwarang = next(x for x in lines if x.startswith("Hwarang"))
    single = next(x for x in lines if x.startswith("Love wins all ") and "Single" in x)
    assert " 2016 " in hwarang and "(release)" not in hwarang  # the credit's own date: his debut year
    assert "2024-01-24 (release)" in single  # the credit has no date: the work's release date, said so


def test_an_empty_search_is_a_usage_error(runner, built):
    res = runner.invoke(cli, ["search", "", "--build", str(built)])
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "empty" in lines[0]


@pytest.mark.parametrize("ends", [("IU", "Love wins all"), ("Love wins all", "IU")])
def test_a_path_to_a_work_says_it_is_a_work(runner, built, ends):
    res = runner.invoke(cli, ["path", *ends, "--build", str(built)])
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert lines == ["error: Love wins all is a work (Single), not an agent: a path joins two agents; "
                     "`collabgraph entity \"Love wins all\"` lists who is credited on it"]


def test_many_sources_without_a_copy_are_one_note(runner, tmp_path):
    """A generated graph's sources have no local copies: one note names them
    all, instead of a line each burying the rest of the output."""
    assert runner.invoke(cli, ["generate", "--agents", "4400", "--out", str(tmp_path / "g")]).exit_code == 0
    res = runner.invoke(cli, ["validate", "--graph", str(tmp_path / "g")])
    assert res.exit_code == 0, res.output
    notes = [line for line in res.output.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and notes[0].startswith("note: 5 sources: has no cg:localPath")
    assert all(f"source:synthetic-000{i}" in notes[0] for i in range(1, 6))


@pytest.mark.parametrize("args", [["review", "list"], ["review", "sentences", "x"], ["ingest", "article.txt"],
                                  ["import", "csv", "data.csv"]])
def test_outside_the_repository_a_command_on_graph_says_to_name_it(runner, tmp_path, monkeypatch, args):
    """Defect (a new user): outside the repository these said only "graph: no such graph directory"."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "article.txt").write_text("News\n\nIU sang.\n", "utf-8")
    (tmp_path / "data.csv").write_text("name\nIU\n", "utf-8")
    result = runner.invoke(cli, args)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "no such graph directory" in lines[0] and "--graph DIR" in lines[0], result.output
