package eval

import (
	"fmt"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// collect runs a node and keeps its solutions.
func collect(x *exec, n node, in row) []row {
	var out []row
	n.run(x, in, func(r row) bool {
		out = append(out, r)
		return true
	})
	return out
}

// hashed is the solutions of one side of a join, by the values of the
// shared variables; those that leave one of them unbound are apart.
type hashed struct {
	slots  []int
	byKey  map[any][]row
	loose  []row
	all    []row
	cached bool
}

func hashRows(rows []row, slots []int) *hashed {
	h := &hashed{slots: slots, byKey: map[any][]row{}, all: rows}
	for _, r := range rows {
		if allBound(r, slots) {
			k := hashKey(r, slots)
			h.byKey[k] = append(h.byKey[k], r)
		} else {
			h.loose = append(h.loose, r)
		}
	}
	return h
}

func allBound(r row, slots []int) bool {
	for _, s := range slots {
		if !r.b[s].bound() {
			return false
		}
	}
	return true
}

// each calls f with every row that may be compatible with l.
func (h *hashed) each(l row, f func(row) bool) bool {
	if len(h.slots) == 0 || !allBound(l, h.slots) {
		for _, r := range h.all {
			if compatible(l, r) && !f(r) {
				return false
			}
		}
		return true
	}
	for _, r := range h.byKey[hashKey(l, h.slots)] {
		if compatible(l, r) && !f(r) {
			return false
		}
	}
	for _, r := range h.loose {
		if compatible(l, r) && !f(r) {
			return false
		}
	}
	return true
}

// joinNode joins two patterns: by feeding each left solution to the right
// side (bind), or by a hash join on the shared variables.
type joinNode struct {
	left, right node
	bind        bool
	shared      []int
}

func (n *joinNode) run(x *exec, in row, emit func(row) bool) bool {
	if n.bind {
		return n.left.run(x, in, func(l row) bool { return n.right.run(x, l, emit) })
	}
	h := hashRows(collect(x, n.right, in), n.shared)
	if x.err != nil {
		return false
	}
	return n.left.run(x, in, func(l row) bool {
		return h.each(l, func(r row) bool { return emit(x.merge(l, r)) })
	})
}

func (n *joinNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	if n.bind {
		b.WriteString("join (index nested loop: each left solution into the right)\n")
	} else {
		fmt.Fprintf(b, "join (hash on %d shared variables)\n", len(n.shared))
	}
	n.left.explain(b, depth+1)
	n.right.explain(b, depth+1)
}

// leftJoinNode is OPTIONAL.
type leftJoinNode struct {
	left, right node
	expr        expr
	bind        bool
	shared      []int
}

func (n *leftJoinNode) run(x *exec, in row, emit func(row) bool) bool {
	keep := func(m row) bool {
		if n.expr == nil {
			return true
		}
		v, ok := n.expr(x, m)
		if !ok {
			return false
		}
		b, ok := ebv(v)
		return ok && b
	}
	if n.bind {
		return n.left.run(x, in, func(l row) bool {
			matched := false
			if !n.right.run(x, l, func(m row) bool {
				if keep(m) {
					matched = true
					return emit(m)
				}
				return true
			}) {
				return false
			}
			return matched || emit(l)
		})
	}
	h := hashRows(collect(x, n.right, in), n.shared)
	if x.err != nil {
		return false
	}
	return n.left.run(x, in, func(l row) bool {
		matched := false
		if !h.each(l, func(r row) bool {
			m := x.merge(l, r)
			if keep(m) {
				matched = true
				return emit(m)
			}
			return true
		}) {
			return false
		}
		return matched || emit(l)
	})
}

func (n *leftJoinNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	how := "hash"
	if n.bind {
		how = "index nested loop"
	}
	filter := ""
	if n.expr != nil {
		filter = ", with a filter"
	}
	fmt.Fprintf(b, "optional (%s%s)\n", how, filter)
	n.left.explain(b, depth+1)
	n.right.explain(b, depth+1)
}

// filterNode keeps the solutions whose expressions are all true.
type filterNode struct {
	inner node
	exprs []expr
}

func (n *filterNode) run(x *exec, in row, emit func(row) bool) bool {
	return n.inner.run(x, in, func(r row) bool {
		for _, e := range n.exprs {
			v, ok := e(x, r)
			if !ok {
				return true
			}
			if b, ok := ebv(v); !ok || !b {
				return true
			}
		}
		return emit(r)
	})
}

func (n *filterNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	fmt.Fprintf(b, "filter (%d conditions)\n", len(n.exprs))
	n.inner.explain(b, depth+1)
}

type unionNode struct{ left, right node }

func (n *unionNode) run(x *exec, in row, emit func(row) bool) bool {
	return n.left.run(x, in, emit) && n.right.run(x, in, emit)
}

func (n *unionNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	b.WriteString("union\n")
	n.left.explain(b, depth+1)
	n.right.explain(b, depth+1)
}

// minusNode removes the left solutions that some right solution, sharing a
// variable with it, is compatible with.
type minusNode struct {
	left, right node
	shared      []int
}

func (n *minusNode) run(x *exec, in row, emit func(row) bool) bool {
	if len(n.shared) == 0 {
		return n.left.run(x, in, emit) // no shared variable: MINUS removes nothing
	}
	h := hashRows(collect(x, n.right, x.newRow()), n.shared)
	if x.err != nil {
		return false
	}
	return n.left.run(x, in, func(l row) bool {
		removed := false
		h.each(l, func(r row) bool {
			for _, s := range n.shared {
				if l.b[s].bound() && r.b[s].bound() {
					removed = true
					return false
				}
			}
			return true
		})
		return removed || emit(l)
	})
}

func (n *minusNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	b.WriteString("minus\n")
	n.left.explain(b, depth+1)
	n.right.explain(b, depth+1)
}

// graphNode is GRAPH: direct when the inner triple patterns match the
// graph themselves, else a run of the inner pattern in each named graph.
type graphNode struct {
	inner  node
	g      place
	direct bool
}

func (n *graphNode) run(x *exec, in row, emit func(row) bool) bool {
	if n.direct {
		return n.inner.run(x, in, emit)
	}
	graphs := x.namedGraphs()
	switch {
	case n.g.slot < 0:
		graphs = []cgraph.Ref{n.g.c.ref}
	case in.b[n.g.slot].bound():
		graphs = []cgraph.Ref{in.b[n.g.slot].ref}
	}
	saved := x.curGraph
	defer func() { x.curGraph = saved }()
	for _, g := range graphs {
		if g == nil || !x.ds.named.hasLabel(x, g, false) {
			continue
		}
		x.curGraph = g
		name := binding{ref: g}
		ok := n.inner.run(x, in, func(r row) bool {
			if n.g.slot < 0 {
				return emit(r)
			}
			if cur := r.b[n.g.slot]; cur.bound() {
				if !cur.same(name) {
					return true
				}
				return emit(r)
			}
			out := x.clone(r)
			out.b[n.g.slot] = name
			return emit(out)
		})
		if !ok {
			return false
		}
	}
	return true
}

func (n *graphNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	if n.direct {
		fmt.Fprintf(b, "graph %s (its triple patterns match the graph)\n", n.g)
	} else {
		fmt.Fprintf(b, "graph %s (once for each named graph)\n", n.g)
	}
	n.inner.explain(b, depth+1)
}

// namedGraphs lists the named graphs of the dataset, once a run.
func (x *exec) namedGraphs() []cgraph.Ref {
	if x.graphs != nil {
		return x.graphs
	}
	x.graphs = []cgraph.Ref{}
	if !x.ds.named.all {
		x.graphs = x.ds.named.list
		return x.graphs
	}
	seen := map[any]bool{}
	it := x.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	for it.Next(x.ctx) {
		l, err := x.qs.QuadDirection(it.Result(), quad.Label)
		if err != nil {
			x.fail(err)
			break
		}
		if l != nil && !seen[l.Key()] && x.nameOf(l) != nil {
			seen[l.Key()] = true
			x.graphs = append(x.graphs, l)
		}
	}
	return x.graphs
}

// extendNode is BIND.
type extendNode struct {
	inner    node
	slot     int
	name     string
	expr     expr
	copyFrom int // the variable an expression that is just a variable names
}

func (n *extendNode) run(x *exec, in row, emit func(row) bool) bool {
	return n.inner.run(x, in, func(r row) bool {
		var b binding
		if n.copyFrom >= 0 {
			b = r.b[n.copyFrom]
		} else if v, ok := n.expr(x, r); ok {
			b = x.bind(v)
		}
		if !b.bound() {
			return emit(r)
		}
		if cur := r.b[n.slot]; cur.bound() {
			if !cur.same(b) {
				return true
			}
			return emit(r)
		}
		out := x.clone(r)
		out.b[n.slot] = b
		return emit(out)
	})
}

func (n *extendNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	fmt.Fprintf(b, "bind ?%s\n", strings.TrimSpace(n.name))
	n.inner.explain(b, depth+1)
}

// tableNode is VALUES.
type tableNode struct {
	slots []int
	names []string
	rows  [][]binding
}

func (n *tableNode) run(x *exec, in row, emit func(row) bool) bool {
	for _, vals := range n.rows {
		r := x.clone(in)
		ok := true
		for i, s := range n.slots {
			v := vals[i]
			if !v.bound() {
				continue
			}
			if r.b[s].bound() {
				ok = r.b[s].same(v)
			} else {
				r.b[s] = v
			}
			if !ok {
				break
			}
		}
		if ok && !emit(r) {
			return false
		}
	}
	return true
}

func (n *tableNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	fmt.Fprintf(b, "values (%d rows of %d variables)\n", len(n.rows), len(n.slots))
}

func dirOf(i int) quad.Direction { return quad.Subject + quad.Direction(i) }
