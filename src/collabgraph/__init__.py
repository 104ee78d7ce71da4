"""collabgraph: a knowledge graph of artist collaborations.

>>> from collabgraph import CollabGraph
>>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
>>> [c.work.label for c in kg.works("taehyung") if c.role == "cameo"]
['GYOPO HAIRSTYLE']
"""

from .api import CollabGraph, Entity, Credit, Collaborator, SharedWork, Hop, Claim
from .build import BuildReport, build, validate
from .errors import (AmbiguousEntity, BuildNotFound, CollabGraphError, EntityNotFound,
                     NoPath, Problem, QueryError, QuerySyntaxError, SameEntity, SourceError,
                     SourceSyntaxError, StoreBusy, ValidationError)
from .version import __version__
from .writeback import AnalyticsReport, write_analytics

__all__ = [
    "CollabGraph", "Entity", "Credit", "Collaborator", "SharedWork", "Hop", "Claim",
    "BuildReport", "build", "validate",
    "CollabGraphError", "SourceError", "SourceSyntaxError", "ValidationError", "Problem",
    "EntityNotFound", "AmbiguousEntity", "QueryError", "QuerySyntaxError", "BuildNotFound", "NoPath",
    "SameEntity", "StoreBusy", "__version__", "AnalyticsReport", "write_analytics",
]
