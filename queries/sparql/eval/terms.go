package eval

import (
	"fmt"
	"math/bits"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// termsNode is SELECT DISTINCT ?x over a union of triple patterns of
// variables alone, ?x in each: the distinct terms at some positions of the
// default graph's triples. On an id reader it marks the ids of one pass over
// the quads in a bitset, and counts them without a pass when the store's
// own count is the answer; elsewhere, and when evidence is wanted, it runs
// the plan it stands for.
type termsNode struct {
	slot     int
	dirs     [3]bool // the positions ?x takes
	fallback node
}

// planTerms returns a termsNode for a DISTINCT of a, or nil when a is not
// such a pattern.
func (p *planner) planTerms(a *algebra.Distinct, g graphCtx, fallback func() node) node {
	prj, ok := a.Inner.(*algebra.Project)
	if !ok || len(prj.Vars) != 1 || g.named {
		return nil
	}
	x := prj.Vars[0]
	var dirs [3]bool
	var walk func(algebra.Pattern) bool
	walk = func(a algebra.Pattern) bool {
		switch a := a.(type) {
		case *algebra.Union:
			return walk(a.Left) && walk(a.Right)
		case *algebra.BGP:
			if len(a.Triples) != 1 {
				return false
			}
			t := a.Triples[0]
			terms := [3]algebra.Term{t.S, t.P, t.O}
			at := -1
			for i, term := range terms {
				if !term.IsVar() {
					return false
				}
				for _, other := range terms[:i] {
					if other.Var == term.Var {
						return false // the same variable twice constrains the triple
					}
				}
				if term.Var == x {
					at = i
				}
			}
			if at < 0 {
				return false
			}
			dirs[at] = true
			return true
		}
		return false
	}
	if !walk(prj.Inner) {
		return nil
	}
	return &termsNode{slot: p.slot(x), dirs: dirs, fallback: fallback()}
}

// fast reports whether the run can read the terms from the reader's ids.
func (n *termsNode) fast(x *exec, in row) bool {
	return x.rd != nil && !x.ev && !in.any() && (x.ds.def.all || x.ds.def.unlabeled)
}

// terms marks the ids of the terms.
func (n *termsNode) terms(x *exec) idSet {
	rd := x.rd
	set := make(idSet, rd.MaxID()/64+1)
	c := x.cursor()
	defer x.done(c)
	unlabeled := !x.ds.def.all
	for rd.Scan(c, [4]uint32{}); c.Next(); {
		if !x.alive() {
			return nil
		}
		ids := c.IDs()
		if unlabeled && ids[3] != 0 {
			continue
		}
		for i, on := range n.dirs {
			if on {
				set.add(ids[i], 0)
			}
		}
	}
	return set
}

func (n *termsNode) run(x *exec, in row, emit func(row) bool) bool {
	if !n.fast(x, in) {
		return n.fallback.run(x, in, emit)
	}
	set := n.terms(x)
	if x.err != nil {
		return false
	}
	for w, word := range set {
		for word != 0 {
			id := uint32(w*64 + bits.TrailingZeros64(word))
			word &= word - 1
			out := x.newRow()
			out.b[n.slot] = binding{ref: x.rd.Node(id), id: id}
			if !emit(out) {
				return false
			}
		}
	}
	return true
}

// count returns the number of solutions run would give, and whether it
// could count them without running.
func (n *termsNode) count(x *exec, in row) (int64, bool) {
	if !n.fast(x, in) {
		return 0, false
	}
	c := x.rd.Counts()
	// With no labels, the store's nodes are the terms at every position.
	if c.Labeled == 0 && n.dirs == [3]bool{true, true, true} {
		return c.Nodes, true
	}
	set := n.terms(x)
	if x.err != nil {
		return 0, false
	}
	total := 0
	for _, w := range set {
		total += bits.OnesCount64(w)
	}
	return int64(total), true
}

func (n *termsNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	var at []string
	for i, on := range n.dirs {
		if on {
			at = append(at, strings.ToLower(quad.Direction(i+1).String()))
		}
	}
	fmt.Fprintf(b, "distinct terms at %s (counted from the store's ids when it reads in them)\n", strings.Join(at, ", "))
	n.fallback.explain(b, depth+1)
}
