"""Reviewing an article's candidate facts, and merging the accepted ones.

``collabgraph ingest`` leaves ``graph/articles/<id>.json`` (the article and
its candidates, see :mod:`.candidates`) and ``<id>.txt`` (the text). A
person accepts, edits or rejects candidates here; after every change the
article's accepted and edited candidates are written again as
``graph/articles/<id>.ttl`` through :func:`.importing.stage_import` (the one
mechanism every import uses: linked, rendered, staged, the whole graph
validated). The candidate file and the source file are committed together,
under the lock every writer of ``graph/`` holds (see :mod:`collabgraph.core.durable`):
a change the graph refuses changes nothing, two reviewers at once take turns,
and a kill or a full disk at any instant leaves both files old or both new,
so the review never says "pending" of a fact the graph holds, or the reverse.

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

import itertools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, NoReturn

from ..core.durable import Changes, locked, settle, writing
from ..core.errors import CollabGraphError, UnstatedFact, ValidationError, no_graph_directory
from ..core.names import search_key
from ..core.namespaces import curie
from ..importers.vocabulary import vocabulary
from .article import most_specific
from .candidates import ARTICLES_DIR, STATUSES, ArticleFile, Candidate, Mention
from .reviewadd import added_date, added_side, find_words, written_character
from .reviewfacts import (GENERIC_TYPES, SLOT_TYPES, article_batch, is_new, parse_date, quote_of, same_entity,
                          type_conflict)
from .reviewtext import (ADDED_RULE, class_label, fuzzy_message, highlight, role_choices, shown, type_choices,
                         untyped_message)

__all__ = ["Review", "ReviewResult", "parse_date", "highlight", "KINDS"]

#: The kinds of candidate (see :class:`.candidates.Candidate`).
KINDS = ("credit", "membership", "claim", "entity")



def role_id_of(role: str | None) -> str:
    """The role of the scheme that ``role`` names, by its label as the help and the page write it
    ("music video director") or its id ("musicVideoDirector"), in any case.

    >>> role_id_of("Music video director"), role_id_of("featuredArtist")
    ('musicVideoDirector', 'featuredArtist')
    >>> role_id_of("compser")
    Traceback (most recent call last):
    ...
    collabgraph.core.errors.CollabGraphError: unknown role 'compser'; did you mean composer? (roles: actor, appearance, ...)
    """
    from ..core.names import close_matches

    choices = role_choices()
    roles = {r["label"].lower(): r["id"] for r in choices} | {r.lower(): r for r in vocabulary().roles}
    found = roles.get(" ".join((role or "").split()).lower())
    if found is not None:
        return found
    labels = [r["label"] for r in choices]
    near = close_matches(role or "", {label: label for label in labels}, limit=2) if role else []
    hint = f"; did you mean {' or '.join(n for n, _ in near)}?" if near else ""
    raise CollabGraphError(f"unknown role {role!r}{hint} (roles: {', '.join(labels)})")

@dataclass
class ReviewResult:
    """What a review command did: the candidates changed (by id, with their new
    status), those left as they were and why, and the source files written."""

    changed: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: Proposed new entities whose status followed the facts that need them:
    #: (id, new status, name, ids of the accepted facts that need it).
    followed: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    #: Why nothing was changed, when nothing was.
    reason: str | None = None
    #: The kind of each changed candidate (credit, membership, claim, entity), as :attr:`ids`.
    kinds: list[str] = field(default_factory=list)

    def by_kind(self, status: str | None = None) -> dict[str, int]:
        """How many changed candidates of each kind (those now of ``status`` if given),
        facts first: ``{"credit": 2, "claim": 1, "entity": 2}``."""
        counts = {k: 0 for k in KINDS}
        for kind, now in zip(self.kinds, self.changed):
            if status is None or now == status:
                counts[kind] = counts.get(kind, 0) + 1
        return {k: n for k, n in counts.items() if n}

    def to_dict(self) -> dict[str, Any]:
        return {"changed": [{"id": i, "status": s, **({"kind": k} if k else {})}
                            for i, s, k in itertools.zip_longest(self.ids, self.changed, self.kinds[:len(self.ids)])],
                "by_kind": self.by_kind(),
                "followed": [{"id": i, "status": s, "name": n, "by": by} for i, s, n, by in self.followed],
                "skipped": [{"id": i, "reason": r} for i, r in self.skipped], "files": self.files,
                **({"reason": self.reason} if self.reason else {})}


def ingest_day(text: str) -> str:
    """A day of ``--since``: ``today``, ``yesterday`` or ``YYYY-MM-DD`` (this machine's days).

    >>> ingest_day("2026-12-06")
    '2026-12-06'
    >>> ingest_day("last week")
    Traceback (most recent call last):
    ...
    collabgraph.core.errors.CollabGraphError: --since 'last week': give a day, YYYY-MM-DD, or 'today' or 'yesterday'
    """
    import datetime as dt

    word = text.strip().lower()
    if word in ("today", "yesterday"):
        return (dt.date.today() - dt.timedelta(days=word == "yesterday")).isoformat()
    try:
        return dt.date.fromisoformat(word).isoformat() if len(word) == 10 else _no_day(text)
    except ValueError:
        return _no_day(text)


def _no_day(text: str) -> NoReturn:
    raise CollabGraphError(f"--since {text!r}: give a day, YYYY-MM-DD, or 'today' or 'yesterday'")


def local_day(stamp: str) -> str:
    """The day (on this machine's clock) of an ingest time stamp (ISO 8601, UTC)."""
    import datetime as dt

    return dt.datetime.fromisoformat(stamp).astimezone().date().isoformat()


class Review:
    """The candidates of every article in ``graph_dir/articles/``, and what a person decides about them."""

    def __init__(self, graph_dir: str | Path, ontology_dir: str | Path | None = None):
        self.graph_dir = Path(graph_dir)
        self.ontology_dir = ontology_dir
        self._reader = None
        self._files: dict[str, ArticleFile] = {}
        self._seen: dict[str, ArticleFile] = {}  # articles read by problems(), once per Review
        self._names_index = None  # the graph's linking index (names and types), read on first use
        self._numbered: dict[str, list[tuple[str, int, int]]] = {}  # article -> its numbered sentences
        self._command = "accept"  # the review command under way (see _locked)
        if not self.graph_dir.is_dir():
            raise CollabGraphError(no_graph_directory(str(self.graph_dir)))
        settle(self.graph_dir)  # a reviewer killed after its commit point: finish its change first

    # -- reading ---------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        return self.graph_dir / ARTICLES_DIR

    def article_ids(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.json")) if self.folder.is_dir() else []

    def load(self, article_id: str) -> ArticleFile:
        path = self._known(article_id)
        try:
            return ArticleFile.load(path)
        except (ValueError, KeyError, TypeError) as exc:
            raise CollabGraphError(f"{path}: not a candidate file of collabgraph ingest ({exc})") from None

    def _known(self, article_id: str) -> Path:
        """The candidate file of an article of the folder; an id is never a path
        elsewhere ("../x", from a page or a command line)."""
        path = ArticleFile.path(self.graph_dir, article_id)
        if not path.is_file() or article_id not in self.article_ids():
            known = ", ".join(self.article_ids()) or "none; run 'collabgraph ingest' first"
            raise CollabGraphError(f"no article {article_id!r} in {self.folder} (articles: {known})")
        return path

    def articles(self, *, since: str | None = None) -> list[dict[str, Any]]:
        """The articles under review, by the day they were ingested, then id: ``{"id", "title"`` (the
        ``--title``, else the headline), ``"publisher", "published", "ingested"`` (the
        day, on this machine's clock), ``"candidates"``, and a count per status}``
        (``since`` as :meth:`candidates` reads it). The ids are what ``--article`` takes."""
        day = ingest_day(since) if since is not None else None
        out: list[tuple[str, dict[str, Any]]] = []
        for aid in self.article_ids():
            a = self.load(aid).article
            when = local_day(a.ingested) if a.ingested else None
            if day is not None and not (when and when >= day):
                continue
            found = self.load(aid).candidates
            try:
                numbered = self.sentences(aid)
            except CollabGraphError:
                numbered = []
            out.append((when or "", {
                "id": aid, "title": a.title or (numbered[0][0].strip()[:200] if numbered else None),
                "publisher": a.publisher, "published": a.published, "ingested": when,
                "candidates": len(found), **{s: sum(c.status == s for c in found) for s in STATUSES}}))
        return [x for _, x in sorted(out, key=lambda x: (x[0], x[1]["id"]))]

    def text(self, article_id: str) -> str:
        """The article's stored text (what every offset points into)."""
        self._known(article_id)
        path = self.folder / f"{article_id}.txt"
        try:
            return path.read_text("utf-8")
        except FileNotFoundError:
            raise CollabGraphError(f"{path}: the article's stored text is missing; ingest it again") from None

    def candidates(self, *, article: str | None = None, status: str | None = None, rule: str | None = None,
                   min_score: float | None = None, kind: str | None = None,
                   since: str | None = None) -> list[Candidate]:
        """Candidates in file order, filtered (``kind``: credit, membership, claim or
        entity; ``since``: of articles ingested on or after that day, ``YYYY-MM-DD``
        or ``today``, days as this machine's clock reads them)."""
        if status is not None and status not in STATUSES:
            raise CollabGraphError(f"unknown status {status!r}: one of {', '.join(STATUSES)}")
        if kind is not None and kind not in KINDS:
            raise CollabGraphError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
        day = ingest_day(since) if since is not None else None
        out = []
        for aid in [article] if article else self.article_ids():
            af = self.load(aid)
            if day is not None and not (af.article.ingested and local_day(af.article.ingested) >= day):
                continue
            for c in af.candidates:
                if (status is None or c.status == status) and (rule is None or c.rule == rule) \
                        and (min_score is None or c.score >= min_score) and (kind is None or c.kind == kind):
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
        if not hits and len(cid) < 6:
            raise CollabGraphError(f"no candidate {cid!r}: give the whole id or a prefix of at least 6 characters "
                                   "(see 'collabgraph review list')")
        if not hits:
            raise CollabGraphError(f"no candidate {cid!r} (see 'collabgraph review list')")
        raise CollabGraphError(f"candidate id {cid!r} is ambiguous: {', '.join(h[1].id for h in hits)}")

    def unresolved(self, c: Candidate) -> list[str]:
        """Slots whose mention is only a fuzzy suggestion, or a description ("the
        track") standing for one: a person must choose first (a name the person
        already settled in this article counts as chosen, see :meth:`settled`)."""
        settled, gone = self.settled(c), self.gone(c)
        return [slot for slot, m in c.slots.items() if slot in gone or m.link is None and slot not in settled and (
            m.method == "fuzzy" or (m.method == "description" and m.suggestions))]

    def gone(self, c: Candidate) -> dict[str, str]:
        """Slot -> IRI, for the mentions of ``c`` linked to an entity the graph no
        longer has: one that another article's accepted facts made, until that accept
        was undone (or rejected). Such a link is a question again, never a link: the
        candidate cannot be accepted against it (see :meth:`current`)."""
        return {slot: m.link for slot, m in c.slots.items() if m.link and not self.exists(m.link)}

    def exists(self, iri: str) -> bool:
        """Whether a source file of the graph still says what ``iri`` is (a type or a label:
        a fact of another article that names it by its IRI says neither)."""
        return _defines(self._index(), iri)

    def current(self, c: Candidate) -> Candidate:
        """``c`` as it stands against the graph now: a mention linked to an entity the
        graph no longer has (see :meth:`gone`) becomes one a person must choose for
        (method ``gone``: its name and type kept, the graph's entities of the same
        name as suggestions); a name the person settled for the article (see
        :meth:`settled`) is linked as chosen. ``c`` itself is left as it is: should
        the entity come back (the accept done again), the link holds again."""
        gone, settled = self.gone(c), self.settled(c)
        if not gone and not settled:
            return c
        slots = dict(c.slots)
        for slot, iri in settled.items():  # a name the person confirmed on its own card: no question left
            slots[slot] = replace(slots[slot], link=iri, method="person", suggestions=())
        for slot, iri in gone.items():
            m = slots[slot]
            name = m.label or m.text
            key = search_key(name)
            same = [(i, n, 100.0) for k, n, i in itertools.islice(self._index().names_from(key), 50)
                    if k == key and i != iri and self.exists(i)] if key else []
            slots[slot] = replace(m, link=None, method="gone", label=name,
                                  suggestions=tuple(dict.fromkeys(same)))
        return replace(c, slots=slots)

    def settled(self, c: Candidate) -> dict[str, str]:
        """Slot -> entity, for the undecided names of ``c`` that a person has already
        linked in the same article by accepting the name itself (its entity candidate,
        ``review accept ID --link entity=...``): the same words, with that entity among
        their suggestions. One word from a person on a name holds for the whole article,
        as a type does; a name linked only inside another fact settles nothing else."""
        af = self._files.get(c.article) or self._seen.get(c.article) or self._seen.setdefault(
            c.article, self.load(c.article))
        chosen: dict[str, set[str]] = {}
        for x in af.candidates:
            m = x.slots.get("entity")
            if x.kind == "entity" and x.status in ("accepted", "edited") and m is not None and m.link \
                    and m.method == "person":
                chosen.setdefault(m.text, set()).add(m.link)
        out = {}
        for slot, m in c.slots.items():
            links = chosen.get(m.text, set())
            if m.link is None and len(links) == 1 and next(iter(links)) in {s[0] for s in m.suggestions}:
                out[slot] = next(iter(links))
        return out

    def untyped(self, c: Candidate) -> list[str]:
        """Slots naming a new agent that nothing gives a real type (only
        ``Agent``, or none): a person must choose one first (Person, Group...),
        or it would enter the graph as a bare ``cg:Agent``. A type any other
        candidate of the article gives the same new name counts."""
        af = self._files.get(c.article) or self._seen.get(c.article) or self._seen.setdefault(
            c.article, self.load(c.article))
        out = []
        for slot, m in c.slots.items():
            if m.link is not None or m.method == "fuzzy" or (m.method == "description" and m.suggestions):
                continue
            types = {m.type} if m.type else set()
            for x in af.candidates:
                if x.status == "rejected" and x.id != c.id:
                    continue
                types |= {xm.type for xs, xm in x.slots.items()
                          if xm.link is None and xm.type and same_entity(xm, xs, m, slot)}
            if not types - set(GENERIC_TYPES) and (types or {SLOT_TYPES.get(slot, "Agent")}) <= {"Agent"}:
                out.append(slot)  # a work of no stated kind is still a cg:Work; an agent must be a person or a group
        return out

    def shown(self, c: Candidate) -> dict[str, Any]:
        """What a reviewer reads of ``c`` (see :func:`.reviewtext.shown`), with the
        number of its sentence (``sentence``, as :meth:`sentences` numbers them) and the
        sentences its quote runs over (``sentences``: "6", or "5-6" for a side quoted from
        the sentence before, see :mod:`.across`; ``None`` when the text is missing)."""
        first, last = self.sentence_span(c)
        cited = None if first is None else str(first) if first == last else f"{first}-{last}"
        return {**shown(self.current(c), self.name_of), "sentence": first, "sentences": cited}

    def sentence_of(self, c: Candidate) -> int | None:
        """The number of ``c``'s sentence, as :meth:`sentences` numbers them (1: the
        headline); ``None`` when the article's stored text is missing (the list and the
        page still show the candidate; only adding a fact needs the text)."""
        from .text import sentence_number

        if c.article not in self._numbered:
            try:
                self._numbered[c.article] = self.sentences(c.article)
            except CollabGraphError:
                self._numbered[c.article] = []
        sents = self._numbered[c.article]
        return sentence_number(sents, c.start) if sents else None

    def sentence_span(self, c: Candidate) -> tuple[int | None, int | None]:
        """The numbers of the first and the last sentence ``c``'s quote runs over (the same
        one but for a side quoted from the sentence before); ``(None, None)`` when the
        article's stored text is missing."""
        from .citing import sentence_range

        first = self.sentence_of(c)
        if first is None:
            return None, None
        return sentence_range(self._numbered[c.article], c.start, c.end)

    def sentences(self, article_id: str) -> list[tuple[str, int, int]]:
        """The article's sentences ``(sentence, start, end)`` in order: sentence
        ``n`` of :meth:`add` is ``sentences(article_id)[n - 1]``."""
        from .article import sentences

        return sentences(self.text(article_id))

    def name_of(self, iri: str) -> str:
        """An entity's name (its English label, or the first one), from the
        graph's linking index (cached on disk: no parse of the graph per call)."""
        return self._index().facts(iri).label or curie(iri)

    def _index(self):
        if self._names_index is None:
            from ..importers.linkindex import GraphIndex

            self._names_index = GraphIndex.for_graph(self.graph_dir)
        return self._names_index

    def minted_here(self, article_id: str, iri: str) -> bool:
        """Whether ``iri`` is an entity that only the article's own source file
        makes (a new name of the article, minted when one of its facts was accepted)."""
        from ..importers.decisions import DECISIONS_FILE

        return self._index().files_of(iri) - {DECISIONS_FILE} == {f"{ARTICLES_DIR}/{article_id}.ttl"}

    def _unminted(self, article_id: str, m: Mention, typ: str | None = None) -> Mention:
        """``m`` as a new name of the article when it is linked to an entity only the
        article's own accepted facts make. Linked by its minted IRI, a fact would
        name an entity that an undo of those facts removes (the list then showed a
        bare id); as a new name it is minted with the others of that name."""
        if m.link is None or not self.minted_here(article_id, m.link):
            return m
        kind = typ or self._main_type(m.link)
        return replace(m, link=None, label=self.name_of(m.link), type=None if kind == "Entity" else kind,
                       method="description" if m.method == "description" else "person")

    def _main_type(self, iri: str) -> str:
        """The most specific class the graph gives ``iri`` (a local name), or ``Entity``."""
        vocab = vocabulary()
        types = sorted(self._index().facts(iri).types, key=lambda t: (-len(vocab.superclasses.get(t, ())), t))
        return types[0] if types else "Entity"

    def names(self, text: str, *, article: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
        """Names for an autocomplete: the article's mentions containing ``text``
        (first), then the graph's entities with a name that starts with it (folded:
        case, spaces and hyphens aside; exact names first), as ``{"name", "id"
        (None for a new name), "type", "from"}``. One indexed range of the graph's
        linking index, however big the graph."""
        key = search_key(text)
        if not key:
            return []
        out: dict[tuple[str, str | None], dict[str, Any]] = {}
        if article:
            for c in self.load(article).candidates:
                for m in self.current(c).slots.values():
                    name = self.name_of(m.link) if m.link else (m.label or m.text)
                    if key in search_key(name) or key in search_key(m.text):
                        kind = self._main_type(m.link) if m.link else m.type
                        out.setdefault((search_key(name), m.link), {
                            "name": name, "id": curie(m.link) if m.link else None,
                            "type": class_label(kind) if kind else None, "from": "article"})
        found: dict[str, tuple[bool, str]] = {}
        for k, name, iri in itertools.islice(self._index().names_from(key), 500):
            exact = k == key
            if iri not in found or exact and not found[iri][0]:
                found[iri] = (exact, name)
        ranked = sorted(found, key=lambda i: (not found[i][0], len(self.name_of(i)), self.name_of(i)))
        for iri in ranked[:limit]:
            if article and self.minted_here(article, iri):
                continue  # the article's own new name, listed above as new in this article
            name = self.name_of(iri)
            out.setdefault((search_key(name), iri), {"name": name, "id": curie(iri),
                                                     "type": class_label(self._main_type(iri)), "from": "graph"})
        return list(out.values())[:limit]

    def add(self, article_id: str, sentence: int, *, agent: str | None = None, work: str | None = None,
            role: str | None = None, character: str | None = None, date: str | None = None,
            member: str | None = None, group: str | None = None, types: dict[str, str] | None = None,
            words: dict[str, str] | None = None, at: dict[str, int] | None = None,
            accept: bool = False) -> ReviewResult:
        """Add a fact the extractor missed, quoting sentence ``sentence`` (1 is
        the first, see :meth:`sentences`) of the article: a credit (``agent``,
        ``work``, ``role``, optional ``character`` and ``date``) or a membership
        (``member``, ``group``, optional ``date`` it began).

        Each side is a name, CURIE or IRI: an entity of the graph it names (after
        folding case, spaces and hyphens), or else a new entity with that name,
        which needs its type in ``types`` (slot -> class). ``words`` (slot -> words
        of the sentence, at offset ``at[slot]`` if given) are what the sentence
        writes for a side ("she", "the drama"); by default the name itself where
        the sentence writes it. ``date`` is ISO (YYYY, YYYY-MM, YYYY-MM-DD) or
        words the article's publication date resolves ("last Friday", "March 3").
        The fact is a pending candidate like any other (rule ``person``),
        accepted at once with ``accept``.

        :raises CollabGraphError: one line naming what is wrong; nothing is changed.
        """
        membership = member is not None or group is not None
        if membership and (agent is not None or work is not None or role or character):
            raise CollabGraphError("a fact is a credit (agent, work, role) or a membership (member, group), not both")
        role_id = None if membership else role_id_of(role)
        if character is not None and not search_key(character):
            character = None
        with self._locked("add"):
            af = self.load(article_id)
            sents = self.sentences(article_id)
            if not isinstance(sentence, int) or not 1 <= sentence <= len(sents):
                raise CollabGraphError(f"article {article_id} has sentences 1 to {len(sents)}, not {sentence!r} "
                                       f"(see 'collabgraph review sentences {article_id}')")
            sent, start, end = sents[sentence - 1]
            day, inferred = added_date(date, af.article.published, sent) if date and date.strip() else (None, False)
            if character is not None:
                character = written_character(sent, character)
            text = self.text(article_id)
            sides = (("member", member), ("group", group)) if membership else (("agent", agent), ("work", work))
            reader = self._graph_reader()
            # what the article writes as names: the close ones are suggested for a misspelt side
            names = {n for c in af.candidates for m in c.slots.values() if m.start >= 0 for n in (m.text, m.label) if n}
            slots = {slot: self._unminted(article_id, added_side(
                         reader, text, start, end, slot, name, (words or {}).get(slot), (at or {}).get(slot),
                         (types or {}).get(slot), here=lambda iri: self.minted_here(article_id, iri),
                         article_names=names), (types or {}).get(slot)) for slot, name in sides}
            extra = {} if membership else {"role": role_id, "character": character.strip() if character else None}
            c = Candidate.make(af.article, kind="membership" if membership else "credit", rule=ADDED_RULE,
                               sentence=sent, start=start, end=end, slots=slots, date=day, date_inferred=inferred,
                               score=1.0, by_entity=True, **extra)
            # the same words again, or a fact already accepted stated by hand (a pending one may be added:
            # the person's own reading of the sentence, to accept instead of the extractor's)
            same = next((x for x in af.candidates if x.id == c.id
                         or (x.status in ("accepted", "edited") and _same_fact(x, c))), None)
            if same is not None:
                again = f": 'collabgraph review undo {same.id[:8]}' brings it back" if same.status == "rejected" else ""
                raise CollabGraphError(f"sentence {sentence} already has this fact: candidate {same.id} "
                                       f"({same.status})" + again)
            refused = self.shape_problem(c)
            if refused:
                raise CollabGraphError(refused)
            for slot, m in slots.items():
                if not start <= m.start < m.end <= end:  # its quote would not state the fact
                    raise CollabGraphError(
                        f"{slot} {m.label or m.text!r}: sentence {sentence} does not write it ({sent!r}); give the "
                        f"words it writes for the {slot} as well: --words {slot}=WORDS (such as 'she' or 'the video')")
            af.candidates.append(c)
            af.candidates.extend(self._naming(af, text, sents, slots))
            self._files = {af.article.id: af}
            # a type given for a new side is that new entity's wherever the article names it (its proposed
            # name's card said "no type yet" after the fact made it a film)
            self._set_types(c, {slot: t for slot, t in (types or {}).items()
                                if slot in slots and slots[slot].link is None})
            if accept:
                self._decide(c, status="accepted")
            else:
                self._probe(af, c)
            result = ReviewResult(ids=[c.id], changed=[c.status], kinds=[c.kind])
            self._commit(af, result)
            return result


    @staticmethod
    def _naming(af: ArticleFile, text: str, sents: list[tuple[str, int, int]],
                slots: dict[str, Mention]) -> list[Candidate]:
        """For each side of an added fact written as words standing for a new entity ("the video" for
        Sleepwalker) that no candidate of the article proposes, the entity proposed at the sentence that
        names it, as ingest proposes a new name: the fact needs it, so accepting the fact accepts it and
        the source file quotes that sentence beside the words (none when the article writes no such name)."""
        from .text import sentence_number

        out = []
        for slot, m in slots.items():
            if not _stands_for_new(m) or any(x.kind == "entity" and "entity" in x.slots and
                                             same_entity(x.slots["entity"], "entity", m, slot) for x in af.candidates):
                continue
            # as written, case and all: "Blue" is not named by a sentence's "blue"
            named = re.search(rf"(?<!\w){re.escape(m.label or '')}(?!\w)", text)
            if named is None:
                continue
            sent, start, end = sents[sentence_number(sents, named.start()) - 1]
            entity = Mention(named.group(), named.start(), named.end(), method="new", type=m.type, label=m.label)
            out.append(Candidate.make(af.article, kind="entity", rule=ADDED_RULE, sentence=sent, start=start, end=end,
                                      slots={"entity": entity}, score=1.0, by_entity=True))
        return out

    def reopen(self, ids: Iterable[str]) -> ReviewResult:
        """Undo: candidates accepted, edited or rejected go back to pending (a
        person's choices in their edits are kept). A proposed new entity that
        accepted facts still need stays accepted: undo those first."""
        def apply(c: Candidate) -> None:
            if c.status == "pending":
                raise CollabGraphError(f"candidate {c.id} is pending: nothing to undo")
            if c.status in ("accepted", "edited"):
                needing = [x.id for x in self._needing(self._article_of(c), c) if x.id not in chosen]
                if needing:
                    raise CollabGraphError(f"candidate {c.id} ({c.slots['entity'].label or c.slots['entity'].text}) "
                                           f"is needed by the accepted candidate(s) {', '.join(needing)}: undo those "
                                           "first, or with it")
            c.status = "pending"
            c.by = []
        with self._locked("undo"):
            chosen = {self._find(i)[1].id for i in ids}
            return self._change(ids, apply)

    # -- deciding --------------------------------------------------------------------
    def accept(self, ids: Iterable[str], *, links: dict[str, str] | None = None,
               new: Iterable[str] = (), types: dict[str, str] | None = None,
               keep_going: bool = False) -> ReviewResult:
        """Accept candidates; ``links`` (slot -> entity) and ``new`` (slots) decide
        fuzzy mentions first, ``types`` (slot -> class) give new entities their
        type (the choices are kept in the candidate's edits). A proposed new
        entity that an accepted fact needs is accepted with it. With
        ``keep_going`` (a bulk accept of a selection), a candidate that cannot
        be accepted as it stands is skipped, saying why, and the others are."""
        links, new = dict(links or {}), tuple(new)
        self._check_types(types)

        def apply(c: Candidate) -> None:
            self._set_types(c, types)
            self._decide(c, links=links, new=new, status="accepted")
        with self._locked("accept"):
            ids = list(dict.fromkeys(ids))
            # accepted already, and nothing to change: said so, and not counted as accepted again
            done = [] if links or new or types else [c.id for c in map(self.get, ids) if c.status == "accepted"]
            if not keep_going:
                result = self._change([i for i in ids if self.get(i).id not in done], apply) if len(done) < len(ids) \
                    else ReviewResult(reason="every candidate given is accepted already")
                result.skipped = [(i, f"candidate {i} is already accepted") for i in done] + result.skipped
                return result
            ready, skipped = [], []
            for cid in ids:
                c = self._find(cid)[1]
                # a bulk accept takes what waits for a decision: a rejected card selected with the others stays rejected
                why = (f"candidate {c.id} is {c.status}: a bulk accept takes pending candidates only"
                       if c.status != "pending" else
                       fuzzy_message(self.current(c), self.unresolved(c)) if self.unresolved(c) else
                       untyped_message(c, self.untyped(c)) if self.untyped(c) else self.shape_problem(c))
                (skipped.append((c.id, why)) if why else ready.append(c.id))
            result = self._change_stated(ready, apply, skipped) if ready else ReviewResult(
                reason=f"none of the {len(skipped)} candidate(s) can be accepted as it stands")
            result.skipped = skipped + result.skipped
            return result

    def set_types(self, cid: str, types: dict[str, str]) -> ReviewResult:
        """Give the new entities of a candidate their type (slot -> class) and
        keep its status: a pending one stays pending (the choice is in its
        edits, and applies wherever the article names the same new entity)."""
        self._check_types(types)
        if not types:
            raise CollabGraphError("give a type: SLOT=CLASS")
        with self._locked("type"):
            return self._change([cid], lambda c: self._set_types(c, types))

    def accept_all(self, *, article: str | None = None, rule: str | None = None,
                   min_score: float | None = None, kind: str | None = None,
                   since: str | None = None) -> ReviewResult:
        """Accept every pending candidate that fits the filters (as :meth:`candidates`
        reads them: ``since`` keeps the articles ingested on or after that day, so
        ``since="today"`` is the day's queue); those a person must decide first (an
        undecided name, a new name without a type, a fact the shapes refuse) are
        left pending and listed as skipped, saying why.

        :raises CollabGraphError: an unknown kind or an unreadable day; nothing is changed.
        """
        with self._locked("accept"):
            return self._accept_all(article=article, rule=rule, min_score=min_score, kind=kind, since=since)

    def _accept_all(self, *, article: str | None, rule: str | None, min_score: float | None,
                    kind: str | None = None, since: str | None = None) -> ReviewResult:
        pending = self.candidates(article=article, status="pending", rule=rule, min_score=min_score, kind=kind,
                                  since=since)
        result = ReviewResult()
        if not pending:
            result.reason = self._why_none(article=article, rule=rule, min_score=min_score, kind=kind, since=since)
            return result
        ready = []
        for c in pending:
            open_slots = self.unresolved(c)
            untyped = self.untyped(c)
            refused = self.shape_problem(c)
            if open_slots:
                result.skipped.append((c.id, fuzzy_message(self.current(c), open_slots)))
            elif untyped:
                result.skipped.append((c.id, untyped_message(c, untyped)))
            elif refused:
                result.skipped.append((c.id, refused))
            else:
                ready.append(c.id)
        done = self._change_stated(ready, lambda c: self._decide(c, status="accepted"), result.skipped) \
            if ready else ReviewResult()
        done.skipped = result.skipped + done.skipped
        if not ready:
            done.reason = (f"each of the {len(pending)} pending candidate(s) that fit needs a person first "
                           "(a name to choose, a new name's type, or a fact the shapes refuse): see 'skipped'")
        return done

    def _why_none(self, *, article: str | None, rule: str | None, min_score: float | None,
                  kind: str | None = None, since: str | None = None) -> str:
        """Why no pending candidate fits ``accept --all``'s filters, in one line."""
        where = "".join(f" {w} {v!r}" for w, v in (("of article", article), ("of rule", rule), ("of kind", kind))
                        if v) + (f" in the articles ingested since {ingest_day(since)}" if since else "")
        pending = self.candidates(article=article, status="pending", rule=rule, kind=kind, since=since)
        if not pending:
            rules = sorted({c.rule for c in self.candidates(article=article, status="pending", since=since)})
            hint = f" (pending rules: {', '.join(rules)})" if rule and rules else ""
            return f"no pending candidate{where}{hint}"
        best = max(c.score for c in pending)
        return f"no pending candidate{where} scores >= {min_score:.2f}; the highest is {best:.2f}"

    def reject(self, ids: Iterable[str], *, cascade: bool = False) -> ReviewResult:
        """Reject candidates. A proposed new entity that accepted facts still need
        is refused (naming them), unless ``cascade``: then they are rejected too."""
        with self._locked("reject"):
            return self._reject(list(dict.fromkeys(ids)), cascade)

    def _reject(self, ids: list[str], cascade: bool) -> ReviewResult:
        found = [self._find(cid) for cid in ids]
        chosen = {c.id for _, c in found}
        extra: list[str] = []
        for af, c in found:
            needing = [x.id for x in self._needing(af, c) if x.id not in chosen]
            if not needing:
                continue
            if not cascade:
                name = c.slots["entity"].label or c.slots["entity"].text
                raise CollabGraphError(
                    f"candidate {c.id} ({name}) is needed by the accepted candidate(s) {', '.join(needing)}: "
                    f"reject those first, or add --cascade to reject them with it")
            extra += [i for i in needing if i not in extra]

        def apply(c: Candidate) -> None:
            c.status = "rejected"
            c.by = []
        return self._change(ids + extra, apply)

    def edit(self, cid: str, *, role: str | None = None, character: str | None = None, date: str | None = None,
             links: dict[str, str] | None = None, new: Iterable[str] = (),
             types: dict[str, str] | None = None) -> ReviewResult:
        """Change what a candidate says; it becomes ``edited`` (and part of the graph)."""
        if role is not None:
            role = role_id_of(role)
        if date is not None and not date.strip():
            raise CollabGraphError("--date '': give a date (YYYY, YYYY-MM, YYYY-MM-DD or words such as 'last Friday')")
        if character is not None and not search_key(character):
            raise CollabGraphError(f"character {character!r} names nothing")
        self._check_types(types)
        if not any(v is not None for v in (role, character, date)) and not (links or new or types):
            raise CollabGraphError("nothing to edit: give --role, --character, --date, --link, --new or --type")

        def apply(c: Candidate) -> None:
            if c.kind != "credit" and (role is not None or character is not None):
                raise CollabGraphError(f"candidate {c.id} is a {c.kind}: only a credit has a role or a character")
            said = written_character(c.sentence, character, f"candidate {c.id}: character") if character else None
            # a date as `review add` takes it: ISO, or words the publication date resolves (then marked
            # inferred); the quote check when it is written says whether the sentence gives it
            day, inferred = added_date(date, self._article_of(c).article.published, c.sentence) if date is not None \
                else (None, c.date_inferred)
            for name, value in (("role", role), ("character", said), ("date", day)):
                if value is not None and getattr(c, name) != value:
                    self._record(c, name, getattr(c, name), value)
                    setattr(c, name, value)
            if day is not None and c.date_inferred != inferred:
                self._record(c, "date_inferred", c.date_inferred, inferred)
                c.date_inferred = inferred  # a person gave the date: inferred only if given in words
            self._set_types(c, types)
            self._decide(c, links=dict(links or {}), new=tuple(new), status="edited")
            c.status = "edited"
        with self._locked("edit"):
            return self._change([cid], apply)

    @staticmethod
    def _check_types(types: dict[str, str] | None) -> None:
        vocab = vocabulary()
        for slot, cls in (types or {}).items():
            if cls not in vocab.superclasses or cls in GENERIC_TYPES or not (
                    {"Agent", "Work"} & vocab.superclasses[cls] or cls == "Character"):
                raise CollabGraphError(f"--type {slot}={cls}: not a class of agents, works or characters "
                                       f"(one of {', '.join(t['id'] for t in type_choices())})")

    def _set_types(self, c: Candidate, types: dict[str, str] | None) -> None:
        """Give new entities of ``c`` a type; one entity, one type: it applies
        wherever the article names the same new entity."""
        gone = self.gone(c)
        for slot, cls in (types or {}).items():
            m = self._slot(c, slot)
            if slot in gone:  # a name to choose for again: the type it takes if the person makes it new
                if m.type != cls:
                    self._record(c, f"type:{slot}", m.type, cls)
                    c.slots[slot] = replace(m, type=cls)
                continue
            if m.link is not None:
                raise CollabGraphError(f"candidate {c.id}: {slot} is the existing entity {curie(m.link)}; "
                                       "only a new entity's type can be set")
            for other in self._article_of(c).candidates:
                for oslot, om in other.slots.items():
                    if om.link is None and (other is c and oslot == slot or is_new(om)
                                            and same_entity(om, oslot, m, slot)) and om.type != cls:
                        self._record(other, f"type:{oslot}", om.type, cls)
                        other.slots[oslot] = replace(om, type=cls)

    def merge(self, article_id: str) -> ReviewResult:
        """Write the article's accepted facts again (after a manual change to its file)."""
        with self._locked("merge"), writing(self.graph_dir, "collabgraph review merge") as changes:
            af = self.load(article_id)
            return ReviewResult(files=self._merge(af, changes))

    def _locked(self, command: str):
        """The lock of ``graph/`` for the whole of a review command: what it reads
        (the candidates) cannot change before it writes."""
        self._command = command  # what an error says was being done
        return locked(self.graph_dir, f"collabgraph review {command}")

    # -- internals -------------------------------------------------------------------
    def _change_stated(self, ids: list[str], apply, skipped: list[tuple[str, str]]) -> ReviewResult:
        """:meth:`_change` for a bulk accept: a candidate whose sentence does not state its
        fact is left pending and added to ``skipped`` with why, and the others are accepted."""
        ids = list(ids)
        while True:
            try:
                return self._change(ids, apply)
            except UnstatedFact as exc:
                skipped += list(exc.reasons.items())
                ids = [i for i in ids if self.get(i).id not in exc.reasons]
                if not ids:
                    return ReviewResult(reason="none of the candidate(s) can be accepted as it stands: see 'skipped'")

    def _probe(self, af: ArticleFile, c: Candidate) -> None:
        """Refuse a fact added pending that its sentence would not state once accepted
        (what ``accept`` would say, said now); nothing is written."""
        changes = Changes(self.graph_dir, "collabgraph review add")
        was = c.status
        c.status = "accepted"
        try:
            self._merge(af, changes, checking=[c.id])
        except UnstatedFact:
            raise
        except CollabGraphError:
            pass  # the shapes, or a type to settle, have their say when it is accepted (as before)
        finally:
            c.status = was
            changes.discard()

    def _change(self, ids: Iterable[str], apply) -> ReviewResult:
        ids = list(dict.fromkeys(ids))
        if not ids:
            raise CollabGraphError("give one or more candidate ids (see 'collabgraph review list')")
        files: dict[str, ArticleFile] = {}
        result = ReviewResult()
        self._files = files
        self._seen.clear()  # what problems() read is about to change
        for cid in ids:
            af, c = self._find(cid)
            af = files.setdefault(af.article.id, af)
            c = next(x for x in af.candidates if x.id == c.id)  # the copy in the file that will be saved
            apply(c)
            result.ids.append(c.id)
            result.changed.append(c.status)
            result.kinds.append(c.kind)
        for af in files.values():
            self._commit(af, result)
        return result

    def _commit(self, af: ArticleFile, result: ReviewResult) -> None:
        """Write one article's change: its source file and its candidates, committed together."""
        result.followed += self._follow(af, skip=set(result.ids))
        try:
            with writing(self.graph_dir, "collabgraph review") as changes:
                deciding = result.ids if self._command in _DECIDING else ()
                result.files += self._merge(af, changes, checking=deciding)
                changes.write(ArticleFile.path(self.graph_dir, af.article.id), af.dumps())
        except ValidationError as exc:
            # the shapes name a fact of a file; say which candidates were being changed, and how
            mine = [i for i in result.ids if any(c.id == i for c in af.candidates)]
            doing = f"{_DOING.get(self._command, 'changing')} candidate(s) {', '.join(mine)} of article {af.article.id}"
            first = str(exc).splitlines()[0]
            users = [] if f"{ARTICLES_DIR}/{af.article.id}.ttl" in first else self._users_of(af.article.id)
            if users:
                # another article's accepted facts link an entity only this article's accepted facts make
                names = ", ".join(dict.fromkeys(f"{self.name_of(iri)} ({curie(iri)})" for _, _, iri in users))
                ids = ", ".join(dict.fromkeys(f"{cid[:8]} of article {aid}" for aid, cid, _ in users))
                them = "them" if len({iri for _, _, iri in users}) > 1 else "it"
                undo = " ".join(dict.fromkeys(cid[:8] for _, cid, _ in users))
                raise CollabGraphError(f"{doing} would take {names} out of the graph, and the accepted candidate(s) "
                                       f"{ids} link to {them}: undo those first ('collabgraph review undo {undo}'); "
                                       "nothing was changed") from None
            where = ("they would break the graph's shapes" if f"{ARTICLES_DIR}/{af.article.id}.ttl" in first
                     else "the graph does not validate")
            raise CollabGraphError(f"{doing}: {where}; nothing was changed: {first}") from None

    def _users_of(self, article_id: str) -> list[tuple[str, str, str]]:
        """``(article, candidate id, IRI)`` of other articles' accepted or edited candidates
        linked to an entity that only ``article_id``'s source file says what it is."""
        from ..importers.linkindex import GraphIndex

        without = GraphIndex.for_graph(self.graph_dir)
        without.forget(f"{ARTICLES_DIR}/{article_id}.ttl")
        out = []
        for aid in self.article_ids():
            if aid == article_id:
                continue
            for x in self.load(aid).candidates:
                if x.status in ("accepted", "edited"):
                    out += [(aid, x.id, m.link) for m in x.slots.values()
                            if m.link and self.exists(m.link) and not _defines(without, m.link)]
        return out

    def _decide(self, c: Candidate, *, links: dict[str, str] | None = None, new: tuple[str, ...] = (),
                status: str) -> None:
        """Apply a person's choices for slots, then refuse if a fuzzy mention is still undecided."""
        given = dict(links or {})
        for slot in new:
            if slot in given:
                raise CollabGraphError(f"{slot}: give --link or --new for it, not both")
        # a name the person settled for the whole article, where this call says nothing else of the slot
        settled = {slot: curie(iri) for slot, iri in self.settled(c).items() if slot not in given and slot not in new}
        for slot, target in {**settled, **given}.items():
            m = self._slot(c, slot)
            iri = self._entity(target)
            if m.link != iri:
                # words that describe ("the music video") stay a description: linked, never a name of it
                linked = self._unminted(c.article, replace(
                    m, link=iri, method="description" if m.method == "description" else "person"))
                self._record(c, f"link:{slot}", m.link or m.method, linked.link or "new")
                c.slots[slot] = linked
        for slot in new:
            m = self._slot(c, slot)
            self._record(c, f"link:{slot}", m.link or m.method, "new")
            c.slots[slot] = replace(m, link=None, method="new", label=m.label or m.text)
        open_slots = self.unresolved(c)
        if open_slots:
            raise CollabGraphError(fuzzy_message(self.current(c), open_slots))
        untyped = self.untyped(c)
        if untyped:
            raise CollabGraphError(untyped_message(c, untyped))
        if c.kind == "credit" and c.character and find_words(c.sentence, [c.character], 0) is None:
            # a fact's quote must say it: a character the sentence does not write is not the source's
            written_character(c.sentence, c.character, f"candidate {c.id}: character")
        refused = self.shape_problem(c)
        if refused:
            raise CollabGraphError(refused + "; link it to another entity with --link, or reject it")
        # Choosing what a fuzzy mention is answers the question the candidate asked:
        # accepting it that way is still accepting (the choice is in its edits).
        c.status = status

    def shape_problem(self, c: Candidate) -> str | None:
        """Why the graph's shapes would refuse ``c`` as it stands (a one-line
        message naming it), or ``None``."""
        from ..views.entities import describe
        from .article import shape_problem

        reader = self._graph_reader()
        return shape_problem(c, lambda iri: tuple(t.split(":", 1)[-1] for t in describe(reader, iri).types))


    def _article_of(self, c: Candidate) -> ArticleFile:
        """The file (being changed) that holds ``c``."""
        return self._files[c.article]

    @staticmethod
    def _needing(af: ArticleFile, c: Candidate) -> list[Candidate]:
        """The accepted or edited facts of ``af`` that need the new entity that ``c`` proposes: named
        by it, or written as words standing for it ("the video" for the new Night Bus), whose quote
        then needs the sentence naming it (``c``'s) for a reader to see what the words stand for."""
        if c.kind != "entity" or "entity" not in c.slots or c.slots["entity"].link is not None:
            return []
        m = c.slots["entity"]
        return [x for x in af.candidates if x.kind != "entity" and x.status in ("accepted", "edited")
                and any((is_new(xm) or _stands_for_new(xm)) and same_entity(xm, slot, m, "entity")
                        for slot, xm in x.slots.items())]

    def _follow(self, af: ArticleFile, skip: set[str]) -> list[tuple[str, str, str, list[str]]]:
        """Proposed new entities follow the facts that need them: accepted (``by``
        those facts) when an accepted fact needs one, back to pending when none
        does any more. One a person decided on (``skip``, or no ``by``) is left alone."""
        out = []
        for c in af.candidates:
            if c.kind != "entity" or c.id in skip or "entity" not in c.slots:
                continue
            needing = [x.id for x in self._needing(af, c)]
            m = c.slots["entity"]
            if c.status == "pending" and needing:
                if m.method == "fuzzy":  # the fact chose: a new entity, not the close one
                    self._record(c, "link:entity", "fuzzy", "new")
                    c.slots["entity"] = replace(m, method="new")
                c.status, c.by = "accepted", needing
            elif c.status == "accepted" and c.by and c.by != needing:
                c.by = needing
                if not needing:
                    c.status = "pending"
            else:
                continue
            out.append((c.id, c.status, m.label or m.text, needing))
        return out

    def problems(self, c: Candidate) -> list[str]:
        """What a person must settle before ``c`` can be accepted as it is: a new
        entity the article's candidates give different kinds of type."""
        af = self._seen.get(c.article) or self._seen.setdefault(c.article, self.load(c.article))
        out = []
        for slot, m in c.slots.items():
            if not is_new(m):
                continue
            seen: dict[str, tuple[str, str]] = {}
            for x in af.candidates:
                if x.status == "rejected":
                    continue
                for xs, xm in x.slots.items():
                    if is_new(xm) and xm.type and same_entity(xm, xs, m, slot):
                        seen.setdefault(xm.type, (x.id, xs))
            if len(seen) > 1 and most_specific(seen, vocabulary()) is None:
                out.append(type_conflict(m.label or m.text, seen))
        return out

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
            from ..importers.linking import Linker

            self._reader = Linker.for_graph(self.graph_dir, self.ontology_dir).reader
        return self._reader

    def _entity(self, target: str) -> str:
        """An existing entity of the graph's sources by name, alias, CURIE or IRI."""
        from ..views.entities import resolve

        return resolve(self._graph_reader(), target).iri

    def _merge(self, af: ArticleFile, changes: Changes, *, checking: Iterable[str] = ()) -> list[str]:
        """Stage ``articles/<id>.ttl`` (or its removal) from the accepted and edited
        candidates into ``changes``, and validate the graph as they leave it.

        :param checking: ids of the candidates being accepted, added or edited: the
            facts they become must be stated by their quotes (the check of
            ``validate --strict``, :func:`collabgraph.store.quotes.unstated_sides`).
        :raises UnstatedFact: one of them is not, naming it and what its sentence does not say.
        """
        from ..importers.importing import stage_import

        kept = [c for c in af.candidates if c.status in ("accepted", "edited")]
        target = self.folder / f"{af.article.id}.ttl"
        if not kept:
            return self._remove(target, changes)
        text = self.text(af.article.id)
        batch = article_batch(af.article, kept, text, self._graph_reader(), self.folder)
        forced_new = [m.label or m.text for c in kept for s, m in c.slots.items()
                      if m.link is None and (m.method == "person" or c.edits.get(f"link:{s}", {}).get("to") == "new")]
        report = stage_import([batch], self.graph_dir, changes, ontology_dir=self.ontology_dir, new=forced_new,
                              command="collabgraph review", under=ARTICLES_DIR)
        reasons = self._unsaid(kept, text, report.unstated, target, set(checking)) if checking else {}
        if reasons:
            raise UnstatedFact(reasons)
        return [w.path for w in report.files if w.status != "unchanged"]

    def _unsaid(self, kept: list[Candidate], text: str, unstated: list, target: Path,
                checking: set[str]) -> dict[str, str]:
        """Candidate id -> why, for the candidates of ``checking`` whose facts in the staged
        ``target`` the quote checker found not stated by their quotes."""
        from ..build.sources import graph_iri

        graph = graph_iri(self.graph_dir, target)
        out: dict[str, str] = {}
        for u in unstated:
            if u.graph != graph or u.kind == "attestation":  # an attestation follows its facts
                continue
            # of the candidates quoting the same words, first one with a side its quote does not reach: two
            # facts of new names in one sentence ("A (W1) has been cast as ...") are told apart that way
            for c in sorted(kept, key=lambda c: all(c.quotes(m) for k, m in c.slots.items() if k in _SIDES)):
                if c.id in out or c.id not in checking or c.kind != u.kind or quote_of(c, text) != u.quote:
                    continue
                if any(m.link and m.link not in u.sides for slot, m in c.slots.items() if slot in _SIDES):
                    continue  # another fact of the same sentence
                out[c.id] = self._unsaid_message(c, u)
                break
        return out

    def _unsaid_message(self, c: Candidate, u: Any) -> str:
        """One line: the candidate, its sentence, and what the sentence does not say."""
        sides = [slot for slot in c.slots if slot in _SIDES]
        what = []
        for x in u.missing:
            if x == "date":
                what.append(f"the date {c.date}")
            elif x == "value":
                what.append(f"the value {c.value}")
            else:
                unlinked = [s for s in sides if c.slots[s].link is None]
                # a new side: the one the quote does not reach, if one does not ("actor on Hollowmere", named
                # two paragraphs before), else the first
                slot = next((s for s in sides if c.slots[s].link == x), None) or next(
                    (s for s in unlinked if not c.quotes(c.slots[s])), None) \
                    or next(iter(unlinked), sides[0] if sides else "entity")
                m = c.slots.get(slot)
                what.append(f"the {slot} {(m.label or m.text) if m else self.name_of(x)!r}")
        quote = u.quote if len(u.quote) <= 80 else u.quote[:79] + "…"
        hint = (" (give the date as the sentence writes it: words such as 'on Friday' are resolved from the "
                "publication date; or no date)") if "date" in u.missing else ""
        first, last = self.sentence_span(c)
        where = f"sentence {first}" if first == last else f"sentences {first}-{last}"
        return (f"candidate {c.id}: {where} does not state {' or '.join(what)} "
                f"({quote!r}){hint}: a fact's quote must say it")

    def _remove(self, target: Path, changes: Changes) -> list[str]:
        """No accepted fact left: the article's source file goes, if the graph holds without it."""
        from ..build.pipeline import validate

        if not target.exists():
            return []
        changes.remove(target)
        validate(self.graph_dir, self.ontology_dir, overlay=changes.overlay)
        return [target.relative_to(self.graph_dir).as_posix()]


def _defines(index, iri: str) -> bool:
    """Whether the graph of ``index`` says what ``iri`` is: a type or a label."""
    facts = index.facts(iri)
    return bool(facts.types or facts.labels)


#: The review commands that decide a fact: what they accept, add or edit must be stated by its quote.
_DECIDING = ("accept", "edit", "add")

#: The slots that are a fact's sides (the quote checker's sides).
_SIDES = ("agent", "work", "member", "group", "about")

#: What a review command does, as its errors say it.
_DOING = {"accept": "accepting", "undo": "undoing", "reject": "rejecting", "edit": "editing", "add": "adding",
          "type": "giving a type to"}


def _same_fact(x: Candidate, c: Candidate) -> bool:
    """Whether ``x`` states the fact ``c`` adds: the same sentence, kind, role,
    character and date, and each side the same entity (both linked to it, or both
    the same new name of the same kind). Words and rule do not matter."""
    if (x.start, x.end, x.kind, x.role, x.character, x.date) != (c.start, c.end, c.kind, c.role, c.character, c.date):
        return False
    for slot, m in c.slots.items():
        o = x.slots.get(slot)
        if o is None:
            return False
        if m.link or o.link:
            if m.link != o.link:
                return False
        elif not same_entity(m, slot, o, slot):
            return False
    return True



def _stands_for_new(m: Mention) -> bool:
    """Words standing for a new entity the article names elsewhere ("the video" for the new Night
    Bus), not for a close name a person has still to choose."""
    return m.link is None and m.method == "description" and bool(m.label) and not m.suggestions
