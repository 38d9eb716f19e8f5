// The ftzgraph viewer: draws the network pyvis wrote into the page with vis-network, at the
// precomputed positions, and wires up labels, groups, focus, filters, search, the panel,
// permalinks and export.  Every piece of data reaches the page through textContent or the
// canvas, never as HTML.
(function () {
  "use strict";

  function embedded(id) { return JSON.parse(document.getElementById(id).textContent); }
  var page = embedded("ftz-page");
  var rawNodes = embedded("ftz-nodes");
  var rawEdges = embedded("ftz-edges");
  var options = embedded("ftz-options");

  var UI = {
    zh: { search: "搜索名称、简称或标识…", noMatch: "无匹配节点", classes: "类别", relations: "关系（边的颜色）",
      hint: "点击节点查看属性与证据，点击组节点展开；Esc 取消聚焦。键盘：+ − 缩放，0 适应，R 重置，P 演示，F 全屏，/ 搜索。",
      properties: "属性", links: "关系", evidence: "证据", noEvidence: "无记录证据", more: "另有 {n} 条关系未列出",
      loading: "正在加载…", drawing: "正在绘制…", iri: "标识", about: "关于此视图", labelSize: "字号",
      nodes: "{n} 个节点", edges: "{n} 条关系", groups: "{n} 个分组", version: "ftzgraph {v}", dataDate: "数据截至 {d}",
      gallery: "返回图谱画廊", years: "年份", upTo: "截至 {y} 年", allYears: "全部年份",
      key: "图例", keySize: "节点大小 = 关系数量", keyFocus: "粗边框 = 本视图焦点", keyMatch: "黄色光圈 = 搜索结果",
      keyGroup: "带数字的大节点 = 分组，点击展开",
      groupOf: "分组：{n} 个节点", expand: "展开分组", collapse: "收起分组", members: "成员", at: "所在：",
      permalink: "固定链接", showLines: "查看原文上下文", lines: "第 {l} 行", groupLink: "分组关系（{n} 条）",
      otherLang: "（英文）", via: "别名",
      basis: { stated: "原文陈述", inferred: "推断", curated: "人工整理" },
      controls: { "zoom-in": "放大 (+)", "zoom-out": "缩小 (−)", fit: "适应画布 (0)", reset: "重置 (R)", png: "导出 PNG",
        present: "演示模式 (P)", fullscreen: "全屏 (F)" } },
    en: { search: "Search names, short names or ids…", noMatch: "No matching node", classes: "Classes", relations: "Relations (edge colour)",
      hint: "Click a node for its properties and evidence, a group to open it; Esc leaves the focus. Keys: + − zoom, 0 fit, R reset, P present, F fullscreen, / search.",
      properties: "Properties", links: "Links", evidence: "Evidence", noEvidence: "no evidence recorded", more: "{n} more links not listed",
      loading: "Loading…", drawing: "Drawing…", iri: "id", about: "About this view", labelSize: "Labels",
      nodes: "{n} nodes", edges: "{n} links", groups: "{n} groups", node: "{n} node", edge: "{n} link", group: "{n} group", version: "ftzgraph {v}", dataDate: "data up to {d}",
      gallery: "Back to the gallery", years: "Years", upTo: "up to {y}", allYears: "all years",
      key: "Key", keySize: "node size = number of links", keyFocus: "thick ring = the view's focus", keyMatch: "yellow halo = search match",
      keyGroup: "large node with a number = a group; click to open",
      groupOf: "Group of {n} nodes", expand: "Open the group", collapse: "Close the group", members: "Members", at: "at ",
      permalink: "Permalink", showLines: "Show the cited lines", lines: "lines {l}", groupLink: "Grouped links ({n})",
      otherLang: "(Chinese)", via: "alias",
      basis: { stated: "stated", inferred: "inferred", curated: "curated" },
      controls: { "zoom-in": "Zoom in (+)", "zoom-out": "Zoom out (−)", fit: "Fit (0)", reset: "Reset (R)", png: "Export PNG",
        present: "Presentation mode (P)", fullscreen: "Fullscreen (F)" } }
  };
  // Coded values shown in Chinese, by property.
  var CODES = { zh: { "ftz:provisionKind": { article: "条", chapter: "章", module: "模块", clause: "款", paragraph: "段", annex: "附件" },
    "ftz:labelBasis": { source: "原文用语", official: "官方译名", translated: "本项目自译（非官方）" } } };
  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var LABEL_MAX = { zh: 14, en: 26 };  // longer names are shortened on the canvas; hover and the panel show them whole
  var LINKS_MAX = 150;
  var OPEN_LIMIT = 8;  // a relation with more links than this starts closed in the panel
  var FADED = 0.12;

  var params = new URLSearchParams(location.search);
  var lang = params.get("lang") === "zh" || params.get("lang") === "en" ? params.get("lang") : page.lang;
  var hiddenClasses = {}, hiddenRelations = {}, opened = {}, matches = {};
  var yearLimit = null, focusId = null, current = null, labelScale = 1, presenting = false;
  var nodeById = {}, classById = {}, incident = {};
  rawNodes.forEach(function (n) { nodeById[n.id] = n; incident[n.id] = []; });
  page.classes.forEach(function (c) { classById[c.id] = c; });
  rawEdges.forEach(function (e, i) { e.id = i; incident[e.from].push(i); incident[e.to].push(i); });
  var years = rawNodes.filter(function (n) { return n.year; }).map(function (n) { return n.year; });
  var firstYear = Math.min.apply(null, years), lastYear = Math.max.apply(null, years);
  // Labels are tried in this order every frame; one that would overlap a drawn label waits for more zoom.
  var labelOrder = rawNodes.slice().sort(function (a, b) { return b.importance - a.importance || (a.id < b.id ? -1 : 1); });
  var rankOf = {};
  labelOrder.forEach(function (n, i) { rankOf[n.id] = i; });

  // -- names in the current language -------------------------------------------------------
  function other() { return lang === "zh" ? "en" : "zh"; }
  function pick(obj) { return (obj && (obj[lang] || obj[other()])) || ""; }
  function nodeName(n) { return pick(n) || n.id; }
  function relName(key) { return pick(page.relations[key]) || key; }
  function className(key) { return pick(classById[key]) || key; }
  function ui(key, values) {
    return UI[lang][key].replace(/\{(\w+)\}/g, function (_, k) { return String(values[k]); });
  }
  function counted(key, n) {  // "1 group", "3 groups"; Chinese has one form
    var singular = key.slice(0, -1);
    return ui(n === 1 && UI[lang][singular] ? singular : key, { n: n });
  }
  function canvasLabel(n) {
    var text = pick(n.short) || nodeName(n);
    return text.length > LABEL_MAX[lang] ? text.slice(0, LABEL_MAX[lang] - 1) + "…" : text;
  }
  function tooltip(n) {
    var lines = [nodeName(n)];
    var second = n[other()];
    if (second && second !== lines[0]) lines.push(second);
    lines.push(className(n.group) + (n.year ? " · " + n.year : ""));
    return lines.join("\n");
  }

  // -- what is visible -----------------------------------------------------------------------
  function passesFilters(n) {
    return !hiddenClasses[n.group] && !(yearLimit !== null && n.year && n.year > yearLimit);
  }
  function nodeVisible(n) {
    if (!passesFilters(n)) return false;
    if (n.members) return !opened[n.id] && n.members.some(function (m) { return passesFilters(nodeById[m]); });
    if (n.member_of) return !!opened[n.member_of];
    return true;
  }
  function edgeVisible(e) {
    return !hiddenRelations[e.rel] && nodeVisible(nodeById[e.from]) && nodeVisible(nodeById[e.to]);
  }

  // -- the network ---------------------------------------------------------------------------
  function neighbourhood() {
    if (focusId === null) return null;
    var near = {};
    near[focusId] = true;
    incident[focusId].forEach(function (i) {
      var e = rawEdges[i];
      if (edgeVisible(e)) { near[e.from] = true; near[e.to] = true; }
    });
    return near;
  }
  // The shapes vis-network lacks (page.figures, by name: subpaths in units of the node's size,
  // filled even-odd; a number is a circle) go through its "custom" shape.  vis-network hands the
  // renderer the colours and border width of the node's state, with the node's opacity already
  // applied, so selection, hover and dimming look as they do on its own shapes.
  var renderers = {};
  Object.keys(page.figures).forEach(function (name) {
    var parts = page.figures[name];
    renderers[name] = function (at) {
      return { drawNode: function () {
        var ctx = at.ctx, r = at.style.size;
        ctx.beginPath();
        parts.forEach(function (part) {
          if (typeof part === "number") {
            ctx.moveTo(at.x + part * r, at.y);
            ctx.arc(at.x, at.y, part * r, 0, 2 * Math.PI);
          } else {
            part.forEach(function (p, i) { ctx[i ? "lineTo" : "moveTo"](at.x + p[0] * r, at.y + p[1] * r); });
          }
          ctx.closePath();
        });
        if (parts.length > 1) {  // a hole is white, so that no edge runs on into it
          ctx.fillStyle = "rgba(255,255,255," + (at.style.opacity === undefined ? 1 : at.style.opacity) + ")";
          ctx.fill("nonzero");
        }
        ctx.fillStyle = at.style.color;
        ctx.fill("evenodd");
        // Like vis-network's shapes: the border keeps its width on screen at any zoom.
        var width = at.style.borderWidth / (network ? network.getScale() : 1);
        if (width > 0) {
          ctx.lineWidth = Math.min(2 * r, width);
          ctx.lineJoin = "round";
          ctx.strokeStyle = at.style.borderColor;
          ctx.stroke();
        }
      } };
    };
  });
  Object.keys(options.groups || {}).forEach(function (cls) {
    if (options.groups[cls].shape === "custom") options.groups[cls].ctxRenderer = renderers[classById[cls].shape];
  });
  function visNode(n, near) {
    var dim = near && !near[n.id];
    var style = classById[n.group];
    var node = { id: n.id, x: n.x, y: n.y, size: n.size, shape: n.shape, group: n.group, title: tooltip(n), hidden: !nodeVisible(n),
      color: { background: style.color, border: n.id === page.focus ? "#111111" : "#333333",
        highlight: { background: style.color, border: "#000000" }, hover: { background: style.color, border: "#000000" } },
      borderWidth: n.id === page.focus ? 4 : n.members ? 3 : 1, opacity: dim ? FADED : 1, label: undefined };
    if (n.shape === "custom") node.ctxRenderer = renderers[style.shape];
    return node;
  }
  function visEdge(e, near) {
    var dim = near && !(e.from === focusId || e.to === focusId);
    return { id: e.id, from: e.from, to: e.to, title: relName(e.rel) + (e.count ? " × " + e.count : ""), hidden: !edgeVisible(e),
      color: { color: e.color, highlight: e.color, hover: e.color, opacity: dim ? FADED : 0.75 },
      width: e.group_edge ? Math.min(4, 1 + Math.log2(e.count)) : 1.2 };
  }
  var statusBox = document.getElementById("status");
  statusBox.textContent = UI[lang].drawing;
  var container = document.getElementById("canvas");
  var nodes = new vis.DataSet(rawNodes.map(function (n) { return visNode(n, null); }));
  var edges = new vis.DataSet(rawEdges.map(function (e) { return visEdge(e, null); }));
  var network = null;

  function refresh() {
    var near = neighbourhood();
    nodes.update(rawNodes.map(function (n) { return visNode(n, near); }));
    edges.update(rawEdges.map(function (e) { return visEdge(e, near); }));
  }

  // -- labels on the canvas: hubs first, never overlapping, a fixed size on screen -------------
  var widthCache = {};
  var controlsBox = document.getElementById("controls");
  function textWidth(ctx, text, px, weight) {
    var key = px + "|" + (weight || "") + "|" + text;
    if (widthCache[key] === undefined) {
      var font = ctx.font;
      ctx.font = (weight || "") + " " + px + "px " + FONT;
      widthCache[key] = ctx.measureText(text).width;
      ctx.font = font;
    }
    return widthCache[key];
  }
  // Presenting, labels keep their size on the wall: larger on a taller screen (21 px at 1080).
  function presentFactor() { return presenting ? 1.35 * Math.max(1, window.innerHeight / 900) : 1; }
  function labelPx(n) {
    var base = n.id === page.focus || n.id === focusId ? 19 : rankOf[n.id] < 12 ? 16 : n.members ? 14 : 13;
    return Math.round(base * labelScale * presentFactor());
  }
  function drawLabels(ctx) {
    var dpr = window.devicePixelRatio || 1;
    var width = container.clientWidth, height = container.clientHeight, scale = network.getScale();
    // No label goes under the control buttons, where it could not be read.
    var buttons = controlsBox.getBoundingClientRect(), canvasBox = container.getBoundingClientRect();
    var boxes = [{ x: buttons.left - canvasBox.left, y: buttons.top - canvasBox.top, w: buttons.width, h: buttons.height }], drawn = [];
    // The cores of the nodes' shapes (an edge of a shape may be touched).
    var cores = [], positions = network.getPositions();
    rawNodes.forEach(function (n) {
      var at = positions[n.id], r = n.size * scale * 0.75;
      if (!at || r < 3 || !nodeVisible(n)) return;
      var c = network.canvasToDOM(at);
      if (c.x > -r && c.y > -r && c.x < width + r && c.y < height + r) cores.push({ x: c.x - r, y: c.y - r, w: 2 * r, h: 2 * r });
    });
    function hits(list, box) {
      for (var i = 0; i < list.length; i++) {
        var b = list[i];
        if (box.x < b.x + b.w && b.x < box.x + box.w && box.y < b.y + b.h && b.y < box.y + box.h) return true;
      }
      return false;
    }
    // Draws text at the first of the spots (centre x, top y) where it fits whole on the canvas
    // without touching a label already drawn, nor a node's core unless `covers` allows it (then
    // only once no spot is clear of them); the box drawn, or null if there is none.
    function put(text, px, spots, colour, weight, covers) {
      ctx.font = (weight || "") + " " + px + "px " + FONT;
      var w = textWidth(ctx, text, px, weight);
      for (var i = 0; i < spots.length * (covers ? 2 : 1); i++) {
        var x = spots[i % spots.length][0], y = spots[i % spots.length][1];
        var box = { x: x - w / 2 - 3, y: y - 1, w: w + 6, h: px + 3 };
        if (box.x < 0 || box.x + box.w > width || box.y < 0 || box.y + box.h > height || hits(boxes, box)) continue;
        if (i < spots.length && covers !== "always" && hits(cores, box)) continue;
        boxes.push(box);
        ctx.lineWidth = Math.max(3, px / 4);
        ctx.strokeText(text, x, y);
        ctx.fillStyle = colour;
        ctx.fillText(text, x, y);
        return box;
      }
      return null;
    }
    ctx.save();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    ctx.lineJoin = "round";
    var decorDrawn = [];
    page.decor.forEach(function (d) {
      var p = network.canvasToDOM({ x: d.x, y: d.y });
      var text = pick(d), px = Math.round(15 * labelScale * presentFactor());
      // A lane's name starts at its anchor and runs right, over the empty row above the lane.
      var x = d.kind === "lane" ? p.x + textWidth(ctx, text, px, "bold") / 2 : p.x;
      if (put(text, px, [[x, p.y]], "#555555", "bold", "always")) decorDrawn.push({ kind: d.kind, text: text, px: px });
    });
    var near = neighbourhood();
    var searched = Object.keys(matches);
    searched.forEach(function (id) {
      if (!nodeVisible(nodeById[id])) return;
      var p = network.canvasToDOM(network.getPosition(id));
      ctx.beginPath();
      ctx.arc(p.x, p.y, nodeById[id].size * scale + 7, 0, 2 * Math.PI);
      ctx.lineWidth = 5;
      ctx.strokeStyle = "rgba(240,180,0,0.85)";
      ctx.stroke();
    });
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    // The focus, its neighbours and search matches claim their places before everything else.
    var order = labelOrder;
    if (near || searched.length) {
      order = labelOrder.filter(function (n) { return matches[n.id] || (near && near[n.id]); })
        .concat(labelOrder.filter(function (n) { return !(matches[n.id] || (near && near[n.id])); }));
    }
    function label(n, covers) {
      var at = positions[n.id];
      if (!at || !nodeVisible(n)) return;
      var p = network.canvasToDOM(at);
      if (p.x < -200 || p.y < -50 || p.x > width + 200 || p.y > height + 50) return;
      var px = labelPx(n), text = canvasLabel(n), weight = rankOf[n.id] < 12 || n.members || n.id === focusId ? "600" : "";
      var colour = near && !near[n.id] ? "rgba(40,40,40,0.25)" : "#1a1a1a";
      // Below the node, else above it, else beside it.
      var r = n.size * scale, side = r + 6 + textWidth(ctx, text, px, weight) / 2;
      var spots = [[p.x, p.y + r + 3], [p.x, p.y - r - px - 5], [p.x + side, p.y - px / 2], [p.x - side, p.y - px / 2]];
      var box = put(text, px, spots, colour, weight, covers);
      if (box) drawn.push({ id: n.id, text: text, px: px, box: box });
      return box;
    }
    // Hubs, groups, the focus, its neighbours and matches first, off the nodes' shapes where they
    // can be, else over them; then every other label, where it covers no node's core and no label.
    function first(n) { return n.id === page.focus || rankOf[n.id] < 12 || n.members || matches[n.id] || (near && near[n.id]); }
    var later = [];
    order.forEach(function (n) { if (first(n) && !label(n, false)) later.push(n); });
    later.forEach(function (n) { label(n, true); });
    for (var i = 0; i < order.length && drawn.length < 400; i++) {
      if (!first(order[i])) label(order[i], false);
    }
    ctx.restore();
    window.ftzLabels = drawn;
    window.ftzDecor = decorDrawn;
  }

  // -- fitting, zooming and the view's controls ---------------------------------------------
  function fit() {
    var wanted = rawNodes.filter(nodeVisible);
    if (!wanted.length) return;
    var positions = network.getPositions(wanted.map(function (n) { return n.id; }));
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    // The visible nodes, and the lane and year names of a timeline.
    var spots = wanted.map(function (n) { return { x: positions[n.id].x, y: positions[n.id].y, r: n.size }; })
      .concat(page.decor.map(function (d) { return { x: d.x, y: d.y, r: 0 }; }));
    spots.forEach(function (p) {
      minX = Math.min(minX, p.x - p.r); maxX = Math.max(maxX, p.x + p.r);
      minY = Math.min(minY, p.y - p.r); maxY = Math.max(maxY, p.y + p.r);
    });
    // The whole canvas, less a margin for the labels under the nodes; no cap at zoom 1.
    var w = container.clientWidth - 80, h = container.clientHeight - 70;
    var scale = Math.min(w / Math.max(maxX - minX, 1), h / Math.max(maxY - minY, 1), 1.4);
    network.moveTo({ position: { x: (minX + maxX) / 2, y: (minY + maxY) / 2 + 8 / scale }, scale: scale });
  }
  // The room for a focus and its neighbours: the canvas less a margin for labels and the strip of
  // the control buttons on the right; dx is how far the canvas's centre lies right of the room's.
  function room() {
    var strip = controlsBox.offsetWidth + 10;
    return { w: container.clientWidth - 80 - strip, h: container.clientHeight - 70, dx: strip / 2 };
  }
  function zoom(factor) {
    network.moveTo({ scale: network.getScale() * factor, animation: { duration: 150, easingFunction: "easeOutQuad" } });
  }
  function reset() {
    opened = {}; hiddenClasses = {}; hiddenRelations = {}; matches = {};
    yearLimit = null; focusId = null;
    search.value = "";
    results.hidden = true;
    network.unselectAll();
    refresh();
    renderFilters();
    renderLegend();
    showHint();
    permalink();
    fit();
  }
  function setPresenting(on) {
    presenting = on;
    document.body.classList.toggle("present", on);
    network.setSize("100%", "100%");
    network.redraw();
    fit();
  }
  function fullscreen() {
    var root = document.documentElement;
    if (document.fullscreenElement) document.exitFullscreen();
    else if (root.requestFullscreen) root.requestFullscreen().catch(function () {});
  }
  function pngDataUrl() {
    var source = container.querySelector("canvas");
    var copy = document.createElement("canvas");
    copy.width = source.width;
    copy.height = source.height;
    var ctx = copy.getContext("2d");
    ctx.fillStyle = "#ffffff";  // vis-network's canvas is transparent
    ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(source, 0, 0);
    return copy.toDataURL("image/png");
  }
  function exportPng() {
    var link = document.createElement("a");
    link.href = pngDataUrl();
    link.download = (page.view || "view") + (page.focus ? "-" + page.focus.replace(/[^\w.-]+/g, "-") : "") + ".png";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  var actions = { "zoom-in": function () { zoom(1.3); }, "zoom-out": function () { zoom(1 / 1.3); }, fit: fit,
    reset: reset, png: exportPng, present: function () { setPresenting(!presenting); }, fullscreen: fullscreen };
  Array.prototype.forEach.call(document.querySelectorAll("#controls button"), function (b) {
    b.addEventListener("click", function () { actions[b.getAttribute("data-action")](); });
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) && event.target.type !== "range" && event.target.type !== "checkbox";
    if (event.key === "Escape") { if (!typing) clearFocus(); return; }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    var keys = { "+": "zoom-in", "=": "zoom-in", "-": "zoom-out", "0": "fit", r: "reset", R: "reset", p: "present", P: "present",
      f: "fullscreen", F: "fullscreen" };
    if (keys[event.key]) { event.preventDefault(); actions[keys[event.key]](); }
    else if (event.key === "/") { event.preventDefault(); search.focus(); }
  });

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
    var figure = page.figures[style.shape];
    // A hollow shape's glyph (a ring, a frame) is an outline: drawn thick, in the class's colour.
    var span = el("span", figure && figure.length > 1 ? "glyph hollow" : "glyph", style.glyph);
    span.style.color = style.color;
    return span;
  }
  function section(title, open) {
    var box = el("details");
    box.open = open;
    box.appendChild(el("summary", null, title));
    return box;
  }
  function checkbox(checked, onChange) {
    var box = el("input");
    box.type = "checkbox";
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    return box;
  }

  // -- about, filters, legend and key ------------------------------------------------------------
  function renderAbout() {
    document.getElementById("about-title").textContent = UI[lang].about;
    var body = clear(document.getElementById("about-body"));
    body.appendChild(el("p", null, pick(page.description)));
    var facts = [counted("nodes", page.counts.nodes), counted("edges", page.counts.edges)];
    if (page.counts.groups) facts.push(counted("groups", page.counts.groups));
    facts.push(ui("version", { v: page.about.version + (page.about.ontology ? " / " + page.about.ontology : "") }));
    if (page.about.date) facts.push(ui("dataDate", { d: page.about.date }));
    body.appendChild(el("p", "facts", facts.join(" · ")));
    if (page.gallery) {
      var link = el("a", null, "← " + UI[lang].gallery);
      link.href = page.gallery + "?lang=" + lang;
      body.appendChild(el("p")).appendChild(link);
    }
  }
  var filters = document.getElementById("filters");
  function renderFilters() {
    clear(filters);
    var counts = {};
    rawEdges.forEach(function (e) { if (!e.group_edge) counts[e.rel] = (counts[e.rel] || 0) + 1; });
    var box = section(UI[lang].relations, true);
    Object.keys(counts).sort().forEach(function (rel) {
      var label = el("label");
      var input = checkbox(!hiddenRelations[rel], function (on) { hiddenRelations[rel] = !on; refresh(); });
      input.setAttribute("data-relation", rel);
      label.appendChild(input);
      var swatch = el("span", "swatch");
      swatch.style.background = page.relations[rel].color;
      label.appendChild(swatch);
      label.appendChild(el("span", null, relName(rel)));
      label.appendChild(el("span", "count", "(" + counts[rel] + ")"));
      box.appendChild(label);
    });
    filters.appendChild(box);
    if (years.length && firstYear < lastYear) {
      var yearsBox = section(UI[lang].years, true);
      var row = el("div");
      row.id = "year-row";
      var slider = el("input");
      slider.type = "range";
      slider.id = "year";
      slider.min = firstYear;
      slider.max = lastYear;
      slider.step = 1;
      slider.value = yearLimit === null ? lastYear : yearLimit;
      var shown = el("span", null, yearLimit === null ? UI[lang].allYears : ui("upTo", { y: yearLimit }));
      slider.addEventListener("input", function () {
        var value = Number(slider.value);
        yearLimit = value >= lastYear ? null : value;
        shown.textContent = yearLimit === null ? UI[lang].allYears : ui("upTo", { y: yearLimit });
        refresh();
      });
      row.appendChild(el("span", null, String(firstYear)));
      row.appendChild(slider);
      row.appendChild(shown);
      yearsBox.appendChild(row);
      filters.appendChild(yearsBox);
    }
  }
  var legend = document.getElementById("legend");
  function renderLegend() {
    clear(legend);
    var counts = {};
    rawNodes.forEach(function (n) { if (!n.members) counts[n.group] = (counts[n.group] || 0) + 1; });
    var box = section(UI[lang].classes, true);
    page.classes.forEach(function (c) {
      var label = el("label");
      var input = checkbox(!hiddenClasses[c.id], function (on) { setClassVisible(c.id, on); });
      input.setAttribute("data-class", c.id);
      label.appendChild(input);
      label.appendChild(glyph(c.id));
      label.appendChild(el("span", null, className(c.id)));
      label.appendChild(el("span", "count", "(" + counts[c.id] + ")"));
      box.appendChild(label);
    });
    legend.appendChild(box);
    var key = section(UI[lang].key, false);
    [["ring", "keyFocus"], ["halo", "keyMatch"], [null, "keySize"], [null, "keyGroup"]].forEach(function (entry) {
      var line = el("div", "key");
      if (entry[0]) line.appendChild(el("span", entry[0]));
      line.appendChild(el("span", null, UI[lang][entry[1]]));
      key.appendChild(line);
    });
    legend.appendChild(key);
  }
  function setClassVisible(cls, visible) {
    hiddenClasses[cls] = !visible;
    refresh();
  }

  // -- the details panel ---------------------------------------------------------------------
  var details = document.getElementById("details");
  function sourceLine(ev) {
    var source = page.sources[ev.file];
    var parts = [];
    if (source) {
      parts.push("《" + pick(source.title) + "》");
      if (source.by.length) parts.push(source.by.join("、"));
      if (source.year) parts.push(source.year);
    } else {
      parts.push(ev.file);
    }
    if (ev.lines) parts.push(ui("lines", { l: ev.lines.replace("-", "–") }));
    return parts.join(" · ");
  }
  function excerpt(ev) {
    var text = page.excerpts[ev.file + ":" + ev.lines];
    if (!text) return null;
    var bounds = ev.lines.split("-").map(Number);
    var box = section(UI[lang].showLines, false);
    var lines = el("div", "excerpt");
    var quote = ev.quote || "";
    text.lines.forEach(function (line, i) {
      var number = text.from + i;
      var row = el("div", number >= bounds[0] && number <= (bounds[1] || bounds[0]) ? "cited" : null);
      row.appendChild(el("span", "no", number));
      var at = quote ? line.indexOf(quote) : -1;
      if (at >= 0) {
        row.appendChild(document.createTextNode(line.slice(0, at)));
        row.appendChild(el("mark", null, quote));
        row.appendChild(document.createTextNode(line.slice(at + quote.length)));
      } else {
        row.appendChild(document.createTextNode(line));
      }
      lines.appendChild(row);
    });
    box.appendChild(lines);
    return box;
  }
  function evidenceList(items) {
    var list = el("ul");
    if (!items || !items.length) {
      list.appendChild(el("li", "evidence none", UI[lang].noEvidence));
      return list;
    }
    items.forEach(function (ev) {
      var item = el("li", "evidence");
      item.appendChild(el("span", "basis basis-" + ev.basis, UI[lang].basis[ev.basis] || ev.basis));
      if (ev.file) item.appendChild(el("span", "where", sourceLine(ev)));
      if (ev.authority) item.appendChild(el("span", "where", ev.authority));
      if (ev.quote) item.appendChild(el("blockquote", "quote", ev.quote));
      if (ev.file && ev.lines) {
        var lines = excerpt(ev);
        if (lines) item.appendChild(lines);
      }
      if (ev.comment) {
        var comment = el("div", "comment", ev.comment);
        if (lang === "zh") comment.appendChild(el("span", "other-lang", UI.zh.otherLang));
        item.appendChild(comment);
      }
      list.appendChild(item);
    });
    return list;
  }
  function nodeLink(id) {
    var link = el("a", "node", nodeName(nodeById[id]));
    link.addEventListener("click", function () { focusNode(id); });
    return link;
  }
  function permalinkHref(id) { return "?lang=" + lang + (id ? "#node=" + encodeURIComponent(id) : ""); }
  function propValue(p) {
    var codes = CODES[lang] && CODES[lang][p[0]];
    if (codes && codes[p[1]]) return codes[p[1]];
    return p[1];
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
  function heading(n) {
    details.appendChild(el("h2", null, nodeName(n)));
    var second = n[other()];
    if (second && second !== nodeName(n) && !n.members) details.appendChild(el("div", "alt", second));
    var meta = el("div", "meta");
    meta.appendChild(glyph(n.group));
    meta.appendChild(el("span", null, className(n.group) + (n.year ? " · " + n.year : "")));
    if (!n.members) meta.appendChild(el("code", null, n.id));
    var link = el("a", "permalink", UI[lang].permalink);
    link.href = permalinkHref(n.id);
    meta.appendChild(link);
    details.appendChild(meta);
  }
  function showGroup(n) {
    heading(n);
    if (n.anchor && nodeById[n.anchor]) {
      var at = el("p", "hint", UI[lang].at);
      at.appendChild(nodeLink(n.anchor));
      details.appendChild(at);
    }
    var toggle = el("button", null, opened[n.id] ? UI[lang].collapse : UI[lang].expand);
    toggle.addEventListener("click", function () { setOpen(n.id, !opened[n.id]); showNode(n.id); });
    details.appendChild(toggle);
    var box = section(UI[lang].members + " (" + n.members.length + ")", true);
    var list = el("ul");
    n.members.forEach(function (id) { list.appendChild(el("li", "link")).appendChild(nodeLink(id)); });
    box.appendChild(list);
    details.appendChild(box);
  }
  function showNode(id) {
    current = { node: id };
    var n = nodeById[id];
    clear(details);
    if (n.members) { showGroup(n); return; }
    heading(n);
    if (n.member_of) {
      var back = el("button", null, UI[lang].collapse);
      back.addEventListener("click", function () { setOpen(n.member_of, false); focusNode(n.member_of); });
      details.appendChild(back);
    }
    if (n.props.length) {
      var props = section(UI[lang].properties, true);
      var dl = el("dl");
      propsInLanguage(n.props).forEach(function (entry) {
        dl.appendChild(el("dt", null, relName(entry[0])));
        entry[1].forEach(function (p) {
          var dd = el("dd", null, propValue(p));
          if (p[2] && p[2] !== lang) dd.appendChild(el("span", "other-lang", UI[lang].otherLang));
          if (p[3]) {
            var ev = section(UI[lang].evidence + " (" + p[3].length + ")", false);
            ev.appendChild(evidenceList(p[3]));
            dd.appendChild(ev);
          }
          dl.appendChild(dd);
        });
      });
      props.appendChild(dl);
      details.appendChild(props);
    }
    var links = incident[id].filter(function (i) { return !rawEdges[i].group_edge; });
    if (!links.length) return;
    details.appendChild(el("h3", null, UI[lang].links + " (" + links.length + ")"));
    var byRel = {};
    links.forEach(function (i) {
      var e = rawEdges[i];
      var key = (e.from === id ? "→" : "←") + e.rel;
      (byRel[key] = byRel[key] || []).push(i);
    });
    var listed = 0;
    Object.keys(byRel).sort(function (a, b) { return relName(a.slice(1)) < relName(b.slice(1)) ? -1 : 1; }).forEach(function (key) {
      var outgoing = key[0] === "→";
      var items = byRel[key].sort(function (a, b) {
        var na = nodeName(nodeById[outgoing ? rawEdges[a].to : rawEdges[a].from]);
        var nb = nodeName(nodeById[outgoing ? rawEdges[b].to : rawEdges[b].from]);
        return na < nb ? -1 : na > nb ? 1 : 0;
      });
      var box = section((outgoing ? relName(key.slice(1)) + " →" : "← " + relName(key.slice(1))) + " (" + items.length + ")", items.length <= OPEN_LIMIT);
      var list = el("ul");
      items.slice(0, Math.max(0, LINKS_MAX - listed)).forEach(function (i) {
        var e = rawEdges[i];
        var item = el("li", "link");
        item.appendChild(nodeLink(outgoing ? e.to : e.from));
        var ev = section(UI[lang].evidence + " (" + e.evidence.length + ")", false);
        ev.appendChild(evidenceList(e.evidence));
        item.appendChild(ev);
        list.appendChild(item);
      });
      listed += items.length;
      box.appendChild(list);
      details.appendChild(box);
    });
    if (listed > LINKS_MAX) details.appendChild(el("p", "more", ui("more", { n: listed - LINKS_MAX })));
  }
  function showEdge(index) {
    current = { edge: index };
    var e = rawEdges[index];
    clear(details);
    var title = el("h2");
    title.appendChild(nodeLink(e.from));
    title.appendChild(el("span", "rel", " " + relName(e.rel) + " → "));
    title.appendChild(nodeLink(e.to));
    details.appendChild(title);
    if (e.group_edge) {
      details.appendChild(el("p", "hint", ui("groupLink", { n: e.count })));
      return;
    }
    details.appendChild(el("h3", null, UI[lang].evidence));
    details.appendChild(evidenceList(e.evidence));
  }
  function scrollPanelToDetails() {
    var aside = details.parentNode;
    aside.scrollTop += details.getBoundingClientRect().top - aside.getBoundingClientRect().top;
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

  // -- focus, groups and permalinks ------------------------------------------------------------
  function permalink() {
    try { history.replaceState(null, "", permalinkHref(focusId)); } catch (err) { /* a sandboxed frame refuses; the link still shows */ }
  }
  function setOpen(groupId, open) {
    opened[groupId] = open;
    refresh();
  }
  function reveal(n) {
    // Whatever hides the node gives way: its group opens, its class and year come back.
    if (n.member_of && !opened[n.member_of]) opened[n.member_of] = true;
    if (hiddenClasses[n.group]) { hiddenClasses[n.group] = false; renderLegend(); }
    if (yearLimit !== null && n.year && n.year > yearLimit) { yearLimit = null; renderFilters(); }
  }
  function focusNode(id, options) {
    var n = nodeById[id];
    if (!n) return;
    reveal(n);
    focusId = id;
    results.hidden = true;
    refresh();
    network.selectNodes([id]);
    if (!(options && options.stay)) frame(options && options.instant ? false : { duration: 300, easingFunction: "easeInOutQuad" });
    showNode(id);
    scrollPanelToDetails();
    permalink();
  }
  // Brings the focus and its neighbours into view: at zoom 1.1 (or nearer, if the view is already)
  // where they all fit, else as near as lets them all show.
  function frame(animation) {
    var ids = Object.keys(neighbourhood()).filter(function (k) { return nodeVisible(nodeById[k]); });
    var at = network.getPositions(ids), minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    ids.forEach(function (k) {
      var r = nodeById[k].size;
      minX = Math.min(minX, at[k].x - r); maxX = Math.max(maxX, at[k].x + r);
      minY = Math.min(minY, at[k].y - r); maxY = Math.max(maxY, at[k].y + r);
    });
    var fits = Math.min(room().w / Math.max(maxX - minX, 1), room().h / Math.max(maxY - minY, 1));
    var scale = Math.min(Math.max(network.getScale(), 1.1), fits);
    network.moveTo({ position: { x: (minX + maxX) / 2 + room().dx / scale, y: (minY + maxY) / 2 + 8 / scale }, scale: scale, animation: animation });
  }
  function clearFocus() {
    focusId = null;
    matches = {};
    network.unselectAll();
    refresh();
    showHint();
    permalink();
  }

  // -- search: names, short names and aliases in both languages, ranked ------------------------
  var search = document.getElementById("search");
  var results = document.getElementById("results");
  var CLASS_RANK = {};
  page.classes.forEach(function (c, i) { CLASS_RANK[c.id] = i; });
  var index = rawNodes.filter(function (n) { return !n.members; }).map(function (n) {
    var names = [[n.zh, null], [n.en, null], [n.short.zh, null], [n.short.en, null], [n.id, null]];
    n.aliases.forEach(function (a) { names.push([a[0], a[0]]); });
    return { node: n, names: names.filter(function (x) { return x[0]; }).map(function (x) { return [x[0].toLowerCase(), x[1]]; }) };
  });
  var found = [], active = 0;
  function ranked(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var hits = [];
    index.forEach(function (entry) {
      var best = 3, via = null;
      entry.names.forEach(function (name) {
        var score = name[0] === q ? 0 : name[0].indexOf(q) === 0 ? 1 : name[0].indexOf(q) > 0 ? 2 : 3;
        if (score < best) { best = score; via = name[1]; }
      });
      if (best < 3) hits.push({ node: entry.node, score: best, via: via });
    });
    // Exact before prefix before contains; then zones before sub-areas (the legend's order), hubs first.
    return hits.sort(function (a, b) {
      return a.score - b.score || CLASS_RANK[a.node.group] - CLASS_RANK[b.node.group] ||
        b.node.importance - a.node.importance || (a.node.id < b.node.id ? -1 : 1);
    });
  }
  function renderResults() {
    found = ranked(search.value);
    active = 0;
    clear(results);
    results.hidden = !search.value.trim();
    search.setAttribute("aria-expanded", String(!results.hidden));
    matches = {};
    found.slice(0, 50).forEach(function (hit) { matches[hit.node.id] = true; });
    if (!found.length) results.appendChild(el("li", "none", UI[lang].noMatch));
    found.slice(0, 12).forEach(function (hit, i) {
      var item = el("li", i === 0 ? "active" : null);
      item.setAttribute("role", "option");
      item.setAttribute("data-id", hit.node.id);
      item.appendChild(glyph(hit.node.group));
      item.appendChild(el("span", null, nodeName(hit.node)));
      if (hit.via) item.appendChild(el("span", "via", hit.via));
      item.addEventListener("mousedown", function (event) { event.preventDefault(); focusNode(hit.node.id); search.blur(); });
      results.appendChild(item);
    });
    network.redraw();
  }
  function moveActive(step) {
    var items = results.querySelectorAll("li[data-id]");
    if (!items.length) return;
    items[active].classList.remove("active");
    active = (active + step + items.length) % items.length;
    items[active].classList.add("active");
    items[active].scrollIntoView({ block: "nearest" });
  }
  search.addEventListener("input", renderResults);
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); moveActive(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); moveActive(-1); }
    else if (event.key === "Enter") {
      var item = results.querySelectorAll("li[data-id]")[active];
      if (item) { focusNode(item.getAttribute("data-id")); search.blur(); }
    } else if (event.key === "Escape") {
      if (results.hidden) { clearFocus(); search.blur(); }
      else results.hidden = true;
    }
  });
  search.addEventListener("blur", function () { results.hidden = true; });

  // -- language ------------------------------------------------------------------------------
  var buttons = document.querySelectorAll(".lang button");
  function setLang(next) {
    var changed = next !== lang;
    lang = next;
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = pick(page.title);
    document.getElementById("title").textContent = pick(page.title);
    search.placeholder = UI[lang].search;
    document.getElementById("label-size-name").textContent = UI[lang].labelSize;
    Array.prototype.forEach.call(buttons, function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-lang") === lang));
    });
    Array.prototype.forEach.call(document.querySelectorAll("#controls button"), function (b) {
      b.title = UI[lang].controls[b.getAttribute("data-action")];
      b.setAttribute("aria-label", b.title);
    });
    renderAbout();
    renderFilters();
    renderLegend();
    refreshDetails();
    if (!results.hidden) renderResults();
    if (network && changed) { refresh(); permalink(); }
  }
  Array.prototype.forEach.call(buttons, function (b) {
    b.addEventListener("click", function () { setLang(b.getAttribute("data-lang")); });
  });
  document.getElementById("label-size").addEventListener("input", function (event) {
    labelScale = Number(event.target.value);
    network.redraw();
  });

  function nodeInHash() {
    var match = /(?:^#|&)node=([^&]+)/.exec(location.hash);
    return match ? decodeURIComponent(match[1]) : null;
  }
  window.addEventListener("hashchange", function () {
    var id = nodeInHash();
    if (id && nodeById[id] && id !== focusId) focusNode(id);
  });

  // The page paints its status first; the network is built on the next frame.
  setLang(lang);
  requestAnimationFrame(function () {
    setTimeout(function () {
      network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
      network.on("afterDrawing", drawLabels);
      network.on("click", function (params) {
        if (params.nodes.length) {
          var n = nodeById[params.nodes[0]];
          if (n.members) { setOpen(n.id, true); focusId = null; refresh(); showNode(n.id); scrollPanelToDetails(); network.unselectAll(); }
          else focusNode(n.id, { stay: true });
        } else if (params.edges.length) {
          showEdge(params.edges[0]);
          scrollPanelToDetails();
        } else {
          clearFocus();
        }
      });
      fit();
      var start = nodeInHash();
      if (start && nodeById[start]) focusNode(start, { instant: true });
      statusBox.textContent = "";
      network.once("afterDrawing", function () {
        window.ftzReadyAt = performance.now();
        window.ftzReady = true;
        document.body.setAttribute("data-ready", "true");
      });
      network.redraw();
      // A hook for tests, benchmarks and the browser console.
      window.ftz = { network: network, nodes: nodes, edges: edges, data: { nodes: rawNodes, edges: rawEdges, page: page, focus: page.focus },
        focusNode: focusNode, setLang: setLang, fit: fit, reset: reset, present: setPresenting, pngDataUrl: pngDataUrl,
        labelOf: function (id) { return canvasLabel(nodeById[id]); }, search: ranked, labels: function () { return window.ftzLabels; },
        decor: function () { return window.ftzDecor; },
        isVisible: function (id) { return nodeVisible(nodeById[id]); }, open: setOpen };
    }, 0);
  });
})();
