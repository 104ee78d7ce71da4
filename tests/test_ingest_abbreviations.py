"""A name of the graph that is also an everyday abbreviation, used before the noun it qualifies ("they
showed BTS footage from the shoot": behind-the-scenes footage) is proposed, never linked on its own, even
where the article names a member of the group (which corroborates "BTS" elsewhere). Articles written here,
ingested through the public API into the bundled graph."""

from __future__ import annotations

import shutil

from .articles import ingest_text
from .conftest import GRAPH


def _mentions(tmp_path, text):
    graph = tmp_path / "graph"
    shutil.copytree(GRAPH, graph)
    return [m for m in ingest_text(graph, tmp_path, text).mentions if m.text == "BTS"]


def test_bts_footage_is_proposed_not_linked(tmp_path):
    text = ("V's new single came out on Friday. During the live stream the singers showed BTS footage from the "
            "music video shoot, filmed in an aquarium.")
    [bts] = _mentions(tmp_path, text)
    assert bts.link is None
    assert bts.suggestions and bts.suggestions[0][0].endswith("/id/bts")


def test_the_group_named_as_the_group_is_still_linked(tmp_path):
    text = "V's new single came out on Friday. BTS member V sang it live for the first time."
    [bts] = _mentions(tmp_path, text)
    assert bts.link is not None and bts.link.endswith("/id/bts")
