package testkit

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"sync"
	"testing"
)

var (
	bombMu sync.Mutex
	bombs  = map[string][]byte{}
)

// GzipBomb returns gzip data that unpacks to size bytes: unit repeated (the
// last copy cut short). Bombs are made at test time, not kept in the
// repository, and are cached for the life of the test binary.
func GzipBomb(t testing.TB, size int64, unit string) []byte {
	t.Helper()
	key := strconv.FormatInt(size, 10) + "/" + unit
	bombMu.Lock()
	defer bombMu.Unlock()
	if b, ok := bombs[key]; ok {
		return b
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte(unit), max(1, (1<<20)/len(unit)))
	for left := size; left > 0; {
		n := min(int64(len(chunk)), left)
		if _, err := zw.Write(chunk[:n]); err != nil {
			t.Fatal(err)
		}
		left -= n
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	bombs[key] = buf.Bytes()
	return buf.Bytes()
}
