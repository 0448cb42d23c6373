package graph_test

import (
	"context"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/internal/storetest"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

func mirror(t *testing.T, st *graph.Store) *graph.Store {
	t.Helper()
	m, err := graph.NewMirror(context.Background(), st, compact.New())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMirroredBoltStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *graph.Store { return mirror(t, open(t, "bolt://"+t.TempDir()+"/kg.db")) })
}

// TestMirrorWritesThrough: a mirror starts with the store's quads, and what
// it acknowledges is in the store when it is opened again, deletions too.
func TestMirrorWritesThrough(t *testing.T) {
	ctx := context.Background()
	url := "bolt://" + t.TempDir() + "/kg.db"
	st := open(t, url)
	article := testkit.ArticleQuads(t)
	if _, err := loaders.Apply(ctx, st, article); err != nil {
		t.Fatal(err)
	}
	m := mirror(t, st)
	if n, _ := graph.QuadCount(ctx, m); n != int64(len(article)) {
		t.Fatalf("the copy holds %d quads, the store %d", n, len(article))
	}
	added := quad.Quad{Subject: quad.IRI("urn:a"), Predicate: quad.IRI("urn:p"), Object: quad.String("x")}
	if _, err := loaders.Apply(ctx, m, []quad.Quad{added, added}); err != nil {
		t.Fatal(err)
	}
	gone := article[0]
	if err := m.ApplyDeltas([]cgraph.Delta{{Quad: gone, Action: cgraph.Delete}}, cgraph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := graph.Exists(ctx, m, quad.IRI("urn:a")); !ok {
		t.Error("the copy does not read the write")
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	st = open(t, url)
	defer st.Close()
	if n, _ := graph.QuadCount(ctx, st); n != int64(len(article)) {
		t.Errorf("reopened store holds %d quads, want %d (one added once, one deleted)", n, len(article))
	}
	var found bool
	graph.EachQuad(ctx, st, quad.Subject, quad.IRI("urn:a"), func(q quad.Quad) error { found = q == added; return nil })
	if !found {
		t.Error("the write is not in the reopened store")
	}
	if _, err := m.NewQuadWriter(); err == nil {
		t.Error("a quad writer would bypass the store")
	}
}
