package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/cayleygraph/cayley/graph/kv/bbolt"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

func TestOnlyBoltFromItsFileIsExclusive(t *testing.T) {
	ctx := context.Background()
	bolt, err := graph.Open(ctx, "bolt://"+t.TempDir()+"/kg")
	if err != nil {
		t.Fatal(err)
	}
	if !exclusive(bolt) {
		t.Error("a bolt store read from its file serves reads during writes")
	}
	m, err := graph.NewMirror(ctx, bolt, compact.New())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if exclusive(m) || exclusive(testkit.ArticleStore(t)) {
		t.Error("a mirrored or memory store keeps writes apart from reads")
	}
}

// TestBoltReadsDuringWrites: queries and writes at once on a bolt store read
// from its file all end (Cayley's bolt backend deadlocks when a write remaps
// the file between two read transactions of one query).
func TestBoltReadsDuringWrites(t *testing.T) {
	ctx := context.Background()
	st, err := graph.Open(ctx, "bolt://"+t.TempDir()+"/kg")
	if err != nil {
		t.Fatal(err)
	}
	stuck := false
	defer func() {
		if !stuck { // a stuck store's Close waits for ever
			st.Close()
		}
	}()
	if _, err := loaders.Apply(ctx, st, testkit.ArticleQuads(t)); err != nil {
		t.Fatal(err)
	}
	s := New(st, Config{WriteToken: token, Logger: newLogger(t.Output())})
	var wg sync.WaitGroup
	var done atomic.Bool
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !done.Load() {
				rec := get(s, "/api/v1/query?q=Japan+<-+party+->+party+unique+->+name")
				if rec.Code != http.StatusOK && rec.Code != http.StatusServiceUnavailable {
					t.Errorf("reader %d: status %d", i, rec.Code)
				}
			}
		}()
	}
	writes := make(chan struct{})
	go func() {
		defer close(writes)
		for b := range 8 {
			// Each batch is large enough to grow the file, so bolt remaps it.
			var body strings.Builder
			for i := range 2000 {
				fmt.Fprintf(&body, "<urn:w:%d:%d> <urn:p> \"a value long enough to take room %d %d\" .\n", b, i, b, i)
			}
			if rec := do(s, http.MethodPost, "/api/v1/load", body.String(), append([]string{"Content-Type", "application/n-quads"}, bearer...)...); rec.Code != http.StatusOK {
				t.Errorf("write %d: status %d %s", b, rec.Code, rec.Body)
			}
		}
	}()
	select {
	case <-writes:
	case <-time.After(time.Minute):
		stuck = true // the goroutines stay blocked; the failure ends the test binary
		t.Fatal("writes and reads of the bolt store still waiting for each other after a minute")
	}
	done.Store(true)
	wg.Wait()
}
