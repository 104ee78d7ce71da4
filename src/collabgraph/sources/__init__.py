"""Bringing outside data in: one module per kind of source (``wikidata``,
``musicbrainz``, ``csvfile``), each turning its input into
:class:`~collabgraph.sources.model.Batch` records, and shared modules that
link the records to what the graph knows and write them under ``graph/``.

Sources never write the store: they write source files, and the build does
the rest, as for hand-written Turtle.
"""
