"""Reviewing an article's candidate facts, and merging the accepted ones.

``collabgraph ingest`` leaves ``graph/articles/<id>.json`` (the article and
its candidates, see :mod:`.candidates`) and ``<id>.txt`` (the text). A
person accepts, edits or rejects candidates here; after every change the
article's accepted and edited candidates are written again as
``graph/articles/<id>.ttl`` through :func:`.importing.run_import` (the one
mechanism every import uses: linked, rendered, staged, the whole graph
validated, all or nothing). The candidate file is saved only once that
worked, so a change the graph refuses changes nothing.

What the merge writes: the article as a ``cg:SourceDocument`` (URL, title,
publisher, date, ``cg:sha256`` of the stored text, ``cg:localPath``
``<id>.txt`` beside the ``.ttl``), every fact quoting its sentence, an
attestation of every entity named (the mention's words, quoting the
sentence), new entities with their labels, existing ones by IRI (the linker's
``given`` method). A mention a person linked to an entity whose names do not
include the mention's words gives that entity an alias, attested by the
article. A date completed from the publication date carries
``cg:editorsInference``.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from ..errors import CollabGraphError
from ..names import search_key
from ..namespaces import curie
from .candidates import ARTICLES_DIR, STATUSES, Article, ArticleFile, Candidate, Mention
from .vocabulary import vocabulary
from .model import (Batch, ClaimRecord, CreditRecord, Date, EntityRecord, EntityRef, MembershipRecord, Name,
                    NameRecord, Provenance, SourceRecord)

__all__ = ["Review", "ReviewResult", "parse_date", "highlight"]

#: Longest quote the contract allows (shapes.ttl: cg:quote is 2 to 300 characters).
MAX_QUOTE = 300
#: The type a new entity gets by the slot it fills, when the mention names none.
SLOT_TYPES = {"agent": "Agent", "member": "Agent", "group": "Group", "work": "Work", "about": "Agent",
              "entity": "Agent"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def parse_date(text: str, *, what: str = "date") -> Date:
    """``2024``, ``2024-01`` or ``2024-01-19`` as a :class:`Date` of that precision.

    >>> parse_date("2024-01"), parse_date("2016").datatype.rsplit("#")[1]
    (Date(value='2024-01', precision='month'), 'gYear')
    >>> parse_date("2024-02-30")
    Traceback (most recent call last):
    ...
    collabgraph.errors.CollabGraphError: date '2024-02-30' is not a date: give YYYY, YYYY-MM or YYYY-MM-DD
    """
    text = text.strip()
    ok = bool(_DATE.match(text))
    if ok:
        try:
            dt.date.fromisoformat((text + "-01-01")[:10] if len(text) < 10 else text)
        except ValueError:
            ok = False
    if not ok:
        raise CollabGraphError(f"{what} {text!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD")
    return Date(text, {4: "year", 7: "month", 10: "day"}[len(text)])


def highlight(c: Candidate, left: str = "[", right: str = "]") -> str:
    """The candidate's sentence with its mentions marked.

    >>> a = Article("a", "0" * 64)
    >>> c = Candidate.make(a, kind="membership", rule="r", sentence="V of BTS.", start=10, end=19,
    ...                    slots={"member": Mention("V", 10, 11), "group": Mention("BTS", 15, 18)})
    >>> highlight(c)
    '[V] of [BTS].'
    """
    out, at = [], c.start
    for m in sorted({(m.start, m.end) for m in c.slots.values() if c.start <= m.start <= m.end <= c.end}):
        if m[0] < at:
            continue  # overlapping mentions: the first one is marked
        out += [c.sentence[at - c.start:m[0] - c.start], left, c.sentence[m[0] - c.start:m[1] - c.start], right]
        at = m[1]
    out.append(c.sentence[at - c.start:])
    return "".join(out)


@dataclass
class ReviewResult:
    """What a review command did: the candidates changed (by id, with their new
    status), those left as they were and why, and the source files written."""

    changed: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"changed": [{"id": i, "status": s} for i, s in zip(self.ids, self.changed)],
                "skipped": [{"id": i, "reason": r} for i, r in self.skipped], "files": self.files}


class Review:
    """The candidates of every article in ``graph_dir/articles/``, and what a person decides about them."""

    def __init__(self, graph_dir: str | Path, ontology_dir: str | Path | None = None):
        self.graph_dir = Path(graph_dir)
        self.ontology_dir = ontology_dir
        self._reader = None
        if not self.graph_dir.is_dir():
            raise CollabGraphError(f"{self.graph_dir}: no such graph directory")

    # -- reading ---------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        return self.graph_dir / ARTICLES_DIR

    def article_ids(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.json")) if self.folder.is_dir() else []

    def load(self, article_id: str) -> ArticleFile:
        path = ArticleFile.path(self.graph_dir, article_id)
        if not path.is_file():
            known = ", ".join(self.article_ids()) or "none; run 'collabgraph ingest' first"
            raise CollabGraphError(f"no article {article_id!r} in {self.folder} (articles: {known})")
        try:
            return ArticleFile.load(path)
        except (ValueError, KeyError, TypeError) as exc:
            raise CollabGraphError(f"{path}: not a candidate file of collabgraph ingest ({exc})") from None

    def text(self, article_id: str) -> str:
        """The article's stored text (what every offset points into)."""
        path = self.folder / f"{article_id}.txt"
        try:
            return path.read_text("utf-8")
        except FileNotFoundError:
            raise CollabGraphError(f"{path}: the article's stored text is missing; ingest it again") from None

    def candidates(self, *, article: str | None = None, status: str | None = None, rule: str | None = None,
                   min_score: float | None = None) -> list[Candidate]:
        """Candidates in file order, filtered."""
        if status is not None and status not in STATUSES:
            raise CollabGraphError(f"unknown status {status!r}: one of {', '.join(STATUSES)}")
        out = []
        for aid in [article] if article else self.article_ids():
            for c in self.load(aid).candidates:
                if (status is None or c.status == status) and (rule is None or c.rule == rule) \
                        and (min_score is None or c.score >= min_score):
                    out.append(c)
        return out

    def get(self, cid: str) -> Candidate:
        return self._find(cid)[1]

    def _find(self, cid: str) -> tuple[ArticleFile, Candidate]:
        """A candidate by id, or by a unique prefix of at least 6 characters."""
        cid = cid.strip()
        hits = []
        for aid in self.article_ids():
            af = self.load(aid)
            hits += [(af, c) for c in af.candidates if c.id == cid or (len(cid) >= 6 and c.id.startswith(cid))]
        exact = [h for h in hits if h[1].id == cid]
        if exact:
            return exact[0]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise CollabGraphError(f"no candidate {cid!r} (see 'collabgraph review list')")
        raise CollabGraphError(f"candidate id {cid!r} is ambiguous: {', '.join(h[1].id for h in hits)}")

    def unresolved(self, c: Candidate) -> list[str]:
        """Slots whose mention is only a fuzzy suggestion: a person must choose first."""
        return [slot for slot, m in c.slots.items() if m.link is None and m.method == "fuzzy"]

    # -- deciding --------------------------------------------------------------------
    def accept(self, ids: Iterable[str], *, links: dict[str, str] | None = None,
               new: Iterable[str] = ()) -> ReviewResult:
        """Accept candidates; ``links`` (slot -> entity) and ``new`` (slots) decide
        fuzzy mentions first (the candidate is then ``edited``)."""
        links, new = dict(links or {}), tuple(new)
        return self._change(ids, lambda c: self._decide(c, links=links, new=new, status="accepted"))

    def accept_all(self, *, article: str | None = None, rule: str | None = None,
                   min_score: float | None = None) -> ReviewResult:
        """Accept every pending candidate that fits; those with an undecided fuzzy
        mention are left pending and listed as skipped."""
        pending = self.candidates(article=article, status="pending", rule=rule, min_score=min_score)
        result = ReviewResult()
        ready = []
        for c in pending:
            open_slots = self.unresolved(c)
            if open_slots:
                result.skipped.append((c.id, self._fuzzy_message(c, open_slots)))
            else:
                ready.append(c.id)
        done = self._change(ready, lambda c: self._decide(c, status="accepted")) if ready else ReviewResult()
        done.skipped = result.skipped + done.skipped
        return done

    def reject(self, ids: Iterable[str]) -> ReviewResult:
        def apply(c: Candidate) -> None:
            c.status = "rejected"
        return self._change(ids, apply)

    def edit(self, cid: str, *, role: str | None = None, character: str | None = None, date: str | None = None,
             links: dict[str, str] | None = None, new: Iterable[str] = (),
             types: dict[str, str] | None = None) -> ReviewResult:
        """Change what a candidate says; it becomes ``edited`` (and part of the graph)."""
        from .vocabulary import vocabulary

        vocab = vocabulary()
        if role is not None and role not in vocab.roles:
            raise CollabGraphError(f"unknown role {role!r}: one of {', '.join(sorted(vocab.roles))}")
        if date is not None:
            parse_date(date)
        if character is not None and not search_key(character):
            raise CollabGraphError(f"character {character!r} names nothing")
        for slot, cls in (types or {}).items():
            if cls not in vocab.superclasses or not ({"Agent", "Work"} & vocab.superclasses[cls]
                                                     or cls == "Character"):
                raise CollabGraphError(f"--type {slot}={cls}: not a class of agents, works or characters")
        if not any(v is not None for v in (role, character, date)) and not (links or new or types):
            raise CollabGraphError("nothing to edit: give --role, --character, --date, --link, --new or --type")

        def apply(c: Candidate) -> None:
            if c.kind != "credit" and (role is not None or character is not None):
                raise CollabGraphError(f"candidate {c.id} is a {c.kind}: only a credit has a role or a character")
            for name, value in (("role", role), ("character", character), ("date", date)):
                if value is not None and getattr(c, name) != value:
                    self._record(c, name, getattr(c, name), value)
                    setattr(c, name, value)
                    if name == "date" and c.date_inferred:
                        self._record(c, "date_inferred", True, False)
                        c.date_inferred = False  # a person gave the date
            for slot, cls in (types or {}).items():
                m = self._slot(c, slot)
                if m.link is not None:
                    raise CollabGraphError(f"candidate {c.id}: {slot} is the existing entity {curie(m.link)}; "
                                           "only a new entity's type can be set")
                self._record(c, f"type:{slot}", m.type, cls)
                c.slots[slot] = replace(m, type=cls)
            self._decide(c, links=dict(links or {}), new=tuple(new), status="edited")
            c.status = "edited"
        return self._change([cid], apply)

    def merge(self, article_id: str) -> ReviewResult:
        """Write the article's accepted facts again (after a manual change to its file)."""
        af = self.load(article_id)
        result = ReviewResult(files=self._merge(af))
        return result

    # -- internals -------------------------------------------------------------------
    def _change(self, ids: Iterable[str], apply) -> ReviewResult:
        ids = list(dict.fromkeys(ids))
        if not ids:
            raise CollabGraphError("give one or more candidate ids (see 'collabgraph review list')")
        files: dict[str, ArticleFile] = {}
        result = ReviewResult()
        for cid in ids:
            af, c = self._find(cid)
            af = files.setdefault(af.article.id, af)
            c = next(x for x in af.candidates if x.id == c.id)  # the copy in the file that will be saved
            apply(c)
            result.ids.append(c.id)
            result.changed.append(c.status)
        for af in files.values():
            result.files += self._merge(af)
            af.save(ArticleFile.path(self.graph_dir, af.article.id))
        return result

    def _decide(self, c: Candidate, *, links: dict[str, str] | None = None, new: tuple[str, ...] = (),
                status: str) -> None:
        """Apply a person's choices for slots, then refuse if a fuzzy mention is still undecided."""
        for slot, target in (links or {}).items():
            m = self._slot(c, slot)
            iri = self._entity(target)
            if m.link != iri:
                self._record(c, f"link:{slot}", m.link or m.method, iri)
                c.slots[slot] = replace(m, link=iri, method="person")
        for slot in new:
            m = self._slot(c, slot)
            if slot in (links or {}):
                raise CollabGraphError(f"{slot}: give --link or --new for it, not both")
            self._record(c, f"link:{slot}", m.link or m.method, "new")
            c.slots[slot] = replace(m, link=None, method="person", label=m.label or m.text)
        open_slots = self.unresolved(c)
        if open_slots:
            raise CollabGraphError(self._fuzzy_message(c, open_slots))
        if (links or new) and status == "accepted":
            status = "edited"
        c.status = status

    def _fuzzy_message(self, c: Candidate, slots: list[str]) -> str:
        parts = []
        for slot in slots:
            m = c.slots[slot]
            close = ", ".join(f"{label} ({curie(iri)}, {score:.0f})" for iri, label, score in m.suggestions) or "none"
            first = f"--link {shlex.quote(slot + '=' + curie(m.suggestions[0][0]))} or " if m.suggestions else ""
            parts.append(f"{slot} {m.text!r} is only a fuzzy match (close: {close}); choose with {first}--new {slot}")
        return f"candidate {c.id}: " + "; ".join(parts)

    @staticmethod
    def _slot(c: Candidate, slot: str) -> Mention:
        if slot not in c.slots:
            raise CollabGraphError(f"candidate {c.id} has no slot {slot!r} (slots: {', '.join(c.slots)})")
        return c.slots[slot]

    @staticmethod
    def _record(c: Candidate, name: str, was: Any, now: Any) -> None:
        """Keep what the machine proposed (the first value) and what a person made of it."""
        entry = c.edits.setdefault(name, {"from": was})
        entry["to"] = now

    def _graph_reader(self):
        if self._reader is None:
            from .linking import Linker

            self._reader = Linker.for_graph(self.graph_dir, self.ontology_dir).reader
        return self._reader

    def _entity(self, target: str) -> str:
        """An existing entity of the graph's sources by name, alias, CURIE or IRI."""
        from ..views.entities import resolve

        return resolve(self._graph_reader(), target).iri

    def _merge(self, af: ArticleFile) -> list[str]:
        """Write (or remove) ``articles/<id>.ttl`` from the accepted and edited candidates."""
        from .importing import run_import

        kept = [c for c in af.candidates if c.status in ("accepted", "edited")]
        target = self.folder / f"{af.article.id}.ttl"
        if not kept:
            return self._remove(target)
        text = self.text(af.article.id)
        batch = self._batch(af.article, kept, text)
        forced_new = [c.slots[s].label or c.slots[s].text for c in kept for s, m in c.slots.items()
                      if m.link is None and m.method == "person"]
        report = run_import([batch], self.graph_dir, ontology_dir=self.ontology_dir, new=forced_new,
                            command="collabgraph review", under=ARTICLES_DIR)
        return [w.path for w in report.files if w.status != "unchanged"]

    def _remove(self, target: Path) -> list[str]:
        """No accepted fact left: the article's source file goes, if the graph holds without it."""
        from ..build import validate

        if not target.exists():
            return []
        keep = target.read_bytes()
        target.unlink()
        try:
            validate(self.graph_dir, self.ontology_dir)
        except BaseException:
            target.write_bytes(keep)
            raise
        return [target.relative_to(self.graph_dir).as_posix()]

    def _batch(self, article: Article, kept: list[Candidate], text: str) -> Batch:
        import hashlib

        if hashlib.sha256(text.encode("utf-8")).hexdigest() != article.text_sha256:
            raise CollabGraphError(f"{self.folder / (article.id + '.txt')}: the stored text has changed since "
                                   "it was ingested (its SHA-256 differs); ingest it again")
        batch = Batch(article.id)
        src = batch.add_source(SourceRecord(
            f"article:{article.id}", article.title or f"Article {article.id}", kind="news article",
            url=article.url, sha256=article.text_sha256, publisher=article.publisher,
            published=parse_date(article.published, what="publication date") if article.published else None,
            local_path=f"{article.id}.txt"))
        reader = self._graph_reader()
        attested: set[tuple[str, str]] = set()

        def entity(m: Mention, slot: str, quote: str) -> str:
            if m.link is not None:
                key = f"iri:{m.link}"
                record = batch.add_entity(EntityRecord(key, identifiers={"iri": m.link}))
                if m.method == "person" and not self._named(reader, m.link, m.text):
                    record.aliases.append(Name(m.text))  # a person linked these words: now an alias
            else:
                label = m.label or m.text
                typ = m.type or SLOT_TYPES.get(slot, "Agent")
                # One new entity per name and broad kind in an article, whatever type each
                # sentence suggests ("Summer Letters" the film and "Summer Letters" the work).
                vocab = vocabulary()
                kind = "agent" if vocab.is_agent_class(typ) else "work" if vocab.is_work_class(typ) else typ
                key = f"new:{kind}:{search_key(label)}"
                batch.add_entity(EntityRecord(key, types=[typ], labels={"": label}))
            # Words that describe ("the group", "the Blue singer-songwriter") are no name of
            # the entity: attested as one, the next ingest would link them wherever written.
            if m.method != "description" and (key, m.text) not in attested:
                attested.add((key, m.text))
                batch.facts.append(NameRecord(key, (Name(m.text),), Provenance(src.key, quote=quote)))
            return key

        for c in kept:
            quote = _quote(c, text)
            keys = {slot: entity(m, slot, quote) for slot, m in c.slots.items()}
            date = parse_date(c.date) if c.date else None
            why = (f"The article gives the date without a year or as a day of the week; {c.date} is worked out "
                   f"from its publication date ({article.published}).") if date and c.date_inferred else None
            prov = Provenance(src.key, quote=quote, inference=why)
            if c.kind == "credit":
                char = None
                if c.character:
                    char = f"new:Character:{search_key(c.character)}"
                    batch.add_entity(EntityRecord(char, types=["Character"], labels={"": c.character}))
                    if (char, c.character) not in attested:
                        attested.add((char, c.character))
                        batch.facts.append(NameRecord(char, (Name(c.character),), Provenance(src.key, quote=quote)))
                batch.facts.append(CreditRecord(keys["agent"], keys["work"], c.role or "collaborator", prov,
                                                character=char, date=date))
            elif c.kind == "membership":
                batch.facts.append(MembershipRecord(keys["member"], keys["group"], prov, start=date))
            elif c.kind == "claim":
                batch.facts.append(ClaimRecord(keys["about"], c.property or "", self._claim_value(c, keys), prov))
            elif c.kind != "entity":
                raise CollabGraphError(f"candidate {c.id}: unknown kind {c.kind!r}")
        return batch

    @staticmethod
    def _claim_value(c: Candidate, keys: dict[str, str]):
        if "value" in keys:
            return EntityRef(keys["value"])
        value = c.value or ""
        if _DATE.match(value):
            return parse_date(value)
        return value

    @staticmethod
    def _named(reader, iri: str, words: str) -> bool:
        from ..views.entities import describe

        e = describe(reader, iri)
        return search_key(words) in {search_key(n) for n in [*e.labels.values(), *e.aliases]}


def _quote(c: Candidate, text: str) -> str:
    """The candidate's sentence, or for a sentence longer than a quote may be,
    the longest stretch of it around its mentions (still the text's own words)."""
    if text[c.start:c.end] != c.sentence:
        raise CollabGraphError(f"candidate {c.id}: its sentence is not at {c.start}-{c.end} of the stored text")
    if len(c.sentence) <= MAX_QUOTE:
        return c.sentence
    first = min((m.start for m in c.slots.values()), default=c.start)
    last = max((m.end for m in c.slots.values()), default=c.start)
    start = max(c.start, min(first, last - MAX_QUOTE))
    return text[start:min(c.end, start + MAX_QUOTE)].strip()
