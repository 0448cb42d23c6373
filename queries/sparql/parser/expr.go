package parser

import (
	"strings"

	"github.com/factgraph/factgraph/internal/rdfsyntax"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// builtins gives each built-in function its least and greatest number of
// arguments (-1: any number).
var builtins = map[string][2]int{
	"str": {1, 1}, "lang": {1, 1}, "langmatches": {2, 2}, "datatype": {1, 1}, "bound": {1, 1},
	"iri": {1, 1}, "uri": {1, 1}, "bnode": {0, 1}, "rand": {0, 0}, "abs": {1, 1}, "ceil": {1, 1},
	"floor": {1, 1}, "round": {1, 1}, "concat": {0, -1}, "strlen": {1, 1}, "ucase": {1, 1},
	"lcase": {1, 1}, "encode_for_uri": {1, 1}, "contains": {2, 2}, "strstarts": {2, 2},
	"strends": {2, 2}, "strbefore": {2, 2}, "strafter": {2, 2}, "year": {1, 1}, "month": {1, 1},
	"day": {1, 1}, "hours": {1, 1}, "minutes": {1, 1}, "seconds": {1, 1}, "timezone": {1, 1},
	"tz": {1, 1}, "now": {0, 0}, "uuid": {0, 0}, "struuid": {0, 0}, "md5": {1, 1}, "sha1": {1, 1},
	"sha256": {1, 1}, "sha384": {1, 1}, "sha512": {1, 1}, "coalesce": {0, -1}, "if": {3, 3},
	"strlang": {2, 2}, "strdt": {2, 2}, "sameterm": {2, 2}, "isiri": {1, 1}, "isuri": {1, 1},
	"isblank": {1, 1}, "isliteral": {1, 1}, "isnumeric": {1, 1}, "regex": {2, 3},
	"substr": {2, 3}, "replace": {3, 4},
}

var aggregateNames = map[string]bool{
	"count": true, "sum": true, "min": true, "max": true, "avg": true, "sample": true, "group_concat": true,
}

func (p *parser) expression() algebra.Expr {
	l := p.andExpr()
	for p.accept("||") {
		l = &algebra.Call{Op: "||", Args: []algebra.Expr{l, p.andExpr()}}
	}
	return l
}

func (p *parser) andExpr() algebra.Expr {
	l := p.relational()
	for p.accept("&&") {
		l = &algebra.Call{Op: "&&", Args: []algebra.Expr{l, p.relational()}}
	}
	return l
}

func (p *parser) relational() algebra.Expr {
	l := p.additive()
	for _, op := range []string{"=", "!=", "<", ">", "<=", ">="} {
		if p.accept(op) {
			return &algebra.Call{Op: op, Args: []algebra.Expr{l, p.additive()}}
		}
	}
	not := false
	if p.tok.IsWord("NOT") {
		p.next()
		not = true
		if !p.tok.IsWord("IN") {
			p.expected("IN after NOT")
		}
	}
	if p.acceptWord("IN") {
		return &algebra.In{Expr: l, List: p.expressionList(), Not: not}
	}
	return l
}

func (p *parser) expressionList() []algebra.Expr {
	p.expect("(")
	var out []algebra.Expr
	if p.accept(")") {
		return out
	}
	out = append(out, p.expression())
	for p.accept(",") {
		out = append(out, p.expression())
	}
	p.expect(")")
	return out
}

func (p *parser) additive() algebra.Expr {
	l := p.multiplicative()
	for {
		switch {
		case p.tok.Is("+") || p.tok.Is("-"):
			op := p.tok.Text
			p.next()
			l = &algebra.Call{Op: op, Args: []algebra.Expr{l, p.multiplicative()}}
		default:
			return l
		}
	}
}

func (p *parser) multiplicative() algebra.Expr {
	l := p.unary()
	for p.tok.Is("*") || p.tok.Is("/") {
		op := p.tok.Text
		p.next()
		l = &algebra.Call{Op: op, Args: []algebra.Expr{l, p.unary()}}
	}
	return l
}

func (p *parser) unary() algebra.Expr {
	switch {
	case p.accept("!"):
		return &algebra.Call{Op: "!", Args: []algebra.Expr{p.primary()}}
	case p.tok.Is("+"):
		p.next()
		return &algebra.Call{Op: "u+", Args: []algebra.Expr{p.primary()}}
	case p.tok.Is("-"):
		p.next()
		return &algebra.Call{Op: "u-", Args: []algebra.Expr{p.primary()}}
	}
	return p.primary()
}

func (p *parser) primary() algebra.Expr {
	t := p.tok
	switch {
	case t.Is("("):
		p.next()
		e := p.expression()
		p.expect(")")
		return e
	case t.Kind == rdfsyntax.Var:
		p.next()
		return &algebra.VarRef{Name: t.Text}
	case t.Kind == rdfsyntax.Word && !rdfsyntax.IsBoolean(t):
		return p.builtinCall()
	case p.isIRI():
		iri := p.iri()
		if !p.tok.Is("(") {
			return &algebra.Const{Value: iri}
		}
		return p.functionCall(string(iri))
	}
	return &algebra.Const{Value: p.literalOrIRI("expression")}
}

func (p *parser) functionCall(iri string) algebra.Expr {
	p.expect("(")
	c := &algebra.Call{Op: iri}
	if p.accept(")") {
		return c
	}
	if p.tok.IsWord("DISTINCT") {
		p.errorAt(p.tok.Pos, "DISTINCT is only for aggregates, and <%s> is none factgraph knows", iri)
	}
	c.Args = append(c.Args, p.expression())
	for p.accept(",") {
		c.Args = append(c.Args, p.expression())
	}
	p.expect(")")
	return c
}

// constraint is what FILTER, HAVING and ORDER BY take: a bracketed
// expression or a function call.
func (p *parser) constraint() algebra.Expr {
	switch {
	case p.tok.Is("("):
		p.next()
		e := p.expression()
		p.expect(")")
		return e
	case p.tok.Kind == rdfsyntax.Word:
		return p.builtinCall()
	case p.isIRI():
		return p.functionCall(string(p.iri()))
	}
	p.expected("'(' or function call")
	return nil
}

func (p *parser) builtinCall() algebra.Expr {
	t := p.tok
	name := strings.ToLower(t.Text)
	switch {
	case name == "exists":
		p.next()
		return &algebra.Exists{Pattern: p.existsPattern()}
	case name == "not":
		p.next()
		p.expectWord("EXISTS")
		return &algebra.Exists{Pattern: p.existsPattern(), Not: true}
	case aggregateNames[name]:
		return p.aggregate()
	}
	arity, ok := builtins[name]
	if !ok {
		p.errorAt(t.Pos, "unknown function %s", t.Text)
	}
	p.next()
	if name == "bound" {
		p.expect("(")
		v := p.variable()
		p.expect(")")
		return &algebra.Call{Op: "bound", Args: []algebra.Expr{&algebra.VarRef{Name: v}}}
	}
	open := p.tok
	args := p.expressionList()
	if len(args) < arity[0] || arity[1] >= 0 && len(args) > arity[1] {
		want := itoa(arity[0])
		if arity[1] != arity[0] {
			want += " to " + itoa(arity[1])
		}
		p.errorAt(open.Pos, "%s takes %s arguments, found %d", strings.ToUpper(name), want, len(args))
	}
	return &algebra.Call{Op: name, Args: args}
}

// existsPattern reads the group of EXISTS; its blank nodes are its own.
func (p *parser) existsPattern() algebra.Pattern {
	saved := p.group
	g := p.groupGraphPattern()
	p.group = saved
	return g
}

func (p *parser) aggregate() algebra.Expr {
	t := p.tok
	name := strings.ToLower(t.Text)
	if p.aggs == nil {
		p.errorAt(t.Pos, "aggregate %s is allowed only in SELECT, HAVING and ORDER BY", strings.ToUpper(name))
	}
	p.next()
	p.expect("(")
	a := &algebra.Aggregate{Name: name, Distinct: p.acceptWord("DISTINCT"), Separator: " "}
	outer := p.aggs
	p.aggs = nil // no aggregate inside another
	if name == "count" && p.accept("*") {
		a.Arg = nil
	} else {
		a.Arg = p.expression()
	}
	if name == "group_concat" && p.accept(";") {
		p.expectWord("SEPARATOR")
		p.expect("=")
		if p.tok.Kind != rdfsyntax.String {
			p.expected("string")
		}
		a.Separator = p.tok.Text
		p.next()
	}
	p.expect(")")
	p.aggs = outer
	p.fresh++
	v := " agg" + itoa(p.fresh)
	*p.aggs = append(*p.aggs, algebra.AggregateBinding{Var: v, Agg: a})
	return &algebra.VarRef{Name: v}
}
