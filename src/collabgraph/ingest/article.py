"""Reading a news article and proposing candidate facts (``collabgraph ingest``).

The article is reduced to text, split into sentences with exact character
offsets, the graph's own names are found on folded text (case, spaces,
hyphens; Korean kept) with a map back to the original characters, unknown
names (quoted titles, capitalised spans) are proposed as new entities with
fuzzy suggestions, and relations between the mentions of one sentence come
from named rules (patterns, spaCy's parse, credit blocks) and, by default,
the learned reader (:mod:`.learned`), held to every veto of the rules
(:mod:`.vetoes`). Every candidate's
``sentence`` is ``text[start:end]`` exactly, and every mention's ``text`` is
``text[m.start:m.end]``.

>>> s = sentences("Mr. Kim met J. K. Lee. \\u201cWow,\\u201d she said.\\nThe end.")
>>> [t for t, _, _ in s]
['Mr. Kim met J. K. Lee.', '\\u201cWow,\\u201d she said.', 'The end.']

Dates are read by :func:`collabgraph.ingest.spans.normalise_date`, whose examples are there.

The steps live in their own modules: the text and its sentences (:mod:`.text`), the graph's
names (:mod:`.known`), finding mentions (:mod:`.mentions`), whether a mention is linked
(:mod:`.linkpolicy`) and the pattern rules (:mod:`.patterns`); this module puts them
together (:func:`analyse`, :func:`ingest`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from ..core.durable import writing
from ..core.errors import CollabGraphError
from ..core.names import search_key, slug
from ..core.namespaces import curie
from .across import carried_far, quoted_across
from .blocks import BlockExtractor, own_claims, whole_line, with_blocks
from .candidates import ARTICLES_DIR, Article, ArticleFile, Candidate, Mention
from .citing import cited_sentences
from .clean import story_sentences
from .known import KnownNames
from .linkpolicy import (abbreviation_uses, alone, close_spellings, corroborated_links, namesake_works, namesakes, no_guesses, other_kinds, other_spellings,
                         owned_elsewhere, rank_shared, remakes, shared_names, unguessed)
from .mentions import SUGGEST_SCORE, Finder, descriptions, possessors, with_leading_the
from .parsewords import names_event
from .patterns import (EPITHET_AFTER, PatternExtractor, best_candidates, epithet_candidates, epithet_mentions,
                       genders_in, member_mentions, shape_problem)
from .spans import identity as _identity, kind as _kind, normalise_date, unresolved_dates
from .vetoes import held_to_the_rules, other_events, qualifiers, vague_roles, weakened
from .text import MAX_CHARS, html_to_text, read_article, sentences

__all__ = ["ingest", "analyse", "read_article", "html_to_text", "sentences", "normalise_date",
           "KnownNames", "IngestReport", "Analysis", "MAX_CHARS", "DEFAULT_THRESHOLD", "SUGGEST_SCORE"]

#: Candidates at or above this score are the ones the benchmark (and bulk review) count.
DEFAULT_THRESHOLD = 0.5
#: The readers ``ingest --reader`` offers: the rules alone, or the rules and the learned reader.
READERS = ("rules", "learned")
#: What ``ingest`` reads with unless told otherwise: the rules and the learned reader, chosen by the
#: blind split real6 as fixed beforehand (docs/decisions/ingest.md, "The learned reader on by default").
DEFAULT_READER = "learned"
#: What ``graph/articles/.gitignore`` says: article texts stay out of the history.
GITIGNORE = ("# Article texts as ingested: kept beside the graph, not in the history.\n"
             "# To keep one in the repository: git add -f graph/articles/<id>.txt\n*.txt\n")


@dataclass
class Analysis:
    """What was read in an article: sentences, mentions and the proposed candidates."""

    text: str
    sentences: list[tuple[str, int, int]]
    mentions: list[Mention]
    candidates: list[Candidate]
    #: Dates in words read for a fact and dropped: the article has no publication date to resolve them.
    undated: list[str] = field(default_factory=list)


def analyse(text: str, article: Article, known: KnownNames, *, extractors: Iterable[Any] | None = None,
            reader: str = DEFAULT_READER) -> Analysis:
    """Sentences, mentions and candidates of an article's text (deterministic).

    :param extractors: the :class:`~collabgraph.ingest.parse.Extractor` objects
        that propose relations (default: the pattern rules and the parse).
    :param reader: ``rules`` (the rule extractors alone) or ``learned`` (the
        default: the rules, and the learned reader's candidates above its
        threshold too, see :mod:`.learned`)."""
    if reader not in READERS:
        raise CollabGraphError(f"reader {reader!r}: choose one of {', '.join(READERS)}")
    original = None
    if _apostrophes(text) != text:
        original, text = text, _apostrophes(text)
    finder = Finder(text, known, article.published)
    # headlines, bylines, datelines, captions, hashtags: never a fact, never an entity
    # credit blocks, list lines and captions: their names among the sentences (see blocks.py)
    sents = with_blocks(text, story_sentences(sentences(text), text))

    def in_story(m: Mention) -> bool:
        return any(ss <= m.start and m.end <= se for _, ss, se in sents)

    mentions = [m for m in finder.known_mentions() if in_story(m)]
    spotted = [finder.new_mention(s, e, q) for s, e, q in possessors(text, finder.unknown_spans(sents, mentions))]
    unknown = [m for m in spotted if in_story(m)]
    # The outlet the person named with --publisher ("Seoul, March 3 (Invented Daily).") is where
    # the article appeared, not a name in its story: never proposed as a new entity.
    if article.publisher and article.publisher.strip():
        outlet = article.publisher.strip().casefold()
        unknown = [m for m in unknown if m.text.strip().casefold() != outlet]
    # one new name, one type in the whole article: the most specific its mentions
    # agree on ("the film" and a bare quoted title: a Film); mentions that disagree
    # (a film here, a web series there) keep their own, for the reviewer to settle
    # (the headline's mentions count here, never as facts: "Cast Of 'Paper Verdict'" says the
    # story's unquoted "Paper Verdict stars A" names a work)
    guessed: dict[str, list[str]] = {}
    for m in unknown + [m for m in spotted if not in_story(m) and m.type]:
        if m.type:
            guessed.setdefault(search_key(m.text), []).append(m.type)
    agreed = {k: most_specific(types, finder.vocab) for k, types in guessed.items()}
    unknown = [replace(m, type=agreed.get(search_key(m.text)) or m.type) for m in unknown]
    mentions = sorted(mentions + unknown, key=lambda m: m.start)
    mentions = shared_names(rank_shared(text, mentions, known), known, finder.vocab)
    # "Lee Hi" is not Lee Min-ho: a fuzzy suggestion only for another spelling of the whole name
    mentions = close_spellings(other_spellings(mentions), known, text)
    # "Min", "Seo Joon", "Da-el": the one person of the article named so in full
    from .parse import resolve_short_names, type_names

    mentions = resolve_short_names(text, mentions)
    # a new name followed by "he" or "she" as a sentence's subject is a person
    genders = genders_in(sents, mentions)
    mentions = [replace(m, type="Person") if m.link is None and m.type is None and _identity(m) in genders else m
                for m in mentions]
    mentions = type_names(text, sents, mentions, known)
    mentions = sorted(mentions + descriptions(text, sents, mentions, known, finder.vocab), key=lambda m: m.start)
    epithets: dict[Mention, Mention] = {}
    if any(EPITHET_AFTER.match(text, m.end) for m in mentions):
        epithets = epithet_mentions(text, sents, mentions, member_mentions(article, text, sents, mentions), genders)
        inner = {id(x) for x in epithets.values()}
        mentions = sorted([m for m in mentions if id(m) not in inner] + list(epithets), key=lambda m: m.start)
    mentions = owned_elsewhere(text, namesakes(sents, no_guesses(mentions, sents, known), known), known)
    # "the upcoming Disney remake ‘The Lion King’": not the known film of that name
    mentions = remakes(text, sents, mentions, known)
    mentions = other_kinds(text, mentions, known)
    # "thriller The Undoing": the name with its capital "The", once its kind is settled on the words after it
    mentions = with_leading_the(text, mentions)
    # a name with nothing else in the article to back it is proposed, not linked (applied to
    # what the extractors found, below: they read a proposed name as the entity it names)
    corroborated = corroborated_links(mentions, known)
    uncertain = abbreviation_uses(text, mentions)
    from .parse import ParseExtractor, check_candidates

    rule_kinds = (PatternExtractor, ParseExtractor, BlockExtractor)

    rel: list[Candidate] = []
    others: list[Candidate] = []
    with unresolved_dates() as dropped:  # "on Friday" without a publication date: said, not silently lost
        chosen = list(extractors if extractors is not None else (PatternExtractor(), ParseExtractor(),
                                                                  BlockExtractor()))
        from .learned import LearnedExtractor

        if reader == "learned" and not any(isinstance(x, LearnedExtractor) for x in chosen):
            chosen.append(LearnedExtractor())
        for extractor in chosen:
            found = check_candidates(text, extractor.candidates(article, text, sents, mentions, known), extractor.name)
            # the rules decide; any other reader (the learned one, one plugged in later) is held to what they did
            (rel if isinstance(extractor, rule_kinds) else others).extend(found)
        for sent, ss, se in sents:
            ms = [m for m in mentions if ss <= m.start and m.end <= se]
            rel += epithet_candidates(article, text, sent, ss, se, ms, known, epithets)
    undated = sorted({search_key(d): d for d in dropped}.values(), key=lambda d: (text.find(d), d))
    # a pair the rules read stays theirs; what they denied, hedged or refused another reader does not propose
    # (or proposes hedged): see vetoes.py
    rel += held_to_the_rules(text, sents, mentions, rel, others, article)
    # "BAEK DO-HYUN: I directed it": "I" is the speaker (blocks.py), not the interview's guest
    rel = own_claims(text, rel)
    # a correction note's account of what an earlier version said is retracted, not stated
    rel = [c for c in rel if not _RETRACTED.search(c.sentence)]
    rel = shows_guests(article, text, mentions, rel)
    rel = [c for c in rel if not (c.kind == "credit" and _names_the_channel(text, c.slots["work"], mentions))]
    # "SEVENTEEN will play in 12 cities" of "the ‘Be The Sun’ world tour": a tour is no work
    rel = [c for c in rel if not (c.kind == "credit" and names_event(text, c.slots["work"]))]
    # "the frontwoman of Busan rock quartet Nari & the Lanterns": the name before a group noun and a name
    # says where the group is from; no membership of it, no credit of it
    rel = [c for c in rel if not any(_QUALIFIES_GROUP.match(text, c.slots[k].end) and c.slots[k].link is None
                                     for k in ("group", "agent") if k in c.slots)]
    # "who has helmed every ONDO title track": a group or a person is no work
    rel = [c for c in rel if not (c.kind == "credit" and c.slots["work"].method != "description"
                                  and _an_agent(c.slots["work"], known, finder.vocab, text))]
    rel = [c for c in rel if not (c.kind == "credit" and (_past_credit_of_another(text, c, mentions)
                                                          or _owner_not_performer(text, c)
                                                          or _GROUPS_PERSON.match(text, c.slots["agent"].end)
                                                          and c.slots["agent"].type == "Group"))]
    rel = production_lists(article, text, mentions, rel)
    # a new entity the article gives two kinds ("the film X" ... "the web drama X") stays a problem
    # for the reviewer to settle (review shows it), as before
    # a side carried from an earlier sentence: the quote runs from the sentence naming it, or the fact is weak
    # weak evidence (a vague role, a side carried from another section): proposed below the threshold; a name
    # qualifying a person is no agent; a date of another event (a concert, an episode) is no work's
    candidates: list[Candidate] = [c for c in carried_far(article, text, sents, vague_roles(
        article, other_events(article, qualifiers(text, quoted_across(article, text, sents, best_candidates(rel)))),
        known, text)) if shape_problem(c, known.types) is None]
    # a link an extractor carried into a slot is held to the same rule as the article's mentions
    for c in candidates:
        c.slots = {k: alone(unguessed(m, c.slots.values(), known), corroborated, known, uncertain)
                   for k, m in c.slots.items()}
    mentions = [alone(m, corroborated, known, uncertain) for m in mentions]
    # "released “Honey”" when the graph's "Honey" is a film: another work of the name, not a suggestion
    candidates = namesake_works(candidates, mentions, known)
    used_types: dict[str, str] = {}
    for c in candidates:
        for slot, m in c.slots.items():
            if m.link is None and m.type is None and m.method != "description":
                used_types.setdefault(search_key(m.text), "Work" if slot in ("work", "about") else
                                      "Group" if slot == "group" else "Person" if slot == "member" else "Agent")
    # a new name that a credit of its sentence gives as the part played ("plays Seo Da-in") is that
    # credit's character, written with it when it is accepted: no second proposal, as a new person
    played = [(c.start, c.end, search_key(c.character)) for c in candidates if c.kind == "credit" and c.character]
    # proposed new entities: one candidate per distinct unknown name (its first mention)
    seen: set[str] = set()
    for m in mentions:
        if m.link is not None or m.method == "description":
            continue
        if any(cs <= m.start < ce and part == search_key(m.text) for cs, ce, part in played):
            continue
        if m.method == "new" and _A_PART.search(text, max(0, m.start - 40), m.start) and any(
                ss <= m.start < se and _CASTING.search(sent) for sent, ss, se in sents):
            continue  # "B (W) as Dr Nia Roe" in a casting sentence: a part, even when no credit was read
        key = search_key(m.label or m.text) if m.method == "new" else search_key(m.text)
        if key in seen or not key:
            continue
        seen.add(key)
        typed = replace(m, type=m.type or used_types.get(key))
        sent, ss, se = whole_line(text, next(s for s in sents if s[1] <= m.start < s[2]))
        ambiguous = m.method == "fuzzy"
        in_relation = key in used_types or any(
            search_key(x.text) == key for c in candidates for x in c.slots.values())
        score = 0.3 if ambiguous else (0.6 if in_relation else 0.4)
        candidates.append(Candidate.make(article, kind="entity", rule="fuzzy-name" if ambiguous else
                                         ("quoted-title" if typed.type in ("Work",) and not in_relation else "new-name"),
                                         sentence=sent, start=ss, end=se, slots={"entity": typed}, score=score))
    # each quote the sentences review numbers and shows it under, no sentence after them (citing.py)
    candidates = cited_sentences(article, text, sentences(text), candidates)
    candidates.sort(key=lambda c: (c.start, c.kind, c.rule, c.id))
    if original is not None:  # the words as written (a curly quote used as an apostrophe, kept)
        text, sents, mentions, candidates = _as_written(original, sents, mentions, candidates)
    return Analysis(text, sents, mentions, candidates, undated)


#: Right before a name: "as" and a part's title, after a name or a bracket ("Jess Adeyemi (W) as Dr Nia Roe", "A as
#: Detective Ruth Calder"): the name is a part played (not after "known as", "billed as", "such as").
_A_PART = re.compile(r"(?:[\w.’')\]]\s)(?<!known as )(?<!billed as )(?<!such as )(?<!dubbed as )as\s+"
                     r"(?:(?:Dr|Detective|Captain|Officer|Professor|Sir|Lady|Lord|King|Queen|Prince|Princess|Admiral|"
                     r"Sergeant|Inspector|Agent|Nurse|Mr|Mrs|Ms|Miss|Judge|Chief|Commander|General|Colonel|Major|"
                     r"Lieutenant|Father|Sister|Brother|Uncle|Aunt|Grandma|Grandpa)\.?\s+)?$")
#: A sentence that casts or plays parts.
_CASTING = re.compile(r"\b(?:cast|casts|casting|plays?|played|playing|stars?|starring|starred|portrays?|"
                      r"portrayed|roles?|will play|co-stars?)\b", re.I)


#: A sentence that reports what an earlier version of the article got wrong: "An earlier version of
#: this article stated that A co-wrote W", "... misidentified the co-writer as B".
_RETRACTED = re.compile(r"\b(?:earlier|previous|original) version of (?:this|the) (?:article|story|report|piece)\b|"
                        r"\b(?:misstated|misidentified|misattributed|misreported|incorrectly (?:stated|said|reported|"
                        r"identified|credited|described)|wrongly (?:stated|said|reported|identified|credited))\b", re.I)


#: Words before a title that make it an entertainment show ("the variety show “X”", "talk show X"):
#: a person who "stars in" or acts in such a show is its guest, not a cast member.
_SHOW_CUE = re.compile(r"\b(?:variety|talk|reality|game|entertainment|cooking|travel|music) "
                       r"(?:show|program|programme)s?,?\s*[“\"‘']?$", re.I)

#: The show itself the subject of a present "stars" ("The show stars comedians A and B", "W, starring A, airs
#: on Sundays"): the show's regular cast, not the guests of one episode ("A will star in W in an episode").
_SHOW_STARS = re.compile(r"[”\"’']?,?\s+(?:stars|starring)\s")
_ONE_EPISODE = re.compile(r"\b(?:episodes?|guests?|guest-stars?|guest-starring|this week(?:'s|’s)?|tonight(?:'s|’s)?|"
                          r"special|cameos?)\b", re.I)
#: What an article calls a show's regular cast: its hosts, MCs, regulars, fixed cast or cast members.
_HOST_WORDS = re.compile(r"\b(?:(?i:(?:co-)?host(?:s|ed|ing)?|regulars?|regular (?:cast|members?)|fixed (?:cast|members?)|"
                         r"cast members?)|MCs?)\b")

#: After a name, a noun of a work and then its title ("KBS2 drama series “X”", "the network's new show X"):
#: the name is the broadcaster or the owner the noun is qualified by, the title is the work.
_QUALIFIES_WORK = re.compile(r"(?:['’]s?)?\s+(?:[\w-]+\s+){0,2}?(?:(?:drama|series|show|program|programme|film|movie|"
                             r"sitcom)s?,?\s+)+[“\"‘']?")


def _names_the_channel(text: str, work: Mention, mentions: list[Mention]) -> bool:
    """Whether ``work`` only qualifies the noun of another work named right after it."""
    m = _QUALIFIES_WORK.match(text, work.end)
    return m is not None and any(x.start == m.end() and x is not work for x in mentions)


def _past_credit_of_another(text: str, c: Candidate, mentions: list[Mention]) -> bool:
    """Whether the credit's work is named in brackets right after another agent's name ("directed by
    Kim (“The Clown,” “Vincenzo”) and stars Park"): that agent's past credit, nothing the sentence says
    of the credit's agent."""
    w, a = c.slots["work"], c.slots["agent"]
    opened = text.rfind("(", 0, w.start)
    if opened < 0 or ")" in text[opened:w.start] or ")" not in text[w.end:w.end + 200]:
        return False
    before = text[:opened].rstrip()
    owner = next((m for m in mentions if m.end == len(before) and m.start < m.end
                  and m.type in ("Person", "Group", None) and m is not w), None)
    return owner is not None and _identity(owner) != _identity(a) and not (a.start <= owner.start < a.end)


#: An occupation before an owner's name that says the owner made the work otherwise than by performing it
#: ("Director Min Seo-ah’s “The Quiet Hour”").
_MAKER_BEFORE = re.compile(r"\b(?:director|filmmaker|producer|writer|screenwriter|creator|author|novelist|PD|"
                           r"showrunner|composer|lyricist|choreographer)\s+$", re.I)


def _an_agent(m: Mention, known: KnownNames, vocab: Any, text: str) -> bool:
    """Whether a mention names a person or a group: by its type, by the graph's types of what it is linked
    to (a known group's name carries no type of its own), or, unquoted, by being exactly the name of a known
    person or group only."""
    if _kind(m) == "agent":
        return True
    if m.link is not None:
        return m.type is None and any(vocab.is_agent_class(t) for t in known.types(m.link))
    # "every MARLOW title track": a known group's exact name, unquoted, that a rule read as a song's
    if not m.suggestions or m.suggestions[0][2] < 100 or text[m.start - 1:m.start] in ("\"", "“", "‘", "'"):
        return False
    types = known.types(m.suggestions[0][0])
    return bool(types) and all(vocab.is_agent_class(t) for t in types)


#: After a name, a kind of group and a capitalised name ("Busan rock quartet Nari & the Lanterns", "Seoul
#: band X"): the name qualifies the group named after it.
_QUALIFIES_GROUP = re.compile(r"(?:['’]s?)?\s+(?:[a-z][\w-]*\s+){0,2}(?:band|group|quartet|quintet|trio|duo|crew|"
                              r"outfit|collective|orchestra|choir|septet|sextet)\s+[A-Z“\"‘]")


#: After a group's name, a noun for one of its people ("The BTS member pops up in ...", "the EXO singer"): the
#: person is the agent, not the group.
_GROUPS_PERSON = re.compile(r"(?:['’]s?)?\s+(?:member|idol|singer|rapper|leader|vocalist|maknae|dancer|frontman|"
                            r"frontwoman|guitarist|drummer|bassist)\b")


def _owner_not_performer(text: str, c: Candidate) -> bool:
    """Whether a performer credit read from "X's W" names X by an occupation that is not performing."""
    if c.role != "performer" or c.rule.split("+")[0] not in ("possessive-title", "possessive-work", "parse-possessive"):
        return False
    a = c.slots["agent"]
    return _MAKER_BEFORE.search(text, max(0, a.start - 30), a.start) is not None


_PRODUCTION = re.compile(r"\bproduction (?:from|by|courtesy of) ")


def production_lists(article: Article, text: str, mentions: list[Mention],
                     candidates: list[Candidate]) -> list[Candidate]:
    """The candidates, a featured artist named in the list after "production from" ("W
    features a hook by A and production from B, C and G's D") made a producer of the work
    (its rule marked ``+production``); a featured-artist credit that repeats a producer
    credit of the same sentence is left out."""
    produced = {(c.start, _identity(c.slots["agent"]), _identity(c.slots["work"])) for c in candidates
                if c.kind == "credit" and c.role == "producer"}
    out = []
    for c in candidates:
        if c.kind == "credit" and c.role == "featuredArtist":
            agent = c.slots["agent"]
            key = (c.start, _identity(agent), _identity(c.slots["work"]))
            if key in produced:
                continue
            cue = next((m for m in _PRODUCTION.finditer(text, c.start, agent.start)), None)
            between = text[cue.end():agent.start] if cue else ""
            for m in mentions:  # the names of the list before it, and their owners ("G's")
                if cue and cue.end() <= m.start and m.end <= agent.start:
                    between = between.replace(m.text, "")
            if cue and re.fullmatch(r"(?:\s|,|\band\b|&|['’]s?)*", between):
                c = Candidate.make(article, kind="credit", rule=c.rule + "+production", sentence=c.sentence,
                                   start=c.start, end=c.end, slots=c.slots, role="producer", date=c.date,
                                   date_inferred=c.date_inferred, score=c.score)
                produced.add(key)
        out.append(c)
    return out


def shows_guests(article: Article, text: str, mentions: list[Mention],
                 candidates: list[Candidate]) -> list[Candidate]:
    """The candidates, an actor credit on a show the article calls a variety or talk show
    made a guest credit (its rule marked ``+show``); where the show itself "stars" them and the
    sentence speaks of no episode or guest, its regular cast: hosts (``+cast``) when the article
    calls the show's cast its hosts, MCs or regulars, else an appearance below the threshold
    (``+cast+vague``: the words do not say which).

    :param mentions: the article's mentions, where the cue before a title is looked for."""
    shows = {_identity(m) for m in mentions if _SHOW_CUE.search(text[max(0, m.start - 40):m.start])}
    out = []
    for c in candidates:
        w, a = c.slots.get("work"), c.slots.get("agent")
        if c.kind == "credit" and c.role == "actor" and w is not None and a is not None \
                and _identity(w) in shows and w.end <= a.start \
                and _SHOW_STARS.match(text, w.end) and not _ONE_EPISODE.search(c.sentence):
            # "The show stars comedians A and B": the regular cast, a host where the article calls the
            # show's cast its hosts (MCs, regulars); else the role is not said: no guess, below the threshold
            c = Candidate.make(article, kind=c.kind, rule=c.rule + "+cast", sentence=c.sentence, start=c.start,
                               end=c.end, slots=c.slots, role="host", date=c.date, date_inferred=c.date_inferred,
                               score=c.score)
            if not _HOST_WORDS.search(text):
                c = weakened(article, replace(c, role="appearance"), "vague")
        elif c.kind == "credit" and c.role == "actor" and _identity(c.slots["work"]) in shows:
            c = Candidate.make(article, kind=c.kind, rule=c.rule + "+show", sentence=c.sentence, start=c.start,
                               end=c.end, slots=c.slots, role="guest", date=c.date, date_inferred=c.date_inferred,
                               score=c.score)
        out.append(c)
    return out


def _apostrophes(text: str) -> str:
    """The text with a left single quote or a backtick used as an apostrophe
    ("BTS‘s", "V`s") written as one, of the same length (offsets hold)."""
    return re.sub(r"(?<=\w)[‘`´](?=(?:s|t|re|ll|ve|d|m)\b)", "’", text)


def _as_written(text: str, sents: list, mentions: list[Mention], candidates: list[Candidate]) -> tuple:
    def fix(m: Mention) -> Mention:
        return replace(m, text=text[m.start:m.end]) if text[m.start:m.end] != m.text else m

    sents = [(text[a:b], a, b) for _, a, b in sents]
    mentions = [fix(m) for m in mentions]
    for c in candidates:
        c.sentence = text[c.start:c.end]
        c.slots = {k: fix(m) for k, m in c.slots.items()}
    return text, sents, mentions, candidates


# ---------------------------------------------------------------------------------
# Ingesting: files and the report
# ---------------------------------------------------------------------------------

@dataclass
class IngestReport:
    """What one ingest did: the article, what was found, what is now waiting for review."""

    article: Article
    path: str
    #: The article's sentences, numbered as ``review sentences`` numbers them (1: the headline).
    sentences: int
    mentions: list[Mention]
    candidates: list[Candidate]
    added: int
    kept: int
    #: Sentences that are furniture only (a headline, a byline, a caption...): never read for facts.
    set_aside: int = 0
    #: An article ingested earlier from the same ``--url`` with another text: this is its updated version.
    updates: Article | None = None
    #: Dates in words dropped for want of a publication date (``--published``), each once.
    undated: list[str] = field(default_factory=list)
    #: Sentences (by number) with a name no fact reads (:func:`unread_sentences`).
    unread: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        linked = [m for m in self.mentions if m.link]
        suggested = [m for m in self.mentions if not m.link and m.suggestions]
        new = [m for m in self.mentions if not m.link and not m.suggestions]
        by_kind: dict[str, int] = {}
        by_rule: dict[str, int] = {}
        for c in self.candidates:
            by_kind[c.kind] = by_kind.get(c.kind, 0) + 1
            by_rule[c.rule] = by_rule.get(c.rule, 0) + 1
        return {"sentences": self.sentences, "set_aside": self.set_aside, "mentions": len(self.mentions),
                "linked": len(linked),
                "suggested": len(suggested), "new": len(new), "candidates": len(self.candidates),
                "added": self.added, "kept": self.kept, "undated": list(self.undated),
                "by_kind": dict(sorted(by_kind.items())), "by_rule": dict(sorted(by_rule.items()))}

    @property
    def knows_nothing(self) -> bool:
        return not any(m.link or m.suggestions for m in self.mentions)

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article.to_dict(), "file": self.path, **self.counts(), "unread": self.unread,
                "mentions_linked": sorted({(m.text, curie(m.link), m.method) for m in self.mentions if m.link}),
                "mentions_suggested": sorted({(m.text, curie(m.suggestions[0][0]), m.suggestions[0][2])
                                              for m in self.mentions if not m.link and m.suggestions})}


def most_specific(types: Iterable[str | None], vocab: Any) -> str | None:
    """The one type that every type given is itself or an ancestor of (``Work``
    and ``Film``: ``Film``), or ``None`` when they name different kinds
    (``Film`` and ``WebSeries``) or none.

    >>> from collabgraph.importers.vocabulary import vocabulary
    >>> v = vocabulary()
    >>> most_specific(["Work", "Film", "Work"], v), most_specific(["Film", "WebSeries"], v), most_specific([], v)
    ('Film', None, None)
    """
    given = list(dict.fromkeys(t for t in types if t))
    for t in given:
        if all(u in vocab.superclasses.get(t, {t}) for u in given):
            return t
    return None


_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def check_language(language: str) -> str:
    """A language tag (``en``, ``ko``, ``pt-BR``) as RDF writes it, lower-cased.

    >>> check_language("EN"), check_language("pt-BR")
    ('en', 'pt-br')
    """
    if not isinstance(language, str) or not _LANGUAGE.match(language.strip()):
        raise CollabGraphError(f"--language {language!r}: give a language tag such as en, ko or pt-BR")
    return language.strip().lower()


def _check_published(published: str | None) -> str | None:
    if published is None:
        return None
    try:
        return dt.date.fromisoformat(published).isoformat()
    except ValueError:
        raise CollabGraphError(f"--published {published!r}: give the publication date as YYYY-MM-DD") from None


def _check_url(url: str | None) -> str | None:
    """The article's address: an absolute http(s) URL that is also a valid IRI
    (what the shapes ask of ``schema:url``), refused here rather than at every
    later ``review accept``."""
    if url is None:
        return None
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if (parts.scheme.lower() not in ("http", "https") or not parts.netloc
            or any(c in ' <>"{}|\\^`' or ord(c) < 0x21 for c in url)):
        raise CollabGraphError(f"--url {url!r}: give the article's address as an http(s) URL")
    return url


def _article_id(base: str, sha: str, folder: Path) -> str:
    """``base``, or ``base-2``... : the first id that is free or already holds this text."""
    base = base or "article"
    n = 1
    while True:
        aid = base if n == 1 else f"{base}-{n}"
        path = folder / f"{aid}.json"
        if not path.exists():
            return aid
        try:
            if ArticleFile.load(path).article.text_sha256 == sha:
                return aid
        except (ValueError, KeyError, TypeError):
            pass
        n += 1


def _ingested(folder: Path) -> list[Article]:
    """The articles ingested in ``folder`` (unreadable files left out), oldest first."""
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            out.append(ArticleFile.load(path).article)
        except (ValueError, KeyError, TypeError):
            continue
    return sorted(out, key=lambda a: (a.ingested or "", a.id))


def _same_article(folder: Path, aid: str, sha: str, url: str | None) -> tuple[Article | None, Article | None]:
    """``(duplicate, earlier)``: an article that already holds this text under
    another id than ``aid`` (``None`` when ``aid`` holds it: ingested again as
    itself), and one ingested from the same ``url`` with another text (this is
    then its updated version, see docs/decisions/ingest.md)."""
    articles = _ingested(folder)
    if any(a.id == aid and a.text_sha256 == sha for a in articles):
        return None, None
    same = next((a for a in articles if a.text_sha256 == sha), None)
    earlier = next((a for a in reversed(articles) if url and a.url == url and a.text_sha256 != sha), None)
    return same, earlier


def _quoted(title: str) -> str:
    return '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ingest(path: str | Path, graph_dir: str | Path, *, url: str | None = None, title: str | None = None,
           publisher: str | None = None, published: str | None = None, language: str = "en",
           ontology_dir: str | Path | None = None, reader: str = DEFAULT_READER) -> IngestReport:
    """Read an article and store it with its candidates in ``graph_dir/articles/``.

    ``reader``: ``learned`` (the default) or ``rules`` (see :func:`analyse`).

    Everything is checked before anything is written: a bad file or option
    leaves the graph directory as it was. Ingesting the same text again keeps
    every reviewed candidate's status (rejected ones do not come back)."""
    published = _check_published(published)
    url = _check_url(url)
    language = check_language(language)
    text, was_html, html_title = read_article(path)
    folder = Path(graph_dir) / ARTICLES_DIR
    # Under the lock of graph/ (see collabgraph.core.durable): the candidates a review
    # is changing are read after it has written them, and the text, the
    # candidates and the .gitignore are committed together.
    with writing(graph_dir, "collabgraph ingest") as changes:
        known = KnownNames.cached(graph_dir, ontology_dir)
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        title = title or html_title
        aid = _article_id(slug(title or "") or slug(Path(path).stem), sha, folder)
        # the same text under another id would be a second queue of the same candidates
        same, earlier = _same_article(folder, aid, sha, url)
        if same is not None:
            again = f"give --title {_quoted(same.title or same.id)}"
            raise CollabGraphError(f"{os.fsdecode(path)}: this text was ingested as {same.id!r} on "
                                   f"{(same.ingested or '?')[:10]}; {again} to ingest it again as that article")
        article = Article(aid, sha, url=url, title=title, publisher=publisher, published=published,
                          original=os.fsdecode(path), html=was_html, language=language,
                          ingested=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
        analysis = analyse(text, article, known, reader=reader)
        json_path = ArticleFile.path(graph_dir, aid)
        if json_path.exists():
            stored = ArticleFile.load(json_path)
            stored.article = article
        else:
            stored = ArticleFile(article, [])
        added, kept = stored.merge_proposals(analysis.candidates)
        numbered = sentences(text)
        stored.unread = unread_sentences(numbered, analysis)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            changes.write(ignore, GITIGNORE)
        txt = folder / f"{aid}.txt"
        if not txt.exists() or txt.read_bytes() != text.encode("utf-8"):
            changes.write(txt, text)
        changes.write(json_path, stored.dumps())
    # One numbering everywhere: the text's sentences, headline and furniture included, as
    # 'review sentences', 'review list' and the page number them (the story's pieces are
    # what the extractors read, not what a person counts).
    set_aside = sum(1 for _, a, b in numbered if not any(a <= s < b or s <= a < e for _, s, e in analysis.sentences))
    return IngestReport(article, json_path.as_posix(), len(numbered), analysis.mentions,
                        analysis.candidates, added, kept, set_aside, updates=earlier, undated=analysis.undated,
                        unread=stored.unread)


def unread_sentences(numbered: list[tuple[str, int, int]], analysis: Analysis) -> list[int]:
    """The numbers (1: the headline) of the story's sentences that name two or more entities, and where a
    person, a group or a name of no stated kind is in no fact (at any score) that the readers proposed from
    the sentence: where they could not read all it says ("A can be seen alongside B and C in D's W"), so
    where a person reviewing the article looks for a fact to add. Headlines, bylines and captions set
    aside are never listed; descriptions ("the video") and pronouns do not count as names."""
    facts = [c for c in analysis.candidates if c.kind != "entity"]
    story = [(s, e) for _, s, e in analysis.sentences]
    out = []
    for n, (_, a, b) in enumerate(numbered, 1):
        if not any(s < b and a < e for s, e in story):
            continue
        named = {_identity(m): _kind(m) for m in analysis.mentions
                 if a <= m.start and m.end <= b and m.method != "description"}
        if len(named) < 2:
            continue
        # the names some fact of this sentence reads (its slots, whichever sentence named them)
        read = {_identity(m) for c in facts if c.start < b and a < c.end for m in c.slots.values()}
        if any(k in ("agent", "unknown") and who not in read for who, k in named.items()):
            out.append(n)
    return out
