"""Building and checking the graph: build, validate, info, generate."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

from ..api import CollabGraph
from ..core.output import table, to_json
from .common import (TEXT, cli, echo, error, format_option, source_options, strict_option,
                     with_graph)


@cli.command()
@source_options
@click.option("--out", "out_dir", default="build", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where to write the build.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.option("--verbose", "-v", is_flag=True, help="Print each stage and its time on stderr.")
@click.option("--full", is_flag=True, help="Parse every file again, even those unchanged since the last build.")
@click.option("--endpoint", metavar="URL", type=TEXT,
              help="Load the graph into this SPARQL server instead of a local store.")
@click.option("--update-endpoint", metavar="URL", type=TEXT, help="The server's SPARQL Update URL (default: --endpoint).")
@click.option("--upload", "upload_method",
              type=click.Choice(["auto", "oxigraph", "virtuoso-bulk", "graph-store", "sparql-update"]),
              default="auto", show_default=True,
              help="How graphs go to --endpoint: the server's bulk loader (Oxigraph server's /store; Virtuoso's "
                   "ld_add + rdf_loader_run, which needs --bulk-dir), the Graph Store Protocol, or SPARQL Update "
                   "for any server; auto tells Oxigraph server and Virtuoso by their Server header.")
@click.option("--bulk-dir", type=click.Path(file_okay=False, path_type=Path),
              help="For Virtuoso's bulk loader: a directory in its DirsAllowed, at the same path here and on the "
                   "server (the server on this machine or a shared mount).")
@click.option("--isql", metavar="HOST:PORT", default="", type=TEXT,
              help="Virtuoso's ISQL port for its bulk loader (default: the endpoint's host, port 1111); the "
                   "account is --update-endpoint's.")
@click.option("--bulk-loaders", default=1, show_default=True, type=click.IntRange(1, 64),
              help="For Virtuoso's bulk loader: how many rdf_loader_run() at once, each on its own files "
                   "(Virtuoso suggests one per 2.5 of the server's cores).")
@click.option("--allow-outside", is_flag=True,
              help="Read source files and cg:localPath copies that resolve outside --graph (links, '..'); "
                   "refused by default.")
@click.option("--compile", "compile_in", type=click.Choice(["auto", "streaming", "memory"]), default="auto",
              show_default=True,
              help="Where a full build compiles (a remote one too, into a local store removed once sent): streaming (on disk, file batch by file batch: memory that "
                   "does not grow with the graph), memory (about 3x faster, memory that does), or auto (memory "
                   "while the build would fit in half the memory available, else streaming). Both make the same "
                   "store.")
@strict_option
@format_option("table", "json")
def build(graph_dir: Path, ontology_dir: Path, out_dir: Path, quiet: bool, verbose: bool, full: bool,
          endpoint: str | None, update_endpoint: str | None, upload_method: str, bulk_dir: Path | None, isql: str,
          bulk_loaders: int, allow_outside: bool, compile_in: str, strict: bool, fmt: str) -> None:
    """Load, validate and infer the sources into a persistent store.

    Files unchanged since the previous build in --out are reused, not parsed.
    On a terminal a progress bar shows on stderr; in pipes and CI nothing
    does, unless --verbose. A failed build prints one line per problem and
    leaves the previous build in --out untouched. --strict fails it, as
    'validate --strict' does, where quotes cannot be checked or do not state their facts.

    Example: collabgraph build --graph graph --out build --strict
    """
    from ..build.pipeline import build as build_graph  # the pipeline (and rdflib) only for the commands that build

    from ..build.pipeline import MANIFEST
    from ..store.generations import current_build

    before = current_build(out_dir)
    had = (before / MANIFEST).is_file()
    try:
        with _progress(quiet=quiet, verbose=verbose) as progress:
            report = _interruptible(lambda: build_graph(
                graph_dir, ontology_dir, out_dir, incremental=not full, progress=progress, endpoint=endpoint,
                update_endpoint=update_endpoint, allow_outside=allow_outside, strict=strict,
                upload_method=upload_method, bulk_dir=bulk_dir, isql=isql, bulk_loaders=bulk_loaders,
                streaming={"auto": None, "streaming": True}.get(compile_in, False)))
    except KeyboardInterrupt:  # Ctrl-C: one line saying what is left, and out at once
        shown = os.fsdecode(out_dir)
        if current_build(out_dir) != before:
            error(f"interrupted after the new build was in place: {shown}/ holds it")
        else:
            error(f"interrupted; {'the previous build in ' + shown + '/ was kept' if had else 'no build was written'}"
                   " (the next build clears what this one left)")
        sys.stderr.flush()
        # The build thread may be inside one long query of the store's engine, which
        # nothing in Python can stop: leave as a kill would, which every build survives
        # (the next one removes the unfinished generation; see generations.new_generation).
        os._exit(130)
    if verbose:
        for stage, seconds in report.timings.items():
            echo(f"  {stage:<10} {seconds:8.2f} s", err=True)
    if quiet:
        return
    if fmt == "json":
        click.echo(to_json(report.to_dict()))
        return
    reused = f", {report.reused} reused unchanged" if report.reused else ""
    echo(f"built {os.fsdecode(out_dir)}/ from {len(report.sources)} source file(s){reused} in {report.seconds:.1f} s")
    _echo_summary(report.summary)
    _echo_quote_check(report, err=True)


def _interruptible(run: Callable[[], Any]) -> Any:
    """``run()`` in a worker thread, so that Ctrl-C (KeyboardInterrupt, seen
    only by the main thread) is seen at once: a long query in the store's
    engine would hold the main thread until it returns (minutes on a big graph)."""
    import threading

    done: dict[str, Any] = {}

    def work() -> None:
        try:
            done["value"] = run()
        except BaseException as exc:  # handed to the main thread as it is
            done["error"] = exc

    worker = threading.Thread(target=work, name="collabgraph-build", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
    if "error" in done:
        raise done["error"]
    return done["value"]


class _progress:
    """A build progress display on stderr: a bar while loading files and a
    line per later stage on a terminal; stage lines only with --verbose
    elsewhere; nothing with --quiet."""

    def __init__(self, *, quiet: bool, verbose: bool):
        self.tty = sys.stderr.isatty() and not quiet and not os.environ.get("CI")
        self.verbose = verbose and not quiet
        self.bar: Any = None
        self.stage = ""

    def __enter__(self):
        return self.update

    def update(self, stage: str, done: int, total: int) -> None:
        if stage == "load" and total > 1 and self.tty:
            if self.bar is None:
                self.bar = click.progressbar(length=total, label="loading sources", file=sys.stderr,
                                             show_pos=True)
                self.bar.__enter__()
            self.bar.update(done - self.bar.pos)
            return
        if stage != self.stage and stage != "load":
            self._close_bar()
            if self.tty or self.verbose:
                click.echo(f"{stage}…", err=True)
        self.stage = stage

    def _close_bar(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        self._close_bar()


@cli.command()
@source_options
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="SHACL engine: shapes compiled to SPARQL on Oxigraph (fast), or pySHACL (reference).")
@click.option("--allow-outside", is_flag=True,
              help="Read source files and cg:localPath copies that resolve outside --graph (links, '..'); "
                   "refused by default.")
@strict_option
def validate(graph_dir: Path, ontology_dir: Path, engine: str, allow_outside: bool, strict: bool) -> None:
    """Check the sources (syntax, SHACL shapes, and every quote against the
    local copy of its source document, and that it states its fact) without building.

    Example: collabgraph validate --graph graph --strict
    """
    from ..build.pipeline import default_ontology, validate as validate_graph

    report = validate_graph(graph_dir, ontology_dir, engine=engine, allow_outside=allow_outside, strict=strict)
    echo(f"ok: {len(report.sources)} source file(s), {report.triples} triples conform to "
          f"{(ontology_dir or default_ontology()) / 'shapes.ttl'}")
    _echo_quote_check(report)


def _echo_quote_check(report: Any, *, err: bool = False) -> None:
    """How many quotes were checked, and a note for each source that could not be; when some could
    not, which sources' copies the checked ones were found in, and which sources were not checked."""
    n = len(report.notes)
    names = _some(n, [note.partition(": ")[0] for note in report.notes])
    unchecked = (f"; {n} source{'s' if n != 1 else ''} not checked: {names} (why: the note{'s' if n != 1 else ''} below)"
                 if n else "")
    whose = ("the sources the changed files declare or cite (the others were read when their files changed)"
             if getattr(report, "quotes_scope", "all") == "changed" else "their sources")
    read = getattr(report, "quotes_read", {})
    if n and read:  # "their sources" would count the unchecked ones in: say whose copies were read
        whose = (f"the local copy of {next(iter(read))}" if len(read) == 1 else
                 f"the local copies of {_some(len(read), [f'{s} ({k})' for s, k in read.items()])}")
        echo(f"quotes: {report.quotes_checked} found verbatim in {whose}{unchecked}", err=err)
    else:
        echo(f"quotes: {report.quotes_checked} found verbatim in local copies of {whose}{unchecked}", err=err)
    for note in _grouped_notes(report.notes):
        echo(f"note: {note}", err=err)
    for warning in getattr(report, "warnings", []):
        echo(f"warning: {warning}", err=err)


def _some(n: int, names: list[str], most: int = 3) -> str:
    """The first ``most`` of ``names`` (``n`` in all), the rest counted.

    >>> _some(2, ["source:a", "source:b"]), _some(5, ["a", "b", "c", "d", "e"])
    ('source:a, source:b', 'a, b, c and 2 more (build --format json lists them all)')
    """
    more = f" and {n - most} more (build --format json lists them all)" if n > most else ""
    return ", ".join(names[:most]) + more


def _grouped_notes(notes: list[str], most: int = 3, named: int = 10) -> list[str]:
    """Notes saying the same thing of more than ``most`` sources become one
    line naming the first ``named`` of them (a generated graph has hundreds of
    sources without a local copy, which buried the rest of the output).

    >>> _grouped_notes([f"s{i}: has no copy" for i in range(5)] + ["t: other"])
    ['5 sources: has no copy: s0, s1, s2, s3, s4', 't: other']
    >>> _grouped_notes([f"s{i}: has no copy" for i in range(12)])
    ['12 sources: has no copy: s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 2 more (build --format json lists them all)']
    """
    said: dict[str, list[str]] = {}  # what is said -> the whole notes saying it, in the order first said
    for note in notes:
        _, sep, what = note.partition(": ")
        said.setdefault(what if sep else note, []).append(note)
    out = []
    for what, same in said.items():
        if len(same) > most and ": " in same[0]:
            names = [n.partition(": ")[0] for n in same]
            more = f" and {len(names) - named} more (build --format json lists them all)" if len(names) > named else ""
            out.append(f"{len(same)} sources: {what}: {', '.join(names[:named])}{more}")
        else:
            out.extend(same)
    return out


@cli.command()
@with_graph
@format_option("table", "json")
def info(kg: CollabGraph, fmt: str) -> None:
    """Summarise a build: triples, entities by type, facts, sources.

    Example: collabgraph info --build build
    """
    summary = kg.summary()
    if fmt == "json":
        click.echo(to_json({"manifest": kg.manifest, "summary": summary}))
        return
    if kg.manifest.get("built_at"):
        echo(f"build of {kg.manifest['built_at']} from {kg.manifest.get('graph_dir')}/")
    _echo_summary(summary)


def _echo_summary(s: dict[str, Any]) -> None:
    echo(f"{s['triples']} triples, {s.get('entity_count', sum(s['entities'].values()))} entities, "
          f"{sum(s['facts'].values())} facts, {s['collaborations']} inferred collaborations\n")
    click.echo(table(["entity type", "count"], sorted(s["entities"].items())))
    click.echo()
    click.echo(table(["fact", "count"], sorted(s["facts"].items())))
    click.echo()
    click.echo(table(["source", "facts", "label"], [(x["id"], x["facts"], x["label"]) for x in s["sources"]]))
    click.echo()
    click.echo(table(["graph", "triples"], sorted(s["graphs"].items())))


@cli.command()
@click.option("--agents", type=click.IntRange(min=2), required=True,
              help="How many agents (people and groups); about 46 triples each.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: same seed, same files.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory to write synthetic-NNNN.ttl files into.")
def generate(agents: int, seed: int, out_dir: Path) -> None:
    """Write a realistic synthetic graph (for benchmarks and scale tests).

    People and groups with English and Korean names, power-law credits,
    works of every kind, memberships, characters, a source and a quote on
    every fact. Passes 'collabgraph validate'. About 20,000 agents make a
    million triples.

    Example: collabgraph generate --agents 20000 --seed 1 --out /tmp/big && collabgraph build --graph /tmp/big --out /tmp/big-build
    """
    from ..importers.generate import generate as generate_graph

    stats = generate_graph(agents, out_dir, seed=seed)
    echo(f"wrote {stats.files} file(s) to {os.fsdecode(out_dir)}/: {stats.triples} triples, {stats.agents} agents, "
               f"{stats.works} works, {stats.credits} credits")
