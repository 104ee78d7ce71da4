"""What the ontology says about outside vocabularies, for importers: which
Wikidata classes are which of our classes, which Wikidata occupations and
properties and which MusicBrainz relationship types are which of our
concepts and roles. Read from the installed ontology (``skos:exactMatch``,
``skos:narrowMatch``, ``skos:closeMatch``, ``cg:musicbrainzType``), so a new
alignment is one triple in ``ontology/collab.ttl`` and no code.

>>> v = vocabulary()
>>> v.class_for_wikidata("Q5"), v.class_for_wikidata("Q5741069"), v.class_for_wikidata("Q1")
('Person', 'Group', None)
>>> v.occupation_for_wikidata("Q177220"), v.role_for_wikidata_property("P86")
('Singer', 'composer')
>>> v.role_for_musicbrainz("vocal"), v.role_for_musicbrainz("instrument")
('vocalist', 'instrumentalist')
>>> v.is_agent_class("Group"), v.is_work_class("Recording"), v.is_agent_class("Song")
(True, True, False)
>>> v.properties["releaseDate"].kind, v.properties["musicVideoFor"].range, v.occupations["Singer"]
('datatype', 'https://w3id.org/collabgraph/ns#Song', 'singer')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ..core.namespaces import CG_IRI, PREFIXES, ROLE_IRI

__all__ = ["Vocabulary", "PropertyInfo", "vocabulary"]

_CG, _ROLE, _WD, _WDT = CG_IRI, ROLE_IRI, PREFIXES["wd"], PREFIXES["wdt"]
_SKOS, _RDFS = PREFIXES["skos"], PREFIXES["rdfs"]


@dataclass(frozen=True)
class PropertyInfo:
    """A ``cg:`` property: ``kind`` ``"object"`` or ``"datatype"``; ``domain`` and
    ``range`` IRIs (``None`` when the ontology gives none)."""

    kind: str
    domain: str | None = None
    range: str | None = None


@dataclass
class Vocabulary:
    """Alignments, as local names (``"Person"``, ``"composer"``) keyed by outside ids."""

    wikidata_classes: dict[str, str] = field(default_factory=dict)       # QID -> class
    wikidata_occupations: dict[str, str] = field(default_factory=dict)   # QID -> occupation concept
    wikidata_roles: dict[str, str] = field(default_factory=dict)         # PID -> role
    musicbrainz_roles: dict[str, str] = field(default_factory=dict)      # relationship type -> role
    superclasses: dict[str, set[str]] = field(default_factory=dict)      # class -> itself and its ancestors
    roles: set[str] = field(default_factory=set)
    properties: dict[str, PropertyInfo] = field(default_factory=dict)   # cg: property -> its kind and range
    occupations: dict[str, str] = field(default_factory=dict)           # occupation concept -> English label

    def class_for_wikidata(self, qid: str) -> str | None:
        return self.wikidata_classes.get(qid)

    def occupation_for_wikidata(self, qid: str) -> str | None:
        return self.wikidata_occupations.get(qid)

    def role_for_wikidata_property(self, pid: str) -> str | None:
        return self.wikidata_roles.get(pid)

    def role_for_musicbrainz(self, relationship_type: str) -> str | None:
        return self.musicbrainz_roles.get(relationship_type)

    def is_agent_class(self, name: str) -> bool:
        return "Agent" in self.superclasses.get(name, ())

    def is_work_class(self, name: str) -> bool:
        return "Work" in self.superclasses.get(name, ())


@cache
def vocabulary(ontology_file: str | None = None) -> Vocabulary:
    """The alignments of ``ontology_file`` (default: the installed ontology's ``collab.ttl``)."""
    if ontology_file is None:
        from ..core.packaged import default_ontology

        ontology_file = str(default_ontology() / "collab.ttl")
    store = ox.Store()
    store.load(path=str(Path(ontology_file)), format=ox.RdfFormat.TURTLE)
    v = Vocabulary()

    def rows(query: str):
        return store.query(query)

    classes = {r["c"].value for r in rows("SELECT ?c WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> }")}

    for r in rows(f"""SELECT ?ours ?how ?theirs WHERE {{
            ?ours ?how ?theirs . FILTER (?how IN (<{_SKOS}exactMatch>, <{_SKOS}narrowMatch>, <{_SKOS}closeMatch>))
            FILTER (STRSTARTS(STR(?ours), "{_CG}") || STRSTARTS(STR(?ours), "{_ROLE}")) }} ORDER BY ?ours ?theirs"""):
        ours, how, theirs = r["ours"].value, r["how"].value.rsplit("#", 1)[-1], r["theirs"].value
        is_class = ours in classes
        if ours.startswith(_ROLE) and theirs.startswith(_WDT):
            v.wikidata_roles.setdefault(theirs[len(_WDT):], ours[len(_ROLE):])
        elif theirs.startswith(_WD) and how in ("exactMatch", "narrowMatch"):
            target = v.wikidata_classes if is_class else v.wikidata_occupations
            target.setdefault(theirs[len(_WD):], ours[len(_CG):])
    for r in rows(f"SELECT ?role ?t WHERE {{ ?role <{_CG}musicbrainzType> ?t }}"):
        v.musicbrainz_roles[r["t"].value] = r["role"].value[len(_ROLE):]
    for r in rows(f"SELECT ?role WHERE {{ ?role <{_SKOS}inScheme> <{_CG}roles> }}"):
        v.roles.add(r["role"].value[len(_ROLE):])
    for r in rows(f"""SELECT ?c ?super WHERE {{ ?c a <http://www.w3.org/2002/07/owl#Class> ; <{_RDFS}subClassOf>* ?super .
                      FILTER (STRSTARTS(STR(?c), "{_CG}") && STRSTARTS(STR(?super), "{_CG}")) }}"""):
        v.superclasses.setdefault(r["c"].value[len(_CG):], set()).add(r["super"].value[len(_CG):])
    for r in rows(f"""SELECT ?p ?kind (SAMPLE(?d) AS ?domain) (SAMPLE(?r) AS ?range) WHERE {{
                      ?p a ?kind . FILTER (?kind IN (<http://www.w3.org/2002/07/owl#ObjectProperty>,
                                                     <http://www.w3.org/2002/07/owl#DatatypeProperty>))
                      FILTER STRSTARTS(STR(?p), "{_CG}")
                      OPTIONAL {{ ?p <{_RDFS}domain> ?d }} OPTIONAL {{ ?p <{_RDFS}range> ?r }} }}
                      GROUP BY ?p ?kind"""):
        kind = "object" if r["kind"].value.endswith("ObjectProperty") else "datatype"
        domain, range_ = r["domain"], r["range"]
        v.properties[r["p"].value[len(_CG):]] = PropertyInfo(
            kind, domain.value if isinstance(domain, ox.NamedNode) else None,
            range_.value if isinstance(range_, ox.NamedNode) else None)
    for r in rows(f"""SELECT ?c (SAMPLE(?l) AS ?label) WHERE {{ ?c <{_SKOS}inScheme> <{_CG}occupations> .
                      OPTIONAL {{ ?c <{_SKOS}prefLabel> ?l . FILTER langMatches(lang(?l), "en") }} }} GROUP BY ?c"""):
        label = r["label"]
        v.occupations[r["c"].value[len(_CG):]] = label.value if label is not None else r["c"].value[len(_CG):]
    return v
