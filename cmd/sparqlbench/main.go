// Command sparqlbench runs SPARQL versions of kgbench's questions (Q1–Q7,
// cmd/kgbench) on the 30k-movie set in the same run: on factgraph's engine
// (compact store) and on Oxigraph (npm oxigraph under Node.js), and on
// factgraph both as SPARQL and as its own path expressions. It checks that
// the answers agree and prints a table and one RESULT line of ratios:
//
//	go run ./cmd/sparqlbench                      # installs oxigraph with npm into the user cache
//	FACTGRAPH_OXIGRAPH=DIR go run ./cmd/sparqlbench  # DIR/node_modules/oxigraph
//
// Times are medians of -runs runs. Oxigraph's are taken inside Node.js
// around store.query with SPARQL JSON results, so they leave out the pipe;
// factgraph's SPARQL times likewise run the query and write SPARQL JSON
// results (into a buffer), each solution's values streamed to the writer as
// they come. The path-versus-SPARQL comparison runs both
// through their query.Session and reads every cell's value.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/internal/datasets"
	"github.com/factgraph/factgraph/internal/oxigraph"
	"github.com/factgraph/factgraph/internal/rdfsyntax"
	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/queries"
	_ "github.com/factgraph/factgraph/queries/pathlang"
	"github.com/factgraph/factgraph/queries/sparql"
	"github.com/factgraph/factgraph/queries/sparql/eval"
	"github.com/factgraph/factgraph/queries/sparql/results"
	"github.com/factgraph/factgraph/queries/sparql/w3c"
)

func main() {
	var o options
	fs := flag.NewFlagSet("sparqlbench", flag.ExitOnError)
	fs.StringVar(&o.data, "data", "", "N-Quads file (gzip or plain; default: the 30k-movie set in Cayley's module)")
	fs.IntVar(&o.runs, "runs", 5, "times each query runs on each engine")
	fs.StringVar(&o.oxigraph, "oxigraph", os.Getenv("FACTGRAPH_OXIGRAPH"), "folder holding node_modules/oxigraph (default $FACTGRAPH_OXIGRAPH, else installed with npm into the user cache)")
	fs.Parse(os.Args[1:])
	if err := run(context.Background(), o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sparqlbench:", err)
		os.Exit(1)
	}
}

type options struct {
	data, oxigraph string
	runs           int
	pkg            string // the oxigraph package, already installed (tests)
}

// base resolves the data's relative IRIs for Oxigraph, whose N-Quads reader
// takes absolute IRIs only; its queries say BASE <base>.
const base = "http://movies.example/"

// question is one of kgbench's questions, as SPARQL and as a path
// expression.
type question struct {
	id, what, sparql, path string
}

const bogart = "</en/humphrey_bogart>"

var questions = []question{
	{"Q1", "all nodes, counted",
		`SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?x ?o } UNION { ?s ?p ?x } } }`,
		`* count`},
	{"Q2", "names of films Humphrey Bogart acted in",
		`SELECT DISTINCT ?name WHERE { ?perf </film/performance/actor> ` + bogart + ` . ?film </film/film/starring> ?perf . ?film <name> ?name }`,
		bogart + ` <- </film/performance/actor> <- </film/film/starring> -> <name>`},
	{"Q3", "names of Bogart's distinct co-stars",
		`SELECT DISTINCT ?name WHERE { { SELECT DISTINCT ?co WHERE { ?p1 </film/performance/actor> ` + bogart + ` . ?film </film/film/starring> ?p1, ?p2 . ?p2 </film/performance/actor> ?co FILTER(?co != ` + bogart + `) } } ?co <name> ?name }`,
		bogart + ` <- </film/performance/actor> <- </film/film/starring> -> </film/film/starring> -> </film/performance/actor> except (` + bogart + `) unique -> <name>`},
	{"Q4", "directors of films named Casablanca",
		`SELECT DISTINCT ?dname WHERE { ?film <name> "Casablanca" ; <type> </film/film> ; </film/film/directed_by> ?d . ?d <name> ?dname }`,
		`* [<name> = "Casablanca"] [<type> = </film/film>] -> </film/film/directed_by> -> <name>`},
	{"Q5", "Kubrick's films, film and title",
		`SELECT DISTINCT ?film ?title WHERE { ?film </film/film/directed_by> </en/stanley_kubrick> ; <type> </film/film> ; <name> ?title }`,
		`</en/stanley_kubrick> <- </film/film/directed_by> [<type> = </film/film>] as film -> <name> as title`},
	{"Q6", "count of distinct actors over all films",
		`SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?f <type> </film/film> ; </film/film/starring> ?p . ?p </film/performance/actor> ?a }`,
		`* [<type> = </film/film>] -> </film/film/starring> -> </film/performance/actor> unique count`},
	{"Q7", "names of all films",
		`SELECT DISTINCT ?name WHERE { ?f <type> </film/film> ; <name> ?name }`,
		`* [<type> = </film/film>] -> <name>`},
}

func run(ctx context.Context, o options, w io.Writer) error {
	if o.runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	data, err := datasets.MoviesOr(o.data)
	if err != nil {
		return err
	}
	f, err := os.Open(data)
	if err != nil {
		return err
	}
	qs := compact.New()
	start := time.Now()
	r, err := loaders.Decompressed(f)
	if err != nil {
		return err
	}
	st, err := qs.LoadNQuads(r)
	f.Close()
	if err != nil {
		return fmt.Errorf("load compact: %w", err)
	}
	ourLoad := time.Since(start)

	pkg := o.pkg
	if pkg == "" {
		if pkg, err = installOxigraph(ctx, o.oxigraph); err != nil {
			return err
		}
	}
	ox, err := oxigraph.Start(ctx, pkg)
	if err != nil {
		return err
	}
	defer ox.Close()
	oxQuads, oxLoad, err := ox.Load(data, base)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "loaded %d quads: factgraph compact store %s, Oxigraph %d quads in %s\n\n",
		st.Read, ourLoad.Round(time.Millisecond), oxQuads, oxLoad.Round(time.Millisecond))
	fmt.Fprintf(w, "%-3s %-40s %8s | %10s %10s %7s | %10s %7s\n", "", "question", "results", "oxigraph", "fg sparql", "speedup", "fg path", "sp/path")
	vsOx := map[string]float64{}
	vsPath := map[string]float64{}
	agree := true
	for _, q := range questions {
		ourT, ours, err := timeSPARQL(ctx, qs, q.sparql, o.runs)
		if err != nil {
			return fmt.Errorf("%s factgraph: %w", q.id, err)
		}
		raw, oxTimes, err := ox.Query("BASE <"+base+">\n"+q.sparql, o.runs)
		if err != nil {
			return fmt.Errorf("%s oxigraph: %w", q.id, err)
		}
		theirs, err := results.ReadJSON(strings.NewReader(raw))
		if err != nil {
			return fmt.Errorf("%s oxigraph's answer: %w", q.id, err)
		}
		resolved := resolve(ours)
		pathT, pathN, err := timeLang(ctx, qs, "path", q.path, o.runs)
		if err != nil {
			return fmt.Errorf("%s path: %w", q.id, err)
		}
		sparqlT, sparqlN, err := timeLang(ctx, qs, sparql.Name, q.sparql, o.runs)
		if err != nil {
			return fmt.Errorf("%s sparql session: %w", q.id, err)
		}
		mark := ""
		if d := w3c.SameSolutions(theirs, resolved, false, false); d != "" {
			agree = false
			mark = "  ANSWERS DIFFER (oxigraph)"
		}
		if pathN != sparqlN && !strings.Contains(q.sparql, "COUNT") {
			agree = false
			mark += fmt.Sprintf("  ROWS DIFFER (path %d, sparql %d)", pathN, sparqlN)
		}
		oxT := median(oxTimes)
		vsOx[q.id] = float64(oxT) / float64(ourT)
		vsPath[q.id] = float64(sparqlT) / float64(pathT)
		fmt.Fprintf(w, "%-3s %-40s %8d | %10s %10s %6.1fx | %10s %6.2fx%s\n", q.id, q.what, len(ours.Rows),
			round(oxT), round(ourT), vsOx[q.id], round(pathT), vsPath[q.id], mark)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "speedup: Oxigraph's time over factgraph's (SPARQL JSON results); sp/path: factgraph's SPARQL time over its path expression's")
	var parts []string
	for _, q := range questions {
		parts = append(parts, fmt.Sprintf("%s_vs_oxigraph=%.1f", strings.ToLower(q.id), vsOx[q.id]))
	}
	for _, q := range questions {
		parts = append(parts, fmt.Sprintf("%s_sparql_over_path=%.2f", strings.ToLower(q.id), vsPath[q.id]))
	}
	fmt.Fprintf(w, "RESULT %s answers_agree=%v\n", strings.Join(parts, " "), agree)
	return nil
}

// resolve returns an answer with its IRIs resolved against base, as
// Oxigraph has them.
func resolve(s *results.Set) *results.Set {
	out := &results.Set{Vars: s.Vars}
	for _, r := range s.Rows {
		row := results.Row{}
		for k, v := range r {
			if iri, ok := v.(quad.IRI); ok {
				v = quad.IRI(rdfsyntax.ResolveIRI(base, string(iri)))
			}
			row[k] = v
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

func installOxigraph(ctx context.Context, dir string) (string, error) {
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(cache, "factgraph", "oxigraph-"+oxigraph.Version)
	}
	return oxigraph.Install(ctx, dir)
}

func round(d time.Duration) string {
	switch {
	case d > 100*time.Millisecond:
		return d.Round(time.Millisecond).String()
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// timeSPARQL runs a query as the protocol would, writing SPARQL JSON results,
// and returns the median time and the last answer.
func timeSPARQL(ctx context.Context, qs cgraph.QuadStore, text string, runs int) (time.Duration, *results.Set, error) {
	var ds []time.Duration
	var last *results.Set
	for i := 0; i < runs; i++ {
		start := time.Now()
		pl, err := sparql.Compile(ctx, qs, text, sparql.Options{})
		if err != nil {
			return 0, nil, err
		}
		set := &results.Set{Vars: pl.Vars()}
		var buf bytes.Buffer
		jw := results.NewJSONWriter(&buf, set.Vars)
		vals := make([]quad.Value, len(set.Vars))
		err = pl.Select(ctx, func(s eval.Solution) bool {
			for i := range vals {
				vals[i] = s.Value(i)
			}
			jw.WriteValues(vals)
			if i == runs-1 { // the last run also keeps the answer, to compare
				row := results.Row{}
				for i, v := range set.Vars {
					if vals[i] != nil {
						row[v] = vals[i]
					}
				}
				set.Rows = append(set.Rows, row)
			}
			return true
		})
		jw.Close()
		ds = append(ds, time.Since(start))
		if err != nil {
			return 0, nil, err
		}
		last = set
	}
	return median(ds), last, nil
}

// timeLang runs a query through its language's query.Session, reading the
// value of every cell, and returns the median time and the number of rows.
func timeLang(ctx context.Context, qs cgraph.QuadStore, lang, text string, runs int) (time.Duration, int, error) {
	var ds []time.Duration
	n := 0
	for i := 0; i < runs; i++ {
		start := time.Now()
		sess := query.NewSession(qs, lang)
		it, err := sess.Execute(ctx, text, query.Options{Collation: query.Raw})
		if err != nil {
			return 0, 0, err
		}
		n = 0
		for it.Next(ctx) {
			n++
			row, ok := it.Result().(*queries.TracedRow)
			if !ok {
				continue
			}
			for _, ref := range row.Tags {
				if _, err := qs.NameOf(ref); err != nil {
					return 0, 0, err
				}
			}
			var sink []quad.Value
			for _, v := range row.Values {
				sink = append(sink, v)
			}
			_ = sink
		}
		err = it.Err()
		it.Close()
		ds = append(ds, time.Since(start))
		if err != nil {
			return 0, 0, err
		}
	}
	return median(ds), n, nil
}
