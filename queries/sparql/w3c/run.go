package w3c

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
	"github.com/factgraph/factgraph/queries/sparql/eval"
	"github.com/factgraph/factgraph/queries/sparql/parser"
	"github.com/factgraph/factgraph/queries/sparql/results"
)

// Outcome is the result of one test.
type Outcome struct {
	Test   Test
	Pass   bool
	Reason string // why it failed
}

// Run runs one test; iterators is Config.Iterators.
func Run(ctx context.Context, t Test, iterators bool) Outcome {
	out := Outcome{Test: t}
	src, err := os.ReadFile(t.Query)
	if err != nil {
		out.Reason = err.Error()
		return out
	}
	q, perr := parser.Parse(string(src), parser.Options{Base: fileIRI(t.Query)})
	switch t.Kind {
	case PositiveSyntax:
		out.Pass = perr == nil
		if perr != nil {
			out.Reason = "rejected: " + perr.Error()
		}
		return out
	case NegativeSyntax:
		out.Pass = perr != nil
		if perr == nil {
			out.Reason = "accepted a query the suite says is not SPARQL"
		}
		return out
	}
	if perr != nil {
		out.Reason = "parse: " + perr.Error()
		return out
	}
	if reason := runEval(ctx, t, q, iterators); reason != "" {
		out.Reason = reason
		return out
	}
	out.Pass = true
	return out
}

// load builds a memory store with the test's data: qt:data in the default
// graph (no label), qt:graphData and the query's FROM graphs as named
// graphs, labeled by their IRIs.
func load(t Test, q *algebra.Query) (cgraph.QuadStore, error) {
	qs := compact.New()
	var all []quad.Quad
	n := 0
	add := func(file string, label quad.Value) error {
		n++
		g, err := readGraph(file, "f"+strconv.Itoa(n)+"_")
		if err != nil {
			return err
		}
		for _, x := range g {
			x.Label = label
			all = append(all, x)
		}
		return nil
	}
	for _, d := range t.Data {
		if err := add(d, nil); err != nil {
			return nil, err
		}
	}
	loaded := map[string]bool{}
	for _, g := range t.Named {
		loaded[g.Graph] = true
		if err := add(g.File, quad.IRI(g.Graph)); err != nil {
			return nil, err
		}
	}
	if q.Dataset != nil {
		for _, iri := range append(append([]string(nil), q.Dataset.Default...), q.Dataset.Named...) {
			if loaded[iri] || !strings.HasPrefix(iri, "file://") {
				continue
			}
			loaded[iri] = true
			if err := add(strings.TrimPrefix(iri, "file://"), quad.IRI(iri)); err != nil {
				return nil, err
			}
		}
	}
	deltas := make([]cgraph.Delta, len(all))
	for i, x := range all {
		deltas[i] = cgraph.Delta{Quad: x, Action: cgraph.Add}
	}
	if err := qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true}); err != nil {
		return nil, err
	}
	return qs, nil
}

func runEval(ctx context.Context, t Test, q *algebra.Query, iterators bool) string {
	qs, err := load(t, q)
	if err != nil {
		return "load data: " + err.Error()
	}
	defer qs.Close()
	pl, err := eval.Prepare(ctx, qs, q, eval.Options{Dataset: eval.Dataset{Default: eval.UnlabeledGraph}, Iterators: iterators})
	if err != nil {
		return "plan: " + err.Error()
	}
	switch q.Form {
	case algebra.Ask:
		got, err := pl.Ask(ctx)
		if err != nil {
			return "run: " + err.Error()
		}
		want, err := readExpected(t.Result)
		if err != nil {
			return "read result: " + err.Error()
		}
		if want.Boolean == nil {
			return "the expected result has no boolean"
		}
		if got != *want.Boolean {
			return fmt.Sprintf("ASK answered %t, want %t", got, *want.Boolean)
		}
		return ""
	case algebra.Construct, algebra.Describe:
		var got []quad.Quad
		if err := pl.Graph(ctx, func(x quad.Quad) bool { got = append(got, x); return true }); err != nil {
			return "run: " + err.Error()
		}
		want, err := readGraph(t.Result, "want_")
		if err != nil {
			return "read result: " + err.Error()
		}
		return sameGraph(dedupe(want), got)
	}
	got, _, err := pl.Answer(ctx, 0)
	if err != nil {
		return "run: " + err.Error()
	}
	want, err := readExpected(t.Result)
	if err != nil {
		return "read result: " + err.Error()
	}
	return SameSolutions(want.Set, got, ordered(q.Pattern) && want.ordered, t.Lax)
}

func dedupe(qs []quad.Quad) []quad.Quad {
	seen := map[quad.Quad]bool{}
	var out []quad.Quad
	for _, q := range qs {
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

// ordered reports whether a query's solutions come in an order it sets.
func ordered(p algebra.Pattern) bool {
	for {
		switch x := p.(type) {
		case *algebra.OrderBy:
			return true
		case *algebra.Slice:
			p = x.Inner
		case *algebra.Project:
			p = x.Inner
		case *algebra.Distinct:
			p = x.Inner
		case *algebra.Reduced:
			p = x.Inner
		default:
			return false
		}
	}
}

// expected is an expected result; ordered when the file gives an order
// (every format but the RDF result sets without rs:index).
type expected struct {
	*results.Set
	ordered bool
}

func readExpected(path string) (expected, error) {
	f, err := os.Open(path)
	if err != nil {
		return expected{}, err
	}
	defer f.Close()
	var s *results.Set
	switch strings.ToLower(filepath.Ext(path)) {
	case ".srx", ".xml":
		s, err = results.ReadXML(f)
	case ".srj", ".json":
		s, err = results.ReadJSON(f)
	case ".tsv":
		s, err = results.ReadTSV(f)
	case ".csv":
		s, err = results.ReadCSV(f)
	default:
		return readRDFResults(path)
	}
	if err != nil {
		return expected{}, err
	}
	return expected{Set: s, ordered: true}, nil
}

const rs = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"

// readRDFResults reads a result set written as RDF (the rs: vocabulary).
func readRDFResults(path string) (expected, error) {
	qs, err := readGraph(path, "r_")
	if err != nil {
		return expected{}, err
	}
	g := graph{}
	var set quad.Value
	for _, q := range qs {
		g[q.Subject] = append(g[q.Subject], q)
		if q.Predicate == quad.IRI(rdfN+"type") && q.Object == quad.IRI(rs+"ResultSet") {
			set = q.Subject
		}
	}
	if set == nil {
		return expected{}, errors.New("no rs:ResultSet in " + path)
	}
	s := &results.Set{}
	if b, ok := g.one(set, rs+"boolean").(quad.TypedString); ok {
		v := b.Value == "true"
		s.Boolean = &v
	}
	for _, v := range g.get(set, rs+"resultVariable") {
		if str, ok := v.(quad.String); ok {
			s.Vars = append(s.Vars, string(str))
		}
	}
	type indexed struct {
		i   int
		row results.Row
	}
	var rows []indexed
	hasIndex := false
	for _, sol := range g.get(set, rs+"solution") {
		r := results.Row{}
		for _, b := range g.get(sol, rs+"binding") {
			name, _ := g.one(b, rs+"variable").(quad.String)
			r[string(name)] = g.one(b, rs+"value")
		}
		idx := -1
		if iv, ok := g.one(sol, rs+"index").(quad.TypedString); ok {
			idx, _ = strconv.Atoi(string(iv.Value))
			hasIndex = true
		}
		rows = append(rows, indexed{idx, r})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].i < rows[b].i })
	for _, r := range rows {
		s.Rows = append(s.Rows, r.row)
	}
	return expected{Set: s, ordered: hasIndex}, nil
}
