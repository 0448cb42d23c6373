package rdfsyntax

import (
	"github.com/cayleygraph/quad"
)

// Tokens is a parser's position in its token stream: Turtle's and SPARQL's
// parsers read the terms they share through it.
type Tokens interface {
	Tok() Token // the current token
	Next()      // move on to the next token
}

// SyntaxError is what the shared readers found wrong: the token, and what
// was expected there. The parser reports it in its own way.
type SyntaxError struct {
	At       Token
	Expected string // "IRI": "expected IRI, found ..."
	Msg      string // a whole message instead, when set
}

func expected(ts Tokens, what string) *SyntaxError {
	return &SyntaxError{At: ts.Tok(), Expected: what}
}

// IsIRI reports whether t is an IRI or a prefixed name.
func IsIRI(t Token) bool { return t.Kind == IRIRef || t.Kind == PNameLN || t.Kind == PNameNS }

// ReadIRI reads an IRI or prefixed name.
func (p *Prologue) ReadIRI(ts Tokens, what string) (quad.IRI, *SyntaxError) {
	t := ts.Tok()
	if !IsIRI(t) {
		return "", expected(ts, what)
	}
	iri, ok := p.IRI(t)
	if !ok {
		return "", &SyntaxError{At: t, Msg: "undeclared prefix in " + t.Describe() + " (declare it with PREFIX)"}
	}
	ts.Next()
	return quad.IRI(iri), nil
}

// ReadDirective reads what follows PREFIX (a prefix name and an IRI) or
// BASE (an IRI), and declares it.
func (p *Prologue) ReadDirective(ts Tokens, prefix bool) *SyntaxError {
	name := ""
	if prefix {
		if ts.Tok().Kind != PNameNS {
			return expected(ts, "prefix name ending in ':'")
		}
		name = ts.Tok().Text
		ts.Next()
	}
	if ts.Tok().Kind != IRIRef {
		return expected(ts, "IRI")
	}
	iri, _ := p.IRI(ts.Tok())
	if prefix {
		p.Declare(name, iri)
	} else {
		p.Base = iri
	}
	ts.Next()
	return nil
}

// IsBoolean reports whether t is the word true or false (in any case, as
// SPARQL's keywords are).
func IsBoolean(t Token) bool { return t.IsWord("true") || t.IsWord("false") }

// StartsLiteral reports whether t begins a literal.
func StartsLiteral(t Token) bool {
	switch t.Kind {
	case String, Integer, Decimal, Double:
		return true
	case Punct:
		return t.Text == "+" || t.Text == "-"
	}
	return IsBoolean(t)
}

// ReadLiteral reads a literal: a string with an optional language tag or
// datatype, a number (a sign must touch it), or a boolean. what names the
// place for the error when the token begins none.
func (p *Prologue) ReadLiteral(ts Tokens, what string) (quad.Value, *SyntaxError) {
	t := ts.Tok()
	switch {
	case t.Kind == String:
		ts.Next()
		switch n := ts.Tok(); {
		case n.Kind == LangTag:
			ts.Next()
			return Literal(t.Text, n.Text, ""), nil
		case n.Is("^^"):
			ts.Next()
			dt, err := p.ReadIRI(ts, "datatype IRI after '^^'")
			if err != nil {
				return nil, err
			}
			return Literal(t.Text, "", string(dt)), nil
		}
		return quad.String(t.Text), nil
	case t.Kind == Integer || t.Kind == Decimal || t.Kind == Double:
		ts.Next()
		return Number("", t), nil
	case t.Is("+") || t.Is("-"):
		ts.Next()
		n := ts.Tok()
		if n.Pos != t.End || n.Kind != Integer && n.Kind != Decimal && n.Kind != Double {
			return nil, expected(ts, "number after '"+t.Text+"'")
		}
		ts.Next()
		return Number(t.Text, n), nil
	case IsBoolean(t):
		ts.Next()
		return Boolean(t.IsWord("true")), nil
	}
	return nil, expected(ts, what)
}
