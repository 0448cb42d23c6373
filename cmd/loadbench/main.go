// Command loadbench loads a data set into each backend twice in one run — with
// factgraph's loader (one atomic batch) and with Cayley's own loader
// (quad.CopyBatch through graph.NewWriter) — and prints time, quads/s, size on
// disk and the ratio between the two. On PostgreSQL it also measures what a
// shared store promises: how soon a write through one server shows through
// another, and that no write answered 200 is lost in a failover.
//
//	go run ./cmd/loadbench -backends memory,bolt,postgres,postgres-data -pg 'postgres://factgraph:factgraph@127.0.0.1/factgraph?sslmode=disable'
//	go run ./cmd/loadbench -propagation 1000 -pg URL
//	go run ./cmd/loadbench -failover 10 -cluster .ci/pgcluster.sh
package main

import (
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cayleygraph/cayley/clog"
	cgraph "github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt"
	_ "github.com/cayleygraph/cayley/graph/memstore"
	csql "github.com/cayleygraph/cayley/graph/sql"
	_ "github.com/cayleygraph/cayley/graph/sql/postgres"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
	_ "github.com/factgraph/factgraph/graph/compact"

	"github.com/factgraph/factgraph/graph"
	_ "github.com/factgraph/factgraph/graph/pg"
	"github.com/factgraph/factgraph/internal/datasets"
	"github.com/factgraph/factgraph/internal/pgdb"
	"github.com/factgraph/factgraph/loaders"
)

type quiet struct{}

func (quiet) Infof(string, ...any)    {}
func (quiet) Warningf(string, ...any) {}
func (quiet) Errorf(string, ...any)   {}
func (quiet) Fatalf(f string, a ...any) {
	fmt.Fprintf(os.Stderr, f+"\n", a...)
	os.Exit(1)
}
func (quiet) V(int) bool { return false }
func (quiet) SetV(int)   {}

func main() {
	data := flag.String("data", "", "N-Quads file to load (default: the 30k-movie set in Cayley's module)")
	backends := flag.String("backends", "memory,bolt", "backends to measure: memory, bolt, postgres, postgres-data (into a store that holds the article)")
	pg := flag.String("pg", os.Getenv("FACTGRAPH_TEST_POSTGRES"), "PostgreSQL URL whose role may create databases")
	limit := flag.Int("quads", 0, "load only the first N quads (0: all)")
	batch := flag.Int("batch", 10000, "batch size of Cayley's loader (quad.CopyBatch)")
	prop := flag.Int("propagation", 0, "instead of loads: time N writes through one server until they show through another (both replica=memory) on the -pg server")
	fail := flag.Int("failover", 0, "instead of loads: run N failover trials on the three nodes of -cluster")
	cluster := flag.String("cluster", ".ci/pgcluster.sh", "with -failover: the set-up's script, after its start")
	flag.Parse()
	clog.SetLogger(quiet{})
	ctx := context.Background()
	switch {
	case *prop > 0:
		if err := propagation(ctx, *pg, *prop); err != nil {
			fatal(err)
		}
		return
	case *fail > 0:
		if err := failover(ctx, *cluster, *fail); err != nil {
			fatal(err)
		}
		return
	}

	var err error
	if *data, err = datasets.MoviesOr(*data); err != nil {
		fatal(err)
	}
	quads, err := loaders.ReadFile(*data, loaders.ReadOptions{})
	if err != nil {
		fatal(err)
	}
	n := len(quads)
	if *limit > 0 && *limit < n {
		n = *limit
	}
	quads = nil
	article, err := loaders.ReadArticle()
	if err != nil {
		fatal(err)
	}
	articleQuads := int64(len(article))
	fmt.Printf("data: %s, %d quads; Go %s, %d CPUs; both loaders read the file\n\n", *data, n, runtime.Version(), runtime.NumCPU())
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "backend\tloader\ttime\tquads/s\tsize on disk\t")
	var results []string
	for _, b := range strings.Split(*backends, ",") {
		var times [2]time.Duration
		for i, loader := range []string{"factgraph", "cayley"} {
			st, size, cleanup, err := open(ctx, b, loader, *pg)
			if err != nil {
				fatal(err)
			}
			runtime.GC()
			start := time.Now()
			switch loader {
			case "factgraph":
				err = factgraphLoad(ctx, st, *data, *limit)
			case "cayley":
				err = cayleyLoad(st, *data, *limit, *batch)
			}
			times[i] = time.Since(start)
			if err != nil {
				fatal(fmt.Errorf("%s/%s: %w", b, loader, err))
			}
			want := int64(n)
			if b == "postgres-data" {
				want += articleQuads
			}
			s, err := st.Stats(ctx, true)
			if err != nil || s.Quads.Value != want {
				fatal(fmt.Errorf("%s/%s: store holds %d quads, want %d (%v)", b, loader, s.Quads.Value, want, err))
			}
			st.Close()
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t%s\t\n", b, loader, times[i].Round(time.Millisecond),
				float64(n)/times[i].Seconds(), size())
			cleanup()
		}
		results = append(results, fmt.Sprintf("%s_speedup=%.2f", b, times[1].Seconds()/times[0].Seconds()))
	}
	tw.Flush()
	fmt.Printf("\nRESULT quads=%d %s\n(speedup = Cayley's loader time / factgraph's)\n", n, strings.Join(results, " "))
}

// cayleyLoad is Cayley's own bulk path (as "cayley load" runs it): its N-Quads
// reader copied in batches into the store's quad writer; not atomic.
func cayleyLoad(qs cgraph.QuadStore, path string, limit, batch int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	var qr quad.Reader = nquads.NewReader(zr, false)
	if limit > 0 {
		qr = &limitReader{r: qr, n: limit}
	}
	qw, err := qs.NewQuadWriter()
	if err != nil {
		return err
	}
	if _, err := quad.CopyBatch(qw, qr, batch); err != nil {
		return err
	}
	return qw.Close()
}

type limitReader struct {
	r quad.Reader
	n int
}

func (l *limitReader) ReadQuad() (quad.Quad, error) {
	if l.n <= 0 {
		return quad.Quad{}, io.EOF
	}
	l.n--
	return l.r.ReadQuad()
}

// factgraphLoad is factgraph's path: read and check the whole file, then one
// atomic batch.
func factgraphLoad(ctx context.Context, qs cgraph.QuadStore, path string, limit int) error {
	quads, err := loaders.ReadFile(path, loaders.ReadOptions{})
	if err != nil {
		return err
	}
	if limit > 0 && limit < len(quads) {
		quads = quads[:limit]
	}
	_, err = loaders.Apply(ctx, qs, quads)
	return err
}

// open returns a fresh store of the backend for the loader, a function giving
// its size on disk, and a cleanup. On PostgreSQL, factgraph's loader writes
// through factgraph's backend (graph/pg) and Cayley's through Cayley's own
// SQL backend (its postgres flavour); backend postgres-data first loads the
// embedded article with the same loader, so the load goes into a store that
// holds data.
func open(ctx context.Context, backend, loader, pg string) (cgraph.QuadStore, func() string, func(), error) {
	none := func() string { return "-" }
	switch backend {
	case "memory":
		st, err := graph.Open(ctx, "memory")
		return st, none, func() {}, err
	case "bolt":
		dir, err := os.MkdirTemp("", "loadbench")
		if err != nil {
			return nil, nil, nil, err
		}
		st, err := graph.Open(ctx, "bolt://"+filepath.Join(dir, "kg.db"))
		return st, func() string { return dirSize(dir) }, func() { os.RemoveAll(dir) }, err
	case "postgres", "postgres-data":
		if pg == "" {
			return nil, nil, nil, fmt.Errorf("postgres: give -pg URL or set FACTGRAPH_TEST_POSTGRES")
		}
		db, err := pgdb.Create(ctx, pg, "fgloadbench")
		if err != nil {
			return nil, nil, nil, err
		}
		var st cgraph.QuadStore
		if loader == "factgraph" {
			st, err = graph.Open(ctx, db.URL)
		} else if err = csql.Init("postgres", db.URL, nil); err == nil {
			st, err = cgraph.NewQuadStore("postgres", db.URL, nil)
		}
		if err == nil && backend == "postgres-data" {
			err = preload(ctx, st, loader)
		}
		if err != nil {
			db.Drop()
			return nil, nil, nil, err
		}
		return st, db.Size, db.Drop, nil
	}
	return nil, nil, nil, fmt.Errorf("unknown backend %q", backend)
}

// preload loads the embedded article with the loader.
func preload(ctx context.Context, st cgraph.QuadStore, loader string) error {
	quads, err := loaders.ReadArticle()
	if err != nil {
		return err
	}
	if loader == "factgraph" {
		_, err = loaders.Apply(ctx, st, quads)
		return err
	}
	qw, err := st.NewQuadWriter()
	if err != nil {
		return err
	}
	if _, err := qw.WriteQuads(quads); err != nil {
		return err
	}
	return qw.Close()
}

func dirSize(dir string) string {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "loadbench:", err)
	os.Exit(1)
}
