// alliance-graph explorer. Every piece of data comes from the JSON block and goes
// into the page through textContent, attributes set with setAttribute, or as a
// vis-network canvas label: never as HTML. Hover titles are off for the same reason.
(function () {
  "use strict";
  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById("data").textContent);
  var META = DATA.meta || {};
  var STYLE = DATA.style || {};
  var DEFAULT_STYLE = DATA.default_style || { color: "#999999", shape: "dot" };
  var SVG = "http://www.w3.org/2000/svg";
  var state = { lang: "en", types: {}, sources: {}, asOf: null, selected: null, selectedEdge: null,
                ready: false, counts: null, firstDraw: undefined, asOfLabel: null,
                disputedOnly: false };
  var timing = { start: T0 };

  // --- small helpers -------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null) return;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function styleOf(type) { return STYLE[type] || DEFAULT_STYLE; }
  // A small SVG of a node's shape, built element by element (no markup strings).
  function icon(type) {
    var s = styleOf(type), svg = document.createElementNS(SVG, "svg"), shape;
    svg.setAttribute("viewBox", "-7 -7 14 14");
    svg.setAttribute("class", "icon");
    svg.setAttribute("aria-hidden", "true");
    var pts = {
      star: "0,-6.5 1.6,-2 6.2,-2 2.5,0.8 3.9,5.3 0,2.6 -3.9,5.3 -2.5,0.8 -6.2,-2 -1.6,-2",
      diamond: "0,-6.5 6.5,0 0,6.5 -6.5,0",
      triangle: "0,-6 6,5 -6,5",
      triangleDown: "0,6 6,-5 -6,-5",
      hexagon: "6,0 3,5.2 -3,5.2 -6,0 -3,-5.2 3,-5.2"
    }[s.shape];
    if (pts) { shape = document.createElementNS(SVG, "polygon"); shape.setAttribute("points", pts); }
    else if (s.shape === "square") {
      shape = document.createElementNS(SVG, "rect");
      [["x", -5.5], ["y", -5.5], ["width", 11], ["height", 11]].forEach(function (a) { shape.setAttribute(a[0], a[1]); });
    } else {
      shape = document.createElementNS(SVG, "circle");
      shape.setAttribute("r", 5.5);
    }
    shape.setAttribute("fill", s.color);
    svg.appendChild(shape);
    return svg;
  }
  function typeLabel(type, lang) {
    var labels = (META.type_labels || {})[type] || {};
    return labels[lang] || labels.en || type || "entity";
  }
  function typeBoth(type) {
    var en = typeLabel(type, "en"), ja = typeLabel(type, "ja");
    return en === ja ? en : en + " / " + ja;
  }
  function predLabel(e) {
    var labels = (META.predicate_labels || {})[e.predicate] || {};
    return (state.lang === "ja" && labels.ja) ? labels.ja : e.label;
  }
  function source(id) { return (META.sources || {})[id] || { title: id }; }
  function nodeLabel(n) { return (state.lang === "ja" && n.label_ja) ? n.label_ja : n.label; }
  // Dates: Python (graph.dates) gave every fact and entity its span [valid_start,
  // valid_end] (ISO days, null when open) and every date the slider offers its first
  // and last day. A fact holds as of a date iff it may have started by the date's last
  // day and may not have ended before its first day: the rule of --as-of, no arithmetic.
  var DATES = (META.dates || []).slice(), BOUNDS = META.date_bounds || {};
  var ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
  function boundsOf(d) {
    d = String(d);
    if (Object.prototype.hasOwnProperty.call(BOUNDS, d)) return BOUNDS[d].slice();
    return ISO_DAY.test(d) ? [d, d] : null;
  }
  function holds(x) {
    if (!state.asOf) return true;
    return (x.valid_start == null || x.valid_start <= state.asOf[1]) &&
           (x.valid_end == null || x.valid_end >= state.asOf[0]);
  }
  function disputed(x) { return !!(x.status && x.status.disputed); }
  function corroborated(x) { return !!(x.status && x.status.corroborated); }

  // --- indexes -------------------------------------------------------------------------
  var byId = new Map(), edgeById = new Map(), outIdx = new Map(), inIdx = new Map();
  var typesPresent = {}, sourcesPresent = {}, disputedCount = 0, corroboratedCount = 0;
  DATA.nodes.forEach(function (n) {
    byId.set(n.id, n);
    outIdx.set(n.id, []); inIdx.set(n.id, []);
    typesPresent[n.type] = (typesPresent[n.type] || 0) + 1;
    (n.sources || []).forEach(function (s) { sourcesPresent[s] = sourcesPresent[s] || 0; });
    n.disputedFact = (n.facts || []).some(disputed);
  });
  DATA.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    outIdx.get(e.from).push(e); inIdx.get(e.to).push(e);
    e.sources.forEach(function (s) { sourcesPresent[s] = (sourcesPresent[s] || 0) + 1; });
    if (disputed(e)) disputedCount++;
    else if (corroborated(e)) corroboratedCount++;
  });
  Object.keys(typesPresent).forEach(function (t) { state.types[t] = true; });
  Object.keys(sourcesPresent).forEach(function (s) { state.sources[s] = true; });

  // --- the network ---------------------------------------------------------------------
  function visNode(n) {
    var item = { id: n.id, label: nodeLabel(n), group: n.group };
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    if (n.disputedFact) { item.borderWidth = 3; item.shapeProperties = { borderDashes: [3, 2] }; }
    return item;
  }
  // Large views carry no edge labels: thousands of them would slow the first
  // frame and be unreadable; the panel shows every predicate.
  // Disputed facts are dashed and red, corroborated ones thicker (see the legend).
  function visEdge(e) {
    var item = { id: e.id, from: e.from, to: e.to };
    if (!META.large) item.label = predLabel(e);
    if (disputed(e)) {
      item.dashes = [6, 4];
      item.width = 2;
      item.color = { color: "#CC3311", highlight: "#CC3311", inherit: false };
    } else if (corroborated(e)) item.width = 3.5;
    return item;
  }
  var nodes = new vis.DataSet(DATA.nodes.map(visNode));
  var edges = new vis.DataSet(DATA.edges.map(visEdge));
  timing.parsed = performance.now();
  var status = document.getElementById("status"), panel = document.getElementById("panel");
  var physics = !!(DATA.options.physics && DATA.options.physics.enabled) && DATA.nodes.length > 0;
  var network = new vis.Network(document.getElementById("network"), { nodes: nodes, edges: edges }, DATA.options);
  timing.network = performance.now();
  function markReady() {
    if (state.ready) return;
    state.ready = true;
    status.textContent = "";
    document.body.setAttribute("data-ready", "true");
  }
  if (physics) {
    status.textContent = "Laying out…";
    network.on("stabilizationProgress", function (p) {
      status.textContent = "Laying out… " + Math.round(100 * p.iterations / p.total) + "%";
    });
    // Physics only settles the first layout; afterwards nodes stay where the
    // analyst drags them.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      markReady();
    });
  }
  network.once("afterDrawing", function () {
    state.firstDraw = performance.now();
    timing.firstDraw = state.firstDraw;
    if (!physics) markReady();
  });

  // --- filters -------------------------------------------------------------------------
  function edgeShown(e) {
    if (!state.types[byId.get(e.from).type] || !state.types[byId.get(e.to).type]) return false;
    if (e.sources.length && !e.sources.some(function (s) { return state.sources[s]; })) return false;
    if (state.disputedOnly && !disputed(e)) return false;
    return holds(e);
  }
  function nodeShown(n, ends) {
    if (!state.types[n.type]) return false;
    if (ends[n.id]) return true;
    // "Disputed only": the ends of disputed links, and entities with a disputed fact.
    if (state.disputedOnly && !(n.disputedFact && n.facts.some(function (f) {
      return disputed(f) && holds(f);
    }))) return false;
    var own = n.sources || [];
    if (own.length && !own.some(function (s) { return state.sources[s]; })) return false;
    // An entity seen only in hidden facts is known from its first fact for as
    // long as any of its facts may hold (its span, from Python).
    return holds(n);
  }
  // Hidden flags and labels as last applied: only changes go to vis-network, so
  // the first apply (nothing hidden) costs nothing on large graphs.
  var hiddenNode = {}, hiddenEdge = {}, labelLang = "en";
  function apply() {
    var ends = {}, edgeUpdates = [], nodeUpdates = [], shownEdges = 0, shownNodes = 0;
    var relabel = labelLang !== state.lang;
    labelLang = state.lang;
    DATA.edges.forEach(function (e) {
      var show = edgeShown(e);
      if (show) { ends[e.from] = true; ends[e.to] = true; shownEdges++; }
      if (!!hiddenEdge[e.id] === show || (relabel && !META.large)) {
        hiddenEdge[e.id] = !show;
        var u = { id: e.id, hidden: !show };
        if (!META.large) u.label = predLabel(e);
        edgeUpdates.push(u);
      }
    });
    DATA.nodes.forEach(function (n) {
      var show = nodeShown(n, ends);
      if (show) shownNodes++;
      if (!!hiddenNode[n.id] === show || relabel) {
        hiddenNode[n.id] = !show;
        nodeUpdates.push({ id: n.id, hidden: !show, label: nodeLabel(n) });
      }
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    state.counts = { nodes: shownNodes, edges: shownEdges, totalNodes: DATA.nodes.length,
                     totalEdges: DATA.edges.length };
    var counter = document.getElementById("counts");
    counter.textContent = shownNodes + " entities, " + shownEdges + " facts shown" +
      (shownNodes < DATA.nodes.length || shownEdges < DATA.edges.length
        ? " (of " + DATA.nodes.length + " and " + DATA.edges.length + ")" : "");
    counter.setAttribute("data-nodes", shownNodes);
    counter.setAttribute("data-edges", shownEdges);
    // Redraw the panel so its "hidden by filters" notes follow; keep its scroll.
    var scroll = panel.scrollTop;
    if (state.selected) showNode(state.selected);
    else if (state.selectedEdge) showEdge(state.selectedEdge);
    panel.scrollTop = scroll;
  }

  // --- side bar: legend, sources, as-of ------------------------------------------------
  document.getElementById("title").textContent = DATA.title;
  document.getElementById("view-name").textContent = "view: " + DATA.view;
  var typeList = document.getElementById("types");
  Object.keys(typesPresent).sort(function (a, b) {
    return typeLabel(a, "en").localeCompare(typeLabel(b, "en"));
  }).forEach(function (t) {
    var box = el("input", { type: "checkbox", "data-type": t });
    box.checked = true;
    box.addEventListener("change", function () { state.types[t] = box.checked; apply(); });
    typeList.appendChild(el("li", {}, [el("label", { title: t }, [box, icon(t),
      el("span", { text: typeBoth(t) })]), el("span", { class: "count", text: String(typesPresent[t]) })]));
  });
  var sourceList = document.getElementById("sources");
  Object.keys(sourcesPresent).sort(function (a, b) {
    return String(source(a).title).localeCompare(String(source(b).title));
  }).forEach(function (s) {
    var box = el("input", { type: "checkbox", "data-source": s });
    box.checked = true;
    box.addEventListener("change", function () { state.sources[s] = box.checked; apply(); });
    var info = source(s);
    var tip = [info.publisher, info.date, info.url].filter(Boolean).join(" · ");
    sourceList.appendChild(el("li", {}, [el("label", { title: tip || s }, [box,
      el("span", { text: info.title || s })]), el("span", { class: "count", text: String(sourcesPresent[s]) })]));
  });
  function setAll(kind, on) {
    Object.keys(state[kind]).forEach(function (k) { state[kind][k] = on; });
    syncChecks();
    apply();
  }
  document.getElementById("types-all").addEventListener("click", function () { setAll("types", true); });
  document.getElementById("types-none").addEventListener("click", function () { setAll("types", false); });
  document.getElementById("sources-all").addEventListener("click", function () { setAll("sources", true); });
  document.getElementById("sources-none").addEventListener("click", function () { setAll("sources", false); });
  function syncChecks() {
    document.querySelectorAll("input[data-type]").forEach(function (b) { b.checked = !!state.types[b.getAttribute("data-type")]; });
    document.querySelectorAll("input[data-source]").forEach(function (b) { b.checked = !!state.sources[b.getAttribute("data-source")]; });
    disputedBox.checked = state.disputedOnly;
  }
  // Agreement: "disputed only", and how many links each mark stands for.
  var disputedBox = document.getElementById("disputed-only");
  disputedBox.disabled = disputedCount === 0 && !DATA.nodes.some(function (n) { return n.disputedFact; });
  disputedBox.addEventListener("change", function () { state.disputedOnly = disputedBox.checked; apply(); });
  document.getElementById("disputed-count").textContent = String(disputedCount);
  document.getElementById("corroborated-count").textContent = String(corroboratedCount);
  function setDisputedOnly(on) { state.disputedOnly = !!on; syncChecks(); apply(); }
  // The slider runs over the distinct dates; its last position means "all dates".
  var asof = document.getElementById("asof"), asofValue = document.getElementById("asof-value");
  asof.max = String(DATES.length);
  asof.value = String(DATES.length);
  asof.disabled = DATES.length === 0;
  function asOfFromSlider() {
    var i = Number(asof.value);
    state.asOf = i < DATES.length ? boundsOf(DATES[i]) : null;
    state.asOfLabel = i < DATES.length ? DATES[i] : null;
    asofValue.textContent = i < DATES.length ? DATES[i] : "all dates";
  }
  asOfFromSlider();
  asof.addEventListener("input", function () { asOfFromSlider(); apply(); });
  // Any date of the slider, a year or month one of them falls in, or a full day
  // (YYYY-MM-DD); null shows all dates. Returns false (and changes nothing) otherwise.
  function setAsOf(d) {
    var bounds = d ? boundsOf(d) : null;
    if (d && !bounds) return false;
    if (!d) { asof.value = String(DATES.length); }
    else {
      // The slider sits on the last distinct date begun by d's last day (or the first).
      var i = 0;
      DATES.forEach(function (x, k) { if (BOUNDS[x][0] <= bounds[1]) i = k; });
      asof.value = String(i);
    }
    asOfFromSlider();
    if (d) { state.asOf = bounds; state.asOfLabel = String(d); asofValue.textContent = String(d); }
    apply();
    return true;
  }

  // --- search --------------------------------------------------------------------------
  function names(n) { return [n.label, n.label_ja || "", n.id].concat(n.aliases || []); }
  // The project's one name normalisation (graph/resolve.py), carried as data: NFKC,
  // lower case, every dash and quote mark alike, white space collapsed.
  var NORM = DATA.normalise || { unicode_form: "NFKC", map: {} };
  function normalise(text) {
    var s = String(text || "");
    if (s.normalize) s = s.normalize(NORM.unicode_form);
    s = s.toLowerCase();
    var out = "";
    for (var i = 0; i < s.length; i++) { var c = s.charAt(i); out += NORM.map.hasOwnProperty(c) ? NORM.map[c] : c; }
    return out.replace(/\s+/g, " ").trim();
  }
  function search(text) {
    var q = normalise(text);
    if (!q) return [];
    var hits = [];
    DATA.nodes.forEach(function (n) {
      var best = 9;
      names(n).forEach(function (name) {
        var norm = normalise(name), i = norm.indexOf(q);
        if (i >= 0) best = Math.min(best, norm.length === q.length ? 0 : i === 0 ? 1 : 2);
      });
      if (best < 9) hits.push([best, nodeLabel(n).toLowerCase(), n.id]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
    return hits.map(function (h) { return h[2]; });
  }
  var results = document.getElementById("results"), note = document.getElementById("results-note");
  var searchBox = document.getElementById("search");
  function showResults() {
    var q = normalise(searchBox.value), found = search(q);
    clear(results);
    note.textContent = !q ? "" : found.length === 0 ? "No entity matches." :
      found.length > 50 ? "First 50 of " + found.length + " matches." : found.length + (found.length === 1 ? " match" : " matches");
    found.slice(0, 50).forEach(function (id) {
      var n = byId.get(id);
      var via = names(n).filter(function (a) { return normalise(a).indexOf(q) >= 0; })
        .filter(function (a) { return a !== nodeLabel(n); });
      var sub = typeLabel(n.type, state.lang) + (via.length ? " · " + via[0] : "");
      var other = state.lang === "ja" ? n.label : n.label_ja;
      var button = el("button", { type: "button", "data-id": id }, [icon(n.type), el("span", { text: " " + nodeLabel(n) }),
        other && other !== nodeLabel(n) ? el("span", { class: "muted", text: " " + other }) : null,
        el("span", { class: "sub", text: sub })]);
      button.addEventListener("click", function () { select(id); });
      results.appendChild(el("li", {}, [button]));
    });
  }
  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var first = search(searchBox.value)[0]; if (first !== undefined) select(first); }
    if (ev.key === "Escape") { searchBox.value = ""; showResults(); }
  });

  // --- detail panel --------------------------------------------------------------------
  var RANKS = { preferred: true, normal: true, deprecated: true };
  // One claim: the value it states if not the asserted one, its verbatim quote, its
  // source, qualifiers, rank and the reason for that rank.
  function evidenceBlock(ev) {
    var info = source(ev.source);
    var about = [info.publisher, info.date].filter(Boolean).join(", ");
    var when = [ev.date && ("stated " + ev.date), ev.valid_from && ("valid from " + ev.valid_from),
      ev.valid_until && ("until " + ev.valid_until), ev.role && ("role: " + ev.role),
      ev.amount && ("amount: " + ev.amount + (ev.currency ? " " + ev.currency : "")),
      ev.quantity && ("quantity: " + ev.quantity)].filter(Boolean);
    var rank = RANKS[ev.rank] ? ev.rank : null;
    return el("div", { class: "evidence", "data-side": ev.side === "disagree" ? "disagree" : "agree" }, [
      ev.asserted === false && ev.value != null
        ? el("div", { class: "states", text: "states: " + String(ev.value) }) : null,
      el("blockquote", { text: ev.quote || "" }),
      el("div", { class: "cite", text: ["— " + (info.title || ev.source || "unknown source") +
        (about ? " (" + about + ")" : "")].concat(when).join(" · ") }),
      rank ? el("div", { class: "rank rank-" + rank, text: "rank: " + rank +
        (ev.rank_reason ? " — " + ev.rank_reason : "") }) : null,
      info.url ? el("div", { class: "cite", text: info.url }) : null,
      el("div", { class: "iri", text: [ev.source && ("source: " + ev.source), ev.claim]
        .filter(Boolean).join(" · ") })]);
  }
  // A fact's status line (graph.analysis.fact_marks' words, from Python) and its
  // claims: those that agree and those that disagree side by side when some do.
  function factBody(f) {
    var all = f.evidence || [];
    var agree = all.filter(function (x) { return x.side !== "disagree"; });
    var against = all.filter(function (x) { return x.side === "disagree"; });
    var n = f.status ? Number(f.status.sources) || 0 : 0;
    var words = f.marks || (f.status ? n + (n === 1 ? " source" : " sources") : "");
    var parts = [words ? el("div", { class: "status" + (disputed(f) ? " disputed" : ""), text: words }) : null];
    if (!against.length) return parts.concat(agree.map(evidenceBlock));
    return parts.concat([el("div", { class: "sides" }, [
      el("div", { class: "side agree" }, [el("h4", { text: "Agree (" + agree.length + ")" })]
        .concat(agree.map(evidenceBlock))),
      el("div", { class: "side disagree" }, [el("h4", { text: "Disagree (" + against.length + ")" })]
        .concat(against.map(evidenceBlock)))])]);
  }
  function entityButton(id) {
    var n = byId.get(id);
    var b = el("button", { type: "button", class: "link", "data-id": id, text: n ? nodeLabel(n) : id });
    b.addEventListener("click", function () { select(id); });
    return b;
  }
  function claimItem(e, direction) {
    var pred = el("span", { class: "pred", text: predLabel(e) });
    var fact = el("div", { class: "fact" }, direction === "out"
      ? [pred, el("span", { text: " → " }), entityButton(e.to)]
      : [entityButton(e.from), el("span", { text: " → " }), pred]);
    var open = el("button", { type: "button", class: "link", text: "fact", title: "Show this fact alone" });
    open.style.fontWeight = "normal";
    open.style.fontSize = "12px";
    open.addEventListener("click", function () { selectEdge(e.id); });
    fact.appendChild(el("span", { class: "hidden-note" }, [open]));
    if (hiddenEdge[e.id]) fact.appendChild(el("span", { class: "hidden-note", text: "hidden by filters" }));
    return el("div", { class: "claim" + (hiddenEdge[e.id] ? " hidden-now" : ""), "data-edge": e.id,
      "data-disputed": disputed(e) ? "true" : null }, [fact].concat(factBody(e)));
  }
  function heading(n) {
    var parts = [el("h3", { text: n.label })];
    if (n.label_ja) parts.push(el("p", { class: "ja", lang: "ja", text: n.label_ja }));
    parts.push(el("span", { class: "type" }, [icon(n.type), el("span", { text: typeBoth(n.type) })]));
    return parts;
  }
  function showNode(id) {
    var n = byId.get(id);
    if (!n) return;
    clear(panel);
    panel.setAttribute("data-node", id);
    panel.removeAttribute("data-edge");
    heading(n).forEach(function (p) { panel.appendChild(p); });
    if (n.description) panel.appendChild(el("p", { class: "desc", text: n.description }));
    var rows = [["id", n.id]];
    if ((n.aliases || []).length) rows.push(["aliases", n.aliases.join("; ")]);
    Object.keys(n.external_ids || {}).sort().forEach(function (k) { rows.push([k, n.external_ids[k]]); });
    if ((n.dates || []).length) rows.push(["dates", n.dates.join(", ")]);
    if ((n.sources || []).length) rows.push(["sources", n.sources.map(function (s) { return source(s).title || s; }).join("; ")]);
    panel.appendChild(el("dl", {}, [].concat.apply([], rows.map(function (r) {
      return [el("dt", { text: r[0] }), el("dd", { text: r[1] })];
    }))));
    if ((n.facts || []).length) {
      panel.appendChild(el("h2", { text: "Facts (" + n.facts.length + ")" }));
      n.facts.forEach(function (f) {
        var now = holds(f);
        panel.appendChild(el("div", { class: "claim" + (now ? "" : " hidden-now"),
          "data-disputed": disputed(f) ? "true" : null }, [el("div", { class: "fact" }, [
          el("span", { class: "pred", text: (f.predicate_label || f.predicate) + ": " }),
          el("span", { text: String(f.value) + (f.datatype && f.datatype !== "string" ? " (" + f.datatype + ")" : "") }),
          now ? null : el("span", { class: "hidden-note", text: "not valid as of " + state.asOfLabel })])]
          .concat(factBody(f))));
      });
    }
    var out = outIdx.get(id), into = inIdx.get(id);
    panel.appendChild(el("h2", { text: "Links out (" + out.length + ")" }));
    out.forEach(function (e) { panel.appendChild(claimItem(e, "out")); });
    panel.appendChild(el("h2", { text: "Links in (" + into.length + ")" }));
    into.forEach(function (e) { panel.appendChild(claimItem(e, "in")); });
  }
  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) return;
    clear(panel);
    panel.setAttribute("data-edge", id);
    panel.removeAttribute("data-node");
    panel.appendChild(el("h3", { text: predLabel(e) }));
    panel.appendChild(el("div", { class: "claim" }, [el("div", { class: "fact" }, [entityButton(e.from),
      el("span", { class: "pred", text: " → " + predLabel(e) + " → " }), entityButton(e.to)])]));
    panel.appendChild(el("h2", { text: "Evidence (" + e.evidence.length + ")" }));
    panel.appendChild(el("div", { class: "claim", "data-edge": e.id,
      "data-disputed": disputed(e) ? "true" : null }, factBody(e)));
  }
  function select(id) {
    if (!byId.has(id)) return false;
    state.selected = id;
    state.selectedEdge = null;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(id);
    return true;
  }
  function selectEdge(id) {
    if (!edgeById.has(id)) return false;
    state.selected = null;
    state.selectedEdge = id;
    network.selectEdges([id]);
    showEdge(id);
    return true;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { state.selected = params.nodes[0]; state.selectedEdge = null; showNode(params.nodes[0]); }
    else if (params.edges.length) { state.selected = null; state.selectedEdge = params.edges[0]; showEdge(params.edges[0]); }
  });

  // --- header: language, fit, save and load --------------------------------------------
  var langButton = document.getElementById("lang");
  function setLang(lang) {
    state.lang = lang === "ja" ? "ja" : "en";
    langButton.textContent = state.lang === "ja" ? "English" : "日本語";
    document.documentElement.lang = state.lang;
    apply();
    if (searchBox.value) showResults();
  }
  langButton.addEventListener("click", function () { setLang(state.lang === "ja" ? "en" : "ja"); });
  document.getElementById("fit").addEventListener("click", function () { network.fit(); });
  function snapshot() {
    return { format: "alliance-graph-view/1", title: DATA.title, view: DATA.view,
      saved: new Date().toISOString(), positions: network.getPositions(),
      scale: network.getScale(), center: network.getViewPosition(), lang: state.lang,
      asOf: state.asOfLabel, types: Object.assign({}, state.types), sources: Object.assign({}, state.sources),
      disputedOnly: state.disputedOnly, selected: state.selected };
  }
  document.getElementById("save").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(snapshot(), null, 1)], { type: "application/json" });
    var a = el("a", { download: "alliance-graph-view.json" });
    a.href = URL.createObjectURL(blob);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  });
  function restore(saved) {
    if (!saved || saved.format !== "alliance-graph-view/1") {
      status.textContent = "Not a saved alliance-graph view.";
      return false;
    }
    network.setOptions({ physics: { enabled: false } });
    var moved = 0;
    Object.keys(saved.positions || {}).forEach(function (id) {
      var p = saved.positions[id];
      if (byId.has(id) && p && isFinite(p.x) && isFinite(p.y)) { network.moveNode(id, p.x, p.y); moved++; }
    });
    Object.keys(saved.types || {}).forEach(function (t) { if (t in state.types) state.types[t] = !!saved.types[t]; });
    Object.keys(saved.sources || {}).forEach(function (s) { if (s in state.sources) state.sources[s] = !!saved.sources[s]; });
    state.disputedOnly = saved.disputedOnly === true;
    syncChecks();
    state.lang = saved.lang === "ja" ? "ja" : "en";
    langButton.textContent = state.lang === "ja" ? "English" : "日本語";
    if (!setAsOf(saved.asOf || null)) setAsOf(null);  // applies the filters too
    if (saved.selected && byId.has(saved.selected)) select(saved.selected);
    if (saved.center && isFinite(saved.scale)) network.moveTo({ position: saved.center, scale: saved.scale });
    status.textContent = "Loaded a saved view (" + moved + " positions).";
    return true;
  }
  document.getElementById("load").addEventListener("change", function (ev) {
    var file = ev.target.files[0];
    if (!file) return;
    file.text().then(function (text) {
      try { restore(JSON.parse(text)); } catch (err) { status.textContent = "Could not read that file: " + err.message; }
      ev.target.value = "";
    });
  });

  apply();
  timing.applied = performance.now();
  function visible(dataset, id) { var x = dataset.get(id); return !!x && !x.hidden; }
  window.explorer = {
    counts: function () { return Object.assign({}, state.counts); },
    dates: function () { return DATES.slice(); },
    select: select, selectEdge: selectEdge, search: search, snapshot: snapshot, restore: restore,
    setLang: setLang, setAsOf: setAsOf, setDisputedOnly: setDisputedOnly,
    asOf: function () { return state.asOf ? state.asOf.slice() : null; },
    visibleEdges: function () {
      return DATA.edges.filter(function (e) { return visible(edges, e.id); })
        .map(function (e) { return [e.from, e.to, e.predicate]; });
    },
    positions: function () { return network.getPositions(); },
    setType: function (t, on) { state.types[t] = !!on; syncChecks(); apply(); },
    setSource: function (s, on) { state.sources[s] = !!on; syncChecks(); apply(); },
    isVisible: function (id) { return visible(nodes, id); },
    edgeVisible: function (id) { return visible(edges, id); },
    edgeIds: function (from, to, predicate) {
      return DATA.edges.filter(function (e) {
        return e.from === from && e.to === to && (!predicate || e.predicate === predicate);
      }).map(function (e) { return e.id; });
    },
    label: function (id) { var n = nodes.get(id); return n ? n.label : undefined; },
    edgeLabel: function (id) { var e = edges.get(id); return e ? e.label : undefined; },
    get ready() { return state.ready; },
    get firstDraw() { return state.firstDraw; },
    get lang() { return state.lang; },
    large: !!META.large,
    timing: timing,
    network: network
  };
})();
