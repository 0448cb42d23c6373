package eval

import (
	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// binding is one variable's value in a solution, and the store's ref of it
// (nil when the store holds no such node). A binding made from a quad has
// only its ref until its value is asked for (exec.value): joins and keys
// need refs only.
type binding struct {
	v   quad.Value
	ref cgraph.Ref
	id  uint32 // ref's id on an id reader, when the binding was made from one (else 0)
}

func (b binding) bound() bool { return b.ref != nil || b.v != nil }

// key identifies the term of a bound binding, for maps.
func (b binding) key() any {
	if b.ref != nil {
		return b.ref.Key()
	}
	return b.v
}

// same reports whether two bound bindings are the same RDF term. A value the
// store holds always has its ref, so refs decide when either has one.
func (b binding) same(o binding) bool {
	if b.ref != nil || o.ref != nil {
		return b.ref != nil && o.ref != nil && b.ref.Key() == o.ref.Key()
	}
	return b.v == o.v
}

// row is a solution: a binding per variable slot, and the quads matched to
// make it (only when evidence is wanted).
type row struct {
	b  []binding
	ev []cgraph.Ref
}

// clone copies a row, into the run's slab of bindings.
func (x *exec) clone(r row) row {
	b := x.alloc(len(r.b))
	copy(b, r.b)
	return row{b: b, ev: r.ev}
}

// alloc returns n zero bindings, cut from a slab that is allocated in large
// chunks: solutions are many and small.
func (x *exec) alloc(n int) []binding {
	if len(x.slab) < n {
		// Slabs start small, for the many queries of few solutions, and
		// double up to 2,048 bindings (or 256 rows).
		x.slabSize = min(max(2*x.slabSize, 16*n), max(2048, 256*n))
		x.slab = make([]binding, x.slabSize)
	}
	b := x.slab[:n:n]
	x.slab = x.slab[n:]
	return b
}

// any reports whether the row binds any variable.
func (r row) any() bool {
	for _, b := range r.b {
		if b.bound() {
			return true
		}
	}
	return false
}

// compatible reports whether two solutions agree on every variable both bind.
func compatible(a, b row) bool {
	for i := range a.b {
		if a.b[i].bound() && b.b[i].bound() && !a.b[i].same(b.b[i]) {
			return false
		}
	}
	return true
}

// merge returns the union of two compatible solutions.
func (x *exec) merge(a, b row) row {
	out := x.clone(a)
	for i, x := range b.b {
		if !out.b[i].bound() {
			out.b[i] = x
		}
	}
	if len(b.ev) > 0 {
		out.ev = append(append([]cgraph.Ref(nil), a.ev...), b.ev...)
	}
	return out
}

// hashKey is a map key for the values of some slots of a row (unbound
// slots count as nil).
func hashKey(r row, slots []int) any {
	key := func(i int) any {
		if b := r.b[slots[i]]; b.bound() {
			return b.key()
		}
		return nil
	}
	switch len(slots) {
	case 0:
		return nil
	case 1:
		return key(0)
	case 2:
		return [2]any{key(0), key(1)}
	case 3:
		return [3]any{key(0), key(1), key(2)}
	case 4:
		return [4]any{key(0), key(1), key(2), key(3)}
	}
	k := make([]any, len(slots))
	for i := range slots {
		k[i] = key(i)
	}
	return sliceKey(k)
}

// sliceKey makes a comparable key of any number of keys.
func sliceKey(k []any) any {
	var out any = k[0]
	for _, x := range k[1:] {
		out = [2]any{out, x}
	}
	return out
}
