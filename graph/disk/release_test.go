package disk_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/disk"
)

// mappedDeleted returns the files of dir this process still maps though
// they were removed (Linux's /proc/self/maps marks them "(deleted)"), or
// nil and false where there is no such list.
func mappedDeleted(t *testing.T, dir string) ([]string, bool) {
	t.Helper()
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return nil, false
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if i := strings.Index(line, dir); i >= 0 && strings.HasSuffix(line, "(deleted)") {
			out = append(out, filepath.Base(strings.Fields(line[i:])[0]))
		}
	}
	return out, true
}

// released collects garbage until the store maps only want segments, and
// fails after a while.
func released(t *testing.T, s *disk.Store, want int) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); disk.MappedSegments(s) != want; {
		if time.Now().After(deadline) {
			t.Fatalf("%d segments still mapped, want %d", disk.MappedSegments(s), want)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

// TestReleaseSegments checks that a writer lets go of a segment that a
// checkpoint replaced as soon as no iterator reads it, and not before: an
// iterator started on the old segment keeps it mapped, and still reads it
// right, until it is dropped. Values and node refs taken from the old
// segment stay valid after it is unmapped.
func TestReleaseSegments(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, disk.DefaultCheckpointBytes)
	defer s.Close()
	ctx := context.Background()
	if err := s.ApplyDeltas(batch(0, 3000), graph.IgnoreOpts{}); err != nil { // a segment
		t.Fatal(err)
	}
	want := dump(t, s)
	ref, err := s.ValueOf(quad.IRI("ex:s5"))
	if err != nil || ref == nil {
		t.Fatalf("ValueOf: %v, %v", ref, err)
	}
	name, _ := s.NameOf(ref)
	old := s.QuadsAllIterator().Iterate() // holds the first segment
	if !old.Next(ctx) {
		t.Fatal("no quads")
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyDeltas(batch(5000, 10), graph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if segs, _ := filepath.Glob(filepath.Join(dir, "seg-*")); len(segs) != 1 {
		t.Fatalf("segment files: %v, want the current one only", segs)
	}
	// The middle segment is read by nothing; the first by old.
	released(t, s, 2)
	if gone, ok := mappedDeleted(t, dir); ok && len(gone) != 1 {
		t.Errorf("removed files still mapped: %v, want the first segment only", gone)
	}
	// The old iterator reads the first segment as it was.
	n := 1
	for old.Next(ctx) {
		if _, err := s.Quad(old.Result()); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != len(want) {
		t.Errorf("the iterator on the old segment gave %d quads, want %d", n, len(want))
	}
	old.Close()
	old = nil
	released(t, s, 1)
	if gone, ok := mappedDeleted(t, dir); ok && len(gone) != 0 {
		t.Errorf("removed files still mapped: %v", gone)
	}
	// A ref and a value from the first segment outlive it.
	if got, _ := s.NameOf(ref); got != name || name != quad.IRI("ex:s5") {
		t.Errorf("the ref of ex:s5 names %v after its segment went, want %v", got, name)
	}
	now, err := s.ValueOf(quad.IRI("ex:s5"))
	if err != nil || now != ref {
		t.Errorf("ValueOf(ex:s5) is %v after the checkpoints, want the same ref %v", now, ref)
	}
	if got := dump(t, s); len(got) != len(want)+10 {
		t.Errorf("%d quads after the checkpoints, want %d", len(got), len(want)+10)
	}
}

// TestReleaseUnderLoad runs readers and the collector while a writer
// checkpoints again and again: no reader may find its segment unmapped under
// it (that would crash the test), each sees whole batches only, and the old
// segments go.
func TestReleaseUnderLoad(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, 4<<10)
	defer s.Close()
	ctx := context.Background()
	stop := make(chan struct{})
	done := make(chan string)
	for r := 0; r < 3; r++ {
		go func() {
			var bad string
			for {
				select {
				case <-stop:
					done <- bad
					return
				default:
				}
				sc := s.QuadsAllIterator().Iterate()
				n := 0
				for sc.Next(ctx) {
					if _, err := s.Quad(sc.Result()); err != nil {
						bad = err.Error()
					}
					n++
				}
				sc.Close()
				if n%10 != 0 && bad == "" {
					bad = "a reader saw part of a batch"
				}
				runtime.GC()
			}
		}()
	}
	for i := 0; i < 200; i++ {
		if err := s.ApplyDeltas(writerBatch(i), graph.IgnoreOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	for r := 0; r < 3; r++ {
		if bad := <-done; bad != "" {
			t.Error(bad)
		}
	}
	released(t, s, 1)
	if n := len(dump(t, s)); n != 2000 {
		t.Errorf("%d quads, want 2000", n)
	}
}
