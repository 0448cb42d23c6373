// Package trace records, while a query runs, the quads its plan matches: the
// evidence of every result is what the executing plan walked, never a second
// search of the graph afterwards.
//
// A query is run on a Store that wraps the real one. Every Cayley language
// builds its plan as shapes and has the store optimize them; the Store
// rewrites each quad scan of a plan (the quads behind an Out, In, Both, Has or
// a filter on values) into one that also tags the quad it matched, under a tag
// of its own ("$q1", "$q2", ...), next to the tags the query sets on nodes.
// Cayley's iterators hand tags up the tree for exactly the branches that make
// the current result, so a result's tags then name the quads of its path: a
// label context (in source) restricts them as it restricts the walk, a filter
// adds the quad that let a node pass, and an Except adds nothing. Quads reads
// them back from a result's tags.
//
// Recorded quads are tagged as Refs. Languages that turn every tag into a
// value (GraphQL, MQL) get a Value for them from NameOf, which a caller finds
// in the result tree under the same tags (see IsTag).
package trace

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"
)

// TagPrefix starts the tags of recorded quads. Tags starting with "$" are
// hidden from result columns.
const TagPrefix = "$q"

// IsTag reports whether tag names a recorded quad.
func IsTag(tag string) bool { return strings.HasPrefix(tag, TagPrefix) }

// Mode says where a Store puts the quads it records.
type Mode int

const (
	// InTags records each quad in the tags of the result it is part of.
	InTags Mode = iota
	// Aside records them beside the results, for languages that make part
	// of their result of every tag they are given (MQL): see Store.Aside.
	Aside
)

// Store is a quad store that records the quads every query plan built on it
// matches. Use a fresh one for each query run; it is not safe to use one
// Store from several goroutines.
type Store struct {
	cgraph.QuadStore
	mode  Mode
	n     int // tags handed out
	aside []Recorded
	byMap map[unsafe.Pointer]int // index in aside of each tag map seen
}

// Recorded is what a Store in Aside mode saw of one result: the tag map the
// language filled (it is the language's own map, as complete as the language
// left it) and the quads recorded while it was filled.
type Recorded struct {
	Tags  map[string]cgraph.Ref
	Quads []cgraph.Ref
}

// Aside returns what the store recorded beside the results, in the order the
// results were tagged.
func (s *Store) Aside() []Recorded { return s.aside }

func (s *Store) note(dst map[string]cgraph.Ref, tag string, q cgraph.Ref) {
	if q == nil {
		// An iterator whose alternative paths ran out (NextPath) may be
		// asked for its tags once more: it has no quad then.
		return
	}
	if s.mode == InTags {
		dst[tag] = Ref{q}
		return
	}
	// A language passes one map per result through the whole iterator
	// tree, so the map itself says which result a quad belongs to.
	key := reflect.ValueOf(dst).UnsafePointer()
	if i, ok := s.byMap[key]; ok {
		s.aside[i].Quads = append(s.aside[i].Quads, q)
		return
	}
	if s.byMap == nil {
		s.byMap = map[unsafe.Pointer]int{}
	}
	s.byMap[key] = len(s.aside)
	s.aside = append(s.aside, Recorded{Tags: dst, Quads: []cgraph.Ref{q}})
}

var (
	_ cgraph.QuadStore = (*Store)(nil)
	_ shape.Optimizer  = (*Store)(nil)
)

// New returns a store on qs that records quads in the given mode.
func New(qs cgraph.QuadStore, mode Mode) *Store {
	return &Store{QuadStore: cgraph.Unwrap(qs), mode: mode}
}

// NewTag returns a fresh tag for a recorded quad, for plans that record
// quads themselves (recursive steps).
func (s *Store) NewTag() string {
	s.n++
	return TagPrefix + strconv.Itoa(s.n)
}

// OptimizeShape implements shape.Optimizer: it makes every quad scan of the
// plan tag the quad it matched, then lets the wrapped store optimize the
// shape as it would, where the wrapped store can (its fast paths for plain
// scans do not apply to recording scans).
func (s *Store) OptimizeShape(ctx context.Context, sh shape.Shape) (shape.Shape, bool) {
	changed := false
	switch v := sh.(type) {
	case shape.QuadsAction:
		// Cayley's generic pass folds simple scans into one action; unfold
		// it so that its quads can be tagged.
		if nf, ok := v.Simplify().(shape.NodesFrom); ok {
			sh, changed = s.record(nf), true
		}
	case shape.NodesFrom:
		sh, changed = s.record(v), true
	case shape.Except:
		// Cayley's Not iterator hands up the tags of the set it excludes, as
		// it last left them: quads no result walked.
		sh, changed = silent{v}, true
	}
	if inner, ok := s.QuadStore.(shape.Optimizer); ok {
		out, opt := inner.OptimizeShape(ctx, sh)
		return out, changed || opt
	}
	return sh, changed
}

func (s *Store) record(nf shape.NodesFrom) shape.Shape {
	if _, done := nf.Quads.(recorded); done || shape.IsNull(nf.Quads) {
		return nf
	}
	nf.Quads = recorded{From: nf.Quads, Tag: s.NewTag(), s: s}
	return nf
}

// NameOf implements graph.QuadStore; for the Ref of a recorded quad it
// returns a Value holding the quad.
func (s *Store) NameOf(r cgraph.Ref) (quad.Value, error) {
	if qr, ok := r.(Ref); ok {
		q, err := s.QuadStore.Quad(qr.Quad)
		return Value{q}, err
	}
	return s.QuadStore.NameOf(r)
}

// Quads returns the quads recorded in a result's tags, in the order of
// their tags, and deletes those tags from the map. qs is the store the
// query ran on (the Store or the store it wraps).
func Quads(qs cgraph.QuadStore, tags map[string]cgraph.Ref) ([]quad.Quad, error) {
	if s, ok := qs.(*Store); ok {
		qs = s.QuadStore
	}
	var keys []string
	for k := range tags {
		if IsTag(k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	sort.Slice(keys, func(i, j int) bool { return tagLess(keys[i], keys[j]) })
	out := make([]quad.Quad, 0, len(keys))
	for _, k := range keys {
		r, ok := tags[k].(Ref)
		delete(tags, k)
		if !ok {
			continue
		}
		q, err := qs.Quad(r.Quad)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// tagLess orders tags by the numbers in them ("$q2" before "$q10"), the
// order their steps were planned in.
func tagLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// Ref is the tag value of a recorded quad: the quad's own ref, wrapped so
// that it is never taken for a node.
type Ref struct{ Quad cgraph.Ref }

type refKey struct{ k any }

// Key implements graph.Ref.
func (r Ref) Key() any { return refKey{refs.ToKey(r.Quad)} }

// Value is what NameOf answers for a recorded quad, for languages that turn
// every tag into a value.
type Value struct{ Quad quad.Quad }

// String implements quad.Value.
func (v Value) String() string { return "<< " + v.Quad.NQuad() + " >>" }

// Native implements quad.Value.
func (v Value) Native() any { return v.Quad }

// silent is an Except whose results carry no tags of the set it excludes.
type silent struct{ shape.Except }

func (s silent) BuildIterator(qs cgraph.QuadStore) iterator.Shape {
	return &silentIt{Shape: s.Except.BuildIterator(qs)}
}

func (s silent) Optimize(ctx context.Context, o shape.Optimizer) (shape.Shape, bool) {
	ex, opt := s.Except.Optimize(ctx, o)
	if e, ok := ex.(shape.Except); ok {
		return silent{e}, opt
	}
	return ex, opt // optimized away, or silenced already
}

type silentIt struct{ iterator.Shape }

func (it *silentIt) Iterate() iterator.Scanner { return silentNext{it.Shape.Iterate()} }
func (it *silentIt) Lookup() iterator.Index    { return silentContains{it.Shape.Lookup()} }
func (it *silentIt) Optimize(ctx context.Context) (iterator.Shape, bool) {
	sub, opt := it.Shape.Optimize(ctx)
	return &silentIt{sub}, opt
}
func (it *silentIt) SubIterators() []iterator.Shape { return []iterator.Shape{it.Shape} }

type silentNext struct{ iterator.Scanner }

func (silentNext) TagResults(map[string]cgraph.Ref) {}

type silentContains struct{ iterator.Index }

func (silentContains) TagResults(map[string]cgraph.Ref) {}

// recorded is a quad scan that tags each quad it yields.
type recorded struct {
	From shape.Shape
	Tag  string
	s    *Store
}

func (r recorded) BuildIterator(qs cgraph.QuadStore) iterator.Shape {
	return &recordingIt{sub: r.From.BuildIterator(qs), tag: r.Tag, s: r.s}
}

func (r recorded) Optimize(ctx context.Context, o shape.Optimizer) (shape.Shape, bool) {
	from, opt := r.From.Optimize(ctx, o)
	if shape.IsNull(from) {
		return nil, true
	}
	r.From = from
	return r, opt
}

// recordingIt is the iterator of a recorded scan.
type recordingIt struct {
	sub iterator.Shape
	tag string
	s   *Store
}

func (it *recordingIt) String() string { return fmt.Sprintf("Record(%s)", it.tag) }

func (it *recordingIt) Iterate() iterator.Scanner {
	return &recordingNext{Scanner: it.sub.Iterate(), tag: it.tag, s: it.s}
}

func (it *recordingIt) Lookup() iterator.Index {
	return &recordingContains{Index: it.sub.Lookup(), tag: it.tag, s: it.s}
}

func (it *recordingIt) Stats(ctx context.Context) (iterator.Costs, error) {
	return it.sub.Stats(ctx)
}

func (it *recordingIt) Optimize(ctx context.Context) (iterator.Shape, bool) {
	sub, opt := it.sub.Optimize(ctx)
	if !opt {
		return it, false
	}
	return &recordingIt{sub: sub, tag: it.tag, s: it.s}, true
}

func (it *recordingIt) SubIterators() []iterator.Shape { return []iterator.Shape{it.sub} }

type recordingNext struct {
	iterator.Scanner
	tag string
	s   *Store
}

func (it *recordingNext) TagResults(dst map[string]cgraph.Ref) {
	it.Scanner.TagResults(dst)
	it.s.note(dst, it.tag, it.Result())
}

type recordingContains struct {
	iterator.Index
	tag string
	s   *Store
}

func (it *recordingContains) TagResults(dst map[string]cgraph.Ref) {
	it.Index.TagResults(dst)
	it.s.note(dst, it.tag, it.Result())
}
