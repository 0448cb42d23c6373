// Command kgbench loads the 30k-movie data set into Cayley's memstore and into
// factgraph's compact store in the same run, runs a fixed set of path queries
// on both, checks that they answer alike, and prints a table and one RESULT
// line of ratios:
//
//	go run ./cmd/kgbench                 # the 30k-movie set, from Cayley's module
//	go run ./cmd/kgbench -scale 1,4,16   # cost per quad of N renamed copies
//	go run ./cmd/kgbench -disk           # the disk store against Cayley's bolt
//	go run ./cmd/kgbench -pg URL         # Cayley's SQL backend vs a memory replica of PostgreSQL
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/internal/datasets"
	"github.com/factgraph/factgraph/loaders"
)

func main() {
	var o options
	fs := flag.NewFlagSet("kgbench", flag.ExitOnError)
	fs.StringVar(&o.data, "data", "", "N-Quads file (gzip or plain) to load (default: the 30k-movie set in Cayley's module)")
	fs.IntVar(&o.runs, "runs", 7, "times each query runs on each store")
	fs.StringVar(&o.scale, "scale", "", "comma-separated copy counts (e.g. 1,4,16): load that many renamed copies into the compact store and print cost per quad, instead of the comparison")
	fs.BoolVar(&o.disk, "disk", false, "compare the disk store with Cayley's bolt backend (load, size, open, queries, small writes, crash trials) instead")
	fs.StringVar(&o.diskOpts.scale, "disk-scale", "1,4,16", "with -disk: copy counts for the disk store's cost per quad and open time")
	fs.IntVar(&o.diskOpts.writes, "writes", 1000, "with -disk: small batches written to each store, by one writer and then by -writers at once")
	fs.IntVar(&o.diskOpts.writers, "writers", 16, "with -disk: concurrent writers of the second round of small batches")
	fs.IntVar(&o.diskOpts.trials, "trials", 24, "with -disk: SIGKILL trials (a quarter each: load; writes from one client; from -writers clients; from -writers clients with frequent checkpoints)")
	fs.StringVar(&o.diskOpts.bin, "factgraph", "", "with -disk: the factgraph binary for the crash trials (default: go build ./cmd/factgraph)")
	fs.StringVar(&o.pg, "pg", "", "PostgreSQL URL whose role may create databases: compare the compact store, Cayley's SQL backend and a memory replica of PostgreSQL instead")
	fs.DurationVar(&o.pgTimeout, "pg-timeout", time.Minute, "with -pg: the longest a query may run on Cayley's SQL backend; one cut short gives a lower bound")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file; query runs carry the labels store and query (go tool pprof -tagfocus query=Q6)")
	fs.Parse(os.Args[1:])
	if err := profiled(*cpuprofile, func() error { return run(context.Background(), o, os.Stdout) }); err != nil {
		fmt.Fprintln(os.Stderr, "kgbench:", err)
		os.Exit(1)
	}
}

// profiled runs fn, writing a CPU profile of it to file unless file is "".
func profiled(file string, fn func() error) error {
	if file == "" {
		return fn()
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	err = fn()
	pprof.StopCPUProfile()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

type options struct {
	data      string
	runs      int
	scale     string
	disk      bool
	diskOpts  diskOptions
	pg        string
	pgTimeout time.Duration
}

func run(ctx context.Context, o options, w io.Writer) error {
	data, err := datasets.MoviesOr(o.data)
	if err != nil {
		return err
	}
	raw, err := readData(data)
	if err != nil {
		return err
	}
	if o.scale != "" {
		return runScale(raw, o.scale, w)
	}
	if o.runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	if o.disk {
		if o.diskOpts.writers < 1 || o.diskOpts.writes < 1 {
			return errors.New("-writes and -writers must be at least 1")
		}
		o.diskOpts.data = data
		return runDisk(ctx, raw, o.diskOpts, o.runs, w)
	}
	if o.pg != "" {
		return runPostgres(ctx, raw, o.runs, o.pg, o.pgTimeout, w)
	}
	return runCompare(ctx, raw, o.runs, w)
}

// readData returns the file's bytes, still compressed if it is gzip: both
// stores pay for decompression while loading.
func readData(name string) ([]byte, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read data: %w (run from the repository root, or pass -data)", err)
	}
	return b, nil
}

func open(raw []byte) (io.Reader, error) { return loaders.Decompressed(bytes.NewReader(raw)) }

// loaded is a store after loading, with what the load cost.
type loaded struct {
	name  string
	qs    graph.QuadStore
	quads int
	took  time.Duration
	heap  uint64 // bytes live after the load, less those live before
}

func heapNow() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// loadMemstore loads the way Cayley's own loader does: its N-Quads reader,
// batches into the store's quad writer.
func loadMemstore(raw []byte) (*loaded, error) {
	base := heapNow()
	start := time.Now()
	r, err := open(raw)
	if err != nil {
		return nil, err
	}
	qs := memstore.New()
	qw, _ := qs.NewQuadWriter()
	n, err := quad.CopyBatch(qw, nquads.NewReader(r, false), 10000)
	if err != nil {
		return nil, fmt.Errorf("load memstore: %w", err)
	}
	took := time.Since(start)
	l := &loaded{name: "memstore", qs: qs, quads: n, took: took}
	l.heap = heapNow() - base
	return l, nil
}

func loadCompact(raw []byte) (*loaded, error) {
	base := heapNow()
	start := time.Now()
	r, err := open(raw)
	if err != nil {
		return nil, err
	}
	qs := compact.New()
	st, err := qs.LoadNQuads(r)
	if err != nil {
		return nil, fmt.Errorf("load compact: %w", err)
	}
	took := time.Since(start)
	l := &loaded{name: "compact", qs: qs, quads: st.Read, took: took}
	l.heap = heapNow() - base
	return l, nil
}

// The vocabulary of the data set.
var (
	name       = quad.IRI("name")
	typ        = quad.IRI("type")
	film       = quad.IRI("/film/film")
	starring   = quad.IRI("/film/film/starring")
	actor      = quad.IRI("/film/performance/actor")
	directedBy = quad.IRI("/film/film/directed_by")
	bogart     = quad.IRI("/en/humphrey_bogart")
	kubrick    = quad.IRI("/en/stanley_kubrick")
)

// A query runs on a store and returns its answer: values, taken width at a
// time as one row. Turning answers into sorted text to compare them is left
// out of the timing.
type query struct {
	id, what string
	run      func(ctx context.Context, qs graph.QuadStore) (answer, error)
}

type answer struct {
	vals  []quad.Value
	width int
}

// rows returns the answer as sorted lines of text.
func (a answer) rows() []string {
	w := a.width
	if w == 0 {
		w = 1
	}
	var out []string
	for i := 0; i+w <= len(a.vals); i += w {
		f := make([]string, w)
		for j := range f {
			f[j] = quad.StringOf(a.vals[i+j])
		}
		out = append(out, strings.Join(f, " "))
	}
	sort.Strings(out)
	return out
}

// values runs a fresh path and returns its values.
func values(ctx context.Context, qs graph.QuadStore, p *path.Path) (answer, error) {
	vals, err := p.Iterate(ctx).AllValues(qs)
	return answer{vals: vals}, err
}

var queries = []query{
	{"Q1", "all nodes, counted by iterating", func(ctx context.Context, qs graph.QuadStore) (answer, error) {
		var n int
		err := path.StartPath(qs).Iterate(ctx).Each(func(graph.Ref) error { n++; return nil })
		return answer{vals: []quad.Value{quad.Int(n)}}, err
	}},
	{"Q2", "names of films Humphrey Bogart acted in", func(ctx context.Context, qs graph.QuadStore) (answer, error) {
		return values(ctx, qs, path.StartPath(qs, bogart).In(actor).In(starring).Out(name))
	}},
	{"Q3", "names of Bogart's distinct co-stars", func(ctx context.Context, qs graph.QuadStore) (answer, error) {
		p := path.StartPath(qs, bogart).In(actor).In(starring).Out(starring).Out(actor).
			Except(path.StartPath(qs, bogart)).Unique().Out(name)
		return values(ctx, qs, p)
	}},
	{"Q4", "directors of films named Casablanca", func(ctx context.Context, qs graph.QuadStore) (answer, error) {
		p := path.StartPath(qs, quad.String("Casablanca")).In(name).Has(typ, film).Out(directedBy).Out(name)
		return values(ctx, qs, p)
	}},
	{"Q5", "Kubrick's films, tagged film and title", func(ctx context.Context, qs graph.QuadStore) (answer, error) {
		p := path.StartPath(qs, kubrick).In(directedBy).Has(typ, film).Tag("film").Out(name).Tag("title")
		a := answer{width: 2}
		err := p.Iterate(ctx).TagValues(qs, func(m map[string]quad.Value) error {
			a.vals = append(a.vals, m["film"], m["title"])
			return nil
		})
		return a, err
	}},
	{"Q6", "count of distinct actors over all films", func(ctx context.Context, qs graph.QuadStore) (answer, error) {
		p := path.StartPath(qs).Has(typ, film).Out(starring).Out(actor).Unique().Count()
		return values(ctx, qs, p)
	}},
	{"Q7", "names of all films", func(ctx context.Context, qs graph.QuadStore) (answer, error) {
		return values(ctx, qs, path.StartPath(qs).Has(typ, film).Out(name))
	}},
}

// timing is the spread of one query's run times on one store, and the
// process's usage per run (usageNow): the median CPU time, and page faults
// and waits summed over the runs.
type timing struct {
	med, min, max time.Duration
	cpu           time.Duration
	use           usage
}

// timed is one run of a query on a store: its wall time, what the process
// used meanwhile, and its answer. The run carries the pprof labels store
// and query.
func (q query) timed(ctx context.Context, store string, qs graph.QuadStore) (wall time.Duration, u usage, a answer, err error) {
	pprof.Do(ctx, pprof.Labels("store", store, "query", q.id), func(ctx context.Context) {
		u0, start := usageNow(), time.Now()
		a, err = q.run(ctx, qs)
		wall, u = time.Since(start), usageNow().sub(u0)
	})
	if err != nil {
		err = fmt.Errorf("%s on %s: %w", q.id, store, err)
	}
	return wall, u, a, err
}

// runs collects the timed runs of one query on one store.
type runs struct {
	wall, cpu []time.Duration
	use       usage
	ans       answer
}

func (r *runs) add(wall time.Duration, u usage, a answer) {
	r.wall, r.cpu, r.ans = append(r.wall, wall), append(r.cpu, u.cpu), a
	r.use.minor += u.minor
	r.use.major += u.major
	r.use.waits += u.waits
}

func (r *runs) timing() timing {
	slices.Sort(r.wall)
	slices.Sort(r.cpu)
	n := len(r.wall)
	return timing{med: r.wall[n/2], min: r.wall[0], max: r.wall[n-1], cpu: r.cpu[n/2], use: r.use}
}

func measure(ctx context.Context, store string, qs graph.QuadStore, q query, n int) (timing, []string, error) {
	var r runs
	for i := 0; i < n; i++ {
		w, u, a, err := q.timed(ctx, store, qs)
		if err != nil {
			return timing{}, nil, err
		}
		r.add(w, u, a)
	}
	return r.timing(), r.ans.rows(), nil
}

// measureAlternating runs q on each store in turn, n times round, so that a
// change in the machine's load falls on all of them alike; every other round
// goes in the reverse order, so that none always runs first.
func measureAlternating(ctx context.Context, q query, n int, names []string, stores ...graph.QuadStore) ([]timing, [][]string, error) {
	rs := make([]runs, len(stores))
	for i := 0; i < n; i++ {
		for k := range stores {
			j := k
			if i%2 == 1 {
				j = len(stores) - 1 - k
			}
			qs := stores[j]
			w, u, a, err := q.timed(ctx, names[j], qs)
			if err != nil {
				return nil, nil, err
			}
			rs[j].add(w, u, a)
		}
	}
	ts := make([]timing, len(stores))
	rows := make([][]string, len(stores))
	for j := range rs {
		ts[j], rows[j] = rs[j].timing(), rs[j].ans.rows()
	}
	return ts, rows, nil
}

func runCompare(ctx context.Context, raw []byte, runs int, w io.Writer) error {
	mem, err := loadMemstore(raw)
	if err != nil {
		return err
	}
	our, err := loadCompact(raw)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-9s %9s %10s %12s %10s %9s\n", "store", "quads", "load", "quads/s", "heap MiB", "B/quad")
	for _, l := range []*loaded{mem, our} {
		fmt.Fprintf(w, "%-9s %9d %10s %12.0f %10.1f %9.0f\n", l.name, l.quads, l.took.Round(time.Millisecond),
			float64(l.quads)/l.took.Seconds(), float64(l.heap)/(1<<20), float64(l.heap)/float64(l.quads))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-3s %-42s %8s | %-28s | %-28s | %7s\n", "", "query", "results", "memstore med (min..max)", "compact med (min..max)", "speedup")
	speedup := map[string]float64{}
	same := true
	for _, q := range queries {
		// Interleave the stores' runs by query so both see similar noise.
		tm, am, err := measure(ctx, "memstore", mem.qs, q, runs)
		if err != nil {
			return err
		}
		tc, ac, err := measure(ctx, "compact", our.qs, q, runs)
		if err != nil {
			return err
		}
		mark := ""
		if !equal(am, ac) {
			same = false
			mark = "  ANSWERS DIFFER"
		}
		speedup[q.id] = float64(tm.med) / float64(tc.med)
		fmt.Fprintf(w, "%-3s %-42s %8s | %-28s | %-28s | %6.1fx%s\n", q.id, q.what, summary(ac),
			spread(tm), spread(tc), speedup[q.id], mark)
	}
	exact, note, err := countsExact(ctx, mem.qs, our.qs)
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, note)
	if !same {
		fmt.Fprintln(w, "the stores' answers differ (see ANSWERS DIFFER above)")
	}
	fmt.Fprintf(w, "RESULT load_speedup=%.1f heap_ratio=%.3f q2_speedup=%.1f q3_speedup=%.1f q5_speedup=%.1f q6_speedup=%.1f q7_speedup=%.1f counts_exact=%v\n",
		float64(mem.took)/float64(our.took), float64(our.heap)/float64(mem.heap),
		speedup["Q2"], speedup["Q3"], speedup["Q5"], speedup["Q6"], speedup["Q7"], exact && same)
	return nil
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// summary is a one-cell view of an answer: a lone value, or a count.
func summary(a []string) string {
	if len(a) == 1 {
		return strings.Trim(strings.SplitN(a[0], "^^", 2)[0], `"`)
	}
	return strconv.Itoa(len(a))
}

func spread(t timing) string {
	r := func(d time.Duration) string {
		switch {
		case d >= time.Second:
			return d.Round(time.Millisecond).String()
		case d >= time.Millisecond:
			return d.Round(10 * time.Microsecond).String()
		}
		return d.Round(time.Microsecond).String()
	}
	return fmt.Sprintf("%s (%s..%s)", r(t.med), r(t.min), r(t.max))
}

// countsExact checks the compact store's counts: g.V().Count() (answered
// from exact stats), the number of nodes iterated and the store's stats agree,
// and the quad count matches memstore's.
func countsExact(ctx context.Context, mem, our graph.QuadStore) (bool, string, error) {
	iterated := 0
	if err := path.StartPath(our).Iterate(ctx).Each(func(graph.Ref) error { iterated++; return nil }); err != nil {
		return false, "", err
	}
	count := func(qs graph.QuadStore) (int64, error) { return path.StartPath(qs).Iterate(ctx).Count() }
	oc, err := count(our)
	if err != nil {
		return false, "", err
	}
	mc, err := count(mem)
	if err != nil {
		return false, "", err
	}
	ost, _ := our.Stats(ctx, true)
	mst, _ := mem.Stats(ctx, true)
	ok := oc == int64(iterated) && ost.Nodes.Value == oc && ost.Nodes.Exact && ost.Quads.Value == mst.Quads.Value
	note := fmt.Sprintf("nodes: compact Count()=%d iterated=%d stats=%d; memstore Count()=%d; quads: compact %d, memstore %d",
		oc, iterated, ost.Nodes.Value, mc, ost.Quads.Value, mst.Quads.Value)
	return ok, note, nil
}

// runScale loads 1, 4, 16... renamed copies of the data into the compact
// store: every IRI and blank node in subject or object position gets the
// copy's number, so copies share only predicates and literals.
func runScale(raw []byte, list string, w io.Writer) error {
	r, err := open(raw)
	if err != nil {
		return err
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%6s %10s %10s %12s %10s %9s %9s\n", "copies", "quads", "load", "quads/s", "heap MiB", "ns/quad", "B/quad")
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-scale: bad copy count %q", f)
		}
		base := heapNow()
		data := renamedCopies(plain, n)
		start := time.Now()
		qs := compact.New()
		st, err := qs.LoadNQuads(bytes.NewReader(data))
		if err != nil {
			return err
		}
		took := time.Since(start)
		runtime.KeepAlive(data)
		data = nil
		heap := heapNow() - base
		fmt.Fprintf(w, "%6d %10d %10s %12.0f %10.1f %9.0f %9.0f\n", n, st.Read, took.Round(time.Millisecond),
			float64(st.Read)/took.Seconds(), float64(heap)/(1<<20), float64(took.Nanoseconds())/float64(st.Read), float64(heap)/float64(st.Read))
		runtime.KeepAlive(qs)
	}
	return nil
}

func renamedCopies(plain []byte, n int) []byte {
	if n == 1 {
		return plain
	}
	var out bytes.Buffer
	out.Grow(len(plain)*n + len(plain)/8*n)
	for c := 0; c < n; c++ {
		suffix := "~" + strconv.Itoa(c)
		sc := bufio.NewScanner(bytes.NewReader(plain))
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			f := strings.SplitN(sc.Text(), " ", 3)
			if len(f) < 3 {
				out.WriteString(sc.Text())
				out.WriteByte('\n')
				continue
			}
			out.WriteString(rename(f[0], suffix))
			out.WriteByte(' ')
			out.WriteString(f[1])
			out.WriteByte(' ')
			obj := f[2]
			if strings.HasPrefix(obj, "<") || strings.HasPrefix(obj, "_:") {
				if i := strings.IndexByte(obj, ' '); i > 0 {
					obj = rename(obj[:i], suffix) + obj[i:]
				}
			}
			out.WriteString(obj)
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

func rename(term, suffix string) string {
	switch {
	case strings.HasPrefix(term, "<") && strings.HasSuffix(term, ">"):
		return term[:len(term)-1] + suffix + ">"
	case strings.HasPrefix(term, "_:"):
		return term + suffix
	}
	return term
}
