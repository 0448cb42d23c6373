package compact

import (
	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// Reader reads one version of the store in the store's own terms: node ids
// and quad records, with no iterator or allocation per index lookup. It is for
// query engines that join many index lists (the SPARQL engine's basic graph
// patterns): they walk a Cursor per step and compare ids. A Reader sees the
// version that was current when Store.Reader was called, whatever is written
// later; its refs are the store's own and valid in every version.
type Reader struct{ sn *snapshot }

// Reader returns a reader of the store's current version.
func (s *Store) Reader() Reader { return Reader{sn: s.current()} }

// ID returns the id of one of the store's node refs, 0 for nil or any other
// ref. Ids are dense from 1, below Reader.MaxID, and stable for the life of
// the store.
func (r Reader) ID(ref graph.Ref) uint32 {
	if n, ok := ref.(*node); ok && n != nil {
		return n.id
	}
	return 0
}

// MaxID is one more than the largest id of the version.
func (r Reader) MaxID() uint32 { return r.sn.dict.n }

// Node returns the ref of an id (nil for 0).
func (r Reader) Node(id uint32) graph.Ref { return r.sn.nodeRef(id) }

// Value returns the value of an id (nil for 0), as NameOf does.
func (r Reader) Value(id uint32) quad.Value {
	if id == 0 || id >= r.sn.dict.n {
		return nil
	}
	return r.sn.dict.value(id)
}

// Counts are the exact sizes of one version of the store.
type Counts struct {
	Quads   int64 // live quads
	Nodes   int64 // distinct values of live quads, labels included
	Labeled int64 // live quads with a label
}

// Counts returns the version's exact counts.
func (r Reader) Counts() Counts {
	return Counts{Quads: r.sn.quads, Nodes: r.sn.nodes, Labeled: r.sn.labeled}
}

// Cursor walks the live quads of a Reader's version that match a pattern of
// ids. Its zero value is ready for Reader.Scan, and it may be used again for
// another scan: a query keeps one per step.
type Cursor struct {
	sc quadsScanner
}

// Scan starts c on the quads whose subject, predicate, object and label ids
// equal those of pattern that are not 0. It reads the shortest index list of
// the fixed directions (a subject's quads narrowed to a fixed predicate by
// binary search) and checks the others; a fixed subject with few quads is
// read without measuring the other lists, as the joins of a query mostly
// fix one.
func (r Reader) Scan(c *Cursor, pattern [4]uint32) {
	f := filter{ids: pattern}
	if s := pattern[0]; s != 0 {
		if lo, hi, _ := r.sn.gen.seg.list(quad.Subject, s); hi-lo <= fewQuads {
			c.sc.initOn(r.sn, f, quad.Subject)
			return
		}
	}
	c.sc.init(r.sn, f)
}

// fewQuads is the length of a subject's list that Scan reads without
// comparing it with the lists of the pattern's other fixed directions.
const fewQuads = 64

// Next moves to the next matching quad, reporting whether there is one.
func (c *Cursor) Next() bool { return c.sc.next() }

// Quad returns the ref of the current quad (Store.Quad and QuadDirection
// take it).
func (c *Cursor) Quad() graph.Ref {
	if c.sc.cur == nil {
		return nil
	}
	return c.sc.cur
}

// IDs returns the subject, predicate, object and label ids of the current
// quad (0: no label).
func (c *Cursor) IDs() [4]uint32 { return c.sc.cur.dirs }

// Size returns the number of the version's live quads that match pattern
// (as Scan takes it), or, when several directions are fixed and the shortest
// of their lists is long, that list's length: an upper bound. It is for
// planners ordering the steps of a join.
func (r Reader) Size(pattern [4]uint32) int64 {
	return filter{ids: pattern}.size(r.sn).Value
}
