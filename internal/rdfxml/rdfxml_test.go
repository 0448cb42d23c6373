package rdfxml

import (
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
)

func TestParse(t *testing.T) {
	doc := `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/" xml:base="http://b/">
  <ex:Thing rdf:about="a" ex:name="A">
    <ex:p rdf:resource="#c"/>
    <ex:n rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">3</ex:n>
    <ex:q rdf:parseType="Resource"><ex:r xml:lang="EN">hi</ex:r></ex:q>
    <ex:s><rdf:Description rdf:nodeID="x"/></ex:s>
  </ex:Thing>
</rdf:RDF>`
	qs, err := Parse(strings.NewReader(doc), "http://ignored/", "")
	if err != nil {
		t.Fatal(err)
	}
	a := quad.IRI("http://b/a")
	want := []quad.Quad{
		{Subject: a, Predicate: quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), Object: quad.IRI("http://e/Thing")},
		{Subject: a, Predicate: quad.IRI("http://e/name"), Object: quad.String("A")},
		{Subject: a, Predicate: quad.IRI("http://e/p"), Object: quad.IRI("http://b/#c")},
		{Subject: a, Predicate: quad.IRI("http://e/n"), Object: quad.TypedString{Value: "3", Type: "http://www.w3.org/2001/XMLSchema#integer"}},
		{Subject: a, Predicate: quad.IRI("http://e/q"), Object: quad.BNode("x1")},
		{Subject: quad.BNode("x1"), Predicate: quad.IRI("http://e/r"), Object: quad.LangString{Value: "hi", Lang: "en"}},
		{Subject: a, Predicate: quad.IRI("http://e/s"), Object: quad.BNode("x")},
	}
	if len(qs) != len(want) {
		t.Fatalf("got %d quads, want %d: %v", len(qs), len(want), qs)
	}
	for i := range want {
		if qs[i] != want[i] {
			t.Errorf("quad %d = %v, want %v", i, qs[i], want[i])
		}
	}
	if _, err := Parse(strings.NewReader(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description><x:p xmlns:x="http://e/" rdf:parseType="Literal"/></rdf:Description></rdf:RDF>`), "", ""); err == nil {
		t.Error("parseType Literal: want an error")
	}
}

func TestWriteRoundTrip(t *testing.T) {
	in := []quad.Quad{
		{Subject: quad.IRI("http://e/s"), Predicate: quad.IRI("http://e/p"), Object: quad.IRI("http://e/o")},
		{Subject: quad.IRI("http://e/s"), Predicate: quad.IRI("http://x.org/v#name"), Object: quad.LangString{Value: "a <b> & \"c\"", Lang: "en"}},
		{Subject: quad.BNode("b1"), Predicate: quad.IRI("http://e/n"), Object: quad.TypedString{Value: "3", Type: "http://www.w3.org/2001/XMLSchema#integer"}},
		{Subject: quad.BNode("b1"), Predicate: quad.IRI("http://e/k"), Object: quad.BNode("b2")},
		{Subject: quad.BNode("b1"), Predicate: quad.IRI("http://e/t"), Object: quad.String("plain")},
	}
	var b strings.Builder
	w := NewWriter(&b)
	if _, err := w.WriteQuads(in); err != nil {
		t.Fatal(err)
	}
	w.Close()
	out, err := Parse(strings.NewReader(b.String()), "", "")
	if err != nil {
		t.Fatalf("%v in\n%s", err, b.String())
	}
	if len(out) != len(in) {
		t.Fatalf("got %v", out)
	}
	for i := range in {
		if out[i] != in[i] {
			t.Errorf("triple %d = %v, want %v", i, out[i], in[i])
		}
	}
}
