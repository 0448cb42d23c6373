package datasets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMoviesInCayleysModule(t *testing.T) {
	p, err := Movies()
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := CayleyDir()
	if !strings.HasPrefix(p, dir) || filepath.Base(p) != "30kmoviedata.nq.gz" {
		t.Errorf("Movies() = %s, want data/30kmoviedata.nq.gz under %s", p, dir)
	}
	if p, _ := MoviesOr("x.nq"); p != "x.nq" {
		t.Errorf("MoviesOr(x.nq) = %s", p)
	}
}

func TestTheSharedFolderFollowsTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FACTGRAPH_SHARED", dir)
	if got, ok := Shared(); !ok || got != dir {
		t.Errorf("Shared() = %s, %v; want %s, true", got, ok, dir)
	}
	missing := filepath.Join(dir, "nope")
	t.Setenv("FACTGRAPH_SHARED", missing)
	if _, ok := Shared(); ok {
		t.Errorf("Shared() found %s, which does not exist", missing)
	}
	if err := os.WriteFile(missing, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := Shared(); ok {
		t.Errorf("Shared() took the file %s for a folder", missing)
	}
}
