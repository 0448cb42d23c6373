package sparql_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
	_ "github.com/factgraph/factgraph/queries/sparql"
)

const fg = "PREFIX fg: <https://w3id.org/factgraph/>\n"

func run(t *testing.T, req queries.Request) *queries.Result {
	t.Helper()
	req.Lang = "sparql"
	res, err := queries.Run(context.Background(), testkit.ArticleStore(t), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSelectWithEvidence(t *testing.T) {
	res := run(t, queries.Request{Query: fg + `SELECT ?x ?g WHERE { GRAPH ?g { fg:Japan fg:hasRAAWith ?x } } ORDER BY ?x`, Evidence: true})
	if strings.Join(res.Columns, ",") != "x,g" || len(res.Rows) != 2 {
		t.Fatalf("columns %v, %d rows", res.Columns, len(res.Rows))
	}
	if got := res.Rows[0].Cells[0].Name; got != "Australia" {
		t.Errorf("first row names %q, want Australia", got)
	}
	ev := res.Rows[1].Evidence
	if len(ev) != 1 || !strings.Contains(ev[0].Statements[0].Sentence, "Japan has RAAs with Australia and Britain") {
		t.Errorf("evidence of the UK row = %+v, want sentence 2", ev)
	}
}

func TestComputedCells(t *testing.T) {
	res := run(t, queries.Request{Query: fg + `SELECT (COUNT(?x) AS ?n) (STRLEN("abc") AS ?l) WHERE { fg:Japan fg:hasRAAWith ?x }`})
	if len(res.Rows) != 1 || res.Rows[0].Cells[0].Name != "2" || res.Rows[0].Cells[1].Name != "3" {
		t.Fatalf("rows = %+v", res.Rows)
	}
	// A value the store does not hold is a computed cell.
	res = run(t, queries.Request{Query: `SELECT (CONCAT("not ", "stored") AS ?s) {}`})
	if len(res.Rows) != 1 || res.Rows[0].Cells[0].Value != quad.String("not stored") {
		t.Fatalf("rows = %+v", res.Rows)
	}
}

func TestEmptyResultHasColumns(t *testing.T) {
	res := run(t, queries.Request{Query: `SELECT ?nothing ?here WHERE { <urn:x> <urn:y> ?nothing }`})
	if strings.Join(res.Columns, ",") != "nothing,here" || len(res.Rows) != 0 {
		t.Errorf("columns %v rows %d", res.Columns, len(res.Rows))
	}
}

func TestAskAndConstruct(t *testing.T) {
	res := run(t, queries.Request{Query: fg + `ASK { fg:Japan fg:hasRAAWith fg:Australia }`})
	if len(res.Rows) != 1 || res.Rows[0].Cells[0].Name != "true" {
		t.Errorf("ASK rows = %+v", res.Rows)
	}
	res = run(t, queries.Request{Query: fg + `CONSTRUCT { ?x fg:hasRAAWith fg:Japan } WHERE { fg:Japan fg:hasRAAWith ?x }`})
	if strings.Join(res.Columns, ",") != "subject,predicate,object" || len(res.Rows) != 2 {
		t.Errorf("CONSTRUCT: columns %v, %d rows", res.Columns, len(res.Rows))
	}
}

func TestLimitAndErrors(t *testing.T) {
	res := run(t, queries.Request{Query: `SELECT * WHERE { ?s ?p ?o }`, Limit: 3})
	if len(res.Rows) != 3 || !res.Truncated {
		t.Errorf("got %d rows, truncated %v; want 3, cut", len(res.Rows), res.Truncated)
	}
	_, err := queries.Run(context.Background(), testkit.ArticleStore(t), queries.Request{Lang: "sparql", Query: "SELECT ?x WHERE {\n  ?x ?p \n}"})
	if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "3:1: expected RDF term, found '}'") {
		t.Errorf("syntax error = %v", err)
	}
	_, err = queries.Run(context.Background(), testkit.ArticleStore(t), queries.Request{Lang: "sparql", Query: "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"})
	if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "SERVICE is not supported") {
		t.Errorf("SERVICE error = %v", err)
	}
}

func TestExplain(t *testing.T) {
	plan, err := queries.Explain(context.Background(), testkit.ArticleStore(t), queries.Request{Lang: "sparql", Query: fg + `SELECT ?x WHERE { ?x a fg:Country . ?x fg:hasRAAWith ?y }`})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"algebra:", "(bgp", "plan:", "bgp (in order)", "quads]"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
}
