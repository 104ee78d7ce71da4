"""A build's sources and its report: the source files of a graph folder and their named graphs,
what a build reports, progress and timing, and the build it replaces."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..core.errors import SourceError
from ..core.formats import SOURCE_SUFFIXES
from ..core.namespaces import GRAPH
from ..core.layout import MANIFEST, STORE_DIR, WRITTEN_BY_SERVER
from ..store.local import Store


SHAPES_GRAPH = str(GRAPH["shapes"])

#: ``progress(stage, done, total)``: called as a build advances. ``stage`` is a
#: short label ("load", "validate", ...); ``total`` is 0 for steps with no count.
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass
class SourceFile:
    """One file of ``graph/`` and the named graph it went to."""

    file: str
    graph: str
    sha256: str
    triples: int = 0
    reused: bool = False


@dataclass
class BuildReport:
    """What a build or validation did."""

    sources: list[SourceFile]
    triples: int
    inferred: int
    seconds: float
    out: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    #: What the checks could not check (sources with no local copy), one line each.
    notes: list[str] = field(default_factory=list)
    #: How many quotes were found verbatim in a local copy of their source.
    quotes_checked: int = 0
    #: Facts whose quotes do not name both sides or give the value (errors under ``strict``).
    warnings: list[str] = field(default_factory=list)
    #: Whose quotes were read: ``"all"`` sources, or only those the ``"changed"`` files declare or cite
    #: (an incremental build; the others' notes are carried from the build before).
    quotes_scope: str = "all"
    #: The sources whose local copy the checks read: CURIE -> how many of their quotes were found in it.
    quotes_read: dict[str, int] = field(default_factory=dict)

    @property
    def reused(self) -> int:
        """How many source files were copied from the previous build, not parsed."""
        return sum(s.reused for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def source_files(graph_dir: str | Path, *, allow_outside: bool = False) -> list[Path]:
    """The RDF files of a source directory (recursively), sorted.

    A file that resolves outside the directory (a symbolic link to
    ``/etc/passwd``, or into a linked folder elsewhere) is refused before
    anything reads it, unless ``allow_outside``.

    :raises SourceError: if the directory does not exist or holds no RDF
        file, or for the first file that resolves outside it (one line).
    """
    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise SourceError(f"{graph_dir}: no such source directory; run where graph/ is, or name it with --graph DIR")
    files = sorted(p for p in graph_dir.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file())
    if not files:
        raise SourceError(f"{graph_dir}: no RDF files ({', '.join(sorted(SOURCE_SUFFIXES))})")
    if not allow_outside:
        root = graph_dir.resolve()
        for p in files:
            if not p.resolve().is_relative_to(root):
                raise SourceError(f"{shown_path(p)}: resolves to {os.fsdecode(p.resolve())}, outside the graph "
                                  f"directory; not read (--allow-outside reads such files)")
    return files


#: Characters kept as they are in the path part of a graph IRI (RFC 3987):
#: the unreserved ones, the sub-delimiters, ":", "@" and "/".
_IRI_PATH_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/")


def graph_iri(graph_dir: str | Path, path: str | Path) -> str:
    """The named graph a source file goes to: ``graph:file/`` and the file's
    path below ``graph_dir``. Letters and digits of any script stay as they
    are; a space, ``%``, ``#``, controls and bytes that are not UTF-8 are
    percent-encoded, so every file name gives a valid IRI.

    >>> graph_iri("graph", "graph/my file #2.ttl")
    'https://w3id.org/collabgraph/graph/file/my%20file%20%232.ttl'
    >>> graph_iri("graph", "graph/ko/교포머리.ttl")
    'https://w3id.org/collabgraph/graph/file/ko/교포머리.ttl'
    """
    rel = Path(path).relative_to(graph_dir).as_posix()
    return str(GRAPH["file/" + "".join(_iri_char(ch) for ch in rel)])


def _iri_char(ch: str) -> str:
    if ch in _IRI_PATH_SAFE or (ch.isalnum() and not "\ud800" <= ch <= "\udfff"):
        return ch
    return "".join(f"%{b:02X}" for b in os.fsencode(ch))


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def shown_path(path: Path) -> str:
    """A path as people typed it: relative to the working directory when inside it.
    Bytes of a file name that are not UTF-8 are written as ``\\xNN``."""
    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    return os.fsencode(shown).decode("utf-8", "backslashreplace")


class Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round(self.timings.get(stage, 0.0) + now - self._t, 3)
        self._t = now


class Previous:
    """The previous build at the destination, if its ontology is unchanged:
    its unchanged source graphs can be copied instead of parsed."""

    def __init__(self, store: Store, manifest: dict[str, Any]):
        self.store = store
        self.files = {(s["graph"], s["sha256"]) for s in manifest.get("sources", [])}

    def has(self, sf: SourceFile) -> bool:
        return (sf.graph, sf.sha256) in self.files

    @classmethod
    def open(cls, out: Path, ontology_hashes: dict[str, str]) -> "Previous | None":
        try:
            manifest = load_manifest(out)
            if manifest.get("ontology_sha256") != ontology_hashes or (out / WRITTEN_BY_SERVER).exists():
                return None
            return cls(Store.open(out / STORE_DIR, read_only=True), manifest)
        except (OSError, ValueError, KeyError):
            return None


def collabgraph_version() -> str:
    from ..core.version import __version__

    return __version__


def load_manifest(build_dir: Path) -> dict[str, Any]:
    return json.loads((build_dir / MANIFEST).read_text("utf-8"))
