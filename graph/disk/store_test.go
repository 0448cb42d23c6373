package disk_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/graph/disk"
	"github.com/factgraph/factgraph/graph/errs"
)

func open(t *testing.T, dir string, limit int64) *disk.Store {
	t.Helper()
	s, err := disk.Open(dir, limit)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dump returns every quad of the store as sorted N-Quads lines.
func dump(t *testing.T, qs graph.QuadStore) []string {
	t.Helper()
	ctx := context.Background()
	sc := qs.QuadsAllIterator().Iterate()
	defer sc.Close()
	var out []string
	for sc.Next(ctx) {
		q, err := qs.Quad(sc.Result())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, q.NQuad())
	}
	sort.Strings(out)
	return out
}

// batch returns n quads numbered from first, with typed, language and
// plain literals so that every kind of value is stored.
func batch(first, n int) []graph.Delta {
	var ds []graph.Delta
	for i := first; i < first+n; i++ {
		s := quad.IRI(fmt.Sprintf("ex:s%d", i%97))
		var o quad.Value
		switch i % 4 {
		case 0:
			o = quad.Int(i)
		case 1:
			o = quad.LangString{Value: quad.String(fmt.Sprint("word ", i)), Lang: "en"}
		case 2:
			o = quad.String(fmt.Sprint("text ", i))
		default:
			o = quad.BNode(fmt.Sprint("b", i))
		}
		ds = append(ds, graph.Delta{Action: graph.Add, Quad: quad.Make(s, quad.IRI(fmt.Sprint("ex:p", i%7)), o, quad.IRI("ex:doc"))})
	}
	return ds
}

func deletes(ds []graph.Delta) []graph.Delta {
	out := make([]graph.Delta, len(ds))
	for i, d := range ds {
		out[i] = graph.Delta{Action: graph.Delete, Quad: d.Quad}
	}
	return out
}

// TestReopen checks that what a store holds survives closing and opening
// again, whichever way it got there: the log (small batches, deletes), a
// bulk batch that became a segment, and a checkpoint.
func TestReopen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, disk.DefaultCheckpointBytes)
	mem := compact.New()
	apply := func(ds []graph.Delta) {
		t.Helper()
		for _, qs := range []graph.QuadStore{s, mem} {
			if err := qs.ApplyDeltas(ds, graph.IgnoreOpts{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(when string) {
		t.Helper()
		s.Close()
		s = open(t, dir, disk.DefaultCheckpointBytes)
		got, want := dump(t, s), dump(t, mem)
		if strings.Join(got, "") != strings.Join(want, "") {
			t.Fatalf("%s: reopened store has %d quads, want %d", when, len(got), len(want))
		}
		if _, err := disk.Check(dir); err != nil {
			t.Fatalf("%s: check: %v", when, err)
		}
	}
	for i := 0; i < 20; i++ {
		apply(batch(i*10, 10))
	}
	apply(deletes(batch(15, 20)))
	check("log only")
	apply(batch(1000, 5000)) // bigger than the delta: a new segment
	check("bulk")
	apply(deletes(batch(1000, 100)))
	apply(batch(7000, 30))
	check("segment and log")
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	check("checkpoint")
	if n, _ := filepath.Glob(filepath.Join(dir, "seg-*")); len(n) != 1 {
		t.Errorf("segments after checkpoints: %v, want one", n)
	}
	s.Close()
}

// TestLogLimit checks that the log is folded into a segment once it passes
// its limit.
func TestLogLimit(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, 2000)
	defer s.Close()
	for i := 0; i < 30; i++ {
		if err := s.ApplyDeltas(batch(i*10, 10), graph.IgnoreOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := disk.Check(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Segment == "" || r.LogRecords >= 30 || r.Live != 300 {
		t.Errorf("after 30 batches with a 2000-byte limit: %+v", r)
	}
}

func walFile(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "wal-*.log"))
	if len(m) != 1 {
		t.Fatalf("logs in %s: %v", dir, m)
	}
	return m[0]
}

// TestTornTail writes half a record after the last one, as a crash while
// appending would, and checks that it is dropped and nothing else is.
func TestTornTail(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, disk.DefaultCheckpointBytes)
	for i := 0; i < 5; i++ {
		if err := s.ApplyDeltas(batch(i*10, 10), graph.IgnoreOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	want := dump(t, s)
	s.Close()
	path := walFile(t, dir)
	r, err := disk.Check(dir)
	if err != nil || r.LogRecords != 5 || r.TornTail {
		t.Fatalf("before tearing: %+v, %v", r, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	end := 16 // past the header, then each record: length, checksum, payload
	for n := binary.LittleEndian.Uint32(b[end:]); n != 0; n = binary.LittleEndian.Uint32(b[end:]) {
		end += 8 + int(n)
	}
	// A record header promising 100 bytes, and 10 of them.
	copy(b[end:], []byte{100, 0, 0, 0, 1, 2, 3, 4, 'p', 'a', 'r', 't', 'i', 'a', 'l', 'r', 'e', 'c'})
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if r, err := disk.Check(dir); err != nil || !r.TornTail || r.LogRecords != 5 {
		t.Fatalf("torn: %+v, %v", r, err)
	}
	s = open(t, dir, disk.DefaultCheckpointBytes)
	if got := dump(t, s); strings.Join(got, "") != strings.Join(want, "") {
		t.Errorf("after a torn tail: %d quads, want %d", len(got), len(want))
	}
	if err := s.ApplyDeltas(batch(100, 10), graph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if r, err := disk.Check(dir); err != nil || r.TornTail || r.LogRecords != 6 {
		t.Errorf("after writing past a dropped tail: %+v, %v", r, err)
	}
	// A damaged record with records after it is not a torn tail.
	b, _ = os.ReadFile(path)
	b[16+8] ^= 0xff
	os.WriteFile(path, b, 0o644)
	if _, err := disk.Open(dir, disk.DefaultCheckpointBytes); err == nil || !strings.Contains(err.Error(), "offset 16") {
		t.Errorf("open with a damaged first record: %v, want an error at offset 16", err)
	}
	if _, err := disk.Check(dir); err == nil {
		t.Error("check passed a damaged log")
	}
}

// TestDamagedSegment checks that a truncated segment fails to open and a
// flipped byte fails check, each naming the file and an offset.
func TestDamagedSegment(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, disk.DefaultCheckpointBytes)
	if err := s.ApplyDeltas(batch(0, 3000), graph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	segs, _ := filepath.Glob(filepath.Join(dir, "seg-*.fgs"))
	if len(segs) != 1 {
		t.Fatalf("segments: %v", segs)
	}
	good, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
		atOpen bool
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)-100] }, true},
		{"header", func(b []byte) []byte { b[20]++; return b }, true},
		{"quads", func(b []byte) []byte { b[4096+40]++; return b }, false},
		{"arena", func(b []byte) []byte { b[len(b)/2+3] ^= 0x40; return b }, false},
	} {
		b := tc.damage(append([]byte(nil), good...))
		if err := os.WriteFile(segs[0], b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, cerr := disk.Check(dir)
		var ce *compact.CorruptError
		if cerr == nil || !errors.As(cerr, &ce) || !strings.Contains(cerr.Error(), segs[0]) {
			t.Errorf("%s: check: %v, want a CorruptError naming %s", tc.name, cerr, segs[0])
		}
		st, err := disk.Open(dir, disk.DefaultCheckpointBytes)
		if tc.atOpen {
			if err == nil || !strings.Contains(err.Error(), segs[0]) || !strings.Contains(err.Error(), "offset") {
				t.Errorf("%s: open: %v, want an error naming the file and offset", tc.name, err)
			}
		} else if err == nil {
			st.Close()
		}
	}
}

// TestReadOnlyProcess opens a store twice: the second opening finds the
// lock taken and reads only, refuses writes, and catches up with what the
// writer adds, through the log and across checkpoints.
func TestReadOnlyProcess(t *testing.T) {
	dir := t.TempDir()
	w := open(t, dir, 4000)
	defer w.Close()
	if err := w.ApplyDeltas(batch(0, 10), graph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	r := open(t, dir, 4000)
	defer r.Close()
	if !r.ReadOnly() || w.ReadOnly() {
		t.Fatalf("read-only: writer %v, reader %v", w.ReadOnly(), r.ReadOnly())
	}
	if err := r.ApplyDeltas(batch(100, 1), graph.IgnoreOpts{}); !errors.Is(err, disk.ErrReadOnly) || errs.CodeOf(err) != errs.ReadOnly {
		t.Errorf("write to a read-only store: %v (code %s)", err, errs.CodeOf(err))
	}
	if err := r.ApplyDeltas(deletes(batch(100, 1)), graph.IgnoreOpts{IgnoreMissing: true}); !errors.Is(err, disk.ErrReadOnly) {
		t.Errorf("a delete of nothing on a read-only store: %v, want it refused too", err)
	}
	if _, err := r.LoadNQuads(strings.NewReader("<a> <b> <c> .\n")); !errors.Is(err, disk.ErrReadOnly) {
		t.Errorf("load into a read-only store: %v", err)
	}
	same := func(when string) {
		t.Helper()
		if err := r.Refresh(); err != nil {
			t.Fatal(err)
		}
		if got, want := dump(t, r), dump(t, w); strings.Join(got, "") != strings.Join(want, "") {
			t.Fatalf("%s: reader has %d quads, writer %d", when, len(got), len(want))
		}
	}
	same("at open")
	for i := 1; i < 4; i++ {
		w.ApplyDeltas(batch(i*10, 10), graph.IgnoreOpts{})
	}
	same("after logged batches")
	for i := 4; i < 40; i++ { // passes the log limit: checkpoints
		w.ApplyDeltas(batch(i*10, 10), graph.IgnoreOpts{})
	}
	w.ApplyDeltas(deletes(batch(5, 30)), graph.IgnoreOpts{})
	same("after checkpoints")
	w.ApplyDeltas(batch(2000, 3000), graph.IgnoreOpts{})
	same("after a bulk batch")
	released(t, r, 1) // the reader lets go of the segments it switched from
	released(t, w, 1)
}
