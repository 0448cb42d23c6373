package server

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/testkit"

	"github.com/factgraph/factgraph/graph/errs"
)

func TestQueryFormats(t *testing.T) {
	s := newServer(t, Config{})
	for _, tc := range []struct {
		name     string
		params   []string
		accept   string
		wantType string
		want     []string // substrings of the body, in order
	}{
		{"default json", nil, "", "application/json",
			[]string{`"columns": [`, `"id": "Australia"`, `"id_iri": "fg:UnitedKingdom"`, `"truncated": false`}},
		{"format=json", []string{"format", "json"}, "text/csv", "application/json", []string{`"rows": [`}},
		{"format=ndjson", []string{"format", "ndjson"}, "", "application/x-ndjson",
			[]string{`{"id":"Australia","id_iri":"fg:Australia"}` + "\n" + `{"id":"United Kingdom","id_iri":"fg:UnitedKingdom"}` + "\n"}},
		{"format=csv", []string{"format", "csv"}, "", "text/csv; charset=utf-8; header=present",
			[]string{"id,id_iri\nAustralia,fg:Australia\nUnited Kingdom,fg:UnitedKingdom\n"}},
		{"format=tsv", []string{"format", "tsv"}, "", "text/tab-separated-values; charset=utf-8; header=present",
			[]string{"id\tid_iri\nAustralia\tfg:Australia\n"}},
		{"format=table", []string{"format", "table"}, "", "text/plain; charset=utf-8", []string{"id", "Australia", "fg:UnitedKingdom"}},
		{"accept csv", nil, "text/csv", "text/csv; charset=utf-8; header=present", []string{"id,id_iri\n"}},
		{"accept tsv", nil, "text/tab-separated-values", "text/tab-separated-values; charset=utf-8; header=present", []string{"id\tid_iri\n"}},
		{"accept ndjson", nil, "application/x-ndjson", "application/x-ndjson", []string{`{"id":"Australia"`}},
		{"accept by quality", nil, "application/json;q=0.5, text/csv", "text/csv; charset=utf-8; header=present", []string{"id,id_iri\n"}},
		{"accept browser", nil, "text/html,application/xhtml+xml,*/*;q=0.8", "application/json", []string{`"rows"`}},
		{"accept unknown", nil, "image/png", "application/json", []string{`"rows"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(s, queryURL(japanRAA, tc.params...), "Accept", tc.accept)
			wantStatus(t, rec, http.StatusOK)
			if got := rec.Header().Get("Content-Type"); got != tc.wantType {
				t.Errorf("Content-Type %q, want %q", got, tc.wantType)
			}
			if got := rec.Header().Get("X-Truncated"); got != "false" {
				t.Errorf("X-Truncated %q, want false", got)
			}
			body := rec.Body.String()
			for _, w := range tc.want {
				i := strings.Index(body, w)
				if i < 0 {
					t.Fatalf("body lacks %q:\n%s", w, body)
				}
				body = body[i+len(w):]
			}
		})
	}
}

// TestQueryCSVReadsAsTable checks that the CSV output is one header row and one
// record per row, as pandas.read_csv expects.
func TestQueryCSVReadsAsTable(t *testing.T) {
	s := newServer(t, Config{})
	rec := get(s, queryURL(japanRAA, "format", "csv", "evidence", "true"))
	wantStatus(t, rec, http.StatusOK)
	records, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"id", "id_iri", "evidence_facts", "evidence_sentences", "evidence_sources"}
	if !reflect.DeepEqual(records[0], want) {
		t.Errorf("header %q, want %q", records[0], want)
	}
	if len(records) != 3 {
		t.Fatalf("%d records, want header and 2 rows", len(records))
	}
}

func TestQueryPost(t *testing.T) {
	s := newServer(t, Config{})
	for _, tc := range []struct {
		name, target, contentType, body string
	}{
		{"json", "/api/v1/query", "application/json",
			`{"q": "g.V(\"<https://w3id.org/factgraph/Japan>\").Out(\"<https://w3id.org/factgraph/hasRAAWith>\").All()", "lang": "gizmo", "format": "csv", "limit": 10}`},
		{"text with url params", "/api/v1/query?lang=gizmo&format=csv", "text/plain", japanRAA},
		{"no content type", "/api/v1/query?lang=gizmo&format=csv", "", japanRAA},
		{"form", "/api/v1/query", "application/x-www-form-urlencoded",
			url.Values{"q": {japanRAA}, "lang": {"gizmo"}, "format": {"csv"}}.Encode()},
		{"body wins over url", "/api/v1/query?lang=mql&format=json", "application/json",
			`{"q": ` + jsonString(japanRAA) + `, "lang": "gizmo", "format": "csv"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(s, http.MethodPost, tc.target, tc.body, "Content-Type", tc.contentType)
			wantStatus(t, rec, http.StatusOK)
			if got, want := rec.Body.String(), "id,id_iri\nAustralia,fg:Australia\nUnited Kingdom,fg:UnitedKingdom\n"; got != want {
				t.Errorf("body %q, want %q", got, want)
			}
		})
	}
}

// TestQueryParamsAccepted checks that each known parameter is taken, in the
// URL and in a form, alongside the others.
func TestQueryParamsAccepted(t *testing.T) {
	s := newServer(t, Config{})
	all := url.Values{"q": {"Japan -> hasRAAWith"}, "lang": {"path"}, "limit": {"5"},
		"evidence": {"false"}, "format": {"csv"}, "max_depth": {"3"}}
	want := "node,node_iri\nAustralia,fg:Australia\nUnited Kingdom,fg:UnitedKingdom\n"
	for _, rec := range []*httptest.ResponseRecorder{
		get(s, "/api/v1/query?"+all.Encode()),
		do(s, http.MethodPost, "/api/v1/query", all.Encode(), "Content-Type", "application/x-www-form-urlencoded"),
	} {
		wantStatus(t, rec, http.StatusOK)
		if got := rec.Body.String(); got != want {
			t.Errorf("body %q, want %q", got, want)
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestQueryRowCap(t *testing.T) {
	for _, tc := range []struct {
		name          string
		maxRows       int
		limit         string
		wantRows      int
		wantTruncated string
		wantLimit     string
	}{
		{"server cap cuts", 1, "", 1, "true", "1"},
		{"request limit cuts", 100, "1", 1, "true", "1"},
		{"request limit above the cap", 1, "50", 1, "true", "1"},
		{"limit not reached", 100, "5", 2, "false", "5"},
		{"limit 0 means the cap", 100, "0", 2, "false", "100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, Config{MaxRows: tc.maxRows})
			rec := get(s, queryURL(japanRAA, "limit", tc.limit))
			wantStatus(t, rec, http.StatusOK)
			var res struct {
				Rows      []map[string]any `json:"rows"`
				Truncated bool             `json:"truncated"`
				Limit     int              `json:"limit"`
			}
			decode(t, rec.Body.Bytes(), &res)
			if len(res.Rows) != tc.wantRows {
				t.Errorf("%d rows, want %d", len(res.Rows), tc.wantRows)
			}
			if got := rec.Header().Get("X-Truncated"); got != tc.wantTruncated {
				t.Errorf("X-Truncated %q, want %q", got, tc.wantTruncated)
			}
			if got := rec.Header().Get("X-Row-Limit"); got != tc.wantLimit {
				t.Errorf("X-Row-Limit %q, want %q", got, tc.wantLimit)
			}
			if want := tc.wantTruncated == "true"; res.Truncated != want {
				t.Errorf("truncated %v, want %v", res.Truncated, want)
			}
		})
	}
}

func TestQueryErrors(t *testing.T) {
	s := newServer(t, Config{MaxBody: 64})
	for _, tc := range []struct {
		name        string
		method      string
		target      string
		contentType string
		body        string
		status      int
		code        errs.Code
		message     string // a substring of the message
	}{
		{"missing q", "GET", "/api/v1/query?lang=gizmo", "", "", 400, errs.Invalid, "missing query"},
		{"bad limit", "GET", queryURL(japanRAA, "limit", "ten"), "", "", 400, errs.Invalid, `limit: expected a whole number of rows, found "ten"`},
		{"negative limit", "GET", queryURL(japanRAA, "limit", "-1"), "", "", 400, errs.Invalid, "limit"},
		{"bad evidence", "GET", queryURL(japanRAA, "evidence", "maybe"), "", "", 400, errs.Invalid, "evidence"},
		{"unknown format", "GET", queryURL(japanRAA, "format", "xml"), "", "", 400, errs.Invalid, `unknown output format "xml"`},
		{"unknown language", "GET", "/api/v1/query?lang=cypher&q=x", "", "", 400, errs.Invalid, `unknown query language "cypher"`},
		{"gizmo syntax error", "GET", queryURL(`g.V(.All()`), "", "", 400, errs.Invalid, "SyntaxError"},
		{"unknown json field", "POST", "/api/v1/query", "application/json", `{"query": "x"}`, 400, errs.Invalid, `unknown field "query"`},
		{"malformed json", "POST", "/api/v1/query", "application/json", `{"q": `, 400, errs.Invalid, "request body"},
		{"unknown parameter", "GET", queryURL(japanRAA, "limt", "1"), "", "", 400, errs.Invalid,
			`unknown parameter "limt" (known: q, lang, limit, evidence, format, max_depth, as_of)`},
		{"unknown parameters", "GET", "/api/v1/query?query=x&depth=3&q=y", "", "", 400, errs.Invalid, `unknown parameters "depth", "query" (known: `},
		{"unknown parameter of a post", "POST", "/api/v1/query?formt=csv", "text/plain", japanRAA, 400, errs.Invalid, `unknown parameter "formt"`},
		{"unknown form field", "POST", "/api/v1/query", "application/x-www-form-urlencoded", "q=x&evidance=true", 400, errs.Invalid,
			`unknown form field "evidance" (known: q, lang, limit, evidence, format, max_depth, as_of)`},
		{"body too large", "POST", "/api/v1/query?lang=gizmo", "text/plain", strings.Repeat(" ", 65) + japanRAA, 413, errs.TooLarge, "over the limit of 64 bytes"},
		{"json body too large", "POST", "/api/v1/query", "application/json", `{"q": "` + strings.Repeat("x", 100) + `"}`, 413, errs.TooLarge, "64 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(s, tc.method, tc.target, tc.body, "Content-Type", tc.contentType)
			wantStatus(t, rec, tc.status)
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
			e := apiError(t, rec.Body.Bytes())
			if e.Code != tc.code || !strings.Contains(e.Message, tc.message) {
				t.Errorf("error %+v, want code %s and a message with %q", e, tc.code, tc.message)
			}
		})
	}
}

// TestStatusTable checks that every error code has its own status.
func TestStatusTable(t *testing.T) {
	want := map[errs.Code]int{
		errs.Invalid: 400, errs.Unauthorized: 401, errs.ReadOnly: 403, errs.NotFound: 404,
		errs.Conflict: 409, errs.TooLarge: 413, errs.Internal: 500, errs.Unavailable: 503,
		errs.Timeout: 504,
	}
	for code, status := range want {
		if got := StatusOf(code); got != status {
			t.Errorf("StatusOf(%s) = %d, want %d", code, got, status)
		}
	}
	if len(statusOf) != len(want) {
		t.Errorf("the table has %d codes, want %d", len(statusOf), len(want))
	}
	if got := StatusOf("made-up"); got != 500 {
		t.Errorf("unknown code: %d, want 500", got)
	}
}

func TestQueryEvidence(t *testing.T) {
	s := newServer(t, Config{})
	q := `g.V("<https://w3id.org/factgraph/Japan>").Tag("country").Out("<https://w3id.org/factgraph/hasRAAWith>").All()`
	rec := get(s, queryURL(q, "evidence", "true"))
	wantStatus(t, rec, http.StatusOK)
	var res struct {
		Rows []struct {
			ID       string `json:"id"`
			Evidence []struct {
				Subject, Predicate, Object string
				Statements                 []struct{ Sentence, Source, Date string }
			} `json:"evidence"`
		} `json:"rows"`
	}
	decode(t, rec.Body.Bytes(), &res)
	if len(res.Rows) != 2 {
		t.Fatalf("%d rows, want 2", len(res.Rows))
	}
	for _, row := range res.Rows {
		if len(row.Evidence) == 0 || len(row.Evidence[0].Statements) == 0 {
			t.Fatalf("row %s has no evidence: %s", row.ID, rec.Body)
		}
		st := row.Evidence[0].Statements[0]
		if !strings.Contains(st.Sentence, "Japan has RAAs with Australia and Britain") || st.Source != "Kyodo" {
			t.Errorf("row %s: statement %+v, want sentence 2 of the Kyodo article", row.ID, st)
		}
	}
}

func TestQueryTimeout(t *testing.T) {
	s := newServer(t, Config{Timeout: 200 * time.Millisecond})
	start := time.Now()
	rec := get(s, queryURL(forever))
	wantStatus(t, rec, http.StatusGatewayTimeout)
	if e := apiError(t, rec.Body.Bytes()); e.Code != errs.Timeout {
		t.Errorf("code %s, want timeout", e.Code)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s for a 200ms deadline", d)
	}
}

func TestInternalErrorsAreNotLeaked(t *testing.T) {
	var log bytes.Buffer
	s := newServer(t, Config{Logger: newLogger(&log)})
	s.store.QuadStore = failingStats{s.store.QuadStore}
	rec := get(s, "/api/v1/stats")
	wantStatus(t, rec, http.StatusInternalServerError)
	e := apiError(t, rec.Body.Bytes())
	if e.Code != errs.Internal || !strings.HasPrefix(e.Message, "internal error (request ") {
		t.Errorf("error %+v, want internal error with a request id", e)
	}
	if strings.Contains(rec.Body.String(), "disk on fire") {
		t.Errorf("the cause leaked: %s", rec.Body)
	}
	if !strings.Contains(log.String(), "disk on fire") {
		t.Errorf("the cause was not logged:\n%s", log.String())
	}
}

// TestPathLanguage runs factgraph's path expressions, the default language.
func TestPathLanguage(t *testing.T) {
	s := newServer(t, Config{})
	rec := get(s, "/api/v1/query?"+url.Values{"q": {"Japan -> hasRAAWith"}, "format": {"csv"}}.Encode())
	wantStatus(t, rec, http.StatusOK)
	for _, name := range []string{"Australia", "United Kingdom"} {
		if !strings.Contains(rec.Body.String(), name) {
			t.Errorf("result lacks %s:\n%s", name, rec.Body)
		}
	}

	rec = get(s, "/api/v1/query?"+url.Values{"q": {"Japan -> -> hasRAAWith"}}.Encode())
	wantStatus(t, rec, http.StatusBadRequest)
	e := apiError(t, rec.Body.Bytes())
	if e.Code != errs.Invalid || e.Line != 1 || e.Column != 10 || e.Snippet != "Japan -> -> hasRAAWith\n         ^" {
		t.Errorf("parse error %+v, want invalid at 1:10 with the query line and a caret", e)
	}
}

func TestMaxDepth(t *testing.T) {
	s := newServer(t, Config{})
	q := url.Values{"q": {`"Elysee Palace" -> locatedIn+`}, "format": {"csv"}}
	rec := get(s, "/api/v1/query?"+q.Encode())
	wantStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), "Paris") {
		t.Errorf("default depth: %s", rec.Body)
	}
	q.Set("max_depth", "0")
	wantStatus(t, get(s, "/api/v1/query?"+q.Encode()), http.StatusBadRequest)
}

func TestGraphShapedQueryResults(t *testing.T) {
	s := newServer(t, Config{})
	rec := do(s, http.MethodGet, "/api/v1/query?"+url.Values{"q": {"Japan -> hasRAAWith"}}.Encode(), "", "Accept", "application/n-quads")
	wantStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != "application/n-quads" {
		t.Errorf("Content-Type %q", ct)
	}
	if n := strings.Count(rec.Body.String(), "#s2> .\n"); n != 2 {
		t.Errorf("want the 2 hasRAAWith quads labeled by sentence 2:\n%s", rec.Body)
	}
}

// TestNDJSONStreams checks that NDJSON rows leave as the query yields them: a
// Gizmo query that emits one row and then loops sends that row long before its
// deadline, and the cut at the deadline breaks the connection instead of
// ending the stream as if it were whole.
func TestNDJSONStreams(t *testing.T) {
	base, _ := startServer(t, newServer(t, Config{Timeout: 3 * time.Second}))
	q := `g.Emit("first"); while (true) {}`
	start := time.Now()
	resp, err := http.Get(base + "/api/v1/query?" + url.Values{"q": {q}, "lang": {"gizmo"}, "format": {"ndjson"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil {
		t.Fatalf("first row: %v", err)
	}
	if waited := time.Since(start); waited > 2*time.Second {
		t.Errorf("the first row took %s: it was not streamed", waited)
	}
	if !strings.Contains(line, `"first"`) {
		t.Errorf("first row %q", line)
	}
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Error("the stream cut by the deadline ended cleanly; want a broken connection")
	}
}

// TestNDJSONTrailer checks that a streamed result says in its trailer whether
// the row cap cut it, and that its rows are those of the JSON format.
func TestNDJSONTrailer(t *testing.T) {
	base, _ := startServer(t, newServer(t, Config{}))
	for _, tc := range []struct {
		limit, rows int
		truncated   string
	}{{0, 2, "false"}, {1, 1, "true"}} {
		v := url.Values{"q": {"Japan -> hasRAAWith"}, "format": {"ndjson"}, "limit": {strconv.Itoa(tc.limit)}}
		resp, err := http.Get(base + "/api/v1/query?" + v.Encode())
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(body)), "\n")
		if len(lines) != tc.rows || resp.Trailer.Get("X-Truncated") != tc.truncated {
			t.Errorf("limit %d: %d rows, X-Truncated trailer %q; want %d, %q\n%s", tc.limit, len(lines), resp.Trailer.Get("X-Truncated"), tc.rows, tc.truncated, body)
		}
		var row map[string]any
		if err := json.Unmarshal([]byte(lines[0]), &row); err != nil || row["node_iri"] != "fg:Australia" {
			t.Errorf("first row %s (%v)", lines[0], err)
		}
	}
}

func TestDepthWarning(t *testing.T) {
	// The article's recursive chains are short; a chain of two steps shows
	// the warning at depth 1.
	st := testkit.StoreWith(t, []quad.Quad{quad.MakeIRI("a", "in", "b", ""), quad.MakeIRI("b", "in", "c", "")})
	s := New(st, Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rec := get(s, "/api/v1/query?"+url.Values{"q": {"<a> -> <in>+"}, "max_depth": {"1"}, "format": {"csv"}}.Encode())
	wantStatus(t, rec, http.StatusOK)
	if w := rec.Header().Get("X-Warning"); !strings.Contains(w, "depth bound of 1") {
		t.Errorf("X-Warning %q", w)
	}
	rec = get(s, "/api/v1/query?"+url.Values{"q": {"<a> -> <in>+"}, "max_depth": {"1"}}.Encode())
	if !strings.Contains(rec.Body.String(), `"warnings": [`) {
		t.Errorf("JSON lacks warnings:\n%s", rec.Body)
	}
}
