package compact

import (
	"fmt"
	"io"

	"github.com/factgraph/factgraph/internal/nqfast"
)

// LoadStats reports what LoadNQuads did.
type LoadStats struct {
	Read  int // quads read
	Added int // quads new to the store
}

// LoadNQuads adds the quads of an N-Quads (or N-Triples) document in one
// atomic batch: all of them or, on error, none. Quads already stored, and
// repeats, are skipped. It reads exactly what Cayley's nquads reader reads,
// but interns terms straight from the input bytes and builds the indexes in
// bulk; reading from r runs concurrently with parsing, so a decompressing
// reader costs little extra.
func (s *Store) LoadNQuads(r io.Reader) (LoadStats, error) {
	pr, pw := io.Pipe()
	go func() {
		buf := make([]byte, 1<<20)
		_, err := io.CopyBuffer(pw, r, buf)
		pw.CloseWithError(err)
	}()
	defer pr.Close()

	s.mu.Lock()
	st, p, err := s.loadNQuads(pr)
	s.mu.Unlock()
	if err != nil {
		return LoadStats{}, err
	}
	if err := p.finish(); err != nil {
		return LoadStats{}, fmt.Errorf("load n-quads: %w", err)
	}
	return st, nil
}

func (s *Store) loadNQuads(pr io.Reader) (LoadStats, *pending, error) {
	m := s.dict.mark()
	var (
		st   LoadStats
		t    [4]nqfast.Term
		adds []quadRec
	)
	lr := nqfast.NewLineReader(pr)
	for {
		line, err := lr.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			s.dict.rollback(m)
			return LoadStats{}, nil, fmt.Errorf("load n-quads: %w", err)
		}
		n, q, slow, skip, err := nqfast.ParseLine(line, &t)
		if err != nil {
			s.dict.rollback(m)
			return LoadStats{}, nil, fmt.Errorf("load n-quads: line %d: %w", lr.Line(), err)
		}
		if skip {
			continue
		}
		var rec quadRec
		if slow {
			rec.dirs = s.internQuad(q)
		} else {
			for i := 0; i < n; i++ {
				rec.dirs[i] = s.internTerm(&t[i])
			}
		}
		adds = append(adds, rec)
	}
	st.Read = len(adds)
	before := s.quads
	p, err := s.addIDs(m, adds)
	if err != nil {
		s.dict.rollback(m)
		return LoadStats{}, nil, fmt.Errorf("load n-quads: %w", err)
	}
	st.Added = int(s.quads - before)
	return st, p, nil
}

func (s *Store) internTerm(t *nqfast.Term) uint32 {
	if t.Kind == kindOther {
		return s.dict.internValue(t.Val)
	}
	return s.dict.internBytes(t.Kind, t.B)
}

// addIDs adds quads, skipping those stored or repeated: in bulk when they
// overflow the delta, else through it (pending, for a persistent store). The
// values interned since m are the batch's own.
func (s *Store) addIDs(m mark, adds []quadRec) (*pending, error) {
	if len(adds) > s.deltaRoom() {
		return nil, s.rebuild(adds, nil, true) // duplicates are ignored, so only persisting can fail
	}
	sn := s.head
	seen := make(map[[4]uint32]bool, len(adds))
	fresh := adds[:0]
	for _, a := range adds {
		if seen[a.dirs] || sn.find(a.dirs) != nil {
			continue
		}
		seen[a.dirs] = true
		fresh = append(fresh, a)
	}
	if len(fresh) == 0 {
		return nil, nil
	}
	return s.commit(m, fresh, nil)
}
