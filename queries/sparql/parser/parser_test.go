package parser

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// TestErrorFiles parses every file in testdata/errors and checks that the
// error it reports is the one marked in the file, at its position (the
// parser stops at the first).
func TestErrorFiles(t *testing.T) {
	testkit.CheckErrorFiles(t, "testdata/errors/*.rq", func(src string) error {
		_, err := Parse(src, Options{})
		return err
	})
}

func TestParseAlgebra(t *testing.T) {
	q, err := Parse(`PREFIX fg: <https://w3id.org/factgraph/>
SELECT ?x ?g WHERE { GRAPH ?g { fg:Japan fg:hasRAAWith ?x } } ORDER BY ?x LIMIT 5`, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if q.Form != algebra.Select || strings.Join(q.Vars, ",") != "x,g" {
		t.Fatalf("form %v vars %v", q.Form, q.Vars)
	}
	sl, ok := q.Pattern.(*algebra.Slice)
	if !ok || sl.Limit != 5 {
		t.Fatalf("top = %#v, want a slice of 5", q.Pattern)
	}
	prj := sl.Inner.(*algebra.Project)
	ord := prj.Inner.(*algebra.OrderBy)
	g, ok := ord.Inner.(*algebra.Graph)
	if !ok || g.Name.Var != "g" {
		t.Fatalf("pattern = %#v, want GRAPH ?g", ord.Inner)
	}
	bgp := g.Inner.(*algebra.BGP)
	want := algebra.Triple{S: algebra.C(quad.IRI("https://w3id.org/factgraph/Japan")), P: algebra.C(quad.IRI("https://w3id.org/factgraph/hasRAAWith")), O: algebra.V("x")}
	if len(bgp.Triples) != 1 || bgp.Triples[0] != want {
		t.Errorf("bgp = %v, want %v", bgp.Triples, want)
	}
}

func TestParsePaths(t *testing.T) {
	q, err := Parse(`SELECT * { ?a <p>/<q> ?b . ?a ^<r> ?c . ?a (<p>|<q>)+ ?d . ?a !(<p>|^<q>) ?e }`, Options{Base: "http://e/"})
	if err != nil {
		t.Fatal(err)
	}
	// p/q is two triples through a hidden variable, ^r a swapped triple;
	// the + and ! paths stay paths.
	var triples, paths int
	var walk func(algebra.Pattern)
	walk = func(p algebra.Pattern) {
		switch x := p.(type) {
		case *algebra.Join:
			walk(x.Left)
			walk(x.Right)
		case *algebra.BGP:
			triples += len(x.Triples)
		case *algebra.PathPattern:
			paths++
		case *algebra.Project:
			walk(x.Inner)
		}
	}
	walk(q.Pattern)
	if triples != 3 || paths != 2 {
		t.Errorf("got %d triples and %d paths, want 3 and 2", triples, paths)
	}
	if strings.Join(q.Vars, ",") != "a,b,c,d,e" {
		t.Errorf("SELECT * columns = %v, want the query's own variables", q.Vars)
	}
}

// FuzzParse checks that Parse never panics and that every error it reports
// has a position inside the query (a column at most one past the end of its
// line).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`SELECT * WHERE { ?s ?p ?o }`,
		`PREFIX : <http://e/> SELECT ?x (COUNT(*) AS ?n) { ?x :p+/^:q ?y OPTIONAL { ?y :r ?z FILTER(?z > 1) } } GROUP BY ?x HAVING (?n > 2) ORDER BY DESC(?n) LIMIT 3`,
		`CONSTRUCT { ?s <p> [ <q> ( 1 2.5 -3e1 ) ] } WHERE { GRAPH ?g { ?s ?p "x"@en } MINUS { ?s <r> ?o } }`,
		`ASK { VALUES (?a ?b) { (1 UNDEF) } BIND(STRLEN(?a) AS ?c) FILTER NOT EXISTS { ?a !(<p>|^<q>) ?b } }`,
		"DESCRIBE <x> ?y\nFROM <g> WHERE { ?y <p> '''long\nstring''' }",
		`SELECT * { ?s ?p ?o FILTER regex(?o, "^a", "i") } OFFSET 99999999999999999999999`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, err := Parse(src, Options{})
		if err == nil {
			return
		}
		list := errs.All(err)
		if len(list) == 0 {
			t.Fatalf("error of type %T: %v", err, err)
		}
		lines := strings.Split(src, "\n")
		for _, e := range list {
			if e.Line < 1 || e.Column < 1 || e.Line > len(lines) {
				t.Fatalf("error %q has position %d:%d outside the %d-line query", e.Message, e.Line, e.Column, len(lines))
			}
			if n := utf8.RuneCountInString(lines[e.Line-1]); e.Column > n+1 {
				t.Fatalf("error %q at %d:%d: line %d has %d characters", e.Message, e.Line, e.Column, e.Line, n)
			}
		}
	})
}
