"""What accepted candidates become: the records of an article's source file.

Each accepted or edited candidate becomes a fact quoting its sentence (or, for
a sentence longer than a quote may be, the stretch of it around its mentions);
the article is the facts' source; a new name is one new entity per name and
broad kind (agent or work) in an article, of the one most specific type its
mentions agree on; the words the article writes for an entity are attested as
a name of it, unless they only describe it ("the music video").
:meth:`.review.Review.merge` writes the batch through the importers' writer.

>>> parse_date("2024-01")
Date(value='2024-01', precision='month')
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ..core.errors import CollabGraphError
from ..core.names import search_key
from ..importers.model import (Batch, ClaimRecord, CreditRecord, Date, EntityRecord, EntityRef, MembershipRecord,
                               Name, NameRecord, Provenance, SourceRecord)
from ..importers.vocabulary import vocabulary
from .article import most_specific
from .candidates import MAX_QUOTE, Article, Candidate, Mention

__all__ = ["MAX_QUOTE", "SLOT_TYPES", "ISO_DATE", "GENERIC_TYPES", "parse_date", "article_batch", "claim_value",
           "is_named", "language_of", "describes", "is_new", "broad_kind", "batch_key", "same_entity",
           "type_conflict", "quote_of"]



#: The type a new entity gets by the slot it fills, when the mention names none.
SLOT_TYPES = {"agent": "Agent", "member": "Agent", "group": "Group", "work": "Work", "about": "Agent",
              "entity": "Agent"}


ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


#: Types too broad for a new entity: a person gives it a real one (Person, Group, Song...).
GENERIC_TYPES = ("Agent", "Work")


def parse_date(text: str, *, what: str = "date") -> Date:
    """``2024``, ``2024-01`` or ``2024-01-19`` as a :class:`Date` of that precision.

    >>> parse_date("2024-01"), parse_date("2016").datatype.rsplit("#")[1]
    (Date(value='2024-01', precision='month'), 'gYear')
    >>> parse_date("2024-02-30")
    Traceback (most recent call last):
    ...
    collabgraph.core.errors.CollabGraphError: date '2024-02-30' is not a date: give YYYY, YYYY-MM or YYYY-MM-DD
    """
    text = text.strip()
    ok = bool(ISO_DATE.match(text))
    if ok:
        try:
            dt.date.fromisoformat((text + "-01-01")[:10] if len(text) < 10 else text)
        except ValueError:
            ok = False
    if not ok:
        raise CollabGraphError(f"{what} {text!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD")
    return Date(text, {4: "year", 7: "month", 10: "day"}[len(text)])


def article_batch(article: Article, kept: list[Candidate], text: str, reader: Any, folder: Path) -> Batch:
    """The records of an article's source file: the article as a source, its accepted and
    edited candidates ``kept`` as facts quoting ``text``, each new entity once with one type,
    and the names the article attests. ``reader`` reads the graph (are these words already a
    name of the entity they were linked to?); ``folder`` is where the article's files are.

    :raises CollabGraphError: the stored text changed since ingest, or a new entity is given
        types of different kinds.
    """
    import hashlib

    if hashlib.sha256(text.encode("utf-8")).hexdigest() != article.text_sha256:
        raise CollabGraphError(f"{folder / (article.id + '.txt')}: the stored text has changed since "
                               "it was ingested (its SHA-256 differs); ingest it again")
    batch = Batch(article.id)
    src = batch.add_source(SourceRecord(
        f"article:{article.id}", article.title or f"Article {article.id}", kind="news article",
        url=article.url, sha256=article.text_sha256, publisher=article.publisher,
        published=parse_date(article.published, what="publication date") if article.published else None,
        local_path=f"{article.id}.txt"))
    attested: set[tuple[str, str]] = set()
    described: set[tuple[str, str, str]] = set()  # (entity, words, quote) declared with cg:mentionedAs
    vocab = vocabulary()
    kept = _typed_by_their_facts(kept)
    # One new entity, one type: the most specific type its accepted mentions agree on.
    typed: dict[str, dict[str, tuple[str, str]]] = {}
    for c in kept:
        for slot, m in c.slots.items():
            if m.link is None:  # a new name, or a description standing for one
                typed.setdefault(batch_key(m, slot), {}).setdefault(m.type or SLOT_TYPES.get(slot, "Agent"),
                                                                      (c.id, slot))
    types: dict[str, str] = {}
    for key, seen in typed.items():
        one = most_specific(seen, vocab)
        if one is None:
            name = next(m.label or m.text for c in kept for slot, m in c.slots.items()
                        if m.link is None and batch_key(m, slot) == key)
            raise CollabGraphError(type_conflict(name, seen))
        types[key] = one

    def lang(words: str) -> str:
        return language_of(words, article.language)

    def entity(c: Candidate, m: Mention, slot: str, quote: str) -> str:
        if m.link is not None:
            key = f"iri:{m.link}"
            record = batch.add_entity(EntityRecord(key, identifiers={"iri": m.link}))
            if m.method == "person" and not is_named(reader, m.link, m.text) and not describes(m.text):
                record.aliases.append(Name(m.text, lang(m.text)))  # a person linked these words: an alias
        else:
            label = m.label or m.text
            # One new entity per name and broad kind in an article, of one type
            # ("Summer Letters" the film and "Summer Letters" the work: one Film).
            key = batch_key(m, slot)
            batch.add_entity(EntityRecord(key, types=[types[key]], labels={lang(label): label}))
        # Words that describe ("the group", "the Blue singer-songwriter") are no name of
        # the entity: attested as one, the next ingest would link them wherever written.
        if m.method != "description" and (key, m.text) not in attested and c.start <= m.start <= m.end <= c.end:
            attested.add((key, m.text))
            batch.facts.append(NameRecord(key, (Name(m.text),), Provenance(src.key, quote=quote)))
        elif m.method == "description" and c.start <= m.start <= m.end <= c.end \
                and (key, m.text, quote) not in described:
            # ... but the quote must still show what stands for the entity ("The video was directed by
            # Ahn Ji-won."): declared for this source only (cg:mentionedAs), with the sentence that names it
            described.add((key, m.text, quote))
            earlier = antecedent(key, m.start)
            batch.facts.append(NameRecord(key, (), Provenance(src.key, quote=quote), mentioned_as=(m.text,),
                                          also_quoted=(earlier,) if earlier and earlier != quote else ()))
        return key

    def key_of(m: Mention, slot: str) -> str:
        return f"iri:{m.link}" if m.link is not None else batch_key(m, slot)

    # Where each entity is named (not described) among the kept facts: (offset, quote)
    named_at: dict[str, list[tuple[int, str]]] = {}
    for c in kept:
        for slot, m in c.slots.items():
            if m.method != "description" and c.start <= m.start <= m.end <= c.end:
                named_at.setdefault(key_of(m, slot), []).append((m.start, quote_of(c, text)))

    def antecedent(key: str, at: int) -> str | None:
        """The sentence naming ``key`` nearest before offset ``at`` (else the first after it)."""
        found = sorted(named_at.get(key, []))
        before = [q for start, q in found if start < at]
        return before[-1] if before else found[0][1] if found else None

    for c in kept:
        quote = quote_of(c, text)
        keys = {slot: entity(c, m, slot, quote) for slot, m in c.slots.items()}
        date = parse_date(c.date) if c.date else None
        why = (f"The article gives the date without a year or as a day of the week; {c.date} is worked out "
               f"from its publication date ({article.published}).") if date and c.date_inferred else None
        prov = Provenance(src.key, quote=quote, inference=why)
        if c.kind == "credit":
            char = None
            if c.character:
                char = f"new:Character:{search_key(c.character)}"
                batch.add_entity(EntityRecord(char, types=["Character"],
                                              labels={lang(c.character): c.character}))
                if (char, c.character) not in attested:
                    attested.add((char, c.character))
                    batch.facts.append(NameRecord(char, (Name(c.character),), Provenance(src.key, quote=quote)))
            batch.facts.append(CreditRecord(keys["agent"], keys["work"], c.role or "collaborator", prov,
                                            character=char, date=date))
        elif c.kind == "membership":
            batch.facts.append(MembershipRecord(keys["member"], keys["group"], prov, start=date))
        elif c.kind == "claim":
            batch.facts.append(ClaimRecord(keys["about"], c.property or "", claim_value(c, keys), prov))
        elif c.kind != "entity":
            raise CollabGraphError(f"candidate {c.id}: unknown kind {c.kind!r}")
    return batch


def claim_value(c: Candidate, keys: dict[str, str]) -> Any:
    if "value" in keys:
        return EntityRef(keys["value"])
    value = c.value or ""
    if ISO_DATE.match(value):
        return parse_date(value)
    return value


def is_named(reader: Any, iri: str, words: str) -> bool:
    """Whether ``words`` are (folded) a label or alias the graph gives ``iri``."""
    from ..views.entities import describe

    e = describe(reader, iri)
    return search_key(words) in {search_key(n) for n in [*e.labels.values(), *e.aliases]}


HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def language_of(words: str, article_language: str) -> str:
    """The language tag of a name the article gives: Korean for a name in
    Hangul, otherwise the article's language.

    >>> language_of("Summer Letters", "en"), language_of("교포머리", "en")
    ('en', 'ko')
    """
    return "ko" if HANGUL.search(words) else article_language


def describes(words: str) -> bool:
    """Words that describe rather than name: a determiner or possessive and no
    capital after it ("the music video", "The track", "their single").

    >>> describes("the music video"), describes("The track"), describes("The Poet Warrior Youth")
    (True, True, False)
    """
    return bool(re.fullmatch(r"(?i:the|a|an|this|that|these|those|his|her|their|its|our|my)\s+[^A-Z]*",
                             words.strip()))


def is_new(m: Mention) -> bool:
    """A mention that stands for a proposed new entity (not linked, not only a fuzzy
    suggestion, not a description of another mention)."""
    return m.link is None and m.method not in ("fuzzy", "description")


def broad_kind(m: Mention, slot: str) -> str | None:
    """``agent`` or ``work`` for a new entity's mention; ``None`` when nothing says."""
    typ = m.type or (SLOT_TYPES.get(slot) if slot != "entity" else None)
    if not typ:
        return None
    vocab = vocabulary()
    return "agent" if vocab.is_agent_class(typ) else "work" if vocab.is_work_class(typ) else typ


def _typed_by_their_facts(kept: list[Candidate]) -> list[Candidate]:
    """The candidates, a proposed new name that nobody typed given the type the accepted facts naming it
    give it ("Salt Road", proposed untyped, is the film of the fact a person added): one new entity, not
    a film and a bare agent of the same name. A name the facts give two kinds of stays as it is."""
    from dataclasses import replace

    given: dict[str, set[str]] = {}
    for c in kept:
        if c.kind != "entity":
            for slot, m in c.slots.items():
                if m.link is None:
                    given.setdefault(search_key(m.label or m.text), set()).add(m.type or SLOT_TYPES.get(slot, "Agent"))
    out = []
    for c in kept:
        named = c.slots.get("entity")
        if c.kind == "entity" and named is not None and named.link is None and named.type is None:
            one = most_specific(given.get(search_key(named.label or named.text), ()), vocabulary())
            if one is not None:
                c = replace(c, slots={**c.slots, "entity": replace(named, type=one)})
        out.append(c)
    return out


def batch_key(m: Mention, slot: str) -> str:
    return f"new:{broad_kind(m, slot) or 'agent'}:{search_key(m.label or m.text)}"


def same_entity(a: Mention, a_slot: str, b: Mention, b_slot: str) -> bool:
    """Do two mentions of new names stand for the same new entity (same name, and
    the same broad kind where both say one)?"""
    if search_key(a.label or a.text) != search_key(b.label or b.text):
        return False
    ka, kb = broad_kind(a, a_slot), broad_kind(b, b_slot)
    return ka is None or kb is None or ka == kb


def type_conflict(name: str, seen: dict[str, tuple[str, str]]) -> str:
    """One line: a new entity the candidates give types of different kinds, and how to settle it."""
    kinds = " and ".join(f"a {t} in {cid}" for t, (cid, _) in seen.items())
    first_type, (first_id, slot) = next(iter(seen.items()))
    return (f"the new entity {name!r} is {kinds}: give it one type, e.g. "
            f"'collabgraph review edit {first_id} --type {slot}={first_type}' (it applies wherever it is named)")


def quote_of(c: Candidate, text: str) -> str:
    """The candidate's sentence, or for a sentence longer than a quote may be,
    the longest stretch of it around its mentions (still the text's own words)."""
    if text[c.start:c.end] != c.sentence:
        raise CollabGraphError(f"candidate {c.id}: its sentence is not at {c.start}-{c.end} of the stored text")
    if len(c.sentence) <= MAX_QUOTE:
        return c.sentence
    inside = [m for m in c.slots.values() if c.start <= m.start <= m.end <= c.end]  # a side it does not write: none
    first = min((m.start for m in inside), default=c.start)
    last = max((m.end for m in inside), default=c.start)
    start = max(c.start, min(first, last - MAX_QUOTE))
    return text[start:min(c.end, start + MAX_QUOTE)].strip()

