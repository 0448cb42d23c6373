package queries_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
)

// BenchmarkEncode writes a 30,000-row result in each format. Encoding must stay
// linear in the rows: it once asked every cell whether its column held nodes by
// scanning all rows, which made 30,000 rows take seconds.
//
//	go test -run='^$' -bench=Encode ./queries/
func BenchmarkEncode(b *testing.B) {
	const n = 30000
	quads := make([]quad.Quad, 0, 2*n)
	for i := range n {
		film := quad.IRI(fmt.Sprintf("urn:film:%d", i))
		quads = append(quads,
			quad.Quad{Subject: film, Predicate: quad.IRI("urn:type"), Object: quad.IRI("urn:Film")},
			quad.Quad{Subject: film, Predicate: quad.IRI("urn:name"), Object: quad.String(fmt.Sprintf("Film %d", i))})
	}
	st := testkit.StoreWith(b, quads)
	res, err := queries.Run(context.Background(), st, queries.Request{Query: `<urn:Film> <- <urn:type> as film -> <urn:name>`, Timeout: -1})
	if err != nil || len(res.Rows) != n {
		b.Fatalf("%d rows, %v", len(res.Rows), err)
	}
	for _, format := range queries.Formats() {
		enc, _ := queries.EncoderFor(format)
		b.Run(format, func(b *testing.B) {
			for range b.N {
				if err := enc(io.Discard, res); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/row")
		})
	}
}
