"""Which entity of the graph an imported record is: evidence, not names.

A record links to an existing entity only

1. by a shared identifier (Wikidata QID, MusicBrainz MBID, ISNI), or by a
   person's earlier decision (``--link``, ``collabgraph merge``: kept in
   ``graph/decisions.ttl``); or
2. by a name that exactly one entity of a compatible type holds, when nothing
   conflicts (another identifier of the same scheme, another birth date,
   groups or release years that do not meet, a decision that they differ);
   a work also needs an artist in common: works never link by title alone.

A name two or more entities hold, a record with no type, a close spelling,
or a conflict makes a new entity and a *suggestion* in the import report, for
a person to decide (``--link NAME=ID`` or ``--new NAME``; both are kept as
decisions and applied on every later import). Aliases a source marks as
search hints, sort names or locale variants are never link keys.

A new entity's IRI is minted once, from its first identifier
(``id:wd-Q20145``, ``id:mb-<mbid>``) or from a hash of the file and record it
came from (``id:<name>-<hash>``), so it never moves when a label changes.

The linker reads the graph through :class:`.linkindex.GraphIndex` (blocking by
folded name and identifier, cached per file), and puts each linked batch into
it, so the records of one run see each other as they would across runs.

>>> from collabgraph.importers.model import Batch, EntityRecord
>>> linker = Linker.for_graph(GRAPH_DIR)
>>> b = Batch("test/1")
>>> _ = b.add_entity(EntityRecord("x:iu", types=["Person"], labels={"en": "IU"}, identifiers={"wikidata": "Q20145"}))
>>> _ = b.add_entity(EntityRecord("x:v", types=["Person"], labels={"en": "Kim Tae-hyung"}))
>>> _ = b.add_entity(EntityRecord("x:new", types=["Person"], labels={"en": "Nobody Known"}))
>>> links = linker.link(b)
>>> [(d.method, curie(d.iri)) for d in links.decisions.values()]
[('identifier', 'id:iu'), ('name', 'id:v'), ('new', 'id:nobody-known-746ca84e')]
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..core.errors import CollabGraphError, SourceError, no_graph_directory
from ..core.formats import SOURCE_SUFFIXES
from ..core.names import close_matches, search_key, slug
from ..core.namespaces import CG, ID, curie, expand
from ..core.packaged import default_ontology
from ..store.local import Store
from ..views.reader import Reader
from .linkindex import EntityFacts, FileFacts, GraphIndex
from .model import NOT_LINK_KEYS, Batch, ClaimRecord, CreditRecord, EntityRecord, MembershipRecord, NameRecord
from .vocabulary import vocabulary

__all__ = ["Linker", "Links", "Decision", "Suggestion", "IdentityChoice", "identifier_iri", "parse_links",
           "mint_iri"]

#: How an identifier scheme is written in the graph: the claim property and the IRI of an id.
SCHEMES = {
    "wikidata": (str(CG.wikidata), "http://www.wikidata.org/entity/{}"),
    "musicbrainz": (str(CG.musicbrainz), "https://musicbrainz.org/{}"),
    "isni": (str(CG.isni), "https://isni.org/isni/{}"),
}
#: Types that say nothing about what a record is (a Wikidata item of a class outside the ontology).
_NO_EVIDENCE_TYPES = frozenset({"Entity"})
#: Audiovisual works: one never links to a work that is not one (a song and its video share title and artists).
_VIDEO_CLASSES = frozenset({"MusicVideo", "Video"})
#: The properties of an attestation that say where a record was put.
_PLACE_PROPS = frozenset({str(CG.attests), str(CG.source), str(CG.locator)})
#: Close names at or above this score (:func:`collabgraph.core.names.close_matches`'s ratio, as 0-100)
#: are suggested: higher than "did you mean" (0.6), since every new record is checked against them.
SUGGEST_SCORE = 80.0
#: Most names a fuzzy block holds before it narrows to one more letter.
FUZZY_BLOCK = 500


def identifier_iri(scheme: str, value: str) -> str:
    """The IRI a scheme's identifier is written as.

    >>> identifier_iri("wikidata", "Q20145")
    'http://www.wikidata.org/entity/Q20145'
    >>> identifier_iri("musicbrainz", "artist/b9545342-1e6d-4dae-84ac-013374ad8d7c")
    'https://musicbrainz.org/artist/b9545342-1e6d-4dae-84ac-013374ad8d7c'
    """
    return SCHEMES[scheme][1].format(value)


@dataclass(frozen=True)
class Suggestion:
    """An existing entity whose name is close to the record's, for a person to judge."""

    iri: str
    label: str
    score: float
    name: str
    why: str = ""

    def to_dict(self) -> dict:
        return {"id": curie(self.iri), "label": self.label, "score": round(self.score, 1), "matched": self.name,
                "why": self.why}


@dataclass
class Decision:
    """What the linker decided for one record: ``method`` is ``identifier``,
    ``name`` (a unique name, nothing conflicting), ``evidence`` (the only one
    of several same-named entities that the record's group, birth date,
    artist or year fits), ``manual`` (``--link``), ``decided`` (a person's earlier decision
    in ``graph/decisions.ttl``), ``given`` (the record names its entity's IRI:
    ``identifiers={"iri": ...}``), ``new`` (minted) or ``again`` (decided
    earlier in this run). ``mentions`` say where the input names the record
    (``rows.csv:12``), ``identifiers`` what identifies it in its source."""

    key: str
    label: str
    iri: str
    method: str
    detail: str = ""
    suggestions: list[Suggestion] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)

    @property
    def is_new(self) -> bool:
        return self.method == "new"

    def to_dict(self) -> dict:
        return {"record": self.key, "label": self.label, "id": curie(self.iri), "method": self.method,
                "detail": self.detail, "suggestions": [s.to_dict() for s in self.suggestions],
                "mentions": list(self.mentions), "identifiers": dict(self.identifiers)}


@dataclass(frozen=True)
class IdentityChoice:
    """A person's identity decision to keep in ``graph/decisions.ttl``:
    ``kind`` ``same`` (``entity`` is ``other``) or ``different``; ``name``
    the record's name when it came from ``--link``/``--new``."""

    kind: str
    entity: str
    other: str
    name: str = ""


@dataclass
class Links:
    """The decisions for one batch, by record key."""

    decisions: dict[str, Decision] = field(default_factory=dict)

    def iri(self, key: str) -> str:
        return self.decisions[key].iri


def parse_links(pairs: Iterable[str]) -> dict[str, str]:
    """``NAME=ID`` options as a mapping (``--link "Lee Ji-eun=id:iu"``).

    >>> parse_links(["Lee Ji-eun=id:iu"])
    {'Lee Ji-eun': 'id:iu'}
    """
    out = {}
    for pair in pairs:
        name, sep, target = pair.partition("=")
        if not sep or not name.strip() or not target.strip():
            raise CollabGraphError(f"--link takes NAME=ID (an entity name, CURIE or IRI), not {pair!r}")
        out[name.strip()] = target.strip()
    return out


def sources_store(graph_dir: str | Path, ontology_dir: str | Path | None = None) -> tuple[Store, dict[str, str]]:
    """The RDF source files of ``graph_dir`` as they are now, parsed into memory
    with the ontology (no validation or inference: what importers and ingest
    link against), and the named graph of each file by its path relative to
    ``graph_dir``. A graph directory with no RDF file yet gives a store with
    only the ontology.

    :raises SourceError: if ``graph_dir`` is not a directory.
    """
    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise SourceError(no_graph_directory(os.fsdecode(graph_dir)))
    store = Store.memory()
    files: dict[str, str] = {}
    paths = sorted(p for p in graph_dir.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file())
    for i, path in enumerate(paths):
        files[path.relative_to(graph_dir).as_posix()] = graph = f"urn:collabgraph:source:{i}"
        store.load_file(path, graph=graph)
    store.load_file(Path(ontology_dir or default_ontology()) / "collab.ttl", graph="urn:collabgraph:source:ontology")
    return store, files


def mint_iri(record: EntityRecord, scope: str) -> str:
    """The IRI a new entity gets, once: from its first identifier where it has
    one (``id:wd-Q20145``, ``id:mb-<mbid>``, ``id:isni-<isni>``), else its name
    and a hash of where it came from (``scope``, the batch) and its record key,
    so the same record mints the same IRI on every import and a renamed label
    moves nothing.

    >>> curie(mint_iri(EntityRecord("x", labels={"en": "The Enemy"}, identifiers={"musicbrainz": "recording/2d40c8b2-7524-49e3-af44-ebb924c5b023"}), "s"))
    'id:mb-2d40c8b2-7524-49e3-af44-ebb924c5b023'
    >>> curie(mint_iri(EntityRecord("x", identifiers={"wikidata": "Q20145"}), "s"))
    'id:wd-Q20145'
    >>> curie(mint_iri(EntityRecord("csv:x|Person", labels={"": "Mira Solen"}), "csv/facts"))
    'id:mira-solen-465c1f94'
    """
    ids = record.identifiers
    if ids.get("wikidata") and ids["wikidata"][1:].isdigit():
        return str(ID["wd-" + ids["wikidata"]])
    if ids.get("musicbrainz"):
        return str(ID["mb-" + slug(ids["musicbrainz"].rpartition("/")[2], limit=None)])
    if ids.get("isni"):
        return str(ID["isni-" + slug(ids["isni"], limit=None)])
    base = slug(record.labels.get("en") or next(iter(record.labels.values()), "") or "", limit=40) or "entity"
    digest = hashlib.sha1(f"{scope}\x00{record.key}".encode()).hexdigest()[:8]
    return str(ID[f"{base}-{digest}"])


@dataclass
class _Evidence:
    """What a batch says of one record besides its names (see :meth:`Linker._evidence`)."""

    births: set = field(default_factory=set)
    active: set = field(default_factory=set)      # years of works it is credited on (agents)
    groups: set = field(default_factory=set)      # record keys of groups
    artists: set = field(default_factory=set)     # record keys of agents credited on it
    years: set = field(default_factory=set)


class Linker:
    """Links records to a graph's entities; one linker for one import run."""

    def __init__(self, index: GraphIndex, *, links: dict[str, str] | None = None,
                 new: Iterable[str] = (), graph_dir: Path | None = None, ontology_dir: Path | None = None):
        self.index = index
        self.vocab = vocabulary()
        self._manual = {search_key(n): target for n, target in (links or {}).items()}
        self._new = {search_key(n) for n in new}
        self._by_identifier: dict[tuple[str, str], str] = {}   # decided in this run
        self._by_key: dict[tuple[str, str], tuple[str, str]] = {}  # (batch, record key) -> (IRI, why)
        self._choices: dict[str, list] | None = None   # fuzzy blocks of the stored names, by prefix
        self._run = 0
        self.used_manual: set[str] = set()
        #: Decisions a person made in this run (``--link``, ``--new``), to keep in graph/decisions.ttl.
        self.choices: list[IdentityChoice] = []
        self.graph_dir, self.ontology_dir = graph_dir, ontology_dir
        self._reader: Reader | None = None
        #: (source IRI, locator) of an attestation in a file about to be replaced -> the entity it named,
        #: for entities a person's decision concerns (a split, --new): a re-import puts them back there.
        self._placed: dict[tuple[str, str], str] = {}

    @classmethod
    def for_graph(cls, graph_dir: str | Path, ontology_dir: str | Path | None = None, **options) -> "Linker":
        """A linker over the source files of ``graph_dir`` as they are now
        (see :meth:`.linkindex.GraphIndex.for_graph`)."""
        return cls(GraphIndex.for_graph(graph_dir), graph_dir=Path(graph_dir),
                   ontology_dir=Path(ontology_dir) if ontology_dir else None, **options)

    @property
    def reader(self) -> Reader:
        """The graph's source files parsed into a store (loaded on first use:
        linking itself needs only the index)."""
        if self._reader is None:
            self._reader = Reader(sources_store(self.graph_dir, self.ontology_dir)[0])
        return self._reader

    def forget(self, relative_path: str) -> None:
        """Read the graph as if the source file at ``relative_path`` (under the
        graph directory) were gone: a file about to be replaced must not decide
        what its replacement says (entities it made are found again by their
        identifiers, or minted again under the same IRI)."""
        self._placed.update(self._decided_places(relative_path))
        gone = self.index.forget(relative_path)
        for rel in [r for r in list(self.index.overlays) if r.startswith(relative_path + "#run")]:
            gone = self.index.forget(rel) or gone
        if gone:
            self._choices = None

    def _decided_places(self, relative_path: str) -> dict[tuple[str, str], str]:
        """Where the file at ``relative_path`` (as it is on disk) put the records of entities that a
        decision names (``collabgraph split``, ``--new``, ``differ``), by the source and locator of
        their attestations: the same row of the same source goes back to the same entity."""
        if self.graph_dir is None or not (self.graph_dir / relative_path).is_file():
            return {}
        decided = {x for pair in self.index.different_pairs() for x in pair}
        if not decided:
            return {}
        import pyoxigraph as ox

        nodes: dict[str, dict[str, str]] = {}
        try:
            for q in ox.parse(path=str(self.graph_dir / relative_path), format=ox.RdfFormat.TURTLE):
                if isinstance(q.subject, ox.NamedNode) and q.predicate.value in _PLACE_PROPS:
                    nodes.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value
        except (SyntaxError, ValueError, OSError):
            return {}
        return {(n[str(CG.source)], n[str(CG.locator)]): n[str(CG.attests)] for n in nodes.values()
                if len(n) == 3 and n[str(CG.attests)] in decided}

    def _placed_before(self, batch: Batch, record: EntityRecord) -> str | None:
        """The entity a decision-bound earlier version of this file put ``record`` at (see :meth:`forget`)."""
        if not self._placed:
            return None
        from .model import source_iri

        for f in batch.facts:
            if isinstance(f, NameRecord) and f.entity == record.key and f.provenance.source in batch.sources:
                hit = self._placed.get((source_iri(batch, f.provenance.source), f.provenance.locator or ""))
                if hit is not None:
                    return hit
        source = next(iter(batch.sources), None)
        if source is not None:  # the attestation the writer gives a record no name record attests
            where = ", ".join(f"{s} {v}" for s, v in sorted(record.identifiers.items()))
            return self._placed.get((source_iri(batch, source), where or f"the record of {record.label}"))
        return None

    def remember(self, relative_path: str, linked: Iterable[tuple[Batch, "Links"]]) -> None:
        """Put what ``linked`` says into the index, as the file ``relative_path``
        will, so later records of the run link to it as a later run would."""
        facts = FileFacts()
        for batch, links in linked:
            evidence = self._evidence(batch)
            for key, record in batch.entities.items():
                iri = links.iri(key)
                e = facts.entities.setdefault(iri, EntityFacts())
                e.types.update(record.types)
                for lang, label in record.labels.items():
                    e.labels.setdefault(lang, label)
                e.names.update(self._link_names(record))
                e.hidden.update(a.text for a in record.aliases if a.kind in NOT_LINK_KEYS)
                e.ids.update((s, v) for s, v in record.identifiers.items() if s in SCHEMES)
                ev = evidence.get(key)
                if ev:
                    e.births |= ev.births
                    e.years |= ev.years
                    e.groups |= {links.iri(g) for g in ev.groups if g in links.decisions}
                    e.artists |= {links.iri(a) for a in ev.artists if a in links.decisions}
        self._run += 1
        self.index.add(f"{relative_path}#run{self._run}", facts)

    # -- deciding -------------------------------------------------------------------
    def link(self, batch: Batch) -> Links:
        """Decide every entity of ``batch``: groups first, then other agents and
        characters, then works (whose evidence is the agents credited on them)."""
        out = Links()
        evidence = self._evidence(batch)

        def rank(record: EntityRecord) -> int:
            if "Group" in record.types:
                return 0
            return 2 if any(self.vocab.is_work_class(t) for t in record.types) else 1
        for record in sorted(batch.entities.values(), key=rank):
            out.decisions[record.key] = self._decide(batch, record, evidence.get(record.key) or _Evidence(), out)
        out.decisions = {k: out.decisions[k] for k in batch.entities}
        return out

    def _evidence(self, batch: Batch) -> dict[str, _Evidence]:
        ev: dict[str, _Evidence] = {}
        for f in batch.facts:
            if isinstance(f, MembershipRecord):
                ev.setdefault(f.member, _Evidence()).groups.add(f.group)
            elif isinstance(f, CreditRecord):
                ev.setdefault(f.work, _Evidence()).artists.add(f.agent)
                if f.date is not None and f.date.value[:4].isdigit():
                    ev[f.work].years.add(f.date.value[:4])
            elif isinstance(f, ClaimRecord) and f.claimed_by is None and hasattr(f.value, "precision"):
                if f.property == "birthDate":
                    ev.setdefault(f.about, _Evidence()).births.add(f.value.value)
                elif f.property in ("releaseDate", "publicationDate", "inception") and f.value.value[:4].isdigit():
                    ev.setdefault(f.about, _Evidence()).years.add(f.value.value[:4])
        for f in batch.facts:  # an agent is active in the years of the works it is credited on
            if isinstance(f, CreditRecord) and f.work in ev:
                ev.setdefault(f.agent, _Evidence()).active |= ev[f.work].years
        return ev

    def _decide(self, batch: Batch, record: EntityRecord, ev: _Evidence, links: "Links") -> Decision:
        def decision(iri: str, method: str, detail: str = "", suggestions=()) -> Decision:
            d = Decision(record.key, record.label, iri, method, detail, list(suggestions),
                         list(record.mentions), dict(record.identifiers))
            self._by_key[(batch.name, record.key)] = (d.iri, d.detail)
            for scheme, value in record.identifiers.items():
                self._by_identifier.setdefault((scheme, value), d.iri)
            return d

        earlier = self._by_key.get((batch.name, record.key)) or self._earlier_by_identifier(record)
        if earlier is not None:
            return decision(earlier[0], "again", earlier[1])
        given = record.identifiers.get("iri")
        if given is not None:  # the record says which entity it is (a person chose it in review)
            if not self._exists(given):
                raise CollabGraphError(f"{record.label}: {curie(given)} is not an entity of the graph")
            return decision(given, "given", "chosen in review")
        mint = mint_iri(record, batch.name)
        decided = self.index.same_as(mint)
        if decided is not None:
            return decision(decided, "decided", f"decided earlier: the same as {self._shown(decided)} "
                                                "(graph/decisions.ttl)")
        names = self._link_names(record)
        keys = list(dict.fromkeys(k for k in (search_key(n) for n in names) if k))
        manual = next((self._manual[k] for k in keys if k in self._manual), None)
        if manual is not None:
            self.used_manual.update(k for k in keys if k in self._manual)
            target = self._resolve(manual)
            if not self._types_fit(record, target):
                theirs = "/".join(sorted(self.index.facts(target).types)) or "entity"
                raise CollabGraphError(f"--link {record.label}={manual}: {record.label} is a "
                                       f"{'/'.join(record.types)} in this source, {self._shown(target)} is a "
                                       f"{theirs}; not linked")
            if target != mint:
                self.choices.append(IdentityChoice("same", mint, target, record.label))
            return decision(target, "manual", f"--link to {self._shown(target)}")
        found = self._by_identifiers(record, mint)
        if found is not None:
            iri, method, detail, suggestions = found
            return decision(iri, method, detail, suggestions)
        placed = self._placed_before(batch, record)
        if placed is not None and not any(k in self._new for k in keys):
            return decision(placed, "decided", f"put at {self._shown(placed)} by an earlier decision "
                                               "(collabgraph split/--new, graph/decisions.ttl)")
        forced_new = any(k in self._new for k in keys)
        if forced_new:
            for c in self._name_candidates(record, keys, mint):
                self.choices.append(IdentityChoice("different", mint, c, record.label))
            return decision(mint, "new", "--new")
        if record.stub:
            return decision(mint, "new")
        candidates = [c for c in self._name_candidates(record, keys, mint) if self._types_fit(record, c)]
        if not set(record.types) - _NO_EVIDENCE_TYPES:
            return decision(mint, "new", "no type in the source: never linked by name alone" if candidates else "",
                            [self._suggestion(c, record, 100.0, "same name, no type to compare") for c in candidates])
        # A name another entity holds only as a search hint, sort name or locale variant links
        # nothing, but it makes the name ambiguous (MusicBrainz's "Dylan" for Bob Dylan).
        shadows = [c for c in sorted({e for k in keys for e in self.index.by_hidden_name(k)})
                   if c not in candidates and c != mint and not self.index.different(mint, c)
                   and self._types_fit(record, c)]
        if not candidates and not shadows:
            # Close spellings are worth a look only for a record nothing identifies: one with its own
            # QID or MBID and no namesake is a new entity (and a dump would pay a fuzzy search per item).
            identified = any(k in SCHEMES for k in record.identifiers)
            return decision(mint, "new", "", [] if identified else self._fuzzy(record, names, mint))
        if candidates == [mint] and not shadows:
            return decision(mint, "new")
        conflicts = {c: self._conflict(record, ev, c, links) for c in candidates + shadows}
        fits = [c for c in candidates + shadows if conflicts[c] is None]
        if len(candidates) == 1 and not shadows and fits:
            c = fits[0]
            return decision(c, "name", f"same name and type as {self._shown(c)}{self._support(record, ev, c, links)}")
        real = [c for c in fits if c in candidates]
        apart = [c for c in candidates if any(self.index.different(c, o) for o in candidates if o != c)]
        if len(candidates) > 1 and apart:
            # A person decided that two entities with this name are different (split, differ): which
            # one a record is, a person says (--link); a name with evidence does not.
            return decision(mint, "new", f"{len(candidates)} entities have this name and were decided "
                                         "different (graph/decisions.ttl): not linked, check which",
                            [self._suggestion(c, record, 100.0, conflicts[c] or "same name; decided different "
                                              "from another entity of this name") for c in candidates + shadows])
        if len(real) == 1 and self._support(record, ev, real[0], links) and \
                not any(self._support(record, ev, c, links) for c in fits if c in shadows):
            # Several entities hold the name, and the evidence rules out all but one (an entity
            # that has it only as a hidden alias must be ruled out or have nothing for it).
            c = real[0]
            return decision(c, "evidence", f"the only one of {len(candidates) + len(shadows)} entities named "
                                           f"{record.label!r} that fits{self._support(record, ev, c, links)}")
        every = candidates + shadows
        why = (f"{len(every)} entities have this name: not linked, check which" if len(every) > 1
               else f"same name as {self._shown(every[0])}, but "
                    f"{conflicts[every[0]] or 'only as an alias that is not a name to link by'}: not linked")
        return decision(mint, "new", why, [self._suggestion(c, record, 100.0, conflicts[c] or (
            "an alias that is not a link key" if c in shadows else "same name and type")) for c in every])

    def _link_names(self, record: EntityRecord) -> list[str]:
        """Names that may link the record: its labels and the aliases that are names of it
        (not search hints, sort names or locale variants)."""
        return list(dict.fromkeys([*record.labels.values(),
                                   *(a.text for a in record.aliases if a.kind not in NOT_LINK_KEYS)]))

    def _name_candidates(self, record: EntityRecord, keys: list[str], mint: str) -> list[str]:
        found = sorted({e for k in keys for e in self.index.by_name(k)})
        return [e for e in found if not self.index.different(mint, e)]

    def _earlier_by_identifier(self, record: EntityRecord) -> tuple[str, str] | None:
        for scheme, value in record.identifiers.items():
            iri = self._by_identifier.get((scheme, value))
            if iri is not None:
                return iri, f"{scheme} {value}"
        return None

    def _by_identifiers(self, record: EntityRecord, mint: str):
        """An existing entity holding one of the record's identifiers. Two
        different entities holding them is a conflict: reported, not merged."""
        hits: dict[str, str] = {}
        for scheme, value in sorted(record.identifiers.items()):
            if scheme not in SCHEMES:
                continue
            for iri in self.index.by_identifier(scheme, value):
                hits.setdefault(self.index.same_as(iri) or iri, f"{scheme} {value}")
        if len(hits) == 1:
            iri, detail = next(iter(hits.items()))
            return iri, "identifier", detail, []
        if len(hits) > 1:
            return (mint, "new", "identifiers held by different entities: " + ", ".join(curie(h) for h in sorted(hits)),
                    [self._suggestion(h, record, 100.0, d) for h, d in sorted(hits.items())])
        return None

    def _types_fit(self, record: EntityRecord, iri: str) -> bool:
        theirs = self.index.facts(iri).types
        ours = set(record.types)
        if not ours or not theirs:
            return True
        sup = self.vocab.superclasses
        return any(a in sup.get(b, {b}) or b in sup.get(a, {a}) for a in ours for b in theirs)

    def _is_work(self, record: EntityRecord, iri: str) -> bool:
        types = set(record.types) | self.index.facts(iri).types
        return any(self.vocab.is_work_class(t) for t in types)

    def _is_video(self, types: set) -> bool:
        sup = self.vocab.superclasses
        return any(_VIDEO_CLASSES & sup.get(t, {t}) for t in types)

    def _conflict(self, record: EntityRecord, ev: _Evidence, iri: str, links: "Links") -> str | None:
        """Why ``record`` cannot be ``iri`` (``None``: nothing conflicts and, for a work, an artist is shared)."""
        known = self.index.facts(iri)
        for scheme, value in record.identifiers.items():
            theirs = {v for s, v in known.ids if s == scheme}
            if scheme in SCHEMES and theirs and value not in theirs:
                return f"it has {scheme} {value}, {self._shown(iri)} has {', '.join(sorted(theirs))}"
        if ev.births and known.births and not _dates_meet(ev.births, known.births):
            return f"born {', '.join(sorted(ev.births))}, {self._shown(iri)} born {', '.join(sorted(known.births))}"
        born = min((b[:4] for b in known.births if b[:4].isdigit()), default=None)
        if born and ev.active and min(ev.active) < born:
            return f"credited on a work of {min(ev.active)}, and {self._shown(iri)} was born in {born}"
        if ev.years and known.years and not ev.years & known.years:
            return f"from {', '.join(sorted(ev.years))}, {self._shown(iri)} from {', '.join(sorted(known.years))}"
        if ev.groups and known.groups and not self._groups_meet(ev.groups, known.groups, links):
            return f"in other groups than {self._shown(iri)}"
        if self._is_work(record, iri):
            if self._is_video(set(record.types)) != self._is_video(known.types):
                return "a video and a work that is not one: a song and its music video share title and artist"
            ours = {links.iri(a) for a in ev.artists if a in links.decisions}
            if not ours or not known.artists:
                return "a work with no artist to compare: titles alone never link works"
            if not ours & known.artists:
                return f"by other artists than {self._shown(iri)}"
        return None

    def _support(self, record: EntityRecord, ev: _Evidence, iri: str, links: "Links") -> str:
        known = self.index.facts(iri)
        said = []
        if ev.births & known.births:
            said.append("birth date")
        if ev.groups and known.groups and self._groups_meet(ev.groups, known.groups, links):
            said.append("group")
        if ev.artists:
            said.append("artist")
        if ev.years & known.years:
            said.append("year")
        return f" (and {', '.join(said)})" if said else ""

    def _groups_meet(self, ours: set, theirs: set, links: "Links") -> bool:
        iris = {links.iri(g) for g in ours if g in links.decisions}
        if iris & theirs:
            return True
        our_names = set()
        for g in ours:
            d = links.decisions.get(g)
            if d is not None:
                our_names.add(search_key(d.label))
        their_names = {search_key(n) for t in theirs for n in self.index.facts(t).names}
        return bool(our_names & their_names)

    def _suggestion(self, iri: str, record: EntityRecord, score: float, why: str) -> Suggestion:
        return Suggestion(iri, self.index.facts(iri).label or curie(iri), score, record.label, why)

    def _shown(self, iri: str) -> str:
        label = self.index.facts(iri).label
        return f"{label} ({curie(iri)})" if label else curie(iri)

    def _exists(self, iri: str) -> bool:
        return self.index.exists(iri)

    def _resolve(self, target: str) -> str:
        """An entity of the graph by CURIE, IRI or unique name (for ``--link``)."""
        text = target.strip()
        iri = text if text.startswith(("http://", "https://")) else expand(text)
        if iri and self._exists(iri):
            return iri
        hits = self.index.by_name(search_key(text))
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise CollabGraphError(f"--link target {text!r} names {len(hits)} entities: "
                                   f"{', '.join(self._shown(h) for h in hits)}; use one of these ids")
        raise CollabGraphError(f"--link target {text!r}: no entity of the graph has that id or name")

    def _fuzzy(self, record: EntityRecord, names: list[str], mint: str, limit: int = 3) -> list[Suggestion]:
        """Close names of compatible entities, compared within a block of names that
        fold to the same first letters (two, or more while the block holds more than
        :data:`FUZZY_BLOCK` names: an indexed range of the link index), so a big graph
        costs at most a few thousand comparisons per record, never a scan (a typo in
        the block's letters is not suggested)."""
        best: dict[str, Suggestion] = {}
        for name in names:
            key = search_key(name)
            if not key:
                continue
            n = 2
            while n < len(key) and self.index.count_from(key[:n]) > FUZZY_BLOCK:
                n += 1
            choices, owners = self._fuzzy_block(key[:n])
            spelt: dict[str, list[int]] = {}
            for i, choice in enumerate(choices):
                spelt.setdefault(choice, []).append(i)
            # the one ranking of close names (keys are folded already), never a link on its own
            for choice, ratio in close_matches(key, list(spelt), limit=10, cutoff=SUGGEST_SCORE / 100, fold=None):
                score = ratio * 100
                for i in spelt[choice]:
                    iri, shown = owners[i]
                    if iri == mint or not self._types_fit(record, iri) or self.index.different(mint, iri):
                        continue
                    if iri not in best or score > best[iri].score:
                        best[iri] = Suggestion(iri, self.index.facts(iri).label or shown, score, shown,
                                               "a close name")
        return sorted(best.values(), key=lambda s: (-s.score, search_key(s.name), s.name))[:limit]

    def _fuzzy_block(self, prefix: str) -> tuple[list[str], list[tuple[str, str]]]:
        """The graph's folded names starting with ``prefix``, with their owners: the
        source files' kept for the run, this run's batches read each time."""
        if self._choices is None:
            self._choices = {}
        stored = self._choices.get(prefix)
        if stored is None:
            stored = self._choices[prefix] = list(self.index.names_from(prefix, overlaid=False))
        rows = stored + list(self.index.names_from(prefix, stored=False))
        return [k for k, _, _ in rows], [(iri, name) for _, name, iri in rows]


def _dates_meet(ours: set, theirs: set) -> bool:
    """Do two sets of dates agree somewhere (a year agrees with a day of that year)?"""
    return any(a.startswith(b) or b.startswith(a) for a in ours for b in theirs)
