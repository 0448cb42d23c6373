package eval

import (
	"fmt"
	"math/big"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// groupNode is GROUP BY with its aggregates.
type groupNode struct {
	inner    node
	keys     []expr
	keySlots []int  // the variable each key binds, -1 for none
	keyIsVar []bool // the key is that variable itself (GROUP BY ?x)
	aggs     []aggregate
}

type aggregate struct {
	slot     int
	name     string
	distinct bool
	arg      expr // nil for COUNT(*)
	argSlot  int  // the slot of an argument that is a variable, else -1
	sep      string
}

func (p *planner) planGroup(a *algebra.Group, g graphCtx) node {
	n := &groupNode{inner: transient(p.plan(a.Inner, g))}
	for _, k := range a.Keys {
		n.keys = append(n.keys, p.compileExpr(k.Expr))
		s := -1
		if k.Var != "" {
			s = p.slot(k.Var)
		}
		n.keySlots = append(n.keySlots, s)
		v, isVar := k.Expr.(*algebra.VarRef)
		n.keyIsVar = append(n.keyIsVar, isVar && v.Name == k.Var)
	}
	for _, b := range a.Aggregates {
		ag := aggregate{slot: p.slot(b.Var), name: b.Agg.Name, distinct: b.Agg.Distinct, sep: b.Agg.Separator, argSlot: -1}
		if b.Agg.Arg != nil {
			ag.arg = p.compileExpr(b.Agg.Arg)
			if v, ok := b.Agg.Arg.(*algebra.VarRef); ok {
				ag.argSlot = p.slot(v.Name)
			}
		}
		n.aggs = append(n.aggs, ag)
	}
	return n
}

func (n *groupNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	var aggs []string
	for _, a := range n.aggs {
		aggs = append(aggs, a.name)
	}
	fmt.Fprintf(b, "group (%d keys; %s)\n", len(n.keys), strings.Join(aggs, ", "))
	n.inner.explain(b, depth+1)
}

type group struct {
	keys   []binding
	states []aggState
	ev     []cgraph.Ref
}

// aggState is what an aggregate has seen of its group so far.
type aggState struct {
	n      int          // rows counted (COUNT)
	seen   map[any]bool // DISTINCT's values, or rows for COUNT(DISTINCT *)
	ids    idSet        // COUNT(DISTINCT ?v)'s values of the store, on an id reader
	vals   []quad.Value
	erred  bool
	sample quad.Value
}

func (n *groupNode) run(x *exec, in row, emit func(row) bool) bool {
	var groups []*group
	byKey := map[any]*group{}
	if g, ok := n.counted(x); ok {
		groups = append(groups, g)
	} else if x.err != nil {
		return false
	}
	var only *group // the group of every row when there are no keys
	ok := groups != nil || n.inner.run(x, x.newRow(), func(r row) bool {
		g := only
		if g == nil {
			g = n.groupOf(x, r, byKey, &groups)
			if len(n.keys) == 0 {
				only = g
			}
		}
		for i := range n.aggs {
			n.aggs[i].add(x, &g.states[i], r)
		}
		if x.ev {
			g.ev = append(g.ev, r.ev...)
		}
		return true
	})
	if !ok && x.err != nil {
		return false
	}
	return n.emitGroups(x, in, groups, emit)
}

// groupOf returns r's group, made and listed if it is the first row of it.
func (n *groupNode) groupOf(x *exec, r row, byKey map[any]*group, groups *[]*group) *group {
	keys := make([]binding, len(n.keys))
	ks := make([]any, len(n.keys)+1)
	ks[0] = "g"
	for i, k := range n.keys {
		if n.keyIsVar[i] {
			if b := r.b[n.keySlots[i]]; b.bound() {
				keys[i], ks[i+1] = b, b.key()
			}
			continue
		}
		if v, ok := k(x, r); ok {
			keys[i] = x.bind(v)
			ks[i+1] = keys[i].key()
		}
	}
	key := sliceKey(ks)
	g := byKey[key]
	if g == nil {
		g = n.newGroup(keys)
		byKey[key] = g
		*groups = append(*groups, g)
	}
	return g
}

func (n *groupNode) newGroup(keys []binding) *group {
	return &group{keys: keys, states: make([]aggState, len(n.aggs))}
}

// emitGroups emits a solution per group, merged with in.
func (n *groupNode) emitGroups(x *exec, in row, groups []*group, emit func(row) bool) bool {
	if len(groups) == 0 && len(n.keys) == 0 {
		groups = append(groups, n.newGroup(nil))
	}
	empty := !in.any()
	for _, g := range groups {
		out := x.newRow()
		for i, s := range n.keySlots {
			if s >= 0 {
				out.b[s] = g.keys[i]
			}
		}
		for i, a := range n.aggs {
			if v, ok := a.result(x, &g.states[i]); ok {
				out.b[a.slot] = x.bind(v)
			}
		}
		out.ev = g.ev
		if !empty {
			if !compatible(out, in) {
				continue
			}
			out = x.merge(out, in)
		}
		if !emit(out) {
			return false
		}
	}
	return true
}

// counter is a pattern that may count its solutions without making them.
type counter interface {
	count(x *exec, in row) (int64, bool)
}

// counted is the one group of a GROUP BY of no keys whose aggregates are all
// COUNT(*), when the pattern below counts its solutions itself.
func (n *groupNode) counted(x *exec) (*group, bool) {
	c, ok := n.inner.(counter)
	if !ok || len(n.keys) > 0 {
		return nil, false
	}
	for _, a := range n.aggs {
		if a.arg != nil || a.distinct {
			return nil, false
		}
	}
	total, ok := c.count(x, x.newRow())
	if !ok {
		return nil, false
	}
	g := n.newGroup(nil)
	for i := range g.states {
		g.states[i].n = int(total)
	}
	return g, true
}

// add takes one row of the group into the aggregate's state.
func (a aggregate) add(x *exec, st *aggState, r row) {
	switch {
	case a.arg == nil: // COUNT(*)
		if a.distinct {
			if st.seen == nil {
				st.seen = map[any]bool{}
			}
			ks := make([]any, len(r.b)+1)
			ks[0] = "r"
			for i, b := range r.b {
				if b.bound() {
					ks[i+1] = b.key()
				}
			}
			st.seen[sliceKey(ks)] = true
		}
		st.n++
		return
	case a.name == "count" && a.argSlot >= 0:
		// Counting a variable needs no values: bound or not, and its ref.
		b := r.b[a.argSlot]
		if !b.bound() {
			return
		}
		if a.distinct {
			if id := x.bid(b); id != 0 {
				if !st.ids.add(id, x.rd.MaxID()) {
					return
				}
				st.n++
				return
			}
			if st.seen == nil {
				st.seen = map[any]bool{}
			}
			if st.seen[b.key()] {
				return
			}
			st.seen[b.key()] = true
		}
		st.n++
		return
	}
	v, ok := a.arg(x, r)
	if !ok {
		st.erred = true
		return
	}
	if a.distinct {
		if st.seen == nil {
			st.seen = map[any]bool{}
		}
		k := x.bind(v).key()
		if st.seen[k] {
			return
		}
		st.seen[k] = true
	}
	st.n++
	switch a.name {
	case "sample":
		if st.sample == nil {
			st.sample = v
		}
	case "count":
	default:
		st.vals = append(st.vals, v)
	}
}

// result is the aggregate's value for the group.
func (a aggregate) result(x *exec, st *aggState) (quad.Value, bool) {
	if a.arg == nil {
		if a.distinct {
			return integer(int64(len(st.seen))), true
		}
		return integer(int64(st.n)), true
	}
	vals := st.vals
	erred := st.erred
	switch a.name {
	case "count":
		return integer(int64(st.n)), true
	case "sample":
		return st.sample, st.sample != nil
	case "sum", "avg":
		if erred {
			return nil, false
		}
		sum := number{kind: kInteger, i: new(big.Int)}
		add := arith('+')
		for _, v := range vals {
			s, ok := add(x, []quad.Value{sum.value(), v})
			if !ok {
				return nil, false
			}
			sum, _ = asNumber(s)
		}
		if a.name == "sum" {
			return sum.value(), true
		}
		if len(vals) == 0 {
			return integer(0), true
		}
		return arith('/')(x, []quad.Value{sum.value(), integer(int64(len(vals)))})
	case "min", "max":
		if len(vals) == 0 {
			return nil, false
		}
		best := vals[0]
		for _, v := range vals[1:] {
			c := orderCompare(v, best)
			if a.name == "min" && c < 0 || a.name == "max" && c > 0 {
				best = v
			}
		}
		return best, true
	case "group_concat":
		if erred {
			return nil, false
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			s, _, ok := stringArg(v)
			if !ok {
				lit, isLit := asLiteral(v)
				if !isLit {
					return nil, false
				}
				s = lit.lex
			}
			parts[i] = s
		}
		return quad.String(strings.Join(parts, a.sep)), true
	}
	return nil, false
}
