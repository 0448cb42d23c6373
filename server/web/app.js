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
  // SPARQL: every fact sits in the named graph of its sentence, so GRAPH ?g
  // answers with the sentence that states it; fg: and schema: need no PREFIX.
  ["Japan's RAA partners and the sentence saying so (SPARQL)", "sparql", "SELECT ?partner ?sentence WHERE {\n  GRAPH ?sentence { fg:Japan fg:hasRAAWith ?partner }\n}"],
  ["RAAs by status (SPARQL)", "sparql", "SELECT ?status (COUNT(?raa) AS ?n) WHERE {\n  ?raa a fg:ReciprocalAccessAgreement ; fg:status ?status\n}\nGROUP BY ?status"],
  ["Countries Japan has or negotiates an RAA with (SPARQL)", "sparql", "SELECT ?name WHERE {\n  fg:Japan fg:hasRAAWith|fg:negotiatingRAAWith ?c .\n  ?c schema:name ?name\n}\nORDER BY ?name"],
];
const LANGS = ["path", "sparql", "gizmo", "graphql", "mql"];
const DEFAULT_LANG = "path";
// The most nodes the graph view draws, and the most a reader can raise it to
// (see "graph" below).
const GRAPH_NODES = 300;
const GRAPH_NODES_MOST = 600;

const $ = (id) => document.getElementById(id);
const state = {
  result: null, // the shown result
  prefixes: {},
  graph: null,
  seq: 0, // the number of the latest run; older runs' answers are dropped
  status: "", // the status line, restored after a transient message
  statusTimer: 0,
  downloadURL: "",
  graphLimit: GRAPH_NODES, // the most nodes the graph view draws (raised by "draw up to")
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
  $("download").addEventListener("click", setDownload);
  initGraphControls();
  // The table draws the rows in view: scrolling and resizing its pane redraw it.
  const pane = $("table").parentElement;
  pane.addEventListener("scroll", scheduleWindow, { passive: true });
  new ResizeObserver(scheduleWindow).observe(pane);
  // Tab onto a row's evidence scrolls it into view: draw the rows after it at
  // once, before the next Tab, rather than in the next frame.
  $("table").querySelector("tbody").addEventListener("focusin", () => { if (table.res) drawWindow(); });
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

function apiURL(q, lang, format, evidence, limit) {
  const p = new URLSearchParams({ q, lang, format });
  if (evidence) p.set("evidence", "true");
  if (limit) p.set("limit", String(limit));
  // Every query of the page, a neighbourhood's too, is asked as of the day shown.
  const asOf = $("as-of").value;
  if (asOf) p.set("as_of", asOf);
  return "/api/v1/query?" + p.toString();
}

// fetchQuery runs a query with evidence; limit, when given, asks for fewer
// rows than the server's cap.
async function fetchQuery(q, lang, limit) {
  const resp = await fetch(apiURL(q, lang, "json", true, limit), { headers: { Accept: "application/json" } });
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

// count writes a number with thousands separators: 12,000.
function count(n) {
  return n.toLocaleString("en-US");
}

function plural(n, word) {
  return `${count(n)} ${word}${n === 1 ? "" : "s"}`;
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
    $("results").hidden = false;
    sortCol = null; sortDir = 1;
    renderTable(res);
    // The graph is drawn in a task of its own, so that the table shows first
    // and the two make no one long task.
    clearGraph();
    setTimeout(() => { if (seq === state.seq) renderGraph(res); });
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
  table.res = null;
  clearGraph();
  $("results").hidden = true;
  $("truncated").hidden = true;
  $("truncated").textContent = "";
  $("table").querySelector("thead").textContent = "";
  $("table").querySelector("tbody").textContent = "";
}

function clearGraph() {
  state.graph = null;
  cancelAnimationFrame(sim);
  $("graph").textContent = "";
  $("graph").removeAttribute("aria-busy");
  $("graph-note").hidden = true;
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
//
// The table draws only the rows near its pane's view (a window of them, between
// two spacer rows that stand in for the rest), so that ten thousand rows cost
// what a screenful does: the page stays responsive, and sorting is a sort of
// the rows plus one screenful drawn. Row heights vary (evidence, wrapped
// cells): every drawn row is measured, and a row not drawn yet counts as the
// average of the measured ones. Copy and Download work on all the rows, not the
// drawn ones.

const TABLE_OVERSCAN = 600; // pixels of rows drawn above and below the view
const TABLE_MOST_DRAWN = 400; // rows drawn at most, however short they are
const collator = new Intl.Collator(undefined, { numeric: true });

let sortCol = null, sortDir = 1;
const table = {
  res: null,
  order: [], // the rows in the shown order: sorted, or the server's
  rowIndex: [], // aria-rowindex of each row of order (evidence rows count too)
  height: new Map(), // row -> measured height of its result and evidence rows
  measured: 0, // sum of the measured heights
  drawn: new Map(), // row -> its <tr> elements, for the rows in the window
  start: 0, end: 0, // the window: order[start:end]
  folded: new Set(), // rows whose evidence the reader folded
  frame: 0,
};

// cellText is a cell as text: the table sorts by it and CSV and TSV hold it.
function cellText(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function renderTable(res) {
  table.res = res;
  table.height = new Map();
  table.measured = 0;
  table.folded = new Set();
  $("table").querySelector("tbody").textContent = "";
  $("table").parentElement.scrollTop = 0;
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
      renderBody();
    });
    th.appendChild(b);
    tr.appendChild(th);
  });
  thead.appendChild(tr);
  markSort();
  renderBody();
}

function markSort() {
  $("table").querySelectorAll("thead th").forEach((th) => {
    const b = th.querySelector("button");
    const c = b.dataset.col;
    b.textContent = c + (sortCol === c ? (sortDir > 0 ? " ▲" : " ▼") : "");
    th.setAttribute("aria-sort", sortCol === c ? (sortDir > 0 ? "ascending" : "descending") : "none");
  });
}

// renderBody puts the rows in the shown order and draws the window at the
// pane's scroll position.
function renderBody() {
  const res = table.res;
  let order = res.rows;
  if (sortCol) {
    // Each cell's text once, then a stable sort of those (descending keeps
    // equal rows in the server's order too).
    const keyed = res.rows.map((row) => ({ row, key: cellText(row[sortCol]) }));
    keyed.sort((a, b) => collator.compare(a.key, b.key) * sortDir);
    order = keyed.map((k) => k.row);
  }
  table.order = order;
  let index = 2; // the header is row 1
  table.rowIndex = order.map((row) => {
    const i = index;
    index += row.evidence ? 2 : 1;
    return i;
  });
  $("table").setAttribute("aria-rowcount", String(index - 1));
  const tbody = $("table").querySelector("tbody");
  tbody.textContent = "";
  table.drawn = new Map();
  table.start = table.end = 0;
  tbody.append(spacerRow(res.columns.length), spacerRow(res.columns.length));
  drawWindow();
}

function spacerRow(span) {
  const tr = document.createElement("tr");
  tr.className = "spacer";
  tr.setAttribute("aria-hidden", "true");
  const td = document.createElement("td");
  td.colSpan = span;
  tr.appendChild(td);
  return tr;
}

// scheduleWindow redraws the window in the next frame (once, however many
// scroll or resize events come before it).
function scheduleWindow() {
  if (!table.res || table.frame) return;
  table.frame = requestAnimationFrame(() => {
    table.frame = 0;
    if (table.res) drawWindow();
  });
}

// tops returns where each row of the order starts, in pixels from the top of
// the body, and (last) the body's height: measured rows by their height, the
// others by the average.
function tops() {
  const n = table.order.length;
  const est = table.height.size ? table.measured / table.height.size : 40;
  const t = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const h = table.height.get(table.order[i]);
    t[i + 1] = t[i] + (h === undefined ? est : h);
  }
  return t;
}

// firstAbove is the first index i with t[i+1] > y (binary search).
function firstAbove(t, y) {
  let lo = 0, hi = t.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid + 1] > y) hi = mid; else lo = mid + 1;
  }
  return lo;
}

// drawWindow draws the rows within TABLE_OVERSCAN pixels of the pane's view
// and sizes the spacers for the rest. Rows already drawn stay in place (so a
// focused evidence summary keeps the focus); the ones leaving are removed.
// Another round (three at most) corrects the window when the rows measured
// differ from the estimate.
function drawWindow() {
  const pane = $("table").parentElement;
  const tbody = $("table").querySelector("tbody");
  const n = table.order.length;
  for (let round = 0; round < 3; round++) {
    const bodyTop = $("table").offsetTop + tbody.offsetTop;
    const view = pane.scrollTop - bodyTop;
    let t = tops();
    const start = Math.min(firstAbove(t, view - TABLE_OVERSCAN), n);
    let end = Math.min(firstAbove(t, view + pane.clientHeight + TABLE_OVERSCAN) + 1, n);
    end = Math.min(end, start + TABLE_MOST_DRAWN);
    const changed = start !== table.start || end !== table.end;
    if (changed) placeRows(start, end);
    const remeasured = measureRows();
    t = tops();
    tbody.firstChild.firstChild.style.height = t[table.start] + "px";
    tbody.lastChild.firstChild.style.height = t[n] - t[table.end] + "px";
    if (!changed && !remeasured) break;
  }
}

// placeRows makes order[start:end] the drawn rows.
function placeRows(start, end) {
  const tbody = $("table").querySelector("tbody");
  const keepFrom = Math.max(start, table.start), keepTo = Math.min(end, table.end);
  for (let i = table.start; i < table.end; i++) {
    if (i >= keepFrom && i < keepTo) continue;
    const row = table.order[i];
    table.drawn.get(row).forEach((tr) => tr.remove());
    table.drawn.delete(row);
  }
  const build = (from, to) => {
    const f = document.createDocumentFragment();
    for (let i = from; i < to; i++) {
      const els = rowElements(table.order[i], table.rowIndex[i]);
      table.drawn.set(table.order[i], els);
      f.append(...els);
    }
    return f;
  };
  if (keepFrom < keepTo) {
    tbody.insertBefore(build(start, keepFrom), table.drawn.get(table.order[keepFrom])[0]);
    tbody.insertBefore(build(keepTo, end), tbody.lastChild);
  } else {
    tbody.insertBefore(build(start, end), tbody.lastChild);
  }
  table.start = start;
  table.end = end;
}

// measureRows records the heights of the drawn rows; it reports whether any
// changed by more than a pixel.
function measureRows() {
  let changed = false;
  table.drawn.forEach((els, row) => {
    const h = els.reduce((sum, tr) => sum + tr.getBoundingClientRect().height, 0);
    const old = table.height.get(row);
    if (old !== undefined && Math.abs(old - h) <= 1) return;
    table.measured += h - (old || 0);
    table.height.set(row, h);
    changed = true;
  });
  return changed;
}

// rowElements builds a row's <tr> and, when it has evidence, its evidence row.
function rowElements(row, index) {
  const res = table.res;
  const r = document.createElement("tr");
  r.className = "result";
  r.setAttribute("aria-rowindex", String(index));
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
  if (!row.evidence) return [r];
  const ev = evidenceRow(row.evidence, res.columns.length, !table.folded.has(row));
  ev.setAttribute("aria-rowindex", String(index + 1));
  ev.querySelector("details").addEventListener("toggle", (e) => {
    if (e.target.open) table.folded.delete(row); else table.folded.add(row);
    scheduleWindow();
  });
  return [r, ev];
}

function evidenceRow(facts, span, open) {
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
  d.open = open;
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

// setDownload points Download CSV at the shown result as CSV. The link's click
// calls it, so that the CSV of a big result is only written when asked for
// (the download takes the link's address after its click handlers ran).
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
//
// The graph view draws at most GRAPH_NODES nodes (a reader can raise it to
// GRAPH_NODES_MOST): the layout's cost grows with the square of the nodes and
// a drawing's with the nodes (past 600, one drawing can keep a busy machine's
// browser for more than 200 ms), and beyond a few hundred the picture is a
// hairball anyway. The nodes drawn are
// the first ones in the result's row order (each row's own nodes, then those
// of its evidence), so a cut graph shows the same rows as the top of the
// unsorted table; a note says how many were left out. Expanding a node is
// bounded the same way.

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
  return {
    nodes: new Map(), // the drawn nodes
    edges: new Map(),
    seen: new Set(), // every node of the results added, drawn or not
    sources: [], // the results added (the query's, then expansions'), in order
    limit: state.graphLimit,
    zoomed: false, // the user zoomed, so redrawing keeps the view rather than fitting it
  };
}

// addNode adds a node unless the graph already holds its limit; it returns
// the node, or null when it is not drawn.
function addNode(g, id, name, isRow) {
  g.seen.add(id);
  let n = g.nodes.get(id);
  if (!n) {
    if (g.nodes.size >= g.limit) return null;
    // New nodes start on a sunflower spiral around the origin (deterministic
    // layouts make screenshots comparable); the simulation spreads them out.
    const k = g.nodes.size;
    const a = k * 2.4, r = 60 * Math.sqrt(k + 1);
    n = { id, name: name || shortName(id), row: false, x: Math.cos(a) * r, y: Math.sin(a) * r, vx: 0, vy: 0 };
    g.nodes.set(id, n);
  } else if (name && name !== n.name) {
    n.name = name;
    n.labelWidth = undefined;
  }
  if (isRow) n.row = true;
  return n;
}

function shortName(id) {
  const s = id.replace(/^<|>$/g, "");
  const m = s.match(/[^:/#]+$/);
  return m ? m[0] : s;
}

// addResult adds a result's nodes and the facts linking them, walking its rows
// in order until the graph holds its limit; rows marks the nodes of its rows
// as result rows (the query's, not an expansion's). It returns how many of the
// result's nodes are not drawn.
function addResult(g, res, rows) {
  const ids = new Set();
  const add = (id, name, isRow) => {
    ids.add(id);
    return addNode(g, id, name, isRow);
  };
  res.rows.forEach((row) => {
    res.columns.forEach((c) => {
      if (c.endsWith("_iri") && row[c]) add(row[c], row[c.slice(0, -4)], rows);
    });
    (row.evidence || []).forEach((f) => {
      if (!isNodeTerm(f.object)) return; // literal objects are shown in the table, not as nodes
      // The server names the fact's nodes.
      const from = add(f.subject, f.subject_name), to = add(f.object, f.object_name);
      if (!from || !to) return;
      const key = f.subject + " " + f.predicate + " " + f.object;
      g.edges.set(key, { from: f.subject, to: f.object, label: shortName(f.predicate) });
    });
  });
  let left = 0;
  ids.forEach((id) => { if (!g.nodes.has(id)) left++; });
  return left;
}

// addSource adds a result to the graph and remembers it, so that raising the
// limit can draw more of it.
function addSource(g, res, rows) {
  g.sources.push({ res, rows });
  return addResult(g, res, rows);
}

function renderGraph(res) {
  state.graph = newGraph();
  addSource(state.graph, res, true);
  drawGraph();
}

// moreNodes raises the limit (doubling it, up to GRAPH_NODES_MOST, for the rest
// of the visit) and draws the next nodes of the results already added.
function moreNodes() {
  const g = state.graph;
  if (!g) return;
  state.graphLimit = Math.min(GRAPH_NODES_MOST, g.limit * 2);
  g.limit = state.graphLimit;
  g.sources.forEach((src) => addResult(g, src.res, src.rows));
  drawGraph();
}

// noteGraph says, under the zoom buttons, when the graph leaves nodes out.
function noteGraph() {
  const g = state.graph;
  const note = $("graph-note");
  note.hidden = !g || g.seen.size <= g.nodes.size;
  if (note.hidden) return;
  note.querySelector("span").textContent =
    `Showing ${count(g.nodes.size)} of ${plural(g.seen.size, "node")}: the first in row order. ` +
    "The table has every row; a narrower query draws fewer nodes" +
    (g.limit < GRAPH_NODES_MOST ? ", or" : ` (the view draws ${count(GRAPH_NODES_MOST)} at most).`);
  const more = $("graph-more");
  more.hidden = g.limit >= GRAPH_NODES_MOST;
  more.textContent = `draw up to ${count(Math.min(GRAPH_NODES_MOST, g.limit * 2))}`;
}

const SVGNS = "http://www.w3.org/2000/svg";
const EDGE_LABELS = 150;
let sim = null;
// The size of a screen pixel in the graph's units: node glyphs and labels are
// scaled by it, so they keep their size on the screen whatever the zoom.
let px = 1;

function drawGraph() {
  const svg = $("graph");
  const g = state.graph;
  noteGraph();
  // The page rebuilds the nodes; the one that had the focus gets it back.
  const focused = svg.contains(document.activeElement) ? document.activeElement.dataset.id : null;
  svg.innerHTML = `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" markerUnits="strokeWidth" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#9aa4b8"/></marker></defs>`;
  const edgeLayer = document.createElementNS(SVGNS, "g");
  const nodeLayer = document.createElementNS(SVGNS, "g");
  svg.append(edgeLayer, nodeLayer);
  // Past EDGE_LABELS edges their labels would only pile up (and cost the
  // browser more to draw than the rest of the graph): the edges go unlabeled.
  const labeled = g.edges.size <= EDGE_LABELS;
  g.edges.forEach((e) => {
    const el = document.createElementNS(SVGNS, "g");
    el.setAttribute("class", "edge");
    const line = document.createElementNS(SVGNS, "line");
    el.append(line);
    let text = null;
    if (labeled) {
      text = document.createElementNS(SVGNS, "text");
      text.setAttribute("y", -4);
      text.textContent = e.label;
      el.append(text);
    }
    edgeLayer.appendChild(el);
    e.el = { line, text };
    e.width = "";
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
  layout(SETTLE_TICKS, EASE_TICKS);
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
    layout(0, EASE_TICKS);
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
    // No more neighbours than the graph could draw: as many as it has room
    // for, plus as many as it already holds (which may be among them).
    const res = await fetchQuery(iri + " <-> *", "path", g.limit + g.nodes.size);
    if (state.graph !== g) return; // a new query replaced the graph meanwhile
    const left = addSource(g, res, false);
    drawGraph();
    let text = `expanded ${n.name}: ${plural(res.rows.length, "neighbour")}`;
    if (res.truncated) text += " (more exist)";
    if (left) text += `; ${count(left)} not drawn: the graph holds at most ${count(g.limit)} nodes`;
    setStatus(text);
  } catch (err) {
    if (state.graph === g) setStatus("expand failed: " + (err.message || err));
  }
}

// The layout: SETTLE_TICKS steps of the force simulation, undrawn, then the
// picture (fitted, unless the reader zoomed), then EASE_TICKS more steps that
// ease it, drawn one a frame. The settling steps run at most LAYOUT_WORK node
// pairs' worth a frame (and at least one step): a small graph settles before
// its first picture, and a big one over several frames, hidden meanwhile
// (aria-busy), instead of freezing the page. A graph of more than EASE_NODES
// nodes, whose every drawing costs the browser tens of milliseconds, settles
// the easing steps too, undrawn (a dragged node's neighbours still ease). The
// steps are the same however they fall into frames: the layout is
// deterministic, so screenshots of the same result compare.
const SETTLE_TICKS = 250;
const EASE_TICKS = 60;
const EASE_NODES = 150;
const LAYOUT_WORK = 1500000; // node pairs: a few milliseconds

function layout(settle, ease) {
  cancelAnimationFrame(sim);
  const g = state.graph;
  const n = g.nodes.size;
  if (settle > 0 && n > EASE_NODES) {
    settle += ease;
    ease = 0;
  }
  const perFrame = Math.max(1, Math.floor(LAYOUT_WORK / (n * (n - 1) / 2 + g.edges.size + n)));
  const step = () => {
    if (state.graph !== g) return;
    if (settle > 0) {
      const k = Math.min(perFrame, settle);
      for (let i = 0; i < k; i++) tick(1, true);
      settle -= k;
      $("graph").setAttribute("aria-busy", String(settle > 0));
      if (settle === 0 && !g.zoomed) fitView();
      else if (settle === 0) measure();
    } else if (ease > 0) {
      tick(1);
      ease--;
    }
    if (settle > 0 || ease > 0) sim = requestAnimationFrame(step);
  };
  step();
}

// physics moves the nodes one step: every pair repels, every edge pulls
// towards 150 units, and a weak pull holds the graph around the origin. An
// edge moves its ends in inverse proportion to their degrees (a hub with a
// thousand edges would otherwise get a thousand pulls a step, overshoot and
// fly apart), and no node moves more than MAX_STEP units a step. The pairs'
// loop, the cost of a step, runs over typed arrays.
const MAX_STEP = 60;

function physics(g, nodes) {
  const n = nodes.length;
  const x = new Float64Array(n), y = new Float64Array(n), vx = new Float64Array(n), vy = new Float64Array(n);
  nodes.forEach((node, i) => { node.i = i; x[i] = node.x; y[i] = node.y; vx[i] = node.vx; vy[i] = node.vy; });
  for (let i = 0; i < n; i++) {
    const xi = x[i], yi = y[i];
    let fx = 0, fy = 0;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - x[j], dy = yi - y[j];
      const d2 = Math.max(dx * dx + dy * dy, 25);
      const f = 6000 / (d2 * Math.sqrt(d2)); // 6000 / d², along the unit vector
      const ux = dx * f, uy = dy * f;
      fx += ux; fy += uy;
      vx[j] -= ux; vy[j] -= uy;
    }
    vx[i] += fx; vy[i] += fy;
  }
  const ends = [];
  const degree = new Float64Array(n);
  g.edges.forEach((e) => {
    const a = g.nodes.get(e.from), b = g.nodes.get(e.to);
    if (!a || !b) return;
    ends.push(a.i, b.i);
    degree[a.i]++; degree[b.i]++;
  });
  for (let k = 0; k < ends.length; k += 2) {
    const a = ends[k], b = ends[k + 1];
    const dx = x[b] - x[a], dy = y[b] - y[a];
    const d = Math.max(Math.hypot(dx, dy), 1);
    const f = ((d - 150) * 0.02) / d;
    // Ends of equal degree both take the whole pull.
    const fa = (2 * f * degree[b]) / (degree[a] + degree[b]), fb = (2 * f * degree[a]) / (degree[a] + degree[b]);
    vx[a] += dx * fa; vy[a] += dy * fa;
    vx[b] -= dx * fb; vy[b] -= dy * fb;
  }
  nodes.forEach((node, i) => {
    let ux = vx[i] - x[i] * 0.005, uy = vy[i] - y[i] * 0.005;
    const step = Math.hypot(ux, uy) * 0.5;
    if (step > MAX_STEP) { ux *= MAX_STEP / step; uy *= MAX_STEP / step; }
    if (!node.fixed) { node.x = x[i] + ux * 0.5; node.y = y[i] + uy * 0.5; }
    node.vx = ux * 0.6; node.vy = uy * 0.6;
  });
}

function tick(strength, silent) {
  const g = state.graph;
  if (!g) return;
  const nodes = [...g.nodes.values()];
  if (strength) physics(g, nodes);
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
    const width = (1.2 * px).toFixed(4);
    if (e.width !== width) e.el.line.setAttribute("stroke-width", width); // a style change: only on zooms
    e.width = width;
    if (e.el.text) e.el.text.setAttribute("transform", `translate(${((a.x + b.x) / 2).toFixed(1)},${((a.y + b.y) / 2).toFixed(1)}) scale(${k})`);
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

// The graph's size on the screen, kept by a ResizeObserver: reading it from
// the element would force a layout of the nodes just built.
const graphBox = { w: 0, h: 0 };

// measure updates px from the graph's size on the screen and its view (which
// it fits whole, centred) and redraws.
function measure() {
  const [, , w, h] = viewBox();
  if (graphBox.w && graphBox.h) px = Math.max(w / graphBox.w, h / graphBox.h);
  tick(0);
}

// labelWidth is the width of a node's label on the screen, measured once on a
// canvas in the labels' font (which, unlike measuring the label itself, does
// not wait for a layout of the whole graph).
let labelContext = null;
function labelWidth(n) {
  if (n.labelWidth === undefined) {
    if (!labelContext) {
      labelContext = document.createElement("canvas").getContext("2d");
      labelContext.font = "12px " + getComputedStyle(document.body).fontFamily;
    }
    n.labelWidth = labelContext.measureText(clip(n.name, 32)).width;
  }
  return n.labelWidth;
}

// fitView sets the view to the nodes and their labels, at the pane's aspect
// ratio. Labels keep their size on the screen, so how much room they take in
// the graph's units depends on the scale being chosen: a few rounds settle it.
function fitView() {
  const svg = $("graph");
  const g = state.graph;
  const w0 = graphBox.w, h0 = graphBox.h;
  if (!g || !w0 || !h0) return;
  const nodes = [...g.nodes.values()];
  // A label longer than a third of the pane may run past its edge.
  const label = new Map(nodes.map((n) => [n, radius(n) + 8 + Math.min(labelWidth(n), w0 / 3)]));
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
  $("graph-more").addEventListener("click", moreNodes);
  // The pane changes size with the window (and the phone's rotation), and
  // when the results first show.
  new ResizeObserver((entries) => {
    const r = entries[entries.length - 1].contentRect;
    graphBox.w = r.width;
    graphBox.h = r.height;
    if (!state.graph) return;
    if (state.graph.zoomed) measure();
    else fitView();
  }).observe(svg);
}

document.addEventListener("DOMContentLoaded", init);
