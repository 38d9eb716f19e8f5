// The ftzgraph viewer: draws the embedded view with vis-network and wires up search,
// the language toggle, class filters and the details panel.  Every piece of data reaches
// the page through textContent or vis-network's canvas, never as HTML.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("ftz-data").textContent);
  var UI = {
    zh: { search: "搜索节点（名称或标识）…", noMatch: "无匹配节点", classes: "类别", hint: "点击节点查看属性与证据；点击关系查看其证据。",
      properties: "属性", links: "关系", evidence: "证据", noEvidence: "无记录证据", more: "另有 {n} 条关系未列出",
      layout: "布局计算中… {p}%", iri: "标识" },
    en: { search: "Search nodes (name or id)…", noMatch: "No matching node", classes: "Classes", hint: "Click a node for its properties and evidence; click a link for its evidence.",
      properties: "Properties", links: "Links", evidence: "Evidence", noEvidence: "no evidence recorded", more: "{n} more links not listed",
      layout: "Laying out… {p}%", iri: "id" }
  };
  var LABEL_MAX = 22;   // longer names are shortened on the canvas; the panel shows them whole
  var LINKS_MAX = 150;  // links listed in the details panel of one node
  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  var lang = data.lang;
  var hiddenClasses = {};
  var current = null;   // what the details panel shows: {node: id} or {edge: index}
  var nodeById = {};
  var classById = {};
  var incident = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; incident[n.id] = []; });
  data.classes.forEach(function (c) { classById[c.id] = c; });
  data.edges.forEach(function (e, i) { incident[e.from].push(i); incident[e.to].push(i); });

  // -- names in the current language -------------------------------------------------------
  function pick(obj) { return (obj && (obj[lang] || obj[lang === "zh" ? "en" : "zh"])) || ""; }
  function nodeName(n) { return pick(n) || n.id; }
  function relName(key) { return pick(data.relations[key]) || key; }
  function className(key) { return pick(classById[key]) || key; }
  function shorten(text) { return text.length > LABEL_MAX ? text.slice(0, LABEL_MAX - 1) + "…" : text; }
  function ui(key, values) {
    return UI[lang][key].replace(/\{(\w+)\}/g, function (_, k) { return String(values[k]); });
  }

  // -- the network ---------------------------------------------------------------------------
  function visNode(n) {
    var style = classById[n.class];
    // Labels grow with their nodes, so hubs stay legible when the whole graph is in view.
    var node = { id: n.id, label: shorten(nodeName(n)), shape: style.shape, color: style.color, size: n.size,
      font: { size: Math.min(28, Math.round(10 + 0.8 * (n.size - 10))) }, hidden: !!hiddenClasses[n.class] };
    if (n.x !== undefined) { node.x = n.x; node.y = n.y; }
    if (n.id === data.focus) { node.borderWidth = 3; node.font = { size: Math.max(18, node.font.size) }; }
    return node;
  }
  function visEdge(e, i) { return { id: i, from: e.from, to: e.to, label: relName(e.rel) }; }

  var large = !data.physics;
  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var options = {
    nodes: { font: { face: FONT, size: 14, strokeWidth: 3, strokeColor: "#ffffff" }, borderWidth: 1 },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      color: { color: "#a0a0a0", highlight: "#333333", hover: "#555555" },
      font: { face: FONT, size: 10, color: "#666666", strokeWidth: 2, align: "middle" },
      smooth: large ? false : { type: "continuous" },
      // Thousands of edge labels make each frame slow; a large view shows them only zoomed in.
      scaling: { label: { drawThreshold: large ? 9 : 5 } },
      width: 1
    },
    physics: data.physics ? {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -80, springLength: 110, springConstant: 0.06, avoidOverlap: 0.5 },
      stabilization: { iterations: 400, updateInterval: 25, fit: true },
      minVelocity: 1
    } : false,
    layout: { randomSeed: data.seed, improvedLayout: data.nodes.length <= 150 },
    interaction: { hover: !large, hideEdgesOnDrag: large, hideEdgesOnZoom: large, tooltipDelay: 300 }
  };
  var container = document.getElementById("graph");
  var status = document.getElementById("status");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  // Physics runs until the layout is stable, then stops so the graph holds still.
  function markReady() {
    status.textContent = "";
    network.once("afterDrawing", function () {
      window.ftzReadyAt = performance.now();
      window.ftzReady = true;
      document.body.setAttribute("data-ready", "true");
    });
    network.redraw();
  }
  if (data.physics && data.nodes.length) {
    network.on("stabilizationProgress", function (p) {
      status.textContent = ui("layout", { p: Math.round(100 * p.iterations / p.total) });
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      markReady();
    });
  } else {
    markReady();
  }

  // -- helpers for building DOM from data, always as text ------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function glyph(cls) {
    var style = classById[cls];
    var span = el("span", "glyph", style.glyph);
    span.style.color = style.color;
    return span;
  }

  // -- legend and class filter ---------------------------------------------------------------
  var legend = document.getElementById("legend");
  function renderLegend() {
    clear(legend);
    legend.appendChild(el("h3", null, UI[lang].classes));
    var counts = {};
    data.nodes.forEach(function (n) { counts[n.class] = (counts[n.class] || 0) + 1; });
    data.classes.forEach(function (c) {
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = !hiddenClasses[c.id];
      box.setAttribute("data-class", c.id);
      box.addEventListener("change", function () { setClassVisible(c.id, box.checked); });
      label.appendChild(box);
      label.appendChild(glyph(c.id));
      label.appendChild(el("span", null, className(c.id)));
      label.appendChild(el("span", "count", "(" + counts[c.id] + ")"));
      legend.appendChild(label);
    });
  }
  function setClassVisible(cls, visible) {
    hiddenClasses[cls] = !visible;
    nodes.update(data.nodes.filter(function (n) { return n.class === cls; })
      .map(function (n) { return { id: n.id, hidden: !visible }; }));
  }

  // -- details panel -------------------------------------------------------------------------
  var details = document.getElementById("details");
  function evidenceList(items) {
    var list = el("ul");
    if (!items || !items.length) {
      list.appendChild(el("li", "evidence none", UI[lang].noEvidence));
      return list;
    }
    items.forEach(function (ev) {
      var item = el("li", "evidence");
      item.appendChild(el("span", "basis basis-" + ev.basis, ev.basis));
      if (ev.file) item.appendChild(el("span", "where", ev.file + (ev.lines ? ":" + ev.lines : "")));
      if (ev.authority) item.appendChild(el("span", "where", ev.authority));
      if (ev.quote) item.appendChild(el("blockquote", "quote", ev.quote));
      if (ev.comment) item.appendChild(el("div", "comment", ev.comment));
      list.appendChild(item);
    });
    return list;
  }
  function nodeLink(id) {
    var link = el("a", "node", nodeName(nodeById[id]));
    link.addEventListener("click", function () { focusNode(id); });
    return link;
  }
  function propsInLanguage(props) {
    // A property's values in the current language (or untagged); the other language if that is all there is.
    var byRel = {}, order = [];
    props.forEach(function (p) {
      if (!byRel[p[0]]) { byRel[p[0]] = []; order.push(p[0]); }
      byRel[p[0]].push(p);
    });
    return order.map(function (rel) {
      var mine = byRel[rel].filter(function (p) { return p[2] === "" || p[2] === lang; });
      return [rel, mine.length ? mine : byRel[rel]];
    });
  }
  function showNode(id) {
    current = { node: id };
    var n = nodeById[id];
    clear(details);
    details.appendChild(el("h2", null, nodeName(n)));
    var other = n[lang === "zh" ? "en" : "zh"];
    if (other && other !== nodeName(n)) details.appendChild(el("div", "alt", other));
    var meta = el("div", "meta");
    meta.appendChild(glyph(n.class));
    meta.appendChild(el("span", null, className(n.class)));
    meta.appendChild(el("code", null, n.id));
    details.appendChild(meta);
    if (n.props.length) {
      details.appendChild(el("h3", null, UI[lang].properties));
      var dl = el("dl");
      propsInLanguage(n.props).forEach(function (entry) {
        dl.appendChild(el("dt", null, relName(entry[0])));
        entry[1].forEach(function (p) {
          var dd = el("dd", null, p[1]);
          if (p[3]) dd.appendChild(evidenceList(p[3]));
          dl.appendChild(dd);
        });
      });
      details.appendChild(dl);
    }
    var links = incident[id].slice().sort(function (a, b) {
      var ea = data.edges[a], eb = data.edges[b];
      var ka = relName(ea.rel) + "\u0000" + nodeName(nodeById[ea.from === id ? ea.to : ea.from]);
      var kb = relName(eb.rel) + "\u0000" + nodeName(nodeById[eb.from === id ? eb.to : eb.from]);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    if (links.length) {
      details.appendChild(el("h3", null, UI[lang].links + " (" + links.length + ")"));
      var list = el("ul");
      links.slice(0, LINKS_MAX).forEach(function (i) {
        var e = data.edges[i];
        var outgoing = e.from === id;
        var item = el("li", "link");
        item.appendChild(el("span", "rel", outgoing ? relName(e.rel) + " →" : "← " + relName(e.rel)));
        item.appendChild(nodeLink(outgoing ? e.to : e.from));
        item.appendChild(evidenceList(e.evidence));
        list.appendChild(item);
      });
      details.appendChild(list);
      if (links.length > LINKS_MAX) details.appendChild(el("p", "more", ui("more", { n: links.length - LINKS_MAX })));
    }
  }
  function showEdge(index) {
    current = { edge: index };
    var e = data.edges[index];
    clear(details);
    var heading = el("h2");
    heading.appendChild(nodeLink(e.from));
    heading.appendChild(el("span", "rel", " " + relName(e.rel) + " → "));
    heading.appendChild(nodeLink(e.to));
    details.appendChild(heading);
    details.appendChild(el("h3", null, UI[lang].evidence));
    details.appendChild(evidenceList(e.evidence));
  }
  function showHint() {
    current = null;
    clear(details);
    details.appendChild(el("p", "hint", UI[lang].hint));
  }
  function refreshDetails() {
    if (current && current.node !== undefined) showNode(current.node);
    else if (current && current.edge !== undefined) showEdge(current.edge);
    else showHint();
  }
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else showHint();
  });

  // -- search --------------------------------------------------------------------------------
  var search = document.getElementById("search");
  var results = document.getElementById("results");
  function matches(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    return data.nodes.filter(function (n) {
      return n.zh.toLowerCase().indexOf(q) >= 0 || n.en.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase().indexOf(q) >= 0;
    }).slice(0, 20);
  }
  function renderResults() {
    var found = matches(search.value);
    clear(results);
    results.hidden = !search.value.trim();
    if (!found.length) results.appendChild(el("li", "none", UI[lang].noMatch));
    found.forEach(function (n, i) {
      var item = el("li", i === 0 ? "active" : null);
      item.setAttribute("data-id", n.id);
      item.appendChild(glyph(n.class));
      item.appendChild(el("span", null, nodeName(n)));
      item.addEventListener("mousedown", function (event) { event.preventDefault(); focusNode(n.id); });
      results.appendChild(item);
    });
  }
  function focusNode(id) {
    var n = nodeById[id];
    if (hiddenClasses[n.class]) {
      setClassVisible(n.class, true);
      renderLegend();
    }
    results.hidden = true;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    showNode(id);
  }
  search.addEventListener("input", renderResults);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = matches(search.value);
      if (found.length) focusNode(found[0].id);
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
  search.addEventListener("blur", function () { results.hidden = true; });

  // -- language ------------------------------------------------------------------------------
  var buttons = document.querySelectorAll(".lang button");
  function setLang(next) {
    if (next !== lang) {
      lang = next;
      nodes.update(data.nodes.map(function (n) { return { id: n.id, label: shorten(nodeName(n)) }; }));
      edges.update(data.edges.map(function (e, i) { return { id: i, label: relName(e.rel) }; }));
    }
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = pick(data.title);
    document.getElementById("title").textContent = pick(data.title);
    search.placeholder = UI[lang].search;
    Array.prototype.forEach.call(buttons, function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-lang") === lang));
    });
    renderLegend();
    refreshDetails();
    if (!results.hidden) renderResults();
  }
  Array.prototype.forEach.call(buttons, function (b) {
    b.addEventListener("click", function () { setLang(b.getAttribute("data-lang")); });
  });

  setLang(lang);
  // A hook for tests and the browser console.
  window.ftz = { network: network, nodes: nodes, edges: edges, data: data, focusNode: focusNode, setLang: setLang };
})();
