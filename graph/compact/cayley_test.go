package compact_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/graphtest"
	"github.com/cayleygraph/cayley/query/path/pathtest"

	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/internal/datasets"
)

func newStore(testing.TB) (graph.QuadStore, graph.Options) { return compact.New(), nil }

// inCayleyData runs the rest of the test in a directory laid out the way
// Cayley's shared suites look for their data: data/testdata.nq (a copy of
// Cayley's, kept in testdata) a level or two up, and data/30kmoviedata.nq.gz
// (from Cayley's module) two levels up for the integration queries.
func inCayleyData(t *testing.T) {
	t.Helper()
	movies, err := datasets.Movies()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	data := filepath.Join(root, "data")
	cwd := filepath.Join(root, "a", "b")
	for _, dir := range []string{data, cwd} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"testdata/testdata.nq", "testdata/testdata_multigraph.nq", movies} {
		src, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(src, filepath.Join(data, filepath.Base(f))); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(cwd)
}

// TestCayleyGraphSuite runs Cayley's conformance suite for quad stores,
// which includes the path morphism tests and the integration queries.
func TestCayleyGraphSuite(t *testing.T) {
	inCayleyData(t)
	graphtest.TestAll(t, newStore, &graphtest.Config{AlwaysRunIntegration: true})
}

// TestCayleyPathMorphisms runs Cayley's path tests on their own as well.
func TestCayleyPathMorphisms(t *testing.T) {
	inCayleyData(t)
	pathtest.RunTestMorphisms(t, newStore)
}

// BenchmarkCayleyGraph runs Cayley's shared quad store benchmarks.
func BenchmarkCayleyGraph(b *testing.B) {
	graphtest.BenchmarkAll(b, newStore, &graphtest.Config{})
}
