package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
)

// storyServer serves the article and the example sheets that move its
// stories on.
func storyServer(t *testing.T) *Server {
	t.Helper()
	return New(testkit.StoryStore(t), Config{})
}

func TestHistory(t *testing.T) {
	s := storyServer(t)
	rec := get(s, "/api/v1/history?name=RAA-Japan-Philippines")
	wantStatus(t, rec, http.StatusOK)
	var h struct {
		Node, Kind string
		Current    []string
		Entries    []struct {
			Date       string
			Object     string
			Superseded bool
			Statements []struct{ Sentence, Source string }
		}
	}
	decode(t, rec.Body.Bytes(), &h)
	var got []string
	for _, e := range h.Entries {
		got = append(got, e.Date+" "+e.Object+" "+strings.Repeat("superseded", boolInt(e.Superseded))+" "+e.Statements[0].Source)
	}
	want := []string{`2024-05-02 "talks-agreed" superseded Kyodo`, `2024-07-08 "signed" superseded Example Wire`, `2025-09-11 "in-force"  Example Wire`}
	if h.Node != "fg:RAA-Japan-Philippines" || h.Kind != "statuses" || !slices.Equal(h.Current, []string{"in-force"}) || !slices.Equal(got, want) {
		t.Errorf("history %+v: %q", h, got)
	}

	rec = get(s, "/api/v1/history?name=Philippines&as_of=2024-06-01")
	wantStatus(t, rec, http.StatusOK)
	decode(t, rec.Body.Bytes(), &h)
	if h.Kind != "statements" || len(h.Entries) != 3 {
		t.Errorf("the Philippines as of 2024-06-01: %+v", h)
	}

	for _, tc := range []struct{ target, msg string }{
		{"/api/v1/history", "missing name"},
		{"/api/v1/history?node=Japan", `unknown parameter "node"`},
		{"/api/v1/history?name=Japan&as_of=June", "expected a day, YYYY-MM-DD"},
	} {
		rec := get(s, tc.target)
		wantStatus(t, rec, http.StatusBadRequest)
		if e := apiError(t, rec.Body.Bytes()); e.Code != errs.Invalid || !strings.Contains(e.Message, tc.msg) {
			t.Errorf("%s: %+v", tc.target, e)
		}
	}
	rec = get(s, "/api/v1/history?name=Atlantis")
	wantStatus(t, rec, http.StatusNotFound)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestQueryAsOf sends as_of in the URL and in a JSON body.
func TestQueryAsOf(t *testing.T) {
	s := storyServer(t)
	v := url.Values{"q": {"Japan -> negotiatingRAAWith"}, "format": {"csv"}}
	rec := get(s, "/api/v1/query?"+v.Encode())
	wantStatus(t, rec, http.StatusOK)
	if strings.Contains(rec.Body.String(), "fg:Philippines") {
		t.Errorf("now, the Philippines RAA is in force, not negotiated:\n%s", rec.Body)
	}
	v.Set("as_of", "2024-06-01")
	rec = get(s, "/api/v1/query?"+v.Encode())
	wantStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), "fg:Philippines") {
		t.Errorf("as of 2024-06-01 the Philippines negotiate:\n%s", rec.Body)
	}
	body, _ := json.Marshal(map[string]any{"q": "Japan -> hasRAAWith", "as_of": "2024-06-01", "format": "csv"})
	rec = do(s, http.MethodPost, "/api/v1/query", string(body), "Content-Type", "application/json")
	wantStatus(t, rec, http.StatusOK)
	if strings.Contains(rec.Body.String(), "fg:Philippines") || !strings.Contains(rec.Body.String(), "fg:Australia") {
		t.Errorf("as of 2024-06-01 in a body:\n%s", rec.Body)
	}
	v.Set("q", "Japan -> hasRAAWith as of 2024-07-01")
	rec = get(s, "/api/v1/query?"+v.Encode())
	wantStatus(t, rec, http.StatusBadRequest)
}

// TestOpenAPIHistory checks that the history route documents the parameters
// it takes.
func TestOpenAPIHistory(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Ref string `json:"$ref"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range doc.Paths["/api/v1/history"]["get"].Parameters {
		got = append(got, strings.TrimPrefix(p.Ref, "#/components/parameters/"))
	}
	if !slices.Equal(got, historyParams) {
		t.Errorf("documented %v, the handler takes %v", got, historyParams)
	}
}

// TestCayleyQueryLatest checks that Cayley's API v2 answers, like v1, with
// each happening at its latest status.
func TestCayleyQueryLatest(t *testing.T) {
	s := storyServer(t)
	q := `g.V("<https://w3id.org/factgraph/Japan>").Out("<https://w3id.org/factgraph/negotiatingRAAWith>").All()`
	rec := do(s, http.MethodPost, "/api/v2/query?lang=gizmo", q)
	wantStatus(t, rec, http.StatusOK)
	if body := rec.Body.String(); !strings.Contains(body, "France") || strings.Contains(body, "Philippines") {
		t.Errorf("v2 answers %s", body)
	}
	rec = do(s, http.MethodPost, "/api/v2/query?lang=path", "Japan -> negotiatingRAAWith as of 2024-06-01")
	wantStatus(t, rec, http.StatusOK)
	if body := rec.Body.String(); !strings.Contains(body, "Philippines") {
		t.Errorf("v2 as of 2024-06-01 answers %s", body)
	}
}
