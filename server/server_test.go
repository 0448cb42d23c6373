package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/factgraph/factgraph/graph/errs"
)

// startServer opens s on a free loopback port and serves it until the test
// ends. It returns the base URL and a function that stops serving and returns
// Serve's error.
func startServer(t *testing.T, s *Server) (string, func() error) {
	t.Helper()
	if err := s.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	var once bool
	var err error
	stop := func() error {
		if !once {
			once = true
			cancel()
			err = <-done
		}
		return err
	}
	t.Cleanup(func() { stop() })
	return s.URL(), stop
}

func fetch(t *testing.T, method, target, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// TestEndToEnd serves the article on a real listener and checks the issue's
// acceptance list with net/http's client.
func TestEndToEnd(t *testing.T) {
	const deadline = time.Second
	s := newServer(t, Config{Timeout: deadline})
	base, stop := startServer(t, s)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("URL %q is not on loopback", base)
	}

	// CSV, JSON and NDJSON.
	csvURL := base + queryURL(japanRAA, "format", "csv")
	resp, body := fetch(t, "GET", csvURL, "")
	if resp.StatusCode != 200 || body != "id,id_iri\nAustralia,fg:Australia\nUnited Kingdom,fg:UnitedKingdom\n" {
		t.Errorf("CSV: %d %q", resp.StatusCode, body)
	}
	resp, body = fetch(t, "GET", base+queryURL(japanRAA), "")
	var res struct {
		Columns   []string `json:"columns"`
		Rows      []map[string]any
		Truncated *bool `json:"truncated"`
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || len(res.Rows) != 2 || res.Truncated == nil || *res.Truncated {
		t.Errorf("JSON: %d %v %s", resp.StatusCode, err, body)
	}
	resp, body = fetch(t, "GET", base+queryURL(japanRAA, "format", "ndjson"), "")
	if resp.Header.Get("Content-Type") != "application/x-ndjson" || strings.Count(body, "\n") != 2 {
		t.Errorf("NDJSON: %v %q", resp.Header, body)
	}

	// A parse error is a 400 with its position (path language) or message (Gizmo).
	resp, body = fetch(t, "GET", base+"/api/v1/query?"+url.Values{"q": {"Japan -> -> hasRAAWith"}}.Encode(), "")
	if resp.StatusCode != 400 {
		t.Errorf("parse error: %d %s", resp.StatusCode, body)
	} else if e := apiError(t, []byte(body)); e.Code != errs.Invalid || (e.Column == 0 && langRegistered("path")) {
		t.Errorf("parse error %+v, want invalid with a column", e)
	}

	// A write without a token is refused.
	resp, body = fetch(t, "POST", base+"/api/v1/load", franceRAA)
	if resp.StatusCode != 401 {
		t.Errorf("write without token: %d %s", resp.StatusCode, body)
	}

	// Cayley's v2 query.
	resp, body = fetch(t, "POST", base+"/api/v2/query?lang=gizmo", `g.V().Limit(3).All()`)
	var v2 cayleyResult
	if err := json.Unmarshal([]byte(body), &v2); err != nil || resp.StatusCode != 200 || len(v2.Result) != 3 {
		t.Errorf("v2 query: %d %v %s", resp.StatusCode, err, body)
	}

	// A query that never ends stops at the deadline with 504 timeout, while
	// /healthz keeps answering.
	type outcome struct {
		status int
		body   string
		took   time.Duration
	}
	slow := make(chan outcome, 1)
	start := time.Now()
	go func() {
		resp, err := http.Get(base + queryURL(forever))
		if err != nil {
			slow <- outcome{status: -1, body: err.Error()}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		slow <- outcome{resp.StatusCode, string(b), time.Since(start)}
	}()
	time.Sleep(100 * time.Millisecond)
	for range 5 {
		t0 := time.Now()
		resp, body := fetch(t, "GET", base+"/healthz", "")
		if resp.StatusCode != 200 || time.Since(t0) > 500*time.Millisecond {
			t.Errorf("healthz during a long query: %d in %s: %s", resp.StatusCode, time.Since(t0), body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	o := <-slow
	if o.status != 504 {
		t.Fatalf("endless query: %d %s", o.status, o.body)
	}
	if e := apiError(t, []byte(o.body)); e.Code != errs.Timeout {
		t.Errorf("endless query: code %s, want timeout", e.Code)
	}
	if o.took < deadline || o.took > deadline+5*time.Second {
		t.Errorf("endless query answered after %s, want about %s", o.took, deadline)
	}

	if err := stop(); err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still serving after stop")
	}
}

func TestOpenReportsBindErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s := newServer(t, Config{})
	err = s.Open(ln.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "listen on "+ln.Addr().String()) {
		t.Errorf("Open on a taken port: %v", err)
	}
	if err := s.Serve(context.Background()); err == nil {
		t.Error("Serve without a listener did not fail")
	}
}

// TestShutdownIsBounded checks that a request still running when the drain
// timeout ends is cut, and that Serve returns soon after.
func TestShutdownIsBounded(t *testing.T) {
	s := newServer(t, Config{Timeout: -1, ShutdownTimeout: 200 * time.Millisecond})
	base, stop := startServer(t, s)
	slow := make(chan error, 1)
	go func() {
		resp, err := http.Get(base + queryURL(forever))
		if err == nil {
			resp.Body.Close()
			err = errors.New(resp.Status)
		}
		slow <- err
	}()
	time.Sleep(200 * time.Millisecond) // let the query start
	start := time.Now()
	err := stop()
	if err == nil || !strings.Contains(err.Error(), "drain timeout") {
		t.Errorf("Serve returned %v, want a drain timeout error", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("shutdown took %s with a 200ms drain", d)
	}
	select {
	case err := <-slow:
		if err == nil {
			t.Error("the endless query got an answer")
		}
	case <-time.After(5 * time.Second):
		t.Error("the endless query's connection was not cut")
	}
}

// TestShutdownWaitsForRequests checks that a graceful shutdown lets a running
// request finish.
func TestShutdownWaitsForRequests(t *testing.T) {
	s := newServer(t, Config{Timeout: 300 * time.Millisecond, ShutdownTimeout: 5 * time.Second})
	base, stop := startServer(t, s)
	slow := make(chan int, 1)
	go func() {
		resp, err := http.Get(base + queryURL(forever))
		if err != nil {
			slow <- -1
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	time.Sleep(100 * time.Millisecond)
	if err := stop(); err != nil {
		t.Errorf("Serve: %v", err)
	}
	if status := <-slow; status != 504 {
		t.Errorf("the running query ended with %d, want its own 504", status)
	}
}
