package disk

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
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

// wal is an open log file.
type wal struct {
	f    *os.File
	seq  uint64
	end  int64 // end of the last whole record
	size int64 // file size, zeros past end
}

// createWAL writes an empty log for segment seq at path, synced.
func createWAL(path string, seq uint64) (*wal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	w := &wal{f: f, seq: seq, end: walHeader}
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
	return &wal{f: f, seq: seq, end: walHeader, size: st.Size()}, nil
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
	}
}

func allZero(b []byte) bool {
	return len(bytes.TrimLeft(b, "\x00")) == 0
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

// append writes one record and syncs it to disk.
func (w *wal) append(payload []byte) error {
	if len(payload) == 0 || len(payload) > maxRecord {
		return fmt.Errorf("log record of %d bytes", len(payload))
	}
	rec := make([]byte, walFrame+len(payload))
	binary.LittleEndian.PutUint32(rec, uint32(len(payload)))
	binary.LittleEndian.PutUint32(rec[4:], crc32.Checksum(payload, castagnoli))
	copy(rec[walFrame:], payload)
	if w.end+int64(len(rec))+walFrame > w.size {
		if err := w.extend(w.end + int64(len(rec)) + walFrame); err != nil {
			return err
		}
	}
	if _, err := w.f.WriteAt(rec, w.end); err != nil {
		w.f.WriteAt(make([]byte, len(rec)), w.end) // best effort: leave zeros, not half a record
		return err
	}
	if err := syncData(w.f); err != nil {
		return err
	}
	w.end += int64(len(rec))
	return nil
}
