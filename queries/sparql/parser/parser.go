package parser

import (
	"strconv"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/rdfsyntax"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// Options control a parse.
type Options struct {
	// Base is the base IRI before any BASE declaration.
	Base string
	// Prefixes are declared before the query's own PREFIX declarations.
	Prefixes map[string]string
}

// Parse reads one query. Its error is an *errs.Error (code invalid) at the
// line and column of the first problem.
func Parse(src string, opt Options) (q *algebra.Query, err error) {
	p := &parser{lex: rdfsyntax.NewLexer(src), src: src, bnodeGroup: map[string]int{}}
	p.pro.Base = opt.Base
	for k, v := range opt.Prefixes {
		p.pro.Declare(k, v)
	}
	p.next()
	defer func() {
		if r := recover(); r != nil {
			s, ok := r.(stop)
			if !ok {
				panic(r)
			}
			q, err = nil, s.err
		}
	}()
	q = p.query()
	if p.tok.Kind != rdfsyntax.EOF {
		p.expected("end of query")
	}
	return q, nil
}

type parser struct {
	lex  *rdfsyntax.Lexer
	src  string
	pro  rdfsyntax.Prologue
	tok  rdfsyntax.Token
	prev rdfsyntax.Token

	fresh      int                         // counter for made-up variables
	group      int                         // the basic graph pattern being read, for blank node labels
	groups     int                         // basic graph patterns so far
	bnodeGroup map[string]int              // blank node label -> the BGP it was first used in
	inTemplate bool                        // reading a CONSTRUCT template: blank nodes are terms
	nestedOnly bool                        // the group just read held only a nested group
	aggs       *[]algebra.AggregateBinding // where aggregates go; nil where none may stand
}

type stop struct{ err *errs.Error }

func (p *parser) next() {
	p.prev = p.tok
	p.tok = p.lex.Next()
}

// Tok and Next make the parser the rdfsyntax.Tokens its shared readers
// (prologue, IRIs, literals) take.
func (p *parser) Tok() rdfsyntax.Token { return p.tok }

// Next moves to the next token.
func (p *parser) Next() { p.next() }

// check reports what a shared reader found wrong.
func (p *parser) check(err *rdfsyntax.SyntaxError) {
	if err == nil {
		return
	}
	if err.Msg != "" {
		p.errorAt(err.At.Pos, "%s", err.Msg)
	}
	p.tok = err.At
	p.expected(err.Expected)
}

func (p *parser) errorAt(pos int, format string, args ...any) {
	panic(stop{rdfsyntax.ErrorAt(p.src, pos, format, args...)})
}

func (p *parser) expected(what string) {
	if p.tok.Kind == rdfsyntax.Illegal {
		p.errorAt(p.tok.Pos, "%s", p.tok.Text)
	}
	p.errorAt(p.tok.Pos, "expected %s, found %s", what, p.tok.Describe())
}

func (p *parser) expect(punct string) rdfsyntax.Token {
	t := p.tok
	if !t.Is(punct) {
		p.expected("'" + punct + "'")
	}
	p.next()
	return t
}

func (p *parser) accept(punct string) bool {
	if p.tok.Is(punct) {
		p.next()
		return true
	}
	return false
}

func (p *parser) acceptWord(w string) bool {
	if p.tok.IsWord(w) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expectWord(w string) {
	if !p.acceptWord(w) {
		p.expected(w)
	}
}

func (p *parser) newVar() string {
	p.fresh++
	return " v" + strconv.Itoa(p.fresh)
}

func (p *parser) query() *algebra.Query {
	p.prologue()
	q := &algebra.Query{}
	switch {
	case p.tok.IsWord("SELECT"):
		p.selectQuery(q)
	case p.tok.IsWord("CONSTRUCT"):
		p.constructQuery(q)
	case p.tok.IsWord("ASK"):
		p.next()
		q.Form = algebra.Ask
		q.Dataset = p.datasets()
		p.acceptWord("WHERE")
		q.Pattern = p.modifiers(p.groupGraphPattern(), nil)
	case p.tok.IsWord("DESCRIBE"):
		p.describeQuery(q)
	default:
		p.expected("SELECT, CONSTRUCT, ASK or DESCRIBE")
	}
	if p.tok.IsWord("VALUES") {
		p.next()
		q.Pattern = joinValues(q.Pattern, p.dataBlock())
	}
	q.Base = p.pro.Base
	return q
}

// joinValues joins a trailing VALUES clause under the query's projection
// and slice, as section 18.2.4.3 puts it after the other modifiers but the
// evaluation is the same.
func joinValues(p algebra.Pattern, t *algebra.Table) algebra.Pattern {
	switch x := p.(type) {
	case *algebra.Slice:
		x.Inner = joinValues(x.Inner, t)
		return x
	case *algebra.Distinct:
		x.Inner = joinValues(x.Inner, t)
		return x
	case *algebra.Reduced:
		x.Inner = joinValues(x.Inner, t)
		return x
	case *algebra.Project:
		x.Inner = joinValues(x.Inner, t)
		return x
	case *algebra.OrderBy:
		x.Inner = joinValues(x.Inner, t)
		return x
	}
	return &algebra.Join{Left: p, Right: t}
}

func (p *parser) prologue() {
	for {
		switch {
		case p.tok.IsWord("BASE") || p.tok.IsWord("PREFIX"):
			prefix := p.tok.IsWord("PREFIX")
			p.next()
			p.check(p.pro.ReadDirective(p, prefix))
		default:
			return
		}
	}
}

func (p *parser) datasets() *algebra.Dataset {
	var ds *algebra.Dataset
	for p.acceptWord("FROM") {
		if ds == nil {
			ds = &algebra.Dataset{}
		}
		named := p.acceptWord("NAMED")
		iri := string(p.iri())
		if named {
			ds.Named = append(ds.Named, iri)
		} else {
			ds.Default = append(ds.Default, iri)
		}
	}
	return ds
}

func (p *parser) isIRI() bool { return rdfsyntax.IsIRI(p.tok) }

func (p *parser) iri() quad.IRI {
	iri, err := p.pro.ReadIRI(p, "IRI")
	p.check(err)
	return iri
}

func (p *parser) selectQuery(q *algebra.Query) {
	q.Form = algebra.Select
	sc := p.selectClause()
	q.Dataset = p.datasets()
	p.acceptWord("WHERE")
	where := p.groupGraphPattern()
	q.Pattern, q.Vars = p.finishSelect(sc, where)
}

func (p *parser) constructQuery(q *algebra.Query) {
	p.next()
	q.Form = algebra.Construct
	if p.tok.Is("{") {
		p.next()
		p.inTemplate = true
		q.Template = p.triplesTemplate("}")
		p.inTemplate = false
		p.expect("}")
		q.Dataset = p.datasets()
		p.acceptWord("WHERE")
		q.Pattern = p.modifiers(p.groupGraphPattern(), nil)
		return
	}
	q.Dataset = p.datasets()
	p.expectWord("WHERE")
	p.expect("{")
	p.newGroup()
	q.Template = p.triplesTemplate("}")
	p.expect("}")
	q.Pattern = p.modifiers(&algebra.BGP{Triples: q.Template}, nil)
	// The template's blank nodes are the pattern's variables here.
	for i, t := range q.Template {
		q.Template[i] = algebra.Triple{S: bnodeTerm(t.S), P: t.P, O: bnodeTerm(t.O)}
	}
}

// bnodeTerm turns a blank-node variable of a pattern into the blank node of
// a template.
func bnodeTerm(t algebra.Term) algebra.Term {
	if len(t.Var) > 2 && t.Var[:2] == "_:" {
		return algebra.C(quad.BNode(t.Var[2:]))
	}
	return t
}

func (p *parser) describeQuery(q *algebra.Query) {
	p.next()
	q.Form = algebra.Describe
	star := p.accept("*")
	for !star && (p.tok.Kind == rdfsyntax.Var || p.isIRI()) {
		if p.tok.Kind == rdfsyntax.Var {
			q.Describe = append(q.Describe, algebra.V(p.tok.Text))
			p.next()
		} else {
			q.Describe = append(q.Describe, algebra.C(p.iri()))
		}
	}
	if !star && len(q.Describe) == 0 {
		p.expected("variable, IRI or '*' after DESCRIBE")
	}
	q.Dataset = p.datasets()
	var where algebra.Pattern = &algebra.BGP{}
	if p.acceptWord("WHERE") || p.tok.Is("{") {
		where = p.groupGraphPattern()
	}
	pat := p.modifiers(where, nil)
	if star {
		for _, v := range algebra.InScope(where) {
			if !algebra.Hidden(v) {
				q.Describe = append(q.Describe, algebra.V(v))
			}
		}
	}
	q.Pattern = pat
}
