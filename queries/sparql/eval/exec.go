package eval

import (
	"context"
	"fmt"
	"regexp"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/compact"
)

// exec is the state of one run of a plan.
type exec struct {
	ctx   context.Context
	qs    cgraph.QuadStore
	rd    *compact.Reader // qs read in ids, nil for other stores (see matchIDs)
	ds    *dataset
	slots int
	ev    bool // rows record the quads they matched
	now   time.Time
	refs  map[quad.Value]cgraph.Ref
	names map[any]quad.Value
	bnode int    // counter for BNODE()
	runID string // tells the blank nodes of one run from another's
	err   error
	ticks int

	regexps   map[string]*regexp.Regexp
	rowID     string                // the solution BNODE(str) last ran on
	rowBNodes map[string]quad.Value // its blank nodes by string
	graphs    []cgraph.Ref          // the named graphs, listed once
	curGraph  cgraph.Ref            // the graph GRAPH runs its pattern in

	slab     []binding // see alloc
	slabSize int       // the length of the last slab
	maxDepth int       // bound of path closures (0: none)
	warn     func(string)
	warned   map[string]bool
	cursors  []*compact.Cursor // see cursor
	bufs     [][]binding       // see buffer
}

// warnOnce tells Options.Warn of a cut, once.
func (x *exec) warnOnce(msg string) {
	if x.warn == nil || x.warned[msg] {
		return
	}
	if x.warned == nil {
		x.warned = map[string]bool{}
	}
	x.warned[msg] = true
	x.warn(msg)
}

// alive reports whether the run goes on: no error, and (checked now and
// then) a live context.
func (x *exec) alive() bool {
	if x.err != nil {
		return false
	}
	x.ticks++
	if x.ticks&1023 == 0 {
		if err := x.ctx.Err(); err != nil {
			x.err = err
			return false
		}
	}
	return true
}

func (x *exec) fail(err error) bool {
	if x.err == nil {
		x.err = err
	}
	return false
}

// refOf returns the store's ref of a value, nil if it holds none.
func (x *exec) refOf(v quad.Value) cgraph.Ref {
	if r, ok := x.refs[v]; ok {
		return r
	}
	r, err := x.qs.ValueOf(v)
	if err != nil {
		x.fail(fmt.Errorf("look up %v: %w", v, err))
	}
	if r == nil {
		if t, ok := v.(quad.TypedString); ok {
			// The store may hold the native value its reader made of it.
			if nv, err := t.ParseValue(); err == nil {
				if _, still := nv.(quad.TypedString); !still {
					r, _ = x.qs.ValueOf(nv)
				}
			}
		} else if s, ok := v.(quad.String); ok {
			r, _ = x.qs.ValueOf(quad.TypedString{Value: s, Type: xsdString})
		}
	}
	if len(x.refs) < 1<<16 {
		x.refs[v] = r
	}
	return r
}

// nameOf returns the value of a ref, as SPARQL sees it. An id reader names
// ids as fast as the cache would, so only other stores' names are cached.
func (x *exec) nameOf(r cgraph.Ref) quad.Value {
	if id := x.idOf(r); id != 0 {
		if v := x.rd.Value(id); v != nil { // nil: a value newer than the reader
			return normalize(v)
		}
	}
	k := r.Key()
	if v, ok := x.names[k]; ok {
		return v
	}
	v, err := x.qs.NameOf(r)
	if err != nil {
		x.fail(fmt.Errorf("name of %v: %w", r, err))
		return nil
	}
	v = normalize(v)
	if len(x.names) < 1<<20 {
		x.names[k] = v
	}
	return v
}

// value returns the value of a binding, naming its ref if need be.
func (x *exec) value(b binding) quad.Value {
	if b.v != nil || b.ref == nil {
		return b.v
	}
	return x.nameOf(b.ref)
}

// bind makes the binding of a computed value.
func (x *exec) bind(v quad.Value) binding {
	if v == nil {
		return binding{}
	}
	return binding{v: v, ref: x.refOf(v)}
}

func (x *exec) newRow() row { return row{b: x.alloc(x.slots)} }
