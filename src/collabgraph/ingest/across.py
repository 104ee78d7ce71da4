"""A fact whose side is named in an earlier sentence stays citable: its quote spans that sentence.

A reader may carry a side across sentences (the work an article is about, "Park Hyung-sik stars as
Do-hyun" after a sentence naming the drama): the candidate's slot is then a mention outside its own
sentence, and a quote of that sentence alone would not name both sides, so a journalist could not
cite it and strict validation's "quote names both sides" would fail. :func:`quoted_across` makes such
a candidate's quote run from the sentence naming the carried side to its own sentence, when that
sentence is one of the two before it (in the same paragraph, or across a paragraph break when the whole
quote stays within twice :data:`~.candidates.MAX_QUOTE`, the side is written by its name and the fact is a
sentence's reading, not a credit block's line) and both sides fit in one quote. A side named
farther away (the work an article is about, named paragraphs before) cannot be quoted with a sentence's
reading: :func:`carried_far` proposes that fact below the threshold, since its quote does not state the
work and accepting it as it stands is refused (until the fourteenth round it kept its reading's score and
`accept` refused it naming the wrong side: a new user's walkthrough). A credit block's line under the
headline or the title line it credits is read by the block reader and stays as it was.

:func:`carried_far` puts below the threshold (``+far``) a fact whose side is carried from another section of
the article, where nothing ties the two: a side named only *after* the fact's sentence (an information
line read as the credits of a title named further down) unless the headline names it, and a side named
before a heading line that stands between the two (a listicle's next item: "Director: X" under a heading
the name finder could not read is not about the film the previous item named).
"""

from __future__ import annotations

import re

from .candidates import MAX_QUOTE, Article, Candidate, Mention
from .vetoes import weakened

#: How many sentences before its own a carried side's sentence may be for one quote to hold both.
ACROSS = 2

_PARAGRAPH = re.compile(r"\n[ \t]*\n")


def _sentence_of(sents: list[tuple[str, int, int]], at: int) -> int | None:
    return next((k for k, (_, s, e) in enumerate(sents) if s <= at < e), None)


def quoted_across(article: Article, text: str, sents: list[tuple[str, int, int]],
                  candidates: list[Candidate]) -> list[Candidate]:
    """The candidates, each credit or membership with a side outside its sentence quoting from
    that side's sentence on (see the module); the others unchanged.

    >>> from collabgraph.ingest.candidates import Article, Mention
    >>> text = "The drama “Tide” opens in May. Park stars as a diver."
    >>> sents = [("The drama “Tide” opens in May.", 0, 30), ("Park stars as a diver.", 31, 53)]
    >>> a = Article("a", "0")
    >>> c = Candidate.make(a, kind="credit", rule="parse-star", sentence=sents[1][0], start=31, end=53,
    ...                    slots={"agent": Mention("Park", 31, 35), "work": Mention("Tide", 11, 15)}, role="actor")
    >>> [x.sentence for x in quoted_across(a, text, sents, [c])]
    ['The drama “Tide” opens in May. Park stars as a diver.']
    """
    out = []
    for c in candidates:
        if c.kind not in ("credit", "membership"):
            out.append(c)
            continue
        outside = [m for m in c.slots.values() if not c.quotes(m)]
        if not outside:
            out.append(c)
            continue
        here = _sentence_of(sents, c.start)
        first = min(m.start for m in outside)
        there = _sentence_of(sents, first)
        start = sents[there][1] if there is not None else first
        spans = [(m.start, m.end) for m in c.slots.values()]
        fields = {k: getattr(c, k) for k in ("role", "character", "date", "date_inferred", "property", "value",
                                             "score")}
        if here is not None and there is not None and all(m.end <= c.start for m in outside) \
                and 0 < here - there <= ACROSS and (not _PARAGRAPH.search(text, start, c.start) or (
                    # across a paragraph break only a sentence's reading of a side named by its name
                    not c.rule.startswith("block-") and all(m.method != "description" for m in outside)
                    and c.end - start <= 2 * MAX_QUOTE)) \
                and max(e for _, e in spans) - min(s for s, _ in spans) <= MAX_QUOTE:
            out.append(Candidate.make(article, kind=c.kind, rule=c.rule, sentence=text[start:c.end], start=start,
                                      end=c.end, slots=c.slots, **fields))
        else:
            out.append(c)
    return out


def _heading_between(text: str, sents: list[tuple[str, int, int]], lo: int, hi: int) -> bool:
    """Whether the last line lying wholly between offsets ``lo`` and ``hi`` that has words but no story
    sentence in it (a heading, a subheading the reading left out of the story) names something: two words or
    more ("Revivre (Gala Presentation)"), not a section's label ("Credits")."""
    last = None
    start = text.find("\n", lo)
    while 0 <= start < hi:
        end = text.find("\n", start + 1)
        end = len(text) if end < 0 else end
        if end > hi:
            break
        line = text[start + 1:end]
        if line.strip():
            a = start + 1 + (len(line) - len(line.lstrip()))
            if not any(ss <= a < se or a <= ss < end for _, ss, se in sents):
                last = line
        start = end
    return last is not None and len(last.split()) >= 2


def _in_headline(m: Mention, title: str | None) -> bool:
    if not title:
        return False
    return (m.label or m.text).casefold() in title.casefold() or m.text.casefold() in title.casefold()


def carried_far(article: Article, text: str, sents: list[tuple[str, int, int]],
                candidates: list[Candidate]) -> list[Candidate]:
    """The candidates, each credit or membership with a side carried from another section proposed below
    the threshold (``+far``, see the module); the others unchanged.

    >>> from collabgraph.ingest.candidates import Article, Mention
    >>> text = "Great films.\\n\\nPaper Moon\\n\\nCast: Ahn Ji-ho\\n\\nWe also liked “Tide”."
    >>> sents = [("Great films.", 0, 12), ("Cast: Ahn Ji-ho", 26, 41), ("We also liked “Tide”.", 43, 64)]
    >>> c = Candidate.make(Article("a", "0"), kind="credit", rule="parse-info", sentence=sents[1][0], start=26,
    ...                    end=41, slots={"agent": Mention("Ahn Ji-ho", 32, 41), "work": Mention("Tide", 58, 62)},
    ...                    role="actor", score=0.6)
    >>> [(x.rule, x.score) for x in carried_far(Article("a", "0"), text, sents, [c])]
    [('parse-info+far', 0.45)]
    """
    headline = article.title
    if not headline:  # no title given: the article's first line, when it is a heading (no story sentence in it)
        first = re.match(r"\s*(\S[^\n]*)", text)
        if first and not any(ss < first.end(1) and first.start(1) < se for _, ss, se in sents):
            headline = first.group(1)
    out = []
    for c in candidates:
        far = False
        if c.kind in ("credit", "membership"):
            for m in c.slots.values():
                if c.quotes(m):
                    continue
                if not c.rule.startswith("block-") and m.method != "description":
                    # a sentence's reading with a side its quote does not reach (the work in focus, named
                    # paragraphs before): the quote cannot state the fact and accepting it as it stands is
                    # refused, so it is proposed weak, for a person to settle (the headline naming the
                    # side does not help: the quote checker reads the quote)
                    far = True
                elif _in_headline(m, headline):
                    continue
                elif m.start >= c.end or _heading_between(text, sents, m.end, c.start):
                    far = True
        out.append(weakened(article, c, "far") if far else c)
    return out
