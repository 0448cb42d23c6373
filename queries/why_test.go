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

func TestWhyFact(t *testing.T) {
	st := testkit.ArticleStore(t)
	for _, tc := range []struct {
		s, p, o string
		stated  bool
		want    []string // facts: the one asked about if stated, else the related ones
	}{
		{"Japan", "negotiatingRAAWith", "Philippines", true, []string{"fg:Japan fg:negotiatingRAAWith fg:Philippines @3"}},
		{"France", "hasRAAWith", "Japan", false, []string{"fg:France fg:negotiatingRAAWith fg:Japan @1", "fg:Japan fg:negotiatingRAAWith fg:France @1"}},
		// the object names a node, but the fact holds the text
		{"Japan", "name", "Japan", true, []string{`fg:Japan schema:name "Japan" @fg:curated`}},
		{"Japan", "name", `"Japan"`, true, []string{`fg:Japan schema:name "Japan" @fg:curated`}},
		{"Japan", "alias", "Tokyo", true, []string{`fg:Japan schema:alternateName "Tokyo" @fg:curated`}},
	} {
		t.Run(strings.Join([]string{tc.s, tc.p, tc.o}, " "), func(t *testing.T) {
			w, err := queries.WhyFact(context.Background(), st, tc.s, tc.p, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if w.Stated() != tc.stated {
				t.Fatalf("stated: %v, want %v", w.Stated(), tc.stated)
			}
			row := queries.Row{Evidence: w.Related}
			if tc.stated {
				row.Evidence = []queries.Fact{w.Fact}
			}
			got := facts(row)
			for i, f := range got {
				got[i] = strings.ReplaceAll(f, "https://w3id.org/factgraph/curated", "fg:curated")
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("facts:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
	if _, err := queries.WhyFact(context.Background(), st, "Atlantis", "hasRAAWith", "Japan"); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("unknown subject: %v, want not_found", err)
	}
}
