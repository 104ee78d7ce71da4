"""The graph's known names (:class:`KnownNames`): every entity's names, types and ties, read once
per set of source files, and the queries that gather them."""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.namespaces import CG_IRI
from ..core.errors import SourceError, no_graph_directory
from ..core.formats import SOURCE_SUFFIXES
from ..core.names import search_key
from ..core.packaged import default_ontology
from ..importers.linking import sources_store
from ..store.local import Store
from ..views.entities import describe
from ..views.nameindex import NameIndex, index_names
from ..views.reader import Reader

# ---------------------------------------------------------------------------------
# The graph's names
# ---------------------------------------------------------------------------------

@dataclass
class KnownNames:
    """The names of a graph's entities (folded), their types and labels."""

    index: NameIndex
    reader: Reader | None = None
    _types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _names: dict[str, list[tuple[str, str]]] | None = None
    _by_iri: dict[str, list[str]] | None = None
    _fuzzy: dict[str, list[tuple[str, str, str, str]]] | None = None
    #: song IRI -> the music videos the graph says were made for it
    videos: dict[str, list[str]] = field(default_factory=dict)
    #: folded words that one source declared as a description of an entity
    #: (``cg:mentionedAs``): in another article they may mean someone else
    #: ("the BTS singer"), so they are suggestions, never links
    described: frozenset[str] = frozenset()
    #: character IRI -> the works the graph says it is a character of (``cg:characterIn``,
    #: or a credit's ``cg:character``): a character links only where one of them is the subject
    character_works: dict[str, frozenset[str]] = field(default_factory=dict)
    #: work IRI -> the agents the graph credits on it (any role)
    credited: dict[str, frozenset[str]] = field(default_factory=dict)
    #: entity IRI -> the entities one fact of the graph ties it to (a credit's agent and
    #: work, a membership's member and group, a claim's subject and entity value, a
    #: character and its work): what can corroborate a name (:func:`corroborated_links`)
    neighbours: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def for_graph(cls, graph_dir: str | Path, ontology_dir: str | Path | None = None) -> "KnownNames":
        """Names of the RDF source files in ``graph_dir`` (none is fine: an empty graph)."""
        store, _ = sources_store(graph_dir, ontology_dir)
        index = index_names(store)
        described = _declared_descriptions(store)
        # the graph's own folded names, read once (not a second index of the same store)
        own = {key for key, _, _ in index.names()} if described else set()
        if described:
            index = NameIndex.from_rows([(iri, name) for _, name, iri in index.names()] + described)
        videos: dict[str, list[str]] = {}
        for r in store.select(_VIDEOS):
            videos.setdefault(r["song"].value, []).append(r["mv"].value)
        characters: dict[str, set[str]] = {}
        for r in store.select(_CHARACTER_WORKS):
            characters.setdefault(r["ch"].value, set()).add(r["work"].value)
        credited: dict[str, set[str]] = {}
        for r in store.select(_CREDITED):
            credited.setdefault(r["work"].value, set()).add(r["agent"].value)
        near: dict[str, set[str]] = {}

        def tie(a: str, b: str) -> None:
            if a != b:
                near.setdefault(a, set()).add(b)
                near.setdefault(b, set()).add(a)

        for work, agents in credited.items():
            for agent in agents:
                tie(work, agent)
        for ch, works in characters.items():
            for work in works:
                tie(ch, work)
        for r in store.select(_TIES):
            tie(r["a"].value, r["b"].value)
        return cls(index, Reader(store), videos={k: sorted(set(v)) for k, v in videos.items()},
                   described=frozenset(search_key(w) for _, w in described) - own,
                   character_works={k: frozenset(v) for k, v in characters.items()},
                   credited={k: frozenset(v) for k, v in credited.items()},
                   neighbours={k: frozenset(v) for k, v in near.items()})

    @classmethod
    def cached(cls, graph_dir: str | Path, ontology_dir: str | Path | None = None) -> "KnownNames":
        """:meth:`for_graph`, kept in this process for the next ingest into the same
        graph directory while none of its RDF source files (nor the ontology) has
        changed: same paths, sizes, modification times and inodes. Any change, an
        added or a removed file reads the whole graph again. Only the last graph
        directory is kept (its names and its in-memory store).

        :raises SourceError: if ``graph_dir`` is not a directory.
        """
        key = _sources_signature(graph_dir, ontology_dir)
        with _CACHE_LOCK:
            hit = _CACHE.get("known")
            if hit is not None and hit[0] == key:
                return hit[1]
        known = cls.for_graph(graph_dir, ontology_dir)
        # a file written while it was read would give a signature that no longer fits: keep nothing then
        if _sources_signature(graph_dir, ontology_dir) == key:
            with _CACHE_LOCK:
                _CACHE["known"] = (key, known)
        return known

    @staticmethod
    def forget() -> None:
        """Drop the names :meth:`cached` keeps (the next ingest reads the graph again)."""
        with _CACHE_LOCK:
            _CACHE.clear()

    def fuzzy_choices(self, initial: str) -> list[tuple[str, str, str, str]]:
        """``(processed name, name, entity, folded name)`` of every name fuzzy
        suggestions may come from whose folded form starts with ``initial``, in
        the order of :meth:`by_key`: its leading article dropped, descriptions left
        out. Made once for all initials (a Python loop over a million names per
        unknown span was most of an ingest at 1M triples)."""
        if self._fuzzy is None:
            from rapidfuzz.utils import default_process

            groups: dict[str, list[tuple[str, str, str, str]]] = {}
            for k, owners in self.by_key().items():
                if k in self.described:
                    continue
                for iri, name in owners:
                    if DESCRIPTION_WORDS.match(name):
                        continue
                    bare = ARTICLE.sub("", name)
                    folded = search_key(bare)
                    if folded:
                        groups.setdefault(folded[:1], []).append((default_process(bare), bare, iri, folded))
            self._fuzzy = groups
        return self._fuzzy.get(initial, [])

    def owners(self, words: str) -> list[str]:
        """Every entity one of whose names folds (:func:`search_key`) to the key of ``words``."""
        return sorted({iri for iri, _ in self.by_key().get(search_key(words), [])})

    def by_key(self) -> dict[str, list[tuple[str, str]]]:
        """Folded name -> ``[(entity, name as written)]``."""
        if self._names is None:
            names: dict[str, list[tuple[str, str]]] = {}
            for key, name, iri in self.index.names():
                names.setdefault(key, []).append((iri, name))
            self._names = names
        return self._names

    def names_of(self, iri: str) -> list[str]:
        """Every name of an entity, as written."""
        if self._by_iri is None:
            self._by_iri = {}
            for _, name, owner in self.index.names():
                self._by_iri.setdefault(owner, []).append(name)
        return self._by_iri.get(iri, [])

    def types(self, iri: str) -> tuple[str, ...]:
        if iri not in self._types:
            self._types[iri] = tuple(t.split(":", 1)[-1] for t in describe(self.reader, iri).types) \
                if self.reader else ()
        return self._types[iri]

    def label(self, iri: str) -> str:
        return describe(self.reader, iri).label if self.reader else iri


#: the names :meth:`KnownNames.cached` keeps: ``"known"`` -> (signature of the sources, names)
_CACHE: dict[str, tuple[tuple[Any, ...], KnownNames]] = {}
_CACHE_LOCK = threading.Lock()


def _sources_signature(graph_dir: str | Path, ontology_dir: str | Path | None) -> tuple[Any, ...]:
    """What :func:`sources_store` would read, as paths with their size, modification
    time and inode: any write, addition or removal changes it.

    :raises SourceError: if ``graph_dir`` is not a directory.
    """
    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise SourceError(no_graph_directory(os.fsdecode(graph_dir)))
    files = sorted(p for p in graph_dir.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file())
    files.append(Path(ontology_dir or default_ontology()) / "collab.ttl")
    out: list[Any] = [str(graph_dir.resolve())]
    for p in files:
        st = p.stat()
        out.append((str(p), st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))
    return tuple(out)


_CG_NS = CG_IRI
_VIDEOS = f"""PREFIX cg: <{_CG_NS}>
SELECT DISTINCT ?mv ?song WHERE {{
  {{ ?mv cg:musicVideoFor ?song }} UNION {{ ?c cg:about ?mv ; cg:property cg:musicVideoFor ; cg:value ?song }}
}}"""
_CREDITED = f"""PREFIX cg: <{_CG_NS}>
SELECT DISTINCT ?work ?agent WHERE {{ ?c cg:work ?work ; cg:agent ?agent }}"""
#: memberships, and claims whose value is an entity (a music video's song, a character's work)
_TIES = f"""PREFIX cg: <{_CG_NS}>
SELECT DISTINCT ?a ?b WHERE {{
  {{ ?m cg:member ?a ; cg:group ?b }} UNION {{ ?c cg:about ?a ; cg:value ?b FILTER isIRI(?b) }}
}}"""
_CHARACTER_WORKS = f"""PREFIX cg: <{_CG_NS}>
SELECT DISTINCT ?ch ?work WHERE {{
  {{ ?ch cg:characterIn ?work }} UNION {{ ?c cg:about ?ch ; cg:property cg:characterIn ; cg:value ?work }}
  UNION {{ ?credit cg:character ?ch ; cg:work ?work }}
}}"""
_MENTIONED_AS = f"""PREFIX cg: <{_CG_NS}>
SELECT DISTINCT ?entity ?name WHERE {{ ?a cg:attests ?entity ; cg:mentionedAs ?name }}"""


def _declared_descriptions(store: Store) -> list[tuple[str, str]]:
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


ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
#: Words that describe rather than name ("the music video", "their single"): never linked by themselves.
DESCRIPTION_WORDS = re.compile(r"^(?i:the|a|an|this|that|these|those|his|her|their|its|our|my)\s+[^A-Z]*$")
