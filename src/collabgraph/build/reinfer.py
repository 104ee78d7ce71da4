"""Re-inference by the change (issue 23): an incremental build corrects
``graph:inferred`` by what the changed files' facts derive, never by what a
whole entity touches.

The rules are not recursive (they read the source graphs and the ontology,
never ``graph:inferred``), and each derives from facts inside ``GRAPH ?g``
blocks. So a derived triple can have changed only if a derivation of it used
a fact of a changed graph: the rules are run with their graph variables set
to the changed graphs (``?g``, or ``?g1`` then ``?g2``), in the previous
build for the graphs as they were and in the new store for the graphs as they
are, selecting their *keys* (the template's variables that every solution
binds and no ``BIND`` computes: ``?agent ?work`` of rule 10, ``?a ?b`` of
rule 40, ``?agent ?work ?credit`` of rule 50). Every derived triple comes
from one key row, so the rules bound to those rows, on each side, give
everything the change can have altered, as it was and as it is (``old`` and
``new``). What ``old`` has and ``new`` has not goes, unless another rule, or
another row of the same rule, still derives it (checked by binding the rules
to what each such triple names); what ``new`` has comes in. The cost follows
the change and the neighbourhood of the facts it touches: a person credited on
a work of 400 credits re-derives that work's pairs with the person, not
every pair of the work nor everything with the same value (an occupation
claim ``cg:occupation cg:Actor`` bound the rule to every actor of the graph
before this change).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from ..core.namespaces import INFERRED_GRAPH, PREFIXES
from ..core.queries import rule_construct, rule_texts
from ..core.sparqltext import tokens, where_brace
from ..store.local import Store

__all__ = ["reinfer", "Rule", "rules"]

#: Rows given to the engine in one VALUES block (a long block costs the parser stack).
BATCH = 200
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Rule:
    """One inference rule read for re-inference: its CONSTRUCT form, where
    its WHERE group opens, its keys, its graph variables and its template's
    triple patterns (terms as ``?var`` or an IRI)."""
    name: str
    construct: str
    at: int
    keys: tuple[str, ...]
    graph_vars: tuple[str, ...]
    graph_keys: tuple[tuple[str, str], ...]
    patterns: tuple[tuple[str, str, str], ...]


def rules() -> list[Rule] | None:
    """The inference rules read for re-inference, or ``None`` when one has
    another form than ``INSERT { GRAPH graph:inferred { T } } WHERE { P }``
    with its facts in ``GRAPH ?var`` blocks (a full build then).

    >>> [(r.name, r.keys, r.graph_keys) for r in rules() if r.name in ("40-collaborations", "50-marked-credited-on")]
    [('40-collaborations', ('a', 'b'), (('g1', 'a'), ('g2', 'b'))), ('50-marked-credited-on', ('agent', 'credit', 'work'), (('g', 'agent'),))]
    """
    out = []
    for name, text in rule_texts():
        construct = rule_construct(text)
        if construct is None:
            return None
        at = where_brace(construct)
        if at is None:
            return None
        toks = [t for t in tokens(construct) if t[0] not in ("ws", "comment")]
        where = [t for t in toks if t[2] >= at]
        graph_vars = tuple(dict.fromkeys(
            b[1][1:] for a, b in zip(where, where[1:]) if a[0] == "word" and a[1].upper() == "GRAPH" and b[0] == "var"))
        computed = {b[1] for a, b in zip(where, where[1:]) if a[0] == "word" and a[1].upper() == "AS" and b[0] == "var"}
        patterns = _template_patterns(construct[construct.index("{") + 1:construct.rindex("}", 0, at)])
        variables = {t[1:] for p in patterns for t in p if t.startswith("?")}
        keys = tuple(sorted(v for v in variables if "?" + v not in computed and _spots(where, 0, "?" + v)))
        graph_keys = tuple((g, _block_key(where, g, keys)) for g in graph_vars)
        if not graph_vars or not keys or not all(k for _, k in graph_keys):
            return None
        out.append(Rule(name, construct, at, keys, graph_vars, graph_keys, patterns))
    return out


def _block_key(where: list[tuple[str, str, int]], graph_var: str, keys: tuple[str, ...]) -> str:
    """A key that the first ``GRAPH ?graph_var { ... }`` block names, other
    than the subject its patterns start with (a fact, maybe a blank node):
    an entity, which the changed graph names too (a blank one makes the build
    a full one, see :func:`collabgraph.build.incremental.incremental_build`)."""
    for i, (kind, word, _) in enumerate(where[:-1]):
        if kind == "word" and word.upper() == "GRAPH" and where[i + 1][1] == "?" + graph_var:
            inner = [w[1:] for k, w, _ in where[i + 2:_closing(where, i + 2)] if k == "var"]
            return next((v for v in inner[1:] if v in keys and v != inner[0]), "")
    return ""


def _template_patterns(template: str) -> tuple[tuple[str, str, str], ...]:
    """The triple patterns of a CONSTRUCT template (``;`` and ``,`` lists
    spelled out; variables as ``?name``, IRIs and prefixed names expanded).

    >>> _template_patterns("?s a rdf:Statement ; cg:x ?a, ?b . ?b cg:y <https://z>")[1:]
    (('?s', 'https://w3id.org/collabgraph/ns#x', '?a'), ('?s', 'https://w3id.org/collabgraph/ns#x', '?b'), ('?b', 'https://w3id.org/collabgraph/ns#y', 'https://z'))
    """
    toks = list(tokens(template))
    terms: list[str] = []
    for i, (kind, _word, offset) in enumerate(toks):
        if kind in ("ws", "comment"):
            continue
        full = template[offset:toks[i + 1][2] if i + 1 < len(toks) else len(template)].strip()
        if kind == "var":
            terms.append("?" + full[1:])
        elif kind == "iri":
            terms.append(full[1:-1])
        elif kind == "pname":
            prefix, local = full.split(":", 1)
            terms.append(PREFIXES[prefix] + local)
        elif kind == "word" and full == "a":
            terms.append(_RDF_TYPE)
        elif full in (";", ",", "."):
            terms.append(full)
        else:
            raise ValueError(f"a rule template term this reader does not know: {full}")
    out, subject, predicate, expect = [], "", "", "s"
    for term in terms + ["."]:
        if term == ".":
            expect = "s"
        elif term == ";":
            expect = "p"
        elif term == ",":
            expect = "o"
        elif expect == "s":
            subject, expect = term, "p"
        elif expect == "p":
            predicate, expect = term, "o"
        else:
            out.append((subject, predicate, term))
    return tuple(out)


def _with_graph(rule: Rule, var: str, graph: str) -> str:
    """The rule's WHERE group with the graph variable ``var`` set to ``graph``."""
    where = rule.construct[rule.at:]
    pieces, last = [], 0
    for kind, word, offset in tokens(where):
        if kind == "var" and word[1:] == var:
            pieces += [where[last:offset], str(ox.NamedNode(graph))]
            last = offset + len(word)
    return "".join(pieces) + where[last:]


def _key_rows(side: Store, rule: Rule, terms: dict[str, set[str]]) -> set[tuple]:
    """The rule's key rows from the facts of the graphs ``terms`` names in
    ``side``, each with its IRIs. A key the graph's block names is bound to
    those IRIs as well: with the graph alone the engine joined the block
    with every credit of the other graphs (rule 54 took 40 s at 1M)."""
    rows: set[tuple] = set()
    head = "SELECT DISTINCT " + " ".join("?" + k for k in rule.keys) + " "
    for var, key in rule.graph_keys:
        for g, iris in terms.items():
            ordered = sorted(iris)
            text = head + _with_graph(rule, var, g)
            at = text.index("{")
            for start in range(0, len(ordered), BATCH):
                values = f"VALUES ?{key} {{ {' '.join(str(ox.NamedNode(t)) for t in ordered[start:start + BATCH])} }}"
                rows |= {tuple(r[k] for k in rule.keys) for r in side.select(_bound(text, at, key, values))}
    return rows


def _derived(side: Store, rule: Rule, rows: set[tuple]) -> set[ox.Triple]:
    """What ``rule`` derives in ``side`` bound to the key ``rows`` (a blank
    node or a missing value in a row leaves its key unbound: more is
    derived, never less). Rows are grouped by the keys they bind, so that
    no VALUES block holds UNDEF (the engine then cannot look the rows up)."""
    by_keys: dict[tuple[str, ...], set[tuple]] = defaultdict(set)
    for row in rows:
        bound = tuple((k, v) for k, v in zip(rule.keys, row) if v is not None and not isinstance(v, ox.BlankNode))
        if bound:
            by_keys[tuple(k for k, _ in bound)].add(tuple(v for _, v in bound))
    found: set[ox.Triple] = set()
    for keys, values in by_keys.items():
        ordered = sorted(values, key=str)
        for start in range(0, len(ordered), BATCH):
            block = "VALUES (" + " ".join("?" + k for k in keys) + ") { " + " ".join(
                "(" + " ".join(str(v) for v in row) + ")" for row in ordered[start:start + BATCH]) + " }"
            text = _bound(rule.construct, rule.at, keys[0], block)
            found |= set(side.query(text))
    return found


def _unified(rule: Rule, triples: set[ox.Triple]) -> set[tuple]:
    """Key rows (``None`` where unbound) naming what each of ``triples``
    binds in a template pattern of ``rule`` it matches; none for a pattern
    that binds no key (its statement's other triples name one)."""
    rows: set[tuple] = set()
    for t in triples:
        for pattern in rule.patterns:
            binding: dict[str, object] = {}
            for term, value in zip(pattern, (t.subject, t.predicate, t.object)):
                if term.startswith("?"):
                    if binding.setdefault(term[1:], value) != value:
                        break
                elif not isinstance(value, ox.NamedNode) or value.value != term:
                    break
            else:
                row = tuple(binding.get(k) for k in rule.keys)
                if any(v is not None for v in row):
                    rows.add(row)
    return rows


def reinfer(before: Store, store: Store, read: list[Rule], *, touched: dict[str, set[str]],
            changed: dict[str, set[str]]) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """Make ``graph:inferred`` of ``store`` what the rules ``read`` derive from
    it, where the change can have altered it (see the module's text):
    ``touched`` maps the graphs of the previous build (``before``) that changed
    or went to their IRIs (subjects and objects), ``changed`` the graphs of
    ``store`` that are new or changed to theirs. The
    store's default graph (the union) is corrected by the same delta.

    :returns: the inferred quads removed and added.
    """
    rows = {r.name: _key_rows(before, r, touched) | _key_rows(store, r, changed) for r in read}
    old = set().union(*(_derived(before, r, rows[r.name]) for r in read))
    new = set().union(*(_derived(store, r, rows[r.name]) for r in read))
    gone = old - new
    if gone:  # still derived from other facts (another rule, or another row of the same rule)?
        gone -= set().union(*(_derived(store, r, _unified(r, gone)) for r in read))
    graph = ox.NamedNode(str(INFERRED_GRAPH))
    removed, added = store.change_quads([ox.Quad(t.subject, t.predicate, t.object, graph) for t in gone],
                                        [ox.Quad(t.subject, t.predicate, t.object, graph) for t in new])
    return set(removed), set(added)


def _bound(text: str, at: int, var: str, values: str) -> str:
    """The rule ``text`` (its WHERE brace at ``at``) with ``values`` binding ``?var``:
    inside the first required ``GRAPH ?g { ... }`` block or group of the WHERE
    that binds the variable (for a UNION, inside such a part of every branch),
    at the innermost level whose own patterns name it; else at the start of
    the WHERE. Oxigraph
    joins a VALUES block at the start of the WHERE with a graph block holding
    OPTIONALs, or with a UNION, by evaluating them over the whole graph: rule
    50 bound to 100 agents at 1M took over 50 s that way, 0.04 s with VALUES
    inside the block. Both are the same join, as the variable is in the
    block's required patterns (in each branch's, for a UNION).

    >>> rule = ("INSERT { ?a ?p ?b } WHERE { { GRAPH ?g { { ?c ?m ?x } UNION { ?c ?n ?x } ?c ?q ?a } } UNION "
    ...         "{ GRAPH ?h { ?d ?q ?a } } OPTIONAL { GRAPH ?g { ?c ?r ?a } } FILTER NOT EXISTS { ?a ?s ?b } }")
    >>> print(_bound(rule, rule.index("WHERE {") + 6, "a", "VALUES ?a { <x> }"))
    INSERT { ?a ?p ?b } WHERE { { GRAPH ?g { VALUES ?a { <x> } { ?c ?m ?x } UNION { ?c ?n ?x } ?c ?q ?a } } UNION { GRAPH ?h { VALUES ?a { <x> } ?d ?q ?a } } OPTIONAL { GRAPH ?g { ?c ?r ?a } } FILTER NOT EXISTS { ?a ?s ?b } }
    >>> print(_bound("INSERT { ?a ?p ?b } WHERE { ?a ?p ?b }", 26, "a", "VALUES ?a { <x> }"))
    INSERT { ?a ?p ?b } WHERE { VALUES ?a { <x> } ?a ?p ?b }
    """
    toks = [(kind, word, offset) for kind, word, offset in tokens(text) if offset >= at and kind not in ("ws", "comment")]
    spots = _spots(toks, 0, "?" + var) or [at]
    for offset in sorted(spots, reverse=True):
        text = text[:offset + 1] + " " + values + " " + text[offset + 1:]
    return text


def _closing(toks: list[tuple[str, str, int]], i: int) -> int:
    """Index of the ``}`` closing the ``{`` at ``toks[i]``."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j][0] == "other" and toks[j][1] == "{":
            depth += 1
        elif toks[j][0] == "other" and toks[j][1] == "}":
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced braces in a rule")


def _names_at_top(toks: list[tuple[str, str, int]], i: int, end: int, var: str) -> bool:
    """Whether ``var`` is in the group ``toks[i:end]``'s own patterns (not in a nested group or an expression)."""
    braces = parens = 0
    for kind, word, _ in toks[i + 1:end]:
        if kind == "other" and word in "{}()":
            braces += {"{": 1, "}": -1}.get(word, 0)
            parens += {"(": 1, ")": -1}.get(word, 0)
        elif kind == "var" and word == var and braces == 0 and parens == 0:
            return True
    return False


def _spots(toks: list[tuple[str, str, int]], i: int, var: str) -> list[int]:
    """Offsets of the ``{`` after which a VALUES block binds ``var`` for every
    solution of the group opening at ``toks[i]`` (see :func:`_bound`): inside
    the first required graph block or group that binds it (in every branch of
    a UNION), else at the group's own start when its own patterns name it;
    none when it is not bound for every solution."""
    end, j, guarded = _closing(toks, i), i + 1, False
    while j < end:
        kind, word, _ = toks[j]
        if kind == "word" and word.upper() in ("OPTIONAL", "MINUS", "EXISTS", "VALUES", "SERVICE"):
            guarded = True  # the group that follows is not required (or not ours to bind)
        elif kind == "word" and word.upper() == "GRAPH":
            k = next(n for n in range(j, end) if toks[n][0] == "other" and toks[n][1] == "{")
            close = _closing(toks, k)
            if not guarded:
                inner = _spots(toks, k, var)
                if inner:
                    return inner
            guarded, j = False, close
        elif kind == "other" and word == "{":
            close = _closing(toks, j)
            if guarded:
                guarded, j = False, close
            else:
                branches = [j]
                while close + 2 < end and toks[close + 1][1].upper() == "UNION" and toks[close + 2][1] == "{":
                    branches.append(close + 2)
                    close = _closing(toks, close + 2)
                found = [_spots(toks, b, var) for b in branches]
                if all(found):
                    return [offset for spots in found for offset in spots]
                j = close
        j += 1
    return [toks[i][2]] if _names_at_top(toks, i, end, var) else []


