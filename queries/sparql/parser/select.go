package parser

import (
	"strconv"

	"github.com/factgraph/factgraph/internal/rdfsyntax"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// selectClause is what SELECT says, before the WHERE clause it projects.
type selectClause struct {
	distinct, reduced, star bool
	items                   []selectItem
	aggs                    []algebra.AggregateBinding
}

type selectItem struct {
	v    string
	expr algebra.Expr // nil for a plain variable
	pos  int
}

func (p *parser) selectClause() *selectClause {
	p.expectWord("SELECT")
	sc := &selectClause{}
	switch {
	case p.acceptWord("DISTINCT"):
		sc.distinct = true
	case p.acceptWord("REDUCED"):
		sc.reduced = true
	}
	if p.accept("*") {
		sc.star = true
		return sc
	}
	p.aggs = &sc.aggs
	defer func() { p.aggs = nil }()
	for {
		t := p.tok
		switch {
		case t.Kind == rdfsyntax.Var:
			p.next()
			sc.items = append(sc.items, selectItem{v: t.Text, pos: t.Pos})
			continue
		case t.Is("("):
			p.next()
			e := p.expression()
			p.expectWord("AS")
			vt := p.tok
			v := p.variable()
			p.expect(")")
			sc.items = append(sc.items, selectItem{v: v, expr: e, pos: vt.Pos})
			continue
		}
		break
	}
	if len(sc.items) == 0 {
		p.expected("variable, '(' or '*' after SELECT")
	}
	return sc
}

// finishSelect reads the solution modifiers of a SELECT and builds its
// algebra (section 18.2.4): group, aggregates, HAVING, select expressions,
// ORDER BY, projection, DISTINCT or REDUCED, and the slice.
func (p *parser) finishSelect(sc *selectClause, where algebra.Pattern) (algebra.Pattern, []string) {
	pat := p.modifiers(where, sc)
	var vars []string
	if prj, ok := innerProject(pat); ok {
		vars = prj.Vars
	}
	return pat, vars
}

func innerProject(p algebra.Pattern) (*algebra.Project, bool) {
	for {
		switch x := p.(type) {
		case *algebra.Project:
			return x, true
		case *algebra.Slice:
			p = x.Inner
		case *algebra.Distinct:
			p = x.Inner
		case *algebra.Reduced:
			p = x.Inner
		default:
			return nil, false
		}
	}
}

// modifiers reads GROUP BY, HAVING, ORDER BY, LIMIT and OFFSET after where,
// and builds the algebra of a query: with sc, a SELECT's; without, that of
// the other forms, which project nothing away.
func (p *parser) modifiers(where algebra.Pattern, sc *selectClause) algebra.Pattern {
	project := sc != nil
	if sc == nil {
		sc = &selectClause{star: true}
	}
	var aggs []algebra.AggregateBinding
	aggs = append(aggs, sc.aggs...)
	p.aggs = &aggs
	defer func() { p.aggs = nil }()

	var keys []algebra.GroupKey
	grouped := false
	if p.tok.IsWord("GROUP") {
		p.next()
		p.expectWord("BY")
		grouped = true
		for {
			t := p.tok
			switch {
			case t.Kind == rdfsyntax.Var:
				p.next()
				keys = append(keys, algebra.GroupKey{Expr: &algebra.VarRef{Name: t.Text}, Var: t.Text})
				continue
			case t.Is("("):
				p.next()
				p.aggs = nil
				e := p.expression()
				k := algebra.GroupKey{Expr: e}
				if p.acceptWord("AS") {
					k.Var = p.variable()
				}
				p.aggs = &aggs
				p.expect(")")
				keys = append(keys, k)
				continue
			case t.Kind == rdfsyntax.Word && !t.IsWord("HAVING") && !t.IsWord("ORDER") && !t.IsWord("LIMIT") && !t.IsWord("OFFSET") && !t.IsWord("VALUES"),
				p.isIRI():
				p.aggs = nil
				keys = append(keys, algebra.GroupKey{Expr: p.constraint()})
				p.aggs = &aggs
				continue
			}
			break
		}
		if len(keys) == 0 {
			p.expected("grouping condition after GROUP BY")
		}
	}
	var having []algebra.Expr
	if p.acceptWord("HAVING") {
		having = append(having, p.constraint())
		for p.tok.Is("(") || p.tok.Kind == rdfsyntax.Word && !p.tok.IsWord("ORDER") && !p.tok.IsWord("LIMIT") && !p.tok.IsWord("OFFSET") && !p.tok.IsWord("VALUES") || p.isIRI() {
			having = append(having, p.constraint())
		}
	}
	var order []algebra.OrderCond
	if p.tok.IsWord("ORDER") {
		p.next()
		p.expectWord("BY")
		for {
			t := p.tok
			switch {
			case t.IsWord("ASC") || t.IsWord("DESC"):
				p.next()
				p.expect("(")
				e := p.expression()
				p.expect(")")
				order = append(order, algebra.OrderCond{Expr: e, Desc: t.IsWord("DESC")})
				continue
			case t.Kind == rdfsyntax.Var:
				p.next()
				order = append(order, algebra.OrderCond{Expr: &algebra.VarRef{Name: t.Text}})
				continue
			case t.Is("(") || p.isIRI() || t.Kind == rdfsyntax.Word && !t.IsWord("LIMIT") && !t.IsWord("OFFSET") && !t.IsWord("VALUES"):
				order = append(order, algebra.OrderCond{Expr: p.constraint()})
				continue
			}
			break
		}
		if len(order) == 0 {
			p.expected("ordering condition after ORDER BY")
		}
	}
	offset, limit := 0, -1
	for i := 0; i < 2; i++ {
		switch {
		case p.tok.IsWord("LIMIT") && limit < 0:
			p.next()
			limit = p.count("LIMIT")
		case p.tok.IsWord("OFFSET") && offset == 0:
			p.next()
			offset = p.count("OFFSET")
		}
	}

	pat := where
	inWhere := algebra.InScope(where)
	if grouped || len(aggs) > 0 {
		if sc.star {
			p.errorAt(p.prev.Pos, "SELECT * is not allowed with GROUP BY or aggregates: name the columns")
		}
		pat = &algebra.Group{Inner: where, Keys: keys, Aggregates: aggs}
		// Only group keys, aggregates and earlier select expressions may be
		// used outside aggregates.
		ok := map[string]bool{}
		for _, k := range keys {
			if k.Var != "" {
				ok[k.Var] = true
			}
		}
		for _, a := range aggs {
			ok[a.Var] = true
		}
		for _, it := range sc.items {
			var used []string
			if it.expr == nil {
				used = []string{it.v}
			} else {
				used = algebra.ExprVars(it.expr)
			}
			for _, v := range used {
				if !ok[v] {
					p.errorAt(it.pos, "?%s is neither grouped nor aggregated: use it in GROUP BY or inside an aggregate", v)
				}
			}
			ok[it.v] = true
		}
	}
	if len(having) > 0 {
		pat = &algebra.Filter{Exprs: having, Inner: pat}
	}
	var vars []string
	if sc.star {
		for _, v := range inWhere {
			if !algebra.Hidden(v) {
				vars = append(vars, v)
			}
		}
	}
	bound := map[string]bool{}
	for _, v := range inWhere {
		bound[v] = true
	}
	if grouped || len(aggs) > 0 {
		bound = map[string]bool{}
		for _, k := range keys {
			if k.Var != "" {
				bound[k.Var] = true
			}
		}
	}
	for _, it := range sc.items {
		if it.expr != nil {
			if bound[it.v] || algebra.Contains(vars, it.v) {
				p.errorAt(it.pos, "SELECT assigns ?%s, which is already bound", it.v)
			}
			pat = &algebra.Extend{Inner: pat, Var: it.v, Expr: it.expr}
			bound[it.v] = true
		}
		if !algebra.Contains(vars, it.v) {
			vars = append(vars, it.v)
		}
	}
	if len(order) > 0 {
		pat = &algebra.OrderBy{Inner: pat, Conds: order}
	}
	if project {
		pat = &algebra.Project{Inner: pat, Vars: vars}
	}
	switch {
	case sc.distinct:
		pat = &algebra.Distinct{Inner: pat}
	case sc.reduced:
		pat = &algebra.Reduced{Inner: pat}
	}
	if offset > 0 || limit >= 0 {
		pat = &algebra.Slice{Inner: pat, Offset: offset, Limit: limit}
	}
	return pat
}

func (p *parser) count(what string) int {
	if p.tok.Kind != rdfsyntax.Integer {
		p.expected("integer after " + what)
	}
	n, err := strconv.Atoi(p.tok.Text)
	if err != nil {
		p.errorAt(p.tok.Pos, "%s %s is too large", what, p.tok.Text)
	}
	p.next()
	return n
}
