"""The graph's known names (:class:`KnownNames`): every entity's names, types and ties,
looked up as an article asks for them, from the graph's source files as they are now
(kept between runs by :mod:`.namecache`, in memory for one process)."""

from __future__ import annotations

import os
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pyoxigraph as ox

from ..core.namespaces import CG_IRI
from ..core.names import search_key
from ..importers.linking import sources_store
from ..store.local import Store
from ..views.entities import describe
from ..views.reader import Reader
from .namecache import (ARTICLE, DESCRIPTION_WORDS, NameTable, file_stamp, fuzzy_row, name_rows, open_cached,
                        source_files)

# ---------------------------------------------------------------------------------
# The graph's names
# ---------------------------------------------------------------------------------


@dataclass(eq=False)
class KnownNames:
    """The names of a graph's entities (folded), their types, labels and ties.

    Nothing is read in advance: a name is one indexed lookup in :attr:`table`, a
    tie one query of :attr:`reader`'s store, each kept once asked (an article
    asks about a few dozen entities; a graph of a million triples has 100,000)."""

    table: NameTable
    reader: Reader | None = None
    #: folded words that one source declared as a description of an entity
    #: (``cg:mentionedAs``): in another article they may mean someone else
    #: ("the BTS singer"), so they are suggestions, never links
    described: frozenset[str] = frozenset()
    #: folded words -> ``(entity, words)`` of the descriptions with a name of their own
    #: (:func:`_declared_descriptions`), looked up like names
    declared: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)
    _types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _named: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    _fuzzy: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    _ties: dict[tuple[str, str], Any] = field(default_factory=dict)
    _longest: int | None = None

    @classmethod
    def over(cls, table: NameTable, store: Store) -> "KnownNames":
        """The names in ``table`` of the entities in ``store``, with the descriptions
        one of its sources declared (:func:`_declared_descriptions`)."""
        pairs = _declared_descriptions(store)
        declared: dict[str, set[tuple[str, str]]] = {}
        for iri, words in pairs:
            key = search_key(words)
            if key:
                declared.setdefault(key, set()).add((iri, words))
        keys = {search_key(w) for _, w in pairs}
        own = table.present(keys) if pairs else set()
        return cls(table, Reader(store), described=frozenset(keys - own),
                   declared={k: frozenset(v) for k, v in declared.items()})

    @classmethod
    def for_graph(cls, graph_dir: str | Path, ontology_dir: str | Path | None = None) -> "KnownNames":
        """Names of the RDF source files in ``graph_dir`` (none is fine: an empty
        graph), read now into memory (:meth:`cached` keeps them on disk too)."""
        store, _ = sources_store(graph_dir, ontology_dir)
        return cls.over(NameTable.from_rows(name_rows(store)), store)

    @classmethod
    def cached(cls, graph_dir: str | Path, ontology_dir: str | Path | None = None) -> "KnownNames":
        """:meth:`for_graph`, kept in this process for the next ingest into the same
        graph directory while none of its RDF source files (nor the ontology) has
        changed: same paths, sizes, modification times and inodes. Across
        processes the source files and their names are kept on disk
        (:func:`.namecache.open_cached`: only files changed since are read again);
        where the cache folder cannot be written, the graph is read into memory.
        A graph of at most :data:`SMALL_GRAPH_BYTES` of source files (or the bytes
        in ``COLLABGRAPH_INGEST_CACHE_BYTES``) is read into memory instead: that
        is quicker than making or bringing up to date a disk cache.

        :raises SourceError: if ``graph_dir`` is not a directory.
        """
        key = _sources_signature(graph_dir, ontology_dir)
        with _CACHE_LOCK:
            hit = _CACHE.get("known")
            if hit is not None and hit[0] == key:
                return hit[1]
        try:
            if sum(entry[1] for entry in key[1:]) <= _small_graph_bytes():
                known = cls.for_graph(graph_dir, ontology_dir)
            else:
                known = cls.over(*open_cached(graph_dir, ontology_dir))
        except OSError as exc:  # no cache folder (read-only home, disk full): the slower way, still right
            print(f"warning: cannot keep the graph's names on disk ({exc}); reading them into memory",
                  file=sys.stderr)
            known = cls.for_graph(graph_dir, ontology_dir)
        # a file written while it was read would give a signature that no longer fits: keep nothing then
        if _sources_signature(graph_dir, ontology_dir) == key:
            with _CACHE_LOCK:
                _CACHE["known"] = (key, known)
        return known

    @staticmethod
    def forget() -> None:
        """Drop the names :meth:`cached` keeps in this process (the next ingest
        checks the graph's files against the cache on disk again)."""
        with _CACHE_LOCK:
            _CACHE.clear()

    # -- names -----------------------------------------------------------------------
    def named(self, key: str) -> list[tuple[str, str]]:
        """``[(entity, name as written)]`` of the names that fold to ``key``, by name then entity."""
        hit = self._named.get(key)
        if hit is None:
            rows = set(self.table.named(key)) | set(self.declared.get(key, ()))
            hit = self._named[key] = sorted(rows, key=lambda r: (r[1], r[0]))
        return hit

    def present(self, keys: Iterable[str]) -> set[str]:
        """Which of the folded ``keys`` name something."""
        keys = set(keys)
        return self.table.present(keys) | (keys & set(self.declared))

    def longest(self) -> int:
        """The length of the longest folded name (0: the graph names nothing)."""
        if self._longest is None:
            self._longest = max([self.table.longest(), *map(len, self.declared)])
        return self._longest

    def fuzzy_choices(self, initial: str) -> list[tuple[str, str, str, str]]:
        """``(processed name, name, entity, folded name)`` of every name fuzzy
        suggestions may come from whose folded form starts with ``initial``, in
        the order of folded name, name, entity: its leading article dropped,
        descriptions left out. Read once per initial."""
        hit = self._fuzzy.get(initial)
        if hit is None:
            rows = set(self.table.fuzzy(initial))
            for key, pairs in self.declared.items():
                for iri, words in pairs:
                    row = fuzzy_row(key, iri, words)
                    if row is not None and row[0] == initial:
                        rows.add(row[1:])
            hit = self._fuzzy[initial] = [(r[3], r[4], r[2], r[5]) for r in sorted(rows, key=lambda r: r[:3])
                                          if r[0] not in self.described]
        return hit

    def owners(self, words: str) -> list[str]:
        """Every entity one of whose names folds (:func:`search_key`) to the key of ``words``."""
        return self.lookup(search_key(words))

    def lookup(self, key: str) -> list[str]:
        """Every entity with a name that folds to ``key``, sorted."""
        return sorted({iri for iri, _ in self.named(key)})

    def names_of(self, iri: str) -> list[str]:
        """Every name of an entity, as written (by folded name, then name)."""
        rows = set(self.table.names_of(iri))
        rows |= {(key, words) for key, pairs in self.declared.items() for e, words in pairs if e == iri}
        return [name for _, name in sorted(rows)]

    def types(self, iri: str) -> tuple[str, ...]:
        if iri not in self._types:
            self._types[iri] = tuple(t.split(":", 1)[-1] for t in describe(self.reader, iri).types) \
                if self.reader else ()
        return self._types[iri]

    def label(self, iri: str) -> str:
        return describe(self.reader, iri).label if self.reader else iri

    # -- ties --------------------------------------------------------------------------
    def _tied(self, kind: str, iri: str) -> frozenset[str]:
        """What ``iri`` is tied to by the patterns of ``kind`` (:data:`_TIE_PATTERNS`), asked once."""
        hit = self._ties.get((kind, iri))
        if hit is None:
            found: set[str] = set()
            if self.reader is not None:
                for query in _TIE_QUERIES[kind]:
                    found.update(r["y"].value for r in self.reader.store.select(query, x=ox.NamedNode(iri)))
            hit = self._ties[(kind, iri)] = frozenset(found)
        return hit  # type: ignore[no-any-return]

    def videos_of(self, song: str) -> list[str]:
        """The music videos the graph says were made for ``song``, sorted."""
        return sorted(self._tied("videos of song", song))

    def songs_of(self, videos: Iterable[str]) -> set[str]:
        """The songs the graph says any of ``videos`` (music videos) was made for."""
        return {song for mv in videos for song in self._tied("songs of video", mv)}

    def works_of_character(self, character: str) -> frozenset[str]:
        """The works the graph says ``character`` is a character of (``cg:characterIn``,
        or a credit's ``cg:character``): a character links only where one of them is the subject."""
        return self._tied("works of character", character)

    def credited_on(self, work: str) -> frozenset[str]:
        """The agents the graph credits on ``work`` (any role)."""
        return self._tied("agents credited on", work)

    def works_crediting(self, agents: Iterable[str]) -> set[str]:
        """The works the graph credits any of ``agents`` on."""
        return {w for a in agents for w in self._tied("works crediting", a)}

    def release_years(self, work: str) -> frozenset[str]:
        """The years the graph gives ``work`` a release date in (a triple or a claim), as four digits."""
        return frozenset(d[:4] for d in self._tied("release dates", work) if re.match(r"\d{4}", d))

    def neighbours(self, iri: str) -> frozenset[str]:
        """The entities one fact of the graph ties ``iri`` to (a credit's agent and
        work, a membership's member and group, a claim's subject and entity value, a
        character and its work): what can corroborate a name (:func:`corroborated_links`)."""
        return frozenset().union(*(self._tied(kind, iri) for kind in _NEIGHBOURS)) - {iri}


#: the names :meth:`KnownNames.cached` keeps: ``"known"`` -> (signature of the sources, names)
_CACHE: dict[str, tuple[tuple[Any, ...], KnownNames]] = {}
_CACHE_LOCK = threading.Lock()


def _sources_signature(graph_dir: str | Path, ontology_dir: str | Path | None) -> tuple[Any, ...]:
    """What :func:`sources_store` would read, as paths with their size, modification
    time and inode: any write, addition or removal changes it.

    :raises SourceError: if ``graph_dir`` is not a directory.
    """
    files = source_files(graph_dir, ontology_dir)
    return (str(Path(graph_dir).resolve()), *((str(p), *file_stamp(p)) for p in files.values()))


#: Source files (with the ontology) up to this size are read into memory for each process instead of
#: kept on disk (:mod:`.namecache`): reading them takes about 0.2 s, while making a disk cache of a new
#: graph took 0.8 s (the bundled graph and each evaluation article's fresh copy of it, 2026-12-06),
#: and every test's tiny graph would make one.
SMALL_GRAPH_BYTES = 2_000_000


def _small_graph_bytes() -> int:
    """:data:`SMALL_GRAPH_BYTES`, or ``COLLABGRAPH_INGEST_CACHE_BYTES`` when it is set to a number."""
    value = os.environ.get("COLLABGRAPH_INGEST_CACHE_BYTES", "").strip()
    if not value:
        return SMALL_GRAPH_BYTES
    try:
        return int(value)
    except ValueError:
        print(f"warning: COLLABGRAPH_INGEST_CACHE_BYTES={value!r} is not a number of bytes; "
              f"using {SMALL_GRAPH_BYTES:,}", file=sys.stderr)
        return SMALL_GRAPH_BYTES

_CG_NS = CG_IRI
#: The ties between entities, each as the patterns that state it: ``?x`` the entity asked
#: about (bound), ``?y`` what it is tied to. One pattern per query: a query of one basic
#: pattern starts from the bound entity (a UNION of them scanned the whole graph at 1M).
_TIE_PATTERNS = {
    "agents credited on": ("?c cg:work ?x ; cg:agent ?y",),
    "works crediting": ("?c cg:agent ?x ; cg:work ?y",),
    "videos of song": ("?y cg:musicVideoFor ?x", "?c cg:about ?y ; cg:property cg:musicVideoFor ; cg:value ?x"),
    "songs of video": ("?x cg:musicVideoFor ?y", "?c cg:about ?x ; cg:property cg:musicVideoFor ; cg:value ?y"),
    "works of character": ("?x cg:characterIn ?y", "?c cg:about ?x ; cg:property cg:characterIn ; cg:value ?y",
                           "?c cg:character ?x ; cg:work ?y"),
    "characters of work": ("?y cg:characterIn ?x", "?c cg:about ?y ; cg:property cg:characterIn ; cg:value ?x",
                           "?c cg:character ?y ; cg:work ?x"),
    "release dates": ("?x cg:releaseDate ?y", "?c cg:about ?x ; cg:property cg:releaseDate ; cg:value ?y"),
    # memberships, and claims whose value is an entity (a music video's song, a character's work)
    "other ties": ("?m cg:member ?x ; cg:group ?y", "?m cg:member ?y ; cg:group ?x",
                   "?c cg:about ?x ; cg:value ?y FILTER isIRI(?y)", "?c cg:about ?y ; cg:value ?x"),
}
_TIE_QUERIES = {kind: tuple(f"PREFIX cg: <{_CG_NS}>\nSELECT DISTINCT ?y WHERE {{ {p} }}" for p in patterns)
                for kind, patterns in _TIE_PATTERNS.items()}
#: what can corroborate a name: every tie, both ways round
_NEIGHBOURS = ("agents credited on", "works crediting", "works of character", "characters of work", "other ties")
_MENTIONED_AS = f"""PREFIX cg: <{_CG_NS}>
SELECT DISTINCT ?entity ?name WHERE {{ ?a cg:mentionedAs ?name ; cg:attests ?entity }}"""  # the rare one first


def _declared_descriptions(store: Any) -> list[tuple[str, str]]:
    """``(entity, words)`` for the descriptions an attestation declares
    (``cg:mentionedAs``) that carry a name of their own: "the BTS global star"
    is V wherever it is written, while "the music video" or "their single" say
    nothing without their article and are left to the description resolver.
    Words given for two entities name neither."""
    owners: dict[str, set[str]] = {}
    for r in store.select(_MENTIONED_AS):
        words = r["name"].value.strip()
        parts = words.split()
        if len(parts) < 2 or parts[0].lower() != "the" or not any(p[:1].isupper() for p in parts[1:]):
            continue
        owners.setdefault(words, set()).add(r["entity"].value)
    return sorted((next(iter(e)), w) for w, e in owners.items() if len(e) == 1)


__all__ = ["KnownNames", "ARTICLE", "DESCRIPTION_WORDS"]
