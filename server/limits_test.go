package server

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"

	"github.com/factgraph/factgraph/graph/errs"
)

// serve starts s on a loopback port for tests that need a real connection.
func serve(t *testing.T, s *Server) string {
	t.Helper()
	if err := s.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Serve(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return s.URL()
}

func TestQueriesBeyondTheLimitWaitThenGet503(t *testing.T) {
	s := newServer(t, Config{MaxQueries: 1, QueueWait: 100 * time.Millisecond, Timeout: time.Second})
	started := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		close(started)
		get(s, queryURL(forever)) // holds the one slot until its deadline
	}()
	<-started
	deadline := time.Now().Add(500 * time.Millisecond)
	var rec = get(s, queryURL(japanRAA))
	for rec.Code == http.StatusOK && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // the long query may not hold its slot yet
		rec = get(s, queryURL(japanRAA))
	}
	wantStatus(t, rec, http.StatusServiceUnavailable)
	if e := apiError(t, rec.Body.Bytes()); e.Code != errs.Unavailable || !strings.Contains(e.Message, "--max-queries") {
		t.Errorf("error %+v, want unavailable naming --max-queries", e)
	}
	if got := rec.Header().Get("Retry-After"); got == "" {
		t.Error("no Retry-After header")
	}
	// Cayley's v2 API shares the limit.
	rec = do(s, http.MethodPost, "/api/v2/query?lang=gizmo", japanRAA)
	wantStatus(t, rec, http.StatusServiceUnavailable)
	wg.Wait()
	rec = get(s, queryURL(japanRAA)) // the slot is free again
	wantStatus(t, rec, http.StatusOK)
}

func TestQuerySizeAndSteps(t *testing.T) {
	s := newServer(t, Config{MaxQuery: 1000, MaxSteps: 5})
	long := "Japan" + strings.Repeat(" -> hasRAAWith", 100)
	rec := get(s, "/api/v1/query?q="+strings.ReplaceAll(long, " ", "+"))
	wantStatus(t, rec, http.StatusRequestEntityTooLarge)
	if e := apiError(t, rec.Body.Bytes()); !strings.Contains(e.Message, "--max-query") {
		t.Errorf("error %+v, want it to name --max-query", e)
	}
	rec = do(s, http.MethodPost, "/api/v2/query?lang=gizmo", strings.Repeat(" ", 1001))
	wantStatus(t, rec, http.StatusRequestEntityTooLarge)

	six := "Japan -> a -> b [c = 1, d = 2] -> e -> f"
	rec = do(s, http.MethodPost, "/api/v1/query", six, "Content-Type", "text/plain")
	wantStatus(t, rec, http.StatusRequestEntityTooLarge)
	e := apiError(t, rec.Body.Bytes())
	if e.Code != errs.TooLarge || e.Line != 1 || e.Column != 37 || !strings.Contains(e.Message, "more than 5 steps") || e.Snippet == "" {
		t.Errorf("error %+v, want too_large at 1:37 (the sixth step) with a snippet", e)
	}
}

// deaf is a query language whose queries ignore their context: each runs for
// the duration its text names, as a query stuck in code that never looks at
// its deadline would.
const deaf = "deaf-test"

func init() {
	query.RegisterLanguage(query.Language{Name: deaf, Session: func(cgraph.QuadStore) query.Session { return deafSession{} }})
}

type deafSession struct{}

func (deafSession) Execute(_ context.Context, q string, _ query.Options) (query.Iterator, error) {
	d, err := time.ParseDuration(q)
	if err != nil {
		return nil, err
	}
	time.Sleep(d)
	return nil, errors.New("done")
}

// TestQueryAnswersByItsDeadline: a query that does not notice its deadline
// still gets its client a timeout at the deadline, not a dropped connection
// after it ends; it keeps its slot until it does end.
func TestQueryAnswersByItsDeadline(t *testing.T) {
	s := newServer(t, Config{Timeout: 200 * time.Millisecond, MaxQueries: 1, QueueWait: time.Millisecond})
	for _, target := range []string{"/api/v1/query?lang=" + deaf + "&q=1500ms", "/api/v2/query?lang=" + deaf + "&qu=1500ms"} {
		start := time.Now()
		rec := get(s, target)
		took := time.Since(start)
		wantStatus(t, rec, http.StatusGatewayTimeout)
		if took > 200*time.Millisecond+deadlineGrace+500*time.Millisecond {
			t.Errorf("%s: answered after %s for a 200ms deadline", target, took)
		}
		rec = get(s, queryURL(japanRAA))
		wantStatus(t, rec, http.StatusServiceUnavailable) // the deaf query still runs
		time.Sleep(1500 * time.Millisecond)
	}
}

func TestSlowBodyTimesOut(t *testing.T) {
	s := newServer(t, Config{WriteToken: token, ReadTimeout: 500 * time.Millisecond})
	addr := strings.TrimPrefix(serve(t, s), "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/load HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/n-quads\r\nContent-Length: 1000\r\n\r\n", token)
	start := time.Now()
	done := make(chan *http.Response, 1)
	go func() {
		resp, _ := http.ReadResponse(bufio.NewReader(conn), nil)
		done <- resp
	}()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case resp := <-done:
			if resp == nil {
				t.Fatal("no response: the connection was cut")
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusGatewayTimeout || !strings.Contains(string(body), "--read-timeout") {
				t.Errorf("status %d, body %s; want 504 naming --read-timeout", resp.StatusCode, body)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("answered after %s for a 500ms read timeout", d)
			}
			return
		case <-tick.C:
			if time.Since(start) > 10*time.Second {
				t.Fatal("the body is still being read after 10s")
			}
			conn.Write([]byte("<")) // a byte at a time
		}
	}
}

func TestLoadIsBoundedOnceDecompressed(t *testing.T) {
	s := newServer(t, Config{WriteToken: token, MaxInput: 1 << 20})
	before := quadCount(t, s)
	var body bytes.Buffer
	zw := gzip.NewWriter(&body)
	line := []byte(franceRAA)
	for n := 0; n < 4<<20; n += len(line) {
		zw.Write(line)
	}
	zw.Close()
	for _, route := range []string{"/api/v1/load", "/api/v2/write"} {
		rec := do(s, http.MethodPost, route, body.String(), append([]string{"Content-Type", "application/n-quads"}, bearer...)...)
		wantStatus(t, rec, http.StatusRequestEntityTooLarge)
		if !strings.Contains(rec.Body.String(), "--max-input") {
			t.Errorf("%s: body %s, want it to name --max-input", route, rec.Body)
		}
	}
	if got := quadCount(t, s); got != before {
		t.Errorf("a refused load changed the store: %d quads, was %d", got, before)
	}
}

// TestGovernorStopsTheQueryThatGrew checks the choice of the query to stop on
// made-up heap readings.
func TestGovernorStopsTheQueryThatGrew(t *testing.T) {
	var reasons []string
	g := &governor{budget: 1000, perQuery: 100, trip: 600, log: newLogger(io.Discard),
		stopped: func(r string) { reasons = append(reasons, r) }, running: map[*ticket]bool{}}
	now := time.Now()
	add := func(ago time.Duration, live0 uint64) (*ticket, *context.Context) {
		ctx, cancel := context.WithCancelCause(context.Background())
		t := &ticket{start: now.Add(-ago), live0: live0, goal0: 1 << 40, stop: cancel}
		g.running[t] = true
		return t, &ctx
	}
	old, oldCtx := add(10*time.Second, 100) // started long before the growth
	greedy, greedyCtx := add(2*time.Second, 110)
	late, lateCtx := add(time.Second, 400) // started after most of the growth
	g.check(heapReading{inUse: 300, live: 150, cycles: 1})
	if len(reasons) != 0 {
		t.Fatalf("stopped %v under both budgets", reasons)
	}
	g.check(heapReading{inUse: 500, live: 450, cycles: 2})
	if !greedy.stopped || old.stopped || late.stopped {
		t.Errorf("stopped: old %v, greedy %v, late %v; want the greedy one", old.stopped, greedy.stopped, late.stopped)
	}
	if err := context.Cause(*greedyCtx); errs.CodeOf(err) != errs.TooLarge || !strings.Contains(err.Error(), "--query-memory") {
		t.Errorf("cause %v, want too_large naming --query-memory", err)
	}
	g.check(heapReading{inUse: 500, live: 450, cycles: 2})
	if old.stopped || late.stopped {
		t.Error("stopped another query before a collection showed what the first stop freed")
	}
	// Over the server's budget with no query over its own: unavailable.
	delete(g.running, greedy)
	old.live0, late.live0 = 640, 600
	g.check(heapReading{inUse: 700, live: 650, cycles: 3})
	if !late.stopped || context.Cause(*lateCtx) == nil || errs.CodeOf(context.Cause(*lateCtx)) != errs.Unavailable {
		t.Errorf("over the server budget: late stopped %v (%v), want unavailable", late.stopped, context.Cause(*lateCtx))
	}
	if context.Cause(*oldCtx) != nil {
		t.Errorf("old query stopped too: %v", context.Cause(*oldCtx))
	}
	if fmt.Sprint(reasons) != "[query_memory server_memory]" {
		t.Errorf("counted %v", reasons)
	}
}

func TestGovernorStopsEveryQueryPast80Percent(t *testing.T) {
	var reasons []string
	g := &governor{budget: 1000, perQuery: 500, trip: 600, log: newLogger(io.Discard),
		stopped: func(r string) { reasons = append(reasons, r) }, running: map[*ticket]bool{}}
	var tickets []*ticket
	for range 3 {
		_, cancel := context.WithCancelCause(context.Background())
		tk := &ticket{start: time.Now(), live0: 100, goal0: 1 << 40, stop: cancel}
		g.running[tk] = true
		tickets = append(tickets, tk)
	}
	// Past 80% of the budget every running query is stopped at once.
	g.check(heapReading{inUse: 850, live: 300, cycles: 1})
	for i, tk := range tickets {
		if !tk.stopped {
			t.Errorf("query %d runs on with the heap past 80%% of the budget", i)
		}
	}
	if fmt.Sprint(reasons) != "[server_memory server_memory server_memory]" {
		t.Errorf("counted %v", reasons)
	}
}

// TestGovernorChargesAFastGrower: a query that grows the heap past what the
// collector allowed when it started is charged for it before a collection
// shows it live; garbage below that is not charged.
func TestGovernorChargesAFastGrower(t *testing.T) {
	g := &governor{}
	tk := g.newTicket(heapReading{inUse: 300, live: 200, goal: 400}, func(error) {})
	for _, tc := range []struct {
		h    heapReading
		want uint64
	}{
		{heapReading{inUse: 390, live: 200, goal: 400}, 0},   // garbage within the goal
		{heapReading{inUse: 650, live: 200, goal: 400}, 250}, // grown past it before a collection
		{heapReading{inUse: 500, live: 480, goal: 960}, 280}, // a collection shows it live
	} {
		if got := tk.charge(tc.h); got != tc.want {
			t.Errorf("charge on %+v = %d, want %d", tc.h, got, tc.want)
		}
	}
}

// TestSPARQLSharesTheLimits: SPARQL queries take a slot like any other and
// are bounded in size.
func TestSPARQLSharesTheLimits(t *testing.T) {
	s := newServer(t, Config{MaxQueries: 1, QueueWait: 50 * time.Millisecond, Timeout: time.Second, MaxQuery: 200})
	started := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		close(started)
		get(s, queryURL(forever))
	}()
	<-started
	q := url.QueryEscape(`SELECT ?s WHERE { ?s ?p ?o } LIMIT 1`)
	deadline := time.Now().Add(500 * time.Millisecond)
	rec := get(s, "/sparql?query="+q)
	for rec.Code == http.StatusOK && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		rec = get(s, "/sparql?query="+q)
	}
	wantStatus(t, rec, http.StatusServiceUnavailable)
	<-done
	wantStatus(t, get(s, "/sparql?query="+q), http.StatusOK)
	rec = get(s, "/sparql?query="+url.QueryEscape("SELECT * WHERE { ?s ?p ?o } #"+strings.Repeat("x", 300)))
	wantStatus(t, rec, http.StatusRequestEntityTooLarge)
}
