"""What an importer produces: a :class:`Batch` of records, independent of RDF.

Each source module (``wikidata``, ``musicbrainz``, ``csvfile``) turns outside
data into batches; :mod:`.linking` decides which existing entity each record
is; :mod:`.writer` turns a linked batch into one Turtle source file under
``graph/``. Importers never touch the store or write files themselves.

Entities are referred to inside a batch by their ``key``: a string the
importer makes from the record's own identifier (``"wikidata:Q20145"``,
``"musicbrainz:artist:5b11f4ce-…"``, ``"csv:IU"``). Keys never reach the graph.

>>> b = Batch(name="wikidata/Q1", version="42")
>>> src = b.add_source(SourceRecord("wikidata:Q1", "Wikidata item Q1", kind="wikidata item",
...                                 url="https://www.wikidata.org/wiki/Q1", revision="42"))
>>> e = b.add_entity(EntityRecord("wikidata:Q1", types=["Group"], labels={"en": "The Band"},
...                               identifiers={"wikidata": "Q1"}))
>>> b.facts.append(ClaimRecord("wikidata:Q1", "inception", Date("1960", "year"),
...                            Provenance(src.key, locator="Q1$abc")))
>>> b.facts[0].value.datatype
'http://www.w3.org/2001/XMLSchema#gYear'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

__all__ = ["Name", "Date", "Reference", "Provenance", "SourceRecord", "EntityRecord", "EntityRef",
           "CreditRecord", "MembershipRecord", "ClaimRecord", "NameRecord", "Fact", "Skipped", "Batch",
           "PRECISIONS", "TOO_DEEP", "NOT_LINK_KEYS"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Why an importer refuses a JSON document nested past what Python's JSON reader can follow.
TOO_DEEP = "JSON nested too deeply to read (arrays or objects inside each other thousands of levels deep)"
#: Kinds of alias that are written but never used as a key to link a record to an existing
#: entity: MusicBrainz search hints, sort names, locale variants and aliases of no stated type.
NOT_LINK_KEYS = frozenset({"search-hint", "sort", "locale", "untyped"})
#: precision -> XSD datatype of the literal it becomes.
PRECISIONS = {"year": _XSD + "gYear", "month": _XSD + "gYearMonth", "day": _XSD + "date",
              "monthday": _XSD + "gMonthDay", "datetime": _XSD + "dateTime"}


@dataclass(frozen=True, slots=True)
class Name:
    """A name in a language (``lang`` ``None``: no language tag). With slots:
    an item may have millions (issue 18), and a name then takes a third of the memory."""

    text: str
    lang: str | None = None
    #: What kind of name the source says it is: ``None`` (a name of the entity),
    #: or one of :data:`NOT_LINK_KEYS` (``"search-hint"``, ``"sort"``, ``"locale"``,
    #: ``"untyped"``): kept as an alias, never used to link to an existing entity.
    kind: str | None = None


@dataclass(frozen=True)
class Date:
    """A date with its precision, written as its precision allows:
    ``Date("1962", "year")``, ``Date("1962-08", "month")``,
    ``Date("1962-08-16", "day")``, ``Date("--01-24", "monthday")``.
    A year-precision date is never turned into 1 January."""

    value: str
    precision: str = "day"

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown date precision {self.precision!r}")

    @property
    def datatype(self) -> str:
        return PRECISIONS[self.precision]


@dataclass(frozen=True)
class EntityRef:
    """A claim value that is an entity of the batch (by key)."""

    key: str


@dataclass(frozen=True)
class Reference:
    """A source's own citation for a statement (Wikidata's reference block):
    P248 stated in, P854 reference URL, P813 retrieved, P1683 quote, P143 imported from.
    ``stated_in`` and ``imported_from`` are IRIs (``http://www.wikidata.org/entity/Q…``)."""

    stated_in: str | None = None
    url: str | None = None
    retrieved: Date | None = None
    quote: str | None = None
    imported_from: str | None = None


@dataclass(frozen=True)
class Provenance:
    """Where a fact comes from: a source of the batch (by key) and either the
    exact quote (text sources) or a locator inside the record (database
    sources: a statement id, a relationship, a CSV line), or both."""

    source: str
    quote: str | None = None
    locator: str | None = None
    references: tuple[Reference, ...] = ()
    inference: str | None = None  # cg:editorsInference: why the fact goes beyond its quote

    def __post_init__(self) -> None:
        if not (self.quote or self.locator):
            raise ValueError("a fact needs a quote or a locator")


@dataclass
class SourceRecord:
    """The document a batch's facts come from, at the revision read.

    ``requested`` is the identifier that was asked for when the answer is
    another (a Wikidata redirect); ``sha256`` is of the bytes read.
    ``publisher`` and ``published`` describe a cited document (an article a
    CSV row names): who published it and when. ``local_path`` is where a
    copy of the document lies, relative to the source file written
    (``cg:localPath``: quotes are checked against it)."""

    key: str
    label: str
    kind: str
    url: str | None = None
    revision: str | None = None
    modified: str | None = None
    retrieved: str | None = None
    requested: str | None = None
    sha256: str | None = None
    publisher: str | None = None
    published: Date | None = None
    local_path: str | None = None


@dataclass
class EntityRecord:
    """An entity as the source describes it.

    ``types`` are local names of ontology classes (``"Person"``, ``"Group"``,
    ``"Song"``); ``unmapped_types`` what the source says it is that the
    ontology has no class for (reported, never forced). ``identifiers`` map a
    scheme (``"wikidata"``, ``"musicbrainz"``) to the id in it; they decide
    identity before any name does. ``links`` are URLs of the same thing
    elsewhere (Wikipedia pages). ``stub`` marks an entity known only as the
    value of a statement (no names of its own in this source).

    ``mentions`` are where the input names the entity, so the import report can
    say where each row went: ``"rows.csv:12"`` (the entity a CSV row is about,
    physical line, header = 1) and ``"rows.csv:12:group"`` (an entity named in
    another column of that row); identifiers need none (a QID or MBID says it).
    ``disambiguation`` is the source's own comment that tells same-named
    entities apart (MusicBrainz's disambiguation, a Wikidata description):
    evidence, shown in suggestions.

    Evidence the linker weighs besides names and identifiers comes from the
    batch's facts about the record (birthDate claims, memberships, credits,
    release dates); an importer need not repeat it here."""

    key: str
    types: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    aliases: list[Name] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    unmapped_types: list[str] = field(default_factory=list)
    stub: bool = False
    mentions: list[str] = field(default_factory=list)
    disambiguation: str | None = None

    @property
    def label(self) -> str:
        """The English label, else any, else the first identifier."""
        return (self.labels.get("en") or next(iter(self.labels.values()), None)
                or next(iter(self.identifiers.values()), self.key))


@dataclass(frozen=True)
class CreditRecord:
    """``agent`` credited on ``work`` as ``role`` (a local name of the role
    scheme: ``"performer"``, ``"composer"``, ``"instrumentalist"`` …)."""

    agent: str
    work: str
    role: str
    provenance: Provenance
    character: str | None = None
    date: Date | None = None
    instrument: str | None = None
    attributes: tuple[str, ...] = ()
    credited_as: str | None = None


@dataclass(frozen=True)
class MembershipRecord:
    member: str
    group: str
    provenance: Provenance
    start: Date | None = None
    end: Date | None = None


@dataclass(frozen=True)
class ClaimRecord:
    """``about`` has ``property`` (a local name of a ``cg:`` property) with
    ``value``: an :class:`EntityRef`, a :class:`Date`, a number, a string, a
    :class:`Name` (text with a language, e.g. a description), or an IRI string
    (``"http://…"``, for values outside the graph such as a Wikidata item with
    no entity of its own).

    Identifiers are claims too: ``ClaimRecord(key, "wikidata",
    "http://www.wikidata.org/entity/Q20145", …)`` and ``ClaimRecord(key,
    "musicbrainz", "https://musicbrainz.org/artist/<mbid>", …)``; and
    ``EntityRecord.identifiers`` holds them as ``{"wikidata": "Q20145",
    "musicbrainz": "artist/<mbid>"}`` (see :func:`.linking.identifier_iri`)."""

    about: str
    property: str
    value: "EntityRef | Date | Name | int | float | str"
    provenance: Provenance
    claimed_by: str | None = None


@dataclass(frozen=True)
class NameRecord:
    """A source gives ``entity`` these names (an attestation). ``mentioned_as``:
    words of the quote that stand for it without naming it ("the video", "it":
    ``cg:mentionedAs``, never a name); ``also_quoted``: further sentences of the
    source, such as the earlier one that names what those words stand for."""

    entity: str
    names: tuple[Name, ...]
    provenance: Provenance
    mentioned_as: tuple[str, ...] = ()
    also_quoted: tuple[str, ...] = ()


Fact = Union[CreditRecord, MembershipRecord, ClaimRecord, NameRecord]


@dataclass(frozen=True)
class Skipped:
    """Something of the input that was not imported, and why (reported)."""

    what: str
    reason: str
    where: str = ""


@dataclass
class Batch:
    """What one source document (or one batch of a dump or CSV) gives.

    ``name`` is the source file's path under ``graph/imports/`` without
    suffix (``"wikidata/Q20145"``); ``version`` is the revision that decides
    whether a re-import changes anything (``None``: compare the content)."""

    name: str
    version: str | None = None
    #: Where the input came from (a CSV file's absolute path), so two inputs with the
    #: same base name never share one source file; ``None``: the name says it.
    origin: str | None = None
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    entities: dict[str, EntityRecord] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def add_source(self, source: SourceRecord) -> SourceRecord:
        return self.sources.setdefault(source.key, source)

    def add_entity(self, entity: EntityRecord) -> EntityRecord:
        """Add an entity, or merge into the one with the same key (a full record
        replaces a stub; names and identifiers accumulate)."""
        old = self.entities.get(entity.key)
        if old is None:
            self.entities[entity.key] = entity
            return entity
        if old.stub and not entity.stub:
            entity.identifiers = {**old.identifiers, **entity.identifiers}
            entity.mentions = [*old.mentions, *(m for m in entity.mentions if m not in old.mentions)]
            self.entities[entity.key] = entity
            return entity
        for k, v in entity.labels.items():
            old.labels.setdefault(k, v)
        have = set(old.aliases)  # a set: linear in the number of aliases (issue 18)
        old.aliases.extend(a for a in dict.fromkeys(entity.aliases) if a not in have)
        old.identifiers.update({k: v for k, v in entity.identifiers.items() if k not in old.identifiers})
        old.types.extend(t for t in entity.types if t not in old.types)
        old.mentions.extend(m for m in entity.mentions if m not in old.mentions)
        old.disambiguation = old.disambiguation or entity.disambiguation
        return old

    def skip(self, what: str, reason: str, where: str = "") -> None:
        self.skipped.append(Skipped(what, reason, where))


def source_iri(batch: Batch, key: str) -> str:
    """The IRI of source ``key`` of ``batch`` in the graph (its key, and its revision if it has one)."""
    import hashlib

    from ..core.names import slug
    from ..core.namespaces import SOURCE

    src = batch.sources[key]
    local = slug(src.key.replace(":", "-"), limit=None) or hashlib.sha1(src.key.encode()).hexdigest()[:12]
    return str(SOURCE[local + (f"-r{slug(src.revision)}" if src.revision else "")])
