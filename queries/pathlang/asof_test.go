package pathlang_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/cayley/query"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
	"github.com/factgraph/factgraph/queries/pathlang"
)

// TestAsOf asks the article and the example sheets that move its stories on
// questions "as of" a day: in traversals, recursive steps, filters and
// counts.
func TestAsOf(t *testing.T) {
	st := testkit.StoryStore(t)
	tests := []struct {
		query string
		want  []string
	}{
		{`Japan -> hasRAAWith`, []string{"Australia", "Philippines", "United Kingdom"}},
		{`Japan -> hasRAAWith as of 2024-06-01`, []string{"Australia", "United Kingdom"}},
		{`Japan -> negotiatingRAAWith as of 2024-06-01`, []string{"France", "Philippines"}},
		{`Japan -> negotiatingRAAWith as of 2024-08-01`, []string{"France"}},
		{`Japan -> negotiatingRAAWith`, []string{"France"}},
		{`Japan -> (hasRAAWith | negotiatingRAAWith) as of 2025-09-11`, []string{"Australia", "France", "Philippines", "United Kingdom"}},
		{`Kishida -> met+ as of 2024-06-01`, []string{"Emmanuel Macron", "Fumio Kishida"}},
		{`Kishida -> met+`, []string{"Emmanuel Macron", "Fumio Kishida", "Xi Jinping"}},
		{`* [type = RAA] [status = talks-agreed] as of 2024-06-01`, []string{"Japan-Philippines reciprocal access agreement"}},
		{`* [type = RAA] [status = talks-agreed]`, nil},
		{`* [status = signed] count as of 2024-08-01`, []string{"2"}},
		{`* [status = signed] count`, []string{"1"}},
		{`RAA-Japan-Philippines -> status as of 2024-07-08`, []string{"signed"}},
		{`RAA-Japan-Philippines -> status as of 2024-07-07`, []string{"talks-agreed"}},
		{`Japan -> hasRAAWith as of 2024-01-01`, nil},
		{`Kamikawa -> met as of 2024-06-01`, nil}, // her meeting is reported later
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			res := run(t, st, "path", tc.query)
			col := res.Columns[0]
			got := slices.Compact(column(t, res, col))
			if !slices.Equal(got, tc.want) {
				t.Errorf("answers %q, want %q", got, tc.want)
			}
		})
	}
}

// TestAsOfEvidence checks that the evidence of an answer as of a day is the
// sentence that said so by then.
func TestAsOfEvidence(t *testing.T) {
	res, err := queries.Run(context.Background(), testkit.StoryStore(t), queries.Request{
		Query: `Japan -> negotiatingRAAWith [name = Philippines] as of 2024-06-01`, Evidence: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("%d rows", len(res.Rows))
	}
	var sents []string
	for _, f := range res.Rows[0].Evidence {
		for _, s := range f.Statements {
			if s.Sentence != "" {
				sents = append(sents, s.Date+": "+s.Sentence)
			}
		}
	}
	if !slices.Contains(sents, "2024-05-02: Additionally, it has agreed with the Philippines to initiate talks for such an accord.") {
		t.Errorf("evidence %q", sents)
	}
}

// TestAsOfOnASession runs "as of" on a session made by Cayley's registry, as
// Cayley's own HTTP API does, without queries.Run opening the store first.
func TestAsOfOnASession(t *testing.T) {
	st := testkit.StoryStore(t)
	sess := query.NewSession(st, pathlang.Name)
	it, err := sess.Execute(context.Background(), `Japan -> hasRAAWith as of 2024-06-01`, query.Options{Collation: query.JSON})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var got []string
	for it.Next(context.Background()) {
		got = append(got, it.Result().(map[string]any)["node"].(string))
	}
	slices.Sort(got)
	if want := []string{"<https://w3id.org/factgraph/Australia>", "<https://w3id.org/factgraph/UnitedKingdom>"}; !slices.Equal(got, want) {
		t.Errorf("answers %q, want %q", got, want)
	}
}

func TestAsOfDisagrees(t *testing.T) {
	_, err := queries.Run(context.Background(), testkit.StoryStore(t), queries.Request{Query: `Japan -> hasRAAWith as of 2024-06-01`, AsOf: "2024-08-01"})
	if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "the request asks as of 2024-08-01 and the query as of 2024-06-01") {
		t.Errorf("err = %v", err)
	}
	if got := pathlang.DateOf(`"as of" -> name as of 2024-06-01`); got != "2024-06-01" {
		t.Errorf("DateOf = %q", got)
	}
	if got := pathlang.DateOf(`Japan -> hasRAAWith`); got != "" {
		t.Errorf("DateOf = %q", got)
	}
}

func TestParseAsOf(t *testing.T) {
	q, err := pathlang.Parse(`* [type = RAA] count as of 2024-06-01`)
	if err != nil {
		t.Fatal(err)
	}
	if q.AsOf == nil || q.AsOf.Date != "2024-06-01" || q.AsOf.At != 21 || len(q.Steps) != 2 {
		t.Errorf("parsed %+v (as of %+v)", q, q.AsOf)
	}
	// "as of" is no tag named "of" ...
	if _, err := pathlang.Parse(`Japan as of`); err == nil || !strings.Contains(err.Error(), "expected a day (YYYY-MM-DD) after 'as of', found end of query") {
		t.Errorf("err = %v", err)
	}
	// ... but "as" names any other tag.
	if q, err := pathlang.Parse(`Japan as offer`); err != nil || len(q.Steps) != 1 || q.AsOf != nil {
		t.Errorf("as offer: %+v, %v", q, err)
	}
}
