"""Which entity of the graph an imported record is: decided by identifiers,
then by a unique normalised name of a compatible type, else a new entity.
A fuzzy match is only ever a suggestion, listed with its score for a person
to decide (``--link NAME=ID`` or ``--new NAME``); nothing is merged on a guess.

The linker reads the graph's source files as they are now (sources and the
ontology, no inference), and remembers what it decided during one import, so
that a stub met in one record and described in a later one of the same run
is one entity.

>>> from collabgraph.sources.model import Batch, EntityRecord
>>> linker = Linker.for_graph(GRAPH_DIR)
>>> b = Batch("test/1")
>>> _ = b.add_entity(EntityRecord("x:iu", types=["Person"], labels={"en": "IU"}, identifiers={"wikidata": "Q20145"}))
>>> _ = b.add_entity(EntityRecord("x:v", types=["Person"], labels={"en": "Kim Tae-hyung"}))
>>> _ = b.add_entity(EntityRecord("x:new", types=["Person"], labels={"en": "Nobody Known"}))
>>> links = linker.link(b)
>>> [(d.method, curie(d.iri)) for d in links.decisions.values()]
[('identifier', 'id:iu'), ('name', 'id:v'), ('new', 'id:nobody-known')]
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from rdflib import URIRef

from ..errors import CollabGraphError, SourceError
from ..formats import SOURCE_SUFFIXES
from ..names import search_key, slug
from ..namespaces import CG, ID, curie
from ..packaged import default_ontology
from ..store import Store
from ..views.entities import describe, resolve
from ..views.nameindex import index_names
from ..views.reader import Reader
from .model import Batch, EntityRecord
from .vocabulary import vocabulary

__all__ = ["Linker", "Links", "Decision", "Suggestion", "identifier_iri", "parse_links"]

#: How an identifier scheme is written in the graph: the claim property and the IRI of an id.
SCHEMES = {
    "wikidata": (str(CG.wikidata), "http://www.wikidata.org/entity/{}"),
    "musicbrainz": (str(CG.musicbrainz), "https://musicbrainz.org/{}"),
}
#: Fuzzy suggestions at or above this score (rapidfuzz WRatio, 0-100) are listed.
SUGGEST_SCORE = 80.0


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

    def to_dict(self) -> dict:
        return {"id": curie(self.iri), "label": self.label, "score": round(self.score, 1), "matched": self.name}


@dataclass
class Decision:
    """What the linker decided for one record: ``method`` is ``identifier``,
    ``name``, ``manual`` (``--link``), ``given`` (the record names its entity's
    IRI: ``identifiers={"iri": ...}``), ``new`` (minted) or ``again`` (decided
    earlier in this run)."""

    key: str
    label: str
    iri: str
    method: str
    detail: str = ""
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.method == "new"

    def to_dict(self) -> dict:
        return {"record": self.key, "label": self.label, "id": curie(self.iri), "method": self.method,
                "detail": self.detail, "suggestions": [s.to_dict() for s in self.suggestions]}


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
        raise SourceError(f"{os.fsdecode(graph_dir)}: no such graph directory")
    store = Store.memory()
    files: dict[str, str] = {}
    paths = sorted(p for p in graph_dir.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file())
    for i, path in enumerate(paths):
        files[path.relative_to(graph_dir).as_posix()] = graph = f"urn:collabgraph:source:{i}"
        store.load_file(path, graph=graph)
    store.load_file(Path(ontology_dir or default_ontology()) / "collab.ttl", graph="urn:collabgraph:source:ontology")
    return store, files


class Linker:
    """Links records to a graph's entities; one linker for one import run."""

    def __init__(self, reader: Reader, *, links: dict[str, str] | None = None,
                 new: Iterable[str] = ()):
        self.reader = reader
        self.vocab = vocabulary()
        self._manual = {search_key(n): target for n, target in (links or {}).items()}
        self._new = {search_key(n) for n in new}
        self._by_identifier: dict[tuple[str, str], str] = {}   # decided in this run
        self._by_key: dict[str, tuple[str, str]] = {}   # record key -> (IRI, why), decided in this run
        self._minted: set[str] = set()
        self._choices: dict[str, tuple[list[str], list[tuple[str, str]]]] | None = None
        self.used_manual: set[str] = set()
        self.files: dict[str, str] = {}  # source file (relative to the graph directory) -> named graph

    @classmethod
    def for_graph(cls, graph_dir: str | Path, ontology_dir: str | Path | None = None, **options) -> "Linker":
        """A linker over the source files of ``graph_dir`` as they are now
        (see :func:`sources_store`)."""
        store, files = sources_store(graph_dir, ontology_dir)
        linker = cls(Reader(store), **options)
        linker.files = files
        return linker

    def forget(self, relative_path: str) -> None:
        """Read the graph as if the source file at ``relative_path`` (under the
        graph directory) were gone: a file about to be replaced must not decide
        what its replacement says (entities it made are found again by their
        identifiers, or minted again under the same name)."""
        graph = self.files.pop(relative_path, None)
        if graph is None:
            return
        self.reader.store.clear_graph(graph)
        self.reader.entities.clear()
        self.reader.name_index = None
        self._choices = None

    # -- deciding -------------------------------------------------------------------
    def link(self, batch: Batch) -> Links:
        """Decide every entity of ``batch`` (records met earlier in this run keep their decision)."""
        out = Links()
        for key, record in batch.entities.items():
            out.decisions[key] = self._decide(record)
        return out

    def _decide(self, record: EntityRecord) -> Decision:
        earlier = self._by_key.get(record.key) or self._earlier_by_identifier(record)
        if earlier is not None:
            decision = Decision(record.key, record.label, earlier[0], "again", earlier[1])
            self._remember(record, decision)
            return decision
        given = record.identifiers.get("iri")
        if given is not None:  # the record says which entity it is (a person chose it in review)
            if not self._taken(given):
                raise CollabGraphError(f"{record.label}: {curie(given)} is not an entity of the graph")
            return self._remember(record, Decision(record.key, record.label, given, "given", "chosen in review"))
        names = self._names(record)
        manual = next((self._manual[k] for k in names if k in self._manual), None)
        if manual is not None:
            self.used_manual.update(k for k in names if k in self._manual)
            e = resolve(self.reader, manual)
            if not self._compatible(record, e.iri):
                raise CollabGraphError(f"--link {record.label}={manual}: {record.label} is a "
                                       f"{'/'.join(record.types)} in this source, {e} is a {e.type}; not linked")
            return self._remember(record, Decision(record.key, record.label, e.iri, "manual", f"--link to {e}"))
        found = self._by_identifiers(record)
        if found is not None:
            return self._remember(record, found)
        forced_new = any(k in self._new for k in names)
        suggestions: list[Suggestion] = []
        if not forced_new and not record.stub:
            candidates = self._by_name(record, names)
            if len(candidates) == 1:
                iri = candidates[0]
                return self._remember(record, Decision(record.key, record.label, iri, "name",
                                                       f"same name and type as {describe(self.reader, iri)}"))
            suggestions = [Suggestion(c, describe(self.reader, c).label, 100.0, record.label) for c in candidates]
            suggestions += self._fuzzy(record, exclude=set(candidates))
        iri = self._mint(record)
        detail = "--new" if forced_new else ("several entities have this name and type" if len(suggestions) > 1
                                             and suggestions[0].score == 100.0 else "")
        return self._remember(record, Decision(record.key, record.label, iri, "new", detail, suggestions))

    def _remember(self, record: EntityRecord, decision: Decision) -> Decision:
        self._by_key[record.key] = (decision.iri, decision.detail)
        for scheme, value in record.identifiers.items():
            self._by_identifier.setdefault((scheme, value), decision.iri)
        return decision

    def _earlier_by_identifier(self, record: EntityRecord) -> tuple[str, str] | None:
        for scheme, value in record.identifiers.items():
            iri = self._by_identifier.get((scheme, value))
            if iri is not None:
                return iri, f"{scheme} {value}"
        return None

    def _by_identifiers(self, record: EntityRecord) -> Decision | None:
        """An existing entity holding one of the record's identifiers. Two
        different entities holding them is a conflict: reported, not merged."""
        hits: dict[str, str] = {}
        for scheme, value in sorted(record.identifiers.items()):
            if scheme not in SCHEMES:
                continue
            prop, _ = SCHEMES[scheme]
            target = URIRef(identifier_iri(scheme, value))
            for row in self.reader.store.select(
                    "SELECT DISTINCT ?e WHERE { { ?c cg:about ?e ; cg:property ?p ; cg:value ?id . "
                    "FILTER NOT EXISTS { ?c cg:claimedBy ?who } } UNION { ?e owl:sameAs|skos:exactMatch ?id } }",
                    p=URIRef(prop), id=target):
                hits.setdefault(row["e"].value, f"{scheme} {value}")
        if len(hits) == 1:
            iri, detail = next(iter(hits.items()))
            return Decision(record.key, record.label, iri, "identifier", detail)
        if len(hits) > 1:
            iri = self._mint(record)
            return Decision(record.key, record.label, iri, "new",
                            "identifiers held by different entities: " + ", ".join(curie(h) for h in sorted(hits)),
                            [Suggestion(h, describe(self.reader, h).label, 100.0, d) for h, d in sorted(hits.items())])
        return None

    def _names(self, record: EntityRecord) -> list[str]:
        keys = [search_key(n) for n in [*record.labels.values(), *(a.text for a in record.aliases)]]
        return list(dict.fromkeys(k for k in keys if k))

    def _by_name(self, record: EntityRecord, names: list[str]) -> list[str]:
        """Existing entities with one of the record's names (folded exactly) and a
        compatible type, that do not hold another identifier of the same scheme."""
        index = self._index()
        found = sorted({e for k in names for e in index.lookup(k)})
        return [e for e in found if self._compatible(record, e) and not self._other_identifier(record, e)]

    def _compatible(self, record: EntityRecord, iri: str) -> bool:
        theirs = {t.split(":", 1)[-1] for t in describe(self.reader, iri).types}
        ours = set(record.types)
        if not ours or not theirs:
            return True
        sup = self.vocab.superclasses
        return any(a in sup.get(b, {b}) or b in sup.get(a, {a}) for a in ours for b in theirs)

    def _other_identifier(self, record: EntityRecord, iri: str) -> bool:
        for scheme, value in record.identifiers.items():
            if scheme not in SCHEMES:
                continue
            for row in self.reader.store.select(
                    "SELECT ?id WHERE { ?c cg:about ?e ; cg:property ?p ; cg:value ?id }",
                    e=URIRef(iri), p=URIRef(SCHEMES[scheme][0])):
                if row["id"].value != identifier_iri(scheme, value):
                    return True
        return False

    def _fuzzy(self, record: EntityRecord, exclude: set[str], limit: int = 3) -> list[Suggestion]:
        """Close names of compatible entities. Names are compared within blocks
        of the same first folded letter, so a big graph costs a fraction of a
        full scan per record (a typo in the first letter is not suggested)."""
        from rapidfuzz import fuzz, process

        blocks = self._fuzzy_choices()
        best: dict[str, Suggestion] = {}
        for name in [*record.labels.values(), *(a.text for a in record.aliases)]:
            key = search_key(name)
            names, owners = blocks.get(key[:1], ([], []))
            for match, score, i in process.extract(name, names, scorer=fuzz.WRatio, limit=10,
                                                   score_cutoff=SUGGEST_SCORE):
                iri, shown = owners[i]
                if iri in exclude or not self._compatible(record, iri):
                    continue
                if iri not in best or score > best[iri].score:
                    best[iri] = Suggestion(iri, describe(self.reader, iri).label, float(score), shown)
        return sorted(best.values(), key=lambda s: (-s.score, s.label))[:limit]

    def _fuzzy_choices(self) -> dict[str, tuple[list[str], list[tuple[str, str]]]]:
        """The graph's names by the first letter of their folded form."""
        if self._choices is None:
            blocks: dict[str, tuple[list[str], list[tuple[str, str]]]] = {}
            for key, name, iri in self._index().names():
                names, owners = blocks.setdefault(key[:1], ([], []))
                names.append(name)
                owners.append((iri, name))
            self._choices = blocks
        return self._choices

    def _index(self):
        if self.reader.name_index is None:
            self.reader.name_index = index_names(self.reader.store)
        return self.reader.name_index

    # -- minting ----------------------------------------------------------------------
    def _mint(self, record: EntityRecord) -> str:
        base = slug(record.labels.get("en") or next(iter(record.labels.values()), "")) or \
            slug("-".join(f"{s}-{v}" for s, v in sorted(record.identifiers.items()))) or "entity"
        candidate, n = base, 1
        while self._taken(str(ID[candidate])):
            n += 1
            candidate = f"{base}-{n}"
        iri = str(ID[candidate])
        self._minted.add(iri)
        return iri

    def _taken(self, iri: str) -> bool:
        return iri in self._minted or bool(self.reader.store.query("ASK { ?e ?p ?o }", {"e": URIRef(iri)}))
