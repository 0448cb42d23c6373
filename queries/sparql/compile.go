package sparql

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/queries/sparql/eval"
	"github.com/factgraph/factgraph/queries/sparql/parser"
)

// Options control how a query is compiled.
type Options struct {
	// From and FromNamed replace the query's FROM and FROM NAMED (the
	// protocol's default-graph-uri and named-graph-uri).
	From, FromNamed []string
	// Evidence makes solutions record the quads they matched.
	Evidence bool
	// MaxPathDepth bounds the closures * and + (0: none).
	MaxPathDepth int
	// Warn hears of limits that cut an answer.
	Warn func(string)
}

// Compile parses a query and plans it on qs. Syntax errors are *errs.Error
// values with code invalid and the line and column of the error.
func Compile(ctx context.Context, qs cgraph.QuadStore, text string, opt Options) (*eval.Plan, error) {
	q, err := parser.Parse(text, parser.Options{Prefixes: Prefixes()})
	if err != nil {
		return nil, err
	}
	return eval.Prepare(ctx, qs, q, eval.Options{
		Dataset:      eval.Dataset{Default: eval.UnionGraph, From: opt.From, FromNamed: opt.FromNamed},
		Evidence:     opt.Evidence,
		MaxPathDepth: opt.MaxPathDepth,
		Warn:         opt.Warn,
	})
}

// Prefixes are the prefixes every query may use undeclared: factgraph's own
// (fg:, schema:, rdf:, rdfs:, xsd:). A query's PREFIX may rebind them.
func Prefixes() map[string]string {
	m := make(map[string]string, len(graph.Prefixes))
	for _, p := range graph.Prefixes {
		m[p.Name] = p.IRI
	}
	return m
}
