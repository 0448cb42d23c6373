package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/queries"
	"github.com/factgraph/factgraph/queries/sparql"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
	"github.com/factgraph/factgraph/queries/sparql/parser"
)

// sparqlForm returns the form of a SPARQL query, and ok false for other
// languages and for text that does not parse (its error comes from the run).
func sparqlForm(lang, text string) (algebra.Form, bool) {
	if lang != sparql.Name {
		return 0, false
	}
	q, err := parser.Parse(text, parser.Options{Prefixes: sparql.Prefixes()})
	if err != nil {
		return 0, false
	}
	return q.Form, true
}

// graphFormats are the output formats of CONSTRUCT and DESCRIBE.
var graphFormats = []string{"ntriples", "nquads", "turtle"}

// encoderFor returns the encoder of a format for a query: for SPARQL's ASK,
// CONSTRUCT and DESCRIBE, whose answers are no tables, one that prints them
// (answer is then true: the rows' evidence is not what they print).
func encoderFor(lang, text, format string) (enc queries.Encoder, answer bool, err error) {
	form, ok := sparqlForm(lang, text)
	if !ok || form == algebra.Select {
		enc, err = queries.EncoderFor(format)
		return enc, false, err
	}
	if err := sparqlOutput(form, format); err != nil {
		return nil, true, err
	}
	return func(w io.Writer, res *queries.Result) error { return writeSPARQL(w, form, format, res) }, true, nil
}

// sparqlOutput checks a format for a query form: SELECT takes every format,
// ASK prints true or false, CONSTRUCT and DESCRIBE print triples (table
// means N-Triples).
func sparqlOutput(form algebra.Form, format string) error {
	if form != algebra.Construct && form != algebra.Describe {
		return nil
	}
	if format == "table" {
		return nil
	}
	for _, f := range graphFormats {
		if f == format {
			return nil
		}
	}
	return errs.Errorf(errs.Invalid, "%s writes triples: use --format %s", form, strings.Join(graphFormats, ", "))
}

// writeSPARQL prints the answer of an ASK (true or false) or of a CONSTRUCT
// or DESCRIBE (its triples).
func writeSPARQL(w io.Writer, form algebra.Form, format string, res *queries.Result) error {
	if form == algebra.Ask {
		ans := "false"
		if len(res.Rows) == 1 && res.Rows[0].Cells[0].Name == "true" {
			ans = "true"
		}
		_, err := fmt.Fprintln(w, ans)
		return err
	}
	var qw quad.WriteCloser
	if format == "turtle" {
		qw = quad.FormatByName("turtle").Writer(w)
	} else {
		qw = quad.FormatByName("nquads").Writer(w)
	}
	for _, r := range res.Rows {
		q := quad.Quad{Subject: r.Cells[0].Value, Predicate: r.Cells[1].Value, Object: r.Cells[2].Value}
		if _, err := qw.WriteQuads([]quad.Quad{graph.Portable(q)}); err != nil {
			return err
		}
	}
	return qw.Close()
}

// sparqlIncomplete reports SPARQL text the REPL should wait for more of: a
// prologue or form without its group yet.
func sparqlIncomplete(text string) bool {
	t := strings.ToUpper(strings.TrimSpace(text))
	return !strings.Contains(t, "{") && !strings.HasPrefix(t, "DESCRIBE") && !strings.Contains(t, "\nDESCRIBE")
}
