"""The parse reader's rules for people named together on one work: a collaboration ("A teams up
with B on W", "A and B join forces for W"), a cast that includes names ("the cast (of W) includes
A, B and C", "other actors cast are A and B") and the guests beside a host ("A hosted W with guest
B"). Each reads as a statement of grammar: a verb or noun, the names it governs, the work it names
or the one work in focus. A title before "star" or "actor" says where the actor played
("Harbour Lights star A", "Glass Road and Ash Creek actor B")."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .candidates import Mention
from .parsewords import GENERIC_WORKS, MUSIC, SCREEN, SHOWS, SONG_NOUNS, TALK, VERB_ROLES, mention_kind
from .readerbase import ReaderBase
from .spans import identity

#: verb lemma -> the particle or object that makes it a collaboration ("team up", "join forces");
#: None: the verb alone says so ("collaborate", "partner")
COLLAB_VERBS = {"team": "up", "pair": "up", "link": "up", "join": "forces", "collaborate": None, "partner": None}
#: nouns for the people of a screen work as a whole ("the cast includes ...")
CAST_NOUNS = {"cast", "line-up", "lineup", "ensemble"}
#: nouns for actors, a cast when the verb "cast" is on them ("other actors cast in supporting roles are ...")
ACTOR_NOUNS = {"actor", "actress", "performer", "star"}
#: nouns for an actor that a title before them places ("Harbour Lights star A")
STAR_NOUNS = {"star", "co-star", "actor", "actress", "alum", "alumnus", "alumna"}
#: the entity recogniser's kinds that are no title ("Hollywood actor A", "Korean actress B")
NOT_TITLES = {"GPE", "NORP", "LOC", "FAC", "DATE", "TIME", "EVENT", "LANGUAGE", "CARDINAL", "ORDINAL"}
#: verbs that put out music when their object is a song or an album ("shared three singles")
SHARE_VERBS = {"share", "deliver"}
#: nouns for one broadcast of a show: whom it features are its guests
EPISODE_NOUNS = {"episode", "special", "edition", "broadcast", "installment", "instalment"}
#: nouns for the guests of a show as a whole ("this week's guests will include A and B")
GUEST_NOUNS = {"guest"}
#: verbs that list who is in a cast
LIST_VERBS = {"include", "be", "comprise", "feature"}


class CrewRules(ReaderBase):
    """Rules over names that a verb or a noun puts together on one work (see the module)."""

    def _crew(self, t: Any) -> None:
        """Run this family's rules on one token of the sentence."""
        lemma = t.lemma_.lower()
        if lemma in COLLAB_VERBS and t.pos_ == "VERB":
            self._collaboration(t)
        if lemma in LIST_VERBS and t.pos_ in ("VERB", "AUX"):
            self._cast_list(t)
        if VERB_ROLES.get(lemma) == "host" and t.pos_ == "VERB":
            self._guests_with(t)
        if lemma in SHARE_VERBS and t.pos_ == "VERB":
            self._shared_music(t)
        if lemma in ("feature", "include") and t.pos_ == "VERB" or lemma == "be" and t.pos_ == "AUX":
            self._episode_guests(t)
        if lemma == "confirm" and t.pos_ == "VERB":
            self._confirmed_for(t)

    def _star_titles(self, n: Any) -> list[Mention]:
        """The titles that modify "star" or "actor" ``n`` ("Harbour Lights star", "Glass Road and
        Ash Creek actor"), typed Work when they had no type; none for a place or an award."""
        if n.lemma_.lower() not in STAR_NOUNS or n.pos_ != "NOUN":
            return []
        mods = [c for c in n.children if c.dep_ in ("compound", "nmod") and c.i < n.i]
        mods += [x for c in mods for x in c.conjuncts if x.i < n.i]
        works = []
        for c in mods:
            m = self.tok.get(c.i)
            if m is None or c.ent_type_ in NOT_TITLES or self._is_thing(m) or re.search(r"-[a-z]", m.text):
                continue  # (an award before the noun is no title: "Oscar-winning actress A")
            if m.type in (None, "Work") and m.link is None and not m.suggestions:
                typed = replace(m, type="Work")  # a title: the kind of work is not said
                self.tok[c.i] = typed  # never an agent of the sentence ("The Harbour Lights star will play")
                works.append(typed)
            elif mention_kind(m) == "work":
                works.append(m)
        return works

    def _title_star(self, n: Any) -> None:
        """"Harbour Lights star A", "Glass Road and Ash Creek actor B": a title that modifies
        "star" or "actor" in front of a name is a work the person acted in (not a place or a
        group: "Hollywood actor A", "BTS star V" say no work)."""
        if n.lemma_.lower() not in STAR_NOUNS or n.dep_ != "compound" or n.head.i not in self.tok:
            return
        person = self.tok[n.head.i]
        if mention_kind(person) == "work" or person.type not in ("Person", "Agent", None):
            return
        works = [w for w in self._star_titles(n) if w.start != person.start]
        self._emit(n, "actor", [person], works, passive=False, rule="parse-title-star", dated=False)

    def _shared_music(self, v: Any) -> None:
        """"A has shared a few solo singles including X and Y", "A delivered his debut album X":
        the subject performs the songs or the album (only when the object is one: "shared a photo"
        and "shared a clip of X" are no release)."""
        subj, passive = self._subject(v)
        agents = [m for m in subj if mention_kind(m) == "agent"]
        if passive or not agents:
            return
        works = []
        for o in (c for c in v.children if c.dep_ == "dobj"):
            m = self.tok.get(o.i)
            if o.lemma_.lower() in SONG_NOUNS or (m is not None and m.type in MUSIC):
                # a title the noun names takes the noun's kind ("singles including X": X is a single)
                kind = (GENERIC_WORKS.get(o.lemma_.lower()) or ("Song",))[0]
                works += [w if w.type in MUSIC or w.link else replace(w, type=kind) for w in self.phrase(o, work=True)
                          if mention_kind(w) in ("work", "unknown") and (w.type in MUSIC or w.type in (None, "Work"))]
        for w in works:  # a list of titles: each one (one emit takes at most two works)
            self._emit(v, "performer", agents, [w], passive=False, rule="parse-share")

    def _duet(self, n: Any) -> None:
        """"“X” is a duet between A and B", "“X,” a duet between A and B": both sing X."""
        if n.lemma_.lower() != "duet":
            return
        agents = [m for m in self._pobjs([n], ("between",)) if mention_kind(m) != "work"]
        if len({m.start for m in agents}) < 2:
            return
        title = self._appos_title(n)
        works = [title] if title is not None else []
        if not works and n.dep_ == "attr" and n.head.lemma_ == "be":
            works = [m for c in n.head.children if c.dep_ == "nsubj" for m in self.phrase(c, work=True)]
        works = [w if w.type in MUSIC or w.link else replace(w, type="Song") for w in works
                 if mention_kind(w) in ("work", "unknown") and (w.type in MUSIC or w.type in (None, "Work"))]
        self._emit(n, "performer", agents, works, passive=False, rule="parse-duet")

    def _pobjs(self, heads: list[Any], preps: tuple[str, ...], *, work: bool = False) -> list[Mention]:
        """The mentions of the objects of the prepositions ``preps`` on any of ``heads``."""
        return [m for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in preps
                for q in c.children if q.dep_ == "pobj" for m in self.phrase(q, work=work)]

    def _collaboration(self, v: Any) -> None:
        """"A teams up with B for W", "A and B joined forces on W", "A collaborated with B on W":
        everyone named is a collaborator on W. Only a work the clause names: "A teams up with B"
        alone says nothing of which work, and "for a new single" brings in one not yet named."""
        need = COLLAB_VERBS[v.lemma_.lower()]
        heads = [v]
        if need == "forces":
            forces = [c for c in v.children if c.dep_ == "dobj" and c.lower_ == "forces"]
            if not forces:
                return
            heads += forces
        elif need == "up" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in v.children):
            return
        subj, passive = self._subject(v)
        if passive:
            return
        agents = [m for m in subj if mention_kind(m) != "work"]
        agents += [m for m in self._pobjs(heads, ("with", "alongside")) if mention_kind(m) != "work"]
        works = [m for m in self._pobjs(heads, ("on", "for"), work=True) if mention_kind(m) in ("work", "unknown")]
        if not works:
            # "collaborate on the upcoming single, ‘W’": the small model hangs the title after the comma on
            # the clause, not on the noun it names
            nouns = [q for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in ("on", "for")
                     for q in c.children if q.dep_ == "pobj" and q.lemma_.lower() in SONG_NOUNS]
            works = [m for q in nouns for m in [self._title_after(q)] if m is not None]
        if len({m.start for m in agents}) < 2 or not works:
            return  # a collaboration has two sides and a work
        self._emit(v, "collaborator", agents, works, passive=False, rule="parse-collaboration", dated=False)

    def _title_after(self, q: Any) -> Mention | None:
        """The quoted title right after the comma that ends the noun phrase ``q`` heads ("the
        upcoming single, ‘W’"), typed as the noun says when it had no type."""
        k = q.right_edge.i + 1
        if k + 2 > len(self.doc) or self.doc[k].text != ",":
            return None
        k += 1
        while k < len(self.doc) and self.doc[k].is_punct and self.doc[k].text in "“\"‘'`":
            k += 1
        m = self.tok.get(k)
        if m is None or not self._quoted(m) or mention_kind(m) not in ("work", "unknown"):
            return None
        kind = (GENERIC_WORKS.get(q.lemma_.lower()) or ("Song",))[0]
        return m if m.type in MUSIC or m.link else replace(m, type=kind)

    def _confirmed_for(self, v: Any) -> None:
        """"A, B and C (are) confirmed for the upcoming drama W": casting news; each is an actor in
        W (a drama, a film or a series only: "confirmed for the festival" says nothing)."""
        if any(c.dep_ in ("dobj", "ccomp") for c in v.children) or v.tag_ not in ("VBN", "VBD"):
            return  # "The agency confirmed the news", "confirmed that ...": a statement, not a casting
        subj, _passive = self._subject(v)
        agents = [m for m in subj if mention_kind(m) != "work" and m.type != "Group"]
        works = [m for m in self._pobjs([v], ("for",), work=True) if m.type in SCREEN and m.type not in TALK]
        self._emit(v, "actor", agents, works, passive=False, rule="parse-confirmed-for", dated=False)

    def _episode_guests(self, v: Any) -> None:
        """"The show aired a preview of its holiday special, which will feature A, B and C", "This
        week's episode features A", "This week's guests will include A and B": the people an episode
        or a special of a show features, and the names its guests include, are its guests, on the
        show the clause names or the one show in focus."""
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return
        noun = v.head if subj.lower_ in ("which", "that") and v.dep_ == "relcl" else subj
        guests_noun = noun.lemma_.lower() in GUEST_NOUNS
        if noun.lemma_.lower() not in EPISODE_NOUNS and not guests_noun or noun.i in self.tok:
            return
        if v.lemma_.lower() == "be" and not guests_noun:
            return  # "the special is X": no list of guests
        # (the small model may hang the names after the first one's comma on the verb: "npadvmod")
        objs = ("dobj", "npadvmod", "attr") if guests_noun else ("dobj", "npadvmod")
        guests = [m for c in v.children if c.dep_ in objs and c.i > v.i for m in self.phrase(c)
                  if mention_kind(m) != "work"]
        if not guests:
            return
        works = [m for m in self._pobjs([noun], ("of",), work=True) if mention_kind(m) in ("work", "unknown")]
        works += [m for c in noun.children if c.dep_ == "poss" for m in self.phrase(c, work=True)
                  if mention_kind(m) in ("work", "unknown")]
        if not works:
            # the one show named in this sentence or the three before (a title of no known kind beside it,
            # "“Knowing Bros” (“Ask Us Anything”)", is no second show)
            shows: dict[Any, Mention] = {}
            for m in (m for ws in self.works[max(0, self.i - 3):self.i + 1] for m in ws if m.type in SHOWS):
                if identity(m) not in shows or shows[identity(m)].method == "description":
                    shows[identity(m)] = m  # the name, not "the show" that stands for it
            works = list(shows.values()) if len(shows) == 1 else []
        self._emit(v, "guest", guests, works, passive=False, rule="parse-episode-guests", dated=False)

    def _cast_list(self, v: Any) -> None:
        """"The cast of W also includes A, B and C", "W's main cast are A and B", "Other actors
        cast in supporting roles are A and B": each listed name is an actor of the cast's work
        (named on the cast noun, else the one screen work in focus)."""
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        if subj is None and v.dep_ == "conj":
            subj = next((c for c in v.head.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ in ("which", "that") and v.dep_ == "relcl":
            subj = v.head  # "W has assembled a cast, which includes A and B": the cast the clause is on
        if subj is None or subj.i in self.tok:
            return
        noun = subj.lemma_.lower()
        cast_verb = [w for w in [subj.head] + [c for c in subj.children if c.dep_ == "acl"]
                     if w.lemma_.lower() == "cast" and w.pos_ == "VERB"]
        # "Other actors joining the cast (of W) are A and B": the cast the actors join
        joins = [c for c in subj.children if c.dep_ == "acl" and c.lemma_.lower() == "join"]
        cast_verb += [x for c in joins for o in c.children if o.dep_ == "dobj" and o.lemma_.lower() in CAST_NOUNS
                      for x in (c, o)]
        if noun not in CAST_NOUNS and not (noun in ACTOR_NOUNS and cast_verb):
            return
        listed = [o for c in v.children if c.dep_ in ("dobj", "attr") for o in [c]]
        agents = [m for o in listed for m in self.phrase(o) if mention_kind(m) != "work"]
        if not agents:
            return
        # whose cast: "the cast of W", "W's cast", "actors cast in W"; else the screen work in focus
        works = [m for c in subj.children if c.dep_ == "poss" for m in self.phrase(c, work=True)]
        works += self._pobjs([subj] + cast_verb, ("of", "in", "for"), work=True)
        if not works and subj.dep_ == "dobj" and subj.head.lemma_.lower() in ("assemble", "have", "gather", "boast",
                                                                              "announce", "unveil", "complete"):
            # "W has assembled a cast, which includes ...": the subject of the verb the cast is the object of
            works = [m for c in subj.head.children if c.dep_ == "nsubj" for m in self.phrase(c, work=True)]
            # "The upcoming drama W": the name, not what "the drama" stood for before
            works = [m for m in works if m.method != "description"] or works
        works = [m for m in works if mention_kind(m) in ("work", "unknown")]
        if not works:
            focus = self._focus(v, "actor")
            works = [focus] if focus is not None else []
        self._emit(v, "actor", agents, works, passive=False, rule="parse-cast-list", dated=False)

    def _guests_with(self, v: Any) -> None:
        """"A hosted W with guest B", "W, hosted by A with guests B and C": the names after
        "with guest(s)" are guests of the show the host's verb is about."""
        guests: list[Mention] = []
        for c in v.subtree:
            if c.dep_ != "prep" or c.lower_ != "with":
                continue
            for q in c.children:
                if q.dep_ != "pobj":
                    continue
                # "with guests B and C" (the noun a compound of the name) or "with guest star B"
                said = q.lemma_.lower() == "guest" or any(x.dep_ in ("compound", "amod") and x.lemma_.lower() == "guest"
                                                           for x in q.children)
                if said:
                    guests += [m for m in self.phrase(q) if mention_kind(m) != "work"]
                    guests += [m for x in q.children if x.dep_ == "appos" for m in self.phrase(x)
                               if mention_kind(m) != "work"]
        if not guests:
            return
        subj, passive = self._subject(v)
        if passive:
            works = [m for m in subj if mention_kind(m) in ("work", "unknown")]
        else:
            works = [m for c in v.children if c.dep_ == "dobj" for m in self.phrase(c, work=True)
                     if mention_kind(m) in ("work", "unknown")]
        if not works:
            focus = self._focus(v, "guest")
            works = [focus] if focus is not None else []
        works = [w for w in works if w.start not in {g.start for g in guests}]
        self._emit(v, "guest", guests, works, passive=False, rule="parse-guest-with", dated=False)
