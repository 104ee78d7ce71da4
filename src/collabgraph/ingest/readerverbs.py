"""The parse reader's verb rules: who did what in which work (credits and releases), awards,
instruments, and verbs the parser misread."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .candidates import Candidate, Mention
from .parsewords import (HEDGE_SAID, HEDGE_WORDS, INSTRUMENTS, MUSIC, NEG_VERBS, NOUN_ROLES, PART_NOUNS, SCREEN, TALK,
                         VERB_ROLES, VIDEO_NOUNS, mention_kind)
from .readerbase import ReaderBase


#: Nouns for a video of a song: what such a video "features" appears in it. A parse's head noun may
#: also be "visual(s)"; the pattern rules leave it out (in a sentence's words "visual" is also a
#: member's role: "G's visual A").
_VIDEO_NOUNS = {*VIDEO_NOUNS, "visual", "visuals"}


#: A part written with an indefinite article ("plays a detective", "stars as an aging waiter").
_A_PART = re.compile(r"\b(?:play(?:s|ed|ing)?|portray(?:s|ed|ing)?|stars?|starred|starring)(?: as)? (?:a|an) [a-z]")
#: What one plays that is no part: "played a concert in Olympic Park", "played a show in Madison Square Garden".
_NO_PART = {"concert", "concerts", "show", "shows", "gig", "gigs", "set", "game", "games", "match", "tour", "song",
            "songs", "track", "tune", "role", "part", "festival", "stage", "venue", "date", "dates"}
#: "in W", "in Hulu's W": the work a part is played in (an owner's name and "'s" may stand before it).
_IN_OWNED = re.compile(r"\bin ([A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,2}['’]s? )?$")


class VerbRules(ReaderBase):
    """Rules over a verb and its subject and objects (see the module)."""

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
            if w.lemma_.lower() in NEG_VERBS and w.i != v.i:
                neg = True
            for c in w.children:
                if c.dep_ == "neg" and not self.doc[c.i:c.i + 4].text.lower().startswith("not to be confused"):
                    neg = True
                if c.lower_ in HEDGE_WORDS or c.lemma_.lower() in HEDGE_WORDS:
                    hedge = True
            if w.lemma_.lower() in HEDGE_WORDS or w.lower_ in HEDGE_WORDS:
                hedge = True
        # "Rumours that A had a cameo in W were dismissed": a clause under a denial or a rumour
        for a in v.ancestors:
            if a.lemma_.lower() in NEG_VERBS and a.pos_ == "VERB":
                neg = True
            if a.lemma_.lower() in ("rumour", "rumor", "speculation", "report", "claim", "hope", "plan", "talk"):
                hedge = True
        span = self.doc[v.left_edge.i:v.right_edge.i + 1].text
        if re.search(r"\b(?:denied|declined|dismissed|turned down|cancel+ed|scrapped)\b", span):
            neg = True
        head_text = " ".join(w.text for w in chain) + " " + " ".join(c.text for w in chain for c in w.children
                                                                       if c.dep_ in ("aux", "auxpass", "advmod"))
        if HEDGE_SAID.search(self.sent) and any(x in head_text.lower().split() for x in
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
        works = [w for w in works if mention_kind(w) == "work" or (w.type is None and self._quoted(w))]
        if len(works) != 1 or (v.lemma_.lower() == "air" and v.tag_ in ("VBD", "VBN") and works[0].type in TALK):
            return  # a talk show that "aired on Thursday" aired an episode: no release date of the show
        neg, hedge = self._blocked(v)
        norm = self._normalise(date, self.article.published, future=bool(self._future.search(self.sent)))
        if neg or not norm or len(norm[0]) != 10:
            return
        self.out.append(Candidate.make(self.article, kind="claim", rule="parse-release" + ("+hedged" if hedge else ""),
                                       sentence=self.sent, start=self.ss, end=self.se, slots={"about": works[0]},
                                       property="releaseDate", value=norm[0], date=norm[0], date_inferred=norm[1],
                                       score=0.28 if hedge else 0.7))

    def _visits_a_show(self, v: Any, subj: list[Mention]) -> bool:
        """"Sam Smith stopped by The Ellen Show", "A dropped by Late Hour", "IU visited the talk show
        Late Hour": a guest of the show (a talk or variety show, or a name ending in "Show"); any other
        place visited ("visited Seoul", "stopped by the studio") is no credit."""
        lemma = v.lemma_.lower()
        if lemma in ("stop", "drop"):
            by = [c for c in v.children if c.dep_ in ("agent", "prep", "prt") and c.lower_ == "by"]
            if not by:
                return False
            # (the parser may hang the show on "by" or, "by" a particle, on the verb itself)
            objs = [o for c in by for o in c.children if o.dep_ == "pobj"]
            objs += [c for c in v.children if c.dep_ in ("advmod", "npadvmod", "dobj") and c.i > by[0].i]
        else:
            objs = [c for c in v.children if c.dep_ == "dobj"]
        shows = []
        for m in (m for o in objs for m in self.phrase(o, work=True)):
            if m.type in TALK:
                shows.append(m)
            elif m.type in (None, "Work") and m.link is None and not m.suggestions and re.search(r"\bShow$", m.text):
                shows.append(replace(m, type="TalkShow"))  # "The Ellen Show", "the Late Show"
        agents = [m for m in subj if mention_kind(m) in ("agent", "unknown") and m.type in ("Person", "Group", None)
                  and not self._is_thing(m)]
        if not shows or not agents:
            return False
        self._emit(v, "guest", agents, shows[:1], passive=False, score=0.6, rule="parse-visit", dated=False)
        return True

    def _verb(self, v: Any) -> None:
        lemma = v.lemma_.lower()
        if lemma == "come" and any(c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in v.children):
            lemma = "return"  # "is coming back with its second album, X": a return
        subj, passive = self._subject(v)
        if lemma in ("release", "drop", "unveil", "premiere", "open", "air", "come", "arrive", "debut", "launch",
                     "land", "hit"):
            self._release(v, subj, passive, self._objects(v))
        if v.dep_ == "ROOT" and not self.groups[self.i]:
            # the group a sentence is about, as its subject: a later "they" may stand for it
            self.groups[self.i] = [m for m in subj if mention_kind(m) == "agent"]
        if v.pos_ in ("VERB", "AUX") and any(m.type in ("Person", None) and mention_kind(m) != "work" for m in subj) \
                and v.dep_ == "ROOT":
            # (an interview's "I" is no antecedent of a "he" or "she")
            self.subjects[self.i] += [m for m in subj if mention_kind(m) != "work" and m.text.lower() not in ("i", "me")]
        elif passive and v.dep_ == "ROOT":
            # "W was composed by A. He also ...": the one who did it is the clause's subject in meaning
            self.subjects[self.i] += [m for m in self._by(v) if mention_kind(m) == "agent" and m.type in ("Person", None)
                                      and m.method != "description"]
        role = VERB_ROLES.get(lemma)
        if lemma in ("stop", "drop", "visit") and not passive and self._visits_a_show(v, subj):
            return
        if lemma in ("turn", "pop", "show") and any(c.dep_ == "prt" and c.lower_ == "up" for c in v.children):
            # "turns up (for one scene) as a waiter": an appearance; a cameo when the sentence says so
            role = "cameo" if re.search(r"\bcameo", self.sent, re.I) else "appearance"
        objects = self._objects(v)
        if any(p == "obj" and self._several(o) for p, o in objects):
            return  # "wrote all eleven songs", "wrote every song on it": several works, none of them named
        if lemma == "play" and self._instrument(v, subj, passive, objects):
            return
        if lemma == "win" and not passive:
            self._award(v, subj, objects)
            return
        if lemma == "return" and any(p == "as" and o.i in self.tok for p, o in objects) and subj and all(
                mention_kind(m) == "agent" and m.type in ("Person", None) for m in subj):
            # "A will return as Nari": the part again, in the screen work in focus ("ONDO will return as a
            # four-piece" is no part)
            focus = self._focus(v, "actor")
            if focus is not None and focus.type in SCREEN:
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
                    mods = {c.lower_ for c in o.children}
                    # "made a guest appearance on the show": a guest, whatever kind the graph gives the show
                    # (in a drama or a film, an appearance)
                    guest = "guest" in mods and re.search(r"\b(?:show|program|programme|variety|episode)s?\b",
                                                          self.sent, re.I) is not None
                    role = "guest" if nl == "appearance" and guest else "cameo" if mods & {
                        "cameo", "surprise", "brief", "special"} else nl
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
                  for q in c.children if q.dep_ == "pobj" for m in self.phrase(q) if mention_kind(m) == "agent"]
            if by:
                works = [m for m in subj if mention_kind(m) in ("work", "unknown")] or \
                    [f for f in [self._focus(v, role)] if f is not None]
                self._emit(v, role, by, works, passive=False, character=self._character(objects))
                return
        if lemma == "feature" and not passive and subj and all(mention_kind(m) == "agent" for m in subj) and \
                any(p == "on" for p, _ in objects):
            # "singer A features on the track": A is the featured artist
            works = [m for p, o in objects if p == "on" for m in self.phrase(o, work=True)]
            self._emit(v, "featuredArtist", subj, works, passive=False)
            return
        if lemma == "feature" and not passive:
            # "W features A": the subject is the work, the object the artist
            works = [m for m in subj if mention_kind(m) in ("work", "unknown")]
            if not works and v.dep_ in ("advcl", "acl", "xcomp", "conj") or (subj and all(mention_kind(m) == "agent"
                                                                                           for m in subj)):
                works = [m for m in self.works[self.i] if m.start < self.ss + self.p.start(v)][-1:]
            parts = [o for p, o in objects if p == "obj" and o.lemma_.lower() in PART_NOUNS]
            # "features a hook by A and production from B": each contribution noun's own role
            credited = [o for p, o in objects if p == "obj"]
            credited = [o for o in credited + [c for x in credited for c in x.conjuncts]
                        if o.lemma_.lower() in NOUN_ROLES and o.lemma_.lower() not in PART_NOUNS
                        and NOUN_ROLES[o.lemma_.lower()] in ("producer", "director", "arranger", "composer",
                                                             "lyricist", "engineer", "screenwriter")]
            for o in credited:
                who = [m for c in o.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                       for q in c.children if q.dep_ == "pobj" for m in self.phrase(q) if mention_kind(m) == "agent"]
                if not who and len(credited) == 1:  # the parser may hang the "from" on the verb
                    who = [m for p, q in objects if p in ("from", "by") for m in self.phrase(q)
                           if mention_kind(m) == "agent"]
                self._emit(v, NOUN_ROLES[o.lemma_.lower()], who, works, passive=False)
            if credited and not parts:
                return
            for o in parts + [c for x in parts for c in x.conjuncts if c.lemma_.lower() in PART_NOUNS]:
                # "features guest vocals from A on the single X and a verse from B on Y": each part's own
                who = [m for c in o.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                       for q in c.children if q.dep_ == "pobj" for m in self.phrase(q) if mention_kind(m) == "agent"]
                on = [m for c in o.children if c.dep_ == "prep" and c.lower_ in ("on", "in")
                      for q in c.children if q.dep_ == "pobj" for m in self.phrase(q, work=True)
                      if mention_kind(m) in ("work", "unknown")]
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
                role = "cameo" if all(w.type in MUSIC or w.type == "MusicVideo" for w in works) else "actor"
                self._emit(v, role, agents, works, passive=False, character=part)
                return
            # "the video for W featured A", "W's music video featuring A": A appears in the video
            self._emit(v, "appearance" if self._video_features(v) else "featuredArtist", agents, works, passive=False)
            return
        if passive and lemma not in ("cast", "feature", "invite", "credit"):
            agents = self._by(v)
            if role in ("songwriter", "lyricist", "composer", "producer"):
                # "co-written (by A) with B": B wrote it too
                agents += [m for p, o in self._own_objects(v) if p == "with" for m in self.phrase(o)
                           if mention_kind(m) == "agent" and m not in agents]
            works = [m for m in subj]
            if not works:
                works = [m for p, o in objects if p in ("in", "on", "for") for m in self.phrase(o, work=True)]
        elif subj and all(mention_kind(m) == "work" for m in subj) and lemma in ("star", "feature", "headline", "cast"):
            # "The romantic drama stars A as X, and B as Y": the subject is the work
            works = subj
            after = [m for m in self.mentions if self.ss + self.p.start(v) < m.start < self.se and mention_kind(m) == "agent"
                     and m.type in ("Person", "Group", "Agent") and not self._in_brackets(m)]
            agents = [m for p, o in objects if p == "obj" for m in self.phrase(o)] + after
        elif lemma == "cast" and subj and not passive:
            # "Director A has cast B and C for his film W": the ones cast are the actors; the one who casts
            # (a director, a studio, a network) is none
            agents = [m for p, o in objects if p == "obj" for m in self.phrase(o) if mention_kind(m) == "agent"]
            works = [m for p, o in objects if p in ("in", "for", "as") for m in self.phrase(o, work=True)
                     if mention_kind(m) in ("work", "unknown")]
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
                agents += [m for p, o in objects if p == "with" for m in self.phrase(o) if mention_kind(m) == "agent"]
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
                named = [m for m in self.phrase(o) if mention_kind(m) != "work"]
                character = named[-1].text if named else \
                    self.doc[min([c.left_edge.i for c in o.lefts if c.dep_ in ("amod", "compound")] + [o.i]):o.i + 1].text
                works = [w for w in works if w not in self.phrase(o, work=True)]
                # "plays a detective in W": the parser may hang the work on the part, not the verb
                works += [m for c in o.children if c.dep_ == "prep" and c.lower_ in ("in", "on")
                          for q in c.children if q.dep_ == "pobj" for m in self.phrase(q, work=True)
                          if mention_kind(m) in ("work", "unknown") and m not in works]
        for p, o in objects:
            if p == "obj" and o.lemma_.lower() in ("role", "part") and role in ("actor", "cameo"):
                # "takes on the role of prosecutor Kang Min-jae", "plays the lead role of Seo Da-in": the part
                # is the name after "of" (or "as"), never the work; the work is another of the clause, or
                # the one in focus (below)
                lo, hi = self.ss + self.p.start(o.left_edge), self.ss + self.p.end(o.right_edge)
                named = [m for c in o.children if c.dep_ == "prep" and c.lower_ in ("of", "as")
                         for q in c.children if q.dep_ == "pobj" for m in self.phrase(q)
                         if mention_kind(m) != "work"]
                works = [w for w in works if not (lo <= w.start < hi and mention_kind(w) != "work")]
                if named:
                    character = named[-1].text
                elif character is not None and character.split()[-1].lower() in ("role", "part"):
                    character = None  # "plays the lead female role in W": no part is named
        if lemma in ("play", "portray") and v.dep_ in ("advcl", "conj", "xcomp") and \
                VERB_ROLES.get(v.head.lemma_.lower()) != "actor" and v.head.pos_ in ("VERB", "AUX") and not (
                    v.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
                    and any(o.lemma_.lower() in ("role", "part", "lead") for p, o in objects if p == "obj")):
            # "make cameos in the video, playing a bellboy": the character of the cameo, no second credit
            # ("is set to play the lead role in W" is the credit itself)
            return
        if lemma in ("play", "portray") and passive and v.dep_ == "acl":
            # "Min-gyu, played by newcomer Seok Tae-yang": the character played, on the work in focus
            character = self.text[self.ss + self.p.start(v.head):self.ss + self.p.end(v.head)]
            works = [w for w in works if mention_kind(w) == "work" and w.type in SCREEN]
            passive = False
        elif lemma in ("play", "portray") and passive and not [w for w in works if mention_kind(w) == "work"]:
            # "The detective is played by A", "That ally was played by A, in a cameo as a bartender": the
            # subject is the part; the work is the one in focus (a cameo when the clause says so)
            subj_tok = [c for c in v.children if c.dep_ == "nsubjpass"]
            if subj_tok:
                x = subj_tok[0]
                named = [m for m in self.phrase(x) if mention_kind(m) != "work"]
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
                works = [m for m in self._subject(g)[0] if mention_kind(m) == "work"]
        if not works and not passive and role == "director" and agents and not any(p == "obj" for p, _ in objects):
            # "Yoon directed from a screenplay by Ryu": directed the screen work in focus
            focus = self._focus(v, "director")
            works = [focus] if focus is not None and (focus.type in SCREEN or focus.type in (None, "Work")) else []
        if not works and (not passive or lemma == "cast") and role in ("actor", "cameo", "appearance", "guest",
                                                                       "host") and agents and not any(
                p in ("on", "in") and (o.tag_ in ("NNS", "NNPS") or o.tag_ == "VBZ" and o.dep_ == "pobj"
                                       or o.lemma_.lower() in ("tv", "television", "radio", "stage", "air"))
                for p, o in objects):
            # (not "appear on music shows", "on TV": where, in general, and no one work)
            focus = self._focus(v, role)
            if focus is None and lemma in ("play", "portray") and character and character[:1].islower():
                # "V played a waiter in a purple suit" in the news of a song: a part in its video
                music = self._focus(v, "cameo")
                if music is not None and music.type in MUSIC:
                    focus, role = music, "cameo"
            works = [focus] if focus else []
        if len(characters) > 1 and len(characters) == len(agents):
            # "A and B make cameos as a waiter and a customer": one each, in order
            for a, ch in zip(agents, characters):
                self._emit(v, role, [a], works, passive=passive, character=ch)
            return
        if lemma in ("play", "portray", "star") and role == "actor" and not passive and character \
                and character[:1].islower() and character.split()[-1].lower() not in _NO_PART \
                and _A_PART.search(self.sent[:self.p.start(v) + 40]):
            # "plays a detective in Paper Harbor", "stars as a waiter in Hulu's W": one plays a part in a work,
            # so the name after "in" is the work even untyped and unquoted; not a place the recogniser names,
            # and not one word with no owner ("plays a teacher in Gangneung": a town the small model misses)
            works = [replace(w, type="Work") if w.type is None and w.link is None and not w.suggestions
                     and w.method == "new" and not self._is_thing(w)
                     and (owned := _IN_OWNED.search(self.text, max(0, w.start - 40), w.start))
                     and (" " in w.text or owned.group(1)) else w for w in works]
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
        agents = [m for m in subj if mention_kind(m) == "agent"]
        # "won Best Actress (at the awards) for W": the "for" may hang anywhere under the verb
        works: list[Mention] = []
        for c in v.subtree:
            if c.dep_ == "prep" and c.lower_ == "for" and c.i > obj[0].i:
                works += [m for q in c.children if q.dep_ == "pobj" for m in self.phrase(q, work=True)
                          if mention_kind(m) in ("work", "unknown") and m not in works]
        works = [w if w.type else replace(w, type="Work") for w in works]
        self._emit(v, role, agents, works, passive=False, score=0.6, rule="parse-award", dated=False)

    def _instrument(self, v: Any, subj: list[Mention], passive: bool, objects: list) -> bool:
        """"A played the bass line on W", "the guitar parts were played by A": an
        instrumentalist of the song (the one it names, else the one in focus), never an
        actor. Whether the verb is about an instrument (then nothing else is read from it)."""
        def instrument(o: Any) -> str | None:
            words = [o] + [c for c in o.children if c.dep_ in ("compound", "amod", "nmod")]
            return next((w.lemma_.lower() for w in words if w.lemma_.lower() in INSTRUMENTS), None)

        things = [c for c in v.children if c.dep_ == "nsubjpass"] if passive else \
            [o for p, o in objects if p == "obj"]
        found = next((x for x in map(instrument, things) if x), None)
        if found is None:
            return False
        agents = self._by(v) if passive else [m for m in subj if mention_kind(m) == "agent"]
        named = [(p, o) for p, o in objects if p in ("on", "in", "for")] + [
            (c.lower_, q) for x in things for c in x.children if c.dep_ == "prep" and c.lower_ in ("on", "in", "for")
            for q in c.children if q.dep_ == "pobj"]  # "the bass line on W"
        works = [m for _, o in named for m in self.phrase(o, work=True) if mention_kind(m) in ("work", "unknown")]
        if not works:
            focus = self._focus(v, "cameo")
            works = [focus] if focus is not None and focus.type in MUSIC else []
        self._emit(v, "instrumentalist", agents, works, passive=False, score=0.6, rule="parse-play-instrument")
        return True

    def _misread_verb(self, t: Any) -> None:
        """"Noh Ji-an stars as Ji-hye": the small model may tag "stars" a noun with the name
        as its modifier; read it as the verb it is (the name before it, a part after "as")."""
        names = [self.tok[c.i] for c in t.lefts if c.i in self.tok and c.dep_ in ("amod", "compound", "nmod")
                 and mention_kind(self.tok[c.i]) == "agent"]
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

    def _video_features(self, v: Any) -> bool:
        """Whether what "features" someone at ``v`` is a video ("the video for W featured A", "the
        “W” music video featuring A", "The videos feature A"): the verb's subject, or the noun the
        participle hangs on, is a video, so the one it features appears in the video (a featured
        artist is one of a recording's performers)."""
        heads = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if v.dep_ == "acl":
            heads.append(v.head)
        return any(h.lemma_.lower() in _VIDEO_NOUNS or h.lower_ in _VIDEO_NOUNS for h in heads)

    def _character(self, objects: list) -> str | None:
        """"as a flower-shop owner": the words of the one lowercase role noun after "as"."""
        for p, o in objects:
            if p == "as" and o.i not in self.tok and o.pos_ == "NOUN" and o.lemma_.lower() not in NOUN_ROLES:
                return self.doc[min([c.left_edge.i for c in o.lefts if c.dep_ in ("amod", "compound")]
                                    + [o.i]):o.i + 1].text
        return None
