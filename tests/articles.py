"""Set-up shared by the ingest tests: a tiny graph written from a Turtle text,
and an article written from a few sentences and read by the public
:func:`~collabgraph.ingest.article.ingest`."""

from __future__ import annotations

from pathlib import Path

from collabgraph.ingest.article import ingest


def tiny_graph(tmp_path: Path, turtle: str) -> Path:
    """Write ``turtle`` as ``tmp_path/graph/tiny.ttl``; return that graph directory."""
    graph = tmp_path / "graph"
    graph.mkdir()
    (graph / "tiny.ttl").write_text(turtle, "utf-8")
    return graph


def ingest_text(graph: Path, tmp_path: Path, text: str, *, published: str | None = "2026-05-20",
                headline: str | None = "News", name: str = "a.txt", **options):
    """Ingest an article into ``graph``: ``text`` as its body under ``headline``, or,
    with ``headline=None``, ``text`` as the whole file, unchanged.

    :param published: the article's publication day, as ``ingest`` takes it.
    :param name: the article file's name in ``tmp_path``.
    :param options: more of :func:`ingest`'s options (``publisher``, ``url``, ...).
    """
    path = tmp_path / name
    path.write_text(text if headline is None else f"{headline}\n\n{text}\n", "utf-8")
    return ingest(path, graph, published=published, **options)
