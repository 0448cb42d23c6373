package pathlang

import (
	"fmt"
	"strings"

	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
)

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
	ok, err := graph.Exists(c.ctx, c.names, v)
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
		if near, _ := graph.ClosestNode(c.ctx, c.names, graph.Plain(v)); near != "" {
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
	v, err := graph.Resolve(c.ctx, c.names, text)
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
	v, err := graph.ResolvePredicate(c.ctx, c.names, n.Text)
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
