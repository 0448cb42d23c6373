package compact_test

import (
	"testing"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/graphtest"
	"github.com/cayleygraph/cayley/query/path/pathtest"

	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/internal/cayleysuite"
)

func newStore(testing.TB) (graph.QuadStore, graph.Options) { return compact.New(), nil }

// TestCayleyGraphSuite runs Cayley's conformance suite for quad stores,
// which includes the path morphism tests and the integration queries.
func TestCayleyGraphSuite(t *testing.T) {
	cayleysuite.InData(t, "testdata")
	graphtest.TestAll(t, newStore, &graphtest.Config{AlwaysRunIntegration: true})
}

// TestCayleyPathMorphisms runs Cayley's path tests on their own as well.
func TestCayleyPathMorphisms(t *testing.T) {
	cayleysuite.InData(t, "testdata")
	pathtest.RunTestMorphisms(t, newStore)
}

// BenchmarkCayleyGraph runs Cayley's shared quad store benchmarks.
func BenchmarkCayleyGraph(b *testing.B) {
	graphtest.BenchmarkAll(b, newStore, &graphtest.Config{})
}
