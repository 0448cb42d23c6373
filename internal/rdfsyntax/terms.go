package rdfsyntax

import (
	"strings"

	"github.com/cayleygraph/quad"
)

// XSD is the namespace of XML Schema datatypes.
const XSD = "http://www.w3.org/2001/XMLSchema#"

// RDF is the namespace of RDF itself.
const RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

// Prologue holds what BASE and PREFIX declared so far; Turtle and SPARQL
// resolve IRIs and prefixed names through it.
type Prologue struct {
	Base     string
	Prefixes map[string]string
}

// IRI returns the IRI a token names: an IRIREF resolved against the base, or
// a prefixed name expanded; ok is false for an undeclared prefix.
func (p *Prologue) IRI(t Token) (iri string, ok bool) {
	switch t.Kind {
	case IRIRef:
		return ResolveIRI(p.Base, t.Text), true
	case PNameNS:
		ns, ok := p.Prefixes[t.Text]
		return ns, ok
	case PNameLN:
		prefix, local, _ := strings.Cut(t.Text, ":")
		ns, ok := p.Prefixes[prefix]
		return ns + local, ok
	}
	return "", false
}

// Declare binds a prefix to an IRI.
func (p *Prologue) Declare(prefix, iri string) {
	if p.Prefixes == nil {
		p.Prefixes = map[string]string{}
	}
	p.Prefixes[prefix] = iri
}

// Number returns the literal of a numeric token, with sign ("-" or "+" or "")
// in front.
func Number(sign string, t Token) quad.Value {
	text := t.Text
	if sign == "-" {
		text = "-" + text
	} else if sign == "+" {
		text = "+" + text
	}
	switch t.Kind {
	case Integer:
		return quad.TypedString{Value: quad.String(text), Type: XSD + "integer"}
	case Decimal:
		return quad.TypedString{Value: quad.String(text), Type: XSD + "decimal"}
	}
	return quad.TypedString{Value: quad.String(text), Type: XSD + "double"}
}

// Literal builds a literal of text with an optional language tag or
// datatype; xsd:string literals are plain strings, as RDF 1.1 has them, and
// language tags are lower case (they compare without case).
func Literal(text, lang, datatype string) quad.Value {
	switch {
	case lang != "":
		return quad.LangString{Value: quad.String(text), Lang: strings.ToLower(lang)}
	case datatype != "" && datatype != XSD+"string":
		return quad.TypedString{Value: quad.String(text), Type: quad.IRI(datatype)}
	}
	return quad.String(text)
}

// Boolean returns the literal true or false.
func Boolean(b bool) quad.Value {
	s := "false"
	if b {
		s = "true"
	}
	return quad.TypedString{Value: quad.String(s), Type: XSD + "boolean"}
}
