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

import shlex
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, TypedDict

from ..core.namespaces import curie

if TYPE_CHECKING:
    from .candidates import Candidate

__all__ = ["rule_words", "method_words", "is_shared", "type_choices", "class_label", "role_choices", "ADDED_RULE",
           "highlight", "shown", "fuzzy_message", "untyped_message", "role_words", "kinds_text"]

#: The rule of a candidate a person added ("add a fact from this sentence").
ADDED_RULE = "person"

#: Rule codes of the extractors, in words. Codes not listed are read from their parts.
_RULES = {
    ADDED_RULE: "added by a person",
    "possessive-title": "a possessive before a title (“IU’s Palette”)",
    "possessive-work": "a possessive before a kind of work and its title (“IU’s new single X”)",
    "possessive-member": "a possessive before a member (“BTS’s V”)",
    "of-group": "“X of Group”",
    "from-group": "“X from Group”",
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
    "starring": "“W, starring X”",
    "played": "“X played Character in W”",
    "cameo": "“X made a cameo in W”",
    "directed": "“X directed W”",
    "wrote": "“X wrote W”",
    "composed": "“X composed W”",
    "produced": "“X produced W”",
    "sang": "“X sang W”",
    "backing-vocals": "“X sang backing vocals on W”",
    "backing-vocals-by": "“W features backing vocals by X”",
    "joined": "“X joined Group”",
    "formed": "“X formed Group”",
    "known-as-group": "“X became the group Group”",
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
    "learned": "the learned reader (a model of sentences like this one: check it)",
    "parse-bracketed-past-work": "a past credit in brackets (“A (W) as Part”)",
    "parse-known-for": "what a person is known for (“A, known for W”)",
    "parse-fame": "“W fame A”",
    "parse-artist-title": "a song’s artist before its title (“the A hit W”, “A’s W”)",
    "parse-title-by": "“W by A”",
    "parse-own-group": "“his/her group G”",
    "parse-from-group": "“A from G” among members",
    "parse-seen-in-video": "“A in B’s W” (seen in its video)",
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
    ``known name, nothing else in the article backs it: confirm``,
    ``chosen by a person``, ``stands for IU``.

    :param m: a :class:`~.candidates.Mention`.
    :param name_of: IRI -> the entity's name (for descriptions linked to one).
    """
    if m.method == "gone":  # linked to an entity an undone accept took away (Review.current)
        return f"was: {m.label or m.text}, undone: choose again"
    if m.link is None and m.method in ("fuzzy", "description") and m.suggestions:
        if getattr(m, "proposed", None):
            from ..core.names import search_key

            whose = "" if search_key(m.suggestions[0][1]) == search_key(m.text) else f" of {m.suggestions[0][1]}"
            return f"known name{whose}, nothing else in the article backs it: confirm"
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
    """The ontology's label of a class (``TVSeries`` -> ``TV series``), or the code; a
    generic class says what nothing says, and reads as the summary counts it.

    >>> class_label("TVSeries"), class_label("Agent")
    ('TV series', 'untyped agent')
    """
    from ..views.summary import UNTYPED

    return UNTYPED.get(cls) or _labels().get(cls, cls)


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


def highlight(c: Candidate, left: str = "[", right: str = "]") -> str:
    """The candidate's sentence with its mentions marked.

    >>> from collabgraph.ingest.candidates import Article, Candidate, Mention
    >>> a = Article("a", "0" * 64)
    >>> c = Candidate.make(a, kind="membership", rule="r", sentence="V of BTS.", start=10, end=19,
    ...                    slots={"member": Mention("V", 10, 11), "group": Mention("BTS", 15, 18)})
    >>> highlight(c)
    '[V] of [BTS].'
    """
    out, at = [], c.start
    for m in sorted({(m.start, m.end) for m in c.slots.values() if c.start <= m.start <= m.end <= c.end}):
        if m[0] < at:
            continue  # overlapping mentions: the first one is marked
        out += [c.sentence[at - c.start:m[0] - c.start], left, c.sentence[m[0] - c.start:m[1] - c.start], right]
        at = m[1]
    out.append(c.sentence[at - c.start:])
    return "".join(out)


def shown(c: Candidate, name_of: Callable[[str], str]) -> dict[str, Any]:
    """What a reviewer reads of ``c``: the rule in words, each slot's words,
    the name of the entity it is (not an IRI) and how it was linked in
    words, and the fact in one line (``what``). ``name_of`` gives an entity's name."""
    slots = {}
    for slot, m in c.slots.items():
        choose = m.link is None and (m.method in ("fuzzy", "gone")
                                     or (m.method == "description" and bool(m.suggestions)))
        name = name_of(m.link) if m.link else None if choose else (m.label or m.text)
        slots[slot] = {"words": m.text if m.start >= 0 else None, "name": name,
                       "id": curie(m.link) if m.link else None,
                       "type": class_label(m.type) if m.type and m.link is None else None,
                       "how": method_words(m, name_of),
                       "suggestions": [list(x) for x in m.suggestions] if choose else [],
                       "state": "choose" if choose else "linked" if m.link else "new"}

    def cell(slot: str) -> str:
        s = slots.get(slot)
        if s is None:
            return "?"
        if s["state"] == "linked":
            return str(s["name"])
        if s["state"] == "new":
            return f"{s['name']} ({s['how']})"
        return f"{s['words']} ({s['how']})"
    if c.kind == "credit":
        extra = "".join(f", {k} {v}" for k, v in (("as", c.character), ("date", c.date)) if v)
        what = f"{cell('agent')} {role_words(c.role) if c.role else 'credited'} on {cell('work')}{extra}"
    elif c.kind == "membership":
        what = f"{cell('member')} member of {cell('group')}" + (f", from {c.date}" if c.date else "")
    elif c.kind == "claim":
        value = cell("value") if "value" in slots else c.value
        what = f"{cell('about')}: {class_label(c.property) if c.property else '?'} {value}"
    else:
        what = ", ".join(cell(s) for s in slots)
    return {"rule": rule_words(c.rule), "slots": slots, "what": what}


def fuzzy_message(c: Candidate, slots: list[str]) -> str:
    """One line: the fuzzy mentions of ``c`` a person must choose for, and how."""
    parts = []
    for slot in slots:
        m = c.slots[slot]
        close = ", ".join(f"{label} ({curie(iri)}, {score:.0f})" for iri, label, score in m.suggestions) or "none"
        first = f"--link {shlex.quote(slot + '=' + curie(m.suggestions[0][0]))} or " if m.suggestions else ""
        what = (f"was linked to {m.label or m.text}, which the graph no longer has (the accept that made it was "
                f"undone)" + (f"; the graph's entities of that name: {close}" if m.suggestions else "")
                if m.method == "gone"
                else f"is a name {len(m.suggestions)} entities share ({close})" if is_shared(m)
                else f"names {close.rsplit(', ', 1)[0]}) but nothing else in the article backs it"
                if m.proposed else f"is only a fuzzy match (close: {close})")
        parts.append(f"{slot} {m.text!r} {what}; choose with {first}--new {slot}")
    return f"candidate {c.id}: " + "; ".join(parts)


def untyped_message(c: Candidate, slots: list[str]) -> str:
    """One line: the new names of ``c`` that need a type, and how to give one."""
    names = ", ".join(f"{(c.slots[slot].label or c.slots[slot].text)!r} ({slot})" for slot in slots)
    kinds = ", ".join(t["id"] for t in type_choices() if t["kind"] == "agent")
    if c.kind == "entity":  # a name alone may be a person, a group, a label, a work, or none of them (a place, an event)
        works = ", ".join(t["id"] for t in type_choices() if t["kind"] == "work")
        return (f"candidate {c.id}: the new name {names} has no type yet: give one with '--type entity=TYPE' "
                f"({kinds}; {works}), or reject it if it names none of these (a place, an event)")
    return (f"candidate {c.id}: the new name {names} has no type yet: give one, e.g. "
            f"'--type {slots[0]}=Person' ({kinds})")


def role_words(role: str) -> str:
    """A role's label (``featuredArtist`` -> ``featured artist``)."""
    return next((r["label"] for r in role_choices() if r["id"] == role), role)


#: How a kind of candidate is counted in words (singular, plural): an entity candidate is a name.
KIND_WORDS = {"credit": ("credit", "credits"), "membership": ("membership", "memberships"),
              "claim": ("claim", "claims"), "entity": ("name", "names")}


def kinds_text(counts: dict[str, int]) -> str:
    """Counts of candidates by kind in words, facts first.

    >>> kinds_text({"credit": 2, "claim": 1, "entity": 1})
    '2 credits, 1 claim, 1 name'
    """
    order = list(KIND_WORDS)
    return ", ".join(f"{n} {KIND_WORDS.get(k, (k, k + 's'))[n != 1]}"
                     for k, n in sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 9)
                     if n)
