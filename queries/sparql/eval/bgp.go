package eval

import (
	"fmt"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// place is one position of a quad pattern: a variable's slot, or a constant.
type place struct {
	slot int // -1 for a constant
	c    binding
	name string // the variable's name, for plans
}

// graphCtx is the graph a pattern matches in: the default graph, or a named
// graph given by a constant or a variable.
type graphCtx struct {
	named bool
	g     place
	// dynamic: the graph is the one the enclosing GRAPH is running its
	// pattern in (exec.curGraph), and binds no variable itself.
	dynamic bool
}

// quadPattern is a triple pattern in its graph.
type quadPattern struct {
	s, p, o place
	graph   graphCtx
	size    int64 // quads matching its constants, as the store counts them
	exact   bool
}

var dirs = [3]quad.Direction{quad.Subject, quad.Predicate, quad.Object}

func (q *quadPattern) places() [3]place { return [3]place{q.s, q.p, q.o} }

// at returns position i of the pattern: subject, predicate, object, graph.
func (q *quadPattern) at(i int) *place {
	switch i {
	case 0:
		return &q.s
	case 1:
		return &q.p
	case 2:
		return &q.o
	}
	return &q.graph.g
}

func (q *quadPattern) String() string {
	var parts []string
	for _, pl := range q.places() {
		parts = append(parts, pl.String())
	}
	s := strings.Join(parts, " ")
	switch {
	case q.graph.dynamic:
		s = "GRAPH (each) { " + s + " }"
	case q.graph.named:
		s = "GRAPH " + q.graph.g.String() + " { " + s + " }"
	}
	return s
}

func (pl place) String() string {
	if pl.slot >= 0 {
		return algebra.V(pl.name).String()
	}
	if pl.c.v == nil {
		return "UNDEF"
	}
	return pl.c.v.String()
}

// bgpNode matches a basic graph pattern, triple by triple, in the order that
// makes each step cheapest given what is bound.
type bgpNode struct {
	pats   []*quadPattern
	total  int64            // quads in the store
	orders map[string][]int // pattern order by the slots bound on entry
	// transient: a solution is let go before the next (see transient).
	transient bool
}

func (n *bgpNode) run(x *exec, in row, emit func(row) bool) bool {
	if len(n.pats) == 0 {
		return emit(in)
	}
	order := n.order(in)
	var step func(i int, r row) bool
	step = func(i int, r row) bool {
		if i == len(order) {
			return emit(r)
		}
		next := func(r2 row) bool { return step(i+1, r2) }
		if x.rd != nil {
			// The rows of a step but the last live only while the next
			// step reads them: they may share one buffer.
			return x.matchIDs(n.pats[order[i]], r, n.transient || i < len(order)-1, i > 0, next)
		}
		return x.match(n.pats[order[i]], r, next)
	}
	return step(0, in)
}

func boundMask(r row) string {
	b := make([]byte, len(r.b))
	for i, x := range r.b {
		if x.bound() {
			b[i] = 1
		}
	}
	return string(b)
}

// order returns the order of the patterns for a run whose input binds what
// in binds: greedily the pattern with the fewest expected matches, where a
// variable bound already makes a pattern small.
func (n *bgpNode) order(in row) []int {
	mask := boundMask(in)
	if o, ok := n.orders[mask]; ok {
		return o
	}
	bound := map[int]bool{}
	for i, x := range in.b {
		if x.bound() {
			bound[i] = true
		}
	}
	placed := make([]bool, len(n.pats))
	var out []int
	for len(out) < len(n.pats) {
		best, bestCost := -1, float64(0)
		for i, p := range n.pats {
			if placed[i] {
				continue
			}
			if c := n.cost(p, bound); best < 0 || c < bestCost {
				best, bestCost = i, c
			}
		}
		placed[best] = true
		out = append(out, best)
		pl := n.pats[best].places()
		for _, pl := range append(pl[:], n.pats[best].graph.g) {
			if pl.slot >= 0 {
				bound[pl.slot] = true
			}
		}
	}
	if n.orders == nil {
		n.orders = map[string][]int{}
	}
	n.orders[mask] = out
	return out
}

func (n *bgpNode) cost(p *quadPattern, bound map[int]bool) float64 {
	c := float64(p.size)
	pl := p.places()
	joined := false
	for i, x := range pl {
		if x.slot >= 0 && bound[x.slot] {
			joined = true
			if i == 1 {
				c = min(c, float64(n.total)/4)
			} else {
				c = min(c, 3)
			}
		}
	}
	if !joined && pl[0].slot >= 0 && pl[1].slot >= 0 && pl[2].slot >= 0 {
		c = float64(n.total) * 2
	}
	if p.graph.named && p.graph.g.slot >= 0 && bound[p.graph.g.slot] {
		c = min(c, float64(n.total)/2)
	}
	return c
}

func (n *bgpNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	b.WriteString("bgp (in order)\n")
	for _, i := range n.order(row{}) {
		p := n.pats[i]
		indent(b, depth+1)
		exact := "~"
		if p.exact {
			exact = ""
		}
		fmt.Fprintf(b, "%s   [%s%d quads]\n", p, exact, p.size)
	}
}

func indent(b *strings.Builder, depth int) { b.WriteString(strings.Repeat("  ", depth)) }

// fixed is a position of a quad pattern resolved for one row: its ref, or
// the slot it binds.
type fixed struct {
	dir  quad.Direction
	ref  cgraph.Ref
	slot int
	set  bool
}

// match finds the quads matching p under r and calls emit with r extended
// by each, read from the store's index of the most selective fixed position.
func (x *exec) match(p *quadPattern, r row, emit func(row) bool) bool {
	if x.rd != nil {
		return x.matchIDs(p, r, false, false, emit)
	}
	var pos [4]fixed
	places := [4]place{p.s, p.p, p.o, p.graph.g}
	n := 3
	if p.graph.named {
		n = 4
	}
	for i := 0; i < n; i++ {
		d := quad.Subject + quad.Direction(i)
		pl := places[i]
		pos[i] = fixed{dir: d, slot: -1}
		switch {
		case i == 3 && p.graph.dynamic:
			pos[i].ref, pos[i].set = x.curGraph, true
		case pl.slot < 0:
			if pl.c.ref == nil {
				return true // a constant the store does not hold matches nothing
			}
			pos[i].ref, pos[i].set = pl.c.ref, true
		case r.b[pl.slot].bound():
			if r.b[pl.slot].ref == nil {
				return true
			}
			pos[i].ref, pos[i].set = r.b[pl.slot].ref, true
		default:
			pos[i].slot = pl.slot
		}
	}
	// Scan the index of the most selective fixed position.
	scanDir := -1
	for _, i := range []int{0, 2, 3, 1} {
		if i < n && pos[i].set {
			scanDir = i
			break
		}
	}
	var it iterator.Scanner
	if scanDir >= 0 {
		it = x.qs.QuadIterator(pos[scanDir].dir, pos[scanDir].ref).Iterate()
	} else {
		it = x.qs.QuadsAllIterator().Iterate()
	}
	defer it.Close()
	// The default graph of several graphs is their merge: a triple found in
	// two of them is one solution. Only labeled quads need the check.
	multi := !p.graph.named && x.ds.def.multi()
	var set merged[[3]any]
	for it.Next(x.ctx) {
		if !x.alive() {
			return false
		}
		q := it.Result()
		out := r
		copied := false
		ok := true
		var refs [3]cgraph.Ref
		var label cgraph.Ref
		if !p.graph.named && (multi || !x.ds.def.all) {
			l, err := x.qs.QuadDirection(q, quad.Label)
			if err != nil {
				return x.fail(err)
			}
			if !x.ds.def.all && !x.ds.def.hasLabel(x, l, true) {
				continue
			}
			label = l
		}
		for i := 0; i < n && ok; i++ {
			if i == scanDir {
				if i < 3 {
					refs[i] = pos[i].ref
				}
				continue
			}
			ref, err := x.qs.QuadDirection(q, pos[i].dir)
			if err != nil {
				return x.fail(err)
			}
			if i < 3 {
				refs[i] = ref
			}
			switch {
			case pos[i].set:
				ok = ref != nil && ref.Key() == pos[i].ref.Key()
			case ref == nil:
				ok = false
			case i == 3 && !x.ds.named.hasLabel(x, ref, false):
				ok = false
			default:
				b := binding{ref: ref}
				if out.b[pos[i].slot].bound() {
					// The same variable twice in the pattern.
					ok = out.b[pos[i].slot].same(b)
					break
				}
				if !copied {
					out, copied = x.clone(out), true
				}
				out.b[pos[i].slot] = b
			}
		}
		if !ok {
			continue
		}
		if p.graph.named && pos[3].set && !x.ds.named.hasLabel(x, pos[3].ref, false) {
			continue
		}
		if x.ev {
			if !copied {
				out = x.clone(out)
			}
			out.ev = append(append([]cgraph.Ref(nil), r.ev...), q)
		}
		if multi && label != nil && refs[0] != nil && refs[1] != nil && refs[2] != nil {
			key := [3]any{refs[0].Key(), refs[1].Key(), refs[2].Key()}
			if !set.admit(x, key, out, q, func() bool { return x.unlabeledCopy(refs) }) {
				continue
			}
		}
		if !emit(out) {
			return false
		}
	}
	if err := it.Err(); err != nil {
		return x.fail(err)
	}
	return set.flush(emit) && x.err == nil
}

// merged makes the default graph of several graphs a set of triples, keyed
// by K: a triple found in two graphs is one solution, which carries the
// evidence of both.
type merged[K comparable] struct {
	seen     map[K]int // the solutions seen: their index in buffered, or -1
	buffered []row     // with evidence, solutions held until every copy is seen
}

// admit reports whether out, matched by labeled quad q of triple k, goes out
// now. A repeat of a triple adds its quad to the first's evidence; a triple
// the store also holds unlabeled (unlabeled reports it) comes from that quad
// instead; with evidence, a solution waits for flush.
func (m *merged[K]) admit(x *exec, k K, out row, q cgraph.Ref, unlabeled func() bool) bool {
	if m.seen == nil {
		m.seen = map[K]int{}
	}
	if at, dup := m.seen[k]; dup {
		if x.ev && at >= 0 {
			m.buffered[at].ev = append(m.buffered[at].ev, q)
		}
		return false
	}
	if (x.ds.def.all || x.ds.def.unlabeled) && unlabeled() {
		m.seen[k] = -1 // the unlabeled quad stands for the triple
		return false
	}
	if x.ev {
		m.seen[k] = len(m.buffered)
		m.buffered = append(m.buffered, x.clone(out)) // out may be a shared buffer
		return false
	}
	m.seen[k] = -1
	return true
}

// flush emits the solutions admit held.
func (m *merged[K]) flush(emit func(row) bool) bool {
	for _, b := range m.buffered {
		if !emit(b) {
			return false
		}
	}
	return true
}

// unlabeledCopy reports whether the store holds the triple without a label.
func (x *exec) unlabeledCopy(t [3]cgraph.Ref) bool {
	sc := x.qs.QuadIterator(quad.Subject, t[0]).Iterate()
	defer sc.Close()
	for sc.Next(x.ctx) {
		q := sc.Result()
		l, _ := x.qs.QuadDirection(q, quad.Label)
		if l != nil && x.nameOf(l) != nil {
			continue
		}
		p, _ := x.qs.QuadDirection(q, quad.Predicate)
		o, _ := x.qs.QuadDirection(q, quad.Object)
		if p != nil && o != nil && p.Key() == t[1].Key() && o.Key() == t[2].Key() {
			return true
		}
	}
	return false
}
