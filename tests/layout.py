"""Copies of graph/ for tests, laid out as in the repository.

A relative ``cg:localPath`` is resolved against the directory of the file that
states it, and the article's copy lies outside the repository
(``graph/../../shared/sources/``). So a copy goes to ``DEST/repo/graph`` with
``DEST/shared`` linked to the shared folder beside the repository: the same
relative paths then reach the same documents, and quotes are checked there too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The files of graph/ that the tests of the bundled data are about. Tests that
#: pin what the article says use these, so a source a user adds to graph/ does
#: not change their answers (the real graph/ is validated as a whole elsewhere).
ARTICLE_FILES = ("love-wins-all-article.ttl", "wikidata-identifiers.ttl", "documents/wikidata-Q20145.json")


def lay_out(dest: Path, *, files: tuple[str, ...] | None = ARTICLE_FILES) -> Path:
    """Copy ``files`` of graph/ (``None``: all of graph/) to ``dest/repo/graph``; return that directory."""
    graph = dest / "repo" / "graph"
    if files is None:
        shutil.copytree(ROOT / "graph", graph)
    else:
        graph.mkdir(parents=True, exist_ok=True)  # files=(): an empty graph directory
        for name in files:
            (graph / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / "graph" / name, graph / name)
    shared = ROOT.parent / "shared"
    if shared.is_dir() and not (dest / "shared").exists():
        (dest / "shared").symlink_to(shared, target_is_directory=True)
    return graph
