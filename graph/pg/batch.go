package pg

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/refs"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
)

// batch is one write reduced to its distinct quads (distinct as PostgreSQL
// tells them apart: by the hashes of their values), each with whether it is
// stored once the write is done.
type batch struct {
	quads  []quad.Quad
	hashes []refs.QuadHash
	want   []bool // stored after the write: its last delta adds it
	of     []int  // per delta (ApplyDeltas only): the index of its quad
	index  map[refs.QuadHash]int
}

// newBatch returns the batch of quads, hashing them (on every core for
// many): the quads of the batch are added in order with add.
func newBatch(quads []quad.Quad) (*batch, []refs.QuadHash, error) {
	for i, q := range quads {
		if !q.IsValid() {
			return nil, nil, errs.Errorf(errs.Invalid, "quad %d (%s) lacks a subject, predicate or object", i+1, q)
		}
	}
	return &batch{index: make(map[refs.QuadHash]int, len(quads))}, hashQuads(quads), nil
}

// add returns the index of q, whose hashes are h, in the batch, adding it if
// it is new.
func (b *batch) add(q quad.Quad, h refs.QuadHash) int {
	if i, ok := b.index[h]; ok {
		return i
	}
	i := len(b.quads)
	b.index[h] = i
	b.quads = append(b.quads, q)
	b.hashes = append(b.hashes, h)
	b.want = append(b.want, true)
	return i
}

// addBatch is a load: every quad is to be stored.
func addBatch(quads []quad.Quad) (*batch, error) {
	b, hashes, err := newBatch(quads)
	if err != nil {
		return nil, err
	}
	for i, q := range quads {
		b.add(q, hashes[i])
	}
	return b, nil
}

// deltaBatch is the batch of ApplyDeltas. A quad's presence after the deltas
// is that of its last delta, whatever was stored before: an add leaves it
// stored (new or not), a delete leaves it absent.
func deltaBatch(deltas []cgraph.Delta) (*batch, error) {
	quads := make([]quad.Quad, len(deltas))
	for j, d := range deltas {
		if d.Action != cgraph.Add && d.Action != cgraph.Delete {
			return nil, &cgraph.DeltaError{Delta: d, Err: cgraph.ErrInvalidAction}
		}
		quads[j] = d.Quad
	}
	b, hashes, err := newBatch(quads)
	if err != nil {
		return nil, err
	}
	b.of = make([]int, len(deltas))
	for j, d := range deltas {
		i := b.add(d.Quad, hashes[j])
		b.of[j] = i
		b.want[i] = d.Action == cgraph.Add
	}
	return b, nil
}

// check runs the deltas in order over what the store holds (stored, per
// quad of the batch) and returns the error of the first that opts do not
// let pass: an add of a stored quad, a delete of a missing one.
func (b *batch) check(deltas []cgraph.Delta, opts cgraph.IgnoreOpts, stored []bool) error {
	present := slices.Clone(stored)
	for j, d := range deltas {
		i := b.of[j]
		switch {
		case d.Action == cgraph.Add && present[i] && !opts.IgnoreDup:
			return &cgraph.DeltaError{Delta: d, Err: cgraph.ErrQuadExists}
		case d.Action == cgraph.Delete && !present[i] && !opts.IgnoreMissing:
			return &cgraph.DeltaError{Delta: d, Err: cgraph.ErrQuadNotExist}
		}
		present[i] = d.Action == cgraph.Add
	}
	return nil
}

// allAdds reports whether every quad of the batch is to be stored.
func (b *batch) allAdds() bool { return !slices.Contains(b.want, false) }

// nodeColumns are the columns of Cayley's nodes table that nodeRows fills.
var nodeColumns = []string{"hash", "refs", "value", "value_string", "datatype", "language",
	"iri", "bnode", "value_int", "value_bool", "value_float", "value_time"}

var nodeColumn = func() map[string]int {
	m := make(map[string]int, len(nodeColumns))
	for i, c := range nodeColumns {
		m[c] = i
	}
	return m
}()

// nodeRows returns one row of nodeColumns per value whose count of quad
// directions changes, sorted by hash; refs is the change: +1 for each
// direction of a quad in adds, -1 for each in dels (indexes into b.quads).
// The value columns are Cayley's encoding (csql.NodeValues), so a row is the
// one Cayley's writer would insert.
func (b *batch) nodeRows(adds, dels []int) ([][]any, error) {
	type node struct {
		v    quad.Value
		refs int
	}
	nodes := make(map[refs.ValueHash]*node, len(adds))
	count := func(i, by int) {
		q := b.quads[i]
		for d := quad.Subject; d <= quad.Label; d++ {
			h := b.hashes[i].Get(d)
			if !h.Valid() {
				continue
			}
			n := nodes[h]
			if n == nil {
				n = &node{v: q.Get(d)}
				nodes[h] = n
			}
			n.refs += by
		}
	}
	for _, i := range adds {
		count(i, 1)
	}
	for _, i := range dels {
		count(i, -1)
	}
	// In hash order: rows come into the nodes table's primary key in order.
	hashes := make([]refs.ValueHash, 0, len(nodes))
	for h, n := range nodes {
		if n.refs != 0 {
			hashes = append(hashes, h)
		}
	}
	slices.SortFunc(hashes, func(x, y refs.ValueHash) int { return bytes.Compare(x[:], y[:]) })
	rows := make([][]any, 0, len(hashes))
	for _, h := range hashes {
		n := nodes[h]
		typ, vals, err := csql.NodeValues(csql.NodeHash{ValueHash: h}, n.v)
		if err != nil {
			return nil, fmt.Errorf("value %s: %w", n.v, err)
		}
		row := make([]any, len(nodeColumns))
		row[0], row[1] = vals[0], int32(n.refs)
		for k, col := range typ.Columns() {
			v := vals[k+1]
			if t, ok := v.(time.Time); ok {
				v = toMicroseconds(t)
			}
			row[nodeColumn[col]] = v
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// quadHashes returns the SQL values of a quad's hashes: subject, predicate,
// object, label (nil when it has none).
func (b *batch) quadHashes(i int) (s, p, o, l any) {
	h := &b.hashes[i]
	return hashValue(h.Get(quad.Subject)), hashValue(h.Get(quad.Predicate)),
		hashValue(h.Get(quad.Object)), hashValue(h.Get(quad.Label))
}

func hashValue(h refs.ValueHash) any { return csql.NodeHash{ValueHash: h}.SQLValue() }

// hasher hashes values as Cayley does (refs.HashOf), remembering the hashes
// of IRIs, blank nodes and strings it has seen: predicates and subjects
// repeat from quad to quad. (Other kinds of value need not be comparable.)
type hasher map[quad.Value]refs.ValueHash

func (hs hasher) value(v quad.Value) refs.ValueHash {
	switch v.(type) {
	case nil:
		return refs.ValueHash{}
	case quad.IRI, quad.BNode, quad.String:
		if h, ok := hs[v]; ok {
			return h
		}
		h := refs.HashOf(v)
		hs[v] = h
		return h
	}
	return refs.HashOf(v)
}

// hashQuads returns the hashes of quads' values; a large batch is hashed on
// every core, in parts.
func hashQuads(quads []quad.Quad) []refs.QuadHash {
	out := make([]refs.QuadHash, len(quads))
	parts := 1
	if len(quads) >= 10000 {
		parts = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*len(quads)/parts, (p+1)*len(quads)/parts
		wg.Go(func() {
			hs := make(hasher)
			for i := lo; i < hi; i++ {
				out[i] = hs.quad(quads[i])
			}
		})
	}
	wg.Wait()
	return out
}

func (hs hasher) quad(q quad.Quad) refs.QuadHash {
	var h refs.QuadHash
	for d := quad.Subject; d <= quad.Label; d++ {
		if v := q.Get(d); v != nil {
			h.Set(d, hs.value(v))
		}
	}
	return h
}

// toMicroseconds rounds t to PostgreSQL's precision as PostgreSQL rounds the
// text Cayley's writer sends (lib/pq writes nanoseconds): to the nearest
// microsecond, a half to the even one. pgx would cut the nanoseconds off.
func toMicroseconds(t time.Time) time.Time {
	ns := t.Nanosecond() % 1000
	t = t.Add(-time.Duration(ns))
	if ns > 500 || ns == 500 && t.Nanosecond()/1000%2 == 1 {
		t = t.Add(time.Microsecond)
	}
	return t
}
