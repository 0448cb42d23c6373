package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
	cayleyhttp "github.com/cayleygraph/cayley/server/http"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/server"
)

// The -wrk mode: a 1-hop query of the article, asked of factgraph's server
// (a path expression on /api/v1/query) and of Cayley's own HTTP server
// (cayley/server/http, the same question in Gizmo on its memory store), each
// loaded by wrk in turn, rounds alternating, in one run on loopback.

// wrkQuestion is the 1-hop question in both languages.
var (
	wrkPath  = `Japan -> hasRAAWith`
	wrkGizmo = `g.V("<https://w3id.org/factgraph/Japan>").Out("<https://w3id.org/factgraph/hasRAAWith>").All()`
)

// wrkRun is what one wrk run measured.
type wrkRun struct {
	rps float64
	p99 time.Duration
}

// wrkResult is both servers' runs.
type wrkResult struct {
	conns              int
	duration           time.Duration
	factgraph, cayley  []wrkRun
	factgraphURL, cURL string
}

func compareWithCayley(ctx context.Context, conns int, d time.Duration, rounds int, progress io.Writer) (*wrkResult, error) {
	bin, err := exec.LookPath("wrk")
	if err != nil {
		return nil, fmt.Errorf("-wrk needs wrk on the PATH (Debian: apt-get install -y wrk): %w", err)
	}
	quads, err := loaders.ReadArticle()
	if err != nil {
		return nil, err
	}
	st := compact.New()
	if _, err := loaders.Apply(ctx, st, quads); err != nil {
		return nil, err
	}
	fg := server.New(&graph.Store{QuadStore: st, URL: "memory", Backend: graph.BackendMemory},
		server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := fg.Open("127.0.0.1:0"); err != nil {
		return nil, err
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	go fg.Serve(sctx)

	cqs := memstore.New(quads...)
	api := cayleyhttp.NewAPIv2(&cgraph.Handle{QuadStore: cqs})
	api.SetReadOnly(true)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	csrv := &http.Server{Handler: api}
	go csrv.Serve(ln)
	defer csrv.Close()

	res := &wrkResult{conns: conns, duration: d,
		factgraphURL: fg.URL() + "/api/v1/query?" + url.Values{"q": {wrkPath}}.Encode(),
		cURL:         "http://" + ln.Addr().String() + "/api/v2/query?" + url.Values{"lang": {"gizmo"}, "qu": {wrkGizmo}}.Encode()}
	for _, u := range []string{res.factgraphURL, res.cURL} {
		resp, err := http.Get(u)
		if err != nil {
			return nil, err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Australia") {
			return nil, fmt.Errorf("%s answers %s: %.200s", u, resp.Status, body)
		}
	}
	for i := range rounds {
		for _, side := range []struct {
			name string
			url  string
			runs *[]wrkRun
		}{{"factgraph", res.factgraphURL, &res.factgraph}, {"cayley", res.cURL, &res.cayley}} {
			fmt.Fprintf(progress, "round %d: wrk -c%d -d%s on %s...\n", i+1, conns, d, side.name)
			r, err := runWrk(ctx, bin, side.url, conns, d)
			if err != nil {
				return nil, err
			}
			*side.runs = append(*side.runs, r)
		}
	}
	return res, nil
}

var (
	wrkRPS = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkP99 = regexp.MustCompile(`\n\s+99%\s+([0-9.]+)(us|ms|s)\b`)
)

func runWrk(ctx context.Context, bin, target string, conns int, d time.Duration) (wrkRun, error) {
	out, err := exec.CommandContext(ctx, bin, "-t2", "-c"+strconv.Itoa(conns), "-d"+d.String(), "--latency", target).CombinedOutput()
	if err != nil {
		return wrkRun{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	rps, p99 := wrkRPS.FindSubmatch(out), wrkP99.FindSubmatch(out)
	if rps == nil || p99 == nil || strings.Contains(string(out), "Non-2xx") {
		return wrkRun{}, fmt.Errorf("wrk output not understood, or errors:\n%s", out)
	}
	var r wrkRun
	r.rps, _ = strconv.ParseFloat(string(rps[1]), 64)
	v, _ := strconv.ParseFloat(string(p99[1]), 64)
	unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[string(p99[2])]
	r.p99 = time.Duration(v * float64(unit))
	return r, nil
}

func (res *wrkResult) report(w io.Writer) {
	mean := func(runs []wrkRun) (rps float64, p99 time.Duration) {
		for _, r := range runs {
			rps += r.rps / float64(len(runs))
			p99 = max(p99, r.p99)
		}
		return rps, p99
	}
	fr, fp := mean(res.factgraph)
	cr, cp := mean(res.cayley)
	fmt.Fprintf(w, "1-hop query of the article, wrk -t2 -c%d -d%s, %d rounds alternating, loopback\n", res.conns, res.duration, len(res.factgraph))
	fmt.Fprintf(w, "factgraph  %8.0f req/s  p99 %s   %s\n", fr, fp.Round(10*time.Microsecond), res.factgraphURL)
	fmt.Fprintf(w, "cayley     %8.0f req/s  p99 %s   %s\n", cr, cp.Round(10*time.Microsecond), res.cURL)
	fmt.Fprintf(w, "RESULT factgraph_rps=%.0f cayley_rps=%.0f ratio=%.2f factgraph_p99_ms=%.2f cayley_p99_ms=%.2f\n",
		fr, cr, fr/cr, float64(fp.Microseconds())/1000, float64(cp.Microseconds())/1000)
}
