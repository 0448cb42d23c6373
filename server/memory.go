package server

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/factgraph/factgraph/graph/errs"
)

// The memory governor keeps the server within its memory budget
// (Config.MaxMemory) and each query within its own (Config.QueryMemory).
//
// Go cannot tell which goroutine holds which memory, so the governor works
// from the process's heap, read from runtime/metrics every millisecond or two
// while queries run:
//
//   - The Go memory limit (debug.SetMemoryLimit) is set to half the budget,
//     so that the collector works hard to keep garbage out of the heap well
//     before the budget is reached.
//   - A query is charged the growth of the live heap (as of the last
//     collection) since it started. When a charge is over the per-query
//     budget, or the heap in use is over 60% of the server's budget, one
//     running query is stopped: the one most likely to have grown. All
//     queries running since before the growth carry nearly the same charge;
//     of those (charges within 80% of the largest) the governor stops the one
//     that started last, since the growth began after it started. Its context
//     is canceled with the reason, which stops Cayley's iterators and, through
//     goja's Interrupt, Gizmo's JavaScript; the client gets too_large (its
//     budget) or unavailable (the server's), and the server lives on.
//   - After a stop the governor waits for the next collection, whose reading
//     shows what the stop freed, before it stops another.
//   - The 40% of the budget above the trip point is headroom for what the
//     governor cannot stop in time: one allocation already made (a string
//     doubled by `s += s` is allocated in one piece and copied before the
//     interrupt takes effect, so the heap can reach about twice the trip
//     point), and memory outside the Go heap (stacks, the runtime's own).
//
// What it cannot see: memory outside the Go heap that the kernel counts
// (pages of a bolt file mapped into memory, which are the kernel's to drop),
// allocations between two samples, and whose allocation a growth really was
// when several queries grow at once: a query running beside a greedy one may
// be stopped first, and then the greedy one at the next sample.
type governor struct {
	budget   uint64 // the server's budget in bytes
	perQuery uint64 // a query's budget in bytes
	trip     uint64 // heap in use that stops a query
	log      *slog.Logger
	stopped  func(reason string) // counts a stopped query

	mu      sync.Mutex
	running map[*ticket]bool
	// stopCycle is the collection cycle of the last stop: the next waits for
	// a later cycle, whose reading shows what the stop freed.
	stopCycle uint64
	anyStop   bool
	wake      chan struct{} // a query started while the watcher slept
	done      chan struct{} // closed by close
	prevLim   int64         // the memory limit before the governor set its own
}

// ticket is one running query as the governor sees it.
type ticket struct {
	start   time.Time
	live0   uint64 // live heap when it started
	stop    context.CancelCauseFunc
	stopped bool
}

// Fractions of the budget: where the collector's limit is set, and where the
// governor stops a query.
const (
	gcFraction   = 0.5
	tripFraction = 0.6
	// nearFraction: charges this close to the largest are taken as the same.
	nearFraction = 0.8
	sampleEvery  = time.Millisecond
)

// newGovernor returns a governor of the budgets, or nil when budget is 0
// (no governor), and sets the Go memory limit.
func newGovernor(budget, perQuery uint64, log *slog.Logger, stopped func(string)) *governor {
	if budget == 0 {
		return nil
	}
	if perQuery == 0 || perQuery > budget {
		perQuery = budget
	}
	g := &governor{
		budget: budget, perQuery: perQuery, trip: uint64(float64(budget) * tripFraction),
		log: log, stopped: stopped,
		running: map[*ticket]bool{}, wake: make(chan struct{}, 1), done: make(chan struct{}),
	}
	g.prevLim = debug.SetMemoryLimit(int64(float64(budget) * gcFraction))
	go g.watch()
	return g
}

// close stops the watcher and restores the Go memory limit.
func (g *governor) close() {
	if g == nil {
		return
	}
	close(g.done)
	debug.SetMemoryLimit(g.prevLim)
}

// enter registers a query; its context is canceled, with the reason, if the
// governor stops it. leave must be called when it ends.
func (g *governor) enter(ctx context.Context) (context.Context, func()) {
	if g == nil {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	t := &ticket{start: time.Now(), live0: readHeap().live, stop: cancel}
	g.mu.Lock()
	g.running[t] = true
	g.mu.Unlock()
	select {
	case g.wake <- struct{}{}:
	default:
	}
	return ctx, func() {
		g.mu.Lock()
		delete(g.running, t)
		g.mu.Unlock()
		cancel(nil)
	}
}

// heapReading is what the governor reads of the heap.
type heapReading struct {
	inUse  uint64 // bytes of heap objects, live or not yet swept
	live   uint64 // bytes live at the end of the last collection
	cycles uint64 // collections so far
}

var heapSamples = []string{"/memory/classes/heap/objects:bytes", "/gc/heap/live:bytes", "/gc/cycles/total:gc-cycles"}

func readHeap() heapReading {
	s := make([]rtmetrics.Sample, len(heapSamples))
	for i, name := range heapSamples {
		s[i].Name = name
	}
	rtmetrics.Read(s)
	return heapReading{inUse: s[0].Value.Uint64(), live: s[1].Value.Uint64(), cycles: s[2].Value.Uint64()}
}

// watch samples the heap while queries run and sleeps while none do.
func (g *governor) watch() {
	tick := time.NewTicker(sampleEvery)
	defer tick.Stop()
	for {
		g.mu.Lock()
		idle := len(g.running) == 0
		g.mu.Unlock()
		if idle {
			select {
			case <-g.wake:
			case <-g.done:
				return
			}
		}
		select {
		case <-tick.C:
		case <-g.done:
			return
		}
		g.check(readHeap())
	}
}

// check stops at most one query if the heap calls for it.
func (g *governor) check(h heapReading) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.anyStop && h.cycles == g.stopCycle {
		return // the heap does not show yet what the last stop freed
	}
	var maxCharge uint64
	for t := range g.running {
		if !t.stopped && h.live > t.live0 {
			maxCharge = max(maxCharge, h.live-t.live0)
		}
	}
	overQuery := maxCharge > g.perQuery
	if !overQuery && h.inUse <= g.trip {
		return
	}
	// Of the queries charged about the most, the one that started last.
	var victim *ticket
	for t := range g.running {
		if t.stopped {
			continue
		}
		var charge uint64
		if h.live > t.live0 {
			charge = h.live - t.live0
		}
		if float64(charge) < nearFraction*float64(maxCharge) {
			continue
		}
		if victim == nil || t.start.After(victim.start) {
			victim = t
		}
	}
	if victim == nil {
		return
	}
	victim.stopped = true
	g.anyStop, g.stopCycle = true, h.cycles
	var err *errs.Error
	if overQuery {
		err = errs.Errorf(errs.TooLarge, "query stopped: it used more than its memory budget of %s (the server's --query-memory)", formatBytes(g.perQuery))
		g.stopped("query_memory")
	} else {
		err = errs.Errorf(errs.Unavailable, "query stopped: the server is at its memory budget of %s (the server's --max-memory); try again later", formatBytes(g.budget))
		g.stopped("server_memory")
	}
	g.log.Warn("memory governor stopped a query", "heap_in_use", formatBytes(h.inUse), "live", formatBytes(h.live),
		"running_for", time.Since(victim.start).Round(time.Millisecond).String(), "reason", err.Message)
	victim.stop(err)
}

// formatBytes renders n in binary units, e.g. 512MiB.
func formatBytes(n uint64) string {
	for _, u := range []struct {
		name string
		size uint64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size {
			v := float64(n) / float64(u.size)
			if v == math.Trunc(v) {
				return fmt.Sprintf("%.0f%s", v, u.name)
			}
			return fmt.Sprintf("%.1f%s", v, u.name)
		}
	}
	return strconv.FormatUint(n, 10) + "B"
}

// DefaultMemory is the server's memory budget when Config.MaxMemory is zero:
// half the memory of the machine or of the control group the server runs in,
// whichever is less, or 4 GiB where neither can be read.
func DefaultMemory() uint64 {
	total := uint64(0)
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				if kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64); err == nil {
					total = kb << 10
				}
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && (total == 0 || n < total) {
			total = n
		}
	}
	if total == 0 {
		return 4 << 30
	}
	return total / 2
}
