package queries

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

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
		b, _ := marshalText(v)
		return string(b)
	}
	return fmt.Sprint(v)
}

// NewJSONEncoder returns the JSON encoder of every output of factgraph: it
// leaves <, > and & as they are (json.Encoder escapes them so that JSON is
// safe inside HTML), since IRIs are written <...> and the JSON goes to
// terminals, files and API clients, not into pages.
func NewJSONEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// marshalText is json.Marshal as NewJSONEncoder writes.
func marshalText(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := NewJSONEncoder(&b).Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
