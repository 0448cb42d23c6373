package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	_ "github.com/cayleygraph/cayley/graph/kv/bbolt" // bolt:// stores
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/compact"
	_ "github.com/factgraph/factgraph/graph/disk" // disk:// stores
	"github.com/factgraph/factgraph/internal/datasets"
	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/server"
)

// soakOptions configure a soak run.
type soakOptions struct {
	db       string // a persistent store URL
	clients  int    // readers
	duration time.Duration
	data     string // loaded into an empty store (default: the 30k-movie set)
	copy     bool   // serve a bolt store's reads from a copy in memory, as factgraph serve does
}

// soakBatch is how many quads the writer sends at a time, and soakEvery how
// often.
const (
	soakBatch = 20
	soakEvery = 50 * time.Millisecond
)

// soakReads are the readers' requests: a 1-hop query, a 4-hop one, Gizmo, a
// filtered export and the store's counts, on the 30k-movie graph; or, on a
// store without it, the same kinds of request on the article.
var soakReads = []string{
	"/api/v1/query?" + url.Values{"q": {`</en/humphrey_bogart> <- </film/performance/actor>`}}.Encode(),
	"/api/v1/query?" + url.Values{"q": {`</en/humphrey_bogart> <- </film/performance/actor> <- </film/film/starring> -> </film/film/starring> -> </film/performance/actor> unique -> <name>`}}.Encode(),
	"/api/v1/query?" + url.Values{"lang": {"gizmo"}, "q": {`g.V("</en/humphrey_bogart>").In("</film/performance/actor>").In("</film/film/starring>").Out("<name>").All()`}}.Encode(),
	"/api/v1/quads?" + url.Values{"subject": {"</en/casablanca_1942>"}}.Encode(),
	"/api/v1/stats",
}

var articleReads = []string{
	"/api/v1/query?" + url.Values{"q": {`Japan -> hasRAAWith`}}.Encode(),
	"/api/v1/query?" + url.Values{"q": {`Japan <- party -> party unique -> name`}}.Encode(),
	"/api/v1/query?" + url.Values{"lang": {"gizmo"}, "q": {`g.V("<https://w3id.org/factgraph/Japan>").Out("<https://w3id.org/factgraph/hasRAAWith>").All()`}}.Encode(),
	"/api/v1/quads?" + url.Values{"subject": {"Japan"}}.Encode(),
	"/api/v1/stats",
}

// soakResult is what a soak run measured and checked.
type soakResult struct {
	opt            soakOptions
	run            int64 // this run's stamp in the quads it writes
	reads          result
	batches, acked int // write batches sent, and acknowledged with 200
	writeErrors    int
	lost           int // acknowledged batches not all in the reopened store
	firstWriteErr  string
}

// soak serves opt.db, runs the readers and the writer, then checks the writes.
func soak(ctx context.Context, opt soakOptions, progress io.Writer) (*soakResult, error) {
	st, err := graph.Open(ctx, opt.db)
	if err != nil {
		return nil, err
	}
	if n, err := graph.QuadCount(ctx, st); err != nil {
		st.Close()
		return nil, err
	} else if n == 0 {
		if opt.data == "" {
			if opt.data, err = datasets.Movies(); err != nil {
				st.Close()
				return nil, err
			}
		}
		fmt.Fprintf(progress, "loading %s into %s...\n", opt.data, opt.db)
		quads, err := loaders.ReadFile(opt.data, loaders.ReadOptions{})
		if err == nil {
			_, err = loaders.Apply(ctx, st, quads)
		}
		if err != nil {
			st.Close()
			return nil, err
		}
	}
	if opt.copy && st.Backend == graph.BackendBolt {
		m, err := graph.NewMirror(ctx, st, compact.New())
		if err != nil {
			st.Close()
			return nil, err
		}
		st = m
	}
	const token = "soak-token"
	srv := server.New(st, server.Config{WriteToken: token, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := srv.Open("127.0.0.1:0"); err != nil {
		st.Close()
		return nil, err
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx) }()

	res := &soakResult{opt: opt, run: time.Now().UnixNano()}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: opt.clients + 1}, Timeout: time.Minute}
	reads := soakReads
	if ok, _ := graph.Exists(ctx, st, quad.IRI("/en/humphrey_bogart")); !ok {
		reads = articleReads
	}
	var targets []string
	for _, r := range reads {
		targets = append(targets, srv.URL()+r)
	}
	fmt.Fprintf(progress, "soaking %s: %d readers and a writer for %s...\n", opt.db, opt.clients, opt.duration)
	var (
		wg    sync.WaitGroup
		acked []int
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		acked = res.write(ctx, client, srv.URL(), token, time.Now().Add(opt.duration))
	}()
	res.reads = load(ctx, client, targets, opt.clients, opt.duration, "soak reads")
	wg.Wait()
	res.acked = len(acked)

	stop()
	if err := <-served; err != nil {
		st.Close()
		return nil, err
	}
	if err := st.Close(); err != nil {
		return nil, err
	}
	// What the server acknowledged must be in the store as it opens anew.
	st, err = graph.Open(ctx, opt.db)
	if err != nil {
		return nil, fmt.Errorf("reopen: %w", err)
	}
	defer st.Close()
	for _, b := range acked {
		for _, q := range res.quads(b) {
			if !hasQuad(ctx, st, q) {
				res.lost++
				break
			}
		}
	}
	return res, nil
}

// quads are the quads of write batch b, new to any store.
func (res *soakResult) quads(b int) []quad.Quad {
	stamp := fmt.Sprintf("urn:soak:%d:%d", res.run, b)
	out := make([]quad.Quad, soakBatch)
	for i := range out {
		out[i] = quad.Quad{Subject: quad.IRI(fmt.Sprintf("%s:%d", stamp, i)), Predicate: quad.IRI("urn:soak:written"), Object: quad.Int(b)}
	}
	return out
}

func hasQuad(ctx context.Context, st *graph.Store, q quad.Quad) bool {
	found := false
	graph.EachQuad(ctx, st, quad.Subject, q.Subject, func(got quad.Quad) error {
		found = found || got.Predicate == q.Predicate && got.Object == q.Object
		return nil
	})
	return found
}

// write sends a batch every soakEvery until the deadline and returns the
// batches the server acknowledged.
func (res *soakResult) write(ctx context.Context, client *http.Client, base, token string, deadline time.Time) []int {
	var acked []int
	for b := 0; time.Now().Before(deadline) && ctx.Err() == nil; b++ {
		var body bytes.Buffer
		for _, q := range res.quads(b) {
			body.WriteString(q.NQuad() + "\n")
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/load", &body)
		req.Header.Set("Content-Type", "application/n-quads")
		req.Header.Set("Authorization", "Bearer "+token)
		res.batches++
		resp, err := client.Do(req)
		var st struct{ Added int }
		if err == nil {
			err = json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if err == nil && (resp.StatusCode != http.StatusOK || st.Added != soakBatch) {
				err = fmt.Errorf("status %s, %d added", resp.Status, st.Added)
			}
		}
		if err != nil {
			res.writeErrors++
			if res.firstWriteErr == "" {
				res.firstWriteErr = err.Error()
			}
		} else {
			acked = append(acked, b)
		}
		time.Sleep(soakEvery)
	}
	return acked
}

func (res *soakResult) report(w io.Writer) {
	r := res.reads
	how := ""
	if res.opt.copy && strings.HasPrefix(res.opt.db, "bolt:") {
		how = " (reads from a copy in memory)"
	}
	fmt.Fprintf(w, "soak of %s%s: %d readers (%s) and a writer of %d quads every %s, for %s, loopback\n",
		res.opt.db, how, res.opt.clients, strings.Join([]string{"1-hop", "4-hop", "gizmo", "quads", "stats"}, ", "), soakBatch, soakEvery, res.opt.duration)
	fmt.Fprintf(w, "reads: %d (%d errors)  writes: %d batches, %d acknowledged (%d errors)\n", r.requests, r.errors, res.batches, res.acked, res.writeErrors)
	if r.firstError != "" {
		fmt.Fprintf(w, "first read error: %s\n", r.firstError)
	}
	if res.firstWriteErr != "" {
		fmt.Fprintf(w, "first write error: %s\n", res.firstWriteErr)
	}
	fmt.Fprintf(w, "RESULT errors=%d lost=%d p50_ms=%.1f p99_ms=%.1f rps=%.0f\n", r.errors+res.writeErrors, res.lost,
		float64(r.percentile(0.50).Microseconds())/1000, float64(r.percentile(0.99).Microseconds())/1000, float64(r.requests)/r.elapsed.Seconds())
}
