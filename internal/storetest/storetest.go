// Package storetest is the conformance suite every factgraph backend runs: the
// same loads, failures and article questions on memory, bolt, PostgreSQL.
package storetest

import (
	"context"
	"slices"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/queries"
)

// Opener returns a fresh, empty store for one test; the test closes it.
type Opener func(t *testing.T) *graph.Store

// Run runs the suite against the stores that open returns.
func Run(t *testing.T, open Opener) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, *graph.Store)
	}{
		{"Empty", testEmpty},
		{"LoadArticle", testLoadArticle},
		{"FailedBatchChangesNothing", testFailedBatch},
		{"ArticleQuestions", testArticleQuestions},
		{"Evidence", testEvidence},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() { st.Close() })
			tc.fn(t, st)
		})
	}
}

func count(t *testing.T, st *graph.Store) int64 {
	t.Helper()
	s, err := st.Stats(context.Background(), true)
	if err != nil {
		t.Fatalf("stats: %v", err)
	}
	return s.Quads.Value
}

func testEmpty(t *testing.T, st *graph.Store) {
	if n := count(t, st); n != 0 {
		t.Errorf("fresh store has %d quads", n)
	}
}

func testLoadArticle(t *testing.T, st *graph.Store) {
	ctx := context.Background()
	quads := testkit.ArticleQuads(t)
	stats, err := loaders.Apply(ctx, st, quads)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Added != len(quads) || stats.Duplicates != 0 {
		t.Errorf("first load: %+v, want %d added", stats, len(quads))
	}
	if n := count(t, st); n != int64(len(quads)) {
		t.Errorf("store has %d quads, want %d", n, len(quads))
	}
	stats, err = loaders.Apply(ctx, st, quads)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Added != 0 || stats.Duplicates != len(quads) {
		t.Errorf("second load: %+v, want all duplicates", stats)
	}
}

// testFailedBatch applies a batch whose last delta must fail (deleting a quad
// that is not there, without IgnoreMissing): none of its adds may stay.
func testFailedBatch(t *testing.T, st *graph.Store) {
	ctx := context.Background()
	if _, err := loaders.Apply(ctx, st, testkit.ArticleQuads(t)); err != nil {
		t.Fatal(err)
	}
	before := count(t, st)
	deltas := []cgraph.Delta{
		{Action: cgraph.Add, Quad: quad.MakeIRI("urn:a", "urn:p", "urn:b", "")},
		{Action: cgraph.Add, Quad: quad.MakeIRI("urn:a", "urn:p", "urn:c", "")},
		{Action: cgraph.Delete, Quad: quad.MakeIRI("urn:missing", "urn:p", "urn:x", "")},
	}
	if err := st.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true}); err == nil {
		t.Fatal("deleting a missing quad succeeded; want an error")
	}
	if after := count(t, st); after != before {
		t.Errorf("failed batch changed the store: %d quads before, %d after", before, after)
	}
	ok, err := graph.Exists(ctx, st, quad.IRI("urn:a"))
	if err != nil || ok {
		t.Errorf("a node of the failed batch is in the store (exists=%v, err=%v)", ok, err)
	}
}

func names(t *testing.T, st *graph.Store, q string) []string {
	t.Helper()
	res, err := queries.Run(context.Background(), st, queries.Request{Lang: "path", Query: q})
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	var out []string
	for _, r := range res.Rows {
		out = append(out, r.Cells[0].Name)
	}
	slices.Sort(out)
	return out
}

func testArticleQuestions(t *testing.T, st *graph.Store) {
	if _, err := loaders.Apply(context.Background(), st, testkit.ArticleQuads(t)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{`Japan -> hasRAAWith`, []string{"Australia", "United Kingdom"}},
		{`Japan -> (hasRAAWith | negotiatingRAAWith)`, []string{"Australia", "France", "Philippines", "United Kingdom"}},
		{`Kishida -> met`, []string{"Emmanuel Macron"}},
		{`France <- leads`, []string{"Emmanuel Macron"}},
		{`"Senkaku Islands" -> claimedBy`, []string{"China"}},
		{`"New Caledonia" -> locatedIn+`, []string{"Indo-Pacific", "South Pacific"}},
		{`Britain <- hasRAAWith`, []string{"Japan"}},
		{`Japan <- party [type = RAA] [status = in-force] -> party except (Japan)`, []string{"Australia", "United Kingdom"}},
	} {
		if got := names(t, st, tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.q, got, tc.want)
		}
	}
}

func testEvidence(t *testing.T, st *graph.Store) {
	if _, err := loaders.Apply(context.Background(), st, testkit.ArticleQuads(t)); err != nil {
		t.Fatal(err)
	}
	w, err := queries.WhyFact(context.Background(), st, "Japan", "negotiatingRAAWith", "Philippines")
	if err != nil {
		t.Fatal(err)
	}
	if !w.Stated() || w.Fact.Statements[0].Sentence != "Additionally, it has agreed with the Philippines to initiate talks for such an accord." {
		t.Errorf("why: %+v", w.Fact)
	}
}
