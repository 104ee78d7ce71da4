"""What every command module shares: the ``collabgraph`` group, its error
handling, the output helpers and the options and parameter types."""

from __future__ import annotations

import functools
import os
import re
import shlex
import sys
from pathlib import Path
from typing import Any, Callable

import click
from click.core import ParameterSource

from ..api import CollabGraph
from ..core.errors import CollabGraphError, EntityNotFound, ValidationError
from ..core.output import clean
from ..core.version import __version__

__all__ = ["cli", "echo", "error", "TEXT", "KeyValue", "build_option", "format_option", "source_options",
           "strict_option", "with_graph"]


def echo(text: Any = "", *, err: bool = False) -> None:
    """Print text for a terminal: each line with its control characters escaped."""
    click.echo("\n".join(clean(line) for line in str(text).split("\n")), err=err)


def error(message: Any) -> None:
    """Each line of the message as an ``error:`` line (one problem a line)."""
    for line in str(message).split("\n"):
        echo(f"error: {line}", err=True)


class _NotText(CollabGraphError):
    """An argument that is not UTF-8 text: a usage error (exit 2), in one line."""


class _Group(click.Group):
    """Turns domain errors into one-line messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            for problem in exc.problems:
                error(problem)
            error(f"validation failed with {len(exc.problems)} problem(s)")
            ctx.exit(1)
        except _NotText as exc:
            error(exc)
            ctx.exit(2)
        except CollabGraphError as exc:
            error(exc)
            ctx.exit(1)
        except BrokenPipeError:  # output piped into head & co.
            sys.stderr.close()
            ctx.exit(0)
        except OSError as exc:
            name = os.fsdecode(exc.filename) if exc.filename is not None else ""
            error(f"{name}{': ' if name else ''}{exc.strerror or exc}")
            ctx.exit(1)
        except click.exceptions.UsageError as exc:  # one line, like every other error
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            error(f"{exc.format_message()}{hint}")
            ctx.exit(2)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug: still one line, the traceback on request
            if os.environ.get("COLLABGRAPH_DEBUG"):
                raise
            error(f"unexpected {type(exc).__name__}: {exc} (set COLLABGRAPH_DEBUG=1 for the "
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


class KeyValue(click.ParamType):
    """``KEY=VALUE`` as a ``(key, value)`` pair: the one type of every option that
    takes KEY=VALUE (``--bind``, ``--link``, ``--type``, ``--words``), so that each
    refuses a bad value with the same one line, naming the option and the value::

        Invalid value for '--bind': 'agent': use NAME=VALUE (one argument, no spaces around =)

    :param form: the option's metavar, shown in the message (``NAME=VALUE``, ``SLOT=CLASS``).
    :param what: what the two sides are, added to the message.
    :param empty_value: whether ``KEY=`` (an empty value) is allowed.
    :param strip: whether spaces around the value are dropped (``--bind`` keeps them: they may be data).
    :param stray: the name of the command's argument that takes the VALUE of ``KEY VALUE``
        written with a space: the message then gives the option as it was meant (the
        argument must be eager, so that it is read before the option).
    """

    name = "key=value"

    def __init__(self, form: str = "KEY=VALUE", *, what: str = "", empty_value: bool = False, strip: bool = True,
                 stray: str | None = None):
        self.form, self.what, self.empty_value, self.strip, self.stray = form, what, empty_value, strip, stray

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):  # a default, or converted already
            return value
        value = TEXT.convert(value, param, ctx)
        key, sep, rest = value.partition("=")
        key = key.strip()
        rest = rest.strip() if self.strip else rest
        if not sep or not key or not (rest or self.empty_value):
            meant = ctx.params.get(self.stray) if ctx is not None and self.stray and not sep else None
            meant = meant if isinstance(meant, str) and meant else None  # click's "no value" is a sentinel object
            option = param.opts[0] if isinstance(param, click.Option) else self.form
            hint = f"; did you mean {option} {shlex.quote(f'{key}={meant}')}?" if meant else ""
            what = f"; {self.what}" if self.what else ""
            self.fail(f"{clean(value)!r}: use {self.form} (one argument, no spaces around =){what}{hint}", param, ctx)
        return key, rest


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


def graph_flag(graph_dir: Path | str) -> str:
    """`` --graph DIR`` for a command the user is told to run next, when they are
    working on another graph directory than the default one (empty otherwise),
    so that the hint runs on the graph they were working on.

    >>> graph_flag("graph"), graph_flag("day"), graph_flag("my graph")
    ('', ' --graph day', " --graph 'my graph'")
    """
    return "" if Path(graph_dir) == Path("graph") else f" --graph {shlex.quote(os.fspath(graph_dir))}"


def build_hint(graph_dir: Path | str) -> str:
    """The build command to run next after changing ``graph_dir``: on another graph directory
    than the default one, its own output beside it (``DIR-build``, as docs/journalist.md names
    it), so that following the hint never overwrites the default graph's ``build/``.

    >>> build_hint("graph"), build_hint("day"), build_hint("/tmp/my graph/")
    ('collabgraph build', 'collabgraph build --graph day --out day-build', "collabgraph build --graph '/tmp/my graph' --out '/tmp/my graph-build'")
    """
    if Path(graph_dir) == Path("graph"):
        return "collabgraph build"
    g = os.fspath(graph_dir).rstrip("/") or "/"
    return f"collabgraph build --graph {shlex.quote(g)} --out {shlex.quote(g + '-build')}"


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
            try:
                return f(kg, **kwargs)
            except EntityNotFound as exc:
                # nothing close either: maybe the name is in another build (a copy made as docs/journalist.md
                # advises); say which build was read when the user did not choose it
                source = click.get_current_context().get_parameter_source("build_dir")
                if endpoint or exc.suggestions or exc.partial or source is not ParameterSource.DEFAULT:
                    raise
                raise EntityNotFound(exc.name, hint=f" in {os.path.join(os.fspath(build_dir), '')} (the default "
                                     "build; give --build DIR to look in another)") from None

    return wrapper


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="collabgraph")
def cli() -> None:
    """A knowledge graph of artist collaborations.

    Build the graph from graph/ and ontology/, then ask it questions:

        collabgraph build && collabgraph path IU "Park Seo-joon"
    """

