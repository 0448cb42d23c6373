package pathlang_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
	_ "github.com/factgraph/factgraph/queries/cayleylang"
	_ "github.com/factgraph/factgraph/queries/pathlang"
)

// column returns the values of one flat column of res, sorted.
func column(t *testing.T, res *queries.Result, name string) []string {
	t.Helper()
	i := slices.Index(res.Header(), name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, res.Header())
	}
	var out []string
	for r := range res.Rows {
		if v := res.Record(r)[i]; v != nil {
			out = append(out, fmt.Sprint(v))
		}
	}
	slices.Sort(out)
	return out
}

func run(t *testing.T, st *graph.Store, lang, q string) *queries.Result {
	t.Helper()
	res, err := queries.Run(context.Background(), st, queries.Request{Lang: lang, Query: q})
	if err != nil {
		t.Fatalf("%s query %q: %v", lang, q, err)
	}
	return res
}

const fg = "https://w3id.org/factgraph/"

// The contract of issue 3: these path expressions give exactly these answers on
// the article graph, and the same answers as the Gizmo query written beside them.
var contractQueries = []struct {
	path  string
	want  []string // names, sorted
	gizmo string
}{
	{`Japan -> hasRAAWith`, []string{"Australia", "United Kingdom"},
		`g.V("<` + fg + `Japan>").Out("<` + fg + `hasRAAWith>").All()`},
	{`Japan -> (hasRAAWith | negotiatingRAAWith)`, []string{"Australia", "France", "Philippines", "United Kingdom"},
		`g.V("<` + fg + `Japan>").Out(["<` + fg + `hasRAAWith>", "<` + fg + `negotiatingRAAWith>"]).All()`},
	{`Kishida -> met`, []string{"Emmanuel Macron"},
		`g.V().Has("<https://schema.org/alternateName>", "Kishida").Out("<` + fg + `met>").All()`},
	{`France <- leads`, []string{"Emmanuel Macron"},
		`g.V("<` + fg + `France>").In("<` + fg + `leads>").All()`},
	{`"Senkaku Islands" -> claimedBy`, []string{"China"},
		`g.V().Has("<https://schema.org/name>", "Senkaku Islands").Out("<` + fg + `claimedBy>").All()`},
	{`"New Caledonia" -> locatedIn+`, []string{"Indo-Pacific", "South Pacific"},
		`g.V("<` + fg + `NewCaledonia>").FollowRecursive("<` + fg + `locatedIn>").All()`},
	{`Britain <- hasRAAWith`, []string{"Japan"},
		`g.V().Has("<https://schema.org/alternateName>", "Britain").In("<` + fg + `hasRAAWith>").All()`},
	{`Japan <- party [type = RAA] [status = in-force] -> party except (Japan)`, []string{"Australia", "United Kingdom"},
		`g.V("<` + fg + `Japan>").In("<` + fg + `party>").Has("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<` + fg + `ReciprocalAccessAgreement>").Has("<` + fg + `status>", "in-force").Out("<` + fg + `party>").Except(g.V("<` + fg + `Japan>")).All()`},
}

func TestContractQueries(t *testing.T) {
	st := testkit.ArticleStore(t)
	for _, tc := range contractQueries {
		t.Run(tc.path, func(t *testing.T) {
			got := column(t, run(t, st, "path", tc.path), "node")
			if !slices.Equal(got, tc.want) {
				t.Errorf("path: got %q, want %q", got, tc.want)
			}
			// Gizmo yields a node once per quad that reaches it (a fact stated in
			// two sentences twice); path rows are distinct, so compare as sets.
			viaGizmo := slices.Compact(column(t, run(t, st, "gizmo", tc.gizmo), "id"))
			if !slices.Equal(got, viaGizmo) {
				t.Errorf("path gives %q but Gizmo gives %q", got, viaGizmo)
			}
		})
	}
}

// articleQueries are path expressions of every kind with their answers on
// the article graph, in the column named.
var articleQueries = []struct {
	query, col string
	want       []string
}{
	{`* [type = meeting] [status = held]`, "node", []string{"Kishida-Macron talks, Paris, 2 May 2024"}},
	{`* [type = meeting] [status = planned] -> participant`, "node", []string{"Emmanuel Macron", "Xi Jinping"}},
	{`* [type = meeting] [status != planned]`, "node", []string{"Kishida-Macron talks, Paris, 2 May 2024"}},
	{`ACSA-Japan-France -> covers`, "node", []string{"ammunition", "food", "fuel"}},
	{`"Senkaku Islands" -> controlledBy`, "node", []string{"Japan"}},
	{`* [date > 2024-04-30] [date < 2025]`, "node", []string{"Kishida-Macron talks, Paris, 2 May 2024", "Xi Jinping's visit to France, May 2024", "Xi-Macron meeting, France, May 2024"}},
	{`* [type = sentence] [position > 9] -> text`, "node", []string{"France has strategic interests in the Indo-Pacific as it has overseas territories in the area, such as New Caledonia in the South Pacific, while Tokyo has been at odds with Beijing over the Japan-controlled, China-claimed Senkaku Islands in the East China Sea."}},
	{`* [name ~ "^Xi"]`, "node", []string{"Xi Jinping", "Xi Jinping's visit to France, May 2024", "Xi-Macron meeting, France, May 2024"}},
	{`* [-> leads]`, "node", []string{"Emmanuel Macron", "Fumio Kishida", "Xi Jinping"}},
	{`{Japan, France} <- leads`, "node", []string{"Emmanuel Macron", "Fumio Kishida"}},
	{`Japan -> hasRAAWith as partner`, "partner", []string{"Australia", "United Kingdom"}},
	{`Japan as country -> hasRAAWith`, "country", []string{"Japan", "Japan"}},
	{`Kishida -> met as m back m <- participant`, "node", []string{"Kishida-Macron talks, Paris, 2 May 2024", "Xi-Macron meeting, France, May 2024"}},
	{`Japan <- party -> party unique count`, "count", []string{"6"}},
	{`Japan -> (hasRAAWith | negotiatingRAAWith) order limit 2`, "node", []string{"Australia", "France"}},
	{`Japan -> (hasRAAWith | negotiatingRAAWith) and (* [<- leads])`, "node", []string{"France"}},
	{`Japan -> hasRAAWith or (France)`, "node", []string{"Australia", "France", "United Kingdom"}},
	{`Macron in source <https://w3id.org/factgraph/news/kyodo-2024-05-02-japan-france-raa#s6> <- participant`, "node", []string{"Xi-Macron meeting, France, May 2024"}},
	{`Macron in source <https://w3id.org/factgraph/news/kyodo-2024-05-02-japan-france-raa> <- participant`, "node", []string{"Kishida-Macron talks, Paris, 2 May 2024", "Xi-Macron meeting, France, May 2024"}},
	{`Macron in source fg:nowhere <- participant`, "node", nil},
	{`Paris <- locatedIn*`, "node", []string{"Elysee Palace", "Paris"}},
	{`tokyo -> hasRAAWith`, "node", []string{"Australia", "United Kingdom"}},
}

func TestQueries(t *testing.T) {
	st := testkit.ArticleStore(t)
	for _, tc := range articleQueries {
		t.Run(tc.query, func(t *testing.T) {
			got := column(t, run(t, st, "path", tc.query), tc.col)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	article := testkit.ArticleStore(t)
	amb := testkit.StoreWith(t, []quad.Quad{
		{Subject: quad.IRI("https://example.org/GeorgiaCountry"), Predicate: graph.Name, Object: quad.String("Georgia")},
		{Subject: quad.IRI("https://example.org/GeorgiaState"), Predicate: graph.Name, Object: quad.String("Georgia")},
	})
	for _, tc := range []struct {
		st         *graph.Store
		query      string
		code       errs.Code
		line, col  int
		msgPattern string
	}{
		{article, `Jpan -> hasRAAWith`, errs.NotFound, 1, 1, `no node is named "Jpan"; did you mean "Japan"?`},
		{article, `Japan -> hasRAAWit`, errs.NotFound, 1, 10, `unknown predicate "hasRAAWit"; did you mean "hasRAAWith"?`},
		{article, `Japan -> hasRAA`, errs.NotFound, 1, 10, `unknown predicate "hasRAA"; did you mean "hasRAAWith"?`},
		{article, `fg:Japn -> hasRAAWith`, errs.NotFound, 1, 1, `no node fg:Japn in the store; did you mean fg:Japan?`},
		{article, `{France, <https://w3id.org/factgraph/Japn>} -> hasRAAWith`, errs.NotFound, 1, 10, `no node <https://w3id.org/factgraph/Japn> in the store; did you mean fg:Japan?`},
		{article, `<urn:x:nothing> -> hasRAAWith`, errs.NotFound, 1, 1, `no node <urn:x:nothing> in the store`},
		{article, `Japan -> zz:x`, errs.Invalid, 1, 10, `unknown prefix in zz:x`},
		{article, `Japan back nowhere`, errs.Invalid, 1, 7, `no earlier 'as nowhere'`},
		{article, `Japan as node`, errs.Invalid, 1, 7, `tag "node" is already used`},
		{article, `Japan -> -> hasRAAWith`, errs.Invalid, 1, 10, `expected predicate, found '->'`},
		{amb, `Georgia`, errs.Invalid, 1, 1, `"Georgia" is ambiguous: it names <https://example.org/GeorgiaCountry>, <https://example.org/GeorgiaState>`},
	} {
		t.Run(tc.query, func(t *testing.T) {
			_, err := queries.Run(context.Background(), tc.st, queries.Request{Query: tc.query})
			var gerr *errs.Error
			if !errors.As(err, &gerr) {
				t.Fatalf("got %v, want a *errs.Error", err)
			}
			if gerr.Code != tc.code || gerr.Line != tc.line || gerr.Column != tc.col || !strings.Contains(gerr.Message, tc.msgPattern) {
				t.Errorf("got %s %d:%d %q; want %s %d:%d containing %q", gerr.Code, gerr.Line, gerr.Column, gerr.Message, tc.code, tc.line, tc.col, tc.msgPattern)
			}
		})
	}
}

func TestMaxDepthBoundsRecursion(t *testing.T) {
	st := testkit.StoreWith(t, []quad.Quad{
		quad.MakeIRI("a", "in", "b", ""), quad.MakeIRI("b", "in", "c", ""), quad.MakeIRI("c", "in", "d", ""),
	})
	for depth, want := range map[int][]string{1: {"<b>"}, 2: {"<b>", "<c>"}, 0: {"<b>", "<c>", "<d>"}} {
		res, err := queries.Run(context.Background(), st, queries.Request{Query: `<a> -> <in>+`, MaxDepth: depth})
		if err != nil {
			t.Fatal(err)
		}
		if got := column(t, res, "node_iri"); !slices.Equal(got, want) {
			t.Errorf("max depth %d: got %q, want %q", depth, got, want)
		}
	}
}

func TestDepthBoundSaysWhenItCuts(t *testing.T) {
	st := testkit.StoreWith(t, []quad.Quad{
		quad.MakeIRI("a", "in", "b", ""), quad.MakeIRI("b", "in", "c", ""), quad.MakeIRI("c", "in", "d", ""),
		quad.MakeIRI("c", "other", "x", ""),
	})
	for _, tc := range []struct {
		query string
		depth int
		warn  bool
	}{
		{`<a> -> <in>+`, 1, true},
		{`<a> -> <in>+`, 2, true},
		{`<a> -> <in>+`, 3, false}, // d leads nowhere
		{`<a> -> <in>*`, 2, true},
		{`<d> <- <in>+`, 2, true},
		{`<d> <- <in>+`, 3, false},
		{`<a> -> <in>`, 1, false}, // no recursive step
		{`<a> -> <in>+ count`, 2, true},
		{`<a> -> <in>+ count`, 3, false},
		{`<a> -> <in>+ unique count`, 1, true},
	} {
		res, err := queries.Run(context.Background(), st, queries.Request{Query: tc.query, MaxDepth: tc.depth})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(res.Warnings) > 0; got != tc.warn {
			t.Errorf("%s, depth %d: warnings %q, want a warning: %v", tc.query, tc.depth, res.Warnings, tc.warn)
		}
		if tc.warn && !strings.Contains(res.Warnings[0], "1:5: the recursive step stopped at its depth bound") {
			t.Errorf("%s: warning %q", tc.query, res.Warnings[0])
		}
	}
}
