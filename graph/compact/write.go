package compact

import (
	"errors"
	"io"
	"sync/atomic"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// ApplyDeltas implements graph.QuadStore. The batch applies in order and
// atomically: on any error the store, dictionary included, is left exactly as
// it was, and readers never see part of a batch.
func (s *Store) ApplyDeltas(in []graph.Delta, opts graph.IgnoreOpts) error {
	_, _, err := s.ApplyBatch(in, opts)
	return err
}

// ApplyBatch is ApplyDeltas that also reports how many quads the batch added
// and deleted (quads skipped by opts are neither). With several writers at
// once, counting the store before and after would count theirs too.
//
// Batches of several goroutines may run at once: each is checked against
// the batches before it and applied under the writer lock, but a persistent
// store's wait for the batch to be durable happens after the lock is let go,
// so the batches logged while one sync runs share the next. A batch is
// visible to readers, and ApplyBatch returns, only once it is durable.
func (s *Store) ApplyBatch(in []graph.Delta, opts graph.IgnoreOpts) (added, deleted int, err error) {
	s.mu.Lock()
	added, deleted, p, err := s.applyBatch(in, opts)
	s.mu.Unlock()
	if err != nil {
		return 0, 0, err
	}
	if err := p.finish(); err != nil {
		return 0, 0, err
	}
	return added, deleted, nil
}

func (s *Store) applyBatch(in []graph.Delta, opts graph.IgnoreOpts) (added, deleted int, _ *pending, _ error) {
	// A batch of adds too big for the delta rebuilds the segment in bulk,
	// with duplicates found by the sort instead of one lookup per quad.
	bulk := len(in) > s.deltaRoom()
	for i := 0; bulk && i < len(in); i++ {
		bulk = in[i].Action == graph.Add
	}
	if !bulk {
		return s.applySmall(in, opts)
	}
	m := s.dict.mark()
	adds := make([]quadRec, len(in))
	for i := range in {
		adds[i].dirs = s.internQuad(in[i].Quad)
	}
	before := s.quads
	if err := s.rebuild(adds, nil, opts.IgnoreDup); err != nil {
		s.dict.rollback(m)
		var de dupError
		if errors.As(err, &de) {
			return 0, 0, nil, &graph.DeltaError{Delta: in[de.src], Err: graph.ErrQuadExists}
		}
		return 0, 0, nil, err
	}
	return int(s.quads - before), 0, nil, nil
}

// pending is a batch applied to the writer's state whose snapshot waits for
// the batch to be durable before readers see it.
type pending struct {
	s    *Store
	snap *snapshot
	wait func() error
}

// finish waits for the batch to be durable, then publishes it. A nil
// pending has nothing to wait for. If the wait fails, readers never see the
// batch, and the persister takes no more batches (they would be checked
// against one that may not last).
func (p *pending) finish() error {
	if p == nil {
		return nil
	}
	if err := p.wait(); err != nil {
		return err
	}
	p.s.publish(p.snap)
	return nil
}

// deltaRoom is how many more adds the delta takes before a rebuild.
func (s *Store) deltaRoom() int {
	g := s.gen
	if g.recs == nil {
		return deltaCap(len(g.seg.quads))
	}
	return len(g.recs) - int(g.dlen)
}

// deltaCap sizes the delta of a generation whose segment holds n quads: a
// quarter of it, so rebuilds while loading in batches cost O(1) per quad.
func deltaCap(n int) int {
	if n/4 < 1024 {
		return 1024
	}
	return n / 4
}

func (s *Store) internQuad(q quad.Quad) [4]uint32 {
	return [4]uint32{
		s.dict.internValue(q.Subject),
		s.dict.internValue(q.Predicate),
		s.dict.internValue(q.Object),
		s.dict.internValue(q.Label),
	}
}

// lookupQuad finds the ids of q's values among all interned values; ok is
// false if one is unknown.
func (s *Store) lookupQuad(q quad.Quad) (t [4]uint32, ok bool) {
	v := s.dict.view()
	for d := quad.Subject; d <= quad.Label; d++ {
		val := q.Get(d)
		if val == nil {
			continue
		}
		if t[d-1] = v.lookupValue(val); t[d-1] == 0 {
			return t, false
		}
	}
	return t, true
}

func (s *Store) applySmall(in []graph.Delta, opts graph.IgnoreOpts) (added, deleted int, _ *pending, _ error) {
	sn := s.head
	m := s.dict.mark()
	state := make(map[[4]uint32]bool, len(in)) // presence after the deltas so far
	var order [][4]uint32
	exists := func(t [4]uint32) bool {
		if v, ok := state[t]; ok {
			return v
		}
		return sn.find(t) != nil
	}
	fail := func(d graph.Delta, err error) (int, int, *pending, error) {
		s.dict.rollback(m)
		return 0, 0, nil, &graph.DeltaError{Delta: d, Err: err}
	}
	for _, d := range in {
		switch d.Action {
		case graph.Add:
			t := s.internQuad(d.Quad)
			if exists(t) {
				if opts.IgnoreDup {
					continue
				}
				return fail(d, graph.ErrQuadExists)
			}
			if _, seen := state[t]; !seen {
				order = append(order, t)
			}
			state[t] = true
		case graph.Delete:
			t, ok := s.lookupQuad(d.Quad)
			if !ok || !exists(t) {
				if opts.IgnoreMissing {
					continue
				}
				return fail(d, graph.ErrQuadNotExist)
			}
			if _, seen := state[t]; !seen {
				order = append(order, t)
			}
			state[t] = false
		default:
			return fail(d, graph.ErrInvalidAction)
		}
	}
	var (
		adds []quadRec
		dels []*quadRec
	)
	for _, t := range order {
		r := sn.find(t)
		if state[t] && r == nil {
			adds = append(adds, quadRec{dirs: t})
		} else if !state[t] && r != nil {
			dels = append(dels, r)
		}
	}
	if len(adds) == 0 && len(dels) == 0 {
		s.dict.rollback(m)
		return 0, 0, nil, nil
	}
	p, err := s.commit(m, adds, dels)
	if err != nil {
		s.dict.rollback(m)
		return 0, 0, nil, err
	}
	return len(adds), len(dels), p, nil
}

// commit applies a checked batch: adds are new quads, dels live records of
// the head snapshot, and the values interned since m are the batch's own.
// It goes through the delta, or rebuilds the segment when the delta has no
// room or deletes reach half the quads. On error nothing is changed but the
// dictionary, which the caller rolls back. A logged batch comes back pending:
// the caller finishes it once it has let go of the writer lock.
func (s *Store) commit(m mark, adds []quadRec, dels []*quadRec) (*pending, error) {
	g := s.gen
	live := len(g.seg.quads) + int(g.dlen) - g.ndel
	if g.recs == nil {
		if c := deltaCap(len(g.seg.quads)); len(adds) <= c {
			g.recs = make([]deltaRec, c)
		}
	}
	if int(g.dlen)+len(adds) > len(g.recs) || 2*(g.ndel+len(dels)) > live+len(adds) {
		return nil, s.rebuild(adds, dels, true)
	}
	return s.applyDelta(m, adds, dels)
}

// applyDelta appends adds to the delta and stamps dels as deleted, making
// the result the head snapshot. A persistent store logs the batch first (if
// that fails, nothing changes) and returns it pending; any other store
// publishes it at once.
func (s *Store) applyDelta(m mark, adds []quadRec, dels []*quadRec) (*pending, error) {
	var (
		wait       func() error
		checkpoint bool
	)
	if s.persist != nil && !s.replaying {
		var err error
		if wait, checkpoint, err = s.persist.Log(s.encodeBatch(m, adds, dels)); err != nil {
			return nil, err
		}
	}
	g := s.gen
	ver := s.ver + 1
	s.growRefs()
	if need := int(s.dict.n) * 4; len(g.heads) < need {
		// Snapshots see the heads of their own ids only (their slice's
		// length), so the array grows in place into its spare capacity,
		// and is copied only when that runs out: older snapshots keep the
		// old array, which holds all they can see.
		if need <= cap(g.heads) {
			g.heads = g.heads[:need]
		} else {
			heads := make([]uint32, need, need*2)
			copy(heads, g.heads)
			g.heads = heads
		}
		g.tails = append(g.tails, make([]uint32, need-len(g.tails))...)
	}
	for _, a := range adds {
		i := g.dlen
		g.recs[i] = deltaRec{q: quadRec{dirs: a.dirs}}
		g.dlen++
		for d, id := range a.dirs {
			if id == 0 {
				continue
			}
			k := int(id)*4 + d
			if t := g.tails[k]; t != 0 {
				atomic.StoreUint32(&g.recs[t-1].next[d], i+1)
			} else {
				atomic.StoreUint32(&g.heads[k], i+1)
			}
			g.tails[k] = i + 1
			s.ref(id, 1)
		}
		if a.dirs[3] != 0 {
			s.labeled++
		}
	}
	for _, r := range dels {
		atomic.StoreUint32(&r.del, ver) // snapshots before ver still see r
		g.ndel++
		if r.dirs[3] != 0 {
			s.labeled--
		}
		for _, id := range r.dirs {
			if id != 0 {
				s.ref(id, -1)
			}
		}
	}
	s.quads += int64(len(adds) - len(dels))
	s.ver = ver
	sn := s.advance()
	if wait == nil {
		s.publish(sn)
		return nil, nil
	}
	if checkpoint {
		// The batch is in the log; a checkpoint that fails leaves it
		// there, and the next batch tries again.
		_ = s.rebuild(nil, nil, true)
	}
	return &pending{s: s, snap: sn, wait: wait}, nil
}

func (s *Store) growRefs() {
	if n := int(s.dict.n); len(s.refs) < n {
		s.refs = append(s.refs, make([]uint32, n-len(s.refs))...)
	}
}

func (s *Store) ref(id uint32, delta int) {
	old := s.refs[id]
	s.refs[id] = uint32(int(old) + delta)
	switch {
	case old == 0 && delta > 0:
		s.nodes++
	case s.refs[id] == 0:
		s.nodes--
	}
}

// rebuild builds a new generation from the live quads of the head snapshot
// minus dels plus adds, and publishes it: a persistent store's new segment
// is durable by then, with every batch logged before it. Unless ignoreDup, an
// add equal to a stored quad or to an earlier add fails with a dupError and
// changes nothing.
func (s *Store) rebuild(adds []quadRec, dels []*quadRec, ignoreDup bool) error {
	sn := s.head
	var all []quadRec
	if sn.quads == 0 {
		all = adds
	} else {
		gone := make(map[*quadRec]bool, len(dels))
		for _, r := range dels {
			gone[r] = true
		}
		all = make([]quadRec, 0, int(sn.quads)+len(adds))
		sc := newQuadsScanner(sn, filter{})
		for sc.next() {
			if !gone[sc.cur] {
				all = append(all, quadRec{dirs: sc.cur.dirs})
			}
		}
		all = append(all, adds...)
	}
	nold := len(all) - len(adds)
	seg, err := buildSegment(all, nold, s.dict.n, ignoreDup)
	if err != nil {
		return err
	}
	refs := make([]uint32, s.dict.n)
	for d := 0; d < 4; d++ {
		o := seg.off[d]
		if len(o) == 0 {
			continue
		}
		for id := uint32(1); id < seg.nnodes; id++ {
			refs[id] += o[id+1] - o[id]
		}
	}
	var nodes int64
	for _, c := range refs {
		if c != 0 {
			nodes++
		}
	}
	if s.persist != nil && !s.replaying {
		// The new segment replaces the heap one once it is durable, and
		// the file's dictionary replaces the store's: what the store
		// interned since the last file, on the heap, and the last file
		// itself are then read only by older snapshots, until they go.
		f, err := s.persist.Segment(func(w io.Writer) error {
			return writeSegment(w, seg, s.dict, refs, nodes)
		})
		if err != nil {
			return err
		}
		st, err := openFile(f, s.dict.nodes)
		if err != nil {
			return err
		}
		s.use(st)
	} else {
		s.gen = &generation{seg: seg}
		s.refs = refs
		s.nodes = nodes
		s.quads = int64(len(seg.quads))
		s.labeled = seg.labeled()
	}
	s.ver++
	s.publish(s.advance())
	return nil
}

// NewQuadWriter implements graph.QuadStore. Each write is one batch that
// skips quads already stored.
func (s *Store) NewQuadWriter() (quad.WriteCloser, error) { return &quadWriter{s: s}, nil }

type quadWriter struct{ s *Store }

func (w *quadWriter) WriteQuad(q quad.Quad) error {
	_, err := w.WriteQuads([]quad.Quad{q})
	return err
}

func (w *quadWriter) WriteQuads(buf []quad.Quad) (int, error) {
	deltas := make([]graph.Delta, len(buf))
	for i, q := range buf {
		deltas[i] = graph.Delta{Quad: q, Action: graph.Add}
	}
	if err := w.s.ApplyDeltas(deltas, graph.IgnoreOpts{IgnoreDup: true}); err != nil {
		return 0, err
	}
	return len(buf), nil
}

func (w *quadWriter) Close() error { return nil }

// DedupsWithinBatch reports that ApplyDeltas with IgnoreDup stores a quad that
// repeats within one batch once, so loaders need not remove repeats first
// (loaders.BatchDeduper).
func (s *Store) DedupsWithinBatch() bool { return true }
