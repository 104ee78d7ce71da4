"""Every IRI and prefix collabgraph uses, in one place.

The vocabulary lives under ``https://w3id.org/collabgraph/`` (a persistent-IRI
service, so identifiers survive a change of host):

- ``ns#`` the ontology terms (classes and properties),
- ``role/`` the SKOS concept scheme of credit roles,
- ``id/`` entities (people, groups, works, characters),
- ``fact/`` credits, memberships, claims and attestations,
- ``source/`` source documents,
- ``graph/`` named graphs (one per source file, plus ontology and inferred).

>>> CG.Credit
rdflib.term.URIRef('https://w3id.org/collabgraph/ns#Credit')
>>> curie("https://w3id.org/collabgraph/id/iu")
'id:iu'
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, DCTERMS

__all__ = [
    "BASE", "CG", "ROLE", "ID", "FACT", "SOURCE", "GRAPH", "SCHEMA", "MO", "WD",
    "WDT", "SH", "PREFIXES", "ONTOLOGY_GRAPH", "INFERRED_GRAPH", "ANALYTICS", "ANALYTICS_GRAPH", "curie", "expand",
    "sparql_prologue",
]

BASE = "https://w3id.org/collabgraph/"
CG = Namespace(BASE + "ns#")
ROLE = Namespace(BASE + "role/")
ID = Namespace(BASE + "id/")
FACT = Namespace(BASE + "fact/")
SOURCE = Namespace(BASE + "source/")
GRAPH = Namespace(BASE + "graph/")

SCHEMA = Namespace("https://schema.org/")
MO = Namespace("http://purl.org/ontology/mo/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Named graph holding the ontology (collab.ttl) inside a build.
ONTOLOGY_GRAPH = GRAPH["ontology"]
#: Named graph holding everything the inference rules derive.
INFERRED_GRAPH = GRAPH["inferred"]
#: Named graph holding the analytics results (``collabgraph analytics --write``).
ANALYTICS_GRAPH = GRAPH["analytics"]
#: Nodes the analytics make: the run, and the communities it found.
ANALYTICS = Namespace(BASE + "analytics/")

#: Prefixes used in serialisations, SPARQL prologues and CURIE display.
#: Order matters for :func:`curie`: the longest matching namespace wins.
PREFIXES: dict[str, str] = {
    "cg": str(CG),
    "role": str(ROLE),
    "id": str(ID),
    "fact": str(FACT),
    "source": str(SOURCE),
    "graph": str(GRAPH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "mo": str(MO),
    "wd": str(WD),
    "wdt": str(WDT),
    "sh": str(SH),
}

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
