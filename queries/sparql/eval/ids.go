package eval

import (
	cgraph "github.com/cayleygraph/cayley/graph"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/compact"
)

// idReader is a store that reads in node ids: the compact store, and the
// stores built on it (the disk store), also when a graph.Store wraps them
// or a graph.Mirror reads from one.
type idReader interface {
	Reader() compact.Reader
}

// readerOf returns the id reader of qs's current version, or nil when qs
// reads only through Cayley's iterators.
func readerOf(qs cgraph.QuadStore) *compact.Reader {
	s := graph.Inner(qs)
	if m, ok := s.(*graph.Mirror); ok {
		s = m.MemoryStore // every read is the copy's
	}
	for _, s := range []cgraph.QuadStore{qs, s} {
		if r, ok := s.(idReader); ok {
			rd := r.Reader()
			return &rd
		}
	}
	return nil
}

// cursor returns a cursor no running match uses; done gives it back.
func (x *exec) cursor() *compact.Cursor {
	if n := len(x.cursors); n > 0 {
		c := x.cursors[n-1]
		x.cursors = x.cursors[:n-1]
		return c
	}
	return new(compact.Cursor)
}

func (x *exec) done(c *compact.Cursor) { x.cursors = append(x.cursors, c) }

// matchIDs is match on an id reader: the pattern's fixed positions become
// ids, a cursor walks the shortest index list, and the free positions bind
// the refs of the ids found. It finds what match finds, with the same
// evidence. With reuse, the rows it emits share one buffer, each valid until
// emit returns; scratch says r is such a row, which it copies before
// emitting unless reuse.
func (x *exec) matchIDs(p *quadPattern, r row, reuse, scratch bool, emit func(row) bool) bool {
	rd := x.rd
	var pat [4]uint32
	var slots [4]int
	n := 3
	if p.graph.named {
		n = 4
	}
	for i := 0; i < n; i++ {
		pl := p.at(i)
		slots[i] = -1
		switch {
		case i == 3 && p.graph.dynamic:
			pat[i] = x.idOf(x.curGraph)
		case pl.slot < 0:
			pat[i] = x.bid(pl.c)
		case r.b[pl.slot].bound():
			pat[i] = x.bid(r.b[pl.slot])
		default:
			slots[i] = pl.slot
			continue
		}
		if pat[i] == 0 {
			return true // a value the store does not hold matches nothing
		}
	}
	// The default graph of several graphs is their merge: a triple found in
	// two of them is one solution. Only labeled quads need the check.
	def := x.ds.def
	multi := !p.graph.named && def.multi()
	checkDef := !p.graph.named && !def.all
	checkNamed := p.graph.named && !x.ds.named.all
	var set merged[[3]uint32]
	var buf []binding
	if reuse {
		// The buffer holds r; each quad sets the slots it binds.
		buf = x.buffer(len(r.b))
		defer x.release(buf)
		copy(buf, r.b)
	}
	c := x.cursor()
	defer x.done(c)
	for rd.Scan(c, pat); c.Next(); {
		if !x.alive() {
			return false
		}
		ids := c.IDs()
		if checkDef && !def.hasLabel(x, rd.Node(ids[3]), true) {
			continue
		}
		if p.graph.named && (ids[3] == 0 || checkNamed && !x.ds.named.hasLabel(x, rd.Node(ids[3]), false)) {
			continue
		}
		out := r
		copied := false
		if reuse {
			for _, s := range slots[:n] {
				if s >= 0 {
					buf[s] = binding{}
				}
			}
			out, copied = row{b: buf, ev: r.ev}, true
		}
		ok := true
		for i := 0; i < n && ok; i++ {
			s := slots[i]
			if s < 0 {
				continue
			}
			b := binding{ref: rd.Node(ids[i]), id: ids[i]}
			if out.b[s].bound() {
				ok = out.b[s].same(b) // the same variable twice in the pattern
				continue
			}
			if !copied {
				out, copied = x.clone(out), true
			}
			out.b[s] = b
		}
		if !ok {
			continue
		}
		if !copied && (x.ev || scratch) {
			out = x.clone(out)
		}
		if x.ev {
			out.ev = append(append([]cgraph.Ref(nil), r.ev...), c.Quad())
		}
		if multi && ids[3] != 0 {
			key := [3]uint32{ids[0], ids[1], ids[2]}
			if !set.admit(x, key, out, c.Quad(), func() bool { return x.unlabeledIDs(key) }) {
				continue
			}
		}
		if !emit(out) {
			return false
		}
	}
	return set.flush(emit) && x.err == nil
}

// buffer returns a row's worth of bindings no running match uses; release
// gives them back.
func (x *exec) buffer(n int) []binding {
	if k := len(x.bufs); k > 0 && len(x.bufs[k-1]) == n {
		b := x.bufs[k-1]
		x.bufs = x.bufs[:k-1]
		return b
	}
	return make([]binding, n)
}

func (x *exec) release(b []binding) { x.bufs = append(x.bufs, b) }

// unlabeledIDs reports whether the store holds the triple without a label.
func (x *exec) unlabeledIDs(t [3]uint32) bool {
	c := x.cursor()
	defer x.done(c)
	for x.rd.Scan(c, [4]uint32{t[0], t[1], t[2], 0}); c.Next(); {
		if c.IDs()[3] == 0 {
			return true
		}
	}
	return false
}

// idOf returns the id of a ref on an id reader, 0 for a ref the store does
// not hold or when there is no reader.
func (x *exec) idOf(ref cgraph.Ref) uint32 {
	if x.rd == nil {
		return 0
	}
	return x.rd.ID(ref)
}

// bid returns the id of a binding's ref, as idOf.
func (x *exec) bid(b binding) uint32 {
	if b.id != 0 {
		return b.id
	}
	return x.idOf(b.ref)
}

// idSet is a set of node ids, a bit each.
type idSet []uint64

// add puts id in the set, reporting whether it was new; hint sizes the set
// when it is first used (ids past it grow it).
func (s *idSet) add(id, hint uint32) bool {
	w := int(id >> 6)
	if w >= len(*s) {
		n := max(int(hint>>6)+1, 2*len(*s), w+1)
		*s = append(*s, make([]uint64, n-len(*s))...)
	}
	bit := uint64(1) << (id & 63)
	if (*s)[w]&bit != 0 {
		return false
	}
	(*s)[w] |= bit
	return true
}
