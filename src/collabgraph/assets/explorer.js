// collabgraph explorer: search, filters, details with provenance, path mode.
// Everything from the data is put on the page as text (textContent, canvas
// labels); links are made only for http(s) URLs. The page loads nothing.
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("cg-data").textContent);
  const timing = { parsed: performance.now() };
  const el = (id) => document.getElementById(id);

  // ---- the data: columns and fact tables, unpacked -------------------------------
  // The page holds one list per field (a node's id is its index) and each
  // credit and claim once; here they become the light details of each node
  // (`info`) and vis-network's node and edge objects. Credits and claims
  // stay in their tables until a node's details or the path mode need them.
  const col = DATA.columns, nKept = col.label.length;
  const circles = DATA.circles || [];
  const byCircles = !!DATA.meta.byCircles;
  const info = {};                        // id -> light details
  for (let i = 0; i < nKept; i++) {
    info[i] = { label: col.label[i], labels: col.labels[i], aliases: col.aliases[i], iri: col.iri[i],
      type: col.type[i], typeLabel: col.typeLabel[i], kind: col.kind[i], agent: !!col.agent[i],
      year: col.year[i], released: col.released[i], rank: col.rank[i], links: col.links[i],
      community: col.community[i], ranks: { degree: col.degree[i], pagerank: col.pagerank[i] } };
  }
  DATA.folds.forEach((f, j) => {
    info[nKept + j] = { label: "+" + f.count + " more", labels: {}, aliases: [], kind: "fold",
      typeLabel: "folded neighbours", agent: false, community: info[f.parent].community,
      ranks: { degree: f.count, pagerank: 0 }, fold: f };
  });
  function clip(text, limit) { // as explore._clip, by code point
    const cps = Array.from(text);
    return cps.length <= limit ? text : cps.slice(0, limit - 1).join("") + "…";
  }
  function nodeOf(i) {
    const d = info[i], kind = DATA.kinds[d.kind];
    if (d.fold) {
      const parent = circles[d.community];
      const n = { id: i, label: d.label, shape: "dot", value: 1,
        color: byCircles && parent ? { background: parent.color, border: "#64748b" } : kind.color,
        shapeProperties: { borderDashes: [2, 2] }, borderWidth: 1 };
      if (col.x) { n.x = col.x[d.fold.parent] + 40; n.y = col.y[d.fold.parent] + 40; }
      return n;
    }
    const ko = d.labels.ko;
    const label = clip(d.label, DATA.meta.labelMax) + (ko !== undefined && ko !== d.label ? "\n" + clip(ko, DATA.meta.labelMax) : "");
    const color = byCircles ? circles[d.community].color : kind.color;
    const focus = DATA.meta.focus === i;
    const n = { id: i, label, shape: kind.shape, color, value: Math.sqrt(1 + d.ranks.pagerank * DATA.meta.rankScale),
      borderWidth: focus ? 3 : 1 };
    if (kind.unstated) {
      n.color = { background: color, border: "#1f2937" };
      n.shapeProperties = { borderDashes: [4, 3] };
      n.borderWidth = focus ? 3 : 2;
    }
    if (col.x) { n.x = col.x[i]; n.y = col.y[i]; }
    return n;
  }
  DATA.info = info;
  DATA.nodes = Object.keys(info).map((i) => nodeOf(Number(i)));
  const ec = DATA.edgeColumns;
  DATA.edges = ec.from.map((from, i) => ({ id: i, from, to: ec.to[i], label: ec.label[i], role: ec.role[i],
    arrows: "to", dashes: ec.role[i] === null, year: ec.year[i], color: { color: ec.role[i] ? "#9aa4b2" : "#c8ccd2" } }));
  DATA.folds.forEach((f, j) => DATA.edges.push({ id: DATA.edges.length, from: f.parent, to: nKept + j, label: "",
    role: null, dashes: true, color: { color: "#d5d9de" } }));
  // memberships, as the path mode reads them: member, group and the claim's evidence
  DATA.memberships = DATA.memberships.map(([member, group, row]) => {
    const c = claimOf(row);
    return { member, group, quotes: c.quotes, locators: c.locators, sourceUrl: c.sourceUrl };
  });
  const byId = new Map(DATA.nodes.map((n) => [n.id, n]));
  function endLabel(end) { return typeof end === "number" ? info[end].label : end; }
  function creditOf(row, me) { // a credit as seen from one of its ends
    const [agent, work, role, character, date, debut, quotes, locators, src, inference, described] = DATA.credits[row];
    const other = me === agent ? work : agent;
    return { node: typeof other === "number" ? other : null, label: endLabel(other), role, character, date,
      debut: !!debut, quotes, locators, sourceUrl: DATA.sources[src][1], source: DATA.sources[src][0], inference,
      described: described || [] };
  }
  function claimOf(row) {
    const [, property, value, valueId, by, inference, quotes, locators, src] = DATA.claims[row];
    return { property, value, valueId, by, inference, quotes, locators,
      sourceUrl: DATA.sources[src][1], source: DATA.sources[src][0] };
  }
  // Per node, its credits (either end) and claims in table order: built on
  // first use (a click, the path mode) or after the first draw.
  let factIndex = null;
  function facts() {
    if (factIndex) return factIndex;
    const credits = new Map(), claims = new Map();
    const push = (m, k, v) => { if (!m.has(k)) m.set(k, []); m.get(k).push(v); };
    DATA.credits.forEach((c, row) => { // a credit of an entity with itself is listed from both ends
      if (typeof c[0] === "number") push(credits, c[0], [row, c[0]]);
      if (typeof c[1] === "number") push(credits, c[1], [row, c[1]]);
    });
    const order = (m) => { for (const list of m.values()) list.sort((x, y) => x[0] - y[0]); };
    order(credits);
    DATA.claims.forEach((c, row) => push(claims, c[0], row));
    factIndex = { credits, claims };
    return factIndex;
  }
  function creditsOf(id) { return (facts().credits.get(id) || []).map(([row, me]) => creditOf(row, me)); }
  function claimsOf(id) { return (facts().claims.get(id) || []).map(claimOf); }

  // ---- communities: the overview and its circles --------------------------------
  // A big view opens on one node per community ("circle", id "c<index>");
  // opening a circle shows its members in their place. A node is drawn when
  // its circle is open and no filter hides it; a link between two closed
  // circles, or between a member and a closed circle, is drawn once per pair
  // with its count. Nodes and links join vis-network's data sets the first
  // time they are to be drawn: an overview of 10,000 entities starts with a
  // few dozen nodes.
  const OVERVIEW = !!DATA.meta.overview;
  const open = new Set(OVERVIEW ? [] : circles.map((c) => c.index));
  const circleOf = (id) => info[id].community;
  const circleId = (index) => "c" + index;
  const isCircle = (id) => typeof id === "string" && id.startsWith("c");
  const drawnHidden = new Map(); // node id -> hidden as last drawn (absent: not in the data set yet)
  const added = new Set();       // node ids in the data set
  const edgeAdded = DATA.edges.map(() => !OVERVIEW);
  // Node size follows the rank picked (PageRank or collaborations). In big
  // views only the most central nodes (and the largest circles) keep a label
  // at every zoom: the page draws those itself over the network at a fixed
  // size on screen (vis-network draws none for them), so zooming changes no
  // node. The others show theirs once zoomed in far enough, or on hover.
  const sizeBy = el("cg-size-by");
  function rankOf(id) {
    const r = info[id].ranks || {};
    return sizeBy.value === "degree" ? (r.degree || 0) : (r.pagerank || 0) * DATA.meta.rankScale;
  }
  // A node's value: the square root of its rank (so hubs stand out without
  // dwarfing everyone); a circle's, of its size. The page maps values onto
  // sizes itself (linearly, as vis-network's scaling would, over every node
  // and circle of the view): vis-network's own scaling goes over all 10,000
  // nodes again whenever one joins.
  function valueOf(id) {
    return isCircle(id) ? Math.sqrt(1 + circles[Number(id.slice(1))].size) * 2 : Math.sqrt(1 + rankOf(id));
  }
  let valueRange = [0, 0];
  function rangeOfValues() {
    let lo = Infinity, hi = -Infinity;
    const see = (v) => { if (v < lo) lo = v; if (v > hi) hi = v; };
    for (const n of DATA.nodes) see(valueOf(n.id));
    if (OVERVIEW) for (const c of circles) see(valueOf(circleId(c.index)));
    valueRange = [lo, hi];
  }
  function sizeOf(id) {
    const [lo, hi] = valueRange, { min, max } = DATA.options.nodes.scaling;
    return min + (hi > lo ? (valueOf(id) - lo) / (hi - lo) : 0.5) * (max - min);
  }
  function centralIds() {
    return new Set(byCircles ? DATA.nodes.filter((n) => info[n.id].kind !== "fold")
      .sort((a, b) => rankOf(b.id) - rankOf(a.id) || a.id - b.id).slice(0, DATA.meta.centralLabels).map((n) => n.id) : []);
  }
  let central = centralIds(), hovered = null;
  rangeOfValues();
  const labelled = (id) => (isCircle(id) ? byCircles && Number(id.slice(1)) < DATA.meta.centralLabels : central.has(id));
  const labelOf = (id) => (isCircle(id) ? circles[Number(id.slice(1))].label : DATA.nodes[id].label);
  // In big views vis-network holds no label and no arrow: it would measure
  // every label (10,000 of them) before its first draw, and draw arrows too
  // small to see. The page draws the labels of what is in view once zoomed
  // in (drawLabels below); a link's direction is that of its kind (an agent
  // credited on a work, a member of a group).
  const drawnLabel = (id) => (central.has(id) ? "" : DATA.nodes[id].label);
  function visNode(n) {
    const { label, value, ...rest } = n;
    if (!byCircles) rest.label = drawnLabel(n.id);
    return rest;
  }
  function visEdge(e) {
    if (!byCircles) return e;
    const { label, arrows, ...rest } = e;
    return rest;
  }
  const startNodes = [];
  if (OVERVIEW) {
    for (const c of circles) {
      startNodes.push({ id: circleId(c.index), label: labelled(circleId(c.index)) ? "" : c.label, shape: "dot", color: c.color,
        size: sizeOf(circleId(c.index)), x: c.x, y: c.y, borderWidth: 2, font: { size: 14 } });
      drawnHidden.set(circleId(c.index), false);
    }
  } else {
    for (const n of DATA.nodes) { startNodes.push({ ...visNode(n), size: sizeOf(n.id) }); added.add(n.id); drawnHidden.set(n.id, false); }
  }
  const nodes = new vis.DataSet(startNodes);
  const edges = new vis.DataSet(OVERVIEW ? [] : DATA.edges.map(visEdge));
  const isHidden = (id) => drawnHidden.get(id) !== false;
  let pathLook = null; // {nodes, edges} of the path shown, if one is

  // ---- helpers ------------------------------------------------------------
  // The same folding as collabgraph.names.search_key (NFKC, case-folded, letters and
  // digits): JavaScript has no casefold, but upper then lower case is one, except for
  // dotless i (kept), sharp s and final sigma (ss, σ) and Cherokee (folded to capitals).
  // A test compares the two on every character Python's Unicode database assigns.
  function key(text) {
    return (text || "").normalize("NFKC").replace(/[^\u0131]+/gu, (s) => s.toUpperCase().toLowerCase())
      .replace(/[\u00DF\u03C2\u13F8-\u13FD\uAB70-\uABBF]/g,
        (c) => (c === "\u00DF" ? "ss" : c === "\u03C2" ? "\u03C3" : c.toUpperCase()))
      .replace(/[^\p{L}\p{N}]/gu, "");
  }
  function make(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function safeUrl(url) {
    try {
      const u = new URL(url);
      return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
    } catch (e) { return null; }
  }
  // A fact's evidence as collabgraph.views.records.citations gives it: its
  // quotes, or where it has none, where in its source record it is stated.
  function citations(c) {
    // with each quote, what its words stand for ("the video" is Night Bus) and the sentence naming it
    if (c.quotes && c.quotes.length) return c.quotes.map((q) => ({ text: q, record: false,
      described: (c.described || []).filter((d) => d[0] === q) }));
    return (c.locators || []).map((l) => ({ text: l, record: true, url: c.sourceUrl }));
  }
  // As Hop.cited: the first citation of every credit of each side on the hop's work, once if shared, so
  // each role the hop lists has its words.
  function sideEvidence(credits, names) {
    const out = [];
    for (const name of names) {
      for (const [who, c] of credits) {
        const cite = who === name && citations(c)[0];
        if (cite && !out.some((x) => x.text === cite.text && x.record === cite.record)) out.push(cite);
      }
    }
    return out;
  }
  function showCitation(parent, cite) {
    if (!cite.record) {
      parent.append(make("blockquote", "“" + cite.text + "”", "cg-quote"));
      for (const [, words, label, named] of cite.described || []) {  // as `collabgraph path` prints it
        parent.append(make("div", "“" + words + "” is " + label + ", named in: “" + named + "”", "cg-named-in"));
      }
      return;
    }
    const line = make("div", "Cited at: " + cite.text, "cg-record");
    const href = cite.url ? safeUrl(cite.url) : null;
    if (href) {
      const a = make("a", " (open the source)");
      a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
      line.append(a);
    }
    parent.append(line);
  }
  function dateOrder(date) { // as views.records.date_order: no year (--MM-DD) or no date sorts last
    return date && !date.startsWith("--") ? date : "9999";
  }
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  function dateShown(date) { // as views.records.date_shown: --01-24 reads "24 January (year not stated)"
    const m = /^--(\d\d)-(\d\d)/.exec(date || "");
    return m && +m[1] >= 1 && +m[1] <= 12 ? `${+m[2]} ${MONTHS[+m[1] - 1]} (year not stated)` : (date || "");
  }
  function nameOf(id) { return info[id] ? info[id].label : String(id); }
  function iriOf(id) { return info[id].iri || ""; }

  // ---- the network ---------------------------------------------------------
  const container = el("cg-network");
  timing.data = performance.now();
  const network = new vis.Network(container, { nodes, edges }, DATA.options);
  timing.network = performance.now();
  window.collabgraph = { network, nodes, edges, info, findPath, select, closeMatches, closeNames, key, DATA, timing,
    openCircle, closeCircle, showOverview, showEveryone, open, circles };

  // The page's own clock: milliseconds from navigation to the first draw that
  // has every position (physics off) or the end of the physics (small views).
  function markReady() {
    if (document.body.dataset.ready) return;
    timing.ready = performance.now();
    document.body.dataset.readyMs = String(Math.round(timing.ready));
    document.body.dataset.ready = "1";
    window.collabgraphReady = true;
  }
  network.once("afterDrawing", () => {
    timing.drawn = performance.now();
    if (!DATA.meta.physics) markReady();
    setTimeout(afterFirstDraw, 0);
  });
  // Small views: once the physics has settled, it stops (a dragged node stays
  // where it is put), no label is left over another, and the view is fitted.
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  setTimeout(settle, 15000); // physics may never report on an empty view
  let settled = false;
  function settle() {
    if (settled) return;
    settled = true;
    if (DATA.meta.physics) {
      network.setOptions({ physics: { enabled: false } });
      const t0 = performance.now();
      spreadLabels();
      timing.spread = performance.now() - t0;
      network.fit({ animation: false });
    }
    markReady();
  }
  // Each drawn node's boxes (its shape, its label) relative to its centre, as
  // vis-network measured them at the last draw, in canvas units.
  function boxesOf(id) {
    const n = network.body.nodes[id], out = [];
    const r = Math.max(n.shape.width || 0, n.shape.height || 0, 2 * (n.options.size || 0)) / 2;
    out.push([-r, -r, r, r]);
    const l = n.labelModule.size;
    if (n.labelModule.elementOptions.label && l.width > 0) {
      out.push([l.left - n.x, l.top - n.y, l.left + l.width - n.x, l.top + l.height - n.y]);
    }
    return out;
  }
  // Moves nodes apart, a little at a time, until no label covers another
  // label or node (vis-network's physics knows nodes, not their labels).
  function spreadLabels() {
    network.redraw(); // every label measured
    const ids = nodes.getIds().filter((id) => !isHidden(id) && network.body.nodes[id]);
    const pos = network.getPositions(ids), boxes = new Map(ids.map((id) => [id, boxesOf(id)]));
    const GAP = 4;
    // the extent of each node's boxes, to find the pairs that may touch by a sweep down the picture
    const span = new Map(ids.map((id) => [id, [Math.min(...boxes.get(id).map((x) => x[1])) - GAP,
      Math.max(...boxes.get(id).map((x) => x[3])) + GAP]]));
    for (let round = 0; round < 200; round++) {
      let moved = false;
      const order = [...ids].sort((a, b) => pos[a].y + span.get(a)[0] - (pos[b].y + span.get(b)[0]));
      for (let i = 0; i < order.length; i++) {
        const bottom = pos[order[i]].y + span.get(order[i])[1];
        for (let j = i + 1; j < order.length && pos[order[j]].y + span.get(order[j])[0] < bottom; j++) {
          const a = order[i], b = order[j], pa = pos[a], pb = pos[b];
          for (const [ai, ba] of boxes.get(a).entries()) for (const [bi, bb] of boxes.get(b).entries()) {
            if (ai === 0 && bi === 0) continue; // two shapes: the physics keeps those apart
            const dx = Math.min(pa.x + ba[2], pb.x + bb[2]) - Math.max(pa.x + ba[0], pb.x + bb[0]) + GAP;
            const dy = Math.min(pa.y + ba[3], pb.y + bb[3]) - Math.max(pa.y + ba[1], pb.y + bb[1]) + GAP;
            if (dx <= 0 || dy <= 0) continue;
            moved = true;
            const ca = { x: pa.x + (ba[0] + ba[2]) / 2, y: pa.y + (ba[1] + ba[3]) / 2 };
            const cb = { x: pb.x + (bb[0] + bb[2]) / 2, y: pb.y + (bb[1] + bb[3]) / 2 };
            if (dy <= dx) {
              const s = (cb.y > ca.y || (cb.y === ca.y && b > a) ? 1 : -1) * (dy / 2 + 0.5);
              pa.y -= s; pb.y += s;
            } else {
              const s = (cb.x > ca.x || (cb.x === ca.x && b > a) ? 1 : -1) * (dx / 2 + 0.5);
              pa.x -= s; pb.x += s;
            }
          }
        }
      }
      if (!moved) break;
    }
    for (const id of ids) network.moveNode(id, pos[id].x, pos[id].y);
  }

  // ---- legend ----------------------------------------------------------------
  const legend = el("cg-legend");
  for (const item of DATA.legend) {
    const row = make("label", null, "cg-legend-item");
    const box = make("input");
    box.type = "checkbox"; box.checked = true; box.dataset.kind = item.kind;
    box.addEventListener("change", applyFilters);
    const swatch = shapeSwatch(item.shape, DATA.meta.byCircles ? "#64748b" : item.color, item.unstated); // big views colour by circle
    row.append(box, swatch, make("span", item.label + " (" + item.count + ")"));
    legend.append(row);
  }
  // A legend swatch drawn as vis-network draws the node: the same shape.
  function shapeSwatch(shape, color, unstated) {
    const NS = "http://www.w3.org/2000/svg", svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 14 14"); svg.setAttribute("width", "14"); svg.setAttribute("height", "14");
    svg.setAttribute("class", "cg-swatch"); svg.dataset.shape = shape;
    const star = [], hex = [];
    for (let k = 0; k < 10; k++) {
      const r = k % 2 ? 2.8 : 6.5, a = -Math.PI / 2 + k * Math.PI / 5;
      star.push([7 + r * Math.cos(a), 7.4 + r * Math.sin(a)]);
    }
    for (let k = 0; k < 6; k++) hex.push([7 + 6.3 * Math.cos(k * Math.PI / 3), 7 + 6.3 * Math.sin(k * Math.PI / 3)]);
    const points = { square: [[1.5, 1.5], [12.5, 1.5], [12.5, 12.5], [1.5, 12.5]], box: [[1, 3], [13, 3], [13, 11], [1, 11]],
      diamond: [[7, 0.5], [13.5, 7], [7, 13.5], [0.5, 7]], triangle: [[7, 1], [13, 12], [1, 12]],
      triangleDown: [[1, 2], [13, 2], [7, 13]], star, hexagon: hex }[shape];
    const mark = document.createElementNS(NS, points ? "polygon" : "circle");
    if (points) mark.setAttribute("points", points.map((p) => p.map((v) => v.toFixed(2)).join(",")).join(" "));
    else { mark.setAttribute("cx", "7"); mark.setAttribute("cy", "7"); mark.setAttribute("r", "6"); }
    mark.setAttribute("fill", color);
    mark.setAttribute("stroke", unstated ? "#1f2937" : color);
    if (unstated) mark.setAttribute("stroke-dasharray", "2 1.5");
    svg.append(mark);
    return svg;
  }
  const roles = el("cg-roles");
  for (const role of DATA.roles) {
    const row = make("label", null, "cg-legend-item");
    const box = make("input");
    box.type = "checkbox"; box.checked = true; box.dataset.role = role;
    box.addEventListener("change", applyFilters);
    row.append(box, make("span", role));
    roles.append(row);
  }
  const yearFrom = el("cg-year-from"), yearTo = el("cg-year-to"), yearShown = el("cg-year-shown");
  if (DATA.years.length) {
    for (const input of [yearFrom, yearTo]) {
      input.min = DATA.years[0]; input.max = DATA.years[1]; input.step = 1;
      input.addEventListener("input", () => { keepOrder(input); showYears(); scheduleRefresh(); });
      input.addEventListener("change", () => { keepOrder(input); showYears(); refresh(); });
    }
    yearFrom.value = DATA.years[0]; yearTo.value = DATA.years[1];
    showYears();
  } else {
    el("cg-years").hidden = true;
  }
  function keepOrder(moved) { // the two ends never cross
    if (Number(yearFrom.value) > Number(yearTo.value)) {
      if (moved === yearFrom) yearTo.value = yearFrom.value; else yearFrom.value = yearTo.value;
    }
  }
  function showYears() {
    yearShown.textContent = yearFrom.value + " – " + yearTo.value + (DATA.undated
      ? "; " + DATA.undated + " undated credit" + (DATA.undated === 1 ? "" : "s") + " always shown" : "");
  }
  function yearRange() {
    if (!DATA.years.length) return [-Infinity, Infinity];
    return [Number(yearFrom.value) || -Infinity, Number(yearTo.value) || Infinity];
  }

  // The links of every node, to tell an undated node whose every link is
  // outside the years (hidden) from one with a link in them or undated (kept).
  let linkIndex = null;
  function linksOf(id) {
    if (!linkIndex) {
      linkIndex = new Map();
      for (const e of DATA.edges) {
        for (const end of [e.from, e.to]) {
          if (!linkIndex.has(end)) linkIndex.set(end, []);
          linkIndex.get(end).push(e);
        }
      }
    }
    return linkIndex.get(id) || [];
  }

  let refreshQueued = false;
  function scheduleRefresh() {
    if (refreshQueued) return;
    refreshQueued = true;
    requestAnimationFrame(() => { refreshQueued = false; refresh(); });
  }
  function applyFilters() { refresh(); }
  const aggregateEdges = new Map(); // "a|b" of the circle links drawn now -> their count
  const edgeHidden = DATA.edges.map(() => OVERVIEW); // edge id (its index) -> hidden as last drawn

  // A node as it joins the data set: its size by the rank picked, and faded
  // if a path is shown.
  function joining(n) {
    const out = { ...visNode(n), size: sizeOf(n.id), hidden: false };
    if (pathLook) Object.assign(out, pathNodeLook(n.id));
    return out;
  }
  function joiningEdge(e) { return { ...visEdge(e), hidden: false, ...(pathLook ? pathEdgeLook(e.id) : {}) }; }

  // What is drawn: the filters (kinds, roles, years) and the open circles together.
  function refresh() {
    const kinds = new Set([...legend.querySelectorAll("input:checked")].map((b) => b.dataset.kind));
    const shownRoles = new Set([...roles.querySelectorAll("input:checked")].map((b) => b.dataset.role));
    const [lo, hi] = yearRange();
    const outOfYears = (y) => !!y && (y < lo || y > hi);
    const narrowed = DATA.years.length && (lo > DATA.years[0] || hi < DATA.years[1]);
    const filtered = new Set();
    for (const n of DATA.nodes) {
      const d = info[n.id];
      let out = !kinds.has(d.kind) || outOfYears(d.year);
      if (!out && !d.year && narrowed) {
        const links = linksOf(n.id);
        out = links.length > 0 && links.every((e) => outOfYears(e.year));
      }
      if (out) filtered.add(n.id);
    }
    const edgeOut = (e) => filtered.has(e.from) || filtered.has(e.to) || (e.role && !shownRoles.has(e.role)) ||
      outOfYears(e.year);
    const nodeUpdates = [], nodeAdds = [];
    for (const n of DATA.nodes) {
      const hidden = filtered.has(n.id) || !open.has(circleOf(n.id));
      if (!added.has(n.id)) { // not in the data set yet: it joins when first drawn
        if (!hidden) { added.add(n.id); drawnHidden.set(n.id, false); nodeAdds.push(joining(n)); }
        continue;
      }
      if (drawnHidden.get(n.id) !== hidden) { drawnHidden.set(n.id, hidden); nodeUpdates.push({ id: n.id, hidden }); }
    }
    const links = new Map(); // "a|b" -> how many links, where one end or both are closed circles
    const edgeUpdates = [], edgeAdds = [];
    for (const e of DATA.edges) {
      const out = edgeOut(e), a = rep(e.from), b = rep(e.to);
      const hidden = out || isCircle(a) || isCircle(b);
      if (!out && hidden && a !== b) {
        const k = String(a) < String(b) ? a + "|" + b : b + "|" + a;
        links.set(k, (links.get(k) || 0) + 1);
      }
      if (!edgeAdded[e.id]) {
        if (!hidden) { edgeAdded[e.id] = true; edgeHidden[e.id] = false; edgeAdds.push(joiningEdge(e)); }
        continue;
      }
      if (edgeHidden[e.id] !== hidden) { edgeHidden[e.id] = hidden; edgeUpdates.push({ id: e.id, hidden }); }
    }
    for (const c of circles) {
      const id = circleId(c.index), hidden = open.has(c.index);
      if (OVERVIEW && drawnHidden.get(id) !== hidden) { drawnHidden.set(id, hidden); nodeUpdates.push({ id, hidden }); }
    }
    // as few data set changes as can be: vis-network goes over every node and
    // link after each one
    if (nodeAdds.length || nodeUpdates.length) nodes.update([...nodeAdds, ...nodeUpdates]);
    const gone = [...aggregateEdges.keys()].filter((k) => !links.has(k));
    if (gone.length) edges.remove(gone.map((k) => "a|" + k));
    gone.forEach((k) => aggregateEdges.delete(k));
    const aggregates = [...links].filter(([k, count]) => aggregateEdges.get(k) !== count).map(([k, count]) => {
      const [a, b] = k.split("|");
      aggregateEdges.set(k, count);
      return { id: "a|" + k, from: asId(a), to: asId(b), label: "", count, role: null, dashes: false,
        arrows: { to: { enabled: false } }, width: Math.min(10, 1 + Math.log2(count)), color: { color: "#c3c8d0" } };
    });
    if (edgeAdds.length || edgeUpdates.length || aggregates.length) edges.update([...edgeAdds, ...edgeUpdates, ...aggregates]);
    document.body.dataset.filtered = String(filtered.size);
    document.body.dataset.open = [...open].sort((x, y) => x - y).join(" ");
    document.body.dataset.added = String(added.size);
    showCircles();
  }
  function rep(id) { return open.has(circleOf(id)) ? id : circleId(circleOf(id)); }
  function asId(text) { return isCircle(text) ? text : Number(text); }
  function openCircle(index, fit) {
    open.add(index);
    refresh();
    if (fit) network.fit({ nodes: membersOf(index), animation: false });
    fitLabels();
  }
  function closeCircle(index) {
    if (!OVERVIEW) return;
    open.delete(index);
    refresh();
  }
  function showOverview() {
    if (!OVERVIEW) return;
    open.clear();
    refresh();
    fitAll();
    fitLabels();
  }
  function showEveryone() {
    circles.forEach((c) => open.add(c.index));
    refresh();
    fitAll();
    fitLabels();
  }
  function membersOf(index) { return DATA.nodes.filter((n) => circleOf(n.id) === index && added.has(n.id)).map((n) => n.id); }

  // The circles: the largest with their colour, size and most central names;
  // a click opens one and zooms to it.
  const circleList = el("cg-circle-list");
  function showCircles() {
    if (!circles.length || !DATA.meta.byCircles) { el("cg-circles").hidden = true; return; }
    circleList.replaceChildren();
    for (const c of circles.slice(0, 12)) {
      const row = make("button", null, "cg-circle" + (open.has(c.index) ? " cg-open" : ""));
      row.type = "button"; row.dataset.circle = String(c.index);
      const swatch = make("span", null, "cg-swatch");
      swatch.style.background = c.color;
      row.append(swatch, make("span", c.name + " (" + c.size + (c.folded ? ", +" + c.folded + " folded)" : ")")));
      row.title = c.top.join(", ");
      row.addEventListener("click", () => openCircle(c.index, true));
      circleList.append(row);
    }
    if (circles.length > 12) circleList.append(make("div", "and " + (circles.length - 12) + " more", "cg-source"));
    el("cg-overview").hidden = !OVERVIEW;
  }
  el("cg-overview").addEventListener("click", showOverview);
  el("cg-everyone").addEventListener("click", showEveryone);

  // ---- size and labels by rank ----------------------------------------------------
  // px on screen for the labels that stay (12 on a phone's narrow canvas)
  const narrow = () => container.clientWidth < 600;
  const screenFont = () => (narrow() ? 12 : 15);
  function resize() {
    const before = central;
    central = centralIds();
    rangeOfValues();
    const moved = new Set([...before, ...central].filter((id) => before.has(id) !== central.has(id)));
    nodes.update([...added].map((id) => (moved.has(id)
      ? { id, size: sizeOf(id), ...(byCircles ? {} : { label: drawnLabel(id) }) } : { id, size: sizeOf(id) }))
      .concat(OVERVIEW ? circles.map((c) => ({ id: circleId(c.index), size: sizeOf(circleId(c.index)) })) : []));
    document.body.dataset.central = [...central].join(" ");
  }
  document.body.dataset.central = [...central].join(" ");
  // (a redraw on the next frame: the labels are drawn with the network)
  function fitLabels() { network.body.emitter.emit("_requestRedraw"); }
  // The labels that stay: SCREEN_FONT px at any zoom, on a halo, placed
  // greedily (one that would cover one placed before it moves up or down to
  // the nearest free place). What was drawn is kept in collabgraph.labels.
  const drawnLabels = [], viewLabels = { nodes: 0, edges: 0 };
  const overlaps = (box, placed) => placed.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]);
  // Big views, zoomed in far enough that a label would be drawThreshold px
  // or more: the labels of the nodes and links in view, at their own size
  // (vis-network holds none, see visNode). Placed greedily, the most central
  // first, then the links' roles: one that would cover a label already
  // placed (the central ones included) is left out, so what shows can be read.
  function drawViewLabels(ctx, scale, placed) {
    viewLabels.nodes = viewLabels.edges = 0;
    const threshold = DATA.options.nodes.scaling.label.drawThreshold;
    const nodeFont = DATA.options.nodes.font, edgeFont = DATA.options.edges.font;
    const showNodes = nodeFont.size * scale >= threshold, showEdges = edgeFont.size * scale >= threshold;
    if (!showNodes && !showEdges) return;
    const w = container.clientWidth, h = container.clientHeight;
    const lo = network.DOMtoCanvas({ x: 0, y: 0 }), hi = network.DOMtoCanvas({ x: w, y: h });
    const body = network.body.nodes;
    const inView = (p) => p && p.x >= lo.x && p.x <= hi.x && p.y >= lo.y && p.y <= hi.y;
    ctx.save();
    ctx.textAlign = "center"; ctx.lineJoin = "round"; ctx.lineWidth = 3 / scale; ctx.strokeStyle = "#fbfaf7";
    if (showNodes) {
      ctx.font = nodeFont.size + "px " + nodeFont.face; ctx.textBaseline = "top";
      const ids = [...added].filter((id) => !isCircle(id) && !central.has(id) && id !== hovered && !isHidden(id) && inView(body[id]))
        .sort((a, b) => rankOf(b) - rankOf(a) || a - b);
      for (const id of ids) {
        const n = body[id], lines = String(DATA.nodes[id].label).split("\n");
        const top = n.y + (n.options.size || 10) + 2, at = network.canvasToDOM({ x: n.x, y: top });
        const half = Math.max(...lines.map((l) => ctx.measureText(l).width)) * scale / 2;
        const box = [at.x - half, at.y, at.x + half, at.y + lines.length * nodeFont.size * 1.15 * scale];
        if (overlaps(box, placed)) continue;
        placed.push(box);
        ctx.fillStyle = pathLook ? (pathLook.nodes.has(id) ? PATH.font : FADED.font) : nodeFont.color;
        lines.forEach((line, i) => {
          ctx.strokeText(line, n.x, top + i * nodeFont.size * 1.15);
          ctx.fillText(line, n.x, top + i * nodeFont.size * 1.15);
        });
        viewLabels.nodes++;
      }
    }
    if (showEdges) {
      ctx.font = edgeFont.size + "px " + nodeFont.face; ctx.textBaseline = "middle";
      for (const e of DATA.edges) {
        if (!e.label || !edgeAdded[e.id] || edgeHidden[e.id]) continue;
        const a = body[e.from], b = body[e.to];
        if (!a || !b || !(inView(a) || inView(b))) continue;
        const x = (a.x + b.x) / 2, y = (a.y + b.y) / 2, at = network.canvasToDOM({ x, y });
        const half = ctx.measureText(e.label).width * scale / 2, tall = edgeFont.size * scale / 2;
        const box = [at.x - half, at.y - tall, at.x + half, at.y + tall];
        if (overlaps(box, placed)) continue;
        placed.push(box);
        ctx.fillStyle = pathLook ? (pathLook.edges.has(e.id) ? PATH.font : FADED.font) : edgeFont.color;
        ctx.strokeText(e.label, x, y); ctx.fillText(e.label, x, y);
        viewLabels.edges++;
      }
    }
    ctx.restore();
  }
  // Where a label that stays may go, in order: [sideways in half widths, down in lines or "above"].
  const LABEL_PLACES = [[0, 0], [0, "above"], [0, 1], [0, -2], [1, -0.5], [-1, -0.5], [0, 2], [0, -3],
    [1, 0.5], [-1, 0.5], [1, -1.5], [-1, -1.5], [0, 3], [0, -4], [1, 1.5], [-1, 1.5], [0, 4], [0, -5], [0, 5], [0, -6]];
  // Fits the view and its labels that stay (drawn at a fixed size on screen,
  // so vis-network's own fit leaves them out): zoomed out until every one is
  // inside the canvas, the whole centred.
  function fitAll(opts) {
    network.fit({ ...(opts || {}), animation: false });
    if (!byCircles) return;
    const w = container.clientWidth, h = container.clientHeight, M = 8;
    // a phone cannot hold every label: the nodes stay big enough to see (and only the labels with room show)
    const floor = network.getScale() * (narrow() ? 0.9 : 0.5);
    for (let k = 0; k < 8; k++) { // labels move as the scale changes: a few rounds until all fit
      network.redraw();
      const ids = (opts && opts.nodes) || [...nodes.getIds()].filter((id) => !isHidden(id));
      const boxes = drawnLabels.filter((d) => d.box).map((d) => d.box);
      for (const id of ids) {
        const b = network.getBoundingBox(id);
        if (!b) continue;
        const a = network.canvasToDOM({ x: b.left, y: b.top }), z = network.canvasToDOM({ x: b.right, y: b.bottom });
        boxes.push([a.x, a.y, z.x, z.y]);
      }
      if (!boxes.length) return;
      const lo = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1]))];
      const hi = [Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
      const f = Math.min((w - 2 * M) / (hi[0] - lo[0]), (h - 2 * M) / (hi[1] - lo[1]), 1.05);
      const centre = network.DOMtoCanvas({ x: (lo[0] + hi[0]) / 2, y: (lo[1] + hi[1]) / 2 });
      const fits = f >= 1 && lo[0] >= M - 1 && lo[1] >= M - 1 && hi[0] <= w - M + 1 && hi[1] <= h - M + 1;
      const centred = Math.abs((lo[0] + hi[0]) / 2 - w / 2) < 2 && Math.abs((lo[1] + hi[1]) / 2 - h / 2) < 2;
      if (fits && centred) break;
      // the labels keep their size on screen: a little below the scale that would fit them, then again
      network.moveTo({ position: centre, scale: Math.max(floor, network.getScale() * Math.min(1, f * 0.98 + 0.02)),
        animation: false });
    }
    document.body.dataset.fitted = "1";
  }
  window.collabgraph.fitAll = fitAll;
  function drawLabels(ctx) {
    drawnLabels.length = 0;
    if (!byCircles) return;
    const scale = network.getScale(), px = Math.max(12 * scale, screenFont()), size = px / scale;
    const ids = [...central].filter((id) => !isHidden(id)).sort((a, b) => rankOf(b) - rankOf(a) || a - b);
    // a hovered node's label, first (vis-network draws none in big views)
    if (hovered !== null && !labelled(hovered) && !isHidden(hovered)) ids.unshift(hovered);
    if (OVERVIEW) for (const c of circles.slice(0, DATA.meta.centralLabels)) {
      if (!isHidden(circleId(c.index))) ids.push(circleId(c.index));
    }
    const where = network.getPositions(ids), placed = [];
    // the drawn nodes with a label of the page's own are obstacles too: no label covers one; in the
    // overview every circle is (at 10,000 agents most circles have no label, and a label over one hides it)
    const blocking = OVERVIEW ? nodes.getIds().filter((id) => !isHidden(id)) : ids;
    const at0 = OVERVIEW ? network.getPositions(blocking) : where;
    const obstacles = blocking.filter((id) => at0[id]).map((id) => {
      const at = network.canvasToDOM(at0[id]), r = (((network.body.nodes[id] || {}).options || {}).size || 10) * scale;
      const box = [at.x - r, at.y - r, at.x + r, at.y + r];
      // and what vis-network counts as the node's box (its border, a label of its own), where it draws it
      const b = network.body.nodes[id] && network.getBoundingBox(id);
      if (!b) return box;
      const lo = network.canvasToDOM({ x: b.left, y: b.top }), hi = network.canvasToDOM({ x: b.right, y: b.bottom });
      return [Math.min(box[0], lo.x), Math.min(box[1], lo.y), Math.max(box[2], hi.x), Math.max(box[3], hi.y)];
    });
    ctx.save();
    ctx.font = size + "px " + DATA.options.nodes.font.face;
    ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.lineJoin = "round";
    ctx.lineWidth = 4 / scale; ctx.strokeStyle = "#fbfaf7";
    for (const id of ids) {
      if (!where[id]) continue;
      const lines = String(labelOf(id)).split("\n");
      const w = Math.max(...lines.map((l) => ctx.measureText(l).width)) * scale, h = lines.length * px * 1.15;
      const at = network.canvasToDOM(where[id]);
      const r = ((network.body.nodes[id] || {}).options || {}).size || 10;
      const top0 = at.y + r * scale + 2;
      // below the node, else above it, else the nearest free place around it
      const above = -(2 * r * scale + 4 + h);
      let shift = [0, 0], found = false;
      for (const [dx, dy] of LABEL_PLACES) {
        const tryShift = [dx * (w / 2 + r * scale + 4), dy === "above" ? above : dy * h];
        const box = [at.x - w / 2 + tryShift[0], top0 + tryShift[1], at.x + w / 2 + tryShift[0], top0 + tryShift[1] + h];
        const inside = !narrow() || (box[0] >= 0 && box[2] <= container.clientWidth && box[1] >= 0 && box[3] <= container.clientHeight);
        if (inside && !overlaps(box, placed) && !overlaps(box, obstacles)) {
          shift = tryShift; placed.push(box); found = true; break;
        }
      }
      for (let k = 1; !found && k <= 24; k++) { // rings further out, 16 places each
        for (let q = 0; q < 16 && !found; q++) {
          const dx = Math.cos(q * Math.PI / 8) * k * h, dy = Math.sin(q * Math.PI / 8) * k * h;
          const box = [at.x - w / 2 + dx, top0 + dy, at.x + w / 2 + dx, top0 + dy + h];
          const inside = !narrow() || (box[0] >= 0 && box[2] <= container.clientWidth && box[1] >= 0 && box[3] <= container.clientHeight);
          if (inside && !overlaps(box, placed) && !overlaps(box, obstacles)) { shift = [dx, dy]; placed.push(box); found = true; }
        }
      }
      if (!found && narrow()) continue; // on a phone, a label with no room of its own is left for a tap or a zoom
      if (!found) placed.push([at.x - w / 2, top0, at.x + w / 2, top0 + h]);
      ctx.fillStyle = pathLook && !isCircle(id) ? (pathLook.nodes.has(id) ? PATH.font : FADED.font) : DATA.options.nodes.font.color;
      lines.forEach((line, i) => {
        const y = where[id].y + (r * scale + 2 + shift[1]) / scale + i * size * 1.15;
        ctx.strokeText(line, where[id].x + shift[0] / scale, y);
        ctx.fillText(line, where[id].x + shift[0] / scale, y);
      });
      drawnLabels.push({ id, px, text: lines.join("\n"), box: placed[placed.length - 1], free: found });
    }
    ctx.restore();
    drawViewLabels(ctx, scale, placed);
    viewLabels.boxes = placed; // on screen, every label drawn: none covers another
  }
  window.collabgraph.labels = drawnLabels;
  window.collabgraph.viewLabels = viewLabels;
  sizeBy.addEventListener("change", resize);
  if (byCircles) {
    network.on("afterDrawing", drawLabels);
    network.on("hoverNode", (p) => { hovered = p.node; fitLabels(); });
    network.on("blurNode", (p) => { if (hovered === p.node) hovered = null; fitLabels(); });
  }
  if (OVERVIEW) refresh();
  else showCircles();
  if (byCircles) fitAll();

  // Semantic zoom: zooming in on a closed circle until its members would
  // spread over most of the screen opens it (the pooled circle of small
  // communities and loners is spread over the whole picture: it opens by click).
  let zoomTimer = 0;
  function openByZoom() {
    const scale = network.getScale(), w = container.clientWidth, h = container.clientHeight;
    const fits = circles.filter((c) => !open.has(c.index) && !c.pooled && c.r && 2 * c.r * scale >= 0.6 * Math.min(w, h))
      .filter((c) => { const p = network.canvasToDOM({ x: c.x, y: c.y }); return p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h; });
    if (!fits.length) return;
    fits.forEach((c) => open.add(c.index));
    refresh();
    fitLabels();
  }
  if (OVERVIEW) network.on("zoom", () => { clearTimeout(zoomTimer); zoomTimer = setTimeout(openByZoom, 150); });

  // What a click, a search or the path mode will need, built after the first
  // draw, one piece a task, so that the page answers in between.
  function afterFirstDraw() {
    const steps = [facts, nameIndex, fillLists, pathIndex];
    (function next() {
      const step = steps.shift();
      if (!step) {
        timing.idle = performance.now();
        document.body.dataset.idle = "1";
        return;
      }
      step();
      setTimeout(next, 0);
    })();
  }

  // ---- search -----------------------------------------------------------------
  // The names index and the suggestion lists are built after the first draw
  // (or on first use, if a search comes sooner): a big view draws first.
  let names = null; // folded name -> node id
  let spelled = null; // folded name -> [[name, node id], ...], for "did you mean"
  let listed = null; // [name, agent?] of the suggestion lists, in order
  function nameIndex() {
    if (names) return;
    names = new Map(); spelled = new Map(); listed = [];
    const seen = new Set();
    for (const n of DATA.nodes) {
      const d = info[n.id];
      if (d.kind === "fold") continue;
      for (const name of [d.label, ...Object.values(d.labels || {}), ...(d.aliases || [])]) {
        const k = key(name);
        if (!k) continue;
        if (!names.has(k)) names.set(k, n.id);
        if (!spelled.has(k)) spelled.set(k, []);
        spelled.get(k).push([name, n.id]);
        if (seen.has(name)) continue;
        seen.add(name);
        listed.push([name, d.agent, k]);
      }
    }
  }
  // The suggestion lists: every name in views of up to SUGGEST_ALL names;
  // in bigger ones, the first SUGGEST_SOME names that start with (then
  // contain) what is typed, as it is typed.
  const SUGGEST_ALL = DATA.meta.suggestAll, SUGGEST_SOME = DATA.meta.suggestSome;
  function fillList(list, entries) {
    const frag = document.createDocumentFragment();
    for (const [name] of entries) {
      const option = make("option");
      option.value = name;
      frag.append(option);
    }
    list.replaceChildren(frag);
  }
  function fillLists() {
    nameIndex();
    if (listed.length > SUGGEST_ALL) return;
    fillList(el("cg-names"), listed);
    fillList(el("cg-agent-names"), listed.filter(([, agent]) => agent));
  }
  function suggest(input, list, agentsOnly) {
    nameIndex();
    if (listed.length <= SUGGEST_ALL) return;
    const k = key(input.value), starts = [], contains = [];
    if (k) {
      for (const entry of listed) {
        if (agentsOnly && !entry[1]) continue;
        const at = entry[2].indexOf(k);
        if (at === 0) starts.push(entry); else if (at > 0 && contains.length < SUGGEST_SOME) contains.push(entry);
        if (starts.length >= SUGGEST_SOME) break;
      }
    }
    fillList(list, [...starts, ...contains].slice(0, SUGGEST_SOME));
  }
  el("cg-search").addEventListener("input", () => suggest(el("cg-search"), el("cg-names"), false));
  for (const id of ["cg-path-from", "cg-path-to"]) {
    el(id).addEventListener("input", () => suggest(el(id), el("cg-agent-names"), true));
  }
  function resolve(text) {
    nameIndex();
    const k = key(text);
    if (!k) return null;
    if (names.has(k)) return names.get(k);
    for (const [name, id] of names) if (name.startsWith(k)) return id;
    for (const [name, id] of names) if (name.includes(k)) return id;
    return null;
  }

  // "Did you mean": closeNames is collabgraph.names.close_matches exactly (a test
  // runs both on the same typos); closeMatches is collabgraph's EntityNotFound:
  // the entities of the ten closest folded names, one suggestion (its first
  // name in order) per entity, three at most.
  const codePoints = (text) => Array.from(text);
  function cmpCodePoints(x, y) { // Python's str order (by code point), not UTF-16's
    const a = codePoints(x), b = codePoints(y);
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = a[i].codePointAt(0) - b[i].codePointAt(0);
      if (d) return d;
    }
    return a.length - b.length;
  }
  function matcher(b) { // difflib.SequenceMatcher(None, a, b).ratio() for any a; b fixed
    const b2j = new Map();
    b.forEach((ch, j) => { if (!b2j.has(ch)) b2j.set(ch, []); b2j.get(ch).push(j); });
    if (b.length >= 200) { // difflib's autojunk: very common items of a long b are not indexed
      const most = Math.floor(b.length / 100) + 1;
      for (const [ch, js] of [...b2j]) if (js.length > most) b2j.delete(ch);
    }
    return function ratio(a) {
      function longest(alo, ahi, blo, bhi) {
        let besti = alo, bestj = blo, size = 0, j2len = new Map();
        for (let i = alo; i < ahi; i++) {
          const next = new Map();
          for (const j of b2j.get(a[i]) || []) {
            if (j < blo) continue;
            if (j >= bhi) break;
            const k = (j2len.get(j - 1) || 0) + 1;
            next.set(j, k);
            if (k > size) { besti = i - k + 1; bestj = j - k + 1; size = k; }
          }
          j2len = next;
        }
        while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) { besti--; bestj--; size++; }
        while (besti + size < ahi && bestj + size < bhi && a[besti + size] === b[bestj + size]) size++;
        return [besti, bestj, size];
      }
      let matches = 0;
      const queue = [[0, a.length, 0, b.length]];
      while (queue.length) {
        const [alo, ahi, blo, bhi] = queue.pop();
        const [i, j, k] = longest(alo, ahi, blo, bhi);
        if (!k) continue;
        matches += k;
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
      const total = a.length + b.length;
      return total ? 2 * matches / total : 1;
    };
  }
  // The choices closest to text, as [choice, ratio] pairs: compared folded,
  // by difflib's ratio, from cutoff up; best first, ties by folded form, then choice.
  function closeNames(text, choices, limit = 3, cutoff = 0.6, fold = key) {
    const k = fold(text);
    if (!k) return [];
    const spellings = new Map(); // folded -> the choices folding to it
    for (const choice of choices) {
      const f = fold(choice);
      if (!f) continue;
      if (!spellings.has(f)) spellings.set(f, []);
      spellings.get(f).push(choice);
    }
    const b = codePoints(k), ratio = matcher(b);
    const scored = [];
    for (const name of spellings.keys()) {
      const a = codePoints(name);
      if (2 * Math.min(a.length, b.length) / (a.length + b.length) < cutoff) continue; // difflib's real_quick_ratio
      const score = ratio(a);
      if (score >= cutoff) scored.push([score, name]);
    }
    scored.sort((x, y) => y[0] - x[0] || cmpCodePoints(x[1], y[1]));
    const out = [];
    for (const [score, name] of scored) {
      for (const choice of [...new Set(spellings.get(name))].sort(cmpCodePoints)) out.push([choice, score]);
    }
    return limit === null ? out : out.slice(0, limit);
  }
  function closeMatches(text, limit = 3, only = () => true) {
    nameIndex();
    const close = closeNames(key(text), spelled.keys(), 10, 0.6, (k) => k);
    const out = new Map(); // node id -> name
    for (const [name] of close) {
      const spellings = [...spelled.get(name)].sort((x, y) => cmpCodePoints(x[0], y[0]) ||
        cmpCodePoints(iriOf(x[1]), iriOf(y[1])));
      for (const [shown, id] of spellings) if (!out.has(id) && only(id)) out.set(id, shown);
    }
    return [...out].slice(0, limit).map(([id, name]) => ({ id, name }));
  }
  function didYouMean(status, text, pick, only) {
    const hints = closeMatches(text, 3, only);
    status.replaceChildren(make("span", hints.length ? "no match; did you mean: " : "no match"));
    hints.forEach((h, i) => {
      const b = make("button", h.name, "cg-link cg-suggestion");
      b.type = "button"; b.dataset.node = String(h.id);
      if (key(h.name) !== key(nameOf(h.id))) b.title = nameOf(h.id);
      b.addEventListener("click", () => pick(h));
      status.append(b, make("span", i + 1 < hints.length ? ", " : "?"));
    });
  }

  const search = el("cg-search");
  function runSearch() {
    const status = el("cg-search-status");
    const id = resolve(search.value);
    if (id !== null) { status.replaceChildren(); select(id, true); return; }
    didYouMean(status, search.value, (h) => { search.value = h.name; status.replaceChildren(); select(h.id, true); });
  }
  search.addEventListener("change", runSearch);
  search.addEventListener("keydown", (ev) => { if (ev.key === "Enter") runSearch(); });

  function select(id, centre) {
    if (!open.has(circleOf(id))) openCircle(circleOf(id), false);
    network.selectNodes([id]);
    if (centre) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showDetails(id);
  }

  // ---- details panel ------------------------------------------------------------
  const panel = el("cg-details");
  network.on("click", (params) => {
    if (!params.nodes.length) return;
    const id = params.nodes[0];
    if (isCircle(id)) { openCircle(Number(id.slice(1)), true); showCircle(Number(id.slice(1))); }
    else showDetails(id);
  });
  function showCircle(index) {
    const c = circles[index];
    panel.replaceChildren();
    panel.dataset.node = circleId(index);
    panel.append(make("h2", c.name));
    panel.append(make("div", c.pooled ? "communities of fewer than " + DATA.meta.smallCircle + ", together"
      : "community (Louvain)", "cg-type"));
    panel.append(field("Members in this view", String(c.size)));
    if (c.folded) panel.append(field("Folded away", c.folded + " more, in its '+N more' nodes"));
    panel.append(field("Most central", c.top.join(" · ")));
  }

  function showDetails(id) {
    const d = info[id];
    panel.replaceChildren();
    panel.dataset.node = String(id);
    if (!d) return;
    panel.append(make("h2", d.label));
    panel.append(make("div", d.typeLabel, "cg-type"));
    if (DATA.meta.byCircles && circles[d.community]) {
      const row = make("div", null, "cg-field");
      row.append(make("span", "Circle: ", "cg-key"), make("span", circles[d.community].name));
      if (OVERVIEW) {
        const back = make("button", " (close it)", "cg-link cg-close-circle");
        back.type = "button";
        back.addEventListener("click", () => closeCircle(d.community));
        row.append(back);
      }
      panel.append(row);
    }
    const labels = Object.entries(d.labels || {}).map(([lang, l]) => (lang ? l + " @" + lang : l));
    if (labels.length) panel.append(field("Labels", labels.join(" · ")));
    if (d.aliases && d.aliases.length) panel.append(field("Also known as", d.aliases.join(" · ")));
    if (d.iri) panel.append(field("Identifier", d.iri));
    for (const link of d.links || []) {
      const url = safeUrl(link.url);
      const row = make("div", null, "cg-field");
      row.append(make("span", link.label + ": ", "cg-key"));
      if (url) {
        const a = make("a", link.url);
        a.href = url; a.rel = "noopener noreferrer"; a.target = "_blank";
        row.append(a);
      } else {
        row.append(make("span", link.url, "cg-unsafe-link"));
      }
      panel.append(row);
    }
    if (d.fold) {
      panel.append(make("p", d.fold.count + " more neighbours of " + nameOf(d.fold.parent) + " are not shown:"));
      const ul = make("ul");
      for (const name of d.fold.labels) ul.append(make("li", name));
      panel.append(ul);
    }
    const credits = d.fold ? [] : creditsOf(id), claims = d.fold ? [] : claimsOf(id);
    if (credits.length) {
      panel.append(make("h3", d.agent ? "Credits" : "Credited"));
      const ul = make("ul", null, "cg-credits");
      for (const c of credits) {
        const li = make("li", null, "cg-credit");
        const head = make("div", null, "cg-credit-head");
        const other = make("button", c.label, "cg-link");
        other.type = "button";
        if (c.node !== null && byId.has(c.node)) other.addEventListener("click", () => select(c.node, true));
        else other.disabled = true;
        head.append(other, make("span", " — " + c.role + (c.inference ? INFERRED : "") +
          (c.character ? " as " + c.character : "") + (c.date ? " (" + dateShown(c.date) + ")" : "") + (c.debut ? " · debut" : "")));
        li.append(head);
        for (const cite of citations(c)) showCitation(li, cite);
        if (c.inference) inferred(li, "Editor's inference: " + c.inference);
        li.append(make("div", "Source: " + c.source, "cg-source"));
        ul.append(li);
      }
      panel.append(ul);
    }
    if (claims.length) {
      panel.append(make("h3", "Claims"));
      const ul = make("ul", null, "cg-claims");
      for (const c of claims) {
        const li = make("li", null, "cg-claim");
        li.append(make("div", c.property + ": " + c.value + (c.inference ? INFERRED : "") +
          (c.by ? " — according to " + c.by : "")));
        for (const cite of citations(c)) showCitation(li, cite);
        if (c.inference) inferred(li, "Editor's inference: " + c.inference);
        li.append(make("div", "Source: " + c.source, "cg-source"));
        ul.append(li);
      }
      panel.append(ul);
    }
  }
  // A fact that goes beyond its quotes: its role or value marked as the CLI
  // marks it, the item flagged, and the editors' reason as its own line.
  const INFERRED = "*";
  function inferred(li, text) {
    li.classList.add("cg-inferred");
    li.append(make("div", text, "cg-inference"));
  }
  function field(name, value) {
    const row = make("div", null, "cg-field");
    row.append(make("span", name + ": ", "cg-key"), make("span", value));
    return row;
  }

  // ---- path mode ---------------------------------------------------------------------
  // The connection graph: agents sharing a work in this view (two guests of
  // one show excepted) or linked by a membership; neighbours in IRI order,
  // the same breadth-first search as collabgraph.api.shortest_path.
  // Built on first use or after the first draw.
  let worksOf = null, conn = null;
  function link(a, b, how) {
    if (!conn.has(a)) conn.set(a, new Map());
    if (!conn.has(b)) conn.set(b, new Map());
    if (!conn.get(a).has(b)) { conn.get(a).set(b, how); conn.get(b).set(a, how); }
  }
  function pathIndex() {
    if (conn) return;
    worksOf = new Map(); conn = new Map();
    for (const id of Object.keys(info)) {
      const d = info[id];
      if (!d.agent) continue;
      const m = new Map();
      for (const c of creditsOf(Number(id))) {
        if (c.node === null) continue;
        if (!m.has(c.node)) m.set(c.node, []);
        m.get(c.node).push(c);
      }
      worksOf.set(Number(id), m);
    }
    const creditedOn = new Map(); // work -> [agent, role]
    for (const [agent, works] of worksOf) {
      for (const [work, credits] of works) {
        if (!creditedOn.has(work)) creditedOn.set(work, []);
        for (const c of credits) creditedOn.get(work).push([agent, c.role]);
      }
    }
    for (const [, pairs] of creditedOn) {
      for (const [a, ra] of pairs) for (const [b, rb] of pairs) {
        if (a < b && !(ra === "guest" && rb === "guest")) link(a, b, "collaboration");
      }
    }
    for (const m of DATA.memberships) link(m.member, m.group, "membership");
  }

  function findPath(a, b) {
    pathIndex();
    if (a === b) return [a];
    const parent = new Map([[a, null]]);
    let frontier = [a];
    while (frontier.length) {
      const next = [];
      for (const node of frontier) {
        const nbs = [...(conn.get(node) || new Map()).keys()].sort((x, y) => (iriOf(x) < iriOf(y) ? -1 : iriOf(x) > iriOf(y) ? 1 : 0));
        for (const nb of nbs) {
          if (parent.has(nb)) continue;
          parent.set(nb, node);
          if (nb === b) {
            const path = [nb];
            while (parent.get(path[path.length - 1]) !== null) path.push(parent.get(path[path.length - 1]));
            return path.reverse();
          }
          next.push(nb);
        }
      }
      frontier = next;
    }
    return null;
  }

  function hop(a, b) {
    // The same choice as collabgraph's Hop: the shared work first by kind,
    // release date and label; roles of both; the first quote of the credits
    // on it ordered by agent label and role.
    if (conn.get(a).get(b) === "membership") {
      const m = DATA.memberships.find((x) => (x.member === a && x.group === b) || (x.member === b && x.group === a));
      return { kind: "membership", member: m.member, group: m.group, evidence: citations(m).slice(0, 1) };
    }
    const wa = worksOf.get(a), wb = worksOf.get(b);
    const shared = [...wa.keys()].filter((w) => wb.has(w) && !(wa.get(w).every((c) => c.role === "guest") && wb.get(w).every((c) => c.role === "guest")));
    shared.sort((x, y) => {
      const ix = info[x], iy = info[y];
      return ix.rank - iy.rank || dateOrder(ix.released).localeCompare(dateOrder(iy.released)) || (ix.label < iy.label ? -1 : ix.label > iy.label ? 1 : 0);
    });
    const work = shared[0];
    const credits = [...wa.get(work).map((c) => [nameOf(a), c]), ...wb.get(work).map((c) => [nameOf(b), c])]
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1].role < y[1].role ? -1 : x[1].role > y[1].role ? 1 : 0));
    // roles marked "*" where the credit is an editor's inference, as `collabgraph path` marks them
    const roles = (cs) => [...new Set(cs.map((c) => c.role))].sort()
      .map((r) => r + (cs.some((c) => c.role === r && c.inference) ? INFERRED : ""));
    const inferences = credits.filter(([, c]) => c.inference).map(([who, c]) => ({ who, role: c.role, reason: c.inference }));
    return { kind: "collaboration", work, rolesA: roles(wa.get(work)), rolesB: roles(wb.get(work)),
      evidence: sideEvidence(credits, [nameOf(a), nameOf(b)]), also: shared.slice(1), inferences };
  }

  // The path in colour, everything else faded; original looks kept to undo it.
  const PATH = { fill: "#facc15", border: "#a16207", edge: "#d97706", font: "#111827" };
  const FADED = { font: "#cfd3d8", edge: "#eceef1" };
  window.collabgraph.PATH = PATH;
  const nodeFont = DATA.options.nodes.font.color, edgeFont = DATA.options.edges.font.color;
  const original = {
    nodes: new Map(DATA.nodes.map((n) => [n.id, { color: n.color, borderWidth: n.borderWidth || 1 }])),
    edges: new Map(DATA.edges.map((e) => [e.id, { color: { ...e.color }, width: 1 }])),
  };
  function fade(color) { // 80% of the way to the page's background
    const hex = color && typeof color === "object" ? color.background : color;
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    if (!m) return "#e5e7eb";
    const bg = [0xfb, 0xfa, 0xf7];
    return "#" + [1, 2, 3].map((i) => Math.round(parseInt(m[i], 16) * 0.2 + bg[i - 1] * 0.8)
      .toString(16).padStart(2, "0")).join("");
  }
  let pathToken = 0; // the path shown now; 0 for none
  function pathNodeLook(id) {
    const solid = { background: PATH.fill, border: PATH.border };
    return pathLook.nodes.has(id)
      ? { color: { ...solid, highlight: solid, hover: solid }, borderWidth: 3, font: { color: PATH.font } }
      : { color: fade(original.nodes.get(id).color), borderWidth: 1, font: { color: FADED.font } };
  }
  function pathEdgeLook(id) {
    return pathLook.edges.has(id)
      ? { color: { color: PATH.edge, highlight: PATH.edge, hover: PATH.edge }, width: 4, font: { color: PATH.font } }
      : { color: { color: FADED.edge, highlight: FADED.edge, hover: FADED.edge }, width: 1, font: { color: FADED.font } };
  }
  function highlightPath(pathNodes, pathEdges) {
    pathLook = { nodes: pathNodes, edges: pathEdges };
    nodes.update([...added].map((id) => ({ id, ...pathNodeLook(id) })));
    edges.update(DATA.edges.filter((e) => edgeAdded[e.id]).map((e) => ({ id: e.id, ...pathEdgeLook(e.id) })));
    document.body.dataset.pathShown = "1";
  }
  function clearPath() {
    pathToken = 0;
    if (!document.body.dataset.pathShown) return;
    pathLook = null;
    delete document.body.dataset.pathShown;
    delete document.body.dataset.path;
    nodes.update([...added].map((id) => ({ id, ...original.nodes.get(id), font: { color: nodeFont } })));
    edges.update(DATA.edges.filter((e) => edgeAdded[e.id]).map((e) => ({ id: e.id, ...original.edges.get(e.id), font: { color: edgeFont } })));
  }
  function fitPath(pathNodes) {
    const token = ++pathToken, ids = [...pathNodes];
    network.fit({ nodes: ids, animation: false });
    // While physics still settles, nodes drift after the fit: fit again when it is done.
    if (network.physics && network.physics.physicsEnabled && !network.physics.stabilized) {
      network.once("stabilized", () => { if (token === pathToken) network.fit({ nodes: ids, animation: false }); });
    }
  }

  function showPath() {
    const a = resolve(el("cg-path-from").value), b = resolve(el("cg-path-to").value);
    const out = el("cg-path-result");
    out.replaceChildren();
    network.unselectAll();
    clearPath();
    if (a === null || b === null || !info[a].agent || !info[b].agent) {
      out.append(make("p", "Pick two people or groups from the suggestions."));
      for (const [field, id] of [["cg-path-from", a], ["cg-path-to", b]]) {
        const input = el(field);
        if (id !== null || !key(input.value)) continue;
        const status = make("div", null, "cg-path-hint");
        status.dataset.field = field;
        didYouMean(status, input.value, (h) => { input.value = h.name; showPath(); }, (n) => info[n].agent);
        out.append(status);
      }
      return;
    }
    const path = findPath(a, b);
    if (!path) {
      out.append(make("p", "No connection between " + nameOf(a) + " and " + nameOf(b) + " in this view."));
      return;
    }
    out.append(make("p", path.map(nameOf).join(" – "), "cg-path-line"));
    const ol = make("ol", null, "cg-hops");
    const onPath = new Set(path), pairs = new Set(); // "a b" for every drawn link of the path
    const pair = (x, y) => (x < y ? x + " " + y : y + " " + x);
    for (let i = 0; i + 1 < path.length; i++) {
      const h = hop(path[i], path[i + 1]);
      const li = make("li", null, "cg-hop");
      if (h.kind === "membership") {
        pairs.add(pair(h.member, h.group));
        li.append(make("div", nameOf(h.member) + " is a member of " + nameOf(h.group)));
      } else {
        onPath.add(h.work);
        pairs.add(pair(path[i], h.work)).add(pair(path[i + 1], h.work));
        li.append(make("div", nameOf(path[i]) + " (" + h.rolesA.join(", ") + ") and " + nameOf(path[i + 1]) +
          " (" + h.rolesB.join(", ") + ") on " + nameOf(h.work) + " [" + info[h.work].type + "]"));
        // as `collabgraph path` prints them: the other shared works, in the same order
        if (h.also.length) li.append(make("div", "also: " + h.also.map(nameOf).join(", "), "cg-source cg-also"));
      }
      for (const cite of h.evidence) showCitation(li, cite);
      for (const x of h.inferences || []) inferred(li, "Editor's inference (" + x.who + ", " + x.role + "): " + x.reason);
      ol.append(li);
    }
    const edgeIds = new Set(DATA.edges.filter((e) => pairs.has(pair(e.from, e.to))).map((e) => e.id));
    out.append(ol);
    const closed = [...new Set([...onPath].map(circleOf))].filter((c) => !open.has(c));
    if (closed.length) { closed.forEach((c) => open.add(c)); refresh(); }
    highlightPath(onPath, edgeIds);
    network.setSelection({ nodes: [...onPath], edges: [...edgeIds] }, { highlightEdges: false });
    fitPath(onPath);
    document.body.dataset.path = path.map(iriOf).join(" ");
  }
  el("cg-path-go").addEventListener("click", showPath);
  el("cg-path-clear").addEventListener("click", () => {
    clearPath();
    network.unselectAll();
    el("cg-path-result").replaceChildren();
    network.fit({ animation: false });
  });
  el("cg-path-form").addEventListener("submit", (ev) => { ev.preventDefault(); showPath(); });
})();
