package compact

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/cayleygraph/quad/pquads"
)

// Persister makes a store's changes durable before they become visible. The
// disk store (graph/disk) is one; a store in memory has none.
type Persister interface {
	// Log writes one batch to the log, or fails and the batch is not
	// applied. rec is the batch encoded for Replay; the store does not keep
	// it. The batch is durable once wait returns nil: the store calls wait
	// after it let go of its writer lock, so that batches logged in the
	// meantime can share one sync (group commit), and only then shows the
	// batch to readers and returns. If wait fails, the persister must take
	// no more batches or segments: the store's writer state holds the batch.
	// If checkpoint is true, the store checkpoints right after applying the
	// batch.
	Log(rec []byte) (wait func() error, checkpoint bool, err error)
	// Segment writes a new segment file with write, makes it durable and
	// current, and returns it as mapped into memory; the store then reads
	// its quads, indexes and dictionary from there, and releases it once
	// nothing reads from it. The segment holds every batch
	// logged so far, so their waits may return as soon as it is current. If
	// it fails, nothing changes.
	Segment(write func(io.Writer) error) (File, error)
}

// Open returns a store over the segment file f (mapped into memory
// copy-on-write, so the store may write to its pages; a zero File for an
// empty store) that calls p before any change becomes visible. Opening checks
// the header and the bounds of the sections in constant time; Check verifies
// their contents. The store releases f, and each file a checkpoint maps
// later, once nothing reads from it (see File).
func Open(f File, p Persister) (*Store, error) {
	if f.Data == nil {
		s := New()
		s.persist = p
		return s, nil
	}
	st, err := openFile(f, new(nodeTable))
	if err != nil {
		return nil, err
	}
	s := &Store{persist: p}
	s.use(st)
	s.publish(s.advance())
	return s, nil
}

// use makes what was read from a segment file the store's state.
func (s *Store) use(st stored) {
	s.gen = &generation{seg: st.seg}
	s.dict = st.dict
	s.refs = st.refs
	s.nodes = int64(st.h.nodes)
	s.quads = int64(st.h.quads)
	s.labeled = st.seg.labeled()
}

// Checkpoint rebuilds the segment from the live quads and hands it to the
// persister, which makes it the store's new segment file.
func (s *Store) Checkpoint() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rebuild(nil, nil, true)
}

// SwitchSegment makes f, a segment file written by another process, the
// store's segment and dictionary. f must be a later segment of this store:
// it holds every value this store knows, under the same ids (ids are never
// renumbered), and the quads of the store plus those of batches it has not
// replayed yet. A reader process calls it after a checkpoint of the writer.
func (s *Store) SwitchSegment(f File) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := openFile(f, s.dict.nodes)
	if err != nil {
		return err
	}
	if st.h.ids < s.dict.n {
		return fmt.Errorf("segment holds %d values, the store %d: not a later segment of this store", st.h.ids, s.dict.n)
	}
	// The last value the store knows has the same id there, or the file is
	// another store's.
	if last := s.dict.n - 1; last > 0 {
		old, nv := s.dict.view(), st.dict.view()
		a, b := old.meta(last), nv.meta(last)
		if a.kind != b.kind || !bytes.Equal(old.bytes(a), nv.bytes(b)) {
			return fmt.Errorf("segment value %d is not this store's value %d: not a later segment of this store", last, last)
		}
	}
	s.use(st)
	s.ver++
	s.publish(s.advance())
	return nil
}

// A logged batch (the payload of one log record) is, little-endian:
//
//	u32 first id                  the dictionary's next id before the batch
//	u32 values, then per value:   u8 kind, u32 length, bytes (the raw text
//	                              of an IRI, blank node or string; the
//	                              pquads encoding of any other value)
//	u32 adds, then 16 bytes each  subject, predicate, object, label ids
//	u32 deletes, 16 bytes each    the same, of live quads

// encodeBatch encodes the effective change of a batch whose values were
// interned since m.
func (s *Store) encodeBatch(m mark, adds []quadRec, dels []*quadRec) []byte {
	v := s.dict.view()
	b := make([]byte, 0, 16+16*(len(adds)+len(dels)))
	b = binary.LittleEndian.AppendUint32(b, uint32(m.n))
	b = binary.LittleEndian.AppendUint32(b, s.dict.n-uint32(m.n))
	for id := uint32(m.n); id < s.dict.n; id++ {
		nd := v.meta(id)
		raw := v.bytes(nd)
		if nd.kind == kindOther {
			raw, _ = pquads.MarshalValue(v.others[nd.aux]) // a value built from quad values marshals
		}
		b = append(b, byte(nd.kind))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(raw)))
		b = append(b, raw...)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(adds)))
	for _, a := range adds {
		for _, id := range a.dirs {
			b = binary.LittleEndian.AppendUint32(b, id)
		}
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(dels)))
	for _, r := range dels {
		for _, id := range r.dirs {
			b = binary.LittleEndian.AppendUint32(b, id)
		}
	}
	return b
}

// batchReader reads a logged batch, remembering the first error.
type batchReader struct {
	b   []byte
	err error
}

func (r *batchReader) u32() uint32 {
	if r.err != nil || len(r.b) < 4 {
		r.fail("truncated")
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *batchReader) bytes(n uint32) []byte {
	if r.err != nil || uint64(len(r.b)) < uint64(n) {
		r.fail("truncated")
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

// count reads a count of items of size bytes each that must fit what is left.
func (r *batchReader) count(size int) int {
	n := r.u32()
	if uint64(n)*uint64(size) > uint64(len(r.b)) {
		r.fail("count past the end")
		return 0
	}
	return int(n)
}

func (r *batchReader) fail(msg string) {
	if r.err == nil {
		r.err = fmt.Errorf("logged batch: %s", msg)
	}
}

func (r *batchReader) quad(n uint32) [4]uint32 {
	var t [4]uint32
	for i := range t {
		if t[i] = r.u32(); t[i] >= n {
			r.fail(fmt.Sprintf("id %d out of range", t[i]))
		}
	}
	if t[0] == 0 || t[1] == 0 || t[2] == 0 {
		r.fail("quad without subject, predicate or object")
	}
	return t
}

// Replay applies a batch that Persister.Log was given, without logging it
// again: the log of a persistent store is replayed this way when it opens. A
// batch that does not fit the store (its ids, a quad it adds that is there,
// one it deletes that is not) is an error and changes nothing.
func (s *Store) Replay(rec []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.dict.mark()
	err := s.replay(m, rec)
	if err != nil {
		s.dict.rollback(m)
	}
	return err
}

func (s *Store) replay(m mark, rec []byte) error {
	r := &batchReader{b: rec}
	if first := r.u32(); r.err == nil && first != s.dict.n {
		return fmt.Errorf("logged batch starts at value %d, the store has %d", first, s.dict.n)
	}
	nvals := r.u32()
	for i := uint32(0); i < nvals && r.err == nil; i++ {
		kb := r.bytes(1)
		raw := r.bytes(r.u32())
		if r.err != nil {
			break
		}
		k := kind(kb[0])
		want := s.dict.n
		var id uint32
		switch k {
		case kindIRI, kindBNode, kindString:
			id = s.dict.internBytes(k, raw)
		case kindOther:
			val, err := pquads.UnmarshalValue(raw)
			if err != nil {
				return fmt.Errorf("logged batch: value %d: %w", i, err)
			}
			id = s.dict.internValue(val)
		default:
			return fmt.Errorf("logged batch: value %d has unknown kind %d", i, k)
		}
		if id != want {
			return fmt.Errorf("logged batch: value %d is already known as id %d", i, id)
		}
	}
	sn := s.head
	adds := make([]quadRec, r.count(16))
	for i := range adds {
		if adds[i].dirs = r.quad(s.dict.n); r.err == nil && sn.find(adds[i].dirs) != nil {
			return fmt.Errorf("logged batch: add %d is stored already", i)
		}
	}
	dels := make([]*quadRec, r.count(16))
	for i := range dels {
		t := r.quad(s.dict.n)
		if r.err != nil {
			break
		}
		if dels[i] = sn.find(t); dels[i] == nil {
			return fmt.Errorf("logged batch: delete %d is not stored", i)
		}
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail("trailing bytes")
	}
	if r.err != nil {
		return r.err
	}
	s.replaying = true
	defer func() { s.replaying = false }()
	_, err := s.commit(m, adds, dels) // nothing to wait for: the batch is not logged again
	return err
}
