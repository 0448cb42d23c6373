package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

// TestBench runs the comparison once on a slice of the 30k-movie set (the
// films of Humphrey Bogart and Stanley Kubrick and those named Casablanca,
// with their casts and directors), checking that every engine runs every
// question and that their answers agree, and that the RESULT line comes.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Node.js")
	}
	pkg := testkit.OxigraphPackage(t)
	data := movieSlice(t)
	var out bytes.Buffer
	if err := run(context.Background(), options{data: data, runs: 1, pkg: pkg}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !regexp.MustCompile(`(?m)^RESULT q1_vs_oxigraph=\S+ .* q7_sparql_over_path=\S+ answers_agree=true$`).Match(out.Bytes()) {
		t.Errorf("no agreeing RESULT line in:\n%s", out.String())
	}
}

// movieSlice writes the part of the movie set the questions touch to a file.
func movieSlice(t *testing.T) string {
	f, err := os.Open(testkit.Movies(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var all []quad.Quad
	r := nquads.NewReader(zr, false)
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, q)
	}
	bySubject := map[quad.Value][]quad.Quad{}
	for _, q := range all {
		bySubject[q.Subject] = append(bySubject[q.Subject], q)
	}
	films := map[quad.Value]bool{}
	for _, q := range all {
		switch {
		case q.Predicate == quad.IRI("/film/performance/actor") && q.Object == quad.IRI("/en/humphrey_bogart"):
			for _, p := range all {
				if p.Predicate == quad.IRI("/film/film/starring") && p.Object == q.Subject {
					films[p.Subject] = true
				}
			}
		case q.Predicate == quad.IRI("/film/film/directed_by") && q.Object == quad.IRI("/en/stanley_kubrick"),
			q.Predicate == quad.IRI("name") && q.Object == quad.String("Casablanca"):
			films[q.Subject] = true
		}
	}
	keep := map[quad.Value]bool{}
	for f := range films {
		keep[f] = true
		for _, q := range bySubject[f] {
			keep[q.Object] = true
			for _, p := range bySubject[q.Object] {
				keep[p.Object] = true
			}
		}
	}
	path := filepath.Join(t.TempDir(), "movies.nq")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := nquads.NewWriter(out)
	for s := range keep {
		if _, err := w.WriteQuads(bySubject[s]); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	out.Close()
	return path
}

// BenchmarkQuestions runs each question on the whole 30k-movie set, as
// SPARQL (with SPARQL JSON results, as run times it) and as a path
// expression, so that a profile of one question can be taken:
//
//	go test -run NONE -bench 'Questions/Q6' -cpuprofile cpu.out ./cmd/sparqlbench
func BenchmarkQuestions(b *testing.B) {
	f, err := os.Open(testkit.Movies(b))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r, err := loaders.Decompressed(f)
	if err != nil {
		b.Fatal(err)
	}
	qs := compact.New()
	if _, err := qs.LoadNQuads(r); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range questions {
		b.Run(q.id+"/sparql", func(b *testing.B) {
			if _, _, err := timeSPARQL(ctx, qs, q.sparql, b.N); err != nil {
				b.Fatal(err)
			}
		})
		b.Run(q.id+"/path", func(b *testing.B) {
			if _, _, err := timeLang(ctx, qs, "path", q.path, b.N); err != nil {
				b.Fatal(err)
			}
		})
	}
}
