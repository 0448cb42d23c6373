package eval

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
)

// orderCompare is ORDER BY's order of terms (section 15.1): unbound, blank
// nodes, IRIs, literals; literals by value where comparable.
func orderCompare(a, b quad.Value) int {
	rank := func(v quad.Value) int {
		switch v.(type) {
		case nil:
			return 0
		case quad.BNode:
			return 1
		case quad.IRI:
			return 2
		}
		return 3
	}
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra - rb
	}
	switch ra {
	case 0:
		return 0
	case 1, 2:
		return strings.Compare(a.String(), b.String())
	}
	if c, ok := compare(a, b); ok {
		return c
	}
	la, _ := asLiteral(a)
	lb, _ := asLiteral(b)
	// Simple literals before others, then by datatype, then lexically.
	if (la.dt == xsdString) != (lb.dt == xsdString) {
		if la.dt == xsdString {
			return -1
		}
		return 1
	}
	if c := strings.Compare(string(la.dt), string(lb.dt)); c != 0 {
		return c
	}
	if c := strings.Compare(la.lex, lb.lex); c != 0 {
		return c
	}
	return strings.Compare(la.lang, lb.lang)
}

// orderNode sorts solutions (a stable sort: ties keep their order).
type orderNode struct {
	inner node
	keys  []expr
	desc  []bool
}

func (n *orderNode) run(x *exec, in row, emit func(row) bool) bool {
	rows := collect(x, n.inner, in)
	if x.err != nil {
		return false
	}
	vals := make([][]quad.Value, len(rows))
	for i, r := range rows {
		vals[i] = make([]quad.Value, len(n.keys))
		for j, k := range n.keys {
			if v, ok := k(x, r); ok {
				vals[i][j] = v
			}
		}
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		for j := range n.keys {
			c := orderCompare(vals[idx[a]][j], vals[idx[b]][j])
			if n.desc[j] {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	for _, i := range idx {
		if !emit(rows[i]) {
			return false
		}
	}
	return true
}

func (n *orderNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	fmt.Fprintf(b, "order by (%d keys)\n", len(n.keys))
	n.inner.explain(b, depth+1)
}

// projectNode keeps some variables. Run with a solution to substitute, it
// runs its inner pattern on its own and joins the result with the solution,
// as a subquery is evaluated.
type projectNode struct {
	inner node
	keep  []int
	names []string
}

func (n *projectNode) run(x *exec, in row, emit func(row) bool) bool {
	empty := !in.any()
	return n.inner.run(x, x.newRow(), func(r row) bool {
		out := x.newRow()
		for _, s := range n.keep {
			out.b[s] = r.b[s]
		}
		out.ev = r.ev
		if empty {
			return emit(out)
		}
		if !compatible(out, in) {
			return true
		}
		return emit(x.merge(out, in))
	})
}

func (n *projectNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	var vs []string
	for _, v := range n.names {
		vs = append(vs, "?"+v)
	}
	fmt.Fprintf(b, "project %s\n", strings.Join(vs, " "))
	n.inner.explain(b, depth+1)
}

// distinctNode removes duplicate solutions; with evidence, a solution
// carries the evidence of all its duplicates, so none leaves before all are
// seen.
type distinctNode struct {
	inner   node
	reduced bool
	slots   []int // the slots a solution may bind: those of the projection below
}

func (n *distinctNode) rowKey(r row) any {
	if n.slots != nil {
		return hashKey(r, n.slots)
	}
	ks := make([]any, len(r.b)+1)
	ks[0] = "r"
	for i, b := range r.b {
		if b.bound() {
			ks[i+1] = b.key()
		}
	}
	return sliceKey(ks)
}

func (n *distinctNode) run(x *exec, in row, emit func(row) bool) bool {
	seen := map[any]int{}
	if !x.ev {
		var ids idSet // of one variable's values the store holds, on an id reader
		one := x.rd != nil && len(n.slots) == 1
		return n.inner.run(x, in, func(r row) bool {
			if one {
				if id := x.bid(r.b[n.slots[0]]); id != 0 {
					return !ids.add(id, x.rd.MaxID()) || emit(r)
				}
			}
			k := n.rowKey(r)
			if _, dup := seen[k]; dup {
				return true
			}
			seen[k] = 0
			return emit(r)
		})
	}
	var rows []row
	n.inner.run(x, in, func(r row) bool {
		k := n.rowKey(r)
		if at, dup := seen[k]; dup {
			rows[at].ev = append(rows[at].ev, r.ev...)
			return true
		}
		seen[k] = len(rows)
		rows = append(rows, r)
		return true
	})
	if x.err != nil {
		return false
	}
	for _, r := range rows {
		if !emit(r) {
			return false
		}
	}
	return true
}

func (n *distinctNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	if n.reduced {
		b.WriteString("reduced (as distinct)\n")
	} else {
		b.WriteString("distinct\n")
	}
	n.inner.explain(b, depth+1)
}

// sliceNode is OFFSET and LIMIT; it stops its input once it has enough.
type sliceNode struct {
	inner         node
	offset, limit int
}

func (n *sliceNode) run(x *exec, in row, emit func(row) bool) bool {
	if n.limit == 0 {
		return true
	}
	i, sent := 0, 0
	stopped := false
	empty := !in.any()
	n.inner.run(x, x.newRow(), func(r row) bool {
		i++
		if i <= n.offset {
			return true
		}
		if !empty {
			if !compatible(r, in) {
				return true
			}
			r = x.merge(r, in)
		}
		if !emit(r) {
			stopped = true
			return false
		}
		sent++
		return n.limit < 0 || sent < n.limit
	})
	return !stopped && x.err == nil
}

func (n *sliceNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	if n.limit >= 0 {
		fmt.Fprintf(b, "slice (offset %d, limit %d)\n", n.offset, n.limit)
	} else {
		fmt.Fprintf(b, "slice (offset %d)\n", n.offset)
	}
	n.inner.explain(b, depth+1)
}
