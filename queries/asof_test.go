package queries_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
)

// names returns the distinct names of a result's first column, sorted.
func names(res *queries.Result) []string {
	var out []string
	for _, r := range res.Rows {
		out = append(out, r.Cells[0].Name)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestLatestStatus asks the article's questions of the article and the
// example sheets that move its stories on, in every language and at several
// dates: answers follow the latest status, and as of a date the documents
// published by then.
func TestLatestStatus(t *testing.T) {
	st := testkit.StoryStore(t)
	gizmoRAA := gizmoPrelude + `g.V(fg("Japan")).Out(fg("hasRAAWith")).All()`
	tests := []struct {
		lang, query, asOf string
		want              []string
	}{
		{"path", `Japan -> hasRAAWith`, "", []string{"Australia", "Philippines", "United Kingdom"}},
		{"path", `Japan -> negotiatingRAAWith`, "", []string{"France"}},
		{"path", `Japan -> hasRAAWith`, "2024-06-01", []string{"Australia", "United Kingdom"}},
		{"path", `Japan -> negotiatingRAAWith`, "2024-06-01", []string{"France", "Philippines"}},
		{"path", `Japan -> negotiatingRAAWith`, "2024-08-01", []string{"France"}},
		{"path", `* [type = RAA] [status = signed]`, "2024-08-01", []string{"Japan-Philippines reciprocal access agreement"}},
		{"path", `* [type = RAA] [status = signed]`, "", nil},
		{"path", `* [type = RAA] [status = in-force] unique count`, "", []string{"3"}},
		{"path", `* [type = RAA] [status = in-force] unique count`, "2024-06-01", []string{"2"}},
		{"path", `Kishida -> met+`, "", []string{"Emmanuel Macron", "Fumio Kishida", "Xi Jinping"}},
		{"path", `Kishida -> met+`, "2024-06-01", []string{"Emmanuel Macron", "Fumio Kishida"}},
		{"gizmo", gizmoRAA, "", []string{"Australia", "Philippines", "United Kingdom"}},
		{"gizmo", gizmoRAA, "2024-06-01", []string{"Australia", "United Kingdom"}},
	}
	for _, tc := range tests {
		t.Run(tc.lang+" "+tc.query+" as of "+tc.asOf, func(t *testing.T) {
			res, err := queries.Run(context.Background(), st, queries.Request{Lang: tc.lang, Query: tc.query, AsOf: tc.asOf})
			if err != nil {
				t.Fatal(err)
			}
			if got := names(res); !slices.Equal(got, tc.want) {
				t.Errorf("answers %q, want %q", got, tc.want)
			}
		})
	}
}

// TestAsOfEvidence checks that an answer as of a date rests on the sentences
// published by then, and the latest answer on the latest ones.
func TestAsOfEvidence(t *testing.T) {
	st := testkit.StoryStore(t)
	run := func(asOf string) *queries.Result {
		res, err := queries.Run(context.Background(), st, queries.Request{Query: `Japan -> (hasRAAWith | negotiatingRAAWith) [name = Philippines]`, Evidence: true, AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	cite := func(res *queries.Result) []string {
		var out []string
		for _, f := range res.Rows[0].Evidence {
			for _, s := range f.Statements {
				if s.Sentence != "" {
					out = append(out, f.Predicate.String()+" "+s.Date+" "+s.Sentence)
				}
			}
		}
		return out
	}
	early := cite(run("2024-06-01"))
	if len(early) != 1 || !strings.Contains(early[0], "negotiatingRAAWith> 2024-05-02 Additionally, it has agreed with the Philippines") {
		t.Errorf("as of 2024-06-01: %q", early)
	}
	now := cite(run(""))
	if len(now) != 1 || !strings.Contains(now[0], "hasRAAWith> 2025-09-11 The reciprocal access agreement between Japan and the Philippines entered into force") {
		t.Errorf("latest: %q", now)
	}
	if res := run("2024-08-01"); len(res.Rows) != 0 {
		t.Errorf("as of 2024-08-01 the RAA is signed, neither in force nor under negotiation: %d rows", len(res.Rows))
	}
}

// TestContradictionWarns checks that a result that reads two statuses of the
// same date says so.
func TestContradictionWarns(t *testing.T) {
	st := testkit.StoryStore(t)
	testkit.IngestText(t, st, testkit.ContradictingSheet)
	for _, tc := range []struct {
		query string
		warns bool
	}{
		{`RAA-Japan-Philippines -> status`, true},
		{`Japan -> hasRAAWith`, true}, // the in-force statement's shortcut
		{`Japan -> negotiatingRAAWith`, false},
	} {
		for _, stream := range []bool{false, true} {
			req := queries.Request{Query: tc.query}
			var (
				r   *queries.Result
				err error
			)
			if stream {
				r, err = queries.Stream(context.Background(), st, req, func([]string, queries.Row) error { return nil })
			} else {
				r, err = queries.Run(context.Background(), st, req)
			}
			if err != nil {
				t.Fatal(err)
			}
			warned := slices.ContainsFunc(r.Warnings, func(w string) bool {
				return strings.Contains(w, "statements of 2025-09-11 disagree on its status (in-force, signed)")
			})
			if warned != tc.warns {
				t.Errorf("%s (stream %v): warnings %q, want a contradiction warning: %v", tc.query, stream, r.Warnings, tc.warns)
			}
		}
	}
}

func TestAsOfErrors(t *testing.T) {
	_, err := queries.Run(context.Background(), testkit.ArticleStore(t), queries.Request{Query: `Japan`, AsOf: "June 2024"})
	if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), `as of "June 2024": expected a day, YYYY-MM-DD`) {
		t.Errorf("err = %v", err)
	}
}
