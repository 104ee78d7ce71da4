"""What the linker knows of a graph's entities: an in-memory index with
blocking keys (folded names, identifiers), built from the source files and
kept per file in a cache, so an import reads only the files that changed.

For every entity it keeps the evidence identity is decided on: types, names
(labels, aliases and attested names; ``skos:hiddenLabel`` search names are
not keys), identifiers (Wikidata, MusicBrainz, ISNI), birth dates, the groups
an agent is a member of, the agents credited on a work, and release years;
and the identity decisions of ``graph/decisions.ttl`` (same / different).

>>> idx = GraphIndex.for_graph(GRAPH_DIR, cache=False)
>>> idx.by_name("kimtaehyung"), idx.by_identifier("wikidata", "Q20145")
(['https://w3id.org/collabgraph/id/v'], ['https://w3id.org/collabgraph/id/iu'])
>>> sorted(idx.facts("https://w3id.org/collabgraph/id/v").types)
['Person']
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceError
from ..formats import SOURCE_SUFFIXES, rdf_format_for_path
from ..names import search_key

__all__ = ["GraphIndex", "EntityFacts", "FileFacts", "cache_dir", "SCHEME_PREFIXES"]

_CG = "https://w3id.org/collabgraph/ns#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_OWL_SAME = "http://www.w3.org/2002/07/owl#sameAs"
#: Identifier IRIs by scheme: the prefix, and the scheme's value is the rest.
SCHEME_PREFIXES = {
    "wikidata": "http://www.wikidata.org/entity/",
    "musicbrainz": "https://musicbrainz.org/",
    "isni": "https://isni.org/isni/",
}
_ID_PROPERTIES = {_CG + s: s for s in SCHEME_PREFIXES}
_FACT_CLASSES = {_CG + c for c in ("Claim", "Credit", "Membership", "Attestation", "SourceDocument",
                                   "Reference", "IdentityDecision", "Collaboration")}
_YEAR_PROPERTIES = {_CG + p for p in ("releaseDate", "publicationDate", "inception")}
_CACHE_VERSION = 2


@dataclass
class EntityFacts:
    """What one file (or, merged, the graph) says of one entity."""

    types: set = field(default_factory=set)        # local names of cg: classes
    labels: dict = field(default_factory=dict)     # language ("" none) -> rdfs:label
    names: set = field(default_factory=set)        # every name that is a link key
    ids: set = field(default_factory=set)          # (scheme, value)
    births: set = field(default_factory=set)       # xsd:date lexical values
    groups: set = field(default_factory=set)       # IRIs of groups it is a member of
    artists: set = field(default_factory=set)      # IRIs of agents credited on it (works)
    years: set = field(default_factory=set)        # release years (works)

    def merge(self, other: "EntityFacts") -> None:
        self.types |= other.types
        for lang, label in other.labels.items():
            self.labels.setdefault(lang, label)
        for name in ("names", "ids", "births", "groups", "artists", "years"):
            getattr(self, name).update(getattr(other, name))

    @property
    def label(self) -> str:
        return self.labels.get("en") or self.labels.get("") or next(iter(sorted(self.labels.values())), "") \
            or next(iter(sorted(self.names)), "")


@dataclass
class FileFacts:
    """What one source file says: entities, and identity decisions (``same``:
    ``(from IRI, to IRI)``; ``different``: pairs of IRIs)."""

    entities: dict = field(default_factory=dict)   # IRI -> EntityFacts
    same: list = field(default_factory=list)
    different: list = field(default_factory=list)


def cache_dir() -> Path:
    """Where link indexes are cached: ``$XDG_CACHE_HOME/collabgraph/link-index``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "collabgraph" / "link-index"


def read_file(path: Path) -> FileFacts:
    """The linking evidence of one RDF source file.

    :raises SourceError: if the file does not parse.
    """
    from ..sourcecheck import prescan

    fmt = rdf_format_for_path(path)
    prescan(path, str(path), fmt)
    out = FileFacts()
    nodes: dict[str, dict[str, list]] = {}   # fact and decision nodes: subject -> predicate -> objects
    kinds: dict[str, str] = {}
    hidden: dict[str, set] = {}

    def entity(iri: str) -> EntityFacts:
        e = out.entities.get(iri)
        if e is None:
            e = out.entities[iri] = EntityFacts()
        return e

    try:
        quads = list(ox.parse(path=str(path), format=fmt.ox))
    except (SyntaxError, ValueError) as exc:
        raise SourceError(f"{path}: {exc}") from None
    for q in quads:
        s, p, o = q.subject, q.predicate.value, q.object
        if not isinstance(s, ox.NamedNode):
            continue
        s = s.value
        if p == _RDF_TYPE and isinstance(o, ox.NamedNode):
            if o.value in _FACT_CLASSES:
                kinds[s] = o.value[len(_CG):]
            elif o.value.startswith(_CG):
                entity(s).types.add(o.value[len(_CG):])
            continue
        if p == _RDFS_LABEL and isinstance(o, ox.Literal):
            nodes.setdefault(s, {}).setdefault(p, []).append(o)
            continue
        if p == _SKOS + "altLabel" and isinstance(o, ox.Literal):
            entity(s).names.add(o.value)
            continue
        if p == _SKOS + "hiddenLabel" and isinstance(o, ox.Literal):
            hidden.setdefault(s, set()).add(o.value)
            continue
        if p in (_OWL_SAME, _SKOS + "exactMatch") and isinstance(o, ox.NamedNode):
            ident = _identifier(o.value)
            if ident:
                entity(s).ids.add(ident)
            continue
        if p.startswith(_CG):
            nodes.setdefault(s, {}).setdefault(p[len(_CG):], []).append(o)
    for s, props in nodes.items():
        kind = kinds.get(s)
        labels = props.pop(_RDFS_LABEL, [])
        if kind is None:
            if labels:
                e = entity(s)
                for lit in labels:
                    e.labels.setdefault(lit.language or "", lit.value)
                    e.names.add(lit.value)
            if "differentFrom" in props:
                out.different.extend((s, o.value) for o in props["differentFrom"] if isinstance(o, ox.NamedNode))
            continue
        one = {k: v[0] for k, v in props.items() if v}
        if kind == "Attestation" and "attests" in one:
            e = entity(one["attests"].value)
            e.names.update(o.value for o in props.get("name", []) if isinstance(o, ox.Literal))
        elif kind == "Claim" and {"about", "property", "value"} <= one.keys() and "claimedBy" not in one:
            about, prop, value = one["about"].value, one["property"].value, one["value"]
            if prop in _ID_PROPERTIES and isinstance(value, ox.NamedNode):
                ident = _identifier(value.value)
                if ident:
                    entity(about).ids.add(ident)
            elif prop == _CG + "birthDate" and isinstance(value, ox.Literal):
                entity(about).births.add(value.value)
            elif prop in _YEAR_PROPERTIES and isinstance(value, ox.Literal) and value.value[:4].isdigit():
                entity(about).years.add(value.value[:4])
        elif kind == "Membership" and {"member", "group"} <= one.keys():
            entity(one["member"].value).groups.add(one["group"].value)
        elif kind == "Credit" and {"agent", "work"} <= one.keys():
            entity(one["work"].value).artists.add(one["agent"].value)
            if "date" in one and one["date"].value[:4].isdigit():
                entity(one["work"].value).years.add(one["date"].value[:4])
        elif kind == "IdentityDecision" and "entity" in one:
            a = one["entity"].value
            out.same.extend((a, o.value) for o in props.get("sameEntityAs", []) if isinstance(o, ox.NamedNode))
            out.different.extend((a, o.value) for o in props.get("differentFrom", [])
                                 if isinstance(o, ox.NamedNode))
    for iri, names in hidden.items():
        if iri in out.entities:
            out.entities[iri].names -= names
    return out


def _identifier(iri: str) -> tuple[str, str] | None:
    for scheme, prefix in SCHEME_PREFIXES.items():
        if iri.startswith(prefix) and len(iri) > len(prefix):
            return scheme, iri[len(prefix):]
    return None


class GraphIndex:
    """The linking evidence of a graph directory's source files, merged, with
    lookups by folded name and by identifier. Files can be taken out
    (:meth:`forget`, a file about to be replaced) and put in (:meth:`add`, what
    an import run decided so far), so one run sees what it wrote."""

    def __init__(self) -> None:
        self.files: dict[str, FileFacts] = {}
        self._entities: dict[str, dict[str, EntityFacts]] = {}   # IRI -> file -> facts
        self._names: dict[str, set] = {}                         # folded name -> IRIs (may be stale)
        self._ids: dict[tuple, set] = {}
        self._merged: dict[str, EntityFacts] = {}
        self._decisions: tuple[dict, set] | None = None

    # -- building --------------------------------------------------------------------
    @classmethod
    def for_graph(cls, graph_dir: str | Path, *, cache: bool = True) -> "GraphIndex":
        """The index of every RDF source file under ``graph_dir``; with ``cache``,
        files unchanged since the last run (same size and modification time) are
        read from the cache instead of parsed.

        :raises SourceError: if ``graph_dir`` is not a directory or a file does not parse.
        """
        graph_dir = Path(graph_dir)
        if not graph_dir.is_dir():
            raise SourceError(f"{os.fsdecode(graph_dir)}: no such graph directory")
        where = cache_dir() / (hashlib.sha1(os.fsencode(graph_dir.resolve())).hexdigest() + ".pickle")
        old: dict = {}
        if cache:
            try:
                with open(where, "rb") as f:
                    data = pickle.load(f)
                if data.get("version") == _CACHE_VERSION:
                    old = data["files"]
            except (OSError, EOFError, pickle.PickleError, AttributeError, KeyError, TypeError, ValueError):
                old = {}
        index = cls()
        new: dict = {}
        changed = False
        for path in sorted(p for p in graph_dir.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file()):
            rel = path.relative_to(graph_dir).as_posix()
            st = path.stat()
            stamp = (st.st_size, st.st_mtime_ns)
            hit = old.get(rel)
            if hit is not None and hit[0] == stamp:
                facts = hit[1]
            else:
                facts = read_file(path)
                changed = True
            new[rel] = (stamp, facts)
            index.add(rel, facts)
        if cache and (changed or new.keys() != old.keys()):
            try:
                where.parent.mkdir(parents=True, exist_ok=True)
                tmp = where.with_name(f".{where.name}.{os.getpid()}")
                with open(tmp, "wb") as f:
                    pickle.dump({"version": _CACHE_VERSION, "files": new}, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, where)
            except OSError:
                pass  # a cache that cannot be written only costs time
        return index

    def add(self, rel: str, facts: FileFacts) -> None:
        """Put the file ``rel``'s evidence in (replacing what it said before)."""
        self.forget(rel)
        self.files[rel] = facts
        if facts.same or facts.different:
            self._decisions = None
        for iri, e in facts.entities.items():
            self._entities.setdefault(iri, {})[rel] = e
            self._merged.pop(iri, None)
            for name in e.names:
                key = search_key(name)
                if key:
                    self._names.setdefault(key, set()).add(iri)
            for ident in e.ids:
                self._ids.setdefault(ident, set()).add(iri)

    def forget(self, rel: str) -> None:
        """Take the file ``rel``'s evidence out (a file about to be replaced)."""
        facts = self.files.pop(rel, None)
        if facts is None:
            return
        if facts.same or facts.different:
            self._decisions = None
        for iri in facts.entities:
            per = self._entities.get(iri)
            if per is not None:
                per.pop(rel, None)
                if not per:
                    del self._entities[iri]
            self._merged.pop(iri, None)

    # -- reading ----------------------------------------------------------------------
    def exists(self, iri: str) -> bool:
        return iri in self._entities

    def facts(self, iri: str) -> EntityFacts:
        """Everything the graph says of ``iri`` (empty if nothing)."""
        merged = self._merged.get(iri)
        if merged is None:
            merged = EntityFacts()
            for rel in sorted(self._entities.get(iri, {})):
                merged.merge(self._entities[iri][rel])
            self._merged[iri] = merged
        return merged

    def by_name(self, key: str) -> list[str]:
        """Entities with a name (label, alias or attested) that folds to ``key``."""
        hits = self._names.get(key, ())
        return sorted(i for i in hits if i in self._entities and any(search_key(n) == key for n in self.facts(i).names))

    def by_identifier(self, scheme: str, value: str) -> list[str]:
        hits = self._ids.get((scheme, value), ())
        return sorted(i for i in hits if (scheme, value) in self.facts(i).ids)

    def names(self):
        """Every ``(folded name, name, IRI)`` (for fuzzy suggestions)."""
        for iri in self._entities:
            for name in self.facts(iri).names:
                key = search_key(name)
                if key:
                    yield key, name, iri

    def _decided(self) -> tuple[dict, set]:
        if self._decisions is None:
            same: dict[str, str] = {}
            different: set = set()
            for rel in sorted(self.files):
                f = self.files[rel]
                same.update(f.same)
                different.update(f.different)
                different.update((b, a) for a, b in f.different)
            self._decisions = (same, different)
        return self._decisions

    def same_as(self, iri: str) -> str | None:
        """Where same-as decisions send ``iri`` (followed to the end), if anywhere."""
        same = self._decided()[0]
        seen, target = {iri}, None
        while (nxt := same.get(target or iri)) is not None and nxt not in seen:
            seen.add(nxt)
            target = nxt
        return target

    def different(self, a: str, b: str) -> bool:
        """Has someone decided ``a`` and ``b`` are different entities?"""
        return (a, b) in self._decided()[1]
