package testkit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/factgraph/factgraph/internal/oxigraph"
)

// Oxigraph starts Oxigraph (the npm package, see package oxigraph) for a
// test: the package under $FACTGRAPH_OXIGRAPH (a folder holding
// node_modules/oxigraph, as .ci/run installs it), or else installed with npm
// into a folder in the user's cache. Without node or npm, or when the
// install fails, the test skips, unless FACTGRAPH_REQUIRE_OXIGRAPH is set
// (as in CI): then it fails.
func Oxigraph(t testing.TB) *oxigraph.Proc {
	t.Helper()
	p, err := oxigraph.Start(context.Background(), OxigraphPackage(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// OxigraphPackage returns the path of the npm package oxigraph, found or
// installed as Oxigraph says (and skipping or failing as it does).
func OxigraphPackage(t testing.TB) string {
	t.Helper()
	fail := func(why string) {
		if os.Getenv("FACTGRAPH_REQUIRE_OXIGRAPH") != "" {
			t.Fatalf("%s; FACTGRAPH_REQUIRE_OXIGRAPH is set", why)
		}
		t.Skip(why + " (set FACTGRAPH_REQUIRE_OXIGRAPH=1 to make this a failure)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		fail("node not found: the comparison with Oxigraph needs Node.js")
	}
	dir := os.Getenv("FACTGRAPH_OXIGRAPH")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir = filepath.Join(cache, "factgraph", "oxigraph-"+oxigraph.Version)
		if _, err := exec.LookPath("npm"); err != nil {
			fail("npm not found: cannot install oxigraph@" + oxigraph.Version)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	pkg, err := oxigraph.Install(ctx, dir)
	if err != nil {
		fail(err.Error())
	}
	return pkg
}
