package eval

import (
	"fmt"
	"slices"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// pathNode matches a property path between two places.
type pathNode struct {
	s, o  place
	path  algebra.Path
	graph graphCtx
	preds map[algebra.Path][]cgraph.Ref // the refs of each link's and negated set's IRIs
}

func (p *planner) planPath(a *algebra.PathPattern, g graphCtx) node {
	n := &pathNode{s: p.place(a.S), o: p.place(a.O), path: a.Path, graph: g, preds: map[algebra.Path][]cgraph.Ref{}}
	var walk func(algebra.Path)
	walk = func(pa algebra.Path) {
		switch x := pa.(type) {
		case *algebra.Link:
			n.preds[pa] = []cgraph.Ref{p.refs.refOf(x.IRI)}
		case *algebra.NegatedSet:
			for _, iri := range append(append([]quad.IRI(nil), x.Forward...), x.Backward...) {
				n.preds[pa] = append(n.preds[pa], p.refs.refOf(iri))
			}
		case *algebra.Inverse:
			walk(x.Path)
		case *algebra.Sequence:
			walk(x.Left)
			walk(x.Right)
		case *algebra.Alternative:
			walk(x.Left)
			walk(x.Right)
		case *algebra.ZeroOrMore:
			walk(x.Path)
		case *algebra.OneOrMore:
			walk(x.Path)
		case *algebra.ZeroOrOne:
			walk(x.Path)
		}
	}
	walk(a.Path)
	return n
}

func (n *pathNode) explain(b *strings.Builder, depth int) {
	indent(b, depth)
	fmt.Fprintf(b, "path %s %s %s\n", n.s, algebra.FormatPath(n.path), n.o)
}

// pathRun is one evaluation of a path in one graph.
type pathRun struct {
	x      *exec
	n      *pathNode
	label  cgraph.Ref // the named graph, or nil for the default graph
	zeroOK func(binding) bool
}

func (n *pathNode) run(x *exec, in row, emit func(row) bool) bool {
	if !n.graph.named {
		return n.runIn(x, &pathRun{x: x, n: n}, in, emit)
	}
	g := n.graph.g
	switch {
	case n.graph.dynamic:
		return n.runIn(x, &pathRun{x: x, n: n, label: x.curGraph}, in, emit)
	case g.slot < 0:
		if g.c.ref == nil || !x.ds.named.hasLabel(x, g.c.ref, false) {
			return true
		}
		return n.runIn(x, &pathRun{x: x, n: n, label: g.c.ref}, in, emit)
	case in.b[g.slot].bound():
		ref := in.b[g.slot].ref
		if ref == nil || !x.ds.named.hasLabel(x, ref, false) {
			return true
		}
		return n.runIn(x, &pathRun{x: x, n: n, label: ref}, in, emit)
	}
	for _, l := range x.namedGraphs() {
		r := x.clone(in)
		r.b[g.slot] = binding{ref: l}
		if !n.runIn(x, &pathRun{x: x, n: n, label: l}, r, emit) {
			return false
		}
	}
	return true
}

func (n *pathNode) resolve(pl place, r row) (binding, bool) {
	if pl.slot < 0 {
		return pl.c, true
	}
	if b := r.b[pl.slot]; b.bound() {
		return b, true
	}
	return binding{}, false
}

func (n *pathNode) runIn(x *exec, pr *pathRun, in row, emit func(row) bool) bool {
	s, sFixed := n.resolve(n.s, in)
	o, oFixed := n.resolve(n.o, in)
	bindEnd := func(r row, pl place, b binding) (row, bool) {
		if pl.slot < 0 {
			return r, pl.c.same(b)
		}
		if cur := r.b[pl.slot]; cur.bound() {
			return r, cur.same(b)
		}
		out := x.clone(r)
		out.b[pl.slot] = b
		return out, true
	}
	// A zero-length path starts only from a node of the graph, or from a
	// term the query itself names.
	pr.zeroOK = func(b binding) bool { return b.ref != nil }
	if n.s.slot < 0 || n.o.slot < 0 {
		pr.zeroOK = func(binding) bool { return true }
	}
	// With evidence, a solution carries the quads of the walk that reached
	// its end (for a closure, the first and shortest found).
	withWalk := func(r row, e reach) row {
		if len(e.walk) > 0 {
			r.ev = append(slices.Clip(r.ev), e.walk...)
		}
		return r
	}
	switch {
	case sFixed:
		for _, e := range pr.eval(n.path, reach{b: s}, true) {
			if out, ok := bindEnd(in, n.o, e.b); ok && !emit(withWalk(out, e)) {
				return false
			}
		}
	case oFixed:
		for _, e := range pr.eval(n.path, reach{b: o}, false) {
			if out, ok := bindEnd(in, n.s, e.b); ok && !emit(withWalk(out, e)) {
				return false
			}
		}
	default:
		for _, start := range pr.nodes() {
			r, _ := bindEnd(in, n.s, start)
			for _, e := range pr.eval(n.path, reach{b: start}, true) {
				if out, ok := bindEnd(r, n.o, e.b); ok && !emit(withWalk(out, e)) {
					return false
				}
			}
			if !x.alive() {
				return false
			}
		}
	}
	return x.err == nil
}

// nodes lists the subjects and objects of the run's graph.
func (pr *pathRun) nodes() []binding {
	x := pr.x
	shape := x.qs.QuadsAllIterator()
	if pr.label != nil {
		shape = x.qs.QuadIterator(quad.Label, pr.label)
	}
	sc := shape.Iterate()
	defer sc.Close()
	seen := map[any]bool{}
	var out []binding
	for sc.Next(x.ctx) {
		q := sc.Result()
		if !pr.inGraph(q) {
			continue
		}
		for _, d := range []quad.Direction{quad.Subject, quad.Object} {
			ref, err := x.qs.QuadDirection(q, d)
			if err != nil || ref == nil {
				continue
			}
			if !seen[ref.Key()] {
				seen[ref.Key()] = true
				out = append(out, binding{ref: ref})
			}
		}
	}
	return out
}

func (pr *pathRun) inGraph(q cgraph.Ref) bool {
	l, err := pr.x.qs.QuadDirection(q, quad.Label)
	if err != nil {
		return false
	}
	if pr.label != nil {
		return l != nil && l.Key() == pr.label.Key()
	}
	return pr.x.ds.def.hasLabel(pr.x, l, true)
}

// reach is a node a path leads to, and, with evidence, the quads of the
// walk that led there.
type reach struct {
	b    binding
	walk []cgraph.Ref
}

// step follows one link from a node: forward to objects of quads whose
// predicate ok accepts, or backward to their subjects.
func (pr *pathRun) step(from reach, forward bool, ok func(p cgraph.Ref) bool, out *[]reach) {
	x := pr.x
	if from.b.ref == nil {
		return
	}
	d, other := quad.Subject, quad.Object
	if !forward {
		d, other = quad.Object, quad.Subject
	}
	sc := x.qs.QuadIterator(d, from.b.ref).Iterate()
	defer sc.Close()
	for sc.Next(x.ctx) {
		q := sc.Result()
		p, err := x.qs.QuadDirection(q, quad.Predicate)
		if err != nil || p == nil || !ok(p) || !pr.inGraph(q) {
			continue
		}
		ref, err := x.qs.QuadDirection(q, other)
		if err != nil || ref == nil {
			continue
		}
		e := reach{b: binding{ref: ref}}
		if x.ev {
			e.walk = append(slices.Clip(from.walk), q)
		}
		*out = append(*out, e)
	}
}

func inRefs(p cgraph.Ref, set []cgraph.Ref) bool {
	for _, r := range set {
		if r != nil && r.Key() == p.Key() {
			return true
		}
	}
	return false
}

// eval returns the nodes a path leads to from a node (forward) or comes
// from (backward): with repeats for links, sequences and alternatives, as
// the translation into joins and unions has them, and once each for the
// closures *, + and ?.
func (pr *pathRun) eval(p algebra.Path, from reach, forward bool) []reach {
	var out []reach
	switch x := p.(type) {
	case *algebra.Link:
		pred := pr.n.preds[p][0]
		if pred == nil {
			return nil
		}
		pr.step(from, forward, func(r cgraph.Ref) bool { return r.Key() == pred.Key() }, &out)
	case *algebra.NegatedSet:
		set := pr.n.preds[p]
		fwdSet, bwdSet := set[:len(x.Forward)], set[len(x.Forward):]
		if x.HasForward || !x.HasBackward {
			pr.step(from, forward, func(r cgraph.Ref) bool { return !inRefs(r, fwdSet) }, &out)
		}
		if x.HasBackward {
			pr.step(from, !forward, func(r cgraph.Ref) bool { return !inRefs(r, bwdSet) }, &out)
		}
	case *algebra.Inverse:
		return pr.eval(x.Path, from, !forward)
	case *algebra.Sequence:
		first, second := x.Left, x.Right
		if !forward {
			first, second = second, first
		}
		for _, m := range pr.eval(first, from, forward) {
			out = append(out, pr.eval(second, m, forward)...)
		}
	case *algebra.Alternative:
		out = append(pr.eval(x.Left, from, forward), pr.eval(x.Right, from, forward)...)
	case *algebra.ZeroOrOne:
		seen := map[any]bool{from.b.key(): true}
		if pr.zeroOK(from.b) {
			out = append(out, from)
		}
		for _, e := range pr.eval(x.Path, from, forward) {
			if !seen[e.b.key()] {
				seen[e.b.key()] = true
				out = append(out, e)
			}
		}
	case *algebra.ZeroOrMore:
		out = pr.closure(x.Path, from, forward, true)
	case *algebra.OneOrMore:
		out = pr.closure(x.Path, from, forward, false)
	}
	return out
}

// closure is the nodes reached by one or more (or zero or more) steps of a
// path, each once, breadth first: the walk to each is one of the shortest.
func (pr *pathRun) closure(p algebra.Path, from reach, forward, zero bool) []reach {
	seen := map[any]bool{}
	var out, frontier []reach
	if zero && pr.zeroOK(from.b) {
		seen[from.b.key()] = true
		out = append(out, from)
	}
	frontier = append(frontier, from)
	for depth := 0; len(frontier) > 0 && pr.x.alive(); depth++ {
		if pr.x.maxDepth > 0 && depth == pr.x.maxDepth {
			for _, f := range frontier {
				for _, e := range pr.eval(p, f, forward) {
					if !seen[e.b.key()] {
						pr.x.warnOnce(fmt.Sprintf("a property path closure (%s) stopped at its depth bound of %d; more nodes lie beyond it (raise --max-depth, or max_depth on HTTP)", algebra.FormatPath(p)+"*", pr.x.maxDepth))
						return out
					}
				}
			}
			return out
		}
		var next []reach
		for _, f := range frontier {
			for _, e := range pr.eval(p, f, forward) {
				if !seen[e.b.key()] {
					seen[e.b.key()] = true
					out = append(out, e)
					next = append(next, e)
				}
			}
		}
		frontier = next
	}
	return out
}
