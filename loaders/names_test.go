package loaders_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

func fg(local string) quad.IRI { return quad.IRI(graph.NS + local) }

// hasQuad reports whether the store holds q.
func hasQuad(t *testing.T, st *graph.Store, q quad.Quad) bool {
	t.Helper()
	found := false
	err := graph.EachQuad(context.Background(), st, quad.Subject, q.Subject, func(o quad.Quad) error {
		found = found || o == q
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// readCSV reads a CSV text as `factgraph load` would.
func readCSV(t *testing.T, text string) []quad.Quad {
	t.Helper()
	quads, err := loaders.Read("facts.csv", strings.NewReader(text), loaders.ReadOptions{Format: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	return quads
}

// TestCSVNames loads a CSV of facts by plain names into the article's store:
// names become the nodes the store names so (or the file declares), predicate
// names the vocabulary's, and objects stay strings unless their predicate's
// objects are nodes.
func TestCSVNames(t *testing.T) {
	ctx := context.Background()
	st := testkit.ArticleStore(t)
	const text = "subject,predicate,object\n" +
		"Japan,hasRAAWith,Australia\n" +
		"fg:Germany,name,Germany\n" + // a new node, declared by IRI and name
		"fg:Germany,alias,Federal Republic\n" +
		"Federal Republic,type,Country\n" + // by its alias, in this input
		"Japan,negotiatingRAAWith,germany\n" + // names ignore case
		"Fumio Kishida,office,Prime Minister\n" + // a literal property
		"fg:Japan,fg:motto,France\n" + // a predicate outside the vocabulary: a string
		"Philippines,negotiatingRAAWith,Japan\n"
	stats, err := loaders.Apply(ctx, st, readCSV(t, text))
	if err != nil {
		t.Fatal(err)
	}
	want := []quad.Quad{
		quad.Make(fg("Japan"), fg("hasRAAWith"), fg("Australia"), nil),
		quad.Make(fg("Germany"), graph.Name, quad.String("Germany"), nil),
		quad.Make(fg("Germany"), graph.Alias, quad.String("Federal Republic"), nil),
		quad.Make(fg("Germany"), graph.Type, fg("Country"), nil),
		quad.Make(fg("Japan"), fg("negotiatingRAAWith"), fg("Germany"), nil),
		quad.Make(fg("FumioKishida"), fg("office"), quad.String("Prime Minister"), nil),
		quad.Make(fg("Japan"), fg("motto"), quad.String("France"), nil),
		quad.Make(fg("Philippines"), fg("negotiatingRAAWith"), fg("Japan"), nil),
	}
	for _, q := range want {
		if !hasQuad(t, st, q) {
			t.Errorf("the store lacks %v", q)
		}
	}
	// The article states Japan-Australia and Philippines-Japan already.
	if stats.Read != len(want) || stats.Added+stats.Duplicates != len(want) || stats.Added < 5 {
		t.Errorf("stats %+v", stats)
	}
}

// TestCSVNamesEmptyStore: in a store that holds nothing yet, the
// vocabulary's predicates still resolve, and nodes resolve among the file's
// own declarations.
func TestCSVNamesEmptyStore(t *testing.T) {
	ctx := context.Background()
	st := testkit.StoreWith(t, nil)
	const text = "subject,predicate,object\n" +
		"fg:Japan,name,Japan\nfg:Australia,name,Australia\nJapan,hasRAAWith,Australia\n"
	if _, err := loaders.Apply(ctx, st, readCSV(t, text)); err != nil {
		t.Fatal(err)
	}
	if !hasQuad(t, st, quad.Make(fg("Japan"), fg("hasRAAWith"), fg("Australia"), nil)) {
		t.Error("the store lacks Japan hasRAAWith Australia")
	}
}

// TestCSVNameErrors: a name that means nothing, or several nodes, is an
// error at its cell with the closest known name, and the store is left as it
// was.
func TestCSVNameErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ text, want string }{
		{"subject,predicate,object\nJapan,hasRAAWith,Austrlia\n",
			`facts.csv:2:18: object: no node is named "Austrlia"; did you mean "Australia"? (a new node needs its IRI and name in the same input, e.g. fg:Austrlia,name,Austrlia)`},
		{"subject,predicate,object\nJapn,hasRAAWith,Australia\n", `facts.csv:2:1: subject: no node is named "Japn"; did you mean "Japan"?`},
		{"subject,predicate,object\nJapan,hasRAAWit,Australia\n", `facts.csv:2:7: predicate: unknown predicate "hasRAAWit"; did you mean "hasRAAWith"?`},
		{"subject,predicate,object\nfg:A,name,Twin\nfg:B,name,Twin\nTwin,type,Country\n",
			`facts.csv:4:1: subject: "Twin" is ambiguous: this input names fg:A, fg:B by it`},
	} {
		st := testkit.ArticleStore(t)
		before, err := graph.QuadCount(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		_, err = loaders.Apply(ctx, st, readCSV(t, tc.text))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q:\nerror %v\nwant  %s", tc.text, err, tc.want)
		}
		if errs.CodeOf(err) != errs.Invalid {
			t.Errorf("%q: code %s, want invalid", tc.text, errs.CodeOf(err))
		}
		if after, _ := graph.QuadCount(ctx, st); after != before {
			t.Errorf("%q: the store went from %d to %d quads", tc.text, before, after)
		}
	}
}

// TestCSVBrokenTermsAreNoNames: text with a term's punctuation is a term
// written wrong, not a name.
func TestCSVBrokenTermsAreNoNames(t *testing.T) {
	_, err := loaders.Read("facts.csv", strings.NewReader("subject,predicate,object\n\"<urn:a\"\"b>\",<urn:p>,x\n"), loaders.ReadOptions{Format: "csv"})
	if err == nil || !strings.Contains(err.Error(), "facts.csv:2:1: subject: expected IRI") {
		t.Errorf("error %v", err)
	}
}

// TestCSVNameErrorsAreCounted: past the first ten, names that mean nothing
// are counted, not listed.
func TestCSVNameErrorsAreCounted(t *testing.T) {
	text := "subject,predicate,object\n" + strings.Repeat("Nowhere,hasRAAWith,Japan\n", 25)
	_, err := loaders.Apply(context.Background(), testkit.ArticleStore(t), readCSV(t, text))
	all := errs.All(err)
	if len(all) != 11 || all[10].Line != 12 || !strings.Contains(all[10].Message, "15 more names from here on mean nothing") {
		t.Fatalf("%d errors: %v", len(all), all)
	}
}
