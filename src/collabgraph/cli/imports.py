"""Outside data into graph/: import wikidata, musicbrainz, csv."""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Any, Callable

import click

from ..core.errors import CollabGraphError, no_graph_directory
from ..core.namespaces import curie
from ..core.output import table, to_json
from .common import TEXT, KeyValue, cli, echo, source_options


@cli.group("import")
def import_() -> None:
    """Bring outside data into graph/: Wikidata items, MusicBrainz records, CSV files.

    Each import writes source files under graph/imports/ (one per item, or per
    chunk of a dump), links records to the entities the graph already has (by
    identifier, then by a unique name of the same type; close names are only
    suggested), and checks the whole graph before anything is kept: a bad input
    file or a record that breaks the contract changes nothing. Then run
    'collabgraph build'.

    Example: collabgraph import wikidata tests/data/wikidata/Q20145.json
    """


def import_options(f: Callable) -> Callable:
    """The options every importer takes: where to write, how to link, how to report."""
    f = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                     show_default=True, help="How to print the import report.")(f)
    f = click.option("--dry-run", is_flag=True, help="Link and report, but write nothing.")(f)
    f = click.option("--no-validate", is_flag=True,
                     help="Keep the files without validating the whole graph first (faster for big dumps; "
                          "run 'collabgraph validate' afterwards).")(f)
    f = click.option("--new", "new_names", multiple=True, metavar="NAME", type=TEXT,
                     help="Make NAME a new entity even where a suggestion or a same-named entity exists.")(f)
    f = click.option("--link", "link_pairs", multiple=True, metavar="NAME=ID",
                     type=KeyValue("NAME=ID", what="a record's name, and an entity name, CURIE or IRI"),
                     help="Link the record named NAME to the existing entity ID (a name, CURIE or IRI).")(f)
    return source_options(f)


def _run_import(batches: Any, *, graph_dir: Path, ontology_dir: Path | None, link_pairs: tuple[tuple[str, str], ...],
                new_names: tuple[str, ...], dry_run: bool, no_validate: bool, fmt: str, command: str,
                errors: list | None = None, isolate: bool = False) -> None:
    from ..importers.importing import run_import

    if not graph_dir.is_dir():
        raise CollabGraphError(no_graph_directory(os.fsdecode(graph_dir)))
    report = run_import(batches, graph_dir, ontology_dir=ontology_dir, links=dict(link_pairs),
                        new=new_names, dry_run=dry_run, validate=not no_validate, command=command, isolate=isolate)
    report.skipped[:0] = errors or []  # records the reader could not read (the others were imported)
    if fmt == "json":
        click.echo(to_json(report.to_dict()))
    else:
        _echo_import_report(report)
    if errors and not report.files:  # every record refused: a failure, not "0 facts"
        raise CollabGraphError(f"nothing imported: {len(errors)} record(s) could not be read (each listed as skipped)")


def _echo_import_report(report: Any) -> None:
    counts = report.counts()
    files = ", ".join(f"{counts[k]} {k}" for k in ("added", "replaced", "unchanged") if counts.get(k)) or "none"
    verb = "would write" if report.dry_run else "files"
    echo(f"{verb}: {files}; {counts['facts']} facts")
    if report.files:
        echo(table(["file", "status", "facts", "entities"],
                    [(w.path, w.status, w.facts, w.entities) for w in report.files]))
    linked = [d for d in report.decisions if d.method != "again"]
    if linked:
        echo("")
        echo(table(["record", "entity", "how", "why"],
                    [(d.label, curie(d.iri), d.method, d.detail) for d in linked]))
    if report.decisions_left_out:
        tally = ", ".join(f"{n} {method}" for method, n in sorted(report.tally.items()))
        echo(f"... and {report.decisions_left_out} more records ({tally} in all; --format json lists the first "
              "ones and every one to check)")
    for d in report.suggestions:
        options = "; ".join(f"{s.label} ({curie(s.iri)}, {s.score:.0f})" for s in d.suggestions)
        echo(f"check: {d.label} became new entity {curie(d.iri)}; close to {options}. If it is the same, "
              f"import again with --link {shlex.quote(d.label + '=' + curie(d.suggestions[0].iri))}", err=True)
    for skipped in report.skipped:
        where = f" ({skipped.where})" if skipped.where else ""
        echo(f"skipped: {skipped.what}{where}: {skipped.reason}", err=True)
    for c in report.choices:
        verb = "is" if c.kind == "same" else "is not"
        echo(f"decided: {c.name} {verb} {curie(c.other)}; kept in graph/decisions.ttl for later imports", err=True)
    for name in report.unused_links:
        echo(f"warning: --link {name}=... matched no record of this import", err=True)
    if not report.dry_run and any(w.status != "unchanged" for w in report.files):
        echo("next: collabgraph build", err=True)


def _fetcher(service: str, *, offline: bool, cache_dir: Path | None) -> Any:
    """The polite HTTP client for a service (it connects only when asked for something)."""
    from ..importers import fetch

    return getattr(fetch, f"{service}_fetcher")(offline=offline, cache_dir=cache_dir)


@import_.command("wikidata")
@click.argument("inputs", nargs=-1, required=True, type=TEXT)
@click.option("--languages", default="en,ko", show_default=True, type=TEXT,
              help="Languages of the labels, descriptions and aliases to keep (comma-separated).")
@click.option("--offline", is_flag=True, help="Fetch nothing: QIDs come from the on-disk cache only.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where fetched items are cached  [default: ~/.cache/collabgraph/wikidata]")
@click.option("--no-labels", is_flag=True,
              help="Do not ask Wikidata for the labels of the items the imported ones refer to (they stay QIDs).")
@click.option("--strict", is_flag=True,
              help="Import nothing if any item cannot be read (by default the others are imported and it is listed).")
@import_options
def import_wikidata(inputs: tuple[str, ...], languages: str, offline: bool, cache_dir: Path | None,
                    no_labels: bool, strict: bool, **options: Any) -> None:
    """Import Wikidata items: entity JSON files (Special:EntityData), dumps
    (.json, .json.gz, .json.bz2, one entity a line), or QIDs fetched from Wikidata.

    Items the imported ones refer to (members, labels, cast) are named by their
    labels, asked of Wikidata 50 at a time (cached; --offline reads the cache only).

    Example: collabgraph import wikidata Q20145 tests/data/wikidata/Q1299.json
    """
    from ..importers import fetch as fetching, wikidata

    langs = tuple(x.strip() for x in languages.split(",") if x.strip())
    fetch = _fetcher("wikidata", offline=offline, cache_dir=cache_dir)  # asks the network only for QIDs
    labels = None if no_labels else fetching.WikidataLabels(
        fetching.wikidata_labels(offline=offline, cache_dir=cache_dir))
    errors: list = []
    batches = wikidata.read(list(inputs), languages=langs, fetch=fetch, labels=labels, strict=strict, errors=errors)
    _run_import(batches, command="collabgraph import wikidata", errors=errors, isolate=not strict, **options)


@import_.command("musicbrainz")
@click.argument("inputs", nargs=-1, required=True, type=TEXT)
@click.option("--offline", is_flag=True, help="Fetch nothing: records come from the on-disk cache only.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where fetched records are cached  [default: ~/.cache/collabgraph/musicbrainz]")
@click.option("--strict", is_flag=True,
              help="Import nothing if any record cannot be read or its file breaks the contract "
                   "(by default the others are imported and it is listed).")
@import_options
def import_musicbrainz(inputs: tuple[str, ...], offline: bool, cache_dir: Path | None, strict: bool,
                       **options: Any) -> None:
    """Import MusicBrainz records: web-service JSON of artists, recordings and
    releases, JSON dumps (one document a line), or TYPE/MBID fetched from MusicBrainz.

    Example: collabgraph import musicbrainz tests/data/musicbrainz/recording-credits.json
    """
    from ..importers import musicbrainz

    fetch = _fetcher("musicbrainz", offline=offline, cache_dir=cache_dir)  # asks the network only for TYPE/MBIDs
    errors: list = []
    batches = musicbrainz.read(list(inputs), fetch=fetch, errors=None if strict else errors)
    _run_import(batches, command="collabgraph import musicbrainz", errors=errors, isolate=not strict, **options)


@import_.command("csv")
@click.argument("inputs", nargs=-1, type=TEXT)
@click.option("--template", "template", is_flag=True,
              help="Write a template CSV with every column (to the given file, or to stdout) and stop.")
@click.option("--strict", is_flag=True,
              help="Import nothing if any row is bad (by default the good rows are imported and the bad listed).")
@click.option("--delimiter", type=click.Choice([",", ";", "tab"]),
              help="The cell separator  [default: the one that splits the header into columns]")
@click.option("--mapping", type=click.Path(exists=True, path_type=Path), envvar="COLLABGRAPH_CSV_MAPPING",
              help="A CSVW metadata file (JSON) saying what the files' own columns hold, or a folder of them "
                   "(each file is read through the one whose columns are its header's)  "
                   "[default: <file>-metadata.json beside a file, if there is one]")
@click.option("--describe", is_flag=True,
              help="Write a mapping to start from for the first file (to the second argument, or stdout) and stop.")
@import_options
def import_csv(inputs: tuple[str, ...], template: bool, strict: bool, delimiter: str | None,
               mapping: Path | None, describe: bool, **options: Any) -> None:
    """Import facts from CSV files: one row a fact, with the columns of
    'collabgraph import csv --template' (documented in the README), or any
    CSV as it is, through a column mapping (CSVW metadata, docs/importing.md).

    Every bad row is reported with its line number and why. The good rows are
    imported unless --strict is given; a file with no good row imports nothing.

    Example: collabgraph import csv idols.csv --mapping idols.csv-metadata.json
    """
    from ..importers import csvfile, mapping as mapped

    if describe:
        from ..importers.mapping import describe as describe_csv

        if not inputs:
            raise click.UsageError("give the CSV file to describe (and where to write its mapping)")
        text = to_json(describe_csv(inputs[0], delimiter="\t" if delimiter == "tab" else delimiter)) + "\n"
        if len(inputs) > 1:
            Path(inputs[1]).write_text(text, "utf-8")
            echo(f"wrote {inputs[1]}: check every column before importing with --mapping {inputs[1]}", err=True)
        else:
            click.echo(text, nl=False)
        return
    if template:
        text = csvfile.template()
        if inputs:
            Path(inputs[0]).write_text(text, "utf-8")
            echo(f"wrote {inputs[0]}", err=True)
        else:
            click.echo(text, nl=False)
        return
    if not inputs:
        raise click.UsageError("give one or more CSV files (or --template)")
    read: list = []

    def batches():
        for batch in mapped.read(list(inputs), strict=strict, delimiter="\t" if delimiter == "tab" else delimiter,
                                 mapping=mapping):
            read.append(batch)
            yield batch

    _run_import(batches(), command="collabgraph import csv", **options)
    verb = "would import" if options.get("dry_run") else "imported"
    for batch in read:
        bad = f"; {len(batch.bad_rows)} bad (listed above as skipped)" if batch.bad_rows else ""
        rows = f"{len(batch.good_rows)} row{'' if len(batch.good_rows) == 1 else 's'}"
        echo(f"{batch.name}: {verb} {rows}, lines {_ranges(batch.good_rows)}{bad}", err=True)


def _ranges(numbers: list[int]) -> str:
    """``[2, 3, 4, 7]`` -> ``"2-4, 7"``."""
    out: list[str] = []
    for n in numbers:
        if out and n == int(out[-1].rsplit("-", 1)[-1]) + 1:
            out[-1] = out[-1].split("-")[0] + f"-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)
