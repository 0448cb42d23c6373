package timeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
)

// View is a store as of a date: its quad iterators leave out the quads of
// documents published after the date and the superseded status statements
// and their shortcut edges. It reads through to the store it wraps, which it
// does not own, and refuses writes.
type View struct {
	cgraph.QuadStore
	asOf     string
	later    map[any]bool // keys of labels dated after asOf; nil for none
	hidden   map[any]bool // keys of superseded quads
	disputed map[any]int  // keys of contradicted quads -> their conflict
	affected map[any]bool // keys of the predicates of hidden and contradicted quads
	// conflicts are the contradictions a query may read, as warnings.
	conflicts []string

	mu      sync.Mutex
	touched map[int]bool
}

// Open returns qs as the documents published up to asOf (YYYY-MM-DD; ""
// for all) state it, each happening at its latest status there. When asOf is
// "" and no status is superseded or contradicted, it returns qs itself. A
// View given to Open is opened anew on the store it wraps.
func Open(ctx context.Context, qs cgraph.QuadStore, asOf string) (cgraph.QuadStore, error) {
	if v, ok := qs.(*View); ok {
		if v.asOf == asOf {
			return v, nil
		}
		qs = v.QuadStore
	}
	if asOf != "" {
		if _, err := ParseDate(asOf); err != nil {
			return nil, err
		}
	} else if changes, err := statusChanges(ctx, qs); err != nil || !changes {
		return qs, err
	}
	r, err := newReader(ctx, qs, asOf)
	if err != nil {
		return nil, fmt.Errorf("as of %s: %w", asOf, err)
	}
	hs, err := r.histories(ctx, nil, false)
	if err != nil {
		return nil, fmt.Errorf("status history: %w", err)
	}
	v := &View{QuadStore: qs, asOf: asOf, later: r.later, hidden: map[any]bool{}, disputed: map[any]int{}, affected: map[any]bool{}, touched: map[int]bool{}}
	if err := v.supersede(ctx, r, hs); err != nil {
		return nil, fmt.Errorf("status history: %w", err)
	}
	if asOf == "" && len(v.hidden) == 0 && len(v.disputed) == 0 {
		return qs, nil
	}
	return v, nil
}

// Base returns the store a View wraps, or qs itself.
func Base(qs cgraph.QuadStore) cgraph.QuadStore {
	if v, ok := qs.(*View); ok {
		return v.QuadStore
	}
	return qs
}

// AsOf returns the date the view answers as of ("" for the latest).
func (v *View) AsOf() string { return v.asOf }

// Warnings returns the contradictions the queries run on the view read:
// happenings whose latest statements disagree on their status.
func (v *View) Warnings() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []string
	for i, c := range v.conflicts {
		if v.touched[i] {
			out = append(out, c)
		}
	}
	return out
}

// supersede finds the quads to hide: superseded status statements and the
// shortcut edges they stand for (unless a current statement with the same
// label stands for the same edge), and the contradicted ones to warn of.
func (v *View) supersede(ctx context.Context, r *reader, hs []*History) error {
	hide, keep := map[quad.Quad]bool{}, map[quad.Quad]bool{}
	dispute := map[quad.Quad]int{}
	labels := map[quad.Value]bool{} // labels of the shortcut quads to find
	for _, h := range hs {
		if len(h.Current) == 1 && !slices.ContainsFunc(h.Statements, func(s Statement) bool { return s.Superseded }) {
			continue
		}
		n, err := r.node(ctx, h.Happening)
		if err != nil {
			return err
		}
		conflict := -1
		if h.Contradicted {
			conflict = len(v.conflicts)
			msg, err := v.conflict(ctx, h)
			if err != nil {
				return err
			}
			v.conflicts = append(v.conflicts, msg)
		}
		latest := h.Statements[len(h.Statements)-1].Date
		for _, s := range h.Statements {
			derived := n.shortcuts(s)
			switch {
			case s.Superseded:
				v.hidden[refs.ToKey(s.ref)] = true
				for _, q := range derived {
					hide[q] = true
					labels[q.Label] = true
				}
			default:
				for _, q := range derived {
					keep[q] = true
				}
				if conflict >= 0 && s.Date == latest {
					v.disputed[refs.ToKey(s.ref)] = conflict
					for _, q := range derived {
						dispute[q] = conflict
						labels[q.Label] = true
					}
				}
			}
		}
	}
	if len(v.hidden) > 0 || len(v.disputed) > 0 {
		v.affect(graph.Status)
	}
	shortcutPreds := map[any]bool{}
	for _, sc := range graph.Shortcuts {
		if ref, err := v.QuadStore.ValueOf(sc.Predicate); err == nil && ref != nil {
			shortcutPreds[refs.ToKey(ref)] = true
		}
	}
	for l := range labels {
		ref, err := v.QuadStore.ValueOf(l)
		if err != nil || ref == nil {
			if err != nil {
				return err
			}
			continue
		}
		err = iterator.Iterate(ctx, v.QuadStore.QuadIterator(quad.Label, ref)).Each(func(qr cgraph.Ref) error {
			p, err := v.QuadStore.QuadDirection(qr, quad.Predicate)
			if err != nil || !shortcutPreds[refs.ToKey(p)] {
				return err // not a shortcut: neither hidden nor disputed
			}
			q, err := v.QuadStore.Quad(qr)
			if err != nil {
				return err
			}
			if hide[q] && !keep[q] {
				v.hidden[refs.ToKey(qr)] = true
				v.affect(q.Predicate)
			}
			if i, ok := dispute[q]; ok {
				v.disputed[refs.ToKey(qr)] = i
				v.affect(q.Predicate)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// affect records a predicate of a hidden or contradicted quad.
func (v *View) affect(p quad.Value) {
	if ref, err := v.QuadStore.ValueOf(p); err == nil && ref != nil {
		v.affected[refs.ToKey(ref)] = true
	}
}

// conflict words the warning of a contradicted history.
func (v *View) conflict(ctx context.Context, h *History) (string, error) {
	name, err := graph.NameOf(ctx, v.QuadStore, h.Happening)
	if err != nil {
		return "", err
	}
	latest := h.Statements[len(h.Statements)-1].Date
	return fmt.Sprintf("%s (%s): statements of %s disagree on its status (%s); the answers hold each of them (factgraph history %s lists them)",
		name, graph.CompactTerm(graph.Plain(h.Happening)), latest, strings.Join(h.Current, ", "), graph.LocalName(graph.Plain(h.Happening))), nil
}

// node is what the visible quads say of a happening: its classes and its
// members, for the shortcuts its statuses stand for.
type node struct {
	types   []quad.Value
	members map[quad.Value][]quad.Value
}

func (r *reader) node(ctx context.Context, h quad.Value) (*node, error) {
	n := &node{members: map[quad.Value][]quad.Value{}}
	var err error
	if n.types, err = r.visibleObjects(ctx, h, graph.Type); err != nil {
		return nil, err
	}
	for _, sc := range graph.Shortcuts {
		if _, done := n.members[sc.Members]; done {
			continue
		}
		if n.members[sc.Members], err = r.visibleObjects(ctx, h, sc.Members); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// visibleObjects returns the distinct objects of the visible quads of subject
// with predicate pred.
func (r *reader) visibleObjects(ctx context.Context, subject, pred quad.Value) ([]quad.Value, error) {
	if r.later == nil {
		vs, err := objects(ctx, r.qs, subject, pred)
		return distinct(vs), err
	}
	// As of a date, the labels matter: read the quads.
	var out []quad.Value
	ref, err := r.qs.ValueOf(subject)
	if err != nil || ref == nil {
		return nil, err
	}
	err = iterator.Iterate(ctx, r.qs.QuadIterator(quad.Subject, ref)).Each(func(qr cgraph.Ref) error {
		if ok, err := r.visible(qr); !ok || err != nil {
			return err
		}
		q, err := r.qs.Quad(qr)
		if err == nil && q.Predicate == pred {
			out = append(out, q.Object)
		}
		return err
	})
	return distinct(out), err
}

func distinct(vs []quad.Value) []quad.Value {
	out := vs[:0]
	for _, v := range vs {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// shortcuts returns the shortcut quads a status statement of the happening
// stands for: both directions between every two members, with its label.
func (n *node) shortcuts(s Statement) []quad.Quad {
	var out []quad.Quad
	for _, t := range n.types {
		for _, sc := range graph.ShortcutsOf(t, s.Status()) {
			ms := n.members[sc.Members]
			for i, a := range ms {
				for _, b := range ms[i+1:] {
					out = append(out,
						quad.Quad{Subject: a, Predicate: sc.Predicate, Object: b, Label: s.Quad.Label},
						quad.Quad{Subject: b, Predicate: sc.Predicate, Object: a, Label: s.Quad.Label})
				}
			}
		}
	}
	return out
}

// visible reports whether a quad of the wrapped store is in the view, and
// notes a contradicted one.
func (v *View) visible(ref cgraph.Ref) (bool, error) {
	k := refs.ToKey(ref)
	if v.hidden[k] {
		return false, nil
	}
	if v.later != nil {
		l, err := v.QuadStore.QuadDirection(ref, quad.Label)
		if err != nil {
			return false, err
		}
		if l != nil && v.later[refs.ToKey(l)] {
			return false, nil
		}
	}
	if i, ok := v.disputed[k]; ok {
		v.mu.Lock()
		v.touched[i] = true
		v.mu.Unlock()
	}
	return true, nil
}

// QuadIterator returns the view's quads with value ref in direction d.
func (v *View) QuadIterator(d quad.Direction, ref cgraph.Ref) iterator.Shape {
	return &filtered{sub: v.QuadStore.QuadIterator(d, ref), keep: v.visible}
}

// QuadsAllIterator returns every quad of the view.
func (v *View) QuadsAllIterator() iterator.Shape {
	return &filtered{sub: v.QuadStore.QuadsAllIterator(), keep: v.visible}
}

// NodesAllIterator returns the nodes of the view: as of a date, those in a
// quad of a document published by then (or in an undated quad).
func (v *View) NodesAllIterator() iterator.Shape {
	all := v.QuadStore.NodesAllIterator()
	if v.later == nil {
		return all
	}
	return &filtered{sub: all, keep: v.hasVisibleQuad}
}

// hasVisibleQuad reports whether a node is in at least one visible quad.
func (v *View) hasVisibleQuad(ref cgraph.Ref) (bool, error) {
	ctx := context.Background()
	for _, d := range quad.Directions {
		it := v.QuadIterator(d, ref).Iterate()
		ok := it.Next(ctx)
		err := it.Err()
		it.Close()
		if ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

// QuadIteratorSize estimates from the wrapped store: the view holds at most
// as many.
func (v *View) QuadIteratorSize(ctx context.Context, d quad.Direction, ref cgraph.Ref) (refs.Size, error) {
	sz, err := v.QuadStore.QuadIteratorSize(ctx, d, ref)
	sz.Exact = false
	return sz, err
}

// Stats estimates from the wrapped store.
func (v *View) Stats(ctx context.Context, exact bool) (cgraph.Stats, error) {
	st, err := v.QuadStore.Stats(ctx, exact)
	st.Nodes.Exact, st.Quads.Exact = false, false
	return st, err
}

// errReadOnly is returned for writes to a view.
var errReadOnly = &errs.Error{Code: errs.ReadOnly, Message: "a store seen as of a date is read-only; write to the store itself"}

// ApplyDeltas refuses: a view is read-only.
func (v *View) ApplyDeltas([]cgraph.Delta, cgraph.IgnoreOpts) error { return errReadOnly }

// NewQuadWriter refuses: a view is read-only.
func (v *View) NewQuadWriter() (quad.WriteCloser, error) { return nil, errReadOnly }

// Close does nothing: the view does not own the store it wraps.
func (v *View) Close() error { return nil }
