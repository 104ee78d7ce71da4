"""Quote checks: every quote must be the source's own words.

A source document that has a local copy (``cg:localPath``) is read once; its
SHA-256 must match ``cg:sha256`` when one is given, and every ``cg:quote`` of
every fact citing it must occur in its text verbatim. A relative
``cg:localPath`` is resolved against the directory of the source file that
states it, so ``graph/`` and its copies can move together (``graph/a.ttl``
saying ``documents/a.txt`` means ``graph/documents/a.txt``).

A copy is read only inside the allowed roots (:func:`allowed_roots`: the
graph directory and the folders of source documents beside it), so that a
source file cannot make the check read ``/etc/passwd`` through
``cg:localPath "../../../../etc/passwd"``; the build's ``allow_outside``
(``--allow-outside``) lifts that.

A source with no local copy whose facts have quotes cannot be checked: that
is a note (once per source), not a failure, unless ``strict`` (``validate
--strict``), where a quote nothing can check fails validation.

A verbatim quote must also say what its fact says (:func:`unstated_sides`):
each quote names both sides of the fact (the agent and the work of a credit,
the member and the group, what a claim is about or its value) by a label, an
alias, or words the same source records for that entity (``cg:name``,
``cg:mentionedAs`` of its attestations), and a claim's quotes give its value
as the source writes it. A quote that does not is a warning, and a problem
under ``strict``. A ``cg:note`` value is the editors' words, and a value
marked ``cg:editorsInference`` (a date worked out from "on Friday") their
reading with its reason: only the subject of either is checked. (Database records cited by
locator alone have nothing to check.) Only sources with a copy cost a query, so a generated
million-triple graph, whose sources have none, is not slowed down.

>>> from collabgraph.store.local import Store
>>> _ = (tmp / "doc.txt").write_text("The cat sat on the mat.", encoding="utf-8")
>>> store = Store.memory()
>>> store.load_data('''@prefix cg: <https://w3id.org/collabgraph/ns#> .
...   <https://e/doc> a cg:SourceDocument ; cg:localPath "doc.txt" .
...   <https://e/f1> cg:source <https://e/doc> ; cg:quote "The cat sat" .
...   <https://e/f2> cg:source <https://e/doc> ; cg:quote "The dog sat" .
...   <https://e/elsewhere> a cg:SourceDocument . <https://e/f3> cg:source <https://e/elsewhere> ; cg:quote "x" .
...   <https://e/record> a cg:SourceDocument . <https://e/f4> cg:source <https://e/record> ; cg:locator "Q1$1" .''', "turtle", graph="https://g/a")
12
>>> found = check_quotes(store, file_of_graph={"https://g/a": "a.ttl"},
...                      path_of_graph={"https://g/a": tmp / "a.ttl"})
>>> [str(p) for p in found.problems]
["a.ttl: https://e/f2: quote not found verbatim in .../doc.txt: 'The dog sat' [cg:quote verbatim]"]
>>> found.notes
['https://e/elsewhere: has no cg:localPath (no copy of the source to check its quotes against); its quotes are not checked']
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from ..core.errors import Problem
from ..core.namespaces import curie
from .local import Store
from ..core.terms import lexical

__all__ = ["QuoteCheck", "Unstated", "check_quotes", "allowed_roots", "unstated_sides", "date_forms",
           "unchecked_notes", "UNCHECKED", "quotes_read"]

RULE = "cg:quote verbatim"
STATES = "cg:quote states its fact"

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")

_COPIES = """
SELECT ?g ?source ?path ?sha WHERE {
  GRAPH ?g { ?source cg:localPath ?path }
  OPTIONAL { ?source cg:sha256 ?sha }
}"""

_UNCOPIED = """
SELECT DISTINCT ?source WHERE {
  ?source a cg:SourceDocument .
  FILTER NOT EXISTS { ?source cg:localPath ?path }
} ORDER BY ?source"""
# Asked per source with the source bound: as a FILTER EXISTS over every source it
# cost 2.3 s at 100k triples (Oxigraph starts from every quote).
_HAS_QUOTES = "ASK { ?fact cg:source ?source ; cg:quote ?quote }"

_QUOTES = "SELECT ?g ?fact ?quote ?source WHERE { GRAPH ?g { ?fact cg:source ?source ; cg:quote ?quote } }"


class Unstated(NamedTuple):
    """A fact whose quote does not say what the fact says (see :func:`unstated_sides`)."""

    graph: str
    fact: str
    message: str
    #: ``credit``, ``membership``, ``claim`` or ``attestation``
    kind: str = ""
    #: the quote that does not say it ("" when no quote of the fact does)
    quote: str = ""
    #: what the quote does not give: entity IRIs, ``value`` or ``date``
    missing: tuple[str, ...] = ()
    #: the fact's sides (entity IRIs), to tell which fact of a batch it is
    sides: tuple[str, ...] = ()


@dataclass
class QuoteCheck:
    """What :func:`check_quotes` found: ``problems`` fail validation,
    ``notes`` (sources that could not be checked) do not."""

    problems: list[Problem]
    notes: list[str]
    checked: int = 0
    warnings: list[str] = field(default_factory=list)
    #: every fact whose quotes do not state it (strict or not), for a writer to name it in its terms
    unstated: list[Unstated] = field(default_factory=list)
    #: the sources whose local copy was read (CURIE -> how many of their quotes were checked against it)
    read: dict[str, int] = field(default_factory=dict)

    def report_into(self, notes: list[str] | None, warnings: list[str] | None,
                    counts: dict[str, int] | None, unstated: list[Unstated] | None = None) -> None:
        """Add what was found to a build's ``notes``, ``warnings`` and ``unstated``, and set
        ``counts["quotes"]`` (and ``counts["quotes:<source>"]`` for each source whose copy was read,
        see :func:`quotes_read`), each where it is given."""
        if notes is not None:
            notes.extend(self.notes)
        if warnings is not None:
            warnings.extend(self.warnings)
        if unstated is not None:
            unstated.extend(self.unstated)
        if counts is not None:
            counts["quotes"] = self.checked
            counts.update({f"quotes:{source}": n for source, n in self.read.items()})


def quotes_read(counts: dict[str, int]) -> dict[str, int]:
    """The sources whose local copy a build read, with how many quotes each had checked, from the
    ``counts`` :meth:`QuoteCheck.report_into` filled.

    >>> quotes_read({"quotes": 5, "quotes:source:a": 4, "quotes:source:b": 1, "triples": 9})
    {'source:a': 4, 'source:b': 1}
    """
    return {k.removeprefix("quotes:"): n for k, n in counts.items() if k.startswith("quotes:")}


#: How every note on a source whose quotes could not be checked ends.
UNCHECKED = "its quotes are not checked"


def unchecked_notes(notes: Iterable[str]) -> list[str]:
    """The notes among ``notes`` that say a source's quotes were not checked: an
    incremental build carries them for the sources it does not read again.

    >>> unchecked_notes(["a.ttl: states no triples", "source:x: has no cg:localPath; its quotes are not checked"])
    ['source:x: has no cg:localPath; its quotes are not checked']
    """
    return [n for n in notes if n.endswith(UNCHECKED)]


def allowed_roots(graph_dir: str | Path) -> list[Path]:
    """The folders a ``cg:localPath`` may point into: the graph directory,
    ``sources/`` beside it, and the shared folder's ``sources/`` beside the
    repository (``graph/../../shared/sources``, where the bundled article's
    copy is kept), each with its links resolved.

    >>> [p.name for p in allowed_roots("graph")]
    ['graph', 'sources', 'sources']
    """
    graph_dir = Path(graph_dir).resolve()
    return [graph_dir, graph_dir.parent / "sources", graph_dir.parent.parent / "shared" / "sources"]


def _outside(path: Path, roots: list[Path]) -> bool:
    target = path.resolve()
    return not any(target.is_relative_to(root.resolve()) for root in roots)


def check_quotes(store: Store, *, file_of_graph: dict[str, str],
                 path_of_graph: dict[str, Path], roots: list[Path] | None = None,
                 strict: bool = False, sources: Iterable[str] | None = None) -> QuoteCheck:
    """Check the quotes of every source with a local copy against it.

    :param file_of_graph: named graph -> the source file as shown to people.
    :param path_of_graph: named graph -> the source file on disk, for
        resolving relative ``cg:localPath`` values.
    :param roots: the folders a copy may lie in (links resolved); a
        ``cg:localPath`` outside them is a problem and is not read. ``None``:
        anywhere.
    :param strict: a source whose quotes cannot be checked (no local copy, or
        its copy missing) and a quote that does not state its fact are
        problems, not notes and warnings.
    :returns: problems (one per missing quote, wrong checksum, unreadable
        copy), notes (one per source with no local copy) and warnings (one
        per fact whose quotes do not state it).
    :param sources: check only these sources (IRIs; an incremental build
        passes those its changed files declare or cite); ``None``: every source.
    """
    problems: list[Problem] = []
    notes: list[str] = []
    warnings: list[str] = []
    unstated: list[Unstated] = []
    checked = 0
    read: dict[str, int] = {}
    copies: dict[str, list[tuple[str, str, str | None]]] = {}
    wanted = None if sources is None else sorted(set(sources))
    if wanted == []:
        return QuoteCheck([], [], 0, [])
    # IRIs written (escaped) by pyoxigraph
    only = "" if wanted is None else f"VALUES ?source {{ {' '.join(str(ox.NamedNode(x)) for x in wanted)} }}"
    for row in store.select(_COPIES.replace("WHERE {", "WHERE { " + only, 1)):
        g = row["g"].value
        if g not in path_of_graph:
            continue
        sha = lexical(row["sha"])
        copies.setdefault(row["source"].value, []).append((g, row["path"].value, sha))

    for source, declared in sorted(copies.items()):
        g, path, sha = declared[0]
        declaring = file_of_graph.get(g, g)
        copy = (path_of_graph[g].parent / path)
        shown = _shown(copy)
        if roots is not None and _outside(copy, roots):
            problems.append(Problem(declaring, curie(source), RULE,
                                    f"cg:localPath {path!r} resolves outside the graph directory and its sources "
                                    "folders; not read (--allow-outside reads it)"))
            continue
        try:
            raw = copy.read_bytes()
        except OSError:
            message = (f"its local copy is missing: {declaring} gives cg:localPath "
                       f"{path!r}, which is {copy.resolve()}; {UNCHECKED}")
            if strict:
                problems.append(Problem(declaring, curie(source), RULE,
                                        f"its local copy is missing: cg:localPath {path!r} is {copy.resolve()}; "
                                        "its quotes cannot be checked (--strict)"))
            else:
                notes.append(f"{curie(source)}: {message}")
            continue
        if sha is not None and hashlib.sha256(raw).hexdigest() != sha:
            problems.append(Problem(declaring, curie(source), RULE,
                                    f"{shown} does not match cg:sha256: not the copy that was quoted"))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(declaring, curie(source), RULE, f"{shown} is not UTF-8 text ({exc.reason})"))
            continue
        read.setdefault(curie(source), 0)
        for row in store.select(_QUOTES, source=_iri(source)):
            quote = row["quote"].value
            checked += 1
            read[curie(source)] += 1
            if quote not in text:
                fact_graph = row["g"].value
                problems.append(Problem(file_of_graph.get(fact_graph, fact_graph), curie(row["fact"].value), RULE,
                                        f"quote not found verbatim in {shown}: {_short(quote)!r}"))
        for said in unstated_sides(store, source, text):
            unstated.append(said)
            g_fact, fact, message = said.graph, said.fact, said.message
            shown_file = file_of_graph.get(g_fact, g_fact)
            if strict:
                problems.append(Problem(shown_file, curie(fact), STATES, message))
            else:
                warnings.append(f"{shown_file}: {curie(fact)}: {message}")

    for row in store.select(_UNCOPIED.replace("WHERE {", "WHERE { " + only, 1)):
        source = row["source"].value
        if source not in copies and store.query(_HAS_QUOTES, {"source": _iri(source)}):
            message = ("has no cg:localPath (no copy of the source to check its "
                       f"quotes against); {UNCHECKED}")
            if strict:
                problems.append(Problem(_declaring(store, source, file_of_graph), curie(source), RULE,
                                        message + " (--strict)"))
            else:
                notes.append(f"{curie(source)}: {message}")
    return QuoteCheck(sorted(set(problems), key=lambda p: (p.file, p.focus, p.message)), notes, checked,
                      sorted(warnings), unstated, {s: n for s, n in sorted(read.items()) if n})


def unstated_sides(store: Store, source: str, text: str | None = None) -> list[Unstated]:
    """The facts citing ``source`` whose quotes do not say what the fact
    says, as :class:`Unstated` (graph, fact, message, and what is missing), one
    per failing quote or side:

    - a credit or membership: every quote names both sides, and its date (of a
      credit, or the start or end of a membership) is given by a quote as the
      source writes it (:func:`date_forms`), unless marked ``cg:editorsInference``;
    - a claim: every quote names the subject or the value, and together they
      name both (a literal value as the source writes it, a concept by its
      label, an outside identifier such as ``wd:Q20145`` by its id; a
      ``cg:note`` is the editors' words, and a value marked
      ``cg:editorsInference`` their reading, so only the subject is checked);
    - an attestation: every ``cg:name`` and ``cg:mentionedAs`` is in one of
      its quotes, and every quote names the entity.

    An entity is named by a label, an alias or an attested name, as whole
    words and as written, or by words an attestation of the same source
    declares for it (``cg:mentionedAs``) where the attestation's quote writes
    them: the same occurrence in the source's ``text`` (a fact may quote another
    fragment of that sentence), or without ``text`` that very quote ("the video"
    is Night Bus where the article's sentence says so, not in every sentence of
    the article). A name found only inside a name of
    the fact's other side does not count ("IU" in "IU's Palette").

    >>> from collabgraph.store.local import Store
    >>> store = Store.memory()
    >>> store.load_data(\'\'\'@prefix cg: <https://w3id.org/collabgraph/ns#> .
    ...   @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   <https://e/a> rdfs:label "Ann" . <https://e/w> rdfs:label "Song" .
    ...   <https://e/c1> a cg:Credit ; cg:source <https://e/doc> ; cg:agent <https://e/a> ; cg:work <https://e/w> ;
    ...       cg:quote "Ann sang Song" .
    ...   <https://e/c2> a cg:Credit ; cg:source <https://e/doc> ; cg:agent <https://e/a> ; cg:work <https://e/w> ;
    ...       cg:quote "Ann was there" .\'\'\', "turtle", graph="https://g/a")
    12
    >>> [(u.fact, u.message, u.missing) for u in unstated_sides(store, "https://e/doc")]
    [('https://e/c2', "quote does not name both https://e/a and https://e/w: 'Ann was there'", ('https://e/w',))]
    """
    src = {"source": _iri(source)}
    quotes: dict[str, list[str]] = {}
    graph_of: dict[str, str] = {}
    for row in store.select(_Q_QUOTES, **src):
        quotes.setdefault(row["fact"].value, []).append(row["quote"].value)
        graph_of[row["fact"].value] = row["g"].value
    m = _Mentions(store, source, text)
    out: list[Unstated] = []

    def fail(fact: str, why: str, kind: str, quote: str = "", missing: tuple[str, ...] = (),
             sides: tuple[str, ...] = ()) -> None:
        out.append(Unstated(graph_of[fact], fact, why, kind, quote, missing, sides))

    for row in store.select(_Q_PAIRS, **src):
        fact, a, b = row["fact"].value, row["a"].value, row["b"].value
        kind = "credit" if row["kind"].value.endswith("#Credit") else "membership"
        for q in quotes.get(fact, []):
            absent = tuple(x for x, other in ((a, b), (b, a)) if not m.mentioned(x, q, other))
            if absent:
                fail(fact, f"quote does not name both {curie(a)} and {curie(b)}: {_short(q)!r}", kind, q, absent,
                     (a, b))
    for row in store.select(_Q_DATES, **src):
        # a date the sentence does not write ("was directed by X" with 2019 on it) is not the source's,
        # unless the editors marked how they worked it out ("on Friday")
        fact, d = row["fact"].value, row["d"]
        forms = date_forms(d.value, d.datatype.value)
        if fact in quotes and forms and row["why"] is None and not any(f in q for q in quotes[fact] for f in forms):
            fail(fact, f"no quote gives the date {d.value}", "credit" if row["kind"].value.endswith("#Credit")
                 else "membership", quotes[fact][0], ("date",), (row["a"].value, row["b"].value))

    concepts: dict[str, set[str]] = {}
    for row in store.select(_Q_CONCEPTS, **src):
        concepts.setdefault(row["c"].value, set()).add(row["l"].value.lower())
    entities = {row["v"].value for row in store.select(_Q_ENTITY_VALUES, **src)}
    for row in store.select(_Q_CLAIMS, **src):
        fact, s, v = row["fact"].value, row["s"].value, row["v"]
        says_value = _value_test(m, s, v, row["p"].value, entities, concepts)
        said_subject = said_value = False
        for q in quotes.get(fact, []):
            sub, val = m.mentioned(s, q, v.value), bool(says_value and says_value(q))
            said_subject, said_value = said_subject or sub, said_value or val
            if not (sub or val):
                fail(fact, f"quote names neither {curie(s)} nor the value: {_short(q)!r}", "claim", q,
                     (s, "value"), (s,))
        if fact in quotes and not said_subject:
            fail(fact, f"no quote names {curie(s)}", "claim", quotes[fact][0], (s,), (s,))
        # a value the editors worked out ("on Friday" -> 2026-03-06) is their reading, marked with
        # its reason (cg:editorsInference): the quotes must still name the subject
        if fact in quotes and says_value and not said_value and row["why"] is None:
            fail(fact, f"no quote gives the value {curie(v.value)}", "claim", quotes[fact][0], ("value",), (s,))

    attested: dict[str, set[str]] = {}
    for row in store.select(_Q_ATTESTED, **src):
        attested.setdefault(row["fact"].value, set()).add(row["e"].value)
    for row in store.select(_Q_ATTESTED_NAMES, **src):
        fact, name = row["fact"].value, row["n"].value
        if fact in quotes and not any(_words(name).search(q) for q in quotes[fact]):
            fail(fact, f"{name!r} is in none of its quotes", "attestation", quotes[fact][0],
                 tuple(sorted(attested.get(fact, ()))), tuple(sorted(attested.get(fact, ()))))
    for fact, es in attested.items():
        for q in quotes.get(fact, []):
            if not any(m.mentioned(e, q) for e in es):
                fail(fact, f"quote names none of {sorted(curie(e) for e in es)}: {_short(q)!r}", "attestation", q,
                     tuple(sorted(es)), tuple(sorted(es)))
    return sorted(set(out))


_Q_QUOTES = "SELECT ?g ?fact ?quote WHERE { GRAPH ?g { ?fact cg:source ?source ; cg:quote ?quote } }"
_Q_PAIRS = """SELECT ?fact ?kind ?a ?b WHERE { ?fact cg:source ?source .
  { ?fact a cg:Credit, ?kind ; cg:agent ?a ; cg:work ?b FILTER(?kind = cg:Credit) }
  UNION { ?fact a cg:Membership, ?kind ; cg:member ?a ; cg:group ?b FILTER(?kind = cg:Membership) } }"""
_Q_DATES = """SELECT ?fact ?kind ?a ?b ?d ?why WHERE { ?fact cg:source ?source .
  { ?fact a cg:Credit, ?kind ; cg:agent ?a ; cg:work ?b ; cg:date ?d FILTER(?kind = cg:Credit) }
  UNION { ?fact a cg:Membership, ?kind ; cg:member ?a ; cg:group ?b ; cg:startDate|cg:endDate ?d
          FILTER(?kind = cg:Membership) }
  OPTIONAL { ?fact cg:editorsInference ?why } }"""
_Q_CLAIMS = """SELECT ?fact ?s ?p ?v ?why WHERE {
  ?fact a cg:Claim ; cg:source ?source ; cg:about ?s ; cg:property ?p ; cg:value ?v
  OPTIONAL { ?fact cg:editorsInference ?why } }"""
_Q_CONCEPTS = """SELECT DISTINCT ?c ?l WHERE {
  ?fact cg:source ?source ; cg:value ?c . ?c a skos:Concept ; skos:prefLabel|skos:altLabel ?l }"""
_Q_ENTITY_VALUES = """SELECT DISTINCT ?v WHERE {
  ?fact cg:source ?source ; cg:value ?v . ?v a ?t . ?t rdfs:subClassOf* cg:Entity }"""
_Q_ATTESTED = "SELECT ?fact ?e WHERE { ?fact a cg:Attestation ; cg:source ?source ; cg:attests ?e }"
_Q_ATTESTED_NAMES = """SELECT ?fact ?n WHERE {
  ?fact a cg:Attestation ; cg:source ?source ; cg:name|cg:mentionedAs ?n }"""
# The names of every entity a fact of ?source involves, from anywhere in the
# graph; and the descriptions ?source itself declares for them.
_Q_NAMES = """SELECT DISTINCT ?e ?n WHERE {
  VALUES ?link { cg:agent cg:work cg:member cg:group cg:about cg:value cg:attests }
  ?fact cg:source ?source ; ?link ?e .
  { ?e rdfs:label|skos:altLabel ?n } UNION { ?att cg:attests ?e ; cg:name ?n } }"""
# A description counts in the sentences its attestation quotes, never in the rest of the source.
_Q_DESCRIBED = "SELECT ?e ?d ?q WHERE { ?att cg:attests ?e ; cg:source ?source ; cg:mentionedAs ?d ; cg:quote ?q }"


class _Mentions:
    """How a quote of one source may refer to an entity (see :func:`unstated_sides`).

    A description (``cg:mentionedAs``) counts where the passage its attestation quotes
    writes it: with the source's ``text``, the same occurrence of the words in the text,
    whichever fragment of the sentence a fact quotes; without it, in the attestation's
    own quotes. Never in the rest of the source."""

    def __init__(self, store: Store, source: str, text: str | None = None):
        self.text = text
        self.names: dict[str, set[str]] = {}
        self.described: dict[str, dict[str, set]] = {}  # entity -> words -> offsets in text (or quotes)
        for row in store.select(_Q_NAMES, source=_iri(source)):
            self.names.setdefault(row["e"].value, set()).add(row["n"].value)
        for row in store.select(_Q_DESCRIBED, source=_iri(source)):
            words, quote = row["d"].value, row["q"].value
            where = self.described.setdefault(row["e"].value, {}).setdefault(words, set())
            if text is None:
                where.add(quote)
            else:
                where.update(at + hit.start() for at in self._at(quote) for hit in _words(words).finditer(quote))

    def _at(self, quote: str) -> list[int]:
        """Where ``quote`` is in the text (every place)."""
        import re

        return [m.start() for m in re.finditer(re.escape(quote), self.text or "")]

    def _declared(self, entity: str, words: str, quote: str, start: int) -> bool:
        where = self.described.get(entity, {}).get(words, set())
        if self.text is None:
            return quote in where
        return any(at + start in where for at in self._at(quote))

    def spans(self, entity: str, quote: str, *, names_only: bool = False) -> list[tuple[int, int]]:
        out = [hit.span() for w in self.names.get(entity, set()) for hit in _words(w).finditer(quote)]
        if not names_only:
            # "the video" stands for Night Bus only where a sentence the attestation quotes says it
            out += [hit.span() for w in self.described.get(entity, {}) for hit in _words(w).finditer(quote)
                    if self._declared(entity, w, quote, hit.start())]
        return out

    def mentioned(self, entity: str, quote: str, other: str | None = None) -> bool:
        inside = self.spans(other, quote, names_only=True) if other else []
        return any(not any(a <= s and e <= b and (s, e) != (a, b) for a, b in inside)
                   for s, e in self.spans(entity, quote))


def _words(text: str):
    """``text`` as whole words ("V" is not in "video").

    >>> bool(_words("V").search("BTS' Taehyung, aka V")), bool(_words("V").search("a new video"))
    (True, False)
    """
    import re

    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")


def _value_test(m: _Mentions, subject: str, value, prop: str, entities: set[str], concepts: dict[str, set[str]]):
    """A test of whether a quote gives a claim's value, or ``None`` when the
    value is the editors' words (a ``cg:note``, a typed literal of no
    written form)."""
    import pyoxigraph as ox

    v = value.value
    if v in entities:
        return lambda q: m.mentioned(v, q, subject)
    if v in concepts:
        return lambda q: any(_words(label).search(q.lower()) for label in concepts[v])
    if prop.endswith("#note"):
        return None
    if isinstance(value, ox.Literal):
        shown = _literal_shown(v, value.datatype.value)
        return (lambda q: shown in q) if shown else None
    local = v.rstrip("/").rsplit("/", 1)[-1]  # an outside identifier, such as a Wikidata item
    return lambda q: local in q


def date_forms(value: str, datatype: str) -> tuple[str, ...]:
    """The ways an English source writes a date (the ISO form too); ``()`` for a
    value that is not a date.

    >>> date_forms("2024-01-24", "http://www.w3.org/2001/XMLSchema#date")
    ('January 24, 2024', '24 January 2024', '2024-01-24')
    >>> date_forms("2016", "http://www.w3.org/2001/XMLSchema#gYear")
    ('2016',)
    """
    try:
        if datatype.endswith("#date"):
            y, mo, d = value.split("-")
            month = _MONTHS[int(mo) - 1]
            return f"{month} {int(d)}, {y}", f"{int(d)} {month} {y}", value
        if datatype.endswith("#gYearMonth"):
            y, mo = value.split("-")
            return f"{_MONTHS[int(mo) - 1]} {y}", value
        if datatype.endswith("#gYear"):
            return (value,)
        if datatype.endswith("#gMonthDay"):
            _, _, mo, d = value.split("-")
            month = _MONTHS[int(mo) - 1]
            return f"{month} {int(d)}", f"{int(d)} {month}"
    except (ValueError, IndexError):
        return ()
    return ()


def _literal_shown(value: str, datatype: str) -> str | None:
    """How an English source writes a literal value, or ``None`` if it has no one way.

    >>> _literal_shown("2024-01-28", "http://www.w3.org/2001/XMLSchema#date")
    'January 28, 2024'
    """
    if datatype.endswith("#date"):
        y, mo, d = value.split("-")
        return f"{_MONTHS[int(mo) - 1]} {int(d)}, {y}"
    if datatype.endswith("#gMonthDay"):
        _, _, mo, d = value.split("-")
        return f"{_MONTHS[int(mo) - 1]} {int(d)}"
    if datatype.endswith(("#gYear", "#integer", "#string")):
        return value
    return None


def _declaring(store: Store, source: str, file_of_graph: dict[str, str]) -> str:
    """The file that states ``source`` is a cg:SourceDocument (for messages)."""
    for row in store.select("SELECT ?g WHERE { GRAPH ?g { ?source a cg:SourceDocument } }", source=_iri(source)):
        return file_of_graph.get(row["g"].value, row["g"].value)
    return curie(source)


def _iri(value: str):
    from rdflib import URIRef

    return URIRef(value)


def _short(quote: str, limit: int = 80) -> str:
    return quote if len(quote) <= limit else quote[:limit - 1] + "…"


def _shown(path: Path) -> str:
    """A path relative to the working directory when inside it, else absolute."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)

