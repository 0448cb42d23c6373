package disk

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/factgraph/factgraph/graph/compact"
)

// File names in a store's directory.
const (
	lockName  = "LOCK"
	segPrefix = "seg-"
	segSuffix = ".fgs"
	walPrefix = "wal-"
	walSuffix = ".log"
	tmpSuffix = ".tmp"
)

func segName(seq uint64) string { return fmt.Sprintf("%s%016d%s", segPrefix, seq, segSuffix) }
func walName(seq uint64) string { return fmt.Sprintf("%s%016d%s", walPrefix, seq, walSuffix) }

// fileSeq returns the number in a segment or log file name.
func fileSeq(name, prefix, suffix string) (uint64, bool) {
	if !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, suffix) {
		return 0, false
	}
	n, err := strconv.ParseUint(name[len(prefix):len(name)-len(suffix)], 10, 64)
	return n, err == nil
}

// latestSegment returns the number of the newest segment in dir, 0 for none.
func latestSegment(dir string) (uint64, error) {
	names, err := readNames(dir)
	if err != nil {
		return 0, err
	}
	var best uint64
	for _, n := range names {
		if seq, ok := fileSeq(n, segPrefix, segSuffix); ok && seq > best {
			best = seq
		}
	}
	return best, nil
}

func readNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// removeStale deletes what a writer that stopped left behind: files being
// written (.tmp), older segments and logs, and the log of a segment whose
// rename never happened.
func removeStale(dir string, seq uint64) error {
	names, err := readNames(dir)
	if err != nil {
		return err
	}
	for _, n := range names {
		s, isSeg := fileSeq(n, segPrefix, segSuffix)
		w, isWAL := fileSeq(n, walPrefix, walSuffix)
		if strings.HasSuffix(n, tmpSuffix) || isSeg && s < seq || isWAL && w != seq {
			if err := os.Remove(filepath.Join(dir, n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// syncDir makes the directory's entries (a rename) durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// mapFile maps a whole file into memory, private and writable: writes go to
// copies of the pages, never to the file.
func mapFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("%s: offset 0: empty file", path)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", path, err)
	}
	return data, nil
}

func unmap(data []byte) { syscall.Munmap(data) }

// segments are the segment files a store has mapped. Each is unmapped when
// the compact store releases it (nothing reads from it any more) or when
// the store closes, whichever comes first.
type segments struct {
	mu   sync.Mutex
	live map[*byte][]byte
}

func newSegments() *segments { return &segments{live: make(map[*byte][]byte)} }

// add records a mapped file and returns it as the compact store takes it.
func (ss *segments) add(data []byte) compact.File {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.live[&data[0]] = data
	return compact.File{Data: data, Release: func() { ss.release(data) }}
}

// release unmaps data, unless it is unmapped already.
func (ss *segments) release(data []byte) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if _, ok := ss.live[&data[0]]; ok {
		delete(ss.live, &data[0])
		unmap(data)
	}
}

// releaseAll unmaps every file still mapped.
func (ss *segments) releaseAll() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, data := range ss.live {
		delete(ss.live, k)
		unmap(data)
	}
}
