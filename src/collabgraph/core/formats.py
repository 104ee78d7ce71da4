"""RDF, graph and result formats: one table, used by the loader, exports and CLI.

>>> rdf_format_for_path("graph/a.ttl").name
'turtle'
>>> RDF_FORMATS["jsonld"].media_type
'application/ld+json'
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

__all__ = ["RdfFormatInfo", "RDF_FORMATS", "GRAPH_FORMATS", "RESULT_FORMATS",
           "rdf_format_for_path", "export_format_for_path", "SOURCE_SUFFIXES", "serialized",
           "COMPRESSIONS", "compression_of", "open_input", "decompressed"]


@dataclass(frozen=True)
class RdfFormatInfo:
    name: str
    ox: ox.RdfFormat
    suffixes: tuple[str, ...]
    media_type: str
    datasets: bool  # can hold named graphs


RDF_FORMATS: dict[str, RdfFormatInfo] = {
    f.name: f
    for f in [
        RdfFormatInfo("turtle", ox.RdfFormat.TURTLE, (".ttl",), "text/turtle", False),
        RdfFormatInfo("trig", ox.RdfFormat.TRIG, (".trig",), "application/trig", True),
        RdfFormatInfo("ntriples", ox.RdfFormat.N_TRIPLES, (".nt",), "application/n-triples", False),
        RdfFormatInfo("nquads", ox.RdfFormat.N_QUADS, (".nq",), "application/n-quads", True),
        RdfFormatInfo("jsonld", ox.RdfFormat.JSON_LD, (".jsonld",), "application/ld+json", True),
        RdfFormatInfo("rdfxml", ox.RdfFormat.RDF_XML, (".rdf", ".owl"), "application/rdf+xml", False),
    ]
}

#: File suffixes read as sources in ``graph/``.
SOURCE_SUFFIXES = {s: f for f in RDF_FORMATS.values() for s in f.suffixes}

#: Property-graph formats, written from a NetworkX projection.
GRAPH_FORMATS = {"graphml": ".graphml", "gexf": ".gexf"}

#: SPARQL result formats for SELECT/ASK (the W3C ones).
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def rdf_format_for_path(path: str | Path) -> RdfFormatInfo:
    """The RDF format of a file, from its suffix.

    :raises ValueError: for a suffix that is no RDF format we read.
    """
    suffix = Path(path).suffix.lower()
    try:
        return SOURCE_SUFFIXES[suffix]
    except KeyError:
        raise ValueError(f"{path}: not an RDF file we read (use one of {', '.join(sorted(SOURCE_SUFFIXES))})") from None


#: What ``export`` writes for each file suffix when no format is given:
#: every RDF and graph format, plus ``.xml`` for RDF/XML.
EXPORT_SUFFIXES: dict[str, str] = {
    **{s: f.name for f in RDF_FORMATS.values() for s in f.suffixes},
    ".xml": "rdfxml",
    **{suffix: name for name, suffix in GRAPH_FORMATS.items()},
}


def export_format_for_path(path: str | Path) -> str | None:
    """The export format a file name asks for, or ``None`` for an unknown suffix.

    >>> export_format_for_path("out/graph.TTL"), export_format_for_path("collab.graphml")
    ('turtle', 'graphml')
    >>> export_format_for_path("notes.txt") is None
    True
    """
    return EXPORT_SUFFIXES.get(Path(path).suffix.lower())


def serialized(items: Iterable[ox.Triple] | Iterable[ox.Quad], format: ox.RdfFormat, *,
               prefixes: dict[str, str] | None = None) -> bytes:
    """``items`` serialised by pyoxigraph into bytes (its ``serialize`` is typed
    ``bytes | None``: None only when it writes to an output it was given).

    >>> serialized([ox.Triple(ox.NamedNode("https://e/a"), ox.NamedNode("https://e/p"), ox.Literal("x"))],
    ...            ox.RdfFormat.N_TRIPLES)
    b'<https://e/a> <https://e/p> "x" .\\n'
    """
    data = ox.serialize(items, format=format, prefixes=prefixes)
    if data is None:  # cannot happen without an output; keeps the type exact
        raise TypeError("pyoxigraph returned no bytes")
    return data


#: Compressed input, told by its first bytes (a dump renamed ``.json`` is still
#: read): magic bytes -> (name, the suffix that names it, opener, decompress).
COMPRESSIONS = {
    b"\x1f\x8b": ("gzip", ".gz", gzip.open, gzip.decompress),
    b"BZh": ("bzip2", ".bz2", bz2.open, bz2.decompress),
    b"\xfd7zXZ\x00": ("xz", ".xz", lzma.open, lzma.decompress),
}


def _compression(head: bytes) -> tuple | None:
    return next((c for magic, c in COMPRESSIONS.items() if head.startswith(magic)), None)


def compression_of(path: str | os.PathLike) -> str | None:
    """``"gzip"``, ``"bzip2"`` or ``"xz"`` for a compressed file, else ``None``.

    >>> import gzip, tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".json") as f:
    ...     _ = f.write(gzip.compress(b"{}")); f.flush()
    ...     compression_of(f.name)
    'gzip'
    """
    with open(path, "rb") as f:
        found = _compression(f.read(6))
    return found[0] if found else None


def open_input(path: str | os.PathLike) -> IO[bytes]:
    """``path`` opened for reading bytes, decompressed when its first bytes are
    gzip, bzip2 or xz. A file whose name says compressed (``.gz``, ``.bz2``,
    ``.xz``) and whose bytes do not is opened as its name says, so reading it
    fails with the decompressor's own error instead of as garbled text.

    A truncated or corrupt stream raises ``OSError``, ``EOFError`` or
    ``lzma.LZMAError`` as it is read."""
    with open(path, "rb") as f:
        found = _compression(f.read(6))
    if found is None:
        suffix = Path(path).suffix.lower()
        found = next((c for c in COMPRESSIONS.values() if c[1] == suffix), None)
    return found[2](path, "rb") if found else open(path, "rb")


def decompressed(data: bytes) -> bytes:
    """``data`` decompressed when it is gzip, bzip2 or xz, else as it is.

    >>> import bz2
    >>> decompressed(bz2.compress(b"[]")), decompressed(b"[]")
    (b'[]', b'[]')
    """
    found = _compression(data[:6])
    return found[3](data) if found else data
