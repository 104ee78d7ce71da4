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
  # One side marked, found first: pairing every two credits of a work and then
  # looking for marks is quadratic in a work's credits (minutes on a work with
  # thousands of credits), where marked credits are few. Two plain patterns, not
  # the path cg:editorsInference|cg:claimedBy: Oxigraph scans every quad for an
  # alternative path with both ends open (7 s at 470k triples, for no match).
  {
    GRAPH ?g1 { { ?creditA cg:editorsInference ?markA } UNION { ?creditA cg:claimedBy ?markA }
              ?creditA a cg:Credit ; cg:agent ?a ; cg:work ?work ; cg:role ?roleA }
    GRAPH ?g2 { ?creditB a cg:Credit ; cg:agent ?b ; cg:work ?work ; cg:role ?roleB }
  } UNION {
    GRAPH ?g2 { { ?creditB cg:editorsInference ?markB } UNION { ?creditB cg:claimedBy ?markB }
              ?creditB a cg:Credit ; cg:agent ?b ; cg:work ?work ; cg:role ?roleB }
    GRAPH ?g1 { ?creditA a cg:Credit ; cg:agent ?a ; cg:work ?work ; cg:role ?roleA }
  }
  FILTER (STR(?a) < STR(?b) && !(?roleA = role:guest && ?roleB = role:guest))
  OPTIONAL { GRAPH ?g1 { ?creditA cg:editorsInference ?whyA } }
  OPTIONAL { GRAPH ?g1 { ?creditA cg:claimedBy ?whoA } }
  OPTIONAL { GRAPH ?g2 { ?creditB cg:editorsInference ?whyB } }
  OPTIONAL { GRAPH ?g2 { ?creditB cg:claimedBy ?whoB } }
  BIND (IRI(CONCAT(STR(?creditA), "/with/", SHA1(STR(?creditB)))) AS ?statement)
}
