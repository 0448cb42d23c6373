package eval

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/queries/sparql/algebra"
	"github.com/factgraph/factgraph/queries/sparql/results"
)

// Options control a run.
type Options struct {
	// Dataset is the dataset when the query names none.
	Dataset Dataset
	// Evidence makes every solution record the quads it matched.
	Evidence bool
	// Now is the time NOW() returns; the time of Prepare if zero.
	Now time.Time
	// MaxPathDepth bounds the steps of the closures * and + of property
	// paths (0: none, as the recommendation has it); Warn hears when the
	// bound left nodes out.
	MaxPathDepth int
	// Warn is told, once each, of limits that cut the answer.
	Warn func(msg string)
	// Iterators makes the run read a compact store (or one built on it)
	// through Cayley's iterators, as it reads every other store, rather
	// than in node ids; the answers are the same (tests run both ways).
	Iterators bool
}

// Plan is a query planned against a store, ready to run (more than once).
type Plan struct {
	q     *algebra.Query
	qs    cgraph.QuadStore
	opt   Options
	root  node
	slots map[string]int
	names []string
	vars  []int // the result columns' slots
	setup *exec // holds the constants' refs found while planning
}

var runs atomic.Int64

// Prepare plans q against qs.
func Prepare(ctx context.Context, qs cgraph.QuadStore, q *algebra.Query, opt Options) (*Plan, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	stats, err := qs.Stats(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("store stats: %w", err)
	}
	setup := &exec{ctx: ctx, qs: qs, refs: map[quad.Value]cgraph.Ref{}, names: map[any]quad.Value{}}
	p := &planner{ctx: ctx, qs: qs, slots: map[string]int{}, base: q.Base, total: stats.Quads.Value, refs: setup}
	pl := &Plan{q: q, qs: qs, opt: opt, setup: setup}
	for _, v := range q.Vars {
		pl.vars = append(pl.vars, p.slot(v))
	}
	for _, t := range q.Describe {
		if t.IsVar() {
			p.slot(t.Var)
		}
	}
	for _, t := range q.Template {
		for _, x := range []algebra.Term{t.S, t.P, t.O} {
			if x.IsVar() {
				p.slot(x.Var)
			}
		}
	}
	pl.root = p.plan(q.Pattern, graphCtx{})
	pl.slots, pl.names = p.slots, p.names
	if setup.err != nil {
		return nil, setup.err
	}
	return pl, nil
}

// Query returns the query the plan runs.
func (pl *Plan) Query() *algebra.Query { return pl.q }

// Vars returns the result columns of a SELECT.
func (pl *Plan) Vars() []string { return pl.q.Vars }

// Explain renders the plan.
func (pl *Plan) Explain() string {
	var b strings.Builder
	pl.root.explain(&b, 0)
	return b.String()
}

func (pl *Plan) newExec(ctx context.Context) *exec {
	x := &exec{
		ctx: ctx, qs: pl.qs, slots: len(pl.names), ev: pl.opt.Evidence, now: pl.opt.Now,
		refs: pl.setup.refs, names: map[any]quad.Value{}, regexps: map[string]*regexp.Regexp{},
		runID: strconv.FormatInt(runs.Add(1), 36), maxDepth: pl.opt.MaxPathDepth, warn: pl.opt.Warn,
	}
	// The constants' refs were found while planning; the map is copied so
	// that runs in parallel do not share it.
	x.refs = make(map[quad.Value]cgraph.Ref, len(pl.setup.refs))
	for k, v := range pl.setup.refs {
		x.refs[k] = v
	}
	if !pl.opt.Iterators {
		x.rd = readerOf(pl.qs)
	}
	x.ds = pl.dataset(x)
	return x
}

func (pl *Plan) dataset(x *exec) *dataset {
	from, named := pl.opt.Dataset.From, pl.opt.Dataset.FromNamed
	if from == nil && named == nil && pl.q.Dataset != nil {
		from, named = pl.q.Dataset.Default, pl.q.Dataset.Named
	}
	if from == nil && named == nil {
		d := &dataset{named: graphSet{all: true}}
		if pl.opt.Dataset.Default == UnlabeledGraph {
			d.def = graphSet{unlabeled: true}
		} else {
			d.def = graphSet{all: true}
		}
		return d
	}
	return &dataset{def: resolveSet(x, from), named: resolveSet(x, named)}
}

// Solution is one answer of a SELECT: a value per column, the store's refs
// of those it holds, and (with Options.Evidence) the quads matched.
type Solution struct {
	pl *Plan
	x  *exec
	r  row
}

// Value returns the value of column i, nil when unbound.
func (s Solution) Value(i int) quad.Value { return s.x.value(s.r.b[s.pl.vars[i]]) }

// Ref returns the store's ref of column i, nil when unbound or when the
// store does not hold the value.
func (s Solution) Ref(i int) cgraph.Ref { return s.r.b[s.pl.vars[i]].ref }

// Evidence returns the quads the solution matched, each once.
func (s Solution) Evidence() ([]quad.Quad, error) {
	seen := map[any]bool{}
	var out []quad.Quad
	for _, ref := range s.r.ev {
		if seen[ref.Key()] {
			continue
		}
		seen[ref.Key()] = true
		q, err := s.pl.qs.Quad(ref)
		if err != nil {
			return nil, err
		}
		for _, d := range quad.Directions {
			q.Set(d, normalize(q.Get(d)))
		}
		out = append(out, q)
	}
	return out, nil
}

// Select runs a SELECT (or the pattern of any form) and calls each with
// every solution until it returns false. The error is the context's when it
// ended the run.
func (pl *Plan) Select(ctx context.Context, each func(Solution) bool) error {
	x := pl.newExec(ctx)
	pl.root.run(x, x.newRow(), func(r row) bool {
		return each(Solution{pl: pl, x: x, r: r})
	})
	if x.err == nil {
		x.err = ctx.Err()
	}
	return x.err
}

// Answer runs a SELECT or an ASK into a result set of at most limit
// solutions (0: no cap); truncated reports that more existed.
func (pl *Plan) Answer(ctx context.Context, limit int) (set *results.Set, truncated bool, err error) {
	set = &results.Set{Vars: pl.Vars()}
	if pl.q.Form == algebra.Ask {
		ok, err := pl.Ask(ctx)
		set.Boolean = &ok
		return set, false, err
	}
	err = pl.Select(ctx, func(s Solution) bool {
		if limit > 0 && len(set.Rows) == limit {
			truncated = true
			return false
		}
		row := results.Row{}
		for i, v := range set.Vars {
			if x := s.Value(i); x != nil {
				row[v] = x
			}
		}
		set.Rows = append(set.Rows, row)
		return true
	})
	return set, truncated, err
}

// Ask runs an ASK.
func (pl *Plan) Ask(ctx context.Context) (bool, error) {
	found := false
	err := pl.Select(ctx, func(Solution) bool { found = true; return false })
	return found, err
}

// Graph runs a CONSTRUCT or DESCRIBE and calls each with every triple of
// the graph it makes, once each.
func (pl *Plan) Graph(ctx context.Context, each func(quad.Quad) bool) error {
	seen := map[quad.Quad]bool{}
	out := func(q quad.Quad) bool {
		if seen[q] {
			return true
		}
		seen[q] = true
		return each(q)
	}
	if pl.q.Form == algebra.Describe {
		return pl.describe(ctx, out)
	}
	n := 0
	return pl.Select(ctx, func(s Solution) bool {
		n++
		for _, t := range pl.q.Template {
			var q quad.Quad
			ok := true
			for i, term := range []algebra.Term{t.S, t.P, t.O} {
				var v quad.Value
				switch {
				case term.IsVar():
					v = s.x.value(s.r.b[pl.slots[term.Var]])
				default:
					v = term.Value
					if b, isB := v.(quad.BNode); isB {
						v = quad.BNode(fmt.Sprintf("c%sn%d%s", s.x.runID, n, strings.TrimSpace(string(b))))
					}
				}
				if !validIn(i, v) {
					ok = false
					break
				}
				q.Set(quad.Subject+quad.Direction(i), v)
			}
			if ok && !out(q) {
				return false
			}
		}
		return true
	})
}

// validIn reports whether v may stand at position i of a triple.
func validIn(i int, v quad.Value) bool {
	switch v.(type) {
	case nil:
		return false
	case quad.IRI:
		return true
	case quad.BNode:
		return i != 1
	}
	return i == 2
}

// describe gives the triples of each described resource: those it is the
// subject of, and those of blank nodes they lead to.
func (pl *Plan) describe(ctx context.Context, out func(quad.Quad) bool) error {
	var targets []quad.Value
	seen := map[quad.Value]bool{}
	add := func(v quad.Value) {
		if v != nil && !seen[v] && !isLiteral(v) {
			seen[v] = true
			targets = append(targets, v)
		}
	}
	err := pl.Select(ctx, func(s Solution) bool {
		for _, t := range pl.q.Describe {
			if t.IsVar() {
				add(s.x.value(s.r.b[pl.slots[t.Var]]))
			} else {
				add(t.Value)
			}
		}
		return true
	})
	if err != nil {
		return err
	}
	x := pl.newExec(ctx)
	for i := 0; i < len(targets); i++ {
		ref := x.refOf(targets[i])
		if ref == nil {
			continue
		}
		sc := pl.qs.QuadIterator(quad.Subject, ref).Iterate()
		for sc.Next(ctx) {
			q, err := pl.qs.Quad(sc.Result())
			if err != nil {
				sc.Close()
				return err
			}
			if !x.ds.def.hasLabel(x, x.refOf(q.Label), true) && q.Label != nil {
				continue
			}
			t := quad.Quad{Subject: normalize(q.Subject), Predicate: normalize(q.Predicate), Object: normalize(q.Object)}
			if b, ok := t.Object.(quad.BNode); ok {
				add(b)
			}
			if !out(t) {
				sc.Close()
				return nil
			}
		}
		sc.Close()
	}
	return ctx.Err()
}
