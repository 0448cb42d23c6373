package queries

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/queries/trace"
)

// TracedRow is one result as queries takes it from a language: its cells, or
// one JSON value for results that are trees (GraphQL, MQL), and the quads the
// running plan matched to produce it, which are its evidence. A language that
// knows its own execution (the path language, SPARQL) returns it from a
// query.Raw iterator; an Adapter turns the results of other languages into it.
type TracedRow struct {
	// Tags are the row's cells that are nodes or literals of the store.
	// Tags starting with "_" or "$" are hidden.
	Tags map[string]cgraph.Ref
	// Values are cells the language computed, which the store need not hold
	// (SPARQL's BIND and aggregates); a column is in Tags or in Values.
	Values map[string]quad.Value
	// JSON is the row of a language whose results are trees; a row has
	// either cells or a JSON value.
	JSON any
	// Quads are the quads the plan matched to produce the row, on every path
	// that yields it, labels included (repeats allowed); set only when
	// EvidenceWanted(ctx).
	Quads []quad.Quad
}

// isJSON reports a row that is one JSON value rather than cells.
func (r *TracedRow) isJSON() bool { return r.Tags == nil && r.Values == nil }

type evidenceKey struct{}

// WithEvidence tells a language that rows must carry their evidence: every
// quad the plan matched to produce each row, on every path that yields it. A
// language may then hand a row out only once it has seen all of its paths.
func WithEvidence(ctx context.Context) context.Context {
	return context.WithValue(ctx, evidenceKey{}, true)
}

// EvidenceWanted reports whether rows must carry their evidence (see
// WithEvidence). Languages that yield rows distinct on their columns may
// otherwise hand each row out as soon as they see it.
func EvidenceWanted(ctx context.Context) bool {
	b, _ := ctx.Value(evidenceKey{}).(bool)
	return b
}

// An Adapter turns what the iterator of a language yields into a row, for
// languages whose results are not *TracedRow values (Cayley's own). It
// returns nil for results that are not rows (Gizmo's meta results). qs is the
// store the query ran on: a *trace.Store when evidence is wanted, whose
// recorded quads the adapter moves from the result into TracedRow.Quads.
type Adapter struct {
	Adapt func(qs cgraph.QuadStore, res any) (*TracedRow, error)
	// Record says how the language may see recorded quads: in its tags
	// (trace.InTags, the default), or not at all (trace.Aside), for languages
	// that turn every tag into part of their result.
	Record trace.Mode
}

var adapters = map[string]Adapter{}

// RegisterAdapter sets the adapter of a language's results. Packages that
// adapt a language register it in init.
func RegisterAdapter(lang string, a Adapter) { adapters[lang] = a }

// toRow turns one result of a language's iterator into a row, or nil.
func toRow(qs cgraph.QuadStore, lang string, res any) (*TracedRow, error) {
	if a, ok := adapters[lang]; ok {
		return a.Adapt(qs, res)
	}
	switch res := res.(type) {
	case nil:
		return nil, nil
	case *TracedRow:
		return res, nil
	case map[string]cgraph.Ref:
		quads, err := trace.Quads(qs, res)
		return &TracedRow{Tags: res, Quads: quads}, err
	case cgraph.Ref:
		return &TracedRow{Tags: map[string]cgraph.Ref{"id": res}}, nil
	}
	return &TracedRow{JSON: res}, nil
}
