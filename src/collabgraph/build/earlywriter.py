"""Writing the on-disk store while the build compiles: the early bulk load of the source files in
a background thread, chunked bulk writes, and a call awaited later."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import Any, Callable

import pyoxigraph as ox

from ..core.errors import SourceError
from ..core.formats import rdf_format_for_path
from ..store.local import Store
from .sources import Previous, SourceFile, file_sha256, graph_iri, source_files


class EarlyWriter:
    """Bulk-loads the source files that will be parsed into the on-disk store
    in a background thread, while the in-memory compile runs. pyoxigraph
    releases the GIL while loading: 10.2 s one after the other became 6.8 s
    at 1M triples. :meth:`finish` then adds the graphs only the compile makes
    (ontology, shapes, inferred, reused files). If the early load failed for
    any reason, it writes everything from memory instead."""

    def __init__(self, path: Path, graph_dir: str | Path, previous: "Previous | None", *,
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
            if previous is None or not previous.has(SourceFile("", graph, file_sha256(p))):
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
                self.hashes[graph] = file_sha256(p)
        except BaseException as exc:  # the compile reports problems with the files properly
            self.error = exc

    def finish(self, memory: Store, hashes: dict[str, str], snapshot: Path | None = None) -> Store:
        """``hashes``: the SHA-256 of each graph's file as the compile read it. ``snapshot``:
        where to write the build's snapshot (:mod:`collabgraph.store.snapshot`): every quad as
        N-Quads, from the same text the store is written from, so memory is not dumped twice."""
        import pyoxigraph as ox

        from ..core.durable import replacing
        from ..store.snapshot import write_snapshot

        self.thread.join()
        # A graph loaded here but absent from memory: kept only if it is empty (an empty file).
        if self.error is not None or any(next(self.store.quads_for_pattern(None, None, None, ox.NamedNode(g)), None)
                                         for g in set(self.loaded) - set(memory.graphs())):
            self.store = None  # release the store's lock before the directory is made again
            shutil.rmtree(self.path, ignore_errors=True)
            if snapshot is not None:
                write_snapshot(memory, snapshot.parent)
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
        # It is the union of the named graphs, so it is written as each graph's triples once more
        # (the store keeps a triple two graphs hold once). A graph without blank nodes goes as text,
        # serialised and parsed by Oxigraph, for its named graph and the default graph in one
        # pass: Python never holds a quad of it, so the summary that reads ``memory`` meanwhile
        # does not wait on this thread for the interpreter lock (as terms, 1.3M quads at 1M triples
        # took most of the stage). Only graphs with blank nodes go as terms, with their
        # default-graph copies, so that their blank nodes stay shared (a load of text renames them).
        self.store.clear_graph(ox.DefaultGraph())
        written = {g.value for g in rest}
        text_graphs = [g for g in memory.graphs() if g not in with_blanks]
        blank = [g.value for g in rest if g.value in with_blanks]
        if snapshot is None:
            self._write_text(memory, text_graphs, written)
        else:
            # The snapshot holds what the store does, named graphs and the union: the text graphs as they
            # are loaded here; the graphs with blank nodes as Oxigraph writes them from memory, where a
            # blank node's label is its identifier there, so its named and default copies are one node
            # when the file is read in one load.
            with replacing(snapshot) as tmp, open(tmp, "wb") as out:
                self._write_text(memory, text_graphs, written, out)
                for graph in sorted(with_blanks):  # one dump each: its named copy and its default copy
                    triples = memory.engine.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
                    out.write(triples.replace(b" .\n", f" {ox.NamedNode(graph)} .\n".encode()))
                    out.write(triples)
        if blank:
            _bulk_extend(self.store, _with_default_copies(memory.quads_for_writing(blank)))
        store = Store(self.store, path=self.path, read_only=False)
        self.store.optimize()
        self.store = None
        return store

    def _write_text(self, memory: Store, graphs: list[str], written: set[str], snapshot: Any = None) -> None:
        """Each of ``graphs`` (none with a blank node) into the default graph, and into its own
        named graph when it is in ``written``: read from ``memory`` as N-Triples one graph at a
        time, loaded as N-Quads about :data:`WRITE_CHUNK` quads a call (flat memory). Each
        graph's quads, named and default, also go to the file ``snapshot`` when one is given."""
        text = self.path.with_name("rest.nt")
        batch: list[bytes] = []
        size = 0
        try:
            for graph in graphs:
                memory.write_ntriples_of(text, graph)
                suffix = f" {ox.NamedNode(graph)} .\n".encode()
                for triples in _line_blocks(text, WRITE_CHUNK * 150):  # N-Triples: one triple a line, ~150 bytes
                    batch.append(triples)  # a triple line is a quad of the default graph
                    # " .\n" ends a line only: N-Triples escapes a literal's line breaks
                    named = triples.replace(b" .\n", suffix) if graph in written or snapshot is not None else b""
                    if graph in written:
                        batch.append(named)
                    if snapshot is not None:
                        snapshot.write(named)
                        snapshot.write(triples)
                    size += triples.count(b"\n") * (2 if graph in written else 1)
                    if size >= WRITE_CHUNK:
                        self.store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS, lenient=True)
                        batch, size = [], 0
            if batch:
                self.store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS, lenient=True)
        finally:
            text.unlink(missing_ok=True)

    def finish_in_background(self, memory: Store, hashes: dict[str, str], snapshot: Path | None = None) -> "Pending":
        """:meth:`finish` in another thread (pyoxigraph releases the GIL while
        it serialises and loads), so the caller can read ``memory`` meanwhile."""
        return Pending(lambda: self.finish(memory, hashes, snapshot))

    def abandon(self) -> None:
        self.thread.join()
        self.store = None


#: Quads per call of the bulk loader when the build writes from memory: the
#: loader holds a whole call in memory (at 100k triples, one call of 280k quads
#: peaked 150 MiB above the data, 100k quads at a time 30 MiB), so a fixed size
#: keeps the write's memory flat whatever the graph.
WRITE_CHUNK = 100_000


def _line_blocks(path: Path, size: int) -> Iterator[bytes]:
    """The file at ``path`` in blocks of whole lines, about ``size`` bytes each: one bytes
    object a block, not one a line (which held the interpreter lock while the summary
    waited for it, 2.7M lines at 1M source triples).

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "x.nt"; _ = p.write_bytes(b"a .\\nbb .\\nccc .\\n")
    >>> list(_line_blocks(p, 9)), list(_line_blocks(p, 6))
    ([b'a .\\nbb .\\n', b'ccc .\\n'], [b'a .\\n', b'bb .\\n', b'ccc .\\n'])
    """
    rest = b""
    with open(path, "rb") as f:
        while block := f.read(size):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut:
                yield block[:cut]
            rest = block[cut:]
    if rest:
        yield rest  # a last line without its line break (N-Triples Oxigraph writes always ends one)


def _bulk_extend(store: ox.Store, quads: Iterable[ox.Quad], chunk: int = WRITE_CHUNK) -> None:
    """Add ``quads`` to ``store`` with the bulk loader, ``chunk`` at a time."""
    it = iter(quads)
    while batch := list(itertools.islice(it, chunk)):
        store.bulk_extend(batch)


def _with_default_copies(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each quad, then its triple in the default graph."""
    for q in quads:
        yield q
        yield ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())


class Pending:
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
