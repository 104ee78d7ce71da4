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

import unicodedata

__all__ = ["search_key"]


def search_key(name: str) -> str:
    """Unicode NFKC, case-folded, keeping only letters and digits."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")
