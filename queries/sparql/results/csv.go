package results

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/rdfsyntax"
)

// CSVWriter streams SELECT results as CSV (values only: IRIs bare, literals
// by their text, blank nodes as _:label) or TSV (terms as in Turtle).
type CSVWriter struct {
	w    io.Writer
	cw   *csv.Writer
	vars []string
	err  error
}

// NewCSVWriter writes the header; tsv picks TSV.
func NewCSVWriter(w io.Writer, vars []string, tsv bool) *CSVWriter {
	c := &CSVWriter{w: w, vars: vars}
	if tsv {
		hdr := make([]string, len(vars))
		for i, v := range vars {
			hdr[i] = "?" + v
		}
		_, c.err = io.WriteString(w, strings.Join(hdr, "\t")+"\n")
		return c
	}
	c.cw = csv.NewWriter(w)
	c.cw.UseCRLF = true
	c.err = c.cw.Write(vars)
	return c
}

// Write writes one solution.
func (c *CSVWriter) Write(r Row) error {
	if c.err != nil {
		return c.err
	}
	cells := make([]string, len(c.vars))
	for i, v := range c.vars {
		val, ok := r[v]
		if !ok || val == nil {
			continue
		}
		if c.cw == nil {
			cells[i] = val.String()
			continue
		}
		switch x := val.(type) {
		case quad.IRI:
			cells[i] = string(x)
		case quad.BNode:
			cells[i] = "_:" + string(x)
		case quad.String:
			cells[i] = string(x)
		case quad.LangString:
			cells[i] = string(x.Value)
		case quad.TypedString:
			cells[i] = string(x.Value)
		default:
			cells[i] = val.String()
		}
	}
	if c.cw != nil {
		c.err = c.cw.Write(cells)
		return c.err
	}
	_, c.err = io.WriteString(c.w, strings.Join(cells, "\t")+"\n")
	return c.err
}

// Close flushes the writer.
func (c *CSVWriter) Close() error {
	if c.cw != nil {
		c.cw.Flush()
		if c.err == nil {
			c.err = c.cw.Error()
		}
	}
	return c.err
}

// ReadTSV reads TSV results, whose cells are terms in Turtle syntax.
func ReadTSV(r io.Reader) (*Set, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<24)
	s := &Set{}
	first := true
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if first {
			first = false
			for _, v := range strings.Split(line, "\t") {
				s.Vars = append(s.Vars, strings.TrimPrefix(strings.TrimPrefix(v, "?"), "$"))
			}
			continue
		}
		if line == "" && len(s.Vars) == 0 {
			continue
		}
		row := Row{}
		for i, cell := range strings.Split(line, "\t") {
			if i >= len(s.Vars) || cell == "" {
				continue
			}
			v, err := ParseTerm(cell)
			if err != nil {
				return nil, err
			}
			row[s.Vars[i]] = v
		}
		s.Rows = append(s.Rows, row)
	}
	return s, sc.Err()
}

// ReadCSV reads CSV results. CSV loses the kinds of terms: a cell that is an
// absolute IRI is taken as one, _:x as a blank node, anything else as a
// plain literal.
func ReadCSV(r io.Reader) (*Set, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	s := &Set{}
	for i, rec := range recs {
		if i == 0 {
			s.Vars = rec
			continue
		}
		row := Row{}
		for j, cell := range rec {
			if j >= len(s.Vars) || cell == "" {
				continue
			}
			switch {
			case strings.HasPrefix(cell, "_:"):
				row[s.Vars[j]] = quad.BNode(cell[2:])
			case strings.Contains(cell, "://") && !strings.ContainsAny(cell, " \t"):
				row[s.Vars[j]] = quad.IRI(cell)
			default:
				row[s.Vars[j]] = quad.String(cell)
			}
		}
		s.Rows = append(s.Rows, row)
	}
	return s, nil
}

// ParseTerm reads one term in Turtle syntax: <iri>, _:b, a literal or a
// number.
func ParseTerm(s string) (quad.Value, error) {
	ts := &lexTokens{l: rdfsyntax.NewLexer(s)}
	ts.Next()
	pro := rdfsyntax.Prologue{}
	switch t := ts.Tok(); t.Kind {
	case rdfsyntax.IRIRef:
		iri, _ := pro.IRI(t)
		return quad.IRI(iri), nil
	case rdfsyntax.BlankNode:
		return quad.BNode(t.Text), nil
	}
	v, err := pro.ReadLiteral(ts, "a term")
	if err != nil {
		msg := err.Msg
		if msg == "" {
			msg = "expected " + err.Expected + ", found " + err.At.Describe()
		}
		return nil, rdfsyntax.ErrorAt(s, err.At.Pos, "%s", msg)
	}
	return v, nil
}

// lexTokens reads tokens straight from a lexer.
type lexTokens struct {
	l *rdfsyntax.Lexer
	t rdfsyntax.Token
}

func (ts *lexTokens) Tok() rdfsyntax.Token { return ts.t }
func (ts *lexTokens) Next()                { ts.t = ts.l.Next() }
