"""Plain-text tables and JSON for the CLI.

>>> print(table(["name", "type"], [["IU", "Person"], ["교포머리", "Song"]]))
name      type
--------  ------
IU        Person
교포머리  Song
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any, Iterable, Sequence

__all__ = ["table", "to_json", "width", "clip"]


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
    rows = [["" if c is None else str(c) for c in r] for r in rows]
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
