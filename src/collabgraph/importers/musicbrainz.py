"""MusicBrainz web-service (ws/2) JSON in, :class:`~.model.Batch` records out.

Reads artist, recording, release and work documents, as the web service
answers them or as the JSON dumps hold them (one document per line; plain,
gzip, bzip2 or xz, told by the first bytes), and MBIDs through a fetcher. One batch per
document, named ``musicbrainz/<type>/<mbid>``; the batch's source is the
record, and every fact's locator says where in the record it is stated:

- ``recording/<mbid> artist-credit[2]``: the second name of the artist credit
  (counted from 1, as a reader counts);
- ``recording/<mbid> relation instrument (electric guitar) artist/<mbid>``:
  a relationship, with its attributes and its target;
- ``recording/<mbid> relation performance work/<mbid> relation writer artist/<mbid>``:
  a relationship of an entity the record embeds;
- ``artist/<mbid> name``, ``artist/<mbid> alias[1]``, ``recording/<mbid> first-release-date``.

Artist credits: the names before a "feat."-like join phrase are performers,
those after it featured artists; a credited name that differs from the
artist's own is kept as ``credited_as`` and as an alias. Relationships become
credits with the role the ontology aligns to their type
(``cg:musicbrainzType``), ``member of band`` becomes a membership; anything
the ontology has no term for is skipped with the reason, never forced.

>>> import json
>>> doc = {"id": "7684982a-efee-49e5-baf0-82a466f12508", "title": "1000 Nights", "length": 212306,
...        "artist-credit": [
...            {"name": "Ed Sheeran", "joinphrase": " feat. ",
...             "artist": {"id": "b8a7c51f-362c-4dcb-a259-bc6e0095f0a6", "name": "Ed Sheeran", "type": "Person"}},
...            {"name": "Meek Mill", "joinphrase": "",
...             "artist": {"id": "31bcadcc-e1da-4cad-bec8-2f4f1d41b095", "name": "Meek Mill", "type": "Person"}}]}
>>> batch = parse(json.dumps(doc).encode(), "1000-nights.json")
>>> batch.name
'musicbrainz/recording/7684982a-efee-49e5-baf0-82a466f12508'
>>> [(c.role, batch.entities[c.agent].label, c.provenance.locator.split()[-1])
...  for c in batch.facts if type(c).__name__ == "CreditRecord"]
[('performer', 'Ed Sheeran', 'artist-credit[1]'), ('featuredArtist', 'Meek Mill', 'artist-credit[2]')]
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import lzma
import re
import unicodedata
from pathlib import Path
from typing import IO, Callable, Iterator

from ..core.errors import SourceError
from ..core.formats import open_input
from .fetch import MUSICBRAINZ_INC
from .model import (Batch, ClaimRecord, CreditRecord, Date, EntityRecord, EntityRef, MembershipRecord, Name,
                    NameRecord, Provenance, Skipped, SourceRecord, TOO_DEEP)
from .vocabulary import vocabulary

__all__ = ["read", "parse", "request_for", "INCLUDES", "KINDS", "is_featuring"]

#: The kinds of document this importer reads.
KINDS = ("artist", "recording", "release", "work")
#: The ``inc`` parameters a fetcher is asked for, per kind: a fetcher given
#: ``request_for(kind, mbid)`` returns the web service's answer to
#: ``/ws/2/<that>`` (see :func:`request_for`). The one table of them is the fetcher's.
INCLUDES = MUSICBRAINZ_INC
#: Entity kinds a relationship can reach that have an entity of their own here.
_AGENT_KINDS = {"artist"}
_WORK_KINDS = {"recording", "release", "work"}
#: MusicBrainz artist types -> ontology classes ("Other" and no type: cg:Agent).
_ARTIST_TYPES = {"Person": "Person", "Group": "Group", "Orchestra": "Group", "Choir": "Group"}
#: URL relationship types whose target is a page about the same entity elsewhere.
_SAME_THING_URLS = {"discogs", "wikipedia", "allmusic", "IMDb", "VIAF", "other databases",
                    "secondhandsongs", "songfacts", "BBC Music page"}
#: Roles of a work's writers, credited on its recordings too (as an inference).
_WRITER_ROLES = {"composer", "lyricist", "songwriter"}
#: Attributes of an ``instrument`` relationship that are not instruments.
_CREDIT_ATTRIBUTES = {"additional", "guest", "solo", "assistant", "co", "executive"}
_MBID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_REQUEST = re.compile(r"^(?:https?://(?:[a-z]+\.)?musicbrainz\.org/(?:ws/2/)?)?(artist|recording|release|work)/"
                      rf"({_MBID.pattern})/?(?:[?#].*)?$")
_FEATURING = re.compile(r"(?:^|[\s(\[])(?:feat\.?|featuring|ft\.?)(?:$|[\s)\]])", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: The largest file read as one (pretty-printed) document; dumps have one document per line.
MAX_DOCUMENT = 64 * 1024 * 1024

Fetch = Callable[[str], bytes]


def request_for(kind: str, mbid: str) -> str:
    """What a fetcher is asked for: the ws/2 path and query of one record.

    >>> request_for("recording", "2d40c8b2-7524-49e3-af44-ebb924c5b023")
    'recording/2d40c8b2-7524-49e3-af44-ebb924c5b023?inc=artist-credits+aliases+artist-rels+work-rels+work-level-rels+url-rels&fmt=json'
    """
    return f"{kind}/{mbid}?inc={INCLUDES[kind]}&fmt=json"


def is_featuring(joinphrase: str) -> bool:
    """Whether an artist credit's join phrase introduces featured artists.

    >>> [is_featuring(p) for p in [" feat. ", " (feat. ", " featuring ", " ft. ", " & ", " x ", ", ", " with "]]
    [True, True, True, True, False, False, False, False]
    """
    return bool(_FEATURING.search(joinphrase or ""))


def read(inputs: list[str], *, fetch: Fetch | None = None, errors: list[Skipped] | None = None) -> Iterator[Batch]:
    """Batches from MusicBrainz documents, one per document, streamed.

    :param inputs: files (a ws/2 JSON document, or a dump with one document
        per line; gzip, bzip2 and xz are decompressed, whatever the name) or records to
        fetch: ``artist/<mbid>``, ``recording/<mbid>``, ``release/<mbid>``,
        ``work/<mbid>`` or their ``https://musicbrainz.org/...`` pages.
    :param fetch: given :func:`request_for`'s string, returns the web
        service's JSON bytes; without it only files are read.
    :param errors: where a dump's unreadable lines go (one line each, as
        :class:`Skipped`) while its other documents are read; without it they are raised.
    :raises SourceError: one line naming the file (and line of a dump) or the
        record: missing file, not JSON, truncated JSON, an HTML page, an error
        answer, a document of a kind this importer does not read.
    """
    seen: dict[str, set[str | None]] = {}
    for batch in _read(inputs, fetch, errors):
        # Two different copies of one record in one run go to one file: each copy is a
        # source of its own (told apart by its content), not one source with two hashes.
        source = next(iter(batch.sources.values()))
        copies = seen.setdefault(batch.name, set())
        if copies and source.sha256 not in copies and source.sha256:
            _rekey(batch, source, f"{source.key}@{source.sha256[:12]}")
        copies.add(source.sha256)
        yield batch


def _rekey(batch: Batch, source: SourceRecord, key: str) -> None:
    """Give the batch's only source another key, and its facts with it."""
    old, source.key = source.key, key
    source.label += f" (another copy, SHA-256 {source.sha256[:12]}…)"
    batch.sources = {key: source}
    batch.facts = [dataclasses.replace(f, provenance=dataclasses.replace(f.provenance, source=key))
                   if f.provenance.source == old else f for f in batch.facts]


def _read(inputs: list[str], fetch: Fetch | None, errors: list[Skipped] | None) -> Iterator[Batch]:
    for item in inputs:
        path = Path(item)
        if path.is_file():
            yield from _read_file(path, errors)
            continue
        if path.is_dir():
            raise SourceError(f"{item}: is a directory; give MusicBrainz JSON files or dumps")
        request = _REQUEST.match(item.strip())
        if request is None:
            raise SourceError(f"{item}: no such file, and not a MusicBrainz record such as recording/<mbid>")
        kind, mbid = request.groups()
        if fetch is None:
            raise SourceError(f"{item}: no such file, and no fetcher was given to ask MusicBrainz for {kind}/{mbid}")
        asked = request_for(kind, mbid)
        data = fetch(asked)
        for batch in _documents_in(data, f"MusicBrainz {kind}/{mbid}", expect=kind):
            source = next(iter(batch.sources.values()))
            source.retrieved = getattr(data, "retrieved", None)  # the fetcher's Fetched says when it was read
            if batch.name.rsplit("/", 1)[-1] != mbid:  # a merged MBID answers with the record it now is
                source.requested = f"{kind}/{mbid}"
            yield batch


def parse(data: bytes, where: str = "<document>") -> Batch:
    """The batch of one ws/2 JSON document (``where`` names it in errors).

    :raises SourceError: as :func:`read` does.
    """
    batches = list(_documents_in(data, where))
    if len(batches) != 1:
        raise SourceError(f"{where}: holds {len(batches)} documents, not one")
    return batches[0]


# -- reading files -----------------------------------------------------------------------

def _open(path: Path) -> IO[bytes]:
    return open_input(path)


def _read_file(path: Path, errors: list[Skipped] | None = None) -> Iterator[Batch]:
    """One document (pretty-printed or not) or a dump, one document per line.

    A file whose first line is a whole JSON document is read line by line
    (constant memory); otherwise the file is one document."""
    try:
        with _open(path) as fh:
            first, number = b"", 0
            for first in fh:
                number += 1
                if first.strip():
                    break
            if not first.strip():
                raise SourceError(f"{path}: is empty, not a MusicBrainz JSON document")
            try:
                doc = json.loads(first)
            except (json.JSONDecodeError, UnicodeDecodeError):
                doc = None
            except RecursionError:
                raise SourceError(f"{path}:{number}: {TOO_DEEP}") from None
            if doc is not None and not isinstance(doc, dict):  # "[": a JSON array (a Wikidata dump?)
                yield from _documents_in(first, str(path), parsed=doc)
            if doc is None and first.lstrip().startswith(b"["):
                raise SourceError(f"{path}:{number}: a JSON array (the Wikidata dump format?), not MusicBrainz JSON")
            if doc is None:  # a pretty-printed document (or not JSON at all): the file is one document
                rest = fh.read(MAX_DOCUMENT + 1)
                if len(first) + len(rest) > MAX_DOCUMENT:
                    raise SourceError(f"{path}: not one JSON document per line, and too large to be one document")
                yield from _documents_in(first + rest, str(path))
                return
            second, following = b"", number
            for second in fh:  # one document per line, or a file of one document?
                following += 1
                if second.strip():
                    break
            if not second.strip():
                yield from _documents_in(first, str(path), parsed=doc)
                return
            yield from _documents_in(first, f"{path}:{number}", parsed=doc)
            yield from _dump_line(second, f"{path}:{following}", errors)
            number = following
            for line in fh:
                number += 1
                if line.strip():
                    yield from _dump_line(line, f"{path}:{number}", errors)
    except (OSError, EOFError, lzma.LZMAError) as exc:
        raise SourceError(f"{path}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from None


def _dump_line(line: bytes, where: str, errors: list[Skipped] | None) -> Iterator[Batch]:
    """The documents of one line of a dump; with ``errors``, a line that cannot be read is
    listed there and the dump goes on (one bad record does not hold back the others)."""
    try:
        batches = list(_documents_in(line, where))
    except SourceError as exc:
        if errors is None:
            raise
        errors.append(Skipped(f"the document of {where}", str(exc), where))
        return
    yield from batches


def _documents_in(data: bytes, where: str, *, parsed: dict | None = None, expect: str | None = None) -> Iterator[Batch]:
    doc = parsed if parsed is not None else _load(data, where)
    if not isinstance(doc, dict):
        raise SourceError(f"{where}: a JSON {type(doc).__name__.replace('dict', 'object').replace('list', 'array')}, "
                          "not a MusicBrainz document")
    if "error" in doc and "id" not in doc:
        raise SourceError(f"{where}: MusicBrainz answered with an error: {' '.join(str(doc['error']).split())}")
    listed = [k for k in ("artists", "recordings", "releases", "works") if isinstance(doc.get(k), list)]
    if listed and "id" not in doc:  # a search or browse answer: its documents one by one
        for i, item in enumerate(doc[listed[0]], 1):
            yield _Document(item, f"{where} {listed[0]}[{i}]", listed[0][:-1], None).batch
        return
    kind = _kind(doc, where)
    if expect and kind != expect:
        raise SourceError(f"{where}: the answer is a MusicBrainz {kind}, not the {expect} asked for")
    yield _Document(doc, where, kind, hashlib.sha256(data).hexdigest()).batch


def _load(data: bytes, where: str):
    head = data.lstrip()[:200].lower()
    if head[:1] == b"<":
        what = "an HTML page" if b"html" in head else "XML"
        raise SourceError(f"{where}: {what}, not MusicBrainz JSON (an error page instead of the record?)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{where}: not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise SourceError(f"{where}: {TOO_DEEP}") from None
    except json.JSONDecodeError as exc:
        end = text.rstrip()
        if exc.pos >= len(end) or exc.msg.startswith("Unterminated string"):  # the text stops inside a value
            line = end.count("\n") + 1
            raise SourceError(f"{where}: truncated JSON (it ends at line {line}, "
                              f"column {len(end) - end.rfind(chr(10)) - 1})") from None
        raise SourceError(f"{where}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None


def _kind(doc: dict, where: str) -> str:
    """Which kind of ws/2 document this is, from the keys only that kind has."""
    if not isinstance(doc.get("id"), str) or not _MBID.fullmatch(doc["id"]):
        raise SourceError(f"{where}: not a MusicBrainz document (no MBID in \"id\")")
    keys = set(doc)
    if "recording" in keys and keys & {"position", "number"}:
        # A track is a recording's place on a release, with an id of its own: read as the
        # recording it holds, never as a recording with the track's MBID.
        return "track"
    if "title" in keys:
        if keys & {"media", "release-group", "status", "release-events", "label-info", "packaging", "barcode",
                   "text-representation"}:
            return "release"
        if "primary-type" in keys:
            return _unsupported("release group", where)
        if keys & {"length", "video", "isrcs", "first-release-date", "artist-credit"}:
            return "recording"
        if keys & {"iswcs", "languages", "language", "attributes"} or "type" in keys:
            return "work"
    elif "name" in keys:
        if "label-code" in keys:
            return _unsupported("label", where)
        if keys & {"iso-3166-1-codes", "iso-3166-2-codes"}:
            return _unsupported("area", where)
        if "sort-name" in keys and keys & {"life-span", "gender", "ipis", "isnis", "type", "aliases", "country"}:
            return "artist"
    raise SourceError(f"{where}: not a MusicBrainz artist, recording, release or work document")


def _unsupported(what: str, where: str) -> str:
    raise SourceError(f"{where}: a MusicBrainz {what}; this importer reads artists, recordings, releases and works")


# -- one document ------------------------------------------------------------------------

def _date(value) -> Date | None:
    """A MusicBrainz partial date with its precision (None when absent or malformed)."""
    m = _DATE.match(value or "") if isinstance(value, str) else None
    if not m:
        return None
    year, month, day = m.groups()
    return Date(value, "day" if day else "month" if month else "year")


def _lang(locale: str | None) -> str | None:
    """A MusicBrainz locale as a language tag (``en_CA`` -> ``en-CA``)."""
    return locale.replace("_", "-") if locale else None


#: MusicBrainz alias types -> :attr:`Name.kind` (None: a name of the entity, a key to link by).
_ALIAS_KINDS = {"Search hint": "search-hint", "Artist name": None, "Legal name": None, "Label name": None,
                "Recording name": None, "Release name": None, "Work name": None}


def _alias(alias: dict, text: str) -> Name:
    """An alias as a :class:`Name` of its kind: a search hint stays a search hint, a name
    for a locale is a locale variant, an alias of no type is untyped (none is a link key)."""
    lang = _lang(alias.get("locale"))
    given = alias.get("type")
    kind = _ALIAS_KINDS.get(given, "untyped") if given else "untyped"
    if lang and kind is None:
        kind = "locale"
    return Name(text, lang, kind=kind)


def _script(text: str) -> str:
    """The script most letters of ``text`` are written in (``LATIN``, ``HANGUL``, ``CJK`` ...).

    >>> _script("Pink Floyd"), _script("핑크 플로이드"), _script("ピンク・フロイド"), _script("Пётр")
    ('LATIN', 'HANGUL', 'KATAKANA', 'CYRILLIC')
    """
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else ""


def _title(obj: dict) -> str:
    return str(obj.get("name") or obj.get("title") or "").strip()


class _Document:
    """Turns one ws/2 document into its batch."""

    def __init__(self, doc: dict, where: str, kind: str, sha256: str | None):
        if not isinstance(doc, dict) or not _MBID.fullmatch(str(doc.get("id", ""))):
            raise SourceError(f"{where}: not a MusicBrainz {kind} (no MBID in \"id\")")
        self.where, self.vocab = where, vocabulary()
        self._identified: set[str] = set()
        self._attested: set[tuple[str, Name | str]] = set()
        mbid = doc["id"]
        self.ref = f"{kind}/{mbid}"
        self.batch = Batch(name=f"musicbrainz/{kind}/{mbid}", version=None)
        title = _title(doc)
        self.source = self.batch.add_source(SourceRecord(
            key=f"musicbrainz-record:{kind}/{mbid}", label=f"MusicBrainz {kind} {mbid}" + (f" ({title})" if title else ""),
            kind=f"musicbrainz {kind}", url=f"https://musicbrainz.org/{kind}/{mbid}", sha256=sha256)).key
        try:
            if kind == "track":
                self._track(doc)
                self._finish()
                return
            self._entity(kind, doc, self.ref, full=True)
            if kind != "artist":
                self._artist_credit(doc, self._key(kind, mbid), self.ref)
            if kind == "release":
                self._release(doc)
            self._relations(kind, doc, self.ref, depth=0)
            self._tags(doc)
            self._finish()
        except (AttributeError, KeyError, TypeError) as exc:  # a document of the wrong shape inside
            raise SourceError(f"{where}: not a MusicBrainz {kind} document of the expected shape "
                              f"({type(exc).__name__}: {exc})") from None

    # -- helpers
    def _key(self, kind: str, mbid: str) -> str:
        return f"musicbrainz:{kind}:{mbid}"

    def _prov(self, locator: str) -> Provenance:
        return Provenance(self.source, locator=locator)

    def _fail(self, what: str) -> SourceError:
        return SourceError(f"{self.where}: {what}")

    # -- entities
    def _entity(self, kind: str, obj: dict, where: str, *, full: bool = False) -> str:
        """The entity of a top-level or embedded object at ``where`` in the
        record, with its names as attestations and its MBID as a claim;
        returns its key. Facts already given for the entity are not repeated."""
        mbid = obj.get("id")
        if not isinstance(mbid, str) or not _MBID.fullmatch(mbid):
            raise self._fail(f"{where}: the {kind} has no MBID")
        key = self._key(kind, mbid)
        name = _title(obj)
        if not name:
            raise self._fail(f"{where}: the {kind} has no name")
        types, unmapped = self._types(kind, obj)
        # The entity's own name is its label: a locale's primary alias ("Ed Sheeran (en)")
        # is an alias of that locale, never the label, so it never names the entity either.
        labels: dict[str, str] = {"": name}
        aliases: list[Name] = []
        names = [Name(name)]
        sort_name = str(obj.get("sort-name") or "").strip()
        if sort_name and sort_name != name:
            aliases.append(Name(sort_name, kind="sort"))
            names.append(Name(sort_name, kind="sort"))
        seen = set(aliases)
        self._names(key, names, f"{where} name")
        for i, alias in enumerate(obj.get("aliases") or [], 1):
            text = str((alias or {}).get("name") or "").strip()
            if not text:
                continue
            found = [_alias(alias, text)]
            lang = found[0].lang
            if alias.get("primary") and lang and lang not in labels and _script(text) != _script(name):
                # The locale's primary name in another script (핑크 플로이드 for Pink Floyd) is the
                # label in that language; one in the name's own script ("Ed Sheeran (en)") is a
                # locale variant, never the label (issue 19).
                labels[lang] = text
            alias_sort = str(alias.get("sort-name") or "").strip()
            if alias_sort and alias_sort not in (text, name):
                found.append(Name(alias_sort, kind="sort"))
            for n in found:  # a set beside the list: linear in the number of aliases (issue 18)
                if n not in seen and n.text != name:
                    seen.add(n)
                    aliases.append(n)
            self._names(key, found, f"{where} alias[{i}]")
        disambiguation = str(obj.get("disambiguation") or "").strip() or None
        record = self.batch.add_entity(EntityRecord(key, types=types, labels=labels, aliases=aliases,
                                                    identifiers={"musicbrainz": f"{kind}/{mbid}"},
                                                    unmapped_types=unmapped, disambiguation=disambiguation))
        record.unmapped_types.extend(u for u in unmapped if u not in record.unmapped_types)
        if disambiguation and (key, "disambiguation") not in self._attested:
            # MusicBrainz's own comment that tells same-named entities apart: evidence for linking.
            self._attested.add((key, "disambiguation"))
            self.batch.facts.append(ClaimRecord(key, "disambiguation", disambiguation,
                                                self._prov(f"{where} disambiguation")))
        if key not in self._identified:
            self._identified.add(key)
            self.batch.facts.append(ClaimRecord(key, "musicbrainz", f"https://musicbrainz.org/{kind}/{mbid}",
                                                self._prov(f"{where} id")))
            for i, isni in enumerate(obj.get("isnis") or [], 1):  # another identifier of the same artist
                isni = re.sub(r"\s+", "", str(isni)).upper()
                if re.fullmatch(r"[0-9]{15}[0-9X]", isni):
                    record.identifiers.setdefault("isni", isni)
                    self.batch.facts.append(ClaimRecord(key, "isni", f"https://isni.org/isni/{isni}",
                                                        self._prov(f"{where} isnis[{i}]")))
        if full:
            self._dates(kind, obj, key, record.types, where)
        return key

    def _names(self, key: str, names: list[Name], locator: str) -> None:
        """An attestation of ``names`` for ``key``, unless one was given already."""
        fresh = tuple(n for n in names if (key, n) not in self._attested)
        if fresh:
            self._attested.update((key, n) for n in fresh)
            self.batch.facts.append(NameRecord(key, fresh, self._prov(locator)))

    def _types(self, kind: str, obj: dict) -> tuple[list[str], list[str]]:
        given = obj.get("type")
        if kind == "artist":
            if given in _ARTIST_TYPES:
                return [_ARTIST_TYPES[given]], []
            return ["Agent"], ([f"MusicBrainz artist type {given!r}"] if given and given != "Other" else [])
        if kind == "recording":
            return (["Recording", "MusicVideo"] if obj.get("video") is True else ["Recording"]), []
        if kind == "release":
            return ["Release"], []
        if kind == "work":
            return (["Song"], []) if given == "Song" else (["Work"], [f"MusicBrainz work type {given!r}"] if given else [])
        if kind == "label":
            return ["RecordLabel"], []
        return [], []

    def _dates(self, kind: str, obj: dict, key: str, types: list[str], where: str) -> None:
        field = {"recording": "first-release-date", "release": "date"}.get(kind)
        if field and obj.get(field):
            date = _date(obj[field])
            if date is None:
                self.batch.skip(f"{field} {obj[field]!r}", "not a date MusicBrainz writes (YYYY[-MM[-DD]])", f"{where} {field}")
            else:
                self.batch.facts.append(ClaimRecord(key, "releaseDate", date, self._prov(f"{where} {field}")))
        if kind != "artist":
            return
        span = obj.get("life-span") or {}
        begin_property = {"Person": "birthDate", "Group": "inception"}.get(types[0])
        end_property = {"Group": "dissolved"}.get(types[0])
        for end, prop in (("begin", begin_property), ("end", end_property)):
            value = span.get(end)
            if not value:
                continue
            date = _date(value)
            if prop is None or date is None:
                self.batch.skip(f"life-span {end} {value!r} of {self.ref}",
                                "not a date MusicBrainz writes" if date is None else
                                f"the ontology has no property for the {end} of a {types[0].lower()}'s life-span",
                                f"{where} life-span {end}")
                continue
            self.batch.facts.append(ClaimRecord(key, prop, date, self._prov(f"{where} life-span {end}")))

    def _finish(self) -> None:
        """An artist first met without a type and later with one keeps only the specific type."""
        for record in self.batch.entities.values():
            if "Agent" in record.types and any(t != "Agent" and self.vocab.is_agent_class(t) for t in record.types):
                record.types.remove("Agent")

    # -- artist credits
    def _artist_credit(self, obj: dict, work: str, where: str) -> None:
        credits = obj.get("artist-credit") or []
        featured = False
        for i, credit in enumerate(credits, 1):
            artist = credit.get("artist")
            if not isinstance(artist, dict):
                raise self._fail(f"{where} artist-credit[{i}]: no artist")
            locator = f"{where} artist-credit[{i}]"
            agent = self._entity("artist", artist, f"{locator} artist")
            credited = str(credit.get("name") or "").strip()
            credited_as = credited if credited and credited != _title(artist) else None
            if credited_as:
                self._credited_name(agent, credited_as, f"{locator} name")
            self.batch.facts.append(CreditRecord(agent, work, "featuredArtist" if featured else "performer",
                                                 self._prov(locator), credited_as=credited_as))
            featured = featured or is_featuring(credit.get("joinphrase", ""))

    def _credited_name(self, key: str, name: str, locator: str) -> None:
        record = self.batch.entities[key]
        if Name(name) not in record.aliases:
            record.aliases.append(Name(name))
        self._names(key, [Name(name)], locator)

    # -- releases: labels, release group, track list
    def _release(self, doc: dict) -> None:
        key = self._key("release", doc["id"])
        group = doc.get("release-group")
        if isinstance(group, dict) and group.get("primary-type") == "Album":
            self.batch.entities[key].types.append("Album")
        for i, info in enumerate(doc.get("label-info") or [], 1):
            label = (info or {}).get("label")
            where = f"{self.ref} label-info[{i}]"
            if not isinstance(label, dict) or not label.get("id"):
                continue
            lkey = self._entity("label", label, f"{where} label")
            self.batch.facts.append(ClaimRecord(key, "recordLabel", EntityRef(lkey), self._prov(where)))
        tracks = 0
        for m, medium in enumerate(doc.get("media") or [], 1):
            for t, track in enumerate((medium or {}).get("tracks") or [], 1):
                recording = (track or {}).get("recording")
                if isinstance(recording, dict) and (recording.get("artist-credit") or recording.get("relations")):
                    where = f"{self.ref} medium[{m}] track[{t}] recording/{recording.get('id')}"
                    rkey = self._entity("recording", recording, where)
                    self._artist_credit(recording, rkey, where)
                    self._relations("recording", recording, where, depth=1)
                tracks += 1
        if tracks:
            self.batch.skip(f"track list of {self.ref} ({tracks} tracks)",
                            "the ontology has no property joining a release to its recordings", f"{self.ref} media")

    # -- relationships
    def _relations(self, kind: str, obj: dict, where: str, *, depth: int) -> None:
        here = self._key(kind, obj["id"])
        for relation in obj.get("relations") or []:
            self._relation(kind, here, relation, where, depth)

    def _relation(self, kind: str, here: str, r: dict, where: str, depth: int) -> None:
        rtype, ttype = str(r.get("type") or ""), str(r.get("target-type") or "")
        target = r.get(ttype) if ttype else None
        attributes = [str(a) for a in r.get("attributes") or []]
        shown = f" ({', '.join(attributes)})" if attributes else ""
        target_id = (target or {}).get("id") if isinstance(target, dict) else None
        locator = f"{where} relation {rtype}{shown} {ttype}/{target_id}"
        what = f"relation {rtype!r} of {kind} to {ttype}"
        if ttype == "url":
            self._url(here, rtype, target, locator)
            return
        if not isinstance(target, dict) or not target_id:
            self.batch.skip(what, "the relation has no target entity", locator)
            return
        if ttype not in _AGENT_KINDS | _WORK_KINDS:
            self.batch.skip(what, f"the ontology has no entity for a MusicBrainz {ttype}", locator)
            return
        forward = r.get("direction", "forward") != "backward"
        (kind0, obj0), (kind1, obj1) = ((kind, None), (ttype, target)) if forward else ((ttype, target), (kind, None))
        if rtype == "member of band" and kind0 == "artist" and kind1 == "artist":
            self._membership(here, obj0, obj1, r, attributes, locator)
            return
        if rtype == "performance" and (kind0, kind1) == ("recording", "work"):
            self._performance(here, obj0, obj1, target, locator, depth)
            return
        role = self.vocab.role_for_musicbrainz(rtype)
        if role is None and kind0 in _AGENT_KINDS and kind1 in _WORK_KINDS and rtype:
            # An artist's part in a work the ontology has no role for (animation, sound,
            # photography ...) is still a credit: a collaborator, the MusicBrainz type kept.
            role, attributes = "collaborator", [f"MusicBrainz {rtype}", *attributes]
        if role is None and ttype == "recording" and kind0 == kind1 == "recording" and depth == 0:
            # Another recording this one is part of or made from (a DJ mix, a remix's
            # original): no property joins two recordings, but it is an entity with its artists.
            rec = self._entity("recording", target, locator)
            if target.get("artist-credit"):
                self._artist_credit(target, rec, locator)
        if role is None or kind0 not in _AGENT_KINDS or kind1 not in _WORK_KINDS:
            reason = ("no role or property of the ontology matches this MusicBrainz relationship type" if role is None
                      else f"role {role} needs an artist credited on a work, not a {kind0} and a {kind1}")
            self.batch.skip(what, reason, locator)
            if ttype == "work" and depth == 0 and isinstance(target.get("relations"), list):
                # The recording's work is kept for its writers, even though nothing joins the two.
                self._entity(ttype, target, locator)
                self._relations(ttype, target, locator, depth=depth + 1)
            return
        agent = here if obj0 is None else self._entity(kind0, obj0, locator)
        work = here if obj1 is None else self._entity(kind1, obj1, locator)
        field = "target-credit" if obj0 is not None else "source-credit"
        credited = str(r.get(field) or "").strip()
        name = _title(obj0) if obj0 is not None else self.batch.entities[agent].labels.get("", "")
        credited_as = credited if credited and credited != name else None
        if credited_as:
            self._credited_name(agent, credited_as, f"{locator} {field}")
        date = self._relation_date(r, locator)
        instruments = [a for a in attributes if a not in _CREDIT_ATTRIBUTES] if role == "instrumentalist" else []
        kept = tuple(a for a in attributes if a not in instruments)
        for instrument in instruments or [None]:
            loc = locator if len(instruments) < 2 else f"{where} relation {rtype} ({instrument}) {ttype}/{target_id}"
            self.batch.facts.append(CreditRecord(agent, work, role, self._prov(loc), date=date, instrument=instrument,
                                                 attributes=kept, credited_as=credited_as))
        if isinstance(target.get("relations"), list) and depth == 0 and ttype in _WORK_KINDS:
            self._relations(ttype, target, locator, depth=depth + 1)

    def _track(self, doc: dict) -> None:
        """A track is a recording's place on a release, with an MBID of its own: read as
        its recording (under the recording's MBID), credited as the track credits it."""
        recording = doc.get("recording")
        if not isinstance(recording, dict) or not _MBID.fullmatch(str(recording.get("id", ""))):
            raise self._fail(f"{self.ref}: a track without its recording (no recording MBID)")
        where = f"{self.ref} recording"
        rec = self._entity("recording", recording, where, full=True)
        title = _title(doc)
        if title and title != _title(recording):
            self._credited_name(rec, title, f"{self.ref} title")
        if doc.get("artist-credit"):
            self._artist_credit(doc, rec, self.ref)
        else:
            self._artist_credit(recording, rec, where)
        self._relations("recording", recording, where, depth=0)
        number = doc.get("number") or doc.get("position")
        self.batch.skip(f"track {number} of a release ({self.ref})", "read as its recording "
                        f"recording/{recording['id']}: the ontology has no track", f"{self.ref} number")

    def _performance(self, here: str, recording: dict | None, work: dict | None, target: dict, locator: str,
                     depth: int) -> None:
        """A recording of a work: ``cg:recordingOf``, the work's own credits (its
        writers), and those writers credited on the recording too, marked as an
        inference, so the recording's performers meet the work's composers."""
        rec = here if recording is None else self._entity("recording", recording, locator)
        wkey = here if work is None else self._entity("work", work, locator)
        self.batch.facts.append(ClaimRecord(rec, "recordingOf", EntityRef(wkey), self._prov(locator)))
        if depth > 0 or recording is not None:
            # Another recording of the work (a cover, a live take): its own entity, with its artists.
            if isinstance(recording, dict) and recording.get("artist-credit"):
                self._artist_credit(recording, rec, locator)
            return
        if work is None or not isinstance(target.get("relations"), list):
            return
        before = len(self.batch.facts)
        self._relations("work", target, locator, depth=depth + 1)
        for credit in self.batch.facts[before:]:
            if isinstance(credit, CreditRecord) and credit.work == wkey and credit.role in _WRITER_ROLES:
                prov = Provenance(self.source, locator=f"{credit.provenance.locator} (credited on the recording)",
                                  inference=f"{credit.role} of the work this recording is a recording of")
                self.batch.facts.append(CreditRecord(credit.agent, rec, credit.role, prov,
                                                     credited_as=credit.credited_as))

    def _relation_date(self, r: dict, locator: str) -> Date | None:
        begin, end = r.get("begin"), r.get("end")
        if not begin:
            return None
        if end and end != begin:
            self.batch.skip(f"dates {begin} to {end}", "a credit has one date; the relation gives a span", locator)
            return None
        return _date(begin)

    def _membership(self, here: str, member: dict | None, group: dict | None, r: dict,
                    attributes: list[str], locator: str) -> None:
        member_key = here if member is None else self._entity("artist", member, locator)
        group_key = here if group is None else self._entity("artist", group, locator)
        record = self.batch.entities[group_key]
        if record.types == ["Agent"] and not record.unmapped_types:
            record.types = ["Group"]  # "member of band" says the target is a band, where no type was given
        if "Group" not in record.types:
            self.batch.skip(f"membership of {self.batch.entities[member_key].label} in {record.label}",
                            "MusicBrainz types the band as something other than a group", locator)
            return
        start, end = _date(r.get("begin")), _date(r.get("end"))
        self.batch.facts.append(MembershipRecord(member_key, group_key, self._prov(locator), start=start, end=end))
        if attributes:
            self.batch.skip(f"membership attributes ({', '.join(attributes)})",
                            "the ontology's memberships carry no attributes", locator)
        if r.get("ended") and not r.get("end"):
            self.batch.skip("end of a membership", "MusicBrainz says it ended but gives no date", locator)

    def _url(self, here: str, rtype: str, target, locator: str) -> None:
        url = str((target or {}).get("resource") or "") if isinstance(target, dict) else ""
        record = self.batch.entities[here]
        if rtype == "wikidata":
            qid = re.search(r"/(Q[1-9][0-9]*)$", url)
            if qid:
                record.identifiers.setdefault("wikidata", qid.group(1))
                self.batch.facts.append(ClaimRecord(here, "wikidata", f"http://www.wikidata.org/entity/{qid.group(1)}",
                                                    self._prov(locator)))
                return
        if rtype in _SAME_THING_URLS and url.startswith(("http://", "https://")):
            if url not in record.links:
                record.links.append(url)
                self.batch.facts.append(ClaimRecord(here, "sitelink", url, self._prov(locator)))
            return
        self.batch.skip(f"url relation {rtype!r}" + (f" {url}" if url else ""),
                        "not a page about the same entity elsewhere", locator)

    def _tags(self, doc: dict) -> None:
        for field in ("genres", "tags"):
            names = [str(g.get("name")) for g in doc.get(field) or [] if isinstance(g, dict) and g.get("name")]
            if names:
                self.batch.skip(f"{field} of {self.ref}: {', '.join(names)}",
                                "votes by MusicBrainz users, given as names; cg:genre takes an entity"
                                if field == "genres" else "folksonomy votes, not facts", f"{self.ref} {field}")
