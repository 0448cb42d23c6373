package queries_test

import (
	"context"
	"fmt"
	"log"

	"github.com/factgraph/factgraph/graph"
	_ "github.com/factgraph/factgraph/graph/compact" // the memory backend
	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/queries"
	_ "github.com/factgraph/factgraph/queries/pathlang" // the path language
	_ "github.com/factgraph/factgraph/queries/sparql"   // SPARQL
)

// Embedding factgraph: open a store, load quads, ask with a path expression,
// and read each answer with the sentence behind it.
func Example() {
	ctx := context.Background()
	st, err := graph.Open(ctx, "memory")
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	quads, err := loaders.ReadArticle()
	if err != nil {
		log.Fatal(err)
	}
	if _, err := loaders.Apply(ctx, st, quads); err != nil {
		log.Fatal(err)
	}
	res, err := queries.Run(ctx, st, queries.Request{Query: "Japan -> hasRAAWith", Evidence: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range res.Rows {
		fmt.Println(row.Cells[0].Name)
		for _, fact := range row.Evidence {
			for _, s := range fact.Statements {
				fmt.Printf("  %s, %s: %.41s...\n", s.Source, s.Date, s.Sentence)
			}
		}
	}
	// Output:
	// Australia
	//   Kyodo, 2024-05-02: Japan has RAAs with Australia and Britain...
	// United Kingdom
	//   Kyodo, 2024-05-02: Japan has RAAs with Australia and Britain...
}
