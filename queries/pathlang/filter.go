package pathlang

import (
	"errors"
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
)

// condition compiles one filter condition on the current nodes into the step
// that applies it to a path (the same forward and walking back). When the
// walk records its quads (evidence), the quads that let a node pass are
// recorded: a != passes for the lack of a quad, so it records none.
func (c *compiler) condition(cond Cond) func(*path.Path) *path.Path {
	keep := func(p *path.Path) *path.Path { return p }
	pred, ok := c.predicate(cond.Pred)
	if !ok {
		return keep
	}
	switch cond.Op {
	case OUT:
		return func(p *path.Path) *path.Path { return p.Has(pred) }
	case IN:
		return func(p *path.Path) *path.Path { return p.HasReverse(pred) }
	case EQ, NEQ:
		vals, ok := c.values(cond.Value)
		if !ok {
			return keep
		}
		if cond.Op == EQ {
			return func(p *path.Path) *path.Path { return p.Has(pred, vals...) }
		}
		return func(p *path.Path) *path.Path { return p.Except(path.StartPath(c.qs).Has(pred, vals...)) }
	case MATCH:
		re, err := regexp.Compile(cond.Value.Text)
		if err != nil {
			c.errorf(cond.Value.At, errs.Invalid, "bad regular expression: %v", err)
			return keep
		}
		f := valueFilter{desc: "matches " + strconv.Quote(cond.Value.Text), fn: func(v quad.Value) bool { return re.MatchString(graph.Plain(v)) }}
		return func(p *path.Path) *path.Path { return p.HasFilter(pred, false, f) }
	}
	cmp, ok := c.comparison(cond.Op, cond.Value)
	if !ok {
		return keep
	}
	f := valueFilter{desc: cond.Op.String() + " " + cond.Value.Text, fn: cmp}
	return func(p *path.Path) *path.Path { return p.HasFilter(pred, false, f) }
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
	v, err := graph.Resolve(c.ctx, c.names, n.Text)
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
