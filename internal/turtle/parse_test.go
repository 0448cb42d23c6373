package turtle

import (
	"errors"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/rdfsyntax"
)

func TestParse(t *testing.T) {
	src := `@prefix : <http://e/> .
@base <http://b/> .
:s :p "x"@en, 1, -2.5, true ; a <T> .
[ :q ( 1 ) ] :r _:n .
PREFIX x: <http://x/>
x:a x:b "y"^^x:t .`
	qs, err := Parse(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	xsd := rdfsyntax.XSD
	want := []quad.Quad{
		quad.Make(quad.IRI("http://e/s"), quad.IRI("http://e/p"), quad.LangString{Value: "x", Lang: "en"}, nil),
		quad.Make(quad.IRI("http://e/s"), quad.IRI("http://e/p"), quad.TypedString{Value: "1", Type: quad.IRI(xsd + "integer")}, nil),
		quad.Make(quad.IRI("http://e/s"), quad.IRI("http://e/p"), quad.TypedString{Value: "-2.5", Type: quad.IRI(xsd + "decimal")}, nil),
		quad.Make(quad.IRI("http://e/s"), quad.IRI("http://e/p"), quad.TypedString{Value: "true", Type: quad.IRI(xsd + "boolean")}, nil),
		quad.Make(quad.IRI("http://e/s"), quad.IRI(rdfsyntax.RDF+"type"), quad.IRI("http://b/T"), nil),
	}
	if len(qs) != 10 {
		t.Fatalf("got %d quads, want 10: %v", len(qs), qs)
	}
	for i, w := range want {
		if qs[i] != w {
			t.Errorf("quad %d = %v, want %v", i, qs[i], w)
		}
	}
	if last := qs[len(qs)-1]; last.Object != (quad.TypedString{Value: "y", Type: "http://x/t"}) {
		t.Errorf("last quad = %v", last)
	}
}

func TestParseTriG(t *testing.T) {
	qs, err := Parse(`<g> { <a> <b> <c> } { <d> <e> <f> } GRAPH <h> { <i> <j> <k> . }`, Options{Base: "http://e/", TriG: true})
	if err != nil {
		t.Fatal(err)
	}
	labels := []quad.Value{quad.IRI("http://e/g"), nil, quad.IRI("http://e/h")}
	if len(qs) != 3 {
		t.Fatalf("got %v", qs)
	}
	for i, l := range labels {
		if qs[i].Label != l {
			t.Errorf("quad %d has label %v, want %v", i, qs[i].Label, l)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for src, want := range map[string][2]int{
		"<a> <b> <c>":                     {1, 12},
		"<a> <b> .":                       {1, 9},
		"@prefix x: <y> .\nz:a <b> <c> .": {2, 1},
		"<a> <b> \"x":                     {1, 9},
	} {
		_, err := Parse(src, Options{})
		var e *errs.Error
		if !errors.As(err, &e) || [2]int{e.Line, e.Column} != want || e.Code != errs.Invalid {
			t.Errorf("%q: got %v, want an error at %v", src, err, want)
		}
	}
}

func TestWriteRoundTrip(t *testing.T) {
	in := []quad.Quad{
		quad.Make(quad.IRI("http://e/s"), quad.IRI(rdfsyntax.RDF+"type"), quad.IRI("http://e/T"), nil),
		quad.Make(quad.IRI("http://e/s"), quad.IRI("http://e/p"), quad.LangString{Value: "a \"q\"\n", Lang: "en"}, nil),
		quad.Make(quad.BNode("b"), quad.IRI("http://e/p"), quad.TypedString{Value: "1", Type: rdfsyntax.XSD + "integer"}, nil),
		quad.Make(quad.IRI("http://e/s"), quad.IRI("http://other/x.y"), quad.String("back"), nil),
	}
	var b strings.Builder
	w := NewWriter(&b, []Prefix{{"e", "http://e/"}, {"xsd", rdfsyntax.XSD}})
	if _, err := w.WriteQuads(in); err != nil {
		t.Fatal(err)
	}
	w.Close()
	out, err := Parse(b.String(), Options{})
	if err != nil {
		t.Fatalf("%v in\n%s", err, b.String())
	}
	if len(out) != len(in) {
		t.Fatalf("got %v from\n%s", out, b.String())
	}
	for i := range in {
		if out[i] != in[i] {
			t.Errorf("triple %d = %v, want %v", i, out[i], in[i])
		}
	}
	if !strings.Contains(b.String(), "e:s a e:T ;") {
		t.Errorf("no abbreviation in\n%s", b.String())
	}
}
