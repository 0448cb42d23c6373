package pathlang

import (
	"context"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"

	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
)

// TestEvidencePerRow checks which queries stream their rows with evidence,
// and, for those that do, the property it rests on: on the article graph, all
// paths to a row bind the nodes of every hop alike.
func TestEvidencePerRow(t *testing.T) {
	st := testkit.ArticleStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		query  string
		perRow bool
	}{
		{`Japan -> hasRAAWith`, true},
		{`Japan -> (hasRAAWith | negotiatingRAAWith) [name != France]`, true},
		{`"New Caledonia" -> locatedIn+`, true},
		{`Japan <- party as agreement -> party`, true},
		{`* [type = meeting] as m -> participant`, true},
		{`* [status = held]`, true}, // the filter's node is the row's
		{`{Japan, France} -> negotiatingRAAWith`, false},
		{`Japan <- party -> party`, false}, // the agreement is hidden
		{`Japan <- party [type = RAA] -> party except (Japan)`, false},
		{`* -> participant`, false},
		{`Japan -> hasRAAWith count`, false},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q, err := Parse(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Compile(ctx, st, tc.query, q)
			if err != nil {
				t.Fatal(err)
			}
			if c.EvidencePerRow != tc.perRow {
				t.Fatalf("EvidencePerRow = %v, want %v", c.EvidencePerRow, tc.perRow)
			}
			it, err := NewSession(st).Execute(queries.WithEvidence(ctx), tc.query, query.Options{Collation: query.Raw})
			if err != nil {
				t.Fatal(err)
			}
			defer it.Close()
			if streams := it.(*results).scan != nil; streams != tc.perRow {
				t.Errorf("with evidence, streams = %v, want %v", streams, tc.perRow)
			}
			if !tc.perRow {
				return
			}
			first := map[string]map[string]cgraph.Ref{} // row key -> hop tags of its first path
			paths := 0
			err = c.Path.Iterate(ctx).Paths(true).TagEach(func(tags map[string]cgraph.Ref) error {
				paths++
				key, err := rowKey(st, c.Columns, tags)
				if err != nil {
					return err
				}
				hopTags := map[string]cgraph.Ref{}
				for _, h := range c.Hops {
					hopTags[h.From] = tags[h.From]
					if h.To != "" {
						hopTags[h.To] = tags[h.To]
					}
				}
				prev, seen := first[key]
				if !seen {
					first[key] = hopTags
					return nil
				}
				for tag, ref := range hopTags {
					if prev[tag] != ref {
						t.Errorf("row %q: tag %s differs between paths", key, tag)
					}
				}
				return nil
			})
			if err != nil || paths == 0 {
				t.Fatalf("walked %d paths: %v", paths, err)
			}
		})
	}
}
