# Every claim as a direct triple: about property value. Conflicting claims give
# several values side by side; the cg:Claim nodes say who claimed what, where.
INSERT { GRAPH graph:inferred { ?about ?property ?value } }
WHERE { GRAPH ?g { ?claim a cg:Claim ; cg:about ?about ; cg:property ?property ; cg:value ?value } }
