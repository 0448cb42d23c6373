package compact

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/nqfast"
)

var ctx = context.Background()

func adds(qs ...quad.Quad) []graph.Delta {
	out := make([]graph.Delta, len(qs))
	for i, q := range qs {
		out[i] = graph.Delta{Quad: q, Action: graph.Add}
	}
	return out
}

func dels(qs ...quad.Quad) []graph.Delta {
	out := make([]graph.Delta, len(qs))
	for i, q := range qs {
		out[i] = graph.Delta{Quad: q, Action: graph.Delete}
	}
	return out
}

// dump is everything a reader can see of a store, as text.
func dump(t testing.TB, s *Store) string {
	t.Helper()
	var quads, nodes []string
	it := s.QuadsAllIterator().Iterate()
	for it.Next(ctx) {
		q, err := s.Quad(it.Result())
		if err != nil {
			t.Fatal(err)
		}
		quads = append(quads, q.String())
	}
	nit := s.NodesAllIterator().Iterate()
	for nit.Next(ctx) {
		v, _ := s.NameOf(nit.Result())
		nodes = append(nodes, quad.StringOf(v))
	}
	sort.Strings(quads)
	sort.Strings(nodes)
	st, _ := s.Stats(ctx, true)
	return fmt.Sprintf("stats %+v\nquads %q\nnodes %q", st, quads, nodes)
}

func bigBatch(n int, prefix string) []quad.Quad {
	qs := make([]quad.Quad, n)
	for i := range qs {
		qs[i] = quad.MakeIRI(fmt.Sprintf("%s%d", prefix, i), "r", fmt.Sprintf("%s%d", prefix, i+1), "")
	}
	return qs
}

// TestApplyDeltasAtomic checks that a failing batch, on the delta path and
// on the bulk path, leaves the store (dictionary included) as it was.
func TestApplyDeltasAtomic(t *testing.T) {
	base := []quad.Quad{
		quad.MakeIRI("a", "p", "b", ""),
		quad.MakeIRI("b", "p", "c", "g"),
	}
	cases := []struct {
		name  string
		batch []graph.Delta
		opts  graph.IgnoreOpts
		err   error
	}{
		{"dup add", append(adds(quad.MakeIRI("new", "p", "x", "")), adds(base[0])...), graph.IgnoreOpts{}, graph.ErrQuadExists},
		{"dup within batch", adds(quad.MakeIRI("n", "p", "x", ""), quad.MakeIRI("n", "p", "x", "")), graph.IgnoreOpts{}, graph.ErrQuadExists},
		{"missing delete", append(adds(quad.MakeIRI("new", "q", "y", "")), dels(quad.MakeIRI("a", "p", "zzz", ""))...), graph.IgnoreOpts{IgnoreDup: true}, graph.ErrQuadNotExist},
		{"delete twice", append(dels(base[0]), dels(base[0])...), graph.IgnoreOpts{}, graph.ErrQuadNotExist},
		{"bad action", []graph.Delta{{Quad: quad.MakeIRI("new", "p", "q", ""), Action: graph.Add}, {Quad: base[0], Action: 7}}, graph.IgnoreOpts{}, graph.ErrInvalidAction},
		{"bulk dup", adds(append(bigBatch(5000, "bulk"), base[1])...), graph.IgnoreOpts{}, graph.ErrQuadExists},
		{"bulk dup within batch", adds(append(bigBatch(5000, "bulk"), quad.MakeIRI("bulk7", "r", "bulk8", ""))...), graph.IgnoreOpts{}, graph.ErrQuadExists},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := New()
			if err := s.ApplyDeltas(adds(base...), graph.IgnoreOpts{}); err != nil {
				t.Fatal(err)
			}
			before, n := dump(t, s), s.dict.n
			err := s.ApplyDeltas(c.batch, c.opts)
			var de *graph.DeltaError
			if !errors.As(err, &de) || !errors.Is(de.Err, c.err) {
				t.Fatalf("error %v, want a delta error %v", err, c.err)
			}
			if after := dump(t, s); after != before {
				t.Errorf("store changed:\n%s\nwant\n%s", after, before)
			}
			if s.dict.n != n {
				t.Errorf("dictionary holds %d ids, want %d", s.dict.n, n)
			}
			if r, _ := s.ValueOf(quad.IRI("new")); r != nil {
				t.Errorf("value of a failed batch is visible")
			}
			// the store still works
			if err := s.ApplyDeltas(adds(quad.MakeIRI("new", "p", "x", "")), graph.IgnoreOpts{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// model is the reference: a set of quads.
type model map[quad.Quad]bool

func (m model) nodes() map[string]bool {
	out := map[string]bool{}
	for q := range m {
		for _, d := range quad.Directions {
			if v := q.Get(d); v != nil {
				out[v.String()] = true
			}
		}
	}
	return out
}

// check compares everything observable with the model.
func (m model) check(t *testing.T, s *Store, step string) {
	t.Helper()
	st, _ := s.Stats(ctx, false)
	nodes := m.nodes()
	if st.Quads != (graphSize(len(m))) || st.Nodes != graphSize(len(nodes)) {
		t.Fatalf("%s: stats %+v, want %d quads %d nodes", step, st, len(m), len(nodes))
	}
	seen := map[string]int{}
	it := s.NodesAllIterator().Iterate()
	for it.Next(ctx) {
		v, _ := s.NameOf(it.Result())
		seen[v.String()]++
	}
	for k, c := range seen {
		if c != 1 || !nodes[k] {
			t.Fatalf("%s: NodesAllIterator gave %s %d times (in model: %v)", step, k, c, nodes[k])
		}
	}
	if len(seen) != len(nodes) {
		t.Fatalf("%s: NodesAllIterator gave %d nodes, want %d", step, len(seen), len(nodes))
	}
	if n, _ := path.StartPath(s).Iterate(ctx).Count(); n != int64(len(nodes)) {
		t.Fatalf("%s: g.V().Count() = %d, want %d", step, n, len(nodes))
	}
	// every (direction, value) list: exact size and content
	type list struct {
		d  quad.Direction
		v  quad.Value
		qs []string
	}
	want := map[string]*list{}
	for q := range m {
		for _, d := range quad.Directions {
			if v := q.Get(d); v != nil {
				k := d.String() + " " + v.String()
				if want[k] == nil {
					want[k] = &list{d: d, v: v}
				}
				want[k].qs = append(want[k].qs, q.String())
			}
		}
	}
	for k, l := range want {
		d, v, qs := l.d, l.v, l.qs
		ref, _ := s.ValueOf(v)
		if ref == nil {
			t.Fatalf("%s: ValueOf(%v) = nil", step, v)
		}
		sh := s.QuadIterator(d, ref)
		sz, _ := s.QuadIteratorSize(ctx, d, ref)
		cs, _ := sh.Stats(ctx)
		if sz.Value != int64(len(qs)) || !sz.Exact || cs.Size != sz {
			t.Fatalf("%s: size of %s = %+v / %+v, want %d", step, k, sz, cs.Size, len(qs))
		}
		var got []string
		qi := sh.Iterate()
		look := sh.Lookup()
		for qi.Next(ctx) {
			q, _ := s.Quad(qi.Result())
			got = append(got, q.String())
			if !look.Contains(ctx, qi.Result()) {
				t.Fatalf("%s: %s does not contain its own %v", step, k, q)
			}
		}
		sort.Strings(got)
		sort.Strings(qs)
		if fmt.Sprint(got) != fmt.Sprint(qs) {
			t.Fatalf("%s: %s lists %v, want %v", step, k, got, qs)
		}
	}
	m.checkReader(t, s, step)
	live := m.nodes()
	v := s.dict.view()
	for id := uint32(1); id < v.n; id++ {
		val := v.value(id)
		if live[val.String()] {
			continue
		}
		if r, _ := s.ValueOf(val); r != nil {
			t.Fatalf("%s: ValueOf(%v) of a value in no quad is not nil", step, val)
		}
	}
}

// checkReader compares a Reader with the model: its counts, the ids it gives
// values, and the quads a Cursor finds for every pattern of a stored quad
// with one, two, three or four of its directions fixed.
func (m model) checkReader(t *testing.T, s *Store, step string) {
	t.Helper()
	r := s.Reader()
	labeled := 0
	for q := range m {
		if q.Label != nil {
			labeled++
		}
	}
	if c := r.Counts(); c.Quads != int64(len(m)) || c.Nodes != int64(len(m.nodes())) || c.Labeled != int64(labeled) {
		t.Fatalf("%s: reader counts %+v, want %d quads, %d nodes, %d labeled", step, c, len(m), len(m.nodes()), labeled)
	}
	idsOf := func(q quad.Quad) (ids [4]uint32) {
		for i, d := range quad.Directions {
			if v := q.Get(d); v != nil {
				ref, _ := s.ValueOf(v)
				ids[i] = r.ID(ref)
				if ids[i] == 0 || r.Value(ids[i]) != v || r.Node(ids[i]) != ref {
					t.Fatalf("%s: reader names id %d %v, want %v", step, ids[i], r.Value(ids[i]), v)
				}
			}
		}
		return ids
	}
	// want[mask][pattern]: the model's quads matching the pattern.
	var want [16]map[[4]uint32][]string
	for mask := 1; mask < 16; mask++ {
		want[mask] = map[[4]uint32][]string{}
	}
	for q := range m {
		ids := idsOf(q)
		for mask := 1; mask < 16; mask++ {
			var pat [4]uint32
			for i := range pat {
				if mask&(1<<i) != 0 {
					pat[i] = ids[i]
				}
			}
			if mask&8 != 0 && ids[3] == 0 {
				continue // 0 is any label: no pattern asks for none
			}
			want[mask][pat] = append(want[mask][pat], q.String())
		}
	}
	var c Cursor
	for mask := 1; mask < 16; mask++ {
		for pat, w := range want[mask] {
			var got []string
			for r.Scan(&c, pat); c.Next(); {
				o, _ := s.Quad(c.Quad())
				if back := idsOf(o); back != c.IDs() {
					t.Fatalf("%s: cursor ids %v for %v, want %v", step, c.IDs(), o, back)
				}
				got = append(got, o.String())
			}
			if n := r.Size(pat); n < int64(len(got)) {
				t.Fatalf("%s: size of %v is %d, under the %d quads found", step, pat, n, len(got))
			}
			sort.Strings(got)
			sort.Strings(w)
			if fmt.Sprint(got) != fmt.Sprint(w) {
				t.Fatalf("%s: scan of %v (mask %b) gave %v, want %v", step, pat, mask, got, w)
			}
		}
	}
}

func graphSize(n int) (sz struct {
	Value int64
	Exact bool
}) {
	sz.Value, sz.Exact = int64(n), true
	return
}

// TestAgainstModel applies random batches, small (delta) and large
// (rebuild), adds and deletes, and compares all that is observable with a
// TestIgnoreDupWithinBatch checks what DedupsWithinBatch promises: with
// IgnoreDup, a quad repeated within one batch, or already stored, is stored
// once, on the delta path and on the bulk path.
func TestIgnoreDupWithinBatch(t *testing.T) {
	stored := quad.MakeIRI("a", "p", "b", "")
	for _, n := range []int{3, 5000} { // delta path, bulk path
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := New()
			if err := s.ApplyDeltas(adds(stored), graph.IgnoreOpts{}); err != nil {
				t.Fatal(err)
			}
			batch := bigBatch(n, "x")
			batch = append(batch, batch[0], batch[n-1], stored, batch[1])
			if err := s.ApplyDeltas(adds(batch...), graph.IgnoreOpts{IgnoreDup: true}); err != nil {
				t.Fatal(err)
			}
			st, err := s.Stats(ctx, true)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			it := s.QuadsAllIterator().Iterate()
			for it.Next(ctx) {
				q, err := s.Quad(it.Result())
				if err != nil {
					t.Fatal(err)
				}
				seen[q.String()]++
			}
			if len(seen) != n+1 || st.Quads.Value != int64(n+1) {
				t.Errorf("%d distinct quads, stats %d; want %d", len(seen), st.Quads.Value, n+1)
			}
			for q, c := range seen {
				if c != 1 {
					t.Errorf("%s stored %d times", q, c)
				}
			}
		})
	}
}

// plain set of quads after each.
func TestAgainstModel(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	s := New()
	m := model{}
	val := func() quad.Value {
		switch n := rng.Intn(40); {
		case n < 25:
			return quad.IRI(fmt.Sprintf("n%d", n))
		case n < 32:
			return quad.String(fmt.Sprintf("s%d", n))
		case n < 36:
			return quad.BNode(fmt.Sprintf("b%d", n))
		default:
			return quad.Int(n)
		}
	}
	rq := func() quad.Quad {
		q := quad.Quad{Subject: val(), Predicate: quad.IRI(fmt.Sprintf("p%d", rng.Intn(4))), Object: val()}
		if rng.Intn(3) == 0 {
			q.Label = quad.IRI("g")
		}
		return q
	}
	for step := 0; step < 60; step++ {
		n := 1 + rng.Intn(20)
		if step%10 == 9 {
			n = 2000 // overflows the delta: rebuild
		}
		var batch []graph.Delta
		for i := 0; i < n; i++ {
			if rng.Intn(3) == 0 && len(m) > 0 {
				for q := range m {
					batch = append(batch, graph.Delta{Quad: q, Action: graph.Delete})
					break
				}
			} else {
				batch = append(batch, graph.Delta{Quad: rq(), Action: graph.Add})
			}
		}
		if err := s.ApplyDeltas(batch, graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
			t.Fatal(err)
		}
		for _, d := range batch {
			m[d.Quad] = d.Action == graph.Add
			if !m[d.Quad] {
				delete(m, d.Quad)
			}
		}
		m.check(t, s, fmt.Sprintf("step %d", step))
	}
}

// TestConcurrentReaders runs readers against one writer; with -race it
// checks the store's lock-free reads. Each batch adds or deletes two quads,
// <x> <p> <y> and <y> <q> <x>, so any one iterator must see as many p-quads
// as q-quads: a reader never sees half a batch.
func TestConcurrentReaders(t *testing.T) {
	s := New()
	var stop atomic.Bool
	var wg sync.WaitGroup
	pair := func(i int) []quad.Quad {
		x, y := quad.IRI(fmt.Sprintf("x%d", i)), quad.IRI(fmt.Sprintf("y%d", i%97))
		return []quad.Quad{{Subject: x, Predicate: quad.IRI("p"), Object: y}, {Subject: y, Predicate: quad.IRI("q"), Object: x}}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer stop.Store(true)
		for i := 0; i < 3000; i++ {
			var err error
			if i%3 == 2 {
				err = s.ApplyDeltas(dels(pair(i-1)...), graph.IgnoreOpts{})
			} else {
				err = s.ApplyDeltas(adds(pair(i)...), graph.IgnoreOpts{})
			}
			if err != nil {
				t.Error(err)
				return
			}
			if i == 1500 { // a bulk load in the middle: a rebuild
				if err := s.ApplyDeltas(adds(bigBatch(3000, "bulk")...), graph.IgnoreOpts{}); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	for r := 0; r < 3; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			for !stop.Load() {
				it := s.QuadsAllIterator().Iterate()
				np, nq := 0, 0
				for it.Next(ctx) {
					q, _ := s.Quad(it.Result())
					switch q.Predicate {
					case quad.IRI("p"):
						np++
					case quad.IRI("q"):
						nq++
					}
				}
				if np != nq {
					t.Errorf("reader %d saw %d p-quads and %d q-quads", r, np, nq)
					return
				}
				if ref, _ := s.ValueOf(quad.IRI("p")); ref != nil {
					sh := s.QuadIterator(quad.Predicate, ref)
					st, _ := sh.Stats(ctx)
					_ = st
					n := 0
					for it := sh.Iterate(); it.Next(ctx); n++ {
						o, _ := s.QuadDirection(it.Result(), quad.Object)
						if v, _ := s.NameOf(o); v == nil {
							t.Errorf("object without a value")
						}
					}
				}
				vals, err := path.StartPath(s).Has(quad.IRI("p")).Out(quad.IRI("p")).Unique().Iterate(ctx).AllValues(s)
				if err != nil {
					t.Error(err)
				}
				_ = vals
				nodes := 0
				for it := s.NodesAllIterator().Iterate(); it.Next(ctx); nodes++ {
				}
			}
		}(r)
	}
	wg.Wait()
}

// TestRefsAcrossRebuild checks that refs taken before a rebuild still work.
func TestRefsAcrossRebuild(t *testing.T) {
	s := New()
	q := quad.MakeIRI("a", "p", "b", "")
	if err := s.ApplyDeltas(adds(q), graph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	it := s.QuadsAllIterator().Iterate()
	if !it.Next(ctx) {
		t.Fatal("no quad")
	}
	old := it.Result()
	a, _ := s.ValueOf(quad.IRI("a"))
	if err := s.ApplyDeltas(adds(bigBatch(5000, "x")...), graph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Quad(old); got != q {
		t.Errorf("Quad(old ref) = %v", got)
	}
	look := s.QuadIterator(quad.Subject, a).Lookup()
	if !look.Contains(ctx, old) {
		t.Errorf("new generation does not contain the old ref's quad")
	}
	if err := s.ApplyDeltas(dels(q), graph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	if s.QuadsAllIterator().Lookup().Contains(ctx, old) {
		t.Errorf("deleted quad still contained")
	}
	if a2, _ := s.ValueOf(quad.IRI("a")); a2 != nil {
		t.Errorf("value of a deleted quad still resolves")
	}
}

// TestLoadNQuads checks the bulk loader against ApplyDeltas of the same
// quads, and that a bad document changes nothing.
func TestLoadNQuads(t *testing.T) {
	doc := "<a> <p> <b> .\n<a> <p> \"x\"@en .\n_:n <p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> <g> .\n<a> <p> <b> .\n<a> <p> \"esc\\\"aped\" .\n"
	s := New()
	st, err := s.LoadNQuads(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if st.Read != 5 || st.Added != 4 {
		t.Errorf("stats %+v, want 5 read, 4 added", st)
	}
	want := New()
	qs, err := quad.ReadAll(nqfast.NewNQuadsReader(strings.NewReader(doc)))
	if err != nil {
		t.Fatal(err)
	}
	if err := want.ApplyDeltas(adds(qs...), graph.IgnoreOpts{IgnoreDup: true}); err != nil {
		t.Fatal(err)
	}
	if dump(t, s) != dump(t, want) {
		t.Errorf("loaded:\n%s\nwant\n%s", dump(t, s), dump(t, want))
	}
	before := dump(t, s)
	if _, err := s.LoadNQuads(strings.NewReader("<c> <p> <d> .\n<c> <p\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error %v, want one at line 2", err)
	}
	if dump(t, s) != before {
		t.Errorf("failed load changed the store")
	}
	// a load into a non-empty store goes through the delta
	if st, err := s.LoadNQuads(strings.NewReader("<c> <p> <d> .\n<a> <p> <b> .\n")); err != nil || st.Added != 1 {
		t.Errorf("second load: %+v, %v", st, err)
	}
}

var _ iterator.Shape = (*quadsShape)(nil)

// TestSmallWritesGrowInPlace checks that a small batch with new values does
// not copy the delta's per-id array of chain heads, which is as long as the
// dictionary: it grows into its spare room, which older snapshots never read.
func TestSmallWritesGrowInPlace(t *testing.T) {
	s := New()
	var big []graph.Delta
	for i := 0; i < 5000; i++ {
		big = append(big, graph.Delta{Action: graph.Add, Quad: quad.Make(quad.IRI(fmt.Sprint("s", i)), quad.IRI("p"), quad.Int(i), nil)})
	}
	if err := s.ApplyDeltas(big, graph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	add := func(i int) {
		t.Helper()
		q := quad.Make(quad.IRI(fmt.Sprint("new", i)), quad.IRI("p"), quad.String(fmt.Sprint("v", i)), nil)
		if err := s.ApplyDeltas([]graph.Delta{{Action: graph.Add, Quad: q}}, graph.IgnoreOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	add(0)
	before := s.current()
	first := &s.gen.heads[0]
	copies := 0
	for i := 1; i < 100; i++ {
		add(i)
		if &s.gen.heads[0] != first {
			copies++
			first = &s.gen.heads[0]
		}
	}
	if copies > 1 {
		t.Errorf("99 small batches copied the heads array %d times, want at most once", copies)
	}
	// An older snapshot still sees only its own quads.
	n := 0
	for sc := newQuadsScanner(before, filter{}); sc.next(); n++ {
	}
	if n != 5001 {
		t.Errorf("the snapshot after the first small batch sees %d quads, want 5001", n)
	}
}

// TestArenaCopies checks the text of values read from a mapped arena: the
// same bytes as the arena, from one shared copy of their block, a value
// across two blocks and one in the short last block included.
func TestArenaCopies(t *testing.T) {
	arena := make([]byte, 2<<arenaBlockBits+100)
	for i := range arena {
		arena[i] = byte('a' + i%26)
	}
	c := newArenaCopies(arena)
	for _, tc := range []struct{ off, n uint32 }{
		{0, 10}, {5, 20}, {1<<arenaBlockBits - 4, 10}, {2 << arenaBlockBits, 100}, {2<<arenaBlockBits + 99, 1}, {7, 0},
	} {
		if got, want := c.text(tc.off, tc.n), string(arena[tc.off:tc.off+tc.n]); got != want {
			t.Errorf("text(%d, %d) = %q, want %q", tc.off, tc.n, got, want)
		}
	}
	a, b := c.text(100, 5), c.text(105, 5)
	if unsafe.StringData(b) != (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(a)), 5)) {
		t.Error("two values of one block do not share its copy")
	}
	if unsafe.StringData(a) == &arena[100] {
		t.Error("a value points into the arena itself")
	}
}
