"""Entities and their names: resolving what a person typed, searching,
describing an IRI, and the labels and types of every entity at once.

>>> from collabgraph import CollabGraph
>>> r = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).reader
>>> resolve(r, "Kim Taehyung") == resolve(r, "V") == resolve(r, "id:v")
True
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable

import pyoxigraph as ox

from ..core.errors import AmbiguousEntity, EntityNotFound
from ..core.names import close_matches, search_key
from ..core.namespaces import CG_IRI, curie, expand
from ..core.queries import query_text
from ..store.local import select_values
from .nameindex import NAME_INDEX, NameIndex, index_names
from .reader import Reader
from .records import Entity

#: A term of a query row (pyoxigraph's stubs name no union of them).
Term = ox.NamedNode | ox.BlankNode | ox.Literal

__all__ = ["resolve", "search", "kind", "describe", "describe_all", "is_entity", "concept_label", "release_of",
           "names_and_types", "names_and_types_of", "name_index", "main_type"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
_CG = CG_IRI
_WIKIDATA = CG_IRI + "wikidata"
_RELEASE_DATE = CG_IRI + "releaseDate"
_GENERIC = ("cg:Entity", "cg:Agent", "cg:Work")


def main_type(types: set[str] | list[str]) -> list[str]:
    """CURIEs of classes, the most specific first (the generic ones last)."""
    return sorted(set(types), key=lambda t: (t in _GENERIC, t))


def name_index(r: Reader) -> NameIndex:
    """The build's name index if it has one, else one made from the store (once)."""
    if r.name_index is None:
        path = r.cache_dir / NAME_INDEX if r.cache_dir else None
        r.name_index = NameIndex.open(path) if path is not None and path.is_file() else index_names(r.store)
    return r.name_index


def resolve(r: Reader, name: "str | Entity", *, want: str | None = None) -> Entity:
    """Resolve a name, alias, CURIE or IRI to one entity.

    :param want: ``"agent"`` or ``"work"`` (:func:`kind`): when nothing has the
        name, suggest only entities of that kind (a command that joins agents
        should not offer a character); a name found is returned whatever it is.
    :raises EntityNotFound: with close matches as suggestions, or the names
        that contain it when there are no close ones.
    :raises AmbiguousEntity: if the name fits several entities equally well.
    """
    if isinstance(name, Entity):
        return name
    text = name.strip()
    if _has_surrogates(text):  # undecodable bytes in a file name or argument: nothing is named so
        raise EntityNotFound(_printable(text))
    iri = text if text.startswith(("http://", "https://")) else expand(text)
    if iri and _valid_iri(iri) and is_entity(r, iri):
        return describe(r, iri)
    key = search_key(text)
    index = name_index(r)
    hits = index.lookup(key) if key else []
    if len(hits) > 1:  # prefer entities whose main label (not an alias) is the name
        by_label = [h for h in hits if any(search_key(v) == key for v in describe(r, h).labels.values())]
        hits = by_label or hits
    if len(hits) == 1:
        return describe(r, hits[0])
    if hits:
        raise AmbiguousEntity(text, [str(describe(r, h)) for h in hits])
    def keep(iri: str) -> bool:
        return want is None or kind(r, describe(r, iri)) == want

    suggestions = _suggest(index, key, keep=keep)
    partial = [] if suggestions or not key else [str(e) for e in search(r, text, limit=6) if keep(e.iri)]
    raise EntityNotFound(text, suggestions, partial=partial)


def search(r: Reader, text: str, *, limit: int = 10) -> list[Entity]:
    """Entities whose names contain ``text`` (folded), best matches first."""
    key = search_key(text)
    if not key:
        return []
    scored: dict[str, float] = {}
    for e, k in name_index(r).containing(key):
        score = (2.0 if k == key else 1.0 if k.startswith(key) else 0.5) + len(key) / len(k)
        scored[e] = max(scored.get(e, 0.0), score)
    if limit <= 0 or not scored:
        return []
    # Only the entities that can reach the first ``limit`` places (those
    # scoring at least the limit-th best score) need their labels, to break
    # ties: looked up in one query, not one per name that matched.
    best = sorted(scored.values(), reverse=True)
    cut = best[min(limit, len(best)) - 1]
    described = describe_all(r, [e for e, score in scored.items() if score >= cut])
    ranked = sorted(described, key=lambda e: (-scored[e], described[e].label))
    return [described[e] for e in ranked[:limit]]


def _suggest(index: NameIndex, key: str, limit: int = 3, keep: Callable[[str], bool] | None = None) -> list[str]:
    """Close names, one (its first name, in order) per entity: the entities of the
    ten closest folded names by :func:`collabgraph.core.names.close_matches` (the
    explorer page's "did you mean" gives the same); ``keep``: which entities may be offered."""
    close = [k for k, _ in close_matches(key, index.keys(), limit=10, fold=None)]
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for k, name, iri in index.names_of(close):
        names[k].append((name, iri))
    out: dict[str, str] = {}
    for k in close:
        for name, iri in sorted(names[k]):
            if iri not in out and (keep is None or keep(iri)):
                out[iri] = f"{name} ({curie(iri)})"
    return list(out.values())[:limit]


_SUBCLASS = "ASK { ?t rdfs:subClassOf* ?top }"


def kind(r: Reader, e: Entity) -> str:
    """``"work"``, ``"agent"`` or ``"other"``, from the entity's types and the
    ontology's class tree (so a new kind of work needs no code).

    :param e: the entity, as :func:`resolve` gives it.
    """
    for name, top in (("work", CG_IRI + "Work"), ("agent", CG_IRI + "Agent")):
        for t in e.types:
            iri = expand(t)
            if iri and _valid_iri(iri) and bool(r.store.query(_SUBCLASS, {"t": ox.NamedNode(iri),
                                                                          "top": ox.NamedNode(top)})):
                return name
    return "other"


def describe(r: Reader, iri: str) -> Entity:
    """The :class:`Entity` for an IRI: labels, aliases, types, Wikidata items (memoised)."""
    cached = r.entities.get(iri)
    if cached is not None:
        return cached
    entity = _entity(iri, ((row["p"].value, row["o"]) for row in
                           r.store.select(query_text("describe"), entity=ox.NamedNode(iri))))
    r.entities[iri] = entity
    return entity


def describe_all(r: Reader, iris: "Iterable[str]") -> dict[str, Entity]:
    """:func:`describe` for many IRIs at once, and their release dates
    (:func:`release_of`): one query (in blocks of 100 values) for those not
    looked up yet, so a list of facts costs no query per row."""
    iris = set(iris)
    todo = sorted(i for i in iris if i not in r.entities or i not in r.released)
    if todo:
        found: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        for row in select_values(r.store, query_text("some-describe"), entity=[ox.NamedNode(i) for i in todo]):
            found[row["entity"].value].append((row["p"].value, row["o"]))
        for iri in todo:
            pairs = found.get(iri, [])
            if iri not in r.entities:
                r.entities[iri] = _entity(iri, pairs)
            if iri not in r.released:
                r.released[iri] = min((o.value for p, o in pairs if p == _RELEASE_DATE), default=None)
    return {i: r.entities[i] for i in iris}


def _entity(iri: str, pairs: Iterable[tuple[str, Term]]) -> Entity:
    labels: dict[str, str] = {}
    aliases: list[str] = []
    types: list[str] = []
    wikidata: list[str] = []
    for p, o in pairs:
        if p == _RDFS_LABEL:
            labels.setdefault(getattr(o, "language", None) or "", o.value)
        elif p == _ALT_LABEL:
            aliases.append(o.value)
        elif p == _RDF_TYPE and o.value.startswith(_CG):
            types.append(curie(o.value))
        elif p == _WIKIDATA:
            wikidata.append(o.value)
    label = labels.get("en") or labels.get("") or next(iter(labels.values()), None) or curie(iri)
    return Entity(iri, label, labels, tuple(sorted(set(aliases))), tuple(main_type(types)),
                  tuple(sorted(set(wikidata))))


def is_entity(r: Reader, iri: str) -> bool:
    return bool(r.store.query("ASK { ?e a ?t . ?t rdfs:subClassOf* cg:Entity }", {"e": ox.NamedNode(iri)}))


def concept_label(r: Reader, iri: str) -> str:
    for row in r.store.select("SELECT ?c ?l WHERE { ?c skos:prefLabel|rdfs:label ?l }", c=ox.NamedNode(iri)):
        return row["l"].value
    return curie(iri)


def release_of(r: Reader, iri: str) -> str | None:
    """The earliest release date claimed for a work (ISO text), if any (memoised)."""
    if iri not in r.released:
        rows = r.store.select("SELECT ?w ?d WHERE { ?w cg:releaseDate ?d }", w=ox.NamedNode(iri))
        r.released[iri] = min((row["d"].value for row in rows), default=None)
    return r.released[iri]


def names_and_types(r: Reader) -> dict[str, tuple[str, str]]:
    """``iri -> (label, type)`` for every entity, from one query (projections
    and the explorer need them for thousands of nodes at once); computed once."""
    if r.names_and_types is None:
        r.names_and_types = _names_and_types(r.store.select(query_text("entities")))
    return r.names_and_types


def names_and_types_of(r: Reader, iris: "Iterable[str]") -> dict[str, tuple[str, str]]:
    """:func:`names_and_types` of just these IRIs (those that are entities), from
    one query bound to them; from memory when every entity's are known already."""
    iris = sorted(set(iris))
    if r.names_and_types is not None:
        return {i: r.names_and_types[i] for i in iris if i in r.names_and_types}
    if not iris:
        return {}
    return _names_and_types(select_values(r.store, query_text("some-entities"), chunk=500,
                                          entity=[ox.NamedNode(i) for i in iris]))


def _names_and_types(rows: "Iterable[ox.QuerySolution]") -> dict[str, tuple[str, str]]:
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    types: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        e = row["entity"].value
        if row["type"].value.startswith(_CG):
            types[e].add(curie(row["type"].value))
        lab = row["label"]
        if lab is not None:
            labels[e].setdefault(getattr(lab, "language", None) or "", lab.value)
    out = {}
    for e, ts in types.items():
        ls = labels.get(e, {})
        label = ls.get("en") or ls.get("") or next(iter(ls.values()), None) or curie(e)
        main = main_type(ts)
        out[e] = (label, main[0].split(":", 1)[-1] if main else "Entity")
    return out


def _valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _printable(text: str) -> str:
    """``text`` with lone surrogates written as escapes, so it can be shown."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
