"""The name index: every label, alias and attested name of every entity,
folded by :func:`collabgraph.core.names.search_key`, for resolving and searching.

It lives beside the store, not in it (a SQLite file in the build's
``cache/``), so that a user asking for an entity's triples sees only data,
never lookup keys. It is made from the store by :func:`index_names`, and read
without loading: a lookup is one indexed SELECT, however big the graph.

>>> idx = NameIndex.from_rows([("https://e/v", "Kim Tae-hyung"), ("https://e/v", "V")])
>>> idx.lookup("kimtaehyung")
['https://e/v']
>>> idx.containing("tae")
[('https://e/v', 'kimtaehyung')]
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from ..core.durable import WriteFailed
from ..core.names import search_key
from ..core.queries import query_text
from ..store.local import StoreLike

__all__ = ["NameIndex", "NameIndexWriter", "index_names", "update_names", "NAME_INDEX"]

#: File name of the index inside a build's cache directory.
NAME_INDEX = "names.sqlite"

_SCHEMA = """
CREATE TABLE names (key TEXT NOT NULL, entity TEXT NOT NULL, name TEXT NOT NULL,
                    PRIMARY KEY (key, entity, name)) WITHOUT ROWID;
CREATE INDEX names_entity ON names (entity);
CREATE VIRTUAL TABLE name_keys USING fts5(key, tokenize='trigram');
"""


def folded_names(rows: Iterable[tuple[str, str]]) -> set[tuple[str, str, str]]:
    """``(search key, entity IRI, name)`` of ``(entity IRI, name)`` pairs, each name folded
    once (:func:`collabgraph.core.names.search_key`); names that fold to nothing are left out."""
    folded: dict[str, str] = {}
    records = set()
    for entity, name in rows:
        key = folded.get(name)
        if key is None:
            key = folded[name] = search_key(name)
        if key:
            records.add((key, entity, name))
    return records


class NameIndex:
    """Folded names of entities, in SQLite (in memory, or a file opened read-only)."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]]) -> "NameIndex":
        """An in-memory index of ``(entity IRI, name)`` pairs; names that fold to
        nothing (punctuation only) are left out."""
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.executescript(_SCHEMA)
        records = folded_names(rows)
        conn.executemany("INSERT INTO names VALUES (?, ?, ?)", sorted(records))
        conn.executemany("INSERT INTO name_keys (key) VALUES (?)", sorted({(r[0],) for r in records}))
        conn.commit()
        return cls(conn)

    @classmethod
    def open(cls, path: Path) -> "NameIndex":
        """Open an index file read-only (several processes may share it)."""
        uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
        return cls(sqlite3.connect(uri, uri=True, check_same_thread=False))

    def save(self, path: Path) -> None:
        """Write the index to ``path`` (replacing it)."""
        path = Path(path)
        path.unlink(missing_ok=True)
        with _disk_errors(path):
            dest = sqlite3.connect(path)
            try:
                self._conn.backup(dest)
            finally:
                dest.close()

    def lookup(self, key: str) -> list[str]:
        """Entities with a name that folds to exactly ``key``, sorted."""
        rows = self._conn.execute("SELECT DISTINCT entity FROM names WHERE key = ? ORDER BY entity", (key,))
        return [r[0] for r in rows]

    def containing(self, key: str) -> list[tuple[str, str]]:
        """``(entity, folded name)`` for every folded name containing ``key``:
        from the trigram index for keys of three characters or more, else
        (and in indexes made before it) by scanning the names in SQLite."""
        if len(key) >= 3 and self._trigrams:
            rows = self._conn.execute(
                "SELECT DISTINCT n.entity, n.key FROM name_keys JOIN names n ON n.key = name_keys.key "
                "WHERE name_keys MATCH ? ORDER BY n.entity, n.key", (_phrase(key),))
        else:
            rows = self._conn.execute(
                "SELECT DISTINCT entity, key FROM names WHERE instr(key, ?) > 0 ORDER BY entity, key", (key,))
        return [(r[0], r[1]) for r in rows]

    def keys(self) -> list[str]:
        """Every folded name once, read on first use and kept (the candidates
        "did you mean" cuts down with rapidfuzz)."""
        if not hasattr(self, "_keys"):
            self._keys = [r[0] for r in self._conn.execute("SELECT DISTINCT key FROM names")]
        return self._keys

    def names_of(self, keys: list[str]) -> list[tuple[str, str, str]]:
        """Every ``(folded name, name, entity)`` for these folded names."""
        out: list[tuple[str, str, str]] = []
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            out.extend(tuple(r) for r in self._conn.execute(
                f"SELECT key, name, entity FROM names WHERE key IN ({','.join('?' * len(part))})", part))
        return sorted(out)

    @property
    def _trigrams(self) -> bool:
        if not hasattr(self, "_has_trigrams"):
            self._has_trigrams = self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'name_keys'").fetchone() is not None
        return self._has_trigrams

    def lookup_all(self) -> list[str]:
        """Every entity with a name, sorted."""
        return [r[0] for r in self._conn.execute("SELECT DISTINCT entity FROM names ORDER BY entity")]

    def names(self) -> list[tuple[str, str, str]]:
        """Every ``(folded name, name, entity)``."""
        return [tuple(r) for r in self._conn.execute("SELECT key, name, entity FROM names ORDER BY key, name, entity")]

    def close(self) -> None:
        self._conn.close()


def _phrase(text: str) -> str:
    """``text`` as one FTS5 string (a phrase: matched as a substring by the trigram tokenizer)."""
    return '"' + text.replace('"', '""') + '"'


@contextmanager
def _disk_errors(path: Path) -> Iterator[None]:
    """SQLite's "database or disk is full" (and other errors of the file) as one
    line naming the index file (issue 18), not an unexpected OperationalError."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        why = "no space left on the device" if "full" in str(exc) else str(exc)
        raise WriteFailed(f"{path}: cannot write the name index ({why})") from None


class NameIndexWriter:
    """A name index file written part by part (a streaming build adds each
    batch's rows): what :func:`index_names` makes, holding one part at a time.
    Rows may come more than once; each is kept once.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / NAME_INDEX
    >>> w = NameIndexWriter(path)
    >>> w.add([("https://e/v", "V")]); w.add([("https://e/v", "V"), ("https://e/v", "Taehyung")])
    >>> w.finish()
    >>> NameIndex.open(path).names()
    [('taehyung', 'Taehyung', 'https://e/v'), ('v', 'V', 'https://e/v')]
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.unlink(missing_ok=True)
        with _disk_errors(self.path):
            self._conn = sqlite3.connect(self.path)
            self._conn.executescript("PRAGMA journal_mode = OFF;" + _SCHEMA)

    def add(self, rows: Iterable[tuple[str, str]]) -> None:
        """Add ``(entity IRI, name)`` pairs (folded as :meth:`NameIndex.from_rows` folds them)."""
        with _disk_errors(self.path):
            self._conn.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", sorted(folded_names(rows)))

    def finish(self) -> None:
        """Index the keys for substring search, write the file and close it."""
        with _disk_errors(self.path):
            self._conn.execute("INSERT INTO name_keys (key) SELECT DISTINCT key FROM names ORDER BY key")
            self._conn.commit()
            self._conn.close()


def index_names(store: StoreLike) -> NameIndex:
    """The name index of everything in ``store`` (one query)."""
    return NameIndex.from_rows((r["entity"].value, r["name"].value) for r in store.select(query_text("names")))


def update_names(path: Path, store: StoreLike, entities: Iterable[str]) -> None:
    """Make the index file at ``path`` (a copy of the previous build's) fit
    ``store`` again, after a change that touched only ``entities`` (IRIs):
    their rows are deleted and read again from the store."""
    entities = sorted(set(entities))
    with _disk_errors(path):
        _update_names(path, store, entities)


def _update_names(path: Path, store: StoreLike, entities: list[str]) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executemany("DELETE FROM names WHERE entity = ?", ((e,) for e in entities))
        records = set()
        if entities:
            values = " ".join(str(ox.NamedNode(e)) for e in entities)  # written (escaped) by pyoxigraph
            query = query_text("names").replace("WHERE {", f"WHERE {{ VALUES ?entity {{ {values} }}", 1)
            for row in store.select(query):
                key = search_key(row["name"].value)
                if key:
                    records.add((key, row["entity"].value, row["name"].value))
        conn.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", sorted(records))
        conn.commit()
    finally:
        conn.close()
