// factgraph's web page: a query console, a sortable table, a graph view and the
// evidence of every row. Plain JavaScript, no build step, nothing loaded from
// other hosts; the graph layout is a small force simulation written here.
"use strict";

const FG = "https://w3id.org/factgraph/";
const EXAMPLES = [
  ["Which countries have an RAA with Japan?", "path", "Japan -> hasRAAWith"],
  ["RAAs in force or under negotiation", "path", "Japan -> (hasRAAWith | negotiatingRAAWith)"],
  ["RAAs in force, via the agreements", "path", "Japan <- party [type = RAA] [status = in-force] -> party except (Japan)"],
  ["Meetings held", "path", "* [type = meeting] [status = held]"],
  ["Meetings planned, and who takes part", "path", "* [type = meeting] [status = planned] -> participant"],
  ["Who claims the Senkaku Islands?", "path", "\"Senkaku Islands\" -> claimedBy"],
  ["Who controls the Senkaku Islands?", "path", "\"Senkaku Islands\" -> controlledBy"],
  ["Where is New Caledonia?", "path", "\"New Caledonia\" -> locatedIn+"],
  // Gizmo rows get evidence from the quads linking their tagged nodes: the tag
  // on France makes each leader's row carry its "leads" fact, and Unique keeps
  // one row per person (the article states the fact twice).
  ["Who leads France? (Gizmo)", "gizmo", `g.V("<${FG}France>").Tag("country").In("<${FG}leads>").Unique().All()`],
  ["Japan's RAA partners, as a tree (GraphQL)", "graphql", `{ nodes(id: "<${FG}Japan>") { id, <${FG}hasRAAWith> { id, <https://schema.org/name> } } }`],
];
const LANGS = ["path", "gizmo", "graphql", "mql"];
const DEFAULT_LANG = "path";

const $ = (id) => document.getElementById(id);
const state = {
  result: null, // the shown result
  prefixes: {},
  graph: null,
  seq: 0, // the number of the latest run; older runs' answers are dropped
  status: "", // the status line, restored after a transient message
  statusTimer: 0,
  downloadURL: "",
};

function init() {
  if (location.pathname.replace(/\/$/, "").endsWith("/embed")) document.body.classList.add("embed");
  initExamples();
  $("query-form").addEventListener("submit", (ev) => { ev.preventDefault(); run(); });
  $("q").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); run(); }
  });
  $("copy-csv").addEventListener("click", () => copyText(delimited(","), "CSV"));
  $("copy-tsv").addEventListener("click", () => copyText(delimited("\t"), "TSV"));
  initGraphControls();
  applyURL();
  window.addEventListener("popstate", applyURL);
}

// --- examples menu -----------------------------------------------------------
//
// Browsing the menu with the keyboard (arrow keys, Home, End, typing) only puts
// the example in the query box; Enter on the menu runs it. Picking one with the
// mouse (or a touch) runs it at once, as there is no browsing to get in the way.

function initExamples() {
  const ex = $("examples");
  EXAMPLES.forEach(([label], i) => {
    const o = document.createElement("option");
    o.value = String(i);
    o.textContent = label;
    ex.appendChild(o);
  });
  let byKeyboard = false;
  ex.addEventListener("pointerdown", () => { byKeyboard = false; });
  ex.addEventListener("mousedown", () => { byKeyboard = false; });
  ex.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      if (fillExample()) run();
      return;
    }
    byKeyboard = true;
  });
  ex.addEventListener("change", () => {
    if (fillExample() && !byKeyboard) run();
  });
}

// fillExample puts the chosen example in the query box and the language menu;
// it reports whether one is chosen.
function fillExample() {
  const e = EXAMPLES[Number($("examples").value)];
  if (!$("examples").value || !e) return false;
  $("lang").value = e[1];
  $("q").value = e[2];
  return true;
}

// --- URL state -----------------------------------------------------------------
//
// The page's state is its URL: /?q=QUERY&lang=LANG&as_of=DAY, where a missing
// lang means path and a missing as_of all documents. Opening a URL, or
// stepping to one with Back/Forward, shows its query.

function readURL() {
  const p = new URLSearchParams(location.search);
  const given = p.get("lang");
  let lang = DEFAULT_LANG, note = "";
  if (given) {
    if (LANGS.includes(given)) {
      lang = given;
    } else if (LANGS.includes(given.toLowerCase())) {
      lang = given.toLowerCase();
      note = `The link asks for language "${given}": using ${lang}.`;
    } else {
      note = `The link asks for an unknown language "${given}" (known: ${LANGS.join(", ")}): using ${DEFAULT_LANG}.`;
    }
  }
  return { q: p.get("q") || "", lang, asOf: p.get("as_of") || "", note };
}

function applyURL() {
  const u = readURL();
  $("q").value = u.q;
  $("lang").value = u.lang;
  $("as-of").value = u.asOf;
  $("examples").value = "";
  $("note").textContent = u.note;
  $("note").hidden = !u.note;
  if (u.q.trim()) run(true);
  else clearResults();
}

// pushURL records a run in the history, unless the URL already shows it (so
// running the same query again adds no entry).
function pushURL(q, lang, asOf) {
  const cur = readURL();
  if (cur.q === q && cur.lang === lang && cur.asOf === asOf && !cur.note) return;
  const p = new URLSearchParams({ q });
  if (lang !== DEFAULT_LANG) p.set("lang", lang);
  if (asOf) p.set("as_of", asOf);
  history.pushState(null, "", location.pathname + "?" + p.toString());
}

// --- running -------------------------------------------------------------------

function apiURL(q, lang, format, evidence) {
  const p = new URLSearchParams({ q, lang, format });
  if (evidence) p.set("evidence", "true");
  // Every query of the page, a neighbourhood's too, is asked as of the day shown.
  const asOf = $("as-of").value;
  if (asOf) p.set("as_of", asOf);
  return "/api/v1/query?" + p.toString();
}

async function fetchQuery(q, lang) {
  const resp = await fetch(apiURL(q, lang, "json", true), { headers: { Accept: "application/json" } });
  let body;
  try {
    body = await resp.json();
  } catch (_) {
    throw { message: `${resp.status} ${resp.statusText}` };
  }
  if (!resp.ok) throw body.error || { message: resp.statusText };
  return body;
}

function setStatus(text) {
  clearTimeout(state.statusTimer);
  state.status = text;
  $("status").textContent = text;
}

// flash shows a message in the status line for a while, then restores it.
function flash(text) {
  clearTimeout(state.statusTimer);
  $("status").textContent = text;
  state.statusTimer = setTimeout(() => { $("status").textContent = state.status; }, 2500);
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

async function run(fromURL) {
  const q = $("q").value;
  const lang = $("lang").value || DEFAULT_LANG;
  if (!q.trim()) return;
  if (!fromURL) {
    pushURL(q, lang, $("as-of").value);
    $("note").hidden = true;
  }
  const seq = ++state.seq;
  setStatus("running…");
  try {
    const res = await fetchQuery(q, lang);
    if (seq !== state.seq) return;
    $("error").hidden = true;
    state.result = res;
    state.prefixes = res.prefixes || {};
    setStatus(`${plural(res.rows.length, "row")} in ${res.elapsed_ms.toFixed(1)} ms`);
    const notes = [];
    if (res.truncated) notes.push(`cut at ${plural(res.limit, "row")}: more exist`);
    (res.warnings || []).forEach((w) => notes.push(w));
    $("truncated").hidden = notes.length === 0;
    $("truncated").textContent = notes.join("; ");
    setDownload();
    $("results").hidden = false;
    sortCol = null; sortDir = 1;
    renderTable(res);
    renderGraph(res);
  } catch (err) {
    if (seq !== state.seq) return;
    setStatus("");
    clearResults(true);
    showError(q, err);
  }
}

// clearResults empties the table, the graph and the notes; with keepStatus it
// leaves the status line and the error box alone.
function clearResults(keepStatus) {
  if (!keepStatus) {
    state.seq++;
    setStatus("");
    $("error").hidden = true;
  }
  state.result = null;
  state.graph = null;
  cancelAnimationFrame(sim);
  $("results").hidden = true;
  $("truncated").hidden = true;
  $("truncated").textContent = "";
  $("table").querySelector("thead").textContent = "";
  $("table").querySelector("tbody").textContent = "";
  $("graph").textContent = "";
}

// showError shows the message and, under it, the query line with a caret: the
// server's snippet when the error has one (it is aligned in a monospaced font,
// tabs and wide characters included), else one built here.
function showError(q, err) {
  const box = $("error");
  box.querySelector(".error-message").textContent =
    (err.line ? `${err.line}:${err.column}: ` : "") + (err.message || String(err));
  let snippet = typeof err.snippet === "string" && err.snippet ? err.snippet : "";
  if (!snippet && err.line) {
    const line = q.split("\n")[err.line - 1] || "";
    // Keep tabs so the caret lines up under them; other characters become spaces.
    const pad = Array.from(line).slice(0, Math.max(0, err.column - 1)).map((c) => (c === "\t" ? "\t" : " ")).join("");
    snippet = line + "\n" + pad + "^";
  }
  const pre = box.querySelector(".snippet");
  pre.textContent = "";
  pre.hidden = !snippet;
  box.hidden = false;
  if (!snippet) return;
  const cut = snippet.lastIndexOf("\n");
  const caretLine = snippet.slice(cut + 1);
  const at = caretLine.lastIndexOf("^");
  pre.append(snippet.slice(0, cut + 1) + (at < 0 ? caretLine : caretLine.slice(0, at)));
  if (at >= 0) {
    const caret = document.createElement("span");
    caret.className = "caret";
    caret.textContent = "^";
    pre.append(caret, caretLine.slice(at + 1));
    // Scroll the unwrapped lines sideways so that the caret is in view.
    pre.scrollLeft = Math.max(0, caret.offsetLeft - pre.clientWidth / 2);
  }
}

// --- table -----------------------------------------------------------------

let sortCol = null, sortDir = 1;

// cellText is a cell as text: the table sorts by it and CSV and TSV hold it.
function cellText(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function renderTable(res) {
  const thead = $("table").querySelector("thead");
  thead.textContent = "";
  const tr = document.createElement("tr");
  res.columns.forEach((c) => {
    const th = document.createElement("th");
    th.scope = "col";
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.col = c;
    b.addEventListener("click", () => {
      sortDir = sortCol === c ? -sortDir : 1;
      sortCol = c;
      // The header stays (and keeps the focus); only its marks and the body change.
      markSort();
      renderBody(res);
    });
    th.appendChild(b);
    tr.appendChild(th);
  });
  thead.appendChild(tr);
  markSort();
  renderBody(res);
}

function markSort() {
  $("table").querySelectorAll("thead th").forEach((th) => {
    const b = th.querySelector("button");
    const c = b.dataset.col;
    b.textContent = c + (sortCol === c ? (sortDir > 0 ? " ▲" : " ▼") : "");
    th.setAttribute("aria-sort", sortCol === c ? (sortDir > 0 ? "ascending" : "descending") : "none");
  });
}

function renderBody(res) {
  const tbody = $("table").querySelector("tbody");
  tbody.textContent = "";
  const rows = res.rows.slice();
  if (sortCol) rows.sort((a, b) => cellText(a[sortCol]).localeCompare(cellText(b[sortCol]), undefined, { numeric: true }) * sortDir);
  rows.forEach((row) => {
    const r = document.createElement("tr");
    r.className = "result";
    res.columns.forEach((c) => {
      const td = document.createElement("td");
      const v = row[c];
      if (v !== null && typeof v === "object") {
        // GraphQL and MQL answer with a JSON value: indented, and wrapped.
        td.textContent = JSON.stringify(v, null, 2);
        td.className = "json";
      } else {
        td.textContent = cellText(v);
        if (c.endsWith("_iri")) td.className = "iri";
      }
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
  s.textContent = facts.length ? `evidence: ${plural(facts.length, "fact")}` : "no evidence";
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

// delimited is the shown result as CSV (sep ",") or TSV: the one serializer
// behind Copy CSV, Copy TSV and Download CSV.
function delimited(sep) {
  const res = state.result;
  if (!res) return "";
  const esc = (v) => {
    const s = cellText(v);
    if (sep === ",") return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    return s.replace(/[\t\r\n]/g, " ");
  };
  const lines = [res.columns.map(esc).join(sep)];
  res.rows.forEach((row) => lines.push(res.columns.map((c) => esc(row[c])).join(sep)));
  return lines.join("\n") + "\n";
}

function setDownload() {
  if (state.downloadURL) URL.revokeObjectURL(state.downloadURL);
  state.downloadURL = URL.createObjectURL(new Blob([delimited(",")], { type: "text/csv;charset=utf-8" }));
  $("download").href = state.downloadURL;
}

async function copyText(text, what) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch (_) {
    const ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.className = "visually-hidden";
    const back = document.activeElement;
    document.body.appendChild(ta);
    ta.select();
    try { ok = document.execCommand("copy"); } catch (_) { ok = false; }
    ta.remove();
    if (back && back.focus) back.focus();
  }
  flash(ok ? `copied ${what} (${plural(state.result ? state.result.rows.length : 0, "row")})` : `copy failed: the browser did not allow it; use Download CSV`);
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
  // zoomed: the user zoomed, so redrawing keeps the view rather than fitting it.
  return { nodes: new Map(), edges: new Map(), zoomed: false };
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

// addResult adds a result's nodes and the facts linking them; rows marks the
// nodes of its rows as result rows (the query's, not an expansion's).
function addResult(g, res, rows) {
  res.rows.forEach((row) => {
    res.columns.forEach((c) => {
      if (c.endsWith("_iri") && row[c]) addNode(g, row[c], row[c.slice(0, -4)], rows);
    });
    (row.evidence || []).forEach((f) => {
      if (!isNodeTerm(f.object)) return; // literal objects are shown in the table, not as nodes
      addNode(g, f.subject, f.subject_name); // the server names the fact's nodes
      addNode(g, f.object, f.object_name);
      const key = f.subject + " " + f.predicate + " " + f.object;
      g.edges.set(key, { from: f.subject, to: f.object, label: shortName(f.predicate) });
    });
  });
}

function renderGraph(res) {
  state.graph = newGraph();
  addResult(state.graph, res, true);
  drawGraph();
}

const SVGNS = "http://www.w3.org/2000/svg";
let sim = null;
// The size of a screen pixel in the graph's units: node glyphs and labels are
// scaled by it, so they keep their size on the screen whatever the zoom.
let px = 1;

function drawGraph() {
  const svg = $("graph");
  const g = state.graph;
  // The page rebuilds the nodes; the one that had the focus gets it back.
  const focused = svg.contains(document.activeElement) ? document.activeElement.dataset.id : null;
  svg.innerHTML = `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" markerUnits="strokeWidth" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#9aa4b8"/></marker></defs>`;
  const edgeLayer = document.createElementNS(SVGNS, "g");
  const nodeLayer = document.createElementNS(SVGNS, "g");
  svg.append(edgeLayer, nodeLayer);
  g.edges.forEach((e) => {
    const el = document.createElementNS(SVGNS, "g");
    el.setAttribute("class", "edge");
    const line = document.createElementNS(SVGNS, "line");
    const text = document.createElementNS(SVGNS, "text");
    text.setAttribute("y", -4);
    text.textContent = e.label;
    el.append(line, text);
    edgeLayer.appendChild(el);
    e.el = { line, text };
  });
  g.nodes.forEach((n) => {
    const el = document.createElementNS(SVGNS, "g");
    el.setAttribute("class", "node" + (n.row ? " row" : "") + (n.fixed ? " pinned" : ""));
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
    el.setAttribute("aria-label", `${n.name}: expand neighbours`);
    el.dataset.id = n.id;
    const c = document.createElementNS(SVGNS, "circle");
    c.setAttribute("r", radius(n));
    const t = document.createElementNS(SVGNS, "text");
    t.setAttribute("x", radius(n) + 4);
    t.setAttribute("y", 4);
    t.textContent = clip(n.name, 32);
    const title = document.createElementNS(SVGNS, "title");
    title.textContent = n.name === n.id ? n.id : `${n.name} (${n.id})`;
    el.append(c, t, title);
    nodeLayer.appendChild(el);
    n.el = el;
    dragAndClick(el, n);
  });
  settle();
  if (!g.zoomed) fitView();
  else measure();
  startSimulation();
  if (focused && g.nodes.has(focused)) g.nodes.get(focused).el.focus({ preventScroll: true });
}

// clip shortens a long label (the node's title and aria-label keep it whole).
function clip(text, most) {
  const cs = Array.from(text);
  return cs.length > most ? cs.slice(0, most - 1).join("") + "…" : text;
}

function radius(n) {
  return n.row ? 9 : 7;
}

function dragAndClick(el, n) {
  let dragging = false, moved = false, start = null;
  el.addEventListener("touchstart", (ev) => ev.preventDefault(), { passive: false });
  el.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0) return;
    dragging = true; moved = false;
    start = svgPoint(ev);
    el.setPointerCapture(ev.pointerId);
  });
  el.addEventListener("pointermove", (ev) => {
    if (!dragging) return;
    const p = svgPoint(ev);
    if (!moved && Math.hypot(p.x - start.x, p.y - start.y) < 3 * px) return;
    moved = true;
    cancelAnimationFrame(sim);
    n.x = p.x; n.y = p.y; n.vx = 0; n.vy = 0; n.fixed = true;
    tick(0);
  });
  el.addEventListener("pointerup", () => {
    if (!dragging) return;
    dragging = false;
    if (!moved) { expandNode(n); return; }
    // A dropped node stays where it was dropped: it is pinned, and the others
    // only ease around it (no fresh layout that would turn the picture).
    el.classList.add("pinned");
    startSimulation();
  });
  el.addEventListener("pointercancel", () => { dragging = false; });
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
  const g = state.graph;
  try {
    const res = await fetchQuery(iri + " <-> *", "path");
    if (state.graph !== g) return; // a new query replaced the graph meanwhile
    addResult(g, res, false);
    drawGraph();
    setStatus(`expanded ${n.name}: ${plural(res.rows.length, "neighbour")}`);
  } catch (err) {
    if (state.graph === g) setStatus("expand failed: " + (err.message || err));
  }
}

// settle runs the layout to rest at once, so that the first picture is
// already readable.
function settle() {
  for (let i = 0; i < 250; i++) tick(1, true);
}

// startSimulation animates a few more steps from where the nodes are.
function startSimulation() {
  cancelAnimationFrame(sim);
  let steps = 0;
  const loop = () => {
    if (!state.graph) return;
    tick(1);
    if (++steps < 60) sim = requestAnimationFrame(loop);
  };
  loop();
}

function tick(strength, silent) {
  const g = state.graph;
  if (!g) return;
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
  const k = px.toFixed(4);
  nodes.forEach((n) => n.el && n.el.setAttribute("transform", `translate(${n.x.toFixed(1)},${n.y.toFixed(1)}) scale(${k})`));
  g.edges.forEach((e) => {
    const a = g.nodes.get(e.from), b = g.nodes.get(e.to);
    if (!a || !b || !e.el) return;
    // The line stops at the target's circle, where the arrow's tip goes.
    const d = Math.max(Math.hypot(b.x - a.x, b.y - a.y), 1);
    const cut = Math.min((radius(b) + 2) * px, d / 2);
    const x2 = b.x - ((b.x - a.x) / d) * cut, y2 = b.y - ((b.y - a.y) / d) * cut;
    e.el.line.setAttribute("x1", a.x.toFixed(1)); e.el.line.setAttribute("y1", a.y.toFixed(1));
    e.el.line.setAttribute("x2", x2.toFixed(1)); e.el.line.setAttribute("y2", y2.toFixed(1));
    e.el.line.setAttribute("stroke-width", (1.2 * px).toFixed(4));
    e.el.text.setAttribute("transform", `translate(${((a.x + b.x) / 2).toFixed(1)},${((a.y + b.y) / 2).toFixed(1)}) scale(${k})`);
  });
}

// --- zoom ------------------------------------------------------------------
//
// The view fits the graph when a query runs (or on Fit, or 0). Ctrl+wheel (⌘ on
// a Mac, and a trackpad pinch) zooms at the pointer; a plain wheel scrolls the
// page. The + and − buttons, and + and - with a node focused, zoom at the centre.

function viewBox() {
  return $("graph").getAttribute("viewBox").split(" ").map(Number);
}

// measure updates px from the graph's size on the screen and redraws.
function measure() {
  const m = $("graph").getScreenCTM();
  if (m && m.a > 0) px = 1 / m.a;
  tick(0);
}

// fitView sets the view to the nodes and their labels, at the pane's aspect
// ratio. Labels keep their size on the screen, so how much room they take in
// the graph's units depends on the scale being chosen: a few rounds settle it.
function fitView() {
  const svg = $("graph");
  const g = state.graph;
  const w0 = svg.clientWidth, h0 = svg.clientHeight;
  if (!g || !w0 || !h0) return;
  const nodes = [...g.nodes.values()];
  const label = new Map(nodes.map((n) => {
    const t = n.el && n.el.querySelector("text");
    // A label longer than a third of the pane may run past its edge.
    return [n, radius(n) + 8 + Math.min(t ? t.getComputedTextLength() : 0, w0 / 3)];
  }));
  const margin = 12; // screen pixels around the drawing
  // Not so close that a small graph looks huge.
  const most = Math.min(1.5, w0 / 420, h0 / 300);
  let s = most, box = [-100, -100, 100, 100];
  for (let round = 0; round < 4 && nodes.length; round++) {
    box = [Infinity, Infinity, -Infinity, -Infinity];
    nodes.forEach((n) => {
      box[0] = Math.min(box[0], n.x - (radius(n) + margin) / s);
      box[2] = Math.max(box[2], n.x + (label.get(n) + margin) / s);
      box[1] = Math.min(box[1], n.y - (radius(n) + margin) / s);
      box[3] = Math.max(box[3], n.y + (radius(n) + margin) / s);
    });
    s = Math.max(0.3, Math.min(most, w0 / (box[2] - box[0]), h0 / (box[3] - box[1])));
  }
  const w = w0 / s, h = h0 / s;
  const x = (box[0] + box[2]) / 2 - w / 2, y = (box[1] + box[3]) / 2 - h / 2;
  svg.setAttribute("viewBox", [x, y, w, h].map((v) => v.toFixed(1)).join(" "));
  g.zoomed = false;
  measure();
}

function zoomAt(k, p) {
  const [x, y, w, h] = viewBox();
  $("graph").setAttribute("viewBox", [p.x - (p.x - x) * k, p.y - (p.y - y) * k, w * k, h * k].join(" "));
  if (state.graph) state.graph.zoomed = true;
  measure();
}

function initGraphControls() {
  const svg = $("graph");
  svg.addEventListener("wheel", (ev) => {
    if (!(ev.ctrlKey || ev.metaKey) || !state.graph) return; // the page scrolls
    ev.preventDefault();
    zoomAt(Math.exp(Math.max(-1, Math.min(1, ev.deltaY / 300))), svgPoint(ev));
  }, { passive: false });
  const centre = () => {
    const [x, y, w, h] = viewBox();
    return { x: x + w / 2, y: y + h / 2 };
  };
  svg.addEventListener("keydown", (ev) => {
    if (!state.graph || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "+" || ev.key === "=") zoomAt(1 / 1.25, centre());
    else if (ev.key === "-" || ev.key === "_") zoomAt(1.25, centre());
    else if (ev.key === "0") fitView();
    else return;
    ev.preventDefault();
  });
  $("zoom-in").addEventListener("click", () => state.graph && zoomAt(1 / 1.25, centre()));
  $("zoom-out").addEventListener("click", () => state.graph && zoomAt(1.25, centre()));
  $("zoom-fit").addEventListener("click", () => fitView());
  // The pane changes size with the window (and the phone's rotation).
  if (window.ResizeObserver) {
    new ResizeObserver(() => {
      if (!state.graph) return;
      if (state.graph.zoomed) measure();
      else fitView();
    }).observe(svg);
  }
}

document.addEventListener("DOMContentLoaded", init);
