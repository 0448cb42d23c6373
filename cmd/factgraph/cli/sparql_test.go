package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestQuerySPARQLForms(t *testing.T) {
	o := mustRun(t, "query", "--lang", "sparql", "SELECT ?x ?g WHERE { GRAPH ?g { fg:Japan fg:hasRAAWith ?x } } ORDER BY ?x")
	if !strings.Contains(o.stdout, "Australia") || !strings.Contains(o.stdout, "#s2") {
		t.Errorf("SELECT printed:\n%s", o.stdout)
	}
	if o := mustRun(t, "query", "--lang", "sparql", "ASK { fg:Japan fg:hasRAAWith fg:France }"); o.stdout != "false\n" {
		t.Errorf("ASK printed %q, want false", o.stdout)
	}
	o = mustRun(t, "query", "--lang", "sparql", "CONSTRUCT { ?x fg:hasRAAWith fg:Japan } WHERE { fg:Japan fg:hasRAAWith ?x }")
	want := "<https://w3id.org/factgraph/Australia> <https://w3id.org/factgraph/hasRAAWith> <https://w3id.org/factgraph/Japan> .\n"
	if !strings.Contains(o.stdout, want) || strings.Count(o.stdout, "\n") != 2 {
		t.Errorf("CONSTRUCT printed:\n%s", o.stdout)
	}
	o = mustRun(t, "query", "--lang", "sparql", "--format", "turtle", "DESCRIBE fg:Australia")
	if !strings.Contains(o.stdout, "fg:Australia a fg:Country ;") {
		t.Errorf("DESCRIBE as Turtle printed:\n%s", o.stdout)
	}
	if o := run(t, "", "query", "--lang", "sparql", "--format", "csv", "DESCRIBE fg:Australia"); o.code == 0 || !strings.Contains(o.stderr, "use --format ntriples, nquads, turtle") {
		t.Errorf("DESCRIBE as CSV: exit %d, stderr %q", o.code, o.stderr)
	}
	o = run(t, "", "query", "--lang", "sparql", "SELECT ?x WHERE { ?x fg:p }")
	if o.code == 0 || !strings.Contains(o.stderr, "expected RDF term, found '}'") || !strings.Contains(o.stderr, "^") {
		t.Errorf("syntax error: exit %d, stderr %q", o.code, o.stderr)
	}
}

func TestQuerySPARQLExplain(t *testing.T) {
	o := mustRun(t, "query", "--lang", "sparql", "--explain", "SELECT ?x WHERE { fg:Japan fg:hasRAAWith ?x }")
	if !strings.Contains(o.stdout, "algebra:") || !strings.Contains(o.stdout, "bgp (in order)") {
		t.Errorf("explain printed:\n%s", o.stdout)
	}
}

func TestReplSPARQL(t *testing.T) {
	input := strings.Join([]string{
		`:lang sparql`,
		`PREFIX ex: <http://example.org/>`, // no group yet: the query goes on
		`SELECT ?x`,
		`WHERE { fg:Japan fg:hasRAAWith ?x }`,
		`ASK { fg:Japan fg:hasRAAWith fg:UnitedKingdom }`,
		`:quit`,
	}, "\n")
	var out, errOut bytes.Buffer
	if code := Main(context.Background(), []string{"repl"}, strings.NewReader(input), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "United Kingdom  fg:UnitedKingdom") || !strings.HasSuffix(out.String(), "true\n") {
		t.Errorf("output:\n%s\nstderr:\n%s", out.String(), errOut.String())
	}
}
