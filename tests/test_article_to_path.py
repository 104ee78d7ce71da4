"""An article goes through ingest and review into a build, where `collabgraph
path` crosses a fact from it, quoting its sentence; one new name in two
sentences is one new entity. (The transcript of the same steps in
docs/how-to/ingest-articles.md is run as a documentation example.)"""

from __future__ import annotations

import json
import re

from collabgraph.cli import cli

from .conftest import ROOT, lay_out

ARTICLE = ROOT / "docs" / "examples" / "summer-letters.txt"


def test_an_article_goes_from_ingest_through_review_to_a_path(runner, tmp_path):
    graph = lay_out(tmp_path / "copy")
    g = ["--graph", str(graph)]
    res = runner.invoke(cli, ["ingest", str(ARTICLE), *g, "--published", "2026-11-20",
                              "--url", "https://example.org/summer-letters",
                              "--title", "Choi Woo-shik cast in a summer film"])
    assert res.exit_code == 0, res.output
    listed = json.loads(runner.invoke(cli, ["review", "list", "--rule", "starred-in", "--format", "json", *g]).output)
    assert len(listed) == 2
    res = runner.invoke(cli, ["review", "accept", "--all", "--rule", "starred-in", *g])
    assert res.exit_code == 0, res.output
    # "Choi Woo-shik" alone: nothing else in the article backs the known name, so a person confirms it
    choi = next(c for c in listed if c["slots"]["agent"]["text"] == "Choi Woo-shik")
    assert "skipped: candidate " + choi["id"] in res.output and "--link agent=id:choi-woo-shik" in res.output
    res = runner.invoke(cli, ["review", "accept", choi["id"], "--link", "agent=id:choi-woo-shik", *g])
    assert res.exit_code == 0, res.output
    ttl = next((graph / "articles").glob("*.ttl")).read_text("utf-8")
    assert len(re.findall(r"^id:summer-letters", ttl, re.M)) == 1  # one film, named in two sentences
    out = tmp_path / "build"
    assert runner.invoke(cli, ["build", *g, "--out", str(out), "-q"]).exit_code == 0
    path = runner.invoke(cli, ["path", "Han Ji-woo", "IU", "--build", str(out)]).output
    assert path.splitlines()[0] == "Han Ji-woo – Choi Woo-shik – V – IU"
    text = ARTICLE.read_text("utf-8")
    quoted = re.findall(r"“(.+)”", path.split("\n\n")[1])
    assert quoted and all(q in text for q in quoted)  # the hop from the article quotes its own sentences
