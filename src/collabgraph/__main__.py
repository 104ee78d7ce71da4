"""``python -m collabgraph``: the same as the ``collabgraph`` command."""

from .cli import main

main()
