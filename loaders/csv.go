package loaders

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
)

// CSVColumns names the header columns that hold each part of a quad. Empty
// fields take the defaults: a column named like the part (subject, predicate,
// object, label) or one of its common synonyms (s/p/o, from/relation/to,
// graph, context, sentence...), ignoring case. Label is optional.
type CSVColumns struct {
	Subject, Predicate, Object, Label string
}

var columnSynonyms = [4][]string{
	{"subject", "s", "from", "source_node", "head"},
	{"predicate", "p", "relation", "rel", "property"},
	{"object", "o", "to", "value", "tail"},
	{"label", "graph", "g", "context", "sentence", "evidence"},
}

// ParseCSVColumns parses "subject=Entity,predicate=Relation,object=Value,label=Sentence".
func ParseCSVColumns(s string) (CSVColumns, error) {
	var c CSVColumns
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok || v == "" {
			return c, fmt.Errorf("column mapping %q: expected PART=COLUMN", kv)
		}
		switch strings.ToLower(k) {
		case "subject":
			c.Subject = v
		case "predicate":
			c.Predicate = v
		case "object":
			c.Object = v
		case "label":
			c.Label = v
		default:
			return c, fmt.Errorf("column mapping %q: expected subject, predicate, object or label, found %q", kv, k)
		}
	}
	return c, nil
}

// CSVReader reads quads from CSV or TSV with a header row. Subjects,
// predicates and objects are terms (see ParseTerm) or plain names of nodes
// and predicates, which it returns as Names for ResolveNames (Apply calls
// it); an object that names no node stays a plain string. Labels are IRIs or
// blank nodes.
type CSVReader struct {
	name   string
	r      *csv.Reader
	idx    [4]int // column of subject, predicate, object, label (-1: none)
	fields int    // fields of the header row
	g      *guard // the source's guard, if it has one
	err    error
}

// NewCSVReader returns a reader of r with the given separator (',' or '\t').
func NewCSVReader(name string, r io.Reader, comma rune, cols CSVColumns) *CSVReader {
	cr := csv.NewReader(r)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if comma == '\t' {
		cr.LazyQuotes = true
	}
	d := &CSVReader{name: name, r: cr}
	d.g, _ = r.(*guard)
	d.err = d.header(cols)
	return d
}

func (d *CSVReader) header(cols CSVColumns) error {
	head, err := d.r.Read()
	if err == io.EOF {
		return &errs.Error{Code: errs.Invalid, File: d.name, Line: 1, Column: 1, Message: "expected a header row (subject,predicate,object[,label]), found end of file"}
	}
	if err != nil {
		return d.csvError(err)
	}
	if line, _ := d.r.FieldPos(len(head) - 1); d.g.cut(line) != nil {
		return d.g.err
	}
	d.fields = len(head)
	lower := make([]string, len(head))
	for i, h := range head {
		lower[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	}
	wanted := [4]string{cols.Subject, cols.Predicate, cols.Object, cols.Label}
	parts := [4]string{"subject", "predicate", "object", "label"}
	for i := range d.idx {
		d.idx[i] = -1
		names := columnSynonyms[i]
		if wanted[i] != "" {
			names = []string{strings.ToLower(wanted[i])}
		}
		for _, n := range names {
			if j := slices.Index(lower, n); j >= 0 {
				d.idx[i] = j
				break
			}
		}
		if d.idx[i] < 0 && (i < 3 || wanted[i] != "") {
			return &errs.Error{Code: errs.Invalid, File: d.name, Line: 1, Column: 1, Message: fmt.Sprintf("expected the %s column (%s) in the header, found %s",
				parts[i], strings.Join(names, ", "), excerpt(strings.Join(head, string(d.r.Comma))))}
		}
	}
	// A column that is no part of a quad would be dropped, cells and all.
	for j, h := range head {
		if !slices.Contains(d.idx[:], j) {
			line, col := d.r.FieldPos(j)
			return &errs.Error{Code: errs.Invalid, File: d.name, Line: line, Column: col, Message: fmt.Sprintf(
				"header column %d %s is none of subject, predicate, object and label (or is one of them twice): its cells would be lost; remove the column, or name the parts' columns with --columns",
				j+1, excerpt(strings.TrimSpace(h)))}
		}
	}
	return nil
}

func (d *CSVReader) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if cut := d.g.cut(pe.Line); cut != nil {
			return cut
		}
		return &errs.Error{Code: errs.Invalid, File: d.name, Line: pe.Line, Column: pe.Column, Message: pe.Err.Error()}
	}
	return err
}

// ReadQuad returns the next quad, io.EOF at the end, or an *errs.Error.
func (d *CSVReader) ReadQuad() (quad.Quad, error) {
	if d.err != nil {
		err := d.err
		if _, ok := err.(*errs.Error); ok {
			d.err = io.EOF // a header error is reported once
		}
		return quad.Quad{}, err
	}
	for {
		rec, err := d.r.Read()
		if err == io.EOF {
			return quad.Quad{}, io.EOF
		}
		if err != nil {
			return quad.Quad{}, d.csvError(err)
		}
		if line, _ := d.r.FieldPos(len(rec) - 1); d.g.cut(line) != nil {
			return quad.Quad{}, d.g.err
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) > d.fields {
			line, col := d.r.FieldPos(d.fields)
			return quad.Quad{}, &errs.Error{Code: errs.Invalid, File: d.name, Line: line, Column: col,
				Message: fmt.Sprintf("expected at most %d fields, as the header has, found %d (quote a field that holds the separator)", d.fields, len(rec))}
		}
		var vals [4]quad.Value
		for i, j := range d.idx {
			if j < 0 {
				continue
			}
			line, col := d.r.FieldPos(min(j, len(rec)-1))
			if j >= len(rec) {
				return quad.Quad{}, &errs.Error{Code: errs.Invalid, File: d.name, Line: line, Column: col, Message: fmt.Sprintf("expected %d fields, found %d", j+1, len(rec))}
			}
			cell := strings.TrimSpace(rec[j])
			if cell == "" && i == 3 {
				continue // no label
			}
			v, err := d.term(cell, i, vals[1], line, col)
			if err != nil {
				return quad.Quad{}, &errs.Error{Code: errs.Invalid, File: d.name, Line: line, Column: col, Message: fmt.Sprintf("%s: %v", [4]string{"subject", "predicate", "object", "label"}[i], err)}
			}
			vals[i] = v
		}
		return quad.Quad{Subject: vals[0], Predicate: vals[1], Object: vals[2], Label: vals[3]}, nil
	}
}

// term reads the cell of part i (subject, predicate, object, label) of a
// quad of predicate pred: a term (see ParseTerm) or, but for labels, a Name
// to resolve. Plain text in an object stays a string unless pred is a Name or
// a predicate whose objects are nodes (see ResolveNames).
func (d *CSVReader) term(cell string, i int, pred quad.Value, line, col int) (quad.Value, error) {
	if i == 3 {
		return ParseTerm(cell, false)
	}
	v, bare, err := parseTerm(cell, i == 2)
	if err != nil || !bare {
		return v, err
	}
	if _, named := pred.(Name); i == 2 && !named && pred != graph.Type && objectsOf(pred) == graph.LiteralRange {
		return v, nil
	}
	if strings.ContainsAny(cell, "<>\"{}|^`\\") {
		// No name: a term written wrong (<urn:a"b>).
		return ParseTerm(cell, i == 2)
	}
	return Name{Text: cell, Literal: i == 2, File: d.name, Line: line, Column: col}, nil
}

// Close implements quad.ReadCloser.
func (d *CSVReader) Close() error { return nil }

func init() {
	for _, f := range []struct {
		name, ext, mime string
		comma           rune
	}{{"csv", ".csv", "text/csv", ','}, {"tsv", ".tsv", "text/tab-separated-values", '\t'}} {
		comma := f.comma
		quad.RegisterFormat(quad.Format{
			Name: f.name, Ext: []string{f.ext}, Mime: []string{f.mime},
			Reader: func(r io.Reader) quad.ReadCloser { return NewCSVReader("", r, comma, CSVColumns{}) },
		})
	}
}
