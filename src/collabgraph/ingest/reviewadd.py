"""A fact a person adds, from a sentence the extractor read: each side of it
found in the sentence (the words it writes for an entity of the graph, or a
new name with its type) and its date, given as ISO or as words the article's
publication date resolves ("last Friday"). :meth:`.review.Review.add` uses these.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from ..core.errors import CollabGraphError
from ..core.names import close_matches, search_key
from .candidates import Mention
from .reviewfacts import GENERIC_TYPES, ISO_DATE, describes, parse_date
from .reviewtext import class_label, type_choices

__all__ = ["PRONOUNS", "added_date", "added_side", "find_words", "stands_for", "fits_slot", "written_character"]

#: Words that stand for an entity without naming it: linked by a person, never one of its names.
PRONOUNS = frozenset("he she they him her them his hers their theirs it its we us our i me my you your".split())


def added_date(text: str, published: str | None, sentence: str | None = None) -> tuple[str, bool]:
    """A date a person gave: ISO as it is, or words resolved against the
    publication date (then marked inferred, as the extractor's are). Words must
    be words of ``sentence`` when it is given (the day they name: "last Friday"
    reads a sentence's "on Friday"): the editors' reading of a date is marked as
    theirs, but what it reads must be the sentence's. (An ISO date is checked
    against the sentence with the fact, by the quote checker.)

    >>> added_date("last Friday", "2026-03-06", "It came out on Friday.")
    ('2026-02-27', True)
    >>> added_date("yesterday", "2026-03-06", "It came out on Friday.")
    Traceback (most recent call last):
    ...
    collabgraph.core.errors.CollabGraphError: date 'yesterday': the sentence does not write these words ('It came out on Friday.'); give the words it writes for the date, or an ISO date it gives
    """
    text = text.strip()
    if ISO_DATE.match(text):
        return parse_date(text).value, False
    from .spans import normalise_date

    found = normalise_date(text, published)
    if found is None or not ISO_DATE.match(found[0]):
        hint = "" if published else " (the article has no publication date to resolve words against)"
        raise CollabGraphError(f"date {text!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD, or words "
                               f"such as 'last Friday'{hint}")
    # the day the words name must be written ("last Friday" reads a sentence's "on Friday"); a
    # word that only places it ("last", "this", "on") is the person's reading, marked as such
    day = re.sub(r"^(?:(?:on|last|this|next|past|coming|the)\s+)+", "", text, flags=re.IGNORECASE)
    if sentence is not None and find_words(sentence, [day or text], 0) is None:
        raise CollabGraphError(f"date {text!r}: the sentence does not write these words ({sentence!r}); give the "
                               "words it writes for the date, or an ISO date it gives")
    return parse_date(found[0]).value, found[1] or found[0] != text


def added_side(reader: Any, text: str, s_start: int, s_end: int, slot: str, name: str | None, words: str | None,
               at: int | None, typ: str | None, *, here: Callable[[str], bool] = lambda iri: False,
               article_names: Iterable[str] = ()) -> Mention:
    """The mention of one side of a fact a person adds (see :meth:`.review.Review.add`):
    an entity of the graph ``reader`` reads, or a new one with its type. ``here``
    tells an entity that only this article's own accepted facts make (still one of
    its new names: a type may be given for it). ``article_names``: the names the
    article writes, suggested (with the graph's close names) for a name found nowhere.

    :raises CollabGraphError: one line naming the side and what is wrong.
    """
    from ..core.errors import AmbiguousEntity, EntityNotFound
    from ..views.entities import describe, resolve
    from ..importers.vocabulary import vocabulary

    name, words = (name or "").strip(), (words or "").strip()
    if not name and not words:
        raise CollabGraphError(f"give the {slot}: a name of the graph, or a new name with its type")
    try:
        entity = describe(reader, resolve(reader, name or words).iri)
    except AmbiguousEntity as exc:
        raise CollabGraphError(f"{slot} {name or words!r} is a name several entities share "
                               f"({'; '.join(exc.candidates)}): give one of their ids") from None
    except EntityNotFound as exc:
        entity, close = None, (exc.suggestions or exc.partial)[:3]
    else:
        close = []
    sentence = text[s_start:s_end]
    span = None
    if words:
        if at is not None:
            if not (s_start <= at and at + len(words) <= s_end and text[at:at + len(words)] == words):
                raise CollabGraphError(f"{slot}: {words!r} is not at character {at} of the sentence")
            span = (at, at + len(words))
        else:
            span = find_words(sentence, [words], s_start)
            if span is None:
                raise CollabGraphError(f"{slot}: the sentence does not write {words!r}: {sentence!r}")
    else:
        names = [name] + ([entity.label, *entity.labels.values(), *entity.aliases] if entity else [])
        span = find_words(sentence, names, s_start)
        if span is None and entity is None:
            span = find_words(text, [name], 0)  # a new name the article writes in another sentence
    written = text[span[0]:span[1]] if span else None
    if entity is not None:
        if typ and not here(entity.iri):
            raise CollabGraphError(f"{slot} {name or words!r} is the existing entity {entity.label} "
                                   f"({entity.id}, {class_label(entity.type)}): only a new entity's type can be set")
        if written is None:  # not written here: the entity stands in the fact, no name of it is attested
            return Mention(entity.label, -1, -1, link=entity.iri, method="description")
        assert span is not None  # written is the span's text
        named = search_key(written) in {search_key(n) for n in [*entity.labels.values(), *entity.aliases]}
        method = "alias" if named else "description" if stands_for(written) else "person"
        return Mention(written, span[0], span[1], link=entity.iri, method=method)
    label = name or words
    if name and words and span is not None and find_words(text, [name], 0) is None:
        # the words stand for a new entity whose name the article never writes: its name would rest on
        # nothing the source says (a journalist cites the article for it)
        raise CollabGraphError(f"{slot} {name!r}: the article never writes this name, so it cannot make a new "
                               f"entity of it; give a name of the graph (an id works too), or the name as the "
                               f"article writes it")
    if span is None:
        # the article's own close names first (the likelier meaning), then the graph's
        graph_close = {search_key(g.rsplit(" (", 1)[0]): g for g in close}  # "Name (id:x)"
        shown = [graph_close.pop(search_key(n), n) for n, _ in close_matches(label, article_names)]
        shown = (shown + list(graph_close.values()))[:3]
        hint = f"; did you mean: {', '.join(shown)}? Otherwise give" if shown else "; give"
        raise CollabGraphError(f"{slot} {label!r}: no entity of the graph has this name and the article does not "
                               f"write it{hint} a name of the graph (an id works too) or words of the sentence")
    vocab = vocabulary()
    kinds = ", ".join(t["id"] for t in type_choices() if fits_slot(vocab, t["id"], slot))
    if stands_for(label) and not typ:
        raise CollabGraphError(f"{slot} {label!r} stands for someone or something: give its name (or id) "
                               f"as the {slot} and these words as what the sentence writes for it")
    if not typ:
        hint = f" (close names: {', '.join(close)})" if close else ""
        raise CollabGraphError(f"{slot} {label!r} is new to the graph{hint}: give its type ({kinds}; "
                               f"--type {slot}=TYPE on the command line), or a name the graph knows")
    if typ in GENERIC_TYPES or typ not in vocab.superclasses or not fits_slot(vocab, typ, slot):
        raise CollabGraphError(f"{slot} {label!r}: {typ!r} is not a type an {slot} can have ({kinds})")
    method = "description" if written and stands_for(written) and search_key(written) != search_key(label) \
        else "person"
    assert written is not None  # span is not None here, and written is its text
    return Mention(written, span[0], span[1], method=method, type=typ, label=label)


def written_character(sentence: str, character: str, what: str = "character") -> str:
    """The character as ``sentence`` writes it (its own spelling, case aside), for the
    quote to state it: words the sentence does not write are refused.

    >>> written_character("Park drives the bus, as the Bus Driver.", "bus driver")
    'Bus Driver'

    :raises CollabGraphError: the sentence does not write ``character``.
    """
    span = find_words(sentence, [character], 0)
    if span is None:
        raise CollabGraphError(f"{what} {character.strip()!r}: the sentence does not write these words "
                               f"({sentence!r}); give the words it writes for the character, or none")
    return sentence[span[0]:span[1]]


def find_words(text: str, names: Iterable[str], base: int) -> tuple[int, int] | None:
    """Where ``text`` first writes one of ``names`` as whole words (exactly, else
    ignoring case), as offsets plus ``base``; ``None`` if it writes none."""
    for flags in (0, re.IGNORECASE):
        for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
            m = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags)
            if m:
                return base + m.start(), base + m.end()
    return None


def stands_for(words: str) -> bool:
    """Words that stand for an entity without naming it: a pronoun or a description."""
    return words.strip().lower() in PRONOUNS or describes(words)


def fits_slot(vocab: Any, cls: str, slot: str) -> bool:
    """Can a new entity of class ``cls`` fill ``slot`` of an added fact?"""
    if slot == "group":
        return "Group" in vocab.superclasses.get(cls, ())
    if slot in ("agent", "member"):
        return vocab.is_agent_class(cls)
    return vocab.is_work_class(cls)

