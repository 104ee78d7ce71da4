# work cg:performer agent (Wikidata P175): a credit as performer or narrower
# (featured artist).
# Only from credits the source states itself (no cg:editorsInference, no
# cg:claimedBy): see 50-marked-edges.ru.
INSERT { GRAPH graph:inferred { ?work cg:performer ?agent } }
WHERE {
  GRAPH ?g { ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role }
  GRAPH graph:ontology { ?role skos:broader* role:performer }
  FILTER NOT EXISTS { GRAPH ?g { ?credit cg:editorsInference|cg:claimedBy ?mark } }
}
