"""collabgraph: a knowledge graph of artist collaborations.

>>> from collabgraph import CollabGraph
>>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
>>> [c.work.label for c in kg.works("taehyung") if c.role == "cameo"]
['GYOPO HAIRSTYLE']
"""

from .api import CollabGraph, Entity, Credit, Collaborator, SharedWork, Hop, Claim
from .build import BuildReport, build, validate
from .errors import (AmbiguousEntity, BuildNotFound, CollabGraphError, EntityNotFound,
                     NoPath, Problem, QueryError, QuerySyntaxError, SourceError, SourceSyntaxError,
                     StoreBusy, ValidationError)

__version__ = "0.1.0"

__all__ = [
    "CollabGraph", "Entity", "Credit", "Collaborator", "SharedWork", "Hop", "Claim",
    "BuildReport", "build", "validate",
    "CollabGraphError", "SourceError", "SourceSyntaxError", "ValidationError", "Problem",
    "EntityNotFound", "AmbiguousEntity", "QueryError", "QuerySyntaxError", "BuildNotFound", "NoPath",
    "StoreBusy",
]
