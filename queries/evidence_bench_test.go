package queries_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/queries"
)

// BenchmarkEvidence runs the same 3-hop path query with and without evidence on
// the 30k-movie graph, every quad given a label of its own (as a news graph
// labels every fact with its sentence), and reports the overhead as a ratio:
//
//	go test -run=^$ -bench=Evidence -benchtime=20x ./queries/
func BenchmarkEvidence(b *testing.B) {
	quads, err := loaders.ReadFile(testkit.Movies(b), loaders.ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for i := range quads {
		quads[i].Label = quad.IRI(fmt.Sprintf("urn:sentence:%d", i))
	}
	st := testkit.StoreWith(b, quads)
	ctx := context.Background()
	q := `</en/humphrey_bogart> <- </film/performance/actor> <- </film/film/starring> -> <name>`
	var plain, withEvidence time.Duration
	rows := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, ev := range []bool{false, true} {
			start := time.Now()
			res, err := queries.Run(ctx, st, queries.Request{Query: q, Evidence: ev, Timeout: -1})
			if err != nil {
				b.Fatal(err)
			}
			if ev {
				withEvidence += time.Since(start)
			} else {
				plain += time.Since(start)
			}
			rows = len(res.Rows)
		}
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(plain.Nanoseconds())/float64(b.N), "plain-ns/op")
	b.ReportMetric(float64(withEvidence.Nanoseconds())/float64(b.N), "evidence-ns/op")
	b.ReportMetric(float64(withEvidence)/float64(plain), "evidence/plain")
}
