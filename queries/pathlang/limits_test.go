package pathlang_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
	"github.com/factgraph/factgraph/queries/pathlang"
)

func TestStepBound(t *testing.T) {
	st := testkit.ArticleStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		q         string
		max       int
		ok        bool
		line, col int
	}{
		{"Japan -> hasRAAWith -> name", 2, true, 0, 0},
		{"Japan -> hasRAAWith -> name -> name", 2, false, 1, 29},
		{"Japan -> party and (* -> x -> y)", 2, false, 1, 28},
		{"Japan\n[type = country, name = Japan]", 1, false, 2, 1},
	} {
		_, err := queries.Run(ctx, st, queries.Request{Query: tc.q, MaxSteps: tc.max})
		if tc.ok {
			if err != nil {
				t.Errorf("%q with %d steps allowed: %v", tc.q, tc.max, err)
			}
			continue
		}
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != errs.TooLarge || e.Line != tc.line || e.Column != tc.col || !strings.Contains(e.Message, "--max-steps") {
			t.Errorf("%q with %d steps allowed: error %v, want too_large at %d:%d naming --max-steps", tc.q, tc.max, err, tc.line, tc.col)
		}
	}
	// The default bound holds without a request's.
	q := "Japan" + strings.Repeat(" -> name", queries.DefaultMaxSteps+1)
	if _, err := queries.Run(ctx, st, queries.Request{Query: q}); errs.CodeOf(err) != errs.TooLarge {
		t.Errorf("%d steps under the default bound: %v", queries.DefaultMaxSteps+1, err)
	}
}

// BenchmarkParseCompileGrowth parses and compiles queries of growing length
// and reports the time per step at the longest against the shortest: parse
// and compile are linear in a query's length when the ratio stays near 1.
// (Running the query is not: Cayley's optimizer is quadratic in the depth of
// the iterator tree, which --max-steps bounds.)
func BenchmarkParseCompileGrowth(b *testing.B) {
	st := testkit.ArticleStore(b)
	ctx := context.Background()
	sizes := []int{64, 512, 4096, 32768}
	perStep := make([]float64, len(sizes))
	for i, n := range sizes {
		q := "Japan" + strings.Repeat(" -> name [type = country]", n/2)
		runs := 0
		start := time.Now()
		for time.Since(start) < 200*time.Millisecond || runs < 3 {
			p, err := pathlang.Parse(q)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := pathlang.Compile(ctx, st, q, p); err != nil {
				b.Fatal(err)
			}
			runs++
		}
		perStep[i] = float64(time.Since(start).Nanoseconds()) / float64(runs*n)
		b.Logf("%6d steps: %.0f ns a step", n, perStep[i])
	}
	ratio := perStep[len(sizes)-1] / perStep[0]
	b.ReportMetric(ratio, "ratio")
	fmt.Printf("RESULT parse_compile_ns_per_step_%d=%.0f parse_compile_ns_per_step_%d=%.0f ratio=%.2f\n",
		sizes[0], perStep[0], sizes[len(sizes)-1], perStep[len(sizes)-1], ratio)
}
