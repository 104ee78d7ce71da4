"""Facts an article states outside ordinary sentences: credit blocks, list and
tracklist lines, photo captions and speaker turns.

Outlets put many credits in text structures that have no verb::

    Lyrics: Kim Eun-ha / Composition: Kim Eun-ha, Seo Yun-ho / Arrangement: Oh Min-chan
    Credits — Vocals: Seo Ri-a; Rap: Peakboy
    Cast: Jo A-ra (as Dan-bi), Kim Do-yun (as Hyeon)
    3. “Rain Check” – Peakboy & Nari (“Hotel Aster”)
    Track 2: “Runway” (feat. Peakboy) – prod. Yang Se-hoon
    “Love wins all” by IU feat. V (2024)
    Caption: Jo A-ra and Kim Do-yun on the set of “Luna.” (Photo: Moonbay Pictures)
    NOH JI-AN: I directed the video for “Lift Off.”

:func:`with_blocks` puts such lines (most of them look like headings to
:mod:`~collabgraph.ingest.clean`) back among the sentences the names are
found in, as little of them as the names need: a credit line's values without
its labels, a caption without its label and its photo credit; and
:class:`BlockExtractor` (an :class:`~collabgraph.ingest.parse.Extractor`)
reads them. A credit line belongs to the work it sits under: the work of the
nearest list or title line above it, else the one the article's title names,
else the last work named before it. Roles come from the vocabulary's roles
(``cg:roles``); a label with no role there (styling, choreography, a photo
credit) gives nothing. Every candidate quotes the whole line, verbatim, at its
offsets. A rumour in a block ("Rumoured cast:", "(unconfirmed)") is proposed
marked ``+hedged`` below the default threshold; a negation gives nothing.

>>> text = "Nari Returns\\n\\nLyrics: Kim Eun-ha / Composition: Seo Yun-ho\\n\\n(Photo: Tidewater Music)"
>>> [(text[b.start:b.end], b.kind) for b in block_lines(text)]
[('Lyrics: Kim Eun-ha / Composition: Seo Yun-ho', 'credits')]
>>> [s for s, _, _ in with_blocks(text, [])]
[' Kim Eun-ha', ' Seo Yun-ho']
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Any

from ..core.names import search_key
from .candidates import Article, Candidate, Mention
from .clean import furniture, story_sentences
from .spans import identity, kind

__all__ = ["Block", "block_lines", "with_blocks", "own_claims", "whole_line", "BlockExtractor", "LABEL_ROLES"]

#: A credit label (lower case, one space) -> the role in ``cg:roles``. "written by" is
#: the screenwriter for a film or a show, the songwriter otherwise; "written and composed
#: by" credits both the words and the music.
LABEL_ROLES: dict[str, tuple[str, ...]] = {}
for _labels, _roles in [
    ("lyrics|lyricist|lyricists|lyrics by|words|words by|korean lyrics|english lyrics", ("lyricist",)),
    ("composition|composer|composers|composed by|music|music by|melody|melody by", ("composer",)),
    ("written and composed by|words and music|words and music by|lyrics and composition|lyrics & composition",
     ("lyricist", "composer")),
    ("arrangement|arranger|arrangers|arranged by", ("arranger",)),
    ("written by|writer|writers|songwriter|songwriters|songwriting|written", ("songwriter",)),
    ("produced by|producer|producers|production|prod.|prod. by|prod by|produced", ("producer",)),
    ("directed by|director|directors|mv director|m/v director|music video director|video director|mv directed by|"
     "music video directed by|video directed by|mv|m/v|direction|film director|directed", ("director",)),
    ("vocals|vocal|lead vocals|vocalist|vocalists|rap|raps|rap by|vocals by|sung by|chorus|backing vocals",
     ("vocalist",)),
    ("guitar|bass|piano|drums|keys|keyboards|strings|violin|cello|synths|synth|programming", ("instrumentalist",)),
    ("performed by|artist|artists|singer|performer|performers", ("performer",)),
    ("featuring|feat.|ft.|featured artist|featured artists|feat", ("featuredArtist",)),
    ("mixed by|mixing|mix|mix engineer|mixing engineer|mastered by|mastering|mastering engineer|engineer|"
     "engineers|engineered by|recorded by|recording|recording engineer", ("engineer",)),
    ("screenplay|screenplay by|script|script by|screenwriter|screenwriters|teleplay", ("screenwriter",)),
    ("starring|cast|also starring|main cast|stars|lead cast|leads|supporting cast|ensemble", ("actor",)),
    ("cameo|cameos|special appearance|special appearances|cameo appearance|cameo appearances|special guest",
     ("cameo",)),
    ("host|hosts|hosted by|mc|mcs|presenter|presenters|presented by", ("host",)),
    ("guest|guests|guest star|guest stars|guest appearance|guest appearances|guesting", ("guest",)),
]:
    for _label in _labels.split("|"):
        LABEL_ROLES[_label] = _roles
#: Labels of a credit line that are no fact (no role in the vocabulary, or not about a work).
_NO_FACT = ("photo|photos|photograph|photography|photographer|image|images|source|sources|courtesy|credit|"
            "photo credit|image credit|styling|stylist|hair|makeup|make-up|choreography|choreographer|costume|"
            "costumes|network|channel|episodes|runtime|running time|genre|label|agency|distributor|studio|"
            "release|released|release date|premiere|premiered|airs|aired|rating|format|length|tags|related")
_SCREEN = {"TVSeries", "KDrama", "Film", "WebSeries", "TalkShow", "VarietyShow", "MusicVideo", "Podcast",
           "RadioShow", "Channel"}
_SHOWS = {"TalkShow", "VarietyShow", "Podcast", "RadioShow", "Channel"}
_MUSIC = {"Song", "Single", "Album", "EP"}
#: Roles only a recording has.
_MUSIC_ROLES = {"lyricist", "arranger", "vocalist", "instrumentalist", "featuredArtist", "engineer"}

_ALL_LABELS = sorted(set(LABEL_ROLES) | set(_NO_FACT.split("|")), key=len, reverse=True)
_LABEL = "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in _ALL_LABELS)
#: One field of a credit line: "Lyrics: X", "Written by X", "Produced by: X", "MV director — X".
_FIELD = re.compile(rf"(?P<label>(?i:{_LABEL}))(?:\s*:\s*|\s+[—–-]\s+|(?<=by)\s+|(?<=feat\.)\s+|(?<=ft\.)\s+)"
                    rf"(?=[^\s:])")
#: What may open a credit line before its first field: "Credits —", "Song credits:", a bullet.
_CREDITS_LEAD = re.compile(r"(?:[•·*–—-]\s*)?(?:(?:(?:Song|Track|Album|Film|Drama|MV|Video|Full|Production)\s+)?"
                           r"(?:Credits?|Staff|Personnel|Liner notes?)\s*(?:[:—–-]\s*|\s+(?=\S)))?")
#: Between fields: " / ", " · ", " | ", "; " or ", " before the next label.
_SEPARATOR = re.compile(r"\s*(?:/|·|\||•|;|,)\s*")
#: A tracklist line with names in brackets after a quoted title: "- “Song” (A, B, C)", "3. “Song” (A & B)".
_WRITERS_LINE = re.compile(r"(?:[-•*▪]\s*|\d{1,3}[.)]\s+)?[“\"‘][^“”\"‘’\n]{1,80}[”\"’']\s*"
                           r"\((?=[^()\n]*[,&])[A-Z][^()\n]{2,200}\)")
#: The heading of a list whose bracketed names are writers: "Track listing and songwriting credits:".
_WRITERS_HEADING = re.compile(r"(?i)\b(?:song)?writ(?:ers?|ing|ten)\b|\bcredits?\b|\bpenned\b")


def _list_heading(text: str, s: int) -> str:
    """The line above the run of list lines that the line at ``s`` is in (the list's heading)."""
    lines = text[:s].rstrip("\n").split("\n")
    for line in reversed(lines):
        if line.strip() and not _WRITERS_LINE.fullmatch(line.strip()):
            return line
    return ""


#: A list or tracklist item's number: "3.", "#5", "No. 2:", "Track 2:", "02 -".
_ITEM_LEAD = re.compile(r"(?:(?:Track|No\.?|#)\s*\d{1,3}\s*[:.),]?|\d{1,3}(?:[-–]\d{1,3})?\s*[.)]|\d{1,3}\s+[—–-])\s+")
#: The words a list line may have between its names (with a name's place taken by a mark).
_CUES = re.compile(r"\bprod\.?(?: by)?|\bproduced by\b|\bfeat\.?|\bft\.?|\bfeaturing\b|\bwith\b|\bby\b|\bof\b|"
                   r"\band\b|\bx\b|[—–&×,()'’:.-]|\s")
_QUOTED = re.compile(r"[“\"‘'][^“”\"‘’\n]{1,80}[”\"’']")
#: A caption's label, and a photo credit after it: "(Photo: Agency)", "Courtesy of X", "© X".
_CAPTION_LEAD = re.compile(r"(?:\[(?:Photo|Image|Caption)[^\]\n]{0,40}\]\s*|(?:Photo caption|Caption|Photo|Pictured|"
                           r"Image|Above|Top|Left|Right|Below)\s*:\s*)")
_PHOTO_CREDIT = re.compile(r"\s*(?:\((?:(?:Photo|Image|Picture)s?(?: by| credit)?\s*[:/]?|Courtesy\b|Credit\s*:|©|"
                           r"Source\s*:)[^)\n]*\)|(?:(?:Photo|Image)s?(?: by| credit)?\s*:|Courtesy of|Credit\s*:|©|"
                           r"Source\s*:|Photographed by)[^\n]*|\([A-Z][\w&.' /@-]{1,40}\))\.?\s*$")
_INLINE_PHOTO = re.compile(r"\((?:(?:Photo|Image|Picture)s?(?: by| credit)?\s*[:/]|Courtesy\b|Credit\s*:|©|"
                           r"Source\s*:|Getty\b|Yonhap\b)[^)\n]*\)")
#: What makes a caption a statement about a work: someone on its set, in a still or scene of it.
_CAPTION_FACT = re.compile(r"\b(?:on the set of|on set of|in a (?:still|scene) from|in a (?:still|scene) of|"
                           r"behind the scenes of|filming|while filming|as (?:[A-Z]|the |a |an ))")
#: A speaker's turn: "Q:", "A:", "NOH JI-AN:", "Noh Ji-an:".
_TURN = re.compile(r"(?P<who>Q|A|[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*){0,3})\s*:\s+(?=\S)")
_PULL_QUOTE = re.compile(r"(?:\[Pull quote\]|Pull quote\s*:)\s*[“\"](?P<quote>.+)[”\"]\s*[—–-]+\s*(?P<who>[^—–\n]+)$",
                         re.I)
#: First-person claims: "I directed", "I co-wrote", "I played Ji-hye in", "I was in ... as".
_I_DID = re.compile(r"\bI(?:’ve|'ve| have)?\s+(?:(?:also|once|actually|even|first|recently|just|personally|then)\s+)?"
                    r"(?P<verb>directed|co-directed|wrote|co-wrote|penned|composed|co-composed|produced|co-produced|"
                    r"arranged|sang|sung|starred in|co-starred in|played|appeared in|appeared as|was in|made a cameo in|"
                    r"made a cameo|cameoed in|hosted|co-hosted|featured on|rapped on|mixed|"
                    r"written|directed|composed|produced)\b")
_I_ROLES = {"directed": "director", "co-directed": "director", "wrote": "songwriter", "co-wrote": "songwriter",
            "penned": "songwriter", "written": "songwriter", "composed": "composer", "co-composed": "composer",
            "produced": "producer", "co-produced": "producer", "arranged": "arranger", "sang": "performer",
            "sung": "performer", "starred in": "actor", "co-starred in": "actor", "played": "actor",
            "appeared in": "appearance", "appeared as": "appearance", "was in": "appearance",
            "made a cameo in": "cameo", "made a cameo": "cameo", "cameoed in": "cameo", "hosted": "host",
            "co-hosted": "host", "featured on": "featuredArtist", "rapped on": "featuredArtist", "mixed": "engineer"}
#: A hedge or a negation in a line: the line states no fact.
_HEDGE = re.compile(r"\b(?:rumou?r(?:s|ed)?|reportedly|allegedly|unconfirmed|tba|tbc|tbd|in talks|expected|"
                    r"speculated|possibly|may|might|could|would|hope|hoping|wish|want|wanted|plan(?:s|ned)?|"
                    r"offered|considering)\b|\?", re.I)
_NEGATION = re.compile(r"\b(?:not|never|no longer|denied|denies|deny|didn[’']t|don[’']t|wasn[’']t|isn[’']t|"
                       r"cut from|dropped out|withdrew|replaced)\b", re.I)


@dataclass(frozen=True)
class Block:
    """A line of the article that is a text structure: ``kind`` is ``credits``,
    ``item`` (a list, tracklist or title line), ``caption``, ``quote`` (a pull
    quote) or ``turn`` (a speaker's turn). ``start``-``end`` is the whole line;
    ``pieces`` are the parts of it whose names count (a credit line's values, a
    caption without its label and photo credit)."""

    start: int
    end: int
    kind: str
    pieces: tuple[tuple[int, int], ...] = ()
    #: for ``credits``: (label start, label end, value start, value end, roles) per field
    fields: tuple[tuple[int, int, int, int, tuple[str, ...]], ...] = ()
    speaker: str | None = None


def _label_roles(label: str) -> tuple[str, ...] | None:
    """The roles of a label; ``()`` for a label that is no fact; ``None`` for no label."""
    key = re.sub(r"\s+", " ", label.lower())
    if key in LABEL_ROLES:
        return LABEL_ROLES[key]
    return () if key in _NO_FACT.split("|") else None


def _credit_fields(text: str, s: int, e: int) -> list[tuple[int, int, int, int, tuple[str, ...]]] | None:
    """The fields of a credit line ``text[s:e]``, or ``None`` when it is not one
    (every part of it must be a labelled field)."""
    lead = _CREDITS_LEAD.match(text, s, e)
    at = lead.end() if lead else s
    fields: list[list[Any]] = []
    while at < e:
        m = _FIELD.match(text, at, e)
        if m is None:
            return None
        roles = _label_roles(m.group("label"))
        if roles is None:
            return None
        # the value runs to the next separator that is followed by another label
        nxt = e
        for sep in _SEPARATOR.finditer(text, m.end(), e):
            if _FIELD.match(text, sep.end(), e) and sep.group().strip() in ("/", "·", "|", "•", ";", ","):
                nxt = sep.start()
                at_next = sep.end()
                break
        else:
            at_next = e
        place = re.search(r"\s+(?:at|in)\s+(?:the\s+)?[A-Z][^/·|•;]*$", text[m.end():nxt])
        nxt = m.end() + place.start() if place else nxt  # "Mixed by A at Ferry Studio": the place is no name
        if roles and not _names_only(text[m.end():nxt]):
            return None  # "Composed by A, it sounds like ...": a sentence, not a credit line
        fields.append([m.start(), m.start("label") + len(m.group("label")), m.end(), nxt, roles])
        at = at_next
    return [tuple(f) for f in fields] if fields else None  # type: ignore[misc]


_JOINERS = {"and", "with", "x", "feat", "ft", "featuring", "de", "van", "von", "der", "da", "le", "la", "of", "the",
            "prod", "by", "also"}


def _names_only(value: str) -> bool:
    """Whether a credit's value is names (with "as" a character, notes in brackets)."""
    value = re.sub(r"\([^)]*\)|\bas\b[^,;/·|•)]*", " ", value)
    return sum(1 for w in re.findall(r"(?<![\w'’-])[a-z][\w'’-]*", value) if w not in _JOINERS) == 0


def _value_pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The name lists of a value: "Kim Eun-ha, Seo Yun-ho (as Dan-bi)" without
    trailing full stops; each piece has a name's capital."""
    out = []
    for m in re.finditer(r"[^;/·|•]+", text[a:b]):
        ps, pe = a + m.start(), a + m.end()
        piece = text[ps:pe]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip().rstrip(".")
        # one space kept before the names: a value's first word is no sentence's first word
        # ("Featuring: Nari": a one-word name is a name here)
        start = ps + lead
        start -= 1 if start > 0 and text[start - 1] == " " else 0
        if re.search(r"[A-Z가-힣]", piece):
            out.append((start, ps + lead + len(piece)))
    return out


def block_lines(text: str) -> list[Block]:
    """The lines of ``text`` that are text structures (see :class:`Block`).

    >>> [b.kind for b in block_lines("X\\n\\nWritten by Kim Eun-ha, Seo Yun-ho\\n“Rain” – Nari\\nQ: Why did you?\\n")]
    ['credits', 'item', 'turn']
    """
    out: list[Block] = []
    # bylines, datelines, "Related:" lines, hashtags: never a structure with facts
    parts = furniture(text)
    skip = {s for s, _e, k in parts if k not in ("heading", "caption", "byline")}
    # "Written by A" is a byline at the top, a credit next to other credits or under a title line
    bylines = {s for s, _e, k in parts if k == "byline"}
    parallel = _parallel_items(text)
    rows = bracket_rows(text)
    first = True
    # a label alone on its line ("Cast:"), and the lines of names right under it, one a line
    under: tuple[int, int, tuple[str, ...]] | None = None
    last_end = -1
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        s = m.start() + len(line) - len(line.lstrip())
        e = s + len(stripped)
        if first:  # the headline: the work an article's credit block belongs to, never a fact itself
            first = False
            last_end = e
            continue
        if under is not None and text[last_end:s].count("\n") != 1:
            under = None  # a blank line ends the list under a label
        last_end = e
        block = _block(text, s, e) if s not in skip else None
        if block is None and under is not None:
            block = _listed_under(text, s, e, under)
        label = _LABEL_ALONE.fullmatch(stripped)
        roles = _label_roles(label.group("label")) if label else None
        if label and roles:  # the label line itself names no one: the lines under it do
            under = (s, s + len(label.group("label")), roles)
            continue
        if block is None or block.kind != "credits":
            under = None  # a line of another kind ends the list
        if block is None and s not in skip and s in parallel:
            block = Block(s, e, "item", ((s, e),))
        if block is None and s not in skip and s in rows:
            block = Block(s, e, "pair", ((s, e),))  # "Taeyeon (Girls’ Generation)": read by member_lines
        if block is not None and (s not in bylines or block.kind == "credits"):
            out.append(block)
    out = [b for k, b in enumerate(out) if b.start not in bylines or _next_to_credits(text, out, k)]
    # a short heading right above a credit block is the title of what it credits
    # ("Polaroid Summer" / "Lyrics: A"); "Credits" or "Personnel" above one is not
    taken = {b.start for b in out}
    for hs, he, k in parts:
        nxt = next((b for b in out if b.start > he), None)
        words = re.findall(r"[\w'’-]+", text[hs:he])
        if k == "heading" and hs not in taken and hs > 0 and nxt is not None and nxt.kind == "credits" \
                and not text[he:nxt.start].strip() and text[he:nxt.start].count("\n") <= 3 and len(words) <= 8 \
                and not _CREDITS_HEADING.fullmatch(text[hs:he]) and _label_roles(text[hs:he].rstrip(":")) is None:
            out.append(Block(hs, he, "title", ((hs - 1 if text[hs - 1] == " " else hs, he),)))
    return sorted(out, key=lambda b: b.start)


#: A credit label alone on its line, over a list of names one a line ("Cast:" / "Han Ji-min as Seo Da-in").
_LABEL_ALONE = re.compile(r"(?P<label>[A-Za-z][A-Za-z &.-]{1,30}?)\s*:")


def _listed_under(text: str, s: int, e: int, under: tuple[int, int, tuple[str, ...]]) -> Block | None:
    """Line ``text[s:e]`` as a credit line of the label alone on a line above it (``under``: the
    label's offsets and roles), when it is names only, a part after "as" or in brackets allowed
    ("Han Ji-min as Seo Da-in", "Yoo Yeon-seok (Kang Min-jae)"): the label's field with this line as
    its value. The candidate quotes this line; the label is the line's heading."""
    line = text[s:e]
    if len(re.findall(r"\w+", line)) > 12 or not line[:1].isupper() or not _names_only(line.rstrip(".")):
        return None
    pieces = tuple(_value_pieces(text, s, e))
    if not pieces:
        return None
    ls, le, roles = under
    return Block(s, e, "credits", pieces, ((ls, le, s, e, roles),))


#: An unnumbered list item of someone in a work: "Jack Black in Die Antwoord’s “Ugly Boy”",
#: "Tom Hanks in ‘Dear Me’", "A in B’s “Song” (with C)".
_IN_ITEM = re.compile(r"[A-Z][^“\"‘\n.!?:]{0,40} in (?:[A-Z][^“\"‘\n.!?:]{0,40}['’]s? )?[“\"‘'][^“”\"‘’\n]{1,80}[”\"’']"
                      r"(?:\s*\([^()\n]{1,40}\))?")


def _opens_quote(text: str, start: int) -> bool:
    """Whether a quotation mark stands right before ``start`` (never at the text's first character,
    where the empty slice before it was "in" any string of marks).

    >>> _opens_quote("“Dynamite”", 1), _opens_quote("Dynamite", 0)
    (True, False)
    """
    return start > 0 and text[start - 1] in "“\"‘'"


def _parallel_items(text: str) -> set[int]:
    """Where the lines of an unnumbered list of people in works start: a line "A in B’s “Song”"
    counts as a list item only when the article has at least two of them, each a line of its own
    after the headline (the list's shape, which one line alone does not show)."""
    starts = []
    for k, m in enumerate(re.finditer(r"[^\n]+", text)):
        line = m.group().strip()
        if k and line and _IN_ITEM.fullmatch(line):
            starts.append(m.start() + len(m.group()) - len(m.group().lstrip()))
    return set(starts) if len(starts) >= 2 else set()


#: Headings of a credit block that name no work.
_CREDITS_HEADING = re.compile(r"(?i)(?:the\s+|full\s+|song\s+|album\s+|track\s+)?(?:credits?|personnel|staff|"
                              r"liner notes?|track ?list(?:ing)?|info(?:rmation)?|details|cast and crew|cast & crew|"
                              r"who made it|behind the (?:song|scenes))\s*:?")


def _next_to_credits(text: str, blocks: list[Block], k: int) -> bool:
    """Whether the line right above or below ``blocks[k]`` is a credit or a title line."""
    for j in (k - 1, k + 1):
        if 0 <= j < len(blocks) and blocks[j].kind in ("credits", "item"):
            a, z = sorted((blocks[j], blocks[k]), key=lambda b: b.start)
            if not text[a.end:z.start].strip() and text[a.end:z.start].count("\n") <= 2:
                return True
    return False


def _block(text: str, s: int, e: int) -> Block | None:
    line = text[s:e]
    words = len(re.findall(r"\w+", line))
    pull = _PULL_QUOTE.match(line)
    if pull:
        return Block(s, e, "quote", ((s + pull.start("quote"), s + pull.end("quote")),
                                     (s + pull.start("who"), s + pull.end("who"))), speaker=pull.group("who"))
    cap = _CAPTION_LEAD.match(line)
    if cap or re.match(r"\((?:Photo|Image|Courtesy)\b", line):
        if not cap:
            return None  # "(Photo: Agency)": a photo credit, never a fact
        body_s = s + cap.end()
        credit = _PHOTO_CREDIT.search(text, body_s, e)
        body_e = credit.start() if credit else e
        body = text[body_s:body_e].rstrip(" .")
        if not _CAPTION_FACT.search(body) or not _QUOTED.search(body) and not re.search(r"[A-Z]\w+ [A-Z]", body):
            return None
        return Block(s, e, "caption", ((body_s, body_s + len(body)),))
    fields = _credit_fields(text, s, e) if words <= 40 else None
    if fields:
        pieces = tuple(p for f in fields if f[4] for p in _value_pieces(text, f[2], f[3]))
        return Block(s, e, "credits", pieces, tuple(fields))
    turn = _TURN.match(line)
    who = turn.group("who") if turn else ""
    # a speaker: "Q", "A", a name in capitals ("NOH JI-AN:") or one the article writes elsewhere
    # ("Noh Ji-an:"); not "Best Actress:" or "Warning:"
    if turn and _label_roles(who) is None and words > 2 and (
            who in ("Q", "A") or who.isupper() and len(who) > 1 or " " in who and text.count(who) > 1):
        return Block(s, e, "turn", ((s + turn.end(), e),), speaker=who)
    if re.search(r"[.!?…][\"'”’]?$", line) and not re.search(r"\)$", line) or words > 20:
        return None
    lead = _ITEM_LEAD.match(line)
    body_s = s + (lead.end() if lead else 0)
    rest = text[body_s:e]
    # "“Song” – Artist", "Artist – “Song”", "“Song” by Artist (2023)", "Love wins all by IU feat. V"
    if lead and re.fullmatch(r"[“\"‘'][^“”\"‘’\n]{1,80}[”\"’']", rest.strip()):
        return Block(s, e, "item", ((body_s, e),))  # "Track 1, “Static Bloom”": a section's title
    if lead and re.match(r"Track\b", line) and len(rest.split()) <= 8 and not re.search(r"[—–-]\s|\bby\b", rest):
        # "Track 3: Polaroid Summer (3:45)" (with the space before it: a one-word title is a name)
        return Block(s, e, "title", ((body_s - 1 if text[body_s - 1] == " " else body_s, e),))
    if lead and re.match(r"[A-Z][^“\"‘\n]{0,40} in \S.{0,60}[”\"’']$", rest) and _QUOTED.search(rest):
        return Block(s, e, "item", ((body_s, e),))  # "1. V in Peakboy’s “Gyopo Hairstyle”"
    if re.search(r"\s[—–-]\s|\bby\s+[A-Z]|\s(?:feat\.|ft\.|featuring)\s", rest) and (
            lead or _QUOTED.match(rest) or re.search(r"\bby\s+[A-Z]", rest)):
        return Block(s, e, "item", ((body_s, e),))
    if _WRITERS_LINE.fullmatch(line) and _WRITERS_HEADING.search(_list_heading(text, s)):
        # "- “Song” (A, B, C)" in a list under "track listing and credits": the song's writers
        bullet = re.match(r"(?:[-•*▪]\s*|\d{1,3}[.)]\s+)?", line)
        return Block(s, e, "item", ((s + (bullet.end() if bullet else 0), e),))
    if re.fullmatch(r"[A-Z][^“\"‘\n:]{0,50}?\s(?:[—–]|--?)\s[“\"‘][^“”\"‘’\n]{1,80}[”\"’'][^“\"‘\n]{0,60}", rest):
        return Block(s, e, "item", ((body_s, e),))  # unnumbered "Artist – “Song” (2016)", "A -- “Song” featuring B"
    return None


#: A label opening a line: "Best Actress: ", "EXCLUSIVE: ", "Warning: ", "Next up: ".
_LINE_LABEL = re.compile(r"(?P<label>[A-Z][\w'’.&-]*(?: [A-Za-z][\w'’.&-]*){0,3}):[ \t]+(?=\S)")


def _unlabelled(text: str, sent: tuple[str, int, int]) -> tuple[str, int, int]:
    """A sentence that opens its line with a label ("Best Actress: Noh Ji-an, for ...")
    without the label: a label is no part of the name after it. Credit and information
    labels ("Cast:", "Premiered:") stay, for the readers of information boxes."""
    _, ss, se = sent
    m = _LINE_LABEL.match(text, ss, se)
    if m is None or (ss and text[ss - 1] != "\n") or _label_roles(m.group("label")) is not None:
        return sent
    return text[m.end():se], m.end(), se


def with_blocks(text: str, sents: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The story sentences with the text structures' names among them: a credit
    line's values, a list line, a caption's words (no label, no photo credit), in
    the order of the text. A structure already read as a sentence stays as it is."""
    sents = [_unlabelled(text, x) for x in sents]
    # "... said. (Photo: Yonhap)": a photo credit inside a paragraph is no part of the story
    credits = [(m.start(), m.end(), "photo") for m in _INLINE_PHOTO.finditer(text)]
    if credits:
        sents = story_sentences(sents, text, credits)
    blocks = [b for b in block_lines(text) if b.pieces]
    if not blocks:
        return sents

    def covered(b: Block) -> bool:
        return any(ss < b.end and b.start < se for _, ss, se in sents)

    # "A: I starred in ...", "NOH JI-AN: I directed ...": the speaker's label is no part of the sentence
    turns = {b.start: b.pieces[0][0] for b in blocks if b.kind == "turn"}
    sents = [(text[turns[ss]:se], turns[ss], se) if ss in turns and turns[ss] < se else (sent, ss, se)
             for sent, ss, se in sents]
    added = [(text[a:z], a, z) for b in blocks if b.kind != "turn" and not covered(b) for a, z in b.pieces if z > a]
    # "BAEK DO-HYUN:": the speaker's name, a name of the article
    added += [(text[b.start:b.start + len(b.speaker)], b.start, b.start + len(b.speaker)) for b in blocks
              if b.kind == "turn" and b.speaker and len(b.speaker) > 1]
    return sorted(sents + added, key=lambda x: x[1])


def whole_line(text: str, sent: tuple[str, int, int]) -> tuple[str, int, int]:
    """The quote for a name found in a piece of a text structure: its whole line
    ("Lyrics: Nari / Composition: Nari, Baek Seung-ho", not " Nari, Baek Seung-ho")."""
    _, ss, se = sent
    for b in _blocks_of(text):
        if b.kind != "turn" and b.start <= ss and se <= b.end and (ss, se) != (b.start, b.end):
            return text[b.start:b.end], b.start, b.end
    return sent


@functools.lru_cache(maxsize=4)
def _blocks_of(text: str) -> tuple[Block, ...]:
    return tuple(block_lines(text))


def own_claims(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates without the other extractors' readings of "I" in a named speaker's
    turn ("BAEK DO-HYUN: I directed it"): the interview's one guest is not every
    speaker; :class:`BlockExtractor` gives each speaker their own claims."""
    turns = [(b.pieces[0][0], b.end) for b in _blocks_of(text) if b.kind == "turn" and b.speaker
             and len(b.speaker) > 1]
    if not turns:
        return candidates

    def first_person_in_turn(c: Candidate) -> bool:
        return not c.rule.startswith("block-") and any(
            m.text.lower() in ("i", "me", "my", "myself") and any(a <= m.start < z for a, z in turns)
            for m in c.slots.values())

    return [c for c in candidates if not first_person_in_turn(c)]


# ---------------------------------------------------------------------------------
# The extractor
# ---------------------------------------------------------------------------------

def _is_agent(m: Mention) -> bool:
    return kind(m) == "agent" or (kind(m) == "unknown" and m.method != "description")


def _is_work(m: Mention) -> bool:
    return kind(m) == "work" and m.method != "description"


class BlockExtractor:
    """Credits from credit blocks, list and tracklist lines, captions and speaker
    turns (see the module)."""

    name = "blocks"

    def candidates(self, article: Article, text: str, sents: list[tuple[str, int, int]],
                   mentions: list[Mention], context: Any) -> list[Candidate]:
        listed = member_lines(article, text, sents, mentions)
        blocks = list(_blocks_of(text))
        if not blocks:
            return listed
        return _Reader(article, text, sents, mentions, blocks).run() + listed


#: A line that is one name and another in brackets after it ("Taeyeon (Girls’ Generation)", "- Solar (MAMAMOO)").
_NAME_BRACKET_LINE = re.compile(r"^[^\S\n]*(?:[-•*▪►]|\d{1,3}[.)])?[^\S\n]*(?P<a>[^()\n]{1,40}?)[^\S\n]*"
                                r"\([^\S\n]*(?P<b>[^\n]{1,40}?)[^\S\n]*\)[^\S\n]*$", re.M)


@functools.lru_cache(maxsize=4)
def _bracket_runs(text: str) -> tuple[tuple[re.Match, ...], ...]:
    """The "Name (Name)" rows of the text's lists: runs of three or more such lines one under the other
    (read by the block lines and by the member reader: found once per text)."""
    runs: list[list[re.Match]] = []
    for m in _NAME_BRACKET_LINE.finditer(text):
        gap = text[runs[-1][-1].end():m.start()] if runs else None
        if gap is not None and gap.strip() == "" and gap.count("\n") == 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return tuple(tuple(run) for run in runs if len(run) >= 3)


def bracket_rows(text: str) -> set[int]:
    """Where the lines start that are "Name (Name)" rows of a list, three or more in a row."""
    return {m.start() for run in _bracket_runs(text) for m in run}


def member_lines(article: Article, text: str, sents: list[tuple[str, int, int]],
                 mentions: list[Mention]) -> list[Candidate]:
    """A list of "Person (Group)" lines, three or more in a row ("Taeyeon (Girls’ Generation)", "CL (2NE1)",
    "Solar (MAMAMOO)", as fan sites list members, leaders or vocalists): each line a membership, when the
    brackets hold groups (a third of them or more typed a group, none typed anything else) and the names
    before them are no works. A list of "Song (Artist)" or "Character (Actor)" lines gives nothing: its
    brackets hold people, or its names are works."""
    def named(m: re.Match, k: str) -> Mention | None:
        return next((x for x in mentions if x.start == m.start(k) and x.end == m.end(k)), None)

    runs = [[(m, named(m, "a"), named(m, "b")) for m in run] for run in _bracket_runs(text)]
    out: list[Candidate] = []
    for run in runs:
        pairs = [(m, a, b) for m, a, b in run if a is not None and b is not None]
        if len(pairs) < 3:
            continue
        groups = [b for _m, _a, b in pairs if b.type in ("Group", "Band", "MusicGroup")]
        if len(groups) * 3 < len(pairs) or any(b.type not in (None, "Group", "Band", "MusicGroup", "Agent")
                                               for _m, _a, b in pairs) \
                or any(kind(a) == "work" or a.type in ("Group", "Band") for _m, a, _b in pairs):
            continue
        for m, a, b in pairs:
            sent, ss, se = next(((x, xs, xe) for x, xs, xe in sents if xs <= m.start("a") < xe),
                                (text[m.start():m.end()], m.start(), m.end()))
            person = a if a.type or a.link else replace(a, type="Person")
            group = b if b.type or b.link else replace(b, type="Group")
            out.append(Candidate.make(article, kind="membership", rule="block-member-line", sentence=sent,
                                      start=ss, end=se, slots={"member": person, "group": group}, score=0.6))
    return out


class _Reader:
    def __init__(self, article: Article, text: str, sents: list[tuple[str, int, int]], mentions: list[Mention],
                 blocks: list[Block]):
        self.article, self.text, self.sents, self.mentions, self.blocks = article, text, sents, mentions, blocks
        self.out: list[Candidate] = []
        headline = article.title or next((x.strip() for x in text.splitlines() if x.strip()), "")
        titled = {identity(w): w for w in mentions if _is_work(w) and len(w.text) > 2
                  and re.search(rf"(?<!\w){re.escape(w.text)}(?!\w)", headline)}
        self.title_work = next(iter(titled.values())) if len(titled) == 1 else None
        self.screen = bool(re.search(r"^(?:Cast|Starring|Episodes|Network|Directed by|Runtime|Running time|"
                                     r"Screenplay)\s*:", text, re.M | re.I))

    def in_(self, a: int, b: int) -> list[Mention]:
        return [m for m in self.mentions if a <= m.start and m.end <= b]

    def quote(self, b: Block, at: int | None = None) -> tuple[str, int, int]:
        """The sentence a line's candidates quote: the one story sentence that is
        the line (or, in a speaker's turn, holds the claim at ``at``), else the line."""
        for sent, ss, se in self.sents:
            if ss <= b.start and b.end <= se or at is not None and b.start <= ss <= at < se <= b.end:
                return sent, ss, se
        return self.text[b.start:b.end], b.start, b.end

    def emit(self, b: Block, rule: str, agent: Mention, work: Mention, role: str, score: float, *,
             character: str | None = None, hedged: bool = False, at: int | None = None) -> None:
        sent, ss, se = self.quote(b, at)
        if hedged:
            rule, score = rule + "+hedged", min(score, 0.3)
        if agent.link is None and agent.type is None:
            agent = replace(agent, type="Agent")
        if work.link is None and work.type is None:
            work = replace(work, type="Work")
        self.out.append(Candidate.make(self.article, kind="credit", rule=rule, sentence=sent, start=ss, end=se,
                                       slots={"agent": agent, "work": work}, role=role, character=character,
                                       score=score))

    def run(self) -> list[Candidate]:
        section: Mention | None = None  # the work of the last list or title line
        unknown = False  # under a title line whose work is not known: its credits are no one's
        at = 0
        starts = {b.start for b in self.blocks}
        headings = [hs for hs, _he, k in furniture(self.text) if k == "heading" and hs not in starts]
        for b in self.blocks:
            if b.kind in ("item", "title"):
                section = self.item(b) if b.kind == "item" else self.title(b)
                unknown, at = section is None, b.end
            elif b.kind == "credits":
                if any(at <= h < b.start for h in headings):
                    section, unknown = None, False  # a heading ("Credits") between: not the track's
                if not unknown:
                    self.credits(b, section)
                at = b.end
            elif b.kind == "caption":
                self.caption(b)
            elif b.kind in ("turn", "quote"):
                self.turn(b)
        self.leads()
        return self.out

    # -- credit lines ---------------------------------------------------------------

    def work_for(self, b: Block, section: Mention | None) -> Mention | None:
        """The work a credit block sits under: the last list or title line's work,
        the one the headline names, else the last work named before it in the story."""
        if section is not None:
            return section
        if self.title_work is not None:
            return self.title_work
        before = [m for m in self.mentions if m.end <= b.start and _is_work(m)]
        return before[-1] if before else None

    def credits(self, b: Block, section: Mention | None) -> None:
        work = self.work_for(b, section)
        if work is None:
            return
        line = self.text[b.start:b.end]
        hedged = bool(_HEDGE.search(line))
        if _NEGATION.search(line):
            return
        for _ls, _le, vs, ve, roles in b.fields:
            if not roles:
                continue
            for ps, pe in _value_pieces(self.text, vs, ve):
                # "Jo A-ra (as Dan-bi)": the name after "as" is the character, not a credited name
                names = [m for m in self.in_(ps, pe) if _is_agent(m) and identity(m) != identity(work)
                         and not re.search(r"\bas\b", re.split(r"[,(]", self.text[ps:m.start])[-1])]
                for k, m in enumerate(names):
                    nxt = names[k + 1].start if k + 1 < len(names) else pe
                    after = self.text[m.end:nxt]
                    character = None
                    ch = re.match(r"\s*\(?\s*as (?:the |a |an )?(?P<c>[^(),;]+?)\s*\)?\s*(?:,|;|and\b|&|$)", after)
                    if ch and ("actor" in roles or "cameo" in roles):
                        character = ch.group("c").strip(" .")
                        # "as the royal tutor Hyeon": the part's name
                        named = re.search(r"(?<![\w'’-])[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*$", character)
                        character = named.group() if named and character[0].islower() else character
                    for role in roles:
                        if role in _MUSIC_ROLES and work.type in _SCREEN - {"MusicVideo"}:
                            continue  # "Drums: A" under a film: not the film's credit
                        if role == "songwriter" and (work.type in _SCREEN - {"MusicVideo"} or
                                                     (work.type not in _MUSIC and self.screen)):
                            role = "screenwriter"
                        if role == "actor" and work.type in _SHOWS:
                            role = "guest"
                        self.emit(b, "block-credits", m, work, role, 0.7 if work is section or
                                  work is self.title_work else 0.55, character=character, hedged=hedged)

    def leads(self) -> None:
        """A sentence that opens with a credit ("Composed by Baek Seung-ho, sung as if
        ...") under a list item: a credit on the item's work."""
        items = [b for b in self.blocks if b.kind == "item"]
        if not items:
            return
        for sent, ss, se in self.sents:
            m = re.match(r"(?P<label>Written and composed by|Written by|Composed by|Produced by|Directed by|"
                         r"Arranged by|Lyrics by|Music by|Mixed by|Featuring)\s+", sent)
            if not m:
                continue
            above = [b for b in items if b.end <= ss]
            if not above or self.text[above[-1].end:ss].count("\n") > 2:
                continue
            if any(_is_work(x) for x in self.in_(ss, se)):
                continue  # "Directed by A, the music video for W ...": the sentence names its work
            work = self._item_work(above[-1])
            names: list[Mention] = []
            for x in self.in_(ss + m.end(), se):
                gap = self.text[(names[-1].end if names else ss + m.end()):x.start]
                if not _is_agent(x) or not re.fullmatch(r"\s*(?:,|and|&|,\s*and)?\s*", gap):
                    break
                names.append(x)
            roles = _label_roles(m.group("label").lower()) or ()
            if work is None or not names or _NEGATION.search(sent):
                continue
            b = Block(ss, se, "lead")
            for x in names:
                for role in roles:
                    self.emit(b, "block-lead", x, work, role, 0.55, hedged=bool(_HEDGE.search(sent)))

    # -- list and title lines ---------------------------------------------------------

    def title(self, b: Block) -> Mention | None:
        """The work a title line names: its one name that is no agent ("Polaroid Summer")."""
        a, z = b.pieces[0]
        aside = re.search(r"\s*\([^()]*\)\s*$", self.text[a:z])
        if aside and aside.start() > 0:
            z = a + aside.start()  # "Revivre (Gala Presentation)", "Glass Road (2016)": the title before
        ms = [m for m in self.in_(a, z) if m.method != "description" and not _is_agent(m) or
              kind(m) == "unknown" and m.method != "description"]
        if len({identity(m) for m in ms}) != 1 or kind(ms[0]) not in ("work", "unknown"):
            return None
        return ms[0] if ms[0].type or ms[0].link else replace(ms[0], type="Work")

    def _item_work(self, b: Block) -> Mention | None:
        works = [m for m in self.in_(b.start, b.end) if _is_work(m) or kind(m) == "unknown"
                 and _QUOTED.match(self.text, max(0, m.start - 1))]
        return works[0] if works else None

    def item(self, b: Block) -> Mention | None:
        """"3. “Song” – A feat. B", "Track 2: “Song” (feat. B) – prod. C", "#5 A – “Song”",
        "“Song” by A (2023)": performers, featured artists and producers of the song."""
        body_s = b.pieces[0][0] if b.pieces else b.start
        ms = [m for m in self.in_(body_s, b.end) if m.method != "description"]
        if not ms:
            return None
        line = self.text[b.start:b.end]
        lead = _ITEM_LEAD.match(line)
        # the work: the first quoted title, else the first work before "by" or a dash
        quoted = [m for m in ms if _QUOTED.match(self.text, max(0, m.start - 1)) and _opens_quote(self.text, m.start)
                  and not _is_agent(m) or _is_work(m) and _opens_quote(self.text, m.start)]
        work = quoted[0] if quoted else next((m for m in ms if _is_work(m)), None)
        if work is None:
            return None
        work = work if work.type or work.link else replace(work, type="Work")
        if _NEGATION.search(line):
            return work
        hedged = bool(_HEDGE.search(re.sub(r"\([^)]*\)", "", line)))
        # the words between the names, as a template: W, A (agent), O (another work)
        tmpl, slots = [], []
        at = body_s
        for m in ms:
            tmpl.append(self.text[at:m.start])
            if identity(m) == identity(work):
                tmpl.append("⟦W⟧")
            elif _is_agent(m):
                tmpl.append("⟦A⟧")
                slots.append(m)
            else:
                tmpl.append("⟦O⟧")
            at = m.end
        tmpl.append(self.text[at:b.end])
        t = "".join(tmpl)
        # drop a trailing "(2023)", "(“Drama”)", "(OST)" and the title's quotes
        t = re.sub(r"[“\"‘']?(⟦[WO]⟧)[”\"’']?", r"\1", t)
        t = re.sub(r"\s*\((?:\d{4}|⟦O⟧|[^()⟦⟧]*\bOST\b[^()⟦⟧]*)\)\s*$", "", t).strip(" .")
        if _WRITERS_LINE.fullmatch(line) and re.fullmatch(r"⟦W⟧\s*\(⟦A⟧(?:,? (?:and |& )?⟦A⟧|, ⟦A⟧)*\)", t):
            # a tracklist's bracketed names under a credits heading (_block checked it): the writers
            for m in slots:
                self.emit(b, "block-item", m, work, "songwriter", 0.6, hedged=hedged)
            return work
        appears = re.fullmatch(r"(?P<who>⟦A⟧(?:(?:, |,? and |,? & )⟦A⟧)*) in (?:[^⟦]{0,40}?,? )?"
                               r"(?:(?P<owner>⟦A⟧)['’]s? )?⟦W⟧(?P<with> \(with ⟦A⟧\))?", t)
        if appears:
            # "A in B’s “Song” (with C)": C sings it with B; "A and B in C’s “Song”": both appear in it
            n = appears.group("who").count("⟦A⟧")
            for k in range(n):
                self._appears(b, work, slots[k:k + 1] + slots[n:n + 1], bool(appears.group("owner")), hedged,
                              owner_too=k == 0)
            if appears.group("owner") and appears.group("with") and len(slots) == n + 2 \
                    and work.type not in _SCREEN - {"MusicVideo"}:
                self.emit(b, "block-item", slots[n + 1], work, "performer", 0.6, hedged=hedged)
            return work
        inside = re.search(r" in (?P<owner>⟦A⟧)['’]s? ⟦W⟧", t)
        if inside:
            # "A and Choi ⟦?⟧ in B’s “W”" (a name it could not read before "in"): B performs W; who else is
            # in the video the line does not say clearly enough, so nothing more
            owner = slots[t[:inside.start("owner")].count("⟦A⟧")]
            if work.type not in _SCREEN - {"MusicVideo"}:
                self.emit(b, "block-item", owner, work, "performer", 0.6, hedged=hedged)
            return work
        roles: list[str] = []
        # walk the template: which role each agent takes by the words before it
        role = None
        pos = 0
        seen_work = False
        for tok in re.finditer(r"⟦A⟧|⟦W⟧|⟦O⟧", t):
            between = t[pos:tok.start()].lower()
            pos = tok.end()
            if tok.group() == "⟦W⟧":
                seen_work = True
                continue
            if tok.group() == "⟦O⟧" or re.search(r"\w", re.sub(_CUES, " ", between)):
                role = "skip"  # another work, or words no name was found in ("Jaehan of ONDO")
                if tok.group() == "⟦A⟧":
                    roles.append(role)
                continue
            if re.fullmatch(r"['’]s?\s*", between) and roles:
                roles[-1] = "owner"  # "BTS’ V": the group only says whose member V is
            elif re.search(r"\bprod\b|produced by|producer", between):
                role = "producer"
            elif re.search(r"\bfeat\b|\bft\b|featuring|\bwith\b", between):
                role = "featuredArtist"
            elif re.search(r"\bof\b", between) and role is not None:
                role = "member-of"
            elif role is None and (re.search(r"\bby\b|[—–-]", between) or not seen_work):
                role = "performer"
            elif role in ("performer", "featuredArtist", "producer") and re.fullmatch(
                    r"\s*(?:,|&|and|x|×|,\s*and)\s*", between):
                pass  # "A & B", "A, B": the same role as the one before
            else:
                role = "skip"
            roles.append(role or "skip")
        agents_list = slots
        # "A x B" (an artist and a producer, or two artists), or an unnumbered "W — A and B" in a
        # list of collaborations (performers? collaborators? hosts?): not said which
        unclear = bool(re.search(r"\s(?:x|×)\s", t)) or (
            not lead and bool(re.search(r"\s(?:and|&)\s", t)) and work.type not in _MUSIC)
        for m, role in zip(agents_list, roles):
            if role in ("member-of", "skip", "owner"):
                continue
            if role == "performer" and work.type in _SCREEN - {"MusicVideo"}:
                continue  # "“Blue” — A and B": actors? the parse reads a screen work's list line
            score = 0.45 if unclear and role == "performer" else 0.6
            self.emit(b, "block-item", m, work, role, score, hedged=hedged)
        self._memberships(b, agents_list, roles, hedged)
        return work

    def _appears(self, b: Block, work: Mention, agents: list[Mention], owned: bool, hedged: bool, *,
                 owner_too: bool = True) -> None:
        """"1. V in Peakboy’s “Gyopo Hairstyle”" in a list of cameos: V makes a cameo in the
        work (the headline says what the list is of: cameos, guests, or music videos, where one
        appears; else an appearance, below the threshold), Peakboy performs it; unless the item's
        text takes it back ("It is not IU", "it does not count"). ``owner_too``: the owner's
        credit too (once for "A and B in C’s “W”")."""
        headline = self.article.title or next((x.strip() for x in self.text.splitlines() if x.strip()), "")
        role, score = next(((r, 0.6) for cue, r in ((r"\bcameos?\b", "cameo"), (r"\bguests?\b", "guest"),
                                                    (r"\b(?:music videos?|MVs?)\b", "appearance"))
                            if re.search(cue, headline, re.I)), ("appearance", 0.45))
        if score > 0.5 and role == "appearance" and work.type in (None, "Work") and work.link is None:
            work = replace(work, type="Song")  # "A in B’s “W”" in a list of music videos: W is B's song
        nxt = [x.start for x in self.blocks if x.start > b.end]
        body = self.text[b.end:nxt[0] if nxt else len(self.text)]
        body = body.split("\n\n", 1)[0] if body.strip() else body
        who = agents[0]
        if re.search(rf"\bnot\s+(?:really\s+)?{re.escape(who.text)}\b|\b(?:does not|doesn[’']t|did not|didn[’']t) "
                     r"count\b", body):
            return
        self.emit(b, "block-item", who, work, role, score, hedged=hedged)
        if owner_too and owned and len(agents) > 1 and work.type not in _SCREEN - {"MusicVideo"}:
            self.emit(b, "block-item", agents[1], work, "performer", 0.6, hedged=hedged)

    def _memberships(self, b: Block, agents: list[Mention], roles: list[str], hedged: bool) -> None:
        """"Jaehan of ONDO" in a list line: a membership."""
        for k, (m, role) in enumerate(zip(agents, roles)):
            if role != "member-of" or k == 0:
                continue
            person, group = agents[k - 1], m
            if group.type not in ("Group", "Band") and not (group.link is None and group.text.isupper()):
                continue
            sent, ss, se = self.quote(b)
            group = group if group.type else replace(group, type="Group")
            self.out.append(Candidate.make(self.article, kind="membership", rule="block-item-member", sentence=sent,
                                           start=ss, end=se, slots={"member": person, "group": group},
                                           score=0.3 if hedged else 0.55))

    # -- captions and speakers ---------------------------------------------------------

    def caption(self, b: Block) -> None:
        """"Caption: A and B on the set of “W”", "A as Ji-hye in “W”": a lower-scored
        credit (a caption says who is in a picture, not always in what role)."""
        a, z = b.pieces[0]
        body = self.text[a:z]
        if _NEGATION.search(body) or _HEDGE.search(body):
            return
        ms = self.in_(a, z)
        works = [m for m in ms if _is_work(m) or kind(m) == "unknown" and _opens_quote(self.text, m.start)]
        if len({identity(w) for w in works}) != 1:
            return
        work = works[0]
        agents = [m for m in ms if _is_agent(m) and m not in works and m.start < work.start
                  and not re.search(r"\bas\s+$", self.text[a:m.start])]
        for m in agents:
            after = self.text[m.end:work.start]
            ch = re.match(r"\s*(?:\((?:left|right|centre|center|top|bottom)\)\s*)?as (?:the |a |an )?"
                          r"(?P<c>[^,;()]+?) (?:in|on)\b", after)
            role = "actor" if ch or re.search(r"on (?:the )?set of|in a (?:still|scene)", body) else "appearance"
            if work.type in _SHOWS | _MUSIC | {"MusicVideo"}:
                role = "appearance"  # in a music video or on a show: a cameo? a guest? not said
            self.emit(b, "block-caption", m, work, role, 0.45, character=ch.group("c") if ch else None)

    def speakers(self) -> Mention | None:
        """The one person the interview is with: the one person the headline names."""
        headline = self.article.title or next((x.strip() for x in self.text.splitlines() if x.strip()), "")
        people = {identity(m): m for m in self.mentions if _is_agent(m) and m.type in ("Person", None, "Agent")
                  and len(m.text) > 1 and re.search(rf"(?<!\w){re.escape(m.text)}(?!\w)", headline)}
        return next(iter(people.values())) if len(people) == 1 else None

    def turn(self, b: Block) -> None:
        """A speaker's first-person claim: "A: I directed the video for “W”",
        "NOH JI-AN: I wrote “W”", a pull quote "“I wrote W.” — Name"."""
        if b.speaker in (None, "Q"):
            return
        line = self.text[b.start:b.end]
        if b.kind == "quote":
            a, z = b.pieces[1]
            who = [m for m in self.in_(a, z) if _is_agent(m)]
        elif b.speaker == "A":
            person = self.speakers()
            who = [person] if person else []
        else:
            who = [m for m in self.in_(b.start, b.start + len(b.speaker or "")) if _is_agent(m)]
            if not who:  # "NOH JI-AN:": the person named so elsewhere in the article
                key = search_key(b.speaker or "")
                who = [m for m in self.mentions if _is_agent(m) and search_key(m.text) == key]
        if len({identity(m) for m in who}) != 1:
            return
        speaker = next(m for m in who if b.start <= m.start < b.end) if any(
            b.start <= m.start < b.end for m in who) else who[0]
        if speaker.link is None and speaker.text.isupper():
            # "NOH JI-AN:" names the person the article writes "Noh Ji-an"
            written = next((m.text for m in self.mentions if not m.text.isupper()
                            and search_key(m.text) == search_key(speaker.text)), None)
            speaker = replace(speaker, label=written) if written else speaker
        for claim in _I_DID.finditer(line):
            clause_end = re.search(r"[.;!?]|\bbut\b|\band I\b", line[claim.end():])
            ce = b.start + claim.end() + (clause_end.start() if clause_end else len(line) - claim.end())
            cs = b.start + claim.start()
            works = [m for m in self.in_(b.start + claim.end(), ce) if _is_work(m) or kind(m) == "unknown"
                     and _opens_quote(self.text, m.start)]
            if len({identity(w) for w in works}) != 1:
                continue
            if _NEGATION.search(self.text[max(b.start, cs - 20):works[0].end]) or re.search(r"\b(?:would|could|might|hope|want|wish|if)\b",
                                                     self.text[max(b.start, cs - 25):cs]):
                continue
            role = _I_ROLES[claim.group("verb")]
            between = self.text[b.start + claim.end():works[0].start]
            if role in ("appearance", "actor") and re.search(r"\bas (?:a|an|the) [a-z]", line[claim.end():]):
                role = "cameo" if re.search(r"\b(?:music video|video|MV|cameo)\b", line, re.I) else role
            if role == "songwriter" and works[0].type in _SCREEN - {"MusicVideo"}:
                role = "screenwriter"
            character = None
            if claim.group("verb") == "played":
                ch = re.match(r"\s*(?P<c>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2}) in\b", between)
                character = ch.group("c") if ch else None
            self.emit(b, "block-speaker", speaker, works[0], role, 0.6, character=character, at=cs)
