package disk_test

import (
	"testing"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/graphtest"
	"github.com/cayleygraph/cayley/query/path/pathtest"

	"github.com/factgraph/factgraph/graph/disk"
	"github.com/factgraph/factgraph/internal/cayleysuite"
)

func newStore(t testing.TB) (graph.QuadStore, graph.Options) {
	s, err := disk.Open(t.TempDir(), disk.DefaultCheckpointBytes)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, nil
}

// TestCayleyGraphSuite runs Cayley's conformance suite for quad stores,
// which includes the path morphism tests and the integration queries.
func TestCayleyGraphSuite(t *testing.T) {
	cayleysuite.InData(t, "../compact/testdata")
	graphtest.TestAll(t, newStore, &graphtest.Config{AlwaysRunIntegration: true})
}

// TestCayleyPathMorphisms runs Cayley's path tests on their own as well.
func TestCayleyPathMorphisms(t *testing.T) {
	cayleysuite.InData(t, "../compact/testdata")
	pathtest.RunTestMorphisms(t, newStore)
}

// TestCayleyGizmoSuite runs the Gizmo test cases of Cayley's query/gizmo
// package against this store.
func TestCayleyGizmoSuite(t *testing.T) {
	cayleysuite.Gizmo(t, disk.Name, "github.com/factgraph/factgraph/graph/disk", "dir")
}
