package server

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/graph/errs"
)

func readExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../examples/sheets/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const signedSheet = "example-2024-07-08-japan-philippines-raa-signed.yaml"

func TestIngest(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	before := quadCount(t, s)
	body := readExample(t, signedSheet)
	rec := do(s, http.MethodPost, "/api/v1/ingest", body, append([]string{"Content-Type", "application/yaml"}, bearer...)...)
	wantStatus(t, rec, http.StatusOK)
	var st ingestResponse
	decode(t, rec.Body.Bytes(), &st)
	if st.Sheets != 1 || st.Documents != 1 || st.Sentences != 6 || st.Facts != 7 || st.Added == 0 || st.Added+st.Duplicates != st.Read {
		t.Errorf("stats %+v", st)
	}
	if got := quadCount(t, s); got != before+int64(st.Added) {
		t.Errorf("%d quads, want %d", got, before+int64(st.Added))
	}
	rec = do(s, http.MethodPost, "/api/v1/ingest", body, bearer...)
	wantStatus(t, rec, http.StatusOK)
	decode(t, rec.Body.Bytes(), &st)
	if st.Added != 0 {
		t.Errorf("a second ingest added %d quads", st.Added)
	}

	json := readExample(t, "example-2025-09-11-japan-philippines-raa-in-force.json")
	rec = do(s, http.MethodPost, "/api/v1/ingest", json, append([]string{"Content-Type", "application/json"}, bearer...)...)
	wantStatus(t, rec, http.StatusOK)
	if got := raaPartners(t, s); !strings.Contains(got, "fg:Philippines") {
		t.Errorf("the ingested status is not queryable:\n%s", got)
	}
}

// TestIngestIsAtomic sends two sheets, the second with a quote the text
// lacks: nothing is added, and the error points into the body.
func TestIngestIsAtomic(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	before := quadCount(t, s)
	good := readExample(t, signedSheet)
	bad := strings.Replace(strings.Replace(good, "signed-", "other-", 1), "quote: during Xi's state visit", "quote: during Xi's first visit", 1)
	body := good + "---\n" + bad
	rec := do(s, http.MethodPost, "/api/v1/ingest", body, bearer...)
	wantStatus(t, rec, http.StatusBadRequest)
	e := apiError(t, rec.Body.Bytes())
	line := strings.Count(body[:strings.Index(body, "during Xi's first")], "\n") + 1
	if e.Code != errs.Invalid || e.Line != line || e.Column != 12 || !strings.HasPrefix(e.Message, "quote not found in the text; closest sentence 6") ||
		!strings.Contains(e.Snippet, "quote: during Xi's first visit") {
		t.Errorf("error %+v, want invalid at %d:12", e, line)
	}
	if got := quadCount(t, s); got != before {
		t.Errorf("a failed ingest changed the store: %d quads, was %d", got, before)
	}
}

func TestIngestNeedsToken(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	rec := do(s, http.MethodPost, "/api/v1/ingest", readExample(t, signedSheet))
	wantStatus(t, rec, http.StatusUnauthorized)
}
