package w3c

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/turtle"
)

// Vocabularies of the manifests.
const (
	mf   = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
	qt   = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
	rdfN = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rdfs = "http://www.w3.org/2000/01/rdf-schema#"
)

// Kind is the kind of a test.
type Kind int

// Test kinds.
const (
	Eval Kind = iota
	PositiveSyntax
	NegativeSyntax
)

// Test is one test of a manifest.
type Test struct {
	IRI      string
	Name     string
	Kind     Kind
	Suite    string // "sparql10" or "sparql11"
	Category string // the folder of its manifest: "aggregates", "optional"
	Query    string // file path
	Data     []string
	Named    []NamedData // qt:graphData
	Result   string      // file path ("" for syntax tests)
	Lax      bool        // mf:LaxCardinality: duplicates may be fewer
}

// NamedData is a file loaded as a named graph.
type NamedData struct {
	File  string
	Graph string // the graph's IRI (the file's IRI unless the manifest names one)
}

// graph is a parsed manifest: triples by subject.
type graph map[quad.Value][]quad.Quad

func (g graph) get(s quad.Value, p string) []quad.Value {
	var out []quad.Value
	for _, q := range g[s] {
		if q.Predicate == quad.IRI(p) {
			out = append(out, q.Object)
		}
	}
	return out
}

func (g graph) one(s quad.Value, p string) quad.Value {
	if l := g.get(s, p); len(l) > 0 {
		return l[0]
	}
	return nil
}

func (g graph) list(head quad.Value) []quad.Value {
	var out []quad.Value
	for head != nil && head != quad.IRI(rdfN+"nil") {
		out = append(out, g.one(head, rdfN+"first"))
		head = g.one(head, rdfN+"rest")
	}
	return out
}

func fileIRI(path string) string {
	abs, _ := filepath.Abs(path)
	return "file://" + filepath.ToSlash(abs)
}

func filePath(v quad.Value) string {
	iri, _ := v.(quad.IRI)
	return strings.TrimPrefix(string(iri), "file://")
}

// Load reads a manifest and the manifests it includes, and returns their
// tests in order. suite names the tests' suite.
func Load(path, suite string) ([]Test, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	qs, err := turtle.Parse(string(b), turtle.Options{Base: fileIRI(path)})
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	g := graph{}
	var self quad.Value = quad.IRI(fileIRI(path))
	for _, q := range qs {
		g[q.Subject] = append(g[q.Subject], q)
		if q.Predicate == quad.IRI(rdfN+"type") && q.Object == quad.IRI(mf+"Manifest") {
			self = q.Subject // <> or, in some manifests, []
		}
	}
	var tests []Test
	for _, inc := range g.list(g.one(self, mf+"include")) {
		sub, err := Load(filePath(inc), suite)
		if err != nil {
			return nil, err
		}
		tests = append(tests, sub...)
	}
	category := filepath.Base(filepath.Dir(path))
	for _, e := range g.list(g.one(self, mf+"entries")) {
		t := Test{IRI: string(e.(quad.IRI)), Suite: suite, Category: category}
		if n, ok := g.one(e, mf+"name").(quad.String); ok {
			t.Name = string(n)
		}
		switch g.one(e, rdfN+"type") {
		case quad.IRI(mf + "QueryEvaluationTest"):
			t.Kind = Eval
		case quad.IRI(mf + "PositiveSyntaxTest"), quad.IRI(mf + "PositiveSyntaxTest11"):
			t.Kind = PositiveSyntax
		case quad.IRI(mf + "NegativeSyntaxTest"), quad.IRI(mf + "NegativeSyntaxTest11"):
			t.Kind = NegativeSyntax
		default:
			continue // update, protocol and other kinds are not query tests
		}
		action := g.one(e, mf+"action")
		if t.Kind == Eval {
			t.Query = filePath(g.one(action, qt+"query"))
			for _, d := range g.get(action, qt+"data") {
				t.Data = append(t.Data, filePath(d))
			}
			for _, d := range g.get(action, qt+"graphData") {
				if iri, ok := d.(quad.IRI); ok {
					t.Named = append(t.Named, NamedData{File: filePath(iri), Graph: string(iri)})
					continue
				}
				file := g.one(d, qt+"graph")
				name := string(file.(quad.IRI))
				if l, ok := g.one(d, rdfs+"label").(quad.String); ok {
					name = string(l)
				}
				t.Named = append(t.Named, NamedData{File: filePath(file), Graph: name})
			}
			t.Result = filePath(g.one(e, mf+"result"))
			t.Lax = g.one(e, mf+"resultCardinality") == quad.IRI(mf+"LaxCardinality")
		} else {
			t.Query = filePath(action)
		}
		tests = append(tests, t)
	}
	return tests, nil
}
