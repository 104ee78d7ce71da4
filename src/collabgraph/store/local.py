"""The quad store: one pyoxigraph ``Store`` (in memory or on disk) behind a
small interface, so the rest of collabgraph never touches the engine's API.

Queries see the *set union* of all named graphs as their default graph (each
triple once, however many graphs state it), take the project prefixes
without declaring them, and bind parameters through a VALUES block, never
by pasting text. The union is kept, materialised, in the store's own default
graph: the engine then answers by the standard (``FROM``, ``FROM NAMED``,
the protocol's dataset parameters, updates) with no special mode, and
lookups cost what they cost on any graph. See docs/sparql.md.

>>> s = Store.memory()
>>> s.load_data('<https://e/a> <https://e/p> "x" .', "ntriples", graph="https://g/1")
1
>>> [r["o"].value for r in s.select("SELECT ?s ?o WHERE { ?s ?p ?o }", s=ox.NamedNode("https://e/a"))]
['x']
"""

from __future__ import annotations

import functools
import re
import threading
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol, TypeVar, runtime_checkable

import pyoxigraph as ox

from ..core.errors import QueryError, QuerySyntaxError, QueryTooComplex, SourceRefused, SourceSyntaxError, StoreBusy, UpdateNotAllowed
from ..core.formats import RDF_FORMATS, rdf_format_for_path, serialized
from ..core.names import close_matches
from ..core.namespaces import BASE, GRAPH_IRI, PREFIXES
from ..core.sourcecheck import named_graph_line, prescan, prescan_text, xml_error_position
from ..core.sparqlguard import check_outgoing
from ..core.sparqltext import (QUERY_FORMS, UPDATE_KEYWORDS, keywords, query_form, tokens, too_complex,
                         undeclared_prefixes, where_brace, writes_named_graphs)
from ..core.terms import to_ox

__all__ = ["Store", "StoreLike", "bind_values", "fill_values", "select_values", "EDITS_GRAPH", "BASE_IRI"]

#: Where an update's INSERT into the (union) default graph goes: the default
#: graph is a view of the named graphs, so what is added to it must land in one.
EDITS_GRAPH = GRAPH_IRI + "edits"
#: The base IRI relative IRIs in queries and updates resolve against (the
#: server uses its endpoint's URL instead).
BASE_IRI = BASE

#: After an update that wrote named graphs: the default graph follows them.
_SYNC_DEFAULT = ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } ;\n"
                 "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }")
_FILL_DEFAULT = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
#: After an update that wrote only the default graph: its new triples go to
#: the edits graph, and triples it deleted leave every named graph holding them.
_PUSH_DEFAULT = (f"INSERT {{ GRAPH <{EDITS_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o "
                 "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } ;\n"
                 "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }")

_POSITION = re.compile(r"(?:at|line)\s*(\d+):(\d+)")
_ITEM = re.compile(r"\[(?:[^\]\\]|\\.)*\]|\"(?:[^\"\\]|\\.)*\"|[^,]+")


def _query_error(exc: SyntaxError, query: str, sent: str | None = None, *, update: bool = False) -> QueryError:
    """A one-line error for SPARQL Oxigraph could not parse: an update sent
    as a query and an undeclared prefix are named as such; otherwise the
    engine's message without its character-class listings. ``sent`` is the
    text the engine saw (``query`` with a VALUES block); positions are given
    in ``query``, as its author wrote it."""
    message = " ".join((str(exc.args[0]) if exc.args else str(exc)).split())
    m = _POSITION.search(message)
    line: int | None = None
    column: int | None = None
    if m:
        line, column = int(m.group(1)), int(m.group(2))
        message = _POSITION.sub("", message).replace("error :", "").strip(" :")
        if sent is not None and sent != query:
            line, column = _unshift(line, column, sent, query)
    form = query_form(query)
    if not update and form in UPDATE_KEYWORDS:
        return UpdateNotAllowed(form)
    if not update and form is not None and form not in QUERY_FORMS:
        return _unknown_form(query)
    for prefix, p_line, p_column in undeclared_prefixes(query, PREFIXES):
        if line is None or (p_line, p_column) <= (line, column):
            return QuerySyntaxError(f"unknown prefix {prefix}: (declare it with PREFIX {prefix}: <...>, or use "
                                    f"a predeclared one: {', '.join(p + ':' for p in PREFIXES)})", p_line, p_column)
        break
    expected = re.fullmatch(r"expected (?:one of )?(.*)", message)
    if expected:
        items = [i.strip() for i in _ITEM.findall(expected.group(1))]
        words = [i for i in items if i and not i.startswith("[") and i != "Prefix not found"]
        message = ("expected one of " + ", ".join(words) if len(words) > 1 else
                   f"expected {words[0]}" if words else "unexpected text")
    return QuerySyntaxError(message, line, column)


def _unknown_form(query: str) -> QuerySyntaxError:
    """``SELEC ?s ...``: named at the misspelt word (the engine reports where it gave up)."""
    word, offset = next((text, at) for kind, text, at in tokens(query)
                        if kind == "word" and text.upper() not in ("PREFIX", "BASE"))
    line, column = query.count("\n", 0, offset) + 1, offset - query.rfind("\n", 0, offset)
    close = close_matches(word, QUERY_FORMS, limit=1)
    hint = f"; did you mean {close[0][0]}?" if close else ""
    return QuerySyntaxError(f"{word!r} is not a query form: a query starts with "
                            f"{', '.join(QUERY_FORMS[:-1])} or {QUERY_FORMS[-1]}{hint}", line, column)


def _unshift(line: int, column: int, sent: str, query: str) -> tuple[int, int]:
    """A position in ``sent`` (``query`` with text inserted at one place) as
    the same position in ``query``."""
    starts = [0] + [i + 1 for i, ch in enumerate(sent) if ch == "\n"]
    offset = starts[min(line, len(starts)) - 1] + column - 1
    inserted_at = next((i for i, (a, b) in enumerate(zip(sent, query)) if a != b), len(query))
    extra = len(sent) - len(query)
    if offset >= inserted_at + extra:
        offset -= extra
    elif offset > inserted_at:
        offset = inserted_at
    line = query.count("\n", 0, offset) + 1
    return line, offset - (query.rfind("\n", 0, offset) + 1) + 1


@runtime_checkable
class StoreLike(Protocol):
    """What the facade (:class:`~collabgraph.api.CollabGraph`), the views and the
    server use of a store: a local :class:`Store` or a SPARQL endpoint's
    :class:`~collabgraph.store.remote.RemoteStore`. Loading and building need a
    :class:`Store` itself.

    >>> isinstance(Store.memory(), StoreLike)
    True
    """

    #: SERVICE endpoints and LOAD sources a query or update may send a request to (see :class:`Store`).
    allow_service: tuple[str, ...]
    allow_load: tuple[str, ...]

    def query(self, query: str, bindings: dict[str, Any] | None = None, *, union: bool = True,
              graphs: list[str] | None = None, named: list[str] | None = None,
              base_iri: str | None = BASE_IRI) -> Any:
        """Run a SPARQL query: pyoxigraph's solutions, boolean or triples."""
        ...

    def select(self, query: str, **bindings: Any) -> Iterator[Any]:
        """The solutions of a SELECT query with ``bindings`` bound."""
        ...

    def update(self, update: str, *, base_iri: str | None = BASE_IRI) -> None:
        """Run a SPARQL update on the named graphs."""
        ...

    def update_dataset(self, update: str, *, base_iri: str | None = BASE_IRI) -> None:
        """Run a user's SPARQL update against the dataset queries see."""
        ...

    def count(self, graph: str | None = None) -> int:
        """Number of quads, or of triples in one named graph."""
        ...

    def graphs(self) -> list[str]:
        """The named graphs, sorted."""
        ...

    def dump(self, output: Any, format: str, *, graph: str | None = None) -> None:
        """Serialise the dataset (or one named graph) to a path or binary stream."""
        ...

    def close(self) -> None:
        """Release the store (a later query may fail)."""
        ...


class Store:
    """A quad store with named graphs.

    Use :meth:`memory` for a throw-away store and :meth:`open` for one on
    disk. Reading commands open on-disk stores with ``read_only=True`` so
    several processes can read one build at once.
    """

    #: SERVICE endpoints and LOAD sources a query or update on this store may
    #: send a request to (an IRI, or a prefix ending in ``/``); none by default:
    #: a query with SERVICE, or an update with LOAD, is refused
    #: (:class:`~collabgraph.core.sparqlguard.OutgoingRefused`).
    allow_service: tuple[str, ...] = ()
    allow_load: tuple[str, ...] = ()

    def __init__(self, store: ox.Store, *, path: Path | None = None, read_only: bool = False):
        self._store = store
        self.path = path
        self.read_only = read_only
        #: Whether the default graph may differ from the union of the named
        #: graphs (set by every write, cleared by :meth:`refresh_default_graph`);
        #: a store on disk was refreshed before it was closed.
        self._stale = path is None
        self._legacy: bool | None = None
        #: the default graph is never materialised (see :meth:`open_union`)
        self._union_view = False
        self._refreshing = threading.Lock()  # threads of a build query one store at once

    # -- opening ---------------------------------------------------------------
    @classmethod
    def memory(cls, *, union_view: bool = False) -> "Store":
        """A new empty in-memory store. ``union_view``: its default graph is
        never materialised (as :meth:`open_union`): queries see the union of
        the named graphs through the engine's union mode, so a store that is
        written once and queried a few times does not copy every triple into
        its default graph (the streaming build's scratch stores, issue 23).

        >>> s = Store.memory(union_view=True)
        >>> s.load_data('<https://e/a> <https://e/p> "x" .', "ntriples", graph="https://g/1")
        1
        >>> len(list(s.query("SELECT ?s WHERE { ?s ?p ?o }"))), len(list(s.engine.quads_for_pattern(None, None, None)))
        (1, 1)
        """
        store = cls(ox.Store())
        store._union_view, store._stale = union_view, not union_view
        return store

    @classmethod
    def from_nquads(cls, path: str | Path) -> "Store":
        """A read-only in-memory store holding an N-Quads file this package
        wrote (read leniently: its terms were checked when it was written)."""
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
        loaded = cls(store, read_only=True)
        loaded._stale = False  # written by write_nquads, default graph included (or an older file: see _union_scope)
        return loaded

    def in_memory(self) -> "Store":
        """A read-only in-memory copy of this store."""
        self._fresh()
        store = ox.Store()
        store.load(self._store.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS, lenient=True)
        copy = Store(store, read_only=True)
        copy._stale = self._stale
        return copy

    def write_nquads(self, path: str | Path) -> None:
        """Write every quad to an N-Quads file (streamed by Oxigraph), the
        materialised default graph included, so that a reload needs no refresh."""
        self._fresh()
        self._store.dump(str(path), format=ox.RdfFormat.N_QUADS)

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = True) -> "Store":
        """Open (or, with ``read_only=False``, create) the store at ``path``.

        :raises StoreBusy: when another process holds it for writing.
        """
        path = Path(path)
        try:
            store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreBusy(f"{path}: the store is in use by another process ({exc})") from exc
            raise
        return cls(store, path=path, read_only=read_only)

    @classmethod
    def open_union(cls, path: str | Path, *, read_only: bool = True) -> "Store":
        """Open (or create) an on-disk store whose default graph is never
        materialised: queries see the union of its named graphs through the
        engine's union mode, so replacing one graph costs that graph only, not a
        rewrite of the union (a cache written one source file at a time).

        :raises StoreBusy: as :meth:`open`.
        """
        store = cls.open(path, read_only=read_only)
        store._union_view, store._stale = True, False
        return store

    def close(self) -> None:
        """Flush and release the store (it cannot be used afterwards)."""
        if not self.read_only and self.path is not None:
            self._fresh()
            self._store.flush()
        self._store = None  # type: ignore[assignment]

    def discard(self) -> None:
        """Release the store without flushing it or making its union (a failed
        build whose directory the caller removes)."""
        self._store = None  # type: ignore[assignment]

    # -- raw access: a build's bulk paths ----------------------------------------
    @property
    def engine(self) -> ox.Store:
        """The pyoxigraph store itself, for a build's own reads (index scans,
        its own query text: no guard, no union refresh). Write through
        :meth:`raw_load` and :meth:`raw_extend`, which keep track of the union."""
        return self._store

    def raw_load(self, data: bytes, *, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, graph: str | None = None,
                 union: bool = False, bulk: bool = False) -> None:
        """Load text this package wrote (read leniently: its terms were checked
        when it was first parsed) into ``graph`` (N-Triples) or as it says
        (N-Quads); ``bulk``: with Oxigraph's bulk loader (on-disk stores).

        ``union``: the load keeps the materialised union as current as it was.
        N-Triples into ``graph`` go to the default graph too, in the same load
        (so a blank node's two copies stay one node); N-Quads must hold each
        triple's default-graph copy already. Otherwise the union is made again
        before the next query.

        >>> s = Store.memory()
        >>> s.raw_load(b'<https://e/a> <https://e/p> "x" .\\n', format=ox.RdfFormat.N_TRIPLES, graph="https://g/1",
        ...            union=True)
        >>> len(list(s.engine.quads_for_pattern(None, None, None, ox.DefaultGraph())))
        1
        """
        to: dict[str, Any] = {}
        if union and format == ox.RdfFormat.N_TRIPLES:
            if graph is None:
                raise ValueError("union=True loads N-Triples into a named graph")
            # N-Triples has one triple per line, each ending in " .": naming the graph before the dot is exact.
            data = data.replace(b" .\n", b" " + str(ox.NamedNode(graph)).encode() + b" .\n") + data
            format = ox.RdfFormat.N_QUADS
        elif graph is not None:
            to["to_graph"] = ox.NamedNode(graph)
        if not union:
            self._stale = True
        if bulk:
            self._store.bulk_load(data, format=format, lenient=True, **to)
        else:
            self._store.load(data, format=format, lenient=True, **to)

    def raw_extend(self, quads: Iterable[ox.Quad], *, union: bool = False, bulk: bool = False) -> None:
        """Add ``quads`` as terms (blank nodes kept as they are); ``union``: each
        also in the default graph (see :meth:`raw_load`)."""
        if union:
            quads = [q for x in quads for q in (x, ox.Quad(x.subject, x.predicate, x.object, ox.DefaultGraph()))]
        else:
            self._stale = True
        if bulk:
            self._store.bulk_extend(quads)
        else:
            self._store.extend(quads)

    def union_written(self) -> None:
        """Say that the default graph is the union of the named graphs: every
        write since the store was made went through :meth:`raw_load` or
        :meth:`raw_extend` with ``union=True``."""
        self._stale = False

    # -- writing ---------------------------------------------------------------
    def load_file(self, path: str | Path, *, graph: str, display_path: str | None = None,
                  bulk: bool = False, format_of: str | Path | None = None) -> int:
        """Parse an RDF file into the named graph ``graph``; return the quad count.

        A file may write only ``graph``: the default graph of a TriG, N-Quads
        or JSON-LD file goes there, and a quad in any other named graph is
        refused. RDF/XML entities that could expand without bound are refused
        before the parser sees them (see :mod:`collabgraph.core.sourcecheck`).

        ``format_of`` is the path whose suffix names the format, when ``path``
        is a staged copy of it (see :class:`collabgraph.core.durable.Changes`).

        :raises SourceSyntaxError: naming the file, line and column of the first error.
        :raises SourceRefused: for a named graph, or entities past the limits.
        """
        fmt = rdf_format_for_path(format_of or path)
        shown = display_path or str(path)
        prescan(path, shown, fmt)
        if fmt.datasets:
            self._only_own_graph(path, shown, fmt, graph)
        self._stale = True
        before = self.count(graph)
        try:
            if bulk:
                self._store.bulk_load(path=str(path), format=fmt.ox, to_graph=ox.NamedNode(graph))
            else:
                self._store.load(path=str(path), format=fmt.ox, to_graph=ox.NamedNode(graph))
        except SyntaxError as exc:
            error = _syntax_error(exc, shown)
            if error.line is None and fmt.name == "rdfxml":  # the RDF/XML parser gives no position
                where = xml_error_position(path)
                if where:
                    error = SourceSyntaxError(shown, *where, error.message)
            raise error from None
        return self.count(graph) - before

    @staticmethod
    def _only_own_graph(path: str | Path, shown: str, fmt, graph: str) -> None:
        """Parse a dataset file on its own first: it must state nothing outside ``graph``."""
        scratch = ox.Store()
        try:
            scratch.load(path=str(path), format=fmt.ox, to_graph=ox.NamedNode(graph))
        except SyntaxError as exc:
            raise _syntax_error(exc, shown) from None
        others = sorted(g.value for g in scratch.named_graphs()
                        if not (isinstance(g, ox.NamedNode) and g.value == graph))
        if others:
            raise SourceRefused(shown, named_graph_line(path, fmt),
                                f"states triples in the named graph <{others[0]}>; a source file may write only "
                                "its own graph, so state them outside any graph block")

    def load_data(self, data: str | bytes, format: str, *, graph: str) -> int:
        """Parse RDF text (``format`` a key of :data:`RDF_FORMATS`) into ``graph``."""
        if format == "rdfxml":
            prescan_text(data if isinstance(data, str) else data.decode("utf-8", "replace"), "<data>")
        self._stale = True
        before = self.count(graph)
        try:
            self._store.load(data, format=RDF_FORMATS[format].ox, to_graph=ox.NamedNode(graph))
        except SyntaxError as exc:
            raise _syntax_error(exc, "<data>") from None
        return self.count(graph) - before

    def add_triples(self, triples: Iterable[ox.Triple], *, graph: str) -> int:
        self._stale = True
        g = ox.NamedNode(graph)
        quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
        self._store.extend(quads)
        return len(quads)

    def copy_graph_from(self, other: "Store", graph: str) -> int:
        """Copy one named graph of ``other`` into this store (N-Quads, inside Oxigraph)."""
        self._stale = True
        data = other._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
        return self.count(graph)

    def nquads(self, graphs: Iterable[str], *, default_graph: bool = False) -> bytes:
        """The named ``graphs`` as one N-Quads document, serialised by Oxigraph
        (one load of it keeps blank nodes shared between the graphs shared);
        with ``default_graph``, the default graph (the union) as well."""
        parts = []
        if default_graph:
            self._fresh()
            parts.append(self._dumped(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
        for graph in graphs:
            g = ox.NamedNode(graph)
            # N-Triples has one triple per line, each ending in " .", and escapes
            # line breaks inside literals: naming the graph before the dot is exact.
            parts.append(self._dumped(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
                         .replace(b" .\n", b" " + str(g).encode() + b" .\n"))
        return b"".join(parts)

    def quads_for_writing(self, graphs: Iterable[str], *, default_graph: bool = False) -> Iterator[ox.Quad]:
        """The quads of the named ``graphs`` (and, with ``default_graph``, of the
        default graph, i.e. the union) as terms, one at a time: what
        :meth:`nquads` gives as text, without the text (which held the whole union
        in memory) and with blank nodes as they are (a load of text renames them)."""
        if default_graph:
            self._fresh()
            yield from self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        for graph in graphs:
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def write_nquads_of(self, path: str | Path, graphs: Iterable[str], *, default_graph: bool = False) -> None:
        """Write what :meth:`quads_for_writing` gives to an N-Quads file, streamed by Oxigraph."""
        with open(path, "wb") as out:
            if default_graph:
                self._fresh()
                self._store.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            for graph in graphs:
                ox.serialize(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)), out,
                             format=ox.RdfFormat.N_QUADS)

    def write_ntriples_of(self, path: str | Path, graph: str) -> None:
        """Write the triples of one named graph to an N-Triples file, streamed by Oxigraph."""
        self._store.dump(str(path), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))

    def backup(self, path: str | Path) -> None:
        """Copy this on-disk store to a new directory ``path`` (Oxigraph's
        backup: hard links to the immutable files, so it takes a moment
        whatever the size)."""
        self._store.backup(str(path))

    def quads(self, graph: str) -> list[ox.Quad]:
        """Every quad of one named graph."""
        return list(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def quads_about(self, graph: str, iris: Iterable[str]) -> set[ox.Quad]:
        """The quads of one named graph with one of ``iris`` as subject or object."""
        g = ox.NamedNode(graph)
        found: set[ox.Quad] = set()
        for iri in iris:
            node = ox.NamedNode(iri)
            found.update(self._store.quads_for_pattern(node, None, None, g))
            found.update(self._store.quads_for_pattern(None, None, node, g))
        return found

    def has_blank_nodes(self, graph: str) -> bool:
        """Whether a blank node is the subject or object of a quad of ``graph``."""
        return bool(self.query(f"ASK {{ GRAPH ?g {{ {_BLANK} }} }}", {"g": ox.NamedNode(graph)}, union=False))

    def graphs_with_blank_nodes(self) -> set[str]:
        """The named graphs with a blank node as the subject or object of a quad
        (blank nodes get new identifiers in every load, so copies of these
        graphs cannot be kept across loads when other graphs point into them)."""
        return {r["g"].value for r in self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {_BLANK} }} }}",
                                                   union=False)}

    def persist(self, path: str | Path) -> "Store":
        """Write everything into a new on-disk store at ``path`` with Oxigraph's
        bulk loader, compact it, and return it opened read-write."""
        self._fresh()
        disk = ox.Store(str(path))
        disk.bulk_load(self._store.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        disk.optimize()
        return Store(disk, path=Path(path), read_only=False)

    def change_quads(self, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """Remove ``removed`` and add ``added`` (quads of named graphs; one in
        both stays), and keep the materialised default graph the union of the
        named graphs by the same delta: a triple leaves it only when no named
        graph holds it any more. The cost follows the change, where a write through
        :meth:`update` or :meth:`load_file` makes the next query rebuild the
        whole default graph (minutes at 10M triples; issue 23).

        :returns: the quads really removed and added (not those that were
            absent, or already present).
        """
        adding = dict.fromkeys(added)
        gone = [q for q in dict.fromkeys(removed) if q not in adding and q in self._store]
        new = [q for q in adding if q not in self._store]
        for q in gone:
            self._store.remove(q)
        self._store.extend(new)
        if not self._union_view and not self._stale and not self._is_legacy():
            default = ox.DefaultGraph()
            self._store.extend([ox.Quad(q.subject, q.predicate, q.object, default) for q in new])
            for s, p, o in dict.fromkeys((q.subject, q.predicate, q.object) for q in gone):
                if not any(not isinstance(q.graph_name, ox.DefaultGraph) for q in self._store.quads_for_pattern(s, p, o)):
                    self._store.remove(ox.Quad(s, p, o, default))
        return gone, new

    def clear_graph(self, graph: str) -> None:
        self._stale = True
        self._store.clear_graph(ox.NamedNode(graph))

    def remove_graph(self, graph: str) -> None:
        """Delete a named graph and everything in it (an empty one leaves the default graph as it is)."""
        g = ox.NamedNode(graph)
        if next(self._store.quads_for_pattern(None, None, None, g), None) is not None:
            self._stale = True
        self._store.remove_graph(g)

    def optimize(self) -> None:
        self._store.optimize()

    def flush(self) -> None:
        self._store.flush()

    # -- the default graph -----------------------------------------------------
    def refresh_default_graph(self) -> None:
        """Make the store's default graph the set union of its named graphs
        (each triple once). Writes through this class call it when needed;
        a build does so before it is saved."""
        self._store.clear_graph(ox.DefaultGraph())
        self._store.update(_FILL_DEFAULT)
        self._stale, self._legacy = False, False

    def _fresh(self) -> None:
        if self._union_view:
            return
        if self._stale and self._store is not None and not (self.read_only and self.path is not None):
            with self._refreshing:
                if self._stale:  # another thread may have refreshed it while this one waited
                    self.refresh_default_graph()

    def _is_legacy(self) -> bool:
        """Whether the default graph is empty while named graphs are not (a store
        written before the union was materialised)."""
        if self._legacy is None:
            self._legacy = (next(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is None
                            and next(iter(self._store.named_graphs()), None) is not None)
        return self._legacy

    def _union_scope(self, text: str) -> dict[str, Any]:
        """The engine options that give a query the union default graph. A
        store written before the union was materialised (its default graph
        empty, its named graphs not) gets Oxigraph's union mode instead,
        unless the query states its own dataset (which that mode would override)."""
        if self._union_view:
            return {} if {"FROM"} & set(keywords(text)) else {"use_default_graph_as_union": True}
        self._fresh()
        if self._is_legacy() and not self.read_only:  # written by an older collabgraph: bring it up to date
            self.refresh_default_graph()
        if self._legacy and not {"FROM"} & set(keywords(text)):
            return {"use_default_graph_as_union": True}
        return {}

    # -- reading ---------------------------------------------------------------
    def query(self, query: str, bindings: dict[str, Any] | None = None, *, union: bool = True,
              graphs: list[str] | None = None, named: list[str] | None = None, base_iri: str | None = BASE_IRI):
        """Run a SPARQL query; ``bindings`` maps variable names to values
        (see :func:`bind_values`).

        The dataset is, by the standard: the one given by ``graphs`` and
        ``named`` (the protocol's ``default-graph-uri`` and ``named-graph-uri``;
        ``graphs`` alone keeps every named graph for ``GRAPH``) if either is given, else the query's own ``FROM``/``FROM NAMED``, else
        the set union of all named graphs as the default graph and every named
        graph for ``GRAPH``. ``union=False`` is kept for callers that query
        named graphs only. Relative IRIs resolve against ``base_iri``.
        Returns pyoxigraph's ``QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``.

        :raises QuerySyntaxError: with the line and column of the error.
        """
        check_shape(query)
        text = bind_values(query, bindings) if bindings else query
        check_outgoing(text, allow_service=self.allow_service, prefixes=PREFIXES)
        if graphs is None and named is None:
            scope = self._union_scope(text) if union else {}
        else:
            # ``named`` alone: the default graph is empty (SPARQL 1.1 Protocol §2.1.4); ``graphs`` alone leaves
            # GRAPH every named graph (the server passes ``named=[]`` for the protocol's reading).
            scope = {"default_graph": [ox.NamedNode(g) for g in graphs or []]}
            if named is not None:
                scope["named_graphs"] = [ox.NamedNode(g) for g in named]
            if graphs is not None and named is None and set(graphs) == set(self.graphs()):
                scope = self._union_scope(text)  # every graph: the materialised union (each triple once)
        try:
            return self._store.query(text, prefixes=PREFIXES, base_iri=base_iri, **scope)
        except SyntaxError as exc:
            raise _query_error(exc, query, text) from None
        except (RuntimeError, OSError, ValueError) as exc:
            raise QueryError(str(exc)) from None

    def select(self, query: str, **bindings: Any) -> Iterator[ox.QuerySolution]:
        return iter(self.query(query, bindings))

    def update(self, update: str, *, base_iri: str | None = BASE_IRI) -> None:
        """Run a SPARQL update on the named graphs (the engine's own terms);
        the default graph is recomputed from them before the next query."""
        self._update(update, base_iri=base_iri, keeps_union=False)

    def update_keeping_union(self, update: str, *, base_iri: str | None = BASE_IRI) -> None:
        """:meth:`update`, where the caller's updates keep the default graph the
        union themselves (an incremental build, which must not rebuild it whole)."""
        self._update(update, base_iri=base_iri, keeps_union=True)

    def _update(self, update: str, *, base_iri: str | None, keeps_union: bool) -> None:
        check_shape(update)
        check_outgoing(update, update=True, allow_service=self.allow_service, allow_load=self.allow_load,
                       prefixes=PREFIXES)
        self._stale = self._stale or not keeps_union
        try:
            self._store.update(update, prefixes=PREFIXES, base_iri=base_iri)
        except SyntaxError as exc:
            raise _query_error(exc, update, update=True) from None

    def update_dataset(self, update: str, *, base_iri: str | None = BASE_IRI) -> None:
        """Run a user's SPARQL update against the dataset queries see.

        An update that writes no graph by name (see
        :func:`~collabgraph.core.sparqltext.writes_named_graphs`: ``USING`` and a
        ``GRAPH`` in its WHERE clause only read) works on the union default
        graph: what it deletes is deleted from every named graph that holds it,
        and what it inserts goes to the named graph :data:`EDITS_GRAPH`. An
        update that writes named graphs works on them, and the default graph is
        recomputed from them after it.

        :raises QuerySyntaxError: for text the engine cannot parse.
        :raises RuntimeError: (or ``ValueError``) when the engine refuses to run it.
        """
        check_shape(update)
        check_outgoing(update, update=True, allow_service=self.allow_service, allow_load=self.allow_load,
                       prefixes=PREFIXES)
        self._union_scope("")  # the default graph up to date (a store of an older collabgraph: filled now)
        try:
            self._store.update(update, prefixes=PREFIXES, base_iri=base_iri)
        except SyntaxError as exc:
            raise _query_error(exc, update, update=True) from None
        # Both repairs scan the store once; a full refresh would rewrite the whole default graph.
        self._store.update(_SYNC_DEFAULT if writes_named_graphs(update) else _PUSH_DEFAULT)

    def count(self, graph: str | None = None) -> int:
        """Number of quads in the store, or of triples in one named graph."""
        if graph is None:
            res = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        else:
            res = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                    default_graph=ox.NamedNode(graph))
        assert isinstance(res, ox.QuerySolutions)  # a SELECT
        return int(next(iter(res))["n"].value)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, output: Any, format: str, *, graph: str | None = None) -> None:
        """Serialise the dataset (or one named graph) to a path or binary stream.

        A triple format (Turtle, N-Triples, RDF/XML) given no ``graph`` gets the
        union of all graphs, since it cannot say which graph a triple is in.
        """
        fmt = RDF_FORMATS[format]
        prefixes = None if fmt.name in ("ntriples", "nquads") else PREFIXES
        if graph is None and not fmt.datasets:
            triples = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", **self._union_scope(""))
            assert isinstance(triples, ox.QueryTriples)  # a CONSTRUCT
            _write(output, serialized(triples, fmt.ox, prefixes=prefixes))
            return
        if graph is None:  # the named graphs only: the default graph is their union, already in them
            quads = (q for q in self._store.quads_for_pattern(None, None, None)
                     if not isinstance(q.graph_name, ox.DefaultGraph))
            _write(output, serialized(quads, fmt.ox, prefixes=prefixes))
            return
        _write(output, self._dumped(format=fmt.ox, from_graph=ox.NamedNode(graph), prefixes=prefixes))

    def _dumped(self, **options: Any) -> bytes:
        """pyoxigraph's ``Store.dump`` into bytes (typed ``bytes | None``: None only given an output)."""
        data = self._store.dump(**options)
        if data is None:
            raise TypeError("pyoxigraph returned no bytes")
        return data


T = TypeVar("T")
_STACK_LOCK = threading.Lock()


def check_shape(text: str) -> None:
    """Refuse a query or update the engine would overflow its stack on (and
    kill the process): brackets nested too deep, or chains of operators and
    clauses too long (see :func:`collabgraph.core.sparqltext.too_complex`).

    :raises QueryTooComplex: with the line and column where the limit is passed.
    """
    where = _too_complex(text) if len(text) < 20_000 else too_complex(text)
    if where is not None:
        raise QueryTooComplex(where[2], where[0], where[1])


#: The same texts come again and again (validation runs every shape's query on
#: every batch of a streaming build, views run their saved queries): each is
#: tokenised once (issue 23: 11 s of a 1M build went to tokenising them again). Long texts
#: (bound VALUES blocks, users' queries) are not kept.
_too_complex = functools.lru_cache(maxsize=1024)(too_complex)


#: Stack of the thread :func:`on_big_stack` runs the engine on: 32 times a
#: main thread's, so a query that slipped past :func:`check_shape` still
#: cannot crash the caller (a query under the server's --max-query of 100,000
#: characters needs at most ~90 MiB). Only touched pages take memory.
BIG_STACK = 256 << 20


def engine_stack_size() -> int:
    """:data:`BIG_STACK`, or an eighth of the process's data limit when that is
    smaller (thread stacks count in it: a server worker's --max-memory)."""
    try:
        import resource
    except ImportError:  # not Unix
        return BIG_STACK
    soft = resource.getrlimit(resource.RLIMIT_DATA)[0]
    return BIG_STACK if soft == resource.RLIM_INFINITY else min(BIG_STACK, soft // 8)


def on_big_stack(function: Callable[[], T]) -> T:
    """``function()`` run on a thread with a :data:`BIG_STACK` stack; its
    result returned, its exception raised. Run a whole engine call in it
    (query, reading every result, dropping them): the engine recurses in all three.
    """
    out: list[Any] = []

    def run() -> None:
        try:
            out.append((True, function()))
        except BaseException as exc:  # handed to the caller's thread
            import traceback

            # The engine's objects in the frames are dropped here: pyoxigraph's may not leave their thread.
            traceback.clear_frames(exc.__traceback__)
            out.append((False, exc))

    size = engine_stack_size()
    if size < 16 << 20:  # no room for a big stack: this thread (the shape check still holds)
        return function()
    with _STACK_LOCK:  # threading.stack_size is process-wide: set, start, restore
        previous = threading.stack_size(size)
        try:
            thread = threading.Thread(target=run, name="collabgraph-engine", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    ok, value = out[0]
    if not ok:
        raise value
    return value


_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_BLANK = "?s ?p ?o FILTER (isBlank(?s) || isBlank(?o))"


def bind_values(query: str, bindings: dict[str, Any]) -> str:
    """``query`` with a ``VALUES`` block binding each variable, placed first in
    the WHERE group so Oxigraph plans the query around the bound values.

    Each value is converted to an RDF term and written by pyoxigraph in
    N-Triples syntax, which escapes it. That is the same way rdflib binds
    ``initBindings`` for remote stores. A value can never change the query's
    structure: a ``str`` is always one literal, and an IRI with a ``>`` in it
    is refused. Oxigraph's own substitutions (SEP-0007) were 1000x slower on
    joins because the planner does not see the value.

    >>> print(bind_values("SELECT ?w WHERE { ?w cg:agent ?a }", {"a": ox.NamedNode("https://w3id.org/collabgraph/id/v")}))
    SELECT ?w WHERE { VALUES (?a) { (<https://w3id.org/collabgraph/id/v>) } ?w cg:agent ?a }
    >>> print(bind_values('ASK { ?s ?p ?name }', {"name": 'x" } DROP ALL #'}))
    ASK { VALUES (?name) { ("x\\" } DROP ALL #") } ?s ?p ?name }
    """
    names = list(bindings)
    for name in names:
        if not _VARIABLE.match(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    terms = " ".join(_term(n, bindings[n]) for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"
    position = where_brace(query)
    if position is None:
        return f"{query}\n{block.strip()}"  # a trailing VALUES clause: still correct, maybe slower
    return query[:position + 1] + block + query[position + 1:]


_EMPTY_VALUES = re.compile(r"VALUES\s+\?([A-Za-z_][A-Za-z0-9_]*)\s*\{\s*\}")


def fill_values(query: str, **rows: Iterable[Any]) -> str:
    """``query`` with each empty ``VALUES ?var {}`` block holding the values
    given for ``var`` (one row per value), wherever it stands: a query can put
    one in each UNION branch, where Oxigraph uses it to plan that branch.

    Values are written by pyoxigraph as N-Triples terms, as in :func:`bind_values`;
    an empty block left empty still makes a valid query that matches nothing.

    >>> print(fill_values("SELECT ?w WHERE { { VALUES ?a {} ?w cg:agent ?a } UNION { VALUES ?a {} ?a cg:x ?w } }",
    ...                   a=[ox.NamedNode("https://e/a"), ox.NamedNode("https://e/b")]))
    SELECT ?w WHERE { { VALUES ?a { <https://e/a> <https://e/b> } ?w cg:agent ?a } UNION { VALUES ?a { <https://e/a> <https://e/b> } ?a cg:x ?w } }
    """
    texts = {name: " ".join(_term(name, v) for v in values) for name, values in rows.items()}

    def fill(m: re.Match) -> str:
        text = texts.get(m.group(1))
        return m.group(0) if text is None else f"VALUES ?{m.group(1)} {{ {text} }}"

    return _EMPTY_VALUES.sub(fill, query)


def select_values(store: Any, query: str, chunk: int = 100, **rows: list[Any]) -> list[Any]:
    """The rows of ``query`` with its empty ``VALUES`` blocks filled
    (:func:`fill_values`), in queries of at most ``chunk`` values a block:
    Oxigraph's time per value grows with the size of a block (2,000 values in
    one block took 30x longer than in blocks of 100). Rows a value in two
    blocks matches come once a block."""
    size = max((len(v) for v in rows.values()), default=0)
    if size <= chunk:
        return list(store.select(fill_values(query, **rows)))
    out: list[Any] = []
    for i in range(0, size, chunk):
        out.extend(store.select(fill_values(query, **{k: v[i:i + chunk] for k, v in rows.items()})))
    return out


def _term(name: str, value: Any) -> str:
    try:
        return str(to_ox(value))
    except (ValueError, TypeError) as exc:  # an IRI with a space, a lone surrogate, ...
        raise QueryError(f"the value for ?{name} is not a valid RDF term: {value!r} ({exc})") from None


def _write(output: Any, data: bytes) -> None:
    if isinstance(output, (str, Path)):
        Path(output).write_bytes(data)
    else:
        output.write(data)


def _syntax_error(exc: SyntaxError, shown: str) -> SourceSyntaxError:
    message = str(exc.args[0]) if exc.args else str(exc)
    # pyoxigraph: "Parser error between line 3 column 11 and line 4 column 1: Unexpected end of file"
    message = re.sub(r"^Parser error (between|at) line \d+ (column|between columns) \d+"
                     r"( and (line \d+ column )?\d+)?: ", "", message)
    return SourceSyntaxError(shown, exc.lineno, exc.offset, message)
