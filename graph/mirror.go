package graph

import (
	"context"
	"errors"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"
)

// Mirror is a persistent store with a copy of its quads in memory: every read
// is served by the copy, every write goes to the persistent store first (so
// that nothing it acknowledges is lost) and then to the copy. A server of a
// bolt store reads at the speed of the memory store this way, for memory
// about the size of the data.
type Mirror struct {
	MemoryStore                  // the copy, which serves reads
	primary     cgraph.QuadStore // the persistent store
}

// MemoryStore is a store that holds the copy: a quad store with its own shape
// optimizer, which reads through the mirror keep (the compact store is one).
type MemoryStore interface {
	cgraph.QuadStore
	shape.Optimizer
}

// NewMirror copies every quad of primary into mem (an empty memory store) and
// returns the two as one store, under primary's URL and backend.
func NewMirror(ctx context.Context, primary *Store, mem MemoryStore) (*Store, error) {
	const batch = 10000
	var deltas []cgraph.Delta
	flush := func() error {
		err := mem.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true})
		deltas = deltas[:0]
		return err
	}
	err := iterator.Iterate(ctx, primary.QuadsAllIterator()).Each(func(r cgraph.Ref) error {
		q, err := primary.Quad(r)
		if err != nil {
			return err
		}
		if deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Add}); len(deltas) == batch {
			return flush()
		}
		return nil
	})
	if err == nil && len(deltas) > 0 {
		err = flush()
	}
	if err != nil {
		return nil, fmt.Errorf("copy %s into memory: %w", primary.URL, err)
	}
	return &Store{QuadStore: &Mirror{MemoryStore: mem, primary: primary.QuadStore},
		URL: primary.URL, Backend: primary.Backend, Address: primary.Address}, nil
}

// The copy's shape optimizer plans the reads (Cayley finds it by this
// interface; without it a mirror reads several times slower).
var _ shape.Optimizer = (*Mirror)(nil)

// ApplyDeltas applies in to the persistent store, then to the copy.
func (m *Mirror) ApplyDeltas(in []cgraph.Delta, opts cgraph.IgnoreOpts) error {
	if err := m.primary.ApplyDeltas(in, opts); err != nil {
		return err
	}
	if err := m.MemoryStore.ApplyDeltas(in, opts); err != nil {
		// The persistent store has the batch: reads would miss it.
		return fmt.Errorf("memory copy behind the store after a write (restart to reload it): %w", err)
	}
	return nil
}

// DedupsWithinBatch reports false: the persistent store may index a quad
// repeated within a batch twice (see loaders.BatchDeduper), whatever the
// copy does.
func (m *Mirror) DedupsWithinBatch() bool { return false }

// errMirrorWriter is NewQuadWriter's answer: writes go through ApplyDeltas.
var errMirrorWriter = errors.New("a mirrored store takes writes as batches (ApplyDeltas), not through a quad writer")

// NewQuadWriter implements cgraph.QuadStore.
func (m *Mirror) NewQuadWriter() (quad.WriteCloser, error) { return nil, errMirrorWriter }

// Close closes the copy and the persistent store.
func (m *Mirror) Close() error {
	return errors.Join(m.MemoryStore.Close(), m.primary.Close())
}
