package compact

import (
	"sort"

	"github.com/cayleygraph/quad"
)

// quadRec is one stored quad as four value ids (0 = no value), and *quadRec is
// the graph.Ref of a quad.
type quadRec struct {
	dirs [4]uint32 // subject, predicate, object, label
	del  uint32    // version that deleted the quad, 0 while live; atomic
}

// Key implements graph.Ref.
func (q *quadRec) Key() interface{} { return q }

// segment is the immutable, compact part of a generation: quads sorted by
// subject (then predicate, object, label) and, per direction, a CSR index from
// value id to the quads that hold it there. Subject lists are ranges of quads,
// so they need no id array.
type segment struct {
	quads  []quadRec
	nnodes uint32      // ids below nnodes have entries in off
	off    [4][]uint32 // off[d][id]..off[d][id+1] bounds id's entries in direction d
	ids    [4][]uint32 // positions in quads; ids[0] (subject) is unused
	live   []uint64    // bit per id: the id is in some quad of the segment
	file   *mapping    // the file the arrays are in, nil for the heap
}

// list returns the positions (or, for subjects, the range) of id's quads in
// direction d.
func (s *segment) list(d quad.Direction, id uint32) (lo, hi uint32, ids []uint32) {
	if id == 0 || id >= s.nnodes {
		return 0, 0, nil
	}
	o := s.off[d-1]
	if len(o) == 0 {
		return 0, 0, nil
	}
	lo, hi = o[id], o[id+1]
	if d == quad.Subject {
		return lo, hi, nil
	}
	return lo, hi, s.ids[d-1][lo:hi]
}

// labeled returns the number of the segment's quads with a label.
func (s *segment) labeled() int64 { return int64(len(s.ids[3])) }

func (s *segment) isLive(id uint32) bool {
	return id < s.nnodes && s.live[id>>6]&(1<<(id&63)) != 0
}

// dupError reports that input quad src repeats an earlier quad.
type dupError struct{ src int }

func (dupError) Error() string { return "duplicate quad" }

// buildSegment builds a segment from quads whose ids are below nnodes. The
// first nold quads are already unique (the live quads of the store); of the
// rest, a quad equal to an earlier one is dropped, or, unless ignoreDup, makes
// buildSegment fail with a dupError naming its position minus nold.
func buildSegment(in []quadRec, nold int, nnodes uint32, ignoreDup bool) (*segment, error) {
	s := &segment{nnodes: nnodes}
	n := len(in)
	// Counting sort by subject, carrying each quad's input position.
	off := make([]uint32, nnodes+1)
	for i := range in {
		off[in[i].dirs[0]]++
	}
	var sum uint32
	for i := range off {
		c := off[i]
		off[i] = sum
		sum += c
	}
	quads := make([]quadRec, n)
	src := make([]int32, n)
	pos := append([]uint32(nil), off...)
	for i := range in {
		sid := in[i].dirs[0]
		p := pos[sid]
		pos[sid]++
		quads[p] = quadRec{dirs: in[i].dirs}
		src[p] = int32(i)
	}
	pos = nil
	// Order each subject's quads and drop repeats, keeping the earliest.
	w := 0
	for sid := uint32(0); sid < nnodes; sid++ {
		lo, hi := int(off[sid]), int(off[sid+1])
		off[sid] = uint32(w)
		g := groupSorter{quads[lo:hi], src[lo:hi]}
		if hi-lo > 1 {
			if hi-lo <= 12 {
				g.insertionSort()
			} else {
				sort.Stable(g)
			}
		}
		for i := lo; i < hi; i++ {
			if i > lo && quads[i].dirs == quads[w-1].dirs {
				if int(src[i]) >= nold && !ignoreDup {
					// report the later of the two inputs
					later := src[i]
					if src[w-1] > later {
						later = src[w-1]
					}
					return nil, dupError{src: int(later) - nold}
				}
				continue
			}
			quads[w] = quads[i]
			src[w] = src[i]
			w++
		}
	}
	off[nnodes] = uint32(w)
	s.quads = quads[:w:w]
	s.off[0] = off
	src = nil
	// CSR for predicate, object and label by counting sort of positions.
	for d := 1; d < 4; d++ {
		o := make([]uint32, nnodes+1)
		any := false
		for i := range s.quads {
			if v := s.quads[i].dirs[d]; v != 0 {
				o[v]++
				any = true
			}
		}
		if !any && d == 3 { // no labels: keep no label index at all
			continue
		}
		var sum uint32
		for i := range o {
			c := o[i]
			o[i] = sum
			sum += c
		}
		ids := make([]uint32, sum)
		p := append([]uint32(nil), o...)
		for i := range s.quads {
			if v := s.quads[i].dirs[d]; v != 0 {
				ids[p[v]] = uint32(i)
				p[v]++
			}
		}
		s.off[d], s.ids[d] = o, ids
	}
	s.live = make([]uint64, (nnodes+63)/64)
	for d := 0; d < 4; d++ {
		o := s.off[d]
		if len(o) == 0 {
			continue
		}
		for id := uint32(1); id < nnodes; id++ {
			if o[id+1] != o[id] {
				s.live[id>>6] |= 1 << (id & 63)
			}
		}
	}
	return s, nil
}

// groupSorter orders one subject's quads by predicate, object and label.
type groupSorter struct {
	q   []quadRec
	src []int32
}

func (g groupSorter) Len() int { return len(g.q) }
func (g groupSorter) Less(i, j int) bool {
	return lessPOL(&g.q[i].dirs, &g.q[j].dirs)
}
func (g groupSorter) Swap(i, j int) {
	g.q[i], g.q[j] = g.q[j], g.q[i]
	g.src[i], g.src[j] = g.src[j], g.src[i]
}

func (g groupSorter) insertionSort() {
	for i := 1; i < len(g.q); i++ {
		for j := i; j > 0 && g.Less(j, j-1); j-- {
			g.Swap(j, j-1)
		}
	}
}

func lessPOL(a, b *[4]uint32) bool {
	if a[1] != b[1] {
		return a[1] < b[1]
	}
	if a[2] != b[2] {
		return a[2] < b[2]
	}
	return a[3] < b[3]
}
