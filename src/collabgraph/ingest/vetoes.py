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
* **a work the rules gave a performer** in a sentence ("sung by NOVA’s Vee",
  "Enhypen’s “Outside,”") has no other performer there from another reader
  (the group that qualifies Vee, the owner of the next title in a list);
* **one entity on both sides** (a description standing for the name beside
  it): no fact.

And one check on every reader's candidates, the rules' too (:func:`vague_roles`):

* **a vague role**: "appears in", "made an appearance", "pops up" in a film,
  a drama, a show say that someone is seen in it, not how (cast, cameo, a
  show's guest); such a credit is proposed at :data:`~.candidates.WEAK_SCORE`,
  below the threshold, marked ``+vague``, for a person to settle; so is a
  part played in a video ("appears in the video as a clown": a cameo or an
  appearance). Seen in a music video, the appearance is the credit itself. A
  "featured" actor is vague too ("the video featured actor A": seen, not singing).

And on every reader's candidates, what the words around a name say it is not
(:func:`qualifiers` and :func:`other_events`):

* **a name that qualifies a person** is not the agent: "Good Posture director
  Dolly Wells" (the film she directed), "Freestyle Town’s leader ... Sool J" (his
  group);
* **a date of another event**: "before their August 26 concert", "in an episode
  set to air on Dec. 3" date the concert and the episode, not the work: the credit
  stands without it, a release-date claim on it goes;
* **a release still to come**: "to be officially released on Jan. 17" in a December
  article is next January, as "will release on" is.

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
from .spans import DATE_RE, FUTURE, identity, qualifies_person

__all__ = ["held_to_the_rules", "tokens_of", "head_of", "path_between", "weakened", "vague_roles",
           "VAGUE_ROLES", "qualifiers", "other_events"]



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
    performed: dict[tuple[int, str], set[str]] = {}
    for c in rules:
        sides = _sides(c)
        if sides is None:
            continue
        read.add((c.start, _pair(*sides)))
        spans.add((c.start, frozenset((m.start, m.end) for m in sides)))
        if c.kind == "membership":
            listed.setdefault((c.start, identity(sides[1])), set()).add(identity(sides[0]))
            placed.setdefault((c.start, identity(sides[0])), set()).add(identity(sides[1]))
        elif c.role == "performer" and not c.rule.endswith("+hedged"):
            performed.setdefault((c.start, identity(sides[1])), set()).add(identity(sides[0]))
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
        elif c.role == "performer":
            whose = performed.get((c.start, identity(b)))
            if whose is not None and identity(a) not in whose:
                continue  # "Enhypen’s “Outside,” Le Sserafim’s “Pierrot”": the rules said whose work this one is
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


#: An occupation before a name that is no musician's: "featured actor Park Seo-joon" is seen in a video, not a
#: featured artist of its song.
_NOT_A_MUSICIAN = re.compile(r"\b(?:actor|actress|model|comedian|athlete|chef|influencer|youtuber)s?\s+$", re.I)


def vague_roles(article: Article | None, candidates: list[Candidate], known: Any = None,
                text: str = "") -> list[Candidate]:
    """The candidates, each credit of a :data:`VAGUE_ROLES` role on a work that is no video, or as a part
    (a character), proposed below the threshold (``+vague``): the reader saw someone appear in a film, a
    drama, a show, and the sentence alone does not say how ("appeared on Running Man": a guest; "will
    appear as Park Jin in the drama": a cast member; "pops up as a ramen vendor": a cameo), and a part
    played in a video is a cameo to one reader, an appearance to another ("appears in the video as a
    hospital clown"). Seen in a music video ("V appears in the video") the appearance is the credit,
    and stays.

    A featured artist named by an occupation that is no musician's ("the MV featured actor Park Seo-joon")
    is vague the same way: he is seen in the video, the words do not say he sings on the song.

    :param known: the graph's names (the types of a known work); ``None``: the mentions' own types only.
    :param text: the article's text (the words before a featured artist's name)."""
    def vague(c: Candidate) -> bool:
        if c.kind != "credit":
            return False
        if c.role == "featuredArtist":  # "it featured actor Park Seo-joon": seen in the video, not singing
            a = c.slots["agent"]
            return bool(text) and _NOT_A_MUSICIAN.search(text, max(0, a.start - 30), a.start) is not None
        return c.role in VAGUE_ROLES and bool(c.character or not _seen_in_a_video(c.slots["work"], known))

    return [weakened(article, c, "vague") if vague(c) else c for c in candidates]


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


#: A noun for a person that a name just before it qualifies: "X director Y", "X's leader".
_PERSON_NOUN = (r"(?:leader|member|vocalist|rapper|singer|frontman|frontwoman|guitarist|drummer|bassist|director|"
                r"star|actor|actress|novelist|writer|producer|composer|creator|host|presenter|filmmaker|"
                r"screenwriter|author|comedian|dancer|maknae|CEO|founder)s?")
_QUALIFIES = re.compile(rf"['’]s?\s+(?:[a-z-]+\s+)?{_PERSON_NOUN}\b|\s+{_PERSON_NOUN}\s+[A-Z]")


def qualifiers(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates but a credit whose agent, or a membership whose member, is a name qualifying a person
    named after it ("Good Posture director Dolly Wells": Good Posture is her film; "Freestyle Town’s leader
    and freestyle rapping legend Sool J": his group), not someone the sentence says did anything.

    >>> from collabgraph.ingest.candidates import Article, Mention
    >>> text = "The series will star Lydia and Good Posture director Dolly Wells."
    >>> c = Candidate.make(Article("a", "0"), kind="credit", rule="work-starred", sentence=text, start=0, end=len(text),
    ...                    slots={"agent": Mention("Good Posture", 31, 43), "work": Mention("The series", 0, 10)},
    ...                    role="actor")
    >>> qualifiers(text, [c])
    []
    """
    out = []
    for c in candidates:
        side = c.slots.get("agent") if c.kind == "credit" else c.slots.get("member") if c.kind == "membership" \
            else None
        if side is not None and side.method != "description" and _QUALIFIES.match(text, side.end):
            continue
        out.append(c)
    return out


_EVENT = r"(?:concerts?|showcases?|episodes?|press conferences?|fan ?meetings?|tours?|festivals?|ceremon(?:y|ies)|" \
         r"award shows?|performances?|broadcasts?|premiere events?)"
#: A date naming an event after it ("their August 26 concert") or after the event's noun ("an episode set to air
#: on Dec. 3", "the concert held on May 2").
_EVENT_AFTER = re.compile(rf"(?:,? \d{{4}})?\s+{_EVENT}\b", re.I)
_EVENT_BEFORE = re.compile(rf"\b{_EVENT}\b[^.;,]{{0,30}}?\b(?:on|airs?|airing|held|set for)\s*$", re.I)
#: A release still to come, besides :data:`~.spans.FUTURE`: "to be (officially) released on", "due out on".
_TO_COME = re.compile(r"\bto be (?:\w+ly )?(?:released|unveiled|dropped|out)\b|\bdue (?:out|on)\b|\bslated\b", re.I)


def other_events(article: Article | None, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates, with a date taken off a credit (and a release-date claim dropped) when every day the
    sentence names is another event's, and a year inferred for a release still to come moved to the next
    year when it fell before the publication date (see the module).

    >>> from collabgraph.ingest.candidates import Article, Mention
    >>> s = "RM spoke about the new song “Idol” before their August 26 concert."
    >>> c = Candidate.make(Article("a", "0"), kind="credit", rule="possessive-work", sentence=s, start=0, end=len(s),
    ...                    slots={"agent": Mention("RM", 0, 2), "work": Mention("Idol", 29, 33)}, role="performer",
    ...                    date="2018-08-26", date_inferred=True)
    >>> [x.date for x in other_events(None, [c])]
    [None]
    """
    import datetime as dt

    published = article.published if article is not None else None
    out = []
    for c in candidates:
        day = c.date
        if c.kind in ("credit", "claim") and day and len(day) == 10:
            days = [m for m in DATE_RE.finditer(c.sentence) if m.group("m1") or m.group("m2")]
            if days and all(_EVENT_AFTER.match(c.sentence, m.end()) or _EVENT_BEFORE.search(c.sentence, 0, m.start())
                            for m in days):
                if c.kind == "claim":
                    continue  # a release date that is the concert's
                c = replace(c, date=None, date_inferred=False)
            elif c.date_inferred and published and day < published and (
                    _TO_COME.search(c.sentence) or FUTURE.search(c.sentence)):
                d = dt.date.fromisoformat(day)
                try:
                    later = d.replace(year=d.year + 1).isoformat()
                except ValueError:  # 29 February
                    later = day
                c = replace(c, date=later, value=later if c.kind == "claim" and c.value == day else c.value)
        out.append(c)
    return out
