"""The build's snapshot: every quad of the store in one N-Quads file, so a
build can be opened in memory (``CollabGraph.open(..., memory=True)``,
``collabgraph serve --memory``) without reading the on-disk store.

Why a file of its own: Oxigraph's in-memory store answers the heavy
aggregates several times faster than the on-disk one, but filling it from
the on-disk store means dumping RocksDB first, which at 1M triples costs
twice as much CPU as parsing N-Quads and inserting them. The build
has every quad in memory at its end and writes them once: the in-memory
compile from the same N-Triples text its writer loads the on-disk store
from (:meth:`collabgraph.build.earlywriter.EarlyWriter.finish`), the
streaming compile from the text it loads its batches from.

N-Quads rather than TriG or a compressed file: it is the format Oxigraph
parses fastest (no prefixes, no state), and the file is written by us from
a validated store, so it is read with ``lenient=True`` (no IRI or literal
re-validation).

After an incremental build: dumping the on-disk store again would cost many
times the build itself (40 s at 1M triples on a busy machine, against a
build of a few seconds), so the new generation hard-links the previous
generation's snapshot and adds ``snapshot-delta.json``: the graphs to drop
from it (every source file changed or removed since that snapshot was
written), their current quads, and the inferred triples removed and added.
Loading applies it after the base. Inferred triples are compared by value,
so no delta is written when one holds a blank node (Oxigraph renames blank
nodes on every load); a generation without a snapshot gets one the first
time it is opened in memory (:func:`write_snapshot_lazily`).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> s = Store.memory()
>>> s.load_data('<https://e/a> <https://e/p> "x" .', "ntriples", graph="https://g/1")
1
>>> write_snapshot(s, d).name
'snapshot.nq'
>>> load_snapshot(d).count()
1
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ..core.durable import replacing
from ..core.errors import BuildNotFound
from .local import Store

__all__ = ["SNAPSHOT", "DELTA", "write_snapshot", "load_snapshot", "has_snapshot", "link_snapshot",
           "write_snapshot_lazily"]

#: File name of the snapshot inside a build directory.
SNAPSHOT = "snapshot.nq"
#: What an incremental build changed since the snapshot it links (see above).
DELTA = "snapshot-delta.json"


def write_snapshot(store: Store, build_dir: str | Path) -> Path:
    """Write every quad of ``store`` to ``build_dir/snapshot.nq`` (atomically)."""
    path = Path(build_dir) / SNAPSHOT
    with replacing(path) as tmp:
        store.write_nquads(tmp)
    return path


def has_snapshot(build_dir: str | Path) -> bool:
    """Whether the build has a snapshot that describes its store (a linked
    snapshot whose delta is missing or names another base does not)."""
    path = Path(build_dir) / SNAPSHOT
    if not path.is_file():
        return False
    delta = _delta(Path(build_dir))
    return delta is None or delta.get("base_size") == path.stat().st_size


def _delta(build_dir: Path) -> dict | None:
    try:
        return json.loads((build_dir / DELTA).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # unreadable: describes no base


def _nquads(quads: Iterable[ox.Quad]) -> str:
    return "".join(f"{q} .\n" for q in quads)


def link_snapshot(previous: Path, build_dir: Path, store: Store, *, dropped: Iterable[str],
                  inferred_graph: str, inferred_removed: set[ox.Quad], inferred_added: set[ox.Quad]) -> bool:
    """Give the new generation ``build_dir`` (made from ``previous`` by an
    incremental build, its store ``store``) a snapshot without dumping the
    store: a hard link to ``previous``'s base snapshot plus a delta (the
    graphs ``dropped`` since that base, with their quads now, and the
    inferred triples removed and added, carried over from ``previous``'s own
    delta). Returns False, writing nothing, when ``previous`` has no usable
    snapshot, an inferred triple holds a blank node, or the link cannot be made."""
    if not has_snapshot(previous):
        return False
    before = _delta(previous) or {}
    removed = {q for q in ox.parse(before.get("inferred_removed", ""), format=ox.RdfFormat.N_QUADS)}
    added = {q for q in ox.parse(before.get("inferred_added", ""), format=ox.RdfFormat.N_QUADS)}
    if any(isinstance(t, ox.BlankNode) for q in inferred_removed | inferred_added for t in (q.subject, q.object)):
        return False
    # (base - removed) | added, then this build's changes: added ones it
    # removes go, the rest it removes come out of the base.
    net_removed, net_added = inferred_removed - inferred_added, inferred_added - inferred_removed
    removed |= net_removed - added
    added = (added - net_removed) | net_added
    removed -= added
    graphs = sorted(set(before.get("dropped_graphs", [])) | set(dropped))
    present = set(store.graphs())
    base = previous / SNAPSHOT
    delta = {"base_size": base.stat().st_size, "dropped_graphs": graphs,
             "graph_quads": _nquads(q for g in graphs if g in present for q in store.quads(g)),
             "inferred_graph": inferred_graph,
             "inferred_removed": _nquads(sorted(removed, key=str)), "inferred_added": _nquads(sorted(added, key=str))}
    try:
        (build_dir / DELTA).write_text(json.dumps(delta, ensure_ascii=False), "utf-8")
        os.link(base, build_dir / SNAPSHOT)
    except OSError:
        (build_dir / DELTA).unlink(missing_ok=True)
        return False
    return True


def write_snapshot_lazily(store: Store, build_dir: str | Path) -> bool:
    """Write the snapshot of a build that has none (made before snapshots, or
    by an incremental build that could not link one) from ``store``, its
    graph in memory: the next opening in memory reads it. A build directory
    that cannot be written (read-only, full) keeps going without."""
    try:
        if has_snapshot(build_dir):
            return False
        (Path(build_dir) / DELTA).unlink(missing_ok=True)
        write_snapshot(store, build_dir)
    except OSError:
        return False
    return True


def load_snapshot(build_dir: str | Path) -> Store:
    """A new read-only in-memory store holding the build's snapshot.

    :raises BuildNotFound: if the build has none (made before snapshots: run
        the build again, or copy its on-disk store with :meth:`Store.in_memory`).
    """
    path = Path(build_dir) / SNAPSHOT
    if not has_snapshot(build_dir):
        raise BuildNotFound(f"{build_dir}: the build has no {SNAPSHOT}; run 'collabgraph build' again")
    delta = _delta(Path(build_dir))
    if delta is None:
        return Store.from_nquads(path)
    store = Store.from_nquads(path)
    # The delta applied as one change, which keeps the base's default graph (the union)
    # right as it goes, instead of rebuilding it whole at the first query (issue 23).
    graphs = delta["dropped_graphs"]
    removed = [q for g in graphs for q in store.quads(g)]
    removed += ox.parse(delta["inferred_removed"], format=ox.RdfFormat.N_QUADS)
    added = [q for key in ("graph_quads", "inferred_added")
             for q in ox.parse(delta[key], format=ox.RdfFormat.N_QUADS, lenient=True)]
    store.change_quads(removed, added)
    for g in graphs:
        if not store.quads(g):
            store.remove_graph(g)  # its file is gone (an empty graph: the union stays as it is)
    return store
