package queries

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	_ "github.com/cayleygraph/quad/jsonld" // the JSON-LD writer
	_ "github.com/cayleygraph/quad/nquads" // the N-Quads writer

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/graph/format"
)

// Encoder writes a result in one format.
type Encoder func(w io.Writer, res *Result) error

// encoders implement the result formats of the format table (format.Rows),
// by name.
var encoders = map[string]Encoder{
	"table":  EncodeTable,
	"json":   EncodeJSON,
	"ndjson": EncodeNDJSON,
	"csv":    func(w io.Writer, r *Result) error { return encodeDelimited(w, r, ',') },
	"tsv":    func(w io.Writer, r *Result) error { return encodeDelimited(w, r, '\t') },
	"nquads": func(w io.Writer, r *Result) error { return encodeGraph(w, r, "nquads") },
	"jsonld": func(w io.Writer, r *Result) error { return encodeGraph(w, r, "jsonld") },
}

// NeedsEvidence reports whether a result format writes the evidence of the
// rows rather than the rows: the graph-shaped formats, N-Quads and JSON-LD,
// write the quads that state the facts the rows rest on.
func NeedsEvidence(name string) bool {
	f, ok := format.Lookup(name, format.Rows)
	return ok && f.Can(format.Export)
}

// encodeGraph writes the subgraph behind a result: every quad that states a
// fact of a row's evidence, once, with its label.
func encodeGraph(w io.Writer, res *Result, name string) error {
	if !res.Evidence {
		return errs.Errorf(errs.Invalid, "format %s writes the facts behind the rows: run the query with evidence", name)
	}
	f, _ := format.Lookup(name, format.Rows)
	qw := quad.FormatByName(f.Cayley).Writer(w)
	seen := map[quad.Quad]bool{}
	for _, row := range res.Rows {
		for _, f := range row.Evidence {
			for _, st := range f.Statements {
				q := quad.Quad{Subject: f.Subject, Predicate: f.Predicate, Object: f.Object, Label: st.Label}
				if seen[q] {
					continue
				}
				seen[q] = true
				if _, err := qw.WriteQuads([]quad.Quad{graph.Portable(q)}); err != nil {
					return err
				}
			}
		}
	}
	return qw.Close()
}

// Formats lists the result format names, in the order of the format table.
func Formats() []string { return format.Names(format.Rows) }

// EncoderFor returns the encoder of the named result format (or an alias).
func EncoderFor(name string) (Encoder, error) {
	if f, ok := format.Lookup(name, format.Rows); ok {
		return encoders[f.Name], nil
	}
	return nil, errs.Errorf(errs.Invalid, "unknown output format %q (known: %s)", name, strings.Join(Formats(), ", "))
}

// Header returns the flat column names of res: every node column c becomes c
// (the node's name) and c_iri (its compact IRI).
func (res *Result) Header() []string {
	var h []string
	for i, c := range res.Columns {
		h = append(h, c)
		if res.nodeColumn(i) {
			h = append(h, c+"_iri")
		}
	}
	return h
}

// nodeColumn reports whether column i holds a node in any row. It is worked
// out once per result: encoders ask for every cell.
func (res *Result) nodeColumn(i int) bool {
	if res.nodeCols == nil {
		res.nodeCols = make([]bool, len(res.Columns))
		for j := range res.Columns {
			res.nodeCols[j] = res.anyNode(j)
		}
	}
	return res.nodeCols[i]
}

func (res *Result) anyNode(i int) bool {
	for _, r := range res.Rows {
		if r.Cells[i].IsNode() {
			return true
		}
	}
	return false
}

// Record returns row i as flat values aligned with Header: strings for names and
// IRIs, Go numbers and booleans for typed literals, JSON values as they came, and
// nil where the row binds no value.
func (res *Result) Record(i int) []any {
	row := res.Rows[i]
	var out []any
	for j, c := range row.Cells {
		node := res.nodeColumn(j)
		switch {
		case c.JSON != nil:
			out = append(out, c.JSON)
		case c.Value == nil:
			out = append(out, nil)
		case c.IsNode():
			out = append(out, c.Name)
		default:
			out = append(out, literalNative(c.Value))
		}
		if node {
			if c.IsNode() {
				out = append(out, compactValue(c.Value))
			} else {
				out = append(out, nil)
			}
		}
	}
	return out
}

func compactValue(v quad.Value) string {
	if iri, ok := v.(quad.IRI); ok {
		return graph.CompactTerm(string(iri))
	}
	return v.String()
}

func literalNative(v quad.Value) any {
	switch v := v.(type) {
	case quad.Int:
		return int64(v)
	case quad.Float:
		return float64(v)
	case quad.Bool:
		return bool(v)
	}
	return graph.Plain(v)
}

// text renders one flat value for text formats.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case map[string]any, []any:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return fmt.Sprint(v)
}

// maxTableCell is the widest a table cell gets, in characters; longer text
// (sentences, long literals) is cut with "…". Machine formats are never cut.
const maxTableCell = 80

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// EncodeTable writes an aligned table, with each row's evidence indented under
// it; cells longer than maxTableCell characters are cut (the other formats give
// them whole). An empty result prints its header and "(no rows)".
func EncodeTable(w io.Writer, res *Result) error {
	bw := bufio.NewWriter(w)
	lines := [][]string{res.Header()}
	for i := range res.Rows {
		rec := res.Record(i)
		cells := make([]string, len(rec))
		for j, v := range rec {
			cells[j] = clip(text(v), maxTableCell)
		}
		lines = append(lines, cells)
	}
	widths := make([]int, len(lines[0]))
	for _, l := range lines {
		for j, c := range l {
			widths[j] = max(widths[j], utf8.RuneCountInString(c))
		}
	}
	for i, l := range lines {
		for j, c := range l {
			if j == len(l)-1 {
				bw.WriteString(c)
				break
			}
			bw.WriteString(c)
			bw.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(c)+2))
		}
		bw.WriteByte('\n')
		if i > 0 && res.Evidence {
			writeEvidenceText(bw, res.Rows[i-1].Evidence)
		}
	}
	if len(res.Rows) == 0 {
		bw.WriteString("(no rows)\n")
	}
	return bw.Flush()
}

// jsonRow is the JSON form of one row of res.
func (res *Result) jsonRow(i int) map[string]any {
	return RowJSON(res.Columns, res.Rows[i], res.Evidence)
}

// RowJSON is the JSON object of one row, as the JSON and NDJSON formats write
// it: each column c holds the node's name or the literal's value (null where
// the row binds none), c_iri the compact IRI when c holds a node, and
// "evidence" the facts behind the row when evidence was asked for. It depends
// on the row alone, so rows can be written as they come (see Stream).
func RowJSON(cols []string, row Row, evidence bool) map[string]any {
	m := make(map[string]any, 2*len(cols)+1)
	for j, c := range cols {
		cell := row.Cells[j]
		switch {
		case cell.JSON != nil:
			m[c] = cell.JSON
		case cell.Value == nil:
			m[c] = nil
		case cell.IsNode():
			m[c] = cell.Name
			m[c+"_iri"] = compactValue(cell.Value)
		default:
			m[c] = literalNative(cell.Value)
		}
	}
	if evidence {
		m["evidence"] = evidenceJSON(row.Evidence)
	}
	return m
}

// EncodeJSON writes {"columns", "rows", "truncated", "limit", "elapsed_ms", "prefixes"}.
func EncodeJSON(w io.Writer, res *Result) error {
	rows := make([]map[string]any, len(res.Rows))
	for i := range res.Rows {
		rows[i] = res.jsonRow(i)
	}
	out := map[string]any{
		"lang":       res.Lang,
		"columns":    res.Header(),
		"rows":       rows,
		"truncated":  res.Truncated,
		"limit":      res.Limit,
		"elapsed_ms": float64(res.Elapsed.Microseconds()) / 1000,
		"prefixes":   graph.PrefixMap(),
	}
	if len(res.Warnings) > 0 {
		out["warnings"] = res.Warnings
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// EncodeNDJSON writes one JSON object per row.
func EncodeNDJSON(w io.Writer, res *Result) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for i := range res.Rows {
		if err := enc.Encode(res.jsonRow(i)); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func encodeDelimited(w io.Writer, res *Result, comma rune) error {
	cw := csv.NewWriter(w)
	cw.Comma = comma
	header := res.Header()
	if res.Evidence {
		header = append(header, evidenceColumns...)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range res.Rows {
		rec := res.Record(i)
		cells := make([]string, len(rec), len(header))
		for j, v := range rec {
			cells[j] = text(v)
		}
		if res.Evidence {
			cells = append(cells, evidenceCells(res.Rows[i].Evidence)...)
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
