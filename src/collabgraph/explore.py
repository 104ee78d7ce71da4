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

import os
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import EntityNotFound
from .namespaces import CG, curie
from .queries import query_text
from .store import select_values
from .terms import lexical
from .views.entities import describe, names_and_types_of, resolve
from .views.facts import Evidence
from .views.projections import neighbourhood, projection
from .views.reader import Reader
from .views.records import Entity, date_order, work_rank  # the page orders a hop's works as `collabgraph path` does

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

#: Longest label drawn on a node, and longest text (name, alias, quote) the page
#: holds; longer ones are cut with an ellipsis, so a huge literal cannot bloat
#: the page (sources past :func:`collabgraph.sourcecheck.max_literal` are
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
        """Write the page (atomically: a reader never sees half a file)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_text(self.html, "utf-8")
        os.replace(tmp, path)
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
    neighbours: dict[str, set[str]] = defaultdict(set)
    for u, v in g.edges():
        if u != v:
            neighbours[u].add(v)
            neighbours[v].add(u)
    degree = {n: len(neighbours[n]) for n in g.nodes}
    if focus_iri is not None and focus_iri not in g:
        raise EntityNotFound(str(focus), [])
    kept, folds, scope = _select(g, neighbours, degree, focus_iri, depth, max_nodes, total)
    folded = scope - len(kept)

    ids = {iri: i for i, iri in enumerate(kept)}
    details = _details(reader, kept, ids, {iri: g.nodes[iri].get("type", "Entity") for iri in kept})
    view = _view_graph(kept, neighbours)
    community, pagerank = view_communities_and_pagerank(view)
    physics = len(kept) + len(folds) <= PHYSICS_MAX and not overview
    circles = _circles(kept, community, pagerank, details)
    by_circles = not physics  # big views: colour is the community, shape the kind
    scale = len(kept)  # PageRank times this is 1 for an average node
    nodes, edges = [], []
    for iri in kept:
        d = details[iri]
        label = _clip(d["label"], LABEL_MAX) + (f"\n{_clip(d['labels']['ko'], LABEL_MAX)}"
                                               if "ko" in d["labels"] and d["labels"]["ko"] != d["label"] else "")
        _, shape, color = KINDS[d["kind"]]
        circle = circles["of"][iri]
        if by_circles:
            color = circles["list"][circle]["color"]
        d["community"] = circle
        d["ranks"] = {"degree": degree.get(iri, 0), "pagerank": round(pagerank.get(iri, 0.0), 8)}
        node = {"id": ids[iri], "label": label, "shape": shape, "color": color,
                "value": _size_value(pagerank.get(iri, 0.0) * scale),
                "borderWidth": 3 if iri == focus_iri else 1}
        if d["kind"] in UNSTATED:
            node.update(color={"background": color, "border": "#1f2937"}, shapeProperties={"borderDashes": [4, 3]},
                        borderWidth=3 if iri == focus_iri else 2)
        nodes.append(node)
    for u, v, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: (ids.get(e[0], -1), e[1], e[2])):
        if u in ids and v in ids:
            role = data.get("role")
            year = (data.get("date") or "")[:4]
            if not year.isdigit():  # a credit without its own date: its work's release
                year = str(details[v]["year"] or details[u]["year"] or "") if role else ""
            edges.append({"id": len(edges), "from": ids[u], "to": ids[v],
                          "label": role or key.split(":", 1)[-1], "role": role,
                          "arrows": "to", "dashes": role is None, "year": int(year) if year.isdigit() else None,
                          "color": {"color": "#9aa4b2" if role else "#c8ccd2"}})
    info = {ids[iri]: details[iri] for iri in kept}
    for parent, hidden in folds:
        fid = len(nodes)
        nodes.append({"id": fid, "label": f"+{len(hidden)} more", "shape": "dot", "color": KINDS["fold"][2],
                      "value": 1})
        edges.append({"id": len(edges), "from": ids[parent], "to": fid, "label": "", "role": None,
                      "dashes": True, "color": {"color": "#d5d9de"}})
        info[fid] = {"label": f"+{len(hidden)} more", "labels": {}, "aliases": [], "kind": "fold",
                     "typeLabel": "folded neighbours", "agent": False, "credits": [], "claims": [],
                     "community": circles["of"][parent], "ranks": {"degree": len(hidden), "pagerank": 0},
                     "fold": {"parent": ids[parent], "count": len(hidden),
                              "labels": sorted(g.nodes[h].get("label", curie(h)) for h in hidden)[:100]}}

    if not physics:
        positions = force_layout(view, community)
        for n, iri in zip(nodes, kept):
            n["x"], n["y"] = positions[iri]
        for n, (parent, _) in zip(nodes[len(kept):], folds):
            x, y = positions[parent]
            n["x"], n["y"] = x + 40, y + 40
        for c in circles["list"]:
            xs = [positions[m] for m in c.pop("iris")]
            c["x"], c["y"] = (round(sum(p[0] for p in xs) / len(xs), 1), round(sum(p[1] for p in xs) / len(xs), 1))
    else:
        for c in circles["list"]:
            del c["iris"]
    if overview is None:
        overview = len(nodes) > OVERVIEW_MIN
    overview = overview and not physics and len(circles["list"]) >= 1
    memberships = []
    for iri in kept:
        for c in details[iri]["claims"]:
            if c["property"] == "member of" and c["valueId"] is not None:
                memberships.append({"member": ids[iri], "group": c["valueId"], "quotes": c["quotes"],
                                    "locators": c["locators"], "sourceUrl": c["sourceUrl"]})

    counts: dict[str, int] = defaultdict(int)
    for d in info.values():
        counts[d["kind"]] += 1
    years = sorted({d["year"] for d in info.values() if d.get("year")} | {e["year"] for e in edges if e.get("year")})
    whole = focus_iri is None
    heading = title or ("collabgraph explorer" if whole else f"collabgraph explorer: {describe(reader, focus_iri).label}")
    subtitle = (f"{len(kept):,} of {total:,} entities"
                + ("" if whole else f", {depth} hop(s) around {describe(reader, focus_iri).label}")
                + (f"; {folded:,} folded away ({len(folds):,} '+N more' node(s);"
                   f" {len(nodes):,} nodes drawn, at most {max_nodes:,})" if folded else ""))
    data = {
        "meta": {"physics": physics, "focus": ids.get(focus_iri), "total": total,
                 "scope": scope, "folded": folded, "foldNodes": len(folds), "maxNodes": max_nodes,
                 "overview": overview, "byCircles": by_circles, "centralLabels": CENTRAL_LABELS,
                 "smallCircle": SMALL_CIRCLE,
                 "rankScale": scale},
        "circles": [{k: v for k, v in c.items()} for c in circles["list"]],
        "nodes": nodes, "edges": edges, "info": info, "memberships": memberships,
        "legend": [{"kind": k, "label": KINDS[k][0], "shape": KINDS[k][1], "color": KINDS[k][2], "count": counts[k],
                    "unstated": k in UNSTATED} for k in KINDS if counts.get(k)],
        "roles": sorted({e["role"] for e in edges if e["role"]}),
        "years": [years[0], years[-1]] if years else [],
        "options": _options(physics),
        "undated": sum(1 for e in edges if e["role"] and not e.get("year")),
    }
    html = _render(data, heading, subtitle)
    return ExplorerPage(html, len(nodes), len(edges), folded, physics)


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
             types: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per node: names, type, credits and claims with quotes. Every query is
    bound to the nodes in view (VALUES), so the cost follows the view's size."""
    store = reader.store
    keep = set(kept)
    nodes = [ox.NamedNode(i) for i in kept]
    names: dict[str, dict[str, Any]] = {iri: {"labels": {}, "aliases": [], "wikidata": []} for iri in kept}
    for r in select_values(store, query_text("some-names"), entity=nodes):
        e = r["entity"].value
        p, o = curie(r["p"].value), r["o"]
        if p == "rdfs:label":
            names[e]["labels"].setdefault(getattr(o, "language", None) or "", o.value)
        elif p == "skos:altLabel":
            names[e]["aliases"].append(o.value)
        else:
            names[e]["wikidata"].append(o.value)
    credit_rows = select_values(store, query_text("some-credits"), agent=nodes, work=nodes)
    claim_rows = select_values(store, query_text("some-claims"), about=nodes)
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
            "type": t, "typeLabel": concept.get("https://w3id.org/collabgraph/ns#" + t, t), "kind": k,
            "agent": is_agent(t, supers), "year": int(year) if year.isdigit() else None,
            "released": released.get(iri), "rank": work_rank(t),
            "credits": [], "claims": [],
            "links": [{"label": "Wikidata", "url": q.replace("http://www.wikidata.org/entity/",
                                                               "https://www.wikidata.org/wiki/")}
                      for q in sorted(set(n["wikidata"]))],
        }
    credits: dict[str, dict[str, Any]] = {}
    for r in credit_rows:
        agent, work = r["agent"].value, r["work"].value
        c = credits.setdefault(r["credit"].value, {
            "agent": agent, "work": work, "role": curie(r["role"].value).split(":", 1)[-1],
            "character": label(r["character"].value) if r["character"] is not None else None,
            "date": lexical(r["date"]),
            "debut": r["debut"] is not None and r["debut"].value in ("true", "1"),
            "evidence": Evidence(), "source": lexical(r["sourceLabel"]) or "", "inference": lexical(r["inference"]),
        })
        c["evidence"].add(r)
    for c in sorted(credits.values(), key=lambda c: (date_order(c["date"] or released.get(c["work"])),
                                                     label(c["work"]), label(c["agent"]), c["role"])):
        for me, other in ((c["agent"], c["work"]), (c["work"], c["agent"])):
            if me in out:
                out[me]["credits"].append({
                    "node": ids.get(other), "label": label(other), "role": c["role"],
                    "character": c["character"], "date": c["date"] or released.get(c["work"]),
                    "debut": c["debut"], **_cited(c["evidence"]), "source": c["source"],
                    "inference": c["inference"]})
    claims: dict[str, dict[str, Any]] = {}
    for r in claim_rows:
        about = r["about"].value
        v = r["value"]
        is_iri = isinstance(v, ox.NamedNode)
        c = claims.setdefault(r["fact"].value, {
            "about": about, "property": concept.get(r["property"].value, curie(r["property"].value)),
            "value": (label(v.value) if v.value in names or v.value not in concept else concept[v.value])
            if is_iri else v.value,
            "valueId": ids.get(v.value) if is_iri else None,
            "by": label(r["claimedBy"].value) if r["claimedBy"] is not None else None,
            "inference": lexical(r["inference"]), "evidence": Evidence(), "source": lexical(r["sourceLabel"]) or ""})
        c["evidence"].add(r)
    for c in sorted(claims.values(), key=lambda c: (c["property"], str(c["value"]))):
        about, evidence = c.pop("about"), c.pop("evidence")
        out[about]["claims"].append({**c, **_cited(evidence)})
    return out


def _cited(evidence: Evidence) -> dict[str, Any]:
    """A fact's evidence as the page reads it: sorted quotes, record locators
    (a database fact's, where it has no quote) and the source's URL."""
    found = evidence.fields()
    return {"quotes": list(found["quotes"]), "locators": list(found["locators"]), "sourceUrl": found["source_url"]}


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
             details: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The communities as the page shows them: one circle per community of at
    least :data:`SMALL_CIRCLE` members (largest first), then one for all the
    smaller ones. Each has its size, colour, most central names and members."""
    members: dict[int, list[str]] = defaultdict(list)
    for n in kept:
        members[community[n]].append(n)
    big = sorted((k for k, ms in members.items() if len(ms) >= SMALL_CIRCLE), key=lambda k: (-len(members[k]), k))
    small = sorted(k for k in members if len(members[k]) < SMALL_CIRCLE)
    groups = [members[k] for k in big] + ([[n for k in small for n in members[k]]] if small else [])
    out, of = [], {}
    for i, iris in enumerate(groups):
        pooled = bool(small) and i == len(groups) - 1
        ranked = sorted(iris, key=lambda n: (-pagerank.get(n, 0), n))
        agents = [n for n in ranked if details[n]["agent"]] or ranked
        top = [details[n]["label"] for n in agents[:3]]
        name = "smaller circles and loners" if pooled else (top[0] + "’s circle")
        out.append({"id": f"c{i}", "index": i, "size": len(iris), "pooled": pooled,
                    "color": _POOLED if pooled or i >= len(CIRCLE_COLOURS) else CIRCLE_COLOURS[i],
                    "label": f"{name}\n{len(iris):,} members", "name": name, "top": top, "iris": iris})
        for n in iris:
            of[n] = i
    return {"list": out, "of": of}


def view_communities_and_pagerank(h: "nx.Graph", seed: int = 1) -> tuple[dict[str, int], dict[str, float]]:
    """INTERIM, to be swapped for the analytics library's API when it is merged:
    Louvain communities and PageRank of the drawn view, with NetworkX, seeded
    and so the same on every run.

    Returns node -> community index (0 = the largest community; ties broken
    by the community's first node) and node -> PageRank.
    """
    import networkx as nx

    found = nx.community.louvain_communities(h, seed=seed) if h.number_of_edges() else [{n} for n in h]
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    community = {n: i for i, members in enumerate(ordered) for n in members}
    rank = nx.pagerank(h) if h.number_of_edges() else {n: 1 / max(1, len(h)) for n in h}
    return community, rank


def force_layout(h: "nx.Graph", community: dict[str, int], *, seed: int = 1,
                 iterations: int = 100, edge_length: float = 40.0) -> dict[str, tuple[float, float]]:
    """ForceAtlas2 positions for a big view, in page units (about ``edge_length``
    between neighbours).

    The graph's core (nodes with two or more links in the view) is laid out by
    ForceAtlas2 with Barnes-Hut (the ``fa2`` package, Cython), starting from
    its communities' own ForceAtlas2 layout so that circles start apart. Leaves
    (one link) then sit on a small sunflower around their one neighbour, and
    entities with no link in the view on a sunflower of their own beside the
    rest: they need no simulation, and at 10,000 nodes they are about half of
    the view.
    """
    import networkx as nx
    import numpy as np
    from fa2 import ForceAtlas2

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
        fa2 = ForceAtlas2(outboundAttractionDistribution=True, scalingRatio=2.0, gravity=1.0, seed=seed, verbose=False)
        if len(quotient) > 1:
            qpos = fa2.forceatlas2_networkx_layout(quotient, iterations=200, weight_attr="weight")
        else:
            qpos = {k: (0.0, 0.0) for k in quotient}
        spread = np.ptp(np.array(list(qpos.values())), axis=0).max() or 1.0
        start = {}
        for n in core:
            k = community[n]
            r = spread * 0.5 * (size[k] / len(core)) ** 0.5
            start[n] = tuple(np.asarray(qpos[k]) + rng.normal(0.0, r + 1e-3, 2))
        # 2. the core, from there
        fa2 = ForceAtlas2(outboundAttractionDistribution=True, scalingRatio=2.0, gravity=1.0, seed=seed, verbose=False)
        laid = fa2.forceatlas2_networkx_layout(c, pos=start, iterations=iterations, weight_attr="weight")
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
                  "font": {"size": 13, "face": "Noto Sans CJK KR, sans-serif", "color": "#343434"}},
        "edges": {"font": {"size": 10, "align": "middle", "color": "#667"}, "smooth": physics,
                  "scaling": {"label": {"enabled": False, "drawThreshold": 5 if physics else 9}},
                  "arrows": {"to": {"scaleFactor": 0.5}}},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "stabilization": {"enabled": physics, "iterations": 250, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 10_000_000, "hideEdgesOnDrag": not physics},
        "layout": {"improvedLayout": physics},
    }


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text("utf-8")


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
    # pyvis's add_node/add_edge check membership in lists (O(n) a call); the
    # view is already consistent, so fill its containers directly.
    net.nodes, net.edges = data["nodes"], data["edges"]
    net.node_ids = [n["id"] for n in data["nodes"]]
    net.node_map = {n["id"]: n for n in data["nodes"]}
    net.options = data["options"]
    net.set_template_dir(str(resources.files(__package__).joinpath("assets")), "explorer.html.j2")
    net.templateEnv.globals.update(
        app_data=data, subtitle=subtitle, app_js=_asset("explorer.js"), app_css=_asset("explorer.css"),
        vis_js=_vis_asset("js"), vis_css=_vis_asset("css"))
    from .pagepolicy import SLOT, policy

    html = net.generate_html(name="explorer.html")
    # Its own scripts and styles by hash, nothing else (a <meta> policy: no frame-ancestors).
    return html.replace(SLOT, policy(html, images=True), 1)

