// Package cayleysuite runs Cayley's shared test suites (graphtest, pathtest,
// the Gizmo cases) against factgraph's quad stores.
package cayleysuite

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/internal/datasets"
)

// InData runs the rest of the test in a directory laid out the way
// Cayley's shared suites look for their data: data/testdata.nq (a copy of
// Cayley's, in the directory testdata) a level or two up, and data/30kmoviedata.nq.gz
// (from Cayley's module) two levels up for the integration queries.
func InData(t *testing.T, testdata string) {
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
	for _, f := range []string{filepath.Join(testdata, "testdata.nq"), filepath.Join(testdata, "testdata_multigraph.nq"), movies} {
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

// Gizmo runs the Gizmo test cases of Cayley's query/gizmo package against
// a store. The cases are unexported, so it copies the package into a scratch
// module, points its test's store constructor at the Cayley backend (opened
// with the Go expression address, in which dir is a fresh temporary
// directory) with importPath blank-imported, and runs go test there. It
// skips under -short.
func Gizmo(t *testing.T, backend, importPath, address string) {
	if testing.Short() {
		t.Skip("runs go test in a scratch module")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	goList := func(args ...string) string {
		out, err := exec.Command(goBin, append([]string{"list", "-m"}, args...)...).Output()
		if err != nil {
			t.Fatalf("go list -m %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	cayleyDir := goList("-f", "{{.Dir}}", "github.com/cayleygraph/cayley")
	repo := goList("-f", "{{.Dir}}")

	root := t.TempDir()
	pkg := filepath.Join(root, "query", "gizmo")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(cayleyDir, "data"), filepath.Join(root, "data")); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(cayleyDir, "query", "gizmo")
	files, err := filepath.Glob(filepath.Join(src, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("gizmo sources in %s: %v", src, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if filepath.Base(f) == "gizmo_test.go" {
			for _, r := range [][2]string{
				{`graph.NewQuadStore("memstore", "", nil)`, `newSuiteStore()`},
				{`_ "github.com/cayleygraph/cayley/graph/memstore"`, `_ "` + importPath + `"`},
			} {
				if !strings.Contains(text, r[0]) {
					t.Fatalf("gizmo_test.go no longer contains %s", r[0])
				}
				text = strings.ReplaceAll(text, r[0], r[1])
			}
		}
		if err := os.WriteFile(filepath.Join(pkg, filepath.Base(f)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The scratch module requires everything ours does, so it resolves the
	// same versions from the same go.sum and needs no module ours did not.
	ourMod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	modLine := "module github.com/factgraph/factgraph\n"
	if !strings.HasPrefix(string(ourMod), modLine) {
		t.Fatalf("go.mod does not start with %q", modLine)
	}
	gomod := "module gizmocheck\n" + strings.TrimPrefix(string(ourMod), modLine) +
		"\nrequire github.com/factgraph/factgraph v0.0.0\n" +
		"\nreplace github.com/factgraph/factgraph => " + repo + "\n"
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	store := "package gizmo\n\nimport (\n\t\"os\"\n\n\t\"github.com/cayleygraph/cayley/graph\"\n)\n\n" +
		"// newSuiteStore opens the store under test (written by cayleysuite.Gizmo).\n" +
		"func newSuiteStore() (graph.QuadStore, error) {\n\tdir, err := os.MkdirTemp(\"\", \"gizmo\")\n\tif err != nil {\n\t\treturn nil, err\n\t}\n" +
		"\t_ = dir\n\treturn graph.NewQuadStore(" + strconv.Quote(backend) + ", " + address + ", nil)\n}\n"
	if err := os.WriteFile(filepath.Join(pkg, "suite_store_test.go"), []byte(store), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goBin, "test", "-count=1", "-v", "./query/gizmo")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	passed := strings.Count(string(out), "--- PASS")
	if err != nil {
		t.Fatalf("gizmo suite on %s: %v\n%s", backend, err, out)
	}
	if passed < 50 {
		t.Fatalf("only %d gizmo cases passed:\n%s", passed, out)
	}
	t.Logf("%d gizmo cases passed", passed)
}
