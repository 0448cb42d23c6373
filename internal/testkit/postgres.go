package testkit

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/factgraph/factgraph/internal/pgdb"
)

// The variables that point tests at PostgreSQL; .ci/run sets all three.
const (
	// PostgresEnv holds the URL of a PostgreSQL server whose role may
	// create databases, e.g.
	// postgres://factgraph:factgraph@127.0.0.1/factgraph?sslmode=disable.
	PostgresEnv = "FACTGRAPH_TEST_POSTGRES"
	// ClusterEnv holds the path of .ci/pgcluster.sh after its start: a
	// primary, a synchronous standby and a read replica, for the tests of
	// replication and failover.
	ClusterEnv = "FACTGRAPH_TEST_PG_CLUSTER"
	// RequirePostgresEnv makes those tests fail instead of skipping when
	// their variable is empty.
	RequirePostgresEnv = "FACTGRAPH_REQUIRE_POSTGRES"
)

// PostgresEnvOrSkip returns the value of env, one of the variables above.
// When it is empty the test skips, saying to set it to what, or fails when
// RequirePostgresEnv is set.
func PostgresEnvOrSkip(t testing.TB, env, what string) string {
	t.Helper()
	v := os.Getenv(env)
	if v == "" {
		if os.Getenv(RequirePostgresEnv) != "" {
			t.Fatalf("%s is set but %s is empty", RequirePostgresEnv, env)
		}
		t.Skipf("skipped: set %s to %s (.ci/run does)", env, what)
	}
	return v
}

// PostgresDB returns the URL of a new, empty database on the server at
// $FACTGRAPH_TEST_POSTGRES, dropped when the test ends. Without the
// variable the test skips (fails under FACTGRAPH_REQUIRE_POSTGRES).
func PostgresDB(t testing.TB) string {
	t.Helper()
	return NewDatabase(t, PostgresEnvOrSkip(t, PostgresEnv, "a PostgreSQL URL whose role may create databases"))
}

// NewDatabase creates a database on the server that base (a PostgreSQL URL,
// one host or several) reaches, and returns its URL; the database is dropped
// when the test ends.
func NewDatabase(t testing.TB, base string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := pgdb.Create(ctx, base, "fgtest")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Drop)
	return db.URL
}

// PostgresConn connects to the database at url for the rest of the test.
func PostgresConn(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(ctx) })
	return c
}
