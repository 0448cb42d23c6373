package main

// Hostile queries against a live server: the factgraph binary serving the
// 30k-movie graph as a child process under a memory budget. Every query must
// end by its deadline with a clear answer, one at a time and a hundred at
// once, while /healthz keeps answering; the server must not die, and its peak
// memory (the child's max RSS) must stay within the budget and 20%.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/factgraph/factgraph/internal/testkit"
)

// hostileQuery is one query and the statuses it may end with.
type hostileQuery struct {
	name   string
	lang   string
	q      string
	params url.Values // extra parameters of /api/v1/query
	v2     bool       // through Cayley's /api/v2/query
	ok     []int      // statuses it may end with
}

// The statuses of the limits: 413 a query's own (size, steps, memory), 503
// the server's (busy, memory), 504 the deadline. A query that does not grow
// may still be stopped for memory: a neighbour stopped at its deadline may
// still be finishing a JavaScript builtin (see docs/limits.md), so every
// query that runs a while may end in 413 or 503 too.
var (
	anyLimit = []int{200, 413, 503, 504}
	tooLarge = []int{413}
	memory   = []int{413, 503}
	slow     = []int{413, 503, 504}
)

var hostileQueries = []hostileQuery{
	// Gizmo: JavaScript that grows or spins.
	{name: "string doubling", lang: "gizmo", q: `var s = 'x'; while (true) s += s;`, ok: memory},
	{name: "busy loop", lang: "gizmo", q: `while (true) {}`, ok: slow},
	{name: "array growth", lang: "gizmo", q: `var a = []; while (true) a.push('xxxxxxxxxxxxxxxx' + a.length);`, ok: slow},
	{name: "object growth", lang: "gizmo", q: `var o = {}; for (var i = 0; ; i++) o['k' + i] = i;`, ok: slow},
	{name: "unbounded recursion", lang: "gizmo", q: `function f(n) { return f(n + 1) + 1 }; f(0)`, ok: append([]int{400}, slow...)},
	{name: "one big string", lang: "gizmo", q: `'x'.repeat(1 << 28).length`, ok: anyLimit},
	{name: "big array fill", lang: "gizmo", q: `new Array(1e7).fill(0).length`, ok: anyLimit},
	{name: "backtracking regexp", lang: "gizmo", q: `/^(a|aa)+\1$/.test('a'.repeat(45) + 'b')`, ok: slow},
	{name: "every node", lang: "gizmo", q: `g.V().All()`, ok: anyLimit},
	{name: "two hops from every node", lang: "gizmo", q: `g.V().Out().Out().All()`, ok: anyLimit},
	{name: "recursion over everything", lang: "gizmo", q: `g.V().FollowRecursive(g.M().Both()).All()`, ok: anyLimit},
	{name: "tagged triple hop", lang: "gizmo", q: `g.V().Tag('a').Both().Tag('b').Both().Tag('c').All()`, ok: anyLimit},
	{name: "every node into JSON", lang: "gizmo", q: `JSON.stringify(g.V().ToArray()).length`, ok: anyLimit},
	{name: "a billion pushes", lang: "gizmo", q: `var x = []; for (var i = 0; i < 1e9; i++) x.push(i); x.length`, ok: slow},
	{name: "endless emit", lang: "gizmo", q: `for (;;) g.Emit({a: 'x'})`, ok: anyLimit},
	{name: "syntax error", lang: "gizmo", q: `g.V(.All()`, ok: []int{400}},
	{name: "thrown error", lang: "gizmo", q: `throw new Error('boom')`, ok: []int{400}},
	{name: "huge query text", lang: "gizmo", q: `var s = '` + strings.Repeat("x", 20<<10) + `';`, ok: tooLarge},
	// Path expressions.
	{name: "everything, both ways, repeated", lang: "path", q: `* <-> *+`, ok: anyLimit},
	{name: "three hops both ways", lang: "path", q: `* <-> * <-> * <-> *`, ok: anyLimit},
	{name: "repeated count", lang: "path", q: `* <-> *+ count`, ok: anyLimit},
	{name: "three hops, unique, ordered", lang: "path", q: `* -> * -> * -> * unique order`, ok: anyLimit},
	{name: "two repeats", lang: "path", q: `* <-> *+ <-> *+`, ok: anyLimit},
	{name: "deep repeat", lang: "path", q: `* <-> *+`, params: url.Values{"max_depth": {"1000"}}, ok: anyLimit},
	{name: "regexp on every name", lang: "path", q: `* [</name> ~ "(a|aa)+$"]`, ok: anyLimit},
	{name: "300 steps", lang: "path", q: "*" + strings.Repeat(" -> </name>", 300), ok: tooLarge},
	{name: "huge path text", lang: "path", q: "*" + strings.Repeat(" ", 20<<10), ok: tooLarge},
	{name: "path syntax error", lang: "path", q: `* -> -> x`, ok: []int{400}},
	{name: "limit too big", lang: "path", q: `* limit 99999999999999999999`, ok: []int{400}},
	{name: "unknown name", lang: "path", q: `Atlantis -> name`, ok: []int{404}},
	// GraphQL and MQL.
	{name: "graphql nested", lang: "graphql", q: `{ nodes { id out { id out { id out { id } } } } }`, ok: anyLimit},
	{name: "mql everything", lang: "mql", q: `[{"id": null, "*": []}]`, ok: anyLimit},
	// Cayley's v2 API shares the limits.
	{name: "v2 string doubling", lang: "gizmo", q: `var s = 'x'; while (true) s += s;`, v2: true, ok: memory},
	{name: "v2 busy loop", lang: "gizmo", q: `while (true) {}`, v2: true, ok: slow},
	{name: "v2 repeated path", lang: "path", q: `* <-> *+`, v2: true, ok: anyLimit},
}

const (
	hostileBudget  = 1 << 30
	hostileTimeout = 3 * time.Second
	hostileWait    = time.Second
)

// liveServer is the factgraph binary serving, as a child process.
type liveServer struct {
	cmd *exec.Cmd
	url string
	log *testkit.SyncBuffer
}

func startServer(t *testing.T, bin string, args ...string) *liveServer {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &liveServer{cmd: cmd, log: &testkit.SyncBuffer{}}
	cmd.Stderr = s.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), " at "); ok {
				found <- strings.Fields(rest)[0]
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatalf("the server ended before serving:\n%s", s.log)
		}
		s.url = u
	case <-time.After(3 * time.Minute):
		t.Fatalf("the server did not start within 3 minutes:\n%s", s.log)
	}
	return s
}

// peakRSS is the child's peak resident memory so far (VmHWM), or 0 where
// /proc cannot tell.
func (s *liveServer) peakRSS() uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// request sends q and returns its status and body, or an error if the
// connection failed or no answer came by the deadline of the answer.
func (s *liveServer) request(ctx context.Context, q hostileQuery) (int, []byte, error) {
	var req *http.Request
	var err error
	if q.v2 {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/api/v2/query?lang="+q.lang, strings.NewReader(q.q))
	} else {
		form := url.Values{"q": {q.q}, "lang": {q.lang}}
		for k, v := range q.params {
			form[k] = v
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/api/v1/query", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if err != nil {
		return 0, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// clearError checks that an error answer names its code and says what
// happened: a limit's answer names the limit's flag.
func clearError(status int, body []byte, v2 bool) error {
	var msg string
	if v2 {
		var e struct{ Error string }
		if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
			return fmt.Errorf("not a Cayley error body: %.200s", body)
		}
		msg = e.Error
	} else {
		var e struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
			return fmt.Errorf("not an error body: %.200s", body)
		}
		msg = e.Error.Message
	}
	if status == 413 || status == 503 || status == 504 {
		if !strings.Contains(msg, "--") {
			return fmt.Errorf("the message does not name the limit that cut: %q", msg)
		}
	}
	return nil
}

func TestHostileQueries(t *testing.T) {
	if testing.Short() {
		t.Skip("serves the 30k-movie graph under hostile queries")
	}
	bin := buildBinary(t)
	srv := startServer(t, bin, "--empty", "--load", testkit.Movies(t), "-q",
		"--max-memory", "1GiB", "--query-memory", "128MiB", "--max-queries", "4",
		"--queue-wait", hostileWait.String(), "--timeout", hostileTimeout.String())

	// /healthz must answer throughout.
	var healthFails, healthChecks atomic.Int64
	var slowest atomic.Int64
	stopHealth := make(chan struct{})
	healthDone := make(chan struct{})
	go func() {
		defer close(healthDone)
		client := &http.Client{Timeout: 5 * time.Second}
		for {
			select {
			case <-stopHealth:
				return
			case <-time.After(200 * time.Millisecond):
			}
			start := time.Now()
			resp, err := client.Get(srv.url + "/healthz")
			if err == nil {
				resp.Body.Close()
			}
			healthChecks.Add(1)
			if d := time.Since(start); d > time.Duration(slowest.Load()) {
				slowest.Store(int64(d))
			}
			if err != nil || resp.StatusCode != http.StatusOK {
				healthFails.Add(1)
			}
		}
	}()

	// An answer may take: the wait for a slot, the deadline, the grace a
	// query that does not notice it gets, and some slack for a busy machine.
	answerBy := hostileWait + hostileTimeout + 250*time.Millisecond + 5*time.Second
	check := func(t *testing.T, q hostileQuery, extra []int) {
		ctx, cancel := context.WithTimeout(context.Background(), answerBy)
		defer cancel()
		start := time.Now()
		status, body, err := srv.request(ctx, q)
		took := time.Since(start)
		if err != nil {
			t.Errorf("%s: no answer after %s: %v", q.name, took.Round(time.Millisecond), err)
			return
		}
		if !slices.Contains(q.ok, status) && !slices.Contains(extra, status) {
			t.Errorf("%s: status %d, want one of %v: %.300s", q.name, status, q.ok, body)
		}
		if status != 200 {
			if err := clearError(status, body, q.v2); err != nil {
				t.Errorf("%s: status %d: %v", q.name, status, err)
			}
		}
		t.Logf("%-34s %d in %-8s peak RSS so far %d MiB", q.name, status, took.Round(time.Millisecond), srv.peakRSS()>>20)
	}

	t.Run("one at a time", func(t *testing.T) {
		for _, q := range hostileQueries {
			check(t, q, nil)
		}
	})
	t.Run("20 and 50 repeated paths at once", func(t *testing.T) {
		for _, n := range []int{20, 50} {
			var wg sync.WaitGroup
			for range n {
				wg.Add(1)
				go func() { defer wg.Done(); check(t, hostileQueries[18], []int{503}) }()
			}
			wg.Wait()
		}
	})
	t.Run("100 hostile queries at once", func(t *testing.T) {
		var wg sync.WaitGroup
		for i := range 100 {
			wg.Add(1)
			go func() { defer wg.Done(); check(t, hostileQueries[i%len(hostileQueries)], []int{503}) }()
		}
		wg.Wait()
	})

	// The server is alive and answers queries as before.
	ctx, cancel := context.WithTimeout(context.Background(), answerBy)
	defer cancel()
	normal := hostileQuery{name: "after", lang: "path", q: `</en/humphrey_bogart> <- </film/performance/actor> <- </film/film/starring> count`}
	deadline := time.Now().Add(answerBy)
	for {
		status, body, err := srv.request(ctx, normal)
		if err == nil && status == 200 && strings.Contains(string(body), `"count"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the hostile queries a normal query gets %d %v: %.300s", status, err, body)
		}
		time.Sleep(200 * time.Millisecond) // stopped queries may still hold their slots
	}
	close(stopHealth)
	<-healthDone
	if n := healthFails.Load(); n > 0 {
		t.Errorf("/healthz failed %d of %d times", n, healthChecks.Load())
	}
	t.Logf("/healthz answered %d times, the slowest in %s", healthChecks.Load(), time.Duration(slowest.Load()).Round(time.Millisecond))

	// A graceful stop, then the peak memory of the whole run.
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := srv.cmd.Wait(); err != nil {
		t.Errorf("the server ended with %v", err)
	}
	for _, l := range strings.Split(srv.log.String(), "\n") {
		if strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") {
			t.Log("server: " + l)
		}
	}
	ru, ok := srv.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Fatal("no resource usage of the server")
	}
	peak := uint64(ru.Maxrss) << 10 // kilobytes on Linux
	t.Logf("peak RSS %d MiB for a budget of %d MiB; the governor stopped %d queries",
		peak>>20, hostileBudget>>20, strings.Count(srv.log.String(), "memory governor stopped a query"))
	if limit := uint64(hostileBudget) * 12 / 10; peak > limit {
		t.Errorf("peak RSS %d MiB, over the budget and 20%% (%d MiB)", peak>>20, limit>>20)
	}
}
