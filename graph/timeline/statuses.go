package timeline

import (
	"context"
	"slices"
	"sort"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
)

// Statement is one statement of a happening's status: its quad (happening
// fg:status "value" label), dated by the label's document.
type Statement struct {
	Quad quad.Quad
	Date string // "" for a label with no dated document
	// Superseded is set when a later statement gives another status.
	Superseded bool

	ref cgraph.Ref
}

// Status returns the status the statement gives.
func (s Statement) Status() string { return graph.Plain(s.Quad.Object) }

// History is the status statements of one happening.
type History struct {
	Happening  quad.Value
	Statements []Statement // by date, earliest first
	// Current holds the values of the latest statements: one, unless they
	// disagree.
	Current []string
	// Contradicted is set when dated statements of the latest date disagree.
	Contradicted bool
}

// reader reads the status statements of a store as of a date.
type reader struct {
	qs    cgraph.QuadStore
	dates *dater
	later map[any]bool // keys of labels dated after the date
}

func newReader(ctx context.Context, qs cgraph.QuadStore, asOf string) (*reader, error) {
	r := &reader{qs: qs, dates: newDater(qs)}
	if asOf == "" {
		return r, nil
	}
	later, err := laterLabels(ctx, qs, asOf)
	r.later = later
	return r, err
}

// visible reports whether the quad ref's label is not dated after the date.
func (r *reader) visible(ref cgraph.Ref) (bool, error) {
	if r.later == nil {
		return true, nil
	}
	l, err := r.qs.QuadDirection(ref, quad.Label)
	return l == nil || !r.later[refs.ToKey(l)], err
}

// laterLabels returns the keys of the documents published after asOf and of
// their sentences.
func laterLabels(ctx context.Context, qs cgraph.QuadStore, asOf string) (map[any]bool, error) {
	later := map[any]bool{}
	pred, err := qs.ValueOf(graph.DatePublished)
	if err != nil || pred == nil {
		return later, err
	}
	partOf, err := qs.ValueOf(graph.IsPartOf)
	if err != nil {
		return nil, err
	}
	err = iterator.Iterate(ctx, qs.QuadIterator(quad.Predicate, pred)).Each(func(ref cgraph.Ref) error {
		q, err := qs.Quad(ref)
		if err != nil || graph.Plain(q.Object) <= asOf {
			return err
		}
		doc, err := qs.QuadDirection(ref, quad.Subject)
		if err != nil {
			return err
		}
		later[refs.ToKey(doc)] = true
		if partOf == nil {
			return nil
		}
		return iterator.Iterate(ctx, qs.QuadIterator(quad.Object, doc)).Each(func(pref cgraph.Ref) error {
			p, err := qs.QuadDirection(pref, quad.Predicate)
			if err != nil || refs.ToKey(p) != refs.ToKey(partOf) {
				return err
			}
			s, err := qs.QuadDirection(pref, quad.Subject)
			later[refs.ToKey(s)] = true
			return err
		})
	})
	return later, err
}

// histories reads the visible status statements of one happening (of every
// happening, if only is nil), by happening, and settles each one's current
// status. Unless all is set, it leaves out the happenings with one status
// value, whose statements need no dates to settle.
func (r *reader) histories(ctx context.Context, only quad.Value, all bool) ([]*History, error) {
	pred, err := r.qs.ValueOf(graph.Status)
	if err != nil || pred == nil {
		return nil, err
	}
	var it iterator.Shape = r.qs.QuadIterator(quad.Predicate, pred)
	if only != nil {
		sub, err := r.qs.ValueOf(only)
		if err != nil || sub == nil {
			return nil, err
		}
		it = r.qs.QuadIterator(quad.Subject, sub)
	}
	byNode := map[quad.Value]*History{}
	var out []*History
	err = iterator.Iterate(ctx, it).Each(func(ref cgraph.Ref) error {
		if ok, err := r.visible(ref); !ok || err != nil {
			return err
		}
		q, err := r.qs.Quad(ref)
		if err != nil || q.Predicate != graph.Status {
			return err
		}
		h := byNode[q.Subject]
		if h == nil {
			h = &History{Happening: q.Subject}
			byNode[q.Subject] = h
			out = append(out, h)
		}
		h.Statements = append(h.Statements, Statement{Quad: q, ref: ref})
		return nil
	})
	if err != nil {
		return nil, err
	}
	kept := out[:0]
	for _, h := range out {
		if !all && !h.changes() {
			continue
		}
		for i := range h.Statements {
			s := &h.Statements[i]
			if s.Date, err = r.dates.date(ctx, s.Quad.Label); err != nil {
				return nil, err
			}
		}
		h.settle()
		kept = append(kept, h)
	}
	return kept, nil
}

// statusChanges reports whether any happening of the store has statements of
// more than one status value: whether there is any status history to settle.
// It runs before every query, so it reads refs alone, without building quads
// or maps for small stores.
func statusChanges(ctx context.Context, qs cgraph.QuadStore) (bool, error) {
	pred, err := qs.ValueOf(graph.Status)
	if err != nil || pred == nil {
		return false, err
	}
	type pair struct{ s, o any }
	var buf [32]pair
	seen := buf[:0]
	var bySubject map[any]any // once seen grows past a linear scan's worth
	it := qs.QuadIterator(quad.Predicate, pred).Iterate()
	defer it.Close()
	for it.Next(ctx) {
		ref := it.Result()
		s, err := qs.QuadDirection(ref, quad.Subject)
		if err != nil {
			return false, err
		}
		o, err := qs.QuadDirection(ref, quad.Object)
		if err != nil {
			return false, err
		}
		p := pair{refs.ToKey(s), refs.ToKey(o)}
		if bySubject != nil {
			if prev, ok := bySubject[p.s]; ok && prev != p.o {
				return true, nil
			}
			bySubject[p.s] = p.o
			continue
		}
		for _, q := range seen {
			if q.s == p.s && q.o != p.o {
				return true, nil
			}
		}
		if seen = append(seen, p); len(seen) > 64 {
			bySubject = make(map[any]any, 2*len(seen))
			for _, q := range seen {
				bySubject[q.s] = q.o
			}
		}
	}
	return false, it.Err()
}

// changes reports whether the statements give more than one status value.
func (h *History) changes() bool {
	for _, s := range h.Statements[1:] {
		if s.Quad.Object != h.Statements[0].Quad.Object {
			return true
		}
	}
	return false
}

// settle orders a history by date and finds its current status.
func (h *History) settle() {
	sort.SliceStable(h.Statements, func(i, j int) bool { return h.Statements[i].Date < h.Statements[j].Date })
	latest := h.Statements[len(h.Statements)-1].Date
	h.Current = nil
	for _, s := range h.Statements {
		if s.Date == latest && !slices.Contains(h.Current, s.Status()) {
			h.Current = append(h.Current, s.Status())
		}
	}
	for i, s := range h.Statements {
		h.Statements[i].Superseded = !slices.Contains(h.Current, s.Status())
	}
	h.Contradicted = len(h.Current) > 1 && latest != ""
}

// Statuses returns the status history of a happening (of every happening
// with a status, if happening is nil) as the documents published up to asOf
// ("" for all) state it.
func Statuses(ctx context.Context, qs cgraph.QuadStore, happening quad.Value, asOf string) ([]*History, error) {
	r, err := newReader(ctx, qs, asOf)
	if err != nil {
		return nil, err
	}
	return r.histories(ctx, happening, true)
}
