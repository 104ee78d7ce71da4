"""What a reviewer reads: plain words for the extractor's rule codes and link
methods, the ontology's own labels for classes and roles, and the choice of
types a new entity can take.

The review page and ``collabgraph review list/show`` show these instead of
codes ("possessive-title", "alias 100") and IRIs.

>>> rule_words("possessive-title")
'a possessive before a title (“IU’s Palette”)'
>>> rule_words("parse-star+hedged")
'the sentence’s grammar (“star”), hedged'
>>> rule_words("person")
'added by a person'
>>> [c["id"] for c in type_choices()][:3]
['Person', 'Group', 'Song']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TypedDict

__all__ = ["rule_words", "method_words", "is_shared", "type_choices", "class_label", "role_choices", "ADDED_RULE"]

#: The rule of a candidate a person added ("add a fact from this sentence").
ADDED_RULE = "person"

#: Rule codes of the extractors, in words. Codes not listed are read from their parts.
_RULES = {
    ADDED_RULE: "added by a person",
    "possessive-title": "a possessive before a title (“IU’s Palette”)",
    "possessive-work": "a possessive before a kind of work and its title (“IU’s new single X”)",
    "possessive-member": "a possessive before a member (“BTS’s V”)",
    "of-group": "“X of Group”",
    "member-of": "“X, a member of Group”",
    "group-member": "“Group member X”",
    "members-are": "a list of members",
    "formed-by": "“Group, formed by X”",
    "debuted-as-group": "“X debuted as Group”",
    "starred-in": "“X starred in W”",
    "work-starred": "“W starred X”",
    "as-character": "“X as Character in W”",
    "cameo-by": "“a cameo by X”",
    "appeared-in": "“X appeared in W”",
    "debuted-in": "“X debuted in W”",
    "featured-on": "“X is featured on W”",
    "featuring": "“W, featuring X”",
    "guest-on": "“X was a guest on W”",
    "also-featured": "“W, which also featured X”",
    "which-features": "“W, which features X”",
    "work-features": "“W features X”",
    "debut-with": "“X debuted with W”",
    "collaboration-between": "“a collaboration between X and Y”",
    "collaborated-on": "“X worked with Y on W”",
    "directed-by": "“W, directed by X”",
    "written-by": "“W, written by X”",
    "composed-by": "“W, composed by X”",
    "produced-by": "“W, produced by X”",
    "whose-work": "“X, whose film W”",
    "released": "“X released W”",
    "released-on": "a release date",
    "host": "“hosted by X”",
    "epithet": "a description standing for a name (“the singer”)",
    "new-name": "a name the graph does not know",
    "fuzzy-name": "a name to choose an entity for (shared or close)",
    "parse-by": "the sentence’s grammar (“by X”)",
    "parse-possessive": "the sentence’s grammar (a possessive)",
    "parse-title": "the sentence’s grammar (a title)",
    "parse-info": "an information line (“Cast: …”)",
    "parse-info-date": "an information line’s date",
    "parse-bracketed-actor": "a cast list (“Character (Actor)”)",
    "parse-list-item": "a list item",
    "parse-release": "the sentence’s grammar (a release)",
    "parse-title-member": "a title naming a member",
    "parse-members": "the sentence’s grammar (a list of members)",
}


def rule_words(rule: str) -> str:
    """A rule code as a reviewer reads it.

    :param rule: the code a candidate carries (``possessive-title``, ``parse-cameo+hedged``).
    """
    base, _, flags = rule.partition("+")
    words = _RULES.get(base)
    if words is None and base.startswith("parse-"):
        words = f"the sentence’s grammar (“{base[len('parse-'):].replace('-', ' ')}”)"
    if words is None:
        words = base.replace("-", " ").replace("_", " ")
    return words + "".join(f", {f}" for f in flags.split("+") if f)


def method_words(m: Any, name_of: Any = None) -> str:
    """How a mention was linked, in words: ``known name``, ``same name, other spelling``,
    ``close to Love wins all (90): choose``, ``shared name: choose``, ``new Person``,
    ``chosen by a person``, ``stands for IU``.

    :param m: a :class:`~.candidates.Mention`.
    :param name_of: IRI -> the entity's name (for descriptions linked to one).
    """
    if m.link is None and m.method in ("fuzzy", "description") and m.suggestions:
        if is_shared(m):
            return "shared name: choose"
        best = m.suggestions[0]
        return f"close to {best[1]} ({best[2]:.0f}): choose"
    if m.link is None:
        kind = class_label(m.type) if m.type else "entity, no type yet"
        return f"new {kind}" if m.method != "description" else f"stands for the new {m.label or m.text}"
    if m.method == "description":
        return f"stands for {name_of(m.link) if name_of else m.link}"
    return {"alias": "known name", "normalised": "same name, other spelling",
            "person": "chosen by a person", "fuzzy": "close match"}.get(m.method, m.method)


def is_shared(m: Any) -> bool:
    """Is ``m`` a name several entities of the graph have, exactly (not a close
    match)? The linker lists them all at score 100, or under that very name."""
    from ..core.names import search_key

    key = search_key(m.text)
    return m.link is None and len([s for s in m.suggestions if s[2] >= 100 or search_key(s[1]) == key]) > 1


@lru_cache(maxsize=4)
def _labels(ontology_file: str | None = None) -> dict[str, str]:
    """Local name -> English label of every class and role of the ontology."""
    import pyoxigraph as ox

    if ontology_file is None:
        from ..core.packaged import default_ontology

        ontology_file = str(default_ontology() / "collab.ttl")
    store = ox.Store()
    store.load(path=ontology_file, format=ox.RdfFormat.TURTLE)
    out: dict[str, str] = {}
    rows = store.query("""SELECT ?s ?l WHERE {
            { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } UNION
            { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }
            FILTER (LANG(?l) = "en" || LANG(?l) = "") }""")
    assert isinstance(rows, ox.QuerySolutions)
    for r in rows:
        local = r["s"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        out.setdefault(local, r["l"].value)
    return out


def class_label(cls: str) -> str:
    """The ontology's label of a class (``TVSeries`` -> ``TV series``), or the code."""
    return _labels().get(cls, cls)


#: The order a reviewer meets the types in: the common ones first.
_COMMON = ("Person", "Group", "Song", "Single", "Album", "MusicVideo", "Film", "TVSeries", "KDrama", "WebSeries",
           "TalkShow", "Video", "Channel", "Character")


class TypeChoice(TypedDict):
    """A type a reviewer may give a new entity (the page's list and the CLI's ``--type``)."""
    id: str
    label: str
    kind: str  # "agent", "work" or "character"
    group: bool


def type_choices() -> list[TypeChoice]:
    """The classes a new entity can be given, as ``{"id", "label", "kind", "group"}``
    (kind ``agent``, ``work`` or ``character``; ``group`` for groups), common ones first; the generic
    ``Agent`` and ``Work`` are left out (a person picks a real type)."""
    from ..importers.vocabulary import vocabulary

    vocab = vocabulary()
    found = [c for c in vocab.superclasses if c not in ("Agent", "Work")
             and (vocab.is_agent_class(c) or vocab.is_work_class(c) or c == "Character")]
    found.sort(key=lambda c: (_COMMON.index(c) if c in _COMMON else len(_COMMON), c))
    return [{"id": c, "label": class_label(c),
             "kind": "agent" if vocab.is_agent_class(c) else "character" if c == "Character" else "work",
             "group": "Group" in vocab.superclasses.get(c, ())}
            for c in found]


def role_choices() -> list[dict[str, str]]:
    """The roles of the scheme as ``{"id", "label"}``, by label."""
    from ..importers.vocabulary import vocabulary

    return sorted(({"id": r, "label": _labels().get(r, r)} for r in vocabulary().roles), key=lambda r: r["label"])
