package pg_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/pg"
	"github.com/factgraph/factgraph/internal/testkit"
)

// allQuads returns every quad of qs in N-Quads, sorted.
func allQuads(t *testing.T, qs cgraph.QuadStore) []string {
	t.Helper()
	r := cgraph.NewQuadStoreReader(qs)
	defer r.Close()
	var out []string
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		out = append(out, q.NQuad())
	}
	slices.Sort(out)
	return out
}

func lastChange(t *testing.T, url string) int64 {
	t.Helper()
	ctx := context.Background()
	c := testkit.PostgresConn(t, url)
	var seq int64
	if err := c.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM factgraph_changes`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	return seq
}

// writer writes batches through one store: adds of its own quads, adds of
// quads every writer adds, deletes of some of its earlier quads, and after
// each write checks that the store it wrote through holds the result.
func writer(ctx context.Context, name string, qs cgraph.QuadStore, batches int, errs chan<- error) {
	mine := func(i, j int) quad.Quad {
		return quad.MakeIRI(fmt.Sprintf("urn:%s:%d", name, i), "urn:p", fmt.Sprintf("urn:o:%d", j), fmt.Sprintf("urn:s:%s", name))
	}
	shared := func(i int) quad.Quad { return quad.MakeIRI(fmt.Sprintf("urn:shared:%d", i), "urn:p", "urn:o", "") }
	for i := 0; i < batches; i++ {
		var ds []cgraph.Delta
		for j := 0; j < 10; j++ {
			ds = append(ds, cgraph.Delta{Quad: mine(i, j), Action: cgraph.Add})
		}
		ds = append(ds, cgraph.Delta{Quad: shared(i % 7), Action: cgraph.Add})
		if i >= 2 {
			ds = append(ds, cgraph.Delta{Quad: mine(i-2, i%10), Action: cgraph.Delete})
		}
		if err := qs.ApplyDeltas(ds, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
			errs <- fmt.Errorf("%s batch %d: %w", name, i, err)
			return
		}
		// Read your writes: the store answers with the batch at once.
		if ref, err := qs.ValueOf(quad.IRI(fmt.Sprintf("urn:%s:%d", name, i))); err != nil || ref == nil {
			errs <- fmt.Errorf("%s batch %d: its subject is not in the store after the write (%v)", name, i, err)
			return
		}
	}
	errs <- nil
}

// TestReplicasStayInStep writes through two memory replicas and a plain
// store at once, concurrent transactions committing in any order, plus one
// large load, then checks that both replicas end with exactly what
// PostgreSQL holds.
func TestReplicasStayInStep(t *testing.T) {
	ctx := context.Background()
	url := testkit.PostgresDB(t)
	st := storeAt(t, url)
	// Quads from before the replicas start, which they take from the copy.
	if _, err := st.LoadQuads(ctx, []quad.Quad{quad.MakeIRI("urn:before", "urn:p", "urn:o", "")}); err != nil {
		t.Fatal(err)
	}
	var replicas []*pg.Replica
	for range 2 {
		r, err := pg.NewReplica(ctx, storeAt(t, url), pg.ReplicaOptions{Poll: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		replicas = append(replicas, r)
	}
	writers := map[string]cgraph.QuadStore{"a": replicas[0], "b": replicas[1], "plain": st}
	errs := make(chan error, len(writers)+1)
	var wg sync.WaitGroup
	for name, qs := range writers {
		wg.Go(func() { writer(ctx, name, qs, 30, errs) })
	}
	wg.Go(func() {
		// A load large enough to take the bulk path, through a replica.
		var big []quad.Quad
		for i := range 25000 {
			big = append(big, quad.MakeIRI(fmt.Sprintf("urn:big:%d", i), "urn:p", "urn:o", "urn:s:big"))
		}
		_, err := replicas[1].LoadQuads(ctx, big)
		errs <- err
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	last := lastChange(t, url)
	want := allQuads(t, st)
	for i, r := range replicas {
		deadline := time.Now().Add(30 * time.Second)
		for r.Applied() < last && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if r.Applied() < last {
			t.Fatalf("replica %d applied change %d of %d", i, r.Applied(), last)
		}
		got := allQuads(t, r)
		if !slices.Equal(got, want) {
			t.Errorf("replica %d holds %d quads, PostgreSQL %d; first difference: %s", i, len(got), len(want), firstDifference(got, want))
		}
	}
	if len(want) < 25000 {
		t.Errorf("PostgreSQL holds %d quads, fewer than the load", len(want))
	}
}

func firstDifference(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("%q vs %q", a[i], b[i])
		}
	}
	return "one is a prefix of the other"
}

// TestReplicaWriteErrors checks that a write refused by PostgreSQL (a
// duplicate without IgnoreDup) reaches the caller as Cayley's error and
// changes neither PostgreSQL nor the replica.
func TestReplicaWriteErrors(t *testing.T) {
	r := newReplica(t)
	q := quad.MakeIRI("urn:a", "urn:p", "urn:b", "")
	if err := r.ApplyDeltas([]cgraph.Delta{{Quad: q, Action: cgraph.Add}}, cgraph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	other := quad.MakeIRI("urn:c", "urn:p", "urn:d", "")
	err := r.ApplyDeltas([]cgraph.Delta{{Quad: other, Action: cgraph.Add}, {Quad: q, Action: cgraph.Add}}, cgraph.IgnoreOpts{})
	if !errors.Is(err, cgraph.ErrQuadExists) {
		t.Fatalf("adding a stored quad: %v, want ErrQuadExists", err)
	}
	if got := allQuads(t, r); len(got) != 1 {
		t.Errorf("the replica holds %v after a failed batch", got)
	}
}

// TestChangeRetention prunes the change rows at once (change_retention=1ns):
// a replica that was following stops, and says why when written through; a
// replica filled afterwards follows.
func TestChangeRetention(t *testing.T) {
	ctx := context.Background()
	url := testkit.PostgresDB(t)
	storeAt(t, url)
	open := func() cgraph.QuadStore {
		qs, err := pg.Open(ctx, url+"&change_retention=1ns")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { qs.Close() })
		return qs
	}
	before, err := pg.Open(ctx, url+"&replica=memory")
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close()
	w := open()
	for i := range 150 { // the write of change 100 prunes
		if err := w.ApplyDeltas([]cgraph.Delta{{Quad: quad.MakeIRI(fmt.Sprint("urn:", i), "urn:p", "urn:o", ""), Action: cgraph.Add}}, cgraph.IgnoreOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	err = before.ApplyDeltas([]cgraph.Delta{{Quad: quad.MakeIRI("urn:x", "urn:p", "urn:o", ""), Action: cgraph.Add}}, cgraph.IgnoreOpts{})
	if err == nil || !strings.Contains(err.Error(), "change_retention") {
		t.Errorf("a write through a replica left behind: %v, want the retention named", err)
	}
	after, err := pg.Open(ctx, url+"&replica=memory")
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	if err := after.ApplyDeltas([]cgraph.Delta{{Quad: quad.MakeIRI("urn:y", "urn:p", "urn:o", ""), Action: cgraph.Add}}, cgraph.IgnoreOpts{}); err != nil {
		t.Fatalf("a write through a replica filled after the pruning: %v", err)
	}
	// (Whether urn:x was written depends on whether the replica left behind
	// had noticed before the write.)
	if got, want := allQuads(t, after), allQuads(t, w); !slices.Equal(got, want) || len(want) < 151 {
		t.Errorf("the new replica holds %d quads, PostgreSQL %d", len(got), len(want))
	}
}
