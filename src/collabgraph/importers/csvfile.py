"""Facts from a spreadsheet: one CSV row per credit, membership or claim.

A row names its agent and work (or group, or the claim's property and value),
the document that supports it (``source_url`` and/or ``source_title``) and,
where the document has the words, a ``quote``. :data:`COLUMNS` lists every
column with what it holds; :func:`template` writes a file to start from.

Every bad row is reported with its line in the file (the physical line where
the row starts, counting the header and the lines of multi-line quoted cells)
and the reason. By default the good rows are imported and the bad ones are
listed in the batch (:attr:`CsvBatch.bad_rows`, and as skipped records for the
import report); with ``strict=True`` one bad row stops the file, and
:class:`CsvRowsError` lists them all.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "facts.csv").write_text(
...     "agent,agent_type,work,work_type,role,date,source_title,quote\\n"
...     "Mira Solen,Person,Paper Lanterns,Single,performer,2021-05,Liner notes,Mira Solen sings Paper Lanterns\\n"
...     "Mira Solen,Person,Paper Lanterns,Single,perfomer,2021,Liner notes,\\n", encoding="utf-8")
>>> batch = next(read([str(d / "facts.csv")]))
>>> batch.name, len(batch.facts), batch.good_rows
('csv/facts', 3, [2])
>>> batch.bad_rows[0].line, batch.bad_rows[0].reason
(3, "unknown role 'perfomer'; did you mean performer?")
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Iterator

from ..core.namespaces import CG_IRI
from ..core.errors import SourceError
from ..core.names import close_matches, search_key
from .model import (Batch, ClaimRecord, CreditRecord, Date, EntityRecord, EntityRef, MembershipRecord, Name,
                    NameRecord, Provenance, SourceRecord)
from .vocabulary import Vocabulary, vocabulary
from .writer import iri_problem

__all__ = ["COLUMNS", "KINDS", "CsvBatch", "BadRow", "CsvRowsError", "read", "template", "claim_properties"]

#: Every column, in the template's order, with what it holds (the README's table is made from this).
COLUMNS: dict[str, str] = {
    "kind": "credit (default), membership or claim",
    "agent": "the person or group credited; the member of a membership; what a claim is about (or use work)",
    "agent_type": "a class of agents: Person, Group, RecordLabel or Agent (default: Agent, or the type "
                  "the same name has on another row of the file)",
    "work": "the work credited on; what a claim is about (when agent is empty)",
    "work_type": "a class of works: Song, Single, MusicVideo, Album, Film, TVSeries, KDrama, Video ... "
                 "(default: Work, or the type the same name has on another row)",
    "role": "a role of the scheme, by name or label: performer, featured artist, composer, actor ... "
            "(default: collaborator)",
    "character": "the character an actor plays (credits)",
    "instrument": "the instrument an instrumentalist plays, as the source names it (credits)",
    "credited_as": "the name the agent is credited under on this work, if different (credits)",
    "date": "when (credits): YYYY, YYYY-MM, YYYY-MM-DD, or --MM-DD when the source gives no year",
    "group": "the group of a membership",
    "start": "when the membership began (same date forms)",
    "end": "when the membership ended (same date forms)",
    "property": "the property a claim states: releaseDate, birthDate, occupation, recordLabel, note ... "
                "(see claim_properties())",
    "value": "the claim's value: a date, a number, text, an occupation (singer, actor ...), "
             "an entity name or an http(s) IRI",
    "value_type": "the class of a claim value that names an entity (default: the property's range)",
    "source_url": "the http(s) URL of the document that supports the fact",
    "source_title": "its title (a row needs a source_url, a source_title or both)",
    "publisher": "who published the document",
    "published": "when it was published (date forms as above)",
    "quote": "the document's own words that support the fact (2 to 300 characters)",
    "locator": "where in the document the fact is (a page, a timestamp); "
               "default for a row without a quote: '<file name> line N'",
    "agent_wikidata": "the agent's Wikidata QID (Q…), used to link it",
    "work_wikidata": "the work's Wikidata QID",
    "agent_musicbrainz": "the agent's MusicBrainz artist MBID",
    "note": "a remark for the people editing the file; not imported",
}
KINDS = ("credit", "membership", "claim")
_COMMON = {"kind", "source_url", "source_title", "publisher", "published", "quote", "locator", "note",
           "agent", "agent_type", "agent_wikidata", "agent_musicbrainz"}
#: Columns each kind of row may fill (anything else filled is an error, never ignored).
_USES = {
    "credit": _COMMON | {"work", "work_type", "work_wikidata", "role", "character", "instrument",
                         "credited_as", "date"},
    "membership": _COMMON | {"group", "start", "end"},
    "claim": _COMMON | {"work", "work_type", "work_wikidata", "property", "value", "value_type"},
}
_MAX_QUOTE = 300
_DELIMITERS = (",", ";", "\t")
_CG = CG_IRI
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
_DATE_TYPES = {_XSD + t for t in ("date", "gYear", "gYearMonth", "gMonthDay")}
#: Properties a row never states as a claim: the rules derive them from credits and
#: memberships (state those instead), or they are identifiers (use the *_wikidata columns).
_NOT_CLAIMS = {"creditedOn", "appearsIn", "performer", "castMember", "memberOf", "collaboratedWith",
               "participant", "onWork", "wikidata", "musicbrainz", "sitelink", "description",
               "date", "startDate", "endDate", "retrieved", "context"}  # parts of facts and records
_FACT_DOMAINS = {_CG + c for c in ("Fact", "Credit", "Membership", "Claim", "Attestation", "SourceDocument",
                                   "Reference", "Collaboration")}
_QID = re.compile(r"Q[1-9][0-9]*")
_MBID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class _Bad(Exception):
    """One bad row (internal: becomes a :class:`BadRow`)."""


@dataclass(frozen=True)
class BadRow:
    """A row that was not imported: its line in the file and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file} line {self.line}: {self.reason}"


class CsvRowsError(SourceError):
    """A ``strict`` import met bad rows: one line per bad row, nothing imported."""

    def __init__(self, rows: list[BadRow]):
        self.rows = rows
        super().__init__("\n".join(str(r) for r in rows))


@dataclass
class CsvBatch(Batch):
    """A batch from one CSV file, with the lines of the rows it imported and of those it did not."""

    good_rows: list[int] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    #: The header cell of each column as the file writes it (for the rows' mentions, ``facts.csv:2:agent``).
    header: dict[str, str] = field(default_factory=dict)


def claim_properties(vocab: Vocabulary | None = None) -> list[str]:
    """The ``cg:`` properties a claim row may state.

    >>> {"releaseDate", "occupation", "note"} <= set(claim_properties()), "memberOf" in claim_properties()
    (True, False)
    """
    vocab = vocab or vocabulary()
    return sorted(p for p, info in vocab.properties.items()
                  if p not in _NOT_CLAIMS and info.domain not in _FACT_DOMAINS)


def template() -> str:
    """A CSV to start from: the header and two rows of invented examples.

    >>> template().splitlines()[0].split(",")[:4]
    ['kind', 'agent', 'agent_type', 'work']
    """
    rows = [
        {"kind": "credit", "agent": "Mira Solen", "agent_type": "Person", "work": "Paper Lanterns",
         "work_type": "Single", "role": "performer", "date": "2021-05",
         "source_url": "https://example.org/news/paper-lanterns", "source_title": "Mira Solen lights up spring",
         "publisher": "Example Music News", "published": "2021-05-14",
         "quote": "Mira Solen's new single Paper Lanterns",
         "note": "an invented example: replace it with your own rows"},
        {"kind": "membership", "agent": "Mira Solen", "group": "The Quiet Tides", "start": "2016", "end": "2019",
         "source_url": "https://example.org/news/paper-lanterns", "locator": "third paragraph",
         "note": "no quote: the locator says where the article says it"},
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def read(inputs: list[str], *, delimiter: str | None = None, strict: bool = False) -> Iterator[CsvBatch]:
    """One :class:`CsvBatch` per CSV file (name ``csv/<file stem>``, version the SHA-256 of the file).
    (:func:`collabgraph.importers.mapping.read` reads any CSV through a column mapping.)

    :param inputs: paths of CSV files (UTF-8, with or without a byte-order mark).
    :param delimiter: ``","``, ``";"`` or a tab; by default the one that splits the header into columns.
    :param strict: raise :class:`CsvRowsError` if any row is bad, instead of importing the good ones.
    :raises CsvRowsError: bad rows in a ``strict`` import, or a file with no good row at all.
    :raises SourceError: a file that cannot be read, is not UTF-8, has an unknown column or no rows.
    """
    vocab = vocabulary()
    for path in inputs:
        batch = _read_file(Path(path), vocab, delimiter)
        if batch.bad_rows and (strict or not batch.good_rows):
            raise CsvRowsError(batch.bad_rows)
        yield batch


# -- the file ---------------------------------------------------------------------------------

@dataclass
class CsvText:
    """A CSV file read: its bytes, header cells, delimiter, and its rows as
    ``(physical line where the row starts, cells)`` (blank lines left out)."""

    path: Path
    data: bytes
    header: list[str]
    delimiter: str
    rows: list[tuple[int, list[str]]]


def read_text(path: Path, delimiter: str | None, sniff=None) -> CsvText:
    """The rows of a UTF-8 CSV file, each with the line it starts on.

    :param sniff: ``sniff(header_line) -> delimiter`` when ``delimiter`` is not given
        (default: the one that splits the header into the most known columns).
    :raises SourceError: one line naming the file (and line) for a file that cannot be
        read, is not UTF-8 text, is empty, or is not well-formed CSV.
    """
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise SourceError(f"{path} line {line}: not UTF-8 (byte 0x{data[e.start]:02x}); "
                          "save the file as UTF-8 CSV") from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise SourceError(f"{path} line {line}: a NUL character: this is not a text CSV file")
    if not text.strip():
        raise SourceError(f"{path}: the file is empty; `collabgraph import csv --template` writes one to start from")
    header_line = text.splitlines()[0]
    delim = delimiter or (sniff or _sniff)(header_line)
    if delim not in _DELIMITERS:
        raise SourceError(f"{path}: delimiter must be a comma, a semicolon or a tab, not {delim!r}")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        header = next(reader)
    except csv.Error as e:
        raise SourceError(f"{path} line 1: {e}") from None
    rows: list[tuple[int, list[str]]] = []
    end = reader.line_num
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise SourceError(f"{path} line {start}: {e}") from None
        end = reader.line_num
        if any(c.strip() for c in cells):  # a blank line is not a row
            rows.append((start, cells))
    return CsvText(path, data, header, delim, rows)


def _read_file(path: Path, vocab: Vocabulary, delimiter: str | None) -> CsvBatch:
    name = path.name
    text = read_text(path, delimiter)
    data, header, delim = text.data, text.header, text.delimiter
    columns = _columns(path, header)
    stem = file_slug(path.stem) or "file"
    batch = CsvBatch(name=f"csv/{stem}", version=hashlib.sha256(data).hexdigest(), origin=str(path.resolve()),
                     header={c: cell.strip() for c, cell in zip(columns, header) if c})
    rows: list[tuple[int, dict[str, str]]] = []
    for start, cells in text.rows:
        if len(cells) > len(columns):
            batch.bad_rows.append(BadRow(name, start, f"{len(cells)} cells, but the header has {len(columns)} "
                                                      f"columns (a {_show(delim)} inside a cell needs quotes)"))
            continue
        rows.append((start, {c: v.strip() for c, v in zip(columns, cells) if c}))
    if not rows and not batch.bad_rows:
        raise SourceError(f"{path}: no rows under the header")
    _Rows(batch, vocab, name, rows).run()
    batch.bad_rows.sort(key=lambda r: r.line)
    for bad in batch.bad_rows:
        batch.skip("row", bad.reason, where=f"{name} line {bad.line}")
    return batch


def _sniff(header_line: str) -> str:
    """The delimiter that splits the header into the most known columns."""
    def known(d: str) -> int:
        return sum(_column_name(c) in COLUMNS for c in header_line.split(d))
    return max(_DELIMITERS, key=known)


def _show(delim: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}[delim]


def _column_name(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().strip('"').lower())


def _columns(path: Path, header: list[str]) -> list[str]:
    out: list[str] = []
    for cell in header:
        col = _column_name(cell)
        if not col:
            out.append("")
            continue
        if col not in COLUMNS:
            close = close_matches(col, COLUMNS, limit=1)
            hint = f" (did you mean {close[0][0]}?)" if close else f"; columns: {', '.join(COLUMNS)}"
            raise SourceError(f"{path} line 1: unknown column {cell.strip()!r}{hint}")
        if col in out:
            raise SourceError(f"{path} line 1: column {col!r} appears twice")
        out.append(col)
    if not {"agent", "work"} & set(out):
        raise SourceError(f"{path} line 1: the header has neither an agent nor a work column; "
                          "`collabgraph import csv --template` writes one to start from")
    return out


def file_slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(w.lower() for w in re.findall(r"[A-Za-z0-9]+", ascii_text))[:80]


# -- the rows ---------------------------------------------------------------------------------

@dataclass
class _Name:
    text: str
    kind: str            # "agent", "work" or "Character"
    declared: str | None  # the class the row gives, if any


class _Rows:
    """Turns the parsed rows of one file into the batch's records, in two passes:
    the first learns the types the file declares for each name (so a row that
    leaves agent_type empty refers to the same entity as a row that gives it),
    the second checks each row and adds its facts."""

    def __init__(self, batch: CsvBatch, vocab: Vocabulary, file: str, rows: list[tuple[int, dict[str, str]]]):
        self.batch, self.vocab, self.file, self.rows = batch, vocab, file, rows
        self.declared: dict[tuple[str, str], set[str]] = {}   # (agent|work, folded name) -> classes given
        self.by_url: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        self.named: set[tuple[str, str]] = set()               # (entity key, name) attested already
        self.undo: list = []                                    # how to take back what the current row did
        self.subjects: set[int] = set()                         # lines whose subject is named
        self.line = 0

    def run(self) -> None:
        for _, row in self.rows:
            for kind, col in (("agent", "agent"), ("work", "work")):
                typed = row.get(col + "_type", "")
                if row.get(col) and typed:
                    cls = self._class_or_none(typed, kind)
                    if cls:
                        self.declared.setdefault((kind, search_key(row[col])), set()).add(cls)
            if row.get("group") and (row.get("kind") or "credit").lower() == "membership":
                self.declared.setdefault(("agent", search_key(row["group"])), set()).add("Group")
        for line, row in self.rows:
            self.line = line
            self.undo = []
            facts = len(self.batch.facts)
            try:
                self._row(line, row)
            except _Bad as e:
                # A bad row adds nothing: take back what it added before it failed.
                del self.batch.facts[facts:]
                for step in reversed(self.undo):
                    step()
                self.batch.bad_rows.append(BadRow(self.file, line, str(e)))
            else:
                self.batch.good_rows.append(line)

    # -- one row ---------------------------------------------------------------------------
    def _row(self, line: int, row: dict[str, str]) -> None:
        kind = (row.get("kind") or "credit").lower()
        if kind not in KINDS:
            raise _Bad(f"unknown kind {row['kind']!r}; kinds: {', '.join(KINDS)}")
        stray = [c for c, v in row.items() if v and c not in _USES[kind]]
        if stray:
            raise _Bad(f"{', '.join(stray)} {'does' if len(stray) == 1 else 'do'} not apply to a {kind} row")
        prov, ident_prov = self._provenance(line, row)
        if kind == "credit":
            agent = self._entity(row, "agent", prov, ident_prov, required=True)
            work = self._entity(row, "work", prov, ident_prov, required=True)
            role = self._role(row.get("role") or "collaborator")
            character = None
            if row.get("character"):
                character = self._named(row["character"], "Character", prov, column="character")
            self.batch.facts.append(CreditRecord(
                agent, work, role, prov, character=character, date=self._date(row, "date"),
                instrument=row.get("instrument") or None, credited_as=row.get("credited_as") or None))
        elif kind == "membership":
            member = self._entity(row, "agent", prov, ident_prov, required=True)
            if not row.get("group"):
                raise _Bad("a membership needs a group")
            group = self._named(row["group"], "Group", prov, column="group")
            start, end = self._date(row, "start"), self._date(row, "end")
            if start and end and start.precision != "monthday" and end.precision != "monthday" \
                    and end.value < start.value[:len(end.value)]:
                raise _Bad(f"the membership ends ({end.value}) before it starts ({start.value})")
            self.batch.facts.append(MembershipRecord(member, group, prov, start=start, end=end))
        else:
            if bool(row.get("agent")) == bool(row.get("work")):
                raise _Bad("a claim is about one entity: fill agent or work, not both" if row.get("agent")
                           else "a claim needs what it is about: fill agent or work")
            about = self._entity(row, "agent" if row.get("agent") else "work", prov, ident_prov, required=True)
            prop, value = self._claim(row, prov)
            self.batch.facts.append(ClaimRecord(about, prop, value, prov))

    def _provenance(self, line: int, row: dict[str, str]) -> tuple[Provenance, Provenance]:
        """The row's provenance, and the one its identifiers get (the user's
        curation, located at the row: a quote never states a QID)."""
        url, title = row.get("source_url", ""), row.get("source_title", "")
        if not (url or title):
            raise _Bad("no source: fill source_url or source_title (the document that supports the fact)")
        if url and not re.match(r"https?://[^\s/]+", url):
            raise _Bad(f"source_url {url!r} is not an http(s) URL")
        if url and iri_problem(url):
            raise _Bad(f"source_url {url!r} is not a valid URL ({iri_problem(url)}): "
                       "percent-encode the character (a '>' is %3E)")
        quote = row.get("quote") or None
        if quote is not None and not 2 <= len(quote) <= _MAX_QUOTE:
            raise _Bad(f"the quote has {len(quote)} characters; a quote has 2 to {_MAX_QUOTE}: "
                       "keep the words that state the fact")
        published = self._date(row, "published")
        key = self.by_url.get(url) if url else self.by_title.get(search_key(title))
        if key is None:
            key = f"csv-source:{url or title}"
            self.batch.add_source(SourceRecord(key, title or url, kind="document", url=url or None,
                                               publisher=row.get("publisher") or None, published=published))
            self.undo.append(lambda: self.batch.sources.pop(key))
        source = self.batch.sources[key]
        was = (source.label, source.publisher, source.published)

        def restore() -> None:
            source.label, source.publisher, source.published = was
        self.undo.append(restore)
        for what, ours, theirs in (("title", title, source.label if source.label != source.url else ""),
                                   ("publisher", row.get("publisher", ""), source.publisher or ""),
                                   ("published", published.value if published else "",
                                    source.published.value if source.published else "")):
            if ours and theirs and ours != theirs:
                raise _Bad(f"this source's {what} is {theirs!r} on an earlier row, not {ours!r}")
        if title and source.label == source.url:
            source.label = title
        if row.get("publisher") and not source.publisher:
            source.publisher = row["publisher"]
        if published and not source.published:
            source.published = published
        for index, k in ((self.by_url, url), (self.by_title, search_key(title))):
            if k and k not in index:
                index[k] = key
                self.undo.append(lambda index=index, k=k: index.pop(k))
        at_line = f"{self.file} line {line}"
        locator = row.get("locator") or (None if quote else at_line)
        if locator and len(locator) > _MAX_QUOTE:
            raise _Bad(f"the locator has {len(locator)} characters; at most {_MAX_QUOTE}")
        return Provenance(key, quote=quote, locator=locator), Provenance(key, locator=locator or at_line)

    # -- entities --------------------------------------------------------------------------
    def _entity(self, row: dict[str, str], col: str, prov: Provenance, ident_prov: Provenance, *,
                required: bool) -> str:
        text = row.get(col, "")
        if not text:
            raise _Bad(f"missing {col}")
        declared = row.get(col + "_type", "")
        if declared:
            cls = self._class(declared, col)
        else:
            known = self.declared.get((col, search_key(text)), set())
            if len(known) > 1:
                raise _Bad(f"{text!r} has several types in this file ({', '.join(sorted(known))}); "
                           f"fill {col}_type")
            cls = next(iter(known), "Agent" if col == "agent" else "Work")
        # A title is not an identity: the same title credited in different years is two works.
        year = parse_date(row.get("date", "")) if col == "work" and row.get("date") else None
        variant = year.value[:4] if year and year.value[:4].isdigit() else ""
        key = self._named(text, cls, prov, column=col, variant=variant, subject=True)
        ids = {}
        if row.get(col + "_wikidata"):
            qid = row[col + "_wikidata"].upper()
            if not _QID.fullmatch(qid):
                raise _Bad(f"{col}_wikidata {row[col + '_wikidata']!r} is not a Wikidata item id (Q…)")
            ids["wikidata"] = (qid, f"http://www.wikidata.org/entity/{qid}")
        if row.get(col + "_musicbrainz"):
            mbid = row[col + "_musicbrainz"].lower()
            if not _MBID.fullmatch(mbid):
                raise _Bad(f"{col}_musicbrainz {row[col + '_musicbrainz']!r} is not a MusicBrainz id (an MBID)")
            ids["musicbrainz"] = (f"artist/{mbid}", f"https://musicbrainz.org/artist/{mbid}")
        record = self.batch.entities[key]
        for scheme, (value, iri) in ids.items():
            have = record.identifiers.get(scheme)
            if have and have != value:
                raise _Bad(f"{text!r} has {scheme} {have} on an earlier row, not {value}")
            if not have:
                record.identifiers[scheme] = value
                self.undo.append(lambda record=record, scheme=scheme: record.identifiers.pop(scheme))
                self.batch.facts.append(ClaimRecord(key, scheme, iri, ident_prov))
        return key

    def _named(self, text: str, cls: str, prov: Provenance, *, column: str = "", variant: str = "",
               subject: bool = False) -> str:
        """The key of the entity ``text`` of class ``cls`` (and ``variant``: the year of a
        work's credit), added with its name (and attested once), and where the row names
        it (``column``; ``subject``: the entity the row is about, when it is the first)."""
        key = f"csv:{search_key(text) or text}|{cls}" + (f"|{variant}" if variant else "")
        record = self.batch.entities.get(key)
        if record is None:
            record = self.batch.add_entity(EntityRecord(key, types=[cls], labels={"": text}))
            self.undo.append(lambda: self.batch.entities.pop(key))
        elif text not in record.labels.values() and Name(text) not in record.aliases:
            record.aliases.append(Name(text))
            self.undo.append(record.aliases.pop)
        if column:
            where = [f"{self.file}:{self.line}:{self.batch.header.get(column, column)}"]
            if subject and self.line not in self.subjects:  # the agent, or the work of a claim about it
                self.subjects.add(self.line)
                self.undo.append(lambda line=self.line: self.subjects.discard(line))
                where.append(f"{self.file}:{self.line}")
            new = [m for m in where if m not in record.mentions]
            record.mentions.extend(new)
            self.undo.append(lambda record=record, n=len(new): record.mentions.__delitem__(  # noqa: B008 (bound now, on purpose)
                slice(len(record.mentions) - n, None)))
        if (key, text) not in self.named:
            self.named.add((key, text))
            self.undo.append(lambda: self.named.discard((key, text)))
            self.batch.facts.append(NameRecord(key, (Name(text),), prov))
        return key

    def _class_or_none(self, text: str, col: str) -> str | None:
        try:
            return self._class(text, col)
        except _Bad:
            return None

    def _class(self, text: str, col: str) -> str:
        fits = self.vocab.is_agent_class if col == "agent" else self.vocab.is_work_class
        classes = sorted(c for c in self.vocab.superclasses if fits(c))
        found = by_folded(text, classes)
        if found is None:
            raise _Bad(f"unknown {col}_type {text!r}{_suggest(text, classes)}")
        return found

    # -- values ----------------------------------------------------------------------------
    def _role(self, text: str) -> str:
        roles = sorted(self.vocab.roles)
        found = by_folded(text, roles)
        if found is None:
            raise _Bad(f"unknown role {text!r}{_suggest(text, roles)}")
        return found

    def _date(self, row: dict[str, str], col: str) -> Date | None:
        text = row.get(col, "")
        if not text:
            return None
        date = parse_date(text)
        if date is None:
            raise _Bad(f"{col} {text!r} is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD")
        return date

    def _claim(self, row: dict[str, str], prov: Provenance):
        allowed = claim_properties(self.vocab)
        text, value = row.get("property", ""), row.get("value", "")
        if not text:
            raise _Bad("a claim needs a property")
        prop = by_folded(text, allowed)
        if prop is None:
            raise _Bad(f"{text!r} is not a property a claim can state{_suggest(text, allowed)}")
        if not value:
            raise _Bad(f"a claim of {prop} needs a value")
        info = self.vocab.properties[prop]
        if row.get("value_type") and info.kind != "object":
            raise _Bad(f"value_type does not apply to {prop}, whose value is not an entity")
        if info.kind == "datatype":
            if info.range == _XSD + "string":
                return prop, value
            if info.range == _XSD + "integer":
                if not re.fullmatch(r"[+-]?[0-9]+", value):
                    raise _Bad(f"{prop} takes a whole number, not {value!r}")
                return prop, int(value)
            if info.range is None or info.range in _DATE_TYPES:
                date = parse_date(value)
                if date is not None:
                    return prop, date
                if info.range is None and not re.fullmatch(r"[0-9-]+", value):
                    return prop, value
                raise _Bad(f"{prop} takes a date (YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD), not {value!r}")
            raise _Bad(f"{prop} cannot be stated from a CSV file")
        if re.match(r"https?://\S+$", value):
            return prop, value
        if info.range == _SKOS_CONCEPT:
            concepts = sorted(self.vocab.occupations)
            found = by_folded(value, concepts) or by_folded(
                value, concepts, key=lambda c: self.vocab.occupations[c])
            if found is None:
                raise _Bad(f"unknown occupation {value!r}{_suggest(value, concepts)}")
            return prop, _CG + found
        range_class = info.range[len(_CG):] if info.range and info.range.startswith(_CG) else None
        if row.get("value_type"):
            classes = sorted(c for c in self.vocab.superclasses
                             if range_class is None or range_class in self.vocab.superclasses[c])
            cls = by_folded(row["value_type"], classes)
            if cls is None:
                raise _Bad(f"value_type {row['value_type']!r} is not a class {prop} takes"
                           f"{_suggest(row['value_type'], classes)}")
        elif range_class:
            cls = range_class
        else:
            raise _Bad(f"{prop} takes an entity: fill value_type with its class (RecordLabel, Person ...) "
                       "or give an http(s) IRI")
        return prop, EntityRef(self._named(value, cls, prov, column="value"))


# -- helpers ------------------------------------------------------------------------------------

def parse_date(text: str) -> Date | None:
    """A date in one of the forms a row may use, with its precision; ``None`` if it is not one.

    >>> parse_date("2024"), parse_date("2024-01"), parse_date("--01-24")
    (Date(value='2024', precision='year'), Date(value='2024-01', precision='month'), Date(value='--01-24', precision='monthday'))
    >>> parse_date("2024-02-30"), parse_date("24/01/2024")
    (None, None)
    """
    text = text.strip()
    try:
        if re.fullmatch(r"[0-9]{4}", text):
            return Date(text, "year")
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}", text) and 1 <= int(text[5:]) <= 12:
            return Date(text, "month")
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            _date.fromisoformat(text)
            return Date(text, "day")
        if re.fullmatch(r"--[0-9]{2}-[0-9]{2}", text):
            _date.fromisoformat("2000" + text[1:])  # a leap year, so --02-29 is a day
            return Date(text, "monthday")
    except ValueError:
        return None
    return None


def by_folded(text: str, names: list[str], key=None) -> str | None:
    """The name whose folded form is ``text``'s (``"featured artist"`` -> ``featuredArtist``)."""
    wanted = search_key(text)
    for name in names:
        if search_key(key(name) if key else name) == wanted:
            return name
    return None


def _suggest(text: str, names: list[str]) -> str:
    close = [name for name, _ in close_matches(text, names, limit=3)]
    if close:
        return f"; did you mean {' or '.join(close)}?"
    return f"; one of: {', '.join(names)}"
