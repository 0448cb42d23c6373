package queries

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"

	"github.com/factgraph/factgraph/graph/timeline"
)

// atDate returns the store a request runs on: qs as the documents published
// up to req.AsOf state it, or, with no date, as all of them do, each
// happening at its latest status (see graph/timeline). A store without status
// history is returned as it is.
func atDate(ctx context.Context, qs cgraph.QuadStore, req Request) (cgraph.QuadStore, error) {
	return timeline.Open(ctx, qs, req.AsOf)
}

// dateWarnings returns the warnings of the store a request ran on: the
// contradictory statuses its quads came from.
func dateWarnings(qs cgraph.QuadStore) []string {
	if v, ok := qs.(*timeline.View); ok {
		return v.Warnings()
	}
	return nil
}
