"""A growth plot as a plain SVG file: build time and peak memory against the
graph's size, beside the raw bulk load of the same files.

No plotting library: the picture is two small panels of lines on log-log axes,
which a few dozen lines of SVG draw, and the file stays diffable text.

    .venv/bin/python bench/plot.py docs/growth.json docs/growth.svg   # redraw from the kept rows

Each row is one size: ``{"size": "1m", "quads": ..., "build": s, "build_mib": MiB,
"named_load": s, "named_mib": MiB}`` (what ``bench/growth.py`` measures).
"""

from __future__ import annotations

import json
import math
import sys
from html import escape
from pathlib import Path

W, H = 360, 250          # one panel
LEFT, RIGHT, TOP, BOTTOM = 62, 14, 34, 44
COLOURS = {"build": "#c0392b", "bulk load": "#2c6fbb"}


def _ticks(lo: float, hi: float) -> list[float]:
    """Powers of ten and their 2x, 5x between ``lo`` and ``hi`` (log axis)."""
    out, e = [], math.floor(math.log10(lo))
    while 10 ** e <= hi * 1.0001:
        out += [m * 10 ** e for m in (1, 2, 5) if lo / 1.0001 <= m * 10 ** e <= hi * 1.0001]
        e += 1
    return out


def _label(v: float, unit: str) -> str:
    if unit == "triples":
        return f"{v / 1e6:g}M" if v >= 1e6 else f"{v / 1e3:g}k"
    return f"{v:,.0f}" if v >= 10 else f"{v:g}"


def _panel(x0: int, title: str, unit: str, xs: list[float], series: dict[str, list[float]],
           limit: float | None) -> list[str]:
    ys = [y for v in series.values() for y in v] + ([limit] if limit else [])
    xlo, xhi = min(xs) / 1.3, max(xs) * 1.3
    ylo, yhi = min(ys) / 1.5, max(ys) * 1.5
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def px(x: float) -> float:
        return x0 + LEFT + pw * (math.log10(x) - math.log10(xlo)) / (math.log10(xhi) - math.log10(xlo))

    def py(y: float) -> float:
        return TOP + ph * (1 - (math.log10(y) - math.log10(ylo)) / (math.log10(yhi) - math.log10(ylo)))

    out = [f'<text x="{x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">{escape(title)}</text>',
           f'<rect x="{x0 + LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>']
    for t in _ticks(ylo, yhi):
        out.append(f'<line x1="{x0 + LEFT}" x2="{x0 + LEFT + pw}" y1="{py(t):.1f}" y2="{py(t):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x0 + LEFT - 4}" y="{py(t) + 4:.1f}" text-anchor="end">{_label(t, unit)}</text>')
    for x in xs:
        out.append(f'<text x="{px(x):.1f}" y="{TOP + ph + 16}" text-anchor="middle">{_label(x, "triples")}</text>')
    out.append(f'<text x="{x0 + LEFT + pw / 2}" y="{H - 8}" text-anchor="middle">source triples</text>')
    out.append(f'<text transform="translate({x0 + 14},{TOP + ph / 2}) rotate(-90)" text-anchor="middle">'
               f'{escape(unit)}</text>')
    if limit:
        out.append(f'<line x1="{x0 + LEFT}" x2="{x0 + LEFT + pw}" y1="{py(limit):.1f}" y2="{py(limit):.1f}" '
                   f'stroke="#888" stroke-dasharray="4 3"/>')
        out.append(f'<text x="{x0 + LEFT + 4}" y="{py(limit) - 4:.1f}" fill="#666">target: {limit:,.0f} MiB</text>')
    for name, ys_ in series.items():
        pts = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys_))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{COLOURS[name]}" stroke-width="2"/>')
        out += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{COLOURS[name]}"/>' for x, y in zip(xs, ys_)]
    return out


def growth_svg(rows: list[dict], *, memory_target_mib: float | None = 1536) -> str:
    """The SVG text of the growth plot for ``rows`` (sorted by size here).

    :param memory_target_mib: drawn as a dashed line on the memory panel (issue 23's 1.5 GB); ``None`` for none.
    :raises ValueError: for no rows, or a row without a positive size, time or memory.
    """
    if not rows:
        raise ValueError("growth plot: no rows to draw")
    rows = sorted(rows, key=lambda r: _triples(r))
    xs = [_triples(r) for r in rows]
    for r in rows:
        if min(r["build"], r["named_load"], r["build_mib"], r["named_mib"]) <= 0:
            raise ValueError(f"growth plot: row {r['size']} has a time or memory that is not positive")
    legend: list[str] = []
    for i, (name, colour) in enumerate(COLOURS.items()):
        x = W - 110 + 130 * i
        legend += [f'<line x1="{x}" x2="{x + 24}" y1="{H + 12}" y2="{H + 12}" stroke="{colour}" stroke-width="2"/>',
                   f'<text x="{x + 30}" y="{H + 16}">{"collabgraph build" if name == "build" else "raw bulk load"}'
                   f'</text>']
    body = (_panel(0, "Build time", "seconds", xs,
                   {"build": [r["build"] for r in rows], "bulk load": [r["named_load"] for r in rows]}, None)
            + _panel(W, "Peak memory", "MiB", xs,
                     {"build": [r["build_mib"] for r in rows], "bulk load": [r["named_mib"] for r in rows]},
                     memory_target_mib)
            + legend)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H + 26}" '
            f'viewBox="0 0 {2 * W} {H + 26}" font-family="sans-serif" font-size="11">\n'
            f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(body) + "\n</svg>\n")


def _triples(row: dict) -> float:
    """The row's size in source triples, from its name ("100k", "1m", "30m")."""
    s = str(row["size"]).lower().lstrip("~")
    n = float(s[:-1]) * {"k": 1e3, "m": 1e6}[s[-1]] if s[-1] in "km" else float(s)
    if n <= 0:
        raise ValueError(f"growth plot: size {row['size']!r} is not positive")
    return n


def merged_rows(path: Path, rows: list[dict]) -> list[dict]:
    """The rows kept in ``path`` (JSON) with ``rows`` replacing those of the same size: the plot shows
    each size's latest run, so a later 10M run adds to the picture of an earlier 100k-3M run."""
    kept = json.loads(path.read_text("utf-8")) if path.is_file() else []
    new = {r["size"] for r in rows}
    return sorted([r for r in kept if r["size"] not in new] + rows, key=_triples)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: bench/plot.py ROWS.json OUT.svg", file=sys.stderr)
        return 2
    rows = json.loads(Path(argv[0]).read_text("utf-8"))
    Path(argv[1]).write_text(growth_svg(rows), "utf-8")
    print(f"{argv[1]}: {len(rows)} sizes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
