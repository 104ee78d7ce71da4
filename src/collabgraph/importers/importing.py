"""One import run: records in, linked, written as source files, validated,
reported. All or nothing: the run holds the lock of ``graph/`` (the one every
writer of it shares, see :mod:`collabgraph.core.durable`), stages the new files
beside their targets, validates the graph as they will leave it, and only then
commits them at once (a journal, then the renames). A bad input file, a
record that breaks the contract, a kill or a full disk at any instant changes
nothing, or everything.

>>> import shutil
>>> from collabgraph.importers.model import Batch, EntityRecord, SourceRecord, ClaimRecord, Provenance, Date
>>> g = tmp / "graph"; _ = shutil.copytree(GRAPH_DIR, g)
>>> b = Batch("test/peakboy", version="1")
>>> _ = b.add_source(SourceRecord("test:1", "A test record", kind="test", revision="1"))
>>> _ = b.add_entity(EntityRecord("test:pb", types=["Agent"], labels={"en": "Peakboy"}))
>>> b.facts.append(ClaimRecord("test:pb", "inception", Date("2013", "year"), Provenance("test:1", locator="row 1")))
>>> report = run_import([b], g)
>>> [(w.path, w.status) for w in report.files], [(d.label, d.method) for d in report.decisions]
([('imports/test/peakboy.ttl', 'added')], [('Peakboy', 'name')])
>>> run_import([b], g).files[0].status
'unchanged'
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from ..core.durable import Changes, locked, writing
from ..core.namespaces import curie
from .decisions import DECISIONS_FILE, decisions_text
from .linking import Decision, Linker
from .model import Batch, ClaimRecord, Skipped
from .writer import IMPORTS_DIR, Written, iri_problem, render

__all__ = ["run_import", "ImportReport"]

_VERSION = re.compile(r"^# version: (.+)$", re.M)
#: Linking decisions kept for the report beyond those a person must look at.
KEEP_DECISIONS = 1000


@dataclass
class ImportReport:
    """What an import did: files written, how each record was linked (with
    suggestions for a person to decide), what was skipped and why."""

    files: list[Written] = field(default_factory=list)
    #: How records were linked: every decision a person may need to look at
    #: (suggestions, --link, conflicts), and the others up to :data:`KEEP_DECISIONS`
    #: (a dump's report must not grow with the dump); :attr:`tally` counts them all.
    decisions: list[Decision] = field(default_factory=list)
    tally: dict[str, int] = field(default_factory=dict)
    decisions_left_out: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    unused_links: list[str] = field(default_factory=list)
    dry_run: bool = False
    #: Where each record went: its mentions (``rows.csv:12``, ``rows.csv:12:group``)
    #: and identifiers (a QID, an MBID) -> the IRI of its entity, for every record.
    where: dict[str, str] = field(default_factory=dict)
    #: The identity decisions a person made in this run (``--link``/``--new``), kept in graph/decisions.ttl.
    choices: list = field(default_factory=list)
    #: Facts of the graph as written whose quotes do not state them
    #: (:class:`collabgraph.store.quotes.Unstated`; a warning to an import, a refusal to a review).
    unstated: list = field(default_factory=list)

    def add_decisions(self, decisions: Iterable[Decision]) -> None:
        for d in decisions:
            ids = [v.rpartition("/")[2] for s, v in d.identifiers.items() if s != "iri"]
            for ref in [*d.mentions, *ids]:
                self.where.setdefault(ref, d.iri)
            self.tally[d.method] = self.tally.get(d.method, 0) + 1
            if d.suggestions or d.method in ("manual", "given") or len(self.decisions) < KEEP_DECISIONS:
                self.decisions.append(d)
            else:
                self.decisions_left_out += 1

    @property
    def suggestions(self) -> list[Decision]:
        """New entities with existing ones of a close name: a person should look."""
        return [d for d in self.decisions if d.suggestions]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for w in self.files:
            out[w.status] = out.get(w.status, 0) + 1
        for method, n in self.tally.items():
            out[method] = out.get(method, 0) + n
        out["facts"] = sum(w.facts for w in self.files)
        out["skipped"] = len(self.skipped)
        return out

    def to_dict(self) -> dict:
        return {"dry_run": self.dry_run, "counts": self.counts(), "files": [w.to_dict() for w in self.files],
                "entities": [d.to_dict() for d in self.decisions], "entities_left_out": self.decisions_left_out,
                "skipped": [{"what": s.what, "reason": s.reason, "where": s.where} for s in self.skipped],
                "unused_links": self.unused_links,
                "where": {ref: curie(iri) for ref, iri in self.where.items()},
                "decided": [{"kind": c.kind, "entity": curie(c.entity), "other": curie(c.other), "name": c.name}
                            for c in self.choices]}


def run_import(batches: Iterable[Batch], graph_dir: str | Path, *, ontology_dir: str | Path | None = None,
               links: dict[str, str] | None = None, new: Iterable[str] = (), dry_run: bool = False,
               validate: bool = True, command: str = "collabgraph import",
               under: str = IMPORTS_DIR, isolate: bool = False) -> ImportReport:
    """Link, write and validate ``batches`` into ``graph_dir``.

    Consecutive batches with the same ``name`` go to one file
    (``graph/<under>/<name>.ttl``; ``under`` is ``imports`` but for the
    facts accepted from an article, which go to ``articles``), so an importer
    chooses one file per item or per chunk of a dump. A file whose version (the source's revision) is
    newer than the batch's is kept, and the batch reported as skipped.

    With ``isolate``, a file the validation faults is left out (reported as skipped
    with its first problem) and the others are kept, so one bad item of a batch of
    unrelated items does not block them; without it, any problem keeps everything out.

    :raises SourceError: for unreadable input (from the importer), nothing written.
    :raises ValidationError: if the graph with the new files breaks the
        contract; nothing written.
    """
    graph_dir = Path(graph_dir)
    if dry_run:
        # The same plan and validation as a real run, on changes that are then discarded:
        # what a dry run reports is what the real run would do.
        with locked(graph_dir, command):
            changes = Changes(graph_dir, command)
            try:
                report = _plan(batches, graph_dir, changes, ontology_dir, links, new, True, command, under)
                if validate and changes:
                    _validate_staged(graph_dir, ontology_dir, changes, report, isolate)
                return report
            finally:
                changes.discard()
    with writing(graph_dir, command) as changes:
        return stage_import(batches, graph_dir, changes, ontology_dir=ontology_dir, links=links, new=new,
                            validate=validate, command=command, under=under, isolate=isolate)


def stage_import(batches: Iterable[Batch], graph_dir: Path, changes: Changes, *,
                 ontology_dir: str | Path | None = None, links: dict[str, str] | None = None,
                 new: Iterable[str] = (), validate: bool = True, command: str = "collabgraph import",
                 under: str = IMPORTS_DIR, isolate: bool = False) -> ImportReport:
    """:func:`run_import` into ``changes`` of a writer that holds the lock of
    ``graph_dir`` (:func:`collabgraph.core.durable.writing`) and commits them with
    its own (a review commits its candidates with the facts they give).

    :raises ValidationError: if the graph as ``changes`` will leave it breaks the contract.
    """
    report = _plan(batches, graph_dir, changes, ontology_dir, links, new, False, command, under)
    if validate and changes:
        _validate_staged(graph_dir, ontology_dir, changes, report, isolate)
    return report


def _validate_staged(graph_dir: Path, ontology_dir, changes: Changes, report: ImportReport, isolate: bool) -> None:
    """Validate the graph as ``changes`` will leave it. With ``isolate``, the staged files
    the validation faults are taken back (reported as skipped with their first problem),
    one round per set of faulted files, for as long as other files remain."""
    from ..build.pipeline import validate as validate_graph
    from ..core.errors import ValidationError

    while True:
        try:
            found: list = []
            validate_graph(graph_dir, ontology_dir, overlay=changes.overlay, unstated=found)
            report.unstated = found
            return
        except ValidationError as exc:
            staged = {t.resolve(): t for t in changes.overlay}
            faulted = {Path(p.file).resolve() for p in exc.problems}  # shown relative to the working directory
            bad = [staged[f] for f in faulted if f in staged]
            if not isolate or not bad or len(bad) == len(staged) or any(f not in staged for f in faulted):
                raise
            for target in bad:
                rel = target.relative_to(graph_dir).as_posix()
                first = next(p for p in exc.problems if Path(p.file).resolve() == target.resolve())
                report.files = [w for w in report.files if w.path != rel]
                report.skipped.append(Skipped(rel, f"not written: it breaks the contract ({first.focus}: "
                                                   f"{first.message} [{first.rule}])"))
                changes.drop(target)


def _plan(batches: Iterable[Batch], graph_dir: Path, changes: Changes | None, ontology_dir, links, new,
          dry_run: bool, command: str, under: str) -> ImportReport:
    linker = Linker.for_graph(graph_dir, ontology_dir, links=links, new=new)
    report = ImportReport(dry_run=dry_run)
    for name, group in _groups(batches):
        origin = _origin(group)
        rel = _place(graph_dir, Path(under, *name.split("/")).with_suffix(".ttl"), group, origin)
        placed = rel.relative_to(under).with_suffix("").as_posix()
        for b in group:  # another input of the same base name: its own file, facts and minted ids
            b.name = placed
            _drop_bad_iris(b)
        linker.forget(rel.as_posix())
        linked = [(b, linker.link(b)) for b in group]
        for b, lk in linked:
            report.add_decisions(lk.decisions.values())
            report.skipped.extend(b.skipped)
            for e in b.entities.values():
                report.skipped.extend(Skipped(f"type {t} of {e.label}", "no class of the ontology fits", e.key)
                                      for t in e.unmapped_types)
        target = graph_dir / rel
        versions = {b.version for b in group}
        version = versions.pop() if len(versions) == 1 else None  # a chunk of many items: compare content
        old_version = _version_of(target)
        if old_version and version and _newer(old_version, version):
            report.skipped.append(Skipped(name, f"{rel.as_posix()} holds a newer revision ({old_version}) "
                                                f"than this input ({version}); kept it"))
            continue
        header = (f"# Imported by `{command}`: {_sources_line(group)}.\n"
                  f"# Written by collabgraph; edit the source and import again rather than this file.\n"
                  + (f"# version: {_one_line(version)}\n" if version else "")
                  + (f"# origin: {origin}\n" if origin else ""))
        text, facts, entities = render(linked, linker.index, header=header)
        linker.remember(rel.as_posix(), linked)
        if target.exists() and target.read_text("utf-8") == text:
            report.files.append(Written(rel.as_posix(), "unchanged", facts, entities))
            continue
        report.files.append(Written(rel.as_posix(), "replaced" if target.exists() else "added", facts, entities))
        if changes is not None:
            changes.write(target, text)
    report.unused_links = sorted(n for n in (links or {}) if not _used(linker, n))
    report.choices = list(linker.choices)
    if linker.choices and not dry_run and changes is not None:
        # A person's --link/--new choices last: kept in graph/decisions.ttl, applied by every later import.
        decided = decisions_text(graph_dir, linker.choices, f"{command} --link/--new")
        if decided is not None:
            changes.write(graph_dir / DECISIONS_FILE, decided)
    return report


def _drop_bad_iris(batch: Batch) -> None:
    """Values that become IRIs but are not valid ones (a ``>`` in a reference
    URL, in a source's URL, in a claim's http value): only that value goes
    (a claim with it), each with a note naming its record, and the rest of the
    record is imported (issue 18; an importer that can refuse the record
    itself, like a CSV row, does so first)."""
    for src in batch.sources.values():
        why = iri_problem(src.url) if src.url else None
        if why:
            batch.skip(f"URL {src.url!r} of the source {src.label!r}",
                       f"not a valid IRI ({why}); the source is kept without it", src.key)
            src.url = None
    kept = []
    for fact in batch.facts:
        p = fact.provenance
        refs = []
        for ref in p.references:
            for part in ("url", "stated_in", "imported_from"):
                value = getattr(ref, part)
                why = iri_problem(value) if value else None
                if why:
                    batch.skip(f"reference {part.replace('_', ' ')} {value!r}",
                               f"not a valid IRI ({why}); left out of the reference", p.locator or "")
                    ref = replace(ref, **{part: None})
            refs.append(ref)
        if tuple(refs) != p.references:
            fact = replace(fact, provenance=replace(p, references=tuple(r for r in refs if any(vars(r).values()))))
        value = getattr(fact, "value", None) if isinstance(fact, ClaimRecord) else None
        why = iri_problem(value) if isinstance(value, str) and value.startswith(("http://", "https://")) else None
        if why and isinstance(fact, ClaimRecord):  # (why is only set for a claim; this says so to mypy)
            batch.skip(f"{fact.property} {value!r}", f"not a valid IRI ({why}); the claim is not imported",
                       p.locator or p.quote or "")
            continue
        kept.append(fact)
    batch.facts[:] = kept


def _one_line(text: str) -> str:
    """Text safe inside a Turtle comment: a line break in a label from outside
    (a hostile CSV title, a record's name) must not end the comment."""
    return "".join(ch if ch.isprintable() else " " for ch in str(text))


def _sources_line(group: list[Batch], most: int = 3) -> str:
    """The sources of a file for its header comment: the first few, then how many more."""
    labels = list(dict.fromkeys(_one_line(b.sources[k].label) for b in group for k in b.sources))
    more = f" and {len(labels) - most} more" if len(labels) > most else ""
    return ", ".join(labels[:most]) + more


def _groups(batches: Iterable[Batch]) -> Iterator[tuple[str, list[Batch]]]:
    current: list[Batch] = []
    for b in batches:
        if current and (b.name, b.origin) != (current[0].name, current[0].origin):
            yield current[0].name, current
            current = []
        current.append(b)
    if current:
        yield current[0].name, current


_ORIGIN = re.compile(r"^# origin: (.+)$", re.M)


def _origin(group: list[Batch]) -> str | None:
    """Where a file's input came from, as a hash (a path is not written into the graph)."""
    origins = sorted({b.origin for b in group if b.origin})
    if not origins:
        return None
    return hashlib.sha1("\n".join(origins).encode()).hexdigest()[:12]


def _place(graph_dir: Path, rel: Path, group: list[Batch], origin: str | None) -> Path:
    """The source file for an input: known by its content and where it came from,
    not by its base name. The file already holding this content, else the one
    imported from the same place (an edited input replaces its import), else the
    file named after it if free, else that name with a hash of its origin
    (``a/credits.csv`` and ``b/credits.csv`` are two files)."""
    if origin is None:
        return rel
    versions = {b.version for b in group}
    version = versions.pop() if len(versions) == 1 else None
    folder = graph_dir / rel.parent
    siblings = sorted(folder.glob(f"{rel.stem}*.ttl")) if folder.is_dir() else []
    heads = {p: _head(p) for p in siblings if p.stem == rel.stem or p.stem.startswith(rel.stem + "-")}
    for p, head in heads.items():
        m = _VERSION.search(head)
        if version and m and m.group(1).strip() == version:
            return p.relative_to(graph_dir)
    for p, head in heads.items():
        m = _ORIGIN.search(head)
        if m and m.group(1).strip() == origin:
            return p.relative_to(graph_dir)
    plain = graph_dir / rel
    if plain not in heads or not _ORIGIN.search(heads[plain]):
        return rel  # free, or imported before origins were kept: replaced as before
    return rel.with_name(f"{rel.stem}-{origin[:8]}.ttl")


def _head(path: Path) -> str:
    with open(path, encoding="utf-8") as f:
        return "".join(line for _, line in zip(range(6), f))


def _version_of(path: Path) -> str | None:
    if not path.is_file():
        return None
    with open(path, encoding="utf-8") as f:
        head = "".join(line for _, line in zip(range(5), f))
    m = _VERSION.search(head)
    return m.group(1).strip() if m else None


def _newer(a: str, b: str) -> bool:
    """Is revision ``a`` newer than ``b``? (numbers compare as numbers)."""
    if a.isdigit() and b.isdigit():
        return int(a) > int(b)
    return False


def _used(linker: Linker, name: str) -> bool:
    from ..core.names import search_key

    return search_key(name) in linker.used_manual
