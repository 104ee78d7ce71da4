# work cg:castMember agent (Wikidata P161): a credit as actor or narrower (cameo).
# Only from credits the source states itself (no cg:editorsInference, no
# cg:claimedBy): see 50-marked-edges.ru.
INSERT { GRAPH graph:inferred { ?work cg:castMember ?agent } }
WHERE {
  GRAPH ?g { ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role }
  GRAPH graph:ontology { ?role skos:broader* role:actor }
  FILTER NOT EXISTS { GRAPH ?g { ?credit cg:editorsInference|cg:claimedBy ?mark } }
}
