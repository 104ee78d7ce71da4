# A collaboration resting on at least one marked credit (cg:editorsInference
# or cg:claimedBy) is not a plain cg:collaboratedWith edge (rule 40 skips it):
# it is a marked statement, subject the agent whose IRI sorts first, derived
# from both credits and carrying every mark and claimant of either.
# One statement per pair of credits: <credit A IRI>/with/<SHA-1 of credit B's IRI>.
# anchors: ?a ?b (an incremental build re-derives with these bound; see build._reinfer)
INSERT { GRAPH graph:inferred {
  ?statement a rdf:Statement ; rdf:subject ?a ; rdf:predicate cg:collaboratedWith ; rdf:object ?b ;
    prov:wasDerivedFrom ?creditA, ?creditB ;
    cg:editorsInference ?whyA, ?whyB ; cg:claimedBy ?whoA, ?whoB .
} }
WHERE {
  # Only works with a marked credit (without this the engine pairs every two
  # credits of every work before the filter: 275 s at 100k triples, not 0.1 s).
  { SELECT DISTINCT ?work WHERE { GRAPH ?gm { ?marked cg:work ?work ; cg:editorsInference|cg:claimedBy ?mark } } }
  GRAPH ?g1 {
    ?creditA a cg:Credit ; cg:agent ?a ; cg:work ?work ; cg:role ?roleA .
    OPTIONAL { ?creditA cg:editorsInference ?whyA }
    OPTIONAL { ?creditA cg:claimedBy ?whoA }
  }
  GRAPH ?g2 {
    ?creditB a cg:Credit ; cg:agent ?b ; cg:work ?work ; cg:role ?roleB .
    OPTIONAL { ?creditB cg:editorsInference ?whyB }
    OPTIONAL { ?creditB cg:claimedBy ?whoB }
  }
  FILTER (BOUND(?whyA) || BOUND(?whoA) || BOUND(?whyB) || BOUND(?whoB))
  FILTER (STR(?a) < STR(?b) && !(?roleA = role:guest && ?roleB = role:guest))
  BIND (IRI(CONCAT(STR(?creditA), "/with/", SHA1(STR(?creditB)))) AS ?statement)
}
