package server

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
)

func TestQuadsExport(t *testing.T) {
	s := newServer(t, Config{})
	japanHasRAA := "<https://w3id.org/factgraph/Japan> <https://w3id.org/factgraph/hasRAAWith> "
	for _, tc := range []struct {
		name   string
		params url.Values
		lines  int    // quads expected
		each   string // every line contains this
	}{
		{"prefixed names", url.Values{"subject": {"fg:Japan"}, "predicate": {"fg:hasRAAWith"}}, 2, japanHasRAA},
		{"full IRIs", url.Values{"subject": {"<" + fg + "Japan>"}, "predicate": {"<" + fg + "hasRAAWith>"}}, 2, japanHasRAA},
		{"plain string object", url.Values{"predicate": {"fg:status"}, "object": {"in-force"}}, 2, `"in-force"`},
		{"quoted string object", url.Values{"predicate": {"fg:status"}, "object": {`"in-force"`}}, 2, `"in-force"`},
		{"repeated values", url.Values{"subject": {"fg:Japan"}, "predicate": {"fg:hasRAAWith", "fg:negotiatingRAAWith"}}, 4, "<https://w3id.org/factgraph/Japan> "},
		{"label", url.Values{"subject": {"fg:Japan"}, "label": {"fg:news/kyodo-2024-05-02-japan-france-raa#s2"}}, 2, "#s2> ."},
		{"no match", url.Values{"subject": {"fg:Atlantis"}}, 0, ""},
		// Plain strings are names, as in `factgraph dump --object`: Tokyo is an
		// alias of Japan, so it means fg:Japan, not the literal "Tokyo".
		{"alias object", url.Values{"predicate": {"fg:hasRAAWith"}, "object": {"Tokyo"}}, 2, "<https://w3id.org/factgraph/hasRAAWith> <https://w3id.org/factgraph/Japan> "},
		{"alias subject", url.Values{"subject": {"Tokyo"}, "predicate": {"fg:hasRAAWith"}}, 2, japanHasRAA},
		{"alias object is the node", url.Values{"predicate": {"schema:alternateName"}, "object": {"Tokyo"}}, 0, ""},
		{"quoted object is the literal", url.Values{"predicate": {"schema:alternateName"}, "object": {`"Tokyo"`}}, 1,
			`<https://w3id.org/factgraph/Japan> <https://schema.org/alternateName> "Tokyo" `},
		{"name object", url.Values{"predicate": {"fg:negotiatingRAAWith"}, "object": {"Japan"}}, 2, "<https://w3id.org/factgraph/Japan> <"},
		{"empty values match all", url.Values{"subject": {"fg:Japan"}, "predicate": {"fg:hasRAAWith"}, "object": {""}}, 2, japanHasRAA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(s, "/api/v1/quads?"+tc.params.Encode())
			wantStatus(t, rec, http.StatusOK)
			if ct := rec.Header().Get("Content-Type"); ct != "application/n-quads" {
				t.Errorf("Content-Type %q", ct)
			}
			body := strings.TrimSpace(rec.Body.String())
			var lines []string
			if body != "" {
				lines = strings.Split(body, "\n")
			}
			if len(lines) != tc.lines {
				t.Fatalf("%d quads, want %d:\n%s", len(lines), tc.lines, body)
			}
			for _, l := range lines {
				if !strings.Contains(l, tc.each) {
					t.Errorf("quad %q lacks %q", l, tc.each)
				}
			}
		})
	}
}

func TestQuadsExportFormats(t *testing.T) {
	s := newServer(t, Config{})
	filter := "subject=fg:Japan&predicate=fg:hasRAAWith"
	for _, tc := range []struct {
		name, query, accept, wantType string
	}{
		{"format=jsonld", filter + "&format=jsonld", "", "application/ld+json"},
		{"accept jsonld", filter, "application/ld+json", "application/ld+json"},
		{"format=nquads", filter + "&format=nquads", "application/ld+json", "application/n-quads"},
		{"accept anything", filter, "*/*", "application/n-quads"},
		{"accept html or anything", filter, "text/html,*/*;q=0.8", "application/n-quads"},
		{"no accept", filter, "", "application/n-quads"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(s, "/api/v1/quads?"+tc.query, "Accept", tc.accept)
			wantStatus(t, rec, http.StatusOK)
			if ct := rec.Header().Get("Content-Type"); ct != tc.wantType {
				t.Errorf("Content-Type %q, want %q", ct, tc.wantType)
			}
			if tc.wantType == "application/ld+json" {
				var doc any
				decode(t, rec.Body.Bytes(), &doc)
				if !strings.Contains(rec.Body.String(), fg+"Australia") {
					t.Errorf("JSON-LD lacks Australia:\n%s", rec.Body)
				}
			}
		})
	}
	rec := get(s, "/api/v1/quads?format=xml")
	wantStatus(t, rec, http.StatusBadRequest)
	// The names of `factgraph dump --format`, in its order.
	if e := apiError(t, rec.Body.Bytes()); e.Message != `unknown quad format "xml" (known: nquads, jsonld, dot, graphml, pquads)` {
		t.Errorf("message %q", e.Message)
	}
}

// TestQuadsExportNames checks that every format the CLI's dump names, and
// Cayley's name graphviz for dot, is served.
func TestQuadsExportNames(t *testing.T) {
	s := newServer(t, Config{})
	filter := "subject=fg:Japan&predicate=fg:hasRAAWith"
	for _, tc := range []struct{ format, wantType, wantBody string }{
		{"nquads", "application/n-quads", "<https://w3id.org/factgraph/Australia>"},
		{"jsonld", "application/ld+json", fg + "Australia"},
		{"dot", "text/vnd.graphviz; charset=utf-8", "digraph"},
		{"graphviz", "text/vnd.graphviz; charset=utf-8", "digraph"},
		{"DOT", "text/vnd.graphviz; charset=utf-8", "digraph"},
		{"graphml", "application/xml", "<graphml"},
		{"pquads", "application/x-protobuf", ""},
	} {
		t.Run(tc.format, func(t *testing.T) {
			rec := get(s, "/api/v1/quads?"+filter+"&format="+tc.format)
			wantStatus(t, rec, http.StatusOK)
			if ct := rec.Header().Get("Content-Type"); ct != tc.wantType {
				t.Errorf("Content-Type %q, want %q", ct, tc.wantType)
			}
			if !strings.Contains(rec.Body.String(), tc.wantBody) || rec.Body.Len() == 0 {
				t.Errorf("body lacks %q:\n%s", tc.wantBody, rec.Body)
			}
		})
	}
}

// TestQuadsUnknownParameter checks that a parameter the route does not take
// is an error rather than ignored (which would export the whole store).
func TestQuadsUnknownParameter(t *testing.T) {
	s := newServer(t, Config{})
	for _, tc := range []struct{ query, message string }{
		{"subj=fg:Japan", `unknown parameter "subj" (known: subject, predicate, object, label, format)`},
		{"subject=fg:Japan&pred=fg:hasRAAWith", `unknown parameter "pred" (known: subject, predicate, object, label, format)`},
		{"sub=a&obj=b", `unknown parameters "obj", "sub" (known: subject, predicate, object, label, format)`},
		{"Subject=fg:Japan", `unknown parameter "Subject"`},
	} {
		rec := get(s, "/api/v1/quads?"+tc.query)
		wantStatus(t, rec, http.StatusBadRequest)
		if e := apiError(t, rec.Body.Bytes()); e.Code != errs.Invalid || !strings.Contains(e.Message, tc.message) {
			t.Errorf("%s: %+v, want invalid with %q", tc.query, e, tc.message)
		}
	}
}

func TestQuadsExportAll(t *testing.T) {
	s := newServer(t, Config{})
	rec := get(s, "/api/v1/quads", "Accept-Encoding", "gzip")
	wantStatus(t, rec, http.StatusOK)
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("not gzipped: %v", rec.Header())
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := int64(strings.Count(string(b), "\n")), quadCount(t, s); got != want {
		t.Errorf("exported %d quads, the store has %d", got, want)
	}
}

func TestResolveTerm(t *testing.T) {
	st := testkit.ArticleStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		d    quad.Direction
		in   string
		want quad.Value
	}{
		{quad.Subject, "<https://example.org/a>", quad.IRI("https://example.org/a")},
		{quad.Subject, "fg:Japan", quad.IRI(fg + "Japan")},
		{quad.Subject, "Japan", quad.IRI(fg + "Japan")},
		{quad.Subject, "Britain", quad.IRI(fg + "UnitedKingdom")},
		{quad.Predicate, "name", quad.IRI("https://schema.org/name")},
		{quad.Predicate, "hasRAAWith", quad.IRI(fg + "hasRAAWith")},
		{quad.Subject, "_:b1", quad.BNode("b1")},
		{quad.Object, "in-force", quad.String("in-force")},
		{quad.Object, `"say \"hi\""`, quad.String(`say "hi"`)},
		{quad.Object, `"Japon"@fr`, quad.LangString{Value: "Japon", Lang: "fr"}},
	} {
		got, err := resolveTerm(ctx, st, tc.d, tc.in)
		if err != nil || got != tc.want {
			t.Errorf("resolveTerm(%s, %q) = %#v, %v; want %#v", tc.d, tc.in, got, err, tc.want)
		}
	}
	if _, err := resolveTerm(ctx, st, quad.Subject, "Atlantis"); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("unknown name: %v, want not_found", err)
	}
}

func TestStatsAndHealth(t *testing.T) {
	s := newServer(t, Config{})
	rec := get(s, "/api/v1/stats")
	wantStatus(t, rec, http.StatusOK)
	var st struct {
		Store, Backend string
		Quads, Nodes   int64
		Writable       bool
	}
	decode(t, rec.Body.Bytes(), &st)
	if st.Store != "memory" || st.Backend != s.store.Backend || st.Quads != quadCount(t, s) || st.Nodes == 0 || st.Writable {
		t.Errorf("stats %+v", st)
	}

	rec = get(s, "/healthz")
	wantStatus(t, rec, http.StatusOK)
	if strings.TrimSpace(rec.Body.String()) != `{
  "status": "ok"
}` {
		t.Errorf("healthz: %s", rec.Body)
	}
}

func TestMetrics(t *testing.T) {
	s := newServer(t, Config{})
	get(s, queryURL(japanRAA))
	get(s, queryURL(`g.V(`))
	get(s, "/no/such/route")
	rec := get(s, "/metrics")
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	for _, want := range []string{
		`factgraph_http_requests_total{code="200",route="GET /api/v1/query"} 1`,
		`factgraph_http_requests_total{code="400",route="GET /api/v1/query"} 1`,
		`factgraph_http_requests_total{code="404",route="unmatched"} 1`,
		`factgraph_http_request_duration_seconds_count{route="GET /api/v1/query"} 2`,
		`factgraph_query_duration_seconds_count{lang="gizmo",outcome="ok"} 1`,
		`factgraph_query_duration_seconds_count{lang="gizmo",outcome="invalid"} 1`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestCORS(t *testing.T) {
	open := newServer(t, Config{CORSOrigins: []string{"http://localhost:8888"}})
	anyOrigin := newServer(t, Config{CORSOrigins: []string{"*"}})
	closed := newServer(t, Config{})
	for _, tc := range []struct {
		name      string
		s         *Server
		method    string
		origin    string
		wantAllow string
		wantCode  int
	}{
		{"allowed origin", open, "GET", "http://localhost:8888", "http://localhost:8888", 200},
		{"other origin", open, "GET", "http://evil.example", "", 200},
		{"any origin", anyOrigin, "GET", "http://evil.example", "*", 200},
		{"no cors configured", closed, "GET", "http://localhost:8888", "", 200},
		{"preflight", open, "OPTIONS", "http://localhost:8888", "http://localhost:8888", 204},
		{"preflight other origin", open, "OPTIONS", "http://evil.example", "", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(tc.s, tc.method, "/api/v1/stats", "", "Origin", tc.origin, "Access-Control-Request-Method", "GET")
			wantStatus(t, rec, tc.wantCode)
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != tc.wantAllow {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tc.wantAllow)
			}
			if tc.wantCode == 204 && !strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
				t.Errorf("preflight headers: %v", rec.Header())
			}
		})
	}
}

func TestOpenAPIServed(t *testing.T) {
	s := newServer(t, Config{})
	rec := get(s, "/api/v1/openapi.json")
	wantStatus(t, rec, http.StatusOK)
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc["openapi"] != "3.0.3" {
		t.Errorf("not an OpenAPI 3 document (%v)", err)
	}
}

func TestNoRoute(t *testing.T) {
	s := newServer(t, Config{})
	for _, tc := range []struct{ method, target, message string }{
		{"GET", "/no/such/route", "no route for GET /no/such/route; the routes are listed at /api/v1/openapi.json"},
		{"DELETE", "/healthz", "no route for DELETE /healthz; it takes GET"},
		{"PUT", "/api/v1/query", "it takes GET and POST"},
		{"GET", "/api/v1/load", "it takes POST"},
	} {
		rec := do(s, tc.method, tc.target, "")
		wantStatus(t, rec, http.StatusNotFound)
		if e := apiError(t, rec.Body.Bytes()); e.Code != "not_found" || !strings.Contains(e.Message, tc.message) {
			t.Errorf("%s %s: %+v, want %q", tc.method, tc.target, e, tc.message)
		}
	}
}

// TestQuadsNameNotFound checks that a filter value that names no node is
// not_found, naming its parameter, and that for an object the message says how
// to write a literal instead.
func TestQuadsNameNotFound(t *testing.T) {
	s := newServer(t, Config{})
	for _, tc := range []struct{ query, message string }{
		{"subject=Japon", `subject: no node is named "Japon"; did you mean "Japan"?`},
		{"object=Atlantis", `object: no node is named "Atlantis" (for a string literal, quote it: "Atlantis")`},
		{"label=Atlantis", `label: no node is named "Atlantis"`},
	} {
		rec := get(s, "/api/v1/quads?"+tc.query)
		wantStatus(t, rec, http.StatusNotFound)
		if e := apiError(t, rec.Body.Bytes()); e.Code != errs.NotFound || e.Message != tc.message {
			t.Errorf("%s: %+v, want not_found %q", tc.query, e, tc.message)
		}
	}
	// A quoted literal is taken as written, stored or not.
	rec := get(s, "/api/v1/quads?object="+url.QueryEscape(`"Atlantis"`))
	wantStatus(t, rec, http.StatusOK)
	if rec.Body.Len() != 0 {
		t.Errorf("quads with object \"Atlantis\":\n%s", rec.Body)
	}
}

// statsSpy records whether Stats was asked for exact counts.
type statsSpy struct {
	cgraph.QuadStore
	exact []bool
}

func (s *statsSpy) Stats(ctx context.Context, exact bool) (cgraph.Stats, error) {
	s.exact = append(s.exact, exact)
	return s.QuadStore.Stats(ctx, exact)
}

// TestStatsAsksForKeptCounts: /api/v1/stats does not make the store count
// (bolt would scan every node, for a second on the 30k-movie graph).
func TestStatsAsksForKeptCounts(t *testing.T) {
	s := newServer(t, Config{})
	spy := &statsSpy{QuadStore: s.store.QuadStore}
	s.store.QuadStore = spy
	wantStatus(t, get(s, "/api/v1/stats"), http.StatusOK)
	if fmt.Sprint(spy.exact) != "[false]" {
		t.Errorf("Stats asked with exact=%v, want only false", spy.exact)
	}
}
