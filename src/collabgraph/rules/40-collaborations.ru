# Two different agents credited on the same work collaborated on it, except
# when both are only guests: two guests of a talk show or channel may have
# been on different episodes (episodes are not modelled yet).
# Only when both credits are the source's own statements (no
# cg:editorsInference, no cg:claimedBy): a pair resting on a marked credit is
# a marked statement (50-marked-edges.ru), never a plain edge.
# Only the symmetric shortcut cg:collaboratedWith is stored. The works and
# credits behind a pair are read from the credits themselves when asked (the
# queries collaborators-of.rq and collaboration-edges.rq, the saved queries
# collaborators and top-collaborations): storing one node per (pair, work)
# took 56% of the inferred triples and half the build's memory at 1M triples.
INSERT { GRAPH graph:inferred {
  ?a cg:collaboratedWith ?b .
  ?b cg:collaboratedWith ?a .
} }
WHERE {
  GRAPH ?g1 { ?creditA a cg:Credit ; cg:agent ?a ; cg:work ?work ; cg:role ?roleA }
  GRAPH ?g2 { ?creditB a cg:Credit ; cg:agent ?b ; cg:work ?work ; cg:role ?roleB }
  FILTER NOT EXISTS { GRAPH ?g1 { ?creditA cg:editorsInference|cg:claimedBy ?markA } }
  FILTER NOT EXISTS { GRAPH ?g2 { ?creditB cg:editorsInference|cg:claimedBy ?markB } }
  FILTER (STR(?a) < STR(?b) && !(?roleA = role:guest && ?roleB = role:guest))
}
