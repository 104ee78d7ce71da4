"""Build: sources -> load -> validate (SHACL) -> infer -> persistent store.

A build is written next to its destination and swapped in only when every
step succeeded, so a failed build leaves the previous one untouched.

Layout of a build directory::

    build/
      store/          the Oxigraph store (one named graph per source file,
                      plus graph:ontology, graph:shapes and graph:inferred)
      manifest.json   what went in: files, hashes, graphs, triple counts
      summary.json    what came out: entities by type, facts, sources
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any



from .errors import SourceError, ValidationError
from .formats import SOURCE_SUFFIXES
from .names import search_key
from .namespaces import CG, GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from .queries import query_text, rule_texts
from .store import Store

__all__ = ["BuildReport", "SourceFile", "build", "validate", "compile_into", "source_files",
           "SHAPES_GRAPH", "MANIFEST", "SUMMARY", "STORE_DIR"]

SHAPES_GRAPH = str(GRAPH["shapes"])
MANIFEST, SUMMARY, STORE_DIR = "manifest.json", "summary.json", "store"


@dataclass
class SourceFile:
    """One file of ``graph/`` (or ``ontology/``) and the named graph it went to."""

    file: str
    graph: str
    sha256: str
    triples: int = 0


@dataclass
class BuildReport:
    """What a build or validation did."""

    sources: list[SourceFile]
    triples: int
    inferred: int
    seconds: float
    out: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def source_files(graph_dir: str | Path) -> list[Path]:
    """The RDF files of a source directory (recursively), sorted.

    :raises SourceError: if the directory does not exist or holds no RDF file.
    """
    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise SourceError(f"{graph_dir}: no such source directory")
    files = sorted(p for p in graph_dir.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file())
    if not files:
        raise SourceError(f"{graph_dir}: no RDF files ({', '.join(sorted(SOURCE_SUFFIXES))})")
    return files


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _shown(path: Path) -> str:
    """A path as people typed it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def compile_into(store: Store, graph_dir: str | Path, ontology_dir: str | Path, *,
                 infer: bool = True, bulk: bool = False,
                 engine: str = "sparql") -> tuple[list[SourceFile], int]:
    """Load, validate (with the SHACL ``engine``, see :mod:`collabgraph.validation`)
    and, unless ``infer`` is false, infer into ``store``.

    :returns: the source files loaded and the number of inferred triples.
    :raises SourceError: for a missing directory or file.
    :raises SourceSyntaxError: for a file that does not parse (file:line:column).
    :raises ValidationError: listing every SHACL problem.
    """
    graph_dir, ontology_dir = Path(graph_dir), Path(ontology_dir)
    ontology_file, shapes_file = ontology_dir / "collab.ttl", ontology_dir / "shapes.ttl"
    for f in (ontology_file, shapes_file):
        if not f.is_file():
            raise SourceError(f"{f}: missing ontology file")

    loaded: list[SourceFile] = []
    for path in source_files(graph_dir):
        rel = path.relative_to(graph_dir).as_posix()
        sf = SourceFile(_shown(path), str(GRAPH["file/" + rel]), _sha256(path))
        sf.triples = store.load_file(path, graph=sf.graph, display_path=sf.file, bulk=bulk)
        loaded.append(sf)
    for path, graph in ((ontology_file, str(ONTOLOGY_GRAPH)), (shapes_file, SHAPES_GRAPH)):
        store.load_file(path, graph=graph, display_path=_shown(path))

    from .validation import shacl_problems

    problems = shacl_problems(store, data_graphs=[s.graph for s in loaded],
                              ontology_graph=str(ONTOLOGY_GRAPH), shapes_path=shapes_file,
                              file_of_graph={s.graph: s.file for s in loaded}, engine=engine)
    if problems:
        raise ValidationError(problems)
    inferred = run_inference(store) if infer else 0
    return loaded, inferred


def run_inference(store: Store) -> int:
    """Run every rule of ``rules/`` in order, then add the search keys.

    Rules read the union graph (sources, ontology, earlier rules) and write
    ``graph:inferred``; returns its size."""
    inferred = str(INFERRED_GRAPH)
    store.clear_graph(inferred)
    for _name, text in rule_texts():
        store.add_triples(list(store.query(text)), graph=inferred)
    _add_search_keys(store, inferred)
    return store.count(inferred)


def _add_search_keys(store: Store, graph: str) -> None:
    import pyoxigraph as ox

    key = ox.NamedNode(str(CG.searchKey))
    triples = {
        (row["entity"].value, search_key(row["name"].value))
        for row in store.select(query_text("names"))
    }
    store.add_triples(
        (ox.Triple(ox.NamedNode(e), key, ox.Literal(k)) for e, k in sorted(triples) if k), graph=graph)


def validate(graph_dir: str | Path = "graph", ontology_dir: str | Path = "ontology", *,
             engine: str = "sparql") -> BuildReport:
    """Run every check of a build (parse, SHACL) without writing anything.

    >>> report = validate(GRAPH_DIR, ONTOLOGY_DIR)
    >>> report.triples > 500, report.inferred
    (True, 0)

    :raises SourceSyntaxError: for a file that does not parse.
    :raises ValidationError: listing every SHACL problem.
    """
    started = time.perf_counter()
    store = Store.memory()
    loaded, _ = compile_into(store, graph_dir, ontology_dir, infer=False, engine=engine)
    return BuildReport(loaded, sum(s.triples for s in loaded), 0, time.perf_counter() - started)


def build(graph_dir: str | Path = "graph", ontology_dir: str | Path = "ontology",
          out: str | Path = "build") -> BuildReport:
    """Build the sources into a persistent store at ``out``.

    Everything is written to a sibling temporary directory first and swapped
    in at the end: if any step fails, ``out`` is left as it was.

    :raises SourceError, SourceSyntaxError, ValidationError: as :func:`compile_into`.
    """
    from .api import CollabGraph

    started = time.perf_counter()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    store: Store | None = None
    try:
        store = Store.open(tmp / STORE_DIR, read_only=False)
        loaded, inferred = compile_into(store, graph_dir, ontology_dir, bulk=False)
        store.optimize()
        total = store.count()
        manifest = {
            "collabgraph": _version(),
            "built_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "graph_dir": _shown(Path(graph_dir)),
            "ontology_dir": _shown(Path(ontology_dir)),
            "sources": [asdict(s) for s in loaded],
            "triples": total,
            "inferred": inferred,
        }
        summary = CollabGraph(store, manifest=manifest).summary()
        store.close()
        store = None
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
        (tmp / SUMMARY).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", "utf-8")
        _swap_in(tmp, out)
    except BaseException:
        if store is not None:
            store.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildReport(loaded, total, inferred, time.perf_counter() - started, str(out), summary)


def _swap_in(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new``: two renames, the old build kept until the new one is in place."""
    if out.exists() and not (out / MANIFEST).is_file() and any(out.iterdir()):
        raise SourceError(f"{out}: exists and is not a collabgraph build; not replacing it")
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        if old.exists():
            os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _version() -> str:
    from . import __version__

    return __version__


def load_manifest(build_dir: Path) -> dict[str, Any]:
    return json.loads((build_dir / MANIFEST).read_text("utf-8"))


