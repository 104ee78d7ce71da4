# work cg:castMember agent (Wikidata P161): a credit as actor or narrower (cameo).
INSERT { GRAPH graph:inferred { ?work cg:castMember ?agent } }
WHERE {
  GRAPH ?g { ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role }
  GRAPH graph:ontology { ?role skos:broader* role:actor }
}
