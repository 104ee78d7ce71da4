"""Credits, collaborators and claims: the facts about an entity, each with its
source and quotes.

>>> from collabgraph import CollabGraph
>>> from collabgraph.views.entities import resolve
>>> r = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).reader
>>> [(c.work.label, c.role) for c in credits(r, resolve(r, "Peakboy"))]
[('GYOPO HAIRSTYLE', 'performer')]
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from ..namespaces import curie
from ..queries import query_text
from ..terms import lexical, to_python
from .entities import concept_label, describe, is_entity, release_of
from .reader import Reader
from .records import Claim, Collaborator, Credit, Entity, SharedWork, date_order, work_rank

__all__ = ["credits", "works", "collaborators", "shared_works", "claims", "memberships", "Evidence"]


def credits(r: Reader, entity: Entity) -> list[Credit]:
    """Every credit of an agent (its works) or of a work (its cast and crew),
    by date, then work, agent and role."""
    grouped: dict[str, tuple[ox.QuerySolution, Evidence]] = {}
    for row in r.store.select(query_text("credits"), entity=URIRef(entity.iri)):
        grouped.setdefault(row["credit"].value, (row, Evidence()))[1].add(row)
    out = [_credit(r, c, row, ev) for c, (row, ev) in grouped.items()]
    return sorted(out, key=lambda c: (date_order(c.when), c.work.label, c.agent.label, c.role))


def works(r: Reader, agent: Entity) -> list[Credit]:
    """The credits of an agent: its works with role, character and date."""
    return [c for c in credits(r, agent) if c.agent.iri == agent.iri]


class Evidence:
    """The quotes and record locators of a fact (or of the facts behind one
    edge), gathered from query rows with ``?quote``, ``?locator`` and ``?sourceUrl``."""

    def __init__(self) -> None:
        self.quotes: list[str] = []
        self.locators: list[str] = []
        self.url: str | None = None

    def add(self, row: ox.QuerySolution) -> None:
        if row["quote"] is not None:
            self.quotes.append(row["quote"].value)
        if row["locator"] is not None:
            self.locators.append(row["locator"].value)
        if self.url is None:
            self.url = lexical(row["sourceUrl"])

    def fields(self) -> dict[str, Any]:
        """Sorted: the order rows come in is up to the store (local or remote)."""
        return {"quotes": tuple(sorted(set(self.quotes))), "locators": tuple(sorted(set(self.locators))),
                "source_url": self.url}


def _credit(r: Reader, iri: str, row: ox.QuerySolution, evidence: Evidence) -> Credit:
    character = row["character"]
    return Credit(
        iri=iri, agent=describe(r, row["agent"].value), work=describe(r, row["work"].value),
        role=curie(row["role"].value).split(":", 1)[-1], **evidence.fields(),
        source=row["source"].value,
        character=describe(r, character.value) if character is not None else None,
        date=lexical(row["date"]),
        debut=bool(to_python(row["debut"])) if row["debut"] is not None else False,
        instrument=lexical(row["instrument"]),
        released=release_of(r, row["work"].value), editors_inference=lexical(row["inference"]),
    )


def collaborators(r: Reader, agent: Entity) -> list[Collaborator]:
    """Agents credited on the same works as ``agent``, with those works, both
    sides' credits and their quotes; sorted by label."""
    return [Collaborator(describe(r, other), ws)
            for other, ws in sorted(shared_works(r, agent).items(), key=lambda kv: describe(r, kv[0]).label)]


def shared_works(r: Reader, a: Entity, other: Entity | None = None) -> dict[str, tuple[SharedWork, ...]]:
    """Per collaborator of ``a`` (or just ``other``), the works they share, the
    most primary first (see :data:`~collabgraph.views.records.WORK_RANK`)."""
    rows: dict[str, dict[str, dict[str, tuple]]] = defaultdict(lambda: defaultdict(dict))
    bound = {"agent": URIRef(a.iri)} if other is None else {"agent": URIRef(a.iri), "other": URIRef(other.iri)}
    for row in r.store.select(query_text("collaborators"), **bound):
        credit = rows[row["other"].value][row["work"].value].setdefault(row["credit"].value, (row, Evidence()))
        credit[1].add(row)
    out = {}
    for who, by_work in rows.items():
        shared = []
        for work, cs in by_work.items():
            made = [Credit(iri=c, agent=describe(r, row["creditAgent"].value), work=describe(r, work),
                           role=curie(row["role"].value).split(":", 1)[-1], **evidence.fields(),
                           source=row["source"].value, editors_inference=lexical(row["inference"]))
                    for c, (row, evidence) in cs.items()]
            shared.append(SharedWork(describe(r, work), tuple(sorted(made, key=lambda c: (c.agent.label, c.role)))))
        out[who] = tuple(sorted(shared, key=lambda s: (work_rank(s.work.type), date_order(release_of(r, s.work.iri)),
                                                       s.work.label)))
    return out


def claims(r: Reader, entity: Entity) -> list[Claim]:
    """Claims and memberships about an entity, each with source and quotes;
    conflicting claims side by side, each with who made it."""
    grouped: dict[str, list] = {}
    for query, kind, prop in (("claims-about", "Claim", None),
                              ("memberships-of-member", "Membership", "cg:memberOf"),
                              ("memberships-of-group", "Membership", "cg:member")):
        for row in r.store.select(query_text(query), entity=URIRef(entity.iri)):
            grouped.setdefault(row["fact"].value, [row, Evidence(), kind, prop])[1].add(row)
    out = []
    for fact, (row, evidence, kind, prop) in grouped.items():
        value = row["value"]
        if isinstance(value, ox.NamedNode):
            shown = describe(r, value.value).label if is_entity(r, value.value) else concept_label(r, value.value)
            py = curie(value.value)
        else:
            py, shown = to_python(value), value.value
        if kind == "Membership" and (row["start"] is not None or row["end"] is not None):
            shown += f" ({lexical(row['start']) or '?'} – {lexical(row['end']) or ''})".replace(" – )", " –)")
        by = row["claimedBy"] if kind == "Claim" else None
        ev = evidence.fields()
        out.append(Claim(fact, kind, prop or curie(row["property"].value), py, shown, ev["quotes"],
                         row["source"].value, describe(r, by.value) if by is not None else None,
                         editors_inference=lexical(row["inference"]), locators=ev["locators"],
                         source_url=ev["source_url"]))
    return sorted(out, key=lambda c: (c.property, str(c.value), c.iri))


def memberships(r: Reader, entity: Entity) -> list[Claim]:
    """The memberships among :func:`claims` (as member or as group)."""
    return [c for c in claims(r, entity) if c.kind == "Membership"]
