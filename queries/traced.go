package queries

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// TracedRow is one result as a language that knows its own execution returns
// it from a query.Raw iterator: its cells, and the quads the running plan
// matched to produce it, which are its evidence.
type TracedRow struct {
	// Tags are the row's cells that are nodes or literals of the store.
	Tags map[string]cgraph.Ref
	// Values are cells the language computed, which the store need not hold
	// (SPARQL's BIND and aggregates); a column is in Tags or in Values.
	Values map[string]quad.Value
	// Quads are the quads the plan matched to produce the row, on every path
	// that yields it, labels included; set only when EvidenceWanted(ctx).
	Quads []quad.Quad

	Paths []map[string]cgraph.Ref // the tags of every path that yielded the row
	Hops  []Hop                   // the query's steps, shared by all rows
}

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
