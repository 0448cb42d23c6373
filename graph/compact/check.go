package compact

import (
	"hash/crc32"

	"github.com/cayleygraph/quad/pquads"
)

// CheckStats says what Check went through.
type CheckStats struct {
	Quads  int64 // quads in the segment
	Values int64 // values in its dictionary
}

// Check verifies a whole segment file: the header, the checksum of every
// section, and that the contents agree: quads sorted, unique and naming
// known values; each index list exactly the quads holding its value; the
// live bits, reference counts and node count matching the indexes; every
// value found through the hash table under its own id. An error is a
// *CorruptError with the offset of the first damage found.
func Check(data []byte) (CheckStats, error) {
	h, err := readHeader(data)
	if err != nil {
		return CheckStats{}, err
	}
	for i, s := range h.secs {
		if crc32.Checksum(h.bytes(data, i), castagnoli) != s.crc {
			return CheckStats{}, corrupt(s.off, "%s section (%d bytes) checksum mismatch", sectionNames[i], s.n)
		}
	}
	seg, _, _ := mapSegment(data)
	d, refs := mapDict(data, h, new(nodeTable))
	at := func(sec int, i, size uint64) uint64 { return h.secs[sec].off + i*size }
	// Quads: sorted by subject, predicate, object, label; unique; valid ids.
	var count [4]uint32
	for i := range seg.quads {
		q := &seg.quads[i]
		if q.del != 0 {
			return CheckStats{}, corrupt(at(secQuads, uint64(i), uint64(sizeofQuadRec))+16, "quad %d has a delete stamp", i)
		}
		for k, id := range q.dirs {
			if id >= h.nnodes || id == 0 && k < 3 {
				return CheckStats{}, corrupt(at(secQuads, uint64(i), uint64(sizeofQuadRec))+uint64(4*k), "quad %d has id %d", i, id)
			}
			if id != 0 {
				count[k]++
			}
		}
		if i > 0 {
			p := &seg.quads[i-1].dirs
			if p[0] > q.dirs[0] || p[0] == q.dirs[0] && !lessPOL(p, &q.dirs) {
				return CheckStats{}, corrupt(at(secQuads, uint64(i), uint64(sizeofQuadRec)), "quad %d is out of order or repeated", i)
			}
		}
	}
	// Indexes: offsets rise and end at the count; each list holds exactly
	// the quads with the id in its direction, in order.
	seen := make([]uint32, h.nnodes) // reference counts rebuilt
	for k := 0; k < 4; k++ {
		o := seg.off[k]
		if len(o) == 0 {
			if count[k] != 0 {
				return CheckStats{}, corrupt(h.secs[secOff0+k].off, "%d quads have a %s but there is no index", count[k], sectionNames[secOff0+k])
			}
			continue
		}
		if o[0] != 0 || o[h.nnodes] != count[k] {
			return CheckStats{}, corrupt(h.secs[secOff0+k].off, "%s run from %d to %d, want 0 to %d", sectionNames[secOff0+k], o[0], o[h.nnodes], count[k])
		}
		for id := uint32(0); id < h.nnodes; id++ {
			if o[id+1] < o[id] {
				return CheckStats{}, corrupt(at(secOff0+k, uint64(id+1), 4), "%s fall at id %d", sectionNames[secOff0+k], id+1)
			}
			lo, hi := o[id], o[id+1]
			seen[id] += hi - lo
			for j := lo; j < hi; j++ {
				p, where := j, at(secQuads, uint64(j), uint64(sizeofQuadRec))
				if k > 0 {
					p, where = seg.ids[k][j], at(secIDs1+k-1, uint64(j), 4)
					if p >= uint32(len(seg.quads)) || j > lo && p <= seg.ids[k][j-1] {
						return CheckStats{}, corrupt(where, "%s entry %d is %d", sectionNames[secIDs1+k-1], j, p)
					}
				}
				if seg.quads[p].dirs[k] != id {
					return CheckStats{}, corrupt(where, "index entry %d of id %d leads to a quad without it", j, id)
				}
			}
		}
	}
	var nodes uint64
	for id := uint32(0); id < h.ids; id++ {
		var want uint32
		if id < h.nnodes {
			want = seen[id]
			if (want != 0) != seg.isLive(id) {
				return CheckStats{}, corrupt(at(secLive, uint64(id/64), 8), "live bit of id %d is wrong", id)
			}
		}
		if refs[id] != want {
			return CheckStats{}, corrupt(at(secRefs, uint64(id), 4), "reference count of id %d is %d, the indexes say %d", id, refs[id], want)
		}
		if want != 0 {
			nodes++
		}
	}
	if nodes != h.nodes {
		return CheckStats{}, corrupt(24, "header counts %d nodes, the indexes %d", h.nodes, nodes)
	}
	// Dictionary: each value in the arena, found under its own id.
	v := d.view()
	arena := uint64(h.secs[secArena].n)
	for id := uint32(1); id < h.ids; id++ {
		nd := v.meta(id)
		where := at(secMetas, uint64(id), uint64(sizeofMeta))
		end := uint64(nd.off) + uint64(nd.n)
		if nd.kind == kindOther {
			end += uint64(nd.aux)
		}
		if nd.blk != 0 || end > arena || nd.kind < kindIRI || nd.kind > kindOther {
			return CheckStats{}, corrupt(where, "value %d: kind %d, %d bytes at %d of a %d-byte arena", id, nd.kind, end-uint64(nd.off), nd.off, arena)
		}
		if nd.kind == kindOther {
			val, err := pquads.UnmarshalValue(v.blocks[0][nd.off+nd.n : nd.off+nd.n+nd.aux])
			if err != nil || val == nil || val.String() != v.str(nd) {
				return CheckStats{}, corrupt(h.secs[secArena].off+uint64(nd.off), "value %d does not decode to its text", id)
			}
		}
		if got := v.lookup(nd.kind, v.str(nd)); got != id {
			return CheckStats{}, corrupt(where, "value %d is found in the hash table as %d", id, got)
		}
	}
	return CheckStats{Quads: int64(h.quads), Values: int64(h.ids) - 1}, nil
}
