package queries

import (
	"io"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/graph/format"
)

// encodeGraph writes the subgraph behind a result: every quad that states a
// fact of a row's evidence, once, with its label.
func encodeGraph(w io.Writer, res *Result, name string) error {
	if !res.Evidence {
		return errs.Errorf(errs.Invalid, "format %s writes the facts behind the rows: run the query with evidence", name)
	}
	f, _ := format.Lookup(name, format.Rows)
	qw := graph.PortableWriter(quad.FormatByName(f.Cayley), w)
	seen := map[quad.Quad]bool{}
	for _, row := range res.Rows {
		for _, f := range row.Evidence {
			for _, st := range f.Statements {
				q := quad.Quad{Subject: f.Subject, Predicate: f.Predicate, Object: f.Object, Label: st.Label}
				if seen[q] {
					continue
				}
				seen[q] = true
				if err := qw.WriteQuad(q); err != nil {
					return err
				}
			}
		}
	}
	return qw.Close()
}
