package compact

import (
	"context"
	"fmt"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"
)

var _ shape.Optimizer = (*Store)(nil)

// OptimizeShape implements shape.Optimizer. It pushes the common query shapes
// into index scans of the store:
//
//   - a set of quads with fixed values in some directions, and the nodes of
//     one direction of them (Has, Out and In from fixed nodes), becomes one
//     scan of the shortest index list that checks the other values by lookup;
//   - the nodes reached from a node set through quads with fixed values
//     elsewhere (Out and In after anything) becomes a nested-loop index join;
//   - Unique over the store's nodes dedups with a bitmap instead of a map.
func (s *Store) OptimizeShape(ctx context.Context, sh shape.Shape) (shape.Shape, bool) {
	switch sh := sh.(type) {
	case shape.QuadsAction:
		if len(sh.Filter) == 0 {
			return sh, false
		}
		var f filter
		for d, v := range sh.Filter {
			n, ok := v.(*node)
			if !ok || d < quad.Subject || d > quad.Label {
				return sh, false
			}
			f.set(d, n.id)
		}
		return actionQuery{actionShape{s: s, f: f, result: sh.Result, save: sh.Save}}, true
	case shape.NodesFrom:
		q, ok := sh.Quads.(shape.Quads)
		if !ok {
			return sh, false
		}
		var (
			f    filter
			from shape.Shape
			in   quad.Direction
		)
		for _, qf := range q {
			if qf.Dir < quad.Subject || qf.Dir > quad.Label {
				return sh, false
			}
			if v, ok := shape.One(qf.Values); ok {
				n, ok := v.(*node)
				if !ok || f.ids[qf.Dir-1] != 0 {
					return sh, false
				}
				f.set(qf.Dir, n.id)
				continue
			}
			if from != nil {
				return sh, false
			}
			from, in = qf.Values, qf.Dir
		}
		if from == nil || f.ids[in-1] != 0 {
			return sh, false
		}
		return joinQuery{joinShape{s: s, from: from, in: in, out: sh.Dir, f: f}}, true
	case shape.Unique:
		return uniqueQuery{from: sh.From}, true
	}
	return sh, false
}

// idScanner is implemented by the store's own scanners that yield nodes: it
// gives the current result's id without following the ref, which saves a
// memory access per result when one of them feeds another.
type idScanner interface {
	resultID() uint32
}

// resultID returns the id of r, using sub when it is one of the store's
// scanners.
func resultID(sub idScanner, r graph.Ref) uint32 {
	if sub != nil {
		return sub.resultID()
	}
	if n, ok := r.(*node); ok && n != nil {
		return n.id
	}
	return 0
}

// actionShape yields the result-direction node of every live quad that
// matches a filter, tagging other directions: HasA over an index scan.
type actionShape struct {
	s      *Store
	f      filter
	result quad.Direction
	save   map[quad.Direction][]string
}

// actionQuery is the query shape whose iterator is an actionShape.
type actionQuery struct{ a actionShape }

func (q actionQuery) BuildIterator(qs graph.QuadStore) iterator.Shape {
	a := q.a
	return &a
}

func (q actionQuery) Optimize(ctx context.Context, r shape.Optimizer) (shape.Shape, bool) {
	return q, false
}

// Optimize implements iterator.Shape.
func (a *actionShape) Optimize(ctx context.Context) (iterator.Shape, bool) { return a, false }

func (a *actionShape) String() string {
	return fmt.Sprintf("CompactAction(%v<-%s)", a.result, a.f)
}

func (a *actionShape) Iterate() iterator.Scanner {
	return &actionNext{leaf: leaf{"CompactActionNext"}, a: a, sc: newQuadsScanner(a.s.current(), a.f)}
}

func (a *actionShape) Lookup() iterator.Index {
	return &actionContains{leaf: leaf{"CompactActionContains"}, a: a, sn: a.s.current()}
}

// Stats reports one result per matching quad (see filter.size).
func (a *actionShape) Stats(ctx context.Context) (iterator.Costs, error) {
	return iterator.Costs{
		ContainsCost: 2,
		NextCost:     1,
		Size:         a.f.size(a.s.current()),
	}, nil
}

func (a *actionShape) SubIterators() []iterator.Shape { return nil }

func tagQuad(sn *snapshot, save map[quad.Direction][]string, q *quadRec, dst map[string]graph.Ref) {
	for d, tags := range save {
		r := sn.nodeRef(q.dirs[d-1])
		for _, t := range tags {
			dst[t] = r
		}
	}
}

type actionNext struct {
	leaf
	a  *actionShape
	sc *quadsScanner
}

func (it *actionNext) Next(ctx context.Context) bool { return it.sc.next() }
func (it *actionNext) Result() graph.Ref {
	if it.sc.cur == nil {
		return nil
	}
	return it.sc.sn.nodeRef(it.sc.cur.dirs[it.a.result-1])
}
func (it *actionNext) resultID() uint32 {
	if it.sc.cur == nil {
		return 0
	}
	return it.sc.cur.dirs[it.a.result-1]
}
func (it *actionNext) TagResults(dst map[string]graph.Ref) {
	if it.sc.cur != nil {
		tagQuad(it.sc.sn, it.a.save, it.sc.cur, dst)
	}
}

type actionContains struct {
	leaf
	a   *actionShape
	sn  *snapshot
	sc  quadsScanner
	cur *node
}

func (it *actionContains) Result() graph.Ref {
	if it.cur == nil {
		return nil
	}
	return it.cur
}

// Contains looks for a matching quad with the node in the result direction;
// NextPath moves to the next such quad, for its tags.
func (it *actionContains) Contains(ctx context.Context, r graph.Ref) bool {
	it.cur = nil
	n, ok := r.(*node)
	if !ok || n == nil {
		return false
	}
	f := it.a.f
	if id := f.ids[it.a.result-1]; id != 0 && id != n.id {
		return false
	}
	f.set(it.a.result, n.id)
	it.sc.init(it.sn, f)
	if !it.sc.next() {
		return false
	}
	it.cur = n
	return true
}

// NextPath moves to the next matching quad; when there is none, the tags
// stay those of the last one, as the And iterator expects.
func (it *actionContains) NextPath(ctx context.Context) bool {
	if it.cur == nil || len(it.a.save) == 0 {
		return false
	}
	last := it.sc.cur
	if it.sc.next() {
		return true
	}
	it.sc.cur = last
	return false
}

func (it *actionContains) TagResults(dst map[string]graph.Ref) {
	if it.cur != nil && it.sc.cur != nil {
		tagQuad(it.sn, it.a.save, it.sc.cur, dst)
	}
}

// joinShape yields, for every node x of from, the out-direction nodes of the
// live quads that hold x in direction in and match f: LinksTo and HasA as
// one nested-loop index join.
type joinShape struct {
	s       *Store
	from    shape.Shape
	in, out quad.Direction
	f       filter
	sub     iterator.Shape // built from from
}

// joinQuery is the query shape whose iterator is a joinShape.
type joinQuery struct{ j joinShape }

func (q joinQuery) BuildIterator(qs graph.QuadStore) iterator.Shape {
	j := q.j
	j.sub = j.from.BuildIterator(qs)
	return &j
}

func (q joinQuery) Optimize(ctx context.Context, r shape.Optimizer) (shape.Shape, bool) {
	return q, false
}

// Optimize implements iterator.Shape, optimizing the source.
func (j *joinShape) Optimize(ctx context.Context) (iterator.Shape, bool) {
	sub, ok := j.sub.Optimize(ctx)
	if !ok {
		return j, false
	}
	if iterator.IsNull(sub) {
		return sub, true
	}
	c := *j
	c.sub = sub
	return &c, true
}

func (j *joinShape) String() string {
	return fmt.Sprintf("CompactJoin(%v->%v%s)", j.in, j.out, j.f)
}

func (j *joinShape) Iterate() iterator.Scanner {
	sub := j.sub.Iterate()
	ids, _ := sub.(idScanner)
	return &joinNext{over: over[iterator.Scanner]{"CompactJoinNext", sub}, j: j, sn: j.s.current(), ids: ids}
}

func (j *joinShape) Lookup() iterator.Index {
	return &joinContains{over: over[iterator.Index]{"CompactJoinContains", j.sub.Lookup()}, j: j, sn: j.s.current()}
}

// Stats estimates the join's size from the source's size and the average
// number of matching quads per node; it is never exact.
func (j *joinShape) Stats(ctx context.Context) (iterator.Costs, error) {
	st, err := j.sub.Stats(ctx)
	sn := j.s.current()
	total := j.f.size(sn).Value
	fan := int64(1)
	if sn.nodes > 0 && total > sn.nodes {
		fan = total / sn.nodes
	}
	size := st.Size.Value * fan
	if size > total {
		size = total
	}
	return iterator.Costs{
		NextCost:     st.NextCost + 1,
		ContainsCost: st.ContainsCost*fan + 1,
		Size:         refs.Size{Value: size, Exact: false},
	}, err
}

func (j *joinShape) SubIterators() []iterator.Shape { return []iterator.Shape{j.sub} }

type joinNext struct {
	over[iterator.Scanner]
	j      *joinShape
	sn     *snapshot
	ids    idScanner // sub, if it is one
	sc     quadsScanner
	active bool
	cur    graph.Ref
	curID  uint32
}

func (it *joinNext) Result() graph.Ref {
	return it.cur
}
func (it *joinNext) resultID() uint32 { return it.curID }

func (it *joinNext) Next(ctx context.Context) bool {
	for {
		if it.active && it.sc.next() {
			it.curID = it.sc.cur.dirs[it.j.out-1]
			it.cur = it.sn.nodeRef(it.curID)
			return true
		}
		it.active = false
		if !it.sub.Next(ctx) {
			it.cur, it.curID = nil, 0
			return false
		}
		var x uint32
		if it.ids != nil {
			x = it.ids.resultID()
		} else {
			x = resultID(nil, it.sub.Result())
		}
		if x != 0 {
			f := it.j.f
			f.set(it.j.in, x)
			it.sc.initOn(it.sn, f, it.j.in)
			it.active = true
		}
	}
}

type joinContains struct {
	over[iterator.Index]
	j   *joinShape
	sn  *snapshot
	sc  quadsScanner
	cur *node
}

func (it *joinContains) Result() graph.Ref {
	if it.cur == nil {
		return nil
	}
	return it.cur
}

// Contains scans the node's quads in the out direction for one whose in
// node the source contains.
func (it *joinContains) Contains(ctx context.Context, r graph.Ref) bool {
	it.cur = nil
	n, ok := r.(*node)
	if !ok || n == nil {
		return false
	}
	f := it.j.f
	if id := f.ids[it.j.out-1]; id != 0 && id != n.id {
		return false
	}
	f.set(it.j.out, n.id)
	it.sc.init(it.sn, f)
	if it.advance(ctx) {
		it.cur = n
		return true
	}
	return false
}

func (it *joinContains) advance(ctx context.Context) bool {
	for it.sc.next() {
		if it.sub.Contains(ctx, it.sn.nodeRef(it.sc.cur.dirs[it.j.in-1])) {
			return true
		}
	}
	return false
}

func (it *joinContains) NextPath(ctx context.Context) bool {
	if it.cur == nil {
		return false
	}
	if it.sub.NextPath(ctx) {
		return true
	}
	return it.advance(ctx)
}

// uniqueQuery is the query shape whose iterator is a uniqueShape.
type uniqueQuery struct{ from shape.Shape }

func (q uniqueQuery) BuildIterator(qs graph.QuadStore) iterator.Shape {
	return &uniqueShape{sub: q.from.BuildIterator(qs)}
}

func (q uniqueQuery) Optimize(ctx context.Context, r shape.Optimizer) (shape.Shape, bool) {
	return q, false
}

// uniqueShape drops repeated results, remembering store nodes in a bitmap.
type uniqueShape struct {
	sub iterator.Shape
}

// Optimize implements iterator.Shape, optimizing the source.
func (u *uniqueShape) Optimize(ctx context.Context) (iterator.Shape, bool) {
	sub, ok := u.sub.Optimize(ctx)
	if !ok {
		return u, false
	}
	return &uniqueShape{sub: sub}, true
}

func (u *uniqueShape) String() string { return "CompactUnique" }

func (u *uniqueShape) Iterate() iterator.Scanner {
	sub := u.sub.Iterate()
	ids, _ := sub.(idScanner)
	return &uniqueNext{over: over[iterator.Scanner]{"CompactUniqueNext", sub}, ids: ids}
}

// Lookup is the source's: a value is contained once or not at all.
func (u *uniqueShape) Lookup() iterator.Index { return iterator.NewUnique(u.sub).Lookup() }

func (u *uniqueShape) Stats(ctx context.Context) (iterator.Costs, error) {
	return iterator.NewUnique(u.sub).Stats(ctx)
}

func (u *uniqueShape) SubIterators() []iterator.Shape { return []iterator.Shape{u.sub} }

type uniqueNext struct {
	over[iterator.Scanner]
	ids   idScanner // sub, if it is one
	bits  []uint64
	other map[interface{}]bool
	cur   graph.Ref
}

func (it *uniqueNext) Result() graph.Ref                 { return it.cur }
func (it *uniqueNext) NextPath(ctx context.Context) bool { return false }

func (it *uniqueNext) Next(ctx context.Context) bool {
	for it.sub.Next(ctx) {
		r := it.sub.Result()
		if id := resultID(it.ids, r); id != 0 {
			w := int(id >> 6)
			if w >= len(it.bits) {
				it.bits = append(it.bits, make([]uint64, 2*(w+1)-len(it.bits))...)
			}
			if it.bits[w]&(1<<(id&63)) != 0 {
				continue
			}
			it.bits[w] |= 1 << (id & 63)
		} else {
			if it.other == nil {
				it.other = make(map[interface{}]bool)
			}
			k := refs.ToKey(r)
			if it.other[k] {
				continue
			}
			it.other[k] = true
		}
		it.cur = r
		return true
	}
	it.cur = nil
	return false
}
