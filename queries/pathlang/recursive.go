package pathlang

import (
	"context"
	"fmt"
	"strconv"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/queries/trace"
)

// recursion is a repeated step (p+): the nodes reached from the current ones
// in 1 to maxDepth steps along preds, each once, at the depth it was first
// reached, breadth first. It is what Cayley's FollowRecursive computes, with
// two differences that evidence needs: a step follows only the quads of the
// label set in force (in source), and on a recording store (trace.Store)
// every node carries the chain of quads that reached it, every quad of each
// link included, as recorded tags.
//
// It is a shape.ValueFilter, the one hook by which a Cayley path hands the
// iterator built so far to code of ours (Path.Filters); its reversal (for
// back) is built by the compiler, not by Cayley.
type recursion struct {
	id       int // the query's recursive steps are numbered from 0
	dir      Direction
	preds    []quad.Value // nil: any predicate
	labels   []quad.Value // nil: any label
	maxDepth int
	depthTag string // tag of the number of steps that reached a node
}

func (r recursion) String() string {
	s := fmt.Sprintf("repeat %s", [...]string{Out: "->", In: "<-", Both: "<->"}[r.dir])
	if r.preds != nil {
		s += fmt.Sprintf(" %v", r.preds)
	}
	if r.labels != nil {
		s += fmt.Sprintf(" in labels %v", r.labels)
	}
	return s + fmt.Sprintf(" up to %d steps", r.maxDepth)
}

// BuildIterator implements shape.ValueFilter.
func (r recursion) BuildIterator(qs cgraph.QuadStore, base iterator.Shape) iterator.Shape {
	_, record := qs.(*trace.Store)
	return &recursiveIt{r: r, qs: qs, base: base, record: record}
}

// recursiveIt is the iterator of a recursion over the nodes of base.
type recursiveIt struct {
	r      recursion
	qs     cgraph.QuadStore
	base   iterator.Shape
	record bool
}

func (it *recursiveIt) String() string { return "Recursive(" + it.r.String() + ")" }

func (it *recursiveIt) Iterate() iterator.Scanner {
	return &recursiveScan{cursor: cursor{walk: it.newWalk()}}
}

func (it *recursiveIt) Lookup() iterator.Index {
	return &recursiveLookup{cursor{walk: it.newWalk()}}
}

func (it *recursiveIt) Stats(ctx context.Context) (iterator.Costs, error) {
	st, err := it.base.Stats(ctx)
	st.Size = refs.Size{Value: st.Size.Value * 20, Exact: false}
	st.NextCost *= 2
	st.ContainsCost = st.NextCost * 10
	return st, err
}

func (it *recursiveIt) Optimize(ctx context.Context) (iterator.Shape, bool) {
	base, opt := it.base.Optimize(ctx)
	if !opt {
		return it, false
	}
	cp := *it
	cp.base = base
	return &cp, true
}

func (it *recursiveIt) SubIterators() []iterator.Shape { return []iterator.Shape{it.base} }

func (it *recursiveIt) newWalk() *walk {
	return &walk{it: it, reached: map[any]*reach{}}
}

// walk is the breadth-first search of one scan, run to its end on first use.
type walk struct {
	it      *recursiveIt
	done    bool
	err     error
	bases   []*baseNode
	reached map[any]*reach // by node key
	order   []*reach       // in the order reached
}

// baseNode is a node of the base iterator with the tags of every path that
// yields it.
type baseNode struct {
	ref   cgraph.Ref
	paths []map[string]cgraph.Ref
}

// reach is a node the walk reached: from which node, by which quads (every
// quad of the link, for its statements), at which depth.
type reach struct {
	node   cgraph.Ref
	depth  int
	base   *baseNode
	parent *reach // nil at depth 1
	link   []cgraph.Ref
}

func (w *walk) run(ctx context.Context) error {
	if w.done {
		return w.err
	}
	w.done = true
	w.err = w.search(ctx)
	return w.err
}

func (w *walk) search(ctx context.Context) error {
	it := w.it
	sc := it.base.Iterate()
	defer sc.Close()
	byKey := map[any]*baseNode{}
	for sc.Next(ctx) {
		b := byKey[refs.ToKey(sc.Result())]
		if b == nil {
			b = &baseNode{ref: sc.Result()}
			byKey[refs.ToKey(b.ref)] = b
			w.bases = append(w.bases, b)
		}
		for {
			tags := map[string]cgraph.Ref{}
			sc.TagResults(tags)
			b.paths = append(b.paths, tags)
			if !sc.NextPath(ctx) {
				break
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	preds, labels, err := w.refSets()
	if err != nil {
		return err
	}
	type front struct {
		node cgraph.Ref
		from *reach // nil for a base node
		base *baseNode
	}
	var frontier []front
	for _, b := range w.bases {
		frontier = append(frontier, front{node: b.ref, base: b})
	}
	dirs := []quad.Direction{quad.Subject}
	switch it.r.dir {
	case In:
		dirs = []quad.Direction{quad.Object}
	case Both:
		dirs = []quad.Direction{quad.Subject, quad.Object}
	}
	for depth := 1; depth <= it.r.maxDepth && len(frontier) > 0; depth++ {
		var next []front
		for _, f := range frontier {
			if err := ctx.Err(); err != nil {
				return err
			}
			fresh := map[any]*reach{} // reached from f in this step
			for _, d := range dirs {
				other := quad.Object
				if d == quad.Object {
					other = quad.Subject
				}
				qi := it.qs.QuadIterator(d, f.node).Iterate()
				for qi.Next(ctx) {
					q := qi.Result()
					m, ok, err := w.follow(q, other, preds, labels)
					if err != nil {
						qi.Close()
						return err
					}
					if !ok {
						continue
					}
					key := refs.ToKey(m)
					if r := fresh[key]; r != nil {
						if it.record {
							r.link = append(r.link, q) // another statement of the link
						}
						continue
					}
					if w.reached[key] != nil {
						continue
					}
					r := &reach{node: m, depth: depth, base: f.base, parent: f.from}
					if it.record {
						r.link = []cgraph.Ref{q}
					}
					w.reached[key], fresh[key] = r, r
					w.order = append(w.order, r)
					next = append(next, front{node: m, from: r, base: f.base})
				}
				err := qi.Err()
				qi.Close()
				if err != nil {
					return err
				}
			}
		}
		frontier = next
	}
	return nil
}

// refSets returns the store's refs of the step's predicates and labels as
// sets (nil: any).
func (w *walk) refSets() (preds, labels map[any]bool, err error) {
	set := func(vals []quad.Value) map[any]bool {
		if vals == nil {
			return nil
		}
		s := map[any]bool{}
		for _, v := range vals {
			ref, verr := w.it.qs.ValueOf(v)
			if verr != nil {
				err = verr
			} else if ref != nil {
				s[refs.ToKey(ref)] = true
			}
		}
		return s
	}
	preds, labels = set(w.it.r.preds), set(w.it.r.labels)
	return preds, labels, err
}

// follow returns the node at the other end of quad q when the step may take
// q: its predicate is one of preds and its label one of labels (nil: any).
func (w *walk) follow(q cgraph.Ref, other quad.Direction, preds, labels map[any]bool) (cgraph.Ref, bool, error) {
	qs := w.it.qs
	if preds != nil {
		p, err := qs.QuadDirection(q, quad.Predicate)
		if err != nil || !preds[refs.ToKey(p)] {
			return nil, false, err
		}
	}
	if labels != nil {
		l, err := qs.QuadDirection(q, quad.Label)
		if err != nil || l == nil || !labels[refs.ToKey(l)] {
			return nil, false, err
		}
	}
	m, err := qs.QuadDirection(q, other)
	return m, err == nil && m != nil, err
}

// tags fills dst with what a result carries: the tags of one path of its
// base node, its depth, and, on a recording store, the quads that reached it.
func (w *walk) tags(r *reach, path int, dst map[string]cgraph.Ref) {
	for k, v := range r.base.paths[path] {
		dst[k] = v
	}
	if w.it.r.depthTag != "" {
		dst[w.it.r.depthTag] = refs.PreFetched(quad.Int(r.depth))
	}
	if !w.it.record {
		return
	}
	prefix := trace.TagPrefix + "r" + strconv.Itoa(w.it.r.id) + "."
	for at := r; at != nil; at = at.parent {
		for i, q := range at.link {
			dst[prefix+strconv.Itoa(at.depth)+"."+strconv.Itoa(i)] = trace.Ref{Quad: q}
		}
	}
}

// cursor is what a scan and a lookup of a walk share: the reached node they
// are at, and which of its base node's paths.
type cursor struct {
	walk *walk
	cur  *reach
	path int
}

func (c *cursor) String() string { return c.walk.it.String() }

func (c *cursor) NextPath(ctx context.Context) bool {
	if c.cur == nil || c.path+1 >= len(c.cur.base.paths) {
		return false
	}
	c.path++
	return true
}

func (c *cursor) Result() cgraph.Ref {
	if c.cur == nil {
		return nil
	}
	return c.cur.node
}

func (c *cursor) TagResults(dst map[string]cgraph.Ref) {
	if c.cur != nil {
		c.walk.tags(c.cur, c.path, dst)
	}
}

func (c *cursor) Err() error   { return c.walk.err }
func (c *cursor) Close() error { return nil }

// recursiveScan yields the reached nodes in the order reached.
type recursiveScan struct {
	cursor
	pos int
}

func (s *recursiveScan) Next(ctx context.Context) bool {
	if s.walk.run(ctx) != nil || s.pos >= len(s.walk.order) {
		s.cur = nil
		return false
	}
	s.cur, s.path = s.walk.order[s.pos], 0
	s.pos++
	return true
}

// recursiveLookup answers whether a node is reached at all.
type recursiveLookup struct{ cursor }

func (l *recursiveLookup) Contains(ctx context.Context, v cgraph.Ref) bool {
	if l.walk.run(ctx) != nil {
		return false
	}
	l.cur, l.path = l.walk.reached[refs.ToKey(v)], 0
	return l.cur != nil
}
