"""Pictures of the analytics, drawn with matplotlib (Agg, no display needed):
a timeline chart and a community map, as PNG or SVG by the file's extension.

SVG keeps its text as text (searchable, selectable, and the names a test can
read); Korean names need a CJK font, which ``.ci/system-packages`` installs
(``fonts-noto-cjk``) and which is used when present.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", weight=1, works=["w"], work_labels=["W"])
>>> g.nodes["a"]["label"], g.nodes["b"]["label"] = "IU", "V"
>>> from collabgraph.views.analytics import communities
>>> path = plot_communities(g, communities(g), tmp / "map.svg")
>>> "IU" in path.read_text()
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..core.durable import output_file
from ..core.errors import CollabGraphError
from .analytics import Community, Timeline, YearCount, scores

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["PLOT_FORMATS", "plot_format", "plot_timeline", "timeline_figure", "plot_communities"]

#: File extensions a plot can be written as.
PLOT_FORMATS = ("png", "svg")
#: Fonts tried in order for every glyph (matplotlib falls back per character).
_FONTS = ["DejaVu Sans", "Noto Sans CJK KR", "Noto Sans CJK JP"]
#: Past this many agents the community map draws communities, not people.
MAP_PEOPLE_UP_TO = 400
_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
            "#9c755f", "#bab0ac"]


def plot_format(path: Path) -> str:
    """``png`` or ``svg``, from the file's extension.

    :raises CollabGraphError: for any other extension.
    """
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in PLOT_FORMATS:
        raise CollabGraphError(f"{path}: a plot is written as .png or .svg, not {path.suffix or 'no extension'!r}")
    return fmt


def _figure(width: float, height: float):  # noqa: ANN202 (matplotlib types)
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    plt.rcParams.update({"font.family": [f for f in _FONTS if f in available] or ["sans-serif"],
                         "svg.fonttype": "none", "svg.hashsalt": "collabgraph"})
    return plt, *plt.subplots(figsize=(width, height))


def _save(plt, fig, path: Path) -> Path:  # noqa: ANN001
    fmt = plot_format(path)
    output_file(path)  # its directory must exist: none is made
    metadata = {"Date": None} if fmt == "svg" else {}
    fig.savefig(path, format=fmt, dpi=150, bbox_inches="tight", metadata=metadata)
    plt.close(fig)
    return path


def plot_timeline(data: "Timeline | Sequence[YearCount]", path: str | Path, *, title: str | None = None) -> Path:
    """A timeline chart (see :func:`timeline_figure`) written to ``path``.

    :raises CollabGraphError: if ``path`` is not .png or .svg, its directory does not exist,
        or there is nothing dated to draw.
    """
    path = Path(path)
    plot_format(path)
    output_file(path)
    plt, fig = timeline_figure(data, title=title)
    return _save(plt, fig, path)


def timeline_figure(data: "Timeline | Sequence[YearCount]", *, title: str | None = None):  # noqa: ANN201
    """A timeline chart as a matplotlib figure: an agent's credits as labelled
    points by year (one row per credit in a year), or the whole graph's
    collaborations per year as bars (one a year). Ticks are whole years; the
    x axis reaches far enough that every label stays inside the frame.
    Undated credits are named in a note below the axis.

    Returns ``(pyplot, figure)``; close it with ``pyplot.close(figure)``.

    :raises CollabGraphError: if there is nothing dated to draw.
    """
    if isinstance(data, Timeline):
        if not data.years:
            raise CollabGraphError(f"{data.agent}: no dated credits to draw")
        rows = max(len(y.credits) for y in data.years)
        plt, fig, ax = _figure(max(6.0, 2.2 * len(data.years) + 2), max(2.5, 0.45 * rows + 1.8))
        notes = []
        for y in data.years:
            for i, c in enumerate(y.credits):
                ax.scatter([y.year], [i], s=40, color=_COLOURS[0], zorder=3)
                notes.append(ax.annotate(f"{c.work.label} ({c.role})", (y.year, i), xytext=(6, 0),
                                         textcoords="offset points", va="center", fontsize=8))
        years = [y.year for y in data.years]
        _year_ticks(ax, years)
        ax.set_ylim(-0.8, rows)
        ax.set_yticks([])
        ax.set_xlabel("year")
        ax.set_title(title or f"Timeline of {data.agent.label}")
        _fit_labels(fig, ax, notes, min(years) - 0.5)
        if data.undated:
            names = ", ".join(dict.fromkeys(c.work.label for c in data.undated))
            fig.text(0.01, -0.02, f"undated: {names}", fontsize=7, wrap=True, va="top")
    else:
        dated = [(y.year, y.collaborations) for y in data if y.year is not None]
        if not dated:
            raise CollabGraphError("no dated collaborations to draw")
        years = [year for year, _ in dated]
        plt, fig, ax = _figure(max(6.0, 0.3 * len(dated) + 3), 3.5)
        ax.bar(years, [n for _, n in dated], width=0.8, color=_COLOURS[0])
        _year_ticks(ax, years)
        ax.set_xlim(min(years) - 0.6, max(years) + 0.6)
        if len(dated) == 1:  # one bar: a year either side, so the bar reads as one year, not the whole axis
            ax.set_xlim(years[0] - 1.5, years[0] + 1.5)
        ax.set_xlabel("year")
        ax.set_ylabel("collaborations (pairs of agents on a work)")
        ax.set_title(title or "Collaborations per year")
        undated = sum(y.collaborations for y in data if y.year is None)
        if undated:
            fig.text(0.01, -0.02, f"{undated} collaborations on undated works are not drawn", fontsize=7, va="top")
    return plt, fig


def _year_ticks(ax, years: list[int]) -> None:  # noqa: ANN001
    """Ticks on whole years only: every year when there are few, else a whole-number locator."""
    from matplotlib.ticker import FormatStrFormatter, MaxNLocator

    if len(set(years)) <= 12:
        ax.set_xticks(sorted(set(years)))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FormatStrFormatter("%d"))


def _fit_labels(fig, ax, notes: list, lo: float) -> None:  # noqa: ANN001
    """Widen the x axis (and the figure, if a label alone is wider than it)
    until every label ends inside the frame."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    widths = [(n.xy[0], n.get_window_extent(renderer).width + 6 * fig.dpi / 72 + 8) for n in notes]
    widest = max(w for _, w in widths)
    if widest > 0.8 * box.width:  # the figure grows so that the widest label takes at most 80% of the axes
        grow = widest / 0.8 - box.width
        fig.set_figwidth(fig.get_figwidth() + grow / fig.dpi)
        fig.canvas.draw()
        box = ax.get_window_extent(renderer)
    # a label at year x ends at (x - lo) / (hi - lo) * W + w pixels: inside when hi >= lo + (x - lo) * W / (W - w)
    hi = max(lo + (x - lo) * box.width / (box.width - w) for x, w in widths)
    ax.set_xlim(lo, max(hi, max(x for x, _ in widths) + 0.5))


def plot_communities(g: "nx.Graph", found: Sequence[Community], path: str | Path, *, seed: int = 0,
                     labels: int = 20, title: str | None = None) -> Path:
    """A community map: agents coloured by community, sized by PageRank, the
    ``labels`` most central named (a graph of more than
    :data:`MAP_PEOPLE_UP_TO` agents is drawn as its communities instead, each
    sized by members and named by its central people).

    :raises CollabGraphError: if ``path`` is not .png or .svg, or there are no communities.
    """
    import networkx as nx

    path = Path(path)
    plot_format(path)
    if not found:
        raise CollabGraphError("no communities to draw")
    where = {m.iri: c.number for c in found for m in c.members}
    if len(g) > MAP_PEOPLE_UP_TO:
        h = nx.Graph()
        for c in found:
            h.add_node(c.number, size=c.size, label=c.name)
        for a, b, _data in g.edges(data=True):
            ca, cb = where.get(a), where.get(b)
            if ca is not None and cb is not None and ca != cb:
                w = h.edges[ca, cb]["weight"] + 1 if h.has_edge(ca, cb) else 1
                h.add_edge(ca, cb, weight=w)
        shown = [c.number for c in found[:labels]]
        size = {n: h.nodes[n]["size"] for n in h}
        names = {n: f"{n}: {h.nodes[n]['label']}" for n in shown}
        heavy = max((d["weight"] for *_, d in h.edges(data=True)), default=1)
        widths = [0.3 + 3 * d["weight"] / heavy for *_, d in h.edges(data=True)]
        colour = {n: _COLOURS[(n - 1) % len(_COLOURS)] for n in h}
        top = max(size.values())
        node_size = [80 + 2400 * size[n] / top for n in h]
        subject = h
    else:
        rank = scores(g, "pagerank")
        order = sorted(g, key=lambda n: (-rank[n], g.nodes[n].get("label", n)))
        names = {n: g.nodes[n].get("label", n) for n in order[:labels]}
        colour = {n: _COLOURS[(where.get(n, 1) - 1) % len(_COLOURS)] for n in g}
        top = max(rank.values())
        node_size = [60 + 900 * rank[n] / top for n in g]
        widths = [0.4 + 0.4 * min(d.get("weight", 1), 5) for *_, d in g.edges(data=True)]
        subject = g
    pos = nx.spring_layout(subject, seed=seed, weight="weight")
    plt, fig, ax = _figure(9, 7)
    nx.draw_networkx_edges(subject, pos, ax=ax, width=widths, alpha=0.35, edge_color="#888888")
    nx.draw_networkx_nodes(subject, pos, ax=ax, node_size=node_size, node_color=[colour[n] for n in subject],
                           linewidths=0.5, edgecolors="white")
    for n, text in names.items():
        x, y = pos[n]
        ax.annotate(text, (x, y), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8)
    for c in found[:len(_COLOURS)]:
        ax.scatter([], [], color=_COLOURS[(c.number - 1) % len(_COLOURS)], label=f"{c.number}: {c.name}")
    ax.legend(loc="best", fontsize=7, frameon=False, title="communities", title_fontsize=8)
    ax.set_title(title or f"Communities of the collaboration graph ({len(g)} agents, {len(found)} communities)")
    ax.set_axis_off()
    return _save(plt, fig, path)
