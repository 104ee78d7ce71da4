"""Every IRI and prefix collabgraph uses, in one place.

The vocabulary lives under ``https://w3id.org/collabgraph/`` (a persistent-IRI
service, so identifiers survive a change of host):

- ``ns#`` the ontology terms (classes and properties),
- ``role/`` the SKOS concept scheme of credit roles,
- ``id/`` entities (people, groups, works, characters),
- ``fact/`` credits, memberships, claims and attestations,
- ``source/`` source documents,
- ``graph/`` named graphs (one per source file, plus ontology and inferred).

>>> from collabgraph.core.namespaces import CG  # made on first use (see __getattr__)
>>> CG.Credit
rdflib.term.URIRef('https://w3id.org/collabgraph/ns#Credit')
>>> curie("https://w3id.org/collabgraph/id/iu")
'id:iu'
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "BASE", "CG", "ROLE", "ID", "FACT", "SOURCE", "GRAPH", "SCHEMA", "MO", "WD",
    "WDT", "SH", "PREFIXES", "ONTOLOGY_GRAPH", "INFERRED_GRAPH", "ANALYTICS", "ANALYTICS_GRAPH", "curie", "expand",
    "sparql_prologue", "turtle_prologue", "CG_IRI", "ROLE_IRI", "GRAPH_IRI", "SHAPES_IRI", "TOP_PAIRS_GRAPH",
]

BASE = "https://w3id.org/collabgraph/"
#: The namespaces as plain strings, for code that must not import rdflib
#: (the read side: a command like ``collabgraph entity`` never needs it).
CG_IRI = BASE + "ns#"
ROLE_IRI = BASE + "role/"
GRAPH_IRI = BASE + "graph/"
#: The shapes of ``ontology/shapes.ttl`` (shown as ``cgsh:`` in validation messages).
SHAPES_IRI = BASE + "shapes#"
#: The graph an upload writes the build's counts for ``top-collaborations`` into
#: (views.toppairs). Outside ``graph:``: derived from the data, it is not one of
#: the graphs a build lists, counts or exports.
TOP_PAIRS_GRAPH = BASE + "counts/top-collaborations"

#: Prefixes used in serialisations, SPARQL prologues and CURIE display.
#: Order matters for :func:`curie`: the longest matching namespace wins.
PREFIXES: dict[str, str] = {
    "cg": CG_IRI,
    "role": ROLE_IRI,
    "id": BASE + "id/",
    "fact": BASE + "fact/",
    "source": BASE + "source/",
    "graph": GRAPH_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "mo": "http://purl.org/ontology/mo/",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "sh": "http://www.w3.org/ns/shacl#",
}

# rdflib Namespace objects (CG.Credit is a URIRef), made on first use so that
# importing this module does not import rdflib (73 ms of every command).
_NAMESPACES = {"CG": "cg", "ROLE": "role", "ID": "id", "FACT": "fact", "SOURCE": "source", "GRAPH": "graph",
               "SCHEMA": "schema", "MO": "mo", "WD": "wd", "WDT": "wdt", "SH": "sh",
               "ANALYTICS": None}
_TERMS = {"ONTOLOGY_GRAPH": ("GRAPH", "ontology"),  # named graph holding the ontology (collab.ttl)
          "INFERRED_GRAPH": ("GRAPH", "inferred"),  # named graph of what the inference rules derive
          "ANALYTICS_GRAPH": ("GRAPH", "analytics")}  # the analytics results (`analytics --write`)


def __getattr__(name: str):  # PEP 562: the rdflib objects, made once, on first use
    if name in _NAMESPACES:
        from rdflib import Namespace

        prefix = _NAMESPACES[name]
        value = Namespace(BASE + "analytics/" if prefix is None else PREFIXES[prefix])
    elif name in _TERMS:
        ns, local = _TERMS[name]
        value = __getattr__(ns)[local]
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


@lru_cache(maxsize=1 << 16)
def curie(iri: str) -> str:
    """Shorten ``iri`` with the project prefixes; return it unchanged if none fits.

    >>> curie("http://www.wikidata.org/entity/Q20145")
    'wd:Q20145'
    >>> curie("http://example.org/x")
    'http://example.org/x'
    """
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns):]
            if "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
    return iri


def expand(name: str) -> str | None:
    """Expand a CURIE with a known prefix (``id:v``), or return ``None``.

    >>> expand("id:v")
    'https://w3id.org/collabgraph/id/v'
    >>> expand("nothing:here") is None
    True
    """
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and local and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None


def sparql_prologue() -> str:
    """The PREFIX lines for every project prefix, to put in front of a query.

    >>> "PREFIX cg: <https://w3id.org/collabgraph/ns#>" in sparql_prologue()
    True
    """
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def turtle_prologue(*names: str) -> str:
    """The ``@prefix`` lines of a Turtle file for the project prefixes ``names``
    (all of them when none is named).

    >>> print(turtle_prologue("cg", "rdfs"), end="")
    @prefix cg: <https://w3id.org/collabgraph/ns#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    """
    return "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in (names or PREFIXES))
