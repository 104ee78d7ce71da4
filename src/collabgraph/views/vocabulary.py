"""The terms a query names that the graph does not know, with the nearest
ones it does: what an empty answer most often comes from (``cg:memberof``
for ``cg:memberOf``).

Only vocabulary is checked: properties, classes and roles, in the namespaces
of the ontology (``cg:``, ``role:``, ``rdfs:``, ``schema:`` ...). Entities,
facts and sources (``id:``, ``fact:``, ``source:``) are data: a query may
well ask about one that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..core.names import close_matches
from ..core.namespaces import GRAPH_IRI, PREFIXES, curie
from ..core.sparqltext import tokens
from .reader import Reader

__all__ = ["UnknownTerm", "unknown_terms", "literal_forms"]

#: Namespaces of data, not vocabulary: never checked.
_DATA = tuple(PREFIXES[p] for p in ("id", "fact", "source", "graph", "wd"))
_ONTOLOGY = GRAPH_IRI + "ontology"

_USED = "ASK { { ?t ?p ?o } UNION { ?s ?t ?o } UNION { ?s ?p ?t } }"
_DECLARED = f"""SELECT DISTINCT ?t WHERE {{ GRAPH <{_ONTOLOGY}> {{ {{ ?t ?p ?o }} UNION {{ ?s ?t ?o }} UNION {{ ?s ?p ?t }} }}
  FILTER(isIRI(?t) && STRSTARTS(STR(?t), ?ns)) }}"""


@dataclass(frozen=True)
class UnknownTerm:
    """A term of ``query`` that appears nowhere in the graph: ``term`` as
    written, its ``iri``, and the nearest terms of its namespace the
    ontology has (``suggestions``, best first; maybe none).

    ``namespace`` is set when the term is in the graph under another
    namespace than the query gave it: the query declared the prefix itself
    (``PREFIX schema: <http://schema.org/>``, where the graph's ``schema:``
    is ``https://schema.org/``), or wrote the IRI with the other scheme. It
    is ``(the namespace the query used, the graph's)``, and ``suggestions``
    holds the term as the graph has it."""

    term: str
    iri: str
    suggestions: tuple[str, ...]
    namespace: tuple[str, str] | None = None

    def message(self) -> str:
        """One line saying why the term finds nothing, and what to write instead."""
        if self.namespace is not None:
            used, graphs = self.namespace
            prefix = self.term.split(":", 1)[0]
            fix = (f" (leave out the query's PREFIX {prefix}: line: collabgraph declares it)"
                   if not self.term.startswith("<") and PREFIXES.get(prefix) == graphs else "")
            head = (f"{self.term} is nowhere in the graph" if self.term.startswith("<")
                    else f"{self.term} here is <{self.iri}>, nowhere in the graph")
            return (f"{head}; the graph has <{graphs}{self.iri[len(used):]}> ({self.suggestions[0]}): its "
                    f"namespace is <{graphs}>, not <{used}>{fix}")
        near = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        return f"{self.term} is nowhere in the graph{near}"


def _named_terms(query: str, declared: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """``(as written, IRI)`` for each IRI and prefixed name of ``query``,
    in order, once each; prefixes declared in the query are used first (and
    put in ``declared``, when given)."""
    found = [(kind, text, at) for kind, text, at in tokens(query) if kind not in ("ws", "comment")]
    ends = [at for _, _, at in found[1:]] + [len(query)]
    prefixes = dict(PREFIXES)
    if declared is None:
        declared = {}
    out: dict[str, str] = {}
    for i, (kind, text, at) in enumerate(found):
        written = query[at:ends[i]].rstrip()
        if kind == "pname" and i > 0 and found[i - 1][0] == "word" and found[i - 1][1].upper() == "PREFIX":
            if i + 1 < len(found) and found[i + 1][0] == "iri":
                prefixes[text] = declared[text] = found[i + 1][1][1:-1]
            continue
        if kind == "iri" and not (i > 0 and found[i - 1][0] == "pname" and i > 1
                                  and found[i - 2][1].upper() == "PREFIX"):
            out.setdefault(written, text[1:-1])
        elif kind == "pname" and text in prefixes and ":" in written:
            out.setdefault(written, prefixes[text] + written.split(":", 1)[1])
    return list(out.items())


def _graphs_namespace(reader: Reader, written: str, iri: str, ns: str,
                      declared: dict[str, str]) -> tuple[str, str] | None:
    """``(ns, the graph's namespace)`` when the term ``iri`` (in namespace
    ``ns``) is unknown but the graph uses its local name under the namespace
    collabgraph gives the prefix the query redeclared, or under ``ns`` with
    the other scheme (http/https): the usual slip with schema.org."""
    local = iri[len(ns):]
    others = []
    prefix = written.split(":", 1)[0] if ":" in written and not written.startswith("<") else None
    if prefix in declared and prefix in PREFIXES and PREFIXES[prefix] != ns:
        others.append(PREFIXES[prefix])
    for a, b in (("http://", "https://"), ("https://", "http://")):
        if ns.startswith(a):
            others.append(b + ns[len(a):])
    for other in others:
        try:
            node = ox.NamedNode(other + local)
        except ValueError:
            continue
        if reader.store.query(_USED, {"t": node}):
            return ns, other
    return None


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


def unknown_terms(reader: Reader, query: str, *, most: int = 2) -> list[UnknownTerm]:
    """The vocabulary terms ``query`` names that the graph holds nowhere (as
    subject, property or value), each with up to ``most`` close terms of
    the same namespace that the ontology has.

    >>> from collabgraph import CollabGraph
    >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
    >>> [(u.term, u.suggestions) for u in unknown_terms(kg.reader, "SELECT * WHERE { ?a cg:memberof ?g }", most=1)]
    [('cg:memberof', ('cg:memberOf',))]
    """
    out = []
    prefixes: dict[str, str] = {}
    for written, iri in _named_terms(query, prefixes):
        ns = _namespace(iri)
        if not ns or iri.startswith(_DATA):
            continue
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            continue
        if reader.store.query(_USED, {"t": node}):
            continue
        moved = _graphs_namespace(reader, written, iri, ns, prefixes)
        if moved is not None:
            out.append(UnknownTerm(written, iri, (curie(moved[1] + iri[len(ns):]),), moved))
            continue
        known = [row[0].value for row in reader.store.query(_DECLARED, {"ns": ox.Literal(ns)})]
        local = {k[len(ns):]: k for k in known if k[len(ns):]}
        close = close_matches(iri[len(ns):], local, limit=most)
        out.append(UnknownTerm(written, iri, tuple(curie(local[c]) for c, _ in close)))
    return out


_OTHER_FORMS = """SELECT DISTINCT ?form WHERE {
  ?s ?p ?form .
  FILTER(isLiteral(?form) && str(?form) = ?text && !sameTerm(?form, ?text))
} ORDER BY STR(LANG(?form)) STR(DATATYPE(?form)) LIMIT 3"""


def literal_forms(reader: Reader, text: str) -> list[str]:
    """The other forms in which the data holds the plain string ``text``: the
    same characters with a language tag or a datatype, written as in a query
    (``"교포머리"@ko``, ``"15"^^xsd:integer``); at most three. What a plain
    string bound to a query variable most often misses.

    >>> from collabgraph import CollabGraph
    >>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
    >>> literal_forms(kg.reader, "교포머리")
    ['"교포머리"@ko']
    """
    out = []
    for row in reader.store.select(_OTHER_FORMS, text=ox.Literal(text)):
        form = row["form"]
        suffix = f"@{form.language}" if form.language else f"^^{curie(form.datatype.value)}"
        out.append(f'"{form.value}"{suffix}')
    return out
