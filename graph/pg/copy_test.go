package pg_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/refs"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

// oddValues are quads whose values take every column of Cayley's nodes
// table, and the edge cases of their encodings: times with nanoseconds (a
// half microsecond among them), a string with a NUL byte, no label.
func oddValues() []quad.Quad {
	base := time.Date(2024, 5, 2, 9, 30, 0, 0, time.FixedZone("JST", 9*3600))
	s, p := quad.IRI("urn:odd"), quad.IRI("urn:has")
	var qs []quad.Quad
	for i, v := range []quad.Value{
		quad.Int(-42), quad.Float(2.5e-9), quad.Bool(true), quad.Bool(false),
		quad.Time(base), quad.Time(base.Add(1234567 * time.Nanosecond)),
		quad.Time(base.Add(1500 * time.Nanosecond)), quad.Time(base.Add(2500 * time.Nanosecond)),
		quad.LangString{Value: "Paris", Lang: "fr"}, quad.TypedString{Value: "7", Type: "urn:type"},
		quad.BNode("b1"), quad.String("nul\x00byte"), quad.String(""),
	} {
		var label quad.Value
		if i%2 == 0 {
			label = quad.IRI(fmt.Sprintf("urn:sentence:%d", i))
		}
		qs = append(qs, quad.Quad{Subject: s, Predicate: p, Object: v, Label: label})
	}
	return qs
}

// cayleyStore returns Cayley's own SQL store (its postgres flavour, on
// lib/pq) in a new database.
func cayleyStore(t *testing.T) (cgraph.QuadStore, string) {
	t.Helper()
	url := testkit.PostgresDB(t)
	if err := csql.Init("postgres", url, nil); err != nil {
		t.Fatal(err)
	}
	qs, err := cgraph.NewQuadStore("postgres", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { qs.Close() })
	return qs, url
}

func deltas(quads []quad.Quad, a cgraph.Procedure) []cgraph.Delta {
	ds := make([]cgraph.Delta, len(quads))
	for i, q := range quads {
		ds[i] = cgraph.Delta{Quad: q, Action: a}
	}
	return ds
}

// TestCopyMatchesCayleysWriter writes the same quads into two databases,
// with factgraph's COPY path and with Cayley's own writer, and compares
// every row of both tables, the indexes and the constraints: a bulk load
// into the empty store, two merges into the store that holds it (some quads
// already stored; one large, one small), and a delete (some quads never
// stored).
func TestCopyMatchesCayleysWriter(t *testing.T) {
	all, err := loaders.ReadFile(testkit.Movies(t), loaders.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Each batch holds a quad once, as PostgreSQL tells quads apart: by the
	// hashes of their values. (The movie set states some quads twice, and
	// Cayley hashes a time without its fraction of a second.)
	seen := map[[4]refs.ValueHash]bool{}
	distinct := func(qs ...[]quad.Quad) []quad.Quad {
		var out []quad.Quad
		for _, q := range slices.Concat(qs...) {
			var k [4]refs.ValueHash
			for i, d := range quad.Directions {
				if v := q.Get(d); v != nil {
					k[i] = refs.HashOf(v)
				}
			}
			if !seen[k] {
				seen[k] = true
				out = append(out, q)
			}
		}
		return out
	}
	odd := oddValues()
	first := distinct(all[:30000], odd[:7])
	// The later loads repeat quads of the first; Cayley's writer gets only
	// the new ones, since it would count repeated quads' nodes again (its
	// ON CONFLICT DO NOTHING skips the quad, not the reference count). The
	// second is large enough to drop and make the indexes again, the third
	// goes through them.
	fresh := distinct(all[30000:52000], odd[7:])
	second := slices.Concat(all[10000:12000], fresh)
	fresh3 := distinct(all[52000:52500])
	third := slices.Concat(all[100:200], fresh3)
	clear(seen)
	gone := distinct(all[5000:6500], odd[3:4], odd[10:11])
	missing := all[60000:60010] // never loaded

	ctx := context.Background()
	ourURL := testkit.PostgresDB(t)
	ours := storeAt(t, ourURL)
	theirs, theirURL := cayleyStore(t)

	// Each step: what factgraph writes (loads, or with dels a delete) and
	// what Cayley's writer gets, the quads that change.
	steps := []struct {
		name    string
		ours    []quad.Quad
		changed []quad.Quad
		del     bool
	}{
		{"bulk load into the empty store", first, first, false},
		{"merge into a store with data, indexes made again", second, fresh, false},
		{"merge through the indexes", third, fresh3, false},
		{"delete", slices.Concat(gone, missing), gone, true},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.del {
				err := ours.ApplyDeltas(deltas(st.ours, cgraph.Delete), cgraph.IgnoreOpts{IgnoreMissing: true})
				if err != nil {
					t.Fatalf("factgraph: %v", err)
				}
				if err := theirs.ApplyDeltas(deltas(st.changed, cgraph.Delete), cgraph.IgnoreOpts{}); err != nil {
					t.Fatalf("Cayley: %v", err)
				}
			} else {
				n, err := ours.LoadQuads(ctx, st.ours)
				if err != nil || n != len(st.changed) {
					t.Fatalf("factgraph added %d quads, want %d (%v)", n, len(st.changed), err)
				}
				if err := theirs.ApplyDeltas(deltas(st.changed, cgraph.Add), cgraph.IgnoreOpts{IgnoreDup: true}); err != nil {
					t.Fatalf("Cayley: %v", err)
				}
			}
			for _, q := range tableQueries {
				a, b := dumpTable(t, ourURL, q), dumpTable(t, theirURL, q)
				if !bytes.Equal(a, b) {
					t.Errorf("%s differs:\n%s", q, firstDiff(a, b))
				}
			}
		})
	}
}

// tableQueries list every row and every index of Cayley's tables, in an
// order that does not depend on how they were written. The quads' ts
// column, the time of each write, is only checked for being set.
var tableQueries = []string{
	`SELECT hash, refs, value, value_string, datatype, language, iri, bnode, value_int, value_bool, value_float, value_time FROM nodes ORDER BY hash`,
	`SELECT horizon, subject_hash, predicate_hash, object_hash, label_hash, ts IS NOT NULL FROM quads ORDER BY horizon`,
	`SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid IN ('quads'::regclass, 'nodes'::regclass) ORDER BY 1`,
	`SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid IN ('quads'::regclass, 'nodes'::regclass) ORDER BY 1`,
}

// dumpTable returns the rows of query in PostgreSQL's text COPY format.
func dumpTable(t *testing.T, url, query string) []byte {
	t.Helper()
	ctx := context.Background()
	c := testkit.PostgresConn(t, url)
	if _, err := c.Exec(ctx, `SET TIME ZONE 'UTC'`); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := c.PgConn().CopyTo(ctx, &buf, "COPY ("+query+") TO STDOUT"); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if buf.Len() == 0 {
		t.Fatalf("%s: no rows", query)
	}
	return buf.Bytes()
}

func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < max(len(la), len(lb)); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("row %d (of %d and %d):\nfactgraph: %.300s\nCayley:    %.300s", i+1, len(la), len(lb), x, y)
		}
	}
	return "(same lines)"
}
