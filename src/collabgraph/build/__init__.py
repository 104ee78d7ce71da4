"""Making a build: source files in, a validated, inferred, persistent store
out (:mod:`.pipeline`, with :mod:`.sources`, :mod:`.incremental` and
:mod:`.earlywriter`), and analytics written back into a build
(:mod:`.writeback`). Imports core, store and views.

The function :func:`collabgraph.build` is :func:`.pipeline.build`.
"""
