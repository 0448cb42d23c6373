package main

// Robustness on PostgreSQL: a load killed with SIGKILL at any step of its
// transaction (the copies, the merge, the index builds) leaves the store
// exactly as it was, its indexes and foreign keys included.

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/factgraph/factgraph/internal/testkit"
)

// movieSlice writes the first n lines of the 30k-movie set to a file.
func movieSlice(t *testing.T, n int) string {
	t.Helper()
	f, err := os.Open(testkit.Movies(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "movies.nq")
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	for i := 0; i < n && sc.Scan(); i++ {
		fmt.Fprintln(w, sc.Text())
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tableState is what a killed load must leave as it found: the number of
// quads and nodes, and the indexes and constraints of Cayley's tables.
func tableState(t *testing.T, c *pgx.Conn) string {
	t.Helper()
	var quads, nodes, indexes, constraints int
	err := c.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM quads), (SELECT count(*) FROM nodes),
		(SELECT count(*) FROM pg_index WHERE indrelid = 'quads'::regclass),
		(SELECT count(*) FROM pg_constraint WHERE conrelid = 'quads'::regclass)`).Scan(&quads, &nodes, &indexes, &constraints)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d quads, %d nodes, %d indexes and %d constraints on quads", quads, nodes, indexes, constraints)
}

// waitForStatement waits until a session of the database runs a statement
// that starts with prefix, and reports whether one did before done closed.
func waitForStatement(t *testing.T, c *pgx.Conn, prefix string, done <-chan error) bool {
	t.Helper()
	ctx := context.Background()
	for {
		select {
		case <-done:
			return false
		default:
		}
		var n int
		err := c.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
			AND starts_with(lower(query), lower($1))`, prefix).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestKillDuringPostgresLoadChangesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("robustness test: loads 40,000 quads into PostgreSQL 16 times")
	}
	// Without a server every step would skip, and the count below fail.
	testkit.PostgresEnvOrSkip(t, testkit.PostgresEnv, "a PostgreSQL URL whose role may create databases")
	bin := buildBinary(t)
	movies := movieSlice(t, 40000)
	killed := 0
	for _, tc := range []struct {
		into, at string
	}{
		// An empty store: straight into the tables, indexes made after.
		{"empty", `copy "nodes"`},
		{"empty", `copy "quads"`},
		{"empty", `CREATE INDEX`},
		{"empty", `ALTER TABLE quads ADD CONSTRAINT`},
		// A store with data: through the staging tables.
		{"article", `copy "fg_quads"`},
		{"article", `UPDATE nodes`},
		{"article", `copy "quads"`},
		{"article", `CREATE INDEX`},
	} {
		t.Run(tc.into+"/"+tc.at, func(t *testing.T) {
			db := testkit.PostgresDB(t)
			if out, err := exec.Command(bin, "init", "--db", db).CombinedOutput(); err != nil {
				t.Fatalf("init: %v\n%s", err, out)
			}
			if tc.into == "article" {
				if out, err := exec.Command(bin, "load", "--db", db, "../../data/kyodo-2024-05-02-japan-france-raa.nq").CombinedOutput(); err != nil {
					t.Fatalf("first load: %v\n%s", err, out)
				}
			}
			conn := testkit.PostgresConn(t, db)
			before := tableState(t, conn)
			load := exec.Command(bin, "load", "--quiet", "--db", db, movies)
			if err := load.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- load.Wait() }()
			if !waitForStatement(t, conn, tc.at, done) {
				t.Logf("the load finished before it ran %s", tc.at)
				return
			}
			load.Process.Signal(syscall.SIGKILL)
			<-done
			killed++
			// PostgreSQL rolls back once it sees the connection gone.
			deadline := time.Now().Add(30 * time.Second)
			after := tableState(t, conn)
			for after != before && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
				after = tableState(t, conn)
			}
			if after != before {
				t.Fatalf("after SIGKILL during %s the store holds %s; before the load it held %s", tc.at, after, before)
			}
			if out, err := exec.Command(bin, "load", "--db", db, movies).CombinedOutput(); err != nil || !strings.Contains(string(out), "40000 added") {
				t.Fatalf("the load again, after the kill: %v\n%s", err, out)
			}
		})
	}
	if killed < 6 {
		t.Errorf("only %d of 8 loads were killed in the step named: the test proved too little", killed)
	}
}
