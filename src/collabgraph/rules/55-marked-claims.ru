# A claim or membership that is an editors' inference or someone's words is
# never flattened (rules 20 and 30 skip it); what it would say is kept as a
# marked statement, with the mark, the claimant and where it was said.
# One statement per fact: <fact IRI>/statement.
# anchors: ?s ?o (an incremental build re-derives with these bound; see build._reinfer)
INSERT { GRAPH graph:inferred {
  ?statement a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
    prov:wasDerivedFrom ?fact ; cg:editorsInference ?why ; cg:claimedBy ?who ; cg:context ?context .
} }
WHERE {
  GRAPH ?g {
    { ?fact a cg:Claim ; cg:about ?s ; cg:property ?p ; cg:value ?o }
    UNION
    { ?fact a cg:Membership ; cg:member ?s ; cg:group ?o . BIND (cg:memberOf AS ?p) }
    OPTIONAL { ?fact cg:editorsInference ?why }
    OPTIONAL { ?fact cg:claimedBy ?who }
    OPTIONAL { ?fact cg:context ?context }
  }
  FILTER (BOUND(?why) || BOUND(?who))
  BIND (IRI(CONCAT(STR(?fact), "/statement")) AS ?statement)
}
