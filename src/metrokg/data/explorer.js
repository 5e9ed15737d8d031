// metrokg network explorer — hand-edited; inlined into explorer.html by metrokg.outputs.explorer.
// Safety: every name, label and tooltip is set with textContent (never innerHTML); links
// are rendered only for http(s) IRIs and site-relative paths made by the page itself.
// The data comes from a JSON <script> block; positions are precomputed (no physics).
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("metrokg-data").textContent);
  const api = { ready: false, data: data };
  window.metrokgExplorer = api;

  // ---------------------------------------------------------------- words
  const T = {
    en: { controls: "Controls", search: "Search", plan: "Plan", goal: "SDG", relation: "Relation",
      minDegree: "Min. links", minWeight: "Min. weight", years: "Years", focus: "Focus depth",
      size: "Size", colour: "Colour", language: "Language", reset: "Reset", table: "Table",
      export: "Export", csvLinks: "CSV links", overviewOn: "Show communities",
      overviewOff: "Show all organisations", allPlans: "all plans", allGoals: "all SDGs",
      allRelations: "all relations", sdg: "SDG", byType: "organisation type",
      byCommunity: "community", noFocus: "no focus", depth1: "1 step", depth2: "2 steps",
      match: "match", matches: "matches", shown: "{n} organisations · {e} links shown",
      overviewNote: "Overview: {c} communities of {n} organisations — above {limit} organisations a force layout is unreadable. Click a community to expand it.",
      tooMany: "{n} organisations are too many to draw at once (limit {limit}): showing communities.",
      focusNote: "Focus on {name}, {d} — {k} neighbours.", type: "Type", community: "Community",
      broker: "broker (removing it cuts organisations off)", memberships: "Relations",
      plans: "Plans", scores: "Scores", page: "Open its page", rank: "rank {r} of {n}",
      evidence: "Why linked", period: "Period", source: "Source", role: "role", inPlan: "plan",
      unknownType: "unknown type", members: "{n} organisations", expand: "Expand",
      collapse: "Collapse", focusOn: "Focus here", linksBetween: "{n} links between these communities",
      noEvidence: "No evidence stored for this link in this page.",
      communityNode: "a community: its area grows with its organisations; click to expand", legend: "Legend",
      colourLegend: "Colour and shape: {what}. Size: {measure}.", name: "Name", degree: "Links",
      tableNote: "Showing {k} of {n} organisations, sorted by {measure}.", other: "other",
      passage: "quoted passage", weight: "weight", kindOf: "{a} is {role} of {b}",
      named: "named together in", owner: "responsible for the plan", communityOf: "community {c}",
      measure: { degree: "degree", weighted_degree: "weighted degree", betweenness: "betweenness",
        closeness: "closeness", eigenvector: "eigenvector", pagerank: "PageRank" },
      explain: { degree: "organisations it is linked to",
        weighted_degree: "pieces of evidence on its links",
        betweenness: "share of shortest paths that pass through it",
        closeness: "how few steps it takes to reach the others",
        eigenvector: "linked to organisations that are themselves central",
        pagerank: "chance a random walk along the links is here" },
      kind: { membership: "membership", "part-of": "part of", "plan-owner": "named in a plan of",
        "co-involvement": "named in the same plan element" } },
    ca: { controls: "Controls", search: "Cerca", plan: "Pla", goal: "ODS", relation: "Relació",
      minDegree: "Mín. vincles", minWeight: "Pes mínim", years: "Anys", focus: "Profunditat del focus",
      size: "Mida", colour: "Color", language: "Idioma", reset: "Restableix", table: "Taula",
      export: "Exporta", csvLinks: "CSV vincles", overviewOn: "Mostra les comunitats",
      overviewOff: "Mostra totes les organitzacions", allPlans: "tots els plans",
      allGoals: "tots els ODS", allRelations: "totes les relacions", sdg: "ODS",
      byType: "tipus d'organització", byCommunity: "comunitat", noFocus: "sense focus",
      depth1: "1 pas", depth2: "2 passos", match: "resultat", matches: "resultats",
      shown: "{n} organitzacions · {e} vincles mostrats",
      overviewNote: "Vista general: {c} comunitats de {n} organitzacions — per sobre de {limit} organitzacions una disposició de forces és il·legible. Feu clic en una comunitat per desplegar-la.",
      tooMany: "{n} organitzacions són massa per dibuixar-les alhora (límit {limit}): es mostren les comunitats.",
      focusNote: "Focus en {name}, {d} — {k} veïns.", type: "Tipus", community: "Comunitat",
      broker: "intermediària (si s'elimina, queden organitzacions aïllades)", memberships: "Relacions",
      plans: "Plans", scores: "Mesures", page: "Obre la seva pàgina", rank: "posició {r} de {n}",
      evidence: "Per què estan vinculades", period: "Període", source: "Font", role: "paper",
      inPlan: "pla", unknownType: "tipus desconegut", members: "{n} organitzacions",
      expand: "Desplega", collapse: "Plega", focusOn: "Centra-hi el focus",
      linksBetween: "{n} vincles entre aquestes comunitats",
      noEvidence: "Aquesta pàgina no conté proves d'aquest vincle.",
      communityNode: "una comunitat: l'àrea creix amb les seves organitzacions; feu-hi clic per desplegar-la", legend: "Llegenda",
      colourLegend: "Color i forma: {what}. Mida: {measure}.", name: "Nom", degree: "Vincles",
      tableNote: "Es mostren {k} de {n} organitzacions, ordenades per {measure}.", other: "altres",
      passage: "passatge citat", weight: "pes", kindOf: "{a} és {role} de {b}",
      named: "esmentades juntes a", owner: "responsable del pla", communityOf: "comunitat {c}",
      measure: { degree: "grau", weighted_degree: "grau ponderat", betweenness: "intermediació",
        closeness: "proximitat", eigenvector: "vector propi", pagerank: "PageRank" },
      explain: { degree: "organitzacions amb què està vinculada",
        weighted_degree: "proves en els seus vincles",
        betweenness: "part dels camins més curts que hi passen",
        closeness: "com de pocs passos calen per arribar a les altres",
        eigenvector: "vinculada a organitzacions que també són centrals",
        pagerank: "probabilitat que un passeig aleatori pels vincles hi sigui" },
      kind: { membership: "pertinença", "part-of": "part de", "plan-owner": "esmentada en un pla de",
        "co-involvement": "esmentades al mateix element de pla" } },
    es: { controls: "Controles", search: "Buscar", plan: "Plan", goal: "ODS", relation: "Relación",
      minDegree: "Mín. vínculos", minWeight: "Peso mínimo", years: "Años", focus: "Profundidad del foco",
      size: "Tamaño", colour: "Color", language: "Idioma", reset: "Restablecer", table: "Tabla",
      export: "Exportar", csvLinks: "CSV vínculos", overviewOn: "Mostrar las comunidades",
      overviewOff: "Mostrar todas las organizaciones", allPlans: "todos los planes",
      allGoals: "todos los ODS", allRelations: "todas las relaciones", sdg: "ODS",
      byType: "tipo de organización", byCommunity: "comunidad", noFocus: "sin foco",
      depth1: "1 paso", depth2: "2 pasos", match: "resultado", matches: "resultados",
      shown: "{n} organizaciones · {e} vínculos mostrados",
      overviewNote: "Vista general: {c} comunidades de {n} organizaciones — por encima de {limit} organizaciones una disposición de fuerzas es ilegible. Haga clic en una comunidad para desplegarla.",
      tooMany: "{n} organizaciones son demasiadas para dibujarlas a la vez (límite {limit}): se muestran las comunidades.",
      focusNote: "Foco en {name}, {d} — {k} vecinos.", type: "Tipo", community: "Comunidad",
      broker: "intermediaria (si se elimina, quedan organizaciones aisladas)", memberships: "Relaciones",
      plans: "Planes", scores: "Medidas", page: "Abrir su página", rank: "posición {r} de {n}",
      evidence: "Por qué están vinculadas", period: "Periodo", source: "Fuente", role: "papel",
      inPlan: "plan", unknownType: "tipo desconocido", members: "{n} organizaciones",
      expand: "Desplegar", collapse: "Plegar", focusOn: "Centrar el foco aquí",
      linksBetween: "{n} vínculos entre estas comunidades",
      noEvidence: "Esta página no contiene pruebas de este vínculo.",
      communityNode: "una comunidad: el área crece con sus organizaciones; haga clic para desplegarla", legend: "Leyenda",
      colourLegend: "Color y forma: {what}. Tamaño: {measure}.", name: "Nombre", degree: "Vínculos",
      tableNote: "Se muestran {k} de {n} organizaciones, ordenadas por {measure}.", other: "otros",
      passage: "pasaje citado", weight: "peso", kindOf: "{a} es {role} de {b}",
      named: "mencionadas juntas en", owner: "responsable del plan", communityOf: "comunidad {c}",
      measure: { degree: "grado", weighted_degree: "grado ponderado", betweenness: "intermediación",
        closeness: "cercanía", eigenvector: "vector propio", pagerank: "PageRank" },
      explain: { degree: "organizaciones con las que está vinculada",
        weighted_degree: "pruebas en sus vínculos",
        betweenness: "parte de los caminos más cortos que pasan por ella",
        closeness: "qué pocos pasos hacen falta para llegar a las demás",
        eigenvector: "vinculada a organizaciones que también son centrales",
        pagerank: "probabilidad de que un paseo aleatorio por los vínculos esté aquí" },
      kind: { membership: "pertenencia", "part-of": "parte de", "plan-owner": "mencionada en un plan de",
        "co-involvement": "mencionadas en el mismo elemento de plan" } },
  };
  api.i18n = T;
  function t(key, vars) {
    let s = (T[state.lang] && T[state.lang][key]) || T.en[key] || key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split("{" + k + "}").join(String(v));
    return s;
  }
  function tm(group, key) { return (T[state.lang][group] || {})[key] || T.en[group][key] || key; }

  // ---------------------------------------------------------------- state
  const DEFAULTS = { lang: data.lang, size: data.sizeBy, colour: data.colourBy, plan: "", goal: "",
    relation: "", minDegree: 0, minWeight: 1, from: "", to: "", focus: "", depth: 1, q: "",
    view: "auto", open: [] };
  const state = Object.assign({}, DEFAULTS, { open: [] });
  api.state = state;
  const N = data.nodes.length;
  const MAX_DRAW = 20000;
  const LABELLED = 25;
  const slugCount = new Map();
  data.nodes.forEach((n, i) => {
    n.i = i; n.slug = n.id.replace(/\/+$/, "").split("/").pop();
    slugCount.set(n.slug, (slugCount.get(n.slug) || 0) + 1);
  });
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const bySlug = new Map(data.nodes.filter((n) => slugCount.get(n.slug) === 1).map((n) => [n.slug, n]));
  function keyOf(n) { return slugCount.get(n.slug) === 1 ? n.slug : n.id; }
  function nodeOf(key) { return bySlug.get(key) || byId.get(key) || null; }
  const planIndex = new Map(data.plans.map((p, i) => [p.id, i]));
  data.edges.forEach((e, i) => { e.id = i; });
  // adjacency: edge ids per node
  const adj = data.nodes.map(() => []);
  data.edges.forEach((e) => { adj[e.s].push(e.id); if (e.t !== e.s) adj[e.t].push(e.id); });
  const communities = new Map();  // community number → {members: [node index], top}
  data.nodes.forEach((n) => {
    let c = communities.get(n.community);
    if (!c) { c = { id: n.community, members: [] }; communities.set(n.community, c); }
    c.members.push(n.i);
  });
  for (const c of communities.values()) {
    c.top = c.members.reduce((a, b) => (data.nodes[b].scores.pagerank > data.nodes[a].scores.pagerank ? b : a));
    c.x = c.members.reduce((s, i) => s + data.nodes[i].x, 0) / c.members.length;
    c.y = c.members.reduce((s, i) => s + data.nodes[i].y, 0) / c.members.length;
    c.r = Math.max(12, ...c.members.map((i) => Math.hypot(data.nodes[i].x - c.x, data.nodes[i].y - c.y)));
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function link(text, href, external) {
    const a = el("a", text);
    a.href = href;
    if (external) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
    return a;
  }
  function safeHref(iri) { return /^https?:\/\//i.test(iri) ? iri : null; }
  function localHref(path) { return /^[a-z0-9][a-z0-9\/._~%-]*$/i.test(path || "") ? path : null; }
  function pick(names) {
    return names[state.lang] || names.en || names.es || names.ca || "";
  }
  function name(n) { return pick(n.names) || n.id; }
  function typeName(slug) {
    if (!slug) return t("unknownType");
    return pick(data.types[slug] || {}) || slug;
  }
  function roleName(slug) { return pick(data.roles[slug] || {}) || slug; }
  function relationName(r) { return data.kinds.includes(r) ? tm("kind", r) : roleName(r); }
  function planLabel(i) { const p = data.plans[i]; return p ? p.label : ""; }

  // ---------------------------------------------------------------- visibility
  function edgePasses(e) {
    if (state.relation && !e.kinds.includes(state.relation) && !e.roles.includes(state.relation)) return false;
    if (e.w < state.minWeight) return false;
    if (state.from !== "" || state.to !== "") {
      if (!e.years) return false;
      const from = state.from === "" ? -Infinity : +state.from, to = state.to === "" ? Infinity : +state.to;
      if (e.years[1] < from || e.years[0] > to) return false;
    }
    const plan = state.plan === "" ? null : planIndex.get(state.plan);
    if (plan !== null && plan !== undefined) {
      const ends = data.nodes[e.s].plans.includes(plan) && data.nodes[e.t].plans.includes(plan);
      if (!e.plans.includes(plan) && !(isStated(e) && ends)) return false;
    }
    if (state.goal) {
      const ends = data.nodes[e.s].goals.includes(state.goal) && data.nodes[e.t].goals.includes(state.goal);
      if (!e.goals.includes(state.goal) && !(isStated(e) && ends)) return false;
    }
    return true;
  }
  function isStated(e) { return e.kinds.includes("membership") || e.kinds.includes("part-of"); }
  let shown = new Set(), visible = new Set();
  function computeVisible() {
    const passing = new Set();
    data.edges.forEach((e) => { if (edgePasses(e)) passing.add(e.id); });
    const touched = new Set();
    passing.forEach((id) => { const e = data.edges[id]; touched.add(e.s); touched.add(e.t); });
    const plan = state.plan === "" ? null : planIndex.get(state.plan);
    const edgeDriven = state.relation || state.minWeight > 1 || state.from !== "" || state.to !== "";
    const filtered = state.plan || state.goal || edgeDriven;
    const nodes = new Set();
    data.nodes.forEach((n) => {
      const member = (plan === null || plan === undefined || n.plans.includes(plan)) &&
                     (!state.goal || n.goals.includes(state.goal));
      if ((!filtered || touched.has(n.i) || (!edgeDriven && member)) && n.scores.degree >= state.minDegree)
        nodes.add(n.i);
    });
    const edges = new Set();
    passing.forEach((id) => { const e = data.edges[id]; if (nodes.has(e.s) && nodes.has(e.t)) edges.add(id); });
    const focus = state.focus ? nodeOf(state.focus) : null;
    if (focus) {  // the ego network: reach over the links that pass the filters
      const depth = new Map([[focus.i, 0]]);
      let frontier = [focus.i];
      for (let d = 1; d <= state.depth; d++) {
        const next = [];
        for (const v of frontier) for (const id of adj[v]) {
          if (!passing.has(id)) continue;
          const e = data.edges[id], w = e.s === v ? e.t : e.s;
          if (!depth.has(w)) { depth.set(w, d); next.push(w); }
        }
        frontier = next;
      }
      const ego = new Set(depth.keys());
      const egoEdges = new Set();
      passing.forEach((id) => { const e = data.edges[id]; if (ego.has(e.s) && ego.has(e.t)) egoEdges.add(id); });
      api.focusNeighbours = ego.size - 1;
      return [ego, egoEdges];
    }
    api.focusNeighbours = null;
    return [nodes, edges];
  }

  // ---------------------------------------------------------------- colours, sizes
  // Okabe–Ito: distinct for the common forms of colour blindness; more groups add shapes.
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"];
  const SHAPES = ["dot", "square", "triangle", "diamond", "triangleDown", "star", "hexagon"];
  const OTHER = "#8c8c8c";
  function groupOf(n) { return state.colour === "community" ? n.community : (n.type || ""); }
  function groupLabel(g) { return state.colour === "community" ? t("communityOf", { c: g }) : typeName(g); }
  let styleOf = new Map();
  function restyleGroups(indices) {
    // colours follow the group's size in the whole view, so a group keeps its colour
    // through every filter and focus; the legend counts what is drawn
    const total = new Map();
    for (const n of data.nodes) { const g = groupOf(n); total.set(g, (total.get(g) || 0) + 1); }
    const order = [...total.keys()].sort((a, b) => total.get(b) - total.get(a) || String(a).localeCompare(String(b)));
    const counts = new Map();
    for (const i of indices) { const g = groupOf(data.nodes[i]); counts.set(g, (counts.get(g) || 0) + 1); }
    styleOf = new Map();
    order.forEach((g, k) => {
      if (!counts.has(g)) return;
      styleOf.set(g, k < PALETTE.length * SHAPES.length
        ? { colour: PALETTE[k % PALETTE.length], shape: SHAPES[Math.floor(k / PALETTE.length)], count: counts.get(g) }
        : { colour: OTHER, shape: "dot", count: counts.get(g), other: true });
    });
  }
  function rings(focus, ego) {
    // the ego network on rings: the focus in the centre, each step further out on its own
    // ring, neighbours in the order of their angle in the whole layout
    const depth = new Map([[focus.i, 0]]);
    let frontier = [focus.i];
    for (let d = 1; d <= state.depth; d++) {
      const next = [];
      for (const v of frontier) for (const id of adj[v]) {
        const e = data.edges[id], w = e.s === v ? e.t : e.s;
        if (ego.has(w) && !depth.has(w)) { depth.set(w, d); next.push(w); }
      }
      frontier = next;
    }
    const out = new Map([[focus.i, [0, 0]]]);
    for (let d = 1; d <= state.depth; d++) {
      const ring = [...depth].filter(([, k]) => k === d).map(([v]) => v);
      ring.sort((a, b) => Math.atan2(data.nodes[a].y - focus.y, data.nodes[a].x - focus.x) -
                          Math.atan2(data.nodes[b].y - focus.y, data.nodes[b].x - focus.x));
      const r = Math.max(220 * d, ring.length * 70 / (2 * Math.PI));
      ring.forEach((v, k) => { const a = 2 * Math.PI * k / ring.length;
        out.set(v, [r * Math.cos(a) * (d === 1 ? 1 : 1.1), r * Math.sin(a)]); });
    }
    return out;
  }
  function sizer() {
    let max = 0;
    for (const n of data.nodes) max = Math.max(max, n.scores[state.size] || 0);
    max = max || 1;
    return (n) => 5 + 22 * Math.sqrt((n.scores[state.size] || 0) / max);
  }

  // ---------------------------------------------------------------- drawing
  const container = document.getElementById("network");
  const nodes = new vis.DataSet([]);
  const edges = new vis.DataSet([]);
  const network = new vis.Network(container, { nodes, edges }, {
    autoResize: true, physics: false,
    layout: { improvedLayout: false },
    nodes: { borderWidth: 1, font: { size: 13, strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { smooth: false, color: { color: "#9aa7b5", highlight: "#D55E00", hover: "#D55E00" },
             selectionWidth: 2, hoverWidth: 1.5 },
    interaction: { hover: true, tooltipDelay: 80, hideEdgesOnDrag: true, hideEdgesOnZoom: N > 3000,
                   keyboard: { enabled: true, bindToWindow: false }, navigationButtons: false,
                   multiselect: false },
  });
  api.network = network;
  let displayed = { nodes: new Map(), edges: new Map(), aggregated: false };
  api.displayed = () => [...displayed.nodes.keys()];

  function draw() {
    [shown, visible] = computeVisible();
    const focus = state.focus ? nodeOf(state.focus) : null;
    let aggregate = false, note = "";
    if (!focus && state.view !== "all" && shown.size > data.overview) aggregate = true;
    if (!focus && state.view === "all" && shown.size > MAX_DRAW) {
      aggregate = true; note = t("tooMany", { n: shown.size, limit: MAX_DRAW });
    }
    if (state.view === "overview" && !focus && shown.size > 0) aggregate = true;
    const size = sizer();
    const dNodes = new Map(), dEdges = new Map();
    const open = new Set(state.open.map(Number));
    const drawnOrgs = [];
    if (aggregate) {
      const count = new Map();
      for (const i of shown) {
        const c = data.nodes[i].community;
        if (open.has(c)) { drawnOrgs.push(i); continue; }
        count.set(c, (count.get(c) || 0) + 1);
      }
      const radii = [...count.keys()].map((c) => communities.get(c).r).sort((a, b) => a - b);
      const font = Math.max(14, (radii[Math.floor(radii.length / 2)] || 0) / 3);  // one size for all labels
      for (const [c, k] of count) {
        const com = communities.get(c), top = data.nodes[com.top];
        const r = Math.max(10, com.r * Math.sqrt(k / com.members.length));  // the area its members fill
        dNodes.set("c:" + c, { id: "c:" + c, community: c, count: k,
          label: k > 1 ? name(top) + " +" + (k - 1) : "", x: com.x, y: com.y, shape: "dot", size: r,
          color: { background: "#dce6f0", border: "#2b5d8a" }, borderWidth: 2,
          font: { size: font } });
      }
      const between = new Map();
      for (const id of visible) {
        const e = data.edges[id];
        const a = open.has(data.nodes[e.s].community) ? "n:" + e.s : "c:" + data.nodes[e.s].community;
        const b = open.has(data.nodes[e.t].community) ? "n:" + e.t : "c:" + data.nodes[e.t].community;
        if (a === b) continue;
        if (a.startsWith("n:") && b.startsWith("n:")) { dEdges.set(id, edgeItem(e)); continue; }
        const key = a < b ? a + "|" + b : b + "|" + a;
        between.set(key, (between.get(key) || 0) + 1);
      }
      for (const [key, k] of between) {
        const [a, b] = key.split("|");
        dEdges.set("g:" + key, { id: "g:" + key, from: a, to: b, count: k,
          width: Math.min(12, 1 + Math.log2(k)), color: { color: "#c7d0d9", opacity: 0.6 } });
      }
      if (!note) note = t("overviewNote", { c: count.size, n: shown.size, limit: data.overview });
    } else {
      for (const i of shown) drawnOrgs.push(i);
      for (const id of visible) dEdges.set(id, edgeItem(data.edges[id]));
    }
    restyleGroups(drawnOrgs);
    const ranked = drawnOrgs.map((i) => size(data.nodes[i])).sort((a, b) => b - a);
    const labelAll = drawnOrgs.length <= 60;
    const cut = ranked[Math.min(ranked.length, LABELLED) - 1] || 0;
    const placed = focus ? rings(focus, shown) : null;
    for (const i of drawnOrgs) {
      const n = data.nodes[i], st = styleOf.get(groupOf(n)), s = size(n);
      const [x, y] = placed && placed.has(i) ? placed.get(i) : [n.x, n.y];
      dNodes.set("n:" + i, { id: "n:" + i, org: i, label: name(n), x: x, y: y, size: s,
        shape: st.shape, color: { background: st.colour, border: focus && focus.i === i ? "#000000" : "#333333" },
        borderWidth: focus && focus.i === i ? 4 : 1,
        font: { size: labelAll || s >= cut ? 13 : 0 } });
    }
    displayed = { nodes: dNodes, edges: dEdges, aggregated: aggregate };
    nodes.clear(); edges.clear();
    nodes.add([...dNodes.values()]);
    edges.add([...dEdges.values()]);
    network.fit({ animation: false, maxZoomLevel: 4 });
    status(note, focus);
    legend();
    table();
    overviewButton(aggregate);
    writeHash();
    api.visibleNodes = shown.size;
    api.visibleEdges = visible.size;
  }
  function edgeItem(e) {
    return { id: e.id, from: "n:" + e.s, to: "n:" + e.t, width: Math.min(10, 1 + 1.5 * Math.log2(e.w)),
             arrows: data.directed ? "to" : undefined };
  }

  // ---------------------------------------------------------------- details
  function section(title) { const s = el("div", null, "section"); s.appendChild(el("h3", title)); return s; }
  function nodePanel(n) {
    const box = el("div", null, "details");
    box.appendChild(el("div", name(n), "name"));
    box.appendChild(el("div", t("type") + ": " + typeName(n.type) + " · " + t("community") + " " + n.community));
    if (n.broker) box.appendChild(el("div", t("broker"), "broker"));
    const actions = el("div", null, "actions");
    const focusButton = el("button", t("focusOn"));
    focusButton.type = "button";
    focusButton.addEventListener("click", () => setFocus(keyOf(n)));
    actions.appendChild(focusButton);
    const page = localHref(n.page);
    if (page) actions.appendChild(link(t("page"), page, false));
    box.appendChild(actions);
    const rels = section(t("memberships"));
    const list = el("ul");
    const seen = new Set();
    for (const id of adj[n.i]) {
      const e = data.edges[id], other = data.nodes[e.s === n.i ? e.t : e.s];
      for (const item of e.items || []) {
        if (item.kind !== "membership" && item.kind !== "part-of") continue;
        const key = item.subject + item.kind;
        if (seen.has(key)) continue;
        seen.add(key);
        const a = data.nodes[item.a], b = data.nodes[item.b];
        const text = item.kind === "membership"
          ? t("kindOf", { a: a ? name(a) : "?", role: roleName(item.role || "member"), b: b ? name(b) : "?" })
          : (a ? name(a) : "?") + " — " + tm("kind", "part-of") + " — " + (b ? name(b) : "?");
        const li = el("li", text + (item.period ? " (" + item.period + ")" : ""));
        list.appendChild(li);
      }
      void other;
    }
    if (list.childNodes.length) { rels.appendChild(list); box.appendChild(rels); }
    if (n.plans.length) {
      const plans = section(t("plans"));
      const ul = el("ul");
      for (const p of n.plans) {
        const li = el("li");
        const href = localHref(data.plans[p] && data.plans[p].page);
        li.appendChild(href ? link(planLabel(p), href, false) : el("span", planLabel(p)));
        ul.appendChild(li);
      }
      plans.appendChild(ul);
      box.appendChild(plans);
    }
    const scores = section(t("scores"));
    const tbl = el("table");
    for (const m of data.measures) {
      const row = el("tr");
      row.appendChild(el("th", tm("measure", m)));
      row.appendChild(el("td", n.scores[m]));
      row.appendChild(el("td", t("rank", { r: rank(n, m), n: N }) + " — " + tm("explain", m), "explain"));
      tbl.appendChild(row);
    }
    scores.appendChild(tbl);
    box.appendChild(scores);
    const href = safeHref(n.id);
    box.appendChild(href ? link(n.id, href, true) : el("code", n.id));
    return box;
  }
  function rank(n, m) {
    const v = n.scores[m];
    let r = 1;
    for (const o of data.nodes) if (o.scores[m] > v) r++;
    return r;
  }
  function evidenceBox(e) {
    const box = el("div", null, "details evidence");
    const a = data.nodes[e.s], b = data.nodes[e.t];
    box.appendChild(el("div", name(a) + " — " + name(b), "name"));
    box.appendChild(el("div", e.kinds.map(relationName).join(", ") + " · " + t("weight") + " " + e.w));
    if (!e.items || !e.items.length) { box.appendChild(el("p", t("noEvidence"))); return box; }
    box.appendChild(el("h3", t("evidence")));
    const ul = el("ul");
    for (const item of e.items) ul.appendChild(evidenceItem(item));
    box.appendChild(ul);
    return box;
  }
  function evidenceItem(item) {
    const li = el("li", null, "item");
    const a = data.nodes[item.a], b = data.nodes[item.b];
    let head;
    if (item.kind === "membership") {
      head = t("kindOf", { a: a ? name(a) : "?", role: roleName(item.role || "member"), b: b ? name(b) : "?" });
    } else if (item.kind === "part-of") {
      head = (a ? name(a) : "?") + " — " + tm("kind", "part-of") + " — " + (b ? name(b) : "?");
    } else {
      const label = [item.notation || "", item.names ? pick(item.names) : ""].filter(Boolean).join(" ");
      head = tm("kind", item.kind) + ": " + (label || item.subject);
    }
    const headEl = el("div", null, "head");
    const href = localHref(item.page);
    headEl.appendChild(href ? link(head, href, false) : el("span", head));
    li.appendChild(headEl);
    const facts = [];
    if (item.roles) for (const [org, roles] of item.roles) {
      const o = data.nodes[org];
      if (o) facts.push(name(o) + ": " + roles.map((r) => r === "responsible" ? t("owner") : roleName(r)).join(", "));
    }
    if (item.plan !== undefined && item.plan >= 0) facts.push(t("inPlan") + ": " + planLabel(item.plan));
    if (item.period) facts.push(t("period") + ": " + item.period);
    for (const f of facts) li.appendChild(el("div", f, "fact"));
    for (const s of item.sources || []) {
      if (s.quote) li.appendChild(el("blockquote", s.quote));
      const src = el("div", null, "source");
      src.appendChild(el("span", t("source") + ": "));
      const url = s.url && safeHref(s.url);
      if (url) src.appendChild(link(s.url, url, true));
      else src.appendChild(el("span", t("passage")));
      li.appendChild(src);
    }
    return li;
  }
  function communityPanel(c, count) {
    const box = el("div", null, "details");
    const com = communities.get(c);
    box.appendChild(el("div", t("communityOf", { c: c }) + " — " + name(data.nodes[com.top]), "name"));
    box.appendChild(el("div", t("members", { n: count })));
    const open = state.open.map(Number).includes(c);
    const button = el("button", open ? t("collapse") : t("expand"));
    button.type = "button";
    button.addEventListener("click", () => toggleCommunity(c));
    box.appendChild(button);
    return box;
  }
  function toggleCommunity(c) {
    const open = state.open.map(Number);
    state.open = open.includes(c) ? open.filter((x) => x !== c) : [...open, c];
    draw();
  }

  const tooltip = document.getElementById("tooltip");
  const panel = document.getElementById("panel");
  function showTip(box, p) {
    tooltip.replaceChildren(box);
    const r = container.getBoundingClientRect();
    tooltip.style.left = Math.min(window.innerWidth - 380, r.left + p.pointer.DOM.x + 16) + "px";
    tooltip.style.top = (r.top + window.scrollY + p.pointer.DOM.y + 16) + "px";
    tooltip.hidden = false;
  }
  function itemBox(id) {
    const d = displayed.nodes.get(id);
    if (!d) return null;
    return d.org !== undefined ? nodePanel(data.nodes[d.org]) : communityPanel(d.community, d.count);
  }
  function edgeBox(id) {
    const d = displayed.edges.get(id);
    if (!d) return null;
    if (typeof id === "number") return evidenceBox(data.edges[id]);
    const box = el("div", null, "details");
    box.appendChild(el("div", t("linksBetween", { n: d.count }), "name"));
    return box;
  }
  network.on("hoverNode", (p) => { const b = itemBox(p.node); if (b) showTip(b, p); });
  network.on("blurNode", () => { tooltip.hidden = true; });
  network.on("hoverEdge", (p) => { const b = edgeBox(p.edge); if (b) showTip(b, p); });
  network.on("blurEdge", () => { tooltip.hidden = true; });
  network.on("click", (p) => {
    if (p.nodes.length) {
      const d = displayed.nodes.get(p.nodes[0]);
      if (d && d.community !== undefined && d.org === undefined) { toggleCommunity(d.community); return; }
      const b = itemBox(p.nodes[0]);
      if (b) panel.replaceChildren(b);
    } else if (p.edges.length) {
      const b = edgeBox(p.edges[0]);
      if (b) panel.replaceChildren(b);
    }
  });
  network.on("doubleClick", (p) => {
    const d = p.nodes.length ? displayed.nodes.get(p.nodes[0]) : null;
    if (d && d.org !== undefined) setFocus(keyOf(data.nodes[d.org]));
  });
  function setFocus(key) { state.focus = key; controls.depth.value = String(state.depth); draw(); }

  // ---------------------------------------------------------------- legend, status, table
  function legend() {
    const box = document.getElementById("legend");
    box.replaceChildren(el("h2", t("legend")));
    box.appendChild(el("div", t("colourLegend", { what: state.colour === "community" ? t("byCommunity") : t("byType"),
      measure: tm("measure", state.size) }), "title"));
    let others = 0;
    for (const [g, st] of styleOf) {
      if (st.other) { others += st.count; continue; }
      const row = el("div", null, "item");
      row.appendChild(swatch(st));
      row.appendChild(el("span", groupLabel(g) + " (" + st.count + ")"));
      box.appendChild(row);
    }
    if (others) box.appendChild(el("div", t("other") + " (" + others + ")", "item"));
    if (displayed.aggregated) {
      const row = el("div", null, "item");
      row.appendChild(swatch({ shape: "dot", colour: "#dce6f0" }));
      row.appendChild(el("span", t("communityNode")));
      box.appendChild(row);
    }
  }
  function swatch(st) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "14"); svg.setAttribute("height", "14"); svg.setAttribute("viewBox", "-7 -7 14 14");
    const shape = st.shape === "square" ? document.createElementNS(ns, "rect") : document.createElementNS(ns, st.shape === "dot" ? "circle" : "polygon");
    if (st.shape === "dot") shape.setAttribute("r", "6");
    else if (st.shape === "square") { shape.setAttribute("x", "-6"); shape.setAttribute("y", "-6"); shape.setAttribute("width", "12"); shape.setAttribute("height", "12"); }
    else shape.setAttribute("points", {
      triangle: "0,-6 6,5 -6,5", triangleDown: "0,6 6,-5 -6,-5", diamond: "0,-6 6,0 0,6 -6,0",
      star: "0,-6 1.8,-1.8 6,-1.8 2.7,1 4,6 0,3 -4,6 -2.7,1 -6,-1.8 -1.8,-1.8",
      hexagon: "-6,0 -3,-5.2 3,-5.2 6,0 3,5.2 -3,5.2" }[st.shape] || "0,-6 6,5 -6,5");
    shape.setAttribute("fill", st.colour); shape.setAttribute("stroke", "#333");
    svg.appendChild(shape);
    return svg;
  }
  function status(note, focus) {
    const parts = [t("shown", { n: shown.size, e: visible.size })];
    if (focus) parts.push(t("focusNote", { name: name(focus), d: state.depth === 2 ? t("depth2") : t("depth1"), k: shown.size - 1 }));
    if (note) parts.push(note);
    document.getElementById("status").textContent = parts.join(" — ");
  }
  const tableBox = document.getElementById("table-box");
  function table() {
    if (tableBox.hidden) return;
    const rows = [...shown].map((i) => data.nodes[i]).sort((a, b) => (b.scores[state.size] - a.scores[state.size]) || a.id.localeCompare(b.id));
    const limit = 500;
    const tbl = document.getElementById("table");
    tbl.replaceChildren(el("caption", t("tableNote", { k: Math.min(limit, rows.length), n: rows.length, measure: tm("measure", state.size) })));
    const head = el("tr");
    for (const h of [t("name"), t("type"), t("degree"), tm("measure", state.size), t("community")]) head.appendChild(el("th", h));
    tbl.appendChild(head);
    for (const n of rows.slice(0, limit)) {
      const tr = el("tr");
      const td = el("td");
      const b = el("button", name(n), "linkish");
      b.type = "button";
      b.addEventListener("click", () => { panel.replaceChildren(nodePanel(n)); panel.scrollIntoView({ block: "nearest" }); });
      td.appendChild(b);
      tr.appendChild(td);
      for (const v of [typeName(n.type), n.scores.degree, n.scores[state.size], n.community]) tr.appendChild(el("td", v));
      tbl.appendChild(tr);
    }
  }
  function overviewButton(aggregate) {
    const b = controls.overview;
    b.textContent = aggregate ? t("overviewOff") : t("overviewOn");
    b.hidden = !!state.focus || (shown.size <= data.overview && state.view !== "overview" && !aggregate);
  }

  // ---------------------------------------------------------------- controls
  const $ = (id) => document.getElementById(id);
  const controls = { search: $("search"), count: $("search-count"), plan: $("plan"), goal: $("goal"),
    relation: $("relation"), minDegree: $("min-degree"), minWeight: $("min-weight"), from: $("year-from"),
    to: $("year-to"), depth: $("depth"), size: $("size"), colour: $("colour"), lang: $("lang"),
    overview: $("overview-toggle"), reset: $("reset"), tableToggle: $("table-toggle") };
  function fill(select, items, value) {
    select.replaceChildren();
    for (const [v, text] of items) { const o = el("option", text); o.value = v; select.appendChild(o); }
    select.value = value;
  }
  function labels() {
    document.documentElement.lang = state.lang;
    for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
    fill(controls.plan, [["", t("allPlans")], ...data.plans.map((p) => [p.id, p.label])], state.plan);
    fill(controls.goal, [["", t("allGoals")], ...data.goals.map((g) => [g, t("sdg") + " " + g])], state.goal);
    fill(controls.relation, [["", t("allRelations")], ...data.relations.map((r) => [r, relationName(r)])], state.relation);
    fill(controls.depth, [["0", t("noFocus")], ["1", t("depth1")], ["2", t("depth2")]], state.focus ? String(state.depth) : "0");
    fill(controls.size, data.measures.map((m) => [m, tm("measure", m)]), state.size);
    fill(controls.colour, [["type", t("byType")], ["community", t("byCommunity")]], state.colour);
    fill(controls.lang, [["ca", "català"], ["es", "español"], ["en", "English"]], state.lang);
    controls.minDegree.value = state.minDegree;
    controls.minWeight.value = state.minWeight;
    controls.from.value = state.from; controls.to.value = state.to;
    if (data.years.length) {
      for (const c of [controls.from, controls.to]) { c.min = data.years[0]; c.max = data.years[1]; }
      controls.from.placeholder = data.years[0]; controls.to.placeholder = data.years[1];
    }
    controls.search.value = state.q;
    $("export-csv").textContent = "CSV";
    $("export-csv").title = t("name");
    $("export-csv-links").textContent = t("csvLinks");
  }
  function on(control, event, fn) { control.addEventListener(event, () => { fn(); draw(); }); }
  on(controls.plan, "change", () => { state.plan = controls.plan.value; });
  on(controls.goal, "change", () => { state.goal = controls.goal.value; });
  on(controls.relation, "change", () => { state.relation = controls.relation.value; });
  on(controls.minDegree, "change", () => { state.minDegree = Math.max(0, parseInt(controls.minDegree.value, 10) || 0); });
  on(controls.minWeight, "change", () => { state.minWeight = Math.max(1, parseInt(controls.minWeight.value, 10) || 1); });
  on(controls.from, "change", () => { state.from = controls.from.value.trim(); });
  on(controls.to, "change", () => { state.to = controls.to.value.trim(); });
  on(controls.depth, "change", () => {
    const d = parseInt(controls.depth.value, 10);
    if (d === 0) state.focus = "";
    else { state.depth = d; if (!state.focus) { const sel = selectedOrg(); if (sel) state.focus = keyOf(sel); } }
  });
  on(controls.size, "change", () => { state.size = controls.size.value; });
  on(controls.colour, "change", () => { state.colour = controls.colour.value; });
  on(controls.lang, "change", () => { state.lang = controls.lang.value; labels(); });
  on(controls.overview, "click", () => {
    state.view = displayed.aggregated ? "all" : "overview"; state.open = [];
  });
  on(controls.reset, "click", () => {
    const lang = state.lang;
    Object.assign(state, DEFAULTS, { lang: lang, open: [] });
    labels(); panel.replaceChildren(); network.unselectAll(); api.matches = [];
    controls.count.textContent = "";
  });
  controls.tableToggle.addEventListener("click", () => {
    tableBox.hidden = !tableBox.hidden;
    controls.tableToggle.setAttribute("aria-expanded", String(!tableBox.hidden));
    table();
  });
  function selectedOrg() {
    const sel = network.getSelectedNodes();
    const d = sel.length ? displayed.nodes.get(sel[0]) : null;
    return d && d.org !== undefined ? data.nodes[d.org] : null;
  }
  controls.search.addEventListener("input", () => { state.q = controls.search.value; search(true); writeHash(); });
  function search(fit) {
    const q = state.q.trim().toLowerCase();
    if (!q) { controls.count.textContent = ""; network.unselectAll(); api.matches = []; if (fit) network.fit({ animation: false, maxZoomLevel: 4 }); return; }
    const matches = data.nodes.filter((n) => shown.has(n.i) &&
      (Object.values(n.names).some((s) => s.toLowerCase().includes(q)) || n.id.toLowerCase().includes(q)));
    api.matches = matches.map((n) => n.id);
    controls.count.textContent = matches.length + " " + (matches.length === 1 ? t("match") : t("matches"));
    if (displayed.aggregated && matches.length) {
      const cs = [...new Set(matches.slice(0, 3).map((n) => n.community))];
      const open = state.open.map(Number);
      if (cs.some((c) => !open.includes(c))) { state.open = [...new Set([...open, ...cs])]; draw(); }
    }
    const ids = matches.map((n) => "n:" + n.i).filter((id) => displayed.nodes.has(id));
    network.selectNodes(ids);
    if (ids.length) {
      network.fit({ nodes: ids, animation: false, maxZoomLevel: 4 });
      panel.replaceChildren(nodePanel(matches[0]));
    } else if (fit) network.fit({ animation: false, maxZoomLevel: 4 });
  }
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && state.focus) { state.focus = ""; draw(); }
    if (ev.key === "/" && document.activeElement !== controls.search) { ev.preventDefault(); controls.search.focus(); }
  });

  // ---------------------------------------------------------------- the URL fragment
  const HASH = { focus: "focus", depth: "depth", plan: "plan", goal: "sdg", relation: "rel",
    minDegree: "deg", minWeight: "w", from: "from", to: "to", lang: "lang", size: "size",
    colour: "colour", view: "view", open: "open", q: "q" };
  let writing = false;
  function writeHash() {
    const params = new URLSearchParams();
    for (const [key, name] of Object.entries(HASH)) {
      let v = state[key], d = DEFAULTS[key];
      if (key === "open") { if (!v.length) continue; v = v.join(","); d = ""; }
      if (key === "plan" && v) v = v.replace(/\/+$/, "").split("/").pop();
      if (key === "depth" && !state.focus) continue;
      if (String(v) !== String(d)) params.set(name, String(v));
    }
    const text = params.toString();
    if (("#" + text) === location.hash || (!text && !location.hash)) return;
    writing = true;
    history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
    writing = false;
  }
  function readHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    Object.assign(state, DEFAULTS, { open: [] });
    for (const [key, name] of Object.entries(HASH)) {
      if (!params.has(name)) continue;
      const v = params.get(name);
      if (key === "open") state.open = v.split(",").map(Number).filter((x) => communities.has(x));
      else if (key === "plan") { const p = data.plans.find((x) => x.id === v || x.id.replace(/\/+$/, "").split("/").pop() === v); state.plan = p ? p.id : ""; }
      else if (key === "depth") state.depth = v === "2" ? 2 : 1;
      else if (key === "minDegree" || key === "minWeight") state[key] = Math.max(key === "minWeight" ? 1 : 0, parseInt(v, 10) || 0);
      else if (key === "lang") state.lang = T[v] ? v : DEFAULTS.lang;
      else if (key === "size") state.size = data.measures.includes(v) ? v : DEFAULTS.size;
      else if (key === "colour") state.colour = v === "community" ? "community" : "type";
      else if (key === "view") state.view = ["all", "overview"].includes(v) ? v : "auto";
      else if (key === "focus") state.focus = nodeOf(v) ? v : "";
      else state[key] = v;
    }
  }
  window.addEventListener("hashchange", () => { if (writing) return; readHash(); labels(); draw(); search(false); });

  // ---------------------------------------------------------------- export
  function download(filename, blob) {
    const a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
  }
  function stem() { return "metrokg-" + (data.view || "network").replace(/[^a-z0-9-]+/gi, "-"); }
  function csvCell(v) { const s = String(v === undefined || v === null ? "" : v); return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }
  function csv(rows) { return rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n"; }
  function nodeRows() {
    const head = ["id", "name", "type", ...data.measures, "community", "broker"];
    return [head, ...[...shown].sort((a, b) => a - b).map((i) => { const n = data.nodes[i];
      return [n.id, name(n), n.type, ...data.measures.map((m) => n.scores[m]), n.community, n.broker]; })];
  }
  function edgeRows() {
    return [["source", "source_name", "target", "target_name", "weight", "kinds", "roles", "plans"],
      ...[...visible].sort((a, b) => a - b).map((id) => { const e = data.edges[id], a = data.nodes[e.s], b = data.nodes[e.t];
        return [a.id, name(a), b.id, name(b), e.w, e.kinds.join(" "), e.roles.join(" "), e.plans.map((p) => data.plans[p].id).join(" ")]; })];
  }
  $("export-csv").addEventListener("click", () => download(stem() + "-organisations.csv", new Blob([csv(nodeRows())], { type: "text/csv" })));
  $("export-csv-links").addEventListener("click", () => download(stem() + "-links.csv", new Blob([csv(edgeRows())], { type: "text/csv" })));
  function xml(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
  $("export-gexf").addEventListener("click", () => {
    const cols = ["type", ...data.measures, "community", "broker"];
    const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
      '<graph defaultedgetype="' + (data.directed ? "directed" : "undirected") + '">', '<attributes class="node">'];
    cols.forEach((c, i) => out.push('<attribute id="' + i + '" title="' + c + '" type="' +
      (c === "type" ? "string" : c === "broker" ? "boolean" : c === "community" || c === "degree" ? "integer" : "double") + '"/>'));
    out.push("</attributes>", '<attributes class="edge"><attribute id="0" title="kinds" type="string"/></attributes>', "<nodes>");
    for (const i of [...shown].sort((a, b) => a - b)) {
      const n = data.nodes[i];
      const vals = [n.type, ...data.measures.map((m) => n.scores[m]), n.community, n.broker];
      out.push('<node id="' + xml(n.id) + '" label="' + xml(name(n)) + '"><attvalues>' +
        vals.map((v, k) => '<attvalue for="' + k + '" value="' + xml(v) + '"/>').join("") + "</attvalues></node>");
    }
    out.push("</nodes>", "<edges>");
    for (const id of [...visible].sort((a, b) => a - b)) {
      const e = data.edges[id];
      out.push('<edge id="' + id + '" source="' + xml(data.nodes[e.s].id) + '" target="' + xml(data.nodes[e.t].id) +
        '" weight="' + e.w + '"><attvalues><attvalue for="0" value="' + xml(e.kinds.join(" ")) + '"/></attvalues></edge>');
    }
    out.push("</edges>", "</graph>", "</gexf>");
    download(stem() + ".gexf", new Blob([out.join("\n") + "\n"], { type: "application/xml" }));
  });
  $("export-png").addEventListener("click", () => {
    const canvas = container.querySelector("canvas");
    const copy = document.createElement("canvas");
    copy.width = canvas.width; copy.height = canvas.height;
    const ctx = copy.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(canvas, 0, 0);
    copy.toBlob((blob) => download(stem() + ".png", blob), "image/png");
  });
  $("export-svg").addEventListener("click", () => {
    const ids = [...displayed.nodes.keys()];
    const pos = network.getPositions(ids);
    const xs = ids.map((id) => pos[id].x), ys = ids.map((id) => pos[id].y);
    const pad = 60, x0 = Math.min(...xs, 0) - pad, y0 = Math.min(...ys, 0) - pad;
    const w = Math.max(...xs, 0) + pad - x0, h = Math.max(...ys, 0) + pad - y0;
    const out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="' + [x0, y0, w, h].map((v) => v.toFixed(1)).join(" ") +
      '" width="' + Math.round(w) + '" height="' + Math.round(h) + '">', '<rect x="' + x0 + '" y="' + y0 + '" width="' + w + '" height="' + h + '" fill="#ffffff"/>', '<g stroke="#9aa7b5">'];
    for (const d of displayed.edges.values()) {
      const a = pos[d.from], b = pos[d.to];
      if (a && b) out.push('<line x1="' + a.x.toFixed(1) + '" y1="' + a.y.toFixed(1) + '" x2="' + b.x.toFixed(1) + '" y2="' + b.y.toFixed(1) + '" stroke-width="' + (d.width || 1).toFixed(1) + '"/>');
    }
    out.push("</g>", '<g stroke="#333333" font-family="sans-serif" font-size="13">');
    for (const d of displayed.nodes.values()) {
      const p = pos[d.id], fill = d.color.background;
      out.push('<circle cx="' + p.x.toFixed(1) + '" cy="' + p.y.toFixed(1) + '" r="' + (d.size || 10).toFixed(1) + '" fill="' + xml(fill) + '"/>');
      if (d.font && d.font.size) out.push('<text x="' + (p.x + (d.size || 10) + 3).toFixed(1) + '" y="' + (p.y + 4).toFixed(1) + '" stroke="none" fill="#222222">' + xml(d.label) + "</text>");
    }
    out.push("</g>", "</svg>");
    download(stem() + ".svg", new Blob([out.join("\n") + "\n"], { type: "image/svg+xml" }));
  });

  // ---------------------------------------------------------------- start
  if (window.innerWidth < 700) document.getElementById("controls-box").open = false;  // phones: graph first
  readHash();
  labels();
  draw();
  search(false);
  function ready() { if (api.ready) return; api.ready = true; document.body.dataset.ready = "true"; }
  network.once("afterDrawing", ready);
  if (displayed.nodes.size === 0) ready();
})();
