"""Where the files installed with the package are (layer 0: imports nothing of ours)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["default_ontology"]


def default_ontology() -> Path:
    """The ontology installed with collabgraph (``collab.ttl`` and ``shapes.ttl``).

    In the repository, ``src/collabgraph/ontology`` is a link to the top-level
    ``ontology/``, which stays the one copy to edit; a wheel holds the files.

    >>> (default_ontology() / "collab.ttl").is_file()
    True
    """
    return Path(__file__).resolve().parent / "ontology"
