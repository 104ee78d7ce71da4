"""The extractor interface: what proposes candidate facts from an article's story sentences
(:class:`Extractor`), and the check that its candidates quote the text exactly."""

from __future__ import annotations

from typing import Any, Iterable, Protocol

from ..core.errors import SourceError
from .candidates import Article, Candidate, Mention


class Extractor(Protocol):
    """Proposes candidate facts from an article's story sentences.

    ``sents`` are ``(sentence, start, end)`` with ``text[start:end] ==
    sentence``; ``mentions`` are the names found in them, linked or not.
    A candidate's slots are mentions of its own sentence."""

    name: str

    def candidates(self, article: Article, text: str, sents: list[tuple[str, int, int]],
                   mentions: list[Mention], context: Any) -> list[Candidate]: ...


def check_candidates(text: str, candidates: Iterable[Candidate], extractor: str) -> list[Candidate]:
    """The candidates whose quote and mentions are the text, exactly.

    :raises SourceError: naming the extractor and the candidate that is not."""
    out = []
    for c in candidates:
        if text[c.start:c.end] != c.sentence or any(text[m.start:m.end] != m.text for m in c.slots.values()):
            raise SourceError(f"extractor {extractor}: candidate {c.id} ({c.rule}) quotes words that are not "
                              f"the article's text at {c.start}-{c.end}")
        out.append(c)
    return out
