package parser

import (
	"strconv"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/rdfsyntax"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

func itoa(n int) string { return strconv.Itoa(n) }

func (p *parser) path() algebra.Path {
	l := p.pathSequence()
	for p.accept("|") {
		l = &algebra.Alternative{Left: l, Right: p.pathSequence()}
	}
	return l
}

func (p *parser) pathSequence() algebra.Path {
	l := p.pathEltOrInverse()
	for p.accept("/") {
		l = &algebra.Sequence{Left: l, Right: p.pathEltOrInverse()}
	}
	return l
}

func (p *parser) pathEltOrInverse() algebra.Path {
	if p.accept("^") {
		return &algebra.Inverse{Path: p.pathElt()}
	}
	return p.pathElt()
}

func (p *parser) pathElt() algebra.Path {
	prim := p.pathPrimary()
	switch {
	case p.tok.Is("?"):
		p.next()
		return &algebra.ZeroOrOne{Path: prim}
	case p.tok.Is("*"):
		p.next()
		return &algebra.ZeroOrMore{Path: prim}
	case p.tok.Is("+") && !p.signedNumberFollows():
		p.next()
		return &algebra.OneOrMore{Path: prim}
	}
	return prim
}

// signedNumberFollows tells '+' as a path modifier from the sign of a number
// that is the object (:p +1 is not :p+ 1).
func (p *parser) signedNumberFollows() bool {
	saved := *p.lex
	n := p.lex.Next()
	*p.lex = saved
	return n.Pos == p.tok.End && (n.Kind == rdfsyntax.Integer || n.Kind == rdfsyntax.Decimal || n.Kind == rdfsyntax.Double)
}

func (p *parser) pathPrimary() algebra.Path {
	switch {
	case p.tok.Kind == rdfsyntax.Word && p.tok.Text == "a":
		p.next()
		return &algebra.Link{IRI: quad.IRI(rdfsyntax.RDF + "type")}
	case p.isIRI():
		return &algebra.Link{IRI: p.iri()}
	case p.accept("!"):
		return p.negatedSet()
	case p.accept("("):
		path := p.path()
		p.expect(")")
		return path
	}
	p.expected("property path")
	return nil
}

func (p *parser) negatedSet() algebra.Path {
	set := &algebra.NegatedSet{}
	one := func() {
		inv := p.accept("^")
		var iri quad.IRI
		if p.tok.Kind == rdfsyntax.Word && p.tok.Text == "a" {
			p.next()
			iri = quad.IRI(rdfsyntax.RDF + "type")
		} else {
			iri = p.iri()
		}
		if inv {
			set.Backward, set.HasBackward = append(set.Backward, iri), true
		} else {
			set.Forward, set.HasForward = append(set.Forward, iri), true
		}
	}
	if p.accept("(") {
		if !p.accept(")") {
			one()
			for p.accept("|") {
				one()
			}
			p.expect(")")
		}
		return set
	}
	one()
	return set
}
