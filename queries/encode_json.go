package queries

import (
	"bufio"
	"bytes"
	"io"

	"github.com/factgraph/factgraph/graph"
)

// The JSON forms of results, rows and evidence, as the JSON and NDJSON
// formats, the HTTP API and the web page read them.

// ResultJSON is a whole result as the JSON format writes it.
type ResultJSON struct {
	Lang      string            `json:"lang"`
	Columns   []string          `json:"columns"` // the flat header: c, and c_iri for node columns
	Rows      []RowJSON         `json:"rows"`
	Truncated bool              `json:"truncated"`
	Limit     int               `json:"limit"`
	ElapsedMS float64           `json:"elapsed_ms"`
	Prefixes  map[string]string `json:"prefixes"`
	Warnings  []string          `json:"warnings,omitempty"`
}

// RowJSON is one row: for each column c, c holds the node's name or the
// literal's value (null where the row binds none) and c_iri the compact IRI
// when c holds a node; then "evidence", the facts behind the row, when
// evidence was asked for. Its keys keep the order of the columns.
type RowJSON struct {
	Fields   []FieldJSON
	Evidence []FactJSON // nil: evidence not asked for
	evidence bool
}

// FieldJSON is one key of a row and its value.
type FieldJSON struct {
	Key   string
	Value any
}

// MarshalJSON writes the row as one object, keys in column order.
func (r RowJSON) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	write := func(k string, v any) error {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		kb, _ := marshalText(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := marshalText(v)
		b.Write(vb)
		return err
	}
	for _, f := range r.Fields {
		if err := write(f.Key, f.Value); err != nil {
			return nil, err
		}
	}
	if r.evidence {
		ev := r.Evidence
		if ev == nil {
			ev = []FactJSON{}
		}
		if err := write("evidence", ev); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// FactJSON is one fact of a row's evidence.
type FactJSON struct {
	Subject     string          `json:"subject"`
	SubjectName string          `json:"subject_name,omitempty"` // the subject's display name
	Predicate   string          `json:"predicate"`
	Object      string          `json:"object"`
	ObjectName  string          `json:"object_name,omitempty"` // a node object's display name
	Statements  []StatementJSON `json:"statements"`
}

// StatementJSON is one quad stating a fact: its label (null for none) and,
// when the label is a sentence, the sentence, its position and document, and
// the document's source and date.
type StatementJSON struct {
	Label    *string `json:"label"`
	Sentence string  `json:"sentence,omitempty"`
	Position int     `json:"position,omitempty"`
	Document string  `json:"document,omitempty"`
	Source   string  `json:"source,omitempty"`
	Date     string  `json:"date,omitempty"`
}

// FactsJSON returns the JSON form of facts.
func FactsJSON(facts []Fact) []FactJSON {
	out := make([]FactJSON, 0, len(facts))
	for _, f := range facts {
		fj := FactJSON{
			Subject: compactValue(f.Subject), SubjectName: f.SubjectName,
			Predicate: compactValue(f.Predicate),
			Object:    compactValue(f.Object), ObjectName: f.ObjectName,
			Statements: make([]StatementJSON, 0, len(f.Statements)),
		}
		for _, st := range f.Statements {
			sj := StatementJSON{Sentence: st.Sentence, Source: st.Source, Date: st.Date}
			if st.Label != nil {
				l := compactValue(st.Label)
				sj.Label = &l
			}
			if st.Sentence != "" {
				sj.Position = st.Position
			}
			if st.Document != nil {
				sj.Document = compactValue(st.Document)
			}
			fj.Statements = append(fj.Statements, sj)
		}
		out = append(out, fj)
	}
	return out
}

// RowToJSON is the JSON form of one row. It depends on the row alone, so rows
// can be written as they come (see Stream).
func RowToJSON(cols []string, row Row, evidence bool) RowJSON {
	r := RowJSON{Fields: make([]FieldJSON, 0, 2*len(cols)), evidence: evidence}
	for j, c := range cols {
		cell := row.Cells[j]
		switch {
		case cell.JSON != nil:
			r.Fields = append(r.Fields, FieldJSON{c, cell.JSON})
		case cell.Value == nil:
			r.Fields = append(r.Fields, FieldJSON{c, nil})
		case cell.IsNode():
			r.Fields = append(r.Fields, FieldJSON{c, cell.Name}, FieldJSON{c + "_iri", compactValue(cell.Value)})
		default:
			r.Fields = append(r.Fields, FieldJSON{c, literalNative(cell.Value)})
		}
	}
	if evidence {
		r.Evidence = FactsJSON(row.Evidence)
	}
	return r
}

// EncodeJSON writes the result as one ResultJSON object.
func EncodeJSON(w io.Writer, res *Result) error {
	out := ResultJSON{
		Lang: res.Lang, Columns: res.Header(), Rows: make([]RowJSON, len(res.Rows)),
		Truncated: res.Truncated, Limit: res.Limit,
		ElapsedMS: float64(res.Elapsed.Microseconds()) / 1000,
		Prefixes:  graph.PrefixMap(), Warnings: res.Warnings,
	}
	for i, row := range res.Rows {
		out.Rows[i] = RowToJSON(res.Columns, row, res.Evidence)
	}
	enc := NewJSONEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// EncodeNDJSON writes one RowJSON object per line.
func EncodeNDJSON(w io.Writer, res *Result) error {
	bw := bufio.NewWriter(w)
	enc := NewJSONEncoder(bw)
	for _, row := range res.Rows {
		if err := enc.Encode(RowToJSON(res.Columns, row, res.Evidence)); err != nil {
			return err
		}
	}
	return bw.Flush()
}
