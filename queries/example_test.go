package queries_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"testing"

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

// TestREADMEExample checks that the README's library example is made of the
// lines of Example, in its order, so that what the README shows runs.
func TestREADMEExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "## As a Go library\n\n```go\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("README.md has no Go block under \"As a Go library\"")
	}
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src)
	at := 0
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		i := strings.Index(body[at:], "\t"+line+"\n")
		if i < 0 {
			t.Fatalf("README line %q is not the next line of Example", line)
		}
		at += i + len(line) + 2
	}
}
