package nqfast

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// readAll reads every quad, stopping at the first error.
func readAll(r quad.Reader) ([]quad.Quad, error) {
	var out []quad.Quad
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return out, err
		}
		out = append(out, q)
	}
}

// sameAsCayley checks that both readers give the same quads from doc and
// that both fail, or neither.
func sameAsCayley(t testing.TB, doc string) {
	t.Helper()
	want, werr := readAll(nquads.NewReader(strings.NewReader(doc), false))
	got, gerr := readAll(NewNQuadsReader(strings.NewReader(doc)))
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("input %q: cayley error %v, ours %v", doc, werr, gerr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("input %q:\n got %#v\nwant %#v", doc, got, want)
	}
}

func quadModuleDir(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/cayleygraph/quad").Output()
	if err != nil {
		t.Skipf("cannot locate the quad module: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// TestW3CSuites runs the RDF Working Group's N-Triples and N-Quads test
// suites shipped in the quad module: every good file parses, every bad one
// fails (but for the files Cayley's own test skips, where its relaxed grammar
// accepts bad input), and each file gives exactly Cayley's quads.
func TestW3CSuites(t *testing.T) {
	// The files quad/nquads' TestRDFWorkingGroupSuit skips: its grammar
	// accepts them although they are bad. Our reader agrees with Cayley's.
	relaxed := map[string]bool{
		"minimal_whitespace.nt": true, "minimal_whitespace.nq": true,
		"nq-syntax-bad-literal-01.nq": true, "nq-syntax-bad-literal-02.nq": true, "nq-syntax-bad-literal-03.nq": true,
		"nq-syntax-bad-uri-01.nq": true,
	}
	for _, f := range []string{"num-01", "num-02", "num-03", "prefix-01", "string-02", "string-03", "string-04",
		"struct-01", "uri-01", "uri-04", "uri-06", "uri-07", "uri-08", "uri-09"} {
		relaxed["nt-syntax-bad-"+f+".nt"] = true
		relaxed["nt-syntax-bad-"+f+".nq"] = true
	}
	dir := quadModuleDir(t)
	n := 0
	for _, archive := range []string{"ntriple_tests.tar.gz", "nquad_tests.tar.gz"} {
		f, err := os.Open(filepath.Join(dir, archive))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(zr)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(h.Name)
			if ext := filepath.Ext(name); ext != ".nt" && ext != ".nq" {
				continue
			}
			data, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			n++
			t.Run(name, func(t *testing.T) {
				sameAsCayley(t, string(data))
				_, err := readAll(NewNQuadsReader(strings.NewReader(string(data))))
				bad := strings.Contains(name, "bad")
				if !relaxed[name] && (err != nil) != bad {
					t.Errorf("bad=%v, error %v", bad, err)
				}
			})
		}
		f.Close()
	}
	if n < 150 {
		t.Errorf("ran %d suite files, want the whole suites", n)
	}
}

var fuzzSeeds = []string{
	"<s> <p> <o> .\n",
	"<s> <p> <o> <g> .\n",
	"_:a <p> \"x\" .\n",
	"_:a <p> _:b.\n",
	"<s> <p> \"x\"@en-GB <g> . # c\n",
	"<s> <p> \"12\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
	"<s> <p> \"2001-01-01T00:00:00Z\"^^<http://schema.org/DateTime> .\n",
	"<s>\t<p>\t\"a\\tb\"\t.\r\n",
	"<s> <p> o .\n",
	"<s> <p> <o>.x .\n",
	"<s> <p> \"é\" .\n# comment\n\n",
	"<s> <p> <> .\n",
	"<s> <p> \"x\"@1 .\n",
	"<s> <p> \"x\"^^<> .\n",
	"\xff <p> <o> .\n",
	"<s> <p> <o> <g> <h> .\n",
	"<s> <p> _:a. .\n",
	"<a{b> <p> <o> .\n",
}

// FuzzNQuadsDifferential checks that our reader and Cayley's give the same
// quads or both reject.
func FuzzNQuadsDifferential(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		defer func() {
			// Cayley's parser panics on some inputs; ours must agree
			// wherever Cayley's survives.
			if r := recover(); r != nil {
				t.Skip("cayley's parser panicked")
			}
		}()
		if strings.Contains(doc, ".#") {
			// Cayley's reader misreads a comment that follows the final '.'
			// without a space ("<s> <p> <o>.#c" gives the object "<o>.#");
			// TestCommentAfterDot pins what we read instead.
			t.Skip("known Cayley misreading of a comment after '.'")
		}
		sameAsCayley(t, doc)
	})
}

func TestNQuadsSeeds(t *testing.T) {
	for _, s := range fuzzSeeds {
		sameAsCayley(t, s)
	}
}

func TestNQuadsFastPathCoverage(t *testing.T) {
	var tt [4]Term
	for _, line := range []string{
		`<s> <p> <o> .`, `_:a <p> "x"@en .`, `<s> <p> "1"^^<t> <g> .`, `_:a <p> _:b.`,
	} {
		if _, ok := ParseFast([]byte(line), &tt); !ok {
			t.Errorf("%q: not on the fast path", line)
		}
	}
	_, err := readAll(NewNQuadsReader(strings.NewReader("<s> <p> <o> .\n<s> <p\n")))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error %v, want one naming line 2", err)
	}
	if !errors.Is(err, quad.ErrInvalid) && !errors.Is(err, quad.ErrIncomplete) {
		t.Logf("error: %v", err)
	}
}

// TestCommentAfterDot: a comment may follow the final '.' directly; the
// statement before it is read as written (Cayley's reader, alone here, reads
// the object as the text "<00>.#").
func TestCommentAfterDot(t *testing.T) {
	got, err := quad.ReadAll(NewNQuadsReader(strings.NewReader("<0> <0> <00>.#.\n")))
	want := []quad.Quad{{Subject: quad.IRI("0"), Predicate: quad.IRI("0"), Object: quad.IRI("00")}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
}
