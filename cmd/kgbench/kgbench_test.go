package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/graph"

	"github.com/factgraph/factgraph/graph/disk"
	"github.com/factgraph/factgraph/internal/testkit"
)

// needData returns the path and contents of the 30k-movie set, which ships
// in Cayley's module.
func needData(t testing.TB) (string, []byte) {
	t.Helper()
	path := testkit.Movies(t)
	raw, err := readData(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, raw
}

// TestCompare runs the whole comparison once and checks that both stores
// answer every query alike and the counts are exact.
func TestCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the 30k-movie set twice")
	}
	dataPath, _ := needData(t)
	var out bytes.Buffer
	if err := run(context.Background(), options{data: dataPath, runs: 1}, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Contains(s, "DIFFER") {
		t.Errorf("answers differ:\n%s", s)
	}
	re := regexp.MustCompile(`(?m)^RESULT load_speedup=\S+ heap_ratio=\S+ q2_speedup=\S+ q3_speedup=\S+ q5_speedup=\S+ q6_speedup=\S+ q7_speedup=\S+ counts_exact=true$`)
	if !re.MatchString(s) {
		t.Errorf("no exact RESULT line:\n%s", s)
	}
	for _, want := range []string{"Q1 ", "293910", "Michael Curtiz", "37368", "30000", "memstore Count()=765615"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

func TestScale(t *testing.T) {
	doc := "<a> <p> <b> .\n_:x <p> \"lit\" .\n<b> <q> _:x <g> .\n"
	file := filepath.Join(t.TempDir(), "small.nq")
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), options{data: file, scale: "1,3"}, &out); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\s+1\s+3\s`).MatchString(out.String()) || !regexp.MustCompile(`(?m)^\s+3\s+9\s`).MatchString(out.String()) {
		t.Errorf("want rows of 3 and 9 quads:\n%s", out.String())
	}
	if err := run(context.Background(), options{data: file, scale: "0"}, &out); err == nil {
		t.Error("scale 0 accepted")
	}
}

func TestRenamedCopies(t *testing.T) {
	got := string(renamedCopies([]byte("<a> <p> <b> .\n_:x <p> \"l\" <g> .\n"), 2))
	want := "<a~0> <p> <b~0> .\n_:x~0 <p> \"l\" <g> .\n<a~1> <p> <b~1> .\n_:x~1 <p> \"l\" <g> .\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestMissingData(t *testing.T) {
	err := run(context.Background(), options{data: filepath.Join(t.TempDir(), "none.nq.gz"), runs: 1}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "-data") {
		t.Errorf("error %v, want a hint about -data", err)
	}
}

var (
	loadOnce sync.Once
	mem, our *loaded
	loadErr  error
)

func stores(b *testing.B) (*loaded, *loaded) {
	_, raw := needData(b)
	loadOnce.Do(func() {
		if mem, loadErr = loadMemstore(raw); loadErr == nil {
			our, loadErr = loadCompact(raw)
		}
	})
	if loadErr != nil {
		b.Fatal(loadErr)
	}
	return mem, our
}

// BenchmarkQueries times each query on the compact store (ns/op) and reports
// how many times faster it is than Cayley's memstore on the same query
// (x-memstore).
func BenchmarkQueries(b *testing.B) {
	mem, our := stores(b)
	ctx := context.Background()
	for _, q := range queries {
		b.Run(q.id, func(b *testing.B) {
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if _, err := q.run(ctx, our.qs); err != nil {
					b.Fatal(err)
				}
			}
			ours := time.Since(start)
			b.StopTimer()
			start = time.Now()
			for i := 0; i < b.N; i++ {
				if _, err := q.run(ctx, mem.qs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(time.Since(start))/float64(ours), "x-memstore")
		})
	}
}

// BenchmarkLoad loads the data set into both stores and reports the compact
// store's load time (ns/load, without the GCs that measure the heap), how
// many times faster than memstore it is (x-memstore) and its heap relative
// to memstore's (heap-ratio).
func BenchmarkLoad(b *testing.B) {
	_, raw := needData(b)
	var ours, theirs time.Duration
	var ourHeap, theirHeap uint64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		m, err := loadMemstore(raw)
		if err != nil {
			b.Fatal(err)
		}
		theirs += m.took
		theirHeap = m.heap
		m = nil
		b.StartTimer()
		o, err := loadCompact(raw)
		if err != nil {
			b.Fatal(err)
		}
		ours += o.took
		ourHeap = o.heap
	}
	b.ReportMetric(float64(ours.Nanoseconds())/float64(b.N), "ns/load")
	b.ReportMetric(float64(theirs)/float64(ours), "x-memstore")
	b.ReportMetric(float64(ourHeap)/float64(theirHeap), "heap-ratio")
}

// TestDisk runs the -disk mode on a small file: every store answers every
// query alike, the open time is measured on each copy count, and each crash
// trial (run unless -short, which skips building the binary) passes.
func TestDisk(t *testing.T) {
	doc := `</en/casablanca> <name> "Casablanca" .
</en/casablanca> </film/film/directed_by> </en/michael_curtiz> .
</en/casablanca> <type> </film/film> .
</en/michael_curtiz> <name> "Michael Curtiz" .
`
	file := filepath.Join(t.TempDir(), "small.nq")
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	trials := 4 // one of each kind
	if testing.Short() {
		trials = 0
	}
	var out bytes.Buffer
	o := options{data: file, runs: 1, disk: true, diskOpts: diskOptions{scale: "1,2", writes: 20, writers: 4, trials: trials}}
	if err := run(context.Background(), o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	s := out.String()
	if testing.Verbose() {
		t.Log(s)
	}
	want := fmt.Sprintf(`(?m)^RESULT disk_load_speedup=\S+ size_ratio=\S+ open_ms=\S+ q_ratio_max=\S+ write_speedup=\S+ write_speedup_seq=\S+ crash_trials=%d/%d$`, trials, trials)
	if !regexp.MustCompile(want).MatchString(s) {
		t.Errorf("no RESULT line with every trial passed:\n%s", s)
	}
	for _, row := range []string{`(?m)^\s+1\s+4\s`, `(?m)^\s+2\s+8\s`, `(?m)^\s+Q4\s+1\s`} {
		if !regexp.MustCompile(row).MatchString(s) {
			t.Errorf("output lacks a row %s:\n%s", row, s)
		}
	}
}

var (
	diskOnce  sync.Once
	diskStore *disk.Store
	diskErr   error
)

// onDisk returns a disk store holding the data set, loaded in bulk, closed
// and opened again, so that its quads are read from the mapped segment.
func onDisk(b testing.TB) *disk.Store {
	_, raw := needData(b)
	diskOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kgbench-disk")
		if err != nil {
			diskErr = err
			return
		}
		s, err := disk.Open(dir, disk.DefaultCheckpointBytes)
		if err != nil {
			diskErr = err
			return
		}
		r, err := open(raw)
		if err == nil {
			_, err = s.LoadNQuads(r)
		}
		if cerr := s.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			diskStore, err = disk.Open(dir, disk.DefaultCheckpointBytes)
		}
		diskErr = err
	})
	if diskErr != nil {
		b.Fatal(diskErr)
	}
	return diskStore
}

// BenchmarkDiskQueries times each query on the disk store (ns/op) and
// reports how many times slower it is than the compact store in memory on
// the same query, in wall time (x-compact; the bound is 1.25) and in
// the process's CPU time (cpu-x-compact, which other work on the machine
// moves less). The two stores run in turn, the order reversed every other
// iteration.
func BenchmarkDiskQueries(b *testing.B) {
	_, our := stores(b)
	ds := onDisk(b)
	ctx := context.Background()
	for _, q := range queries {
		b.Run(q.id, func(b *testing.B) {
			if _, err := q.run(ctx, ds); err != nil { // fault the pages in
				b.Fatal(err)
			}
			var wall, cpu [2]time.Duration
			pair := [2]graph.QuadStore{ds, our.qs}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for k := range 2 {
					j := k ^ i&1
					u0, start := usageNow(), time.Now()
					if _, err := q.run(ctx, pair[j]); err != nil {
						b.Fatal(err)
					}
					wall[j] += time.Since(start)
					cpu[j] += usageNow().sub(u0).cpu
				}
			}
			b.ReportMetric(float64(wall[0].Nanoseconds())/float64(b.N), "ns/op")
			b.ReportMetric(float64(wall[0])/float64(wall[1]), "x-compact")
			b.ReportMetric(float64(cpu[0])/float64(max(cpu[1], 1)), "cpu-x-compact")
		})
	}
}
