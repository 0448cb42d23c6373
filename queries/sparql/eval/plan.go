package eval

import (
	"context"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// node is a step of a plan. run calls emit with every solution of the
// pattern with in substituted into it (in's bindings merged in), and
// returns false once emit or an error stopped it.
type node interface {
	run(x *exec, in row, emit func(row) bool) bool
	explain(b *strings.Builder, depth int)
}

// planner turns algebra into a plan.
type planner struct {
	ctx   context.Context
	qs    cgraph.QuadStore
	slots map[string]int
	names []string
	base  string
	graph graphCtx
	total int64
	refs  *exec // for constants' refs while planning
}

func (p *planner) slot(name string) int {
	if s, ok := p.slots[name]; ok {
		return s
	}
	s := len(p.names)
	p.slots[name] = s
	p.names = append(p.names, name)
	return s
}

func (p *planner) place(t algebra.Term) place {
	if t.IsVar() {
		return place{slot: p.slot(t.Var), name: t.Var}
	}
	v := normalize(t.Value)
	return place{slot: -1, c: binding{v: v, ref: p.refs.refOf(v)}}
}

// substitutable reports a pattern whose answer under a substituted solution
// is its own answer joined with that solution, so that a join may feed it
// the left side's solutions one by one.
func substitutable(a algebra.Pattern) bool {
	switch a := a.(type) {
	case *algebra.BGP, *algebra.PathPattern, *algebra.Table:
		return true
	case *algebra.Graph:
		return substitutable(a.Inner)
	case *algebra.Join:
		return substitutable(a.Left) && substitutable(a.Right)
	case *algebra.Union:
		return substitutable(a.Left) && substitutable(a.Right)
	}
	return false
}

func (p *planner) plan(a algebra.Pattern, g graphCtx) node {
	saved := p.graph
	p.graph = g
	defer func() { p.graph = saved }()
	switch a := a.(type) {
	case *algebra.BGP:
		return p.planBGP(a.Triples, g)
	case *algebra.PathPattern:
		return p.planPath(a, g)
	case *algebra.Join:
		return p.planJoin(a, g)
	case *algebra.LeftJoin:
		n := &leftJoinNode{left: p.plan(a.Left, g), right: p.plan(a.Right, g), bind: substitutable(a.Right)}
		if a.Expr != nil {
			n.expr = p.compileExpr(a.Expr)
		}
		if !n.bind {
			n.shared = p.sharedSlots(a.Left, a.Right)
		}
		return n
	case *algebra.Filter:
		n := &filterNode{inner: p.plan(a.Inner, g)}
		for _, e := range a.Exprs {
			n.exprs = append(n.exprs, p.compileExpr(e))
		}
		return n
	case *algebra.Union:
		return &unionNode{left: p.plan(a.Left, g), right: p.plan(a.Right, g)}
	case *algebra.Minus:
		return &minusNode{left: p.plan(a.Left, g), right: p.plan(a.Right, g), shared: p.sharedSlots(a.Left, a.Right)}
	case *algebra.Graph:
		return p.planGraph(a)
	case *algebra.Extend:
		n := &extendNode{inner: p.plan(a.Inner, g), slot: p.slot(a.Var), name: a.Var, expr: p.compileExpr(a.Expr)}
		if v, ok := a.Expr.(*algebra.VarRef); ok {
			n.copyFrom = p.slot(v.Name)
		} else {
			n.copyFrom = -1
		}
		return n
	case *algebra.Table:
		return p.planTable(a)
	case *algebra.Group:
		return p.planGroup(a, g)
	case *algebra.OrderBy:
		n := &orderNode{inner: p.plan(a.Inner, g)}
		for _, c := range a.Conds {
			n.keys = append(n.keys, p.compileExpr(c.Expr))
			n.desc = append(n.desc, c.Desc)
		}
		return n
	case *algebra.Project:
		n := &projectNode{inner: transient(p.plan(a.Inner, g))}
		for _, v := range a.Vars {
			n.keep = append(n.keep, p.slot(v))
			n.names = append(n.names, v)
		}
		return n
	case *algebra.Distinct:
		plain := func() node { return &distinctNode{inner: p.plan(a.Inner, g), slots: p.projected(a.Inner)} }
		if n := p.planTerms(a, g, plain); n != nil {
			return n
		}
		return plain()
	case *algebra.Reduced:
		return &distinctNode{inner: p.plan(a.Inner, g), reduced: true, slots: p.projected(a.Inner)}
	case *algebra.Slice:
		return &sliceNode{inner: p.plan(a.Inner, g), offset: a.Offset, limit: a.Limit}
	case *algebra.Service:
		return &failNode{msg: "SERVICE is not supported: factgraph queries its own store only"}
	}
	return &failNode{msg: "unsupported pattern"}
}

func (p *planner) planBGP(ts []algebra.Triple, g graphCtx) node {
	n := &bgpNode{total: p.total}
	for _, t := range ts {
		q := &quadPattern{s: p.place(t.S), p: p.place(t.P), o: p.place(t.O), graph: g}
		q.size, q.exact = p.estimate(q)
		n.pats = append(n.pats, q)
	}
	return n
}

// estimate counts the quads that match a pattern's constants: the smallest
// of the store's counts for each.
func (p *planner) estimate(q *quadPattern) (int64, bool) {
	size, exact := p.total, true
	places := [4]place{q.s, q.p, q.o, q.graph.g}
	for i, pl := range places {
		if i == 3 && !q.graph.named {
			break
		}
		if pl.slot >= 0 {
			continue
		}
		if pl.c.ref == nil {
			return 0, true
		}
		sz, err := p.qs.QuadIteratorSize(p.ctx, dirOf(i), pl.c.ref)
		if err == nil && sz.Value < size {
			size, exact = sz.Value, sz.Exact
		}
	}
	return size, exact
}

func (p *planner) planJoin(a *algebra.Join, g graphCtx) node {
	n := &joinNode{left: p.plan(a.Left, g), right: p.plan(a.Right, g), bind: substitutable(a.Right)}
	if !n.bind {
		n.shared = p.sharedSlots(a.Left, a.Right)
	}
	return n
}

// sharedSlots are the variables both sides may bind.
func (p *planner) sharedSlots(l, r algebra.Pattern) []int {
	left := map[string]bool{}
	for _, v := range algebra.InScope(l) {
		left[v] = true
	}
	var out []int
	for _, v := range algebra.InScope(r) {
		if left[v] {
			out = append(out, p.slot(v))
		}
	}
	return out
}

func (p *planner) planGraph(a *algebra.Graph) node {
	g := graphCtx{named: true, g: p.place(a.Name)}
	// A pattern of triples and paths binds the graph itself, quad by quad;
	// anything else runs once in each named graph.
	if triplesOnly(a.Inner) {
		return &graphNode{inner: p.plan(a.Inner, g), g: g.g, direct: true}
	}
	inner := p.plan(a.Inner, graphCtx{named: true, dynamic: true})
	return &graphNode{inner: inner, g: g.g}
}

// triplesOnly reports a pattern of triple patterns and paths alone, each of
// which matches a graph, and at least one.
func triplesOnly(a algebra.Pattern) bool {
	switch a := a.(type) {
	case *algebra.BGP:
		return len(a.Triples) > 0
	case *algebra.PathPattern:
		return true
	case *algebra.Join:
		return triplesOnly(a.Left) && triplesOnly(a.Right)
	case *algebra.Union:
		return triplesOnly(a.Left) && triplesOnly(a.Right)
	}
	return false
}

func (p *planner) planTable(a *algebra.Table) node {
	n := &tableNode{}
	slots := make([]int, len(a.Vars))
	for i, v := range a.Vars {
		slots[i] = p.slot(v)
	}
	n.slots, n.names = slots, a.Vars
	for _, r := range a.Rows {
		var vals []binding
		for _, v := range r {
			if v == nil {
				vals = append(vals, binding{})
			} else {
				vals = append(vals, p.refs.bind(normalize(v)))
			}
		}
		n.rows = append(n.rows, vals)
	}
	return n
}

// projected returns the slots of a projection's variables, nil when the
// pattern is none.
func (p *planner) projected(a algebra.Pattern) []int {
	prj, ok := a.(*algebra.Project)
	if !ok {
		return nil
	}
	out := []int{}
	for _, v := range prj.Vars {
		out = append(out, p.slot(v))
	}
	return out
}

// transient marks the basic graph pattern that n is, or filters, as one
// whose solutions its consumer reads and lets go before the next (a
// projection copies what it keeps, a group what it counts): it may build
// them all in one buffer. It returns n.
func transient(n node) node {
	switch m := n.(type) {
	case *bgpNode:
		m.transient = true
	case *filterNode:
		transient(m.inner)
	}
	return n
}

// failNode is a pattern factgraph cannot run.
type failNode struct{ msg string }

func (n *failNode) run(x *exec, _ row, _ func(row) bool) bool {
	return x.fail(errs.Errorf(errs.Invalid, "%s", n.msg))
}

func (n *failNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	b.WriteString("unsupported: " + n.msg + "\n")
}
