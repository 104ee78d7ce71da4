"""Graph questions: rank, communities, bridges, timeline, suggest, analytics."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Callable

import click

from ..api import CollabGraph
from ..core.output import table, to_json
from .common import TEXT, build_option, cli, echo, format_option, with_graph
from .entities import INFERRED, mark_inferred, why_empty


def _emit(fmt: str, data: Any, headers: list[str], rows: list[list[Any]]) -> None:
    """Print ``data`` as JSON, or ``rows`` as a table or CSV (one header line)."""
    if fmt == "json":
        click.echo(to_json(data))
    elif fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(["" if c is None else c for c in r] for r in rows)
        click.echo(buf.getvalue(), nl=False)
    elif rows:
        click.echo(table(headers, rows))


def _plot_option(f: Callable) -> Callable:
    def check(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        from ..core.durable import output_file
        from ..views.plots import plot_format

        if value is not None:
            plot_format(value)  # a wrong extension or a missing directory fails before any work is done
            output_file(value)
        return value

    return click.option("--plot", "plot_file", type=click.Path(dir_okay=False, path_type=Path), callback=check,
                        help="Also draw it to this file: .png or .svg.")(f)


def _seed_option(f: Callable) -> Callable:
    return click.option("--seed", type=int, default=0, show_default=True,
                        help="Random seed (Louvain, betweenness sampling): same build and seed, same answer.")(f)


def _resolution_option(f: Callable) -> Callable:
    return click.option("--resolution", type=click.FloatRange(min=0.0, min_open=True), default=1.0,
                        show_default=True, help="Louvain resolution: above 1 more, smaller communities.")(f)


def _works_text(works: Any) -> str:
    return "; ".join(f"{w.label} ({w.count})" for w in works)


@cli.command()
@with_graph
@click.option("--by", "measure", type=click.Choice(["pagerank", "degree", "betweenness"]), default="pagerank",
              show_default=True, help="The centrality measure.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many agents.")
@click.option("--k", "k", type=click.IntRange(min=1), default=None,
              help="Betweenness: sample this many sources  [default: exact up to 4,000 agents, else 1,000]")
@click.option("--exact", is_flag=True, help="Betweenness: every agent a source, however big the graph (slower).")
@_seed_option
@format_option("table", "json", "csv")
def rank(kg: CollabGraph, measure: str, limit: int, k: int | None, exact: bool, seed: int, fmt: str) -> None:
    """Rank agents by centrality in the collaboration graph, with the works
    behind each score (each work with how many partners it brings).

    Betweenness on graphs of over 4,000 agents is estimated from 1,000 sampled
    sources (it got the exact top 20 on a 19,000-agent graph); the output says
    so. --exact computes it from every agent.

    Example: collabgraph rank --by betweenness --limit 10
    """
    found = kg.rank(measure, limit=limit, k=k, seed=seed, exact=exact)
    if found and found[0].sources is not None:
        echo(f"note: betweenness estimated from {found[0].sources:,} sampled sources (seed {seed}); "
              "--exact for exact scores", err=True)
    _emit(fmt, {"measure": measure, "ranking": [r.to_dict() for r in found]},
          ["#", "agent", measure, "collaborators", "works (partners)"],
          [[r.position, r.label, f"{r.score:.6g}", r.collaborators, _works_text(r.works)] for r in found])


@cli.command()
@with_graph
@_seed_option
@_resolution_option
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the largest N communities.")
@_plot_option
@format_option("table", "json", "csv")
def communities(kg: CollabGraph, seed: int, resolution: float, limit: int | None, plot_file: Path | None,
                fmt: str) -> None:
    """List the collaboration circles (Louvain), largest first: members,
    central people and the works that bind them.

    Example: collabgraph communities --plot communities.svg
    """
    found = kg.communities(seed=seed, resolution=resolution, limit=limit)
    if fmt == "csv":  # one row per member: easy to join with other data
        rows = [[c.number, m.id, m.label, m.partners, "yes" if m in c.central else ""] for c in found for m in c.members]
        _emit(fmt, None, ["community", "agent", "label", "partners inside", "central"], rows)
    else:
        _emit(fmt, {"communities": [c.to_dict() for c in found]}, ["#", "size", "central", "binding works", "members"],
              [[c.number, c.size, ", ".join(m.label for m in c.central), _works_text(c.works),
                ", ".join(m.label for m in c.members)] for c in found])
    if plot_file is not None:
        from ..views.plots import plot_communities

        echo(f"wrote {os.fsdecode(plot_communities(kg.to_networkx(), found, plot_file, seed=seed))}", err=True)


def _side(text: str) -> "str | int":
    """``community:N`` (or ``#N``) names a community; anything else an agent."""
    m = re.fullmatch(r"(?:community:|#)(\d+)", text.strip())
    return int(m.group(1)) if m else text


@cli.command()
@click.argument("left", type=TEXT)
@click.argument("right", type=TEXT)
@with_graph
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most this many brokers.")
@click.option("--k", "k", type=click.IntRange(min=1), default=None,
              help="Sample this many agents of the first side (large communities).")
@_seed_option
@_resolution_option
@format_option("table", "json", "csv")
def bridges(kg: CollabGraph, left: str, right: str, limit: int, k: int | None, seed: int, resolution: float,
            fmt: str) -> None:
    """Who connects LEFT and RIGHT: two agents, or two communities written
    community:N (numbered as 'communities' lists them, same --seed and
    --resolution). Brokers are listed by the share of shortest connections
    through them, with their works towards each side.

    Example: collabgraph bridges IU "Park Seo-joon"    or    collabgraph bridges community:1 community:2
    """
    found = kg.bridges(_side(left), _side(right), limit=limit, k=k, seed=seed, resolution=resolution)
    if fmt == "table":
        far = "not connected" if found.distance is None else f"{found.distance} hop(s) apart"
        echo(f"{left} and {right}: {far}, {len(found.brokers)} broker(s), {len(found.links)} direct link(s)",
              err=True)
    _emit(fmt, found.to_dict(), ["broker", "share of paths", f"works towards {left}", f"works towards {right}"],
          [[b.label, f"{b.share:.3g}", _works_text(b.left), _works_text(b.right)] for b in found.brokers])
    if fmt == "table" and found.links:
        click.echo(("\n" if found.brokers else "") + table(
            ["direct link", "with", "works"], [[x.source_label, x.target_label, "; ".join(x.works)] for x in found.links]))


@cli.command()
@click.argument("name", type=TEXT, required=False)
@with_graph
@_plot_option
@format_option("table", "json", "csv")
def timeline(kg: CollabGraph, name: str | None, plot_file: Path | None, fmt: str) -> None:
    """NAME's credits by year (undated credits last), or without NAME, the
    collaborations of the whole graph per year.

    Example: collabgraph timeline V --plot v.png
    """
    from ..views.plots import plot_timeline
    from ..views.records import date_shown

    if name is None:
        years = kg.yearly()
        _emit(fmt, {"years": [y.to_dict() for y in years]}, ["year", "collaborations", "works", "agents"],
              [["undated" if y.year is None else y.year, y.collaborations, y.works, y.agents] for y in years])
        data: Any = years
    else:
        data = kg.timeline(name)
        dated = [(y.year, c) for y in data.years for c in y.credits] + [("undated", c) for c in data.undated]
        # In a table an editor's reading is marked as `works` and `entity` mark it, its reason below;
        # CSV keeps the role a plain value (the reason is in the JSON).
        role = mark_inferred if fmt == "table" else (lambda text, _c: text)
        rows = [[year, date_shown(c.when), c.work.label, role(c.role, c)] for year, c in dated]
        if not rows:
            why_empty(kg, data.agent, "works")
        _emit(fmt, data.to_dict(), ["year", "date", "work", "role"], rows)
        if fmt == "table":
            for _year, c in dated:
                if c.editors_inference:
                    click.echo(f"{INFERRED}{c.work.label}, {c.role}: editor's inference: {c.editors_inference}")
    if plot_file is not None:
        echo(f"wrote {os.fsdecode(plot_timeline(data, plot_file))}", err=True)


@cli.command()
@click.argument("name", type=TEXT)
@with_graph
@click.option("--method", type=click.Choice(["adamic-adar", "common-neighbours"]), default="adamic-adar",
              show_default=True, help="How shared collaborators are scored.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most this many.")
@format_option("table", "json", "csv")
def suggest(kg: CollabGraph, name: str, method: str, limit: int, fmt: str) -> None:
    """Suggest likely future collaborators of NAME: agents it has not worked
    with who share collaborators with it, each with those shared collaborators.

    Example: collabgraph suggest IU
    """
    a = kg.entity(name, want="agent")
    found = kg.suggest(a, method=method, limit=limit)
    _emit(fmt, {"agent": a.to_dict(), "method": method, "suggestions": [s.to_dict() for s in found]},
          ["suggestion", "score", "through", f"{a.label} with them on", "they with the suggestion on"],
          [[s.label, f"{s.score:.4g}", v.label, "; ".join(v.with_agent), "; ".join(v.with_candidate)]
           for s in found for v in s.via])


@cli.command("analytics")
@build_option
@click.option("--write", is_flag=True, help="Compute the analytics and write them into the build as graph:analytics.")
@click.option("--force", is_flag=True, help="With --write: recompute even if the build's results are current.")
@click.option("--k", "k", type=click.IntRange(min=1), default=None,
              help="Betweenness: sample this many sources  [default: exact up to 4,000 agents, else 1,000]")
@_seed_option
@_resolution_option
@format_option("table", "json")
def analytics_cmd(build_dir: Path, write: bool, force: bool, k: int | None, seed: int, resolution: float,
                  fmt: str) -> None:
    """Show whether the build holds current analytics (rank and community of
    every agent, in graph:analytics), or with --write compute and store them.
    They are recomputed only when the build or the parameters changed.

    Example: collabgraph analytics --write && collabgraph sparql "SELECT ?a ?c WHERE { ?a cg:inCommunity ?c }"
    """
    from ..build.writeback import write_analytics

    if write:
        report = write_analytics(build_dir, seed=seed, resolution=resolution, k=k, force=force)
        if fmt == "json":
            click.echo(to_json(report.to_dict()))
        elif report.written:
            echo(f"wrote graph:analytics: {report.agents} agents, {report.communities} communities, "
                  f"{report.triples} triples in {report.seconds:.1f} s (build {report.build_id}, {report.parameters})")
        else:
            echo(f"graph:analytics is current (build {report.build_id}, {report.parameters}, "
                  f"computed {report.computed_at}); nothing to do")
        return
    with CollabGraph.open(build_dir) as kg:
        answer = kg.analytics_status()
    status, bid, run = answer["status"], answer["build_id"], answer["run"]
    if fmt == "json":
        click.echo(to_json(answer))
        return
    echo(f"graph:analytics is {status} (build {bid})" + (
        f": computed {run['computed_at']} with {run['parameters']} for build {run['build_id']}" if run else ""))
    if status != "current":
        echo("next: collabgraph analytics --write", err=True)
