"""collabgraph: a knowledge graph of artist collaborations.

>>> from collabgraph import CollabGraph
>>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
>>> [c.work.label for c in kg.works("taehyung") if c.role == "cameo"]
['GYOPO HAIRSTYLE']
"""

import sys
import types

from .api import CollabGraph, Entity, Credit, Collaborator, SharedWork, Hop, Claim
from .core.errors import (AmbiguousEntity, BuildNotFound, CollabGraphError, EntityNotFound,
                     NoPath, Problem, QueryError, QuerySyntaxError, SameEntity, SourceError,
                     SourceSyntaxError, StoreBusy, ValidationError)
from .core.version import __version__

# Building and write-back need rdflib, which reading does not: they are
# imported on first use, so `import collabgraph` (and every read command) starts faster.
_LAZY = {"BuildReport": "build.pipeline", "build": "build.pipeline", "validate": "build.pipeline",
         "AnalyticsReport": "build.writeback", "write_analytics": "build.writeback"}


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        # Loading the package collabgraph.build makes the import system set it as
        # this package's attribute `build`: keep the function of that name.
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):  # PEP 562
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "CollabGraph", "Entity", "Credit", "Collaborator", "SharedWork", "Hop", "Claim",
    "BuildReport", "build", "validate",
    "CollabGraphError", "SourceError", "SourceSyntaxError", "ValidationError", "Problem",
    "EntityNotFound", "AmbiguousEntity", "QueryError", "QuerySyntaxError", "BuildNotFound", "NoPath",
    "SameEntity", "StoreBusy", "__version__", "AnalyticsReport", "write_analytics",
]
