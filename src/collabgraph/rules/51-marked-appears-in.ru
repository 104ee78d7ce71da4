# A credit that goes beyond its source (cg:editorsInference) or is someone's
# words (cg:claimedBy) derives no plain edge: rule 11 skips it. What it
# would derive (agent cg:appearsIn work) is kept as a marked statement of graph:inferred instead,
# so plain SPARQL never shows an inference as a fact, and a query that wants
# such edges asks for them with their mark (see README.md).
# One statement per (credit, property): <credit IRI>/appearsIn.
# anchors: ?agent ?work (an incremental build re-derives with these bound; see build._reinfer)
INSERT { GRAPH graph:inferred {
  ?statement a rdf:Statement ; rdf:subject ?agent ; rdf:predicate cg:appearsIn ; rdf:object ?work ;
    prov:wasDerivedFrom ?credit ; cg:editorsInference ?why ; cg:claimedBy ?who .
} }
WHERE {
  GRAPH ?g {
    ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role .
    OPTIONAL { ?credit cg:editorsInference ?why }
    OPTIONAL { ?credit cg:claimedBy ?who }
  }
  FILTER (BOUND(?why) || BOUND(?who))
  GRAPH graph:ontology { ?role skos:broader* role:appearance }
  BIND (IRI(CONCAT(STR(?credit), "/appearsIn")) AS ?statement)
}
