package server

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

// TestLoadRefusesRemoteJSONLDContext: a JSON-LD body that names its context by
// URL is refused with the context's position, on /api/v1/load and on
// /api/v2/write, and nothing connects to the URL.
func TestLoadRefusesRemoteJSONLDContext(t *testing.T) {
	addr, conns := testkit.CountingListener(t)
	s := newServer(t, Config{WriteToken: token})
	before := quadCount(t, s)
	doc := "{\n  \"@context\": \"http://" + addr + "/ctx\",\n  \"@id\": \"urn:a\", \"name\": \"x\"\n}"
	for _, route := range []string{"/api/v1/load", "/api/v2/write"} {
		rec := do(s, http.MethodPost, route, doc, append([]string{"Content-Type", "application/ld+json"}, bearer...)...)
		wantStatus(t, rec, http.StatusBadRequest)
		if !strings.Contains(rec.Body.String(), "remote context") {
			t.Errorf("%s: body %s, want it to say the context is remote", route, rec.Body)
		}
		if route == "/api/v1/load" {
			if e := apiError(t, rec.Body.Bytes()); e.Code != errs.Invalid || e.Line != 2 || e.Column != 15 {
				t.Errorf("error %+v, want invalid at 2:15", e)
			}
		}
	}
	// A local file as context is refused too; the server has no --context-dir.
	rec := do(s, http.MethodPost, "/api/v1/load", `{"@context": "/etc/hostname", "@id": "urn:a", "name": "x"}`,
		append([]string{"Content-Type", "application/ld+json"}, bearer...)...)
	wantStatus(t, rec, http.StatusBadRequest)
	if !strings.Contains(rec.Body.String(), "names a file") {
		t.Errorf("body %s, want it to say the context names a file", rec.Body)
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections to the context's URL, want none", n)
	}
	if after := quadCount(t, s); after != before {
		t.Errorf("refused loads changed the store: %d quads, was %d", after, before)
	}
}

// TestExportsRoundTripBlankNodes: the quads the HTTP exports write of blank
// nodes read back as the same graph.
func TestExportsRoundTripBlankNodes(t *testing.T) {
	orig, err := loaders.Read("blank.nq", strings.NewReader(testkit.BlankGraph), loaders.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(testkit.Canonical(t, orig), "\n")
	s := New(testkit.StoreWith(t, orig), Config{Logger: newLogger(io.Discard)})
	for _, tc := range []struct{ target, format string }{
		{"/api/v1/quads?format=nquads", "nquads"},
		{"/api/v1/quads?format=jsonld", "jsonld"},
		{"/api/v1/quads?format=pquads", "pquads"},
		{"/api/v2/read?format=jsonld", "jsonld"},
		{"/api/v2/read?format=nquads", "nquads"},
	} {
		rec := get(s, tc.target)
		wantStatus(t, rec, http.StatusOK)
		back, err := loaders.Read("export", rec.Body, loaders.ReadOptions{Format: tc.format})
		if err != nil {
			t.Fatalf("%s does not read back: %v", tc.target, err)
		}
		if got := strings.Join(testkit.Canonical(t, back), "\n"); got != want {
			t.Errorf("%s round trip:\n%s\nwant:\n%s", tc.target, got, want)
		}
	}
}
