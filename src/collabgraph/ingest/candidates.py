"""Candidate facts proposed from an article, waiting for a person's word.

``collabgraph ingest`` writes an :class:`Article` and its :class:`Candidate`
list; ``collabgraph review`` changes their status; accepted (or edited)
candidates become the article's source file. Nothing here is in the graph
until a person accepts it.

Storage, inside the graph directory but never read by the build (which reads
RDF files only)::

    graph/articles/<article id>.json    the article record and its candidates (this module)
    graph/articles/<article id>.txt     the article's text as ingested (its SHA-256 is recorded)
    graph/articles/<article id>.ttl     the accepted facts (written by the merge, an RDF source)

A candidate's id is a digest of where it is and what words it rests on
(article, kind, rule, sentence offsets, each mention's slot, offsets and
words, role, character, property, value), never of what a mention is linked
to: once an accepted new entity is in the graph, the same words link to it,
and the same article ingested again still proposes the same ids, so a
candidate already reviewed keeps its status and a rejected one does not come
back.

>>> a = Article("my-article", text_sha256="ab" * 32, title="A title")
>>> m = Mention("IU", 0, 2, link="https://w3id.org/collabgraph/id/iu", method="alias")
>>> c = Candidate.make(a, kind="credit", rule="starred-in", sentence="IU starred in X.", start=0, end=16,
...                   slots={"agent": m, "work": Mention("X", 14, 15, method="new", type="TVSeries")}, role="actor")
>>> c.status, len(c.id)
('pending', 16)
>>> Candidate.from_dict(c.to_dict()) == c
True
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Mention", "Candidate", "Article", "ArticleFile", "STATUSES", "ARTICLES_DIR", "MAX_QUOTE", "HEDGE_FACTOR",
           "WEAK_SCORE"]

#: Where articles, their text, candidates and accepted facts live inside the graph directory.
ARTICLES_DIR = "articles"
#: Longest quote the contract allows (shapes.ttl: cg:quote is 2 to 300 characters).
MAX_QUOTE = 300
STATUSES = ("pending", "accepted", "edited", "rejected")
#: A hedged candidate's score ("is rumoured to", "reportedly") is its reading's score times this, which puts
#: it below the review threshold: proposed, marked ``+hedged``, never accepted by ``accept --all``. Every
#: reader uses it (the pattern rules, the parse reader, and other readers held to the rules' vetoes).
HEDGE_FACTOR = 0.4
#: A candidate whose reading rests on weak evidence (a verb that says only that someone is seen in a work, a
#: side carried from another section of the article) is proposed at most at this score: below the review
#: threshold, shown as a proposal a person settles, never accepted by ``accept --all``; its rule carries a
#: ``+`` flag that says why (``+vague``, ``+far``).
WEAK_SCORE = 0.45
#: How a mention was linked: a name or alias as written, a name equal after folding
#: (case, spaces, hyphens), a fuzzy suggestion (with a score; never linked without
#: a person), a new entity, a person's choice, or a description ("the group",
#: "the song") standing for the one entity of a fitting type named just before it
#: (it takes that mention's link, or its suggestions when that one is not linked).
METHODS = ("alias", "normalised", "fuzzy", "new", "person", "description")


@dataclass(frozen=True)
class Mention:
    """Words of the article that name an entity: ``text`` is ``stored_text[start:end]``.

    ``link`` is an existing entity's IRI, or ``None`` for a proposed new entity
    (then ``type`` is the class it would get, ``label`` its proposed name).
    ``suggestions`` are close existing entities ``(iri, label, score)`` for a person."""

    text: str
    start: int
    end: int
    link: str | None = None
    method: str = "new"
    score: float | None = None
    type: str | None = None
    label: str | None = None
    suggestions: tuple[tuple[str, str, float], ...] = ()

    @property
    def proposed(self) -> str | None:
        """The one known entity these words name exactly, proposed rather than
        linked because nothing else in the article backs it (a name alone is
        thin evidence): a person confirms it in review. ``None`` otherwise."""
        if self.link is None and self.method in ("fuzzy", "description") and len(self.suggestions) == 1 \
                and self.suggestions[0][2] >= 100:
            return self.suggestions[0][0]
        return None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["suggestions"] = [list(s) for s in self.suggestions]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Mention":
        return cls(**{**d, "suggestions": tuple(tuple(s) for s in d.get("suggestions", ()))})


@dataclass
class Candidate:
    """One proposed fact: ``kind`` is ``credit`` (slots agent, work; ``role``,
    ``character``, ``date``), ``membership`` (member, group; ``date`` = start),
    ``claim`` (about; ``property``, ``value``) or ``entity`` (a proposed new
    entity: slot entity). ``sentence`` is the exact quote, at
    ``stored_text[start:end]``; ``rule`` names the rule or model that proposed
    it; ``score`` is its confidence (0-1). ``date_inferred`` marks a date
    completed from the article's publication date ("on March 3")."""

    id: str
    article: str
    kind: str
    rule: str
    sentence: str
    start: int
    end: int
    slots: dict[str, Mention]
    role: str | None = None
    character: str | None = None
    date: str | None = None
    date_inferred: bool = False
    property: str | None = None
    value: str | None = None
    score: float = 0.5
    status: str = "pending"
    edits: dict[str, Any] = field(default_factory=dict)
    #: For a proposed new entity accepted because accepted facts need it: their ids.
    by: list[str] = field(default_factory=list)

    @classmethod
    def make(cls, article: "Article", *, kind: str, rule: str, sentence: str, start: int, end: int,
             slots: dict[str, Mention], by_entity: bool = False, **fields: Any) -> "Candidate":
        """A new pending candidate with its deterministic id.

        ``by_entity``: the id depends on what each slot stands for too (its link, or
        its new name and type), not only on its words: a fact a person adds names
        its sides, and "the video" as Night Bus is another fact than "the video" as
        a new single of that name."""
        parts: list[Any] = [article.id, article.text_sha256, kind, rule, start, end,
                            sorted((k, m.start, m.end, m.text) for k, m in slots.items()),
                            fields.get("role"), fields.get("property"), fields.get("value"), fields.get("character")]
        if by_entity:
            parts.append(sorted((k, m.link, m.label, m.type) for k, m in slots.items()))
        key = json.dumps(parts, ensure_ascii=False)
        cid = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        return cls(cid, article.id, kind, rule, sentence, start, end, dict(slots), **fields)

    def quotes(self, m: Mention) -> bool:
        """Whether the candidate's quote holds the words of ``m`` (a side carried from another
        sentence may lie outside it)."""
        return self.start <= m.start and m.end <= self.end

    def site(self) -> tuple:
        """Where and how it was read: the same words of the same sentence, by the same rule, as
        the same kind of fact (what each side stands for, and a character or date, left out)."""
        return (self.kind, self.rule, self.start, self.end, self.role, self.property,
                tuple(sorted((k, m.start, m.end) for k, m in self.slots.items())))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["slots"] = {k: m.to_dict() for k, m in self.slots.items()}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Candidate":
        return cls(**{**d, "slots": {k: Mention.from_dict(m) for k, m in d["slots"].items()}})


@dataclass
class Article:
    """An ingested article: where it came from and where its text is kept."""

    id: str
    text_sha256: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    original: str | None = None      # the file ingested (path as given)
    html: bool = False               # the original was HTML, reduced to text
    language: str = "en"             # the language of its text: the tag of the names it gives
    ingested: str | None = None      # when it was last ingested (ISO 8601, UTC): a day's queue

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ArticleFile:
    """``graph/articles/<id>.json``: an article and its candidates, read and written whole."""

    article: Article
    candidates: list[Candidate]
    #: The numbers of the sentences that name two or more entities, one of them in no fact read from the
    #: sentence, when the article was last ingested (:func:`~collabgraph.ingest.article.unread_sentences`):
    #: where a person looks for a fact the readers missed.
    unread: list[int] = field(default_factory=list)

    @staticmethod
    def path(graph_dir: str | Path, article_id: str) -> Path:
        return Path(graph_dir) / ARTICLES_DIR / f"{article_id}.json"

    @classmethod
    def load(cls, path: str | Path) -> "ArticleFile":
        data = json.loads(Path(path).read_text("utf-8"))
        return cls(Article(**data["article"]), [Candidate.from_dict(c) for c in data["candidates"]],
                   list(data.get("unread", [])))

    def dumps(self) -> str:
        """The file's text (what :meth:`save` writes)."""
        data: dict[str, Any] = {"article": self.article.to_dict(), "candidates": [c.to_dict() for c in self.candidates]}
        if self.unread:
            data["unread"] = self.unread
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    def save(self, path: str | Path) -> None:
        """Write atomically (a reader never sees half a file). The writers of
        ``graph/`` stage it with the rest of their change instead (see
        :mod:`collabgraph.core.durable`)."""
        from ..core.durable import write_atomic

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, self.dumps())

    def merge_proposals(self, proposed: list[Candidate]) -> tuple[int, int]:
        """Add newly proposed candidates, keeping every reviewed one as it is
        (a rejected candidate is never proposed again). Returns (added, kept)."""
        known = {c.id for c in self.candidates}
        # A person's decision on a reading of a sentence stands when the same words are read again and come out
        # a little different (what "it" stands for is now in the graph, a character not read this time): the
        # same words of the same sentence, by the same rule, as the same kind of fact, are not a new candidate.
        decided = {c.site() for c in self.candidates if c.status != "pending"}
        fresh = [c for c in proposed if c.id not in known and c.site() not in decided]
        self.candidates.extend(fresh)
        return len(fresh), len(proposed) - len(fresh)
