# agent cg:creditedOn work: the agent has a credit of any role on the work.
# Only from credits the source states itself (no cg:editorsInference, no
# cg:claimedBy): see 50-marked-edges.ru.
INSERT { GRAPH graph:inferred { ?agent cg:creditedOn ?work } }
WHERE {
  GRAPH ?g { ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work }
  FILTER NOT EXISTS { GRAPH ?g { ?credit cg:editorsInference|cg:claimedBy ?mark } }
}
