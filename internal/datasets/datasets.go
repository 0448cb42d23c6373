// Package datasets finds the data sets that tests, benchmarks and bench
// commands share, wherever the repository is cloned.
//
// The 30k-movie set (471,705 quads of Freebase film data) and Cayley's small
// test graph ship inside Cayley's module, so any machine that can build
// factgraph has them: they are looked up in the module cache with
// `go list -m`, never beside the repository. Data sets that ship nowhere else
// (the W3C SPARQL suites) live in a folder named by $FACTGRAPH_SHARED, or
// ../shared beside the repository; tests that need them skip without them
// (see Shared).
package datasets

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// MoviesQuads is the number of quads of the 30k-movie set.
const MoviesQuads = 471705

// cayleyModule is the module whose data/ folder holds the movie set.
const cayleyModule = "github.com/cayleygraph/cayley"

var (
	cayleyOnce sync.Once
	cayleyDir  string
	cayleyErr  error
)

// CayleyDir returns the directory of Cayley's module in the module cache (as
// `go list -m -f {{.Dir}} github.com/cayleygraph/cayley` prints it). It needs
// the go command, which every test run and `go run` has.
func CayleyDir() (string, error) {
	cayleyOnce.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			goBin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
		}
		cmd := exec.Command(goBin, "list", "-m", "-f", "{{.Dir}}", cayleyModule)
		cmd.Dir = moduleRoot()
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) && len(ee.Stderr) > 0 {
				err = fmt.Errorf("%w: %s", err, strings.TrimSpace(string(ee.Stderr)))
			}
			cayleyErr = fmt.Errorf("find Cayley's module (go list -m %s): %w", cayleyModule, err)
			return
		}
		cayleyDir = strings.TrimSpace(string(out))
		if cayleyDir == "" {
			// go list prints no directory for a module not downloaded yet.
			cayleyErr = fmt.Errorf("find Cayley's module: not in the module cache (run go mod download %s)", cayleyModule)
		}
	})
	return cayleyDir, cayleyErr
}

// Movies returns the path of the 30k-movie set (gzipped N-Quads) in Cayley's
// module.
func Movies() (string, error) { return cayleyData("30kmoviedata.nq.gz") }

// CayleyTestdata returns the path of Cayley's small test graph, testdata.nq.
func CayleyTestdata() (string, error) { return cayleyData("testdata.nq") }

func cayleyData(name string) (string, error) {
	dir, err := CayleyDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, "data", name)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("Cayley's module has no data/%s: %w", name, err)
	}
	return p, nil
}

// Shared returns the folder of optional data sets that ship with neither
// the repository nor a module: $FACTGRAPH_SHARED if set, else ../shared
// beside the repository. ok is false when the folder does not exist; tests
// then skip (and CI, which has it, requires them with
// FACTGRAPH_REQUIRE_SHARED=1).
func Shared() (dir string, ok bool) {
	dir = os.Getenv("FACTGRAPH_SHARED")
	if dir == "" {
		root := moduleRoot()
		if root == "" {
			return "", false
		}
		dir = filepath.Join(root, "..", "shared")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return dir, false
	}
	return dir, true
}

// moduleRoot returns the directory of factgraph's go.mod, found upwards from
// the working directory ("" if there is none).
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// MoviesOr returns path, or the 30k-movie set when path is empty: the
// default of the bench commands' -data flags.
func MoviesOr(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	return Movies()
}
