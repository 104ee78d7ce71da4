"""Runs the examples in README.md and docs/ with Sybil, so the docs show what the tools do.

Two kinds of fenced block are examples (any other block is text):

- ``console``: lines starting with ``$ collabgraph`` are commands (``\\`` and an
  unclosed quote continue them on the next line, ``&&`` chains them, ``#`` starts a
  comment); the lines up to the next ``$`` are the output they must print. ``...``
  stands for any text, as in doctest (``ELLIPSIS``), and runs of spaces compare
  equal (table widths). A command shown with no output must succeed; one whose
  output starts with ``error:`` must fail.
- ``python``: the block runs, in the page's sandbox as the working directory,
  and must not raise (a page's blocks share one namespace, as a session would).
- ``turtle``: the block must parse as Turtle (the project's prefixes predeclared). Preceded by ``<!-- save: PATH -->``
  it is also saved at PATH in the page's sandbox, as the reader is told to.

Each page runs in its own sandbox, a copy of the repository's ``graph/`` with
``docs/`` and ``tests/`` beside it (read-only links), in the order the page shows
its examples; a page whose first command only reads gets a quiet build first.
``<!-- skip: next -->`` before a block skips it (Sybil's own directive): for
examples that need a server, a remote store or stand for any query (``{ ... }``).
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import tempfile
from pathlib import Path

import pytest
from sybil import Example, Region
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

from .layout import ROOT, lay_out

#: Commands that make or change graph/ or build/ themselves: they do not need a build first.
_WRITERS = {"build", "validate", "import", "ingest", "review", "generate", "merge", "split", "differ", "decisions"}
_CHECKER = doctest.OutputChecker()
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
#: What a command says when a source's local copy is absent (``../shared`` is not beside the clone).
_MISSING_COPY = "its local copy is missing"
SHARED = ROOT.parent / "shared"
_SAVE = re.compile(r"<!--\s*save:\s*(?P<path>\S+)\s*-->\s*\n\s*$")


def setup(namespace: dict) -> None:
    """Give a page its sandbox: ``repo/graph`` copied, ``repo/docs`` and ``repo/tests`` linked."""
    base = Path(tempfile.mkdtemp(prefix="cg-docs-"))
    lay_out(base, files=None)
    repo = base / "repo"
    for name in ("docs", "tests"):
        (repo / name).symlink_to(ROOT / name, target_is_directory=True)
    namespace["sandbox"] = repo
    namespace["sandbox_base"] = base


def teardown(namespace: dict) -> None:
    shutil.rmtree(namespace["sandbox_base"], ignore_errors=True)


def transcript(source: str) -> list[tuple[list[list[str]], str]]:
    """Split a console block into ``(commands, expected output)`` pairs.

    Each entry's commands are the ``&&``-chained argument lists of one ``$`` line.

    >>> transcript('$ collabgraph entity V   # a comment\\nV  (id:v)\\n$ collabgraph a "x\\ny" && collabgraph b\\n')
    [([['entity', 'V']], 'V  (id:v)\\n'), ([['a', 'x\\ny'], ['b']], '')]
    """
    steps: list[tuple[list[list[str]], str]] = []
    lines = source.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            raise ValueError(f"console block: output before any command: {lines[i]!r}")
        text = lines[i][2:]
        i += 1
        while True:
            if text.rstrip("\n").endswith("\\"):
                text = text.rstrip("\n")[:-1] + " " + lines[i]
                i += 1
                continue
            try:
                words = shlex.split(text, comments=True)
                break
            except ValueError:  # an unclosed quote: the command goes on
                text += lines[i]
                i += 1
        output = []
        while i < len(lines) and not lines[i].startswith("$ "):
            output.append(lines[i])
            i += 1
        chain: list[list[str]] = [[]]
        for word in words:
            if word == "&&":
                chain.append([])
            else:
                chain[-1].append(word)
        for argv in chain:
            if not argv or argv[0] != "collabgraph":
                raise ValueError(f"console block: only collabgraph commands run here, not {argv[:1]}")
        steps.append(([argv[1:] for argv in chain], "".join(output)))
    return steps


def run_console(example: Example) -> str | None:
    """Run one console block's commands in the page's sandbox; say how the output differs, if it does.

    Problems come back as text (Sybil reports a returned string as the failure).
    """
    try:
        return _run_console(example)
    except Exception as error:  # a malformed block or a crash in a command: report it as the failure
        return f"{type(error).__name__}: {error}"


def _run_console(example: Example) -> str | None:
    from click.testing import CliRunner

    from collabgraph.cli import cli

    repo: Path = example.namespace["sandbox"]
    runner = CliRunner()
    here = os.getcwd()
    os.chdir(repo)
    try:
        for chain, expected in transcript(example.parsed):
            if not (repo / "build").exists() and chain[0][0] not in _WRITERS:
                quiet = runner.invoke(cli, ["build", "-q"])
                if quiet.exit_code != 0:
                    return f"the sandbox's build failed: {quiet.output}"
            output, failed = "", False
            for argv in chain:
                result = runner.invoke(cli, argv)
                output += result.output
                if result.exception and not isinstance(result.exception, SystemExit):
                    raise result.exception
                failed = result.exit_code != 0
                if failed:
                    break
            shown = "$ collabgraph " + " && collabgraph ".join(shlex.join(a) for a in chain)
            if failed and _MISSING_COPY in output and not SHARED.is_dir():
                # The bundled article lives beside the repository, never in it: a clone without
                # ../shared cannot check its quotes, so a strict check is skipped, and says why.
                pytest.skip(f"{shown} needs ../shared (the local copy of the bundled article)")
            if expected.startswith("error:") and not failed:
                return f"{shown}: expected to fail, but it succeeded:\n{output}"
            if not expected.startswith("error:") and failed:
                return f"{shown}: failed:\n{output}"
            if expected and not _CHECKER.check_output(expected, output, _FLAGS):
                return f"{shown}\nexpected:\n{expected}\ngot:\n{output}"
    finally:
        os.chdir(here)
    return None


def run_python(example: Example) -> str | None:
    """Run a Python block in the page's sandbox (a quiet build first if there is none)."""
    from click.testing import CliRunner

    from collabgraph.cli import cli

    repo: Path = example.namespace["sandbox"]
    here = os.getcwd()
    os.chdir(repo)
    try:
        if not (repo / "build").exists():
            quiet = CliRunner().invoke(cli, ["build", "-q"])
            if quiet.exit_code != 0:
                return f"the sandbox's build failed: {quiet.output}"
        exec(compile(example.parsed, example.path, "exec"), example.namespace)  # the docs' own code
    except Exception as error:  # any failure of the example is the test's failure, reported as text
        return f"{type(error).__name__}: {error}"
    finally:
        os.chdir(here)
    return None


def check_turtle(example: Example) -> str | None:
    """Parse a turtle block; save it in the sandbox when the page says where."""
    from rdflib import Graph

    from collabgraph.core.namespaces import PREFIXES

    # A snippet may lean on the project's prefixes, as the queries do; a whole file declares its own.
    declared = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    try:
        Graph().parse(data=declared + example.parsed, format="turtle")
    except Exception as error:  # rdflib's parser raises several types for bad Turtle
        return f"not valid Turtle: {error}"
    before = example.document.text[:example.start]
    save = _SAVE.search(before)
    if save:
        target = example.namespace["sandbox"] / save["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(example.parsed, "utf-8")
    return None


class BlockParser:
    """Yield the fenced blocks of one language with the evaluator that runs them."""

    def __init__(self, language: str, evaluator) -> None:
        self.lexer = FencedCodeBlockLexer(language)
        self.language = language
        self.evaluator = evaluator

    def __call__(self, document) -> list[Region]:
        regions = []
        for region in self.lexer(document):
            region.parsed = str(region.lexemes["source"])
            region.evaluator = self.evaluator
            regions.append(region)
        return regions
