// metrokg network explorer — hand-edited; inlined into explorer.html by metrokg.explorer.
// Safety: every name, label and tooltip is set with textContent (never innerHTML); links
// are rendered only for http(s) IRIs. The data comes from a JSON <script> block.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("metrokg-data").textContent);
  const state = { lang: data.lang, size: data.sizeBy, colour: data.colourBy,
                  plan: "", goal: "", relation: "" };
  const api = { ready: false, data: data };
  window.metrokgExplorer = api;
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const LABELLED = 25;  // how many of the largest nodes carry a permanent label
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31",
    "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363"];

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function safeHref(iri) {
    return /^https?:\/\//i.test(iri) ? iri : null;
  }
  function name(n) {
    return n.names[state.lang] || n.names.en || n.names.es || n.names.ca || n.id;
  }
  function groupOf(n) {
    return state.colour === "community" ? "community " + n.community : (n.type || "unknown");
  }
  function colours() {
    const groups = [...new Set(data.nodes.map(groupOf))].sort((a, b) => {
      const na = parseInt(a.split(" ")[1], 10), nb = parseInt(b.split(" ")[1], 10);
      return state.colour === "community" ? na - nb : a.localeCompare(b);
    });
    const map = new Map();
    groups.forEach((g, i) => map.set(g, PALETTE[i % PALETTE.length]));
    return map;
  }
  function sizes() {
    const values = data.nodes.map((n) => n.scores[state.size] || 0);
    const max = Math.max(...values, 0) || 1;
    return (n) => 8 + 32 * Math.sqrt((n.scores[state.size] || 0) / max);
  }
  function nodeItems() {
    const colour = colours(), size = sizes();
    // label only the most prominent nodes; the others show their name on hover and search
    const ranked = data.nodes.map(size).sort((a, b) => b - a);
    const cut = ranked[Math.min(ranked.length, LABELLED) - 1] || 0;
    return data.nodes.map((n) => ({ id: n.id, label: name(n), size: size(n),
      font: { size: size(n) >= cut ? 14 : 0 },
      color: colour.get(groupOf(n)), shape: "dot", x: n.x, y: n.y }));
  }

  // ---- filters: the same rules as metrokg.network.select_links
  function edgeVisible(e) {
    if (state.relation && !e.kinds.includes(state.relation) && !e.roles.includes(state.relation))
      return false;
    for (const [key, value] of [["plans", state.plan], ["goals", state.goal]]) {
      if (!value) continue;
      const ends = byId.get(e.from)[key].includes(value) && byId.get(e.to)[key].includes(value);
      if (!e[key].includes(value) && !(e.stated && ends)) return false;
    }
    return true;
  }
  let visibleEdges = new Set();
  function computeVisible() {
    visibleEdges = new Set(data.edges.filter(edgeVisible).map((e) => e.id));
    const touched = new Set();
    data.edges.forEach((e) => { if (visibleEdges.has(e.id)) { touched.add(e.from); touched.add(e.to); } });
    const shown = new Set();
    const any = state.plan || state.goal || state.relation;
    data.nodes.forEach((n) => {
      const member = (!state.plan || n.plans.includes(state.plan)) &&
                     (!state.goal || n.goals.includes(state.goal));
      if (!any || touched.has(n.id) || (!state.relation && member)) shown.add(n.id);
    });
    return shown;
  }
  let shownNodes = computeVisible();

  const nodes = new vis.DataSet(nodeItems());
  const edges = new vis.DataSet(data.edges.map((e) => ({ id: e.id, from: e.from, to: e.to,
    width: 1 + 2 * Math.log2(e.weight), arrows: data.directed ? "to" : undefined,
    color: { color: "#9aa7b5", highlight: "#d62728" } })));
  const nodeView = new vis.DataView(nodes, { filter: (n) => shownNodes.has(n.id) });
  const edgeView = new vis.DataView(edges, { filter: (e) => visibleEdges.has(e.id) });
  const big = data.nodes.length > 300;
  const options = {
    autoResize: true,
    nodes: { font: { size: 12 }, borderWidth: 1 },
    edges: { smooth: big ? false : { type: "continuous" } },
    interaction: { hover: true, tooltipDelay: 100, hideEdgesOnDrag: big },
    layout: { improvedLayout: !big, randomSeed: 7 },
    physics: big ? { solver: "barnesHut",
      barnesHut: { gravitationalConstant: -6000, springLength: 120, damping: 0.5 },
      stabilization: { enabled: true, iterations: data.iterations, updateInterval: 25, fit: true } }
      : { solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -90, centralGravity: 0.008, springLength: 90,
                          springConstant: 0.05, avoidOverlap: 0.9 },
      stabilization: { enabled: true, iterations: data.iterations, updateInterval: 25, fit: true } },
  };
  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  api.network = network;
  function done() {
    network.setOptions({ physics: false });
    api.ready = true;
    document.body.dataset.ready = "true";
  }
  network.once("stabilizationIterationsDone", done);
  if (data.nodes.length === 0) done();

  // ---- details: tooltip on hover, panel on click
  function details(n) {
    const box = el("div", null, "details");
    box.appendChild(el("div", name(n), "name"));
    box.appendChild(el("div", "type: " + (n.type || "unknown") + " · community " + n.community
      + (n.broker ? " · broker" : "")));
    const table = el("table");
    for (const key of data.measures) {
      const row = el("tr");
      row.appendChild(el("td", key));
      row.appendChild(el("td", n.scores[key]));
      table.appendChild(row);
    }
    box.appendChild(table);
    const href = safeHref(n.id);
    if (href) {
      const a = el("a", n.id);
      a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
      box.appendChild(a);
    } else {
      box.appendChild(el("code", n.id));
    }
    return box;
  }
  const tooltip = document.getElementById("tooltip");
  network.on("hoverNode", (p) => {
    const n = byId.get(p.node);
    tooltip.replaceChildren(details(n));
    tooltip.style.left = (p.pointer.DOM.x + 16) + "px";
    tooltip.style.top = (p.pointer.DOM.y + 16) + "px";
    tooltip.hidden = false;
  });
  network.on("blurNode", () => { tooltip.hidden = true; });
  const panel = document.getElementById("panel");
  network.on("click", (p) => {
    if (p.nodes.length) panel.replaceChildren(details(byId.get(p.nodes[0])));
  });

  // ---- legend, status
  function legend() {
    const box = document.getElementById("legend");
    box.replaceChildren(el("div", "colour: " + state.colour + " · size: " + state.size, "title"));
    for (const [group, colour] of colours()) {
      const row = el("div", null, "item");
      const swatch = el("span", null, "swatch");
      swatch.style.background = colour;
      row.appendChild(swatch);
      row.appendChild(el("span", group));
      box.appendChild(row);
    }
  }
  function status() {
    document.getElementById("status").textContent =
      shownNodes.size + " organisations · " + visibleEdges.size + " links shown";
    api.visibleNodes = shownNodes.size;
    api.visibleEdges = visibleEdges.size;
  }

  // ---- controls
  function fill(select, items) {
    for (const [value, text] of items) {
      const o = el("option", text);
      o.value = value;
      select.appendChild(o);
    }
  }
  const plan = document.getElementById("plan");
  fill(plan, [["", "all plans"], ...data.plans.map((p) => [p.id, p.label])]);
  const goal = document.getElementById("goal");
  fill(goal, [["", "all SDGs"], ...data.goals.map((g) => [g, "SDG " + g])]);
  const relation = document.getElementById("relation");
  fill(relation, [["", "all relations"], ...data.relations.map((r) => [r, r])]);
  const size = document.getElementById("size");
  fill(size, data.measures.map((m) => [m, m]));
  size.value = state.size;
  const colour = document.getElementById("colour");
  fill(colour, [["type", "organisation type"], ["community", "community"]]);
  colour.value = state.colour;
  const lang = document.getElementById("lang");
  fill(lang, [["ca", "català"], ["es", "español"], ["en", "English"]]);
  lang.value = state.lang;

  function refilter() {
    shownNodes = computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    status();
  }
  plan.addEventListener("change", () => { state.plan = plan.value; refilter(); });
  goal.addEventListener("change", () => { state.goal = goal.value; refilter(); });
  relation.addEventListener("change", () => { state.relation = relation.value; refilter(); });
  function restyle() {
    const items = nodeItems().map(({ id, label, size, color }) => ({ id, label, size, color }));
    nodes.update(items);
    legend();
  }
  size.addEventListener("change", () => { state.size = size.value; restyle(); });
  colour.addEventListener("change", () => { state.colour = colour.value; restyle(); });
  lang.addEventListener("change", () => { state.lang = lang.value; restyle(); });

  const search = document.getElementById("search");
  const count = document.getElementById("search-count");
  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    if (!q) { count.textContent = ""; network.unselectAll(); api.matches = []; return; }
    const matches = data.nodes.filter((n) => shownNodes.has(n.id) &&
      (Object.values(n.names).some((t) => t.toLowerCase().includes(q)) ||
       n.id.toLowerCase().includes(q))).map((n) => n.id);
    api.matches = matches;
    count.textContent = matches.length + (matches.length === 1 ? " match" : " matches");
    network.selectNodes(matches);
    if (matches.length) {
      network.fit({ nodes: matches, animation: false });
      panel.replaceChildren(details(byId.get(matches[0])));
    }
  });
  legend();
  status();
})();
