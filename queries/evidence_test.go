package queries_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
	_ "github.com/factgraph/factgraph/queries/cayleylang"
	_ "github.com/factgraph/factgraph/queries/pathlang"
	_ "github.com/factgraph/factgraph/queries/sparql"
)

const sentence = "https://w3id.org/factgraph/news/kyodo-2024-05-02-japan-france-raa#s"

func evidenceRun(t *testing.T, st *graph.Store, lang, q string) *queries.Result {
	t.Helper()
	res, err := queries.Run(context.Background(), st, queries.Request{Lang: lang, Query: q, Evidence: true})
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return res
}

// rowFor returns the row whose first cell has the given name.
func rowFor(t *testing.T, res *queries.Result, name string) queries.Row {
	t.Helper()
	for _, r := range res.Rows {
		if r.Cells[0].Name == name {
			return r
		}
	}
	t.Fatalf("no row %q", name)
	return queries.Row{}
}

// facts renders a row's evidence as "S P O @label,label" lines, sorted.
func facts(r queries.Row) []string {
	var out []string
	for _, f := range r.Evidence {
		var labels []string
		for _, st := range f.Statements {
			if st.Label == nil {
				labels = append(labels, "-")
			} else {
				labels = append(labels, strings.TrimPrefix(graph.Plain(st.Label), sentence))
			}
		}
		slices.Sort(labels)
		out = append(out, f.String()+" @"+strings.Join(labels, ","))
	}
	slices.Sort(out)
	return out
}

func TestEvidence(t *testing.T) {
	article := testkit.ArticleStore(t)
	chain := testkit.StoreWith(t, []quad.Quad{
		quad.MakeIRI("a", "in", "b", "l1"),
		quad.MakeIRI("b", "in", "c", "l2"),
		quad.MakeIRI("b", "in", "c", "l3"),
		quad.MakeIRI("x", "knows", "y", ""),
	})
	for _, tc := range []struct {
		name  string
		st    *graph.Store
		lang  string
		query string
		row   string
		want  []string
	}{
		{"one hop", article, "path", `Japan -> hasRAAWith`, "Australia",
			[]string{"fg:Japan fg:hasRAAWith fg:Australia @2"}},
		{"several hops and filters", article, "path", `Japan <- party [type = RAA] [status = in-force] -> party except (Japan)`, "United Kingdom",
			[]string{
				"fg:RAA-Japan-UnitedKingdom fg:party fg:Japan @2", "fg:RAA-Japan-UnitedKingdom fg:party fg:UnitedKingdom @2",
				`fg:RAA-Japan-UnitedKingdom fg:status "in-force" @2`, "fg:RAA-Japan-UnitedKingdom rdf:type fg:ReciprocalAccessAgreement @2",
			}},
		{"filters of every kind", article, "path", `* [startDate >= 2024-05-01] [status ~ "^he"] [-> location] [<- agreedAt] [type = Meeting] [status != planned]`, "Kishida-Macron talks, Paris, 2 May 2024",
			// each condition's facts (the != passes for the lack of one)
			[]string{
				"fg:JapanFranceCooperation2024-05-02 fg:agreedAt fg:KishidaMacronMeeting2024-05-02 @8",
				`fg:KishidaMacronMeeting2024-05-02 fg:status "held" @4,5`,
				"fg:KishidaMacronMeeting2024-05-02 rdf:type fg:Meeting @4",
				"fg:KishidaMacronMeeting2024-05-02 schema:location fg:ElyseePalace @4",
				`fg:KishidaMacronMeeting2024-05-02 schema:startDate "2024-05-02"^^<http://www.w3.org/2001/XMLSchema#date> @4`,
				"fg:RAA-Japan-France fg:agreedAt fg:KishidaMacronMeeting2024-05-02 @1",
			}},
		{"filters in a sub-query the row carries", article, "path", `Japan <- party and (* [status = in-force])`, "Japan-Australia reciprocal access agreement",
			[]string{"fg:RAA-Japan-Australia fg:party fg:Japan @2", `fg:RAA-Japan-Australia fg:status "in-force" @2`}},
		{"fact stated twice", article, "path", `KishidaMacronMeeting2024-05-02 -> participant`, "Fumio Kishida",
			[]string{"fg:KishidaMacronMeeting2024-05-02 fg:participant fg:FumioKishida @4,5"}},
		{"rows merge the evidence of every path", article, "path", `Japan <- party -> party`, "France",
			[]string{
				"fg:ACSA-Japan-France fg:party fg:France @7", "fg:ACSA-Japan-France fg:party fg:Japan @7",
				"fg:JapanFranceCooperation2024-05-02 fg:party fg:France @8", "fg:JapanFranceCooperation2024-05-02 fg:party fg:Japan @8",
				"fg:RAA-Japan-France fg:party fg:France @1", "fg:RAA-Japan-France fg:party fg:Japan @1",
			}},
		{"recursive step", chain, "path", `<a> -> <in>+`, "c",
			[]string{"<a> <in> <b> @l1", "<b> <in> <c> @l2,l3"}},
		{"reverse step", chain, "path", `<c> <- <in>`, "b",
			[]string{"<b> <in> <c> @l2,l3"}},
		{"fact with no label", chain, "path", `<x> -> <knows>`, "y",
			[]string{"<x> <knows> <y> @-"}},
		{"gizmo tags", article, "gizmo", `g.V("<https://w3id.org/factgraph/France>").Tag("country").In("<https://w3id.org/factgraph/leads>").Unique().All()`, "Emmanuel Macron",
			// Unique keeps the first path only, so the row cites its quad
			[]string{"fg:EmmanuelMacron fg:leads fg:France @1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := evidenceRun(t, tc.st, tc.lang, tc.query)
			got := facts(rowFor(t, res, tc.row))
			if !slices.Equal(got, tc.want) {
				t.Errorf("evidence:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestEvidenceOfResultTrees checks the facts derived from GraphQL and MQL
// result trees: links to nested objects in the direction the query walked
// them (forward, MQL's !reverse, GraphQL's @rev), and literal fields.
func TestEvidenceOfResultTrees(t *testing.T) {
	article := testkit.ArticleStore(t)
	const fg = "https://w3id.org/factgraph/"
	for _, tc := range []struct {
		name, lang, query string
		want              []string
	}{
		{"graphql", "graphql", `{ nodes(id: "<` + fg + `Japan>") { id, <` + fg + `hasRAAWith> { id, <https://schema.org/name> } } }`,
			[]string{
				// hasRAAWith is stored both ways; only the way walked counts
				"fg:Australia schema:name \"Australia\" @fg:curated", "fg:Japan fg:hasRAAWith fg:Australia @2",
				"fg:Japan fg:hasRAAWith fg:UnitedKingdom @2", "fg:UnitedKingdom schema:name \"United Kingdom\" @fg:curated",
			}},
		{"graphql @rev", "graphql", `{ nodes(id: "<` + fg + `France>") { id, <` + fg + `leads> @rev { id } } }`,
			[]string{"fg:EmmanuelMacron fg:leads fg:France @1,4"}},
		{"mql reverse", "mql", `[{"id": "<` + fg + `France>", "!<` + fg + `leads>": [{"id": null}]}]`,
			[]string{"fg:EmmanuelMacron fg:leads fg:France @1,4"}},
		{"gizmo g.Emit", "gizmo", `g.V("<` + fg + `Japan>").Out("<` + fg + `hasRAAWith>").Is("<` + fg + `Australia>").ForEach(function(d) { g.Emit(d) })`,
			[]string{"fg:Japan fg:hasRAAWith fg:Australia @2"}},
		{"gizmo g.Emit of a value no query walked", "gizmo", `g.Emit({"id": "<` + fg + `Japan>", "<` + fg + `hasRAAWith>": [{"id": "<` + fg + `Australia>"}]})`,
			nil},
		{"mql literal", "mql", `[{"id": "<` + fg + `RAA-Japan-Australia>", "<` + fg + `status>": null}]`,
			[]string{`fg:RAA-Japan-Australia fg:status "in-force" @2`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := evidenceRun(t, article, tc.lang, tc.query)
			if len(res.Rows) != 1 {
				t.Fatalf("%d rows, want 1", len(res.Rows))
			}
			got := facts(res.Rows[0])
			for i, f := range got {
				got[i] = strings.ReplaceAll(f, "https://w3id.org/factgraph/curated", "fg:curated")
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("evidence:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestEvidenceResolvesSentences(t *testing.T) {
	res := evidenceRun(t, testkit.ArticleStore(t), "path", `Kishida -> met`)
	ev := res.Rows[0].Evidence
	if len(ev) != 1 || len(ev[0].Statements) != 1 {
		t.Fatalf("evidence = %+v", ev)
	}
	st := ev[0].Statements[0]
	if !strings.HasPrefix(st.Sentence, "Kishida met with Macron") || st.Position != 5 || st.Source != "Kyodo" || st.Date != "2024-05-02" ||
		graph.Plain(st.Document) != "https://w3id.org/factgraph/news/kyodo-2024-05-02-japan-france-raa" {
		t.Errorf("statement = %+v", st)
	}
}

func TestEvidenceOnlyWhenAsked(t *testing.T) {
	res, err := queries.Run(context.Background(), testkit.ArticleStore(t), queries.Request{Query: `Japan -> hasRAAWith`})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Rows {
		if r.Evidence != nil {
			t.Errorf("row %v has evidence without asking", r.Cells[0].Name)
		}
	}
}

// TestEvidenceEncodings reads the evidence of the JSON format back; every
// format's output is pinned by the golden files (TestOutputFormatsGolden).
func TestEvidenceEncodings(t *testing.T) {
	res := evidenceRun(t, testkit.ArticleStore(t), "path", `Japan -> hasRAAWith`)
	const want = "Japan has RAAs with Australia and Britain"
	var b bytes.Buffer
	if err := queries.EncodeJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rows []struct {
			Evidence []struct {
				Statements []struct{ Sentence, Source, Date string }
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	st := doc.Rows[0].Evidence[0].Statements[0]
	if !strings.HasPrefix(st.Sentence, want) || st.Source != "Kyodo" || st.Date != "2024-05-02" {
		t.Errorf("JSON statement = %+v", st)
	}
}

func TestGraphShapedFormats(t *testing.T) {
	res := evidenceRun(t, testkit.ArticleStore(t), "path", `Japan <- party [type = RAA] [status = in-force] -> party except (Japan)`)
	var b bytes.Buffer
	enc, _ := queries.EncoderFor("nquads")
	if err := enc(&b, res); err != nil {
		t.Fatal(err)
	}
	back, err := quad.ReadAll(nquads.NewReader(&b, false))
	if err != nil {
		t.Fatal(err)
	}
	// Two agreements, each with Japan and the other country as parties, and
	// the type and status its filters matched, all stated in s2.
	if len(back) != 8 {
		t.Fatalf("got %d quads, want 8: %v", len(back), back)
	}
	preds := map[quad.Value]int{}
	for _, q := range back {
		preds[q.Predicate]++
		if q.Label != quad.IRI(sentence+"2") {
			t.Errorf("quad not from s2: %v", q)
		}
	}
	if want := map[quad.Value]int{quad.IRI(graph.NS + "party"): 4, quad.IRI(graph.NS + "status"): 2, quad.IRI(graph.RDFNS + "type"): 2}; !maps.Equal(preds, want) {
		t.Errorf("predicates %v, want %v", preds, want)
	}
	b.Reset()
	enc, _ = queries.EncoderFor("jsonld")
	if err := enc(&b, res); err != nil || !strings.Contains(b.String(), `"@graph"`) {
		t.Errorf("jsonld: %v\n%s", err, b.String())
	}
	plain, err := queries.Run(context.Background(), testkit.ArticleStore(t), queries.Request{Query: `Japan -> hasRAAWith`})
	if err != nil {
		t.Fatal(err)
	}
	if err := enc(&b, plain); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("jsonld of a result without evidence: %v, want invalid", err)
	}
	if !queries.NeedsEvidence("nquads") || queries.NeedsEvidence("csv") {
		t.Error("NeedsEvidence")
	}
}
