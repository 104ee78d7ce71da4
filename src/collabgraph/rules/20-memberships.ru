# agent cg:memberOf group, from cg:Membership facts (Wikidata P463).
INSERT { GRAPH graph:inferred { ?member cg:memberOf ?group } }
WHERE { GRAPH ?g { ?m a cg:Membership ; cg:member ?member ; cg:group ?group } }
