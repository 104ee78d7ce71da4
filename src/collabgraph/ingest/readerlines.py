"""The parse reader's line rules: info lines ("Directed by ..."), bracketed actors and works, and list items."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .candidates import Candidate, Mention
from .clean import LIST_NUMBER
from .parsewords import MUSIC, MUSIC_WORDS, SCREEN, mention_kind
from .readerbase import ReaderBase
from .spans import identity

#: A verb of casting and up to three lower-case words after it ("stars comedians", "the cast includes")
_CAST_VERB = re.compile(r"\b(?:stars|starring|co-stars|co-starring|cast (?:includes|members are|are)|features|featuring)"
                        r"(?: [a-z]+){0,3}$")


def _in_cast_list(before: str) -> bool:
    """Whether the words ``before`` a name put it in a cast list: a verb of casting, then only names,
    commas, "and" and the brackets after the names ("The series stars A (Part), B (Part) and").

    >>> _in_cast_list("The series stars Pablo Roe (the Chief), Jen Tay (Cora) and "), _in_cast_list("Then ")
    (True, False)
    """
    words = re.sub(r"\s*\([^()]*\)", "", before).split()
    while words and (words[-1] == "and" or words[-1][:1].isupper() or words[-1] == ","):
        words.pop()
    return bool(words) and _CAST_VERB.search(" ".join(words)) is not None


def _initials(name: str, short: str) -> bool:
    """Whether ``short`` is the initials of ``name`` ("Indiana University" and "IU").

    >>> _initials("Indiana University", "IU"), _initials("Jae-won", "Kang Min-jae")
    (True, False)
    """
    words = [w for w in re.split(r"[\s-]+", name) if w[:1].isupper()]
    return len(words) >= 2 and short.replace(".", "").upper() == "".join(w[0] for w in words).upper()


class LineRules(ReaderBase):
    """Rules over a whole line of the article (see the module)."""

    _INFO = re.compile(r"(?P<label>Written by|Directed by|Produced by|Composed by|Music by|Lyrics by|Screenplay by|"
                       r"Starring|Cast|Hosts?|Hosted by|Featuring|Guests?|Premiered|Released|Release date|Airs|Aired|"
                       r"Directors?|Screenplay|Writers?|Music|Producers?)"
                       r"\s*:\s*")

    #: Any label of an information box, where a field of a line whose breaks were lost begins.
    _INLINE = re.compile(r"(?:(?<=\s)|^)(?P<label>(?:Written|Directed|Produced|Composed|Hosted) by|Music by|Lyrics by|"
                         r"Screenplay by|Starring|Cast|Hosts?|Featuring|Guests?|Premiered|Released|Release date|"
                         r"Airs|Aired|Directors?|Screenplay|Writers?|Music|Producers?|Cert(?:ificate)?|Rating|Year|"
                         r"(?:Original |English )?[Tt]itle|Running time|Runtime|Country|Language|Genre|Duration|"
                         r"Network|Episodes)\s*:\s")


    def _credit(self, rule: str, agent: Mention, work: Mention, role: str | None, *,
                character: str | None = None) -> None:
        """Propose a credit these line rules read, quoting the sentence, at their score (0.6)."""
        self.out.append(Candidate.make(self.article, kind="credit", rule=rule, sentence=self.sent, start=self.ss,
                                       end=self.se, slots={"agent": agent, "work": work}, role=role,
                                       character=character, score=0.6))

    def _membership(self, rule: str, member: Mention, group: Mention) -> None:
        """Propose a membership these line rules read, quoting the sentence, at their score (0.6)."""
        self.out.append(Candidate.make(self.article, kind="membership", rule=rule, sentence=self.sent, start=self.ss,
                                       end=self.se, slots={"member": member, "group": group}, score=0.6))
    def _info_line(self, ms: list[Mention]) -> None:
        """An information box's line ("Cast: A as X; B as Y", "Directed by: C",
        "Premiered: Saturday, January 24", "Director: C · Screenplay: C, D"): credits on
        the work the story is about: the one its headline names, else the first work the
        story names after it."""
        if not self._INFO.match(self.sent):
            return
        # one line may hold several fields: "Director: C · Screenplay: C, D · Running time: 104 min.", or
        # a box whose line breaks were lost: "Director: C Writer: C Cast: D, E Cert: 15 Year: 2016"
        cuts = sorted({0, len(self.sent)} | {f.start() for f in re.finditer(r"[·|]", self.sent)}
                      | {f.start("label") for f in self._INLINE.finditer(self.sent)})
        fields = [(a, b) for a, b in zip(cuts, cuts[1:]) if self.sent[a:b].strip(" ·|")]
        fields = [(a + 1 if self.sent[a] in "·|" else a, b) for a, b in fields]
        titled = [w for w in self.mentions if self.article.title and w.method != "description"
                  and mention_kind(w) in ("work", "unknown") and len(w.text) > 2 and w.text in self.article.title]
        later = [w for k in range(self.i + 1, min(len(self.sents), self.i + 6)) for w in self._works_in(k)]
        named = [m for a, b in fields if re.match(r"\s*(?:Original |English )?[Tt]itle\s*:", self.sent[a:b])
                 for m in ms if self.ss + a <= m.start < self.ss + b and mention_kind(m) in ("work", "unknown")]
        if named:
            work = named[0] if named[0].type else replace(named[0], type="Work")
        elif len(fields) >= 3 and all(self._INLINE.match(self.sent, a) for a, _ in fields):
            return  # a film's box of its own with no title in it: the article may list several films
        elif len({identity(w) for w in titled}) == 1:
            work = titled[0]
        elif later:
            work = later[0]
        else:
            return
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
        screen = work.type in SCREEN or work.type in ("TalkShow", "WebSeries") or bool(
            re.search(r"^(?:Cast|Starring|Episodes|Network|Directed by|Runtime)\s*:", self.text, re.M)) or bool(
            re.search(r"\b(?:Cast|Starring|Running time|Runtime)\s*:", self.sent))  # a box on one line
        role = {"written by": "screenwriter" if screen else "songwriter", "directed by": "director",
                "director": "director", "directors": "director", "screenplay": "screenwriter",
                "writer": "screenwriter" if screen else "songwriter", "writers": "screenwriter" if screen else
                "songwriter", "music": "composer", "producer": "producer", "producers": "producer",
                "produced by": "producer", "composed by": "composer", "music by": "composer",
                "lyrics by": "lyricist", "screenplay by": "screenwriter", "starring": "actor", "cast": "actor",
                "host": "host", "hosts": "host", "hosted by": "host", "featuring": "featuredArtist",
                "guest": "guest", "guests": "guest"}.get(label)
        start = self.ss + m.end()
        sep = r"[^;]+" if ";" in self.text[start:end] or label not in ("cast", "starring") else r"[^,;]+"
        for seg in re.finditer(sep, self.text[start:end]):
            a, b = start + seg.start(), start + seg.end()
            # a name of no known kind in a field of names is a person ("Cast: Doona Bae, Kim Sae-ron")
            names = [x for x in ms if a <= x.start < b and (mention_kind(x) == "agent" or x.type is None and (
                x.link is None and not x.suggestions and x.method == "new"))]
            if label in ("cast", "starring"):  # "A as X": A plays X
                first = [x for x in names if not self.text[a:x.start].strip()]
                character = re.search(r"\bas (?:the )?(.+?)[.;]?$", self.text[a:b].strip())
                for x in first:
                    self._credit("parse-info", x, work, role, character=character.group(1) if character else None)
            elif role:
                for x in names:
                    self._credit("parse-info", x, work, role)

    def _interviewee(self) -> Mention | None:
        """The person an interview (a "Q&A", "Interview by", "A Conversation With" article)
        is with: the one person its first two story sentences name, else no one."""
        head = (self.article.title or "") + "\n" + self.text[:400]
        if not re.search(r"\bQ ?& ?A\b|\binterview\b|\bin conversation\b|\ba conversation with\b", head, re.I):
            return None
        people = {identity(m): m for _, a, b in self.sents[:2] for m in self.mentions
                  if a <= m.start < b and mention_kind(m) == "agent" and m.type in ("Person", None)}
        return next(iter(people.values())) if len(people) == 1 else None

    def _works_in(self, k: int) -> list[Mention]:
        _, a, b = self.sents[k]
        return [m for m in self.mentions if a <= m.start < b and m.method != "description"
                and (mention_kind(m) == "work" or (m.type is None and self._quoted(m)))]

    def _bracketed_actors(self, ms: list[Mention]) -> None:
        """A recap's "Jae-won (Kang Min-jae) and Da-hee (Jo A-ra)": each actor plays the
        character before the brackets, in the one show or film in focus."""
        pairs = []
        for c, a in zip(ms, ms[1:]):
            if self.text[c.end:a.start] == " (" and self.text[a.end:a.end + 1] == ")" and mention_kind(a) == "agent" \
                    and a.type in ("Person", None) and c.link is None and not c.suggestions and c.type in (None, "Person") \
                    and not _initials(c.text, a.text):  # "Indiana University (IU)": an abbreviation, no actor
                pairs.append((c, a))
        # "The series stars A (the Master Chief), B (Dr. Halsey)": after a verb of casting the name before the
        # bracket is the actor, the one in it the part (the star rules read the actors): no reading here
        pairs = [(c, a) for c, a in pairs if not _in_cast_list(self.text[self.ss:c.start])]
        if not pairs:
            return
        focus = self._topic()
        # an untyped title is a screen work when the sentence speaks of one ("the weekend drama finally brought")
        if focus is None or not (focus.type in SCREEN or (focus.type in (None, "Work") and re.search(
                r"\b(?:episodes?|dramas?|series|films?|movies?|seasons?|sitcoms?)\b", self.sent, re.I))):
            return
        for c, a in pairs:
            self._credit("parse-bracketed-actor", a, focus, "actor", character=c.text)

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
                    or mention_kind(a) != "agent" or a.type not in ("Person", None) or mention_kind(w) == "agent":
                continue
            title = re.search(r"\b([A-Za-z][a-z]+)\s+$", self.text[max(self.ss, a.start - 30):a.start])
            role = self._TITLE_ROLES.get(title.group(1).lower()) if title else None
            if role is None:
                continue
            work = w if w.type else replace(w, type="Work")
            if role == "performer" and work.type not in MUSIC:
                continue
            self._credit("parse-bracketed-work", a, work, role)

    #: what follows a bracket after an actor's name when the bracket holds their past screen work: the
    #: part in the new one ("A (W) as Her Ladyship", "A (W), who plays Nathan")
    _PART_AFTER = re.compile(r"\)\s*(?:,\s*)?(?:(?:has|have) been cast as|(?:is |are |will be )?cast as|as|"
                             r"(?:who |and )?(?:will |is set to |is to )?(?:plays?|playing|portrays?|stars? as))\s")
    #: ... or before the name: "a figure from his past, played by A (W)"
    _PLAYED_BY = re.compile(r"\b(?:played|portrayed|voiced) by\s+$")

    def _bracketed_past_works(self, ms: list[Mention]) -> None:
        """A casting story's "Sarah Lancashire (Happy Valley) as Stage Manager Madge", "led by
        Russell Tovey (Years and Years) who plays Nathan", "played by Bertie Carvel (Doctor Foster)":
        the titles in brackets right after an actor's name, followed by the part they now play (or
        after "played by"), are screen works the actor played in. Only titles that fill the bracket
        or one comma-separated item of it; a bracket of parts ("stars A (the Chief)") says no "as"."""
        for a in ms:
            if mention_kind(a) not in ("agent", "unknown") or a.type not in ("Person", None) or self._in_brackets(a):
                continue
            rest = self.text[a.end:self.se]
            opened = re.match(r"\s\(([^()]{2,120})\)", rest)
            if not opened:
                continue
            close = a.end + opened.end()
            if not (self._PART_AFTER.match(self.text, close - 1)
                    or self._PLAYED_BY.search(self.text[self.ss:a.start])):
                continue
            inner_start = a.end + opened.start(1)
            items, at = [], inner_start
            for piece in opened.group(1).split(","):
                lead = len(piece) - len(piece.lstrip())
                items.append((at + lead, at + len(piece.rstrip())))
                at += len(piece) + 1
            works = [w for w in ms if (w.start, w.end) in items and mention_kind(w) in ("work", "unknown")
                     and w.type not in ("Person", "Group", "Agent") and not re.fullmatch(r"[\d\s]+", w.text)]
            if len(works) != len(items):
                continue  # some item is no title ("(25)", "(BTS)", a part): leave the bracket alone
            for w in works:
                work = w if w.type not in (None, "Work") or w.link else replace(w, type="Work")
                if work.type in MUSIC:
                    continue
                self._credit("parse-bracketed-past-work", a, work, "actor")

    #: "the Lisa Stansfield classic “W”", "the BTS hit “W”": the artist before a song's noun, the title after
    _ARTIST_NOUN = re.compile(r"\s+(?:(?:new|latest|debut|early|old|\d{4}|summer|1990s|\d0s)\s+)?(?:hit|classic|song|single|"
                              r"track|ballad|anthem|smash|banger|b-side)[,:]?\s+[“\"‘]$")
    #: "Selena Gomez’ “Bad Liar”", "Justin Bieber’s “Sorry”" in a sentence about music
    _OWNER_TITLE = re.compile(r"[’']s?\s+(?:(?:new|latest|debut|hit|\d{4})\s+)*(?:(?:music\s+)?video\s+for\s+)?[“\"‘]$")
    #: a sentence of the screen (a film's or a drama's "“W” by A" is its director's, "A's “W”" may be)
    _SCREEN_ONLY = re.compile(r"\b(?:films?|movies?|dramas?|series|sitcoms?|episodes?|screenplay|cinema)\b", re.I)

    def _artist_title(self, ms: list[Mention]) -> None:
        """"a remake of the Lisa Stansfield classic “All Around The World”", "the BTS hit “Dynamite”",
        "Selena Gomez’ “Bad Liar”" (in a sentence about music, not the screen): the artist whose song
        the quoted title is, performer of it (a name of no known kind too: the words make it an artist)."""
        music = bool(MUSIC_WORDS.search(self.sent) or re.search(
            r"\bsongwrit|\bwriting credits?\b|\bvideos?\b|\b(?:co-)?(?:wrote|penned|produced|composed)\s", self.sent,
            re.I)) and not self._SCREEN_ONLY.search(self.sent)
        # "hits like Jukjae’s “W”": a list of songs, where one word before a title is its artist
        listing = re.search(r"\b(?:hits?|songs?|singles?|tracks?|credits?)\s+(?:like|such as|including|include)\b",
                            self.sent, re.I)
        for w, a in zip(ms, ms[1:]):  # "try “Shot At The Night” by The Killers": the song's artist
            if music and self._quoted(w) and w.type in (None, "Work", "Song", "Single") and mention_kind(w) != "agent" \
                    and re.fullmatch(r"[”\"’]?,?\s+by\s+", self.text[w.end:a.start]) \
                    and mention_kind(a) in ("agent", "unknown") and a.type in ("Person", "Group", "Agent", None) \
                    and not self._is_thing(a) and not re.match(r"\s*(?:and|&)\s", self.text[a.end:self.se]):
                song = w if w.type in ("Song", "Single") or w.link else replace(w, type="Song")
                self._credit("parse-title-by", a, song, "performer")
        for a, w in zip(ms, ms[1:]):
            if mention_kind(w) not in ("work", "unknown") or w.type not in (None, "Work", "Song", "Single") \
                    or not self._quoted(w) or self._in_brackets(a):
                continue
            between = self.text[a.end:w.start]
            noun = self._ARTIST_NOUN.match(between) and re.search(r"\b[Tt]he\s+$", self.text[self.ss:a.start])
            owner = music and self._OWNER_TITLE.match(between)
            if not (noun or owner):
                continue
            if noun and a.type == "Work" and a.link is None and not a.suggestions and not self._quoted(a):
                a = replace(a, type=None)  # "the Lisa Stansfield classic": the noun after it made it a title
            if mention_kind(a) not in ("agent", "unknown") or a.type not in ("Person", "Group", "Agent", None):
                continue
            if a.type is None and a.link is None and not a.suggestions and (
                    not re.fullmatch(r"[A-Z][\w.'’-]*[a-z][\w.'’-]*(?: [A-Z][\w.'’-]*[a-z][\w.'’-]*){0,3}", a.text)
                    or owner and not noun and " " not in a.text and not listing or self._is_thing(a)):
                continue  # "The OP song “PHOENIX”", "MBC FM’s “Idol Radio”", "Cyworld’s “Song of the Month”"
            song = w if w.type in ("Song", "Single") or w.link else replace(w, type="Song")
            self._credit("parse-artist-title", a, song, "performer")

    #: "his group Private", "her band, Sunset Road,": the group a person's pronoun owns
    _OWN_GROUP = re.compile(r"\b(?:[Hh]is|[Hh]er)\s+(?:(?:former|old|first|own|new|current|rock|pop|indie|boy|"
                            r"girl|k-pop|idol)\s+)?(?:group|band|duo|trio)(?:,\s*|\s+)$")

    def _own_group(self, ms: list[Mention]) -> None:
        """"I became a fan of Thomas Troelsen when his group Private released an album": the group
        "his" or "her" owns has the one person named before the pronoun in the sentence as a member
        (two people before it, or none: nothing)."""
        for g in ms:
            found = self._OWN_GROUP.search(self.text, self.ss, g.start)
            if not found or found.end() != g.start or mention_kind(g) not in ("agent", "unknown") \
                    or g.type not in ("Group", None) or self._quoted(g):
                continue
            pron = found.start()
            people = {identity(m): m for m in ms if m.end <= pron and mention_kind(m) in ("agent", "unknown")
                      and m.type in ("Person", None) and not self._in_brackets(m)
                      and not (m.type is None and m.link is None and not m.suggestions and self._is_thing(m))}
            if len(people) != 1:
                continue
            person = next(iter(people.values()))
            group = g if g.type == "Group" or g.link else replace(g, type="Group")
            self._membership("parse-own-group", person, group)

    def _from_group(self, ms: list[Mention]) -> None:
        """"Its seven members came from four groups - Taemin from SHINee, Baekhyun and Kai from
        Exo": in a sentence about members, the names just before "from" a group are its members
        (only a name of a group: "A from Seoul" is no membership)."""
        if not re.search(r"\bmembers?\b|\bline-?up\b|\bunit\b", self.sent, re.I):
            return
        for i, g in enumerate(ms):
            if g.type != "Group" or i == 0 or self.text[ms[i - 1].end:g.start] != " from ":
                continue
            members = [ms[i - 1]]
            for k in range(i - 2, -1, -1):
                if not re.fullmatch(r",\s*|\s+and\s+|,\s+and\s+", self.text[ms[k].end:members[0].start]):
                    break
                members.insert(0, ms[k])
            members = [m for m in members if mention_kind(m) in ("agent", "unknown") and m.type in ("Person", None)
                       and not self._is_thing(m)]
            for m in members:
                self._membership("parse-from-group", m, g)

    #: "A, known for “W”", "A (who is best known for the “W”)", "A is best known for songs such as “W”"
    _KNOWN_FOR = re.compile(r"\s*(?:,|\(|—|–)?\s*(?:who\s+(?:is|was|'s)\s+|is\s+|was\s+)?(?:(?:perhaps|probably|"
                            r"arguably|widely|well|best|most|also|still)\s+){0,2}known\s+for\s+(?P<what>(?:(?:his|her|"
                            r"their|the|its|roles?|parts?|work|songs?|hits?|singles?|tracks?|films?|movies?|dramas?|"
                            r"series|shows?|such|as|in|on|like|including|leading|lead|role|hit|songs)\s+)*)")
    _KNOWN_MUSIC = re.compile(r"\b(?:songs?|hits?|singles?|tracks?)\b")
    _KNOWN_SCREEN = re.compile(r"\b(?:roles?|parts?|films?|movies?|dramas?|series|shows?)\b")

    def _known_for(self, ms: list[Mention]) -> None:
        """"Song Seung-heon, known for “Obsessed” (2014) and “Wonderful Nightmare” (2015)", "Crush is
        best known for songs such as “Sometimes”", "Baauer (who is best known for the “Harlem Shake”)":
        the titles a person is known for are their credits, in the part the words say (songs: the
        performer; roles, films, dramas: an actor) or, when they say none, the part the title's kind
        gives (a song's performer, a film's or a drama's actor); a title of no known kind: nothing."""
        for w, a in zip(ms, ms[1:]):  # "Goblin fame Gong Yoo", "“Dynamite” fame BTS"
            if not re.fullmatch(r"[”\"’]?\s+fame\s+", self.text[w.end:a.start]) or a.type not in ("Person", "Group", None) \
                    or mention_kind(a) not in ("agent", "unknown") or mention_kind(w) not in ("work", "unknown") \
                    or w.type in ("Person", "Group", "Agent"):
                continue
            role = "performer" if w.type in MUSIC else "actor" if w.type in SCREEN or w.type in (None, "Work") else None
            if role is None or role == "actor" and a.type == "Group":
                continue
            work = w if w.type not in (None,) else replace(w, type="Work")
            self._credit("parse-fame", a, work, role)
        for i, a in enumerate(ms):
            if mention_kind(a) not in ("agent", "unknown") or a.type not in ("Person", "Group", None) \
                    or self._is_thing(a):
                continue
            k = self._KNOWN_FOR.match(self.text, a.end)
            if not k or k.end() > self.se:
                continue
            what = k.group("what").lower()
            if not what.strip():  # "A, known for “W” (2014), takes on the role of ...": the sentence's trade
                words = self.sent  # (its words, not its names: "Song Seung-heon" says no song)
                for m in ms:
                    words = words[:m.start - self.ss] + " " * (m.end - m.start) + words[m.end - self.ss:]
                screen = re.search(r"\b(?:roles?|cast|star(?:s|red|ring)?|films?|movies?|dramas?|series|actor|actress)\b",
                                   words, re.I)
                music = MUSIC_WORDS.search(words)
                what = "roles" if screen and not music else "songs" if music and not screen else ""
            # the titles listed after "known for", up to the end of the clause
            titles = []
            at = k.end()
            for w in ms[i + 1:]:
                gap = self.text[at:w.start]
                if not re.fullmatch(r"\s*(?:[“\"‘]|[”\"’]|,|\(\d{4}\)|\s|and|or|as well as|the)*\s*", gap):
                    break
                titles.append(w)
                at = w.end
            for w in titles:
                if mention_kind(w) not in ("work", "unknown") or w.type in ("Person", "Group", "Agent"):
                    continue
                if self._KNOWN_MUSIC.search(what) or w.type in MUSIC:
                    role = "performer"
                    if w.type not in MUSIC and not self._quoted(w):
                        continue
                    work = w if w.type in MUSIC or w.link else replace(w, type="Song")
                elif self._KNOWN_SCREEN.search(what) or w.type in SCREEN:
                    role = "actor"
                    if w.type not in SCREEN and not self._quoted(w):
                        continue
                    work = w if w.type in SCREEN or w.link else replace(w, type="Work")
                else:
                    continue
                if a.type == "Group" and role == "actor":
                    continue
                self._credit("parse-known-for", a, work, role)

    #: "... like Christopher Walken in Fatboy Slim's “Weapon of Choice”": A in B's “W” (a video)
    _IN_OWNERS = re.compile(r"\s+in\s+$")

    def _seen_in_video(self, ms: list[Mention]) -> None:
        """"Sometimes, like Christopher Walken in Fatboy Slim's “Weapon of Choice,” they make sense",
        "James Van Der Beek strutting in Ke$ha’s “Blow”" in a sentence about music videos or cameos:
        the person just before "in B's “W”" is seen in W's video (a cameo when the sentence says
        cameo, else an appearance, which in a song's video is the credit itself)."""
        line = self.text[self.text.rfind("\n", 0, self.ss) + 1:self.se]
        if LIST_NUMBER.match(line):
            return  # a numbered list line: the list reader reads it, with the item's text ("It is not IU")
        # (the sentence or the one before it: "... the celebrity music-video cameo ... Sometimes, like A in B's “W”")
        near = (self.sents[self.i - 1][0] + " " if self.i > 0 else "") + self.sent
        if not re.search(r"\b(?:videos?|MVs?|clips?|cameos?)\b", near, re.I):
            return
        role = "cameo" if re.search(r"\bcameos?\b", near, re.I) else "appearance"
        for a, b, w in zip(ms, ms[1:], ms[2:]):
            if not self._IN_OWNERS.fullmatch(self.text[a.end:b.start]) \
                    or not re.fullmatch(r"[’']s?\s+(?:(?:music\s+)?video\s+for\s+)?[“\"‘]", self.text[b.end:w.start]) \
                    or not self._quoted(w) or w.type not in (None, "Work", "Song", "Single", "MusicVideo") \
                    or mention_kind(a) not in ("agent", "unknown") or a.type not in ("Person", None) \
                    or mention_kind(b) not in ("agent", "unknown") or b.type not in ("Person", "Group", None) \
                    or self._is_thing(a) or self._is_thing(b):
                continue
            song = w if w.type not in (None, "Work") or w.link else replace(w, type="Song")
            self._credit("parse-seen-in-video", a, song, role)

    def _list_item(self, ms: list[Mention]) -> None:
        """A listicle's title line: ""Ferris Wheel" — IU feat. Min Ha-rin" (the first
        performs, the featured one is featured); ""Glow Tape" — A and B" or "A x B"
        (collaborators on a song, actors in a film or a drama)."""
        if len(ms) < 2 or mention_kind(ms[0]) not in ("work", "unknown") or ms[0].start - self.ss > 1:
            return
        rest = self.text[ms[0].end:self.se]
        dash = re.match(r"[”\"’]?\s+[—–-]\s+", rest)
        agents = [m for m in ms[1:] if mention_kind(m) == "agent"]
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
            if work.type in MUSIC:
                self._emit_list(agents, work, "collaborator")
            elif work.type in SCREEN:
                self._emit_list(agents, work, "actor")

    def _emit_list(self, agents: list[Mention], work: Mention, role: str) -> None:
        for a in agents:
            self._credit("parse-list-item", a, work, role)
