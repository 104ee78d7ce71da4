"""Set-up shared by the ingest tests: a tiny graph written from a Turtle text,
and an article written from a few sentences and read by the public
:func:`~collabgraph.ingest.article.ingest`."""

from __future__ import annotations

from pathlib import Path

from collabgraph.ingest.article import DEFAULT_THRESHOLD, ingest


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


def facts_of(candidates, *, at_least: float = DEFAULT_THRESHOLD, by_label: bool = False) -> set[tuple]:
    """The credits ``(agent, role, work)`` and memberships ``(member, "member of", group)`` among
    ``candidates`` scored ``at_least``, by the names' words (their labels first, with ``by_label``)."""
    def name(m) -> str:
        return (m.label or m.text) if by_label else m.text

    out: set[tuple] = set()
    for c in candidates:
        if c.score < at_least:
            continue
        if c.kind == "credit":
            out.add((name(c.slots["agent"]), c.role, name(c.slots["work"])))
        elif c.kind == "membership":
            out.add((name(c.slots["member"]), "member of", name(c.slots["group"])))
    return out
