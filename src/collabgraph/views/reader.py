"""The read side's handle on a store: the store, where projections are cached,
and what has been looked up once (entity descriptions, release dates).

Every view module takes a :class:`Reader` first. The facade
(:class:`collabgraph.CollabGraph`) holds one, and so do build, explore and the
saved queries, which never go through the facade.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..core.durable import WriteFailed, write_atomic
from ..store.local import StoreLike

if TYPE_CHECKING:
    import networkx as nx

    from .nameindex import NameIndex
    from .records import Entity

__all__ = ["Reader", "save_graph", "load_graph"]


class Reader:
    """A store to read, and memory of what was read.

    ``cache_dir`` is a build's ``cache/`` directory (or ``None``): projections
    and the name index are read from there when present.
    """

    def __init__(self, store: StoreLike, *, cache_dir: Path | None = None):
        self.store = store
        self.cache_dir = cache_dir
        self.entities: dict[str, Entity] = {}
        self.released: dict[str, str | None] = {}
        self.projections: dict[str, nx.Graph] = {}
        self.names_and_types: dict[str, tuple[str, str]] | None = None
        self.name_index: NameIndex | None = None

    def cached(self, kind: str, builder: Callable[[], "nx.Graph"]) -> "nx.Graph":
        """A projection from memory, else from ``cache_dir/<kind>.json``, else
        built (and saved there when the directory is writable). The cache lives
        inside the build directory, which every build replaces as a whole, so
        it can never describe another store. Callers must not change it."""
        if kind in self.projections:
            return self.projections[kind]
        path = self.cache_dir / f"{kind}.json" if self.cache_dir else None
        g = None
        if path is not None and path.is_file():
            try:
                g = load_graph(path)
            except (ValueError, KeyError, IndexError, TypeError):
                g = None
        if g is None:
            g = builder()
            if path is not None:
                save_graph(g, path)
        self.projections[kind] = g
        return g


def save_graph(g: "nx.Graph", path: Path) -> None:
    """Save a projection as compact JSON: node IRIs once, edges as index pairs,
    attributes only where present. JSON rather than pickle so that opening a
    build never runs code; a read-only build directory just means no cache."""
    index = {n: i for i, n in enumerate(g.nodes)}
    multi = g.is_multigraph()
    edges: list[list[Any]] = []
    for u, v, *rest in (g.edges(keys=True, data=True) if multi else g.edges(data=True)):
        key, attrs = (rest[0], rest[1]) if multi else (None, rest[0])
        edges.append([index[u], index[v], *([key] if multi else []), *([attrs] if attrs else [])])
    data = {"multigraph": multi, "directed": g.is_directed(),
            "nodes": [[n, attrs] if attrs else [n] for n, attrs in g.nodes(data=True)], "edges": edges}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    except (OSError, WriteFailed):
        pass


def load_graph(path: Path) -> "nx.Graph":
    import networkx as nx

    data = json.loads(path.read_text("utf-8"))
    g: nx.Graph = (nx.MultiDiGraph() if data["directed"] else nx.MultiGraph()) if data["multigraph"] \
        else (nx.DiGraph() if data["directed"] else nx.Graph())
    nodes = [n[0] for n in data["nodes"]]
    g.add_nodes_from((n[0], n[1]) if len(n) > 1 else (n[0], {}) for n in data["nodes"])
    if data["multigraph"]:
        for e in data["edges"]:
            g.add_edge(nodes[e[0]], nodes[e[1]], key=e[2], **(e[3] if len(e) > 3 else {}))
    else:
        g.add_edges_from((nodes[e[0]], nodes[e[1]], e[2] if len(e) > 2 else {}) for e in data["edges"])
    return g
