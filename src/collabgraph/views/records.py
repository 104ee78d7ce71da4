"""The records the read side returns: entities, credits, shared works, hops, claims.

Plain frozen dataclasses with ``to_dict`` for JSON output; no store access.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.namespaces import curie

__all__ = ["Entity", "Credit", "SharedWork", "date_shown", "SourceInfo", "Described", "Collaborator", "Hop", "Claim", "WORK_RANK", "work_rank",
           "date_order", "citations"]

#: Work kinds, most "primary" first: a path hop shows its first work, and the
#: explorer orders a hop's works the same way.
WORK_RANK: dict[str, int] = {k: i for i, k in enumerate(
    ["Single", "Song", "MusicVideo", "KDrama", "TVSeries", "TalkShow", "WebSeries",
     "Video", "SocialMediaPost", "Channel", "Work"])}


def work_rank(type_name: str) -> int:
    """Where a work of this type comes among a hop's works (unknown kinds last).

    >>> work_rank("Single") < work_rank("Video") < work_rank("Painting")
    True
    """
    return WORK_RANK.get(type_name, len(WORK_RANK))


def date_order(date: str | None) -> str:
    """A sort key for ISO dates: dated first, by date; a day and month with no
    year (xsd:gMonthDay, ``--01-24``) or no date at all last.

    >>> sorted(["--01-24", None, "2024-01-24", "2016"], key=date_order)
    ['2016', '2024-01-24', '--01-24', None]
    """
    return date if date and not date.startswith("--") else "9999"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def date_shown(date: str | None) -> str:
    """A date as a person reads it: ISO dates as they are, a day and month
    with no year (xsd:gMonthDay, ``--01-24``) in words, saying the year is not
    stated. (``assets/explorer.js`` has the same function.)

    >>> date_shown("--01-24"), date_shown("2024-01-24"), date_shown(None)
    ('24 January (year not stated)', '2024-01-24', '')
    """
    if not date:
        return ""
    if date.startswith("--") and len(date) >= 7 and date[2:4].isdigit() and date[5:7].isdigit() \
            and 1 <= int(date[2:4]) <= 12:
        return f"{int(date[5:7])} {_MONTHS[int(date[2:4]) - 1]} (year not stated)"
    return date


def citations(quotes: tuple[str, ...], locators: tuple[str, ...], source_url: str | None) -> list[str]:
    """What to show as a fact's evidence: its quotes, or where there is none,
    where in the source record it is stated (with a link to the record).

    >>> citations(("IU is a singer",), ("P106",), "https://www.wikidata.org/wiki/Q20145")
    ['IU is a singer']
    >>> citations((), ("Q20145$1",), "https://www.wikidata.org/wiki/Q20145")
    ['at Q20145$1 in https://www.wikidata.org/wiki/Q20145']
    """
    if quotes:
        return list(quotes)
    return [f"at {loc}" + (f" in {source_url}" if source_url else "") for loc in locators]


@dataclass(frozen=True)
class Entity:
    """An entity of the graph, with its names.

    ``label`` is the English label (or the first one); ``labels`` maps language
    tags to labels; ``types`` are the asserted classes as CURIEs (``cg:Person``).
    """

    iri: str
    label: str
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    aliases: tuple[str, ...] = field(default=(), compare=False)
    types: tuple[str, ...] = field(default=(), compare=False)
    wikidata: tuple[str, ...] = field(default=(), compare=False)

    @property
    def id(self) -> str:
        """The short identifier, e.g. ``id:v``."""
        return curie(self.iri)

    @property
    def type(self) -> str:
        """The main type without prefix (``Person``, ``Single``, ...)."""
        return self.types[0].split(":", 1)[-1] if self.types else "Entity"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "iri": self.iri, "label": self.label, "labels": self.labels,
                "aliases": list(self.aliases), "types": list(self.types),
                "wikidata": list(self.wikidata)}

    def __str__(self) -> str:
        return f"{self.label} ({self.id})"


class _Cited:
    """What a fact record shows as its evidence (the fields are each record's own:
    ``quotes``, ``locators``, ``source_url``)."""

    quotes: tuple[str, ...]
    locators: tuple[str, ...]
    source_url: str | None

    @property
    def citations(self) -> list[str]:
        """The quotes, or where there are none, the record locators with the record's URL."""
        return citations(self.quotes, self.locators, self.source_url)


@dataclass(frozen=True)
class Credit(_Cited):
    """An agent credited on a work in a role, with the source's words."""

    iri: str
    agent: Entity
    work: Entity
    role: str
    quotes: tuple[str, ...]
    source: str
    character: Entity | None = None
    date: str | None = None
    debut: bool = False
    released: str | None = None
    #: The instrument an instrumentalist credit is for (``cg:instrument``).
    instrument: str | None = None
    #: Why the editors state this credit although its quotes do not say it
    #: (``cg:editorsInference``); ``None`` for a credit the quotes state.
    editors_inference: str | None = None
    #: Where in its source record the credit is stated (``cg:locator``), for
    #: database sources; ``source_url`` links to the record.
    locators: tuple[str, ...] = ()
    source_url: str | None = None

    @property
    def when(self) -> str | None:
        """The credit's own date, else the work's earliest release date."""
        return self.date or self.released

    def to_dict(self) -> dict[str, Any]:
        return {"credit": curie(self.iri), "agent": self.agent.id, "agent_label": self.agent.label,
                "work": self.work.id, "work_label": self.work.label, "work_type": self.work.type,
                "role": self.role, "character": self.character.label if self.character else None,
                "date": self.date, "released": self.released, "debut": self.debut, "instrument": self.instrument,
                "quotes": list(self.quotes), "locators": list(self.locators), "source": curie(self.source),
                "source_url": self.source_url, "editors_inference": self.editors_inference}


@dataclass(frozen=True)
class SourceInfo:
    """A source document as a reader is told it: its label, publisher, date and URL."""

    iri: str
    label: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None

    def shown(self) -> str:
        """One line: ``label (publisher, date), url``."""
        extra = ", ".join(x for x in (self.publisher, self.date) if x)
        return self.label + (f" ({extra})" if extra else "") + (f", {self.url}" if self.url else "")

    def to_dict(self) -> dict[str, Any]:
        return {"source": curie(self.iri), "label": self.label, "publisher": self.publisher, "date": self.date,
                "url": self.url}


@dataclass(frozen=True)
class Described:
    """Words a quote writes for an entity without naming it ("the video"), declared by an
    attestation of the same source (``cg:mentionedAs``) with the sentence that names it."""

    quote: str
    words: str
    entity: Entity
    named_in: str

    def to_dict(self) -> dict[str, Any]:
        return {"words": self.words, "entity": self.entity.id, "entity_label": self.entity.label,
                "named_in": self.named_in}


@dataclass(frozen=True)
class SharedWork:
    """A work two agents are both credited on, with both sides' credits."""

    work: Entity
    credits: tuple[Credit, ...]

    def roles_of(self, agent: Entity) -> list[str]:
        return sorted({c.role for c in self.credits if c.agent.iri == agent.iri})

    @property
    def quotes(self) -> list[str]:
        return list(dict.fromkeys(q for c in self.credits for q in c.quotes))

    @property
    def citations(self) -> list[str]:
        """Every credit's citations (quotes, or record locators where a credit has none)."""
        return list(dict.fromkeys(q for c in self.credits for q in c.citations))

    def evidence(self, agent: Entity) -> tuple[str, bool] | None:
        """The first citation of ``agent``'s credits on this work, and whether
        it is a quote (rather than a record locator); ``None`` if it has none."""
        c = self.cited(agent)
        return (c.citations[0], bool(c.quotes)) if c else None

    def cited(self, agent: Entity) -> Credit | None:
        """The first of ``agent``'s credits on this work that has a citation."""
        return next((c for c in self.credits if c.agent.iri == agent.iri and c.citations), None)

    @property
    def inferred(self) -> list[Credit]:
        """The credits on this work that are an editor's inference."""
        return [c for c in self.credits if c.editors_inference]

    def to_dict(self) -> dict[str, Any]:
        return {"work": self.work.id, "work_label": self.work.label, "work_type": self.work.type,
                "credits": [c.to_dict() for c in self.credits]}


@dataclass(frozen=True)
class Collaborator:
    """Another agent credited on works with the one asked about."""

    agent: Entity
    works: tuple[SharedWork, ...]

    @property
    def quotes(self) -> list[str]:
        return list(dict.fromkeys(q for w in self.works for q in w.quotes))

    @property
    def citations(self) -> list[str]:
        return list(dict.fromkeys(q for w in self.works for q in w.citations))

    def to_dict(self) -> dict[str, Any]:
        return {"agent": self.agent.to_dict(), "works": [w.to_dict() for w in self.works]}


@dataclass(frozen=True)
class Hop:
    """One step of a path: two agents and what connects them.

    ``kind`` is ``"collaboration"`` (``works`` holds the shared works, the
    first one the most primary) or ``"membership"`` (``membership_quotes``
    holds its citations: quotes, or record locators where it has none).
    """

    source: Entity
    target: Entity
    kind: str
    works: tuple[SharedWork, ...] = ()
    membership_quotes: tuple[str, ...] = ()
    membership_quoted: bool = True
    #: For a membership: which of the two is the member and which the group
    #: (a path walks the hop either way).
    member: Entity | None = None
    group: Entity | None = None
    #: The source documents the hop's credits cite (see :meth:`cited`).
    sources: tuple[SourceInfo, ...] = ()
    #: Words the hop's quotes write for a side without naming it, with the sentence naming it.
    described: tuple[Described, ...] = ()
    #: For a membership: (quote, source IRI) of each of its quotes.
    membership_sources: tuple[tuple[str, str], ...] = ()

    @property
    def work(self) -> Entity | None:
        return self.works[0].work if self.works else None

    @property
    def quoted(self) -> bool:
        """Is :attr:`quote` the source's words (rather than a record locator)?"""
        if self.works:
            return self.quote in self.works[0].quotes
        return self.membership_quoted

    @property
    def quote(self) -> str:
        """The hop's first citation: a quote, or where its facts have none, a record locator."""
        if self.works:
            return self.works[0].citations[0]
        return self.membership_quotes[0] if self.membership_quotes else ""

    @property
    def evidence(self) -> list[tuple[str, bool]]:
        """What backs the hop, each side's own: the first citation of the
        source's credits and of the target's on the first work (once if they
        are the same words), each with whether it is a quote; for a
        membership, its citation."""
        if not self.works:
            return [(self.quote, self.quoted)] if self.quote else []
        sides = [self.works[0].evidence(a) for a in (self.source, self.target)]
        return list(dict.fromkeys(e for e in sides if e is not None))

    def cited(self) -> list[dict[str, Any]]:
        """:attr:`evidence` with where each comes from: ``{"text", "quote"`` (is it the source's
        words), ``"source"`` (a :class:`SourceInfo` or ``None``), ``"described"`` (the
        :class:`Described` words of that quote, each with the sentence naming what it stands for)``}``."""
        by_iri = {s.iri: s for s in self.sources}
        out: dict[str, dict[str, Any]] = {}
        # every credit of each side on the hop's work, so each role the hop lists has its words
        # ("Dongha Lim (appearance, producer)" quoted the appearance only)
        credits = [c for a in (self.source, self.target) for c in self.works[0].credits
                   if c.agent.iri == a.iri and c.citations] if self.works else []
        for c in credits:
            if c.citations[0] in out:
                continue
            text = c.citations[0]
            out[text] = {"text": text, "quote": bool(c.quotes), "source": by_iri.get(c.source),
                         "described": [d for d in self.described if d.quote == text]}
        if not self.works and self.quote:
            src = next((by_iri.get(x) for q, x in self.membership_sources if q == self.quote), None)
            out[self.quote] = {"text": self.quote, "quote": self.quoted, "source": src, "described": []}
        return list(out.values())

    @property
    def credits(self) -> tuple[Credit, ...]:
        """The credits behind the hop: both sides' credits on its first work."""
        return self.works[0].credits if self.works else ()

    def roles(self) -> tuple[list[str], list[str]]:
        if not self.works:
            return (["member"], ["group"]) if self.member is None or self.member == self.source else (["group"], ["member"])
        w = self.works[0]
        return w.roles_of(self.source), w.roles_of(self.target)

    def to_dict(self) -> dict[str, Any]:
        src_roles, dst_roles = self.roles()
        return {"from": self.source.to_dict(), "to": self.target.to_dict(), "kind": self.kind,
                "work": self.work.to_dict() if self.work else None,
                "from_roles": src_roles, "to_roles": dst_roles, "quote": self.quote,
                "evidence": [{"text": e["text"], "quote": e["quote"],
                              "source": e["source"].to_dict() if e["source"] else None,
                              "described": [d.to_dict() for d in e["described"]]} for e in self.cited()],
                "other_works": [w.work.id for w in self.works[1:]],
                **({"member": self.member.id, "group": self.group.id} if self.member and self.group else {}),
                "credits": [c.to_dict() for c in self.credits]}


@dataclass(frozen=True)
class Claim(_Cited):
    """A statement about an entity other than a credit, with who said it."""

    iri: str
    kind: str
    property: str
    value: Any
    value_label: str
    quotes: tuple[str, ...]
    source: str
    claimed_by: Entity | None = None
    #: Why the editors state this fact although its quotes do not say it.
    editors_inference: str | None = None
    locators: tuple[str, ...] = ()
    source_url: str | None = None

    @property  # type: ignore[operator]  # mypy reads the field `property` above; at run time it is the builtin
    def citation(self) -> str:
        """The citation to show on one line: the first that states the value
        itself (a claim's context may come first), else the first."""
        cited = self.citations
        return next((c for c in cited if self.value_label and self.value_label in c), cited[0] if cited else "")

    def to_dict(self) -> dict[str, Any]:
        return {"fact": curie(self.iri), "kind": self.kind, "property": self.property,
                "value": self.value, "value_label": self.value_label, "quotes": list(self.quotes),
                "locators": list(self.locators), "source": curie(self.source), "source_url": self.source_url,
                "claimed_by": self.claimed_by.id if self.claimed_by else None,
                "editors_inference": self.editors_inference}
