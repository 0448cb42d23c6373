package disk

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sync"
	"sync/atomic"
)

// The log file: a 16-byte header ("FGWAL001", then the number of the segment
// it follows as a little-endian uint64), then records, each a little-endian
// uint32 payload length (never 0), the uint32 CRC-32C (Castagnoli) of the
// payload, and the payload. The file is extended with zeros ahead of the
// records, so a sync after an append flushes data only; a zero length marks
// the end.
const (
	walMagic  = "FGWAL001"
	walHeader = 16
	walFrame  = 8
	walChunk  = 1 << 20 // zeros added at a time
	maxRecord = 1 << 30
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// syncFile makes the records written to a log durable (tests replace it to
// hold a sync back or make it fail).
var syncFile = syncData

// wal is an open log file. The store serialises appends; syncs are shared
// (group commit): a batch waits for a sync that started after its record was
// written, and the first waiter that finds no sync running starts one, which
// covers every record written by then.
type wal struct {
	f     *os.File
	seq   uint64
	size  int64         // file size, zeros past end (the appender's)
	syncs *atomic.Int64 // counts the syncs that made batches durable; may be nil

	mu      sync.Mutex // guards what follows; end changes under it and the store's lock
	cond    sync.Cond  // broadcast when a sync ends
	end     int64      // end of the last whole record
	synced  int64      // end of the records known to be on disk
	syncing bool       // a sync is running
	err     error      // a sync failed: the log takes no more records
}

func newWAL(f *os.File, seq uint64, size int64) *wal {
	w := &wal{f: f, seq: seq, size: size, end: walHeader, synced: walHeader}
	w.cond.L = &w.mu
	return w
}

// createWAL writes an empty log for segment seq at path, synced.
func createWAL(path string, seq uint64) (*wal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	w := newWAL(f, seq, 0)
	hdr := make([]byte, walHeader)
	copy(hdr, walMagic)
	binary.LittleEndian.PutUint64(hdr[8:], seq)
	if _, err := f.WriteAt(hdr, 0); err != nil {
		f.Close()
		return nil, err
	}
	if err := w.extend(walHeader); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

// openWAL opens the log of segment seq at path, for writing or only for
// reading. It does not read records.
func openWAL(path string, seq uint64, write bool) (*wal, error) {
	flag := os.O_RDONLY
	if write {
		flag = os.O_RDWR
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, err
	}
	hdr := make([]byte, walHeader)
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, walHeader), hdr); err != nil || string(hdr[:8]) != walMagic {
		f.Close()
		return nil, fmt.Errorf("%s: offset 0: not a factgraph log (bad header)", path)
	}
	if s := binary.LittleEndian.Uint64(hdr[8:]); s != seq {
		f.Close()
		return nil, fmt.Errorf("%s: offset 8: log of segment %d, want %d", path, s, seq)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return newWAL(f, seq, st.Size()), nil
}

// tailState says how the records of a log end.
type tailState int

const (
	tailClean   tailState = iota // a zero length or the end of the file
	tailTorn                     // a partial or bad last record, then only zeros
	tailDamaged                  // a bad record with data after it
)

// scan reads the records from w.end on, calling fn with each payload and
// its offset, and moves w.end past each record fn accepts. It stops at the
// end of the records and says how they end; an error from fn stops it too.
func (w *wal) scan(fn func(payload []byte, at int64) error) (tailState, error) {
	st, err := w.f.Stat()
	if err != nil {
		return tailClean, err
	}
	w.size = st.Size()
	if w.size <= w.end {
		return tailClean, nil
	}
	buf := make([]byte, w.size-w.end)
	if _, err := w.f.ReadAt(buf, w.end); err != nil && !errors.Is(err, io.EOF) {
		return tailClean, err
	}
	le := binary.LittleEndian
	for p := 0; ; {
		rest := buf[p:]
		if len(rest) < walFrame {
			if allZero(rest) {
				return tailClean, nil
			}
			return tailTorn, nil
		}
		n := le.Uint32(rest)
		if n == 0 {
			if allZero(rest) {
				return tailClean, nil
			}
			return tailDamaged, nil
		}
		if n > maxRecord || int(n) > len(rest)-walFrame || crc32.Checksum(rest[walFrame:walFrame+int(n)], castagnoli) != le.Uint32(rest[4:]) {
			if end := walFrame + int(n); n <= maxRecord && end < len(rest) && !allZero(rest[end:]) {
				return tailDamaged, nil
			}
			return tailTorn, nil
		}
		if err := fn(rest[walFrame:walFrame+int(n)], w.end); err != nil {
			return tailClean, err
		}
		p += walFrame + int(n)
		w.end += int64(walFrame + int(n))
		w.synced = w.end // what a log holds when it is read is as durable as it gets
	}
}

// zeros is compared against the end of a log, which is mostly zeros (the
// file is extended ahead of its records).
var zeros [4096]byte

func allZero(b []byte) bool {
	for len(b) > 0 {
		n := min(len(b), len(zeros))
		if !bytes.Equal(b[:n], zeros[:n]) {
			return false
		}
		b = b[n:]
	}
	return true
}

// dropTail zeroes everything after the last whole record, synced: a torn
// record that was never acknowledged goes away.
func (w *wal) dropTail() error {
	if err := w.f.Truncate(w.end); err != nil {
		return err
	}
	w.size = w.end
	return w.extend(w.end)
}

// extend makes the file at least need bytes long plus a chunk of zeros, synced.
func (w *wal) extend(need int64) error {
	size := need + walChunk
	if err := w.f.Truncate(size); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	w.size = size
	return nil
}

// append writes one record, not yet synced, and returns where it ends: the
// record is durable once waitSynced(end) returns nil.
func (w *wal) append(payload []byte) (end int64, err error) {
	if err := w.failed(); err != nil {
		return 0, err
	}
	if len(payload) == 0 || len(payload) > maxRecord {
		return 0, fmt.Errorf("log record of %d bytes", len(payload))
	}
	rec := make([]byte, walFrame+len(payload))
	binary.LittleEndian.PutUint32(rec, uint32(len(payload)))
	binary.LittleEndian.PutUint32(rec[4:], crc32.Checksum(payload, castagnoli))
	copy(rec[walFrame:], payload)
	if w.end+int64(len(rec))+walFrame > w.size {
		if err := w.extend(w.end + int64(len(rec)) + walFrame); err != nil {
			return 0, err
		}
	}
	if _, err := w.f.WriteAt(rec, w.end); err != nil {
		w.f.WriteAt(make([]byte, len(rec)), w.end) // best effort: leave zeros, not half a record
		return 0, err
	}
	w.mu.Lock()
	w.end += int64(len(rec))
	end = w.end
	w.mu.Unlock()
	return end, nil
}

// failed returns the error of a failed sync, after which the log takes no
// more records.
func (w *wal) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// waitSynced returns once the records up to end are on disk: after a sync
// that is running ends, if that covers them, or else after one it starts
// itself. Batches appended while a sync runs thus share the next one. A
// failed sync fails every batch it should have covered, and every later one.
func (w *wal) waitSynced(end int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.synced < end {
		switch {
		case w.err != nil:
			return w.err
		case w.syncing:
			w.cond.Wait()
			continue
		}
		w.syncing = true
		target := w.end // every record written so far
		w.mu.Unlock()
		err := syncFile(w.f)
		if w.syncs != nil {
			w.syncs.Add(1)
		}
		w.mu.Lock()
		w.syncing = false
		if err != nil {
			w.err = fmt.Errorf("sync the log: %w (the store takes no more writes until it is opened again)", err)
		} else if target > w.synced {
			w.synced = target
		}
		w.cond.Broadcast()
	}
	return nil
}

// syncAll returns once every record written so far is on disk.
func (w *wal) syncAll() error {
	w.mu.Lock()
	end := w.end
	w.mu.Unlock()
	return w.waitSynced(end)
}
