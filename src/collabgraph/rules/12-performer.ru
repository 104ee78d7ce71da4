# work cg:performer agent (Wikidata P175): a credit as performer or narrower
# (featured artist).
INSERT { GRAPH graph:inferred { ?work cg:performer ?agent } }
WHERE {
  GRAPH ?g { ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role }
  GRAPH graph:ontology { ?role skos:broader* role:performer }
}
