"""Doctest set-up: the examples in docstrings run against the bundled graph."""

from pathlib import Path

import pytest

ROOT = Path(__file__).parent


@pytest.fixture(autouse=True)
def _doctest_paths(doctest_namespace):
    doctest_namespace["GRAPH_DIR"] = ROOT / "graph"
    doctest_namespace["ONTOLOGY_DIR"] = ROOT / "ontology"
    from rdflib import Literal, URIRef

    doctest_namespace["URIRef"] = URIRef
    doctest_namespace["Literal"] = Literal


@pytest.fixture(autouse=True)
def _doctest_tmp(doctest_namespace, tmp_path):
    doctest_namespace["tmp"] = tmp_path
