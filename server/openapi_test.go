package server

import (
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes checks that every route the mux serves is in the
// OpenAPI document, and that every operation of the document is served by the
// route of the same method and path.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q, want 3.x", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(documented)

	s := newServer(t, Config{})
	var served []string
	for _, rt := range s.routes() {
		served = append(served, rt.pattern)
	}
	slices.Sort(served)

	for _, p := range served {
		if _, ok := slices.BinarySearch(documented, p); !ok {
			t.Errorf("route %q is not in openapi.json", p)
		}
	}
	for _, op := range documented {
		method, path, _ := strings.Cut(op, " ")
		_, pattern := s.mux.Handler(httptest.NewRequest(method, path, nil))
		if pattern != op {
			t.Errorf("openapi.json has %q, but the mux routes it to %q", op, pattern)
		}
	}
}
