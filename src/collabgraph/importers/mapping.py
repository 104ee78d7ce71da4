"""Raw CSV files as they are, through a column mapping in W3C CSVW metadata.

A public dataset rarely has the columns of :mod:`.csvfile`'s template. A
mapping says what each of its columns holds, in the JSON of the W3C
"Metadata Vocabulary for Tabular Data" (CSVW): a ``tableSchema`` whose
``columns`` each have ``titles`` (the header cell), a ``propertyUrl`` (what
the cell says of the row's entity), and optionally ``lang``, ``datatype``
(``{"base": "date", "format": "M/d/yy"}``), ``separator``, ``null``,
``suppressOutput`` and ``virtual`` (a column the file lacks, such as the class
of every row). Each row is one record: two rows named "Jimin" are two records,
each with its own evidence (birth date, group), for the linker to tell apart.
Every fact's locator is ``<file> line <N>, column <title>``.

What ``propertyUrl`` may say (CURIEs ``cg:``, ``role:``, ``rdfs:``, ``skos:``, ``rdf:``):

- ``rdfs:label`` the row's name (with ``lang``: its label in that language);
  ``skos:altLabel`` another name (full name, Korean name ...);
- ``cg:wikidata``, ``cg:musicbrainz``, ``cg:isni``: identifiers of the row's
  entity (or, with ``"cg:about": "<title>"``, of the entity another column names);
- ``cg:disambiguation``: the dataset's words that tell same-named entities apart;
- ``cg:memberOf``: a group the row's agent is (or was) a member of;
- ``role:<role>`` (``role:performer``, ``role:musicVideoDirector`` ...): the
  cell names an agent credited on the row's work in that role (or a work the
  row's agent is credited on);
- any other ``cg:`` property a claim may state: ``cg:birthDate``, ``cg:debutDate``,
  ``cg:releaseDate``, ``cg:gender``, ``cg:country``, ``cg:birthPlace``,
  ``cg:recordLabel`` (the cell names a record label), ``cg:sitelink``, ``cg:note`` ...;
- ``rdf:type``: the row's class, from the cell or (``virtual``, ``valueUrl``) for every row.

Dates: ``datatype.format`` is a Unicode date pattern (``yyyy-MM-dd``, ``M/d/yy``,
``d.M.yyyy``, ``MMM d, yyyy``; a list tries each); without one, ``YYYY``,
``YYYY-MM`` and ``YYYY-MM-DD``. **A two-digit year** ``yy`` is 20yy when it is
below the column's ``cg:centuryPivot`` (default 30) and 19yy otherwise, the
rule spreadsheets use: ``1/5/98`` is 1998-01-05, ``3/2/05`` is 2005-03-02.

A cell that cannot be read (a date that is no date) is reported with its file,
line and column, and the rest of its row is imported; a row with no name is
not imported and reported; ``strict`` stops at the first of either. Header
columns the mapping does not describe, and ``suppressOutput`` columns, are
reported once as not imported: nothing is left out silently.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "idols.csv").write_text("Stage Name,Korean Name,Date of Birth,Group\\n"
...                                  "Jimin,박지민,10/13/95,BTS\\nJimin,신지민,1/8/91,AOA\\n", encoding="utf-8")
>>> _ = (d / "idols.json").write_text(json.dumps({"@context": "http://www.w3.org/ns/csvw", "tableSchema": {
...     "columns": [{"titles": "Stage Name", "propertyUrl": "rdfs:label"},
...                 {"titles": "Korean Name", "propertyUrl": "skos:altLabel", "lang": "ko"},
...                 {"titles": "Date of Birth", "propertyUrl": "cg:birthDate",
...                  "datatype": {"base": "date", "format": "M/d/yy"}},
...                 {"titles": "Group", "propertyUrl": "cg:memberOf"},
...                 {"virtual": True, "propertyUrl": "rdf:type", "valueUrl": "cg:Person"}]}}), encoding="utf-8")
>>> batch = read_mapped(d / "idols.csv", load_mapping(d / "idols.json"))
>>> people = [e for e in batch.entities.values() if e.types == ["Person"]]
>>> [(e.label, [a.text for a in e.aliases]) for e in people]
[('Jimin', ['박지민']), ('Jimin', ['신지민'])]
>>> sorted(f.value.value for f in batch.facts if getattr(f, "property", "") == "birthDate")
['1991-01-08', '1995-10-13']
>>> [f.provenance.locator for f in batch.facts if getattr(f, "property", "") == "birthDate"][0]
'idols.csv line 2, column Date of Birth'
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..core.namespaces import PREFIXES
from ..core.errors import SourceError
from ..core.names import search_key
from . import csvfile
from .csvfile import CsvBatch, BadRow, CsvRowsError, by_folded, file_slug, claim_properties, parse_date, read_text
from .model import ClaimRecord, CreditRecord, Date, EntityRecord, EntityRef, MembershipRecord, Name, NameRecord, \
    Provenance, SourceRecord
from .vocabulary import Vocabulary, vocabulary

__all__ = ["Mapping", "Column", "read", "load_mapping", "read_mapped", "find_mapping", "describe",
           "parse_pattern_date", "DEFAULT_PIVOT"]

CSVW = "http://www.w3.org/ns/csvw"
#: A two-digit year below this is in the 2000s, at or above it in the 1900s.
DEFAULT_PIVOT = 30
#: The prefixes a mapping's propertyUrl may use.
_PREFIXES = {p: PREFIXES[p] for p in ("cg", "role", "rdfs", "skos", "rdf", "schema")}
#: propertyUrl -> what the column is (beyond cg: claim properties and role: credits).
_SPECIAL = {"rdfs:label": "label", "schema:name": "label", "skos:prefLabel": "label", "skos:altLabel": "alias",
            "schema:alternateName": "alias", "rdf:type": "type", "cg:wikidata": "wikidata",
            "cg:musicbrainz": "musicbrainz", "cg:isni": "isni", "cg:memberOf": "memberOf",
            "cg:disambiguation": "disambiguation"}
#: The class of the entity a claim's cell names, where the property's range does not say.
_VALUE_CLASSES = {"recordLabel": "RecordLabel", "memberOf": "Group"}
#: Keys a column description may have (CSVW's, and ours under cg:).
_COLUMN_KEYS = {"titles", "name", "propertyUrl", "valueUrl", "lang", "datatype", "separator", "null", "virtual",
                "suppressOutput", "required", "default", "aboutUrl", "dc:description", "rdfs:comment",
                "cg:valueType", "cg:about", "cg:centuryPivot", "cg:musicbrainzType", "@type", "@id"}
_QID = re.compile(r"Q[1-9][0-9]*")
_MBID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ISNI = re.compile(r"[0-9]{15}[0-9X]")
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_name) if m})


class _Bad(Exception):
    """A row or cell that cannot be read (internal)."""


@dataclass
class Column:
    """One column of a mapping: the header cell it matches and what its cells say."""

    index: int                       # its place in the mapping's columns (from 1, for messages)
    title: str | None                # the header cell; None for a virtual column
    kind: str                        # label, alias, type, wikidata, musicbrainz, isni, memberOf, disambiguation,
    #                                  claim, credit or skip
    property: str | None = None      # the cg: property of a claim, or the role of a credit
    lang: str | None = None
    formats: tuple[str, ...] = ()    # date patterns
    separator: str | None = None
    nulls: tuple[str, ...] = ("",)
    value: str | None = None         # a virtual column's value (a class)
    value_type: str | None = None    # the class of the entity a cell names
    about: str | None = None         # the title of the column naming the entity this cell describes
    titles: tuple[str, ...] = ()     # every header cell it may have (CSVW "titles" may list several)
    pivot: int = DEFAULT_PIVOT
    musicbrainz_type: str | None = None
    reason: str = ""                 # why a skip column is not imported


@dataclass
class Mapping:
    """A CSVW table description: what each column holds, and what the table is (its source)."""

    path: Path
    columns: list[Column]
    title: str | None = None
    source_url: str | None = None
    publisher: str | None = None
    delimiter: str | None = None
    about_url: str | None = None     # a template of column titles: rows giving the same values are one entity
    table_url: str | None = None

    @property
    def row_type(self) -> str | None:
        return next((c.value for c in self.columns if c.kind == "type" and c.value), None)


def read(inputs: list[str], *, mapping: str | Path | None = None, delimiter: str | None = None,
         strict: bool = False) -> Iterator[CsvBatch]:
    """One :class:`CsvBatch` per CSV file: read through ``mapping`` (a CSVW metadata
    file) when given, else through the ``<file>-metadata.json`` beside a file when it
    has one, else as :func:`collabgraph.importers.csvfile.read` reads the template's columns.

    :raises SourceError: a mapping that cannot be read or names a column a file lacks,
        and whatever :func:`read_mapped` and :func:`collabgraph.importers.csvfile.read` raise.
    """
    vocab = vocabulary()
    folder = Path(mapping) if mapping is not None and Path(mapping).is_dir() else None
    given = load_mapping(mapping, vocab) if mapping is not None and folder is None else None
    layouts = [load_mapping(m, vocab) for m in sorted(folder.glob("*.json"))] if folder else []
    for path in inputs:
        beside = None if given else find_mapping(Path(path))
        found = given or (load_mapping(beside, vocab) if beside else None)
        if found is None and layouts:
            found = _fitting(Path(path), layouts, delimiter)
        if found is None:
            yield from csvfile.read([path], delimiter=delimiter, strict=strict)
        else:
            yield read_mapped(path, found, delimiter=delimiter, strict=strict, vocab=vocab)


def _fitting(path: Path, layouts: list[Mapping], delimiter: str | None) -> Mapping | None:
    """The mapping of ``layouts`` whose columns are exactly the file's header cells (by
    their folded titles), if one is; a file no mapping fits is read as the template's."""
    header = read_text(path, delimiter, sniff=lambda line: max((",", ";", "\t"), key=line.count)).header
    cells = {search_key(c) for c in header if c.strip()}
    def fits_header(m: Mapping) -> bool:
        columns = [{search_key(t) for t in c.titles or (c.title,)} for c in m.columns if c.title]
        return len(columns) == len(cells) and all(names & cells for names in columns) \
            and all(any(cell in names for names in columns) for cell in cells)
    fits = [m for m in layouts if fits_header(m)]
    if len(fits) > 1:
        raise SourceError(f"{path} line 1: the header fits {len(fits)} mappings "
                          f"({', '.join(m.path.name for m in fits)}); give one with --mapping")
    return fits[0] if fits else None


def find_mapping(csv_path: Path) -> Path | None:
    """The CSVW metadata a CSV file has beside it, by the standard's default names
    (``<file>.csv-metadata.json``, then ``csv-metadata.json``), if any."""
    for candidate in (csv_path.with_name(csv_path.name + "-metadata.json"), csv_path.with_name("csv-metadata.json")):
        if candidate.is_file():
            return candidate
    return None


def load_mapping(path: str | Path, vocab: Vocabulary | None = None) -> Mapping:
    """Read and check a CSVW metadata file.

    :raises SourceError: one line naming the file (and the column, by its place and
        title) for JSON that is not a table description, or a column it cannot use.
    """
    path = Path(path)
    vocab = vocab or vocabulary()
    try:
        doc = json.loads(path.read_text("utf-8-sig"))
    except OSError as e:
        raise SourceError(f"{path}: cannot read the mapping: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise SourceError(f"{path}: the mapping is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise SourceError(f"{path} line {e.lineno}: the mapping is not JSON ({e.msg}, column {e.colno})") from None
    except RecursionError:
        raise SourceError(f"{path}: the mapping's JSON is nested too deep to be a table description") from None
    if isinstance(doc, dict) and isinstance(doc.get("tables"), list) and len(doc["tables"]) == 1:
        doc = {**doc, **doc["tables"][0]}  # a table group of one table
    if not isinstance(doc, dict) or not isinstance(doc.get("tableSchema"), dict) \
            or not isinstance(doc["tableSchema"].get("columns"), list) or not doc["tableSchema"]["columns"]:
        raise SourceError(f"{path}: not CSVW table metadata: expected {{\"tableSchema\": {{\"columns\": [...]}}}} "
                          "(see docs/importing.md)")
    schema = doc["tableSchema"]
    columns = [_column(path, i, c, vocab) for i, c in enumerate(schema["columns"], 1)]
    if not any(c.kind in ("label", "alias") for c in columns):
        raise SourceError(f"{path}: no column names the row's entity: give one column "
                          "\"propertyUrl\": \"rdfs:label\" (its name)")
    types = [c for c in columns if c.kind == "type"]
    if len(types) > 1:
        raise SourceError(f"{path}: {len(types)} rdf:type columns; the row's class comes from one")
    dialect = doc.get("dialect") if isinstance(doc.get("dialect"), dict) else {}
    delimiter = dialect.get("delimiter")
    if delimiter is not None and delimiter not in (",", ";", "\t"):
        raise SourceError(f"{path}: dialect.delimiter must be a comma, a semicolon or a tab, not {delimiter!r}")
    source_url = _text(doc.get("dc:source") or doc.get("dcterms:source") or doc.get("schema:url"))
    if source_url and not re.match(r"https?://\S+$", source_url):
        raise SourceError(f"{path}: dc:source {source_url!r} is not an http(s) URL")
    about = schema.get("aboutUrl")
    return Mapping(path, columns, title=_text(doc.get("dc:title") or doc.get("dcterms:title") or doc.get("rdfs:label")),
                   source_url=source_url, publisher=_text(doc.get("dc:publisher") or doc.get("dcterms:publisher")),
                   delimiter=delimiter, about_url=about if isinstance(about, str) else None,
                   table_url=_text(doc.get("url")))


def _text(value) -> str | None:
    """A CSVW natural-language property: a string, a list, or ``{"@value": ...}``."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value")
    return str(value).strip() if value else None


def _column(path: Path, i: int, c, vocab: Vocabulary) -> Column:
    if not isinstance(c, dict):
        raise SourceError(f"{path}: columns[{i}] is not a JSON object")
    titles = c.get("titles", c.get("name"))
    title = _text(titles)
    where = f"{path}: columns[{i}]" + (f" ({title!r})" if title else "")
    unknown = sorted(k for k in c if k not in _COLUMN_KEYS)
    if unknown:
        raise SourceError(f"{where}: unknown key {unknown[0]!r}; a column has {', '.join(sorted(_COLUMN_KEYS))}")
    virtual = bool(c.get("virtual"))
    if not virtual and not title:
        raise SourceError(f"{where}: a column needs \"titles\" (its header cell), or \"virtual\": true")
    nulls = c.get("null", "")
    nulls = tuple(nulls) if isinstance(nulls, list) else (str(nulls),)
    datatype = c.get("datatype")
    formats: tuple[str, ...] = ()
    if isinstance(datatype, dict):
        fmt = datatype.get("format")
        formats = tuple(fmt) if isinstance(fmt, list) else ((fmt,) if fmt else ())
    pivot = c.get("cg:centuryPivot", DEFAULT_PIVOT)
    if not isinstance(pivot, int) or not 0 <= pivot <= 100:
        raise SourceError(f"{where}: cg:centuryPivot must be a whole number from 0 to 100")
    names = titles if isinstance(titles, list) else [titles]
    col = Column(i, None if virtual else title, "skip", lang=_text(c.get("lang")), formats=formats,
                 titles=tuple(str(t) for t in names if isinstance(t, str) and t.strip()),
                 separator=c.get("separator") or None, nulls=nulls, pivot=pivot,
                 about=_text(c.get("cg:about")), musicbrainz_type=_text(c.get("cg:musicbrainzType")))
    for fmt in formats:
        try:
            _pattern(fmt)
        except ValueError as e:
            raise SourceError(f"{where}: {e}") from None
    if c.get("suppressOutput"):
        col.reason = "suppressOutput in the mapping"
        return col
    prop = c.get("propertyUrl")
    if not prop:
        col.reason = "the mapping gives it no propertyUrl"
        return col
    curie = _curie(str(prop))
    if curie is None:
        raise SourceError(f"{where}: propertyUrl {prop!r} is not a cg:, role:, rdfs:, skos: or rdf: term")
    col.kind = _SPECIAL.get(curie, "")
    prefix, _, local = curie.partition(":")
    if not col.kind and prefix == "role":
        if local not in vocab.roles:
            raise SourceError(f"{where}: unknown role {local!r}; roles: {', '.join(sorted(vocab.roles))}")
        col.kind, col.property = "credit", local
    elif not col.kind and prefix == "cg":
        allowed = set(claim_properties(vocab)) | {"disambiguation", "sitelink", "gender", "country", "birthPlace",
                                                  "debutDate", "instanceOf"}
        if local not in allowed:
            raise SourceError(f"{where}: cg:{local} is not a property a column can state")
        col.kind, col.property = "claim", local
    elif not col.kind:
        raise SourceError(f"{where}: propertyUrl {prop!r} is not one a column can state (see docs/importing.md)")
    if col.kind == "memberOf":
        col.property = "memberOf"
    if col.kind == "type":
        value = c.get("valueUrl")
        if virtual:
            cls = _curie(str(value or ""))
            if not cls or not cls.startswith("cg:") or cls[3:] not in vocab.superclasses:
                raise SourceError(f"{where}: a virtual rdf:type column needs \"valueUrl\": a cg: class (cg:Person ...)")
            col.value = cls[3:]
    elif virtual:
        raise SourceError(f"{where}: only an rdf:type column can be virtual")
    value_type = _text(c.get("cg:valueType"))
    if value_type:
        value_type = value_type[3:] if value_type.startswith("cg:") else value_type
        if value_type not in vocab.superclasses:
            raise SourceError(f"{where}: cg:valueType {value_type!r} is not a class of the ontology")
        col.value_type = value_type
    return col


def _curie(iri: str) -> str | None:
    for prefix, ns in _PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    prefix, sep, local = iri.partition(":")
    if sep and prefix in _PREFIXES and local and "/" not in local:
        return iri
    return None


# -- dates --------------------------------------------------------------------------------

_TOKEN = re.compile(r"yyyy|yy|y|MMMM|MMM|MM|M|dd|d|'[^']*'|[^yMd']")


def _pattern(fmt: str) -> tuple[re.Pattern, list[str]]:
    """A Unicode date pattern (``M/d/yy``) as a regular expression and the fields it captures."""
    parts, fields = [], []
    for token in _TOKEN.findall(fmt):
        if token[0] in "yMd":
            fields.append(token)
            parts.append({"yyyy": r"(\d{4})", "yy": r"(\d{2})", "y": r"(\d{1,4})", "MMMM": r"([^\W\d_]+)",
                          "MMM": r"([^\W\d_]{3,4})\.?", "MM": r"(\d{2})", "M": r"(\d{1,2})", "dd": r"(\d{2})",
                          "d": r"(\d{1,2})"}[token])
        elif token.startswith("'"):
            parts.append(re.escape(token.strip("'")))
        else:
            parts.append(r"\s*" + re.escape(token.strip()) + r"\s*" if token.strip() else r"\s+")
    if not any(f[0] == "y" for f in fields):
        raise ValueError(f"date format {fmt!r} has no year (y, yy or yyyy)")
    return re.compile("".join(parts) + r"$", re.IGNORECASE), fields


def parse_pattern_date(text: str, formats: tuple[str, ...] = (), pivot: int = DEFAULT_PIVOT) -> Date | None:
    """``text`` as a :class:`Date` in one of ``formats`` (Unicode date patterns), else in
    ISO form (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``); ``None`` if it is neither.
    A two-digit year is 20yy below ``pivot``, 19yy from it.

    >>> parse_pattern_date("10/13/95", ("M/d/yy",)), parse_pattern_date("3/2/05", ("M/d/yy",))
    (Date(value='1995-10-13', precision='day'), Date(value='2005-03-02', precision='day'))
    >>> parse_pattern_date("Jan 8, 1991", ("MMM d, yyyy",)), parse_pattern_date("2/30/95", ("M/d/yy",))
    (Date(value='1991-01-08', precision='day'), None)
    >>> parse_pattern_date("2016-06"), parse_pattern_date("13.10.1995", ("d.M.yyyy",))
    (Date(value='2016-06', precision='month'), Date(value='1995-10-13', precision='day'))
    """
    text = text.strip()
    for fmt in formats:
        regex, fields = _pattern(fmt)
        m = regex.match(text)
        if not m:
            continue
        year = month = day = None
        for token, value in zip(fields, m.groups()):
            if token[0] == "y":
                year = int(value) if token != "yy" else (2000 if int(value) < pivot else 1900) + int(value)
            elif token in ("MMM", "MMMM"):
                month = _MONTHS.get(value.lower().rstrip("."))
                if month is None:
                    return None
            elif token[0] == "M":
                month = int(value)
            else:
                day = int(value)
        if year is None or not 1 <= year <= 9999:
            return None
        if month is None:
            return Date(f"{year:04d}", "year")
        iso = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")
        return parse_date(iso)
    return parse_date(text) if not formats or re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}", text) else None


# -- reading a file through a mapping -----------------------------------------------------

def read_mapped(path: str | Path, mapping: Mapping, *, delimiter: str | None = None, strict: bool = False,
                vocab: Vocabulary | None = None) -> CsvBatch:
    """The batch of one CSV file read through ``mapping`` (see the module's documentation).

    :raises SourceError: the file cannot be read, or a column of the mapping is not in its header.
    :raises CsvRowsError: ``strict`` and a row or cell cannot be read, or no row can be.
    """
    path = Path(path)
    vocab = vocab or vocabulary()
    text = read_text(path, delimiter or mapping.delimiter, sniff=lambda line: _sniff(line, mapping))
    positions = _match_header(path, mapping, text.header)
    name = path.name
    batch = CsvBatch(name=f"csv/{file_slug(path.stem) or 'file'}", version=hashlib.sha256(text.data).hexdigest(),
                     origin=str(path.resolve()), header={c.title: c.title for c in mapping.columns if c.title})
    digest = hashlib.sha256(text.data).hexdigest()
    # The source is this file as read (two exports of one dataset are two sources, told apart
    # by their content), described by the mapping's dc:title, dc:source and dc:publisher.
    source = batch.add_source(SourceRecord(
        f"csv-file:{name}:{digest[:16]}", f"{mapping.title} ({name})" if mapping.title else name, kind="dataset",
        url=mapping.source_url, publisher=mapping.publisher, sha256=digest)).key
    described = set(positions.values())
    for i, cell in enumerate(text.header):
        if i not in described and cell.strip():
            batch.skip(f"column {cell.strip()!r}", "the mapping does not describe it; not imported", f"{name} line 1")
    for col in mapping.columns:
        if col.kind == "skip":
            batch.skip(f"column {col.title!r}", f"{col.reason}; not imported", f"{name} line 1")
    reader = _MappedRows(batch, mapping, vocab, name, source, positions, strict, len(text.header))
    for line, cells in text.rows:
        reader.row(line, cells)
    if strict and batch.bad_rows:
        raise CsvRowsError(batch.bad_rows)
    if not batch.good_rows:
        raise CsvRowsError(batch.bad_rows or [BadRow(name, 2, "no rows under the header")])
    for bad in batch.bad_rows:
        batch.skip("row", bad.reason, where=f"{name} line {bad.line}")
    return batch


def _sniff(header_line: str, mapping: Mapping) -> str:
    titles = {search_key(c.title) for c in mapping.columns if c.title}
    return max((",", ";", "\t"), key=lambda d: sum(search_key(c) in titles for c in header_line.split(d)))


def _match_header(path: Path, mapping: Mapping, header: list[str]) -> dict[int, int]:
    """Column index in the mapping -> cell index in the header, matched by title
    (ignoring case, spaces and punctuation; a title the header repeats is matched in order)."""
    free = [(i, search_key(cell)) for i, cell in enumerate(header)]
    out: dict[int, int] = {}
    for col in mapping.columns:
        if col.title is None:
            continue
        wanted = {search_key(t) for t in col.titles or (col.title,)}
        found = next((i for i, key in free if key in wanted), None)
        if found is None:
            cells = ", ".join(repr(c.strip()) for c in header if c.strip())
            raise SourceError(f"{path} line 1: no column {col.title!r} (from {mapping.path.name}, columns"
                              f"[{col.index}]); the header has {cells}")
        free = [(i, key) for i, key in free if i != found]
        out[col.index] = found
    return out


@dataclass
class _Row:
    line: int
    cells: dict[int, str]                   # mapping column index -> cell text (stripped)
    problems: list[str] = field(default_factory=list)


class _MappedRows:
    """Turns rows into records: the row's entity, the entities its cells name, and facts."""

    def __init__(self, batch: CsvBatch, mapping: Mapping, vocab: Vocabulary, file: str, source: str,
                 positions: dict[int, int], strict: bool, width: int):
        self.batch, self.mapping, self.vocab, self.file, self.source = batch, mapping, vocab, file, source
        self.positions, self.strict, self.width = positions, strict, width
        self.by_title = {search_key(c.title): c for c in mapping.columns if c.title}
        self.named: set[tuple[str, str]] = set()

    # -- one row -----------------------------------------------------------------------
    def row(self, line: int, cells: list[str]) -> None:
        values = {}
        for col in self.mapping.columns:
            if col.title is not None:
                pos = self.positions[col.index]
                text = cells[pos].strip() if pos < len(cells) else ""
                values[col.index] = "" if text in col.nulls else text
        if len(cells) > self.width and any(c.strip() for c in cells[self.width:]):
            self._bad(line, f"{len(cells)} cells, but the header has {self.width} columns "
                            "(a delimiter inside a cell needs quotes)")
            return
        row = _Row(line, values)
        try:
            self._row(row)  # a row fails (_Bad) before it adds anything; a cell's problem is the cell's
        except _Bad as e:
            self._bad(line, str(e))
            return
        for problem in row.problems:
            if self.strict:
                self.batch.bad_rows.append(BadRow(self.file, line, problem))
            else:
                self.batch.skip("cell", problem, f"{self.file} line {line}")
        self.batch.good_rows.append(line)

    def _bad(self, line: int, reason: str) -> None:
        self.batch.bad_rows.append(BadRow(self.file, line, reason))
        if self.strict:
            raise CsvRowsError(self.batch.bad_rows)

    def _prov(self, row: _Row, col: Column | None) -> Provenance:
        where = f"{self.file} line {row.line}" + (f", column {col.title}" if col and col.title else "")
        return Provenance(self.source, locator=where)

    def _values(self, row: _Row, col: Column) -> list[str]:
        text = row.cells.get(col.index, "")
        if not text:
            return []
        if col.separator:
            return [v.strip() for v in text.split(col.separator) if v.strip() and v.strip() not in col.nulls]
        return [text]

    def _row(self, row: _Row) -> None:
        cols = self.mapping.columns
        cls = self._row_class(row)
        label_cols = [c for c in cols if c.kind == "label" and not c.about]
        names = [(c, v) for c in label_cols if not c.lang for v in self._values(row, c)]
        names += [(c, v) for c in label_cols if c.lang for v in self._values(row, c)]
        names += [(c, v) for c in cols if c.kind == "alias" and not c.about for v in self._values(row, c)]
        if not names:
            titles = ", ".join(repr(c.title) for c in cols if c.kind in ("label", "alias") and not c.about)
            raise _Bad(f"no name: {titles} {'is' if ',' not in titles else 'are all'} empty")
        subject = self._subject_key(row, names[0][1])
        record = self.batch.entities.get(subject)
        if record is None:
            record = self.batch.add_entity(EntityRecord(subject, types=[cls]))
        elif cls not in record.types:
            record.types.append(cls)
        record.mentions.append(f"{self.file}:{row.line}")
        for col, text in names:
            lang = col.lang or ""
            name = Name(text, col.lang)
            if col.kind == "label" and lang not in record.labels:
                record.labels[lang] = text
            elif name not in record.aliases and text not in record.labels.values():
                record.aliases.append(name)
            self._attest(subject, name, row, col)
        if "" not in record.labels and not any(record.labels.values()):
            record.labels[""] = names[0][1]
        for col in cols:
            if col.kind in ("label", "alias", "type", "skip") and not col.about:
                continue
            about = subject if not col.about else self._about(row, col)
            if about is None:
                continue
            for value in self._values(row, col):
                try:
                    self._cell(row, col, about, value)
                except _Bad as e:
                    row.problems.append(f"column {col.title}: {e}")

    def _row_class(self, row: _Row) -> str:
        col = next((c for c in self.mapping.columns if c.kind == "type"), None)
        if col is None:
            return "Work" if any(c.kind == "credit" for c in self.mapping.columns) else "Agent"
        if col.value:
            return col.value
        text = row.cells.get(col.index, "")
        wanted = search_key(text)
        found = next((c for c in self.vocab.superclasses if search_key(c) == wanted), None)
        if found is None or not (self.vocab.is_agent_class(found) or self.vocab.is_work_class(found)):
            raise _Bad(f"column {col.title}: {text!r} is not a class of agents or works (Person, Group, Song ...)")
        return found

    def _subject_key(self, row: _Row, name: str) -> str:
        """One record per row, unless the row's entity has an identifier (rows with the
        same QID are one entity) or the mapping's ``aboutUrl`` names the columns that say
        which entity a row is about."""
        for col in self.mapping.columns:
            if col.kind in ("wikidata", "musicbrainz", "isni") and not col.about and row.cells.get(col.index):
                return f"csv-id:{col.kind}:{row.cells[col.index].strip().upper()}"
        if self.mapping.about_url:
            missing = False

            def fill(m: re.Match) -> str:
                nonlocal missing
                col = self.by_title.get(search_key(m.group(1)))
                value = row.cells.get(col.index, "") if col else ""
                missing = missing or not value
                return value
            about = re.sub(r"\{([^}]+)\}", fill, self.mapping.about_url)
            if not missing:  # a row lacking a value of the template is a record of its own
                return "csv-about:" + about
        return f"csv-row:{self.file}:{row.line}"

    def _about(self, row: _Row, col: Column) -> str | None:
        """The entity named in the column ``col.about`` of this row (for its identifiers)."""
        other = self.by_title.get(search_key(col.about or ""))
        if other is None:
            raise _Bad(f"column {col.title}: cg:about names no column of the mapping ({col.about!r})")
        values = self._values(row, other)
        if not values:
            return None
        return self._named(values[0], self._value_class(other, None), row, other)

    def _attest(self, key: str, name: Name, row: _Row, col: Column) -> None:
        if (key, name.text + "@" + (name.lang or "")) in self.named:
            return
        self.named.add((key, name.text + "@" + (name.lang or "")))
        self.batch.facts.append(NameRecord(key, (name,), self._prov(row, col)))

    def _named(self, text: str, cls: str, row: _Row, col: Column) -> str:
        """An entity a cell names (a group, an artist, a label): one per name and class in
        the file, and per the values of the columns that describe it (``cg:about``): the
        "Jimin" of a row whose Group is BTS is not the "Jimin" of a row whose Group is AOA."""
        evidence = [search_key(row.cells.get(c.index, "")) for c in self.mapping.columns
                    if c.about and search_key(c.about) == search_key(col.title or "")]
        key = f"csv:{search_key(text) or text}|{cls}" + ("|" + "|".join(evidence) if any(evidence) else "")
        name = Name(text, col.lang)
        record = self.batch.entities.get(key)
        if record is None:
            record = self.batch.add_entity(EntityRecord(key, types=[cls], labels={name.lang or "": text}))
        elif text not in record.labels.values() and name not in record.aliases:
            record.aliases.append(name)
        mention = f"{self.file}:{row.line}:{col.title}"
        if mention not in record.mentions:
            record.mentions.append(mention)
        self._attest(key, name, row, col)
        return key

    def _value_class(self, col: Column, subject_class: str | None) -> str:
        if col.value_type:
            return col.value_type
        if col.kind == "credit":
            return "Agent" if subject_class is None or self.vocab.is_work_class(subject_class) else "Work"
        if col.kind in ("label", "alias"):
            return next((c.value for c in self.mapping.columns if c.kind == "type" and c.value), "Agent")
        if col.property in _VALUE_CLASSES:
            return _VALUE_CLASSES[col.property]
        info = self.vocab.properties.get(col.property or "")
        rng = info.range if info else None
        if rng and rng.startswith(_PREFIXES["cg"]) and rng[len(_PREFIXES["cg"]):] in self.vocab.superclasses:
            return rng[len(_PREFIXES["cg"]):]
        return "Agent"

    # -- one cell ----------------------------------------------------------------------
    def _cell(self, row: _Row, col: Column, about: str, value: str) -> None:
        prov = self._prov(row, col)
        record = self.batch.entities[about]
        subject_class = record.types[0] if record.types else None
        b = self.batch
        if col.kind in ("label", "alias"):  # a name of the entity another column names
            name = Name(value, col.lang)
            if col.kind == "label" and (col.lang or "") not in record.labels:
                record.labels[col.lang or ""] = value
            elif name not in record.aliases:
                record.aliases.append(name)
            self._attest(about, name, row, col)
        elif col.kind in ("wikidata", "musicbrainz", "isni"):
            scheme, local, iri = self._identifier(col, value, subject_class)
            have = record.identifiers.get(scheme)
            if have and have != local:
                raise _Bad(f"{value!r}: this entity has {scheme} {have} on an earlier row")
            record.identifiers[scheme] = local
            b.facts.append(ClaimRecord(about, scheme, iri, prov))
        elif col.kind == "disambiguation":
            record.disambiguation = record.disambiguation or value
            b.facts.append(ClaimRecord(about, "disambiguation", value, prov))
        elif col.kind == "memberOf":
            if subject_class and not self.vocab.is_agent_class(subject_class):
                raise _Bad(f"a {subject_class} cannot be a member of a group")
            group = self._named(value, self._value_class(col, subject_class), row, col)
            b.facts.append(MembershipRecord(about, group, prov))
        elif col.kind == "credit":
            other = self._named(value, self._value_class(col, subject_class), row, col)
            agent, work = (other, about) if subject_class and self.vocab.is_work_class(subject_class) else (about, other)
            b.facts.append(CreditRecord(agent, work, col.property, prov))
        else:
            b.facts.append(ClaimRecord(about, col.property, self._claim_value(row, col, value, subject_class), prov))

    def _identifier(self, col: Column, value: str, subject_class: str | None) -> tuple[str, str, str]:
        text = value.strip()
        if col.kind == "wikidata":
            qid = text.rsplit("/", 1)[-1].upper()
            if not _QID.fullmatch(qid):
                raise _Bad(f"{value!r} is not a Wikidata item id (Q…)")
            return "wikidata", qid, f"http://www.wikidata.org/entity/{qid}"
        if col.kind == "musicbrainz":
            mbid = text.rsplit("/", 1)[-1].lower()
            if not _MBID.fullmatch(mbid):
                raise _Bad(f"{value!r} is not a MusicBrainz id (an MBID)")
            kind = col.musicbrainz_type or ("artist" if subject_class is None or self.vocab.is_agent_class(
                subject_class) else "recording" if subject_class in ("Recording", "MusicVideo") else "work")
            return "musicbrainz", f"{kind}/{mbid}", f"https://musicbrainz.org/{kind}/{mbid}"
        isni = re.sub(r"[\s-]+", "", text.rsplit("/", 1)[-1]).upper()
        if not _ISNI.fullmatch(isni):
            raise _Bad(f"{value!r} is not an ISNI (16 digits, the last may be X)")
        return "isni", isni, f"https://isni.org/isni/{isni}"

    def _claim_value(self, row: _Row, col: Column, value: str, subject_class: str | None):
        prop = col.property or ""
        info = self.vocab.properties.get(prop)
        _XSD = "http://www.w3.org/2001/XMLSchema#"
        date_like = prop.endswith("Date") or prop in ("inception", "dissolved") or col.formats
        if date_like:
            date = parse_pattern_date(value, col.formats, col.pivot)
            if date is None:
                forms = " or ".join(col.formats) if col.formats else "YYYY, YYYY-MM or YYYY-MM-DD"
                raise _Bad(f"{value!r} is not a date in the form {forms}")
            return date
        if info and info.range == _XSD + "integer":
            if not re.fullmatch(r"[+-]?[0-9]+", value):
                raise _Bad(f"{value!r} is not a whole number")
            return int(value)
        if prop in ("sitelink", "instanceOf") or (info and info.kind == "object" and re.match(r"https?://\S+$", value)):
            if not re.match(r"https?://\S+$", value):
                raise _Bad(f"{value!r} is not an http(s) URL")
            return value
        if info and info.kind == "object":
            if info.range == "http://www.w3.org/2004/02/skos/core#Concept":
                concepts = sorted(self.vocab.occupations)
                found = by_folded(value, concepts) or by_folded(value, concepts,
                                                                  key=lambda c: self.vocab.occupations[c])
                if found is None:
                    raise _Bad(f"unknown occupation {value!r}")
                return _PREFIXES["cg"] + found
            return EntityRef(self._named(value, self._value_class(col, subject_class), row, col))
        if prop == "note":  # the dataset's word means little without its column: "Release: major"
            value = f"{col.title}: {value}"
        return Name(value, col.lang) if col.lang else value


# -- a mapping to start from -----------------------------------------------------------------

_GUESSES = [  # (words in a header cell, what the column probably holds)
    (("korean", "hangul", "k."), {"propertyUrl": "skos:altLabel", "lang": "ko"}),
    (("birth", "dob", "born"), {"propertyUrl": "cg:birthDate"}),
    (("debut",), {"propertyUrl": "cg:debutDate"}),
    (("release", "date"), {"propertyUrl": "cg:releaseDate"}),
    (("qid", "wikidata"), {"propertyUrl": "cg:wikidata"}),
    (("mbid", "musicbrainz"), {"propertyUrl": "cg:musicbrainz"}),
    (("isni",), {"propertyUrl": "cg:isni"}),
    (("gender", "sex"), {"propertyUrl": "cg:gender"}),
    (("birthplace", "hometown"), {"propertyUrl": "cg:birthPlace"}),
    (("country", "nationality"), {"propertyUrl": "cg:country"}),
    (("company", "label", "agency"), {"propertyUrl": "cg:recordLabel"}),
    (("group", "band"), {"propertyUrl": "cg:memberOf"}),
    (("director",), {"propertyUrl": "role:musicVideoDirector"}),
    (("artist", "singer", "performer"), {"propertyUrl": "role:performer"}),
    (("name", "title", "song"), {"propertyUrl": "rdfs:label"}),
]


def describe(csv_path: str | Path, *, delimiter: str | None = None) -> dict:
    """A CSVW mapping to start from for ``csv_path``: one column per header cell with a
    guess of what it holds from its words (a person to check every line), unknown ones
    ``suppressOutput``. The first name-like column becomes the row's label, others aliases.

    :raises SourceError: as :func:`collabgraph.importers.csvfile.read_text` does.
    """
    path = Path(csv_path)
    text = read_text(path, delimiter, sniff=lambda line: max((",", ";", "\t"), key=line.count))
    columns, labelled = [], False
    for cell in text.header:
        title = cell.strip()
        words = title.lower()
        guess = next((dict(g) for keys, g in _GUESSES if any(k in words for k in keys)), None)
        if guess is None:
            guess = {"suppressOutput": True}
        elif guess["propertyUrl"] == "rdfs:label":
            guess["propertyUrl"] = "skos:altLabel" if labelled else "rdfs:label"
            labelled = True
        if guess.get("propertyUrl", "").endswith("Date"):
            guess["datatype"] = {"base": "date", "format": ["yyyy-MM-dd", "M/d/yy", "M/d/yyyy"]}
        columns.append({"titles": title, **guess})
    is_work = any(c.get("propertyUrl", "").startswith("role:") for c in columns)
    columns.append({"virtual": True, "propertyUrl": "rdf:type", "valueUrl": "cg:MusicVideo" if is_work else "cg:Person"})
    return {"@context": CSVW, "url": path.name, "dc:title": path.stem, "tableSchema": {"columns": columns}}
