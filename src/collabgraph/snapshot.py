"""The build's snapshot: every quad of the store in one N-Quads file, so a
build can be opened in memory (``CollabGraph.open(..., memory=True)``,
``collabgraph serve --memory``) without reading the on-disk store.

Why a file of its own: Oxigraph's in-memory store answers the heavy
aggregates several times faster than the on-disk one, but filling it from
the on-disk store means dumping RocksDB first, which at 1M triples costs
twice as much CPU as parsing N-Quads and inserting them. The build
has every quad in memory at its end and writes them once.

N-Quads rather than TriG or a compressed file: it is the format Oxigraph
parses fastest (no prefixes, no state), and the file is written by us from
a validated store, so it is read with ``lenient=True`` (no IRI or literal
re-validation).

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

import os
from pathlib import Path

from .errors import BuildNotFound
from .store import Store

__all__ = ["SNAPSHOT", "write_snapshot", "load_snapshot", "has_snapshot"]

#: File name of the snapshot inside a build directory.
SNAPSHOT = "snapshot.nq"


def write_snapshot(store: Store, build_dir: str | Path) -> Path:
    """Write every quad of ``store`` to ``build_dir/snapshot.nq`` (atomically)."""
    path = Path(build_dir) / SNAPSHOT
    tmp = path.with_name(f".{SNAPSHOT}.tmp-{os.getpid()}")
    store.write_nquads(tmp)
    os.replace(tmp, path)
    return path


def has_snapshot(build_dir: str | Path) -> bool:
    return (Path(build_dir) / SNAPSHOT).is_file()


def load_snapshot(build_dir: str | Path) -> Store:
    """A new read-only in-memory store holding the build's snapshot.

    :raises BuildNotFound: if the build has none (made before snapshots: run
        the build again, or copy its on-disk store with :meth:`Store.in_memory`).
    """
    path = Path(build_dir) / SNAPSHOT
    if not path.is_file():
        raise BuildNotFound(f"{build_dir}: the build has no {SNAPSHOT}; run 'collabgraph build' again")
    return Store.from_nquads(path)
