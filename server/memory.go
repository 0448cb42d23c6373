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
	"sync/atomic"
	"time"

	"github.com/factgraph/factgraph/graph/errs"
)

// The memory governor keeps the server within its memory budget
// (Config.MaxMemory) and each query within its own (Config.QueryMemory); see
// docs/limits.md for the whole design.
//
// Go cannot tell which goroutine holds which memory, so the governor works
// from the process's heap, read from runtime/metrics every millisecond while
// queries run:
//
//   - The Go memory limit (debug.SetMemoryLimit) is set to 60% of the budget,
//     so that the collector keeps garbage out of the heap before the budget
//     is near.
//   - A query is charged the growth of the heap since it started: of its live
//     part as the last collection measured it, or, for a query that grows
//     faster than the collector can measure, of the heap beyond the size the
//     collector allowed when the query started (garbage stays below that).
//   - When a query's charge is over its budget (too_large) or the live heap
//     is over 60% of the server's (unavailable), one query is stopped: of
//     those charged nearly the most, which all ran while the heap grew, the
//     one that started last. Past 80% of the budget in use, every query is
//     stopped. A stop cancels the query's context with the reason: Cayley's
//     iterators stop, Gizmo's JavaScript is interrupted (goja's Interrupt),
//     the client gets the reason, the server lives on.
//   - After a stop the governor waits for a collection to show what it freed
//     (unless the heap grows on), and the next query to start after a
//     stopped one ended runs a collection first (debug.FreeOSMemory), so that
//     its charge starts from a true reading.
//   - The rest of the budget is headroom for what cannot be stopped in time:
//     an allocation already made (`s += s` allocates the doubled string in
//     one piece and copies into it before the interrupt can take effect) and
//     memory outside the Go heap (stacks, the runtime's own).
//
// What it cannot see: memory the kernel counts outside the Go heap (pages of
// a bolt file mapped into memory), allocations between two samples, one
// allocation larger than the headroom, and whose a growth is when queries
// grow together (a query beside a greedy one may be stopped first). A
// stopped Gizmo query finishes the JavaScript builtin it is in (a huge
// String.repeat, Array.fill or sort) after its client has its answer.
type governor struct {
	budget   uint64 // the server's budget in bytes
	perQuery uint64 // a query's budget in bytes
	trip     uint64 // live heap that stops a query
	log      *slog.Logger
	stopped  func(reason string) // counts a stopped query

	// afterStop is set when a stopped query (or one past its deadline) has
	// ended: the live heap the
	// last collection saw may still hold its memory (and Gizmo's JavaScript
	// finishes a builtin before it sees the interrupt), so the next query to
	// start has a collection run first, to start from a true reading.
	afterStop atomic.Bool
	collect   sync.Mutex // one such collection at a time

	mu      sync.Mutex
	running map[*ticket]bool
	// stopCycle and stopInUse are the collection cycle and the heap in use of
	// the last stop: the next waits for a later cycle, whose reading shows
	// what the stop freed, unless the heap grows on meanwhile (growFraction).
	stopCycle uint64
	stopInUse uint64
	anyStop   bool

	wake    chan struct{} // a query started while the watcher slept
	done    chan struct{} // closed by close
	prevLim int64         // the memory limit before the governor set its own
}

// ticket is one running query as the governor sees it.
type ticket struct {
	start   time.Time
	live0   uint64 // live heap when it started
	goal0   uint64 // what the collector let the heap grow to when it started
	stop    context.CancelCauseFunc
	stopped bool
}

// Fractions of the budget: where the collector's limit is set, and where the
// governor stops a query.
const (
	gcFraction   = 0.6
	tripFraction = 0.6
	// allFraction: a heap in use past it stops every running query.
	allFraction = 0.8
	// growFraction: growth after a stop, as a fraction of the budget, that
	// warrants another before the next collection.
	growFraction = 0.05
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
	// The store was just opened (and perhaps loaded from files): a collection
	// now frees what that left, so that the first query's charge starts from
	// a true reading of the live heap.
	debug.FreeOSMemory()
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
	if g.afterStop.Load() {
		g.collect.Lock()
		if g.afterStop.Swap(false) {
			debug.FreeOSMemory() // a collection, and the freed pages back to the system
		}
		g.collect.Unlock()
	}
	g.mu.Lock()
	t := g.newTicket(readHeap(), cancel)
	g.running[t] = true
	g.mu.Unlock()
	select {
	case g.wake <- struct{}{}:
	default:
	}
	return ctx, func() {
		g.mu.Lock()
		delete(g.running, t)
		if t.stopped || ctx.Err() != nil {
			// Stopped, or past its deadline: it may not be done allocating.
			g.afterStop.Store(true)
		}
		g.mu.Unlock()
		cancel(nil)
	}
}

// newTicket is a query starting on heap h.
func (g *governor) newTicket(h heapReading, stop context.CancelCauseFunc) *ticket {
	return &ticket{start: time.Now(), live0: h.live, goal0: max(h.goal, h.inUse), stop: stop}
}

// heapReading is what the governor reads of the heap.
type heapReading struct {
	inUse  uint64 // bytes of heap objects, live or not yet swept
	live   uint64 // bytes live at the end of the last collection
	goal   uint64 // heap size at which the collector finishes its next cycle
	cycles uint64 // collections so far
}

var heapSamples = []string{"/memory/classes/heap/objects:bytes", "/gc/heap/live:bytes", "/gc/heap/goal:bytes", "/gc/cycles/total:gc-cycles"}

func readHeap() heapReading {
	s := make([]rtmetrics.Sample, len(heapSamples))
	for i, name := range heapSamples {
		s[i].Name = name
	}
	rtmetrics.Read(s)
	return heapReading{inUse: s[0].Value.Uint64(), live: s[1].Value.Uint64(), goal: s[2].Value.Uint64(), cycles: s[3].Value.Uint64()}
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

// check stops queries if the heap calls for it: every running query when the
// heap in use (garbage included: a fast grower outruns the collector) is past
// allFraction of the budget; else the one most likely to have grown, when a
// query is over its budget or the live heap over the trip point.
func (g *governor) check(h heapReading) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if h.inUse > uint64(float64(g.budget)*allFraction) {
		for t := range g.running {
			if !t.stopped {
				g.stopOne(t, h, g.serverErr())
			}
		}
		return
	}
	if g.anyStop && h.cycles == g.stopCycle && h.inUse < g.stopInUse+uint64(float64(g.budget)*growFraction) {
		return // the heap does not show yet what the last stop freed
	}
	var maxCharge uint64
	for t := range g.running {
		if !t.stopped {
			maxCharge = max(maxCharge, t.charge(h))
		}
	}
	overQuery := maxCharge > g.perQuery
	if !overQuery && h.live <= g.trip {
		return
	}
	// Of the queries charged about the most, the one that started last.
	var victim *ticket
	for t := range g.running {
		if t.stopped || float64(t.charge(h)) < nearFraction*float64(maxCharge) {
			continue
		}
		if victim == nil || t.start.After(victim.start) {
			victim = t
		}
	}
	if victim == nil {
		return
	}
	err := g.serverErr()
	if overQuery {
		err = errs.Errorf(errs.TooLarge, "query stopped: it used more than its memory budget of %s (the server's --query-memory)", formatBytes(g.perQuery))
	}
	g.stopOne(victim, h, err)
}

// charge is how much the heap has grown since t started: its live part (as
// of the last collection), or, for a query that grows faster than the
// collector can tell, its size beyond what the collector would have let it
// reach then (garbage stays below that; live memory pushes past it).
func (t *ticket) charge(h heapReading) uint64 {
	var c uint64
	if h.live > t.live0 {
		c = h.live - t.live0
	}
	if h.inUse > t.goal0 {
		c = max(c, h.inUse-t.goal0)
	}
	return c
}

func (g *governor) serverErr() *errs.Error {
	return errs.Errorf(errs.Unavailable, "query stopped: the server is at its memory budget of %s (the server's --max-memory); try again later", formatBytes(g.budget))
}

// stopOne stops t with err; g.mu is held.
func (g *governor) stopOne(t *ticket, h heapReading, err *errs.Error) {
	t.stopped = true
	g.anyStop, g.stopCycle, g.stopInUse = true, h.cycles, h.inUse
	reason := "server_memory"
	if err.Code == errs.TooLarge {
		reason = "query_memory"
	}
	g.stopped(reason)
	g.log.Warn("memory governor stopped a query", "heap_in_use", formatBytes(h.inUse), "live", formatBytes(h.live),
		"running_for", time.Since(t.start).Round(time.Millisecond).String(), "reason", err.Message)
	t.stop(err)
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
