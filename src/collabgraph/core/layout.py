"""A build's layout: the names of what one build generation holds, in one place.

The build writes them (:mod:`collabgraph.build.pipeline`); the facade, the
server and its workers read them, and none of those imports the build
pipeline (nor rdflib with it) only to know a file name::

    build/gen-<n>/
      manifest.json        MANIFEST: what went in: files, hashes, graphs, triple counts
      summary.json         SUMMARY: counts of what the graph holds
      store/               STORE_DIR: the Oxigraph store
      cache/               CACHE_DIR: projections and the name index
      explorer.html        EXPLORER: the whole graph's explorer, made on first request by serve
      written-by-server    WRITTEN_BY_SERVER: serve --writable changed this store

The generations themselves (``current``, ``gen-<n>``, the lock) are
:mod:`collabgraph.store.generations`'s; the snapshot's files are
:mod:`collabgraph.store.snapshot`'s.
"""

from __future__ import annotations

__all__ = ["MANIFEST", "SUMMARY", "STORE_DIR", "CACHE_DIR", "EXPLORER", "WRITTEN_BY_SERVER"]

MANIFEST, SUMMARY, STORE_DIR, CACHE_DIR = "manifest.json", "summary.json", "store", "cache"
EXPLORER = "explorer.html"
#: Written into a build by ``serve --writable`` before its first update: that
#: store no longer holds only what the sources say, so no build reuses from it.
WRITTEN_BY_SERVER = "written-by-server"
