package pg

import (
	"context"
	"fmt"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/graph/errs"
)

// ReplicaOptions tune a memory replica.
type ReplicaOptions struct {
	// Poll is how often the replica looks for changes when no notification
	// came (a standby takes no LISTEN, and one may be lost in a failover).
	Poll time.Duration
	// Wait is how long a write through the replica waits, after PostgreSQL
	// committed it, for the replica to apply it.
	Wait time.Duration
}

// memory is what a replica answers queries from: the query side of a
// compact store, its shape optimizer included.
type memory interface {
	cgraph.QuadStore
	shape.Optimizer
}

// Replica is a compact in-memory copy of a PostgreSQL store that answers
// queries at memory speed. Writes go to PostgreSQL first; the replica applies
// every committed change, its own and those of other servers, in commit
// order, and a write returns once the replica holds it.
type Replica struct {
	memory
	primary *Store
	feed    *feed
	wait    time.Duration
}

var _ cgraph.QuadStore = (*Replica)(nil)

// NewReplica fills a memory replica of st from one COPY of its quads, in a
// snapshot that also gives the last change it includes, and starts following
// the changes after it. The replica owns st: closing it closes st.
func NewReplica(ctx context.Context, st *Store, opt ReplicaOptions) (*Replica, error) {
	if opt.Poll <= 0 {
		opt.Poll = DefaultReplicaPoll
	}
	if opt.Wait <= 0 {
		opt.Wait = DefaultReplicaWait
	}
	mem := compact.New()
	seq, err := fill(ctx, st.conn, mem)
	if err != nil {
		return nil, fmt.Errorf("fill memory replica: %w", storeError(err))
	}
	f := startFeed(st.conn, mem, seq, opt.Poll)
	return &Replica{memory: mem, primary: st, feed: f, wait: opt.Wait}, nil
}

// ApplyDeltas implements cgraph.QuadStore: the deltas are applied in
// PostgreSQL (as Store.ApplyDeltas does), then in the replica.
func (r *Replica) ApplyDeltas(deltas []cgraph.Delta, opts cgraph.IgnoreOpts) error {
	if err := r.following(); err != nil {
		return err
	}
	ctx := context.Background()
	res, err := r.primary.applyDeltas(ctx, deltas, opts)
	if err != nil {
		return err
	}
	return r.applied(ctx, res.seq)
}

// LoadQuads adds quads in PostgreSQL with COPY (as Store.LoadQuads does),
// then waits for the replica to hold them (loaders.BulkLoader).
func (r *Replica) LoadQuads(ctx context.Context, quads []quad.Quad) (int, error) {
	if err := r.following(); err != nil {
		return 0, err
	}
	res, err := r.primary.loadQuads(ctx, quads)
	if err != nil {
		return 0, err
	}
	return res.added, r.applied(ctx, res.seq)
}

// applied waits until the replica has applied change seq (none for 0).
func (r *Replica) applied(ctx context.Context, seq int64) error {
	if seq == 0 {
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, r.wait)
	defer cancel()
	err := r.feed.waitFor(wctx, seq)
	if err == nil {
		return nil
	}
	why := err.Error()
	if wctx.Err() != nil && ctx.Err() == nil {
		why = fmt.Sprintf("not within %s (replica_wait): %v", r.wait, err)
	}
	return &errs.Error{Code: errs.Unavailable, Err: err, Message: fmt.Sprintf(
		"the write was committed to PostgreSQL (change %d), but this server's memory replica has not applied it: %s", seq, why)}
}

// following refuses writes through a replica that can no longer follow
// the changes: it would never show them.
func (r *Replica) following() error {
	if err := r.feed.broken(); err != nil {
		return &errs.Error{Code: errs.Unavailable, Err: err, Message: err.Error()}
	}
	return nil
}

// NewQuadWriter implements cgraph.QuadStore: each WriteQuads is one LoadQuads.
func (r *Replica) NewQuadWriter() (quad.WriteCloser, error) { return loadWriter{r}, nil }

// Applied returns the last change the replica has applied.
func (r *Replica) Applied() int64 { return r.feed.last() }

// Close stops following changes and closes the PostgreSQL store.
func (r *Replica) Close() error {
	r.feed.stop()
	r.memory.Close()
	return r.primary.Close()
}
