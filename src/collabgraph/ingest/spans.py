"""Small shared pieces of reading an article: dates and how a mention is
compared (its broad kind, whether it fits a slot, which entity it stands for).
Both extractors (the pattern rules in ``patterns.py`` and the parse in
``parse.py``) use them.

>>> normalise_date("on March 3", "2024-03-15"), normalise_date("on March 30", "2024-03-15")
(('2024-03-03', True), ('2023-03-30', True))
>>> normalise_date("last Friday", "2024-03-13"), normalise_date("on March 3", None)
(('2024-03-08', True), ('--03-03', False))
>>> normalise_date("this Friday", "2026-03-03"), normalise_date("on Tuesday", "2026-05-20")
(('2026-03-06', True), ('2026-05-19', True))
>>> normalise_date("on Saturday, January 10", "2025-12-19", future=True)
('2026-01-10', True)
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import re
from typing import Any, Iterable, Iterator

from ..core.names import search_key
from .candidates import Mention
from ..importers.vocabulary import vocabulary

__all__ = ["DATE_RE", "unresolved_dates", "FUTURE", "MONTHS", "MONTH_RE", "WEEKDAYS", "normalise_date", "vocab", "kind", "fits", "identity",
           "qualifies_person"]

MONTHS = {m: i + 1 for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july",
                                            "august", "september", "october", "november", "december"])}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTH_RE = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{MONTH_RE}) (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (?P<y1>\d{{4}}))?"
    rf"|(?P<m5>{MONTH_RE}),? (?P<y5>(?:19|20)\d{{2}})\b"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<m2>{MONTH_RE})(?:,? (?P<y2>\d{{4}}))?"
    r"|(?<!day, )(?<!day-)(?<!day and )(?<!day & )(?<!day/)"  # "MBC's Monday, Tuesday drama": a time slot
    r"(?:(?P<rel>last|this past|this|next|on|this coming) )?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
    r"|Sunday)(?!s)(?!,? (?:the )?\d|,? " + MONTH_RE + r" \d)"
    r"(?![-–/]\w|,? (?:and |& )?\w+day\b| (?:and|&) \w+day\b|[- ](?:night|drama|show|series|programme|program|"
    r"slot|evening)s?\b)"
    r"|(?P<day>yesterday|today)"
    r"|(?:in|since) (?P<y3>(?:19|20)\d{2})\b"
    r"|(?<![\d,])(?P<y4>(?:19|20)\d{2})(?![\d,]))", re.I)


#: While :func:`unresolved_dates` is open: the date words read for a fact that only a publication date resolves.
_UNRESOLVED: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("unresolved_dates", default=None)


@contextlib.contextmanager
def unresolved_dates() -> Iterator[list[str]]:
    """Collect, while open, the expressions :func:`normalise_date` drops for want of
    a publication date ("on Friday", "yesterday"): what an ingest without
    ``--published`` tells its user it could not date.

    >>> with unresolved_dates() as dropped:
    ...     normalise_date("on Friday", None), normalise_date("on March 3", None)
    (None, ('--03-03', False))
    >>> dropped
    ['on Friday']
    """
    dropped: list[str] = []
    token = _UNRESOLVED.set(dropped)
    try:
        yield dropped
    finally:
        _UNRESOLVED.reset(token)


def normalise_date(expression: str, published: str | None, *, future: bool = False) -> tuple[str, bool] | None:
    """The date an expression names, as ``(value, inferred)``: ISO ``YYYY-MM-DD``,
    ``YYYY`` or a year-less ``--MM-DD``. A missing year comes from the
    publication date (the previous year when that would be after publication)
    and is marked inferred (the next year when ``future``: "will debut on
    January 3" in December); relative dates need a publication date, and none
    is ever invented without one."""
    m = DATE_RE.search(expression)
    if m is None:
        return None
    pub = dt.date.fromisoformat(published) if published else None
    if m.group("y3") or m.group("y4"):
        return m.group("y3") or m.group("y4"), False
    if m.group("m5"):  # "in March 2024": the month
        return f"{m.group('y5')}-{MONTHS[m.group('m5').rstrip('.').lower()]:02d}", False
    if m.group("m1") or m.group("m2"):
        month = MONTHS[(m.group("m1") or m.group("m2")).rstrip(".").lower()]
        day = int(m.group("d1") or m.group("d2"))
        year = m.group("y1") or m.group("y2")
        try:
            if year:
                return dt.date(int(year), month, day).isoformat(), False
            if pub is None:
                dt.date(2000, month, day)
                return f"--{month:02d}-{day:02d}", False
            d = dt.date(pub.year, month, day)
            if future and d < pub:  # "will release on May 2"
                d = dt.date(pub.year + 1, month, day)
            elif not future and d > pub:
                d = dt.date(pub.year - 1, month, day)
            return d.isoformat(), True
        except ValueError:
            return None
    if pub is None:
        unresolved = _UNRESOLVED.get()
        if unresolved is not None:
            unresolved.append(m.group())
        return None
    if m.group("day"):
        return (pub - dt.timedelta(days=1 if m.group("day").lower() == "yesterday" else 0)).isoformat(), True
    target = WEEKDAYS.index(m.group("wd").lower())
    rel = (m.group("rel") or "").lower()
    ahead = (target - pub.weekday()) % 7
    if rel == "next" or ((rel in ("this", "this coming") or future) and rel not in ("last", "this past")):
        # "this Friday" / "will air on Saturday": the coming one ("next Thursday" too)
        return (pub + dt.timedelta(days=ahead or (7 if rel in ("next", "this coming") else 0))).isoformat(), True
    # "last Friday", "said Tuesday", "dropped on Sunday": the one before, or the day itself
    delta = (pub.weekday() - target) % 7
    if rel in ("last", "this past") and delta == 0:
        delta = 7
    return (pub - dt.timedelta(days=delta)).isoformat(), True


#: Words that put a date ahead of publication: the future, and the present of a release
#: ("opens in cinemas on Wednesday", "is out March 9", "comes out on January 23": the coming one).
FUTURE = re.compile(r"\b(?:will|upcoming|is set to|are set to|next|scheduled|opens|(?:is|are) out|comes? out|"
                    r"premieres|arrives|lands|hits (?:theaters|theatres|cinemas|stores|shelves))\b", re.I)


_VOCAB = None


def vocab() -> Any:
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = vocabulary()
    return _VOCAB


def kind(m: Mention) -> str:
    v = vocab()
    if m.type is None:
        return "unknown"
    if v.is_agent_class(m.type) or m.type == "Agent":
        return "agent"
    if v.is_work_class(m.type) or m.type == "Work":
        return "work"
    return "other"


def fits(m: Mention, slot: str) -> bool:
    k = kind(m)
    if slot in ("a", "b"):
        return k in ("agent", "unknown")
    if slot == "w":
        return k in ("work", "unknown")
    if slot == "m":
        return k == "unknown" or m.type in ("Person", "Agent")
    if slot == "g":
        return k == "unknown" or m.type in ("Group", "Agent")
    return False


#: Between two quoted titles of one list: "“X,” “Y”", "“X” and “Y”", "“X”, and “Y”", "‘X’ & ‘Y’".
_TITLE_LIST = re.compile(r",?[”\"’'],?\s+(?:and\s+|&\s+)?[“\"‘']")


def listed_titles(text: str, first: Mention, mentions: Iterable[Mention]) -> list[Mention]:
    """The quoted titles of ``mentions`` listed right after the quoted title ``first`` ("A co-wrote
    G's “X,” “Y” and “Z”": Y and Z too): each next title only when nothing but a list's comma or
    "and" stands between the two pairs of quotes, so "“X” and Illit's “Y”" or "“X” and the single
    “Y”" list nothing (another owner, or words that may say another part).

    >>> t = "the dramas “Glass Road,” “Paper Moon” and “Blue Hour”, and the single “Tide”"
    >>> ms = [Mention(w, t.index(w), t.index(w) + len(w)) for w in ("Glass Road", "Paper Moon", "Blue Hour", "Tide")]
    >>> [m.text for m in listed_titles(t, ms[0], ms)]
    ['Paper Moon', 'Blue Hour']
    """
    ms = list(mentions)
    out: list[Mention] = []
    last = first
    if not (last.start > 0 and text[last.start - 1] in "“\"‘'"):
        return out
    while True:
        gap = _TITLE_LIST.match(text, last.end)
        nxt = next((x for x in ms if gap and x.start == gap.end()), None)
        close = text[nxt.end:nxt.end + 2].lstrip(",.")[:1] if nxt is not None else ""
        if nxt is None or kind(nxt) not in ("work", "unknown") or not close or close not in "”\"’'":
            return out
        out.append(nxt)
        last = nxt


def standing_for(text: str, s: int, e: int, ante: Mention, type_: str | None) -> Mention:
    """The words ``text[s:e]`` (a pronoun, "the film") as a mention of what ``ante`` names: its
    entity (or its suggestions), score and label, typed ``type_``.

    >>> t = "Luna sang. She wrote it."
    >>> m = standing_for(t, 11, 14, Mention("Luna", 0, 4, link="ex:luna", score=100.0), "Person")
    >>> m.text, m.link, m.method, m.label
    ('She', 'ex:luna', 'description', 'Luna')
    """
    return Mention(text[s:e], s, e, link=ante.link, method="description", score=ante.score, type=type_,
                   label=ante.label or ante.text, suggestions=() if ante.link else ante.suggestions)


def identity(m: Mention) -> str:
    return m.link or ("?" + m.suggestions[0][0] if m.suggestions else "new:" + search_key(m.label or m.text))


def qualifies_person(text: str, m: Mention, mentions: list[Mention]) -> bool:
    """Whether a group's mention only says whose member a person is ("BTS's V", "V of
    BTS"): such a group is not what a later "the group" or "members" is about.

    >>> a, b = Mention("BTS", 9, 12), Mention("V", 15, 16)
    >>> qualifies_person("friends: BTS's V and J", a, [a, b])
    True
    >>> v, g = Mention("V", 0, 1), Mention("BTS", 5, 8)
    >>> qualifies_person("V of BTS sang", g, [v, g]), qualifies_person("BTS sang", Mention("BTS", 0, 3), [])
    (True, False)
    """
    after = re.match(r"['’]s\s+", text[m.end:m.end + 4])
    if after and any(x.start == m.end + after.end() and x is not m for x in mentions):
        return True
    before = re.search(r"\s+of\s+(?:the\s+)?$", text[max(0, m.start - 12):m.start])
    if before is None:
        return False
    end = m.start - len(before.group())
    return any(x.end == end for x in mentions if x is not m)
