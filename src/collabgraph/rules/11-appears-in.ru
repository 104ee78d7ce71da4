# agent cg:appearsIn work: a credit in an on-screen role (role:appearance or
# narrower: actor, cameo, host, guest).
INSERT { GRAPH graph:inferred { ?agent cg:appearsIn ?work } }
WHERE {
  GRAPH ?g { ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role }
  GRAPH graph:ontology { ?role skos:broader* role:appearance }
}
