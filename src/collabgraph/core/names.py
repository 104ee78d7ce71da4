"""Folding names for lookup: "Park Seo-joon", "park seojoon" and "PARKSEOJOON"
are one key; Korean is kept as it is.

>>> search_key("Park Seo-joon") == search_key("park seojoon")
True
>>> search_key("  Kim  Tae-hyung ")
'kimtaehyung'
>>> search_key("교포머리")
'교포머리'
>>> search_key("IU's Palette")
'iuspalette'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Callable, Iterable

__all__ = ["search_key", "slug", "close_matches", "SUGGEST_CUTOFF"]

#: The least similarity (0-1) of a "did you mean" suggestion.
SUGGEST_CUTOFF = 0.6


#: What is not a letter or a digit. ``\\w`` is exactly the Unicode categories
#: L* and N* plus ``_`` (checked over every code point by a test).
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def search_key(name: str) -> str:
    """Unicode NFKC, case-folded, keeping only letters and digits (Unicode
    categories L* and N*)."""
    return _NOT_LETTER_OR_DIGIT.sub("", unicodedata.normalize("NFKC", name).casefold())


def slug(text: str, *, limit: int | None = 60) -> str:
    """A readable local name: ASCII letters and digits joined by hyphens when the
    text has Latin letters; the text itself (letters and digits) otherwise;
    at most ``limit`` characters (``None``: all, for identifiers that must stay whole).

    >>> slug("Park Seo-joon"), slug("The Beatles"), slug("Beyoncé"), slug("교포머리"), slug("!!")
    ('park-seo-joon', 'the-beatles', 'beyonce', '교포머리', '')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_text)
    if words:
        return "-".join(w.lower() for w in words)[:limit].strip("-")
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch)[0] in "LN")[:30]


def close_matches(text: str, choices: Iterable[str], *, limit: int | None = 3, cutoff: float = SUGGEST_CUTOFF,
                  fold: Callable[[str], str] | None = search_key) -> list[tuple[str, float]]:
    """The choices closest to ``text``: the one "did you mean" of collabgraph.

    Text and choices are compared folded (``fold``, :func:`search_key` unless
    said otherwise) by difflib's ratio (twice the matching characters over
    both lengths, with difflib's own matching), and kept from ``cutoff`` up;
    best first, ties in the order of their folded forms, then of the choices
    themselves (by code point). The explorer page's ``closeMatches`` gives the
    same answer (a test runs both on the same typos).

    >>> close_matches("Tehyung", ["Taehyung", "V", "Kim Taehyung", "Tae-joon"])
    [('Taehyung', 0.9333333333333333), ('Kim Taehyung', 0.7777777777777778)]
    >>> close_matches("perfomer", ["performer", "featured artist", "cameo"], limit=1)
    [('performer', 0.9411764705882353)]

    :param choices: the names to choose from (each folded once).
    :param limit: at most this many (``None``: all above the cutoff).
    :param cutoff: the least ratio kept, from 0 to 1.
    :param fold: how a name is compared (the choices are folded with it too); ``None``
        when ``text`` and ``choices`` are folded already (a name index's keys, each once:
        nothing is done per choice in Python, which matters at a million names).
    :returns: ``(choice, ratio)`` pairs, best first.
    """
    key = fold(text) if fold is not None else text
    if not key:
        return []
    if fold is None:
        keys = choices if isinstance(choices, list) else list(choices)
        spelled: dict[str, list[str]] | None = None
    else:
        spelled = {}
        for choice in choices:
            folded = fold(choice)
            if folded:
                spelled.setdefault(folded, []).append(choice)
        keys = list(spelled)
    if not keys:
        return []
    from rapidfuzz import fuzz, process

    # rapidfuzz's ratio (from the longest common subsequence) is never below
    # difflib's: this cut, made in C, keeps every name difflib keeps, so a big
    # graph's names are not all compared in Python (0.5 s a call at 1M triples).
    near = [k for k, _, _ in process.extract(key, keys, scorer=fuzz.ratio, limit=None,
                                              score_cutoff=max(0.0, cutoff * 100 - 1e-6))]
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(key)
    scored = []
    for k in near:
        matcher.set_seq1(k)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            ratio = matcher.ratio()
            if ratio >= cutoff:
                scored.append((ratio, k))
    scored.sort(key=lambda s: (-s[0], s[1]))
    out = [(choice, ratio) for ratio, k in scored
           for choice in (sorted(set(spelled[k])) if spelled is not None else [k])]
    return out if limit is None else out[:limit]
