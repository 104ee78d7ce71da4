"""Typing names and short names: the type a noun beside a name gives it, the family of a type, and
a short name ("Min") resolved to the full name the article gave before."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..core.names import search_key
from .candidates import Mention
from .parsewords import MUSIC, SCREEN
from .spacyparse import parse_sentences
from .spans import identity

#: nouns that say what kind of entity a name next to them is
TYPE_NOUNS = {
    "group": "Group", "band": "Group", "crew": "Group", "squad": "Group", "duo": "Group", "trio": "Group",
    "unit": "Group", "quartet": "Group", "quintet": "Group",
    "film": "Film", "movie": "Film", "feature": "Film", "thriller": "Film", "documentary": "Film",
    "drama": "KDrama", "series": "TVSeries", "sitcom": "TVSeries", "show": "TVSeries", "programme": "TVSeries",
    "program": "TVSeries",
    "song": "Song", "track": "Song", "ballad": "Song", "anthem": "Song", "single": "Single", "album": "Album",
    "ep": "Album",
    "singer": "Person", "actor": "Person", "actress": "Person", "rapper": "Person", "producer": "Person",
    "director": "Person", "composer": "Person", "songwriter": "Person", "comedian": "Person", "host": "Person",
    "dancer": "Person", "choreographer": "Person", "filmmaker": "Person", "novelist": "Person",
}


def type_names(text: str, sents: list[tuple[str, int, int]], mentions: list[Mention], known: Any) -> list[Mention]:
    """Kinds of names read from the parse: ""Blue" is a sports drama", "the celebrity
    friend group, known as the Wooga Squad", ""Glass Lake," the second feature by ...".
    A name the article gives exactly one kind this way takes it on every mention that
    has none (or only "Work"); a name several entities share lists those of that kind
    first (still a suggestion, never a link)."""

    found: dict[str, set[str]] = {}
    parsed = parse_sentences(sents, mentions)
    for p, (_sent, ss, _se) in zip(parsed, sents):
        doc = p.doc
        tok: dict[int, Mention] = {}
        for t in doc:
            for m in mentions:
                if m.start < ss + p.end(t) and ss + p.start(t) < m.end and m.method != "description":
                    tok[t.i] = m
        for i, m in tok.items():
            t = doc[i]
            nouns = []
            if t.dep_ == "appos" and t.head.i not in tok:
                nouns.append(t.head)
            nouns += [c for c in t.children if c.dep_ == "appos" and c.i not in tok]
            if t.dep_ == "nsubj" and t.head.lemma_ == "be":
                nouns += [c for c in t.head.children if c.dep_ == "attr" and c.i not in tok]
            if t.dep_ == "pobj" and t.head.lower_ == "as" and t.head.head.lemma_ in ("know", "call", "name", "dub"):
                v = t.head.head
                if v.dep_ in ("acl", "relcl") and v.head.i not in tok:
                    nouns.append(v.head)
            for n in nouns:
                ty = TYPE_NOUNS.get(n.lemma_.lower())
                if ty:
                    found.setdefault(search_key(m.text), set()).add(ty)
    if not found:
        return mentions
    out = []
    for m in mentions:
        kinds = found.get(search_key(m.text), set())
        if len(kinds) == 1 and m.method != "description" and m.type in (None, "Work", "Agent"):
            # a mention whose own words say its kind ("singer Luna") keeps it
            ty = next(iter(kinds))
            if m.link is None:
                sugg = m.suggestions
                if known is not None and len(sugg) > 1:
                    fit = [x for x in sugg if any(family(u) == family(ty) for u in known.types(x[0]))]
                    sugg = tuple(fit + [x for x in sugg if x not in fit])
                m = replace(m, type=ty if m.type in (None, "Work", "Agent") else m.type, suggestions=sugg)
        out.append(m)
    return out


def family(type_: str | None) -> str | None:
    """The broad kind of a class: ``screen``, ``music``, ``agent`` (or the class itself).

    >>> family("KDrama"), family("Film"), family("Single"), family("Group")
    ('screen', 'screen', 'music', 'agent')
    """
    if type_ in SCREEN or type_ in ("TalkShow", "VarietyShow", "WebSeries"):
        return "screen"
    if type_ in MUSIC:
        return "music"
    if type_ in ("Person", "Group", "Agent"):
        return "agent"
    return type_


def _screen_fit(type_: str | None, classes: tuple[str, ...]) -> bool:
    return bool(type_) and type_ in SCREEN and bool(set(classes) & SCREEN)


def _looks_personal(text: str, m: Mention) -> bool:
    """A new name of no stated kind written as a person's full name: two or three capitalised words of
    letters ("Billy Crudup", "William H. Macy"), not in quotes. Trade papers name a person in full
    once and by surname after ("Crudup will play the lead"): the surname is that person, not another."""
    quoted = m.start > 0 and text[m.start - 1] in "\"“‘'"
    return m.type is None and m.link is None and not m.suggestions and not quoted and re.fullmatch(
        r"[A-Z][a-z]+(?:-[a-z]+)?(?: [A-Z]\.)?(?: [A-Z][a-z]+(?:-[A-Za-z][a-z]+)?){1,2}", m.text) is not None \
        and m.text.split()[-1] not in _COMPANY_WORDS


#: Last words of a company's name, never a person's surname ("Northwind Music", "Walden Media").
_COMPANY_WORDS = {"Music", "Entertainment", "Records", "Recordings", "Media", "Pictures", "Studios", "Studio", "Films",
                  "Productions", "Group", "Label", "Agency", "Company", "Network", "News", "Times", "Post", "Magazine",
                  "Radio", "Television", "TV", "Channel", "Broadcasting", "Awards", "Festival", "Theatre", "Theater"}


def resolve_short_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Short names and surnames ("Min", "Seo Joon", "Da-el") of one person
    named in full in the article take that person: linked when the full name
    is, the same new entity when it is not. Only when exactly one full name of
    the article has those words as its first or last part, or all its words
    run together ("Seojoon"); a short name of two people stays as it was."""

    # only agents' names ("IU" is no short form of the channel "IU TV"); an agent of unstated
    # kind counts (the bundled graph calls the actors the article only names cg:Agent)
    full = [m for m in mentions if m.method != "description" and (m.type in ("Person", "Agent") or _looks_personal(text, m))
            and (len(m.text.split()) >= 2 or "-" in m.text)]
    out = []
    for m in mentions:
        if m.link is not None or m.method == "description" or len(m.text.split()) > 2 or \
                m.type not in (None, "Person", "Agent"):
            out.append(m)
            continue
        # "Mr. Park" is Park: an honorific says nothing about which full name it shortens
        key = search_key(re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.? (?=[A-Z])", "", m.text))

        def owners_in(fulls: list[Mention]) -> dict[str, Mention]:
            found = {}
            for f in fulls:
                if f is m or search_key(f.text) == key:
                    continue
                parts = [search_key(p) for p in re.split(r"[\s]+", f.text)]
                given = search_key(" ".join(f.text.split()[1:]))
                if _looks_personal(text, f) and f.type is None:
                    # a full name of no stated kind: only its surname ("Crudup" of Billy Crudup), not its first
                    # word, stands for it
                    if key == parts[-1]:
                        found[identity(f)] = f
                    continue
                if key in (parts[0], parts[-1], given) or key == search_key(f.text.replace("-", "")):
                    found[identity(f)] = f
            return found

        # an antecedent comes first: "Park" before "Park Hyung-seok" is named is not him
        owners = owners_in([f for f in full if f.end <= m.start]) or owners_in(full)
        if len(owners) > 1 and m.method in ("new", "fuzzy"):
            continue  # "Park" beside Park Hyung-sik and Park Hyung-seok: nobody can say which; no name
        if len(owners) == 1 and key:
            f = next(iter(owners.values()))
            # a description of that entity: never proposed, attested or made an alias of it by itself
            out.append(replace(m, link=f.link, method="description",
                               type=f.type or "Person", label=f.label or f.text,
                               suggestions=() if f.link else f.suggestions))
        else:
            out.append(m)
    return out
