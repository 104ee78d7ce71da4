"""``collabgraph serve``: the Starlette app (:mod:`.server`), its query
workers (:mod:`.querypool`) and the connection limits below it
(:mod:`.httpguard`). An entry point, like the CLI: it uses the facade
(:mod:`collabgraph.api`) and everything below it.
"""
