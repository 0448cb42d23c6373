package eval

import (
	"context"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/graph/disk"
)

// TestReaderOf checks which stores a run reads in node ids: the compact
// store and the disk store, bare or in a graph.Store, a mirror whose copy is
// a compact store, and no other.
func TestReaderOf(t *testing.T) {
	d, err := disk.Open(t.TempDir(), disk.DefaultCheckpointBytes)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mem := compact.New()
	mirror, err := graph.NewMirror(context.Background(), &graph.Store{QuadStore: memstore.New()}, compact.New())
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		qs  cgraph.QuadStore
		ids bool
	}{
		"compact":         {mem, true},
		"compact wrapped": {&graph.Store{QuadStore: mem}, true},
		"disk":            {d, true},
		"disk wrapped":    {&graph.Store{QuadStore: d}, true},
		"mirror":          {mirror, true},
		"memstore":        {memstore.New(), false},
	} {
		if got := readerOf(c.qs) != nil; got != c.ids {
			t.Errorf("%s: reads in ids %v, want %v", name, got, c.ids)
		}
	}
}
