# agent cg:memberOf group, from cg:Membership facts (Wikidata P463).
# Only from memberships the source states itself: see 50-marked-edges.ru.
INSERT { GRAPH graph:inferred { ?member cg:memberOf ?group } }
WHERE {
  GRAPH ?g { ?m a cg:Membership ; cg:member ?member ; cg:group ?group }
  FILTER NOT EXISTS { GRAPH ?g { ?m cg:editorsInference|cg:claimedBy ?mark } }
}
