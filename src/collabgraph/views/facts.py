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
from typing import Any, Sequence

import pyoxigraph as ox

from ..core.namespaces import curie
from ..core.queries import query_text
from ..core.terms import lexical, to_python
from ..store.local import select_values
from .entities import describe, describe_all
from .reader import Reader
from .records import Claim, Collaborator, Credit, Entity, SharedWork, date_order, work_rank

__all__ = ["credits", "works", "collaborators", "shared_works", "shared_works_of", "claims", "memberships", "Evidence"]


def credits(r: Reader, entity: Entity) -> list[Credit]:
    """Every credit of an agent (its works) or of a work (its cast and crew),
    by date, then work, agent and role."""
    grouped: dict[str, tuple[ox.QuerySolution, Evidence]] = {}
    for row in r.store.select(query_text("credits"), entity=ox.NamedNode(entity.iri)):
        grouped.setdefault(row["credit"].value, (row, Evidence()))[1].add(row)
    describe_all(r, (row[v].value for row, _ in grouped.values() for v in ("agent", "work", "character")
                     if row[v] is not None))
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
        released=r.released[row["work"].value], editors_inference=lexical(row["inference"]),
    )


def collaborators(r: Reader, agent: Entity) -> list[Collaborator]:
    """Agents credited on the same works as ``agent``, with those works, both
    sides' credits and their quotes; sorted by label."""
    shared = shared_works(r, agent)
    return [Collaborator(r.entities[other], ws) for other, ws in sorted(shared.items(), key=lambda kv: r.entities[kv[0]].label)]


def shared_works(r: Reader, a: Entity, other: Entity | None = None) -> dict[str, tuple[SharedWork, ...]]:
    """Per collaborator of ``a`` (or just ``other``), the works they share, the
    most primary first (see :data:`~collabgraph.views.records.WORK_RANK`)."""
    return shared_works_of(r, [(a, other)])[a.iri]


def shared_works_of(r: Reader, pairs: "Sequence[tuple[Entity, Entity | None]]") -> dict[str, dict[str, tuple[SharedWork, ...]]]:
    """:func:`shared_works` for several agents (each with one other agent, or
    ``None`` for all of them) from one query, plus one for the names and
    release dates of everyone and everything in the answer: ``a -> other -> works``."""
    rows: dict[str, dict[str, dict[str, dict[str, tuple]]]] = {a.iri: defaultdict(lambda: defaultdict(dict))
                                                               for a, _ in pairs}
    every = {a.iri for a, b in pairs if b is None}
    wanted = {(a.iri, b.iri) for a, b in pairs if b is not None}
    query = query_text("collaborators-of")
    if all(b is not None for _, b in pairs):  # only these pairs: bind the other side too
        query = query.replace("VALUES ?agent {}", "VALUES ?agent {} VALUES ?other {}")
    others = {"other": sorted({ox.NamedNode(b.iri) for _, b in pairs if b is not None}, key=str)} \
        if "VALUES ?other" in query else {}
    agents = sorted({ox.NamedNode(a.iri) for a, _ in pairs}, key=str)
    # agents and others are crossed in one query (blocks side by side would pair only same positions)
    chunk = max(100, len(agents), *(len(v) for v in others.values()))
    for row in select_values(r.store, query, chunk=chunk, agent=agents, **others):
        a, who = row["agent"].value, row["other"].value
        if a not in every and (a, who) not in wanted:
            continue
        credit = rows[a][who][row["work"].value].setdefault(row["credit"].value, (row, Evidence()))
        credit[1].add(row)
    describe_all(r, {x for by_other in rows.values() for who, by_work in by_other.items()
                     for x in (who, *by_work, *(row["creditAgent"].value for cs in by_work.values()
                                                for row, _ in cs.values()))})
    out: dict[str, dict[str, tuple[SharedWork, ...]]] = {}
    for a, by_other in rows.items():
        out[a] = {}
        for who, by_work in by_other.items():
            shared = []
            for work, cs in by_work.items():
                made = [Credit(iri=c, agent=r.entities[row["creditAgent"].value], work=r.entities[work],
                               role=curie(row["role"].value).split(":", 1)[-1], **evidence.fields(),
                               source=row["source"].value, editors_inference=lexical(row["inference"]))
                        for c, (row, evidence) in cs.items()]
                shared.append(SharedWork(r.entities[work], tuple(sorted(made, key=lambda c: (c.agent.label, c.role)))))
            out[a][who] = tuple(sorted(shared, key=lambda s: (work_rank(s.work.type), date_order(r.released[s.work.iri]),
                                                              s.work.label)))
    return out


def claims(r: Reader, entity: Entity) -> list[Claim]:
    """Claims and memberships about an entity, each with source and quotes;
    conflicting claims side by side, each with who made it."""
    grouped: dict[str, list] = {}
    for row in select_values(r.store, query_text("claims-of"), entity=[ox.NamedNode(entity.iri)]):
        kind, prop = ("Claim", None) if row["kind"].value == "claim" else \
            ("Membership", "cg:memberOf" if row["kind"].value == "member" else "cg:member")
        grouped.setdefault(row["fact"].value, [row, Evidence(), kind, prop])[1].add(row)
    values = {row["value"].value for row, *_ in grouped.values() if isinstance(row["value"], ox.NamedNode)}
    known = _entities_among(r, values)
    concepts = _concept_labels(r, values - known)
    describe_all(r, known | {row["claimedBy"].value for row, _, kind, _ in grouped.values()
                             if kind == "Claim" and row["claimedBy"] is not None})
    out = []
    for fact, (row, evidence, kind, prop) in grouped.items():
        value = row["value"]
        if isinstance(value, ox.NamedNode):
            shown = r.entities[value.value].label if value.value in known else concepts.get(value.value, curie(value.value))
            py = curie(value.value)
        else:
            py, shown = to_python(value), value.value
        if kind == "Membership" and (row["start"] is not None or row["end"] is not None):
            shown += f" ({lexical(row['start']) or '?'} – {lexical(row['end']) or ''})".replace(" – )", " –)")
        by = row["claimedBy"] if kind == "Claim" else None
        ev = evidence.fields()
        out.append(Claim(fact, kind, prop or curie(row["property"].value), py, shown, ev["quotes"],
                         row["source"].value, r.entities[by.value] if by is not None else None,
                         editors_inference=lexical(row["inference"]), locators=ev["locators"],
                         source_url=ev["source_url"]))
    return sorted(out, key=lambda c: (c.property, str(c.value), c.iri))


def _entities_among(r: Reader, iris: set[str]) -> set[str]:
    """Those of ``iris`` that are entities (typed with a subclass of cg:Entity), in one query."""
    if not iris:
        return set()
    return {row["entity"].value for row in select_values(r.store, query_text("some-entities"),
                                                         entity=[ox.NamedNode(i) for i in sorted(iris)])}


def _concept_labels(r: Reader, iris: set[str]) -> dict[str, str]:
    """A label of each of ``iris`` that has one (a role, a genre), in one query."""
    out: dict[str, str] = {}
    if iris:
        for row in select_values(r.store, query_text("some-labels"), c=[ox.NamedNode(i) for i in sorted(iris)]):
            out.setdefault(row["c"].value, row["l"].value)
    return out


def memberships(r: Reader, entity: Entity) -> list[Claim]:
    """The memberships among :func:`claims` (as member or as group)."""
    return [c for c in claims(r, entity) if c.kind == "Membership"]
