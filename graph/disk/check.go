package disk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/factgraph/factgraph/graph/compact"
)

// Report is what Check found in a store.
type Report struct {
	Segment    string // path of the current segment, "" for none yet
	Quads      int64  // quads in the segment
	Values     int64  // values in its dictionary
	Log        string // path of its log, "" for none yet
	LogRecords int    // whole batches in the log
	TornTail   bool   // the log ends in a torn record (a crash while appending; the writer drops it)
	Live       int64  // quads after replaying the log
}

// Check verifies the store in dir without changing it (a writer may be
// running): every byte of the current segment against its checksums and
// the indexes against the quads (compact.Check), then every record of the
// log, by checksum and by replaying it onto the segment. Damage is an error
// naming the file and the offset.
func Check(dir string) (Report, error) {
	var r Report
	if _, err := os.Stat(dir); err != nil {
		return r, err
	}
	seq, err := latestSegment(dir)
	if err != nil {
		return r, err
	}
	var data []byte
	if seq > 0 {
		r.Segment = filepath.Join(dir, segName(seq))
		if data, err = mapFile(r.Segment); err != nil {
			return r, err
		}
		defer unmap(data)
		st, err := compact.Check(data)
		if err != nil {
			return r, fmt.Errorf("%s: %w", r.Segment, err)
		}
		r.Quads, r.Values = st.Quads, st.Values
	}
	cs, err := compact.Open(compact.File{Data: data}, reader{}) // unmapped here, when Check returns
	if err != nil {
		return r, fmt.Errorf("%s: %w", r.Segment, err)
	}
	path := filepath.Join(dir, walName(seq))
	w, err := openWAL(path, seq, false)
	if errors.Is(err, os.ErrNotExist) && seq == 0 {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	defer w.f.Close()
	r.Log = path
	tail, err := w.scan(func(p []byte, at int64) error {
		if err := cs.Replay(p); err != nil {
			return fmt.Errorf("%s: offset %d: %w", path, at, err)
		}
		r.LogRecords++
		return nil
	})
	if err != nil {
		return r, err
	}
	if tail == tailDamaged {
		return r, fmt.Errorf("%s: offset %d: damaged record with records after it", path, w.end)
	}
	r.TornTail = tail == tailTorn
	st, err := cs.Stats(context.Background(), true)
	r.Live = st.Quads.Value
	return r, err
}
