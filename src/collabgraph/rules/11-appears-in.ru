# agent cg:appearsIn work: a credit in an on-screen role (role:appearance or
# narrower: actor, cameo, host, guest).
# Only from credits the source states itself (no cg:editorsInference, no
# cg:claimedBy): see 50-marked-edges.ru.
INSERT { GRAPH graph:inferred { ?agent cg:appearsIn ?work } }
WHERE {
  GRAPH ?g { ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role }
  GRAPH graph:ontology { ?role skos:broader* role:appearance }
  FILTER NOT EXISTS { GRAPH ?g { ?credit cg:editorsInference|cg:claimedBy ?mark } }
}
