// alliance-graph explorer. Data comes from the JSON block; every piece of it is
// put into the page with textContent or as a vis-network label, never as HTML.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("data").textContent);
  var META = DATA.meta || {};
  var state = { lang: "en", types: {}, sources: {}, asOf: null, selected: null, ready: false };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else if (k === "style") Object.assign(node.style, attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function typeLabel(type, lang) {
    var labels = (META.type_labels || {})[type] || {};
    return labels[lang] || labels.en || type || "entity";
  }
  function sourceTitle(id) {
    var s = (META.sources || {})[id];
    return (s && s.title) || id;
  }
  function nodeLabel(n) { return (state.lang === "ja" && n.label_ja) ? n.label_ja : n.label; }
  // Partial dates compare by the first day they cover against the as-of day.
  function firstDay(d) { return d.length === 4 ? d + "-01-01" : d.length === 7 ? d + "-01" : d; }
  function lastDay(d) {
    if (d.length === 4) return d + "-12-31";
    if (d.length === 7) return d + "-31";
    return d;
  }

  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  var typesPresent = {};
  DATA.nodes.forEach(function (n) { typesPresent[n.type] = (typesPresent[n.type] || 0) + 1; });
  var sourcesPresent = {};
  DATA.edges.forEach(function (e) { e.sources.forEach(function (s) { sourcesPresent[s] = true; }); });
  DATA.nodes.forEach(function (n) { (n.sources || []).forEach(function (s) { sourcesPresent[s] = true; }); });
  Object.keys(typesPresent).forEach(function (t) { state.types[t] = true; });
  Object.keys(sourcesPresent).forEach(function (s) { state.sources[s] = true; });

  function visNode(n) {
    var item = { id: n.id, label: nodeLabel(n), color: n.color, shape: n.shape };
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  }
  // Above the layout threshold edge labels are left to the detail panel: drawing
  // thousands of them would make the first frame slow and unreadable anyway.
  function visEdge(e) {
    return META.large ? { id: e.id, from: e.from, to: e.to, title: undefined }
                      : { id: e.id, from: e.from, to: e.to, label: e.label };
  }
  var nodes = new vis.DataSet(DATA.nodes.map(visNode));
  var edges = new vis.DataSet(DATA.edges.map(visEdge));
  var timing = { parsed: performance.now() };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  if (DATA.options.physics && DATA.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      state.ready = true;
    });
  }
  timing.network = performance.now();
  network.once("afterDrawing", function () {
    if (!(DATA.options.physics && DATA.options.physics.enabled)) state.ready = true;
    state.firstDraw = performance.now();
    timing.firstDraw = state.firstDraw;
  });

  // --- filters -------------------------------------------------------------------------
  function edgeVisible(e) {
    if (!state.types[byId[e.from].type] || !state.types[byId[e.to].type]) return false;
    if (e.sources.length && !e.sources.some(function (s) { return state.sources[s]; })) return false;
    if (state.asOf && e.date && firstDay(e.date) > state.asOf) return false;
    return true;
  }
  function nodeVisible(n, shownEdgeEnds) {
    if (!state.types[n.type]) return false;
    var ownSources = n.sources || [];
    if (ownSources.length && !ownSources.some(function (s) { return state.sources[s]; })
        && !shownEdgeEnds[n.id]) return false;
    if (state.asOf && !shownEdgeEnds[n.id] && (n.dates || []).length &&
        n.dates.every(function (d) { return firstDay(d) > state.asOf; })) return false;
    return true;
  }
  // Hidden flags as last applied: only changes go to vis-network, so the first
  // apply (nothing hidden) costs nothing on large graphs.
  var hiddenNode = {}, hiddenEdge = {}, labelLang = "en";
  function apply() {
    var shownEdgeEnds = {}, edgeUpdates = [], nodeUpdates = [], shownEdges = 0, shownNodes = 0;
    DATA.edges.forEach(function (e) {
      var show = edgeVisible(e);
      if (show) { shownEdgeEnds[e.from] = true; shownEdgeEnds[e.to] = true; shownEdges++; }
      if (!!hiddenEdge[e.id] === show) { hiddenEdge[e.id] = !show; edgeUpdates.push({ id: e.id, hidden: !show }); }
    });
    var relabel = labelLang !== state.lang;
    labelLang = state.lang;
    DATA.nodes.forEach(function (n) {
      var show = nodeVisible(n, shownEdgeEnds);
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
    document.getElementById("counts").textContent =
      shownNodes + " entities, " + shownEdges + " facts shown";
  }
  function counts() { return Object.assign({}, state.counts); }

  // --- side bar ------------------------------------------------------------------------
  document.getElementById("title").textContent = DATA.title;
  document.getElementById("view-name").textContent = "view: " + DATA.view;
  var typeList = document.getElementById("types");
  Object.keys(typesPresent).sort().forEach(function (t) {
    var style = (DATA.style || {})[t] || { color: "#999" };
    var box = el("input", { type: "checkbox", "data-type": t, "aria-label": t });
    box.checked = true;
    box.addEventListener("change", function () { state.types[t] = box.checked; apply(); });
    typeList.appendChild(el("li", {}, [box, el("span", { class: "swatch", style: { background: style.color } }),
      el("span", { text: typeLabel(t, "en") + " / " + typeLabel(t, "ja") + " (" + typesPresent[t] + ")" })]));
  });
  var sourceList = document.getElementById("sources");
  Object.keys(sourcesPresent).sort().forEach(function (s) {
    var box = el("input", { type: "checkbox", "data-source": s, "aria-label": s });
    box.checked = true;
    box.addEventListener("change", function () { state.sources[s] = box.checked; apply(); });
    sourceList.appendChild(el("li", {}, [box, el("span", { text: sourceTitle(s) })]));
  });
  var dates = {};
  DATA.edges.forEach(function (e) { if (e.date) dates[e.date] = true; });
  DATA.nodes.forEach(function (n) { (n.dates || []).forEach(function (d) { dates[d] = true; }); });
  var asof = document.getElementById("asof");
  asof.appendChild(el("option", { value: "", text: "all dates" }));
  Object.keys(dates).sort().forEach(function (d) {
    asof.appendChild(el("option", { value: lastDay(d), text: d }));
  });
  asof.addEventListener("change", function () { state.asOf = asof.value || null; apply(); });

  function search(text) {
    var q = (text || "").trim().toLowerCase();
    if (!q) return [];
    return DATA.nodes.filter(function (n) {
      return [n.label, n.label_ja || ""].concat(n.aliases || []).some(function (name) {
        return name.toLowerCase().indexOf(q) >= 0;
      });
    }).map(function (n) { return n.id; });
  }
  var results = document.getElementById("results");
  document.getElementById("search").addEventListener("input", function (ev) {
    clear(results);
    search(ev.target.value).slice(0, 50).forEach(function (id) {
      var n = byId[id];
      var matched = (n.aliases || []).filter(function (a) {
        return a.toLowerCase().indexOf(ev.target.value.trim().toLowerCase()) >= 0;
      });
      var button = el("button", { type: "button", "data-id": id }, [
        el("span", { text: nodeLabel(n) }),
        el("span", { class: "sub", text: typeLabel(n.type, state.lang) + (matched.length ? " · " + matched[0] : "") })]);
      button.addEventListener("click", function () { select(id); });
      results.appendChild(el("li", {}, [button]));
    });
  });

  // --- detail panel --------------------------------------------------------------------
  var panel = document.getElementById("panel");
  function evidenceBlock(ev) {
    var cite = sourceTitle(ev.source);
    var when = [ev.date && ("date " + ev.date), ev.valid_from && ("from " + ev.valid_from),
      ev.valid_until && ("until " + ev.valid_until), ev.role && ("role: " + ev.role),
      ev.amount && ("amount " + ev.amount + " " + (ev.currency || ""))].filter(Boolean).join(" · ");
    return el("div", {}, [el("blockquote", { text: ev.quote }),
      el("div", { class: "cite", text: "— " + cite + (when ? " · " + when : "") })]);
  }
  function entityButton(id) {
    var b = el("button", { type: "button", class: "link", text: byId[id] ? nodeLabel(byId[id]) : id });
    b.addEventListener("click", function () { select(id); });
    return b;
  }
  function claimItem(e, direction) {
    var fact = el("div", { class: "fact" }, direction === "out"
      ? [el("span", { text: e.label + " → " }), entityButton(e.to)]
      : [entityButton(e.from), el("span", { text: " → " + e.label })]);
    return el("div", { class: "claim", "data-edge": e.id }, [fact].concat(e.evidence.map(evidenceBlock)));
  }
  function showNode(id) {
    var n = byId[id];
    clear(panel);
    var style = (DATA.style || {})[n.type] || { color: "#999" };
    panel.appendChild(el("h3", { text: n.label }));
    if (n.label_ja) panel.appendChild(el("p", { class: "ja", lang: "ja", text: n.label_ja }));
    panel.appendChild(el("span", { class: "type", style: { background: style.color },
      text: typeLabel(n.type, "en") + " / " + typeLabel(n.type, "ja") }));
    var rows = [["id", n.id]];
    if (n.description) rows.push(["description", n.description]);
    if ((n.aliases || []).length) rows.push(["aliases", n.aliases.join("; ")]);
    Object.keys(n.external_ids || {}).sort().forEach(function (k) { rows.push([k, n.external_ids[k]]); });
    panel.appendChild(el("dl", {}, [].concat.apply([], rows.map(function (r) {
      return [el("dt", { text: r[0] }), el("dd", { text: r[1] })];
    }))));
    if ((n.facts || []).length) {
      panel.appendChild(el("h2", { text: "Facts" }));
      n.facts.forEach(function (f) {
        panel.appendChild(el("div", { class: "claim" }, [el("div", { class: "fact",
          text: (f.predicate_label || f.predicate) + ": " + f.value })].concat((f.evidence || []).map(evidenceBlock))));
      });
    }
    var out = DATA.edges.filter(function (e) { return e.from === id; });
    var into = DATA.edges.filter(function (e) { return e.to === id; });
    panel.appendChild(el("h2", { text: "Links out (" + out.length + ")" }));
    out.forEach(function (e) { panel.appendChild(claimItem(e, "out")); });
    panel.appendChild(el("h2", { text: "Links in (" + into.length + ")" }));
    into.forEach(function (e) { panel.appendChild(claimItem(e, "in")); });
  }
  function showEdge(id) {
    var e = DATA.edges.filter(function (x) { return x.id === id; })[0];
    if (!e) return;
    clear(panel);
    panel.appendChild(el("h3", { text: e.label }));
    panel.appendChild(el("div", { class: "fact" }, [entityButton(e.from), el("span", { text: " → " }), entityButton(e.to)]));
    panel.appendChild(el("h2", { text: "Evidence (" + e.evidence.length + ")" }));
    panel.appendChild(el("div", { class: "claim", "data-edge": e.id }, e.evidence.map(evidenceBlock)));
  }
  function select(id) {
    if (!byId[id]) return false;
    state.selected = id;
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showNode(id);
    return true;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { state.selected = params.nodes[0]; showNode(params.nodes[0]); }
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // --- header buttons ------------------------------------------------------------------
  var langButton = document.getElementById("lang");
  function setLang(lang) {
    state.lang = lang === "ja" ? "ja" : "en";
    langButton.textContent = state.lang === "ja" ? "English" : "日本語";
    document.documentElement.lang = state.lang;
    apply();
    if (state.selected) showNode(state.selected);
  }
  langButton.addEventListener("click", function () { setLang(state.lang === "ja" ? "en" : "ja"); });
  document.getElementById("fit").addEventListener("click", function () { network.fit(); });
  function snapshot() {
    return { format: "alliance-graph-view/1", title: DATA.title, view: DATA.view,
      positions: network.getPositions(), lang: state.lang, asOf: state.asOf,
      types: state.types, sources: state.sources };
  }
  document.getElementById("save").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(snapshot(), null, 1)], { type: "application/json" });
    var a = el("a", { download: "alliance-graph-view.json" });
    a.href = URL.createObjectURL(blob);
    document.body.appendChild(a);
    a.click();
    a.remove();
  });
  function restore(saved) {
    if (!saved || saved.format !== "alliance-graph-view/1") return false;
    network.setOptions({ physics: { enabled: false } });
    Object.keys(saved.positions || {}).forEach(function (id) {
      if (byId[id]) network.moveNode(id, saved.positions[id].x, saved.positions[id].y);
    });
    Object.keys(saved.types || {}).forEach(function (t) { if (t in state.types) state.types[t] = !!saved.types[t]; });
    Object.keys(saved.sources || {}).forEach(function (s) { if (s in state.sources) state.sources[s] = !!saved.sources[s]; });
    document.querySelectorAll("input[data-type]").forEach(function (b) { b.checked = state.types[b.getAttribute("data-type")]; });
    document.querySelectorAll("input[data-source]").forEach(function (b) { b.checked = state.sources[b.getAttribute("data-source")]; });
    state.asOf = saved.asOf || null;
    asof.value = state.asOf || "";
    setLang(saved.lang || "en");
    return true;
  }
  document.getElementById("load").addEventListener("change", function (ev) {
    var file = ev.target.files[0];
    if (!file) return;
    file.text().then(function (text) { restore(JSON.parse(text)); });
  });

  apply();
  timing.applied = performance.now();
  window.explorer = {
    counts: counts, select: select, search: search, snapshot: snapshot, restore: restore,
    setLang: setLang, positions: function () { return network.getPositions(); },
    setType: function (t, on) { state.types[t] = !!on; var b = document.querySelector('input[data-type="' + CSS.escape(t) + '"]'); if (b) b.checked = !!on; apply(); },
    setSource: function (s, on) { state.sources[s] = !!on; apply(); },
    setAsOf: function (d) { state.asOf = d ? lastDay(d) : null; asof.value = state.asOf || ""; apply(); },
    isVisible: function (id) { var n = nodes.get(id); return !!n && !n.hidden; },
    edgeVisible: function (id) { var e = edges.get(id); return !!e && !e.hidden; },
    get ready() { return state.ready; },
    get firstDraw() { return state.firstDraw; },
    timing: timing,
    network: network
  };
})();
