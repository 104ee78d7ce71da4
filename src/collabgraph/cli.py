"""The ``collabgraph`` command: a thin shell over :mod:`collabgraph.api`.

Each command opens the build, calls one library method, and prints a table or
JSON. Domain errors become one line on stderr and exit status 1 (a validation
failure prints one line per problem); usage errors exit with 2.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import sys
from pathlib import Path
from typing import Any, Callable

import click

from .version import __version__
from .api import CollabGraph, Entity, SharedWork
from .errors import CollabGraphError, EntityNotFound, UpdateNotAllowed, ValidationError
from .formats import GRAPH_FORMATS, RDF_FORMATS, RESULT_FORMATS, export_format_for_path
from .namespaces import CG_IRI, curie, expand
from .output import clean, table, to_json
from .sparqltext import query_form, query_variables

__all__ = ["main", "cli"]


def _echo(text: Any = "", *, err: bool = False) -> None:
    """Print text for a terminal: each line with its control characters escaped."""
    click.echo("\n".join(clean(line) for line in str(text).split("\n")), err=err)


def _error(message: Any) -> None:
    """Each line of the message as an ``error:`` line (one problem a line)."""
    for line in str(message).split("\n"):
        _echo(f"error: {line}", err=True)


class _NotText(CollabGraphError):
    """An argument that is not UTF-8 text: a usage error (exit 2), in one line."""


class _Group(click.Group):
    """Turns domain errors into one-line messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            for problem in exc.problems:
                _error(problem)
            _error(f"validation failed with {len(exc.problems)} problem(s)")
            ctx.exit(1)
        except _NotText as exc:
            _error(exc)
            ctx.exit(2)
        except CollabGraphError as exc:
            _error(exc)
            ctx.exit(1)
        except BrokenPipeError:  # output piped into head & co.
            sys.stderr.close()
            ctx.exit(0)
        except OSError as exc:
            name = os.fsdecode(exc.filename) if exc.filename is not None else ""
            _error(f"{name}{': ' if name else ''}{exc.strerror or exc}")
            ctx.exit(1)
        except click.exceptions.UsageError as exc:  # one line, like every other error
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            _error(f"{exc.format_message()}{hint}")
            ctx.exit(2)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug: still one line, the traceback on request
            if os.environ.get("COLLABGRAPH_DEBUG"):
                raise
            _error(f"unexpected {type(exc).__name__}: {exc} (set COLLABGRAPH_DEBUG=1 for the "
                   "traceback, and please report it)")
            ctx.exit(1)


class _Text(click.ParamType):
    """Text that must be valid Unicode. A shell hands Python bytes that are not
    UTF-8 (``$'\\xed\\xb2\\x80'``, a pasted file name) as lone surrogates,
    which no query, name or output can hold: refuse them here, in one line."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and re.search("[\ud800-\udfff]", value):
            what = (param.opts[0] if isinstance(param, click.Option) else param.human_readable_name) \
                if param is not None else "argument"
            raise _NotText(f"{what} is not valid UTF-8 text: {clean(value)} (the \\x.. bytes); "
                           "check the encoding of the terminal or of the file it came from")
        return value


TEXT = _Text()


def build_option(f: Callable) -> Callable:
    return click.option("--build", "build_dir", default="build", show_default=True, envvar="COLLABGRAPH_BUILD",
                        type=click.Path(file_okay=False, path_type=Path),
                        help="Build directory to read (made by 'collabgraph build').")(f)


def format_option(*choices: str) -> Callable[[Callable], Callable]:
    def deco(f: Callable) -> Callable:
        return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0],
                            show_default=True, help="Output format.")(f)
    return deco


def source_options(f: Callable) -> Callable:
    f = click.option("--ontology", "ontology_dir", default=None,
                     type=click.Path(file_okay=False, path_type=Path),
                     help="Directory with collab.ttl and shapes.ttl  [default: the ontology installed "
                          "with collabgraph, i.e. the repository's ontology/]")(f)
    return click.option("--graph", "graph_dir", default="graph", show_default=True,
                        type=click.Path(file_okay=False, path_type=Path),
                        help="Directory of source files (Turtle, TriG, N-Triples, ...).")(f)


#: validate --strict and build --strict: the same checks, the same words.
strict_option = click.option(
    "--strict", is_flag=True,
    help="Fail when a source's quotes cannot be checked (no local copy) or a quote does not "
         "name both sides of its fact or give its value (by default: notes and warnings).")


def with_graph(f: Callable) -> Callable:
    """Open the build named by --build (or the SPARQL server named by
    --endpoint), pass it as ``kg``, and close it afterwards."""

    @build_option
    @click.option("--endpoint", envvar="COLLABGRAPH_ENDPOINT", metavar="URL", type=TEXT,
                  help="Query this SPARQL endpoint (loaded by 'build --endpoint') instead of a local build. "
                       "If --build is the build that loaded it, its name index is used.")
    @functools.wraps(f)
    def wrapper(build_dir: Path, endpoint: str | None, **kwargs: Any) -> Any:
        if kwargs.get("list_saved"):  # `sparql --list`: the saved queries ship with the package
            return f(None, **kwargs)
        with (CollabGraph.connect(endpoint, build_dir=build_dir) if endpoint else CollabGraph.open(build_dir)) as kg:
            return f(kg, **kwargs)

    return wrapper


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="collabgraph")
def cli() -> None:
    """A knowledge graph of artist collaborations.

    Build the graph from graph/ and ontology/, then ask it questions:

        collabgraph build && collabgraph path IU "Park Seo-joon"
    """


# -- build and checks ---------------------------------------------------------------

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
@click.option("--upload", "upload_method", type=click.Choice(["auto", "oxigraph", "graph-store", "sparql-update"]),
              default="auto", show_default=True,
              help="How graphs go to --endpoint: the server's bulk path (Oxigraph server's /store, the Graph Store "
                   "Protocol of Virtuoso's /sparql-graph-crud), or SPARQL Update for any server; auto tells "
                   "Oxigraph server and Virtuoso by their Server header.")
@click.option("--allow-outside", is_flag=True,
              help="Read source files and cg:localPath copies that resolve outside --graph (links, '..'); "
                   "refused by default.")
@strict_option
@format_option("table", "json")
def build(graph_dir: Path, ontology_dir: Path, out_dir: Path, quiet: bool, verbose: bool, full: bool,
          endpoint: str | None, update_endpoint: str | None, upload_method: str, allow_outside: bool, strict: bool,
          fmt: str) -> None:
    """Load, validate and infer the sources into a persistent store.

    Files unchanged since the previous build in --out are reused, not parsed.
    On a terminal a progress bar shows on stderr; in pipes and CI nothing
    does, unless --verbose. A failed build prints one line per problem and
    leaves the previous build in --out untouched. --strict fails it, as
    'validate --strict' does, where quotes cannot be checked or do not state their facts.

    Example: collabgraph build --graph graph --out build --strict
    """
    from .build import build as build_graph  # the pipeline (and rdflib) only for the commands that build

    from .build import MANIFEST
    from .generations import current_build

    before = current_build(out_dir)
    had = (before / MANIFEST).is_file()
    try:
        with _progress(quiet=quiet, verbose=verbose) as progress:
            report = _interruptible(lambda: build_graph(
                graph_dir, ontology_dir, out_dir, incremental=not full, progress=progress, endpoint=endpoint,
                update_endpoint=update_endpoint, allow_outside=allow_outside, strict=strict,
                upload_method=upload_method))
    except KeyboardInterrupt:  # Ctrl-C: one line saying what is left, and out at once
        shown = os.fsdecode(out_dir)
        if current_build(out_dir) != before:
            _error(f"interrupted after the new build was in place: {shown}/ holds it")
        else:
            _error(f"interrupted; {'the previous build in ' + shown + '/ was kept' if had else 'no build was written'}"
                   " (the next build clears what this one left)")
        sys.stderr.flush()
        # The build thread may be inside one long query of the store's engine, which
        # nothing in Python can stop: leave as a kill would, which every build survives
        # (the next one removes the unfinished generation; see generations.new_generation).
        os._exit(130)
    if verbose:
        for stage, seconds in report.timings.items():
            _echo(f"  {stage:<10} {seconds:8.2f} s", err=True)
    if quiet:
        return
    if fmt == "json":
        click.echo(to_json(report.to_dict()))
        return
    reused = f", {report.reused} reused unchanged" if report.reused else ""
    _echo(f"built {os.fsdecode(out_dir)}/ from {len(report.sources)} source file(s){reused} in {report.seconds:.1f} s")
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
    from .build import default_ontology, validate as validate_graph

    report = validate_graph(graph_dir, ontology_dir, engine=engine, allow_outside=allow_outside, strict=strict)
    _echo(f"ok: {len(report.sources)} source file(s), {report.triples} triples conform to "
          f"{(ontology_dir or default_ontology()) / 'shapes.ttl'}")
    _echo_quote_check(report)


def _echo_quote_check(report: Any, *, err: bool = False) -> None:
    """How many quotes were checked, and a note for each source that could not be."""
    unchecked = f"; {len(report.notes)} source(s) not checked:" if report.notes else ""
    _echo(f"quotes: {report.quotes_checked} found verbatim in local copies of their sources{unchecked}", err=err)
    for note in _grouped_notes(report.notes):
        _echo(f"note: {note}", err=err)
    for warning in getattr(report, "warnings", []):
        _echo(f"warning: {warning}", err=err)


def _grouped_notes(notes: list[str], most: int = 3) -> list[str]:
    """Notes saying the same thing of more than ``most`` sources become one
    line naming them all (a generated graph has hundreds of sources without
    a local copy, which buried the rest of the output).

    >>> _grouped_notes([f"s{i}: has no copy" for i in range(5)] + ["t: other"])
    ['5 sources: has no copy: s0, s1, s2, s3, s4', 't: other']
    """
    said: dict[str, list[str]] = {}  # what is said -> the whole notes saying it, in the order first said
    for note in notes:
        _, sep, what = note.partition(": ")
        said.setdefault(what if sep else note, []).append(note)
    out = []
    for what, same in said.items():
        if len(same) > most and ": " in same[0]:
            out.append(f"{len(same)} sources: {what}: {', '.join(n.partition(': ')[0] for n in same)}")
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
        _echo(f"build of {kg.manifest['built_at']} from {kg.manifest.get('graph_dir')}/")
    _echo_summary(summary)


def _echo_summary(s: dict[str, Any]) -> None:
    _echo(f"{s['triples']} triples, {s.get('entity_count', sum(s['entities'].values()))} entities, "
          f"{sum(s['facts'].values())} facts, {s['collaborations']} inferred collaborations\n")
    click.echo(table(["entity type", "count"], sorted(s["entities"].items())))
    click.echo()
    click.echo(table(["fact", "count"], sorted(s["facts"].items())))
    click.echo()
    click.echo(table(["source", "facts", "label"], [(x["id"], x["facts"], x["label"]) for x in s["sources"]]))
    click.echo()
    click.echo(table(["graph", "triples"], sorted(s["graphs"].items())))


# -- entities ---------------------------------------------------------------------------

@cli.command()
@click.argument("name", type=TEXT)
@with_graph
@format_option("table", "json")
def entity(kg: CollabGraph, name: str, fmt: str) -> None:
    """Show one entity: names, types, identifiers, credits and claims.

    NAME can be any label or alias (case, spaces and hyphens do not matter),
    an identifier like id:v, or an IRI.

    Example: collabgraph entity taehyung
    """
    e = kg.entity(name)
    credits, claims = kg.credits(e), kg.claims(e)
    if fmt == "json":
        click.echo(to_json({**e.to_dict(), "credits": [c.to_dict() for c in credits],
                            "claims": [c.to_dict() for c in claims]}))
        return
    _echo(f"{e.label}  ({e.id})")
    _echo(f"  type:     {', '.join(e.types)}")
    _echo(f"  labels:   {', '.join(f'{v}@{k}' if k else v for k, v in sorted(e.labels.items()))}")
    if e.aliases:
        _echo(f"  aliases:  {', '.join(e.aliases)}")
    for qid in e.wikidata:
        _echo(f"  wikidata: {qid}")
    if credits:
        click.echo()
        click.echo(_credits_table(credits, e))
    if claims:
        click.echo()
        click.echo(table(["claim", "value", "claimed by", "quote"],
                         [(c.property, _mark(c.value_label, c), c.claimed_by.label if c.claimed_by else "",
                           c.citation + _reasons([c])) for c in claims]))


#: Marks the part of a line that is an editor's inference; the line's quote
#: cell (or the line after a path hop) then gives the reason.
INFERRED = "*"


def _mark(text: str, fact: Any) -> str:
    """``text`` with the inference marker when ``fact`` is an editor's inference."""
    return text + INFERRED if fact.editors_inference else text


def _reasons(facts: Any, *, who: bool = False) -> str:
    """The reasons of the facts that are editors' inferences, to follow a quote
    on the same line; ``who`` names the agent and role of each credit."""
    notes = [f"[{INFERRED}editor's inference{f' ({c.agent.label}, {c.role})' if who else ''}: "
             f"{c.editors_inference}]" for c in facts if c.editors_inference]
    return "".join("  " + n for n in notes)


def _roles(work: SharedWork, agent: Entity) -> str:
    """The roles of ``agent`` on a shared work, each marked when its credit is inferred."""
    inferred = {c.role for c in work.inferred if c.agent.iri == agent.iri}
    return ", ".join(r + (INFERRED if r in inferred else "") for r in work.roles_of(agent))


def _credits_table(credits: list, e: Entity) -> str:
    rows = []
    for c in credits:
        other = c.work if c.agent.iri == e.iri else c.agent
        role = _mark(c.role, c) + (f" ({c.instrument})" if c.instrument else "") + (" (debut)" if c.debut else "")
        rows.append((other.label, other.type, role,
                     c.character.label if c.character else "",
                     c.date or (f"{c.released} (release)" if c.released else ""), c.citations[0] + _reasons([c])))
    return table(["credited with" if credits and credits[0].work.iri == e.iri else "work",
                  "type", "role", "character", "date", "quote"], rows)


@cli.command()
@click.argument("text", type=TEXT)
@with_graph
@click.option("--limit", default=10, show_default=True, help="At most this many results.")
@format_option("table", "json")
def search(kg: CollabGraph, text: str, limit: int, fmt: str) -> None:
    """Find entities whose names contain TEXT.

    Example: collabgraph search park
    """
    if not text.strip():
        raise click.UsageError("TEXT is empty: give part of a name, e.g. collabgraph search park")
    found = kg.search(text, limit=limit + 1)  # one more, to tell the user when there are more
    more, found = len(found) > limit, found[:limit]
    if not found:
        _no_match_hint(kg, text)
    if fmt == "json":
        click.echo(to_json([e.to_dict() for e in found]))
    elif found:
        click.echo(table(["id", "label", "type"], [(e.id, e.label, e.type) for e in found]))
    if more:
        _echo(f"note: the first {limit} shown; more names contain {text!r} (--limit N shows more)", err=True)


@cli.command()
@click.argument("name", type=TEXT)
@with_graph
@format_option("table", "json")
def collaborators(kg: CollabGraph, name: str, fmt: str) -> None:
    """List the agents credited on the same works as NAME, with the works and quotes.

    Example: collabgraph collaborators V
    """
    a = kg.entity(name)
    found = kg.collaborators(a)
    if not found:
        _why_empty(kg, a, "collaborators")
    if fmt == "json":
        click.echo(to_json({"agent": a.to_dict(), "collaborators": [c.to_dict() for c in found]}))
        return
    if not found:
        return
    rows = []
    for c in found:
        for w in c.works:
            theirs, mine = w.evidence(c.agent), w.evidence(a)
            cited = [e[0] for e in dict.fromkeys(x for x in (theirs, mine) if x is not None)]
            rows.append((c.agent.label, w.work.label, _roles(w, a), _roles(w, c.agent),
                         " / ".join(cited) + _reasons(w.inferred, who=True)))
    click.echo(table(["collaborator", "work", f"role of {a.label}", "their role",
                      "their credit's quote / yours"], rows))


@cli.command()
@click.argument("name", type=TEXT)
@with_graph
@format_option("table", "json")
def works(kg: CollabGraph, name: str, fmt: str) -> None:
    """List the works of an agent with role, character, date and quote.

    Example: collabgraph works V
    """
    a = kg.entity(name)
    credits = kg.works(a)
    if not credits:
        _why_empty(kg, a, "works")
    if fmt == "json":
        click.echo(to_json({"agent": a.to_dict(), "credits": [c.to_dict() for c in credits]}))
        return
    if credits:
        click.echo(_credits_table(credits, a))


def _kind(kg: CollabGraph, e: Entity) -> str:
    """``work``, ``agent`` or ``other``, from the entity's types and the ontology's class tree."""
    import pyoxigraph as ox

    for kind, top in (("work", CG_IRI + "Work"), ("agent", CG_IRI + "Agent")):
        for t in e.types:
            iri = expand(t)
            if iri and bool(kg.store.query("ASK { ?t rdfs:subClassOf* ?top }",
                                           {"t": ox.NamedNode(iri), "top": ox.NamedNode(top)})):
                return kind
    return "other"


def _shell(text: str) -> str:
    """``text`` as one shell word, in double quotes where that is enough."""
    if re.fullmatch(r"[\w.:@%+=-]+", text):
        return text
    if not re.search(r'["$`\\!]', text):
        return f'"{text}"'
    return shlex.quote(text)


def _why_empty(kg: CollabGraph, e: Entity, command: str) -> None:
    """Say on stderr why ``command`` found nothing for ``e``, and what to try."""
    kind = _kind(kg, e)
    if kind != "agent":
        what = f"a work ({e.type})" if kind == "work" else f"{'an' if e.type[:1] in 'AEIOU' else 'a'} {e.type}"
        credited = "lists who is credited on it" if kind == "work" else "shows what the graph says about it"
        _echo(f"{e.label} is {what}, not an agent; `collabgraph entity {_shell(e.label)}` {credited}", err=True)
        return
    members = [c for c in kg.claims(e) if c.kind == "Membership" and c.property == "cg:member"]
    own = kg.works(e) if command == "collaborators" else []
    if own:
        _echo(f"{e.label} shares no work with another agent; `collabgraph works {_shell(e.label)}` "
              f"lists its {len(own)} credit(s)", err=True)
    elif members:
        names = [m.value_label for m in members]
        _echo(f"{e.label} has no credits of its own; it is a group with the member(s) {', '.join(names)}: "
              f"try `collabgraph {command} {_shell(names[0])}`", err=True)
    else:
        _echo(f"{e.label} has no credits in the graph", err=True)


def _no_match_hint(kg: CollabGraph, text: str) -> None:
    try:
        kg.entity(text)
    except EntityNotFound as exc:
        hint = f"; did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else "; try a shorter part of it"
        _echo(f"no entity has a name containing {text!r}{hint}", err=True)
    except CollabGraphError:
        _echo(f"no entity has a name containing {text!r}", err=True)


@cli.command()
@click.argument("source", type=TEXT)
@click.argument("target", type=TEXT)
@with_graph
@format_option("table", "json")
def path(kg: CollabGraph, source: str, target: str, fmt: str) -> None:
    """Show the shortest connection between two agents, hop by hop, with the
    work, the roles and the quote behind each hop.

    Example: collabgraph path IU "Park Seo-joon"
    """
    ends = [kg.entity(source), kg.entity(target)]
    for e in ends:
        kind = _kind(kg, e)
        if kind != "agent":
            what = f"a work ({e.type})" if kind == "work" else f"{'an' if e.type[:1] in 'AEIOU' else 'a'} {e.type}"
            shown = "lists who is credited on it" if kind == "work" else "shows what the graph says about it"
            raise CollabGraphError(f"{e.label} is {what}, not an agent: a path joins two agents; "
                                   f"`collabgraph entity {_shell(e.label)}` {shown}")
    hops = kg.path(*ends)
    if fmt == "json":
        click.echo(to_json([h.to_dict() for h in hops]))
        return
    _echo(" – ".join([hops[0].source.label, *(h.target.label for h in hops)]))
    for i, h in enumerate(hops, 1):
        click.echo()
        if h.kind == "membership":
            member, group = (h.member, h.group) if h.member and h.group else (h.source, h.target)
            _echo(f"{i}. {member.label} is a member of {group.label}")
        else:
            first = h.works[0]
            _echo(f"{i}. {h.source.label} ({_roles(first, h.source)}) and {h.target.label} "
                  f"({_roles(first, h.target)}) on {h.work.label} [{h.work.type}]")
            if len(h.works) > 1:
                _echo(f"   also: {', '.join(w.work.label for w in h.works[1:])}")
        for text, quoted in h.evidence:  # each side's own words (or record), once if shared
            _echo(f"   “{text}”" if quoted else f"   {text}")
        for c in (h.works[0].inferred if h.works else []):
            _echo(f"   {INFERRED}editor's inference ({c.agent.label}, {c.role}): {c.editors_inference}")


# -- SPARQL and export -----------------------------------------------------------------

_TYPED = re.compile(r'^"(?P<text>.*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<dt>\S+))?$', re.S)


def parse_binding(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` as a variable name and an RDF term.

    VALUE is ``<iri>``, a CURIE with a known prefix (``id:v``), an N-Triples-style
    literal (``"IU"@en``, ``"15"^^xsd:integer``), or else a plain string.

    >>> parse_binding('name="IU"@en')
    ('name', rdflib.term.Literal('IU', lang='en'))
    >>> parse_binding("agent=id:v")
    ('agent', rdflib.term.URIRef('https://w3id.org/collabgraph/id/v'))
    """
    from rdflib import Literal, URIRef

    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not name:
        raise click.BadParameter(f"{text!r}: use NAME=VALUE", param_hint="--bind")
    if value.startswith("<") and value.endswith(">"):
        return name, URIRef(_iri(text, value[1:-1]))
    m = _TYPED.match(value)
    if m:
        dt = m.group("dt")
        if dt:
            dt = dt[1:-1] if dt.startswith("<") else expand(dt) or dt
            return name, Literal(m.group("text"), datatype=URIRef(_iri(text, dt)))
        return name, Literal(m.group("text"), lang=m.group("lang"))
    iri = expand(value)
    return name, URIRef(_iri(text, iri)) if iri else value


def _iri(binding: str, iri: str) -> str:
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise click.BadParameter(f"{binding!r}: {iri!r} is not an absolute IRI ({exc})", param_hint="--bind") from None
    return iri


@cli.command()
@click.argument("query", required=False, type=TEXT)
@with_graph
@click.option("--saved", "saved_name", metavar="NAME", type=TEXT, help="Run a saved query instead (see --list).")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries and their parameters.")
@click.option("--bind", "bindings", multiple=True, metavar="NAME=VALUE", type=TEXT,
              help='Bind ?NAME to VALUE. With --saved, VALUE is plain text (an entity name, a role, a year). '
                   'Otherwise: <iri>, a CURIE like id:v, "text"@en, "15"^^xsd:integer, or else a plain string. '
                   'Repeatable.')
@click.option("--allow-service", multiple=True, metavar="IRI", type=TEXT,
              help="Let SERVICE send requests to this endpoint (or every IRI under it, when it ends in /); "
                   "none by default. Repeatable.")
@format_option("table", "json", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld")
def sparql(kg: CollabGraph, query: str | None, saved_name: str | None, list_saved: bool,
           bindings: tuple[str, ...], allow_service: tuple[str, ...], fmt: str) -> None:
    """Run a SPARQL query (text, or a path to a .rq file) or a saved query.

    Prefixes cg:, id:, role:, rdfs:, skos:, prov:, schema: ... are predeclared.
    Values are shown exactly as the engine has them. JSON is the W3C SPARQL 1.1
    results format; for CONSTRUCT/DESCRIBE it is JSON-LD, xml is RDF/XML, and
    the table, csv and tsv have one row per triple. --bind values are joined in as
    a VALUES block, never pasted into the query text. Only queries run here:
    to change the graph, edit graph/ and build again, or send SPARQL updates
    to 'collabgraph serve --writable'.

    SERVICE clauses are refused unless --allow-service names their endpoint.

    Example: collabgraph sparql --saved collaborators --bind agent=V
    """
    from .saved import bind_saved, saved_queries

    for b in bindings:  # before anything else: `--bind agent V` leaves V where the query goes
        if "=" not in b:
            example = f"; did you mean --bind {shlex.quote(f'{b}={query}')}?" if query else ""
            raise click.BadParameter(f"{b!r}: use NAME=VALUE (one argument, no spaces around =){example}",
                                     param_hint="--bind")
    if list_saved:
        queries = saved_queries()
        if fmt == "json":
            click.echo(to_json([q.to_dict() for q in queries.values()]))
            return
        for q in queries.values():
            params = " ".join(f"--bind {p.name}=<{p.kind}>" for p in q.params)
            click.echo(f"{q.name}  {params}\n    {q.title}: {q.description}")
            for p in q.params:
                click.echo(f"    {p.name} ({p.kind}): {p.help}")
        return
    kg.store.allow_service = allow_service
    if saved_name:
        if query:
            raise click.UsageError("give a query or --saved NAME, not both")
        args = {}
        for b in bindings:
            name, sep, value = b.partition("=")
            if not sep:
                raise click.BadParameter(f"{b!r}: use NAME=VALUE", param_hint="--bind")
            args[name.strip()] = value
        saved_query, bound = bind_saved(kg.reader, saved_name, args)
        text = saved_query.text
    elif query:
        text = _query_text(query)
        bound = dict(parse_binding(b) for b in bindings)
        _check_bound_variables(text, bound)
    else:
        raise click.UsageError("give a query, --saved NAME or --list")
    form = query_form(text)
    _check_result_format(form, fmt)
    empty = False  # an empty graph needs no hint: CONSTRUCT templates seldom bind plain strings
    try:
        if fmt != "table":
            data = kg.sparql_serialize(text, fmt, bindings=bound)
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            empty = form not in ("CONSTRUCT", "DESCRIBE") and _empty_results(data, fmt)
        else:
            empty = _print_result(kg.sparql(text, bindings=bound, terms="oxigraph"))
    except UpdateNotAllowed as exc:
        raise UpdateNotAllowed(exc.keyword, "; to change the graph, edit its files in graph/ and run "
                               "'collabgraph build', or send the update to 'collabgraph serve --writable'") from None
    if empty:
        _hint_language_tags(kg, bound)
        _hint_unknown_terms(kg, text)


def _hint_unknown_terms(kg: CollabGraph, text: str) -> None:
    """After an empty answer, name the terms of the query the graph does not
    have (a typo in a property), with the nearest it has."""
    from .views.vocabulary import unknown_terms

    for u in unknown_terms(kg.reader, text):
        near = f"; did you mean {' or '.join(u.suggestions)}?" if u.suggestions else ""
        _echo(f"no results; {u.term} is nowhere in the graph{near}", err=True)


def _empty_results(data: bytes, fmt: str) -> bool:
    """Whether serialised SELECT/ASK results say nothing (no row, or "no")."""
    import pyoxigraph as ox

    if fmt not in RESULT_FORMATS:
        return False
    if fmt == "csv":  # a format Oxigraph does not read back: a header line and nothing else
        lines = [line for line in data.decode("utf-8").splitlines() if line]
        return lines == ["false"] or len(lines) == 1 and lines[0] != "true"
    results = ox.parse_query_results(data, format=RESULT_FORMATS[fmt])
    if isinstance(results, ox.QueryBoolean):
        return not bool(results)
    return next(iter(results), None) is None


def _print_result(result: Any) -> bool:
    """Print a result as a table of the engine's terms (CONSTRUCT/DESCRIBE: one
    row per triple), or yes/no for ASK; return whether it was empty."""
    import pyoxigraph as ox

    from .views.results import rows as result_rows

    if isinstance(result, ox.QueryBoolean):
        click.echo("yes" if result else "no")
        return not result
    names, rows = result_rows(result)
    graph = isinstance(result, (ox.QueryTriples, list))
    if names:
        click.echo(table(names, [[_cell(t) for t in row] for row in rows]))
    noun = "triple" if graph else "row"
    click.echo(f"({len(rows)} {noun}{'s' if len(rows) != 1 else ''})")
    return not rows


def _query_text(query: str) -> str:
    """The text of QUERY: the file it names (a .rq file, or any file that
    exists), else the argument itself."""
    path = Path(query)
    try:
        is_file = query.endswith(".rq") or path.is_file()
    except (OSError, ValueError):  # "File name too long", a NUL byte: not a file name
        is_file = False
    if not is_file:
        if re.fullmatch(r"[^\s{}]*/[^\s{}]*", query) and _is_dir(path):
            raise CollabGraphError(f"{query}: is a directory, not a query file")
        return query
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CollabGraphError(f"{query}: not UTF-8 text (byte {exc.start + 1} is 0x{data[exc.start]:02x})") from None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _check_bound_variables(text: str, bound: dict[str, Any]) -> None:
    """Refuse a --bind for a variable the query does not use: it would
    otherwise only add a column, or be silently ignored."""
    used = query_variables(text)
    for name in bound:
        if name not in used and re.fullmatch(r"\w+", name):  # other names: refused when bound
            listed = ", ".join("?" + v for v in used) or "none"
            raise CollabGraphError(f"--bind {name}=...: the query has no variable ?{name} (its variables: {listed})")


def _check_result_format(form: str | None, fmt: str) -> None:
    """Refuse an RDF format for SELECT/ASK; CONSTRUCT/DESCRIBE take every format
    (json is JSON-LD, xml RDF/XML, csv/tsv and the table one row per triple)."""
    if form in ("SELECT", "ASK") and fmt not in ("table", *RESULT_FORMATS):
        raise click.BadParameter(f"{fmt} is for CONSTRUCT and DESCRIBE; a {form} result can be "
                                 f"{', '.join(('table', *RESULT_FORMATS))}", param_hint="--format")


_OTHER_FORMS = """SELECT DISTINCT ?form WHERE {
  ?s ?p ?form .
  FILTER(isLiteral(?form) && str(?form) = ?text && !sameTerm(?form, ?text))
} LIMIT 3"""


def _hint_language_tags(kg: CollabGraph, bound: dict[str, Any]) -> None:
    """After an empty answer, say so when a plain string was bound that the
    data also holds with a language tag or a datatype (``"교포머리"@ko``)."""
    from rdflib import XSD, Literal, URIRef

    plain = {n: v for n, v in bound.items() if isinstance(v, str) and not isinstance(v, (URIRef, Literal))
             or isinstance(v, Literal) and not v.language and v.datatype in (None, XSD.string)}
    hints = []
    for name, value in plain.items():
        for row in kg.sparql(_OTHER_FORMS, bindings={"text": Literal(str(value))}):
            form = row.form
            suffix = f"@{form.language}" if form.language else f"^^{curie(str(form.datatype))}"
            hints.append((name, f'"{form}"{suffix}'))
    if hints:
        _echo("no results; the data has " + ", ".join(
            f"{literal}: bind {shlex.quote(f'{name}={literal}')}" for name, literal in hints), err=True)


def _cell(term: Any) -> str:
    """A table cell: an IRI as a CURIE where a prefix fits, a literal as its
    lexical form exactly, a blank node as ``_:id``, a triple term as
    ``<<( s p o )>>`` in N-Triples."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.Triple):
        return f"<<( {term} )>>"
    if isinstance(term, ox.BlankNode):
        return str(term)
    return term.value


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
            raise click.BadParameter(f"cannot tell the format of {clean(os.fsdecode(output))!r} from its extension; "
                                     "add --format (see --help)", param_hint="--output")
    if projection is not None and fmt not in GRAPH_FORMATS:
        raise click.BadParameter(f"a projection is written as graphml or gexf; {fmt} writes the RDF graph itself",
                                 param_hint="--projection")
    target = output if output is not None else sys.stdout.buffer
    kg.export(target, fmt, projection=projection or "entity", include_inferred=not no_inferred)
    if output is not None:
        _echo(f"wrote {os.fsdecode(output)} ({fmt})", err=True)


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
    from .durable import output_file

    output_file(out_file)  # before the work: a missing directory is refused, not made
    page = kg.explore(focus=focus, depth=depth, max_nodes=max_nodes)
    page.write(out_file)
    folded = f", {page.folded} entities folded away" if page.folded else ""
    _echo(f"wrote {os.fsdecode(out_file)}: {page.nodes} nodes, {page.edges} edges{folded}")


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
    from .generate import generate as generate_graph

    stats = generate_graph(agents, out_dir, seed=seed)
    _echo(f"wrote {stats.files} file(s) to {os.fsdecode(out_dir)}/: {stats.triples} triples, {stats.agents} agents, "
               f"{stats.works} works, {stats.credits} credits")


@cli.command()
@build_option
@click.option("--endpoint", metavar="URL", type=TEXT,
              help="Serve a graph loaded into this SPARQL server instead of a build.")
@click.option("--host", default="127.0.0.1", show_default=True, type=TEXT,
              help="Address to bind (0.0.0.0 exposes it to the network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(min=1),
              help="Most rows or triples a query may return (413 past it).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Query worker processes (queries answered at once).")
@click.option("--writable", is_flag=True, help="Accept SPARQL updates (403 otherwise).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME", type=TEXT,
              help="Also answer requests for this host name (IP addresses and localhost always). Repeatable.")
@click.option("--allow-service", multiple=True, metavar="IRI", type=TEXT,
              help="Let SERVICE send queries to this endpoint (or under this IRI if it ends with /); "
                   "none by default. Repeatable.")
@click.option("--allow-load", multiple=True, metavar="IRI", type=TEXT,
              help="With --writable, let LOAD fetch this IRI (or under it if it ends with /); none by default. "
                   "Repeatable.")
@click.option("--max-body", default=1_000_000, show_default=True, type=click.IntRange(min=1), metavar="BYTES",
              help="Largest request body (413 past it).")
@click.option("--max-query", default=100_000, show_default=True, type=click.IntRange(min=1), metavar="CHARS",
              help="Longest query text (413 past it).")
@click.option("--max-result-bytes", default=50_000_000, show_default=True, type=click.IntRange(min=1),
              metavar="BYTES", help="Most text a result may hold (413 past it).")
@click.option("--queue", "max_queue", default=64, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Most queries waiting for a worker; past it 503 with Retry-After.")
@click.option("--per-client", type=click.IntRange(min=1), metavar="N",
              help="Most queries one client (IP address) runs at once  [default: all workers on a loopback "
                   "address, workers - 1 (at least 1) on others]")
@click.option("--memory", is_flag=True,
              help="Answer from an in-memory copy of the build (loaded from its snapshot at start; "
                   "about 1 GB per million triples per worker): heavy queries run several times faster.")
@click.option("--max-memory", default=4096, show_default=True, type=click.IntRange(min=0), metavar="MiB",
              help="Memory each query worker may hold; a query that needs more stops its worker (500, and "
                   "the worker is replaced). 0: no limit. Raise it with --memory on big builds.")
@click.option("--header-timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Time a request's headers may take to arrive (408 and the connection closed past it).")
@click.option("--body-timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Time a request's body may take to arrive once its headers are in (408 past it).")
@click.option("--max-connections", default=1000, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Connections open at once (lowered to fit the open-file limit); past it 503.")
@click.option("--max-client-connections", default=100, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Connections open at once from one IP address; past it 503.")
@click.option("--review", "review_", is_flag=True,
              help="Serve the review page of ingested articles at /review; accepting, editing or rejecting "
                   "there changes --graph DIR/articles/ (never the store).")
@source_options
def serve(build_dir: Path, endpoint: str | None, host: str, port: int, timeout: float, max_rows: int,
          workers: int, writable: bool, allow_hosts: tuple[str, ...], allow_service: tuple[str, ...],
          allow_load: tuple[str, ...], max_body: int, max_query: int, max_result_bytes: int, max_queue: int,
          per_client: int | None, memory: bool, max_memory: int, header_timeout: float, body_timeout: float,
          max_connections: int, max_client_connections: int, review_: bool, graph_dir: Path,
          ontology_dir: Path | None) -> None:
    """Serve the SPARQL 1.1 Protocol at /sparql, the explorer at / and a query page at /query.

    Read-only unless --writable; every query runs under --timeout (waiting
    for a worker included) and --max-rows, in worker processes taking turns
    fairly between clients, so a runaway query cannot hang the server. It
    sends no request of its own (SERVICE, LOAD) unless allowed, answers only
    to its own host names, and refuses updates from other sites' pages.

    Example: collabgraph serve --port 8000 && curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205'
    """
    from .build import MANIFEST
    from .server import ServerConfig, bind_socket, serve as run_server

    if not endpoint and not (build_dir / MANIFEST).is_file():
        raise CollabGraphError(f"{os.fsdecode(build_dir)}: no build here; run 'collabgraph build' first, "
                               "or name a build with --build DIR (or COLLABGRAPH_BUILD)")
    if memory and (writable or endpoint):
        raise click.UsageError(f"--memory serves a local build read-only: it cannot go with "
                               f"{'--writable' if writable else '--endpoint'}")
    if review_ and not graph_dir.is_dir():
        raise CollabGraphError(f"{os.fsdecode(graph_dir)}: no such graph directory (give --graph DIR with --review)")
    sock = bind_socket(host, port)  # before saying "serving": a busy port is one line, exit 1
    from .remote import without_credentials

    shown = without_credentials(endpoint) if endpoint else os.fsdecode(build_dir)
    _echo(f"serving {shown} on http://{host}:{port}/ (SPARQL at /sparql, "
          f"{'writable' if writable else 'read-only'}); Ctrl-C stops", err=True)
    if review_:
        _echo(f"review page at http://{host}:{port}/review (changes {os.fsdecode(graph_dir)}/articles/; "
              "then run 'collabgraph build')", err=True)
    run_server(ServerConfig(build_dir=str(build_dir), endpoint=endpoint, writable=writable, timeout=timeout,
                            max_rows=max_rows, workers=workers, graph_dir=str(graph_dir),
                            ontology_dir=str(ontology_dir) if ontology_dir else None, review=review_,
                            allow_hosts=allow_hosts, allow_service=allow_service, allow_load=allow_load,
                            max_body=max_body, max_query=max_query, max_result_bytes=max_result_bytes,
                            max_queue=max_queue, per_client=per_client, memory=memory,
                            max_memory=max_memory, header_timeout=header_timeout, body_timeout=body_timeout,
                            max_connections=max_connections, max_client_connections=max_client_connections),
               host=host, port=port, sock=sock)


# -- import ------------------------------------------------------------------------

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
    f = click.option("--link", "link_pairs", multiple=True, metavar="NAME=ID", type=TEXT,
                     help="Link the record named NAME to the existing entity ID (a name, CURIE or IRI).")(f)
    return source_options(f)


def _run_import(batches: Any, *, graph_dir: Path, ontology_dir: Path | None, link_pairs: tuple[str, ...],
                new_names: tuple[str, ...], dry_run: bool, no_validate: bool, fmt: str, command: str,
                errors: list | None = None, isolate: bool = False) -> None:
    from .sources.importing import run_import
    from .sources.linking import parse_links

    if not graph_dir.is_dir():
        raise CollabGraphError(f"{os.fsdecode(graph_dir)}: no such graph directory")
    report = run_import(batches, graph_dir, ontology_dir=ontology_dir, links=parse_links(link_pairs),
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
    _echo(f"{verb}: {files}; {counts['facts']} facts")
    if report.files:
        _echo(table(["file", "status", "facts", "entities"],
                    [(w.path, w.status, w.facts, w.entities) for w in report.files]))
    linked = [d for d in report.decisions if d.method != "again"]
    if linked:
        _echo("")
        _echo(table(["record", "entity", "how", "why"],
                    [(d.label, curie(d.iri), d.method, d.detail) for d in linked]))
    if report.decisions_left_out:
        tally = ", ".join(f"{n} {method}" for method, n in sorted(report.tally.items()))
        _echo(f"... and {report.decisions_left_out} more records ({tally} in all; --format json lists the first "
              "ones and every one to check)")
    for d in report.suggestions:
        options = "; ".join(f"{s.label} ({curie(s.iri)}, {s.score:.0f})" for s in d.suggestions)
        _echo(f"check: {d.label} became new entity {curie(d.iri)}; close to {options}. If it is the same, "
              f"import again with --link {shlex.quote(d.label + '=' + curie(d.suggestions[0].iri))}", err=True)
    for skipped in report.skipped:
        where = f" ({skipped.where})" if skipped.where else ""
        _echo(f"skipped: {skipped.what}{where}: {skipped.reason}", err=True)
    for c in report.choices:
        verb = "is" if c.kind == "same" else "is not"
        _echo(f"decided: {c.name} {verb} {curie(c.other)}; kept in graph/decisions.ttl for later imports", err=True)
    for name in report.unused_links:
        _echo(f"warning: --link {name}=... matched no record of this import", err=True)
    if not report.dry_run and any(w.status != "unchanged" for w in report.files):
        _echo("next: collabgraph build", err=True)


def _fetcher(service: str, *, offline: bool, cache_dir: Path | None) -> Any:
    """The polite HTTP client for a service (it connects only when asked for something)."""
    from .sources import fetch

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
    from .sources import fetch as fetching, wikidata

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
    from .sources import musicbrainz

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
    from .sources import csvfile, mapping as mapped

    if describe:
        from .sources.mapping import describe as describe_csv

        if not inputs:
            raise click.UsageError("give the CSV file to describe (and where to write its mapping)")
        text = to_json(describe_csv(inputs[0], delimiter="\t" if delimiter == "tab" else delimiter)) + "\n"
        if len(inputs) > 1:
            Path(inputs[1]).write_text(text, "utf-8")
            _echo(f"wrote {inputs[1]}: check every column before importing with --mapping {inputs[1]}", err=True)
        else:
            click.echo(text, nl=False)
        return
    if template:
        text = csvfile.template()
        if inputs:
            Path(inputs[0]).write_text(text, "utf-8")
            _echo(f"wrote {inputs[0]}", err=True)
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
        _echo(f"{batch.name}: {verb} {rows}, lines {_ranges(batch.good_rows)}{bad}", err=True)


# -- identity repair ------------------------------------------------------------------

def _format_option(f: Callable) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                        show_default=True, help="How to print what was done.")(f)


def _echo_repair(repair: Any, fmt: str, what: str) -> None:
    if fmt == "json":
        click.echo(to_json(repair.to_dict()))
        return
    _echo(what)
    for f in repair.files:
        _echo(f"wrote {f}", err=True)
    _echo("next: collabgraph build", err=True)


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
    from .sources.decisions import merge

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
    from .sources.decisions import split

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
    from .sources.decisions import differ

    r = differ(graph_dir, first, second, ontology_dir=ontology_dir)
    _echo_repair(r, fmt, f"{curie(r.decision.about)} and {curie(r.decision.other)} are different")


@cli.command("decisions")
@_format_option
@source_options
def decisions_cmd(fmt: str, graph_dir: Path, ontology_dir: Path | None) -> None:
    """List the identity decisions in graph/decisions.ttl (who decided what, when).

    Example: collabgraph decisions --format json
    """
    from .sources.decisions import read

    found = read(graph_dir)
    if fmt == "json":
        click.echo(to_json([d.to_dict() for d in found]))
        return
    if not found:
        _echo("no identity decisions yet")
        return
    _echo(table(["decision", "about", "other", "name", "who", "when", "how"],
                [(d.kind, curie(d.about), curie(d.other), d.name, d.who, d.when, d.how) for d in found]))


def _ranges(numbers: list[int]) -> str:
    """``[2, 3, 4, 7]`` -> ``"2-4, 7"``."""
    out: list[str] = []
    for n in numbers:
        if out and n == int(out[-1].rsplit("-", 1)[-1]) + 1:
            out[-1] = out[-1].split("-")[0] + f"-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)

# -- review ------------------------------------------------------------------------

@cli.group("review")
def review() -> None:
    """Review the candidate facts 'collabgraph ingest' proposed from articles.

    Accepted and edited candidates become graph/articles/<id>.ttl after every
    change (validated with the whole graph first: a change the graph refuses
    changes nothing). A mention that is only a fuzzy match is never linked on
    its own: choose with --link SLOT=ENTITY or --new SLOT.

    Example: collabgraph review list --status pending && collabgraph review accept 261c4d3d
    """


def review_graph_option(f: Callable) -> Callable:
    return source_options(f)


def _review(graph_dir: Path, ontology_dir: Path | None) -> Any:
    from .sources.review import Review

    return Review(graph_dir, ontology_dir)


def _slot_links(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        slot, sep, target = pair.partition("=")
        if not sep or not slot.strip() or not target.strip():
            raise click.UsageError(f"--link takes SLOT=ENTITY (a slot such as agent or work, and a name, CURIE "
                                   f"or IRI), not {pair!r}")
        out[slot.strip()] = target.strip()
    return out


@review.command("list")
@review_graph_option
@click.option("--article", type=TEXT, help="Only this article's candidates (its id).")
@click.option("--status", type=click.Choice(["pending", "accepted", "edited", "rejected"]), help="Only this status.")
@click.option("--kind", type=click.Choice(["credit", "membership", "claim", "entity"]), help="Only this kind.")
@click.option("--rule", type=TEXT, help="Only candidates proposed by this rule (its code, see --format json).")
@click.option("--min-score", type=click.FloatRange(0, 1), help="Only candidates scored at least this (0-1).")
@format_option("table", "json")
def review_list(graph_dir: Path, ontology_dir: Path | None, article: str | None, status: str | None,
                kind: str | None, rule: str | None, min_score: float | None, fmt: str) -> None:
    """List candidates, filtered by article, status, kind, rule or score.

    Entities are shown by name, rules and links in words.

    Example: collabgraph review list --status pending --kind credit --min-score 0.7
    """
    r = _review(graph_dir, ontology_dir)
    found = r.candidates(article=article, status=status, rule=rule, min_score=min_score, kind=kind)
    problems = {c.id: r.problems(c) for c in found}
    shown = {c.id: r.shown(c) for c in found}
    if fmt == "json":
        click.echo(to_json([{**c.to_dict(), "problems": problems[c.id], "shown": shown[c.id]} for c in found]))
        return
    if not found:
        _echo("no candidates" + (" fit these filters" if any((article, status, kind, rule, min_score)) else
                                 "; run 'collabgraph ingest ARTICLE' first"), err=True)
        return
    _echo(table(["id", "status", "score", "found by", "what"],
                [(c.id, c.status, f"{c.score:.2f}", shown[c.id]["rule"],
                  shown[c.id]["what"] + (" (!)" if problems[c.id] else "")) for c in found]))
    for line in dict.fromkeys(p for c in found for p in problems[c.id]):
        _echo(f"(!) {line}", err=True)


@review.command("show")
@click.argument("cid", metavar="ID", type=TEXT)
@review_graph_option
@format_option("table", "json")
def review_show(cid: str, graph_dir: Path, ontology_dir: Path | None, fmt: str) -> None:
    """Show a candidate: its sentence with the mentions in [brackets], links, methods, suggestions."""
    from .sources.review import highlight

    r = _review(graph_dir, ontology_dir)
    c = r.get(cid)
    problems = r.problems(c)
    if fmt == "json":
        click.echo(to_json({**c.to_dict(), "problems": problems}))
        return
    shown = r.shown(c)
    _echo(f"{c.id}  {c.kind}, {c.status}; found by {shown['rule']} (rule {c.rule}), score {c.score:.2f}; "
          f"article {c.article} (characters {c.start}-{c.end})")
    _echo(f"  {highlight(c)}")
    _echo(f"  {shown['what']}")
    rows = []
    for slot, m in c.slots.items():
        s = shown["slots"][slot]
        close = "; ".join(f"{label} ({curie(iri)}, {score:.0f})" for iri, label, score in m.suggestions)
        entity = f"{s['name']} ({s['id']})" if s["id"] else s["name"] or "(choose)"
        rows.append((slot, s["words"] or "(not written in the sentence)", entity, s["how"], close))
    _echo(table(["slot", "words", "entity", "how", "suggestions"], rows))
    for name, value in (("role", c.role), ("character", c.character), ("property", c.property),
                        ("value", c.value)):
        if value:
            _echo(f"{name}: {value}")
    if c.date:
        _echo(f"date: {c.date}" + (" (inferred from the publication date)" if c.date_inferred else ""))
    if c.by:
        _echo(f"accepted with the fact(s) that need it: {', '.join(c.by)}" if c.status == "accepted" else
              f"needed by: {', '.join(c.by)}")
    for name, change in c.edits.items():
        _echo(f"edited {name}: {_edit_value(change.get('from'))} -> {_edit_value(change.get('to'))}")
    for line in problems:
        _echo(f"problem: {line}")


def _edit_value(value: Any) -> str:
    """A value of a candidate's edit log as a person reads it."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return curie(value)
    return str(value)


def _echo_review(result: Any, verb: str, graph_dir: Path) -> None:
    counts: dict[str, int] = {}
    for status in result.changed:
        counts[status] = counts.get(status, 0) + 1
    _echo(", ".join(f"{status} {n}" for status, n in counts.items())
          or f"{verb} nothing" + (f": {result.reason}" if result.reason else ""))
    _echo_effects(result, graph_dir)


def _echo_effects(result: Any, graph_dir: Path) -> None:
    """The new entities that followed a change, what was skipped, and the files written."""
    for cid, status, name, by in result.followed:
        _echo(f"{'accepted' if status == 'accepted' else 'back to pending'}: {cid} (new {name}), "
              + (f"needed by {', '.join(by)}" if by else "no accepted fact needs it any more"))
    for _cid, reason in result.skipped:
        _echo(f"skipped: {reason}", err=True)
    for f in result.files:
        _echo(f"{'wrote' if (graph_dir / f).exists() else 'removed'} {f}", err=True)
    if result.files:
        _echo("next: collabgraph build", err=True)


@review.command("accept")
@click.argument("ids", metavar="ID...", nargs=-1, type=TEXT)
@review_graph_option
@click.option("--all", "all_", is_flag=True, help="Accept every pending candidate that fits the filters below.")
@click.option("--article", type=TEXT, help="With --all: only this article's candidates.")
@click.option("--rule", type=TEXT, help="With --all: only candidates of this rule.")
@click.option("--min-score", type=click.FloatRange(0, 1), help="With --all: only candidates scored at least this.")
@click.option("--link", "link_pairs", multiple=True, metavar="SLOT=ENTITY", type=TEXT,
              help="Link the mention in SLOT to this existing entity (a name, CURIE or IRI).")
@click.option("--new", "new_slots", multiple=True, metavar="SLOT", type=TEXT,
              help="Make the mention in SLOT a new entity.")
@click.option("--type", "type_pairs", multiple=True, metavar="SLOT=CLASS", type=TEXT,
              help="The class of the new entity in SLOT (Person, Group, Song, TVSeries, ...).")
@format_option("table", "json")
def review_accept(ids: tuple[str, ...], graph_dir: Path, ontology_dir: Path | None, all_: bool,
                  article: str | None, rule: str | None, min_score: float | None, link_pairs: tuple[str, ...],
                  new_slots: tuple[str, ...], type_pairs: tuple[str, ...], fmt: str) -> None:
    """Accept candidates by id, or in bulk with --all (fuzzy ones are left for a person)."""
    r = _review(graph_dir, ontology_dir)
    if all_:
        if ids or link_pairs or new_slots or type_pairs:
            raise click.UsageError("--all takes no ids, --link, --new or --type (it leaves fuzzy mentions and "
                                   "untyped new names for a person)")
        result = r.accept_all(article=article, rule=rule, min_score=min_score)
    else:
        if article or rule or min_score is not None:
            raise click.UsageError("--article, --rule and --min-score go with --all")
        if not ids:
            raise click.UsageError("give candidate ids, or --all")
        result = r.accept(ids, links=_slot_links(link_pairs), new=new_slots,
                          types=_pairs(type_pairs, "--type", "SLOT=CLASS"))
    if fmt == "json":
        click.echo(to_json(result.to_dict()))
    else:
        _echo_review(result, "accepted", graph_dir)


@review.command("reject")
@click.argument("ids", metavar="ID...", nargs=-1, required=True, type=TEXT)
@review_graph_option
@click.option("--cascade", is_flag=True,
              help="Rejecting a proposed new entity: also reject the accepted facts that need it.")
@format_option("table", "json")
def review_reject(ids: tuple[str, ...], graph_dir: Path, ontology_dir: Path | None, cascade: bool, fmt: str) -> None:
    """Reject candidates (an ingest of the same article never proposes them again).

    A new entity that accepted facts need is refused, naming them; --cascade
    rejects those facts with it."""
    result = _review(graph_dir, ontology_dir).reject(ids, cascade=cascade)
    if fmt == "json":
        click.echo(to_json(result.to_dict()))
    else:
        _echo_review(result, "rejected", graph_dir)


@review.command("edit")
@click.argument("cid", metavar="ID", type=TEXT)
@review_graph_option
@click.option("--role", type=TEXT, help="The credit's role (a role of the scheme: actor, composer, ...).")
@click.option("--character", type=TEXT, help="The character played (a credit).")
@click.option("--date", type=TEXT, help="The date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--link", "link_pairs", multiple=True, metavar="SLOT=ENTITY", type=TEXT,
              help="Link the mention in SLOT to this existing entity (a name, CURIE or IRI).")
@click.option("--new", "new_slots", multiple=True, metavar="SLOT", type=TEXT,
              help="Make the mention in SLOT a new entity.")
@click.option("--type", "type_pairs", multiple=True, metavar="SLOT=CLASS", type=TEXT,
              help="The class of the new entity in SLOT (Person, Group, Song, TVSeries, ...).")
@format_option("table", "json")
def review_edit(cid: str, graph_dir: Path, ontology_dir: Path | None, role: str | None, character: str | None,
                date: str | None, link_pairs: tuple[str, ...], new_slots: tuple[str, ...],
                type_pairs: tuple[str, ...], fmt: str) -> None:
    """Change a candidate and accept it as edited (what was proposed is kept in its edits)."""
    types = {}
    for pair in type_pairs:
        slot, sep, cls = pair.partition("=")
        if not sep or not slot.strip() or not cls.strip():
            raise click.UsageError(f"--type takes SLOT=CLASS, not {pair!r}")
        types[slot.strip()] = cls.strip()
    result = _review(graph_dir, ontology_dir).edit(cid, role=role, character=character, date=date,
                                                   links=_slot_links(link_pairs), new=new_slots, types=types)
    if fmt == "json":
        click.echo(to_json(result.to_dict()))
    else:
        _echo_review(result, "edited", graph_dir)


@review.command("sentences")
@click.argument("article", metavar="ARTICLE_ID", type=TEXT)
@review_graph_option
@format_option("table", "json")
def review_sentences(article: str, graph_dir: Path, ontology_dir: Path | None, fmt: str) -> None:
    """Number the article's sentences (for 'collabgraph review add --sentence N').

    Example: collabgraph review sentences winter-single
    """
    sents = _review(graph_dir, ontology_dir).sentences(article)
    if fmt == "json":
        click.echo(to_json([{"n": n, "sentence": s, "start": a, "end": b} for n, (s, a, b) in enumerate(sents, 1)]))
        return
    for n, (s, _, _) in enumerate(sents, 1):
        _echo(f"{n:>3}  {s}")


@review.command("add")
@click.argument("article", metavar="ARTICLE_ID", type=TEXT)
@review_graph_option
@click.option("--sentence", "n", type=int, required=True, help="The sentence that states the fact (see 'review sentences').")
@click.option("--agent", type=TEXT, help="A credit's who: a name of the graph (or its id), or a new name.")
@click.option("--work", type=TEXT, help="A credit's in what: a name of the graph (or its id), or a new name.")
@click.option("--role", type=TEXT, help="A credit's role: a role of the scheme (actor, cameo, featured artist, ...).")
@click.option("--character", type=TEXT, help="The character played.")
@click.option("--member", type=TEXT, help="A membership's member (instead of --agent/--work/--role).")
@click.option("--group", type=TEXT, help="A membership's group.")
@click.option("--date", type=TEXT,
              help="The date (a membership's start): YYYY, YYYY-MM, YYYY-MM-DD, or words such as 'last Friday'.")
@click.option("--type", "type_pairs", multiple=True, metavar="SLOT=CLASS", type=TEXT,
              help="The class of a new name: agent=Person, work=MusicVideo, ...")
@click.option("--words", "word_pairs", multiple=True, metavar="SLOT=WORDS", type=TEXT,
              help="What the sentence writes for a side when it is not the name (agent=she).")
@click.option("--accept", is_flag=True, help="Accept the fact at once.")
@format_option("table", "json")
def review_add(article: str, graph_dir: Path, ontology_dir: Path | None, n: int, agent: str | None,
               work: str | None, role: str | None, character: str | None, member: str | None, group: str | None,
               date: str | None, type_pairs: tuple[str, ...], word_pairs: tuple[str, ...],
               accept: bool, fmt: str) -> None:
    """Add a fact the extractor missed (a credit, or a membership), quoting one sentence of the article.

    Names are resolved to the graph's entities exactly (case and hyphens
    aside); a name the graph does not know is a new entity and needs --type.
    The fact is a candidate like any other (pending unless --accept).

    \b
    Example: collabgraph review add winter-single --sentence 5 --agent "Um Tae-hwa"
      --type agent=Person --work "Love wins all" --role "music video director" --accept
    """
    if member is None and group is None and not (agent and work and role):
        raise click.UsageError("give --agent, --work and --role (a credit), or --member and --group (a membership)")
    result = _review(graph_dir, ontology_dir).add(article, n, agent=agent, work=work, role=role, character=character,
                                                  member=member, group=group, date=date, types=_pairs(type_pairs, "--type", "SLOT=CLASS"),
                                                  words=_pairs(word_pairs, "--words", "SLOT=WORDS"), accept=accept)
    if fmt == "json":
        click.echo(to_json(result.to_dict()))
        return
    _echo(f"added {result.ids[0]} ({result.changed[0]})")
    _echo_effects(result, graph_dir)


def _pairs(pairs: tuple[str, ...], option: str, form: str) -> dict[str, str]:
    out = {}
    for pair in pairs:
        slot, sep, value = pair.partition("=")
        if not sep or not slot.strip() or not value.strip():
            raise click.UsageError(f"{option} takes {form}, not {pair!r}")
        out[slot.strip()] = value.strip()
    return out


@review.command("undo")
@click.argument("ids", metavar="ID...", nargs=-1, required=True, type=TEXT)
@review_graph_option
@format_option("table", "json")
def review_undo(ids: tuple[str, ...], graph_dir: Path, ontology_dir: Path | None, fmt: str) -> None:
    """Put accepted, edited or rejected candidates back to pending.

    Example: collabgraph review undo 261c4d3d
    """
    result = _review(graph_dir, ontology_dir).reopen(ids)
    if fmt == "json":
        click.echo(to_json(result.to_dict()))
    else:
        _echo_review(result, "undone", graph_dir)


@review.command("merge")
@click.option("--article", type=TEXT, help="Only this article (default: every article).")
@review_graph_option
def review_merge(article: str | None, graph_dir: Path, ontology_dir: Path | None) -> None:
    """Write graph/articles/<id>.ttl again from the accepted and edited candidates."""
    r = _review(graph_dir, ontology_dir)
    files = []
    for aid in [article] if article else r.article_ids():
        files += r.merge(aid).files
    for f in files:
        _echo(f"{'wrote' if (graph_dir / f).exists() else 'removed'} {f}", err=True)
    _echo(f"{len(files)} file(s) changed" if files else "nothing changed")
    if files:
        _echo("next: collabgraph build", err=True)


@cli.command("ingest")
@click.argument("article", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", type=TEXT, help="Where the article was published.")
@click.option("--title", type=TEXT, help="The article's title (also its id, as a slug; default: the file name).")
@click.option("--publisher", type=TEXT, help="Who published it.")
@click.option("--published", type=TEXT, metavar="YYYY-MM-DD",
              help="Publication date: completes dates without a year and resolves 'last Friday'.")
@click.option("--language", default="en", show_default=True, type=TEXT, metavar="TAG",
              help="The article's language: the tag of the names accepted from it (names in Hangul get ko).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="How to print the report.")
@source_options
def ingest_cmd(article: Path, url: str | None, title: str | None, publisher: str | None, published: str | None,
               language: str, fmt: str, graph_dir: Path, ontology_dir: Path | None) -> None:
    """Read a news article (plain text or HTML) and propose candidate facts for review.

    The text is kept as graph/articles/<id>.txt (ignored by git unless you add
    it), the candidates in graph/articles/<id>.json, each with its exact
    sentence. Nothing enters the graph until 'collabgraph review' accepts it.
    Ingesting the same text again keeps every reviewed candidate as it is.

    Example: collabgraph ingest article.txt --published 2024-01-29 --url https://example.org/a
    """
    from .sources.article import ingest

    if not graph_dir.is_dir():
        raise CollabGraphError(f"{os.fsdecode(graph_dir)}: no such graph directory")
    report = ingest(article, graph_dir, url=url, title=title, publisher=publisher, published=published,
                    language=language, ontology_dir=ontology_dir)
    if fmt == "json":
        click.echo(to_json(report.to_dict()))
        return
    counts = report.counts()
    _echo(f"article {report.article.id}: {counts['sentences']} sentences, {counts['mentions']} mentions "
          f"({counts['linked']} linked, {counts['suggested']} suggested, {counts['new']} new), "
          f"{counts['candidates']} candidates ({counts['added']} new, {counts['kept']} already there)")
    if counts["by_rule"]:
        _echo(table(["kind", "rule", "candidates"],
                    sorted({(c.kind, c.rule, sum(1 for d in report.candidates if (d.kind, d.rule) == (c.kind, c.rule)))
                            for c in report.candidates})))
    if report.knows_nothing:
        _echo("note: the article names no entity the graph knows; every name found is proposed as new", err=True)
    _echo(f"next: collabgraph review list --article {report.article.id}", err=True)


# -- analytics (issue 13): graph questions over the collaboration graph ------------------

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
        from .durable import output_file
        from .plots import plot_format

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
        _echo(f"note: betweenness estimated from {found[0].sources:,} sampled sources (seed {seed}); "
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
        from .plots import plot_communities

        _echo(f"wrote {os.fsdecode(plot_communities(kg.to_networkx(), found, plot_file, seed=seed))}", err=True)


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
        _echo(f"{left} and {right}: {far}, {len(found.brokers)} broker(s), {len(found.links)} direct link(s)",
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
    from .plots import plot_timeline

    if name is None:
        years = kg.yearly()
        _emit(fmt, {"years": [y.to_dict() for y in years]}, ["year", "collaborations", "works", "agents"],
              [["undated" if y.year is None else y.year, y.collaborations, y.works, y.agents] for y in years])
        data: Any = years
    else:
        data = kg.timeline(name)
        rows = [[y.year, c.when, c.work.label, c.role] for y in data.years for c in y.credits]
        rows += [["undated", c.when, c.work.label, c.role] for c in data.undated]
        if not rows:
            _why_empty(kg, data.agent, "works")
        _emit(fmt, data.to_dict(), ["year", "date", "work", "role"], rows)
    if plot_file is not None:
        _echo(f"wrote {os.fsdecode(plot_timeline(data, plot_file))}", err=True)


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
    a = kg.entity(name)
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
    from .writeback import build_id, current_run, write_analytics

    if write:
        report = write_analytics(build_dir, seed=seed, resolution=resolution, k=k, force=force)
        if fmt == "json":
            click.echo(to_json(report.to_dict()))
        elif report.written:
            _echo(f"wrote graph:analytics: {report.agents} agents, {report.communities} communities, "
                  f"{report.triples} triples in {report.seconds:.1f} s (build {report.build_id}, {report.parameters})")
        else:
            _echo(f"graph:analytics is current (build {report.build_id}, {report.parameters}, "
                  f"computed {report.computed_at}); nothing to do")
        return
    with CollabGraph.open(build_dir) as kg:
        run, bid = current_run(kg.store), build_id(kg.manifest)
    status = "missing" if run is None else ("current" if run["build_id"] == bid else "stale")
    if fmt == "json":
        click.echo(to_json({"status": status, "build_id": bid, "run": run}))
        return
    _echo(f"graph:analytics is {status} (build {bid})" + (
        f": computed {run['computed_at']} with {run['parameters']} for build {run['build_id']}" if run else ""))
    if status != "current":
        _echo("next: collabgraph analytics --write", err=True)


def main() -> None:
    cli(prog_name="collabgraph")


if __name__ == "__main__":
    main()
