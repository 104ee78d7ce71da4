"""The graph explorer: one self-contained HTML page made with pyvis.

The page holds vis-network (inlined from the pyvis package), its own CSS and
JavaScript, and the view's data as JSON. It makes no network request, and a
Content-Security-Policy forbids any. Every label, alias, quote and URL from
the data reaches the page as text: the JSON sits in a non-executed script
element, escaped by Jinja's ``tojson``, and the script only ever sets
``textContent``. Links are made only for http(s) URLs.

Big graphs: ``focus``/``depth`` take a neighbourhood. ``max_nodes`` caps
every node drawn, "+N more" nodes included: past it the least connected
neighbours fold into a "+N more" node per parent (up to :data:`MAX_FOLDS`,
and a tenth of the cap), and the page says how many entities of the view
were folded away. Views over :data:`PHYSICS_MAX` nodes get positions from
ForceAtlas2 computed here (:func:`force_layout`) and physics off, so the
page is usable at once; their nodes are coloured by community, and only the
:data:`CENTRAL_LABELS` most central carry a label at every zoom (the others
on hover or when zoomed in). Views over :data:`OVERVIEW_MIN` nodes open in
an overview: one node per community, which opens into its members on click.
Every view has a year slider (credits and works outside the years hide;
undated ones stay) and sizes its nodes by a rank the reader picks.

>>> from collabgraph import CollabGraph
>>> page = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).explore(focus="V", depth=1)
>>> page.nodes > 10, "https://" in page.html.split("<body>")[0]
(True, False)
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from ..core.packaged import package_file
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..core.durable import output_file, write_atomic
from ..core.errors import EntityNotFound
from ..core.namespaces import CG, CG_IRI, curie
from ..core.queries import query_text
from ..store.local import select_values
from ..core.terms import lexical
from .entities import describe, names_and_types_of, resolve
from .facts import Evidence
from .projections import neighbourhood, projection
from .reader import Reader
from .paths import descriptions, naming_sentences
from .records import Entity, date_order, work_rank  # the page orders a hop's works as `collabgraph path` does

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ExplorerPage", "explore", "PHYSICS_MAX", "OVERVIEW_MIN", "CENTRAL_LABELS", "MAX_FOLDS", "KINDS",
           "UNSTATED", "kind_of", "is_agent", "class_tree", "force_layout", "view_communities_and_pagerank"]

#: Views up to this many nodes settle with physics in the browser; larger ones
#: get positions from NetworkX and physics off.
PHYSICS_MAX = 300
#: Views over this many nodes open as an overview of their communities.
OVERVIEW_MIN = 500
#: How many of the most central nodes keep a label at every zoom in big views.
CENTRAL_LABELS = 20
#: Communities smaller than this are pooled into one overview node.
SMALL_CIRCLE = 5
#: Colours of the largest communities (then grey), chosen to stay apart on a light page.
CIRCLE_COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#db2777", "#65a30d",
                  "#4f46e5", "#b45309", "#0d9488", "#be123c", "#7c3aed", "#15803d", "#c2410c", "#0369a1"]
_POOLED = "#94a3b8"
#: At most this many "+N more" nodes (and never more than a tenth of ``max_nodes``).
MAX_FOLDS = 200
#: Views with more names than this suggest names as one types (the best
#: :data:`SUGGEST_SOME`) rather than list every name in the search boxes.
SUGGEST_ALL, SUGGEST_SOME = 3000, 50

#: Longest label drawn on a node, and longest text (name, alias, quote) the page
#: holds; longer ones are cut with an ellipsis, so a huge literal cannot bloat
#: the page (sources past :func:`collabgraph.core.sourcecheck.max_literal` are
#: refused at build time; this keeps the page small below that too).
LABEL_MAX, TEXT_MAX = 80, 1000

#: kind -> legend label, vis shape, colour. Types map to kinds in :func:`kind_of`.
KINDS: dict[str, tuple[str, str, str]] = {
    "person": ("person", "dot", "#2563eb"),
    "group": ("group", "diamond", "#7c3aed"),
    "song": ("song, single, recording, album", "triangle", "#ea580c"),
    "music-video": ("music video", "triangleDown", "#dc2626"),
    "tv": ("TV series, K-drama, talk show, film", "square", "#16a34a"),
    "online": ("channel, web series, video", "star", "#0d9488"),
    "post": ("social media post", "hexagon", "#64748b"),
    "character": ("character", "dot", "#db2777"),
    "platform": ("platform", "square", "#334155"),
    "label": ("record label", "diamond", "#475569"),
    "agent": ("agent (not said: person or group)", "dot", "#0891b2"),
    "work": ("work (kind not stated)", "square", "#ca8a04"),
    "other": ("other", "dot", "#94a3b8"),
    "fold": ("+N more (folded)", "dot", "#cbd5e1"),
}
_KIND_OF = {
    "Person": "person", "Group": "group", "Single": "song", "Song": "song", "MusicVideo": "music-video",
    "KDrama": "tv", "TVSeries": "tv", "TalkShow": "tv", "WebSeries": "online", "Channel": "online",
    "Video": "online", "SocialMediaPost": "post", "Character": "character", "Platform": "platform",
    "Agent": "agent", "Work": "work", "Recording": "song", "Release": "song", "Album": "song",
    "Film": "tv", "RecordLabel": "label",
}
#: Kinds the source leaves open (an agent, a work): drawn with a dashed outline.
UNSTATED = frozenset({"agent", "work"})
_NS = str(CG)
_VALUES = re.compile(r"VALUES \?\w+ \{\}")


def kind_of(type_name: str, supers: dict[str, list[str]] | None = None) -> str:
    """The explorer's kind of a type (a ``cg:`` class name): its own, else that
    of its nearest superclass in ``supers`` (class name -> direct superclass
    names, see :func:`class_tree`), else ``"other"``.

    >>> kind_of("KDrama"), kind_of("Orchestra", {"Orchestra": ["Group"]}), kind_of("Painting")
    ('tv', 'group', 'other')
    """
    supers = supers or {}
    seen, layer = {type_name}, [type_name]
    while layer:
        for t in layer:
            if t in _KIND_OF:
                return _KIND_OF[t]
        layer = sorted({s for t in layer for s in supers.get(t, ()) if s not in seen})
        seen.update(layer)
    return "other"


def is_agent(type_name: str, supers: dict[str, list[str]]) -> bool:
    """Whether a type is ``cg:Agent`` or under it in the class tree.

    >>> is_agent("Agent", {}), is_agent("Person", {"Person": ["Agent"]}), is_agent("Song", {"Song": ["Work"]})
    (True, True, False)
    """
    seen, todo = set(), [type_name]
    while todo:
        t = todo.pop()
        if t == "Agent":
            return True
        if t not in seen:
            seen.add(t)
            todo.extend(supers.get(t, ()))
    return False


def class_tree(reader: Reader) -> dict[str, list[str]]:
    """``cg:`` class name -> its direct ``cg:`` superclass names, from the
    ontology in the store (one small query)."""
    tree: dict[str, list[str]] = defaultdict(list)
    for r in reader.store.select(query_text("class-tree")):
        c, s = r["class"].value, r["super"].value
        if c.startswith(_NS) and s.startswith(_NS):
            tree[c[len(_NS):]].append(s[len(_NS):])
    return {c: sorted(ss) for c, ss in tree.items()}


@dataclass
class ExplorerPage:
    """A rendered explorer page.

    ``nodes`` counts every node drawn ("+N more" nodes included), ``folded``
    the entities of the view (the whole graph, or the neighbourhood of the
    focus) that are not drawn.
    """

    html: str
    nodes: int
    edges: int
    folded: int
    physics: bool

    def write(self, path: str | Path) -> Path:
        """Write the page (atomically: a reader never sees half a file).

        :raises WriteFailed: naming the file (a full disk, a directory that does not
            exist: none is made), any older page kept.
        """
        path = output_file(path)
        write_atomic(path, self.html)
        return path


def explore(reader: Reader, *, focus: "str | Entity | None" = None, depth: int = 2, max_nodes: int = 1500,
            title: str | None = None, overview: bool | None = None) -> ExplorerPage:
    """Render the explorer page for the whole graph or a neighbourhood.

    :param reader: the graph to show (see :mod:`collabgraph.views`).
    :param focus: an entity or its name; the view is its neighbourhood of ``depth`` hops.
    :param max_nodes: most nodes drawn, "+N more" nodes included. When the view
        has more entities, the least connected neighbours fold into "+N more"
        nodes, and the page says how many entities were folded away.
    :param overview: open on one node per community (default: for views over
        :data:`OVERVIEW_MIN` nodes; ``True`` also lays out a small view as a big one).
    :raises EntityNotFound: for an unknown focus.
    :raises ValueError: if ``max_nodes`` is below 2 (the focus and one "+N more").

    >>> from collabgraph import CollabGraph
    >>> page = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).explore(focus="V", depth=1, max_nodes=5)
    >>> page.nodes <= 5 < page.nodes + page.folded
    True
    """
    if max_nodes < 2:
        raise ValueError(f"max_nodes must be at least 2 (the focus and one '+N more' node), not {max_nodes}")
    focus_iri = resolve(reader, focus).iri if focus else None
    if focus_iri is None:
        g = projection(reader, "entity")  # read only here: no need for to_networkx's copy
        total = g.number_of_nodes()
    else:  # just the neighbourhood: a focus view's cost follows its size, not the graph's
        g = neighbourhood(reader, focus_iri, depth)
        total = _entity_count(reader)
    neighbours = undirected_neighbours(g)
    degree = {n: len(neighbours[n]) for n in g.nodes}
    if focus_iri is not None and focus_iri not in g:
        raise EntityNotFound(str(focus), [])
    kept, folds, scope = _select(g, neighbours, degree, focus_iri, depth, max_nodes, total)
    folded = scope - len(kept)

    ids = {iri: i for i, iri in enumerate(kept)}
    details, facts = _details(reader, kept, ids, {iri: g.nodes[iri].get("type", "Entity") for iri in kept},
                              whole=focus_iri is None and 2 * len(kept) > total)
    view = _view_graph(kept, neighbours)
    community, pagerank = view_communities_and_pagerank(view)
    physics = len(kept) + len(folds) <= PHYSICS_MAX and not overview
    circles = _circles(kept, community, pagerank, details, folds)
    by_circles = not physics  # big views: colour is the community, shape the kind
    scale = len(kept)  # PageRank times this is 1 for an average node
    # The page's data is columns (one list per field, a node's id its index)
    # and tables of facts, each fact once: the page builds vis-network's node
    # and edge objects and a node's details from them. At 10,000 nodes this is
    # a fifth of the size of one object per node and per credit side.
    columns: dict[str, list[Any]] = {k: [] for k in (
        "label", "labels", "aliases", "iri", "type", "typeLabel", "kind", "agent", "year", "released", "rank",
        "links", "community", "degree", "pagerank")}
    for iri in kept:
        d = details[iri]
        for k in ("label", "labels", "aliases", "iri", "type", "typeLabel", "kind", "year", "released", "rank",
                  "links"):
            columns[k].append(d[k])
        columns["agent"].append(1 if d["agent"] else 0)
        columns["community"].append(circles["of"][iri])
        columns["degree"].append(degree.get(iri, 0))
        columns["pagerank"].append(round(pagerank.get(iri, 0.0), 8))
    edge_cols: dict[str, list[Any]] = {"from": [], "to": [], "label": [], "role": [], "year": []}
    for u, v, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: (ids.get(e[0], -1), e[1], e[2])):
        if u in ids and v in ids:
            role = data.get("role")
            year = (data.get("date") or "")[:4]
            if not year.isdigit():  # a credit without its own date: its work's release
                year = str(details[v]["year"] or details[u]["year"] or "") if role else ""
            for k, x in (("from", ids[u]), ("to", ids[v]), ("label", role or key.split(":", 1)[-1]), ("role", role),
                         ("year", int(year) if year.isdigit() else None)):
                edge_cols[k].append(x)
    fold_rows = [{"parent": ids[parent], "count": len(hidden),
                  "labels": sorted(g.nodes[h].get("label", curie(h)) for h in hidden)[:100]}
                 for parent, hidden in folds]
    if not physics:
        positions = force_layout(view, community)
        columns["x"] = [positions[iri][0] for iri in kept]
        columns["y"] = [positions[iri][1] for iri in kept]
        for c in circles["list"]:
            xs = [positions[m] for m in c.pop("iris")]
            cx, cy = sum(p[0] for p in xs) / len(xs), sum(p[1] for p in xs) / len(xs)
            c["x"], c["y"] = round(cx, 1), round(cy, 1)
            # how far its members spread (root mean square): zooming in until
            # that fills the screen opens the circle
            c["r"] = round((sum((p[0] - cx) ** 2 + (p[1] - cy) ** 2 for p in xs) / len(xs)) ** 0.5, 1)
    else:
        for c in circles["list"]:
            del c["iris"]
    nodes_drawn = len(kept) + len(folds)
    if overview is None:
        overview = nodes_drawn > OVERVIEW_MIN
    overview = overview and not physics and len(circles["list"]) >= 1

    counts: dict[str, int] = defaultdict(int)
    for k in columns["kind"]:
        counts[k] += 1
    counts["fold"] += len(folds)
    years = sorted({y for y in columns["year"] if y} | {y for y in edge_cols["year"] if y})
    whole = focus_iri is None
    heading = title or ("collabgraph explorer" if whole else f"collabgraph explorer: {describe(reader, focus_iri).label}")
    subtitle = (f"{len(kept):,} of {total:,} entities"
                + ("" if whole else f", {depth} hop(s) around {describe(reader, focus_iri).label}")
                + (f"; {folded:,} folded away ({len(folds):,} '+N more' node(s);"
                   f" {nodes_drawn:,} nodes drawn, at most {max_nodes:,})" if folded else ""))
    data = {
        "meta": {"physics": physics, "focus": ids.get(focus_iri), "total": total,
                 "scope": scope, "folded": folded, "foldNodes": len(folds), "maxNodes": max_nodes,
                 "overview": overview, "byCircles": by_circles, "centralLabels": CENTRAL_LABELS,
                 "smallCircle": SMALL_CIRCLE, "labelMax": LABEL_MAX,
                 "suggestAll": SUGGEST_ALL, "suggestSome": SUGGEST_SOME,
                 "rankScale": scale},
        "kinds": {k: {"shape": shape, "color": color, "unstated": k in UNSTATED}
                  for k, (_, shape, color) in KINDS.items()},
        "circles": circles["list"],
        "columns": columns, "edgeColumns": edge_cols, "folds": fold_rows, **facts,
        "legend": [{"kind": k, "label": KINDS[k][0], "shape": KINDS[k][1], "color": KINDS[k][2], "count": counts[k],
                    "unstated": k in UNSTATED} for k in KINDS if counts.get(k)],
        "roles": sorted({r for r in edge_cols["role"] if r}),
        "years": [years[0], years[-1]] if years else [],
        "options": _options(physics),
        "undated": sum(1 for r, y in zip(edge_cols["role"], edge_cols["year"]) if r and not y),
    }
    html = _render(data, heading, subtitle)
    return ExplorerPage(html, nodes_drawn, len(edge_cols["from"]) + len(folds), folded, physics)


def _select(g: "nx.MultiDiGraph", neighbours: dict[str, set[str]], degree: dict[str, int],
            focus: str | None, depth: int, max_nodes: int,
            total: int) -> tuple[list[str], list[tuple[str, list[str]]], int]:
    """The entities to draw, per parent the neighbours folded into its "+N more"
    node, and how many entities the view holds (whole graph or neighbourhood).

    Drawn entities and "+N more" nodes together are at most ``max_nodes``: when
    the view does not fit, room for the "+N more" nodes is set aside first.
    """
    def rank(n: str) -> tuple:
        return (-degree.get(n, 0), n)

    scope = total if focus is None else _reach(neighbours, focus, depth)
    folds_room = 0 if scope <= max_nodes else min(MAX_FOLDS, max(1, max_nodes // 10))
    cap = max_nodes - folds_room
    if focus is None:
        ordered = sorted(g.nodes, key=rank)
        kept = ordered[:cap]
        keep = set(kept)
        folds = [(n, sorted(neighbours[n] - keep)) for n in kept if neighbours[n] - keep]
        folds.sort(key=lambda f: (-len(f[1]), f[0]))
        return kept, folds[:folds_room], scope
    kept, seen = [focus], {focus}
    folds: list[tuple[str, list[str]]] = []
    layer = [focus]
    for _ in range(depth):
        following = []
        for parent in sorted(layer, key=rank):
            fresh = sorted((n for n in neighbours[parent] if n not in seen), key=rank)
            room = max(0, cap - len(kept))
            take, rest = fresh[:room], fresh[room:]
            kept.extend(take)
            seen.update(fresh)
            following.extend(take)
            if rest:
                folds.append((parent, rest))
        layer = following
    return kept, folds[:folds_room], scope  # breadth-first order: the folds nearest the focus stay


def _entity_count(reader: Reader) -> int:
    """How many entities the graph holds (nodes of the ``"entity"`` projection)."""
    whole = reader.projections.get("entity")
    if whole is not None:
        return whole.number_of_nodes()
    return int(next(reader.store.select(query_text("entity-count")))["n"].value)


def _reach(neighbours: dict[str, set[str]], start: str, depth: int) -> int:
    """How many entities are at most ``depth`` hops from ``start`` (itself included)."""
    seen, layer = {start}, {start}
    for _ in range(depth):
        layer = {n for p in layer for n in neighbours[p]} - seen
        seen |= layer
    return len(seen)


def _details(reader: Reader, kept: list[str], ids: dict[str, int],
             types: dict[str, str], whole: bool = False) -> tuple[dict[str, dict[str, Any]], dict[str, list[Any]]]:
    """Per node its names and type; and the tables of the view's facts (credits,
    claims, memberships, sources), each fact once, with quotes. One query per
    kind of detail, bound to the nodes in view (VALUES), so the cost follows
    the view's size; or, for a view of most of the graph (``whole``), over the
    whole graph, keeping the rows about the view (a third of the time at
    10,000 nodes: no VALUES blocks, and a credit comes once, not from both ends)."""
    store = reader.store
    keep = set(kept)
    nodes = [ox.NamedNode(i) for i in kept]

    def rows(name: str, **values: list[Any]) -> list[Any]:
        if whole:
            return list(store.select(_VALUES.sub("", query_text(name))))
        return select_values(store, query_text(name), **values)

    names: dict[str, dict[str, Any]] = {iri: {"labels": {}, "aliases": [], "wikidata": []} for iri in kept}
    for r in rows("some-names", entity=nodes):
        e = r["entity"].value
        if e not in keep:
            continue
        p, o = curie(r["p"].value), r["o"]
        if p == "rdfs:label":
            names[e]["labels"].setdefault(getattr(o, "language", None) or "", o.value)
        elif p == "skos:altLabel":
            names[e]["aliases"].append(o.value)
        else:
            names[e]["wikidata"].append(o.value)
    credit_rows = rows("some-credits", agent=nodes, work=nodes)
    claim_rows = rows("some-claims", about=nodes)
    if whole:
        credit_rows = [r for r in credit_rows if r["agent"].value in keep or r["work"].value in keep]
        claim_rows = [r for r in claim_rows if r["about"].value in keep]
    # the entities the view's facts name beyond its nodes: their labels, in one query
    named = {r[k].value for r in credit_rows for k in ("agent", "work", "character") if r[k] is not None}
    named |= {r[k].value for r in claim_rows for k in ("value", "claimedBy")
              if isinstance(r[k], ox.NamedNode)}
    everyone = names_and_types_of(reader, named - keep)
    terms = {_NS + t for t in types.values()} | {r["property"].value for r in claim_rows}
    terms |= {r["value"].value for r in claim_rows if isinstance(r["value"], ox.NamedNode)}
    concept: dict[str, str] = {}
    for r in select_values(store, query_text("some-concept-labels"), c=[ox.NamedNode(t) for t in sorted(terms)]):
        concept[r["c"].value] = r["l"].value
    released: dict[str, str] = {}
    works = keep | {r["work"].value for r in credit_rows}
    for r in select_values(store, query_text("some-releases"), work=[ox.NamedNode(w) for w in sorted(works)]):
        w, d = r["work"].value, r["date"].value
        if w not in released or d < released[w]:
            released[w] = d

    def label(iri: str) -> str:
        if iri in names:
            labels = names[iri]["labels"]
            return labels.get("en") or labels.get("") or next(iter(labels.values()), curie(iri))
        return everyone[iri][0] if iri in everyone else curie(iri)

    supers = class_tree(reader)
    out: dict[str, dict[str, Any]] = {}
    for iri in kept:
        n = names[iri]
        t = types[iri]
        k = kind_of(t, supers)
        year = released.get(iri, "")[:4]
        out[iri] = {
            "iri": iri, "label": label(iri), "labels": n["labels"], "aliases": sorted(set(n["aliases"])),
            "type": t, "typeLabel": concept.get(CG_IRI + t, t), "kind": k,
            "agent": is_agent(t, supers), "year": int(year) if year.isdigit() else None,
            "released": released.get(iri), "rank": work_rank(t),
            "links": [{"label": "Wikidata", "url": q.replace("http://www.wikidata.org/entity/",
                                                               "https://www.wikidata.org/wiki/")}
                      for q in sorted(set(n["wikidata"]))],
        }
    # Each fact once, in the order the page lists them; an end in view is its
    # node id, one outside it its label. Sources are a table of their own.
    sources: dict[tuple[str, str | None], int] = {}

    def source(label_: str, url: str | None) -> int:
        return sources.setdefault((label_, url), len(sources))

    def end(iri: str) -> "int | str":
        return ids[iri] if iri in ids else label(iri)

    credits: dict[str, dict[str, Any]] = {}
    for r in credit_rows:
        agent, work = r["agent"].value, r["work"].value
        c = credits.setdefault(r["credit"].value, {
            "agent": agent, "work": work, "role": curie(r["role"].value).split(":", 1)[-1],
            "character": label(r["character"].value) if r["character"] is not None else None,
            "date": lexical(r["date"]),
            "debut": r["debut"] is not None and r["debut"].value in ("true", "1"),
            "evidence": Evidence(), "source": lexical(r["sourceLabel"]) or "", "inference": lexical(r["inference"]),
            "source_iri": r["source"].value,
        })
        c["evidence"].add(r)
    # words a quote writes for a side without naming it ("the video"), with the sentence naming it, as
    # `collabgraph path` prints them (views.paths)
    said = descriptions(rows("described-words", e=sorted(
        {ox.NamedNode(x) for c in credits.values() for x in (c["agent"], c["work"])}, key=str)) if credits else [])
    def names_of(iri: str) -> list[str]:
        n = names.get(iri)
        return [label(iri), *n["labels"].values(), *n["aliases"]] if n else [label(iri)]

    credit_table = []
    for _, c in sorted(credits.items(), key=lambda kv: (date_order(kv[1]["date"] or released.get(kv[1]["work"])),
                                                        label(kv[1]["work"]), label(kv[1]["agent"]), kv[1]["role"],
                                                        kv[0])):
        quotes, locators, url = _cited(c["evidence"])
        described = [[q, words, label(side), named] for q in quotes for side in (c["agent"], c["work"])
                     for words, named in naming_sentences(said, side, c["source_iri"], q, names_of(side))]
        credit_table.append([end(c["agent"]), end(c["work"]), c["role"], c["character"],
                             c["date"] or released.get(c["work"]), 1 if c["debut"] else 0, quotes, locators,
                             source(c["source"], url), c["inference"], described])
    claims: dict[str, dict[str, Any]] = {}
    for r in claim_rows:
        about = r["about"].value
        v = r["value"]
        is_iri = isinstance(v, ox.NamedNode)
        c = claims.setdefault(r["fact"].value, {
            "about": about, "property": concept.get(r["property"].value, curie(r["property"].value)),
            "membership": r["property"].value == _NS + "memberOf",
            "value": (label(v.value) if v.value in names or v.value not in concept else concept[v.value])
            if is_iri else v.value,
            "valueId": ids.get(v.value) if is_iri else None,
            "by": label(r["claimedBy"].value) if r["claimedBy"] is not None else None,
            "inference": lexical(r["inference"]), "evidence": Evidence(), "source": lexical(r["sourceLabel"]) or ""})
        c["evidence"].add(r)
    by_about: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for _fact, c in sorted(claims.items()):  # ties below in the facts' order
        by_about[c["about"]].append(c)
    claim_table, memberships = [], []
    for iri in kept:  # each node's claims together, in its order
        for c in sorted(by_about.get(iri, ()), key=lambda c: (c["property"], str(c["value"]))):
            quotes, locators, url = _cited(c["evidence"])
            if c["membership"] and c["valueId"] is not None:
                memberships.append([ids[iri], c["valueId"], len(claim_table)])
            claim_table.append([ids[iri], c["property"], c["value"], c["valueId"], c["by"], c["inference"],
                                quotes, locators, source(c["source"], url)])
    return out, {"sources": [[label_, url] for label_, url in sources], "credits": credit_table,
                 "claims": claim_table, "memberships": memberships}


def _cited(evidence: Evidence) -> tuple[list[str], list[str], str | None]:
    """A fact's evidence as the page reads it: sorted quotes, record locators
    (a database fact's, where it has no quote) and the source's URL (none if
    it is too long to keep whole: a cut one would lead elsewhere)."""
    found = evidence.fields()
    url = found["source_url"]
    return list(found["quotes"]), list(found["locators"]), url if url is None or len(url) <= TEXT_MAX else None


def undirected_neighbours(g: "nx.MultiDiGraph") -> defaultdict[str, set[str]]:
    """Each node's neighbours, edges taken both ways and self-loops left out
    (what the explorer ranks, folds and draws by)."""
    neighbours: defaultdict[str, set[str]] = defaultdict(set)
    for u, v in g.edges():
        if u != v:
            neighbours[u].add(v)
            neighbours[v].add(u)
    return neighbours


def _view_graph(kept: list[str], neighbours: dict[str, set[str]]) -> "nx.Graph":
    """The drawn entities and their links, undirected, in a fixed order."""
    import networkx as nx

    keep = set(kept)
    h = nx.Graph()
    h.add_nodes_from(kept)
    h.add_edges_from((u, v) for u in kept for v in sorted(neighbours[u]) if v in keep and u < v)
    return h


def _size_value(x: float) -> float:
    """A node's ``value`` (vis-network maps values linearly onto sizes): the
    square root, so hubs stand out without dwarfing everyone."""
    return round((1 + x) ** 0.5, 3)


def _circles(kept: list[str], community: dict[str, int], pagerank: dict[str, float],
             details: dict[str, dict[str, Any]], folds: list[tuple[str, list[str]]] = ()) -> dict[str, Any]:
    """The communities as the page shows them: one circle per community of at
    least :data:`SMALL_CIRCLE` members (largest first), then one for all the
    smaller ones. Each has its size, colour, most central names and members,
    and how many entities its "+N more" nodes fold away (a "+N more" node is
    in its parent's circle)."""
    members: dict[int, list[str]] = defaultdict(list)
    for n in kept:
        members[community[n]].append(n)
    big = sorted((k for k, ms in members.items() if len(ms) >= SMALL_CIRCLE), key=lambda k: (-len(members[k]), k))
    small = sorted(k for k in members if len(members[k]) < SMALL_CIRCLE)
    groups = [members[k] for k in big] + ([[n for k in small for n in members[k]]] if small else [])
    out, of = [], {}
    for i, iris in enumerate(groups):
        for n in iris:
            of[n] = i
    folded: dict[int, int] = defaultdict(int)
    for parent, hidden in folds:
        folded[of[parent]] += len(hidden)
    for i, iris in enumerate(groups):
        pooled = bool(small) and i == len(groups) - 1
        ranked = sorted(iris, key=lambda n: (-pagerank.get(n, 0), n))
        agents = [n for n in ranked if details[n]["agent"]] or ranked
        top = [details[n]["label"] for n in agents[:3]]
        name = "smaller circles and loners" if pooled else (top[0] + "’s circle")
        count = f"{len(iris):,} members" + (f", {folded[i]:,} more folded" if folded[i] else "")
        out.append({"id": f"c{i}", "index": i, "size": len(iris), "folded": folded[i], "pooled": pooled,
                    "color": _POOLED if pooled or i >= len(CIRCLE_COLOURS) else CIRCLE_COLOURS[i],
                    "label": f"{name}\n{count}", "name": name, "top": top, "iris": iris})
    return {"list": out, "of": of}


def view_communities_and_pagerank(h: "nx.Graph", seed: int = 1) -> tuple[dict[str, int], dict[str, float]]:
    """Louvain communities and PageRank of the drawn view, from the analytics
    library (:mod:`collabgraph.views.analytics`), seeded and so the same on
    every run.

    Returns node -> community index (0 = the largest community; ties broken
    by the community's first node) and node -> PageRank.
    """
    from .analytics import partition, scores

    community = {n: i for i, members in enumerate(partition(h, seed=seed)) for n in members}
    return community, scores(h, "pagerank")


def force_layout(h: "nx.Graph", community: dict[str, int], *, seed: int = 1,
                 iterations: int | None = None, edge_length: float = 40.0) -> dict[str, tuple[float, float]]:
    """ForceAtlas2 positions for a big view, in page units (about ``edge_length``
    between neighbours).

    The graph's core (nodes with two or more links in the view) is laid out by
    ForceAtlas2 with Barnes-Hut (:mod:`collabgraph.views.forceatlas`), starting from
    its communities' own ForceAtlas2 layout so that circles start apart. Leaves
    (one link) then sit on a small sunflower around their one neighbour, and
    entities with no link in the view on a sunflower of their own beside the
    rest: they need no simulation, and at 10,000 nodes they are about half of
    the view.
    """
    import networkx as nx
    import numpy as np
    from .forceatlas import forceatlas2

    if not len(h):
        return {}
    rng = np.random.default_rng(seed)
    degree = dict(h.degree())
    core = [n for n in h if degree[n] >= 2]
    pairs = [n for n in h if degree[n] == 1 and degree[next(iter(h[n]))] == 1 and n < next(iter(h[n]))]
    core.extend(pairs)  # of a two-node component, one is the core and the other its leaf
    core_set = set(core)
    pos: dict[str, np.ndarray] = {}
    if core:
        # links inside a community pull ten times harder than links between
        # communities, so that circles show as regions of the picture
        c = nx.Graph()
        c.add_nodes_from(core)
        c.add_edges_from((u, v, {"weight": 1.0 if community[u] == community[v] else 0.1})
                         for u, v in h.subgraph(core).edges())
        # 1. the communities' graph: where each circle starts
        quotient = nx.Graph()
        quotient.add_nodes_from(sorted({community[n] for n in core}))
        for u, v in c.edges():
            cu, cv = community[u], community[v]
            if cu != cv:
                w = quotient.get_edge_data(cu, cv, {"weight": 0})["weight"]
                quotient.add_edge(cu, cv, weight=w + 1)
        size = {k: 0 for k in quotient}
        for n in core:
            size[community[n]] += 1
        if len(quotient) > 1:
            qpos = forceatlas2(quotient, iterations=200, seed=seed)
        else:
            qpos = {k: (0.0, 0.0) for k in quotient}
        spread = np.ptp(np.array(list(qpos.values())), axis=0).max() or 1.0
        start = {}
        for n in core:
            k = community[n]
            r = spread * 0.5 * (size[k] / len(core)) ** 0.5
            start[n] = tuple(np.asarray(qpos[k]) + rng.normal(0.0, r + 1e-3, 2))
        # 2. the core, from there
        if iterations is None:  # 100 steps; 60 past 3,000 core nodes, where each step costs most
            iterations = 100 if len(core) <= 3000 else 60
        laid = forceatlas2(c, pos=start, iterations=iterations, seed=seed)
        pos = {n: np.asarray(p, dtype=float) for n, p in laid.items()}
        lengths = [np.linalg.norm(pos[u] - pos[v]) for u, v in c.edges() if community[u] == community[v]]
        unit = float(np.median(lengths)) if lengths else 1.0
        factor = edge_length / (unit or 1.0)
        pos = {n: p * factor for n, p in pos.items()}
        # small components drift far out under repulsion: bring each to the
        # rim of the largest one
        parts = sorted(nx.connected_components(c), key=len, reverse=True)
        centre = np.median(np.array([pos[n] for n in parts[0]]), axis=0)
        rim = max(float(np.linalg.norm(pos[n] - centre)) for n in parts[0]) + edge_length
        for part in parts[1:]:
            middle = np.mean(np.array([pos[n] for n in part]), axis=0)
            away = float(np.linalg.norm(middle - centre))
            if away > rim:
                shift = (middle - centre) * (rim / away - 1)
                for n in part:
                    pos[n] = pos[n] + shift
    # 3. leaves around their neighbour, golden-angle spiral
    golden = np.pi * (3 - 5 ** 0.5)
    children: dict[str, list[str]] = {}
    for n in h:
        if n not in core_set and degree[n] == 1:
            children.setdefault(next(iter(h[n])), []).append(n)
    step = edge_length * 0.45
    for parent, kids in children.items():
        base = pos[parent]
        turn = rng.uniform(0, 2 * np.pi)
        for i, kid in enumerate(sorted(kids)):
            r = step * (1 + 0.6 * i ** 0.5)
            a = turn + i * golden
            pos[kid] = base + r * np.array([np.cos(a), np.sin(a)])
    # 4. unlinked entities: a sunflower to the right of everything else
    alone = sorted((n for n in h if degree[n] == 0), key=lambda n: (community.get(n, 0), n))
    if alone:
        placed = np.array(list(pos.values())) if pos else np.zeros((1, 2))
        lo, hi = placed.min(axis=0), placed.max(axis=0)
        radius = edge_length * 0.5 * (len(alone) ** 0.5)
        centre = np.array([hi[0] + radius + 2 * edge_length, (lo[1] + hi[1]) / 2])
        for i, n in enumerate(alone):
            r, a = edge_length * 0.5 * (i + 0.5) ** 0.5, i * golden
            pos[n] = centre + r * np.array([np.cos(a), np.sin(a)])
    return {n: (round(float(p[0]), 1), round(float(p[1]), 1)) for n, p in pos.items()}



def _options(physics: bool) -> dict[str, Any]:
    return {
        # Big views: a label shows once it would be at least 8 px on screen
        # (the page keeps the most central ones that big at every zoom).
        "nodes": {"scaling": {"min": 8, "max": 36, "label": {"enabled": False, "drawThreshold": 5 if physics else 9}},
                  # small views: labels big enough to stay readable once a laptop's screen fits the view
                  "font": {"size": 16 if physics else 13, "face": "Noto Sans CJK KR, sans-serif", "color": "#343434"}},
        "edges": {"font": {"size": 11 if physics else 10, "align": "middle", "color": "#667"}, "smooth": physics,
                  "scaling": {"label": {"enabled": False, "drawThreshold": 5 if physics else 9}},
                  "arrows": {"to": {"scaleFactor": 0.5}}},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"springLength": 70, "gravitationalConstant": -40},
                    "stabilization": {"enabled": physics, "iterations": 250, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 10_000_000, "hideEdgesOnDrag": not physics,
                        "hideEdgesOnZoom": not physics},
        "layout": {"improvedLayout": physics, "randomSeed": 1},  # the same picture on every load
    }


def _asset(name: str) -> str:
    return package_file("assets", name).read_text("utf-8")


def _vis_asset(suffix: str) -> str:
    import pyvis

    base = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (base / f"vis-network.min.{suffix}" if suffix == "js" else base / "vis-network.css").read_text("utf-8")


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with an ellipsis.

    >>> _clip("Love wins all", 8), _clip("IU", 8)
    ('Love wi…', 'IU')
    """
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _clipped(value: Any, key: str = "") -> Any:
    """Every string in the page's data cut to :data:`TEXT_MAX` characters; a
    URL that long is dropped rather than cut (a cut one would lead elsewhere)."""
    if isinstance(value, str):
        if len(value) <= TEXT_MAX:
            return value
        return "" if key.lower().endswith("url") else _clip(value, TEXT_MAX)
    if isinstance(value, dict):
        return {k: _clipped(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_clipped(v, key) for v in value]
    return value


def _render(data: dict[str, Any], heading: str, subtitle: str) -> str:
    """Render through pyvis's Network with our template (pyvis's own links
    Bootstrap and vis-network from CDNs, even in its inline mode)."""
    from pyvis.network import Network

    data = _clipped(data)
    heading, subtitle = _clip(heading, TEXT_MAX), _clip(subtitle, TEXT_MAX)
    net = Network(height="100%", width="100%", directed=True, heading=heading)
    # The page builds vis-network's nodes and edges itself from the data's
    # columns (our template does not use pyvis's own lists).
    net.nodes, net.edges, net.node_ids, net.node_map = [], [], [], {}
    net.options = data["options"]
    net.set_template_dir(str(package_file("assets")), "explorer.html.j2")
    net.templateEnv.globals.update(
        app_data=data, subtitle=subtitle, app_js=_asset("explorer.js"), app_css=_asset("explorer.css"),
        vis_js=_vis_asset("js"), vis_css=_vis_asset("css"))
    from ..core.pagepolicy import SLOT, policy

    html = net.generate_html(name="explorer.html")
    # Its own scripts and styles by hash, nothing else (a <meta> policy: no frame-ancestors).
    return html.replace(SLOT, policy(html, images=True), 1)

