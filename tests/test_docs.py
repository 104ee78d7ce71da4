"""The documentation is checked, not trusted: the CLI reference is what the
commands' help says, and the runner of the docs' examples (tests/docrunner.py)
catches a transcript that no longer matches."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

from sybil import Document

from . import docrunner
from .conftest import ROOT

GENERATOR = ROOT / "docs" / "cli_reference.py"


def test_the_checked_in_cli_reference_is_what_the_commands_say():
    render = runpy.run_path(str(GENERATOR))["render"]
    shown = (ROOT / "docs" / "reference" / "cli.md").read_text("utf-8")
    assert shown == render(), "docs/reference/cli.md is stale: run .venv/bin/python docs/cli_reference.py"


def test_the_cli_reference_covers_every_command():
    from collabgraph.cli import cli

    shown = (ROOT / "docs" / "reference" / "cli.md").read_text("utf-8")
    for name in cli.list_commands(None):
        assert f"## collabgraph {name}\n" in shown
    assert "## collabgraph import wikidata\n" in shown and "## collabgraph review accept\n" in shown


def test_the_generator_check_fails_on_a_stale_file(tmp_path):
    """--check exits 1, naming the file, when the file differs from the help."""
    namespace = runpy.run_path(str(GENERATOR))
    stale = tmp_path / "cli.md"
    stale.write_text("# CLI reference\n\nold\n", "utf-8")
    main = namespace["main"]
    main.__globals__["TARGET"] = stale
    assert main(["--check"]) == 1
    main.__globals__["TARGET"] = GENERATOR.parent / "reference" / "cli.md"
    assert main(["--check"]) == 0


def _examples(tmp_path: Path, text: str):
    page = tmp_path / "page.md"
    page.write_text(text, "utf-8")
    parsers = [docrunner.BlockParser("console", docrunner.run_console),
               docrunner.BlockParser("turtle", docrunner.check_turtle),
               docrunner.BlockParser("python", docrunner.run_python)]
    document = Document.parse(str(page), *parsers)
    docrunner.setup(document.namespace)
    return document, list(document.examples())


def _run(document, examples) -> list[str | None]:
    try:
        return [example.region.evaluator(example) for example in examples]
    finally:
        docrunner.teardown(document.namespace)


def test_a_transcript_that_matches_passes_and_one_that_does_not_fails(tmp_path):
    document, examples = _examples(tmp_path, """
```console
$ collabgraph entity Tehyung
error: no entity named 'Tehyung'; did you mean: Taehyung (id:v)?
$ collabgraph search park
id                 label           type
...
```

```console
$ collabgraph search park
id:nobody  Nobody  Agent
```

```console
$ collabgraph entity Tehyung
```
""")
    good, wrong, unexpected_failure = _run(document, examples)
    assert good is None
    assert "expected:\nid:nobody" in wrong and "id:park-seo-joon" in wrong
    assert "failed" in unexpected_failure and "Tehyung" in unexpected_failure


def test_a_saved_turtle_block_reaches_the_sandbox_and_bad_turtle_fails(tmp_path):
    document, examples = _examples(tmp_path, """
<!-- save: graph/extra.ttl -->
```turtle
id:someone a cg:Agent .
```

```console
$ collabgraph validate
...
```

```turtle
id:someone a .
```
""")
    saved_ok = examples[0].region.evaluator(examples[0])
    assert saved_ok is None and (document.namespace["sandbox"] / "graph" / "extra.ttl").is_file()
    _, validated, bad = _run(document, examples)
    assert validated is not None and "failed" in validated  # an agent with no label breaks the shapes
    assert bad.startswith("not valid Turtle")


def test_python_blocks_share_a_namespace_and_a_raising_one_fails(tmp_path):
    document, examples = _examples(tmp_path, """
```python
from collabgraph import CollabGraph
kg = CollabGraph.open("build")
```

```python
assert kg.entity("taehyung").label == "V"
```

```python
kg.entity("Tehyung")
```
""")
    opened, asked, typo = _run(document, examples)
    assert opened is None and asked is None
    assert typo.startswith("EntityNotFound") and "Taehyung" in typo


def test_only_collabgraph_commands_run(tmp_path):
    document, examples = _examples(tmp_path, "```console\n$ rm -rf graph\n```\n")
    (message,) = _run(document, examples)
    assert "only collabgraph commands run here" in message


def test_the_generator_runs_as_a_script():
    done = subprocess.run([sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
