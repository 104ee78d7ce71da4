"""Reading a news article and proposing candidate facts (``collabgraph ingest``).

The pipeline has no statistical model: the article is reduced to text,
split into sentences with exact character offsets, the graph's own names are
found on folded text (case, spaces, hyphens; Korean kept) with a map back to
the original characters, unknown names (quoted titles, capitalised spans) are
proposed as new entities with fuzzy suggestions, and relations between the
mentions of one sentence come from named pattern rules. Every candidate's
``sentence`` is ``text[start:end]`` exactly, and every mention's ``text`` is
``text[m.start:m.end]``.

>>> s = sentences("Mr. Kim met J. K. Lee. \\u201cWow,\\u201d she said.\\nThe end.")
>>> [t for t, _, _ in s]
['Mr. Kim met J. K. Lee.', '\\u201cWow,\\u201d she said.', 'The end.']

Dates are read by :func:`collabgraph.ingest.spans.normalise_date`, whose examples are there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable

from ..core.durable import writing
from ..core.errors import CollabGraphError, SourceError
from ..core.formats import SOURCE_SUFFIXES
from ..core.names import search_key, slug
from ..core.namespaces import curie
from ..core.packaged import default_ontology
from ..store.local import Store
from ..views.entities import describe
from ..views.nameindex import NameIndex, index_names
from ..views.reader import Reader
from .blocks import BlockExtractor, own_claims, whole_line, with_blocks
from .clean import story_sentences
from .spans import (DATE_RE as _DATE_RE, FUTURE as _FUTURE, MONTHS as _MONTHS,
                    fits as _fits, identity as _identity, kind as _kind, normalise_date, qualifies_person,
                    vocab as _FINDER_VOCAB)
from .candidates import ARTICLES_DIR, Article, ArticleFile, Candidate, Mention
from ..importers.linking import sources_store
from ..importers.vocabulary import vocabulary

__all__ = ["ingest", "analyse", "read_article", "html_to_text", "sentences", "normalise_date",
           "KnownNames", "IngestReport", "Analysis", "MAX_CHARS", "DEFAULT_THRESHOLD", "SUGGEST_SCORE"]

#: The longest article text accepted (characters, after HTML is reduced to text).
MAX_CHARS = 2_000_000
#: The longest file read (bytes): HTML may carry markup several times its text.
MAX_BYTES = 8_000_000
#: Candidates at or above this score are the ones the benchmark (and bulk review) count.
DEFAULT_THRESHOLD = 0.5
#: Fuzzy suggestions at or above this rapidfuzz WRatio score are listed.
SUGGEST_SCORE = 85.0
#: What ``graph/articles/.gitignore`` says: article texts stay out of the history.
GITIGNORE = ("# Article texts as ingested: kept beside the graph, not in the history.\n"
             "# To keep one in the repository: git add -f graph/articles/<id>.txt\n*.txt\n")


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
                  "u.s", "u.k"}
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
_CLOSERS = "\"'”’)]"


def sentences(text: str) -> list[tuple[str, int, int]]:
    """``(sentence, start, end)`` with ``text[start:end] == sentence``: a
    paragraph break always ends a sentence; a line break inside a paragraph
    does not; "Mr." and initials ("J. K.") do not end one."""
    out: list[tuple[str, int, int]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        base, chunk = para.start(), para.group()
        start = 0
        for m in _END.finditer(chunk):
            end = m.end()
            before = chunk[start:m.start()]
            word = re.search(r"([\w.]+)$", before)
            token = word.group(1).lower() if word else ""
            if chunk[m.start()] == "." and m.group().startswith(".") and len(m.group().rstrip(_CLOSERS)) == 1:
                if token.rstrip(".") in _ABBREVIATIONS or (word and len(word.group(1)) == 1 and word.group(1).isupper()):
                    continue
            rest = chunk[end:].lstrip()
            if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'“‘(["
                             or not rest[0].isascii()):
                continue
            _add(out, chunk, base, start, end)
            start = end
        _add(out, chunk, base, start, len(chunk))
    return out


def _add(out: list, chunk: str, base: int, start: int, end: int) -> None:
    piece = chunk[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if piece:
        s = base + start + lead
        out.append((piece, s, s + len(piece)))


# ---------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------
# The graph's names
# ---------------------------------------------------------------------------------

@dataclass
class KnownNames:
    """The names of a graph's entities (folded), their types and labels."""

    index: NameIndex
    reader: Reader | None = None
    _types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _names: dict[str, list[tuple[str, str]]] | None = None
    _by_iri: dict[str, list[str]] | None = None
    _fuzzy: dict[str, list[tuple[str, str, str, str]]] | None = None
    #: song IRI -> the music videos the graph says were made for it
    videos: dict[str, list[str]] = field(default_factory=dict)
    #: folded words that one source declared as a description of an entity
    #: (``cg:mentionedAs``): in another article they may mean someone else
    #: ("the BTS singer"), so they are suggestions, never links
    described: frozenset[str] = frozenset()
    #: character IRI -> the works the graph says it is a character of (``cg:characterIn``,
    #: or a credit's ``cg:character``): a character links only where one of them is the subject
    character_works: dict[str, frozenset[str]] = field(default_factory=dict)
    #: work IRI -> the agents the graph credits on it (any role)
    credited: dict[str, frozenset[str]] = field(default_factory=dict)
    #: entity IRI -> the entities one fact of the graph ties it to (a credit's agent and
    #: work, a membership's member and group, a claim's subject and entity value, a
    #: character and its work): what can corroborate a name (:func:`_corroborated`)
    neighbours: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def for_graph(cls, graph_dir: str | Path, ontology_dir: str | Path | None = None) -> "KnownNames":
        """Names of the RDF source files in ``graph_dir`` (none is fine: an empty graph)."""
        store, _ = sources_store(graph_dir, ontology_dir)
        index = index_names(store)
        described = _declared_descriptions(store)
        # the graph's own folded names, read once (not a second index of the same store)
        own = {key for key, _, _ in index.names()} if described else set()
        if described:
            index = NameIndex.from_rows([(iri, name) for _, name, iri in index.names()] + described)
        videos: dict[str, list[str]] = {}
        for r in store.select(_VIDEOS):
            videos.setdefault(r["song"].value, []).append(r["mv"].value)
        characters: dict[str, set[str]] = {}
        for r in store.select(_CHARACTER_WORKS):
            characters.setdefault(r["ch"].value, set()).add(r["work"].value)
        credited: dict[str, set[str]] = {}
        for r in store.select(_CREDITED):
            credited.setdefault(r["work"].value, set()).add(r["agent"].value)
        near: dict[str, set[str]] = {}

        def tie(a: str, b: str) -> None:
            if a != b:
                near.setdefault(a, set()).add(b)
                near.setdefault(b, set()).add(a)

        for work, agents in credited.items():
            for agent in agents:
                tie(work, agent)
        for ch, works in characters.items():
            for work in works:
                tie(ch, work)
        for r in store.select(_TIES):
            tie(r["a"].value, r["b"].value)
        return cls(index, Reader(store), videos={k: sorted(set(v)) for k, v in videos.items()},
                   described=frozenset(search_key(w) for _, w in described) - own,
                   character_works={k: frozenset(v) for k, v in characters.items()},
                   credited={k: frozenset(v) for k, v in credited.items()},
                   neighbours={k: frozenset(v) for k, v in near.items()})

    @classmethod
    def cached(cls, graph_dir: str | Path, ontology_dir: str | Path | None = None) -> "KnownNames":
        """:meth:`for_graph`, kept in this process for the next ingest into the same
        graph directory while none of its RDF source files (nor the ontology) has
        changed: same paths, sizes, modification times and inodes. Any change, an
        added or a removed file reads the whole graph again. Only the last graph
        directory is kept (its names and its in-memory store).

        :raises SourceError: if ``graph_dir`` is not a directory.
        """
        key = _sources_signature(graph_dir, ontology_dir)
        with _CACHE_LOCK:
            hit = _CACHE.get("known")
            if hit is not None and hit[0] == key:
                return hit[1]
        known = cls.for_graph(graph_dir, ontology_dir)
        # a file written while it was read would give a signature that no longer fits: keep nothing then
        if _sources_signature(graph_dir, ontology_dir) == key:
            with _CACHE_LOCK:
                _CACHE["known"] = (key, known)
        return known

    @staticmethod
    def forget() -> None:
        """Drop the names :meth:`cached` keeps (the next ingest reads the graph again)."""
        with _CACHE_LOCK:
            _CACHE.clear()

    def fuzzy_choices(self, initial: str) -> list[tuple[str, str, str, str]]:
        """``(processed name, name, entity, folded name)`` of every name fuzzy
        suggestions may come from whose folded form starts with ``initial``, in
        the order of :meth:`by_key`: its leading article dropped, descriptions left
        out. Made once for all initials (a Python loop over a million names per
        unknown span was most of an ingest at 1M triples)."""
        if self._fuzzy is None:
            from rapidfuzz.utils import default_process

            groups: dict[str, list[tuple[str, str, str, str]]] = {}
            for k, owners in self.by_key().items():
                if k in self.described:
                    continue
                for iri, name in owners:
                    if _DESCRIPTION_WORDS.match(name):
                        continue
                    bare = _ARTICLE.sub("", name)
                    folded = search_key(bare)
                    if folded:
                        groups.setdefault(folded[:1], []).append((default_process(bare), bare, iri, folded))
            self._fuzzy = groups
        return self._fuzzy.get(initial, [])

    def owners(self, words: str) -> list[str]:
        """Every entity one of whose names folds (:func:`search_key`) to the key of ``words``."""
        return sorted({iri for iri, _ in self.by_key().get(search_key(words), [])})

    def by_key(self) -> dict[str, list[tuple[str, str]]]:
        """Folded name -> ``[(entity, name as written)]``."""
        if self._names is None:
            names: dict[str, list[tuple[str, str]]] = {}
            for key, name, iri in self.index.names():
                names.setdefault(key, []).append((iri, name))
            self._names = names
        return self._names

    def names_of(self, iri: str) -> list[str]:
        """Every name of an entity, as written."""
        if self._by_iri is None:
            self._by_iri = {}
            for _, name, owner in self.index.names():
                self._by_iri.setdefault(owner, []).append(name)
        return self._by_iri.get(iri, [])

    def types(self, iri: str) -> tuple[str, ...]:
        if iri not in self._types:
            self._types[iri] = tuple(t.split(":", 1)[-1] for t in describe(self.reader, iri).types) \
                if self.reader else ()
        return self._types[iri]

    def label(self, iri: str) -> str:
        return describe(self.reader, iri).label if self.reader else iri


#: the names :meth:`KnownNames.cached` keeps: ``"known"`` -> (signature of the sources, names)
_CACHE: dict[str, tuple[tuple[Any, ...], KnownNames]] = {}
_CACHE_LOCK = threading.Lock()


def _sources_signature(graph_dir: str | Path, ontology_dir: str | Path | None) -> tuple[Any, ...]:
    """What :func:`sources_store` would read, as paths with their size, modification
    time and inode: any write, addition or removal changes it.

    :raises SourceError: if ``graph_dir`` is not a directory.
    """
    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise SourceError(f"{os.fsdecode(graph_dir)}: no such graph directory; run where graph/ is, or name it with --graph DIR")
    files = sorted(p for p in graph_dir.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file())
    files.append(Path(ontology_dir or default_ontology()) / "collab.ttl")
    out: list[Any] = [str(graph_dir.resolve())]
    for p in files:
        st = p.stat()
        out.append((str(p), st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))
    return tuple(out)


_CG_NS = "https://w3id.org/collabgraph/ns#"
_VIDEOS = f"""PREFIX cg: <{_CG_NS}>
SELECT DISTINCT ?mv ?song WHERE {{
  {{ ?mv cg:musicVideoFor ?song }} UNION {{ ?c cg:about ?mv ; cg:property cg:musicVideoFor ; cg:value ?song }}
}}"""
_CREDITED = f"""PREFIX cg: <{_CG_NS}>
SELECT DISTINCT ?work ?agent WHERE {{ ?c cg:work ?work ; cg:agent ?agent }}"""
#: memberships, and claims whose value is an entity (a music video's song, a character's work)
_TIES = f"""PREFIX cg: <{_CG_NS}>
SELECT DISTINCT ?a ?b WHERE {{
  {{ ?m cg:member ?a ; cg:group ?b }} UNION {{ ?c cg:about ?a ; cg:value ?b FILTER isIRI(?b) }}
}}"""
_CHARACTER_WORKS = f"""PREFIX cg: <{_CG_NS}>
SELECT DISTINCT ?ch ?work WHERE {{
  {{ ?ch cg:characterIn ?work }} UNION {{ ?c cg:about ?ch ; cg:property cg:characterIn ; cg:value ?work }}
  UNION {{ ?credit cg:character ?ch ; cg:work ?work }}
}}"""
_MENTIONED_AS = f"""PREFIX cg: <{_CG_NS}>
SELECT DISTINCT ?entity ?name WHERE {{ ?a cg:attests ?entity ; cg:mentionedAs ?name }}"""


def _declared_descriptions(store: Store) -> list[tuple[str, str]]:
    """``(entity, words)`` for the descriptions an attestation declares
    (``cg:mentionedAs``) that carry a name of their own: "the BTS global star"
    is V wherever it is written, while "the music video" or "their single" say
    nothing without their article and are left to the description resolver.
    Words given for two entities name neither."""
    owners: dict[str, set[str]] = {}
    for r in store.select(_MENTIONED_AS):
        words = r["name"].value.strip()
        parts = words.split()
        if len(parts) < 2 or parts[0].lower() != "the" or not any(p[:1].isupper() for p in parts[1:]):
            continue
        owners.setdefault(words, set()).add(r["entity"].value)
    return sorted((next(iter(e)), w) for w, e in owners.items() if len(e) == 1)


# ---------------------------------------------------------------------------------
# Mentions
# ---------------------------------------------------------------------------------

def _fold_map(text: str) -> tuple[str, list[int]]:
    """The folded text (as :func:`search_key`) and, for each folded character,
    the index of the original character it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for f in unicodedata.normalize("NFKC", ch).casefold():
            if unicodedata.category(f)[0] in "LN":
                out.append(f)
                where.append(i)
    return "".join(out), where


def _is_word(ch: str) -> bool:
    return ch.isalnum()


_STOP_CAPS = {"the", "a", "an", "in", "on", "at", "and", "but", "or", "for", "of", "to", "with", "after", "before",
              "since", "while", "when", "then", "however", "meanwhile", "also", "fans", "fan", "he", "she", "they",
              "it", "his", "her", "their", "its", "this", "that", "these", "those", "there", "here", "we", "i",
              "you", "as", "prior", "furthermore", "hence", "in addition", "according", "both", "last", "next",
              "earlier", "later", "today", "yesterday", "k-pop", "k-drama", "k-dramas", "korean", "english",
              "netizens", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
              "mr", "mrs", "ms", "dr", "everyone", "some", "many", "one", "two", "three", "if", "so", "now",
              "what", "who", "where", "why", "how", "not", "no", "yes", "be", "is", "are", "was", "were",
              "during", "from", "by", "all", "each", "our", "my", "your", "instead", "still", "even", "despite",
              "although", "though", "because", "until", "recently", "sources", "reports", "insiders", "viewers",
              "critics", "agency", "producers", "billboard", "season", "episode", "part", "chapter", "vol",
              "people", "everybody", "nobody", "someone", "warning", "spoilers", "update", "updated", "photo"}
_STOP_CAPS.update(_MONTHS)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
#: Words that describe rather than name ("the music video", "their single"): never linked by themselves.
_DESCRIPTION_WORDS = re.compile(r"^(?i:the|a|an|this|that|these|those|his|her|their|its|our|my)\s+[^A-Z]*$")
#: Titles written before a name ("Leader Seoha", "PD Song Eun-bi"): not part of it.
_TITLES = {"leader", "writer", "director", "producer", "pd", "singer", "rapper", "actor", "actress", "composer",
           "lyricist", "host", "comedian", "member", "members", "novelist", "newcomer", "veteran", "chef", "mc",
           "dancer", "choreographer", "vocalist", "maknae", "screenwriter", "filmmaker",
           "songwriter", "singer-songwriter", "co-host", "presenter", "engineer", "arranger", "guitarist", "drummer",
           "trainee", "rookie", "newcomers", "actors", "singers", "rappers", "producers", "directors"}
_CONNECT = {"of", "the", "and", "&", "de", "in", "for", "on", "a", "to"}
#: An information box's labels ("Director: Kwak Ye-jin"): never part of the name after them.
_LABELS = _TITLES | {"screenplay", "starring", "cast", "music", "lyrics", "network", "episodes", "writer", "guests",
                     "hosts", "featuring", "producers", "runtime"}
_FAMILY = {"kim", "lee", "park", "choi", "jung", "jeong", "kang", "cho", "jo", "yoon", "yun", "jang", "lim", "im",
           "han", "oh", "seo", "shin", "kwon", "hwang", "ahn", "song", "yoo", "yu", "hong", "jeon", "jun", "go", "ko",
           "moon", "yang", "son", "bae", "baek", "heo", "nam", "min", "ryu", "noh", "ha", "kwak", "cha", "joo"}
_WORK_CUES = [(r"\b(?:music video|MV|video|remix|cover) (?:for|of)", "Song"), (r"music video|\bMV\b", "MusicVideo"), (r"\bb-side|\btitle track|\blead single|\bsummer hit", "Song"),
              # a web drama is a web series (published online), not a K-drama of television
              (r"\bweb[- ]?(?:drama|series|show)s?\b|\bwebseries\b", "WebSeries"),
              (r"\bK-?drama|\bdrama\b", "KDrama"),
              (r"\bfilm\b|\bmovie\b", "Film"), (r"\bseries\b|\bshow\b|\bsitcom\b", "TVSeries"),
              (r"\balbum\b|\bEP\b|mini-album", "Album"), (r"\bsingle\b", "Single"),
              (r"\bsong\b|\btrack\b|\bballad\b|\banthem\b|\bOST\b", "Song")]
_AGENT_CUES = [(r"\b(?:boy|girl|co-ed)?\s*(?:group|band|duo|trio|quartet|unit)\b", "Group"),
               (r"\b(?:singer|actor|actress|rapper|idol|songwriter|producer|director|star|dancer|member|"
                r"leader|vocalist|comedian|host|composer|soloist|Mr|Ms|Mrs|Dr)\b\.?", "Person")]


def _guess_type(text: str, before: str, after: str, quoted: bool) -> str | None:
    """A class guess for an unknown name from its shape and the words around it."""
    # the words of its own paragraph ("Composed by Jaehan" is no song for the "Track 4" under it)
    near_before = before[-40:].rsplit("\n\n", 1)[-1]
    near_after = after[:30].split("\n\n", 1)[0]
    owner = bool(re.match(r"['’]s?\s", after)) and not quoted  # "the video for Nari's “X”": Nari owns the work
    for cue, cls in ([] if owner else _WORK_CUES):
        if re.search("(?:" + cue + r")[\s,:]*(?:titled|called|named)?[\s\"“‘']*$", near_before, re.I) or \
                re.match(r"[\s\"”’']*(?:" + cue + r")(?![\w-]| (?:festival|awards?|industry|critics?|company|studios?|"
                         r"school|fans?|market|ceremony|circles?|scene|business|crew|set)\b)", near_after, re.I):
            return cls  # "the film Luna", "Luna (film)"; not "the Busan film festival"
    if quoted:
        return "Work"
    if re.match(r",? (?:a|an|the) (?:[\w-]+ ){0,3}?(?:group|band|duo|trio)\b", near_after, re.I):
        return "Group"  # "Star Tide, a new girl group formed by ..."
    if re.match(r",? (?:a|an|the) (?:[\w-]+ ){0,3}?(?:singer|soloist|solo artist|actor|actress|rapper|producer|"
                r"director|songwriter|composer|comedian|dancer)\b", near_after, re.I):
        return "Person"  # "Eden, a solo artist who debuted in 2023"
    if re.search(r"\b[Tt]he $", near_before) and re.match(r" (?:[a-z][\w-]* )?(?:idol|member|leader|maknae)s?\b",
                                                          near_after):
        return "Group"  # "the BTS idol", "the NOVA9 member"
    for cue, cls in _AGENT_CUES:
        if re.search(cue + r"\s*$", near_before, re.I):
            return cls
    words = text.split()
    if len(words) in (2, 3) and (words[0].lower() in _FAMILY or re.search(r"\b[A-Z][a-z]+-[a-z]+\b", text)):
        return "Person"
    return None


def _quoted_titles(text: str) -> list[tuple[int, int]]:
    """Offsets of quoted titles: “Title”, "Title" or ‘Title’, short, capitalised
    (or not Latin), and not a quoted sentence."""
    out = []
    for m in re.finditer(r"[\"“‘]([^\"“”‘’\n]{1,60}?)[\"”’](?!\w)", text):
        inner = m.group(1)
        end = m.end(1)
        if inner.endswith(",") and len(inner) > 2:  # American style: “Paper Lanterns,” said ...
            inner, end = inner[:-1], end - 1
            if len(inner.split()) > 5 or re.search(r"\b(?:I|my|me|we|our|you|your|it|is|are|was|were)\b", inner):
                continue  # “People keep tagging Taehyung in my comments,” she said: speech, no title
        if not inner.strip() or inner != inner.strip() or re.search(r"[.!?,:;]$", inner) \
                or len(inner.split()) > 8 or not (inner[0].isupper() or inner[0].isdigit() or not inner[0].isascii()):
            continue
        out.append((m.start(1), end))
    return out


#: A work noun after which a sentence-case title may follow ("their music video Love wins all").
_TITLE_CUE = re.compile(r"\b(?:music video|MV|song|single|track|ballad|anthem|album|EP|mini-album|film|movie|"
                        r"K-?drama|drama|series|show|OST)\s+(?P<t>[A-Z][\w'’-]*(?: [a-z][\w'’-]*){1,4})"
                        r"(?=[.,;:!?)]|\s*$)")
#: Words a sentence-case title never continues with: the sentence's own verbs and joints.
_NOT_IN_TITLE = {"is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "can",
                 "could", "should", "and", "or", "but", "which", "that", "who", "whom", "whose", "when", "while",
                 "where", "as", "than", "then", "also", "too", "again", "together", "ago", "last", "next", "this",
                 "year", "years", "week", "month", "today", "yesterday", "said", "says"}


def _sentence_case_titles(text: str) -> list[tuple[int, int]]:
    """Offsets of every occurrence of a title written in sentence case, which
    no capitalised span can find whole ("Love wins all"): the words after a
    work noun up to a clause's end, when they are no verb or joint of the
    sentence and the same words come back at least once more in the article
    (one occurrence is too little to tell "the song Blue last night." from a title)."""
    titles = set()
    for m in _TITLE_CUE.finditer(text):
        title = m.group("t")
        if any(w in _NOT_IN_TITLE for w in title.split()[1:]):
            continue
        if len(re.findall(rf"(?<![\w'’-]){re.escape(title)}(?![\w'’-])", text)) >= 2:
            titles.add(title)
    out = []
    for title in sorted(titles, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(title)}(?![\w'’-])", text):
            if not any(m.start() < e and s < m.end() for s, e in out):
                out.append((m.start(), m.end()))
    return sorted(out)


_CAP_WORD = r"[A-Z0-9][\w’']*(?:-[\w’']+)*"


def _not_title_word(word: str) -> bool:
    """A capitalised word that merely starts a sentence, precedes a name or is a number."""
    return word.lower() in _STOP_CAPS or word.lower() in _TITLES or word.isdigit()


def _longer_title(text: str, s: int, e: int, found: list[tuple[int, int, str]]) -> bool:
    """Whether ``text[s:e]`` is part of a longer capitalised title: capitalised words
    right before or after it, joined by a space or a hyphen ("Bus Stop Blue",
    "Blue-Eyed Girl"), that are no other known name, no possessive ("IU's Blue")
    and no word that merely starts a sentence or precedes a name ("The", "Singer")."""
    before = re.search(rf"(?:{_CAP_WORD}[ -])+$", text[max(0, s - 80):s])
    words = []
    for w in reversed(before.group().split()) if before else []:
        # the run of title words next to the name: "2016 K-drama" or "IU's" before it end the run
        if _not_title_word(w) or re.search(r"['’]s?$", w):
            break
        words.insert(0, w)
    left_start = s - len(" ".join(words)) - 1 if words else s
    left = bool(words) and not any(fs < s and left_start < fe for fs, fe, _ in found)
    after = re.match(rf"(?:[ -]{_CAP_WORD})+", text[e:e + 80])
    words = []
    for w in re.findall(_CAP_WORD, after.group()) if after else []:
        if _not_title_word(w):
            break
        words.append(w)
    right_end = e + 1 + len(" ".join(words)) if words else e
    right = bool(words) and not any(e < fe and fs < right_end for fs, fe, _ in found)
    return left or right


class _Finder:
    def __init__(self, text: str, known: KnownNames, published: str | None):
        self.text = text
        self.known = known
        self.vocab = vocabulary()

    # -- the graph's names ---------------------------------------------------------
    def known_mentions(self) -> list[Mention]:
        text = self.text
        folded, where = _fold_map(text)
        names = self.known.by_key()
        if not names:
            return []
        longest = max(len(k) for k in names)
        # word starts and ends, as folded indexes
        starts, ends = [], set()
        for fi, oi in enumerate(where):
            if (fi == 0 or where[fi - 1] != oi) and (oi == 0 or not _is_word(text[oi - 1])):
                starts.append(fi)
            if (fi + 1 == len(where) or where[fi + 1] != oi) and (oi + 1 >= len(text) or not _is_word(text[oi + 1])):
                ends.add(fi + 1)
        found: list[tuple[int, int, str]] = []
        for fs in starts:
            for fe in range(min(len(folded), fs + longest), fs, -1):
                if fe in ends and folded[fs:fe] in names:
                    found.append((where[fs], where[fe - 1] + 1, folded[fs:fe]))
                    break
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        # A name inside a longer quoted title is part of that title ("Blue" in
        # "Blue Hour"), never a mention of its own: linking it would be a guess.
        titles = _quoted_titles(text)
        found = [f for f in found if not any(qs <= f[0] and f[1] <= qe and (qs, qe) != (f[0], f[1])
                                             for qs, qe in titles)]
        # Likewise a work's name inside a longer capitalised title ("Blue" in "Bus Stop Blue"):
        # the whole title is the mention (a new work), never the inner one.
        found = [f for f in found if not (self._names_a_work(f[2]) and _longer_title(text, f[0], f[1], found))]
        taken: list[tuple[int, int]] = []
        out = []
        for s, e, key in found:
            if any(s < te and ts < e for ts, te in taken):
                continue
            span = text[s:e]
            owners = [(iri, name) for iri, name in names[key] if not _DESCRIPTION_WORDS.fullmatch(name)
                      or name[:1].isupper() and any(w[:1].isupper() for w in name.split()[1:])]
            if not owners:
                continue  # "the music video" stored as a name by mistake: words, not a name
            exact = [iri for iri, name in owners if name == span]
            if span.islower() and not any(n.islower() for _, n in owners):
                continue  # a common word ("blue") is not the name "Blue"
            iris = sorted({iri for iri, _ in owners})
            taken.append((s, e))
            if key in self.known.described:  # a description one source gave: a person decides
                sugg = tuple((iri, self.known.label(iri), 100.0) for iri in iris)
                out.append(Mention(span, s, e, method="fuzzy", score=100.0, label=span, suggestions=sugg))
            elif len(iris) == 1 and not self._other_kind(iris[0], span, s, e):
                iri = iris[0]
                out.append(Mention(span, s, e, link=iri, method="alias" if exact else "normalised",
                                   score=100.0, type=self._type_of(iri), label=self.known.label(iri)))
            elif len(iris) == 1:
                # the words around it call it another kind of thing ("the 2016 series Hwarang" where the
                # graph's Hwarang is a dance crew): a person decides, and the words' kind is kept
                iri = iris[0]
                out.append(Mention(span, s, e, method="fuzzy", score=100.0, label=span,
                                   suggestions=((iri, self.known.label(iri), 100.0),),
                                   type=self._context_type(span, s, e)))
            else:
                # a name several entities share: the words around it may say which kind it is ("singer Luna")
                quoted = s > 0 and text[s - 1] in "\"“‘" and text[e:e + 1] in ("\"", "”", "’")
                guess = _guess_type(span, text[max(0, s - 60):s - (1 if quoted else 0)], text[e + (1 if quoted else 0):e + 40],
                                    quoted)
                sugg = tuple((iri, self.known.label(iri), 100.0) for iri in iris)
                out.append(Mention(span, s, e, method="fuzzy", score=100.0, label=span, suggestions=sugg,
                                   type=None if guess == "Work" else guess))
        return sorted(out, key=lambda m: m.start)

    def _context_type(self, span: str, s: int, e: int) -> str | None:
        """The kind the words right around a name give it ("the series X", "singer X")."""
        text = self.text
        quoted = s > 0 and text[s - 1] in "\"“‘" and text[e:e + 1] in ("\"", "”", "’")
        # the words of its own sentence only (a headline's "summer film" says nothing of the next line)
        before = re.split(r"(?<=[.!?\n])\s", text[max(0, s - 60):s - (1 if quoted else 0)])[-1]
        after = re.split(r"(?<=[.!?])\s|\n", text[e + (1 if quoted else 0):e + 40])[0]
        guess = _guess_type(span, before, after, quoted)
        return None if guess == "Work" and quoted else guess

    def _other_kind(self, iri: str, span: str, s: int, e: int) -> bool:
        """Whether the words around a name say it is a work where the graph's entity of that
        name is an agent, or the reverse."""
        guess = self._context_type(span, s, e)
        types = self.known.types(iri)
        if not guess or guess == "Work" or not types or _guess_type(span, "", "", False) == guess:
            return False  # no words around it, or only the name's shape ("Moon Lovers" looks like a person)
        is_work = self.vocab.is_work_class(guess)
        return all(bool(self.vocab.is_work_class(t) or t == "Work") != is_work for t in types)

    def _names_a_work(self, key: str) -> bool:
        return any(self.vocab.is_work_class(t) or t == "Work"
                   for iri, _ in self.known.by_key()[key] for t in self.known.types(iri))

    def _type_of(self, iri: str) -> str | None:
        types = self.known.types(iri)
        # the most specific class first (the one with most ancestors)
        ranked = sorted(types, key=lambda t: -len(self.vocab.superclasses.get(t, ())))
        return ranked[0] if ranked else None

    # -- names the graph does not know ---------------------------------------------
    def unknown_spans(self, sents: list[tuple[str, int, int]], taken: list[Mention]) -> list[tuple[int, int, bool]]:
        text = self.text
        spans: list[tuple[int, int, bool]] = []

        def free(s: int, e: int) -> bool:
            return not any(s < m.end and m.start < e for m in taken) and \
                not any(s < se and ss < e for ss, se, _ in spans)

        for s, e in _quoted_titles(text):
            if free(s, e):
                spans.append((s, e, True))
        for s, e in _sentence_case_titles(text):
            if free(s, e):
                spans.append((s, e, False))
        # capitalised spans
        mid_caps = set()
        word = r"(?:[A-Z][\w'’.-]*[\w]|[A-Z]|[가-힣]+)"
        # "Music of the Spheres", "Permission to Dance": small words between capitalised ones
        cap_re = re.compile(rf"{word}(?:(?: (?:of|the|&|de|of the|to|in the|on the) | |: ){word})*")
        for sent, _ss, _se in sents:
            for m in cap_re.finditer(sent):
                if m.start() > 0:
                    mid_caps.add(m.group().split()[0].lower())
                parts = m.group().split()
                if len(parts) > 1:  # "Seojoon laughed.", "Park plays ...": a short form of a full name
                    mid_caps.update(p.lower() for p in (parts[0], parts[-1], " ".join(parts[1:]),
                                                        "".join(parts[1:]).replace("-", "")))
        for m in taken:
            parts = m.text.split()
            if len(parts) > 1:
                mid_caps.update(p.lower() for p in (parts[0], parts[-1], "".join(parts[1:]).replace("-", "")))
        for sent, ss, _se in sents:
            for m in cap_re.finditer(sent):
                span = m.group()
                s, e = ss + m.start(), ss + m.end()
                # trim possessives and trailing connector words
                span_c = re.sub(r"['’]s?$", "", span)
                e -= len(span) - len(span_c)
                span = span_c
                owner = re.match(r"(\S+)['’]s (?=[A-Z])", span)
                if owner and not _guess_type(span, text[max(0, s - 60):s], text[e:e + 40], False):
                    # "BLACKPINK's Jisoo": the group and the person, two names (unless a cue makes the
                    # whole a title: "her talk show, IU's Palette")
                    for ps, pe in ((s, s + len(owner.group(1))), (s + owner.end(), e)):
                        word = text[ps:pe]
                        if free(ps, pe) and word.lower() not in _STOP_CAPS and len(word) > 1:
                            spans.append((ps, pe, False))
                    continue
                parts = span.split()
                while parts and (parts[0].lower() in _STOP_CAPS or parts[0].lower() in _TITLES and len(parts) > 1
                                 or parts[0].lower().rstrip(":") in _LABELS and parts[0].endswith(":")):
                    s += len(parts[0]) + 1
                    parts = parts[1:]
                if not parts:
                    continue
                span = " ".join(parts)
                if span.lower() in _STOP_CAPS or parts[-1] in _CONNECT:  # "Life Goes On" ends in a capital
                    continue
                sentence_start = s == ss or sent[:s - ss].strip() in ("“", "\"", "‘")
                if len(parts) == 1:
                    w = parts[0]
                    if len(w) < 2 or (sentence_start and w.lower() not in mid_caps and not w.isupper()):
                        continue
                    if w.lower() in _STOP_CAPS or re.fullmatch(r"[A-Z][a-z]+s", w) and w.lower() not in mid_caps:
                        continue
                if re.fullmatch(r"[A-Z][a-z]?['’](?:m|s|re|ve|ll|d|t)", span):
                    continue  # "I’m", "It’s": a contraction, no name
                if free(s, e) and text[s:e] == span:
                    spans.append((s, e, False))
                elif text[s:e] == span and re.search(r" (?:of|of the|the|to|in the|on the|&|de) ", span):
                    # "Ha Jun-seo of AURORA7": a new name joined to a known one by a small word
                    for part in re.finditer(r"(?:^| (?P<j>of|the|to|in|on|&|de) )(?P<p>(?:(?! (?:of|the|to|in|on|&|de) ).)+)",
                                            span):
                        ps, pe = s + part.start("p"), s + part.end("p")
                        words = part.group("p").split()
                        # "Peakboy & Nari": one word after "&" is a name too
                        if (len(words) >= 2 or part.group("j") == "&" and len(words[0]) > 2) and free(ps, pe) \
                                and words[0].lower() not in _STOP_CAPS:
                            spans.append((ps, pe, False))
        return spans

    def new_mention(self, s: int, e: int, quoted: bool) -> Mention:
        span = self.text[s:e]
        before, after = self.text[max(0, s - 60):s], self.text[e:e + 40]
        if quoted:
            before, after = before[:-1], after[1:]
        guess = _guess_type(span, before, after, quoted)
        suggestions = self._fuzzy(span)
        if suggestions:
            return Mention(span, s, e, method="fuzzy", score=suggestions[0][2], type=guess, label=span,
                           suggestions=tuple(suggestions))
        return Mention(span, s, e, method="new", type=guess, label=span)

    def _fuzzy(self, span: str, limit: int = 3) -> list[tuple[str, str, float]]:
        from rapidfuzz import fuzz, process

        names = self.known.by_key()
        if not names:
            return []
        from rapidfuzz.utils import default_process

        # A leading article says nothing about a name: "The Moonlight Parade" is not close to
        # V's epithet "the BTS global star" because both start with "the" (WRatio 85.5).
        span = _ARTICLE.sub("", span)
        key = search_key(span)
        if len(key) < 2:
            return []
        choices = [c for c in self.known.fuzzy_choices(key[:1]) if c[3] != key]
        best: dict[str, tuple[str, str, float]] = {}
        closeness: dict[str, float] = {}
        words = [search_key(w) for w in span.split()]
        # the names come processed already (default_process, once): the same scores as processing both here
        for _, score, i in process.extract(default_process(span), [c[0] for c in choices], scorer=fuzz.WRatio,
                                           processor=None, limit=10, score_cutoff=SUGGEST_SCORE):
            match, iri = choices[i][1], choices[i][2]
            if len(search_key(match)) < 3 and len(key) > 3:
                continue
            inner = [search_key(w) for w in match.split()]
            if len(inner) < len(words) and any(words[k:k + len(inner)] == inner for k in range(len(words))) \
                    and self._names_a_work(search_key(match)):
                continue  # a known title inside a longer one ("Blue" in "Bus Stop Blue") is another work
            close = fuzz.ratio(key, search_key(match))
            if iri not in best or (score, close) > (best[iri][2], closeness[iri]):
                best[iri] = (iri, self.known.label(iri), round(float(score), 1))
                closeness[iri] = close
        # equal scores: the name closest in length and spelling first ("Love Wins": "Love wins all")
        return sorted(best.values(), key=lambda s: (-s[2], -closeness[s[0]], s[1]))[:limit]


# ---------------------------------------------------------------------------------
# Descriptions: "the group", "the song"
# ---------------------------------------------------------------------------------

#: A description's head word -> the classes an entity it stands for may have.
_DESCRIBED = {
    "group": ("Group",), "band": ("Group",), "boy group": ("Group",), "girl group": ("Group",),
    "members": ("Group",),
    "song": ("Song", "Single"), "single": ("Single", "Song"), "track": ("Song", "Single"),
    "ballad": ("Song", "Single"), "melody": ("Song", "Single"), "lyrics": ("Song", "Single"),
    "album": ("Album",), "web drama": ("WebSeries",), "web series": ("WebSeries",),
    "k-drama": ("KDrama", "TVSeries", "WebSeries"), "drama": ("KDrama", "TVSeries", "WebSeries", "Film"),
    "series": ("TVSeries", "KDrama", "WebSeries"), "film": ("Film",), "movie": ("Film",),
    "music video": ("MusicVideo",), "video": ("MusicVideo",), "mv": ("MusicVideo",),
    "singer": ("Person",), "actress": ("Person",), "actor": ("Person",), "rapper": ("Person",),
    "idol": ("Person",), "star": ("Person",), "crew": ("Group",), "squad": ("Group",), "duo": ("Group",),
    "trio": ("Group",), "show": ("TVSeries", "TalkShow", "VarietyShow", "WebSeries"),
    "programme": ("TVSeries", "TalkShow", "VarietyShow"), "program": ("TVSeries", "TalkShow", "VarietyShow"),
}
_DESCRIPTION_RE = re.compile(
    r"\b[Tt]he (?:(?:new|latest|same|debut|hit|lead|title|upcoming|original|indie|romance|rookie|five-member|"
    r"four-member|seven-member|[a-z][a-z]+(?:-[a-z]+)?) ){0,2}?(?P<head>boy group|girl group|group|band|members|song|"
    r"single|track|ballad|melody|lyrics|album|web drama|web series|K-drama|drama|series|film|movie|music video|video|"
    r"MV|singer|actress|actor|rapper|idol|star|crew|squad|duo|trio|show|programme|program)"
    r"(?![\w-])")
#: How many sentences before a description its entity may be named in.
DESCRIPTION_WINDOW = 2


def _fits_class(type_: str | None, classes: tuple[str, ...], vocab: Any) -> bool:
    return bool(type_) and any(c in vocab.superclasses.get(type_, {type_}) for c in classes)


def _descriptions(text: str, sents: list[tuple[str, int, int]], mentions: list[Mention],
                  known: KnownNames, vocab: Any) -> list[Mention]:
    """Mentions for descriptions ("the group", "the song", "the film") that
    stand for the one entity of a fitting class named in the same sentence
    before them or in the two sentences before: the most recent such mention,
    ONLY when exactly one entity fits (two fitting entities: nothing). The
    description takes that mention's link (or, when it was not linked, its
    suggestions), method ``description``. "The video" of a song stands for the
    song's music video when the graph knows exactly one, else for the song
    itself. A description followed by a name ("the film "Glass Garden"") is an
    apposition, not a description."""
    out: list[Mention] = []
    taken = [(m.start, m.end) for m in mentions]

    def entity_type(m: Mention, classes: tuple[str, ...] = ()) -> str | None:
        if m.link is None and m.suggestions and m.method == "fuzzy":
            # a name two entities share ("Luna": a singer and a film): the suggestion of the fitting kind
            for iri, _, _ in m.suggestions:
                t = known.types(iri)
                ranked = sorted(t, key=lambda c: -len(vocab.superclasses.get(c, ())))
                if ranked and (not classes or _fits_class(ranked[0], classes, vocab)):
                    return ranked[0]
            return m.type
        return m.type

    def for_class(m: Mention, classes: tuple[str, ...]) -> Mention:
        """A fuzzy mention with the suggestions of the fitting kind first."""
        if m.link is None and len(m.suggestions) > 1:
            fit = [x for x in m.suggestions if any(_fits_class(t, classes, vocab) for t in known.types(x[0]))]
            return replace(m, suggestions=tuple(fit + [x for x in m.suggestions if x not in fit]))
        return m

    def identity(m: Mention) -> str:
        return m.link or ("?" + m.suggestions[0][0] if m.suggestions else "new:" + search_key(m.text))

    for i, (sent, ss, se) in enumerate(sents):
        window_start = sents[max(0, i - DESCRIPTION_WINDOW)][1]
        for d in _DESCRIPTION_RE.finditer(sent):
            s, e = ss + d.start(), ss + d.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if any(e <= m.start < se and re.fullmatch(r"[\s,]*[\"“‘(]?", text[e:m.start]) for m in mentions):
                continue  # "the film "Glass Garden"": an apposition
            if any(e <= m.start < se and _kind(m) in ("work", "unknown") and re.fullmatch(
                    r"\s+(?:of|for|from|on)\s+(?:(?:the|a|an|her|his|their|its)\s+)?(?:[\w-]+\s+){0,2}[\"“‘]?",
                    text[e:m.start]) for m in mentions):
                continue  # "the lyrics of the B-side “Afterglow Club”": the phrase names its own work
            head = d.group("head").lower()
            classes = _DESCRIBED[head]
            video = head in ("music video", "video", "mv")
            pool = [m for m in mentions if window_start <= m.start and m.end <= s and _a_name(m)
                    and not ("Group" in classes and qualifies_person(text, m, mentions))]
            fitting = [for_class(m, classes) for m in pool if _fits_class(entity_type(m, classes), classes, vocab)]
            if not fitting and video:  # the video of a song
                fitting = [m for m in pool if _fits_class(entity_type(m), ("Song", "Single"), vocab)]
            here = [m for m in fitting if ss <= m.start]
            if len({identity(m) for m in here}) == 1:
                fitting = here  # the one fitting entity of the sentence itself
            elif any(entity_type(m) == "Work" and identity(m) not in {identity(f) for f in fitting} for m in pool):
                continue  # a title of unknown kind just before: it may be the one meant
            if len({identity(m) for m in fitting}) != 1:
                continue
            ante = fitting[-1]
            link, suggestions, type_, label = (ante.link, ante.suggestions, entity_type(ante, classes),
                                               ante.label or ante.text)
            if type_ in (None, "Work") and not video:
                type_ = classes[0]  # "the series" after an untyped title: a series
            if video and not _fits_class(type_, classes, vocab):
                song = link or (suggestions[0][0] if suggestions else None)
                mvs = known.videos.get(song or "", [])
                if len(mvs) == 1:
                    type_, label = "MusicVideo", known.label(mvs[0])
                    if link:
                        link = mvs[0]
                    else:
                        suggestions = ((mvs[0], label, suggestions[0][2]),)
            out.append(Mention(text[s:e], s, e, link=link, method="description", score=ante.score, type=type_,
                               label=label, suggestions=suggestions if not link else ()))
            taken.append((s, e))
    return out


# ---------------------------------------------------------------------------------
# Relations
# ---------------------------------------------------------------------------------

_F = r"(?:[^⟦;]|⟦\d+⟧['’]s?\s){0,90}?"           # filler: words, or a possessive mention
_FS = r"(?:[^⟦;.]){0,40}?"                           # short filler
_A, _B, _W, _M, _G = (rf"⟦(?P<{n}>[\d,]+)⟧" for n in ("a", "b", "w", "m", "g"))
#: words for a member of a band or group ("EDEN drummer Gu", "ORBIT5 bandmate Niko")
_MEMBER_WORDS = (r"(?:members?|leader|vocalist|rapper|maknae|singer|dancer|drummer|guitarist|bassist|keyboardist|"
                 r"frontman|frontwoman|bandmate|visual)")
#: memberships a noun phrase states ("BTS's V", "V of BTS", "EDEN drummer Gu"): true whatever the clause
#: around them says ("A rumoured stage by BTS's V did not take place")
_NOMINAL_MEMBERSHIPS = ("possessive-member", "of-group", "group-member")
_W = r"⟦(?P<w>[\d,]+)⟧(?!['’]s?\s)"                 # a work is not an owner ("Peakboy's" is not the work)
_ADV = r"(?:, who | |, which )(?:(?:\w+ly|also|then|has|have|had|will|was|is|were|are|first|finally|later|once|again|just|already|together|soon|to|would|be|been|set|have|rumoured|rumored|said|believed|thought|alleged) ){0,5}"
_SHOW = r"(?:(?:her|his|their|the|a) )?(?:own )?(?:[\w-]+ ){0,2}?(?:talk show|show|program|programme|podcast|radio show|web series|variety show|channel)s?"
_SHOWS = {"TalkShow", "WebSeries", "TVSeries", "Podcast", "RadioShow", "VarietyShow", "Channel"}
_CH = r"(?P<character>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2})"

#: (name, pattern, kind, role, score). Slots: a/b agents, w work, m member, g group.
RULES: list[tuple[str, str, str, str | None, float]] = [
    ("starred-in", rf"{_A}{_ADV}(?:co-)?(?:starred|stars|star|starring|headlined|headlines|leads|led) in {_F}{_W}", "credit", "actor", 0.8),
    ("starring", rf"{_W}{_FS}(?:,|\()? ?(?:starring|co-starring|which stars|that stars|stars) {_A}", "credit", "actor", 0.75),
    ("work-starred", rf"{_W} (?:starred|co-starred|stars|co-stars|will star) {_A}", "credit", "actor", 0.75),
    ("played", rf"{_A}{_ADV}(?:played|plays|play|portrays|portrayed|portray|will play) (?:the (?:role|part) of |the character |a character named |the lead role of )?{_CH}{_FS} in {_F}{_W}", "credit", "actor", 0.8),
    ("as-character", rf"{_A} (?:stars |starred |appears |appeared )?as {_CH} in {_F}{_W}", "credit", "actor", 0.7),
    ("cameo", rf"{_A}{_ADV}(?:made|makes|did|had|has|will make|make) (?:a |an )?(?:[\w-]+ ){{0,2}}?cameo(?: role| appearance)? in {_F}{_W}", "credit", "cameo", 0.8),
    ("cameo-by", rf"{_W}{_F}(?:a |an )?(?:[\w-]+ )?cameo (?:appearance |role )?(?:by|from) {_A}", "credit", "cameo", 0.75),
    ("appeared-in", rf"{_A}{_ADV}(?:appeared|appears|appear|made an appearance|makes an appearance|guest-starred|guest starred|was seen|showed up) (?:[\w-]+ ){{0,3}}?in {_F}{_W}", "credit", "appearance", 0.7),
    ("debuted-in", rf"{_A}{_ADV}(?:debuted|made (?:his|her|their) (?:acting |screen )?debut) (?:as an? (?P<as>[\w-]+) )?in {_F}{_W}", "credit", "actor", 0.75),
    ("featured-on", rf"{_A} (?:is |was |will be |has been |had been )?(?:featured|appears as a featured artist) on {_F}{_W}", "credit", "featuredArtist", 0.8),
    ("guest-on", rf"{_A}{_ADV}(?:the only |the first |the last |one of the |an? |the )?(?:[\w-]+ ){{0,3}}?(?:who |that )?(?:has been |have been |had been |was |is |were |will be )?(?:featured|invited|a guest|appeared|guested) on {_SHOW},? {_W}", "credit", "guest", 0.7),
    ("featuring", rf"{_W}{_FS}(?:\(feat\.|\(ft\.|,? featuring|,? feat\.) {_A}", "credit", "featuredArtist", 0.8),
    ("also-featured", rf"{_W}{_FS} (?:that|which) also (?:featured|features) {_A}", "credit", "appearance", 0.7),
    ("which-features", rf"{_W},? (?:that|which) (?:features|featured) {_A}", "credit", "featuredArtist", 0.7),
    ("work-features", rf"{_W} (?:also )?(?:features|featured|feature|will feature) {_A}", "credit", "featuredArtist", 0.7),
    ("debut-with", rf"{_A}{_ADV}(?:debut|debuts|debuted|will debut|returns?|returned|came back|comes back)(?: on [\w ,]{{3,20}}?)? with (?:the |their |her |his |a |an )?(?:[\w-]+ ){{0,2}}?{_W}", "credit", "performer", 0.7),
    ("collaboration-between", rf"{_W}{_F}collaboration (?:between|with|of) {_A}", "credit", "collaborator", 0.7),
    ("collaborated-on", rf"{_A}{_ADV}(?:collaborated|teamed up|joined forces|worked|partnered) with {_B} (?:on|for) {_F}{_W}", "credit", "collaborator", 0.75),
    ("directed", rf"{_A}{_ADV}(?:directed|directs|helmed|co-directed) {_F}{_W}", "credit", "director", 0.8),
    ("directed-by", rf"{_W}{_F}(?:directed|helmed|co-directed) by {_A}", "credit", "director", 0.8),
    ("wrote", rf"{_A}{_ADV}(?:wrote|writes|penned|pens|co-wrote|co-writes) {_F}{_W}", "credit", "songwriter", 0.75),
    ("written-by", rf"{_W}{_F}(?:written|penned|co-written)(?: and (?:directed|produced))? by {_A}", "credit", "songwriter", 0.75),
    ("composed", rf"{_A}{_ADV}(?:composed|composes|co-composed) {_F}{_W}", "credit", "composer", 0.8),
    ("composed-by", rf"{_W}{_F}composed by {_A}", "credit", "composer", 0.8),
    ("produced", rf"{_A}{_ADV}(?:produced|co-produced) {_F}{_W}", "credit", "producer", 0.7),
    ("produced-by", rf"{_W}{_F}produced by {_A}", "credit", "producer", 0.7),
    ("released", rf"{_A}{_ADV}(?:released|releases|release|dropped|drops|unveiled|unveils|put out|puts out) {_F}{_W}", "credit", "performer", 0.7),
    ("sang", rf"{_A}{_ADV}(?:sang|sings|performed|performs|recorded|records) {_F}{_W}", "credit", "performer", 0.7),
    ("possessive-work", rf"{_A}['’]s? (?:(?:new|latest|debut|hit|upcoming|first|second|third|lead|title|comeback|solo|[a-z][a-z-]+|\d{{4}}) ){{0,3}}(?:song|single|album|EP|track|ballad|mini-album|studio album|duet|hit|release|record),? [\"“‘]?{_W}", "credit", "performer", 0.65),
    ("possessive-title", rf"{_A}['’]s? {_W}", "credit", "performer", 0.55),
    ("member-of", rf"{_M},? (?:\w+ ){{0,3}}?(?:member|leader|vocalist|rapper|maknae|dancer|frontman|frontwoman|drummer|guitarist|bassist|visual)s? of (?:the )?(?:[\w-]+ ){{0,2}}?{_G}", "membership", None, 0.8),
    # ("bassist A and drummer B": no modifier "and")
    ("group-member", rf"{_G}(?:['’]s?)? (?:(?!and |or )[\w-]+ )?{_MEMBER_WORDS} {_M}", "membership", None, 0.8),
    # ("joined the cast as Detective Oh" joins no group)
    ("joined", rf"{_M}{_ADV}(?:joined|joins) (?:the )?(?:(?!as |cast )[\w-]+ ){{0,2}}?{_G}", "membership", None, 0.75),
    ("formed", rf"{_M}{_ADV}(?:formed|form|founded|co-founded) (?:the )?(?:[\w-]+ ){{0,2}}?{_G}", "membership", None, 0.75),
    ("formed-by", rf"{_G}{_F}(?:formed|founded) (?:\w+ ){{0,4}}?by (?:(?:its |their |the )?(?:leader|member|singer|rapper|vocalist) )?{_M}", "membership", None, 0.75),
    ("members-are", rf"{_G} (?:are|were|include|included|:) {_M}", "membership", None, 0.7),
    ("debuted-as-group", rf"{_M}{_ADV}debuted (?:together )?(?:in \d{{4}} )?as (?:members of |a member of )?(?:the )?(?:[\w-]+ ){{0,2}}?{_G}", "membership", None, 0.75),
    ("known-as-group", rf"{_M}{_ADV}(?:are|were|became) (?:\w+ ){{0,2}}?(?:known as |called )?(?:a|the) (?:[\w-]+ ){{0,3}}?"
                       rf"(?:group|crew|squad|circle)(?: of friends)? (?:called|named|dubbed|known as) (?:the )?{_G}",
     "membership", None, 0.7),
    ("possessive-member", rf"{_G}['’]s? {_M}", "membership", None, 0.6),
    ("of-group", rf"{_M} of (?:the (?:[a-z][\w-]* ){{0,2}}?)?{_G}", "membership", None, 0.6),
    # last: takes the role the agent has from the rules above in the same sentence
    ("whose-work", rf"{_A}, whose (?:new |latest |debut |last |previous )?(?:film|movie|drama|K-drama|series|song|single|album|music video) {_W}", "credit", None, 0.7),
]
_COMPILED = [(n, re.compile(p), k, r, s) for n, p, k, r, s in RULES]
_NEGATED = re.compile(r"\b(?:not(?! to be confused)|never|no longer|denied|denies|deny|denying|refuted|dismissed|"
                      r"rejected)\b|n['’]t\b", re.I)
_HEDGED = re.compile(r"\b(?:rumou?r(?:s|ed)?|reportedly|allegedly|speculat\w*|unconfirmed|in talks|(?-i:may)(?! \d)|might|"
                     r"could|would|is said to|are said to|hop(?:e|es|ing) to|wants? to|plans? to|expected to|"
                     r"is set to|are set to|reports? (?:say|claim)|according to)\b", re.I)
_ROLE_WORDS = {"actor": "actor", "actress": "actor", "singer": "performer", "rapper": "performer",
               "idol": "performer", "host": "host", "mc": "host", "director": "director"}
_SCREEN = {"TVSeries", "KDrama", "Film", "WebSeries", "TalkShow", "MusicVideo"}


@dataclass
class Analysis:
    """What was read in an article: sentences, mentions and the proposed candidates."""

    text: str
    sentences: list[tuple[str, int, int]]
    mentions: list[Mention]
    candidates: list[Candidate]


def _template(sent: str, ss: int, ms: list[Mention]) -> tuple[str, list[list[Mention]]]:
    """The sentence with each mention replaced by ``⟦i⟧`` (lists of mentions,
    "A, B and C", become one ``⟦i⟧`` of several; an alias in brackets or after
    "aka" with the same link is dropped)."""
    groups: list[list[Mention]] = []
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(ms):
        m = ms[i]
        group = [m]
        j = i + 1
        end = m.end
        while j < len(ms):
            between = sent[end - ss:ms[j].start - ss]
            nxt = ms[j]
            same = (nxt.link and nxt.link == m.link) or (nxt.link is None and m.link is None and nxt.text == m.text)
            if re.fullmatch(r" ?\(", between) and sent[nxt.end - ss:nxt.end - ss + 1] == ")":
                if same or not nxt.text.isascii():
                    end = nxt.end + 1
                    j += 1
                    continue
            if re.fullmatch(r",? (?:aka|a\.k\.a\.|also known as|or) ", between) and same:
                end = nxt.end
                j += 1
                continue
            if re.fullmatch(r"(?:, | and |, and | & )", between) and {_kind(nxt), _kind(m)} <= {"agent", "unknown"}:
                group.append(nxt)
                end = nxt.end
                j += 1
                continue
            break
        left, right = m.start - ss, end - ss
        if left > pos and sent[left - 1] in "\"“‘'" and right < len(sent) and sent[right] in "\"”’'":
            left, right = left - 1, right + 1
        out.append(sent[pos:left])
        out.append(f"⟦{len(groups)}⟧")
        groups.append(group)
        pos = right
        i = j
    out.append(sent[pos:])
    return "".join(out), groups


def _relations(article: Article, text: str, sent: str, ss: int, se: int, ms: list[Mention]) -> list[Candidate]:
    tmpl0, groups = _template(sent, ss, ms)
    out: list[Candidate] = []
    # "the studio said on Monday": when it was said, not when it happened
    dates = [(m.start(), m.group()) for m in _DATE_RE.finditer(sent)
             if not _SAID.search(sent[max(0, m.start() - 30):m.start()])]
    reduced = _reduce(tmpl0, groups)
    variants = [reduced] + _carried(reduced)
    kept = _reduce(tmpl0, groups, appositions=False)
    if kept != reduced:  # "W, a romance film directed by A, ...": the apposition's own fact
        variants.append(kept)
    for name, rx, kind, role, score in _COMPILED:
        for tmpl, m in ((t, m) for t in ([tmpl0] if kind == "membership" else variants) for m in rx.finditer(t)):
            clause = _clause(tmpl, m.start(), m.end())
            nominal = name in _NOMINAL_MEMBERSHIPS
            if _NEGATED.search(clause) and not nominal:
                continue
            hedged = bool(_HEDGED.search(clause)) and not nominal
            future = bool(_FUTURE.search(clause))
            slots = {k: [groups[int(i)] for i in v.split(",")][0] for k, v in m.groupdict().items()
                     if k in ("a", "b", "w", "m", "g") and v}
            if name in ("possessive-member", "of-group"):
                slots["m"] = slots["m"][:1]
                g = slots["g"][0]
                if g.type != "Group" or any(x.type not in ("Person", None) for x in slots["m"]):
                    continue
            if name == "members-are" and not (slots["g"][0].method == "description"
                                               and slots["g"][0].text.lower().endswith("members")):
                continue  # "The members are A, B and C": the members of the group just named
            if "g" in slots:
                slots["g"] = slots["g"][:1]
            if "w" in slots:
                slots["w"] = slots["w"][:1]
            if not all(_fits(x, k) for k, xs in slots.items() for x in xs):
                continue
            w0 = slots.get("w", [None])[0]
            if w0 is not None and w0.type is None and not (w0.start > 0 and text[w0.start - 1] in "\"“‘"):
                continue  # an unknown name is a work only when quoted as a title
            if name == "possessive-title" and (slots["a"][0].type is None or w0.type is None):
                continue
            r = role
            if name == "whose-work":  # "directed by A, whose film W": A's role in this sentence
                roles = {c.role for c in out if c.kind == "credit" and c.slots["agent"].link
                         and c.slots["agent"].link == slots["a"][0].link}
                if len(roles) != 1:
                    continue
                r = roles.pop()
            if name == "debuted-in":
                word = (m.groupdict().get("as") or "").lower()
                wtype = slots["w"][0].type
                r = _ROLE_WORDS.get(word) or ("actor" if wtype in _SCREEN or wtype is None else "performer")
            if r == "songwriter" and slots["w"][0].type in _SCREEN - {"MusicVideo"}:
                r = "screenwriter"
            character = m.groupdict().get("character")
            date = None
            if kind == "credit" and name in ("released", "debuted-in", "starred-in", "featured-on", "featuring",
                                             "possessive-work", "sang", "appeared-in", "cameo"):
                after = [d for pos, d in dates if pos >= m.start() - 20] or [d for _, d in dates]
                date = after[0] if after else None
            if kind == "membership" and name in ("joined", "formed", "debuted-as-group", "formed-by"):
                date = dates[0][1] if dates else None
            norm = normalise_date(date, article.published, future=future) if date else None
            sc = round(score * (0.4 if hedged else 1.0), 2)
            rule = name + ("+hedged" if hedged else "")
            if kind == "credit":
                agents = slots.get("a", []) + slots.get("b", [])
                works = [slots["w"][0]]
                if name in ("guest-on", "featured-on"):  # "featured on her show, ⟦2⟧, and on ⟦3⟧"
                    pos = m.end()
                    while more := re.match(r",? (?:and |as well as )?on (?:(?:her|his|their|the) )?(?:[\w-]+ ){0,2}?"
                                           r"⟦(\d+)⟧(?!['’])", tmpl[pos:]):
                        nxt = groups[int(more.group(1))][0]
                        if nxt.type is None and nxt.link is None and not nxt.suggestions:
                            nxt = replace(nxt, type=works[0].type)  # "on her show, W1, and on W2": a show too
                        works.append(nxt)
                        pos += more.end()
                for agent, w in ((a_, w_) for a_ in agents for w_ in works):
                    if agent.start == w.start or not _fits(w, "w") or (
                            w.type is None and not (w.start > 0 and text[w.start - 1] in "\"“‘")):
                        continue
                    if name == "featured-on" and w.type in _SHOWS:
                        r = "guest"
                    s2 = sc if agent.link and w.link else round(sc * 0.9, 2)
                    out.append(Candidate.make(article, kind="credit", rule=rule, sentence=sent, start=ss, end=se,
                                              slots={"agent": agent, "work": w}, role=r, character=character,
                                              date=norm[0] if norm else None, date_inferred=bool(norm and norm[1]),
                                              score=s2))
                if name == "released" and norm:
                    w = slots["w"][0]
                    out.append(Candidate.make(article, kind="claim", rule=rule, sentence=sent, start=ss, end=se,
                                              slots={"about": w}, property="releaseDate", value=norm[0],
                                              date=norm[0], date_inferred=norm[1], score=sc))
            else:
                g = slots["g"][0]
                for member in slots["m"]:
                    if member.start == g.start or (member.link and member.link == g.link):
                        continue
                    out.append(Candidate.make(article, kind="membership", rule=rule, sentence=sent, start=ss, end=se,
                                              slots={"member": member, "group": g},
                                              date=norm[0] if norm else None, date_inferred=bool(norm and norm[1]),
                                              score=sc))
    out += _hosts(article, sent, ss, se, reduced, groups, out)
    # released on DATE: "W was released on March 3"
    hedged = bool(_HEDGED.search(sent))
    if _NEGATED.search(sent):
        return _best(out)
    tmpl = reduced
    for m in re.finditer(rf"{_W}{_FS}(?:(?:was |were |is |will be )?(?:released|out|dropped|premiered|premieres|aired)|(?:official |digital )?(?:release|premiere)(?: date)?) (?:on |in |was |is )?", tmpl):
        w = groups[int(m.group("w").split(",")[0])][0]
        rest = tmpl[m.end():]
        dm = _DATE_RE.match(rest) or _DATE_RE.match("on " + rest)
        # a talk show that "aired on Thursday" aired an episode: no release date of the show
        episode = bool(re.search(r"\baired\b", m.group())) and w.type in ("TalkShow", "VarietyShow", "Podcast",
                                                                           "RadioShow")
        if dm and _fits(w, "w") and not episode:
            norm = normalise_date(dm.group(), article.published, future=bool(_FUTURE.search(sent)))
            if norm:
                out.append(Candidate.make(article, kind="claim", rule="released-on" + ("+hedged" if hedged else ""),
                                          sentence=sent, start=ss, end=se, slots={"about": w},
                                          property="releaseDate", value=norm[0], date=norm[0],
                                          date_inferred=norm[1], score=round(0.75 * (0.4 if hedged else 1), 2)))
    return _best(out)


_SAID = re.compile(r"(?:\b(?:said|says|announced|announces|told|confirmed|reported|revealed|added|stated)(?: \w+)?|"
                   r"\baccording to (?:[\w’'-]+ ){0,3}?[\w’'-]+)(?: on| in)?\s*$", re.I)
_GROUPISH = _MEMBER_WORDS


class PatternExtractor:
    """The named pattern rules of ``article.py`` (kept: they hold the project's own articles)."""

    name = "patterns"

    def candidates(self, article: Article, text: str, sents: list[tuple[str, int, int]],
                   mentions: list[Mention], context: Any) -> list[Candidate]:
        out = []
        for sent, ss, se in sents:
            ms = [m for m in mentions if ss <= m.start and m.end <= se]
            out += _relations(article, text, sent, ss, se, ms)
        return out


def _hosts(article: Article, sent: str, ss: int, se: int, tmpl: str, groups: list[list[Mention]],
           found: list[Candidate]) -> list[Candidate]:
    """The host of a show: "⟦A⟧'s talk show ⟦W⟧", or "her talk show, ⟦W⟧" when
    exactly one agent of the sentence is left once the show's guests are set aside."""
    out = []
    for m in re.finditer(r"(?:⟦(?P<a>\d+)⟧['’]s?|\b(?:her|his|their)) (?:own )?(?:[\w-]+ )?(?:talk show|show|"
                         r"podcast|radio show|web series|variety show)s?,? ⟦(?P<w>\d+)⟧", tmpl):
        w = groups[int(m.group("w"))][0]
        if not _fits(w, "w") or _NEGATED.search(_clause(tmpl, m.start(), m.end())):
            continue
        if m.group("a"):
            hosts = groups[int(m.group("a"))][:1]
        else:
            guests = {id(c.slots["agent"]) for c in found if c.kind == "credit" and c.role == "guest"
                      and c.slots["work"] is w}
            hosts = [g[0] for g in groups if len(g) == 1 and _kind(g[0]) == "agent" and g[0].type in ("Person", None)
                     and id(g[0]) not in guests and g[0] is not w]
            if len({x.link or x.text for x in hosts}) != 1 or (hosts[0].type is None and not hosts[0].suggestions):
                continue
            hosts = hosts[:1]
        for h in hosts:
            if not _fits(h, "a"):
                continue
            sc = 0.7 if m.group("a") else 0.6
            out.append(Candidate.make(article, kind="credit", rule="host", sentence=sent, start=ss, end=se,
                                      slots={"agent": h, "work": w}, role="host",
                                      score=sc if h.link and w.link else round(sc * 0.9, 2)))
    return out


def _reduce(tmpl: str, groups: list[list[Mention]], *, appositions: bool = True) -> str:
    """The template for credit rules: "BTS' V", "V of BTS", "BTS member V" become
    the person, and appositions ("X, a five-member group formed by Y, will...")
    are dropped unless ``appositions`` is false (what an apposition says itself,
    "W, a film directed by A", is read in the template that keeps it)."""
    def typ(i: str) -> str | None:
        return groups[int(i.split(",")[0])][0].type

    def person_of_group(m: re.Match) -> str:
        g, p = m.group("g"), m.group("m")
        return f"⟦{p}⟧" if typ(g) in ("Group", None) and typ(p) in ("Person", None) else m.group()

    t = re.sub(r"⟦(?P<g>[\d,]+)⟧(?:['’]s?| " + _GROUPISH + r") ⟦(?P<m>[\d,]+)⟧", person_of_group, tmpl)
    t = re.sub(r"⟦(?P<m>[\d,]+)⟧ of ⟦(?P<g>[\d,]+)⟧", person_of_group, t)
    if appositions:
        t = re.sub(r"(⟦[\d,]+⟧), (?:a|an|the) [^,;]{0,80}?, ", r"\1 ", t)
    return t


#: "A debuted in X and then did a cameo in Y": the subject of the first predicate is the second's.
_CARRY = re.compile(r"(?P<s>⟦[\d,]+⟧)(?P<vp> (?!and |or |but )[a-z][\w-]*[^;⟦]*?(?:⟦[\d,]+⟧[^;⟦]*?)*?),? and "
                    r"(?:(?:then|later|also|subsequently|afterwards) (?=[a-z])|(?=(?:did|made|had|wrote|sang|became|"
                    r"took|won|went|\w+ed) ))")
#: "... explaining to B that he is ...": the pronoun right after a name is that name.
_THAT_PRONOUN = re.compile(r"(?P<s>⟦[\d,]+⟧) (?:that|who said|as) (?:he|she|they) ")


def _carried(tmpl: str) -> list[str]:
    """Variants of a sentence template in which a subject carried over is
    written out: "⟦1⟧ debuted in ⟦2⟧ and then did a cameo in ⟦3⟧" also reads
    "⟦1⟧ did a cameo in ⟦3⟧"; "told ⟦1⟧ that he was ..." also reads "⟦1⟧ was ..."."""
    out = [tmpl[:m.start()] + m.group("s") + " " + tmpl[m.end():] for m in _CARRY.finditer(tmpl)]
    out += [tmpl[:m.start()] + m.group("s") + " " + tmpl[m.end():] for m in _THAT_PRONOUN.finditer(tmpl)]
    return out


def _clause(tmpl: str, start: int, end: int) -> str:
    """The match and the rest of its clause on both sides (up to a comma or semicolon)."""
    left = max(tmpl.rfind(", ", 0, start), tmpl.rfind("; ", 0, start))
    right = [i for i in (tmpl.find(", ", end), tmpl.find("; ", end)) if i >= 0]
    return tmpl[left + 1 if left >= 0 else 0:min(right) if right else len(tmpl)]


def _best(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per fact and sentence: the highest-scored rule wins; a
    fact a pattern rule and the parse both find keeps the pattern's name (the
    parse's rules start ``parse-``) with the higher score."""
    best: dict[tuple, Candidate] = {}
    for c in cands:
        # the same fact twice in a sentence ("stars in W, her first feature"): once, by its name
        key = (c.kind, c.start, tuple(sorted((k, _identity(m)) for k, m in c.slots.items())), c.role, c.property)
        old = best.get(key)
        described = [sum(m.method == "description" for m in x.slots.values()) for x in (old, c)] if old else None
        if old is None:
            best[key] = c
        elif old.rule.startswith("parse-") == c.rule.startswith("parse-") and described[0] != described[1]:
            keep = old if described[0] < described[1] else c
            best[key] = replace(keep, score=max(old.score, c.score))
        elif old.rule.startswith("parse-") != c.rule.startswith("parse-") and not old.rule.endswith("+hedged") \
                and not c.rule.endswith("+hedged"):
            keep = c if old.rule.startswith("parse-") else old
            best[key] = replace(keep, score=max(old.score, c.score), date=keep.date or old.date,
                                date_inferred=keep.date_inferred if keep.date else old.date_inferred,
                                character=keep.character or old.character)
        elif c.score > old.score:
            best[key] = c
    return list(best.values())


#: "the Blue singer-songwriter": an epithet naming a person by a work of theirs.
_EPITHET = re.compile(r"[Tt]he (?P<name>\S.*?) (?P<head>singer-songwriter|singer|rapper|vocalist|hitmaker|songstress|"
                      r"crooner|actor|actress|star|director)")


def _epithets(article: Article, text: str, sent: str, ss: int, se: int, ms: list[Mention],
              known: KnownNames, inner: dict[Mention, Mention] | None = None) -> list[Candidate]:
    """A description that names a person by one known work ("the Blue
    singer-songwriter", "the Glass Garden actress") says they made it: a
    credit of the description (performer; actor, director for those heads)
    with the work's name inside it as the work. Only when the words name
    exactly one entity, and that entity is a work; or, for an epithet
    resolved in the article itself (``inner``: epithet -> the name inside it),
    when that name is new and no agent ("the Blue singer-songwriter" in a
    graph that knows no Blue: a new work)."""
    out = []
    inner = inner or {}
    for m in ms:
        if m.link is not None and m.method != "description":
            continue
        e = _EPITHET.fullmatch(m.text)
        if not e:
            continue
        head = e.group("head")
        role = {"actor": "actor", "actress": "actor", "director": "director"}.get(head, "performer")
        ns, ne = m.start + e.start("name"), m.start + e.end("name")
        iris = known.index.lookup(search_key(e.group("name")))
        name = inner.get(m)
        if not iris and name is not None and name.link is None and not name.suggestions \
                and (name.start, name.end) == (ns, ne) and _kind(name) in ("work", "unknown") \
                and not re.fullmatch(r"[A-Z][a-z]+(?:an|ese|ish)", name.text):  # "the Korean singer"
            work = replace(name, type=name.type or "Work", method="new")
            out.append(Candidate.make(article, kind="credit", rule="epithet", sentence=sent, start=ss, end=se,
                                      slots={"agent": m, "work": work}, role=role, score=0.55))
            continue
        if len(set(iris)) != 1:
            continue
        iri = iris[0]
        types = known.types(iri)
        if not any(_kind(Mention("", 0, 0, type=t)) == "work" for t in types):
            continue
        work = Mention(text[ns:ne], ns, ne, link=iri, method="alias", score=100.0, type=types[0] if types else None,
                       label=known.label(iri))
        out.append(Candidate.make(article, kind="credit", rule="epithet", sentence=sent, start=ss, end=se,
                                  slots={"agent": m, "work": work}, role=role,
                                  score=0.6 if m.link else 0.55))
    return out


# ---------------------------------------------------------------------------------
# Who "he" and "she" are, and epithets ("the BTS idol", "the Blue singer-songwriter")
# ---------------------------------------------------------------------------------

_HE = re.compile(r"\b(?:(?P<m>he|him|his|himself)|(?P<f>she|her|hers|herself))\b", re.I)
#: Words that bring another person into a clause: a pronoun after them may be theirs.
_ANOTHER_PERSON = re.compile(r"\b(?:the|a|an|another|other) (?:[\w-]+ ){0,2}?(?:singer|actress|actor|rapper|idol|star|"
                             r"member|leader|host|director|producer|artist|woman|man|girl|boy|fans?|friend)s?\b", re.I)
#: An introductory phrase before a sentence's subject ("In response, ", "In one scene from the video, ").
_INTRO = re.compile(r"(?:[A-Z][^,;:\"“”]{0,60}, )?")
_EPITHET_HEADS = ("singer-songwriter|singer|songstress|rapper|vocalist|idol|star|member|leader|maknae|actress|actor|"
                  "hitmaker|artist")
_EPITHET_AFTER = re.compile(rf" (?P<mods>(?:[a-z][\w-]* ){{0,2}}?)(?P<head>{_EPITHET_HEADS})(?![\w-])")
#: Heads that say the name before them is a group ("the BTS idol"): its member.
_MEMBER_HEADS = {"idol", "member", "leader", "maknae"}
_GENDERED_HEADS = {"actress": "f", "songstress": "f", "actor": "m"}
#: How many sentences before an epithet its person may be named in.
EPITHET_WINDOW = 3


def _a_name(m: Mention) -> bool:
    """A mention that names (a name, or a short form of a name: "Min", "Da-el"),
    not a description ("the group") or a pronoun standing for one."""
    return m.method != "description" or (m.text[:1].isupper() and not _DESCRIPTION_WORDS.match(m.text)
                                         and m.text.lower() not in ("he", "she", "they", "it"))


def _quoted_speech(sent: str) -> bool:
    return sent[:1] in "\"“‘'"


def _subject_pronoun(sent: str, ss: int, m: Mention, ms: list[Mention]) -> str | None:
    """"m" or "f" when ``m`` is its sentence's subject and a he/she/his/her
    follows it in the sentence before anyone else is named."""
    if not _INTRO.fullmatch(sent[:m.start - ss]) or _quoted_speech(sent):
        return None
    nxt = min([x.start for x in ms if x.start >= m.end] + [ss + len(sent)])
    rest = sent[m.end - ss:nxt - ss]
    other = _ANOTHER_PERSON.search(rest)
    if other:
        rest = rest[:other.start()]
    p = _HE.search(rest)
    return None if p is None else ("m" if p.group("m") else "f")


def _genders(sents: list[tuple[str, int, int]], mentions: list[Mention]) -> dict[str, str]:
    """Entity identity -> "m" or "f", from the pronouns that follow it as a
    sentence's subject ("IU released a video on her channel"); a name with
    both is neither."""
    votes: dict[str, set[str]] = {}
    for sent, ss, se in sents:
        ms = [m for m in mentions if ss <= m.start and m.end <= se]
        subject = next((m for m in ms if _kind(m) != "work"), None)
        if subject is None or not _a_name(subject):
            continue
        g = _subject_pronoun(sent, ss, subject, [m for m in ms if m is not subject])
        if g:
            votes.setdefault(_identity(subject), set()).add(g)
    return {k: next(iter(v)) for k, v in votes.items() if len(v) == 1}


def _epithet_mentions(text: str, sents: list[tuple[str, int, int]], mentions: list[Mention],
                      members: dict[str, list[Mention]], genders: dict[str, str]) -> dict[Mention, Mention]:
    """Epithets that name a person by a name of theirs ("the BTS idol", "the
    Blue singer-songwriter", "the BTS global star") resolved to the person
    they stand for, as ``{epithet mention: the name mention inside it}``.

    A group's epithet ("the BTS idol": idol, member, leader; or any head when
    the name is a group) stands for the group's one member named in the
    article. Any other stands for the one person of its gender ("that he",
    "He wrote", "the actress") named in its sentence before it or in the
    three sentences before (quoted speech aside), when exactly one person of
    the window could be it: a person of unknown gender there, or two of the
    gender, and it stands for no one."""
    out: dict[Mention, Mention] = {}
    resolved: list[tuple[Mention, str]] = []  # (epithet mention, its gender)
    for i, (sent, ss, se) in enumerate(sents):
        for inner in [m for m in mentions if ss <= m.start and m.end <= se and _a_name(m)]:
            if not re.search(r"\b[Tt]he $", text[max(ss, inner.start - 4):inner.start]):
                continue
            after = _EPITHET_AFTER.match(text, inner.end)
            if after is None or after.end() > se:
                continue
            start, end = inner.start - 4, after.end()
            head = after.group("head")
            ante: Mention | None = None
            gender = _GENDERED_HEADS.get(head)
            group = inner.type == "Group" or head in _MEMBER_HEADS
            if group:
                if inner.type not in ("Group", None, "Agent"):
                    continue
                found = {_identity(x): x for x in members.get(_identity(inner), [])}
                if len(found) == 1:
                    ante = next(iter(found.values()))
            else:
                if inner.type not in (None, "Work") and _kind(inner) != "work":
                    continue  # "the IU singer"? a person's name before "singer" is no work of theirs
                here = [m for m in mentions if ss <= m.start and m.end <= se]
                gender = gender or _subject_pronoun(sent, ss, replace(inner, start=start, end=end),
                                                    [m for m in here if m is not inner])
                pronoun = re.match(r",? (?:that|who|as|because|since|when|and) (?P<p>he|she)\b", text[end:se])
                if pronoun:
                    gender = gender or ("m" if pronoun.group("p") == "he" else "f")
                if gender is None and _INTRO.fullmatch(sent[:start - ss]) and i + 1 < len(sents):
                    nxt = re.match(r"(?P<p>He|She)\b", sents[i + 1][0])
                    gender = nxt and ("m" if nxt.group("p") == "He" else "f")
                if gender is None:
                    continue
                lo = sents[max(0, i - EPITHET_WINDOW)][1]
                window = [(m, genders.get(_identity(m))) for m in mentions
                          if lo <= m.start and m.end <= start and _a_name(m)
                          and not _quoted_speech(next(t for t, a, b in sents if a <= m.start < b))
                          and (m.type == "Person" or _identity(m) in genders)]
                window += [(m, g) for m, g in resolved if lo <= m.start and m.end <= start]
                could = {_identity(m): m for m, g in window if g in (gender, None)}
                if len(could) == 1:
                    only = next(iter(could.values()))
                    if genders.get(_identity(only)) == gender or any(g == gender and _identity(m) == _identity(only)
                                                                      for m, g in window):
                        ante = only
            if ante is None:
                continue
            m = Mention(text[start:end], start, end, link=ante.link, method="description", score=ante.score,
                        type="Person", label=ante.label or ante.text, suggestions=() if ante.link else ante.suggestions)
            out[m] = inner
            resolved.append((m, gender or genders.get(_identity(ante))))
    return out


#: What the shapes ask of a linked entity in each slot (shapes.ttl: a credit's agent is a
#: cg:Agent, its work a cg:Work; a membership's member a cg:Agent, its group a cg:Group).
SLOT_CLASSES = {"agent": "Agent", "work": "Work", "member": "Agent", "group": "Group"}


def shape_problem(c: Candidate, types_of: Any) -> str | None:
    """Why the shapes would refuse ``c`` as it stands, or ``None``: a slot
    linked to an entity that is not of the class the slot needs (Peakboy, an
    agent of no stated kind, as the group of a membership).

    :param types_of: entity IRI -> its class names (local names)."""
    vocab = _FINDER_VOCAB()
    for slot, m in c.slots.items():
        need = SLOT_CLASSES.get(slot)
        if need is None or m.link is None:
            continue
        types = types_of(m.link)
        if not any(need in vocab.superclasses.get(t, {t}) for t in types):
            kinds = ", ".join(types) or "no stated type"
            return (f"candidate {c.id}: its {slot} {m.text!r} is {curie(m.link)} ({kinds}), "
                    f"not a {need} as a {c.kind}'s {slot} must be")
    return None


def _other_spellings(mentions: list[Mention]) -> list[Mention]:
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


def _near_words(text: str, m: Mention) -> str:
    """The few words just before a mention in its sentence ("producer and DJ") and an
    apposition just after it (", the DJ and producer")."""
    before = re.split(r"(?<=[.!?\n])\s", text[max(0, m.start - 30):m.start])[-1]
    before = " ".join(before.split()[-3:])
    after = re.match(r",\s+(?:the|a|an)\s+([^,.;:]{1,40})", text[m.end:m.end + 50])
    return before + " " + (after.group(1) if after else "")


def _rank_shared(text: str, mentions: list[Mention], known: KnownNames) -> list[Mention]:
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
            exact = {iri for iri, name in known.by_key().get(search_key(m.text), []) if name == m.text}
            cue = cued.get(m.text, set()) if len(cued.get(m.text, ())) == 1 else set()
            m = replace(m, suggestions=tuple(sorted(m.suggestions, key=lambda s: (s[0] not in named, s[0] not in cue,
                                                                                     s[0] not in exact))))
        out.append(m)
    return out


def _shared_names(mentions: list[Mention], known: KnownNames, vocab: Any) -> list[Mention]:
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


def _unguessed(m: Mention, here: Iterable[Mention], known: KnownNames) -> Mention:
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
    works = set(known.character_works.get(m.link or "", ()))
    works |= {song for song, mvs in known.videos.items() if works & set(mvs)}
    named = [x for x in here if x is not m and _kind(x) == "work"]
    return bool(named) and all(x.link in works for x in named)


def _no_guesses(mentions: list[Mention], sents: list[tuple[str, int, int]], known: KnownNames) -> list[Mention]:
    """:func:`_unguessed` for every mention, with the mentions of its sentence and
    the :data:`DESCRIPTION_WINDOW` sentences before it as context."""
    out = []
    for m in mentions:
        i = next((k for k, (_, ss, se) in enumerate(sents) if ss <= m.start < se), None)
        if m.link is None or i is None:
            out.append(m)
            continue
        first, last = sents[max(0, i - DESCRIPTION_WINDOW)][1], sents[i][2]
        out.append(_unguessed(m, [x for x in mentions if first <= x.start and x.end <= last], known))
    return out


def _corroborated(mentions: list[Mention], known: KnownNames) -> set[str]:
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
        near = known.neighbours.get(e, frozenset())
        if any(n != e and (n in near or near & known.neighbours.get(n, frozenset())) for n in named):
            out.add(e)
    return out


def _alone(m: Mention, corroborated: set[str], known: KnownNames) -> Mention:
    """``m``, or a suggestion of the entity it links when nothing else in the
    article corroborates that link (:func:`_corroborated`): a person confirms it
    in review with one choice; a wrong automatic link is worse than a missed one."""
    if m.link is None or m.link in corroborated or m.method == "person":
        return m
    suggestion = ((m.link, known.label(m.link), 100.0),)
    if m.method == "description":  # "the K-drama": it stands for what the name it follows is proposed as
        return replace(m, link=None, label=m.label or m.text, suggestions=suggestion)
    return replace(m, link=None, method="fuzzy", score=100.0, label=m.text, suggestions=suggestion)


#: "The title shares its name with a 2023 song by V", "not to be confused with the film by X"
_NAMESAKE = re.compile(r"\bshares? (?:its|their|a|the) (?:name|title) with\b|\bnot to be confused with\b|"
                       r"\bthe same (?:name|title) as\b", re.I)


def _namesakes(sents: list[tuple[str, int, int]], mentions: list[Mention], known: KnownNames) -> list[Mention]:
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
        others |= {w for w, who in known.credited.items() if who & agents}
    if not others:
        return mentions
    return [m if m.link not in others else
            replace(m, link=None, suggestions=(), type=None if m.type == "Work" else m.type) if m.method == "description"
            else replace(m, link=None, method="new", score=None, label=m.text, suggestions=())
            for m in mentions]


def _owned_elsewhere(text: str, mentions: list[Mention], known: KnownNames) -> list[Mention]:
    """A known work named as another agent's ("EDEN’s “Love Me Again”" when the graph's
    "Love Me Again" is V's): conflicting evidence, so a suggestion, never a link."""
    out = []
    for k, m in enumerate(mentions):
        owner = mentions[k - 1] if k else None
        credited = known.credited.get(m.link or "")
        if owner is not None and credited and m.method != "description" and _kind(owner) in ("agent", "unknown") \
                and re.fullmatch(r"['’]s?\s*[“\"‘']?", text[owner.end:m.start]) and owner.link not in credited:
            m = replace(m, link=None, method="fuzzy", score=100.0, label=m.text,
                        suggestions=((m.link, known.label(m.link), 100.0),) if m.link else ())
        out.append(m)
    return out


def _member_mentions(article: Article, text: str, sents: list[tuple[str, int, int]],
                     mentions: list[Mention]) -> dict[str, list[Mention]]:
    """Group identity -> the members the membership rules find in the article."""
    out: dict[str, list[Mention]] = {}
    for sent, ss, se in sents:
        ms = [m for m in mentions if ss <= m.start and m.end <= se]
        for c in _relations(article, text, sent, ss, se, ms):
            if c.kind == "membership" and not _HEDGED.search(c.rule):
                out.setdefault(_identity(c.slots["group"]), []).append(c.slots["member"])
    return out


def analyse(text: str, article: Article, known: KnownNames, *, extractors: Iterable[Any] | None = None) -> Analysis:
    """Sentences, mentions and candidates of an article's text (deterministic).

    :param extractors: the :class:`~collabgraph.ingest.parse.Extractor` objects
        that propose relations (default: the pattern rules and the parse)."""
    original = None
    if _apostrophes(text) != text:
        original, text = text, _apostrophes(text)
    finder = _Finder(text, known, article.published)
    # headlines, bylines, datelines, captions, hashtags: never a fact, never an entity
    # credit blocks, list lines and captions: their names among the sentences (see blocks.py)
    sents = with_blocks(text, story_sentences(sentences(text), text))

    def in_story(m: Mention) -> bool:
        return any(ss <= m.start and m.end <= se for _, ss, se in sents)

    mentions = [m for m in finder.known_mentions() if in_story(m)]
    unknown = [m for m in (finder.new_mention(s, e, q) for s, e, q in finder.unknown_spans(sents, mentions))
               if in_story(m)]
    # one new name, one type in the whole article: the most specific its mentions
    # agree on ("the film" and a bare quoted title: a Film); mentions that disagree
    # (a film here, a web series there) keep their own, for the reviewer to settle
    guessed: dict[str, list[str]] = {}
    for m in unknown:
        if m.type:
            guessed.setdefault(search_key(m.text), []).append(m.type)
    agreed = {k: most_specific(types, finder.vocab) for k, types in guessed.items()}
    unknown = [replace(m, type=agreed.get(search_key(m.text)) or m.type) for m in unknown]
    mentions = sorted(mentions + unknown, key=lambda m: m.start)
    mentions = _shared_names(_rank_shared(text, mentions, known), known, finder.vocab)
    mentions = _other_spellings(mentions)
    # "Min", "Seo Joon", "Da-el": the one person of the article named so in full
    from .parse import resolve_short_names, type_names

    mentions = resolve_short_names(text, mentions)
    # a new name followed by "he" or "she" as a sentence's subject is a person
    genders = _genders(sents, mentions)
    mentions = [replace(m, type="Person") if m.link is None and m.type is None and _identity(m) in genders else m
                for m in mentions]
    mentions = type_names(text, sents, mentions, known)
    mentions = sorted(mentions + _descriptions(text, sents, mentions, known, finder.vocab), key=lambda m: m.start)
    epithets: dict[Mention, Mention] = {}
    if any(_EPITHET_AFTER.match(text, m.end) for m in mentions):
        epithets = _epithet_mentions(text, sents, mentions, _member_mentions(article, text, sents, mentions), genders)
        inner = {id(x) for x in epithets.values()}
        mentions = sorted([m for m in mentions if id(m) not in inner] + list(epithets), key=lambda m: m.start)
    mentions = _owned_elsewhere(text, _namesakes(sents, _no_guesses(mentions, sents, known), known), known)
    # a name with nothing else in the article to back it is proposed, not linked (applied to
    # what the extractors found, below: they read a proposed name as the entity it names)
    corroborated = _corroborated(mentions, known)
    from .parse import ParseExtractor, check_candidates

    rel: list[Candidate] = []
    for extractor in (extractors if extractors is not None else (PatternExtractor(), ParseExtractor(),
                                                                  BlockExtractor())):
        rel += check_candidates(text, extractor.candidates(article, text, sents, mentions, known), extractor.name)
    for sent, ss, se in sents:
        ms = [m for m in mentions if ss <= m.start and m.end <= se]
        rel += _epithets(article, text, sent, ss, se, ms, known, epithets)
    # "BAEK DO-HYUN: I directed it": "I" is the speaker (blocks.py), not the interview's guest
    rel = own_claims(text, rel)
    # a correction note's account of what an earlier version said is retracted, not stated
    rel = [c for c in rel if not _RETRACTED.search(c.sentence)]
    # a new entity the article gives two kinds ("the film X" ... "the web drama X") stays a problem
    # for the reviewer to settle (review shows it), as before
    candidates: list[Candidate] = [c for c in _best(rel) if shape_problem(c, known.types) is None]
    # a link an extractor carried into a slot is held to the same rule as the article's mentions
    for c in candidates:
        c.slots = {k: _alone(_unguessed(m, c.slots.values(), known), corroborated, known) for k, m in c.slots.items()}
    mentions = [_alone(m, corroborated, known) for m in mentions]
    used_types: dict[str, str] = {}
    for c in candidates:
        for slot, m in c.slots.items():
            if m.link is None and m.type is None and m.method != "description":
                used_types.setdefault(search_key(m.text), "Work" if slot in ("work", "about") else
                                      "Group" if slot == "group" else "Person" if slot == "member" else "Agent")
    # proposed new entities: one candidate per distinct unknown name (its first mention)
    seen: set[str] = set()
    for m in mentions:
        if m.link is not None or m.method == "description":
            continue
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
    candidates.sort(key=lambda c: (c.start, c.kind, c.rule, c.id))
    if original is not None:  # the words as written (a curly quote used as an apostrophe, kept)
        text, sents, mentions, candidates = _as_written(original, sents, mentions, candidates)
    return Analysis(text, sents, mentions, candidates)


#: A sentence that reports what an earlier version of the article got wrong: "An earlier version of
#: this article stated that A co-wrote W", "... misidentified the co-writer as B".
_RETRACTED = re.compile(r"\b(?:earlier|previous|original) version of (?:this|the) (?:article|story|report|piece)\b|"
                        r"\b(?:misstated|misidentified|misattributed|misreported|incorrectly (?:stated|said|reported|"
                        r"identified|credited|described)|wrongly (?:stated|said|reported|identified|credited))\b", re.I)


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
    sentences: int
    mentions: list[Mention]
    candidates: list[Candidate]
    added: int
    kept: int

    def counts(self) -> dict[str, Any]:
        linked = [m for m in self.mentions if m.link]
        suggested = [m for m in self.mentions if not m.link and m.suggestions]
        new = [m for m in self.mentions if not m.link and not m.suggestions]
        by_kind: dict[str, int] = {}
        by_rule: dict[str, int] = {}
        for c in self.candidates:
            by_kind[c.kind] = by_kind.get(c.kind, 0) + 1
            by_rule[c.rule] = by_rule.get(c.rule, 0) + 1
        return {"sentences": self.sentences, "mentions": len(self.mentions), "linked": len(linked),
                "suggested": len(suggested), "new": len(new), "candidates": len(self.candidates),
                "added": self.added, "kept": self.kept,
                "by_kind": dict(sorted(by_kind.items())), "by_rule": dict(sorted(by_rule.items()))}

    @property
    def knows_nothing(self) -> bool:
        return not any(m.link or m.suggestions for m in self.mentions)

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article.to_dict(), "file": self.path, **self.counts(),
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


def ingest(path: str | Path, graph_dir: str | Path, *, url: str | None = None, title: str | None = None,
           publisher: str | None = None, published: str | None = None, language: str = "en",
           ontology_dir: str | Path | None = None) -> IngestReport:
    """Read an article and store it with its candidates in ``graph_dir/articles/``.

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
        article = Article(aid, sha, url=url, title=title, publisher=publisher, published=published,
                          original=os.fsdecode(path), html=was_html, language=language)
        analysis = analyse(text, article, known)
        json_path = ArticleFile.path(graph_dir, aid)
        if json_path.exists():
            stored = ArticleFile.load(json_path)
            stored.article = article
        else:
            stored = ArticleFile(article, [])
        added, kept = stored.merge_proposals(analysis.candidates)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            changes.write(ignore, GITIGNORE)
        txt = folder / f"{aid}.txt"
        if not txt.exists() or txt.read_bytes() != text.encode("utf-8"):
            changes.write(txt, text)
        changes.write(json_path, stored.dumps())
    return IngestReport(article, json_path.as_posix(), len(analysis.sentences), analysis.mentions,
                        analysis.candidates, added, kept)
