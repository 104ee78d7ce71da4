"""What the linker knows of a graph's entities: an index with blocking keys
(folded names, identifiers) in SQLite, built from the source files and kept
per file in a cache (``$XDG_CACHE_HOME/collabgraph/link-index``), so an import
parses only the files that changed and looks up only the entities a record
could be; nothing is scanned per record.

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

import bisect
import hashlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..core.namespaces import CG_IRI
from ..core.errors import SourceError, no_graph_directory
from ..core.formats import SOURCE_SUFFIXES, rdf_format_for_path
from ..core.names import search_key

__all__ = ["GraphIndex", "EntityFacts", "FileFacts", "cache_dir", "SCHEME_PREFIXES"]

_CG = CG_IRI
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
_CACHE_VERSION = 4


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
    hidden: set = field(default_factory=set)       # names that are not link keys (search hints, sort names...)

    def merge(self, other: "EntityFacts") -> None:
        self.types |= other.types
        for lang, label in other.labels.items():
            self.labels.setdefault(lang, label)
        for name in ("names", "ids", "births", "groups", "artists", "years", "hidden"):
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
    from ..core.sourcecheck import prescan

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
        elif kind == "IdentityDecision" and "decisionAbout" in one:
            a = one["decisionAbout"].value
            out.same.extend((a, o.value) for o in props.get("sameEntityAs", []) if isinstance(o, ox.NamedNode))
            out.different.extend((a, o.value) for o in props.get("differentFrom", [])
                                 if isinstance(o, ox.NamedNode))
    for iri, names in hidden.items():
        e = entity(iri)
        e.names -= names
        e.hidden |= names
    return out


def _identifier(iri: str) -> tuple[str, str] | None:
    for scheme, prefix in SCHEME_PREFIXES.items():
        if iri.startswith(prefix) and len(iri) > len(prefix):
            return scheme, iri[len(prefix):]
    return None


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (version INTEGER);
CREATE TABLE IF NOT EXISTS files (rel TEXT PRIMARY KEY, size INTEGER, mtime INTEGER);
CREATE TABLE IF NOT EXISTS ent (file TEXT NOT NULL, iri TEXT NOT NULL, field TEXT NOT NULL,
                                value TEXT NOT NULL, extra TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS ent_iri ON ent (iri);
CREATE INDEX IF NOT EXISTS ent_value ON ent (field, value);
CREATE INDEX IF NOT EXISTS ent_file ON ent (file);
CREATE TABLE IF NOT EXISTS decision (file TEXT NOT NULL, kind TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL);
"""
_SETS = ("types", "names", "births", "groups", "artists", "years", "hidden")
_FIELD = {"types": "type", "names": "name", "births": "birth", "groups": "group", "artists": "artist",
          "years": "year", "hidden": "hidden"}


def _rows(rel: str, facts: FileFacts):
    for iri, e in facts.entities.items():
        for attr in _SETS:
            for v in getattr(e, attr):
                yield rel, iri, _FIELD[attr], v, ""
        for v in e.names:
            key = search_key(v)
            if key:
                yield rel, iri, "key", key, v
        for v in e.hidden:
            key = search_key(v)
            if key:
                yield rel, iri, "hkey", key, v
        for lang, label in e.labels.items():
            yield rel, iri, "label", label, lang
        for scheme, value in e.ids:
            yield rel, iri, "id", f"{scheme}\t{value}", ""
        if not (e.types or e.names or e.labels or e.ids):
            yield rel, iri, "seen", "", ""


def _prune(folder: Path, days: int = 30) -> None:
    """Remove the indexes of graphs not imported into for ``days`` days (they are rebuilt if needed)."""
    import time

    cutoff = time.time() - days * 86400
    for old in folder.glob("*.sqlite"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


class GraphIndex:
    """The linking evidence of a graph directory's source files, merged, with
    lookups by folded name and by identifier. Files can be taken out
    (:meth:`forget`, a file about to be replaced) and put in (:meth:`add`, what
    an import run decided so far, kept in memory), so one run sees what it wrote."""

    def __init__(self, conn: sqlite3.Connection | None = None) -> None:
        if conn is None:
            conn = sqlite3.connect(":memory:")
            conn.executescript(_SCHEMA)
        self._db = conn
        self._on_disk: set[str] = {r for (r,) in conn.execute("SELECT rel FROM files")}
        self._forgotten: set[str] = set()
        self.overlays: dict[str, FileFacts] = {}            # in memory: what this run linked
        self._names: dict[str, set] = {}                    # overlays, by folded name
        self._hidden: dict[str, set] = {}
        self._sorted: list = []                             # overlays' (key, name, IRI), sorted: ranges by prefix
        self._ids: dict[tuple, set] = {}
        self._overlaid: dict[str, list] = {}                # IRI -> its EntityFacts in overlays
        self._merged: dict[str, EntityFacts] = {}
        self._decisions: tuple[dict, set] | None = None

    @property
    def files(self) -> list[str]:
        """Every file the index holds now (on disk, not forgotten, and this run's)."""
        return sorted((self._on_disk - self._forgotten) | set(self.overlays))

    # -- building --------------------------------------------------------------------
    @classmethod
    def for_graph(cls, graph_dir: str | Path, *, cache: bool = True) -> "GraphIndex":
        """The index of every RDF source file under ``graph_dir``; with ``cache``,
        it lives in a SQLite file in :func:`cache_dir` and files unchanged since
        the last run (same size and modification time) are not parsed again.

        :raises SourceError: if ``graph_dir`` is not a directory or a file does not parse.
        """
        graph_dir = Path(graph_dir)
        if not graph_dir.is_dir():
            raise SourceError(no_graph_directory(os.fsdecode(graph_dir)))
        conn = None
        if cache:
            where = cache_dir() / (hashlib.sha1(os.fsencode(graph_dir.resolve())).hexdigest() + ".sqlite")
            try:
                where.parent.mkdir(parents=True, exist_ok=True)
                _prune(where.parent)
                conn = sqlite3.connect(where, timeout=60)
                conn.executescript(_SCHEMA)
                row = conn.execute("SELECT version FROM meta").fetchone()
                if row is None or row[0] != _CACHE_VERSION:
                    conn.executescript("DELETE FROM files; DELETE FROM ent; DELETE FROM decision; DELETE FROM meta;")
                    conn.execute("INSERT INTO meta VALUES (?)", (_CACHE_VERSION,))
                    conn.commit()
            except (OSError, sqlite3.Error):
                conn = None  # a cache that cannot be used only costs time
        if conn is None:
            conn = sqlite3.connect(":memory:")
            conn.executescript(_SCHEMA)
        known = {rel: (size, mtime) for rel, size, mtime in conn.execute("SELECT rel, size, mtime FROM files")}
        seen: set[str] = set()
        for path in sorted(p for p in graph_dir.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file()):
            rel = path.relative_to(graph_dir).as_posix()
            seen.add(rel)
            st = path.stat()
            if known.get(rel) == (st.st_size, st.st_mtime_ns):
                continue
            facts = read_file(path)
            cls._store(conn, rel, facts, (st.st_size, st.st_mtime_ns))
        for rel in set(known) - seen:
            cls._drop(conn, rel)
        conn.commit()
        return cls(conn)

    @staticmethod
    def _drop(conn: sqlite3.Connection, rel: str) -> None:
        for table, col in (("files", "rel"), ("ent", "file"), ("decision", "file")):
            conn.execute(f"DELETE FROM {table} WHERE {col} = ?", (rel,))

    @classmethod
    def _store(cls, conn: sqlite3.Connection, rel: str, facts: FileFacts, stamp: tuple[int, int]) -> None:
        cls._drop(conn, rel)
        conn.executemany("INSERT INTO ent VALUES (?, ?, ?, ?, ?)", _rows(rel, facts))
        conn.executemany("INSERT INTO decision VALUES (?, 'same', ?, ?)", [(rel, a, b) for a, b in facts.same])
        conn.executemany("INSERT INTO decision VALUES (?, 'different', ?, ?)",
                         [(rel, a, b) for a, b in facts.different])
        conn.execute("INSERT INTO files VALUES (?, ?, ?)", (rel, *stamp))

    def add(self, rel: str, facts: FileFacts) -> None:
        """Put ``facts`` in as the file ``rel`` says them (in memory, for this run)."""
        if rel in self.overlays:
            del self.overlays[rel]
            self._reindex_overlays()
        self.overlays[rel] = facts
        self._index_overlay(facts)
        if facts.same or facts.different:
            self._decisions = None

    def forget(self, rel: str) -> bool:
        """Take the file ``rel``'s evidence out (a file about to be replaced); ``True`` if it was in."""
        if rel in self.overlays:
            del self.overlays[rel]
            self._reindex_overlays()
            return True
        if rel in self._on_disk and rel not in self._forgotten:
            self._forgotten.add(rel)
            self._merged.clear()
            self._decisions = None
            return True
        return False

    def _reindex_overlays(self) -> None:
        self._names, self._hidden, self._sorted, self._ids, self._overlaid = {}, {}, [], {}, {}
        for facts in self.overlays.values():
            self._index_overlay(facts)
        self._merged.clear()
        self._decisions = None

    def _index_overlay(self, facts: FileFacts) -> None:
        for iri, e in facts.entities.items():
            self._overlaid.setdefault(iri, []).append(e)
            self._merged.pop(iri, None)
            for name in e.names:
                key = search_key(name)
                if key:
                    self._names.setdefault(key, set()).add(iri)
                    bisect.insort(self._sorted, (key, name, iri))
            for name in e.hidden:
                key = search_key(name)
                if key:
                    self._hidden.setdefault(key, set()).add(iri)
            for ident in e.ids:
                self._ids.setdefault(ident, set()).add(iri)

    # -- reading ----------------------------------------------------------------------
    def _live(self, rows):
        forgotten = self._forgotten
        return [r[0] for r in rows if r[1] not in forgotten]

    def exists(self, iri: str) -> bool:
        if iri in self._overlaid:
            return True
        return bool(self._live(self._db.execute("SELECT iri, file FROM ent WHERE iri = ?", (iri,))))

    def files_of(self, iri: str) -> set[str]:
        """The files (as the index holds them now) that say something of ``iri``."""
        found = set(self._live(self._db.execute("SELECT DISTINCT file, file FROM ent WHERE iri = ?", (iri,))))
        return found | {rel for rel, facts in self.overlays.items() if iri in facts.entities}

    def facts(self, iri: str) -> EntityFacts:
        """Everything the graph says of ``iri`` (empty if nothing)."""
        merged = self._merged.get(iri)
        if merged is not None:
            return merged
        merged = EntityFacts()
        forgotten = self._forgotten
        for file, field_, value, extra in self._db.execute(
                "SELECT file, field, value, extra FROM ent WHERE iri = ? ORDER BY file, rowid", (iri,)):
            if file in forgotten:
                continue
            if field_ == "label":
                merged.labels.setdefault(extra, value)
            elif field_ == "id":
                scheme, _, v = value.partition("\t")
                merged.ids.add((scheme, v))
            elif field_ in ("key", "hkey", "seen"):
                continue
            else:
                getattr(merged, next(a for a, f in _FIELD.items() if f == field_)).add(value)
        for e in self._overlaid.get(iri, ()):
            merged.merge(e)
        self._merged[iri] = merged
        return merged

    def by_name(self, key: str) -> list[str]:
        """Entities with a name (label, alias or attested) that folds to ``key``."""
        found = set(self._live(self._db.execute(
            "SELECT iri, file FROM ent WHERE field = 'key' AND value = ?", (key,))))
        found |= self._names.get(key, set())
        return sorted(found)

    def by_hidden_name(self, key: str) -> list[str]:
        """Entities with a search hint, sort name or locale variant that folds to ``key``:
        never a link, but a reason a name is not unique."""
        found = set(self._live(self._db.execute(
            "SELECT iri, file FROM ent WHERE field = 'hkey' AND value = ?", (key,))))
        found |= self._hidden.get(key, set())
        return sorted(found)

    def by_identifier(self, scheme: str, value: str) -> list[str]:
        found = set(self._live(self._db.execute(
            "SELECT iri, file FROM ent WHERE field = 'id' AND value = ?", (f"{scheme}\t{value}",))))
        found |= self._ids.get((scheme, value), set())
        return sorted(found)

    def entities(self) -> set[str]:
        """Every entity IRI (for a whole-graph view; linking never needs it)."""
        out = set(self._live(self._db.execute("SELECT DISTINCT iri, file FROM ent")))
        return out | set(self._overlaid)

    def names_from(self, prefix: str, *, stored: bool = True, overlaid: bool = True):
        """Every ``(folded name, name, IRI)`` whose folded name starts with ``prefix``
        (a block for fuzzy suggestions: one indexed range, never a scan); ``stored``:
        from the source files, ``overlaid``: from this run's batches."""
        forgotten = self._forgotten
        if stored:
            end = prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\U0010ffff"
            for iri, file, key, name in self._db.execute(
                    "SELECT iri, file, value, extra FROM ent WHERE field = 'key' AND value >= ? AND value < ?",
                    (prefix, end)):
                if file not in forgotten:
                    yield key, name, iri
        if overlaid:
            yield from self._sorted[self._range(prefix)]

    def count_from(self, prefix: str) -> int:
        """About how many names fold to something starting with ``prefix``: the stored ones
        (an index-only count) and this run's."""
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\U0010ffff"
        stored = self._db.execute("SELECT count(*) FROM ent WHERE field = 'key' AND value >= ? AND value < ?",
                                  (prefix, end)).fetchone()[0]
        r = self._range(prefix)
        return stored + (r.stop - r.start)

    def _range(self, prefix: str) -> slice:
        """The slice of this run's sorted names that start with ``prefix``."""
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\U0010ffff"
        return slice(bisect.bisect_left(self._sorted, (prefix,)), bisect.bisect_left(self._sorted, (end,)))

    def _decided(self) -> tuple[dict, set]:
        if self._decisions is None:
            same: dict[str, str] = {}
            different: set = set()
            for file, kind, a, b in self._db.execute("SELECT file, kind, a, b FROM decision ORDER BY file, rowid"):
                if file in self._forgotten:
                    continue
                if kind == "same":
                    same[a] = b
                else:
                    different.update({(a, b), (b, a)})
            for rel in sorted(self.overlays):
                f = self.overlays[rel]
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

    def different_pairs(self) -> set:
        """Every pair of IRIs someone decided are different (both orders)."""
        return set(self._decided()[1])

    def different(self, a: str, b: str) -> bool:
        """Has someone decided ``a`` and ``b`` are different entities?"""
        return (a, b) in self._decided()[1]
