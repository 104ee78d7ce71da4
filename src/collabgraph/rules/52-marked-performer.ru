# A credit that goes beyond its source (cg:editorsInference) or is someone's
# words (cg:claimedBy) derives no plain edge: rule 12 skips it. What it
# would derive (work cg:performer agent) is kept as a marked statement of graph:inferred instead,
# so plain SPARQL never shows an inference as a fact, and a query that wants
# such edges asks for them with their mark (see README.md).
# One statement per (credit, property): <credit IRI>/performer.
# anchors: ?work ?agent (an incremental build re-derives with these bound; see build._reinfer)
INSERT { GRAPH graph:inferred {
  ?statement a rdf:Statement ; rdf:subject ?work ; rdf:predicate cg:performer ; rdf:object ?agent ;
    prov:wasDerivedFrom ?credit ; cg:editorsInference ?why ; cg:claimedBy ?who .
} }
WHERE {
  GRAPH ?g {
    ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role .
    OPTIONAL { ?credit cg:editorsInference ?why }
    OPTIONAL { ?credit cg:claimedBy ?who }
  }
  FILTER (BOUND(?why) || BOUND(?who))
  GRAPH graph:ontology { ?role skos:broader* role:performer }
  BIND (IRI(CONCAT(STR(?credit), "/performer")) AS ?statement)
}
