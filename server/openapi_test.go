package server

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/graph/format"
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

// TestOpenAPIParameters checks that the document lists exactly the URL
// parameters that the routes which reject unknown ones take, the fields of a
// query body, the formats of the format table and the error codes.
func TestOpenAPIParameters(t *testing.T) {
	type param struct {
		Ref    string `json:"$ref"`
		Name   string `json:"name"`
		Schema struct {
			Enum []string `json:"enum"`
		} `json:"schema"`
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []param `json:"parameters"`
		} `json:"paths"`
		Components struct {
			Parameters map[string]param `json:"parameters"`
			Schemas    map[string]struct {
				Properties map[string]struct {
					Enum       []string `json:"enum"`
					Properties map[string]struct {
						Enum []string `json:"enum"`
					} `json:"properties"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	params := func(path, method string) (names []string, byName map[string]param) {
		byName = map[string]param{}
		for _, p := range doc.Paths[path][method].Parameters {
			if ref, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
				p = doc.Components.Parameters[ref]
			}
			names = append(names, p.Name)
			byName[p.Name] = p
		}
		slices.Sort(names)
		return names, byName
	}
	sorted := func(s []string) []string { return slices.Sorted(slices.Values(s)) }

	quads, byName := params("/api/v1/quads", "get")
	if want := sorted(quadsParams); !slices.Equal(quads, want) {
		t.Errorf("GET /api/v1/quads documents %v, the handler takes %v", quads, want)
	}
	if got, want := byName["format"].Schema.Enum, format.Names(format.Export); !slices.Equal(got, want) {
		t.Errorf("GET /api/v1/quads documents formats %v, the format table's are %v", got, want)
	}
	if got, want := doc.Components.Parameters["format"].Schema.Enum, format.Names(format.Rows); !slices.Equal(got, want) {
		t.Errorf("the query's format parameter documents %v, the format table's are %v", got, want)
	}
	if got, want := doc.Components.Schemas["QueryRequest"].Properties["format"].Enum, format.Names(format.Rows); !slices.Equal(got, want) {
		t.Errorf("QueryRequest documents formats %v, the format table's are %v", got, want)
	}
	var codes []string
	for c := range statusOf {
		codes = append(codes, string(c))
	}
	if got := sorted(doc.Components.Schemas["Error"].Properties["error"].Properties["code"].Enum); !slices.Equal(got, sorted(codes)) {
		t.Errorf("Error documents codes %v, the status table has %v", got, sorted(codes))
	}
	for _, method := range []string{"get", "post"} {
		got, _ := params("/api/v1/query", method)
		if want := sorted(queryParamNames); !slices.Equal(got, want) {
			t.Errorf("%s /api/v1/query documents %v, the handler takes %v", method, got, want)
		}
	}
	var fields []string
	for name := range doc.Components.Schemas["QueryRequest"].Properties {
		fields = append(fields, name)
	}
	if got, want := sorted(fields), sorted(queryParamNames); !slices.Equal(got, want) {
		t.Errorf("QueryRequest documents %v, the handler takes %v", got, want)
	}
}

// TestQueryParamNamesMatchBody checks that the URL and form parameters of a
// query are the fields of its JSON body.
func TestQueryParamNamesMatchBody(t *testing.T) {
	var tags []string
	typ := reflect.TypeFor[queryParams]()
	for i := range typ.NumField() {
		tags = append(tags, typ.Field(i).Tag.Get("json"))
	}
	if !slices.Equal(tags, queryParamNames) {
		t.Errorf("queryParams has the JSON fields %v, queryParamNames is %v", tags, queryParamNames)
	}
}
