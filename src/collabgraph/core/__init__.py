"""The bottom layer: what every other part uses and which uses none of them.

Errors (each with its HTTP status), the namespaces and prefixes, name
folding, term conversions, formats, text output, the version, durable file
writing, the package's installed files and SPARQL text, reading SPARQL text
without running it, the network guard and the source-file checks. Nothing
here imports from another collabgraph package.
"""
