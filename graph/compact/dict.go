package compact

import (
	"bytes"
	"sync/atomic"
	"unsafe"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/cespare/xxhash/v2"

	"github.com/factgraph/factgraph/internal/nqfast"
)

// kind says how a value's bytes are stored in the arena. IRIs, blank nodes and
// plain strings, which are nearly all values in real data, keep only their raw
// text; any other value keeps its canonical text (quad.Value.String) for
// identity and the value itself for NameOf.
// (The kinds are those of the parser's terms, so that a bulk load interns a
// term's bytes as they are.)
type kind = nqfast.Kind

const (
	kindIRI    = nqfast.KindIRI
	kindBNode  = nqfast.KindBNode
	kindString = nqfast.KindString
	kindOther  = nqfast.KindOther
)

// meta says where a value's text is. Its layout is also the layout of the
// dictionary section of a segment file (docs/store.md).
type meta struct {
	blk  uint32 // arena block
	off  uint32 // offset in the block
	n    uint32 // length in bytes
	aux  uint32 // kindOther: index into others, or for ids read from a file the length of the encoded value after the text
	kind kind
}

const (
	chunkBits  = 12
	chunkSize  = 1 << chunkBits
	blockSize  = 256 << 10
	bigString  = blockSize / 4
	maxLoadNum = 3 // table grows past 3/4 full
	maxLoadDen = 4
)

// dict interns values as dense uint32 ids (0 means "no value"). It is written
// by one writer at a time and read concurrently through dictViews: everything
// a view can see is append-only, and the hash table's slots are read and
// written atomically, so readers never need a lock. A reader ignores ids at or
// above its view's n.
//
// The ids below mapped came from a segment file (mapDict): their metas,
// arena (block 0) and hash table are the file's bytes, mapped copy-on-write
// (file keeps the mapping alive), and a kindOther value among them is
// decoded from the arena instead of being kept in others. Values handed out
// are strings into heap copies of the arena's blocks (copies), so that none
// points into the mapping. The hash function
// is fixed, so a table written to a file stays valid in the next process.
// The refs of ids are in nodes, which every version of the dictionary shares.
type dict struct {
	mapped uint32
	file   *mapping
	copies *arenaCopies // of the mapped arena, for values handed out
	nodes  *nodeTable
	metas  []*[chunkSize]meta
	n      uint32 // next id
	blocks [][]byte
	cur    int // block being filled, -1 for none
	fill   int // bytes used in block cur
	others []quad.Value
	table  []uint64 // hash tag << 32 | id, 0 = empty
}

// dictView is what a snapshot sees of the dictionary.
type dictView struct {
	mapped uint32
	file   *mapping
	copies *arenaCopies
	nodes  *nodeTable
	metas  []*[chunkSize]meta
	n      uint32
	blocks [][]byte
	others []quad.Value
	table  []uint64
}

func newDict() *dict {
	d := &dict{n: 1, cur: -1, nodes: new(nodeTable), table: make([]uint64, 1024)}
	d.addChunk() // id 0 is never used
	return d
}

func (d *dict) view() dictView {
	return dictView{mapped: d.mapped, file: d.file, copies: d.copies, nodes: d.nodes, metas: d.metas, n: d.n, blocks: d.blocks, others: d.others, table: d.table}
}

// mark is a point the dictionary can be rolled back to.
type mark struct {
	n, nblocks, cur, fill, nothers int
	table                          []uint64
}

func (d *dict) mark() mark {
	return mark{n: int(d.n), nblocks: len(d.blocks), cur: d.cur, fill: d.fill, nothers: len(d.others), table: d.table}
}

// rollback forgets every value interned since m. Slots filled since then are
// cleared in the table that was current at m; no key older than m probes
// through them, so the table is exactly as it was.
func (d *dict) rollback(m mark) {
	if uint32(m.n) == d.n {
		return
	}
	v := d.view()
	for id := uint32(m.n); id < d.n; id++ {
		md := v.meta(id)
		h := hashBytes(md.kind, v.bytes(md))
		i := h & uint64(len(m.table)-1)
		for {
			s := atomic.LoadUint64(&m.table[i])
			if uint32(s) == id {
				atomic.StoreUint64(&m.table[i], 0)
				break
			}
			if s == 0 {
				break
			}
			i = (i + 1) & uint64(len(m.table)-1)
		}
	}
	d.table = m.table
	d.n = uint32(m.n)
	d.blocks = d.blocks[:m.nblocks]
	d.cur, d.fill = m.cur, m.fill
	d.others = d.others[:m.nothers]
}

// hashBytes is the dictionary's hash of a value: xxhash64 of its text, mixed
// with its kind. It is part of the segment file format.
func hashBytes(k kind, b []byte) uint64 {
	return xxhash.Sum64(b) ^ uint64(k)*0x9E3779B97F4A7C15
}

func hashString(k kind, s string) uint64 {
	return xxhash.Sum64String(s) ^ uint64(k)*0x9E3779B97F4A7C15
}

func (v *dictView) node(id uint32) *node { return v.nodes.node(id) }

func (v *dictView) meta(id uint32) *meta {
	return &v.metas[id>>chunkBits][id&(chunkSize-1)]
}

func (v *dictView) bytes(nd *meta) []byte {
	return v.blocks[nd.blk][nd.off : nd.off+nd.n : nd.off+nd.n]
}

func (v *dictView) str(nd *meta) string {
	if nd.n == 0 {
		return ""
	}
	return unsafe.String(&v.blocks[nd.blk][nd.off], nd.n)
}

// text returns the text of id for a value handed out: the arena's bytes
// themselves for a value on the heap, a heap copy for one in a mapped file,
// which may be unmapped while the value is still in use.
func (v *dictView) text(id uint32, nd *meta) string {
	if id < v.mapped {
		return v.copies.text(nd.off, nd.n)
	}
	return v.str(nd)
}

// value rebuilds the quad.Value of an id.
func (v *dictView) value(id uint32) quad.Value {
	nd := v.meta(id)
	switch nd.kind {
	case kindIRI:
		return quad.IRI(v.text(id, nd))
	case kindBNode:
		return quad.BNode(v.text(id, nd))
	case kindString:
		return quad.String(v.text(id, nd))
	case kindOther:
		if id < v.mapped {
			b := v.blocks[nd.blk][nd.off+nd.n : nd.off+nd.n+nd.aux]
			val, err := pquads.UnmarshalValue(b)
			if err != nil {
				return quad.String(v.str(nd)) // check reports the damage
			}
			return val
		}
		return v.others[nd.aux]
	}
	return nil
}

// classify splits a value into a kind and the text that identifies it.
func classify(val quad.Value) (kind, string) {
	switch x := val.(type) {
	case quad.IRI:
		return kindIRI, string(x)
	case quad.BNode:
		return kindBNode, string(x)
	case quad.String:
		return kindString, string(x)
	}
	return kindOther, val.String()
}

// lookup finds the id of (k, s) visible in the view, or 0.
func (v *dictView) lookup(k kind, s string) uint32 {
	h := hashString(k, s)
	mask := uint64(len(v.table) - 1)
	tag := h >> 32
	for i := h & mask; ; i = (i + 1) & mask {
		slot := atomic.LoadUint64(&v.table[i])
		if slot == 0 {
			return 0
		}
		id := uint32(slot)
		if slot>>32 != tag || id >= v.n {
			continue
		}
		if nd := v.meta(id); nd.kind == k && v.str(nd) == s {
			return id
		}
	}
}

// lookupValue finds the id of val visible in the view, or 0.
func (v *dictView) lookupValue(val quad.Value) uint32 {
	if val == nil {
		return 0
	}
	k, s := classify(val)
	return v.lookup(k, s)
}

// internValue returns the id of val, adding it if new.
func (d *dict) internValue(val quad.Value) uint32 {
	if val == nil {
		return 0
	}
	k, s := classify(val)
	h := hashString(k, s)
	if id := d.find(h, k, unsafe.Slice(unsafe.StringData(s), len(s))); id != 0 {
		return id
	}
	return d.insert(h, k, unsafe.Slice(unsafe.StringData(s), len(s)), val)
}

// internBytes returns the id of the simple value (k, b), adding it if new.
// b is copied.
func (d *dict) internBytes(k kind, b []byte) uint32 {
	h := hashBytes(k, b)
	if id := d.find(h, k, b); id != 0 {
		return id
	}
	return d.insert(h, k, b, nil)
}

func (d *dict) find(h uint64, k kind, b []byte) uint32 {
	mask := uint64(len(d.table) - 1)
	tag := h >> 32
	for i := h & mask; ; i = (i + 1) & mask {
		slot := d.table[i] // only the writer stores slots
		if slot == 0 {
			return 0
		}
		if slot>>32 != tag {
			continue
		}
		id := uint32(slot)
		nd := &d.metas[id>>chunkBits][id&(chunkSize-1)]
		if nd.kind == k && int(nd.n) == len(b) && bytes.Equal(d.blocks[nd.blk][nd.off:nd.off+nd.n], b) {
			return id
		}
	}
}

func (d *dict) insert(h uint64, k kind, b []byte, val quad.Value) uint32 {
	if (int(d.n)+1)*maxLoadDen > len(d.table)*maxLoadNum {
		d.grow()
	}
	id := d.n
	if int(id>>chunkBits) == len(d.metas) {
		d.addChunk()
	}
	nd := &d.metas[id>>chunkBits][id&(chunkSize-1)]
	*nd = meta{kind: k, n: uint32(len(b))}
	nd.blk, nd.off = d.store(b)
	if k == kindOther {
		nd.aux = uint32(len(d.others))
		d.others = append(d.others, val)
	}
	d.n++
	mask := uint64(len(d.table) - 1)
	i := h & mask
	for d.table[i] != 0 {
		i = (i + 1) & mask
	}
	atomic.StoreUint64(&d.table[i], h>>32<<32|uint64(id))
	return id
}

// store copies b into the arena. Blocks are allocated at full length and
// never resliced, so readers of older views never race with the writer.
// Long strings get a block of their own.
func (d *dict) store(b []byte) (blk, off uint32) {
	if len(b) == 0 {
		return 0, 0
	}
	if len(b) > bigString {
		d.blocks = append(d.blocks, append([]byte(nil), b...))
		return uint32(len(d.blocks) - 1), 0
	}
	if d.cur < 0 || d.fill+len(b) > blockSize {
		d.blocks = append(d.blocks, make([]byte, blockSize))
		d.cur = len(d.blocks) - 1
		d.fill = 0
	}
	off = uint32(d.fill)
	copy(d.blocks[d.cur][d.fill:], b)
	d.fill += len(b)
	return uint32(d.cur), off
}

func (d *dict) grow() {
	nt := make([]uint64, len(d.table)*2)
	mask := uint64(len(nt) - 1)
	v := d.view()
	for id := uint32(1); id < d.n; id++ {
		nd := v.meta(id)
		h := hashBytes(nd.kind, v.bytes(nd))
		i := h & mask
		for nt[i] != 0 {
			i = (i + 1) & mask
		}
		nt[i] = h>>32<<32 | uint64(id)
	}
	d.table = nt
}

func (d *dict) addChunk() {
	d.metas = append(d.metas, new([chunkSize]meta))
}
