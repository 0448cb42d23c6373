package graph

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"
)

// BatchApplier is a backend whose batches need no lock of their caller:
// each batch is atomic and isolated (readers see all of it or none of it,
// and batches of several goroutines at once each see the ones before), and it
// reports its own effect. The compact and disk stores are such backends. On
// the disk store, batches that run at once share the syncs of its log.
type BatchApplier interface {
	// ApplyBatch applies deltas as ApplyDeltas does and reports how many
	// quads the batch added and deleted.
	ApplyBatch(deltas []cgraph.Delta, opts cgraph.IgnoreOpts) (added, deleted int, err error)
}

// Concurrent reports whether qs (or the backend a *Store wraps) is a
// BatchApplier, so that writers may run beside each other and beside
// queries.
func Concurrent(qs cgraph.QuadStore) bool {
	_, ok := Inner(qs).(BatchApplier)
	return ok
}

// ApplyBatch applies deltas to qs as one batch and reports how many quads it
// added and deleted. A BatchApplier counts for itself; on any other backend
// the quads are counted before and after, so the caller must keep other
// writers out meanwhile.
func ApplyBatch(ctx context.Context, qs cgraph.QuadStore, deltas []cgraph.Delta, opts cgraph.IgnoreOpts) (added, deleted int, err error) {
	if b, ok := Inner(qs).(BatchApplier); ok {
		return b.ApplyBatch(deltas, opts)
	}
	before, err := QuadCount(ctx, qs)
	if err != nil {
		return 0, 0, err
	}
	if err := qs.ApplyDeltas(deltas, opts); err != nil {
		return 0, 0, err
	}
	after, err := QuadCount(ctx, qs)
	if err != nil {
		return 0, 0, err
	}
	// Other callers' batches aside, the change is this batch's: its adds,
	// or its deletes (a batch that does both reports its net change).
	change := after - before
	if change < 0 {
		return 0, int(-change), nil
	}
	return int(change), 0, nil
}
