"""Build: sources -> load -> validate (SHACL) -> infer -> persistent store.

The graph is compiled in memory, where Oxigraph's queries run several times
faster than on disk (a 1M-triple build: 34 s this way, 85 s on disk).
Meanwhile the source files are bulk-loaded into the on-disk store by a
background thread (:class:`_EarlyWriter`); the graphs only the compile makes
are written at the end. The whole build goes to a new generation directory
and is switched in, by one atomic rename, only when every step succeeded
(see :mod:`collabgraph.store.generations`): a failed or killed build leaves the
previous one untouched, and a second build into the same directory is refused.

Rebuilds are incremental: a source file whose SHA-256 matches the previous
build's manifest is copied from the previous store instead of being parsed
again. Validation and inference always see the whole graph, because files
refer to each other's entities.

Layout of a build (``build/current/``, i.e. ``build/gen-<n>/``, with links
at the top of ``build/`` to each of its files; see :mod:`collabgraph.store.generations`)::

    build/gen-<n>/
      store/          the Oxigraph store (one named graph per source file,
                      plus graph:ontology, graph:shapes and graph:inferred)
      manifest.json   what went in: files, hashes, graphs, triple counts
      summary.json    what came out: entities by type, facts, sources
      cache/          the name index and NetworkX projections, made from this store only
      explorer.html   the explorer page for the whole graph, made by ``serve`` on first use
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import itertools
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from collections.abc import Iterable
from typing import Any, Callable

import pyoxigraph as ox

from ..core.durable import output_file, reading
from ..core.errors import SourceError, ValidationError
from ..core.formats import SOURCE_SUFFIXES, rdf_format_for_path
from ..store.generations import BuildLock, checkpoint, current_build, is_build_dir, new_generation, publish
from ..core.namespaces import CG, GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from ..core.packaged import default_ontology
from ..core.layout import CACHE_DIR, EXPLORER, MANIFEST, STORE_DIR, SUMMARY, WRITTEN_BY_SERVER
from ..core.queries import rule_construct, rule_texts
from ..core.sparqltext import where_brace
from ..store.local import Store

__all__ = ["BuildReport", "SourceFile", "Progress", "build", "validate", "compile_into",
           "source_files", "graph_iri", "default_ontology", "current_build", "SHAPES_GRAPH", "MANIFEST", "SUMMARY", "STORE_DIR", "CACHE_DIR", "EXPLORER"]

SHAPES_GRAPH = str(GRAPH["shapes"])

#: ``progress(stage, done, total)``: called as a build advances. ``stage`` is a
#: short label ("load", "validate", ...); ``total`` is 0 for steps with no count.
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
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
                raise SourceError(f"{_shown(p)}: resolves to {os.fsdecode(p.resolve())}, outside the graph "
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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _shown(path: Path) -> str:
    """A path as people typed it: relative to the working directory when inside it.
    Bytes of a file name that are not UTF-8 are written as ``\\xNN``."""
    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    return os.fsencode(shown).decode("utf-8", "backslashreplace")


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round(self.timings.get(stage, 0.0) + now - self._t, 3)
        self._t = now


def compile_into(store: Store, graph_dir: str | Path, ontology_dir: str | Path | None = None, *,
                 infer: bool = True, engine: str = "sparql", previous: "_Previous | None" = None,
                 progress: Progress = _no_progress, clock: _Clock | None = None,
                 notes: list[str] | None = None, counts: dict[str, int] | None = None,
                 allow_outside: bool = False,
                 overlay: dict[Path, Path | None] | None = None,
                 strict: bool = False, warnings: list[str] | None = None) -> tuple[list[SourceFile], int]:
    """Load, validate (with the SHACL ``engine``, see :mod:`collabgraph.store.validation`,
    and the quotes against local copies of their sources, see
    :mod:`collabgraph.store.quotes`) and, unless ``infer`` is false, infer into ``store``.
    What could not be checked is appended to ``notes``; ``counts["quotes"]``
    is set to the number of quotes checked against a local copy. Files and
    ``cg:localPath`` copies outside the graph directory (and its sources
    folders, see :func:`collabgraph.store.quotes.allowed_roots`) are refused unless
    ``allow_outside``.

    ``overlay`` validates the graph as a writer is about to change it
    (:attr:`collabgraph.core.durable.Changes.overlay`: a file's path -> the staged
    file with its new content, or ``None`` if it goes); each staged file is
    read as if it were at its path (its graph, the paths its ``cg:localPath``
    is relative to), so nothing is moved into ``graph/`` before it validates.

    ``strict``: quotes that cannot be checked (no local copy) and quotes that
    do not state their fact fail (see :func:`collabgraph.store.quotes.check_quotes`);
    otherwise they are appended to ``notes`` and ``warnings``.

    :returns: the source files loaded and the number of inferred triples.
    :raises SourceError: for a missing directory or file.
    :raises SourceSyntaxError: for a file that does not parse (file:line:column).
    :raises ValidationError: listing every SHACL problem and every quote not in its source.
    """
    clock = clock or _Clock()
    graph_dir, ontology_dir = Path(graph_dir), Path(ontology_dir or default_ontology())
    ontology_file, shapes_file = ontology_dir / "collab.ttl", ontology_dir / "shapes.ttl"
    for f in (ontology_file, shapes_file):
        if not f.is_file():
            raise SourceError(f"{f}: missing ontology file")

    staged = {Path(p).absolute(): s for p, s in (overlay or {}).items()}
    loaded: list[SourceFile] = []
    path_of_graph: dict[str, Path] = {}
    # The files as one state: no writer of graph/ renames any while they are read (collabgraph.core.durable).
    with reading(graph_dir):
        files = _with_overlay(graph_dir, source_files(graph_dir, allow_outside=allow_outside) if not staged
                              else _source_files_or_none(graph_dir, allow_outside), staged)
        if not files:
            source_files(graph_dir, allow_outside=allow_outside)  # raises: no RDF files
        for i, path in enumerate(files):
            content = staged.get(path.absolute()) or path
            sf = SourceFile(_shown(path), graph_iri(graph_dir, path), _sha256(content))
            if previous is not None and previous.has(sf):
                sf.triples, sf.reused = store.copy_graph_from(previous.store, sf.graph), True
            else:
                sf.triples = store.load_file(content, graph=sf.graph, display_path=sf.file, format_of=path)
                if not sf.triples and notes is not None:
                    notes.append(f"{sf.file}: states no triples (an empty file?); nothing was loaded from it")
            loaded.append(sf)
            path_of_graph[sf.graph] = path
            progress("load", i + 1, len(files))
    store.load_file(ontology_file, graph=str(ONTOLOGY_GRAPH), display_path=_shown(ontology_file))
    clock.lap("load")

    from ..store.validation import shacl_problems

    # The rules' read-only half runs in another thread while validation
    # reads; both only read, so the store stays exactly the sources and the
    # ontology, which lets Oxigraph use its fast union default graph.
    conclusions = _Pending(lambda: _conclusions(store)) if infer else None
    progress("validate", 0, 0)
    try:
        problems = shacl_problems(store, data_graphs=[s.graph for s in loaded],
                                  ontology_graph=str(ONTOLOGY_GRAPH), shapes_path=shapes_file,
                                  file_of_graph={s.graph: s.file for s in loaded}, engine=engine)
        from ..store.quotes import allowed_roots, check_quotes

        quotes = check_quotes(store, file_of_graph={s.graph: s.file for s in loaded},
                              path_of_graph=path_of_graph,
                              roots=None if allow_outside else allowed_roots(graph_dir), strict=strict)
    finally:
        if conclusions is not None:
            conclusions.wait()  # nothing writes the store while the rules read it
    if notes is not None:
        notes.extend(quotes.notes)
    if warnings is not None:
        warnings.extend(quotes.warnings)
    if counts is not None:
        counts["quotes"] = quotes.checked
    problems = [*problems, *quotes.problems]
    clock.lap("validate")
    if problems:
        raise ValidationError(problems)
    store.load_file(shapes_file, graph=SHAPES_GRAPH, display_path=_shown(shapes_file))
    inferred = 0
    if conclusions is not None:
        progress("infer", 0, 0)
        inferred = _add_conclusions(store, conclusions.result())
        clock.lap("infer")  # what validation did not hide
    return loaded, inferred


def _source_files_or_none(graph_dir: Path, allow_outside: bool = False) -> list[Path]:
    try:
        return source_files(graph_dir, allow_outside=allow_outside)
    except SourceError:
        if not Path(graph_dir).is_dir():
            raise
        return []


def _with_overlay(graph_dir: Path, files: list[Path], staged: dict[Path, Path | None]) -> list[Path]:
    """``files`` as a writer's staged changes will leave them (sorted as :func:`source_files` sorts)."""
    if not staged:
        return files
    out = {f.absolute(): f for f in files}
    root = graph_dir.absolute()
    for target, content in staged.items():
        if content is None:
            out.pop(target, None)
        elif target.suffix.lower() in SOURCE_SUFFIXES:
            out[target] = graph_dir / target.relative_to(root)
    return sorted(out.values())


def _conclusions(store: Store) -> tuple[bytes, list[str]]:
    """What the rules derive, as N-Triples, by read-only CONSTRUCT queries
    (serialised inside Oxigraph, with the GIL released), so it can run while
    validation reads the same store; and the rules not of that form, to run
    as updates afterwards. No rule reads ``graph:inferred``, so running them
    together gives what running them in turn does (a test compares)."""
    import pyoxigraph as ox

    data, updates = [], []
    for _name, text in rule_texts():
        construct = rule_construct(text)
        if construct is None:
            updates.append(text)
        else:
            data.append(store.query(construct).serialize(format=ox.RdfFormat.N_TRIPLES))
    return b"".join(data), updates


def _add_conclusions(store: Store, conclusions: tuple[bytes, list[str]]) -> int:
    """Put what :func:`_conclusions` derived into ``graph:inferred`` (made
    anew) and return its size. (Lookup keys for names are not data: they
    live in the build's name index, see :mod:`collabgraph.views.nameindex`.)"""
    inferred = str(INFERRED_GRAPH)
    store.clear_graph(inferred)
    data, updates = conclusions
    store.load_data(data, "ntriples", graph=inferred)
    for text in updates:
        store.update(text)
    return store.count(inferred)


def validate(graph_dir: str | Path = "graph", ontology_dir: str | Path | None = None, *,
             engine: str = "sparql", allow_outside: bool = False,
             overlay: dict[Path, Path | None] | None = None, strict: bool = False) -> BuildReport:
    """Run every check of a build (parse, SHACL, quotes) without writing anything.

    >>> report = validate(GRAPH_DIR, ONTOLOGY_DIR)
    >>> report.triples > 500, report.inferred
    (True, 0)

    ``overlay``: validate the graph as staged changes will leave it (see :func:`compile_into`).
    ``strict``: a source whose quotes cannot be checked against a local copy,
    and a quote that does not state its fact, are problems (by default, notes
    and warnings of the report).

    :raises SourceSyntaxError: for a file that does not parse.
    :raises ValidationError: listing every SHACL problem.
    """
    clock = _Clock()
    started = time.perf_counter()
    notes: list[str] = []
    counts: dict[str, int] = {}
    warnings: list[str] = []
    loaded, _ = compile_into(Store.memory(), graph_dir, ontology_dir, infer=False, engine=engine, clock=clock,
                             notes=notes, counts=counts, allow_outside=allow_outside, overlay=overlay,
                             strict=strict, warnings=warnings)
    return BuildReport(loaded, sum(s.triples for s in loaded), 0, time.perf_counter() - started,
                       timings=clock.timings, notes=notes, quotes_checked=counts.get("quotes", 0),
                       warnings=warnings)


class _Previous:
    """The previous build at the destination, if its ontology is unchanged:
    its unchanged source graphs can be copied instead of parsed."""

    def __init__(self, store: Store, manifest: dict[str, Any]):
        self.store = store
        self.files = {(s["graph"], s["sha256"]) for s in manifest.get("sources", [])}

    def has(self, sf: SourceFile) -> bool:
        return (sf.graph, sf.sha256) in self.files

    @classmethod
    def open(cls, out: Path, ontology_hashes: dict[str, str]) -> "_Previous | None":
        try:
            manifest = load_manifest(out)
            if manifest.get("ontology_sha256") != ontology_hashes or (out / WRITTEN_BY_SERVER).exists():
                return None
            return cls(Store.open(out / STORE_DIR, read_only=True), manifest)
        except (OSError, ValueError, KeyError):
            return None


def build(graph_dir: str | Path = "graph", ontology_dir: str | Path | None = None,
          out: str | Path = "build", *, incremental: bool = True,
          progress: Progress = _no_progress, endpoint: str | None = None,
          update_endpoint: str | None = None, allow_outside: bool = False, strict: bool = False,
          upload_method: str = "auto") -> BuildReport:
    """Build the sources into a persistent store at ``out``, or, with
    ``endpoint``, into a SPARQL server (``out`` then keeps the manifest, the
    summary, the caches and the explorer page; see :mod:`collabgraph.store.remote`).

    Everything is written to a new generation directory in ``out`` and made
    current at the end by one atomic rename (see :mod:`collabgraph.store.generations`):
    if any step fails, or the process is killed, ``out`` keeps the previous
    build. With ``incremental``, files unchanged since the previous build at
    ``out`` are copied from it rather than parsed.

    ``strict``: the checks of ``validate(strict=True)`` (:func:`compile_into`): a
    source whose quotes cannot be checked against a local copy, or a quote that
    does not name both sides of its fact or give its value, fails the build
    (which then leaves ``out`` as it was); by default they are the report's
    ``notes`` and ``warnings``.

    ``upload_method``: how graphs go to ``endpoint`` (:func:`collabgraph.store.remote.upload_method`):
    ``auto`` (the server's bulk path when it is Oxigraph server or Virtuoso),
    ``oxigraph``, ``graph-store`` or ``sparql-update``.

    :raises SourceError, SourceSyntaxError, ValidationError: as :func:`compile_into`.
    :raises StoreBusy: if another build is writing into ``out``.
    """
    from ..store.snapshot import write_snapshot
    from ..views.projections import save_cache
    from ..views.reader import Reader
    from ..views.summary import summary as summarise
    from ..views.toppairs import save_top_pairs

    started = time.perf_counter()
    clock = _Clock()
    out = Path(out)
    if not endpoint and re.search("[\ud800-\udfff]", str(out.absolute())):
        raise SourceError(f"{_shown(out)}: Oxigraph keeps its store only at a path that is UTF-8 text; "
                          "choose another --out")
    output_file(out)  # the build directory is made, in a directory that exists (durable.output_file)
    _check_replaceable(out)
    lock = BuildLock(out, _shown(out))
    try:
        _check_replaceable(out)
        tmp = new_generation(out)
    except BaseException:
        lock.release(remove_if_empty=True)
        raise
    previous: _Previous | None = None
    early: _EarlyWriter | None = None
    writer: _Pending | None = None
    snapshot: _Pending | None = None
    try:
        checkpoint("locked")
        ontology_dir = Path(ontology_dir or default_ontology())
        ontology_hashes = {name: _sha256(ontology_dir / name) for name in ("collab.ttl", "shapes.ttl")
                           if (ontology_dir / name).is_file()}
        before = current_build(out)
        previous = _Previous.open(before, ontology_hashes) if incremental and not endpoint else None
        if previous is not None:
            report = _incremental(before, out, tmp, Path(graph_dir), ontology_dir, previous.store,
                                  progress=progress, clock=clock, started=started, allow_outside=allow_outside,
                                  strict=strict)
            if report is not None:
                previous.store.close()
                previous = None
                checkpoint("written")
                publish(tmp, out)
                lock.release()
                return report
            shutil.rmtree(tmp)  # a full build after all, into the same fresh generation
            tmp.mkdir()
        if not endpoint:
            early = _EarlyWriter(tmp / STORE_DIR, graph_dir, previous, allow_outside=allow_outside)
        memory = Store.memory()
        notes: list[str] = []
        warnings: list[str] = []
        counts: dict[str, int] = {}
        loaded, inferred = compile_into(memory, graph_dir, ontology_dir, previous=previous,
                                        progress=progress, clock=clock, notes=notes, counts=counts,
                                        allow_outside=allow_outside, strict=strict, warnings=warnings)
        if previous is not None:
            previous.store.close()
            previous = None
        total = memory.count()
        manifest = {
            "collabgraph": _version(),
            "built_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "graph_dir": _shown(Path(graph_dir)),
            "ontology_dir": _shown(ontology_dir),
            "ontology_sha256": ontology_hashes,
            "rules_sha256": _rules_hash(),
            "sources": [asdict(s) for s in loaded],
            "triples": total,
            "inferred": inferred,
        }
        progress("summarise", 0, 0)
        if not endpoint:  # the store and the snapshot are written while the summary and the caches are made
            writer = early.finish_in_background(memory, {sf.graph: sf.sha256 for sf in loaded})
            early = None
            snapshot = _Pending(lambda store=memory: write_snapshot(store, tmp))  # see collabgraph.store.snapshot
        reader = Reader(memory)
        summary = summarise(reader, manifest)
        save_cache(reader, tmp / CACHE_DIR)
        save_top_pairs(memory, tmp / CACHE_DIR)  # top-collaborations from counts made once (views.toppairs)
        clock.lap("summarise")
        progress("write", 0, 0)
        if endpoint:
            from ..store.remote import RemoteStore, upload

            remote = RemoteStore(endpoint, update_endpoint or endpoint)
            unchanged = _uploaded_before(out, before, remote.endpoint, loaded)
            if unchanged is not None:  # until published: see _uploaded_before
                (out / UPLOADING).write_text(remote.endpoint + "\n", "utf-8")
            upload(memory, remote, progress=progress, unchanged=unchanged or set(), method=upload_method)
            manifest.update(endpoint=remote.endpoint, update_endpoint=remote.update_endpoint)  # no credentials
        else:
            snapshot.result()
            snapshot = None
            store, writer = writer.result(), None
            store.close()
        del memory, reader
        clock.lap("write")
        manifest["timings"] = clock.timings
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
        (tmp / SUMMARY).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", "utf-8")
        checkpoint("written")
        publish(tmp, out)
        (out / UPLOADING).unlink(missing_ok=True)
    except BaseException:
        if early is not None:
            early.abandon()
        if writer is not None:
            writer.wait()
        if snapshot is not None:
            snapshot.wait()
        if previous is not None:
            previous.store.close()
        shutil.rmtree(tmp, ignore_errors=True)
        lock.release(remove_if_empty=True)
        raise
    lock.release()
    return BuildReport(loaded, total, inferred, time.perf_counter() - started, str(out), summary,
                       clock.timings, notes, counts.get("quotes", 0), warnings)


#: Written in the build directory while a build uploads to a server, removed
#: once it is published: if it is there, an upload failed half-way and the
#: server's graphs are no longer those the current build's manifest describes.
UPLOADING = ".uploading"


def _uploaded_before(out: Path, before: Path, endpoint: str | None, loaded: list["SourceFile"]) -> set[str] | None:
    """The graphs of source files unchanged since the current build uploaded
    them to ``endpoint`` (same SHA-256): a new upload may leave them in place.
    None when there is no current build or it used another store; none when
    an upload failed since."""
    try:
        manifest = json.loads((before / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("endpoint") != endpoint:
        return None
    if (out / UPLOADING).exists():
        return set()
    sent = {s.get("graph"): s.get("sha256") for s in manifest.get("sources", []) if isinstance(s, dict)}
    return {sf.graph for sf in loaded if sent.get(sf.graph) == sf.sha256}


#: An incremental build is made when the changed and removed files hold at
#: most this share of the sources; past it a full build is as fast.
INCREMENTAL_SHARE = 0.1
_ANCHORS = [str(CG[p]) for p in ("agent", "work", "about", "member", "group")]
_RULE_OBJECTS = {*_ANCHORS, str(CG["value"])}


def _incremental(prev: Path, out: Path, tmp: Path, graph_dir: Path, ontology_dir: Path, before: Store, *,
                 progress: Progress, clock: _Clock, started: float,
                 allow_outside: bool = False, strict: bool = False) -> BuildReport | None:
    """Rebuild the build ``prev`` (the generation current at ``out``) into the
    new generation ``tmp`` from a copy of its store, touching only what
    changed: the changed files are parsed into it; SHACL checks the focus nodes
    the change can reach (subjects and objects of the triples added or removed,
    and the nodes pointing at one whose type changed); the inference rules
    re-derive the triples about the entities the changed facts name; the
    summary and the name index are corrected for those nodes only. Returns
    ``None`` (and writes nothing to ``out``) when a full build is the better
    way: too much changed, or blank nodes among the things rules derive from.
    The result is the store a full build makes (``tests/test_incremental.py``)."""
    from ..store.quotes import allowed_roots, check_quotes
    from ..store.snapshot import link_snapshot
    from ..store.validation import shacl_problems
    from ..views.nameindex import NAME_INDEX, update_names
    from ..views.summary import graph_name, summary_update

    manifest = load_manifest(prev)
    previous_summary = json.loads((prev / SUMMARY).read_text("utf-8"))
    before_sources = {s["graph"]: s for s in manifest["sources"]}
    files = source_files(graph_dir, allow_outside=allow_outside)
    current = [SourceFile(_shown(p), graph_iri(graph_dir, p), _sha256(p)) for p in files]
    path_of_graph = {sf.graph: p for sf, p in zip(current, files)}
    changed = [sf for sf in current if before_sources.get(sf.graph, {}).get("sha256") != sf.sha256]
    removed = [g for g in before_sources if g not in path_of_graph]
    changed_bytes = sum(path_of_graph[sf.graph].stat().st_size for sf in changed)
    removed_triples = sum(before_sources[g]["triples"] for g in removed)
    if (manifest.get("rules_sha256") != _rules_hash()  # derived by other rules (another version)
            or changed_bytes > INCREMENTAL_SHARE * sum(p.stat().st_size for p in files)
            or removed_triples > INCREMENTAL_SHARE * max(manifest.get("triples", 0), 1)
            or not (prev / CACHE_DIR / NAME_INDEX).is_file()
            or any(rdf_format_for_path(Path(f)).datasets  # their own named graphs: not one graph per file
                   for f in [sf.file for sf in changed] + [before_sources[g]["file"] for g in removed])):
        return None
    store: Store | None = None
    try:
        before.backup(tmp / STORE_DIR)
        store = Store.open(tmp / STORE_DIR, read_only=False)
        touched = [sf.graph for sf in changed if sf.graph in before_sources] + removed
        old = [q for g in touched for q in before.quads(g)]
        for g in touched:
            store.clear_graph(g) if g not in removed else store.remove_graph(g)
        for i, sf in enumerate(changed):
            sf.triples = store.load_file(path_of_graph[sf.graph], graph=sf.graph, display_path=sf.file)
            progress("load", i + 1, len(changed))
        for sf in current:
            if sf not in changed:
                sf.triples, sf.reused = before_sources[sf.graph]["triples"], True
        new = [q for sf in changed for q in store.quads(sf.graph)]
        if any(q.predicate.value in _RULE_OBJECTS and isinstance(q.object, ox.BlankNode) for q in old + new):
            return None  # a blank entity: which derived triples it is in cannot be asked by name
        clock.lap("load")

        progress("validate", 0, 0)
        # Subjects and objects, but not classes (the objects of rdf:type): a class
        # is no focus node of the data, and everything points at it.
        iris = {t.value for q in old + new for t in (q.subject, q.object)
                if isinstance(t, ox.NamedNode) and not (t is q.object and q.predicate == _RDF_TYPE)}
        typed = {q.subject.value for q in old + new if q.predicate == _RDF_TYPE and isinstance(q.subject, ox.NamedNode)}
        if typed:  # a value's type decides sh:class checks of the nodes pointing at it
            iris |= {r["x"].value for r in store.select(
                f"SELECT DISTINCT ?x WHERE {{ {_values('s', typed)} ?x ?p ?s FILTER (isIRI(?x)) }}")}
        focus = iris | {q.subject.value for q in new if isinstance(q.subject, ox.BlankNode)}
        file_of_graph = {sf.graph: sf.file for sf in current}
        shapes_file = ontology_dir / "shapes.ttl"
        nearby = _neighbourhood(store, iris, new, [sf.graph for sf in current], _inverse_paths(shapes_file))
        problems = shacl_problems(nearby, data_graphs=[g for g in nearby.graphs() if g != str(ONTOLOGY_GRAPH)],
                                  ontology_graph=str(ONTOLOGY_GRAPH), shapes_path=shapes_file,
                                  file_of_graph=file_of_graph, only=focus)
        quotes = check_quotes(store, file_of_graph=file_of_graph, path_of_graph=path_of_graph,
                              roots=None if allow_outside else allowed_roots(graph_dir), strict=strict)
        problems = [*problems, *quotes.problems]
        clock.lap("validate")
        if problems:
            raise ValidationError(problems)

        progress("infer", 0, 0)
        anchors = set(iris)
        anchors |= {q.object.value for q in old + new if q.predicate.value in _ANCHORS}
        subjects = {q.subject.value for q in old + new if isinstance(q.subject, ox.NamedNode)}
        if subjects:
            ask = f"SELECT DISTINCT ?o WHERE {{ {_values('s', subjects)} ?s {_values_path()} ?o FILTER (isIRI(?o)) }}"
            for side in (before, store):
                anchors |= {r["o"].value for r in side.select(ask)}
        inferred = _reinfer(store, anchors)
        clock.lap("infer")

        progress("summarise", 0, 0)
        graphs_changed = [*touched, *(sf.graph for sf in changed)]
        # Blank nodes are local to a file: the ones of the changed files, on each side.
        keys = (f"{{ SELECT DISTINCT ?_k WHERE {{ {{ {_values('_k', anchors | subjects)} }} UNION "
                f"{{ {_values('_g', graphs_changed)} GRAPH ?_g {{ ?_k ?_p ?_o }} FILTER (isBlank(?_k)) }} }} }}")
        works = {q.object.value for q in old + new if q.predicate.value == str(CG["work"])}
        sources = iris | subjects
        files_by_graph = {sf.graph: sf.file for sf in current}
        redo = {sf.graph for sf in changed} | {str(INFERRED_GRAPH)}
        graphs = {}
        for g in store.graphs():
            name = graph_name(g, files_by_graph)
            kept = previous_summary["graphs"].get(name) if g not in redo else None
            graphs[name] = kept if kept is not None else inferred if g == str(INFERRED_GRAPH) else store.count(g)
        summary = summary_update(previous_summary, before, store, nodes=keys, works=_values("_k", works),
                                 sources=_values("_k", sources), graphs=graphs)
        (tmp / CACHE_DIR).mkdir()
        shutil.copyfile(prev / CACHE_DIR / NAME_INDEX, tmp / CACHE_DIR / NAME_INDEX)
        update_names(tmp / CACHE_DIR / NAME_INDEX, store, iris | subjects)
        clock.lap("summarise")
        progress("write", 0, 0)
        # The snapshot for memory mode: the previous one linked, plus what changed
        # (the inferred triples about the anchors were all the rules could change).
        link_snapshot(prev, tmp, store, dropped=touched + [sf.graph for sf in changed],
                      inferred_graph=str(INFERRED_GRAPH),
                      inferred_removed=before.quads_about(str(INFERRED_GRAPH), anchors),
                      inferred_added=store.quads_about(str(INFERRED_GRAPH), anchors))
        clock.lap("snapshot")
        store.close()
        store = None
        clock.lap("write")
    finally:
        if store is not None:
            store.close()
    manifest.update({
        "collabgraph": _version(),
        "built_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "graph_dir": _shown(graph_dir),
        "ontology_dir": _shown(ontology_dir),
        "sources": [asdict(s) for s in current],
        "rules_sha256": _rules_hash(),
        "triples": summary["triples"],
        "inferred": inferred,
        "incremental": {"changed": [sf.file for sf in changed], "removed": [before_sources[g]["file"] for g in removed]},
        "timings": clock.timings,
    })
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    (tmp / SUMMARY).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return BuildReport(current, summary["triples"], inferred, time.perf_counter() - started, str(out), summary,
                       clock.timings, quotes.notes, quotes.checked, quotes.warnings)


def _inverse_paths(shapes_file: Path) -> set[str]:
    """The properties the shapes follow backwards (``sh:inversePath``)."""
    from rdflib import Graph

    from ..core.namespaces import SH

    return {str(p) for p in Graph().parse(shapes_file, format="turtle").objects(None, SH.inversePath)}


def _neighbourhood(store: Store, iris: set[str], new: list[ox.Quad], sources: list[str],
                   inverse: set[str]) -> Store:
    """An in-memory store with what the shapes can look at for the focus
    nodes ``iris`` and the blank subjects of ``new``: their triples, the
    triples pointing at them by an ``inverse`` path, the triples of every node at the
    other end (its types, for sh:class and sh:node), and the ontology; each
    triple in its own graph, so problems name the right file. Blank nodes keep
    their identifiers, since the triples are copied as terms."""
    scope = {*sources, str(ONTOLOGY_GRAPH)}
    quads: set[ox.Quad] = {q for q in new}
    if iris:
        pointing = f"{_values('o', iris)} {_values('p', inverse)}" if inverse else None
        for values in (_values("s", iris), pointing):
            if values:
                quads |= {ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in store.select(
                    f"SELECT ?s ?p ?o ?g WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}")}
    quads = {q for q in quads if q.graph_name.value in scope}
    ends = {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)} - iris
    if ends:
        quads |= {q for q in (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in store.select(
            f"SELECT ?s ?p ?o ?g WHERE {{ {_values('s', ends)} GRAPH ?g {{ ?s ?p ?o }} }}"))
            if q.graph_name.value in scope}
    known = {q.subject for q in quads}
    for g in {q.graph_name.value for q in quads if isinstance(q.object, ox.BlankNode) and q.object not in known}:
        quads.update(store.quads(g))  # a blank value: its triples are in its file
    nearby = Store.memory()
    nearby._store.extend(quads)
    nearby._store.extend(store.quads(str(ONTOLOGY_GRAPH)))
    return nearby


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _rules_hash() -> str:
    """SHA-256 of the inference rules, in order: a build made with other rules
    is not extended incrementally."""
    h = hashlib.sha256()
    for name, text in rule_texts():
        h.update(f"{name}\n{text}\n".encode("utf-8"))
    return h.hexdigest()


def _values(var: str, iris) -> str:
    """``VALUES ?var { ... }`` of IRIs, each written (escaped) by pyoxigraph."""
    return f"VALUES ?{var} {{ {' '.join(str(ox.NamedNode(i)) for i in sorted(iris))} }}"


def _values_path() -> str:
    return "(" + "|".join(str(ox.NamedNode(p)) for p in _ANCHORS) + ")"


def _anchor_variables(head: str) -> list[str]:
    """The variables a rule is re-run with bound to the anchors: those its
    ``# anchors: ?a ?b`` comment names (a rule whose template also holds
    computed values, such as a marked statement's IRI or its reason, which
    must not be bound to entities), else every variable of its template.

    >>> _anchor_variables("# anchors: ?agent ?work\\nINSERT { GRAPH graph:inferred { ?st rdf:subject ?agent } }")
    ['agent', 'work']
    >>> _anchor_variables("INSERT { GRAPH graph:inferred { ?agent cg:creditedOn ?work } }")
    ['agent', 'work']
    """
    declared = re.search(r"^#\s*anchors:\s*(.*)$", head, re.M)
    if declared:
        return re.findall(r"\?(\w+)", declared.group(1))
    template = "\n".join(line for line in head.splitlines() if not line.lstrip().startswith("#"))
    return sorted(set(re.findall(r"\?(\w+)", template)))


def _reinfer(store: Store, anchors: set[str]) -> int:
    """Make ``graph:inferred`` what the rules derive now, where it can have
    changed: every inferred triple with an anchor as subject or object is
    deleted, then each rule runs once per variable of its template, with that
    variable bound to the anchors. A derived triple about no anchor rests on
    facts the change did not touch (the anchors are every entity a changed
    fact names), so it stays as it was. Returns the size of ``graph:inferred``."""
    inferred = str(ox.NamedNode(str(INFERRED_GRAPH)))
    if anchors:
        # a marked statement (rules 50-55) goes whole when it is about an anchor
        for end in ("rdf:subject", "rdf:object"):
            store.update(f"DELETE {{ GRAPH {inferred} {{ ?st ?p ?o }} }} WHERE {{ {_values('x', anchors)} "
                         f"GRAPH {inferred} {{ ?st a rdf:Statement ; {end} ?x ; ?p ?o }} }}")
        # the other triples about an anchor; a marked statement's own triples are left to the
        # loop above (its claimant may be an anchor while what it says is not: it would lose cg:claimedBy)
        for var in ("s", "o"):
            store.update(f"DELETE {{ GRAPH {inferred} {{ ?s ?p ?o }} }} WHERE {{ {_values(var, anchors)} "
                         f"GRAPH {inferred} {{ ?s ?p ?o FILTER NOT EXISTS {{ ?s a rdf:Statement }} }} }}")
        for _name, text in rule_texts():
            at = where_brace(text)
            for var in _anchor_variables(text[:at]):
                store.update(text[:at + 1] + " " + _values(var, anchors) + " " + text[at + 1:])
    return store.count(str(INFERRED_GRAPH))


class _EarlyWriter:
    """Bulk-loads the source files that will be parsed into the on-disk store
    in a background thread, while the in-memory compile runs. pyoxigraph
    releases the GIL while loading: 10.2 s one after the other became 6.8 s
    at 1M triples. :meth:`finish` then adds the graphs only the compile makes
    (ontology, shapes, inferred, reused files). If the early load failed for
    any reason, it writes everything from memory instead."""

    def __init__(self, path: Path, graph_dir: str | Path, previous: "_Previous | None", *,
                 allow_outside: bool = False):
        import threading

        self.path, self.loaded, self.error = path, set(), None
        self.hashes: dict[str, str] = {}  # graph -> SHA-256 of its file, read after it was loaded
        graph_dir = Path(graph_dir)
        try:
            files = source_files(graph_dir, allow_outside=allow_outside)
        except SourceError:
            files = []  # compile_into reports it
        self.plan = []
        for p in files:
            graph = graph_iri(graph_dir, p)
            if previous is None or not previous.has(SourceFile("", graph, _sha256(p))):
                self.plan.append((p, graph))
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        import pyoxigraph as ox

        from ..core.sourcecheck import prescan

        try:
            self.store = ox.Store(str(self.path))
            for p, graph in self.plan:
                prescan(p, str(p), rdf_format_for_path(p))  # never hand the parser an entity bomb
                self.store.bulk_load(path=str(p), format=rdf_format_for_path(p).ox, to_graph=ox.NamedNode(graph))
                self.loaded.add(graph)
                self.hashes[graph] = _sha256(p)
        except BaseException as exc:  # the compile reports problems with the files properly
            self.error = exc

    def finish(self, memory: Store, hashes: dict[str, str]) -> Store:
        """``hashes``: the SHA-256 of each graph's file as the compile read it."""
        import pyoxigraph as ox

        self.thread.join()
        # A graph loaded here but absent from memory: kept only if it is empty (an empty file).
        if self.error is not None or any(next(self.store.quads_for_pattern(None, None, None, ox.NamedNode(g)), None)
                                         for g in set(self.loaded) - set(memory.graphs())):
            self.store = None  # release the store's lock before the directory is made again
            shutil.rmtree(self.path, ignore_errors=True)
            return memory.persist(self.path)
        # Blank nodes get new identifiers in every load, so when inferred
        # triples point at any, every graph with blank nodes is rewritten
        # from memory (a file's blank nodes are its own, so no other graph
        # can point into it). So is a graph whose file changed between the
        # two reads (its hash differs); everything rewritten goes in one load.
        # The default graph (the union, docs/sparql.md) is written from memory in the same load, so its
        # blank nodes must be those of the graphs written with it: every graph with blank nodes is rewritten.
        with_blanks = memory.graphs_with_blank_nodes()
        rest = []
        for graph in memory.graphs():
            if graph in self.loaded:
                if graph not in with_blanks and hashes.get(graph) == self.hashes.get(graph):
                    continue
                self.store.clear_graph(ox.NamedNode(graph))
            rest.append(ox.NamedNode(graph))
        # The default graph too, from memory: filling it on disk by a SPARQL INSERT took 10x longer.
        self.store.clear_graph(ox.DefaultGraph())
        # In chunks: one load of it all peaked 1.1 GB above the compile at 1M triples (see WRITE_CHUNK).
        if with_blanks:  # as terms, so blank nodes stay shared (every load of text renames them)
            _bulk_extend(self.store, memory.quads_for_writing([g.value for g in rest], default_graph=True))
        else:  # as text, parsed by Oxigraph: faster than making a Python object of every quad
            text = self.path.with_name("rest.nq")
            try:
                memory.write_nquads_of(text, [g.value for g in rest], default_graph=True)
                with open(text, "rb") as f:
                    while lines := f.readlines(WRITE_CHUNK * 160):  # N-Quads: one quad a line, ~160 bytes
                        self.store.bulk_load(b"".join(lines), format=ox.RdfFormat.N_QUADS, lenient=True)
            finally:
                text.unlink(missing_ok=True)
        store = Store(self.store, path=self.path, read_only=False)
        self.store.optimize()
        self.store = None
        return store

    def finish_in_background(self, memory: Store, hashes: dict[str, str]) -> "_Pending":
        """:meth:`finish` in another thread (pyoxigraph releases the GIL while
        it serialises and loads), so the caller can read ``memory`` meanwhile."""
        return _Pending(lambda: self.finish(memory, hashes))

    def abandon(self) -> None:
        self.thread.join()
        self.store = None


#: Quads per call of the bulk loader when the build writes from memory: the
#: loader holds a whole call in memory (at 100k triples, one call of 280k quads
#: peaked 150 MiB above the data, 100k quads at a time 30 MiB), so a fixed size
#: keeps the write's memory flat whatever the graph.
WRITE_CHUNK = 100_000


def _bulk_extend(store: ox.Store, quads: Iterable[ox.Quad], chunk: int = WRITE_CHUNK) -> None:
    """Add ``quads`` to ``store`` with the bulk loader, ``chunk`` at a time."""
    it = iter(quads)
    while batch := list(itertools.islice(it, chunk)):
        store.bulk_extend(batch)


class _Pending:
    """A call running in a daemon thread: :meth:`result` waits for it and
    returns its value or raises its exception."""

    def __init__(self, call: Callable[[], Any]):
        import threading

        self._value: Any = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = call()
            except BaseException as exc:
                self._error = exc

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _check_replaceable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise SourceError(f"{_shown(out)}: exists and is not a directory; not replacing it")
    if not is_build_dir(out, MANIFEST):
        raise SourceError(f"{_shown(out)}: exists and is not a collabgraph build; not replacing it")


def _version() -> str:
    from ..core.version import __version__

    return __version__


def load_manifest(build_dir: Path) -> dict[str, Any]:
    return json.loads((build_dir / MANIFEST).read_text("utf-8"))
