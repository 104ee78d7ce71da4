"""The ``collabgraph`` command: a thin shell over :mod:`collabgraph.api`.

Each command opens the build, calls one library method, and prints a table or
JSON. Domain errors become one line on stderr and exit status 1 (a validation
failure prints one line per problem); usage errors exit with 2.

The commands live in one module per family (build, entities, query, export,
serve, imports, identity, review, ingest, analytics); :mod:`.common` holds the
group, the shared options and the parameter types. Importing this package
registers every command on :data:`cli`.
"""

from __future__ import annotations

from . import analytics, build, entities, export, identity, imports, ingest, query, review, serve  # noqa: F401
from .common import cli
from .query import parse_binding

__all__ = ["main", "cli", "parse_binding"]


def main() -> None:
    cli(prog_name="collabgraph")


if __name__ == "__main__":
    main()
