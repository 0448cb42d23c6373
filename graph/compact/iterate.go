package compact

import (
	"context"
	"fmt"
	"unsafe"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
)

const (
	sizeofQuadRec  = unsafe.Sizeof(quadRec{})
	sizeofDeltaRec = unsafe.Sizeof(deltaRec{})
)

// inArray reports whether q points into the array of n elements of the given
// size that starts at first.
func inArray(q *quadRec, first *uint32, n int, size uintptr) bool {
	p, b := uintptr(unsafe.Pointer(q)), uintptr(unsafe.Pointer(first))
	return p >= b && p < b+uintptr(n)*size
}

// filter fixes the value of some directions of a quad (0 = any).
type filter struct {
	ids [4]uint32
}

func (f *filter) set(d quad.Direction, id uint32) { f.ids[d-1] = id }

func (f *filter) match(q *quadRec) bool {
	for d, id := range f.ids {
		if id != 0 && q.dirs[d] != id {
			return false
		}
	}
	return true
}

func (f filter) String() string {
	s := ""
	for d, id := range f.ids {
		if id != 0 {
			s += fmt.Sprintf(" %v=%d", quad.Direction(d+1), id)
		}
	}
	return s
}

// drive picks the constrained direction with the shortest segment list, which
// the scan walks while it checks the others (0: scan all quads).
func (f *filter) drive(seg *segment) quad.Direction {
	best, bestLen := quad.Any, uint32(0)
	for d := quad.Subject; d <= quad.Label; d++ {
		id := f.ids[d-1]
		if id == 0 {
			continue
		}
		lo, hi, _ := seg.list(d, id)
		if best == quad.Any || hi-lo < bestLen {
			best, bestLen = d, hi-lo
		}
	}
	return best
}

// exactScan is the longest list that size scans to count a filter with
// several fixed directions exactly; past it, size gives an upper bound.
const exactScan = 256

// size returns the number of live quads of the snapshot that match: exact
// for no or one fixed direction, and for several when the shortest list is
// short; otherwise the length of the shortest list, an upper bound.
func (f filter) size(sn *snapshot) refs.Size {
	d := f.drive(sn.gen.seg)
	if d == quad.Any {
		return refs.Size{Value: sn.quads, Exact: true}
	}
	single := true
	for dd, id := range f.ids {
		if id != 0 && quad.Direction(dd+1) != d {
			single = false
		}
	}
	lo, hi, _ := sn.gen.seg.list(d, f.ids[d-1])
	var n int64
	if single && !sn.hasDel {
		n = int64(hi - lo)
		for h := sn.first(d, f.ids[d-1]); h != 0; h = sn.after(h, d) {
			n++
		}
		return refs.Size{Value: n, Exact: true}
	}
	if !single && hi-lo > exactScan {
		n = int64(hi - lo)
		for h := sn.first(d, f.ids[d-1]); h != 0; h = sn.after(h, d) {
			n++
		}
		return refs.Size{Value: n, Exact: false}
	}
	sc := newQuadsScanner(sn, f)
	for sc.next() {
		n++
	}
	return refs.Size{Value: n, Exact: true}
}

// quadsShape is the iterator of the live quads that match a filter: a plain
// index list for one fixed direction, an index scan with checks for several.
type quadsShape struct {
	s *Store
	f filter
}

func newQuadsShape(s *Store, f filter) *quadsShape { return &quadsShape{s: s, f: f} }

func (it *quadsShape) String() string { return "CompactQuads(" + it.f.String() + ")" }

// Iterate implements iterator.Shape.
func (it *quadsShape) Iterate() iterator.Scanner {
	return &quadsNext{sc: newQuadsScanner(it.s.current(), it.f)}
}

// Lookup implements iterator.Shape.
func (it *quadsShape) Lookup() iterator.Index {
	return &quadsContains{sn: it.s.current(), f: it.f}
}

// Stats implements iterator.Shape; see filter.size for when the size is
// exact.
func (it *quadsShape) Stats(ctx context.Context) (iterator.Costs, error) {
	return iterator.Costs{
		ContainsCost: 1,
		NextCost:     1,
		Size:         it.f.size(it.s.current()),
	}, nil
}

// Optimize implements iterator.Shape.
func (it *quadsShape) Optimize(ctx context.Context) (iterator.Shape, bool) { return it, false }

// SubIterators implements iterator.Shape.
func (it *quadsShape) SubIterators() []iterator.Shape { return nil }

// quadsScanner walks the matching quads of one snapshot: first the segment
// list of the driving direction (or all segment quads), then the delta.
type quadsScanner struct {
	sn      *snapshot
	f       filter // all constraints, checked on delta records
	chk     filter // constraints left to check on segment quads
	check   bool   // chk has any
	d       quad.Direction
	i, hi   uint32
	lo      uint32
	ids     []uint32
	h       uint32 // delta cursor: 1 + record index (chain) or next index (all)
	inDelta bool
	cur     *quadRec
}

func newQuadsScanner(sn *snapshot, f filter) *quadsScanner {
	sc := &quadsScanner{}
	sc.init(sn, f)
	return sc
}

// init starts the scanner over, for a new filter, driven by its shortest
// list.
func (sc *quadsScanner) init(sn *snapshot, f filter) {
	sc.initOn(sn, f, f.drive(sn.gen.seg))
}

// initOn starts the scanner over, driven by the list of direction d (which f
// must fix), or by all quads for quad.Any. A subject's quads are sorted by
// predicate and object, so a fixed predicate (and object) narrows the range
// by binary search instead of being checked quad by quad.
func (sc *quadsScanner) initOn(sn *snapshot, f filter, d quad.Direction) {
	sc.sn, sc.f, sc.chk, sc.d = sn, f, f, d
	sc.h, sc.inDelta, sc.cur = 0, false, nil
	seg := sn.gen.seg
	if d == quad.Any {
		sc.lo, sc.i, sc.hi, sc.ids = 0, 0, uint32(len(seg.quads)), nil
	} else {
		sc.lo, sc.hi, sc.ids = seg.list(d, f.ids[d-1])
		sc.chk.ids[d-1] = 0
		if p := f.ids[1]; d == quad.Subject && p != 0 && sc.hi > sc.lo {
			sc.narrow(seg.quads, p, f.ids[2])
		}
		sc.i = sc.lo
	}
	sc.check = sc.chk.ids != [4]uint32{}
}

// narrow cuts a subject's range of quads to those with predicate p (and
// object o, unless 0), which are contiguous.
func (sc *quadsScanner) narrow(qs []quadRec, p, o uint32) {
	lo, hi := sc.lo, sc.hi
	for lo < hi {
		m := (lo + hi) / 2
		q := &qs[m].dirs
		if q[1] < p || q[1] == p && o != 0 && q[2] < o {
			lo = m + 1
		} else {
			hi = m
		}
	}
	end := lo
	for end < sc.hi && qs[end].dirs[1] == p && (o == 0 || qs[end].dirs[2] == o) {
		end++
	}
	sc.lo, sc.hi = lo, end
	sc.chk.ids[1] = 0
	if o != 0 {
		sc.chk.ids[2] = 0
	}
}

func (sc *quadsScanner) next() bool {
	sn := sc.sn
	if !sc.inDelta {
		quads := sn.gen.seg.quads
		for sc.i < sc.hi {
			p := sc.i
			if sc.ids != nil {
				p = sc.ids[sc.i-sc.lo]
			}
			sc.i++
			q := &quads[p]
			if (!sc.check || sc.chk.match(q)) && sn.visible(q) {
				sc.cur = q
				return true
			}
		}
		sc.inDelta = true
		if len(sn.recs) == 0 {
			sc.cur = nil
			return false
		}
		if sc.d != quad.Any {
			sc.h = sn.first(sc.d, sc.f.ids[sc.d-1])
		}
	}
	if sc.d == quad.Any {
		for int(sc.h) < len(sn.recs) {
			q := &sn.recs[sc.h].q
			sc.h++
			if sn.visible(q) {
				sc.cur = q
				return true
			}
		}
	} else {
		for sc.h != 0 {
			r := &sn.recs[sc.h-1]
			sc.h = sn.after(sc.h, sc.d)
			if sn.visible(&r.q) && sc.f.match(&r.q) {
				sc.cur = &r.q
				return true
			}
		}
	}
	sc.cur = nil
	return false
}

type quadsNext struct {
	leaf
	sc *quadsScanner
}

func (it *quadsNext) String() string                { return "CompactQuadsNext(" + it.sc.f.String() + ")" }
func (it *quadsNext) Next(ctx context.Context) bool { return it.sc.next() }
func (it *quadsNext) Result() graph.Ref {
	if it.sc.cur == nil {
		return nil
	}
	return it.sc.cur
}

type quadsContains struct {
	leaf
	sn  *snapshot
	f   filter
	cur *quadRec
}

func (it *quadsContains) String() string { return "CompactQuadsContains(" + it.f.String() + ")" }
func (it *quadsContains) Result() graph.Ref {
	if it.cur == nil {
		return nil
	}
	return it.cur
}

// Contains checks the quad's ids against the filter, then that it is live.
func (it *quadsContains) Contains(ctx context.Context, r graph.Ref) bool {
	it.cur = nil
	q, ok := r.(*quadRec)
	if !ok || q == nil || !it.f.match(q) {
		return false
	}
	it.cur = it.sn.resolve(q)
	return it.cur != nil
}

// allNodes is the iterator of every value in a live quad, each once, in id
// order.
type allNodes struct {
	s *Store
}

func (it *allNodes) String() string { return "CompactAllNodes" }

// Iterate implements iterator.Shape.
func (it *allNodes) Iterate() iterator.Scanner {
	return &allNodesNext{leaf: leaf{"CompactAllNodesNext"}, sn: it.s.current()}
}

// Lookup implements iterator.Shape.
func (it *allNodes) Lookup() iterator.Index {
	return &allNodesContains{leaf: leaf{"CompactAllNodesContains"}, sn: it.s.current()}
}

// Stats implements iterator.Shape with an exact size.
func (it *allNodes) Stats(ctx context.Context) (iterator.Costs, error) {
	return iterator.Costs{
		ContainsCost: 1,
		NextCost:     1,
		Size:         refs.Size{Value: it.s.current().nodes, Exact: true},
	}, nil
}

// Optimize implements iterator.Shape.
func (it *allNodes) Optimize(ctx context.Context) (iterator.Shape, bool) { return it, false }

// SubIterators implements iterator.Shape.
func (it *allNodes) SubIterators() []iterator.Shape { return nil }

type allNodesNext struct {
	leaf
	sn  *snapshot
	id  uint32
	cur *node
}

func (it *allNodesNext) Result() graph.Ref {
	if it.cur == nil {
		return nil
	}
	return it.cur
}

func (it *allNodesNext) resultID() uint32 {
	if it.cur == nil {
		return 0
	}
	return it.id
}

func (it *allNodesNext) Next(ctx context.Context) bool {
	sn := it.sn
	for it.id+1 < sn.dict.n {
		it.id++
		if sn.live(it.id) {
			it.cur = sn.dict.node(it.id)
			return true
		}
	}
	it.cur = nil
	return false
}

type allNodesContains struct {
	leaf
	sn  *snapshot
	cur *node
}

func (it *allNodesContains) Result() graph.Ref {
	if it.cur == nil {
		return nil
	}
	return it.cur
}

func (it *allNodesContains) Contains(ctx context.Context, r graph.Ref) bool {
	it.cur = nil
	n, ok := r.(*node)
	if !ok || n == nil || n.id == 0 || n.id >= it.sn.dict.n || it.sn.dict.node(n.id) != n {
		return false
	}
	if !it.sn.live(n.id) {
		return false
	}
	it.cur = n
	return true
}
