"""Writing the graph out: export (RDF, GraphML, GEXF) and explore (the offline page)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..api import CollabGraph
from ..core.formats import GRAPH_FORMATS, RDF_FORMATS, export_format_for_path
from ..core.output import clean
from .common import TEXT, cli, echo, with_graph


@cli.command()
@with_graph
@click.option("--format", "fmt", type=click.Choice([*RDF_FORMATS, *GRAPH_FORMATS]), default=None,
              help="RDF format, or graphml/gexf for a NetworkX projection  [default: from the extension of "
                   "--output; trig on standard output]")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@click.option("--projection", type=click.Choice(["entity", "collaboration"]), default=None,
              help="Which projection graphml/gexf write  [default: entity]; RDF formats write the graph itself.")
@click.option("--no-inferred", is_flag=True, help="Leave out the inferred triples.")
def export(kg: CollabGraph, fmt: str | None, output: Path | None, projection: str | None, no_inferred: bool) -> None:
    """Export the graph as RDF or as a property graph (GraphML, GEXF).

    Without --format the format comes from the file's extension: .trig .ttl
    .nt .nq .jsonld .rdf/.owl/.xml .graphml .gexf.

    Example: collabgraph export --projection collaboration -o collab.graphml
    """
    if fmt is None:
        fmt = "trig" if output is None else export_format_for_path(output)
        if fmt is None:
            raise click.BadParameter(f"cannot tell the format of {clean(os.fsdecode(output or ''))!r} from its extension; "
                                     "add --format (see --help)", param_hint="--output")
    if projection is not None and fmt not in GRAPH_FORMATS:
        raise click.BadParameter(f"a projection is written as graphml or gexf; {fmt} writes the RDF graph itself",
                                 param_hint="--projection")
    target = output if output is not None else sys.stdout.buffer
    kg.export(target, fmt, projection=projection or "entity", include_inferred=not no_inferred)
    if output is not None:
        echo(f"wrote {os.fsdecode(output)} ({fmt})", err=True)


@cli.command()
@with_graph
@click.option("--focus", type=TEXT, help="Centre the view on this entity (any name, alias or id).")
@click.option("--depth", type=click.IntRange(min=1), default=2, show_default=True,
              help="With --focus: how many hops around it.")
@click.option("--max-nodes", type=click.IntRange(min=10), default=1500, show_default=True,
              help="Most nodes drawn, '+N more' nodes included; past it the least connected "
                   "neighbours fold into '+N more' nodes.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default="explorer.html",
              show_default=True, help="HTML file to write.")
def explore(kg: CollabGraph, focus: str | None, depth: int, max_nodes: int, out_file: Path) -> None:
    """Write the interactive explorer: one HTML file that works offline.

    Search by any name (Korean too), filter by type, role and year, click a
    node for its credits with quotes and sources, or find the connection
    between two agents. `collabgraph serve` shows the whole graph's page at /.

    Example: collabgraph explore --focus V --depth 2 --out v.html
    """
    from ..core.durable import output_file

    output_file(out_file)  # before the work: a missing directory is refused, not made
    page = kg.explore(focus=focus, depth=depth, max_nodes=max_nodes)
    page.write(out_file)
    folded = f", {page.folded} entities folded away" if page.folded else ""
    echo(f"wrote {os.fsdecode(out_file)}: {page.nodes} nodes, {page.edges} edges{folded}")
