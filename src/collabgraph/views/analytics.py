"""Graph questions over the collaboration projection: who is central (rank),
which circles exist (communities), who connects two people or two circles
(brokers), who might work together next (suggest), and how careers unfold
(timeline).

The functions on graphs take a collaboration graph first (as
:func:`collabgraph.views.projections.collaboration_graph` makes it: nodes with
``label``, edges with ``weight``, ``works`` and ``work_labels``) and return
records; they never touch a store, so the explorer and the benchmarks call
them directly. Every random choice is seeded: the same graph and seed give
the same answer. :func:`timeline` and :func:`yearly` read the store (dates
live on credits and works, not in the projection).

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", weight=1, works=["w1"], work_labels=["W1"])
>>> g.add_edge("b", "c", weight=1, works=["w2"], work_labels=["W2"])
>>> [(r.iri, r.score) for r in rank(g, "degree")]
[('b', 2.0), ('a', 1.0), ('c', 1.0)]
>>> [(s.iri, [v.iri for v in s.via]) for s in suggest(g, "a")]
[('c', ['b'])]
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from ..core.errors import CollabGraphError
from ..core.namespaces import curie
from ..core.queries import query_text
from .reader import Reader
from .records import Credit, Entity, date_order

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["MEASURES", "SUGGEST_METHODS", "WorkCount", "Ranked", "Member", "Community", "Broker", "Link",
           "Bridges", "Via", "Suggestion", "Year", "Timeline", "YearCount", "rank", "scores", "communities",
           "partition", "betweenness", "brokers", "suggest", "timeline", "yearly", "work_years", "year_of", "auto_k"]

#: Centrality measures :func:`rank` knows, and what each score means.
MEASURES: dict[str, str] = {
    "pagerank": "PageRank on the collaboration graph, edges weighted by shared works",
    "degree": "number of collaborators",
    "betweenness": "share of shortest paths between other agents that pass through the agent",
}
#: Link-prediction scores :func:`suggest` knows.
SUGGEST_METHODS = ("adamic-adar", "common-neighbours")
#: Above this many agents, betweenness samples :data:`BETWEENNESS_SOURCES`
#: sources (see :func:`auto_k`). Exact at 3,911 agents took 2.7 s CPU; at
#: 19,347 (a 1M-triple graph) 1,000 sources got the exact top 20 right (500
#: got 17 of them): docs/benchmarks.md, "Betweenness".
EXACT_BETWEENNESS_UP_TO = 4000
BETWEENNESS_SOURCES = 1000


# -- records -------------------------------------------------------------------------------

@dataclass(frozen=True)
class WorkCount:
    """A work and how many partners (or members) it accounts for."""

    iri: str
    label: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"work": curie(self.iri), "iri": self.iri, "label": self.label, "count": self.count}


@dataclass(frozen=True)
class Ranked:
    """An agent's place in a ranking: its score and the works behind it
    (the works it shares with others, most partners first)."""

    position: int
    iri: str
    label: str
    score: float
    collaborators: int
    works: tuple[WorkCount, ...] = ()
    #: betweenness from sampled sources: how many (None: exact, or another measure)
    sources: int | None = None

    @property
    def id(self) -> str:
        return curie(self.iri)

    def to_dict(self) -> dict[str, Any]:
        return {"position": self.position, "id": self.id, "iri": self.iri, "label": self.label,
                "score": self.score, "collaborators": self.collaborators,
                "works": [w.to_dict() for w in self.works], "sampled_sources": self.sources}


@dataclass(frozen=True)
class Member:
    """An agent in a community, with its collaborators and shared works inside it."""

    iri: str
    label: str
    partners: int
    strength: int

    @property
    def id(self) -> str:
        return curie(self.iri)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "iri": self.iri, "label": self.label, "partners": self.partners,
                "strength": self.strength}


@dataclass(frozen=True)
class Community:
    """A circle of collaborators found by Louvain: its members (most connected
    inside first), its central people and the works that bind it (credited to
    most of its members first)."""

    number: int
    members: tuple[Member, ...]
    works: tuple[WorkCount, ...]
    central_count: int = 3

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def central(self) -> tuple[Member, ...]:
        return self.members[:self.central_count]

    @property
    def name(self) -> str:
        """A short name for people: its most central members."""
        names = [m.label for m in self.central]
        return ", ".join(names) + (f" +{self.size - len(names)}" if self.size > len(names) else "")

    def to_dict(self) -> dict[str, Any]:
        return {"community": self.number, "name": self.name, "size": self.size,
                "central": [m.id for m in self.central], "members": [m.to_dict() for m in self.members],
                "works": [w.to_dict() for w in self.works]}


@dataclass(frozen=True)
class Broker:
    """An agent on the shortest connections between two sides: ``share`` is
    the fraction of those connections that pass through it; ``left`` and
    ``right`` are the works linking it towards each side."""

    iri: str
    label: str
    share: float
    left: tuple[WorkCount, ...] = ()
    right: tuple[WorkCount, ...] = ()

    @property
    def id(self) -> str:
        return curie(self.iri)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "iri": self.iri, "label": self.label, "share": self.share,
                "left": [w.to_dict() for w in self.left], "right": [w.to_dict() for w in self.right]}


@dataclass(frozen=True)
class Link:
    """A direct collaboration across the two sides (no broker needed)."""

    source: str
    source_label: str
    target: str
    target_label: str
    works: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"from": curie(self.source), "from_label": self.source_label, "to": curie(self.target),
                "to_label": self.target_label, "works": list(self.works)}


@dataclass(frozen=True)
class Bridges:
    """Who connects two sides (two agents, or two communities): brokers,
    direct links, and how far apart the sides are."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    distance: int | None
    brokers: tuple[Broker, ...]
    links: tuple[Link, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"left": [curie(x) for x in self.left], "right": [curie(x) for x in self.right],
                "distance": self.distance, "brokers": [b.to_dict() for b in self.brokers],
                "links": [link.to_dict() for link in self.links]}


@dataclass(frozen=True)
class Via:
    """A shared collaborator behind a suggestion, with the works on each side."""

    iri: str
    label: str
    with_agent: tuple[str, ...]
    with_candidate: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": curie(self.iri), "label": self.label, "works_with_agent": list(self.with_agent),
                "works_with_candidate": list(self.with_candidate)}


@dataclass(frozen=True)
class Suggestion:
    """A likely future collaborator, scored, with the shared collaborators that explain it."""

    iri: str
    label: str
    score: float
    via: tuple[Via, ...]

    @property
    def id(self) -> str:
        return curie(self.iri)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "iri": self.iri, "label": self.label, "score": self.score,
                "common": len(self.via), "via": [v.to_dict() for v in self.via]}


@dataclass(frozen=True)
class Year:
    """An agent's credits in one year."""

    year: int
    credits: tuple[Credit, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "credits": [c.to_dict() for c in self.credits]}


@dataclass(frozen=True)
class Timeline:
    """An agent's credits by year (a credit's own date, else its work's
    release); credits with no year (undated, or a day and month only) apart."""

    agent: Entity
    years: tuple[Year, ...]
    undated: tuple[Credit, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"agent": self.agent.to_dict(), "years": [y.to_dict() for y in self.years],
                "undated": [c.to_dict() for c in self.undated]}


@dataclass(frozen=True)
class YearCount:
    """Collaborations (pairs of agents on a work) in one year of the whole graph."""

    year: int | None
    collaborations: int
    works: int
    agents: int

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "collaborations": self.collaborations, "works": self.works,
                "agents": self.agents}


# -- rank ----------------------------------------------------------------------------------

def auto_k(g: "nx.Graph", k: int | None = None, *, exact: bool = False) -> int | None:
    """How many sources betweenness samples: none (exact) if ``exact``; ``k``
    if given; none up to :data:`EXACT_BETWEENNESS_UP_TO` agents, else
    :data:`BETWEENNESS_SOURCES` (see docs/benchmarks.md).

    >>> import networkx as nx
    >>> auto_k(nx.path_graph(10)), auto_k(nx.path_graph(5000)), auto_k(nx.path_graph(5000), 50)
    (None, 1000, 50)
    >>> auto_k(nx.path_graph(5000), exact=True) is None
    True
    """
    if exact:
        return None
    if k is not None:
        return min(k, len(g)) if k < len(g) else None
    return None if len(g) <= EXACT_BETWEENNESS_UP_TO else BETWEENNESS_SOURCES


def scores(g: "nx.Graph", measure: str = "pagerank", *, k: int | None = None, seed: int = 0,
           exact: bool = False) -> dict[str, float]:
    """``node -> score`` for every agent (what the explorer sizes nodes by).

    :param measure: one of :data:`MEASURES`.
    :param k: betweenness only: sample this many sources (default: :func:`auto_k`);
        ``exact`` uses every agent as a source whatever the size.
    :param seed: seeds the sampling.
    :raises CollabGraphError: for an unknown measure.

    >>> import networkx as nx
    >>> s = scores(nx.star_graph(3), "betweenness")
    >>> s[0], s[1]
    (1.0, 0.0)
    """
    import networkx as nx

    if measure not in MEASURES:
        raise CollabGraphError(f"unknown measure {measure!r}: use one of {', '.join(MEASURES)}")
    if len(g) == 0:
        return {}
    if measure == "degree":
        return {n: float(d) for n, d in g.degree()}
    if measure == "pagerank":
        return nx.pagerank(g, weight="weight")
    return betweenness(g, k=auto_k(g, k, exact=exact), seed=seed)


def betweenness(g: "nx.Graph", *, k: int | None = None, seed: int = 0, batch: int = 128) -> dict[str, float]:
    """Normalised betweenness of every node of the undirected graph ``g``, from
    all sources or from ``k`` sampled ones: the same numbers as
    ``nx.betweenness_centrality(g, k=k, seed=seed)`` (the same sources, drawn
    the same way, the same rescaling), computed many times faster.

    Brandes' algorithm with its breadth-first searches and its accumulation
    done as sparse matrix products over ``batch`` sources at a time (numpy and
    scipy, which NetworkX's PageRank needs already): each level of every
    search is one product of the adjacency matrix with a block of columns.

    >>> import networkx as nx
    >>> g = nx.karate_club_graph()
    >>> mine, theirs = betweenness(g, k=10, seed=3), nx.betweenness_centrality(g, k=10, seed=3)
    >>> max(abs(mine[n] - theirs[n]) for n in g) < 1e-12
    True
    """
    import random

    import numpy as np

    nodes = list(g)
    n = len(nodes)
    if k is not None and k >= n:
        k = None
    sources = nodes if k is None else random.Random(seed).sample(nodes, k)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index, adj = _adjacency(g)
    total = np.zeros(n)
    order = np.array([index[v] for v in sources], dtype=np.int64)
    for _src, _levels, _seen, delta in _brandes(adj, order, batch):
        total += delta.sum(axis=1)
    # NetworkX's rescaling (normalized, endpoints excluded): by the number of
    # (source, target) pairs a node can lie between.
    pairs_from = n - 1
    if k is None:
        scale = np.full(n, 1.0 / (pairs_from * (pairs_from - 1)))
    else:
        scale = np.full(n, 1.0 / (k * (pairs_from - 1)))
        scale[order] = 1.0 / ((k - 1) * (pairs_from - 1)) if k > 1 else math.nan
    values = total * scale
    return {v: float(values[i]) for i, v in enumerate(nodes)}


def _adjacency(g: "nx.Graph") -> tuple[dict[str, int], Any]:
    """Node -> row, and the graph's symmetric adjacency matrix (CSR, ones; no self-loops)."""
    import numpy as np
    import scipy.sparse as sp

    index = {v: i for i, v in enumerate(g)}
    ends = np.array([(index[a], index[b]) for a, b in g.edges() if a != b], dtype=np.int64).reshape(-1, 2)
    rows, cols = np.concatenate([ends[:, 0], ends[:, 1]]), np.concatenate([ends[:, 1], ends[:, 0]])
    return index, sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(index), len(index)))


def _brandes(adj: Any, order: Any, batch: int, targets: Any = None) -> Iterable[tuple[Any, list, Any, Any]]:
    """Brandes' searches and accumulation from the sources ``order`` (rows of
    ``adj``), ``batch`` at a time, one source per column: yields the batch's
    sources, its levels (per distance, the flat (node, source) cells at it),
    which cells were reached, and each node's dependency on each source. With
    ``targets`` (a 0/1 vector over nodes) only paths ending at a target count
    (what :func:`brokers` needs); without, paths to every node (betweenness).
    Dependencies of the sources themselves are left at zero."""
    import numpy as np

    n = adj.shape[0]
    for start in range(0, len(order), batch):
        src = order[start:start + batch]
        width = len(src)
        at = np.arange(width)
        sigma = np.zeros((n, width))  # shortest paths from each source (column) to each node
        sigma[src, at] = 1.0
        seen = sigma > 0
        levels = [np.flatnonzero(seen)]
        frontier = sigma
        while True:  # breadth first: paths into cells not reached yet
            paths = adj @ frontier
            paths[seen] = 0.0
            cells = np.flatnonzero(paths)
            if cells.size == 0:
                break
            seen.flat[cells] = True
            sigma.flat[cells] = paths.flat[cells]
            levels.append(cells)
            frontier = paths
        delta = np.zeros_like(sigma)
        coeff = np.zeros_like(sigma)
        for d in range(len(levels) - 1, 1, -1):  # deepest first
            cells, before = levels[d], levels[d - 1]
            share = delta.flat[cells] + (1.0 if targets is None else targets[cells // width])
            coeff.flat[cells] = share / sigma.flat[cells]
            delta.flat[before] += sigma.flat[before] * (adj @ coeff).flat[before]
            coeff.flat[cells] = 0.0
        yield src, levels, seen, delta


def rank(g: "nx.Graph", measure: str = "pagerank", *, limit: int | None = None, k: int | None = None,
         seed: int = 0, works: int = 5, exact: bool = False) -> list[Ranked]:
    """Agents by centrality, highest first (ties by label, then IRI), each with
    the ``works`` works it shares with the most partners.

    :param measure: ``pagerank``, ``degree`` or ``betweenness`` (:data:`MEASURES`).
    :param limit: at most this many agents.
    :param k: betweenness: sample this many sources; :param seed: for the sample;
        ``exact``: every agent a source. Each result's ``sources`` says how many were sampled.
    """
    s = scores(g, measure, k=k, seed=seed, exact=exact)
    sources = auto_k(g, k, exact=exact) if measure == "betweenness" else None
    order = sorted(s, key=lambda n: (-round(s[n], 12), _label(g, n), n))
    if limit is not None:
        order = order[:limit]
    return [Ranked(i + 1, n, _label(g, n), s[n], g.degree(n), _works_of(g, n, g.adj[n], works), sources)
            for i, n in enumerate(order)]


def _label(g: "nx.Graph", n: str) -> str:
    return g.nodes[n].get("label") or curie(n)


def _works_of(g: "nx.Graph", n: str, partners: Iterable[str], limit: int | None) -> tuple[WorkCount, ...]:
    """The works ``n`` shares with ``partners``, counted by partner."""
    count: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for p in partners:
        data = g.edges[n, p]
        for w, label in zip(data.get("works", ()), data.get("work_labels", ())):
            count[w] += 1
            labels[w] = label
    best = sorted(count, key=lambda w: (-count[w], labels[w], w))
    return tuple(WorkCount(w, labels[w], count[w]) for w in best[:limit])


# -- communities ---------------------------------------------------------------------------

def partition(g: "nx.Graph", *, seed: int = 0, resolution: float = 1.0) -> list[set[str]]:
    """Louvain communities (edges weighted by shared works), largest first,
    ties by their smallest member: deterministic for a graph and seed.

    >>> import networkx as nx
    >>> two = nx.union(nx.complete_graph(["a", "b", "c"]), nx.complete_graph(["x", "y", "z"]))
    >>> two.add_edge("c", "x")
    >>> [sorted(c) for c in partition(two)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    import networkx as nx

    if len(g) == 0:
        return []
    found = nx.community.louvain_communities(g, weight="weight", seed=seed, resolution=resolution)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))


def communities(g: "nx.Graph", *, seed: int = 0, resolution: float = 1.0, central: int = 3,
                works: int = 5, limit: int | None = None) -> list[Community]:
    """Collaboration circles (Louvain, seeded), numbered from 1 by size, each
    with its members (most collaborators inside first), its ``central`` most
    central members and the ``works`` works credited to most of its members.

    :param resolution: above 1 finds more, smaller circles; below 1 fewer, larger ones.
    :param limit: at most this many communities (the largest).
    """
    parts = partition(g, seed=seed, resolution=resolution)
    if limit is not None:
        parts = parts[:limit]
    out = []
    for i, part in enumerate(parts):
        members = []
        binding: dict[str, set[str]] = defaultdict(set)
        labels: dict[str, str] = {}
        for n in part:
            inside = [p for p in g.adj[n] if p in part]
            strength = sum(g.edges[n, p].get("weight", 1) for p in inside)
            members.append(Member(n, _label(g, n), len(inside), strength))
            for p in inside:
                data = g.edges[n, p]
                for w, label in zip(data.get("works", ()), data.get("work_labels", ())):
                    binding[w].add(n)
                    labels[w] = label
        members.sort(key=lambda m: (-m.partners, -m.strength, m.label, m.iri))
        best = sorted(binding, key=lambda w: (-len(binding[w]), labels[w], w))[:works]
        out.append(Community(i + 1, tuple(members), tuple(WorkCount(w, labels[w], len(binding[w])) for w in best),
                             central))
    return out


# -- brokers -------------------------------------------------------------------------------

def brokers(g: "nx.Graph", left: Iterable[str], right: Iterable[str], *, limit: int | None = 10,
            k: int | None = None, seed: int = 0, works: int = 3) -> Bridges:
    """Who connects ``left`` to ``right`` (two agents, or two sets of agents
    such as communities): agents on the shortest paths between the sides, by
    the share of those paths through them; plus direct collaborations across.

    A broker may belong to a side (a member of one circle who knows the
    other), never be a path's own end. With large sides, ``k`` samples the
    left side's agents (seeded).

    :raises CollabGraphError: if the sides overlap or an agent is not in the graph.

    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> for a, b in [("a", "m"), ("m", "b"), ("a", "n"), ("n", "o"), ("o", "b")]:
    ...     g.add_edge(a, b, works=[a + b], work_labels=[a + b])
    >>> [(x.iri, x.share) for x in brokers(g, ["a"], ["b"]).brokers]
    [('m', 1.0)]
    """
    import random

    left, right = sorted(set(left)), sorted(set(right))
    for n in (*left, *right):
        if n not in g:
            raise CollabGraphError(f"{_label(g, n) if n in g else curie(n)} has no collaborations in the graph")
    if set(left) & set(right):
        raise CollabGraphError("the two sides overlap: " + ", ".join(_label(g, n) for n in sorted(set(left) & set(right))))
    sources = left
    if k is not None and k < len(left):
        sources = sorted(random.Random(seed).sample(left, k))
    targets = set(right)
    through: dict[str, float] = {}
    pairs, nearest = 0, None
    if sources:
        import numpy as np

        index, adj = _adjacency(g)
        nodes = list(g)
        wanted = np.zeros(len(nodes))
        wanted[[index[t] for t in right]] = 1.0
        total = np.zeros(len(nodes))
        order = np.array([index[v] for v in sources], dtype=np.int64)
        for src, levels, seen, delta in _brandes(adj, order, 128, targets=wanted):
            width = len(src)
            pairs += int(seen[wanted > 0].sum())
            for d, cells in enumerate(levels):
                if d and wanted[cells // width].any():
                    nearest = d if nearest is None else min(nearest, d)
                    break
            total += delta.sum(axis=1)
        total[wanted > 0] = 0.0
        through = {nodes[i]: float(total[i]) for i in np.flatnonzero(total > 0)}
    from_left, from_right = _distances(g, left), _distances(g, right)
    found = []
    for v in sorted(through, key=lambda v: (-round(through[v], 9), _label(g, v), v)):
        share = through[v] / pairs if pairs else 0.0
        # The works towards each side: with the neighbours one step nearer to it.
        toward_l = [p for p in g.adj[v] if from_left.get(p, -2) == from_left.get(v, -1) - 1]
        toward_r = [p for p in g.adj[v] if from_right.get(p, -2) == from_right.get(v, -1) - 1]
        found.append(Broker(v, _label(g, v), share, _works_of(g, v, toward_l, works), _works_of(g, v, toward_r, works)))
        if limit is not None and len(found) >= limit:
            break
    links = tuple(Link(a, _label(g, a), b, _label(g, b), tuple(g.edges[a, b].get("work_labels", ())))
                  for a in left for b in sorted(g.adj[a]) if b in targets)
    return Bridges(tuple(left), tuple(right), nearest, tuple(found), links)


def _distances(g: "nx.Graph", side: list[str]) -> dict[str, int]:
    """Hops from the nearest agent of ``side`` (breadth-first from all of them)."""
    dist = {n: 0 for n in side}
    frontier = list(side)
    while frontier:
        following = []
        for v in frontier:
            for w in g.adj[v]:
                if w not in dist:
                    dist[w] = dist[v] + 1
                    following.append(w)
        frontier = following
    return dist


# -- suggest -------------------------------------------------------------------------------

def suggest(g: "nx.Graph", node: str, *, method: str = "adamic-adar", limit: int | None = 10) -> list[Suggestion]:
    """Agents ``node`` has not worked with but shares collaborators with,
    most likely first, each with those shared collaborators (and the works on
    both sides). ``adamic-adar`` weighs a shared collaborator by
    1/log(their number of collaborators), so a shared friend of few counts
    more than a hub; ``common-neighbours`` counts them.

    :raises CollabGraphError: for an unknown method or an agent not in the graph.
    """
    if method not in SUGGEST_METHODS:
        raise CollabGraphError(f"unknown method {method!r}: use one of {', '.join(SUGGEST_METHODS)}")
    if node not in g:
        raise CollabGraphError(f"{curie(node)} has no collaborations in the graph")
    mine = set(g.adj[node])
    common: dict[str, list[str]] = defaultdict(list)
    for w in mine:
        for c in g.adj[w]:
            if c != node and c not in mine:
                common[c].append(w)
    score: dict[str, float] = {}
    for c, ws in common.items():
        score[c] = float(len(ws)) if method == "common-neighbours" else \
            sum(1.0 / math.log(g.degree(w)) for w in ws)  # a shared neighbour has degree >= 2
    order = sorted(score, key=lambda c: (-round(score[c], 12), _label(g, c), c))[:limit]
    out = []
    for c in order:
        via = sorted(common[c], key=lambda w: (g.degree(w), _label(g, w), w))
        out.append(Suggestion(c, _label(g, c), score[c], tuple(
            Via(w, _label(g, w), tuple(g.edges[node, w].get("work_labels", ())),
                tuple(g.edges[w, c].get("work_labels", ()))) for w in via)))
    return out


# -- timelines -----------------------------------------------------------------------------

_YEAR = re.compile(r"^(-?\d{4})")


def year_of(date: str | None) -> int | None:
    """The year of an ISO date, gYearMonth or gYear; ``None`` without one
    (no date, or a gMonthDay such as ``--01-24``).

    >>> [year_of(d) for d in ("2024-01-24", "2016-07", "2016", "--01-24", None)]
    [2024, 2016, 2016, None, None]
    """
    m = _YEAR.match(date or "")
    return int(m.group(1)) if m else None


def timeline(r: Reader, agent: Entity) -> Timeline:
    """An agent's credits by year, oldest first; undated ones apart."""
    from .facts import works as works_of

    years: dict[int, list[Credit]] = defaultdict(list)
    undated: list[Credit] = []
    for c in works_of(r, agent):
        y = year_of(c.when)
        (years[y] if y is not None else undated).append(c)
    return Timeline(agent, tuple(Year(y, tuple(sorted(cs, key=lambda c: (date_order(c.when), c.work.label, c.role))))
                                 for y, cs in sorted(years.items())), tuple(undated))


def work_years(r: Reader) -> dict[str, int]:
    """``work -> year`` for every work with one: its earliest release, else the
    earliest date of a credit on it (one query)."""
    released: dict[str, int] = {}
    credited: dict[str, int] = {}
    for row in r.store.select(query_text("work-dates")):
        y = year_of(row["date"].value)
        if y is not None:
            seen = released if row["kind"].value == "release" else credited
            w = row["work"].value
            seen[w] = min(y, seen.get(w, y))
    return {**credited, **released}


def yearly(r: Reader, g: "nx.Graph") -> list[YearCount]:
    """Collaborations per year in the whole graph: each pair of agents on a
    work counts in the work's year (its earliest release, else the earliest
    date of a credit on it); pairs on undated works come last, year ``None``.
    The years come from the edges' ``years`` when ``g`` has them (the
    ``"analytics"`` projection), else from the store."""
    dates = None
    pairs: Counter[int | None] = Counter()
    works: dict[int | None, set[str]] = defaultdict(set)
    agents: dict[int | None, set[str]] = defaultdict(set)
    for a, b, data in g.edges(data=True):
        ws = data.get("works", ())
        ys = data.get("years")
        if ys is None:
            dates = work_years(r) if dates is None else dates
            ys = [dates.get(w) for w in ws]
        for w, y in zip(ws, ys):
            pairs[y] += 1
            works[y].add(w)
            agents[y].update((a, b))
    return [YearCount(y, pairs[y], len(works[y]), len(agents[y]))
            for y in sorted(pairs, key=lambda y: (y is None, y or 0))]
