"""The linking policy for mentions: when a name found in an article is linked to an entity of the
graph, only suggested, or left alone (other spellings, shared names and namesakes, names owned
elsewhere, corroboration, guesses withheld)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterable

from ..core.names import search_key
from .candidates import Candidate, Mention
from .known import KnownNames
from .mentions import DESCRIPTION_WINDOW, guess_type
from .spans import kind as _kind, vocab


def other_spellings(mentions: list[Mention]) -> list[Mention]:
    """A name only close to an entity that the same article also names exactly
    ("Cha Eun-suk — no relation to the director Cha Eun-seok") is someone
    else: that entity is no suggestion for it."""
    exact = {m.link for m in mentions if m.link and m.method in ("alias", "normalised")}
    out = []
    for m in mentions:
        if m.link is None and m.method == "fuzzy" and m.suggestions and all(s[2] < 100 for s in m.suggestions):
            left = tuple(s for s in m.suggestions if s[0] not in exact)
            if len(left) != len(m.suggestions):
                m = replace(m, suggestions=left, method="fuzzy" if left else "new", score=left[0][2] if left else None)
        out.append(m)
    return out


#: How close, character by character (rapidfuzz ``ratio`` of the folded names, 0-100), a name must be to one
#: of a known entity's names for the entity to be suggested for it as another spelling of it.
SPELLING = 75


def close_spellings(mentions: list[Mention], known: KnownNames, text: str = "") -> list[Mention]:
    """A fuzzy suggestion (below 100) stays only when it is another spelling of the name as a whole:
    "Park Seo Jun" for Park Seo-joon, "Soyu" for Soyou, "Choi Woo-sik" for Choi Woo-shik. A name that
    only shares a part with the known one is someone or something else, which the finder's word-level
    score rates as high (85-90): "Lee Hi" is not Lee Min-ho, "Jung Jin-young" not Jin, "Park Geon" not
    Park Hyung-sik, "Love Beyond Words" not the "Love wins all behind-the-scenes video". A wrong
    suggestion is the one a reviewer accepts by default: a wrong merge. A shortened title stays
    suggested ("Love Wins" for "Love wins all", ratio 84: a person confirms which work it is).

    An entity goes when none of its names is within :data:`SPELLING` of the mention's and the article
    (``text``, its headline included) does not name it in full elsewhere ("Jin" after a headline naming
    "Jin So-yul" stays a suggestion of her); a mention left with no suggestion is a new name (a title when it is
    quoted and the entities it was like were all works)."""
    from rapidfuzz import fuzz

    out = []
    for m in mentions:
        if m.link is None and m.method == "fuzzy" and m.suggestions and any(s[2] < 100 for s in m.suggestions):
            key = search_key(m.text)

            def spelt_so(iri: str) -> bool:
                names = known.names_of(iri) or [known.label(iri)]
                return any(fuzz.ratio(key, search_key(name)) >= SPELLING for name in names) or any(
                    len(name) > len(m.text) and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)
                    for name in names)

            left = tuple(s for s in m.suggestions if s[2] >= 100 or spelt_so(s[0]))
            if len(left) != len(m.suggestions):
                gone = [s[0] for s in m.suggestions if s not in left]
                # a quoted name the finder found like works only is a title ("‘The Lion King: The Gift’" is no one
                # who features on an album); unquoted, a name like "M.I.A." may be anyone's
                quoted = bool(re.search(r"[“‘\"']\s*(?:(?:The|A|An)\s+)?$", text[max(0, m.start - 6):m.start]))
                works = quoted and all(any(vocab().is_work_class(t) for t in known.types(iri)) for iri in gone)
                m = replace(m, suggestions=left, method="fuzzy" if left else "new", score=left[0][2] if left else None,
                            label=m.label or m.text, type=m.type or ("Work" if works and not left else None))
        out.append(m)
    return out


def _near_words(text: str, m: Mention) -> str:
    """The few words just before a mention in its sentence ("producer and DJ") and an
    apposition just after it (", the DJ and producer")."""
    before = re.split(r"(?<=[.!?\n])\s", text[max(0, m.start - 30):m.start])[-1]
    before = " ".join(before.split()[-3:])
    after = re.match(r",\s+(?:the|a|an)\s+([^,.;:]{1,40})", text[m.end:m.end + 50])
    return before + " " + (after.group(1) if after else "")


def rank_shared(text: str, mentions: list[Mention], known: KnownNames) -> list[Mention]:
    """A name several entities share stays unlinked, but its suggestions come in the
    order the article's own words support: first an entity the same article names
    by a name only it holds ("Kim Ha-neul, ... better known as DJ Haneul"), then the
    one whose name is spelt exactly as written ("EDEN" the band, "Eden" the singer).
    Only the order changes: a person still picks."""
    named = {m.link for m in mentions if m.link and m.method in ("alias", "normalised")}

    def shared(m: Mention) -> bool:
        return m.link is None and len(m.suggestions) > 1 and m.method == "fuzzy" and all(
            s[2] >= 100 for s in m.suggestions)

    # the words next to a mention that one owner's other names hold ("DJ Kim Ha-neul", "Kim Ha-neul,
    # the DJ", where one Kim Ha-neul is also "DJ Haneul"): that owner; one article, one person of the name
    cued: dict[str, set[str]] = {}
    for m in mentions:
        if shared(m):
            near = set(re.findall(r"[\w-]+", _near_words(text, m)))
            own = set(search_key(w) for w in m.text.split())
            for iri, _, _ in m.suggestions:
                words = {search_key(w) for name in known.names_of(iri) for w in name.split()} - own
                if words & {search_key(w) for w in near}:
                    cued.setdefault(m.text, set()).add(iri)
    out = []
    for m in mentions:
        if shared(m):
            exact = {iri for iri, name in known.named(search_key(m.text)) if name == m.text}
            cue = cued.get(m.text, set()) if len(cued.get(m.text, ())) == 1 else set()
            m = replace(m, suggestions=tuple(sorted(m.suggestions, key=lambda s: (s[0] not in named, s[0] not in cue,
                                                                                     s[0] not in exact))))
        out.append(m)
    return out


def shared_names(mentions: list[Mention], known: KnownNames, vocab: Any) -> list[Mention]:
    """A name several entities share ("Luna": a singer and a film) keeps all
    of them as suggestions, never a link; when the article's words around its
    mentions agree on one kind ("singer Luna"), every mention of the name
    takes that kind and lists the entities of that kind first."""
    kinds: dict[str, set[str]] = {}
    for m in mentions:
        if m.link is None and len(m.suggestions) > 1 and m.type:
            kinds.setdefault(m.text, set()).add(m.type)  # "EDEN" the band says nothing of "Eden"
    out = []
    for m in mentions:
        ts = {m.type} if m.type else kinds.get(m.text, set())
        if m.link is None and len(m.suggestions) > 1 and len(ts) == 1:
            t = next(iter(ts))
            from .parse import family

            fit = [x for x in m.suggestions if any(family(u) == family(t) for u in known.types(x[0]))]
            if fit:
                m = replace(m, type=t, suggestions=tuple(fit + [x for x in m.suggestions if x not in fit]))
        out.append(m)
    return out


def unguessed(m: Mention, here: Iterable[Mention], known: KnownNames) -> Mention:
    """``m``, or a suggestion in its place when its automatic link rests on thin or
    conflicting evidence (a wrong link is worse than a missed fact), whatever made it:

    - its words fold (:func:`search_key`) to a name two or more entities hold
      ("EDEN" the band, "Eden" the singer), even when one is spelt exactly so;
    - it is a character, and ``here`` does not show it in one of the works the graph
      gives it: a name is no evidence across works ("Ji-hye" of one video in an
      article about a drama).

    :param here: the mentions around ``m`` (its sentence and the ones just before,
        or its candidate's slots) that say which work it is about."""
    if m.link is None:
        return m
    owners = known.owners(m.text) if m.method != "description" or m.text[:1].isupper() else []
    if len(owners) < 2 and ("Character" not in known.types(m.link) or _in_its_work(m, here, known)):
        return m
    iris = [m.link] + [iri for iri in owners if iri != m.link]
    return replace(m, link=None, method="fuzzy", score=100.0, label=m.text,
                   suggestions=tuple((iri, known.label(iri), 100.0) for iri in iris))


def _in_its_work(m: Mention, here: Iterable[Mention], known: KnownNames) -> bool:
    """Whether the works named around a character's mention are its own: one of the
    works the graph gives it (or the song of such a music video) is linked there,
    and no other work is named there at all."""
    works = set(known.works_of_character(m.link)) if m.link else set()
    works |= known.songs_of(works)
    named = [x for x in here if x is not m and _kind(x) == "work"]
    return bool(named) and all(x.link in works for x in named)


def no_guesses(mentions: list[Mention], sents: list[tuple[str, int, int]], known: KnownNames) -> list[Mention]:
    """:func:`unguessed` for every mention, with the mentions of its sentence and
    the :data:`DESCRIPTION_WINDOW` sentences before it as context."""
    out = []
    for m in mentions:
        i = next((k for k, (_, ss, se) in enumerate(sents) if ss <= m.start < se), None)
        if m.link is None or i is None:
            out.append(m)
            continue
        first, last = sents[max(0, i - DESCRIPTION_WINDOW)][1], sents[i][2]
        out.append(unguessed(m, [x for x in mentions if first <= x.start and x.end <= last], known))
    return out


def corroborated_links(mentions: list[Mention], known: KnownNames) -> set[str]:
    """The entities the article links by name that something else in it
    corroborates: another entity it links is tied to it by a fact of the graph
    (V's group BTS, a song V is credited on), or shares such a neighbour with
    it (IU and V, both credited on one song). A name alone is thin evidence:
    titles are reused all the time ("Friends", "Wolf"), and two people can
    share a full name. Ties between mentions of one entity do not count.

    Returns the linked entities that are corroborated."""
    linked = {m.link for m in mentions if m.link}
    named = {m.link for m in mentions if m.link and m.method != "description"}
    out = set()
    for e in linked:
        near = known.neighbours(e)
        if any(n != e and (n in near or near & known.neighbours(n)) for n in named):
            out.add(e)
    return out


#: Names of the graph's entities that are also everyday abbreviations, which an article may use as a
#: modifier: "BTS footage", "BTS photos" are behind-the-scenes material (and may be BTS's own).
ABBREVIATIONS = {"BTS": "behind the scenes"}
_MODIFIED = re.compile(r"[ \t]+(?:footage|photos?|pictures?|pics?|clips?|videos?|cuts?|shots?|stills?|reels?|"
                       r"content|scenes?|making|film|vlogs?|images?)\b")


def abbreviation_uses(text: str, mentions: Iterable[Mention]) -> frozenset[int]:
    """Where a linked name is written as an everyday abbreviation before the noun it
    qualifies ("they showed BTS footage from the MV shoot"): the words do not tell the
    group from "behind the scenes", so the link is only suggested, whatever else the
    article names (a wrong automatic link is worse than a missed one)."""
    return frozenset(m.start for m in mentions if m.link is not None and text[m.start:m.end] in ABBREVIATIONS
                     and _MODIFIED.match(text, m.end))


def alone(m: Mention, corroborated: set[str], known: KnownNames, uncertain: frozenset[int] = frozenset()) -> Mention:
    """``m``, or a suggestion of the entity it links when nothing else in the
    article corroborates that link (:func:`corroborated_links`), or when its words
    are ``uncertain`` (:func:`abbreviation_uses`): a person confirms it in review
    with one choice; a wrong automatic link is worse than a missed one."""
    if m.link is None or m.method == "person" or m.link in corroborated and m.start not in uncertain:
        return m
    suggestion = ((m.link, known.label(m.link), 100.0),)
    if m.method == "description":  # "the K-drama": it stands for what the name it follows is proposed as
        return replace(m, link=None, label=m.label or m.text, suggestions=suggestion)
    return replace(m, link=None, method="fuzzy", score=100.0, label=m.text, suggestions=suggestion)


#: "The title shares its name with a 2023 song by V", "not to be confused with the film by X"
_NAMESAKE = re.compile(r"\bshares? (?:its|their|a|the) (?:name|title) with\b|\bnot to be confused with\b|"
                       r"\bthe same (?:name|title) as\b", re.I)


def namesakes(sents: list[tuple[str, int, int]], mentions: list[Mention], known: KnownNames) -> list[Mention]:
    """A known work the article says its subject only shares a name with ("The title shares
    its name with a 2023 song by V"): the graph's work credited to the agent named there
    is the other one, so the article's mentions of that name are a new work (the article
    itself says they are not the known one)."""
    others: set[str] = set()
    for sent, ss, _se in sents:
        cue = _NAMESAKE.search(sent)
        # the namesake is a work by someone: "... with a 2023 song by V" (not "with BTS member V")
        by = cue and re.match(r"\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?(?:song|single|track|album|film|movie|drama|"
                              r"series|show|ballad|record)\s+by\s+", sent[cue.end():], re.I)
        if not by:
            continue
        at = ss + cue.end() + by.end()
        agents = {m.link for m in mentions if m.start == at and m.link and _kind(m) == "agent"}
        others |= known.works_crediting(agents)
    if not others:
        return mentions
    return [m if m.link not in others else
            replace(m, link=None, suggestions=(), type=None if m.type == "Work" else m.type) if m.method == "description"
            else replace(m, link=None, method="new", score=None, label=m.text, suggestions=())
            for m in mentions]


#: Words right before a title that make it another work than one already known by that name: "the upcoming
#: Disney remake ‘The Lion King’", "the 2019 remake of The Lion King", "the live-action Mulan", "a new version
#: of W", "the Hindi version of W", "a reboot of W".
_REMADE_BEFORE = re.compile(r"\b(?:remake|remade|reboot|re-?imagining|live[- ]action|(?:new|Hindi|English|English-language|"
                            r"Korean|American|Chinese|Japanese|US|U\.S\.) (?:version|adaptation))(?: of)?"
                            r"(?: (?:the|[A-Z][\w-]*['’]s?|[a-z-]+ (?:film|movie|series|drama|musical))){0,2}[ “\"‘']*$")
#: ... or right after it: "The Lion King remake", "the Mulan reboot".
_REMADE_AFTER = re.compile(r"[”\"’']?,? (?:remake|reboot|re-?imagining)\b")
#: A year right before the title, after an article ("the 2019 The Lion King", "the 2019 film Mulan"; not "In
#: 2020 The Lion King won", when something happened), or in brackets after it ("Mulan (2020)").
_YEAR_BEFORE = re.compile(r"\b(?:[Tt]he|[Aa]|[Aa]n|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir) ((?:19|20)\d\d)(?: [a-z-]+){0,2} [“\"‘']?$")
_YEAR_AFTER = re.compile(r"[”\"’']? \(((?:19|20)\d\d)\)")


def remakes(text: str, sents: list[tuple[str, int, int]], mentions: list[Mention], known: KnownNames) -> list[Mention]:
    """A known work's name its own words mark as another work of that name (a remake, a live-action or new
    version, a year that is not the known work's year of release): the graph's work is the namesake, not
    this one, so the article's mentions of it (and the descriptions standing for it) are a new work, neither
    linked nor suggested; the reviewer may still link it by hand."""
    others: set[str] = set()
    for m in mentions:
        iris = [m.link] if m.link else [x[0] for x in m.suggestions]
        if m.method == "description" or not iris or _kind(m) not in ("work", "unknown"):
            continue
        sent = next((ss for _, ss, se in sents if ss <= m.start < se), 0)
        before, after = text[max(sent, m.start - 80):m.start], text[m.end:m.end + 20]
        years = {y.group(1) for y in (_YEAR_BEFORE.search(before), _YEAR_AFTER.match(after)) if y}
        for iri in iris:
            if _REMADE_BEFORE.search(before) or _REMADE_AFTER.match(after) or years and (
                    known.release_years(iri) and not years & known.release_years(iri)):
                others.add(iri)
    if not others:
        return mentions
    return [m if not ({m.link} | {x[0] for x in m.suggestions}) & others else
            replace(m, link=None, suggestions=(), type=None if m.type == "Work" else m.type)
            if m.method == "description"
            else replace(m, link=None, method="new", score=None, label=m.text, suggestions=())
            for m in mentions]


def owned_elsewhere(text: str, mentions: list[Mention], known: KnownNames) -> list[Mention]:
    """A known work named as another agent's ("EDEN’s “Love Me Again”" when the graph's
    "Love Me Again" is V's): conflicting evidence, so a suggestion, never a link."""
    out = []
    for k, m in enumerate(mentions):
        owner = mentions[k - 1] if k else None
        credited = known.credited_on(m.link) if m.link else None
        if owner is not None and credited and m.method != "description" and _kind(owner) in ("agent", "unknown") \
                and re.fullmatch(r"['’]s?\s*[“\"‘']?", text[owner.end:m.start]) and owner.link not in credited:
            m = replace(m, link=None, method="fuzzy", score=100.0, label=m.text,
                        suggestions=((m.link, known.label(m.link), 100.0),) if m.link else ())
        out.append(m)
    return out


#: Kinds of work no title is shared across by one work: a song and a TV series named "Friends",
#: a film and a series named "Wolf" are two works.
_WORK_FAMILIES = ({"Song", "Single", "Recording", "Release", "MusicVideo"}, {"Album"}, {"Video", "SocialMediaPost"},
                  {"Film"}, {"TVSeries", "KDrama", "WebSeries", "TalkShow", "Channel", "VarietyShow", "Podcast",
                             "RadioShow"})


def _family(type_: str) -> int | None:
    return next((k for k, f in enumerate(_WORK_FAMILIES) if type_ in f), None)


def other_kinds(text: str, mentions: list[Mention], known: KnownNames) -> list[Mention]:
    """A title the words around it give a kind of work ("the new single Friends", "the
    series Wolf") that the graph's work of that name is not (a TV series, a film):
    conflicting evidence, so that work is neither linked nor suggested, and the
    mention is a new work of the kind the article gives."""
    out = []
    for m in mentions:
        iris = [m.link] if m.link else [x[0] for x in m.suggestions]
        if not iris or m.method in ("description", "person"):
            out.append(m)
            continue
        quoted = m.start > 0 and text[m.start - 1] in "\"“‘" and text[m.end:m.end + 1] in ("\"", "”", "’")
        before, after = text[max(0, m.start - 60):m.start], text[m.end:m.end + 40]
        cue = guess_type(m.text, before[:-1] if quoted else before, after[1:] if quoted else after, quoted)
        family = _family(cue) if cue else None
        if family is None:
            out.append(m)
            continue
        clash = {iri for iri in iris
                 if (fams := {_family(t) for t in known.types(iri)} - {None}) and family not in fams}
        if not clash:
            out.append(m)
        elif m.link or len(clash) == len(iris):
            out.append(replace(m, link=None, method="new", score=None, label=m.text, suggestions=(), type=cue))
        else:
            out.append(replace(m, suggestions=tuple(x for x in m.suggestions if x[0] not in clash)))
    return out


#: Roles only a piece of music has (a film has a composer, a songwriter of its theme), and roles only a film
#: or a series has (a music video has a director and cameos, so those say nothing of the kind).
_MUSIC_ROLES = {"performer", "featuredArtist", "vocalist", "remixer"}
_SCREEN_ROLES = {"actor", "screenwriter"}
_MUSIC_FAMILIES, _SCREEN_FAMILIES = {0, 1}, {3, 4}


def _families(types: Iterable[str | None]) -> set[int]:
    return {f for t in types if t and (f := _family(t)) is not None}


def _coarse(fams: set[int]) -> set[str]:
    """Music (a song or an album: "the record" is either), videos, or the screen."""
    return {"music" if f in _MUSIC_FAMILIES else "screen" if f in _SCREEN_FAMILIES else "video" for f in fams}


#: Works with a cast and a song both: a music video, a video (IU and V act in the "Love wins all" video).
_BOTH = {"MusicVideo", "Video", "SocialMediaPost"}


def _role_refutes(role: str | None, types: Iterable[str | None]) -> bool:
    """Whether a credit's role is one a work of these types cannot have (an actor of a song, a performer
    of a film); a music video can have both."""
    types = [t for t in types if t]
    if not types or set(types) & _BOTH:
        return False
    fams = _families(types)
    return bool(fams) and (role in _MUSIC_ROLES and not fams & _MUSIC_FAMILIES
                           or role in _SCREEN_ROLES and not fams & _SCREEN_FAMILIES)


def _namesake(c: Candidate, iri: str, named: set[str], known: KnownNames) -> bool:
    """Whether the known work ``iri`` a credit's work only suggests is another work of the same name: the
    credit's role is one its kind of work cannot have (a song "released" by someone, the graph's a film), or
    the credit makes someone its performer while the graph's performers of it are others, none of them named
    in the article."""
    fams = _families(known.types(iri))
    if _role_refutes(c.role, known.types(iri)):
        return True
    if c.role != "performer" or not fams & _MUSIC_FAMILIES:
        return False
    a = c.slots["agent"]
    who = {a.link} if a.link else {x[0] for x in a.suggestions}
    credited = known.credited_on(iri)
    return bool(credited) and not who & credited and not credited & named


def namesake_works(candidates: list[Candidate], mentions: list[Mention], known: KnownNames) -> list[Candidate]:
    """The credits, each without a suggestion of a known work its own words say is another work of the same
    name (:func:`_namesake`: "Sool J and Hyun Young released “Honey”" when the graph's "Honey" is a film;
    "Lorde has released her new single “Green Light”" when the graph's is John Legend's, and the article names
    him nowhere), and without those on a description ("The drama stars A") standing for a name the article
    gives another kind of work (the song “That Woman”), or whose role the kind of work it stands for cannot
    have ("It ... stars A" where "it" is a song): the description stands for something else.

    Only a credit's own slot changes (another credit of the same words may be the one that is wrong), and only
    suggestions (a known name nothing in the article corroborates) go: a linked work stays.

    :param mentions: the article's mentions (the names it gives, and the antecedents of its descriptions)."""
    named = {iri for m in mentions for iri in ([m.link] if m.link else [x[0] for x in m.suggestions])}
    kept = []
    for c in candidates:
        w = c.slots.get("work") if c.kind == "credit" else None
        if w is None:
            kept.append(c)
            continue
        if w.method == "description" and w.label:
            before = [m for m in mentions if m.method != "description" and m.end <= w.start
                      and (m.label or m.text) == w.label and m.type]
            mine, theirs = _coarse(_families([w.type])), _coarse(_families([before[-1].type]) if before else set())
            if mine and theirs and not mine & theirs:
                continue  # "The drama stars A" after the song “That Woman”: not that song
        if w.method == "description" and w.link is None and _role_refutes(c.role, [w.type]):
            continue  # "It ... stars A and B" where "it" stood for a song: another antecedent, not that one
        gone = {iri for iri, _, score in w.suggestions if w.link is None and score >= 100
                and _namesake(c, iri, named, known)}
        if gone:
            left = tuple(x for x in w.suggestions if x[0] not in gone)
            if w.method == "description":
                w = replace(w, suggestions=left)
            else:
                w = replace(w, suggestions=left, method="fuzzy" if left else "new",
                            score=left[0][2] if left else None, label=w.label or w.text)
            c.slots = {**c.slots, "work": w}
        kept.append(c)
    return kept
