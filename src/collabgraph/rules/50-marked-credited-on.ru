# A credit that goes beyond its source (cg:editorsInference) or is someone's
# words (cg:claimedBy) derives no plain edge: rule 10 skips it. What it
# would derive (agent cg:creditedOn work) is kept as a marked statement of graph:inferred instead,
# so plain SPARQL never shows an inference as a fact, and a query that wants
# such edges asks for them with their mark (see README.md).
# One statement per (credit, property): <credit IRI>/creditedOn.
# anchors: ?agent ?work (an incremental build re-derives with these bound; see build._reinfer)
INSERT { GRAPH graph:inferred {
  ?statement a rdf:Statement ; rdf:subject ?agent ; rdf:predicate cg:creditedOn ; rdf:object ?work ;
    prov:wasDerivedFrom ?credit ; cg:editorsInference ?why ; cg:claimedBy ?who .
} }
WHERE {
  GRAPH ?g {
    ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role .
    OPTIONAL { ?credit cg:editorsInference ?why }
    OPTIONAL { ?credit cg:claimedBy ?who }
  }
  FILTER (BOUND(?why) || BOUND(?who))
  BIND (IRI(CONCAT(STR(?credit), "/creditedOn")) AS ?statement)
}
