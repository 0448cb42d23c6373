package loaders_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt"
	_ "github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

// backends are the store URLs every Apply test runs against; "DIR" is replaced
// by a fresh temporary directory.
var backends = []string{"memory", "bolt://DIR/kg.db"}

func openStore(t *testing.T, url string) *graph.Store {
	t.Helper()
	st, err := graph.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return st
}

func freshStore(t *testing.T, url string) *graph.Store {
	t.Helper()
	st := openStore(t, strings.Replace(url, "DIR", t.TempDir(), 1))
	t.Cleanup(func() { st.Close() })
	return st
}

// statsCount returns the store's exact quad count as it reports it.
func statsCount(t *testing.T, st *graph.Store) int64 {
	t.Helper()
	s, err := st.Stats(context.Background(), true)
	if err != nil {
		t.Fatalf("stats of %s: %v", st.URL, err)
	}
	return s.Quads.Value
}

// storedQuads reads every quad of st, so that checks do not rest on the store's
// own statistics (which Apply uses to count).
func storedQuads(t *testing.T, st *graph.Store) map[quad.Quad]bool {
	t.Helper()
	out := map[quad.Quad]bool{}
	err := iterator.Iterate(context.Background(), st.QuadsAllIterator()).Each(func(r cgraph.Ref) error {
		q, err := st.Quad(r)
		out[q] = true
		return err
	})
	if err != nil {
		t.Fatalf("read quads of %s: %v", st.URL, err)
	}
	return out
}

// checkStored fails unless st holds exactly the quads of want.
func checkStored(t *testing.T, when string, st *graph.Store, want []quad.Quad) {
	t.Helper()
	got := storedQuads(t, st)
	wantSet := map[quad.Quad]bool{}
	for _, q := range want {
		wantSet[q] = true
		if !got[q] {
			t.Errorf("%s: expected %v in the store, found it missing", when, q)
		}
	}
	for q := range got {
		if !wantSet[q] {
			t.Errorf("%s: expected %v not to be stored, found it", when, q)
		}
	}
}

func TestApplyCountsDuplicates(t *testing.T) {
	q1 := quad.MakeIRI("http://ex/a", "http://ex/p", "http://ex/b", "http://ex/s1")
	q2 := quad.MakeIRI("http://ex/a", "http://ex/p", "http://ex/c", "http://ex/s1")
	q1Relabeled := quad.MakeIRI("http://ex/a", "http://ex/p", "http://ex/b", "http://ex/s2")
	tests := []struct {
		name   string
		stored []quad.Quad
		input  []quad.Quad
		want   loaders.Stats
	}{
		{"empty input", nil, nil, loaders.Stats{}},
		{"all new", nil, []quad.Quad{q1, q2}, loaders.Stats{Read: 2, Added: 2}},
		{"repeat within the input", nil, []quad.Quad{q1, q2, q1, q1}, loaders.Stats{Read: 4, Added: 2, Duplicates: 2}},
		{"already stored", []quad.Quad{q1}, []quad.Quad{q1, q2}, loaders.Stats{Read: 2, Added: 1, Duplicates: 1}},
		{"all already stored", []quad.Quad{q1, q2}, []quad.Quad{q2, q1}, loaders.Stats{Read: 2, Duplicates: 2}},
		{"stored and repeated", []quad.Quad{q1}, []quad.Quad{q1, q1, q2}, loaders.Stats{Read: 3, Added: 1, Duplicates: 2}},
		{"another label is another quad", []quad.Quad{q1}, []quad.Quad{q1Relabeled}, loaders.Stats{Read: 1, Added: 1}},
	}
	for _, url := range backends {
		for _, tc := range tests {
			t.Run(strings.SplitN(url, ":", 2)[0]+"/"+tc.name, func(t *testing.T) {
				ctx := context.Background()
				st := freshStore(t, url)
				if len(tc.stored) > 0 {
					if _, err := loaders.Apply(ctx, st, tc.stored); err != nil {
						t.Fatalf("setup: %v", err)
					}
				}
				got, err := loaders.Apply(ctx, st, tc.input)
				if err != nil {
					t.Fatalf("expected no error, found %v", err)
				}
				if got != tc.want {
					t.Errorf("expected %+v, found %+v", tc.want, got)
				}
				checkStored(t, "after apply", st, append(tc.stored, tc.input...))
			})
		}
	}
}

// TestApplyTwice loads the article twice: the second load adds nothing.
func TestApplyTwice(t *testing.T) {
	quads := testkit.ArticleQuads(t)
	distinct := map[quad.Quad]bool{}
	for _, q := range quads {
		distinct[q] = true
	}
	for _, url := range backends {
		t.Run(strings.SplitN(url, ":", 2)[0], func(t *testing.T) {
			ctx := context.Background()
			st := freshStore(t, url)
			first, err := loaders.Apply(ctx, st, quads)
			if err != nil {
				t.Fatalf("first apply: %v", err)
			}
			want := loaders.Stats{Read: len(quads), Added: len(distinct), Duplicates: len(quads) - len(distinct)}
			if first != want {
				t.Errorf("first apply: expected %+v, found %+v", want, first)
			}
			second, err := loaders.Apply(ctx, st, quads)
			if err != nil {
				t.Fatalf("second apply: %v", err)
			}
			want = loaders.Stats{Read: len(quads), Added: 0, Duplicates: len(quads)}
			if second != want {
				t.Errorf("second apply: expected %+v, found %+v", want, second)
			}
			checkStored(t, "after two applies", st, quads)
			if n := statsCount(t, st); n != int64(len(distinct)) {
				t.Errorf("expected stats to count %d quads, found %d", len(distinct), n)
			}
		})
	}
}

func TestApplyCanceled(t *testing.T) {
	st := testkit.StoreWith(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := loaders.Apply(ctx, st, []quad.Quad{quad.MakeIRI("http://ex/a", "http://ex/p", "http://ex/b", "")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("expected context.Canceled, found %v", err)
	}
	checkStored(t, "after a canceled apply", st, nil)
}

// loadFile reads a file and applies its quads, as the load command does.
func loadFile(ctx context.Context, st *graph.Store, path string) (loaders.Stats, error) {
	quads, err := loaders.ReadFile(path, loaders.ReadOptions{})
	if err != nil {
		return loaders.Stats{}, err
	}
	return loaders.Apply(ctx, st, quads)
}

// TestLoadIsAtomicOnBolt checks that a file with a malformed line leaves a
// persistent store exactly as it was, before and after reopening it.
func TestLoadIsAtomicOnBolt(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a bolt store")
	}
	ctx := context.Background()
	dir := t.TempDir()
	url := "bolt://" + dir + "/kg.db"
	good := filepath.Join(dir, "good.nq")
	bad := filepath.Join(dir, "bad.nq")
	if err := os.WriteFile(good, []byte(strings.Join([]string{
		"<http://ex/a> <http://ex/p> <http://ex/b> <http://ex/s1> .",
		"<http://ex/a> <http://ex/p> \"b\" <http://ex/s1> .",
		"<http://ex/b> <http://ex/p> <http://ex/a> <http://ex/s2> .",
	}, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Lines 1, 2 and 4 are well formed and new; line 3 is not.
	if err := os.WriteFile(bad, []byte(strings.Join([]string{
		"<http://ex/onlyInBad> <http://ex/p> <http://ex/b> .",
		"<http://ex/a> <http://ex/q> <http://ex/onlyInBad> .",
		"<http://ex/a> <http://ex/p> .",
		"<http://ex/c> <http://ex/p> <http://ex/onlyInBad> .",
	}, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	goodQuads, err := loaders.ReadFile(good, loaders.ReadOptions{})
	if err != nil {
		t.Fatalf("read good file: %v", err)
	}

	st := openStore(t, url)
	added, err := loadFile(ctx, st, good)
	if err != nil {
		st.Close()
		t.Fatalf("load good file: %v", err)
	}
	if added.Added != len(goodQuads) {
		t.Errorf("expected %d quads added, found %+v", len(goodQuads), added)
	}
	before := statsCount(t, st)
	if before != int64(len(goodQuads)) {
		t.Errorf("expected stats to count %d quads, found %d", len(goodQuads), before)
	}

	_, err = loadFile(ctx, st, bad)
	if want := bad + ":3:"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("expected an error starting %q, found %v", want, err)
	}
	check := func(when string, st *graph.Store) {
		if n := statsCount(t, st); n != before {
			t.Errorf("%s: expected %d quads, found %d", when, before, n)
		}
		checkStored(t, when, st, goodQuads)
	}
	check("after the failed load", st)
	if err := st.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	st = openStore(t, url)
	defer st.Close()
	check("after reopening", st)
}
