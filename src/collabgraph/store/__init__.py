"""Where the quads live and what checks them: the local Oxigraph store
(:mod:`.local`), a remote SPARQL endpoint behind the same interface
(:mod:`.remote`), build generations and snapshots, SHACL validation and the
quote checks. Imports only :mod:`collabgraph.core`.
"""
