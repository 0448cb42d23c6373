package pg

import (
	"context"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/refs"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is a quad store in PostgreSQL, in Cayley's schema. Reads are Cayley's
// SQL backend; writes are factgraph's (see the package documentation): each
// is one transaction that also records the change, so memory replicas on
// other servers can follow.
//
// Queries run as Cayley's generic iterators, each step a lookup in SQL, not
// through Cayley's SQL query compiler: the shapes it makes build their
// iterators only on Cayley's own store type, not on one that wraps it. A
// memory replica answers at memory speed.
type Store struct {
	cgraph.QuadStore // Cayley's SQL store, for reads
	pool             *pgxpool.Pool
	conn             string
	retention        time.Duration // of change rows
}

var _ cgraph.QuadStore = (*Store)(nil)

// OpenStore opens the store at conn, a PostgreSQL URL as pgx reads it (one
// host or several, target_session_attrs, sslmode...), with the default
// retention of change rows.
func OpenStore(ctx context.Context, conn string) (*Store, error) {
	return openStore(ctx, conn, DefaultChangeRetention)
}

func openStore(ctx context.Context, conn string, retention time.Duration) (*Store, error) {
	qs, err := csql.New(cayleyFlavour, conn, nil)
	if err != nil {
		return nil, unavailable(err)
	}
	pool, err := pgxpool.New(ctx, conn)
	if err != nil {
		qs.Close()
		return nil, unavailable(err)
	}
	s := &Store{QuadStore: qs, pool: pool, conn: conn, retention: retention}
	// A store that Cayley (or an older factgraph) made lacks the change
	// table: add it, where the database takes writes.
	if err := s.ensureChangeTable(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	s.pool.Close()
	return s.QuadStore.Close()
}

// Stats counts nodes and quads. Exact counts are counted every time: Cayley's
// SQL store would cache the first exact count and never learn of writes it
// did not make itself (ours, or another process's).
func (s *Store) Stats(ctx context.Context, exact bool) (cgraph.Stats, error) {
	if !exact {
		return s.QuadStore.Stats(ctx, false)
	}
	var n, q int64
	err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM nodes), (SELECT count(*) FROM quads)`).Scan(&n, &q)
	if err != nil {
		return cgraph.Stats{}, storeError(err)
	}
	return cgraph.Stats{Nodes: refs.Size{Value: n, Exact: true}, Quads: refs.Size{Value: q, Exact: true}}, nil
}

// ApplyDeltas implements cgraph.QuadStore: the deltas apply in order, in one
// transaction, all or none. An add of a stored quad fails with
// cgraph.ErrQuadExists unless opts.IgnoreDup, a delete of a missing one with
// cgraph.ErrQuadNotExist unless opts.IgnoreMissing.
func (s *Store) ApplyDeltas(deltas []cgraph.Delta, opts cgraph.IgnoreOpts) error {
	_, err := s.applyDeltas(context.Background(), deltas, opts)
	return err
}

func (s *Store) applyDeltas(ctx context.Context, deltas []cgraph.Delta, opts cgraph.IgnoreOpts) (result, error) {
	b, err := deltaBatch(deltas)
	if err != nil {
		return result{}, err
	}
	return s.write(ctx, b, func(stored []bool) error { return b.check(deltas, opts, stored) })
}

// LoadQuads adds quads in one transaction with COPY, all or none, skipping
// quads already stored and repeats within quads, and returns how many it
// added (loaders.BulkLoader). Into an empty store, a large load copies
// straight into Cayley's tables and builds their indexes afterwards.
func (s *Store) LoadQuads(ctx context.Context, quads []quad.Quad) (int, error) {
	res, err := s.loadQuads(ctx, quads)
	return res.added, err
}

func (s *Store) loadQuads(ctx context.Context, quads []quad.Quad) (result, error) {
	b, err := addBatch(quads)
	if err != nil {
		return result{}, err
	}
	return s.write(ctx, b, nil)
}

// NewQuadWriter implements cgraph.QuadStore: each WriteQuads is one LoadQuads.
func (s *Store) NewQuadWriter() (quad.WriteCloser, error) { return loadWriter{s}, nil }

// loadWriter is a quad writer on LoadQuads.
type loadWriter struct {
	l interface {
		LoadQuads(context.Context, []quad.Quad) (int, error)
	}
}

func (w loadWriter) WriteQuad(q quad.Quad) error {
	_, err := w.WriteQuads([]quad.Quad{q})
	return err
}

func (w loadWriter) WriteQuads(buf []quad.Quad) (int, error) {
	if _, err := w.l.LoadQuads(context.Background(), buf); err != nil {
		return 0, err
	}
	return len(buf), nil
}

func (w loadWriter) Close() error { return nil }
