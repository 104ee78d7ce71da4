"""Linked batches as Turtle source files under ``graph/imports/``.

Each fact becomes a node like the article's (``cg:Credit``, ``cg:Membership``,
``cg:Claim``, ``cg:Attestation``) with its ``cg:source`` (the record at its
revision) and its locator and/or quote; a record's own references become
``cg:Reference`` nodes. Fact IRIs are made from the source and the fact's
content, so writing the same record twice gives the same file, byte for byte.

Every file states what its source says of an entity (types, names), so it
stands on its own whichever file first made the entity; a label that another
source gives differently in the same language is written as an alias, so an
import never overrides what a person wrote.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from ..core.namespaces import CG, FACT, PREFIXES, ROLE, curie
from ..core.names import slug
from ..core.terms import to_ox
from .linkindex import GraphIndex
from .linking import Links
from .model import source_iri  # noqa: F401  (part of this module's API)
from .model import (NOT_LINK_KEYS, Batch, ClaimRecord, CreditRecord, Date, EntityRef, MembershipRecord, Name, NameRecord,
                    Provenance, Reference)

__all__ = ["render", "write_file", "source_iri", "iri_problem", "Written", "IMPORTS_DIR", "Turtle", "turtle_name"]

#: Where imported source files go inside the graph directory.
IMPORTS_DIR = "imports"

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SCHEMA_URL = "https://schema.org/url"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DCTERMS = "http://purl.org/dc/terms/"
_USED_PREFIXES = ("cg", "role", "id", "fact", "source", "rdfs", "skos", "xsd", "schema", "wd")


@dataclass
class Written:
    """A source file an import wrote: ``status`` is ``added``, ``replaced`` or ``unchanged``."""

    path: str
    status: str
    facts: int
    entities: int

    def to_dict(self) -> dict:
        return {"file": self.path, "status": self.status, "facts": self.facts, "entities": self.entities}


class _Turtle:
    """A small Turtle writer: subjects in order, predicates in order, CURIEs where safe."""

    def __init__(self) -> None:
        # subject -> predicate -> objects, each in the order first added (dicts as
        # ordered sets: linear in the triples of a subject, see issue 18).
        self.subjects: dict[str, dict[str, dict[str, None]]] = {}

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        self.subjects.setdefault(s, {}).setdefault(p, {})[_term(o)] = None

    def text(self, header: str) -> str:
        lines = [header.rstrip(), ""]
        lines += [f"@prefix {p}: <{PREFIXES[p]}> ." for p in _USED_PREFIXES]
        for s, pos in self.subjects.items():
            lines.append("")
            body = []
            for p, objects in pos.items():
                pred = "a" if p == _RDF_TYPE else _name(p)
                body.append(f"    {pred} {', '.join(objects)}")
            lines.append(_name(s) + "\n" + " ;\n".join(body) + " .")
        return "\n".join(lines) + "\n"


@lru_cache(maxsize=1 << 16)
def _name(iri: str) -> str:
    short = curie(iri)
    prefix, _, local = short.partition(":")
    if short != iri and prefix in _USED_PREFIXES and local and all(c.isalnum() or c in "-_" for c in local) \
            and not local.startswith("-"):
        return short
    return str(ox.NamedNode(iri))


#: The writer's Turtle layout and IRI shortening, for other writers of source files (decisions, repairs).
Turtle = _Turtle
turtle_name = _name


def _term(o: ox.NamedNode | ox.Literal) -> str:
    if isinstance(o, ox.NamedNode):
        return _name(o.value)
    if o.datatype.value == _XSD + "string" and o.language is None:
        return str(ox.Literal(o.value))
    if o.datatype.value in (_XSD + "integer", _XSD + "boolean") and o.value.lstrip("-").isalnum():
        return o.value
    return str(o)  # language-tagged and typed literals, N-Triples escaping


def iri_problem(value: str) -> str | None:
    """Why ``value`` cannot be written as an IRI, or ``None`` if it can.

    >>> iri_problem("https://example.org/a"), iri_problem("https://example.org/a>b")
    (None, "Invalid IRI code point '>'")
    """
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        return " ".join(str(exc).split())
    return None


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _date(d: Date) -> ox.Literal:
    return ox.Literal(d.value, datatype=ox.NamedNode(d.datatype))


def _value(v, links: Links) -> ox.NamedNode | ox.Literal:
    """A claim value as an RDF term: entities of the batch by their linked IRI,
    dates with their precision's datatype, http(s) strings as IRIs, the rest
    as :func:`collabgraph.core.terms.to_ox` writes Python values."""
    if isinstance(v, EntityRef):
        return _iri(links.iri(v.key))
    if isinstance(v, Date):
        return _date(v)
    if isinstance(v, Name):
        return ox.Literal(v.text, language=v.lang) if v.lang else ox.Literal(v.text)
    if isinstance(v, str) and v.startswith(("http://", "https://")):
        return _iri(v)
    return to_ox(v)


def render(batches: Iterable[tuple[Batch, Links]], index: GraphIndex, *, header: str) -> tuple[str, int, int]:
    """Turtle for linked batches: ``(text, number of facts, number of entities)``;
    ``index`` says what the rest of the graph already says of linked entities."""
    t = _Turtle()
    facts = entities = 0
    for batch, links in batches:
        for key, src in batch.sources.items():
            s = source_iri(batch, key)
            t.add(s, _RDF_TYPE, _iri(str(CG.SourceDocument)))
            label = src.label if not src.revision or src.revision in src.label else f"{src.label} at revision {src.revision}"
            t.add(s, _RDFS + "label", ox.Literal(label))
            if src.url:
                t.add(s, _SCHEMA_URL, _iri(src.url))
            for prop, value, dt in ((CG.revision, src.revision, None), (CG.modified, src.modified, "dateTime"),
                                    (CG.retrieved, src.retrieved, None), (CG.requestedAs, src.requested, None),
                                    (CG.sha256, src.sha256, None), (CG.localPath, src.local_path, None)):
                if value:
                    t.add(s, str(prop), ox.Literal(value, datatype=ox.NamedNode(_XSD + dt)) if dt else ox.Literal(value))
            # A cited document's publisher and date (CSV rows name the article that supports them).
            if src.publisher:
                t.add(s, _DCTERMS + "publisher", ox.Literal(src.publisher))
            if src.published:
                t.add(s, _DCTERMS + "issued", _date(src.published))
        for key, record in batch.entities.items():
            decision = links.decisions[key]
            e = decision.iri
            entities += 1
            # What this source says of the entity, whoever else says it too: the
            # file must stand on its own, since the file that first said it may be
            # replaced or removed. Only a label another source gives differently
            # in the same language becomes an alias (one label per language).
            known = None if decision.is_new else index.facts(e)
            untyped = known is None or not known.types
            for typ in record.types or (["Agent"] if record.stub and untyped else []):
                t.add(e, _RDF_TYPE, _iri(str(CG[typ])))
            have = dict(known.labels) if known else {}
            for lang, label in sorted(record.labels.items()):
                if not lang and label in (v for k, v in have.items() if k):
                    continue  # an untagged name the entity already has with a language tag
                if have.setdefault(lang, label) == label:
                    t.add(e, _RDFS + "label", ox.Literal(label, language=lang) if lang else ox.Literal(label))
                else:
                    t.add(e, _SKOS + "altLabel", ox.Literal(label, language=lang) if lang else ox.Literal(label))
            for alias in record.aliases:
                # A search hint, sort name or locale variant is a name to find it by, never
                # a name to link by: skos:hiddenLabel, which the linker does not read as a key.
                hidden = alias.kind in NOT_LINK_KEYS
                t.add(e, _SKOS + ("hiddenLabel" if hidden else "altLabel"),
                      ox.Literal(alias.text, language=alias.lang) if alias.lang else ox.Literal(alias.text))
            if record.stub and not record.labels and not have and decision.method != "again":
                # Known only by an identifier: the identifier is its label until a source names it.
                scheme, value = next(iter(sorted(record.identifiers.items())), ("", record.key))
                t.add(e, _RDFS + "label", ox.Literal(f"{value}"))
        for fact in batch.facts:
            facts += 1
            _fact(t, batch, links, fact)
        for fact in _implied_attestations(batch):
            facts += 1
            _fact(t, batch, links, fact)
    return t.text(header), facts, entities


def _implied_attestations(batch: Batch) -> list[NameRecord]:
    """An attestation for every entity of the batch that no name record
    attests: the record names it (or, for a stub, refers to it by identifier),
    and every entity must be attested by a source."""
    attested = {f.entity for f in batch.facts if isinstance(f, NameRecord)}
    source = next(iter(batch.sources), None)
    out = []
    for key, record in batch.entities.items():
        if key in attested or source is None:
            continue
        names = tuple(Name(v, lang or None) for lang, v in sorted(record.labels.items()))
        labelled = set(names)  # a set: linear in the number of aliases (issue 18)
        names += tuple(a for a in record.aliases if a not in labelled)
        where = ", ".join(f"{scheme} {value}" for scheme, value in sorted(record.identifiers.items()))
        out.append(NameRecord(key, names, Provenance(source, locator=where or f"the record of {record.label}")))
    return out


def _fact(t: _Turtle, batch: Batch, links: Links, fact) -> None:
    p: Provenance = fact.provenance
    kind, fields = _fields(fact, links)
    digest = hashlib.sha1(repr((p.source, p.locator, p.quote, kind, fields)).encode()).hexdigest()[:12]
    f = str(FACT[f"{slug(batch.name.replace('/', '-'))}-{digest}"])
    t.add(f, _RDF_TYPE, _iri(str(CG[kind])))
    for prop, value in fields:
        t.add(f, str(CG[prop]), value)
    t.add(f, str(CG.source), _iri(source_iri(batch, p.source)))
    if p.quote:
        t.add(f, str(CG.quote), ox.Literal(p.quote))
    if p.locator:
        t.add(f, str(CG.locator), ox.Literal(p.locator))
    if p.inference:
        t.add(f, str(CG.editorsInference), ox.Literal(p.inference))
    for i, ref in enumerate(p.references):
        r = f"{f}-ref{i + 1}"
        t.add(f, str(CG.reference), _iri(r))
        _reference(t, r, ref)


def _reference(t: _Turtle, r: str, ref: Reference) -> None:
    t.add(r, _RDF_TYPE, _iri(str(CG.Reference)))
    if ref.stated_in:
        t.add(r, str(CG.statedIn), _iri(ref.stated_in))
    if ref.url:
        t.add(r, str(CG.referenceURL), _iri(ref.url))
    if ref.retrieved:
        t.add(r, str(CG.retrieved), _date(ref.retrieved))
    if ref.quote:
        t.add(r, str(CG.referenceQuote), ox.Literal(ref.quote))
    if ref.imported_from:
        t.add(r, str(CG.importedFrom), _iri(ref.imported_from))


def _fields(fact, links: Links) -> tuple[str, list[tuple[str, ox.NamedNode | ox.Literal]]]:
    if isinstance(fact, CreditRecord):
        fields = [("agent", _iri(links.iri(fact.agent))), ("work", _iri(links.iri(fact.work))),
                  ("role", _iri(str(ROLE[fact.role])))]
        if fact.character:
            fields.append(("character", _iri(links.iri(fact.character))))
        if fact.date:
            fields.append(("date", _date(fact.date)))
        if fact.instrument:
            fields.append(("instrument", ox.Literal(fact.instrument)))
        fields += [("attribute", ox.Literal(a)) for a in fact.attributes]
        if fact.credited_as:
            fields.append(("creditedAs", ox.Literal(fact.credited_as)))
        return "Credit", fields
    if isinstance(fact, MembershipRecord):
        fields = [("member", _iri(links.iri(fact.member))), ("group", _iri(links.iri(fact.group)))]
        if fact.start:
            fields.append(("startDate", _date(fact.start)))
        if fact.end:
            fields.append(("endDate", _date(fact.end)))
        return "Membership", fields
    if isinstance(fact, ClaimRecord):
        fields = [("about", _iri(links.iri(fact.about))), ("property", _iri(str(CG[fact.property]))),
                  ("value", _value(fact.value, links))]
        if fact.claimed_by:
            fields.append(("claimedBy", _iri(links.iri(fact.claimed_by))))
        return "Claim", fields
    if isinstance(fact, NameRecord):
        fields = [("attests", _iri(links.iri(fact.entity)))]
        fields += [("name", ox.Literal(n.text, language=n.lang) if n.lang else ox.Literal(n.text)) for n in fact.names]
        fields += [("mentionedAs", ox.Literal(w)) for w in fact.mentioned_as]
        fields += [("quote", ox.Literal(q)) for q in fact.also_quoted]
        return "Attestation", fields
    raise TypeError(f"not a fact record: {fact!r}")


def write_file(path: Path, text: str) -> str:
    """Write ``text`` to ``path`` atomically; ``added``, ``replaced`` or ``unchanged``.
    (A single file outside any change of ``graph/``; the importers stage theirs
    with :func:`collabgraph.importers.importing.stage_import`.)"""
    from ..core.durable import write_atomic

    if path.exists():
        if path.read_text("utf-8") == text:
            return "unchanged"
        status = "replaced"
    else:
        status = "added"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    return status
