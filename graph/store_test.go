package graph_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/cayleygraph/cayley/graph/kv/bbolt"
	_ "github.com/cayleygraph/cayley/graph/memstore"
	"go.etcd.io/bbolt"

	"github.com/factgraph/factgraph/graph"
	_ "github.com/factgraph/factgraph/graph/disk"
	_ "github.com/factgraph/factgraph/graph/pg"
	"github.com/factgraph/factgraph/internal/storetest"
	"github.com/factgraph/factgraph/internal/testkit"
	_ "github.com/factgraph/factgraph/queries/pathlang"
	_ "github.com/factgraph/factgraph/queries/sparql"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in, backend, addr, err string
	}{
		{"", graph.BackendMemory, "", ""},
		{"memory", graph.BackendMemory, "", ""},
		{"bolt://kg.db", graph.BackendBolt, "kg.db", ""},
		{"bolt:///var/lib/kg.db", graph.BackendBolt, "/var/lib/kg.db", ""},
		{"postgres://u:p@127.0.0.1/kg?sslmode=disable", graph.BackendPostgres, "postgres://u:p@127.0.0.1/kg?sslmode=disable", ""},
		{"postgres://u@10.0.0.1:5432,10.0.0.2:5432/kg?target_session_attrs=read-write", graph.BackendPostgres, "postgres://u@10.0.0.1:5432,10.0.0.2:5432/kg?target_session_attrs=read-write", ""},
		{"cockroach://root@127.0.0.1:26257/kg?sslmode=disable", "", "", `unknown scheme "cockroach"`},
		{"bolt://", "", "", "expected a path after bolt://"},
		{"mysql://x", "", "", `unknown scheme "mysql"`},
		{"kg.db", "", "", "expected memory, disk://DIR, bolt://PATH"},
		{"disk://kg", graph.BackendDisk, "kg", ""},
		{"disk:///var/lib/kg/?checkpoint=1000", graph.BackendDisk, "/var/lib/kg?checkpoint=1000", ""},
		{"disk://", "", "", "expected a directory after disk://"},
	} {
		loc, err := graph.ParseURL(tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseURL(%q) error = %v, want %q", tc.in, err, tc.err)
			}
		case err != nil:
			t.Errorf("ParseURL(%q): %v", tc.in, err)
		case loc.Backend != tc.backend || loc.Address != tc.addr:
			t.Errorf("ParseURL(%q) = %+v, want %s %s", tc.in, loc, tc.backend, tc.addr)
		}
	}
}

func open(t *testing.T, rawURL string) *graph.Store {
	t.Helper()
	st, err := graph.Open(context.Background(), rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestMemoryStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *graph.Store { return open(t, "memory") })
}

func TestDiskStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *graph.Store { return open(t, "disk://"+t.TempDir()+"/kg") })
}

func TestBoltStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *graph.Store { return open(t, "bolt://"+t.TempDir()+"/kg.db") })
}

func TestBoltStoreReopensEmpty(t *testing.T) {
	dir := "bolt://" + t.TempDir() + "/kg.db"
	st := open(t, dir)
	st.Close()
	st = open(t, dir)
	defer st.Close()
	s, err := st.Stats(context.Background(), true)
	if err != nil || s.Quads.Value != 0 {
		t.Errorf("reopened empty store: %+v, %v", s, err)
	}
}

// TestBoltInAnEmptyDirectory: a bolt store opens in a directory that exists
// and is empty, or holds a bolt file without Cayley's schema (what a failed
// open left), instead of waiting for ever for its own lock.
func TestBoltInAnEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	for _, step := range []string{"an empty directory", "a bolt file without a schema"} {
		if step == "a bolt file without a schema" {
			os.RemoveAll(dir)
			os.Mkdir(dir, 0o700)
			db, err := bbolt.Open(filepath.Join(dir, "indexes.bolt"), 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
		done := make(chan error, 1)
		go func() {
			st, err := graph.Open(context.Background(), "bolt://"+dir)
			if err == nil {
				err = st.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s: %v", step, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the open is still waiting after 10s", step)
		}
	}
}

// TestPostgresStore runs the suite on PostgreSQL, one new database per test.
func TestPostgresStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *graph.Store { return open(t, testkit.PostgresDB(t)) })
}

// TestBoltInUse checks that opening a bolt store another holder has open fails
// at once with ErrStoreInUse instead of waiting for the lock without end.
func TestBoltInUse(t *testing.T) {
	ctx := context.Background()
	url := "bolt://" + filepath.Join(t.TempDir(), "kg.db")
	first, err := graph.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		st, err := graph.Open(ctx, url)
		if err == nil {
			st.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, graph.ErrStoreInUse) || !strings.Contains(err.Error(), url) {
			t.Errorf("second open: %v, want ErrStoreInUse naming %s", err, url)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second open is still waiting for the lock after 10s")
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := graph.Open(ctx, url)
	if err != nil {
		t.Fatalf("open after the first holder closed: %v", err)
	}
	again.Close()
}
