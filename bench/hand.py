"""The best single hand-written SPARQL query for each read of the API, and
the same facts taken from its rows and from the API's records, so a test
(tests/test_reads.py) can check both say the same and bench/reads.py can time
one against the other.

Each query returns, in one answer, everything the API call returns: the facts
(credits, shared works, claims) with quotes, sources and editor's inferences,
and the labels, aliases, types, Wikidata items and release dates of every
entity they name. To avoid a cross product of labels with quotes, the names
come in their own UNION branches (``?x ?p ?o``), one row per triple, each
branch with its own VALUES block (Oxigraph does not push a value bound outside
a UNION into it).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from collabgraph.core.namespaces import PREFIXES, curie, sparql_prologue
from collabgraph.store.local import fill_values

NAME_PREDICATES = "rdfs:label, skos:altLabel, rdf:type, cg:wikidata, cg:releaseDate"

_CREDIT = """
    ?credit a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role ; cg:source ?source .
    OPTIONAL { ?credit cg:quote ?quote }
    OPTIONAL { ?credit cg:locator ?locator }
    OPTIONAL { ?source schema:url ?sourceUrl }
    OPTIONAL { ?credit cg:character ?character }
    OPTIONAL { ?credit cg:date ?date }
    OPTIONAL { ?credit cg:debut ?debut }
    OPTIONAL { ?credit cg:instrument ?instrument }
    OPTIONAL { ?credit cg:editorsInference ?inference }
    BIND ("credit" AS ?kind)"""


def _names(inner: str) -> str:
    """A branch with the name triples of every ?x the pattern ``inner`` finds."""
    return f"""{{
    {{ SELECT DISTINCT ?x WHERE {{ VALUES ?entity {{}} {inner} }} }}
    ?x ?p ?o . FILTER (?p IN ({NAME_PREDICATES}))
  }}"""


_AS_AGENT = "?credit cg:agent ?entity ."
_AS_WORK = "?credit cg:work ?entity ."
_CREDIT_NAMES = [_names("?c cg:agent ?entity ; a cg:Credit ; cg:agent|cg:work|cg:character ?x ."),
                 _names("?c cg:work ?entity ; a cg:Credit ; cg:agent|cg:work|cg:character ?x .")]

#: Credits of ?entity (as agent or as work), with every name they need.
CREDITS = "SELECT * WHERE {\n  " + "\n  UNION ".join(
    [f"{{ VALUES ?entity {{}} {_AS_AGENT}{_CREDIT}\n  }}", f"{{ VALUES ?entity {{}} {_AS_WORK}{_CREDIT}\n  }}",
     *_CREDIT_NAMES]) + "\n}"

#: The works of the agent ?entity (its own credits), with every name they need.
WORKS = "SELECT * WHERE {\n  " + "\n  UNION ".join(
    [f"{{ VALUES ?entity {{}} {_AS_AGENT}{_CREDIT}\n  }}", _CREDIT_NAMES[0]]) + "\n}"

_SHARED_TAIL = """
    OPTIONAL { ?credit cg:quote ?quote }
    OPTIONAL { ?credit cg:locator ?locator }
    OPTIONAL { ?source schema:url ?sourceUrl }
    OPTIONAL { ?credit cg:editorsInference ?inference }
    BIND ("shared" AS ?kind)"""
_MINE = """{ %s
    ?credit cg:agent ?entity ; a cg:Credit ; cg:work ?work ; cg:role ?role ; cg:source ?source .
    ?theirs cg:work ?work ; a cg:Credit ; cg:agent ?other ; cg:role ?r2 .
    FILTER (?other != ?entity && !(?role = role:guest && ?r2 = role:guest))
    BIND (?entity AS ?creditAgent)""" + _SHARED_TAIL + "\n  }"
_THEIRS = """{ %s
    ?mine cg:agent ?entity ; a cg:Credit ; cg:work ?work ; cg:role ?r1 .
    ?credit cg:work ?work ; a cg:Credit ; cg:agent ?other ; cg:role ?role ; cg:source ?source .
    FILTER (?other != ?entity && !(?r1 = role:guest && ?role = role:guest))
    BIND (?other AS ?creditAgent)""" + _SHARED_TAIL + "\n  }"

#: Collaborators of the agent ?entity: each shared work and the credits behind it, with every name.
COLLABORATORS = "SELECT * WHERE {\n  " + "\n  UNION ".join(
    [_MINE % "VALUES ?entity {}", _THEIRS % "VALUES ?entity {}",
     _names("?m cg:agent ?entity ; cg:work ?w . ?t cg:work ?w ; cg:agent ?x ."),
     _names("?m cg:agent ?entity ; cg:work ?x .")]) + "\n}"

_FACT_TAIL = """
    OPTIONAL { ?fact cg:quote ?quote }
    OPTIONAL { ?fact cg:locator ?locator }
    OPTIONAL { ?source schema:url ?sourceUrl }
    OPTIONAL { ?fact cg:editorsInference ?inference }"""
_CLAIMS = [
    """{ VALUES ?entity {}
    ?fact cg:about ?entity ; a cg:Claim ; cg:property ?property ; cg:value ?value ; cg:source ?source .
    OPTIONAL { ?fact cg:claimedBy ?claimedBy }
    BIND ("claim" AS ?kind)""" + _FACT_TAIL + "\n  }",
    """{ VALUES ?entity {}
    ?fact cg:member ?entity ; a cg:Membership ; cg:group ?value ; cg:source ?source .
    OPTIONAL { ?fact cg:startDate ?start }
    OPTIONAL { ?fact cg:endDate ?end }
    BIND ("member" AS ?kind)""" + _FACT_TAIL + "\n  }",
    """{ VALUES ?entity {}
    ?fact cg:group ?entity ; a cg:Membership ; cg:member ?value ; cg:source ?source .
    OPTIONAL { ?fact cg:startDate ?start }
    OPTIONAL { ?fact cg:endDate ?end }
    BIND ("group" AS ?kind)""" + _FACT_TAIL + "\n  }",
    # names of the claims' values (entities, or concepts such as a genre) and claimants
    _names("{ ?f cg:about ?entity ; cg:value|cg:claimedBy ?x } UNION { ?f cg:member ?entity ; cg:group ?x } "
           "UNION { ?f cg:group ?entity ; cg:member ?x } FILTER (isIRI(?x))").replace(
               f"FILTER (?p IN ({NAME_PREDICATES}))", f"FILTER (?p IN ({NAME_PREDICATES}, skos:prefLabel))"),
]

#: One entity as `collabgraph entity` shows it: its names, credits and claims, with every name they need.
ENTITY = "SELECT * WHERE {\n  " + "\n  UNION ".join(
    [f"{{ VALUES ?entity {{}} ?entity ?p ?o . FILTER (?p IN ({NAME_PREDICATES})) BIND (?entity AS ?x) }}",
     f"{{ VALUES ?entity {{}} {_AS_AGENT}{_CREDIT}\n  }}", f"{{ VALUES ?entity {{}} {_AS_WORK}{_CREDIT}\n  }}",
     *_CREDIT_NAMES, *_CLAIMS]) + "\n}"


def path_query(nodes: list[str]) -> str:
    """The explanation of a path (its node IRIs in order): the shared works of
    each collaboration hop with the credits behind them, the quotes of each
    membership hop, and every name. The hops are given as VALUES pairs."""
    pairs = " ".join(f"({ox.NamedNode(a)} {ox.NamedNode(b)})" for a, b in zip(nodes, nodes[1:]))
    values = f"VALUES (?entity ?other) {{ {pairs} }}"
    people = " ".join(str(ox.NamedNode(n)) for n in nodes)
    membership = """{ %s
    ?fact a cg:Membership ; cg:member ?m ; cg:group ?g .
    FILTER ((?m = ?entity && ?g = ?other) || (?m = ?other && ?g = ?entity))
    BIND ("membership" AS ?kind)""" + _FACT_TAIL + "\n  }"
    branches = [_MINE % values, _THEIRS % values, membership % values,
                f"{{ VALUES ?x {{ {people} }} ?x ?p ?o . FILTER (?p IN ({NAME_PREDICATES})) }}",
                f"""{{ {{ SELECT DISTINCT ?x WHERE {{ {values}
      ?m cg:agent ?entity ; cg:work ?x . ?t cg:work ?x ; cg:agent ?other . }} }}
    ?x ?p ?o . FILTER (?p IN ({NAME_PREDICATES}))
  }}"""]
    return "SELECT * WHERE {\n  " + "\n  UNION ".join(branches) + "\n}"


def text(query: str, iri: str | None = None) -> str:
    """The query with its prefixes and ?entity's VALUES blocks filled, ready for raw pyoxigraph."""
    return sparql_prologue() + (fill_values(query, entity=[ox.NamedNode(iri)]) if iri else query)


def run(store: ox.Store, query: str) -> list[dict[str, Any]]:
    """Every row of ``query`` on a raw pyoxigraph store, as a dict of the bound values:
    what any client does with an answer (the timed part of a hand query)."""
    result = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: t for n, t in zip(names, row) if t is not None} for row in result]


# -- the same facts from both sides ----------------------------------------------------------

def _labels(rows: list[dict]) -> dict[str, dict]:
    """Per ?x, what the name branches said: label (the API's choice), types, release date."""
    by: dict[str, dict] = defaultdict(lambda: {"labels": {}, "types": set(), "release": [], "aliases": set(),
                                               "pref": None})
    for r in rows:
        if "x" not in r or "p" not in r:
            continue
        d, p, o = by[r["x"].value], curie(r["p"].value), r["o"]
        if p == "rdfs:label":
            d["labels"].setdefault(getattr(o, "language", None) or "", o.value)
        elif p == "skos:altLabel":
            d["aliases"].add(o.value)
        elif p == "rdf:type" and o.value.startswith(PREFIXES["cg"]):
            d["types"].add(curie(o.value))
        elif p == "cg:releaseDate":
            d["release"].append(o.value)
        elif p == "skos:prefLabel" and d["pref"] is None:
            d["pref"] = o.value
    return by


def _label(names: dict, iri: str | None) -> str | None:
    if iri is None:
        return None
    ls = names[iri]["labels"] if iri in names else {}
    return ls.get("en") or ls.get("") or next(iter(ls.values()), None) or curie(iri)


def _value(t: Any) -> str | None:
    return None if t is None else t.value


def _facts(rows: list[dict], kinds: tuple[str, ...], key: str) -> tuple[dict[str, dict], dict[str, set]]:
    """The first row of each fact of these kinds (keyed by the variable ``key``), and each fact's quotes."""
    quotes: dict[str, set] = defaultdict(set)
    first: dict[str, dict] = {}
    for r in rows:
        if r.get("kind") is not None and r["kind"].value in kinds:
            first.setdefault(r[key].value, r)
            if "quote" in r:
                quotes[r[key].value].add(r["quote"].value)
    return first, quotes


def hand_credits(rows: list[dict]) -> set[tuple]:
    names = _labels(rows)
    first, quotes = _facts(rows, ("credit",), "credit")
    out = set()
    for c, r in first.items():
        work = r["work"].value
        release = min(names[work]["release"], default=None) if work in names else None
        out.add((c, r["agent"].value, _label(names, r["agent"].value), work, _label(names, work),
                 curie(r["role"].value).split(":", 1)[-1], _label(names, _value(r.get("character"))),
                 _value(r.get("date")), release, tuple(sorted(quotes[c])), r["source"].value,
                 _value(r.get("sourceUrl")), _value(r.get("inference"))))
    return out


def api_credits(credits: list) -> set[tuple]:
    return {(c.iri, c.agent.iri, c.agent.label, c.work.iri, c.work.label, c.role,
             c.character.label if c.character else None, c.date, c.released, tuple(sorted(c.quotes)),
             c.source, c.source_url, c.editors_inference) for c in credits}


def _hand_shared(rows: list[dict], names: dict) -> set[tuple]:
    quotes: dict[tuple, set] = defaultdict(set)
    for r in rows:
        if r.get("kind") is not None and r["kind"].value == "shared":
            key = (r["entity"].value, r["other"].value, r["work"].value, _label(names, r["work"].value),
                   r["credit"].value, r["creditAgent"].value, _label(names, r["creditAgent"].value),
                   curie(r["role"].value).split(":", 1)[-1], r["source"].value)
            quotes[key]  # noqa: B018 (a credit without quotes still counts)
            if "quote" in r:
                quotes[key].add(r["quote"].value)
    return {(*k, tuple(sorted(q))) for k, q in quotes.items()}


def hand_collaborators(rows: list[dict]) -> set[tuple]:
    names = _labels(rows)
    return {(other, _label(names, other), *rest) for _, other, *rest in _hand_shared(rows, names)}


def api_collaborators(agent: str, collaborators: list) -> set[tuple]:
    return {(c.agent.iri, c.agent.label, sw.work.iri, sw.work.label, cr.iri, cr.agent.iri, cr.agent.label,
             cr.role, cr.source, tuple(sorted(cr.quotes)))
            for c in collaborators for sw in c.works for cr in sw.credits}


def hand_claims(rows: list[dict]) -> set[tuple]:
    names = _labels(rows)
    first, quotes = _facts(rows, ("claim", "member", "group"), "fact")
    out = set()
    for f, r in first.items():
        kind = r["kind"].value
        prop = {"member": "cg:memberOf", "group": "cg:member"}.get(kind) or curie(r["property"].value)
        v = r["value"]
        if isinstance(v, ox.NamedNode):
            d = names.get(v.value)
            shown = _label(names, v.value) if d and d["types"] else (d["pref"] or _label(names, v.value)) if d \
                else curie(v.value)
            value = curie(v.value)
        else:
            value, shown = v.value, v.value
        out.add((f, prop, value, shown, tuple(sorted(quotes[f])), r["source"].value,
                 _label(names, _value(r.get("claimedBy")))))
    return out


def api_claims(claims: list) -> set[tuple]:
    return {(c.iri, c.property, str(c.value), c.value_label.split(" (")[0] if c.kind == "Membership" else c.value_label,
             tuple(sorted(c.quotes)), c.source, c.claimed_by.label if c.claimed_by else None) for c in claims}


def hand_entity(iri: str, rows: list[dict]) -> dict:
    names = _labels(rows)
    d = names[iri]
    return {"label": _label(names, iri), "labels": d["labels"], "aliases": sorted(d["aliases"]),
            "types": sorted(d["types"]), "credits": hand_credits(rows), "claims": hand_claims(rows)}


def api_entity(e: Any, credits: list, claims: list) -> dict:
    return {"label": e.label, "labels": e.labels, "aliases": sorted(e.aliases), "types": sorted(e.types),
            "credits": api_credits(credits), "claims": api_claims(claims)}


def hand_path(rows: list[dict]) -> dict:
    names = _labels(rows)
    memberships: dict[tuple, set] = defaultdict(set)
    for r in rows:
        if r.get("kind") is not None and r["kind"].value == "membership":
            memberships[(r["entity"].value, r["other"].value)]  # noqa: B018
            if "quote" in r:
                memberships[(r["entity"].value, r["other"].value)].add(r["quote"].value)
    return {"shared": _hand_shared(rows, names), "memberships": {k: tuple(sorted(v)) for k, v in memberships.items()},
            "labels": {x: _label(names, x) for x in names}}


def api_path(hops: list) -> dict:
    shared = {(h.source.iri, h.target.iri, sw.work.iri, sw.work.label, cr.iri, cr.agent.iri, cr.agent.label,
               cr.role, cr.source, tuple(sorted(cr.quotes)))
              for h in hops if h.kind == "collaboration" for sw in h.works for cr in sw.credits}
    labels = {e.iri: e.label for h in hops for e in (h.source, h.target)}
    labels |= {sw.work.iri: sw.work.label for h in hops for sw in h.works}
    return {"shared": shared, "memberships": {(h.source.iri, h.target.iri) for h in hops if h.kind == "membership"},
            "labels": labels}
