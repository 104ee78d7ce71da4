// collabgraph explorer: search, filters, details with provenance, path mode.
// Everything from the data is put on the page as text (textContent, canvas
// labels); links are made only for http(s) URLs. The page loads nothing.
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("cg-data").textContent);
  const info = DATA.info;                 // id -> details
  const byId = new Map(DATA.nodes.map((n) => [n.id, n]));
  const nodes = new vis.DataSet(DATA.nodes);
  const edges = new vis.DataSet(DATA.edges);
  const el = (id) => document.getElementById(id);

  // ---- helpers ------------------------------------------------------------
  function key(text) { // same folding as collabgraph.names.search_key
    return (text || "").normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
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
  function nameOf(id) { return info[id] ? info[id].label : String(id); }

  // ---- the network ---------------------------------------------------------
  const container = el("cg-network");
  const network = new vis.Network(container, { nodes, edges }, DATA.options);
  window.collabgraph = { network, nodes, edges, info, findPath, select, DATA };

  function markReady() {
    if (document.body.dataset.ready) return;
    document.body.dataset.ready = "1";
    window.collabgraphReady = true;
  }
  network.once("afterDrawing", () => { if (!DATA.meta.physics) markReady(); });
  network.once("stabilizationIterationsDone", markReady);
  network.once("stabilized", markReady);
  setTimeout(markReady, 15000); // physics may never report on an empty view

  // ---- legend ----------------------------------------------------------------
  const legend = el("cg-legend");
  for (const item of DATA.legend) {
    const row = make("label", null, "cg-legend-item");
    const box = make("input");
    box.type = "checkbox"; box.checked = true; box.dataset.kind = item.kind;
    box.addEventListener("change", applyFilters);
    const swatch = make("span", null, "cg-swatch cg-shape-" + item.shape);
    swatch.style.background = item.color;
    row.append(box, swatch, make("span", item.label + " (" + item.count + ")"));
    legend.append(row);
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
  const yearFrom = el("cg-year-from"), yearTo = el("cg-year-to");
  if (DATA.years.length) {
    for (const input of [yearFrom, yearTo]) {
      input.min = DATA.years[0]; input.max = DATA.years[1];
      input.addEventListener("change", applyFilters);
    }
    yearFrom.value = DATA.years[0]; yearTo.value = DATA.years[1];
  } else {
    el("cg-years").hidden = true;
  }

  function applyFilters() {
    const kinds = new Set([...legend.querySelectorAll("input:checked")].map((b) => b.dataset.kind));
    const shownRoles = new Set([...roles.querySelectorAll("input:checked")].map((b) => b.dataset.role));
    const lo = Number(yearFrom.value) || -Infinity, hi = Number(yearTo.value) || Infinity;
    const nodeUpdates = DATA.nodes.map((n) => {
      const d = info[n.id];
      const inYears = !d.year || (d.year >= lo && d.year <= hi);
      return { id: n.id, hidden: !kinds.has(d.kind) || !inYears };
    });
    nodes.update(nodeUpdates);
    const hiddenNode = new Set(nodeUpdates.filter((u) => u.hidden).map((u) => u.id));
    edges.update(DATA.edges.map((e) => ({
      id: e.id,
      hidden: hiddenNode.has(e.from) || hiddenNode.has(e.to) || (e.role && !shownRoles.has(e.role)),
    })));
    document.body.dataset.filtered = String(hiddenNode.size);
  }

  // ---- search -----------------------------------------------------------------
  const names = new Map(); // folded name -> node id
  const list = el("cg-names"), agentList = el("cg-agent-names");
  const seen = new Set();
  for (const n of DATA.nodes) {
    const d = info[n.id];
    if (d.kind === "fold") continue;
    for (const name of [d.label, ...Object.values(d.labels || {}), ...(d.aliases || [])]) {
      const k = key(name);
      if (!k) continue;
      if (!names.has(k)) names.set(k, n.id);
      if (seen.has(name)) continue;
      seen.add(name);
      const option = make("option");
      option.value = name;
      list.append(option);
      if (d.agent) agentList.append(option.cloneNode());
    }
  }
  function resolve(text) {
    const k = key(text);
    if (!k) return null;
    if (names.has(k)) return names.get(k);
    for (const [name, id] of names) if (name.startsWith(k)) return id;
    for (const [name, id] of names) if (name.includes(k)) return id;
    return null;
  }
  const search = el("cg-search");
  function runSearch() {
    const id = resolve(search.value);
    el("cg-search-status").textContent = id === null ? "no match" : "";
    if (id !== null) select(id, true);
  }
  search.addEventListener("change", runSearch);
  search.addEventListener("keydown", (ev) => { if (ev.key === "Enter") runSearch(); });

  function select(id, centre) {
    network.selectNodes([id]);
    if (centre) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showDetails(id);
  }

  // ---- details panel ------------------------------------------------------------
  const panel = el("cg-details");
  network.on("click", (params) => {
    if (params.nodes.length) showDetails(params.nodes[0]);
  });

  function showDetails(id) {
    const d = info[id];
    panel.replaceChildren();
    panel.dataset.node = String(id);
    if (!d) return;
    panel.append(make("h2", d.label));
    panel.append(make("div", d.typeLabel, "cg-type"));
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
    if (d.credits && d.credits.length) {
      panel.append(make("h3", d.agent ? "Credits" : "Credited"));
      const ul = make("ul", null, "cg-credits");
      for (const c of d.credits) {
        const li = make("li", null, "cg-credit");
        const head = make("div", null, "cg-credit-head");
        const other = make("button", c.label, "cg-link");
        other.type = "button";
        if (c.node !== null && byId.has(c.node)) other.addEventListener("click", () => select(c.node, true));
        else other.disabled = true;
        head.append(other, make("span", " — " + c.role + (c.character ? " as " + c.character : "") +
          (c.date ? " (" + c.date + ")" : "") + (c.debut ? " · debut" : "")));
        li.append(head);
        for (const q of c.quotes) li.append(make("blockquote", "“" + q + "”", "cg-quote"));
        li.append(make("div", "Source: " + c.source, "cg-source"));
        ul.append(li);
      }
      panel.append(ul);
    }
    if (d.claims && d.claims.length) {
      panel.append(make("h3", "Claims"));
      const ul = make("ul", null, "cg-claims");
      for (const c of d.claims) {
        const li = make("li", null, "cg-claim");
        li.append(make("div", c.property + ": " + c.value + (c.by ? " — according to " + c.by : "")));
        for (const q of c.quotes) li.append(make("blockquote", "“" + q + "”", "cg-quote"));
        li.append(make("div", "Source: " + c.source, "cg-source"));
        ul.append(li);
      }
      panel.append(ul);
    }
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
  const worksOf = new Map(), conn = new Map();
  for (const id of Object.keys(info)) {
    const d = info[id];
    if (!d.agent) continue;
    const m = new Map();
    for (const c of d.credits || []) {
      if (c.node === null) continue;
      if (!m.has(c.node)) m.set(c.node, []);
      m.get(c.node).push(c);
    }
    worksOf.set(Number(id), m);
  }
  function link(a, b, how) {
    if (!conn.has(a)) conn.set(a, new Map());
    if (!conn.has(b)) conn.set(b, new Map());
    if (!conn.get(a).has(b)) { conn.get(a).set(b, how); conn.get(b).set(a, how); }
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
  const iriOf = (id) => info[id].iri;

  function findPath(a, b) {
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
      return { kind: "membership", member: m.member, group: m.group, quote: m.quotes[0] };
    }
    const wa = worksOf.get(a), wb = worksOf.get(b);
    const shared = [...wa.keys()].filter((w) => wb.has(w) && !(wa.get(w).every((c) => c.role === "guest") && wb.get(w).every((c) => c.role === "guest")));
    shared.sort((x, y) => {
      const ix = info[x], iy = info[y];
      return ix.rank - iy.rank || (ix.released || "9999").localeCompare(iy.released || "9999") || (ix.label < iy.label ? -1 : ix.label > iy.label ? 1 : 0);
    });
    const work = shared[0];
    const credits = [...wa.get(work).map((c) => [nameOf(a), c]), ...wb.get(work).map((c) => [nameOf(b), c])]
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1].role < y[1].role ? -1 : x[1].role > y[1].role ? 1 : 0));
    const rolesA = [...new Set(wa.get(work).map((c) => c.role))].sort();
    const rolesB = [...new Set(wb.get(work).map((c) => c.role))].sort();
    return { kind: "collaboration", work, rolesA, rolesB, quote: credits[0][1].quotes[0], others: shared.length - 1 };
  }

  function showPath() {
    const a = resolve(el("cg-path-from").value), b = resolve(el("cg-path-to").value);
    const out = el("cg-path-result");
    out.replaceChildren();
    network.unselectAll();
    if (a === null || b === null || !info[a].agent || !info[b].agent) {
      out.append(make("p", "Pick two people or groups from the suggestions."));
      return;
    }
    const path = findPath(a, b);
    if (!path) {
      out.append(make("p", "No connection between " + nameOf(a) + " and " + nameOf(b) + " in this view."));
      return;
    }
    out.append(make("p", path.map(nameOf).join(" – "), "cg-path-line"));
    const ol = make("ol", null, "cg-hops");
    const onPath = new Set(path), edgeIds = [];
    for (let i = 0; i + 1 < path.length; i++) {
      const h = hop(path[i], path[i + 1]);
      const li = make("li", null, "cg-hop");
      if (h.kind === "membership") {
        li.append(make("div", nameOf(h.member) + " is a member of " + nameOf(h.group)));
      } else {
        onPath.add(h.work);
        li.append(make("div", nameOf(path[i]) + " (" + h.rolesA.join(", ") + ") and " + nameOf(path[i + 1]) +
          " (" + h.rolesB.join(", ") + ") on " + nameOf(h.work) + " [" + info[h.work].type + "]"));
        if (h.others) li.append(make("div", "+" + h.others + " more shared work(s)", "cg-source"));
      }
      li.append(make("blockquote", "“" + h.quote + "”", "cg-quote"));
      ol.append(li);
    }
    for (const e of DATA.edges) if (onPath.has(e.from) && onPath.has(e.to)) edgeIds.push(e.id);
    out.append(ol);
    network.setSelection({ nodes: [...onPath], edges: edgeIds }, { highlightEdges: false });
    network.fit({ nodes: [...onPath], animation: false });
    document.body.dataset.path = path.map(iriOf).join(" ");
  }
  el("cg-path-go").addEventListener("click", showPath);
  el("cg-path-form").addEventListener("submit", (ev) => { ev.preventDefault(); showPath(); });
})();
