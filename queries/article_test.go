package queries_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
	_ "github.com/factgraph/factgraph/queries/cayleylang"
)

// gizmoPrelude gives Gizmo queries short helpers for full IRIs, which is all
// Gizmo accepts: fg("Japan") is "<https://w3id.org/factgraph/Japan>".
var gizmoPrelude = fmt.Sprintf(`
var fg = function(n) { return "<%s" + n + ">" };
var schema = function(n) { return "<%s" + n + ">" };
var rdfType = "<%stype>";
`, graph.NS, graph.SchemaNS, graph.RDFNS)

// runGizmo runs a Gizmo query (after the prelude) on the embedded article.
func runGizmo(t *testing.T, req queries.Request) (*queries.Result, error) {
	t.Helper()
	req.Lang = "gizmo"
	req.Query = gizmoPrelude + req.Query
	return queries.Run(context.Background(), testkit.ArticleStore(t), req)
}

// answers returns the distinct values of a result's first column, sorted: the
// compact IRI ("fg:Japan") of nodes, the text of literals. It reads the result
// the way encoders do, through Header and Record.
func answers(t *testing.T, res *queries.Result) []string {
	t.Helper()
	header := res.Header()
	if len(header) == 0 {
		if len(res.Rows) > 0 {
			t.Fatalf("expected a header for %d rows, found none", len(res.Rows))
		}
		return nil
	}
	col := header[0]
	if i := slices.Index(header, col+"_iri"); i >= 0 {
		col = header[i]
	}
	at := slices.Index(header, col)
	set := map[string]bool{}
	for i := range res.Rows {
		set[fmt.Sprint(res.Record(i)[at])] = true
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// TestArticleQuestions asks the embedded article's questions in Gizmo.
func TestArticleQuestions(t *testing.T) {
	tests := []struct {
		question string
		query    string
		want     []string
	}{
		{
			question: "who leads France",
			query:    `g.V().Has(schema("name"), "France").In(fg("leads")).All()`,
			want:     []string{"fg:EmmanuelMacron"},
		},
		{
			question: "which country does Fumio Kishida lead",
			query:    `g.V(fg("FumioKishida")).Out(fg("leads")).All()`,
			want:     []string{"fg:Japan"},
		},
		{
			question: "which countries have an RAA with Japan in force",
			query: `g.V(fg("Japan")).In(fg("party")).Has(rdfType, fg("ReciprocalAccessAgreement"))
				.Has(fg("status"), "in-force").Out(fg("party")).Except(g.V(fg("Japan"))).All()`,
			want: []string{"fg:Australia", "fg:UnitedKingdom"},
		},
		{
			question: "which countries have an RAA with Japan in force, by the shortcut",
			query:    `g.V(fg("Japan")).Out(fg("hasRAAWith")).All()`,
			want:     []string{"fg:Australia", "fg:UnitedKingdom"},
		},
		{
			question: "which RAAs with Japan are under negotiation",
			query: `var agreements = g.V(fg("Japan")).In(fg("party")).Has(rdfType, fg("ReciprocalAccessAgreement"));
				agreements.Has(fg("status"), "negotiation-agreed")
					.Union(agreements.Has(fg("status"), "talks-agreed"))
					.Out(fg("party")).Except(g.V(fg("Japan"))).All()`,
			want: []string{"fg:France", "fg:Philippines"},
		},
		{
			question: "which countries Japan negotiates an RAA with, by the shortcut",
			query:    `g.V(fg("Japan")).Out(fg("negotiatingRAAWith")).All()`,
			want:     []string{"fg:France", "fg:Philippines"},
		},
		{
			question: "which meetings were held",
			query:    `g.V().Has(rdfType, fg("Meeting")).Has(fg("status"), "held").All()`,
			want:     []string{"fg:KishidaMacronMeeting2024-05-02"},
		},
		{
			question: "which meetings are planned",
			query:    `g.V().Has(rdfType, fg("Meeting")).Has(fg("status"), "planned").All()`,
			want:     []string{"fg:XiMacronMeeting2024-05"},
		},
		{
			question: "who took part in the meeting that was held",
			query:    `g.V().Has(rdfType, fg("Meeting")).Has(fg("status"), "held").Out(fg("participant")).All()`,
			want:     []string{"fg:EmmanuelMacron", "fg:FumioKishida"},
		},
		{
			question: "whom did Macron meet",
			query:    `g.V(fg("EmmanuelMacron")).Out(fg("met")).All()`,
			want:     []string{"fg:FumioKishida"},
		},
		{
			question: "what the ACSA covers",
			query:    `g.V().Has(rdfType, fg("AcquisitionAndCrossServicingAgreement")).Out(fg("covers")).All()`,
			want:     []string{"ammunition", "food", "fuel"},
		},
		{
			question: "who claims the Senkaku Islands",
			query:    `g.V().Has(schema("name"), "Senkaku Islands").Out(fg("claimedBy")).All()`,
			want:     []string{"fg:China"},
		},
		{
			question: "who controls the Senkaku Islands",
			query:    `g.V().Has(schema("name"), "Senkaku Islands").Out(fg("controlledBy")).All()`,
			want:     []string{"fg:Japan"},
		},
		{
			question: "what is disputed by Japan and China",
			query: `g.V().Has(rdfType, fg("Dispute")).Has(fg("party"), fg("Japan")).Has(fg("party"), fg("China"))
				.Out(fg("about")).All()`,
			want: []string{"fg:SenkakuIslands"},
		},
		{
			question: "who visits France",
			query:    `g.V(fg("France")).In(fg("destination")).Out(fg("visitor")).All()`,
			want:     []string{"fg:XiJinping"},
		},
		{
			question: "nobody is said to lead Australia or the United Kingdom",
			query:    `g.V(fg("Japan")).Out(fg("hasRAAWith")).In(fg("leads")).All()`,
			want:     []string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.question, func(t *testing.T) {
			res, err := runGizmo(t, queries.Request{Query: tc.query})
			if err != nil {
				t.Fatalf("expected no error, found %v", err)
			}
			got := answers(t, res)
			if !slices.Equal(got, tc.want) {
				t.Errorf("expected %q, found %q", tc.want, got)
			}
		})
	}
}

// TestGizmoResultShape checks the columns a Gizmo node result prints as.
func TestGizmoResultShape(t *testing.T) {
	res, err := runGizmo(t, queries.Request{Query: `g.V(fg("Japan")).Out(fg("hasRAAWith")).All()`})
	if err != nil {
		t.Fatalf("expected no error, found %v", err)
	}
	if want := []string{"id", "id_iri"}; !slices.Equal(res.Header(), want) {
		t.Errorf("expected header %q, found %q", want, res.Header())
	}
	var names []string
	for i := range res.Rows {
		names = append(names, fmt.Sprint(res.Record(i)[0]))
	}
	sort.Strings(names)
	if want := []string{"Australia", "United Kingdom"}; !slices.Equal(names, want) {
		t.Errorf("expected names %q, found %q", want, names)
	}
	if res.Truncated {
		t.Error("expected an uncut result, found Truncated set")
	}
}

func TestGizmoLimit(t *testing.T) {
	// Japan has RAAs in force with two countries.
	const query = `g.V(fg("Japan")).Out(fg("hasRAAWith")).All()`
	tests := []struct {
		limit     int
		rows      int
		truncated bool
	}{
		{limit: 0, rows: 2, truncated: false},
		{limit: 1, rows: 1, truncated: true},
		{limit: 2, rows: 2, truncated: false},
		{limit: 3, rows: 2, truncated: false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("limit %d", tc.limit), func(t *testing.T) {
			res, err := runGizmo(t, queries.Request{Query: query, Limit: tc.limit})
			if err != nil {
				t.Fatalf("expected no error, found %v", err)
			}
			if len(res.Rows) != tc.rows || res.Truncated != tc.truncated {
				t.Errorf("expected %d rows (truncated %v), found %d (truncated %v)", tc.rows, tc.truncated, len(res.Rows), res.Truncated)
			}
			if res.Limit != tc.limit {
				t.Errorf("expected Limit %d, found %d", tc.limit, res.Limit)
			}
		})
	}
}

func TestGizmoTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	start := time.Now()
	res, err := runGizmo(t, queries.Request{Query: `while (true) {}`, Timeout: timeout})
	elapsed := time.Since(start)
	if res != nil {
		t.Errorf("expected no result, found %d rows", len(res.Rows))
	}
	if code := errs.CodeOf(err); code != errs.Timeout {
		t.Errorf("expected error code %q, found %q (%v)", errs.Timeout, code, err)
	}
	// Generous bound: the point is that the loop is stopped, not how fast.
	if elapsed > timeout+10*time.Second {
		t.Errorf("expected the query to stop soon after %s, found it ran %s", timeout, elapsed)
	}
}

func TestGizmoErrors(t *testing.T) {
	tests := []struct {
		name  string
		query string
		code  errs.Code
	}{
		{"syntax error", `g.V(`, errs.Invalid},
		{"unknown function", `g.V().NoSuchStep().All()`, errs.Invalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runGizmo(t, queries.Request{Query: tc.query})
			if code := errs.CodeOf(err); code != tc.code {
				t.Errorf("expected error code %q, found %q (%v)", tc.code, code, err)
			}
		})
	}
}
