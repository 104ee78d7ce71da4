# Two different agents credited on the same work collaborated on it, except
# when both are only guests: two guests of a talk show or channel may have
# been on different episodes (episodes are not modelled yet).
# One cg:Collaboration node per (pair, work), named by a hash of the three IRIs,
# derived from (prov:wasDerivedFrom) every credit of either agent on that work;
# plus the symmetric shortcut cg:collaboratedWith both ways.
INSERT { GRAPH graph:inferred {
  ?collab a cg:Collaboration ;
      cg:participant ?a, ?b ;
      cg:onWork ?work ;
      prov:wasDerivedFrom ?creditA, ?creditB .
  ?a cg:collaboratedWith ?b .
  ?b cg:collaboratedWith ?a .
} }
WHERE {
  GRAPH ?g1 { ?creditA a cg:Credit ; cg:agent ?a ; cg:work ?work ; cg:role ?roleA }
  GRAPH ?g2 { ?creditB a cg:Credit ; cg:agent ?b ; cg:work ?work ; cg:role ?roleB }
  FILTER (STR(?a) < STR(?b) && !(?roleA = role:guest && ?roleB = role:guest))
  BIND (IRI(CONCAT("https://w3id.org/collabgraph/fact/collab-",
                   MD5(CONCAT(STR(?a), " ", STR(?b), " ", STR(?work))))) AS ?collab)
}
