"""An article's text: HTML reduced to text, the file read (with its limits), and its sentences
with exact character offsets."""

from __future__ import annotations

import os
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..core.errors import SourceError

#: The longest article text accepted (characters, after HTML is reduced to text).
MAX_CHARS = 2_000_000
#: The longest file read (bytes): HTML may carry markup several times its text.
MAX_BYTES = 8_000_000


# ---------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------

_SKIP = {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "head",
         "button", "select", "textarea", "canvas"}
_BLOCK = {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2", "h3",
          "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td",
          "th", "figure", "figcaption", "hr", "address", "details", "summary", "form", "fieldset", "body",
          "html", "title"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "source", "track", "wbr"}


class _TextOf(HTMLParser):
    """Collects the visible text of an HTML document; nothing is ever run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "title":
            self.in_title = True
        if tag in _SKIP and tag not in _VOID:
            self.skip += 1
        elif tag == "br" and not self.skip:
            self.parts.append("\n")
        elif tag in _BLOCK and not self.skip:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if tag == "br" and not self.skip:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIP and tag not in _VOID:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK and not self.skip:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if not self.skip:
            self.parts.append(re.sub(r"\s", " ", data))  # a line break in the markup is a space


def html_to_text(markup: str) -> tuple[str, str | None]:
    """The text of an HTML document and its ``<title>``: scripts, styles,
    templates and comments dropped; block elements become paragraph breaks;
    entities decoded; spaces inside a paragraph collapsed.

    >>> html_to_text("<p>IU &amp; V<script>alert(1)</script></p><!-- x --><p>Two\\n  lines</p>")
    ('IU & V\\n\\nTwo lines', None)
    """
    parser = _TextOf()
    parser.feed(markup)
    parser.close()
    raw = "".join(parser.parts)
    paragraphs = []
    for block in re.split(r"\n\s*\n", raw):
        lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in block.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    title = re.sub(r"\s+", " ", "".join(parser.title)).strip() or None
    return "\n\n".join(paragraphs), title


def _looks_like_html(path: Path, text: str) -> bool:
    if path.suffix.lower() in {".html", ".htm", ".xhtml"}:
        return True
    return bool(re.match(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|p|div)\b", text, re.I | re.S))


def read_article(path: str | Path) -> tuple[str, bool, str | None]:
    """``(text, was_html, html_title)`` of an article file.

    :raises SourceError: one line naming the file: missing, empty, binary,
        not UTF-8, too big, or with no text once the markup is gone."""
    path = Path(path)
    name = os.fsdecode(path)
    if not path.is_file():
        raise SourceError(f"{name}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SourceError(f"{name}: {size / 1e6:.1f} MB is too big for an article (the limit is {MAX_BYTES / 1e6:.0f} MB)")
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(f"{name}: the file is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SourceError(f"{name}: UTF-16 text; save the article as UTF-8")
    if b"\x00" in data:
        raise SourceError(f"{name}: a binary file (NUL bytes), not an article's text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise SourceError(f"{name}:{line}: not UTF-8 text (byte {exc.start}); save the article as UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    was_html = _looks_like_html(path, text)
    title = None
    if was_html:
        text, title = html_to_text(text)
    if not text.strip():
        raise SourceError(f"{name}: no text in the article" + (" once its markup is removed" if was_html else ""))
    if len(text) > MAX_CHARS:
        raise SourceError(f"{name}: {len(text):,} characters of text is too long for an article "
                          f"(the limit is {MAX_CHARS:,})")
    bad = next((i for i, ch in enumerate(text) if unicodedata.category(ch) == "Cc" and ch not in "\n\t"), None)
    if bad is not None:
        line = text[:bad].count("\n") + 1
        raise SourceError(f"{name}:{line}: control character U+{ord(text[bad]):04X} in the text; not an article's text")
    return text, was_html, title


# ---------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------

_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "no", "vol", "feat",
                  "ft", "prof", "gen", "col", "lt", "sgt", "mt", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                  "sep", "sept", "oct", "nov", "dec", "approx", "dept", "est", "fig", "aka", "a.k.a", "e.g", "i.e",
                  "u.s", "u.k", "dir"}
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
_CLOSERS = "\"'”’)]"
#: A line with no closing punctuation ("1. V in Peakboy’s “Decaf”", "By Dana Ortiz"): at most 12 words, a title
#: line, when the next line starts a sentence (as the readers' story sentences, clean.py, take it).
_CLOSED = re.compile(r"[.!?…:;,][\"'”’)\]]*$")
_STARTS = re.compile(r"[^\S\n]*[A-Z0-9\"'“‘(\[]")


def _after_title_lines(base: int, para: str) -> list[tuple[int, str]]:
    """A paragraph cut after each of its title lines: ``(offset, piece)`` in order."""
    out, at = [], 0
    for nl in re.finditer(r"\n", para):
        line = para[para.rfind("\n", 0, nl.start()) + 1:nl.start()].strip()
        if line and not _CLOSED.search(line) and len(line.split()) <= 12 and _STARTS.match(para, nl.end()):
            out.append((base + at, para[at:nl.start()]))
            at = nl.end()
    out.append((base + at, para[at:]))
    return out


def sentences(text: str) -> list[tuple[str, int, int]]:
    """``(sentence, start, end)`` with ``text[start:end] == sentence``: a
    paragraph break always ends a sentence; a line break inside a paragraph
    does not, except after a title line (a short line with no closing
    punctuation, the next one starting a sentence: a list item's title, a
    byline); "Mr.", "dir." and initials ("J. K.") do not end one, nor a list
    item's number ("1. V in ...").

    >>> [s for s, _, _ in sentences("1. V in “Decaf”\\nHe pours coffee. (dir. Kim Ha-neul) It works.")]
    ['1. V in “Decaf”', 'He pours coffee.', '(dir. Kim Ha-neul) It works.']
    """
    out: list[tuple[str, int, int]] = []
    pieces = [piece for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text)
              for piece in _after_title_lines(para.start(), para.group())]
    for base, chunk in pieces:
        start = 0
        for m in _END.finditer(chunk):
            end = m.end()
            before = chunk[start:m.start()]
            if m.group() == "." and re.fullmatch(r"\s*\d{1,3}", chunk[chunk.rfind("\n", 0, m.start()) + 1:m.start()]):
                continue  # "1." numbering a list item, at the start of its line
            word = re.search(r"([\w.]+)$", before)
            token = word.group(1).lower() if word else ""
            if chunk[m.start()] == "." and m.group().startswith(".") and len(m.group().rstrip(_CLOSERS)) == 1:
                if token.rstrip(".") in _ABBREVIATIONS or (word and len(word.group(1)) == 1 and word.group(1).isupper()):
                    continue
                if word and re.fullmatch(r"(?:[A-Z]\.){1,2}[A-Z]", word.group(1)) and re.match(r"\s+[A-Z][a-z]", chunk[end:]):
                    continue  # "J.J. Abrams", "A.R. Rahman": initials before a name
            rest = chunk[end:].lstrip()
            if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'“‘(["
                             or not rest[0].isascii()):
                continue
            _add(out, chunk, base, start, end)
            start = end
        _add(out, chunk, base, start, len(chunk))
    return out


def sentence_number(sents: list[tuple[str, int, int]], offset: int) -> int:
    """The number (1 is the first: the headline, when the article has one) of the
    sentence of ``sents`` (from :func:`sentences`) that holds character ``offset``:
    the one numbering of ingest's report, ``review sentences``, ``review list`` and
    the review page. An offset between two sentences belongs to the one before.

    >>> sents = sentences("A headline\\n\\nIU sang. V danced.")
    >>> sentence_number(sents, 0), sentence_number(sents, 12), sentence_number(sents, 21)
    (1, 2, 3)
    """
    n = 1
    for i, (_, start, _end) in enumerate(sents, 1):
        if start > offset:
            break
        n = i
    return n


def _add(out: list, chunk: str, base: int, start: int, end: int) -> None:
    piece = chunk[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if piece:
        s = base + start + lead
        out.append((piece, s, s + len(piece)))
