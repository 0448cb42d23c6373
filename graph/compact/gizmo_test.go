package compact_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCayleyGizmoSuite runs the Gizmo test cases of Cayley's query/gizmo
// package against this store. The cases are unexported, so the test copies
// the package into a scratch module, points its test's store constructor at
// "compact" instead of "memstore", and runs go test there.
func TestCayleyGizmoSuite(t *testing.T) {
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
				{`graph.NewQuadStore("memstore", "", nil)`, `graph.NewQuadStore("compact", "", nil)`},
				{`_ "github.com/cayleygraph/cayley/graph/memstore"`, `_ "github.com/factgraph/factgraph/graph/compact"`},
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
	cmd := exec.Command(goBin, "test", "-count=1", "-v", "./query/gizmo")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	passed := strings.Count(string(out), "--- PASS")
	if err != nil {
		t.Fatalf("gizmo suite on compact: %v\n%s", err, out)
	}
	if passed < 50 {
		t.Fatalf("only %d gizmo cases passed:\n%s", passed, out)
	}
	t.Logf("%d gizmo cases passed", passed)
}
