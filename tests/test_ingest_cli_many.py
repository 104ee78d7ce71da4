"""`collabgraph ingest A B C`: several articles in one run (the graph's names read once,
kept while its files are unchanged), each ingested as if alone."""

from __future__ import annotations

import json

from collabgraph.cli import cli

from .conftest import lay_out


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_several_articles_in_one_run_each_as_if_alone(runner, tmp_path):
    graph = lay_out(tmp_path / "repo")
    a = _write(tmp_path, "a.txt", "Casting news\n\nPark Hyung-sik will star in the film “Night Ferry”.\n")
    b = _write(tmp_path, "b.txt", "Music news\n\nV of BTS released the single “Slow Tide” on Friday.\n")
    g = ["--graph", str(graph), "--published", "2026-05-20"]
    out = runner.invoke(cli, ["ingest", str(a), str(b), *g, "--format", "json"])
    assert out.exit_code == 0, out.output
    both = json.loads(out.stdout)
    assert [r["article"]["id"] for r in both] == ["a", "b"]
    # the same as one run per article, in a fresh copy
    alone = lay_out(tmp_path / "alone")
    for path, report in ((a, both[0]), (b, both[1])):
        one = runner.invoke(cli, ["ingest", str(path), "--graph", str(alone), "--published", "2026-05-20",
                                  "--format", "json"])
        assert one.exit_code == 0, one.output
        mine = json.loads(one.stdout)
        for r in (mine, report):  # where the file was and when it was ingested differ; nothing else may
            r.pop("file", None)
            r["article"].pop("ingested", None)
        assert mine == report


def test_url_or_title_with_several_articles_is_a_usage_error(runner, tmp_path):
    graph = lay_out(tmp_path / "repo")
    a = _write(tmp_path, "a.txt", "News\n\nIU sang.\n")
    b = _write(tmp_path, "b.txt", "News\n\nV sang.\n")
    out = runner.invoke(cli, ["ingest", str(a), str(b), "--graph", str(graph), "--title", "One title"])
    assert out.exit_code == 2 and "--url and --title name one article" in out.output
    assert not (graph / "articles").exists() or not list((graph / "articles").glob("*.json"))


def test_a_bad_file_among_several_ingests_none_of_them(runner, tmp_path):
    """One empty, binary or UTF-16 file among several: one line naming it, exit 1, and
    no article ingested (before, the ones before it were written and the run stopped)."""
    graph = lay_out(tmp_path / "repo")
    good = _write(tmp_path, "good.txt", "News\n\nIU sang.\n")
    bad = {"empty.txt": b"", "binary.png": b"\x89PNG\r\n\x1a\n\x00\x00", "utf16.txt": "News\n\nV sang.\n".encode("utf-16")}
    said = {"empty.txt": "the file is empty", "binary.png": "a binary file", "utf16.txt": "UTF-16 text; save the article as UTF-8"}
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
        out = runner.invoke(cli, ["ingest", str(good), str(tmp_path / name), "--graph", str(graph)])
        assert out.exit_code == 1
        lines = out.output.strip().splitlines()
        assert len(lines) == 1 and name in lines[0] and said[name] in lines[0], out.output
        assert not (graph / "articles").exists() or not list((graph / "articles").iterdir())
