package compact

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
)

// Name is the name the store is registered under with Cayley.
const Name = "compact"

func init() {
	graph.RegisterQuadStore(Name, graph.QuadStoreRegistration{
		NewFunc: func(string, graph.Options) (graph.QuadStore, error) {
			return New(), nil
		},
		IsPersistent: false,
	})
}

var _ graph.QuadStore = (*Store)(nil)

// Store is an in-memory Cayley quad store. Reads never lock: every reader
// works on an immutable snapshot. Writers are serialised, and a write becomes
// visible all at once when its snapshot is published.
type Store struct {
	mu    sync.Mutex               // serialises writers
	snap  atomic.Pointer[snapshot] // what readers see
	head  *snapshot                // the writer's state: ahead of snap while batches wait to be durable
	dict  *dict
	gen   *generation
	ver   uint32
	refs  []uint32 // per id: quad directions that hold it (writer only)
	nodes int64    // ids with refs > 0
	quads int64
	// labeled counts the live quads with a label.
	labeled int64

	persist   Persister // nil for a store in memory only
	replaying bool      // applying logged batches: persist nothing
}

// generation is a segment plus the delta of quads added since it was built.
// Delta records sit in an array whose capacity is fixed when the generation
// starts, so pointers to them stay valid; when it is full the store compacts
// into a new generation.
type generation struct {
	seg   *segment
	recs  []deltaRec // allocated on the first delta write
	heads []uint32   // per id*4+dir: 1 + oldest record holding id there; atomic
	tails []uint32   // per id*4+dir: 1 + newest record holding id there (writer)
	dlen  uint32     // records in use (writer)
	ndel  int        // quads deleted in this generation (writer)
}

// deltaRec is a quad added after its generation's segment was built, linked
// to the next newer record that holds the same value in each direction.
type deltaRec struct {
	q    quadRec
	next [4]uint32 // 1 + index of the next record, 0 at the end; atomic
}

// snapshot is one published version of the store.
type snapshot struct {
	ver    uint32
	gen    *generation
	dict   dictView
	recs   []deltaRec // gen.recs[:dlen]
	heads  []uint32
	hasDel bool
	nodes  int64
	quads  int64
	// labeled counts the live quads with a label.
	labeled int64
}

// New returns an empty store.
func New() *Store {
	s := &Store{dict: newDict()}
	seg, _ := buildSegment(nil, 0, 1, true)
	s.gen = &generation{seg: seg}
	s.refs = make([]uint32, 1)
	s.publish(s.advance())
	return s
}

// advance makes the writer's state, as it is now, the head snapshot: the one
// the next batch is checked against. Readers see it once it is published.
func (s *Store) advance() *snapshot {
	g := s.gen
	s.head = &snapshot{
		ver:     s.ver,
		gen:     g,
		dict:    s.dict.view(),
		recs:    g.recs[:g.dlen],
		heads:   g.heads,
		hasDel:  g.ndel > 0,
		nodes:   s.nodes,
		quads:   s.quads,
		labeled: s.labeled,
	}
	return s.head
}

// publish shows sn to readers, unless they see a later version already:
// batches that become durable together may be published in any order.
func (s *Store) publish(sn *snapshot) {
	for {
		cur := s.snap.Load()
		if cur != nil && cur.ver >= sn.ver {
			return
		}
		if s.snap.CompareAndSwap(cur, sn) {
			return
		}
	}
}

// current is the snapshot readers see.
func (s *Store) current() *snapshot { return s.snap.Load() }

// visible reports whether q is live in the snapshot. q must belong to the
// snapshot's generation.
func (sn *snapshot) visible(q *quadRec) bool {
	if !sn.hasDel {
		return true
	}
	d := atomic.LoadUint32(&q.del)
	return d == 0 || d > sn.ver
}

// first returns 1 + the oldest delta record of the snapshot that holds id in
// direction d, or 0. Chains run from old to new, the order of insertion.
func (sn *snapshot) first(d quad.Direction, id uint32) uint32 {
	i := int(id)*4 + int(d-1)
	if i >= len(sn.heads) {
		return 0
	}
	if h := atomic.LoadUint32(&sn.heads[i]); h <= uint32(len(sn.recs)) {
		return h
	}
	return 0
}

// after returns 1 + the delta record after record h-1 in the chain of
// direction d, or 0 at the end of the snapshot's part of the chain.
func (sn *snapshot) after(h uint32, d quad.Direction) uint32 {
	if n := atomic.LoadUint32(&sn.recs[h-1].next[d-1]); n <= uint32(len(sn.recs)) {
		return n
	}
	return 0
}

// owns reports whether q is a record of the snapshot's generation.
func (sn *snapshot) owns(q *quadRec) bool {
	if qs := sn.gen.seg.quads; len(qs) > 0 && inArray(q, &qs[0].dirs[0], len(qs), sizeofQuadRec) {
		return true
	}
	if rs := sn.recs; len(rs) > 0 && inArray(q, &rs[0].q.dirs[0], len(rs), sizeofDeltaRec) {
		return true
	}
	return false
}

// find returns the snapshot's live record with the given ids, or nil.
func (sn *snapshot) find(t [4]uint32) *quadRec {
	seg := sn.gen.seg
	if lo, hi, _ := seg.list(quad.Subject, t[0]); hi > lo {
		qs := seg.quads[lo:hi]
		i, j := 0, len(qs)
		for i < j {
			h := (i + j) / 2
			if lessPOL(&qs[h].dirs, &t) {
				i = h + 1
			} else {
				j = h
			}
		}
		for ; i < len(qs) && qs[i].dirs == t; i++ {
			if sn.visible(&qs[i]) {
				return &qs[i]
			}
		}
	}
	for h := sn.first(quad.Subject, t[0]); h != 0; h = sn.after(h, quad.Subject) {
		r := &sn.recs[h-1]
		if r.q.dirs == t && sn.visible(&r.q) {
			return &r.q
		}
	}
	return nil
}

// resolve maps a quad ref of any generation onto the snapshot's live record
// with the same content, or nil.
func (sn *snapshot) resolve(q *quadRec) *quadRec {
	if sn.owns(q) {
		if sn.visible(q) {
			return q
		}
		return nil
	}
	return sn.find(q.dirs)
}

// live reports whether id is in some live quad of the snapshot.
func (sn *snapshot) live(id uint32) bool {
	seg := sn.gen.seg
	if seg.isLive(id) {
		if !sn.hasDel {
			return true
		}
		for d := quad.Subject; d <= quad.Label; d++ {
			lo, hi, ids := seg.list(d, id)
			for i := lo; i < hi; i++ {
				p := i
				if ids != nil {
					p = ids[i-lo]
				}
				if sn.visible(&seg.quads[p]) {
					return true
				}
			}
		}
	}
	for d := quad.Subject; d <= quad.Label; d++ {
		for h := sn.first(d, id); h != 0; h = sn.after(h, d) {
			if sn.visible(&sn.recs[h-1].q) {
				return true
			}
		}
	}
	return false
}

// nodeRef returns the ref of id (0 gives nil).
func (sn *snapshot) nodeRef(id uint32) graph.Ref {
	if id == 0 {
		return nil
	}
	return sn.dict.node(id)
}

// ValueOf implements graph.Namer. It returns nil for values in no live quad.
func (s *Store) ValueOf(v quad.Value) (graph.Ref, error) {
	sn := s.current()
	id := sn.dict.lookupValue(v)
	if id == 0 || !sn.live(id) {
		return nil, nil
	}
	return sn.dict.node(id), nil
}

// NameOf implements graph.Namer.
func (s *Store) NameOf(r graph.Ref) (quad.Value, error) {
	switch r := r.(type) {
	case *node:
		return s.current().dict.value(r.id), nil
	case refs.PreFetchedValue:
		return r.NameOf(), nil
	}
	return nil, nil
}

// Quad implements graph.QuadIndexer.
func (s *Store) Quad(r graph.Ref) (quad.Quad, error) {
	q, ok := r.(*quadRec)
	if !ok || q == nil {
		return quad.Quad{}, nil
	}
	sn := s.current()
	var out quad.Quad
	for d := quad.Subject; d <= quad.Label; d++ {
		if id := q.dirs[d-1]; id != 0 {
			out.Set(d, sn.dict.value(id))
		}
	}
	return out, nil
}

// QuadDirection implements graph.QuadIndexer.
func (s *Store) QuadDirection(r graph.Ref, d quad.Direction) (graph.Ref, error) {
	q, ok := r.(*quadRec)
	if !ok || q == nil || d < quad.Subject || d > quad.Label {
		return nil, nil
	}
	id := q.dirs[d-1]
	if id == 0 {
		return nil, nil
	}
	return s.current().dict.node(id), nil
}

// QuadIterator implements graph.QuadIndexer.
func (s *Store) QuadIterator(d quad.Direction, r graph.Ref) iterator.Shape {
	n, ok := r.(*node)
	if !ok || n == nil || d < quad.Subject || d > quad.Label {
		return iterator.NewNull()
	}
	var f filter
	f.set(d, n.id)
	return newQuadsShape(s, f)
}

// QuadIteratorSize implements graph.QuadIndexer; the size is exact.
func (s *Store) QuadIteratorSize(ctx context.Context, d quad.Direction, r graph.Ref) (refs.Size, error) {
	n, ok := r.(*node)
	if !ok || n == nil || d < quad.Subject || d > quad.Label {
		return refs.Size{Value: 0, Exact: true}, nil
	}
	var f filter
	f.set(d, n.id)
	return f.size(s.current()), nil
}

// Stats implements graph.QuadIndexer; both counts are always exact.
func (s *Store) Stats(ctx context.Context, exact bool) (graph.Stats, error) {
	sn := s.current()
	return graph.Stats{
		Nodes: refs.Size{Value: sn.nodes, Exact: true},
		Quads: refs.Size{Value: sn.quads, Exact: true},
	}, nil
}

// NodesAllIterator implements graph.QuadStore: every value of a live quad,
// each once.
func (s *Store) NodesAllIterator() iterator.Shape { return &allNodes{s: s} }

// QuadsAllIterator implements graph.QuadStore.
func (s *Store) QuadsAllIterator() iterator.Shape { return newQuadsShape(s, filter{}) }

// Close implements graph.QuadStore. The store needs no cleanup.
func (s *Store) Close() error { return nil }
