# agent cg:creditedOn work: the agent has a credit of any role on the work.
INSERT { GRAPH graph:inferred { ?agent cg:creditedOn ?work } }
WHERE { GRAPH ?g { ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work } }
