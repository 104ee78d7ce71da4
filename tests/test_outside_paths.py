"""Paths under graph/ that lead outside it are refused (issue 18, item 8): a
source file that is a symbolic link to a file elsewhere, and a
``cg:localPath`` with ``..`` past the allowed roots, are not read, and say so
in one line naming the file; ``--allow-outside`` reads them. The bundled
article's copy in ``../shared/sources`` keeps being checked."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from collabgraph import CollabGraph
from collabgraph import build
from collabgraph.cli import cli
from collabgraph.core.errors import SourceError

from .conftest import ONTOLOGY
from .layout import ROOT

SECRET = "SECRET-FIRST-TOKEN and the rest of a private file\n"


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "private" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET, "utf-8")
    return path


def errors_of(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error")]


def test_a_source_file_linked_to_outside_the_graph_is_refused(sources, secret, runner, tmp_path):
    out = tmp_path / "build"
    build(sources, ONTOLOGY, out)
    before = sorted(p.name for p in out.iterdir())
    (sources / "x.ttl").symlink_to(secret)
    for args in (["validate"], ["build", "--out", str(out)]):
        result = runner.invoke(cli, [*args, "--graph", str(sources)])
        assert result.exit_code == 1, result.output
        assert "SECRET-FIRST-TOKEN" not in result.output
        (line,) = errors_of(result)
        assert "x.ttl" in line and "outside the graph directory" in line and "--allow-outside" in line
    assert sorted(p.name for p in out.iterdir()) == before  # the previous build stays
    with pytest.raises(SourceError, match="x.ttl"):
        CollabGraph.load(sources, ONTOLOGY)
    # Allowed, it is read (and here fails to parse, as any file would).
    result = runner.invoke(cli, ["validate", "--graph", str(sources), "--allow-outside"])
    assert result.exit_code == 1 and "outside the graph directory" not in result.output


def test_a_linked_folder_inside_the_graph_is_still_read(sources, runner):
    """A link that stays inside the graph directory is fine."""
    (sources / "again").symlink_to(sources / "documents", target_is_directory=True)
    result = runner.invoke(cli, ["validate", "--graph", str(sources)])
    assert result.exit_code == 0, result.output


def add_source(sources, local_path: str, sha: str) -> None:
    with (sources / "love-wins-all-article.ttl").open("a", encoding="utf-8") as f:
        f.write(f'\nsource:elsewhere a cg:SourceDocument ; rdfs:label "A file elsewhere"@en ;\n'
                f'    cg:localPath "{local_path}" ; cg:sha256 "{sha}" .\n')


def test_a_local_path_out_of_the_allowed_roots_is_not_read(sources, secret, runner):
    relative = "../" * (len(sources.resolve().parts) + 2) + str(secret.resolve()).lstrip("/")
    add_source(sources, relative, "0" * 64)  # a wrong checksum: reading it would say so
    result = runner.invoke(cli, ["validate", "--graph", str(sources)])
    assert result.exit_code == 1, result.output
    (line, *_) = [e for e in errors_of(result) if "source:elsewhere" in e]
    assert "love-wins-all-article.ttl" in line and "resolves outside the graph directory" in line
    assert "does not match cg:sha256" not in result.output and "SECRET-FIRST-TOKEN" not in result.output
    result = runner.invoke(cli, ["validate", "--graph", str(sources), "--allow-outside"])
    assert result.exit_code == 1 and "does not match cg:sha256" in result.output  # read when allowed


@pytest.mark.skipif(not (ROOT.parent / "shared" / "sources").is_dir(), reason="needs the shared folder ../shared")
def test_the_bundled_articles_copy_beside_the_repository_is_still_checked(sources, runner):
    result = runner.invoke(cli, ["validate", "--graph", str(sources)])
    assert result.exit_code == 0, result.output
    assert "found verbatim" in result.output and "outside" not in result.output
    # And a copy in graph/documents/ (inside) is read too.
    copy = sources / "documents" / "copy.txt"
    shutil.copy(ROOT.parent / "shared" / "sources" / "love-wins-all-article.txt", copy)
    add_source(sources, "documents/copy.txt", hashlib.sha256(copy.read_bytes()).hexdigest())
    result = runner.invoke(cli, ["validate", "--graph", str(sources)])
    assert result.exit_code == 0, result.output
