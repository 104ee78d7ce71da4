# A credit that goes beyond its source (cg:editorsInference) or is someone's
# words (cg:claimedBy) derives no plain edge: rules 10-13 skip it. What it
# would derive is kept as a marked statement instead, so plain SPARQL over
# cg:performer, cg:appearsIn ... never shows an inference as a fact, and a
# query that wants such edges asks for them with their mark:
#   ?st rdf:subject ?work ; rdf:predicate cg:performer ; rdf:object ?agent ;
#       prov:wasDerivedFrom ?credit ; cg:editorsInference ?why .
# One statement per (credit, property): <credit IRI>/<property>.
INSERT { GRAPH graph:inferred {
  ?statement a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
    prov:wasDerivedFrom ?credit ; cg:editorsInference ?why ; cg:claimedBy ?who .
} }
WHERE {
  GRAPH ?g {
    ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role .
    OPTIONAL { ?credit cg:editorsInference ?why }
    OPTIONAL { ?credit cg:claimedBy ?who }
  }
  FILTER (BOUND(?why) || BOUND(?who))
  { BIND (cg:creditedOn AS ?p) }
  UNION { GRAPH graph:ontology { ?role skos:broader* role:appearance } BIND (cg:appearsIn AS ?p) }
  UNION { GRAPH graph:ontology { ?role skos:broader* role:performer } BIND (cg:performer AS ?p) }
  UNION { GRAPH graph:ontology { ?role skos:broader* role:actor } BIND (cg:castMember AS ?p) }
  BIND (IF(?p IN (cg:performer, cg:castMember), ?work, ?agent) AS ?s)
  BIND (IF(?p IN (cg:performer, cg:castMember), ?agent, ?work) AS ?o)
  BIND (IRI(CONCAT(STR(?credit), "/", STRAFTER(STR(?p), "#"))) AS ?statement)
}
