"""A candidate's quote is the sentence a journalist cites, as ``review sentences`` numbers it.

A reader may quote more than the sentence its fact is in: a caption's whole line with the photo
credit after it ("... on the set of “Luna.” (Moonbay Pictures)", "... in “Harvest Moon Motel.” Courtesy
of the channel."), a list item's line with the sentence after it. Review then showed "sentence 11" over
a quote of two sentences. :func:`cited_sentences` ends each candidate's quote with the last numbered
sentence that writes one of its sides, so that it names the one sentence it shows (or, for a side
carried from the sentence before, see :mod:`.across`, the sentences from that one to its own); a
proposed new entity's quote is the sentence naming it. What it leaves out writes no side; a quote
that would lose the date, the character or the value of its fact is left as it is.
"""

from __future__ import annotations

import re

from .candidates import Article, Candidate
from .text import sentence_number

__all__ = ["cited_sentences", "sentence_range"]

#: Words that may write a date: a quote that would leave out such words after its sides is kept whole.
_DATE_WORDS = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
                         r"|\b(?:today|tonight|yesterday|tomorrow|week|month|year|spring|summer|autumn|fall|winter)",
                         re.IGNORECASE)


def sentence_range(sents: list[tuple[str, int, int]], start: int, end: int) -> tuple[int, int]:
    """The numbers (1: the first of ``sents``, from :func:`.text.sentences`) of the first and the
    last sentence that characters ``start`` to ``end`` of the text run over.

    >>> from collabgraph.ingest.text import sentences
    >>> sents = sentences("A headline\\n\\nIU sang. V danced. Peakboy rapped.")
    >>> sentence_range(sents, 12, 20), sentence_range(sents, 12, 29)
    ((2, 2), (2, 3))
    """
    return sentence_number(sents, start), sentence_number(sents, max(start, end - 1))


def cited_sentences(article: Article, text: str, sents: list[tuple[str, int, int]],
                    candidates: list[Candidate]) -> list[Candidate]:
    """The candidates, each quote ended with the last sentence of ``sents`` (the numbered
    sentences of ``text``) that writes one of its sides (see the module); the others unchanged.

    >>> from collabgraph.ingest.candidates import Mention
    >>> from collabgraph.ingest.text import sentences
    >>> text = "Photo: V in “Decaf.” (Invented Pictures)"
    >>> c = Candidate.make(Article("a", "0"), kind="credit", rule="block-caption", sentence=text, start=0,
    ...                    end=len(text), slots={"agent": Mention("V", 7, 8), "work": Mention("Decaf", 13, 18)})
    >>> [x.sentence for x in cited_sentences(Article("a", "0"), text, sentences(text), [c])]
    ['Photo: V in “Decaf.”']
    """
    out = []
    for c in candidates:
        inside = [m for m in c.slots.values() if c.start <= m.start < m.end <= c.end]
        if not inside or not sents:
            out.append(c)
            continue
        first, last = sentence_range(sents, min(m.start for m in inside), max(m.end for m in inside))
        # a proposed new entity states nothing but its name: its quote is the sentence naming it
        start = max(c.start, sents[first - 1][1]) if c.kind == "entity" else c.start
        end = min(c.end, sents[last - 1][2])
        left = text[end:c.end]
        if (start, end) == (c.start, c.end) or end <= start \
                or ((c.date or c.kind == "claim") and _DATE_WORDS.search(left)) \
                or any(v and v.strip() and v.strip().lower() in left.lower() for v in (c.character, c.value)):
            out.append(c)
            continue
        fields = {k: getattr(c, k) for k in ("role", "character", "date", "date_inferred", "property", "value",
                                             "score")}
        out.append(Candidate.make(article, kind=c.kind, rule=c.rule, sentence=text[start:end], start=start,
                                  end=end, slots=c.slots, **fields))
    return out
