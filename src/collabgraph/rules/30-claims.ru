# Every claim that the source itself makes becomes a direct triple: about
# property value. Conflicting claims give several values side by side; the
# cg:Claim nodes say where each came from.
# A claim with cg:claimedBy is someone's words ("You only have 10 years of
# experience, right?"), not the source's: it is never flattened, so the graph
# never states it as a plain fact. Query it through its cg:Claim node, which
# keeps who said it (cg:claimedBy), where (cg:context) and the quote.
# A claim marked cg:editorsInference is the editors' reading, not the source's
# statement: not flattened either (50-marked-edges.ru keeps it as a marked
# statement).
# anchors: ?about ?value (an incremental build deletes the inferred triples with a
# changed entity as subject or object and re-derives those: binding ?property too
# re-derived nothing new and took 7 s at 1M)
INSERT { GRAPH graph:inferred { ?about ?property ?value } }
WHERE {
  GRAPH ?g { ?claim a cg:Claim ; cg:about ?about ; cg:property ?property ; cg:value ?value }
  FILTER NOT EXISTS { GRAPH ?g { ?claim cg:claimedBy|cg:editorsInference ?mark } }
}
