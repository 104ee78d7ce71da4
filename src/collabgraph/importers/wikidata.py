"""Wikidata importer: entity JSON and dumps in, one :class:`Batch` per item out.

Reads what Wikidata publishes about items:

* entity JSON as ``Special:EntityData/Q….json`` answers it
  (``{"entities": {"Q…": {...}}}``), or a single entity object;
* the dump format: one JSON array with ``[`` alone on the first line, one
  entity per line (each ending in ``,`` but the last), ``]`` alone last.

Files may be plain, gzip, bzip2 or xz (told by their first bytes, not their
names). Dumps are read line by line, so memory stays flat however long the
dump is. A QID given instead of a file is fetched through the ``fetch``
callable (``None``: files only).

Every fact carries the item at its revision as its source and the statement
id (``Q1299$…``) as its locator; the statement's own references are kept.
Statements of a deprecated rank are skipped; when a property has preferred
statements only those are kept (Wikidata's "best rank"), and the normal ones
are reported as skipped. Dates keep their precision.

>>> doc = {"id": "Q1", "type": "item", "lastrevid": 7, "labels": {"en": {"language": "en", "value": "A"}},
...        "claims": {"P31": [{"id": "Q1$1", "rank": "normal", "mainsnak": {"snaktype": "value",
...            "datavalue": {"type": "wikibase-entityid", "value": {"id": "Q5"}}}}]}}
>>> [b] = read_document(json.dumps(doc).encode(), "Q1.json")
>>> b.name, b.version, b.entities["wikidata:Q1"].types
('wikidata/Q1', '7', ['Person'])
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import lzma
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import quote as _urlquote

from ..core.namespaces import CG_IRI
from ..core.errors import SourceError
from ..core.formats import compression_of, decompressed, open_input
from ..core.names import slug
from .model import (Batch, ClaimRecord, CreditRecord, Date, EntityRecord, EntityRef, MembershipRecord, Name,
                    NameRecord, Provenance, Reference, Skipped, SourceRecord, TOO_DEEP)
from .vocabulary import Vocabulary, vocabulary

__all__ = ["read", "read_document", "parse_time", "DEFAULT_LANGUAGES", "WikidataError", "LabelLookup"]

DEFAULT_LANGUAGES = ("en", "ko")

WD = "http://www.wikidata.org/entity/"
CG = CG_IRI
GREGORIAN = WD + "Q1985727"
ITEM_URL = "https://www.wikidata.org/wiki/"
_QID = re.compile(r"^[Qq][1-9][0-9]*$")
_TIME = re.compile(r"^([+-])(\d{1,16})-(\d\d)-(\d\d)T")
_MBID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

#: MusicBrainz identifier properties (those the ontology aligns cg:musicbrainz with) -> MusicBrainz entity type.
MUSICBRAINZ_PROPERTIES = {"P434": "artist", "P435": "work", "P436": "release-group", "P4404": "recording"}
#: time-valued properties -> cg: property of the claim.
DATE_PROPERTIES = {"P569": "birthDate", "P571": "inception", "P576": "dissolved", "P577": "releaseDate"}
#: item-valued properties whose value stays a Wikidata IRI (no entity of its own) -> cg: property.
ITEM_VALUE_PROPERTIES = {"P1303": "playsInstrument", "P136": "genre", "P21": "gender", "P27": "country",
                         "P19": "birthPlace"}
P_INSTANCE_OF, P_OCCUPATION, P_LABEL, P_HAS_PART, P_MEMBER_OF = "P31", "P106", "P264", "P527", "P463"
P_START, P_END, P_CHARACTER, P_ISNI = "P580", "P582", "P453", "P213"
#: reference snaks read into :class:`Reference`.
P_STATED_IN, P_URL, P_RETRIEVED, P_QUOTE, P_IMPORTED_FROM = "P248", "P854", "P813", "P1683", "P143"
_CLAIM_PROPERTIES = ({P_INSTANCE_OF, P_OCCUPATION, P_LABEL, P_HAS_PART, P_MEMBER_OF, P_ISNI}
                     | set(MUSICBRAINZ_PROPERTIES) | set(DATE_PROPERTIES) | set(ITEM_VALUE_PROPERTIES))


#: Items of a dump written to one source file.
DUMP_CHUNK = 1000

#: ``labels(qids, languages)`` -> ``{qid: {language: label}}`` for the items it knows.
LabelLookup = Callable[[list[str], tuple[str, ...]], dict[str, dict[str, str]]]
#: What the reader calls with an item's error (it raises to stop the read).
ItemError = Callable[["WikidataError", str, str], None]
#: Properties whose presence makes an item outside the ontology's classes a work
#: (something agents are credited on), not a plain entity.
_WORK_HINTS = {"P577", "P50", "P175", "P161", "P86", "P676", "P162", "P57", "P58", "P136"}


class WikidataError(SourceError):
    """A Wikidata file or answer that cannot be read: one line naming the file (and line)."""


def read(inputs: Iterable[str], *, languages: Iterable[str] = DEFAULT_LANGUAGES,
         fetch: Callable[[str], bytes] | None = None, labels: LabelLookup | None = None,
         strict: bool = False, errors: list[Skipped] | None = None) -> Iterator[Batch]:
    """One batch per item of ``inputs``: files (entity JSON or dumps, plain,
    gzip, bzip2 or xz) or QIDs, which ``fetch(qid)`` turns into the bytes of
    the item's entity JSON (without ``fetch``, only files are read).

    :param labels: ``labels(qids, languages)`` gives the labels of items the
        read items only refer to (members, labels, cast), so they are named
        rather than bare QIDs (:class:`collabgraph.importers.fetch.WikidataLabels`
        asks Wikidata, 50 items a request). Items of the same document lend
        theirs first; items of a dump are not looked up (the dump names them).
        A failing lookup leaves the QIDs, and says so as skipped.
    :param strict: an item that cannot be read stops the whole read, instead
        of being listed in ``errors`` while the other items are read.
    :param errors: where the one-line errors of unreadable items go (as
        :class:`Skipped`) when not ``strict``; without it, they are raised.
    :raises WikidataError: (a :class:`SourceError`) with one line naming the
        file and line, or the QID, on a file or answer that cannot be read at
        all, or on an unreadable item (see ``strict`` and ``errors``)."""
    languages = tuple(languages)
    for batch in _read(inputs, languages, fetch, strict, errors):
        # A dump's items are named by their own lines (a stub finds its item by QID), and a
        # request per item of a dump of millions would never end: only items read one by one ask.
        if labels is not None and batch.name.count("/") == 1:
            _name_stubs(batch, labels, languages)
        yield batch


def _name_stubs(batch: Batch, labels: LabelLookup, languages: tuple[str, ...]) -> None:
    """Give the batch's unnamed stubs the labels ``labels`` knows, each attested
    by the referred item as its own source (the labels are that item's)."""
    bare = sorted((k for k, e in batch.entities.items() if e.stub and not e.labels), key=lambda k: int(k[10:]))
    if not bare:
        return
    asked = languages if "mul" in languages else (*languages, "mul")  # "mul": a name for all languages
    try:
        found = labels([k.split(":", 1)[1] for k in bare], asked)
    except SourceError as exc:
        batch.skip(f"labels of {len(bare)} items the item refers to", f"left as QIDs: {_one_line(exc)}")
        return
    for key in bare:
        qid = key.split(":", 1)[1]
        given = found.get(qid) or {}
        names = {lang: text for lang, text in given.items() if lang in languages and text}
        if not names and given.get("mul"):
            names = {"mul": given["mul"]}
        if not names:
            continue
        batch.entities[key].labels.update(names)
        source = batch.add_source(SourceRecord(f"wikidata-labels:{qid}", f"Wikidata item {qid} (its labels)",
                                               kind="wikidata item", url=ITEM_URL + qid))
        batch.facts.append(NameRecord(key, tuple(Name(t, lang) for lang, t in sorted(names.items())),
                                      Provenance(source.key, locator="labels")))


def _read(inputs: Iterable[str], languages: tuple[str, ...], fetch, strict: bool,
          errors: list[Skipped] | None) -> Iterator[Batch]:
    def item_error(exc: WikidataError, qid: str, where: str) -> None:
        if strict or errors is None:
            raise exc
        errors.append(Skipped(f"item {qid}", str(exc), where))

    for given in inputs:
        path = Path(given)
        if path.is_file():
            yield from _read_file(path, languages, item_error)
        elif path.exists():
            raise WikidataError(f"{given}: not a file")
        elif _QID.match(given.strip()):
            qid = given.strip().upper()
            if fetch is None:
                raise WikidataError(f"{qid}: no such file, and reading files only (no fetcher to ask Wikidata)")
            data = fetch(qid)
            yield from _read_document(data, f"{qid} (answer from Wikidata)", languages, qid,
                                      getattr(data, "retrieved", None), item_error)
        else:
            raise WikidataError(f"{given}: no such file, and not a QID (Q followed by digits)")


def read_document(data: bytes, name: str, *, languages: Iterable[str] = DEFAULT_LANGUAGES,
                  requested: str | None = None, retrieved: str | None = None) -> Iterator[Batch]:
    """The batches of one entity-JSON document given as bytes (``name`` is
    used in errors). ``requested`` is the QID asked for, if any: an answer
    about another item is a redirect, recorded on the source; ``retrieved``
    is when the bytes were fetched from Wikidata (ISO 8601), if known."""
    yield from _read_document(data, name, tuple(languages), requested, retrieved, None)


def _read_document(data: bytes, name: str, languages: tuple[str, ...], requested: str | None,
                   retrieved: str | None, item_error: "ItemError | None") -> Iterator[Batch]:
    text = _decode(data, name)
    for batch in _document_batches(text, name, languages, requested, hashlib.sha256(data).hexdigest(), item_error):
        for source in batch.sources.values():
            source.retrieved = retrieved
        yield batch


# ---------------------------------------------------------------------------
# Files: entity JSON or dumps, plain or compressed


def _open(path: Path) -> io.TextIOBase:
    return io.TextIOWrapper(open_input(path), encoding="utf-8", newline="")


def _read_file(path: Path, languages: tuple[str, ...], item_error: "ItemError | None") -> Iterator[Batch]:
    requested = path.name.split(".", 1)[0]
    requested = requested.upper() if _QID.match(requested) else None
    lineno = 0
    try:
        with _open(path) as stream:
            first = ""
            for line in stream:
                lineno += 1
                if line.strip():
                    first = line
                    break
            head = first.strip()
            if not head:
                raise WikidataError(f"{path}: empty file, not Wikidata JSON")
            if head.startswith("<"):
                raise WikidataError(f"{path}:{lineno}: an HTML page (an error page?), not Wikidata JSON")
            if head == "[":
                yield from _dump_batches(stream, path, lineno, languages, item_error)
                return
            if head.startswith("["):
                raise WikidataError(f"{path}:{lineno}: a JSON array that is not in the dump format "
                                    "('[' alone on the first line, then one entity per line)")
            if not head.startswith("{"):
                raise WikidataError(f"{path}:{lineno}: not JSON (starts with {head[:20]!r})")
            text = "\n" * (lineno - 1) + first + stream.read()
    except (OSError, EOFError, lzma.LZMAError) as exc:  # a truncated or corrupt compressed stream
        raise WikidataError(f"{path}: cannot be read (truncated or corrupt?): {_one_line(exc)}") from None
    except UnicodeDecodeError as exc:
        raise WikidataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if compression_of(path) is None else None
    yield from _document_batches(text, str(path), languages, requested, digest, item_error)


def _dump_batches(stream: io.TextIOBase, path: Path, lineno: int, languages: tuple[str, ...],
                  item_error: "ItemError | None") -> Iterator[Batch]:
    """The entities of a dump, one line at a time (``stream`` is past the ``[``)."""
    vocab = vocabulary()
    closed = False
    items = 0
    try:
        for line in stream:
            lineno += 1
            body = line.strip()
            if not body:
                continue
            if closed:
                raise WikidataError(f"{path}:{lineno}: text after the dump's closing ']'")
            if body == "]":
                closed = True
                continue
            if body.endswith(","):
                body = body[:-1]
            where = f"{path}:{lineno}"
            try:
                entity = json.loads(body)
            except json.JSONDecodeError as exc:
                hint = " (the line is cut short: truncated dump?)" if exc.pos >= len(body) else ""
                raise WikidataError(f"{where}: not a JSON entity ({exc.msg}; column {exc.colno}){hint}") from None
            except RecursionError:
                raise WikidataError(f"{where}: {TOO_DEEP}") from None
            if not isinstance(entity, dict) or "id" not in entity:
                raise WikidataError(f"{where}: not a Wikidata entity (a JSON object with an \"id\")")
            try:
                batch = _entity_batch(entity, where, languages, vocab, None,
                                      hashlib.sha256(body.encode("utf-8")).hexdigest())
            except WikidataError as exc:
                if item_error is None:
                    raise
                item_error(exc, str(entity["id"]), where)
                continue
            if batch is not None:
                # A dump's items go to one file per DUMP_CHUNK items, not one file each:
                # the build keeps one named graph per file.
                batch.name = f"wikidata/{_stem(path)}/{items // DUMP_CHUNK + 1:05d}"
                items += 1
                yield batch
    except (OSError, EOFError) as exc:
        raise WikidataError(f"{path}:{lineno + 1}: cannot be read (truncated or corrupt?): {_one_line(exc)}") from None
    except UnicodeDecodeError as exc:
        raise WikidataError(f"{path}:{lineno + 1}: not UTF-8 text ({exc.reason})") from None
    if not closed:
        raise WikidataError(f"{path}:{lineno}: the dump ends before its closing ']' (truncated?)")


def _stem(path: Path) -> str:
    """A dump's name without its suffixes (``latest-all.json.gz`` -> ``latest-all``)."""
    return slug(path.name.split(".", 1)[0]) or "dump"


def _decode(data: bytes, name: str) -> str:
    data = decompressed(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WikidataError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _document_batches(text: str, name: str, languages: tuple[str, ...], requested: str | None,
                      digest: str | None, item_error: "ItemError | None" = None) -> Iterator[Batch]:
    head = text.lstrip()[:1]
    if not head:
        raise WikidataError(f"{name}: empty, not Wikidata JSON")
    if head == "<":
        raise WikidataError(f"{name}: an HTML page (an error page?), not Wikidata JSON")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = " (the text ends early: truncated?)" if exc.pos >= len(text.rstrip()) else ""
        raise WikidataError(f"{name}:{exc.lineno}: not valid JSON ({exc.msg}; column {exc.colno}){hint}") from None
    except RecursionError:
        raise WikidataError(f"{name}: {TOO_DEEP}") from None
    if isinstance(doc, dict) and isinstance(doc.get("error"), dict):
        info = doc["error"]
        raise WikidataError(f"{name}: Wikidata answered with an error: {info.get('code', '?')}: "
                            f"{_one_line(info.get('info', ''))}")
    if isinstance(doc, dict) and isinstance(doc.get("entities"), dict) and doc["entities"]:
        entities = doc["entities"]
    elif isinstance(doc, dict) and isinstance(doc.get("id"), str) and _QID.match(doc["id"]) and "claims" in doc:
        entities = {doc["id"]: doc}
    else:
        raise WikidataError(f"{name}: not Wikidata entity JSON (expected {{\"entities\": {{\"Q…\": {{...}}}}}} "
                            "or one entity with an \"id\")")
    vocab = vocabulary()
    read = []
    for key, entity in entities.items():
        try:
            if not isinstance(entity, dict):
                raise WikidataError(f"{name}: entity {key} is not a JSON object")
            if "missing" in entity:
                raise WikidataError(f"{name}: {key} does not exist on Wikidata (deleted or never created)")
            if not isinstance(entity.get("id"), str):
                raise WikidataError(f"{name}: entity {key} has no \"id\"")
            asked = requested
            redirect = entity.get("redirects")
            if isinstance(redirect, dict) and redirect.get("from"):
                asked = redirect["from"]
            elif asked is None and key != entity["id"]:
                asked = key
            batch = _entity_batch(entity, name, languages, vocab, asked, digest if len(entities) == 1 else None)
        except WikidataError as exc:
            # One bad item of a document does not hold back the others (unless strict).
            if item_error is None:
                raise
            item_error(exc, str(key), name)
            continue
        if batch is not None:
            read.append(batch)
    # Items of one document name each other: an item referred to here and described
    # there lends its labels to the stub (no lookup needed).
    described = {k: e for b in read for k, e in b.entities.items() if not e.stub}
    for batch in read:
        for key, record in batch.entities.items():
            if record.stub and not record.labels and key in described:
                record.labels.update(described[key].labels)
    yield from read


# ---------------------------------------------------------------------------
# One entity -> one batch


def _entity_batch(entity: dict, where: str, languages: tuple[str, ...], vocab: Vocabulary,
                  requested: str | None, digest: str | None) -> Batch | None:
    qid = entity["id"]
    if entity.get("type", "item") != "item":
        return None  # properties, lexemes: not items, nothing the graph models
    if not _QID.match(qid):
        raise WikidataError(f"{where}: entity id {_one_line(qid)[:80]!r} is not a QID (Q followed by digits)")
    try:
        return _ItemReader(entity, languages, vocab, requested, digest).batch()
    except WikidataError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise WikidataError(f"{where}: {qid}: unexpected shape of the entity JSON ({type(exc).__name__}: "
                            f"{_one_line(exc)})") from None


def _objects(value) -> dict:
    """Wikidata writes an empty object as ``[]``."""
    if value in (None, []):
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return value


class _ItemReader:
    def __init__(self, entity: dict, languages: tuple[str, ...], vocab: Vocabulary,
                 requested: str | None, digest: str | None):
        self.entity, self.languages, self.vocab = entity, languages, vocab
        self.qid = entity["id"]
        self.key = "wikidata:" + self.qid
        revision = entity.get("lastrevid")
        self.revision = str(revision) if revision is not None else None
        self.requested = requested.upper() if requested and requested.upper() != self.qid else None
        self.digest = digest

    # -- the record and its names --------------------------------------------------

    def batch(self) -> Batch:
        e, qid = self.entity, self.qid
        # Only the languages asked for are looked at (real items have hundreds).
        all_labels, all_descriptions = (_objects(e.get(k)) for k in ("labels", "descriptions"))
        labels = {lang: all_labels[lang]["value"] for lang in self.languages if lang in all_labels}
        if not labels and all_labels:
            # No label in the languages asked for: one in another language names it
            # ("mul", Wikidata's label for all languages, first), rather than nothing.
            lang = "mul" if "mul" in all_labels else sorted(all_labels)[0]
            labels = {lang: all_labels[lang]["value"]}
        descriptions = {lang: all_descriptions[lang]["value"] for lang in self.languages if lang in all_descriptions}
        # Taken out of the entity: its objects are freed once read, not held while the
        # item is linked and written (an item may have millions, issue 18).
        all_aliases = _objects(e.pop("aliases", None))
        aliases = {lang: [a["value"] for a in all_aliases[lang]] for lang in self.languages if lang in all_aliases}
        del all_aliases
        shown = labels.get("en") or next((labels[lang] for lang in self.languages if lang in labels), qid)
        b = self.b = Batch(name=f"wikidata/{qid}", version=self.revision)
        self.source = b.add_source(SourceRecord(
            self.key, f"Wikidata item {qid} ({shown})" if shown != qid else f"Wikidata item {qid}",
            kind="wikidata item", url=ITEM_URL + qid, revision=self.revision, modified=e.get("modified"),
            requested=self.requested, sha256=self.digest))
        item = self.item = EntityRecord(self.key, identifiers={"wikidata": qid})
        for lang in labels:
            item.labels[lang] = labels[lang]
            b.facts.append(NameRecord(self.key, (Name(labels[lang], lang),), self._at(f"labels/{lang}")))
        if not labels:  # an item without any label: its QID names it, as it does on Wikidata
            item.labels[""] = qid
            b.facts.append(NameRecord(self.key, (Name(qid),), self._at("id")))
        have: set[Name] = set()  # a set, not the list: linear in the number of aliases (issue 18)
        for lang in self.languages:
            if aliases.get(lang):
                names = tuple(dict.fromkeys(Name(a, lang) for a in aliases[lang]))
                item.aliases.extend(n for n in names if n not in have)
                have.update(names)
                b.facts.append(NameRecord(self.key, names, self._at(f"aliases/{lang}")))
            if lang in descriptions:
                item.descriptions[lang] = descriptions[lang]
                item.disambiguation = item.disambiguation or descriptions[lang]  # evidence for linking
                b.facts.append(ClaimRecord(self.key, "description", Name(descriptions[lang], lang),
                                           self._at(f"descriptions/{lang}")))
        sitelinks = _objects(e.get("sitelinks"))
        for lang in self.languages:
            site = lang.replace("-", "_") + "wiki"
            link = sitelinks.get(site)
            if link:
                url = link.get("url") or (f"https://{lang}.wikipedia.org/wiki/"
                                          + _urlquote(link["title"].replace(" ", "_")))
                item.links.append(url)
                b.facts.append(ClaimRecord(self.key, "sitelink", url, self._at(f"sitelinks/{site}")))
        b.facts.append(ClaimRecord(self.key, "wikidata", WD + qid, self._at("id")))
        b.add_entity(item)
        self._statements(_objects(e.get("claims")))
        return b

    def _at(self, locator: str, references: tuple[Reference, ...] = (), quote: str | None = None) -> Provenance:
        return Provenance(self.source.key, quote=quote, locator=locator, references=references)

    # -- statements -------------------------------------------------------------------

    def _statements(self, claims: dict) -> None:
        others: dict[str, int] = {}
        # P31 first: what the item is decides how its other statements read.
        for pid in sorted(claims, key=lambda p: p != P_INSTANCE_OF):
            statements = claims[pid]
            if not isinstance(statements, list):
                raise TypeError(f"claims of {pid} are not a list")
            if pid != P_INSTANCE_OF and not self.item.types:
                self._fallback_type(claims)
            if pid not in _CLAIM_PROPERTIES and not self._role(pid):
                others[pid] = len(statements)
                continue
            for statement in self._best(pid, statements):
                self._statement(pid, statement)
        if not self.item.types:
            self._fallback_type(claims)
        if others:
            self.b.skip(f"{sum(others.values())} statements of {len(others)} other properties of {self.qid}",
                        "not read by the Wikidata importer: no collaboration data the ontology models",
                        ", ".join(sorted(others, key=lambda p: int(p[1:]))))

    def _fallback_type(self, claims: dict) -> None:
        """An item of no class the ontology has is a plain work when it has what
        works have (a publication date, an author, a cast ...), else a plain entity:
        imported and valid, never refused for its class (its P31 stays as cg:instanceOf)."""
        self.item.types.append("Work" if _WORK_HINTS & set(claims) else "Entity")

    def _role(self, pid: str) -> str | None:
        return None if pid in _CLAIM_PROPERTIES else self.vocab.role_for_wikidata_property(pid)

    def _best(self, pid: str, statements: list) -> list[dict]:
        """Wikidata's best rank: deprecated statements never, normal ones only
        when the property has no preferred statement (the others are reported)."""
        kept = [s for s in statements if s.get("rank") != "deprecated"]
        for s in statements:
            if s.get("rank") == "deprecated":
                self.b.skip(f"{pid} {self._shown(s)}", "deprecated rank", s.get("id", ""))
        if any(s.get("rank") == "preferred" for s in kept):
            for s in kept:
                if s.get("rank") != "preferred":
                    self.b.skip(f"{pid} {self._shown(s)}",
                                "normal rank beside a preferred statement of the same property", s.get("id", ""))
            kept = [s for s in kept if s.get("rank") == "preferred"]
        return kept

    @staticmethod
    def _shown(statement: dict) -> str:
        snak = statement.get("mainsnak", {})
        if snak.get("snaktype") != "value":
            return f"({snak.get('snaktype', '?')})"
        value = snak["datavalue"]["value"]
        if isinstance(value, dict):
            return str(value.get("id") or value.get("time") or value.get("text") or value)
        return str(value)

    def _statement(self, pid: str, s: dict) -> None:
        sid = s["id"]
        snak = s["mainsnak"]
        if snak.get("snaktype") != "value":
            self.b.skip(f"{pid} ({snak.get('snaktype')})", "the statement gives no value", sid)
            return
        value = snak["datavalue"]["value"]
        references, quote = self._references(s.get("references") or [], sid)
        prov = self._at(sid, references, quote)
        b, key, vocab = self.b, self.key, self.vocab

        if pid == P_INSTANCE_OF:
            qid = _item_id(value)
            cls = vocab.class_for_wikidata(qid)
            if cls:
                if cls not in self.item.types:
                    self.item.types.append(cls)
            elif qid not in self.item.unmapped_types:
                self.item.unmapped_types.append(qid)
                b.facts.append(ClaimRecord(key, "instanceOf", WD + qid, prov))
        elif pid == P_OCCUPATION:
            qid = _item_id(value)
            concept = vocab.occupation_for_wikidata(qid)
            if concept:
                b.facts.append(ClaimRecord(key, "occupation", CG + concept, prov))
            elif any(vocab.is_agent_class(t) for t in self.item.types):
                b.facts.append(ClaimRecord(key, "otherOccupation", WD + qid, prov))
            else:
                b.skip(f"P106 occupation {qid}", "an occupation of an item that is not a person or group", sid)
        elif pid in ITEM_VALUE_PROPERTIES:
            b.facts.append(ClaimRecord(key, ITEM_VALUE_PROPERTIES[pid], WD + _item_id(value), prov))
        elif pid == P_LABEL:
            label = self._stub(_item_id(value), "RecordLabel", sid)
            if label:
                b.facts.append(ClaimRecord(key, "recordLabel", EntityRef(label), prov))
        elif pid in DATE_PROPERTIES:
            try:
                date = parse_time(value)
            except ValueError as exc:
                b.skip(f"{pid} {value.get('time')}", str(exc), sid)
                return
            b.facts.append(ClaimRecord(key, DATE_PROPERTIES[pid], date, prov))
        elif pid in MUSICBRAINZ_PROPERTIES:
            mbid = str(value).strip().lower()
            if not _MBID.match(mbid):
                b.skip(f"{pid} {value}", "not a MusicBrainz identifier (a UUID)", sid)
                return
            local = f"{MUSICBRAINZ_PROPERTIES[pid]}/{mbid}"
            self.item.identifiers.setdefault("musicbrainz", local)
            b.facts.append(ClaimRecord(key, "musicbrainz", f"https://musicbrainz.org/{local}", prov))
        elif pid == P_ISNI:
            isni = re.sub(r"\s+", "", str(value)).upper()
            if not re.fullmatch(r"[0-9]{15}[0-9X]", isni):
                b.skip(f"{pid} {value}", "not an ISNI (16 digits, the last may be X)", sid)
                return
            self.item.identifiers.setdefault("isni", isni)
            b.facts.append(ClaimRecord(key, "isni", f"https://isni.org/isni/{isni}", prov))
        elif pid == P_HAS_PART:
            if "Group" not in self.item.types:
                b.skip(f"P527 has part {_item_id(value)}", "read as a membership only on a group", sid)
                return
            member = self._stub(_item_id(value), "Agent", sid)
            if member:
                start, end = self._period(s, sid)
                b.facts.append(MembershipRecord(member, key, prov, start, end))
        elif pid == P_MEMBER_OF:
            if not any(vocab.is_agent_class(t) for t in self.item.types):
                b.skip(f"P463 member of {_item_id(value)}", "read as a membership only of a person or group", sid)
                return
            group = self._stub(_item_id(value), "Group", sid)
            if group:
                start, end = self._period(s, sid)
                b.facts.append(MembershipRecord(key, group, prov, start, end))
        else:
            self._credit(pid, self._role(pid), s, value, prov)

    def _credit(self, pid: str, role: str, s: dict, value, prov: Provenance) -> None:
        """Credit properties (P175, P161, P86, P676, P162, P57, P58, ...) sit on
        the work and point at the agent: the item is the work, the value the agent."""
        sid, b = s["id"], self.b
        agent_qid = _item_id(value)
        if not any(self.vocab.is_work_class(t) for t in self.item.types):
            what = ", ".join(self.item.types + self.item.unmapped_types) or "no class"
            b.skip(f"{pid} {role} {agent_qid}", f"a {role} credit needs a work, and the item is not one ({what})", sid)
            return
        agent = self._stub(agent_qid, "Agent", sid)
        if not agent:
            return
        characters = [self._stub(_item_id(q["datavalue"]["value"]), "Character", sid)
                      for q in (s.get("qualifiers") or {}).get(P_CHARACTER, []) if q.get("snaktype") == "value"]
        characters = [c for c in characters if c]
        for extra in characters[1:]:
            b.skip(f"P453 character {extra.split(':', 1)[1]}", "a credit names one character; the first is kept", sid)
        b.facts.append(CreditRecord(agent, self.key, role, prov, character=characters[0] if characters else None))

    def _stub(self, qid: str, cls: str, sid: str) -> str | None:
        """The key of an entity known here only as the value of statement
        ``sid``. Its QID becomes a ``cg:wikidata`` claim (located at the first
        statement naming it), so a later import of that item finds it again."""
        if qid == self.qid:
            self.b.skip(f"{qid}", "a statement of the item about itself", sid)
            return None
        key = "wikidata:" + qid
        if key not in self.b.entities:
            self.b.facts.append(ClaimRecord(key, "wikidata", WD + qid, self._at(sid)))
        self.b.add_entity(EntityRecord(key, types=[cls], identifiers={"wikidata": qid}, stub=True))
        return key

    def _period(self, s: dict, sid: str) -> tuple[Date | None, Date | None]:
        out = []
        for pid in (P_START, P_END):
            date = None
            for q in (s.get("qualifiers") or {}).get(pid, []):
                if q.get("snaktype") != "value":
                    continue
                try:
                    date = parse_time(q["datavalue"]["value"])
                except ValueError as exc:
                    self.b.skip(f"{pid} qualifier {q['datavalue']['value'].get('time')}", str(exc), sid)
                break
            out.append(date)
        return out[0], out[1]

    def _references(self, blocks: list, sid: str) -> tuple[tuple[Reference, ...], str | None]:
        refs, quote = [], None
        for block in blocks:
            snaks = block.get("snaks") or {}

            def first(pid: str):
                for snak in snaks.get(pid, []):
                    if snak.get("snaktype") == "value":
                        return snak["datavalue"]["value"]
                return None

            stated_in, url, retrieved = first(P_STATED_IN), first(P_URL), first(P_RETRIEVED)
            said, imported = first(P_QUOTE), first(P_IMPORTED_FROM)
            when = None
            if retrieved is not None:
                try:
                    when = parse_time(retrieved)
                except ValueError as exc:
                    self.b.skip(f"P813 retrieved {retrieved.get('time')}", str(exc), sid)
            text = said.get("text") if isinstance(said, dict) else said
            ref = Reference(stated_in=WD + _item_id(stated_in) if stated_in else None,
                            url=url if isinstance(url, str) else None, retrieved=when, quote=text or None,
                            imported_from=WD + _item_id(imported) if imported else None)
            if ref != Reference():
                refs.append(ref)
            if text and quote is None and 2 <= len(text) <= 300:
                quote = text
        return tuple(refs), quote


def _item_id(value) -> str:
    """The QID of an item-valued snak (older JSON gives only ``numeric-id``)."""
    if isinstance(value, dict):
        if value.get("id"):
            return value["id"]
        if value.get("numeric-id") is not None:
            return f"Q{value['numeric-id']}"
    raise ValueError(f"not an item value: {value!r}")


def parse_time(value: dict) -> Date:
    """A Wikidata time value as a :class:`Date` of its own precision.

    >>> parse_time({"time": "+1962-08-16T00:00:00Z", "precision": 11})
    Date(value='1962-08-16', precision='day')
    >>> parse_time({"time": "+2013-00-00T00:00:00Z", "precision": 9})
    Date(value='2013', precision='year')
    >>> parse_time({"time": "+1960-05-00T00:00:00Z", "precision": 10})
    Date(value='1960-05', precision='month')
    >>> parse_time({"time": "-0044-03-15T00:00:00Z", "precision": 11})
    Traceback (most recent call last):
    ValueError: a year before the common era (-0044) is not imported
    >>> parse_time({"time": "+1500-01-01T00:00:00Z", "precision": 11,
    ...             "calendarmodel": "http://www.wikidata.org/entity/Q1985786"})
    Traceback (most recent call last):
    ValueError: a date in another calendar than the Gregorian (Q1985786) is not imported
    """
    if not isinstance(value, dict):
        raise ValueError(f"not a time value: {value!r}")
    time = str(value.get("time", ""))
    m = _TIME.match(time)
    if not m:
        raise ValueError(f"not a Wikidata time: {time!r}")
    sign, year_text, month, day = m.groups()
    calendar = value.get("calendarmodel") or GREGORIAN
    if calendar != GREGORIAN:
        raise ValueError(f"a date in another calendar than the Gregorian ({calendar.rsplit('/', 1)[-1]}) "
                         "is not imported")
    year = int(year_text)
    if sign == "-" or year == 0:
        raise ValueError(f"a year before the common era ({sign}{year_text}) is not imported")
    if year > 9999:
        raise ValueError(f"a year after 9999 ({year_text}) is not imported")
    precision = value.get("precision", 11)
    if not isinstance(precision, int) or precision < 9:
        raise ValueError(f"precision {precision} is coarser than a year (decade, century ...): not imported")
    if precision >= 11 and day != "00" and month != "00":
        try:
            _dt.date(year, int(month), int(day))
        except ValueError:
            raise ValueError(f"not a date of the calendar: {time}") from None
        return Date(f"{year:04d}-{month}-{day}", "day")
    if precision >= 10 and month != "00":
        if not 1 <= int(month) <= 12:
            raise ValueError(f"not a month: {time}")
        return Date(f"{year:04d}-{month}", "month")
    return Date(f"{year:04d}", "year")


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())
