"""One place for each thing several modules need (issue 22): the project's
namespace, the names of a build's files, the MusicBrainz ``inc=`` table and
the detection of compressed input. Each is checked where it shows: the source
text for the constants, the importers' behaviour for the rest."""

from __future__ import annotations

import ast
import bz2
import gzip
import json
import lzma
from pathlib import Path

import collabgraph
from collabgraph.core.layout import MANIFEST, SUMMARY, WRITTEN_BY_SERVER
from collabgraph.core.namespaces import BASE
from collabgraph.importers import musicbrainz, wikidata
from collabgraph.importers.fetch import musicbrainz_fetcher

from .conftest import DATA

PACKAGE = Path(collabgraph.__file__).parent
#: Modules still spelling the namespace out, each with the reason.
NAMESPACE_EXCEPTIONS: set[str] = set()


def _strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are not docstrings (docstrings show examples)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def _modules_writing(predicate) -> set[str]:
    """The modules (paths below the package) with a string constant that ``predicate`` accepts."""
    return {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
            if any(predicate(text) for _, text in _strings(p))}


def test_the_project_namespace_is_spelled_out_in_one_module():
    found = _modules_writing(lambda s: "w3id.org/collabgraph" in s)
    assert found - NAMESPACE_EXCEPTIONS == {"core/namespaces.py"}, found
    assert BASE == "https://w3id.org/collabgraph/"


def test_a_builds_file_names_are_named_in_one_module():
    names = {MANIFEST, SUMMARY, WRITTEN_BY_SERVER}
    assert _modules_writing(lambda s: s in names) == {"core/layout.py"}


def test_a_bare_musicbrainz_key_asks_for_what_the_importer_reads(replay):
    """The fetcher's default ``inc=`` for ``recording/<mbid>`` is the importer's own request."""
    mbid = "2d40c8b2-7524-49e3-af44-ebb924c5b023"
    musicbrainz_fetcher(cache_dir=False)(f"recording/{mbid}")
    asked = musicbrainz.request_for("recording", mbid)
    inc = asked.split("inc=", 1)[1].split("&", 1)[0]
    assert replay.requests[-1].query["inc"] == inc.replace("+", " ")


def test_a_compressed_musicbrainz_dump_is_read_whatever_its_name(tmp_path):
    doc = json.dumps(json.loads((DATA / "musicbrainz" / "recording-credits.json").read_text("utf-8")))
    expected = [b.name for b in musicbrainz.read([str(DATA / "musicbrainz" / "recording-credits.json")])]
    for name, compress in (("gz.json", gzip.compress), ("bz.jsonl", bz2.compress), ("xz.json", lzma.compress)):
        path = tmp_path / name
        path.write_bytes(compress(doc.encode("utf-8") + b"\n"))
        assert [b.name for b in musicbrainz.read([str(path)])] == expected, name


def test_a_wikidata_dump_in_xz_is_read_like_gzip(tmp_path):
    entity = (DATA / "wikidata" / "Q20145.json").read_bytes()
    expected = [(b.name, len(b.facts)) for b in wikidata.read([str(DATA / "wikidata" / "Q20145.json")])]
    for name, compress in (("Q20145.json.xz", lzma.compress), ("Q20145.json", gzip.compress)):
        path = tmp_path / name
        path.write_bytes(compress(entity))
        assert [(b.name, len(b.facts)) for b in wikidata.read([str(path)])] == expected, name
