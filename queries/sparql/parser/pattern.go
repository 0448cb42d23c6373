package parser

import (
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/rdfsyntax"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// block collects the triple patterns of one triples block: plain triples,
// and property paths that are more than an IRI.
type block struct {
	triples []algebra.Triple
	paths   []*algebra.PathPattern
}

func (b *block) empty() bool { return len(b.triples) == 0 && len(b.paths) == 0 }

func (b *block) pattern() algebra.Pattern {
	var out algebra.Pattern = &algebra.BGP{Triples: b.triples}
	if len(b.triples) == 0 && len(b.paths) > 0 {
		out = nil
	}
	for _, pp := range b.paths {
		out = join(out, pp)
	}
	return out
}

// join joins two patterns, leaving out the empty group, which is the
// identity of join.
func join(l, r algebra.Pattern) algebra.Pattern {
	if isEmptyGroup(l) {
		return r
	}
	if isEmptyGroup(r) {
		return l
	}
	return &algebra.Join{Left: l, Right: r}
}

func isEmptyGroup(p algebra.Pattern) bool {
	if p == nil {
		return true
	}
	b, ok := p.(*algebra.BGP)
	return ok && len(b.Triples) == 0
}

func (p *parser) newGroup() {
	p.groups++
	p.group = p.groups
}

func (p *parser) groupGraphPattern() algebra.Pattern {
	g, _ := p.group2()
	return g
}

// group2 reads a group graph pattern; ownFilter reports that the group
// ends in its own FILTER (which OPTIONAL turns into its condition), as
// opposed to a filter of a group nested in it.
func (p *parser) group2() (g algebra.Pattern, ownFilter bool) {
	p.expect("{")
	p.newGroup()
	if p.tok.IsWord("SELECT") {
		sub := p.subSelect()
		p.expect("}")
		p.newGroup()
		return sub, false
	}
	g = p.groupSub()
	_, ownFilter = g.(*algebra.Filter)
	if ownFilter && p.nestedOnly {
		ownFilter = false
	}
	p.expect("}")
	p.newGroup()
	return g, ownFilter
}

func (p *parser) subSelect() algebra.Pattern {
	saved := p.aggs
	defer func() { p.aggs = saved }()
	sc := p.selectClause()
	p.acceptWord("WHERE")
	where := p.groupGraphPattern()
	pat, _ := p.finishSelect(sc, where)
	if p.acceptWord("VALUES") {
		pat = joinValues(pat, p.dataBlock())
	}
	return pat
}

func (p *parser) groupSub() algebra.Pattern {
	var (
		g       algebra.Pattern = &algebra.BGP{}
		filters []algebra.Expr
		cur     block
	)
	flush := func() {
		if !cur.empty() {
			g = join(g, cur.pattern())
			cur = block{}
		}
	}
	// A group that holds one nested group and nothing else is that group,
	// but its filter is not the outer group's own.
	elements, nested := 0, false
	for {
		t := p.tok
		switch {
		case t.Is("}") || t.Kind == rdfsyntax.EOF:
			flush()
			p.nestedOnly = elements == 1 && nested && len(filters) == 0
			if len(filters) > 0 {
				g = &algebra.Filter{Exprs: filters, Inner: g}
			}
			return g
		case t.IsWord("FILTER"):
			p.next()
			filters = append(filters, p.constraint())
		case t.IsWord("OPTIONAL"):
			p.next()
			flush()
			a, own := p.group2()
			if f, ok := a.(*algebra.Filter); ok && own {
				g = &algebra.LeftJoin{Left: g, Right: f.Inner, Expr: and(f.Exprs)}
			} else {
				g = &algebra.LeftJoin{Left: g, Right: a}
			}
		case t.IsWord("MINUS"):
			p.next()
			flush()
			g = &algebra.Minus{Left: g, Right: p.groupGraphPattern()}
		case t.IsWord("GRAPH"):
			p.next()
			flush()
			name := p.varOrIRI()
			g = join(g, &algebra.Graph{Name: name, Inner: p.groupGraphPattern()})
		case t.IsWord("SERVICE"):
			p.next()
			flush()
			silent := p.acceptWord("SILENT")
			name := p.varOrIRI()
			g = join(g, &algebra.Service{Name: name, Inner: p.groupGraphPattern(), Silent: silent})
		case t.IsWord("BIND"):
			p.next()
			flush()
			p.expect("(")
			e := p.expression()
			p.expectWord("AS")
			vt := p.tok
			v := p.variable()
			p.expect(")")
			if algebra.Contains(algebra.InScope(g), v) {
				p.errorAt(vt.Pos, "BIND assigns ?%s, which the group already binds", v)
			}
			g = &algebra.Extend{Inner: g, Var: v, Expr: e}
			p.newGroup()
		case t.IsWord("VALUES"):
			p.next()
			flush()
			g = join(g, p.dataBlock())
			p.newGroup()
		case t.Is("{"):
			flush()
			nested = true
			a := p.groupGraphPattern()
			for p.acceptWord("UNION") {
				a = &algebra.Union{Left: a, Right: p.groupGraphPattern()}
			}
			g = join(g, a)
		default:
			if !p.startsTerm() {
				p.expected("triple pattern, FILTER, OPTIONAL, MINUS, GRAPH, BIND, VALUES, '{' or '}'")
			}
			elements++
			p.triplesSameSubject(&cur, true)
			if !p.accept(".") {
				if p.startsTerm() {
					p.expected("'.' between triple patterns")
				}
			}
			continue
		}
		elements++
		p.accept(".")
	}
}

func and(es []algebra.Expr) algebra.Expr {
	e := es[0]
	for _, x := range es[1:] {
		e = &algebra.Call{Op: "&&", Args: []algebra.Expr{e, x}}
	}
	return e
}

// startsTerm reports whether the token can begin a triple pattern.
func (p *parser) startsTerm() bool {
	switch p.tok.Kind {
	case rdfsyntax.Var, rdfsyntax.IRIRef, rdfsyntax.PNameLN, rdfsyntax.PNameNS, rdfsyntax.BlankNode,
		rdfsyntax.String, rdfsyntax.Integer, rdfsyntax.Decimal, rdfsyntax.Double:
		return true
	case rdfsyntax.Word:
		return rdfsyntax.IsBoolean(p.tok)
	case rdfsyntax.Punct:
		return p.tok.Text == "[" || p.tok.Text == "(" || p.tok.Text == "+" || p.tok.Text == "-"
	}
	return false
}

// triplesTemplate reads triple patterns (no paths) up to the closing token.
func (p *parser) triplesTemplate(end string) []algebra.Triple {
	var b block
	for !p.tok.Is(end) {
		p.triplesSameSubject(&b, false)
		if !p.accept(".") {
			break
		}
	}
	return b.triples
}

func (p *parser) triplesSameSubject(b *block, paths bool) {
	if p.tok.Is("[") || p.tok.Is("(") {
		// A triples node may stand alone ([ :p 1 ] .) or be a subject.
		if p.tok.Is("[") && p.peekIs("]") || p.tok.Is("(") && p.peekIs(")") {
			s := p.graphNode(b, paths)
			p.propertyList(b, s, paths, true)
			return
		}
		s := p.graphNode(b, paths)
		if p.startsVerb(paths) {
			p.propertyList(b, s, paths, false)
		}
		return
	}
	s := p.varOrTerm()
	p.propertyList(b, s, paths, true)
}

// peekIs reports whether the token after the current one is punct.
func (p *parser) peekIs(punct string) bool {
	saved := *p.lex
	t := p.lex.Next()
	*p.lex = saved
	return t.Is(punct)
}

func (p *parser) startsVerb(paths bool) bool {
	switch {
	case p.tok.Kind == rdfsyntax.Var || p.isIRI() || p.tok.Kind == rdfsyntax.Word && p.tok.Text == "a":
		return true
	case paths:
		return p.tok.Is("^") || p.tok.Is("!") || p.tok.Is("(")
	}
	return false
}

func (p *parser) propertyList(b *block, s algebra.Term, paths, required bool) {
	if !p.startsVerb(paths) {
		if required {
			p.expected("predicate")
		}
		return
	}
	for {
		if p.tok.Kind == rdfsyntax.Var {
			v := algebra.V(p.tok.Text)
			p.next()
			p.objectList(b, s, nil, v, paths)
		} else if paths {
			path := p.path()
			if l, ok := path.(*algebra.Link); ok {
				p.objectList(b, s, nil, algebra.C(l.IRI), paths)
			} else {
				p.objectList(b, s, path, algebra.Term{}, paths)
			}
		} else {
			p.objectList(b, s, nil, p.verb(), paths)
		}
		if !p.tok.Is(";") {
			return
		}
		for p.accept(";") {
		}
		if !p.startsVerb(paths) {
			return
		}
	}
}

func (p *parser) verb() algebra.Term {
	if p.tok.Kind == rdfsyntax.Word && p.tok.Text == "a" {
		p.next()
		return algebra.C(quad.IRI(rdfsyntax.RDF + "type"))
	}
	return algebra.C(p.iri())
}

func (p *parser) objectList(b *block, s algebra.Term, path algebra.Path, pred algebra.Term, paths bool) {
	for {
		o := p.graphNode(b, paths)
		if path != nil {
			p.addPath(b, s, path, o)
		} else {
			b.triples = append(b.triples, algebra.Triple{S: s, P: pred, O: o})
		}
		if !p.accept(",") {
			return
		}
	}
}

// addPath translates a path pattern (section 18.2.2.4): sequences become
// joins through fresh variables, inverse links become swapped triples, and
// what is left stays a path.
func (p *parser) addPath(b *block, s algebra.Term, path algebra.Path, o algebra.Term) {
	switch x := path.(type) {
	case *algebra.Link:
		b.triples = append(b.triples, algebra.Triple{S: s, P: algebra.C(x.IRI), O: o})
	case *algebra.Inverse:
		if l, ok := x.Path.(*algebra.Link); ok {
			b.triples = append(b.triples, algebra.Triple{S: o, P: algebra.C(l.IRI), O: s})
			return
		}
		b.paths = append(b.paths, &algebra.PathPattern{S: s, Path: path, O: o})
	case *algebra.Sequence:
		mid := algebra.V(p.newVar())
		p.addPath(b, s, x.Left, mid)
		p.addPath(b, mid, x.Right, o)
	default:
		b.paths = append(b.paths, &algebra.PathPattern{S: s, Path: path, O: o})
	}
}

// graphNode reads an object or subject: a term, a collection, or a blank
// node with properties.
func (p *parser) graphNode(b *block, paths bool) algebra.Term {
	switch {
	case p.tok.Is("["):
		p.next()
		n := p.anon()
		if !p.accept("]") {
			p.propertyList(b, n, paths, true)
			p.expect("]")
		}
		return n
	case p.tok.Is("("):
		p.next()
		if p.accept(")") {
			return algebra.C(quad.IRI(rdfsyntax.RDF + "nil"))
		}
		var head, prev algebra.Term
		for !p.accept(")") {
			cell := p.anon()
			if prev.IsVar() || prev.Value != nil {
				b.triples = append(b.triples, algebra.Triple{S: prev, P: algebra.C(quad.IRI(rdfsyntax.RDF + "rest")), O: cell})
			} else {
				head = cell
			}
			o := p.graphNode(b, paths)
			b.triples = append(b.triples, algebra.Triple{S: cell, P: algebra.C(quad.IRI(rdfsyntax.RDF + "first")), O: o})
			prev = cell
		}
		b.triples = append(b.triples, algebra.Triple{S: prev, P: algebra.C(quad.IRI(rdfsyntax.RDF + "rest")), O: algebra.C(quad.IRI(rdfsyntax.RDF + "nil"))})
		return head
	}
	return p.varOrTerm()
}

// anon is a fresh blank node: a hidden variable in a pattern, a blank node
// in a template.
func (p *parser) anon() algebra.Term {
	p.fresh++
	label := "anon" + itoa(p.fresh)
	if p.inTemplate {
		return algebra.C(quad.BNode(" " + label))
	}
	return algebra.V("_: " + label)
}

func (p *parser) varOrIRI() algebra.Term {
	if p.tok.Kind == rdfsyntax.Var {
		v := algebra.V(p.tok.Text)
		p.next()
		return v
	}
	if !p.isIRI() {
		p.expected("variable or IRI")
	}
	return algebra.C(p.iri())
}

func (p *parser) variable() string {
	if p.tok.Kind != rdfsyntax.Var {
		p.expected("variable")
	}
	v := p.tok.Text
	p.next()
	return v
}

func (p *parser) varOrTerm() algebra.Term {
	t := p.tok
	switch t.Kind {
	case rdfsyntax.Var:
		p.next()
		return algebra.V(t.Text)
	case rdfsyntax.BlankNode:
		p.next()
		if p.inTemplate {
			return algebra.C(quad.BNode(t.Text))
		}
		if g, ok := p.bnodeGroup[t.Text]; ok && g != p.group {
			p.errorAt(t.Pos, "blank node _:%s is used in two basic graph patterns", t.Text)
		}
		p.bnodeGroup[t.Text] = p.group
		return algebra.V("_:" + t.Text)
	case rdfsyntax.Punct:
		if t.Text == "[" && p.peekIs("]") {
			p.next()
			p.next()
			return p.anon()
		}
		if t.Text == "(" && p.peekIs(")") {
			p.next()
			p.next()
			return algebra.C(quad.IRI(rdfsyntax.RDF + "nil"))
		}
	}
	v := p.literalOrIRI("RDF term")
	return algebra.C(v)
}

// literalOrIRI reads an IRI, literal, number or boolean.
func (p *parser) literalOrIRI(what string) quad.Value {
	if p.isIRI() {
		return p.iri()
	}
	v, err := p.pro.ReadLiteral(p, what)
	p.check(err)
	return v
}

func (p *parser) dataBlock() *algebra.Table {
	t := &algebra.Table{}
	if p.tok.Kind == rdfsyntax.Var {
		t.Vars = []string{p.variable()}
		p.expect("{")
		for !p.accept("}") {
			t.Rows = append(t.Rows, []quad.Value{p.dataValue()})
		}
		return t
	}
	p.expect("(")
	for !p.accept(")") {
		t.Vars = append(t.Vars, p.variable())
	}
	p.expect("{")
	for !p.accept("}") {
		open := p.expect("(")
		var row []quad.Value
		for !p.accept(")") {
			row = append(row, p.dataValue())
		}
		if len(row) != len(t.Vars) {
			p.errorAt(open.Pos, "VALUES row has %d values for %d variables", len(row), len(t.Vars))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (p *parser) dataValue() quad.Value {
	if p.acceptWord("UNDEF") {
		return nil
	}
	return p.literalOrIRI("value or UNDEF")
}
