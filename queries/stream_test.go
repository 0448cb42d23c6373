package queries_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
	_ "github.com/factgraph/factgraph/queries/cayleylang"
	_ "github.com/factgraph/factgraph/queries/pathlang"
	_ "github.com/factgraph/factgraph/queries/sparql"
)

// Stream hands out the rows Run collects, in the same order, with the same
// JSON, and says when the limit cut.
func TestStreamMatchesRun(t *testing.T) {
	st := testkit.ArticleStore(t)
	for _, req := range []queries.Request{
		{Query: `Japan -> (hasRAAWith | negotiatingRAAWith)`},
		{Query: `Japan <- party -> party`, Evidence: true},
		{Query: `Japan -> (hasRAAWith | negotiatingRAAWith) [status != x]`, Evidence: true},
		{Query: `* [type = meeting] as m -> participant`, Evidence: true},
		{Query: `"New Caledonia" -> locatedIn+`, Evidence: true, Limit: 1},
		{Query: `Japan <- party -> party`, Limit: 2},
		{Query: `* [type = meeting] as m -> participant`},
		{Lang: "gizmo", Query: `g.V("<https://w3id.org/factgraph/Japan>").Tag("c").Out("<https://w3id.org/factgraph/hasRAAWith>").All()`, Evidence: true},
		{Lang: "gizmo", Query: `g.V().Limit(5).All()`, Limit: 3},
		{Query: `Atlantis -> x`},
	} {
		want, werr := queries.Run(context.Background(), st, req)
		var got []queries.RowJSON
		res, gerr := queries.Stream(context.Background(), st, req, func(cols []string, row queries.Row) error {
			got = append(got, queries.RowToJSON(cols, row, req.Evidence))
			return nil
		})
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%s: Run error %v, Stream error %v", req.Query, werr, gerr)
		}
		if werr != nil {
			if werr.Error() != gerr.Error() {
				t.Errorf("%s: Run error %v, Stream error %v", req.Query, werr, gerr)
			}
			continue
		}
		var rows []queries.RowJSON
		for i := range want.Rows {
			rows = append(rows, queries.RowToJSON(want.Columns, want.Rows[i], req.Evidence))
		}
		if !reflect.DeepEqual(got, rows) {
			t.Errorf("%s:\nstream %v\n   run %v", req.Query, got, rows)
		}
		if res.Truncated != want.Truncated {
			t.Errorf("%s: Stream truncated=%v, Run %v", req.Query, res.Truncated, want.Truncated)
		}
	}
}
