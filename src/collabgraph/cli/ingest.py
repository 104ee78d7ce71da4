"""Reading news articles: ingest."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from ..core.errors import CollabGraphError, no_graph_directory
from ..core.output import table, to_json
from .common import TEXT, cli, echo, graph_flag, source_options


@cli.command("ingest")
@click.argument("articles", metavar="ARTICLE...", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", type=TEXT, help="Where the article was published.")
@click.option("--title", type=TEXT, help="The article's title (also its id, as a slug; default: the file name).")
@click.option("--publisher", type=TEXT, help="Who published it.")
@click.option("--published", type=TEXT, metavar="YYYY-MM-DD",
              help="Publication date: completes dates without a year and resolves 'last Friday'.")
@click.option("--language", default="en", show_default=True, type=TEXT, metavar="TAG",
              help="The article's language: the tag of the names accepted from it (names in Hangul get ko).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="How to print the report.")
@click.option("--reader", type=click.Choice(["rules", "learned"]), default="learned", show_default=True,
              help="Who reads the sentences: the rules and the learned reader (the default: more candidates, "
                   "proposed for review only), or the rules alone; docs/evaluation.md says how far each generalises.")
@source_options
def ingest_cmd(articles: tuple[Path, ...], url: str | None, title: str | None, publisher: str | None, published: str | None,
               language: str, fmt: str, reader: str, graph_dir: Path, ontology_dir: Path | None) -> None:
    """Read a news article (plain text or HTML) and propose candidate facts for review.

    The text is kept as graph/articles/<id>.txt (ignored by git unless you add
    it), the candidates in graph/articles/<id>.json, each with its exact
    sentence. Nothing enters the graph until 'collabgraph review' accepts it.
    Ingesting the same text again keeps every reviewed candidate as it is.

    Several articles in one run share what is read of the graph (its names,
    read once: much faster on a big graph); --url and --title then cannot be
    given, since they name one article. Every file is checked first (missing,
    empty, binary, not UTF-8: nothing is ingested then); an error while they are
    read in turn stops the run, and the articles before it stay ingested.

    Example: collabgraph ingest article.txt --published 2024-01-29 --url https://example.org/a
    """
    if len(articles) > 1 and (url or title):
        raise click.UsageError("--url and --title name one article: give them with a single ARTICLE")
    if not graph_dir.is_dir():
        raise CollabGraphError(no_graph_directory(os.fsdecode(graph_dir)))
    from ..ingest.article import ingest
    from ..ingest.text import read_article

    for article in articles:  # a bad file among several: say so before any is ingested
        read_article(article)
    reports = []
    for article in articles:
        report = ingest(article, graph_dir, url=url, title=title, publisher=publisher, published=published,
                        language=language, ontology_dir=ontology_dir, reader=reader)
        if fmt == "json":
            reports.append(report.to_dict())
            _print_notes(report)
        else:
            _print_report(report, graph_dir)
    if fmt == "json":
        click.echo(to_json(reports[0] if len(reports) == 1 else reports))


def _print_report(report: Any, graph_dir: Path) -> None:
    """One article's summary: its counts, its candidates by rule, and what to run next."""
    counts = report.counts()
    aside = f" ({counts['set_aside']} headline, byline or caption)" if counts["set_aside"] else ""
    echo(f"article {report.article.id}: {counts['sentences']} sentences{aside}, {counts['mentions']} mentions "
          f"({counts['linked']} linked, {counts['suggested']} suggested, {counts['new']} new), "
          f"{counts['candidates']} candidates ({counts['added']} new, {counts['kept']} already there)")
    if counts["by_rule"]:
        echo(table(["kind", "rule", "candidates"],
                    sorted({(c.kind, c.rule, sum(1 for d in report.candidates if (d.kind, d.rule) == (c.kind, c.rule)))
                            for c in report.candidates})))
    if report.knows_nothing:
        echo("note: the article names no entity the graph knows; every name found is proposed as new", err=True)
    if report.unread:
        n = len(report.unread)
        echo(f"{n} sentence{'s' if n > 1 else ''} name{'' if n > 1 else 's'} someone no fact read from "
             f"{'them' if n > 1 else 'it'} includes (where to look for a fact the readers missed): collabgraph "
             f"review sentences {report.article.id}{graph_flag(graph_dir)} --unread", err=True)
    _print_notes(report)
    echo(f"next: collabgraph review list{graph_flag(graph_dir)} --article {report.article.id}", err=True)


def _print_notes(report: Any) -> None:
    """What the user should know whatever the format: on stderr."""
    if report.undated:
        words = ", ".join(f'"{d}"' for d in report.undated)
        n = len(report.undated)
        echo(f"note: {n} date{'s' if n > 1 else ''} in words ({words}) need{'s' if n == 1 else ''} the publication "
             "date: give --published YYYY-MM-DD", err=True)
    if report.updates is not None:
        echo(f"note: --url was ingested as {report.updates.id!r} on {(report.updates.ingested or '?')[:10]} with "
             f"another text: {report.article.id!r} is its updated version, reviewed on its own", err=True)
