"""Plain-text tables and JSON for the CLI.

>>> print(table(["name", "type"], [["IU", "Person"], ["교포머리", "Song"]]))
name      type
--------  ------
IU        Person
교포머리  Song

Text meant for a terminal goes through :func:`clean`: a label from the data
must not move the cursor, recolour the screen or reverse the line. JSON is
written exactly as the data has it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Iterable, Sequence

__all__ = ["table", "to_json", "width", "clip", "clean"]

#: What a terminal would act on rather than show: C0 and C1 controls, DEL,
#: the bidirectional embeddings, overrides, isolates and marks, and lone
#: surrogates (bytes that were not UTF-8 in a file name or argument).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean(text: str) -> str:
    r"""``text`` with every control character written as a visible escape.

    >>> print(clean("IU\x1b[31m red\u202e"))
    IU\x1b[31m red\u202e
    >>> print(clean("two\nlines"), clean("교포머리"), clean("\udced\udcb2\udc80"))
    two\nlines 교포머리 \xed\xb2\x80
    """
    return _UNSHOWABLE.sub(_escape, text)


def _escape(m: re.Match) -> str:
    ch = m.group(0)
    if "\ud800" <= ch <= "\udfff":
        return f"\\x{ord(ch) - 0xDC00:02x}" if ord(ch) >= 0xDC80 else f"\\u{ord(ch):04x}"
    return ch.encode("unicode_escape").decode("ascii")


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (East Asian wide characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` columns, with an ellipsis when cut."""
    if width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, max_width: int = 70) -> str:
    """Left-aligned columns; cells longer than ``max_width`` are clipped,
    except in the last column, which is printed whole."""
    headers = [clean(str(h)) for h in headers]
    rows = [["" if c is None else clean(str(c)) for c in r] for r in rows]
    if not headers:
        return ""
    ncols = len(headers)
    cells = [[clip(c, max_width) if i < ncols - 1 else c for i, c in enumerate(r)] for r in rows]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    widths[-1] = min(widths[-1], max(width(headers[-1]), max_width))

    def line(values: Sequence[str]) -> str:
        parts = [v + " " * (widths[i] - width(v)) if i < ncols - 1 else v for i, v in enumerate(values)]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
