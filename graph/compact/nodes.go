package compact

import "sync/atomic"

// node is the graph.Ref of a value: its id, in chunks that never move, so a
// pointer identifies the value for the life of the store and converts to an
// interface without allocating. The ids are dense (4 bytes a value), so the
// id behind a ref is usually in cache.
type node struct {
	id uint32
}

// Key implements graph.Ref.
func (n *node) Key() interface{} { return n }

// nodeTable hands out the refs of ids. Its chunks are made on first use, on
// the heap, and never move; every version of the dictionary shares one
// table. So an id has one ref for the life of the store, the same before and
// after a checkpoint maps a new segment file, and a ref never points into a
// file that may be unmapped. Opening a store makes none of them: a query
// makes the chunks of the ids it meets.
//
// Two levels of 1,024 entries cover every uint32 id; readers and the writer
// make missing pages and chunks with a compare-and-swap, so concurrent
// callers agree on one.
type nodeTable struct {
	pages [1 << pageBits]atomic.Pointer[nodePage]
}

// nodePage is the second level of a nodeTable.
type nodePage [1 << pageBits]atomic.Pointer[[chunkSize]node]

const pageBits = (32 - chunkBits) / 2

// node returns the ref of id.
func (t *nodeTable) node(id uint32) *node {
	slot := &t.pages[id>>(chunkBits+pageBits)]
	p := slot.Load()
	if p == nil {
		p = new(nodePage)
		if !slot.CompareAndSwap(nil, p) {
			p = slot.Load()
		}
	}
	cs := &p[id>>chunkBits&(1<<pageBits-1)]
	c := cs.Load()
	if c == nil {
		c = new([chunkSize]node)
		first := id &^ (chunkSize - 1)
		for i := range c {
			c[i].id = first + uint32(i)
		}
		if !cs.CompareAndSwap(nil, c) {
			c = cs.Load()
		}
	}
	return &c[id&(chunkSize-1)]
}
