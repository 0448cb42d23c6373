package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/factgraph/factgraph/internal/turtle"
	"github.com/factgraph/factgraph/queries/sparql/results"
)

const raaGraphs = `SELECT ?x ?g WHERE { GRAPH ?g { fg:Japan fg:hasRAAWith ?x } } ORDER BY ?x`

func sparqlGet(s *Server, q string, header ...string) *httptest.ResponseRecorder {
	return get(s, "/sparql?"+url.Values{"query": {q}}.Encode(), header...)
}

func TestSPARQLProtocolSelect(t *testing.T) {
	s := newServer(t, Config{})
	for _, tc := range []struct {
		name string
		rec  *httptest.ResponseRecorder
	}{
		{"GET", sparqlGet(s, raaGraphs)},
		{"POST query", do(s, http.MethodPost, "/sparql", raaGraphs, "Content-Type", "application/sparql-query")},
		{"POST form", do(s, http.MethodPost, "/sparql", url.Values{"query": {raaGraphs}}.Encode(), "Content-Type", "application/x-www-form-urlencoded")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantStatus(t, tc.rec, 200)
			if ct := tc.rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/sparql-results+json") {
				t.Errorf("Content-Type %q", ct)
			}
			set, err := results.ReadJSON(tc.rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(set.Vars, ",") != "x,g" || len(set.Rows) != 2 || set.Rows[0]["x"].String() != "<"+fg+"Australia>" {
				t.Errorf("got %+v", set)
			}
		})
	}
}

func TestSPARQLProtocolNegotiation(t *testing.T) {
	s := newServer(t, Config{})
	rec := sparqlGet(s, raaGraphs, "Accept", "application/sparql-results+xml")
	wantStatus(t, rec, 200)
	if set, err := results.ReadXML(rec.Body); err != nil || len(set.Rows) != 2 {
		t.Errorf("xml: %v %v", set, err)
	}
	rec = sparqlGet(s, raaGraphs, "Accept", "text/csv")
	if !strings.HasPrefix(rec.Body.String(), "x,g\r\nhttps://w3id.org/factgraph/Australia,") {
		t.Errorf("csv: %q", rec.Body.String())
	}
	rec = sparqlGet(s, raaGraphs, "Accept", "text/tab-separated-values")
	if !strings.HasPrefix(rec.Body.String(), "?x\t?g\n<https://w3id.org/factgraph/Australia>\t") {
		t.Errorf("tsv: %q", rec.Body.String())
	}
	// ASK, and the format= parameter some clients send.
	rec = get(s, "/sparql?"+url.Values{"query": {"ASK { fg:Japan fg:hasRAAWith fg:France }"}, "format": {"json"}}.Encode())
	if set, err := results.ReadJSON(rec.Body); err != nil || set.Boolean == nil || *set.Boolean {
		t.Errorf("ask: %v %v", set, err)
	}
	// CONSTRUCT as Turtle (the default) and as N-Triples.
	construct := "CONSTRUCT { ?x fg:hasRAAWith fg:Japan } WHERE { fg:Japan fg:hasRAAWith ?x }"
	rec = sparqlGet(s, construct)
	wantStatus(t, rec, 200)
	if ct := rec.Header().Get("Content-Type"); ct != "text/turtle" {
		t.Errorf("construct Content-Type %q", ct)
	}
	qs, err := turtle.Parse(rec.Body.String(), turtle.Options{})
	if err != nil || len(qs) != 2 {
		t.Errorf("construct as turtle: %v %v", qs, err)
	}
	rec = sparqlGet(s, construct, "Accept", "application/n-triples")
	if n := strings.Count(rec.Body.String(), " .\n"); n != 2 {
		t.Errorf("n-triples: %q", rec.Body.String())
	}
	rec = sparqlGet(s, construct, "Accept", "application/rdf+xml")
	if !strings.Contains(rec.Body.String(), `rdf:about="https://w3id.org/factgraph/Australia"`) {
		t.Errorf("rdf/xml: %q", rec.Body.String())
	}
	rec = sparqlGet(s, construct, "Accept", "application/ld+json")
	if !strings.Contains(rec.Body.String(), `"@id"`) {
		t.Errorf("json-ld: %q", rec.Body.String())
	}
}

func TestSPARQLProtocolDataset(t *testing.T) {
	s := newServer(t, Config{})
	q := "SELECT ?x WHERE { fg:Japan ?p ?x }"
	s3 := fg + "news/kyodo-2024-05-02-japan-france-raa#s3"
	rec := get(s, "/sparql?"+url.Values{"query": {q}, "default-graph-uri": {s3}}.Encode())
	set, err := results.ReadJSON(rec.Body)
	if err != nil || len(set.Rows) != 1 || set.Rows[0]["x"].String() != "<"+fg+"Philippines>" {
		t.Errorf("default-graph-uri: %+v %v", set, err)
	}
	rec = get(s, "/sparql?"+url.Values{"query": {"SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}, "named-graph-uri": {s3}}.Encode())
	set, _ = results.ReadJSON(rec.Body)
	for _, r := range set.Rows {
		if r["g"].String() != "<"+s3+">" {
			t.Fatalf("named-graph-uri: a solution in graph %v", r["g"])
		}
	}
}

func TestSPARQLProtocolErrors(t *testing.T) {
	s := newServer(t, Config{MaxRows: 5, Timeout: 200 * time.Millisecond})
	for _, tc := range []struct {
		name, method, target, body, ctype string
		status                            int
		want                              string
	}{
		{"syntax", "GET", "/sparql?query=" + url.QueryEscape("SELECT ?x WHERE { ?x }"), "", "", 400, "1:22: expected predicate, found '}'\nSELECT ?x WHERE { ?x }\n                     ^"},
		{"missing", "GET", "/sparql", "", "", 400, "missing query"},
		{"update", "POST", "/sparql", "INSERT DATA { <a> <b> <c> }", "application/sparql-update", 400, "read-only"},
		{"update param", "POST", "/sparql", "update=x", "application/x-www-form-urlencoded", 400, "read-only"},
		{"content type", "POST", "/sparql", "x", "text/plain", 400, "application/sparql-query"},
		{"format", "GET", "/sparql?format=png&query=" + url.QueryEscape("ASK {}"), "", "", 400, `format "png"`},
		{"service", "GET", "/sparql?query=" + url.QueryEscape("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"), "", "", 400, "SERVICE is not supported"},
		{"deadline", "GET", "/sparql?query=" + url.QueryEscape("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"), "", "", 504, "deadline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(s, tc.method, tc.target, tc.body, "Content-Type", tc.ctype)
			wantStatus(t, rec, tc.status)
			if !strings.Contains(rec.Body.String(), tc.want) || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
				t.Errorf("body %q, want it to hold %q", rec.Body.String(), tc.want)
			}
		})
	}
	rec := sparqlGet(s, "SELECT * WHERE { ?s ?p ?o }")
	wantStatus(t, rec, 200)
	set, _ := results.ReadJSON(rec.Body)
	if len(set.Rows) != 5 || rec.Header().Get("X-Truncated") != "true" {
		t.Errorf("row cap: %d rows, X-Truncated %q", len(set.Rows), rec.Header().Get("X-Truncated"))
	}
}
