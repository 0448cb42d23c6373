package testkit

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
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

var dbSeq atomic.Int64

// NewDatabase creates a database on the server that base (a PostgreSQL URL,
// one host or several) reaches, and returns base with its name; the
// database is dropped when the test ends.
func NewDatabase(t testing.TB, base string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", base, err)
	}
	defer admin.Close(context.Background())
	name := fmt.Sprintf("fgtest_%d_%d_%d", os.Getpid(), time.Now().UnixNano(), dbSeq.Add(1))
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if c, err := pgx.Connect(ctx, base); err == nil {
			c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	// With several hosts, pgx gives up at the first that lacks the
	// database: wait until every standby in the URL has replayed it.
	for {
		c, err := pgx.Connect(ctx, u.String())
		if err == nil {
			c.Close(ctx)
			return u.String()
		}
		if ctx.Err() != nil {
			t.Fatalf("connect to the new database: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
