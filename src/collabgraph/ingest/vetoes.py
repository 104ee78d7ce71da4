"""What the rules decided, held against every other reader's candidates.

The rule extractors (the pattern rules, the parse reader, the credit blocks)
decide about the pairs of names of a sentence in two ways: by proposing a
candidate (with their rule's name, the explanation a reviewer reads), and by
refusing one for a reason (a negation or a denial, a list that ends, a group
named only to say whose member someone is). Another reader (the learned
reader, or any extractor plugged in later) proposes from the same sentences,
and must not contradict them. :func:`held_to_the_rules` keeps of its
candidates only those every check below lets through, the same checks the
rules apply:

* **a pair the rules read** (the same two names in the same sentence, in
  either order, as any kind of fact) is theirs: their candidate and its
  explanation stand, the other reader adds nothing about it;
* **negation and denial**: a "not", "never", "denied", "turned down" on the
  predicate that joins the two names (the parse reader's own test, on every
  verb of the dependency path between them and the ones they hang from), or in
  the clause around them (the pattern rules' own test) gives no candidate;
* **hedges**: "is rumoured to", "reportedly", "may", "plans to" the same way
  give a candidate marked ``+hedged`` and scored below the threshold, as the
  rules mark theirs;
* **a group that qualifies a name** ("NOVA's Vee", "Vee of NOVA") says whose
  member that one name is, which the rules read; it is no one else's group;
* **a group whose members the rules listed** in a sentence ("The members are
  A, B and C"): the list, where the rules ended it, is the sentence's whole
  word on its members; and **a member the rules placed** in a group in a
  sentence ("NOVA9's Jay Min") is in no other group there;
* **a description as the group** ("composed the song for the group"): the
  rules read a membership through "the group" only in their own
  constructions ("The group was formed by leader A"); another reader's
  membership needs the group's name;
* **one entity on both sides** (a description standing for the name beside
  it): no fact.

And one check on every reader's candidates, the rules' too (:func:`vague_roles`):

* **a vague role**: "appears in", "made an appearance", "pops up" in a film,
  a drama, a show say that someone is seen in it, not how (cast, cameo, a
  show's guest); such a credit is proposed at :data:`~.candidates.WEAK_SCORE`,
  below the threshold, marked ``+vague``, for a person to settle; so is a
  part played in a video ("appears in the video as a clown": a cameo or an
  appearance). Seen in a music video, the appearance is the credit itself.

>>> held_to_the_rules("", [], [], [], []) == []
True
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .candidates import HEDGE_FACTOR, WEAK_SCORE, Article, Candidate, Mention
from .patterns import HEDGED, NEGATED
from .readerverbs import VerbRules
from .spacyparse import Parsed, parse_sentences
from .spans import identity, qualifies_person

__all__ = ["held_to_the_rules", "tokens_of", "head_of", "path_between", "weakened", "vague_roles",
           "VAGUE_ROLES"]



def tokens_of(p: Parsed, ss: int, m: Mention) -> list[Any]:
    """The parse's tokens of mention ``m`` in the sentence starting at ``ss``."""
    return [t for t in p.doc if ss + p.start(t) < m.end and m.start < ss + p.end(t)]


def head_of(toks: list[Any]) -> Any | None:
    """The token of a mention whose head lies outside it (the last such one)."""
    inside = {t.i for t in toks}
    heads = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
    return (heads or toks)[-1] if toks else None


def _ancestors(t: Any) -> list[Any]:
    out = [t]
    while out[-1].head.i != out[-1].i and len(out) < 40:
        out.append(out[-1].head)
    return out


def path_between(a: Any, b: Any) -> tuple[list[Any], list[Any], Any]:
    """The tokens from ``a`` up to the lowest common ancestor and from ``b`` up to it."""
    up_a, up_b = _ancestors(a), _ancestors(b)
    ids_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in ids_b:
            return up_a[:k], up_b[:ids_b[t.i]], t
    return up_a, up_b, up_a[-1]


class _Clause(VerbRules):
    """The parse reader's polarity test (``_blocked``) on one parsed sentence, nothing else of the reader."""

    def __init__(self, doc: Any, sent: str):  # (no article to read: only the sentence's parse)
        self.doc, self.sent = doc, sent

    def polarity(self, a: Any, b: Any) -> tuple[bool, bool]:
        """(negated, hedged) for the predicate joining tokens ``a`` and ``b``: every verb on the
        dependency path between them, and the verb the path meets at or above their common ancestor."""
        up_a, up_b, lca = path_between(a, b)
        top = lca
        while top.pos_ not in ("VERB", "AUX") and top.head.i != top.i:
            top = top.head
        verbs = [t for t in up_a + up_b + [lca, top] if t.pos_ in ("VERB", "AUX")]
        neg = hedge = False
        for v in {t.i: t for t in verbs}.values():
            n, h = self._blocked(v)
            neg, hedge = neg or n, hedge or h
        return neg, hedge


def _clause_words(sent: str, ss: int, a: Mention, b: Mention, ms: list[Mention]) -> str:
    """The words of the clause around the pair (up to a comma or a semicolon on either side, as
    the pattern rules cut theirs), every name blanked out: a title's words are no negation."""
    chars = list(sent)
    for m in ms:
        for k in range(max(0, m.start - ss), min(len(chars), m.end - ss)):
            chars[k] = "_"
    masked = "".join(chars)
    lo, hi = min(a.start, b.start) - ss, max(a.end, b.end) - ss
    left = max(masked.rfind(", ", 0, lo), masked.rfind("; ", 0, lo))
    right = [k for k in (masked.find(", ", hi), masked.find("; ", hi)) if k >= 0]
    return masked[left + 1 if left >= 0 else 0:min(right) if right else len(masked)]


def _sides(c: Candidate) -> tuple[Mention, Mention] | None:
    if c.kind == "credit":
        return c.slots["agent"], c.slots["work"]
    if c.kind == "membership":
        return c.slots["member"], c.slots["group"]
    return None


def _pair(a: Mention, b: Mention) -> frozenset[str]:
    return frozenset((identity(a), identity(b)))


def held_to_the_rules(text: str, sents: list[tuple[str, int, int]], mentions: list[Mention],
                      rules: list[Candidate], others: list[Candidate],
                      article: Article | None = None) -> list[Candidate]:
    """The candidates ``others`` (of readers other than the rules) that contradict nothing the
    rules decided (see the module), a hedged one marked ``+hedged`` with its score lowered.

    :param rules: the rule extractors' candidates of the same article, as they proposed them.
    :param article: the article, to make a hedged candidate's new id (default: a candidate's own)."""
    if not others:
        return []
    read: set[tuple[int, frozenset[str]]] = set()
    spans: set[tuple[int, frozenset[tuple[int, int]]]] = set()
    listed: dict[tuple[int, str], set[str]] = {}
    placed: dict[tuple[int, str], set[str]] = {}
    for c in rules:
        sides = _sides(c)
        if sides is None:
            continue
        read.add((c.start, _pair(*sides)))
        spans.add((c.start, frozenset((m.start, m.end) for m in sides)))
        if c.kind == "membership":
            listed.setdefault((c.start, identity(sides[1])), set()).add(identity(sides[0]))
            placed.setdefault((c.start, identity(sides[0])), set()).add(identity(sides[1]))
    by_start = {ss: k for k, (_, ss, _) in enumerate(sents)}
    parsed: list[Parsed] | None = None
    out = []
    for c in others:
        sides = _sides(c)
        if sides is None:
            out.append(c)
            continue
        a, b = sides
        if identity(a) == identity(b) or (c.start, _pair(a, b)) in read \
                or (c.start, frozenset(((a.start, a.end), (b.start, b.end)))) in spans:
            continue  # one entity twice, or a pair the rules read: theirs
        if c.kind == "membership":
            if qualifies_person(text, b, mentions):
                continue  # "NOVA's Vee": the group says whose member Vee is, and only that
            members = listed.get((c.start, identity(b)))
            if members is not None and identity(a) not in members:
                continue  # the rules listed this group's members here, and ended the list before this name
            groups = placed.get((c.start, identity(a)))
            if groups is not None and identity(b) not in groups:
                continue  # "NOVA9's Jay Min ... for the group": the rules said whose member this one is here
            if b.method == "description":
                continue  # "composed it for the group": a description is a group only in what the rules read
        k = by_start.get(c.start)
        if k is None:  # a quote of another extent: the sentence both names stand in
            k = next((i for i, (_, ss, se) in enumerate(sents) if ss <= min(a.start, b.start)
                      and max(a.end, b.end) <= se), None)
        if k is None:
            continue  # two names in no one sentence: nothing the rules could have read, nothing to check it by
        sent, ss, se = sents[k]
        ms = [m for m in mentions if ss <= m.start and m.end <= se]
        words = _clause_words(sent, ss, a, b, ms + [a, b])
        neg, hedge = bool(NEGATED.search(words)), bool(HEDGED.search(words))
        if not neg:
            if parsed is None:
                parsed = parse_sentences(sents, mentions)
            p = parsed[k]
            ha, hb = head_of(tokens_of(p, ss, a)), head_of(tokens_of(p, ss, b))
            if ha is not None and hb is not None and ha.i != hb.i:
                n, h = _Clause(p.doc, sent).polarity(ha, hb)
                neg, hedge = neg or n, hedge or h
        if neg:
            continue
        if hedge and not c.rule.endswith("+hedged"):
            score = round(min(c.score, 1.0) * HEDGE_FACTOR, 3)
            if article is not None:
                c = Candidate.make(article, kind=c.kind, rule=c.rule + "+hedged", sentence=c.sentence, start=c.start,
                                   end=c.end, slots=c.slots, role=c.role, character=c.character, date=c.date,
                                   date_inferred=c.date_inferred, property=c.property, value=c.value, score=score)
            else:
                c = replace(c, rule=c.rule + "+hedged", score=score)
        out.append(c)
    return out


#: Roles that say only that someone is seen in a work, not in what capacity (see the module).
VAGUE_ROLES = frozenset({"appearance"})


def weakened(article: Article | None, c: Candidate, flag: str, score: float = WEAK_SCORE) -> Candidate:
    """``c`` proposed at most at ``score`` with ``+flag`` on its rule (a new id: another reading of the
    same words), or ``c`` itself when it is that low already or carries the flag.

    >>> from collabgraph.ingest.candidates import Article, Mention
    >>> a = Article("a", "0")
    >>> c = Candidate.make(a, kind="credit", rule="parse-appear", sentence="A appears in W.", start=0, end=15,
    ...                    slots={"agent": Mention("A", 0, 1), "work": Mention("W", 13, 14)}, role="appearance",
    ...                    score=0.7)
    >>> w = weakened(a, c, "vague")
    >>> w.rule, w.score, w.id != c.id
    ('parse-appear+vague', 0.45, True)
    """
    if c.score <= score or flag in c.rule.split("+")[1:]:
        return c
    if article is None:
        return replace(c, rule=f"{c.rule}+{flag}", score=score)
    return Candidate.make(article, kind=c.kind, rule=f"{c.rule}+{flag}", sentence=c.sentence, start=c.start,
                          end=c.end, slots=c.slots, role=c.role, character=c.character, date=c.date,
                          date_inferred=c.date_inferred, property=c.property, value=c.value, score=score)


def vague_roles(article: Article | None, candidates: list[Candidate], known: Any = None) -> list[Candidate]:
    """The candidates, each credit of a :data:`VAGUE_ROLES` role on a work that is no video, or as a part
    (a character), proposed below the threshold (``+vague``): the reader saw someone appear in a film, a
    drama, a show, and the sentence alone does not say how ("appeared on Running Man": a guest; "will
    appear as Park Jin in the drama": a cast member; "pops up as a ramen vendor": a cameo), and a part
    played in a video is a cameo to one reader, an appearance to another ("appears in the video as a
    hospital clown"). Seen in a music video ("V appears in the video") the appearance is the credit,
    and stays.

    :param known: the graph's names (the types of a known work); ``None``: the mentions' own types only."""
    return [weakened(article, c, "vague") if c.kind == "credit" and c.role in VAGUE_ROLES
            and (c.character or not _seen_in_a_video(c.slots["work"], known)) else c for c in candidates]


#: Kinds of work in which being seen is itself the credit: a music video, a clip, a song's video, a post.
_VIDEO_KINDS = {"MusicVideo", "Video", "SocialMediaPost", "Song", "Single", "Recording", "Release"}
_VIDEO_WORDS = re.compile(r"\b(?:video|clip|MV|M/V|teaser|vlog|post)s?\b", re.I)


def _seen_in_a_video(w: Mention, known: Any) -> bool:
    """Whether ``w`` is a music video or a song's video (its type, the graph's types of what it names, or a
    description's noun: "the video", "its music video"): there an appearance is the fact itself ("V
    appears in the video"); in a film, a drama, a show or an album the verb does not say how."""
    iris = [w.link] if w.link else [x[0] for x in w.suggestions]
    types = {w.type} | ({t for iri in iris for t in known.types(iri)} if known is not None else set())
    return bool(types & _VIDEO_KINDS) or (w.method == "description" and bool(_VIDEO_WORDS.search(w.text)))
