package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"

	// The languages and formats a binary would blank-import (cmd/factgraph does).
	_ "github.com/cayleygraph/quad/jsonld"
	_ "github.com/cayleygraph/quad/pquads"

	"github.com/factgraph/factgraph/internal/testkit"
	_ "github.com/factgraph/factgraph/queries/cayleylang"
	_ "github.com/factgraph/factgraph/queries/pathlang"
	_ "github.com/factgraph/factgraph/queries/sparql"
)

const (
	fg = "https://w3id.org/factgraph/"
	// japanRAA asks with whom Japan has a reciprocal access agreement:
	// Australia and the United Kingdom.
	japanRAA = `g.V("<https://w3id.org/factgraph/Japan>").Out("<https://w3id.org/factgraph/hasRAAWith>").All()`
	// forever runs until the deadline stops it.
	forever = `while(true){}`
)

// newServer returns a server of a fresh memory store holding the article, with
// its log going to the test's output.
func newServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))
	}
	return New(testkit.ArticleStore(t), cfg)
}

// do sends a request to the server's handler; header holds name, value pairs.
func do(s *Server, method, target, body string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

func get(s *Server, target string, header ...string) *httptest.ResponseRecorder {
	return do(s, http.MethodGet, target, "", header...)
}

// queryURL is the v1 query URL of a Gizmo query with extra parameters.
func queryURL(gizmo string, params ...string) string {
	v := url.Values{"q": {gizmo}, "lang": {"gizmo"}}
	for i := 0; i+1 < len(params); i += 2 {
		v.Set(params[i], params[i+1])
	}
	return "/api/v1/query?" + v.Encode()
}

// wantStatus fails the test unless rec has the status.
func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, status int) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body:\n%s", rec.Code, status, rec.Body)
	}
}

// apiError decodes a v1 error body, failing unless it has that shape.
func apiError(t *testing.T, body []byte) errorDetail {
	t.Helper()
	var e struct {
		Error *errorDetail `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == nil {
		t.Fatalf("not an error body (%v):\n%s", err, body)
	}
	return *e.Error
}

// decode decodes a JSON body into v.
func decode(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decode %v:\n%s", err, body)
	}
}

// newLogger logs to w, for tests that look at the log.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, nil))
}

// failingStats is a store whose Stats fails, to provoke an internal error.
type failingStats struct{ cgraph.QuadStore }

func (failingStats) Stats(context.Context, bool) (cgraph.Stats, error) {
	return cgraph.Stats{}, errors.New("disk on fire")
}

// langRegistered reports whether a query language is registered.
func langRegistered(name string) bool { return query.GetLanguage(name) != nil }
