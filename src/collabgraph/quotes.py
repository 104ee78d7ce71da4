"""Quote checks: every quote must be the source's own words.

A source document that has a local copy (``cg:localPath``) is read once; its
SHA-256 must match ``cg:sha256`` when one is given, and every ``cg:quote`` of
every fact citing it must occur in its text verbatim. A relative
``cg:localPath`` is resolved against the directory of the source file that
states it, so ``graph/`` and its copies can move together (``graph/a.ttl``
saying ``documents/a.txt`` means ``graph/documents/a.txt``).

A copy is read only inside the allowed roots (:func:`allowed_roots`: the
graph directory and the folders of source documents beside it), so that a
source file cannot make the check read ``/etc/passwd`` through
``cg:localPath "../../../../etc/passwd"``; the build's ``allow_outside``
(``--allow-outside``) lifts that.

A source with no local copy whose facts have quotes cannot be checked: that
is a note (once per source), not a failure. (Database records cited by
locator alone have nothing to check.) Only sources with a copy cost a query, so a generated
million-triple graph, whose sources have none, is not slowed down.

>>> from collabgraph.store import Store
>>> _ = (tmp / "doc.txt").write_text("The cat sat on the mat.", encoding="utf-8")
>>> store = Store.memory()
>>> store.load_data('''@prefix cg: <https://w3id.org/collabgraph/ns#> .
...   <https://e/doc> a cg:SourceDocument ; cg:localPath "doc.txt" .
...   <https://e/f1> cg:source <https://e/doc> ; cg:quote "The cat sat" .
...   <https://e/f2> cg:source <https://e/doc> ; cg:quote "The dog sat" .
...   <https://e/elsewhere> a cg:SourceDocument . <https://e/f3> cg:source <https://e/elsewhere> ; cg:quote "x" .
...   <https://e/record> a cg:SourceDocument . <https://e/f4> cg:source <https://e/record> ; cg:locator "Q1$1" .''', "turtle", graph="https://g/a")
12
>>> found = check_quotes(store, file_of_graph={"https://g/a": "a.ttl"},
...                      path_of_graph={"https://g/a": tmp / "a.ttl"})
>>> [str(p) for p in found.problems]
["a.ttl: https://e/f2: quote not found verbatim in .../doc.txt: 'The dog sat' [cg:quote verbatim]"]
>>> found.notes
['https://e/elsewhere: has no cg:localPath (no copy of the source to check its quotes against); its quotes are not checked']
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .namespaces import curie
from .store import Store
from .terms import lexical

__all__ = ["QuoteCheck", "check_quotes", "allowed_roots"]

RULE = "cg:quote verbatim"

_COPIES = """
SELECT ?g ?source ?path ?sha WHERE {
  GRAPH ?g { ?source cg:localPath ?path }
  OPTIONAL { ?source cg:sha256 ?sha }
}"""

_UNCOPIED = """
SELECT DISTINCT ?source WHERE {
  ?source a cg:SourceDocument .
  FILTER NOT EXISTS { ?source cg:localPath ?path }
} ORDER BY ?source"""
# Asked per source with the source bound: as a FILTER EXISTS over every source it
# cost 2.3 s at 100k triples (Oxigraph starts from every quote).
_HAS_QUOTES = "ASK { ?fact cg:source ?source ; cg:quote ?quote }"

_QUOTES = "SELECT ?g ?fact ?quote ?source WHERE { GRAPH ?g { ?fact cg:source ?source ; cg:quote ?quote } }"


@dataclass
class QuoteCheck:
    """What :func:`check_quotes` found: ``problems`` fail validation,
    ``notes`` (sources that could not be checked) do not."""

    problems: list[Problem]
    notes: list[str]
    checked: int = 0


def allowed_roots(graph_dir: str | Path) -> list[Path]:
    """The folders a ``cg:localPath`` may point into: the graph directory,
    ``sources/`` beside it, and the shared folder's ``sources/`` beside the
    repository (``graph/../../shared/sources``, where the bundled article's
    copy is kept), each with its links resolved.

    >>> [p.name for p in allowed_roots("graph")]
    ['graph', 'sources', 'sources']
    """
    graph_dir = Path(graph_dir).resolve()
    return [graph_dir, graph_dir.parent / "sources", graph_dir.parent.parent / "shared" / "sources"]


def _outside(path: Path, roots: list[Path]) -> bool:
    target = path.resolve()
    return not any(target.is_relative_to(root.resolve()) for root in roots)


def check_quotes(store: Store, *, file_of_graph: dict[str, str],
                 path_of_graph: dict[str, Path], roots: list[Path] | None = None) -> QuoteCheck:
    """Check the quotes of every source with a local copy against it.

    :param file_of_graph: named graph -> the source file as shown to people.
    :param path_of_graph: named graph -> the source file on disk, for
        resolving relative ``cg:localPath`` values.
    :param roots: the folders a copy may lie in (links resolved); a
        ``cg:localPath`` outside them is a problem and is not read. ``None``:
        anywhere.
    :returns: problems (one per missing quote, wrong checksum, unreadable
        copy) and notes (one per source with no local copy).
    """
    problems: list[Problem] = []
    notes: list[str] = []
    checked = 0
    copies: dict[str, list[tuple[str, str, str | None]]] = {}
    for row in store.select(_COPIES):
        g = row["g"].value
        if g not in path_of_graph:
            continue
        sha = lexical(row["sha"])
        copies.setdefault(row["source"].value, []).append((g, row["path"].value, sha))

    for source, declared in sorted(copies.items()):
        g, path, sha = declared[0]
        declaring = file_of_graph.get(g, g)
        copy = (path_of_graph[g].parent / path)
        shown = _shown(copy)
        if roots is not None and _outside(copy, roots):
            problems.append(Problem(declaring, curie(source), RULE,
                                    f"cg:localPath {path!r} resolves outside the graph directory and its sources "
                                    "folders; not read (--allow-outside reads it)"))
            continue
        try:
            raw = copy.read_bytes()
        except OSError:
            notes.append(f"{curie(source)}: its local copy is missing: {declaring} gives cg:localPath "
                         f"{path!r}, which is {copy.resolve()}; its quotes are not checked")
            continue
        if sha is not None and hashlib.sha256(raw).hexdigest() != sha:
            problems.append(Problem(declaring, curie(source), RULE,
                                    f"{shown} does not match cg:sha256: not the copy that was quoted"))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(declaring, curie(source), RULE, f"{shown} is not UTF-8 text ({exc.reason})"))
            continue
        for row in store.select(_QUOTES, source=_iri(source)):
            quote = row["quote"].value
            checked += 1
            if quote not in text:
                fact_graph = row["g"].value
                problems.append(Problem(file_of_graph.get(fact_graph, fact_graph), curie(row["fact"].value), RULE,
                                        f"quote not found verbatim in {shown}: {_short(quote)!r}"))

    for row in store.select(_UNCOPIED):
        source = row["source"].value
        if source not in copies and store.query(_HAS_QUOTES, {"source": _iri(source)}):
            notes.append(f"{curie(source)}: has no cg:localPath (no copy of the source to check its "
                         "quotes against); its quotes are not checked")
    return QuoteCheck(sorted(set(problems), key=lambda p: (p.file, p.focus, p.message)), notes, checked)


def _iri(value: str):
    from rdflib import URIRef

    return URIRef(value)


def _short(quote: str, limit: int = 80) -> str:
    return quote if len(quote) <= limit else quote[:limit - 1] + "…"


def _shown(path: Path) -> str:
    """A path relative to the working directory when inside it, else absolute."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)

