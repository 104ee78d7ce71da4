"""Build: sources -> load -> validate (SHACL) -> infer -> persistent store.

The graph is compiled in memory, where Oxigraph's queries run several times
faster than on disk (a 1M-triple build: 34 s this way, 85 s on disk).
Meanwhile the source files are bulk-loaded into the on-disk store by a
background thread (:class:`_EarlyWriter`); the graphs only the compile makes
are written at the end. The whole build goes to a new generation directory
and is switched in, by one atomic rename, only when every step succeeded
(see :mod:`collabgraph.store.generations`): a failed or killed build leaves the
previous one untouched, and a second build into the same directory is refused.

A full build whose in-memory compile would not fit in half the memory
available compiles on disk instead, file batch by file batch
(:mod:`collabgraph.build.streaming`), so its memory does not grow with the
graph; it makes the same store (see :func:`build`).

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
import json
import re
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from ..core.durable import output_file, reading
from ..core.errors import SourceError, ValidationError
from ..core.formats import SOURCE_SUFFIXES
from ..store.generations import BuildLock, checkpoint, current_build, is_build_dir, new_generation, publish
from ..core.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, TOP_PAIRS_GRAPH
from ..core.packaged import default_ontology
from ..core.layout import CACHE_DIR, EXPLORER, MANIFEST, STORE_DIR, SUMMARY
from ..core.queries import rule_construct, rule_texts
from ..store.local import Store
from ..store.quotes import quotes_read, unchecked_notes
from .sources import (BuildReport, Clock, Previous, Progress, SHAPES_GRAPH, SourceFile, collabgraph_version,
                      file_sha256, graph_iri, load_manifest, no_progress, shown_path, source_files)
from .earlywriter import EarlyWriter, Pending, WRITE_CHUNK
from .incremental import INCREMENTAL_SHARE, incremental_build, rules_hash
from .streaming import STREAMING_ABOVE, compile_streaming

__all__ = ["BuildReport", "SourceFile", "Progress", "build", "validate", "compile_into",
           "source_files", "graph_iri", "default_ontology", "current_build", "SHAPES_GRAPH", "MANIFEST", "SUMMARY", "STORE_DIR", "CACHE_DIR", "EXPLORER",
           "load_manifest", "INCREMENTAL_SHARE", "WRITE_CHUNK"]


def compile_into(store: Store, graph_dir: str | Path, ontology_dir: str | Path | None = None, *,
                 infer: bool = True, engine: str = "sparql", previous: "Previous | None" = None,
                 progress: Progress = no_progress, clock: Clock | None = None,
                 notes: list[str] | None = None, counts: dict[str, int] | None = None,
                 allow_outside: bool = False,
                 overlay: dict[Path, Path | None] | None = None,
                 strict: bool = False, warnings: list[str] | None = None,
                 unstated: list | None = None) -> tuple[list[SourceFile], int]:
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
    otherwise they are appended to ``notes`` and ``warnings``. Every fact whose
    quotes do not state it is appended to ``unstated`` as a
    :class:`collabgraph.store.quotes.Unstated` (a writer names it in its own terms).

    :returns: the source files loaded and the number of inferred triples.
    :raises SourceError: for a missing directory or file.
    :raises SourceSyntaxError: for a file that does not parse (file:line:column).
    :raises ValidationError: listing every SHACL problem and every quote not in its source.
    """
    clock = clock or Clock()
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
            sf = SourceFile(shown_path(path), graph_iri(graph_dir, path), file_sha256(content))
            if previous is not None and previous.has(sf):
                sf.triples, sf.reused = store.copy_graph_from(previous.store, sf.graph), True
            else:
                sf.triples = store.load_file(content, graph=sf.graph, display_path=sf.file, format_of=path)
                if not sf.triples and notes is not None:
                    notes.append(f"{sf.file}: states no triples (an empty file?); nothing was loaded from it")
            loaded.append(sf)
            path_of_graph[sf.graph] = path
            progress("load", i + 1, len(files))
    store.load_file(ontology_file, graph=str(ONTOLOGY_GRAPH), display_path=shown_path(ontology_file))
    clock.lap("load")

    from ..store.validation import shacl_problems

    # The rules' read-only half runs in another thread while validation
    # reads; both only read, so the store stays exactly the sources and the
    # ontology, which lets Oxigraph use its fast union default graph.
    conclusions = Pending(lambda: _conclusions(store)) if infer else None
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
    quotes.report_into(notes, warnings, counts, unstated)
    problems = [*problems, *quotes.problems]
    clock.lap("validate")
    if problems:
        raise ValidationError(problems)
    _add_keeping_union(store, shapes_file, SHAPES_GRAPH)
    inferred = 0
    if conclusions is not None:
        progress("infer", 0, 0)
        inferred = _add_conclusions(store, conclusions.result())
        clock.lap("infer")  # what validation did not hide
    return loaded, inferred


def _streams(streaming: bool | None, graph_dir: Path, allow_outside: bool) -> bool:
    """Whether a full local build compiles on disk (see :func:`build`)."""
    if streaming is not None:
        return streaming
    try:
        size = sum(p.stat().st_size for p in source_files(graph_dir, allow_outside=allow_outside))
    except (SourceError, OSError):
        return False  # the in-memory compile reports it
    if size <= STREAMING_ABOVE:
        return False
    # The in-memory compile is about 3x faster: kept while what it would hold fits in half the memory free now.
    available = _available_bytes()
    return available is None or size * MEMORY_PER_SOURCE_BYTE > available / 2


#: Peak bytes of an in-memory build per byte of Turtle sources (1M source triples: 31 MB of
#: files, a 1,391 MiB peak; docs/benchmarks.md, "Build memory").
MEMORY_PER_SOURCE_BYTE = 50


def _available_bytes() -> int | None:
    """The memory the kernel says is available now (``MemAvailable``), or ``None`` where it does not say."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


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
    import pyoxigraph as ox

    inferred = str(INFERRED_GRAPH)
    if store.count(inferred):
        store.clear_graph(inferred)
    data, updates = conclusions
    # Oxigraph wrote this N-Triples text: into the graph and the default graph in one load, so the
    # union validation made stays current (making it again cost 3.4 s at 1M source triples).
    store.raw_load(data, format=ox.RdfFormat.N_TRIPLES, graph=inferred, union=True)
    for text in updates:
        store.update(text)
    return store.count(inferred)


def _add_keeping_union(store: Store, path: Path, graph: str) -> None:
    """Load an ontology file into ``graph`` of ``store`` and into its default
    graph in one load, so the materialised union stays as current as it was
    (:meth:`Store.raw_load`): parsed (and any error reported) on its own
    first, then loaded as the N-Triples Oxigraph writes, where a blank node's
    label is one node in both copies."""
    import pyoxigraph as ox

    scratch = Store.memory(union_view=True)
    scratch.load_file(path, graph=graph, display_path=shown_path(path))
    text = scratch.engine.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    if store.count(graph):
        store.clear_graph(graph)
    store.raw_load(text, format=ox.RdfFormat.N_TRIPLES, graph=graph, union=True)


def validate(graph_dir: str | Path = "graph", ontology_dir: str | Path | None = None, *,
             engine: str = "sparql", allow_outside: bool = False,
             overlay: dict[Path, Path | None] | None = None, strict: bool = False,
             unstated: list | None = None) -> BuildReport:
    """Run every check of a build (parse, SHACL, quotes) without writing anything.

    >>> report = validate(GRAPH_DIR, ONTOLOGY_DIR)
    >>> report.triples > 500, report.inferred
    (True, 0)

    ``overlay``: validate the graph as staged changes will leave it (see :func:`compile_into`).
    ``unstated``: a list to add every fact whose quotes do not state it to (see :func:`compile_into`).
    ``strict``: a source whose quotes cannot be checked against a local copy,
    and a quote that does not state its fact, are problems (by default, notes
    and warnings of the report).

    :raises SourceSyntaxError: for a file that does not parse.
    :raises ValidationError: listing every SHACL problem.
    """
    clock = Clock()
    started = time.perf_counter()
    notes: list[str] = []
    counts: dict[str, int] = {}
    warnings: list[str] = []
    loaded, _ = compile_into(Store.memory(), graph_dir, ontology_dir, infer=False, engine=engine, clock=clock,
                             notes=notes, counts=counts, allow_outside=allow_outside, overlay=overlay,
                             strict=strict, warnings=warnings, unstated=unstated)
    return BuildReport(loaded, sum(s.triples for s in loaded), 0, time.perf_counter() - started,
                       timings=clock.timings, notes=notes, quotes_checked=counts.get("quotes", 0),
                       warnings=warnings, quotes_read=quotes_read(counts))


def build(graph_dir: str | Path = "graph", ontology_dir: str | Path | None = None,
          out: str | Path = "build", *, incremental: bool = True,
          progress: Progress = no_progress, endpoint: str | None = None,
          update_endpoint: str | None = None, allow_outside: bool = False, strict: bool = False,
          upload_method: str = "auto", bulk_dir: str | Path | None = None, isql: str = "", bulk_loaders: int = 1,
          streaming: bool | None = None) -> BuildReport:
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
    ``auto`` (the server's bulk loader when it is Oxigraph server, or Virtuoso
    given ``bulk_dir``; else SPARQL Update), ``oxigraph``, ``virtuoso-bulk``,
    ``graph-store`` or ``sparql-update``. ``bulk_dir``, ``isql`` and ``bulk_loaders``: where
    Virtuoso's bulk loader reads files, its ISQL ``HOST:PORT`` and how many loaders run at once
    (:class:`collabgraph.store.remote.VirtuosoBulk`).

    ``streaming``: a full build (local or remote) compiles on disk, file batch by file batch
    (:mod:`collabgraph.build.streaming`: memory that does not grow with the
    graph) or in memory (about 3x faster); ``None`` compiles in memory up to
    :data:`~collabgraph.build.streaming.STREAMING_ABOVE` bytes of sources, and past
    it as long as the in-memory peak it would have (:data:`MEMORY_PER_SOURCE_BYTE`)
    fits in half the memory available now; else on disk.
    Both make the same store.

    :raises SourceError, SourceSyntaxError, ValidationError: as :func:`compile_into`.
    :raises StoreBusy: if another build is writing into ``out``.
    """
    from ..store.snapshot import SNAPSHOT, write_snapshot
    from ..views.nameindex import NAME_INDEX
    from ..views.projections import save_cache
    from ..views.reader import Reader
    from ..views.summary import summary as summarise
    from ..views.toppairs import counted_pairs, pairs_triples, save_top_pairs

    started = time.perf_counter()
    clock = Clock()
    out = Path(out)
    if not endpoint and re.search("[\ud800-\udfff]", str(out.absolute())):
        raise SourceError(f"{shown_path(out)}: Oxigraph keeps its store only at a path that is UTF-8 text; "
                          "choose another --out")
    output_file(out)  # the build directory is made, in a directory that exists (durable.output_file)
    _check_replaceable(out)
    lock = BuildLock(out, shown_path(out))
    try:
        _check_replaceable(out)
        tmp = new_generation(out)
    except BaseException:
        lock.release(remove_if_empty=True)
        raise
    previous: Previous | None = None
    early: EarlyWriter | None = None
    writer: Pending | None = None
    snapshot: Pending | None = None
    disk: Store | None = None  # the streaming compile's store, open until the build is written
    try:
        checkpoint("locked")
        ontology_dir = Path(ontology_dir or default_ontology())
        ontology_hashes = {name: file_sha256(ontology_dir / name) for name in ("collab.ttl", "shapes.ttl")
                           if (ontology_dir / name).is_file()}
        before = current_build(out)
        previous = Previous.open(before, ontology_hashes) if incremental and not endpoint else None
        if previous is not None:
            report = incremental_build(before, out, tmp, Path(graph_dir), ontology_dir, previous.store,
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
        notes: list[str] = []
        warnings: list[str] = []
        counts: dict[str, int] = {}
        # A remote build streams too (into a local store on disk, removed once it is uploaded): the
        # in-memory compile of 10M source triples held 13.3 GB, so 30M could not be sent at all.
        streamed = _streams(streaming, Path(graph_dir), allow_outside)
        if streamed:  # on disk as it is read, batch by batch: memory that does not grow with the graph
            if previous is not None:
                previous.store.close()
                previous = None
            memory, loaded, inferred = compile_streaming(tmp / STORE_DIR, graph_dir, ontology_dir,
                                                         progress=progress, clock=clock, notes=notes,
                                                         counts=counts, allow_outside=allow_outside,
                                                         strict=strict, warnings=warnings,
                                                         names=tmp / CACHE_DIR / NAME_INDEX,
                                                         snapshot=None if endpoint else tmp / SNAPSHOT)
            disk = memory
        else:
            if not endpoint:
                early = EarlyWriter(tmp / STORE_DIR, graph_dir, previous, allow_outside=allow_outside)
            memory = Store.memory()
            loaded, inferred = compile_into(memory, graph_dir, ontology_dir, previous=previous,
                                            progress=progress, clock=clock, notes=notes, counts=counts,
                                            allow_outside=allow_outside, strict=strict, warnings=warnings)
        if previous is not None:
            previous.store.close()
            previous = None
        # Each graph counted once: the summary's sizes, and the total is their sum (what count() counts).
        sizes = {g: memory.count(g) for g in memory.graphs()}
        total = sum(sizes.values())
        manifest = {
            "collabgraph": collabgraph_version(),
            "built_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "graph_dir": shown_path(Path(graph_dir)),
            "ontology_dir": shown_path(ontology_dir),
            "ontology_sha256": ontology_hashes,
            "rules_sha256": rules_hash(),
            "sources": [asdict(s) for s in loaded],
            "triples": total,
            "inferred": inferred,
        }
        progress("summarise", 0, 0)
        if streamed and not endpoint and not (tmp / SNAPSHOT).is_file():  # written as it loaded, unless a blank node stopped it
            snapshot = Pending(lambda store=memory: write_snapshot(store, tmp))
        elif not endpoint and early is not None:  # the store and the snapshot, while the summary is made
            # The snapshot (collabgraph.store.snapshot) from the text the store is written from.
            writer = early.finish_in_background(memory, {sf.graph: sf.sha256 for sf in loaded}, tmp / SNAPSHOT)
            early = None
        reader = Reader(memory)
        if streamed:  # the pairs counted by SQLite on disk (views.toppairs): memory that does not grow
            counted, collaborations = counted_pairs(memory, tmp)
            summary = summarise(reader, manifest, collaborations=collaborations, sizes=sizes)
        else:
            counted, summary = None, summarise(reader, manifest, sizes=sizes)
        save_cache(reader, tmp / CACHE_DIR)
        # top-collaborations from counts made once (views.toppairs)
        pairs = save_top_pairs(memory, tmp / CACHE_DIR, pairs=counted)
        clock.lap("summarise")
        progress("write", 0, 0)
        if endpoint:
            from ..store.remote import RemoteStore, VirtuosoBulk, graph_text, upload

            remote = RemoteStore(endpoint, update_endpoint or endpoint)
            unchanged = _uploaded_before(out, before, remote.endpoint, loaded)
            if unchanged is not None:  # until published: see _uploaded_before
                (out / UPLOADING).write_text(remote.endpoint + "\n", "utf-8")
            # The inferred graph as the last complete upload sent it: patched on the server, not sent whole.
            inferred_before = before / CACHE_DIR / INFERRED_SENT
            sent_before = ({str(INFERRED_GRAPH): inferred_before.read_bytes()}
                           if unchanged and inferred_before.is_file() else None)
            bulk = VirtuosoBulk(Path(bulk_dir), isql, bulk_loaders) if bulk_dir else None
            upload(memory, remote, progress=progress, unchanged=unchanged or set(), method=upload_method, bulk=bulk,
                   derived={TOP_PAIRS_GRAPH: pairs_triples(pairs)},  # what a reader without this build reads
                   sent_before=sent_before)
            (tmp / CACHE_DIR / INFERRED_SENT).write_bytes(graph_text(memory, str(INFERRED_GRAPH)))
            manifest.update(endpoint=remote.endpoint, update_endpoint=remote.update_endpoint)  # no credentials
            if disk is not None:  # the streaming compile's store: a remote build keeps no local copy
                disk.close()
                disk = None
                shutil.rmtree(tmp / STORE_DIR)
        else:
            if snapshot is not None:
                snapshot.result()
                snapshot = None
            if writer is not None:
                store, writer = writer.result(), None
            else:
                store, disk = memory, None
            store.close()
        del memory, reader
        clock.lap("write")
        manifest["timings"] = clock.timings
        manifest["compile"] = "streaming" if streamed else "memory"
        manifest["unchecked_quotes"] = unchecked_notes(notes)  # carried by incremental builds
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
        if disk is not None:
            disk.close()
        shutil.rmtree(tmp, ignore_errors=True)
        lock.release(remove_if_empty=True)
        raise
    lock.release()
    return BuildReport(loaded, total, inferred, time.perf_counter() - started, str(out), summary,
                       clock.timings, notes, counts.get("quotes", 0), warnings, quotes_read=quotes_read(counts))


#: Written in the build directory while a build uploads to a server, removed
#: once it is published: if it is there, an upload failed half-way and the
#: server's graphs are no longer those the current build's manifest describes.
UPLOADING = ".uploading"
#: The inferred graph as an upload sent it (N-Triples), in the build's cache: the next upload patches it.
INFERRED_SENT = "inferred-sent.nt"


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
def _check_replaceable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise SourceError(f"{shown_path(out)}: exists and is not a directory; not replacing it")
    if not is_build_dir(out, MANIFEST):
        raise SourceError(f"{shown_path(out)}: exists and is not a collabgraph build; not replacing it")


