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
were folded away. Views over
:data:`PHYSICS_MAX` nodes get positions from a NetworkX layout and physics
off, so the page is usable at once.

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
from .terms import lexical
from .views.entities import describe, names_and_types, resolve
from .views.facts import Evidence
from .views.projections import projection
from .views.reader import Reader
from .views.records import Entity, date_order, work_rank  # the page orders a hop's works as `collabgraph path` does

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ExplorerPage", "explore", "PHYSICS_MAX", "MAX_FOLDS", "KINDS", "UNSTATED", "kind_of", "is_agent",
           "class_tree"]

#: Views up to this many nodes settle with physics in the browser; larger ones
#: get positions from NetworkX and physics off.
PHYSICS_MAX = 300
#: Views up to this many nodes use a spring layout; larger ones concentric shells.
SPRING_MAX = 1000
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
            title: str | None = None) -> ExplorerPage:
    """Render the explorer page for the whole graph or a neighbourhood.

    :param reader: the graph to show (see :mod:`collabgraph.views`).
    :param focus: an entity or its name; the view is its neighbourhood of ``depth`` hops.
    :param max_nodes: most nodes drawn, "+N more" nodes included. When the view
        has more entities, the least connected neighbours fold into "+N more"
        nodes, and the page says how many entities were folded away.
    :raises EntityNotFound: for an unknown focus.
    :raises ValueError: if ``max_nodes`` is below 2 (the focus and one "+N more").

    >>> from collabgraph import CollabGraph
    >>> page = CollabGraph.load(GRAPH_DIR, ONTOLOGY_DIR).explore(focus="V", depth=1, max_nodes=5)
    >>> page.nodes <= 5 < page.nodes + page.folded
    True
    """
    if max_nodes < 2:
        raise ValueError(f"max_nodes must be at least 2 (the focus and one '+N more' node), not {max_nodes}")
    g = projection(reader, "entity")  # read only here: no need for to_networkx's copy
    neighbours: dict[str, set[str]] = defaultdict(set)
    for u, v in g.edges():
        if u != v:
            neighbours[u].add(v)
            neighbours[v].add(u)
    degree = {n: len(neighbours[n]) for n in g.nodes}
    focus_iri = resolve(reader, focus).iri if focus else None
    if focus_iri is not None and focus_iri not in g:
        raise EntityNotFound(str(focus), [])
    kept, folds, scope = _select(g, neighbours, degree, focus_iri, depth, max_nodes)
    folded = scope - len(kept)

    ids = {iri: i for i, iri in enumerate(kept)}
    details = _details(reader, kept, ids, {iri: g.nodes[iri].get("type", "Entity") for iri in kept})
    nodes, edges = [], []
    for iri in kept:
        d = details[iri]
        label = _clip(d["label"], LABEL_MAX) + (f"\n{_clip(d['labels']['ko'], LABEL_MAX)}"
                                               if "ko" in d["labels"] and d["labels"]["ko"] != d["label"] else "")
        _, shape, color = KINDS[d["kind"]]
        node = {"id": ids[iri], "label": label, "shape": shape, "color": color,
                "value": 1 + degree.get(iri, 0), "group": d["kind"],
                "borderWidth": 3 if iri == focus_iri else 1}
        if d["kind"] in UNSTATED:
            node.update(color={"background": color, "border": "#1f2937"}, shapeProperties={"borderDashes": [4, 3]},
                        borderWidth=3 if iri == focus_iri else 2)
        nodes.append(node)
    for u, v, key, data in g.edges(keys=True, data=True):
        if u in ids and v in ids:
            role = data.get("role")
            edges.append({"id": len(edges), "from": ids[u], "to": ids[v],
                          "label": role or key.split(":", 1)[-1], "role": role,
                          "arrows": "to", "dashes": role is None,
                          "color": {"color": "#9aa4b2" if role else "#c8ccd2"}})
    info = {ids[iri]: details[iri] for iri in kept}
    for parent, hidden in folds:
        fid = len(nodes)
        nodes.append({"id": fid, "label": f"+{len(hidden)} more", "shape": "dot", "color": KINDS["fold"][2],
                      "value": 1 + len(hidden), "group": "fold"})
        edges.append({"id": len(edges), "from": ids[parent], "to": fid, "label": "", "role": None,
                      "dashes": True, "color": {"color": "#d5d9de"}})
        info[fid] = {"label": f"+{len(hidden)} more", "labels": {}, "aliases": [], "kind": "fold",
                     "typeLabel": "folded neighbours", "agent": False, "credits": [], "claims": [],
                     "fold": {"parent": ids[parent], "count": len(hidden),
                              "labels": sorted(g.nodes[h].get("label", curie(h)) for h in hidden)[:100]}}

    physics = len(nodes) <= PHYSICS_MAX
    if not physics:
        positions = _layout(kept, folds, neighbours, focus_iri, degree)
        for n, iri in zip(nodes, kept):
            n["x"], n["y"] = positions[iri]
        for n, (parent, _) in zip(nodes[len(kept):], folds):
            x, y = positions[parent]
            n["x"], n["y"] = x + 40, y + 40
    memberships = []
    for iri in kept:
        for c in details[iri]["claims"]:
            if c["property"] == "member of" and c["valueId"] is not None:
                memberships.append({"member": ids[iri], "group": c["valueId"], "quotes": c["quotes"],
                                    "locators": c["locators"], "sourceUrl": c["sourceUrl"]})

    counts: dict[str, int] = defaultdict(int)
    for d in info.values():
        counts[d["kind"]] += 1
    years = sorted(d["year"] for d in info.values() if d.get("year"))
    whole = focus_iri is None
    heading = title or ("collabgraph explorer" if whole else f"collabgraph explorer: {describe(reader, focus_iri).label}")
    subtitle = (f"{len(kept):,} of {g.number_of_nodes():,} entities"
                + ("" if whole else f", {depth} hop(s) around {describe(reader, focus_iri).label}")
                + (f"; {folded:,} folded away ({len(folds):,} '+N more' node(s);"
                   f" {len(nodes):,} nodes drawn, at most {max_nodes:,})" if folded else ""))
    data = {
        "meta": {"physics": physics, "focus": ids.get(focus_iri), "total": g.number_of_nodes(),
                 "scope": scope, "folded": folded, "foldNodes": len(folds), "maxNodes": max_nodes},
        "nodes": nodes, "edges": edges, "info": info, "memberships": memberships,
        "legend": [{"kind": k, "label": KINDS[k][0], "shape": KINDS[k][1], "color": KINDS[k][2], "count": counts[k],
                    "unstated": k in UNSTATED} for k in KINDS if counts.get(k)],
        "roles": sorted({e["role"] for e in edges if e["role"]}),
        "years": [years[0], years[-1]] if years else [],
        "options": _options(physics),
    }
    html = _render(data, heading, subtitle)
    return ExplorerPage(html, len(nodes), len(edges), folded, physics)


def _select(g: "nx.MultiDiGraph", neighbours: dict[str, set[str]], degree: dict[str, int],
            focus: str | None, depth: int, max_nodes: int) -> tuple[list[str], list[tuple[str, list[str]]], int]:
    """The entities to draw, per parent the neighbours folded into its "+N more"
    node, and how many entities the view holds (whole graph or neighbourhood).

    Drawn entities and "+N more" nodes together are at most ``max_nodes``: when
    the view does not fit, room for the "+N more" nodes is set aside first.
    """
    def rank(n: str) -> tuple:
        return (-degree.get(n, 0), n)

    scope = g.number_of_nodes() if focus is None else _reach(neighbours, focus, depth)
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


def _reach(neighbours: dict[str, set[str]], start: str, depth: int) -> int:
    """How many entities are at most ``depth`` hops from ``start`` (itself included)."""
    seen, layer = {start}, {start}
    for _ in range(depth):
        layer = {n for p in layer for n in neighbours[p]} - seen
        seen |= layer
    return len(seen)


def _details(reader: Reader, kept: list[str], ids: dict[str, int],
             types: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per node: names, type, credits and claims with quotes (a few whole-graph queries)."""
    store = reader.store
    keep = set(kept)
    concept = {r["c"].value: r["l"].value for r in store.select(query_text("concept-labels"))}
    names: dict[str, dict[str, Any]] = {iri: {"labels": {}, "aliases": [], "wikidata": []} for iri in kept}
    for r in store.select(query_text("view-names")):
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
    released: dict[str, str] = {}
    for r in store.select(query_text("releases")):
        w, d = r["work"].value, r["date"].value
        if w not in released or d < released[w]:
            released[w] = d

    everyone = names_and_types(reader)  # one query: labels of credited works and agents outside the view

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
    for r in store.select(query_text("view-credits")):
        agent, work = r["agent"].value, r["work"].value
        if agent not in keep and work not in keep:
            continue
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
    for r in store.select(query_text("view-claims")):
        about = r["about"].value
        if about not in keep:
            continue
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


def _layout(kept: list[str], folds: list[tuple[str, list[str]]], neighbours: dict[str, set[str]],
            focus: str | None, degree: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Positions for big views: a spring layout up to :data:`SPRING_MAX` nodes,
    concentric shells by distance from the focus (or the best-connected node) beyond."""
    import networkx as nx

    keep = set(kept)
    h = nx.Graph()
    h.add_nodes_from(kept)
    h.add_edges_from((u, v) for u in kept for v in neighbours[u] if v in keep and u < v)
    scale = 60.0 * len(kept) ** 0.5
    if len(kept) <= SPRING_MAX:
        pos = nx.spring_layout(h, seed=1, iterations=50, scale=scale)
    else:
        root = focus or max(kept, key=lambda n: (degree.get(n, 0), n))
        dist = nx.single_source_shortest_path_length(h, root)
        far = max(dist.values(), default=0) + 1
        shells: dict[int, list[str]] = defaultdict(list)
        for n in kept:
            shells[dist.get(n, far)].append(n)
        pos = nx.shell_layout(h, nlist=[shells[i] for i in sorted(shells)], scale=scale)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def _options(physics: bool) -> dict[str, Any]:
    return {
        "nodes": {"scaling": {"min": 8, "max": 36},
                  "font": {"size": 13, "face": "Noto Sans CJK KR, sans-serif", "color": "#343434"}},
        "edges": {"font": {"size": 10, "align": "middle", "color": "#667"}, "smooth": physics,
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
    return net.generate_html(name="explorer.html")

