"""Identity decisions that last, and the tools to repair identity.

``graph/decisions.ttl`` keeps what people decided about who is who: one
``cg:IdentityDecision`` per decision, about an IRI (an entity, or the IRI an
import would mint for a record), that it is the same as another entity
(``cg:sameEntityAs``) or different from it (``cg:differentFrom``, aligned to
Wikidata's "different from", P1889), with who decided and when. ``--link``
and ``--new`` on an import write them; every later import applies them
(:mod:`.linking`).

The repair tools change the graph's source files and keep a decision, so the
next import does not undo them; each validates the whole graph and, if it
would not hold, changes nothing:

- :func:`merge` moves every fact of one entity to another (both were one);
- :func:`split` moves chosen facts (with their provenance) to a new entity;
- :func:`differ` records that two entities are different.

>>> import shutil
>>> g = tmp / "graph"; _ = shutil.copytree(GRAPH_DIR, g)
>>> differ(g, "id:park-seo-joon", "id:park-hyung-sik", who="editor").kind
'different'
>>> [(d.kind, d.who) for d in read(g)]
[('different', 'editor')]
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from ..core.durable import write_atomic
from ..core.errors import CollabGraphError
from ..core.names import slug
from ..core.namespaces import CG, FACT, ID, curie, expand

__all__ = ["DECISIONS_FILE", "Recorded", "read", "render", "record", "merge", "split", "differ", "who_am_i"]

#: The decisions file, relative to the graph directory.
DECISIONS_FILE = "decisions.ttl"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
_GENERATED = "# Written by collabgraph"
_SPLIT = "collabgraph split"
_HEADER = ("# Identity decisions: who is who, as people decided it (collabgraph import --link/--new,\n"
           "# collabgraph merge, split and differ). Every import applies them. Written by collabgraph;\n"
           "# use those commands rather than editing this file.\n")


@dataclass(frozen=True)
class Recorded:
    """One decision: ``kind`` ``same`` (``about`` is ``other``) or ``different``."""

    kind: str
    about: str
    other: str
    who: str
    when: str
    name: str = ""
    how: str = ""

    @property
    def iri(self) -> str:
        digest = hashlib.sha1(f"{self.kind}\x00{self.about}\x00{self.other}".encode()).hexdigest()[:12]
        return str(FACT[f"decision-{digest}"])

    def to_dict(self) -> dict:
        return {"kind": self.kind, "about": curie(self.about), "other": curie(self.other), "who": self.who,
                "when": self.when, "name": self.name, "how": self.how}


def who_am_i() -> str:
    """Who is deciding: ``$COLLABGRAPH_USER``, else the login name."""
    try:
        return os.environ.get("COLLABGRAPH_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def read(graph_dir: str | Path) -> list[Recorded]:
    """The decisions kept in ``graph_dir``'s decisions file (none if there is no file)."""
    path = Path(graph_dir) / DECISIONS_FILE
    if not path.is_file():
        return []
    nodes: dict[str, dict[str, str]] = {}
    for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if isinstance(q.subject, ox.NamedNode):
            nodes.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value
    out = []
    for props in nodes.values():
        if props.get(_RDF_TYPE) != str(CG.IdentityDecision) or str(CG.decisionAbout) not in props:
            continue
        kind = "same" if str(CG.sameEntityAs) in props else "different"
        other = props.get(str(CG.sameEntityAs)) or props.get(str(CG.differentFrom), "")
        out.append(Recorded(kind, props[str(CG.decisionAbout)], other, props.get(str(CG.decidedBy), ""),
                            props.get(str(CG.decidedAt), ""), props.get(str(CG.recordName), ""),
                            props.get(_RDFS_COMMENT, "")))
    return sorted(out, key=lambda d: (d.kind, d.about, d.other))


def render(decisions: Iterable[Recorded]) -> str:
    """The decisions file's Turtle (sorted, so the same decisions give the same bytes)."""
    from .writer import Turtle

    t = Turtle()
    for d in sorted(decisions, key=lambda d: d.iri):
        t.add(d.iri, _RDF_TYPE, ox.NamedNode(str(CG.IdentityDecision)))
        t.add(d.iri, str(CG.decisionAbout), ox.NamedNode(d.about))
        t.add(d.iri, str(CG.sameEntityAs if d.kind == "same" else CG.differentFrom), ox.NamedNode(d.other))
        if d.name:
            t.add(d.iri, str(CG.recordName), ox.Literal(d.name))
        t.add(d.iri, str(CG.decidedBy), ox.Literal(d.who or "unknown"))
        if d.when:
            t.add(d.iri, str(CG.decidedAt), ox.Literal(d.when, datatype=ox.NamedNode(_XSD + "dateTime")))
        if d.how:
            t.add(d.iri, _RDFS_COMMENT, ox.Literal(d.how))
        if d.how == _SPLIT and d.name:   # the label `split --label` gave the entity split off
            t.add(d.about, _RDFS_LABEL, ox.Literal(d.name))
    return t.text(_HEADER)


def record(existing: list[Recorded], new: Iterable[Recorded]) -> list[Recorded]:
    """``existing`` with ``new`` decisions: a decision already there is kept as it
    was (same who and when, so re-running an import changes no byte); a new one
    replaces the opposite decision on the same pair (a person changed their mind)."""
    out = {(d.kind, d.about, d.other): d for d in existing}
    for d in new:
        if (d.kind, d.about, d.other) in out:
            continue
        pair = {d.about, d.other}
        for k in [k for k in out if k[0] != d.kind and {k[1], k[2]} == pair]:
            del out[k]
        out[(d.kind, d.about, d.other)] = d
    return sorted(out.values(), key=lambda d: (d.kind, d.about, d.other))


# -- repair tools ----------------------------------------------------------------------------------

@dataclass
class Repair:
    """What a repair did: the decision kept and the source files it changed."""

    decision: Recorded
    files: list[str]
    moved: int = 0
    entity: str = ""

    @property
    def kind(self) -> str:
        return self.decision.kind

    def to_dict(self) -> dict:
        return {"decision": self.decision.to_dict(), "files": self.files, "moved": self.moved,
                "entity": curie(self.entity) if self.entity else ""}


def differ(graph_dir: str | Path, a: str, b: str, *, who: str | None = None, ontology_dir=None,
           validate: bool = True) -> Repair:
    """Record that entities ``a`` and ``b`` (names, CURIEs or IRIs) are different:
    no import will link one's records to the other.

    :raises CollabGraphError: if either is not an entity, or they are the same one.
    """
    graph_dir = Path(graph_dir)
    index = _index(graph_dir)
    x, y = _entity(index, a), _entity(index, b)
    if x == y:
        raise CollabGraphError(f"{a} and {b} are the same entity ({curie(x)})")
    first, second = sorted((x, y))
    d = Recorded("different", first, second, who or who_am_i(), _now(), how="collabgraph differ")
    _apply(graph_dir, {}, [d], ontology_dir, validate)
    return Repair(d, [DECISIONS_FILE])


def merge(graph_dir: str | Path, source: str, target: str, *, who: str | None = None, ontology_dir=None,
          validate: bool = True) -> Repair:
    """Merge entity ``source`` into ``target``: every fact about ``source`` is
    about ``target`` from now on (its labels become aliases where ``target``
    has a label in that language), and a decision sends every later import's
    records for ``source`` to ``target``.

    :raises CollabGraphError: if either is not an entity, they were decided
        different, their types do not fit, or a hand-written file would need a
        change this tool does not make (the message names it); nothing changed.
    """
    from .vocabulary import vocabulary

    graph_dir = Path(graph_dir)
    index = _index(graph_dir)
    a, b = _entity(index, source), _entity(index, target)
    if a == b:
        raise CollabGraphError(f"{source} and {target} are the same entity ({curie(a)})")
    if index.different(a, b):
        raise CollabGraphError(f"{curie(a)} and {curie(b)} were decided different (graph/{DECISIONS_FILE}); "
                               "not merged")
    ta, tb = index.facts(a).types, index.facts(b).types
    sup = vocabulary().superclasses
    if ta and tb and not any(x in sup.get(y, {y}) or y in sup.get(x, {x}) for x in ta for y in tb):
        raise CollabGraphError(f"{curie(a)} is a {'/'.join(sorted(ta))} and {curie(b)} a {'/'.join(sorted(tb))}; "
                               "not merged")
    labels = dict(index.facts(b).labels)
    changes: dict[str, str] = {}
    for rel in _files_naming(graph_dir, index, a):
        path = graph_dir / rel
        text = path.read_text("utf-8")
        if text.startswith("#") and _GENERATED in text[:2000]:
            changes[rel] = _rewrite(path, text, lambda s, p, o: _merged(s, p, o, a, b, labels))
        else:
            changes[rel] = _replace_token(text, a, b)
    d = Recorded("same", a, b, who or who_am_i(), _now(), how="collabgraph merge")
    _apply(graph_dir, changes, [d], ontology_dir, validate)
    return Repair(d, sorted([*changes, DECISIONS_FILE]), entity=b)


def split(graph_dir: str | Path, entity: str, *, facts: Iterable[str] = (), files: Iterable[str] = (),
          label: str | None = None, who: str | None = None, ontology_dir=None, validate: bool = True) -> Repair:
    """Move facts of ``entity`` to a new entity: the facts named in ``facts``
    (CURIEs or IRIs of credits, memberships, claims, attestations) and every
    fact about it in the source ``files`` (relative to the graph directory),
    where the entity's types and names that file states move too. The facts
    keep their source and quote. The two are recorded as different.

    :raises CollabGraphError: if nothing is chosen, a chosen fact is not about
        the entity, a file is hand-written, or the new entity would have no
        attestation; nothing changed.
    """
    graph_dir = Path(graph_dir)
    index = _index(graph_dir)
    x = _entity(index, entity)
    chosen = {_iri(f) for f in facts}
    whole = {Path(f).as_posix() for f in files}
    if not chosen and not whole:
        raise CollabGraphError("split: choose the facts to move (--fact) or the source files (--file)")
    known = index.facts(x)
    base = slug(label or known.label, limit=40) or "entity"
    digest = hashlib.sha1("\x00".join([x, *sorted(chosen), *sorted(whole)]).encode()).hexdigest()[:8]
    new = str(ID[f"{base}-{digest}"])
    changes: dict[str, str] = {}
    moved = 0
    attested = False
    found_facts: set[str] = set()
    names: list[ox.Literal] = []    # the new entity's labels in the moved files, then the names attested
    typed = False
    rewritten: list[str] = []
    for rel in sorted(set(_files_naming(graph_dir, index, x)) | whole):
        path = graph_dir / rel
        if not path.is_file():
            raise CollabGraphError(f"split: {rel}: no such source file under {os.fsdecode(graph_dir)}")
        text = path.read_text("utf-8")
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        nodes = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)
                 and (rel in whole or q.subject.value in chosen) and isinstance(q.object, ox.NamedNode)
                 and q.object.value == x}
        if not nodes and rel not in whole:
            continue
        if not (text.startswith("#") and _GENERATED in text[:2000]):
            raise CollabGraphError(f"split: {rel} is written by hand: move the facts there by hand "
                                   f"(replace {curie(x)} by a new id in them)")
        found_facts |= nodes
        moved += len(nodes)
        attested = attested or any(q.subject.value in nodes and q.predicate.value == str(CG.attests) for q in quads)
        if rel in whole:
            names += [q.object for q in quads if q.subject.value == x and q.predicate.value == _RDFS_LABEL]
            typed = typed or any(q.subject.value == x and q.predicate.value == _RDF_TYPE for q in quads)
        names += [q.object for q in quads if q.subject.value in nodes and q.predicate.value == str(CG.name)
                  and isinstance(q.object, ox.Literal)]
        rewritten.append(rel)

        def move(s, p, o, rel=rel, nodes=nodes):
            if s == x and rel in whole:
                if p == _RDFS_LABEL:   # the new entity's labels are written once, below
                    return None
                return new, p, o
            if s in nodes and isinstance(o, ox.NamedNode) and o.value == x:
                return s, p, ox.NamedNode(new)
            return s, p, o
        changes[rel] = _rewrite(path, text, move)
    missing = chosen - found_facts
    if missing:
        raise CollabGraphError(f"split: {', '.join(sorted(curie(m) for m in missing))} "
                               f"{'is' if len(missing) == 1 else 'are'} not a fact about {curie(x)}")
    if not attested:
        raise CollabGraphError(f"split: the chosen facts hold no attestation (a source naming the new entity); "
                               f"choose one too (collabgraph entity {curie(x)} --facts lists them)")
    # The new entity's names: --label first, then its labels in the moved files and the names its
    # attestations give (an import that linked by name keeps only the labels the entity lacked, so
    # "V" may be only in an attestation); one label per language, the others aliases.
    labels: dict[str, str] = {}
    aliases: list[ox.Literal] = []
    for lit in ([ox.Literal(label)] if label else []) + names:
        lang = lit.language or ""
        if labels.setdefault(lang, lit.value) != lit.value and lit not in aliases:
            aliases.append(lit)
    if not labels:
        labels[""] = known.label or curie(x)
    extra = "" if typed else f"{_name(new)} a {', '.join(_name(str(CG[t])) for t in sorted(known.types) or ['Entity'])} .\n"
    extra += "".join(f"{_name(new)} <{_RDFS_LABEL}> {_literal(v, lang)} .\n" for lang, v in sorted(labels.items()))
    extra += "".join(f"{_name(new)} <{_ALT_LABEL}> {a} .\n" for a in dict.fromkeys(aliases))
    first = rewritten[0]
    changes[first] = _rewrite_text(graph_dir / first, changes[first] + "\n" + extra)
    # The label chosen is kept with the decision too, so a re-import (which writes the record's own
    # names) leaves the entity found by it.
    d = Recorded("different", new, x, who or who_am_i(), _now(), label or "", how="collabgraph split")
    _apply(graph_dir, changes, [d], ontology_dir, validate)
    return Repair(d, sorted([*changes, DECISIONS_FILE]), moved, new)


# -- helpers ---------------------------------------------------------------------------------------

def _index(graph_dir: Path):
    from .linkindex import GraphIndex

    return GraphIndex.for_graph(graph_dir)


def _iri(text: str) -> str:
    text = text.strip()
    return text if text.startswith(("http://", "https://")) else (expand(text) or text)


def _entity(index, text: str) -> str:
    from ..core.names import search_key

    iri = _iri(text)
    if index.exists(iri):
        return iri
    hits = index.by_name(search_key(text))
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise CollabGraphError(f"{text!r} names {len(hits)} entities: {', '.join(curie(h) for h in hits)}; "
                               "use one of these ids")
    raise CollabGraphError(f"{text!r}: no entity of the graph has that id or name")


def _files_naming(graph_dir: Path, index, iri: str) -> list[str]:
    """Source files that mention ``iri`` (by its CURIE or full IRI)."""
    short, full = curie(iri), f"<{iri}>"
    out = []
    for rel in sorted(r for r in index.files if "#run" not in r and r != DECISIONS_FILE):
        path = graph_dir / rel
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if full in text or re.search(rf"(?<![\w:/-]){re.escape(short)}(?![\w-]|\.[\w-])", text):
            out.append(rel)
    return out


def _replace_token(text: str, a: str, b: str) -> str:
    text = text.replace(f"<{a}>", f"<{b}>")
    return re.sub(rf"(?<![\w:/-]){re.escape(curie(a))}(?![\w-]|\.[\w-])", _name(b), text)


def _name(iri: str) -> str:
    from .writer import turtle_name as name

    return name(iri)


def _merged(s: str, p: str, o, a: str, b: str, labels: dict):
    """One triple of a generated file with ``a`` merged into ``b``."""
    if s == a:
        s = b
        if p == _RDFS_LABEL and isinstance(o, ox.Literal):
            lang = o.language or ""
            if labels.setdefault(lang, o.value) != o.value:
                p = _ALT_LABEL
    if isinstance(o, ox.NamedNode) and o.value == a:
        o = ox.NamedNode(b)
    return s, p, o


def _rewrite(path: Path, text: str, change) -> str:
    """A generated file with each triple passed through ``change``, written back
    the way the importers write (its header comment kept)."""
    from .writer import Turtle

    header = "".join(line for line in text.splitlines(keepends=True)[:10] if line.startswith("#"))
    t = Turtle()
    for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        triple = change(q.subject.value, q.predicate.value, q.object)
        if triple is not None:
            t.add(*triple)
    return t.text(header)


def _rewrite_text(path: Path, text: str) -> str:
    """``text`` (Turtle, with triples appended) written back the importers' way, with ``path``'s header."""
    from .writer import Turtle

    header = "".join(line for line in text.splitlines(keepends=True)[:10] if line.startswith("#"))
    t = Turtle()
    for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
        t.add(q.subject.value, q.predicate.value, q.object)
    return t.text(header)


def _literal(value: str, lang: str) -> str:
    return str(ox.Literal(value, language=lang) if lang else ox.Literal(value))


def _apply(graph_dir: Path, changes: dict[str, str], decisions: list[Recorded], ontology_dir, validate: bool) -> None:
    """Write the changed files and the decisions; validate; on failure put everything back."""
    from ..build.pipeline import validate as validate_graph

    changes = dict(changes)
    changes[DECISIONS_FILE] = render(record(read(graph_dir), decisions))
    backups: dict[Path, bytes | None] = {}
    try:
        for rel, text in changes.items():
            path = graph_dir / rel
            backups[path] = path.read_bytes() if path.exists() else None
            write_atomic(path, text)
        if validate:
            validate_graph(graph_dir, ontology_dir)
    except BaseException:
        for path, old in backups.items():
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)
        raise


def decisions_text(graph_dir: str | Path, choices: Iterable, how: str) -> str | None:
    """The decisions file with the ``choices`` of an import run (``--link``/``--new``)
    added, or ``None`` when it would not change."""
    graph_dir = Path(graph_dir)
    existing = read(graph_dir)
    who, when = who_am_i(), _now()
    new = [Recorded(c.kind, c.entity, c.other, who, when, c.name, how) for c in choices]
    merged = record(existing, new)
    if merged == existing:
        return None
    return render(merged)

