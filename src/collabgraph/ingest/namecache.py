"""What ingest knows of a graph between runs (issue 20): the graph's RDF source
files in an on-disk store and their names in SQLite, kept in the user's cache
(``$XDG_CACHE_HOME/collabgraph/ingest-names/<graph>/``) and brought up to date
file by file, so that ``collabgraph ingest`` in a new process reads only the
files that changed since the last one, and looks up only the names its article
mentions instead of reading every name of the graph.

One graph's folder holds ``names.sqlite`` (the version, the store it goes
with, every source file with its size, times, inode and SHA-256, the names and
their fuzzy-match forms) and that store (``store-<token>/``: one named graph
per source file). A change is written to copies (a temporary SQLite file; a
new store made by a backup of the current one: hard links) and published by
one atomic rename of ``names.sqlite``, which names its store: a reader sees
the old state or the new one, never a mix. A folder that cannot be read (a
corrupt file, a missing store) is rebuilt with a one-line warning.

>>> table = NameTable.from_rows([("https://e/v", "V"), ("https://e/v", "Kim Tae-hyung"), ("https://e/s", "the Song")])
>>> table.named("kimtaehyung"), table.present({"v", "x"}), table.longest()
([('https://e/v', 'Kim Tae-hyung')], {'v'}, 11)
>>> [row[1:3] for row in table.fuzzy("s")]
[('the Song', 'https://e/s')]
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import sqlite3
import sys
import time
import urllib.parse
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from ..core.durable import fsync_dir
from ..core.errors import SourceError, no_graph_directory
from ..core.formats import SOURCE_SUFFIXES
from ..build.sources import file_sha256
from ..core.names import search_key
from ..views.nameindex import folded_names
from ..core.packaged import default_ontology
from ..core.queries import query_text
from ..store.local import Store

__all__ = ["NameTable", "open_cached", "cache_root", "source_files", "name_rows", "fuzzy_row", "ARTICLE",
           "DESCRIPTION_WORDS"]

#: A leading article, dropped before fuzzy matching ("The Moonlight Parade").
ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
#: Words that describe rather than name ("the music video", "their single"): never linked by themselves.
DESCRIPTION_WORDS = re.compile(r"^(?i:the|a|an|this|that|these|those|his|her|their|its|our|my)\s+[^A-Z]*$")

#: Changed when what the folder holds changes: an older folder is rebuilt, silently.
_VERSION = "1"
_TABLE = "names.sqlite"
_ONTOLOGY = "\0ontology"  # the ontology's row among the files (no relative path can hold a NUL)
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (rel TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, ino INTEGER, ctime INTEGER,
                    sha256 TEXT NOT NULL);
CREATE TABLE names (key TEXT NOT NULL, entity TEXT NOT NULL, name TEXT NOT NULL,
                    PRIMARY KEY (key, entity, name)) WITHOUT ROWID;
CREATE INDEX names_entity ON names (entity);
CREATE TABLE fuzzy (initial TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, entity TEXT NOT NULL,
                    processed TEXT NOT NULL, bare TEXT NOT NULL, folded TEXT NOT NULL,
                    PRIMARY KEY (initial, key, name, entity)) WITHOUT ROWID;
CREATE INDEX fuzzy_entity ON fuzzy (entity);
"""


# ---------------------------------------------------------------------------------
# The names, in SQLite
# ---------------------------------------------------------------------------------

def fuzzy_row(key: str, entity: str, name: str) -> tuple[str, str, str, str, str, str, str] | None:
    """A name as fuzzy suggestions compare it: ``(initial, key, name, entity,
    processed, bare, folded)``, its leading article dropped; ``None`` for words
    that describe rather than name, which are never suggested."""
    if DESCRIPTION_WORDS.match(name):
        return None
    from rapidfuzz.utils import default_process

    bare = ARTICLE.sub("", name)
    folded = search_key(bare)
    return (folded[:1], key, name, entity, default_process(bare), bare, folded) if folded else None


class NameTable:
    """Folded names of entities and their fuzzy-match forms, in SQLite (in
    memory, or a published cache file opened read-only): every lookup is an
    indexed SELECT, so nothing is read that an article does not ask for."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]]) -> "NameTable":
        """An in-memory table of ``(entity, name)`` pairs (names that fold to nothing are left out)."""
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.executescript(_SCHEMA)
        _insert(conn, rows)
        return cls(conn)

    @classmethod
    def open(cls, path: Path) -> "NameTable":
        """A published table, read-only (it is replaced by a rename, never changed in place)."""
        uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
        return cls(sqlite3.connect(uri, uri=True, check_same_thread=False))

    def named(self, key: str) -> list[tuple[str, str]]:
        """``(entity, name as written)`` of every name that folds to ``key``, by name then entity."""
        return [(r[0], r[1]) for r in self._conn.execute(
            "SELECT entity, name FROM names WHERE key = ? ORDER BY name, entity", (key,))]

    def present(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` are the folded form of some name."""
        keys = sorted(set(keys))
        out: set[str] = set()
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            out.update(r[0] for r in self._conn.execute(
                f"SELECT DISTINCT key FROM names WHERE key IN ({','.join('?' * len(part))})", part))
        return out

    def longest(self) -> int:
        """The length of the longest folded name (0: no names)."""
        return int(self._conn.execute("SELECT coalesce(max(length(key)), 0) FROM names").fetchone()[0])

    def names_of(self, entity: str) -> list[tuple[str, str]]:
        """``(folded, name as written)`` of every name of ``entity``, sorted."""
        return [(r[0], r[1]) for r in self._conn.execute(
            "SELECT key, name FROM names WHERE entity = ? ORDER BY key, name", (entity,))]

    def fuzzy(self, initial: str) -> list[tuple[str, str, str, str, str, str]]:
        """``(key, name, entity, processed, bare, folded)`` of every name whose form
        without its article folds to something starting with ``initial``, by key, name, entity."""
        return [tuple(r) for r in self._conn.execute(  # type: ignore[misc]
            "SELECT key, name, entity, processed, bare, folded FROM fuzzy WHERE initial = ? "
            "ORDER BY key, name, entity", (initial,))]

    def close(self) -> None:
        self._conn.close()


def _insert(conn: sqlite3.Connection, rows: Iterable[tuple[str, str]]) -> None:
    records = folded_names(rows)
    conn.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", sorted(records))
    conn.executemany("INSERT OR IGNORE INTO fuzzy VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [f for f in (fuzzy_row(*r) for r in sorted(records)) if f is not None])


def name_rows(store: Store, entities: list[str] | None = None) -> Iterator[tuple[str, str]]:
    """``(entity, name)`` from the store (the ``names`` query), of ``entities`` only if given."""
    if entities is None:
        yield from ((r["entity"].value, r["name"].value) for r in store.select(query_text("names")))
        return
    for i in range(0, len(entities), 500):
        values = " ".join(str(ox.NamedNode(e)) for e in entities[i:i + 500])  # written (escaped) by pyoxigraph
        query = query_text("names").replace("WHERE {", f"WHERE {{ VALUES ?entity {{ {values} }}", 1)
        yield from ((r["entity"].value, r["name"].value) for r in store.select(query))


# ---------------------------------------------------------------------------------
# The source files
# ---------------------------------------------------------------------------------

def source_files(graph_dir: str | Path, ontology_dir: str | Path | None) -> dict[str, Path]:
    """The files :func:`collabgraph.importers.linking.sources_store` reads, by path
    relative to ``graph_dir`` (the ontology under a key of its own).

    :raises SourceError: if ``graph_dir`` is not a directory.
    """
    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise SourceError(no_graph_directory(os.fsdecode(graph_dir)))
    files = {p.relative_to(graph_dir).as_posix(): p for p in sorted(graph_dir.rglob("*"))
             if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file()}
    files[_ONTOLOGY] = Path(ontology_dir or default_ontology()) / "collab.ttl"
    return files


def file_stamp(path: Path) -> tuple[int, int, int, int]:
    """What tells a file's writes apart without reading it: size, modification time, inode, change time."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns


def _unless_moved(path: Path, stamp: tuple[int, int, int, int], sha: str) -> str:
    """``sha`` if ``path`` still has the stamp it had before it was hashed and read, else
    no checksum: a file written meanwhile is read again by the next run, whatever it holds."""
    try:
        return sha if file_stamp(path) == stamp else ""
    except OSError:
        return ""


def _graph(rel: str) -> str:
    return "urn:collabgraph:source:" + ("ontology" if rel == _ONTOLOGY else "file:" + urllib.parse.quote(rel))


# ---------------------------------------------------------------------------------
# The folder
# ---------------------------------------------------------------------------------

def cache_root() -> Path:
    """Where ingest keeps what it read of graphs: ``$XDG_CACHE_HOME/collabgraph/ingest-names``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "collabgraph" / "ingest-names"


class _Unreadable(Exception):
    """A cache folder that cannot be used as it is (why: the message)."""


#: A graph's folder not used for this many days is removed (the next ingest into that graph makes it again).
UNUSED_DAYS = 30


def _prune(used: Path, days: int = UNUSED_DAYS) -> None:
    """Mark ``used`` as used now and remove the other graphs' folders not used for
    ``days`` days (a graph deleted or moved leaves its folder behind: a million
    triples keep some 300 MB). A folder some process holds is left alone."""
    lock = used / "lock"
    lock.touch()
    cutoff = time.time() - days * 86400
    for other in used.parent.iterdir():
        if other == used or not other.is_dir():
            continue
        try:
            if (other / "lock").stat().st_mtime >= cutoff:
                continue
            fd = os.open(other / "lock", os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            continue  # no lock file: not one of ours, or being made
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        try:
            shutil.rmtree(other, ignore_errors=True)
        finally:
            os.close(fd)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One process at a time brings a folder up to date (ingests of one graph
    already take turns under its lock; this covers any other caller)."""
    fd = os.open(folder / "lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _state(folder: Path) -> tuple[dict[str, tuple[int, int, int, int, str]], str] | None:
    """The published files and store of ``folder``, or ``None`` if it has none (or
    one of another version).

    :raises _Unreadable: for a table that does not read, or whose store is missing.
    """
    table = folder / _TABLE
    if not table.exists():
        return None
    try:
        conn = sqlite3.connect(table.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
            if meta.get("version") != _VERSION:
                return None
            files = {r[0]: tuple(r[1:]) for r in conn.execute("SELECT rel, size, mtime, ino, ctime, sha256 FROM files")}
            conn.execute("SELECT count(*) FROM names").fetchone()
            conn.execute("SELECT count(*) FROM fuzzy").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _Unreadable(f"{table}: {exc}") from None
    store = meta.get("store", "")
    if not store.startswith("store-") or not (folder / store / "CURRENT").is_file():
        raise _Unreadable(f"{folder / store}: the store it names is missing")
    return files, store  # type: ignore[return-value]


def open_cached(graph_dir: str | Path, ontology_dir: str | Path | None = None) -> tuple[NameTable, Store]:
    """The names and the store of ``graph_dir``'s source files as they are now,
    from the cache, brought up to date first: files whose size, times and inode
    are those recorded are taken as they are; any other file is compared by its
    SHA-256 and, if it differs (or was added, or removed), its named graph is
    replaced and the names of every entity it mentions (before or after) read
    again. Without a usable cache the whole graph is read once into a new one.

    :raises SourceError: if ``graph_dir`` is not a directory or a changed file does not parse.
    :raises OSError: if the cache folder cannot be made or written.
    """
    graph_dir = Path(graph_dir)
    files = source_files(graph_dir, ontology_dir)
    ident = hashlib.sha1(os.fsencode(graph_dir.resolve()) + b"\0" + os.fsencode(files[_ONTOLOGY].resolve()))
    folder = cache_root() / ident.hexdigest()[:20]
    folder.mkdir(parents=True, exist_ok=True)
    _prune(folder)
    with _locked(folder):
        try:
            state = _state(folder)
        except _Unreadable as exc:
            print(f"warning: the ingest cache {exc}; reading the graph again", file=sys.stderr)
            state = None
        stamps = {rel: file_stamp(p) for rel, p in files.items()}
        if state is None:
            store_name = _rebuild(folder, files, stamps)
        else:
            recorded, store_name = state
            changed: dict[str, str | None] = {}  # relative path -> SHA-256 now (None: removed)
            restamped = []
            for rel in sorted(set(recorded) | set(files)):
                old = recorded.get(rel)
                if old is not None and rel in files and old[:4] == stamps[rel]:
                    continue
                sha = file_sha256(files[rel]) if rel in files else None
                if old is not None and sha == old[4]:
                    restamped.append(rel)  # touched, same bytes: only its stamp is new
                else:
                    changed[rel] = sha
            if changed or restamped:
                store_name = _update(folder, store_name, files, stamps, changed, restamped)
        _sweep(folder, store_name)
    return NameTable.open(folder / _TABLE), Store.open_union(folder / store_name, read_only=True)


def _publish(folder: Path, tmp: Path) -> None:
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, folder / _TABLE)
    fsync_dir(folder)


def _rebuild(folder: Path, files: dict[str, Path], stamps: dict[str, tuple[int, int, int, int]]) -> str:
    """Read every file into a new store and table; publish them; the new store's name."""
    name = f"store-{uuid.uuid4().hex[:12]}"
    tmp = folder / f"{_TABLE}.{os.getpid()}.tmp"
    try:
        shas = {rel: file_sha256(p) for rel, p in files.items()}  # before reading: what was read is at least this new
        store = Store.open_union(folder / name, read_only=False)
        for rel, path in files.items():
            store.load_file(path, graph=_graph(rel), bulk=True)  # Oxigraph's bulk loader: a new store
        conn = sqlite3.connect(tmp)
        conn.executescript(_SCHEMA)
        _insert(conn, name_rows(store))
        store.close()
        conn.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)",
                         [(rel, *stamps[rel], _unless_moved(files[rel], stamps[rel], sha)) for rel, sha in shas.items()])
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [("version", _VERSION), ("store", name)])
        conn.commit()
        conn.close()
        _publish(folder, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(folder / name, ignore_errors=True)
        raise
    return name


#: The IRIs one graph mentions, and whether it states a class hierarchy or types a blank node.
_MENTIONED = "SELECT DISTINCT ?t WHERE { { ?t ?p ?o } UNION { ?s ?p ?t } FILTER isIRI(?t) }"
_WIDE = "ASK { { ?c rdfs:subClassOf ?d } UNION { ?b a ?t FILTER isBlank(?b) } }"


def _touched(store: Store, rel: str) -> tuple[set[str], bool]:
    """The IRIs the graph of ``rel`` mentions (subjects and objects), and whether it could
    change the names of entities it does not mention (a class hierarchy, a typed blank node)."""
    graphs = [_graph(rel)]
    return ({r["t"].value for r in store.query(_MENTIONED, graphs=graphs)},
            bool(store.query(_WIDE, graphs=graphs)))


def _update(folder: Path, current: str, files: dict[str, Path], stamps: dict[str, tuple[int, int, int, int]],
            changed: dict[str, str | None], restamped: list[str]) -> str:
    """Bring the published state up to date on copies, then publish them; the store's name."""
    name = current
    tmp = folder / f"{_TABLE}.{os.getpid()}.tmp"
    shutil.copyfile(folder / _TABLE, tmp)
    try:
        conn = sqlite3.connect(tmp)
        if changed:
            name = f"store-{uuid.uuid4().hex[:12]}"
            old = Store.open_union(folder / current, read_only=True)
            old.backup(folder / name)
            old.close()
            store = Store.open_union(folder / name, read_only=False)
            touched: set[str] = set()
            wide = False
            for rel in changed:
                iris, w = _touched(store, rel)
                store.remove_graph(_graph(rel))
                if rel in files:
                    store.load_file(files[rel], graph=_graph(rel))
                    more, w2 = _touched(store, rel)
                    iris, w = iris | more, w or w2
                touched |= iris
                wide = wide or w
            if wide:
                conn.executescript("DELETE FROM names; DELETE FROM fuzzy;")
                _insert(conn, name_rows(store))
            else:
                entities = sorted(touched)
                conn.executemany("DELETE FROM names WHERE entity = ?", ((e,) for e in entities))
                conn.executemany("DELETE FROM fuzzy WHERE entity = ?", ((e,) for e in entities))
                _insert(conn, name_rows(store, entities))
            store.close()
            conn.executemany("DELETE FROM files WHERE rel = ?", ((rel,) for rel in changed))
            conn.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)",
                             [(rel, *stamps[rel], _unless_moved(files[rel], stamps[rel], sha))
                              for rel, sha in changed.items() if sha is not None])
            conn.execute("UPDATE meta SET value = ? WHERE name = 'store'", (name,))
        for rel in restamped:
            conn.execute("UPDATE files SET size = ?, mtime = ?, ino = ?, ctime = ? WHERE rel = ?", (*stamps[rel], rel))
        conn.commit()
        conn.close()
        _publish(folder, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        if name != current:
            shutil.rmtree(folder / name, ignore_errors=True)
        raise
    return name


def _sweep(folder: Path, keep: str) -> None:
    """Remove stores and temporary tables the published table does not name (left by
    an earlier update, or by a process that died mid-way)."""
    for p in folder.iterdir():
        if p.name.startswith("store-") and p.name != keep:
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(_TABLE + ".") and p.name.endswith(".tmp"):
            p.unlink(missing_ok=True)
