package compact

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"unsafe"

	"github.com/cayleygraph/quad/pquads"
)

// The segment file: a 4 KiB header, then 13 sections, each starting at a
// multiple of 64 bytes. All numbers are little-endian. docs/store.md
// describes the format byte by byte.
const (
	segMagic      = "FGSEG001"
	segByteOrder  = 0x01020304
	segVersion    = 2
	segHeaderSize = 4096
	segAlign      = 64
	sizeofMeta    = unsafe.Sizeof(meta{})
)

// The sections, in file order.
const (
	secQuads = iota // quadRec per quad: four ids and a zero stamp
	secOff0         // off[d], nnodes+1 uint32 each (label: may be empty)
	secOff1         //
	secOff2         //
	secOff3         //
	secIDs1         // ids[d], uint32 positions in quads
	secIDs2         //
	secIDs3         //
	secLive         // uint64 bit per id below nnodes
	secRefs         // uint32 per id: quad directions holding it
	secMetas        // meta per id (20 bytes), padded to a chunk
	secArena        // the values' bytes
	secTable        // uint64 hash slots, a power of two
	numSections
)

var sectionNames = [numSections]string{"quads", "subject offsets", "predicate offsets", "object offsets", "label offsets",
	"predicate index", "object index", "label index", "live bits", "reference counts", "dictionary", "arena", "hash table"}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// section is an entry of the header's section table.
type section struct {
	off, n uint64
	crc    uint32
}

// header is the decoded header of a segment file.
type header struct {
	quads  uint64
	nodes  uint64 // ids with a reference count above 0
	ids    uint32 // the dictionary's next id
	nnodes uint32 // ids with index entries
	secs   [numSections]section
}

// CorruptError reports a segment file that does not hold what its header
// says: the offset of the damage and what was found there.
type CorruptError struct {
	Offset int64
	Msg    string
}

func (e *CorruptError) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

func corrupt(off uint64, format string, args ...any) error {
	return &CorruptError{Offset: int64(off), Msg: fmt.Sprintf(format, args...)}
}

func roundChunk(n uint32) uint64 {
	return (uint64(n) + chunkSize - 1) / chunkSize * chunkSize
}

func asBytes[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(z)))
}

func fromBytes[T any](b []byte) []T {
	if len(b) == 0 {
		return nil
	}
	var z T
	return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), len(b)/int(unsafe.Sizeof(z)))
}

// writeSegment writes seg and the dictionary d (with each id's reference
// count and the number of live nodes) as a segment file.
func writeSegment(w io.Writer, seg *segment, d *dict, refs []uint32, nodes int64) error {
	v := d.view()
	n := d.n
	padded := roundChunk(n)
	// The dictionary is rewritten as one arena: block 0, global offsets.
	metas := make([]meta, padded)
	var arena []byte
	for id := uint32(1); id < n; id++ {
		nd := v.meta(id)
		m := meta{off: uint32(len(arena)), n: nd.n, kind: nd.kind}
		arena = append(arena, v.bytes(nd)...)
		if nd.kind == kindOther {
			var enc []byte
			if id < v.mapped {
				enc = v.blocks[nd.blk][nd.off+nd.n : nd.off+nd.n+nd.aux]
			} else {
				var err error
				if enc, err = pquads.MarshalValue(v.others[nd.aux]); err != nil {
					return fmt.Errorf("write segment: value %d: %w", id, err)
				}
			}
			arena = append(arena, enc...)
			m.aux = uint32(len(enc))
		}
		if uint64(len(arena)) > 1<<32-1 {
			return fmt.Errorf("write segment: the values' text is over 4 GiB, the most a segment holds")
		}
		metas[id] = m
	}
	body := [numSections][]byte{
		secQuads: asBytes(seg.quads),
		secOff0:  asBytes(seg.off[0]), secOff1: asBytes(seg.off[1]), secOff2: asBytes(seg.off[2]), secOff3: asBytes(seg.off[3]),
		secIDs1: asBytes(seg.ids[1]), secIDs2: asBytes(seg.ids[2]), secIDs3: asBytes(seg.ids[3]),
		secLive:  asBytes(seg.live),
		secRefs:  asBytes(refs[:n]),
		secMetas: asBytes(metas),
		secArena: arena,
		secTable: asBytes(d.table),
	}
	var hdr [segHeaderSize]byte
	copy(hdr[:], segMagic)
	le := binary.LittleEndian
	le.PutUint32(hdr[8:], segByteOrder)
	le.PutUint32(hdr[12:], segVersion)
	le.PutUint64(hdr[16:], uint64(len(seg.quads)))
	le.PutUint64(hdr[24:], uint64(nodes))
	le.PutUint32(hdr[32:], n)
	le.PutUint32(hdr[36:], seg.nnodes)
	le.PutUint32(hdr[40:], numSections)
	off := uint64(segHeaderSize)
	for i, b := range body {
		e := hdr[48+24*i:]
		le.PutUint64(e, off)
		le.PutUint64(e[8:], uint64(len(b)))
		le.PutUint32(e[16:], crc32.Checksum(b, castagnoli))
		off += alignUp(uint64(len(b)))
	}
	le.PutUint32(hdr[segHeaderSize-4:], crc32.Checksum(hdr[:segHeaderSize-4], castagnoli))
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.Write(hdr[:])
	var pad [segAlign]byte
	for _, b := range body {
		bw.Write(b)
		bw.Write(pad[:alignUp(uint64(len(b)))-uint64(len(b))])
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write segment: %w", err)
	}
	return nil
}

func alignUp(n uint64) uint64 { return (n + segAlign - 1) / segAlign * segAlign }

// readHeader decodes and checks the header of a segment file: its checksum,
// and that every section lies in the file with the length the counts give.
// It reads the header and one offset, whatever the size of the file.
func readHeader(data []byte) (header, error) {
	var h header
	if len(data) < segHeaderSize {
		return h, corrupt(uint64(len(data)), "file ends inside the %d-byte header", segHeaderSize)
	}
	le := binary.LittleEndian
	if string(data[:8]) != segMagic {
		return h, corrupt(0, "not a factgraph segment file (magic %q)", data[:8])
	}
	if sum := crc32.Checksum(data[:segHeaderSize-4], castagnoli); sum != le.Uint32(data[segHeaderSize-4:]) {
		return h, corrupt(segHeaderSize-4, "header checksum mismatch")
	}
	if bo := le.Uint32(data[8:]); bo != segByteOrder {
		return h, corrupt(8, "byte order mark %#x", bo)
	}
	if v := le.Uint32(data[12:]); v != segVersion {
		return h, corrupt(12, "format version %d, this program reads %d", v, segVersion)
	}
	if ns := le.Uint32(data[40:]); ns != numSections {
		return h, corrupt(40, "%d sections, want %d", ns, numSections)
	}
	h.quads, h.nodes = le.Uint64(data[16:]), le.Uint64(data[24:])
	h.ids, h.nnodes = le.Uint32(data[32:]), le.Uint32(data[36:])
	if h.ids == 0 || h.nnodes == 0 || h.nnodes > h.ids {
		return h, corrupt(32, "dictionary of %d ids, indexes of %d", h.ids, h.nnodes)
	}
	end := uint64(segHeaderSize)
	for i := range h.secs {
		e := data[48+24*i:]
		s := section{off: le.Uint64(e), n: le.Uint64(e[8:]), crc: le.Uint32(e[16:])}
		if s.off != end {
			return h, corrupt(uint64(48+24*i), "%s section at %d, want %d", sectionNames[i], s.off, end)
		}
		end = s.off + alignUp(s.n)
		if end > uint64(len(data)) || end < s.off {
			return h, corrupt(uint64(len(data)), "file ends inside the %s section (%d bytes at %d; truncated?)", sectionNames[i], s.n, s.off)
		}
		h.secs[i] = s
	}
	if end != uint64(len(data)) {
		return h, corrupt(end, "%d bytes after the last section", uint64(len(data))-end)
	}
	off1 := uint64(h.nnodes+1) * 4
	pad := roundChunk(h.ids)
	want := [numSections]uint64{
		secQuads: h.quads * uint64(sizeofQuadRec),
		secOff0:  off1, secOff1: off1, secOff2: off1,
		secLive:  uint64(h.nnodes+63) / 64 * 8,
		secRefs:  uint64(h.ids) * 4,
		secMetas: pad * uint64(sizeofMeta),
	}
	for i, n := range want {
		if n == 0 && i != secQuads && i != secLive {
			continue
		}
		if h.secs[i].n != n {
			return h, corrupt(uint64(48+24*i+8), "%s section of %d bytes, want %d", sectionNames[i], h.secs[i].n, n)
		}
	}
	if n := h.secs[secOff3].n; n != 0 && n != off1 {
		return h, corrupt(48+24*secOff3+8, "label offsets section of %d bytes, want 0 or %d", n, off1)
	}
	for d := 1; d < 4; d++ {
		o, ids := h.secs[secOff0+d], h.secs[secIDs1+d-1]
		total := uint64(0)
		if o.n != 0 {
			total = uint64(le.Uint32(data[o.off+o.n-4:])) * 4
		}
		if ids.n != total {
			return h, corrupt(uint64(48+24*(secIDs1+d-1)+8), "%s section of %d bytes, its offsets say %d", sectionNames[secIDs1+d-1], ids.n, total)
		}
	}
	if t := h.secs[secTable].n / 8; t == 0 || t&(t-1) != 0 || h.secs[secTable].n%8 != 0 || uint64(h.ids)*maxLoadDen > t*maxLoadNum {
		return h, corrupt(48+24*secTable+8, "hash table of %d bytes for %d ids", h.secs[secTable].n, h.ids)
	}
	if h.secs[secArena].n > 1<<32-1 {
		return h, corrupt(48+24*secArena+8, "arena of %d bytes, over 4 GiB", h.secs[secArena].n)
	}
	return h, nil
}

func (h *header) bytes(data []byte, i int) []byte {
	s := h.secs[i]
	return data[s.off : s.off+s.n : s.off+s.n]
}

// mapSegment returns the segment whose arrays are the sections of data.
func mapSegment(data []byte) (*segment, header, error) {
	h, err := readHeader(data)
	if err != nil {
		return nil, h, err
	}
	seg := &segment{
		quads:  fromBytes[quadRec](h.bytes(data, secQuads)),
		nnodes: h.nnodes,
		live:   fromBytes[uint64](h.bytes(data, secLive)),
	}
	for d := 0; d < 4; d++ {
		seg.off[d] = fromBytes[uint32](h.bytes(data, secOff0+d))
		if d > 0 {
			seg.ids[d] = fromBytes[uint32](h.bytes(data, secIDs1+d-1))
		}
	}
	return seg, h, nil
}

// mapDict returns the dictionary and reference counts stored in data, whose
// refs are those of nodes.
func mapDict(data []byte, h header, nodes *nodeTable) (*dict, []uint32) {
	metas := h.bytes(data, secMetas)
	d := &dict{mapped: h.ids, n: h.ids, cur: -1, nodes: nodes, table: fromBytes[uint64](h.bytes(data, secTable))}
	for i := 0; i < int(roundChunk(h.ids)/chunkSize); i++ {
		d.metas = append(d.metas, (*[chunkSize]meta)(unsafe.Pointer(&metas[i*chunkSize*int(sizeofMeta)])))
	}
	d.blocks = [][]byte{h.bytes(data, secArena)}
	d.copies = newArenaCopies(d.blocks[0])
	return d, fromBytes[uint32](h.bytes(data, secRefs))
}

// stored is what a store reads from a segment file.
type stored struct {
	seg  *segment
	dict *dict
	refs []uint32
	h    header
}

// openFile checks the header of a segment file and returns its segment,
// dictionary (sharing nodes) and reference counts, all holding the file's
// mapping, so that it stays mapped while any of them is in use.
func openFile(f File, nodes *nodeTable) (stored, error) {
	seg, h, err := mapSegment(f.Data)
	if err != nil {
		return stored{}, err
	}
	d, refs := mapDict(f.Data, h, nodes)
	m := newMapping(f)
	seg.file, d.file = m, m
	return stored{seg: seg, dict: d, refs: refs, h: h}, nil
}
