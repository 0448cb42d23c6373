package pathlang

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/queries"
)

// MainColumn is the result column of the node a query ends at, unless the query
// ends with "as NAME".
const MainColumn = "node"

// Compiled is a query turned into a Cayley path, with what evidence needs.
type Compiled struct {
	Path    *path.Path
	Hops    []queries.Hop
	Columns []string // visible tags, in result order
	// Depths are the recursive steps, to tell whether --max-depth cut one.
	Depths   []depthCheck
	MaxDepth int
	// EvidencePerRow reports that every path to a row binds the nodes of every
	// hop alike (each hop joins visible columns or the one start node), so the
	// first path to a row already carries all of its evidence and rows with
	// evidence can stream.
	EvidencePerRow bool
	// Uncounted is the path before a count, when recursive steps precede it:
	// the count's one row does not carry the tags that tell whether the depth
	// bound cut a step, so they are read from this path.
	Uncounted *path.Path
}

type compiler struct {
	ctx      context.Context
	qs       cgraph.QuadStore
	src      string
	maxDepth int
	hops     []queries.Hop
	ntag     int
	aliases  map[string]string // user tag -> hidden tag of the node it names
	columns  []string
	preds    map[string]quad.Value
	depths   []depthCheck
	errlist  errs.List

	uncounted *path.Path
	start     string // hidden tag of the top-level query's start
}

// depthCheck is a recursive step: the tag of the node it reaches and of the
// number of steps that reached it.
type depthCheck struct {
	tag   string // depth tag
	node  string // tag of the node the step reaches
	at    Pos
	dir   Direction
	preds []quad.Value
}

// Compile resolves the names of q against qs and builds a fresh Cayley path for
// it. src is the query text, for error positions.
func Compile(ctx context.Context, qs cgraph.QuadStore, src string, q *Query) (*Compiled, error) {
	c := &compiler{ctx: ctx, qs: qs, src: src, maxDepth: queries.MaxDepth(ctx),
		aliases: map[string]string{}, preds: map[string]quad.Value{}}
	p, cur := c.query(q)
	if err := c.errlist.Err(); err != nil {
		return nil, err
	}
	last := len(q.Steps) - 1
	switch {
	case last >= 0 && isCount(q.Steps[last]):
		p = p.Tag("count")
		c.columns = []string{"count"}
	case last < 0 || !isAs(q.Steps[last]):
		p = p.Tag(MainColumn)
		c.columns = append([]string{MainColumn}, c.columns...)
		c.aliases[MainColumn] = cur
	}
	return &Compiled{Path: p, Hops: c.hops, Columns: c.columns, Depths: c.depths, MaxDepth: c.maxDepth,
		Uncounted: c.uncounted, EvidencePerRow: c.evidencePerRow(q)}, nil
}

// evidencePerRow reports whether each hop joins nodes that are the same on
// every path to a row: visible columns (rows are distinct on them) or the start
// of a query that starts at one node.
func (c *compiler) evidencePerRow(q *Query) bool {
	fixed := map[string]bool{}
	for _, col := range c.columns {
		if tag, ok := c.aliases[col]; ok {
			fixed[tag] = true
		} else {
			return false // count: no node columns
		}
	}
	if !q.Start.All && len(q.Start.Nodes) == 1 {
		fixed[c.start] = true
	}
	for _, h := range c.hops {
		if !fixed[h.From] || (h.To != "" && !fixed[h.To]) {
			return false
		}
	}
	return true
}

func isCount(s Step) bool {
	m, ok := s.(*Modifier)
	return ok && m.Name == "count"
}

func isAs(s Step) bool {
	_, ok := s.(*As)
	return ok
}

func (c *compiler) errorf(at Pos, code errs.Code, format string, args ...any) {
	if len(c.errlist) < MaxErrors {
		c.errlist.Add(errorAt(c.src, at, code, fmt.Sprintf(format, args...)))
	}
}

// fail records a name-resolution error from the graph package at a position.
func (c *compiler) fail(at Pos, err error) {
	var gerr *errs.Error
	if errors.As(err, &gerr) {
		c.errorf(at, gerr.Code, "%s", gerr.Message)
		return
	}
	c.errorf(at, errs.Invalid, "%v", err)
}

func (c *compiler) newTag() string {
	t := "_" + strconv.Itoa(c.ntag)
	c.ntag++
	return t
}

// query compiles a query or sub-query; it returns the path and the hidden tag
// of its current node.
func (c *compiler) query(q *Query) (*path.Path, string) {
	p := c.startPath(q.Start)
	cur := c.newTag()
	if c.start == "" {
		c.start = cur // the top-level query is compiled first
	}
	p = p.Tag(cur)
	for _, st := range q.Steps {
		p, cur = c.step(p, cur, st)
	}
	return p, cur
}

func (c *compiler) startPath(s Start) *path.Path {
	if s.All {
		return path.StartPath(c.qs)
	}
	var nodes []quad.Value
	for _, n := range s.Nodes {
		v, ok := c.node(n)
		if ok && (n.Kind == IRI || n.Kind == PNAME) {
			// An IRI the store does not hold is most likely a typo: say so
			// rather than answer nothing, as a name that resolves to nothing does.
			ok = c.exists(n, v)
		}
		if ok {
			nodes = append(nodes, v)
		}
	}
	return path.StartPath(c.qs, nodes...)
}

// exists reports whether the store holds v, recording a not-found error at n
// (with the closest IRI of a named node, if one is close) when it does not.
func (c *compiler) exists(n Node, v quad.Value) bool {
	ok, err := graph.Exists(c.ctx, c.qs, v)
	if err != nil {
		c.fail(n.At, err)
		return false
	}
	if !ok {
		text := n.Text
		if n.Kind == IRI {
			text = "<" + text + ">"
		}
		msg := fmt.Sprintf("no node %s in the store", text)
		if near, _ := graph.ClosestNode(c.ctx, c.qs, graph.Plain(v)); near != "" {
			msg += fmt.Sprintf("; did you mean %s?", near)
		}
		c.errorf(n.At, errs.NotFound, "%s", msg)
	}
	return ok
}

// node resolves a node reference (see graph.Resolve).
func (c *compiler) node(n Node) (quad.Value, bool) {
	text := n.Text
	switch n.Kind {
	case IRI:
		return quad.IRI(text), true
	case PNAME:
		full, ok := graph.Expand(text)
		if !ok {
			c.errorf(n.At, errs.Invalid, "unknown prefix in %s (known: %s)", text, prefixList())
			return nil, false
		}
		return quad.IRI(full), true
	}
	v, err := graph.Resolve(c.ctx, c.qs, text)
	if err != nil {
		c.fail(n.At, err)
		return nil, false
	}
	return v, true
}

func prefixList() string {
	var names []string
	for _, p := range graph.Prefixes {
		names = append(names, p.Name+":")
	}
	return strings.Join(names, ", ")
}

// predicate resolves a predicate (see graph.ResolvePredicate), caching names.
func (c *compiler) predicate(n Node) (quad.Value, bool) {
	if n.Kind != IDENT {
		return c.node(n)
	}
	if v, ok := c.preds[n.Text]; ok {
		return v, true
	}
	v, err := graph.ResolvePredicate(c.ctx, c.qs, n.Text)
	if err != nil {
		c.fail(n.At, err)
		return nil, false
	}
	c.preds[n.Text] = v
	return v, true
}

func (c *compiler) predicates(ns []Node) ([]quad.Value, bool) {
	var out []quad.Value
	ok := true
	for _, n := range ns {
		v, good := c.predicate(n)
		ok = ok && good
		out = append(out, v)
	}
	return out, ok
}

func (c *compiler) step(p *path.Path, cur string, st Step) (*path.Path, string) {
	switch st := st.(type) {
	case *Traverse:
		return c.traverse(p, cur, st)
	case *Filter:
		for _, cond := range st.Conds {
			p = c.filter(p, cur, cond)
		}
	case *As:
		if _, dup := c.aliases[st.Name]; dup || st.Name == MainColumn || st.Name == "count" {
			c.errorf(st.At, errs.Invalid, "tag %q is already used; choose another name", st.Name)
			return p, cur
		}
		c.aliases[st.Name] = cur
		c.columns = append(c.columns, st.Name)
		return p.Tag(st.Name), cur
	case *Back:
		hidden, ok := c.aliases[st.Name]
		if !ok {
			c.errorf(st.At, errs.Invalid, "back %s: no earlier 'as %s' in this query", st.Name, st.Name)
			return p, cur
		}
		return p.Back(hidden), hidden
	case *SetOp:
		sub, _ := c.query(st.Sub)
		switch st.Op {
		case "and":
			return p.And(sub), cur
		case "or":
			return p.Or(sub), cur
		default:
			return p.Except(sub), cur
		}
	case *Modifier:
		switch st.Name {
		case "unique":
			return p.Unique(), cur
		case "order":
			return p.Order(), cur
		case "count":
			if len(c.depths) > 0 {
				c.uncounted = p.Clone() // Count appends to p in place; the clone keeps its own stack
			}
			return p.Count(), cur
		}
	case *Slice:
		if st.Name == "limit" {
			return p.Limit(st.N), cur
		}
		return p.Skip(st.N), cur
	case *InSource:
		v, ok := c.node(st.Source)
		if !ok {
			return p, cur
		}
		labels, err := graph.SourceLabels(c.ctx, c.qs, v)
		if err != nil {
			c.fail(st.At, err)
			return p, cur
		}
		return p.LabelContext(labels), cur
	}
	return p, cur
}

// move applies one traversal in direction d along preds (nil: any predicate).
func move(p *path.Path, d Direction, preds []quad.Value) *path.Path {
	var via []any
	if preds != nil {
		via = []any{preds}
	}
	switch d {
	case In:
		return p.In(via...)
	case Both:
		return p.Both(via...)
	}
	return p.Out(via...)
}

func (c *compiler) traverse(p *path.Path, cur string, t *Traverse) (*path.Path, string) {
	var preds []quad.Value
	if len(t.Preds) > 0 {
		var ok bool
		if preds, ok = c.predicates(t.Preds); !ok {
			return p, cur
		}
	}
	switch t.Repeat {
	case 0:
		p = move(p, t.Dir, preds)
	case PLUS, STAR:
		// The depth tag says how many steps reached each node, so that a
		// result can tell whether the depth bound cut the walk.
		depth := "_depth" + strconv.Itoa(len(c.depths))
		rec := p.FollowRecursive(move(path.StartMorphism(), t.Dir, preds), c.maxDepth, []string{depth})
		if t.Repeat == STAR {
			rec = p.Or(rec)
		}
		p = rec
		c.depths = append(c.depths, depthCheck{tag: depth, at: t.At, dir: t.Dir, preds: preds})
	}
	next := c.newTag()
	if t.Repeat != 0 {
		c.depths[len(c.depths)-1].node = next
	}
	c.hops = append(c.hops, queries.Hop{
		From: cur, To: next, Predicates: preds,
		Reverse: t.Dir == In, Both: t.Dir == Both,
		Recursive: t.Repeat != 0, MaxDepth: c.maxDepth,
	})
	return p.Tag(next), next
}

// filter compiles one condition on the node tagged cur. Every condition but !=
// also becomes a filter hop, so that a row's evidence holds the facts that let
// its node pass (a != passes for the lack of a fact).
func (c *compiler) filter(p *path.Path, cur string, cond Cond) *path.Path {
	pred, ok := c.predicate(cond.Pred)
	if !ok {
		return p
	}
	hop := func(test func(quad.Value) bool) {
		c.hops = append(c.hops, queries.Hop{From: cur, Predicates: []quad.Value{pred}, Reverse: cond.Op == IN, Test: test})
	}
	switch cond.Op {
	case OUT:
		hop(nil)
		return p.Has(pred)
	case IN:
		hop(nil)
		return p.HasReverse(pred)
	case EQ, NEQ:
		vals, ok := c.values(cond.Value)
		if !ok {
			return p
		}
		if cond.Op == EQ {
			hop(func(v quad.Value) bool { return slices.Contains(vals, v) })
			return p.Has(pred, vals...)
		}
		return p.Except(path.StartPath(c.qs).Has(pred, vals...))
	case MATCH:
		re, err := regexp.Compile(cond.Value.Text)
		if err != nil {
			c.errorf(cond.Value.At, errs.Invalid, "bad regular expression: %v", err)
			return p
		}
		match := func(v quad.Value) bool { return re.MatchString(graph.Plain(v)) }
		hop(match)
		return p.HasFilter(pred, false, valueFilter{desc: "matches " + strconv.Quote(cond.Value.Text), fn: match})
	default:
		cmp, ok := c.comparison(cond.Op, cond.Value)
		if !ok {
			return p
		}
		hop(cmp)
		return p.HasFilter(pred, false, valueFilter{desc: cond.Op.String() + " " + cond.Value.Text, fn: cmp})
	}
}

// values returns what a filter value may equal: the node it names, if any, and
// the literal forms of its text.
func (c *compiler) values(n Node) ([]quad.Value, bool) {
	switch n.Kind {
	case IRI, PNAME:
		v, ok := c.node(n)
		return []quad.Value{v}, ok
	case NUMBER:
		vals := []quad.Value{quad.String(n.Text)}
		if i, err := strconv.ParseInt(n.Text, 10, 64); err == nil {
			vals = append(vals, quad.Int(i))
		} else if f, err := strconv.ParseFloat(n.Text, 64); err == nil {
			vals = append(vals, quad.Float(f))
		}
		return vals, true
	case DATE:
		vals := []quad.Value{quad.String(n.Text)}
		for _, t := range []string{"date", "dateTime", "gYearMonth", "gYear"} {
			vals = append(vals, quad.TypedString{Value: quad.String(n.Text), Type: quad.IRI(graph.XSDNS + t)})
		}
		return vals, true
	}
	vals := []quad.Value{quad.String(n.Text)}
	v, err := graph.Resolve(c.ctx, c.qs, n.Text)
	var gerr *errs.Error
	switch {
	case err == nil:
		vals = append(vals, v)
	case errors.As(err, &gerr) && gerr.Code == errs.NotFound:
		// Not a node's name: the literal alone.
	default:
		c.fail(n.At, err)
		return nil, false
	}
	return vals, true
}

// comparison returns a predicate on values for <, <=, >, >=: numbers compare as
// numbers, dates and strings by their text (ISO dates sort as text).
func (c *compiler) comparison(op Kind, n Node) (func(quad.Value) bool, bool) {
	test := func(d int) bool {
		switch op {
		case LT:
			return d < 0
		case LTE:
			return d <= 0
		case GT:
			return d > 0
		}
		return d >= 0
	}
	if n.Kind == NUMBER {
		want, err := strconv.ParseFloat(n.Text, 64)
		if err != nil {
			c.errorf(n.At, errs.Invalid, "bad number %s", n.Text)
			return nil, false
		}
		return func(v quad.Value) bool {
			got, ok := numberOf(v)
			if !ok {
				// A year compared with a date: compare the text.
				if s := graph.Plain(v); looksLikeDate(s) && !graph.IsNode(v) {
					return test(strings.Compare(s, n.Text))
				}
				return false
			}
			switch {
			case got < want:
				return test(-1)
			case got > want:
				return test(1)
			}
			return test(0)
		}, true
	}
	if n.Kind == IRI || n.Kind == PNAME {
		c.errorf(n.At, errs.Invalid, "expected number, date or string to compare with, found %s", n.Kind)
		return nil, false
	}
	want := n.Text
	dateOnly := n.Kind == DATE
	return func(v quad.Value) bool {
		if graph.IsNode(v) {
			return false
		}
		got := graph.Plain(v)
		if dateOnly && !looksLikeDate(got) {
			return false
		}
		return test(strings.Compare(got, want))
	}, true
}

func numberOf(v quad.Value) (float64, bool) {
	switch v := v.(type) {
	case quad.Int:
		return float64(v), true
	case quad.Float:
		return float64(v), true
	case quad.IRI, quad.BNode:
		return 0, false
	}
	f, err := strconv.ParseFloat(graph.Plain(v), 64)
	return f, err == nil
}

func looksLikeDate(s string) bool {
	return len(s) >= 4 && !slices.ContainsFunc([]byte(s[:4]), func(b byte) bool { return b < '0' || b > '9' })
}

// valueFilter adapts a Go predicate on values to Cayley's shape.ValueFilter.
type valueFilter struct {
	desc string // for --explain
	fn   func(quad.Value) bool
}

func (f valueFilter) String() string { return "value " + f.desc }

func (f valueFilter) BuildIterator(qs cgraph.QuadStore, it iterator.Shape) iterator.Shape {
	return iterator.NewValueFilter(qs, it, func(v quad.Value) (bool, error) { return f.fn(v), nil })
}
