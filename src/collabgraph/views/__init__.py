"""The read side: small modules of functions over a store, each taking a
:class:`Reader` first. :class:`collabgraph.CollabGraph` is a facade over them;
build, explore and the saved queries use them directly.

- :mod:`.records`: the result dataclasses (``Entity``, ``Credit``, ``Hop``, ...)
- :mod:`.entities`: resolving names, search, describing entities
- :mod:`.nameindex`: the folded-name index kept beside the store
- :mod:`.facts`: credits, collaborators, claims
- :mod:`.paths`: shortest connections between agents
- :mod:`.projections`: NetworkX projections and the build's caches
- :mod:`.summary`: counts of what a graph holds
- :mod:`.results`: SPARQL results as rdflib objects or bytes
"""

from .reader import Reader
from .records import Claim, Collaborator, Credit, Entity, Hop, SharedWork

__all__ = ["Reader", "Entity", "Credit", "SharedWork", "Collaborator", "Hop", "Claim"]
