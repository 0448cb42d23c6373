package disk_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/disk"
)

// writerBatch is batch i of a writer: ten quads of the subject ex:w<i>.
func writerBatch(i int) []graph.Delta {
	ds := make([]graph.Delta, 10)
	for j := range ds {
		ds[j] = graph.Delta{Action: graph.Add, Quad: quad.Make(quad.IRI(fmt.Sprintf("ex:w%d", i)), quad.IRI("ex:item"), quad.Int(j), nil)}
	}
	return ds
}

func visible(t *testing.T, s *disk.Store, i int) bool {
	t.Helper()
	v, err := s.ValueOf(quad.IRI(fmt.Sprintf("ex:w%d", i)))
	if err != nil {
		t.Fatal(err)
	}
	return v != nil
}

// logRecords counts the whole records of a log file.
func logRecords(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for end := 16; end+8 <= len(b); n++ {
		size := int(binary.LittleEndian.Uint32(b[end:]))
		if size == 0 || end+8+size > len(b) {
			break
		}
		end += 8 + size
	}
	return n
}

// TestGroupCommit holds the log's first sync back while more writers append
// their batches: none of them is visible or acknowledged before a sync
// covers it, and the batches written during the first sync all share the
// second.
func TestGroupCommit(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, disk.DefaultCheckpointBytes)
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	defer disk.SetSyncFile(func(f *os.File) error {
		first := false
		once.Do(func() { first = true })
		if first {
			close(entered)
			<-release
		}
		return disk.SyncData(f)
	})()

	const writers = 16
	acked := make([]chan error, writers)
	start := func(i int) {
		acked[i] = make(chan error, 1)
		go func() { acked[i] <- s.ApplyDeltas(writerBatch(i), graph.IgnoreOpts{}) }()
	}
	start(0)
	<-entered // writer 0's sync is running, and held
	for i := 1; i < writers; i++ {
		start(i)
	}
	path := walFile(t, dir)
	for deadline := time.Now().Add(time.Minute); logRecords(t, path) < writers; {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute the log holds %d of %d batches", logRecords(t, path), writers)
		}
		time.Sleep(time.Millisecond)
	}
	for i := 0; i < writers; i++ {
		select {
		case err := <-acked[i]:
			t.Fatalf("batch %d acknowledged (%v) before any sync ended", i, err)
		default:
		}
		if visible(t, s, i) {
			t.Errorf("batch %d is visible before any sync ended", i)
		}
	}
	close(release)
	for i := 0; i < writers; i++ {
		if err := <-acked[i]; err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		if !visible(t, s, i) {
			t.Errorf("batch %d acknowledged but not visible", i)
		}
	}
	if n := s.LogSyncs(); n != 2 {
		t.Errorf("%d batches took %d syncs, want 2: the first, and one for the %d written meanwhile", writers, n, writers-1)
	}
	s.Close()
	s = open(t, dir, disk.DefaultCheckpointBytes)
	defer s.Close()
	for i := 0; i < writers; i++ {
		if !visible(t, s, i) {
			t.Errorf("batch %d is gone after reopening", i)
		}
	}
}

// TestConcurrentWriters runs many writers at once, with a log limit small
// enough that checkpoints run among them, and checks that every batch is
// there after reopening and that syncs were shared.
func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, 8<<10)
	const writers, each = 8, 40
	var wg sync.WaitGroup
	errc := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < each; k++ {
				if err := s.ApplyDeltas(writerBatch(w*each+k), graph.IgnoreOpts{}); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	if n := s.LogSyncs(); n >= writers*each {
		t.Errorf("%d batches of %d writers took %d syncs: none shared", writers*each, writers, n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := disk.Check(dir); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir, 8<<10)
	defer s.Close()
	for i := 0; i < writers*each; i++ {
		if !visible(t, s, i) {
			t.Fatalf("batch %d is gone after reopening", i)
		}
	}
	if n := len(dump(t, s)); n != writers*each*10 {
		t.Errorf("%d quads, want %d", n, writers*each*10)
	}
}

// TestFailedSync makes a sync of the log fail: the batch fails and is never
// visible, and the store takes no more writes (its memory holds a batch that
// may not be on disk) but still answers queries.
func TestFailedSync(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, disk.DefaultCheckpointBytes)
	if err := s.ApplyDeltas(writerBatch(0), graph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	broken := errors.New("device gone")
	restore := disk.SetSyncFile(func(*os.File) error { return broken })
	err := s.ApplyDeltas(writerBatch(1), graph.IgnoreOpts{})
	restore()
	if !errors.Is(err, broken) {
		t.Fatalf("batch with a failed sync: %v, want the sync's error", err)
	}
	if visible(t, s, 1) {
		t.Error("the batch whose sync failed is visible")
	}
	if !visible(t, s, 0) {
		t.Error("the batch before it is gone")
	}
	err = s.ApplyDeltas(writerBatch(2), graph.IgnoreOpts{})
	if err == nil || !strings.Contains(err.Error(), "until it is opened again") {
		t.Errorf("write after a failed sync: %v, want a refusal", err)
	}
	if err := s.Checkpoint(); err == nil {
		t.Error("checkpoint after a failed sync succeeded")
	}
	if err := s.Close(); err == nil {
		t.Error("close after a failed sync reports nothing")
	}
	// The failed batch was written, only its sync failed: reopening finds
	// it whole, as it may after a crash (it was never acknowledged).
	s = open(t, dir, disk.DefaultCheckpointBytes)
	defer s.Close()
	if !visible(t, s, 0) || visible(t, s, 2) {
		t.Error("after reopening: the acknowledged batch must be there, the refused one not")
	}
	if err := s.ApplyDeltas(writerBatch(3), graph.IgnoreOpts{}); err != nil {
		t.Errorf("write after reopening: %v", err)
	}
}
