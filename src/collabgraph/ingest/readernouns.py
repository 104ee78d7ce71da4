"""The parse reader's noun rules: a role noun and its person ("director Bong"), possessives
("IU's single"), whose work, titles before names, and members named by title."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .candidates import Candidate, Mention
from .parsewords import (MEMBER_TITLES, MUSIC, MUSIC_WORDS, NOUN_ROLES, SCREEN, SCREEN_NOUNS, SCREEN_WORDS, SHOWS,
                         SONG_NOUNS, mention_kind)
from .readerbase import ReaderBase
from .spans import identity, qualifies_person, vocab


class NounRules(ReaderBase):
    """Rules over nouns and names (see the module)."""

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
                one = next(iter(fit.values()))
                # "... cast as a lead in a new series. She plays X": not the work named before it
                return None if self._new_work_since(one, max(start, self.se), classes) else one
            if fit:
                # several: the article's own subject when it is one of them ("Park, who starred
                # in the 2016 series X, will play Yi Hwan" in the news of another drama)
                topic = self._topic()
                if topic is not None and identity(topic) in fit:
                    return topic
                return None
        return None

    def _screen_owner(self, t: Any) -> None:
        """"Night Garden's Jo Park", "the “Lost Road” series' Jo Park": a person whose owner is a
        drama, a film or a series is one of its actors (a talk or variety show's person may be its
        host: nothing)."""
        person = self.tok.get(t.i)
        if person is None or person.type not in ("Person", None) or person.link is None and person.type is None \
                and len(person.text.split()) < 2:
            return
        for c in (c for c in t.children if c.dep_ == "poss"):
            owner = self.tok.get(c.i)
            if owner is None and c.lemma_.lower() in ("series", "drama", "film", "movie", "show", "sitcom"):
                # "the “Lost Road” series' Jo Park": the title before the noun
                owner = next((self.tok[x.i] for x in c.children if x.dep_ in ("compound", "nmod") and x.i in self.tok
                              and self._quoted(self.tok[x.i])), None)
                if owner is not None and owner.type in (None, "Work") and owner.link is None:
                    owner = replace(owner, type="TVSeries" if c.lemma_.lower() in ("series", "show", "sitcom")
                                    else "Film" if c.lemma_.lower() in ("film", "movie") else "KDrama")
            if owner is None or owner.start == person.start or owner.type not in SCREEN or owner.type in SHOWS \
                    and owner.type not in ("TVSeries", "WebSeries"):
                continue
            self._emit(t, "actor", [person], [owner], passive=False, score=0.6, rule="parse-screen-owner",
                       dated=False)

    def _possessive(self, t: Any) -> None:
        """"AURORA7's summer hit "Heatwave"", "Peakboy's music video for "Sunday Driver"": the
        owner of a song or an album performs it (a film's owner may be its director: nothing)."""
        self._screen_owner(t)
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "by" and t.i in self.tok and mention_kind(self.tok[t.i]) == "work" \
                    and self.tok[t.i].type in MUSIC:
                # ""Static Heart" by Vee": the artist of a song
                agents = [m for q in c.children if q.dep_ == "pobj" for m in self.phrase(q) if mention_kind(m) == "agent"]
                self._emit(t, "performer", agents, [self.tok[t.i]], passive=False, score=0.6, rule="parse-by")
            elif c.dep_ == "prep" and c.lower_ == "by" and t.lemma_.lower() in SONG_NOUNS and t.i not in self.tok \
                    and self._appos_title(t) is not None:
                # "“Vacancy,” a new song by EDEN": the noun in apposition to a title says whose it is
                agents = [m for q in c.children if q.dep_ == "pobj" for m in self.phrase(q) if mention_kind(m) == "agent"]
                noun = "Album" if t.lemma_.lower() in ("album", "ep", "mixtape") else "Song"
                works = [w if w.type in MUSIC else replace(w, type=noun) for w in self.phrase(t, work=True)
                         if w.type in MUSIC or (w.type in (None, "Work") and w.link is None and self._quoted(w))]
                self._emit(t, "performer", agents, works, passive=False, score=0.6, rule="parse-by")
            if c.dep_ == "poss" and c.lower_ == "whose" and t.lemma_.lower() in SCREEN_NOUNS:
                self._whose_work(t)
                continue
            if c.dep_ != "poss" or not (t.i in self.tok or t.lemma_.lower() in (
                    "song", "single", "album", "track", "duet", "hit", "record", "release", "ep", "ballad", "video",
                    "mv", "clip", "anthem", "collaboration", "mixtape")):
                continue  # "her first soundtrack appearance" owns no work
            song = t.i in self.tok and self.tok[t.i].type == "Song"
            # "IU and V's 2024 duet"; a song's owner of no known kind is its artist ("the video for Nari's “X”")
            owners = [m for m in self.phrase(c) if mention_kind(m) == "agent" or (song and mention_kind(m) == "unknown"
                                                                          and m.type is None)]
            if not owners:
                continue
            works = [w for w in self.phrase(t, work=True) if w.type not in SCREEN and w not in owners]
            if all(o.type == "Group" for o in owners) or song or (MUSIC_WORDS.search(self.sent)
                                                                       and not SCREEN_WORDS.search(self.sent)):
                # "ORBIT5's “Gravity”": what a group owns is its music; a person's may be a director's
                # film, unless the sentence speaks of music only ("Seo Ri-a's “Glass Heart” was composed by")
                works = [replace(w, type=None) if w.type == "Work" and w.link is None else w for w in works]
            if works:
                self._emit(t, "performer", owners, works, passive=False, score=0.6, rule="parse-possessive")
                # "her 2024 single with V": a collaborator on it
                partners = [m for p in t.children if p.dep_ == "prep" and p.lower_ == "with" for q in p.children
                            if q.dep_ == "pobj" for m in self.phrase(q) if mention_kind(m) == "agent" and m not in owners]
                if partners and t.lemma_.lower() in SONG_NOUNS | {"collaboration", "hit", "duet"}:
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
        works = [m for m in self.phrase(t, work=True) if mention_kind(m) in ("work", "unknown")]
        if len(roles) != 1 or not works or mention_kind(agent) != "agent":
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
        if named and t.lemma_.lower() in MEMBER_TITLES and mention_kind(self.tok[named[0].i]) == "agent":
            clause = t.head if t.head.dep_ == "relcl" else named[0].head
            self._title_member(t, self.tok[named[0].i], owner, clause=clause)
            return
        if t.dep_ != "compound" or t.head.i not in self.tok:
            return
        agent = self.tok[t.head.i]
        owner = [c for c in list(t.children) + list(t.head.children) if c.dep_ == "poss"]
        if t.lemma_.lower() in MEMBER_TITLES and mention_kind(agent) == "agent":
            self._title_member(t, agent, owner, clause=t.head.head)
            return
        if role and owner and role not in ("guest", "host"):
            # "its composer Seo Yun-ho", "the film's director X": the credit, not a profession
            works = [m for o in owner for m in self.phrase(o, work=True) if mention_kind(m) == "work"]
            if not works and owner[0].lower_ in ("its", "their"):
                carried = self._carried(owner[0])
                works = [carried] if carried else []
            self._emit(t, role, [agent], works, passive=False, score=0.6, rule="parse-title")
            return
        # "producer Seo Yun-ho" or "composer X" says a profession; a host or director is named for the show or film
        if role not in ("host", "director"):
            return
        ws = {identity(m): m for m in self.mentions if self.ss <= m.start < self.se and mention_kind(m) == "work"
              and (role != "host" or m.type in SHOWS)}
        if len(ws) == 1:
            self._emit(t, role, [agent], list(ws.values()), passive=False, score=0.6)
        elif not ws and role == "director" and not self.sent.rstrip().endswith("?"):  # (a question asserts nothing)
            # "Director A dedicated the award to ...", "asked director A for a role" in the news of one
            # film, show or video: its director (the one screen work in focus; a song's is its video's)
            focus = self._focus(t, "cameo")
            if focus is not None and (focus.type in SCREEN or focus.type in ("MusicVideo", "Song", "Single")):
                self._emit(t, role, [agent], [focus], passive=False, score=0.6, rule="parse-title-focus")
        elif not ws and role == "host":
            focus = self._focus(t, "host")  # "alongside host Kang Min-jae", "Co-host Jo A-ra said"
            if focus is not None and focus.type in SHOWS:
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
                                                                       if mention_kind(m) == "work"] for c in n.children):
            return  # "the motel's mysterious long-term guest, Mr. Cha": a character, not a show's guest
        for c in n.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from"):
                agents += [m for p in c.children if p.dep_ == "pobj" for m in self.phrase(p)]
            if c.dep_ == "prep" and c.lower_ in ("of", "on", "in", "for"):
                works += [m for p in c.children if p.dep_ == "pobj" for m in self.phrase(p, work=True)]
            if c.dep_ == "poss" and role in ("actor", "host", "director", "producer", "composer", "guest"):
                works += [m for m in self.phrase(c, work=True) if mention_kind(m) == "work"]  # "the drama's leads"
            if c.dep_ == "appos":
                agents += [m for m in self.phrase(c) if mention_kind(m) == "agent"]  # "the leads, A and B"
        k = n.i + 1
        while k < len(self.doc) and self.doc[k].text == ",":
            k += 1
        if not agents and k < len(self.doc) and self.doc[k].lower_ == "by" and k - n.i <= 2:
            # "a screenplay by A", "The score, by pianist A, is ...": the small model hangs the "by" elsewhere
            agents += [m for p in self.doc[k].children if p.dep_ == "pobj" for m in self.phrase(p)
                       if mention_kind(m) == "agent"]
        if not agents and works and n.dep_ == "pobj" and n.head.lower_ == "as":
            # "Kang Min-jae, better known as the affable host of Starlight Diner"
            for a in list(n.ancestors)[:5]:
                if a.i in self.tok and mention_kind(self.tok[a.i]) == "agent":
                    agents = [self.tok[a.i]]
                    break
        if n.dep_ == "nsubj" and n.head.lemma_ == "be":  # "Another guest on the finale is singer Luna"
            agents += [m for c in n.head.children if c.dep_ == "attr" for m in self.phrase(c) if mention_kind(m) == "agent"]
        if not agents:
            # "two surprise guests: actors A and B"
            after = re.match(r"\s*[:—–-]\s*", self.sent[self.p.end(n):])
            if after and n.lower_.endswith("s"):
                start = self.ss + self.p.end(n) + after.end()
                for m in [m for m in self.mentions if start <= m.start < self.se]:
                    between = self.text[(agents[-1].end if agents else start):m.start]
                    if not re.fullmatch(r"(?:\s*(?:,|and|, and|&)\s*)?(?:[a-z]+s? )?", between) or mention_kind(m) != "agent":
                        break
                    agents.append(m)
                if agents and not works:

                    ws = {identity(m): m for m in self.mentions if self.ss <= m.start < self.se
                          and mention_kind(m) == "work"}
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
            itself = self.tok[n.i].start if n.i in self.tok else -1  # ("MCs" read as a name is the noun itself)
            works = [m for m in subj if mention_kind(m) in ("work", "unknown") and m.start != itself]
            if not works and n.dep_ in ("nsubj", "dobj", "pobj"):
                works = [m for p, o in self._objects(v) if p in ("in", "on", "for") for m in self.phrase(o, work=True)]
            if not works and role in ("screenwriter", "composer") and n.lemma_.lower() in ("screenplay", "script",
                                                                                           "score"):
                # "Yoon directed from a screenplay by Ryu", "the score, by pianist Lee": the film in focus
                focus = self._focus(n, "actor")
                works = [focus] if focus is not None and (focus.type in SCREEN or focus.type in (None, "Work")) \
                    else []
            if not works and role in ("cameo", "appearance", "guest"):
                # "A post-credits scene features a surprise appearance by A": a scene is of a film or a show
                screen = re.search(r"\b(?:scene|episode|film|movie|drama|series|season)s?\b", self.sent, re.I)
                focus = self._focus(n, "actor" if screen else role)
                works = [focus] if focus else []
            if not works and role == "host" and n.dep_ == "nsubj" and n.head.lemma_ == "be":
                # "The new MCs are A, B and C": the hosts of the one show in focus
                focus = self._focus(n, "host")
                works = [focus] if focus is not None and focus.type in SHOWS else []
        self._emit(n, role, agents, works, passive=False)
