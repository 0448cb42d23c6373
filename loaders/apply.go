package loaders

import (
	"context"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
)

// Stats reports what a load did.
type Stats struct {
	Read       int // quads read from the sources
	Added      int // quads new to the store
	Duplicates int // quads skipped: already stored, or repeated in the input
}

// BatchDeduper is implemented by stores whose ApplyDeltas, with IgnoreDup,
// stores a quad that repeats within one batch once (the compact store). Apply
// leaves repeats to them; for other stores, such as Cayley's kv backends, which
// would index such a quad twice, it removes the repeats first.
type BatchDeduper interface {
	DedupsWithinBatch() bool
}

// BulkLoader is implemented by stores with a path for loads faster than
// ApplyDeltas (graph/pg copies with COPY). LoadQuads adds quads in one
// transaction, all or none, skips quads already stored and repeats within
// quads, and returns how many it added. Apply hands loads to it whole.
type BulkLoader interface {
	LoadQuads(ctx context.Context, quads []quad.Quad) (added int, err error)
}

// Apply adds quads to qs in a single batch: the store gets all of them or, on
// error, none. It first resolves the Names a CSV or TSV file gave
// (ResolveNames). Quads the store already holds, and repeats within quads, are
// skipped and counted as duplicates. On a graph.BatchApplier (the compact and
// disk stores) several Applys may run at once; on other backends the caller
// keeps other writers out, as the counts are the store's before and after.
func Apply(ctx context.Context, qs cgraph.QuadStore, quads []quad.Quad) (Stats, error) {
	st := Stats{Read: len(quads)}
	inner := qs
	if s, ok := qs.(*graph.Store); ok {
		inner = s.QuadStore
	}
	quads, err := ResolveNames(ctx, qs, quads)
	if err != nil {
		return st, err
	}
	for i, q := range quads {
		if !q.IsValid() {
			return st, fmt.Errorf("load: quad %d (%s) lacks a subject, predicate or object", i+1, q)
		}
	}
	if bl, ok := inner.(BulkLoader); ok {
		added, err := bl.LoadQuads(ctx, quads)
		if err != nil {
			return st, fmt.Errorf("load: %w", err)
		}
		st.Added = added
		st.Duplicates = st.Read - added
		return st, nil
	}
	var seen map[quad.Quad]struct{}
	if d, ok := inner.(BatchDeduper); !ok || !d.DedupsWithinBatch() {
		seen = make(map[quad.Quad]struct{}, len(quads))
	}
	deltas := make([]cgraph.Delta, 0, len(quads))
	for _, q := range quads {
		if seen != nil {
			if _, dup := seen[q]; dup {
				continue
			}
			seen[q] = struct{}{}
		}
		deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Add})
	}
	seen = nil // let the collector have it before the store grows
	if err := ctx.Err(); err != nil {
		return st, err
	}
	if len(deltas) > 0 {
		added, _, err := graph.ApplyBatch(ctx, qs, deltas, cgraph.IgnoreOpts{IgnoreDup: true})
		if err != nil {
			return st, fmt.Errorf("load: %w", err)
		}
		st.Added = added
	}
	st.Duplicates = st.Read - st.Added
	return st, nil
}
