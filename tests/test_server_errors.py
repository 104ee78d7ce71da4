"""The server answers a failed request with the ``http_status`` its error
class carries (issue 22): the status lives on the class in
:mod:`collabgraph.core.errors`, not in a table of class names in the server. A real
server on 127.0.0.1."""

from __future__ import annotations

import pytest

from collabgraph.core import durable, errors, sparqlguard
from collabgraph.web import answers, querypool

from .test_server import get, http, start


@pytest.fixture(scope="module")
def small_server(built):
    proc, base = start(built, "--max-rows", "3", "--max-body", "200", "--workers", "1")
    yield base
    proc.terminate()
    proc.wait(10)


def test_every_public_error_is_in_errors_with_a_status():
    classes = [getattr(errors, name) for name in errors.__all__]
    raised = [c for c in classes if isinstance(c, type) and issubclass(c, BaseException)]
    assert {c.__name__ for c in raised} >= {"OutgoingFailed", "ResultTooLarge", "UpdateFailed", "Refused",
                                           "OutgoingRefused", "WriteFailed", "BodyTooLarge"}
    for c in raised:
        assert issubclass(c, errors.CollabGraphError) and isinstance(c.http_status, int), c
    # The old names still import from where they were.
    assert querypool.Refused is errors.Refused and sparqlguard.OutgoingRefused is errors.OutgoingRefused
    assert durable.WriteFailed is errors.WriteFailed and answers.ResultTooLarge is errors.ResultTooLarge
    assert answers.OutgoingFailed is errors.OutgoingFailed and answers.UpdateFailed is errors.UpdateFailed


def test_the_server_answers_each_errors_http_status(small_server):
    status, _, body = get(small_server, "SELEC * WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert status == errors.QuerySyntaxError.http_status == 400 and b"syntax error" in body, body

    status, _, body = get(small_server, "SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert status == errors.ResultTooLarge.http_status == 413 and b"more than 3 rows" in body, body

    status, _, body = get(small_server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
                          "application/sparql-results+json")
    assert status == errors.OutgoingRefused.http_status == 403 and body.startswith(b"refused: SERVICE"), body

    status, _, body = http(f"{small_server}/sparql", data=b"ASK {}" + b" " * 300,
                           headers={"Content-Type": "application/sparql-query"})
    assert status == errors.BodyTooLarge.http_status == 413 and b"--max-body" in body, body
