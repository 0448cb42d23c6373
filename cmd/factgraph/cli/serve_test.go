package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var servingURL = regexp.MustCompile(`at (http://127\.0\.0\.1:\d+) `)

// startServe runs "factgraph serve ARGS" in the background and returns its
// base URL, its stdout and stderr, and a stop function that ends it as SIGINT would and
// returns the command's error.
func startServe(t *testing.T, args ...string) (base string, stdout, stderr *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	cmd := NewRootCommand()
	cmd.SetArgs(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
	cmd.SetIn(strings.NewReader(""))
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	stop = func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not stop within 20s of its context ending")
			return nil
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingURL.FindStringSubmatch(stdout.String()); m != nil {
			t.Cleanup(func() { cancel() })
			return m[1], stdout, stderr, stop
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v\nstderr:\n%s", err, stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve printed no URL; stdout:\n%s\nstderr:\n%s", stdout, stderr)
	return "", nil, nil, nil
}

func httpDo(t *testing.T, method, target, body string, header ...string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
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
	return resp.StatusCode, string(b), resp.Header
}

func TestServe(t *testing.T) {
	t.Setenv("FACTGRAPH_TEST_TOKEN", "tok-123")
	base, _, stderr, stop := startServe(t, "--max-rows", "1", "--write-token-env", "FACTGRAPH_TEST_TOKEN")

	q := url.Values{
		"lang":   {"gizmo"},
		"q":      {`g.V("<https://w3id.org/factgraph/Japan>").Out("<https://w3id.org/factgraph/hasRAAWith>").All()`},
		"format": {"csv"},
	}
	status, body, h := httpDo(t, "GET", base+"/api/v1/query?"+q.Encode(), "")
	if status != 200 || !strings.HasPrefix(body, "id,id_iri\n") || strings.Count(body, "\n") != 2 {
		t.Errorf("CSV query: %d\n%s", status, body)
	}
	if h.Get("X-Truncated") != "true" {
		t.Errorf("--max-rows 1 cut two rows but X-Truncated is %q", h.Get("X-Truncated"))
	}

	fact := "<https://w3id.org/factgraph/Japan> <https://w3id.org/factgraph/hasRAAWith> <https://w3id.org/factgraph/France> .\n"
	if status, body, _ := httpDo(t, "POST", base+"/api/v1/load", fact, "Content-Type", "application/n-quads"); status != 401 {
		t.Errorf("load without token: %d %s, want 401", status, body)
	}
	status, body, _ = httpDo(t, "POST", base+"/api/v1/load", fact, "Content-Type", "application/n-quads", "Authorization", "Bearer tok-123")
	if status != 200 || !strings.Contains(body, `"added": 1`) {
		t.Errorf("load with token: %d %s", status, body)
	}

	if err := stop(); err != nil {
		t.Errorf("serve returned %v after its context ended", err)
	}
	if !strings.Contains(stderr.String(), "route=\"GET /api/v1/query\"") {
		t.Errorf("stderr has no request log:\n%s", stderr)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the server still answers after it stopped")
	}
}

func TestServeReadOnlyByDefault(t *testing.T) {
	base, _, _, stop := startServe(t)
	defer stop()
	status, body, _ := httpDo(t, "POST", base+"/api/v2/write", "<a> <b> <c> .\n")
	if status != 401 || !strings.Contains(body, "read-only") {
		t.Errorf("write to a read-only server: %d %s, want 401", status, body)
	}
}

func TestServeBindError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cmd := NewRootCommand()
	cmd.SetArgs([]string{"serve", "--addr", ln.Addr().String()})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(context.Background()) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "listen on") {
			t.Errorf("err = %v, want a listen error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve on a taken port did not fail at once")
	}
}

func TestServeFlagErrors(t *testing.T) {
	t.Setenv("FACTGRAPH_EMPTY_TOKEN", "")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--write-token-env", "FACTGRAPH_EMPTY_TOKEN"}, "unset or empty"},
		{[]string{"--max-rows", "0"}, "--max-rows must be at least 1"},
		{[]string{"--max-body", "ten"}, "expected a size like 10MiB"},
		{[]string{"--max-body", "10XB"}, "unknown size unit"},
	} {
		cmd := NewRootCommand()
		cmd.SetArgs(append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...))
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.ExecuteContext(context.Background())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestByteSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		str  string
	}{
		{"10MiB", 10 << 20, "10MiB"},
		{"10M", 10 << 20, "10MiB"},
		{"512KiB", 512 << 10, "512KiB"},
		{"1GB", 1e9, "1000000000"},
		{"2 mb", 2e6, "2000000"},
		{"100", 100, "100"},
		{"1gib", 1 << 30, "1GiB"},
	} {
		var b byteSize
		if err := b.Set(tc.in); err != nil {
			t.Errorf("Set(%q): %v", tc.in, err)
			continue
		}
		if int64(b) != tc.want || b.String() != tc.str {
			t.Errorf("Set(%q) = %d (%s), want %d (%s)", tc.in, int64(b), b.String(), tc.want, tc.str)
		}
	}
	for _, bad := range []string{"", "-1", "0", "1.5MiB", "MiB", "99999999999GiB"} {
		var b byteSize
		if err := b.Set(bad); err == nil {
			t.Errorf("Set(%q) = %d, want an error", bad, int64(b))
		}
	}
}
