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

import re
import unicodedata

__all__ = ["search_key", "slug"]


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
