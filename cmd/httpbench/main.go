// Command httpbench puts factgraph's HTTP API under load from concurrent
// clients on loopback for a bounded time and reports requests/s, p50 and p99
// latency and errors for each scenario:
//
//	go run ./cmd/httpbench -clients 8 -duration 10s
//
// It starts the servers itself, in process, on 127.0.0.1 ports the kernel
// picks: the embedded article graph, and the 30k-movie graph (-data).
//
// With -soak it serves a persistent store instead, to -clients readers of a
// mix of queries, exports and stats and one writer of batches, then reopens
// the store and checks that every batch the server acknowledged is there:
//
//	go run ./cmd/httpbench -soak bolt:///tmp/kg -clients 50 -duration 60s
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"github.com/factgraph/factgraph/graph"
	_ "github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/internal/datasets"
	"github.com/factgraph/factgraph/loaders"
	_ "github.com/factgraph/factgraph/queries/cayleylang"
	_ "github.com/factgraph/factgraph/queries/pathlang"
	_ "github.com/factgraph/factgraph/queries/sparql"
	"github.com/factgraph/factgraph/server"
)

// scenario is one kind of request, sent again and again.
type scenario struct {
	name  string
	graph string // "article" or "movies"
	query string
	form  string // output format
}

var scenarios = []scenario{
	{"article 1-hop (JSON)", "article", `Japan -> hasRAAWith`, "json"},
	{"article 1-hop with evidence", "article", `Japan -> hasRAAWith`, "json"},
	{"movies co-stars, 4 hops + unique", "movies", `</en/humphrey_bogart> <- </film/performance/actor> <- </film/film/starring> -> </film/film/starring> -> </film/performance/actor> unique -> <name>`, "json"},
	{"movies all 30,000 film names (CSV)", "movies", `* [<type> = </film/film>] -> <name>`, "csv"},
}

// result is what one scenario measured.
type result struct {
	name       string
	requests   int
	errors     int
	elapsed    time.Duration
	latencies  []time.Duration
	firstError string
}

func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	slices.Sort(r.latencies)
	i := int(p * float64(len(r.latencies)-1))
	return r.latencies[i]
}

func main() {
	clients := flag.Int("clients", 8, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long each scenario runs")
	dataFile := flag.String("data", "", "the movie graph (default: the 30k-movie set in Cayley's module; \"none\" skips its scenarios)")
	compare := flag.Bool("wrk", false, "compare a 1-hop query on factgraph's server with Cayley's own HTTP server, loading each with wrk -c CLIENTS for -duration, 3 rounds")
	memoryCopy := flag.Bool("memory-copy", true, "soak mode: serve a bolt store's reads from a copy in memory, as factgraph serve does by default")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run (server and clients) to this file")
	soakDB := flag.String("soak", "", "soak mode: serve this persistent store (bolt://DIR, disk://DIR; loaded with -data if empty) to -clients readers and one writer for -duration, then check every acknowledged write")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "httpbench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *compare {
		res, err := compareWithCayley(context.Background(), *clients, *duration, 3, os.Stderr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "httpbench:", err)
			os.Exit(1)
		}
		res.report(os.Stdout)
		return
	}
	if *soakDB != "" {
		res, err := soak(context.Background(), soakOptions{db: *soakDB, clients: *clients, duration: *duration, data: *dataFile, copy: *memoryCopy}, os.Stderr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "httpbench:", err)
			os.Exit(1)
		}
		res.report(os.Stdout)
		return
	}
	results, err := run(context.Background(), *clients, *duration, *dataFile, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpbench:", err)
		os.Exit(1)
	}
	report(os.Stdout, results, *clients, *duration)
}

// run starts the servers and runs every scenario whose graph is available.
func run(ctx context.Context, clients int, duration time.Duration, dataFile string, progress io.Writer) ([]result, error) {
	urls := map[string]string{}
	article, err := loaders.ReadArticle()
	if err != nil {
		return nil, err
	}
	graphs := map[string][]string{"article": nil}
	if dataFile == "" {
		if dataFile, err = datasets.Movies(); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(dataFile); dataFile != "none" && err == nil {
		graphs["movies"] = []string{dataFile}
	}
	for name, files := range graphs {
		st, err := graph.Open(ctx, "memory")
		if err != nil {
			return nil, err
		}
		defer st.Close()
		quads := article
		if files != nil {
			fmt.Fprintf(progress, "loading %s...\n", files[0])
			if quads, err = loaders.ReadFiles(files, loaders.ReadOptions{}); err != nil {
				return nil, err
			}
		}
		if _, err := loaders.Apply(ctx, st, quads); err != nil {
			return nil, err
		}
		srv := server.New(st, server.Config{
			MaxRows: 100_000,
			Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		})
		if err := srv.Open("127.0.0.1:0"); err != nil {
			return nil, err
		}
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go srv.Serve(sctx)
		urls[name] = srv.URL()
	}
	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: transport, Timeout: time.Minute}
	var results []result
	for _, sc := range scenarios {
		base, ok := urls[sc.graph]
		if !ok {
			fmt.Fprintf(progress, "skipping %q: no %s graph\n", sc.name, sc.graph)
			continue
		}
		v := url.Values{"q": {sc.query}, "format": {sc.form}}
		if sc.name == "article 1-hop with evidence" {
			v.Set("evidence", "true")
		}
		target := base + "/api/v1/query?" + v.Encode()
		fmt.Fprintf(progress, "running %q for %s with %d clients...\n", sc.name, duration, clients)
		results = append(results, load(ctx, client, []string{target}, clients, duration, sc.name))
	}
	return results, nil
}

// load sends GET requests from n clients until d has passed, each client
// going round targets from a different start.
func load(ctx context.Context, client *http.Client, targets []string, n int, d time.Duration, name string) result {
	var (
		mu  sync.Mutex
		res = result{name: name}
		wg  sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for c := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			errs, first := 0, ""
			for i := c; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				t0 := time.Now()
				resp, err := client.Get(targets[i%len(targets)])
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %s", resp.Status)
					}
				}
				lat = append(lat, time.Since(t0))
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.errors += errs
			if res.firstError == "" {
				res.firstError = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.requests = len(res.latencies)
	return res
}

func report(w io.Writer, results []result, clients int, d time.Duration) {
	fmt.Fprintf(w, "%d clients, %s per scenario, loopback; Go %s, %d CPUs (server and clients share them)\n\n",
		clients, d, runtime.Version(), runtime.NumCPU())
	fmt.Fprintf(w, "%-38s %9s %10s %10s %10s %7s\n", "scenario", "requests", "req/s", "p50", "p99", "errors")
	for _, r := range results {
		fmt.Fprintf(w, "%-38s %9d %10.0f %10s %10s %7d\n", r.name, r.requests, float64(r.requests)/r.elapsed.Seconds(),
			r.percentile(0.50).Round(10*time.Microsecond), r.percentile(0.99).Round(10*time.Microsecond), r.errors)
		if r.firstError != "" {
			fmt.Fprintf(w, "    first error: %s\n", r.firstError)
		}
	}
	total := 0
	for _, r := range results {
		total += r.errors
	}
	fmt.Fprintf(w, "\nRESULT scenarios=%d errors=%d\n", len(results), total)
}
