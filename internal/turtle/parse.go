package turtle

import (
	"strconv"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/rdfsyntax"
)

// Options control a read.
type Options struct {
	// Base is the IRI that relative IRIs resolve against.
	Base string
	// TriG accepts graph blocks ({ ... }, <g> { ... }, GRAPH <g> { ... }).
	TriG bool
	// BlankPrefix is put before every blank node label, so that the blank
	// nodes of two documents stay apart.
	BlankPrefix string
}

// Parse reads a whole document. The error, if any, is an *errs.Error with the
// line and column of the first problem.
func Parse(src string, opt Options) ([]quad.Quad, error) {
	p := &parser{lex: rdfsyntax.NewLexer(src), src: src, opt: opt}
	p.pro.Base = opt.Base
	p.next()
	if err := p.document(); err != nil {
		return nil, err
	}
	return p.out, nil
}

type parser struct {
	lex   *rdfsyntax.Lexer
	src   string
	opt   Options
	pro   rdfsyntax.Prologue
	tok   rdfsyntax.Token
	out   []quad.Quad
	label quad.Value
	anon  int
}

// stop carries a syntax error up to Parse.
type stop struct{ err *errs.Error }

func (p *parser) next() { p.tok = p.lex.Next() }

// Tok and Next make the parser the rdfsyntax.Tokens its shared readers take.
func (p *parser) Tok() rdfsyntax.Token { return p.tok }

// Next moves to the next token.
func (p *parser) Next() { p.next() }

// check reports what a shared reader found wrong.
func (p *parser) check(err *rdfsyntax.SyntaxError) {
	if err == nil {
		return
	}
	if err.Msg != "" {
		p.fail(err.At, "%s", err.Msg)
	}
	p.tok = err.At
	p.expected(err.Expected)
}

func (p *parser) fail(t rdfsyntax.Token, format string, args ...any) {
	panic(stop{rdfsyntax.ErrorAt(p.src, t.Pos, format, args...)})
}

func (p *parser) expected(what string) {
	if p.tok.Kind == rdfsyntax.Illegal {
		p.fail(p.tok, "expected %s, found %s", what, p.tok.Text)
	}
	p.fail(p.tok, "expected %s, found %s", what, p.tok.Describe())
}

func (p *parser) expect(punct string) {
	if !p.tok.Is(punct) {
		p.expected("'" + punct + "'")
	}
	p.next()
}

func (p *parser) document() (err error) {
	defer func() {
		if r := recover(); r != nil {
			s, ok := r.(stop)
			if !ok {
				panic(r)
			}
			err = s.err
		}
	}()
	for p.tok.Kind != rdfsyntax.EOF {
		p.statement()
	}
	return nil
}

func (p *parser) statement() {
	t := p.tok
	switch {
	case t.Kind == rdfsyntax.LangTag && (t.Text == "prefix" || t.Text == "base"):
		p.next()
		p.directive(t.Text == "prefix")
		p.expect(".")
		return
	case t.IsWord("PREFIX") || t.IsWord("BASE"):
		p.next()
		p.directive(t.IsWord("PREFIX"))
		return
	case p.opt.TriG && t.IsWord("GRAPH"):
		p.next()
		g := p.graphName()
		p.block(g)
		return
	case p.opt.TriG && t.Is("{"):
		p.block(nil)
		return
	}
	if p.opt.TriG && (t.Kind == rdfsyntax.IRIRef || t.Kind == rdfsyntax.PNameLN || t.Kind == rdfsyntax.PNameNS || t.Kind == rdfsyntax.BlankNode || t.Is("[")) {
		// <g> { ... } or a triple: decide on the token after the name.
		save, saveLex := p.tok, *p.lex
		g := p.graphName()
		if p.tok.Is("{") {
			p.block(g)
			return
		}
		p.tok, *p.lex = save, saveLex
	}
	p.triples()
	p.expect(".")
}

func (p *parser) directive(prefix bool) { p.check(p.pro.ReadDirective(p, prefix)) }

func (p *parser) graphName() quad.Value {
	if p.tok.Is("[") {
		p.next()
		p.expect("]")
		return p.fresh()
	}
	switch p.tok.Kind {
	case rdfsyntax.BlankNode:
		v := quad.BNode(p.opt.BlankPrefix + p.tok.Text)
		p.next()
		return v
	case rdfsyntax.IRIRef, rdfsyntax.PNameLN, rdfsyntax.PNameNS:
		return p.iri()
	}
	p.expected("graph name")
	return nil
}

func (p *parser) block(g quad.Value) {
	p.expect("{")
	p.label = g
	for !p.tok.Is("}") {
		p.triples()
		if !p.tok.Is(".") {
			break
		}
		p.next()
	}
	p.expect("}")
	p.label = nil
}

func (p *parser) fresh() quad.Value {
	p.anon++
	return quad.BNode(p.opt.BlankPrefix + "genid" + strconv.Itoa(p.anon))
}

func (p *parser) iri() quad.Value {
	iri, err := p.pro.ReadIRI(p, "IRI")
	p.check(err)
	return iri
}

func (p *parser) emit(s, pr, o quad.Value) {
	p.out = append(p.out, quad.Quad{Subject: s, Predicate: pr, Object: o, Label: p.label})
}

func (p *parser) triples() {
	var s quad.Value
	switch {
	case p.tok.Is("["):
		p.next()
		s = p.fresh()
		if p.tok.Is("]") {
			p.next()
			p.predicateObjects(s)
			return
		}
		p.predicateObjects(s)
		p.expect("]")
		if p.tok.Is(".") || p.tok.Is("}") {
			return
		}
		p.predicateObjects(s)
		return
	case p.tok.Is("("):
		s = p.collection()
	case p.tok.Kind == rdfsyntax.BlankNode:
		s = quad.BNode(p.opt.BlankPrefix + p.tok.Text)
		p.next()
	case p.tok.Kind == rdfsyntax.IRIRef || p.tok.Kind == rdfsyntax.PNameLN || p.tok.Kind == rdfsyntax.PNameNS:
		s = p.iri()
	default:
		p.expected("subject")
	}
	p.predicateObjects(s)
}

func (p *parser) predicateObjects(s quad.Value) {
	for {
		var pr quad.Value
		switch {
		case p.tok.Kind == rdfsyntax.Word && p.tok.Text == "a":
			pr = quad.IRI(rdfsyntax.RDF + "type")
			p.next()
		case p.tok.Kind == rdfsyntax.IRIRef || p.tok.Kind == rdfsyntax.PNameLN || p.tok.Kind == rdfsyntax.PNameNS:
			pr = p.iri()
		default:
			p.expected("predicate")
		}
		for {
			p.emit(s, pr, p.object())
			if !p.tok.Is(",") {
				break
			}
			p.next()
		}
		if !p.tok.Is(";") {
			return
		}
		for p.tok.Is(";") {
			p.next()
		}
		if p.tok.Is(".") || p.tok.Is("]") || p.tok.Is("}") || p.tok.Kind == rdfsyntax.EOF {
			return
		}
	}
}

func (p *parser) collection() quad.Value {
	p.expect("(")
	var head, prev quad.Value
	for !p.tok.Is(")") {
		cell := p.fresh()
		if prev == nil {
			head = cell
		} else {
			p.emit(prev, quad.IRI(rdfsyntax.RDF+"rest"), cell)
		}
		p.emit(cell, quad.IRI(rdfsyntax.RDF+"first"), p.object())
		prev = cell
	}
	p.next()
	nilIRI := quad.IRI(rdfsyntax.RDF + "nil")
	if prev == nil {
		return nilIRI
	}
	p.emit(prev, quad.IRI(rdfsyntax.RDF+"rest"), nilIRI)
	return head
}

func (p *parser) object() quad.Value {
	t := p.tok
	switch {
	case t.Is("["):
		p.next()
		b := p.fresh()
		if !p.tok.Is("]") {
			p.predicateObjects(b)
		}
		p.expect("]")
		return b
	case t.Is("("):
		return p.collection()
	case t.Kind == rdfsyntax.BlankNode:
		p.next()
		return quad.BNode(p.opt.BlankPrefix + t.Text)
	case t.Kind == rdfsyntax.IRIRef || t.Kind == rdfsyntax.PNameLN || t.Kind == rdfsyntax.PNameNS:
		return p.iri()
	case rdfsyntax.StartsLiteral(t):
		v, err := p.pro.ReadLiteral(p, "object")
		p.check(err)
		return v
	}
	p.expected("object")
	return nil
}
