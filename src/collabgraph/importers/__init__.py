"""Bringing structured data in: one module per kind of source (``wikidata``,
``musicbrainz``, ``csvfile``, ``mapping``), each turning its input into
:class:`~collabgraph.importers.model.Batch` records, and shared modules that
fetch documents, link the records to what the graph knows (``linking``,
``linkindex``, ``decisions``) and write them under ``graph/`` (``writer``,
``importing``). ``generate`` makes synthetic graphs for benchmarks.

Importers never write the store: they write source files, and the build does
the rest, as for hand-written Turtle.
"""
