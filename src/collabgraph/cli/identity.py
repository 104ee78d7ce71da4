"""Identity repair: merge, split, differ, decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import click

from ..core.namespaces import curie
from ..core.output import table, to_json
from .common import TEXT, cli, echo, source_options


def _format_option(f: Callable) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                        show_default=True, help="How to print what was done.")(f)


def _echo_repair(repair: Any, fmt: str, what: str) -> None:
    if fmt == "json":
        click.echo(to_json(repair.to_dict()))
        return
    echo(what)
    for f in repair.files:
        echo(f"wrote {f}", err=True)
    echo("next: collabgraph build", err=True)


@cli.command("merge")
@click.argument("source", type=TEXT)
@click.argument("target", type=TEXT)
@_format_option
@source_options
def merge_cmd(source: str, target: str, fmt: str, graph_dir: Path, ontology_dir: Path | None) -> None:
    """Merge entity SOURCE into TARGET (names or ids): two entities that are one.

    Every fact about SOURCE becomes a fact about TARGET (with its source and
    quote), its labels become aliases, and graph/decisions.ttl keeps the
    decision so later imports send SOURCE's records to TARGET. The whole graph
    is checked first: if it would not hold, nothing changes.

    Example: collabgraph merge id:lee-ji-eun-333be751 id:iu
    """
    from ..importers.decisions import merge

    r = merge(graph_dir, source, target, ontology_dir=ontology_dir)
    _echo_repair(r, fmt, f"merged {curie(r.decision.about)} into {curie(r.decision.other)}")


@cli.command("split")
@click.argument("entity", type=TEXT)
@click.option("--fact", "facts", multiple=True, metavar="FACT", type=TEXT,
              help="A fact (CURIE or IRI of a credit, membership, claim or attestation) to move.")
@click.option("--file", "files", multiple=True, metavar="FILE", type=TEXT,
              help="A source file (relative to --graph) whose facts about ENTITY all move.")
@click.option("--label", type=TEXT, help="The new entity's label (default: ENTITY's).")
@_format_option
@source_options
def split_cmd(entity: str, facts: tuple[str, ...], files: tuple[str, ...], label: str | None, fmt: str,
              graph_dir: Path, ontology_dir: Path | None) -> None:
    """Split ENTITY: move the chosen facts (with their provenance) to a new entity.

    Choose facts with --fact or whole imported files with --file (an import that
    merged two people: the file's facts about ENTITY go to the new one). The two
    are recorded as different in graph/decisions.ttl.

    Example: collabgraph split id:jimin --file imports/csv/aoa.ttl --label "Jimin (AOA)"
    """
    from ..importers.decisions import split

    r = split(graph_dir, entity, facts=facts, files=files, label=label, ontology_dir=ontology_dir)
    _echo_repair(r, fmt, f"moved {r.moved} fact(s) of {entity} to new entity {curie(r.entity)}")


@cli.command("differ")
@click.argument("first", type=TEXT)
@click.argument("second", type=TEXT)
@_format_option
@source_options
def differ_cmd(first: str, second: str, fmt: str, graph_dir: Path, ontology_dir: Path | None) -> None:
    """Record that FIRST and SECOND (names or ids) are different entities:
    no import will link one's records to the other (Wikidata's "different from").

    Example: collabgraph differ "id:jimin" "id:jimin-aoa-1a2b3c4d"
    """
    from ..importers.decisions import differ

    r = differ(graph_dir, first, second, ontology_dir=ontology_dir)
    _echo_repair(r, fmt, f"{curie(r.decision.about)} and {curie(r.decision.other)} are different")


@cli.command("decisions")
@_format_option
@source_options
def decisions_cmd(fmt: str, graph_dir: Path, ontology_dir: Path | None) -> None:
    """List the identity decisions in graph/decisions.ttl (who decided what, when).

    Example: collabgraph decisions --format json
    """
    from ..importers.decisions import read

    found = read(graph_dir)
    if fmt == "json":
        click.echo(to_json([d.to_dict() for d in found]))
        return
    if not found:
        echo("no identity decisions yet")
        return
    echo(table(["decision", "about", "other", "name", "who", "when", "how"],
                [(d.kind, curie(d.about), curie(d.other), d.name, d.who, d.when, d.how) for d in found]))
