"""Limits on what a source file may do, checked before and after the parser reads it.

A source file is untrusted input: it may come from an import, an article or
someone else's repository. Three things are refused, each in one line that
names the file and, when it can be found, the line:

- **Entity expansion in RDF/XML.** XML lets a document declare entities that
  expand into other entities; 665 bytes can expand to gigabytes (the "billion
  laughs"), and the engine's parser expands them all, then aborts the process
  when memory runs out. :func:`prescan` reads the DOCTYPE before the parser
  does: external and parameter entities are refused (they would read files
  or URLs), and so is any entity, or any document, that expands past
  :func:`max_literal`.
- **Deep nesting in RDF/XML.** The engine's RDF/XML parser takes time
  quadratic in the depth of nested elements (20,000 levels: 17 s; a 2 MB
  file: minutes), so elements nested deeper than :data:`MAX_XML_DEPTH` are
  refused, found by a pass of expat (which never reads external entities).
- **Writing outside the file's own graph.** A TriG, N-Quads or JSON-LD file
  can name graphs; a source may write only its own, so a quad in any other
  graph (``graph:inferred``, ``graph:shapes``, another file's) is refused:
  :func:`named_graph_line` finds where it starts.
- **Huge literals** are refused by validation (see
  :func:`collabgraph.store.validation.literal_problems`); the limit is
  :func:`max_literal`, set with ``COLLABGRAPH_MAX_LITERAL``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import SourceError, SourceRefused
from .formats import RdfFormatInfo

__all__ = ["max_literal", "prescan", "prescan_text", "named_graph_line", "xml_error_position", "DEFAULT_MAX_LITERAL", "LIMIT_VARIABLE"]

#: Longest literal (in characters) a source may state unless configured otherwise.
DEFAULT_MAX_LITERAL = 100_000
#: The environment variable that sets it.
LIMIT_VARIABLE = "COLLABGRAPH_MAX_LITERAL"
#: Deepest nesting of XML elements accepted in an RDF/XML source.
MAX_XML_DEPTH = 256


def max_literal() -> int:
    """The longest literal a source may state: ``$COLLABGRAPH_MAX_LITERAL``
    characters, or :data:`DEFAULT_MAX_LITERAL`.

    >>> max_literal()
    100000

    :raises SourceError: if the variable is set to something other than a positive number.
    """
    value = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not value:
        return DEFAULT_MAX_LITERAL
    try:
        limit = int(value.replace("_", ""))
    except ValueError:
        limit = 0
    if limit <= 0:
        raise SourceError(f"{LIMIT_VARIABLE}={value!r}: give the longest literal allowed, in characters "
                          f"(a positive number; default {DEFAULT_MAX_LITERAL})")
    return limit


# -- RDF/XML entities ----------------------------------------------------------

_DOCTYPE = re.compile(r"<!DOCTYPE\b")
_DECL = re.compile(r"<!ENTITY\s+(%\s*)?([^\s%\"'>]+)\s*(?:(SYSTEM|PUBLIC)\b|\"([^\"]*)\"|'([^']*)')?")
_REF = re.compile(r"&([A-Za-z_:][\w.:-]*);")
_PREDEFINED = {"lt", "gt", "amp", "apos", "quot"}


def prescan(path: str | Path, shown: str, fmt: RdfFormatInfo) -> None:
    """Refuse an RDF/XML file whose entities could expand without bound
    (see :func:`prescan_text`); other formats have no entities.

    :raises SourceRefused: naming the file and the line of the declaration.
    """
    if fmt.name != "rdfxml":
        return
    with open(path, "rb") as f:
        head = f.read(1 << 16)
        if b"<!ENTITY" in head or b"<!DOCTYPE" in head:  # the DOCTYPE comes first
            prescan_text((head + f.read()).decode("utf-8", "replace"), shown)
    _check_depth(path, shown)


def _check_depth(path: str | Path, shown: str) -> None:
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def start(name, attrs):
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise SourceRefused(shown, parser.CurrentLineNumber, f"XML elements nested more than "
                                f"{MAX_XML_DEPTH} deep; RDF/XML that deep is refused (it takes the parser "
                                "time that grows with the square of the depth)")

    def end(name):
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        with open(path, "rb") as f:
            parser.ParseFile(f)
    except expat.ExpatError:
        pass  # not well-formed: the RDF/XML parser reports it, with xml_error_position


def prescan_text(text: str, shown: str) -> None:
    """Refuse RDF/XML text that declares external or parameter entities, or
    entities that expand past :func:`max_literal` characters, one by one or
    all together.

    >>> prescan_text('<!DOCTYPE r [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]><r>&x;</r>', "a.rdf")
    Traceback (most recent call last):
    ...
    collabgraph.core.errors.SourceRefused: a.rdf:1: the XML entity &x; is external (SYSTEM): entities that read files or URLs are refused
    >>> prescan_text('<!DOCTYPE r [ <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#"> ]><r>&xsd;</r>', "a.rdf")
    """
    m = _DOCTYPE.search(text)
    if not m:
        return
    limit = max_literal()
    subset_end = text.find("]>", m.end())
    end = subset_end + 2 if subset_end >= 0 else m.end()
    declared: dict[str, tuple[str, int]] = {}
    for d in _DECL.finditer(text, m.end(), end if subset_end >= 0 else len(text)):
        line = text.count("\n", 0, d.start()) + 1
        name = d.group(2)
        if d.group(1):
            raise SourceRefused(shown, line, f"the XML parameter entity %{name}; is refused (entities in "
                                "RDF/XML may only be plain text)")
        if d.group(3):
            raise SourceRefused(shown, line, f"the XML entity &{name}; is external ({d.group(3)}): entities "
                                "that read files or URLs are refused")
        value = d.group(4) if d.group(4) is not None else d.group(5)
        if value is None:
            raise SourceRefused(shown, line, f"the XML entity &{name}; has no quoted value")
        declared.setdefault(name, (value, line))

    sizes: dict[str, int] = {}

    def size(name: str, chain: tuple[str, ...]) -> int:
        if name in sizes:
            return sizes[name]
        value, line = declared[name]
        if name in chain:
            raise SourceRefused(shown, line, f"the XML entity &{name}; refers to itself")
        total = len(value)
        for ref in _REF.finditer(value):
            if ref.group(1) in declared:
                total += size(ref.group(1), (*chain, name)) - len(ref.group(0))
            if total > limit:
                raise SourceRefused(shown, line, f"the XML entity &{name}; expands to more than {limit} "
                                    f"characters (a nested-entity bomb?; raise {LIMIT_VARIABLE} to allow more)")
        sizes[name] = total
        return total

    for name in declared:
        size(name, ())
    body_extra = 0
    for ref in _REF.finditer(text, end):
        if ref.group(1) in declared:
            body_extra += sizes[ref.group(1)] - len(ref.group(0))
    budget = 8 * len(text) + 10 * limit
    if body_extra > budget:
        line = text.count("\n", 0, end) + 1
        raise SourceRefused(shown, line, f"the document's XML entities expand to {body_extra} more characters, "
                            f"past the limit of {budget} for a file this size (a nested-entity bomb?)")


# -- named graphs ------------------------------------------------------------

_TRIG_TOKEN = re.compile(
    r"(?P<comment>#[^\n]*)"
    r'|(?P<string>"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<space>\s+)"
    r"|(?P<open>\{)"
    r"|(?P<close>\})"
    r"|(?P<word>[^\s{}<>\"'#]+)", re.S)


def named_graph_line(path: str | Path, fmt: RdfFormatInfo) -> int | None:
    """The line where the first named graph of a TriG or N-Quads file
    starts (for TriG, the line of the graph's name), or ``None`` if it
    cannot be told (JSON-LD, or a file too odd to scan)."""
    try:
        text = Path(path).read_bytes().decode("utf-8", "replace")
    except OSError:
        return None
    if fmt.name == "nquads":
        import pyoxigraph as ox

        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                quads = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
            except SyntaxError:
                continue
            if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
                return number
        return None
    if fmt.name == "trig":
        depth, previous, before = 0, None, None
        for m in _TRIG_TOKEN.finditer(text):
            kind = m.lastgroup
            if kind in ("comment", "space"):
                continue
            if kind == "open":
                declared = before is not None and before.group().endswith(":")  # PREFIX p: <iri> {
                if depth == 0 and previous is not None and not declared and (
                        previous.lastgroup == "iri" or (previous.lastgroup == "word" and
                                                        previous.group() not in (".", "GRAPH", "graph"))):
                    return text.count("\n", 0, previous.start()) + 1
                depth += 1
            elif kind == "close":
                depth = max(depth - 1, 0)
            previous, before = m, previous
        return None
    return None


def xml_error_position(path: str | Path) -> tuple[int, int] | None:
    """Line and column (from 1) of the first XML well-formedness error in a
    file, for RDF/XML parse errors the engine reports without a position.
    Run only after :func:`prescan`; external entities are never read."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        with open(path, "rb") as f:
            parser.ParseFile(f)
    except expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1
    except (OSError, ValueError):
        return None
    return None
