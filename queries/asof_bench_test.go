package queries_test

import (
	"context"
	"testing"
	"time"

	"github.com/factgraph/factgraph/graph/timeline"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
)

// BenchmarkStatusCheck measures what answering with the latest statuses costs
// a query on a store without status history: every run first checks that no
// happening has two status values (timeline.Open), and this reports that
// check as a share of the simplest query on the article, interleaved in the
// same loop, and of the query on the article with the example sheets
// ingested, which runs on a view:
//
//	go test -run=^$ -bench=StatusCheck -benchtime=2000x ./queries/
func BenchmarkStatusCheck(b *testing.B) {
	article, story := testkit.ArticleStore(b), testkit.StoryStore(b)
	ctx := context.Background()
	req := queries.Request{Query: `Japan -> hasRAAWith`, Timeout: -1}
	var check, query, onView time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := timeline.Open(ctx, article, ""); err != nil {
			b.Fatal(err)
		}
		check += time.Since(start)
		start = time.Now()
		if _, err := queries.Run(ctx, article, req); err != nil {
			b.Fatal(err)
		}
		query += time.Since(start)
		start = time.Now()
		if _, err := queries.Run(ctx, story, req); err != nil {
			b.Fatal(err)
		}
		onView += time.Since(start)
	}
	b.ReportMetric(float64(check.Nanoseconds())/float64(b.N), "check-ns/op")
	b.ReportMetric(float64(query.Nanoseconds())/float64(b.N), "query-ns/op")
	b.ReportMetric(float64(onView.Nanoseconds())/float64(b.N), "view-query-ns/op")
	b.ReportMetric(float64(check)/float64(query), "check/query")
	b.ReportMetric(float64(onView)/float64(query), "view-query/query")
}
