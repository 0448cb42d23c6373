package loaders_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

// readJSONLD reads doc as a JSON-LD file named "t.jsonld", failing the test if
// the read takes long (a loader that opened a FIFO would block forever).
func readJSONLD(t *testing.T, doc string, opt loaders.ReadOptions) ([]quad.Quad, error) {
	t.Helper()
	opt.Format = "jsonld"
	type result struct {
		qs  []quad.Quad
		err error
	}
	done := make(chan result, 1)
	go func() {
		qs, err := loaders.Read("t.jsonld", strings.NewReader(doc), opt)
		done <- result{qs, err}
	}()
	select {
	case r := <-done:
		return r.qs, r.err
	case <-time.After(20 * time.Second):
		t.Fatal("the JSON-LD read blocked: it opened a file or connection on behalf of the data")
		return nil, nil
	}
}

// wantError checks that err holds an invalid error at line:col whose message
// mentions every one of want.
func wantError(t *testing.T, err error, line, col int, want ...string) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want an *errs.Error", err)
	}
	if e.Code != errs.Invalid || e.Line != line || e.Column != col {
		t.Errorf("error %s (code %s), want invalid at %d:%d", e, e.Code, line, col)
	}
	for _, w := range want {
		if !strings.Contains(e.Message, w) {
			t.Errorf("message %q, want it to mention %q", e.Message, w)
		}
	}
}

func TestJSONLDRemoteContextIsRefused(t *testing.T) {
	addr, conns := testkit.CountingListener(t)
	url := "http://" + addr + "/context.jsonld"
	for _, tc := range []struct {
		name, doc string
		line, col int
	}{
		{"string", `{"@context": "` + url + `", "name": "x"}`, 1, 14},
		{"array", "{\n  \"@context\": [\n    {\"@vocab\": \"urn:v#\"},\n    \"" + url + "\"\n  ]\n}", 4, 5},
		{"@import", `{"@context": {"@version": 1.1, "@import": "` + url + `"}, "name": "x"}`, 1, 43},
		{"scoped", `{"@context": {"p": {"@id": "urn:p", "@context": "` + url + `"}}, "p": {"q": 1}}`, 1, 49},
		{"nested node", `{"@id": "urn:a", "urn:p": {"@context": "` + url + `", "name": "x"}}`, 1, 40},
		{"https", `{"@context": "https://schema.org/", "name": "x"}`, 1, 14},
	} {
		t.Run(tc.name, func(t *testing.T) {
			qs, err := readJSONLD(t, tc.doc, loaders.ReadOptions{})
			if qs != nil {
				t.Errorf("got quads %v", qs)
			}
			wantError(t, err, tc.line, tc.col, "remote context", "inline the context")
		})
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections to the context's server; want none", n)
	}
}

// TestJSONLDLoaderRefusesWhatTheScanMisses: the processor's document loader
// is the second line: a context that reaches the processor is not fetched.
func TestJSONLDLoaderRefusesWhatTheScanMisses(t *testing.T) {
	addr, conns := testkit.CountingListener(t)
	// A keyword alias of @context is no JSON-LD, but a processor might honour it.
	doc := `{"@context": {"ctx": "@context"}, "ctx": "http://` + addr + `/c", "urn:p": "x"}`
	_, _ = readJSONLD(t, doc, loaders.ReadOptions{})
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections to the context's server; want none", n)
	}
}

func TestJSONLDLocalContextIsRefused(t *testing.T) {
	dir := t.TempDir()
	// A FIFO: a loader that opened it would block until the test timed out.
	fifo := filepath.Join(dir, "context.jsonld")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{fifo, "file://" + fifo, "context.jsonld", "../context.jsonld"} {
		t.Run(ref, func(t *testing.T) {
			doc := fmt.Sprintf(`{"@context": %q, "name": "x"}`, ref)
			_, err := readJSONLD(t, doc, loaders.ReadOptions{})
			wantError(t, err, 1, 14, "names a file", "inline the context", "--context-dir")
		})
	}
}

func TestJSONLDContextDir(t *testing.T) {
	dir := t.TempDir()
	ctx := `{"@context": {"name": "https://schema.org/name", "@base": "urn:x:"}}`
	if err := os.WriteFile(filepath.Join(dir, "ctx.jsonld"), []byte(ctx), 0o600); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "secret.jsonld")
	if err := os.WriteFile(outside, []byte(ctx), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.jsonld")); err != nil {
		t.Fatal(err)
	}
	opt := loaders.ReadOptions{ContextDir: dir}

	for _, ref := range []string{"ctx.jsonld", filepath.Join(dir, "ctx.jsonld")} {
		qs, err := readJSONLD(t, fmt.Sprintf(`{"@context": %q, "@id": "urn:a", "name": "Ann"}`, ref), opt)
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		want := quad.Quad{Subject: quad.IRI("urn:a"), Predicate: quad.IRI("https://schema.org/name"), Object: quad.String("Ann")}
		if len(qs) != 1 || qs[0] != want {
			t.Errorf("%s: got %v, want %v", ref, qs, want)
		}
	}
	for _, tc := range []struct{ ref, want string }{
		{"../" + filepath.Base(filepath.Dir(outside)) + "/secret.jsonld", "outside"},
		{outside, "outside"},
		{"link.jsonld", "invalid JSON-LD"}, // os.Root does not follow a link out of the directory
		{"https://schema.org/", "remote context"},
	} {
		_, err := readJSONLD(t, fmt.Sprintf(`{"@context": %q, "@id": "urn:a", "name": "Ann"}`, tc.ref), opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", tc.ref, err, tc.want)
		}
	}
}

func TestJSONLDScalarsAreErrors(t *testing.T) {
	for _, tc := range []struct {
		doc       string
		line, col int
		found     string
	}{
		{`"x"`, 1, 1, `the string "x"`},
		{`  42`, 1, 3, "the number 42"},
		{`true`, 1, 1, "true"},
		{`null`, 1, 1, "null"},
		{"[{\"@id\": \"urn:a\", \"urn:p\": 1},\n 7]", 2, 2, "the number 7"},
		{`[[{"@id": "urn:a"}]]`, 1, 2, "an array"},
	} {
		_, err := readJSONLD(t, tc.doc, loaders.ReadOptions{})
		wantError(t, err, tc.line, tc.col, "expected a JSON-LD node object", tc.found)
	}
}

// TestJSONLDBlankNodes: blank nodes read as labels without the processor's
// "_:", and blank graph names as blank nodes.
func TestJSONLDBlankNodes(t *testing.T) {
	qs, err := readJSONLD(t, `{"@id": "_:g", "@graph": [{"@id": "_:x", "urn:p": {"@id": "_:y"}}]}`, loaders.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 1 {
		t.Fatalf("got %v", qs)
	}
	for _, v := range []quad.Value{qs[0].Subject, qs[0].Object, qs[0].Label} {
		b, ok := v.(quad.BNode)
		if !ok || strings.HasPrefix(string(b), "_:") || !loaders.ValidBlankLabel(string(b)) {
			t.Errorf("%#v is not a plain blank node label", v)
		}
	}
}
