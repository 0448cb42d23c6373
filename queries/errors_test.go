package queries_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
	_ "github.com/factgraph/factgraph/queries/cayleylang"
	_ "github.com/factgraph/factgraph/queries/pathlang"
	_ "github.com/factgraph/factgraph/queries/sparql"
)

// Positioned errors carry the query line and a caret, whichever language.
func TestErrorPositionsAndSnippets(t *testing.T) {
	st := testkit.ArticleStore(t)
	for _, tc := range []struct {
		lang, query string
		line, col   int
		snippet     string
	}{
		{"path", "Japan -> -> hasRAAWith", 1, 10, "Japan -> -> hasRAAWith\n         ^"},
		{"path", "Japan\n\t-> hasRAAWit", 2, 5, "\t-> hasRAAWit\n\t   ^"},
		{"gizmo", "g.V(.All()", 1, 5, "g.V(.All()\n    ^"},
		{"gizmo", "g.V().Foo()", 1, 10, "g.V().Foo()\n         ^"},
		{"graphql", "{ nodes(id: ) }", 1, 13, "{ nodes(id: ) }\n            ^"},
	} {
		_, err := queries.Run(context.Background(), st, queries.Request{Lang: tc.lang, Query: tc.query})
		var gerr *errs.Error
		if !errors.As(err, &gerr) {
			t.Fatalf("%s %q: got %v", tc.lang, tc.query, err)
		}
		if gerr.Line != tc.line || gerr.Column != tc.col || queries.Snippet(err, tc.query) != tc.snippet {
			t.Errorf("%s %q: got %d:%d %q, want %d:%d %q", tc.lang, tc.query, gerr.Line, gerr.Column, queries.Snippet(err, tc.query), tc.line, tc.col, tc.snippet)
		}
		if strings.Contains(gerr.Message, "\n") { // the snippet is shown once, by the edge
			t.Errorf("%s %q: message %q has more than one line", tc.lang, tc.query, gerr.Message)
		}
	}
}

func TestCaret(t *testing.T) {
	for _, tc := range []struct {
		text      string
		line, col int
		want      string
	}{
		{"abc", 1, 1, "abc\n^"},
		{"abc", 1, 4, "abc\n   ^"},
		{"a\nçé x", 2, 4, "çé x\n   ^"},
		{"\"東京\" -> x", 1, 6, "\"東京\" -> x\n \u3000\u3000  ^"},
		{"\tab", 1, 3, "\tab\n\t ^"},
		{"abc", 3, 1, ""},
		{strings.Repeat("x", 200) + "!" + strings.Repeat("y", 200), 1, 201, "..." + strings.Repeat("x", 50) + "!" + strings.Repeat("y", 49) + "...\n" + strings.Repeat(" ", 53) + "^"},
		{"!" + strings.Repeat("y", 200), 1, 1, "!" + strings.Repeat("y", 99) + "...\n^"},
		{strings.Repeat("x", 200) + "!", 1, 201, "..." + strings.Repeat("x", 99) + "!\n" + strings.Repeat(" ", 102) + "^"},
	} {
		if got := queries.Caret(tc.text, tc.line, tc.col); got != tc.want {
			t.Errorf("Caret(%q, %d, %d) = %q, want %q", tc.text, tc.line, tc.col, got, tc.want)
		}
	}
}

func TestTableCutsLongCells(t *testing.T) {
	res, err := queries.Run(context.Background(), testkit.ArticleStore(t), queries.Request{Query: `* [type = sentence] [position = 1] -> text`})
	if err != nil {
		t.Fatal(err)
	}
	var table, csv strings.Builder
	queries.EncodeTable(&table, res)
	enc, _ := queries.EncoderFor("csv")
	enc(&csv, res)
	lines := strings.Split(strings.TrimSpace(table.String()), "\n")
	if len(lines) != 2 || utf8.RuneCountInString(lines[1]) != 80 || !strings.HasSuffix(lines[1], "…") {
		t.Errorf("table:\n%s", table.String())
	}
	if !strings.Contains(csv.String(), "disaster relief operations.") {
		t.Errorf("csv cut the sentence:\n%s", csv.String())
	}
}
