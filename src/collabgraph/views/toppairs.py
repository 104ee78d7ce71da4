"""The saved query ``top-collaborations`` from counts made once.

The saved query joins every credit with every other credit of its work, so
its cost grows with the square of a work's credits: over 120 s at 10M source
triples. The same answer comes from one grouped pass over the credits (per
work and agent: a role other than guest? a marked credit?) and the pairs
counted per work in Python; a build writes the pairs that can reach the top
rows to its ``cache/`` in the summary stage, and :func:`fast_text` turns them
into a query that only looks up their labels (a few milliseconds). The rows
are the saved query's rows: a test compares both forms. An upload to a SPARQL
server sends the same pairs with the build (:func:`pairs_triples`, in the graph
``TOP_PAIRS_GRAPH``), so a reader of the server without the build's directory
reads them from there (:func:`stored_pairs`) instead of counting over HTTP.

>>> from collabgraph import CollabGraph
>>> kg = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR)
>>> pairs = top_pairs(kg.store)
>>> pairs[0][2] >= pairs[-1][2]
True
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..core.durable import WriteFailed, write_atomic
from ..core.namespaces import ROLE_IRI, TOP_PAIRS_GRAPH
from ..store.local import Store, StoreLike

__all__ = ["top_pairs", "update_top_pairs", "counted_pairs", "save_top_pairs", "write_pairs", "fast_text",
           "pairs_triples", "stored_pairs", "cached_pairs", "PAIRS_FILE", "LIMIT"]

PAIRS_FILE = "top-collaborations.json"
LIMIT = 25  # the saved query's LIMIT
#: 2: only the tied pairs that can rank are kept; a file of version 1 (every tied pair) is counted again.
VERSION = 2
#: The most counted pairs given to the engine as one VALUES block (see :func:`fast_text`).
MAX_ROWS = 300

# Per work and agent (IRIs only: STR(?a) < STR(?b) leaves blank nodes out):
# has it a credit with a role other than guest (ng), a marked credit with such
# a role (mng), a marked credit at all (mg). A pair of agents is credited
# together on the work when one of them has a non-guest credit; the work is
# "marked" for the pair when a credit pair that counts has a marked side.
_PER_WORK = """
SELECT ?work ?agent (MAX(IF(?role = role:guest, 0, 1)) AS ?ng)
       (MAX(IF(?role != role:guest && BOUND(?mark), 1, 0)) AS ?mng) (MAX(IF(BOUND(?mark), 1, 0)) AS ?mg) WHERE {
  ?c a cg:Credit ; cg:agent ?agent ; cg:work ?work ; cg:role ?role .
  FILTER (isIRI(?agent))
  OPTIONAL { ?c cg:editorsInference|cg:claimedBy ?mark }
} GROUP BY ?work ?agent"""

_LABELS = """
SELECT DISTINCT ?a ?l WHERE { ?c cg:agent ?a . ?a rdfs:label ?l . FILTER (isIRI(?a) && LANG(?l) IN ("en", "")) }"""

# The saved query's projection, ordering and limit over the counted pairs.
_FAST = """SELECT ?a ?aLabel ?b ?bLabel ?works ?marked WHERE {
  VALUES (?a ?b ?works ?marked) { #PAIRS# }
  ?a rdfs:label ?aLabel . FILTER (LANG(?aLabel) IN ("en", ""))
  ?b rdfs:label ?bLabel . FILTER (LANG(?bLabel) IN ("en", ""))
}
ORDER BY DESC(?works) ?aLabel ?bLabel
LIMIT %d""" % LIMIT


def top_pairs(store: StoreLike, limit: int = LIMIT) -> list[tuple[str, str, int, int]]:
    """``(a, b, works, marked)`` for the pairs of labelled agents (``a < b`` by
    IRI) whose rows can be among the saved query's first ``limit`` rows.

    The rows are ordered by shared works, then by the two labels. Every pair
    with more works than the ``limit``-th pair is kept. Of the pairs tied with
    it, only those whose first row (their smallest labels) can still be among
    the first ``limit``: on a big graph thousands of pairs share one or two
    works, and keeping them all made the list too long to answer from.
    Labels are compared as the engine orders them, by code point."""
    per_work = _per_work(store, _PER_WORK)
    first_label = _first_labels(store, _LABELS)
    works, marked = _count(per_work, first_label)
    return _select(works, marked, first_label, limit)


def _per_work(store: StoreLike, query: str) -> dict[Any, list[tuple[str, bool, bool, bool]]]:
    per_work: dict[Any, list[tuple[str, bool, bool, bool]]] = defaultdict(list)
    for row in store.select(query):
        per_work[row["work"]].append((row["agent"].value, row["ng"].value != "0", row["mng"].value != "0",
                                      row["mg"].value != "0"))
    return per_work


def _first_labels(store: StoreLike, query: str) -> dict[str, str]:
    first_label: dict[str, str] = {}
    for row in store.select(query):
        a, label = row["a"].value, row["l"].value
        if a not in first_label or label < first_label[a]:
            first_label[a] = label
    return first_label


def _count(per_work, first_label: dict[str, str], only: set[str] | None = None) -> tuple[dict, dict]:
    """Shared works and marked shared works per pair of labelled agents
    (``a < b``); with ``only``, of the pairs with an agent in it."""
    works: dict[tuple[str, str], int] = defaultdict(int)
    marked: dict[tuple[str, str], int] = defaultdict(int)
    for agents in per_work.values():
        agents = sorted(a for a in agents if a[0] in first_label)
        for i, (a, ng_a, mng_a, mg_a) in enumerate(agents):
            for b, ng_b, mng_b, mg_b in agents[i + 1:]:
                if a == b or not (ng_a or ng_b) or (only is not None and a not in only and b not in only):
                    continue
                works[a, b] += 1
                if mng_a or mng_b or (mg_a and ng_b) or (mg_b and ng_a):
                    marked[a, b] += 1
    return works, marked


def _select(works: dict, marked: dict, first_label: dict[str, str], limit: int) -> list[tuple[str, str, int, int]]:
    """The pairs whose rows can be among the first ``limit`` (see :func:`top_pairs`)."""
    if not works:
        return []
    counts = sorted(works.values(), reverse=True)
    floor = counts[min(limit, len(counts)) - 1]
    above = [p for p, n in works.items() if n > floor]
    # Each pair gives at least one row, and the tied pairs' rows come after all of ``above``'s.
    need = max(0, limit - len(above))
    tied = sorted((p for p, n in works.items() if n == floor), key=lambda p: (first_label[p[0]], first_label[p[1]]))
    if need and len(tied) > need:
        last = (first_label[tied[need - 1][0]], first_label[tied[need - 1][1]])
        tied = [p for p in tied if (first_label[p[0]], first_label[p[1]]) <= last]
    elif not need:
        tied = []
    return sorted(((a, b, works[a, b], marked.get((a, b), 0)) for a, b in above + tied), key=lambda p: (-p[2], p[0], p[1]))


def update_top_pairs(previous: list[tuple[str, str, int, int]], before: StoreLike, after: StoreLike, *,
                     works: set[str], relabelled: set[str], limit: int = LIMIT) -> list[tuple[str, str, int, int]] | None:
    """The pairs of ``after`` (:func:`top_pairs`) from those ``previous``
    counted in ``before``, after a change of the credits of ``works`` and
    of the labels of ``relabelled`` only; ``None`` when that cannot be known
    without counting every pair again (a pair left out of ``previous`` may
    now rank: one of its pairs lost works, or fewer pairs are left).

    The agents whose row on one of ``works`` changed (credited, gone, or
    another role or mark) and the ``relabelled`` ones are counted again
    with every agent of every work they are credited on; every other pair
    kept its count, and one that ``previous`` left out ranks below its
    last pair, so it still does unless the new last pair ranks below that.
    """
    if not works and not relabelled:
        return list(previous)
    keys = "VALUES ?work { %s }" % " ".join(str(ox.NamedNode(w)) for w in sorted(works))
    rows = [{(w, a) for w, agents in _per_work(side, _PER_WORK.replace("WHERE {", "WHERE { " + keys, 1)).items()
             for a in agents} if works else set() for side in (before, after)]
    touched = {a[0] for _, a in rows[0] ^ rows[1]} | set(relabelled)
    agents = " ".join(str(ox.NamedNode(a)) for a in sorted(touched))
    theirs = sorted({r["work"].value for r in after.select(
        f"SELECT DISTINCT ?work WHERE {{ VALUES ?agent {{ {agents} }} ?c cg:agent ?agent ; cg:work ?work }}")}) if touched else []
    per_work: dict = {}
    for start in range(0, len(theirs), 500):
        values = "VALUES ?work { %s }" % " ".join(str(ox.NamedNode(w)) for w in theirs[start:start + 500])
        per_work.update(_per_work(after, _PER_WORK.replace("WHERE {", "WHERE { " + values, 1)))
    named = touched | {a for agents_ in per_work.values() for a, *_ in agents_} | {p[0] for p in previous} | {p[1] for p in previous}
    labels = _LABELS.replace("WHERE {", "WHERE { VALUES ?a { %s }" % " ".join(str(ox.NamedNode(a)) for a in sorted(named)), 1)
    first_label = _first_labels(after, labels)
    counts, marked = _count(per_work, first_label, only=touched)
    for a, b, n, m in previous:
        if a not in touched and b not in touched:
            counts[a, b], marked[a, b] = n, m
    if len(counts) < limit:
        return None
    pairs = _select(counts, marked, first_label, limit)
    floor = min((n for _, _, n, _ in previous), default=0)
    new_floor = pairs[-1][2] if pairs else 0
    if new_floor > floor:
        return pairs
    if new_floor < floor or len(previous) < limit:
        return None
    # Tied with the old floor: the pairs left out then sort after its last tied pair (by labels then).
    old_labels = _first_labels(before, labels)
    last_old = max((old_labels.get(a, ""), old_labels.get(b, "")) for a, b, n, _ in previous if n == floor)
    last_new = max((first_label[a], first_label[b]) for a, b, n, _ in pairs if n == new_floor)
    return pairs if last_new <= last_old else None


_GUEST = ox.NamedNode(ROLE_IRI + "guest")

# One row per credit, agent, role and mark, in no order and not grouped: the engine streams it (its
# grouped form, _PER_WORK, held every (work, agent) group at once), and SQLite groups it on disk.
_CREDIT_ROWS = """
SELECT ?work ?agent ?role ?mark WHERE {
  ?c cg:work ?work . ?c a cg:Credit ; cg:agent ?agent ; cg:role ?role .
  FILTER (isIRI(?agent))
  OPTIONAL { ?c cg:editorsInference|cg:claimedBy ?mark }
}"""

# _PER_WORK's rows, then the pairs of agents of one work of which at least one has a role other than guest,
# with their labels; the collaborations are n(n-1)/2 pairs per work of n agents, less those of its g
# agents that were only guests there.
_COUNT_PAIRS = """
CREATE TABLE per_work AS SELECT work, agent, MAX(ng) AS ng, MAX(ng AND marked) AS mng, MAX(marked) AS mg
  FROM credits GROUP BY work, agent;
DROP TABLE credits;
CREATE INDEX per_work_work ON per_work (work, agent);
CREATE TABLE counts AS SELECT x.agent AS a, y.agent AS b, COUNT(*) AS n,
    SUM(x.mng OR y.mng OR (x.mg AND y.ng) OR (y.mg AND x.ng)) AS m, la.l AS la, lb.l AS lb
  FROM per_work x JOIN per_work y ON y.work = x.work AND y.agent > x.agent AND (x.ng OR y.ng)
  JOIN labels la ON la.a = x.agent JOIN labels lb ON lb.a = y.agent
  GROUP BY x.agent, y.agent;
CREATE INDEX by_n ON counts (n);"""
_COLLABORATIONS = """SELECT COALESCE(SUM(n * (n - 1) / 2 - g * (g - 1) / 2), 0)
  FROM (SELECT COUNT(*) AS n, SUM(ng = 0) AS g FROM per_work GROUP BY work)"""


def counted_pairs(store: Store, scratch: Path, limit: int = LIMIT) -> tuple[list[tuple[str, str, int, int]], int]:
    """What :func:`top_pairs` returns, and the number of collaborations the
    summary counts (pairs of agents with a shared work, once per work, unless
    both were only guests there), in memory that does not grow with the graph:
    the engine streams one row per credit (ungrouped), and SQLite, in a file
    under ``scratch`` (removed at the end), groups them by work and counts the
    pairs, sorting on disk. For a streaming build of a graph too big for
    memory; the same rows as :func:`top_pairs` (tests/test_build_streaming.py)."""
    import sqlite3
    import tempfile

    with tempfile.TemporaryDirectory(dir=scratch, prefix="pairs-") as tmp:
        db = sqlite3.connect(Path(tmp) / "pairs.sqlite")
        try:
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;"
                             "CREATE TABLE labels (a TEXT PRIMARY KEY, l TEXT) WITHOUT ROWID;"
                             "CREATE TABLE credits (work TEXT, agent TEXT, ng INTEGER, marked INTEGER);")
            db.executemany("INSERT INTO labels VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET l = MIN(l, excluded.l)",
                           ((r["a"].value, r["l"].value) for r in store.select(_LABELS)))
            # A work is a key only (str: an IRI and a blank node of the same text differ).
            db.executemany("INSERT INTO credits VALUES (?, ?, ?, ?)",
                           ((str(r["work"]), r["agent"].value, r["role"] != _GUEST, r["mark"] is not None)
                            for r in store.select(_CREDIT_ROWS)))
            db.executescript(_COUNT_PAIRS)
            collaborations = int(db.execute(_COLLABORATIONS).fetchone()[0])
            floor_row = db.execute("SELECT n FROM counts ORDER BY n DESC LIMIT 1 OFFSET ?", (limit - 1,)).fetchone() \
                or db.execute("SELECT MIN(n) FROM counts").fetchone()
            if floor_row is None or floor_row[0] is None:
                return [], collaborations
            floor = floor_row[0]
            above = db.execute("SELECT a, b, n, m FROM counts WHERE n > ?", (floor,)).fetchall()
            need = max(0, limit - len(above))
            # Of the pairs tied with the limit-th, those whose smallest labels can still rank (see top_pairs).
            tied: list[tuple[str, str, int, int]] = []
            last = None
            for a, b, n, m, la, lb in db.execute("SELECT a, b, n, m, la, lb FROM counts WHERE n = ? ORDER BY la, lb",
                                                 (floor,)):
                if len(tied) >= need and (la, lb) != last:
                    break
                tied.append((a, b, n, m))
                last = (la, lb)
        finally:
            db.close()
    return sorted([*above, *tied], key=lambda p: (-p[2], p[0], p[1])), collaborations


def save_top_pairs(store: StoreLike, directory: Path, *,
                   pairs: list[tuple[str, str, int, int]] | None = None) -> list[tuple[str, str, int, int]]:
    """Count the pairs (:func:`top_pairs`) and write them to ``directory``
    (a build's ``cache/``); a directory that cannot be written is left as it is.
    ``pairs``: counted already (:func:`counted_pairs`)."""
    pairs = top_pairs(store) if pairs is None else pairs
    try:
        Path(directory).mkdir(parents=True, exist_ok=True)
        write_atomic(Path(directory) / PAIRS_FILE, _as_json(pairs))
    except (OSError, WriteFailed):
        pass
    return pairs


def write_pairs(pairs: list[tuple[str, str, int, int]], directory: Path) -> None:
    """Write ``pairs`` as :func:`save_top_pairs` does."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    write_atomic(Path(directory) / PAIRS_FILE, _as_json(pairs))


def _as_json(pairs: list[tuple[str, str, int, int]]) -> str:
    return json.dumps({"version": VERSION, "limit": LIMIT, "pairs": pairs})


def _read_pairs(text: str) -> list[tuple[str, str, int, int]] | None:
    """The pairs of a file or literal written by :func:`_as_json`; None when it is of
    another version or limit, or not such a text."""
    try:
        data = json.loads(text)
        if data.get("limit") != LIMIT or data.get("version") != VERSION:
            return None
        return [(str(a), str(b), int(n), int(m)) for a, b, n, m in data["pairs"]]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def cached_pairs(directory: Path | None) -> list[tuple[str, str, int, int]] | None:
    """The pairs a build wrote to ``directory`` (its ``cache/``), or None."""
    if directory is None:
        return None
    try:
        return _read_pairs((Path(directory) / PAIRS_FILE).read_text("utf-8"))
    except OSError:
        return None


# The pairs go to a server as one literal (the cache file's JSON), not as RDF
# nodes: a node per pair naming both agents would show among every agent's
# incoming links on the server and not in the local store.
_STORED = "SELECT ?v WHERE { GRAPH ?g { ?g rdf:value ?v } }"


def pairs_triples(pairs: list[tuple[str, str, int, int]]) -> list[ox.Triple]:
    """The pairs as the triples of ``TOP_PAIRS_GRAPH`` (what an upload sends).

    >>> [str(t.predicate) for t in pairs_triples([("https://a", "https://b", 2, 0)])]
    ['<http://www.w3.org/1999/02/22-rdf-syntax-ns#value>']
    """
    graph = ox.NamedNode(TOP_PAIRS_GRAPH)
    return [ox.Triple(graph, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value"),
                      ox.Literal(_as_json(pairs)))]


def stored_pairs(store: StoreLike) -> list[tuple[str, str, int, int]] | None:
    """The pairs an upload wrote into the store's ``TOP_PAIRS_GRAPH``, or None
    when it holds none (or of another version): one small query.

    :raises QueryError: when the server refuses the query.
    """
    for row in store.query(_STORED, {"g": ox.NamedNode(TOP_PAIRS_GRAPH)}):
        pairs = _read_pairs(row["v"].value)
        if pairs is not None:
            return pairs
    return None


def fast_text(store: StoreLike, cache_dir: Path | None) -> str | None:
    """The text of ``top-collaborations`` over counted pairs: from the build's
    cache when it has them, else from the store's ``TOP_PAIRS_GRAPH`` (a
    server the build was uploaded to), else counted now (and saved there)."""
    pairs = cached_pairs(cache_dir)
    if pairs is None:
        pairs = stored_pairs(store)
    if pairs is None:
        pairs = save_top_pairs(store, cache_dir) if cache_dir is not None else top_pairs(store)
    # No pair at all: the saved query is as cheap (and an empty VALUES trips some servers). More pairs
    # than MAX_ROWS (many agents sharing one first label, or a cache from an older build that kept
    # every tied pair): a VALUES block that long is past what the engine's stack holds.
    if not pairs or len(pairs) > MAX_ROWS:
        return None
    # IRIs come from the store and are written by pyoxigraph (escaped); counts are ints.
    rows = " ".join(f"({ox.NamedNode(a)} {ox.NamedNode(b)} {int(n)} {int(m)})" for a, b, n, m in pairs)
    return _FAST.replace("#PAIRS#", rows)
