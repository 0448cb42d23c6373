package testkit

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// heapMetric is the memory held by live and not yet swept heap objects.
const heapMetric = "/memory/classes/heap/objects:bytes"

// PeakHeap runs fn and returns the most heap memory in use while it ran,
// above what was in use before it started, sampled every half millisecond
// (a peak shorter than that can be missed), and the bytes fn allocated in all.
// Other goroutines' allocations count too: run it in a test that is not
// parallel.
func PeakHeap(t testing.TB, fn func()) (peak, allocated uint64) {
	t.Helper()
	runtime.GC()
	sample := []metrics.Sample{{Name: heapMetric}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	base, alloc0 := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	var (
		mu   sync.Mutex
		max  uint64
		stop = make(chan struct{})
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: heapMetric}}
		tick := time.NewTicker(500 * time.Microsecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			mu.Lock()
			max = maxU(max, s[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	metrics.Read(sample)
	max = maxU(max, sample[0].Value.Uint64())
	if max < base {
		return 0, sample[1].Value.Uint64() - alloc0
	}
	return max - base, sample[1].Value.Uint64() - alloc0
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// Linear fails the test unless fn, run on an input of n bytes, allocates at
// most perByte*n + fixed bytes and takes at most a generous time linear in n
// (a second plus 100µs a byte): fuzz targets use it to catch input that makes
// work grow faster than the input.
func Linear(t testing.TB, n int, perByte, fixed uint64, fn func()) {
	t.Helper()
	// ReadMemStats, unlike runtime/metrics, counts the allocations of every
	// processor's cache at once, so that a small call is measured exactly.
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.TotalAlloc
	start := time.Now()
	fn()
	took := time.Since(start)
	runtime.ReadMemStats(&m)
	if got, bound := m.TotalAlloc-before, perByte*uint64(n)+fixed; got > bound {
		t.Fatalf("allocated %d bytes for %d bytes of input, over the linear bound of %d", got, n, bound)
	}
	if bound := time.Second + time.Duration(n)*100*time.Microsecond; took > bound {
		t.Fatalf("took %s for %d bytes of input, over the linear bound of %s", took, n, bound)
	}
}
