package testkit

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
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

// skipWithout skips the test, or fails it when RequirePostgresEnv is set.
func skipWithout(t testing.TB, env, what string) {
	t.Helper()
	why := fmt.Sprintf("skipped: set %s to %s (.ci/run does)", env, what)
	if os.Getenv(RequirePostgresEnv) != "" {
		t.Fatalf("%s is set but %s is empty", RequirePostgresEnv, env)
	}
	t.Skip(why)
}

// PostgresDB returns the URL of a new, empty database on the server at
// $FACTGRAPH_TEST_POSTGRES, dropped when the test ends. Without the
// variable the test skips (fails under FACTGRAPH_REQUIRE_POSTGRES).
func PostgresDB(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		skipWithout(t, PostgresEnv, "a PostgreSQL URL whose role may create databases")
	}
	return NewDatabase(t, base)
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

// Cluster is the three-node set-up of .ci/pgcluster.sh.
type Cluster struct {
	script string
	// Primary reaches whichever of the primary and the standby is primary
	// (two hosts, target_session_attrs=read-write); Replica is the read
	// replica. Both name the database factgraph.
	Primary, Replica string
}

// PGCluster returns the set-up at $FACTGRAPH_TEST_PG_CLUSTER. Without the
// variable the test skips (fails under FACTGRAPH_REQUIRE_POSTGRES).
func PGCluster(t testing.TB) *Cluster {
	t.Helper()
	script := os.Getenv(ClusterEnv)
	if script == "" {
		skipWithout(t, ClusterEnv, "the path of .ci/pgcluster.sh, after bash .ci/pgcluster.sh start")
	}
	c := &Cluster{script: script}
	out := c.run(t, "env")
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		switch k {
		case "PRIMARY_URL":
			c.Primary = v
		case "REPLICA_URL":
			c.Replica = v
		}
	}
	if c.Primary == "" || c.Replica == "" {
		t.Fatalf("%s env printed no URLs:\n%s", script, out)
	}
	return c
}

func (c *Cluster) run(t testing.TB, cmd string) []byte {
	t.Helper()
	out, err := exec.Command("bash", c.script, cmd).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("%s %s: %v\n%s%s", c.script, cmd, err, out, stderr)
	}
	return out
}

// Failover kills the primary with SIGKILL and promotes the standby.
func (c *Cluster) Failover(t testing.TB) { c.run(t, "failover") }

// Rejoin makes the node that Failover killed the new primary's synchronous
// standby.
func (c *Cluster) Rejoin(t testing.TB) { c.run(t, "rejoin") }

// Status returns one line per node: name, port, role.
func (c *Cluster) Status(t testing.TB) string { return string(c.run(t, "status")) }
