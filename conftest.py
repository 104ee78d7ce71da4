"""Doctest set-up: the examples in docstrings run against the article's graph.

They use a copy of the article's source files (tests/layout.py), not graph/
itself, so their answers stay the same when users add sources to graph/."""

from pathlib import Path

import pytest

ROOT = Path(__file__).parent


@pytest.fixture(scope="session")
def _article_graph_dir(tmp_path_factory) -> Path:
    from tests.layout import lay_out

    return lay_out(tmp_path_factory.mktemp("doctest-article"))


@pytest.fixture(autouse=True)
def _doctest_paths(doctest_namespace, _article_graph_dir):
    doctest_namespace["GRAPH_DIR"] = _article_graph_dir
    doctest_namespace["ONTOLOGY_DIR"] = ROOT / "ontology"
    from rdflib import Literal, URIRef

    doctest_namespace["URIRef"] = URIRef
    doctest_namespace["Literal"] = Literal


@pytest.fixture(autouse=True)
def _doctest_tmp(doctest_namespace, tmp_path):
    doctest_namespace["tmp"] = tmp_path


# The examples in README.md and docs/ run as tests (tests/docrunner.py): console
# transcripts and Python blocks against a sandbox copy of graph/, Turtle blocks
# parsed (and saved where the page says). The generated CLI reference and the
# decision log hold no examples to run.
from sybil import Sybil  # noqa: E402
from sybil.parsers.markdown import SkipParser  # noqa: E402

from tests import docrunner  # noqa: E402

pytest_collect_file = Sybil(
    parsers=[SkipParser(), docrunner.BlockParser("console", docrunner.run_console),
             docrunner.BlockParser("turtle", docrunner.check_turtle),
             docrunner.BlockParser("python", docrunner.run_python)],
    patterns=["README.md", "docs/*.md", "docs/*/*.md"],
    excludes=["docs/reference/cli.md", "docs/decisions/*.md"],
    setup=docrunner.setup,
    teardown=docrunner.teardown,
).pytest()
