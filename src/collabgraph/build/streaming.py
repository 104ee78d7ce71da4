"""The streaming compile: a full build whose memory does not grow with the graph (issue 23).

The in-memory compile (:func:`collabgraph.build.pipeline.compile_into`) holds the
whole graph in an Oxigraph memory store; its peak grew about 1.2 GB per million
source triples. This one writes the on-disk store as it reads and never holds
more than a batch:

1. **Load.** Each file is parsed into a scratch memory store (so a syntax error
   names the file, line and column exactly as the in-memory compile does), and
   a batch of files is bulk-loaded into the on-disk store as one N-Quads text
   holding every triple twice: in the file's named graph and in the default
   graph (the union, ``docs/sparql.md``). One load keeps the two copies of a
   blank node the same node. Every quad written is appended to the
   build's snapshot (:class:`_Writer`). The writes run in a thread while
   the next chunk is parsed (:class:`_WriteBehind`), and the scratch store
   never materialises its default graph (its literal checks read the union
   through the engine's union mode). While the thread writes a chunk, the
   rules that join inside one graph (every rule but those with two ``GRAPH``
   variables) run on the chunk's scratch store with the ontology added
   (:func:`_infer_chunk`), and their conclusions wait in a spool directory;
   they are loaded once validation has passed.
2. **Validate on disk.** Each file's literals are
   checked as it is parsed (in memory). Once every file is loaded, the
   shapes, compiled to SPARQL (:mod:`collabgraph.store.shacl`), run on the
   on-disk store itself, one query per constraint over its materialised
   default graph, which then holds exactly the sources and the ontology: the
   same queries over the same dataset as the in-memory compile, so the same
   problems, named by file (past :data:`HASHED_SCREENS_UP_TO` each shape's
   screen runs partition by partition, :func:`partitions`, so its hash
   joins hold a partition, not the graph). The name index is read from the
   store by the names query in a thread meanwhile, and read again after the
   conclusions are loaded only if one of them could change it
   (:func:`_names_kept`).
3. **Cross-file rules.** Collaborations (rules 40 and 54) pair the credits of
   two files: one scan of the ``cg:work`` index, work by work, pairs the
   credits of each work in Python (:func:`_collaborations`, the same triples
   as the rules; a join on disk took ten times its in-memory time), in the
   same thread beside validation, into the spool. Any other rule joining two
   graphs runs as a CONSTRUCT query on the on-disk store once validation has
   passed. All of it goes into ``graph:inferred``.

Nothing is published until the whole build succeeded (the caller writes into
a new generation and switches it in; see :mod:`collabgraph.store.generations`).
The store it makes holds the same quads as the in-memory compile's
(``tests/test_build_streaming.py``).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import queue
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from ..core.durable import reading, replace_durably
from ..core.errors import Problem, SourceError, ValidationError
from ..core.namespaces import CG_IRI, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, ROLE_IRI
from ..core.queries import rule_construct, rule_texts
from ..store.local import Store
from .earlywriter import WRITE_CHUNK, Pending
from .sources import (Clock, Progress, SHAPES_GRAPH, SourceFile, file_sha256, graph_iri, no_progress,
                      shown_path, source_files)

__all__ = ["compile_streaming", "streaming_rules", "partitions", "BATCH_TRIPLES", "STREAMING_ABOVE",
           "PARTITION_TRIPLES"]

#: Source triples per chunk of the load stage (whole files, the last one past
#: it): a chunk is parsed into a scratch store, written by the write-behind
#: thread while the rules that match inside one graph run on it, and its
#: scratch store is what those rules hold in memory (batches of 200k, when
#: validation also held a neighbourhood per batch, took the peak from 668 to
#: 1,036 MiB at 1M).
BATCH_TRIPLES = 100_000

#: A full local build streams when its source files hold more than this many
#: bytes (about 800k source triples of Turtle, where the in-memory compile
#: holds about 1.1 GB); below it the in-memory compile is well within the
#: memory target and about 3x faster (docs/decisions/build.md).
STREAMING_ABOVE = 25_000_000

#: Up to this many source triples the shapes' screens are joined by hashing
#: over the whole store (:func:`collabgraph.store.shacl.compile_shapes`: 0.5-0.7x
#: the time of a seek per focus node on disk), past it partition by partition
#: (:func:`partitions`): the whole-store hash joins hold about 75 MiB more per
#: million source triples (290 against 206 MiB at 1M, 659 against ~433 at 3M),
#: which at 30M would break the build's 1.5 GB peak (docs/decisions/build.md).
HASHED_SCREENS_UP_TO = 4_000_000

#: Source triples per partition of the partitioned screens
#: (:class:`collabgraph.store.shacl.Partitioned`): what one screen's hash joins hold.
PARTITION_TRIPLES = 1_000_000

_GRAPH_VARIABLE = re.compile(r"GRAPH\s+\?(\w+)")

#: A rule whose solutions all need a mark: ``FILTER (BOUND(?why) || BOUND(?who))``
#: at its top level, where those variables are bound only as objects of
#: ``cg:editorsInference`` or ``cg:claimedBy`` (rules 50-55).
_MARK_FILTER = re.compile(r"FILTER\s*\(\s*BOUND\s*\(\s*\?(\w+)\s*\)\s*\|\|\s*BOUND\s*\(\s*\?(\w+)\s*\)\s*\)")
_MARKS = ("cg:editorsInference", "cg:claimedBy")

#: The rules :func:`_collaborations` computes in Python (the streaming compile
#: does not run their text; tests/test_build_streaming.py compares the stores).
PAIRING_RULES = frozenset({"40-collaborations", "54-marked-collaborations"})


def streaming_rules() -> tuple[list[str], list[str]] | None:
    """The rules as CONSTRUCT queries, split into those that match inside one
    source graph (run batch by batch) and those joining two (run on the whole
    store), leaving out :data:`PAIRING_RULES`; ``None`` when a rule is not of the usual INSERT form (then only
    the in-memory compile can run it)."""
    local: list[str] = []
    joining: list[str] = []
    for name, text in rule_texts():
        construct = rule_construct(text)
        if construct is None:
            return None
        if name in PAIRING_RULES:
            continue
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        (joining if len(set(_GRAPH_VARIABLE.findall(body))) > 1 else local).append(construct)
    return local, joining


def _needs_mark(construct: str) -> bool:
    """Whether every solution of the rule ``construct`` needs a ``cg:editorsInference``
    or ``cg:claimedBy`` triple (see :data:`_MARK_FILTER`): on a batch without
    one, such a rule derives nothing, and is not run."""
    where = construct[construct.index("WHERE"):]
    match = _MARK_FILTER.search(where)
    if match is None or where[:match.start()].count("{") - where[:match.start()].count("}") != 1:
        return False  # no such filter, or one inside a group (an OPTIONAL, a UNION branch)
    for var in match.groups():
        uses = len(re.findall(rf"\?{var}\b", where))
        marked = len(re.findall(rf"(?:{'|'.join(_MARKS)})\s+\?{var}\b", where))
        if uses != marked + 1:  # bound some other way too
            return False
    return True


def compile_streaming(path: Path, graph_dir: str | Path, ontology_dir: Path, *,
                      progress: Progress = no_progress, clock: Clock | None = None,
                      notes: list[str] | None = None, counts: dict[str, int] | None = None,
                      allow_outside: bool = False, strict: bool = False,
                      warnings: list[str] | None = None, names: Path | None = None,
                      snapshot: Path | None = None) -> tuple[Store, list[SourceFile], int]:
    """Load, validate and infer the sources into a new on-disk store at ``path``
    (see the module's text); the arguments and checks are those of
    :func:`collabgraph.build.pipeline.compile_into`. ``names``: where to write
    the name index (:class:`collabgraph.views.nameindex.NameIndexWriter`),
    made batch by batch from the stores validation holds. ``snapshot``: where
    to write every quad as N-Quads (:mod:`collabgraph.store.snapshot`), from the
    text the store was loaded from; left unwritten when a blank node made that
    text differ from the store (the caller dumps the store then).

    :returns: the store (open for writing), the source files and the number of inferred triples.
    :raises SourceError: for a missing directory or file.
    :raises SourceSyntaxError: for a file that does not parse (file:line:column).
    :raises ValidationError: listing every SHACL problem and every quote not in its source.
    """
    clock = clock or Clock()
    graph_dir = Path(graph_dir)
    for f in (ontology_dir / "collab.ttl", ontology_dir / "shapes.ttl"):
        if not f.is_file():
            raise SourceError(f"{f}: missing ontology file")
    rules = streaming_rules()
    if rules is None:
        raise ValueError("a rule is not of the form INSERT { GRAPH graph:inferred { ... } } WHERE { ... }")
    store = Store.open(path, read_only=False)
    spool = Path(tempfile.mkdtemp(prefix="spool-", dir=Path(path).parent))
    out = _Writer(store, spool / "snapshot.nq" if snapshot is not None else None)
    try:
        compiled = _compile(out, graph_dir, ontology_dir, rules, spool, progress=progress, clock=clock, notes=notes,
                            counts=counts, allow_outside=allow_outside, strict=strict, warnings=warnings,
                            names=names)
        written = out.finish()
        if written is not None and snapshot is not None:
            replace_durably(written, snapshot)
        return compiled
    except BaseException:
        out.give_up()
        store.discard()  # dropped unflushed: the caller removes the directory
        raise
    finally:
        shutil.rmtree(spool, ignore_errors=True)


def _compile(out: _Writer, graph_dir: Path, ontology_dir: Path, rules: tuple[list[str], list[str]], spool: Path, *,
             progress: Progress, clock: Clock, notes: list[str] | None, counts: dict[str, int] | None,
             allow_outside: bool, strict: bool, warnings: list[str] | None,
             names: Path | None) -> tuple[Store, list[SourceFile], int]:
    from ..store.quotes import allowed_roots, check_quotes

    ontology_file, shapes_file = ontology_dir / "collab.ttl", ontology_dir / "shapes.ttl"
    local_rules, joining_rules = rules
    store = out.store
    disk = store.engine
    loaded: list[SourceFile] = []
    path_of_graph: dict[str, Path] = {}
    spool_inferred = spool / "inferred"
    spool_inferred.mkdir()
    # The rules that match inside one graph run on each chunk as it is parsed, in its scratch store
    # with the ontology (read first; its syntax error, if any, is raised where it was before: after
    # the sources' load); what they derive waits in the spool until validation has passed.
    ontology = Store.memory()
    try:
        ontology.load_file(ontology_file, graph=str(ONTOLOGY_GRAPH), display_path=shown_path(ontology_file))
        ontology_error: BaseException | None = None
    except Exception as exc:
        ontology_error = exc
    terms = list(ontology.engine.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH))))
    needs_mark = {c: _needs_mark(c) for c in local_rules}
    held_back: list[list[str]] = []  # the chunks whose conclusions are made on disk (see _infer_chunk)

    def infer(scratch: Store, n: int, blank: bool) -> None:
        if ontology_error is None and (blank or not _infer_chunk(scratch, terms, local_rules, needs_mark,
                                                                spool_inferred / f"{n}.nq")):
            held = set(scratch.graphs())
            held_back.append([sf.graph for sf in loaded if sf.graph in held])
    # Each file's literals are checked as it is parsed, in memory (a scan of every literal on disk
    # cost 2.5 s at 100k): the problems and the (entity, property) of each ill-typed one.
    literals: tuple[list[Problem], set] = ([], set())
    with reading(graph_dir):
        files = source_files(graph_dir, allow_outside=allow_outside)
        # A chunk is written in a thread while the next one is parsed (pyoxigraph releases the GIL
        # in its loads): the bulk load, the larger part, no longer waits for the parse.
        behind = _WriteBehind(out)
        try:
            scratch, held, chunks = Store.memory(union_view=True), 0, 0
            for i, p in enumerate(files):
                sf = SourceFile(shown_path(p), graph_iri(graph_dir, p), file_sha256(p))
                sf.triples = scratch.load_file(p, graph=sf.graph, display_path=sf.file)
                if not sf.triples and notes is not None:
                    notes.append(f"{sf.file}: states no triples (an empty file?); nothing was loaded from it")
                loaded.append(sf)
                path_of_graph[sf.graph] = p
                held += sf.triples
                if held >= BATCH_TRIPLES:
                    _check_literals(scratch, loaded, literals)
                    behind.put(text := _doubled_text(scratch))
                    infer(scratch, chunks, b"_:" in text)  # while the thread writes the chunk
                    scratch, held, chunks = Store.memory(union_view=True), 0, chunks + 1
                progress("load", i + 1, len(files))
            _check_literals(scratch, loaded, literals)
            behind.put(text := _doubled_text(scratch))
            infer(scratch, chunks, b"_:" in text)
            del scratch
        except BaseException:
            behind.close(raising=False)  # the first error is the one to report
            raise
        behind.close()
    if ontology_error is not None:
        raise ontology_error
    _write_twice(out, ontology)
    ontology_quads = list(disk.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH))))
    clock.lap("load")

    from ..store.validation import shacl_problems

    progress("validate", 0, 0)
    file_of_graph = {s.graph: s.file for s in loaded}
    # Graphs of files with triples: the store holds exactly these and the ontology, so the
    # dataset of every shape's query is the whole store, its materialised default graph.
    stated = [s.graph for s in loaded if s.triples]
    # The collaborations pass, then the name index, run in a thread while the shapes run on disk:
    # all only read the store, and what the pass makes waits in the spool until validation has
    # passed (the store must stay the sources and the ontology while the shapes read it). The
    # index is kept if nothing written later could change the names query's rows (_names_kept).
    stop = threading.Event()

    def beside() -> tuple[bool, bool]:
        spooled = _spool_collaborations(disk, spool_inferred, stop)
        if names is None or stop.is_set():
            return spooled, False
        _write_names(store, names)
        return spooled, True

    ahead = Pending(beside)
    hashed = sum(s.triples for s in loaded) <= HASHED_SCREENS_UP_TO
    try:
        problems = shacl_problems(store, data_graphs=stated, ontology_graph=str(ONTOLOGY_GRAPH),
                                  shapes_path=shapes_file, file_of_graph=file_of_graph, literals=literals,
                                  workers=min(4, os.cpu_count() or 1),  # the collaborations' thread fills the gaps
                                  hashed=hashed, partitions=None if hashed else partitions(
                                      (s.graph, s.triples) for s in loaded if s.triples))
        quotes = check_quotes(store, file_of_graph=file_of_graph, path_of_graph=path_of_graph,
                              roots=None if allow_outside else allowed_roots(graph_dir), strict=strict)
        if problems or quotes.problems:
            stop.set()  # the build fails: what the thread would make is not needed
    except BaseException:
        stop.set()
        raise
    finally:
        ahead.wait()  # nothing reads the store once this returns
    quotes.report_into(notes, warnings, counts)
    found = [*problems, *quotes.problems]
    progress("validate", chunks + 1, chunks + 1)
    clock.lap("validate")
    if found:
        raise ValidationError(found)
    # Whether the collaborations are in the spool (else they name a blank node: as terms), and
    # whether the name index was written.
    collaborations_spooled, named = ahead.result()
    shapes = Store.memory()
    shapes.load_file(shapes_file, graph=SHAPES_GRAPH, display_path=shown_path(shapes_file))
    _write_twice(out, shapes)

    progress("infer", 0, 0)
    inferred_graph = ox.NamedNode(str(INFERRED_GRAPH))
    for part in sorted(spool_inferred.iterdir(), key=lambda f: (f.stem[0] == "c", int(f.stem.lstrip("c")))):
        out.text(part.read_bytes())
        part.unlink()
    for graphs in held_back:
        own = Store.memory(union_view=True)
        own.raw_extend(q for g in graphs for q in disk.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        own.raw_extend(ontology_quads)
        out.terms((t for construct in local_rules for t in own.query(construct)), inferred_graph)
        del own
    if names is not None and not (named and _names_kept(store, [str(INFERRED_GRAPH), SHAPES_GRAPH])):
        _write_names(store, names)  # read again, here: where the build has always read it
    if not collaborations_spooled:
        out.terms(_collaborations(disk), inferred_graph)
    for construct in joining_rules:
        out.terms(store.query(construct), inferred_graph)
    disk.optimize()
    inferred = store.count(str(INFERRED_GRAPH))
    clock.lap("infer")
    return store, loaded, inferred


def partitions(graphs: Iterable[tuple[str, int]], most: int | None = None) -> list[list[str]]:
    """``(graph, triples)`` in order, as runs of graphs of at most ``most``
    (:data:`PARTITION_TRIPLES`) triples together (a larger graph alone): the
    partitions of :func:`collabgraph.store.validation.shacl_problems`.

    >>> partitions([("a", 600_000), ("b", 600_000), ("c", 300_000), ("d", 10)])
    [['a'], ['b', 'c', 'd']]
    """
    most = PARTITION_TRIPLES if most is None else most
    out: list[list[str]] = []
    held = 0
    for graph, triples in graphs:
        if not out or held + triples > most:
            out.append([])
            held = 0
        out[-1].append(graph)
        held += triples
    return out


def _check_literals(scratch: Store, loaded: list[SourceFile], into: tuple[list[Problem], set]) -> None:
    """Add the literal problems of the files parsed into ``scratch`` to ``into``
    (:func:`collabgraph.store.validation.literal_problems`: each literal is
    checked on its own, so file by file gives what the whole graph gives)."""
    from ..store.validation import literal_problems

    held = set(scratch.graphs())
    found, bad = literal_problems(scratch, data_graphs=[s.graph for s in loaded if s.graph in held],
                                  file_of_graph={s.graph: s.file for s in loaded if s.graph in held})
    into[0].extend(found)
    into[1].update(bad)


def _infer_chunk(scratch: Store, ontology: list[ox.Quad], local_rules: list[str], needs_mark: dict[str, bool],
                 into: Path) -> bool:
    """Run the rules that match inside one graph on the chunk of source files
    parsed into ``scratch`` (its text already made), with ``ontology`` added,
    and write what they derive to ``into`` as N-Quads (in ``graph:inferred``
    and the default graph), for the caller to load once validation passed.
    The rules that need a mark (:func:`_needs_mark`) are not run on a chunk
    without one. The chunk's text must hold no blank node (a load of text
    renames blank nodes, and the rules' output must name the store's).
    Returns ``False``, writing nothing, when the conclusions hold one (of
    the ontology): the caller derives those on disk."""
    scratch.raw_extend(ontology)
    marked = any(next(scratch.engine.quads_for_pattern(None, p, None, None), None) is not None for p in _MARK_TERMS)
    derived = [scratch.query(c).serialize(format=ox.RdfFormat.N_TRIPLES) or b"" for c in local_rules
               if marked or not needs_mark[c]]
    if any(b"_:" in t for t in derived):  # a blank node of the ontology
        return False
    into.write_bytes(_doubled(b"".join(derived), str(INFERRED_GRAPH)))
    return True


def _spool_collaborations(disk: ox.Store, into: Path, stop: threading.Event) -> bool:
    """Write what :func:`_collaborations` derives to ``into`` as N-Quads
    (``c0.nq``, ``c1.nq``...; in ``graph:inferred`` and the default graph),
    :data:`WRITE_CHUNK` triples a file. It reads the sources' named graphs
    only, so it runs beside validation. Returns ``False``, leaving no such
    file, when a triple names a blank node (a load of text would rename it)."""
    triples = _collaborations(disk)
    n = 0
    while not stop.is_set() and (chunk := list(itertools.islice(triples, WRITE_CHUNK))):
        text = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b""
        if b"_:" in text:
            for f in into.glob("c*.nq"):
                f.unlink()
            return False
        (into / f"c{n}.nq").write_bytes(_doubled(text, str(INFERRED_GRAPH)))
        n += 1
    return True


_LABELS = tuple(ox.NamedNode(PREFIXES[p] + n) for p, n in (("rdfs", "label"), ("skos", "altLabel"),
                                                           ("skos", "prefLabel")))
#: Predicates of the names query (queries/names.rq) that make its rows other than by a label.
_NAMING = tuple(ox.NamedNode(PREFIXES[p] + n) for p, n in (("rdfs", "subClassOf"), ("cg", "attests"), ("cg", "name")))


def _names_kept(store: Store, graphs: list[str]) -> bool:
    """Whether no triple of ``graphs`` (written after the name index was read
    from the store) can take part in a row of the names query
    (queries/names.rq): none is a ``rdfs:subClassOf``, ``cg:attests`` or
    ``cg:name``, none types a node with a class of ``cg:Entity``, and none
    labels such a node (the shapes' labels name shapes). Then the index read
    before they were written is the one read after. Index lookups only:
    ``graph:inferred`` types nothing but ``rdf:Statement`` nodes."""
    disk = store.engine
    named = [ox.NamedNode(g) for g in graphs]
    if any(next(disk.quads_for_pattern(None, p, None, g), None) is not None for g in named for p in _NAMING):
        return False
    classes = {r["t"] for r in store.query("SELECT ?t WHERE { ?t rdfs:subClassOf* cg:Entity }")}
    if any(q.object in classes for g in named for q in disk.quads_for_pattern(None, _RDF["type"], None, g)):
        return False
    return not any(t.object in classes for g in named for p in _LABELS for q in disk.quads_for_pattern(None, p, None, g)
                   for t in disk.quads_for_pattern(q.subject, _RDF["type"], None, ox.DefaultGraph()))


def _write_names(store: Store, names: Path) -> None:
    """The name index from the whole store by the names query, its rows
    streamed into the index file :data:`WRITE_CHUNK` at a time (the query
    has no grouping: the engine holds no more than a row)."""
    from ..core.queries import query_text
    from ..views.nameindex import NameIndexWriter

    index = NameIndexWriter(names)
    rows = ((r["entity"].value, r["name"].value) for r in store.query(query_text("names")))
    while chunk := list(itertools.islice(rows, WRITE_CHUNK)):
        index.add(chunk)
    index.finish()


class _Writer:
    """Every write of the streaming compile into the on-disk store, each
    triple in its graph and in the default graph (the union), and the same
    N-Quads appended to the build's snapshot as they go, so the snapshot is
    not dumped from RocksDB afterwards (20 s at 1M). A blank node in a loaded
    text keeps one label in the snapshot (each text is one load, and labels
    of different texts differ), but a term written as a term carries the
    store's label: then the copy is given up (:attr:`snapshot` ``None``; the
    caller dumps the store instead)."""

    def __init__(self, store: Store, snapshot: Path | None):
        self.store = store
        self.snapshot = snapshot
        self._out = open(snapshot, "wb") if snapshot is not None else None
        self._lock = threading.Lock()  # validation gathers a batch in a thread while it checks another

    def give_up(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
            assert self.snapshot is not None
            self.snapshot.unlink(missing_ok=True)
            self.snapshot = None

    def finish(self) -> Path | None:
        """Close the snapshot; its path, or ``None`` when it was given up."""
        if self._out is not None:
            self._out.close()
            self._out = None
        return self.snapshot

    def text(self, data: bytes) -> None:
        """Bulk-load N-Quads that hold every triple's default-graph copy already."""
        with self._lock:
            self.store.raw_load(data, union=True, bulk=True)
            if self._out is not None:
                self._out.write(data)

    def terms(self, triples: Iterable[ox.Triple], graph: ox.NamedNode) -> None:
        """Add derived ``triples`` to ``graph`` as terms (they may name the
        sources' blank nodes, whose identifiers a load of text would change),
        :data:`WRITE_CHUNK` at a time."""
        it = iter(triples)
        while chunk := list(itertools.islice(it, WRITE_CHUNK)):
            with self._lock:
                self.store.raw_extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in chunk], union=True,
                                      bulk=True)
                if self._out is None:
                    continue
                if any(isinstance(t, ox.BlankNode) for x in chunk for t in (x.subject, x.object)):
                    self.give_up()
                else:
                    self._out.write(_doubled(ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b"", graph.value))


def _doubled(triples: bytes, graph: str) -> bytes:
    """N-Triples as N-Quads in ``graph`` and in the default graph (one text:
    one load keeps a blank node's two copies one node)."""
    # N-Triples has one triple per line, each ending in " .": naming the graph before the dot is exact.
    return triples.replace(b" .\n", b" " + str(ox.NamedNode(graph)).encode() + b" .\n") + triples


def _doubled_text(scratch: Store) -> bytes:
    """Every named graph of ``scratch`` as one N-Quads text, each triple in its
    graph and in the default graph."""
    return b"".join(_doubled(scratch.engine.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b"",
                             graph) for graph in scratch.graphs())


def _write_twice(out: _Writer, scratch: Store) -> None:
    """Bulk-load every named graph of ``scratch`` into the store, each triple in
    its graph and in the default graph, as one N-Quads text (:func:`_doubled_text`)."""
    if text := _doubled_text(scratch):
        out.text(text)


class _WriteBehind:
    """Writes the load's chunks (:func:`_doubled_text`) through ``out`` in one
    thread, in order, while the caller parses the next: pyoxigraph releases
    the GIL in its parse and its bulk load, so the two run on two CPUs. At
    most one chunk waits while another is written, so memory stays that of
    a few chunks. An error of the thread is raised by the next :meth:`put`
    or by :meth:`close`."""

    def __init__(self, out: _Writer):
        self._out = out
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="streaming-load", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._error is not None:
                continue  # failed: drain until close
            try:
                if chunk:
                    self._out.text(chunk)
            except BaseException as exc:  # raised in the caller's thread
                self._error = exc

    def put(self, text: bytes) -> None:
        """Queue a chunk (waits while another one is queued)."""
        if self._error is not None:
            raise self._error
        self._queue.put(text)

    def close(self, *, raising: bool = True) -> None:
        """Wait until every queued chunk is written; ``raising``: raise the thread's error, if any."""
        self._queue.put(None)
        self._thread.join()
        if raising and self._error is not None:
            raise self._error


_CG = {n: ox.NamedNode(CG_IRI + n) for n in ("Credit", "work", "agent", "role", "editorsInference", "claimedBy",
                                            "collaboratedWith")}
_RDF = {n: ox.NamedNode(PREFIXES["rdf"] + n) for n in ("type", "Statement", "subject", "predicate", "object")}
_DERIVED = ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
_GUEST = ox.NamedNode(ROLE_IRI + "guest")
_MARK_TERMS = (_CG["editorsInference"], _CG["claimedBy"])


def _collaborations(disk: ox.Store) -> Iterator[ox.Triple]:
    """What rules 40 and 54 derive (rules/40-collaborations.ru,
    rules/54-marked-collaborations.ru), by one scan of the ``cg:work`` index:
    its named-graph quads come ordered by work, so the credits of one work are
    read together and paired in Python."""
    work: object = None
    credits: list[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode | ox.BlankNode]] = []
    done: set[object] = set()
    for q in disk.quads_for_pattern(None, _CG["work"], None, None):
        if isinstance(q.graph_name, ox.DefaultGraph):
            continue
        if q.object != work:
            yield from _pairs(disk, credits)
            done.add(work)
            if q.object in done:  # the scan must give a work's credits together, or pairs are lost
                raise RuntimeError(f"the cg:work index gave {q.object} twice apart")
            work, credits = q.object, []
        credits.append((q.subject, q.graph_name))  # type: ignore[arg-type]
    yield from _pairs(disk, credits)


def _pairs(disk: ox.Store, credits: list) -> Iterator[ox.Triple]:
    """The collaborations of one work's ``(credit, graph)`` pairs. A credit
    counts in a graph stating it a ``cg:Credit`` with its agent and role
    there; it is marked when that graph gives it a ``cg:editorsInference`` or
    ``cg:claimedBy``."""
    # One entry per (credit, graph, agent, role): (credit, agent, only a guest, whys, whos).
    entries: list[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, bool, list, list]] = []
    for credit, graph in credits:
        said: dict[ox.NamedNode, list] = {}
        for q in disk.quads_for_pattern(credit, None, None, graph):
            said.setdefault(q.predicate, []).append(q.object)
        if _CG["Credit"] not in said.get(_RDF["type"], ()):
            continue
        why, who = said.get(_CG["editorsInference"], []), said.get(_CG["claimedBy"], [])
        # STR() of a blank node is an error in the rules' FILTER: only IRI agents pair.
        entries += [(credit, a, r == _GUEST, why, who) for a in said.get(_CG["agent"], ())
                    if isinstance(a, ox.NamedNode) for r in said.get(_CG["role"], ())]
    # Rule 40: agents of unmarked credits; a pair unless both are only guests on this work.
    host: dict[ox.NamedNode, bool] = {}
    for _c, a, guest, why, who in entries:
        if not why and not who:
            host[a] = host.get(a, False) or not guest
    hosts = [a for a, h in host.items() if h]
    guests = [a for a, h in host.items() if not h]
    with_ = _CG["collaboratedWith"]
    for i, a in enumerate(hosts):
        for b in itertools.chain(hosts[i + 1:], guests):
            yield ox.Triple(a, with_, b)
            yield ox.Triple(b, with_, a)
    # Rule 54: every pair of credits with at least one marked, both IRIs (the statement's IRI is made of them).
    seen: set[tuple[int, int]] = set()
    for m, (_c, _a, _g, why, who) in enumerate(entries):
        if not why and not who:
            continue
        for e in range(len(entries)):
            for i, j in ((m, e), (e, m)):
                ca, a, ga, why_a, who_a = entries[i]
                cb, b, gb, why_b, who_b = entries[j]
                if ((i, j) in seen or not isinstance(ca, ox.NamedNode) or not isinstance(cb, ox.NamedNode)
                        or not a.value < b.value or (ga and gb)):
                    continue
                seen.add((i, j))
                s = ox.NamedNode(f"{ca.value}/with/{hashlib.sha1(cb.value.encode()).hexdigest()}")
                yield from (ox.Triple(s, _RDF["type"], _RDF["Statement"]), ox.Triple(s, _RDF["subject"], a),
                            ox.Triple(s, _RDF["predicate"], with_), ox.Triple(s, _RDF["object"], b),
                            ox.Triple(s, _DERIVED, ca), ox.Triple(s, _DERIVED, cb))
                yield from (ox.Triple(s, _CG["editorsInference"], w) for w in [*why_a, *why_b])
                yield from (ox.Triple(s, _CG["claimedBy"], w) for w in [*who_a, *who_b])
