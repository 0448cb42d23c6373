package pg_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/graphtest"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/pg"
	"github.com/factgraph/factgraph/internal/cayleysuite"
	"github.com/factgraph/factgraph/internal/datasets"
	"github.com/factgraph/factgraph/internal/storetest"
	"github.com/factgraph/factgraph/internal/testkit"
	_ "github.com/factgraph/factgraph/queries/pathlang"
)

// newStore returns a store in a new database, with its schema.
func newStore(t testing.TB) *pg.Store {
	t.Helper()
	return storeAt(t, testkit.PostgresDB(t))
}

// storeAt makes the schema in the database at url and opens the store.
func storeAt(t testing.TB, url string) *pg.Store {
	t.Helper()
	ctx := context.Background()
	if err := pg.Init(ctx, url); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
		t.Fatal(err)
	}
	st, err := pg.OpenStore(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newReplica returns a memory replica of a store in a new database.
func newReplica(t testing.TB) *pg.Replica {
	t.Helper()
	r, err := pg.NewReplica(context.Background(), newStore(t), pg.ReplicaOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// inCayleyData lays out Cayley's test data, from its module, where Cayley's
// suites look for it.
func inCayleyData(t *testing.T) {
	dir, err := datasets.CayleyDir()
	if err != nil {
		t.Fatal(err)
	}
	cayleysuite.InData(t, filepath.Join(dir, "data"))
}

// cayleyConfig is what Cayley's own SQL suite declares of its postgres
// flavour (times to the microsecond, no raw primitives), but for the
// comparisons that Cayley's SQL query compiler would turn into SQL (the
// store does not use it: see Store).
var cayleyConfig = &graphtest.Config{NoPrimitives: true, TimeInMcs: true, TimeRound: true}

// TestCayleySuite runs Cayley's conformance suite for quad stores (loads,
// duplicates, deletes, iterators, paths) on the store, whose writes are
// factgraph's.
func TestCayleySuite(t *testing.T) {
	inCayleyData(t)
	graphtest.TestAll(t, func(t testing.TB) (cgraph.QuadStore, cgraph.Options) { return newStore(t), nil }, cayleyConfig)
}

// TestReplicaCayleySuite runs the same suite on a memory replica: every
// write goes to PostgreSQL and comes back through the change feed before
// the replica answers.
func TestReplicaCayleySuite(t *testing.T) {
	inCayleyData(t)
	graphtest.TestAll(t, func(t testing.TB) (cgraph.QuadStore, cgraph.Options) { return newReplica(t), nil }, cayleyConfig)
}

// TestStoreSuite runs factgraph's own suite on stores opened by URL, plain
// and with replica=memory.
func TestStoreSuite(t *testing.T) {
	for _, param := range []string{"", "&replica=memory"} {
		t.Run("url"+param, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) *graph.Store {
				st, err := graph.Open(context.Background(), testkit.PostgresDB(t)+param)
				if err != nil {
					t.Fatal(err)
				}
				return st
			})
		})
	}
}
