"""Where the files installed with the package are (layer 0: imports nothing of ours).

The data folders sit at the top of the package, beside the code's layers:
``assets/`` (the pages), ``queries/`` and ``rules/`` (SPARQL), ``saved/``
(saved queries) and ``ontology/``. Every module reads them through here, so a
module can move between packages without its files moving with it.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["default_ontology", "package_file"]


def package_file(*parts: str) -> Traversable:
    """A file or folder installed with collabgraph, e.g. ``package_file("assets", "query.html")``.

    >>> package_file("queries", "describe.rq").is_file()
    True
    """
    return resources.files("collabgraph").joinpath(*parts)


def default_ontology() -> Path:
    """The ontology installed with collabgraph (``collab.ttl`` and ``shapes.ttl``).

    In the repository, ``src/collabgraph/ontology`` is a link to the top-level
    ``ontology/``, which stays the one copy to edit; a wheel holds the files.

    >>> (default_ontology() / "collab.ttl").is_file()
    True
    """
    return Path(__file__).resolve().parent.parent / "ontology"
