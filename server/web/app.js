// factgraph's web page: a query console, a sortable table, a graph view and the
// evidence of every row. Plain JavaScript, no build step, nothing loaded from
// other hosts; the graph layout is a small force simulation written here.
"use strict";

const EXAMPLES = [
  ["Which countries have an RAA with Japan?", "path", "Japan -> hasRAAWith"],
  ["RAAs in force or under negotiation", "path", "Japan -> (hasRAAWith | negotiatingRAAWith)"],
  ["RAAs in force, via the agreements", "path", "Japan <- party [type = RAA] [status = in-force] -> party except (Japan)"],
  ["Meetings held", "path", "* [type = meeting] [status = held]"],
  ["Meetings planned, and who takes part", "path", "* [type = meeting] [status = planned] -> participant"],
  ["Who claims the Senkaku Islands?", "path", "\"Senkaku Islands\" -> claimedBy"],
  ["Who controls the Senkaku Islands?", "path", "\"Senkaku Islands\" -> controlledBy"],
  ["Where is New Caledonia?", "path", "\"New Caledonia\" -> locatedIn+"],
  ["Who leads France? (Gizmo)", "gizmo", "g.V(\"<https://w3id.org/factgraph/France>\").In(\"<https://w3id.org/factgraph/leads>\").All()"],
];

const $ = (id) => document.getElementById(id);
const state = { result: null, prefixes: {}, graph: null };

function init() {
  const ex = $("examples");
  EXAMPLES.forEach(([label, lang, q], i) => {
    const o = document.createElement("option");
    o.value = String(i);
    o.textContent = label;
    ex.appendChild(o);
  });
  ex.addEventListener("change", () => {
    const e = EXAMPLES[Number(ex.value)];
    if (!e) return;
    $("lang").value = e[1];
    $("q").value = e[2];
    run();
  });
  $("query-form").addEventListener("submit", (ev) => { ev.preventDefault(); run(); });
  $("q").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); run(); }
  });
  $("copy-csv").addEventListener("click", () => copyText(delimited(",")));
  $("copy-tsv").addEventListener("click", () => copyText(delimited("\t")));
  if (location.pathname.replace(/\/$/, "").endsWith("/embed")) document.body.classList.add("embed");
  const params = new URLSearchParams(location.search);
  if (params.get("lang")) $("lang").value = params.get("lang");
  if (params.get("q")) {
    $("q").value = params.get("q");
    run(true);
  }
  window.addEventListener("popstate", () => {
    const p = new URLSearchParams(location.search);
    $("q").value = p.get("q") || "";
    if (p.get("lang")) $("lang").value = p.get("lang");
    if ($("q").value) run(true);
  });
}

function apiURL(q, lang, format, evidence) {
  const p = new URLSearchParams({ q, lang, format });
  if (evidence) p.set("evidence", "true");
  return "/api/v1/query?" + p.toString();
}

async function fetchQuery(q, lang) {
  const resp = await fetch(apiURL(q, lang, "json", true), { headers: { Accept: "application/json" } });
  const body = await resp.json();
  if (!resp.ok) throw body.error || { message: resp.statusText };
  return body;
}

async function run(fromURL) {
  const q = $("q").value;
  const lang = $("lang").value;
  if (!q.trim()) return;
  if (!fromURL) {
    const url = location.pathname + "?" + new URLSearchParams({ q, lang }).toString();
    history.pushState(null, "", url);
  }
  $("status").textContent = "running…";
  $("error").hidden = true;
  try {
    const res = await fetchQuery(q, lang);
    state.result = res;
    state.prefixes = res.prefixes || {};
    $("status").textContent = `${res.rows.length} row${res.rows.length === 1 ? "" : "s"} in ${res.elapsed_ms.toFixed(1)} ms`;
    const notes = [];
    if (res.truncated) notes.push(`cut at ${res.limit} rows: more exist`);
    (res.warnings || []).forEach((w) => notes.push(w));
    $("truncated").hidden = notes.length === 0;
    $("truncated").textContent = notes.join("; ");
    $("download").href = apiURL(q, lang, "csv", false);
    $("results").hidden = false;
    renderTable(res);
    renderGraph(res);
  } catch (err) {
    $("status").textContent = "";
    $("results").hidden = true;
    showError(q, err);
  }
}

function showError(q, err) {
  const box = $("error");
  let text = (err.line ? `${err.line}:${err.column}: ` : "") + (err.message || String(err));
  if (err.line) {
    const line = q.split("\n")[err.line - 1] || "";
    text += "\n    " + line + "\n    " + " ".repeat(Math.max(0, err.column - 1)) + "^";
  }
  box.textContent = text;
  box.hidden = false;
}

// --- table -----------------------------------------------------------------

let sortCol = null, sortDir = 1;

function cellText(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function renderTable(res) {
  const thead = $("table").querySelector("thead");
  const tbody = $("table").querySelector("tbody");
  thead.innerHTML = "";
  tbody.innerHTML = "";
  const tr = document.createElement("tr");
  res.columns.forEach((c) => {
    const th = document.createElement("th");
    th.scope = "col";
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = c + (sortCol === c ? (sortDir > 0 ? " ▲" : " ▼") : "");
    b.addEventListener("click", () => {
      sortDir = sortCol === c ? -sortDir : 1;
      sortCol = c;
      renderTable(res);
    });
    th.setAttribute("aria-sort", sortCol === c ? (sortDir > 0 ? "ascending" : "descending") : "none");
    th.appendChild(b);
    tr.appendChild(th);
  });
  thead.appendChild(tr);
  const rows = res.rows.slice();
  if (sortCol) rows.sort((a, b) => cellText(a[sortCol]).localeCompare(cellText(b[sortCol]), undefined, { numeric: true }) * sortDir);
  rows.forEach((row) => {
    const r = document.createElement("tr");
    r.className = "result";
    res.columns.forEach((c) => {
      const td = document.createElement("td");
      td.textContent = cellText(row[c]);
      if (c.endsWith("_iri")) td.className = "iri";
      r.appendChild(td);
    });
    tbody.appendChild(r);
    if (row.evidence) tbody.appendChild(evidenceRow(row.evidence, res.columns.length));
  });
}

function evidenceRow(facts, span) {
  const tr = document.createElement("tr");
  tr.className = "evidence";
  const td = document.createElement("td");
  td.colSpan = span;
  const d = document.createElement("details");
  const s = document.createElement("summary");
  s.textContent = facts.length ? `evidence: ${facts.length} fact${facts.length === 1 ? "" : "s"}` : "no evidence";
  d.appendChild(s);
  facts.forEach((f) => {
    const fact = document.createElement("div");
    fact.className = "fact";
    fact.textContent = `${f.subject} ${f.predicate} ${f.object}`;
    d.appendChild(fact);
    f.statements.forEach((st) => {
      const q = document.createElement("blockquote");
      q.textContent = st.sentence || (st.label ? `(labeled ${st.label})` : "(no source recorded)");
      const cite = document.createElement("cite");
      cite.textContent = [st.source, st.date].filter(Boolean).join(", ");
      q.appendChild(cite);
      d.appendChild(q);
    });
  });
  d.open = true;
  td.appendChild(d);
  tr.appendChild(td);
  return tr;
}

function delimited(sep) {
  const res = state.result;
  if (!res) return "";
  const esc = (v) => {
    const s = cellText(v);
    return sep === "," && /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s.replace(/[\t\n]/g, " ");
  };
  const lines = [res.columns.join(sep)];
  res.rows.forEach((row) => lines.push(res.columns.map((c) => esc(row[c])).join(sep)));
  return lines.join("\n") + "\n";
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    const ta = document.createElement("textarea");
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
  }
  $("status").textContent = "copied";
}

// --- graph -----------------------------------------------------------------

function expand(compact) {
  if (compact.startsWith("<") && compact.endsWith(">")) return compact;
  const i = compact.indexOf(":");
  const ns = i > 0 ? state.prefixes[compact.slice(0, i)] : undefined;
  return ns ? "<" + ns + compact.slice(i + 1) + ">" : compact;
}

function isNodeTerm(v) {
  return typeof v === "string" && (/^[a-z]+:[^\s"]/.test(v) || /^<.*>$/.test(v)) && !v.startsWith('"');
}

function newGraph() {
  return { nodes: new Map(), edges: new Map() };
}

function addNode(g, id, name, isRow) {
  let n = g.nodes.get(id);
  if (!n) {
    // New nodes start on a spiral around the origin (deterministic layouts make
    // screenshots comparable); the simulation spreads them out.
    const k = g.nodes.size;
    const a = k * 2.4, r = 60 + 25 * k;
    n = { id, name: name || shortName(id), row: false, x: Math.cos(a) * r, y: Math.sin(a) * r, vx: 0, vy: 0 };
    g.nodes.set(id, n);
  } else if (name) {
    n.name = name;
  }
  if (isRow) n.row = true;
  return n;
}

function shortName(id) {
  const s = id.replace(/^<|>$/g, "");
  const m = s.match(/[^:/#]+$/);
  return m ? m[0] : s;
}

function addResult(g, res) {
  res.rows.forEach((row) => {
    res.columns.forEach((c) => {
      if (c.endsWith("_iri") && row[c]) addNode(g, row[c], row[c.slice(0, -4)], true);
    });
    (row.evidence || []).forEach((f) => {
      if (!isNodeTerm(f.object)) return; // literal objects are shown in the table, not as nodes
      addNode(g, f.subject);
      addNode(g, f.object);
      const key = f.subject + " " + f.predicate + " " + f.object;
      g.edges.set(key, { from: f.subject, to: f.object, label: shortName(f.predicate) });
    });
  });
}

function renderGraph(res) {
  state.graph = newGraph();
  addResult(state.graph, res);
  drawGraph();
}

const SVGNS = "http://www.w3.org/2000/svg";
let sim = null;

function drawGraph() {
  const svg = $("graph");
  const g = state.graph;
  svg.innerHTML = `<defs><marker id="arrow" viewBox="0 0 10 10" refX="19" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#9aa4b8"/></marker></defs>`;
  const edgeLayer = document.createElementNS(SVGNS, "g");
  const nodeLayer = document.createElementNS(SVGNS, "g");
  svg.append(edgeLayer, nodeLayer);
  g.edges.forEach((e) => {
    const el = document.createElementNS(SVGNS, "g");
    el.setAttribute("class", "edge");
    const line = document.createElementNS(SVGNS, "line");
    const text = document.createElementNS(SVGNS, "text");
    text.textContent = e.label;
    el.append(line, text);
    edgeLayer.appendChild(el);
    e.el = { line, text };
  });
  g.nodes.forEach((n) => {
    const el = document.createElementNS(SVGNS, "g");
    el.setAttribute("class", "node" + (n.row ? " row" : ""));
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
    el.setAttribute("aria-label", `${n.name}: expand neighbours`);
    el.dataset.id = n.id;
    const c = document.createElementNS(SVGNS, "circle");
    c.setAttribute("r", n.row ? 9 : 7);
    const t = document.createElementNS(SVGNS, "text");
    t.setAttribute("x", 12);
    t.setAttribute("y", 4);
    t.textContent = n.name;
    const title = document.createElementNS(SVGNS, "title");
    title.textContent = n.id;
    el.append(c, t, title);
    nodeLayer.appendChild(el);
    n.el = el;
    dragAndClick(el, n);
  });
  startSimulation();
}

function dragAndClick(el, n) {
  let dragging = false, moved = false, start = null;
  el.addEventListener("pointerdown", (ev) => {
    dragging = true; moved = false;
    start = svgPoint(ev);
    el.setPointerCapture(ev.pointerId);
  });
  el.addEventListener("pointermove", (ev) => {
    if (!dragging) return;
    const p = svgPoint(ev);
    if (Math.hypot(p.x - start.x, p.y - start.y) > 3) moved = true;
    n.x = p.x; n.y = p.y; n.vx = 0; n.vy = 0; n.fixed = true;
    tick(0);
  });
  el.addEventListener("pointerup", () => {
    dragging = false;
    n.fixed = false;
    if (!moved) expandNode(n);
    startSimulation();
  });
  el.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); expandNode(n); }
  });
}

function svgPoint(ev) {
  const svg = $("graph");
  const pt = svg.createSVGPoint();
  pt.x = ev.clientX; pt.y = ev.clientY;
  return pt.matrixTransform(svg.getScreenCTM().inverse());
}

async function expandNode(n) {
  const iri = expand(n.id);
  if (!iri.startsWith("<")) return;
  try {
    const res = await fetchQuery(iri + " <-> *", "path");
    addResult(state.graph, res);
    drawGraph();
    $("status").textContent = `expanded ${n.name}: ${res.rows.length} neighbours`;
  } catch (err) {
    $("status").textContent = "expand failed: " + (err.message || err);
  }
}

// startSimulation settles the layout at once (so the first picture is already
// readable), then animates a few more steps.
function startSimulation() {
  cancelAnimationFrame(sim);
  for (let i = 0; i < 250; i++) tick(1, true);
  let steps = 0;
  const loop = () => {
    tick(1);
    if (++steps < 60) sim = requestAnimationFrame(loop);
  };
  loop();
}

function tick(strength, silent) {
  const g = state.graph;
  const nodes = [...g.nodes.values()];
  if (strength) {
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i], b = nodes[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        const d2 = Math.max(dx * dx + dy * dy, 25);
        const f = 6000 / d2;
        const d = Math.sqrt(d2);
        dx /= d; dy /= d;
        a.vx += dx * f; a.vy += dy * f;
        b.vx -= dx * f; b.vy -= dy * f;
      }
    }
    g.edges.forEach((e) => {
      const a = g.nodes.get(e.from), b = g.nodes.get(e.to);
      if (!a || !b) return;
      const dx = b.x - a.x, dy = b.y - a.y;
      const d = Math.max(Math.hypot(dx, dy), 1);
      const f = (d - 150) * 0.02;
      a.vx += (dx / d) * f; a.vy += (dy / d) * f;
      b.vx -= (dx / d) * f; b.vy -= (dy / d) * f;
    });
    nodes.forEach((n) => {
      n.vx -= n.x * 0.005; n.vy -= n.y * 0.005;
      if (!n.fixed) { n.x += n.vx * 0.5; n.y += n.vy * 0.5; }
      n.vx *= 0.6; n.vy *= 0.6;
    });
  }
  if (silent) return;
  nodes.forEach((n) => n.el && n.el.setAttribute("transform", `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})`));
  g.edges.forEach((e) => {
    const a = g.nodes.get(e.from), b = g.nodes.get(e.to);
    if (!a || !b || !e.el) return;
    e.el.line.setAttribute("x1", a.x); e.el.line.setAttribute("y1", a.y);
    e.el.line.setAttribute("x2", b.x); e.el.line.setAttribute("y2", b.y);
    e.el.text.setAttribute("x", (a.x + b.x) / 2); e.el.text.setAttribute("y", (a.y + b.y) / 2 - 3);
  });
}

function zoom() {
  const svg = $("graph");
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const [x, y, w, h] = svg.getAttribute("viewBox").split(" ").map(Number);
    const k = ev.deltaY > 0 ? 1.1 : 1 / 1.1;
    const p = svgPoint(ev);
    svg.setAttribute("viewBox", [p.x - (p.x - x) * k, p.y - (p.y - y) * k, w * k, h * k].join(" "));
  }, { passive: false });
}

document.addEventListener("DOMContentLoaded", () => { init(); zoom(); });
