// Package testkit builds the stores that tests across factgraph share.
package testkit

import (
	"context"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/loaders"
)

// ArticleQuads returns the embedded article's quads, parsed.
func ArticleQuads(t testing.TB) []quad.Quad {
	t.Helper()
	qs, err := loaders.ReadArticle()
	if err != nil {
		t.Fatalf("parse embedded article: %v", err)
	}
	return qs
}

// ArticleStore returns a fresh memory store holding the embedded article.
func ArticleStore(t testing.TB) *graph.Store {
	t.Helper()
	return StoreWith(t, ArticleQuads(t))
}

// StoreWith returns a fresh memory store holding quads.
func StoreWith(t testing.TB, quads []quad.Quad) *graph.Store {
	t.Helper()
	qs := compact.New()
	if _, err := loaders.Apply(context.Background(), qs, quads); err != nil {
		t.Fatalf("load: %v", err)
	}
	t.Cleanup(func() { qs.Close() })
	return &graph.Store{QuadStore: qs, URL: "memory", Backend: graph.BackendMemory}
}
