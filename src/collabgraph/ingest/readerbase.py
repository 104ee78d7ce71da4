"""The parse reader's state and what every family of its rules uses: the phrase a token heads, the
subject and objects of a verb, who a pronoun is, and a candidate made from a trigger."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .candidates import HEDGE_FACTOR, Article, Candidate, Mention
from .parsewords import (GENERIC_WORKS, MUSIC, MUSIC_WORDS, PRONOUNS, SCREEN, SCREEN_WORDS, SHOWS, SONG_NOUNS, TALK,
                        brings_new, mention_kind, named_in_passing)
from .mentions import without_demonyms
from .spacyparse import Parsed
from .spans import fits, identity, listed_titles, qualifies_person, standing_for, vocab


#: The small model's lemmas that are no words, for the rule names a reviewer reads ("parse-remix").
_LEMMA_FIX = {"remixe": "remix"}


def _enclosed(text: str, m: Mention) -> bool:
    """Whether a mention stands in quotes: an opening quote just before it, a closing one within a
    short tail after it."""
    if m.start == 0 or text[m.start - 1] not in "\"“‘'":
        return False
    return re.match(r"[^“”\"\n]{0,14}?[”\"’']", text[m.end:m.end + 16]) is not None


#: Nouns of a work that may be counted ("all eleven songs", "both films"); not "episodes", "scenes"
#: (parts of one work) nor "lyrics", "vocals" (one credit in plural form).
SEVERAL_NOUNS = {"song", "single", "track", "ballad", "album", "ep", "film", "movie", "drama", "show", "video", "clip",
                 "mv", "ost", "duet", "anthem", "b-side", "thriller", "comedy", "sitcom"}


class ReaderBase:
    """A reader of one article's parse; the rules are in :mod:`.readerlines`, :mod:`.readerverbs` and
    :mod:`.readernouns`, put together in :mod:`.parse`."""

    # The sentence being read, set by the reader's ``run`` for each sentence: its index, parse,
    # text and offsets, and the mention at each token.
    i: int
    doc: Any
    p: Parsed
    sent: str
    ss: int
    se: int
    tok: dict[int, Mention]
    #: who an interview article is with (set once by ``run``)
    speaker: Mention | None
    _date_re: re.Pattern[str]
    _normalise: Any
    _future: re.Pattern[str]

    def __init__(self, article: Article, text: str, sents: list[tuple[str, int, int]], mentions: list[Mention],
                 known: Any = None):
        self.article, self.text, self.sents, self.known = article, text, sents, known
        # an untyped name takes the type its suggestion has, or Work when it is quoted
        self.mentions = [m if m.type or m.link else replace(m, type=self._guess(m)) for m in mentions]
        self.out: list[Candidate] = []
        #: per sentence: the work mentions named in it, and its person subjects
        self.works: list[list[Mention]] = []
        self.subjects: list[list[Mention]] = []
        #: per sentence: the agents that are its main verb's subject (for a "they" after it)
        self.groups: list[list[Mention]] = []

    def _guess(self, m: Mention) -> str | None:
        if m.suggestions and self.known is not None:

            types = self.known.types(m.suggestions[0][0])
            ranked = sorted(types, key=lambda c: -len(vocab().superclasses.get(c, ())))
            if ranked:
                return ranked[0]
        if _enclosed(self.text, m):
            return "Work"
        return None


    # -- mentions of a phrase ------------------------------------------------------
    def phrase(self, tok: Any, *, work: bool = False, depth: int = 0) -> list[Mention]:
        """The mentions the noun phrase headed by ``tok`` names, its conjuncts included."""
        out: list[Mention] = []
        for t in [tok] + [c for c in tok.conjuncts if c.i > tok.i]:
            out += self._one(t, work=work, depth=depth)
        if not work and depth == 0 and len(out) > 1:
            out = [m for m in out if not self._bracketed_after(m, out)]
        seen: dict[int, Mention] = {}
        for m in out:
            seen.setdefault(m.start, m)
        return list(seen.values())

    def _one(self, t: Any, *, work: bool, depth: int) -> list[Mention]:
        if t.i in self.tok:
            return [self.tok[t.i]]
        before = self.sent[:self.p.start(t)]
        if t.lower_ in ("i", "me") and not work and self.speaker is not None and not self.sent.rstrip().endswith("?") \
                and before.count("“") <= before.count("”") and before.count('"') % 2 == 0:
            # an interview's answers: "I" is the one person the interview is with
            s, e = self.ss + self.p.start(t), self.ss + self.p.end(t)
            ante = self.speaker
            return [standing_for(self.text, s, e, ante, ante.type or "Person")]
        if t.lower_ in PRONOUNS and not work:
            p = self._pronoun(t)
            return [p] if p else []
        if t.lower_ == "they" and not work:
            # "A and B will co-host ..., since they fronted W together": the sentence's plural subject
            root = next((x for x in t.doc if x.dep_ == "ROOT"), None)
            subj = [m for c in (root.children if root is not None else ()) if c.dep_ == "nsubj" and c.i < t.i
                    for m in self.phrase(c) if mention_kind(m) == "agent"]
            if len(subj) >= 2:
                return subj
            they = self._they(t) if not subj else None
            return [they] if they else []
        if depth > 2:
            return []
        if work and t.lemma_.lower() in GENERIC_WORKS:
            title = self._appos_typed(t)
            if title is not None:  # "“Blue Hour,” the band's second single, was ...": the title before the noun
                return [title]
        out: list[Mention] = []
        titled: list[Mention] = []
        for c in t.children:
            if work and c.dep_ == "prep" and c.lower_ in ("including", "like") and (
                    t.lemma_.lower() in GENERIC_WORKS or t.lemma_.lower() in SONG_NOUNS):
                # "co-produced three tracks, including “Bus Stop Blue”": the title named
                titled += [m for q in c.children if q.dep_ == "pobj" for m in self.phrase(q, work=True, depth=depth + 1)
                           if mention_kind(m) in ("work", "unknown")]
            if work and c.dep_ == "acl" and c.lemma_.lower() in ("title", "call", "name", "dub") and (
                    t.lemma_.lower() in GENERIC_WORKS or t.lemma_.lower() in SONG_NOUNS):
                # "a new single titled “Paper Kites”": the noun names its title
                titled += [m for q in c.children if q.dep_ in ("oprd", "xcomp", "attr", "dobj")
                           for m in self.phrase(q, work=True, depth=depth + 1) if mention_kind(m) in ("work", "unknown")]
            if work and c.dep_ == "appos" and t.lemma_.lower() in GENERIC_WORKS:
                # "the earlier single, “Blue Hour,”": the title, not the words before the noun ("OST part")
                titled += [m for m in self.phrase(c, work=True, depth=depth + 1) if mention_kind(m) in ("work", "unknown")]
            if c.dep_ in ("compound", "appos", "nmod", "npadvmod") and c.i > t.i - 6:
                out += self.phrase(c, work=work, depth=depth + 1)
            elif work and c.dep_ == "poss" and t.lemma_.lower() in ("scene", "episode", "finale", "premiere",
                                                                     "set", "ending", "cast", "version", "video",
                                                                     "mv", "clip", "soundtrack", "ost", "trailer",
                                                                     "score", "theme", "music", "screenplay", "script"):
                out += self.phrase(c, work=True, depth=depth + 1)  # "in the film's opening scene"
            elif work and c.dep_ == "prep" and c.lower_ in ("for", "of", "from") and (
                    t.lemma_.lower() in GENERIC_WORKS or t.lemma_.lower() in ("season", "episode", "set", "finale",
                                                                             "premiere", "edition", "cast")):
                for p in c.children:
                    if p.dep_ == "pobj":
                        out += self.phrase(p, work=True, depth=depth + 1)
        if titled:
            if t.tag_ in ("NNS", "NNPS"):
                # "the hit dramas “A” and “B”": the parser may hang the second title on the verb
                titled += listed_titles(self.text, titled[-1], self.tok.values())
            return titled
        if not out and work and t.dep_ == "attr" and t.head.lemma_ == "be" and t.lemma_.lower() in GENERIC_WORKS:
            # "“Silver Tide” is a piano ballad written by A": the noun is the subject
            subj = [m for c in t.head.children if c.dep_ == "nsubj" for m in self.phrase(c, work=True, depth=depth + 1)]
            works = [m for m in subj if mention_kind(m) in ("work", "unknown")]
            if works:
                return works
        if not out and work and t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_ in ("call", "name", "title", "be"):
            # "her next single is called "Snow Globe"", "the title track is "Petal Code""
            for c in t.head.children:
                if c.dep_ in ("oprd", "attr", "xcomp") and c.i != t.i:
                    out += [m for m in self.phrase(c, work=True, depth=depth + 1) if mention_kind(m) != "agent"]
        if not out and work and depth == 0 and t.lemma_.lower() in GENERIC_WORKS and t.pos_ in ("NOUN", "PRON",
                                                                                                   "PROPN"):
            carried = self._carried(t)
            if carried:
                out.append(carried)
        return out

    def _in_brackets(self, m: Mention) -> bool:
        """Whether ``m`` stands in a bracket of its sentence ("stars A (Dr. Halsey)": the part, no actor)."""
        before = self.text[self.ss:m.start]
        return before.rfind("(") > before.rfind(")")

    def _bracketed_after(self, m: Mention, others: list[Mention]) -> bool:
        """Whether ``m`` is inside brackets opened right after another of ``others`` (and at most one word
        after it, a title: "Kwak Min-su PD (The Glass Road, Ms. Harbor)"): that person's past credits, not more people.
        (Narrower than :meth:`_in_brackets`: a bracket after a name, not any bracket.)"""
        if not self._in_brackets(m):
            return False
        at = self.ss + self.text[self.ss:m.start].rfind("(")
        return any(o is not m and o.end <= at and re.fullmatch(r"\s*(?:[A-Za-z]{1,12}\s*)?", self.text[o.end:at])
                   for o in others)

    def _appos_title(self, t: Any) -> Mention | None:
        """The title a noun is in apposition to ("“Vacancy,” a new song by EDEN"): its head
        when the parse says so, or (the small model often reads the pair as two objects of
        one verb) the quoted title just before the noun phrase's comma."""
        if t.dep_ == "appos" and t.head.i in self.tok and t.head.i < t.i:
            m = self.tok[t.head.i]
            return m if mention_kind(m) in ("work", "unknown") else None
        k = t.left_edge.i - 1
        while k >= 0 and self.doc[k].is_punct and self.doc[k].text in ",”\"'’":
            k -= 1
        if k < 0 or k == t.left_edge.i - 1 or "," not in self.doc[k + 1:t.left_edge.i].text or k not in self.tok:
            return None
        prev = self.doc[k]
        m = self.tok[k]
        # a sibling ("includes “X,” a new song"), or any object after the title's comma; a subject after
        # a comma starts a clause of its own ("after “X”, the single climbed")
        if (prev.head.i == t.head.i or t.dep_ not in ("nsubj", "nsubjpass", "csubj")) \
                and mention_kind(m) in ("work", "unknown") and self._quoted(m):
            return m
        return None

    def _appos_typed(self, t: Any) -> Mention | None:
        """The title the work noun ``t`` is in apposition to, of the noun's kind when it had
        none ("“Ferris Wheel,” the lead single": a song, no show's finale)."""
        title = self._appos_title(t)
        classes = GENERIC_WORKS.get(t.lemma_.lower(), ())
        if title is not None and title.type in (None, "Work") and title.link is None and classes \
                and t.lemma_.lower() not in ("it", "project", "part", "verse", "music", "lyrics", "lyric", "melody"):
            typed = replace(title, type=classes[0])
            self.works[self.i] = [typed if m.start == title.start else m for m in self.works[self.i]]
            self.tok = {k: typed if m.start == title.start else m for k, m in self.tok.items()}
            title = typed
        return title

    def _carried(self, t: Any) -> Mention | None:
        """The one work of a fitting kind named in this sentence before ``t`` or
        the three sentences before, as a description mention of ``t``'s phrase."""

        classes = GENERIC_WORKS.get(t.lemma_.lower(), ())
        if t.lower_ == "part" and any(c.dep_ in ("det", "poss") and c.lower_ in ("his", "her", "their", "my", "that",
                                                                             "this", "its", "our", "your")
                                      for c in t.children):
            return None  # "recorded his part", "I wrote that part for her": a share of a work, whose it does not say
        if t.lower_ == "it" and t.dep_ == "dobj" and t.head.dep_ == "relcl" and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "that", "which") for c in t.head.children):
            return None  # "a waiter who returns it every time": what the character handles, not the work
        if t.lemma_.lower() not in ("verse", "part", "lyrics", "lyric", "melody", "music", "it", "score",
                                    "screenplay", "script") and any(
                c.dep_ == "det" and c.lower_ in ("a", "an", "another", "any", "every", "each", "no") for c in t.children):
            return None  # "is writing lyrics for a new single": an indefinite noun brings in a new work
        if t.dep_ in ("dobj", "nsubjpass") and any(
                c.dep_ == "prep" and c.lower_ in ("for", "on") and q.lemma_.lower() in GENERIC_WORKS
                and any(d.dep_ == "det" and d.lower_ in ("a", "an", "another") for d in q.children)
                for c in t.head.children for q in c.children if q.dep_ == "pobj"):
            return None  # "writing the lyrics for a new single": they are the new work's, not an earlier one's
        start = self.ss + self.p.start(t)
        pool = [m for ws in self.works[max(0, self.i - 3):self.i] for m in ws if not named_in_passing(self.text, m.start)]
        pool += [m for m in self.works[self.i] if m.end <= start]

        sup = vocab().superclasses
        fit = [m for m in pool if not classes or m.type is None or m.type == "Work"
               or any(c in sup.get(m.type, {m.type}) for c in classes)]
        # the nearest sentence that names a fitting work decides: one work there, or none
        # ("the b-side X: A features on the track"; "... wrote the song. The track was mixed by ...")
        ante = None
        topic = self._topic()
        if t.lemma_.lower() == "cast":
            # "joining the cast": the cast of the show or film in focus, not of one named in passing
            ante = self._focus(t, "actor")
            if ante is None:
                return None
        for k in range(self.i, max(-1, self.i - 4), -1):
            if ante is not None:
                break
            _, a, b = self.sents[k]
            there = {identity(m): m for m in fit if a <= m.start < b}
            if there:
                if len(there) != 1:
                    # two works: the article's own subject, when it is one of them ("the show" in a show's news)
                    if topic is None or identity(topic) not in there:
                        return None
                    ante = there[identity(topic)]
                else:
                    ante = [m for m in fit if a <= m.start < b][-1]
                    if self._new_work_since(ante, start, classes):
                        return None
                break
        if ante is None:
            if topic is None or not (not classes or topic.type in (None, "Work")
                                     or any(c in sup.get(topic.type, {topic.type}) for c in classes)):
                return None
            if self._new_work_since(topic, start, classes):
                return None  # "... cast as a lead in a new series. The series is written by A": not the topic
            ante = topic
        # the words of the phrase: its determiner and modifiers up to the noun
        left = min([self.p.start(c) for c in t.lefts if c.dep_ in ("det", "poss", "amod", "compound", "nummod")]
                   + [self.p.start(t)])
        s, e = self.ss + left, self.ss + self.p.end(t)
        if any(s < m.end and m.start < e for m in self.mentions):
            return None
        # "the film" after an untyped title: a film
        type_ = classes[0] if ante.type in (None, "Work") and classes and t.lemma_.lower() not in (
            "video", "clip", "mv", "music", "lyrics", "verse", "part") else ante.type
        out = standing_for(self.text, s, e, ante, type_)
        self.works[self.i].append(out)  # the next sentences may carry it on ("the cast" ... "the film's score")
        return out

    def _new_work_since(self, ante: Mention, at: int, classes: tuple[str, ...]) -> bool:
        """Whether a work of a fitting kind is brought in as a new one, unnamed, between ``ante`` and
        offset ``at`` (:func:`.parsewords.brings_new`): a second antecedent, so no guess."""
        return brings_new(self.text[ante.end:at], classes)

    def _topic(self) -> Mention | None:
        """The work the article is about: the one work its first two story sentences name."""

        for ws in self.works[:max(0, self.i)]:
            first = {identity(m): m for m in ws if m.method != "description"}
            if first:
                return next(iter(first.values())) if len(first) == 1 else None
        return None

    def _several(self, t: Any) -> bool:
        """Whether the noun ``t`` counts works ("all eleven songs", "every song", "both singles", "three
        tracks"): several, so no one work carried into it (a title it names, "three tracks, including
        X", is read by the rules of :meth:`_one`)."""
        if t.lemma_.lower() not in SEVERAL_NOUNS or t.i in self.tok:
            return False
        if any(c.dep_ == "prep" and c.lower_ in ("including", "like") for c in t.children):
            return False
        return t.tag_ in ("NNS", "NNPS") or any(
            (c.dep_ in ("det", "predet") and c.lower_ in ("all", "every", "each", "both", "several", "many", "these",
                                                          "those"))
            or (c.dep_ == "nummod" and c.lower_ not in ("one", "1")) for c in t.children)

    def _weak_antecedent(self, m: Mention) -> bool:
        """A name before a subject pronoun in its sentence that is weak evidence of who the pronoun
        is: an owner ("Nari’s “Salt Wind,” which he composed": whose work it is; the one who composed
        it may be another person). (As a possessive, "her album" after "Lady Gaga's track", the owner
        is who it is.)"""
        if re.match(r"['’]s?\b", self.text[m.end:m.end + 2]) is None:
            return False
        # (not "Kang’s agency said he ...": the owner of an agency is who the agency speaks of)
        owned = re.match(r"['’]s?\s+(?:[\w-]+\s+){0,2}?(?P<noun>[\w-]+)\b", self.text[m.end:m.end + 60])
        if owned is not None and owned.group("noun").lower() in GENERIC_WORKS:
            return True
        return any(mention_kind(x) == "work" and re.fullmatch(r"['’]s?\s+(?:[\w-]+\s+){0,2}[“\"‘']?",
                                                            self.text[m.end:x.start]) for x in self.mentions
                   if m.end < x.start < m.end + 60)

    def _they(self, t: Any) -> Mention | None:
        """"They" as a sentence's subject, with no one named before it there: the one group that
        was the subject of the nearest of the two sentences before that had one ("ORBIT5 released
        ... They wrote ..."); several agents there, a person, or none: no one."""
        if t.dep_ not in ("nsubj", "nsubjpass") or any(
                m.start < self.ss + self.p.start(t) for m in self.tok.values() if mention_kind(m) == "agent"):
            return None
        for k in range(self.i - 1, max(-1, self.i - 3), -1):
            subj = {identity(m): m for m in self.groups[k]}
            if not subj:
                continue
            if len(subj) != 1:
                return None
            ante = next(iter(subj.values()))
            if ante.type != "Group":
                return None
            s, e = self.ss + self.p.start(t), self.ss + self.p.end(t)
            return standing_for(self.text, s, e, ante, "Group")
        return None

    def _pronoun(self, t: Any) -> Mention | None:
        """"he"/"she"/"her": the one person named before it in its sentence; when none is,
        the one person who was a subject in this or the two sentences before."""

        at = self.ss + self.p.start(t)
        # (a place the entity recogniser names, "the Seoul leg of her tour", is no one)
        here = {identity(m): m for m in self.mentions if self.ss <= m.start and m.end <= at
                and mention_kind(m) != "work" and m.type in ("Person", None)
                and not (m.type is None and m.link is None and not m.suggestions and self._is_thing(m))}
        if len(here) > 1:
            return None  # "Luna, who ... her OST hit": two people before it, or one: no guess past them
        if here and t.dep_ in ("nsubj", "nsubjpass") and any(self._weak_antecedent(m) for m in here.values()):
            return None
        pool = list(here.values()) or [m for ss in self.subjects[max(0, self.i - 2):self.i + 1] for m in ss]
        people = {identity(m): m for m in pool if m.type in ("Person", None) and mention_kind(m) != "work"}
        if len(people) != 1:
            return None
        ante = next(iter(people.values()))
        s, e = self.ss + self.p.start(t), self.ss + self.p.end(t)
        return standing_for(self.text, s, e, ante, ante.type or "Person")

    # -- predicates -----------------------------------------------------------------
    def _subject(self, v: Any, depth: int = 0) -> tuple[list[Mention], bool]:
        """The subject's mentions and whether the verb is passive."""
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
                passive = c.dep_ == "nsubjpass"
                if c.lower_ in ("who", "that", "which") and v.dep_ == "relcl":
                    return self.phrase(v.head, work=passive), passive
                work = passive or c.lemma_.lower() in GENERIC_WORKS
                return self.phrase(c, work=work) + [m for x in self._split_subjects(v, c)
                                                    for m in self.phrase(x, work=work)], passive
        if v.dep_ in ("conj", "xcomp", "advcl", "ccomp", "acl") and depth < 3 and v.head.i != v.i:
            if v.dep_ == "acl" and v.tag_ == "VBN":  # "the film directed by X": the noun is the work
                return self.phrase(v.head, work=True), True
            if v.dep_ == "advcl" and v.tag_ == "VBN" and any(c.dep_ == "agent" for w in [v] + list(v.conjuncts)
                                                              for c in w.children):
                # "Written by Oh and arranged by Rhee, it builds ...": the main subject is the work
                for c in v.head.children:
                    if c.dep_ in ("nsubj", "nsubjpass"):
                        return self.phrase(c, work=True), True
            if v.dep_ == "acl" or (v.dep_ == "advcl" and v.tag_ == "VBG" and v.head.pos_ not in ("VERB", "AUX")):
                return self.phrase(v.head), False
            subj, passive = self._subject(v.head, depth + 1)
            # "is written by A and helmed by B": the tagger may call the second verb a past tense
            by = any(c.dep_ in ("agent", "prep") and c.lower_ == "by" for c in v.children)
            return subj, passive and v.dep_ in ("conj", "advcl") and (v.tag_ == "VBN" or (v.dep_ == "conj" and by))
        if v.dep_ == "pcomp" and v.tag_ == "VBG" and v.head.lower_ == "for" and depth < 3:
            # "praised A for directing W" (the one praised), "A is getting attention for singing W" (the
            # subject): a gerund after "for" has the doer of the clause it hangs from
            g = v.head.head
            for _ in range(4):  # "is receiving a lot of popularity for singing W": the verb the praise hangs from
                if g.pos_ not in ("NOUN", "ADP") or g.i in self.tok or g.dep_ not in ("dobj", "attr", "pobj", "prep") \
                        or g.head.i == g.i:
                    break
                g = g.head
            if g.pos_ in ("VERB", "AUX"):
                objs = [m for c in g.children if c.dep_ == "dobj" for m in self.phrase(c)
                        if mention_kind(m) == "agent" or mention_kind(m) == "unknown" and m.type is None]
                if objs:
                    return objs, False
                subj, passive = self._subject(g, depth + 1)
                return ([], False) if passive else (subj, False)
        return [], False

    def _split_subjects(self, v: Any, first: Any) -> list[Any]:
        """"A, B and C are cast in W": the small model may give the verb a second subject of the same
        kind where the words are one coordinated subject; the later ones, when only commas and "and"
        stand between them and the first."""
        out = []
        last = first
        for c in v.children:
            if c.i <= first.i or c.dep_ != first.dep_ or c.i > v.i:
                continue
            between = self.doc[last.i + 1:c.left_edge.i]  # (nothing else: "The band — A, B — recorded")
            if not len(between) or not all(w.text in (",", "&") or w.lower_ == "and" for w in between):
                break
            out.append(c)
            last = c
        return out

    def _by(self, v: Any) -> list[Mention]:
        for w in [v] + list(v.conjuncts):
            for c in w.children:
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by" and w.dep_ == "conj"):
                    for p in c.children:
                        if p.dep_ == "pobj" and p.lower_ in ("none", "nobody") and p.i not in self.tok:
                            # "by none other than A"
                            return [m for a in p.subtree if a.dep_ == "pobj" and a.i != p.i for m in self.phrase(a)]
                        if p.dep_ == "pobj":
                            return self.phrase(p) + self._together(p) + self._together(w)
        return []

    def _together(self, t: Any) -> list[Mention]:
        """"... by A together with B", "alongside B": B too."""
        out = []
        for c in t.children:
            if c.dep_ == "prep" and (c.lower_ == "alongside" or (c.lower_ == "with" and c.i > 0
                                                                  and self.doc[c.i - 1].lower_ == "together")):
                out += [m for q in c.children if q.dep_ == "pobj" for m in self.phrase(q) if mention_kind(m) == "agent"]
            elif c.dep_ == "advmod" and c.lower_ == "together":
                out += self._together(c)
        return out

    def _objects(self, v: Any) -> list[tuple[str, Any]]:
        out = self._own_objects(v)
        if not any(p == "obj" for p, _ in out):
            # "wrote and directed the film": coordinated verbs share the object
            for c in list(v.conjuncts):
                if c.pos_ in ("VERB", "AUX") and c.i > v.i:
                    out += [(p, o) for p, o in self._own_objects(c) if p == "obj"]
        return out

    def _own_objects(self, v: Any) -> list[tuple[str, Any]]:
        out = []
        for c in v.children:
            if c.dep_ in ("dobj", "attr", "oprd", "dative"):
                out.append(("obj", c))
                out += [("with", q) for p in c.children if p.dep_ == "prep" and p.lower_ == "with"
                        for q in p.children if q.dep_ == "pobj"]
                if c.lemma_.lower() in ("cameo", "appearance", "role", "debut", "guest", "part", "cast"):
                    # "make cameos in W as a waiter": the preposition hangs on the noun
                    out += [(p.lower_, q) for p in c.children if p.dep_ == "prep"
                            for q in p.children if q.dep_ == "pobj"]
            elif c.dep_ == "prep" or (c.dep_ == "prt" and c.lower_ in ("in", "on")):
                for p in c.children:
                    if p.dep_ == "pobj":
                        out.append((c.lower_, p))
                        for pp in p.children:  # "in the video for X", "as a guest on W"
                            if pp.dep_ == "prep":
                                for q in pp.children:
                                    if q.dep_ == "pobj":
                                        out.append((pp.lower_, q))
        return out

    def _emit(self, trigger: Any, role: str, agents: list[Mention], works: list[Mention], *, passive: bool,
              character: str | None = None, score: float | None = None, rule: str | None = None,
              dated: bool = True) -> None:

        if trigger.lemma_.lower() in ("sing", "perform", "record", "cover"):
            # "BTS sang Permission to Dance and Life Goes On": what is sung is a song
            works = [replace(w, type="Song") if w.type in (None, "Work") and w.link is None and not w.suggestions
                     and w.method == "new" else w for w in works]
        agents = [a for a in agents if fits(a, "a") and not (a.type is None and not a.suggestions and a.link is None
                                                               and self._is_thing(a))
                  and not (role == "performer" and a.type == "RecordLabel")]  # a label releases, no one sings
        works = [w for w in works if fits(w, "w") and (w.type is not None or w.link or w.method == "description"
                                                        or self._quoted(w))
                 and not (w.link is None and not self._quoted(w) and w.method != "description" and self._is_thing(w))]
        if not agents or not works:
            return
        neg, hedge = self._blocked(trigger)
        if neg:
            return
        norm = None
        if dated and role in ("performer", "actor", "cameo", "appearance", "featuredArtist"):
            date = self._date_of(trigger)
            if date:
                norm = self._normalise(date, self.article.published, future=bool(self._future.search(self.sent)))
        for w in works[:2]:
            r = role
            if r == "songwriter" and (w.type in SCREEN or w.type in (None, "Work") and SCREEN_WORDS.search(self.sent)
                                      and not MUSIC_WORDS.search(self.sent)):
                r = "screenwriter"  # a work of no known kind in a sentence of the screen only ("the screenplay")
            if r == "featuredArtist" and w.type in SHOWS:
                r = "guest"
            if r == "appearance" and w.type in TALK:
                r = "guest"  # on a talk show one appears as a guest; in a drama one appears
            if r == "appearance" and (w.type in MUSIC or w.type == "MusicVideo") and trigger.lemma_.lower() in (
                    "pop", "turn", "show"):
                r = "cameo"  # "pops up for a few seconds in the video": a song's video has cameos
            if r == "actor" and w.type in MUSIC and trigger.lemma_.lower() in ("play", "portray"):
                r = "cameo"  # "played a waiter in the music video for W": a song has no cast; its video has cameos
            if r == "performer" and w.type not in MUSIC and not (w.type is None and w.link is None):
                continue  # "returns with Moonlit Ledger": a drama's actor is no performer
            for a in agents:
                if a.start == w.start or (a.link and a.link == w.link):
                    continue
                base = score or (0.75 if a.link and w.link else 0.7)
                score = round(base * (HEDGE_FACTOR if hedge else 1.0), 2)
                self.out.append(Candidate.make(
                    self.article, kind="credit", rule=(rule or f"parse-{_LEMMA_FIX.get(trigger.lemma_.lower(), trigger.lemma_.lower())}")
                    + ("+hedged" if hedge else ""),
                    sentence=self.sent, start=self.ss, end=self.se, slots={"agent": a, "work": w}, role=r,
                    # only a part played has a character ("directed by A ... as a couple" is a misparse)
                    character=character if r in ("actor", "cameo", "appearance", "guest", "voice") else None, date=norm[0] if norm else None, date_inferred=bool(norm and norm[1]),
                    score=score))

    def _date_of(self, trigger: Any, days_only: bool = False) -> str | None:
        """The day the predicate happened: a date (not a bare year: "the 2016 drama" dates the
        drama, not this credit) attached to the trigger's verb or the verbs it hangs from, never
        one of a verb of saying ("her agency said Tuesday")."""
        verbs = [trigger]
        while verbs[-1].dep_ in ("advcl", "conj", "xcomp", "acl", "relcl") and len(verbs) < 4:
            verbs.append(verbs[-1].head)
        for m in self._date_re.finditer(self.sent):
            if m.group("y3") or m.group("y4") or m.group("m5"):
                continue
            tok = next((t for t in self.doc if self.p.start(t) <= m.end() - 1 < self.p.end(t)), None)
            head = tok
            while head is not None and head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
                head = head.head
            if head is None or head.lemma_.lower() in ("say", "announce", "tell", "report", "confirm", "reveal"):
                continue
            if head in verbs or head == trigger.head:
                return m.group()
        return None

    def _is_thing(self, m: Mention) -> bool:
        """An untyped new name the parser's entity recogniser calls a place, a date or a thing."""
        for e in self.doc.ents:
            a, b = self.ss + self.p.char(e.start_char), self.ss + self.p.char(e.end_char - 1) + 1
            if a <= m.start and m.end <= b and e.label_ in ("GPE", "LOC", "DATE", "TIME", "MONEY", "CARDINAL",
                                                            "ORDINAL", "QUANTITY", "PERCENT", "EVENT", "LAW",
                                                            "LANGUAGE", "NORP", "FAC"):
                return True
        return False

    def _quoted(self, m: Mention) -> bool:
        """A name in quotes, as titles are written: an opening quote just before it and the closing
        one just after (a short tail allowed: "“Despacito (Remix)”"); the first word of a quoted
        speech (“Written and adapted by A ...”) is none."""
        return _enclosed(self.text, m)

    # -- memberships: "The nine members are A, B and C", "made up of five members: A, B" ----------
    def _members(self, ms: list[Mention]) -> None:
        """"The nine members are A, B and C", "is made up of five members: A, B",
        "the dance crew — A, B and C —": members of the one group named before the list
        (in the sentence, else in the three sentences before)."""
        sent = self.sent
        cue = re.search(r"\b(?:members|line-?up)\b[^.;]{0,20}?(?:\bare\b|\bis\b|:|[—–-]|\binclude[sd]?\b)|"
                        r"\b(?:group|crew|band|squad|unit|duo|trio|quartet|quintet)\s*[—–:]\s*(?=[A-Z]|[a-z]+ [A-Z])|"
                        # "NAME — A, B and C — debuted": a dash-bracketed list after a name
                        r"(?<=\w) [—–] (?=(?:[a-z]+ )?[A-Z][^—–.;]*,[^—–.;]* [—–] )|"
                        r"\b(?:made up of|comprises|comprising|consists of|consisting of|composed of)\b[^:;]{0,40}?"
                        r"(?::|[—–-]|(?=\s[A-Z]))|"
                        r"\b(?:group|crew|squad|circle) of (?:friends )?(?:(?:made up of|formed by|that includes) )?"
                        r"(?=[A-Z]|[a-z]+ [A-Z])", sent)
        if not cue:
            return
        pos = self.ss + cue.end()
        after = [m for m in ms if m.start >= pos]
        members: list = []
        # words before a member that say whose member or what kind of person it is ("BTS singer V",
        # "Japanese member Mizuki", "BTS’s V"): stepped over, they are none of the list
        qualifiers: list[Mention] = []
        for m in after:
            if (m.type == "Group" and self._qualifier(m)) or (
                    m.type is None and m.link is None and not m.suggestions and self._is_thing(m)):
                qualifiers.append(m)
                continue
            a = members[-1].end if members else pos
            between = "".join(ch for k, ch in enumerate(self.text[a:m.start], a)
                              if not any(q.start <= k < q.end for q in qualifiers)).replace("’s ", " ").replace(
                "'s ", " ").replace("’ ", " ")
            between = without_demonyms(between)  # "Japanese dancer A": a nationality qualifies a member too
            title = r"(?:[a-z][\w-]* ){0,2}"  # "singer Oh Yu-jin, guitarist Rhee Dong-hwa"
            # a lowercase stage name the name finder cannot see ("RM, j-hope, Jimin") is stepped over
            if members and not re.fullmatch(rf"\s*(?:\([^)]*\))?\s*(?:,|and|, and|&)\s*(?:[a-z][\w-]*-[\w-]+,\s*)?"
                                            rf"{title}", between):
                break
            if not members and not re.fullmatch(rf"\s*{title}", between):
                break
            if mention_kind(m) == "work" or m.type == "Group":
                break
            members.append(m)
        if len(members) < 2:
            return
        before = [m for m in ms if m.start < self.ss + cue.start() and m.end <= pos
                  and (m.type in ("Group",) or mention_kind(m) == "unknown")]  # "the dance crew — A, B": its last word
        groups = [m for m in before if m.type == "Group"]
        if not groups and cue.group().strip() in ("—", "–"):
            # "the Lantern Club — A, B and C — are ...": the new name the dashes stand after
            named = [m for m in before if m.end == self.ss + cue.start() and m.type is None and m.link is None
                     and not m.suggestions]
            groups = [self._whole_name(m) for m in named]
        if not groups:
            window = [m for i in range(max(0, self.i - 3), self.i + 1) for m in self._group_mentions(i)
                      if m.end <= self.ss + cue.start()]
            if len({identity(m) for m in window}) == 1:
                groups = window[-1:]
        unknown = [m for m in before if m.type is None and m.link is None and not m.suggestions]
        # ("members" too: "X is made up of six members: A, B")
        if not groups and len(unknown) == 1 and re.search(r"group|crew|squad|band|circle|members", cue.group()) \
                and re.search(rf"{re.escape(unknown[0].text)}\W+(?:is|are|was|were)\b", sent):
            # "X is the name of the friend group of A, B and C": the one new name the sentence is about
            groups = [replace(unknown[0], type="Group")]
        if len({identity(m) for m in groups}) != 1:
            return
        g = groups[-1]
        hedge = (bool(re.search(r"\brumou?r|reportedly|allegedly", sent, re.I)))
        for m in members:
            if m.link and m.link == g.link:
                continue
            self.out.append(Candidate.make(self.article, kind="membership", rule="parse-members" +
                                           ("+hedged" if hedge else ""), sentence=sent, start=self.ss, end=self.se,
                                           slots={"member": m, "group": g}, score=0.28 if hedge else 0.7))

    def _whole_name(self, m: Mention) -> Mention:
        """A new group's name with the capitalised words between "the" and it that the name finder
        left out ("the Tuesday Lantern Club": a weekday is no date there), typed Group."""
        before = re.search(r"\b[Tt]he ((?:[A-Z][\w’'-]* ){1,3})$", self.text[max(self.ss, m.start - 60):m.start])
        if before is None:
            return replace(m, type="Group")
        start = m.start - len(before.group(1))
        whole = self.text[start:m.end]
        return replace(m, text=whole, start=start, type="Group", label=whole if m.label in (None, m.text) else m.label)

    def _qualifier(self, g: Mention) -> bool:
        """Whether a group's mention says whose member the next name is ("BTS's V", "BTS’ V",
        "BTS singer V", "V of BTS")."""
        if qualifies_person(self.text, g, self.mentions):
            return True
        after = re.match(r"(?:['’]s?)?\s+(?:[a-z][\w-]*\s+)?", self.text[g.end:g.end + 30])
        if after is None:
            return False
        return any(x.start == g.end + after.end() and mention_kind(x) == "agent" and x.type in ("Person", None)
                   for x in self.mentions)

    def _group_mentions(self, i: int) -> list[Mention]:
        """The groups sentence ``i`` is about (not "BTS" of "BTS's V": that says whose member V is)."""
        _, ss, se = self.sents[i]
        return [m for m in self.mentions if ss <= m.start and m.end <= se and m.type == "Group"
                and not qualifies_person(self.text, m, self.mentions)]

    # Rules of one family that another family's rules call (see :mod:`.parse` for the reader).

    def _blocked(self, v: Any) -> tuple[bool, bool]:
        raise NotImplementedError  # readerverbs.VerbRules

    def _focus(self, t: Any, role: str) -> Mention | None:
        raise NotImplementedError  # readernouns.NounRules
