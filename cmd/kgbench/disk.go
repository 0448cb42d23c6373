package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/factgraph/factgraph/graph/disk"
	"github.com/factgraph/factgraph/loaders"
)

// diskOptions are the settings of the -disk mode.
type diskOptions struct {
	scale   string // copy counts for the cost-per-quad table
	writes  int    // small batches per store
	writers int    // concurrent writers for the second round of small batches
	trials  int    // SIGKILL trials
	bin     string // factgraph binary for the trials ("" builds one)
	data    string // the file the trials load
}

// runDisk compares the disk store with Cayley's bolt backend: load, size,
// open, queries against the compact store in memory, small writes, and
// crash trials with the factgraph binary killed at random moments.
func runDisk(ctx context.Context, raw []byte, o diskOptions, runs int, w io.Writer) error {
	tmp, err := os.MkdirTemp("", "kgbench-disk")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	// Loads.
	boltDir := filepath.Join(tmp, "cayley-bolt")
	boltTook, bolt, err := loadCayleyBolt(raw, boltDir)
	if err != nil {
		return err
	}
	boltSize := dirSize(boltDir)
	fgBoltTook, err := loadApply(raw, "bbolt", filepath.Join(tmp, "factgraph-bolt"))
	if err != nil {
		return err
	}
	diskDir := filepath.Join(tmp, "disk")
	start := time.Now()
	ds, err := disk.Open(diskDir, disk.DefaultCheckpointBytes)
	if err != nil {
		return err
	}
	r, err := open(raw)
	if err != nil {
		return err
	}
	st, err := ds.LoadNQuads(r)
	if err != nil {
		return err
	}
	diskTook := time.Since(start)
	ds.Close()
	diskSize := dirSize(diskDir)
	applyTook, err := loadApply(raw, disk.Name, filepath.Join(tmp, "disk-apply"))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "load of %d quads (durable at the end)\n", st.Read)
	fmt.Fprintf(w, "  %-34s %10s %10s\n", "", "time", "size MiB")
	fmt.Fprintf(w, "  %-34s %10s %10.1f\n", "Cayley bolt (CopyBatch 10,000)", boltTook.Round(time.Millisecond), mib(boltSize))
	fmt.Fprintf(w, "  %-34s %10s\n", "factgraph load into bolt (Apply)", fgBoltTook.Round(time.Millisecond))
	fmt.Fprintf(w, "  %-34s %10s %10.1f\n", "disk (LoadNQuads)", diskTook.Round(time.Millisecond), mib(diskSize))
	fmt.Fprintf(w, "  %-34s %10s\n", "factgraph load into disk (Apply)", applyTook.Round(time.Millisecond))

	// Open and first query, and the cost per quad as the data grows.
	openMS, err := diskScale(raw, o.scale, tmp, w)
	if err != nil {
		return err
	}

	// Queries: disk (hot page cache) against the compact store in memory.
	ds, err = disk.Open(diskDir, disk.DefaultCheckpointBytes)
	if err != nil {
		return err
	}
	defer ds.Close()
	mem, err := loadCompact(raw)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "queries, median of %d runs, the stores in turn (disk after one warm-up run); wall time, then the process's CPU time,\n", runs)
	fmt.Fprintf(w, "and its page faults (minor/major) and waits summed over the runs\n")
	fmt.Fprintf(w, "  %-4s %8s %12s %12s %12s %8s %12s %12s %8s %14s %14s\n", "", "results", "compact", "disk", "bolt", "disk/compact", "cpu compact", "cpu disk", "cpu ratio", "compact f/w", "disk f/w")
	worst := 0.0
	for _, q := range queries {
		if _, _, err := measure(ctx, "disk", ds, q, 1); err != nil {
			return err
		}
		ts, rows, err := measureAlternating(ctx, q, runs, []string{"compact", "disk"}, mem.qs, ds)
		if err != nil {
			return err
		}
		tb, rb, err := measure(ctx, "bolt", bolt, q, min(runs, 3))
		if err != nil {
			return err
		}
		tm, td, rm, rd := ts[0], ts[1], rows[0], rows[1]
		if !equal(rm, rd) || q.id != "Q1" && !equal(rm, rb) {
			return fmt.Errorf("%s: the stores answer differently: compact %s, disk %s, bolt %s", q.id, summary(rm), summary(rd), summary(rb))
		}
		ratio := float64(td.med) / float64(tm.med)
		worst = max(worst, ratio)
		fmt.Fprintf(w, "  %-4s %8d %12s %12s %12s %8.2f %12s %12s %8.2f %14s %14s\n", q.id, len(rd), tm.med, td.med, tb.med, ratio, tm.cpu, td.cpu,
			float64(td.cpu)/float64(max(tm.cpu, 1)), tm.use.faultsWaits(), td.use.faultsWaits())
	}

	// Small writes: one writer, then many at once.
	fmt.Fprintf(w, "small writes: %d batches of 10 quads, each acknowledged once synced\n", o.writes)
	fmt.Fprintf(w, "  %-28s %10s %10s %8s %12s\n", "", "disk", "bolt", "ratio", "disk syncs")
	var speedup [2]float64
	for i, n := range []int{1, o.writers} {
		syncs := ds.LogSyncs()
		diskRate, err := smallWrites(ds, o.writes, n, i)
		if err != nil {
			return err
		}
		syncs = ds.LogSyncs() - syncs
		boltRate, err := smallWrites(bolt, o.writes, n, i)
		if err != nil {
			return err
		}
		speedup[i] = diskRate / boltRate
		what := "1 writer, batch after batch"
		if i == 1 {
			what = fmt.Sprintf("%d writers at once", n)
		}
		fmt.Fprintf(w, "  %-28s %8.0f/s %8.0f/s %8.1f %12d\n", what, diskRate, boltRate, speedup[i], syncs)
	}
	bolt.Close()

	// Crash trials.
	ok, n, err := crashTrials(ctx, o, tmp, w)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "RESULT disk_load_speedup=%.1f size_ratio=%.3f open_ms=%.1f q_ratio_max=%.2f write_speedup=%.1f write_speedup_seq=%.1f crash_trials=%d/%d\n",
		boltTook.Seconds()/diskTook.Seconds(), float64(diskSize)/float64(boltSize), openMS, worst, speedup[1], speedup[0], ok, n)
	return nil
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// dirSize is the bytes of the files in dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

// loadCayleyBolt loads the way Cayley's loader does: its N-Quads reader,
// batches of 10,000 into bolt's quad writer. It returns the open store.
func loadCayleyBolt(raw []byte, dir string) (time.Duration, graph.QuadStore, error) {
	start := time.Now()
	if err := graph.InitQuadStore("bbolt", dir, nil); err != nil {
		return 0, nil, err
	}
	qs, err := graph.NewQuadStore("bbolt", dir, nil)
	if err != nil {
		return 0, nil, err
	}
	r, err := open(raw)
	if err != nil {
		return 0, nil, err
	}
	qw, err := qs.NewQuadWriter()
	if err != nil {
		return 0, nil, err
	}
	if _, err := quad.CopyBatch(qw, nquads.NewReader(r, false), 10000); err != nil {
		return 0, nil, fmt.Errorf("load bolt: %w", err)
	}
	qw.Close()
	return time.Since(start), qs, nil
}

// loadApply loads the way factgraph load does: read every quad, then one
// atomic batch (loaders.Apply).
func loadApply(raw []byte, backend, dir string) (time.Duration, error) {
	start := time.Now()
	if err := graph.InitQuadStore(backend, dir, nil); err != nil {
		return 0, err
	}
	qs, err := graph.NewQuadStore(backend, dir, nil)
	if err != nil {
		return 0, err
	}
	defer qs.Close()
	r, err := open(raw)
	if err != nil {
		return 0, err
	}
	quads, err := quad.ReadAll(nquads.NewReader(r, false))
	if err != nil {
		return 0, err
	}
	if _, err := loaders.Apply(context.Background(), qs, quads); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// firstQuery is what the open time includes: Q4 without the type test, so
// that it finds every renamed copy (its terms are a literal and predicates).
func firstQuery(ctx context.Context, qs graph.QuadStore) (int, error) {
	vals, err := path.StartPath(qs, quad.String("Casablanca")).In(name).Out(directedBy).Out(name).Iterate(ctx).AllValues(qs)
	return len(vals), err
}

// diskScale loads renamed copies into disk stores and prints load time, size
// and open time per quad; it returns the slowest open plus first query (the
// medians of openTimes).
func diskScale(raw []byte, list, tmp string, w io.Writer) (float64, error) {
	r, err := open(raw)
	if err != nil {
		return 0, err
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(w, "disk store by size (renamed copies); open and first query: median of %d openings, ms, and the page faults of one\n", openings)
	fmt.Fprintf(w, "  %6s %10s %10s %9s %10s %8s %8s %8s %14s %10s\n", "copies", "quads", "load", "ns/quad", "size MiB", "B/quad", "open", "query", "open+query", "faults")
	worst := 0.0
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return 0, fmt.Errorf("-disk-scale: bad copy count %q", f)
		}
		dir := filepath.Join(tmp, fmt.Sprintf("scale-%d", n))
		data := renamedCopies(plain, n)
		start := time.Now()
		ds, err := disk.Open(dir, disk.DefaultCheckpointBytes)
		if err != nil {
			return 0, err
		}
		st, err := ds.LoadNQuads(bytes.NewReader(data))
		if err != nil {
			return 0, err
		}
		took := time.Since(start)
		ds.Close()
		data = nil
		size := dirSize(dir)
		o, err := openTimes(dir, n)
		if err != nil {
			return 0, err
		}
		worst = max(worst, o.total)
		fmt.Fprintf(w, "  %6d %10d %10s %9.0f %10.1f %8.1f %8.2f %8.2f %14.2f %10d\n", n, st.Read, took.Round(time.Millisecond),
			float64(took.Nanoseconds())/float64(st.Read), mib(size), float64(size)/float64(st.Read), o.open, o.query, o.total, o.faults)
		os.RemoveAll(dir)
	}
	return worst, nil
}

// openings is how many times openTimes opens a store.
const openings = 5

// opened is what openTimes measured: median milliseconds to open, to answer
// the first query, and both; and the page faults of the median opening.
type opened struct {
	open, query, total float64
	faults             int64
}

// openTimes opens the store in dir and runs the first query, which must
// find copies directors, then closes it, openings times over. The page cache
// holds the files (they were just written), so this is the open of a new
// process on a warm machine; each opening maps the segment anew, so its
// pages are faulted in again. The collector runs before each, so that the
// garbage of the load is not collected inside the timing.
func openTimes(dir string, copies int) (opened, error) {
	var all []opened
	for range openings {
		runtime.GC()
		u0, start := usageNow(), time.Now()
		ds, err := disk.Open(dir, disk.DefaultCheckpointBytes)
		if err != nil {
			return opened{}, err
		}
		mid := time.Since(start)
		found, err := firstQuery(context.Background(), ds)
		total, u := time.Since(start), usageNow().sub(u0)
		ds.Close()
		if err != nil {
			return opened{}, err
		}
		if found != copies {
			return opened{}, fmt.Errorf("first query on %d copies found %d directors", copies, found)
		}
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		all = append(all, opened{open: ms(mid), query: ms(total - mid), total: ms(total), faults: u.minor + u.major})
	}
	slices.SortFunc(all, func(a, b opened) int { return cmp.Compare(a.total, b.total) })
	med := all[len(all)/2]
	opens, queries := make([]float64, len(all)), make([]float64, len(all))
	for i, o := range all {
		opens[i], queries[i] = o.open, o.query
	}
	slices.Sort(opens)
	slices.Sort(queries)
	med.open, med.query = opens[len(all)/2], queries[len(all)/2]
	return med, nil
}

// smallWrites applies n batches of 10 new quads from the given number of
// writers at once, each applying its next batch when the last one returned,
// and returns batches per second. Rounds write different quads.
func smallWrites(qs graph.QuadStore, n, writers, round int) (float64, error) {
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		errc = make(chan error, writers)
	)
	start := time.Now()
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				ds := make([]graph.Delta, 10)
				for j := range ds {
					ds[j] = graph.Delta{Action: graph.Add, Quad: quad.Make(quad.IRI(fmt.Sprintf("urn:w:%d:%d", round, i)), quad.IRI("urn:item"), quad.String(fmt.Sprintf("item %d %d", i, j)), nil)}
				}
				if err := qs.ApplyDeltas(ds, graph.IgnoreOpts{}); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	close(errc)
	if err := <-errc; err != nil {
		return 0, err
	}
	return float64(n) / took.Seconds(), nil
}

// crashTrials kills the factgraph binary at random moments: during a load of
// the data file, and during streams of small writes to a server, from one
// client and from many at once (with the default log limit, and with one
// small enough that checkpoints run all along). After each, the store must
// pass disk.Check and hold every acknowledged batch, and of each one in
// flight all or nothing. It returns the trials that passed and the count.
func crashTrials(ctx context.Context, o diskOptions, tmp string, w io.Writer) (int, int, error) {
	bin := o.bin
	if bin == "" {
		bin = filepath.Join(tmp, "factgraph")
		if out, err := exec.Command("go", "build", "-o", bin, "github.com/factgraph/factgraph/cmd/factgraph").CombinedOutput(); err != nil {
			return 0, 0, fmt.Errorf("build factgraph (run inside the repository, or pass -factgraph): %v\n%s", err, out)
		}
	}
	ok := 0
	for i := 0; i < o.trials; i++ {
		dir := filepath.Join(tmp, fmt.Sprintf("trial-%d", i))
		var what string
		var err error
		switch i % 4 {
		case 0:
			what, err = killLoad(ctx, bin, o.data, dir)
		case 1:
			what, err = killWrites(ctx, bin, "disk://"+dir, dir, 1)
		case 2:
			what, err = killWrites(ctx, bin, "disk://"+dir, dir, o.writers)
		default:
			what, err = killWrites(ctx, bin, "disk://"+dir+"?checkpoint=4096", dir, o.writers)
		}
		if err == nil {
			ok++
			fmt.Fprintf(w, "  trial %2d ok: %s\n", i+1, what)
		} else {
			fmt.Fprintf(w, "  trial %2d FAILED: %v\n", i+1, err)
		}
		os.RemoveAll(dir)
	}
	return ok, o.trials, nil
}

// checkedCount runs disk.Check on the store and returns its quad count.
func checkedCount(dir string) (int64, error) {
	r, err := disk.Check(dir)
	if err != nil {
		return 0, fmt.Errorf("check: %w", err)
	}
	return r.Live, nil
}

// killLoad loads a small file, then kills a load of the data file at a
// random moment of its run.
func killLoad(ctx context.Context, bin, data, dir string) (string, error) {
	db := "disk://" + dir
	seed := filepath.Join(dir + "-seed.nq")
	os.WriteFile(seed, []byte("<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> \"c\" .\n"), 0o644)
	if out, err := exec.Command(bin, "load", "-q", "--db", db, seed).CombinedOutput(); err != nil {
		return "", fmt.Errorf("seed load: %v: %s", err, out)
	}
	before, err := checkedCount(dir)
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, bin, "load", "-q", "--db", db, data)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("timing load: %v", err)
	}
	full := time.Since(start)
	all, err := checkedCount(dir)
	if err != nil {
		return "", err
	}
	// Again into a fresh store, killed at a random point of that time.
	os.RemoveAll(dir)
	exec.Command(bin, "load", "-q", "--db", db, seed).Run()
	after := time.Duration(rand.Int64N(int64(full)))
	cmd = exec.CommandContext(ctx, bin, "load", "-q", "--db", db, data)
	if err := cmd.Start(); err != nil {
		return "", err
	}
	time.Sleep(after)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	n, err := checkedCount(dir)
	if err != nil {
		return "", err
	}
	if n != before && n != all {
		return "", fmt.Errorf("load killed after %s: %d quads, neither %d nor %d", after, n, before, all)
	}
	return fmt.Sprintf("load killed after %s of %s: %d quads, check clean", after.Round(time.Millisecond), full.Round(time.Millisecond), n), nil
}

// killWrites starts a server and has clients post batches of 10 quads, each
// client its next batch once the last was answered, until the server is
// killed at a random moment.
func killWrites(ctx context.Context, bin, db, dir string, clients int) (string, error) {
	srv := exec.CommandContext(ctx, bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--write-token-env", "KGBENCH_TOKEN")
	srv.Env = append(os.Environ(), "KGBENCH_TOKEN=secret")
	stdout, err := srv.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := srv.Start(); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	f := strings.Fields(line) // serving URL at http://127.0.0.1:PORT (...)
	if err != nil || len(f) < 4 || f[2] != "at" {
		srv.Process.Kill()
		srv.Wait()
		return "", fmt.Errorf("serve printed %q: %v", line, err)
	}
	base := f[3]
	subject := func(c, i int) string { return fmt.Sprintf("urn:batch:%d:%d", c, i) }
	batch := func(c, i int) string {
		var b strings.Builder
		for j := 0; j < 10; j++ {
			fmt.Fprintf(&b, "<%s> <urn:item> \"item %d %d %d\" .\n", subject(c, i), c, i, j)
		}
		return b.String()
	}
	// Per client: batches answered 200 (0..acked-1), and the one in flight
	// when the server died, or -1.
	acked, inFlight := make([]int, clients), make([]int, clients)
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 30 * time.Second}
	for c := 0; c < clients; c++ {
		inFlight[c] = -1
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				req, _ := http.NewRequest("POST", base+"/api/v1/load", strings.NewReader(batch(c, i)))
				req.Header.Set("Authorization", "Bearer secret")
				req.Header.Set("Content-Type", "application/n-quads")
				resp, err := client.Do(req)
				if err != nil {
					inFlight[c] = i
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					inFlight[c] = i // refused, or cut: whole or absent
					return
				}
				acked[c] = i + 1
			}
		}()
	}
	after := 200*time.Millisecond + time.Duration(rand.Int64N(int64(800*time.Millisecond)))
	time.Sleep(after)
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	wg.Wait()
	total, landed := 0, 0
	for _, n := range acked {
		total += n
	}
	if total == 0 {
		return "", fmt.Errorf("no batch was acknowledged in %s", after)
	}
	if _, err := checkedCount(dir); err != nil {
		return "", err
	}
	qs, err := disk.Open(dir, disk.DefaultCheckpointBytes)
	if err != nil {
		return "", err
	}
	defer qs.Close()
	ctx2 := context.Background()
	count := func(c, i int) (int, error) {
		v, err := qs.ValueOf(quad.IRI(subject(c, i)))
		if err != nil || v == nil {
			return 0, err
		}
		n, err := path.StartPath(qs, quad.IRI(subject(c, i))).Out(quad.IRI("urn:item")).Iterate(ctx2).Count()
		return int(n), err
	}
	for c := 0; c < clients; c++ {
		for i := 0; i < acked[c]; i++ {
			if n, err := count(c, i); err != nil || n != 10 {
				return "", fmt.Errorf("client %d: acknowledged batch %d has %d of its 10 quads (%v)", c, i, n, err)
			}
		}
		if i := inFlight[c]; i >= 0 {
			n, err := count(c, i)
			if err != nil || n != 0 && n != 10 {
				return "", fmt.Errorf("client %d: batch %d, in flight, has %d of its 10 quads (%v)", c, i, n, err)
			}
			if n == 10 {
				landed++
			}
		}
	}
	st, _ := qs.Stats(ctx2, true)
	return fmt.Sprintf("%s, %d client(s), killed after %s: %d acknowledged batches all there, of those in flight %d whole and the rest absent, %d quads, check clean",
		db[strings.LastIndex(db, "/")+1:], clients, after.Round(time.Millisecond), total, landed, st.Quads.Value), nil
}
