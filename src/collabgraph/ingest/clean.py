"""The parts of an article that are not its story: headlines, bylines,
datelines, captions, "Related:" lines, hashtags, press-release furniture.

They are found on the text as stored (so every offset stays exact) and kept
out of facts and proposed entities: an outlet's name in a dateline or a
reporter's in a byline is no artist, and a Title Case headline ("V Had An
Epic Cameo In ...") is no sentence the parser can read. What is left is the
story, sentence by sentence, with the same offsets.

>>> text = "V Makes A Cameo\\n\\nBy Kim Ji-su | May 2, 2026\\n\\nSEOUL, May 1 (K News) — V made a cameo.\\n\\n#V #BTS"
>>> [(kind, text[s:e]) for s, e, kind in furniture(text)]
[('heading', 'V Makes A Cameo'), ('byline', 'By Kim Ji-su | May 2, 2026'), ('dateline', 'SEOUL, May 1 (K News) — '), ('hashtags', '#V #BTS')]
>>> text = "Peakboy Teams Up With V\\nBusan, December 1 (Harbor Gazette).\\nPeakboy released a single."
>>> [(kind, text[s:e]) for s, e, kind in furniture(text)]
[('heading', 'Peakboy Teams Up With V'), ('dateline', 'Busan, December 1 (Harbor Gazette).')]
"""

from __future__ import annotations

import re

__all__ = ["furniture", "story_sentences"]

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = rf"(?:{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?|\d{{1,2}} {_MONTH}(?: \d{{4}})?|\d{{4}}-\d\d-\d\d)"
#: A whole line that is furniture, by its first words.
_LINE_KINDS = [
    ("byline", re.compile(r"(?:\[[^\]\n]{1,40}\]\s*)?(?:(?:Posted|Published|Updated|Written|Reported|Words|Interview|"
                          r"Story|Text|Translated|Compiled)\s+)?(?:by|By)\s+\S.*$|(?:[—–-]\s*)?(?:Reporting|Writing|"
                          r"Editing|Additional reporting) by\b.*$|(?:\[[^\]\n]{1,40}\]\s*)?(?:Posted|Published|"
                          r"Updated)\b.*$")),
    ("dateline", re.compile(rf"(?:[A-Z][\w .,-]{{0,30}}[—–-]\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? )?"
                            rf"{_DATE}(?:,? \d{{1,2}}:\d\d(?: ?[AaPp]\.?[Mm]\.?)?(?: ?[A-Z]{{2,4}})?)?"
                            rf"(?: ?[|·] ?\S.*)?$"
                            # a place and a date on a line of their own, the outlet after them:
                            # "Busan, December 1 (Harbor Gazette)."
                            rf"|[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){{0,3}}, {_DATE}(?: \([^)\n]{{1,40}}\))?\.?$")),
    ("related", re.compile(r"(?:Related|Read more|READ MORE|Also read|See also|Read also|More|Watch|Listen|"
                           r"Recommended|Trending|Source|Sources|Media contact|Contact|Tags?)\s*[:|»>-].*$")),
    ("caption", re.compile(r"(?:\[(?:Photo|Image|Pull quote|Video|Caption)[^\]]*\].*|(?:Photo caption|Caption|Photo|"
                           r"Image|Pictured|Above|Top|Video|Credit|Photo credit)\s*:.*|\((?:Photo|Courtesy)\b[^)]*\))$")),
    ("hashtags", re.compile(r"(?:#\S+\s*)+$")),
    ("furniture", re.compile(r"(?:FOR IMMEDIATE RELEASE|PRESS RELEASE|About [A-Z][\w&.' -]{1,60}|[★☆✩✪*]{3,}.*|"
                             r"[—–-]\s*[A-Z][\w .&'-]{1,40}|This (?:interview|article|story) (?:has been|was) .*|"
                             r"\d+ min(?:ute)? read)$")),
]
#: A wire dateline before a paragraph's first sentence: "SEOUL, March 3 (Hanbit News) — ".
_DATELINE_PREFIX = re.compile(rf"(?:[A-Z][A-Z .'-]{{1,30}}|[A-Z][a-z]+(?:, [A-Z][a-z]+)?)(?:, {_DATE})?"
                              rf"(?: \([^)\n]{{1,40}}\))? [—–-]+ ")
#: A photo credit at the end of a paragraph: "(Photo: Yonhap)", "(Courtesy of the artist)".
_PHOTO_CREDIT = re.compile(r"\s*\((?:(?:Photo|Image|Picture)s?(?: by| credit)?\s*[:/]|Courtesy\b|Credit\s*:|©|"
                           r"Source\s*:)[^)\n]*\)$")
_HASHTAG = re.compile(r"(?<![\w#&])#[^\s#.,;:!?]+")
#: A source in brackets after a paragraph's last stop: "... and Ashish Vidyarthi. (ANI)", "(Music Juzz)".
_SOURCE_TAG = re.compile(r"(?<=[.!?])[\"'”’]?\s*\([A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3}\)$")


#: A numbered list line's number ("3.", "12)", "#5"): the list reader reads such a line (blocks.py), not the
#: sentence readers.
LIST_NUMBER = re.compile(r"\s*(?:\d{1,2}\s*[.)]|#\d)")


def _is_heading(line: str, first: bool) -> bool:
    """A line with no sentence end that is written in capitals or Title Case
    (the headline, "MUSIC VIDEO", "Credits"), or any short first line."""
    if re.search(r"[.!?…][\"'”’)\]]*$", line):
        return False
    if len(line.split()) > 25 and len(re.findall(r"[a-z0-9)][.!?][\"'”’)\]]* [A-Z]", line)) >= 2:
        # a paragraph whose last sentence lost its stop ("... Read the rest of this entry »"): sentences
        # in it end and begin again, which no headline does
        return False
    if not first and re.match(r"[“\"‘][^”\"’]{1,60}[”\"’]\s+[—–-]\s+\S", line):
        return False  # a list item's title line: "“Ferris Wheel” — IU feat. Min Ha-rin"
    if not first and not LIST_NUMBER.match(line) \
            and re.search(r"\S\s+[“\"‘][^”\"’\n]{1,60}[”\"’]", line) \
            and re.search(r"\s(?:wrote|co-wrote|penned|sang|produced|co-produced|composed|directed|remixed|covered|"
                          r"starred|stars|featured|features)\s", line):
        # a statement that lost its stop: "PartyNextDoor wrote Rihanna’s “Work”" (a name, a verb of credit, a
        # quoted title). A label with no verb ("A in B’s “W”") alone stays a heading; several make a list
        # the list reader reads; a numbered one stays a heading the list reader reads
        return False
    if not first and re.match(r"(?:Written by|Directed by|Produced by|Composed by|Music by|Lyrics by|Screenplay by|"
                              r"Starring|Cast|Hosts?|Hosted by|Featuring|Guests?|Premiered|Released)\s*:\s*\S", line):
        return False  # an information box: "Directed by: Yoo Jae-hwan"
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    if not words:
        return True
    if line.isupper() or len(words) <= 4:
        return True
    small = {"a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "with", "by", "as", "from",
             "vs", "via", "into", "over", "is", "are"}
    caps = sum(1 for w in words if w[0].isupper() or w.lower() in small)
    return first or caps >= 0.8 * len(words)


def furniture(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of every part of ``text`` that is not the story:
    ``heading``, ``byline``, ``dateline``, ``related``, ``caption``,
    ``hashtags`` or other ``furniture`` (a whole line each), and inline
    hashtags and wire datelines ("SEOUL, March 3 (Hanbit News) — ")."""
    out: list[tuple[int, int, str]] = []
    first = True
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        s, e = m.start() + lead, m.start() + lead + len(stripped)
        credit = _PHOTO_CREDIT.search(stripped)
        if credit and credit.start() > 0:
            # "... on Tuesday. (Photo: Yonhap)": the credit is furniture, the paragraph is read as one
            out.append((s + credit.start(), e, "caption"))
            stripped = stripped[:credit.start()].rstrip()
            e = s + len(stripped)
        source = _SOURCE_TAG.search(stripped)
        if source and not credit and source.start() > 0:
            # "... Ashish Vidyarthi. (ANI)": the source is furniture, the paragraph is read as one
            out.append((s + source.start(), e, "furniture"))
            stripped = stripped[:source.start()].rstrip()
            e = s + len(stripped)
        kind = next((k for k, rx in _LINE_KINDS if rx.match(stripped)), None)
        if kind is None and _is_heading(stripped, first):
            kind = "heading"
        first = False
        if kind:
            out.append((s, e, kind))
            continue
        d = _DATELINE_PREFIX.match(stripped)
        if d and (m.start() == 0 or text[m.start() - 1] == "\n"):
            out.append((s, s + d.end(), "dateline"))
        for h in _HASHTAG.finditer(stripped):
            out.append((s + h.start(), s + h.end(), "hashtags"))
    return out


def story_sentences(sents: list[tuple[str, int, int]], text: str,
                    parts: list[tuple[int, int, str]] | None = None) -> list[tuple[str, int, int]]:
    """The sentences with the furniture taken out: a sentence inside a part
    is dropped, one that starts with a dateline starts after it."""
    parts = furniture(text) if parts is None else parts
    out = []
    for _sent, ss, se in sents:
        pieces = [(ss, se)]
        for ps, pe, _ in parts:
            nxt = []
            for a, b in pieces:
                if pe <= a or b <= ps:
                    nxt.append((a, b))
                    continue
                if a < ps:
                    nxt.append((a, ps))
                if pe < b:
                    nxt.append((pe, b))
            pieces = nxt
        split = []
        for a, b in pieces:
            # a title line of a list item, then its text on the next line: two sentences
            at = a
            for nl in re.finditer(r"\n", text[a:b]):
                line = text[at:a + nl.start()].strip()
                if line and not re.search(r"[.!?…:;,][\"'”’)\]]*$", line) and len(line.split()) <= 12:
                    split.append((at, a + nl.start()))
                    at = a + nl.end()
            split.append((at, b))
        for a, b in split:
            piece = text[a:b]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            # a hashtag cut from the middle leaves two halves: keep only real sentences
            if len(re.findall(r"[A-Za-z가-힣]{2,}", piece)) >= 2:
                out.append((piece, a + lead, a + lead + len(piece)))
    return out
