// factgraph's driver of Oxigraph (the npm package oxigraph): it reads one
// JSON request a line on stdin and writes one JSON answer a line on stdout.
//   {"op":"load","path":"data.nq.gz","format":"nq","base":"http://m/"}
//     (base, if set, resolves the file's relative IRIs)
//     -> {"ms":1234,"quads":471705}
//   {"op":"query","q":"SELECT ...","runs":3}
//     -> {"result":"<SPARQL JSON results>","ms":[1.2,1.1,1.3]}
// The default graph of queries is the union of all graphs, as factgraph's is.
// Errors come back as {"error":"..."}.
"use strict";
const fs = require("fs");
const zlib = require("zlib");
const readline = require("readline");
const oxigraph = require(process.argv[2]);

const store = new oxigraph.Store();
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");

function load(req) {
  let raw = fs.readFileSync(req.path);
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = zlib.gunzipSync(raw);
  let text = raw.toString("utf8");
  if (req.base) {
    // N-Quads takes absolute IRIs only: resolve relative ones against base.
    text = text.replace(/<(?![A-Za-z][A-Za-z0-9+.-]*:)([^>]*)>/g, (_, iri) => "<" + new URL(iri, req.base).href + ">");
  }
  const start = process.hrtime.bigint();
  store.load(text, { format: req.format || "nq" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, quads: store.size };
}

function query(req) {
  const ms = [];
  let result = "";
  for (let i = 0; i < (req.runs || 1); i++) {
    const start = process.hrtime.bigint();
    result = store.query(req.q, { use_default_graph_as_union: true, results_format: "json" });
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  if (typeof result !== "string") result = JSON.stringify(result);
  return { result, ms };
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  if (!line.trim()) return;
  try {
    const req = JSON.parse(line);
    out(req.op === "load" ? load(req) : query(req));
  } catch (e) {
    out({ error: String(e && e.message ? e.message : e) });
  }
});
