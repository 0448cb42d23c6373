package server

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/factgraph/factgraph/internal/testkit"
)

func TestEveryResponseSaysNosniff(t *testing.T) {
	s := newServer(t, Config{})
	for _, target := range []string{"/", "/embed", "/static/app.js", "/healthz", "/metrics", "/api/v1/stats",
		queryURL(japanRAA), queryURL("syntax error ("), "/no/such/route", "/api/v1/quads?format=nquads"} {
		rec := get(s, target)
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s (status %d): X-Content-Type-Options %q, want nosniff", target, rec.Code, got)
		}
	}
}

func TestWhoMayFrameThePages(t *testing.T) {
	s := newServer(t, Config{EmbedOrigins: []string{"https://notebooks.example.org"}})
	for _, target := range []string{"/", "/api/v1/stats", "/static/app.js"} {
		rec := get(s, target)
		if got := rec.Header().Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%s: X-Frame-Options %q, want DENY", target, got)
		}
		if got := rec.Header().Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q, want frame-ancestors 'none'", target, got)
		}
	}
	rec := get(s, "/embed?q=Japan")
	wantStatus(t, rec, http.StatusOK)
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'self'", "http://localhost:*", "http://127.0.0.1:*", "https://notebooks.example.org", "script-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("/embed: Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "'none'") || strings.Contains(csp, "*;") || strings.Contains(csp, " * ") {
		t.Errorf("/embed: Content-Security-Policy %q lets any site frame it", csp)
	}
	if got := rec.Header().Get("X-Frame-Options"); got != "" {
		t.Errorf("/embed: X-Frame-Options %q would forbid the allowed origins", got)
	}
	// Without --embed-origin, only loopback pages.
	if csp := get(newServer(t, Config{}), "/embed").Header().Get("Content-Security-Policy"); strings.Contains(csp, "example.org") {
		t.Errorf("default /embed policy %q", csp)
	}
}

// TestClientThatHangsUpIsNotAServerError: a client that goes away during its
// query is logged and counted as 499, not as a 5xx.
func TestClientThatHangsUpIsNotAServerError(t *testing.T) {
	var log testkit.SyncBuffer
	s := newServer(t, Config{Timeout: 10 * time.Second, Logger: newLogger(&log)})
	base := serve(t, s)
	for _, target := range []string{queryURL(forever), "/api/v2/query?lang=gizmo&qu=while(true){}", queryURL(forever, "format", "ndjson")} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+target, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Errorf("%s: the request was answered (%s) before the client hung up", target, resp.Status)
		}
		cancel()
	}
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(log.String(), "status=499") < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := strings.Count(log.String(), "status=499"); n != 3 {
		t.Errorf("%d requests logged with status 499, want 3:\n%s", n, log.String())
	}
	for _, bad := range []string{"status=500", "status=404", "internal error", "level=ERROR"} {
		if strings.Contains(log.String(), bad) {
			t.Errorf("the log has %q for a client that hung up:\n%s", bad, log.String())
		}
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	metrics, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(metrics), `factgraph_http_requests_total{code="499",route="GET /api/v1/query"} 2`) {
		t.Errorf("the metrics do not count the hang-ups as 499:\n%s", grepLines(string(metrics), "factgraph_http_requests_total"))
	}
}

func grepLines(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
